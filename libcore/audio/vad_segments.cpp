// From frame scores to segments: Silero VAD's rules (get_speech_timestamps)
// applied frame by frame as the stream arrives, so that streaming and the
// offline call agree exactly.
//
//  - Speech starts at the first frame scoring >= threshold. A pause starts
//    at the first frame scoring < neg_threshold; frames between the two
//    thresholds continue whatever is in progress. A frame >= threshold
//    cancels the pause. The segment ends where its pause started, once the
//    pause has lasted min_silence (frame ends minus pause start).
//  - Speech shorter than min_speech is dropped. It is confirmed (and
//    reported by open_start) once its speech, up to a pause in progress,
//    has lasted min_speech.
//  - Padding: pad on both sides, clipped to the stream; when the gap to the
//    next kept segment is under 2 * pad, the gap is shared at its middle.
//    So a segment's end is final only once the next segment is confirmed,
//    or the stream has passed end + 2 * pad with no candidate starting
//    before that point, or at the end of the stream.
//  - Maximum length: when a segment reaches max_frames, it is cut at the
//    start of a pause in progress, else at the start of its quietest frame
//    (lowest power over floor, the first of equals) among the frames of its
//    second half; the speech after the cut goes on as a new segment that is
//    kept whatever its length (it is the rest of confirmed speech). The
//    pieces touch, so no sample is lost between them.
#include "libcore/audio/vad.h"

namespace core {
namespace audio {

void VadSegmenter::init(const VadConfig &cfg) {
  cfg_ = cfg;
  // The search for the quietest frame starts ceil(max_frames / 2) frames
  // in, so the first piece keeps at least half the maximum and the search
  // for the next piece starts after the current frame.
  half_ = (cfg.max_frames + 1) / 2 * cfg.frame;
  queue_.reserve(16);
  reset();
}

void VadSegmenter::reset() {
  triggered_ = confirmed_ = false;
  start_ = open_start_ = 0;
  pause_ = quiet_at_ = kNone;
  quiet_key_ = 0.0;
  pending_ = false;
  pend_start_ = pend_end_ = last_end_ = 0;
  queue_.clear();
  head_ = 0;
}

void VadSegmenter::frame(std::uint64_t start, std::uint64_t len, float score, double quiet) {
  const std::uint64_t end = start + len;
  if (!triggered_) {
    if (!(score >= cfg_.threshold)) {
      settle(end);
      return;
    }
    begin(start);
  } else {
    if (score >= cfg_.threshold) pause_ = kNone;
    else if (score < cfg_.neg_threshold && pause_ == kNone) pause_ = start;
    if (pause_ != kNone && end - pause_ >= cfg_.min_silence) {
      close(pause_);
      settle(end);
      return;
    }
  }
  if (cfg_.max_frames != 0 && start >= start_ + half_ &&
      (quiet_at_ == kNone || quiet < quiet_key_)) {
    quiet_at_ = start;
    quiet_key_ = quiet;
  }
  if (!confirmed_ && (pause_ != kNone ? pause_ : end) - start_ >= cfg_.min_speech) confirm();
  if (cfg_.max_frames != 0 && end - start_ >= cfg_.max_frames * cfg_.frame) split();
  settle(end);
}

void VadSegmenter::finish(std::uint64_t total) {
  if (triggered_) close(pause_ != kNone ? pause_ : total);
  if (pending_) {
    const std::uint64_t end = pend_end_ + cfg_.pad;
    emit(pend_start_, end < total ? end : total);
    pending_ = false;
  }
}

void VadSegmenter::begin(std::uint64_t start) {
  triggered_ = true;
  confirmed_ = false;
  start_ = start;
  pause_ = quiet_at_ = kNone;
}

// The speech in progress is kept: settle the previous segment's end and
// this one's padded start.
void VadSegmenter::confirm() {
  confirmed_ = true;
  std::uint64_t s = start_ > cfg_.pad ? start_ - cfg_.pad : 0;
  if (pending_) {
    const std::uint64_t gap = start_ - pend_end_;
    if (gap < 2 * cfg_.pad) s = pend_end_ + gap / 2;  // both meet in the middle
    emit(pend_start_, gap < 2 * cfg_.pad ? s : pend_end_ + cfg_.pad);
    pending_ = false;
  }
  open_start_ = s > last_end_ ? s : last_end_;
}

void VadSegmenter::close(std::uint64_t end) {
  triggered_ = false;
  const bool keep = confirmed_ || end - start_ >= cfg_.min_speech;
  if (!keep) return;
  if (!confirmed_) confirm();
  confirmed_ = false;
  pending_ = true;
  pend_start_ = open_start_;
  pend_end_ = end;
}

void VadSegmenter::split() {
  if (pause_ != kNone) {  // a pause in progress is the natural cut
    close(pause_);
    return;
  }
  // quiet_at_ is set: the second half holds at least the current frame.
  const std::uint64_t cut = quiet_at_;
  close(cut);
  begin(cut);
  confirm();
}

// Publishes the pending segment once nothing can move its end any more.
void VadSegmenter::settle(std::uint64_t pos) {
  if (!pending_) return;
  const std::uint64_t reach = pend_end_ + 2 * cfg_.pad;
  if (pos >= reach && (!triggered_ || start_ >= reach)) {
    emit(pend_start_, pend_end_ + cfg_.pad);
    pending_ = false;
  }
}

void VadSegmenter::emit(std::uint64_t start, std::uint64_t end) {
  // Reuse the consumed front instead of growing while the reader keeps up.
  if (head_ != 0 && queue_.size() == queue_.capacity()) {
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
  queue_.push_back(core_segment_t{start, end});
  last_end_ = end;
}

bool VadSegmenter::pop(core_segment_t *out) {
  if (head_ == queue_.size()) return false;
  *out = queue_[head_++];
  if (head_ == queue_.size()) {
    queue_.clear();
    head_ = 0;
  }
  return true;
}

bool VadSegmenter::open_start(std::uint64_t *start) const {
  if (!triggered_ || !confirmed_) return false;
  *start = open_start_;
  return true;
}

}  // namespace audio
}  // namespace core
