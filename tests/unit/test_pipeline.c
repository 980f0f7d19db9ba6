/* The pipeline end to end on real speech (jfk_16k.wav, speech_gaps_16k.wav)
 * in 20 ms chunks, with the mean-pooled log-mel encoder: its segments are
 * core_vad_segments' on the same audio, its windows are the documented ones
 * (whole windows every hop inside each segment; one from the start for a
 * segment shorter than a window), events come in order, features equal
 * core_logmel_compute on the window, the same clip pushed twice hits the
 * cache on every window of the second pass, and the events do not depend
 * on the chunk size. */
#include "test_pipeline_util.h"

#define W 16000u /* window_ms 1000 at 16 kHz */
#define H 8000u  /* hop_ms 500 */

/* The windows pipeline.h documents for these segments of an n-sample stream. */
static size_t expected_windows(const core_segment_t *s, size_t ns, uint64_t n, uint64_t *starts,
                               size_t cap) {
  size_t k = 0;
  for (size_t i = 0; i < ns; ++i) {
    if (s[i].end - s[i].start < W) {
      if (s[i].start + W <= n && k < cap) starts[k++] = s[i].start;
      continue;
    }
    for (uint64_t w = s[i].start; w + W <= s[i].end; w += H)
      if (k < cap) starts[k++] = w;
  }
  return k;
}

static void check_clip(const char *name) {
  size_t n;
  float *x = PU_CLIP(name, &n);
  pu_encoder enc = {0};
  uint64_t now = 0;
  core_pipeline_options_t o = pu_opts(&enc, &now);
  core_pipeline_t *p;
  OK(core_pipeline_create(&o, &p));
  pu_log l = {0};
  pu_run(p, x, n, 320, 1, &l);

  core_segment_t segs[256];
  size_t ns;
  OK(core_vad_segments(x, n, &o.vad, segs, 256, &ns));
  cr_assert_gt(ns, 0);
  uint64_t starts[1024];
  size_t nw = expected_windows(segs, ns, n, starts, 1024);
  cr_assert_gt(nw, 0);

  /* Order: START, its windows, END per segment; window ids 0, 1, 2, ... */
  size_t si = 0, wi = 0;
  int open = 0;
  for (size_t i = 0; i < l.n; ++i) {
    const pu_ev *e = &l.ev[i];
    if (e->kind == CORE_EVENT_SPEECH_START) {
      CHECK(!open && si < ns && e->start == segs[si].start, "%s: START %zu at %llu", name, si,
            (unsigned long long)e->start);
      open = 1;
    } else if (e->kind == CORE_EVENT_SPEECH_END) {
      CHECK(open && e->start == segs[si].start && e->end == segs[si].end,
            "%s: END %zu [%llu, %llu), want [%llu, %llu)", name, si,
            (unsigned long long)e->start, (unsigned long long)e->end,
            (unsigned long long)segs[si].start, (unsigned long long)segs[si].end);
      open = 0;
      ++si;
    } else if (e->kind == CORE_EVENT_WINDOW) {
      CHECK(open && wi < nw && e->id == wi && e->start == starts[wi] && e->end == starts[wi] + W,
            "%s: window %zu id %llu [%llu, %llu)", name, wi, (unsigned long long)e->id,
            (unsigned long long)e->start, (unsigned long long)e->end);
      CHECK(e->start >= segs[si].start, "%s: window before its segment", name);
      CHECK(e->hit == 0, "%s: first pass hit the cache", name);
      ++wi;
    } else {
      CHECK(e->kind == CORE_EVENT_END && i == l.n - 1, "%s: event %zu kind %d", name, i, e->kind);
    }
  }
  cr_expect_eq(si, ns, "%s: %zu segments, want %zu", name, si, ns);
  cr_expect_eq(wi, nw, "%s: %zu windows, want %zu", name, wi, nw);
  cr_expect_eq(l.ev[l.n - 1].kind, CORE_EVENT_END);
  cr_expect_eq(enc.windows, nw, "every window encoded once");

  core_pipeline_stats_t st;
  OK(core_pipeline_stats(p, &st));
  cr_expect_eq(st.samples, n);
  cr_expect_eq(st.chunks, (n + 319) / 320);
  cr_expect_eq(st.segments, ns);
  cr_expect_eq(st.windows, nw);
  cr_expect_eq(st.cache_misses, nw);
  cr_expect_eq(st.cache_hits, 0);
  cr_expect_eq(st.dropped_samples, 0);
  cr_expect_eq(st.encoder_calls, enc.calls);
  cr_expect(fabs(st.audio_seconds - n / 16000.0) < 1e-9);
  cr_expect_eq(pu_counter(p, "pipeline.windows"), nw);
  cr_expect_eq(pu_counter(p, "pipeline.samples"), n);
  cr_expect_eq(pu_counter(p, "encoder.cache_misses"), nw);
  core_pipeline_destroy(p);
  free(l.ev);
  free(x);
}

