/* Unit tests for array.h, PCM conversions: int16 PCM to float and back,
 * rounding, clipping and every error path. Shared helpers (BOTH, DT, ...) in
 * array_testutil.h. */
#include <criterion/criterion.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <core/core.h>

#include "array_testutil.h"

/* ---- helpers ----------------------------------------------------------------- */

/* The calls whose names do not follow core_<name>_<dtype>. */
static core_status from_pcm_v(int f64, const int16_t *in, size_t n, void *o) {
  return f64 ? core_pcm16_to_f64(in, n, o) : core_pcm16_to_f32(in, n, o);
}
static core_status to_pcm_v(int f64, const void *in, size_t n, int16_t *o, size_t *clipped) {
  return f64 ? core_f64_to_pcm16(in, n, o, clipped) : core_f32_to_pcm16(in, n, o, clipped);
}

/* ---- PCM ------------------------------------------------------------------------------- */

BOTH(pcm16_to_float_exact_and_round_trip) {
  int16_t *in = malloc(65537 * sizeof *in), *back = malloc(65536 * sizeof *back);
  cr_assert(in && back);
  for (int v = -32768; v <= 32767; ++v) in[v + 32769] = (int16_t)v; /* from in + 1: unaligned */
  void *out = gbuf(f64, 65536);
  OK(from_pcm_v(f64, in + 1, 65536, DATA(out)));
  for (size_t i = 0; i < 65536; ++i)
    CHECK(get(f64, DATA(out), i) == (double)in[i + 1] / 32768.0, "pcm %d -> %.17g", in[i + 1], get(f64, DATA(out), i));
  cr_assert_eq(get(f64, DATA(out), 0), -1.0);
  cr_assert_eq(get(f64, DATA(out), 65535), 32767.0 / 32768.0);
  cr_assert(get(f64, DATA(out), 32768) == 0.0 && !signbit(get(f64, DATA(out), 32768)));
  check_guards(f64, out, 65536);
  for (size_t k = 0; k < COUNT(k_sizes) && k_sizes[k] < 65536; ++k) { /* tails */
    void *o = gbuf(f64, k_sizes[k]);
    OK(from_pcm_v(f64, in + 1, k_sizes[k], DATA(o)));
    cr_assert(memcmp(DATA(o), DATA(out), k_sizes[k] * esz(f64)) == 0, "n=%zu differs", k_sizes[k]);
    check_guards(f64, o, k_sizes[k]);
    free(o);
  }
  size_t clipped = 0; /* float -> pcm is the exact inverse, nothing clipped */
  OK(to_pcm_v(f64, DATA(out), 65536, back, &clipped));
  cr_assert(memcmp(back, in + 1, 65536 * sizeof *back) == 0, "round trip is not the identity");
  cr_assert_eq(clipped, 0);
  free(back), free(out), free(in);
}

/* Converts the one sample v: expected value and whether it counts as clipped. */
static void pcm_expect(int f64, double v, int16_t want, size_t want_clipped) {
  void *in = sbuf(esz(f64));
  put(f64, in, 0, v);
  int16_t out = 12345;
  size_t clipped = 0;
  OK(to_pcm_v(f64, in, 1, &out, &clipped));
  cr_expect_eq(out, want, "%.17g (x32768 = %.17g) -> %d, want %d", v, v * 32768, out, want);
  cr_expect_eq(clipped, want_clipped, "%.17g (x32768 = %.17g): clipped %zu, want %zu", v, v * 32768, clipped,
               want_clipped);
  free(in);
}

BOTH(float_to_pcm16_rounding_and_clipping) {
  const double h = 1.0 / 32768.0;
  pcm_expect(f64, 0.5 * h, 0, 0), pcm_expect(f64, 1.5 * h, 2, 0), pcm_expect(f64, 2.5 * h, 2, 0);
  pcm_expect(f64, -0.5 * h, 0, 0), pcm_expect(f64, -1.5 * h, -2, 0), pcm_expect(f64, -2.5 * h, -2, 0);
  pcm_expect(f64, 3.5 * h, 4, 0), pcm_expect(f64, 0.49 * h, 0, 0), pcm_expect(f64, 0.51 * h, 1, 0);
  pcm_expect(f64, 32766.5 * h, 32766, 0), pcm_expect(f64, -32767.5 * h, -32768, 0);
  pcm_expect(f64, 1.0, 32767, 1), pcm_expect(f64, -1.0, -32768, 0);
  pcm_expect(f64, 2.0, 32767, 1), pcm_expect(f64, -2.0, -32768, 1), pcm_expect(f64, NAN, 0, 1);
  pcm_expect(f64, INFINITY, 32767, 1), pcm_expect(f64, -INFINITY, -32768, 1);
  pcm_expect(f64, 32767.4 * h, 32767, 0);
  pcm_expect(f64, 32767.5 * h, 32767, 1);   /* rounds to 32768, then clipped */
  pcm_expect(f64, -32768.5 * h, -32768, 0); /* half to even: -32768, in range */
  pcm_expect(f64, -32768.6 * h, -32768, 1);
}

