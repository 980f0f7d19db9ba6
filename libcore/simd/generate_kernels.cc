// Array generators: start + i * step from the index (arange, linspace) and
// constant fills. Values are computed in float64 and rounded once.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "libcore/simd/generate_kernels.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "libcore/simd/kernels.h"
#include "libcore/simd/load-inl.h"

HWY_BEFORE_NAMESPACE();
namespace core {
namespace simd {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// The index vector is kept in float64, exact up to 2^53 elements, and the
// multiply and add stay separate (the build forbids contraction) so every
// target and the scalar tail round exactly like `start + i * step` in C.
template <typename T>
void AffineIndexT(T *HWY_RESTRICT out, size_t n, double start, double step, size_t first) {
  const hn::ScalableTag<double> d;
  const size_t N = hn::Lanes(d);
  const auto vstart = hn::Set(d, start), vstep = hn::Set(d, step);
  const auto vinc = hn::Set(d, static_cast<double>(N));
  auto idx = hn::Iota(d, static_cast<double>(first));
  size_t i = 0;
  for (; i + N <= n; i += N) {
    StoreF64(d, hn::Add(vstart, hn::Mul(idx, vstep)), out + i);
    idx = hn::Add(idx, vinc);
  }
  for (; i < n; ++i) out[i] = static_cast<T>(start + static_cast<double>(first + i) * step);
}

template <typename T>
void FillT(T *HWY_RESTRICT out, size_t n, T value) {
  const hn::ScalableTag<T> d;
  const size_t N = hn::Lanes(d);
  const auto v = hn::Set(d, value);
  size_t i = 0;
  for (; i + 2 * N <= n; i += 2 * N) {
    hn::StoreU(v, d, out + i);
    hn::StoreU(v, d, out + i + N);
  }
  for (; i < n; ++i) out[i] = value;
}

void AffineIndexF32(float *out, size_t n, double start, double step, size_t first) {
  AffineIndexT(out, n, start, step, first);
}
void AffineIndexF64(double *out, size_t n, double start, double step, size_t first) {
  AffineIndexT(out, n, start, step, first);
}
void FillF32(float *out, size_t n, float value) { FillT(out, n, value); }
void FillF64(double *out, size_t n, double value) { FillT(out, n, value); }

}  // namespace HWY_NAMESPACE
}  // namespace simd
}  // namespace core
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace core {
namespace simd {

HWY_EXPORT(AffineIndexF32);
HWY_EXPORT(AffineIndexF64);
HWY_EXPORT(FillF32);
HWY_EXPORT(FillF64);

void affine_index(float *out, std::size_t n, double start, double step, std::size_t first) {
  HWY_DYNAMIC_DISPATCH(AffineIndexF32)(out, n, start, step, first);
}
void affine_index(double *out, std::size_t n, double start, double step, std::size_t first) {
  HWY_DYNAMIC_DISPATCH(AffineIndexF64)(out, n, start, step, first);
}
void fill(float *out, std::size_t n, float value) { HWY_DYNAMIC_DISPATCH(FillF32)(out, n, value); }
void fill(double *out, std::size_t n, double value) {
  HWY_DYNAMIC_DISPATCH(FillF64)(out, n, value);
}

}  // namespace simd
}  // namespace core
#endif
