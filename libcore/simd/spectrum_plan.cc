// Planning for the batched power-spectrum kernel: factor n / 2 into radices
// 2, 3, 4, 5, 8 and tabulate every twiddle once, in float64 rounded to float32.
// The kernels (spectrum_kernels.cc) only read the plan.
#include <cmath>
#include <cstdint>
#include <memory>
#include <utility>

#include "libcore/simd/spectrum_plan.h"

namespace core {
namespace simd {
namespace {

constexpr std::size_t kMaxSize = 65536;
constexpr double kHalfPi = 1.57079632679489661923;

// cos and sin of 2 pi k / n. The angle is reduced to the first octant with
// integer arithmetic before calling libm, so quarter turns give exact 0 and
// +-1 and symmetric angles give exactly symmetric values: the twiddles then
// carry only the float32 rounding, as KissFFT's do.
std::pair<double, double> unit_root(std::size_t k, std::size_t n) {
  const std::size_t k4 = 4 * (k % n);
  std::size_t quadrant = k4 / n;
  const std::size_t r = k4 % n;  // angle within the quadrant: (pi / 2) r / n
  const bool upper = 2 * r > n;  // past the octant: use the complement
  const double t = kHalfPi * static_cast<double>(upper ? n - r : r) / static_cast<double>(n);
  double c = std::cos(t), s = std::sin(t);
  if (upper) std::swap(c, s);
  for (; quadrant > 0; --quadrant) {  // rotate by a quarter turn
    const double c0 = c;
    c = -s;
    s = c0;
  }
  return {c, s};
}

// Radices for a complex FFT of size half, in pass order, or empty when
// half has a prime factor above 5. Each pass is a full sweep over the data,
// so powers of two take as few as possible: 8s, then 4 4 or 4 or 2 for the
// rest (2^4 as 4 4 rather than 8 2: same passes, no weak radix-2 pass).
// Radix 5 goes last, where the twiddles are all 1 and are skipped.
std::vector<std::uint32_t> factor(std::size_t half) {
  std::size_t twos = 0;
  for (; half % 2 == 0; half /= 2) ++twos;
  std::vector<std::uint32_t> radices;
  for (; twos >= 3 && twos != 4; twos -= 3) radices.push_back(8);
  for (; twos >= 2; twos -= 2) radices.push_back(4);
  if (twos == 1) radices.push_back(2);
  for (std::uint32_t r : {3u, 5u}) {
    for (; half % r == 0; half /= r) radices.push_back(r);
  }
  if (half != 1) radices.clear();
  return radices;
}

}  // namespace

SpectrumPlan *spectrum_plan_create(std::size_t n) {
  if (n < 2 || n > kMaxSize || n % 2 != 0) return nullptr;
  const std::size_t half = n / 2;
  const std::vector<std::uint32_t> radices = factor(half);
  if (radices.empty() && half != 1) return nullptr;

  // Owned until returned: a table's push_back may throw std::bad_alloc,
  // and a raw pointer here leaked the plan then.
  std::unique_ptr<SpectrumPlan> plan(new SpectrumPlan);
  plan->n = n;
  plan->half = half;
  std::size_t len = half, s = 1;
  for (std::uint32_t radix : radices) {
    const std::size_t m = len / radix;
    plan->stages.push_back({radix, static_cast<std::uint32_t>(m), static_cast<std::uint32_t>(s),
                            plan->twiddles.size()});
    for (std::size_t p = 0; p < m; ++p) {
      for (std::size_t j = 1; j < radix; ++j) {
        const auto w = unit_root(j * p, len);
        plan->twiddles.push_back(static_cast<float>(w.first));
        plan->twiddles.push_back(static_cast<float>(-w.second));
      }
    }
    len = m;
    s *= radix;
  }
  plan->split.reserve(2 * (half + 1));
  for (std::size_t k = 0; k <= half; ++k) {
    const auto w = unit_root(k, n);
    plan->split.push_back(static_cast<float>(-w.second));
    plan->split.push_back(static_cast<float>(-w.first));
  }
  return plan.release();
}

void spectrum_plan_destroy(SpectrumPlan *plan) { delete plan; }

// Two complex ping-pong buffers (re and im planes) of half vectors of the
// widest target, plus alignment slack. The power of bins 0 .. half goes to
// whichever buffer the FFT did not end in (2 half >= half + 1 vectors).
std::size_t spectrum_scratch_floats(const SpectrumPlan *plan) {
  if (plan == nullptr) return 0;
  return 4 * plan->half * kSpectrumMaxLanes + kSpectrumAlign / sizeof(float);
}

}  // namespace simd
}  // namespace core
