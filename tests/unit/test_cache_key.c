/* Unit tests for the cache keys: key_bytes is XXH3-128, key_audio follows
 * np.round's float32 rounding (reference values computed with NumPy 1.24
 * on Debian 12, pasted below), -0.0 == 0.0, NaN rejected, length and
 * decimals in the digest, and the same key on every block boundary. */
#include <math.h>

#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

#include "test_cache_util.h"

static float f32(uint32_t bits) {
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}

/* The documented definition, through libxxhash.so: XXH3-128 of
 * (uint64 n, int32 decimals, "AUD1") followed by the float32 values q. */
static core_key_t reference_key(const float *q, size_t n, int decimals) {
  XXH3_state_t *st = XXH3_createState();
  XXH3_128bits_reset(st);
  unsigned char head[16];
  uint64_t n64 = n;
  int32_t d32 = decimals;
  memcpy(head, &n64, 8);
  memcpy(head + 8, &d32, 4);
  memcpy(head + 12, "AUD1", 4);
  XXH3_128bits_update(st, head, 16);
  XXH3_128bits_update(st, q, n * sizeof *q);
  XXH128_hash_t h = XXH3_128bits_digest(st);
  XXH3_freeState(st);
  core_key_t k = {h.low64, h.high64};
  return k;
}

static int key_eq(core_key_t a, core_key_t b) { return a.lo == b.lo && a.hi == b.hi; }

/* float32 inputs (bits) chosen so that x * 1e6 lands exactly on .5 in
 * float32 (ties), plus ordinary values; np.round(x, 6) of each (bits) and
 * np.rint(x * np.float32(1e6)) (the q values). */
static const uint32_t kX[] = {0x35c9539c, 0x3627c5ac, 0x366ae18b, 0x3696feb5,
                              0x36b88ca4, 0x36da1a93, 0xb5c9539c, 0xb627c5ac,
                              0x3dfcd6c3, 0xb4d6bf95, 0x3f7ffff8, 0xbf800000,
                              0x33d6bf95, 0xb4a10fb0, 0x3f000000, 0xbefffff3};
static const uint32_t kRound[] = {0x360637bd, 0x360637bd, 0x368637bd, 0x368637bd,
                                  0x36c9539c, 0x36c9539c, 0xb60637bd, 0xb60637bd,
                                  0x3dfcd680, 0x80000000, 0x3f800000, 0xbf800000,
                                  0x00000000, 0x80000000, 0x3f000000, 0xbf000000};
static const float kQ[] = {2.0f, 2.0f, 4.0f, 4.0f, 6.0f, 6.0f, -2.0f, -2.0f,
                           123456.0f, -0.0f, 1000000.0f, -1000000.0f, 0.0f, -0.0f,
                           500000.0f, -500000.0f};
#define NX (sizeof kX / sizeof kX[0])

Test(cache_key, bytes_is_xxh3_128) {
  const char *s = "the quick brown fox";
  core_key_t k;
  OK(core_cache_key_bytes(s, strlen(s), &k));
  XXH128_hash_t h = XXH3_128bits(s, strlen(s));
  cr_assert_eq(k.lo, h.low64);
  cr_assert_eq(k.hi, h.high64);
  OK(core_cache_key_bytes(NULL, 0, &k));
  h = XXH3_128bits("", 0);
  cr_assert(k.lo == h.low64 && k.hi == h.high64);
  /* Long inputs go through the vector loops. */
  size_t n = 100003;
  unsigned char *b = malloc(n);
  for (size_t i = 0; i < n; ++i) b[i] = (unsigned char)(i * 131u);
  OK(core_cache_key_bytes(b, n, &k));
  h = XXH3_128bits(b, n);
  cr_assert(k.lo == h.low64 && k.hi == h.high64);
  free(b);
}

Test(cache_key, audio_matches_numpy_round) {
  float x[NX], r[NX], q[NX];
  for (size_t i = 0; i < NX; ++i) {
    x[i] = f32(kX[i]);
    r[i] = f32(kRound[i]);
    q[i] = kQ[i] + 0.0f; /* the documented -0 -> +0 */
  }
  core_key_t kx, kr;
  OK(core_cache_key_audio(x, NX, 6, &kx));
  OK(core_cache_key_audio(r, NX, 6, &kr));
  cr_assert(key_eq(kx, kr), "x and np.round(x, 6) must share a key");
  cr_assert(key_eq(kx, reference_key(q, NX, 6)), "key differs from the documented digest");
  /* One sample across a rounding boundary changes the key. */
  x[0] = f32(0x362e7c2e); /* ~2.6e-6: np.round gives 3e-6 */
  OK(core_cache_key_audio(x, NX, 6, &kx));
  cr_assert(!key_eq(kx, kr));
}

