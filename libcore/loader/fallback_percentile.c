/* Portable core_percentile_f32/_f64: NumPy's "linear" percentile by
 * selection in the caller's scratch. The order statistics do not depend on
 * how they are found, so the result is bit-identical to the library's. */
#include "libcore/loader/fallback_util.h"

/* ---- selection for the percentile -------------------------------------------- */

/* Rearranges a[0, n) so that a[k] is the k-th smallest, nothing left of it
 * is larger and nothing right of it smaller (std::nth_element's contract).
 * Quickselect with a median-of-3 pivot and a three-way partition (runs of
 * equal values, common in quantized data, end in one step); a depth limit
 * falls back to heapsort, so the worst case stays O(n log n). */
#define FB_SELECT(sfx, T)                                                          \
  static void sift_##sfx(T *a, size_t root, size_t n) {                            \
    for (;;) {                                                                     \
      size_t c = 2 * root + 1;                                                     \
      T t;                                                                         \
      if (c >= n) return;                                                          \
      if (c + 1 < n && a[c] < a[c + 1]) ++c;                                       \
      if (!(a[root] < a[c])) return;                                               \
      t = a[root], a[root] = a[c], a[c] = t;                                       \
      root = c;                                                                    \
    }                                                                              \
  }                                                                                \
  static void heapsort_##sfx(T *a, size_t n) {                                     \
    size_t i;                                                                      \
    T t;                                                                           \
    for (i = n / 2; i-- > 0;) sift_##sfx(a, i, n);                                 \
    for (i = n; i-- > 1;) {                                                        \
      t = a[0], a[0] = a[i], a[i] = t;                                             \
      sift_##sfx(a, 0, i);                                                         \
    }                                                                              \
  }                                                                                \
  static void select_##sfx(T *a, size_t n, size_t k) {                             \
    size_t lo = 0, hi = n - 1, depth = 64;                                         \
    while (hi > lo) {                                                              \
      size_t lt = lo, i = lo, gt = hi;                                             \
      T p, x0 = a[lo], x1 = a[lo + (hi - lo) / 2], x2 = a[hi], t;                  \
      if (hi - lo < 16 || depth-- == 0) { /* small or degenerate: sort it */       \
        heapsort_##sfx(a + lo, hi - lo + 1);                                       \
        return;                                                                    \
      }                                                                            \
      p = x0 < x1 ? (x1 < x2 ? x1 : (x0 < x2 ? x2 : x0))                           \
                  : (x0 < x2 ? x0 : (x1 < x2 ? x2 : x1));                          \
      while (i <= gt) { /* [lo, lt) < p, [lt, i) == p, (gt, hi] > p */             \
        if (a[i] < p) {                                                            \
          t = a[i], a[i] = a[lt], a[lt] = t;                                       \
          ++lt, ++i;                                                               \
        } else if (p < a[i]) {                                                     \
          t = a[i], a[i] = a[gt], a[gt] = t;                                       \
          --gt; /* stays >= lt: p is a value of the range, never moved right */    \
        } else {                                                                   \
          ++i;                                                                     \
        }                                                                          \
      }                                                                            \
      if (k < lt) hi = lt - 1;                                                     \
      else if (k > gt) lo = gt + 1;                                                \
      else return;                                                                 \
    }                                                                              \
  }
FB_SELECT(f32, float)
FB_SELECT(f64, double)

/* NumPy's _lerp: the form is chosen by t so that t = 1 gives b exactly. */
static double lerp(double a, double b, double t) {
  const double diff = b - a;
  return t >= 0.5 ? b - diff * (1.0 - t) : a + diff * t;
}

/* libcore/stats/percentile.cpp. 0 when no value is left. */
#define FB_PERCENTILE_CORE(sfx, T)                                                \
  static int percentile_##sfx(const T *x, size_t n, double q, int omit, T *s,     \
                              double *out) {                                      \
    size_t m = 0, i, lo;                                                          \
    double index, t, a, b;                                                        \
    for (i = 0; i < n; ++i) {                                                     \
      if (x[i] != x[i]) {                                                         \
        if (omit) continue;                                                       \
        *out = NAN;                                                               \
        return 1;                                                                 \
      }                                                                           \
      s[m++] = x[i];                                                              \
    }                                                                             \
    if (m == 0) return 0;                                                         \
    index = (q / 100.0) * (double)(m - 1);                                        \
    lo = (size_t)floor(index);                                                    \
    if (lo > m - 1) lo = m - 1;                                                   \
    t = index - (double)lo;                                                       \
    select_##sfx(s, m, lo);                                                       \
    a = (double)s[lo];                                                            \
    if (t == 0.0 || lo + 1 >= m) {                                                \
      *out = a;                                                                   \
      return 1;                                                                   \
    }                                                                             \
    /* Everything right of lo is >= a: its minimum is the next statistic. */      \
    b = (double)s[lo + 1];                                                        \
    for (i = lo + 2; i < m; ++i) b = (double)s[i] < b ? (double)s[i] : b;         \
    *out = lerp(a, b, t);                                                         \
    return 1;                                                                     \
  }
FB_PERCENTILE_CORE(f32, float)
FB_PERCENTILE_CORE(f64, double)

/* ---- public functions ---------------------------------------------------------- */

/* ---- public functions ---------------------------------------------------------- */

#define FB_PUBLIC(sfx, T)                                                         \
  core_status core_fb_percentile_##sfx(const T *x, size_t n, double q,                 \
                                       core_nan_policy nan, T *scratch,                \
                                       size_t scratch_cap, double *out) {              \
    static const char *const fb_fn = "core_percentile_" #sfx;                          \
    FB_REQUIRE_OUT(out);                                                               \
    FB_REQUIRE_ARRAY(x, n);                                                            \
    FB_REQUIRE_OUT(scratch);                                                           \
    FB_REQUIRE_NAN_POLICY(nan);                                                        \
    FB_REQUIRE(q >= 0.0 && q <= 100.0, "q must be in [0, 100], got %g", q);            \
    FB_CHECK(scratch_cap >= n, CORE_E_BUFFER_TOO_SMALL, "scratch_cap is %zu but n = %zu", \
             scratch_cap, n);                                                          \
    FB_REQUIRE(!fb_overlaps(x, fb_bytes(n, sizeof(T)), scratch,                        \
                            fb_bytes(scratch_cap, sizeof(T))),                         \
               "scratch overlaps x");                                                  \
    FB_CHECK(percentile_##sfx(x, n, q, nan == CORE_NAN_OMIT, scratch, out),            \
             CORE_E_EMPTY, "no values to take a percentile of (n = %zu, all NaN or empty)", \
             n);                                                                       \
    return CORE_OK;                                                                    \
  }
FB_PUBLIC(f32, float)
FB_PUBLIC(f64, double)
