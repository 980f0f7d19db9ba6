/* Unit tests for core_logmel_compute_batch: every clip's output equals
 * core_logmel_compute on it alone (own reflection, own WHISPER maximum),
 * whatever the thread count; every argument is checked before anything is
 * written. */
#include "test_logmel_util.h"

enum { M = 80, COUNT = 6 };
static const size_t kLens[COUNT] = {400, 401, 16000, 16000 * 7 + 4321, 480000, 1234};

struct batch {
  float *clips[COUNT];
  size_t lens[COUNT];
  float *outs[COUNT];
  size_t caps[COUNT], frames[COUNT];
};

static void batch_make(struct batch *b) {
  for (size_t i = 0; i < COUNT; ++i) {
    b->clips[i] = lm_signal(kLens[i], 200 + i);
    b->lens[i] = kLens[i];
    b->caps[i] = M * (kLens[i] / 160);
    b->outs[i] = lm_buf(b->caps[i]);
    for (size_t j = 0; j < b->caps[i]; ++j) b->outs[i][j] = 555.0f;
    b->frames[i] = 77;
  }
  /* Louder and quieter clips: their WHISPER maxima differ. */
  for (size_t j = 0; j < kLens[2]; ++j) b->clips[2][j] *= 0.01f;
}

static void batch_free(struct batch *b) {
  for (size_t i = 0; i < COUNT; ++i) {
    free(b->clips[i]);
    free(b->outs[i]);
  }
}

static core_status run(core_logmel_t *lm, struct batch *b) {
  return core_logmel_compute_batch(lm, (const float *const *)b->clips, b->lens, COUNT, b->outs,
                                   b->caps, b->frames);
}

static void check_equals_compute(int mode, int threads) {
  core_logmel_options_t o = lm_opts(M, mode);
  core_logmel_t *lm = lm_make(&o);
  struct batch b;
  batch_make(&b);
  OK(core_set_num_threads(threads));
  OK(run(lm, &b));
  OK(core_set_num_threads(0));
  for (size_t i = 0; i < COUNT; ++i) {
    size_t frames = 0;
    float *want = lm_compute(lm, b.clips[i], b.lens[i], M, &frames);
    cr_expect_eq(b.frames[i], frames, "clip %zu: %zu frames, want %zu", i, b.frames[i], frames);
    cr_expect(memcmp(b.outs[i], want, M * frames * sizeof(float)) == 0,
              "mode %d, %d threads: clip %zu differs from core_logmel_compute", mode, threads, i);
    free(want);
  }
  batch_free(&b);
  core_logmel_destroy(lm);
}

Test(logmel_batch, equals_compute_whisper) { check_equals_compute(CORE_LOGMEL_WHISPER, 0); }
Test(logmel_batch, equals_compute_log10) { check_equals_compute(CORE_LOGMEL_LOG10, 0); }
Test(logmel_batch, equals_compute_one_thread) { check_equals_compute(CORE_LOGMEL_WHISPER, 1); }
Test(logmel_batch, equals_compute_two_threads) { check_equals_compute(CORE_LOGMEL_WHISPER, 2); }

/* Inputs may share memory (the same clip twice); count 0 does nothing. */
Test(logmel_batch, shared_inputs_and_empty_batch) {
  core_logmel_options_t o = lm_opts(M, CORE_LOGMEL_WHISPER);
  core_logmel_t *lm = lm_make(&o);
  float *x = lm_signal(20000, 210);
  const float *clips[2] = {x, x + 1000};
  const size_t lens[2] = {20000, 12000};
  float *outs[2] = {lm_buf(M * 125), lm_buf(M * 75)};
  const size_t caps[2] = {M * 125, M * 75};
  size_t frames[2] = {0, 0};
  OK(core_logmel_compute_batch(lm, clips, lens, 2, outs, caps, frames));
  cr_expect_eq(frames[0], 125);
  cr_expect_eq(frames[1], 75);
  size_t f = 0;
  float *want = lm_compute(lm, x + 1000, 12000, M, &f);
  cr_expect(memcmp(outs[1], want, M * f * sizeof(float)) == 0);
  OK(core_logmel_compute_batch(lm, NULL, NULL, 0, NULL, NULL, NULL));
  free(want);
  free(outs[0]);
  free(outs[1]);
  free(x);
  core_logmel_destroy(lm);
}

/* Nothing written: outputs still 555, frame counts still 77. */
static void expect_untouched(const struct batch *b, int frames_too) {
  for (size_t i = 0; i < COUNT; ++i) {
    if (frames_too) cr_expect_eq(b->frames[i], 77, "n_frames[%zu] written on error", i);
    for (size_t j = 0; j < b->caps[i]; ++j)
      CHECK(b->outs[i][j] == 555.0f, "outs[%zu][%zu] written on error", i, j);
  }
}

#define FN "core_logmel_compute_batch"

