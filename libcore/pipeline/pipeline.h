// The streaming pipeline behind core_pipeline_* (include/core/pipeline.h).
// Internal C++ interface: the extern "C" layer in libcore/abi/pipeline.cpp
// checks arguments and writes messages; nothing here touches the
// thread-local error.
//
// Files: pipeline.cpp (construction, metric registration, the producer
// side, stats), analysis.cpp (consumer: ring -> history -> VAD -> windows ->
// log-mel -> cache lookup), encode.cpp (consumer: batches, encoder,
// submitted embeddings, the ordered event queue).
//
// Memory. Everything is allocated by the constructor: the history (the
// consumer's copy of the audio still needed for windows), a pool of window
// slots (features and embedding per slot), the event queue and the batch
// buffers. The pool bounds the work in flight: when every slot is taken,
// analysis pauses (the audio waits in the ring) until events are read.
#ifndef LIBCORE_PIPELINE_PIPELINE_H
#define LIBCORE_PIPELINE_PIPELINE_H

#include <core/pipeline.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "libcore/audio/logmel.h"
#include "libcore/pipeline/batcher.h"

namespace core {
namespace pipeline {

constexpr std::uint32_t kMagic = 0x50495045;  // "PIPE"

// Samples moved from the ring per step: the VAD then finishes at most a
// few segments per push, so its queue never grows in steady state.
constexpr std::size_t kDrain = 2048;

// Validated, resolved options (samples, not ms). The abi layer fills it.
struct Config {
  std::uint32_t rate = 16000;
  std::size_t ring_capacity = 0;
  int ring_policy = CORE_RING_OVERWRITE;
  core_vad_options_t vad{};
  core_logmel_options_t logmel{};
  std::uint64_t window = 0, hop = 0;  // samples
  bool speech_only = true;
  std::size_t dim = 0;
  core_encoder_fn encoder = nullptr;
  void *encoder_user = nullptr;
  core_cache_t *cache = nullptr;      // borrowed, or nullptr: own
  core_cache_options_t cache_options{};
  int decimals = 4;
  Batcher::Options batch{};
  core_metrics_t *metrics = nullptr;  // borrowed, or nullptr: own
  std::string prefix;
};

// A window in flight, from its cut to its WINDOW / ENCODER_ERROR event.
enum class SlotState : std::uint8_t { Free, Batched, Submit, Ready, Failed };
struct Slot {
  std::uint64_t id = 0, start = 0, end = 0;
  SlotState state = SlotState::Free;
  bool hit = false, keyed = false;
  core_status status = CORE_OK;
  core_key_t key{};
  float *features = nullptr;  // n_mels x n_frames, into Pipeline::feat_store_
  float *embedding = nullptr; // dim, into Pipeline::emb_store_
};

// An entry of the ordered event queue: a segment boundary, or a window
// (its slot decides when it is ready).
struct Entry {
  int kind;                // CORE_EVENT_SPEECH_START / _END / _WINDOW
  std::uint64_t a, b;      // start, end; or the window id in a
};

// Metric ids in the registry.
struct MetricIds {
  core_metric_id_t push, vad, logmel, lookup, forward, batch_size;
  core_metric_id_t chunks, samples, windows, hits, misses, dropped;
};

// Counters for core_pipeline_stats (any thread reads them).
struct Counters {
  std::atomic<std::uint64_t> chunks{0}, samples{0}, segments{0}, windows{0};
  std::atomic<std::uint64_t> hits{0}, misses{0}, encoder_calls{0}, encoder_errors{0};
  std::atomic<std::uint64_t> processing_ns{0};
};

class Pipeline {
 public:
  // Creates the ring, VAD, log-mel, cache, registry, batcher and buffers.
  // On failure returns nullptr with *st and why[0, cap) set (message without
  // the function name). Throws std::bad_alloc.
  static std::unique_ptr<Pipeline> create(const Config &c, core_status *st, char *why,
                                           std::size_t cap);
  ~Pipeline();
  Pipeline(const Pipeline &) = delete;
  Pipeline &operator=(const Pipeline &) = delete;

  std::uint32_t magic = kMagic;

