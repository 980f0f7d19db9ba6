/* Unit tests for array.h, transforms: cumsum, normalize and the normal pdf,
 * and their independence of the thread count. NumPy semantics, accuracy and
 * every error path. Shared helpers (BOTH, DT, ...) in array_testutil.h. */
#include <criterion/criterion.h>

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <core/core.h>

#include "array_testutil.h"

/* ---- helpers ----------------------------------------------------------------- */

/* Distance in ulps of the dtype (ordered bit patterns, so denormals and zero
 * crossings count right); 0 for two NaNs, INFINITY for one. */
static double ulps(int f64, double a, double b) {
  if (isnan(a) || isnan(b)) return isnan(a) && isnan(b) ? 0.0 : INFINITY;
  int64_t ia, ib;
  if (f64) {
    memcpy(&ia, &a, 8), memcpy(&ib, &b, 8);
    ia = ia < 0 ? INT64_MIN - ia : ia, ib = ib < 0 ? INT64_MIN - ib : ib;
  } else {
    float fa = (float)a, fb = (float)b;
    int32_t xa, xb;
    memcpy(&xa, &fa, 4), memcpy(&xb, &fb, 4);
    ia = xa < 0 ? (int64_t)INT32_MIN - xa : xa, ib = xb < 0 ? (int64_t)INT32_MIN - xb : xb;
  }
  return fabs((double)ia - (double)ib);
}

/* ---- cumsum --------------------------------------------------------------------------- */

/* cumsum of in[0, n) must be want (NaN matches NaN), out of place and in place. */
static void cumsum_expect(int f64, const double *in, const double *want, size_t n) {
  void *x = gbuf(f64, n), *out = gbuf(f64, n);
  for (size_t i = 0; i < n; ++i) put(f64, DATA(x), i, in[i]);
  OK(DT(cumsum, DATA(x), n, DATA(out)));
  OK(DT(cumsum, DATA(x), n, DATA(x)));
  for (size_t i = 0; i < n; ++i) {
    double got = get(f64, DATA(out), i), w = rnd(f64, want[i]);
    CHECK(isnan(w) ? isnan(got) : got == w, "n=%zu: out[%zu] = %.17g, want %.17g", n, i, got, w);
  }
  cr_assert(memcmp(x, out, (n + 2) * esz(f64)) == 0, "n=%zu: in place differs", n);
  check_guards(f64, out, n);
  free(x), free(out);
}

BOTH(cumsum_small_and_errors) {
  cumsum_expect(f64, (const double[]){1, 2, 3, 4}, (const double[]){1, 3, 6, 10}, 4);
  OK(DT(cumsum, NULL, 0, NULL));
  void *x = gbuf(f64, 3), *out = gbuf(f64, 3);
  ERR(CORE_E_INVALID_ARGUMENT, FN("core_cumsum"), DT(cumsum, NULL, 3, DATA(out)));
  ERR(CORE_E_INVALID_ARGUMENT, FN("core_cumsum"), DT(cumsum, DATA(x), 3, NULL));
  cr_assert(untouched(out, 5 * esz(f64)), "output written on error");
  free(x), free(out);
}

BOTH(cumsum_random_matches_long_double) {
  tu_rng r = tu_rng_make(42);
  for (size_t k = 0; k < COUNT(k_sizes); ++k) {
    size_t n = k_sizes[k];
    void *x = gbuf(f64, n), *out = gbuf(f64, n);
    for (size_t i = 0; i < n; ++i) put(f64, DATA(x), i, tu_normal(&r, 1.0, 0.5));
    OK(DT(cumsum, DATA(x), n, DATA(out)));
    long double s = 0.0L, c = 0.0L; /* Neumaier in long double: ~2^-100 relative */
    for (size_t i = 0; i < n; ++i) {
      long double v = (long double)get(f64, DATA(x), i), t = s + v;
      c += fabsl(s) >= fabsl(v) ? (s - t) + v : (v - t) + s;
      s = t;
      double want = rnd(f64, (double)(s + c)), got = get(f64, DATA(out), i);
      CHECK(ulps(f64, got, want) <= 1.0, "n=%zu: cumsum[%zu] = %.17g, want %.17g", n, i, got, want);
    }
    check_guards(f64, out, n);
    OK(DT(cumsum, DATA(x), n, DATA(x))); /* in place gives the same bits */
    cr_assert(memcmp(DATA(x), DATA(out), n * esz(f64)) == 0, "in-place differs, n=%zu", n);
    free(x), free(out);
  }
}

