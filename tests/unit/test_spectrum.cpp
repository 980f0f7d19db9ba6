// The batched power-spectrum kernel (libcore/simd/spectrum.h), on every
// Highway target this CPU supports: accuracy against a float64 DFT with
// KissFFT as the yardstick, bit-identical results whatever the count and
// lane position of a frame, lane independence under NaN/Inf, exact tones,
// the sizes it refuses, and writes that stay inside the caller's buffers.
#include <criterion/criterion.h>

#include <kiss_fftr.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <complex>
#include <random>
#include <thread>
#include <vector>

#include <hwy/targets.h>

#include "libcore/simd/kernels.h"
#include "libcore/simd/spectrum.h"

namespace {

using core::simd::SpectrumPlan;
using Spectra = std::vector<float>;

// Runs fn once per target, most portable first; restores normal dispatch.
template <class R>
std::vector<std::pair<const char *, R>> per_target(const std::function<R()> &fn) {
  std::vector<int64_t> targets = hwy::SupportedAndGeneratedTargets();
  std::sort(targets.begin(), targets.end(), [](int64_t a, int64_t b) { return a > b; });
  std::vector<std::pair<const char *, R>> results;
  for (int64_t t : targets) {
    hwy::SetSupportedTargetsForTest(t);
    cr_assert_str_eq(core::simd::target_name(), hwy::TargetName(t));
    results.emplace_back(hwy::TargetName(t), fn());
  }
  hwy::SetSupportedTargetsForTest(0);
  cr_assert(!results.empty());
  return results;
}

struct Plan {
  explicit Plan(std::size_t n) : p(core::simd::spectrum_plan_create(n)) {}
  ~Plan() { core::simd::spectrum_plan_destroy(p); }
  Plan(const Plan &) = delete;
  Plan &operator=(const Plan &) = delete;
  SpectrumPlan *p;
};

std::vector<std::vector<float>> random_frames(std::size_t count, std::size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> dist(0.0f, 1.0f);
  std::vector<std::vector<float>> frames(count, std::vector<float>(n));
  for (auto &f : frames)
    for (auto &v : f) v = dist(rng);
  return frames;
}

std::vector<float> hann(std::size_t n) {
  std::vector<float> w(n);
  for (std::size_t j = 0; j < n; ++j)
    w[j] = static_cast<float>(0.5 - 0.5 * std::cos(2.0 * M_PI * static_cast<double>(j) / n));
  return w;
}

// Runs the kernel on frames[order[i]] for i < order.size(); returns the
// bins of each call slot.
Spectra run(std::size_t n, const std::vector<std::vector<float>> &frames,
            const std::vector<std::size_t> &order, const std::vector<float> &window) {
  Plan plan(n);
  cr_assert(plan.p != nullptr, "n=%zu not planned", n);
  std::vector<const float *> ptrs;
  for (std::size_t i : order) ptrs.push_back(frames[i].data());
  Spectra power(order.size() * (n / 2 + 1));
  std::vector<float> scratch(core::simd::spectrum_scratch_floats(plan.p));
  core::simd::power_spectrum(plan.p, ptrs.data(), ptrs.size(), window.data(), power.data(),
                             scratch.data());
  return power;
}

std::vector<std::size_t> iota(std::size_t count, std::size_t from = 0, std::size_t mod = 0) {
  std::vector<std::size_t> v(count);
  for (std::size_t i = 0; i < count; ++i) v[i] = mod ? (from + i) % mod : from + i;
  return v;
}

// float64 DFT of the float32 windowed frame (the kernel's own first product).
std::vector<double> reference_power(const std::vector<float> &x, const std::vector<float> &w) {
  const std::size_t n = x.size();
  std::vector<double> c(n), s(n), out(n / 2 + 1);
  for (std::size_t t = 0; t < n; ++t) {
    c[t] = std::cos(2.0 * M_PI * static_cast<double>(t) / n);
    s[t] = std::sin(2.0 * M_PI * static_cast<double>(t) / n);
  }
  for (std::size_t k = 0; k <= n / 2; ++k) {
    double re = 0, im = 0;
    for (std::size_t j = 0, t = 0; j < n; ++j, t = (t + k) % n) {
      const double v = static_cast<double>(w[j] * x[j]);
      re += v * c[t];
      im -= v * s[t];
    }
    out[k] = re * re + im * im;
  }
  return out;
}

// The same through an iterative radix-2 float64 FFT, for power-of-two n too
// large for the O(n^2) DFT.
std::vector<double> reference_power_pow2(const std::vector<float> &x, const std::vector<float> &w) {
  const std::size_t n = x.size();
  std::vector<std::complex<double>> a(n);
  for (std::size_t j = 0, r = 0; j < n; ++j) {  // bit-reversed load
    a[r] = static_cast<double>(w[j] * x[j]);
    std::size_t bit = n >> 1;
    for (; r & bit; bit >>= 1) r ^= bit;
    r |= bit;
  }
  for (std::size_t len = 2; len <= n; len *= 2) {
    for (std::size_t i = 0; i < n; i += len) {
      for (std::size_t k = 0; k < len / 2; ++k) {
        const std::complex<double> t = std::polar(1.0, -2.0 * M_PI * k / len) * a[i + k + len / 2];
        a[i + k + len / 2] = a[i + k] - t;
        a[i + k] += t;
      }
    }
  }
  std::vector<double> out(n / 2 + 1);
  for (std::size_t k = 0; k <= n / 2; ++k) out[k] = std::norm(a[k]);
  return out;
}

Spectra kiss_power(const std::vector<float> &x, const std::vector<float> &w) {
  const std::size_t n = x.size();
  kiss_fftr_cfg cfg = kiss_fftr_alloc(static_cast<int>(n), 0, nullptr, nullptr);
  std::vector<float> in(n);
  for (std::size_t j = 0; j < n; ++j) in[j] = w[j] * x[j];
  std::vector<kiss_fft_cpx> out(n / 2 + 1);
  kiss_fftr(cfg, in.data(), out.data());
  kiss_fftr_free(cfg);
  Spectra p(n / 2 + 1);
  for (std::size_t k = 0; k <= n / 2; ++k) p[k] = out[k].r * out[k].r + out[k].i * out[k].i;
  return p;
}

// max_k |p[k] - ref[k]| / max_k ref[k] for the frame at slot f.
double rel_error(const float *p, const std::vector<double> &ref) {
  double err = 0, peak = 0;
  for (std::size_t k = 0; k < ref.size(); ++k) {
    err = std::max(err, std::fabs(p[k] - ref[k]));
    peak = std::max(peak, ref[k]);
  }
  return err / peak;
}

const std::size_t kSizes[] = {400, 512, 320, 480, 256, 200, 160, 2, 4, 6, 10, 1024, 2048, 4000};

// Group sizes that make full, partial and several groups for 4, 8 and 16
// lanes: L-1, L, L+1 and 3L+5 for each.
const std::size_t kCounts[] = {1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 29, 53};

}  // namespace

