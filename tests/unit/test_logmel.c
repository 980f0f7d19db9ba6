/* Unit tests for the offline log-mel (audio.h): defaults, frame counts,
 * the filterbank against Whisper's files and a float64 formula, values
 * against a float64 direct-DFT reference for several option sets (even and
 * odd n_fft, fmin/fmax, other rates), WHISPER normalization, non-finite
 * samples, thread-count independence, concurrent use of one analyser, and
 * the FFT backends against each other. The JFK reference comparison is in
 * tests/audio (NumPy); bad input is in test_logmel_errors.c. */
#include <stdio.h>

#include "test_logmel_util.h"
#include "testdata.h"

Test(logmel, options_defaults_are_whisper) {
  core_logmel_options_t o;
  memset(&o, 0xab, sizeof o);
  OK(core_logmel_options_init(&o));
  cr_expect_eq(o.struct_size, sizeof o);
  cr_expect_eq(o.sample_rate, 16000);
  cr_expect_eq(o.n_fft, 400);
  cr_expect_eq(o.hop, 160);
  cr_expect_eq(o.n_mels, 80);
  cr_expect_eq(o.fmin, 0.0);
  cr_expect_eq(o.fmax, 0.0);
  cr_expect_eq(o.mode, CORE_LOGMEL_WHISPER);
  cr_expect_eq(o.window_frames, 3000);
  core_logmel_destroy(NULL);
  core_logmel_stream_destroy(NULL);
}

Test(logmel, frame_counts) {
  core_logmel_options_t o = lm_opts(80, CORE_LOGMEL_WHISPER);
  core_logmel_t *lm = lm_make(&o);
  size_t f = 0;
  OK(core_logmel_frames(lm, 480000, &f));
  cr_expect_eq(f, 3000, "Whisper's 30 s give 3000 frames, got %zu", f);
  OK(core_logmel_frames(lm, 176000, &f));
  cr_expect_eq(f, 1100);
  OK(core_logmel_frames(lm, 400, &f));
  cr_expect_eq(f, 2);
  OK(core_logmel_frames(lm, 479999, &f));
  cr_expect_eq(f, 2999);
  core_logmel_destroy(lm);
}

static void check_filters_file(uint32_t n_mels) {
  char name[64];
  snprintf(name, sizeof name, "mel_filters_%ux201.f32", n_mels);
  const char *path = TD_PATH(name);
  size_t n = 0;
  float *want = td_read_f32(path, &n);
  cr_assert(want != NULL && n == (size_t)n_mels * 201, "%s: %zu floats", path, n);
  core_logmel_options_t o = lm_opts(n_mels, CORE_LOGMEL_WHISPER);
  core_logmel_t *lm = lm_make(&o);
  float *got = lm_buf(n);
  size_t count = 0;
  OK(core_logmel_filters(lm, got, n, &count));
  cr_assert_eq(count, n);
  double worst = 0.0;
  for (size_t i = 0; i < n; ++i) {
    const double d = fabs((double)got[i] - (double)want[i]);
    if (d > worst) worst = d;
    if (want[i] == 0.0f) CHECK(got[i] == 0.0f, "bin %zu: %g where Whisper has 0", i, got[i]);
  }
  cr_expect_leq(worst, 1e-6, "%u bands: max |libcore - Whisper| = %g", n_mels, worst);
  free(got);
  free(want);
  core_logmel_destroy(lm);
}

Test(logmel, filters_match_whisper_80) { check_filters_file(80); }
Test(logmel, filters_match_whisper_128) { check_filters_file(128); }

/* Option sets away from Whisper's: other rates, bands, edges, odd n_fft
 * (KissFFT's complex path), hop above n_fft / 2. */
static const struct {
  uint32_t sr, n_fft, hop, n_mels;
  double fmin, fmax;
} kConfigs[] = {
    {16000, 64, 16, 12, 0.0, 0.0},     {8000, 63, 20, 10, 0.0, 0.0},
    {22050, 96, 40, 20, 300.0, 8000.0}, {44100, 128, 100, 40, 20.0, 0.0},
    {16000, 50, 37, 8, 125.0, 7600.0},  {1000, 32, 8, 17, 0.0, 500.0},
    {1000, 2, 1, 1, 0.0, 0.0},          {1000, 3, 2, 2, 0.0, 0.0},
};

Test(logmel, filters_match_formula_for_other_options) {
  for (size_t c = 0; c < sizeof kConfigs / sizeof kConfigs[0]; ++c) {
    core_logmel_options_t o = lm_opts(kConfigs[c].n_mels, CORE_LOGMEL_LOG10);
    o.sample_rate = kConfigs[c].sr;
    o.n_fft = kConfigs[c].n_fft;
    o.hop = kConfigs[c].hop;
    o.fmin = kConfigs[c].fmin;
    o.fmax = kConfigs[c].fmax;
    core_logmel_t *lm = lm_make(&o);
    const size_t bins = o.n_fft / 2 + 1, n = o.n_mels * bins;
    float *got = lm_buf(n);
    size_t count = 0;
    OK(core_logmel_filters(lm, got, n, &count));
    double *want = lm_ref_filters(o.sample_rate, o.n_fft, o.n_mels, o.fmin,
                                  o.fmax == 0.0 ? o.sample_rate / 2.0 : o.fmax);
    for (size_t m = 0; m < o.n_mels; ++m) {
      double row_max = 0.0;
      for (size_t k = 0; k < bins; ++k) row_max = fmax(row_max, want[m * bins + k]);
      for (size_t k = 0; k < bins; ++k)
        CHECK(fabs(got[m * bins + k] - want[m * bins + k]) <= 1e-6 * row_max,
              "config %zu band %zu bin %zu: %.9g, formula %.9g", c, m, k, got[m * bins + k],
              want[m * bins + k]);
    }
    free(want);
    free(got);
    core_logmel_destroy(lm);
  }
}

