/* Out-of-memory scenarios of audio.h (log-mel and VAD; audio files are
 * left out, see oom_harness.c): create on the SIMD FFT and on KissFFT,
 * compute and compute_batch, the stream's create, push (documented: on
 * CORE_E_OUT_OF_MEMORY the stream is unchanged, nothing of x taken) and
 * flush; VAD create with 10 and 30 ms frames, push while segments pile up
 * unread (documented: the stream is then incomplete, reset it), and the
 * offline core_vad_segments. Inputs: synthetic voiced bursts over noise
 * (oom_harness.c). */
#include <string.h>

#include "oom.h"

#define MAX_FRAMES 1300 /* 12 s at hop 160: 1200 frames */

typedef struct audio_ctx {
  core_logmel_options_t lo;
  core_vad_options_t vo;
  core_logmel_t *lm;
  core_logmel_stream_t *st;
  core_vad_t *vad;
  int out_written;
  size_t pos, frames[3];
  core_segment_t seg[64];
  size_t nseg;
} audio_ctx;

static float g_out[80 * MAX_FRAMES], g_outs[3][80 * 600];

static void teardown(void *c) {
  audio_ctx *x = c;
  core_logmel_destroy(x->lm);
  core_logmel_stream_destroy(x->st);
  core_vad_destroy(x->vad);
}

/* ---- log-mel create ---- */

static void setup_whisper(void *c) {
  audio_ctx *x = c;
  OOM_OK(core_logmel_options_init(&x->lo));
}

/* An odd n_fft: not planned by the SIMD kernel, so KissFFT (audio.h). */
static void setup_kissfft(void *c) {
  audio_ctx *x = c;
  OOM_OK(core_logmel_options_init(&x->lo));
  x->lo.n_fft = 401;
  x->lo.n_mels = 64;
  x->lo.mode = CORE_LOGMEL_LOG10;
}

static core_status op_create(void *c) {
  audio_ctx *x = c;
  core_logmel_t *out = OOM_SENTINEL;
  const core_status st = core_logmel_create(&x->lo, &out);
  if (st == CORE_OK) x->lm = out;
  else x->out_written = out != OOM_SENTINEL;
  return st;
}

static void state_out(void *c, oom_fp *fp) {
  audio_ctx *x = c;
  fp_add(fp, "out_written=%d", x->out_written);
}

/* The filters and a 2 s spectrogram. */
static void result_lm(void *c, oom_fp *fp) {
  audio_ctx *x = c;
  size_t count = 0, n = 0, frames = 0;
  const float *speech = oom_speech(&n);
  OOM_OK(core_logmel_filters(x->lm, g_out, sizeof g_out / sizeof g_out[0], &count));
  fp_hash(fp, "filters", g_out, count * sizeof(float));
  OOM_OK(core_logmel_compute(x->lm, speech, 32000, g_out, sizeof g_out / sizeof g_out[0],
                             &frames));
  fp_hash(fp, "mel", g_out, frames * x->lo.n_mels * sizeof(float));
}

/* ---- compute ---- */

static void setup_compute(void *c) {
  audio_ctx *x = c;
  OOM_OK(core_logmel_options_init(&x->lo));
  OOM_OK(core_logmel_create(&x->lo, &x->lm));
}

static core_status op_compute(void *c) {
  audio_ctx *x = c;
  size_t n = 0;
  const float *speech = oom_speech(&n);
  return core_logmel_compute(x->lm, speech, n, g_out, sizeof g_out / sizeof g_out[0],
                             &x->frames[0]);
}

static void result_compute(void *c, oom_fp *fp) {
  audio_ctx *x = c;
  fp_add(fp, "frames=%zu ", x->frames[0]);
  fp_hash(fp, "mel", g_out, x->frames[0] * 80 * sizeof(float));
}

static core_status op_batch(void *c) {
  audio_ctx *x = c;
  size_t n = 0;
  const float *speech = oom_speech(&n);
  const float *clips[3] = {speech, speech + 48000, speech + 100000};
  const size_t lens[3] = {80000, 16000, 95000};
  float *const outs[3] = {g_outs[0], g_outs[1], g_outs[2]};
  const size_t caps[3] = {80 * 600, 80 * 600, 80 * 600};
  return core_logmel_compute_batch(x->lm, clips, lens, 3, outs, caps, x->frames);
}

