// Benchmarks of the log-mel front end (audio.h) against its targets:
//   WHISPER log-mel of 30 s, 1 thread:     >= 3x faster than the fastest
//        NumPy/SciPy variant (measured side by side in bench_audio_numpy.py;
//        here the absolute figure)
//   10 minutes, 2 threads vs 1:            >= 1.7x
//   streaming, 20 ms chunks:                <= 3 us per frame
// each on both FFT paths: the default one (the batched SIMD kernel when it
// plans n_fft = 400, else the library FFT) and KissFFT (LIBCORE_FFT=kissfft,
// read when an analyser is created). Whether the default path really is the
// SIMD kernel is found out, not assumed: the two analysers' outputs are
// compared, and bit-identical outputs mean the same FFT.
//
// Figures are the best of several timed runs in this process (interference
// on a shared machine only ever slows a run down), median in brackets.
// Speed is reported, never asserted: the program fails only on a libcore
// error. The Google Benchmark cases after the table are the same calls for
// gbench's own statistics.
//   build/tests/bench/bench_audio [--targets_only | --no_targets] [gbench flags]
#include <benchmark/benchmark.h>

#include <core/core.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "bench_common.h"

namespace {

constexpr std::size_t kRate = 16000, k30s = 30 * kRate, k10min = 600 * kRate;
constexpr std::size_t kChunk = 320;  // 20 ms

void ok(core_status st, const char *what) {
  if (st != CORE_OK) {
    std::fprintf(stderr, "bench_audio: %s: %s (%s)\n", what, core_status_str(st),
                 core_last_error_message());
    std::exit(1);
  }
}

// Speech-like input: tones under a slow envelope plus noise (seeded), 10
// minutes, the longest any case reads. In a bench::alloc_buf buffer (huge
// pages, as NumPy gives arrays of this size), as is the output.
const float *signal() {
  static const bench::Buf<float> x = [] {
    bench::Buf<float> b = bench::alloc_buf<float>(k10min);
    std::mt19937 g(2024);
    std::normal_distribution<float> noise(0.0f, 0.02f);
    for (std::size_t i = 0; i < k10min; ++i) {
      const double t = static_cast<double>(i) / kRate;
      const double env = 0.5 + 0.45 * std::sin(2 * M_PI * 1.3 * t);
      b[i] = static_cast<float>(env * (0.3 * std::sin(2 * M_PI * 220 * t) +
                                       0.2 * std::sin(2 * M_PI * 1375 * t))) + noise(g);
    }
    return b;
  }();
  return x.get();
}

// An output buffer for up to 10 minutes of frames, or more when asked.
struct Out {
  bench::Buf<float> buf;
  std::size_t cap = 0;
  float *get(std::size_t n) {
    if (n > cap) buf = bench::alloc_buf<float>(cap = std::max(n, 80 * (k10min / 160 + 1)));
    return buf.get();
  }
};

enum class Path { kDefault, kKiss };
const char *path_name(Path p) { return p == Path::kDefault ? "default" : "kissfft"; }

core_logmel_options_t options(int mode) {
  core_logmel_options_t o;
  ok(core_logmel_options_init(&o), "options_init");
  o.mode = mode;
  return o;
}

core_logmel_t *make(Path p, int mode) {
  const core_logmel_options_t o = options(mode);
  if (p == Path::kKiss) setenv("LIBCORE_FFT", "kissfft", 1);
  core_logmel_t *lm = nullptr;
  ok(core_logmel_create(&o, &lm), "core_logmel_create");
  unsetenv("LIBCORE_FFT");
  return lm;
}

core_logmel_stream_t *make_stream(Path p, int mode) {
  const core_logmel_options_t o = options(mode);
  if (p == Path::kKiss) setenv("LIBCORE_FFT", "kissfft", 1);
  core_logmel_stream_t *s = nullptr;
  ok(core_logmel_stream_create(&o, &s), "core_logmel_stream_create");
  unsetenv("LIBCORE_FFT");
  return s;
}

void compute(core_logmel_t *lm, const float *x, std::size_t n, Out &out) {
  const std::size_t cap = 80 * (n / 160);
  std::size_t frames = 0;
  ok(core_logmel_compute(lm, x, n, out.get(cap), cap, &frames), "core_logmel_compute");
}

// Pushes n samples in 20 ms chunks, reading after each push, then flushes;
// returns the frames read.
std::size_t stream(core_logmel_stream_t *s, const float *x, std::size_t n, Out &out) {
  ok(core_logmel_stream_reset(s), "reset");
  float *o = out.get(80 * (n / 160 + 1));
  std::size_t got = 0, rd = 0;
  for (std::size_t at = 0; at + kChunk <= n; at += kChunk) {
    ok(core_logmel_stream_push(s, x + at, kChunk), "push");
    ok(core_logmel_stream_read(s, o + got * 80, n / 160 + 1 - got, &rd), "read");
    got += rd;
  }
  ok(core_logmel_stream_flush(s), "flush");
  ok(core_logmel_stream_read(s, o + got * 80, n / 160 + 1 - got, &rd), "read");
  return got + rd;
}

using clk = std::chrono::steady_clock;
struct Timing {
  double best, median;
};
Timing time_runs(int runs, const std::function<void()> &fn) {
  std::vector<double> t;
  for (int r = 0; r < runs; ++r) {
    const auto t0 = clk::now();
    fn();
    t.push_back(std::chrono::duration<double>(clk::now() - t0).count());
  }
  std::sort(t.begin(), t.end());
  return {t.front(), t[t.size() / 2]};
}

void targets() {
  const float *x = signal();
  Out a, b;
  core_logmel_t *def = make(Path::kDefault, CORE_LOGMEL_WHISPER);
  core_logmel_t *kiss = make(Path::kKiss, CORE_LOGMEL_WHISPER);
  compute(def, x, k30s, a);
  compute(kiss, x, k30s, b);
  const std::size_t nv = 80 * (k30s / 160);
  const bool simd = std::memcmp(a.get(nv), b.get(nv), nv * sizeof(float)) != 0;
  double diff = 0.0;
  for (std::size_t i = 0; i < nv; ++i) diff = std::max(diff, std::fabs(double(a.buf[i]) - b.buf[i]));
  std::printf("log-mel targets (Whisper: 16 kHz, n_fft 400, hop 160, 80 bands; SIMD target %s)\n",
              core_simd_target());
  std::printf("default FFT path: %s (max |default - kissfft| on 30 s, WHISPER: %.3g)\n\n",
              simd ? "the batched SIMD kernel (its output differs from KissFFT's)"
                   : "KissFFT (same bits as LIBCORE_FFT=kissfft: the SIMD kernel does not plan 400)",
              diff);
  std::printf("%-44s %10s %10s %10s  %s\n", "case (best [median] of runs)", "default", "kissfft",
              "target", "");
  core_logmel_t *lms[2] = {def, kiss};

  // 30 s, 1 thread.
  ok(core_set_num_threads(1), "threads");
  Timing t30[2];
  for (int i = 0; i < 2; ++i) t30[i] = time_runs(31, [&] { compute(lms[i], x, k30s, a); });
  std::printf("%-44s %7.2f ms %7.2f ms %10s  [%.2f / %.2f ms]\n", "WHISPER 30 s, 1 thread",
              t30[0].best * 1e3, t30[1].best * 1e3, "see numpy", t30[0].median * 1e3,
              t30[1].median * 1e3);

  // 10 minutes, 1 and 2 threads, alternately (A, B, A, B, ...): on a
  // shared machine, load that comes and goes then hits both sides alike.
  Timing t1[2], t2[2];
  for (int i = 0; i < 2; ++i) {
    std::vector<double> one, two;
    for (int r = 0; r < 9; ++r) {
      ok(core_set_num_threads(1), "threads");
      one.push_back(time_runs(1, [&] { compute(lms[i], x, k10min, a); }).best);
      ok(core_set_num_threads(2), "threads");
      two.push_back(time_runs(1, [&] { compute(lms[i], x, k10min, a); }).best);
    }
    std::sort(one.begin(), one.end());
    std::sort(two.begin(), two.end());
    t1[i] = {one.front(), one[one.size() / 2]};
    t2[i] = {two.front(), two[two.size() / 2]};
  }
  ok(core_set_num_threads(0), "threads");
  std::printf("%-44s %7.1f ms %7.1f ms %10s  [%.1f / %.1f ms]\n", "WHISPER 10 min, 1 thread",
              t1[0].best * 1e3, t1[1].best * 1e3, "", t1[0].median * 1e3, t1[1].median * 1e3);
  std::printf("%-44s %7.1f ms %7.1f ms %10s  [%.1f / %.1f ms]\n", "WHISPER 10 min, 2 threads",
              t2[0].best * 1e3, t2[1].best * 1e3, "", t2[0].median * 1e3, t2[1].median * 1e3);
  for (int i = 0; i < 2; ++i) {
    const double r = t1[i].best / t2[i].best;
    std::printf("%-44s %9.2fx %s\n", i == 0 ? "  2-thread speed-up, default" : "  2-thread speed-up, kissfft",
                r, r >= 1.7 ? ">= 1.7x  MET" : ">= 1.7x  MISSED");
  }

  // Streaming, 60 s in 20 ms chunks.
  const std::size_t n = 60 * kRate;
  for (int mode : {CORE_LOGMEL_LOG10, CORE_LOGMEL_WHISPER}) {
    double per[2];
    std::size_t frames = 0;
    for (int i = 0; i < 2; ++i) {
      core_logmel_stream_t *s = make_stream(i == 0 ? Path::kDefault : Path::kKiss, mode);
      const Timing t = time_runs(7, [&] { frames = stream(s, x, n, a); });
      per[i] = t.best / static_cast<double>(frames) * 1e6;
      core_logmel_stream_destroy(s);
    }
    std::printf("%-44s %7.2f us %7.2f us %7s us  %s / %s\n",
                mode == CORE_LOGMEL_LOG10 ? "stream 20 ms chunks, LOG10, per frame"
                                          : "stream 20 ms chunks, WHISPER, per frame",
                per[0], per[1], "<= 3", per[0] <= 3.0 ? "MET" : "MISSED",
                per[1] <= 3.0 ? "MET" : "MISSED");
  }
  std::printf("\n");
  std::fflush(stdout);
  core_logmel_destroy(def);
  core_logmel_destroy(kiss);
}

// ---- Google Benchmark cases ----------------------------------------------------

void BM_logmel(benchmark::State &state) {
  const Path p = state.range(0) == 0 ? Path::kDefault : Path::kKiss;
  const std::size_t n = static_cast<std::size_t>(state.range(1)) * kRate;
  const int threads = static_cast<int>(state.range(2));
  const float *x = signal();
  core_logmel_t *lm = make(p, CORE_LOGMEL_WHISPER);
  Out out;
  ok(core_set_num_threads(threads), "threads");
  for (auto _ : state) {
    compute(lm, x, n, out);
    benchmark::ClobberMemory();
  }
  ok(core_set_num_threads(0), "threads");
  state.SetLabel(std::string(path_name(p)) + ", " + std::to_string(threads) + " thread(s)");
  state.counters["frames/s"] = benchmark::Counter(static_cast<double>(n / 160) * state.iterations(),
                                                  benchmark::Counter::kIsRate);
  core_logmel_destroy(lm);
}
BENCHMARK(BM_logmel)
    ->ArgNames({"kiss", "seconds", "threads"})
    ->ArgsProduct({{0, 1}, {30}, {1, 2}})
    ->ArgsProduct({{0, 1}, {600}, {1, 2}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void BM_logmel_batch(benchmark::State &state) {
  // 32 clips of 5 s, as a service batching requests would have them.
  const float *x = signal();
  core_logmel_t *lm = make(state.range(0) == 0 ? Path::kDefault : Path::kKiss, CORE_LOGMEL_WHISPER);
  std::vector<const float *> clips(32);
  std::vector<std::size_t> lens(32, 5 * kRate), caps(32, 80 * 500), frames(32);
  std::vector<std::vector<float>> bufs(32, std::vector<float>(80 * 500));
  std::vector<float *> outs(32);
  for (std::size_t i = 0; i < 32; ++i) {
    clips[i] = x + i * 5 * kRate;
    outs[i] = bufs[i].data();
  }
  for (auto _ : state) {
    ok(core_logmel_compute_batch(lm, clips.data(), lens.data(), 32, outs.data(), caps.data(),
                                 frames.data()),
       "compute_batch");
    benchmark::ClobberMemory();
  }
  state.SetLabel(std::string(path_name(state.range(0) == 0 ? Path::kDefault : Path::kKiss)) +
                 ", default threads");
  core_logmel_destroy(lm);
}
BENCHMARK(BM_logmel_batch)->Arg(0)->Arg(1)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_stream_20ms(benchmark::State &state) {
  const Path p = state.range(0) == 0 ? Path::kDefault : Path::kKiss;
  const int mode = static_cast<int>(state.range(1));
  const float *x = signal();
  const std::size_t n = 60 * kRate;
  core_logmel_stream_t *s = make_stream(p, mode);
  std::vector<float> out(80 * 64);
  std::size_t at = 0, rd = 0;
  for (auto _ : state) {
    if (at + kChunk > n) {  // a fresh stream every 60 s
      ok(core_logmel_stream_reset(s), "reset");
      at = 0;
    }
    ok(core_logmel_stream_push(s, x + at, kChunk), "push");
    at += kChunk;
    do ok(core_logmel_stream_read(s, out.data(), 64, &rd), "read");
    while (rd == 64);
  }
  state.SetLabel(std::string(path_name(p)) + (mode == CORE_LOGMEL_LOG10 ? ", LOG10" : ", WHISPER"));
  // A 20 ms push makes 2 frames (WHISPER: readable when their window ends).
  state.counters["frames/s"] =
      benchmark::Counter(2.0 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  core_logmel_stream_destroy(s);
}
BENCHMARK(BM_stream_20ms)
    ->ArgNames({"kiss", "mode"})
    ->ArgsProduct({{0, 1}, {CORE_LOGMEL_LOG10, CORE_LOGMEL_WHISPER}})
    ->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char **argv) {
  bool only = false, none = false;
  std::vector<char *> rest;
  for (int i = 0; i < argc; ++i) {
    if (std::strcmp(argv[i], "--targets_only") == 0) only = true;
    else if (std::strcmp(argv[i], "--no_targets") == 0) none = true;
    else rest.push_back(argv[i]);
  }
  if (!none) targets();
  if (only) return 0;
  int n = static_cast<int>(rest.size());
  benchmark::Initialize(&n, rest.data());
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
