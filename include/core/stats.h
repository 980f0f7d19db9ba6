/*
 * libcore stats module: one-pass SIMD statistics with float64 results.
 *
 * Conventions (see core.h for the ones shared by every header):
 *
 *  1. Accumulation is float64 for both dtypes. core_stats_* reads memory
 *     once: each 2048-element block is swept twice while it sits in L1
 *     (a shifted "corrected two-pass" sum, Chan, Golub & LeVeque 1983) and
 *     blocks are combined with Chan's pairwise merge in a fixed binary tree.
 *     Mean and variance stay within a few ulps of an exact reference even
 *     for 1e8 samples of 1e8 + N(0,1), where a sum of squares fails.
 *  2. Large inputs are reduced in parallel in libcore's task arena; the
 *     block boundaries and merge tree do not depend on the thread count, so
 *     every result is bit-identical for any core_set_num_threads value.
 *  3. NaN: under CORE_NAN_PROPAGATE a NaN makes min, max, sum, mean and the
 *     variance NaN (np.min, np.std); under CORE_NAN_OMIT NaNs are skipped
 *     (np.nanmin, np.nanstd). Either way nan_count counts them. Infinities
 *     follow IEEE arithmetic as in NumPy (mean of [1, inf] is inf, its
 *     variance NaN).
 *  4. Empty input (n == 0, or only NaNs under OMIT) is not an error for
 *     core_stats_*: count is 0, sum 0, and min, max, mean, m2 are NaN.
 *     The conveniences follow NumPy: mean/var/std/energy/rms give NaN, while
 *     min, max and percentile, which NumPy refuses, return CORE_E_EMPTY.
 *  5. Thread safety: any thread. Inputs are only read.
 */
#ifndef CORE_STATS_H
#define CORE_STATS_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A mergeable summary of a sample. Plain data: copy, store and merge it
 * freely (core_stats_merge), e.g. one per stream chunk or per worker. */
typedef struct core_stats_t {
  uint64_t count;     /* values summarized (NaNs excluded under OMIT) */
  uint64_t nan_count; /* NaNs seen */
  double min, max, sum, mean;
  double m2;          /* sum of squared deviations from the mean */
} core_stats_t;

/* ---- summaries ----------------------------------------------------------- */

/* Summarizes x[0, n) in one pass. Returns CORE_E_INVALID_ARGUMENT for out
 * NULL, x NULL with n > 0, or a nan policy outside the enum. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_stats_f32(const float *x, size_t n,
                                                   core_nan_policy nan,
                                                   core_stats_t *out);
CORE_API CORE_NODISCARD core_status core_stats_f64(const double *x, size_t n,
                                                   core_nan_policy nan,
                                                   core_stats_t *out);

/* *out = the summary of the union of the samples summarized by a and b
 * (Chan et al. pairwise update). out may alias a or b. An empty summary is
 * the identity. Returns CORE_E_INVALID_ARGUMENT for a NULL pointer or a
 * count that would overflow. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_stats_merge(const core_stats_t *a,
                                                     const core_stats_t *b,
                                                     core_stats_t *out);

/* Variance m2 / (count - ddof) and its square root. NaN when count <= ddof
 * (NumPy warns and returns NaN or inf there). Returns
 * CORE_E_INVALID_ARGUMENT for s or out NULL. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_stats_var(const core_stats_t *s,
                                                   unsigned ddof, double *out);
CORE_API CORE_NODISCARD core_status core_stats_std(const core_stats_t *s,
                                                   unsigned ddof, double *out);

/* ---- NumPy-named conveniences (NaN propagates) --------------------------- */

/* np.min / np.max. CORE_E_EMPTY for n == 0 (NumPy raises). A NaN input
 * gives NaN. CORE_E_INVALID_ARGUMENT for out NULL or x NULL with n > 0.
 * Since 0.1. */
CORE_API CORE_NODISCARD core_status core_min_f32(const float *x, size_t n, double *out);
CORE_API CORE_NODISCARD core_status core_min_f64(const double *x, size_t n, double *out);
CORE_API CORE_NODISCARD core_status core_max_f32(const float *x, size_t n, double *out);
CORE_API CORE_NODISCARD core_status core_max_f64(const double *x, size_t n, double *out);

