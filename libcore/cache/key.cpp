// Run-time choice among the per-target key digests (key_impl.h): the
// widest instruction set this CPU and its OS support, once per process.
// Every target computes the same quantized values and the same XXH3.
#include <cstddef>

#include "libcore/cache/cache.h"

namespace core {
namespace cache {

#define CORE_DECLARE_KEY_TARGET(ns)                                                  \
  namespace ns {                                                                     \
  void key_bytes(const void *data, std::size_t len, core_key_t *key) noexcept;       \
  bool key_audio(const float *x, std::size_t n, int decimals, core_key_t *key,       \
                 std::size_t *nan_index) noexcept;                                   \
  }
CORE_DECLARE_KEY_TARGET(base)
#ifdef CORE_CACHE_KEY_AVX2
CORE_DECLARE_KEY_TARGET(avx2)
#endif
#ifdef CORE_CACHE_KEY_AVX512
CORE_DECLARE_KEY_TARGET(avx512)
#endif

namespace {

struct Target {
  const char *name;
  void (*bytes)(const void *, std::size_t, core_key_t *) noexcept;
  bool (*audio)(const float *, std::size_t, int, core_key_t *, std::size_t *) noexcept;
};

Target choose() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
#ifdef CORE_CACHE_KEY_AVX512
  // libgcc's checks include the OS's support (XCR0) for the wider state.
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw"))
    return {"avx512", avx512::key_bytes, avx512::key_audio};
#endif
#ifdef CORE_CACHE_KEY_AVX2
  if (__builtin_cpu_supports("avx2")) return {"avx2", avx2::key_bytes, avx2::key_audio};
#endif
#endif
  return {"baseline", base::key_bytes, base::key_audio};
}

const Target &target() noexcept {
  static const Target t = choose();  // thread-safe once
  return t;
}

}  // namespace

void key_bytes(const void *data, std::size_t len, core_key_t *key) noexcept {
  target().bytes(data, len, key);
}

bool key_audio(const float *x, std::size_t n, int decimals, core_key_t *key,
               std::size_t *nan_index) noexcept {
  return target().audio(x, n, decimals, key, nan_index);
}

const char *key_target() noexcept { return target().name; }

}  // namespace cache
}  // namespace core
