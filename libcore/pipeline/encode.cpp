// The consumer's output side: due batches through the encoder, embeddings
// submitted by the caller, and the ordered event queue.
#include <cstring>

#include "libcore/pipeline/pipeline.h"

namespace core {
namespace pipeline {

// Puts an embedding into the cache. A failed put (a shared cache too small
// for the entry, out of memory) costs a later hit, never the event, so it
// is not an error of the pipeline.
void Pipeline::store(Slot &s) {
  if (!s.keyed) return;
  const core_status st = core_cache_put(cache_, &s.key, s.embedding, c_.dim, nullptr, 0);
  (void)st;
}

void Pipeline::encode(const std::uint64_t *ids, std::size_t count) {
  const std::size_t feat = n_mels_ * n_frames_;
  for (std::size_t i = 0; i < count; ++i)
    std::memcpy(batch_feat_.data() + i * feat, slot(ids[i]).features, feat * sizeof(float));
  const std::uint64_t t0 = core_now_ns();
  const core_status st = c_.encoder(batch_feat_.data(), count, n_mels_, n_frames_,
                                    batch_emb_.data(), c_.dim, c_.encoder_user);
  core_metrics_stop(metrics_, id_.forward, t0);
  core_metrics_record_ns(metrics_, id_.batch_size, static_cast<std::int64_t>(count));
  n_.encoder_calls.fetch_add(1, std::memory_order_relaxed);
  if (st != CORE_OK) n_.encoder_errors.fetch_add(1, std::memory_order_relaxed);
  for (std::size_t i = 0; i < count; ++i) {
    Slot &s = slot(ids[i]);
    if (st == CORE_OK) {
      std::memcpy(s.embedding, batch_emb_.data() + i * c_.dim, c_.dim * sizeof(float));
      store(s);
      s.state = SlotState::Ready;
    } else {
      s.state = SlotState::Failed;
      s.status = st;
    }
  }
}

// Runs the batches that are due; true when one ran.
bool Pipeline::encode_due() {
  if (c_.encoder == nullptr) return false;
  std::size_t count = 0, bucket = 0;
  if (!batcher_->next(batch_ids_.data(), &count, &bucket)) return false;
  encode(batch_ids_.data(), count);
  return true;
}

core_status Pipeline::submit(std::uint64_t id, const float *embedding) {
  if (id < oldest_ || id >= next_id_) return CORE_E_NOT_FOUND;
  Slot &s = slot(id);
  if (s.state != SlotState::Submit) return CORE_E_NOT_FOUND;
  std::memcpy(s.embedding, embedding, c_.dim * sizeof(float));
  store(s);
  s.state = SlotState::Ready;
  return CORE_OK;
}

// The next deliverable event, if any: first the NEEDS_ENCODING
// announcements (so the caller can encode while later windows wait), then
// the head of the ordered queue once it is ready.
bool Pipeline::emit(core_event_t *ev) {
  *ev = core_event_t{};
  if (a_size_ > 0) {
    const Slot &s = slot(announce_[a_head_]);
    a_head_ = (a_head_ + 1) % announce_.size();
    --a_size_;
    ev->kind = CORE_EVENT_NEEDS_ENCODING;
    ev->window_id = s.id;
    ev->start = s.start;
    ev->end = s.end;
    ev->features = s.features;
    ev->n_mels = n_mels_;
    ev->n_frames = n_frames_;
    return true;
  }
  if (q_size_ == 0) return false;
  const Entry &e = queue_[q_head_];
  if (e.kind == CORE_EVENT_WINDOW) {
    Slot &s = slot(e.a);
    if (s.state != SlotState::Ready && s.state != SlotState::Failed) return false;
    ev->kind = s.state == SlotState::Ready ? CORE_EVENT_WINDOW : CORE_EVENT_ENCODER_ERROR;
    ev->window_id = s.id;
    ev->start = s.start;
    ev->end = s.end;
    ev->features = s.features;
    ev->n_mels = n_mels_;
    ev->n_frames = n_frames_;
    if (s.state == SlotState::Ready) {
      ev->embedding = s.embedding;
      ev->dim = c_.dim;
      ev->cache_hit = s.hit ? 1 : 0;
    } else {
      ev->status = s.status;
    }
    // The slot is reused only by a later cut, inside a later next_event:
    // the pointers stay valid as pipeline.h convention 2 promises.
    s.state = SlotState::Free;
    oldest_ = s.id + 1;
  } else {
    ev->kind = e.kind;
    ev->start = e.a;
    ev->end = e.b;
  }
  q_head_ = (q_head_ + 1) % queue_.size();
  --q_size_;
  return true;
}

// Everything delivered after flush: the stream is analysed, no segment is
// open, no window is in flight.
bool Pipeline::finished() const {
  return done_ && !seg_active_ && q_size_ == 0 && a_size_ == 0 && next_id_ == oldest_;
}

core_status Pipeline::next_event(core_event_t *ev) {
  const std::uint64_t t0 = core_now_ns();
  core_status st = CORE_E_EMPTY;
  for (;;) {
    if (emit(ev)) {
      st = CORE_OK;
      break;
    }
    if (encode_due()) continue;
    if (analyse()) continue;
    // Release what waits when analysis is complete at the end of the
    // stream, or when every window slot is taken: no window can join the
    // batch then, and windows queued behind it (cache hits) must not wait
    // for its deadline while the ring fills.
    if ((done_ || !can_cut()) && batcher_->pending() > 0) {
      batcher_->flush();
      if (encode_due()) continue;
    }
    if (!end_sent_ && finished()) {
      *ev = core_event_t{};
      ev->kind = CORE_EVENT_END;
      ev->start = ev->end = pos_;
      end_sent_ = true;
      st = CORE_OK;
    }
    break;
  }
  const std::uint64_t t1 = core_now_ns();
  n_.processing_ns.fetch_add(t1 - t0, std::memory_order_relaxed);
  return st;
}

}  // namespace pipeline
}  // namespace core
