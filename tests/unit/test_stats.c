/* Unit tests for the stats module, part 1: core_stats_f32/f64, NaN and
 * infinity handling, core_stats_merge, core_stats_var/std. The NumPy-named
 * conveniences are in test_stats_conv.c, the 1e8-sample accuracy headline
 * and thread-count determinism in test_stats_accuracy.c. C API only. */
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

static core_status stats_off(int d, const double *x, size_t n, core_nan_policy p,
                             core_stats_t *out, size_t off) {
  void *base;
  const void *v = copy_as_off(d, x, n, off, &base);
  core_status st = d == F32 ? core_stats_f32(v, n, p, out) : core_stats_f64(v, n, p, out);
  free(base);
  return st;
}

static core_status stats_d(int d, const double *x, size_t n, core_nan_policy p,
                           core_stats_t *out) {
  return stats_off(d, x, n, p, out, 0);
}


/* The summary of NaN-free x must match the long-double two-pass reference:
 * count, min, max exact; mean and m2 within 4 ulps; sum within 8. */
static void check_vs_ref(const double *x, size_t n, uint64_t nans, const core_stats_t *s,
                         const char *ctx) {
  long double mean, m2;
  tu_moments_ld(x, n, &mean, &m2);
  double sum = (double)tu_sum_ld(x, n), mn = x[0], mx = x[0];
  for (size_t i = 1; i < n; ++i) {
    if (x[i] < mn) mn = x[i];
    if (x[i] > mx) mx = x[i];
  }
  cr_expect_eq(s->count, (uint64_t)n, "%s: count %llu != %zu", ctx,
               (unsigned long long)s->count, n);
  cr_expect_eq(s->nan_count, nans, "%s: nan_count %llu", ctx,
               (unsigned long long)s->nan_count);
  cr_expect(s->min == mn, "%s: min %.17g != %.17g", ctx, s->min, mn);
  cr_expect(s->max == mx, "%s: max %.17g != %.17g", ctx, s->max, mx);
  EXPECT_ULPS(s->mean, (double)mean, 4, ctx, "mean");
  EXPECT_ULPS(s->m2, (double)m2, 4, ctx, "m2");
  EXPECT_ULPS(s->sum, sum, 8, ctx, "sum");
}

static void expect_all_nan_moments(const core_stats_t *s, const char *ctx) {
  cr_expect(isnan(s->min), "%s: min %g is not NaN", ctx, s->min);
  cr_expect(isnan(s->max), "%s: max %g is not NaN", ctx, s->max);
  cr_expect(isnan(s->mean), "%s: mean %g is not NaN", ctx, s->mean);
  cr_expect(isnan(s->m2), "%s: m2 %g is not NaN", ctx, s->m2);
}

static void sentinel(core_stats_t *s) { memset(s, 0xA5, sizeof *s); }
static int is_sentinel(const core_stats_t *s) {
  core_stats_t t;
  sentinel(&t);
  return memcmp(s, &t, sizeof t) == 0;
}

/* ---- core_stats: known values ------------------------------------------- */

Test(stats, known_one_to_four) {
  const double x[] = {1, 2, 3, 4};
  for (int d = 0; d < 2; ++d)
    for (int p = 0; p < 2; ++p) {
      core_stats_t s;
      ST_OK(stats_d(d, x, 4, (core_nan_policy)p, &s), DT[d]);
      cr_expect_eq(s.count, 4u, "%s", DT[d]);
      cr_expect_eq(s.nan_count, 0u, "%s", DT[d]);
      cr_expect(s.min == 1.0 && s.max == 4.0, "%s: min %g max %g", DT[d], s.min, s.max);
      cr_expect(s.sum == 10.0, "%s: sum %.17g", DT[d], s.sum);
      cr_expect(s.mean == 2.5, "%s: mean %.17g", DT[d], s.mean);
      cr_expect(s.m2 == 5.0, "%s: m2 %.17g", DT[d], s.m2);
    }
}

