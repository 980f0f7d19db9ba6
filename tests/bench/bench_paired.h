// Paired A/B measurement: the two sides of a ratio re-run alternately, on the
// same buffers as the benchmark table, best time of each.
//
// On a shared machine the memory bandwidth available to this process drifts
// from second to second, so a ratio of two benchmarks run a minute apart can
// be off by tens of percent. For each ratio the two calls are therefore also
// run alternately (A, B, A, B, ...) on the same buffers as the table, and
// the best time of each is kept: both see the same conditions.

#ifndef LIBCORE_BENCH_PAIRED_H
#define LIBCORE_BENCH_PAIRED_H

#include <core/core.h>

#include <cstddef>
#include <functional>
#include <map>
#include <string>

namespace bench {

struct PairCall {
  std::function<core_status()> fn;
  size_t bytes = 0;  // array bytes per call, as in the table
  int threads = -1;  // libcore thread setting it needs; -1: not a libcore call
};

// Every call a printed ratio can pair, keyed by its benchmark name as in the
// table ("stats_f32/1000000").
std::map<std::string, PairCall> pair_calls();

// Best seconds per call of a and b, run alternately. False on a libcore error.
bool paired_best(const PairCall &a, const PairCall &b, double *ta, double *tb);

}  // namespace bench

#endif  // LIBCORE_BENCH_PAIRED_H
