// libFuzzer target: every options struct filled with arbitrary values.
//
// Input: byte 0 picks the struct (ring, cache, metrics, log-mel, VAD,
// batcher, pipeline, and the audio-file info struct and target rate, or
// with its high bit set the collection options, run on a small WAV); the
// following bytes fill it: each field from a table of boundary values
// (0, 1, the documented limits and one past them, all-ones, NaN and
// infinities for floating-point fields) or a raw value from the input,
// starting from the _init defaults or from raw bytes, and sometimes with
// an arbitrary struct_size. Pointer fields get only valid pointers or
// NULL (a callback, a live registry or cache, a prefix string from the
// input, a Prometheus bucket array with a valid or invalid content).
//
// Checked: create returns CORE_OK or one of the statuses its header lists
// (never crashes, never trips a sanitizer); the header's struct_size rules
// (smaller than the first layout or between layouts:
// CORE_E_INVALID_ARGUMENT; larger than the library knows:
// CORE_E_UNSUPPORTED); where the header's field rules are simple enough
// to restate (ring, metrics, log-mel, VAD, batcher), the status predicted
// from the fields exactly; *out untouched on error. On CORE_OK the object
// is used briefly (samples pushed and read, an entry put and got, metrics
// registered, recorded and exported, items batched, a pipeline fed 0.3 s
// and drained to CORE_EVENT_END) and destroyed.
//
// Left out on purpose: valid values whose correct outcome is a
// multi-gigabyte allocation (a ring of 2^32 samples is prefaulted, a
// pipeline window of hours): ASan aborts on an allocation that large
// instead of letting operator new throw, so those would be reported as
// crashes although CORE_E_OUT_OF_MEMORY is the documented outcome.
//
// FUZZ_WRITE_SEEDS=DIR: write a few hand-made inputs to DIR and exit.
#define FUZZ_NAME "fuzz_options"
#include "fuzz_common.h"

#include <core/collection.h>
#include <core/core.h>
#include <core/pipeline.h>

#include <cmath>
#include <limits>
#include <set>

