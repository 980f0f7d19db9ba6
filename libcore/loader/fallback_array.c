/* Portable array functions (array.h): creation, cumsum, normalize, normal
 * pdf and PCM conversion, with libcore/abi/array.cpp's checks and messages.
 *
 * Generators and transforms compute each element with the same float64
 * expression as libcore's kernels (generate_kernels.cc and
 * transform_kernels.cc in libcore/simd), so with the project's
 * -ffp-contract=off their results are bit-identical; the normal
 * pdf uses libm's exp instead of Highway's (a few ulps apart), and cumsum a
 * serial Neumaier sum instead of the library's lane-parallel TwoSum scan
 * (both round a nearly exact prefix sum once per element). */
#include <float.h>

#include "libcore/loader/fallback_util.h"

/* Lengths beyond this cannot be allocated anyway, and keep the index exact
 * as a double (i < 2^53), as in libcore/array/arange.cpp. */
#define FB_MAX_LENGTH 9007199254740992.0 /* 2^53 */

/* ---- arange, linspace ------------------------------------------------------- */

/* NumPy's arange length rule (PyArray_Arange); 0 when not representable. */
static int arange_length(double start, double stop, double step, size_t *n) {
  const double delta = stop - start, len = delta / step;
  double c;
  /* A quotient that underflowed to 0 still yields one element when start and
   * stop differ in the direction of step. */
  if (len == 0.0 && delta != 0.0) {
    *n = (signbit(delta) != 0) == (signbit(step) != 0) ? 1 : 0;
    return 1;
  }
  c = ceil(len);
  if (!(c <= 0.0 || c < FB_MAX_LENGTH)) return 0; /* NaN or too long */
  if (c <= 0.0) {
    *n = 0;
    return 1;
  }
  if (c > (double)SIZE_MAX) return 0;
  *n = (size_t)c;
  return 1;
}

/* out[i] = start + i * step, one multiply and one add in float64, rounded
 * once (libcore's affine_index). Rows of FB_ROW elements: the index of an
 * element is the row's base plus its position, both exact as doubles, and
 * the fixed-length inner loop vectorizes (a running idx += 1 would not). */
#define FB_AFFINE(sfx, T)                                                            \
  FB_HOT static void affine_##sfx(T *restrict out, size_t n, double start,           \
                                  double step) {                                     \
    size_t i = 0;                                                                    \
    int j; /* int: its conversion to double vectorizes, size_t's does not */         \
    for (; i + FB_ROW <= n; i += FB_ROW) {                                           \
      const double base = (double)i;                                                 \
      for (j = 0; j < FB_ROW; ++j) out[i + j] = (T)(start + (base + (double)j) * step); \
    }                                                                                \
    for (; i < n; ++i) out[i] = (T)(start + (double)i * step);                       \
  }
FB_AFFINE(f32, float)
FB_AFFINE(f64, double)

/* The largest element count whose byte size fits in size_t. */
#define FB_MAX_ELEMENTS(T) (SIZE_MAX / sizeof(T))

