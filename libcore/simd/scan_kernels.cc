// Cumulative sum with float64 compensated accumulation, rounded once per
// element.
//
// A running sum is one long dependency chain (an add's latency per element;
// that is where NumPy's cumsum spends its time). Here each chunk of
// L * kSegment elements (L = float64 lanes) is cut into L segments that run
// as the L lanes of one vector chain:
//   1. transpose: row k holds element k of every segment (L x L tiles in
//      registers; hardware gathers are slower here);
//   2. scan the rows with a vector TwoSum (Knuth), keeping each lane's
//      running sum and its error term;
//   3. give each lane its offset: the compensated (Neumaier) total of all
//      earlier segments and chunks;
//   4. emit offset + local sum through another TwoSum, rounded once, and
//      transpose back.
// The result is the correctly rounded prefix sum in nearly all cases, for
// both dtypes, and [1e16, 1, -1e16, 1] gives 1, 2 even for float32 input.
// Once a sum is infinite its error terms are meaningless (inf - inf); the
// emit and the carry ignore them then, so inf propagates as inf.
#include <cmath>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "libcore/simd/scan_kernels.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "libcore/simd/carry.h"
#include "libcore/simd/kernels.h"
#include "libcore/simd/load-inl.h"

HWY_BEFORE_NAMESPACE();
namespace core {
namespace simd {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

constexpr size_t kSegment = kCumsumSegment;  // 3 buffers x 8 KiB of stack on AVX-512
constexpr size_t kMaxLanes = HWY_MAX_BYTES / sizeof(double);

// Copies the L x L tile at src (rows src_stride apart) transposed to dst
// (rows dst_stride apart). float32 tiles of 4 or 8 lanes go through
// registers (unpack 32-bit, unpack 64-bit, then swap 128-bit halves); other
// shapes move one element at a time.
template <class DF>
HWY_INLINE void TransposeTile(DF df, const float *HWY_RESTRICT src, size_t src_stride,
                              float *HWY_RESTRICT dst, size_t dst_stride) {
  constexpr size_t L = hn::MaxLanes(DF());
#if HWY_TARGET != HWY_SCALAR
  if constexpr (L == 4 || L == 8) {
    const hn::Repartition<double, DF> dd;
    hn::Vec<DF> r[L], t[L];
    for (size_t j = 0; j < L; ++j) r[j] = hn::LoadU(df, src + j * src_stride);
    for (size_t j = 0; j < L; j += 2) {
      t[j] = hn::InterleaveLower(df, r[j], r[j + 1]);
      t[j + 1] = hn::InterleaveUpper(df, r[j], r[j + 1]);
    }
    for (size_t j = 0; j < L; j += 4) {  // 64-bit pairs: columns within 128 bits
      const auto a = hn::BitCast(dd, t[j]), b = hn::BitCast(dd, t[j + 1]);
      const auto c = hn::BitCast(dd, t[j + 2]), e = hn::BitCast(dd, t[j + 3]);
      r[j] = hn::BitCast(df, hn::InterleaveLower(dd, a, c));
      r[j + 1] = hn::BitCast(df, hn::InterleaveUpper(dd, a, c));
      r[j + 2] = hn::BitCast(df, hn::InterleaveLower(dd, b, e));
      r[j + 3] = hn::BitCast(df, hn::InterleaveUpper(dd, b, e));
    }
    if constexpr (L == 8) {  // column c's halves sit in r[c % 4] and r[4 + c % 4]
      for (size_t j = 0; j < 4; ++j) {
        hn::StoreU(hn::ConcatLowerLower(df, r[j + 4], r[j]), df, dst + j * dst_stride);
        hn::StoreU(hn::ConcatUpperUpper(df, r[j + 4], r[j]), df, dst + (j + 4) * dst_stride);
      }
    } else {
      for (size_t j = 0; j < L; ++j) hn::StoreU(r[j], df, dst + j * dst_stride);
    }
    return;
  }
#endif
  for (size_t j = 0; j < L; ++j)
    for (size_t k = 0; k < L; ++k) dst[k * dst_stride + j] = src[j * src_stride + k];
}
template <class DF>
HWY_INLINE void TransposeTile(DF, const double *HWY_RESTRICT src, size_t src_stride,
                              double *HWY_RESTRICT dst, size_t dst_stride) {
  constexpr size_t L = hn::MaxLanes(DF());
  for (size_t j = 0; j < L; ++j)
    for (size_t k = 0; k < L; ++k) dst[k * dst_stride + j] = src[j * src_stride + k];
}

// segments[j * kSegment + k] <-> rows[k * L + j], tile by tile.
template <class DT, typename T>
HWY_INLINE void ToRows(DT dt, const T *HWY_RESTRICT segments, T *HWY_RESTRICT rows) {
  constexpr size_t L = hn::MaxLanes(DT());
  for (size_t k = 0; k < kSegment; k += L) TransposeTile(dt, segments + k, kSegment, rows + k * L, L);
}
template <class DT, typename T>
HWY_INLINE void FromRows(DT dt, const T *HWY_RESTRICT rows, T *HWY_RESTRICT segments) {
  constexpr size_t L = hn::MaxLanes(DT());
  for (size_t k = 0; k < kSegment; k += L) TransposeTile(dt, rows + k * L, L, segments + k, kSegment);
}

// Step 2 for one chunk already in `rows`: the lane chains. With sums and
// comps non-null every row's running values are kept for the emit; either
// way the lanes' totals and error terms end in lane[0, L) and lane[L, 2L).
template <class D, typename T>
HWY_INLINE void ScanRows(D d, const T *HWY_RESTRICT rows, double *HWY_RESTRICT sums,
                         double *HWY_RESTRICT comps, double *HWY_RESTRICT lane) {
  const size_t L = hn::Lanes(d);
  auto s = hn::Zero(d), c = hn::Zero(d);
  for (size_t k = 0; k < kSegment; ++k) {
    const auto v = LoadF64(d, rows + k * L);
    const auto t = hn::Add(s, v);
    const auto z = hn::Sub(t, s);
    c = hn::Add(c, hn::Add(hn::Sub(s, hn::Sub(t, z)), hn::Sub(v, z)));
    s = t;
    if (sums != nullptr) {
      hn::Store(s, d, sums + k * L);
      hn::Store(c, d, comps + k * L);
    }
  }
  hn::StoreU(s, d, lane);  // lane may be the driver's (unaligned) totals
  hn::StoreU(c, d, lane + L);
}

// The cumsum of x[0, n) given the carry of everything before x.
template <typename T>
void CumsumFromT(const T *HWY_RESTRICT x, size_t n, Carry carry, T *out) {
  const hn::ScalableTag<double> d;
  const hn::Rebind<T, decltype(d)> dt;  // one row of the chunk: L elements of T
  const size_t L = hn::Lanes(d);
  const size_t chunk = L * kSegment;
  HWY_ALIGN T rows[kSegment * kMaxLanes];  // transposed input, then output
  HWY_ALIGN double sums[kSegment * kMaxLanes], comps[kSegment * kMaxLanes];
  HWY_ALIGN double lane[2 * kMaxLanes];
  size_t base = 0;
  for (; base + chunk <= n; base += chunk) {
    ToRows(dt, x + base, rows);  // 1. transpose (x may equal out: read all first)
    ScanRows(d, rows, sums, comps, lane);  // 2. one TwoSum chain, L lanes

    for (size_t j = 0; j < L; ++j) {  // 3. per-lane offsets: all that came before
      const double total = lane[j], total_comp = lane[L + j];
      lane[j] = carry.sum;
      lane[L + j] = carry.comp;
      carry.add_segment(total, total_comp);
    }
    const auto hi = hn::Load(d, lane), lo = hn::Load(d, lane + L);

    for (size_t k = 0; k < kSegment; ++k) {  // 4. offset + local, rounded once
      const auto sv = hn::Load(d, sums + k * L), cv = hn::Load(d, comps + k * L);
      const auto t = hn::Add(hi, sv);
      const auto bp = hn::Sub(t, hi);
      const auto err = hn::Add(hn::Sub(hi, hn::Sub(t, bp)), hn::Sub(sv, bp));
      const auto fixed = hn::Add(t, hn::Add(err, hn::Add(lo, cv)));
      StoreF64(d, hn::IfThenElse(hn::IsFinite(t), fixed, t), rows + k * L);
    }
    FromRows(dt, rows, out + base);
  }
  for (; base < n; ++base) {  // the tail, one element at a time
    carry.add(static_cast<double>(x[base]));
    out[base] = static_cast<T>(carry.value());
  }
}

// Pass 1 of the parallel cumsum: for each whole chunk, the segment totals
// and error terms exactly as CumsumFromT computes them (2L per chunk).
template <typename T>
void CumsumTotalsT(const T *HWY_RESTRICT x, size_t nchunks, double *HWY_RESTRICT totals) {
  const hn::ScalableTag<double> d;
  const hn::Rebind<T, decltype(d)> dt;
  const size_t L = hn::Lanes(d);
  HWY_ALIGN T rows[kSegment * kMaxLanes];
  for (size_t c = 0; c < nchunks; ++c) {
    ToRows(dt, x + c * L * kSegment, rows);
    ScanRows(d, rows, static_cast<double *>(nullptr), static_cast<double *>(nullptr),
             totals + c * 2 * L);
  }
}

size_t CumsumChunk() { return hn::Lanes(hn::ScalableTag<double>()) * kSegment; }

void CumsumFromF32(const float *x, size_t n, Carry carry, float *out) {
  CumsumFromT(x, n, carry, out);
}
void CumsumFromF64(const double *x, size_t n, Carry carry, double *out) {
  CumsumFromT(x, n, carry, out);
}
void CumsumTotalsF32(const float *x, size_t nchunks, double *totals) {
  CumsumTotalsT(x, nchunks, totals);
}
void CumsumTotalsF64(const double *x, size_t nchunks, double *totals) {
  CumsumTotalsT(x, nchunks, totals);
}

}  // namespace HWY_NAMESPACE
}  // namespace simd
}  // namespace core
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace core {
namespace simd {

HWY_EXPORT(CumsumFromF32);
HWY_EXPORT(CumsumFromF64);
HWY_EXPORT(CumsumTotalsF32);
HWY_EXPORT(CumsumTotalsF64);
HWY_EXPORT(CumsumChunk);

std::size_t cumsum_chunk() { return HWY_DYNAMIC_DISPATCH(CumsumChunk)(); }
void cumsum_from(const float *x, std::size_t n, Carry carry, float *out) {
  HWY_DYNAMIC_DISPATCH(CumsumFromF32)(x, n, carry, out);
}
void cumsum_from(const double *x, std::size_t n, Carry carry, double *out) {
  HWY_DYNAMIC_DISPATCH(CumsumFromF64)(x, n, carry, out);
}
void cumsum_totals(const float *x, std::size_t nchunks, double *totals) {
  HWY_DYNAMIC_DISPATCH(CumsumTotalsF32)(x, nchunks, totals);
}
void cumsum_totals(const double *x, std::size_t nchunks, double *totals) {
  HWY_DYNAMIC_DISPATCH(CumsumTotalsF64)(x, nchunks, totals);
}

}  // namespace simd
}  // namespace core
#endif
