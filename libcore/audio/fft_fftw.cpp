// FFTW3f backend (builds made with -Dfft=fftw; FFTW is GPL, so such a
// libcore is too). One plan per analyser, made with FFTW_ESTIMATE (no timed
// planning in create, and the same plan, hence the same bits, every run);
// workers execute it on their own arrays through the new-array interface,
// which FFTW documents as thread-safe. Planning itself is not thread-safe:
// it is serialized by a process-wide mutex.
#include "libcore/audio/fft.h"

#if CORE_HAVE_FFTW

#include <fftw3.h>

#include <mutex>
#include <new>
#include <vector>

namespace core {
namespace audio {

namespace {

std::mutex &planner_mutex() {
  static std::mutex m;
  return m;
}

// fftwf_malloc'd arrays: the alignment the plan was made for.
template <class T>
struct FftwArray {
  explicit FftwArray(std::size_t n) : p(static_cast<T *>(fftwf_malloc(n * sizeof(T)))) {
    if (p == nullptr) throw std::bad_alloc();
  }
  ~FftwArray() { fftwf_free(p); }
  FftwArray(const FftwArray &) = delete;
  FftwArray &operator=(const FftwArray &) = delete;
  T *p;
};

class FftwFft final : public Fft {
 public:
  FftwFft(std::size_t n, const float *window) : n_(n), window_(window, window + n) {
    FftwArray<float> in(n);
    FftwArray<fftwf_complex> out(n / 2 + 1);
    std::lock_guard<std::mutex> lock(planner_mutex());
    plan_ = fftwf_plan_dft_r2c_1d(static_cast<int>(n), in.p, out.p, FFTW_ESTIMATE);
    if (plan_ == nullptr) throw std::bad_alloc();
  }
  ~FftwFft() override {
    std::lock_guard<std::mutex> lock(planner_mutex());
    fftwf_destroy_plan(plan_);
  }
  FftwFft(const FftwFft &) = delete;
  FftwFft &operator=(const FftwFft &) = delete;

  const char *name() const override { return "fftw"; }
  std::unique_ptr<FftWorker> worker() const override {
    return std::unique_ptr<FftWorker>(new Worker(*this));
  }

 private:
  class Worker final : public FftWorker {
   public:
    explicit Worker(const FftwFft &f) : f_(f), in_(f.n_), out_(f.n_ / 2 + 1) {}
    void power(const float *const *frames, std::size_t count, float *power) override {
      const std::size_t n = f_.n_, bins = n / 2 + 1;
      const float *w = f_.window_.data();
      for (std::size_t f = 0; f < count; ++f) {
        for (std::size_t j = 0; j < n; ++j) in_.p[j] = w[j] * frames[f][j];
        fftwf_execute_dft_r2c(f_.plan_, in_.p, out_.p);
        float *p = power + f * bins;
        for (std::size_t k = 0; k < bins; ++k)
          p[k] = out_.p[k][0] * out_.p[k][0] + out_.p[k][1] * out_.p[k][1];
      }
    }

   private:
    const FftwFft &f_;
    FftwArray<float> in_;
    FftwArray<fftwf_complex> out_;
  };

  std::size_t n_;
  std::vector<float> window_;
  fftwf_plan plan_ = nullptr;
};

}  // namespace

std::unique_ptr<Fft> make_fftw_fft(std::size_t n, const float *window) {
  return std::unique_ptr<Fft>(new FftwFft(n, window));
}

}  // namespace audio
}  // namespace core

#else  // !CORE_HAVE_FFTW

namespace core {
namespace audio {

std::unique_ptr<Fft> make_fftw_fft(std::size_t, const float *) { return nullptr; }

}  // namespace audio
}  // namespace core

#endif
