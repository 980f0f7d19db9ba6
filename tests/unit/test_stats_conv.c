/* Unit tests for the stats module, part 2: the NumPy-named conveniences
 * (min, max, mean, var, std, dot, corrcoef, energy, rms,
 * zero_crossing_rate), for float32 and float64; percentile is in
 * test_stats_percentile.c. C API only. */
#include <criterion/criterion.h>
#include <criterion/logging.h>

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <core/core.h>

#include "stats_testutil.h"

/* ---- helpers: every test runs for both dtypes ---------------------------- */

#define W1(fn)                                                                       \
  static core_status w_##fn(int d, const double *x, size_t n, double *out) {         \
    void *v = copy_as(d, x, n);                                                      \
    core_status st = d == F32 ? core_##fn##_f32(v, n, out) : core_##fn##_f64(v, n, out); \
    free(v);                                                                         \
    return st;                                                                       \
  }
#define WDDOF(fn)                                                                    \
  static core_status w_##fn(int d, const double *x, size_t n, unsigned dd, double *out) { \
    void *v = copy_as(d, x, n);                                                      \
    core_status st =                                                                 \
        d == F32 ? core_##fn##_f32(v, n, dd, out) : core_##fn##_f64(v, n, dd, out); \
    free(v);                                                                         \
    return st;                                                                       \
  }
#define W2(fn)                                                                       \
  static core_status w_##fn(int d, const double *x, const double *y, size_t n,       \
                            double *out) {                                           \
    void *v = copy_as(d, x, n), *w = copy_as(d, y, n);                               \
    core_status st =                                                                 \
        d == F32 ? core_##fn##_f32(v, w, n, out) : core_##fn##_f64(v, w, n, out);    \
    free(v);                                                                         \
    free(w);                                                                         \
    return st;                                                                       \
  }
W1(min) W1(max) W1(mean) W1(energy) W1(rms) W1(zero_crossing_rate)
WDDOF(var) WDDOF(std)
W2(dot) W2(corrcoef)

static const size_t SIZES[] = {1, 2, 3, 7, 15, 16, 17, 31, 33, 100, 2047, 2048, 2049, 4096,
                               4097, 100003};
#define NSIZES (sizeof SIZES / sizeof SIZES[0])

/* ---- every convenience: out NULL and x (or y) NULL with n > 0 ----------- */

Test(stats, conveniences_invalid_arguments) {
  const double x[] = {1, 2, 3, 4};
  for (int d = 0; d < 2; ++d) {
    double o = 42.0;
    core_status (*const one[])(int, const double *, size_t, double *) = {
        w_min, w_max, w_mean, w_energy, w_rms, w_zero_crossing_rate};
    static const char *const names[] = {"min", "max", "mean", "energy", "rms", "zcr"};
    for (int k = 0; k < 6; ++k) {
      cr_expect_eq(one[k](d, x, 4, NULL), CORE_E_INVALID_ARGUMENT, "%s_%s out NULL", names[k], DT[d]);
      cr_expect(tu_message_has(NULL), "%s_%s: no message", names[k], DT[d]);
      cr_expect_eq(one[k](d, NULL, 4, &o), CORE_E_INVALID_ARGUMENT, "%s_%s x NULL", names[k], DT[d]);
    }
    cr_expect_eq(w_var(d, x, 4, 0, NULL), CORE_E_INVALID_ARGUMENT, "var_%s out NULL", DT[d]);
    cr_expect_eq(w_var(d, NULL, 4, 0, &o), CORE_E_INVALID_ARGUMENT, "var_%s x NULL", DT[d]);
    cr_expect_eq(w_std(d, x, 4, 1, NULL), CORE_E_INVALID_ARGUMENT, "std_%s out NULL", DT[d]);
    cr_expect_eq(w_std(d, NULL, 4, 1, &o), CORE_E_INVALID_ARGUMENT, "std_%s x NULL", DT[d]);
    core_status (*const two[])(int, const double *, const double *, size_t, double *) = {
        w_dot, w_corrcoef};
    for (int k = 0; k < 2; ++k) {
      const char *nm = k ? "corrcoef" : "dot";
      cr_expect_eq(two[k](d, x, x, 4, NULL), CORE_E_INVALID_ARGUMENT, "%s_%s out NULL", nm, DT[d]);
      cr_expect_eq(two[k](d, NULL, x, 4, &o), CORE_E_INVALID_ARGUMENT, "%s_%s x NULL", nm, DT[d]);
      cr_expect_eq(two[k](d, x, NULL, 4, &o), CORE_E_INVALID_ARGUMENT, "%s_%s y NULL", nm, DT[d]);
      cr_expect(tu_message_has(NULL), "%s_%s: no message", nm, DT[d]);
    }
    cr_expect(o == 42.0, "%s: out written on error (%g)", DT[d], o);
  }
}