Test(array, cumsum_f32_error_does_not_grow) {
  const size_t n = 10000000;
  float *x = malloc(n * sizeof *x), *out = malloc(n * sizeof *out);
  cr_assert(x && out);
  for (size_t i = 0; i < n; ++i) x[i] = 0.1f;
  OK(core_cumsum_f32(x, n, out));
  /* Every partial sum k * 0.1f is exact in long double (and in double), so
   * rounding once per element gives exactly (float)s. */
  long double s = 0.0L;
  double worst = 0.0;
  size_t wi = 0;
  for (size_t i = 0; i < n; ++i) {
    s += (long double)x[i];
    double u = ulps(0, out[i], (double)(float)s);
    if (u > worst) worst = u, wi = i;
  }
  cr_assert_leq(worst, 0.0, "cumsum[%zu] = %.9g is %g ulps from %.9g", wi, out[wi], worst,
                (double)(float)((long double)(wi + 1) * 0.1f));
  float naive = 0.0f; /* NumPy's float32 running sum, to show the test bites */
  for (size_t i = 0; i < n; ++i) naive += x[i];
  cr_assert_gt(fabs((double)naive - (double)s) / (double)s, 1e-3, "naive sum %g", (double)naive);
  free(x), free(out);
}

BOTH(cumsum_compensated) {
  const double big = f64 ? 1e100 : 1e30;
  cumsum_expect(f64, (const double[]){1, big, 1, -big}, (const double[]){1, big, big, 2}, 4);
  /* [1e16, 1, -1e16, 1] repeated (long: the blocked path): the ones are below
   * half an ulp of 1e16 in float64, only compensation keeps them. */
  void *x = gbuf(f64, 4000), *out = gbuf(f64, 4000);
  for (size_t i = 0; i < 4000; ++i) put(f64, DATA(x), i, (const double[]){1e16, 1, -1e16, 1}[i % 4]);
  OK(DT(cumsum, DATA(x), 4000, DATA(out)));
  for (size_t i = 2; i < 4000; i += 4) { /* after each -1e16: 2k + 1, then 2k + 2 */
    double got0 = get(f64, DATA(out), i), got1 = get(f64, DATA(out), i + 1);
    CHECK(got0 == (double)(i / 2) && got1 == (double)(i / 2 + 1), "out[%zu, %zu] = %.17g, %.17g, want %zu, %zu", i,
          i + 1, got0, got1, i / 2, i / 2 + 1);
  }
  free(x), free(out);
}

BOTH(cumsum_nan_inf_propagate) {
  cumsum_expect(f64, (const double[]){1, 2, NAN, 3, 4}, (const double[]){1, 3, NAN, NAN, NAN}, 5);
  cumsum_expect(f64, (const double[]){1, INFINITY, 2, 3}, (const double[]){1, INFINITY, INFINITY, INFINITY}, 4);
  cumsum_expect(f64, (const double[]){1, -INFINITY, 2}, (const double[]){1, -INFINITY, -INFINITY}, 3);
  cumsum_expect(f64, (const double[]){INFINITY, -INFINITY, 1}, (const double[]){INFINITY, NAN, NAN}, 3);
  cumsum_expect(f64, (const double[]){NAN, INFINITY}, (const double[]){NAN, NAN}, 2);
  /* Long inputs (blocked path): NaN at 2049; +inf at 1500; -inf at 1500 and +inf at 2100. */
  static double in[3000], want[3][3000];
  for (size_t i = 0; i < 3000; ++i) {
    in[i] = 1.0;
    want[0][i] = i < 2049 ? (double)(i + 1) : NAN;
    want[1][i] = i < 1500 ? (double)(i + 1) : INFINITY;
    want[2][i] = i < 1500 ? (double)(i + 1) : i < 2100 ? -INFINITY : NAN;
  }
  in[2049] = NAN;
  cumsum_expect(f64, in, want[0], 3000);
  in[2049] = 1.0, in[1500] = INFINITY;
  cumsum_expect(f64, in, want[1], 3000);
  in[1500] = -INFINITY, in[2100] = INFINITY;
  cumsum_expect(f64, in, want[2], 3000);
}

