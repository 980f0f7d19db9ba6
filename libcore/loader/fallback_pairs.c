/* Portable stats.h functions other than the summaries (fallback_stats.c)
 * and the percentile (fallback_percentile.c): variance of a summary, the
 * NumPy-named conveniences, dot, corrcoef, energy, rms and the zero
 * crossing rate.
 *
 * The float64 sums use libcore's blocks (FB_BLOCK) and its fixed pairwise
 * tree over block results (libcore/runtime/parallel.h), so they differ from
 * the library's only in the rounding inside a block. */
#include "libcore/loader/fallback_util.h"

/* ---- variance and the conveniences built on the summaries ------------------ */

/* m2 / (count - ddof), NaN when count <= ddof (libcore's core::variance). */
static double variance(const core_stats_t *s, unsigned ddof) {
  if (s->count <= ddof) return NAN;
  return s->m2 / (double)(s->count - ddof);
}

core_status core_fb_stats_var(const core_stats_t *s, unsigned ddof, double *out) {
  static const char *const fb_fn = "core_stats_var";
  FB_REQUIRE(s != NULL && out != NULL, "s and out must not be NULL");
  *out = variance(s, ddof);
  return CORE_OK;
}

core_status core_fb_stats_std(const core_stats_t *s, unsigned ddof, double *out) {
  static const char *const fb_fn = "core_stats_std";
  FB_REQUIRE(s != NULL && out != NULL, "s and out must not be NULL");
  *out = sqrt(variance(s, ddof));
  return CORE_OK;
}

/* What the NumPy-named conveniences return from a NaN-propagating summary. */
enum fb_pick { FB_MIN, FB_MAX, FB_MEAN, FB_VAR, FB_STD };

static core_status convenience(const char *fb_fn, const void *x, size_t n, int f64,
                               unsigned ddof, enum fb_pick pick, double *out) {
  core_stats_t s;
  FB_REQUIRE_OUT(out);
  FB_REQUIRE_ARRAY(x, n);
  if (pick == FB_MIN || pick == FB_MAX)
    FB_CHECK(n > 0, CORE_E_EMPTY, "the minimum or maximum of 0 values is undefined");
  /* Cannot fail: the arguments the summary checks are valid here. */
  if ((f64 ? core_fb_stats_f64((const double *)x, n, CORE_NAN_PROPAGATE, &s)
           : core_fb_stats_f32((const float *)x, n, CORE_NAN_PROPAGATE, &s)) != CORE_OK)
    return CORE_E_INTERNAL;
  switch (pick) {
    case FB_MIN: *out = s.min; break;
    case FB_MAX: *out = s.max; break;
    case FB_MEAN: *out = s.mean; break;
    case FB_VAR: *out = variance(&s, ddof); break;
    case FB_STD: *out = sqrt(variance(&s, ddof)); break;
  }
  return CORE_OK;
}

#define FB_CONVENIENCES(sfx, T, F64)                                                     \
  core_status core_fb_min_##sfx(const T *x, size_t n, double *out) {                     \
    return convenience("core_min_" #sfx, x, n, F64, 0, FB_MIN, out);                     \
  }                                                                                      \
  core_status core_fb_max_##sfx(const T *x, size_t n, double *out) {                     \
    return convenience("core_max_" #sfx, x, n, F64, 0, FB_MAX, out);                     \
  }                                                                                      \
  core_status core_fb_mean_##sfx(const T *x, size_t n, double *out) {                    \
    return convenience("core_mean_" #sfx, x, n, F64, 0, FB_MEAN, out);                   \
  }                                                                                      \
  core_status core_fb_var_##sfx(const T *x, size_t n, unsigned ddof, double *out) {      \
    return convenience("core_var_" #sfx, x, n, F64, ddof, FB_VAR, out);                  \
  }                                                                                      \
  core_status core_fb_std_##sfx(const T *x, size_t n, unsigned ddof, double *out) {      \
    return convenience("core_std_" #sfx, x, n, F64, ddof, FB_STD, out);                  \
  }
FB_CONVENIENCES(f32, float, 0)
FB_CONVENIENCES(f64, double, 1)

/* ---- block kernels ---------------------------------------------------------- */

/* Lanes for the five co-moment sums: five times FB_LANES accumulators would
 * not fit in the registers. */
#define FB_CO_LANES 8

