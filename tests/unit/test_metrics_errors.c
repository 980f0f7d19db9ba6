/* Unit tests for metrics.h bad input: NULL everything, unknown ids and ids
 * of another kind, bad options, bad q, negative-looking counter deltas,
 * non-finite gauges, too-small export buffers, registry full. Each error is
 * checked for its status and a message naming the function. */
#include <math.h>

#include "test_metrics_util.h"

Test(metrics_errors, null_registry_everywhere) {
  core_metric_id_t id = 0;
  uint64_t u;
  double d;
  size_t need;
  char buf[8];
  core_timer_stats_t s = {.struct_size = sizeof s};
  core_metrics_snapshot_t *snap = NULL;
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_create", "out is NULL",
         core_metrics_create(NULL, NULL));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_options_init", core_metrics_options_init(NULL));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_timer", "m is NULL",
         core_metrics_timer(NULL, "x", NULL, NULL, 0, &id));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_counter",
      core_metrics_counter(NULL, "x", NULL, NULL, 0, &id));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_gauge",
      core_metrics_gauge(NULL, "x", NULL, NULL, 0, &id));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_record_ns", "m is NULL",
         core_metrics_record_ns(NULL, 0, 1));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_stop", core_metrics_stop(NULL, 0, 0));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_counter_add", core_metrics_counter_add(NULL, 0, 1));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_gauge_set", core_metrics_gauge_set(NULL, 0, 1));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_gauge_add", core_metrics_gauge_add(NULL, 0, 1));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_counter_get", core_metrics_counter_get(NULL, 0, &u));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_gauge_get", core_metrics_gauge_get(NULL, 0, &d));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_timer_stats", core_metrics_timer_stats(NULL, 0, &s));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_percentile",
      core_metrics_percentile(NULL, 0, 0.5, &u));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_find", core_metrics_find(NULL, "x", &id, NULL));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_snapshot", core_metrics_snapshot(NULL, &snap));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_snapshot_and_reset",
      core_metrics_snapshot_and_reset(NULL, &snap));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_export",
      core_metrics_export(NULL, CORE_METRICS_JSON, 0, buf, sizeof buf, &need));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_merge", core_metrics_merge(NULL, NULL));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_merge_snapshot",
      core_metrics_merge_snapshot(NULL, NULL));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_snapshot_merge", "dst is NULL",
         core_metrics_snapshot_merge(NULL, NULL));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_snapshot_timer_stats",
      core_metrics_snapshot_timer_stats(NULL, 0, &s));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_snapshot_percentile",
      core_metrics_snapshot_percentile(NULL, 0, 0.5, &u));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_snapshot_counter",
      core_metrics_snapshot_counter(NULL, 0, &u));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_snapshot_gauge",
      core_metrics_snapshot_gauge(NULL, 0, &d));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_snapshot_find",
      core_metrics_snapshot_find(NULL, "x", &id, NULL));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_snapshot_export",
      core_metrics_snapshot_export(NULL, CORE_METRICS_JSON, 0, buf, sizeof buf, &need));
  cr_expect_eq(core_metrics_count(NULL), 0);
  cr_expect_eq(core_metrics_snapshot_count(NULL), 0);
  core_metrics_destroy(NULL);
  core_metrics_snapshot_destroy(NULL);
}

Test(metrics_errors, null_arguments) {
  core_metrics_t *m = metrics_make();
  core_metric_id_t t = timer_of(m, "t");
  uint64_t u = 5;
  double d;
  core_metric_id_t id = 77;
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_timer", "name is NULL",
         core_metrics_timer(m, NULL, NULL, NULL, 0, &id));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_timer", "id is NULL",
         core_metrics_timer(m, "u", NULL, NULL, 0, NULL));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_percentile", "value_ns is NULL",
         core_metrics_percentile(m, t, 0.5, NULL));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_timer_stats", "out is NULL",
         core_metrics_timer_stats(m, t, NULL));
  core_timer_stats_t small = {.struct_size = 8};
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_timer_stats", "struct_size",
         core_metrics_timer_stats(m, t, &small));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_find", core_metrics_find(m, NULL, &id, NULL));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_find", core_metrics_find(m, "t", NULL, NULL));
  ERRMSG(CORE_E_NOT_FOUND, "core_metrics_find", "nope", core_metrics_find(m, "nope", &id, NULL));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_counter_get", core_metrics_counter_get(m, t, NULL));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_gauge_get", core_metrics_gauge_get(m, t, NULL));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_snapshot", "out is NULL",
         core_metrics_snapshot(m, NULL));
  cr_expect_eq(id, 77);
  cr_expect_eq(u, 5);
  (void)d;
  core_metrics_destroy(m);
}