/* ---- min / max ----------------------------------------------------------- */

Test(stats, min_max) {
  const double k8[] = {3, 1, 4, 1, 5, -9, 2, 6};
  const double infs[] = {INFINITY, 1, -INFINITY};
  for (int d = 0; d < 2; ++d) {
    double lo = 0, hi = 0;
    ST_OK(w_min(d, k8, 8, &lo), DT[d]);
    ST_OK(w_max(d, k8, 8, &hi), DT[d]);
    cr_expect(lo == -9 && hi == 6, "%s known: min %g max %g", DT[d], lo, hi);
    ST_OK(w_min(d, k8 + 7, 1, &lo), DT[d]);
    ST_OK(w_max(d, k8 + 7, 1, &hi), DT[d]);
    cr_expect(lo == 6 && hi == 6, "%s single: min %g max %g", DT[d], lo, hi);
    ST_OK(w_min(d, infs, 3, &lo), DT[d]);
    ST_OK(w_max(d, infs, 3, &hi), DT[d]);
    cr_expect(lo == -INFINITY && hi == INFINITY, "%s infinities: min %g max %g", DT[d], lo, hi);
    double o = 42.0;
    cr_expect_eq(w_min(d, NULL, 0, &o), CORE_E_EMPTY, "%s min n=0 NULL", DT[d]);
    cr_expect_eq(w_max(d, NULL, 0, &o), CORE_E_EMPTY, "%s max n=0 NULL", DT[d]);
    cr_expect_eq(w_min(d, k8, 0, &o), CORE_E_EMPTY, "%s min n=0", DT[d]);
    cr_expect_eq(w_max(d, k8, 0, &o), CORE_E_EMPTY, "%s max n=0", DT[d]);
    cr_expect(o == 42.0, "%s: out written on CORE_E_EMPTY", DT[d]);
    for (size_t s = 0; s < NSIZES; ++s) {
      size_t n = SIZES[s];
      double *x = gen_uniform(d, 50 + n, n, -100.0, 100.0), mn = x[0], mx = x[0];
      for (size_t i = 1; i < n; ++i) {
        if (x[i] < mn) mn = x[i];
        if (x[i] > mx) mx = x[i];
      }
      ST_OK(w_min(d, x, n, &lo), DT[d]);
      ST_OK(w_max(d, x, n, &hi), DT[d]);
      cr_expect(lo == mn && hi == mx, "%s n=%zu: min %.17g/%.17g max %.17g/%.17g", DT[d], n, lo,
                mn, hi, mx);
      const size_t pos[] = {0, n / 2, n - 1};
      for (int j = 0; j < 3; ++j) {
        double keep = x[pos[j]];
        x[pos[j]] = NAN;
        ST_OK(w_min(d, x, n, &lo), DT[d]);
        ST_OK(w_max(d, x, n, &hi), DT[d]);
        cr_expect(isnan(lo) && isnan(hi), "%s n=%zu NaN at %zu: min %g max %g", DT[d], n,
                  pos[j], lo, hi);
        x[pos[j]] = keep;
      }
      free(x);
    }
  }
}

/* ---- mean / var / std ---------------------------------------------------- */

