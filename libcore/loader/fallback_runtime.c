/* Portable runtime functions (core.h): version, status names, the
 * per-thread error message, SIMD target and thread count. */
#include <stdarg.h>
#include <stdio.h>

#include "libcore/loader/fallback_util.h"
#include "libcore/runtime/status_names.h"

#if !defined(__STDC_NO_ATOMICS__)
#include <stdatomic.h>
#define FB_ATOMIC_INT atomic_int
#define FB_LOAD(v) atomic_load_explicit(&(v), memory_order_relaxed)
#define FB_STORE(v, x) atomic_store_explicit(&(v), (x), memory_order_relaxed)
#else /* a plain int: a torn read of an int does not happen in practice */
#define FB_ATOMIC_INT volatile int
#define FB_LOAD(v) (v)
#define FB_STORE(v, x) ((v) = (x))
#endif

#define FB_STR2(x) #x
#define FB_STR(x) FB_STR2(x)

/* A fixed per-thread buffer, as in libcore/runtime/error.cpp: reporting an
 * error never allocates, and threads never see each other's messages. */
static _Thread_local char fb_message[512];

void core_fb_set_error(const char *fn, const char *fmt, ...) {
  /* "<fn>: <detail>", the detail cut at 400 bytes like the library's. */
  char detail[400];
  va_list args;
  va_start(args, fmt);
  vsnprintf(detail, sizeof detail, fmt, args);
  va_end(args);
  snprintf(fb_message, sizeof fb_message, "%s: %s", fn, detail);
}

const char *core_fb_last_error_message(void) { return fb_message; }

const char *core_fb_version(void) {
  return FB_STR(CORE_VERSION_MAJOR) "." FB_STR(CORE_VERSION_MINOR) "." FB_STR(
      CORE_VERSION_PATCH);
}

unsigned core_fb_version_number(void) { return CORE_VERSION_NUMBER; }

int core_fb_abi_version(void) { return CORE_ABI_VERSION; }

/* Indexed by the pinned status values; shared with the library. */
static const char *const fb_status_names[] = {CORE_STATUS_NAMES};
_Static_assert(sizeof fb_status_names / sizeof fb_status_names[0] == CORE_E_INTERNAL + 1,
               "every core_status needs a name");

const char *core_fb_status_str(core_status status) {
  const int s = (int)status;
  if (s < 0 || s > (int)CORE_E_INTERNAL) return CORE_STATUS_UNKNOWN_NAME;
  return fb_status_names[s];
}

/* Not a Highway name: the fallback is plain C, and callers that print the
 * target should see that they are not on the native library. */
const char *core_fb_simd_target(void) { return "PORTABLE"; }

/* The requested count, 0 = default. The fallback runs serially whatever the
 * setting (results would be the same anyway); it only remembers the value
 * so code that sets and reads it back behaves as with the library. */
static FB_ATOMIC_INT fb_threads = 0;

core_status core_fb_set_num_threads(int num_threads) {
  static const char *const fb_fn = "core_set_num_threads";
  FB_REQUIRE(num_threads >= 0, "num_threads must be >= 0 (0 = default), got %d",
             num_threads);
  FB_STORE(fb_threads, num_threads);
  return CORE_OK;
}

int core_fb_get_num_threads(void) {
  const int n = FB_LOAD(fb_threads);
  return n > 0 ? n : 1;
}
