// The key digests, compiled once per CPU target: key_base.cpp (the
// compiler's default target), key_avx2.cpp (-mavx2) and key_avx512.cpp
// (-mavx512f -mavx512bw) each define CORE_KEY_NS and include this file.
// xxhash itself is inlined into each (XXH_INLINE_ALL, xxhash's own inline
// mode), so XXH3 runs its AVX2 or AVX-512 loop in those translation units;
// key.cpp picks one set at run time. Nothing here may include a C++
// library header: its inline functions, compiled with the target's flags,
// could be picked by the linker for code that runs on any CPU.
#ifndef CORE_KEY_NS
#error "define CORE_KEY_NS before including key_impl.h"
#endif

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__AVX512F__) || defined(__AVX2__)
#include <immintrin.h>
#endif

#include <core/cache.h>

namespace core {
namespace cache {
namespace CORE_KEY_NS {

namespace {

// 10^d in float32, exact for every d accepted (5^10 < 2^24).
const float kPow10[CORE_CACHE_MAX_DECIMALS + 1] = {1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f,
                                                   1e6f, 1e7f, 1e8f, 1e9f, 1e10f};

// Samples per block: 8 KiB of quantized values on the stack, in L1.
constexpr size_t kBlock = 2048;

// q[i] = rint(x[i] * p) + 0 in float32 (round half to even; the + 0 turns
// -0 into +0). Returns non-zero when some x[i] is NaN.
inline int quantize(const float *x, size_t n, float p, float *q) {
  size_t i = 0;
  int bad = 0;
#if defined(__AVX512F__)
  const __m512 vp = _mm512_set1_ps(p), zero = _mm512_setzero_ps();
  __mmask16 nan = 0;
  for (; i + 16 <= n; i += 16) {
    const __m512 v = _mm512_loadu_ps(x + i);
    nan |= _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
    const __m512 r = _mm512_roundscale_ps(_mm512_mul_ps(v, vp),
                                          _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    _mm512_storeu_ps(q + i, _mm512_add_ps(r, zero));
  }
  bad = nan != 0;
#elif defined(__AVX2__)
  const __m256 vp = _mm256_set1_ps(p), zero = _mm256_setzero_ps();
  __m256 nan = zero;
  for (; i + 8 <= n; i += 8) {
    const __m256 v = _mm256_loadu_ps(x + i);
    nan = _mm256_or_ps(nan, _mm256_cmp_ps(v, v, _CMP_UNORD_Q));
    const __m256 r = _mm256_round_ps(_mm256_mul_ps(v, vp),
                                     _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    _mm256_storeu_ps(q + i, _mm256_add_ps(r, zero));
  }
  bad = _mm256_movemask_ps(nan) != 0;
#endif
  for (; i < n; ++i) {
    const float v = x[i];
    bad |= v != v;
    // rint in the default rounding mode (to nearest, ties to even).
    q[i] = __builtin_rintf(v * p) + 0.0f;
  }
  return bad;
}

}  // namespace

void key_bytes(const void *data, size_t len, core_key_t *key) noexcept {
  const XXH128_hash_t h = XXH3_128bits(data, len);
  key->lo = h.low64;
  key->hi = h.high64;
}

bool key_audio(const float *x, size_t n, int decimals, core_key_t *key,
               size_t *nan_index) noexcept {
  XXH3_state_t st;
  XXH3_128bits_reset(&st);
  unsigned char head[16];
  const uint64_t n64 = n;
  const int32_t d32 = decimals;
  memcpy(head, &n64, 8);
  memcpy(head + 8, &d32, 4);
  memcpy(head + 12, "AUD1", 4);
  XXH3_128bits_update(&st, head, sizeof head);
  const float p = kPow10[decimals];
  alignas(64) float q[kBlock];
  for (size_t at = 0; at < n; at += kBlock) {
    const size_t m = n - at < kBlock ? n - at : kBlock;
    if (quantize(x + at, m, p, q)) {
      size_t i = 0;
      while (x[at + i] == x[at + i]) ++i;
      *nan_index = at + i;
      return false;
    }
    XXH3_128bits_update(&st, q, m * sizeof(float));
  }
  const XXH128_hash_t h = XXH3_128bits_digest(&st);
  key->lo = h.low64;
  key->hi = h.high64;
  return true;
}

}  // namespace CORE_KEY_NS
}  // namespace cache
}  // namespace core
