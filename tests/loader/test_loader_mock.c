/* The loader's decisions, with dlopen, dlsym, dlclose and dlerror replaced
 * by the mocks below (linked with -Wl,--wrap=...): every failure path, the
 * environment switches, and the once-per-process load under concurrent
 * first calls. cmocka, TAP output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <core/loader.h>

#include "libcore/loader/fallback.h"
#include "libcore/loader/loader_internal.h"
#include "libcore/loader/table.h"

/* ---- the mock dynamic linker ---------------------------------------------- */

static struct {
  int open_fails;          /* dlopen returns NULL */
  const char *missing;     /* dlsym returns NULL for this symbol */
  int abi;                 /* what core_abi_version() says */
  unsigned version;        /* what core_version_number() says */
  int wrong_stats;         /* core_stats_f64 returns a wrong mean */
  int dlopen_calls, dlclose_calls;
  const char *last_path;
  int last_flags;
  const char *error;       /* pending dlerror() text */
} mock;

static char mock_handle; /* any non-NULL address */

void *__wrap_dlopen(const char *file, int flags);
void *__wrap_dlsym(void *handle, const char *name);
int __wrap_dlclose(void *handle);
char *__wrap_dlerror(void);

void *__wrap_dlopen(const char *file, int flags) {
  __atomic_add_fetch(&mock.dlopen_calls, 1, __ATOMIC_SEQ_CST);
  mock.last_path = file;
  mock.last_flags = flags;
  if (mock.open_fails) {
    mock.error = "libcore.so.1: cannot open shared object file: No such file or directory";
    return NULL;
  }
  return &mock_handle;
}

int __wrap_dlclose(void *handle) {
  assert_ptr_equal(handle, &mock_handle);
  mock.dlclose_calls++;
  return 0;
}

char *__wrap_dlerror(void) {
  char *e = (char *)mock.error;
  mock.error = NULL;
  return e;
}

static int mock_abi_version(void) { return mock.abi; }
static unsigned mock_version_number(void) { return mock.version; }
static const char *mock_simd_target(void) { return "MOCK"; }
static core_status mock_wrong_stats_f64(const double *x, size_t n, core_nan_policy nan,
                                        core_stats_t *out) {
  core_status st = core_fb_stats_f64(x, n, nan, out);
  if (st == CORE_OK) out->mean += 1e-6;
  return st;
}

/* The "library" exports the fallback functions under their core_ names,
 * except for the few mocks above that let a test tell which table it got. */
void *__wrap_dlsym(void *handle, const char *name) {
  void *p = NULL;
  size_t i;
  assert_ptr_equal(handle, &mock_handle);
  if (mock.missing != NULL && strcmp(name, mock.missing) == 0) return NULL;
  if (strcmp(name, "core_abi_version") == 0) {
    int (*f)(void) = mock_abi_version;
    memcpy(&p, &f, sizeof p);
  } else if (strcmp(name, "core_version_number") == 0) {
    unsigned (*f)(void) = mock_version_number;
    memcpy(&p, &f, sizeof p);
  } else if (strcmp(name, "core_simd_target") == 0) {
    const char *(*f)(void) = mock_simd_target;
    memcpy(&p, &f, sizeof p);
  } else if (mock.wrong_stats && strcmp(name, "core_stats_f64") == 0) {
    core_status (*f)(const double *, size_t, core_nan_policy, core_stats_t *) =
        mock_wrong_stats_f64;
    memcpy(&p, &f, sizeof p);
  } else {
    for (i = 0; i < core_loader_slot_count; ++i)
      if (strcmp(name, core_loader_slots[i].symbol) == 0)
        memcpy(&p, (const char *)&core_loader_fallback_table + core_loader_slots[i].offset,
               sizeof p);
  }
  return p;
}

static int reset_mock(void **state) {
  (void)state;
  memset(&mock, 0, sizeof mock);
  mock.abi = CORE_ABI_VERSION;
  mock.version = CORE_VERSION_NUMBER;
  return 0;
}

