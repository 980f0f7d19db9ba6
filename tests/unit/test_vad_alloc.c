/* The VAD's memory: a detector whose segments are read as they come
 * allocates nothing after create. Counted with the counting allocator
 * (alloc_count.h: malloc & co, operator new and mmap of the calling
 * thread). That create and core_vad_segments fail cleanly, with
 * CORE_E_OUT_OF_MEMORY and no leak, whichever allocation fails is walked
 * by the out-of-memory harness (tests/oom, scenarios vad_create_10ms,
 * vad_create_30ms and vad_segments). Sanitizer builds replace malloc
 * themselves; there this suite skips. */
#include <stdatomic.h>

#include "test_vad_util.h"

#include "alloc_count.h"

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
    reset();
    window_open();
    for (size_t i = 0; i < n; i += 320) {
      core_segment_t s;
      uint64_t start;
      if (core_vad_push(v, x + i, 320) != CORE_OK) cr_assert_fail("push failed");
      while (core_vad_next_segment(v, &s) == CORE_OK) ++segments;
      opens += core_vad_open_segment(v, &start) == CORE_OK;
    }
    if (core_vad_flush(v) != CORE_OK) cr_assert_fail("flush failed");
    window_close();
    const long allocs = atomic_load(&g_allocs) + atomic_load(&g_news) + atomic_load(&g_maps);
    cr_assert_geq(segments, 38, "%u ms: only %zu segments, a weak test", frames[f], segments);
    cr_assert_gt(opens, 0);
    cr_assert_eq(allocs, 0, "%u ms frames: %ld allocations after create", frames[f], allocs);
    core_vad_destroy(v);
  }
  free(x);
}
