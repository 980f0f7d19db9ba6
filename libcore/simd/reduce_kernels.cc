// Plain float64 reductions over one block: sum, sum of squares, dot product,
// co-moments around given centres, and sign changes. Two accumulators per
// sum hide the add latency; blocks are combined by the caller's fixed tree.
#include <cmath>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "libcore/simd/reduce_kernels.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "libcore/simd/kernels.h"
#include "libcore/simd/load-inl.h"

HWY_BEFORE_NAMESPACE();
namespace core {
namespace simd {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

template <typename T>
double SumT(const T *HWY_RESTRICT x, size_t n) {
  const hn::ScalableTag<double> d;
  const size_t N = hn::Lanes(d);
  auto a = hn::Zero(d), b = hn::Zero(d);
  size_t i = 0;
  for (; i + 2 * N <= n; i += 2 * N) {
    a = hn::Add(a, LoadF64(d, x + i));
    b = hn::Add(b, LoadF64(d, x + i + N));
  }
  if (i + N <= n) {
    a = hn::Add(a, LoadF64(d, x + i));
    i += N;
  }
  double s = hn::GetLane(hn::SumOfLanes(d, hn::Add(a, b)));
  for (; i < n; ++i) s += static_cast<double>(x[i]);
  return s;
}

template <typename T>
double DotT(const T *HWY_RESTRICT x, const T *HWY_RESTRICT y, size_t n) {
  const hn::ScalableTag<double> d;
  const size_t N = hn::Lanes(d);
  auto a = hn::Zero(d), b = hn::Zero(d);
  size_t i = 0;
  for (; i + 2 * N <= n; i += 2 * N) {
    a = hn::MulAdd(LoadF64(d, x + i), LoadF64(d, y + i), a);
    b = hn::MulAdd(LoadF64(d, x + i + N), LoadF64(d, y + i + N), b);
  }
  if (i + N <= n) {
    a = hn::MulAdd(LoadF64(d, x + i), LoadF64(d, y + i), a);
    i += N;
  }
  double s = hn::GetLane(hn::SumOfLanes(d, hn::Add(a, b)));
  for (; i < n; ++i) s += static_cast<double>(x[i]) * static_cast<double>(y[i]);
  return s;
}

template <typename T>
void CoMomentsT(const T *HWY_RESTRICT x, const T *HWY_RESTRICT y, size_t n, double mx,
                double my, CoMoments *out) {
  const hn::ScalableTag<double> d;
  const size_t N = hn::Lanes(d);
  const auto vmx = hn::Set(d, mx), vmy = hn::Set(d, my);
  auto dx = hn::Zero(d), dy = hn::Zero(d), sxx = hn::Zero(d), syy = hn::Zero(d),
       sxy = hn::Zero(d);
  size_t i = 0;
  for (; i + N <= n; i += N) {
    const auto u = hn::Sub(LoadF64(d, x + i), vmx);
    const auto v = hn::Sub(LoadF64(d, y + i), vmy);
    dx = hn::Add(dx, u);
    dy = hn::Add(dy, v);
    sxx = hn::MulAdd(u, u, sxx);
    syy = hn::MulAdd(v, v, syy);
    sxy = hn::MulAdd(u, v, sxy);
  }
  CoMoments r;
  r.dx = hn::GetLane(hn::SumOfLanes(d, dx));
  r.dy = hn::GetLane(hn::SumOfLanes(d, dy));
  r.sxx = hn::GetLane(hn::SumOfLanes(d, sxx));
  r.syy = hn::GetLane(hn::SumOfLanes(d, syy));
  r.sxy = hn::GetLane(hn::SumOfLanes(d, sxy));
  for (; i < n; ++i) {
    const double u = static_cast<double>(x[i]) - mx, v = static_cast<double>(y[i]) - my;
    r.dx += u;
    r.dy += v;
    r.sxx += u * u;
    r.syy += v * v;
    r.sxy += u * v;
  }
  *out = r;
}

// A sample is "negative" unless x >= 0 (so NaN is negative and 0 positive).
template <typename T>
uint64_t SignChangesT(const T *HWY_RESTRICT x, size_t n) {
  if (n < 2) return 0;
  const hn::ScalableTag<T> d;
  const size_t N = hn::Lanes(d);
  const auto zero = hn::Zero(d);
  uint64_t count = 0;
  size_t i = 1;
  for (; i + N <= n; i += N) {
    const auto cur = hn::Ge(hn::LoadU(d, x + i), zero);
    const auto prev = hn::Ge(hn::LoadU(d, x + i - 1), zero);
    count += hn::CountTrue(d, hn::Xor(cur, prev));
  }
  for (; i < n; ++i) count += (x[i] >= T(0)) != (x[i - 1] >= T(0));
  return count;
}

double SumF32(const float *x, size_t n) { return SumT(x, n); }
double SumF64(const double *x, size_t n) { return SumT(x, n); }
double SumSquaresF32(const float *x, size_t n) { return DotT(x, x, n); }
double SumSquaresF64(const double *x, size_t n) { return DotT(x, x, n); }
double DotF32(const float *x, const float *y, size_t n) { return DotT(x, y, n); }
double DotF64(const double *x, const double *y, size_t n) { return DotT(x, y, n); }
void CoMomentsF32(const float *x, const float *y, size_t n, double mx, double my,
                  CoMoments *out) {
  CoMomentsT(x, y, n, mx, my, out);
}
void CoMomentsF64(const double *x, const double *y, size_t n, double mx, double my,
                  CoMoments *out) {
  CoMomentsT(x, y, n, mx, my, out);
}
uint64_t SignChangesF32(const float *x, size_t n) { return SignChangesT(x, n); }
uint64_t SignChangesF64(const double *x, size_t n) { return SignChangesT(x, n); }

}  // namespace HWY_NAMESPACE
}  // namespace simd
}  // namespace core
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace core {
namespace simd {

HWY_EXPORT(SumF32);
HWY_EXPORT(SumF64);
HWY_EXPORT(SumSquaresF32);
HWY_EXPORT(SumSquaresF64);
HWY_EXPORT(DotF32);
HWY_EXPORT(DotF64);
HWY_EXPORT(CoMomentsF32);
HWY_EXPORT(CoMomentsF64);
HWY_EXPORT(SignChangesF32);
HWY_EXPORT(SignChangesF64);

double block_sum(const float *x, std::size_t n) { return HWY_DYNAMIC_DISPATCH(SumF32)(x, n); }
double block_sum(const double *x, std::size_t n) { return HWY_DYNAMIC_DISPATCH(SumF64)(x, n); }
double block_sum_squares(const float *x, std::size_t n) {
  return HWY_DYNAMIC_DISPATCH(SumSquaresF32)(x, n);
}
double block_sum_squares(const double *x, std::size_t n) {
  return HWY_DYNAMIC_DISPATCH(SumSquaresF64)(x, n);
}
double block_dot(const float *x, const float *y, std::size_t n) {
  return HWY_DYNAMIC_DISPATCH(DotF32)(x, y, n);
}
double block_dot(const double *x, const double *y, std::size_t n) {
  return HWY_DYNAMIC_DISPATCH(DotF64)(x, y, n);
}
void block_co_moments(const float *x, const float *y, std::size_t n, double mx, double my,
                      CoMoments *out) {
  HWY_DYNAMIC_DISPATCH(CoMomentsF32)(x, y, n, mx, my, out);
}
void block_co_moments(const double *x, const double *y, std::size_t n, double mx, double my,
                      CoMoments *out) {
  HWY_DYNAMIC_DISPATCH(CoMomentsF64)(x, y, n, mx, my, out);
}
std::uint64_t block_sign_changes(const float *x, std::size_t n) {
  return HWY_DYNAMIC_DISPATCH(SignChangesF32)(x, n);
}
std::uint64_t block_sign_changes(const double *x, std::size_t n) {
  return HWY_DYNAMIC_DISPATCH(SignChangesF64)(x, n);
}

}  // namespace simd
}  // namespace core
#endif
