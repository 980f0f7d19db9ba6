// libFuzzer target: the streaming accumulator (batch.h, convention 4).
//
// Byte 0, bit 0 picks the mode.
//
// Corrupt mode (bit 0 = 1): a caller-owned core_stats_acc_t is plain data
// that a caller may hand over corrupted. The harness builds a valid
// accumulator (a few pushes of f32 or f64 values, optionally a merge),
// then patches it with the input: records of (uint16 offset, uint8 length,
// bytes) written over the struct's header, base and merge stack (the
// region the library must validate; offsets wrap within it); with byte 0
// bit 1 set the whole input is instead copied over the struct from its
// start. Then result, push_f32, push_f64 (small and a whole block), merge
// in both directions and into itself (byte 0 bit 6: f64 pushes before f32,
// since the first push fixes the dtype) must each return CORE_OK or
// CORE_E_INVALID_ARGUMENT, never crash or trip a sanitizer, and every
// CORE_E_INVALID_ARGUMENT must leave the accumulator byte for byte as it
// was (result must never change it).
//
// Stream mode (bit 0 = 0): a valid accumulator with total declared, fed a
// stream cut into chunks whose lengths come from the input (values from a
// PRNG seeded by the input, with NaN, infinities, -0.0, denormals and huge
// values injected), f32 or f64 and the nan policy from byte 0. The result
// must equal core_stats_f32/_f64 on the concatenation bit for bit; so must
// a second accumulator without a declared total when ceil(n / 2048) is a
// power of two, and otherwise match it in count, nan_count, min and max.
// A push beyond the declared total fails and changes nothing.
//
// FUZZ_WRITE_SEEDS=DIR: write a few inputs of each mode to DIR and exit.
#include "fuzz_seeds.h"
#include <core/batch.h>
#include <core/stats.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