Test(spectrum, unsupported_sizes_give_null) {
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{3}, std::size_t{401},
                        std::size_t{14}, std::size_t{22}, std::size_t{2 * 49}, std::size_t{65538},
                        std::size_t{65540}, std::size_t{131072}, SIZE_MAX}) {
    Plan plan(n);
    cr_expect(plan.p == nullptr, "n=%zu should not be planned", n);
  }
  for (std::size_t n : {std::size_t{2}, std::size_t{30}, std::size_t{65536}, std::size_t{2 * 3 * 3 * 5 * 5 * 5 * 4}}) {
    Plan plan(n);
    cr_expect(plan.p != nullptr, "n=%zu should be planned", n);
  }
  core::simd::spectrum_plan_destroy(nullptr);
  cr_expect_eq(core::simd::spectrum_scratch_floats(nullptr), 0u);
}

Test(spectrum, accuracy_against_float64_dft_and_kissfft) {
  for (std::size_t n : kSizes) {
    const std::size_t count = n >= 2048 ? 5 : 21;
    const auto frames = random_frames(count, n, static_cast<unsigned>(n));
    const auto window = hann(n);
    double kiss_err = 0;
    std::vector<std::vector<double>> refs;
    for (const auto &f : frames) {
      refs.push_back(reference_power(f, window));
      kiss_err = std::max(kiss_err, rel_error(kiss_power(f, window).data(), refs.back()));
    }
    auto res = per_target<Spectra>([&] { return run(n, frames, iota(count), window); });
    for (const auto &r : res) {
      double err = 0;
      for (std::size_t f = 0; f < count; ++f)
        err = std::max(err, rel_error(r.second.data() + f * (n / 2 + 1), refs[f]));
      cr_log_info("n=%zu %s: max error / peak power %.3g (KissFFT %.3g)", n, r.first, err,
                  kiss_err);
      cr_expect_leq(err, 2.0 * kiss_err + 1e-7, "n=%zu %s: %.3g vs KissFFT %.3g", n, r.first,
                    err, kiss_err);
      cr_expect_leq(err, 2e-6, "n=%zu %s: %.3g", n, r.first, err);
    }
  }
}

