/* Unit tests for array.h, array creation: arange, linspace, fill/zeros/ones
 * and concatenate. NumPy semantics, accuracy and every error path. The
 * transforms are in test_array_transform.c, the PCM conversions in
 * test_array_pcm.c; the shared helpers (BOTH, DT, ...) in array_testutil.h. */
#include <criterion/criterion.h>

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <core/core.h>

#include "array_testutil.h"

/* ---- helpers ----------------------------------------------------------------- */

/* start + i*step rounded once: volatile keeps the product from being fused. */
static double lin(double start, size_t i, double step) {
  volatile double t = (double)i * step;
  return start + t;
}

/* The calls whose names do not follow core_<name>_<dtype>. */
static core_status concat_v(int f64, const void *const *parts, const size_t *lens, size_t count,
                            void *o, size_t cap, size_t *n) {
  return f64 ? core_concat_f64((const double *const *)parts, lens, count, o, cap, n)
             : core_concat_f32((const float *const *)parts, lens, count, o, cap, n);
}

/* ---- arange ------------------------------------------------------------------- */

Test(array, arange_len_numpy_rule) {
  static const struct { double a, b, s; size_t n; } c[] = {
      {0, 1, 0.1, 10}, {0, 10, 1, 10}, {10, 0, -1, 10}, {0, 10, -1, 0}, {1, 1, 1, 0},
      {0, 1, 3, 1}, {1, 1.3, 0.1, 4} /* 0.30000000000000004 / 0.1 > 3 */, {-2.5, 2.5, 1, 5},
      {0, -1, -0.3, 4}, {5, 1, 1, 0}, {0, 1e-300, 1e300, 1} /* quotient underflows: 1 */,
      {0, -1e-300, 1e300, 0}, {0, 1e-300, -1e300, 0}, {0, 1e9, 1, 1000000000}};
  for (size_t i = 0; i < COUNT(c); ++i) {
    size_t n = 12345;
    core_status st = core_arange_len(c[i].a, c[i].b, c[i].s, &n);
    cr_expect_eq(st, CORE_OK, "arange_len(%g, %g, %g) -> %s", c[i].a, c[i].b, c[i].s, core_status_str(st));
    cr_expect_eq(n, c[i].n, "arange_len(%g, %g, %g) = %zu, want %zu", c[i].a, c[i].b, c[i].s, n, c[i].n);
  }
}

/* Arguments every arange call must refuse, length helper or writer. */
static const double k_bad_arange[][3] = {
    {0, 1, 0}, {0, 1, -0.0}, {NAN, 1, 1}, {0, NAN, 1}, {0, 1, NAN}, {INFINITY, 1, 1},
    {0, INFINITY, 1}, {0, 1, INFINITY}, {-INFINITY, 0, 1}, {0, 1, -INFINITY},
    {0, 1e300, 1e-300} /* inf */, {0, 1e30, 1}, {0, -1e30, -1}, {0, 0x1p64, 1},
    {0, 0x1p63, 1} /* fits size_t, not addressable */, {-1e308, 1e308, 1}};

Test(array, arange_len_errors) {
  for (size_t i = 0; i < COUNT(k_bad_arange); ++i) {
    const double *c = k_bad_arange[i];
    size_t n = 12345;
    ERR(CORE_E_INVALID_ARGUMENT, "core_arange_len", core_arange_len(c[0], c[1], c[2], &n));
    cr_expect_eq(n, 12345, "(%g, %g, %g): n written on error", c[0], c[1], c[2]);
  }
  ERR(CORE_E_INVALID_ARGUMENT, "core_arange_len", core_arange_len(0, 1, 0.1, NULL));
}

BOTH(arange_values) {
  static const struct { double a, b, s; size_t len; } c[] = {
      {0, 1, 0.1, 10}, {-3.5, 7.25, 0.37, 30}, {10, 0, -1, 10}, {1, 1.3, 0.1, 4},
      {-500, 500.0025, 1e-3, 1000003}};
  for (size_t k = 0; k < COUNT(c); ++k) {
    size_t len = 0, n = 0;
    OK(core_arange_len(c[k].a, c[k].b, c[k].s, &len));
    cr_assert_eq(len, c[k].len, "case %zu: length %zu", k, len);
    void *buf = gbuf(f64, len + 1); /* cap one more than needed */
    OK(DT(arange, c[k].a, c[k].b, c[k].s, DATA(buf), len + 1, &n));
    cr_assert_eq(n, len);
    for (size_t i = 0; i < len; ++i) {
      double want = rnd(f64, lin(c[k].a, i, c[k].s)), got = get(f64, DATA(buf), i);
      CHECK(got == want, "arange(%g, %g, %g)[%zu] = %.17g, want %.17g", c[k].a, c[k].b, c[k].s, i, got, want);
    }
    cr_assert(untouched(at(f64, DATA(buf), len), esz(f64)), "wrote past the length");
    check_guards(f64, buf, len + 1);
    free(buf);
  }
}

