// The analyser: window, filterbank and FFT backend made once; frames read
// from a signal (reflected at its edges), their power spectra in groups,
// then the mel kernel; a pool of per-thread workspaces.
#include "libcore/audio/logmel.h"

#include <utility>

namespace core {
namespace audio {

Analyser::Analyser(const LogmelConfig &c)
    : c_(c), window_(hann_periodic(c.n_fft)), mel_(mel_filterbank(c)),
      fft_(make_fft(c.n_fft, window_.data(), fft_choice_from_env())) {}

std::unique_ptr<Workspace> Analyser::new_workspace() const {
  std::unique_ptr<Workspace> ws(new Workspace);
  ws->fft = fft_->worker();
  ws->frames.resize(kGroupFrames * c_.n_fft);
  ws->power.resize(kGroupFrames * mel_.n_bins);
  ws->mel.resize(simd::mel_scratch_floats(mel_.n_bins, mel_.n_mels));
  ws->ptrs.resize(kGroupFrames);
  return ws;
}

std::unique_ptr<Workspace> Analyser::acquire() const {
  {
    std::lock_guard<std::mutex> lock(pool_mutex_);
    if (!pool_.empty()) {
      std::unique_ptr<Workspace> ws = std::move(pool_.back());
      pool_.pop_back();
      return ws;
    }
  }
  return new_workspace();
}

void Analyser::release(std::unique_ptr<Workspace> ws) const {
  if (!ws) return;
  std::lock_guard<std::mutex> lock(pool_mutex_);
  try {
    pool_.push_back(std::move(ws));
  } catch (...) {
    // No room to keep it: it is freed here, the pool stays as it was.
  }
}

// Frame samples [start, start + n_fft). Inside the signal they are read in
// place; across an edge they are copied with the reflection of torch's
// reflect padding (sample -i is sample i, sample n - 1 + i is n - 1 - i).
// n >= n_fft keeps every reflected index inside the signal.
const float *Analyser::frame(const Signal &s, std::int64_t start, float *scratch) const {
  const std::int64_t n = static_cast<std::int64_t>(s.n), len = c_.n_fft;
  const std::int64_t base = static_cast<std::int64_t>(s.base);
  if (start >= 0 && start + len <= n) return s.x + (start - base);
  for (std::int64_t j = 0; j < len; ++j) {
    std::int64_t i = start + j;
    if (i < 0) i = -i;
    if (i >= n) i = 2 * (n - 1) - i;
    scratch[j] = s.x[i - base];
  }
  return scratch;
}

float Analyser::log10_frames(Workspace &ws, const Signal &s, std::uint64_t t0, std::uint64_t t1,
                             float *out, std::size_t band_stride,
                             std::size_t frame_stride) const {
  const simd::MelFilters fb = mel_.view();
  const std::int64_t half = c_.n_fft / 2;
  float max = -std::numeric_limits<float>::infinity();
  for (std::uint64_t g = t0; g < t1; g += kGroupFrames) {
    const std::size_t count = static_cast<std::size_t>(t1 - g < kGroupFrames ? t1 - g : kGroupFrames);
    for (std::size_t i = 0; i < count; ++i) {
      const std::int64_t start = static_cast<std::int64_t>((g + i) * c_.hop) - half;
      ws.ptrs[i] = frame(s, start, ws.frames.data() + i * c_.n_fft);
    }
    ws.fft->power(ws.ptrs.data(), count, ws.power.data());
    const float m = simd::mel_log10(fb, ws.power.data(), count,
                                    out + static_cast<std::size_t>(g - t0) * frame_stride,
                                    band_stride, frame_stride, ws.mel.data());
    if (m > max) max = m;
  }
  return max;
}

void whisper_normalize(float *x, std::size_t n, float floor) {
  for (std::size_t i = 0; i < n; ++i) x[i] = whisper_value(x[i], floor);
}

}  // namespace audio
}  // namespace core