Test(array, cumsum_f64_overflow_is_not_nan) {
  static double x[3000], out[3000];
  for (size_t at0 = 0; at0 <= 1500; at0 += 1500) { /* short path, then blocked path */
    memset(x, 0, sizeof x);
    x[at0] = 1e308, x[at0 + 1] = 1e308, x[at0 + 2] = -1e308;
    OK(core_cumsum_f64(x, at0 == 0 ? 3 : 3000, out));
    cr_assert_eq(out[at0], 1e308);
    cr_assert(isinf(out[at0 + 1]) && out[at0 + 1] > 0, "1e308 + 1e308 -> %g, want inf", out[at0 + 1]);
    cr_assert(!isnan(out[at0 + 2]), "NaN at %zu: no NaN in the input or the exact sums", at0 + 2);
  }
}

/* ---- normalize ------------------------------------------------------------------------- */

/* Normalizes in[0, n) (NaN allowed) and expects (x - mean) / sd, NaN for NaN. */
static void normalize_expect(int f64, const double *in, size_t n, unsigned ddof, core_nan_policy pol,
                             double mean, double sd) {
  void *x = gbuf(f64, n);
  for (size_t i = 0; i < n; ++i) put(f64, DATA(x), i, in[i]);
  OK(DT(normalize, DATA(x), n, ddof, pol));
  for (size_t i = 0; i < n; ++i) {
    double want = (in[i] - mean) / sd, got = get(f64, DATA(x), i);
    double tol = (f64 ? 4 * DBL_EPSILON : 2 * FLT_EPSILON) * fmax(1.0, fabs(want));
    cr_expect(isnan(want) ? isnan(got) : fabs(got - want) <= tol, "ddof=%u policy=%d: x[%zu] -> %.17g, want %.17g",
              ddof, (int)pol, i, got, want);
  }
  check_guards(f64, x, n);
  free(x);
}

BOTH(normalize_small) {
  const double x[] = {1, 2, 3, 4, 5}, xn[] = {1, 2, NAN, 3, 4, 5};
  for (int pol = 0; pol <= 1; ++pol) {
    normalize_expect(f64, x, 5, 0, (core_nan_policy)pol, 3, sqrt(2.0));
    normalize_expect(f64, x, 5, 1, (core_nan_policy)pol, 3, sqrt(2.5));
  }
  normalize_expect(f64, xn, 6, 0, CORE_NAN_OMIT, 3, sqrt(2.0)); /* NaN stays NaN */
  normalize_expect(f64, xn, 6, 1, CORE_NAN_OMIT, 3, sqrt(2.5));
  normalize_expect(f64, xn, 6, 0, CORE_NAN_PROPAGATE, 3, NAN); /* all NaN, CORE_OK */
  OK(DT(normalize, NULL, 0, 0, CORE_NAN_PROPAGATE));
  OK(DT(normalize, NULL, 0, 1, CORE_NAN_OMIT));
}

