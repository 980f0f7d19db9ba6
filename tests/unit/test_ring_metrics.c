/* Unit tests for a ring publishing into a metrics registry: appended and
 * dropped counters and the fill and capacity gauges after a scripted
 * workload, the first (shorter) options layout, a taken prefix and a full
 * registry failing create cleanly, and the Prometheus series names. */
#include "test_ring_util.h"
#include "test_metrics_util.h"

static core_ring_t *ring_pub(size_t cap, core_ring_policy policy, core_metrics_t *m,
                             const char *prefix) {
  core_ring_options_t o;
  OK(core_ring_options_init(&o));
  o.capacity = cap;
  o.policy = policy;
  o.metrics = m;
  o.metrics_prefix = prefix;
  core_ring_t *r = NULL;
  OK(core_ring_create(&o, &r));
  return r;
}

Test(ring_metrics, options_init_defaults) {
  core_ring_options_t o;
  OK(core_ring_options_init(&o));
  cr_assert_eq(o.struct_size, sizeof(core_ring_options_t));
  cr_assert_null(o.metrics);
  cr_assert_null(o.metrics_prefix);
  cr_assert_lt(CORE_RING_OPTIONS_V1_SIZE, sizeof(core_ring_options_t));
}

Test(ring_metrics, overwrite_counts_match_dropped) {
  core_metrics_t *m = registry(16);
  core_ring_t *r = ring_pub(100, CORE_RING_OVERWRITE, m, NULL);
  cr_assert_eq(gauge(m, "core_ring_capacity"), 100.0);
  float x[300], out[64];
  seq_fill(x, 0, 300);
  uint64_t appended = 0;
  size_t got = 0;
  for (int i = 0; i < 10; ++i) {
    OK(core_ring_append_f32(r, x, 37));
    appended += 37;
    OK(core_ring_append_f32(r, x, 3));
    appended += 3;
    if (i % 3 == 0) OK(core_ring_pop(r, out, 20, &got));
  }
  OK(core_ring_append_f32(r, x, 300)); /* more than capacity at once */
  appended += 300;
  int16_t pcm[50] = {0};
  OK(core_ring_append_i16(r, pcm, 50));
  appended += 50;
  cr_assert_gt(core_ring_dropped(r), 0);
  cr_assert_eq(counter(m, "core_ring_appended"), appended);
  cr_assert_eq(counter(m, "core_ring_dropped"), core_ring_dropped(r));
  cr_assert_eq(gauge(m, "core_ring_fill"), (double)core_ring_size(r));
  cr_assert_eq(gauge(m, "core_ring_fill"), 100.0);
  /* The gauge is as of the last append: a pop does not move it. */
  OK(core_ring_pop(r, out, 60, &got));
  cr_assert_eq(gauge(m, "core_ring_fill"), 100.0);
  OK(core_ring_append_f32(r, x, 10));
  cr_assert_eq(gauge(m, "core_ring_fill"), (double)core_ring_size(r));
  core_ring_destroy(r);
  core_metrics_destroy(m);
}

Test(ring_metrics, reject_counts_successful_appends_only) {
  core_metrics_t *m = registry(16);
  core_ring_t *r = ring_pub(64, CORE_RING_REJECT, m, "mic");
  float x[64], out[64];
  seq_fill(x, 0, 64);
  OK(core_ring_append_f32(r, x, 40));
  cr_assert_eq(core_ring_append_f32(r, x, 40), CORE_E_FULL);
  cr_assert_eq(core_ring_append_f32(r, x, 65), CORE_E_FULL);
  OK(core_ring_append_f32(r, x, 24));
  cr_assert_eq(gauge(m, "mic_fill"), 64.0);
  size_t got = 0;
  OK(core_ring_pop(r, out, 50, &got));
  OK(core_ring_append_f32(r, x, 10));
  cr_assert_eq(counter(m, "mic_appended"), 74);
  cr_assert_eq(counter(m, "mic_dropped"), 0);
  cr_assert_eq(gauge(m, "mic_fill"), (double)core_ring_size(r));
  cr_assert_eq(gauge(m, "mic_fill"), 24.0);
  core_ring_destroy(r);
  core_metrics_destroy(m);
}