static void result_batch(void *c, oom_fp *fp) {
  audio_ctx *x = c;
  for (int i = 0; i < 3; ++i) {
    fp_add(fp, "frames=%zu ", x->frames[i]);
    fp_hash(fp, "mel", g_outs[i], x->frames[i] * 80 * sizeof(float));
  }
}

/* ---- streams ---- */

static void setup_stream_opts(void *c) {
  audio_ctx *x = c;
  OOM_OK(core_logmel_options_init(&x->lo));
  x->lo.window_frames = 500; /* WHISPER: windows of 5 s */
}

static core_status op_stream_create(void *c) {
  audio_ctx *x = c;
  core_logmel_stream_t *out = OOM_SENTINEL;
  const core_status st = core_logmel_stream_create(&x->lo, &out);
  if (st == CORE_OK) x->st = out;
  else x->out_written = out != OOM_SENTINEL;
  return st;
}

/* Everything the stream gives for the first 12 s after flush. */
static void drain_stream(audio_ctx *x, oom_fp *fp) {
  size_t total = 0, got = 0;
  do {
    OOM_OK(core_logmel_stream_read(x->st, g_out + total * x->lo.n_mels, 97, &got));
    total += got;
    OOM_TRUE(total + 97 <= MAX_FRAMES);
  } while (got > 0);
  fp_add(fp, "frames=%zu ", total);
  fp_hash(fp, "mel", g_out, total * x->lo.n_mels * sizeof(float));
}

static void result_stream_create(void *c, oom_fp *fp) {
  audio_ctx *x = c;
  size_t n = 0;
  const float *speech = oom_speech(&n);
  OOM_OK(core_logmel_stream_push(x->st, speech, 64000));
  OOM_OK(core_logmel_stream_flush(x->st));
  drain_stream(x, fp);
}

/* Push: LOG10 frames become readable as they are computed; WHISPER ones
 * when their window (300 frames, 3 s) is complete. 0.7 s are pushed
 * first; the walked push adds 6 s at once (its buffers grow, windows
 * complete). A failed push must leave the stream unchanged (nothing of x
 * taken): its retry then gives the same frames. */
static void setup_push(void *c, int mode) {
  audio_ctx *x = c;
  size_t n = 0;
  const float *speech = oom_speech(&n);
  OOM_OK(core_logmel_options_init(&x->lo));
  x->lo.mode = mode;
  x->lo.window_frames = 300;
  OOM_OK(core_logmel_stream_create(&x->lo, &x->st));
  OOM_OK(core_logmel_stream_push(x->st, speech, 11200));
  x->pos = 11200;
}
static void setup_push_log10(void *c) { setup_push(c, CORE_LOGMEL_LOG10); }
static void setup_push_whisper(void *c) { setup_push(c, CORE_LOGMEL_WHISPER); }

static core_status op_push(void *c) {
  audio_ctx *x = c;
  size_t n = 0;
  const float *speech = oom_speech(&n);
  return core_logmel_stream_push(x->st, speech + x->pos, 96000);
}

/* What is ready after the push, then the rest of the 12 s and the flush. */
static void result_push(void *c, oom_fp *fp) {
  audio_ctx *x = c;
  size_t ready = 0, n = 0;
  const float *speech = oom_speech(&n);
  OOM_OK(core_logmel_stream_available(x->st, &ready));
  fp_add(fp, "ready=%zu ", ready);
  OOM_OK(core_logmel_stream_push(x->st, speech + x->pos + 96000, n - x->pos - 96000));
  OOM_OK(core_logmel_stream_flush(x->st));
  drain_stream(x, fp);
}

/* The frames ready now; read without consuming them would need a copy of
 * the stream, so the count is compared, and the frames themselves through
 * the retry's result. */
static void state_stream(void *c, oom_fp *fp) {
  audio_ctx *x = c;
  size_t ready = 0;
  OOM_OK(core_logmel_stream_available(x->st, &ready));
  fp_add(fp, "ready=%zu", ready);
}