BOTH(normalize_random_matches_long_double) {
  tu_rng r = tu_rng_make(7);
  const size_t n = 100003;
  void *x = gbuf(f64, n), *orig = sbuf(n * esz(f64)), *valid = sbuf(n * esz(f64));
  size_t m = 0; /* valid[0, m): the non-NaN values, for the reference */
  for (size_t i = 0; i < n; ++i) {
    put(f64, orig, i, i % 101 == 7 ? NAN : tu_normal(&r, 1000.0, 3.0));
    if (i % 101 != 7) put(f64, valid, m++, get(f64, orig, i));
  }
  long double mean, m2;
  if (f64) tu_moments_ld(valid, m, &mean, &m2); else tu_moments_f32_ld(valid, m, &mean, &m2);
  for (unsigned ddof = 0; ddof <= 1; ++ddof) {
    memcpy(DATA(x), orig, n * esz(f64));
    OK(DT(normalize, DATA(x), n, ddof, CORE_NAN_OMIT));
    long double sd = sqrtl(m2 / (long double)(m - ddof));
    for (size_t i = 0; i < n; ++i) {
      double want = (double)(((long double)get(f64, orig, i) - mean) / sd), got = get(f64, DATA(x), i);
      double tol = f64 ? 1e-11 : 2 * FLT_EPSILON * fmax(1.0, fabs(want));
      CHECK(isnan(want) ? isnan(got) : fabs(got - want) <= tol, "ddof=%u: z[%zu] = %.17g, want %.17g", ddof, i,
            got, want);
    }
    check_guards(f64, x, n);
  }
  memcpy(DATA(x), orig, n * esz(f64)); /* PROPAGATE: every element NaN */
  OK(DT(normalize, DATA(x), n, 0, CORE_NAN_PROPAGATE));
  for (size_t i = 0; i < n; ++i) CHECK(isnan(get(f64, DATA(x), i)), "PROPAGATE: z[%zu] is not NaN", i);
  check_guards(f64, x, n);
  free(x), free(orig), free(valid);
}

/* The call must fail with INVALID_ARGUMENT and leave the buffer as it was. */
static void normalize_refused(int f64, const double *in, size_t n, unsigned ddof, core_nan_policy pol) {
  void *x = gbuf(f64, n);
  for (size_t i = 0; i < n; ++i) put(f64, DATA(x), i, in[i]);
  void *before = clone_bytes(x, (n + 2) * esz(f64));
  ERR(CORE_E_INVALID_ARGUMENT, FN("core_normalize"), DT(normalize, DATA(x), n, ddof, pol));
  cr_expect(memcmp(before, x, (n + 2) * esz(f64)) == 0, "n=%zu ddof=%u policy=%d: buffer changed", n, ddof,
            (int)pol);
  free(before), free(x);
}

BOTH(normalize_errors) {
  const double c[] = {2, 2, 2, 2}, one[] = {5}, two[] = {1, 2}, x[] = {1, 2, 3, 4, 5};
  const double omit_one[] = {1, NAN, NAN}, omit_const[] = {2, NAN, 2}, all_nan[] = {NAN, NAN};
  for (int pol = 0; pol <= 1; ++pol) {
    normalize_refused(f64, c, 4, 0, (core_nan_policy)pol); /* std 0 */
    normalize_refused(f64, c, 4, 1, (core_nan_policy)pol);
    normalize_refused(f64, one, 1, 1, (core_nan_policy)pol); /* n <= ddof */
    normalize_refused(f64, one, 1, 0, (core_nan_policy)pol); /* one value: std 0 */
    normalize_refused(f64, two, 2, 2, (core_nan_policy)pol);
    normalize_refused(f64, x, 5, 9, (core_nan_policy)pol);
  }
  /* A constant whose sum is inexact (0.1 has no binary form): its std must
   * still be exactly 0 and the call refused, not a division by rounding
   * noise. Seven values, and three blocks' worth. */
  double *tenth = malloc(5000 * sizeof *tenth);
  for (size_t i = 0; i < 5000; ++i) tenth[i] = 0.1;
  for (int pol = 0; pol <= 1; ++pol) {
    normalize_refused(f64, tenth, 7, 0, (core_nan_policy)pol);
    normalize_refused(f64, tenth, 5000, 0, (core_nan_policy)pol);
  }
  free(tenth);
  normalize_refused(f64, omit_one, 3, 1, CORE_NAN_OMIT); /* one non-NaN value, ddof 1 */
  normalize_refused(f64, omit_const, 3, 0, CORE_NAN_OMIT);
  normalize_refused(f64, all_nan, 2, 0, CORE_NAN_OMIT);
  normalize_refused(f64, x, 5, 0, (core_nan_policy)7);
  normalize_refused(f64, x, 5, 0, (core_nan_policy)-1);
  ERR(CORE_E_INVALID_ARGUMENT, FN("core_normalize"), DT(normalize, NULL, 3, 0, CORE_NAN_OMIT));
}