BOTH(arange_errors) {
  void *buf = gbuf(f64, 16);
  size_t n = 777;
  ERR(CORE_E_BUFFER_TOO_SMALL, FN("core_arange"), DT(arange, 0, 1, 0.1, DATA(buf), 9, &n));
  cr_expect_eq(n, 10, "needed length %zu, want 10", n);
  n = 777;
  ERR(CORE_E_BUFFER_TOO_SMALL, NULL, DT(arange, 0, 1, 0.1, DATA(buf), 0, &n));
  cr_expect_eq(n, 10);
  for (size_t i = 0; i < COUNT(k_bad_arange); ++i) {
    const double *c = k_bad_arange[i];
    n = 777;
    ERR(CORE_E_INVALID_ARGUMENT, FN("core_arange"), DT(arange, c[0], c[1], c[2], DATA(buf), 16, &n));
    cr_expect_eq(n, 777, "(%g, %g, %g): n written on error", c[0], c[1], c[2]);
  }
  ERR(CORE_E_INVALID_ARGUMENT, NULL, DT(arange, 0, 1, 0.1, NULL, 100, &n)); /* out NULL */
  cr_expect_eq(n, 777);
  ERR(CORE_E_INVALID_ARGUMENT, NULL, DT(arange, 0, 1, 0.1, DATA(buf), 16, NULL));
  cr_assert(untouched(buf, 18 * esz(f64)), "buffer written by a failed call");
  OK(DT(arange, 1, 1, 1, NULL, 0, &n)); /* empty ranges: out may be NULL */
  cr_assert_eq(n, 0);
  n = 777;
  OK(DT(arange, 0, 10, -1, NULL, 0, &n));
  cr_assert_eq(n, 0);
  free(buf);
}

/* ---- linspace ------------------------------------------------------------------- */

static void linspace_case(int f64, int endpoint) {
  static const struct { double a, b; size_t num; } c[] = {
      {0, 1, 5}, {0, 1, 7}, {0, 1, 2}, {-3.3, 7.7, 50}, {5, -5, 11}, {1e-3, 1e3, 1001},
      {2, 2, 4}, {0.1, 0.7, 1000003}};
  for (size_t k = 0; k < COUNT(c); ++k) {
    double a = c[k].a, b = c[k].b, step = (b - a) / (double)(endpoint ? c[k].num - 1 : c[k].num);
    size_t num = c[k].num;
    void *buf = gbuf(f64, num);
    OK(DT(linspace, a, b, num, endpoint, DATA(buf)));
    for (size_t i = 0; i < num; ++i) {
      double got = get(f64, DATA(buf), i);
      double want = endpoint && i == num - 1 ? rnd(f64, b) : rnd(f64, lin(a, i, step));
      CHECK(got == want, "linspace(%g, %g, %zu, endpoint=%d)[%zu] = %.17g, want %.17g", a, b, num,
            endpoint, i, got, want);
      CHECK(endpoint || a == b || got != rnd(f64, b), "endpoint=0 includes stop at %zu", i);
    }
    cr_assert_eq(get(f64, DATA(buf), 0), rnd(f64, a));
    check_guards(f64, buf, num);
    free(buf);
  }
}
BOTH(linspace_endpoint) { linspace_case(f64, 1); }
BOTH(linspace_no_endpoint) { linspace_case(f64, 0); }

BOTH(linspace_descending_and_edges) {
  void *buf = gbuf(f64, 11);
  for (int ep = 0; ep <= 1; ++ep) { /* 5, 4, ..., -5 (or -4 without the endpoint) */
    OK(DT(linspace, 5, -5, ep ? 11 : 10, ep, DATA(buf)));
    for (size_t i = 0; i < (ep ? 11u : 10u); ++i) cr_assert_eq(get(f64, DATA(buf), i), 5.0 - (double)i);
  }
  for (int ep = 0; ep <= 1; ++ep) { /* num == 1 writes start */
    OK(DT(linspace, 0.1, 7, 1, ep, DATA(buf)));
    cr_assert_eq(get(f64, DATA(buf), 0), rnd(f64, 0.1), "endpoint=%d", ep);
  }
  check_guards(f64, buf, 11);
  memset(buf, SENT, 13 * esz(f64));
  OK(DT(linspace, 0, 1, 0, 1, NULL)); /* num == 0: nothing written, out may be NULL */
  OK(DT(linspace, 0, 1, 0, 0, DATA(buf)));
  ERR(CORE_E_INVALID_ARGUMENT, FN("core_linspace"), DT(linspace, 0, 1, 3, 1, NULL));
  static const double bad[][2] = {{NAN, 1}, {0, NAN}, {INFINITY, 1}, {0, -INFINITY}, {-INFINITY, INFINITY}};
  for (size_t i = 0; i < COUNT(bad); ++i)
    for (int ep = 0; ep <= 1; ++ep)
      ERR(CORE_E_INVALID_ARGUMENT, FN("core_linspace"), DT(linspace, bad[i][0], bad[i][1], 4, ep, DATA(buf)));
  cr_assert(untouched(buf, 13 * esz(f64)), "buffer written by num=0 or a failed call");
  free(buf);
}