/* ---- helpers --------------------------------------------------------------- */

static core_loader_env env_default(void) {
  core_loader_env env = {0, 0, NULL};
  return env;
}

static core_loader_outcome choose(const core_loader_env *env, core_api_t *table, char *why) {
  return core_loader_choose(env, table, why, 256);
}

/* A table whose every slot is non-NULL and usable: compute a mean. */
static void assert_table_computes(const core_api_t *t) {
  const float x[4] = {1, 2, 3, 6};
  core_stats_t s;
  size_t i;
  for (i = 0; i < core_loader_slot_count; ++i) {
    void *p;
    memcpy(&p, (const char *)t + core_loader_slots[i].offset, sizeof p);
    assert_non_null(p);
  }
  assert_int_equal(t->stats_f32(x, 4, CORE_NAN_PROPAGATE, &s), CORE_OK);
  assert_true(s.mean == 3.0);
  /* the last group of slots as well: frames of 2 with hop 2 */
  {
    core_stats_t f[2];
    size_t nf = 0;
    assert_int_equal(t->stats_frames_f32(x, 4, 2, 2, f, 2, &nf), CORE_OK);
    assert_int_equal(nf, 2);
    assert_true(f[0].mean == 1.5 && f[1].mean == 4.5);
  }
  assert_int_equal(t->struct_size, sizeof(core_api_t));
  assert_int_equal(t->abi_version, CORE_ABI_VERSION);
}

/* ---- scenarios -------------------------------------------------------------- */

static void native_when_everything_resolves(void **state) {
  core_loader_env env = env_default();
  core_api_t t;
  char why[256];
  (void)state;
  assert_int_equal(choose(&env, &t, why), CORE_LOADER_NATIVE);
  assert_string_equal(why, "");
  assert_int_equal(t.backend, CORE_BACKEND_NATIVE);
  assert_string_equal(mock.last_path, "libcore.so.1");
  assert_int_equal(mock.last_flags, RTLD_NOW | RTLD_LOCAL);
  assert_string_equal(t.simd_target(), "MOCK"); /* resolved, not the fallback */
  assert_int_equal(mock.dlclose_calls, 0);      /* kept open for the process */
  assert_table_computes(&t);
}

static void library_path_from_environment(void **state) {
  core_loader_env env = env_default();
  core_api_t t;
  char why[256];
  (void)state;
  env.path = "/opt/custom/libcore.so.1";
  assert_int_equal(choose(&env, &t, why), CORE_LOADER_NATIVE);
  assert_string_equal(mock.last_path, "/opt/custom/libcore.so.1");
}

static void library_missing_falls_back(void **state) {
  core_loader_env env = env_default();
  core_api_t t;
  char why[256];
  (void)state;
  mock.open_fails = 1;
  assert_int_equal(choose(&env, &t, why), CORE_LOADER_FALLBACK);
  assert_string_equal(why, "dlopen libcore.so.1: libcore.so.1: cannot open shared object file: "
                           "No such file or directory");
  assert_int_equal(t.backend, CORE_BACKEND_FALLBACK);
  assert_string_equal(t.simd_target(), "PORTABLE");
  assert_int_equal(mock.dlclose_calls, 0); /* nothing was opened */
  assert_table_computes(&t);
}

static void symbol_missing_falls_back_and_closes(void **state) {
  core_loader_env env = env_default();
  core_api_t t;
  char why[256];
  (void)state;
  mock.missing = "core_stats_f32";
  assert_int_equal(choose(&env, &t, why), CORE_LOADER_FALLBACK);
  assert_string_equal(why, "symbol core_stats_f32 missing");
  assert_int_equal(t.backend, CORE_BACKEND_FALLBACK);
  assert_int_equal(mock.dlclose_calls, 1);
  assert_string_equal(t.simd_target(), "PORTABLE"); /* no half-native table */
  assert_table_computes(&t);
}

