/* Helpers shared by the ring suites (test_ring*.c): ring creation, a
 * sequence-number stream and checks on what comes out. Test code only. */
#ifndef CORE_TEST_RING_UTIL_H
#define CORE_TEST_RING_UTIL_H

#include <criterion/criterion.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <core/core.h>

#include "testutil.h"

/* Exact status plus a message naming fn (NULL: any non-empty message).
 * Expect, not assert, so one test reports every bad error path. */
#define ERR(want, fn, call)                                                               \
  do {                                                                                    \
    core_status st_ = (call);                                                             \
    const char *fn_ = (fn);                                                               \
    cr_expect_eq(st_, (want), "%s -> %s, want %s (%s)", #call, core_status_str(st_),      \
                 core_status_str(want), core_last_error_message());                       \
    cr_expect(tu_message_has(fn_), "%s: message \"%s\" should %s%s", #call,               \
              core_last_error_message(), fn_ ? "name " : "be non-empty", fn_ ? fn_ : ""); \
  } while (0)
/* As ERR, and the message also contains `needle`. */
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
/* Criterion reports every assertion made, so hot loops assert only on failure. */
#define CHECK(cond, ...) \
  do { if (!(cond)) cr_assert_fail(__VA_ARGS__); } while (0)
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static inline core_ring_t *ring_make(size_t cap, core_ring_policy policy, int mirror) {
  core_ring_options_t o;
  OK(core_ring_options_init(&o));
  o.capacity = cap;
  o.policy = policy;
  o.mirror = mirror;
  core_ring_t *r = NULL;
  OK(core_ring_create(&o, &r));
  cr_assert_not_null(r);
  return r;
}

/* Sample i of the test stream: distinct, exactly representable, and
 * recognisable (seq(i) == i + 0.25 up to 2^22). */
static inline float seq(uint64_t i) { return (float)(i % 4000000u) + 0.25f; }
static inline void seq_fill(float *x, uint64_t first, size_t n) {
  for (size_t i = 0; i < n; ++i) x[i] = seq(first + i);
}
/* Non-zero when x[0, n) is seq(first), seq(first + 1), ... */
static inline int seq_is(const float *x, uint64_t first, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (x[i] != seq(first + i)) return 0;
  return 1;
}
/* The index of a stream sample (inverse of seq, below 4e6). */
static inline uint64_t seq_index(float v) { return (uint64_t)(v - 0.25f); }

static inline float *fbuf(size_t n) {
  float *p = malloc((n ? n : 1) * sizeof *p);
  cr_assert_not_null(p);
  return p;
}

/* Appends stream samples [first, first + n), asserting CORE_OK. */
static inline void push_seq(core_ring_t *r, uint64_t first, size_t n) {
  float *x = fbuf(n);
  seq_fill(x, first, n);
  OK(core_ring_append_f32(r, x, n));
  free(x);
}

/* Pops n samples and asserts they are the stream from `first`. */
static inline void pop_seq(core_ring_t *r, uint64_t first, size_t n) {
  float *x = fbuf(n);
  size_t got = 0;
  OK(core_ring_pop(r, x, n, &got));
  cr_assert_eq(got, n, "popped %zu of %zu", got, n);
  cr_assert(seq_is(x, first, n), "pop of %zu from %llu: wrong samples (first %g)", n,
            (unsigned long long)first, (double)x[0]);
  free(x);
}

#endif
