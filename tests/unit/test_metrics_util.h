/* Helpers shared by the metrics suites (test_metrics*.c). Test code only. */
#ifndef CORE_TEST_METRICS_UTIL_H
#define CORE_TEST_METRICS_UTIL_H

#include <criterion/criterion.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <core/core.h>

#include "testutil.h"

/* Exact status plus a message naming fn. Expect, not assert. */
#define ERR(want, fn, call)                                                               \
  do {                                                                                    \
    core_status st_ = (call);                                                             \
    cr_expect_eq(st_, (want), "%s -> %s, want %s (%s)", #call, core_status_str(st_),      \
                 core_status_str(want), core_last_error_message());                       \
    cr_expect(tu_message_has(fn), "%s: message \"%s\" should name %s", #call,             \
              core_last_error_message(), fn);                                             \
  } while (0)
#define ERRMSG(want, fn, needle, call)                                                     \
  do {                                                                                     \
    ERR(want, fn, call);                                                                   \
    cr_expect(tu_message_has(needle), "%s: message \"%s\" should say \"%s\"", #call,       \
              core_last_error_message(), needle);                                          \
  } while (0)
#define OK(call)                                                                          \
  do {                                                                                    \
    core_status st_ = (call);                                                             \
    cr_assert_eq(st_, CORE_OK, "%s -> %s (%s)", #call, core_status_str(st_),              \
                 core_last_error_message());                                              \
  } while (0)

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

#endif
