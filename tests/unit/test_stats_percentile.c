/* Unit tests for the stats module, part 4: core_percentile_f32/f64 with
 * NumPy's linear interpolation, NaN policies, scratch rules and errors.
 * C API only. */
#include <criterion/criterion.h>
#include <criterion/logging.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <core/core.h>

#include "stats_testutil.h"

/* Percentile: scratch of `cap` elements (NULL if cap is SIZE_MAX); checks
 * afterwards that x was not modified. */
static core_status w_pct(int d, const double *x, size_t n, double q, core_nan_policy p,
                         size_t cap, double *out) {
  void *v = copy_as(d, x, n), *keep = copy_as(d, x, n);
  size_t es = d == F32 ? sizeof(float) : sizeof(double);
  void *scratch = cap == SIZE_MAX ? NULL : malloc((cap ? cap : 1) * es);
  size_t c = cap == SIZE_MAX ? n : cap;
  core_status st = d == F32 ? core_percentile_f32(v, n, q, p, scratch, c, out)
                            : core_percentile_f64(v, n, q, p, scratch, c, out);
  if (v) cr_expect(memcmp(v, keep, n * es) == 0, "%s percentile modified x (n=%zu q=%g)", DT[d], n, q);
  free(v);
  free(keep);
  free(scratch);
  return st;
}


/* ---- percentile ---------------------------------------------------------- */