#define FB_PAIR_KERNELS(sfx, T)                                                       \
  FB_HOT static double block_sum_##sfx(const T *restrict x, size_t n) {               \
    double a[FB_LANES] = {0.0}, s;                                                   \
    size_t i = 0, j;                                                                 \
    for (; i + FB_LANES <= n; i += FB_LANES)                                         \
      for (j = 0; j < FB_LANES; ++j) a[j] += (double)x[i + j];                       \
    s = fb_lanes_sum(a);                                                             \
    for (; i < n; ++i) s += (double)x[i];                                            \
    return s;                                                                        \
  }                                                                                  \
  FB_HOT static double block_dot_##sfx(const T *restrict x, const T *restrict y,     \
                                       size_t n) {                                   \
    double a[FB_LANES] = {0.0}, s;                                                   \
    size_t i = 0, j;                                                                 \
    for (; i + FB_LANES <= n; i += FB_LANES)                                         \
      for (j = 0; j < FB_LANES; ++j) a[j] += (double)x[i + j] * (double)y[i + j];    \
    s = fb_lanes_sum(a);                                                             \
    for (; i < n; ++i) s += (double)x[i] * (double)y[i];                             \
    return s;                                                                        \
  }                                                                                  \
  /* r = {sum dx, sum dy, sum dx^2, sum dy^2, sum dx dy}, d = value - centre. */     \
  FB_HOT static void block_co_##sfx(const T *restrict x, const T *restrict y,        \
                                    size_t n, double mx, double my, double *r) {     \
    double a[5][FB_CO_LANES] = {{0.0}};                                              \
    size_t i = 0, j, k;                                                              \
    for (; i + FB_CO_LANES <= n; i += FB_CO_LANES)                                   \
      for (j = 0; j < FB_CO_LANES; ++j) {                                            \
        const double u = (double)x[i + j] - mx, v = (double)y[i + j] - my;           \
        a[0][j] += u, a[1][j] += v, a[2][j] += u * u, a[3][j] += v * v;              \
        a[4][j] += u * v;                                                            \
      }                                                                              \
    for (k = 0; k < 5; ++k)                                                          \
      r[k] = ((a[k][0] + a[k][1]) + (a[k][2] + a[k][3])) +                           \
             ((a[k][4] + a[k][5]) + (a[k][6] + a[k][7]));                            \
    for (; i < n; ++i) {                                                             \
      const double u = (double)x[i] - mx, v = (double)y[i] - my;                     \
      r[0] += u, r[1] += v, r[2] += u * u, r[3] += v * v, r[4] += u * v;             \
    }                                                                                \
  }                                                                                  \
  /* Pairs whose signs differ; "negative" is !(x >= 0): 0, -0.0 positive, NaN    */  \
  /* negative. Exact, so no blocks are needed. n >= 2.                          */  \
  FB_HOT static uint64_t sign_changes_##sfx(const T *restrict x, size_t n) {         \
    uint64_t c = 0;                                                                  \
    size_t i, j;                                                                     \
    FB_EACH(i, j, n - 1, c += (uint64_t)((x[j + 1] >= 0) != (x[j] >= 0)));           \
    return c;                                                                        \
  }
FB_PAIR_KERNELS(f32, float)
FB_PAIR_KERNELS(f64, double)

/* ---- the fixed tree over block results -------------------------------------- */

/* Up to 5 float64 sums per block, added component-wise up libcore's tree. */
typedef struct fb_pair_ctx {
  const void *x, *y;
  size_t n;
  double mx, my;
  int f64;
  int what; /* FB_DOT, FB_SUMS or FB_CO */
} fb_pair_ctx;
enum { FB_DOT, FB_SUMS, FB_CO };

static void pair_leaf(const fb_pair_ctx *c, size_t b, double *r) {
  const size_t off = b * FB_BLOCK, len = fb_block_len(b, c->n);
  if (c->f64) {
    const double *x = (const double *)c->x + off, *y = (const double *)c->y + off;
    if (c->what == FB_DOT) r[0] = block_dot_f64(x, y, len);
    if (c->what == FB_SUMS) r[0] = block_sum_f64(x, len), r[1] = block_sum_f64(y, len);
    if (c->what == FB_CO) block_co_f64(x, y, len, c->mx, c->my, r);
  } else {
    const float *x = (const float *)c->x + off, *y = (const float *)c->y + off;
    if (c->what == FB_DOT) r[0] = block_dot_f32(x, y, len);
    if (c->what == FB_SUMS) r[0] = block_sum_f32(x, len), r[1] = block_sum_f32(y, len);
    if (c->what == FB_CO) block_co_f32(x, y, len, c->mx, c->my, r);
  }
}

/* Blocks [b, e), split at b + (e - b) / 2; r = left + right per component. */
static void pair_tree(const fb_pair_ctx *c, size_t b, size_t e, size_t k, double *r) {
  double right[5];
  size_t j;
  if (e - b == 1) {
    pair_leaf(c, b, r);
    return;
  }
  pair_tree(c, b, b + (e - b) / 2, k, r);
  pair_tree(c, b + (e - b) / 2, e, k, right);
  for (j = 0; j < k; ++j) r[j] = r[j] + right[j];
}