/* ---- normal pdf ------------------------------------------------------------------------ */

static long double pdf_ref(double x, double mean, double sd) {
  long double z = ((long double)x - mean) / sd;
  return expl(-0.5L * z * z) / ((long double)sd * sqrtl(6.283185307179586476925286766559L));
}

BOTH(normal_pdf_accuracy) {
  static const double ms[][2] = {{0, 1}, {1.5, 0.75}, {-100, 20}, {1e3, 1e-2}, {0, 1e-3}};
  const size_t n = 4099;
  void *x = gbuf(f64, n), *out = gbuf(f64, n);
  for (size_t k = 0; k < COUNT(ms); ++k) {
    double mean = ms[k][0], sd = ms[k][1];
    for (size_t i = 0; i < n; ++i) put(f64, DATA(x), i, mean + sd * (-8.0 + 16.0 * (double)i / (double)(n - 1)));
    OK(DT(normal_pdf, DATA(x), n, mean, sd, DATA(out)));
    for (size_t i = 0; i < n; ++i) {
      double xi = get(f64, DATA(x), i), got = get(f64, DATA(out), i), z = (xi - mean) / sd;
      long double ref = pdf_ref(xi, mean, sd);
      if (f64) { /* ~1e-15, plus the z^2 conditioning of exp(-z^2/2) on a rounded z */
        double rel = fabs((double)(((long double)got - ref) / ref)), tol = 3e-15 + 2e-16 * z * z;
        CHECK(rel <= tol, "pdf(%.17g; %g, %g) = %.17g, rel err %g > %g", xi, mean, sd, got, rel, tol);
      } else {
        double u = ulps(0, got, (double)(float)ref);
        CHECK(u <= 2.0, "pdf(%.9g; %g, %g) = %.9g, want %.9g (%g ulps)", xi, mean, sd, got, (double)(float)ref, u);
      }
    }
    check_guards(f64, out, n);
    OK(DT(normal_pdf, DATA(x), n, mean, sd, DATA(x))); /* in place gives the same bits */
    cr_assert(memcmp(DATA(x), DATA(out), n * esz(f64)) == 0, "in-place differs (mean %g, sd %g)", mean, sd);
  }
  free(x), free(out);
}

BOTH(normal_pdf_tails_and_nonfinite_x) {
  const size_t n = 1001;
  void *x = gbuf(f64, n + 5), *out = gbuf(f64, n + 5);
  for (size_t i = 0; i < n; ++i) put(f64, DATA(x), i, (i % 2 ? -1.0 : 1.0) * (8.0 + 52.0 * (double)i / (double)n));
  const double tiny = f64 ? 1e-300 : 2 * FLT_TRUE_MIN, huge = f64 ? 1e200 : 3e38;
  const double special[] = {INFINITY, -INFINITY, huge, -huge, NAN};
  for (size_t i = 0; i < 5; ++i) put(f64, DATA(x), n + i, special[i]);
  OK(DT(normal_pdf, DATA(x), n + 5, 0.0, 1.0, DATA(out)));
  for (size_t i = 0; i < n; ++i) {
    double got = get(f64, DATA(out), i), ref = (double)pdf_ref(get(f64, DATA(x), i), 0.0, 1.0);
    CHECK(got >= 0.0 && fabs(got - ref) <= 1e-6 * ref + tiny, "pdf(%g) = %g, want %g", get(f64, DATA(x), i), got, ref);
  }
  for (size_t i = 0; i < 4; ++i)
    cr_expect_eq(get(f64, DATA(out), n + i), 0.0, "pdf(%g) = %g, want 0", special[i], get(f64, DATA(out), n + i));
  cr_expect(isnan(get(f64, DATA(out), n + 4)), "pdf(NaN) = %g, want NaN", get(f64, DATA(out), n + 4));
  free(x), free(out);
}

