/* Out-of-memory scenarios of metrics.h: create, registration of each kind
 * (with labels, default help, a second series of a family), snapshots
 * (plain and with reset), the three merges, export in every format from a
 * registry and from a snapshot; the timer queries (a per-thread buffer,
 * grown once); and the recording calls, documented lock-free and
 * allocation-free. Registration and merges are documented to leave the
 * registry unchanged on error ("*id is unchanged on error", "dst is
 * unchanged on error"), snapshot_and_reset must not lose the values it
 * resets when the snapshot cannot be made. */
#include <stdio.h>
#include <string.h>

#include "oom.h"

typedef struct metrics_ctx {
  core_metrics_t *m, *other;
  core_metrics_snapshot_t *snap, *snap2;
  core_metric_id_t timer, counter, gauge, id;
  int out_written;
  core_metrics_format format;
  unsigned flags;
  char buf[32768];
} metrics_ctx;

/* A registry with a labelled timer family, a counter and a gauge, all
 * holding values. */
static core_metrics_t *populated(metrics_ctx *x, const char *prefix) {
  core_metrics_t *m;
  OOM_OK(core_metrics_create(NULL, &m));
  char name[64];
  const core_metric_label_t labels[2] = {{"stage", "encode"}, {"model", "tiny"}};
  snprintf(name, sizeof name, "%s.latency", prefix);
  OOM_OK(core_metrics_timer(m, name, "Latency of a stage", labels, 2, &x->timer));
  snprintf(name, sizeof name, "%s.requests", prefix);
  OOM_OK(core_metrics_counter(m, name, NULL, NULL, 0, &x->counter));
  snprintf(name, sizeof name, "%s.queue_depth", prefix);
  OOM_OK(core_metrics_gauge(m, name, "Items waiting", NULL, 0, &x->gauge));
  for (int i = 1; i <= 200; ++i) OOM_OK(core_metrics_record_ns(m, x->timer, i * 1237));
  OOM_OK(core_metrics_counter_add(m, x->counter, 42));
  OOM_OK(core_metrics_gauge_set(m, x->gauge, 3.5));
  return m;
}

/* A registry's or snapshot's content, as JSON (exported un-injected). */
static void json_of(core_metrics_t *m, core_metrics_snapshot_t *s, oom_fp *fp, const char *label) {
  static char text[32768];
  size_t needed = 0;
  if (m) OOM_OK(core_metrics_export(m, CORE_METRICS_JSON, 0, text, sizeof text, &needed));
  else OOM_OK(core_metrics_snapshot_export(s, CORE_METRICS_JSON, 0, text, sizeof text, &needed));
  fp_add(fp, "%s_count=%zu ", label, m ? core_metrics_count(m) : core_metrics_snapshot_count(s));
  fp_hash(fp, label, text, needed);
}

static void teardown(void *c) {
  metrics_ctx *x = c;
  core_metrics_snapshot_destroy(x->snap);
  core_metrics_snapshot_destroy(x->snap2);
  core_metrics_destroy(x->m);
  core_metrics_destroy(x->other);
}

/* ---- create ---- */

static void setup_nothing(void *c) { (void)c; }

static core_status op_create(void *c) {
  metrics_ctx *x = c;
  core_metrics_options_t o;
  static const double buckets[4] = {1e-5, 1e-4, 1e-3, 1e-2};
  OOM_OK(core_metrics_options_init(&o));
  o.prom_buckets = buckets;
  o.prom_bucket_count = 4;
  o.max_metrics = 16;
  core_metrics_t *out = OOM_SENTINEL;
  const core_status st = core_metrics_create(&o, &out);
  if (st == CORE_OK) x->m = out;
  else x->out_written = out != OOM_SENTINEL;
  return st;
}

static void result_create(void *c, oom_fp *fp) {
  metrics_ctx *x = c;
  core_metric_id_t id;
  OOM_OK(core_metrics_timer(x->m, "t", NULL, NULL, 0, &id));
  OOM_OK(core_metrics_record_ns(x->m, id, 5000));
  size_t needed = 0;
  OOM_OK(core_metrics_export(x->m, CORE_METRICS_PROMETHEUS, 0, x->buf, sizeof x->buf, &needed));
  fp_hash(fp, "prom", x->buf, needed);
}

