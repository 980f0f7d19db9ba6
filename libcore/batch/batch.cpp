// Statistics over many arrays: small arrays grouped into tasks of about
// kBatchGrain elements, large ones split into blocks by summarize itself.
//
// Each array's summary is core::summarize on that array alone, so it is
// bit for bit what core_stats_f32/_f64 returns, whichever task, thread or
// grouping computed it: grouping only decides who does the work.
//
// The task sizes (kBatchGrain, kBatchMinTask in batch.h) were measured with
// build/tests/bench/bench_batch_grain on the 2-core AVX3 development VM
// (shared with other builds; each figure is the best of 40 alternating
// runs, libcore at 2 threads):
//   10,000 arrays of 1,000 floats: serial 3.0 ms; tasks of 4 Ki elements
//   1.62 ms, 16 Ki 1.59, 32 Ki 1.52, 64 Ki 1.49, 128 Ki 1.47, 256 Ki 1.49,
//   1 Mi 1.55 (32 Ki to 256 Ki are equal within the noise);
//   k arrays of 1,000 floats, one array per task against serial: 8 Ki
//   elements 1.0-1.3x, 16 Ki 1.1-1.2x, 32 Ki 1.3-1.4x, 64 Ki 1.6-1.7x,
//   128 Ki 1.7-1.9x.
// Hence tasks of 32 Ki elements, and smaller batches cut in two tasks of at
// least 8 Ki, so a second thread helps from about 16 Ki elements on.
#include <vector>

#include "libcore/batch/batch.h"
#include "libcore/runtime/parallel.h"
#include "libcore/simd/kernels.h"
#include "libcore/stats/stats.h"

namespace core {

namespace {

// From this length summarize splits an array into parallel blocks itself,
// so such an array is not put in a group (runtime/parallel.h).
constexpr std::size_t kLargeArray = kParallelMinBlocks * simd::kBlock;

// What one array costs beyond its elements (the call, the block setup and
// the write of its summary), in elements: ~20 ns at ~6 elements per ns.
// It keeps a batch of many empty or tiny arrays from becoming one task.
constexpr std::size_t kPerArrayCost = 128;

// Asks for the first block of an array (at most 8 or 16 KiB) to be brought
// into cache while the previous one is summarized. A 1,000-element array
// is too short for the hardware prefetcher to lock on, and the moments
// kernel prefetches only within an array. On the VM above, 10,000 arrays
// of 1,000 floats on 1 thread, best of 60 alternating runs: 2.85 ms
// without, 2.81 with, on an idle machine; 3.9-4.1 ms without and 3.2-3.35
// with while other processes loaded the memory system. Prefetching two or
// four arrays ahead was no better.
template <class T>
void prefetch_first_block(const T *x, std::size_t n) {
  const std::size_t bytes = (n < simd::kBlock ? n : simd::kBlock) * sizeof(T);
  const char *p = reinterpret_cast<const char *>(x);
  for (std::size_t off = 0; off < bytes; off += 64) __builtin_prefetch(p + off);
}

}  // namespace

template <class T>
void batch_stats(const T *const *arrays, const std::size_t *lens, std::size_t count,
                 bool omit_nan, core_stats_t *out, std::size_t task_size) {
  std::size_t total = 0;
  for (std::size_t i = 0; i < count; ++i)
    if (lens[i] < kLargeArray) total += lens[i] + kPerArrayCost;
  const std::size_t grain = task_elements(total, task_size);

  // Task t covers arrays [starts[t], starts[t + 1]) apart from large ones.
  std::vector<std::size_t> starts{0};
  std::size_t work = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (lens[i] >= kLargeArray) continue;
    work += lens[i] + kPerArrayCost;
    if (work >= grain) {
      starts.push_back(i + 1);
      work = 0;
    }
  }
  if (starts.back() != count) starts.push_back(count);

  auto task = [&](std::size_t t) {
    for (std::size_t i = starts[t]; i < starts[t + 1]; ++i) {
      if (lens[i] >= kLargeArray) continue;
      if (i + 1 < starts[t + 1]) prefetch_first_block(arrays[i + 1], lens[i + 1]);
      out[i] = summarize(arrays[i], lens[i], omit_nan);
    }
  };
  for_each_index(starts.size() - 1, task);  // serial for a single task

  for (std::size_t i = 0; i < count; ++i)
    if (lens[i] >= kLargeArray) out[i] = summarize(arrays[i], lens[i], omit_nan);
}

template void batch_stats<float>(const float *const *, const std::size_t *, std::size_t, bool,
                                 core_stats_t *, std::size_t);
template void batch_stats<double>(const double *const *, const std::size_t *, std::size_t,
                                  bool, core_stats_t *, std::size_t);

}  // namespace core