Test(stats, single_element_and_negatives) {
  const double one[] = {-3.5};
  const double neg[] = {-1, -2, -3, -4, -10};
  const double sym[] = {-2, 2};
  for (int d = 0; d < 2; ++d) {
    core_stats_t s;
    ST_OK(stats_d(d, one, 1, CORE_NAN_PROPAGATE, &s), DT[d]);
    cr_expect(s.count == 1 && s.min == -3.5 && s.max == -3.5 && s.sum == -3.5 &&
                  s.mean == -3.5 && s.m2 == 0.0,
              "%s single: count %llu min %g max %g sum %g mean %g m2 %g", DT[d],
              (unsigned long long)s.count, s.min, s.max, s.sum, s.mean, s.m2);
    ST_OK(stats_d(d, neg, 5, CORE_NAN_PROPAGATE, &s), DT[d]);
    cr_expect(s.count == 5 && s.min == -10 && s.max == -1 && s.sum == -20 && s.mean == -4 &&
                  s.m2 == 50,
              "%s negatives: min %g max %g sum %.17g mean %.17g m2 %.17g", DT[d], s.min,
              s.max, s.sum, s.mean, s.m2);
    ST_OK(stats_d(d, sym, 2, CORE_NAN_PROPAGATE, &s), DT[d]);
    cr_expect(s.sum == 0 && s.mean == 0 && s.m2 == 8, "%s [-2,2]: sum %g mean %g m2 %.17g",
              DT[d], s.sum, s.mean, s.m2);
  }
}

static const size_t SIZES[] = {1,    2,    3,    7,    15,   16,     17,     31,     33,
                               100,  2047, 2048, 2049, 4096, 4097, 100003, 1000003};
#define NSIZES (sizeof SIZES / sizeof SIZES[0])

Test(stats, random_sizes_vs_reference) {
  for (int d = 0; d < 2; ++d)
    for (size_t k = 0; k < NSIZES; ++k) {
      size_t n = SIZES[k];
      double *x = gen_uniform(d, 1000 + n, n, -2.0, 6.0);
      for (size_t off = 0; off < 2; ++off) {
        char ctx[80];
        snprintf(ctx, sizeof ctx, "%s n=%zu offset=%zu", DT[d], n, off);
        core_stats_t s;
        ST_OK(stats_off(d, x, n, CORE_NAN_PROPAGATE, &s, off), ctx);
        check_vs_ref(x, n, 0, &s, ctx);
        ST_OK(stats_off(d, x, n, CORE_NAN_OMIT, &s, off), ctx);
        check_vs_ref(x, n, 0, &s, ctx);
      }
      free(x);
    }
}

/* ---- NaN policies ------------------------------------------------------- */

struct nan_case { size_t n; size_t pos[3]; size_t k; };
static const struct nan_case NAN_CASES[] = {
    {1, {0}, 1},        {5, {0}, 1},          {5, {2}, 1},          {5, {4}, 1},
    {5, {1, 3}, 2},     {17, {16}, 1},        {33, {0, 32}, 2},     {2049, {2048}, 1},
    {4097, {1, 4096}, 2}, {100003, {50000}, 1}, {100003, {2, 99999, 100002}, 3},
    {1000003, {999000}, 1},
};
#define NNAN (sizeof NAN_CASES / sizeof NAN_CASES[0])

Test(stats, nan_propagate) {
  for (int d = 0; d < 2; ++d)
    for (size_t c = 0; c < NNAN; ++c) {
      const struct nan_case *nc = &NAN_CASES[c];
      double *x = gen_uniform(d, 77 + c, nc->n, -1.0, 1.0);
      for (size_t j = 0; j < nc->k; ++j) x[nc->pos[j]] = NAN;
      char ctx[80];
      snprintf(ctx, sizeof ctx, "%s n=%zu first NaN at %zu", DT[d], nc->n, nc->pos[0]);
      core_stats_t s;
      ST_OK(stats_d(d, x, nc->n, CORE_NAN_PROPAGATE, &s), ctx);
      cr_expect_eq(s.count, (uint64_t)nc->n, "%s: count %llu", ctx, (unsigned long long)s.count);
      cr_expect_eq(s.nan_count, (uint64_t)nc->k, "%s: nan_count %llu", ctx,
                   (unsigned long long)s.nan_count);
      cr_expect(isnan(s.sum), "%s: sum %g is not NaN", ctx, s.sum);
      expect_all_nan_moments(&s, ctx);
      free(x);
    }
}

