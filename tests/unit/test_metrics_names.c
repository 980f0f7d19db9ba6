/* Unit tests for metrics.h names and export: sanitizing, collisions,
 * labels and their escaping, Prometheus / JSON / table content. */
#include "test_metrics_util.h"

Test(metrics_names, sanitized_exported_names) {
  core_metrics_t *m = metrics_make();
  core_metric_id_t t, c, g;
  OK(core_metrics_timer(m, "lid.encoder_forward", NULL, NULL, 0, &t));
  OK(core_metrics_counter(m, "cache hits", NULL, NULL, 0, &c));
  OK(core_metrics_gauge(m, "9lives-left", NULL, NULL, 0, &g));
  core_metric_id_t t2, c2;
  OK(core_metrics_timer(m, "already_seconds", NULL, NULL, 0, &t2));
  OK(core_metrics_counter(m, "bytes_total", NULL, NULL, 0, &c2));
  char *p = export_str(m, CORE_METRICS_PROMETHEUS, 0);
  cr_expect(strstr(p, "# TYPE lid_encoder_forward_seconds histogram\n") != NULL, "%s", p);
  cr_expect(strstr(p, "# TYPE cache_hits_total counter\n") != NULL, "%s", p);
  cr_expect(strstr(p, "# TYPE _9lives_left gauge\n") != NULL, "%s", p);
  cr_expect(strstr(p, "# TYPE already_seconds histogram\n") != NULL, "%s", p);
  cr_expect(strstr(p, "# TYPE bytes_total counter\n") != NULL, "%s", p);
  cr_expect(strstr(p, "# HELP lid_encoder_forward_seconds Timer lid.encoder_forward\n") != NULL);
  free(p);
  core_metrics_destroy(m);
}

Test(metrics_names, empty_after_sanitizing_refused) {
  core_metrics_t *m = metrics_make();
  core_metric_id_t id = 77;
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_timer", "sanitizes",
         core_metrics_timer(m, "...", NULL, NULL, 0, &id));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_counter", "sanitizes",
         core_metrics_counter(m, "-- --", NULL, NULL, 0, &id));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_gauge", "empty",
         core_metrics_gauge(m, "", NULL, NULL, 0, &id));
  char longname[CORE_METRICS_MAX_NAME + 2];
  memset(longname, 'a', sizeof longname - 1);
  longname[sizeof longname - 1] = '\0';
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_gauge", "long",
         core_metrics_gauge(m, longname, NULL, NULL, 0, &id));
  cr_expect_eq(id, 77);
  cr_expect_eq(core_metrics_count(m), 0);
  core_metrics_destroy(m);
}

Test(metrics_names, collisions_are_errors) {
  core_metrics_t *m = metrics_make();
  core_metric_id_t a, b = 77;
  OK(core_metrics_timer(m, "vad.buffer_append", NULL, NULL, 0, &a));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_timer", "vad.buffer_append",
         core_metrics_timer(m, "vad_buffer_append", NULL, NULL, 0, &b));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_gauge", "collides",
         core_metrics_gauge(m, "vad_buffer_append_seconds_count", NULL, NULL, 0, &b));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_counter", "already registered as a timer",
         core_metrics_counter(m, "vad.buffer_append", NULL, NULL, 0, &b));
  core_metric_id_t c1, c2;
  OK(core_metrics_counter(m, "x", NULL, NULL, 0, &c1));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_counter", "collides",
         core_metrics_counter(m, "x_total", NULL, NULL, 0, &c2));
  cr_expect_eq(b, 77);
  /* same name, kind, labels: the same id */
  OK(core_metrics_timer(m, "vad.buffer_append", "other help", NULL, 0, &b));
  cr_expect_eq(b, a);
  cr_expect_eq(core_metrics_count(m), 2);
  core_metrics_destroy(m);
}

Test(metrics_names, labels_and_escaping) {
  core_metrics_t *m = metrics_make();
  core_metric_label_t l1[] = {{"model", "tiny\"en\\x\ny"}, {"stage", "enc"}};
  core_metric_label_t l2[] = {{"model", "base"}, {"stage", "enc"}};
  core_metric_id_t a, b, a2;
  OK(core_metrics_counter(m, "decodes", "Decodes\nper \\model", l1, 2, &a));
  OK(core_metrics_counter(m, "decodes", NULL, l2, 2, &b));
  cr_expect_neq(a, b);
  OK(core_metrics_counter(m, "decodes", NULL, l1, 2, &a2));
  cr_expect_eq(a2, a);
  OK(core_metrics_counter_add(m, a, 1));
  OK(core_metrics_counter_add(m, b, 2));
  char *p = export_str(m, CORE_METRICS_PROMETHEUS, 0);
  cr_expect(strstr(p, "# HELP decodes_total Decodes\\nper \\\\model\n") != NULL, "%s", p);
  cr_expect(strstr(p, "decodes_total{model=\"tiny\\\"en\\\\x\\ny\",stage=\"enc\"} 1\n") != NULL,
            "%s", p);
  cr_expect(strstr(p, "decodes_total{model=\"base\",stage=\"enc\"} 2\n") != NULL, "%s", p);
  /* one HELP/TYPE for the family */
  cr_expect(strstr(strstr(p, "# TYPE") + 1, "# TYPE") == NULL, "%s", p);
  free(p);
  char *j = export_str(m, CORE_METRICS_JSON, 0);
  cr_expect(strstr(j, "\"model\":\"tiny\\\"en\\\\x\\ny\"") != NULL, "%s", j);
  free(j);
  core_metrics_destroy(m);
}

