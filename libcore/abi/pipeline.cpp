// extern "C" entry points of the pipeline (pipeline.h, "the pipeline"):
// argument checks and messages, then libcore/pipeline/pipeline.h.
#include <core/pipeline.h>

#include <cstdint>
#include <cstring>
#include <new>

#include "libcore/abi/guard.h"
#include "libcore/pipeline/pipeline.h"

namespace {

using core::pipeline::Pipeline;

Pipeline *unwrap(core_pipeline_t *p) noexcept { return reinterpret_cast<Pipeline *>(p); }
const Pipeline *unwrap(const core_pipeline_t *p) noexcept {
  return reinterpret_cast<const Pipeline *>(p);
}
core_pipeline_t *wrap(Pipeline *p) noexcept { return reinterpret_cast<core_pipeline_t *>(p); }

const Pipeline *live(const core_pipeline_t *p) noexcept {
  const Pipeline *q = unwrap(p);
  return q != nullptr && q->magic == core::pipeline::kMagic ? q : nullptr;
}

// One layout so far.
constexpr std::size_t kOptionsV1 = sizeof(core_pipeline_options_t);

}  // namespace

#define CORE_REQUIRE_PIPELINE(p)                                                         \
  CORE_REQUIRE((p) != nullptr, "p is NULL");                                             \
  CORE_REQUIRE(unwrap(p)->magic == core::pipeline::kMagic,                               \
               "p is not a live core_pipeline_t (already destroyed?)");                  \
  auto &pl = *unwrap(p)

#define CORE_REQUIRE_NESTED(field, type) \
  CORE_REQUIRE_NESTED_OPTIONS(o, field, type, core_pipeline_options_init)

