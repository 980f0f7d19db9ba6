// Registering a group of metrics that share a prefix (a ring's or a cache's
// published metrics): the registry's lock is taken once, every name is
// checked first and only then registered, so a failure registers nothing.
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "libcore/metrics/metrics.h"

namespace core {
namespace metrics {

core_status register_group(core_metrics_t *m, const char *prefix, const char *owner,
                           const GroupSpec *specs, std::size_t n, core_metric_id_t *ids,
                           char *msg, std::size_t cap) {
  auto *r = reinterpret_cast<Registry *>(m);
  if (r->magic != kMagic) {
    std::snprintf(msg, cap, "opts->metrics is not a live core_metrics_t (already destroyed?)");
    return CORE_E_INVALID_ARGUMENT;
  }
  Error merr;
  std::vector<Desc> descs(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string name = std::string(prefix) + specs[i].suffix;
    if (make_desc(specs[i].kind, name.c_str(), specs[i].help, nullptr, 0, &descs[i], &merr) !=
        CORE_OK) {
      std::snprintf(msg, cap, "metric \"%s\" (metrics_prefix \"%s\"): %s", name.c_str(), prefix,
                    merr.message);
      return merr.status;
    }
  }
  std::lock_guard<std::mutex> lock(r->mu);
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t existing = SIZE_MAX;
    if (check_names(r->names, descs[i], &existing, &merr) != CORE_OK) {
      std::snprintf(msg, cap, "metric \"%s\" (metrics_prefix \"%s\"): %s",
                    descs[i].name.c_str(), prefix, merr.message);
      return merr.status;
    }
    if (existing != SIZE_MAX) {
      std::snprintf(msg, cap,
                    "metric \"%s\" is already registered (another %s with metrics_prefix "
                    "\"%s\" in this registry?): choose another metrics_prefix",
                    descs[i].name.c_str(), owner, prefix);
      return CORE_E_INVALID_ARGUMENT;
    }
  }
  const std::size_t have = r->n.load(std::memory_order_relaxed);
  if (r->cap - have < n) {
    std::snprintf(msg, cap,
                  "the metrics registry has room for %zu more metrics (max_metrics = %zu) but "
                  "the %s publishes %zu",
                  r->cap - have, r->cap, owner, n);
    return CORE_E_FULL;
  }
  // The names checked do not collide with each other either (the callers'
  // suffixes are distinct), so registering cannot fail now except for
  // memory, and then registers nothing (register_new_locked): one by one,
  // a failure in the middle left the first metrics registered, and the
  // owner's retry was refused as a duplicate.
  register_new_locked(*r, std::move(descs), ids);
  return CORE_OK;
}

}  // namespace metrics
}  // namespace core
