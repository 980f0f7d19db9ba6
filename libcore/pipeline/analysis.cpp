// The consumer's analysis: ring -> history -> VAD -> windows -> log-mel ->
// cache lookup. Windows are cut in order; each step makes one unit of
// progress so next_event can hand out events as soon as they exist.
#include <algorithm>
#include <cstring>

#include "libcore/pipeline/pipeline.h"

namespace core {
namespace pipeline {

// The oldest sample a future window may start at.
std::uint64_t Pipeline::keep_from() const {
  if (!c_.speech_only) return next_win_;
  if (seg_active_) {
    // The segment's next window, or the next segment's start, which may
    // come first: next_win_ can lie past this segment's end (hop_ms longer
    // than the window), and the next segment starts as early as where this
    // one ends: at seg_end_ when final, not before seg_safe_ while open.
    // (next_win_ alone dropped a following segment's start from the
    // history: found by tests/fuzz/fuzz_pipeline, regression
    // fuzz_pipeline-next-segment-history.)
    return std::min(next_win_, seg_final_ ? seg_end_ : seg_safe_);
  }
  // No segment yet: the next one starts after the last and not more than
  // back_ before what the VAD had analysed when it was last asked, one
  // drained block (kDrain) ago: within one block a short segment can open,
  // close and wait for its end padding, never seen open, and its start is
  // then back_ behind the block's start, not its end. (Counting from pos_
  // dropped such a start from the history and cut its windows off the hop
  // grid: found by tests/fuzz/fuzz_pipeline, regression
  // fuzz_pipeline-unseen-segment-history. The history holds back_ + 2 *
  // kDrain besides the window.)
  const std::uint64_t behind = back_ + kDrain;
  const std::uint64_t recent = pos_ > behind ? pos_ - behind : 0;
  return std::max(last_end_, recent);
}

// An open segment's end is where its final pause starts (plus padding). The
// VAD has analysed whole frames up to pos_ - frame_ at least and would have
// ended the segment once a pause lasted min_silence_ms, so the pause, if
// any, started after safe_end (lag_ adds max_speech_ms, whose cut may fall
// in the segment's second half). Windows ending there are final.
std::uint64_t Pipeline::safe_end() const { return pos_ > lag_ ? pos_ - lag_ : 0; }

bool Pipeline::drain() {
  if (done_) return false;
  // Make room: drop what no window needs any more.
  const std::uint64_t keep = std::max(keep_from(), hist_base_);
  if (keep > hist_base_) {
    const std::size_t drop = static_cast<std::size_t>(std::min<std::uint64_t>(keep - hist_base_, hist_len_));
    std::memmove(hist_.data(), hist_.data() + drop, (hist_len_ - drop) * sizeof(float));
    hist_len_ -= drop;
    hist_base_ += drop;
  }
  const std::size_t room = std::min(hist_.size() - hist_len_, kDrain);
  const bool was_flushed = flushed();  // before the pop: all of it is in the ring then
  std::size_t got = 0;
  if (room > 0 && core_ring_size(ring_) > 0) {
    if (core_ring_pop(ring_, hist_.data() + hist_len_, room, &got) != CORE_OK) got = 0;
  }
  if (got > 0) {
    float *x = hist_.data() + hist_len_;
    hist_len_ += got;
    pos_ += got;
    if (c_.speech_only) {
      const std::uint64_t t0 = core_now_ns();
      const core_status st = core_vad_push(vad_, x, got);
      (void)st;  // fails only on OOM of its segment queue, which drains as it grows
      core_metrics_stop(metrics_, id_.vad, t0);
    }
    return true;
  }
  if (was_flushed && core_ring_size(ring_) == 0) {
    if (c_.speech_only) {
      const std::uint64_t t0 = core_now_ns();
      const core_status st = core_vad_flush(vad_);
      (void)st;  // cannot fail on a live detector
      core_metrics_stop(metrics_, id_.vad, t0);
    }
    done_ = true;
    return true;
  }
  return false;
}

bool Pipeline::can_cut() const {
  return next_id_ - oldest_ < slots_.size() && q_size_ + 3 <= queue_.size();
}

void Pipeline::queue(int kind, std::uint64_t a, std::uint64_t b) {
  queue_[(q_head_ + q_size_) % queue_.size()] = Entry{kind, a, b};
  ++q_size_;
}

void Pipeline::compute_features(const float *x, float *out) {
  const std::uint64_t t0 = core_now_ns();
  const audio::Signal sig{x, 0, c_.window};
  const float max = analyser_->log10_frames(*ws_, sig, 0, n_frames_, out, n_frames_, 1);
  if (c_.logmel.mode == CORE_LOGMEL_WHISPER) {
    // Whisper's floor over this window alone (pipeline.h, logmel option).
    const float floor = audio::whisper_floor(max);
    for (std::size_t i = 0, n = n_mels_ * n_frames_; i < n; ++i)
      out[i] = audio::whisper_value(out[i], floor);
  }
  core_metrics_stop(metrics_, id_.logmel, t0);
}

void Pipeline::lookup(Slot &s, const float *x) {
  const std::uint64_t t0 = core_now_ns();
  // A window holding a NaN has no key (core_cache_key_audio refuses it):
  // it is neither looked up nor stored, and counts as a miss.
  s.keyed = core_cache_key_audio(x, c_.window, c_.decimals, &s.key) == CORE_OK;
  std::size_t n = 0;
  s.hit = s.keyed && core_cache_get(cache_, &s.key, s.embedding, c_.dim, &n, nullptr, nullptr) ==
                         CORE_OK && n == c_.dim;
  core_metrics_stop(metrics_, id_.lookup, t0);
  if (s.hit) {
    n_.hits.fetch_add(1, std::memory_order_relaxed);
    core_metrics_counter_add(metrics_, id_.hits, 1);
  } else {
    n_.misses.fetch_add(1, std::memory_order_relaxed);
    core_metrics_counter_add(metrics_, id_.misses, 1);
  }
}

void Pipeline::cut(std::uint64_t start) {
  const std::uint64_t id = next_id_++;
  Slot &s = slot(id);
  s.id = id;
  s.start = start;
  s.end = start + c_.window;
  s.status = CORE_OK;
  const float *x = hist_.data() + (start - hist_base_);
  compute_features(x, s.features);
  n_.windows.fetch_add(1, std::memory_order_relaxed);
  core_metrics_counter_add(metrics_, id_.windows, 1);
  lookup(s, x);
  if (s.hit) {
    s.state = SlotState::Ready;
  } else if (c_.encoder != nullptr) {
    s.state = SlotState::Batched;
    batcher_->add(id, c_.window);  // within its reserved capacity: no allocation
  } else {
    s.state = SlotState::Submit;
    announce_[(a_head_ + a_size_) % announce_.size()] = id;
    ++a_size_;
  }
  queue(CORE_EVENT_WINDOW, id, 0);
}

// Windows over the whole stream: every hop, whole windows only.
bool Pipeline::analyse_stream() {
  if (!can_cut()) return false;
  if (next_win_ + c_.window <= pos_) {
    cut(next_win_);
    next_win_ += c_.hop;
    return true;
  }
  return drain();
}

// Windows inside speech segments (pipeline.h, speech_only).
bool Pipeline::analyse_segments() {
  if (!can_cut()) return false;
  core_segment_t seg;
  if (!seg_active_) {
    std::uint64_t open;
    if (core_vad_next_segment(vad_, &seg) == CORE_OK) {
      seg_final_ = true;
      seg_start_ = seg.start;
      seg_end_ = seg.end;
    } else if (core_vad_open_segment(vad_, &open) == CORE_OK) {
      seg_final_ = false;
      seg_start_ = open;
    } else {
      return drain();
    }
    seg_active_ = true;
    seg_windows_ = 0;
    seg_safe_ = seg_final_ ? 0 : safe_end();
    // Never before the history (back_ is sized so that this does not bind).
    next_win_ = std::max(seg_start_, hist_base_);
    queue(CORE_EVENT_SPEECH_START, seg_start_, 0);
    return true;
  }
  if (!seg_final_ && core_vad_next_segment(vad_, &seg) == CORE_OK) {
    seg_final_ = true;
    seg_end_ = seg.end;
    return true;
  }
  std::uint64_t limit = seg_end_;
  if (!seg_final_) {
    // While the VAD reports the segment open, its end cannot fall before
    // safe_end(). Once it has closed but is not final yet (its end padding
    // waits for the next segment: min_silence_ms < 2 * speech_pad_ms) its
    // end may lie anywhere from where its pause began, so the limit stays
    // where it was when the segment was last seen open. (Following the
    // audio instead cut windows past the segment's final end: found by
    // tests/fuzz/fuzz_pipeline, regression fuzz_pipeline-closed-segment-window.)
    std::uint64_t open;
    if (core_vad_open_segment(vad_, &open) == CORE_OK && open == seg_start_)
      seg_safe_ = std::max(seg_safe_, safe_end());
    limit = seg_safe_;
  }
  const std::uint64_t end = next_win_ + c_.window;
  if (end <= limit && end <= pos_) {
    cut(next_win_);
    next_win_ += c_.hop;
    ++seg_windows_;
    return true;
  }
  if (seg_final_) {
    // Speech shorter than a window: one window from the segment's start,
    // reaching past its end, once the stream has those samples.
    const bool short_seg = seg_windows_ == 0 && seg_end_ - seg_start_ < c_.window;
    if (short_seg && next_win_ + c_.window <= pos_) {
      cut(next_win_);
      ++seg_windows_;
      return true;
    }
    if (short_seg && !done_) return drain();  // wait for the samples (none at the end)
    queue(CORE_EVENT_SPEECH_END, seg_start_, seg_end_);
    n_.segments.fetch_add(1, std::memory_order_relaxed);
    last_end_ = seg_end_;
    seg_active_ = false;
    return true;
  }
  return drain();
}

bool Pipeline::analyse() { return c_.speech_only ? analyse_segments() : analyse_stream(); }

}  // namespace pipeline
}  // namespace core
