/* Portable one-pass summaries (stats.h): core_fb_stats_f32/_f64 and
 * core_fb_stats_merge. The functions built on them are in
 * fallback_percentile.c; the batch module (fallback_batch.c) reuses the
 * block kernel, the leaf conversion and the merge, declared in
 * fallback_util.h.
 *
 * The arithmetic follows libcore/stats/moments.cpp and
 * libcore/simd/moments_kernels.cc step by step, so the fallback and the
 * library differ only in the rounding of individual additions:
 *  - blocks of FB_BLOCK elements; each is swept twice while it sits in L1:
 *    sweep 1 finds min, max and an approximate mean (the shift), sweep 2
 *    sums d = x - shift and d^2 in float64, and m2 = sum d^2 - (sum d)^2 / n
 *    ("corrected two-pass", Chan, Golub & LeVeque 1983);
 *  - a block with NaN, infinity or an overflowing sum takes a careful scalar
 *    path, so the fast sweeps need no NaN bookkeeping;
 *  - block means are offsets from one reference K (the first finite block
 *    shift), and blocks are combined by Chan's pairwise merge in the same
 *    fixed binary tree as libcore/runtime/parallel.h (split at the middle).
 * Everything runs on the calling thread. */
#include "libcore/loader/fallback_util.h"

/* Sweep 2 works in sub-chunks of FB_SUB elements, each into fresh lanes,
 * and adds the sub-chunk partials pairwise: a lane then sums only
 * FB_SUB / FB_LANES terms in sequence, which keeps m2 within a couple of
 * ulps of exact (one 2048-term chain per lane drifts further). */
#define FB_SUB ((size_t)256)
#define FB_MAX_SUB (FB_BLOCK / FB_SUB)

/* fb_block (one block's summary) is in fallback_util.h: the accumulator
 * (fallback_batch.c) reduces blocks with the same kernels. */

/* ---- sweep 1: sum, min, max in the input type ---------------------------- */

/* Elements per sweep-1 row: 128 bytes (32 floats or 16 doubles); element j
 * of a row goes to lane j of the sum. */
#define FB_ROW1(T) (128 / sizeof(T))

#if FB_VECTOR
/* The whole rows of x (i advances past them) into the lanes s, lo, hi:
 * R = FB_ROW1(T) / W vectors of W lanes per row. */
#define FB_SWEEP1_ROWS(T, VT, VI, W, LOAD)                                              \
  {                                                                                     \
    enum { R = 128 / sizeof(T) / W };                                                   \
    const VT z = {0};                                                                   \
    VT sv[R], lv[R / 2], hv[R / 2];                                                     \
    size_t k;                                                                           \
    FB_UNROLL for (k = 0; k < R; ++k) sv[k] = z, lv[k / 2] = hv[k / 2] = z + x[0];      \
    for (; i + R * W <= n; i += R * W) {                                                \
      FB_UNROLL for (k = 0; k < R / 2; ++k) {                                           \
        const VT a = LOAD(x + i + 2 * k * W), b = LOAD(x + i + (2 * k + 1) * W);        \
        sv[2 * k] += a, sv[2 * k + 1] += b;                                             \
        lv[k] = FB_VMIN(VI, FB_VMIN(VI, a, b), lv[k]);                                  \
        hv[k] = FB_VMAX(VI, FB_VMAX(VI, a, b), hv[k]);                                  \
      }                                                                                 \
    }                                                                                   \
    memcpy(s, sv, sizeof sv), memcpy(lo, lv, sizeof lv), memcpy(hi, hv, sizeof hv);     \
  }
#else
#define FB_SWEEP1_ROWS(T, VT, VI, W, LOAD)                                              \
  for (; i + FB_ROW1(T) <= n; i += FB_ROW1(T))                                          \
    for (j = 0; j < FB_ROW1(T); ++j) {                                                  \
      const T v = x[i + j];                                                             \
      s[j] += v;                                                                        \
      lo[j] = v < lo[j] ? v : lo[j];                                                    \
      hi[j] = v > hi[j] ? v : hi[j];                                                    \
    }
#endif

/* Only good enough to serve as the shift, as in the library; a NaN or an
 * infinity anywhere makes the sum non-finite, which sends the block to the
 * careful path, so min and max need no NaN handling here. */
