/* The names of the status codes, indexed by their pinned values. Plain C:
 * shared by the library (status.cpp) and the loader's portable fallback
 * (libcore/loader/fallback_runtime.c), which cannot link the library.
 * Appending a status means appending a row here; both users assert the
 * count. */
#ifndef LIBCORE_RUNTIME_STATUS_NAMES_H
#define LIBCORE_RUNTIME_STATUS_NAMES_H

#define CORE_STATUS_NAMES                                                        \
  "CORE_OK", "CORE_E_INVALID_ARGUMENT", "CORE_E_OUT_OF_MEMORY",                  \
      "CORE_E_BUFFER_TOO_SMALL", "CORE_E_FULL", "CORE_E_EMPTY", "CORE_E_NOT_FOUND", \
      "CORE_E_IO", "CORE_E_FORMAT", "CORE_E_UNSUPPORTED", "CORE_E_UNAVAILABLE",    \
      "CORE_E_INTERNAL"

/* What a value outside the enum is called. */
#define CORE_STATUS_UNKNOWN_NAME "CORE_E_UNKNOWN"

#endif