  // ---- producer (pipeline.cpp)
  core_status push_f32(const float *x, std::size_t n);
  core_status push_i16(const std::int16_t *x, std::size_t n);
  void flush() { flushed_.store(true, std::memory_order_release); }
  bool flushed() const { return flushed_.load(std::memory_order_acquire); }

  // ---- consumer (encode.cpp)
  // CORE_OK with *ev, or CORE_E_EMPTY.
  core_status next_event(core_event_t *ev);
  // CORE_OK, or CORE_E_NOT_FOUND when id is not waiting for an embedding.
  core_status submit(std::uint64_t id, const float *embedding);

  // ---- queries
  void stats(core_pipeline_stats_t *out) const;
  core_metrics_t *metrics() const { return metrics_; }
  std::size_t dim() const { return c_.dim; }
  std::size_t pool_size() const { return slots_.size(); }

 private:
  explicit Pipeline(const Config &c) : c_(c) {}
  core_status init(char *why, std::size_t cap);
  core_status register_metrics(char *why, std::size_t cap);
  void count_drops();

  // analysis.cpp
  bool analyse();                   // one unit of progress; false: none possible
  bool drain();                     // ring -> history -> VAD
  bool analyse_segments();
  bool analyse_stream();
  std::uint64_t keep_from() const;  // the oldest history sample still needed
  std::uint64_t safe_end() const;   // an open segment cannot end before this
  bool can_cut() const;
  void cut(std::uint64_t start);
  void compute_features(const float *x, float *out);
  void lookup(Slot &s, const float *x);
  void queue(int kind, std::uint64_t a, std::uint64_t b);

  // encode.cpp
  bool encode_due();
  void encode(const std::uint64_t *ids, std::size_t count);
  void store(Slot &s);
  bool emit(core_event_t *ev);
  bool finished() const;
  Slot &slot(std::uint64_t id) { return slots_[id % slots_.size()]; }

  Config c_;
  core_ring_t *ring_ = nullptr;
  core_vad_t *vad_ = nullptr;
  core_logmel_t *logmel_ = nullptr;
  const audio::Analyser *analyser_ = nullptr;
  std::unique_ptr<audio::Workspace> ws_;
  core_cache_t *cache_ = nullptr;
  bool own_cache_ = false;
  core_metrics_t *metrics_ = nullptr;
  bool own_metrics_ = false;
  std::unique_ptr<Batcher> batcher_;
  MetricIds id_{};
  Counters n_;
  std::size_t n_mels_ = 0, n_frames_ = 0;

  // producer only
  std::atomic<bool> flushed_{false};
  std::uint64_t dropped_seen_ = 0;

  // consumer only: the audio timeline
  std::vector<float> hist_;         // samples [hist_base_, hist_base_ + hist_len_)
  std::uint64_t hist_base_ = 0;
  std::size_t hist_len_ = 0;
  std::uint64_t pos_ = 0;           // samples drained (= analysed by the VAD)
  std::uint64_t back_ = 0, lag_ = 0, frame_ = 0;
  bool done_ = false;               // flushed, drained, VAD flushed
  bool batch_flushed_ = false;
  bool end_sent_ = false;

  // the segment being windowed (speech_only)
  bool seg_active_ = false, seg_final_ = false;
  std::uint64_t seg_start_ = 0, seg_end_ = 0, last_end_ = 0;
  std::uint64_t seg_windows_ = 0;
  std::uint64_t seg_safe_ = 0;      // an open segment's windows may end here
  std::uint64_t next_win_ = 0;      // start of the next window to cut

  // windows in flight: ids [oldest_, next_id_), slot id % pool
  std::vector<Slot> slots_;
  std::vector<float> feat_store_, emb_store_;
  std::uint64_t next_id_ = 0, oldest_ = 0;

  // the ordered event queue and the NEEDS_ENCODING announcements
  std::vector<Entry> queue_;
  std::size_t q_head_ = 0, q_size_ = 0;
  std::vector<std::uint64_t> announce_;
  std::size_t a_head_ = 0, a_size_ = 0;

  // batch buffers
  std::vector<std::uint64_t> batch_ids_;
  std::vector<float> batch_feat_, batch_emb_;
};

}  // namespace pipeline
}  // namespace core

#endif
