/* Counting every allocation of the calling thread, for the "no allocation
 * after create / per chunk" tests (test_ring_alloc.c,
 * test_pipeline_alloc.c): alloc_count.c defines malloc, calloc, realloc,
 * posix_memalign, aligned_alloc, memalign, valloc, every C++ operator new
 * (by their mangled names: it is C) and mmap, so every allocation
 * libcore.so and libstdc++ make resolves there (ELF symbol interposition:
 * the executable comes first in the lookup order) and is counted while a
 * window is open on the calling thread. Sanitizer builds replace malloc
 * themselves: there nothing is interposed, the functions below do nothing
 * and SKIP_IF_SANITIZED skips the test. Test code only. */
#ifndef CORE_TEST_ALLOC_COUNT_H
#define CORE_TEST_ALLOC_COUNT_H

#include <stdatomic.h>

#include "sanitized.h"

/* Allocations (C allocators), operator new calls and mappings seen in
 * windows since the last reset. */
extern atomic_long g_allocs, g_news, g_maps;

void window_open(void);  /* start counting this thread's allocations */
void window_close(void); /* stop */
void reset(void);        /* zero the three counters */

#ifndef NO_INTERPOSE
#define SKIP_IF_SANITIZED() ((void)0)
#else
#define SKIP_IF_SANITIZED() cr_skip_test("allocation counting needs a build without sanitizers")
#endif

#endif
