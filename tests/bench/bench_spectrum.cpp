// The batched power-spectrum kernel (libcore/simd/spectrum.h) against
// KissFFT (kiss_fftr, libcore's fallback) and, when built with it, FFTW3
// (fftwf r2c, FFTW_MEASURE plan): windowing + real FFT + |X|^2 for each
// frame of a group, as the log-mel front end does.
//
//   simd_<TARGET>/<n>/<frames>   the kernel forced to one Highway target
//   kissfft/<n>/<frames>         kiss_fftr per frame
//   fftw/<n>/<frames>            fftwf_execute per frame
//
// The t/frame column is wall time per frame (inverse rate: "750n" = 750 ns).
// Frames overlap like log-mel frames (hop 160 samples over one signal), with
// a Hann window; groups of 8, 64 and 3000 frames (3000 = 30 s at 16 kHz).
// Figures are reported, never asserted.
//   build/tests/bench/bench_spectrum [--benchmark_filter=/400/]
#include <benchmark/benchmark.h>

#include <kiss_fftr.h>
#if defined(CORE_BENCH_HAVE_FFTW)
#include <fftw3.h>
#endif

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <hwy/targets.h>

#include "libcore/simd/spectrum.h"

namespace {

constexpr std::size_t kHop = 160, kMaxFrames = 3000, kMaxN = 512;

// One signal, frames every kHop samples, and the window for size n.
struct Input {
  std::vector<float> signal;
  std::vector<const float *> frames;
  explicit Input() : signal(kMaxFrames * kHop + kMaxN), frames(kMaxFrames) {
    std::mt19937 rng(42);
    std::normal_distribution<float> dist(0.0f, 0.1f);
    for (float &v : signal) v = dist(rng);
    for (std::size_t f = 0; f < kMaxFrames; ++f) frames[f] = signal.data() + f * kHop;
  }
};

const Input &input() {
  static const Input in;
  return in;
}

std::vector<float> hann(std::size_t n) {
  std::vector<float> w(n);
  for (std::size_t j = 0; j < n; ++j)
    w[j] = static_cast<float>(0.5 - 0.5 * std::cos(2.0 * M_PI * static_cast<double>(j) / n));
  return w;
}

void per_frame(benchmark::State &state, std::size_t frames) {
  state.counters["t/frame"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * static_cast<double>(frames),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_simd(benchmark::State &state, int64_t target) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const std::size_t frames = static_cast<std::size_t>(state.range(1));
  hwy::SetSupportedTargetsForTest(target);
  core::simd::SpectrumPlan *plan = core::simd::spectrum_plan_create(n);
  if (plan == nullptr) {
    state.SkipWithError("size not planned");
    return;
  }
  const auto window = hann(n);
  std::vector<float> scratch(core::simd::spectrum_scratch_floats(plan));
  std::vector<float> power(frames * (n / 2 + 1));
  for (auto _ : state) {
    core::simd::power_spectrum(plan, input().frames.data(), frames, window.data(), power.data(),
                               scratch.data());
    benchmark::DoNotOptimize(power.data());
    benchmark::ClobberMemory();
  }
  per_frame(state, frames);
  core::simd::spectrum_plan_destroy(plan);
  hwy::SetSupportedTargetsForTest(0);
}

void BM_kissfft(benchmark::State &state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const std::size_t frames = static_cast<std::size_t>(state.range(1)), bins = n / 2 + 1;
  kiss_fftr_cfg cfg = kiss_fftr_alloc(static_cast<int>(n), 0, nullptr, nullptr);
  const auto window = hann(n);
  std::vector<float> in(n), power(frames * bins);
  std::vector<kiss_fft_cpx> out(bins);
  for (auto _ : state) {
    for (std::size_t f = 0; f < frames; ++f) {
      const float *x = input().frames[f];
      for (std::size_t j = 0; j < n; ++j) in[j] = window[j] * x[j];
      kiss_fftr(cfg, in.data(), out.data());
      float *p = power.data() + f * bins;
      for (std::size_t k = 0; k < bins; ++k) p[k] = out[k].r * out[k].r + out[k].i * out[k].i;
    }
    benchmark::DoNotOptimize(power.data());
    benchmark::ClobberMemory();
  }
  per_frame(state, frames);
  kiss_fftr_free(cfg);
}

#if defined(CORE_BENCH_HAVE_FFTW)
void BM_fftw(benchmark::State &state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  const std::size_t frames = static_cast<std::size_t>(state.range(1)), bins = n / 2 + 1;
  float *in = fftwf_alloc_real(n);
  fftwf_complex *out = fftwf_alloc_complex(bins);
  fftwf_plan plan = fftwf_plan_dft_r2c_1d(static_cast<int>(n), in, out, FFTW_MEASURE);
  const auto window = hann(n);
  std::vector<float> power(frames * bins);
  for (auto _ : state) {
    for (std::size_t f = 0; f < frames; ++f) {
      const float *x = input().frames[f];
      for (std::size_t j = 0; j < n; ++j) in[j] = window[j] * x[j];
      fftwf_execute(plan);
      float *p = power.data() + f * bins;
      for (std::size_t k = 0; k < bins; ++k) p[k] = out[k][0] * out[k][0] + out[k][1] * out[k][1];
    }
    benchmark::DoNotOptimize(power.data());
    benchmark::ClobberMemory();
  }
  per_frame(state, frames);
  fftwf_destroy_plan(plan);
  fftwf_free(out);
  fftwf_free(in);
}
#endif

void sizes(benchmark::internal::Benchmark *b) {
  for (int64_t n : {400, 512})
    for (int64_t frames : {8, 64, 3000}) b->Args({n, frames});
  b->UseRealTime();
}

}  // namespace

int main(int argc, char **argv) {
  std::vector<int64_t> targets = hwy::SupportedAndGeneratedTargets();
  for (int64_t t : targets) {  // best target first, as dispatch would pick
    const std::string name = std::string("simd_") + hwy::TargetName(t);
    sizes(benchmark::RegisterBenchmark(name.c_str(), BM_simd, t));
  }
  sizes(benchmark::RegisterBenchmark("kissfft", BM_kissfft));
#if defined(CORE_BENCH_HAVE_FFTW)
  sizes(benchmark::RegisterBenchmark("fftw", BM_fftw));
#else
  std::printf("bench_spectrum: built without FFTW3 (libfftw3-dev): no fftw rows\n");
#endif
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
