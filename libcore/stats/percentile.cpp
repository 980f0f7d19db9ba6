// Percentile with NumPy's default "linear" method, by selection.
#include <algorithm>
#include <cmath>
#include <limits>

#include "libcore/stats/stats.h"

namespace core {

namespace {

// NumPy's _lerp: the form is chosen by t so that t = 1 gives b exactly.
double lerp(double a, double b, double t) {
  const double diff = b - a;
  return t >= 0.5 ? b - diff * (1.0 - t) : a + diff * t;
}

}  // namespace

template <class T>
bool percentile(const T *x, std::size_t n, double q, bool omit_nan, T *scratch, double *out) {
  std::size_t m = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (x[i] != x[i]) {
      if (omit_nan) continue;
      *out = std::numeric_limits<double>::quiet_NaN();
      return true;
    }
    scratch[m++] = x[i];
  }
  if (m == 0) return false;

  const double index = (q / 100.0) * static_cast<double>(m - 1);
  std::size_t lo = static_cast<std::size_t>(std::floor(index));
  if (lo > m - 1) lo = m - 1;
  const double t = index - static_cast<double>(lo);
  std::nth_element(scratch, scratch + lo, scratch + m);
  const double a = static_cast<double>(scratch[lo]);
  if (t == 0.0 || lo + 1 >= m) {
    *out = a;
    return true;
  }
  // After nth_element everything right of lo is >= a: its minimum is the
  // next order statistic.
  const double b = static_cast<double>(*std::min_element(scratch + lo + 1, scratch + m));
  *out = lerp(a, b, t);
  return true;
}

template bool percentile<float>(const float *, std::size_t, double, bool, float *, double *);
template bool percentile<double>(const double *, std::size_t, double, bool, double *,
                                 double *);

}  // namespace core
