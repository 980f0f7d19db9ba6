// The voice activity detector against its target: at least 2000x real time
// on one thread (a 30 ms frame in under 15 us).
//
// A streaming caller's loop is timed: push 20 ms chunks (320 samples at
// 16 kHz), read the finished segments and poll the open one after every
// push, flush at the end; then reset for the next iteration (reset is
// timed too, it is part of starting a stream). Inputs: one minute of
// synthetic speech-like sound in white noise (voices 2 s on, 1 s off: the
// detector opens and closes segments all along), at each frame size; and
// JFK (11 s of real speech) when the test data is found ($LIBCORE_TESTDATA,
// else ../shared/testdata beside the source tree). Offline
// core_vad_segments on the minute as well.
//
// Counters: rtf = seconds of audio analysed per second of wall time (the
// real-time factor; the target is 2000), us_per_frame = wall time per
// analysis frame. Speed is reported, never asserted: the program fails only
// on a libcore error.
//   build/tests/bench/bench_vad [gbench flags]
#include <benchmark/benchmark.h>

#include <core/core.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

namespace {

constexpr std::uint32_t kRate = 16000;
constexpr std::size_t kChunk = kRate / 50;  // 20 ms

void ok(core_status st, const char *what) {
  if (st != CORE_OK) {
    std::fprintf(stderr, "bench_vad: %s: %s (%s)\n", what, core_status_str(st),
                 core_last_error_message());
    std::exit(1);
  }
}

// One minute: white noise at -60 dBFS, a 140 Hz harmonic voice at about
// -26 dBFS (4 Hz syllables, a 60 ms gap every 0.75 s) for 2 s of every 3.
const std::vector<float> &synthetic_minute() {
  static const std::vector<float> x = [] {
    std::vector<float> v(60 * kRate);
    std::mt19937_64 g(1);
    std::normal_distribution<double> noise(0.0, 1e-3);
    for (auto &s : v) s = static_cast<float>(noise(g));
    const double pi2 = 6.283185307179586;
    for (std::size_t i = 0; i < v.size(); ++i) {
      const double t = static_cast<double>(i) / kRate, in = std::fmod(t, 3.0);
      if (in < 0.5 || in >= 2.5 || std::fmod(in - 0.5, 0.75) >= 0.69) continue;
      double s = 0.0;
      for (int h = 1; h * 140.0 < 4000.0; ++h) s += std::sin(pi2 * 140.0 * h * t + h) / h;
      v[i] += static_cast<float>(0.05 / 0.85 * (0.625 - 0.375 * std::cos(pi2 * 4.0 * t)) * s);
    }
    return v;
  }();
  return x;
}

// jfk_16k.f32 (176000 float32 samples), or empty when not found.
const std::vector<float> &jfk() {
  static const std::vector<float> x = [] {
    std::vector<float> v;
    const char *dir = std::getenv("LIBCORE_TESTDATA");
    const std::string folder = (dir != nullptr && *dir != '\0')
                                   ? std::string(dir)
                                   : std::string(CORE_SOURCE_ROOT) + "/../shared/testdata";
    const std::string path = folder + "/jfk_16k.f32";
    if (FILE *f = std::fopen(path.c_str(), "rb")) {
      v.resize(176000);
      if (std::fread(v.data(), sizeof(float), v.size(), f) != v.size()) v.clear();
      std::fclose(f);
    }
    return v;
  }();
  return x;
}

void counters(benchmark::State &s, std::size_t samples, std::uint32_t frame_ms) {
  const double audio_s = static_cast<double>(samples) / kRate;
  s.counters["rtf"] = benchmark::Counter(audio_s, benchmark::Counter::kIsIterationInvariantRate);
  const double frames = std::ceil(audio_s * 1000.0 / frame_ms);
  // us per frame: the inverse rate of frames, scaled from seconds.
  s.counters["us_per_frame"] = benchmark::Counter(
      frames * 1e-6, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_stream(benchmark::State &s, const std::vector<float> *x, std::uint32_t frame_ms) {
  if (x->empty()) {
    s.SkipWithError("test data not found (set LIBCORE_TESTDATA)");
    return;
  }
  core_vad_options_t o;
  ok(core_vad_options_init(&o), "options_init");
  o.frame_ms = frame_ms;
  core_vad_t *v = nullptr;
  ok(core_vad_create(&o, &v), "create");
  std::size_t segments = 0;
  for (auto _ : s) {
    for (std::size_t i = 0; i < x->size(); i += kChunk) {
      const std::size_t k = std::min(kChunk, x->size() - i);
      ok(core_vad_push(v, x->data() + i, k), "push");
      core_segment_t seg;
      while (core_vad_next_segment(v, &seg) == CORE_OK) ++segments;
      std::uint64_t start;
      benchmark::DoNotOptimize(core_vad_open_segment(v, &start));
    }
    ok(core_vad_flush(v), "flush");
    core_segment_t seg;
    while (core_vad_next_segment(v, &seg) == CORE_OK) ++segments;
    ok(core_vad_reset(v), "reset");
  }
  core_vad_destroy(v);
  s.counters["segments"] = static_cast<double>(segments) / static_cast<double>(s.iterations());
  counters(s, x->size(), frame_ms);
}

void BM_offline(benchmark::State &s, std::uint32_t frame_ms) {
  const std::vector<float> &x = synthetic_minute();
  core_vad_options_t o;
  ok(core_vad_options_init(&o), "options_init");
  o.frame_ms = frame_ms;
  std::vector<core_segment_t> out(1024);
  std::size_t count = 0;
  for (auto _ : s) {
    ok(core_vad_segments(x.data(), x.size(), &o, out.data(), out.size(), &count), "segments");
    benchmark::DoNotOptimize(count);
  }
  s.counters["segments"] = static_cast<double>(count);
  counters(s, x.size(), frame_ms);
}

}  // namespace

int main(int argc, char **argv) {
  const auto name = [](const char *what, std::uint32_t f) {
    return std::string(what) + "/frame_ms:" + std::to_string(f);
  };
  for (std::uint32_t f : {30u, 20u, 10u})
    benchmark::RegisterBenchmark(name("vad_stream_20ms_chunks/minute", f).c_str(), BM_stream,
                                 &synthetic_minute(), f)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  for (std::uint32_t f : {30u, 10u})
    benchmark::RegisterBenchmark(name("vad_stream_20ms_chunks/jfk", f).c_str(), BM_stream, &jfk(),
                                 f)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  for (std::uint32_t f : {30u, 10u})
    benchmark::RegisterBenchmark(name("vad_segments/minute", f).c_str(), BM_offline, f)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  std::printf("VAD, one thread, 16 kHz. Target: rtf >= 2000 (a 30 ms frame in under 15 us).\n");
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
