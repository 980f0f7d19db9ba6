/*
 * libcore — the native engine for real-time speech and ML services.
 *
 * core.h is the umbrella header and the runtime module: version, status
 * codes, error messages, SIMD target and thread control. Including it also
 * includes every other public header of libcore except pipeline.h and
 * collection.h (which build on them: include <core/pipeline.h> or
 * <core/collection.h> for them) and loader.h.
 *
 * Conventions shared by every libcore header (read these once):
 *
 *  1. Names. Functions are core_<module>_<verb> or, for the NumPy-like
 *     array and statistics calls, core_<numpy name>_<dtype>; types are
 *     core_<name>_t; constants and enum values are CORE_<NAME>. The dtype
 *     suffix _f32 / _f64 names the element type of the array arguments.
 *  2. Status. Every fallible function returns core_status. CORE_OK (0) is
 *     success; every other value is an error and the function has written
 *     nothing to its out-parameters unless its comment says otherwise
 *     (CORE_E_BUFFER_TOO_SMALL writes the needed size).
 *  3. Messages. After a call returns an error, core_last_error_message()
 *     gives a human-readable detail for that failure on the calling thread.
 *     The code is the truth; the message is a courtesy and may change.
 *  4. Ownership. The caller owns every buffer it passes. Output goes into
 *     caller buffers; where the size is not implied by the inputs, a
 *     capacity argument comes with the buffer. libcore keeps no pointer to a
 *     caller buffer after a call returns.
 *  5. Arrays. A pointer may be NULL only when its length is 0. Input and
 *     output arrays must not overlap unless the function says in-place use is
 *     allowed. A length or capacity no array can have (its byte size above
 *     PTRDIFF_MAX, e.g. SIZE_MAX) is CORE_E_INVALID_ARGUMENT, checked before
 *     the array is touched and before any status a function documents for
 *     its values (CORE_E_EMPTY, CORE_E_FULL, ...).
 *  6. Threads. Every function in this header and in array.h and stats.h is
 *     safe to call from any number of threads at once, on distinct or shared
 *     read-only inputs. Large inputs are processed in parallel inside a
 *     task arena owned by libcore (see core_set_num_threads); results do not
 *     depend on the thread count.
 *  7. Stability. Status values are pinned forever; new ones are appended.
 *     Signatures never change: a changed function gets a _v2 and the old one
 *     stays. "Since" gives the version a function first appeared in.
 */
#ifndef CORE_CORE_H
#define CORE_CORE_H

#include <stddef.h>
#include <stdint.h>

/* ---- version ------------------------------------------------------------ */

#define CORE_VERSION_MAJOR 0
#define CORE_VERSION_MINOR 1
#define CORE_VERSION_PATCH 0
/* The soname major (libcore.so.1): bumped only by an incompatible ABI change. */
#define CORE_ABI_VERSION 1

#define CORE_VERSION_NUMBER \
  (CORE_VERSION_MAJOR * 10000 + CORE_VERSION_MINOR * 100 + CORE_VERSION_PATCH)

/* ---- export and attribute macros ---------------------------------------- */

#if defined(CORE_BUILDING_LIBRARY) && (defined(__GNUC__) || defined(__clang__))
#define CORE_API __attribute__((visibility("default")))
#else
#define CORE_API
#endif

#if defined(__GNUC__) || defined(__clang__)
#define CORE_NODISCARD __attribute__((warn_unused_result))
#else
#define CORE_NODISCARD
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- status ------------------------------------------------------------- */

/* Result of every fallible call. Values are pinned: append, never renumber. */
typedef enum core_status {
  CORE_OK = 0,
  CORE_E_INVALID_ARGUMENT = 1, /* NULL pointer, bad size, NaN option, bad enum */
  CORE_E_OUT_OF_MEMORY = 2,
  CORE_E_BUFFER_TOO_SMALL = 3, /* the needed size is written to the size out-param */
  CORE_E_FULL = 4,
  CORE_E_EMPTY = 5,            /* an operation that needs data got none */
  CORE_E_NOT_FOUND = 6,
  CORE_E_IO = 7,
  CORE_E_FORMAT = 8,
  CORE_E_UNSUPPORTED = 9,
  CORE_E_UNAVAILABLE = 10,
  CORE_E_INTERNAL = 11
} core_status;

/* What a reduction does with NaN inputs. Shared by array.h and stats.h. */
typedef enum core_nan_policy {
  CORE_NAN_PROPAGATE = 0, /* a NaN makes the result NaN (np.std, np.mean) */
  CORE_NAN_OMIT = 1       /* NaNs are skipped and counted (np.nanstd) */
} core_nan_policy;

/* ---- runtime ------------------------------------------------------------ */

/* The library version as "MAJOR.MINOR.PATCH". Static string, never freed.
 * Any thread. Since 0.1. */
CORE_API const char *core_version(void);

/* The library version as CORE_VERSION_NUMBER of the build that is loaded
 * (compare with the macro to detect a header/library mismatch). Any thread.
 * Since 0.1. */
CORE_API unsigned core_version_number(void);

/* The ABI version of the loaded library (CORE_ABI_VERSION it was built
 * with); the dlopen loader refuses a library whose value differs from its
 * own. Any thread. Since 0.1. */
CORE_API int core_abi_version(void);

/* A static name for a status code ("CORE_E_INVALID_ARGUMENT"), or
 * "CORE_E_UNKNOWN" for a value outside the enum. Never NULL, never freed.
 * Any thread. Since 0.1. */
CORE_API const char *core_status_str(core_status status);

/* Detail of the last failing libcore call on the calling thread, such as
 * "core_stats_f32: x is NULL but n = 10". Borrowed: valid until the next
 * libcore call on this thread. A successful call leaves it unchanged (like
 * errno), so read it only right after a call that returned an error. Empty
 * string ("") when no call has failed yet on this thread. Since 0.1. */
CORE_API const char *core_last_error_message(void);

/* Name of the SIMD instruction set chosen at run time for this CPU, for
 * example "AVX3", "AVX2", "SSE4" or "SCALAR" (Highway target names). The
 * choice is made once per process. Static string. Any thread. Since 0.1. */
CORE_API const char *core_simd_target(void);

/* Sets how many threads libcore's parallel work may use: 1 means serial,
 * 0 means the default (every CPU available to the process). libcore runs
 * its parallel work in its own oneTBB task arena, so this never limits the
 * host process's other TBB users. Results are bit-identical for every
 * setting. Calls running when the setting changes finish on the arena they
 * started in.
 * Returns CORE_OK, or CORE_E_INVALID_ARGUMENT for a negative count.
 * Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_set_num_threads(int num_threads);

/* The number of threads libcore's parallel work uses now (at least 1).
 * Any thread. Since 0.1. */
CORE_API int core_get_num_threads(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

/* The umbrella: the other modules. Each header also stands alone. */
#include "array.h"
#include "stats.h"
#include "ring.h"
#include "batch.h"
#include "cache.h"
#include "metrics.h"
#include "audio.h"
/* pipeline.h and collection.h compose the others (they embed their options
 * structs), so they are not part of the umbrella: include them yourself. */

#endif /* CORE_CORE_H */