namespace {

// The largest prime factor of n (1 for n <= 1): KissFFT's cost per point.
uint64_t largest_prime_factor(uint64_t n) {
  uint64_t p = 1;
  for (uint64_t f = 2; n > 1;) {
    if (f * f > n) return std::max(p, n);
    if (n % f == 0) {
      p = std::max(p, f);
      n /= f;
    } else {
      ++f;
    }
  }
  return p;
}

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

uint64_t test_clock(void *) { return 12345; }

// A value from a table of interesting ones (index < N) or raw bytes.
template <size_t N>
uint64_t u64_of(Reader &in, const uint64_t (&table)[N]) {
  const uint8_t b = in.u8();
  if (b < 0xe0) return table[b % N];
  switch (b & 3) {
    case 0: return in.u8();
    case 1: return in.u16();
    case 2: return in.u32();
    default: return in.u64();
  }
}
template <size_t N>
double f64_of(Reader &in, const double (&table)[N]) {
  const uint8_t b = in.u8();
  if (b < 0xf0) return table[b % N];
  uint64_t bits = in.u64();
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

// struct_size: mostly the right one; sometimes another.
size_t size_of(Reader &in, size_t v1, size_t current) {
  const uint8_t b = in.u8();
  if (b < 0xc0) return current;
  switch (b % 8) {
    case 0: return 0;
    case 1: return v1;
    case 2: return v1 - 1;
    case 3: return current + 8;
    case 4: return (v1 + current) / 2;
    case 5: return SIZE_MAX;
    case 6: return current - 1;
    default: return v1 > 8 ? v1 - 8 : 1;
  }
}

// Where struct_size alone decides: 0 when it is a known layout, else the
// header's status.
core_status size_status(size_t size, size_t v1, size_t v2) {
  if (size == v1 || size == v2) return CORE_OK;
  if (size > v2) return CORE_E_UNSUPPORTED;
  return CORE_E_INVALID_ARGUMENT;
}

// Fills the bytes of a struct from the input (the "raw" start).
void raw_fill(Reader &in, void *p, size_t n) {
  auto *b = static_cast<uint8_t *>(p);
  for (size_t i = 0; i < n; ++i) b[i] = in.u8();
}

std::string prefix_of(Reader &in) {
  switch (in.u8() % 6) {
    case 0: return "fz";
    case 1: return "";
    case 2: return "bad prefix!";
    case 3: return std::string(250, 'p');
    case 4: return "0digit";
    default: {
      std::string s;
      for (int i = in.u8() % 12; i > 0; --i) s += char(0x20 + in.u8() % 0x5f);
      return s;
    }
  }
}

void expect_in(core_status st, std::initializer_list<core_status> allowed, int line) {
  for (core_status a : allowed)
    if (st == a) return;
  fuzz_fail(line, "a status the header does not list", st);
}

// ---- ring ---------------------------------------------------------------------------

void fuzz_ring(Reader &in, core_metrics_t *reg) {
  core_ring_options_t o;
  CHECK_OK(core_ring_options_init(&o));
  static const uint64_t kCap[] = {0, 1, 7, 4096, 1u << 20, CORE_RING_MAX_CAPACITY + 1,
                                  UINT64_MAX, uint64_t(1) << 40};
  o.capacity = size_t(u64_of(in, kCap));
  if (o.capacity > (size_t(1) << 22) && o.capacity <= CORE_RING_MAX_CAPACITY)
    o.capacity = 1u << 22;  // valid but gigabytes: see the header comment
  const int32_t policy = int32_t(u64_of(in, (const uint64_t[]){0, 1, 2, uint64_t(-1)}));
  std::memcpy(&o.policy, &policy, sizeof policy);  // any int, as a C caller may store
  o.mirror = int(u64_of(in, (const uint64_t[]){0, 1, 2, 3, uint64_t(-1)}));
  const std::string prefix = prefix_of(in);
  const uint8_t m = in.u8();
  if (m & 1) o.metrics = reg;
  if (m & 2) o.metrics_prefix = prefix.c_str();
  o.struct_size = size_of(in, CORE_RING_OPTIONS_V1_SIZE, sizeof o);
  core_status want = size_status(o.struct_size, CORE_RING_OPTIONS_V1_SIZE, sizeof o);
  if (want == CORE_OK) {
    if (o.capacity == 0 || o.capacity > CORE_RING_MAX_CAPACITY || (policy != 0 && policy != 1) ||
        o.mirror < 0 || o.mirror > 2)
      want = CORE_E_INVALID_ARGUMENT;
  }
  core_ring_t *r = reinterpret_cast<core_ring_t *>(0x1);
  const core_status st = core_ring_create(&o, &r);
  expect_in(st, {CORE_OK, CORE_E_INVALID_ARGUMENT, CORE_E_UNSUPPORTED, CORE_E_FULL,
                 CORE_E_OUT_OF_MEMORY},
            __LINE__);
  if (want != CORE_OK) {
    EXPECT(st, want);
  } else if (st != CORE_OK) {
    // Only the mirror (REQUIRE), the registry (publishing: names, room)
    // or memory may still refuse.
    CHECK(o.mirror == CORE_RING_MIRROR_REQUIRE ||
          (o.metrics != nullptr && o.struct_size == sizeof o) || st == CORE_E_OUT_OF_MEMORY);
  }
  if (st != CORE_OK) {
    CHECK(r == reinterpret_cast<core_ring_t *>(0x1));
    return;
  }
  float x[100], y[100];
  for (int i = 0; i < 100; ++i) x[i] = float(i);
  const size_t n = std::min<size_t>(100, o.capacity);
  CHECK_OK(core_ring_append_f32(r, x, n));
  size_t got = 0;
  CHECK_OK(core_ring_pop(r, y, 100, &got));
  CHECK(got == n && same_floats(x, y, n));
  core_ring_destroy(r);
}

// ---- cache --------------------------------------------------------------------------

void fuzz_cache(Reader &in, core_metrics_t *reg) {
  core_cache_options_t o;
  CHECK_OK(core_cache_options_init(&o));
  if (in.u8() == 0xff) raw_fill(in, &o, sizeof o), o.clock = nullptr, o.metrics = nullptr,
                                o.metrics_prefix = nullptr, o.clock_user = nullptr;
  static const uint64_t kEntries[] = {0, 1, 2, 3, 64, 4096, UINT64_MAX, 100000};
  static const uint64_t kBytes[] = {0, 1, 255, 256, 257, 260, 1u << 20, UINT64_MAX};
  static const uint64_t kTtl[] = {0, 1, 1000, UINT64_MAX, UINT64_MAX - 1};
  static const uint64_t kShards[] = {0, 1, 2, 3, 16, 256, 257, 512, UINT64_MAX};
  o.max_entries = size_t(u64_of(in, kEntries));
  o.max_bytes = size_t(u64_of(in, kBytes));
  o.ttl_ms = u64_of(in, kTtl);
  o.shards = size_t(u64_of(in, kShards));
  const uint8_t m = in.u8();
  o.clock = (m & 1) ? test_clock : nullptr;
  const std::string prefix = prefix_of(in);
  if (m & 2) o.metrics = reinterpret_cast<core_metrics *>(reg);
  if (m & 4) o.metrics_prefix = prefix.c_str();
  o.struct_size = size_of(in, CORE_CACHE_OPTIONS_V1_SIZE, sizeof o);
  const core_status size_st = size_status(o.struct_size, CORE_CACHE_OPTIONS_V1_SIZE, sizeof o);
  core_cache_t *c = reinterpret_cast<core_cache_t *>(0x1);
  const core_status st = core_cache_create(&o, &c);
  expect_in(st, {CORE_OK, CORE_E_INVALID_ARGUMENT, CORE_E_FULL, CORE_E_UNSUPPORTED,
                 CORE_E_OUT_OF_MEMORY},
            __LINE__);
  if (size_st != CORE_OK) EXPECT(st, size_st);
  if (o.max_entries == 0 && o.max_bytes == 0) CHECK(st != CORE_OK);
  if (o.shards > CORE_CACHE_MAX_SHARDS || (o.shards & (o.shards - 1)) != 0) CHECK(st != CORE_OK);
  if (st != CORE_OK) {
    CHECK(c == reinterpret_cast<core_cache_t *>(0x1));
    return;
  }
  core_key_t k;
  CHECK_OK(core_cache_key_bytes("k", 1, &k));
  const float v[3] = {1, 2, 3};
  const core_status pst = core_cache_put(c, &k, v, 3, nullptr, 0);
  CHECK(pst == CORE_OK || pst == CORE_E_FULL);
  float out[3];
  size_t n = 0;
  const core_status gst = core_cache_get(c, &k, out, 3, &n, nullptr, nullptr);
  // With a TTL of 1 ms or a wall clock an entry may already be gone.
  CHECK(gst == CORE_OK || gst == CORE_E_NOT_FOUND);
  if (pst == CORE_E_FULL) CHECK(gst == CORE_E_NOT_FOUND);
  if (gst == CORE_OK) CHECK(n == 3 && same_floats(out, v, 3));
  core_cache_stats_t s;
  std::memset(&s, 0, sizeof s);
  s.struct_size = size_t(u64_of(in, (const uint64_t[]){sizeof s, 0, sizeof s - 1, 1000, 8}));
  const size_t ask = s.struct_size;
  const core_status sst = core_cache_stats(c, &s);
  if (ask < sizeof s) EXPECT(sst, CORE_E_INVALID_ARGUMENT);
  else EXPECT(sst, CORE_OK);
  core_cache_destroy(c);
}

// ---- metrics ------------------------------------------------------------------------

void fuzz_metrics(Reader &in) {
  core_metrics_options_t o;
  CHECK_OK(core_metrics_options_init(&o));
  static const uint64_t kLow[] = {1, 1, 0, 2, 1000, uint64_t(1) << 61, uint64_t(1) << 62,
                                  uint64_t(1) << 63, UINT64_MAX, (uint64_t(1) << 63) + 1};
  static const uint64_t kHigh[] = {3600000000000ull, 0, 1, 2, 3, 1000000, uint64_t(1) << 62,
                                   (uint64_t(1) << 62) + 1, UINT64_MAX};
  static const uint64_t kDigits[] = {2, 1, 3, 4, 5, 0, 6, uint64_t(-1), 0x80000000u, 0x7fffffff};
  static const uint64_t kMax[] = {1024, 0, 1, 2, 65536, 65537, UINT64_MAX};
  o.lowest_ns = u64_of(in, kLow);
  o.highest_ns = u64_of(in, kHigh);
  o.significant_digits = int(int32_t(uint32_t(u64_of(in, kDigits))));
  o.max_metrics = size_t(u64_of(in, kMax));
  static const double kB1[] = {0.001, 0.5, 10};
  static const double kB2[] = {0.5, 0.5, 1};
  static const double kB3[] = {1, kNaN, 2};
  static const double kB4[] = {0, 1, 2};
  static const double kB5[] = {1, 2, kInf};
  static const double kB6[] = {-1, 1, 2};
  static double many[CORE_METRICS_MAX_PROM_BUCKETS + 1];
  for (int i = 0; i <= CORE_METRICS_MAX_PROM_BUCKETS; ++i) many[i] = 1e-6 * (i + 1);
  const uint8_t b = in.u8() % 10;
  const double *const lists[] = {kB1, kB2, kB3, kB4, kB5, kB6};
  bool buckets_ok = true;
  if (b < 6) {
    o.prom_buckets = lists[b];
    o.prom_bucket_count = 3;
    buckets_ok = b == 0;
  } else if (b == 6) {
    o.prom_buckets = nullptr;
    o.prom_bucket_count = 2;
    buckets_ok = false;
  } else if (b == 7) {
    o.prom_buckets = many;
    o.prom_bucket_count = CORE_METRICS_MAX_PROM_BUCKETS + (in.u8() & 1);
    buckets_ok = o.prom_bucket_count <= CORE_METRICS_MAX_PROM_BUCKETS;
  }
  o.struct_size = size_of(in, sizeof o, sizeof o);
  core_status want = size_status(o.struct_size, sizeof o, sizeof o);
  if (want == CORE_OK) {
    // The header: lowest_ns >= 1 (and small enough for the digits),
    // 2 * lowest_ns <= highest_ns <= 2^62 (as
    // numbers, not modulo 2^64), digits 1 .. 5, max_metrics 1 .. 65536,
    // buckets finite, > 0, increasing, at most 64, NULL only with count 0.
    // lowest_ns < 2^63 / 2^ceil(log2(2 * 10^digits)): sub-buckets in 64 bits.
    bool low_ok = o.lowest_ns >= 1;
    if (low_ok && o.significant_digits >= 1 && o.significant_digits <= 5) {
      uint64_t single = 2;
      for (int i = 0; i < o.significant_digits; ++i) single *= 10;
      int sub_mag = 0;
      while ((uint64_t(1) << sub_mag) < single) ++sub_mag;
      low_ok = o.lowest_ns < (uint64_t(1) << (63 - sub_mag));
    }
    const bool ok = low_ok && o.highest_ns <= (uint64_t(1) << 62) &&
                    o.lowest_ns <= o.highest_ns / 2 && o.significant_digits >= 1 &&
                    o.significant_digits <= 5 && o.max_metrics >= 1 &&
                    o.max_metrics <= 65536 && buckets_ok;
    if (!ok) want = CORE_E_INVALID_ARGUMENT;
  }
  core_metrics_t *m = reinterpret_cast<core_metrics_t *>(0x1);
  const core_status st = core_metrics_create(&o, &m);
  EXPECT(st, want);
  if (st != CORE_OK) {
    CHECK(m == reinterpret_cast<core_metrics_t *>(0x1));
    return;
  }
  core_metric_id_t t = 0, c = 0;
  // A timer's histogram over 2^62 at 5 digits is ~50 MB: only up to 3.
  const bool timer = o.significant_digits <= 3;
  if (timer) {
    CHECK_OK(core_metrics_timer(m, "t", nullptr, nullptr, 0, &t));
    for (int64_t v : {int64_t(-5), int64_t(0), int64_t(1), int64_t(o.lowest_ns),
                      int64_t(o.highest_ns), INT64_MAX})
      CHECK_OK(core_metrics_record_ns(m, t, v));
    core_timer_stats_t ts;
    ts.struct_size = sizeof ts;
    CHECK_OK(core_metrics_timer_stats(m, t, &ts));
    CHECK(ts.count == 6 && ts.min_ns == 0 && ts.max_ns == o.highest_ns && ts.underflows == 1);
    uint64_t p = 0;
    CHECK_OK(core_metrics_percentile(m, t, 1.0, &p));
    CHECK(p == o.highest_ns);
  }
  const core_status cst = core_metrics_counter(m, "c", "help", nullptr, 0, &c);
  if (timer && o.max_metrics == 1) EXPECT(cst, CORE_E_FULL);
  else EXPECT(cst, CORE_OK);
  for (core_metrics_format f : {CORE_METRICS_PROMETHEUS, CORE_METRICS_JSON, CORE_METRICS_TABLE}) {
    size_t need = 0;
    EXPECT(core_metrics_export(m, f, 0, nullptr, 0, &need), CORE_E_BUFFER_TOO_SMALL);
    std::vector<char> buf(need);
    CHECK_OK(core_metrics_export(m, f, 0, buf.data(), need, &need));
    CHECK(std::strlen(buf.data()) + 1 == need);
  }
  core_metrics_destroy(m);
}

// ---- log-mel --------------------------------------------------------------------------

void fuzz_logmel(Reader &in) {
  core_logmel_options_t o;
  CHECK_OK(core_logmel_options_init(&o));
  static const uint64_t kRate[] = {16000, 0, 999, 1000, 8000, 44100, 384000, 384001, UINT32_MAX};
  static const uint64_t kFft[] = {400, 0, 1, 2, 3, 17, 512, 1000, 65536, 65537, UINT32_MAX};
  static const uint64_t kHop[] = {160, 0, 1, 400, 65536, UINT32_MAX};
  static const uint64_t kMels[] = {80, 0, 1, 128, 201, 202, 32769, UINT32_MAX};
  static const double kF[] = {0.0, -0.0, 1.0, 8000.0, 8000.000001, 192000.0, -1.0, 1e300,
                              4.9e-324, kNaN, kInf, -kInf};
  static const uint64_t kMode[] = {0, 1, 2, uint64_t(-1)};
  static const uint64_t kWin[] = {3000, 0, 1, UINT32_MAX};
  o.sample_rate = uint32_t(u64_of(in, kRate));
  o.n_fft = uint32_t(u64_of(in, kFft));
  o.hop = uint32_t(u64_of(in, kHop));
  o.n_mels = uint32_t(u64_of(in, kMels));
  o.fmin = f64_of(in, kF);
  o.fmax = f64_of(in, kF);
  o.mode = int(uint32_t(u64_of(in, kMode)));
  o.window_frames = uint32_t(u64_of(in, kWin));
  o.struct_size = size_of(in, sizeof o, sizeof o);
  if (std::getenv("FUZZ_TRACE"))
    std::fprintf(stderr, "logmel: rate %u n_fft %u hop %u n_mels %u fmin %g fmax %g mode %d "
                 "window %u size %zu\n", o.sample_rate, o.n_fft, o.hop, o.n_mels, o.fmin,
                 o.fmax, o.mode, o.window_frames, o.struct_size);
  core_status want = size_status(o.struct_size, sizeof o, sizeof o);
  if (want == CORE_OK) {
    const double nyq = o.sample_rate / 2.0, fmax = o.fmax == 0.0 ? nyq : o.fmax;
    const bool ok = o.sample_rate >= 1000 && o.sample_rate <= 384000 && o.n_fft >= 2 &&
                    o.n_fft <= CORE_LOGMEL_MAX_FFT && o.hop >= 1 && o.n_mels >= 1 &&
                    o.n_mels <= o.n_fft / 2 + 1 && std::isfinite(o.fmin) && o.fmin >= 0 &&
                    std::isfinite(o.fmax) && o.fmax >= 0 && o.fmax <= nyq && o.fmin < fmax &&
                    (o.mode == 0 || o.mode == 1);
    if (!ok) want = CORE_E_INVALID_ARGUMENT;
  }
  core_logmel_t *lm = reinterpret_cast<core_logmel_t *>(0x1);
  const core_status st = core_logmel_create(&o, &lm);
  if (!(st == CORE_E_OUT_OF_MEMORY && want == CORE_OK)) EXPECT(st, want);
  core_logmel_stream_t *s = reinterpret_cast<core_logmel_stream_t *>(0x1);
  const core_status st2 = core_logmel_stream_create(&o, &s);
  if (!(st2 == CORE_E_OUT_OF_MEMORY && want == CORE_OK)) EXPECT(st2, want);
  // The work and memory of a computation: frames x (n_fft x max(its
  // largest prime factor, 16) + n_mels), computed only below 2^23 (about
  // 0.1 s under ASan). (KissFFT, which
  // takes the sizes the SIMD kernel does not plan, is O(n p) for a prime
  // factor p: a prime n_fft near 65536 costs seconds per frame.)
  const uint64_t p = largest_prime_factor(o.n_fft);
  const auto small = [&](size_t samples) {
    return samples / std::max<uint32_t>(o.hop, 1) *
               (uint64_t(o.n_fft) * std::max<uint64_t>(p, 16) + o.n_mels) <=
           (uint64_t(1) << 23);
  };
  if (st == CORE_OK) {
    // Offline on n_fft samples (one or more frames), then the filters.
    std::vector<float> x(o.n_fft);
    Rng rng(o.n_fft);
    for (float &v : x) v = rng.unit();
    size_t frames = 0;
    // hop > n_fft: n_fft samples make no frame, and cap 0 is enough.
    EXPECT(core_logmel_compute(lm, x.data(), x.size(), nullptr, 0, &frames),
           x.size() / o.hop ? CORE_E_BUFFER_TOO_SMALL : CORE_OK);
    CHECK(frames == x.size() / o.hop);
    std::vector<float> out(small(x.size()) ? frames * o.n_mels + 1 : 0);
    if (!out.empty())
      CHECK_OK(core_logmel_compute(lm, x.data(), x.size(), out.data(), out.size(), &frames));
    size_t count = 0;
    EXPECT(core_logmel_filters(lm, nullptr, 0, &count), CORE_E_BUFFER_TOO_SMALL);
    CHECK(count == size_t(o.n_mels) * (o.n_fft / 2 + 1));
    core_logmel_destroy(lm);
  } else {
    CHECK(lm == reinterpret_cast<core_logmel_t *>(0x1));
  }
  if (st2 == CORE_OK) {
    size_t len = std::min<size_t>(3 * size_t(o.n_fft), 70000);
    while (len > 0 && !small(len)) len /= 2;
    std::vector<float> x(len, 0.25f);
    CHECK_OK(core_logmel_stream_push(s, x.data(), x.size()));
    CHECK_OK(core_logmel_stream_flush(s));
    size_t avail = 0, got = 0;
    CHECK_OK(core_logmel_stream_available(s, &avail));
    CHECK(avail == (x.size() >= o.n_fft ? x.size() / o.hop : 0));
    std::vector<float> out(std::min<size_t>(avail, 8) * o.n_mels + 1);
    CHECK_OK(core_logmel_stream_read(s, out.data(), std::min<size_t>(avail, 8), &got));
    CHECK(got == std::min<size_t>(avail, 8));
    core_logmel_stream_destroy(s);
  } else {
    CHECK(s == reinterpret_cast<core_logmel_stream_t *>(0x1));
  }
}

// ---- VAD ----------------------------------------------------------------------------------

bool vad_valid(const core_vad_options_t &o) {
  if (o.sample_rate < 8000 || o.sample_rate > 192000) return false;
  if (o.frame_ms != 10 && o.frame_ms != 20 && o.frame_ms != 30) return false;
  if (uint64_t(o.sample_rate) * o.frame_ms % 1000 != 0) return false;
  if (!(o.threshold > 0.0f && o.threshold < 1.0f)) return false;
  if (!(o.neg_threshold == 0.0f || (o.neg_threshold > 0.0f && o.neg_threshold < o.threshold)))
    return false;
  const uint64_t least =
      uint64_t(o.min_speech_ms) + 2ull * o.speech_pad_ms + 2ull * o.frame_ms;
  return o.max_speech_ms == 0 || o.max_speech_ms >= least;
}

void fill_vad(Reader &in, core_vad_options_t *o) {
  static const uint64_t kRate[] = {16000, 0, 7999, 8000, 44100, 48000, 192000, 192001, 11025,
                                   UINT32_MAX};
  static const uint64_t kFrame[] = {30, 0, 10, 20, 25, 40, UINT32_MAX};
  static const double kThr[] = {0.5, 0.0, -0.0, 0.01, 0.005, 0.99, 1.0, 1.5, -0.1,
                                1e-45, kNaN, kInf};
  static const uint64_t kMs[] = {0, 30, 250, 2000, 100000, UINT32_MAX, UINT32_MAX / 2};
  o->sample_rate = uint32_t(u64_of(in, kRate));
  o->frame_ms = uint32_t(u64_of(in, kFrame));
  o->threshold = float(f64_of(in, kThr));
  o->neg_threshold = float(f64_of(in, kThr));
  o->min_speech_ms = uint32_t(u64_of(in, kMs));
  o->min_silence_ms = uint32_t(u64_of(in, kMs));
  o->speech_pad_ms = uint32_t(u64_of(in, kMs));
  const uint64_t least =
      uint64_t(o->min_speech_ms) + 2ull * o->speech_pad_ms + 2ull * o->frame_ms;
  const uint64_t kMax[] = {0, 1, least - 1, least, least + 1, UINT32_MAX};
  o->max_speech_ms = uint32_t(u64_of(in, kMax));
}

void fuzz_vad(Reader &in) {
  core_vad_options_t o;
  CHECK_OK(core_vad_options_preset(&o, in.u8() % 3));
  fill_vad(in, &o);
  o.struct_size = size_of(in, sizeof o, sizeof o);
  core_status want = size_status(o.struct_size, sizeof o, sizeof o);
  if (want == CORE_OK && !vad_valid(o)) want = CORE_E_INVALID_ARGUMENT;
  core_vad_t *v = reinterpret_cast<core_vad_t *>(0x1);
  const core_status st = core_vad_create(&o, &v);
  EXPECT(st, want);
  size_t count = 77;
  std::vector<float> x(o.sample_rate <= 192000 ? o.sample_rate / 2 : 16);
  Rng rng(x.size());
  for (size_t i = 0; i < x.size(); ++i) x[i] = (i / 1600) % 2 ? 0.5f * rng.unit() : 0.0f;
  std::vector<core_segment_t> segs(64);
  const core_status sst =
      core_vad_segments(x.data(), x.size(), &o, segs.data(), segs.size(), &count);
  EXPECT(sst, want);
  if (st != CORE_OK) {
    CHECK(v == reinterpret_cast<core_vad_t *>(0x1) && count == 77);
    return;
  }
  CHECK_OK(core_vad_push(v, x.data(), x.size()));
  CHECK_OK(core_vad_flush(v));
  core_segment_t s;
  size_t k = 0;
  while (core_vad_next_segment(v, &s) == CORE_OK) {
    CHECK(k < count && s.start == segs[k].start && s.end == segs[k].end);
    CHECK(s.start < s.end && s.end <= x.size());
    ++k;
  }
  CHECK(k == count);
  core_vad_destroy(v);
}

// ---- batcher ---------------------------------------------------------------------------------

void fill_batch(Reader &in, core_batcher_options_t *o, bool *valid) {
  static const uint64_t kBatch[] = {8, 0, 1, 2, 64, 4096, 4097, uint64_t(1) << 40,
                                    uint64_t(1) << 62, uint64_t(1) << 63, UINT64_MAX};
  static const uint64_t kDelay[] = {50, 0, 1, UINT32_MAX};
  static const uint64_t kBuckets[] = {0, 1, 2, 3, 16, 17, UINT64_MAX};
  o->max_batch = size_t(u64_of(in, kBatch));
  o->max_delay_ms = uint32_t(u64_of(in, kDelay));
  o->n_buckets = size_t(u64_of(in, kBuckets));
  const uint8_t how = in.u8();
  for (int i = 0; i < CORE_BATCHER_MAX_BUCKETS; ++i)
    o->bucket_bounds[i] = (how & 1) ? uint64_t(i) * 100 + 100 : in.u8();
  if (how & 2) o->bucket_bounds[how % 15] = o->bucket_bounds[how % 15 + 1];  // not ascending
  o->clock = (how & 4) ? reinterpret_cast<core_clock_ns_fn>(test_clock) : nullptr;
  bool ok = o->max_batch >= 1 && o->n_buckets <= CORE_BATCHER_MAX_BUCKETS;
  if (ok)
    for (size_t i = 1; i + 1 < o->n_buckets; ++i)
      if (o->bucket_bounds[i] <= o->bucket_bounds[i - 1]) ok = false;
  *valid = ok;
}

void fuzz_batcher(Reader &in) {
  core_batcher_options_t o;
  CHECK_OK(core_batcher_options_init(&o));
  bool valid = true;
  fill_batch(in, &o, &valid);
  o.struct_size = size_of(in, sizeof o, sizeof o);
  core_status want = size_status(o.struct_size, sizeof o, sizeof o);
  if (want == CORE_OK && !valid) want = CORE_E_INVALID_ARGUMENT;
  core_batcher_t *b = reinterpret_cast<core_batcher_t *>(0x1);
  const core_status st = core_batcher_create(&o, &b);
  EXPECT(st, want);
  if (st != CORE_OK) {
    CHECK(b == reinterpret_cast<core_batcher_t *>(0x1));
    return;
  }
  for (uint64_t i = 0; i < 20; ++i) CHECK_OK(core_batcher_add(b, i, i * 37));
  CHECK(core_batcher_pending(b) == 20);
  CHECK_OK(core_batcher_flush(b));
  uint64_t ids[64];
  size_t count = 0, total = 0;
  if (o.max_batch > 64) {
    EXPECT(core_batcher_next(b, ids, 64, &count, nullptr), CORE_E_INVALID_ARGUMENT);
  } else {
    for (int guard = 0; guard < 40; ++guard) {
      const core_status nst = core_batcher_next(b, ids, 64, &count, nullptr);
      if (nst == CORE_E_EMPTY) break;
      EXPECT(nst, CORE_OK);
      CHECK(count >= 1 && count <= o.max_batch);
      total += count;
    }
    CHECK(total == 20 && core_batcher_pending(b) == 0);
  }
  core_batcher_destroy(b);
}

// ---- pipeline -------------------------------------------------------------------------------

core_status encoder(const float *, size_t batch, size_t, size_t, float *out, size_t dim,
                    void *) {
  for (size_t i = 0; i < batch * dim; ++i) out[i] = float(i);
  return CORE_OK;
}

void fuzz_pipeline(Reader &in, core_metrics_t *reg, core_cache_t *shared) {
  core_pipeline_options_t o;
  CHECK_OK(core_pipeline_options_init(&o));
  const uint8_t which = in.u8();
  static const uint64_t kRate[] = {16000, 8000, 0, 999, 1000, 48000, 384001, 12345};
  static const uint64_t kRing[] = {10000, 0, 1, 100, 200};
  static const uint64_t kWin[] = {1000, 0, 1, 25, 30, 100, 250, 3000};
  static const uint64_t kDim[] = {4, 0, 1, 16};
  static const uint64_t kDec[] = {4, 0, 10, 11, uint64_t(-1)};
  o.sample_rate = uint32_t(u64_of(in, kRate));
  if (o.sample_rate > 48000 && o.sample_rate != 384001) o.sample_rate = 48000;
  o.ring_ms = uint32_t(u64_of(in, kRing) % 100000);
  o.ring_policy = int(uint32_t(u64_of(in, (const uint64_t[]){1, 0, 2, uint64_t(-1)})));
  o.window_ms = uint32_t(u64_of(in, kWin) % 100000);
  o.hop_ms = uint32_t(u64_of(in, kWin) % 100000);
  o.speech_only = int(uint32_t(u64_of(in, (const uint64_t[]){1, 0, 2})));
  o.dim = size_t(u64_of(in, kDim) % 4096);
  o.cache_decimals = int(uint32_t(u64_of(in, kDec)));
  if (which & 1) {  // nested: VAD
    fill_vad(in, &o.vad);
    if (o.vad.min_speech_ms > 5000) o.vad.min_speech_ms = 5000;  // history is sized by these
    if (o.vad.min_silence_ms > 5000) o.vad.min_silence_ms = 5000;
    if (o.vad.speech_pad_ms > 5000) o.vad.speech_pad_ms = 5000;
    if (o.vad.max_speech_ms > 30000) o.vad.max_speech_ms = 30000;
  }
  if (which & 2) {  // nested: log-mel (small sizes: features are allocated per window)
    static const uint64_t kFft[] = {400, 0, 2, 64, 512, 4096};
    static const uint64_t kMels[] = {80, 0, 1, 33, 257};
    o.logmel.n_fft = uint32_t(u64_of(in, kFft) % 8192);
    o.logmel.hop = uint32_t(u64_of(in, (const uint64_t[]){160, 0, 1, 400}) % 8192);
    o.logmel.n_mels = uint32_t(u64_of(in, kMels) % 8192);
    o.logmel.mode = int(uint32_t(u64_of(in, (const uint64_t[]){0, 1, 2})));
    if (o.logmel.hop < 16 && o.window_ms > 100) o.logmel.hop = 16;  // frames per window
  }
  if (which & 4) {  // nested: batcher (pools are 2 * max_batch + 2 windows)
    bool valid;
    fill_batch(in, &o.batch, &valid);
    // Below 2^62 a large max_batch is just memory (see above): 64. The
    // larger values stay, where 2 * max_batch + 2 or the buffer sizes
    // overflow, which the library must refuse.
    if (o.batch.max_batch > 64 && o.batch.max_batch < (uint64_t(1) << 62)) o.batch.max_batch = 64;
  }
  if (which & 8) {  // nested: cache options, or a shared cache
    o.cache_options.max_entries = size_t(u64_of(in, (const uint64_t[]){4096, 0, 1, 8}));
    o.cache_options.max_bytes = size_t(u64_of(in, (const uint64_t[]){0, 0, 100, 1u << 20}));
    if (in.u8() & 1) o.cache = shared;
  }
  // The work of 0.3 s: windows (every hop_ms) x frames per window x the
  // cost of one FFT (n_fft, times its largest prime factor / 16 for the
  // sizes KissFFT takes). A 100 ms window at 48 kHz with a log-mel hop of 1
  // and a window every 1 ms is ~1e6 FFTs, 16 s under ASan; a prime n_fft
  // near 8192 costs ~0.1 s per frame: valid, but no test of the options.
  // Such settings get a coarser hop, and then, if one FFT is still that
  // dear, a power-of-two n_fft (found by the 10-minute run: a timeout).
  if (o.sample_rate >= 1000 && o.sample_rate <= 48000 && o.hop_ms >= 1 && o.logmel.hop >= 1) {
    const auto work = [&] {
      const uint64_t windows = 300 / o.hop_ms + 1;
      const uint64_t frames = uint64_t(o.window_ms) * o.sample_rate / 1000 / o.logmel.hop + 1;
      const uint64_t fft = uint64_t(std::max<uint32_t>(o.logmel.n_fft, 64)) *
                           std::max<uint64_t>(largest_prime_factor(o.logmel.n_fft), 16) / 16;
      return windows * frames * fft;
    };
    if (work() > (uint64_t(1) << 24)) {
      o.hop_ms = std::max<uint32_t>(o.hop_ms, 100);
      o.logmel.hop = std::max<uint32_t>(o.logmel.hop, 160);
    }
    if (work() > (uint64_t(1) << 24)) {
      uint32_t pow2 = 2;
      while (pow2 * 2 <= o.logmel.n_fft) pow2 *= 2;
      o.logmel.n_fft = pow2;
    }
  }
  const uint8_t m = in.u8();
  if (m & 1) o.encoder = encoder;
  const std::string prefix = prefix_of(in);
  if (m & 2) o.metrics = reg;
  if (m & 4) o.metrics_prefix = prefix.c_str();
  if (m & 8) o.vad.struct_size = size_of(in, sizeof o.vad, sizeof o.vad);
  if (m & 16) o.logmel.struct_size = size_of(in, sizeof o.logmel, sizeof o.logmel);
  if (m & 32) o.batch.struct_size = size_of(in, sizeof o.batch, sizeof o.batch);
  if (m & 64) o.cache_options.struct_size = size_of(in, CORE_CACHE_OPTIONS_V1_SIZE, sizeof o.cache_options);
  o.struct_size = size_of(in, sizeof o, sizeof o);
  if (std::getenv("FUZZ_TRACE"))
    std::fprintf(stderr, "pipeline: rate %u ring %u policy %d window %u hop %u speech_only %d "
                 "dim %zu dec %d n_fft %u hop %u mels %u max_batch %zu enc %d\n",
                 o.sample_rate, o.ring_ms, o.ring_policy, o.window_ms, o.hop_ms, o.speech_only,
                 o.dim, o.cache_decimals, o.logmel.n_fft, o.logmel.hop, o.logmel.n_mels,
                 o.batch.max_batch, o.encoder != nullptr);
  const core_status size_st = size_status(o.struct_size, sizeof o, sizeof o);
  core_pipeline_t *p = reinterpret_cast<core_pipeline_t *>(0x1);
  const core_status st = core_pipeline_create(&o, &p);
  expect_in(st, {CORE_OK, CORE_E_INVALID_ARGUMENT, CORE_E_OUT_OF_MEMORY, CORE_E_UNSUPPORTED,
                 CORE_E_FULL},
            __LINE__);
  if (size_st != CORE_OK) EXPECT(st, size_st);
  if (o.dim == 0 || o.ring_policy < 0 || o.ring_policy > 1 || o.speech_only < 0 ||
      o.speech_only > 1 || o.cache_decimals < 0 || o.cache_decimals > CORE_CACHE_MAX_DECIMALS ||
      o.sample_rate < 1000 || o.sample_rate > 384000 || o.batch.max_batch == 0)
    CHECK(st != CORE_OK);
  if (st != CORE_OK) {
    CHECK(p == reinterpret_cast<core_pipeline_t *>(0x1));
    return;
  }
  // 0.3 s of bursts, flushed, drained to END (submitting embeddings in
  // raw mode).
  const size_t n = o.sample_rate * 3 / 10;
  std::vector<float> x(n);
  Rng rng(n);
  for (size_t i = 0; i < n; ++i) x[i] = (i / 800) % 2 ? 0.5f * rng.unit() : 1e-4f * rng.unit();
  const core_status pst = core_pipeline_push_f32(p, x.data(), n);
  CHECK(pst == CORE_OK || (pst == CORE_E_FULL && o.ring_policy == CORE_RING_REJECT));
  CHECK_OK(core_pipeline_flush(p));
  std::vector<float> emb(o.dim, 0.5f);
  bool end = false;
  for (int guard = 0; guard < 100000 && !end; ++guard) {
    core_event_t ev;
    const core_status est = core_pipeline_next_event(p, &ev);
    if (est == CORE_E_EMPTY) {
      // Nothing ready after flush with every embedding submitted: only a
      // batcher deadline can be pending, and flush releases those.
      fuzz_fail(__LINE__, "no END after flush", est);
    }
    EXPECT(est, CORE_OK);
    if (ev.kind == CORE_EVENT_NEEDS_ENCODING)
      CHECK_OK(core_pipeline_submit_embedding(p, ev.window_id, emb.data(), o.dim));
    end = ev.kind == CORE_EVENT_END;
  }
  CHECK(end);
  core_pipeline_stats_t ps;
  CHECK_OK(core_pipeline_stats(p, &ps));
  core_pipeline_destroy(p);
}

// ---- audio files: the info struct and the target rate ---------------------------------------

std::string g_wav;

// A 16-bit mono WAV of 100 frames at 8000 Hz, written by hand.
void write_wav(const std::string &path) {
  std::vector<uint8_t> f;
  auto u32 = [&](uint32_t v) { for (int i = 0; i < 4; ++i) f.push_back(uint8_t(v >> (8 * i))); };
  auto u16 = [&](uint16_t v) { f.push_back(uint8_t(v)); f.push_back(uint8_t(v >> 8)); };
  auto tag = [&](const char *t) { f.insert(f.end(), t, t + 4); };
  tag("RIFF"); u32(36 + 200); tag("WAVE");
  tag("fmt "); u32(16); u16(1); u16(1); u32(8000); u32(16000); u16(2); u16(16);
  tag("data"); u32(200);
  for (int i = 0; i < 100; ++i) u16(uint16_t(int16_t(i * 300 - 15000)));
  FILE *fp = std::fopen(path.c_str(), "wb");
  CHECK(fp != nullptr);
  std::fwrite(f.data(), 1, f.size(), fp);
  std::fclose(fp);
}

void fuzz_audio(Reader &in) {
  if (g_wav.empty()) {
    g_wav = fuzz_temp_path("info") + ".wav";
    write_wav(g_wav);
    std::atexit([] { unlink(g_wav.c_str()); });
  }
  struct {
    core_audio_info_t info;
    uint8_t tail[16];
  } box;
  std::memset(&box, 0x5a, sizeof box);
  const size_t v1 = sizeof(core_audio_info_t);
  box.info.struct_size =
      size_t(u64_of(in, (const uint64_t[]){v1, 0, v1 - 1, v1 + 16, 8, 16}));
  const size_t ask = box.info.struct_size;
  const core_status st = core_audio_info(g_wav.c_str(), &box.info);
  if (st == CORE_E_UNSUPPORTED) return;  // built without audio_io
  if (ask < v1) {
    EXPECT(st, CORE_E_INVALID_ARGUMENT);
  } else {
    EXPECT(st, CORE_OK);
    CHECK(box.info.sample_rate == 8000 && box.info.channels == 1 && box.info.frames == 100 &&
          box.info.format == CORE_AUDIO_FORMAT_WAV && box.info.bits == 16);
    for (uint8_t b : box.tail) CHECK(b == 0x5a);  // past the known fields: untouched
  }
  const uint32_t rate =
      uint32_t(u64_of(in, (const uint64_t[]){0, 8000, 16000, 1, 7, 384000, 384001, UINT32_MAX}));
  size_t n = 0;
  const core_status rst = core_audio_read(g_wav.c_str(), rate, nullptr, 0, &n);
  if (rate > 384000) {
    EXPECT(rst, CORE_E_INVALID_ARGUMENT);
    return;
  }
  const uint32_t to = rate ? rate : 8000;
  const size_t want = size_t((2 * uint64_t(100) * to + 8000) / (2 * 8000));
  if (want == 0) {
    EXPECT(rst, CORE_OK);
    CHECK(n == 0);
    return;
  }
  EXPECT(rst, CORE_E_BUFFER_TOO_SMALL);
  CHECK(n == want);
  std::vector<float> out(want);
  size_t got = 0;
  CHECK_OK(core_audio_read(g_wav.c_str(), rate, out.data(), out.size(), &got));
  CHECK(got == want);
  for (float v : out) CHECK(std::isfinite(v));
}

// ---- collection ------------------------------------------------------------------------------

struct CollectionSeen {
  int calls = 0;
  core_file_summary_t last{};
  std::string json;
};

int collection_record(const core_file_summary_t *s, void *user) {
  auto *w = static_cast<CollectionSeen *>(user);
  ++w->calls;
  w->last = *s;
  char buf[4096];
  size_t len = 0;
  CHECK_OK(core_file_summary_json(s, buf, sizeof buf, &len));
  CHECK(len == std::strlen(buf));
  w->json = buf;
  return 0;
}

// core_collection_run on the 100-frame 8-kHz WAV with random options: the
// statuses collection.h gives for its own fields exactly, the nested
// VAD / log-mel options' refusals by message, one callback per run that
// starts, the summary consistent with the file.
void fuzz_collection(Reader &in) {
  if (g_wav.empty()) {
    g_wav = fuzz_temp_path("info") + ".wav";
    write_wav(g_wav);
    std::atexit([] { unlink(g_wav.c_str()); });
  }
  core_collection_options_t o;
  CHECK_OK(core_collection_options_init(&o));
  static const uint64_t kRate[] = {16000, 0, 999, 1000, 7999, 8000, 44100, 192000, 384000, 384001};
  static const uint64_t kChunk[] = {65536, 0, 1, 7, 160, CORE_COLLECTION_MAX_CHUNK,
                                    CORE_COLLECTION_MAX_CHUNK + 1, UINT64_MAX};
  static const uint64_t kFlag[] = {1, 0, 2, uint64_t(-1)};
  static const uint64_t kSegs[] = {100000, 0, 1, UINT64_MAX};
  o.sample_rate = uint32_t(u64_of(in, kRate));
  o.chunk_samples = size_t(u64_of(in, kChunk));
  o.vad = int(uint32_t(u64_of(in, kFlag)));
  o.features = int(uint32_t(u64_of(in, kFlag)));
  o.max_segments = size_t(u64_of(in, kSegs));
  const uint8_t how = in.u8();
  if (how & 1) fill_vad(in, &o.vad_options);
  if (how & 2) o.logmel_options.n_mels = in.u8();
  if (how & 4) o.logmel_options.hop = in.u16();
  if (how & 8) o.vad_options.struct_size = size_of(in, sizeof o.vad_options, sizeof o.vad_options);
  if (how & 16)
    o.logmel_options.struct_size = size_of(in, sizeof o.logmel_options, sizeof o.logmel_options);
  o.struct_size = size_of(in, sizeof o, sizeof o);

  core_status want = size_status(o.struct_size, sizeof o, sizeof o);
  const bool own_fields_ok =
      o.vad_options.struct_size == sizeof o.vad_options &&
      o.logmel_options.struct_size == sizeof o.logmel_options && o.sample_rate >= 1000 &&
      o.sample_rate <= 384000 && o.chunk_samples >= 1 &&
      o.chunk_samples <= CORE_COLLECTION_MAX_CHUNK && (o.vad == 0 || o.vad == 1) &&
      (o.features == 0 || o.features == 1);
  if (want == CORE_OK && !own_fields_ok) want = CORE_E_INVALID_ARGUMENT;

  const std::string out = fuzz_temp_path("collection") + ".npy";
  const char *paths[] = {g_wav.c_str()};
  const char *outputs[] = {out.c_str()};
  CollectionSeen seen;
  const core_status st = core_collection_run(paths, 1, outputs, &o, collection_record, &seen);
  unlink(out.c_str());
  if (st == CORE_E_UNSUPPORTED && want == CORE_OK) return;  // built without audio_io
  if (want != CORE_OK) {
    EXPECT(st, want);
    CHECK(seen.calls == 0);
    return;
  }
  if (st != CORE_OK) {
    // Only the stages' own options are left to refuse, by name.
    EXPECT(st, CORE_E_INVALID_ARGUMENT);
    const char *m = core_last_error_message();
    CHECK(std::strstr(m, "core_collection_run: vad_options: ") == m ||
          std::strstr(m, "core_collection_run: logmel_options: ") == m);
    CHECK(seen.calls == 0);
    return;
  }
  CHECK(seen.calls == 1);
  const core_file_summary_t &s = seen.last;
  CHECK(s.status == CORE_OK);
  CHECK(s.samples == (2 * uint64_t(100) * o.sample_rate + 8000) / (2 * 8000));
  CHECK(s.stats.count == s.samples);
  CHECK(s.n_segments <= o.max_segments && s.n_segments <= s.segments_total);
  CHECK(o.vad == 1 || s.segments_total == 0);
  CHECK(o.features == 1 || s.mel_frames == 0);
  CHECK(seen.json.rfind("{\"path\":", 0) == 0 && seen.json.back() == '}');
}

std::vector<std::vector<uint8_t>> seeds() {
  return {
      {0, 0, 0, 0, 0, 0, 0},                    // ring, defaults of the tables
      {0, 0xe1, 0x10, 0x00, 1, 1, 3, 0, 0xc3},  // ring, raw capacity, OVERWRITE, metrics
      {1, 0, 1, 2, 3, 4, 7, 0, 0},              // cache
      {1, 0, 0, 0, 0, 0, 1, 3, 0, 0xc1},        // cache, shards 2, v1 size
      {2, 0, 0, 0, 0, 0, 0},                    // metrics defaults
      {2, 7, 6, 0, 0, 0, 0},                    // metrics lowest 2^63 vs highest 2^62
      {3, 0, 0, 0, 0, 0, 0, 0, 0, 0},           // log-mel defaults
      {3, 8, 8, 1, 6, 2, 0, 1, 0, 0},           // log-mel 65536 / 32769 mels
      {4, 0, 0, 0, 0, 0, 1, 2, 3, 1, 3},        // VAD
      {5, 0, 0, 0, 1, 0},                       // batcher
      {6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0},  // pipeline defaults + encoder
      {6, 0x0f, 0, 0, 0, 0, 1, 1, 3, 0, 0, 0, 0, 1, 1, 1, 1, 0, 1, 0, 2, 1, 0, 0, 0, 0},
      {7, 0, 0},                                // audio info and read
      {0x87, 0, 0, 0, 0, 0, 0, 0},              // collection defaults
      {0x87, 0, 0, 1, 1, 0, 0, 0},              // collection, features, no VAD
  };
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  if (const char *dir = std::getenv("FUZZ_WRITE_SEEDS")) {
    write_seed_files(dir, seeds());
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  Reader in(data, size);
  const uint8_t which = in.u8();
  // A registry to publish into (room for everything a create registers)
  // and a cache to share.
  core_metrics_t *reg = nullptr;
  CHECK_OK(core_metrics_create(nullptr, &reg));
  switch (which % 8) {
    case 0: fuzz_ring(in, reg); break;
    case 1: fuzz_cache(in, reg); break;
    case 2: fuzz_metrics(in); break;
    case 3: fuzz_logmel(in); break;
    case 4: fuzz_vad(in); break;
    case 5: fuzz_batcher(in); break;
    case 6: {
      core_cache_options_t co;
      CHECK_OK(core_cache_options_init(&co));
      core_cache_t *shared = nullptr;
      CHECK_OK(core_cache_create(&co, &shared));
      fuzz_pipeline(in, reg, shared);
      core_cache_destroy(shared);
      break;
    }
    default:
      if (which & 0x80)
        fuzz_collection(in);
      else
        fuzz_audio(in);
      break;
  }
  core_metrics_destroy(reg);
  return 0;
}