/* ---- fill, zeros, ones ---------------------------------------------------------- */

static void expect_all(int f64, void *buf, size_t n, double want, int want_sign) {
  for (size_t i = 0; i < n; ++i) {
    double v = get(f64, DATA(buf), i);
    CHECK(isnan(want) ? isnan(v) : v == want && !!signbit(v) == want_sign, "n=%zu: [%zu] = %g, want %g", n,
          i, v, want);
  }
  check_guards(f64, buf, n);
}

BOTH(fill_zeros_ones_sizes) {
  for (size_t k = 0; k < COUNT(k_sizes); ++k) {
    size_t n = k_sizes[k];
    void *buf = gbuf(f64, n);
    OK(DT(fill, DATA(buf), n, 0.1));
    expect_all(f64, buf, n, rnd(f64, 0.1), 0);
    OK(DT(ones, DATA(buf), n));
    expect_all(f64, buf, n, 1.0, 0);
    OK(DT(fill, DATA(buf), n, -0.0));
    expect_all(f64, buf, n, 0.0, 1);
    OK(DT(zeros, DATA(buf), n)); /* +0.0, as np.zeros */
    expect_all(f64, buf, n, 0.0, 0);
    free(buf);
  }
}

BOTH(fill_special_values_and_errors) {
  const double vals[] = {NAN, INFINITY, -INFINITY, -3.25, f64 ? DBL_TRUE_MIN : FLT_TRUE_MIN};
  void *buf = gbuf(f64, 33);
  for (size_t k = 0; k < COUNT(vals); ++k) {
    OK(DT(fill, DATA(buf), 33, vals[k]));
    expect_all(f64, buf, 33, vals[k], vals[k] < 0);
  }
  ERR(CORE_E_INVALID_ARGUMENT, FN("core_fill"), DT(fill, NULL, 3, 1.0));
  ERR(CORE_E_INVALID_ARGUMENT, FN("core_zeros"), DT(zeros, NULL, 1));
  ERR(CORE_E_INVALID_ARGUMENT, FN("core_ones"), DT(ones, NULL, 1000));
  OK(DT(fill, NULL, 0, 1.0));
  OK(DT(zeros, NULL, 0));
  OK(DT(ones, NULL, 0));
  free(buf);
}

/* ---- concatenate ------------------------------------------------------------------ */

Test(array, concat_len_values_and_errors) {
  size_t n = 777;
  const size_t lens[] = {3, 0, 2}, big[] = {SIZE_MAX / 2 + 1, SIZE_MAX / 2 + 1};
  const size_t wrap[] = {SIZE_MAX, 1}, edge[] = {SIZE_MAX - 1, 1};
  OK(core_concat_len(lens, 3, &n));
  cr_assert_eq(n, 5);
  OK(core_concat_len(NULL, 0, &n));
  cr_assert_eq(n, 0);
  OK(core_concat_len(edge, 2, &n));
  cr_assert_eq(n, SIZE_MAX);
  n = 777;
  ERR(CORE_E_INVALID_ARGUMENT, "core_concat_len", core_concat_len(big, 2, &n));
  ERR(CORE_E_INVALID_ARGUMENT, NULL, core_concat_len(wrap, 2, &n));
  ERR(CORE_E_INVALID_ARGUMENT, NULL, core_concat_len(NULL, 2, &n));
  cr_assert_eq(n, 777, "n written on error");
  ERR(CORE_E_INVALID_ARGUMENT, "core_concat_len", core_concat_len(lens, 3, NULL));
}

