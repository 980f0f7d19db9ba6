/* Unit tests for the runtime module of core.h: version, status codes and
 * names, the thread-local last error message, the SIMD target and thread
 * control. C API only. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#endif
#include <criterion/criterion.h>

#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include <core/core.h>

#include "testutil.h"

#define STR_(x) #x
#define STR(x) STR_(x)

/* ---- version -------------------------------------------------------------- */

Test(runtime, version_string_matches_macros) {
  const char *expected =
      STR(CORE_VERSION_MAJOR) "." STR(CORE_VERSION_MINOR) "." STR(CORE_VERSION_PATCH);
  const char *v = core_version();
  cr_assert_not_null(v);
  cr_assert_str_eq(v, expected, "core_version() = \"%s\", headers say \"%s\"", v, expected);
  /* Static string: the same pointer every time. */
  cr_assert_eq(core_version(), v);
}

Test(runtime, version_number_matches_macro) {
  cr_assert_eq(core_version_number(), (unsigned)CORE_VERSION_NUMBER);
  cr_assert_eq(core_version_number(), (unsigned)(CORE_VERSION_MAJOR * 10000 +
                                                 CORE_VERSION_MINOR * 100 +
                                                 CORE_VERSION_PATCH));
}

Test(runtime, abi_version_matches_macro) {
  cr_assert_eq(core_abi_version(), CORE_ABI_VERSION);
}

/* ---- status --------------------------------------------------------------- */

static const struct {
  core_status status;
  int value;
  const char *name;
} k_statuses[] = {
    {CORE_OK, 0, "CORE_OK"},
    {CORE_E_INVALID_ARGUMENT, 1, "CORE_E_INVALID_ARGUMENT"},
    {CORE_E_OUT_OF_MEMORY, 2, "CORE_E_OUT_OF_MEMORY"},
    {CORE_E_BUFFER_TOO_SMALL, 3, "CORE_E_BUFFER_TOO_SMALL"},
    {CORE_E_FULL, 4, "CORE_E_FULL"},
    {CORE_E_EMPTY, 5, "CORE_E_EMPTY"},
    {CORE_E_NOT_FOUND, 6, "CORE_E_NOT_FOUND"},
    {CORE_E_IO, 7, "CORE_E_IO"},
    {CORE_E_FORMAT, 8, "CORE_E_FORMAT"},
    {CORE_E_UNSUPPORTED, 9, "CORE_E_UNSUPPORTED"},
    {CORE_E_UNAVAILABLE, 10, "CORE_E_UNAVAILABLE"},
    {CORE_E_INTERNAL, 11, "CORE_E_INTERNAL"},
};
#define N_STATUSES (sizeof k_statuses / sizeof k_statuses[0])

Test(runtime, status_values_are_pinned) {
  cr_assert_eq(N_STATUSES, 12);
  for (size_t i = 0; i < N_STATUSES; ++i)
    cr_expect_eq((int)k_statuses[i].status, k_statuses[i].value, "%s should be %d, is %d",
                 k_statuses[i].name, k_statuses[i].value, (int)k_statuses[i].status);
  cr_assert_eq(sizeof(core_status), sizeof(int));
}

Test(runtime, nan_policy_values_are_pinned) {
  cr_assert_eq((int)CORE_NAN_PROPAGATE, 0);
  cr_assert_eq((int)CORE_NAN_OMIT, 1);
}

Test(runtime, status_str_names_every_status) {
  for (size_t i = 0; i < N_STATUSES; ++i) {
    const char *s = core_status_str((core_status)k_statuses[i].value);
    cr_assert_not_null(s, "status %d", k_statuses[i].value);
    cr_expect_str_eq(s, k_statuses[i].name, "core_status_str(%d) = \"%s\"",
                     k_statuses[i].value, s);
  }
}

Test(runtime, status_str_unknown_values) {
  const int bad[] = {-1, 12, 13, 100, INT_MAX, INT_MIN};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
    const char *s = core_status_str((core_status)bad[i]);
    cr_assert_not_null(s, "status %d", bad[i]);
    cr_expect_str_eq(s, "CORE_E_UNKNOWN", "core_status_str(%d) = \"%s\"", bad[i], s);
  }
}

/* ---- last error message ---------------------------------------------------- */

/* Runs fn on a new thread and joins it. */
static void run_thread(void *(*fn)(void *), void *arg) {
  pthread_t t;
  cr_assert_eq(pthread_create(&t, NULL, fn, arg), 0);
  cr_assert_eq(pthread_join(t, NULL), 0);
}

