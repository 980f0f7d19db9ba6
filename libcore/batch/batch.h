// Internal C++ interface of the batch module. Arguments are already checked
// by libcore/abi/batch.cpp; these functions only compute (file.cpp also
// meets the outside world, and reports why it failed through FileError).
#ifndef LIBCORE_BATCH_BATCH_H
#define LIBCORE_BATCH_BATCH_H

#include <core/batch.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace core {

// Elements of input per parallel task when many small arrays or frames are
// grouped: tasks of about kBatchGrain elements, or two tasks of half the
// batch when it is smaller, down to kBatchMinTask (so a batch of fewer than
// kBatchMinTask elements stays on the calling thread). Measured with
// tests/bench/bench_batch_grain: see batch.cpp for the figures.
constexpr std::size_t kBatchGrain = 32 * 1024;
constexpr std::size_t kBatchMinTask = 8 * 1024;

// The task size for a batch of `work` elements (task == 0: the default
// rule above; otherwise `task`, which only the grain benchmark passes).
inline std::size_t task_elements(std::size_t work, std::size_t task) {
  if (task != 0) return task;
  const std::size_t half = work / 2;
  return half < kBatchMinTask ? kBatchMinTask : half > kBatchGrain ? kBatchGrain : half;
}

// out[i] = summarize(arrays[i], lens[i], omit_nan), in tasks of
// task_elements(batch elements, task).
template <class T>
void batch_stats(const T *const *arrays, const std::size_t *lens, std::size_t count,
                 bool omit_nan, core_stats_t *out, std::size_t task = 0);

// 1 + (n - frame) / hop; requires 0 < frame <= n and hop > 0.
std::size_t frame_count(std::size_t n, std::size_t frame, std::size_t hop);

// out[i] = summarize(x + i * hop, frame, false) for i < nframes, in tasks
// of task_elements(nframes * frame, task).
template <class T>
void frame_stats(const T *x, std::size_t nframes, std::size_t frame, std::size_t hop,
                 core_stats_t *out, std::size_t task = 0);

// ---- accumulator (accumulator.cpp) ---------------------------------------

constexpr std::uint64_t kAccMagic = 0x636f72652d616363ull;  // "core-acc"
enum AccDtype : std::uint32_t { kAccNone = 0, kAccF32 = 1, kAccF64 = 2 };

void acc_init(core_stats_acc_t *acc, bool omit_nan, std::uint64_t total);
// Precondition (checked by the abi layer): dtype matches or is unset, and
// pushed + n <= total when total > 0.
template <class T>
void acc_push(core_stats_acc_t *acc, const T *x, std::size_t n);
core_stats_t acc_result(const core_stats_acc_t &acc);
// False (dst unchanged) when the merged counts would overflow uint64.
bool acc_merge(core_stats_acc_t *dst, const core_stats_acc_t &src);

// ---- files (file.cpp) ------------------------------------------------------

struct FileError {
  core_status status = CORE_OK;
  std::string detail;  // for the abi layer's message
};

// Summary of values [offset, offset + count) (count 0: to the end) of the
// raw float32 file at path. Returns false with *err filled on failure.
bool stats_file_f32(const char *path, std::uint64_t offset, std::uint64_t count,
                    bool omit_nan, core_stats_t *out, FileError *err);

}  // namespace core

#endif
