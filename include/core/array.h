/*
 * libcore array module: NumPy-style array creation and element-wise
 * transforms into caller buffers, float32 (_f32) and float64 (_f64).
 *
 * Conventions (see core.h for the ones shared by every header):
 *
 *  1. Every function writes into a buffer the caller owns. Where the output
 *     length is not given by the caller, a _len helper computes it and the
 *     writer takes a capacity `cap`: too small a `cap` returns
 *     CORE_E_BUFFER_TOO_SMALL and writes the needed length to `*n`.
 *  2. Values are computed in float64 and rounded once to float32 for the
 *     _f32 variants, so both dtypes agree to the last float32 bit.
 *  3. Element i of arange is start + i*step and of linspace start + i*step
 *     with step = (stop - start) / div: computed from i, never by a running
 *     sum, so the error does not grow along the array. NumPy computes
 *     arange's step as (start + step) - start, which can differ from `step`
 *     in the last bit; libcore uses `step` exactly as given.
 *  4. Non-finite start, stop or step is CORE_E_INVALID_ARGUMENT (NumPy
 *     raises for arange and silently fills NaN for linspace; libcore refuses
 *     both rather than hand back an array of NaN).
 *  5. Thread safety: any thread; distinct output buffers per call.
 */
#ifndef CORE_ARRAY_H
#define CORE_ARRAY_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- arange -------------------------------------------------------------- */

/* Length of arange(start, stop, step): ceil((stop - start) / step), or 0
 * when that is negative (NumPy's rule, including its answer of 1 when the
 * quotient underflows to 0 with matching signs). arange(0, 1, 0.1) has 10.
 * Returns CORE_E_INVALID_ARGUMENT for n NULL, step 0, a non-finite argument,
 * or a length that does not fit in size_t / addressable memory.
 * Since 0.1. */
CORE_API CORE_NODISCARD core_status core_arange_len(double start, double stop,
                                                    double step, size_t *n);

/* Writes arange(start, stop, step) to out[0, *n). `out` may be NULL only if
 * the length is 0. Errors as core_arange_len, plus CORE_E_BUFFER_TOO_SMALL
 * (needed length in *n, nothing written) when cap < length; that check comes
 * first, so (NULL, 0, &n) also asks for the length. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_arange_f32(double start, double stop,
                                                    double step, float *out,
                                                    size_t cap, size_t *n);
CORE_API CORE_NODISCARD core_status core_arange_f64(double start, double stop,
                                                    double step, double *out,
                                                    size_t cap, size_t *n);

/* ---- linspace ------------------------------------------------------------ */

/* Writes num evenly spaced values from start to stop to out[0, num).
 * endpoint != 0 includes stop (div = num - 1) and the last element is
 * exactly stop (rounded once to the dtype); endpoint == 0 excludes it
 * (div = num). num == 1 writes start. num == 0 writes nothing and returns
 * CORE_OK, as NumPy returns an empty array; out may then be NULL.
 * Returns CORE_E_INVALID_ARGUMENT for out NULL with num > 0, or non-finite
 * start or stop. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_linspace_f32(double start, double stop,
                                                      size_t num, int endpoint,
                                                      float *out);
CORE_API CORE_NODISCARD core_status core_linspace_f64(double start, double stop,
                                                      size_t num, int endpoint,
                                                      double *out);

/* ---- fill, zeros, ones --------------------------------------------------- */

/* out[0, n) = value (NumPy full); zeros and ones are the 0 and 1 cases.
 * Any value, NaN included, is allowed. Returns CORE_E_INVALID_ARGUMENT for
 * out NULL with n > 0. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_fill_f32(float *out, size_t n, float value);
CORE_API CORE_NODISCARD core_status core_fill_f64(double *out, size_t n, double value);
CORE_API CORE_NODISCARD core_status core_zeros_f32(float *out, size_t n);
CORE_API CORE_NODISCARD core_status core_zeros_f64(double *out, size_t n);
CORE_API CORE_NODISCARD core_status core_ones_f32(float *out, size_t n);
CORE_API CORE_NODISCARD core_status core_ones_f64(double *out, size_t n);

/* ---- concatenate --------------------------------------------------------- */

/* Total length of `count` parts: *n = sum of lens[0, count). Returns
 * CORE_E_INVALID_ARGUMENT for n NULL, lens NULL with count > 0, or a sum
 * that overflows size_t. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_concat_len(const size_t *lens,
                                                    size_t count, size_t *n);

/* Copies parts[0], ..., parts[count-1] (lengths lens[i]) one after another
 * into out and writes the total length to *n. parts[i] may be NULL only if
 * lens[i] == 0. No part may overlap out[0, total) (checked:
 * CORE_E_INVALID_ARGUMENT, nothing written).
 * Errors as core_concat_len, plus CORE_E_INVALID_ARGUMENT for parts NULL
 * with count > 0 or out NULL with a non-zero total, and
 * CORE_E_BUFFER_TOO_SMALL (total in *n, nothing written) when cap < total.
 * Since 0.1. */
