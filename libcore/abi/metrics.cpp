// extern "C" entry points of metrics.h: argument checks and messages, then
// the module (libcore/metrics/). Module failures come back as a status plus
// an Error detail, which is turned into the thread-local message here. The
// recording calls check only what they must (a NULL or dead registry, an id
// that is not a metric of the right kind) and are otherwise straight-line.
#include <core/metrics.h>

#include <cmath>
#include <cstring>
#include <string>

#include "libcore/abi/guard.h"
#include "libcore/metrics/metrics.h"

namespace {

using core::metrics::Error;
using core::metrics::Metric;
using core::metrics::Registry;
using core::metrics::Snapshot;

Registry *unwrap(core_metrics_t *m) noexcept { return reinterpret_cast<Registry *>(m); }
const Registry *unwrap(const core_metrics_t *m) noexcept {
  return reinterpret_cast<const Registry *>(m);
}
Snapshot *unwrap(core_metrics_snapshot_t *s) noexcept { return reinterpret_cast<Snapshot *>(s); }
const Snapshot *unwrap(const core_metrics_snapshot_t *s) noexcept {
  return reinterpret_cast<const Snapshot *>(s);
}

constexpr std::size_t kOptionsV1 = sizeof(core_metrics_options_t);
constexpr std::size_t kStatsV1 = sizeof(core_timer_stats_t);

core_status report(const char *fn, const Error &err) {
  return core::abi::fail(err.status, fn, "%s", err.message);
}

const char *kind_name(core_metric_kind k) {
  return k == CORE_METRIC_TIMER ? "timer" : k == CORE_METRIC_COUNTER ? "counter" : "gauge";
}

// The failure for id not being a `kind` of a registry or snapshot with n metrics.
core_status bad_id(const char *fn, core_metric_id_t id, std::size_t n, core_metric_kind kind,
                   int actual) {
  if (id >= n)
    return core::abi::fail(CORE_E_INVALID_ARGUMENT, fn,
                           "unknown id %u: only %zu metrics are registered", id, n);
  return core::abi::fail(CORE_E_INVALID_ARGUMENT, fn, "id %u is a %s, not a %s", id,
                         kind_name(static_cast<core_metric_kind>(actual)), kind_name(kind));
}

core_status registry_bad_id(const char *fn, const Registry &r, core_metric_id_t id,
                            core_metric_kind kind) {
  const std::uint32_t n = r.n.load(std::memory_order_acquire);
  return bad_id(fn, id, n, kind, id < n ? r.slots[id]->desc.kind : 0);
}

std::uint64_t bits(double v) {
  std::uint64_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}
double from_bits(std::uint64_t b) {
  double v;
  std::memcpy(&v, &b, sizeof v);
  return v;
}

core_status write_text(const char *fn, const std::string &text, char *buf, std::size_t cap,
                       std::size_t *needed) {
  *needed = text.size() + 1;
  if (cap < text.size() + 1)
    return core::abi::fail(CORE_E_BUFFER_TOO_SMALL, fn,
                           "the text needs %zu bytes with its NUL but cap = %zu (*needed holds "
                           "the size)",
                           text.size() + 1, cap);
  std::memcpy(buf, text.c_str(), text.size() + 1);
  return CORE_OK;
}

core_status export_to(const char *fn, const Snapshot &s, core_metrics_format format,
                      unsigned flags, char *buf, std::size_t cap, std::size_t *needed) {
  std::string text;
  if (format == CORE_METRICS_PROMETHEUS) core::metrics::export_prometheus(s, flags, &text);
  else if (format == CORE_METRICS_JSON) core::metrics::export_json(s, &text);
  else core::metrics::export_table(s, &text);
  return write_text(fn, text, buf, cap, needed);
}

}  // namespace

#define CORE_REQUIRE_METRICS(mp)                                                         \
  CORE_REQUIRE((mp) != nullptr, "m is NULL");                                            \
  CORE_REQUIRE(unwrap(mp)->magic == core::metrics::kMagic,                               \
               "m is not a live core_metrics_t (already destroyed?)");                   \
  auto &r = *unwrap(mp)