typedef struct {
  char before[256]; /* message seen before any call on the thread */
  char after[256];  /* message after a failure on the thread */
  core_status st;
} thread_probe;

static void copy_msg(char *dst, size_t cap) {
  const char *m = core_last_error_message();
  snprintf(dst, cap, "%s", m ? m : "(NULL)");
}

static void *probe_fresh(void *arg) {
  thread_probe *p = arg;
  copy_msg(p->before, sizeof p->before);
  return NULL;
}

static void *probe_fail(void *arg) {
  thread_probe *p = arg;
  copy_msg(p->before, sizeof p->before);
  p->st = core_fill_f64(NULL, 5, 1.0);
  copy_msg(p->after, sizeof p->after);
  return NULL;
}

Test(runtime, last_error_empty_on_fresh_thread) {
  thread_probe p = {{0}, {0}, CORE_OK};
  strcpy(p.before, "unset");
  run_thread(probe_fresh, &p);
  cr_assert_str_eq(p.before, "", "fresh thread sees \"%s\"", p.before);
  cr_assert_not_null(core_last_error_message());
}

Test(runtime, last_error_names_failing_function) {
  core_status st = core_fill_f32(NULL, 3, 0.0f);
  cr_assert_eq(st, CORE_E_INVALID_ARGUMENT, "got %s", core_status_str(st));
  const char *m = core_last_error_message();
  cr_assert_not_null(m);
  cr_assert_neq(m[0], '\0', "message is empty after a failure");
  cr_assert(strstr(m, "core_fill_f32") != NULL, "message \"%s\" does not name core_fill_f32", m);
}

Test(runtime, last_error_is_thread_local) {
  core_status st = core_fill_f32(NULL, 3, 0.0f);
  cr_assert_eq(st, CORE_E_INVALID_ARGUMENT);
  char main_msg[256];
  copy_msg(main_msg, sizeof main_msg);
  cr_assert_neq(main_msg[0], '\0');

  /* A new thread does not see the main thread's failure ... */
  thread_probe p = {{0}, {0}, CORE_OK};
  strcpy(p.before, "unset");
  run_thread(probe_fresh, &p);
  cr_assert_str_eq(p.before, "", "new thread sees the main thread's message \"%s\"", p.before);

  /* ... and its own failure does not change the main thread's message. */
  thread_probe q = {{0}, {0}, CORE_OK};
  run_thread(probe_fail, &q);
  cr_assert_str_eq(q.before, "");
  cr_assert_eq(q.st, CORE_E_INVALID_ARGUMENT);
  cr_assert(strstr(q.after, "core_fill_f64") != NULL, "thread message \"%s\"", q.after);
  cr_assert_str_eq(core_last_error_message(), main_msg);
}

Test(runtime, last_error_unchanged_by_success) {
  core_status st = core_set_num_threads(-1);
  cr_assert_eq(st, CORE_E_INVALID_ARGUMENT);
  char msg[256];
  copy_msg(msg, sizeof msg);
  cr_assert_neq(msg[0], '\0');
  float buf[4];
  cr_assert_eq(core_fill_f32(buf, 4, 1.0f), CORE_OK);
  cr_assert_str_eq(core_version(), STR(CORE_VERSION_MAJOR) "." STR(CORE_VERSION_MINOR) "."
                   STR(CORE_VERSION_PATCH));
  cr_assert_str_eq(core_last_error_message(), msg, "a successful call changed the message");
}

Test(runtime, last_error_replaced_by_next_failure) {
  cr_assert_eq(core_set_num_threads(-5), CORE_E_INVALID_ARGUMENT);
  cr_assert(tu_message_has("core_set_num_threads"), "\"%s\"", core_last_error_message());
  cr_assert_eq(core_fill_f32(NULL, 3, 0.0f), CORE_E_INVALID_ARGUMENT);
  cr_assert(tu_message_has("core_fill_f32"), "\"%s\"", core_last_error_message());
}

/* ---- SIMD target ----------------------------------------------------------- */

static const char *const k_hwy_targets[] = {
    /* x86 */ "SSE2", "SSSE3", "SSE4", "AVX2", "AVX3", "AVX3_DL", "AVX3_ZEN4", "AVX3_SPR",
    "AVX10_2",
    /* Arm */ "NEON", "NEON_WITHOUT_AES", "NEON_BF16", "SVE", "SVE2", "SVE_256", "SVE2_128",
    /* others */ "PPC8", "PPC9", "PPC10", "Z14", "Z15", "WASM", "WASM_EMU256", "RVV", "LSX",
    "LASX",
    /* portable */ "EMU128", "SCALAR"};