Test(stats, nan_omit_matches_compacted) {
  for (int d = 0; d < 2; ++d)
    for (size_t c = 0; c < NNAN; ++c) {
      const struct nan_case *nc = &NAN_CASES[c];
      if (nc->n == nc->k) continue; /* all NaN: see the next test */
      double *x = gen_uniform(d, 177 + c, nc->n, -1.0, 3.0);
      for (size_t j = 0; j < nc->k; ++j) x[nc->pos[j]] = NAN;
      double *y = malloc(nc->n * sizeof *y);
      size_t m = 0;
      for (size_t i = 0; i < nc->n; ++i)
        if (!isnan(x[i])) y[m++] = x[i];
      cr_assert_eq(m, nc->n - nc->k);
      char ctx[80];
      snprintf(ctx, sizeof ctx, "%s OMIT n=%zu first NaN at %zu", DT[d], nc->n, nc->pos[0]);
      core_stats_t s;
      ST_OK(stats_d(d, x, nc->n, CORE_NAN_OMIT, &s), ctx);
      check_vs_ref(y, m, nc->k, &s, ctx);
      free(x);
      free(y);
    }
}

Test(stats, all_nan) {
  static const size_t ns[] = {1, 3, 17, 4097};
  for (int d = 0; d < 2; ++d)
    for (size_t k = 0; k < 4; ++k) {
      size_t n = ns[k];
      double *x = malloc(n * sizeof *x);
      for (size_t i = 0; i < n; ++i) x[i] = NAN;
      char ctx[64];
      snprintf(ctx, sizeof ctx, "%s all-NaN n=%zu", DT[d], n);
      core_stats_t s;
      ST_OK(stats_d(d, x, n, CORE_NAN_OMIT, &s), ctx);
      cr_expect_eq(s.count, 0u, "%s OMIT: count %llu", ctx, (unsigned long long)s.count);
      cr_expect_eq(s.nan_count, (uint64_t)n, "%s OMIT: nan_count", ctx);
      cr_expect(s.sum == 0.0, "%s OMIT: sum %g", ctx, s.sum);
      expect_all_nan_moments(&s, ctx);
      ST_OK(stats_d(d, x, n, CORE_NAN_PROPAGATE, &s), ctx);
      cr_expect_eq(s.count, (uint64_t)n, "%s PROPAGATE: count", ctx);
      cr_expect_eq(s.nan_count, (uint64_t)n, "%s PROPAGATE: nan_count", ctx);
      cr_expect(isnan(s.sum), "%s PROPAGATE: sum %g", ctx, s.sum);
      expect_all_nan_moments(&s, ctx);
      free(x);
    }
}