#define FB_GENERATORS(sfx, T)                                                         \
  static core_status arange_##sfx(const char *fb_fn, double start, double stop,       \
                                  double step, T *out, size_t cap, size_t *n,         \
                                  int length_only) {                                  \
    size_t len = 0;                                                                   \
    FB_REQUIRE_OUT(n);                                                                \
    FB_REQUIRE(isfinite(start) && isfinite(stop) && isfinite(step),                   \
               "start, stop and step must be finite, got %g, %g, %g", start, stop,    \
               step);                                                                 \
    FB_REQUIRE(step != 0.0, "step must not be 0");                                    \
    FB_REQUIRE(arange_length(start, stop, step, &len) && len <= FB_MAX_ELEMENTS(T),   \
               "arange(%g, %g, %g) is too long to allocate", start, stop, step);      \
    if (length_only) {                                                                \
      *n = len;                                                                       \
      return CORE_OK;                                                                 \
    }                                                                                 \
    if (cap < len) {                                                                  \
      *n = len;                                                                       \
      core_fb_set_error(fb_fn, "cap is %zu but arange needs %zu elements", cap, len); \
      return CORE_E_BUFFER_TOO_SMALL;                                                 \
    }                                                                                 \
    FB_REQUIRE_ARRAY(out, len);                                                       \
    affine_##sfx(out, len, start, step);                                              \
    *n = len;                                                                         \
    return CORE_OK;                                                                   \
  }                                                                                   \
  core_status core_fb_arange_##sfx(double start, double stop, double step, T *out,    \
                                   size_t cap, size_t *n) {                           \
    return arange_##sfx("core_arange_" #sfx, start, stop, step, out, cap, n, 0);      \
  }                                                                                   \
  core_status core_fb_linspace_##sfx(double start, double stop, size_t num,           \
                                     int endpoint, T *out) {                          \
    static const char *const fb_fn = "core_linspace_" #sfx;                           \
    size_t div;                                                                       \
    FB_REQUIRE(isfinite(start) && isfinite(stop),                                     \
               "start and stop must be finite, got %g, %g", start, stop);             \
    FB_REQUIRE_ARRAY(out, num);                                                       \
    if (num == 0) return CORE_OK;                                                     \
    div = endpoint ? num - 1 : num;                                                   \
    if (div == 0) { /* num == 1 with endpoint: just start */                          \
      out[0] = (T)start;                                                              \
      return CORE_OK;                                                                 \
    }                                                                                 \
    affine_##sfx(out, num, start, (stop - start) / (double)div);                      \
    if (endpoint) out[num - 1] = (T)stop; /* exactly stop, as promised */             \
    return CORE_OK;                                                                   \
  }                                                                                   \
  core_status core_fb_fill_##sfx(T *out, size_t n, T value) {                         \
    static const char *const fb_fn = "core_fill_" #sfx;                               \
    size_t i, j;                                                                      \
    FB_REQUIRE_ARRAY(out, n);                                                         \
    FB_EACH(i, j, n, out[j] = value);                                                 \
    return CORE_OK;                                                                   \
  }                                                                                   \
  core_status core_fb_zeros_##sfx(T *out, size_t n) {                                 \
    static const char *const fb_fn = "core_zeros_" #sfx;                              \
    size_t i, j;                                                                      \
    FB_REQUIRE_ARRAY(out, n);                                                         \
    FB_EACH(i, j, n, out[j] = (T)0); /* +0.0, as np.zeros */                          \
    return CORE_OK;                                                                   \
  }                                                                                   \
  core_status core_fb_ones_##sfx(T *out, size_t n) {                                  \
    static const char *const fb_fn = "core_ones_" #sfx;                               \
    size_t i, j;                                                                      \
    FB_REQUIRE_ARRAY(out, n);                                                         \
    FB_EACH(i, j, n, out[j] = (T)1);                                                  \
    return CORE_OK;                                                                   \
  }
FB_GENERATORS(f32, float)
FB_GENERATORS(f64, double)

core_status core_fb_arange_len(double start, double stop, double step, size_t *n) {
  /* The float32 element limit, as the library's length helper applies. */
  return arange_f32("core_arange_len", start, stop, step, NULL, 0, n, 1);
}

/* ---- concatenate --------------------------------------------------------------- */

static core_status concat_len(const char *fb_fn, const size_t *lens, size_t count,
                              size_t *n) {
  size_t total = 0, i;
  FB_REQUIRE_OUT(n);
  FB_REQUIRE_ARRAY(lens, count);
  for (i = 0; i < count; ++i) {
    FB_REQUIRE(lens[i] <= SIZE_MAX - total,
               "the lengths overflow size_t (part %zu of %zu, length %zu)", i, count,
               lens[i]);
    total += lens[i];
  }
  *n = total;
  return CORE_OK;
}

