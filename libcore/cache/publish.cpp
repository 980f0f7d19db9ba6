// Publishing a cache's counters, gauges and compute timer into a metrics
// registry (include/core/cache.h, "Publishing metrics"). The registration
// is metrics::register_group's: all or nothing.
#include <cstdio>
#include <cstring>

#include "libcore/cache/cache.h"
#include "libcore/metrics/metrics.h"

namespace core {
namespace cache {

namespace {

// The order of PubCounter, then entries, bytes, compute.
constexpr metrics::GroupSpec kSpecs[] = {
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
  const char *prefix = opts.metrics_prefix != nullptr ? opts.metrics_prefix : "core_cache";
  core_metric_id_t ids[kNumSpecs] = {};
  char msg[sizeof err->message];
  const core_status st = metrics::register_group(opts.metrics, prefix, "cache", kSpecs, kNumSpecs,
                                                 ids, msg, sizeof msg);
  if (st != CORE_OK) return err->set(st, "%s", msg);
  auto *r = reinterpret_cast<metrics::Registry *>(opts.metrics);
  Pub p;
  for (std::size_t i = 0; i < kPubCounters; ++i) p.counter[i] = &r->slots[ids[i]]->value;
  p.entries = &r->slots[ids[kPubCounters]]->value;
  p.bytes = &r->slots[ids[kPubCounters + 1]]->value;
  p.compute_hist = r->slots[ids[kPubCounters + 2]]->hist.get();
  p.layout = &r->layout;
  *out = p;
  return CORE_OK;
}

}  // namespace cache
}  // namespace core
