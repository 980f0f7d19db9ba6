/* Helpers shared by the ring suites (test_ring*.c): ring creation, a
 * sequence-number stream and checks on what comes out. Test code only. */
#ifndef CORE_TEST_RING_UTIL_H
#define CORE_TEST_RING_UTIL_H

#include <criterion/criterion.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <core/core.h>

#include "test_status.h"
#include "testutil.h"


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
