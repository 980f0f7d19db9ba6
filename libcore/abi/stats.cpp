// extern "C" entry points of stats.h: argument checks, then the module.
#include <core/stats.h>

#include <cmath>
#include <limits>

#include "libcore/abi/guard.h"
#include "libcore/stats/stats.h"

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

template <class T>
core_status stats(const char *fn, const T *x, std::size_t n, core_nan_policy nan,
                  core_stats_t *out) {
  const char *const core_abi_fn_ = fn;
  CORE_REQUIRE_OUT(out);
  CORE_REQUIRE_ARRAY(x, n);
  CORE_REQUIRE_NAN_POLICY(nan);
  *out = core::summarize(x, n, nan == CORE_NAN_OMIT);
  return CORE_OK;
}

// What the NumPy-named conveniences return from a summary.
enum class Pick { kMin, kMax, kMean, kVar, kStd };

template <class T>
core_status convenience(const char *fn, const T *x, std::size_t n, unsigned ddof, Pick pick,
                        double *out) {
  const char *const core_abi_fn_ = fn;
  CORE_REQUIRE_OUT(out);
  CORE_REQUIRE_ARRAY(x, n);
  if (pick == Pick::kMin || pick == Pick::kMax)
    CORE_CHECK(n > 0, CORE_E_EMPTY, "the minimum or maximum of 0 values is undefined");
  const core_stats_t s = core::summarize(x, n, false);
  switch (pick) {
    case Pick::kMin: *out = s.min; break;
    case Pick::kMax: *out = s.max; break;
    case Pick::kMean: *out = s.mean; break;
    case Pick::kVar: *out = core::variance(s, ddof); break;
    case Pick::kStd: *out = std::sqrt(core::variance(s, ddof)); break;
  }
  return CORE_OK;
}

template <class T>
core_status two_arrays(const char *fn, const T *x, const T *y, std::size_t n, bool correlate,
                       double *out) {
  const char *const core_abi_fn_ = fn;
  CORE_REQUIRE_OUT(out);
  CORE_REQUIRE_ARRAY(x, n);
  CORE_REQUIRE_ARRAY(y, n);
  *out = correlate ? core::corrcoef(x, y, n) : core::dot(x, y, n);
  return CORE_OK;
}

template <class T>
core_status energy(const char *fn, const T *x, std::size_t n, bool root, double *out) {
  const char *const core_abi_fn_ = fn;
  CORE_REQUIRE_OUT(out);
  CORE_REQUIRE_ARRAY(x, n);
  const double e = n == 0 ? kNaN : core::sum_squares(x, n) / static_cast<double>(n);
  *out = root ? std::sqrt(e) : e;
  return CORE_OK;
}

template <class T>
core_status zcr(const char *fn, const T *x, std::size_t n, double *out) {
  const char *const core_abi_fn_ = fn;
  CORE_REQUIRE_OUT(out);
  CORE_REQUIRE_ARRAY(x, n);
  *out = n < 2 ? kNaN
               : static_cast<double>(core::sign_changes(x, n)) / static_cast<double>(n - 1);
  return CORE_OK;
}

template <class T>
core_status percentile(const char *fn, const T *x, std::size_t n, double q,
                       core_nan_policy nan, T *scratch, std::size_t cap, double *out) {
  const char *const core_abi_fn_ = fn;
  CORE_REQUIRE_OUT(out);
  CORE_REQUIRE_ARRAY(x, n);
  CORE_REQUIRE_OUT(scratch);
  CORE_REQUIRE_COUNT(scratch, cap);  // a capacity no buffer can have
  CORE_REQUIRE_NAN_POLICY(nan);
  CORE_REQUIRE(q >= 0.0 && q <= 100.0, "q must be in [0, 100], got %g", q);
  CORE_CHECK(cap >= n, CORE_E_BUFFER_TOO_SMALL, "scratch_cap is %zu but n = %zu", cap, n);
  CORE_REQUIRE(!core::abi::overlaps(x, n * sizeof(T), scratch, cap * sizeof(T)),
               "scratch overlaps x");
  CORE_CHECK(core::percentile(x, n, q, nan == CORE_NAN_OMIT, scratch, out), CORE_E_EMPTY,
             "no values to take a percentile of (n = %zu, all NaN or empty)", n);
  return CORE_OK;
}

}  // namespace