#define FB_SWEEP1(NAME, ATTR, T, VT, VI, W, LOAD)                                 \
  ATTR static T NAME(const T *restrict x, size_t n, T *lo_out, T *hi_out) {       \
    T s[FB_ROW1(T)], lo[FB_ROW1(T)], hi[FB_ROW1(T)], sum = 0, l = x[0], h = x[0]; \
    size_t i = 0, j;                                                              \
    for (j = 0; j < FB_ROW1(T); ++j) s[j] = 0, lo[j] = hi[j] = x[0];              \
    FB_SWEEP1_ROWS(T, VT, VI, W, LOAD)                                            \
    for (j = 0; j < FB_ROW1(T); ++j) {                                            \
      sum += s[j];                                                                \
      l = lo[j] < l ? lo[j] : l;                                                  \
      h = hi[j] > h ? hi[j] : h;                                                  \
    }                                                                             \
    for (; i < n; ++i) {                                                          \
      sum += x[i];                                                                \
      l = x[i] < l ? x[i] : l;                                                    \
      h = x[i] > h ? x[i] : h;                                                    \
    }                                                                             \
    *lo_out = l, *hi_out = h;                                                     \
    return sum;                                                                   \
  }

/* ---- sweep 2: deviations from the shift, in float64 ----------------------- */

/* While sweep 2 works from L1, memory would sit idle: each row also asks
 * for the same row of the next block (only a full block is likely to have
 * one), which keeps a single thread streaming, as in the library. A hint:
 * past the end of the array it does nothing. A row is one 64-byte line of
 * float32, two of float64. */
#if defined(__GNUC__) || defined(__clang__)
#define FB_PREFETCH_ROW(p)                               \
  do {                                                   \
    if (ahead != 0) {                                    \
      __builtin_prefetch(p);                             \
      if (sizeof *(p) == 8) __builtin_prefetch((p) + 8); \
    }                                                    \
  } while (0)
#else
#define FB_PREFETCH_ROW(p) ((void)0)
#endif

/* Lanes a, b = sums of u and u^2 over the rows [begin, end), u = KEEP(v,
 * v - shift): FB_KEEP_NUM zeroes u for a NaN v (omitted NaNs add nothing). */
#if FB_VECTOR
#define FB_DEV_ROWS(VD, VDI, W, LOAD, KEEP)                             \
  {                                                                     \
    const VD z = {0}, sh = z + shift;                                   \
    VD av[FB_LANES / W], bv[FB_LANES / W];                              \
    FB_UNROLL for (k = 0; k < FB_LANES / W; ++k) av[k] = bv[k] = z;     \
    for (i = begin; i < end; i += FB_LANES) {                           \
      FB_PREFETCH_ROW(x + ahead + i);                                   \
      FB_UNROLL for (k = 0; k < FB_LANES / W; ++k) {                    \
        const VD v = LOAD(x + i + k * W), u = KEEP(VDI, v, v - sh);     \
        av[k] += u, bv[k] += u * u;                                     \
      }                                                                 \
    }                                                                   \
    memcpy(a, av, sizeof av), memcpy(b, bv, sizeof bv);                 \
  }
#define FB_KEEP_ALL(VDI, v, u) (u)
#define FB_KEEP_NUM(VDI, v, u) ((__typeof__(u))((VDI)(u) & (VDI)((v) == (v))))
#else
#define FB_DEV_ROWS(VD, VDI, W, LOAD, KEEP)                             \
  for (i = begin; i < end; i += FB_LANES) {                             \
    FB_PREFETCH_ROW(x + ahead + i);                                     \
    for (j = 0; j < FB_LANES; ++j) {                                    \
      const double v = (double)x[i + j], u = KEEP(VDI, v, v - shift);   \
      a[j] += u, b[j] += u * u;                                         \
    }                                                                   \
  }
#define FB_KEEP_ALL(VDI, v, u) (u)
#define FB_KEEP_NUM(VDI, v, u) ((v) == (v) ? (u) : 0.0)
#endif

/* dsum = sum (x - shift), s2 = sum (x - shift)^2 over x[0, n); NaNs, only
 * present when they are omitted (skip != 0), add nothing. */
