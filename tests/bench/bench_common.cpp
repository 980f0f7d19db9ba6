// Buffers, input data and the plain reference loops shared by the benchmarks
// and the paired A/B runs (see bench_common.h).

#include "bench_common.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <thread>
#include <utility>
#include <vector>

#include <sys/mman.h>

namespace bench {

// ---- buffers ----------------------------------------------------------------

template <typename T>
Buf<T> alloc_buf(size_t n) {
  size_t bytes = ((n * sizeof(T) + 63) / 64) * 64;
  if (bytes == 0) bytes = 64;
  const size_t align = bytes >= (size_t{4} << 20) ? (size_t{2} << 20) : 64;
  bytes = (bytes + align - 1) / align * align;
  void *p = std::aligned_alloc(align, bytes);
  if (!p) {
    std::fprintf(stderr, "bench_core: cannot allocate %zu bytes\n", bytes);
    std::exit(2);
  }
#ifdef MADV_HUGEPAGE
  // Like NumPy (which madvises every array of 4 MiB or more), ask for
  // transparent huge pages, so the data sit in memory the way arrays coming
  // from Python do. LIBCORE_BENCH_NO_HUGEPAGES=1 keeps 4 KiB pages.
  if (bytes >= (size_t{4} << 20) && !std::getenv("LIBCORE_BENCH_NO_HUGEPAGES"))
    (void)madvise(p, bytes, MADV_HUGEPAGE);
#endif
  std::memset(p, 0, bytes);
  return Buf<T>(static_cast<T *>(p));
}

namespace {

// Deterministic pseudo-random data (xorshift64*), uniform in [4, 6): the
// values do not matter to the speed of any operation measured here (no NaN,
// no denormals), only that they are not all equal (percentile selection).
uint64_t g_rng_state = 0x9E3779B97F4A7C15ull;
inline double next_uniform() {
  g_rng_state ^= g_rng_state >> 12;
  g_rng_state ^= g_rng_state << 25;
  g_rng_state ^= g_rng_state >> 27;
  uint64_t r = g_rng_state * 0x2545F4914F6CDD1Dull;
  return static_cast<double>(r >> 11) * (1.0 / 9007199254740992.0);
}

}  // namespace

template <typename T>
const T *data(size_t n) {
  static std::map<size_t, Buf<T>> cache;
  auto it = cache.find(n);
  if (it != cache.end()) return it->second.get();
  Buf<T> b = alloc_buf<T>(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<T>(4.0 + 2.0 * next_uniform());
  const T *p = b.get();
  cache.emplace(n, std::move(b));
  return p;
}

template Buf<float> alloc_buf<float>(size_t n);
template Buf<double> alloc_buf<double>(size_t n);
template const float *data<float>(size_t n);
template const double *data<double>(size_t n);

const float *data2_f32(size_t n) {
  static std::map<size_t, Buf<float>> cache;
  auto it = cache.find(n);
  if (it != cache.end()) return it->second.get();
  Buf<float> b = alloc_buf<float>(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<float>(next_uniform() - 0.5);
  const float *p = b.get();
  cache.emplace(n, std::move(b));
  return p;
}

float *out_f32(size_t n) {
  static std::map<size_t, Buf<float>> cache;
  auto it = cache.find(n);
  if (it != cache.end()) return it->second.get();
  Buf<float> b = alloc_buf<float>(n);
  float *p = b.get();
  cache.emplace(n, std::move(b));
  return p;
}

// ---- bandwidth reference loops ----------------------------------------------------

// A plain float sum the compiler vectorizes: 32 independent accumulators
// (8 SSE registers; no -ffast-math needed, as there is no reassociation for
// it to forbid), so that the loop is limited by loads, not by add latency.
// The n % 32 tail is summed at the end.
__attribute__((noinline)) float plain_sum(const float *x, size_t n) {
  constexpr size_t kLanes = 32;
  float acc[kLanes] = {};
  size_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (size_t j = 0; j < kLanes; ++j) acc[j] += x[i + j];
  float s = 0.0f;
  for (; i < n; ++i) s += x[i];
  for (size_t j = 0; j < kLanes; ++j) s += acc[j];
  return s;
}

__attribute__((noinline)) void plain_store(float *out, size_t n, float v) {
  // 1.5f is not a repeated byte, so this stays a vector store loop and is
  // not turned into a memset call.
  for (size_t i = 0; i < n; ++i) out[i] = v;
}

// The same sum split over every hardware thread (threads created per call,
// ~0.1 ms, negligible against the 1e8 case it is used for).
float plain_sum_mt(const float *x, size_t n, unsigned nt) {
  std::vector<float> part(nt);
  std::vector<std::thread> th;
  th.reserve(nt);
  const size_t chunk = (n / nt + 31) / 32 * 32;
  for (unsigned t = 0; t < nt; ++t) {
    const size_t lo = std::min(n, t * chunk);
    const size_t hi = (t + 1 == nt) ? n : std::min(n, lo + chunk);
    th.emplace_back([&part, x, lo, hi, t] { part[t] = plain_sum(x + lo, hi - lo); });
  }
  for (auto &t : th) t.join();
  float s = 0.0f;
  for (float p : part) s += p;
  return s;
}

unsigned hw_threads() { return std::max(1u, std::thread::hardware_concurrency()); }

}  // namespace bench
