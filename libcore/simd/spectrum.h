// Batched power spectra with frames across the SIMD lanes: lane j of every
// vector holds frame j of a group, so one pass of a mixed-radix FFT computes
// as many frames as the target has float lanes, with no shuffles inside the
// transform. This is the log-mel front end's FFT for the sizes it plans
// (n even, n / 2 = 2^a 3^b 5^c: Whisper's 400 = 2 x 200); other sizes go to
// KissFFT (or FFTW), which the kernel is tested against.
#ifndef LIBCORE_SIMD_SPECTRUM_H
#define LIBCORE_SIMD_SPECTRUM_H

#include <cstddef>

namespace core {
namespace simd {

// Twiddles and factorization for one size. Immutable after creation:
// several threads may use one plan at once, each with its own scratch.
struct SpectrumPlan;

// A plan for real FFTs of size n, or nullptr when the kernel does not plan
// that size (the caller then uses its library FFT). Throws std::bad_alloc.
SpectrumPlan *spectrum_plan_create(std::size_t n);
void spectrum_plan_destroy(SpectrumPlan *plan);  // nullptr is a no-op

// Floats of scratch one power_spectrum call needs (per calling thread).
std::size_t spectrum_scratch_floats(const SpectrumPlan *plan);

// For f < count (any count; groups of lanes internally, the last group
// partial): power[f * (n/2 + 1) + k] = |sum_j window[j] * frames[f][j] *
// exp(-2 pi i j k / n)|^2 for k = 0 .. n/2. frames[f] points at n
// samples; window at n values. Float32 throughout. Results do not depend
// on count or on where a frame sits in its group.
void power_spectrum(const SpectrumPlan *plan, const float *const *frames, std::size_t count,
                    const float *window, float *power, float *scratch);

}  // namespace simd
}  // namespace core

#endif
