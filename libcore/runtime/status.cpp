// Names of the status codes. The table is indexed by the pinned values, so
// appending a status means appending a row here (a static_assert guards it).
#include "libcore/runtime/status.h"

namespace core {

namespace {
constexpr const char *kNames[] = {
    "CORE_OK",
    "CORE_E_INVALID_ARGUMENT",
    "CORE_E_OUT_OF_MEMORY",
    "CORE_E_BUFFER_TOO_SMALL",
    "CORE_E_FULL",
    "CORE_E_EMPTY",
    "CORE_E_NOT_FOUND",
    "CORE_E_IO",
    "CORE_E_FORMAT",
    "CORE_E_UNSUPPORTED",
    "CORE_E_UNAVAILABLE",
    "CORE_E_INTERNAL",
};
static_assert(sizeof(kNames) / sizeof(kNames[0]) == CORE_E_INTERNAL + 1,
              "every core_status needs a name");
}  // namespace

const char *status_name(int status) {
  if (status < 0 || status > CORE_E_INTERNAL) return "CORE_E_UNKNOWN";
  return kNames[status];
}

}  // namespace core
