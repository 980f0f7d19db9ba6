// Google Benchmark programs for libcore's C ABI (statistics and array
// creation), with the memory-bandwidth references they are judged against.
//
// Every figure is REPORTED, never asserted: the program exits 0 whatever the
// speed, and non-zero only when a libcore call returns an error.
//
// Conventions
//  - GB/s (the bytes_per_second column) is always the ARRAY size handled per
//    call, n * sizeof(element), divided by the wall time of the call. A copy
//    (memcpy, concat, cumsum) therefore moves twice that many bytes through
//    memory; only ratios between operations with the same traffic pattern
//    are meaningful (read vs read, write vs write, copy vs copy).
//  - All timings are wall-clock (UseRealTime): libcore runs large inputs on
//    several threads, so CPU time of the calling thread would mislead.
//  - "_1thread" benchmarks call core_set_num_threads(1); the others use the
//    default (0 = every CPU available to the process).
//  - The bandwidth references (read_ref_*, write_ref_*, copy_ref_*) are
//    single-threaded plain loops / libc calls, except read_ref_sum_f32_mt,
//    which splits the same sum over std::thread::hardware_concurrency()
//    threads, as the multi-threaded read ceiling.
//  - Each benchmark is repeated (default --benchmark_repetitions=5, pass your
//    own to override); the table shows the best and the median repetition
//    (see RatioReporter).
//  - Large buffers are 2 MiB aligned and madvise(MADV_HUGEPAGE)d, as NumPy
//    does for its arrays (set LIBCORE_BENCH_NO_HUGEPAGES=1 for 4 KiB pages;
//    with THP in "madvise" mode that lowers every streaming figure).
//
// After the run a "ratios" section is printed: stats_f32 throughput as % of
// the read reference, arange/linspace/fill as % of the write reference
// (memset), concat and cumsum as % of memcpy, and the per-call time at
// n = 100. Each ratio is given three ways: from the best repetitions, from
// the medians, and "paired": the two calls re-run alternately (A, B, A, ...)
// right then, best of each, which is the robust one on a shared machine
// whose memory bandwidth drifts between benchmarks.

#include <benchmark/benchmark.h>

#include <core/core.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

namespace {

// ---- buffers ----------------------------------------------------------------

struct FreeDeleter {
  void operator()(void *p) const { std::free(p); }
};

template <typename T>
using Buf = std::unique_ptr<T[], FreeDeleter>;

// 64-byte aligned (2 MiB aligned when large, so huge pages can back it), and
// touched so that page faults are not timed.
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

// Input data cached per (type, n), generated lazily so a filtered run
// (e.g. only n = 100) does not build the 1e8 arrays.
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

// A second input for dot.
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

// One output buffer per size, reused by every writer.
float *out_f32(size_t n) {
  static std::map<size_t, Buf<float>> cache;
  auto it = cache.find(n);
  if (it != cache.end()) return it->second.get();
  Buf<float> b = alloc_buf<float>(n);
  float *p = b.get();
  cache.emplace(n, std::move(b));
  return p;
}

// ---- helpers ------------------------------------------------------------------

bool check(benchmark::State &state, core_status st, const char *what) {
  if (st == CORE_OK) return true;
  std::string msg = std::string(what) + " returned " + core_status_str(st) + ": " +
                    core_last_error_message();
  state.SkipWithError(msg.c_str());
  return false;
}

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

void set_bytes(benchmark::State &state, size_t n, size_t elem_size) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(n * elem_size));
}

// ---- bandwidth references -------------------------------------------------------

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

