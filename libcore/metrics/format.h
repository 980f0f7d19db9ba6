// Small text helpers shared by the exporters.
#ifndef LIBCORE_METRICS_FORMAT_H
#define LIBCORE_METRICS_FORMAT_H

#include <cstdio>
#include <cstdlib>
#include <string>

namespace core {
namespace metrics {

// Integers in full, else the shortest %g form of v that reads back as v.
inline void append_double(std::string *out, double v) {
  char buf[40];
  if (v == static_cast<double>(static_cast<long long>(v)) && v > -1e15 && v < 1e15) {
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
