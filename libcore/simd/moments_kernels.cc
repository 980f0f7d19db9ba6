// Moments of one block (<= kBlock elements): count, NaNs, min, max, sum and
// the sum of squared deviations, in float64.
//
// The block is read from memory once and swept twice while it sits in L1:
// sweep 1 finds min, max and an approximate mean (the shift); sweep 2 sums
// d = x - shift and d^2 in float64, and m2 = sum d^2 - (sum d)^2 / n is the
// "corrected two-pass" formula (Chan, Golub & LeVeque 1983), exact to a few
// ulps however large the offset of the data. A non-finite sweep-1 sum means
// NaN, infinity or overflow; such blocks take the scalar careful path, which
// is rare and keeps the fast path free of per-lane NaN bookkeeping.
#include <cmath>
#include <limits>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "libcore/simd/moments_kernels.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/cache_control.h>
#include <hwy/highway.h>

#include "libcore/simd/kernels.h"
#include "libcore/simd/load-inl.h"

HWY_BEFORE_NAMESPACE();
namespace core {
namespace simd {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Sweep 2 accumulates in sub-chunks of kSub elements, each into fresh
// accumulators, and adds the sub-chunk partials pairwise: every lane then
// sums only kSub / (2 * lanes) terms in sequence, which keeps m2 within a
// couple of ulps (a plain 2048-term lane sum drifts to ~8 ulps).
constexpr size_t kSub = 256;
constexpr size_t kMaxSub = kBlock / kSub;
constexpr size_t kMaxLanes64 = HWY_MAX_BYTES / sizeof(double);

// Sums d = x - shift and d^2 over x[begin, end) (whole vectors only) into
// the vectors at out1 / out2. NaNs, present only when omitted, add nothing.
//
// While sweep 2 works from L1, memory would sit idle: each iteration also
// prefetches the matching lines of the next block (x + ahead), which keeps
// a single thread near the bandwidth of a plain streaming sum. Prefetching
// past the end of the array is harmless (a hint, never a fault).
template <bool kSkipNaN, typename T, class D64>
HWY_INLINE void SweepDeviations(D64 d64, const T *HWY_RESTRICT x, size_t begin, size_t end,
                                size_t ahead, hn::Vec<D64> vshift, double *HWY_RESTRICT out1,
                                double *HWY_RESTRICT out2) {
  const size_t N = hn::Lanes(d64);
  // Four independent chains per sum: an add's latency is ~4 cycles, so
  // fewer chains would leave the FP ports idle while the data sits in L1.
  auto a1 = hn::Zero(d64), b1 = hn::Zero(d64), c1 = hn::Zero(d64), e1 = hn::Zero(d64);
  auto a2 = hn::Zero(d64), b2 = hn::Zero(d64), c2 = hn::Zero(d64), e2 = hn::Zero(d64);
  auto load = [&](size_t i) {
    const auto v = LoadF64(d64, x + i);
    const auto u = hn::Sub(v, vshift);
    return kSkipNaN ? hn::IfThenElseZero(hn::Not(hn::IsNaN(v)), u) : u;
  };
  size_t i = begin;
  constexpr size_t kLine = 64 / sizeof(T);
  for (; i + 4 * N <= end; i += 4 * N) {
    if (ahead != 0)
      for (size_t p = 0; p < 4 * N; p += kLine) hwy::Prefetch(x + ahead + i + p);
    const auto u = load(i), v = load(i + N), w = load(i + 2 * N), z = load(i + 3 * N);
    a1 = hn::Add(a1, u);
    b1 = hn::Add(b1, v);
    c1 = hn::Add(c1, w);
    e1 = hn::Add(e1, z);
    a2 = hn::MulAdd(u, u, a2);
    b2 = hn::MulAdd(v, v, b2);
    c2 = hn::MulAdd(w, w, c2);
    e2 = hn::MulAdd(z, z, e2);
  }
  for (; i < end; i += N) {  // at most three vectors left
    const auto u = load(i);
    a1 = hn::Add(a1, u);
    a2 = hn::MulAdd(u, u, a2);
  }
  a1 = hn::Add(hn::Add(a1, b1), hn::Add(c1, e1));
  a2 = hn::Add(hn::Add(a2, b2), hn::Add(c2, e2));
  hn::Store(a1, d64, out1);
  hn::Store(a2, d64, out2);
}

// Second sweep and final fields, shared by the fast and careful paths.
template <typename T>
void FinishFinite(const T *HWY_RESTRICT x, size_t n, double shift, bool has_nan,
                  BlockMoments *out) {
  const hn::ScalableTag<double> d64;
  const size_t N = hn::Lanes(d64);
  const size_t vec_end = n - n % N;
  const auto vshift = hn::Set(d64, shift);
  // Only a full block is likely to be followed by another one; a short
  // block is the array's last (or only) one, with nothing to prefetch.
  const size_t ahead = n == kBlock ? n : 0;
  HWY_ALIGN double part1[kMaxSub * kMaxLanes64];
  HWY_ALIGN double part2[kMaxSub * kMaxLanes64];
  size_t parts = 0;
  for (size_t begin = 0; begin < vec_end || parts == 0; begin += kSub, ++parts) {
    const size_t end = begin + kSub < vec_end ? begin + kSub : vec_end;
    if (has_nan)
      SweepDeviations<true>(d64, x, begin, end, ahead, vshift, part1 + parts * N,
                            part2 + parts * N);
    else
      SweepDeviations<false>(d64, x, begin, end, ahead, vshift, part1 + parts * N,
                             part2 + parts * N);
  }
  for (; parts > 1; parts = (parts + 1) / 2) {  // pairwise, in place
    for (size_t k = 0; 2 * k < parts; ++k) {
      auto p1 = hn::Load(d64, part1 + 2 * k * N), p2 = hn::Load(d64, part2 + 2 * k * N);
      if (2 * k + 1 < parts) {
        p1 = hn::Add(p1, hn::Load(d64, part1 + (2 * k + 1) * N));
        p2 = hn::Add(p2, hn::Load(d64, part2 + (2 * k + 1) * N));
      }
      hn::Store(p1, d64, part1 + k * N);
      hn::Store(p2, d64, part2 + k * N);
    }
  }
  double dsum = hn::GetLane(hn::SumOfLanes(d64, hn::Load(d64, part1)));
  double s2 = hn::GetLane(hn::SumOfLanes(d64, hn::Load(d64, part2)));
  for (size_t i = vec_end; i < n; ++i) {
    const double v = static_cast<double>(x[i]);
    if (v != v) continue;
    const double u = v - shift;
    dsum += u;
    s2 += u * u;
  }
  const double count = static_cast<double>(out->count);
  const double m2 = s2 - dsum * dsum / count;
  out->shift = shift;
  out->dsum = dsum;
  out->m2 = m2 > 0.0 ? m2 : 0.0;
  out->sum = shift * count + dsum;
}

// Blocks holding NaN, infinity, or finite values whose float sum overflowed.
template <typename T>
void CarefulBlock(const T *HWY_RESTRICT x, size_t n, bool omit_nan, BlockMoments *out) {
  uint64_t nans = 0;
  bool has_inf = false;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo, sum = 0.0;
  for (size_t i = 0; i < n; ++i) {
    const double v = static_cast<double>(x[i]);
    if (v != v) {
      ++nans;
      continue;
    }
    lo = v < lo ? v : lo;
    hi = v > hi ? v : hi;
    sum += v;
    has_inf |= std::isinf(v);
  }
  out->nan_count = nans;
  out->dsum = 0.0;
  if (nans != 0 && !omit_nan) {
    out->count = n;
    out->min = out->max = out->sum = out->shift = out->m2 = kNaN;
    return;
  }
  out->count = n - nans;
  if (out->count == 0) {
    out->min = out->max = out->shift = out->m2 = kNaN;
    out->sum = 0.0;
    return;
  }
  out->min = lo;
  out->max = hi;
  if (has_inf) {  // IEEE: mean is +-inf (or NaN for +inf and -inf), variance NaN
    out->sum = out->shift = sum;
    out->m2 = kNaN;
    return;
  }
  // Finite. If even the float64 sum overflowed, the midrange is a safe shift;
  // a constant block shifts by its value (see BlockMomentsT).
  const double shift = lo == hi ? lo
                       : std::isfinite(sum) ? sum / static_cast<double>(out->count)
                                            : 0.5 * lo + 0.5 * hi;
  FinishFinite(x, n, shift, nans != 0, out);
}

template <typename T>
void BlockMomentsT(const T *HWY_RESTRICT x, size_t n, bool omit_nan, BlockMoments *out) {
  // Sweep 1 in the input type: min, max, and a sum that only has to be good
  // enough to serve as the shift.
  const hn::ScalableTag<T> d;
  const size_t N = hn::Lanes(d);
  auto s0 = hn::Zero(d), s1 = hn::Zero(d), s2 = hn::Zero(d), s3 = hn::Zero(d);
  auto lo0 = hn::Set(d, x[0]), lo1 = lo0, hi0 = lo0, hi1 = lo0;
  size_t i = 0;
  for (; i + 4 * N <= n; i += 4 * N) {
    const auto a = hn::LoadU(d, x + i), b = hn::LoadU(d, x + i + N);
    const auto c = hn::LoadU(d, x + i + 2 * N), e = hn::LoadU(d, x + i + 3 * N);
    s0 = hn::Add(s0, a);
    s1 = hn::Add(s1, b);
    s2 = hn::Add(s2, c);
    s3 = hn::Add(s3, e);
    lo0 = hn::Min(lo0, hn::Min(a, b));
    lo1 = hn::Min(lo1, hn::Min(c, e));
    hi0 = hn::Max(hi0, hn::Max(a, b));
    hi1 = hn::Max(hi1, hn::Max(c, e));
  }
  for (; i + N <= n; i += N) {
    const auto a = hn::LoadU(d, x + i);
    s0 = hn::Add(s0, a);
    lo0 = hn::Min(lo0, a);
    hi0 = hn::Max(hi0, a);
  }
  s0 = hn::Add(hn::Add(s0, s1), hn::Add(s2, s3));
  T sum = hn::GetLane(hn::SumOfLanes(d, s0));
  T lo = hn::GetLane(hn::MinOfLanes(d, hn::Min(lo0, lo1)));
  T hi = hn::GetLane(hn::MaxOfLanes(d, hn::Max(hi0, hi1)));
  for (; i < n; ++i) {
    sum += x[i];
    lo = x[i] < lo ? x[i] : lo;
    hi = x[i] > hi ? x[i] : hi;
  }
  if (!std::isfinite(sum)) return CarefulBlock(x, n, omit_nan, out);

  out->count = n;
  out->nan_count = 0;
  out->min = lo;
  out->max = hi;
  // A constant block shifts by its own value, so its m2 is exactly 0: the
  // input-type sum of n copies of 0.1f is inexact, and a shift off by an ulp
  // would leave m2 ~ 1e-32, and normalize would divide by that instead of
  // refusing constant input.
  const double shift = lo == hi ? static_cast<double>(lo)
                                : static_cast<double>(sum) / static_cast<double>(n);
  FinishFinite(x, n, shift, false, out);
}

void BlockMomentsF32(const float *x, size_t n, bool omit_nan, BlockMoments *out) {
  BlockMomentsT(x, n, omit_nan, out);
}
void BlockMomentsF64(const double *x, size_t n, bool omit_nan, BlockMoments *out) {
  BlockMomentsT(x, n, omit_nan, out);
}

}  // namespace HWY_NAMESPACE
}  // namespace simd
}  // namespace core
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace core {
namespace simd {

HWY_EXPORT(BlockMomentsF32);
HWY_EXPORT(BlockMomentsF64);

void block_moments(const float *x, std::size_t n, bool omit_nan, BlockMoments *out) {
  HWY_DYNAMIC_DISPATCH(BlockMomentsF32)(x, n, omit_nan, out);
}
void block_moments(const double *x, std::size_t n, bool omit_nan, BlockMoments *out) {
  HWY_DYNAMIC_DISPATCH(BlockMomentsF64)(x, n, omit_nan, out);
}

}  // namespace simd
}  // namespace core
#endif
