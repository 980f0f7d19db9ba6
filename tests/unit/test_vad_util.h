/* Helpers shared by the VAD suites: status checks with messages, running a
 * detector over a buffer in chunks, a synthetic voiced signal, a 16-bit
 * WAV reader (so these tests do not depend on core_audio_read), the
 * ground-truth TSV of the speech_gaps clips and frame-level scoring. Test
 * code only. Everything is static inline: each suite uses a subset. */
#ifndef CORE_TEST_VAD_UTIL_H
#define CORE_TEST_VAD_UTIL_H

#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <core/core.h>

#include "testutil.h"

#define OK(call)                                                                          \
  do {                                                                                    \
    core_status ok_st_ = (call);                                                          \
    cr_assert_eq(ok_st_, CORE_OK, "%s -> %s: %s", #call, core_status_str(ok_st_),       \
                 core_last_error_message());                                              \
  } while (0)

/* The call fails with `status` and a message starting with `fn` that
 * contains `needle`. */
#define ERRMSG(status, fn, needle, call)                                                  \
  do {                                                                                    \
    core_status err_st_ = (call);                                                         \
    cr_assert_eq(err_st_, (status), "%s -> %s, expected %s", #call,                      \
                 core_status_str(err_st_), core_status_str(status));                     \
    const char *err_m_ = core_last_error_message();                                       \
    cr_assert(strncmp(err_m_, fn ": ", strlen(fn ": ")) == 0,                            \
              "%s: message \"%s\" does not start with \"%s: \"", #call, err_m_, fn);      \
    cr_assert(tu_message_has(needle), "%s: message \"%s\" lacks \"%s\"", #call, err_m_,  \
              needle);                                                                    \
  } while (0)

#define VU_MAX_SEGS 4096

typedef struct vu_segs {
  core_segment_t s[VU_MAX_SEGS];
  size_t n;
} vu_segs;

static inline core_vad_options_t vu_opts(void) {
  core_vad_options_t o;
  OK(core_vad_options_init(&o));
  return o;
}

static inline core_vad_t *vu_make(const core_vad_options_t *o) {
  core_vad_t *v = NULL;
  OK(core_vad_create(o, &v));
  cr_assert_not_null(v);
  return v;
}

/* Moves every finished segment of v into out. */
static inline void vu_drain(core_vad_t *v, vu_segs *out) {
  core_segment_t s;
  core_status st;
  while ((st = core_vad_next_segment(v, &s)) == CORE_OK) {
    cr_assert_lt(out->n, VU_MAX_SEGS, "too many segments");
    out->s[out->n++] = s;
  }
  cr_assert_eq(st, CORE_E_EMPTY, "next_segment: %s", core_status_str(st));
}

/* Streams x[0, n) through a new detector in chunks: chunk > 0 is a fixed
 * size, chunk == 0 draws sizes from 1 to 4000 with rng. Segments are read
 * after every push, as a streaming caller would. */
static inline void vu_stream(const core_vad_options_t *o, const float *x, size_t n, size_t chunk,
                             tu_rng *rng, vu_segs *out) {
  core_vad_t *v = vu_make(o);
  out->n = 0;
  size_t i = 0;
  while (i < n) {
    size_t k = chunk ? chunk : 1 + (size_t)(tu_next_u64(rng) % 4000);
    if (k > n - i) k = n - i;
    OK(core_vad_push(v, x + i, k));
    vu_drain(v, out);
    i += k;
  }
  OK(core_vad_flush(v));
  vu_drain(v, out);
  core_vad_destroy(v);
}

/* core_vad_segments into out. */
static inline void vu_offline(const core_vad_options_t *o, const float *x, size_t n,
                              vu_segs *out) {
  OK(core_vad_segments(x, n, o, out->s, VU_MAX_SEGS, &out->n));
}

static inline void vu_assert_same(const vu_segs *a, const vu_segs *b, const char *what) {
  cr_assert_eq(a->n, b->n, "%s: %zu segments vs %zu", what, a->n, b->n);
  for (size_t i = 0; i < a->n; ++i)
    cr_assert(a->s[i].start == b->s[i].start && a->s[i].end == b->s[i].end,
              "%s: segment %zu is [%llu, %llu) vs [%llu, %llu)", what, i,
              (unsigned long long)a->s[i].start, (unsigned long long)a->s[i].end,
              (unsigned long long)b->s[i].start, (unsigned long long)b->s[i].end);
}

/* Segments in order, non-empty, not overlapping, inside [0, n). */
static inline void vu_assert_well_formed(const vu_segs *s, size_t n) {
  for (size_t i = 0; i < s->n; ++i) {
    cr_assert_lt(s->s[i].start, s->s[i].end, "segment %zu is empty or reversed", i);
    cr_assert_leq(s->s[i].end, (uint64_t)n, "segment %zu ends past the stream", i);
    if (i > 0)
      cr_assert_leq(s->s[i - 1].end, s->s[i].start, "segments %zu and %zu overlap", i - 1, i);
  }
}

/* Adds a voiced, speech-like sound to x[start, start + len): a 140 Hz
 * harmonic series with a falling spectrum (-6 dB per octave up to 4 kHz),
 * its level modulated at 4 Hz like syllables (never below a quarter), RMS
 * about `rms`, with a 60 ms gap between "words" every 750 ms (at 0.69 s,
 * 1.44 s, ...). Real speech dips to the background that often; a sound
 * that never dips becomes the VAD's noise floor after ~1.5 s (audio.h). */
static inline void vu_add_voice(float *x, size_t start, size_t len, double rate, double rms) {
  const double f0 = 140.0, pi2 = 6.283185307179586;
  double norm = 0.0;
  int nh = 0;
  for (int h = 1; h * f0 < 4000.0 && h * f0 < rate / 2; ++h, ++nh) norm += 0.5 / (h * h);
  const double gain = rms / sqrt(norm);
  for (size_t i = 0; i < len; ++i) {
    const double t = (double)i / rate;
    if (fmod(t, 0.75) >= 0.69) continue;
    double v = 0.0;
    for (int h = 1; h <= nh; ++h) v += sin(pi2 * f0 * h * t + h) / h;
    const double env = 0.625 - 0.375 * cos(pi2 * 4.0 * t);
    x[start + i] += (float)(gain * env * v);
  }
}

/* Adds white Gaussian noise of standard deviation sd to x[0, n). */
static inline void vu_add_noise(float *x, size_t n, double sd, uint64_t seed) {
  tu_rng r = tu_rng_make(seed);
  for (size_t i = 0; i < n; ++i) x[i] += (float)tu_normal(&r, 0.0, sd);
}

/* ---- synthetic scenes at 16 kHz ------------------------------------------------ */

#define RATE 16000
#define SEC(t) ((size_t)((t) * RATE))
#define MS(t) ((uint64_t)(t) * RATE / 1000)

static inline float *vu_zeros(size_t n) {
  float *x = (float *)calloc(n, sizeof(float));
  cr_assert_not_null(x);
  return x;
}

/* White noise at -60 dBFS with voices at -26 dBFS RMS over [a[i], b[i]) s. */
static inline float *vu_scene(size_t n, const double *a, const double *b, size_t k,
                              uint64_t seed) {
  float *x = vu_zeros(n);
  vu_add_noise(x, n, 1e-3, seed);
  for (size_t i = 0; i < k; ++i) vu_add_voice(x, SEC(a[i]), SEC(b[i]) - SEC(a[i]), RATE, 0.05);
  return x;
}

/* |got - want| <= tol samples. */
#define NEAR(got, want, tol, ...) \
  cr_assert_leq(llabs((long long)(got) - (long long)(want)), (long long)(tol), __VA_ARGS__)

/* A 16-bit PCM mono WAV file: walks the RIFF chunks (any order, odd sizes
 * padded), returns int16 / 32768 (malloc'ed, free with free()) or NULL. */
static inline uint32_t vu_le32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline float *vu_read_wav(const char *path, size_t *n, uint32_t *rate) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  unsigned char h[12], ch[8], fmt[16];
  float *out = NULL;
  int have_fmt = 0;
  if (fread(h, 1, 12, f) != 12 || memcmp(h, "RIFF", 4) || memcmp(h + 8, "WAVE", 4)) goto done;
  while (fread(ch, 1, 8, f) == 8) {
    const uint32_t size = vu_le32(ch + 4);
    if (!memcmp(ch, "fmt ", 4) && size >= 16) {
      if (fread(fmt, 1, 16, f) != 16) goto done;
      /* PCM (1), one channel, 16 bits */
      if (fmt[0] != 1 || fmt[1] != 0 || fmt[2] != 1 || fmt[3] != 0 || fmt[14] != 16) goto done;
      *rate = vu_le32(fmt + 4);
      have_fmt = 1;
      if (fseek(f, (long)(size - 16 + (size & 1)), SEEK_CUR)) goto done;
    } else if (!memcmp(ch, "data", 4) && have_fmt) {
      const size_t count = size / 2;
      unsigned char *raw = (unsigned char *)malloc(size ? size : 1);
      out = (float *)malloc((count ? count : 1) * sizeof(float));
      if (!raw || !out || fread(raw, 1, size, f) != size) {
        free(raw), free(out), out = NULL;
        goto done;
      }
      for (size_t i = 0; i < count; ++i)
        out[i] = (float)(int16_t)(raw[2 * i] | raw[2 * i + 1] << 8) / 32768.0f;
      free(raw);
      *n = count;
      goto done;
    } else if (fseek(f, (long)(size + (size & 1)), SEEK_CUR)) {
      goto done;
    }
  }
done:
  fclose(f);
  return out;
}

