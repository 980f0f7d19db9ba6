// Placeholder until the batched FFT kernel lands: plans no size, so the
// log-mel front end uses its library FFT for everything.
#include "libcore/simd/spectrum.h"

namespace core {
namespace simd {

struct SpectrumPlan {};

SpectrumPlan *spectrum_plan_create(std::size_t) { return nullptr; }
void spectrum_plan_destroy(SpectrumPlan *plan) { delete plan; }
std::size_t spectrum_scratch_floats(const SpectrumPlan *) { return 0; }
void power_spectrum(const SpectrumPlan *, const float *const *, std::size_t, const float *, float *,
                    float *) {}

}  // namespace simd
}  // namespace core
