// Status names for core_status_str.
#ifndef LIBCORE_RUNTIME_STATUS_H
#define LIBCORE_RUNTIME_STATUS_H

#include <core/core.h>

namespace core {
const char *status_name(int status);
}  // namespace core

#endif