/* The batch slots are "since 0.1" like the rest: a 0.1 build without the
 * batch module is incomplete, so it is refused as a whole. */
static void batch_symbol_missing_falls_back(void **state) {
  core_loader_env env = env_default();
  core_api_t t;
  char why[256];
  (void)state;
  mock.missing = "core_stats_file_f32"; /* the last slot */
  assert_int_equal(choose(&env, &t, why), CORE_LOADER_FALLBACK);
  assert_string_equal(why, "symbol core_stats_file_f32 missing");
  assert_int_equal(mock.dlclose_calls, 1);
  assert_true(t.stats_file_f32 == core_fb_stats_file_f32);
  assert_true(t.batch_stats_f32 == core_fb_batch_stats_f32);
  assert_table_computes(&t);
}

/* The slot list covers the table, in order: ... ring, cache, metrics, audio, pipeline,
 * the audio reader, collections. */
static void slot_list_is_the_table(void **state) {
  size_t i;
  (void)state;
  assert_int_equal(core_loader_slot_count,
                   (sizeof(core_api_t) - offsetof(core_api_t, version)) / sizeof(void (*)(void)));
  for (i = 1; i < core_loader_slot_count; ++i)
    assert_true(core_loader_slots[i].offset == core_loader_slots[i - 1].offset + sizeof(void *));
  assert_int_equal(core_loader_slots[0].offset, offsetof(core_api_t, version));
  assert_string_equal(core_loader_slots[59].symbol, "core_batch_stats_f32");
  assert_int_equal(core_loader_slots[59].offset, offsetof(core_api_t, batch_stats_f32));
  assert_string_equal(core_loader_slots[69].symbol, "core_stats_file_f32");
  assert_string_equal(core_loader_slots[70].symbol, "core_ring_options_init");
  assert_int_equal(core_loader_slots[70].offset, offsetof(core_api_t, ring_options_init));
  assert_string_equal(core_loader_slots[89].symbol, "core_ring_get_policy");
  assert_string_equal(core_loader_slots[90].symbol, "core_cache_key_bytes");
  assert_int_equal(core_loader_slots[90].offset, offsetof(core_api_t, cache_key_bytes));
  assert_string_equal(core_loader_slots[107].symbol, "core_cache_load");
  assert_string_equal(core_loader_slots[108].symbol, "core_now_ns");
  assert_int_equal(core_loader_slots[108].offset, offsetof(core_api_t, now_ns));
  assert_string_equal(core_loader_slots[140].symbol, "core_metrics_snapshot_export");
  assert_string_equal(core_loader_slots[141].symbol, "core_logmel_options_init");
  assert_int_equal(core_loader_slots[141].offset, offsetof(core_api_t, logmel_options_init));
  assert_string_equal(core_loader_slots[155].symbol, "core_vad_options_init");
  assert_int_equal(core_loader_slots[155].offset, offsetof(core_api_t, vad_options_init));
  assert_string_equal(core_loader_slots[165].symbol, "core_audio_info");
  assert_string_equal(core_loader_slots[166].symbol, "core_audio_read");
  assert_string_equal(core_loader_slots[167].symbol, "core_batcher_options_init");
  assert_int_equal(core_loader_slots[167].offset, offsetof(core_api_t, batcher_options_init));
  assert_string_equal(core_loader_slots[175].symbol, "core_pipeline_options_init");
  assert_int_equal(core_loader_slots[175].offset, offsetof(core_api_t, pipeline_options_init));
  assert_string_equal(core_loader_slots[184].symbol, "core_pipeline_metrics");
  assert_string_equal(core_loader_slots[185].symbol, "core_audio_open");
  assert_int_equal(core_loader_slots[185].offset, offsetof(core_api_t, audio_open));
  assert_string_equal(core_loader_slots[189].symbol, "core_audio_reader_close");
  assert_int_equal(core_loader_slots[189].offset, offsetof(core_api_t, audio_reader_close));
  assert_string_equal(core_loader_slots[190].symbol, "core_collection_options_init");
  assert_int_equal(core_loader_slots[190].offset, offsetof(core_api_t, collection_options_init));
  assert_string_equal(core_loader_slots[core_loader_slot_count - 1].symbol,
                      "core_file_summary_json");
}

