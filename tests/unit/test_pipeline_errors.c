/* Every error path of the pipeline's C API (status and message), options
 * that contradict each other, flush semantics, NaN chunks, a consumer that
 * stops reading (OVERWRITE drops counted) and a full ring under REJECT. */
#include "test_pipeline_util.h"

#define CREATE "core_pipeline_create"

static core_pipeline_options_t base(void) {
  core_pipeline_options_t o;
  OK(core_pipeline_options_init(&o));
  o.dim = 8;
  return o;
}

Test(pipeline_errors, options_init_and_create_nulls) {
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_pipeline_options_init", "opts is NULL",
         core_pipeline_options_init(NULL));
  core_pipeline_options_t o = base();
  core_pipeline_t *p = NULL;
  ERRMSG(CORE_E_INVALID_ARGUMENT, CREATE, "opts is NULL", core_pipeline_create(NULL, &p));
  ERRMSG(CORE_E_INVALID_ARGUMENT, CREATE, "out is NULL", core_pipeline_create(&o, NULL));
  cr_expect_null(p);
}

Test(pipeline_errors, defaults) {
  core_pipeline_options_t o;
  OK(core_pipeline_options_init(&o));
  cr_expect_eq(o.struct_size, sizeof o);
  cr_expect_eq(o.sample_rate, 16000);
  cr_expect_eq(o.ring_ms, 10000);
  cr_expect_eq(o.ring_policy, CORE_RING_OVERWRITE);
  cr_expect_eq(o.window_ms, 1000);
  cr_expect_eq(o.hop_ms, 500);
  cr_expect_eq(o.speech_only, 1);
  cr_expect_eq(o.dim, 0);
  cr_expect_eq(o.cache_decimals, 4);
  cr_expect_eq(o.batch.max_batch, 8);
  cr_expect_eq(o.batch.max_delay_ms, 50);
  cr_expect_eq(o.vad.struct_size, sizeof(core_vad_options_t));
  cr_expect_eq(o.logmel.struct_size, sizeof(core_logmel_options_t));
  cr_expect_eq(o.cache_options.struct_size, sizeof(core_cache_options_t));
  cr_expect_null(o.metrics_prefix);
}

/* Options that contradict each other, or are out of range: each message
 * names the option. */
Test(pipeline_errors, bad_options) {
  core_pipeline_t *p = NULL;
  core_pipeline_options_t o;
#define BAD(field_change, needle)                                        \
  do {                                                                   \
    o = base();                                                          \
    field_change;                                                        \
    ERRMSG(CORE_E_INVALID_ARGUMENT, CREATE, needle, core_pipeline_create(&o, &p)); \
  } while (0)
  BAD(o.dim = 0, "dim is 0");
  BAD(o.window_ms = 20, "shorter than logmel.n_fft");      /* 320 < 400 */
  BAD(o.logmel.n_fft = 32000, "shorter than logmel.n_fft"); /* 16000 < 32000 */
  /* No log-mel frame fits: the window (400) is shorter than the hop. */
  BAD((o.window_ms = 25, o.logmel.hop = 480), "shorter than logmel.hop");
  BAD((o.sample_rate = 22050, o.window_ms = 1001), "window_ms is 1001");
  BAD(o.hop_ms = 0, "hop_ms is 0");
  BAD(o.ring_ms = 0, "ring_ms is 0");
  BAD(o.ring_policy = 7, "ring_policy is 7");
  BAD(o.speech_only = 2, "speech_only is 2");
  BAD(o.cache_decimals = 11, "cache_decimals is 11");
  BAD(o.sample_rate = 0, "sample_rate is 0");
  BAD(o.batch.max_batch = 0, "batch:");
  BAD(o.struct_size = 8, "struct_size is 8");
  BAD(o.vad.struct_size = 4, "opts->vad.struct_size is 4");
  BAD(o.logmel.struct_size = 0, "opts->logmel.struct_size is 0");
  BAD(o.cache_options.struct_size = 3, "opts->cache_options.struct_size is 3");
  BAD(o.batch.struct_size = 1, "opts->batch.struct_size is 1");
  BAD(o.vad.frame_ms = 25, "vad:");        /* the VAD refuses it */
  BAD(o.logmel.n_mels = 0, "logmel:");     /* the log-mel refuses it */
  BAD(o.vad.threshold = 2.0f, "threshold");
#undef BAD
  o = base();
  o.struct_size = sizeof o + 8;
  ERRMSG(CORE_E_UNSUPPORTED, CREATE, "newer libcore", core_pipeline_create(&o, &p));
  cr_expect_null(p);
  /* A shared cache: its options are not read, so their struct_size is not
   * checked either. */
  core_cache_options_t co;
  OK(core_cache_options_init(&co));
  core_cache_t *cache;
  OK(core_cache_create(&co, &cache));
  o = base();
  o.cache = cache;
  o.cache_options.struct_size = 3;
  OK(core_pipeline_create(&o, &p));
  core_pipeline_destroy(p);
  core_cache_destroy(cache);
}