Test(stats, infinities_follow_numpy) {
  for (int d = 0; d < 2; ++d)
    for (int p = 0; p < 2; ++p) {
      char ctx[48];
      snprintf(ctx, sizeof ctx, "%s policy %d", DT[d], p);
      core_stats_t s;
      const double a[] = {1, INFINITY}; /* np: mean inf, var nan */
      ST_OK(stats_d(d, a, 2, (core_nan_policy)p, &s), ctx);
      cr_expect(s.count == 2 && s.nan_count == 0, "%s [1,inf]: counts", ctx);
      cr_expect(s.min == 1.0 && s.max == INFINITY, "%s [1,inf]: min %g max %g", ctx, s.min, s.max);
      cr_expect(s.sum == INFINITY && s.mean == INFINITY, "%s [1,inf]: sum %g mean %g", ctx, s.sum,
                s.mean);
      cr_expect(isnan(s.m2), "%s [1,inf]: m2 %g is not NaN", ctx, s.m2);
      const double b[] = {INFINITY, -INFINITY}; /* np: mean nan */
      ST_OK(stats_d(d, b, 2, (core_nan_policy)p, &s), ctx);
      cr_expect(s.min == -INFINITY && s.max == INFINITY, "%s [inf,-inf]: min %g max %g", ctx,
                s.min, s.max);
      cr_expect(isnan(s.sum) && isnan(s.mean) && isnan(s.m2),
                "%s [inf,-inf]: sum %g mean %g m2 %g", ctx, s.sum, s.mean, s.m2);
      cr_expect_eq(s.nan_count, 0u, "%s [inf,-inf]: nan_count", ctx);
      const double c[] = {INFINITY}; /* np.var([inf]) is nan: inf - inf */
      ST_OK(stats_d(d, c, 1, (core_nan_policy)p, &s), ctx);
      cr_expect(s.mean == INFINITY && isnan(s.m2), "%s [inf]: mean %g m2 %g", ctx, s.mean, s.m2);
      const double e[] = {-INFINITY, 2, 3};
      ST_OK(stats_d(d, e, 3, (core_nan_policy)p, &s), ctx);
      cr_expect(s.min == -INFINITY && s.max == 3 && s.mean == -INFINITY && isnan(s.m2),
                "%s [-inf,2,3]: min %g max %g mean %g m2 %g", ctx, s.min, s.max, s.mean, s.m2);
      /* an infinity in a later block of a large array */
      double *x = gen_uniform(d, 5, 5000, -1.0, 1.0);
      x[4500] = INFINITY;
      ST_OK(stats_d(d, x, 5000, (core_nan_policy)p, &s), ctx);
      cr_expect(s.count == 5000 && s.nan_count == 0 && s.max == INFINITY && s.sum == INFINITY &&
                    s.mean == INFINITY && isnan(s.m2),
                "%s n=5000 inf at 4500: count %llu max %g sum %g mean %g m2 %g", ctx,
                (unsigned long long)s.count, s.max, s.sum, s.mean, s.m2);
      free(x);
    }
}

/* ---- empty input and argument errors ------------------------------------- */

Test(stats, empty_input) {
  const double x[] = {1.0};
  for (int d = 0; d < 2; ++d)
    for (int p = 0; p < 2; ++p)
      for (int null = 0; null < 2; ++null) {
        char ctx[64];
        snprintf(ctx, sizeof ctx, "%s n=0 policy %d x %s", DT[d], p, null ? "NULL" : "valid");
        core_stats_t s;
        sentinel(&s);
        ST_OK(stats_d(d, null ? NULL : x, 0, (core_nan_policy)p, &s), ctx);
        cr_expect(s.count == 0 && s.nan_count == 0, "%s: counts", ctx);
        cr_expect(s.sum == 0.0, "%s: sum %g", ctx, s.sum);
        expect_all_nan_moments(&s, ctx);
      }
}

Test(stats, invalid_arguments) {
  const float xf[] = {1, 2, 3, 4};
  const double xd[] = {1, 2, 3, 4};
  core_stats_t s;
  sentinel(&s);
  cr_expect_eq(core_stats_f32(NULL, 10, CORE_NAN_PROPAGATE, &s), CORE_E_INVALID_ARGUMENT);
  cr_expect(tu_message_has(NULL), "no error message after x NULL");
  cr_expect(tu_message_has("core_stats_f32"), "message does not name the function: \"%s\"",
            core_last_error_message());
  cr_expect(is_sentinel(&s), "out written on error");
  cr_expect_eq(core_stats_f64(NULL, 10, CORE_NAN_OMIT, &s), CORE_E_INVALID_ARGUMENT);
  cr_expect(tu_message_has(NULL), "no error message after x NULL (f64)");
  cr_log_info("core_stats_f64 x NULL message: \"%s\"", core_last_error_message());
  cr_expect(is_sentinel(&s), "out written on error (f64)");
  for (size_t n = 0; n <= 4; n += 4) {
    cr_expect_eq(core_stats_f32(xf, n, CORE_NAN_PROPAGATE, NULL), CORE_E_INVALID_ARGUMENT,
                 "f32 out NULL n=%zu", n);
    cr_expect_eq(core_stats_f64(xd, n, CORE_NAN_OMIT, NULL), CORE_E_INVALID_ARGUMENT,
                 "f64 out NULL n=%zu", n);
    cr_expect(tu_message_has(NULL), "no error message after out NULL");
    const int bad[] = {2, -1, 1000};
    for (int b = 0; b < 3; ++b) {
      core_status s32 = core_stats_f32(xf, n, (core_nan_policy)bad[b], &s);
      core_status s64 = core_stats_f64(xd, n, (core_nan_policy)bad[b], &s);
      cr_expect_eq(s32, CORE_E_INVALID_ARGUMENT, "f32 nan policy %d n=%zu: %s", bad[b], n,
                   core_status_str(s32));
      cr_expect_eq(s64, CORE_E_INVALID_ARGUMENT, "f64 nan policy %d n=%zu: %s", bad[b], n,
                   core_status_str(s64));
      cr_expect(is_sentinel(&s), "out written on bad policy %d", bad[b]);
    }
  }
}

