// The layout of a SpectrumPlan, shared by the planner (spectrum_plan.cc)
// and the per-target kernels (spectrum_kernels.cc). Plain data with no
// Highway types: one plan serves every target, and twiddles are float
// scalars that each target broadcasts across its lanes.
#ifndef LIBCORE_SIMD_SPECTRUM_PLAN_H
#define LIBCORE_SIMD_SPECTRUM_PLAN_H

#include <cstddef>
#include <cstdint>
#include <vector>

#include "libcore/simd/spectrum.h"

namespace core {
namespace simd {

// Widest float vector of any compiled target (AVX-512: 16 lanes). Scratch is
// sized for it, so a plan and its scratch work whatever target dispatch
// picks, including after a target switch in tests.
constexpr std::size_t kSpectrumMaxLanes = 16;

// Bytes the kernels align their scratch to (one AVX-512 vector): scratch
// carries this much slack so any float-aligned caller pointer works.
constexpr std::size_t kSpectrumAlign = 64;

// One pass of the Stockham autosort FFT over len = radix * m points, run s
// times side by side (s = product of the radices of the earlier passes):
//   y[q + s (radix p + j)] = W_len^(j p) sum_k x[q + s (p + k m)] W_radix^(j k)
// for p < m, j < radix, q < s; every index counts whole vectors of L frames.
struct SpectrumStage {
  std::uint32_t radix;  // 2, 3, 4, 5 or 8
  std::uint32_t m;
  std::uint32_t s;
  std::size_t twiddle;  // offset in SpectrumPlan::twiddles of this pass's table
};

struct SpectrumPlan {
  std::size_t n;     // real FFT size
  std::size_t half;  // n / 2: size of the complex FFT of the packed signal
  std::vector<SpectrumStage> stages;
  // Per pass, for p < m and j = 1 .. radix-1: (cos, -sin)(2 pi j p / len),
  // at twiddle + 2 ((radix - 1) p + j - 1).
  std::vector<float> twiddles;
  // For k = 0 .. half: (re, im) of -i exp(-2 pi i k / n), the factor that
  // turns the half-size transform of the packed signal into bin k.
  std::vector<float> split;
};

}  // namespace simd
}  // namespace core

#endif