extern "C" {

CORE_API core_status core_pipeline_options_init(core_pipeline_options_t *opts) {
  CORE_ABI_BEGIN("core_pipeline_options_init")
  CORE_REQUIRE_OUT(opts);
  *opts = core_pipeline_options_t{};
  opts->struct_size = kOptionsV1;
  opts->sample_rate = 16000;
  opts->ring_ms = 10000;
  opts->ring_policy = CORE_RING_OVERWRITE;
  if (core_vad_options_init(&opts->vad) != CORE_OK ||
      core_logmel_options_init(&opts->logmel) != CORE_OK ||
      core_cache_options_init(&opts->cache_options) != CORE_OK ||
      core_batcher_options_init(&opts->batch) != CORE_OK)
    return ::core::abi::fail(CORE_E_INTERNAL, core_abi_fn_, "nested options_init failed");
  opts->window_ms = 1000;
  opts->hop_ms = 500;
  opts->speech_only = 1;
  opts->dim = 0;
  opts->cache_decimals = 4;
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_pipeline_create(const core_pipeline_options_t *opts,
                                          core_pipeline_t **out) {
  CORE_ABI_BEGIN("core_pipeline_create")
  CORE_REQUIRE_OUT(opts);
  CORE_REQUIRE_OUT(out);
  core_pipeline_options_t o;
  CORE_READ_OPTIONS(opts, o, core_pipeline_options_t, core_pipeline_options_init, kOptionsV1,
                    kOptionsV1);
  CORE_REQUIRE_NESTED(vad, core_vad_options_t);
  CORE_REQUIRE_NESTED(logmel, core_logmel_options_t);
  CORE_REQUIRE_NESTED(batch, core_batcher_options_t);
  if (o.cache == nullptr) CORE_REQUIRE_NESTED(cache_options, core_cache_options_t);
  CORE_REQUIRE(o.sample_rate >= 1000 && o.sample_rate <= 384000,
               "sample_rate is %u, outside 1000 .. 384000", o.sample_rate);
  CORE_REQUIRE(o.ring_policy == CORE_RING_REJECT || o.ring_policy == CORE_RING_OVERWRITE,
               "ring_policy is %d, not CORE_RING_REJECT or CORE_RING_OVERWRITE", o.ring_policy);
  const std::uint64_t rate = o.sample_rate;
  CORE_REQUIRE(o.ring_ms >= 1 && o.ring_ms * rate / 1000 >= 1,
               "ring_ms is %u: the ring would hold no sample", o.ring_ms);
  CORE_REQUIRE(o.dim >= 1, "dim is 0: set the encoder's output size (floats per window)");
  CORE_REQUIRE(o.window_ms >= 1 && o.window_ms * rate % 1000 == 0,
               "window_ms is %u: not a whole number of samples at %u Hz", o.window_ms,
               o.sample_rate);
  CORE_REQUIRE(o.hop_ms >= 1 && o.hop_ms * rate % 1000 == 0,
               "hop_ms is %u: must be >= 1 and a whole number of samples at %u Hz", o.hop_ms,
               o.sample_rate);
  const std::uint64_t window = o.window_ms * rate / 1000;
  CORE_REQUIRE(window >= o.logmel.n_fft,
               "window_ms is %u (%llu samples), shorter than logmel.n_fft (%u)", o.window_ms,
               static_cast<unsigned long long>(window), o.logmel.n_fft);
  // A window shorter than the log-mel hop has no frame (window / hop = 0):
  // its features were empty and the encoder's memcpy got a NULL source
  // (found by tests/fuzz/fuzz_options, regression
  // fuzz_options-pipeline-window-below-hop).
  CORE_REQUIRE(window >= o.logmel.hop,
               "window_ms is %u (%llu samples), shorter than logmel.hop (%u): no frame",
               o.window_ms, static_cast<unsigned long long>(window), o.logmel.hop);
  CORE_REQUIRE(o.speech_only == 0 || o.speech_only == 1, "speech_only is %d, not 0 or 1",
               o.speech_only);
  CORE_REQUIRE(o.cache_decimals >= 0 && o.cache_decimals <= CORE_CACHE_MAX_DECIMALS,
               "cache_decimals is %d, outside 0 .. %d", o.cache_decimals,
               CORE_CACHE_MAX_DECIMALS);

  core::pipeline::Config c;
  c.rate = o.sample_rate;
  c.ring_capacity = static_cast<std::size_t>(o.ring_ms * rate / 1000);
  c.ring_policy = o.ring_policy;
  c.vad = o.vad;
  c.vad.sample_rate = o.sample_rate;  // set from sample_rate (pipeline.h)
  c.logmel = o.logmel;
  c.logmel.sample_rate = o.sample_rate;
  c.window = window;
  c.hop = o.hop_ms * rate / 1000;
  c.speech_only = o.speech_only == 1;
  c.dim = o.dim;
  c.encoder = o.encoder;
  c.encoder_user = o.encoder_user;
  c.cache = o.cache;
  c.cache_options = o.cache_options;
  c.decimals = o.cache_decimals;
  c.metrics = o.metrics;
  if (o.metrics_prefix != nullptr) c.prefix = o.metrics_prefix;
  // The batcher: one length bucket is enough (every window has one
  // length), but the caller's buckets are checked and kept all the same.
  char why[400];
  CORE_REQUIRE(core::pipeline::batcher_options_from(o.batch, &c.batch, why, sizeof why),
               "batch: %s", why);

  core_status st = CORE_OK;
  why[0] = '\0';
  // Building on other public calls (core_metrics_find may miss): a success
  // must leave the caller's message as it was (KeepMessage in guard.h).
  const ::core::abi::KeepMessage keep;
  std::unique_ptr<Pipeline> p = Pipeline::create(c, &st, why, sizeof why);
  if (!p) return ::core::abi::fail(st, core_abi_fn_, "%s", why);
  *out = wrap(p.release());
  keep.restore();
  return CORE_OK;
  CORE_ABI_END
}

CORE_API void core_pipeline_destroy(core_pipeline_t *p) {
  if (p == nullptr || unwrap(p)->magic != core::pipeline::kMagic) return;
  delete unwrap(p);
}

CORE_API core_status core_pipeline_push_f32(core_pipeline_t *p, const float *x, size_t n) {
  CORE_ABI_BEGIN("core_pipeline_push_f32")
  CORE_REQUIRE_PIPELINE(p);
  CORE_REQUIRE_ARRAY(x, n);
  CORE_REQUIRE(!pl.flushed(), "the stream was flushed: no push after flush");
  const core_status st = pl.push_f32(x, n);
  CORE_CHECK(st == CORE_OK, st, "n = %zu does not fit in the ring (REJECT; nothing written)", n);
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_pipeline_push_i16(core_pipeline_t *p, const int16_t *x, size_t n) {
  CORE_ABI_BEGIN("core_pipeline_push_i16")
  CORE_REQUIRE_PIPELINE(p);
  CORE_REQUIRE_ARRAY(x, n);
  CORE_REQUIRE(!pl.flushed(), "the stream was flushed: no push after flush");
  const core_status st = pl.push_i16(x, n);
  CORE_CHECK(st == CORE_OK, st, "n = %zu does not fit in the ring (REJECT; nothing written)", n);
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_pipeline_flush(core_pipeline_t *p) {
  CORE_ABI_BEGIN("core_pipeline_flush")
  CORE_REQUIRE_PIPELINE(p);
  pl.flush();
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_pipeline_next_event(core_pipeline_t *p, core_event_t *ev) {
  CORE_ABI_BEGIN("core_pipeline_next_event")
  CORE_REQUIRE_PIPELINE(p);
  CORE_REQUIRE_OUT(ev);
  // The analysis fails public calls in normal operation (an empty ring, a
  // cache miss, no segment yet), each writing the message; a success must
  // leave the caller's message as it was (KeepMessage in guard.h).
  const ::core::abi::KeepMessage keep;
  const core_status st = pl.next_event(ev);
  CORE_CHECK(st == CORE_OK, st, "no event ready");
  keep.restore();
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_pipeline_submit_embedding(core_pipeline_t *p, uint64_t window_id,
                                                    const float *embedding, size_t dim) {
  CORE_ABI_BEGIN("core_pipeline_submit_embedding")
  CORE_REQUIRE_PIPELINE(p);
  CORE_REQUIRE_OUT(embedding);
  CORE_REQUIRE(dim == pl.dim(), "dim is %zu, the pipeline's dim is %zu", dim, pl.dim());
  const ::core::abi::KeepMessage keep;  // as in next_event (the cache put may fail)
  const core_status st = pl.submit(window_id, embedding);
  CORE_CHECK(st == CORE_OK, st, "window %llu is not waiting for an embedding",
             static_cast<unsigned long long>(window_id));
  keep.restore();
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_pipeline_stats(const core_pipeline_t *p, core_pipeline_stats_t *out) {
  CORE_ABI_BEGIN("core_pipeline_stats")
  CORE_REQUIRE(p != nullptr, "p is NULL");
  CORE_REQUIRE(live(p) != nullptr, "p is not a live core_pipeline_t (already destroyed?)");
  CORE_REQUIRE_OUT(out);
  live(p)->stats(out);
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_metrics_t *core_pipeline_metrics(const core_pipeline_t *p) {
  const Pipeline *q = live(p);
  return q != nullptr ? q->metrics() : nullptr;
}

}  // extern "C"
