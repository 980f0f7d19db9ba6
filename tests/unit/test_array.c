/* Unit tests for array.h: NumPy semantics, accuracy and every error path.
 * Most tests are written once over a dtype flag `f64` and registered twice by
 * BOTH(), as <name>_f32 and <name>_f64; buffers are void * and DT() calls the
 * core_<name>_f32 or _f64 variant. */
#include <criterion/criterion.h>

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <core/core.h>

#include "testutil.h"

/* ---- helpers ----------------------------------------------------------------- */

#define BOTH(name)                     \
  static void name(int f64);           \
  Test(array, name##_f32) { name(0); } \
  Test(array, name##_f64) { name(1); } \
  static void name(int f64)
#define DT(name, ...) (f64 ? core_##name##_f64(__VA_ARGS__) : core_##name##_f32(__VA_ARGS__))
#define FN(base) (f64 ? base "_f64" : base "_f32")

/* Exact status, and a last-error message that is non-empty (fn NULL) or names
 * fn. Expect, not assert, so one test reports every bad error path. */
#define ERR(want, fn, call)                                                                \
  do {                                                                                     \
    core_status st_ = (call);                                                              \
    const char *fn_ = (fn);                                                                \
    cr_expect_eq(st_, (want), "%s -> %s, want %s", #call, core_status_str(st_),            \
                 core_status_str(want));                                                   \
    cr_expect(tu_message_has(fn_), "%s: message \"%s\" should %s%s", #call,                \
              core_last_error_message(), fn_ ? "name " : "be non-empty", fn_ ? fn_ : "");  \
  } while (0)
#define OK(call)                                                                           \
  do {                                                                                     \
    core_status st_ = (call);                                                              \
    cr_assert_eq(st_, CORE_OK, "%s -> %s (%s)", #call, core_status_str(st_),               \
                 core_last_error_message());                                               \
  } while (0)
/* Criterion reports every assertion made, so hot loops assert only on failure. */
#define CHECK(cond, ...) \
  do { if (!(cond)) cr_assert_fail(__VA_ARGS__); } while (0)
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

#define SENT 0xA5
static size_t esz(int f64) { return f64 ? sizeof(double) : sizeof(float); }
static void *at(int f64, void *p, size_t i) { return (char *)p + i * esz(f64); }
static double get(int f64, const void *p, size_t i) {
  return f64 ? ((const double *)p)[i] : (double)((const float *)p)[i];
}
static void put(int f64, void *p, size_t i, double v) {
  if (f64) ((double *)p)[i] = v; else ((float *)p)[i] = (float)v;
}
static double rnd(int f64, double v) { return f64 ? v : (double)(float)v; }
/* start + i*step rounded once: volatile keeps the product from being fused. */
static double lin(double start, size_t i, double step) {
  volatile double t = (double)i * step;
  return start + t;
}

static void *sbuf(size_t bytes) { /* filled with the sentinel byte */
  void *p = malloc(bytes ? bytes : 1);
  cr_assert_not_null(p);
  return memset(p, SENT, bytes);
}
static int untouched(const void *p, size_t bytes) {
  for (size_t i = 0; i < bytes; ++i)
    if (((const unsigned char *)p)[i] != SENT) return 0;
  return 1;
}
static void *clone_bytes(const void *p, size_t bytes) { return memcpy(sbuf(bytes), p, bytes); }
/* n elements plus a sentinel element each side; the data (DATA) starts at
 * element 1, so it is not vector aligned. */
static void *gbuf(int f64, size_t n) { return sbuf((n + 2) * esz(f64)); }
#define DATA(b) at(f64, (b), 1)
static void check_guards(int f64, void *buf, size_t n) {
  cr_assert(untouched(buf, esz(f64)), "the element before the output was written");
  cr_assert(untouched(at(f64, buf, n + 1), esz(f64)), "the element after out[%zu) was written", n);
}

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

/* The calls whose names do not follow core_<name>_<dtype>. */
static core_status concat_v(int f64, const void *const *parts, const size_t *lens, size_t count,
                            void *o, size_t cap, size_t *n) {
  return f64 ? core_concat_f64((const double *const *)parts, lens, count, o, cap, n)
             : core_concat_f32((const float *const *)parts, lens, count, o, cap, n);
}
static core_status from_pcm_v(int f64, const int16_t *in, size_t n, void *o) {
  return f64 ? core_pcm16_to_f64(in, n, o) : core_pcm16_to_f32(in, n, o);
}
static core_status to_pcm_v(int f64, const void *in, size_t n, int16_t *o, size_t *clipped) {
  return f64 ? core_f64_to_pcm16(in, n, o, clipped) : core_f32_to_pcm16(in, n, o, clipped);
}

/* Sizes that exercise SIMD remainders and the blocked/parallel paths. */
static const size_t k_sizes[] = {1, 3, 7, 15, 16, 17, 31, 33, 63, 65, 1000, 1000003};

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

/* ---- PCM ------------------------------------------------------------------------------- */

BOTH(pcm16_to_float_exact_and_round_trip) {
  int16_t *in = malloc(65537 * sizeof *in), *back = malloc(65536 * sizeof *back);
  cr_assert(in && back);
  for (int v = -32768; v <= 32767; ++v) in[v + 32769] = (int16_t)v; /* from in + 1: unaligned */
  void *out = gbuf(f64, 65536);
  OK(from_pcm_v(f64, in + 1, 65536, DATA(out)));
  for (size_t i = 0; i < 65536; ++i)
    CHECK(get(f64, DATA(out), i) == (double)in[i + 1] / 32768.0, "pcm %d -> %.17g", in[i + 1], get(f64, DATA(out), i));
  cr_assert_eq(get(f64, DATA(out), 0), -1.0);
  cr_assert_eq(get(f64, DATA(out), 65535), 32767.0 / 32768.0);
  cr_assert(get(f64, DATA(out), 32768) == 0.0 && !signbit(get(f64, DATA(out), 32768)));
  check_guards(f64, out, 65536);
  for (size_t k = 0; k < COUNT(k_sizes) && k_sizes[k] < 65536; ++k) { /* tails */
    void *o = gbuf(f64, k_sizes[k]);
    OK(from_pcm_v(f64, in + 1, k_sizes[k], DATA(o)));
    cr_assert(memcmp(DATA(o), DATA(out), k_sizes[k] * esz(f64)) == 0, "n=%zu differs", k_sizes[k]);
    check_guards(f64, o, k_sizes[k]);
    free(o);
  }
  size_t clipped = 0; /* float -> pcm is the exact inverse, nothing clipped */
  OK(to_pcm_v(f64, DATA(out), 65536, back, &clipped));
  cr_assert(memcmp(back, in + 1, 65536 * sizeof *back) == 0, "round trip is not the identity");
  cr_assert_eq(clipped, 0);
  free(back), free(out), free(in);
}

/* Converts the one sample v: expected value and whether it counts as clipped. */
static void pcm_expect(int f64, double v, int16_t want, size_t want_clipped) {
  void *in = sbuf(esz(f64));
  put(f64, in, 0, v);
  int16_t out = 12345;
  size_t clipped = 0;
  OK(to_pcm_v(f64, in, 1, &out, &clipped));
  cr_expect_eq(out, want, "%.17g (x32768 = %.17g) -> %d, want %d", v, v * 32768, out, want);
  cr_expect_eq(clipped, want_clipped, "%.17g (x32768 = %.17g): clipped %zu, want %zu", v, v * 32768, clipped,
               want_clipped);
  free(in);
}

BOTH(float_to_pcm16_rounding_and_clipping) {
  const double h = 1.0 / 32768.0;
  pcm_expect(f64, 0.5 * h, 0, 0), pcm_expect(f64, 1.5 * h, 2, 0), pcm_expect(f64, 2.5 * h, 2, 0);
  pcm_expect(f64, -0.5 * h, 0, 0), pcm_expect(f64, -1.5 * h, -2, 0), pcm_expect(f64, -2.5 * h, -2, 0);
  pcm_expect(f64, 3.5 * h, 4, 0), pcm_expect(f64, 0.49 * h, 0, 0), pcm_expect(f64, 0.51 * h, 1, 0);
  pcm_expect(f64, 32766.5 * h, 32766, 0), pcm_expect(f64, -32767.5 * h, -32768, 0);
  pcm_expect(f64, 1.0, 32767, 1), pcm_expect(f64, -1.0, -32768, 0);
  pcm_expect(f64, 2.0, 32767, 1), pcm_expect(f64, -2.0, -32768, 1), pcm_expect(f64, NAN, 0, 1);
  pcm_expect(f64, INFINITY, 32767, 1), pcm_expect(f64, -INFINITY, -32768, 1);
  pcm_expect(f64, 32767.4 * h, 32767, 0);
  pcm_expect(f64, 32767.5 * h, 32767, 1);   /* rounds to 32768, then clipped */
  pcm_expect(f64, -32768.5 * h, -32768, 0); /* half to even: -32768, in range */
  pcm_expect(f64, -32768.6 * h, -32768, 1);
}

BOTH(float_to_pcm16_tails_match_reference) {
  tu_rng r = tu_rng_make(2024);
  for (size_t k = 0; k < COUNT(k_sizes); ++k) {
    size_t n = k_sizes[k], want_clipped = 0, clipped = 0;
    void *in = gbuf(f64, n);
    int16_t *out = malloc((n + 2) * sizeof *out), *want = malloc(n * sizeof *want);
    cr_assert(out && want);
    for (size_t i = 0; i < n; ++i) {
      double v = (tu_uniform(&r) * 2.0 - 1.0) * 1.25;
      if (i % 13 == 5) v = (floor(v * 32768.0) + 0.5) / 32768.0; /* exact halves */
      put(f64, DATA(in), i, i % 97 == 11 ? NAN : v);
      double s = get(f64, DATA(in), i) * 32768.0, q = isnan(s) ? 0.0 : nearbyint(s);
      want_clipped += isnan(s) || q > 32767.0 || q < -32768.0;
      want[i] = (int16_t)fmin(fmax(q, -32768.0), 32767.0);
    }
    out[0] = out[n + 1] = 0x5A5A;
    OK(to_pcm_v(f64, DATA(in), n, out + 1, &clipped));
    for (size_t i = 0; i < n; ++i)
      CHECK(out[i + 1] == want[i], "n=%zu: %.17g -> %d, want %d", n, get(f64, DATA(in), i), out[i + 1], want[i]);
    cr_assert_eq(clipped, want_clipped, "n=%zu: clipped %zu, want %zu", n, clipped, want_clipped);
    cr_assert(out[0] == 0x5A5A && out[n + 1] == 0x5A5A, "n=%zu: wrote outside the output", n);
    memset(out + 1, 0, n * sizeof *out);
    OK(to_pcm_v(f64, DATA(in), n, out + 1, NULL)); /* clipped may be NULL */
    cr_assert(memcmp(out + 1, want, n * sizeof *want) == 0, "n=%zu: differs with clipped NULL", n);
    free(in), free(out), free(want);
  }
}

BOTH(pcm_errors) {
  int16_t pcm[3] = {1, 2, 3}, pout[3] = {7, 7, 7};
  void *f = gbuf(f64, 3);
  ERR(CORE_E_INVALID_ARGUMENT, f64 ? "core_pcm16_to_f64" : "core_pcm16_to_f32", from_pcm_v(f64, NULL, 3, DATA(f)));
  ERR(CORE_E_INVALID_ARGUMENT, NULL, from_pcm_v(f64, pcm, 3, NULL));
  cr_assert(untouched(f, 5 * esz(f64)), "output written on error");
  for (size_t i = 0; i < 3; ++i) put(f64, DATA(f), i, 2.0);
  size_t clipped = 777;
  ERR(CORE_E_INVALID_ARGUMENT, f64 ? "core_f64_to_pcm16" : "core_f32_to_pcm16", to_pcm_v(f64, NULL, 3, pout, &clipped));
  ERR(CORE_E_INVALID_ARGUMENT, NULL, to_pcm_v(f64, DATA(f), 3, NULL, &clipped));
  cr_assert_eq(clipped, 777, "clipped written on error");
  cr_assert(pout[0] == 7 && pout[1] == 7 && pout[2] == 7, "output written on error");
  OK(from_pcm_v(f64, NULL, 0, NULL));
  clipped = 0;
  OK(to_pcm_v(f64, NULL, 0, NULL, &clipped));
  cr_assert_eq(clipped, 0);
  OK(to_pcm_v(f64, NULL, 0, NULL, NULL));
  free(f);
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