static void state_out(void *c, oom_fp *fp) {
  metrics_ctx *x = c;
  fp_add(fp, "out_written=%d", x->out_written);
}

/* ---- registration ---- */

static void setup_registry(void *c) {
  metrics_ctx *x = c;
  x->m = populated(x, "app");
  x->id = 0xdead;
}

static core_status op_timer(void *c) {
  metrics_ctx *x = c;
  const core_metric_label_t labels[3] = {{"route", "/v1/asr"}, {"code", "200"}, {"zone", "b"}};
  return core_metrics_timer(x->m, "http.request_duration", "Request \"duration\"\\n", labels, 3,
                            &x->id);
}
static core_status op_counter(void *c) {
  metrics_ctx *x = c;
  return core_metrics_counter(x->m, "jobs.done", NULL, NULL, 0, &x->id);
}
static core_status op_gauge(void *c) {
  metrics_ctx *x = c;
  return core_metrics_gauge(x->m, "7pool.size", "Pool size", NULL, 0, &x->id);
}
/* A second series of the existing family app.latency (other labels). */
static core_status op_series(void *c) {
  metrics_ctx *x = c;
  const core_metric_label_t labels[2] = {{"stage", "decode"}, {"model", "tiny"}};
  return core_metrics_timer(x->m, "app.latency", NULL, labels, 2, &x->id);
}

/* The registry, and that the new id works. */
static void result_registered(void *c, oom_fp *fp) {
  metrics_ctx *x = c;
  fp_add(fp, "id=%u ", x->id);
  json_of(x->m, NULL, fp, "registry");
}

static void state_registry(void *c, oom_fp *fp) {
  metrics_ctx *x = c;
  fp_add(fp, "id=%u ", x->id);
  json_of(x->m, NULL, fp, "registry");
}

/* ---- snapshots ---- */

static core_status op_snapshot(void *c) {
  metrics_ctx *x = c;
  core_metrics_snapshot_t *out = OOM_SENTINEL;
  const core_status st = core_metrics_snapshot(x->m, &out);
  if (st == CORE_OK) x->snap = out;
  else x->out_written = out != OOM_SENTINEL;
  return st;
}

static core_status op_snapshot_reset(void *c) {
  metrics_ctx *x = c;
  core_metrics_snapshot_t *out = OOM_SENTINEL;
  const core_status st = core_metrics_snapshot_and_reset(x->m, &out);
  if (st == CORE_OK) x->snap = out;
  else x->out_written = out != OOM_SENTINEL;
  return st;
}

static void result_snapshot(void *c, oom_fp *fp) {
  metrics_ctx *x = c;
  json_of(NULL, x->snap, fp, "snapshot");
  json_of(x->m, NULL, fp, "registry");
}

static void state_snapshot(void *c, oom_fp *fp) {
  metrics_ctx *x = c;
  fp_add(fp, "out_written=%d ", x->out_written);
  json_of(x->m, NULL, fp, "registry");
}

/* ---- merges: dst has app.*, src has app.* (the same metrics) and job.* ---- */

static void setup_merge(void *c) {
  metrics_ctx *x = c;
  metrics_ctx tmp;
  x->m = populated(x, "app");
  x->other = populated(&tmp, "app");
  core_metric_id_t id;
  OOM_OK(core_metrics_timer(x->other, "job.wait", NULL, NULL, 0, &id));
  OOM_OK(core_metrics_record_ns(x->other, id, 777777));
  OOM_OK(core_metrics_counter(x->other, "job.failures", NULL, NULL, 0, &id));
  OOM_OK(core_metrics_counter_add(x->other, id, 3));
  OOM_OK(core_metrics_snapshot(x->m, &x->snap));
  OOM_OK(core_metrics_snapshot(x->other, &x->snap2));
}

static core_status op_snapshot_merge(void *c) {
  metrics_ctx *x = c;
  return core_metrics_snapshot_merge(x->snap, x->snap2);
}
static core_status op_merge_snapshot(void *c) {
  metrics_ctx *x = c;
  return core_metrics_merge_snapshot(x->m, x->snap2);
}
static core_status op_merge(void *c) {
  metrics_ctx *x = c;
  return core_metrics_merge(x->m, x->other);
}

