/* Unit tests for a cache publishing into a metrics registry: the published
 * counters and gauges match core_cache_stats after a scripted workload, the
 * compute timer, the first (shorter) options layout, a taken prefix and a
 * full registry failing create cleanly, and the Prometheus series names. */
#include "test_cache_util.h"
#include "test_metrics_util.h"

static char *export_prom(core_metrics_t *m) {
  size_t need = 0;
  core_status st = core_metrics_export(m, CORE_METRICS_PROMETHEUS, 0, NULL, 0, &need);
  cr_assert(st == CORE_E_BUFFER_TOO_SMALL || st == CORE_OK);
  char *buf = malloc(need);
  OK(core_metrics_export(m, CORE_METRICS_PROMETHEUS, 0, buf, need, &need));
  return buf;
}

static core_status compute_ok(void *user, const core_key_t *key, core_cache_writer_t *w) {
  (void)key;
  float v[8];
  value_fill(v, 8, (uint64_t)(uintptr_t)user);
  return core_cache_writer_put(w, v, 8, NULL, 0);
}

static core_status compute_fail(void *user, const core_key_t *key, core_cache_writer_t *w) {
  (void)user, (void)key, (void)w;
  return CORE_E_IO;
}

Test(cache_metrics, options_init_defaults) {
  core_cache_options_t o;
  OK(core_cache_options_init(&o));
  cr_assert_eq(o.struct_size, sizeof(core_cache_options_t));
  cr_assert_null(o.metrics);
  cr_assert_null(o.metrics_prefix);
  cr_assert_lt(CORE_CACHE_OPTIONS_V1_SIZE, sizeof(core_cache_options_t));
}

Test(cache_metrics, counts_match_stats_after_workload) {
  core_metrics_t *m = registry(64);
  fake_clock clk = {1000};
  core_cache_options_t o = cache_opts(4, 0);
  o.shards = 2;
  o.ttl_ms = 100;
  o.clock = fake_clock_read;
  o.clock_user = &clk;
  o.metrics = m;
  core_cache_t *c = cache_make_opts(&o);
  cr_assert_eq(core_metrics_count(m), 11);

  float v[16], out[16];
  size_t n = 0;
  for (uint64_t i = 0; i < 12; ++i) { /* 12 inserts into 4 slots: evictions */
    value_fill(v, 16, i);
    core_key_t k = key_of(i);
    OK(core_cache_put(c, &k, v, 16, NULL, 0));
  }
  for (uint64_t i = 0; i < 12; ++i) { /* hits and misses */
    core_key_t k = key_of(i);
    core_status st = core_cache_get(c, &k, out, 16, &n, NULL, NULL);
    cr_assert(st == CORE_OK || st == CORE_E_NOT_FOUND);
  }
  for (uint64_t i = 100; i < 103; ++i) { /* computes, then a hit */
    core_key_t k = key_of(i);
    OK(core_cache_get_or_compute(c, &k, compute_ok, (void *)(uintptr_t)i, out, 16, &n, NULL,
                                 NULL));
    OK(core_cache_get_or_compute(c, &k, compute_ok, (void *)(uintptr_t)i, out, 16, &n, NULL,
                                 NULL));
  }
  core_key_t kf = key_of(200);
  cr_assert_eq(core_cache_get_or_compute(c, &kf, compute_fail, NULL, out, 16, &n, NULL, NULL),
               CORE_E_IO);
  clk.now_ms += 1000; /* everything expires */
  core_key_t k0 = key_of(101);
  cr_assert_eq(core_cache_get(c, &k0, out, 16, &n, NULL, NULL), CORE_E_NOT_FOUND);

  core_cache_stats_t s = stats_of(c); /* sweeps the rest */
  cr_assert_gt(s.evictions, 0);
  cr_assert_gt(s.expirations, 0);
  cr_assert_gt(s.hits, 0);
  cr_assert_eq(counter(m, "core_cache_hits"), s.hits);
  cr_assert_eq(counter(m, "core_cache_misses"), s.misses);
  cr_assert_eq(counter(m, "core_cache_inserts"), s.inserts);
  cr_assert_eq(counter(m, "core_cache_evictions"), s.evictions);
  cr_assert_eq(counter(m, "core_cache_expirations"), s.expirations);
  cr_assert_eq(counter(m, "core_cache_computes"), s.computes);
  cr_assert_eq(counter(m, "core_cache_compute_failures"), s.compute_failures);
  cr_assert_eq(counter(m, "core_cache_compute_waits"), s.compute_waits);
  cr_assert_eq(s.computes, 4);
  cr_assert_eq(s.compute_failures, 1);
  cr_assert_eq(gauge(m, "core_cache_entries"), (double)s.entries);
  cr_assert_eq(gauge(m, "core_cache_bytes"), (double)s.bytes);

  /* Gauges follow entries held: put two, then remove one, then clear. */
  value_fill(v, 16, 1);
  core_key_t a = key_of(1), b = key_of(2);
  OK(core_cache_put(c, &a, v, 16, NULL, 0));
  OK(core_cache_put(c, &b, v, 4, NULL, 0));
  s = stats_of(c);
  cr_assert_eq(gauge(m, "core_cache_entries"), (double)s.entries);
  cr_assert_eq(gauge(m, "core_cache_bytes"), (double)s.bytes);
  OK(core_cache_remove(c, &a));
  cr_assert_eq(gauge(m, "core_cache_entries"), 1.0);
  cr_assert_eq(gauge(m, "core_cache_bytes"), (double)core_cache_entry_bytes(4));
  OK(core_cache_clear(c));
  cr_assert_eq(gauge(m, "core_cache_entries"), 0.0);
  cr_assert_eq(gauge(m, "core_cache_bytes"), 0.0);

  /* The compute timer saw the 4 callbacks. */
  core_metric_id_t tid;
  core_metric_kind kind;
  OK(core_metrics_find(m, "core_cache_compute", &tid, &kind));
  cr_assert_eq(kind, CORE_METRIC_TIMER);
  core_timer_stats_t ts;
  ts.struct_size = sizeof ts;
  OK(core_metrics_timer_stats(m, tid, &ts));
  cr_assert_eq(ts.count, 4);

  /* stats_reset leaves the published counters monotonic. */
  const uint64_t hits = counter(m, "core_cache_hits");
  OK(core_cache_stats_reset(c));
  cr_assert_eq(counter(m, "core_cache_hits"), hits);
  core_cache_destroy(c);
  core_metrics_destroy(m);
}

