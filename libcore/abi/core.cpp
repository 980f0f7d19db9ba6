// extern "C" entry points of core.h: version, status names, errors, runtime.
#include <core/core.h>

#include "libcore/abi/guard.h"
#include "libcore/runtime/status.h"
#include "libcore/runtime/threads.h"
#include "libcore/simd/kernels.h"

#define CORE_STR2(x) #x
#define CORE_STR(x) CORE_STR2(x)

extern "C" {

CORE_API const char *core_version(void) {
  return CORE_STR(CORE_VERSION_MAJOR) "." CORE_STR(CORE_VERSION_MINOR) "." CORE_STR(
      CORE_VERSION_PATCH);
}

CORE_API unsigned core_version_number(void) { return CORE_VERSION_NUMBER; }

CORE_API int core_abi_version(void) { return CORE_ABI_VERSION; }

CORE_API const char *core_status_str(core_status status) {
  return core::status_name(static_cast<int>(status));
}

CORE_API const char *core_last_error_message(void) { return core::last_error(); }

CORE_API const char *core_simd_target(void) { return core::simd::target_name(); }

CORE_API core_status core_set_num_threads(int num_threads) {
  CORE_ABI_BEGIN("core_set_num_threads")
  CORE_REQUIRE(num_threads >= 0, "num_threads must be >= 0 (0 = default), got %d",
               num_threads);
  core::set_num_threads(num_threads);
  return CORE_OK;
  CORE_ABI_END
}

CORE_API int core_get_num_threads(void) {
  try {
    return core::num_threads();
  } catch (...) {
    return 1;
  }
}

}  // extern "C"