Test(stats, mean_var_std) {
  const double x[] = {1, 2, 3, 4};
  for (int d = 0; d < 2; ++d) {
    double v = 0;
    ST_OK(w_mean(d, x, 4, &v), DT[d]);
    cr_expect(v == 2.5, "%s mean %.17g", DT[d], v);
    ST_OK(w_var(d, x, 4, 0, &v), DT[d]);
    cr_expect(v == 1.25, "%s var ddof0 %.17g", DT[d], v);
    ST_OK(w_var(d, x, 4, 1, &v), DT[d]);
    EXPECT_ULPS(v, 5.0 / 3.0, 1, DT[d], "var ddof1");
    ST_OK(w_std(d, x, 4, 0, &v), DT[d]);
    cr_expect(v == sqrt(1.25), "%s std ddof0 %.17g", DT[d], v);
    ST_OK(w_std(d, x, 4, 1, &v), DT[d]);
    EXPECT_ULPS(v, sqrt(5.0 / 3.0), 1, DT[d], "std ddof1");
    ST_OK(w_var(d, x, 1, 0, &v), DT[d]);
    cr_expect(v == 0.0, "%s var of one value %g", DT[d], v);
    /* NaN, not an error: n == 0 or count <= ddof */
    ST_OK(w_mean(d, NULL, 0, &v), DT[d]);
    cr_expect(isnan(v), "%s mean n=0: %g", DT[d], v);
    ST_OK(w_var(d, NULL, 0, 0, &v), DT[d]);
    cr_expect(isnan(v), "%s var n=0: %g", DT[d], v);
    ST_OK(w_std(d, x, 0, 0, &v), DT[d]);
    cr_expect(isnan(v), "%s std n=0: %g", DT[d], v);
    const unsigned dd[] = {4, 5, UINT_MAX};
    for (int k = 0; k < 3; ++k) {
      ST_OK(w_var(d, x, 4, dd[k], &v), DT[d]);
      cr_expect(isnan(v), "%s var ddof %u n=4: %g", DT[d], dd[k], v);
      ST_OK(w_std(d, x, 4, dd[k], &v), DT[d]);
      cr_expect(isnan(v), "%s std ddof %u n=4: %g", DT[d], dd[k], v);
    }
    ST_OK(w_std(d, x, 1, 1, &v), DT[d]);
    cr_expect(isnan(v), "%s std ddof1 n=1: %g", DT[d], v);
    /* NaN propagates */
    const double xn[] = {1, NAN, 3};
    ST_OK(w_mean(d, xn, 3, &v), DT[d]);
    cr_expect(isnan(v), "%s mean with NaN %g", DT[d], v);
    ST_OK(w_var(d, xn, 3, 0, &v), DT[d]);
    cr_expect(isnan(v), "%s var with NaN %g", DT[d], v);
    ST_OK(w_std(d, xn, 3, 1, &v), DT[d]);
    cr_expect(isnan(v), "%s std with NaN %g", DT[d], v);
    /* random data vs the long-double reference */
    const size_t n = 100003;
    double *r = gen_uniform(d, 99, n, 10.0, 20.0);
    long double mean, m2;
    tu_moments_ld(r, n, &mean, &m2);
    ST_OK(w_mean(d, r, n, &v), DT[d]);
    EXPECT_ULPS(v, (double)mean, 4, DT[d], "mean n=100003");
    for (unsigned dof = 0; dof < 2; ++dof) {
      long double ref = m2 / (long double)(n - dof);
      ST_OK(w_var(d, r, n, dof, &v), DT[d]);
      EXPECT_ULPS(v, (double)ref, 8, DT[d], dof ? "var ddof1 n=100003" : "var ddof0 n=100003");
      ST_OK(w_std(d, r, n, dof, &v), DT[d]);
      EXPECT_ULPS(v, (double)sqrtl(ref), 8, DT[d], dof ? "std ddof1 n=100003" : "std ddof0 n=100003");
    }
    free(r);
  }
}

/* ---- dot ----------------------------------------------------------------- */

