/* Unit tests for core_audio_read on WAV files written from scratch, where
 * the exact answer is known: integer PCM scaling at every depth, float
 * data passed through, the channel average, empty and streamed files, the
 * sample count for many lengths and rate pairs, the resampler's gain and
 * time alignment on a sine, and calls from several threads at once. Files
 * live in a mkdtemp directory removed after each test. C API only. */
#define _GNU_SOURCE
#include "test_audio_file_util.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

TestSuite(audio_file_synth, .init = af_dir_make, .fini = af_dir_remove, .timeout = 300);

#if CORE_TEST_AUDIO_IO

/* Little-endian bytes of the low `bytes` bytes of v. */
static void put_le(unsigned char *p, uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) p[i] = (unsigned char)(v >> (8 * i));
}

/* Writes integer samples at a depth of `bits` (8: unsigned, offset 128, as
 * WAV stores it), reads them back at the file's rate and checks each is
 * v / 2^(bits-1) exactly (32-bit: the float nearest to it). */
static void expect_scaling(int bits, const int32_t *v, size_t n) {
  const int bytes = bits / 8;
  unsigned char *d = malloc(n * (size_t)bytes);
  for (size_t i = 0; i < n; ++i)
    put_le(d + i * (size_t)bytes, bits == 8 ? (uint32_t)(v[i] + 128) : (uint32_t)v[i], bytes);
  char name[32];
  snprintf(name, sizeof name, "pcm%d.wav", bits);
  const char *p = af_path(name);
  af_write_wav(p, 1, 1, 16000, (uint16_t)bits, d, (uint32_t)(n * (size_t)bytes),
               (uint32_t)(n * (size_t)bytes));
  free(d);
  core_audio_info_t info = {.struct_size = sizeof info};
  AF_OK(core_audio_info(p, &info));
  cr_expect_eq(info.bits, (uint32_t)bits);
  size_t got = 0;
  float *x = af_read_all(p, 0, &got);
  cr_assert_eq(got, n);
  for (size_t i = 0; i < n; ++i) {
    const float want = (float)((double)v[i] / ldexp(1.0, bits - 1));
    cr_expect_eq(x[i], want, "%d-bit %ld: got %.10g, want %.10g", bits, (long)v[i], x[i], want);
  }
  free(x);
}

Test(audio_file_synth, integer_pcm_is_v_over_2_to_bits_minus_1) {
  const int32_t v8[] = {-128, -127, -1, 0, 1, 64, 127};
  const int32_t v16[] = {-32768, -32767, -12345, -1, 0, 1, 2, 12345, 32767};
  const int32_t v24[] = {-8388608, -8388607, -1234567, -1, 0, 1, 255, 256, 1234567, 8388607};
  const int32_t v32[] = {INT32_MIN, INT32_MIN + 1, -123456789, -1, 0, 1, 16777217,
                         123456789, INT32_MAX};
  expect_scaling(8, v8, sizeof v8 / sizeof v8[0]);
  expect_scaling(16, v16, sizeof v16 / sizeof v16[0]);
  expect_scaling(24, v24, sizeof v24 / sizeof v24[0]);
  expect_scaling(32, v32, sizeof v32 / sizeof v32[0]);
}

/* Float data is not rescaled, even outside [-1, 1]. */
Test(audio_file_synth, float_data_passes_through) {
  const float v[] = {-2.0f, -1.0f, -0.3f, 0.0f, 1e-30f, 0.7f, 1.0f, 1.5f, 1000.0f};
  const size_t n = sizeof v / sizeof v[0];
  const char *p = af_path("float.wav");
  af_write_wav(p, 3, 1, 16000, 32, v, sizeof v, sizeof v);
  core_audio_info_t info = {.struct_size = sizeof info};
  AF_OK(core_audio_info(p, &info));
  cr_expect_eq(info.bits, 0);
  cr_expect_eq(info.format, CORE_AUDIO_FORMAT_WAV);
  size_t got = 0;
  float *x = af_read_all(p, 16000, &got);
  cr_assert_eq(got, n);
  cr_expect(memcmp(x, v, sizeof v) == 0, "float samples changed");
  free(x);
}

/* The channels of a frame are averaged: exact for int16 input (the mean
 * is computed in double and rounded to float once). */
Test(audio_file_synth, channels_are_averaged) {
  enum { kFrames = 3000 };
  const uint16_t counts[] = {2, 3, 6};
  tu_rng r = tu_rng_make(42);
  for (size_t k = 0; k < 3; ++k) {
    const uint16_t ch = counts[k];
    int16_t *x = malloc(sizeof(int16_t) * kFrames * ch);
    for (size_t i = 0; i < (size_t)kFrames * ch; ++i)
      x[i] = (int16_t)((int)(tu_next_u64(&r) % 65536) - 32768);
    x[0] = x[1] = -32768; /* extremes too */
    char name[32];
    snprintf(name, sizeof name, "ch%u.wav", ch);
    const char *p = af_path(name);
    af_write_wav16(p, ch, 16000, x, (size_t)kFrames * ch);
    core_audio_info_t info = {.struct_size = sizeof info};
    AF_OK(core_audio_info(p, &info));
    cr_expect_eq(info.channels, ch);
    cr_expect_eq(info.frames, kFrames);
    size_t got = 0;
    float *y = af_read_all(p, 0, &got);
    cr_assert_eq(got, kFrames);
    size_t bad = kFrames;
    for (size_t i = 0; i < kFrames && bad == kFrames; ++i) {
      double sum = 0;
      for (size_t c = 0; c < ch; ++c) sum += x[i * ch + c];
      if (y[i] != (float)(sum / 32768.0 / ch)) bad = i;
    }
    cr_expect_eq(bad, kFrames, "%u channels: frame %zu is not the mean", ch, bad);
    free(x);
    free(y);
  }
}