Test(pipeline, jfk_segments_and_windows) { check_clip("jfk_16k.wav"); }
Test(pipeline, speech_gaps_segments_and_windows) { check_clip("speech_gaps_16k.wav"); }

/* The same clip twice in one stream: the second pass's windows sit at other
 * positions. A window hits exactly when an earlier window held the same
 * audio (after rounding to cache_decimals), checked with the keys; and
 * every window at a first-pass offset hits. With whole-stream windows and
 * a clip of whole hops that is every window of the second copy. Speech
 * windows: JFK ends in speech and the VAD's noise floor carries over, so
 * it cuts the second copy a few frames off the first (logged): those
 * windows hold new audio and miss, which the key check verifies. */
static void second_pass(int speech_only) {
  size_t n;
  float *x = PU_CLIP("jfk_16k.wav", &n);
  n -= n % 8000;
  float *xx = malloc(2 * n * sizeof(float));
  memcpy(xx, x, n * sizeof(float));
  memcpy(xx + n, x, n * sizeof(float));
  pu_encoder enc = {0};
  core_pipeline_options_t o = pu_opts(&enc, NULL);
  o.speech_only = speech_only;
  core_pipeline_t *p;
  OK(core_pipeline_create(&o, &p));
  pu_log l = {0};
  pu_run(p, xx, 2 * n, 320, 1, &l);
  core_key_t keys[512];
  uint64_t starts[512];
  size_t nk = 0, hits = 0, second = 0, second_hits = 0, aligned = 0;
  for (size_t i = 0; i < l.n; ++i) {
    if (l.ev[i].kind != CORE_EVENT_WINDOW) continue;
    core_key_t k;
    OK(core_cache_key_audio(xx + l.ev[i].start, W, o.cache_decimals, &k));
    int seen = 0;
    for (size_t j = 0; j < nk; ++j) seen |= memcmp(&keys[j], &k, sizeof k) == 0;
    int was_aligned = 0;
    for (size_t j = 0; j < nk; ++j) was_aligned |= starts[j] + n == l.ev[i].start;
    CHECK(l.ev[i].hit == seen, "window %llu at %llu: hit %d, same audio seen before %d",
          (unsigned long long)l.ev[i].id, (unsigned long long)l.ev[i].start, l.ev[i].hit, seen);
    if (was_aligned) CHECK(l.ev[i].hit, "window at %llu repeats the first pass: must hit",
                           (unsigned long long)l.ev[i].start);
    hits += l.ev[i].hit;
    if (l.ev[i].start >= n) {
      ++second;
      second_hits += l.ev[i].hit;
      aligned += was_aligned;
    }
    cr_assert_lt(nk, 512);
    keys[nk] = k;
    starts[nk++] = l.ev[i].start;
  }
  cr_log_info("second pass: %zu windows, %zu hits, %zu at first-pass offsets", second,
              second_hits, aligned);
  cr_expect_eq(second_hits, aligned, "second pass: every window at a first-pass offset hits");
  if (!speech_only)
    cr_expect_eq(second_hits, (n - W) / H + 1, "whole stream: all of the second copy hits");
  core_pipeline_stats_t st;
  OK(core_pipeline_stats(p, &st));
  cr_expect_eq(st.cache_hits, hits);
  cr_expect_eq(pu_counter(p, "encoder.cache_hits"), hits);
  cr_expect_eq(st.cache_hits + st.cache_misses, nk);
  core_pipeline_destroy(p);
  free(l.ev);
  free(xx);
  free(x);
}