Test(stats, dot_product) {
  const double a[] = {1, 2, 3}, b[] = {4, 5, 6}, c[] = {1.5, -2}, e[] = {2, 0.25};
  for (int d = 0; d < 2; ++d) {
    double v = -1;
    ST_OK(w_dot(d, a, b, 3, &v), DT[d]);
    cr_expect(v == 32.0, "%s [1,2,3].[4,5,6] = %.17g", DT[d], v);
    ST_OK(w_dot(d, c, e, 2, &v), DT[d]);
    cr_expect(v == 2.5, "%s [1.5,-2].[2,0.25] = %.17g", DT[d], v);
    ST_OK(w_dot(d, NULL, NULL, 0, &v), DT[d]);
    cr_expect(v == 0.0, "%s n=0 NULL: %g", DT[d], v);
    v = -1;
    ST_OK(w_dot(d, a, b, 0, &v), DT[d]);
    cr_expect(v == 0.0, "%s n=0: %g", DT[d], v);
    const double an[] = {1, NAN, 3};
    ST_OK(w_dot(d, an, b, 3, &v), DT[d]);
    cr_expect(isnan(v), "%s NaN input: %g", DT[d], v);
    for (size_t s = 0; s < NSIZES; ++s) {
      size_t n = SIZES[s];
      double *x = gen_uniform(d, 300 + n, n, -1.0, 3.0), *y = gen_uniform(d, 600 + n, n, 0.5, 2.0);
      long double ref = 0, mag = 0;
      for (size_t i = 0; i < n; ++i) {
        ref += (long double)x[i] * y[i];
        mag += fabsl((long double)x[i] * y[i]);
      }
      ST_OK(w_dot(d, x, y, n, &v), DT[d]);
      cr_expect(fabsl((long double)v - ref) <= 1e-13L * mag, "%s n=%zu dot %.17g vs %.17Lg", DT[d],
                n, v, ref);
      free(x);
      free(y);
    }
  }
  /* float64 accumulation: 1e7 x 0.1f squared */
  const size_t n = 10000000;
  float *f = malloc(n * sizeof *f);
  for (size_t i = 0; i < n; ++i) f[i] = 0.1f;
  double v = 0, want = 1e7 * (double)0.1f * (double)0.1f;
  ST_OK(core_dot_f32(f, f, n, &v), "dot 1e7 0.1f");
  cr_log_info("dot of 1e7 x 0.1f: %.17g, want %.17g (rel %.3g)", v, want, fabs(v - want) / want);
  cr_expect(fabs(v - want) <= 1e-12 * want, "dot 1e7 x 0.1f: %.17g vs %.17g", v, want);
  free(f);
}

/* ---- corrcoef ------------------------------------------------------------ */

static long double corr_ld(const double *x, const double *y, size_t n) {
  long double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < n; ++i) { mx += x[i]; my += y[i]; }
  mx /= n;
  my /= n;
  for (size_t i = 0; i < n; ++i) {
    long double a = x[i] - mx, b = y[i] - my;
    sxy += a * b; sxx += a * a; syy += b * b;
  }
  return sxy / sqrtl(sxx * syy);
}

