// Publishing a ring's counters and gauges into a metrics registry
// (include/core/ring.h, "Publishing metrics"). The registration takes the
// registry's lock once, checks every name first and only then registers,
// so a failure registers nothing. The producer is the only writer of the
// published words, so updating them needs no read-modify-write.
#include <cstdio>
#include <cstring>
#include <string>

#include "libcore/metrics/metrics.h"
#include "libcore/ring/ring.h"

namespace core {
namespace ring {

namespace {

struct Spec {
  const char *suffix;
  core_metric_kind kind;
  const char *help;
};

constexpr Spec kSpecs[] = {
    {"_appended", CORE_METRIC_COUNTER, "Samples accepted by the ring's successful appends"},
    {"_dropped", CORE_METRIC_COUNTER, "Samples dropped by the ring under OVERWRITE"},
    {"_fill", CORE_METRIC_GAUGE, "Readable samples in the ring as of its last append"},
    {"_capacity", CORE_METRIC_GAUGE, "Capacity of the ring in samples"},
};
constexpr std::size_t kNumSpecs = sizeof kSpecs / sizeof kSpecs[0];

std::uint64_t to_bits(double v) noexcept {
  std::uint64_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}

}  // namespace

core_status publish_register(const core_ring_options_t &opts, Ring &ring, char *msg,
                             std::size_t cap) {
  auto *r = reinterpret_cast<metrics::Registry *>(opts.metrics);
  if (r->magic != metrics::kMagic) {
    std::snprintf(msg, cap, "opts->metrics is not a live core_metrics_t (already destroyed?)");
    return CORE_E_INVALID_ARGUMENT;
  }
  const std::string prefix = opts.metrics_prefix != nullptr ? opts.metrics_prefix : "core_ring";
  metrics::Error merr;
  metrics::Desc descs[kNumSpecs];
  for (std::size_t i = 0; i < kNumSpecs; ++i) {
    const std::string name = prefix + kSpecs[i].suffix;
    if (metrics::make_desc(kSpecs[i].kind, name.c_str(), kSpecs[i].help, nullptr, 0, &descs[i],
                           &merr) != CORE_OK) {
      std::snprintf(msg, cap, "metric \"%s\" (metrics_prefix \"%s\"): %s", name.c_str(),
                    prefix.c_str(), merr.message);
      return merr.status;
    }
  }
  std::lock_guard<std::mutex> lock(r->mu);
  for (std::size_t i = 0; i < kNumSpecs; ++i) {
    std::size_t existing = SIZE_MAX;
    if (metrics::check_names(r->names, descs[i], &existing, &merr) != CORE_OK) {
      std::snprintf(msg, cap, "metric \"%s\" (metrics_prefix \"%s\"): %s",
                    descs[i].name.c_str(), prefix.c_str(), merr.message);
      return merr.status;
    }
    if (existing != SIZE_MAX) {
      std::snprintf(msg, cap,
                    "metric \"%s\" is already registered (another ring with metrics_prefix "
                    "\"%s\" in this registry?): choose another metrics_prefix",
                    descs[i].name.c_str(), prefix.c_str());
      return CORE_E_INVALID_ARGUMENT;
    }
  }
  const std::size_t have = r->n.load(std::memory_order_relaxed);
  if (r->cap - have < kNumSpecs) {
    std::snprintf(msg, cap,
                  "the metrics registry has room for %zu more metrics (max_metrics = %zu) but "
                  "the ring publishes %zu",
                  r->cap - have, r->cap, kNumSpecs);
    return CORE_E_FULL;
  }
  std::atomic<std::uint64_t> *words[kNumSpecs] = {};
  for (std::size_t i = 0; i < kNumSpecs; ++i) {
    core_metric_id_t id = 0;
    if (metrics::register_locked(*r, std::move(descs[i]), &id, &merr) != CORE_OK) {
      std::snprintf(msg, cap, "registering the ring's metrics: %s", merr.message);
      return merr.status;
    }
    words[i] = &r->slots[id]->value;
  }
  words[3]->store(to_bits(static_cast<double>(ring.cap)), std::memory_order_relaxed);
  ring.pub_dropped = words[1];
  ring.pub_fill = words[2];
  ring.pub_appended = words[0];
  return CORE_OK;
}

void publish_append(Ring &r, std::size_t n) noexcept {
  r.pub_appended->store(r.pub_appended->load(std::memory_order_relaxed) + n,
                        std::memory_order_relaxed);
  r.pub_dropped->store(r.dropped.load(std::memory_order_relaxed), std::memory_order_relaxed);
  const std::uint64_t t = r.tail.load(std::memory_order_relaxed);  // ours
  const std::uint64_t h = r.head.load(std::memory_order_relaxed);  // <= t: ours is current
  const std::uint64_t fill = t - h < r.cap ? t - h : r.cap;
  r.pub_fill->store(to_bits(static_cast<double>(fill)), std::memory_order_relaxed);
}

}  // namespace ring
}  // namespace core