static void abi_probe_missing_falls_back(void **state) {
  core_loader_env env = env_default();
  core_api_t t;
  char why[256];
  (void)state;
  mock.missing = "core_abi_version";
  assert_int_equal(choose(&env, &t, why), CORE_LOADER_FALLBACK);
  assert_string_equal(why, "symbol core_abi_version missing");
  assert_int_equal(mock.dlclose_calls, 1);
}

static void abi_too_old_falls_back_and_closes(void **state) {
  core_loader_env env = env_default();
  core_api_t t;
  char why[256];
  (void)state;
  mock.abi = CORE_ABI_VERSION - 1;
  assert_int_equal(choose(&env, &t, why), CORE_LOADER_FALLBACK);
  assert_string_equal(why, "ABI 0 < required 1");
  assert_int_equal(mock.dlclose_calls, 1);
  assert_int_equal(t.backend, CORE_BACKEND_FALLBACK);
}

static void abi_too_new_falls_back_and_closes(void **state) {
  core_loader_env env = env_default();
  core_api_t t;
  char why[256];
  (void)state;
  mock.abi = CORE_ABI_VERSION + 1;
  assert_int_equal(choose(&env, &t, why), CORE_LOADER_FALLBACK);
  assert_string_equal(why, "ABI 2 > supported 1");
  assert_int_equal(mock.dlclose_calls, 1);
}

/* A libcore older than a slot's "since" may lack it: that slot is portable
 * and the rest of the table stays native. */
static void older_library_keeps_native_table(void **state) {
  core_loader_env env = env_default();
  core_api_t t;
  char why[256];
  (void)state;
  mock.version = 99; /* before every slot's since (0.1.0 = 100) */
  mock.missing = "core_percentile_f64";
  assert_int_equal(choose(&env, &t, why), CORE_LOADER_NATIVE);
  assert_int_equal(t.backend, CORE_BACKEND_NATIVE);
  assert_true(t.percentile_f64 == core_fb_percentile_f64);
  assert_string_equal(t.simd_target(), "MOCK");
  assert_int_equal(mock.dlclose_calls, 0);
}

static void self_test_mismatch_falls_back_and_closes(void **state) {
  core_loader_env env = env_default();
  core_api_t t;
  char why[256];
  (void)state;
  mock.wrong_stats = 1;
  assert_int_equal(choose(&env, &t, why), CORE_LOADER_FALLBACK);
  assert_non_null(strstr(why, "self-test: core_stats_f64 mean"));
  assert_int_equal(mock.dlclose_calls, 1);
  assert_int_equal(t.backend, CORE_BACKEND_FALLBACK);
}

static void strict_refuses_to_fall_back(void **state) {
  core_loader_env env = env_default();
  core_api_t t;
  char why[256];
  (void)state;
  env.strict = 1;
  mock.missing = "core_dot_f64";
  assert_int_equal(choose(&env, &t, why), CORE_LOADER_REFUSED);
  assert_string_equal(why, "symbol core_dot_f64 missing");
  assert_int_equal(mock.dlclose_calls, 1);
  /* and when the load works, strict changes nothing */
  reset_mock(state);
  assert_int_equal(choose(&env, &t, why), CORE_LOADER_NATIVE);
}

static void disable_skips_dlopen(void **state) {
  core_loader_env env = env_default();
  core_api_t t;
  char why[256];
  (void)state;
  env.disable = 1;
  env.strict = 1; /* an explicit request for the fallback is not silent */
  assert_int_equal(choose(&env, &t, why), CORE_LOADER_FALLBACK);
  assert_string_equal(why, "disabled by LIBCORE_DISABLE");
  assert_int_equal(mock.dlopen_calls, 0);
  assert_table_computes(&t);
}

