/* Batching and the encoder paths: max_batch and max_delay_ms with an
 * injected clock, an encoder that fails (ENCODER_ERROR events, the
 * pipeline continues), no encoder (NEEDS_ENCODING then
 * submit_embedding), submit of an unknown id or a wrong dim. Whole-stream
 * windows (speech_only 0) of noise make the window count exact. */
#include "test_pipeline_util.h"

/* n samples of deterministic noise (no two windows alike). */
static float *noise(size_t n, uint64_t seed) {
  float *x = malloc(n * sizeof(float));
  tu_rng r = tu_rng_make(seed);
  for (size_t i = 0; i < n; ++i) x[i] = (float)(tu_uniform(&r) - 0.5);
  return x;
}

static core_pipeline_t *whole_stream(pu_encoder *enc, uint64_t *clock, size_t max_batch,
                                     uint32_t delay_ms) {
  core_pipeline_options_t o = pu_opts(enc, clock);
  o.speech_only = 0;
  o.batch.max_batch = max_batch;
  o.batch.max_delay_ms = delay_ms;
  core_pipeline_t *p;
  OK(core_pipeline_create(&o, &p));
  return p;
}

/* max_batch 3, delay 50 ms on a clock that stands still: every encoder
 * call holds exactly 3 windows until flush releases the rest. */
Test(pipeline_batch, max_batch_respected) {
  uint64_t now = 1000;
  pu_encoder enc = {0};
  core_pipeline_t *p = whole_stream(&enc, &now, 3, 50);
  float *x = noise(16000 * 6, 1); /* windows at 0, 0.5, ..., 5 s: 11 */
  pu_log l = {0};
  pu_run(p, x, 16000 * 6, 320, 0, &l);
  cr_expect_eq(enc.calls, 3, "9 of 11 windows in 3 full batches, 2 waiting");
  for (size_t i = 0; i < enc.calls; ++i) cr_expect_eq(enc.sizes[i], 3);
  cr_expect_eq(pu_count(&l, CORE_EVENT_WINDOW), 9);
  OK(core_pipeline_flush(p));
  pu_drain(p, &l);
  cr_expect_eq(enc.calls, 4);
  cr_expect_eq(enc.sizes[3], 2, "flush releases the rest");
  cr_expect_eq(pu_count(&l, CORE_EVENT_WINDOW), 11);
  cr_expect_eq(l.ev[l.n - 1].kind, CORE_EVENT_END);
  for (size_t i = 0; i + 1 < l.n; ++i) cr_expect_eq(l.ev[i].id, i, "windows in id order");
  core_pipeline_destroy(p);
  free(l.ev);
  free(x);
}

/* max_batch 8, delay 50 ms: a window waits until the clock passes its
 * deadline, then goes alone. */
Test(pipeline_batch, max_delay_respected) {
  uint64_t now = 0;
  pu_encoder enc = {0};
  core_pipeline_t *p = whole_stream(&enc, &now, 8, 50);
  float *x = noise(16000 * 2, 2);
  pu_log l = {0};
  pu_run(p, x, 16000, 320, 0, &l); /* one window: [0, 1 s) */
  cr_expect_eq(enc.calls, 0);
  cr_expect_eq(l.n, 0, "the window waits for its batch");
  now += 49999999;
  pu_drain(p, &l);
  cr_expect_eq(enc.calls, 0, "49.999999 ms: not yet");
  now += 1;
  pu_drain(p, &l);
  cr_expect_eq(enc.calls, 1, "50 ms: released");
  cr_expect_eq(enc.sizes[0], 1);
  cr_assert_eq(l.n, 1);
  cr_expect_eq(l.ev[0].kind, CORE_EVENT_WINDOW);
  /* Two more windows arrive at one time, released together 50 ms later. */
  pu_run(p, x + 16000, 16000, 320, 0, &l);
  cr_expect_eq(enc.calls, 1);
  now += 50000000;
  pu_drain(p, &l);
  cr_expect_eq(enc.calls, 2);
  cr_expect_eq(enc.sizes[1], 2);
  core_pipeline_destroy(p);
  free(l.ev);
  free(x);
}

/* The second encoder call fails: its windows become ENCODER_ERROR events
 * with that status, the others are windows, and the stream goes on. */
Test(pipeline_batch, encoder_error_events) {
  uint64_t now = 0;
  pu_encoder enc = {0};
  enc.fail_with = CORE_E_INTERNAL;
  enc.fail_call = 2;
  core_pipeline_t *p = whole_stream(&enc, &now, 2, 50);
  float *x = noise(16000 * 4, 3); /* 7 windows: batches {0,1} {2,3} {4,5} {6} */
  pu_log l = {0};
  pu_run(p, x, 16000 * 4, 320, 1, &l);
  cr_assert_eq(l.n, 8);
  for (size_t i = 0; i < 7; ++i) {
    int failed = i == 2 || i == 3;
    cr_expect_eq(l.ev[i].kind, failed ? CORE_EVENT_ENCODER_ERROR : CORE_EVENT_WINDOW, "%zu", i);
    cr_expect_eq(l.ev[i].status, failed ? CORE_E_INTERNAL : CORE_OK);
    cr_expect_eq(l.ev[i].id, i);
  }
  cr_expect_eq(l.ev[7].kind, CORE_EVENT_END);
  core_pipeline_stats_t st;
  OK(core_pipeline_stats(p, &st));
  cr_expect_eq(st.encoder_calls, 4);
  cr_expect_eq(st.encoder_errors, 1);
  core_pipeline_destroy(p);
  free(l.ev);
  free(x);
}

