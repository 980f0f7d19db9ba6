/* No allocation per chunk in steady state, proven by counting: this
 * executable defines the C allocators and every C++ operator new (by their
 * mangled names: this is C), so every allocation libcore.so and libstdc++
 * make resolves here (ELF symbol interposition) and is counted while the
 * calling thread has a window open (test_ring_alloc.c's method). The window
 * around create must see allocations (the counter works). Steady state:
 * the JFK clip pushed in 20 ms chunks again and again with events read
 * after every push; after the first pass every window hits the cache
 * (misses allocate a cache entry per put: that is the cache's memory, not
 * per-chunk work). Whole-stream windows then cover the same audio every
 * pass when the clip length is a whole number of hops. Sanitizer builds
 * replace malloc themselves; there this suite skips. */
#include <errno.h>
#include <stdatomic.h>
#include <unistd.h>

#include "test_pipeline_util.h"
#include "alloc_count.h"


static long counted(void) { return atomic_load(&g_allocs) + atomic_load(&g_news); }

/* Pushes the clip in 20 ms chunks, reading events after every push (the
 * window counts only these calls when `count` is set). */
static size_t one_pass(core_pipeline_t *p, const float *x, size_t n, int count, size_t *hits) {
  size_t windows = 0;
  core_event_t e;
  for (size_t i = 0; i < n; i += 320) {
    size_t k = n - i < 320 ? n - i : 320;
    if (count) window_open();
    core_status st = core_pipeline_push_f32(p, x + i, k);
    core_status ev;
    while ((ev = core_pipeline_next_event(p, &e)) == CORE_OK) {
      if (e.kind == CORE_EVENT_WINDOW) {
        ++windows;
        *hits += e.cache_hit;
      }
    }
    if (count) window_close();
    CHECK(st == CORE_OK && ev == CORE_E_EMPTY, "push %zu: %s", i, core_last_error_message());
  }
  return windows;
}

/* Whole-stream windows: one pipeline, the clip again and again (a whole
 * number of hops, so every pass has the same windows, all hits after the
 * first). Speech windows: the VAD's state carries over from one copy to
 * the next and cuts it a few frames differently (new audio, misses), so
 * there each pass is a fresh pipeline on a shared cache, created outside
 * the counting window: the counted calls are the pushes and next_event. */
static void steady_state(int speech_only) {
  SKIP_IF_SANITIZED();
  size_t n;
  float *x = PU_CLIP("jfk_16k.wav", &n);
  n -= n % 8000;
  pu_encoder enc = {0};
  core_cache_options_t co;
  OK(core_cache_options_init(&co));
  core_cache_t *cache;
  OK(core_cache_create(&co, &cache));
  core_pipeline_options_t o = pu_opts(&enc, NULL);
  o.speech_only = speech_only;
  o.batch.max_delay_ms = 0;
  o.cache = cache;
  core_pipeline_t *p;
  reset();
  window_open();
  OK(core_pipeline_create(&o, &p));
  window_close();
  cr_assert_gt(counted(), 0, "create was not seen allocating: the counter is blind");
  size_t hits = 0, windows = 0;
  one_pass(p, x, n, 0, &hits); /* warm: the cache fills, buffers settle */
  if (speech_only) {
    core_pipeline_destroy(p);
    OK(core_pipeline_create(&o, &p));
  }
  one_pass(p, x, n, 0, &hits);
  hits = 0;
  reset();
  for (int pass = 0; pass < 3; ++pass) {
    if (speech_only) {
      core_pipeline_destroy(p);
      OK(core_pipeline_create(&o, &p));
    }
    windows += one_pass(p, x, n, 1, &hits);
  }
  const long allocs = counted();
  cr_assert_gt(windows, 0);
  cr_expect_eq(hits, windows, "steady state: every window hits (%zu of %zu)", hits, windows);
  cr_expect_eq(allocs, 0, "%ld allocations in %zu chunks (%zu windows)", allocs,
               3 * ((n + 319) / 320), windows);
  core_pipeline_destroy(p);
  core_cache_destroy(cache);
  free(x);
}

Test(pipeline_alloc, steady_state_speech_windows) { steady_state(1); }
Test(pipeline_alloc, steady_state_whole_stream) { steady_state(0); }
