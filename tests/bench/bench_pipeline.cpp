// The pipeline on one thread: the JFK clip pushed in 20 ms chunks through
// VAD + 1 s log-mel windows every 0.5 s + cache + metrics, events read
// after every push, with a small deterministic encoder (the log-mel
// mean-pooled over frames, dim 80). Reports the real-time factor (target
// >= 1000x), the p99 of the pipeline's own pipeline.push timer (target
// < 100 us), allocations per chunk in steady state (target 0; counted by
// replacing malloc and operator new in this program) and the per-stage
// breakdown from the pipeline's registry (printed as a table).
//   build/tests/bench/bench_pipeline [--benchmark_filter=warm]
// cold: a fresh pipeline and cache per pass (every window is encoded);
// warm: one pipeline, the clip again and again (cache hits where the VAD
// cuts the copy as before).
#include <benchmark/benchmark.h>

#include <core/core.h>
#include <core/pipeline.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

// ---- allocation counting -----------------------------------------------------
static std::atomic<long> g_allocs{0};
extern "C" void *__libc_malloc(size_t);
extern "C" void *__libc_calloc(size_t, size_t);
extern "C" void *__libc_realloc(void *, size_t);
extern "C" void *malloc(size_t n) {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(n);
}
extern "C" void *calloc(size_t a, size_t b) {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  return __libc_calloc(a, b);
}
extern "C" void *realloc(void *p, size_t n) {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  return __libc_realloc(p, n);
}
void *operator new(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) throw std::bad_alloc();
  return p;
}
// new and delete both go through malloc/free here, which g++ cannot see.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void *p) noexcept { free(p); }
void operator delete(void *p, size_t) noexcept { free(p); }

namespace {

core_status encode(const float *f, size_t batch, size_t n_mels, size_t n_frames, float *out,
                   size_t dim, void *) {
  for (size_t b = 0; b < batch; ++b)
    for (size_t m = 0; m < dim; ++m) {
      float s = 0;
      const float *row = f + (b * n_mels + m) * n_frames;
      for (size_t t = 0; t < n_frames; ++t) s += row[t];
      out[b * dim + m] = s / static_cast<float>(n_frames);
    }
  return CORE_OK;
}

const std::vector<float> &clip() {
  static std::vector<float> x = [] {
    const char *env = std::getenv("LIBCORE_TESTDATA");
    std::string path = std::string(env ? env : CORE_SOURCE_ROOT "/../shared/testdata") +
                       "/jfk_16k.wav";
    size_t n = 0;
    std::vector<float> v;
    if (core_audio_read(path.c_str(), 16000, nullptr, 0, &n) != CORE_E_BUFFER_TOO_SMALL &&
        n == 0)
      return v;
    v.resize(n);
    if (core_audio_read(path.c_str(), 16000, v.data(), n, &n) != CORE_OK) v.clear();
    return v;
  }();
  return x;
}

core_pipeline_t *make() {
  core_pipeline_options_t o;
  if (core_pipeline_options_init(&o) != CORE_OK) std::abort();
  o.dim = o.logmel.n_mels;
  o.encoder = encode;
  core_pipeline_t *p = nullptr;
  if (core_pipeline_create(&o, &p) != CORE_OK) std::abort();
  return p;
}

size_t pass(core_pipeline_t *p, const std::vector<float> &x) {
  core_event_t e;
  size_t events = 0;
  for (size_t i = 0; i < x.size(); i += 320) {
    const size_t k = x.size() - i < 320 ? x.size() - i : 320;
    if (core_pipeline_push_f32(p, x.data() + i, k) != CORE_OK) std::abort();
    while (core_pipeline_next_event(p, &e) == CORE_OK) ++events;
  }
  return events;
}

void report(benchmark::State &state, const char *name, core_pipeline_t *p, double seconds_audio, long allocs,
            size_t chunks) {
  core_metrics_t *m = core_pipeline_metrics(p);
  core_metric_id_t id;
  uint64_t p99 = 0;
  if (core_metrics_find(m, "pipeline.push", &id, nullptr) == CORE_OK &&
      core_metrics_percentile(m, id, 0.99, &p99) == CORE_OK)
    state.counters["push_p99_us"] = static_cast<double>(p99) / 1e3;
  state.counters["rtf_x"] =
      benchmark::Counter(seconds_audio * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);  // audio seconds per second
  state.counters["allocs_per_chunk"] = chunks ? static_cast<double>(allocs) / chunks : 0;
  core_pipeline_stats_t st;
  if (core_pipeline_stats(p, &st) == CORE_OK) state.counters["hit_rate"] = st.cache_hit_rate;
  size_t need = 0;
  if (core_metrics_export(m, CORE_METRICS_TABLE, 0, nullptr, 0, &need) !=
      CORE_E_BUFFER_TOO_SMALL)
    return;
  std::vector<char> buf(need);
  if (core_metrics_export(m, CORE_METRICS_TABLE, 0, buf.data(), buf.size(), &need) == CORE_OK)
    std::printf("\n%s: per-stage breakdown (pipeline registry)\n%s\n", name,
                buf.data());
}

void BM_pipeline_jfk_warm(benchmark::State &state) {
  const std::vector<float> &x = clip();
  if (x.empty()) {
    state.SkipWithError("jfk_16k.wav not found (set LIBCORE_TESTDATA)");
    return;
  }
  core_pipeline_t *p = make();
  pass(p, x);  // warm the cache and the buffers
  pass(p, x);
  const size_t chunks = (x.size() + 319) / 320;
  long allocs = 0;
  size_t passes = 0;
  for (auto _ : state) {
    const long a0 = g_allocs.load();
    benchmark::DoNotOptimize(pass(p, x));
    allocs += g_allocs.load() - a0;
    ++passes;
  }
  report(state, "warm", p, static_cast<double>(x.size()) / 16000.0, allocs, passes * chunks);
  core_pipeline_destroy(p);
}
BENCHMARK(BM_pipeline_jfk_warm)->Unit(benchmark::kMillisecond);

void BM_pipeline_jfk_cold(benchmark::State &state) {
  const std::vector<float> &x = clip();
  if (x.empty()) {
    state.SkipWithError("jfk_16k.wav not found (set LIBCORE_TESTDATA)");
    return;
  }
  core_pipeline_t *p = nullptr;
  for (auto _ : state) {
    state.PauseTiming();
    core_pipeline_destroy(p);
    p = make();
    state.ResumeTiming();
    benchmark::DoNotOptimize(pass(p, x));
    if (core_pipeline_flush(p) != CORE_OK) std::abort();
    core_event_t e;
    while (core_pipeline_next_event(p, &e) == CORE_OK) {
    }
  }
  report(state, "cold", p, static_cast<double>(x.size()) / 16000.0, 0, 0);
  core_pipeline_destroy(p);
}
BENCHMARK(BM_pipeline_jfk_cold)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