/* Flush: 11.3 s pushed (the last window partly filled), then flush. */
static void setup_flush(void *c) {
  audio_ctx *x = c;
  size_t n = 0;
  const float *speech = oom_speech(&n);
  setup_push(c, CORE_LOGMEL_WHISPER);
  OOM_OK(core_logmel_stream_push(x->st, speech + x->pos, 181000 - x->pos));
}

static core_status op_flush(void *c) {
  audio_ctx *x = c;
  return core_logmel_stream_flush(x->st);
}

static void result_flush(void *c, oom_fp *fp) {
  audio_ctx *x = c;
  drain_stream(x, fp);
}

/* ---- VAD ---- */

static void setup_vad(void *c, unsigned frame_ms) {
  audio_ctx *x = c;
  OOM_OK(core_vad_options_init(&x->vo));
  x->vo.frame_ms = frame_ms;
  x->vo.max_speech_ms = 5000;
}
static void setup_vad30(void *c) { setup_vad(c, 30); }
static void setup_vad10(void *c) { setup_vad(c, 10); }

static core_status op_vad_create(void *c) {
  audio_ctx *x = c;
  core_vad_t *out = OOM_SENTINEL;
  const core_status st = core_vad_create(&x->vo, &out);
  if (st == CORE_OK) x->vad = out;
  else x->out_written = out != OOM_SENTINEL;
  return st;
}

/* The segments of the 12 s of speech, read as they come. */
static void result_vad_create(void *c, oom_fp *fp) {
  audio_ctx *x = c;
  size_t n = 0, count = 0;
  const float *speech = oom_speech(&n);
  core_segment_t s[16];
  OOM_OK(core_vad_push(x->vad, speech, n));
  OOM_OK(core_vad_flush(x->vad));
  while (count < 16 && core_vad_next_segment(x->vad, &s[count]) == CORE_OK) ++count;
  fp_add(fp, "segments=%zu ", count);
  fp_hash(fp, "seg", s, count * sizeof s[0]);
}

/* Push: the 24 bursts in 20 ms chunks, no segment read meanwhile, so the
 * queue of finished segments grows past its reserved 16. */
static void setup_vad_push(void *c) {
  audio_ctx *x = c;
  setup_vad(c, 10);
  OOM_OK(core_vad_create(&x->vo, &x->vad));
}

static core_status op_vad_push(void *c) {
  audio_ctx *x = c;
  size_t n = 0;
  const float *x0 = oom_many_bursts(&n);
  while (x->pos < n) {
    const size_t k = n - x->pos < 320 ? n - x->pos : 320;
    const core_status st = core_vad_push(x->vad, x0 + x->pos, k);
    if (st != CORE_OK) return st;
    x->pos += k;
  }
  return CORE_OK;
}

/* audio.h: "CORE_E_OUT_OF_MEMORY when the queue of unread segments cannot
 * grow (the stream is then incomplete: reset it)". */
static void recover_vad_push(void *c) {
  audio_ctx *x = c;
  OOM_OK(core_vad_reset(x->vad));
  x->pos = 0;
}

static void result_vad_push(void *c, oom_fp *fp) {
  audio_ctx *x = c;
  OOM_OK(core_vad_flush(x->vad));
  size_t count = 0;
  while (count < 64 && core_vad_next_segment(x->vad, &x->seg[count]) == CORE_OK) ++count;
  OOM_TRUE(count > 16); /* else the queue never grew: a weak scenario */
  fp_add(fp, "segments=%zu ", count);
  fp_hash(fp, "seg", x->seg, count * sizeof x->seg[0]);
}

static core_status op_vad_segments(void *c) {
  audio_ctx *x = c;
  size_t n = 0;
  const float *x0 = oom_many_bursts(&n);
  return core_vad_segments(x0, n, &x->vo, x->seg, 64, &x->nseg);
}

static void result_vad_segments(void *c, oom_fp *fp) {
  audio_ctx *x = c;
  fp_add(fp, "segments=%zu ", x->nseg);
  fp_hash(fp, "seg", x->seg, x->nseg * sizeof x->seg[0]);
}

