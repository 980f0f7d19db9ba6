// Statistics of two arrays: dot product and Pearson correlation.
#include <cmath>
#include <limits>

#include "libcore/runtime/parallel.h"
#include "libcore/simd/kernels.h"
#include "libcore/stats/stats.h"

namespace core {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kEps = std::numeric_limits<double>::epsilon();

std::size_t block_len(std::size_t b, std::size_t n) {
  const std::size_t off = b * simd::kBlock;
  return n - off < simd::kBlock ? n - off : simd::kBlock;
}

struct Sums {
  double x, y;
};

}  // namespace

template <class T>
double dot(const T *x, const T *y, std::size_t n) {
  if (n == 0) return 0.0;
  return reduce_blocks<double>(
      block_count(n, simd::kBlock),
      [&](std::size_t b) {
        const std::size_t off = b * simd::kBlock;
        return simd::block_dot(x + off, y + off, block_len(b, n));
      },
      [](double a, double c) { return a + c; });
}

// Two passes over memory: the means, then co-moments around them with the
// "corrected two-pass" terms (sum d)^2 / n subtracted, as gonum does.
template <class T>
double corrcoef(const T *x, const T *y, std::size_t n) {
  if (n < 2) return kNaN;
  const std::size_t nblocks = block_count(n, simd::kBlock);
  const Sums sums = reduce_blocks<Sums>(
      nblocks,
      [&](std::size_t b) {
        const std::size_t off = b * simd::kBlock, len = block_len(b, n);
        return Sums{simd::block_sum(x + off, len), simd::block_sum(y + off, len)};
      },
      [](Sums a, Sums c) { return Sums{a.x + c.x, a.y + c.y}; });
  const double dn = static_cast<double>(n);
  const double mx = sums.x / dn, my = sums.y / dn;
  if (!std::isfinite(mx) || !std::isfinite(my)) return kNaN;

  const simd::CoMoments c = reduce_blocks<simd::CoMoments>(
      nblocks,
      [&](std::size_t b) {
        const std::size_t off = b * simd::kBlock;
        simd::CoMoments m;
        simd::block_co_moments(x + off, y + off, block_len(b, n), mx, my, &m);
        return m;
      },
      [](const simd::CoMoments &a, const simd::CoMoments &e) {
        return simd::CoMoments{a.dx + e.dx, a.dy + e.dy, a.sxx + e.sxx, a.syy + e.syy,
                               a.sxy + e.sxy};
      });
  const double sxx = c.sxx - c.dx * c.dx / dn;
  const double syy = c.syy - c.dy * c.dy / dn;
  const double sxy = c.sxy - c.dx * c.dy / dn;
  // A spread no larger than the rounding of the mean itself is a constant
  // input: its correlation is undefined (NaN), not a noisy +-1.
  const double xfloor = 16.0 * dn * (kEps * mx) * (kEps * mx);
  const double yfloor = 16.0 * dn * (kEps * my) * (kEps * my);
  if (!(sxx > xfloor) || !(syy > yfloor)) return kNaN;
  double r = sxy / std::sqrt(sxx * syy);
  if (r > 1.0) r = 1.0;
  if (r < -1.0) r = -1.0;
  return r;
}

template double dot<float>(const float *, const float *, std::size_t);
template double dot<double>(const double *, const double *, std::size_t);
template double corrcoef<float>(const float *, const float *, std::size_t);
template double corrcoef<double>(const double *, const double *, std::size_t);

}  // namespace core