Test(pipeline, second_pass_hits_whole_stream) { second_pass(0); }
Test(pipeline, second_pass_hits_speech) { second_pass(1); }

/* Two pipelines sharing one cache: the second sees exactly the first's
 * windows, every one a hit, with the same embeddings. */
Test(pipeline, shared_cache_all_hits) {
  size_t n;
  float *x = PU_CLIP("jfk_16k.wav", &n);
  core_cache_options_t co;
  OK(core_cache_options_init(&co));
  core_cache_t *cache;
  OK(core_cache_create(&co, &cache));
  pu_encoder enc = {0};
  core_pipeline_options_t o = pu_opts(&enc, NULL);
  o.cache = cache;
  o.metrics_prefix = "one";
  core_pipeline_t *p1, *p2;
  OK(core_pipeline_create(&o, &p1));
  pu_log a = {0}, b = {0};
  pu_run(p1, x, n, 320, 1, &a);
  size_t calls = enc.calls;
  OK(core_pipeline_create(&o, &p2));
  pu_run(p2, x, n, 320, 1, &b);
  cr_assert_eq(a.n, b.n);
  for (size_t i = 0; i < a.n; ++i) {
    CHECK(a.ev[i].kind == b.ev[i].kind && a.ev[i].start == b.ev[i].start &&
              a.ev[i].end == b.ev[i].end,
          "event %zu differs", i);
    if (b.ev[i].kind == CORE_EVENT_WINDOW)
      CHECK(b.ev[i].hit == 1 && b.ev[i].emb0 == a.ev[i].emb0, "window %zu: hit %d", i,
            b.ev[i].hit);
  }
  cr_expect_eq(enc.calls, calls, "the second pipeline never called the encoder");
  core_pipeline_destroy(p1);
  core_pipeline_destroy(p2);
  core_cache_destroy(cache);
  free(a.ev);
  free(b.ev);
  free(x);
}

/* 1-sample, 20 ms and 1 s pushes give the same events. */
Test(pipeline, chunk_size_independent) {
  size_t n;
  float *x = PU_CLIP("speech_gaps_16k.wav", &n);
  if (n > 16000 * 12) n = 16000 * 12; /* 1-sample pushes: keep it short */
  pu_log logs[3] = {{0}};
  const size_t chunks[3] = {1, 320, 16000};
  for (int k = 0; k < 3; ++k) {
    pu_encoder enc = {0};
    core_pipeline_options_t o = pu_opts(&enc, NULL);
    o.batch.max_delay_ms = 0; /* batches never wait on time */
    core_pipeline_t *p;
    OK(core_pipeline_create(&o, &p));
    pu_run(p, x, n, chunks[k], 1, &logs[k]);
    core_pipeline_destroy(p);
  }
  cr_assert_gt(pu_count(&logs[0], CORE_EVENT_WINDOW), 0);
  for (int k = 1; k < 3; ++k) {
    cr_assert_eq(logs[k].n, logs[0].n, "chunk %zu: %zu events, chunk 1: %zu", chunks[k],
                 logs[k].n, logs[0].n);
    for (size_t i = 0; i < logs[0].n; ++i) {
      const pu_ev *a = &logs[0].ev[i], *b = &logs[k].ev[i];
      CHECK(a->kind == b->kind && a->id == b->id && a->start == b->start && a->end == b->end &&
                a->hit == b->hit && a->emb0 == b->emb0 && a->feat_sum == b->feat_sum,
            "chunk %zu: event %zu differs", chunks[k], i);
    }
  }
  for (int k = 0; k < 3; ++k) free(logs[k].ev);
  free(x);
}

/* A window's features are core_logmel_compute on its samples (WHISPER:
 * normalized per window), bit for bit; whole-stream windows (speech_only 0)
 * cover the stream every hop. */