/* speech_gaps_16k.segments.tsv: '#' comment lines, a header row, then
 * start_s end_s start_sample end_sample text. Returns the count read. */
static inline size_t vu_read_truth(const char *path, core_segment_t *out, size_t cap) {
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  char line[1024];
  size_t k = 0;
  int header = 1;
  while (fgets(line, sizeof line, f) && k < cap) {
    if (line[0] == '#') continue;
    if (header) {
      header = 0;
      continue;
    }
    double s_s, e_s;
    unsigned long long a, b;
    if (sscanf(line, "%lf\t%lf\t%llu\t%llu", &s_s, &e_s, &a, &b) == 4) {
      out[k].start = a;
      out[k].end = b;
      ++k;
    }
  }
  fclose(f);
  return k;
}

/* 1 when sample i lies in one of the segments. */
static inline int vu_inside(const core_segment_t *s, size_t n, uint64_t i) {
  for (size_t k = 0; k < n; ++k)
    if (i >= s[k].start && i < s[k].end) return 1;
  return 0;
}

/* Frame-level F1 of `got` against `truth` over n samples: 10 ms frames
 * (hop samples), each labelled by its centre sample. */
static inline double vu_f1(const core_segment_t *got, size_t ng, const core_segment_t *truth,
                           size_t nt, size_t n, size_t hop) {
  size_t tp = 0, fp = 0, fn = 0;
  for (size_t f = 0; f + hop <= n; f += hop) {
    const uint64_t c = f + hop / 2;
    const int g = vu_inside(got, ng, c), t = vu_inside(truth, nt, c);
    tp += g && t, fp += g && !t, fn += !g && t;
  }
  return tp ? 2.0 * tp / (2.0 * tp + fp + fn) : 0.0;
}

/* Samples covered by the segments. */
static inline uint64_t vu_covered(const vu_segs *s) {
  uint64_t c = 0;
  for (size_t i = 0; i < s->n; ++i) c += s->s[i].end - s->s[i].start;
  return c;
}

#endif