static void environment_switches_parse(void **state) {
  core_loader_env env;
  (void)state;
  setenv("LIBCORE_DISABLE", "1", 1);
  setenv("LIBCORE_STRICT", "0", 1);
  setenv("LIBCORE_PATH", "", 1);
  core_loader_read_env(&env);
  assert_int_equal(env.disable, 1);
  assert_int_equal(env.strict, 0);
  assert_null(env.path);
  setenv("LIBCORE_DISABLE", "", 1);
  setenv("LIBCORE_STRICT", "yes", 1);
  setenv("LIBCORE_PATH", "/x/libcore.so.1", 1);
  core_loader_read_env(&env);
  assert_int_equal(env.disable, 0);
  assert_int_equal(env.strict, 1);
  assert_string_equal(env.path, "/x/libcore.so.1");
  unsetenv("LIBCORE_DISABLE");
  unsetenv("LIBCORE_STRICT");
  unsetenv("LIBCORE_PATH");
}

/* ---- once per process -------------------------------------------------------- */

enum { kThreads = 8 };
static pthread_barrier_t start_line;
static const core_api_t *seen[kThreads];

static void *first_call(void *arg) {
  size_t i = (size_t)(uintptr_t)arg;
  pthread_barrier_wait(&start_line);
  seen[i] = core_api();
  return NULL;
}

/* Must be the only test that calls core_api(): the load happens once per
 * process, and this test is about exactly that. */
static void concurrent_first_calls_load_once(void **state) {
  pthread_t threads[kThreads];
  size_t i;
  (void)state;
  unsetenv("LIBCORE_DISABLE");
  unsetenv("LIBCORE_STRICT");
  unsetenv("LIBCORE_PATH");
  assert_int_equal(pthread_barrier_init(&start_line, NULL, kThreads), 0);
  for (i = 0; i < kThreads; ++i)
    assert_int_equal(pthread_create(&threads[i], NULL, first_call, (void *)(uintptr_t)i), 0);
  for (i = 0; i < kThreads; ++i) pthread_join(threads[i], NULL);
  pthread_barrier_destroy(&start_line);

  assert_int_equal(mock.dlopen_calls, 1);
  assert_non_null(seen[0]);
  for (i = 1; i < kThreads; ++i) assert_ptr_equal(seen[i], seen[0]);
  assert_int_equal(seen[0]->backend, CORE_BACKEND_NATIVE);
  assert_string_equal(core_api_load_error(), "");
  /* later calls: same table, no second load */
  assert_ptr_equal(core_api(), seen[0]);
  assert_int_equal(mock.dlopen_calls, 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup(native_when_everything_resolves, reset_mock),
      cmocka_unit_test_setup(library_path_from_environment, reset_mock),
      cmocka_unit_test_setup(library_missing_falls_back, reset_mock),
      cmocka_unit_test_setup(symbol_missing_falls_back_and_closes, reset_mock),
      cmocka_unit_test_setup(batch_symbol_missing_falls_back, reset_mock),
      cmocka_unit_test_setup(slot_list_is_the_table, reset_mock),
      cmocka_unit_test_setup(abi_probe_missing_falls_back, reset_mock),
      cmocka_unit_test_setup(abi_too_old_falls_back_and_closes, reset_mock),
      cmocka_unit_test_setup(abi_too_new_falls_back_and_closes, reset_mock),
      cmocka_unit_test_setup(older_library_keeps_native_table, reset_mock),
      cmocka_unit_test_setup(self_test_mismatch_falls_back_and_closes, reset_mock),
      cmocka_unit_test_setup(strict_refuses_to_fall_back, reset_mock),
      cmocka_unit_test_setup(disable_skips_dlopen, reset_mock),
      cmocka_unit_test_setup(environment_switches_parse, reset_mock),
      cmocka_unit_test_setup(concurrent_first_calls_load_once, reset_mock),
  };
  return cmocka_run_group_tests_name("loader_mock", tests, NULL, NULL);
}