core_status core_fb_concat_len(const size_t *lens, size_t count, size_t *n) {
  return concat_len("core_concat_len", lens, count, n);
}

/* Every check before the first byte is copied: a failed call writes nothing. */
static core_status concat(const char *fb_fn, const void *const *parts, const size_t *lens,
                          size_t count, void *out, size_t cap, size_t *n, size_t es) {
  size_t total = 0, i;
  char *o = (char *)out;
  core_status st;
  FB_REQUIRE_OUT(n);
  FB_REQUIRE_ARRAY(parts, count);
  st = concat_len(fb_fn, lens, count, &total);
  if (st != CORE_OK) return st;
  FB_REQUIRE(total <= SIZE_MAX / es, "the total length %zu is too large", total);
  if (cap < total) {
    *n = total;
    core_fb_set_error(fb_fn, "cap is %zu but the parts hold %zu elements", cap, total);
    return CORE_E_BUFFER_TOO_SMALL;
  }
  FB_REQUIRE_ARRAY(out, total);
  for (i = 0; i < count; ++i) {
    FB_REQUIRE(parts[i] != NULL || lens[i] == 0, "parts[%zu] is NULL but lens[%zu] = %zu", i,
               i, lens[i]);
    FB_REQUIRE(!fb_overlaps(parts[i], lens[i] * es, out, total * es),
               "parts[%zu] overlaps out", i);
  }
  for (i = 0; i < count; ++i) {
    if (lens[i] == 0) continue;
    memcpy(o, parts[i], lens[i] * es);
    o += lens[i] * es;
  }
  *n = total;
  return CORE_OK;
}

core_status core_fb_concat_f32(const float *const *parts, const size_t *lens, size_t count,
                               float *out, size_t cap, size_t *n) {
  return concat("core_concat_f32", (const void *const *)parts, lens, count, out, cap, n,
                sizeof *out);
}
core_status core_fb_concat_f64(const double *const *parts, const size_t *lens, size_t count,
                               double *out, size_t cap, size_t *n) {
  return concat("core_concat_f64", (const void *const *)parts, lens, count, out, cap, n,
                sizeof *out);
}

/* ---- cumsum ------------------------------------------------------------------- */

/* Neumaier's compensated running sum in float64 (libcore/simd/carry.h), each
 * prefix rounded once. Once the sum is infinite the correction would be
 * inf - inf: it is frozen, so inf propagates as inf and NaN as NaN. Reads
 * x[i] before writing out[i], so out == x works. */
#define FB_CUMSUM(sfx, T)                                                             \
  core_status core_fb_cumsum_##sfx(const T *x, size_t n, T *out) {                    \
    static const char *const fb_fn = "core_cumsum_" #sfx;                             \
    double sum = 0.0, comp = 0.0;                                                     \
    size_t i;                                                                         \
    FB_REQUIRE_ARRAY(x, n);                                                           \
    FB_REQUIRE_ARRAY(out, n);                                                         \
    FB_REQUIRE((const void *)x == (const void *)out ||                                \
                   !fb_overlaps(x, n * sizeof(T), out, n * sizeof(T)),                \
               "x and out overlap without being the same array");                     \
    for (i = 0; i < n; ++i) {                                                         \
      const double v = (double)x[i], t = sum + v;                                     \
      const double e = fabs(sum) >= fabs(v) ? (sum - t) + v : (v - t) + sum;          \
      comp += isfinite(t) ? e : 0.0;                                                  \
      sum = t;                                                                        \
      out[i] = (T)(isfinite(sum) ? sum + comp : sum);                                 \
    }                                                                                 \
    return CORE_OK;                                                                   \
  }
FB_CUMSUM(f32, float)
FB_CUMSUM(f64, double)

/* ---- normalize, normal pdf -------------------------------------------------- */