BOTH(float_to_pcm16_tails_match_reference) {
  tu_rng r = tu_rng_make(2024);
  for (size_t k = 0; k < COUNT(k_sizes); ++k) {
    size_t n = k_sizes[k], want_clipped = 0, clipped = 0;
    void *in = gbuf(f64, n);
    int16_t *out = malloc((n + 2) * sizeof *out), *want = malloc(n * sizeof *want);
    cr_assert(out && want);
    for (size_t i = 0; i < n; ++i) {
      double v = (tu_uniform(&r) * 2.0 - 1.0) * 1.25;
      if (i % 13 == 5) v = (floor(v * 32768.0) + 0.5) / 32768.0; /* exact halves */
      put(f64, DATA(in), i, i % 97 == 11 ? NAN : v);
      double s = get(f64, DATA(in), i) * 32768.0, q = isnan(s) ? 0.0 : nearbyint(s);
      want_clipped += isnan(s) || q > 32767.0 || q < -32768.0;
      want[i] = (int16_t)fmin(fmax(q, -32768.0), 32767.0);
    }
    out[0] = out[n + 1] = 0x5A5A;
    OK(to_pcm_v(f64, DATA(in), n, out + 1, &clipped));
    for (size_t i = 0; i < n; ++i)
      CHECK(out[i + 1] == want[i], "n=%zu: %.17g -> %d, want %d", n, get(f64, DATA(in), i), out[i + 1], want[i]);
    cr_assert_eq(clipped, want_clipped, "n=%zu: clipped %zu, want %zu", n, clipped, want_clipped);
    cr_assert(out[0] == 0x5A5A && out[n + 1] == 0x5A5A, "n=%zu: wrote outside the output", n);
    memset(out + 1, 0, n * sizeof *out);
    OK(to_pcm_v(f64, DATA(in), n, out + 1, NULL)); /* clipped may be NULL */
    cr_assert(memcmp(out + 1, want, n * sizeof *want) == 0, "n=%zu: differs with clipped NULL", n);
    free(in), free(out), free(want);
  }
}

BOTH(pcm_errors) {
  int16_t pcm[3] = {1, 2, 3}, pout[3] = {7, 7, 7};
  void *f = gbuf(f64, 3);
  ERR(CORE_E_INVALID_ARGUMENT, f64 ? "core_pcm16_to_f64" : "core_pcm16_to_f32", from_pcm_v(f64, NULL, 3, DATA(f)));
  ERR(CORE_E_INVALID_ARGUMENT, NULL, from_pcm_v(f64, pcm, 3, NULL));
  cr_assert(untouched(f, 5 * esz(f64)), "output written on error");
  for (size_t i = 0; i < 3; ++i) put(f64, DATA(f), i, 2.0);
  size_t clipped = 777;
  ERR(CORE_E_INVALID_ARGUMENT, f64 ? "core_f64_to_pcm16" : "core_f32_to_pcm16", to_pcm_v(f64, NULL, 3, pout, &clipped));
  ERR(CORE_E_INVALID_ARGUMENT, NULL, to_pcm_v(f64, DATA(f), 3, NULL, &clipped));
  cr_assert_eq(clipped, 777, "clipped written on error");
  cr_assert(pout[0] == 7 && pout[1] == 7 && pout[2] == 7, "output written on error");
  OK(from_pcm_v(f64, NULL, 0, NULL));
  clipped = 0;
  OK(to_pcm_v(f64, NULL, 0, NULL, &clipped));
  cr_assert_eq(clipped, 0);
  OK(to_pcm_v(f64, NULL, 0, NULL, NULL));
  free(f);
}
