// core_now_ns: CLOCK_MONOTONIC (served by the vDSO: no system call).
#include <time.h>

#include "libcore/metrics/metrics.h"

namespace core {
namespace metrics {

std::uint64_t now_ns() noexcept {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000u +
         static_cast<std::uint64_t>(ts.tv_nsec);
}

}  // namespace metrics
}  // namespace core
