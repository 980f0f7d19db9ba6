// Publishing a cache's counters, gauges and compute timer into a metrics
// registry (include/core/cache.h, "Publishing metrics"). The registration
// takes the registry's lock once for all of them, checks every name first
// and only then registers, so a failure registers nothing.
#include <cstdio>
#include <cstring>
#include <string>

#include "libcore/cache/cache.h"
#include "libcore/metrics/metrics.h"

namespace core {
namespace cache {

namespace {

struct Spec {
  const char *suffix;
  core_metric_kind kind;
  const char *help;
};

// The order of PubCounter, then entries, bytes, compute.
constexpr Spec kSpecs[] = {
    {"_hits", CORE_METRIC_COUNTER, "Cache lookups that found a live entry"},
    {"_misses", CORE_METRIC_COUNTER, "Cache lookups that found no live entry"},
    {"_inserts", CORE_METRIC_COUNTER, "Entries stored by put and get_or_compute"},
    {"_evictions", CORE_METRIC_COUNTER, "Entries removed to honour the cache bounds"},
    {"_expirations", CORE_METRIC_COUNTER, "Entries removed because their TTL passed"},
    {"_computes", CORE_METRIC_COUNTER, "Callbacks run by get_or_compute"},
    {"_compute_failures", CORE_METRIC_COUNTER, "get_or_compute callbacks that failed"},
    {"_compute_waits", CORE_METRIC_COUNTER,
     "get_or_compute calls that waited for another caller's computation"},
    {"_entries", CORE_METRIC_GAUGE, "Entries held by the cache"},
    {"_bytes", CORE_METRIC_GAUGE, "Bytes held by the cache (entry data plus overhead)"},
    {"_compute", CORE_METRIC_TIMER, "Duration of get_or_compute callbacks"},
};
constexpr std::size_t kNumSpecs = sizeof kSpecs / sizeof kSpecs[0];
static_assert(kNumSpecs == kPubCounters + 3, "one spec per published metric");

double from_bits(std::uint64_t b) noexcept {
  double v;
  std::memcpy(&v, &b, sizeof v);
  return v;
}
std::uint64_t to_bits(double v) noexcept {
  std::uint64_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}

void gauge_add(std::atomic<std::uint64_t> *g, double d) noexcept {
  std::uint64_t cur = g->load(std::memory_order_relaxed);
  while (!g->compare_exchange_weak(cur, to_bits(from_bits(cur) + d), std::memory_order_relaxed)) {
  }
}

}  // namespace

void Pub::held(double dentries, double dbytes) const noexcept {
  gauge_add(entries, dentries);
  gauge_add(bytes, dbytes);
}

void Pub::compute_ns(std::int64_t ns) const noexcept {
  metrics::record(*static_cast<const metrics::Layout *>(layout),
                  *static_cast<metrics::Hist *>(compute_hist), ns);
}

core_status publish_register(const core_cache_options_t &opts, Pub *out, Error *err) {
  auto *r = reinterpret_cast<metrics::Registry *>(opts.metrics);
  if (r->magic != metrics::kMagic)
    return err->set(CORE_E_INVALID_ARGUMENT,
                    "opts->metrics is not a live core_metrics_t (already destroyed?)");
  const std::string prefix = opts.metrics_prefix != nullptr ? opts.metrics_prefix : "core_cache";
  metrics::Error merr;
  metrics::Desc descs[kNumSpecs];
  for (std::size_t i = 0; i < kNumSpecs; ++i) {
    const std::string name = prefix + kSpecs[i].suffix;
    if (metrics::make_desc(kSpecs[i].kind, name.c_str(), kSpecs[i].help, nullptr, 0, &descs[i],
                           &merr) != CORE_OK)
      return err->set(merr.status, "metric \"%s\" (metrics_prefix \"%s\"): %s", name.c_str(),
                      prefix.c_str(), merr.message);
  }
  std::lock_guard<std::mutex> lock(r->mu);
  for (std::size_t i = 0; i < kNumSpecs; ++i) {
    std::size_t existing = SIZE_MAX;
    if (metrics::check_names(r->names, descs[i], &existing, &merr) != CORE_OK)
      return err->set(merr.status, "metric \"%s\" (metrics_prefix \"%s\"): %s",
                      descs[i].name.c_str(), prefix.c_str(), merr.message);
    if (existing != SIZE_MAX)
      return err->set(CORE_E_INVALID_ARGUMENT,
                      "metric \"%s\" is already registered (another cache with metrics_prefix "
                      "\"%s\" in this registry?): choose another metrics_prefix",
                      descs[i].name.c_str(), prefix.c_str());
  }
  const std::size_t have = r->n.load(std::memory_order_relaxed);
  if (r->cap - have < kNumSpecs)
    return err->set(CORE_E_FULL,
                    "the metrics registry has room for %zu more metrics (max_metrics = %zu) "
                    "but the cache publishes %zu",
                    r->cap - have, r->cap, kNumSpecs);
  // The names checked do not collide with each other either (distinct
  // suffixes), so registering cannot fail now except for memory.
  Pub p;
  for (std::size_t i = 0; i < kNumSpecs; ++i) {
    core_metric_id_t id = 0;
    if (metrics::register_locked(*r, std::move(descs[i]), &id, &merr) != CORE_OK)
      return err->set(merr.status, "registering the cache's metrics: %s", merr.message);
    metrics::Metric *m = r->slots[id];
    if (i < kPubCounters) p.counter[i] = &m->value;
    else if (i == kPubCounters) p.entries = &m->value;
    else if (i == kPubCounters + 1) p.bytes = &m->value;
    else {
      p.compute_hist = m->hist.get();
      p.layout = &r->layout;
    }
  }
  *out = p;
  return CORE_OK;
}

}  // namespace cache
}  // namespace core