/* Two pipelines on one registry need a prefix: a taken name is refused. */
Test(pipeline_errors, shared_registry_names) {
  core_metrics_options_t mo;
  OK(core_metrics_options_init(&mo));
  core_metrics_t *m;
  OK(core_metrics_create(&mo, &m));
  core_pipeline_options_t o = base();
  o.metrics = m;
  core_pipeline_t *a, *b = NULL;
  OK(core_pipeline_create(&o, &a));
  ERRMSG(CORE_E_INVALID_ARGUMENT, CREATE, "\"pipeline.push\" is taken",
         core_pipeline_create(&o, &b));
  cr_expect_null(b);
  o.metrics_prefix = "second";
  OK(core_pipeline_create(&o, &b));
  core_metric_id_t id;
  OK(core_metrics_find(m, "second.pipeline.push", &id, NULL));
  core_pipeline_destroy(a);
  core_pipeline_destroy(b);
  core_metrics_destroy(m);
}

Test(pipeline_errors, calls_on_null_and_dead_handles) {
  float x[4] = {0};
  int16_t s[4] = {0};
  core_event_t e;
  core_pipeline_stats_t st;
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_pipeline_push_f32", "p is NULL",
         core_pipeline_push_f32(NULL, x, 4));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_pipeline_push_i16", "p is NULL",
         core_pipeline_push_i16(NULL, s, 4));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_pipeline_flush", "p is NULL", core_pipeline_flush(NULL));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_pipeline_next_event", "p is NULL",
         core_pipeline_next_event(NULL, &e));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_pipeline_submit_embedding", "p is NULL",
         core_pipeline_submit_embedding(NULL, 0, x, 4));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_pipeline_stats", "p is NULL",
         core_pipeline_stats(NULL, &st));
  cr_expect_null(core_pipeline_metrics(NULL));
  core_pipeline_destroy(NULL);

  core_pipeline_options_t o = base();
  core_pipeline_t *p;
  OK(core_pipeline_create(&o, &p));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_pipeline_push_f32", "x is NULL",
         core_pipeline_push_f32(p, NULL, 4));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_pipeline_push_i16", "x is NULL",
         core_pipeline_push_i16(p, NULL, 4));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_pipeline_next_event", "ev is NULL",
         core_pipeline_next_event(p, NULL));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_pipeline_stats", "out is NULL",
         core_pipeline_stats(p, NULL));
  OK(core_pipeline_push_f32(p, NULL, 0));
  OK(core_pipeline_stats(p, &st));
  cr_expect(isnan(st.cache_hit_rate), "no lookup yet: NaN");
  ERR(CORE_E_EMPTY, "core_pipeline_next_event", core_pipeline_next_event(p, &e));
  core_pipeline_destroy(p);
}

/* flush: END comes last, exactly once; pushes are refused afterwards; a
 * second flush does nothing. */
Test(pipeline_errors, flush_semantics) {
  core_pipeline_options_t o = base();
  core_pipeline_t *p;
  OK(core_pipeline_create(&o, &p));
  float x[320] = {0};
  int16_t s[320] = {0};
  OK(core_pipeline_push_f32(p, x, 320));
  OK(core_pipeline_push_i16(p, s, 320));
  OK(core_pipeline_flush(p));
  OK(core_pipeline_flush(p));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_pipeline_push_f32", "after flush",
         core_pipeline_push_f32(p, x, 320));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_pipeline_push_i16", "after flush",
         core_pipeline_push_i16(p, s, 320));
  core_event_t e;
  OK(core_pipeline_next_event(p, &e));
  cr_expect_eq(e.kind, CORE_EVENT_END, "silence: no segment, no window, then END");
  cr_expect_eq(e.start, 640);
  ERR(CORE_E_EMPTY, "core_pipeline_next_event", core_pipeline_next_event(p, &e));
  core_pipeline_stats_t st;
  OK(core_pipeline_stats(p, &st));
  cr_expect_eq(st.chunks, 2);
  cr_expect_eq(st.samples, 640);
  core_pipeline_destroy(p);
}

