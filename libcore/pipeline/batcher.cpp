// The generic batcher (see batcher.h).
#include "libcore/pipeline/batcher.h"

#include <time.h>

#include <algorithm>
#include <cstdio>
#include <utility>

namespace core {
namespace pipeline {

namespace {

// Each bucket's ring starts with room for a full batch (a power of two,
// at most kMaxReserve items; it doubles when a bucket holds more).
constexpr std::size_t kMinReserve = 4;
constexpr std::size_t kMaxReserve = 4096;

std::size_t pow2_at_least(std::size_t n) {
  std::size_t p = 1;
  while (p < n) p <<= 1;
  return p;
}

std::uint64_t monotonic_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000u +
         static_cast<std::uint64_t>(ts.tv_nsec);
}

}  // namespace

Batcher::Batcher(const Options &o)
    : max_batch_(o.max_batch),
      max_delay_ns_(o.max_delay_ns),
      bounds_(o.bounds),
      clock_(o.clock),
      clock_user_(o.clock_user),
      buckets_(o.bounds.size() + 1) {
  const std::size_t reserve =
      pow2_at_least(std::max(kMinReserve, std::min(max_batch_, kMaxReserve)));
  for (Bucket &b : buckets_) b.ring.resize(reserve);
}

std::uint64_t Batcher::now() const {
  return clock_ != nullptr ? clock_(clock_user_) : monotonic_ns();
}

std::size_t Batcher::bucket_of(std::uint64_t length) const {
  // First bound >= length; past the end: the last bucket.
  return static_cast<std::size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), length) -
                                  bounds_.begin());
}

bool Batcher::due(const Bucket &b, std::uint64_t t_now) const {
  if (b.size == 0) return false;
  if (b.size >= max_batch_ || b.flushed > 0) return true;
  const std::uint64_t t0 = b.front().t;
  const std::uint64_t waited = t_now > t0 ? t_now - t0 : 0;  // a clock that went back: 0
  return waited >= max_delay_ns_;
}

void Batcher::add(std::uint64_t id, std::uint64_t length) {
  Bucket &b = buckets_[bucket_of(length)];
  if (b.size == b.ring.size()) {
    // Grow (the only allocation after construction): copy in arrival order.
    std::vector<Item> bigger(b.ring.size() * 2);
    const std::size_t mask = b.ring.size() - 1;
    for (std::size_t i = 0; i < b.size; ++i) bigger[i] = b.ring[(b.head + i) & mask];
    b.ring.swap(bigger);
    b.head = 0;
  }
  const std::uint64_t t = now();
  const std::size_t mask = b.ring.size() - 1;
  b.ring[(b.head + b.size) & mask] = Item{id, t, seq_++};
  ++b.size;
  ++pending_;
}

bool Batcher::next(std::uint64_t *ids, std::size_t *count, std::size_t *bucket) {
  if (pending_ == 0) return false;
  const std::uint64_t t_now = now();
  std::size_t best = buckets_.size();
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    const Bucket &b = buckets_[i];
    if (!due(b, t_now)) continue;
    if (best == buckets_.size() || b.front().seq < buckets_[best].front().seq) best = i;
  }
  if (best == buckets_.size()) return false;
  Bucket &b = buckets_[best];
  const std::size_t k = std::min(b.size, max_batch_);
  const std::size_t mask = b.ring.size() - 1;
  for (std::size_t i = 0; i < k; ++i) ids[i] = b.ring[(b.head + i) & mask].id;
  b.head = (b.head + k) & mask;
  b.size -= k;
  b.flushed -= std::min(b.flushed, k);
  if (b.size == 0) b.head = 0;
  pending_ -= k;
  *count = k;
  *bucket = best;
  return true;
}

void Batcher::flush() {
  for (Bucket &b : buckets_) b.flushed = b.size;
}

std::size_t Batcher::pending() const { return pending_; }

bool Batcher::next_deadline(std::uint64_t *ns) const {
  if (pending_ == 0) return false;
  const std::uint64_t t_now = now();
  std::uint64_t best = UINT64_MAX;
  for (const Bucket &b : buckets_) {
    if (b.size == 0) continue;
    if (due(b, t_now)) {
      best = 0;
      break;
    }
    const std::uint64_t t0 = b.front().t;
    const std::uint64_t waited = t_now > t0 ? t_now - t0 : 0;
    best = std::min(best, max_delay_ns_ - waited);  // waited < max_delay_ns_ (not due)
  }
  *ns = best;
  return true;
}

bool batcher_options_from(const core_batcher_options_t &in, Batcher::Options *out, char *why,
                          std::size_t why_cap) {
  if (in.max_batch == 0) {
    std::snprintf(why, why_cap, "max_batch must be >= 1, got 0");
    return false;
  }
  if (in.n_buckets > CORE_BATCHER_MAX_BUCKETS) {
    std::snprintf(why, why_cap, "n_buckets is %zu, above CORE_BATCHER_MAX_BUCKETS (%d)",
                  in.n_buckets, CORE_BATCHER_MAX_BUCKETS);
    return false;
  }
  const std::size_t n_bounds = in.n_buckets > 1 ? in.n_buckets - 1 : 0;
  for (std::size_t i = 1; i < n_bounds; ++i) {
    if (in.bucket_bounds[i] <= in.bucket_bounds[i - 1]) {
      std::snprintf(why, why_cap,
                    "bucket_bounds must be strictly ascending: bucket_bounds[%zu] = %llu "
                    "after bucket_bounds[%zu] = %llu",
                    i, static_cast<unsigned long long>(in.bucket_bounds[i]), i - 1,
                    static_cast<unsigned long long>(in.bucket_bounds[i - 1]));
      return false;
    }
  }
  out->max_batch = in.max_batch;
  out->max_delay_ns = static_cast<std::uint64_t>(in.max_delay_ms) * 1000000u;
  out->bounds.assign(in.bucket_bounds, in.bucket_bounds + n_bounds);
  out->clock = in.clock;
  out->clock_user = in.clock_user;
  return true;
}

}  // namespace pipeline
}  // namespace core
