// extern "C" entry points of array.h: argument checks, then the module.
#include <core/array.h>

#include <cmath>
#include <cstdint>

#include "libcore/abi/guard.h"
#include "libcore/array/array.h"
#include "libcore/simd/kernels.h"
#include "libcore/stats/stats.h"

namespace {

// The largest element count whose byte size fits in size_t.
template <class T>
constexpr std::size_t max_elements() {
  return SIZE_MAX / sizeof(T);
}

template <class T>
core_status arange(const char *fn, double start, double stop, double step, T *out,
                   std::size_t cap, std::size_t *n, bool length_only = false) {
  const char *const core_abi_fn_ = fn;
  CORE_REQUIRE_OUT(n);
  // A capacity no buffer can have is refused, not trusted (only the NULL
  // check waits for the length: (NULL, 0, &n) asks for it).
  CORE_REQUIRE_COUNT(out, cap);
  CORE_REQUIRE(std::isfinite(start) && std::isfinite(stop) && std::isfinite(step),
               "start, stop and step must be finite, got %g, %g, %g", start, stop, step);
  CORE_REQUIRE(step != 0.0, "step must not be 0");
  std::size_t len = 0;
  CORE_REQUIRE(core::arange_length(start, stop, step, &len) && len <= max_elements<T>(),
               "arange(%g, %g, %g) is too long to allocate", start, stop, step);
  if (length_only) {
    *n = len;
    return CORE_OK;
  }
  if (cap < len) {
    *n = len;
    return core::abi::fail(CORE_E_BUFFER_TOO_SMALL, fn,
                           "cap is %zu but arange needs %zu elements", cap, len);
  }
  CORE_REQUIRE_ARRAY(out, len);
  core::simd::affine_index(out, len, start, step, 0);
  *n = len;
  return CORE_OK;
}

template <class T>
core_status linspace(const char *fn, double start, double stop, std::size_t num, int endpoint,
                     T *out) {
  const char *const core_abi_fn_ = fn;
  CORE_REQUIRE(std::isfinite(start) && std::isfinite(stop),
               "start and stop must be finite, got %g, %g", start, stop);
  CORE_REQUIRE_ARRAY(out, num);
  core::linspace(start, stop, num, endpoint != 0, out);
  return CORE_OK;
}

template <class T>
core_status fill(const char *fn, T *out, std::size_t n, T value) {
  const char *const core_abi_fn_ = fn;
  CORE_REQUIRE_ARRAY(out, n);
  core::simd::fill(out, n, value);
  return CORE_OK;
}

core_status concat_len(const char *fn, const std::size_t *lens, std::size_t count,
                       std::size_t *n) {
  const char *const core_abi_fn_ = fn;
  CORE_REQUIRE_OUT(n);
  CORE_REQUIRE_ARRAY(lens, count);
  std::size_t total = 0;
  for (std::size_t i = 0; i < count; ++i) {
    CORE_REQUIRE(lens[i] <= SIZE_MAX - total,
                 "the lengths overflow size_t (part %zu of %zu, length %zu)", i, count,
                 lens[i]);
    total += lens[i];
  }
  *n = total;
  return CORE_OK;
}

template <class T>
core_status concat(const char *fn, const T *const *parts, const std::size_t *lens,
                   std::size_t count, T *out, std::size_t cap, std::size_t *n) {
  const char *const core_abi_fn_ = fn;
  CORE_REQUIRE_OUT(n);
  CORE_REQUIRE_ARRAY(parts, count);
  CORE_REQUIRE_COUNT(out, cap);  // a capacity no buffer can have
  std::size_t total = 0;
  const core_status st = concat_len(fn, lens, count, &total);
  if (st != CORE_OK) return st;
  CORE_REQUIRE(total <= max_elements<T>(), "the total length %zu is too large", total);
  if (cap < total) {
    *n = total;
    return core::abi::fail(CORE_E_BUFFER_TOO_SMALL, fn,
                           "cap is %zu but the parts hold %zu elements", cap, total);
  }
  CORE_REQUIRE_ARRAY(out, total);
  for (std::size_t i = 0; i < count; ++i) {
    CORE_REQUIRE(parts[i] != nullptr || lens[i] == 0, "parts[%zu] is NULL but lens[%zu] = %zu",
                 i, i, lens[i]);
    CORE_REQUIRE(!core::abi::overlaps(parts[i], lens[i] * sizeof(T), out, total * sizeof(T)),
                 "parts[%zu] overlaps out", i);
  }
  core::concat(parts, lens, count, out);
  *n = total;
  return CORE_OK;
}

template <class T>
core_status cumsum(const char *fn, const T *x, std::size_t n, T *out) {
  const char *const core_abi_fn_ = fn;
  CORE_REQUIRE_ARRAY(x, n);
  CORE_REQUIRE_ARRAY(out, n);
  CORE_REQUIRE(x == out || !core::abi::overlaps(x, n * sizeof(T), out, n * sizeof(T)),
               "x and out overlap without being the same array");
  core::cumsum(x, n, out);
  return CORE_OK;
}

template <class T>
core_status normalize(const char *fn, T *x, std::size_t n, unsigned ddof, core_nan_policy nan) {
  const char *const core_abi_fn_ = fn;
  CORE_REQUIRE_ARRAY(x, n);
  CORE_REQUIRE_NAN_POLICY(nan);
  if (n == 0) return CORE_OK;
  const core_stats_t s = core::summarize(x, n, nan == CORE_NAN_OMIT);
  const double sd = std::sqrt(core::variance(s, ddof));
  if (!(s.count > ddof)) {
    return core::abi::fail(CORE_E_INVALID_ARGUMENT, fn,
                           "%llu values are not more than ddof = %u; data left unchanged",
                           (unsigned long long)s.count, ddof);
  }
  CORE_REQUIRE(sd != 0.0, "the standard deviation is 0 (constant input); data left unchanged");
  core::simd::zscore(x, n, s.mean, sd);
  return CORE_OK;
}

template <class T>
core_status normal_pdf(const char *fn, const T *x, std::size_t n, double mean, double sd,
                       T *out) {
  const char *const core_abi_fn_ = fn;
  CORE_REQUIRE_ARRAY(x, n);
  CORE_REQUIRE_ARRAY(out, n);
  CORE_REQUIRE(std::isfinite(mean), "mean must be finite, got %g", mean);
  CORE_REQUIRE(std::isfinite(sd) && sd > 0.0, "std must be finite and > 0, got %g", sd);
  CORE_REQUIRE(x == out || !core::abi::overlaps(x, n * sizeof(T), out, n * sizeof(T)),
               "x and out overlap without being the same array");
  core::simd::normal_pdf(x, n, mean, sd, out);
  return CORE_OK;
}

template <class T>
core_status from_pcm16(const char *fn, const std::int16_t *in, std::size_t n, T *out) {
  const char *const core_abi_fn_ = fn;
  CORE_REQUIRE_ARRAY(in, n);
  CORE_REQUIRE_ARRAY(out, n);
  core::simd::pcm16_to_float(in, n, out);
  return CORE_OK;
}

template <class T>
core_status to_pcm16(const char *fn, const T *in, std::size_t n, std::int16_t *out,
                     std::size_t *clipped) {
  const char *const core_abi_fn_ = fn;
  CORE_REQUIRE_ARRAY(in, n);
  CORE_REQUIRE_ARRAY(out, n);
  const std::size_t c = core::simd::float_to_pcm16(in, n, out);
  if (clipped != nullptr) *clipped = c;
  return CORE_OK;
}

}  // namespace

