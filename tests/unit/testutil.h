/* Helpers shared by the unit suites: a seeded RNG, exact references and
 * distance in ulps. Test code only; nothing here is part of libcore. */
#ifndef CORE_TESTUTIL_H
#define CORE_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

/* Deterministic generator (splitmix64): same sequence on every machine. */
typedef struct tu_rng { uint64_t state; } tu_rng;
tu_rng tu_rng_make(uint64_t seed);
uint64_t tu_next_u64(tu_rng *r);
double tu_uniform(tu_rng *r);                      /* [0, 1) */
double tu_normal(tu_rng *r, double mean, double sd); /* Box-Muller */

/* Exact-enough references: pairwise sums in long double (80-bit on x86). */
long double tu_sum_ld(const double *x, size_t n);
long double tu_sum_f32_ld(const float *x, size_t n);
/* Two-pass mean and M2 (sum of squared deviations) in long double. */
void tu_moments_ld(const double *x, size_t n, long double *mean, long double *m2);
void tu_moments_f32_ld(const float *x, size_t n, long double *mean, long double *m2);

/* |a - b| in units of the last place of b (double); 0 when both are NaN or
 * equal, INFINITY when exactly one is NaN. */
double tu_ulps(double a, double b);

/* Non-zero when core_last_error_message() is non-empty and contains `needle`
 * (NULL needle: only non-empty). */
int tu_message_has(const char *needle);

#endif
