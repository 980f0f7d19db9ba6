// The log-mel kernel (declared in mel.h): sparse mel filters, the 1e-10
// floor and log10, frames across the lanes.
//
// Why this shape: a band of Whisper's filterbank touches 1 to ~15 bins, so
// a per-frame dot product would be mostly horizontal sums; with one frame
// per lane each band is len[m] broadcast multiply-adds and nothing else.
// The chunk's power spectra are transposed to bin-major first, one gather
// per bin (201 for Whisper's 400-point frames).
// log10 is Highway's vector Log10: std::log10 per value costs ~1 us per
// 80-band frame, more than everything else here together. A call with fewer
// frames than lanes (a stream's push) packs its values before the log10, so
// two frames cost 10 vector logs, not 80.
#include <cfloat>
#include <cstring>
#include <limits>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "libcore/simd/mel_kernels.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>
#include <hwy/contrib/math/math-inl.h>

#include "libcore/simd/mel.h"

HWY_BEFORE_NAMESPACE();
namespace core {
namespace simd {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

size_t MelLanes() { return hn::Lanes(hn::ScalableTag<float>()); }

// scratch: [n_bins x L] the chunk's power, bin-major; [n_mels x L] its
// floored sums, band-major; [n_mels x L + L] a short chunk's values packed;
// [L] its per-frame flags.
float MelLog10(const MelFilters &fb, const float *HWY_RESTRICT power, size_t count,
               float *HWY_RESTRICT out, size_t band_stride, size_t frame_stride,
               float *HWY_RESTRICT scratch) {
  const hn::ScalableTag<float> d;
  const size_t L = hn::Lanes(d);
  const size_t K = fb.n_bins, M = fb.n_mels;
  float *HWY_RESTRICT pt = scratch;
  float *HWY_RESTRICT vals = pt + K * L;
  float *HWY_RESTRICT packed = vals + M * L;
  float *HWY_RESTRICT flags = packed + M * L + L;
  const float qnan = std::numeric_limits<float>::quiet_NaN();
  const hn::RebindToUnsigned<decltype(d)> du;
  const hn::RebindToSigned<decltype(d)> di;
  HWY_ALIGN int32_t idx[hn::MaxLanes(d)];
  const auto inf_bits = hn::Set(du, 0x7f800000u);
  const auto zero = hn::Zero(d);
  const auto big = hn::Set(d, FLT_MAX);
  const auto floor = hn::Set(d, 1e-10f);
  const auto nan = hn::Set(d, qnan);
  const auto neg_inf = hn::Set(d, -std::numeric_limits<float>::infinity());
  auto vmax = neg_inf;

  for (size_t c0 = 0; c0 < count; c0 += L) {
    const size_t nf = count - c0 < L ? count - c0 : L;
    // Transpose by gathers: lane f reads frame f's row (one gather per bin
    // instead of L scalar loads and stores). Lanes nf .. L - 1 repeat the
    // last frame: lanes never mix, and those are neither stored nor
    // counted in the maximum.
    const float *HWY_RESTRICT rows = power + c0 * K;
    for (size_t f = 0; f < L; ++f) idx[f] = static_cast<int32_t>((f < nf ? f : nf - 1) * K);
    const auto vidx = hn::LoadU(di, idx);
    // A lane is bad when any power bin is NaN or infinite, or when a band's
    // sum overflows below. For the bins: the largest bit pattern as
    // unsigned, since every NaN and infinity (either sign) is at least
    // that of +inf and every power (>= +0) below it; one max per bin
    // instead of a compare and a mask-or chain.
    auto bits = hn::Zero(du);
    for (size_t k = 0; k < K; ++k) {
      const auto p = hn::GatherIndex(d, rows + k, vidx);
      hn::StoreU(p, d, pt + k * L);
      bits = hn::Max(bits, hn::BitCast(du, p));
    }
    auto bad = hn::RebindMask(d, hn::Eq(hn::Max(bits, inf_bits), bits));  // bits >= +inf
    for (size_t m = 0; m < M; ++m) {
      const float *HWY_RESTRICT w = fb.weights + fb.offset[m];
      const float *HWY_RESTRICT col = pt + static_cast<size_t>(fb.first[m]) * L;
      auto acc = zero;
      for (size_t j = 0, len = fb.len[m]; j < len; ++j)
        acc = hn::MulAdd(hn::Set(d, w[j]), hn::LoadU(d, col + j * L), acc);
      bad = hn::Or(bad, hn::Not(hn::Le(acc, big)));
      hn::StoreU(hn::Max(acc, floor), d, vals + m * L);
    }

    if (nf == L) {
      // A full chunk: log10 band by band, one vector of frames each.
      const bool direct = frame_stride == 1;
      for (size_t m = 0; m < M; ++m) {
        const auto v = hn::IfThenElse(bad, nan, hn::Log10(d, hn::LoadU(d, vals + m * L)));
        vmax = hn::Max(vmax, hn::IfThenElse(bad, neg_inf, v));
        if (direct) hn::StoreU(v, d, out + m * band_stride + c0);
        else hn::StoreU(v, d, vals + m * L);
      }
      if (!direct) {
        for (size_t f = 0; f < L; ++f) {
          float *o = out + (c0 + f) * frame_stride;
          for (size_t m = 0; m < M; ++m) o[m * band_stride] = vals[m * L + f];
        }
      }
      continue;
    }
    // A short chunk (a stream's push of one or two frames): the nf frames'
    // sums packed together, so log10 runs on ceil(nf * M / L) vectors
    // rather than M. log10 acts on each value alone: the same bits as the
    // full-chunk path.
    hn::StoreU(hn::IfThenElseZero(bad, hn::Set(d, 1.0f)), d, flags);
    const size_t np = nf * M;
    for (size_t f = 0; f < nf; ++f)
      for (size_t m = 0; m < M; ++m) packed[f * M + m] = vals[m * L + f];
    for (size_t i = np; i % L != 0; ++i) packed[i] = 1.0f;  // a harmless tail
    for (size_t i = 0; i < np; i += L) hn::StoreU(hn::Log10(d, hn::LoadU(d, packed + i)), d, packed + i);
    for (size_t f = 0; f < nf; ++f) {
      float *o = out + (c0 + f) * frame_stride;
      const float *src = packed + f * M;
      if (flags[f] != 0.0f) {
        for (size_t m = 0; m < M; ++m) o[m * band_stride] = qnan;
        continue;
      }
      if (band_stride == 1) std::memcpy(o, src, M * sizeof(float));
      else for (size_t m = 0; m < M; ++m) o[m * band_stride] = src[m];
      // The maximum in vectors (a scalar max is a 4-cycle chain per
      // value); the tail load stays inside `packed` (M * L + L floats).
      size_t i = 0;
      for (; i + L <= M; i += L) vmax = hn::Max(vmax, hn::LoadU(d, src + i));
      if (i < M) vmax = hn::Max(vmax, hn::IfThenElse(hn::FirstN(d, M - i), hn::LoadU(d, src + i), neg_inf));
    }
  }
  return hn::GetLane(hn::MaxOfLanes(d, vmax));
}

}  // namespace HWY_NAMESPACE
}  // namespace simd
}  // namespace core
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace core {
namespace simd {

HWY_EXPORT(MelLanes);
HWY_EXPORT(MelLog10);

std::size_t mel_scratch_floats(std::size_t n_bins, std::size_t n_mels) {
  return (n_bins + 2 * n_mels + 2) * HWY_DYNAMIC_DISPATCH(MelLanes)();
}

float mel_log10(const MelFilters &fb, const float *power, std::size_t count, float *out,
                std::size_t band_stride, std::size_t frame_stride, float *scratch) {
  return HWY_DYNAMIC_DISPATCH(MelLog10)(fb, power, count, out, band_stride, frame_stride,
                                        scratch);
}

}  // namespace simd
}  // namespace core
#endif
