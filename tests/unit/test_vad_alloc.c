/* The VAD's memory: create and core_vad_segments fail cleanly, with
 * CORE_E_OUT_OF_MEMORY, whichever allocation fails; and a detector whose
 * segments are read as they come allocates nothing after create.
 *
 * This executable defines malloc and its relatives, so every allocation
 * libcore.so, libkissfft and libstdc++ make resolves here (ELF symbol
 * interposition: the executable comes first in the lookup order). C++
 * operator new is left to libstdc++, which calls this malloc and throws
 * std::bad_alloc when it returns NULL, as it would when memory runs out.
 * Only allocations inside a window opened on the calling thread are
 * counted or failed. Sanitizer builds replace malloc themselves; there
 * this suite skips. */
#include <errno.h>
#include <stdatomic.h>
#include <unistd.h>

#include "test_vad_util.h"

#include "sanitized.h"

static atomic_long g_allocs;
static long g_fail_at = -1; /* the index (in the window) of the allocation to fail */

#ifndef NO_INTERPOSE

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);

static atomic_int g_open;
static __thread int tl_window;

/* 1 when this allocation must fail. Counts it when the window is open. */
static int fail_now(void) {
  if (!atomic_load(&g_open) || !tl_window) return 0;
  return atomic_fetch_add(&g_allocs, 1) == g_fail_at;
}

void *malloc(size_t n) { return fail_now() ? NULL : __libc_malloc(n); }
void *calloc(size_t a, size_t b) { return fail_now() ? NULL : __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { return fail_now() ? NULL : __libc_realloc(p, n); }
void free(void *p) { __libc_free(p); }
void *memalign(size_t al, size_t n) { return fail_now() ? NULL : __libc_memalign(al, n); }
void *aligned_alloc(size_t al, size_t n) { return fail_now() ? NULL : __libc_memalign(al, n); }
void *valloc(size_t n) {
  return fail_now() ? NULL : __libc_memalign((size_t)sysconf(_SC_PAGESIZE), n);
}
int posix_memalign(void **out, size_t al, size_t n) {
  if (fail_now()) return ENOMEM;
  void *p = __libc_memalign(al < sizeof(void *) ? sizeof(void *) : al, n);
  if (p == NULL) return ENOMEM;
  *out = p;
  return 0;
}

static void window(int open, long fail_at) {
  atomic_store(&g_allocs, 0);
  g_fail_at = fail_at;
  tl_window = open;
  if (open) atomic_store(&g_open, 1);
}
#define SKIP_IF_SANITIZED() ((void)0)

#else
static void window(int open, long fail_at) { (void)open, (void)fail_at; }
#define SKIP_IF_SANITIZED() \
  cr_skip_test("allocation interposition needs a build without sanitizers")
#endif

Test(vad_alloc, create_fails_cleanly_at_every_allocation) {
  SKIP_IF_SANITIZED();
  const unsigned frames[] = {10, 30};
  for (int f = 0; f < 2; ++f) {
    core_vad_options_t o = vu_opts();
    o.frame_ms = frames[f];
    o.max_speech_ms = 5000;
    long k = 0;
    for (;; ++k) {
      cr_assert_lt(k, 200, "create never succeeded");
      core_vad_t *v = (core_vad_t *)&v;
      core_vad_t *const sentinel = v;
      window(1, k);
      const core_status st = core_vad_create(&o, &v);
      window(0, -1);
      if (st == CORE_OK) {
        core_vad_destroy(v);
        break;
      }
      cr_assert_eq(st, CORE_E_OUT_OF_MEMORY, "allocation %ld failed: %s", k, core_status_str(st));
      cr_assert(tu_message_has("core_vad_create: out of memory"), "message: %s",
                core_last_error_message());
      cr_assert_eq(v, sentinel, "*out was written on error");
    }
    cr_assert_geq(k, 3, "%u ms frames: only %ld allocations failed: the interposition is blind",
                  frames[f], k);
  }
}

Test(vad_alloc, segments_fails_cleanly_at_every_allocation) {
  SKIP_IF_SANITIZED();
  const size_t n = 16000 * 3;
  float *x = calloc(n, sizeof(float));
  cr_assert_not_null(x);
  vu_add_noise(x, n, 1e-3, 2);
  vu_add_voice(x, 16000, 16000, 16000, 0.05);
  core_vad_options_t o = vu_opts();
  core_segment_t out[4];
  long k = 0;
  for (;; ++k) {
    cr_assert_lt(k, 200, "core_vad_segments never succeeded");
    size_t count = 99;
    window(1, k);
    const core_status st = core_vad_segments(x, n, &o, out, 4, &count);
    window(0, -1);
    if (st == CORE_OK) {
      cr_assert_eq(count, 1);
      break;
    }
    cr_assert_eq(st, CORE_E_OUT_OF_MEMORY, "allocation %ld failed: %s", k, core_status_str(st));
    cr_assert(tu_message_has("core_vad_segments: out of memory"));
    cr_assert_eq(count, 99, "*count was written on error");
  }
  cr_assert_geq(k, 3, "only %ld allocations failed", k);
  free(x);
}

/* A minute of speech and noise pushed in 20 ms chunks, segments read and
 * the open segment polled after every push, then flush: no allocation after
 * create (the segment queue reuses its memory while the reader keeps up). */
Test(vad_alloc, no_allocation_after_create) {
  SKIP_IF_SANITIZED();
  const size_t n = 16000 * 60;
  float *x = calloc(n, sizeof(float));
  cr_assert_not_null(x);
  vu_add_noise(x, n, 1e-3, 3);
  for (size_t t = 1; t + 2 < 60; t += 3) vu_add_voice(x, 16000 * t, 16000 * 2, 16000, 0.05);
  const unsigned frames[] = {10, 30};
  for (int f = 0; f < 2; ++f) {
    core_vad_options_t o = vu_opts();
    o.frame_ms = frames[f];
    o.max_speech_ms = 1000;
    core_vad_t *v = vu_make(&o);
    size_t segments = 0, opens = 0;
    window(1, -1);
    for (size_t i = 0; i < n; i += 320) {
      core_segment_t s;
      uint64_t start;
      if (core_vad_push(v, x + i, 320) != CORE_OK) cr_assert_fail("push failed");
      while (core_vad_next_segment(v, &s) == CORE_OK) ++segments;
      opens += core_vad_open_segment(v, &start) == CORE_OK;
    }
    if (core_vad_flush(v) != CORE_OK) cr_assert_fail("flush failed");
    const long allocs = atomic_load(&g_allocs);
    window(0, -1);
    cr_assert_geq(segments, 38, "%u ms: only %zu segments, a weak test", frames[f], segments);
    cr_assert_gt(opens, 0);
    cr_assert_eq(allocs, 0, "%u ms frames: %ld allocations after create", frames[f], allocs);
    core_vad_destroy(v);
  }
  free(x);
}