static double dot_any(const void *x, const void *y, size_t n, int f64) {
  fb_pair_ctx c = {x, y, n, 0.0, 0.0, f64, FB_DOT};
  double r[5];
  if (n == 0) return 0.0;
  pair_tree(&c, 0, fb_block_count(n), 1, r);
  return r[0];
}

/* libcore/stats/pairs.cpp: means first, then co-moments around them with
 * the corrected two-pass terms (sum d)^2 / n subtracted. */
static double corrcoef_any(const void *x, const void *y, size_t n, int f64) {
  fb_pair_ctx c = {x, y, n, 0.0, 0.0, f64, FB_SUMS};
  const double dn = (double)n, eps = 0x1p-52;
  double r[5], sxx, syy, sxy, xfloor, yfloor, corr;
  if (n < 2) return NAN;
  pair_tree(&c, 0, fb_block_count(n), 2, r);
  c.mx = r[0] / dn, c.my = r[1] / dn;
  if (!isfinite(c.mx) || !isfinite(c.my)) return NAN;
  c.what = FB_CO;
  pair_tree(&c, 0, fb_block_count(n), 5, r);
  sxx = r[2] - r[0] * r[0] / dn;
  syy = r[3] - r[1] * r[1] / dn;
  sxy = r[4] - r[0] * r[1] / dn;
  /* A spread no larger than the rounding of the mean itself is a constant
   * input: its correlation is undefined (NaN), not a noisy +-1. */
  xfloor = 16.0 * dn * (eps * c.mx) * (eps * c.mx);
  yfloor = 16.0 * dn * (eps * c.my) * (eps * c.my);
  if (!(sxx > xfloor) || !(syy > yfloor)) return NAN;
  corr = sxy / sqrt(sxx * syy);
  if (corr > 1.0) corr = 1.0;
  if (corr < -1.0) corr = -1.0;
  return corr;
}

/* ---- public functions ---------------------------------------------------------- */

#define FB_PUBLIC(sfx, T, F64)                                                          \
  core_status core_fb_dot_##sfx(const T *x, const T *y, size_t n, double *out) {       \
    static const char *const fb_fn = "core_dot_" #sfx;                                 \
    FB_REQUIRE_OUT(out);                                                               \
    FB_REQUIRE_ARRAY(x, n);                                                            \
    FB_REQUIRE_ARRAY(y, n);                                                            \
    *out = dot_any(x, y, n, F64);                                                      \
    return CORE_OK;                                                                    \
  }                                                                                    \
  core_status core_fb_corrcoef_##sfx(const T *x, const T *y, size_t n, double *out) {  \
    static const char *const fb_fn = "core_corrcoef_" #sfx;                            \
    FB_REQUIRE_OUT(out);                                                               \
    FB_REQUIRE_ARRAY(x, n);                                                            \
    FB_REQUIRE_ARRAY(y, n);                                                            \
    *out = corrcoef_any(x, y, n, F64);                                                 \
    return CORE_OK;                                                                    \
  }                                                                                    \
  core_status core_fb_energy_##sfx(const T *x, size_t n, double *out) {                \
    static const char *const fb_fn = "core_energy_" #sfx;                              \
    FB_REQUIRE_OUT(out);                                                               \
    FB_REQUIRE_ARRAY(x, n);                                                            \
    *out = n == 0 ? NAN : dot_any(x, x, n, F64) / (double)n;                           \
    return CORE_OK;                                                                    \
  }                                                                                    \
  core_status core_fb_rms_##sfx(const T *x, size_t n, double *out) {                   \
    static const char *const fb_fn = "core_rms_" #sfx;                                 \
    FB_REQUIRE_OUT(out);                                                               \
    FB_REQUIRE_ARRAY(x, n);                                                            \
    *out = sqrt(n == 0 ? NAN : dot_any(x, x, n, F64) / (double)n);                     \
    return CORE_OK;                                                                    \
  }                                                                                    \
  core_status core_fb_zero_crossing_rate_##sfx(const T *x, size_t n, double *out) {    \
    static const char *const fb_fn = "core_zero_crossing_rate_" #sfx;                  \
    FB_REQUIRE_OUT(out);                                                               \
    FB_REQUIRE_ARRAY(x, n);                                                            \
    *out = n < 2 ? NAN : (double)sign_changes_##sfx(x, n) / (double)(n - 1);           \
    return CORE_OK;                                                                    \
  }
FB_PUBLIC(f32, float, 0)
FB_PUBLIC(f64, double, 1)