Test(cache_metrics, prometheus_series_names) {
  core_metrics_t *m = registry(64);
  core_cache_options_t o = cache_opts(16, 0);
  o.metrics = m;
  o.metrics_prefix = "asr.encoder-cache";
  core_cache_t *c = cache_make_opts(&o);
  put_value(c, 1, 8);
  char *text = export_prom(m);
  const char *want[] = {
      "asr_encoder_cache_hits_total 0",      "asr_encoder_cache_misses_total 0",
      "asr_encoder_cache_inserts_total 1",   "asr_encoder_cache_evictions_total 0",
      "asr_encoder_cache_expirations_total", "asr_encoder_cache_computes_total",
      "asr_encoder_cache_compute_failures_total", "asr_encoder_cache_compute_waits_total",
      "# TYPE asr_encoder_cache_entries gauge", "asr_encoder_cache_entries 1",
      "# TYPE asr_encoder_cache_bytes gauge", "# TYPE asr_encoder_cache_compute_seconds histogram",
      "asr_encoder_cache_compute_seconds_count 0", "# TYPE asr_encoder_cache_hits_total counter"};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; ++i)
    cr_expect(strstr(text, want[i]) != NULL, "missing \"%s\" in:\n%s", want[i], text);
  free(text);
  core_cache_destroy(c);
  core_metrics_destroy(m);
}

