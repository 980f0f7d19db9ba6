// arange and linspace: lengths by NumPy's rules, elements from the index.
#include <cmath>
#include <cstdint>

#include "libcore/array/array.h"
#include "libcore/simd/kernels.h"

namespace core {

// Lengths beyond this cannot be allocated anyway (and keep i exact as a
// double in the kernels, which needs i < 2^53).
constexpr double kMaxLength = 9007199254740992.0;  // 2^53

bool arange_length(double start, double stop, double step, std::size_t *n) {
  const double delta = stop - start;
  const double len = delta / step;
  // NumPy (PyArray_Arange): a quotient that underflowed to 0 still yields one
  // element when start and stop differ in the direction of step.
  if (len == 0.0 && delta != 0.0) {
    *n = std::signbit(delta) == std::signbit(step) ? 1 : 0;
    return true;
  }
  const double c = std::ceil(len);
  if (!(c <= 0.0 || c < kMaxLength)) return false;  // NaN or too long
  if (c <= 0.0) {
    *n = 0;
    return true;
  }
  if (c > static_cast<double>(SIZE_MAX)) return false;
  *n = static_cast<std::size_t>(c);
  return true;
}

template <class T>
void linspace(double start, double stop, std::size_t num, bool endpoint, T *out) {
  if (num == 0) return;
  const std::size_t div = endpoint ? num - 1 : num;
  if (div == 0) {  // num == 1 with endpoint: just start
    out[0] = static_cast<T>(start);
    return;
  }
  const double step = (stop - start) / static_cast<double>(div);
  simd::affine_index(out, num, start, step, 0);
  if (endpoint) out[num - 1] = static_cast<T>(stop);
}

template void linspace<float>(double, double, std::size_t, bool, float *);
template void linspace<double>(double, double, std::size_t, bool, double *);

}  // namespace core