static void state_vad_segments(void *c, oom_fp *fp) {
  audio_ctx *x = c;
  fp_add(fp, "count=%zu", x->nseg); /* *count is not written on error */
}

static void setup_vad_segments(void *c) {
  audio_ctx *x = c;
  setup_vad(c, 30);
  x->nseg = 999;
}

/* compute leases a workspace from the analyser's pool and gives it back
 * after; a pool that cannot grow to take it back frees it instead. */
static const char kPoolWhy[] =
    "the workspace pool cannot grow: the workspace is freed, Analyser::release in "
    "libcore/audio/logmel.cpp";

static const oom_scenario kAudio[] = {
    {.name = "logmel_create", .fn = "core_logmel_create", .expect = OOM_SOME,
     .flags = OOM_UNCHANGED, .setup = setup_whisper, .op = op_create, .result = result_lm,
     .state = state_out, .teardown = teardown},
    {.name = "logmel_create_kissfft", .fn = "core_logmel_create", .expect = OOM_SOME,
     .flags = OOM_UNCHANGED, .setup = setup_kissfft, .op = op_create, .result = result_lm,
     .state = state_out, .teardown = teardown},
    {.name = "logmel_compute", .fn = "core_logmel_compute", .expect = OOM_SOME,
     .flags = OOM_ABSORBS, .why = kPoolWhy, .setup = setup_compute, .op = op_compute,
     .result = result_compute, .teardown = teardown},
    {.name = "logmel_compute_batch", .fn = "core_logmel_compute_batch", .expect = OOM_SOME,
     .flags = OOM_ABSORBS, .why = kPoolWhy, .setup = setup_compute, .op = op_batch,
     .result = result_batch, .teardown = teardown},
    {.name = "logmel_stream_create", .fn = "core_logmel_stream_create", .expect = OOM_SOME,
     .flags = OOM_UNCHANGED, .setup = setup_stream_opts, .op = op_stream_create,
     .result = result_stream_create, .state = state_out, .teardown = teardown},
    {.name = "logmel_stream_push_log10", .fn = "core_logmel_stream_push", .expect = OOM_SOME,
     .flags = OOM_UNCHANGED, .setup = setup_push_log10, .op = op_push, .result = result_push,
     .state = state_stream, .teardown = teardown},
    {.name = "logmel_stream_push_whisper", .fn = "core_logmel_stream_push", .expect = OOM_SOME,
     .flags = OOM_UNCHANGED, .setup = setup_push_whisper, .op = op_push,
     .result = result_push, .state = state_stream, .teardown = teardown},
    {.name = "logmel_stream_flush", .fn = "core_logmel_stream_flush", .expect = OOM_SOME,
     .flags = OOM_UNCHANGED, .setup = setup_flush, .op = op_flush, .result = result_flush,
     .state = state_stream, .teardown = teardown},
    {.name = "vad_create_30ms", .fn = "core_vad_create", .expect = OOM_SOME,
     .flags = OOM_UNCHANGED, .setup = setup_vad30, .op = op_vad_create,
     .result = result_vad_create, .state = state_out, .teardown = teardown},
    {.name = "vad_create_10ms", .fn = "core_vad_create", .expect = OOM_SOME,
     .flags = OOM_UNCHANGED, .setup = setup_vad10, .op = op_vad_create,
     .result = result_vad_create, .state = state_out, .teardown = teardown},
    {.name = "vad_push_unread", .fn = "core_vad_push", .expect = OOM_SOME,
     .setup = setup_vad_push, .op = op_vad_push, .recover = recover_vad_push,
     .result = result_vad_push, .teardown = teardown},
    {.name = "vad_segments", .fn = "core_vad_segments", .expect = OOM_SOME,
     .flags = OOM_UNCHANGED, .setup = setup_vad_segments, .op = op_vad_segments,
     .result = result_vad_segments, .state = state_vad_segments, .teardown = teardown},
};

const oom_module oom_audio_module = {"audio", kAudio, sizeof kAudio / sizeof kAudio[0]};