[[noreturn]] void fail(const char *what, int line, core_status st) {
  std::fprintf(stderr, "fuzz_stats_acc:%d: %s (status %s: %s)\n", line, what,
               core_status_str(st), core_last_error_message());
  std::abort();
}
#define CHECK(c)                                            \
  do {                                                      \
    if (!(c)) fail("check failed: " #c, __LINE__, CORE_OK); \
  } while (0)
#define CHECK_OK(call)                                               \
  do {                                                               \
    core_status st_ = (call);                                        \
    if (st_ != CORE_OK) fail("call failed: " #call, __LINE__, st_);  \
  } while (0)

// The region a corrupt input patches: everything before the pending block.
constexpr size_t kHeaderBytes = offsetof(core_stats_acc_t, pending);

struct Rng {
  uint64_t s;
  uint64_t next() {
    s += 0x9e3779b97f4a7c15ull;
    uint64_t z = s;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
};

double value(Rng &r, uint8_t specials) {
  const uint64_t x = r.next();
  if ((x & 255) < specials) {
    switch ((x >> 8) % 8) {
      case 0: return std::nan("");
      case 1: return INFINITY;
      case 2: return -INFINITY;
      case 3: return -0.0;
      case 4: return 1e-42;  // float denormal
      case 5: return 3e38;
      case 6: return -3e38;
      default: return 1e300;  // inf as float
    }
  }
  return (double(x >> 11) / double(1ull << 53) - 0.5) * 1000.0;
}

bool same_bits(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof a) == 0;
}
bool same_stats(const core_stats_t &a, const core_stats_t &b) {
  return a.count == b.count && a.nan_count == b.nan_count && same_bits(a.min, b.min) &&
         same_bits(a.max, b.max) && same_bits(a.sum, b.sum) && same_bits(a.mean, b.mean) &&
         same_bits(a.m2, b.m2);
}
void print_stats(const char *name, const core_stats_t &s) {
  std::fprintf(stderr, "%s: count %llu nan %llu min %a max %a sum %a mean %a m2 %a\n", name,
               (unsigned long long)s.count, (unsigned long long)s.nan_count, s.min, s.max,
               s.sum, s.mean, s.m2);
}

// ---- corrupt mode -------------------------------------------------------------

// A status of a call on a corrupt accumulator: OK or INVALID_ARGUMENT, and
// the latter changes nothing.
void expect_valid_or_unchanged(core_status st, const core_stats_acc_t *acc,
                               const core_stats_acc_t *saved, const char *what, int line) {
  if (st == CORE_OK) return;
  if (st != CORE_E_INVALID_ARGUMENT) fail(what, line, st);
  if (std::memcmp(acc, saved, sizeof *acc) != 0)
    fail("a failed call changed the accumulator", line, st);
}

void corrupt_mode(const uint8_t *data, size_t size) {
  const uint8_t cfg = data[0];
  static core_stats_acc_t acc, good, saved, saved2;  // ~21 KiB each
  static float f[CORE_STATS_ACC_BLOCK + 7];
  static double d[CORE_STATS_ACC_BLOCK + 7];
  Rng r{size * 31 + cfg};
  for (size_t i = 0; i < CORE_STATS_ACC_BLOCK + 7; ++i) {
    d[i] = value(r, 8);
    f[i] = float(d[i]);
  }
  const core_nan_policy nan = (cfg & 4) ? CORE_NAN_OMIT : CORE_NAN_PROPAGATE;
  const bool f64 = cfg & 8;
  const uint64_t total = (cfg & 16) ? 3 * CORE_STATS_ACC_BLOCK + 100 : 0;
  const size_t first = (size_t(cfg) * 97) % (2 * CORE_STATS_ACC_BLOCK + 300);
  CHECK_OK(core_stats_acc_init(&acc, nan, total));
  for (size_t left = first; left > 0;) {
    const size_t k = left < CORE_STATS_ACC_BLOCK ? left : CORE_STATS_ACC_BLOCK;
    if (f64)
      CHECK_OK(core_stats_acc_push_f64(&acc, d, k));
    else
      CHECK_OK(core_stats_acc_push_f32(&acc, f, k));
    left -= k;
  }
  CHECK_OK(core_stats_acc_init(&good, nan, 0));
  CHECK_OK(core_stats_acc_push_f32(&good, f, 100));
  if (cfg & 32) CHECK_OK(core_stats_acc_merge(&acc, &good));

  // Patch.
  unsigned char *bytes = reinterpret_cast<unsigned char *>(&acc);
  if (cfg & 2) {
    std::memcpy(bytes, data + 1, size - 1 < sizeof acc ? size - 1 : sizeof acc);
  } else {
    for (size_t i = 1; i + 3 <= size;) {
      const size_t off = (size_t(data[i]) | size_t(data[i + 1]) << 8) % kHeaderBytes;
      size_t len = data[i + 2] % 17;
      i += 3;
      if (len > size - i) len = size - i;
      if (len > kHeaderBytes - off) len = kHeaderBytes - off;
      std::memcpy(bytes + off, data + i, len);
      i += len;
    }
  }

  core_stats_t out;
  std::memcpy(&saved, &acc, sizeof acc);
  core_status st = core_stats_acc_result(&acc, &out);
  CHECK(st == CORE_OK || st == CORE_E_INVALID_ARGUMENT);
  CHECK(std::memcmp(&acc, &saved, sizeof acc) == 0);  // result never writes

  // Merges first (before pushes change the corrupt accumulator further).
  std::memcpy(&saved2, &good, sizeof good);
  st = core_stats_acc_merge(&good, &acc);
  expect_valid_or_unchanged(st, &good, &saved2, "merge(good, corrupt)", __LINE__);
  CHECK(std::memcmp(&acc, &saved, sizeof acc) == 0);  // src is unchanged
  if (st == CORE_OK) CHECK_OK(core_stats_acc_result(&good, &out));

  st = core_stats_acc_merge(&acc, &acc);
  expect_valid_or_unchanged(st, &acc, &saved, "merge(corrupt, itself)", __LINE__);
  if (st == CORE_OK) CHECK_OK(core_stats_acc_result(&acc, &out));

  CHECK_OK(core_stats_acc_init(&good, nan, 0));
  CHECK_OK(core_stats_acc_push_f64(&good, d, 10));
  std::memcpy(&saved, &acc, sizeof acc);
  st = core_stats_acc_merge(&acc, &good);
  expect_valid_or_unchanged(st, &acc, &saved, "merge(corrupt, good)", __LINE__);
  if (st == CORE_OK) CHECK_OK(core_stats_acc_result(&acc, &out));

  const size_t sizes[] = {1, 5, CORE_STATS_ACC_BLOCK, 3, CORE_STATS_ACC_BLOCK + 7};
  for (size_t k : sizes) {
    for (int j = 0; j < 2; ++j) {  // byte 0 bit 6: f64 first (the first push fixes the dtype)
      std::memcpy(&saved, &acc, sizeof acc);
      if ((j == 0) == !(cfg & 64)) {
        st = core_stats_acc_push_f32(&acc, f, k);
        expect_valid_or_unchanged(st, &acc, &saved, "push_f32 on a patched accumulator",
                                  __LINE__);
      } else {
        st = core_stats_acc_push_f64(&acc, d, k);
        expect_valid_or_unchanged(st, &acc, &saved, "push_f64 on a patched accumulator",
                                  __LINE__);
      }
    }
    std::memcpy(&saved, &acc, sizeof acc);
    st = core_stats_acc_result(&acc, &out);
    CHECK(st == CORE_OK || st == CORE_E_INVALID_ARGUMENT);
    CHECK(std::memcmp(&acc, &saved, sizeof acc) == 0);
  }
}

// ---- stream mode ----------------------------------------------------------------

void stream_mode(const uint8_t *data, size_t size) {
  const uint8_t cfg = data[0];
  const core_nan_policy nan = (cfg & 2) ? CORE_NAN_OMIT : CORE_NAN_PROPAGATE;
  const bool f64 = cfg & 4;
  const uint8_t specials = (cfg & 8) ? (cfg >> 4) * 4 : 0;
  // Chunk lengths: one byte each; the top bits scale (0: 0..63, 1: 0..1023,
  // 2: near one block, 3: up to ~3 blocks).
  std::vector<size_t> chunks;
  size_t n = 0;
  uint64_t seed = 0;
  for (size_t i = 1; i < size && chunks.size() < 64; ++i) {
    const uint8_t b = data[i];
    seed = seed * 131 + b;
    size_t k = b & 63;
    switch (b >> 6) {
      case 1: k *= 16; break;
      case 2: k = CORE_STATS_ACC_BLOCK - 32 + k; break;
      case 3: k *= 97; break;
      default: break;
    }
    if (n + k > 40000) break;
    chunks.push_back(k);
    n += k;
  }
  Rng r{seed};
  std::vector<double> d(n + 1);
  std::vector<float> f(n + 1);
  for (size_t i = 0; i < n; ++i) {
    d[i] = value(r, specials);
    f[i] = float(d[i]);
  }

  static core_stats_acc_t exact, unknown, saved;
  CHECK_OK(core_stats_acc_init(&exact, nan, n));
  CHECK_OK(core_stats_acc_init(&unknown, nan, 0));
  size_t pos = 0;
  for (size_t k : chunks) {
    if (f64) {
      CHECK_OK(core_stats_acc_push_f64(&exact, d.data() + pos, k));
      CHECK_OK(core_stats_acc_push_f64(&unknown, d.data() + pos, k));
    } else {
      CHECK_OK(core_stats_acc_push_f32(&exact, f.data() + pos, k));
      CHECK_OK(core_stats_acc_push_f32(&unknown, f.data() + pos, k));
    }
    pos += k;
  }
  core_stats_t want, got, got_unknown;
  if (f64)
    CHECK_OK(core_stats_f64(d.data(), n, nan, &want));
  else
    CHECK_OK(core_stats_f32(f.data(), n, nan, &want));
  CHECK_OK(core_stats_acc_result(&exact, &got));
  CHECK_OK(core_stats_acc_result(&unknown, &got_unknown));
  if (!same_stats(got, want)) {
    print_stats("core_stats  ", want);
    print_stats("accumulator ", got);
    std::fprintf(stderr, "n = %zu in %zu chunks, %s\n", n, chunks.size(), f64 ? "f64" : "f32");
    fail("accumulator with declared total differs from core_stats", __LINE__, CORE_OK);
  }
  const size_t blocks = (n + CORE_STATS_ACC_BLOCK - 1) / CORE_STATS_ACC_BLOCK;
  if ((blocks & (blocks - 1)) == 0) {
    if (!same_stats(got_unknown, want)) {
      print_stats("core_stats  ", want);
      print_stats("accumulator ", got_unknown);
      std::fprintf(stderr, "n = %zu (%zu blocks) in %zu chunks, %s\n", n, blocks,
                   chunks.size(), f64 ? "f64" : "f32");
      fail("accumulator with total 0 differs from core_stats", __LINE__, CORE_OK);
    }
  } else {
    CHECK(got_unknown.count == want.count && got_unknown.nan_count == want.nan_count &&
          same_bits(got_unknown.min, want.min) && same_bits(got_unknown.max, want.max));
  }
  // Past the declared total: refused, nothing changes.
  std::memcpy(&saved, &exact, sizeof exact);
  const float one = 1.0f;
  const double oned = 1.0;
  const core_status st = f64 ? core_stats_acc_push_f64(&exact, &oned, 1)
                             : core_stats_acc_push_f32(&exact, &one, 1);
  if (n > 0) {  // total 0 means unknown: the empty declared stream takes more
    CHECK(st == CORE_E_INVALID_ARGUMENT);
    CHECK(std::memcmp(&exact, &saved, sizeof exact) == 0);
  }
  // The other dtype is refused once the first push fixed one.
  if (n > 0) {
    std::memcpy(&saved, &unknown, sizeof unknown);
    const core_status st2 = f64 ? core_stats_acc_push_f32(&unknown, &one, 1)
                                : core_stats_acc_push_f64(&unknown, &oned, 1);
    CHECK(st2 == CORE_E_INVALID_ARGUMENT);
    CHECK(std::memcmp(&unknown, &saved, sizeof unknown) == 0);
  }
}

std::vector<std::vector<uint8_t>> seeds() {
  return {
      {0x00, 5, 0x41, 0x82, 3},
      {0x04, 0xc5, 0x80, 0x8f, 0x10},
      {0x0a, 0x40, 0x7f, 0xbf, 0xff, 0x3f, 0xc0},
      {0xfe, 0x82, 0x82, 0x82, 0x82, 0x82},
      {0x01, 0, 0, 4, 0xff, 0xff, 0xff, 0xff},          // patch the magic
      {0x11, 8, 0, 4, 9, 0, 0, 0},                      // bad nan policy
      {0x31, 32, 0, 8, 0xff, 0xff, 0, 0, 0, 0, 0, 0},   // huge depth
      {0x21, 24, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0x80},      // total
      {0x19, 40, 0, 8, 1, 0, 0, 0, 0, 0, 0, 0, 120, 0, 16, 0, 0, 0, 0, 0, 0, 0xf0, 0x7f},
      {0x03, 0x46, 0x43, 0x4f, 0x52, 0x45, 0x41, 0x43},
  };
}

}  // namespace

FUZZ_INITIALIZE_WITH_SEEDS(seeds)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  if (data[0] & 1)
    corrupt_mode(data, size);
  else
    stream_mode(data, size);
  return 0;
}
