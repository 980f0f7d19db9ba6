/* The pipeline and the batcher in the fallback table. The pipeline is the
 * composition of modules the fallback does not have (ring, VAD, log-mel,
 * cache, metrics), so it has no portable version; the batcher is kept out
 * with it rather than duplicated for a table that cannot run a pipeline.
 * The options_init calls fill their structs with the library's defaults
 * (test_loader_real compares them byte for byte); create returns
 * CORE_E_UNAVAILABLE with a message and sets *out to NULL, so no handle
 * exists and every call on one refuses too; pending answers 0, metrics
 * NULL, the destroys do nothing. */
#include <string.h>

#include "libcore/loader/fallback.h"
#include "libcore/loader/fallback_util.h"

core_status core_fb_batcher_options_init(core_batcher_options_t *opts) {
  static const char *const fb_fn = "core_batcher_options_init";
  FB_REQUIRE_OUT(opts);
  memset(opts, 0, sizeof *opts);
  opts->struct_size = sizeof *opts;
  opts->max_batch = 8;
  opts->max_delay_ms = 50;
  return CORE_OK;
}

core_status core_fb_pipeline_options_init(core_pipeline_options_t *opts) {
  static const char *const fb_fn = "core_pipeline_options_init";
  FB_REQUIRE_OUT(opts);
  memset(opts, 0, sizeof *opts);
  opts->struct_size = sizeof *opts;
  opts->sample_rate = 16000;
  opts->ring_ms = 10000;
  opts->ring_policy = CORE_RING_OVERWRITE;
  if (core_fb_vad_options_init(&opts->vad) != CORE_OK ||
      core_fb_logmel_options_init(&opts->logmel) != CORE_OK ||
      core_fb_cache_options_init(&opts->cache_options) != CORE_OK ||
      core_fb_batcher_options_init(&opts->batch) != CORE_OK)
    return CORE_E_INTERNAL;
  opts->window_ms = 1000;
  opts->hop_ms = 500;
  opts->speech_only = 1;
  opts->cache_decimals = 4;
  return CORE_OK;
}

void core_fb_batcher_destroy(core_batcher_t *b) { (void)b; }
void core_fb_pipeline_destroy(core_pipeline_t *p) { (void)p; }
size_t core_fb_batcher_pending(const core_batcher_t *b) {
  (void)b;
  return 0;
}
core_metrics_t *core_fb_pipeline_metrics(const core_pipeline_t *p) {
  (void)p;
  return NULL;
}

core_status core_fb_batcher_create(const core_batcher_options_t *opts, core_batcher_t **out) {
  (void)opts;
  if (out != NULL) *out = NULL;
  FB_UNAVAILABLE("core_batcher_create", "pipeline");
}
core_status core_fb_pipeline_create(const core_pipeline_options_t *opts, core_pipeline_t **out) {
  (void)opts;
  if (out != NULL) *out = NULL;
  FB_UNAVAILABLE("core_pipeline_create", "pipeline");
}

#define FB_PIPELINE_STUB(name, ...)             \
  core_status core_fb_##name(__VA_ARGS__) {     \
    FB_UNAVAILABLE("core_" #name, "pipeline");  \
  }

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#endif
FB_PIPELINE_STUB(batcher_add, core_batcher_t *b, uint64_t id, uint64_t length)
FB_PIPELINE_STUB(batcher_next, core_batcher_t *b, uint64_t *ids, size_t cap, size_t *count,
                 size_t *bucket)
FB_PIPELINE_STUB(batcher_flush, core_batcher_t *b)
FB_PIPELINE_STUB(batcher_next_deadline, const core_batcher_t *b, uint64_t *ns)
FB_PIPELINE_STUB(pipeline_push_f32, core_pipeline_t *p, const float *x, size_t n)
FB_PIPELINE_STUB(pipeline_push_i16, core_pipeline_t *p, const int16_t *x, size_t n)
FB_PIPELINE_STUB(pipeline_flush, core_pipeline_t *p)
FB_PIPELINE_STUB(pipeline_next_event, core_pipeline_t *p, core_event_t *ev)
FB_PIPELINE_STUB(pipeline_submit_embedding, core_pipeline_t *p, uint64_t window_id,
                 const float *embedding, size_t dim)
FB_PIPELINE_STUB(pipeline_stats, const core_pipeline_t *p, core_pipeline_stats_t *out)
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