/* ---- core_stats_merge ---------------------------------------------------- */

Test(stats, merge_known) {
  const double a[] = {1, 2}, b[] = {3, 4};
  for (int d = 0; d < 2; ++d) {
    core_stats_t sa, sb, m;
    ST_OK(stats_d(d, a, 2, CORE_NAN_PROPAGATE, &sa), DT[d]);
    ST_OK(stats_d(d, b, 2, CORE_NAN_PROPAGATE, &sb), DT[d]);
    ST_OK(core_stats_merge(&sa, &sb, &m), DT[d]);
    cr_expect(m.count == 4 && m.nan_count == 0 && m.min == 1 && m.max == 4 && m.sum == 10 &&
                  m.mean == 2.5 && m.m2 == 5.0,
              "%s: merged count %llu min %g max %g sum %.17g mean %.17g m2 %.17g", DT[d],
              (unsigned long long)m.count, m.min, m.max, m.sum, m.mean, m.m2);
  }
}

Test(stats, merge_split_points) {
  static const size_t ns[] = {10, 4097, 100003};
  for (int d = 0; d < 2; ++d)
    for (size_t t = 0; t < 3; ++t)
      for (int p = 0; p < 2; ++p) {
        size_t n = ns[t];
        double *x = gen_uniform(d, 900 + n, n, 1.0, 9.0);
        /* under OMIT, a few NaNs on both sides of most split points */
        size_t nans = 0;
        if (p == CORE_NAN_OMIT) {
          x[2] = x[n - 2] = x[n / 2] = NAN;
          nans = 3;
        }
        double *y = malloc(n * sizeof *y);
        size_t m = 0;
        for (size_t i = 0; i < n; ++i)
          if (!isnan(x[i])) y[m++] = x[i];
        const size_t cuts[] = {0, 1, n / 3, n - 1, n};
        for (size_t c = 0; c < 5; ++c) {
          size_t k = cuts[c];
          char ctx[80];
          snprintf(ctx, sizeof ctx, "%s policy %d n=%zu split at %zu", DT[d], p, n, k);
          core_stats_t a, b, out;
          ST_OK(stats_d(d, x, k, (core_nan_policy)p, &a), ctx);
          ST_OK(stats_d(d, x + k, n - k, (core_nan_policy)p, &b), ctx);
          ST_OK(core_stats_merge(&a, &b, &out), ctx);
          check_vs_ref(y, m, nans, &out, ctx);
          if (k == 0) cr_expect(memcmp(&out, &b, sizeof out) == 0, "%s: empty a not identity", ctx);
          if (k == n) cr_expect(memcmp(&out, &a, sizeof out) == 0, "%s: empty b not identity", ctx);
        }
        free(x);
        free(y);
      }
}