BOTH(concat_values) {
  const size_t lens[] = {3, 0, 2, 17, 1000, 1}, count = COUNT(lens), total = 1023;
  void *parts[COUNT(lens)];
  double v = 1.5;
  for (size_t p = 0; p < count; ++p) {
    parts[p] = lens[p] ? sbuf(lens[p] * esz(f64)) : NULL; /* the empty part is NULL */
    for (size_t i = 0; i < lens[p]; ++i) put(f64, parts[p], i, v++);
  }
  void *buf = gbuf(f64, total + 4);
  size_t n = 777;
  OK(concat_v(f64, (const void *const *)parts, lens, count, DATA(buf), total + 4, &n));
  cr_assert_eq(n, total);
  for (size_t i = 0; i < total; ++i)
    CHECK(get(f64, DATA(buf), i) == (double)i + 1.5, "concat[%zu] = %g", i, get(f64, DATA(buf), i));
  cr_assert(untouched(at(f64, DATA(buf), total), 4 * esz(f64)), "wrote past the total");
  OK(concat_v(f64, (const void *const *)parts, lens, count, DATA(buf), total, &n)); /* exact cap */
  cr_assert_eq(n, total);
  check_guards(f64, buf, total + 4);
  n = 777;
  OK(concat_v(f64, NULL, NULL, 0, NULL, 0, &n));
  cr_assert_eq(n, 0);
  for (size_t p = 0; p < count; ++p) free(parts[p]);
  free(buf);
}

BOTH(concat_errors) {
  void *a = sbuf(3 * esz(f64)), *b = sbuf(2 * esz(f64));
  for (size_t i = 0; i < 3; ++i) put(f64, a, i, 1.0 + (double)i);
  const void *parts[] = {a, NULL, b};
  const size_t lens[] = {3, 0, 2}, hole_lens[] = {3, 1, 2} /* parts[1] NULL, length 1 */;
  const size_t big[] = {SIZE_MAX / 2 + 1, 0, SIZE_MAX / 2 + 1};
  void *buf = gbuf(f64, 8);
  size_t n = 777;
  ERR(CORE_E_BUFFER_TOO_SMALL, FN("core_concat"), concat_v(f64, parts, lens, 3, DATA(buf), 4, &n));
  cr_expect_eq(n, 5, "needed %zu, want 5", n);
  n = 777;
  ERR(CORE_E_INVALID_ARGUMENT, FN("core_concat"), concat_v(f64, NULL, lens, 3, DATA(buf), 8, &n));
  ERR(CORE_E_INVALID_ARGUMENT, NULL, concat_v(f64, parts, NULL, 3, DATA(buf), 8, &n));
  ERR(CORE_E_INVALID_ARGUMENT, NULL, concat_v(f64, parts, hole_lens, 3, DATA(buf), 8, &n));
  ERR(CORE_E_INVALID_ARGUMENT, FN("core_concat"), concat_v(f64, parts, big, 3, DATA(buf), 8, &n));
  ERR(CORE_E_INVALID_ARGUMENT, NULL, concat_v(f64, parts, lens, 3, NULL, 8, &n));
  cr_expect_eq(n, 777, "n written on INVALID_ARGUMENT");
  cr_assert(untouched(buf, 10 * esz(f64)), "output written on error");

  /* Parts overlapping out: inside, straddling its start, equal to it, and a
   * later part inside the range the earlier parts fill. */
  void *whole = gbuf(f64, 40), *out = at(f64, whole, 10);
  const void *inside[] = {at(f64, whole, 12)}, *straddle[] = {at(f64, whole, 8)};
  const void *same[] = {out}, *second[] = {a, at(f64, whole, 11)};
  const size_t three[] = {3}, four[] = {4}, three_two[] = {3, 2};
  void *before = clone_bytes(whole, 42 * esz(f64));
  ERR(CORE_E_INVALID_ARGUMENT, FN("core_concat"), concat_v(f64, inside, three, 1, out, 20, &n));
  ERR(CORE_E_INVALID_ARGUMENT, NULL, concat_v(f64, straddle, four, 1, out, 20, &n));
  ERR(CORE_E_INVALID_ARGUMENT, NULL, concat_v(f64, same, three, 1, out, 20, &n));
  ERR(CORE_E_INVALID_ARGUMENT, NULL, concat_v(f64, second, three_two, 2, out, 20, &n));
  cr_assert(memcmp(before, whole, 42 * esz(f64)) == 0, "an overlapping call wrote");
  for (size_t i = 0; i < 4; ++i) put(f64, whole, 6 + i, 40.0 + (double)i);
  const void *adjacent[] = {at(f64, whole, 6)}; /* ends where out begins: no overlap */
  OK(concat_v(f64, adjacent, four, 1, out, 20, &n));
  cr_assert_eq(n, 4);
  for (size_t i = 0; i < 4; ++i) cr_assert_eq(get(f64, out, i), 40.0 + (double)i);
  /* n NULL last: an implementation that writes through it crashes here. */
  ERR(CORE_E_INVALID_ARGUMENT, FN("core_concat"), concat_v(f64, parts, lens, 3, DATA(buf), 4, NULL));
  ERR(CORE_E_INVALID_ARGUMENT, NULL, concat_v(f64, parts, lens, 3, DATA(buf), 8, NULL));
  cr_assert(untouched(buf, 10 * esz(f64)), "output written on error");
  free(before), free(whole), free(buf), free(a), free(b);
}