BOTH(normal_pdf_errors) {
  void *x = gbuf(f64, 3), *out = gbuf(f64, 3);
  for (size_t i = 0; i < 3; ++i) put(f64, DATA(x), i, (double)i);
  static const double bad[][2] = {{0, 0}, {0, -0.0}, {0, -1}, {0, NAN}, {0, INFINITY}, {0, -INFINITY},
                                  {NAN, 1}, {INFINITY, 1}, {-INFINITY, 1}};
  for (size_t i = 0; i < COUNT(bad); ++i)
    ERR(CORE_E_INVALID_ARGUMENT, FN("core_normal_pdf"), DT(normal_pdf, DATA(x), 3, bad[i][0], bad[i][1], DATA(out)));
  ERR(CORE_E_INVALID_ARGUMENT, NULL, DT(normal_pdf, NULL, 3, 0, 1, DATA(out)));
  ERR(CORE_E_INVALID_ARGUMENT, NULL, DT(normal_pdf, DATA(x), 3, 0, 1, NULL));
  cr_assert(untouched(out, 5 * esz(f64)), "output written on error");
  OK(DT(normal_pdf, NULL, 0, 0, 1, NULL));
  free(x), free(out);
}

/* ---- thread count ---------------------------------------------------------------------- */

BOTH(results_independent_of_thread_count) {
  const size_t n = 3000017;
  const int threads[] = {1, 2, 4, 0};
  tu_rng r = tu_rng_make(99);
  void *x = sbuf(n * esz(f64)), *ref[3], *got = sbuf(n * esz(f64));
  for (size_t i = 0; i < n; ++i) put(f64, x, i, tu_normal(&r, 5.0, 2.0));
  for (size_t t = 0; t < COUNT(threads); ++t) {
    OK(core_set_num_threads(threads[t]));
    for (int op = 0; op < 3; ++op) {
      void *dst = t == 0 ? (ref[op] = sbuf(n * esz(f64))) : got;
      if (op == 0) OK(DT(cumsum, x, n, dst));
      if (op == 1) {
        memcpy(dst, x, n * esz(f64));
        OK(DT(normalize, dst, n, 1, CORE_NAN_OMIT));
      }
      if (op == 2) OK(DT(normal_pdf, x, n, 5.0, 2.0, dst));
      cr_assert(memcmp(dst, ref[op], n * esz(f64)) == 0, "op %d differs with %d threads", op, threads[t]);
    }
  }
  OK(core_set_num_threads(0));
  for (int op = 0; op < 3; ++op) free(ref[op]);
  free(x), free(got);
}

/* The parallel cumsum (two passes over large inputs) in place: pass 2 must
 * not overwrite what pass 1 or another range still reads. */
Test(array, cumsum_in_place_parallel) {
  const size_t n = 2000003;
  float *x = malloc(n * sizeof *x), *want = malloc(n * sizeof *want);
  cr_assert(x != NULL && want != NULL);
  tu_rng r = tu_rng_make(5);
  for (size_t i = 0; i < n; ++i) x[i] = (float)tu_normal(&r, 0.1, 1.0);
  cr_assert_eq(core_set_num_threads(2), CORE_OK);
  cr_assert_eq(core_cumsum_f32(x, n, want), CORE_OK);
  cr_assert_eq(core_cumsum_f32(x, n, x), CORE_OK);
  cr_assert(memcmp(x, want, n * sizeof *x) == 0, "in-place parallel cumsum differs");
  cr_assert_eq(core_set_num_threads(0), CORE_OK);
  free(x);
  free(want);
}