extern "C" {

CORE_API core_status core_stats_f32(const float *x, size_t n, core_nan_policy nan,
                                    core_stats_t *out)
    CORE_ENTRY(core_stats_f32, stats(core_abi_fn_, x, n, nan, out))
CORE_API core_status core_stats_f64(const double *x, size_t n, core_nan_policy nan,
                                    core_stats_t *out)
    CORE_ENTRY(core_stats_f64, stats(core_abi_fn_, x, n, nan, out))

CORE_API core_status core_stats_merge(const core_stats_t *a, const core_stats_t *b,
                                      core_stats_t *out) {
  CORE_ABI_BEGIN("core_stats_merge")
  CORE_REQUIRE(a != nullptr && b != nullptr && out != nullptr, "a, b and out must not be NULL");
  CORE_REQUIRE(a->count <= UINT64_MAX - b->count && a->nan_count <= UINT64_MAX - b->nan_count,
               "the merged counts overflow uint64");
  *out = core::merge(*a, *b);
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_stats_var(const core_stats_t *s, unsigned ddof, double *out) {
  CORE_ABI_BEGIN("core_stats_var")
  CORE_REQUIRE(s != nullptr && out != nullptr, "s and out must not be NULL");
  *out = core::variance(*s, ddof);
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_stats_std(const core_stats_t *s, unsigned ddof, double *out) {
  CORE_ABI_BEGIN("core_stats_std")
  CORE_REQUIRE(s != nullptr && out != nullptr, "s and out must not be NULL");
  *out = std::sqrt(core::variance(*s, ddof));
  return CORE_OK;
  CORE_ABI_END
}

#define CORE_CONVENIENCES(sfx, T)                                                          \
  CORE_API core_status core_min_##sfx(const T *x, size_t n, double *out)                   \
      CORE_ENTRY(core_min_##sfx, convenience(core_abi_fn_, x, n, 0, Pick::kMin, out))      \
  CORE_API core_status core_max_##sfx(const T *x, size_t n, double *out)                   \
      CORE_ENTRY(core_max_##sfx, convenience(core_abi_fn_, x, n, 0, Pick::kMax, out))      \
  CORE_API core_status core_mean_##sfx(const T *x, size_t n, double *out)                  \
      CORE_ENTRY(core_mean_##sfx, convenience(core_abi_fn_, x, n, 0, Pick::kMean, out))    \
  CORE_API core_status core_var_##sfx(const T *x, size_t n, unsigned ddof, double *out)    \
      CORE_ENTRY(core_var_##sfx, convenience(core_abi_fn_, x, n, ddof, Pick::kVar, out))   \
  CORE_API core_status core_std_##sfx(const T *x, size_t n, unsigned ddof, double *out)    \
      CORE_ENTRY(core_std_##sfx, convenience(core_abi_fn_, x, n, ddof, Pick::kStd, out))   \
  CORE_API core_status core_dot_##sfx(const T *x, const T *y, size_t n, double *out)       \
      CORE_ENTRY(core_dot_##sfx, two_arrays(core_abi_fn_, x, y, n, false, out))            \
  CORE_API core_status core_corrcoef_##sfx(const T *x, const T *y, size_t n, double *out)  \
      CORE_ENTRY(core_corrcoef_##sfx, two_arrays(core_abi_fn_, x, y, n, true, out))        \
  CORE_API core_status core_energy_##sfx(const T *x, size_t n, double *out)                \
      CORE_ENTRY(core_energy_##sfx, energy(core_abi_fn_, x, n, false, out))                \
  CORE_API core_status core_rms_##sfx(const T *x, size_t n, double *out)                   \
      CORE_ENTRY(core_rms_##sfx, energy(core_abi_fn_, x, n, true, out))                    \
  CORE_API core_status core_zero_crossing_rate_##sfx(const T *x, size_t n, double *out)    \
      CORE_ENTRY(core_zero_crossing_rate_##sfx, zcr(core_abi_fn_, x, n, out))              \
  CORE_API core_status core_percentile_##sfx(const T *x, size_t n, double q,               \
                                             core_nan_policy nan, T *scratch,              \
                                             size_t scratch_cap, double *out)              \
      CORE_ENTRY(core_percentile_##sfx,                                                    \
                 percentile(core_abi_fn_, x, n, q, nan, scratch, scratch_cap, out))

CORE_CONVENIENCES(f32, float)
CORE_CONVENIENCES(f64, double)

}  // extern "C"
