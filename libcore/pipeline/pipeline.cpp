// Construction of the pipeline, its metrics, the producer side and stats.
#include "libcore/pipeline/pipeline.h"

#include "libcore/metrics/metrics.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

namespace core {
namespace pipeline {

namespace {

// "<what>: <the module's own message>" into why.
core_status nested(core_status st, const char *what, char *why, std::size_t cap) {
  std::snprintf(why, cap, "%s: %s", what, core_last_error_message());
  return st;
}

std::uint64_t ms_samples(std::uint64_t ms, std::uint32_t rate) { return ms * rate / 1000; }

}  // namespace

std::unique_ptr<Pipeline> Pipeline::create(const Config &c, core_status *st, char *why,
                                           std::size_t cap) {
  std::unique_ptr<Pipeline> p(new Pipeline(c));
  *st = p->init(why, cap);
  if (*st != CORE_OK) p.reset();
  return p;
}

core_status Pipeline::init(char *why, std::size_t cap) {
  core_status st;
  core_ring_options_t ro;
  if ((st = core_ring_options_init(&ro)) != CORE_OK) return nested(st, "ring", why, cap);
  ro.capacity = c_.ring_capacity;
  ro.policy = static_cast<core_ring_policy>(c_.ring_policy);
  if ((st = core_ring_create(&ro, &ring_)) != CORE_OK) return nested(st, "ring", why, cap);
  if (c_.speech_only && (st = core_vad_create(&c_.vad, &vad_)) != CORE_OK)
    return nested(st, "vad", why, cap);
  if ((st = core_logmel_create(&c_.logmel, &logmel_)) != CORE_OK)
    return nested(st, "logmel", why, cap);
  // The analyser itself, not core_logmel_compute: compute leases a
  // workspace under a mutex and may split a window across oneTBB threads;
  // the pipeline keeps one workspace and computes on the consumer's thread.
  // The frames are the same bits (logmel.h: every frame is computed alone).
  analyser_ = &reinterpret_cast<audio::Logmel *>(logmel_)->analyser;
  ws_ = analyser_->new_workspace();
  n_mels_ = c_.logmel.n_mels;
  n_frames_ = analyser_->frame_count(c_.window);

  if (c_.cache != nullptr) {
    cache_ = c_.cache;
  } else {
    if ((st = core_cache_create(&c_.cache_options, &cache_)) != CORE_OK)
      return nested(st, "cache_options", why, cap);
    own_cache_ = true;
  }
  if (c_.metrics != nullptr) {
    metrics_ = c_.metrics;
  } else {
    core_metrics_options_t mo;
    if ((st = core_metrics_options_init(&mo)) != CORE_OK) return nested(st, "metrics", why, cap);
    if ((st = core_metrics_create(&mo, &metrics_)) != CORE_OK)
      return nested(st, "metrics", why, cap);
    own_metrics_ = true;
  }
  batcher_.reset(new Batcher(c_.batch));

  // The pool: a full batch being filled, a full batch being read out, and
  // a little room for cache hits queued behind them.
  // The sizes below come from max_batch and dim, which the options do not
  // bound: computed unchecked, a max_batch near SIZE_MAX wrapped them (a
  // pool of 0 slots) or made vector::resize throw std::length_error,
  // reported as CORE_E_INTERNAL (found by tests/fuzz/fuzz_options,
  // regression fuzz_options-pipeline-max-batch-overflow). Sizes no buffer
  // can have are CORE_E_OUT_OF_MEMORY, as a failed allocation is.
  {
    std::size_t feat = 0, pool_n = 0, pool_feat = 0, pool_emb = 0, batch_feat = 0, batch_emb = 0,
                queue_n = 0;
    const std::size_t limit = std::vector<float>().max_size() / 2;
    const bool overflow =
        __builtin_mul_overflow(n_mels_, n_frames_, &feat) ||
        __builtin_mul_overflow(c_.batch.max_batch, std::size_t{2}, &pool_n) ||
        __builtin_add_overflow(pool_n, std::size_t{2}, &pool_n) ||
        __builtin_mul_overflow(pool_n, feat, &pool_feat) ||
        __builtin_mul_overflow(pool_n, c_.dim, &pool_emb) ||
        __builtin_mul_overflow(c_.batch.max_batch, feat, &batch_feat) ||
        __builtin_mul_overflow(c_.batch.max_batch, c_.dim, &batch_emb) ||
        __builtin_mul_overflow(pool_n, std::size_t{3}, &queue_n);
    if (overflow || pool_feat > limit || pool_emb > limit || batch_feat > limit ||
        batch_emb > limit || queue_n > std::vector<Entry>().max_size() / 2 ||
        pool_n > std::vector<Slot>().max_size()) {
      std::snprintf(why, cap,
                    "max_batch = %zu and dim = %zu need buffers larger than memory can hold "
                    "(%zu windows of %zu x %zu features in flight)",
                    c_.batch.max_batch, c_.dim, pool_n, n_mels_, n_frames_);
      return CORE_E_OUT_OF_MEMORY;
    }
  }
  const std::size_t pool = 2 * c_.batch.max_batch + 2;
  slots_.resize(pool);
  feat_store_.assign(pool * n_mels_ * n_frames_, 0.0f);
  emb_store_.assign(pool * c_.dim, 0.0f);
  for (std::size_t i = 0; i < pool; ++i) {
    slots_[i].features = feat_store_.data() + i * n_mels_ * n_frames_;
    slots_[i].embedding = emb_store_.data() + i * c_.dim;
  }
  queue_.resize(3 * pool + 8);
  announce_.resize(pool);
  batch_ids_.resize(c_.batch.max_batch);
  batch_feat_.resize(c_.batch.max_batch * n_mels_ * n_frames_);
  batch_emb_.resize(c_.batch.max_batch * c_.dim);

  // The history holds the audio a window may still need. An open segment
  // is windowed up to `lag_` behind the VAD (safe_end); a segment the VAD
  // has not opened yet may start up to `back_` behind it (its speech must
  // last min_speech_ms, with pauses shorter than min_silence_ms inside,
  // and padding in front).
  // Only with speech_only: otherwise no VAD runs and its options, never
  // checked, must not size anything (frame_ms = UINT32_MAX with
  // speech_only 0 asked for a history of terabytes: found by
  // tests/fuzz/fuzz_options, regression fuzz_options-pipeline-unused-vad-history).
  const core_vad_options_t &v = c_.vad;
  if (c_.speech_only) {
    frame_ = ms_samples(v.frame_ms, c_.rate);
    lag_ = frame_ + ms_samples(v.min_silence_ms, c_.rate) +
           (v.max_speech_ms ? ms_samples(v.max_speech_ms, c_.rate) : 0);
    back_ = 2 * (ms_samples(v.min_speech_ms + 2ull * v.speech_pad_ms + v.min_silence_ms,
                            c_.rate) + 4 * frame_) +
            (v.max_speech_ms ? ms_samples(v.max_speech_ms, c_.rate) : 0);
  }
  hist_.assign(c_.window + c_.hop + lag_ + back_ + 2 * kDrain, 0.0f);
  // Last: a registry cannot unregister, so nothing may fail after the
  // metrics are in a shared one (a create failing later, out of memory,
  // left the names taken and refused the caller's retry).
  return register_metrics(why, cap);
}

core_status Pipeline::register_metrics(char *why, std::size_t cap) {
  struct Def {
    const char *name, *help;
    core_metric_kind kind;
    core_metric_id_t *id;
  };
  const Def defs[] = {
      {"pipeline.push", "pipeline: time per push (producer side)", CORE_METRIC_TIMER, &id_.push},
      {"vad.process", "pipeline: VAD time per drained block", CORE_METRIC_TIMER, &id_.vad},
      {"features.logmel", "pipeline: log-mel time per window", CORE_METRIC_TIMER, &id_.logmel},
      {"encoder.lookup", "pipeline: cache key and lookup time per window", CORE_METRIC_TIMER,
       &id_.lookup},
      {"encoder.forward", "pipeline: encoder time per batch", CORE_METRIC_TIMER, &id_.forward},
      {"encoder.batch_size",
       "pipeline: windows per encoder call, recorded as 1 ns per window (registries hold "
       "only nanosecond histograms): read its values as window counts, not time",
       CORE_METRIC_TIMER, &id_.batch_size},
      {"pipeline.chunks", "pipeline: chunks pushed", CORE_METRIC_COUNTER, &id_.chunks},
      {"pipeline.samples", "pipeline: samples pushed", CORE_METRIC_COUNTER, &id_.samples},
      {"pipeline.windows", "pipeline: analysis windows cut", CORE_METRIC_COUNTER, &id_.windows},
      {"encoder.cache_hits", "pipeline: window lookups that hit", CORE_METRIC_COUNTER, &id_.hits},
      {"encoder.cache_misses", "pipeline: window lookups that missed", CORE_METRIC_COUNTER,
       &id_.misses},
      {"pipeline.dropped_samples", "pipeline: samples the ring dropped (OVERWRITE)",
       CORE_METRIC_COUNTER, &id_.dropped},
  };
  constexpr std::size_t kDefs = sizeof defs / sizeof defs[0];
  const std::string prefix = c_.prefix.empty() ? std::string() : c_.prefix + ".";
  metrics::GroupSpec specs[kDefs];
  for (std::size_t i = 0; i < kDefs; ++i) {
    const Def &d = defs[i];
    specs[i] = metrics::GroupSpec{d.name, d.kind, d.help};
    if (own_metrics_) continue;
    const std::string name = prefix + d.name;
    // A registry returns the id of a name registered again: two pipelines
    // would then silently share a metric. Refuse instead. (A lookup that
    // fails otherwise, out of memory, is a failure, not "free".)
    core_metric_id_t existing;
    const core_status fs = core_metrics_find(metrics_, name.c_str(), &existing, nullptr);
    if (fs == CORE_OK) {
      std::snprintf(why, cap,
                    "metric \"%s\" is taken in the shared registry (set metrics_prefix)",
                    name.c_str());
      return CORE_E_INVALID_ARGUMENT;
    }
    if (fs != CORE_E_NOT_FOUND) return nested(fs, "metrics", why, cap);
  }
  // All or nothing (one by one, running out of memory in the middle left a
  // shared registry with some of the names).
  core_metric_id_t ids[kDefs];
  char msg[300];
  const core_status st = metrics::register_group(metrics_, prefix.c_str(), "pipeline", specs,
                                                 kDefs, ids, msg, sizeof msg);
  if (st != CORE_OK) {
    std::snprintf(why, cap, "metrics: %s", msg);
    return st;
  }
  for (std::size_t i = 0; i < kDefs; ++i) *defs[i].id = ids[i];
  return CORE_OK;
}

Pipeline::~Pipeline() {
  core_ring_destroy(ring_);
  core_vad_destroy(vad_);
  if (ws_ && analyser_ != nullptr) ws_.reset();
  core_logmel_destroy(logmel_);
  if (own_cache_) core_cache_destroy(cache_);
  if (own_metrics_) core_metrics_destroy(metrics_);
  magic = 0;
}

// ---- producer ------------------------------------------------------------------

// The ring counts what it drops; the producer, which causes the drops under
// OVERWRITE, moves the difference into the counter.
void Pipeline::count_drops() {
  const std::uint64_t d = core_ring_dropped(ring_);
  if (d != dropped_seen_) {
    core_metrics_counter_add(metrics_, id_.dropped, d - dropped_seen_);
    dropped_seen_ = d;
  }
}

core_status Pipeline::push_f32(const float *x, std::size_t n) {
  const std::uint64_t t0 = core_now_ns();
  const core_status st = core_ring_append_f32(ring_, x, n);
  if (st == CORE_OK) {
    n_.chunks.fetch_add(1, std::memory_order_relaxed);
    n_.samples.fetch_add(n, std::memory_order_relaxed);
    core_metrics_counter_add(metrics_, id_.chunks, 1);
    core_metrics_counter_add(metrics_, id_.samples, n);
    count_drops();
  }
  const std::uint64_t t1 = core_now_ns();
  core_metrics_record_ns(metrics_, id_.push, static_cast<std::int64_t>(t1 - t0));
  n_.processing_ns.fetch_add(t1 - t0, std::memory_order_relaxed);
  return st;
}

core_status Pipeline::push_i16(const std::int16_t *x, std::size_t n) {
  const std::uint64_t t0 = core_now_ns();
  const core_status st = core_ring_append_i16(ring_, x, n);
  if (st == CORE_OK) {
    n_.chunks.fetch_add(1, std::memory_order_relaxed);
    n_.samples.fetch_add(n, std::memory_order_relaxed);
    core_metrics_counter_add(metrics_, id_.chunks, 1);
    core_metrics_counter_add(metrics_, id_.samples, n);
    count_drops();
  }
  const std::uint64_t t1 = core_now_ns();
  core_metrics_record_ns(metrics_, id_.push, static_cast<std::int64_t>(t1 - t0));
  n_.processing_ns.fetch_add(t1 - t0, std::memory_order_relaxed);
  return st;
}

// ---- queries -------------------------------------------------------------------

void Pipeline::stats(core_pipeline_stats_t *o) const {
  const auto get = [](const std::atomic<std::uint64_t> &a) {
    return a.load(std::memory_order_relaxed);
  };
  *o = core_pipeline_stats_t{};
  o->chunks = get(n_.chunks);
  o->samples = get(n_.samples);
  o->dropped_samples = core_ring_dropped(ring_);
  o->segments = get(n_.segments);
  o->windows = get(n_.windows);
  o->cache_hits = get(n_.hits);
  o->cache_misses = get(n_.misses);
  o->encoder_calls = get(n_.encoder_calls);
  o->encoder_errors = get(n_.encoder_errors);
  o->audio_seconds = static_cast<double>(o->samples) / c_.rate;
  o->processing_seconds = static_cast<double>(get(n_.processing_ns)) * 1e-9;
  o->real_time_factor = o->audio_seconds > 0 ? o->processing_seconds / o->audio_seconds : 0.0;
  const std::uint64_t lookups = o->cache_hits + o->cache_misses;
  o->cache_hit_rate = lookups ? static_cast<double>(o->cache_hits) / static_cast<double>(lookups)
                              : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace pipeline
}  // namespace core