Test(metrics_errors, unknown_and_wrong_kind_ids) {
  core_metrics_t *m = metrics_make();
  core_metric_id_t t = timer_of(m, "t"), c, g;
  OK(core_metrics_counter(m, "c", NULL, NULL, 0, &c));
  OK(core_metrics_gauge(m, "g", NULL, NULL, 0, &g));
  uint64_t u;
  double d;
  core_timer_stats_t s = {.struct_size = sizeof s};
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_record_ns", "unknown id 3",
         core_metrics_record_ns(m, 3, 1));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_record_ns", "is a counter, not a timer",
         core_metrics_record_ns(m, c, 1));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_stop", "unknown id",
         core_metrics_stop(m, UINT32_MAX, 0));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_counter_add", "is a timer",
         core_metrics_counter_add(m, t, 1));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_gauge_set", "is a counter",
         core_metrics_gauge_set(m, c, 1));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_gauge_add", core_metrics_gauge_add(m, 99, 1));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_counter_get", core_metrics_counter_get(m, g, &u));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_gauge_get", core_metrics_gauge_get(m, c, &d));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_timer_stats", core_metrics_timer_stats(m, g, &s));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_percentile",
      core_metrics_percentile(m, 42, 0.5, &u));
  core_metrics_snapshot_t *sn;
  OK(core_metrics_snapshot(m, &sn));
  cr_expect_eq(core_metrics_snapshot_count(sn), 3);
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_snapshot_counter", "unknown id",
         core_metrics_snapshot_counter(sn, 9, &u));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_snapshot_gauge", "another kind",
         core_metrics_snapshot_gauge(sn, t, &d));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_snapshot_timer_stats",
      core_metrics_snapshot_timer_stats(sn, c, &s));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_snapshot_percentile",
      core_metrics_snapshot_percentile(sn, g, 0.5, &u));
  ERR(CORE_E_EMPTY, "core_metrics_snapshot_percentile",
      core_metrics_snapshot_percentile(sn, t, 0.5, &u));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_snapshot_merge", "same snapshot",
         core_metrics_snapshot_merge(sn, sn));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_merge", "same registry",
         core_metrics_merge(m, m));
  core_metrics_snapshot_destroy(sn);
  core_metrics_destroy(m);
}

Test(metrics_errors, bad_values) {
  core_metrics_t *m = metrics_make();
  core_metric_id_t t = timer_of(m, "t"), c, g;
  OK(core_metrics_counter(m, "c", NULL, NULL, 0, &c));
  OK(core_metrics_gauge(m, "g", NULL, NULL, 0, &g));
  OK(core_metrics_record_ns(m, t, 10));
  uint64_t u = 3;
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_counter_add", "counters only go up",
         core_metrics_counter_add(m, c, (uint64_t)-1));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_counter_add",
      core_metrics_counter_add(m, c, UINT64_C(1) << 63));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_gauge_set", "not finite",
         core_metrics_gauge_set(m, g, NAN));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_gauge_add", core_metrics_gauge_add(m, g, INFINITY));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_percentile", "q must be in [0, 1]",
         core_metrics_percentile(m, t, -0.1, &u));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_percentile", core_metrics_percentile(m, t, 1.5, &u));
  ERR(CORE_E_INVALID_ARGUMENT, "core_metrics_percentile", core_metrics_percentile(m, t, NAN, &u));
  cr_expect_eq(u, 3);
  uint64_t cv;
  double gv;
  OK(core_metrics_counter_get(m, c, &cv));
  OK(core_metrics_gauge_get(m, g, &gv));
  cr_expect_eq(cv, 0);
  cr_expect_eq(gv, 0.0);
  core_metrics_destroy(m);
}