/* LOG10 values against the float64 direct DFT: within 2e-4 wherever the
 * reference is within 50 dB of its frame's loudest band (float32 FFT
 * round-off is relative to the frame's energy; see tests/audio), and
 * within 0.05 everywhere. */
Test(logmel, log10_matches_float64_dft) {
  for (size_t c = 0; c < sizeof kConfigs / sizeof kConfigs[0]; ++c) {
    core_logmel_options_t o = lm_opts(kConfigs[c].n_mels, CORE_LOGMEL_LOG10);
    o.sample_rate = kConfigs[c].sr;
    o.n_fft = kConfigs[c].n_fft;
    o.hop = kConfigs[c].hop;
    o.fmin = kConfigs[c].fmin;
    o.fmax = kConfigs[c].fmax;
    core_logmel_t *lm = lm_make(&o);
    const size_t n = 3 * o.n_fft + 5 * o.hop + 3;
    float *x = lm_signal(n, 100 + c);
    size_t frames = 0;
    float *got = lm_compute(lm, x, n, o.n_mels, &frames);
    cr_assert_eq(frames, n / o.hop);
    double *filt = lm_ref_filters(o.sample_rate, o.n_fft, o.n_mels, o.fmin,
                                  o.fmax == 0.0 ? o.sample_rate / 2.0 : o.fmax);
    double *want = lm_ref_log10(x, n, o.n_fft, o.hop, filt, o.n_mels);
    for (size_t t = 0; t < frames; ++t) {
      double fmaxv = -1e300;
      for (size_t m = 0; m < o.n_mels; ++m) fmaxv = fmax(fmaxv, want[m * frames + t]);
      for (size_t m = 0; m < o.n_mels; ++m) {
        const double w = want[m * frames + t], g = got[m * frames + t];
        const double tol = w >= fmaxv - 5.0 ? 2e-4 : 0.05;
        CHECK(fabs(g - w) <= tol, "config %zu frame %zu band %zu: %.7g, reference %.7g", c, t,
              m, g, w);
      }
    }
    free(want);
    free(filt);
    free(got);
    free(x);
    core_logmel_destroy(lm);
  }
}

/* WHISPER mode is LOG10 then max(x, max - 8) and (x + 4) / 4, in float32. */
Test(logmel, whisper_is_normalized_log10) {
  const size_t n = 16000 * 3 + 77;
  float *x = lm_signal(n, 7);
  memset(x + 16000, 0, 8000 * sizeof *x); /* silence: below the floor */
  core_logmel_options_t ol = lm_opts(80, CORE_LOGMEL_LOG10), ow = lm_opts(80, CORE_LOGMEL_WHISPER);
  core_logmel_t *l = lm_make(&ol), *w = lm_make(&ow);
  size_t frames = 0;
  float *a = lm_compute(l, x, n, 80, &frames);
  float *b = lm_compute(w, x, n, 80, &frames);
  float mx = -INFINITY;
  for (size_t i = 0; i < 80 * frames; ++i) mx = a[i] > mx ? a[i] : mx;
  const float floor = mx - 8.0f;
  size_t floored = 0;
  for (size_t i = 0; i < 80 * frames; ++i) {
    const float want = ((a[i] < floor ? floor : a[i]) + 4.0f) / 4.0f;
    floored += a[i] < floor;
    CHECK(lm_same_bits(b[i], want), "value %zu: %.9g, want %.9g", i, b[i], want);
  }
  cr_expect_gt(floored, 0, "the test signal should reach the max - 8 floor somewhere");
  free(a);
  free(b);
  free(x);
  core_logmel_destroy(l);
  core_logmel_destroy(w);
}

/* Digital silence is the 1e-10 floor: log10 = -10 (Whisper: 0 after
 * normalization when everything is silent: max - 8 = -18 < -10). */
Test(logmel, silence_is_the_floor) {
  const size_t n = 4000;
  float *x = calloc(n, sizeof *x);
  core_logmel_options_t o = lm_opts(80, CORE_LOGMEL_LOG10);
  core_logmel_t *lm = lm_make(&o);
  size_t frames = 0;
  float *out = lm_compute(lm, x, n, 80, &frames);
  for (size_t i = 0; i < 80 * frames; ++i)
    CHECK(fabsf(out[i] + 10.0f) <= 1e-6f, "value %zu = %.9g, want -10", i, out[i]);
  free(out);
  free(x);
  core_logmel_destroy(lm);
}
