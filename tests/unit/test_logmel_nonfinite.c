/* Unit tests for non-finite samples in the offline log-mel (audio.h
 * convention 3): a frame reading a NaN or an infinity, directly or through
 * the edge reflection, or whose power overflows float32, is NaN in every
 * band; every other frame is bit for bit what it is without the bad
 * sample; WHISPER's maximum ignores the NaN frames. Streams: see
 * test_logmel_stream.c. */
#include "test_logmel_util.h"

/* N % 160 < 40: the last frames reach past the end and reflect. */
enum { N = 16000 + 13 };

/* LOG10 of x with x[p] = bad, against the clean signal, frame by frame. */
static void check_bad_sample(size_t p, float bad) {
  core_logmel_options_t o = lm_opts(80, CORE_LOGMEL_LOG10);
  core_logmel_t *lm = lm_make(&o);
  float *x = lm_signal(N, 11);
  size_t frames = 0;
  float *clean = lm_compute(lm, x, N, 80, &frames);
  x[p] = bad;
  float *dirty = lm_compute(lm, x, N, 80, &frames);
  size_t nan_frames = 0;
  for (size_t t = 0; t < frames; ++t) {
    const int reads = lm_frame_reads((int64_t)t, (int64_t)p, N, 400, 160);
    nan_frames += reads;
    for (size_t m = 0; m < 80; ++m) {
      const float v = dirty[m * frames + t];
      if (reads) CHECK(isnan(v), "sample %zu = %g: frame %zu band %zu is %g, want NaN", p, bad, t, m, v);
      else CHECK(lm_same_bits(v, clean[m * frames + t]),
                 "sample %zu = %g: frame %zu band %zu changed (%.9g -> %.9g)", p, bad, t, m,
                 clean[m * frames + t], v);
    }
  }
  cr_expect_geq(nan_frames, 1, "sample %zu should be read by some frame", p);
  free(clean);
  free(dirty);
  free(x);
  core_logmel_destroy(lm);
}

Test(logmel_nonfinite, nan_only_touches_its_frames) { check_bad_sample(5000, NAN); }
Test(logmel_nonfinite, infinities_only_touch_their_frames) {
  check_bad_sample(7777, INFINITY);
  check_bad_sample(9001, -INFINITY);
}
/* Near the edges the sample is also read through the reflection. */
Test(logmel_nonfinite, nan_through_the_reflection) {
  check_bad_sample(3, NAN);
  check_bad_sample(150, NAN);
  check_bad_sample(N - 2, NAN);
  check_bad_sample(N - 30, NAN);
}
/* 1e30 is finite but its power is not (window weight >= 6e-5 at every
 * position but the first, where the periodic Hann window is 0: sample 8001
 * is never a frame's first, (8001 + 200) % 160 != 0). */
Test(logmel_nonfinite, power_overflow_is_nan) { check_bad_sample(8001, 1e30f); }

/* WHISPER: the floor comes from the finite frames only, and NaN frames stay
 * NaN after it. */
Test(logmel_nonfinite, whisper_max_ignores_nan_frames) {
  core_logmel_options_t ol = lm_opts(80, CORE_LOGMEL_LOG10), ow = lm_opts(80, CORE_LOGMEL_WHISPER);
  core_logmel_t *l = lm_make(&ol), *w = lm_make(&ow);
  float *x = lm_signal(N, 12);
  for (size_t i = 6000; i < 6040; ++i) x[i] = NAN;
  size_t frames = 0;
  float *a = lm_compute(l, x, N, 80, &frames);
  float *b = lm_compute(w, x, N, 80, &frames);
  float mx = -INFINITY;
  size_t nans = 0;
  for (size_t i = 0; i < 80 * frames; ++i) {
    if (isnan(a[i])) ++nans;
    else if (a[i] > mx) mx = a[i];
  }
  cr_assert_gt(nans, 0);
  cr_assert(isfinite(mx));
  for (size_t i = 0; i < 80 * frames; ++i) {
    const float want = ((a[i] < mx - 8.0f ? mx - 8.0f : a[i]) + 4.0f) / 4.0f;
    CHECK(isnan(a[i]) ? isnan(b[i]) : lm_same_bits(b[i], want), "value %zu: %.9g, want %.9g", i,
          b[i], want);
  }
  free(a);
  free(b);
  free(x);
  core_logmel_destroy(l);
  core_logmel_destroy(w);
}

/* All NaN: every value NaN, no error. */
Test(logmel_nonfinite, all_nan_input) {
  core_logmel_options_t o = lm_opts(80, CORE_LOGMEL_WHISPER);
  core_logmel_t *lm = lm_make(&o);
  float *x = lm_buf(1000);
  for (size_t i = 0; i < 1000; ++i) x[i] = NAN;
  size_t frames = 0;
  float *out = lm_compute(lm, x, 1000, 80, &frames);
  for (size_t i = 0; i < 80 * frames; ++i) CHECK(isnan(out[i]), "value %zu = %g", i, out[i]);
  free(out);
  free(x);
  core_logmel_destroy(lm);
}
