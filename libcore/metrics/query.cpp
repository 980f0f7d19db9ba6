// Queries over a copy of a histogram: count, sum, min, max, mean, stddev
// (from bucket midpoints) and the nearest-rank percentile.
#include <cmath>

#include "libcore/metrics/metrics.h"

namespace core {
namespace metrics {

void stats(const Layout &L, const HistData &d, core_timer_stats_t *out) {
  out->count = d.total;
  out->sum_ns = d.sum;
  out->underflows = d.under;
  out->overflows = d.over;
  if (d.total == 0) {
    out->min_ns = out->max_ns = 0;
    out->mean_ns = out->stddev_ns = 0;
    return;
  }
  out->min_ns = d.min;
  out->max_ns = d.max;
  const double mean = static_cast<double>(d.sum) / static_cast<double>(d.total);
  out->mean_ns = mean;
  long double m2 = 0;
  for (std::size_t i = 0; i < L.len; ++i) {
    if (d.counts[i] == 0) continue;
    const long double dev = static_cast<long double>(L.median_at(i)) - mean;
    m2 += dev * dev * static_cast<long double>(d.counts[i]);
  }
  out->stddev_ns = std::sqrt(static_cast<double>(m2 / static_cast<long double>(d.total)));
}

std::uint64_t percentile(const Layout &L, const HistData &d, double q) {
  if (q <= 0) return d.min;
  if (q >= 1) return d.max;
  double r = std::ceil(q * static_cast<double>(d.total));
  std::uint64_t rank = r < 1 ? 1 : static_cast<std::uint64_t>(r);
  if (rank > d.total) rank = d.total;
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < L.len; ++i) {
    seen += d.counts[i];
    if (seen >= rank) {
      std::uint64_t v = L.median_at(i);
      if (v < d.min) v = d.min;
      if (v > d.max) v = d.max;
      return v;
    }
  }
  return d.max;
}

}  // namespace metrics
}  // namespace core
