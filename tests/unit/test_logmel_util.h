/* Helpers shared by the log-mel suites (test_logmel*.c): status checks,
 * analysers and streams from options, test signals, bitwise comparison and
 * an independent float64 reference (direct DFT, librosa's Slaney filter
 * formula evaluated on every bin). Test code only. */
#ifndef CORE_TEST_LOGMEL_UTIL_H
#define CORE_TEST_LOGMEL_UTIL_H

#include <criterion/criterion.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <core/core.h>

#include "test_status.h"
#include "testutil.h"


static inline float *lm_buf(size_t n) {
  float *p = malloc((n ? n : 1) * sizeof *p);
  cr_assert_not_null(p);
  return p;
}

/* Whisper's options with another band count and mode. */
static inline core_logmel_options_t lm_opts(uint32_t n_mels, int mode) {
  core_logmel_options_t o;
  OK(core_logmel_options_init(&o));
  o.n_mels = n_mels;
  o.mode = mode;
  return o;
}

static inline core_logmel_t *lm_make(const core_logmel_options_t *o) {
  core_logmel_t *lm = NULL;
  OK(core_logmel_create(o, &lm));
  cr_assert_not_null(lm);
  return lm;
}

/* Speech-like test signal: a few tones with drifting level plus noise,
 * within [-1, 1]. Deterministic for a seed. */
static inline float *lm_signal(size_t n, uint64_t seed) {
  float *x = lm_buf(n);
  tu_rng r = tu_rng_make(seed);
  for (size_t i = 0; i < n; ++i) {
    const double t = (double)i / 16000.0;
    const double env = 0.5 + 0.45 * sin(2.0 * M_PI * 1.3 * t);
    const double v = env * (0.3 * sin(2.0 * M_PI * 220.0 * t) + 0.2 * sin(2.0 * M_PI * 1375.0 * t) +
                            0.1 * sin(2.0 * M_PI * 5120.0 * t)) +
                     tu_normal(&r, 0.0, 0.02);
    x[i] = (float)v;
  }
  return x;
}

/* core_logmel_compute into a new buffer (n_mels x frames). */
static inline float *lm_compute(core_logmel_t *lm, const float *x, size_t n, uint32_t n_mels,
                                size_t *frames) {
  OK(core_logmel_frames(lm, n, frames));
  float *out = lm_buf(*frames * n_mels);
  size_t got = 0;
  OK(core_logmel_compute(lm, x, n, out, *frames * n_mels, &got));
  cr_assert_eq(got, *frames);
  return out;
}

/* Same bits (so NaN equals NaN of the same payload). */
static inline int lm_same_bits(float a, float b) { return memcmp(&a, &b, sizeof a) == 0; }

/* Index of the sample that position j of a signal of n samples reads
 * (torch's reflect padding). */
static inline int64_t lm_reflect(int64_t j, int64_t n) {
  if (j < 0) j = -j;
  if (j >= n) j = 2 * (n - 1) - j;
  return j;
}

/* Non-zero when frame t reads sample p (directly or reflected). */
static inline int lm_frame_reads(int64_t t, int64_t p, int64_t n, int64_t n_fft, int64_t hop) {
  const int64_t start = t * hop - n_fft / 2;
  for (int64_t j = start; j < start + n_fft; ++j)
    if (lm_reflect(j, n) == p) return 1;
  return 0;
}

/* librosa.filters.mel (Slaney scale and norm) in float64, dense, every bin
 * evaluated with the textbook formula. */
static inline double lm_hz_to_mel(double hz) {
  return hz >= 1000.0 ? 15.0 + log(hz / 1000.0) / (log(6.4) / 27.0) : hz * 3.0 / 200.0;
}
static inline double lm_mel_to_hz(double m) {
  return m >= 15.0 ? 1000.0 * exp((log(6.4) / 27.0) * (m - 15.0)) : m * 200.0 / 3.0;
}
static inline double *lm_ref_filters(double sr, size_t n_fft, size_t n_mels, double fmin,
                                     double fmax) {
  const size_t bins = n_fft / 2 + 1;
  double *w = calloc(n_mels * bins, sizeof *w);
  double *edge = malloc((n_mels + 2) * sizeof *edge);
  cr_assert(w && edge);
  const double lo = lm_hz_to_mel(fmin), hi = lm_hz_to_mel(fmax);
  for (size_t i = 0; i < n_mels + 2; ++i)
    edge[i] = lm_mel_to_hz(lo + (hi - lo) * (double)i / (double)(n_mels + 1));
  for (size_t m = 0; m < n_mels; ++m)
    for (size_t k = 0; k < bins; ++k) {
      const double f = (double)k * sr / (double)n_fft;
      const double up = (f - edge[m]) / (edge[m + 1] - edge[m]);
      const double down = (edge[m + 2] - f) / (edge[m + 2] - edge[m + 1]);
      const double v = up < down ? up : down;
      w[m * bins + k] = (v > 0.0 ? v : 0.0) * 2.0 / (edge[m + 2] - edge[m]);
    }
  free(edge);
  return w;
}

/* LOG10 spectrogram in float64 by a direct DFT (n_mels x n / hop, band
 * major), with the given float64 filters. For small n_fft only. */
static inline double *lm_ref_log10(const float *x, size_t n, size_t n_fft, size_t hop,
                                   const double *filters, size_t n_mels) {
  const size_t frames = n / hop, bins = n_fft / 2 + 1;
  double *out = malloc(n_mels * frames * sizeof *out);
  double *seg = malloc(n_fft * sizeof *seg), *pw = malloc(bins * sizeof *pw);
  cr_assert(out && seg && pw);
  for (size_t t = 0; t < frames; ++t) {
    const int64_t start = (int64_t)(t * hop) - (int64_t)(n_fft / 2);
    for (size_t j = 0; j < n_fft; ++j)
      seg[j] = (0.5 - 0.5 * cos(2.0 * M_PI * (double)j / (double)n_fft)) *
               (double)x[lm_reflect(start + (int64_t)j, (int64_t)n)];
    for (size_t k = 0; k < bins; ++k) {
      double re = 0.0, im = 0.0;
      for (size_t j = 0; j < n_fft; ++j) {
        const double a = -2.0 * M_PI * (double)((k * j) % n_fft) / (double)n_fft;
        re += seg[j] * cos(a);
        im += seg[j] * sin(a);
      }
      pw[k] = re * re + im * im;
    }
    for (size_t m = 0; m < n_mels; ++m) {
      double s = 0.0;
      for (size_t k = 0; k < bins; ++k) s += filters[m * bins + k] * pw[k];
      out[m * frames + t] = log10(s > 1e-10 ? s : 1e-10);
    }
  }
  free(seg);
  free(pw);
  return out;
}

#endif
