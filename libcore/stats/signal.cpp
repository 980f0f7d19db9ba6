// Signal measures: sum of squares (energy, rms) and sign changes (ZCR).
#include "libcore/runtime/parallel.h"
#include "libcore/simd/kernels.h"
#include "libcore/stats/stats.h"

namespace core {

template <class T>
double sum_squares(const T *x, std::size_t n) {
  if (n == 0) return 0.0;
  return reduce_blocks<double>(
      block_count(n, simd::kBlock),
      [&](std::size_t b) {
        const std::size_t off = b * simd::kBlock;
        const std::size_t len = n - off < simd::kBlock ? n - off : simd::kBlock;
        return simd::block_sum_squares(x + off, len);
      },
      [](double a, double c) { return a + c; });
}

// Block b > 0 also looks at the last sample of block b - 1, so the pair
// straddling each boundary is counted exactly once.
template <class T>
std::size_t sign_changes(const T *x, std::size_t n) {
  if (n < 2) return 0;
  return reduce_blocks<std::size_t>(
      block_count(n, simd::kBlock),
      [&](std::size_t b) {
        const std::size_t off = b * simd::kBlock;
        const std::size_t len = n - off < simd::kBlock ? n - off : simd::kBlock;
        if (off == 0) return static_cast<std::size_t>(simd::block_sign_changes(x, len));
        return static_cast<std::size_t>(simd::block_sign_changes(x + off - 1, len + 1));
      },
      [](std::size_t a, std::size_t c) { return a + c; });
}

template double sum_squares<float>(const float *, std::size_t);
template double sum_squares<double>(const double *, std::size_t);
template std::size_t sign_changes<float>(const float *, std::size_t);
template std::size_t sign_changes<double>(const double *, std::size_t);

}  // namespace core
