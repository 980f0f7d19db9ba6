// Element-wise transforms: z-score, normal pdf, int16 PCM <-> float.
// Arithmetic is float64 (rounded once to float32 on store) except the
// float32 -> PCM path, where float32 is exact: x * 32768 only shifts the
// exponent.
#include <cmath>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "libcore/simd/transform_kernels.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>
#include <hwy/contrib/math/math-inl.h>

#include "libcore/simd/kernels.h"
#include "libcore/simd/load-inl.h"

HWY_BEFORE_NAMESPACE();
namespace core {
namespace simd {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

template <typename T>
void ZscoreT(T *HWY_RESTRICT x, size_t n, double mean, double std) {
  const hn::ScalableTag<double> d;
  const size_t N = hn::Lanes(d);
  const auto vmean = hn::Set(d, mean), vstd = hn::Set(d, std);
  size_t i = 0;
  for (; i + N <= n; i += N) StoreF64(d, hn::Div(hn::Sub(LoadF64(d, x + i), vmean), vstd), x + i);
  for (; i < n; ++i) x[i] = static_cast<T>((static_cast<double>(x[i]) - mean) / std);
}

// exp(-z^2/2) underflows to 0 well before z^2/2 = 800; clamping there keeps
// Highway's Exp inside its valid range for z = +-inf. NaN compares false and
// passes through unclamped, so NaN in gives NaN out.
constexpr double kMinExpArg = -800.0;
constexpr double kSqrt2Pi = 2.5066282746310002;

template <typename T>
void NormalPdfT(const T *HWY_RESTRICT x, size_t n, double mean, double std, T *out) {
  const hn::ScalableTag<double> d;
  const size_t N = hn::Lanes(d);
  const double norm = std * kSqrt2Pi;
  const auto vmean = hn::Set(d, mean), vstd = hn::Set(d, std), vnorm = hn::Set(d, norm);
  const auto vhalf = hn::Set(d, -0.5), vmin = hn::Set(d, kMinExpArg);
  size_t i = 0;
  for (; i + N <= n; i += N) {
    const auto z = hn::Div(hn::Sub(LoadF64(d, x + i), vmean), vstd);
    auto arg = hn::Mul(vhalf, hn::Mul(z, z));
    arg = hn::IfThenElse(hn::Lt(arg, vmin), vmin, arg);
    StoreF64(d, hn::Div(hn::Exp(d, arg), vnorm), out + i);
  }
  for (; i < n; ++i) {
    const double z = (static_cast<double>(x[i]) - mean) / std;
    out[i] = static_cast<T>(std::exp(-0.5 * (z * z)) / norm);
  }
}

// int16 -> int32 -> float; float64 lanes take the int32 half of the vector.
template <typename T>
void Pcm16ToFloatT(const int16_t *HWY_RESTRICT in, size_t n, T *HWY_RESTRICT out) {
  const hn::ScalableTag<T> d;
  const hn::Rebind<int32_t, decltype(d)> di;
  const hn::Rebind<int16_t, decltype(d)> d16;
  const size_t N = hn::Lanes(d);
  const auto scale = hn::Set(d, T(1) / T(32768));
  size_t i = 0;
  for (; i + N <= n; i += N) {
    const auto wide = hn::PromoteTo(di, hn::LoadU(d16, in + i));
    const auto v = [&] {
      if constexpr (sizeof(T) == 4) return hn::ConvertTo(d, wide);
      else return hn::PromoteTo(d, wide);
    }();
    hn::StoreU(hn::Mul(v, scale), d, out + i);
  }
  for (; i < n; ++i) out[i] = static_cast<T>(in[i]) * (T(1) / T(32768));
}

// Scalar reference for one sample: round half to even, clip, NaN -> 0.
HWY_INLINE int16_t ToPcm16(double scaled, size_t *clipped) {
  const double r = std::nearbyint(scaled);
  if (r >= -32768.0 && r <= 32767.0) return static_cast<int16_t>(r);
  ++*clipped;
  if (r != r) return 0;
  return r < 0 ? int16_t(-32768) : int16_t(32767);
}

// Round, count what falls outside [-32768, 32767] (NaN included: it fails
// both comparisons), then clamp, NaN -> 0, and narrow.
template <class D, class V>
HWY_INLINE V RoundClampCount(D d, V scaled, size_t *clipped) {
  const auto lo = hn::Set(d, -32768.0), hi = hn::Set(d, 32767.0);
  auto r = hn::Round(scaled);
  const auto inside = hn::And(hn::Ge(r, lo), hn::Le(r, hi));
  *clipped += hn::CountTrue(d, hn::Not(inside));
  r = hn::IfThenElseZero(hn::Not(hn::IsNaN(r)), r);
  return hn::Min(hn::Max(r, lo), hi);
}

// float32 scales and rounds in float32 (exact: x * 32768 only shifts the
// exponent); float64 in float64. Both narrow through int32.
template <typename T>
size_t FloatToPcm16T(const T *HWY_RESTRICT in, size_t n, int16_t *HWY_RESTRICT out) {
  const hn::ScalableTag<T> d;
  const hn::Rebind<int32_t, decltype(d)> di;
  const hn::Rebind<int16_t, decltype(d)> d16;
  const size_t N = hn::Lanes(d);
  const auto scale = hn::Set(d, T(32768));
  size_t clipped = 0, i = 0;
  for (; i + N <= n; i += N) {
    const auto r = RoundClampCount(d, hn::Mul(hn::LoadU(d, in + i), scale), &clipped);
    const auto wide = [&] {  // r is integral and in range: exact either way
      if constexpr (sizeof(T) == 4) return hn::ConvertTo(di, r);
      else return hn::DemoteTo(di, r);
    }();
    hn::StoreU(hn::DemoteTo(d16, wide), d16, out + i);
  }
  for (; i < n; ++i) out[i] = ToPcm16(static_cast<double>(in[i]) * 32768.0, &clipped);
  return clipped;
}

size_t F32ToPcm16(const float *in, size_t n, int16_t *out) { return FloatToPcm16T(in, n, out); }
size_t F64ToPcm16(const double *in, size_t n, int16_t *out) { return FloatToPcm16T(in, n, out); }

void Pcm16ToF32(const int16_t *in, size_t n, float *out) { Pcm16ToFloatT(in, n, out); }
void Pcm16ToF64(const int16_t *in, size_t n, double *out) { Pcm16ToFloatT(in, n, out); }
void ZscoreF32(float *x, size_t n, double mean, double std) { ZscoreT(x, n, mean, std); }
void ZscoreF64(double *x, size_t n, double mean, double std) { ZscoreT(x, n, mean, std); }
void NormalPdfF32(const float *x, size_t n, double mean, double std, float *out) {
  NormalPdfT(x, n, mean, std, out);
}
void NormalPdfF64(const double *x, size_t n, double mean, double std, double *out) {
  NormalPdfT(x, n, mean, std, out);
}

}  // namespace HWY_NAMESPACE
}  // namespace simd
}  // namespace core
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace core {
namespace simd {

HWY_EXPORT(ZscoreF32);
HWY_EXPORT(ZscoreF64);
HWY_EXPORT(NormalPdfF32);
HWY_EXPORT(NormalPdfF64);
HWY_EXPORT(Pcm16ToF32);
HWY_EXPORT(Pcm16ToF64);
HWY_EXPORT(F32ToPcm16);
HWY_EXPORT(F64ToPcm16);

void zscore(float *x, std::size_t n, double mean, double std) {
  HWY_DYNAMIC_DISPATCH(ZscoreF32)(x, n, mean, std);
}
void zscore(double *x, std::size_t n, double mean, double std) {
  HWY_DYNAMIC_DISPATCH(ZscoreF64)(x, n, mean, std);
}
void normal_pdf(const float *x, std::size_t n, double mean, double std, float *out) {
  HWY_DYNAMIC_DISPATCH(NormalPdfF32)(x, n, mean, std, out);
}
void normal_pdf(const double *x, std::size_t n, double mean, double std, double *out) {
  HWY_DYNAMIC_DISPATCH(NormalPdfF64)(x, n, mean, std, out);
}
void pcm16_to_float(const std::int16_t *in, std::size_t n, float *out) {
  HWY_DYNAMIC_DISPATCH(Pcm16ToF32)(in, n, out);
}
void pcm16_to_float(const std::int16_t *in, std::size_t n, double *out) {
  HWY_DYNAMIC_DISPATCH(Pcm16ToF64)(in, n, out);
}
std::size_t float_to_pcm16(const float *in, std::size_t n, std::int16_t *out) {
  return HWY_DYNAMIC_DISPATCH(F32ToPcm16)(in, n, out);
}
std::size_t float_to_pcm16(const double *in, std::size_t n, std::int16_t *out) {
  return HWY_DYNAMIC_DISPATCH(F64ToPcm16)(in, n, out);
}

}  // namespace simd
}  // namespace core
#endif