Test(logmel_batch, null_arguments) {
  core_logmel_options_t o = lm_opts(M, CORE_LOGMEL_WHISPER);
  core_logmel_t *lm = lm_make(&o);
  struct batch b;
  batch_make(&b);
  const float *const *c = (const float *const *)b.clips;
  ERRMSG(CORE_E_INVALID_ARGUMENT, FN, "lm is NULL",
         core_logmel_compute_batch(NULL, c, b.lens, COUNT, b.outs, b.caps, b.frames));
  ERRMSG(CORE_E_INVALID_ARGUMENT, FN, "clips is NULL but count is 6",
         core_logmel_compute_batch(lm, NULL, b.lens, COUNT, b.outs, b.caps, b.frames));
  ERRMSG(CORE_E_INVALID_ARGUMENT, FN, "lens is NULL",
         core_logmel_compute_batch(lm, c, NULL, COUNT, b.outs, b.caps, b.frames));
  ERRMSG(CORE_E_INVALID_ARGUMENT, FN, "outs is NULL",
         core_logmel_compute_batch(lm, c, b.lens, COUNT, NULL, b.caps, b.frames));
  ERRMSG(CORE_E_INVALID_ARGUMENT, FN, "caps is NULL",
         core_logmel_compute_batch(lm, c, b.lens, COUNT, b.outs, NULL, b.frames));
  ERRMSG(CORE_E_INVALID_ARGUMENT, FN, "n_frames is NULL",
         core_logmel_compute_batch(lm, c, b.lens, COUNT, b.outs, b.caps, NULL));
  float *keep = b.clips[3];
  b.clips[3] = NULL;
  ERRMSG(CORE_E_INVALID_ARGUMENT, FN, "clips[3] is NULL", run(lm, &b));
  b.clips[3] = keep;
  keep = b.outs[4];
  b.outs[4] = NULL;
  ERRMSG(CORE_E_INVALID_ARGUMENT, FN, "outs[4] is NULL", run(lm, &b));
  b.outs[4] = keep;
  expect_untouched(&b, 1);
  batch_free(&b);
  core_logmel_destroy(lm);
}

Test(logmel_batch, clip_too_short) {
  core_logmel_options_t o = lm_opts(M, CORE_LOGMEL_WHISPER);
  core_logmel_t *lm = lm_make(&o);
  struct batch b;
  batch_make(&b);
  b.lens[5] = 399;
  ERRMSG(CORE_E_INVALID_ARGUMENT, FN, "lens[5] = 399 samples is fewer than n_fft = 400", run(lm, &b));
  b.lens[5] = 0;
  ERR(CORE_E_INVALID_ARGUMENT, FN, run(lm, &b));
  expect_untouched(&b, 1);
  batch_free(&b);
  core_logmel_destroy(lm);
}

Test(logmel_batch, overlaps) {
  core_logmel_options_t o = lm_opts(M, CORE_LOGMEL_WHISPER);
  core_logmel_t *lm = lm_make(&o);
  struct batch b;
  batch_make(&b);
  /* outs[1] (2 frames: 160 values) inside clips[3]. */
  float *keep = b.outs[1];
  b.outs[1] = b.clips[3] + 100;
  ERRMSG(CORE_E_INVALID_ARGUMENT, FN, "outs[1] overlaps clips[3]", run(lm, &b));
  /* ... and inside outs[4] instead (written in parallel: refused too). */
  b.outs[1] = b.outs[4] + 1000;
  ERRMSG(CORE_E_INVALID_ARGUMENT, FN, "outs[4] overlaps outs[1]", run(lm, &b));
  b.outs[1] = keep;
  /* The last value of outs[0] on the first sample of clips[0]. */
  float *big = lm_buf(b.caps[0] + b.lens[0]);
  memcpy(big + b.caps[0] - 1, b.clips[0], b.lens[0] * sizeof(float));
  float *keep_out = b.outs[0], *keep_clip = b.clips[0];
  b.outs[0] = big;
  b.clips[0] = big + b.caps[0] - 1;
  ERRMSG(CORE_E_INVALID_ARGUMENT, FN, "outs[0] overlaps clips[0]", run(lm, &b));
  b.outs[0] = keep_out;
  b.clips[0] = keep_clip;
  expect_untouched(&b, 1);
  /* Adjacent buffers are fine. */
  b.outs[0] = big;
  b.clips[0] = big + b.caps[0];
  memmove(b.clips[0], big + b.caps[0] - 1, b.lens[0] * sizeof(float));
  OK(run(lm, &b));
  b.outs[0] = keep_out;
  b.clips[0] = keep_clip;
  free(big);
  batch_free(&b);
  core_logmel_destroy(lm);
}

Test(logmel_batch, buffer_too_small_writes_every_count) {
  core_logmel_options_t o = lm_opts(M, CORE_LOGMEL_WHISPER);
  core_logmel_t *lm = lm_make(&o);
  struct batch b;
  batch_make(&b);
  b.caps[2] -= 1;
  b.caps[4] = 0;
  ERRMSG(CORE_E_BUFFER_TOO_SMALL, FN, "caps[2] = 7999 floats is smaller than n_mels x n_frames = 80 x 100",
         run(lm, &b));
  for (size_t i = 0; i < COUNT; ++i)
    cr_expect_eq(b.frames[i], kLens[i] / 160, "n_frames[%zu] = %zu", i, b.frames[i]);
  expect_untouched(&b, 0);
  batch_free(&b);
  core_logmel_destroy(lm);
}
