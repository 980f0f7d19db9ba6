package capi

// The Go ends of the C trampolines of the cache (bindings/go/core_go.i):
// libcore calls core_go_cache_compute and core_go_cache_clock, which call
// these with the user pointer, a runtime/cgo.Handle value. This file's
// preamble holds declarations only, as //export requires.

/*
#include <stdint.h>
*/
import "C"

import "runtime/cgo"

// The status returned when a compute function panics past package core
// (which recovers itself; this is the last line of defence, so that no Go
// panic unwinds through libcore's frames): CORE_E_INTERNAL.
const statusInternal = 11

// coreGoCacheCompute runs the func(writer uintptr) int32 behind user, for
// core_cache_get_or_compute: it delivers the value with
// Core_cache_writer_put(writer, ...) and returns a core_status.
//
//export coreGoCacheCompute
func coreGoCacheCompute(user C.uintptr_t, writer C.uintptr_t) (st C.int) {
	defer func() {
		if recover() != nil {
			st = statusInternal
		}
	}()
	f := cgo.Handle(user).Value().(func(uintptr) int32)
	return C.int(f(uintptr(writer)))
}

// coreGoCacheClock runs the func() uint64 behind user (milliseconds), for
// the cache's clock. It runs under a shard lock: the func must be quick.
//
//export coreGoCacheClock
func coreGoCacheClock(user C.uintptr_t) (ms C.uint64_t) {
	defer func() {
		if recover() != nil {
			ms = 0 // package core recovers itself; not reached
		}
	}()
	f := cgo.Handle(user).Value().(func() uint64)
	return C.uint64_t(f())
}
