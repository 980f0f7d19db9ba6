/* Helpers shared by the metrics suites (test_metrics*.c) and the suites of
 * what publishes into a registry (test_ring_metrics.c, test_cache_metrics.c,
 * which also include their own util header; the status checks of both come
 * from test_status.h). Test code only. */
#ifndef CORE_TEST_METRICS_UTIL_H
#define CORE_TEST_METRICS_UTIL_H

#include <criterion/criterion.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <core/core.h>

#include "test_status.h"
#include "testutil.h"

static inline core_metrics_t *metrics_make(void) {
  core_metrics_t *m = NULL;
  OK(core_metrics_create(NULL, &m));
  cr_assert_not_null(m);
  return m;
}

static inline core_metric_id_t timer_of(core_metrics_t *m, const char *name) {
  core_metric_id_t id = 9999;
  OK(core_metrics_timer(m, name, NULL, NULL, 0, &id));
  return id;
}

static inline core_timer_stats_t tstats(core_metrics_t *m, core_metric_id_t id) {
  core_timer_stats_t s;
  memset(&s, 0, sizeof s);
  s.struct_size = sizeof s;
  OK(core_metrics_timer_stats(m, id, &s));
  return s;
}

/* The export as a malloc'ed string (needed-size protocol checked). */
static inline char *export_str(core_metrics_t *m, core_metrics_format f, unsigned flags) {
  size_t need = 0;
  core_status st = core_metrics_export(m, f, flags, NULL, 0, &need);
  cr_assert_eq(st, CORE_E_BUFFER_TOO_SMALL, "size query -> %s", core_status_str(st));
  cr_assert_gt(need, 1);
  char *buf = malloc(need);
  size_t need2 = 0;
  OK(core_metrics_export(m, f, flags, buf, need, &need2));
  cr_assert_eq(need2, need);
  cr_assert_eq(strlen(buf) + 1, need);
  return buf;
}

/* A registry with room for max_metrics metrics. */
static inline core_metrics_t *registry(size_t max_metrics) {
  core_metrics_options_t mo;
  OK(core_metrics_options_init(&mo));
  mo.max_metrics = max_metrics;
  core_metrics_t *m = NULL;
  OK(core_metrics_create(&mo, &m));
  return m;
}

/* The value of the counter called name (asserted to be a counter). */
static inline uint64_t counter(core_metrics_t *m, const char *name) {
  core_metric_id_t id;
  core_metric_kind kind;
  OK(core_metrics_find(m, name, &id, &kind));
  cr_assert_eq(kind, CORE_METRIC_COUNTER, "%s", name);
  uint64_t v = 0;
  OK(core_metrics_counter_get(m, id, &v));
  return v;
}

/* The value of the gauge called name (asserted to be a gauge). */
static inline double gauge(core_metrics_t *m, const char *name) {
  core_metric_id_t id;
  core_metric_kind kind;
  OK(core_metrics_find(m, name, &id, &kind));
  cr_assert_eq(kind, CORE_METRIC_GAUGE, "%s", name);
  double v = 0;
  OK(core_metrics_gauge_get(m, id, &v));
  return v;
}

#endif