Test(spectrum, accuracy_at_large_sizes) {
  for (std::size_t n : {std::size_t{8192}, std::size_t{65536}}) {
    const std::size_t count = 3;
    const auto frames = random_frames(count, n, 99);
    const auto window = hann(n);
    double kiss_err = 0;
    std::vector<std::vector<double>> refs;
    for (const auto &f : frames) {
      refs.push_back(reference_power_pow2(f, window));
      kiss_err = std::max(kiss_err, rel_error(kiss_power(f, window).data(), refs.back()));
    }
    auto res = per_target<Spectra>([&] { return run(n, frames, iota(count), window); });
    for (const auto &r : res) {
      double err = 0;
      for (std::size_t f = 0; f < count; ++f)
        err = std::max(err, rel_error(r.second.data() + f * (n / 2 + 1), refs[f]));
      cr_log_info("n=%zu %s: max error / peak power %.3g (KissFFT %.3g)", n, r.first, err,
                  kiss_err);
      cr_expect_leq(err, 2.0 * kiss_err + 1e-7, "n=%zu %s: %.3g vs KissFFT %.3g", n, r.first,
                    err, kiss_err);
    }
  }
}

// A plan is immutable: threads share it, each with its own scratch.
Test(spectrum, one_plan_many_threads) {
  const std::size_t n = 400, bins = n / 2 + 1, count = 41;
  const auto frames = random_frames(count, n, 3);
  const auto window = hann(n);
  const Spectra expect = run(n, frames, iota(count), window);
  Plan plan(n);
  std::vector<const float *> ptrs;
  for (const auto &f : frames) ptrs.push_back(f.data());
  std::vector<Spectra> got(2, Spectra(count * bins));
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < got.size(); ++t) {
    threads.emplace_back([&, t] {
      std::vector<float> scratch(core::simd::spectrum_scratch_floats(plan.p));
      for (int rep = 0; rep < 200; ++rep)
        core::simd::power_spectrum(plan.p, ptrs.data(), count, window.data(), got[t].data(),
                                   scratch.data());
    });
  }
  for (auto &th : threads) th.join();
  for (const auto &g : got) cr_expect(g == expect);
}

Test(spectrum, same_bits_whatever_count_lane_and_target) {
  for (std::size_t n : {std::size_t{400}, std::size_t{512}, std::size_t{200}, std::size_t{10},
                        std::size_t{6}, std::size_t{2}}) {
    const std::size_t bins = n / 2 + 1, pool = 53;
    const auto frames = random_frames(pool, n, 7);
    const auto window = hann(n);
    auto res = per_target<Spectra>([&] {
      Spectra solo;  // each frame alone in lane 0 of a group of one
      for (std::size_t f = 0; f < pool; ++f) {
        const Spectra p = run(n, frames, {f}, window);
        solo.insert(solo.end(), p.begin(), p.end());
      }
      for (std::size_t count : kCounts) {
        for (std::size_t shift : {0u, 1u, 6u, 11u}) {
          const auto order = iota(count, shift, pool);
          const Spectra p = run(n, frames, order, window);
          for (std::size_t i = 0; i < count; ++i)
            cr_expect(std::memcmp(p.data() + i * bins, solo.data() + order[i] * bins,
                                  bins * sizeof(float)) == 0,
                      "n=%zu %s: frame %zu at slot %zu of %zu differs from its solo result", n,
                      core::simd::target_name(), order[i], i, count);
        }
      }
      return solo;
    });
    // No fused multiply-add and one op sequence per lane: every target agrees.
    for (const auto &r : res)
      cr_expect(r.second == res[0].second, "n=%zu: %s differs from %s", n, r.first,
                res[0].first);
  }
}

