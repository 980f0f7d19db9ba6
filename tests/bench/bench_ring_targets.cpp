// The "targets" section of bench_ring: each ratio the issue sets, measured
// as A/B pairs run alternately, against its target. See bench_ring.cpp.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

#include "bench_ring.h"

namespace ringbench {

namespace {

// ---- paired measurement and the targets section -------------------------------------------

using Clock = std::chrono::steady_clock;

double seconds(const std::function<bool()> &fn) {
  const auto t0 = Clock::now();
  if (!fn()) {
    std::fprintf(stderr, "bench_ring: a paired run moved wrong data\n");
    std::exit(1);
  }
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Best seconds of a and b over `rounds` alternating runs (A, B, A, B, ...),
// and, in *median_ratio, the median over rounds of tb / ta: with two
// threads on a shared 2-core machine a single lucky run can decide the
// best, while the median of side-by-side pairs is what holds up.
void paired(const std::function<bool()> &a, const std::function<bool()> &b, int rounds,
            double *ta, double *tb, double *median_ratio = nullptr) {
  *ta = *tb = 1e300;
  std::vector<double> ratios;
  for (int i = 0; i < rounds; ++i) {
    const double x = seconds(a), y = seconds(b);
    *ta = std::min(*ta, x);
    *tb = std::min(*tb, y);
    ratios.push_back(y / x);
  }
  std::sort(ratios.begin(), ratios.end());
  if (median_ratio != nullptr) *median_ratio = ratios[ratios.size() / 2];
}

double gbs(double bytes, double s) { return bytes / s / 1e9; }

void verdict(const char *what, double value, double target, const char *unit) {
  std::printf("  %-52s %8.2f%s  target >= %.2f%s  %s\n", what, value, unit, target, unit,
              value >= target ? "MET" : "NOT MET");
}

}  // namespace

void targets() {
  std::printf("\n---- targets (paired A/B runs, best of each) ----\n");
  std::printf("  SIMD target %s\n", core_simd_target());
  const size_t st_iters = 20000;  // ~3 ms per single-thread run
  const double st_bytes = static_cast<double>(st_iters * kChunkBytes);
  const double mt_bytes = static_cast<double>(kMtChunks * kChunkBytes);
  Chunks c;  // the same caller buffers for every contender
  CoreRing core(CORE_RING_MIRROR_OFF), core_m(CORE_RING_MIRROR_ON);
  MemcpyCeiling ceil;
  auto st_core = [&] { return one_thread(core, c, st_iters); };
  auto st_ceil = [&] { return one_thread(ceil, c, st_iters); };
  double ta, tb;

  std::printf("single thread, 1024-float chunks through a 64K-float ring (GB/s of chunks)\n");
  paired(st_core, st_ceil, 15, &ta, &tb);
  std::printf("  libcore %.1f GB/s, memcpy ceiling %.1f GB/s\n", gbs(st_bytes, ta),
              gbs(st_bytes, tb));
  verdict("libcore / memcpy ceiling", 100.0 * tb / ta, 95.0, "%");
  paired([&] { return one_thread(core_m, c, st_iters); }, st_ceil, 15, &ta, &tb);
  std::printf("  (mirrored: %.1f GB/s = %.1f%% of the ceiling)\n", gbs(st_bytes, ta),
              100.0 * tb / ta);
#if CORE_BENCH_HAVE_JACK
  {
    JackRing jack;
    paired(st_core, [&] { return one_thread(jack, c, st_iters); }, 15, &ta, &tb);
    std::printf("  libcore / JACK: %.2fx (JACK %.1f GB/s)\n", tb / ta, gbs(st_bytes, tb));
  }
#endif
#if CORE_BENCH_HAVE_BOOST
  {
    BoostRing boost;
    paired(st_core, [&] { return one_thread(boost, c, st_iters); }, 15, &ta, &tb);
    std::printf("  libcore / boost spsc_queue: %.2fx (boost %.1f GB/s)\n", tb / ta,
                gbs(st_bytes, tb));
  }
#endif

  std::printf("two threads, producer + consumer (GB/s of chunks)\n");
#if CORE_BENCH_HAVE_JACK
  {
    JackRing jack;
    double med = 0.0;
    paired([&] { return two_threads(core, kMtChunks); },
           [&] { return two_threads(jack, kMtChunks); }, 15, &ta, &tb, &med);
    std::printf("  libcore %.1f GB/s, JACK %.1f GB/s (best runs)\n", gbs(mt_bytes, ta),
                gbs(mt_bytes, tb));
    verdict("libcore / JACK, best runs", tb / ta, 1.1, "x");
    verdict("libcore / JACK, median of 15 side-by-side pairs", med, 1.1, "x");
  }
#else
  std::printf("  JACK not built in (libjack-jackd2-dev missing): target not measured\n");
#endif
#if CORE_BENCH_HAVE_BOOST
  {
    BoostRing boost;
    double med = 0.0;
    paired([&] { return two_threads(core, kMtChunks); },
           [&] { return two_threads(boost, kMtChunks); }, 15, &ta, &tb, &med);
    std::printf("  libcore / boost spsc_queue: %.2fx best, %.2fx median (libcore %.1f, boost %.1f"
                " GB/s)\n",
                tb / ta, med, gbs(mt_bytes, ta), gbs(mt_bytes, tb));
  }
#endif
  {
    paired([&] { return two_threads(core_m, kMtChunks); },
           [&] { return two_threads(core, kMtChunks); }, 5, &ta, &tb);
    std::printf("  (mirrored: %.1f GB/s)\n", gbs(mt_bytes, ta));
  }

  std::printf("append_i16 + consume, 1024 samples (GB/s of float output)\n");
  {
    CoreRing r16(CORE_RING_MIRROR_OFF);
    Pcm p;
    std::vector<float> out(kChunk);
    paired([&] { return append_i16_loop(r16, p, st_iters); },
           [&] {
             for (size_t i = 0; i < st_iters; ++i)
               if (core_pcm16_to_f32(p.in.data(), kChunk, out.data()) != CORE_OK) return false;
             return true;
           },
           15, &ta, &tb);
    verdict("append_i16", gbs(st_bytes, ta), 10.0, " GB/s");
    std::printf("  (the bare conversion kernel: %.1f GB/s)\n", gbs(st_bytes, tb));
  }

  std::printf("against the NumPy preallocated ring (3.76 us per 1024-sample write+read)\n");
  {
    double best = 1e300;
    for (int i = 0; i < 15; ++i) best = std::min(best, seconds(st_core));
    const double ns = best / static_cast<double>(st_iters) * 1e9;
    std::printf("  libcore append+pop of 1024 samples: %.0f ns\n", ns);
    verdict("NumPy ring time / libcore time", 3760.0 / ns, 20.0, "x");
    std::printf("  (bench_ring_numpy.py measures NumPy here and libcore through ctypes)\n");
  }
}

}  // namespace ringbench