/* NaN chunks: no crash. The VAD treats their frames as non-speech; a
 * window holding a NaN has no cache key, is not looked up (a miss) nor
 * stored, and goes to the encoder with its NaN frames. */
Test(pipeline_errors, nan_chunks) {
  pu_encoder enc = {0};
  core_pipeline_options_t o = pu_opts(&enc, NULL);
  o.speech_only = 0;
  o.batch.max_delay_ms = 0;
  core_pipeline_t *p;
  OK(core_pipeline_create(&o, &p));
  float *x = malloc(16000 * 3 * sizeof(float));
  tu_rng r = tu_rng_make(9);
  for (size_t i = 0; i < 16000 * 3; ++i) x[i] = (float)(tu_uniform(&r) - 0.5);
  for (size_t i = 20000; i < 20320; ++i) x[i] = NAN;
  pu_log l = {0};
  pu_run(p, x, 16000 * 3, 320, 1, &l);
  pu_run(p, NULL, 0, 320, 0, &l);
  cr_assert_eq(pu_count(&l, CORE_EVENT_WINDOW), 5);
  /* windows [8000, 24000) and [16000, 32000) hold the NaNs */
  cr_expect(isnan(l.ev[1].feat_sum) && isnan(l.ev[2].feat_sum));
  cr_expect(!isnan(l.ev[0].feat_sum) && !isnan(l.ev[3].feat_sum));
  core_pipeline_stats_t st;
  OK(core_pipeline_stats(p, &st));
  cr_expect_eq(st.cache_misses, 5);
  core_pipeline_destroy(p);

  /* The VAD on an all-NaN stream: no segment, END. */
  o = pu_opts(&enc, NULL);
  OK(core_pipeline_create(&o, &p));
  for (size_t i = 0; i < 16000 * 3; ++i) x[i] = NAN;
  l.n = 0;
  pu_run(p, x, 16000 * 3, 320, 1, &l);
  cr_expect_eq(l.n, 1);
  cr_expect_eq(l.ev[0].kind, CORE_EVENT_END);
  core_pipeline_destroy(p);
  free(l.ev);
  free(x);
}

/* A consumer that stops reading, under OVERWRITE: the producer never
 * fails, the ring drops the oldest audio, counted in stats and metrics. */
Test(pipeline_errors, stalled_consumer_overwrite_drops_counted) {
  core_pipeline_options_t o = base();
  o.ring_ms = 1000;
  core_pipeline_t *p;
  OK(core_pipeline_create(&o, &p));
  float x[320] = {0};
  for (int i = 0; i < 100; ++i) OK(core_pipeline_push_f32(p, x, 320)); /* 2 s into 1 s */
  core_pipeline_stats_t st;
  OK(core_pipeline_stats(p, &st));
  cr_expect_eq(st.dropped_samples, 16000);
  cr_expect_eq(st.samples, 32000);
  cr_expect_eq(pu_counter(p, "pipeline.dropped_samples"), 16000);
  /* The consumer comes back: the surviving second is analysed. */
  OK(core_pipeline_flush(p));
  core_event_t e;
  OK(core_pipeline_next_event(p, &e));
  cr_expect_eq(e.kind, CORE_EVENT_END);
  cr_expect_eq(e.start, 16000, "positions count the samples analysed");
  core_pipeline_destroy(p);
}

/* REJECT: a push that does not fit returns CORE_E_FULL and writes nothing. */
Test(pipeline_errors, reject_full) {
  core_pipeline_options_t o = base();
  o.ring_ms = 100;
  o.ring_policy = CORE_RING_REJECT;
  core_pipeline_t *p;
  OK(core_pipeline_create(&o, &p));
  float x[1600] = {0};
  OK(core_pipeline_push_f32(p, x, 1600));
  ERRMSG(CORE_E_FULL, "core_pipeline_push_f32", "does not fit",
         core_pipeline_push_f32(p, x, 1));
  core_pipeline_stats_t st;
  OK(core_pipeline_stats(p, &st));
  cr_expect_eq(st.samples, 1600);
  cr_expect_eq(st.chunks, 1);
  cr_expect_eq(st.dropped_samples, 0);
  core_event_t e;
  ERR(CORE_E_EMPTY, "core_pipeline_next_event", core_pipeline_next_event(p, &e));
  OK(core_pipeline_push_f32(p, x, 1600)); /* the consumer made room */
  core_pipeline_destroy(p);
}