extern "C" {

CORE_API core_status core_arange_len(double start, double stop, double step, size_t *n)
    CORE_ENTRY(core_arange_len,
               arange<float>(core_abi_fn_, start, stop, step, nullptr, 0, n, true))

CORE_API core_status core_arange_f32(double start, double stop, double step, float *out,
                                     size_t cap, size_t *n)
    CORE_ENTRY(core_arange_f32, arange(core_abi_fn_, start, stop, step, out, cap, n))
CORE_API core_status core_arange_f64(double start, double stop, double step, double *out,
                                     size_t cap, size_t *n)
    CORE_ENTRY(core_arange_f64, arange(core_abi_fn_, start, stop, step, out, cap, n))

CORE_API core_status core_linspace_f32(double start, double stop, size_t num, int endpoint,
                                       float *out)
    CORE_ENTRY(core_linspace_f32, linspace(core_abi_fn_, start, stop, num, endpoint, out))
CORE_API core_status core_linspace_f64(double start, double stop, size_t num, int endpoint,
                                       double *out)
    CORE_ENTRY(core_linspace_f64, linspace(core_abi_fn_, start, stop, num, endpoint, out))

CORE_API core_status core_fill_f32(float *out, size_t n, float value)
    CORE_ENTRY(core_fill_f32, fill(core_abi_fn_, out, n, value))
CORE_API core_status core_fill_f64(double *out, size_t n, double value)
    CORE_ENTRY(core_fill_f64, fill(core_abi_fn_, out, n, value))
CORE_API core_status core_zeros_f32(float *out, size_t n)
    CORE_ENTRY(core_zeros_f32, fill(core_abi_fn_, out, n, 0.0f))
CORE_API core_status core_zeros_f64(double *out, size_t n)
    CORE_ENTRY(core_zeros_f64, fill(core_abi_fn_, out, n, 0.0))
CORE_API core_status core_ones_f32(float *out, size_t n)
    CORE_ENTRY(core_ones_f32, fill(core_abi_fn_, out, n, 1.0f))
CORE_API core_status core_ones_f64(double *out, size_t n)
    CORE_ENTRY(core_ones_f64, fill(core_abi_fn_, out, n, 1.0))

CORE_API core_status core_concat_len(const size_t *lens, size_t count, size_t *n)
    CORE_ENTRY(core_concat_len, concat_len(core_abi_fn_, lens, count, n))
CORE_API core_status core_concat_f32(const float *const *parts, const size_t *lens,
                                     size_t count, float *out, size_t cap, size_t *n)
    CORE_ENTRY(core_concat_f32, concat(core_abi_fn_, parts, lens, count, out, cap, n))
CORE_API core_status core_concat_f64(const double *const *parts, const size_t *lens,
                                     size_t count, double *out, size_t cap, size_t *n)
    CORE_ENTRY(core_concat_f64, concat(core_abi_fn_, parts, lens, count, out, cap, n))

CORE_API core_status core_cumsum_f32(const float *x, size_t n, float *out)
    CORE_ENTRY(core_cumsum_f32, cumsum(core_abi_fn_, x, n, out))
CORE_API core_status core_cumsum_f64(const double *x, size_t n, double *out)
    CORE_ENTRY(core_cumsum_f64, cumsum(core_abi_fn_, x, n, out))

CORE_API core_status core_normalize_f32(float *x, size_t n, unsigned ddof, core_nan_policy nan)
    CORE_ENTRY(core_normalize_f32, normalize(core_abi_fn_, x, n, ddof, nan))
CORE_API core_status core_normalize_f64(double *x, size_t n, unsigned ddof,
                                        core_nan_policy nan)
    CORE_ENTRY(core_normalize_f64, normalize(core_abi_fn_, x, n, ddof, nan))

CORE_API core_status core_normal_pdf_f32(const float *x, size_t n, double mean, double std,
                                         float *out)
    CORE_ENTRY(core_normal_pdf_f32, normal_pdf(core_abi_fn_, x, n, mean, std, out))
CORE_API core_status core_normal_pdf_f64(const double *x, size_t n, double mean, double std,
                                         double *out)
    CORE_ENTRY(core_normal_pdf_f64, normal_pdf(core_abi_fn_, x, n, mean, std, out))

CORE_API core_status core_pcm16_to_f32(const int16_t *in, size_t n, float *out)
    CORE_ENTRY(core_pcm16_to_f32, from_pcm16(core_abi_fn_, in, n, out))
CORE_API core_status core_pcm16_to_f64(const int16_t *in, size_t n, double *out)
    CORE_ENTRY(core_pcm16_to_f64, from_pcm16(core_abi_fn_, in, n, out))
CORE_API core_status core_f32_to_pcm16(const float *in, size_t n, int16_t *out,
                                       size_t *clipped)
    CORE_ENTRY(core_f32_to_pcm16, to_pcm16(core_abi_fn_, in, n, out, clipped))
CORE_API core_status core_f64_to_pcm16(const double *in, size_t n, int16_t *out,
                                       size_t *clipped)
    CORE_ENTRY(core_f64_to_pcm16, to_pcm16(core_abi_fn_, in, n, out, clipped))

}  // extern "C"
