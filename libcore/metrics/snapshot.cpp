// Snapshots (immutable copies of a registry, optionally resetting its
// timers) and merges of a snapshot into a snapshot or a live registry.
// Merges validate everything first, on a copy of the name tables, so a
// failed merge leaves dst unchanged.
#include <cstring>

#include "libcore/metrics/metrics.h"

namespace core {
namespace metrics {

namespace {

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

// Plans a merge: for each src metric, its id in dst (existing or new, new
// ids continuing from `base`). Fails on kind conflicts and collisions.
core_status plan(const Names &dst, std::size_t base, const Snapshot &src, Names *out,
                 std::vector<std::size_t> *ids, std::size_t *added, Error *err) {
  *out = dst;
  ids->clear();
  *added = 0;
  for (const SnapMetric &m : src.metrics) {
    std::size_t existing;
    if (check_names(*out, m.desc, &existing, err) != CORE_OK) return err->status;
    if (existing == SIZE_MAX) {
      existing = base + (*added)++;
      add_names(*out, m.desc, existing);
    }
    ids->push_back(existing);
  }
  return CORE_OK;
}

}  // namespace

Snapshot *take(Registry &r, bool reset) {
  auto s = std::make_unique<Snapshot>();
  std::lock_guard<std::mutex> lock(r.mu);
  s->layout = r.layout;
  s->prom = r.prom;
  s->names = r.names;
  const std::uint32_t n = r.n.load(std::memory_order_relaxed);
  s->metrics.resize(n);
  // Every allocation first (descs, histogram copies), then the copies: a
  // reset must not empty a timer whose snapshot is then dropped for lack of
  // memory (its values would be lost).
  for (std::uint32_t i = 0; i < n; ++i) {
    const Metric &m = *r.slots[i];
    s->metrics[i].desc = m.desc;
    if (m.desc.kind == CORE_METRIC_TIMER) s->metrics[i].hist.counts.resize(r.layout.len);
  }
  for (std::uint32_t i = 0; i < n; ++i) {
    Metric &m = *r.slots[i];
    SnapMetric &o = s->metrics[i];
    if (m.desc.kind == CORE_METRIC_TIMER)
      copy(r.layout, *m.hist, &o.hist, reset);  // counts already sized: no allocation
    else if (m.desc.kind == CORE_METRIC_COUNTER)
      o.counter = m.value.load(std::memory_order_relaxed);
    else
      o.gauge = from_bits(m.value.load(std::memory_order_relaxed));
  }
  return s.release();
}

core_status merge(Snapshot &dst, const Snapshot &src, Error *err) {
  Names names;
  std::vector<std::size_t> ids;
  std::size_t added;
  if (plan(dst.names, dst.metrics.size(), src, &names, &ids, &added, err) != CORE_OK)
    return err->status;
  std::vector<SnapMetric> grown = dst.metrics;  // all allocation before any change
  grown.resize(dst.metrics.size() + added);
  for (std::size_t i = 0; i < src.metrics.size(); ++i) {
    const SnapMetric &m = src.metrics[i];
    SnapMetric &t = grown[ids[i]];
    if (ids[i] >= dst.metrics.size()) {
      t.desc = m.desc;
      if (m.desc.kind == CORE_METRIC_TIMER) t.hist.counts.assign(dst.layout.len, 0);
    }
    if (m.desc.kind == CORE_METRIC_TIMER)
      add_into(dst.layout, t.hist, src.layout, m.hist);
    else if (m.desc.kind == CORE_METRIC_COUNTER)
      t.counter += m.counter;
    else
      t.gauge += m.gauge;
  }
  dst.metrics.swap(grown);
  dst.names.by_key.swap(names.by_key);
  dst.names.first.swap(names.first);
  dst.names.reserved.swap(names.reserved);
  dst.names.kind_of.swap(names.kind_of);
  return CORE_OK;
}

core_status merge(Registry &dst, const Snapshot &src, Error *err) {
  std::lock_guard<std::mutex> lock(dst.mu);
  Names names;
  std::vector<std::size_t> ids;
  std::size_t added;
  const std::uint32_t n0 = dst.n.load(std::memory_order_relaxed);
  if (plan(dst.names, n0, src, &names, &ids, &added, err) != CORE_OK) return err->status;
  if (n0 + added > dst.cap)
    return err->set(CORE_E_FULL,
                    "merging adds %zu metrics to the %u held, more than max_metrics = %zu",
                    added, n0, dst.cap);
  // The new metrics all at once, or none (out of memory): registered one by
  // one, a failure in the middle left dst changed. plan() numbered them
  // n0, n0 + 1, ... in src order, as register_new_locked does.
  std::vector<Desc> fresh;
  fresh.reserve(added);
  for (std::size_t i = 0; i < src.metrics.size(); ++i)
    if (ids[i] >= n0 && ids[i] == n0 + fresh.size()) fresh.push_back(src.metrics[i].desc);
  std::vector<core_metric_id_t> fresh_ids(fresh.size());
  register_new_locked(dst, std::move(fresh), fresh_ids.data());
  for (std::size_t i = 0; i < src.metrics.size(); ++i) {
    const SnapMetric &m = src.metrics[i];
    Metric &t = *dst.slots[ids[i]];
    if (m.desc.kind == CORE_METRIC_TIMER) {
      add_into(dst.layout, *t.hist, src.layout, m.hist);
    } else if (m.desc.kind == CORE_METRIC_COUNTER) {
      t.value.fetch_add(m.counter, std::memory_order_relaxed);
    } else {
      std::uint64_t cur = t.value.load(std::memory_order_relaxed);
      while (!t.value.compare_exchange_weak(cur, bits(from_bits(cur) + m.gauge),
                                            std::memory_order_relaxed)) {
      }
    }
  }
  return CORE_OK;
}

}  // namespace metrics
}  // namespace core
