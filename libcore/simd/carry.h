// The compensated running total that cumsum carries across segments and
// chunks. One definition, used by the kernel (every target) and by the
// parallel driver's carry scan, so both make exactly the same additions and
// a parallel cumsum equals the serial one bit for bit.
#ifndef LIBCORE_SIMD_CARRY_H
#define LIBCORE_SIMD_CARRY_H

#include <cmath>
#include <cstddef>

namespace core {
namespace simd {

// Neumaier summation. Once the sum is infinite the correction is
// meaningless (inf - inf) and is frozen, so inf propagates as inf.
struct Carry {
  double sum = 0.0, comp = 0.0;
  void add(double v) {
    const double t = sum + v;
    const double e = std::fabs(sum) >= std::fabs(v) ? (sum - t) + v : (v - t) + sum;
    comp += std::isfinite(t) ? e : 0.0;
    sum = t;
  }
  // A segment's total arrives as its sum and its own compensation.
  void add_segment(double total, double total_comp) {
    add(total);
    if (std::isfinite(total_comp)) add(total_comp);
  }
  double value() const { return std::isfinite(sum) ? sum + comp : sum; }
};

}  // namespace simd
}  // namespace core

#endif
