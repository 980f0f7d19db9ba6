// extern "C" entry points of batch.h: argument checks, then the module.
#include <core/batch.h>

#include <cstdint>

#include "libcore/abi/guard.h"
#include "libcore/batch/batch.h"

namespace {

template <class T>
core_status batch(const char *fn, const T *const *arrays, const size_t *lens, size_t count,
                  core_nan_policy nan, core_stats_t *out) {
  const char *const core_abi_fn_ = fn;
  CORE_REQUIRE_NAN_POLICY(nan);
  if (count == 0) return CORE_OK;
  CORE_REQUIRE_ARRAY(arrays, count);
  CORE_REQUIRE_ARRAY(lens, count);
  CORE_REQUIRE_ARRAY(out, count);
  // Every array is checked before anything is computed, so an error leaves
  // out untouched.
  size_t total = 0;
  for (size_t i = 0; i < count; ++i) {
    CORE_REQUIRE(arrays[i] != nullptr || lens[i] == 0,
                 "arrays[%zu] is NULL but lens[%zu] = %zu", i, i, lens[i]);
    CORE_REQUIRE(lens[i] <= SIZE_MAX - total,
                 "the sum of lens overflows size_t at lens[%zu] = %zu", i, lens[i]);
    total += lens[i];
  }
  const size_t out_bytes = count * sizeof(core_stats_t);
  CORE_REQUIRE(!core::abi::overlaps(out, out_bytes, arrays, count * sizeof(*arrays)) &&
                   !core::abi::overlaps(out, out_bytes, lens, count * sizeof(*lens)),
               "out overlaps arrays or lens");
  core::batch_stats(arrays, lens, count, nan == CORE_NAN_OMIT, out);
  return CORE_OK;
}

// The checks core_stats_frames_len and core_stats_frames_* share.
#define CORE_REQUIRE_FRAMES(n, frame, hop)                                                 \
  do {                                                                                     \
    CORE_REQUIRE((frame) > 0, "frame must be > 0");                                        \
    CORE_REQUIRE((hop) > 0, "hop must be > 0");                                            \
    CORE_REQUIRE((frame) <= (n), "frame = %zu is longer than the signal, n = %zu", (frame), \
                 (n));                                                                     \
  } while (0)

core_status frames_len(const char *fn, size_t n, size_t frame, size_t hop, size_t *frames) {
  const char *const core_abi_fn_ = fn;
  CORE_REQUIRE_OUT(frames);
  CORE_REQUIRE_FRAMES(n, frame, hop);
  *frames = core::frame_count(n, frame, hop);
  return CORE_OK;
}

template <class T>
core_status frame_stats(const char *fn, const T *x, size_t n, size_t frame, size_t hop,
                   core_stats_t *out, size_t cap, size_t *frames) {
  const char *const core_abi_fn_ = fn;
  CORE_REQUIRE_OUT(frames);
  CORE_REQUIRE_ARRAY(x, n);
  CORE_REQUIRE_ARRAY(out, cap);
  CORE_REQUIRE_FRAMES(n, frame, hop);
  const size_t need = core::frame_count(n, frame, hop);
  if (cap < need) {
    *frames = need;
    return core::abi::fail(CORE_E_BUFFER_TOO_SMALL, fn, "cap is %zu but there are %zu frames",
                           cap, need);
  }
  CORE_REQUIRE(!core::abi::overlaps(x, n * sizeof(T), out, need * sizeof(core_stats_t)),
               "out overlaps x");
  core::frame_stats(x, need, frame, hop, out);
  *frames = need;
  return CORE_OK;
}

// An accumulator is caller memory: besides the magic set by init, check the
// fields the code indexes with, so a corrupted one is refused, not trusted.
#define CORE_REQUIRE_ACC(acc)                                                            \
  do {                                                                                   \
    CORE_REQUIRE_OUT(acc);                                                               \
    CORE_REQUIRE((acc)->magic == core::kAccMagic,                                        \
                 "%s is not initialized (call core_stats_acc_init first)", #acc);        \
    CORE_REQUIRE((acc)->depth <= CORE_STATS_ACC_DEPTH && (acc)->dtype <= core::kAccF64 && \
                     (acc)->nan_policy <= CORE_NAN_OMIT &&                               \
                     ((acc)->total == 0 || (acc)->pushed <= (acc)->total),               \
                 "%s is corrupted (a field is out of range)", #acc);                     \
  } while (0)

template <class T>
core_status acc_push(const char *fn, core_stats_acc_t *acc, const T *x, size_t n) {
  const char *const core_abi_fn_ = fn;
  constexpr uint32_t mine = sizeof(T) == sizeof(float) ? core::kAccF32 : core::kAccF64;
  CORE_REQUIRE_ACC(acc);
  CORE_REQUIRE_ARRAY(x, n);
  if (n == 0) return CORE_OK;
  CORE_REQUIRE(acc->dtype == core::kAccNone || acc->dtype == mine,
               "the accumulator holds %s values; it cannot take %s ones",
               acc->dtype == core::kAccF32 ? "f32" : "f64", mine == core::kAccF32 ? "f32" : "f64");
  if (acc->total != 0)
    CORE_REQUIRE(n <= acc->total - acc->pushed,
                 "pushing %zu values would exceed the declared total of %llu (%llu pushed)", n,
                 (unsigned long long)acc->total, (unsigned long long)acc->pushed);
  else
    CORE_REQUIRE(n <= UINT64_MAX - acc->pushed, "the value count would overflow uint64");
  core::acc_push(acc, x, n);
  return CORE_OK;
}

}  // namespace

extern "C" {

CORE_API core_status core_batch_stats_f32(const float *const *arrays, const size_t *lens,
                                          size_t count, core_nan_policy nan, core_stats_t *out)
    CORE_ENTRY(core_batch_stats_f32, batch(core_abi_fn_, arrays, lens, count, nan, out))
CORE_API core_status core_batch_stats_f64(const double *const *arrays, const size_t *lens,
                                          size_t count, core_nan_policy nan, core_stats_t *out)
    CORE_ENTRY(core_batch_stats_f64, batch(core_abi_fn_, arrays, lens, count, nan, out))

CORE_API core_status core_stats_frames_len(size_t n, size_t frame, size_t hop, size_t *frames)
    CORE_ENTRY(core_stats_frames_len, frames_len(core_abi_fn_, n, frame, hop, frames))
CORE_API core_status core_stats_frames_f32(const float *x, size_t n, size_t frame, size_t hop,
                                           core_stats_t *out, size_t cap, size_t *frames)
    CORE_ENTRY(core_stats_frames_f32,
               frame_stats(core_abi_fn_, x, n, frame, hop, out, cap, frames))
CORE_API core_status core_stats_frames_f64(const double *x, size_t n, size_t frame, size_t hop,
                                           core_stats_t *out, size_t cap, size_t *frames)
    CORE_ENTRY(core_stats_frames_f64,
               frame_stats(core_abi_fn_, x, n, frame, hop, out, cap, frames))

CORE_API core_status core_stats_acc_init(core_stats_acc_t *acc, core_nan_policy nan,
                                         uint64_t total) {
  CORE_ABI_BEGIN("core_stats_acc_init")
  CORE_REQUIRE_OUT(acc);
  CORE_REQUIRE_NAN_POLICY(nan);
  core::acc_init(acc, nan == CORE_NAN_OMIT, total);
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_stats_acc_push_f32(core_stats_acc_t *acc, const float *x, size_t n)
    CORE_ENTRY(core_stats_acc_push_f32, acc_push(core_abi_fn_, acc, x, n))
CORE_API core_status core_stats_acc_push_f64(core_stats_acc_t *acc, const double *x, size_t n)
    CORE_ENTRY(core_stats_acc_push_f64, acc_push(core_abi_fn_, acc, x, n))

CORE_API core_status core_stats_acc_merge(core_stats_acc_t *dst, const core_stats_acc_t *src) {
  CORE_ABI_BEGIN("core_stats_acc_merge")
  CORE_REQUIRE_ACC(dst);
  CORE_REQUIRE_ACC(src);
  CORE_REQUIRE(dst->nan_policy == src->nan_policy,
               "dst and src have different nan policies (%u and %u)", dst->nan_policy,
               src->nan_policy);
  CORE_REQUIRE(core::acc_merge(dst, *src), "the merged counts would overflow uint64");
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_stats_acc_result(const core_stats_acc_t *acc, core_stats_t *out) {
  CORE_ABI_BEGIN("core_stats_acc_result")
  CORE_REQUIRE_ACC(acc);
  CORE_REQUIRE_OUT(out);
  *out = core::acc_result(*acc);
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_stats_file_f32(const char *path, uint64_t offset, uint64_t count,
                                         core_nan_policy nan, core_stats_t *out) {
  CORE_ABI_BEGIN("core_stats_file_f32")
  CORE_REQUIRE_OUT(path);
  CORE_REQUIRE_OUT(out);
  CORE_REQUIRE_NAN_POLICY(nan);
  core::FileError err;
  core_stats_t s;
  if (!core::stats_file_f32(path, offset, count, nan == CORE_NAN_OMIT, &s, &err))
    return core::abi::fail(err.status, core_abi_fn_, "%s", err.detail.c_str());
  *out = s;
  return CORE_OK;
  CORE_ABI_END
}

}  // extern "C"
