// What the benchmark definitions (bench_core.cpp) and the paired A/B runs
// (bench_paired.cpp) share: the sizes, the buffers and their input data, the
// libcore thread-count scope, and the plain reference loops that libcore is
// judged against. See bench_core.cpp for the conventions.

#ifndef LIBCORE_BENCH_COMMON_H
#define LIBCORE_BENCH_COMMON_H

#include <core/core.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>

namespace bench {

// ---- sizes ------------------------------------------------------------------------

inline constexpr int64_t k100 = 100, k1e4 = 10000, k1e6 = 1000000, k1e7 = 10000000,
                         k1e8 = 100000000;

// ---- buffers ----------------------------------------------------------------

struct FreeDeleter {
  void operator()(void *p) const { std::free(p); }
};

template <typename T>
using Buf = std::unique_ptr<T[], FreeDeleter>;

// 64-byte aligned (2 MiB aligned when large, so huge pages can back it), and
// touched so that page faults are not timed. Defined for float and double.
template <typename T>
Buf<T> alloc_buf(size_t n);

// Input data cached per (type, n), generated lazily so a filtered run
// (e.g. only n = 100) does not build the 1e8 arrays. Uniform in [4, 6).
// Defined for float and double.
template <typename T>
const T *data(size_t n);

// A second input for dot.
const float *data2_f32(size_t n);

// One output buffer per size, reused by every writer.
float *out_f32(size_t n);

// ---- libcore thread count -------------------------------------------------------

// Sets the libcore thread count for one benchmark and restores the default.
struct ThreadScope {
  explicit ThreadScope(int n) {
    if (core_set_num_threads(n) != CORE_OK) {
      std::fprintf(stderr, "bench_core: core_set_num_threads(%d) failed\n", n);
      std::exit(2);
    }
  }
  ~ThreadScope() {
    core_status st = core_set_num_threads(0);
    (void)st;
  }
};

// ---- bandwidth reference loops ----------------------------------------------------

// A plain float sum the compiler vectorizes (the read reference).
float plain_sum(const float *x, size_t n);

// A plain store loop (the store-loop write reference).
void plain_store(float *out, size_t n, float v);

// plain_sum split over nt threads (the multi-threaded read reference).
float plain_sum_mt(const float *x, size_t n, unsigned nt);

// std::thread::hardware_concurrency(), at least 1.
unsigned hw_threads();

}  // namespace bench

#endif  // LIBCORE_BENCH_COMMON_H
