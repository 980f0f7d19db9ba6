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
//
// Files: bench_core.cpp (this one: the benchmarks, their registration and
// main), bench_common.h/.cpp (sizes, buffers and input data, thread scope,
// plain reference loops), bench_report.h/.cpp (the reporter and the ratios
// section), bench_paired.h/.cpp (the paired A/B measurement).

#include <benchmark/benchmark.h>

#include <core/core.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "bench_common.h"
#include "bench_report.h"

namespace {

using namespace bench;

// ---- helpers ------------------------------------------------------------------

bool check(benchmark::State &state, core_status st, const char *what) {
  if (st == CORE_OK) return true;
  std::string msg = std::string(what) + " returned " + core_status_str(st) + ": " +
                    core_last_error_message();
  state.SkipWithError(msg.c_str());
  return false;
}

void set_bytes(benchmark::State &state, size_t n, size_t elem_size) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(n * elem_size));
}

// ---- bandwidth references -------------------------------------------------------

void BM_read_ref_sum(benchmark::State &state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const float *x = data<float>(n);
  for (auto _ : state) {
    float s = plain_sum(x, n);
    benchmark::DoNotOptimize(s);
  }
  set_bytes(state, n, sizeof(float));
}

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
  const bool pairs_ok = print_ratios(reporter);
  benchmark::Shutdown();
  if (reporter.errors() || !pairs_ok) {
    std::printf("\nbench_core: some libcore calls FAILED (see the errors above)\n");
    return 1;
  }
  return 0;
}