static int cmp_d(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* NumPy "linear": virtual index q/100*(m-1) over the sorted non-NaN values. */
static double pct_ref(const double *x, size_t n, double q) {
  double *s = malloc(n * sizeof *s);
  size_t m = 0;
  for (size_t i = 0; i < n; ++i)
    if (!isnan(x[i])) s[m++] = x[i];
  qsort(s, m, sizeof *s, cmp_d);
  double v = q / 100.0 * (double)(m - 1), lo = floor(v);
  size_t i = (size_t)lo, j = i + 1 < m ? i + 1 : i;
  double out = s[i] + (v - lo) * (s[j] - s[i]);
  free(s);
  return out;
}

Test(stats, percentile_known) {
  const double x[] = {3, 1, 4, 1, 5, 9, 2, 6};
  const double xn[] = {3, NAN, 1, 4, 1, NAN, 5, 9, 2, 6};
  for (int d = 0; d < 2; ++d)
    for (int p = 0; p < 2; ++p) {
      double v = 0;
      char ctx[40];
      snprintf(ctx, sizeof ctx, "%s policy %d", DT[d], p);
      ST_OK(w_pct(d, x, 8, 0, (core_nan_policy)p, 8, &v), ctx);
      cr_expect(v == 1.0, "%s q=0: %.17g", ctx, v);
      ST_OK(w_pct(d, x, 8, 100, (core_nan_policy)p, 8, &v), ctx);
      cr_expect(v == 9.0, "%s q=100: %.17g", ctx, v);
      ST_OK(w_pct(d, x, 8, 50, (core_nan_policy)p, 8, &v), ctx);
      cr_expect(v == 3.5, "%s q=50: %.17g", ctx, v);
      ST_OK(w_pct(d, x, 8, 25, (core_nan_policy)p, 8, &v), ctx);
      cr_expect(v == 1.75, "%s q=25: %.17g", ctx, v);
      ST_OK(w_pct(d, x, 8, 90, (core_nan_policy)p, 8, &v), ctx);
      cr_expect(fabs(v - 6.9) <= 1e-12, "%s q=90: %.17g", ctx, v);
      ST_OK(w_pct(d, x, 8, 33.3, (core_nan_policy)p, 8, &v), ctx);
      double r = pct_ref(x, 8, 33.3);
      cr_expect(fabs(v - r) <= 1e-12, "%s q=33.3: %.17g vs %.17g", ctx, v, r);
      ST_OK(w_pct(d, x + 2, 1, 37, (core_nan_policy)p, 1, &v), ctx);
      cr_expect(v == 4.0, "%s n=1: %.17g", ctx, v);
      ST_OK(w_pct(d, x, 2, 50, (core_nan_policy)p, 5, &v), ctx); /* cap > n is fine */
      cr_expect(v == 2.0, "%s n=2 q=50: %.17g", ctx, v);
      /* NaNs: skipped under OMIT, NaN under PROPAGATE */
      ST_OK(w_pct(d, xn, 10, 50, (core_nan_policy)p, 10, &v), ctx);
      if (p == CORE_NAN_OMIT) cr_expect(v == 3.5, "%s OMIT q=50: %.17g", ctx, v);
      else cr_expect(isnan(v), "%s PROPAGATE q=50: %g", ctx, v);
      ST_OK(w_pct(d, xn, 10, 90, (core_nan_policy)p, 10, &v), ctx);
      if (p == CORE_NAN_OMIT) cr_expect(fabs(v - 6.9) <= 1e-12, "%s OMIT q=90: %.17g", ctx, v);
      else cr_expect(isnan(v), "%s PROPAGATE q=90: %g", ctx, v);
      ST_OK(w_pct(d, xn, 10, 0, (core_nan_policy)p, 10, &v), ctx);
      if (p == CORE_NAN_OMIT) cr_expect(v == 1.0, "%s OMIT q=0: %.17g", ctx, v);
      else cr_expect(isnan(v), "%s PROPAGATE q=0: %g", ctx, v);
    }
}

Test(stats, percentile_random) {
  static const size_t ns[] = {1, 2, 3, 17, 2049, 100003};
  static const double qs[] = {0, 0.5, 25, 33.3, 50, 77.7, 99.99, 100};
  for (int d = 0; d < 2; ++d)
    for (size_t t = 0; t < 6; ++t)
      for (int kind = 0; kind < 3; ++kind) {
        size_t n = ns[t];
        tu_rng r = tu_rng_make(5000 + n * 3 + kind);
        double *x = malloc(n * sizeof *x);
        for (size_t i = 0; i < n; ++i) {
          double u = tu_uniform(&r);
          x[i] = kind == 0 ? rnd_dt(d, tu_normal(&r, 0, 100)) /* continuous */
                           : (double)(int)(u * 50);           /* many duplicates */
          if (kind == 2 && i % 7 == 3) x[i] = NAN;             /* NaNs, OMIT */
        }
        core_nan_policy p = kind == 2 ? CORE_NAN_OMIT : CORE_NAN_PROPAGATE;
        for (size_t k = 0; k < sizeof qs / sizeof qs[0]; ++k) {
          double v = 0, want = pct_ref(x, n, qs[k]);
          ST_OK(w_pct(d, x, n, qs[k], p, n, &v), DT[d]);
          cr_expect(fabs(v - want) <= 1e-12 * fmax(1.0, fabs(want)),
                    "%s kind %d n=%zu q=%g: %.17g, want %.17g", DT[d], kind, n, qs[k], v, want);
        }
        free(x);
      }
}

Test(stats, percentile_errors) {
  const double x[] = {3, 1, 4, 1, 5}, nn[] = {NAN, NAN, NAN};
  for (int d = 0; d < 2; ++d) {
    double v = 42.0;
    for (int p = 0; p < 2; ++p) {
      cr_expect_eq(w_pct(d, NULL, 0, 50, (core_nan_policy)p, 0, &v), CORE_E_EMPTY, "%s n=0 NULL", DT[d]);
      cr_expect_eq(w_pct(d, x, 0, 50, (core_nan_policy)p, 4, &v), CORE_E_EMPTY, "%s n=0", DT[d]);
      cr_expect(tu_message_has(NULL), "%s: no message after CORE_E_EMPTY", DT[d]);
      cr_expect_eq(w_pct(d, x, 5, 50, (core_nan_policy)p, 4, &v), CORE_E_BUFFER_TOO_SMALL,
                   "%s cap 4 < n 5", DT[d]);
      cr_expect_eq(w_pct(d, x, 5, 50, (core_nan_policy)p, 0, &v), CORE_E_BUFFER_TOO_SMALL,
                   "%s cap 0 < n 5", DT[d]);
      const double bad_q[] = {-1, 101, NAN, -1e-9, 100.000001, INFINITY};
      for (int k = 0; k < 6; ++k)
        cr_expect_eq(w_pct(d, x, 5, bad_q[k], (core_nan_policy)p, 5, &v), CORE_E_INVALID_ARGUMENT,
                     "%s q=%g", DT[d], bad_q[k]);
      cr_expect_eq(w_pct(d, x, 5, 50, (core_nan_policy)p, SIZE_MAX, &v), CORE_E_INVALID_ARGUMENT,
                   "%s scratch NULL", DT[d]);
      cr_expect_eq(w_pct(d, x, 5, 50, (core_nan_policy)p, 5, NULL), CORE_E_INVALID_ARGUMENT,
                   "%s out NULL", DT[d]);
      cr_expect_eq(w_pct(d, NULL, 5, 50, (core_nan_policy)p, 5, &v), CORE_E_INVALID_ARGUMENT,
                   "%s x NULL", DT[d]);
      cr_expect(tu_message_has(NULL), "%s: no message after invalid argument", DT[d]);
    }
    cr_expect_eq(w_pct(d, nn, 3, 50, CORE_NAN_OMIT, 3, &v), CORE_E_EMPTY, "%s all-NaN OMIT", DT[d]);
    /* under OMIT the capacity is still checked against n */
    const double xn[] = {NAN, 1, 2, NAN};
    cr_expect_eq(w_pct(d, xn, 4, 50, CORE_NAN_OMIT, 2, &v), CORE_E_BUFFER_TOO_SMALL,
                 "%s OMIT cap 2 < n 4", DT[d]);
    const int bad[] = {2, -1};
    for (int b = 0; b < 2; ++b)
      cr_expect_eq(w_pct(d, x, 5, 50, (core_nan_policy)bad[b], 5, &v), CORE_E_INVALID_ARGUMENT,
                   "%s nan policy %d", DT[d], bad[b]);
    cr_expect(v == 42.0, "%s: out written on error (%g)", DT[d], v);
    double w = 0;
    ST_OK(w_pct(d, nn, 3, 50, CORE_NAN_PROPAGATE, 3, &w), DT[d]);
    cr_expect(isnan(w), "%s all-NaN PROPAGATE: %g", DT[d], w);
  }
}
