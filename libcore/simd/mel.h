// The log-mel kernel behind the audio module (mel_kernels.cc): sparse mel
// filters applied to power spectra, then log10(max(x, 1e-10)). Plain C++
// declarations; Highway types stay in the .cc.
//
// Frames go across the SIMD lanes (lane j holds frame j of a chunk of
// Lanes() frames), so every band is a run of broadcast-multiply-adds over
// its few non-zero bins, with no horizontal sums, and every lane performs
// the same operations in the same order: a frame's result does not depend
// on how many frames a call gets or where the frame sits among them (the
// streaming log-mel relies on this to equal the offline one bit for bit).
#ifndef LIBCORE_SIMD_MEL_H
#define LIBCORE_SIMD_MEL_H

#include <cstddef>
#include <cstdint>

namespace core {
namespace simd {

// A mel filterbank in sparse form: band m weighs bins [first[m], first[m] +
// len[m]) with weights[offset[m] .. offset[m] + len[m]). Borrowed pointers.
struct MelFilters {
  std::size_t n_mels = 0, n_bins = 0;
  const std::uint32_t *first = nullptr, *len = nullptr, *offset = nullptr;
  const float *weights = nullptr;
};

// Floats of scratch one mel_log10 call needs (per calling thread).
std::size_t mel_scratch_floats(std::size_t n_bins, std::size_t n_mels);

// For frames f < count of power (frame-major: power[f * n_bins + k]):
//   out[m * band_stride + f * frame_stride] = log10(max(mel[m], 1e-10)),
//   mel[m] = sum_k W[m][k] * power[f][k] (k ascending, fused multiply-adds
//   where the target has them),
// and NaN in every band of a frame whose power or mel holds a NaN or an
// infinity (non-finite samples, or power beyond float32). Returns the
// largest value written that is not NaN (-infinity when there is none).
float mel_log10(const MelFilters &fb, const float *power, std::size_t count, float *out,
                std::size_t band_stride, std::size_t frame_stride, float *scratch);

}  // namespace simd
}  // namespace core

#endif