#define FB_SWEEP2(NAME, ATTR, T, VD, VDI, W, LOAD)                                 \
  ATTR static void NAME(const T *restrict x, size_t n, double shift, int skip,     \
                        double *dsum_out, double *s2_out) {                        \
    double p1[FB_MAX_SUB][FB_LANES], p2[FB_MAX_SUB][FB_LANES], dsum, s2;           \
    const size_t full = n - n % FB_LANES, ahead = n == FB_BLOCK ? n : 0;           \
    size_t parts = 0, begin, i, j, k;                                              \
    for (begin = 0; begin < full || parts == 0; begin += FB_SUB, ++parts) {        \
      const size_t end = begin + FB_SUB < full ? begin + FB_SUB : full;            \
      double a[FB_LANES] = {0.0}, b[FB_LANES] = {0.0};                             \
      if (!skip) FB_DEV_ROWS(VD, VDI, W, LOAD, FB_KEEP_ALL)                        \
      else FB_DEV_ROWS(VD, VDI, W, LOAD, FB_KEEP_NUM)                              \
      memcpy(p1[parts], a, sizeof a);                                              \
      memcpy(p2[parts], b, sizeof b);                                              \
    }                                                                              \
    for (; parts > 1; parts = (parts + 1) / 2) /* pairwise, in place */            \
      for (k = 0; 2 * k < parts; ++k)                                              \
        for (j = 0; j < FB_LANES; ++j) {                                           \
          const int pair = 2 * k + 1 < parts;                                      \
          p1[k][j] = pair ? p1[2 * k][j] + p1[2 * k + 1][j] : p1[2 * k][j];        \
          p2[k][j] = pair ? p2[2 * k][j] + p2[2 * k + 1][j] : p2[2 * k][j];        \
        }                                                                          \
    dsum = fb_lanes_sum(p1[0]);                                                    \
    s2 = fb_lanes_sum(p2[0]);                                                      \
    for (i = full; i < n; ++i) {                                                   \
      const double v = (double)x[i], u = v - shift;                                \
      if (v != v) continue;                                                        \
      dsum += u;                                                                   \
      s2 += u * u;                                                                 \
    }                                                                              \
    *dsum_out = dsum, *s2_out = s2;                                                \
  }

/* ---- one block ------------------------------------------------------------- */

/* The final fields from sweep 2 (out->count already set). */
static void finish_block(double shift, double dsum, double s2, fb_block *out) {
  const double count = (double)out->count, m2 = s2 - dsum * dsum / count;
  out->shift = shift;
  out->dsum = dsum;
  out->m2 = m2 > 0.0 ? m2 : 0.0;
  out->sum = shift * count + dsum;
}

/* Blocks with NaN, infinity, or finite values whose sweep-1 sum overflowed:
 * libcore's CarefulBlock, the same IEEE outcomes. Rare: scalar, except the
 * final sweep. */
#define FB_CAREFUL(NAME, T, SWEEP2)                                             \
  static void NAME(const T *x, size_t n, int omit, fb_block *out) {             \
    uint64_t nans = 0;                                                          \
    int has_inf = 0;                                                            \
    double lo = INFINITY, hi = -INFINITY, sum = 0.0, shift, dsum, s2;           \
    size_t i;                                                                   \
    for (i = 0; i < n; ++i) {                                                   \
      const double v = (double)x[i];                                            \
      if (v != v) {                                                             \
        ++nans;                                                                 \
        continue;                                                               \
      }                                                                         \
      lo = v < lo ? v : lo;                                                     \
      hi = v > hi ? v : hi;                                                     \
      sum += v;                                                                 \
      has_inf |= isinf(v) != 0;                                                 \
    }                                                                           \
    out->nan_count = nans;                                                      \
    out->dsum = 0.0;                                                            \
    if (nans != 0 && !omit) {                                                   \
      out->count = n;                                                           \
      out->min = out->max = out->sum = out->shift = out->m2 = NAN;              \
      return;                                                                   \
    }                                                                           \
    out->count = n - nans;                                                      \
    if (out->count == 0) {                                                      \
      out->min = out->max = out->shift = out->m2 = NAN;                         \
      out->sum = 0.0;                                                           \
      return;                                                                   \
    }                                                                           \
    out->min = lo;                                                              \
    out->max = hi;                                                              \
    if (has_inf) { /* IEEE: mean +-inf (NaN for +inf and -inf), m2 NaN */       \
      out->sum = out->shift = sum;                                              \
      out->m2 = NAN;                                                            \
      return;                                                                   \
    }                                                                           \
    /* Finite. If even the float64 sum overflowed, the midrange is safe. */     \
    shift = isfinite(sum) ? sum / (double)out->count : 0.5 * lo + 0.5 * hi;     \
    SWEEP2(x, n, shift, nans != 0, &dsum, &s2);                                 \
    finish_block(shift, dsum, s2, out);                                         \
  }

