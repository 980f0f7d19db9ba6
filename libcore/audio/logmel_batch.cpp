// Offline log-mel of one clip (core_logmel_compute) or many
// (core_logmel_compute_batch): every clip is cut into blocks of frames and
// the blocks of all clips are one list of tasks, so one long clip and many
// short ones keep the threads equally busy. In WHISPER mode a second pass
// applies each clip's floor (its maximum - 8); the maximum of the block
// maxima is exact whatever the order, so results are bit-identical for
// every thread count.
#include <vector>

#include "libcore/audio/logmel.h"
#include "libcore/runtime/parallel.h"

namespace core {
namespace audio {

namespace {

// Frames per task: ~40 us of work for Whisper's sizes on the SIMD path
// (~200 us on KissFFT), well above the cost of a task (a few us), and 30 s
// of audio (3000 frames) still makes 24 tasks to balance the threads.
constexpr std::size_t kBlockFrames = 128;

struct Block {
  std::size_t clip;
  std::size_t t0, t1;
  float max;
};

}  // namespace

void compute_clips(const Analyser &a, const ClipJob *jobs, std::size_t count) {
  std::vector<Block> blocks;
  for (std::size_t c = 0; c < count; ++c)
    for (std::size_t t0 = 0; t0 < jobs[c].n_frames; t0 += kBlockFrames) {
      const std::size_t t1 = jobs[c].n_frames - t0 < kBlockFrames ? jobs[c].n_frames : t0 + kBlockFrames;
      blocks.push_back({c, t0, t1, 0.0f});
    }

  for_each_index(blocks.size(), [&](std::size_t i) {
    Block &b = blocks[i];
    const ClipJob &j = jobs[b.clip];
    Lease ws(a);
    const Signal s{j.x, 0, j.n};
    // Band-major output: band m of frame t at out[m * n_frames + t].
    b.max = a.log10_frames(*ws, s, b.t0, b.t1, j.out + b.t0, j.n_frames, 1);
  });
  if (a.config().mode != CORE_LOGMEL_WHISPER) return;

  std::vector<float> clip_max(count, -std::numeric_limits<float>::infinity());
  for (const Block &b : blocks)
    if (b.max > clip_max[b.clip]) clip_max[b.clip] = b.max;
  const std::size_t n_mels = a.config().n_mels;
  for_each_index(blocks.size(), [&](std::size_t i) {
    const Block &b = blocks[i];
    const ClipJob &j = jobs[b.clip];
    const float floor = whisper_floor(clip_max[b.clip]);
    for (std::size_t m = 0; m < n_mels; ++m)
      whisper_normalize(j.out + m * j.n_frames + b.t0, b.t1 - b.t0, floor);
  });
}

}  // namespace audio
}  // namespace core
