// Cumulative sum, float64 accumulation with compensation, rounded once per
// element.
//
// A running sum is one long dependency chain (an add's latency per element,
// which is where NumPy's cumsum spends its time). Here each 1024-element
// chunk is cut into eight segments whose local prefix sums run as eight
// independent chains; then each segment is emitted as carry + local, where
// the carry across segments and chunks is a Neumaier-compensated pair. The
// local chains are compensated too: [1e16, 1, -1e16, 1] must give 1, 2 even
// for float32 input, where a plain float64 sum loses the ones.
#include <cmath>

#include "libcore/array/array.h"

namespace core {

namespace {

constexpr std::size_t kSegment = 128;
constexpr std::size_t kWays = 8;
constexpr std::size_t kChunk = kSegment * kWays;

// Compensated accumulation (Neumaier): sum + comp tracks the exact total.
// Once the sum is infinite the correction is meaningless (inf - inf); it is
// frozen so inf propagates as inf, as in NumPy, rather than turning NaN.
struct Neumaier {
  double sum = 0.0, comp = 0.0;
  void add(double v) {  // the carry: once per segment, so it may branch
    const double t = sum + v;
    const double e = std::fabs(sum) >= std::fabs(v) ? (sum - t) + v : (v - t) + sum;
    comp += std::isfinite(t) ? e : 0.0;
    sum = t;
  }
  // The per-element form: Knuth's branch-free TwoSum. Its error term turns
  // NaN once the sum is infinite; emit() and the carry ignore it then.
  void add_fast(double v) {
    const double t = sum + v;
    const double z = t - sum;
    comp += (sum - (t - z)) + (v - z);
    sum = t;
  }
  double value() const { return sum + comp; }
};

// out[i] = carry + local[i], rounded once: the local sum and its
// compensation arrive separately and meet the carry through an error-free
// TwoSum, so the result is the correctly rounded total in nearly all cases.
template <class T>
void emit(const double *local, const double *local_comp, std::size_t m, const Neumaier &carry,
          T *out) {
  const double hi = carry.sum, lo = carry.comp;
  for (std::size_t i = 0; i < m; ++i) {
    const double s = local[i], t = hi + s;
    const double bp = t - hi, err = (hi - (t - bp)) + (s - bp);
    const double fix = err + (lo + local_comp[i]);
    out[i] = static_cast<T>(std::isfinite(t) ? t + fix : t);
  }
}

// Local prefix sums of the kWays segments of one chunk, as independent
// chains; totals[j] receives segment j's compensated total.
template <class T>
void chunk_prefix(const T *x, double *local, double *local_comp, Neumaier totals[kWays]) {
  Neumaier s[kWays];
  for (std::size_t k = 0; k < kSegment; ++k) {
#pragma GCC unroll 8  // keeps the eight chains in registers
    for (std::size_t j = 0; j < kWays; ++j) {
      const double v = static_cast<double>(x[j * kSegment + k]);
      s[j].add_fast(v);
      local[j * kSegment + k] = s[j].sum;
      local_comp[j * kSegment + k] = s[j].comp;
    }
  }
  for (std::size_t j = 0; j < kWays; ++j) totals[j] = s[j];
}

}  // namespace

template <class T>
void cumsum(const T *x, std::size_t n, T *out) {
  double local[kChunk], local_comp[kChunk];
  Neumaier carry;
  std::size_t base = 0;
  for (; base + kChunk <= n; base += kChunk) {
    Neumaier totals[kWays];
    chunk_prefix(x + base, local, local_comp, totals);  // reads the whole chunk before
    for (std::size_t j = 0; j < kWays; ++j) {  // out (maybe == x) is written
      emit(local + j * kSegment, local_comp + j * kSegment, kSegment,
           carry, out + base + j * kSegment);
      carry.add(totals[j].sum);
      if (std::isfinite(totals[j].comp)) carry.add(totals[j].comp);
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