#define FB_BLOCK_FN(NAME, T, SWEEP1, SWEEP2, CAREFUL)                       \
  static void NAME(const void *xv, size_t n, int omit, fb_block *out) {     \
    const T *x = (const T *)xv;                                             \
    T lo, hi;                                                               \
    const T sum = SWEEP1(x, n, &lo, &hi);                                   \
    double dsum, s2, shift;                                                 \
    if (FB_UNLIKELY(!isfinite(sum))) {                                      \
      CAREFUL(x, n, omit, out);                                             \
      return;                                                               \
    }                                                                       \
    out->count = n;                                                         \
    out->nan_count = 0;                                                     \
    out->min = (double)lo;                                                  \
    out->max = (double)hi;                                                  \
    /* A constant block gets its value as the shift, so its m2 is exactly   \
     * 0 (an inexact float sum would leave ~1e-29 and normalize would not   \
     * see the constant input it must refuse). Changes nothing otherwise. */ \
    shift = lo == hi ? (double)lo : (double)sum / (double)n;                \
    SWEEP2(x, n, shift, 0, &dsum, &s2);                                     \
    finish_block(shift, dsum, s2, out);                                     \
  }

/* One set of kernels per vector width (see fallback_util.h). */
#define FB_KERNELS(V, ATTR, VF, VFI, WF, LDF, VD, VDI, WD, LDD)              \
  FB_SWEEP1(sweep1_f32_##V, ATTR, float, VF, VFI, WF, LDF)                   \
  FB_SWEEP1(sweep1_f64_##V, ATTR, double, VD, VDI, WD, LDD)                  \
  FB_SWEEP2(sweep2_f32_##V, ATTR, float, VD, VDI, WD, LDD)                   \
  FB_SWEEP2(sweep2_f64_##V, ATTR, double, VD, VDI, WD, LDD)                  \
  FB_CAREFUL(careful_f32_##V, float, sweep2_f32_##V)                         \
  FB_CAREFUL(careful_f64_##V, double, sweep2_f64_##V)                        \
  FB_BLOCK_FN(block_f32_##V, float, sweep1_f32_##V, sweep2_f32_##V, careful_f32_##V) \
  FB_BLOCK_FN(block_f64_##V, double, sweep1_f64_##V, sweep2_f64_##V, careful_f64_##V)
FB_KERNELS(base, , fb_vf4, fb_vfi4, 4, FB_LD_F4, fb_vd2, fb_vdi2, 2, FB_LD_D2)
#if FB_AVX2
FB_KERNELS(avx2, __attribute__((target("avx2"))), fb_vf8, fb_vfi8, 8, FB_LD_F8, fb_vd4,
           fb_vdi4, 4, FB_LD_D4)
#endif

/* ---- summaries and the merge tree ------------------------------------------ */

core_stats_t core_fb_summary_empty(uint64_t nan_count) {
  core_stats_t s;
  s.count = 0;
  s.nan_count = nan_count;
  s.sum = 0.0;
  s.min = s.max = s.mean = s.m2 = NAN;
  return s;
}

/* min/max that let a NaN win (a NaN there means "propagate"). */
static double nan_min(double a, double b) { return (a < b || a != a) ? a : b; }
static double nan_max(double a, double b) { return (a > b || a != a) ? a : b; }

/* Chan et al.; an empty summary is the identity (libcore's core::merge). */
core_stats_t core_fb_summary_merge(const core_stats_t *a, const core_stats_t *b) {
  core_stats_t r;
  double na, nb, n, delta;
  if (a->count == 0 || b->count == 0) {
    r = a->count == 0 ? *b : *a;
    r.nan_count = a->nan_count + b->nan_count;
    return r;
  }
  na = (double)a->count, nb = (double)b->count, n = na + nb;
  r.count = a->count + b->count;
  r.nan_count = a->nan_count + b->nan_count;
  r.min = nan_min(a->min, b->min);
  r.max = nan_max(a->max, b->max);
  r.sum = a->sum + b->sum;
  if (isfinite(a->mean) && isfinite(b->mean)) {
    delta = b->mean - a->mean;
    r.mean = a->mean + delta * (nb / n);
    r.m2 = a->m2 + b->m2 + delta * delta * (na * (nb / n));
  } else { /* inf or NaN: Chan's delta would turn inf into NaN; IEEE sum does not */
    r.mean = (a->mean * na + b->mean * nb) / n;
    r.m2 = NAN;
  }
  return r;
}

typedef struct fb_summary_ctx {
  const char *x; /* bytes */
  size_t n, elem;
  int omit;
  double k; /* the reference the block means are offsets from */
  fb_block_fn block;
  const fb_block *first; /* block 0, already computed */
} fb_summary_ctx;

/* A block's moments as a summary whose mean is an offset from k. */
core_stats_t core_fb_summary_of_block(const fb_block *m, double k) {
  core_stats_t s;
  s.count = m->count;
  s.nan_count = m->nan_count;
  s.min = m->min;
  s.max = m->max;
  s.sum = m->sum;
  s.mean = m->count ? (m->shift - k) + m->dsum / (double)m->count : NAN;
  s.m2 = m->m2;
  return s;
}

static core_stats_t leaf(const fb_summary_ctx *c, size_t b) {
  fb_block m;
  if (b == 0) {
    m = *c->first;
  } else {
    c->block(c->x + b * FB_BLOCK * c->elem, fb_block_len(b, c->n), c->omit, &m);
  }
  return core_fb_summary_of_block(&m, c->k);
}

/* Blocks [b, e) in libcore's tree: split at b + (e - b) / 2. */
static core_stats_t tree(const fb_summary_ctx *c, size_t b, size_t e) {
  core_stats_t l, r;
  if (e - b == 1) return leaf(c, b);
  l = tree(c, b, b + (e - b) / 2);
  r = tree(c, b + (e - b) / 2, e);
  return core_fb_summary_merge(&l, &r);
}

static core_stats_t summarize(const void *x, size_t n, size_t elem, int omit,
                              fb_block_fn block) {
  fb_summary_ctx c;
  fb_block first, m;
  core_stats_t s;
  size_t nblocks, b;
  if (n == 0) return core_fb_summary_empty(0);
  nblocks = fb_block_count(n);
  block(x, fb_block_len(0, n), omit, &first);
  /* The reference: the first block with a finite shift (almost always 0). */
  c.k = first.shift;
  for (b = 1; !isfinite(c.k) && b < nblocks; ++b) {
    block((const char *)x + b * FB_BLOCK * elem, fb_block_len(b, n), omit, &m);
    c.k = m.shift;
  }
  if (!isfinite(c.k)) c.k = 0.0;
  c.x = (const char *)x, c.n = n, c.elem = elem, c.omit = omit, c.block = block;
  c.first = &first;
  s = tree(&c, 0, nblocks);
  if (s.count == 0) return core_fb_summary_empty(s.nan_count);
  s.mean = c.k + s.mean;
  return s;
}

/* The widest kernels this CPU runs (same results either way). */
fb_block_fn core_fb_block_kernel(int f64) {
#if FB_AVX2
  if (fb_have_avx2()) return f64 ? block_f64_avx2 : block_f32_avx2;
#endif
  return f64 ? block_f64_base : block_f32_base;
}

/* ---- public functions ------------------------------------------------------ */

#define FB_STATS(sfx, T, F64)                                                          \
  core_status core_fb_stats_##sfx(const T *x, size_t n, core_nan_policy nan,           \
                                  core_stats_t *out) {                                 \
    static const char *const fb_fn = "core_stats_" #sfx;                               \
    FB_REQUIRE_OUT(out);                                                               \
    FB_REQUIRE_ARRAY(x, n);                                                            \
    FB_REQUIRE_NAN_POLICY(nan);                                                        \
    *out = summarize(x, n, sizeof(T), nan == CORE_NAN_OMIT,                            \
                     core_fb_block_kernel(F64));                                       \
    return CORE_OK;                                                                    \
  }
FB_STATS(f32, float, 0)
FB_STATS(f64, double, 1)

core_status core_fb_stats_merge(const core_stats_t *a, const core_stats_t *b,
                                core_stats_t *out) {
  static const char *const fb_fn = "core_stats_merge";
  FB_REQUIRE(a != NULL && b != NULL && out != NULL, "a, b and out must not be NULL");
  FB_REQUIRE(a->count <= UINT64_MAX - b->count && a->nan_count <= UINT64_MAX - b->nan_count,
             "the merged counts overflow uint64");
  *out = core_fb_summary_merge(a, b); /* a and b are read before *out is stored */
  return CORE_OK;
}
