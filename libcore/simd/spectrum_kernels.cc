// Batched power spectra with frames across the lanes (spectrum.h). A group
// of L frames is transposed so that one vector holds the same sample of L
// frames; a Stockham FFT of the n / 2 packed complex points (even samples
// real, odd imaginary), the real-FFT split and |X|^2 then run as whole-
// vector operations with twiddles broadcast from the plan, and the powers
// are transposed back. Every lane sees the same operation sequence and no
// fused multiply-add is used, so a frame's result is bit-identical whatever
// its lane, the call's count, and the Highway target.
#include <cstddef>
#include <cstdint>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "libcore/simd/spectrum_kernels.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "libcore/simd/spectrum_plan.h"

HWY_BEFORE_NAMESPACE();
namespace core {
namespace simd {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Capped so scratch sized for kSpectrumMaxLanes always suffices. The x86
// targets have fixed widths, so the lane count L is a compile-time constant
// (4, 8 or 16; 1 for scalar) that sizes the transpose tiles.
using DF = hn::CappedTag<float, kSpectrumMaxLanes>;
using VF = hn::Vec<DF>;
constexpr std::size_t kL = hn::MaxLanes(DF());

struct Cx {
  VF re, im;
};

HWY_INLINE Cx CAdd(const Cx &a, const Cx &b) { return {hn::Add(a.re, b.re), hn::Add(a.im, b.im)}; }
HWY_INLINE Cx CSub(const Cx &a, const Cx &b) { return {hn::Sub(a.re, b.re), hn::Sub(a.im, b.im)}; }
HWY_INLINE Cx CScale(const VF &k, const Cx &a) { return {hn::Mul(k, a.re), hn::Mul(k, a.im)}; }
HWY_INLINE Cx CMul(const Cx &a, const Cx &w) {
  return {hn::Sub(hn::Mul(a.re, w.re), hn::Mul(a.im, w.im)),
          hn::Add(hn::Mul(a.re, w.im), hn::Mul(a.im, w.re))};
}
// a - i b and a + i b: the pair every odd-radix butterfly ends with.
HWY_INLINE Cx SubI(const Cx &a, const Cx &b) { return {hn::Add(a.re, b.im), hn::Sub(a.im, b.re)}; }
HWY_INLINE Cx AddI(const Cx &a, const Cx &b) { return {hn::Sub(a.re, b.im), hn::Add(a.im, b.re)}; }

// In place: a[j] <- sum_k a[k] exp(-2 pi i j k / R).
template <int R>
HWY_INLINE void Butterfly(Cx *a);

template <>
HWY_INLINE void Butterfly<2>(Cx *a) {
  const Cx t = a[0];
  a[0] = CAdd(t, a[1]);
  a[1] = CSub(t, a[1]);
}

template <>
HWY_INLINE void Butterfly<4>(Cx *a) {
  const Cx t0 = CAdd(a[0], a[2]), t1 = CSub(a[0], a[2]);
  const Cx t2 = CAdd(a[1], a[3]), t3 = CSub(a[1], a[3]);
  a[0] = CAdd(t0, t2);
  a[2] = CSub(t0, t2);
  a[1] = SubI(t1, t3);
  a[3] = AddI(t1, t3);
}

template <>
HWY_INLINE void Butterfly<3>(Cx *a) {
  const DF d;
  const Cx sum = CAdd(a[1], a[2]);
  const Cx mid = CSub(a[0], CScale(hn::Set(d, 0.5f), sum));
  const Cx rot = CScale(hn::Set(d, 0.866025403784438646764f), CSub(a[1], a[2]));  // sin(2 pi/3)
  a[0] = CAdd(a[0], sum);
  a[1] = SubI(mid, rot);
  a[2] = AddI(mid, rot);
}

template <>
HWY_INLINE void Butterfly<5>(Cx *a) {
  const DF d;
  const VF c1 = hn::Set(d, 0.309016994374947424102f);   // cos(2 pi/5)
  const VF c2 = hn::Set(d, -0.809016994374947424102f);  // cos(4 pi/5)
  const VF s1 = hn::Set(d, 0.951056516295153572116f);   // sin(2 pi/5)
  const VF s2 = hn::Set(d, 0.587785252292473129169f);   // sin(4 pi/5)
  const Cx b1 = CAdd(a[1], a[4]), b2 = CAdd(a[2], a[3]);
  const Cx d1 = CSub(a[1], a[4]), d2 = CSub(a[2], a[3]);
  const Cx r1 = CAdd(CAdd(a[0], CScale(c1, b1)), CScale(c2, b2));
  const Cx r2 = CAdd(CAdd(a[0], CScale(c2, b1)), CScale(c1, b2));
  const Cx i1 = CAdd(CScale(s1, d1), CScale(s2, d2));
  const Cx i2 = CSub(CScale(s2, d1), CScale(s1, d2));
  a[0] = CAdd(CAdd(a[0], b1), b2);
  a[1] = SubI(r1, i1);
  a[4] = AddI(r1, i1);
  a[2] = SubI(r2, i2);
  a[3] = AddI(r2, i2);
}

// Two radix-4 butterflies (even and odd inputs) joined by W8^j = exp(-i pi
// j / 4): W8 = (1 - i) / sqrt 2, W8^2 = -i, W8^3 = -(1 + i) / sqrt 2.
template <>
HWY_INLINE void Butterfly<8>(Cx *a) {
  const VF r = hn::Set(DF(), 0.707106781186547524401f);  // 1 / sqrt 2
  Cx e[4] = {a[0], a[2], a[4], a[6]}, o[4] = {a[1], a[3], a[5], a[7]};
  Butterfly<4>(e);
  Butterfly<4>(o);
  const Cx o1 = {hn::Mul(r, hn::Add(o[1].re, o[1].im)), hn::Mul(r, hn::Sub(o[1].im, o[1].re))};
  const Cx o3 = {hn::Mul(r, hn::Sub(o[3].im, o[3].re)), hn::Mul(r, hn::Add(o[3].re, o[3].im))};
  a[0] = CAdd(e[0], o[0]);
  a[4] = CSub(e[0], o[0]);
  a[1] = CAdd(e[1], o1);
  a[5] = CSub(e[1], o1);
  a[2] = SubI(e[2], o[2]);
  a[6] = AddI(e[2], o[2]);
  a[3] = {hn::Add(e[3].re, o3.re), hn::Sub(e[3].im, o3.im)};  // e3 + W8^3 o3
  a[7] = {hn::Sub(e[3].re, o3.re), hn::Add(e[3].im, o3.im)};
}

// Complex vectors live in separate re and im planes; index e (in vectors)
// is at e * L floats of each plane.
struct Planes {
  float *re, *im;
};

// The s butterflies of one p (see SpectrumStage). p = 0 has unit twiddles,
// so it skips the multiplies; that choice depends on p only, never on lanes.
template <int R, bool kTwiddle>
HWY_INLINE void Butterflies(const SpectrumStage &st, std::size_t p, const float *tw,
                            const Planes &x, const Planes &y) {
  const DF d;
  const std::size_t m = st.m, s = st.s;
  Cx w[R - 1];
  if (kTwiddle) {
    for (int j = 1; j < R; ++j) w[j - 1] = {hn::Set(d, tw[2 * j - 2]), hn::Set(d, tw[2 * j - 1])};
  }
  for (std::size_t q = 0; q < s; ++q) {
    Cx a[R];
    for (int k = 0; k < R; ++k) {
      const std::size_t off = (s * (p + k * m) + q) * kL;
      a[k] = {hn::Load(d, x.re + off), hn::Load(d, x.im + off)};
    }
    Butterfly<R>(a);
    for (int j = 0; j < R; ++j) {
      if (kTwiddle && j > 0) a[j] = CMul(a[j], w[j - 1]);
      const std::size_t off = (s * (R * p + j) + q) * kL;
      hn::Store(a[j].re, d, y.re + off);
      hn::Store(a[j].im, d, y.im + off);
    }
  }
}

template <int R>
void Pass(const SpectrumStage &st, const float *twiddles, const Planes &x, const Planes &y) {
  Butterflies<R, false>(st, 0, nullptr, x, y);
  for (std::size_t p = 1; p < st.m; ++p)
    Butterflies<R, true>(st, p, twiddles + st.twiddle + 2 * (R - 1) * p, x, y);
}

// ---- transposes between frames and lanes --------------------------------

// v[r] holds lanes c = 0 .. L-1 of row r of an L x L matrix; afterwards v[c]
// holds column c. Pure data movement, so it never changes a value. Built
// from 4 x 4 transposes inside each 128-bit block, then whole blocks are
// exchanged between the 4-row groups (one step for 8 lanes, two for 16).
#if HWY_TARGET == HWY_SCALAR
template <class D>
HWY_INLINE void Transpose(D, hn::Vec<D> *) {}  // 1 x 1
#else
template <class D>
HWY_INLINE void Transpose4InBlocks(D d, hn::Vec<D> *v) {
  const hn::Repartition<uint64_t, D> du;
  const auto t0 = hn::BitCast(du, hn::InterleaveLower(d, v[0], v[1]));
  const auto t1 = hn::BitCast(du, hn::InterleaveLower(d, v[2], v[3]));
  const auto t2 = hn::BitCast(du, hn::InterleaveUpper(d, v[0], v[1]));
  const auto t3 = hn::BitCast(du, hn::InterleaveUpper(d, v[2], v[3]));
  v[0] = hn::BitCast(d, hn::InterleaveLower(du, t0, t1));
  v[1] = hn::BitCast(d, hn::InterleaveUpper(du, t0, t1));
  v[2] = hn::BitCast(d, hn::InterleaveLower(du, t2, t3));
  v[3] = hn::BitCast(d, hn::InterleaveUpper(du, t2, t3));
}

template <class D>
HWY_INLINE void Transpose(D d, hn::Vec<D> *v) {
  constexpr size_t kN = hn::MaxLanes(D());  // dependent, so if constexpr discards
  for (size_t g = 0; g < kN; g += 4) Transpose4InBlocks(d, v + g);
  if constexpr (kN == 8) {  // after the 4 x 4 steps, v[4h + s] block b = column 4b + s
    for (size_t s = 0; s < 4; ++s) {
      const auto lo = v[s], hi = v[4 + s];
      v[s] = hn::ConcatLowerLower(d, hi, lo);
      v[4 + s] = hn::ConcatUpperUpper(d, hi, lo);
    }
  } else if constexpr (kN == 16) {  // a 4 x 4 transpose of blocks, per s
    for (size_t s = 0; s < 4; ++s) {
      const auto x = v[s], y = v[4 + s], z = v[8 + s], w = v[12 + s];
      const auto xy0 = hn::OddEvenBlocks(hn::SwapAdjacentBlocks(y), x);  // x0 y0 x2 y2
      const auto xy1 = hn::OddEvenBlocks(y, hn::SwapAdjacentBlocks(x));  // x1 y1 x3 y3
      const auto zw0 = hn::OddEvenBlocks(hn::SwapAdjacentBlocks(w), z);
      const auto zw1 = hn::OddEvenBlocks(w, hn::SwapAdjacentBlocks(z));
      v[s] = hn::ConcatLowerLower(d, zw0, xy0);
      v[4 + s] = hn::ConcatLowerLower(d, zw1, xy1);
      v[8 + s] = hn::ConcatUpperUpper(d, zw0, xy0);
      v[12 + s] = hn::ConcatUpperUpper(d, zw1, xy1);
    }
  } else {
    static_assert(kN == 4, "lane counts 1, 4, 8, 16 only");
  }
}
#endif

// Windowed frames -> packed planes: sample j of frame l goes to lane l of
// vector j / 2 of the re plane (j even) or the im plane (j odd). Frames
// past `lanes` are zero. Whole L x L tiles go through Transpose, the last
// n % L samples one by one; w * x rounds the same either way.
template <class D>
void TransposeIn(D d, const float *const *frames, std::size_t lanes, const float *window,
                 std::size_t n, const Planes &z) {
  constexpr std::size_t L = kL;
  hn::Vec<D> v[L];
  std::size_t j0 = 0;
  for (; j0 + L <= n; j0 += L) {
    const auto w = hn::LoadU(d, window + j0);
    for (std::size_t l = 0; l < L; ++l)
      v[l] = l < lanes ? hn::Mul(w, hn::LoadU(d, frames[l] + j0)) : hn::Zero(d);
    Transpose(d, v);
    for (std::size_t i = 0; i < L; ++i)
      hn::Store(v[i], d, ((j0 + i) % 2 ? z.im : z.re) + (j0 + i) / 2 * L);
  }
  for (std::size_t j = j0; j < n; ++j) {
    float *out = (j % 2 ? z.im : z.re) + j / 2 * L;
    for (std::size_t l = 0; l < L; ++l) out[l] = l < lanes ? window[j] * frames[l][j] : 0.0f;
  }
}

// Z = FFT of the packed frame; with Z[half] = Z[0], A = Z[k] + conj Z[half-k]
// and B = Z[k] - conj Z[half-k], bins k and half - k are
//   2 X[k] = A + split[k] B,   2 conj X[half-k] = A - split[half-k] conj B,
// so one pair of loads serves both. power = |X|^2, halved before squaring
// so it overflows no sooner than |X|^2 itself would.
void SplitPower(const SpectrumPlan &plan, const Planes &z, float *power) {
  const DF d;
  const std::size_t L = kL, half = plan.half;
  const VF halve = hn::Set(d, 0.5f);
  for (std::size_t k = 0; 2 * k <= half; ++k) {
    const std::size_t kb = half - k, ia = k * L, ib = (kb == half ? 0 : kb) * L;
    const VF ar = hn::Load(d, z.re + ia), ai = hn::Load(d, z.im + ia);
    const VF br = hn::Load(d, z.re + ib), bi = hn::Load(d, z.im + ib);
    const Cx sum = {hn::Add(ar, br), hn::Sub(ai, bi)};
    const Cx dif = {hn::Sub(ar, br), hn::Add(ai, bi)};
    const Cx w = {hn::Set(d, plan.split[2 * k]), hn::Set(d, plan.split[2 * k + 1])};
    const Cx x = CScale(halve, CAdd(sum, CMul(dif, w)));
    hn::Store(hn::Add(hn::Mul(x.re, x.re), hn::Mul(x.im, x.im)), d, power + k * L);
    if (kb == k) break;
    const VF wr = hn::Set(d, plan.split[2 * kb]), wi = hn::Set(d, plan.split[2 * kb + 1]);
    const VF cr = hn::Add(hn::Mul(dif.re, wr), hn::Mul(dif.im, wi));  // conj(B) w, conjugated
    const VF ci = hn::Sub(hn::Mul(dif.re, wi), hn::Mul(dif.im, wr));
    const VF xr = hn::Mul(halve, hn::Sub(sum.re, cr)), xi = hn::Mul(halve, hn::Add(sum.im, ci));
    hn::Store(hn::Add(hn::Mul(xr, xr), hn::Mul(xi, xi)), d, power + kb * L);
  }
}

// Powers in lanes (bin k of frame l at pw[k L + l]) -> power[l bins + k]
// for the frames that exist.
template <class D>
void TransposeOut(D d, const float *pw, std::size_t lanes, std::size_t bins, float *power) {
  constexpr std::size_t L = kL;
  hn::Vec<D> v[L];
  std::size_t k0 = 0;
  for (; k0 + L <= bins; k0 += L) {
    for (std::size_t i = 0; i < L; ++i) v[i] = hn::Load(d, pw + (k0 + i) * L);
    Transpose(d, v);
    for (std::size_t l = 0; l < lanes; ++l) hn::StoreU(v[l], d, power + l * bins + k0);
  }
  for (std::size_t l = 0; l < lanes; ++l)
    for (std::size_t k = k0; k < bins; ++k) power[l * bins + k] = pw[k * L + l];
}

void PowerSpectrum(const SpectrumPlan *plan, const float *const *frames, std::size_t count,
                   const float *window, float *power, float *scratch) {
  if (plan == nullptr || count == 0) return;
  constexpr std::size_t L = kL;
  const std::size_t half = plan->half, bins = half + 1;
  const std::uintptr_t raw = reinterpret_cast<std::uintptr_t>(scratch);
  const std::size_t skip = ((kSpectrumAlign - raw % kSpectrumAlign) % kSpectrumAlign) / sizeof(float);
  float *base = scratch + skip;
  const std::size_t plane = half * L;
  const Planes a = {base, base + plane}, b = {base + 2 * plane, base + 3 * plane};

  // The last group is partial: same code, zero frames in the spare lanes.
  for (std::size_t g = 0; g < count; g += L) {
    const std::size_t lanes = count - g < L ? count - g : L;
    TransposeIn(DF(), frames + g, lanes, window, plan->n, a);
    Planes x = a, y = b;
    for (const SpectrumStage &st : plan->stages) {
      switch (st.radix) {
        case 2: Pass<2>(st, plan->twiddles.data(), x, y); break;
        case 3: Pass<3>(st, plan->twiddles.data(), x, y); break;
        case 4: Pass<4>(st, plan->twiddles.data(), x, y); break;
        case 8: Pass<8>(st, plan->twiddles.data(), x, y); break;
        default: Pass<5>(st, plan->twiddles.data(), x, y); break;
      }
      const Planes t = x;
      x = y;
      y = t;
    }
    // x holds Z; the other buffer (re and im planes back to back, 2 half >=
    // bins vectors) takes the powers.
    float *pw = x.re == a.re ? b.re : a.re;
    SplitPower(*plan, x, pw);
    TransposeOut(DF(), pw, lanes, bins, power + g * bins);
  }
}

}  // namespace HWY_NAMESPACE
}  // namespace simd
}  // namespace core
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace core {
namespace simd {

HWY_EXPORT(PowerSpectrum);

void power_spectrum(const SpectrumPlan *plan, const float *const *frames, std::size_t count,
                    const float *window, float *power, float *scratch) {
  HWY_DYNAMIC_DISPATCH(PowerSpectrum)(plan, frames, count, window, power, scratch);
}

}  // namespace simd
}  // namespace core
#endif