Test(pipeline, features_equal_logmel_compute) {
  size_t n;
  float *x = PU_CLIP("jfk_16k.wav", &n);
  core_pipeline_options_t o;
  OK(core_pipeline_options_init(&o));
  o.dim = 4;
  o.speech_only = 0;
  core_pipeline_t *p;
  OK(core_pipeline_create(&o, &p));
  core_logmel_t *lm;
  OK(core_logmel_create(&o.logmel, &lm));
  float *ref = malloc(80 * 100 * sizeof(float));
  OK(core_pipeline_push_f32(p, x, 16000 * 4));
  OK(core_pipeline_flush(p));
  core_event_t e;
  size_t windows = 0;
  while (core_pipeline_next_event(p, &e) == CORE_OK && e.kind != CORE_EVENT_END) {
    cr_assert_eq(e.kind, CORE_EVENT_NEEDS_ENCODING);
    cr_assert_eq(e.start, windows * H);
    cr_assert_eq(e.n_mels, 80);
    cr_assert_eq(e.n_frames, 100);
    size_t nf;
    OK(core_logmel_compute(lm, x + e.start, W, ref, 80 * 100, &nf));
    cr_assert(memcmp(ref, e.features, sizeof(float) * 80 * 100) == 0, "window %zu", windows);
    float emb[4] = {1, 2, 3, 4};
    OK(core_pipeline_submit_embedding(p, e.window_id, emb, 4));
    OK(core_pipeline_next_event(p, &e));
    cr_assert_eq(e.kind, CORE_EVENT_WINDOW);
    cr_assert_eq(e.embedding[3], 4.0f);
    ++windows;
  }
  cr_expect_eq(windows, 7, "4 s: windows at 0, 0.5, ..., 3 s");
  cr_expect_eq(e.kind, CORE_EVENT_END);
  core_logmel_destroy(lm);
  core_pipeline_destroy(p);
  free(ref);
  free(x);
}

/* Every stage is registered and recorded under its name, with the prefix. */
Test(pipeline, metrics_named_and_recorded) {
  size_t n;
  float *x = PU_CLIP("jfk_16k.wav", &n);
  pu_encoder enc = {0};
  core_metrics_options_t mo;
  OK(core_metrics_options_init(&mo));
  core_metrics_t *m;
  OK(core_metrics_create(&mo, &m));
  core_pipeline_options_t o = pu_opts(&enc, NULL);
  o.metrics = m;
  o.metrics_prefix = "lid";
  core_pipeline_t *p;
  OK(core_pipeline_create(&o, &p));
  cr_assert_eq(core_pipeline_metrics(p), m);
  pu_log l = {0};
  pu_run(p, x, n, 320, 1, &l);
  const char *timers[] = {"lid.pipeline.push", "lid.vad.process", "lid.features.logmel",
                          "lid.encoder.lookup", "lid.encoder.forward", "lid.encoder.batch_size"};
  for (size_t i = 0; i < COUNT(timers); ++i) {
    core_metric_id_t id;
    core_metric_kind kind;
    OK(core_metrics_find(m, timers[i], &id, &kind));
    cr_expect_eq(kind, CORE_METRIC_TIMER, "%s", timers[i]);
    core_timer_stats_t ts;
    ts.struct_size = sizeof ts;
    OK(core_metrics_timer_stats(m, id, &ts));
    cr_expect_gt(ts.count, 0, "%s recorded nothing", timers[i]);
  }
  core_metric_id_t bs;
  OK(core_metrics_find(m, "lid.encoder.batch_size", &bs, NULL));
  core_timer_stats_t ts;
  ts.struct_size = sizeof ts;
  OK(core_metrics_timer_stats(m, bs, &ts));
  cr_expect_eq(ts.sum_ns, enc.windows, "batch sizes sum to the windows encoded");
  cr_expect_eq(ts.count, enc.calls);
  const char *counters[] = {"lid.pipeline.chunks", "lid.pipeline.samples", "lid.pipeline.windows",
                            "lid.encoder.cache_hits", "lid.encoder.cache_misses",
                            "lid.pipeline.dropped_samples"};
  for (size_t i = 0; i < COUNT(counters); ++i) {
    core_metric_id_t id;
    core_metric_kind kind;
    OK(core_metrics_find(m, counters[i], &id, &kind));
    cr_expect_eq(kind, CORE_METRIC_COUNTER, "%s", counters[i]);
  }
  core_pipeline_destroy(p);
  core_metrics_destroy(m);
  free(l.ev);
  free(x);
}