/* np.mean, np.var(ddof=), np.std(ddof=). NaN for n == 0 or count <= ddof.
 * CORE_E_INVALID_ARGUMENT for out NULL or x NULL with n > 0. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_mean_f32(const float *x, size_t n, double *out);
CORE_API CORE_NODISCARD core_status core_mean_f64(const double *x, size_t n, double *out);
CORE_API CORE_NODISCARD core_status core_var_f32(const float *x, size_t n, unsigned ddof,
                                                 double *out);
CORE_API CORE_NODISCARD core_status core_var_f64(const double *x, size_t n, unsigned ddof,
                                                 double *out);
CORE_API CORE_NODISCARD core_status core_std_f32(const float *x, size_t n, unsigned ddof,
                                                 double *out);
CORE_API CORE_NODISCARD core_status core_std_f64(const double *x, size_t n, unsigned ddof,
                                                 double *out);

/* ---- two-array statistics ------------------------------------------------ */

/* Dot product sum x[i]*y[i], float64 accumulation in a fixed pairwise tree.
 * 0 for n == 0. CORE_E_INVALID_ARGUMENT for out NULL or an array NULL with
 * n > 0. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_dot_f32(const float *x, const float *y,
                                                 size_t n, double *out);
CORE_API CORE_NODISCARD core_status core_dot_f64(const double *x, const double *y,
                                                 size_t n, double *out);

/* Pearson correlation of x and y (np.corrcoef(x, y)[0, 1]), computed around
 * the means (two passes over memory) and clipped to [-1, 1]. NaN when
 * n < 2, when either input is constant (NumPy sometimes returns +-1 there),
 * or when an input holds NaN. CORE_E_INVALID_ARGUMENT as core_dot.
 * Since 0.1. */
CORE_API CORE_NODISCARD core_status core_corrcoef_f32(const float *x, const float *y,
                                                      size_t n, double *out);
CORE_API CORE_NODISCARD core_status core_corrcoef_f64(const double *x, const double *y,
                                                      size_t n, double *out);

/* ---- signal measures ----------------------------------------------------- */

/* energy = mean of x[i]^2; rms = sqrt(energy). NaN for n == 0.
 * CORE_E_INVALID_ARGUMENT for out NULL or x NULL with n > 0. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_energy_f32(const float *x, size_t n, double *out);
CORE_API CORE_NODISCARD core_status core_energy_f64(const double *x, size_t n, double *out);
CORE_API CORE_NODISCARD core_status core_rms_f32(const float *x, size_t n, double *out);
CORE_API CORE_NODISCARD core_status core_rms_f64(const double *x, size_t n, double *out);

/* Fraction of adjacent pairs (x[i-1], x[i]) whose signs differ, with 0
 * counted as positive, -0.0 too (librosa's zero_pos=True); crossings / (n - 1). NaN
 * for n < 2. A NaN sample counts as negative. CORE_E_INVALID_ARGUMENT for
 * out NULL or x NULL with n > 0. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_zero_crossing_rate_f32(const float *x, size_t n,
                                                                double *out);
CORE_API CORE_NODISCARD core_status core_zero_crossing_rate_f64(const double *x, size_t n,
                                                                double *out);

/* ---- percentile ---------------------------------------------------------- */

/* The q-th percentile, q in [0, 100], with NumPy's default "linear"
 * interpolation (np.percentile / np.nanpercentile). x is copied into the
 * caller's `scratch` (cap >= n elements; its contents afterwards are
 * unspecified) and the needed order statistics are found by selection,
 * O(n) on average; x is not modified. Under CORE_NAN_PROPAGATE a NaN input
 * gives NaN; under CORE_NAN_OMIT NaNs are skipped.
 * Returns CORE_E_EMPTY when no value remains (n == 0 or all NaN under OMIT),
 * CORE_E_BUFFER_TOO_SMALL when scratch_cap < n, CORE_E_INVALID_ARGUMENT for
 * q outside [0, 100] or NaN, out or scratch NULL, x NULL with n > 0, or a
 * bad nan policy. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_percentile_f32(const float *x, size_t n, double q,
                                                        core_nan_policy nan,
                                                        float *scratch, size_t scratch_cap,
                                                        double *out);
CORE_API CORE_NODISCARD core_status core_percentile_f64(const double *x, size_t n, double q,
                                                        core_nan_policy nan,
                                                        double *scratch, size_t scratch_cap,
                                                        double *out);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CORE_STATS_H */