Test(stats, merge_identity_and_alias) {
  for (int d = 0; d < 2; ++d) {
    double *x = gen_uniform(d, 31, 1000, -5.0, 5.0);
    core_stats_t a, b, e, en, out;
    ST_OK(stats_d(d, x, 600, CORE_NAN_PROPAGATE, &a), DT[d]);
    ST_OK(stats_d(d, x + 600, 400, CORE_NAN_PROPAGATE, &b), DT[d]);
    ST_OK(stats_d(d, x, 0, CORE_NAN_PROPAGATE, &e), DT[d]);
    ST_OK(core_stats_merge(&a, &e, &out), DT[d]);
    cr_expect(memcmp(&out, &a, sizeof out) == 0, "%s: merge(a, empty) != a", DT[d]);
    ST_OK(core_stats_merge(&e, &a, &out), DT[d]);
    cr_expect(memcmp(&out, &a, sizeof out) == 0, "%s: merge(empty, a) != a", DT[d]);
    ST_OK(core_stats_merge(&e, &e, &out), DT[d]);
    cr_expect(out.count == 0 && out.nan_count == 0 && out.sum == 0, "%s: empty+empty", DT[d]);
    expect_all_nan_moments(&out, "empty+empty");
    /* an all-NaN OMIT summary is empty too; only its nan_count adds */
    const double nans[] = {NAN, NAN, NAN};
    ST_OK(stats_d(d, nans, 3, CORE_NAN_OMIT, &en), DT[d]);
    ST_OK(core_stats_merge(&a, &en, &out), DT[d]);
    cr_expect(out.count == a.count && out.nan_count == 3 && out.min == a.min &&
                  out.max == a.max && out.sum == a.sum && out.mean == a.mean && out.m2 == a.m2,
              "%s: merge(a, all-NaN OMIT) changed the moments or lost nan_count %llu", DT[d],
              (unsigned long long)out.nan_count);
    /* aliasing: out == a, out == b, all three the same */
    core_stats_t ref, t;
    ST_OK(core_stats_merge(&a, &b, &ref), DT[d]);
    t = a;
    ST_OK(core_stats_merge(&t, &b, &t), DT[d]);
    cr_expect(memcmp(&t, &ref, sizeof t) == 0, "%s: out aliasing a differs", DT[d]);
    t = b;
    ST_OK(core_stats_merge(&a, &t, &t), DT[d]);
    cr_expect(memcmp(&t, &ref, sizeof t) == 0, "%s: out aliasing b differs", DT[d]);
    ST_OK(core_stats_merge(&a, &a, &ref), DT[d]);
    t = a;
    ST_OK(core_stats_merge(&t, &t, &t), DT[d]);
    cr_expect(memcmp(&t, &ref, sizeof t) == 0, "%s: out aliasing a and b differs", DT[d]);
    cr_expect(t.count == 2 * a.count && t.min == a.min && t.max == a.max, "%s: a+a", DT[d]);
    EXPECT_ULPS(t.mean, a.mean, 2, DT[d], "mean of a+a");
    EXPECT_ULPS(t.m2, 2 * a.m2, 2, DT[d], "m2 of a+a");
    free(x);
  }
}

Test(stats, merge_nan_and_errors) {
  for (int d = 0; d < 2; ++d) {
    double *x = gen_uniform(d, 8, 30, 0.0, 1.0);
    core_stats_t a, b, out;
    ST_OK(stats_d(d, x, 20, CORE_NAN_PROPAGATE, &b), DT[d]);
    x[25] = NAN;
    ST_OK(stats_d(d, x + 20, 10, CORE_NAN_PROPAGATE, &a), DT[d]);
    for (int order = 0; order < 2; ++order) {
      ST_OK(order ? core_stats_merge(&b, &a, &out) : core_stats_merge(&a, &b, &out), DT[d]);
      cr_expect(out.count == 30 && out.nan_count == 1, "%s: NaN merge counts %llu %llu", DT[d],
                (unsigned long long)out.count, (unsigned long long)out.nan_count);
      cr_expect(isnan(out.sum), "%s: NaN merge sum %g", DT[d], out.sum);
      expect_all_nan_moments(&out, order ? "merge(b, nan)" : "merge(nan, b)");
    }
    free(x);
  }
  core_stats_t a = {3, 0, 1, 3, 6, 2, 2}, out;
  sentinel(&out);
  cr_expect_eq(core_stats_merge(NULL, &a, &out), CORE_E_INVALID_ARGUMENT);
  cr_expect(tu_message_has(NULL), "no message after merge(NULL, ...)");
  cr_expect_eq(core_stats_merge(&a, NULL, &out), CORE_E_INVALID_ARGUMENT);
  cr_expect_eq(core_stats_merge(&a, &a, NULL), CORE_E_INVALID_ARGUMENT);
  cr_expect(is_sentinel(&out), "out written on error");
  core_stats_t big = {UINT64_MAX - 1, 0, 1, 1, 0x1p64, 1, 0};
  cr_expect_eq(core_stats_merge(&big, &a, &out), CORE_E_INVALID_ARGUMENT, "count overflow");
  cr_expect_eq(core_stats_merge(&a, &big, &out), CORE_E_INVALID_ARGUMENT, "count overflow");
  cr_expect(is_sentinel(&out), "out written on overflow");
  core_stats_t edge = {UINT64_MAX - 3, 0, 1, 1, 0x1p64, 1, 0};
  cr_expect_eq(core_stats_merge(&edge, &a, &out), CORE_OK, "count exactly UINT64_MAX");
  cr_expect_eq(out.count, UINT64_MAX, "count exactly UINT64_MAX");
}

