/* The audio front end in the fallback table. Log-mel, VAD and file reading
 * live in libcore.so (SIMD FFT, libsndfile, libsoxr); a portable copy would
 * be a second front end to keep Whisper-exact, so the fallback has none:
 * the two options_init calls fill their structs with the library's
 * defaults (test_loader_real compares them byte for byte), every other
 * call returns CORE_E_UNAVAILABLE with a message, and since no analyser,
 * stream, detector or file reader can exist, the destroys (and
 * audio_reader_close) do nothing. */
#include <string.h>

#include "libcore/loader/fallback_util.h"

core_status core_fb_logmel_options_init(core_logmel_options_t *opts) {
  static const char *const fb_fn = "core_logmel_options_init";
  FB_REQUIRE_OUT(opts);
  memset(opts, 0, sizeof *opts);
  opts->struct_size = sizeof *opts;
  opts->sample_rate = 16000;
  opts->n_fft = 400;
  opts->hop = 160;
  opts->n_mels = 80;
  opts->fmin = 0.0;
  opts->fmax = 0.0;
  opts->mode = CORE_LOGMEL_WHISPER;
  opts->window_frames = 3000;
  return CORE_OK;
}

core_status core_fb_vad_options_init(core_vad_options_t *opts) {
  static const char *const fb_fn = "core_vad_options_init";
  FB_REQUIRE_OUT(opts);
  memset(opts, 0, sizeof *opts);
  opts->struct_size = sizeof *opts;
  opts->sample_rate = 16000;
  opts->frame_ms = 30;
  opts->threshold = 0.5f;
  opts->neg_threshold = 0.0f;
  opts->min_speech_ms = 250;
  opts->min_silence_ms = 100;
  opts->speech_pad_ms = 30;
  opts->max_speech_ms = 0;
  return CORE_OK;
}

void core_fb_logmel_destroy(core_logmel_t *lm) { (void)lm; }
void core_fb_logmel_stream_destroy(core_logmel_stream_t *s) { (void)s; }
void core_fb_vad_destroy(core_vad_t *vad) { (void)vad; }
void core_fb_audio_reader_close(core_audio_reader_t *r) { (void)r; }

/* Creation refuses and sets *out to NULL, as the ring, cache and metrics
 * stubs do (the library itself leaves *out unchanged on error): no handle
 * can come out of the fallback. */
core_status core_fb_logmel_create(const core_logmel_options_t *opts, core_logmel_t **out) {
  (void)opts;
  if (out != NULL) *out = NULL;
  FB_UNAVAILABLE("core_logmel_create", "audio");
}
core_status core_fb_logmel_stream_create(const core_logmel_options_t *opts,
                                         core_logmel_stream_t **out) {
  (void)opts;
  if (out != NULL) *out = NULL;
  FB_UNAVAILABLE("core_logmel_stream_create", "audio");
}
core_status core_fb_vad_create(const core_vad_options_t *opts, core_vad_t **out) {
  (void)opts;
  if (out != NULL) *out = NULL;
  FB_UNAVAILABLE("core_vad_create", "audio");
}
/* Collections read files: nothing to run without the library. The
 * options are the library's defaults (test_loader_real compares them). */
core_status core_fb_collection_options_init(core_collection_options_t *opts) {
  static const char *const fb_fn = "core_collection_options_init";
  FB_REQUIRE_OUT(opts);
  memset(opts, 0, sizeof *opts);
  opts->struct_size = sizeof *opts;
  opts->sample_rate = 16000;
  opts->chunk_samples = 65536;
  opts->vad = 1;
  opts->max_segments = 100000;
  if (core_fb_vad_options_init(&opts->vad_options) != CORE_OK ||
      core_fb_logmel_options_init(&opts->logmel_options) != CORE_OK)
    return CORE_E_INTERNAL;
  return CORE_OK;
}
core_status core_fb_audio_open(const char *path, uint32_t target_rate,
                               core_audio_reader_t **out) {
  (void)path, (void)target_rate;
  if (out != NULL) *out = NULL;
  FB_UNAVAILABLE("core_audio_open", "audio");
}

#define FB_AUDIO_STUB(name, ...)                 \
  core_status core_fb_##name(__VA_ARGS__) {      \
    FB_UNAVAILABLE("core_" #name, "audio");      \
  }

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#endif
FB_AUDIO_STUB(logmel_frames, const core_logmel_t *lm, size_t n_samples, size_t *n_frames)
FB_AUDIO_STUB(logmel_filters, const core_logmel_t *lm, float *out, size_t cap, size_t *count)
FB_AUDIO_STUB(logmel_compute, core_logmel_t *lm, const float *samples, size_t n, float *out,
              size_t cap, size_t *n_frames)
FB_AUDIO_STUB(logmel_compute_batch, core_logmel_t *lm, const float *const *clips,
              const size_t *lens, size_t count, float *const *outs, const size_t *caps,
              size_t *n_frames)
FB_AUDIO_STUB(logmel_stream_push, core_logmel_stream_t *s, const float *x, size_t n)
FB_AUDIO_STUB(logmel_stream_flush, core_logmel_stream_t *s)
FB_AUDIO_STUB(logmel_stream_read, core_logmel_stream_t *s, float *out, size_t max_frames,
              size_t *n_frames)
FB_AUDIO_STUB(logmel_stream_available, const core_logmel_stream_t *s, size_t *n_frames)
FB_AUDIO_STUB(logmel_stream_reset, core_logmel_stream_t *s)
FB_AUDIO_STUB(vad_options_preset, core_vad_options_t *opts, int preset)
FB_AUDIO_STUB(vad_push, core_vad_t *vad, const float *x, size_t n)
FB_AUDIO_STUB(vad_flush, core_vad_t *vad)
FB_AUDIO_STUB(vad_next_segment, core_vad_t *vad, core_segment_t *out)
FB_AUDIO_STUB(vad_open_segment, const core_vad_t *vad, uint64_t *start)
FB_AUDIO_STUB(vad_reset, core_vad_t *vad)
FB_AUDIO_STUB(vad_segments, const float *x, size_t n, const core_vad_options_t *opts,
              core_segment_t *out, size_t cap, size_t *count)
FB_AUDIO_STUB(audio_info, const char *path, core_audio_info_t *info)
FB_AUDIO_STUB(audio_read, const char *path, uint32_t target_rate, float *out, size_t cap,
              size_t *n)
FB_AUDIO_STUB(audio_reader_read, core_audio_reader_t *r, float *out, size_t n, size_t *got)
FB_AUDIO_STUB(audio_reader_info, const core_audio_reader_t *r, core_audio_info_t *info)
FB_AUDIO_STUB(audio_reader_length, const core_audio_reader_t *r, uint64_t *total,
              uint64_t *done)
FB_AUDIO_STUB(collection_run, const char *const *paths, size_t n, const char *const *outputs,
              const core_collection_options_t *opts, core_collection_fn fn, void *user)
FB_AUDIO_STUB(file_summary_json, const core_file_summary_t *s, char *buf, size_t cap,
              size_t *len)
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