#define CORE_REQUIRE_SNAPSHOT(sp, var)                                                   \
  CORE_REQUIRE((sp) != nullptr, #sp " is NULL");                                          \
  CORE_REQUIRE(unwrap(sp)->magic == core::metrics::kSnapMagic,                           \
               #sp " is not a live core_metrics_snapshot_t (already destroyed?)");        \
  auto &var = *unwrap(sp)

#define CORE_REQUIRE_EXPORT(format, flags, buf, cap, needed)                             \
  CORE_REQUIRE_OUT(needed);                                                              \
  CORE_REQUIRE_ARRAY(buf, cap);                                                          \
  CORE_REQUIRE((format) == CORE_METRICS_PROMETHEUS || (format) == CORE_METRICS_JSON ||   \
                   (format) == CORE_METRICS_TABLE,                                       \
               "format must be CORE_METRICS_PROMETHEUS (0), _JSON (1) or _TABLE (2), got %d", \
               (int)(format));                                                           \
  CORE_REQUIRE(((flags) & ~CORE_METRICS_EXPORT_SUMMARY) == 0,                            \
               "flags must be 0 or CORE_METRICS_EXPORT_SUMMARY, got 0x%x", (flags));

#define CORE_REQUIRE_Q(q)                                                                \
  CORE_REQUIRE((q) >= 0.0 && (q) <= 1.0, "q must be in [0, 1], got %g", (q))

CORE_API uint64_t core_now_ns(void) { return core::metrics::now_ns(); }
CORE_API uint64_t core_metrics_start(void) { return core::metrics::now_ns(); }

CORE_API core_status core_metrics_options_init(core_metrics_options_t *opts) {
  CORE_ABI_BEGIN("core_metrics_options_init")
  CORE_REQUIRE_OUT(opts);
  *opts = core_metrics_options_t{};
  opts->struct_size = kOptionsV1;
  opts->lowest_ns = 1;
  opts->highest_ns = UINT64_C(3600000000000);
  opts->significant_digits = 2;
  opts->max_metrics = 1024;
  opts->prom_buckets = nullptr;
  opts->prom_bucket_count = 0;
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_metrics_create(const core_metrics_options_t *opts,
                                         core_metrics_t **out) {
  CORE_ABI_BEGIN("core_metrics_create")
  CORE_REQUIRE_OUT(out);
  core_metrics_options_t o;
  if (opts == nullptr) {
    if (core_metrics_options_init(&o) != CORE_OK) return CORE_E_INTERNAL;
    opts = &o;
  }
  CORE_REQUIRE(opts->struct_size >= kOptionsV1,
               "opts->struct_size is %zu, smaller than any core_metrics_options_t layout (%zu); "
               "fill the options with core_metrics_options_init",
               opts->struct_size, kOptionsV1);
  CORE_CHECK(opts->struct_size == kOptionsV1, CORE_E_UNSUPPORTED,
             "opts->struct_size is %zu: options from a newer libcore than this one (%s, "
             "layout %zu)",
             opts->struct_size, core_version(), kOptionsV1);
  CORE_REQUIRE(opts->lowest_ns >= 1, "lowest_ns must be >= 1, got 0");
  CORE_REQUIRE(opts->highest_ns <= (UINT64_C(1) << 62),
               "highest_ns = %llu is above 2^62", (unsigned long long)opts->highest_ns);
  // Compared without computing 2 * lowest_ns: for lowest_ns >= 2^63 that
  // wraps, and such a registry passed and then looped forever building
  // its layout (found by tests/fuzz/fuzz_options, regression
  // fuzz_options-metrics-lowest-2p63-hang).
  CORE_REQUIRE(opts->lowest_ns <= opts->highest_ns / 2,
               "highest_ns = %llu must be >= 2 * lowest_ns (lowest_ns = %llu)",
               (unsigned long long)opts->highest_ns, (unsigned long long)opts->lowest_ns);
  CORE_REQUIRE(opts->significant_digits >= 1 && opts->significant_digits <= 5,
               "significant_digits must be in 1 .. 5, got %d", opts->significant_digits);
  {
    // HdrHistogram's limit: floor(log2(lowest)) + the half-bucket
    // magnitude must stay <= 61, or the layout's shifts leave 64 bits.
    // lowest_ns = 2^61 with highest_ns = 2^62 looped forever in
    // Layout::make and indexed its histogram out of bounds (found by
    // tests/fuzz/fuzz_options, regression fuzz_options-metrics-lowest-2p61-hang).
    std::uint64_t single = 2;
    for (int i = 0; i < opts->significant_digits; ++i) single *= 10;
    int sub_mag = 0;
    while ((std::uint64_t{1} << sub_mag) < single) ++sub_mag;
    const int unit_mag = 63 - __builtin_clzll(opts->lowest_ns);
    CORE_REQUIRE(unit_mag + sub_mag - 1 <= 61,
                 "lowest_ns = %llu is too large for %d significant digits (below 2^%d "
                 "needed: the histogram's sub-buckets must fit in 64 bits)",
                 (unsigned long long)opts->lowest_ns, opts->significant_digits,
                 62 - sub_mag + 1);
  }
  CORE_REQUIRE(opts->max_metrics >= 1 && opts->max_metrics <= 65536,
               "max_metrics must be in 1 .. 65536, got %zu", opts->max_metrics);
  CORE_REQUIRE_ARRAY(opts->prom_buckets, opts->prom_bucket_count);
  CORE_REQUIRE(opts->prom_bucket_count <= CORE_METRICS_MAX_PROM_BUCKETS,
               "prom_bucket_count = %zu is more than %d", opts->prom_bucket_count,
               CORE_METRICS_MAX_PROM_BUCKETS);
  for (size_t i = 0; i < opts->prom_bucket_count; ++i) {
    const double b = opts->prom_buckets[i];
    CORE_REQUIRE(std::isfinite(b) && b > 0, "prom_buckets[%zu] = %g is not finite and > 0", i,
                 b);
    CORE_REQUIRE(i == 0 || b > opts->prom_buckets[i - 1],
                 "prom_buckets[%zu] = %g is not above prom_buckets[%zu] = %g", i, b, i - 1,
                 opts->prom_buckets[i - 1]);
  }
  *out = reinterpret_cast<core_metrics_t *>(core::metrics::create(*opts));
  return CORE_OK;
  CORE_ABI_END
}

CORE_API void core_metrics_destroy(core_metrics_t *m) {
  Registry *r = unwrap(m);
  if (r == nullptr || r->magic != core::metrics::kMagic) return;
  delete r;
}

static core_status register_kind(const char *fn, core_metrics_t *m, core_metric_kind kind,
                                 const char *name, const char *help,
                                 const core_metric_label_t *labels, size_t nlabels,
                                 core_metric_id_t *id) {
#define FAIL_IF(cond, ...) \
  if (cond) return core::abi::fail(CORE_E_INVALID_ARGUMENT, fn, __VA_ARGS__)
  FAIL_IF(m == nullptr, "m is NULL");
  FAIL_IF(unwrap(m)->magic != core::metrics::kMagic,
          "m is not a live core_metrics_t (already destroyed?)");
  FAIL_IF(name == nullptr, "name is NULL");
  FAIL_IF(id == nullptr, "id is NULL");
  FAIL_IF(labels == nullptr && nlabels != 0, "labels is NULL but nlabels is %zu", nlabels);
#undef FAIL_IF
  Error err;
  core::metrics::Desc d;
  if (core::metrics::make_desc(kind, name, help, labels, nlabels, &d, &err) != CORE_OK)
    return report(fn, err);
  if (core::metrics::register_metric(*unwrap(m), std::move(d), id, &err) != CORE_OK)
    return report(fn, err);
  return CORE_OK;
}

CORE_API core_status core_metrics_timer(core_metrics_t *m, const char *name, const char *help,
                                        const core_metric_label_t *labels, size_t nlabels,
                                        core_metric_id_t *id) {
  CORE_ENTRY(core_metrics_timer, register_kind(core_abi_fn_, m, CORE_METRIC_TIMER, name, help,
                                               labels, nlabels, id))
}
CORE_API core_status core_metrics_counter(core_metrics_t *m, const char *name,
                                          const char *help, const core_metric_label_t *labels,
                                          size_t nlabels, core_metric_id_t *id) {
  CORE_ENTRY(core_metrics_counter, register_kind(core_abi_fn_, m, CORE_METRIC_COUNTER, name,
                                                 help, labels, nlabels, id))
}
CORE_API core_status core_metrics_gauge(core_metrics_t *m, const char *name, const char *help,
                                        const core_metric_label_t *labels, size_t nlabels,
                                        core_metric_id_t *id) {
  CORE_ENTRY(core_metrics_gauge, register_kind(core_abi_fn_, m, CORE_METRIC_GAUGE, name, help,
                                               labels, nlabels, id))
}

CORE_API size_t core_metrics_count(const core_metrics_t *m) {
  const Registry *r = unwrap(m);
  return r != nullptr && r->magic == core::metrics::kMagic
             ? r->n.load(std::memory_order_acquire)
             : 0;
}

// ---- recording ------------------------------------------------------------------

CORE_API core_status core_metrics_record_ns(core_metrics_t *m, core_metric_id_t id, int64_t ns) {
  Registry *r = unwrap(m);
  Metric *t;
  if (__builtin_expect(r != nullptr && r->magic == core::metrics::kMagic &&
                           (t = r->get(id, CORE_METRIC_TIMER)) != nullptr,
                       1)) {
    core::metrics::record(r->layout, *t->hist, ns);
    return CORE_OK;
  }
  CORE_ABI_BEGIN("core_metrics_record_ns")
  CORE_REQUIRE_METRICS(m);
  return registry_bad_id(core_abi_fn_, r, id, CORE_METRIC_TIMER);
  CORE_ABI_END
}

CORE_API core_status core_metrics_stop(core_metrics_t *m, core_metric_id_t id,
                                       uint64_t start_ns) {
  Registry *r = unwrap(m);
  Metric *t;
  if (__builtin_expect(r != nullptr && r->magic == core::metrics::kMagic &&
                           (t = r->get(id, CORE_METRIC_TIMER)) != nullptr,
                       1)) {
    const std::uint64_t now = core::metrics::now_ns();
    core::metrics::record(r->layout, *t->hist, static_cast<std::int64_t>(now - start_ns));
    return CORE_OK;
  }
  CORE_ABI_BEGIN("core_metrics_stop")
  CORE_REQUIRE_METRICS(m);
  return registry_bad_id(core_abi_fn_, r, id, CORE_METRIC_TIMER);
  CORE_ABI_END
}

CORE_API core_status core_metrics_counter_add(core_metrics_t *m, core_metric_id_t id,
                                              uint64_t delta) {
  CORE_ABI_BEGIN("core_metrics_counter_add")
  CORE_REQUIRE_METRICS(m);
  Metric *c = r.get(id, CORE_METRIC_COUNTER);
  if (c == nullptr) return registry_bad_id(core_abi_fn_, r, id, CORE_METRIC_COUNTER);
  CORE_REQUIRE(delta < (UINT64_C(1) << 63),
               "delta = %llu (%lld as signed): counters only go up",
               (unsigned long long)delta, (long long)delta);
  c->value.fetch_add(delta, std::memory_order_relaxed);
  return CORE_OK;
  CORE_ABI_END
}

static core_status gauge_update(const char *core_abi_fn_, core_metrics_t *m, core_metric_id_t id,
                                double v, bool add) {
  CORE_REQUIRE_METRICS(m);
  Metric *g = r.get(id, CORE_METRIC_GAUGE);
  if (g == nullptr) return registry_bad_id(core_abi_fn_, r, id, CORE_METRIC_GAUGE);
  CORE_REQUIRE(std::isfinite(v), "%s = %g is not finite", add ? "delta" : "value", v);
  if (!add) {
    g->value.store(bits(v), std::memory_order_relaxed);
    return CORE_OK;
  }
  std::uint64_t cur = g->value.load(std::memory_order_relaxed);
  while (!g->value.compare_exchange_weak(cur, bits(from_bits(cur) + v),
                                         std::memory_order_relaxed)) {
  }
  return CORE_OK;
}

CORE_API core_status core_metrics_gauge_set(core_metrics_t *m, core_metric_id_t id,
                                            double value) {
  CORE_ENTRY(core_metrics_gauge_set, gauge_update(core_abi_fn_, m, id, value, false))
}
CORE_API core_status core_metrics_gauge_add(core_metrics_t *m, core_metric_id_t id,
                                            double delta) {
  CORE_ENTRY(core_metrics_gauge_add, gauge_update(core_abi_fn_, m, id, delta, true))
}

// ---- queries ---------------------------------------------------------------------

CORE_API core_status core_metrics_find(const core_metrics_t *m, const char *name,
                                       core_metric_id_t *id, core_metric_kind *kind) {
  CORE_ABI_BEGIN("core_metrics_find")
  CORE_REQUIRE_METRICS(m);
  CORE_REQUIRE_OUT(name);
  CORE_REQUIRE_OUT(id);
  std::lock_guard<std::mutex> lock(r.mu);
  std::size_t i;
  if (core::metrics::find(r.names, name, &i) != CORE_OK)
    return core::abi::fail(CORE_E_NOT_FOUND, core_abi_fn_, "no metric is named \"%s\"", name);
  *id = static_cast<core_metric_id_t>(i);
  if (kind) *kind = r.slots[i]->desc.kind;
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_metrics_counter_get(const core_metrics_t *m, core_metric_id_t id,
                                              uint64_t *value) {
  CORE_ABI_BEGIN("core_metrics_counter_get")
  CORE_REQUIRE_METRICS(m);
  CORE_REQUIRE_OUT(value);
  const Metric *c = r.get(id, CORE_METRIC_COUNTER);
  if (c == nullptr) return registry_bad_id(core_abi_fn_, r, id, CORE_METRIC_COUNTER);
  *value = c->value.load(std::memory_order_relaxed);
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_metrics_gauge_get(const core_metrics_t *m, core_metric_id_t id,
                                            double *value) {
  CORE_ABI_BEGIN("core_metrics_gauge_get")
  CORE_REQUIRE_METRICS(m);
  CORE_REQUIRE_OUT(value);
  const Metric *g = r.get(id, CORE_METRIC_GAUGE);
  if (g == nullptr) return registry_bad_id(core_abi_fn_, r, id, CORE_METRIC_GAUGE);
  *value = from_bits(g->value.load(std::memory_order_relaxed));
  return CORE_OK;
  CORE_ABI_END
}

// A copy of a live timer, in a per-thread buffer reused across queries.
static const core::metrics::HistData &live_copy(const Registry &r, const Metric &t) {
  static thread_local core::metrics::HistData data;
  core::metrics::copy(r.layout, *t.hist, &data, false);
  return data;
}

CORE_API core_status core_metrics_timer_stats(const core_metrics_t *m, core_metric_id_t id,
                                              core_timer_stats_t *out) {
  CORE_ABI_BEGIN("core_metrics_timer_stats")
  CORE_REQUIRE_METRICS(m);
  CORE_REQUIRE_OUT(out);
  CORE_REQUIRE(out->struct_size >= kStatsV1,
               "out->struct_size is %zu, smaller than the core_timer_stats_t layout (%zu): set "
               "it to sizeof(core_timer_stats_t)",
               out->struct_size, kStatsV1);
  const Metric *t = r.get(id, CORE_METRIC_TIMER);
  if (t == nullptr) return registry_bad_id(core_abi_fn_, r, id, CORE_METRIC_TIMER);
  core::metrics::stats(r.layout, live_copy(r, *t), out);
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_metrics_percentile(const core_metrics_t *m, core_metric_id_t id,
                                             double q, uint64_t *value_ns) {
  CORE_ABI_BEGIN("core_metrics_percentile")
  CORE_REQUIRE_METRICS(m);
  CORE_REQUIRE_OUT(value_ns);
  CORE_REQUIRE_Q(q);
  const Metric *t = r.get(id, CORE_METRIC_TIMER);
  if (t == nullptr) return registry_bad_id(core_abi_fn_, r, id, CORE_METRIC_TIMER);
  const auto &d = live_copy(r, *t);
  CORE_CHECK(d.total != 0, CORE_E_EMPTY, "timer %u (\"%s\") holds no value", id,
             t->desc.name.c_str());
  *value_ns = core::metrics::percentile(r.layout, d, q);
  return CORE_OK;
  CORE_ABI_END
}

// ---- snapshots and merges ------------------------------------------------------------

static core_status snapshot_impl(const char *core_abi_fn_, core_metrics_t *m,
                                 core_metrics_snapshot_t **out, bool reset) {
  CORE_REQUIRE_METRICS(m);
  CORE_REQUIRE_OUT(out);
  *out = reinterpret_cast<core_metrics_snapshot_t *>(core::metrics::take(r, reset));
  return CORE_OK;
}

CORE_API core_status core_metrics_snapshot(core_metrics_t *m, core_metrics_snapshot_t **out) {
  CORE_ENTRY(core_metrics_snapshot, snapshot_impl(core_abi_fn_, m, out, false))
}
CORE_API core_status core_metrics_snapshot_and_reset(core_metrics_t *m,
                                                     core_metrics_snapshot_t **out) {
  CORE_ENTRY(core_metrics_snapshot_and_reset, snapshot_impl(core_abi_fn_, m, out, true))
}

CORE_API void core_metrics_snapshot_destroy(core_metrics_snapshot_t *s) {
  Snapshot *p = unwrap(s);
  if (p == nullptr || p->magic != core::metrics::kSnapMagic) return;
  delete p;
}

CORE_API size_t core_metrics_snapshot_count(const core_metrics_snapshot_t *s) {
  const Snapshot *p = unwrap(s);
  return p != nullptr && p->magic == core::metrics::kSnapMagic ? p->metrics.size() : 0;
}

#define CORE_SNAP_METRIC(sn, id, want)                                                    \
  CORE_REQUIRE((id) < (sn).metrics.size() && (sn).metrics[id].desc.kind == (want),        \
               "%s",                                                                      \
               ((id) >= (sn).metrics.size()                                               \
                    ? "unknown id: not a metric of the snapshot"                          \
                    : "id is another kind of metric"));                                   \
  const core::metrics::SnapMetric &sm = (sn).metrics[id]

CORE_API core_status core_metrics_snapshot_find(const core_metrics_snapshot_t *s,
                                                const char *name, core_metric_id_t *id,
                                                core_metric_kind *kind) {
  CORE_ABI_BEGIN("core_metrics_snapshot_find")
  CORE_REQUIRE_SNAPSHOT(s, sn);
  CORE_REQUIRE_OUT(name);
  CORE_REQUIRE_OUT(id);
  std::size_t i;
  if (core::metrics::find(sn.names, name, &i) != CORE_OK)
    return core::abi::fail(CORE_E_NOT_FOUND, core_abi_fn_, "no metric is named \"%s\"", name);
  *id = static_cast<core_metric_id_t>(i);
  if (kind) *kind = sn.metrics[i].desc.kind;
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_metrics_snapshot_counter(const core_metrics_snapshot_t *s,
                                                   core_metric_id_t id, uint64_t *value) {
  CORE_ABI_BEGIN("core_metrics_snapshot_counter")
  CORE_REQUIRE_SNAPSHOT(s, sn);
  CORE_REQUIRE_OUT(value);
  CORE_SNAP_METRIC(sn, id, CORE_METRIC_COUNTER);
  *value = sm.counter;
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_metrics_snapshot_gauge(const core_metrics_snapshot_t *s,
                                                 core_metric_id_t id, double *value) {
  CORE_ABI_BEGIN("core_metrics_snapshot_gauge")
  CORE_REQUIRE_SNAPSHOT(s, sn);
  CORE_REQUIRE_OUT(value);
  CORE_SNAP_METRIC(sn, id, CORE_METRIC_GAUGE);
  *value = sm.gauge;
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_metrics_snapshot_timer_stats(const core_metrics_snapshot_t *s,
                                                       core_metric_id_t id,
                                                       core_timer_stats_t *out) {
  CORE_ABI_BEGIN("core_metrics_snapshot_timer_stats")
  CORE_REQUIRE_SNAPSHOT(s, sn);
  CORE_REQUIRE_OUT(out);
  CORE_REQUIRE(out->struct_size >= kStatsV1,
               "out->struct_size is %zu, smaller than the core_timer_stats_t layout (%zu)",
               out->struct_size, kStatsV1);
  CORE_SNAP_METRIC(sn, id, CORE_METRIC_TIMER);
  core::metrics::stats(sn.layout, sm.hist, out);
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_metrics_snapshot_percentile(const core_metrics_snapshot_t *s,
                                                      core_metric_id_t id, double q,
                                                      uint64_t *value_ns) {
  CORE_ABI_BEGIN("core_metrics_snapshot_percentile")
  CORE_REQUIRE_SNAPSHOT(s, sn);
  CORE_REQUIRE_OUT(value_ns);
  CORE_REQUIRE_Q(q);
  CORE_SNAP_METRIC(sn, id, CORE_METRIC_TIMER);
  CORE_CHECK(sm.hist.total != 0, CORE_E_EMPTY, "timer %u (\"%s\") holds no value", id,
             sm.desc.name.c_str());
  *value_ns = core::metrics::percentile(sn.layout, sm.hist, q);
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_metrics_snapshot_merge(core_metrics_snapshot_t *dst,
                                                 const core_metrics_snapshot_t *src) {
  CORE_ABI_BEGIN("core_metrics_snapshot_merge")
  CORE_REQUIRE_SNAPSHOT(dst, d);
  CORE_REQUIRE_SNAPSHOT(src, s);
  CORE_REQUIRE(&d != &s, "dst and src are the same snapshot");
  Error err;
  if (core::metrics::merge(d, s, &err) != CORE_OK) return report(core_abi_fn_, err);
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_metrics_merge_snapshot(core_metrics_t *dst,
                                                 const core_metrics_snapshot_t *src) {
  CORE_ABI_BEGIN("core_metrics_merge_snapshot")
  CORE_REQUIRE(dst != nullptr, "dst is NULL");
  CORE_REQUIRE_METRICS(dst);
  CORE_REQUIRE_SNAPSHOT(src, s);
  Error err;
  if (core::metrics::merge(r, s, &err) != CORE_OK) return report(core_abi_fn_, err);
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_metrics_merge(core_metrics_t *dst, core_metrics_t *src) {
  CORE_ABI_BEGIN("core_metrics_merge")
  CORE_REQUIRE(dst != nullptr, "dst is NULL");
  CORE_REQUIRE(src != nullptr, "src is NULL");
  CORE_REQUIRE_METRICS(dst);
  CORE_REQUIRE(unwrap(src)->magic == core::metrics::kMagic,
               "src is not a live core_metrics_t (already destroyed?)");
  CORE_REQUIRE(dst != src, "dst and src are the same registry");
  std::unique_ptr<Snapshot> s(core::metrics::take(*unwrap(src), false));
  Error err;
  if (core::metrics::merge(r, *s, &err) != CORE_OK) return report(core_abi_fn_, err);
  return CORE_OK;
  CORE_ABI_END
}

// ---- export -----------------------------------------------------------------------------

CORE_API core_status core_metrics_export(core_metrics_t *m, core_metrics_format format,
                                         unsigned flags, char *buf, size_t cap,
                                         size_t *needed) {
  CORE_ABI_BEGIN("core_metrics_export")
  CORE_REQUIRE_METRICS(m);
  CORE_REQUIRE_EXPORT(format, flags, buf, cap, needed);
  std::unique_ptr<Snapshot> s(core::metrics::take(r, false));
  return export_to(core_abi_fn_, *s, format, flags, buf, cap, needed);
  CORE_ABI_END
}

CORE_API core_status core_metrics_snapshot_export(const core_metrics_snapshot_t *s,
                                                  core_metrics_format format, unsigned flags,
                                                  char *buf, size_t cap, size_t *needed) {
  CORE_ABI_BEGIN("core_metrics_snapshot_export")
  CORE_REQUIRE_SNAPSHOT(s, sn);
  CORE_REQUIRE_EXPORT(format, flags, buf, cap, needed);
  return export_to(core_abi_fn_, sn, format, flags, buf, cap, needed);
  CORE_ABI_END
}