static void result_merged_snapshot(void *c, oom_fp *fp) {
  metrics_ctx *x = c;
  json_of(NULL, x->snap, fp, "dst");
}
static void result_merged_registry(void *c, oom_fp *fp) {
  metrics_ctx *x = c;
  json_of(x->m, NULL, fp, "dst");
}

/* ---- export ---- */

static void setup_export(void *c, core_metrics_format f, unsigned flags) {
  metrics_ctx *x = c;
  x->m = populated(x, "app");
  x->format = f;
  x->flags = flags;
}
static void setup_prom(void *c) { setup_export(c, CORE_METRICS_PROMETHEUS, 0); }
static void setup_summary(void *c) {
  setup_export(c, CORE_METRICS_PROMETHEUS, CORE_METRICS_EXPORT_SUMMARY);
}
static void setup_json(void *c) { setup_export(c, CORE_METRICS_JSON, 0); }
static void setup_table(void *c) { setup_export(c, CORE_METRICS_TABLE, 0); }
static void setup_snapshot_export(void *c) {
  metrics_ctx *x = c;
  setup_export(c, CORE_METRICS_PROMETHEUS, 0);
  OOM_OK(core_metrics_snapshot(x->m, &x->snap));
}

static core_status op_export(void *c) {
  metrics_ctx *x = c;
  size_t needed = 0;
  /* The size query first (cap 0), as a caller does, then the text. */
  core_status st = core_metrics_export(x->m, x->format, x->flags, NULL, 0, &needed);
  if (st != CORE_E_BUFFER_TOO_SMALL) return st == CORE_OK ? CORE_E_INTERNAL : st;
  if (needed > sizeof x->buf) return CORE_E_INTERNAL;
  return core_metrics_export(x->m, x->format, x->flags, x->buf, sizeof x->buf, &needed);
}

static core_status op_snapshot_export(void *c) {
  metrics_ctx *x = c;
  size_t needed = 0;
  core_status st =
      core_metrics_snapshot_export(x->snap, x->format, x->flags, NULL, 0, &needed);
  if (st != CORE_E_BUFFER_TOO_SMALL) return st == CORE_OK ? CORE_E_INTERNAL : st;
  return core_metrics_snapshot_export(x->snap, x->format, x->flags, x->buf, sizeof x->buf,
                                      &needed);
}

static void result_export(void *c, oom_fp *fp) {
  metrics_ctx *x = c;
  fp_hash(fp, "text", x->buf, strlen(x->buf));
}

/* ---- timer queries: a per-thread copy buffer, made once per thread ---- */

static core_status op_timer_queries(void *c) {
  metrics_ctx *x = c;
  core_timer_stats_t st;
  st.struct_size = sizeof st;
  uint64_t p99 = 0;
  core_status s = core_metrics_timer_stats(x->m, x->timer, &st);
  if (s != CORE_OK) return s;
  return core_metrics_percentile(x->m, x->timer, 0.99, &p99);
}

static void result_timer_queries(void *c, oom_fp *fp) {
  metrics_ctx *x = c;
  core_timer_stats_t st;
  st.struct_size = sizeof st;
  OOM_OK(core_metrics_timer_stats(x->m, x->timer, &st));
  fp_add(fp, "count=%llu sum=%llu", (unsigned long long)st.count,
         (unsigned long long)st.sum_ns);
}

/* ---- recording: lock-free, no allocation (metrics.h convention 1) ---- */

static core_status op_record(void *c) {
  metrics_ctx *x = c;
  core_status st;
  uint64_t v = 0;
  double g = 0;
  for (int i = 0; i < 1000; ++i)
    if ((st = core_metrics_record_ns(x->m, x->timer, i * 31 - 5)) != CORE_OK) return st;
  if ((st = core_metrics_stop(x->m, x->timer, core_metrics_start())) != CORE_OK) return st;
  if ((st = core_metrics_counter_add(x->m, x->counter, 5)) != CORE_OK) return st;
  if ((st = core_metrics_gauge_add(x->m, x->gauge, -1.25)) != CORE_OK) return st;
  if ((st = core_metrics_counter_get(x->m, x->counter, &v)) != CORE_OK) return st;
  return core_metrics_gauge_get(x->m, x->gauge, &g);
}