void BM_read_ref_sum(benchmark::State &state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const float *x = data<float>(n);
  for (auto _ : state) {
    float s = plain_sum(x, n);
    benchmark::DoNotOptimize(s);
  }
  set_bytes(state, n, sizeof(float));
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

void BM_read_ref_sum_mt(benchmark::State &state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const float *x = data<float>(n);
  const unsigned nt = hw_threads();
  for (auto _ : state) {
    float s = plain_sum_mt(x, n, nt);
    benchmark::DoNotOptimize(s);
  }
  set_bytes(state, n, sizeof(float));
  state.SetLabel(std::to_string(nt) + " threads");
}

void BM_write_ref_memset(benchmark::State &state) {
  const size_t n = static_cast<size_t>(state.range(0));
  float *out = out_f32(n);
  for (auto _ : state) {
    std::memset(out, 0, n * sizeof(float));
    benchmark::DoNotOptimize(out);
    benchmark::ClobberMemory();
  }
  set_bytes(state, n, sizeof(float));
}

void BM_write_ref_store_loop(benchmark::State &state) {
  const size_t n = static_cast<size_t>(state.range(0));
  float *out = out_f32(n);
  for (auto _ : state) {
    plain_store(out, n, 1.5f);
    benchmark::DoNotOptimize(out);
    benchmark::ClobberMemory();
  }
  set_bytes(state, n, sizeof(float));
}

void BM_copy_ref_memcpy(benchmark::State &state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const float *x = data<float>(n);
  float *out = out_f32(n);
  for (auto _ : state) {
    std::memcpy(out, x, n * sizeof(float));
    benchmark::DoNotOptimize(out);
    benchmark::ClobberMemory();
  }
  set_bytes(state, n, sizeof(float));
}

// ---- libcore ------------------------------------------------------------------

template <typename T>
core_status stats_call(const T *x, size_t n, core_stats_t *s);
template <>
core_status stats_call<float>(const float *x, size_t n, core_stats_t *s) {
  return core_stats_f32(x, n, CORE_NAN_PROPAGATE, s);
}
template <>
core_status stats_call<double>(const double *x, size_t n, core_stats_t *s) {
  return core_stats_f64(x, n, CORE_NAN_PROPAGATE, s);
}

template <typename T>
void BM_stats(benchmark::State &state, int threads) {
  const size_t n = static_cast<size_t>(state.range(0));
  const T *x = data<T>(n);
  ThreadScope scope(threads);
  core_stats_t s;
  for (auto _ : state) {
    if (!check(state, stats_call<T>(x, n, &s), "core_stats")) break;
    benchmark::DoNotOptimize(s);
  }
  set_bytes(state, n, sizeof(T));
}

void BM_arange(benchmark::State &state, int threads) {
  const size_t n = static_cast<size_t>(state.range(0));
  float *out = out_f32(n);
  ThreadScope scope(threads);
  size_t len = 0;
  for (auto _ : state) {
    if (!check(state, core_arange_f32(0.0, static_cast<double>(n), 1.0, out, n, &len),
               "core_arange_f32"))
      break;
    benchmark::DoNotOptimize(out);
    benchmark::ClobberMemory();
  }
  if (len != n && !state.error_occurred()) state.SkipWithError("core_arange_f32: wrong length");
  set_bytes(state, n, sizeof(float));
}

void BM_linspace(benchmark::State &state, int threads) {
  const size_t n = static_cast<size_t>(state.range(0));
  float *out = out_f32(n);
  ThreadScope scope(threads);
  for (auto _ : state) {
    if (!check(state, core_linspace_f32(0.0, 1.0, n, 1, out), "core_linspace_f32")) break;
    benchmark::DoNotOptimize(out);
    benchmark::ClobberMemory();
  }
  set_bytes(state, n, sizeof(float));
}

void BM_fill(benchmark::State &state, int threads) {
  const size_t n = static_cast<size_t>(state.range(0));
  float *out = out_f32(n);
  ThreadScope scope(threads);
  for (auto _ : state) {
    if (!check(state, core_fill_f32(out, n, 1.5f), "core_fill_f32")) break;
    benchmark::DoNotOptimize(out);
    benchmark::ClobberMemory();
  }
  set_bytes(state, n, sizeof(float));
}

void BM_concat(benchmark::State &state, int threads) {
  const size_t n = static_cast<size_t>(state.range(0));
  constexpr size_t kParts = 4;
  const float *x = data<float>(n);  // the parts are 4 consecutive slices
  float *out = out_f32(n);
  const float *parts[kParts];
  size_t lens[kParts];
  for (size_t i = 0; i < kParts; ++i) {
    const size_t lo = n * i / kParts, hi = n * (i + 1) / kParts;
    parts[i] = x + lo;
    lens[i] = hi - lo;
  }
  ThreadScope scope(threads);
  size_t len = 0;
  for (auto _ : state) {
    if (!check(state, core_concat_f32(parts, lens, kParts, out, n, &len), "core_concat_f32"))
      break;
    benchmark::DoNotOptimize(out);
    benchmark::ClobberMemory();
  }
  if (len != n && !state.error_occurred()) state.SkipWithError("core_concat_f32: wrong length");
  set_bytes(state, n, sizeof(float));
  state.SetLabel("4 parts");
}

void BM_cumsum(benchmark::State &state, int threads) {
  const size_t n = static_cast<size_t>(state.range(0));
  const float *x = data<float>(n);
  float *out = out_f32(n);
  ThreadScope scope(threads);
  for (auto _ : state) {
    if (!check(state, core_cumsum_f32(x, n, out), "core_cumsum_f32")) break;
    benchmark::DoNotOptimize(out);
    benchmark::ClobberMemory();
  }
  set_bytes(state, n, sizeof(float));
}

void BM_dot(benchmark::State &state, int threads) {
  const size_t n = static_cast<size_t>(state.range(0));
  const float *x = data<float>(n);
  const float *y = data2_f32(n);
  ThreadScope scope(threads);
  double d = 0.0;
  for (auto _ : state) {
    if (!check(state, core_dot_f32(x, y, n, &d), "core_dot_f32")) break;
    benchmark::DoNotOptimize(d);
  }
  // Two input arrays are read.
  set_bytes(state, 2 * n, sizeof(float));
  state.SetLabel("bytes = both inputs");
}

void BM_percentile(benchmark::State &state, int threads) {
  const size_t n = static_cast<size_t>(state.range(0));
  const float *x = data<float>(n);
  Buf<float> scratch = alloc_buf<float>(n);
  ThreadScope scope(threads);
  double q = 0.0;
  for (auto _ : state) {
    if (!check(state,
               core_percentile_f32(x, n, 50.0, CORE_NAN_PROPAGATE, scratch.get(), n, &q),
               "core_percentile_f32"))
      break;
    benchmark::DoNotOptimize(q);
  }
  set_bytes(state, n, sizeof(float));
  state.SetLabel("q = 50");
}

// ---- registration ----------------------------------------------------------------

constexpr int64_t k100 = 100, k1e4 = 10000, k1e6 = 1000000, k1e7 = 10000000,
                  k1e8 = 100000000;

benchmark::internal::Benchmark *common(benchmark::internal::Benchmark *b, int64_t n) {
  b->Arg(n)->UseRealTime()->Unit(n >= k1e6 ? benchmark::kMicrosecond
                                           : benchmark::kNanosecond);
  // A 1e8-element call takes tens of milliseconds: a few iterations suffice.
  b->MinTime(n >= k1e8 ? 0.5 : 0.2);
  return b;
}

void register_all() {
  using benchmark::RegisterBenchmark;
  // Statistics, default threads, both dtypes.
  for (int64_t n : {k100, k1e4, k1e6, k1e8}) {
    common(RegisterBenchmark("stats_f32", [](benchmark::State &s) { BM_stats<float>(s, 0); }), n);
  }
  for (int64_t n : {k100, k1e4, k1e6, k1e8}) {
    common(RegisterBenchmark("stats_f64", [](benchmark::State &s) { BM_stats<double>(s, 0); }), n);
  }
  // Statistics, one thread, and the read references on the same data.
  for (int64_t n : {k1e6, k1e8}) {
    common(RegisterBenchmark("stats_f32_1thread",
                             [](benchmark::State &s) { BM_stats<float>(s, 1); }),
           n);
  }
  for (int64_t n : {k1e6, k1e8}) common(RegisterBenchmark("read_ref_sum_f32_1thread", BM_read_ref_sum), n);
  common(RegisterBenchmark("read_ref_sum_f32_mt", BM_read_ref_sum_mt), k1e8);

  // Write and copy references.
  common(RegisterBenchmark("write_ref_memset", BM_write_ref_memset), k1e7);
  common(RegisterBenchmark("write_ref_store_loop", BM_write_ref_store_loop), k1e7);
  common(RegisterBenchmark("copy_ref_memcpy", BM_copy_ref_memcpy), k1e7);

  // Array creation and transforms, default threads then one thread.
  struct Op {
    const char *name;
    void (*fn)(benchmark::State &, int);
  };
  const Op ops[] = {{"arange_f32", BM_arange}, {"linspace_f32", BM_linspace},
                    {"fill_f32", BM_fill},     {"concat_f32", BM_concat},
                    {"cumsum_f32", BM_cumsum}};
  for (const Op &op : ops) {
    auto fn = op.fn;
    common(RegisterBenchmark(op.name, [fn](benchmark::State &s) { fn(s, 0); }), k1e7);
    common(RegisterBenchmark((std::string(op.name) + "_1thread").c_str(),
                             [fn](benchmark::State &s) { fn(s, 1); }),
           k1e7);
  }
  common(RegisterBenchmark("dot_f32", [](benchmark::State &s) { BM_dot(s, 0); }), k1e6);
  common(RegisterBenchmark("dot_f32_1thread", [](benchmark::State &s) { BM_dot(s, 1); }), k1e6);
  common(RegisterBenchmark("percentile_f32", [](benchmark::State &s) { BM_percentile(s, 0); }),
         k1e6);
  common(RegisterBenchmark("percentile_f32_1thread",
                           [](benchmark::State &s) { BM_percentile(s, 1); }),
         k1e6);
}

// ---- reporter: the table as usual, plus the figures for the ratios ----------------

struct Figure {
  double seconds = 0.0;        // wall time per call
  double bytes_per_sec = 0.0;  // array bytes per second (see conventions)
  bool ok = false;
};

// The usual console table, plus the figures kept for the ratios. Google
// Benchmark reports the repetitions of one benchmark in one call and their
// aggregates in a second one. With repetitions, the table shows two rows per
// benchmark: "_best" (the fastest repetition: interference from other
// processes only ever slows a run down, so on a shared machine this is the
// closest to the uncontended figure) and "_median"; the ratios use the best
// and quote the median alongside.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  explicit RatioReporter(OutputOptions opts) : ConsoleReporter(opts) {}

  void ReportRuns(const std::vector<Run> &runs) override {
    for (const Run &r : runs) {
      if (r.error_occurred) {  // shown once, with its error
        errors_ = true;
        best_[key(r)] = Figure();
        median_[key(r)] = Figure();
        ConsoleReporter::ReportRuns({r});
        return;
      }
    }
    std::vector<Run> shown;
    const Run *best = nullptr;
    for (const Run &r : runs)
      if (r.run_type == Run::RT_Iteration &&
          (!best || r.GetAdjustedRealTime() < best->GetAdjustedRealTime()))
        best = &r;
    if (best) {
      best_[key(*best)] = figure(*best);
      Run b = *best;
      if (b.repetitions > 1) {
        b.run_type = Run::RT_Aggregate;
        b.aggregate_name = "best";
        b.aggregate_unit = benchmark::kTime;
      } else {
        median_[key(*best)] = figure(*best);
      }
      shown.push_back(b);
    }
    for (const Run &r : runs) {
      if (r.run_type == Run::RT_Aggregate && r.aggregate_name == "median") {
        median_[key(r)] = figure(r);
        shown.push_back(r);
      }
    }
    if (!shown.empty()) ConsoleReporter::ReportRuns(shown);
  }

  bool errors() const { return errors_; }

  const Figure *best(const std::string &k) const { return find(best_, k); }
  const Figure *median(const std::string &k) const { return find(median_, k); }

 private:
  static std::string key(const Run &r) {
    return r.run_name.function_name + "/" + r.run_name.args;
  }
  static Figure figure(const Run &r) {
    Figure f;
    f.seconds = r.GetAdjustedRealTime() / benchmark::GetTimeUnitMultiplier(r.time_unit);
    auto it = r.counters.find("bytes_per_second");
    if (it != r.counters.end()) f.bytes_per_sec = it->second.value;
    f.ok = true;
    return f;
  }
  static const Figure *find(const std::map<std::string, Figure> &m, const std::string &k) {
    auto it = m.find(k);
    return (it == m.end() || !it->second.ok) ? nullptr : &it->second;
  }

  std::map<std::string, Figure> best_, median_;
  bool errors_ = false;
};