static void *probe_target(void *arg) {
  *(const char **)arg = core_simd_target();
  return NULL;
}

Test(runtime, simd_target_is_a_highway_name) {
  const char *t = core_simd_target();
  cr_assert_not_null(t);
  cr_assert_neq(t[0], '\0', "empty target name");
  int found = 0;
  for (size_t i = 0; i < sizeof k_hwy_targets / sizeof k_hwy_targets[0]; ++i)
    found |= strcmp(t, k_hwy_targets[i]) == 0;
  cr_assert(found, "core_simd_target() = \"%s\" is not a Highway target name", t);
#if defined(__x86_64__) || defined(__i386__)
  cr_assert(strcmp(t, "NEON") != 0 && strcmp(t, "SVE") != 0, "Arm target on x86: %s", t);
#endif
}

Test(runtime, simd_target_chosen_once) {
  const char *a = core_simd_target();
  const char *b = core_simd_target();
  const char *c = NULL;
  run_thread(probe_target, &c);
  cr_assert_not_null(c);
  cr_assert_str_eq(a, b);
  cr_assert_str_eq(a, c, "another thread sees \"%s\", main \"%s\"", c, a);
}

/* ---- threads ---------------------------------------------------------------- */

Test(runtime, set_num_threads_one_and_two) {
  cr_assert_eq(core_set_num_threads(1), CORE_OK);
  cr_assert_eq(core_get_num_threads(), 1);
  cr_assert_eq(core_set_num_threads(2), CORE_OK);
  cr_assert_eq(core_get_num_threads(), 2);
  cr_assert_eq(core_set_num_threads(0), CORE_OK);
}

Test(runtime, set_num_threads_zero_restores_default) {
  int initial = core_get_num_threads();
  cr_assert_geq(initial, 1);
  cr_assert_eq(core_set_num_threads(1), CORE_OK);
  cr_assert_eq(core_set_num_threads(0), CORE_OK);
  int def = core_get_num_threads();
  cr_assert_geq(def, 1);
  cr_assert_eq(def, initial, "default after reset %d, at start %d", def, initial);
}

Test(runtime, default_threads_are_available_cpus) {
  cpu_set_t set;
  CPU_ZERO(&set);
  cr_assert_eq(sched_getaffinity(0, sizeof set, &set), 0);
  int cpus = CPU_COUNT(&set);
  cr_assert_eq(core_set_num_threads(0), CORE_OK);
  cr_assert_eq(core_get_num_threads(), cpus,
               "default is %d threads, the process may use %d CPUs", core_get_num_threads(),
               cpus);
}

Test(runtime, set_num_threads_negative_is_invalid) {
  cr_assert_eq(core_set_num_threads(2), CORE_OK);
  const int bad[] = {-1, -2, INT_MIN};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
    core_status st = core_set_num_threads(bad[i]);
    cr_expect_eq(st, CORE_E_INVALID_ARGUMENT, "core_set_num_threads(%d) -> %s", bad[i],
                 core_status_str(st));
    cr_expect(tu_message_has("core_set_num_threads"), "message \"%s\"",
              core_last_error_message());
    /* A failed call changes nothing. */
    cr_expect_eq(core_get_num_threads(), 2);
  }
  cr_assert_eq(core_set_num_threads(0), CORE_OK);
  cr_assert_geq(core_get_num_threads(), 1);
}

typedef struct {
  int got;
  core_status st;
} thread_count_probe;

static void *probe_set_threads(void *arg) {
  thread_count_probe *p = arg;
  p->st = core_set_num_threads(1);
  p->got = core_get_num_threads();
  return NULL;
}

Test(runtime, num_threads_is_process_wide) {
  cr_assert_eq(core_set_num_threads(2), CORE_OK);
  thread_count_probe p = {0, CORE_E_INTERNAL};
  run_thread(probe_set_threads, &p);
  cr_assert_eq(p.st, CORE_OK);
  cr_assert_eq(p.got, 1);
  cr_assert_eq(core_get_num_threads(), 1, "setting from another thread not seen");
  cr_assert_eq(core_set_num_threads(0), CORE_OK);
}
