/* Status checks shared by the unit suites' helper headers. Test code only.
 *
 *   OK(call)                        assert CORE_OK (the message on failure)
 *   ERR(want, fn, call)             expect status `want` and a message that
 *                                   names fn (fn NULL: is non-empty)
 *   ERRMSG(want, fn, needle, call)  as ERR, and the message holds `needle`
 *   CHECK(cond, ...)                assert only on failure: Criterion
 *                                   reports every assertion made, so loops
 *                                   use this
 * ERR and ERRMSG expect rather than assert, so one test reports every bad
 * error path. */
#ifndef CORE_TEST_STATUS_H
#define CORE_TEST_STATUS_H

#include <criterion/criterion.h>

#include <core/core.h>

#include "testutil.h"

#define ERR(want, fn, call)                                                               \
  do {                                                                                    \
    core_status st_ = (call);                                                             \
    const char *fn_ = (fn);                                                               \
    cr_expect_eq(st_, (want), "%s -> %s, want %s (%s)", #call, core_status_str(st_),      \
                 core_status_str(want), core_last_error_message());                       \
    cr_expect(tu_message_has(fn_), "%s: message \"%s\" should %s%s", #call,               \
              core_last_error_message(), fn_ ? "name " : "be non-empty", fn_ ? fn_ : ""); \
  } while (0)
#define ERRMSG(want, fn, needle, call)                                                     \
  do {                                                                                     \
    ERR(want, fn, call);                                                                   \
    cr_expect(tu_message_has(needle), "%s: message \"%s\" should say \"%s\"", #call,       \
              core_last_error_message(), needle);                                          \
  } while (0)
#define OK(call)                                                                          \
  do {                                                                                    \
    core_status st_ = (call);                                                             \
    cr_assert_eq(st_, CORE_OK, "%s -> %s (%s)", #call, core_status_str(st_),              \
                 core_last_error_message());                                              \
  } while (0)
#define CHECK(cond, ...) \
  do { if (!(cond)) cr_assert_fail(__VA_ARGS__); } while (0)
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

#endif