CORE_API CORE_NODISCARD core_status core_concat_f32(const float *const *parts,
                                                    const size_t *lens, size_t count,
                                                    float *out, size_t cap, size_t *n);
CORE_API CORE_NODISCARD core_status core_concat_f64(const double *const *parts,
                                                    const size_t *lens, size_t count,
                                                    double *out, size_t cap, size_t *n);

/* ---- cumsum -------------------------------------------------------------- */

/* out[i] = x[0] + ... + x[i], accumulated in float64 with Neumaier
 * compensation (both dtypes) and rounded once per element, so the error does
 * not grow with n the way NumPy's running float32 sum does; float64 results
 * are within 1 ulp of the exact prefix sums. In-place use (out == x) is
 * allowed; other overlap is not (CORE_E_INVALID_ARGUMENT). NaN and
 * infinities in x propagate as in NumPy. A float32 prefix sum beyond the
 * float32 range is stored as +-inf for that element only: the float64
 * accumulator itself does not overflow, unlike NumPy's float32 one.
 * Returns CORE_E_INVALID_ARGUMENT for x or out NULL with n > 0. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_cumsum_f32(const float *x, size_t n, float *out);
CORE_API CORE_NODISCARD core_status core_cumsum_f64(const double *x, size_t n, double *out);

/* ---- normalize (z-score) ------------------------------------------------- */

/* In place: x[i] = (x[i] - mean) / std, with std computed with `ddof`
 * (scipy.stats.zscore). Under CORE_NAN_OMIT the moments skip NaNs and NaNs
 * stay NaN; under CORE_NAN_PROPAGATE a NaN makes every element NaN, as in
 * NumPy. n == 0 is a no-op.
 * When the data cannot be normalized the buffer is left untouched and the
 * call fails with CORE_E_INVALID_ARGUMENT: a standard deviation of 0
 * (constant input, where NumPy would write NaN everywhere) or not more values
 * than ddof. Also CORE_E_INVALID_ARGUMENT for x NULL with n > 0 or a bad
 * nan policy. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_normalize_f32(float *x, size_t n, unsigned ddof,
                                                       core_nan_policy nan);
CORE_API CORE_NODISCARD core_status core_normalize_f64(double *x, size_t n, unsigned ddof,
                                                       core_nan_policy nan);

/* ---- normal pdf ---------------------------------------------------------- */

/* out[i] = exp(-((x[i] - mean) / std)^2 / 2) / (std * sqrt(2 pi))
 * (scipy.stats.norm.pdf). Accurate to a few float32 ulps for _f32 and
 * ~1e-15 relative for _f64 (Highway's vectorized exp). In-place use
 * (out == x) is allowed. Returns CORE_E_INVALID_ARGUMENT for NULL arrays
 * with n > 0, non-finite mean, or std not finite and > 0. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_normal_pdf_f32(const float *x, size_t n,
                                                        double mean, double std,
                                                        float *out);
CORE_API CORE_NODISCARD core_status core_normal_pdf_f64(const double *x, size_t n,
                                                        double mean, double std,
                                                        double *out);

/* ---- PCM conversion ------------------------------------------------------ */

/* out[i] = in[i] / 32768: int16 PCM to [-1, 1). Exact. Returns
 * CORE_E_INVALID_ARGUMENT for NULL arrays with n > 0. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_pcm16_to_f32(const int16_t *in, size_t n,
                                                      float *out);
CORE_API CORE_NODISCARD core_status core_pcm16_to_f64(const int16_t *in, size_t n,
                                                      double *out);

/* out[i] = round_half_even(in[i] * 32768) clipped to [-32768, 32767]; the
 * exact inverse of core_pcm16_to_f32 on its outputs. NaN becomes 0. When
 * clipped is not NULL, *clipped is set to the number of samples that were
 * clipped or NaN in this call, so saturation is never silent. Returns CORE_E_INVALID_ARGUMENT for
 * NULL arrays with n > 0. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_f32_to_pcm16(const float *in, size_t n,
                                                      int16_t *out, size_t *clipped);
CORE_API CORE_NODISCARD core_status core_f64_to_pcm16(const double *in, size_t n,
                                                      int16_t *out, size_t *clipped);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CORE_ARRAY_H */
