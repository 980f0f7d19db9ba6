// Shared per-target helpers for the kernels: loading float32 or float64 data
// as float64 lanes. Included by each kernel .cc inside HWY_NAMESPACE, once per
// target (Highway's "-inl.h" convention: guarded per target, not once).
#if defined(LIBCORE_SIMD_LOAD_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef LIBCORE_SIMD_LOAD_INL_H_
#undef LIBCORE_SIMD_LOAD_INL_H_
#else
#define LIBCORE_SIMD_LOAD_INL_H_
#endif

#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace core {
namespace simd {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Lanes(d64) values starting at p, as float64.
template <class D64>
HWY_INLINE hn::Vec<D64> LoadF64(D64 d64, const double *HWY_RESTRICT p) {
  return hn::LoadU(d64, p);
}
template <class D64>
HWY_INLINE hn::Vec<D64> LoadF64(D64 d64, const float *HWY_RESTRICT p) {
  const hn::Rebind<float, D64> df;
  return hn::PromoteTo(d64, hn::LoadU(df, p));
}

// Stores float64 lanes to p, rounding once for a float32 destination.
template <class D64>
HWY_INLINE void StoreF64(D64 /*d64*/, hn::Vec<D64> v, double *HWY_RESTRICT p) {
  hn::StoreU(v, D64(), p);
}
template <class D64>
HWY_INLINE void StoreF64(D64 /*d64*/, hn::Vec<D64> v, float *HWY_RESTRICT p) {
  const hn::Rebind<float, D64> df;
  hn::StoreU(hn::DemoteTo(df, v), df, p);
}

}  // namespace HWY_NAMESPACE
}  // namespace simd
}  // namespace core
HWY_AFTER_NAMESPACE();

#endif