Test(stats, corrcoef) {
  /* x in {-3,-1,1,3} five times: every quantity of the computation is exact */
  double x[20], yp[20], ym[20];
  for (int i = 0; i < 20; ++i) {
    x[i] = (double)(2 * ((i * 7) % 4) - 3);
    yp[i] = 2 * x[i] + 3;
    ym[i] = -0.5 * x[i] + 1;
  }
  const double kx[] = {1, 2, 3, 4, 5}, ky[] = {2, 1, 4, 3, 7};
  for (int d = 0; d < 2; ++d) {
    double v = 0;
    ST_OK(w_corrcoef(d, x, yp, 20, &v), DT[d]);
    cr_expect(v == 1.0, "%s perfect positive: %.17g", DT[d], v);
    ST_OK(w_corrcoef(d, x, ym, 20, &v), DT[d]);
    cr_expect(v == -1.0, "%s perfect negative: %.17g", DT[d], v);
    ST_OK(w_corrcoef(d, kx, ky, 5, &v), DT[d]);
    EXPECT_ULPS(v, (double)corr_ld(kx, ky, 5), 4, DT[d], "corrcoef known 5");
    /* perfectly linear random data: never outside [-1, 1] */
    for (int t = 0; t < 60; ++t) {
      size_t n = 2 + (size_t)t * 37;
      tu_rng r = tu_rng_make(1000 + t);
      double c = (t % 2 ? -1 : 1) * (0.1 + 10 * tu_uniform(&r)), off = 100 * tu_uniform(&r);
      double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
      for (size_t i = 0; i < n; ++i) {
        a[i] = rnd_dt(d, tu_normal(&r, 50, 20));
        b[i] = rnd_dt(d, c * a[i] + off);
      }
      ST_OK(w_corrcoef(d, a, b, n, &v), DT[d]);
      cr_expect(v <= 1.0 && v >= -1.0 && fabs(v) > 1 - (d == F32 ? 1e-6 : 1e-12),
                "%s linear n=%zu c=%g: %.17g", DT[d], n, c, v);
      free(a);
      free(b);
    }
    /* larger random data vs the long-double formula */
    const size_t n = 100003;
    double *a = gen_uniform(d, 11, n, -1, 1), *b = gen_uniform(d, 12, n, -1, 1);
    for (size_t i = 0; i < n; ++i) b[i] = rnd_dt(d, 0.7 * a[i] + 0.5 * b[i]);
    ST_OK(w_corrcoef(d, a, b, n, &v), DT[d]);
    double ref = (double)corr_ld(a, b, n);
    cr_expect(fabs(v - ref) <= 1e-12, "%s n=100003: %.17g vs %.17g", DT[d], v, ref);
    /* NaN cases */
    const double cst[] = {5, 5, 5, 5, 5}, tenth[] = {0.1, 0.1, 0.1};
    ST_OK(w_corrcoef(d, cst, ky, 5, &v), DT[d]);
    cr_expect(isnan(v), "%s constant x: %g", DT[d], v);
    ST_OK(w_corrcoef(d, ky, cst, 5, &v), DT[d]);
    cr_expect(isnan(v), "%s constant y: %g", DT[d], v);
    ST_OK(w_corrcoef(d, cst, cst, 5, &v), DT[d]);
    cr_expect(isnan(v), "%s both constant: %g", DT[d], v);
    ST_OK(w_corrcoef(d, tenth, ky, 3, &v), DT[d]);
    cr_expect(isnan(v), "%s constant 0.1 x (mean not exact): %g", DT[d], v);
    double *c01 = malloc(1001 * sizeof *c01);
    for (int i = 0; i < 1001; ++i) c01[i] = rnd_dt(d, 0.1);
    ST_OK(w_corrcoef(d, a, c01, 1001, &v), DT[d]);
    cr_expect(isnan(v), "%s constant 0.1 y n=1001: %g", DT[d], v);
    free(c01);
    ST_OK(w_corrcoef(d, NULL, NULL, 0, &v), DT[d]);
    cr_expect(isnan(v), "%s n=0: %g", DT[d], v);
    ST_OK(w_corrcoef(d, kx, ky, 1, &v), DT[d]);
    cr_expect(isnan(v), "%s n=1: %g", DT[d], v);
    a[500] = NAN;
    ST_OK(w_corrcoef(d, a, b, n, &v), DT[d]);
    cr_expect(isnan(v), "%s NaN in x: %g", DT[d], v);
    ST_OK(w_corrcoef(d, b, a, n, &v), DT[d]);
    cr_expect(isnan(v), "%s NaN in y: %g", DT[d], v);
    free(a);
    free(b);
  }
}

/* ---- energy / rms -------------------------------------------------------- */

Test(stats, energy_rms) {
  const double x[] = {1, 2, 3, 4}, y[] = {-3, 4}, xn[] = {1, NAN};
  for (int d = 0; d < 2; ++d) {
    double e = 0, r = 0;
    ST_OK(w_energy(d, x, 4, &e), DT[d]);
    ST_OK(w_rms(d, x, 4, &r), DT[d]);
    cr_expect(e == 7.5 && r == sqrt(7.5), "%s [1..4]: energy %.17g rms %.17g", DT[d], e, r);
    ST_OK(w_energy(d, y, 2, &e), DT[d]);
    ST_OK(w_rms(d, y, 2, &r), DT[d]);
    cr_expect(e == 12.5 && r == sqrt(12.5), "%s [-3,4]: energy %.17g rms %.17g", DT[d], e, r);
    ST_OK(w_energy(d, NULL, 0, &e), DT[d]);
    ST_OK(w_rms(d, x, 0, &r), DT[d]);
    cr_expect(isnan(e) && isnan(r), "%s n=0: energy %g rms %g", DT[d], e, r);
    ST_OK(w_energy(d, xn, 2, &e), DT[d]);
    ST_OK(w_rms(d, xn, 2, &r), DT[d]);
    cr_expect(isnan(e) && isnan(r), "%s NaN: energy %g rms %g", DT[d], e, r);
    for (size_t s = 0; s < NSIZES; ++s) {
      size_t n = SIZES[s];
      double *a = gen_uniform(d, 700 + n, n, -3.0, 2.0);
      long double ref = 0;
      for (size_t i = 0; i < n; ++i) ref += (long double)a[i] * a[i];
      ref /= n;
      ST_OK(w_energy(d, a, n, &e), DT[d]);
      ST_OK(w_rms(d, a, n, &r), DT[d]);
      cr_expect(fabsl(e - ref) <= 1e-13L * ref, "%s n=%zu energy %.17g vs %.17Lg", DT[d], n, e, ref);
      EXPECT_ULPS(r, sqrt(e), 1, DT[d], "rms vs sqrt(energy)");
      free(a);
    }
  }
}

