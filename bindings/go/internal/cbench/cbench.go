// Package cbench times libcore from C, for the benchmarks' same-run
// reference: a C loop of core_stats_f32 calls, with no cgo transition per
// call. It is used by bench_test.go only.
package cbench

/*
#cgo pkg-config: libcore
#include <core/core.h>

static int stats_loop_f32(const float *x, size_t n, long reps) {
  core_stats_t s;
  for (long i = 0; i < reps; ++i)
    if (core_stats_f32(x, n, CORE_NAN_PROPAGATE, &s) != CORE_OK) return -1;
  return 0;
}
*/
import "C"

import "errors"

// StatsLoopF32 calls core_stats_f32(x) reps times in one C loop.
func StatsLoopF32(x []float32, reps int) error {
	var p *C.float
	if len(x) > 0 {
		p = (*C.float)(&x[0])
	}
	if C.stats_loop_f32(p, C.size_t(len(x)), C.long(reps)) != 0 {
		return errors.New("core_stats_f32 failed")
	}
	return nil
}
