// A timer's live histogram: relaxed atomic counters (record() is inline in
// metrics.h), and the copies, resets and merges that read or write it as a
// whole.
#include <cstdlib>
#include <new>

#include "libcore/metrics/metrics.h"

namespace core {
namespace metrics {

Hist::Hist(const Layout &l) {
  const std::size_t bytes = (l.len * sizeof(std::atomic<std::uint64_t>) + 63) / 64 * 64;
  void *p = std::aligned_alloc(64, bytes);
  if (p == nullptr) throw std::bad_alloc();
  counts = static_cast<std::atomic<std::uint64_t> *>(p);
  for (std::size_t i = 0; i < l.len; ++i) new (&counts[i]) std::atomic<std::uint64_t>(0);
}

Hist::~Hist() { std::free(counts); }

void copy(const Layout &L, Hist &h, HistData *out, bool reset) {
  out->counts.resize(L.len);
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < L.len; ++i) {
    const std::uint64_t c = reset ? h.counts[i].exchange(0, std::memory_order_relaxed)
                                  : h.counts[i].load(std::memory_order_relaxed);
    out->counts[i] = c;
    total += c;
  }
  out->total = total;
  if (reset) {
    out->sum = h.sum.exchange(0, std::memory_order_relaxed);
    out->min = h.min.exchange(UINT64_MAX, std::memory_order_relaxed);
    out->max = h.max.exchange(0, std::memory_order_relaxed);
    out->under = h.under.exchange(0, std::memory_order_relaxed);
    out->over = h.over.exchange(0, std::memory_order_relaxed);
  } else {
    out->sum = h.sum.load(std::memory_order_relaxed);
    out->min = h.min.load(std::memory_order_relaxed);
    out->max = h.max.load(std::memory_order_relaxed);
    out->under = h.under.load(std::memory_order_relaxed);
    out->over = h.over.load(std::memory_order_relaxed);
  }
  if (total == 0) {
    out->min = UINT64_MAX;
    out->max = 0;
  } else {
    // A record racing with the copy may have bumped its bucket but not yet
    // min/max (or the reverse): keep min/max consistent with the buckets.
    std::size_t lo = 0, hi = L.len;
    while (out->counts[lo] == 0) ++lo;
    while (out->counts[hi - 1] == 0) --hi;
    if (out->min > L.highest_at(lo)) out->min = L.lowest_at(lo);
    if (out->max < L.lowest_at(hi - 1)) out->max = L.highest_at(hi - 1);
    if (out->max > L.highest) out->max = L.highest;
  }
}

namespace {
// The index in `to` of bucket i of `from`.
inline std::size_t rebucket(const Layout &to, const Layout &from, std::size_t i) {
  if (to.same(from)) return i;
  std::uint64_t v = from.median_at(i);
  if (v > to.highest) v = to.highest;
  return to.index(v);
}
}  // namespace

// A snapshot_and_reset interval can hold the sum, underflow or overflow of
// a record whose bucket count landed in the previous interval (convention
// 7), so d.total == 0 does not mean there is nothing to add: sum, under and
// over are added first (returning early on total == 0 lost them, and a
// registry fed with reset intervals came out short). min and max of an
// empty copy are its empty values (UINT64_MAX, 0) and are skipped.
void add_into(const Layout &to, Hist &h, const Layout &from, const HistData &d) {
  if (d.sum != 0) h.sum.fetch_add(d.sum, std::memory_order_relaxed);
  if (d.under != 0) h.under.fetch_add(d.under, std::memory_order_relaxed);
  if (d.over != 0) h.over.fetch_add(d.over, std::memory_order_relaxed);
  if (d.total == 0) return;
  for (std::size_t i = 0; i < from.len; ++i)
    if (d.counts[i] != 0)
      h.counts[rebucket(to, from, i)].fetch_add(d.counts[i], std::memory_order_relaxed);
  const std::uint64_t mn = d.min < to.highest ? d.min : to.highest;
  const std::uint64_t mx = d.max < to.highest ? d.max : to.highest;
  std::uint64_t cur = h.min.load(std::memory_order_relaxed);
  while (mn < cur && !h.min.compare_exchange_weak(cur, mn, std::memory_order_relaxed)) {
  }
  cur = h.max.load(std::memory_order_relaxed);
  while (mx > cur && !h.max.compare_exchange_weak(cur, mx, std::memory_order_relaxed)) {
  }
}

void add_into(const Layout &to, HistData &e, const Layout &from, const HistData &d) {
  if (e.counts.size() != to.len) e.counts.assign(to.len, 0);
  e.sum += d.sum;  // even when d.total is 0: see above
  e.under += d.under;
  e.over += d.over;
  if (d.total == 0) return;
  for (std::size_t i = 0; i < from.len; ++i)
    if (d.counts[i] != 0) e.counts[rebucket(to, from, i)] += d.counts[i];
  e.total += d.total;
  const std::uint64_t mn = d.min < to.highest ? d.min : to.highest;
  const std::uint64_t mx = d.max < to.highest ? d.max : to.highest;
  if (mn < e.min) e.min = mn;
  if (mx > e.max) e.max = mx;
}

}  // namespace metrics
}  // namespace core
