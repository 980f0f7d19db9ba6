// The loader's costs, each against its peer in the same run:
//  1. the first core_api() of a process (dlopen + resolve + self-test),
//     sampled in fresh processes of bench_loader_first; target < 1 ms;
//  2. a call through the table against the same call made directly into
//     libcore.so (through the PLT); target <= 2 ns more per call;
//  3. the portable fallback's core_stats_f32 on 1e6 floats against the
//     native one, on 1 thread and on the default threads; target <= 4x.
// Ratios are measured paired: the two sides alternate, best time of each.
//
// usage: bench_loader <bench_loader_first> <libcore.so.1>
#include <core/core.h>
#include <core/loader.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "libcore/loader/table.h"

namespace {

using Clock = std::chrono::steady_clock;

// Best seconds per call of a and b, alternated `rounds` times with `reps`
// calls per timing.
template <class A, class B>
void paired(const A &a, const B &b, int rounds, int reps, double *ta, double *tb) {
  *ta = *tb = 1e30;
  for (int r = 0; r < rounds; ++r) {
    auto t0 = Clock::now();
    for (int i = 0; i < reps; ++i) a();
    auto t1 = Clock::now();
    for (int i = 0; i < reps; ++i) b();
    auto t2 = Clock::now();
    *ta = std::min(*ta, std::chrono::duration<double>(t1 - t0).count() / reps);
    *tb = std::min(*tb, std::chrono::duration<double>(t2 - t1).count() / reps);
  }
}

// Median microseconds of the first core_api() over fresh processes; the
// child first dlopens `preload` (untimed) when it is not empty.
double first_call(const char *child, const char *lib, const char *what, const char *preload) {
  std::vector<double> us;
  std::string cmd = std::string("LIBCORE_PATH='") + lib + "' LIBCORE_STRICT=1 '" + child + "' " +
                    preload;
  for (int i = 0; i < 21; ++i) {
    FILE *p = popen(cmd.c_str(), "r");
    double v = 0;
    char backend[16] = "";
    if (p == nullptr || std::fscanf(p, "%lf %15s", &v, backend) != 2 ||
        pclose(p) != 0 || std::string(backend) != "native") {
      std::fprintf(stderr, "bench_loader: %s failed\n", child);
      std::exit(1);
    }
    us.push_back(v);
  }
  std::sort(us.begin(), us.end());
  std::printf("  %-44s best %5.0f us, median %5.0f us, worst %5.0f us\n", what, us.front(),
              us[us.size() / 2], us.back());
  return us[us.size() / 2];
}

void first_calls(const char *child, const char *lib) {
  std::printf("first core_api() in a fresh process (dlopen + resolve + self-test), 21 runs:\n");
  const double cold = first_call(child, lib, "C program, nothing loaded yet:", "");
  // The same with libcore's dependencies already in the process: what the
  // loader itself costs (dlopen of libcore.so, 59 dlsym, the self-test).
  const double own = first_call(child, lib, "libstdc++, libhwy, libtbb already loaded:",
                                "libstdc++.so.6 libhwy.so.1 libtbb.so.12");
  std::printf("  target < 1000 us: %s cold, %s with the dependencies loaded\n"
              "  (cold: libhwy.so.1's static initializer measures its timer resolution\n"
              "  at load, hwy::platform::TimerResolution in perf: most of the figure)\n\n",
              cold < 1000 ? "met" : "NOT met", own < 1000 ? "met" : "NOT met");
}

volatile int sink_int;
volatile double sink_double;

void call_overhead(const core_api_t *api) {
  double direct, table, fetched;
  // The cheapest function there is: the difference is the call itself.
  paired([] { sink_int = core_get_num_threads(); },
         [api] { sink_int = api->get_num_threads(); }, 31, 1000000, &direct, &table);
  paired([] { sink_int = core_get_num_threads(); },
         [] { sink_int = core_api()->get_num_threads(); }, 31, 1000000, &direct, &fetched);
  std::printf("call overhead (core_get_num_threads, best of 31 x 1e6 calls, paired):\n"
              "  direct %.2f ns   table %.2f ns (+%.2f)   core_api()->fn %.2f ns (+%.2f)"
              "   target <= +2 ns: %s\n",
              direct * 1e9, table * 1e9, (table - direct) * 1e9, fetched * 1e9,
              (fetched - direct) * 1e9, (fetched - direct) * 1e9 <= 2.0 ? "met" : "NOT met");

  float x[16];
  for (int i = 0; i < 16; ++i) x[i] = float(i);
  core_stats_t s;
  paired([&] { sink_int = core_stats_f32(x, 16, CORE_NAN_PROPAGATE, &s); },
         [&] { sink_int = api->stats_f32(x, 16, CORE_NAN_PROPAGATE, &s); }, 31, 200000,
         &direct, &table);
  std::printf("  core_stats_f32, n = 16: direct %.2f ns   table %.2f ns (%+.2f)\n\n",
              direct * 1e9, table * 1e9, (table - direct) * 1e9);
}

void fallback_stats(const core_api_t *native) {
  const core_api_t *portable = &core_loader_fallback_table;
  const size_t n = 1000000;
  std::vector<float> x(n);
  uint64_t state = 42;
  for (auto &v : x) {  // uniform in [4, 6), as the other benchmarks
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    v = 4.0f + 2.0f * float(state >> 40) / float(1 << 24);
  }
  std::printf("core_stats_f32, n = 1e6, portable fallback vs native (paired, best of 15):\n");
  for (int threads : {1, 0}) {
    if (core_set_num_threads(threads) != CORE_OK) std::exit(1);
    core_stats_t a, b;
    double tn, tf;
    paired([&] { sink_int = native->stats_f32(x.data(), n, CORE_NAN_PROPAGATE, &a); },
           [&] { sink_int = portable->stats_f32(x.data(), n, CORE_NAN_PROPAGATE, &b); }, 15, 5,
           &tn, &tf);
    std::printf("  native (%s) %.0f us   fallback %.0f us   ratio %.2fx   target <= 4x: %s\n",
                threads == 1 ? "1 thread" : "default threads", tn * 1e6, tf * 1e6, tf / tn,
                tf / tn <= 4.0 ? "met" : "NOT met");
    sink_double = a.mean - b.mean;
  }
  if (core_set_num_threads(0) != CORE_OK) std::exit(1);
}

}  // namespace

int main(int argc, char **argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_loader <bench_loader_first> <libcore.so.1>\n");
    return 2;
  }
  first_calls(argv[1], argv[2]);
  setenv("LIBCORE_PATH", argv[2], 1);
  const core_api_t *api = core_api();
  if (api == nullptr || api->backend != CORE_BACKEND_NATIVE) {
    std::fprintf(stderr, "bench_loader: native load failed: %s\n", core_api_load_error());
    return 1;
  }
  call_overhead(api);
  fallback_stats(api);
  return 0;
}
