/* Metrics in the fallback table. A registry is shared state inside
 * libcore.so with no portable copy: options_init fills its struct, the
 * clock (core_now_ns, core_metrics_start) works since a C program may time
 * things either way, create returns CORE_E_UNAVAILABLE with a message so
 * no registry or snapshot exists, every call on one refuses the same way,
 * the counts answer 0 and the destroys do nothing. */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "libcore/loader/fallback_util.h"

uint64_t core_fb_now_ns(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return 0;
  return (uint64_t)ts.tv_sec * UINT64_C(1000000000) + (uint64_t)ts.tv_nsec;
}

uint64_t core_fb_metrics_start(void) { return core_fb_now_ns(); }

core_status core_fb_metrics_options_init(core_metrics_options_t *opts) {
  static const char *const fb_fn = "core_metrics_options_init";
  FB_REQUIRE_OUT(opts);
  memset(opts, 0, sizeof *opts);
  opts->struct_size = sizeof *opts;
  opts->lowest_ns = 1;
  opts->highest_ns = UINT64_C(3600000000000);
  opts->significant_digits = 2;
  opts->max_metrics = 1024;
  return CORE_OK;
}

void core_fb_metrics_destroy(core_metrics_t *m) { (void)m; }
void core_fb_metrics_snapshot_destroy(core_metrics_snapshot_t *s) { (void)s; }
size_t core_fb_metrics_count(const core_metrics_t *m) {
  (void)m;
  return 0;
}
size_t core_fb_metrics_snapshot_count(const core_metrics_snapshot_t *s) {
  (void)s;
  return 0;
}

core_status core_fb_metrics_create(const core_metrics_options_t *opts, core_metrics_t **out) {
  (void)opts;
  if (out != NULL) *out = NULL;
  FB_UNAVAILABLE("core_metrics_create", "metrics");
}

#define FB_METRICS_STUB(name, ...)                    \
  core_status core_fb_metrics_##name(__VA_ARGS__) {   \
    FB_UNAVAILABLE("core_metrics_" #name, "metrics"); \
  }

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#endif
FB_METRICS_STUB(timer, core_metrics_t *m, const char *name, const char *help,
                const core_metric_label_t *labels, size_t nlabels, core_metric_id_t *id)
FB_METRICS_STUB(counter, core_metrics_t *m, const char *name, const char *help,
                const core_metric_label_t *labels, size_t nlabels, core_metric_id_t *id)
FB_METRICS_STUB(gauge, core_metrics_t *m, const char *name, const char *help,
                const core_metric_label_t *labels, size_t nlabels, core_metric_id_t *id)
FB_METRICS_STUB(record_ns, core_metrics_t *m, core_metric_id_t id, int64_t ns)
FB_METRICS_STUB(stop, core_metrics_t *m, core_metric_id_t id, uint64_t start_ns)
FB_METRICS_STUB(counter_add, core_metrics_t *m, core_metric_id_t id, uint64_t delta)
FB_METRICS_STUB(gauge_set, core_metrics_t *m, core_metric_id_t id, double value)
FB_METRICS_STUB(gauge_add, core_metrics_t *m, core_metric_id_t id, double delta)
FB_METRICS_STUB(find, const core_metrics_t *m, const char *name, core_metric_id_t *id,
                core_metric_kind *kind)
FB_METRICS_STUB(counter_get, const core_metrics_t *m, core_metric_id_t id, uint64_t *value)
FB_METRICS_STUB(gauge_get, const core_metrics_t *m, core_metric_id_t id, double *value)
FB_METRICS_STUB(timer_stats, const core_metrics_t *m, core_metric_id_t id,
                core_timer_stats_t *out)
FB_METRICS_STUB(percentile, const core_metrics_t *m, core_metric_id_t id, double q,
                uint64_t *value_ns)
FB_METRICS_STUB(snapshot, core_metrics_t *m, core_metrics_snapshot_t **out)
FB_METRICS_STUB(snapshot_and_reset, core_metrics_t *m, core_metrics_snapshot_t **out)
FB_METRICS_STUB(snapshot_find, const core_metrics_snapshot_t *s, const char *name,
                core_metric_id_t *id, core_metric_kind *kind)
FB_METRICS_STUB(snapshot_counter, const core_metrics_snapshot_t *s, core_metric_id_t id,
                uint64_t *value)
FB_METRICS_STUB(snapshot_gauge, const core_metrics_snapshot_t *s, core_metric_id_t id,
                double *value)
FB_METRICS_STUB(snapshot_timer_stats, const core_metrics_snapshot_t *s, core_metric_id_t id,
                core_timer_stats_t *out)
FB_METRICS_STUB(snapshot_percentile, const core_metrics_snapshot_t *s, core_metric_id_t id,
                double q, uint64_t *value_ns)
FB_METRICS_STUB(snapshot_merge, core_metrics_snapshot_t *dst,
                const core_metrics_snapshot_t *src)
FB_METRICS_STUB(merge_snapshot, core_metrics_t *dst, const core_metrics_snapshot_t *src)
FB_METRICS_STUB(merge, core_metrics_t *dst, core_metrics_t *src)
FB_METRICS_STUB(export, core_metrics_t *m, core_metrics_format format, unsigned flags,
                char *buf, size_t cap, size_t *needed)
FB_METRICS_STUB(snapshot_export, const core_metrics_snapshot_t *s, core_metrics_format format,
                unsigned flags, char *buf, size_t cap, size_t *needed)
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