/* ---- zero crossing rate -------------------------------------------------- */

static int zneg(double v) { return isnan(v) || v < 0; } /* 0 positive, NaN negative */

Test(stats, zero_crossing_rate) {
  struct { double x[4]; size_t n; double want; } k[] = {
      {{1, -1, 1, -1}, 4, 1.0}, {{1, 1, 1}, 3, 0.0},     {{0, -1}, 2, 1.0},
      {{0, 1}, 2, 0.0},         {{-1, 0}, 2, 1.0},       {{0, 0, 0}, 3, 0.0},
      {{1, NAN}, 2, 1.0},       {{-1, NAN}, 2, 0.0},     {{NAN, NAN}, 2, 0.0},
      {{NAN, 2, -2}, 3, 1.0},   {{-2, 3, 0, 1}, 4, 1.0 / 3.0},
  };
  for (int d = 0; d < 2; ++d) {
    double v = 0;
    for (size_t c = 0; c < sizeof k / sizeof k[0]; ++c) {
      ST_OK(w_zero_crossing_rate(d, k[c].x, k[c].n, &v), DT[d]);
      cr_expect(v == k[c].want, "%s case %zu [%g %g %g %g](n=%zu): %.17g, want %.17g", DT[d], c,
                k[c].x[0], k[c].x[1], k[c].x[2], k[c].x[3], k[c].n, v, k[c].want);
    }
    ST_OK(w_zero_crossing_rate(d, NULL, 0, &v), DT[d]);
    cr_expect(isnan(v), "%s n=0: %g", DT[d], v);
    ST_OK(w_zero_crossing_rate(d, k[0].x, 1, &v), DT[d]);
    cr_expect(isnan(v), "%s n=1: %g", DT[d], v);
    /* crossings exactly at block boundaries */
    const size_t nb = 3 * 2048 + 5;
    double *b = malloc(nb * sizeof *b);
    for (size_t i = 0; i < nb; ++i) b[i] = (i >= 2048 && i < 4096) ? -1.0 : 1.0;
    ST_OK(w_zero_crossing_rate(d, b, nb, &v), DT[d]);
    cr_expect(v == 2.0 / (double)(nb - 1), "%s block-boundary crossings: %.17g", DT[d], v);
    free(b);
    /* random data with zeros and NaNs vs a scalar count */
    for (size_t s = 0; s < NSIZES; ++s) {
      size_t n = SIZES[s];
      if (n < 2) continue;
      for (int kind = 0; kind < 2; ++kind) {
        tu_rng r = tu_rng_make(3000 + n + kind);
        double *a = malloc(n * sizeof *a);
        for (size_t i = 0; i < n; ++i) {
          double u = tu_uniform(&r);
          a[i] = kind ? rnd_dt(d, tu_normal(&r, 0.0, 1.0)) /* mostly alternating signs */
                      : (u < 0.05 ? NAN : (double)((int)(u * 5) - 2)); /* -2..2 with zeros */
        }
        size_t cr = 0;
        for (size_t i = 1; i < n; ++i) cr += zneg(a[i - 1]) != zneg(a[i]);
        ST_OK(w_zero_crossing_rate(d, a, n, &v), DT[d]);
        double want = (double)cr / (double)(n - 1);
        cr_expect(v == want, "%s random kind %d n=%zu: %.17g, want %.17g (%zu crossings)", DT[d],
                  kind, n, v, want, cr);
        free(a);
      }
    }
  }
}
