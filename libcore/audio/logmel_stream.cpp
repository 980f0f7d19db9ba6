// Streaming log-mel. Frames are computed by the same analyser code as
// offline, from the same samples, so they are the same bits.
//
// When frame t is computed. Offline, frame t of n samples exists when
// t < n / hop, and reads samples up to t * hop - n_fft / 2 + n_fft - 1,
// reflecting past n - 1. A push computes frame t once
//   - its last sample has arrived (it needs no right reflection),
//   - (t + 1) * hop samples have arrived (it exists whatever comes next),
//   - n_fft samples have arrived (a shorter signal has no frames at all),
// so nothing a later push or the flush adds can change it. The flush
// computes the rest, up to total / hop, reflecting at the true end.
//
// Memory. buf_ keeps the samples from the first one the next frame reads
// (or from 0 while frames reflecting at the left edge are pending), and is
// compacted when its dead prefix is at least half of it; the ready frames
// likewise drop the ones read. Pushing costs amortized O(1) per sample and,
// once the buffers have grown to their working size, allocates nothing.
//
// Out of memory. A push or flush first reserves everything it will need
// (samples, window, ready frames), and only then changes the stream, so on
// std::bad_alloc the stream is as it was: nothing of x was taken.
#include <algorithm>
#include <cstring>

#include "libcore/audio/logmel.h"

namespace core {
namespace audio {

namespace {

// Capacity for `need` elements, growing geometrically (reserve alone would
// reallocate on every call that needs a little more).
void reserve_for(std::vector<float> &v, std::size_t need) {
  if (need > v.capacity()) v.reserve(std::max(need, 2 * v.capacity()));
}

}  // namespace

Stream::Stream(const LogmelConfig &c) : an_(c), ws_(an_.new_workspace()), n_mels_(c.n_mels) {}

void Stream::reset() {
  buf_.clear();
  base_ = total_ = next_ = 0;
  flushed_ = false;
  ready_.clear();
  ready_read_ = 0;
  win_.clear();
  win_frames_ = 0;
  win_max_ = -std::numeric_limits<float>::infinity();
}

void Stream::push(const float *x, std::size_t n) {
  const LogmelConfig &c = an_.config();
  // Drop the samples no pending frame reads.
  const std::int64_t first = static_cast<std::int64_t>(next_ * c.hop) - c.n_fft / 2;
  const std::uint64_t keep = first > 0 ? static_cast<std::uint64_t>(first) : 0;
  if (keep > base_ && 2 * (keep - base_) >= buf_.size()) {
    const std::size_t dead = static_cast<std::size_t>(keep - base_);
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(dead));
    base_ = keep;
  }
  // The frames this push completes: none below n_fft samples; else those
  // whose last sample is here, t * hop + (n_fft - n_fft / 2) <= total, and
  // that exist for sure, (t + 1) * hop <= total.
  const std::uint64_t total = total_ + n;
  std::uint64_t t_end = next_;
  if (total >= c.n_fft) {
    const std::uint64_t by_samples = (total - (c.n_fft - c.n_fft / 2)) / c.hop + 1;
    t_end = std::min<std::uint64_t>(by_samples, total / c.hop);
  }
  reserve_for(buf_, buf_.size() + n);
  reserve(t_end, false);
  buf_.insert(buf_.end(), x, x + n);  // no allocation: reserved
  total_ = total;
  compute(t_end);
}

void Stream::flush() {
  if (flushed_) return;
  const std::uint64_t t_end = total_ >= an_.config().n_fft ? total_ / an_.config().hop : next_;
  reserve(t_end, true);
  compute(t_end);
  if (win_frames_ > 0) finish_window();
  flushed_ = true;
}

// Reserves what computing frames [next_, t_end) needs (and, when closing,
// the last window's move to the ready frames), after dropping the frames
// already read, so that compute and finish_window allocate nothing.
void Stream::reserve(std::uint64_t t_end, bool closing) {
  if (ready_read_ > 0 && 2 * ready_read_ * n_mels_ >= ready_.size()) {
    ready_.erase(ready_.begin(), ready_.begin() + static_cast<std::ptrdiff_t>(ready_read_ * n_mels_));
    ready_read_ = 0;
  }
  const LogmelConfig &c = an_.config();
  const std::size_t frames = static_cast<std::size_t>(t_end - next_);
  if (c.mode != CORE_LOGMEL_WHISPER) {
    reserve_for(ready_, ready_.size() + frames * n_mels_);
    return;
  }
  // Windows: the open one grows to at most window_frames (unbounded for 0);
  // every one that fills moves to the ready frames, as does the last at
  // flush.
  const std::size_t open = win_frames_ + frames, w = c.window_frames;
  std::size_t to_ready = w == 0 ? 0 : open / w * w;
  const std::size_t left = open - to_ready;
  if (closing) to_ready += left;
  reserve_for(win_, (w == 0 || open < w ? open : w) * n_mels_);
  reserve_for(ready_, ready_.size() + to_ready * n_mels_);
}

// Computes frames [next_, t_end) into the ready frames (LOG10) or the open
// window (WHISPER), closing each window as it fills. Allocates nothing
// (see reserve).
void Stream::compute(std::uint64_t t_end) {
  const LogmelConfig &c = an_.config();
  const Signal s{buf_.data(), base_, total_};
  while (next_ < t_end) {
    std::uint64_t count = t_end - next_;
    if (c.mode != CORE_LOGMEL_WHISPER) {
      const std::size_t at = ready_.size();
      ready_.resize(at + static_cast<std::size_t>(count) * n_mels_);
      an_.log10_frames(*ws_, s, next_, t_end, ready_.data() + at, 1, n_mels_);
    } else {
      if (c.window_frames != 0 && count > c.window_frames - win_frames_)
        count = c.window_frames - win_frames_;
      const std::size_t at = win_.size();
      win_.resize(at + static_cast<std::size_t>(count) * n_mels_);
      const float m = an_.log10_frames(*ws_, s, next_, next_ + count, win_.data() + at, 1, n_mels_);
      if (m > win_max_) win_max_ = m;
      win_frames_ += static_cast<std::size_t>(count);
      if (win_frames_ == c.window_frames) finish_window();
    }
    next_ += count;
  }
}

// Normalizes the open window by its own maximum into the ready frames.
void Stream::finish_window() {
  const std::size_t at = ready_.size();
  ready_.resize(at + win_.size());
  const float floor = whisper_floor(win_max_);
  for (std::size_t i = 0; i < win_.size(); ++i) ready_[at + i] = whisper_value(win_[i], floor);
  win_.clear();
  win_frames_ = 0;
  win_max_ = -std::numeric_limits<float>::infinity();
}

std::size_t Stream::read(float *out, std::size_t max_frames) {
  const std::size_t n = std::min(max_frames, available());
  if (n == 0) return 0;
  std::memcpy(out, ready_.data() + ready_read_ * n_mels_, n * n_mels_ * sizeof(float));
  ready_read_ += n;
  if (ready_read_ * n_mels_ == ready_.size()) {
    ready_.clear();
    ready_read_ = 0;
  }
  return n;
}

}  // namespace audio
}  // namespace core