// ---- paired A/B measurement ---------------------------------------------------------
//
// On a shared machine the memory bandwidth available to this process drifts
// from second to second, so a ratio of two benchmarks run a minute apart can
// be off by tens of percent. For each ratio the two calls are therefore also
// run alternately (A, B, A, B, ...) on the same buffers as the table, and
// the best time of each is kept: both see the same conditions.

struct PairCall {
  std::function<core_status()> fn;
  size_t bytes = 0;  // array bytes per call, as in the table
  int threads = -1;  // libcore thread setting it needs; -1: not a libcore call
};

// The buffers are looked up inside each call (a map lookup, nanoseconds) so
// that only the data of the ratios actually printed get generated.
std::map<std::string, PairCall> pair_calls() {
  std::map<std::string, PairCall> m;
  for (size_t n : {size_t(k1e6), size_t(k1e8)}) {
    const std::string a = "/" + std::to_string(n);
    auto stats = [n] {
      core_stats_t s;
      core_status st = core_stats_f32(data<float>(n), n, CORE_NAN_PROPAGATE, &s);
      benchmark::DoNotOptimize(s);
      return st;
    };
    m["stats_f32" + a] = {stats, n * 4, 0};
    m["stats_f32_1thread" + a] = {stats, n * 4, 1};
    m["read_ref_sum_f32_1thread" + a] = {[n] {
                                           float s = plain_sum(data<float>(n), n);
                                           benchmark::DoNotOptimize(s);
                                           return CORE_OK;
                                         },
                                         n * 4, -1};
  }
  m["read_ref_sum_f32_mt/100000000"] = {[] {
                                          const size_t n = k1e8;
                                          float s = plain_sum_mt(data<float>(n), n, hw_threads());
                                          benchmark::DoNotOptimize(s);
                                          return CORE_OK;
                                        },
                                        size_t(k1e8) * 4, -1};
  const size_t n = k1e7;
  const std::string a = "/" + std::to_string(n);
  m["write_ref_memset" + a] = {[n] {
                                 std::memset(out_f32(n), 0, n * sizeof(float));
                                 benchmark::ClobberMemory();
                                 return CORE_OK;
                               },
                               n * 4, -1};
  m["write_ref_store_loop" + a] = {[n] {
                                     plain_store(out_f32(n), n, 1.5f);
                                     benchmark::ClobberMemory();
                                     return CORE_OK;
                                   },
                                   n * 4, -1};
  m["copy_ref_memcpy" + a] = {[n] {
                                std::memcpy(out_f32(n), data<float>(n), n * sizeof(float));
                                benchmark::ClobberMemory();
                                return CORE_OK;
                              },
                              n * 4, -1};
  for (int threads : {0, 1}) {
    const std::string t = threads == 1 ? "_1thread" : "";
    m["arange_f32" + t + a] = {[n] {
                                 size_t len;
                                 return core_arange_f32(0.0, double(n), 1.0, out_f32(n), n, &len);
                               },
                               n * 4, threads};
    m["linspace_f32" + t + a] = {[n] { return core_linspace_f32(0.0, 1.0, n, 1, out_f32(n)); },
                                 n * 4, threads};
    m["fill_f32" + t + a] = {[n] { return core_fill_f32(out_f32(n), n, 1.5f); }, n * 4,
                             threads};
    m["concat_f32" + t + a] = {[n] {
                                 const float *x = data<float>(n);
                                 const float *parts[4];
                                 size_t lens[4];
                                 for (size_t i = 0; i < 4; ++i) {
                                   parts[i] = x + n * i / 4;
                                   lens[i] = n * (i + 1) / 4 - n * i / 4;
                                 }
                                 size_t len;
                                 return core_concat_f32(parts, lens, 4, out_f32(n), n, &len);
                               },
                               n * 4, threads};
    m["cumsum_f32" + t + a] = {[n] { return core_cumsum_f32(data<float>(n), n, out_f32(n)); },
                               n * 4, threads};
  }
  return m;
}

