/* A small tour of libcore's arrays and statistics: make a test tone as
 * int16 PCM, convert it, summarize it in one pass, merge streaming chunk
 * summaries, and check the error path. Build: see examples/meson.build, or
 *   cc array_stats_demo.c $(pkg-config --cflags --libs libcore) -lm
 */
#include <core/core.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define CHECK(call)                                                        \
  do {                                                                     \
    core_status st_ = (call);                                              \
    if (st_ != CORE_OK) {                                                  \
      fprintf(stderr, "%s failed: %s (%s)\n", #call, core_status_str(st_), \
              core_last_error_message());                                  \
      return 1;                                                            \
    }                                                                      \
  } while (0)

int main(void) {
  printf("libcore %s, SIMD target %s, %d threads\n", core_version(), core_simd_target(),
         core_get_num_threads());

  /* One second of a 440 Hz tone at 16 kHz: time axis with arange. */
  const double rate = 16000.0;
  size_t n = 0;
  CHECK(core_arange_len(0.0, 1.0, 1.0 / rate, &n));
  float *t = malloc(n * sizeof *t), *audio = malloc(n * sizeof *audio);
  int16_t *pcm = malloc(n * sizeof *pcm);
  if (!t || !audio || !pcm) return 1;
  CHECK(core_arange_f32(0.0, 1.0, 1.0 / rate, t, n, &n));
  for (size_t i = 0; i < n; ++i) audio[i] = 0.5f * sinf(2.0f * 3.14159265f * 440.0f * t[i]);

  /* Through int16 PCM and back, counting any clipping. */
  size_t clipped = 0;
  CHECK(core_f32_to_pcm16(audio, n, pcm, &clipped));
  CHECK(core_pcm16_to_f32(pcm, n, audio));
  printf("samples %zu, clipped %zu\n", n, clipped);

  /* One pass: count, min, max, mean, variance. */
  core_stats_t s;
  double sd = 0.0, rms = 0.0, zcr = 0.0, p99 = 0.0;
  CHECK(core_stats_f32(audio, n, CORE_NAN_PROPAGATE, &s));
  CHECK(core_stats_std(&s, 0, &sd));
  CHECK(core_rms_f32(audio, n, &rms));
  CHECK(core_zero_crossing_rate_f32(audio, n, &zcr));
  float *scratch = malloc(n * sizeof *scratch);
  if (!scratch) return 1;
  CHECK(core_percentile_f32(audio, n, 99.0, CORE_NAN_PROPAGATE, scratch, n, &p99));
  printf("min %.4f max %.4f mean %+.2e std %.4f rms %.4f zcr %.4f p99 %.4f\n", s.min, s.max,
         s.mean, sd, rms, zcr, p99);

  /* Streaming: summarize 10 ms chunks and merge; same answer as one pass. */
  core_stats_t total = {0, 0, NAN, NAN, 0.0, NAN, NAN};
  for (size_t off = 0; off < n; off += 160) {
    core_stats_t chunk;
    CHECK(core_stats_f32(audio + off, n - off < 160 ? n - off : 160, CORE_NAN_PROPAGATE, &chunk));
    CHECK(core_stats_merge(&total, &chunk, &total));
  }
  printf("merged chunks: count %llu mean %+.2e m2 %.6f (one pass m2 %.6f)\n",
         (unsigned long long)total.count, total.mean, total.m2, s.m2);

  /* Bad input gets a status and a message, never a crash. */
  core_status st = core_stats_f32(NULL, 10, CORE_NAN_PROPAGATE, &s);
  printf("core_stats_f32(NULL, 10): %s: %s\n", core_status_str(st), core_last_error_message());

  free(t);
  free(audio);
  free(pcm);
  free(scratch);
  return 0;
}
