// Cumulative sum, float64 accumulation with compensation, rounded once per
// element.
//
// A running sum is one long dependency chain (an add's latency per element,
// which is where NumPy's cumsum spends its time). Here each 1024-element
// chunk is cut into four segments whose local prefix sums run as four
// independent chains; then each segment is emitted as carry + local, where
// the carry across segments and chunks is a Neumaier-compensated pair. For
// float64 input the local chains are compensated too; for float32 input a
// 256-term float64 sum is already far below float32 resolution.
#include <cmath>
#include <type_traits>

#include "libcore/array/array.h"

namespace core {

namespace {

constexpr std::size_t kSegment = 256;
constexpr std::size_t kWays = 4;
constexpr std::size_t kChunk = kSegment * kWays;

// Compensated accumulation (Neumaier): sum + comp tracks the exact total.
// Once the sum is infinite the correction is meaningless (inf - inf); it is
// frozen so inf propagates as inf, as in NumPy, rather than turning NaN.
struct Neumaier {
  double sum = 0.0, comp = 0.0;
  void add(double v) {
    const double t = sum + v;
    const double e = std::fabs(sum) >= std::fabs(v) ? (sum - t) + v : (v - t) + sum;
    comp += std::isfinite(t) ? e : 0.0;
    sum = t;
  }
  double value() const { return sum + comp; }
};

template <class T>
void emit(const double *local, std::size_t m, const Neumaier &carry, T *out) {
  const double hi = carry.sum, lo = carry.comp;
  for (std::size_t i = 0; i < m; ++i) out[i] = static_cast<T>(hi + (local[i] + lo));
}

template <class T>
void chunk_prefix(const T *x, double *local, Neumaier totals[kWays]) {
  constexpr bool kCompensate = std::is_same<T, double>::value;
  Neumaier s[kWays];
  for (std::size_t k = 0; k < kSegment; ++k) {
    for (std::size_t j = 0; j < kWays; ++j) {
      const double v = static_cast<double>(x[j * kSegment + k]);
      if (kCompensate) {
        s[j].add(v);
        local[j * kSegment + k] = s[j].value();
      } else {
        s[j].sum += v;
        local[j * kSegment + k] = s[j].sum;
      }
    }
  }
  for (std::size_t j = 0; j < kWays; ++j) totals[j] = s[j];
}

}  // namespace

template <class T>
void cumsum(const T *x, std::size_t n, T *out) {
  double local[kChunk];
  Neumaier carry;
  std::size_t base = 0;
  for (; base + kChunk <= n; base += kChunk) {
    Neumaier totals[kWays];
    chunk_prefix(x + base, local, totals);  // reads the whole chunk before
    for (std::size_t j = 0; j < kWays; ++j) {  // out (maybe == x) is written
      emit(local + j * kSegment, kSegment, carry, out + base + j * kSegment);
      carry.add(totals[j].sum);
      carry.add(totals[j].comp);
    }
  }
  for (; base < n; ++base) {  // the tail, one element at a time
    carry.add(static_cast<double>(x[base]));
    out[base] = static_cast<T>(carry.value());
  }
}

template void cumsum<float>(const float *, std::size_t, float *);
template void cumsum<double>(const double *, std::size_t, double *);

}  // namespace core