/* ---- core_stats_var / core_stats_std ------------------------------------ */

Test(stats, var_std_of_summary) {
  const double x[] = {1, 2, 3, 4};
  for (int d = 0; d < 2; ++d) {
    core_stats_t s, one, e;
    double v = -1;
    ST_OK(stats_d(d, x, 4, CORE_NAN_PROPAGATE, &s), DT[d]);
    ST_OK(core_stats_var(&s, 0, &v), DT[d]);
    cr_expect(v == 1.25, "%s var ddof0 %.17g", DT[d], v);
    ST_OK(core_stats_std(&s, 0, &v), DT[d]);
    cr_expect(v == sqrt(1.25), "%s std ddof0 %.17g", DT[d], v);
    ST_OK(core_stats_var(&s, 1, &v), DT[d]);
    EXPECT_ULPS(v, 5.0 / 3.0, 1, DT[d], "var ddof1");
    ST_OK(core_stats_std(&s, 1, &v), DT[d]);
    EXPECT_ULPS(v, sqrt(5.0 / 3.0), 1, DT[d], "std ddof1");
    const unsigned big[] = {4, 5, UINT_MAX};
    for (int k = 0; k < 3; ++k) {
      ST_OK(core_stats_var(&s, big[k], &v), DT[d]);
      cr_expect(isnan(v), "%s var ddof %u of 4 values: %g", DT[d], big[k], v);
      ST_OK(core_stats_std(&s, big[k], &v), DT[d]);
      cr_expect(isnan(v), "%s std ddof %u of 4 values: %g", DT[d], big[k], v);
    }
    ST_OK(stats_d(d, x, 1, CORE_NAN_PROPAGATE, &one), DT[d]);
    ST_OK(core_stats_var(&one, 0, &v), DT[d]);
    cr_expect(v == 0.0, "%s var of one value %g", DT[d], v);
    ST_OK(core_stats_std(&one, 1, &v), DT[d]);
    cr_expect(isnan(v), "%s std ddof1 of one value %g", DT[d], v);
    ST_OK(stats_d(d, NULL, 0, CORE_NAN_PROPAGATE, &e), DT[d]);
    ST_OK(core_stats_var(&e, 0, &v), DT[d]);
    cr_expect(isnan(v), "%s var of empty %g", DT[d], v);
    ST_OK(core_stats_std(&e, 0, &v), DT[d]);
    cr_expect(isnan(v), "%s std of empty %g", DT[d], v);
  }
  core_stats_t s = {4, 0, 1, 4, 10, 2.5, 5};
  double v = 42.0;
  cr_expect_eq(core_stats_var(NULL, 0, &v), CORE_E_INVALID_ARGUMENT);
  cr_expect(tu_message_has(NULL), "no message after core_stats_var(NULL)");
  cr_expect_eq(core_stats_std(NULL, 1, &v), CORE_E_INVALID_ARGUMENT);
  cr_expect_eq(core_stats_var(&s, 0, NULL), CORE_E_INVALID_ARGUMENT);
  cr_expect_eq(core_stats_std(&s, 0, NULL), CORE_E_INVALID_ARGUMENT);
  cr_expect(v == 42.0, "out written on error");
  core_stats_t nan_s = {4, 1, NAN, NAN, NAN, NAN, NAN};
  cr_expect_eq(core_stats_var(&nan_s, 0, &v), CORE_OK);
  cr_expect(isnan(v), "var of a NaN summary %g", v);
}