Test(ring_metrics, prometheus_series_names) {
  core_metrics_t *m = registry(16);
  core_ring_t *r = ring_pub(32, CORE_RING_OVERWRITE, m, "asr.mic-ring");
  float x[40] = {0};
  OK(core_ring_append_f32(r, x, 40));
  size_t need = 0;
  core_status st = core_metrics_export(m, CORE_METRICS_PROMETHEUS, 0, NULL, 0, &need);
  cr_assert(st == CORE_E_BUFFER_TOO_SMALL || st == CORE_OK);
  char *text = malloc(need);
  OK(core_metrics_export(m, CORE_METRICS_PROMETHEUS, 0, text, need, &need));
  const char *want[] = {"# TYPE asr_mic_ring_appended_total counter",
                        "asr_mic_ring_appended_total 40",
                        "# TYPE asr_mic_ring_dropped_total counter",
                        "asr_mic_ring_dropped_total 8",
                        "# TYPE asr_mic_ring_fill gauge",
                        "asr_mic_ring_fill 32",
                        "# TYPE asr_mic_ring_capacity gauge",
                        "asr_mic_ring_capacity 32"};
  for (size_t i = 0; i < COUNT(want); ++i)
    cr_expect(strstr(text, want[i]) != NULL, "missing \"%s\" in:\n%s", want[i], text);
  free(text);
  core_ring_destroy(r);
  core_metrics_destroy(m);
}

Test(ring_metrics, v1_struct_size_is_accepted_and_publishes_nothing) {
  core_metrics_t *m = registry(16);
  core_ring_options_t o;
  OK(core_ring_options_init(&o));
  o.capacity = 16;
  o.struct_size = CORE_RING_OPTIONS_V1_SIZE;
  o.metrics = m; /* beyond the caller's layout: must not be read */
  core_ring_t *r = NULL;
  OK(core_ring_create(&o, &r));
  float x[4] = {0};
  OK(core_ring_append_f32(r, x, 4));
  cr_assert_eq(core_metrics_count(m), 0);
  core_ring_destroy(r);

  /* Exactly the old layout, in a buffer that ends there. */
  unsigned char *old = malloc(CORE_RING_OPTIONS_V1_SIZE);
  memcpy(old, &o, CORE_RING_OPTIONS_V1_SIZE);
  r = NULL;
  OK(core_ring_create((const core_ring_options_t *)old, &r));
  cr_assert_not_null(r);
  core_ring_destroy(r);
  free(old);

  o.struct_size = CORE_RING_OPTIONS_V1_SIZE + 4;
  r = NULL;
  ERR(CORE_E_INVALID_ARGUMENT, "core_ring_create", core_ring_create(&o, &r));
  cr_assert_null(r);
  o.struct_size = sizeof(core_ring_options_t) + 8;
  ERR(CORE_E_UNSUPPORTED, "core_ring_create", core_ring_create(&o, &r));
  cr_assert_null(r);
  core_metrics_destroy(m);
}

Test(ring_metrics, taken_prefix_or_full_registry_fails_create_cleanly) {
  core_metrics_t *m = registry(6);
  core_ring_t *r1 = ring_pub(16, CORE_RING_REJECT, m, NULL);
  cr_assert_eq(core_metrics_count(m), 4);
  core_ring_options_t o;
  OK(core_ring_options_init(&o));
  o.capacity = 16;
  o.metrics = m;
  core_ring_t *r2 = NULL;
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_ring_create", "core_ring_appended",
         core_ring_create(&o, &r2));
  cr_assert_null(r2);
  cr_assert_eq(core_metrics_count(m), 4);
  o.metrics_prefix = "other"; /* 4 more do not fit in 6 */
  ERR(CORE_E_FULL, "core_ring_create", core_ring_create(&o, &r2));
  cr_assert_null(r2);
  cr_assert_eq(core_metrics_count(m), 4);
  /* The first ring still publishes. */
  float x[4] = {0};
  OK(core_ring_append_f32(r1, x, 4));
  cr_assert_eq(counter(m, "core_ring_appended"), 4);
  core_ring_destroy(r1);
  core_metrics_destroy(m);
}