static void result_record(void *c, oom_fp *fp) {
  metrics_ctx *x = c;
  uint64_t v = 0;
  double g = 0;
  OOM_OK(core_metrics_counter_get(x->m, x->counter, &v));
  OOM_OK(core_metrics_gauge_get(x->m, x->gauge, &g));
  fp_add(fp, "counter=%llu gauge=%g", (unsigned long long)v, g);
}

#define REGISTER(nm, f, o)                                                                \
  {.name = nm, .fn = f, .expect = OOM_SOME, .flags = OOM_UNCHANGED, .setup = setup_registry, \
   .op = o, .result = result_registered, .state = state_registry, .teardown = teardown}
#define MERGE(nm, f, o, r)                                                               \
  {.name = nm, .fn = f, .expect = OOM_SOME, .flags = OOM_UNCHANGED, .setup = setup_merge, \
   .op = o, .result = r, .state = r, .teardown = teardown}
#define EXPORT(nm, f, s, o)                                                                 \
  {.name = nm, .fn = f, .expect = OOM_SOME, .setup = s, .op = o, .result = result_export, \
   .teardown = teardown}

static const oom_scenario kMetrics[] = {
    {.name = "metrics_create", .fn = "core_metrics_create", .expect = OOM_SOME,
     .flags = OOM_UNCHANGED, .setup = setup_nothing, .op = op_create, .result = result_create,
     .state = state_out, .teardown = teardown},
    REGISTER("metrics_timer_labels", "core_metrics_timer", op_timer),
    REGISTER("metrics_timer_series", "core_metrics_timer", op_series),
    REGISTER("metrics_counter", "core_metrics_counter", op_counter),
    REGISTER("metrics_gauge", "core_metrics_gauge", op_gauge),
    {.name = "metrics_snapshot", .fn = "core_metrics_snapshot", .expect = OOM_SOME,
     .flags = OOM_UNCHANGED, .setup = setup_registry, .op = op_snapshot,
     .result = result_snapshot, .state = state_snapshot, .teardown = teardown},
    {.name = "metrics_snapshot_and_reset", .fn = "core_metrics_snapshot_and_reset",
     .expect = OOM_SOME, .flags = OOM_UNCHANGED, .setup = setup_registry,
     .op = op_snapshot_reset, .result = result_snapshot, .state = state_snapshot,
     .teardown = teardown},
    MERGE("metrics_snapshot_merge", "core_metrics_snapshot_merge", op_snapshot_merge,
          result_merged_snapshot),
    MERGE("metrics_merge_snapshot", "core_metrics_merge_snapshot", op_merge_snapshot,
          result_merged_registry),
    MERGE("metrics_merge", "core_metrics_merge", op_merge, result_merged_registry),
    EXPORT("metrics_export_prometheus", "core_metrics_export", setup_prom, op_export),
    EXPORT("metrics_export_summary", "core_metrics_export", setup_summary, op_export),
    EXPORT("metrics_export_json", "core_metrics_export", setup_json, op_export),
    EXPORT("metrics_export_table", "core_metrics_export", setup_table, op_export),
    EXPORT("metrics_snapshot_export", "core_metrics_snapshot_export", setup_snapshot_export,
           op_snapshot_export),
    {.name = "metrics_timer_stats_percentile", .fn = "core_metrics_timer_stats",
     .also = {"core_metrics_percentile"}, .expect = OOM_ANY, .setup = setup_registry,
     .op = op_timer_queries, .result = result_timer_queries, .teardown = teardown},
    {.name = "metrics_record", .fn = "core_metrics_record_ns",
     .also = {"core_metrics_counter_add", "core_metrics_gauge_add", "core_metrics_stop"},
     .expect = OOM_NONE, .setup = setup_registry, .op = op_record, .result = result_record,
     .teardown = teardown},
};

const oom_module oom_metrics_module = {"metrics", kMetrics, sizeof kMetrics / sizeof kMetrics[0]};