/* x[i] = (x[i] - mean) / sd in float64, rounded once (libcore's zscore). */
#define FB_ZSCORE(sfx, T)                                                             \
  FB_HOT static void zscore_##sfx(T *restrict x, size_t n, double mean, double sd) {  \
    size_t i, j;                                                                      \
    FB_EACH(i, j, n, x[j] = (T)(((double)x[j] - mean) / sd));                         \
  }
FB_ZSCORE(f32, float)
FB_ZSCORE(f64, double)

/* exp(-z^2/2) underflows to 0 long before -800; the clamp is the library's
 * (its vector exp needs it), kept so that +-inf gives exactly 0 here too. */
#define FB_MIN_EXP_ARG (-800.0)
#define FB_SQRT_2PI 2.5066282746310002

#define FB_NORMALIZE_PDF(sfx, T)                                                        \
  core_status core_fb_normalize_##sfx(T *x, size_t n, unsigned ddof,                    \
                                      core_nan_policy nan) {                            \
    static const char *const fb_fn = "core_normalize_" #sfx;                            \
    core_stats_t s;                                                                     \
    double var = 0.0, sd;                                                               \
    FB_REQUIRE_ARRAY(x, n);                                                             \
    FB_REQUIRE_NAN_POLICY(nan);                                                         \
    if (n == 0) return CORE_OK;                                                         \
    if (core_fb_stats_##sfx(x, n, nan, &s) != CORE_OK ||                                \
        core_fb_stats_var(&s, ddof, &var) != CORE_OK) /* cannot fail: checked above */ \
      return CORE_E_INTERNAL;                                                           \
    sd = sqrt(var);                                                                     \
    if (!(s.count > ddof)) {                                                            \
      core_fb_set_error(fb_fn,                                                          \
                        "%llu values are not more than ddof = %u; data left unchanged", \
                        (unsigned long long)s.count, ddof);                             \
      return CORE_E_INVALID_ARGUMENT;                                                   \
    }                                                                                   \
    FB_REQUIRE(sd != 0.0,                                                               \
               "the standard deviation is 0 (constant input); data left unchanged");    \
    zscore_##sfx(x, n, s.mean, sd);                                                     \
    return CORE_OK;                                                                     \
  }                                                                                     \
  core_status core_fb_normal_pdf_##sfx(const T *x, size_t n, double mean, double sd,    \
                                       T *out) {                                        \
    static const char *const fb_fn = "core_normal_pdf_" #sfx;                           \
    double norm;                                                                        \
    size_t i;                                                                           \
    FB_REQUIRE_ARRAY(x, n);                                                             \
    FB_REQUIRE_ARRAY(out, n);                                                           \
    FB_REQUIRE(isfinite(mean), "mean must be finite, got %g", mean);                    \
    FB_REQUIRE(isfinite(sd) && sd > 0.0, "std must be finite and > 0, got %g", sd);     \
    FB_REQUIRE((const void *)x == (const void *)out ||                                  \
                   !fb_overlaps(x, n * sizeof(T), out, n * sizeof(T)),                  \
               "x and out overlap without being the same array");                       \
    norm = sd * FB_SQRT_2PI;                                                            \
    for (i = 0; i < n; ++i) {                                                           \
      const double z = ((double)x[i] - mean) / sd;                                      \
      double arg = -0.5 * (z * z);                                                      \
      arg = arg < FB_MIN_EXP_ARG ? FB_MIN_EXP_ARG : arg; /* NaN passes through */      \
      out[i] = (T)(exp(arg) / norm);                                                    \
    }                                                                                   \
    return CORE_OK;                                                                     \
  }
FB_NORMALIZE_PDF(f32, float)
FB_NORMALIZE_PDF(f64, double)

/* ---- PCM ---------------------------------------------------------------------- */

