/* Unit tests for the stats module, part 3: the accuracy headline (1e8
 * samples against a long-double pairwise two-pass reference, where a naive
 * sum of squares fails) and bit-identical results at every thread count.
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

/* ---- accuracy: 1e8 samples ----------------------------------------------- */

#define BIG_N 100000000u

Test(stats, accuracy_1e8_f64_large_offset, .timeout = 300) {
  double *x = malloc((size_t)BIG_N * sizeof *x);
  cr_assert_not_null(x, "cannot allocate 800 MB");
  tu_rng r = tu_rng_make(20240601);
  for (size_t i = 0; i < BIG_N; ++i) x[i] = tu_normal(&r, 1e8, 1.0);
  core_stats_t s;
  ST_OK(core_stats_f64(x, BIG_N, CORE_NAN_PROPAGATE, &s), "1e8 f64");
  long double mean, m2;
  tu_moments_ld(x, BIG_N, &mean, &m2);
  double ref_var = (double)(m2 / (long double)BIG_N), var = -1;
  ST_OK(core_stats_var(&s, 0, &var), "1e8 f64 var");
  /* naive float64 sum of squares, to show the data is hard */
  double sx = 0, sxx = 0;
  for (size_t i = 0; i < BIG_N; ++i) {
    sx += x[i];
    sxx += x[i] * x[i];
  }
  double nm = sx / BIG_N, naive = sxx / BIG_N - nm * nm;
  double naive_rel = fabs(naive - ref_var) / ref_var;
  double u_mean = tu_ulps(s.mean, (double)mean), u_var = tu_ulps(var, ref_var),
         u_m2 = tu_ulps(s.m2, (double)m2), u_var2 = tu_ulps(s.m2 / (double)s.count, ref_var);
  cr_log_info("1e8 x f64 1e8+N(0,1): mean %.17g (%.2f ulps), var %.17g vs %.17g (%.2f ulps; "
              "m2/count %.2f ulps; m2 %.2f ulps); naive var %.17g (rel. error %.3g)",
              s.mean, u_mean, var, ref_var, u_var, u_var2, u_m2, naive, naive_rel);
  cr_expect_eq(s.count, (uint64_t)BIG_N);
  cr_expect(u_mean <= 4, "mean %.17g vs %.17g: %.2f ulps", s.mean, (double)mean, u_mean);
  cr_expect(u_var <= 4, "var %.17g vs %.17g: %.2f ulps", var, ref_var, u_var);
  cr_expect(u_var2 <= 4, "m2/count %.17g vs %.17g: %.2f ulps", s.m2 / (double)s.count, ref_var,
            u_var2);
  cr_expect(u_m2 <= 4, "m2 %.17g vs %.17g: %.2f ulps", s.m2, (double)m2, u_m2);
  cr_expect(naive_rel > 1e-3, "naive variance unexpectedly accurate (%.3g): test too easy",
            naive_rel);
  free(x);
}

Test(stats, accuracy_1e8_f32, .timeout = 300) {
  float *x = malloc((size_t)BIG_N * sizeof *x);
  cr_assert_not_null(x, "cannot allocate 400 MB");
  tu_rng r = tu_rng_make(777);
  for (size_t i = 0; i < BIG_N; ++i) x[i] = (float)tu_normal(&r, 1000.0, 1.0);
  core_stats_t s;
  ST_OK(core_stats_f32(x, BIG_N, CORE_NAN_PROPAGATE, &s), "1e8 f32");
  long double mean, m2;
  tu_moments_f32_ld(x, BIG_N, &mean, &m2);
  double ref_var = (double)(m2 / (long double)BIG_N), var = -1;
  ST_OK(core_stats_var(&s, 0, &var), "1e8 f32 var");
  double u_mean = tu_ulps(s.mean, (double)mean), u_var = tu_ulps(var, ref_var),
         u_m2 = tu_ulps(s.m2, (double)m2);
  cr_log_info("1e8 x f32 N(1000,1): mean %.17g (%.2f ulps), var %.17g vs %.17g (%.2f ulps; m2 "
              "%.2f ulps)",
              s.mean, u_mean, var, ref_var, u_var, u_m2);
  cr_expect_eq(s.count, (uint64_t)BIG_N);
  cr_expect(u_mean <= 4, "mean %.17g vs %.17g: %.2f ulps", s.mean, (double)mean, u_mean);
  cr_expect(u_var <= 4, "var %.17g vs %.17g: %.2f ulps", var, ref_var, u_var);
  cr_expect(u_m2 <= 4, "m2 %.17g vs %.17g: %.2f ulps", s.m2, (double)m2, u_m2);
  free(x);
}