/* A valid header announcing 0 frames is an empty file: CORE_OK, n = 0, at
 * any rate (0 bytes is not audio: see test_audio_file_errors.c). */
Test(audio_file_synth, header_with_zero_frames) {
  const char *p = af_path("zero.wav");
  af_write_wav(p, 1, 1, 16000, 16, NULL, 0, 0);
  core_audio_info_t info = {.struct_size = sizeof info};
  AF_OK(core_audio_info(p, &info));
  cr_expect_eq(info.frames, 0);
  cr_expect_eq(info.duration, 0.0);
  cr_expect_eq(info.sample_rate, 16000);
  const uint32_t rates[] = {0, 8000, 16000, 48000};
  for (size_t k = 0; k < 4; ++k) {
    size_t n = 99;
    AF_OK(core_audio_read(p, rates[k], NULL, 0, &n));
    cr_expect_eq(n, 0, "rate %u: n = %zu", rates[k], n);
    float out[2] = {5, 5};
    n = 99;
    AF_OK(core_audio_read(p, rates[k], out, 2, &n));
    cr_expect(n == 0 && out[0] == 5 && out[1] == 5, "rate %u", rates[k]);
  }
}

/* A writer that could not seek back leaves 0xFFFFFFFF as the data size:
 * "to the end of the file", not a truncation. */
Test(audio_file_synth, streamed_wav_reads_to_the_end) {
  int16_t x[1000];
  for (int i = 0; i < 1000; ++i) x[i] = (int16_t)(i * 31 - 15000);
  const char *p = af_path("streamed.wav");
  af_write_wav(p, 1, 1, 16000, 16, x, sizeof x, 0xFFFFFFFFu);
  size_t n = 0;
  float *y = af_read_all(p, 16000, &n);
  cr_assert_eq(n, 1000);
  for (int i = 0; i < 1000; ++i) cr_expect_eq(y[i], x[i] / 32768.0f);
  free(y);
}

/* Bytes after the data chunk are not samples: the header's count wins. */
Test(audio_file_synth, bytes_after_the_data_chunk_are_ignored) {
  int16_t x[40];
  for (int i = 0; i < 40; ++i) x[i] = (int16_t)(1000 * i);
  const char *p = af_path("short_data.wav");
  af_write_wav(p, 1, 1, 16000, 16, x, sizeof x, 20); /* 10 frames declared */
  size_t n = 0;
  float *y = af_read_all(p, 0, &n);
  cr_expect_eq(n, 10);
  for (size_t i = 0; i < n && i < 10; ++i) cr_expect_eq(y[i], x[i] / 32768.0f);
  free(y);
}

/* The count is frames * to / from rounded to nearest, halves up, for
 * every length and rate pair; the size query agrees with the read
 * (af_read_all checks that, and that nothing is written past it). */
Test(audio_file_synth, count_is_the_rounded_ratio) {
  const size_t lengths[] = {1, 2, 3, 7, 1001, 12345};
  const uint32_t pairs[][2] = {{16000, 8000}, {48000, 16000}, {44100, 16000}, {11025, 16000},
                               {8000, 384000}, {384000, 8000}, {22050, 22051}, {1000, 999}};
  int16_t *x = malloc(12345 * sizeof(int16_t));
  for (size_t i = 0; i < 12345; ++i) x[i] = (int16_t)(8000.0 * sin(0.05 * (double)i));
  for (size_t a = 0; a < sizeof pairs / sizeof pairs[0]; ++a)
    for (size_t b = 0; b < sizeof lengths / sizeof lengths[0]; ++b) {
      const uint64_t f = lengths[b], from = pairs[a][0], to = pairs[a][1];
      const char *p = af_path("count.wav");
      af_write_wav16(p, 1, (uint32_t)from, x, (size_t)f);
      size_t n = 0;
      float *y = af_read_all(p, (uint32_t)to, &n);
      const uint64_t want = (2 * f * to + from) / (2 * from);
      cr_expect_eq(n, want, "%llu frames %llu -> %llu Hz: %zu samples, want %llu",
                   (unsigned long long)f, (unsigned long long)from, (unsigned long long)to, n,
                   (unsigned long long)want);
      const size_t bad = af_first_nonfinite(y, n);
      cr_expect_eq(bad, n, "sample %zu not finite", bad);
      free(y);
    }
  free(x);
}

