#include "testutil.h"

#include <math.h>
#include <string.h>

#include <core/core.h>

tu_rng tu_rng_make(uint64_t seed) { tu_rng r = {seed}; return r; }

uint64_t tu_next_u64(tu_rng *r) {
  uint64_t z = (r->state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

double tu_uniform(tu_rng *r) { return (double)(tu_next_u64(r) >> 11) * 0x1.0p-53; }

double tu_normal(tu_rng *r, double mean, double sd) {
  double u1 = tu_uniform(r), u2 = tu_uniform(r);
  if (u1 < 1e-300) u1 = 1e-300;
  return mean + sd * sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* Pairwise recursion keeps the long double rounding error at O(log n). */
#define TU_PAIRWISE(NAME, T)                                             \
  long double NAME(const T *x, size_t n) {                               \
    if (n <= 64) {                                                       \
      long double s = 0.0L;                                              \
      for (size_t i = 0; i < n; ++i) s += (long double)x[i];             \
      return s;                                                          \
    }                                                                    \
    size_t h = n / 2;                                                    \
    return NAME(x, h) + NAME(x + h, n - h);                              \
  }
TU_PAIRWISE(tu_sum_ld, double)
TU_PAIRWISE(tu_sum_f32_ld, float)

#define TU_DEV2(NAME, T)                                                 \
  static long double NAME(const T *x, size_t n, long double mean) {      \
    if (n <= 64) {                                                       \
      long double s = 0.0L;                                              \
      for (size_t i = 0; i < n; ++i) {                                   \
        long double d = (long double)x[i] - mean;                        \
        s += d * d;                                                      \
      }                                                                  \
      return s;                                                          \
    }                                                                    \
    size_t h = n / 2;                                                    \
    return NAME(x, h, mean) + NAME(x + h, n - h, mean);                  \
  }
TU_DEV2(dev2_f64, double)
TU_DEV2(dev2_f32, float)

void tu_moments_ld(const double *x, size_t n, long double *mean, long double *m2) {
  *mean = tu_sum_ld(x, n) / (long double)n;
  *m2 = dev2_f64(x, n, *mean);
}

void tu_moments_f32_ld(const float *x, size_t n, long double *mean, long double *m2) {
  *mean = tu_sum_f32_ld(x, n) / (long double)n;
  *m2 = dev2_f32(x, n, *mean);
}

double tu_ulps(double a, double b) {
  if (isnan(a) && isnan(b)) return 0.0;
  if (isnan(a) || isnan(b)) return INFINITY;
  if (a == b) return 0.0;
  double ulp = nextafter(fabs(b), INFINITY) - fabs(b);
  return fabs(a - b) / ulp;
}

int tu_message_has(const char *needle) {
  const char *msg = core_last_error_message();
  if (msg == NULL || msg[0] == '\0') return 0;
  return needle == NULL || strstr(msg, needle) != NULL;
}