Test(spectrum, nonfinite_frames_leave_their_neighbours_alone) {
  const std::size_t n = 400, bins = n / 2 + 1, count = 37;
  auto frames = random_frames(count, n, 11);
  frames[3][7] = NAN;
  frames[10][100] = INFINITY;
  frames[17][399] = -INFINITY;
  frames[20][200] = 3e38f;  // finite, but its power overflows
  const std::size_t poisoned[] = {3, 10, 17, 20};
  const auto window = hann(n);
  per_target<int>([&] {
    const Spectra all = run(n, frames, iota(count), window);
    for (std::size_t f = 0; f < count; ++f) {
      const Spectra solo = run(n, frames, {f}, window);
      cr_expect(std::memcmp(all.data() + f * bins, solo.data(), bins * sizeof(float)) == 0,
                "frame %zu differs from its solo result", f);
      const bool bad = std::find(std::begin(poisoned), std::end(poisoned), f) != std::end(poisoned);
      const bool finite = std::all_of(all.begin() + f * bins, all.begin() + (f + 1) * bins,
                                      [](float v) { return std::isfinite(v); });
      cr_expect_eq(finite, !bad, "frame %zu: finite=%d", f, finite);
    }
    return 0;
  });
}

// cos(2 pi k0 j / n) under a rectangular window: all power in bin k0,
// (n/2)^2, or n^2 at DC and Nyquist; sin likewise except at those two.
Test(spectrum, pure_tones_land_in_their_bin) {
  for (std::size_t n : {std::size_t{400}, std::size_t{512}, std::size_t{480}, std::size_t{6},
                        std::size_t{2}}) {
    const std::size_t half = n / 2;
    std::vector<std::size_t> bins = {0, 1, half / 3, half / 2 + 1, half - 1, half};
    std::vector<std::vector<float>> tones;
    std::vector<double> expect;
    std::vector<std::size_t> where;
    for (std::size_t k0 : bins) {
      for (int phase = 0; phase < 2; ++phase) {
        if (phase == 1 && (k0 == 0 || k0 == half)) continue;  // sin is zero there
        std::vector<float> x(n);
        for (std::size_t j = 0; j < n; ++j) {
          const double a = 2.0 * M_PI * static_cast<double>((k0 * j) % n) / n;
          x[j] = static_cast<float>(phase ? std::sin(a) : std::cos(a));
        }
        tones.push_back(x);
        expect.push_back(k0 == 0 || k0 == half ? double(n) * n : double(half) * half);
        where.push_back(k0);
      }
    }
    const std::vector<float> ones(n, 1.0f);
    per_target<int>([&] {
      const Spectra p = run(n, tones, iota(tones.size()), ones);
      for (std::size_t t = 0; t < tones.size(); ++t) {
        const float *row = p.data() + t * (half + 1);
        cr_expect_leq(std::fabs(row[where[t]] - expect[t]) / expect[t], 1e-5, "n=%zu bin %zu",
                      n, where[t]);
        for (std::size_t k = 0; k <= half; ++k)
          if (k != where[t])
            cr_expect_leq(row[k], 1e-8 * expect[t], "n=%zu tone %zu leaks %g into bin %zu", n,
                          where[t], double(row[k]), k);
      }
      return 0;
    });
  }
}

// The kernel writes count * (n/2+1) powers and at most spectrum_scratch_floats
// scratch floats, from a scratch pointer of any float alignment.
Test(spectrum, writes_stay_in_bounds) {
  const float canary = -12345.0f;
  for (std::size_t n : {std::size_t{2}, std::size_t{6}, std::size_t{200}, std::size_t{400},
                        std::size_t{4000}}) {
    const std::size_t bins = n / 2 + 1, count = 19, pad = 40;
    const auto frames = random_frames(count, n, 5);
    const auto window = hann(n);
    Plan plan(n);
    std::vector<const float *> ptrs;
    for (const auto &f : frames) ptrs.push_back(f.data());
    per_target<int>([&] {
      for (std::size_t misalign = 0; misalign < 4; ++misalign) {
        const std::size_t need = core::simd::spectrum_scratch_floats(plan.p);
        std::vector<float> scratch(need + 2 * pad, canary), power(count * bins + pad, canary);
        core::simd::power_spectrum(plan.p, ptrs.data(), count, window.data(), power.data(),
                                   scratch.data() + pad + misalign);
        for (std::size_t i = 0; i < pad + misalign; ++i) cr_expect_eq(scratch[i], canary);
        for (std::size_t i = pad + misalign + need; i < scratch.size(); ++i)
          cr_expect_eq(scratch[i], canary, "n=%zu scratch overrun at %zu", n, i);
        for (std::size_t i = count * bins; i < power.size(); ++i)
          cr_expect_eq(power[i], canary, "n=%zu power overrun at %zu", n, i);
        cr_expect_neq(power[count * bins - 1], canary);
      }
      return 0;
    });
  }
}
