// Framewise statistics: frame i is x[i * hop, i * hop + frame), whole frames
// only (the librosa.util.frame count). Each frame's summary is
// core::summarize on that frame alone, so it equals core_stats_f32/_f64 on
// it bit for bit; frames are grouped into tasks of about kBatchGrain
// elements of input so a 400-sample frame is not a task of its own.
#include <cstdint>

#include "libcore/batch/batch.h"
#include "libcore/runtime/parallel.h"
#include "libcore/simd/kernels.h"
#include "libcore/stats/stats.h"

namespace core {

std::size_t frame_count(std::size_t n, std::size_t frame, std::size_t hop) {
  return 1 + (n - frame) / hop;
}

template <class T>
void frame_stats(const T *x, std::size_t nframes, std::size_t frame, std::size_t hop,
                 core_stats_t *out, std::size_t task_size) {
  if (frame >= kParallelMinBlocks * simd::kBlock) {
    // Each frame is large enough for summarize to split it into parallel
    // blocks itself; frames run one after another.
    for (std::size_t i = 0; i < nframes; ++i) out[i] = summarize(x + i * hop, frame, false);
    return;
  }
  const std::size_t work = frame > SIZE_MAX / nframes ? SIZE_MAX : nframes * frame;
  const std::size_t grain = task_elements(work, task_size);
  const std::size_t per_task = frame >= grain ? 1 : grain / frame;
  const std::size_t ntasks = (nframes + per_task - 1) / per_task;
  for_each_index(ntasks, [&](std::size_t t) {
    const std::size_t end = (t + 1) * per_task < nframes ? (t + 1) * per_task : nframes;
    for (std::size_t i = t * per_task; i < end; ++i)
      out[i] = summarize(x + i * hop, frame, false);
  });
}

template void frame_stats<float>(const float *, std::size_t, std::size_t, std::size_t,
                                 core_stats_t *, std::size_t);
template void frame_stats<double>(const double *, std::size_t, std::size_t, std::size_t,
                                  core_stats_t *, std::size_t);

}  // namespace core