// Best seconds per call of a and b, run alternately. False on a libcore error.
bool paired_best(const PairCall &a, const PairCall &b, double *ta, double *tb) {
  const int threads = a.threads >= 0 ? a.threads : (b.threads >= 0 ? b.threads : 0);
  ThreadScope scope(threads);
  auto timed = [](const PairCall &c, double *t) {
    const auto t0 = std::chrono::steady_clock::now();
    const core_status st = c.fn();
    *t = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return st == CORE_OK;
  };
  double x = 0, y = 0;
  if (!timed(a, &x) || !timed(b, &y)) return false;  // warm-up
  if (!timed(a, &x) || !timed(b, &y)) return false;
  const int rounds = std::max(10, std::min(300, static_cast<int>(0.6 / (x + y))));
  *ta = x;
  *tb = y;
  for (int r = 0; r < rounds; ++r) {
    if (!timed(a, &x) || !timed(b, &y)) return false;
    *ta = std::min(*ta, x);
    *tb = std::min(*tb, y);
  }
  return true;
}

bool g_pair_errors = false;

void print_ratio(const RatioReporter &rep, const char *label, const std::string &num,
                 const std::string &den) {
  const Figure *a = rep.best(num), *b = rep.best(den);
  if (!a || !b || b->bytes_per_sec <= 0.0) {
    std::printf("  %-58s  n/a (not run)\n", label);
    return;
  }
  std::printf("  %-58s %6.1f %%", label, 100.0 * a->bytes_per_sec / b->bytes_per_sec);
  const Figure *am = rep.median(num), *bm = rep.median(den);
  if (am && bm && bm->bytes_per_sec > 0.0)
    std::printf(" %6.1f %%", 100.0 * am->bytes_per_sec / bm->bytes_per_sec);
  else
    std::printf(" %8s", "-");
  static const std::map<std::string, PairCall> calls = pair_calls();
  auto ca = calls.find(num), cb = calls.find(den);
  double ta = 0, tb = 0;
  if (ca != calls.end() && cb != calls.end()) {
    if (paired_best(ca->second, cb->second, &ta, &tb)) {
      const double ga = ca->second.bytes / ta / 1e9, gb = cb->second.bytes / tb / 1e9;
      std::printf(" %6.1f %%   (%6.2f / %6.2f GB/s)", 100.0 * ga / gb, ga, gb);
    } else {
      g_pair_errors = true;
      std::printf("   paired run FAILED: %s", core_last_error_message());
    }
  }
  std::printf("\n");
  std::fflush(stdout);
}

