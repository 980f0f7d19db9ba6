// Publishing a ring's counters and gauges into a metrics registry
// (include/core/ring.h, "Publishing metrics"). The registration is
// metrics::register_group's: all or nothing. The producer is the only
// writer of the published words, so updating them needs no
// read-modify-write.
#include <cstring>

#include "libcore/metrics/metrics.h"
#include "libcore/ring/ring.h"

namespace core {
namespace ring {

namespace {

constexpr metrics::GroupSpec kSpecs[] = {
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
  const char *prefix = opts.metrics_prefix != nullptr ? opts.metrics_prefix : "core_ring";
  core_metric_id_t ids[kNumSpecs] = {};
  const core_status st =
      metrics::register_group(opts.metrics, prefix, "ring", kSpecs, kNumSpecs, ids, msg, cap);
  if (st != CORE_OK) return st;
  auto *r = reinterpret_cast<metrics::Registry *>(opts.metrics);
  r->slots[ids[3]]->value.store(to_bits(static_cast<double>(ring.cap)),
                                std::memory_order_relaxed);
  ring.pub_dropped = &r->slots[ids[1]]->value;
  ring.pub_fill = &r->slots[ids[2]]->value;
  ring.pub_appended = &r->slots[ids[0]]->value;
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
