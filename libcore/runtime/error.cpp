#include "libcore/runtime/error.h"

#include <cstdio>

namespace core {

namespace {
// A fixed buffer: reporting an error never allocates, so an out-of-memory
// failure can still be described.
thread_local char tls_message[512] = "";
}  // namespace

void set_last_error_v(const char *fmt, va_list args) {
  std::vsnprintf(tls_message, sizeof tls_message, fmt, args);
}

void set_last_error(const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  set_last_error_v(fmt, args);
  va_end(args);
}

const char *last_error() { return tls_message; }

}  // namespace core
