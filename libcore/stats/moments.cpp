// One-pass summaries: block kernels combined in a fixed pairwise tree.
//
// Block means are carried as offsets from one reference value K (the first
// finite block's shift) rather than as absolute values. For data such as
// 1e8 + N(0,1) the absolute block means agree in their first 9 digits, so
// the differences Chan's merge needs (delta = mean_b - mean_a) would lose
// those digits; as offsets from K they keep full precision.
#include <cmath>
#include <limits>

#include "libcore/runtime/parallel.h"
#include "libcore/simd/kernels.h"
#include "libcore/stats/stats.h"

namespace core {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// min/max that let a NaN win (a NaN there means "propagate").
double nan_min(double a, double b) { return (a < b || a != a) ? a : b; }
double nan_max(double a, double b) { return (a > b || a != a) ? a : b; }

}  // namespace

core_stats_t empty_stats(std::uint64_t nan_count) {
  core_stats_t s;
  s.count = 0;
  s.nan_count = nan_count;
  s.sum = 0.0;
  s.min = s.max = s.mean = s.m2 = kNaN;
  return s;
}

core_stats_t from_block(const simd::BlockMoments &b, double k) {
  core_stats_t s;
  s.count = b.count;
  s.nan_count = b.nan_count;
  s.min = b.min;
  s.max = b.max;
  s.sum = b.sum;
  s.mean = b.count ? (b.shift - k) + b.dsum / static_cast<double>(b.count) : kNaN;
  s.m2 = b.m2;
  return s;
}

core_stats_t merge(const core_stats_t &a, const core_stats_t &b) {
  core_stats_t r;
  if (a.count == 0 || b.count == 0) {
    r = a.count == 0 ? b : a;
    r.nan_count = a.nan_count + b.nan_count;
    return r;
  }
  const double na = static_cast<double>(a.count), nb = static_cast<double>(b.count);
  const double n = na + nb;
  r.count = a.count + b.count;
  r.nan_count = a.nan_count + b.nan_count;
  r.min = nan_min(a.min, b.min);
  r.max = nan_max(a.max, b.max);
  r.sum = a.sum + b.sum;
  if (std::isfinite(a.mean) && std::isfinite(b.mean)) {
    const double delta = b.mean - a.mean;
    r.mean = a.mean + delta * (nb / n);
    r.m2 = a.m2 + b.m2 + delta * delta * (na * (nb / n));
  } else {  // inf or NaN: Chan's delta would turn inf into NaN; IEEE sum does not
    r.mean = (a.mean * na + b.mean * nb) / n;
    r.m2 = kNaN;
  }
  return r;
}

double variance(const core_stats_t &s, unsigned ddof) {
  if (s.count <= ddof) return kNaN;
  return s.m2 / static_cast<double>(s.count - ddof);
}

template <class T>
core_stats_t summarize(const T *x, std::size_t n, bool omit_nan) {
  if (n == 0) return empty_stats(0);
  const std::size_t block = simd::kBlock;
  const std::size_t nblocks = block_count(n, block);
  auto block_at = [&](std::size_t b, simd::BlockMoments *m) {
    const std::size_t off = b * block;
    simd::block_moments(x + off, n - off < block ? n - off : block, omit_nan, m);
  };

  // The reference: the first block with a finite shift (almost always
  // block 0, whose summary is then reused rather than recomputed).
  simd::BlockMoments first;
  block_at(0, &first);
  double k = first.shift;
  for (std::size_t b = 1; !std::isfinite(k) && b < nblocks; ++b) {
    simd::BlockMoments m;
    block_at(b, &m);
    k = m.shift;
  }
  if (!std::isfinite(k)) k = 0.0;

  core_stats_t s = reduce_blocks<core_stats_t>(
      nblocks,
      [&](std::size_t b) {
        if (b == 0) return from_block(first, k);
        simd::BlockMoments m;
        block_at(b, &m);
        return from_block(m, k);
      },
      merge);
  if (s.count == 0) return empty_stats(s.nan_count);
  s.mean = k + s.mean;
  return s;
}

template core_stats_t summarize<float>(const float *, std::size_t, bool);
template core_stats_t summarize<double>(const double *, std::size_t, bool);

}  // namespace core
