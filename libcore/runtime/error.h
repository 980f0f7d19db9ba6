// The thread-local detail behind core_last_error_message().
//
// Written only by the abi/ layer, on the thread that called into libcore:
// never from inside a TBB task, where the "current thread" may be a worker
// or may be running someone else's task (oneTBB work isolation).
#ifndef LIBCORE_RUNTIME_ERROR_H
#define LIBCORE_RUNTIME_ERROR_H

#include <cstdarg>

namespace core {

// Formats the message (printf rules) into this thread's buffer; truncates
// past 511 bytes.
void set_last_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void set_last_error_v(const char *fmt, va_list args);
const char *last_error();

}  // namespace core

#endif