/* in[i] / 32768, exact in both dtypes. */
#define FB_FROM_PCM(sfx, T)                                                              \
  FB_HOT static void from_pcm_##sfx(const int16_t *restrict in, size_t n,                \
                                    T *restrict out) {                                   \
    size_t i, j;                                                                         \
    FB_EACH(i, j, n, out[j] = (T)in[j] * ((T)1 / (T)32768));                             \
  }                                                                                      \
  core_status core_fb_pcm16_to_##sfx(const int16_t *in, size_t n, T *out) {              \
    static const char *const fb_fn = "core_pcm16_to_" #sfx;                              \
    FB_REQUIRE_ARRAY(in, n);                                                             \
    FB_REQUIRE_ARRAY(out, n);                                                            \
    from_pcm_##sfx(in, n, out);                                                          \
    return CORE_OK;                                                                      \
  }
FB_FROM_PCM(f32, float)
FB_FROM_PCM(f64, double)

/* round_half_even(v * 32768) clipped to [-32768, 32767], NaN -> 0; returns how
 * many samples were clipped or NaN. Computed in the input type, as in the
 * library: v * 32768 only shifts the exponent, so it is exact (or +-inf).
 * Adding and subtracting 1.5 * 2^(mantissa bits) rounds to an integer in the
 * default (nearest-even) mode, as libcore's Round and nearbyint do, for
 * |s| < 2^22 (float) or 2^51 (double); beyond that the result is wrong but
 * still far out of range, so it is clipped all the same (inf stays inf, NaN
 * NaN). Branch-free in rows of FB_ROW so the compiler vectorizes it. Without
 * IEEE evaluation in the type itself (x87's excess precision) the trick
 * fails: nearbyint then. */
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
#define FB_ROUND_EVEN(T, s, magic) (((s) + (T)(magic)) - (T)(magic))
#else
#define FB_ROUND_EVEN(T, s, magic) ((T)nearbyint(s))
#endif
#define FB_PCM_ONE(T, magic, k)                                                          \
  do {                                                                                   \
    const T s = in[k] * (T)32768, r = FB_ROUND_EVEN(T, s, magic);                        \
    T q = r == r ? r : (T)0;                                                             \
    c += (unsigned)((r >= (T)-32768) & (r <= (T)32767)) ^ 1u; /* NaN fails both */       \
    q = q < (T)-32768 ? (T)-32768 : q;                                                   \
    q = q > (T)32767 ? (T)32767 : q;                                                     \
    out[k] = (int16_t)(int32_t)q;                                                        \
  } while (0)
#define FB_TO_PCM(sfx, T, magic)                                                         \
  FB_HOT static size_t to_pcm_##sfx(const T *restrict in, size_t n,                      \
                                    int16_t *restrict out) {                             \
    size_t clipped = 0, i = 0, j;                                                        \
    unsigned c;                                                                          \
    for (; i + FB_ROW <= n; i += FB_ROW) {                                               \
      c = 0;                                                                             \
      for (j = i; j < i + FB_ROW; ++j) FB_PCM_ONE(T, magic, j);                          \
      clipped += c;                                                                      \
    }                                                                                    \
    for (c = 0; i < n; ++i) FB_PCM_ONE(T, magic, i);                                     \
    return clipped + c;                                                                  \
  }                                                                                      \
  core_status core_fb_##sfx##_to_pcm16(const T *in, size_t n, int16_t *out,              \
                                       size_t *clipped) {                                \
    static const char *const fb_fn = "core_" #sfx "_to_pcm16";                           \
    size_t c;                                                                            \
    FB_REQUIRE_ARRAY(in, n);                                                             \
    FB_REQUIRE_ARRAY(out, n);                                                            \
    c = to_pcm_##sfx(in, n, out);                                                        \
    if (clipped != NULL) *clipped = c;                                                   \
    return CORE_OK;                                                                      \
  }
FB_TO_PCM(f32, float, 0x1.8p23f)
FB_TO_PCM(f64, double, 0x1.8p52)
