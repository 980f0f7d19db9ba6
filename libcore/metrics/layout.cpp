// The log-linear bucket layout of a timer's histogram, after HdrHistogram
// (hdr_calculate_bucket_config): 2^sub_mag sub-buckets cover the first
// 2^sub_mag units exactly; each further power of two is split into `half`
// equal buckets, so a bucket's width is at most 1/half of its lowest value.
#include <cmath>

#include "libcore/metrics/metrics.h"

namespace core {
namespace metrics {

Layout Layout::make(std::uint64_t lowest, std::uint64_t highest, int digits) {
  Layout L;
  L.lowest = lowest;
  L.highest = highest;
  L.digits = digits;
  std::uint64_t single = 2;
  for (int i = 0; i < digits; ++i) single *= 10;
  int sub_mag = 0;
  while ((std::uint64_t{1} << sub_mag) < single) ++sub_mag;  // ceil(log2(2 * 10^d))
  L.sub_mag = sub_mag;
  L.half_mag = sub_mag - 1;
  L.unit_mag = 63 - __builtin_clzll(lowest);
  L.sub_count = std::uint64_t{1} << sub_mag;
  L.half = L.sub_count / 2;
  L.sub_mask = (L.sub_count - 1) << L.unit_mag;
  std::uint64_t smallest_untrackable = L.sub_count << L.unit_mag;
  int buckets = 1;
  while (smallest_untrackable <= highest) {
    if (smallest_untrackable > (UINT64_MAX >> 2)) {
      ++buckets;
      break;
    }
    smallest_untrackable <<= 1;
    ++buckets;
  }
  L.buckets = buckets;
  L.len = static_cast<std::size_t>(buckets + 1) * static_cast<std::size_t>(L.half);
  return L;
}

std::uint64_t Layout::lowest_at(std::size_t i) const noexcept {
  long b = static_cast<long>(i >> half_mag) - 1;
  std::uint64_t sub = (i & (half - 1)) + half;
  if (b < 0) {
    sub -= half;
    b = 0;
  }
  return sub << (b + unit_mag);
}

std::uint64_t Layout::width_at(std::size_t i) const noexcept {
  long b = static_cast<long>(i >> half_mag) - 1;
  if (b < 0) b = 0;
  return std::uint64_t{1} << (b + unit_mag);
}

}  // namespace metrics
}  // namespace core