Test(cache_key, half_to_even_and_signed_zero) {
  const float a[] = {0.5f, 1.5f, 2.5f, -0.5f, -2.5f, 3.5f, -0.0f};
  const float b[] = {0.0f, 2.0f, 2.0f, 0.0f, -2.0f, 4.0f, 0.0f};
  const float c[] = {-0.0f, 2.0f, 2.0f, -0.0f, -2.0f, 4.0f, -0.0f};
  core_key_t ka, kb, kc;
  OK(core_cache_key_audio(a, 7, 0, &ka));
  OK(core_cache_key_audio(b, 7, 0, &kb));
  OK(core_cache_key_audio(c, 7, 0, &kc));
  cr_assert(key_eq(ka, kb));
  cr_assert(key_eq(kb, kc), "-0.0 and 0.0 must give the same key");
  /* Decimals 1: 0.25 * 10 = 2.5 -> 2 (even), 0.35f * 10 = 3.5 -> 4. */
  const float d[] = {0.25f, 0.35f}, e[] = {0.2f, 0.4f};
  OK(core_cache_key_audio(d, 2, 1, &ka));
  OK(core_cache_key_audio(e, 2, 1, &kb));
  cr_assert(key_eq(ka, kb));
}

Test(cache_key, length_and_decimals_in_digest) {
  const float z[4] = {0, 0, 0, 0};
  core_key_t k1, k2, k3, k0;
  OK(core_cache_key_audio(z, 3, 6, &k1));
  OK(core_cache_key_audio(z, 4, 6, &k2));
  OK(core_cache_key_audio(z, 3, 5, &k3));
  OK(core_cache_key_audio(NULL, 0, 6, &k0));
  cr_assert(!key_eq(k1, k2), "the length must be in the digest");
  cr_assert(!key_eq(k1, k3), "the decimals must be in the digest");
  cr_assert(key_eq(k0, reference_key(NULL, 0, 6)));
  /* Audio keys never collide with key_bytes of the same values. */
  core_key_t kb;
  OK(core_cache_key_bytes(z, sizeof z, &kb));
  cr_assert(!key_eq(k2, kb));
}

/* Random audio of many lengths (block boundaries at 2048, vector tails)
 * against the reference computed here with rintf. */
Test(cache_key, random_lengths_match_reference) {
  tu_rng g = tu_rng_make(42);
  size_t n_max = 16000 + 37;
  float *x = malloc(n_max * sizeof *x), *q = malloc(n_max * sizeof *q);
  for (size_t i = 0; i < n_max; ++i) x[i] = (float)(tu_uniform(&g) * 2.0 - 1.0);
  const size_t lens[] = {1, 7, 8, 15, 16, 17, 31, 2047, 2048, 2049, 4096, 4111, 16000, n_max};
  for (int d = 0; d <= CORE_CACHE_MAX_DECIMALS; d += 3) {
    const float p = (float)pow(10.0, d);
    for (size_t i = 0; i < n_max; ++i) q[i] = rintf(x[i] * p) + 0.0f;
    for (size_t li = 0; li < sizeof lens / sizeof lens[0]; ++li) {
      core_key_t k;
      OK(core_cache_key_audio(x, lens[li], d, &k));
      CHECK(key_eq(k, reference_key(q, lens[li], d)), "n = %zu, decimals %d", lens[li], d);
    }
  }
  free(x);
  free(q);
}

Test(cache_key, bad_input) {
  float x[5000];
  for (size_t i = 0; i < 5000; ++i) x[i] = 0.25f;
  core_key_t k = {1, 2};
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_key_bytes", "key is NULL",
         core_cache_key_bytes("a", 1, NULL));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_key_bytes", "data is NULL",
         core_cache_key_bytes(NULL, 3, &k));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_key_audio", "key is NULL",
         core_cache_key_audio(x, 5, 6, NULL));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_key_audio", "samples is NULL",
         core_cache_key_audio(NULL, 5, 6, &k));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_key_audio", "decimals",
         core_cache_key_audio(x, 5, -1, &k));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_key_audio", "decimals",
         core_cache_key_audio(x, 5, CORE_CACHE_MAX_DECIMALS + 1, &k));
  x[4321] = NAN;
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_key_audio", "samples[4321] is NaN",
         core_cache_key_audio(x, 5000, 6, &k));
  x[4321] = 0.25f;
  x[3] = -NAN;
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_key_audio", "samples[3] is NaN",
         core_cache_key_audio(x, 5, 0, &k));
  cr_assert(k.lo == 1 && k.hi == 2, "*key was written on error");
  /* Infinities are values. */
  x[3] = INFINITY;
  OK(core_cache_key_audio(x, 5, 6, &k));
}
