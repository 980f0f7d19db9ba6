// KissFFT backend: every size, one frame at a time. Even n uses the real
// transform (kiss_fftr); odd n, which kiss_fftr refuses, the complex one
// with zero imaginary parts. KissFFT's configurations keep scratch inside
// themselves, so each worker allocates its own.
#include <kissfft/kiss_fft.h>
#include <kissfft/kiss_fftr.h>

#include <new>
#include <vector>

#include "libcore/audio/fft.h"

namespace core {
namespace audio {

namespace {

class KissFft final : public Fft {
 public:
  KissFft(std::size_t n, const float *window) : n_(n), window_(window, window + n) {}
  const char *name() const override { return "kissfft"; }
  std::unique_ptr<FftWorker> worker() const override {
    return std::unique_ptr<FftWorker>(new Worker(n_, window_.data()));
  }

 private:
  class Worker final : public FftWorker {
   public:
    Worker(std::size_t n, const float *window) : n_(n), window_(window) {
      const int ni = static_cast<int>(n);
      if (n % 2 == 0) {
        real_ = kiss_fftr_alloc(ni, 0, nullptr, nullptr);
        if (real_ == nullptr) throw std::bad_alloc();
        in_real_.resize(n);
        out_.resize(n / 2 + 1);
      } else {
        complex_ = kiss_fft_alloc(ni, 0, nullptr, nullptr);
        if (complex_ == nullptr) throw std::bad_alloc();
        in_complex_.resize(n);
        out_.resize(n);
      }
    }
    ~Worker() override {
      if (real_ != nullptr) kiss_fftr_free(real_);
      if (complex_ != nullptr) kiss_fft_free(complex_);
    }
    Worker(const Worker &) = delete;
    Worker &operator=(const Worker &) = delete;

    void power(const float *const *frames, std::size_t count, float *power) override {
      const std::size_t bins = n_ / 2 + 1;
      for (std::size_t f = 0; f < count; ++f) {
        const float *x = frames[f];
        if (real_ != nullptr) {
          for (std::size_t j = 0; j < n_; ++j) in_real_[j] = window_[j] * x[j];
          kiss_fftr(real_, in_real_.data(), out_.data());
        } else {
          for (std::size_t j = 0; j < n_; ++j) in_complex_[j] = {window_[j] * x[j], 0.0f};
          kiss_fft(complex_, in_complex_.data(), out_.data());
        }
        float *p = power + f * bins;
        for (std::size_t k = 0; k < bins; ++k) p[k] = out_[k].r * out_[k].r + out_[k].i * out_[k].i;
      }
    }

   private:
    std::size_t n_;
    const float *window_;
    kiss_fftr_cfg real_ = nullptr;
    kiss_fft_cfg complex_ = nullptr;
    std::vector<float> in_real_;
    std::vector<kiss_fft_cpx> in_complex_, out_;
  };

  std::size_t n_;
  std::vector<float> window_;
};

}  // namespace

std::unique_ptr<Fft> make_kiss_fft(std::size_t n, const float *window) {
  return std::unique_ptr<Fft>(new KissFft(n, window));
}

}  // namespace audio
}  // namespace core