void print_ratio_header(const char *title) {
  std::printf("\n%s\n  %-58s %8s %8s %8s   %s\n", title, "", "best", "median", "paired",
              "(paired GB/s: op / reference)");
}

void print_figure(const RatioReporter &rep, const char *k, bool gbps) {
  const Figure *f = rep.best(k), *m = rep.median(k);
  if (!f) return;
  if (gbps)
    std::printf("  %-40s %8.2f GB/s   (median %8.2f)\n", k, f->bytes_per_sec / 1e9,
                m ? m->bytes_per_sec / 1e9 : 0.0);
  else if (f->seconds < 1e-5)
    std::printf("  %-40s %8.1f ns/call (median %8.1f)\n", k, f->seconds * 1e9,
                m ? m->seconds * 1e9 : 0.0);
  else
    std::printf("  %-40s %8.1f us/call (median %8.1f)\n", k, f->seconds * 1e6,
                m ? m->seconds * 1e6 : 0.0);
}

void print_ratios(const RatioReporter &rep) {
  std::printf("\n==== ratios (GB/s = 1e9 array bytes per second, higher is better; the table's"
              " G/s column is GiB/s) ====\n"
              "best = best repetitions of the table; median = their medians; paired = the two\n"
              "calls run alternately right now, best of each (the most robust on a shared\n"
              "machine: both see the same memory traffic from other processes)\n");
  std::printf("libcore %s, SIMD target %s, default threads %d\n", core_version(),
              core_simd_target(), core_get_num_threads());

  std::printf("\nper-call time, n = 100 (call overhead + 100 elements):\n");
  for (const char *k : {"stats_f32/100", "stats_f64/100"}) print_figure(rep, k, false);

  std::printf("\nthroughput of core_stats and of the read references:\n");
  for (const char *k : {"stats_f32/10000", "stats_f32/1000000", "stats_f32_1thread/1000000",
                        "stats_f32/100000000", "stats_f32_1thread/100000000",
                        "stats_f64/10000", "stats_f64/1000000", "stats_f64/100000000",
                        "read_ref_sum_f32_1thread/1000000", "read_ref_sum_f32_1thread/100000000",
                        "read_ref_sum_f32_mt/100000000"})
    print_figure(rep, k, true);

  std::printf("\nwrite and copy references (1 thread, 1e7 floats):\n");
  for (const char *k : {"write_ref_memset/10000000", "write_ref_store_loop/10000000",
                        "copy_ref_memcpy/10000000"})
    print_figure(rep, k, true);

  print_ratio_header("stats_f32 vs the read reference (plain float sum over the same data):");
  print_ratio(rep, "stats_f32 1e8, 1 thread / plain sum 1e8 1 thread",
              "stats_f32_1thread/100000000", "read_ref_sum_f32_1thread/100000000");
  print_ratio(rep, "stats_f32 1e8, default threads / plain sum 1e8 1 thread",
              "stats_f32/100000000", "read_ref_sum_f32_1thread/100000000");
  print_ratio(rep, "stats_f32 1e8, default threads / plain sum 1e8 all threads",
              "stats_f32/100000000", "read_ref_sum_f32_mt/100000000");
  print_ratio(rep, "stats_f32 1e6, 1 thread / plain sum 1e6 1 thread",
              "stats_f32_1thread/1000000", "read_ref_sum_f32_1thread/1000000");
  print_ratio(rep, "stats_f32 1e6, default threads / plain sum 1e6 1 thread",
              "stats_f32/1000000", "read_ref_sum_f32_1thread/1000000");

  print_ratio_header("array creation vs the write reference (memset, 1 thread, 1e7 floats):");
  for (const char *op : {"arange_f32", "linspace_f32", "fill_f32"}) {
    for (const char *suffix : {"", "_1thread"}) {
      const std::string name = std::string(op) + suffix;
      print_ratio(rep, (name + " / memset").c_str(), name + "/10000000",
                  "write_ref_memset/10000000");
    }
  }
  print_ratio(rep, "plain store loop (1 thread) / memset", "write_ref_store_loop/10000000",
              "write_ref_memset/10000000");

  print_ratio_header("copies vs memcpy (1 thread, 1e7 floats):");
  for (const char *op : {"concat_f32", "cumsum_f32"}) {
    for (const char *suffix : {"", "_1thread"}) {
      const std::string name = std::string(op) + suffix;
      print_ratio(rep, (name + " / memcpy").c_str(), name + "/10000000",
                  "copy_ref_memcpy/10000000");
    }
  }

  std::printf("\nother (time per call):\n");
  for (const char *k : {"dot_f32/1000000", "dot_f32_1thread/1000000", "percentile_f32/1000000",
                        "percentile_f32_1thread/1000000", "cumsum_f32/10000000",
                        "cumsum_f32_1thread/10000000"})
    print_figure(rep, k, false);
  std::printf("\nThese are measurements, not pass/fail criteria. On a shared machine the\n"
              "median moves with the load of other processes; the best repetition and the\n"
              "paired ratios are the closer estimates of the uncontended speed.\n");
}

}  // namespace