/* Failed windows are not cached: the same audio again is encoded again. */
Test(pipeline_batch, failed_windows_not_cached) {
  pu_encoder enc = {0};
  enc.fail_with = CORE_E_UNAVAILABLE;
  core_pipeline_t *p = whole_stream(&enc, NULL, 8, 0);
  float *x = noise(16000, 4);
  pu_log l = {0};
  pu_run(p, x, 16000, 320, 0, &l);
  cr_assert_eq(l.n, 1);
  cr_expect_eq(l.ev[0].kind, CORE_EVENT_ENCODER_ERROR);
  cr_expect_eq(l.ev[0].status, CORE_E_UNAVAILABLE);
  core_pipeline_destroy(p);
  free(l.ev);
  free(x);
}

/* No encoder: NEEDS_ENCODING with the features, submit_embedding, then the
 * WINDOW with that embedding; submitted embeddings are cached. */
Test(pipeline_batch, needs_encoding_then_submit) {
  core_pipeline_options_t o;
  OK(core_pipeline_options_init(&o));
  o.dim = 3;
  o.speech_only = 0;
  core_pipeline_t *p;
  OK(core_pipeline_create(&o, &p));
  float *x = noise(16000 * 2, 5);
  OK(core_pipeline_push_f32(p, x, 16000 * 2)); /* windows 0, 1, 2 */
  core_event_t e;
  uint64_t ids[3];
  for (int i = 0; i < 3; ++i) {
    OK(core_pipeline_next_event(p, &e));
    cr_assert_eq(e.kind, CORE_EVENT_NEEDS_ENCODING);
    cr_assert_eq(e.window_id, (uint64_t)i);
    cr_assert_not_null(e.features);
    cr_assert_eq(e.n_mels, 80);
    ids[i] = e.window_id;
  }
  ERR(CORE_E_EMPTY, "core_pipeline_next_event", core_pipeline_next_event(p, &e));
  float emb[3] = {7, 8, 9}, bad[4] = {0};
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_pipeline_submit_embedding", "dim is 4",
         core_pipeline_submit_embedding(p, ids[1], bad, 4));
  ERRMSG(CORE_E_NOT_FOUND, "core_pipeline_submit_embedding", "window 99",
         core_pipeline_submit_embedding(p, 99, emb, 3));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_pipeline_submit_embedding", "embedding is NULL",
         core_pipeline_submit_embedding(p, ids[0], NULL, 3));
  /* Out of order: window 1 first; window 0 still holds the queue. */
  OK(core_pipeline_submit_embedding(p, ids[1], emb, 3));
  ERRMSG(CORE_E_NOT_FOUND, "core_pipeline_submit_embedding", "not waiting",
         core_pipeline_submit_embedding(p, ids[1], emb, 3));
  ERR(CORE_E_EMPTY, "core_pipeline_next_event", core_pipeline_next_event(p, &e));
  emb[0] = 1;
  OK(core_pipeline_submit_embedding(p, ids[0], emb, 3));
  OK(core_pipeline_next_event(p, &e));
  cr_expect_eq(e.kind, CORE_EVENT_WINDOW);
  cr_expect_eq(e.window_id, 0);
  cr_expect_eq(e.embedding[0], 1.0f);
  cr_expect_eq(e.cache_hit, 0);
  OK(core_pipeline_next_event(p, &e));
  cr_expect_eq(e.window_id, 1);
  cr_expect_eq(e.embedding[0], 7.0f);
  ERRMSG(CORE_E_NOT_FOUND, "core_pipeline_submit_embedding", "window 0",
         core_pipeline_submit_embedding(p, 0, emb, 3));
  OK(core_pipeline_submit_embedding(p, ids[2], emb, 3));
  OK(core_pipeline_next_event(p, &e));
  cr_expect_eq(e.window_id, 2);
  /* The same audio again: all three hit, no NEEDS_ENCODING. */
  OK(core_pipeline_push_f32(p, x, 16000 * 2));
  OK(core_pipeline_flush(p));
  size_t hits = 0, needs = 0;
  while (core_pipeline_next_event(p, &e) == CORE_OK && e.kind != CORE_EVENT_END) {
    if (e.kind == CORE_EVENT_NEEDS_ENCODING) {
      ++needs;
      OK(core_pipeline_submit_embedding(p, e.window_id, emb, 3));
    }
    if (e.kind == CORE_EVENT_WINDOW) hits += e.cache_hit;
  }
  cr_expect_eq(e.kind, CORE_EVENT_END);
  cr_expect_geq(hits, 3, "the repeated windows hit (%zu hits, %zu new)", hits, needs);
  core_pipeline_destroy(p);
  free(x);
}