/* ---- determinism across thread counts ------------------------------------ */

Test(stats, thread_count_determinism, .timeout = 300) {
  const size_t n = 10000003;
  double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *xn = malloc(n * sizeof *xn);
  float *xf = malloc(n * sizeof *xf), *yf = malloc(n * sizeof *yf), *xnf = malloc(n * sizeof *xnf);
  cr_assert(x && y && xn && xf && yf && xnf, "out of memory in the test");
  tu_rng r = tu_rng_make(4242);
  for (size_t i = 0; i < n; ++i) {
    x[i] = tu_normal(&r, 100.0, 10.0);
    y[i] = 0.5 * x[i] + tu_normal(&r, 0.0, 5.0);
    xn[i] = (i % 100003 == 7) ? NAN : x[i];
    xf[i] = (float)x[i];
    yf[i] = (float)y[i];
    xnf[i] = (float)xn[i];
  }
  const int threads[] = {1, 2, 3, 0};
  core_stats_t ref_s[4], s[4];
  double ref_v[4], v[4];
  for (int t = 0; t < 4; ++t) {
    cr_assert_eq(core_set_num_threads(threads[t]), CORE_OK, "set_num_threads(%d)", threads[t]);
    cr_log_info("threads %d -> core_get_num_threads() = %d", threads[t], core_get_num_threads());
    ST_OK(core_stats_f64(x, n, CORE_NAN_PROPAGATE, &s[0]), "det stats f64");
    ST_OK(core_stats_f32(xf, n, CORE_NAN_PROPAGATE, &s[1]), "det stats f32");
    ST_OK(core_stats_f64(xn, n, CORE_NAN_OMIT, &s[2]), "det stats f64 omit");
    ST_OK(core_stats_f32(xnf, n, CORE_NAN_OMIT, &s[3]), "det stats f32 omit");
    ST_OK(core_dot_f64(x, y, n, &v[0]), "det dot f64");
    ST_OK(core_dot_f32(xf, yf, n, &v[1]), "det dot f32");
    ST_OK(core_corrcoef_f64(x, y, n, &v[2]), "det corrcoef f64");
    ST_OK(core_corrcoef_f32(xf, yf, n, &v[3]), "det corrcoef f32");
    if (t == 0) {
      memcpy(ref_s, s, sizeof s);
      memcpy(ref_v, v, sizeof v);
      cr_expect(s[2].nan_count == 100 && s[2].count == n - 100, "omit counts %llu %llu",
                (unsigned long long)s[2].count, (unsigned long long)s[2].nan_count);
      continue;
    }
    static const char *const sk[] = {"stats f64", "stats f32", "stats f64 OMIT", "stats f32 OMIT"};
    static const char *const vk[] = {"dot f64", "dot f32", "corrcoef f64", "corrcoef f32"};
    for (int k = 0; k < 4; ++k) {
      cr_expect(memcmp(&s[k], &ref_s[k], sizeof s[k]) == 0,
                "%s with %d threads differs from 1 thread: mean %.17g vs %.17g, m2 %.17g vs "
                "%.17g, sum %.17g vs %.17g",
                sk[k], threads[t], s[k].mean, ref_s[k].mean, s[k].m2, ref_s[k].m2, s[k].sum,
                ref_s[k].sum);
      cr_expect(memcmp(&v[k], &ref_v[k], sizeof v[k]) == 0,
                "%s with %d threads differs from 1 thread: %.17g vs %.17g", vk[k], threads[t],
                v[k], ref_v[k]);
    }
  }
  cr_assert_eq(core_set_num_threads(0), CORE_OK);
  free(x); free(y); free(xn); free(xf); free(yf); free(xnf);
}
