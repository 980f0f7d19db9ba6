// Names of the status codes (status_names.h), indexed by the pinned values;
// a static_assert checks every status has one.
#include "libcore/runtime/status.h"

#include "libcore/runtime/status_names.h"

namespace core {

namespace {
constexpr const char *kNames[] = {CORE_STATUS_NAMES};
static_assert(sizeof(kNames) / sizeof(kNames[0]) == CORE_E_INTERNAL + 1,
              "every core_status needs a name");
}  // namespace

const char *status_name(int status) {
  if (status < 0 || status > CORE_E_INTERNAL) return CORE_STATUS_UNKNOWN_NAME;
  return kNames[status];
}

}  // namespace core
