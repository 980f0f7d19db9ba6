// Backend selection, and the SIMD kernel behind the FftWorker interface.
#include "libcore/audio/fft.h"

#include <cstdlib>
#include <cstring>
#include <vector>

#include "libcore/simd/spectrum.h"

namespace core {
namespace audio {

namespace {

// The batched Highway kernel. The plan is shared; each worker has the
// kernel's scratch.
class SimdFft final : public Fft {
 public:
  SimdFft(simd::SpectrumPlan *plan, std::size_t n, const float *window)
      : plan_(plan), window_(window, window + n) {}
  ~SimdFft() override { simd::spectrum_plan_destroy(plan_); }
  SimdFft(const SimdFft &) = delete;
  SimdFft &operator=(const SimdFft &) = delete;

  const char *name() const override { return "simd"; }
  std::unique_ptr<FftWorker> worker() const override {
    return std::unique_ptr<FftWorker>(new Worker(*this));
  }

 private:
  class Worker final : public FftWorker {
   public:
    explicit Worker(const SimdFft &f)
        : f_(f), scratch_(simd::spectrum_scratch_floats(f.plan_) + 1) {}
    void power(const float *const *frames, std::size_t count, float *power) override {
      simd::power_spectrum(f_.plan_, frames, count, f_.window_.data(), power, scratch_.data());
    }

   private:
    const SimdFft &f_;
    std::vector<float> scratch_;
  };

  simd::SpectrumPlan *plan_;
  std::vector<float> window_;
};

}  // namespace

FftChoice fft_choice_from_env() {
  const char *v = std::getenv("LIBCORE_FFT");
  if (v == nullptr) return FftChoice::kDefault;
  if (std::strcmp(v, "kissfft") == 0) return FftChoice::kKiss;
  if (std::strcmp(v, "fftw") == 0) return FftChoice::kFftw;
  return FftChoice::kDefault;
}

std::unique_ptr<Fft> make_fft(std::size_t n, const float *window, FftChoice choice) {
  if (choice == FftChoice::kKiss) return make_kiss_fft(n, window);
  if (choice == FftChoice::kFftw) {
    if (auto f = make_fftw_fft(n, window)) return f;
  }
  if (simd::SpectrumPlan *plan = simd::spectrum_plan_create(n)) {
    try {
      return std::unique_ptr<Fft>(new SimdFft(plan, n, window));
    } catch (...) {
      simd::spectrum_plan_destroy(plan);
      throw;
    }
  }
  if (auto f = make_fftw_fft(n, window)) return f;
  return make_kiss_fft(n, window);
}

}  // namespace audio
}  // namespace core
