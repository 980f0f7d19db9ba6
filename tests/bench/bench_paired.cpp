// The calls the paired A/B measurement runs, and the alternating timing loop
// (see bench_paired.h).

#include "bench_paired.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstring>

#include "bench_common.h"

namespace bench {

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

}  // namespace bench
