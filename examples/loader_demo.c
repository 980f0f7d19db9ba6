/* The dlopen loader: a C program that runs with or without libcore
 * installed. It links libcore_loader.a (pkg-config --static libcore-loader),
 * not libcore.so, and calls everything through the table.
 *
 *   ./loader_demo                          # libcore.so.1 from the usual paths
 *   LIBCORE_PATH=/path/libcore.so.1 ./loader_demo
 *   LIBCORE_DISABLE=1 ./loader_demo        # the portable fallback
 *   LIBCORE_STRICT=1 ./loader_demo         # fail rather than fall back
 */
#include <math.h>
#include <stdio.h>

#include <core/loader.h>

int main(void) {
  enum { kRate = 16000, kSamples = kRate }; /* one second */
  const double pi = 3.14159265358979323846;
  static float tone[kSamples];
  const core_api_t *api = core_api();
  core_stats_t s;
  double rms, sd;
  int i;

  if (api == NULL) { /* only with LIBCORE_STRICT=1 */
    fprintf(stderr, "libcore is required: %s\n", core_api_load_error());
    return 1;
  }
  printf("backend: %s (libcore %s, %s)\n",
         api->backend == CORE_BACKEND_NATIVE ? "native" : "portable fallback", api->version(),
         api->simd_target());
  if (api->backend == CORE_BACKEND_FALLBACK) printf("why: %s\n", core_api_load_error());

  /* A 440 Hz tone at half scale: rms 0.5/sqrt(2) = 0.3536. */
  for (i = 0; i < kSamples; ++i) tone[i] = (float)(0.5 * sin(2 * pi * 440.0 * i / kRate));
  if (api->stats_f32(tone, kSamples, CORE_NAN_PROPAGATE, &s) != CORE_OK ||
      api->stats_std(&s, 0, &sd) != CORE_OK || api->rms_f32(tone, kSamples, &rms) != CORE_OK) {
    fprintf(stderr, "error: %s\n", api->last_error_message());
    return 1;
  }
  printf("440 Hz tone, 1 s at 16 kHz: min %.4f max %.4f mean %.2e std %.4f rms %.4f\n", s.min,
         s.max, s.mean, sd, rms);
  /* A check, so the demo doubles as a smoke test. */
  return fabs(rms - 0.5 / sqrt(2.0)) < 1e-4 ? 0 : 1;
}