Test(metrics_names, bad_labels) {
  core_metrics_t *m = metrics_make();
  core_metric_id_t id;
  core_metric_label_t bad_name[] = {{"1x", "v"}};
  core_metric_label_t reserved[] = {{"__x", "v"}};
  core_metric_label_t le[] = {{"le", "v"}};
  core_metric_label_t dup[] = {{"a", "1"}, {"a", "2"}};
  core_metric_label_t nulls[] = {{NULL, "v"}};
  core_metric_label_t nullv[] = {{"a", NULL}};
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_timer", "not a label name",
         core_metrics_timer(m, "t", NULL, bad_name, 1, &id));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_timer", "__",
         core_metrics_timer(m, "t", NULL, reserved, 1, &id));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_timer", "reserved",
         core_metrics_timer(m, "t", NULL, le, 1, &id));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_timer", "twice",
         core_metrics_timer(m, "t", NULL, dup, 2, &id));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_timer", "name is NULL",
         core_metrics_timer(m, "t", NULL, nulls, 1, &id));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_timer", "value is NULL",
         core_metrics_timer(m, "t", NULL, nullv, 1, &id));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_timer", "labels is NULL",
         core_metrics_timer(m, "t", NULL, NULL, 1, &id));
  core_metric_label_t many[CORE_METRICS_MAX_LABELS + 1];
  for (int i = 0; i <= CORE_METRICS_MAX_LABELS; ++i) many[i] = (core_metric_label_t){"a", "b"};
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_timer", "labels",
         core_metrics_timer(m, "t", NULL, many, CORE_METRICS_MAX_LABELS + 1, &id));
  cr_expect_eq(core_metrics_count(m), 0);
  core_metrics_destroy(m);
}

Test(metrics_names, prometheus_histogram_series) {
  core_metrics_t *m = metrics_make();
  core_metric_id_t t = timer_of(m, "stage");
  OK(core_metrics_record_ns(m, t, 1000));        /* 1 us: le=1e-06 */
  OK(core_metrics_record_ns(m, t, 3000000));     /* 3 ms: le=0.005 */
  OK(core_metrics_record_ns(m, t, 200000000000)); /* 200 s: only +Inf */
  char *p = export_str(m, CORE_METRICS_PROMETHEUS, 0);
  cr_expect(strstr(p, "stage_seconds_bucket{le=\"1e-06\"} 1\n") != NULL, "%s", p);
  cr_expect(strstr(p, "stage_seconds_bucket{le=\"0.0025\"} 1\n") != NULL, "%s", p);
  cr_expect(strstr(p, "stage_seconds_bucket{le=\"0.005\"} 2\n") != NULL, "%s", p);
  cr_expect(strstr(p, "stage_seconds_bucket{le=\"100\"} 2\n") != NULL, "%s", p);
  cr_expect(strstr(p, "stage_seconds_bucket{le=\"+Inf\"} 3\n") != NULL, "%s", p);
  cr_expect(strstr(p, "stage_seconds_sum 200.003001\n") != NULL, "%s", p);
  cr_expect(strstr(p, "stage_seconds_count 3\n") != NULL, "%s", p);
  free(p);
  char *s = export_str(m, CORE_METRICS_PROMETHEUS, CORE_METRICS_EXPORT_SUMMARY);
  cr_expect(strstr(s, "# TYPE stage_seconds summary\n") != NULL, "%s", s);
  cr_expect(strstr(s, "stage_seconds{quantile=\"0.5\"} 0.003") != NULL, "%s", s);
  cr_expect(strstr(s, "_bucket") == NULL, "%s", s);
  free(s);
  char *tb = export_str(m, CORE_METRICS_TABLE, 0);
  cr_expect(strstr(tb, "p95") != NULL && strstr(tb, "stage") != NULL, "%s", tb);
  free(tb);
  core_metrics_destroy(m);
}

Test(metrics_names, custom_prom_buckets) {
  core_metrics_options_t o;
  OK(core_metrics_options_init(&o));
  const double b[] = {0.001, 0.01};
  o.prom_buckets = b;
  o.prom_bucket_count = 2;
  core_metrics_t *m = NULL;
  OK(core_metrics_create(&o, &m));
  core_metric_id_t t = timer_of(m, "x");
  OK(core_metrics_record_ns(m, t, 5000000));
  char *p = export_str(m, CORE_METRICS_PROMETHEUS, 0);
  cr_expect(strstr(p, "x_seconds_bucket{le=\"0.001\"} 0\nx_seconds_bucket{le=\"0.01\"} 1\n"
                      "x_seconds_bucket{le=\"+Inf\"} 1\n") != NULL, "%s", p);
  free(p);
  core_metrics_destroy(m);
}