Test(cache_metrics, v1_struct_size_is_accepted_and_publishes_nothing) {
  core_metrics_t *m = registry(64);
  core_cache_options_t o = cache_opts(16, 0);
  o.struct_size = CORE_CACHE_OPTIONS_V1_SIZE; /* a caller built against the old header */
  o.metrics = m; /* beyond its layout: must not be read */
  o.metrics_prefix = "ignored";
  core_cache_t *c = cache_make_opts(&o);
  put_value(c, 1, 8);
  cr_assert_eq(core_metrics_count(m), 0);
  core_cache_destroy(c);

  /* Exactly the old layout, in a buffer that ends there. */
  core_cache_options_t full = cache_opts(16, 0);
  unsigned char *old = malloc(CORE_CACHE_OPTIONS_V1_SIZE);
  memcpy(old, &full, CORE_CACHE_OPTIONS_V1_SIZE);
  size_t v1 = CORE_CACHE_OPTIONS_V1_SIZE;
  memcpy(old, &v1, sizeof v1);
  c = NULL;
  OK(core_cache_create((const core_cache_options_t *)old, &c));
  cr_assert_not_null(c);
  core_cache_destroy(c);
  free(old);

  /* Sizes that are no layout. */
  o = cache_opts(16, 0);
  o.struct_size = CORE_CACHE_OPTIONS_V1_SIZE + 1;
  c = NULL;
  ERR(CORE_E_INVALID_ARGUMENT, "core_cache_create", core_cache_create(&o, &c));
  cr_assert_null(c);
  o.struct_size = sizeof(core_cache_options_t) + 8;
  ERR(CORE_E_UNSUPPORTED, "core_cache_create", core_cache_create(&o, &c));
  cr_assert_null(c);
  core_metrics_destroy(m);
}

Test(cache_metrics, taken_prefix_fails_create_cleanly) {
  core_metrics_t *m = registry(64);
  core_cache_options_t o = cache_opts(16, 0);
  o.metrics = m;
  core_cache_t *c1 = cache_make_opts(&o);
  const size_t count = core_metrics_count(m);
  core_cache_t *c2 = NULL;
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_create", "core_cache_hits",
         core_cache_create(&o, &c2));
  cr_assert_null(c2);
  cr_assert_eq(core_metrics_count(m), count);

  /* A collision through sanitizing, with one metric in the middle of the
   * set: nothing of the set is registered. */
  core_metric_id_t id;
  OK(core_metrics_gauge(m, "svc_inserts_total", NULL, NULL, 0, &id));
  o.metrics_prefix = "svc";
  ERR(CORE_E_INVALID_ARGUMENT, "core_cache_create", core_cache_create(&o, &c2));
  cr_assert_null(c2);
  cr_assert_eq(core_metrics_count(m), count + 1);
  cr_assert_eq(core_metrics_find(m, "svc_hits", &id, NULL), CORE_E_NOT_FOUND);

  /* A prefix that makes the names too long. */
  char longp[CORE_METRICS_MAX_NAME];
  memset(longp, 'a', sizeof longp - 1);
  longp[sizeof longp - 1] = '\0';
  o.metrics_prefix = longp;
  ERR(CORE_E_INVALID_ARGUMENT, "core_cache_create", core_cache_create(&o, &c2));
  cr_assert_null(c2);
  cr_assert_eq(core_metrics_count(m), count + 1);

  /* Another prefix works; the first cache still publishes. */
  o.metrics_prefix = "second";
  c2 = cache_make_opts(&o);
  put_value(c1, 1, 8);
  cr_assert_eq(counter(m, "core_cache_inserts"), 1);
  cr_assert_eq(counter(m, "second_inserts"), 0);
  core_cache_destroy(c2);
  core_cache_destroy(c1);
  core_metrics_destroy(m);
}

Test(cache_metrics, full_registry_fails_create_cleanly) {
  core_metrics_t *m = registry(12);
  core_metric_id_t id;
  OK(core_metrics_counter(m, "other", NULL, NULL, 0, &id));
  OK(core_metrics_counter(m, "other2", NULL, NULL, 0, &id));
  core_cache_options_t o = cache_opts(16, 0);
  o.metrics = m;
  core_cache_t *c = NULL;
  ERR(CORE_E_FULL, "core_cache_create", core_cache_create(&o, &c));
  cr_assert_null(c);
  cr_assert_eq(core_metrics_count(m), 2);
  core_metrics_destroy(m);
}