Test(metrics_errors, bad_options) {
  core_metrics_options_t o;
  core_metrics_t *m = NULL;
#define BAD(field_stmt, needle)                                                           \
  do {                                                                                    \
    OK(core_metrics_options_init(&o));                                                    \
    field_stmt;                                                                           \
    ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_create", needle, core_metrics_create(&o, &m)); \
    cr_expect_null(m);                                                                    \
  } while (0)
  BAD(o.struct_size = 4, "struct_size");
  BAD(o.lowest_ns = 0, "lowest_ns");
  BAD(o.highest_ns = 1, "highest_ns");
  BAD(o.highest_ns = UINT64_MAX, "2^62");
  BAD(o.significant_digits = 0, "significant_digits");
  BAD(o.significant_digits = 6, "significant_digits");
  BAD(o.max_metrics = 0, "max_metrics");
  BAD(o.prom_bucket_count = 3, "prom_buckets is NULL");
  static const double dec[] = {0.1, 0.01};
  static const double neg[] = {-1.0};
  static const double nan1[] = {NAN};
  BAD((o.prom_buckets = dec, o.prom_bucket_count = 2), "not above");
  BAD((o.prom_buckets = neg, o.prom_bucket_count = 1), "not finite");
  BAD((o.prom_buckets = nan1, o.prom_bucket_count = 1), "not finite");
  OK(core_metrics_options_init(&o));
  o.struct_size += 8;
  ERR(CORE_E_UNSUPPORTED, "core_metrics_create", core_metrics_create(&o, &m));
  cr_expect_null(m);
}

Test(metrics_errors, export_buffers) {
  core_metrics_t *m = metrics_make();
  core_metric_id_t t = timer_of(m, "t");
  OK(core_metrics_record_ns(m, t, 1000));
  char buf[4096];
  size_t need = 0;
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_export", "needed is NULL",
         core_metrics_export(m, CORE_METRICS_PROMETHEUS, 0, buf, sizeof buf, NULL));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_export", "buf is NULL",
         core_metrics_export(m, CORE_METRICS_PROMETHEUS, 0, NULL, 10, &need));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_export", "format",
         core_metrics_export(m, (core_metrics_format)7, 0, buf, sizeof buf, &need));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_metrics_export", "flags",
         core_metrics_export(m, CORE_METRICS_PROMETHEUS, 4, buf, sizeof buf, &need));
  for (int f = 0; f < 3; ++f) {
    memset(buf, 'Z', sizeof buf);
    need = 0;
    ERRMSG(CORE_E_BUFFER_TOO_SMALL, "core_metrics_export", "needs",
           core_metrics_export(m, (core_metrics_format)f, 0, buf, 10, &need));
    cr_expect_gt(need, 10);
    cr_expect_eq(buf[0], 'Z', "nothing written on BUFFER_TOO_SMALL");
    size_t need2 = 0;
    ERR(CORE_E_BUFFER_TOO_SMALL, "core_metrics_export",
        core_metrics_export(m, (core_metrics_format)f, 0, buf, need - 1, &need2));
    cr_expect_eq(need2, need);
    OK(core_metrics_export(m, (core_metrics_format)f, 0, buf, need, &need2));
    cr_expect_eq(strlen(buf) + 1, need);
  }
  core_metrics_snapshot_t *s;
  OK(core_metrics_snapshot(m, &s));
  ERR(CORE_E_BUFFER_TOO_SMALL, "core_metrics_snapshot_export",
      core_metrics_snapshot_export(s, CORE_METRICS_JSON, 0, NULL, 0, &need));
  core_metrics_snapshot_destroy(s);
  core_metrics_destroy(m);
}

Test(metrics_errors, registry_full) {
  core_metrics_options_t o;
  OK(core_metrics_options_init(&o));
  o.max_metrics = 2;
  core_metrics_t *m = NULL, *other = metrics_make();
  OK(core_metrics_create(&o, &m));
  core_metric_id_t a, b, c = 77;
  OK(core_metrics_timer(m, "a", NULL, NULL, 0, &a));
  OK(core_metrics_counter(m, "b", NULL, NULL, 0, &b));
  ERRMSG(CORE_E_FULL, "core_metrics_gauge", "max_metrics",
         core_metrics_gauge(m, "c", NULL, NULL, 0, &c));
  cr_expect_eq(c, 77);
  OK(core_metrics_gauge(other, "c", NULL, NULL, 0, &c));
  ERRMSG(CORE_E_FULL, "core_metrics_merge", "max_metrics", core_metrics_merge(m, other));
  cr_expect_eq(core_metrics_count(m), 2);
  core_metrics_destroy(m);
  core_metrics_destroy(other);
}
