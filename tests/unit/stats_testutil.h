/* Helpers shared by the two stats suites: every test runs for both dtypes,
 * with data kept as doubles and copied into the dtype under test. */
#ifndef CORE_STATS_TESTUTIL_H
#define CORE_STATS_TESTUTIL_H

#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include <core/core.h>

#include "testutil.h"

enum { F32 = 0, F64 = 1 };
static const char *const DT[2] = {"f32", "f64"};

/* For F32 every value is rounded to float when generated, so the double
 * array and its float copy hold the same values. */
static inline double rnd_dt(int d, double v) { return d == F32 ? (double)(float)v : v; }

/* A copy of x in dtype d placed `off` elements past a 64-byte aligned base
 * (off = 1 gives a pointer that is not SIMD aligned). *base is what to free.
 * NULL stays NULL. */
static inline const void *copy_as_off(int d, const double *x, size_t n, size_t off,
                                      void **base) {
  *base = NULL;
  if (x == NULL) return NULL;
  size_t es = d == F32 ? sizeof(float) : sizeof(double);
  size_t bytes = ((n + off) * es + 63) / 64 * 64 + 64;
  unsigned char *b = aligned_alloc(64, bytes);
  cr_assert_not_null(b, "out of memory in the test");
  *base = b;
  if (d == F32) {
    float *f = (float *)b + off;
    for (size_t i = 0; i < n; ++i) f[i] = (float)x[i];
    return f;
  }
  double *g = (double *)b + off;
  if (n) memcpy(g, x, n * sizeof *g);
  return g;
}

/* An aligned copy to free() directly (NULL stays NULL). */
static inline void *copy_as(int d, const double *x, size_t n) {
  void *base;
  copy_as_off(d, x, n, 0, &base);
  return base;
}

static inline double *gen_uniform(int d, uint64_t seed, size_t n, double lo, double hi) {
  double *x = malloc((n ? n : 1) * sizeof *x);
  cr_assert_not_null(x);
  tu_rng r = tu_rng_make(seed);
  for (size_t i = 0; i < n; ++i) x[i] = rnd_dt(d, lo + (hi - lo) * tu_uniform(&r));
  return x;
}

#define ST_OK(st, ctx) \
  cr_assert_eq((st), CORE_OK, "%s: status %s", (ctx), core_status_str(st))

#define EXPECT_ULPS(got, ref, tol, ctx, what)                                   \
  do {                                                                          \
    double g_ = (got), r_ = (ref), u_ = tu_ulps(g_, r_);                        \
    cr_expect(u_ <= (tol), "%s: %s = %.17g, reference %.17g: %.3g ulps > %g", \
              (ctx), (what), g_, r_, u_, (double)(tol));                        \
  } while (0)

#endif
