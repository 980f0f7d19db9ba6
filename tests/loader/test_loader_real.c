/* The loader against the real dynamic linker and the real libcore.so, one
 * scenario per process (the load happens once per process). meson runs it
 * with the environment of each scenario:
 *   native    LIBCORE_PATH=<build>/libcore/libcore.so.1
 *   missing   LIBCORE_PATH=<a file that does not exist>
 *   strict    LIBCORE_PATH=<missing>, LIBCORE_STRICT=1
 *   disabled  LIBCORE_PATH=<build lib>, LIBCORE_DISABLE=1
 * usage: test_loader_real <scenario> [<expected core_version()>] */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <core/loader.h>

static const char *scenario;
static const char *expected_version;

/* The same call through the table, checked for the right answer. */
static void assert_stats_work(const core_api_t *api) {
  float x[1000];
  core_stats_t s;
  double sd;
  int i;
  for (i = 0; i < 1000; ++i) x[i] = (float)i;
  assert_int_equal(api->stats_f32(x, 1000, CORE_NAN_PROPAGATE, &s), CORE_OK);
  assert_true(s.mean == 499.5);
  assert_int_equal(api->stats_std(&s, 0, &sd), CORE_OK);
  assert_true(fabs(sd - 288.6749902572095) < 1e-12);
  /* errors come back with a message, from whichever backend */
  assert_int_equal(api->stats_f32(NULL, 5, CORE_NAN_PROPAGATE, &s), CORE_E_INVALID_ARGUMENT);
  assert_non_null(strstr(api->last_error_message(), "core_stats_f32"));
}

static void native(void **state) {
  const core_api_t *api = core_api();
  (void)state;
  assert_non_null(api);
  assert_string_equal(core_api_load_error(), "");
  assert_int_equal(api->backend, CORE_BACKEND_NATIVE);
  assert_string_equal(api->version(), expected_version);
  assert_int_equal(api->library_abi_version(), CORE_ABI_VERSION);
  assert_string_not_equal(api->simd_target(), "PORTABLE");
  assert_stats_work(api);
}

static void missing(void **state) {
  const core_api_t *api = core_api();
  (void)state;
  assert_non_null(api);
  assert_int_equal(api->backend, CORE_BACKEND_FALLBACK);
  assert_non_null(strstr(core_api_load_error(), "dlopen "));
  assert_non_null(strstr(core_api_load_error(), getenv("LIBCORE_PATH")));
  assert_string_equal(api->simd_target(), "PORTABLE");
  assert_stats_work(api);
}

static void strict(void **state) {
  (void)state;
  assert_null(core_api());
  assert_null(core_api()); /* stays refused */
  assert_non_null(strstr(core_api_load_error(), "dlopen "));
}

static void disabled(void **state) {
  const core_api_t *api = core_api();
  (void)state;
  assert_non_null(api);
  assert_int_equal(api->backend, CORE_BACKEND_FALLBACK);
  assert_string_equal(core_api_load_error(), "disabled by LIBCORE_DISABLE");
  assert_stats_work(api);
}

int main(int argc, char **argv) {
  const struct CMUnitTest all[] = {
      cmocka_unit_test(native),
      cmocka_unit_test(missing),
      cmocka_unit_test(strict),
      cmocka_unit_test(disabled),
  };
  size_t i;
  if (argc < 2) return 2;
  scenario = argv[1];
  expected_version = argc > 2 ? argv[2] : "";
  for (i = 0; i < sizeof all / sizeof all[0]; ++i)
    if (strcmp(all[i].name, scenario) == 0)
      return _cmocka_run_group_tests(scenario, &all[i], 1, NULL, NULL);
  return 2;
}
