// Small text helpers shared by the exporters.
#ifndef LIBCORE_METRICS_FORMAT_H
#define LIBCORE_METRICS_FORMAT_H

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace core {
namespace metrics {

// Integers in full, else the shortest %g form of v that reads back as v.
inline void append_double(std::string *out, double v) {
  // A gauge can leave the finite range (gauge_add and merges add up past
  // DBL_MAX); %g would write "inf". Prometheus spells these +Inf, -Inf and
  // NaN (JSON writes null instead: export_text.cpp).
  if (!std::isfinite(v)) {
    *out += std::isnan(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf";
    return;
  }
  char buf[40];
  // The range test comes first: converting a double outside long long's
  // range (a gauge set to 1e300) is undefined behaviour (found by
  // tests/fuzz/fuzz_metrics, regression fuzz_metrics-gauge-1e300-llong-cast).
  if (v > -1e15 && v < 1e15 && v == static_cast<double>(static_cast<long long>(v))) {
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));  // "100", not "1e+02"
    *out += buf;
    return;
  }
  for (int prec = 1; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*g", prec, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  *out += buf;
}

inline void append_u64(std::string *out, unsigned long long v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%llu", v);
  *out += buf;
}

}  // namespace metrics
}  // namespace core

#endif
