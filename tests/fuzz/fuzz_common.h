// What the newer fuzz targets share: a reader of the fuzzer's bytes, a
// PRNG for bulk values, a failure report that names the target and line,
// status checks, and a private temporary file path.
//
// A target defines FUZZ_NAME ("fuzz_vad") before including this header.
#ifndef LIBCORE_FUZZ_COMMON_H
#define LIBCORE_FUZZ_COMMON_H

#include "fuzz_seeds.h"

#include <core/core.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#ifndef FUZZ_NAME
#error "define FUZZ_NAME before including fuzz_common.h"
#endif

[[noreturn]] inline void fuzz_fail(int line, const char *what, core_status st) {
  std::fprintf(stderr, "%s:%d: %s (status %s: %s)\n", FUZZ_NAME, line, what,
               core_status_str(st), core_last_error_message());
  std::abort();
}
#define CHECK(c)                                                   \
  do {                                                             \
    if (!(c)) fuzz_fail(__LINE__, "check failed: " #c, CORE_OK);   \
  } while (0)
#define CHECK_OK(call)                                                      \
  do {                                                                      \
    core_status st_ = (call);                                               \
    if (st_ != CORE_OK) fuzz_fail(__LINE__, "call failed: " #call, st_);    \
  } while (0)
#define EXPECT(call, want)                                                       \
  do {                                                                           \
    core_status st_ = (call);                                                    \
    if (st_ != (want)) fuzz_fail(__LINE__, "unexpected status of " #call, st_);  \
  } while (0)

// A value of the core_status enum (compared as an int: the library must
// never return anything else).
inline bool is_status(core_status st) {
  const int v = static_cast<int>(st);
  return v >= CORE_OK && v <= CORE_E_INTERNAL;
}

// The fuzzer's bytes, read front to back; past the end every read is 0, so
// a short input is a valid (small) case, never an error.
struct Reader {
  const uint8_t *p;
  size_t n, i = 0;
  Reader(const uint8_t *data, size_t size) : p(data), n(size) {}
  bool empty() const { return i >= n; }
  size_t left() const { return i < n ? n - i : 0; }
  uint8_t u8() { return i < n ? p[i++] : 0; }
  uint16_t u16() { return uint16_t(u8() | (u8() << 8)); }
  uint32_t u32() { return uint32_t(u16()) | (uint32_t(u16()) << 16); }
  uint64_t u64() { return uint64_t(u32()) | (uint64_t(u32()) << 32); }
  // One of k choices (k >= 1), from one byte.
  size_t pick(size_t k) { return u8() % k; }
  template <typename T, size_t N>
  T from(const T (&table)[N]) {
    return table[pick(N)];
  }
};

// splitmix64: bulk values (samples, tensor contents) seeded from the input.
struct Rng {
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed) {}
  uint64_t next() {
    s += 0x9e3779b97f4a7c15ull;
    uint64_t z = s;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [-1, 1).
  float unit() { return float(int32_t(uint32_t(next() >> 32))) / 2147483648.0f; }
};

// A file name private to this process under /dev/shm (or TMPDIR, /tmp).
inline std::string fuzz_temp_path(const char *tag) {
  const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : nullptr;
  if (dir == nullptr) dir = std::getenv("TMPDIR");
  if (dir == nullptr || *dir == '\0') dir = "/tmp";
  return std::string(dir) + "/libcore_" + FUZZ_NAME + "_" + tag + "_" +
         std::to_string(getpid());
}

inline bool same_bits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }
inline bool same_floats(const float *a, const float *b, size_t n) {
  return n == 0 || std::memcmp(a, b, n * sizeof(float)) == 0;
}

#endif