int main(int argc, char **argv) {
  // Default to 5 repetitions (best and median reported); a later
  // --benchmark_repetitions on the command line wins.
  std::vector<char *> args;
  args.push_back(argv[0]);
  static char reps[] = "--benchmark_repetitions=5";
  args.push_back(reps);
  for (int i = 1; i < argc; ++i) args.push_back(argv[i]);
  int args_n = static_cast<int>(args.size());
  args.push_back(nullptr);

  benchmark::Initialize(&args_n, args.data());
  if (benchmark::ReportUnrecognizedArguments(args_n, args.data())) return 1;

  std::printf("libcore %s (ABI %d), SIMD target %s, default threads %d, hardware threads %u\n",
              core_version(), core_abi_version(), core_simd_target(), core_get_num_threads(),
              std::thread::hardware_concurrency());
  std::fflush(stdout);

  register_all();
  const bool color = isatty(STDOUT_FILENO) != 0;
  RatioReporter reporter(color ? benchmark::ConsoleReporter::OO_ColorTabular
                               : benchmark::ConsoleReporter::OO_Tabular);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  print_ratios(reporter);
  benchmark::Shutdown();
  if (reporter.errors() || g_pair_errors) {
    std::printf("\nbench_core: some libcore calls FAILED (see the errors above)\n");
    return 1;
  }
  return 0;
}
