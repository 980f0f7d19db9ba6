// How many elements a batch task should hold (kBatchGrain, libcore/batch/
// batch.h). Links the internal static library to call core::batch_stats
// with a chosen grain; the public API always uses kBatchGrain.
//
//   grain/<g>        10,000 arrays of 1,000 floats on 2 threads, tasks of
//                    about g elements (g = 0: one task, i.e. serial)
//   small/<k>/<par>  k arrays of 1,000 floats on 2 threads, serial (par 0)
//                    or one array per task (par 1): where a batch becomes
//                    big enough for a second thread to pay
// The thread count stays at 2 throughout: changing it rebuilds libcore's
// task arena, which would be timed too.
//
// Figures are reported, never asserted (the choice is written down in
// libcore/batch/batch.cpp). On a shared machine the sequential table drifts
// with other processes' load, so a summary after it re-runs every variant
// alternately, round after round, and keeps the best time of each.
#include <benchmark/benchmark.h>

#include <core/core.h>

#include <chrono>
#include <string>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "libcore/batch/batch.h"

namespace {

struct Batch {
  std::vector<float> data;
  std::vector<const float *> arrays;
  std::vector<size_t> lens;
  std::vector<core_stats_t> out;
  Batch(size_t count, size_t len) : data(count * len), arrays(count), lens(count, len), out(count) {
    uint64_t s = 88172645463325252ull;
    for (float &v : data) {
      s ^= s << 13, s ^= s >> 7, s ^= s << 17;
      v = 4.0f + static_cast<float>(s >> 40) * 0x1p-23f;
    }
    for (size_t i = 0; i < count; ++i) arrays[i] = data.data() + i * len;
  }
};

void set_threads(int n) {
  if (core_set_num_threads(n) != CORE_OK) std::fprintf(stderr, "set_num_threads failed\n");
}

void BM_grain(benchmark::State &state) {
  static Batch b(10000, 1000);
  const size_t grain = state.range(0) == 0 ? SIZE_MAX : static_cast<size_t>(state.range(0));
  set_threads(2);
  for (auto _ : state) {
    core::batch_stats(b.arrays.data(), b.lens.data(), b.arrays.size(), false, b.out.data(), grain);
    benchmark::DoNotOptimize(b.out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * 10000 * 1000 * 4);
  set_threads(0);
}

void BM_small(benchmark::State &state) {
  const size_t k = static_cast<size_t>(state.range(0));
  Batch b(k, 1000);
  const size_t grain = state.range(1) ? 1 : SIZE_MAX;
  set_threads(2);
  for (auto _ : state) {
    core::batch_stats(b.arrays.data(), b.lens.data(), k, false, b.out.data(), grain);
    benchmark::DoNotOptimize(b.out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * k * 1000 * 4));
  set_threads(0);
}

}  // namespace

BENCHMARK(BM_grain)->Name("grain")->Arg(0)->Arg(2048)->Arg(8192)->Arg(16384)->Arg(32768)
    ->Arg(65536)->Arg(131072)->Arg(262144)->Arg(1048576)->UseRealTime()->MinTime(0.2);
BENCHMARK(BM_small)->Name("small")->ArgsProduct({{4, 8, 16, 32, 64, 128, 256, 512}, {0, 1}})
    ->UseRealTime()->MinTime(0.1);
namespace {

double best_seconds(Batch &b, size_t count, size_t grain, int rounds_done, double best) {
  const auto t0 = std::chrono::steady_clock::now();
  core::batch_stats(b.arrays.data(), b.lens.data(), count, false, b.out.data(), grain);
  const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return rounds_done == 0 || t < best ? t : best;
}

void alternating_summary() {
  set_threads(2);
  Batch big(10000, 1000);
  const size_t grains[] = {SIZE_MAX, 4096, 16384, 32768, 65536, 131072, 262144, 1048576};
  double t_grain[8] = {};
  const size_t ks[] = {8, 16, 32, 64, 128, 256};
  double t_small[6][2] = {};
  Batch small(256, 1000);
  for (int r = 0; r < 40; ++r) {
    for (int g = 0; g < 8; ++g) t_grain[g] = best_seconds(big, 10000, grains[g], r, t_grain[g]);
    for (int k = 0; k < 6; ++k)
      for (int par = 0; par < 2; ++par)
        t_small[k][par] = best_seconds(small, ks[k], par ? 1 : SIZE_MAX, r, t_small[k][par]);
  }
  std::printf("\nalternating runs, best of 40, 2 threads:\n");
  std::printf("10,000 x 1,000 floats by grain (elements per task):\n");
  for (int g = 0; g < 8; ++g)
    std::printf("  %9s  %7.3f ms\n",
                grains[g] == SIZE_MAX ? "serial" : std::to_string(grains[g]).c_str(),
                t_grain[g] * 1e3);
  std::printf("k arrays of 1,000 floats: serial vs one array per task:\n");
  for (int k = 0; k < 6; ++k)
    std::printf("  k = %3zu (%6zu elements)  serial %8.2f us  parallel %8.2f us  (%.2fx)\n",
                ks[k], ks[k] * 1000, t_small[k][0] * 1e6, t_small[k][1] * 1e6,
                t_small[k][0] / t_small[k][1]);
  set_threads(0);
}

}  // namespace

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  alternating_summary();
  return 0;
}