/* A 1 kHz sine of amplitude 0.5 (float data, so the input is exact)
 * resampled to `to` Hz must be the same sine sampled at `to` Hz: right
 * gain, no delay. The ends (the filter's reach) are left out. */
static void expect_sine(uint32_t from, uint32_t to) {
  const size_t frames = (size_t)from; /* 1 s */
  float *x = malloc(frames * sizeof(float));
  for (size_t i = 0; i < frames; ++i) x[i] = (float)(0.5 * sin(2 * M_PI * 1000.0 * i / from));
  const char *p = af_path("sine.wav");
  af_write_wav(p, 3, 1, from, 32, x, (uint32_t)(frames * sizeof(float)),
               (uint32_t)(frames * sizeof(float)));
  size_t n = 0;
  float *y = af_read_all(p, to, &n);
  cr_assert_eq(n, (size_t)to);
  double worst = 0;
  const size_t edge = to / 50; /* 20 ms */
  for (size_t i = edge; i < n - edge; ++i) {
    const double e = fabs(y[i] - 0.5 * sin(2 * M_PI * 1000.0 * i / to));
    if (e > worst) worst = e;
  }
  cr_log_info("1 kHz sine %u -> %u Hz: max |error| %.3g away from the ends", from, to, worst);
  /* SOXR_HQ is 20-bit precision: about 1e-6 of full scale; measured
   * 2e-7 to 4e-7 here. */
  cr_expect_lt(worst, 1e-5, "%u -> %u Hz: max error %.3g", from, to, worst);
  free(x);
  free(y);
}

Test(audio_file_synth, sine_keeps_gain_and_timing) {
  expect_sine(44100, 16000);
  expect_sine(16000, 48000);
  expect_sine(48000, 16000);
  expect_sine(22050, 16000);
}

/* ---- threads ------------------------------------------------------------------------ */

/* Each thread reads a good file (resampled) and fails on a bad one of its
 * own, again and again: libsndfile's reason for a failed open is process
 * wide, so the messages must still name the right file. */
typedef struct worker {
  int id;
  char good[512], bad[512];
  const float *want;
  size_t want_n;
  int failures;
  char first_failure[256];
} worker;

static void *work(void *arg) {
  worker *w = arg;
  float *y = malloc((w->want_n + 1) * sizeof(float));
  for (int it = 0; it < 20 && w->failures == 0; ++it) {
    size_t n = 0;
    core_status st = core_audio_read(w->good, 8000, y, w->want_n + 1, &n);
    if (st != CORE_OK || n != w->want_n || memcmp(y, w->want, n * sizeof(float)) != 0) {
      snprintf(w->first_failure, sizeof w->first_failure, "good read: %s %s",
               core_status_str(st), core_last_error_message());
      w->failures++;
    }
    core_audio_info_t info = {.struct_size = sizeof info};
    st = core_audio_info(w->bad, &info);
    if (st != CORE_E_FORMAT || strstr(core_last_error_message(), w->bad) == NULL ||
        strstr(core_last_error_message(), "Format not recognised") == NULL) {
      snprintf(w->first_failure, sizeof w->first_failure, "bad info: %s %s",
               core_status_str(st), core_last_error_message());
      w->failures++;
    }
  }
  free(y);
  return NULL;
}

Test(audio_file_synth, concurrent_calls) {
  enum { kThreads = 4, kFrames = 16000 };
  int16_t *x = malloc(kFrames * sizeof(int16_t));
  for (size_t i = 0; i < kFrames; ++i) x[i] = (int16_t)(10000.0 * sin(0.01 * (double)i));
  worker w[kThreads];
  pthread_t t[kThreads];
  float *want = NULL;
  size_t want_n = 0;
  for (int k = 0; k < kThreads; ++k) {
    memset(&w[k], 0, sizeof w[k]);
    w[k].id = k;
    char name[32];
    snprintf(name, sizeof name, "good%d.wav", k);
    snprintf(w[k].good, sizeof w[k].good, "%s", af_path(name));
    af_write_wav16(w[k].good, 1, 16000, x, kFrames);
    snprintf(name, sizeof name, "bad%d.wav", k);
    snprintf(w[k].bad, sizeof w[k].bad, "%s", af_path(name));
    char junk[100];
    memset(junk, 'A' + k, sizeof junk);
    af_write_file(w[k].bad, junk, sizeof junk);
    if (k == 0) want = af_read_all(w[0].good, 8000, &want_n);
    w[k].want = want;
    w[k].want_n = want_n;
  }
  for (int k = 0; k < kThreads; ++k) cr_assert_eq(pthread_create(&t[k], NULL, work, &w[k]), 0);
  for (int k = 0; k < kThreads; ++k) pthread_join(t[k], NULL);
  for (int k = 0; k < kThreads; ++k)
    cr_expect_eq(w[k].failures, 0, "thread %d: %s", k, w[k].first_failure);
  free(want);
  free(x);
}

#else  /* !CORE_TEST_AUDIO_IO: test_audio_file_errors.c covers UNSUPPORTED */

Test(audio_file_synth, built_without_audio_io) {
  AF_SKIP("libcore built without audio_io: decoding is tested in audio_io builds");
}

#endif
