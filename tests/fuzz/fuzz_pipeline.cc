// libFuzzer target: the streaming pipeline (pipeline.h, core_pipeline_*)
// with arbitrary audio, chunkings and consumer behaviour.
//
// Input: the first bytes choose the options (8 or 16 kHz, windows of 50 to
// 250 ms, speech_only or the whole stream, log-mel and VAD variants, batch
// size and delay, dim, cache decimals) and the mode: an encoder callback
// (never failing, or failing batches that hold a chosen window) or raw
// mode (NEEDS_ENCODING + submit_embedding, submitted at once or later in
// another order); then the signal as blocks (silence, noise, speech-like
// bursts, tones, NaN / Inf / huge values in float mode, or int16 samples
// pushed partly through push_i16), up to 3 s; then chunk sizes and the
// injected clock's steps.
//
// Checked against include/core/pipeline.h:
//  - statuses: push after flush CORE_E_INVALID_ARGUMENT, a second flush
//    CORE_OK, submit_embedding of an id not waiting CORE_E_NOT_FOUND (also
//    twice), of a wrong dim CORE_E_INVALID_ARGUMENT, next_event after END
//    CORE_E_EMPTY;
//  - events well formed: kinds in range; WINDOW / ENCODER_ERROR ids 0, 1,
//    2, ... in order, each once; NEEDS_ENCODING once per id, before its
//    WINDOW, only in raw mode, and every WINDOW that missed the cache was
//    announced; windows are window samples long, start on the hop grid
//    (from 0, or from their segment's start) and lie inside the segment
//    between its SPEECH_START and SPEECH_END (or are the one window of a
//    segment shorter than a window); segments in order, not overlapping;
//    ENCODER_ERROR carries the encoder's status; END comes once, last, at
//    the number of samples analysed (all pushed, when nothing was
//    dropped);
//  - contents: features equal core_logmel_compute on the window's samples
//    bit for bit (WHISPER: each window normalized alone); an embedding is
//    the encoder's (or the submitted) one for that window, or on a cache
//    hit the one stored under the window's key (core_cache_key_audio with
//    cache_decimals); a window holding a NaN is never a hit;
//  - stats: chunks, samples, windows, segments, hits + misses = windows,
//    encoder calls and errors agree with the events;
//  - chunk-size independence (with a large ring, every push drained, an
//    encoder that does not fail): a second run of the same samples in other
//    chunks (one push, or PRNG sizes with single samples) gives the same
//    ordered events (kinds, ids, positions, features bit for bit, and
//    embeddings of windows that missed the cache in both runs).
// With a small OVERWRITE ring and a consumer that lags, drops are counted
// (stats and END position) and events stay well formed.
//
// FUZZ_WRITE_SEEDS=DIR: write a few hand-made inputs to DIR and exit.
// FUZZ_TRACE=1: print the options and every event.
#define FUZZ_NAME "fuzz_pipeline"
#include "fuzz_common.h"

#include <core/pipeline.h>

#include <cmath>
#include <limits>
#include <map>

namespace {

bool trace = false;

struct Params {
  core_pipeline_options_t o;
  bool raw = false;          // no encoder: NEEDS_ENCODING + submit
  bool fail = false;         // the encoder fails batches holding a marked window
  bool i16 = false;          // int16 samples (some pushes through push_i16)
  bool compare = true;       // second chunking, compared
  bool lag = false;          // the consumer drains only every few pushes
  uint8_t defer = 0;         // raw mode: how submissions are delayed
  size_t window = 0, hop = 0;
};

struct Ev {
  int kind;
  uint64_t id, start, end;
  std::vector<float> features, embedding;
  int hit;
  core_status status;
};

// The harness's encoder: an embedding from the features, the same for the
// same features; in fail mode a batch holding a window whose first
// feature's low bits are 0 fails with CORE_E_UNAVAILABLE.
struct Encoder {
  size_t calls = 0, errors = 0;
  bool fail = false;
};

void embed(const float *f, size_t nf, float *out, size_t dim) {
  for (size_t j = 0; j < dim; ++j) {
    float s = float(j);
    for (size_t k = j; k < nf; k += dim) s += std::isnan(f[k]) ? 1.0f : f[k] * 0.001f;
    out[j] = s;
  }
}

bool marked(const float *f) {
  uint32_t b;
  std::memcpy(&b, f, 4);
  return (b & 3) == 0;
}

core_status encoder_cb(const float *features, size_t batch, size_t n_mels, size_t n_frames,
                       float *out, size_t dim, void *user) {
  Encoder &e = *static_cast<Encoder *>(user);
  ++e.calls;
  CHECK(batch >= 1 && n_mels >= 1 && n_frames >= 1 && dim >= 1);
  const size_t nf = n_mels * n_frames;
  if (e.fail)
    for (size_t i = 0; i < batch; ++i)
      if (marked(features + i * nf)) {
        ++e.errors;
        return CORE_E_UNAVAILABLE;
      }
  for (size_t i = 0; i < batch; ++i) embed(features + i * nf, nf, out + i * dim, dim);
  return CORE_OK;
}

struct Clock {
  uint64_t ns = 1000000000ull;
};
uint64_t clock_fn(void *user) { return static_cast<Clock *>(user)->ns; }

// ---- one run -------------------------------------------------------------------------

struct Run {
  std::vector<Ev> events;  // ordered events (not NEEDS_ENCODING)
  uint64_t pushed = 0, chunks = 0;
  core_pipeline_stats_t stats{};
};

struct Runner {
  const Params &p;
  const std::vector<float> &x;
  const std::vector<int16_t> &pcm;
  core_pipeline_t *pl = nullptr;
  Encoder enc;
  Clock clock;
  Run r;
  std::vector<uint64_t> pending;  // raw mode: announced, not submitted
  std::map<uint64_t, std::vector<float>> announced;  // id -> features (raw mode)
  std::map<uint64_t, bool> seen_announce;
  uint64_t next_id = 0, submissions = 0;
  Rng rng;
  bool end = false;
  // Segment tracking (speech_only).
  bool in_seg = false;
  uint64_t seg_start = 0, last_seg_end = 0;
  std::vector<Ev> seg_windows;

  Runner(const Params &pp, const std::vector<float> &xx, const std::vector<int16_t> &pp16,
         uint64_t seed)
      : p(pp), x(xx), pcm(pp16), rng(seed) {}

  void create() {
    core_pipeline_options_t o = p.o;
    o.encoder = p.raw ? nullptr : encoder_cb;
    o.encoder_user = &enc;
    o.batch.clock = clock_fn;
    o.batch.clock_user = &clock;
    enc.fail = p.fail;
    CHECK_OK(core_pipeline_create(&o, &pl));
  }

  void submit(uint64_t id) {
    const auto it = announced.find(id);
    CHECK(it != announced.end());
    std::vector<float> e(p.o.dim);
    embed(it->second.data(), it->second.size(), e.data(), p.o.dim);
    if (rng.next() % 16 == 0) {  // a wrong dim first: refused, nothing changes
      std::vector<float> w(p.o.dim + 1);
      EXPECT(core_pipeline_submit_embedding(pl, id, w.data(), p.o.dim + 1),
             CORE_E_INVALID_ARGUMENT);
    }
    CHECK_OK(core_pipeline_submit_embedding(pl, id, e.data(), p.o.dim));
    ++submissions;
    if (rng.next() % 8 == 0)  // twice: no longer waiting
      EXPECT(core_pipeline_submit_embedding(pl, id, e.data(), p.o.dim), CORE_E_NOT_FOUND);
    announced.erase(it);
  }

  void submit_pending(bool all) {
    while (!pending.empty()) {
      size_t k = 0;
      if (p.defer & 2) k = size_t(rng.next() % pending.size());  // another order
      const uint64_t id = pending[k];
      pending.erase(pending.begin() + long(k));
      submit(id);
      if (!all && (rng.next() & 1)) break;
    }
  }

  void check_window(const Ev &e) {
    CHECK(e.end - e.start == p.window);
    if (!p.o.speech_only) CHECK(e.start % p.hop == 0);
  }

  void on_event(const core_event_t &ev) {
    CHECK(!end);
    CHECK(ev.kind >= CORE_EVENT_SPEECH_START && ev.kind <= CORE_EVENT_END);
    if (trace)
      std::fprintf(stderr, "  event %d id %llu [%llu, %llu) hit %d status %d\n", ev.kind,
                   (unsigned long long)ev.window_id, (unsigned long long)ev.start,
                   (unsigned long long)ev.end, ev.cache_hit, int(ev.status));
    if (ev.kind == CORE_EVENT_NEEDS_ENCODING) {
      CHECK(p.raw);
      CHECK(!seen_announce[ev.window_id]);
      seen_announce[ev.window_id] = true;
      CHECK(ev.window_id >= next_id);  // before its WINDOW
      CHECK(ev.features != nullptr && ev.end - ev.start == p.window);
      announced[ev.window_id].assign(ev.features, ev.features + ev.n_mels * ev.n_frames);
      if (p.defer & 1) pending.push_back(ev.window_id);
      else submit(ev.window_id);
      return;
    }
    Ev e;
    e.kind = ev.kind;
    e.id = ev.window_id;
    e.start = ev.start;
    e.end = ev.end;
    e.hit = ev.cache_hit;
    e.status = ev.status;
    if (ev.kind == CORE_EVENT_WINDOW || ev.kind == CORE_EVENT_ENCODER_ERROR) {
      CHECK(ev.window_id == next_id);  // in id order, each once
      ++next_id;
      CHECK(ev.features != nullptr && ev.n_mels == p.o.logmel.n_mels && ev.n_frames >= 1);
      e.features.assign(ev.features, ev.features + ev.n_mels * ev.n_frames);
      check_window(e);
      if (ev.kind == CORE_EVENT_WINDOW) {
        CHECK(ev.embedding != nullptr && ev.dim == p.o.dim);
        CHECK(ev.cache_hit == 0 || ev.cache_hit == 1);
        e.embedding.assign(ev.embedding, ev.embedding + ev.dim);
        if (p.raw && !ev.cache_hit) CHECK(seen_announce[ev.window_id]);
      } else {
        CHECK(!p.raw && p.fail && ev.status == CORE_E_UNAVAILABLE);
      }
      if (p.o.speech_only) {
        CHECK(in_seg);
        CHECK(e.start >= seg_start && (e.start - seg_start) % p.hop == 0);
        seg_windows.push_back(e);
      }
    } else if (ev.kind == CORE_EVENT_SPEECH_START) {
      CHECK(p.o.speech_only && !in_seg);
      CHECK(ev.start >= last_seg_end);
      in_seg = true;
      seg_start = ev.start;
      seg_windows.clear();
    } else if (ev.kind == CORE_EVENT_SPEECH_END) {
      CHECK(p.o.speech_only && in_seg);
      CHECK(ev.start == seg_start && ev.end > ev.start);
      for (const Ev &w : seg_windows) {
        // Inside the segment, or the one window of a short segment.
        const bool short_one = seg_windows.size() == 1 && ev.end - ev.start < p.window &&
                               w.start == ev.start;
        CHECK(w.end <= ev.end || short_one);
      }
      in_seg = false;
      last_seg_end = ev.end;
    } else {  // END
      CHECK(!in_seg && pending.empty() && announced.empty());
      end = true;
    }
    r.events.push_back(std::move(e));
  }

  // next_event until CORE_E_EMPTY (submitting as the mode says).
  void drain(bool finish) {
    for (int guard = 0; guard < 200000; ++guard) {
      core_event_t ev;
      const core_status st = core_pipeline_next_event(pl, &ev);
      if (st == CORE_E_EMPTY) {
        if (!pending.empty()) {
          submit_pending(finish || p.compare);
          continue;
        }
        return;
      }
      EXPECT(st, CORE_OK);
      on_event(ev);
      if (end) {
        core_event_t after;
        EXPECT(core_pipeline_next_event(pl, &after), CORE_E_EMPTY);
        return;
      }
      if (!pending.empty() && (rng.next() % 4 == 0)) submit_pending(false);
    }
    fuzz_fail(__LINE__, "next_event never ran dry", CORE_OK);
  }

  void push(size_t pos, size_t k, bool as_i16) {
    // REJECT refuses a chunk larger than the ring for good: such chunks
    // go in ring-sized pieces.
    const size_t ring = size_t(p.o.ring_ms) * p.o.sample_rate / 1000;
    if (p.o.ring_policy == CORE_RING_REJECT && k > ring) {
      for (size_t done = 0; done < k; done += ring) push(pos + done, std::min(ring, k - done), as_i16);
      return;
    }
    core_status st;
    for (int tries = 0;; ++tries) {
      st = as_i16 ? core_pipeline_push_i16(pl, k ? pcm.data() + pos : nullptr, k)
                  : core_pipeline_push_f32(pl, k ? x.data() + pos : nullptr, k);
      if (st != CORE_E_FULL) break;
      CHECK(p.o.ring_policy == CORE_RING_REJECT && tries < 1000);
      drain(false);  // REJECT: make room, then retry
      if (tries > 2) submit_pending(true);
    }
    EXPECT(st, CORE_OK);
    ++r.chunks;
    r.pushed += k;
  }

  void run(const std::vector<size_t> &cuts, const std::vector<uint8_t> &steps, bool use_i16) {
    create();
    size_t pos = 0, c = 0;
    while (pos < x.size()) {
      const size_t k =
          std::min(cuts.empty() || c >= 1000 ? x.size() : cuts[c % cuts.size()], x.size() - pos);
      const bool as_i16 = use_i16 && (c & 1);
      push(pos, k, as_i16);
      pos += k;
      if (!steps.empty()) clock.ns += uint64_t(steps[c % steps.size()]) * 1000000ull;
      if (!p.lag || c % 5 == 4) drain(false);
      ++c;
    }
    CHECK_OK(core_pipeline_flush(pl));
    CHECK_OK(core_pipeline_flush(pl));  // a second flush does nothing
    const float one = 0.0f;
    EXPECT(core_pipeline_push_f32(pl, &one, 1), CORE_E_INVALID_ARGUMENT);
    drain(true);
    CHECK(end);
    CHECK_OK(core_pipeline_stats(pl, &r.stats));
    // Stats against the events.
    uint64_t windows = 0, errors = 0, segments = 0;
    for (const Ev &e : r.events) {
      windows += e.kind == CORE_EVENT_WINDOW || e.kind == CORE_EVENT_ENCODER_ERROR;
      errors += e.kind == CORE_EVENT_ENCODER_ERROR;
      segments += e.kind == CORE_EVENT_SPEECH_END;
    }
    const core_pipeline_stats_t &s = r.stats;
    CHECK(s.chunks == r.chunks && s.samples == r.pushed && s.samples == x.size());
    CHECK(s.windows == windows && s.segments == segments);
    CHECK(s.cache_hits + s.cache_misses == windows);
    CHECK(s.encoder_calls == enc.calls && s.encoder_errors == enc.errors);
    if (p.raw) CHECK(s.encoder_calls == 0 && s.cache_misses == submissions);
    if (errors) CHECK(enc.errors > 0);
    // END at the samples analysed: all of them, less what the ring dropped.
    CHECK(r.events.back().kind == CORE_EVENT_END);
    CHECK(r.events.back().start == x.size() - s.dropped_samples);
    if (!p.lag) CHECK(s.dropped_samples == 0);
    std::vector<float> e(p.o.dim, 1.0f);
    EXPECT(core_pipeline_submit_embedding(pl, next_id + 5, e.data(), p.o.dim), CORE_E_NOT_FOUND);
    EXPECT(core_pipeline_submit_embedding(pl, 0, e.data(), p.o.dim), CORE_E_NOT_FOUND);
    // The registry exports (size protocol).
    core_metrics_t *m = core_pipeline_metrics(pl);
    CHECK(m != nullptr);
    size_t need = 0;
    EXPECT(core_metrics_export(m, CORE_METRICS_PROMETHEUS, 0, nullptr, 0, &need),
           CORE_E_BUFFER_TOO_SMALL);
    std::vector<char> buf(need);
    CHECK_OK(core_metrics_export(m, CORE_METRICS_PROMETHEUS, 0, buf.data(), need, &need));
    core_pipeline_destroy(pl);
    pl = nullptr;
  }
};

// ---- the signal ------------------------------------------------------------------------

void make_signal(Reader &in, const Params &p, Rng &rng, std::vector<float> *x,
                 std::vector<int16_t> *pcm) {
  const uint32_t rate = p.o.sample_rate;
  const size_t limit = size_t(rate) * 3;
  const size_t nblocks = 1 + in.u8() % 10;
  for (size_t b = 0; b < nblocks && x->size() < limit; ++b) {
    const uint8_t kind = in.u8(), lb = in.u8();
    size_t len = (size_t(lb & 0x7f) + 1) * rate / 100;  // 10 ms .. 1.28 s
    if (lb & 0x80) len = lb & 0x7f;
    len = std::min(len, limit - x->size());
    const float level = std::pow(10.0f, -float(kind >> 4) / 5.0f);
    const double f0 = 100.0 + 40.0 * (kind >> 4);
    for (size_t i = 0; i < len; ++i) {
      const double t = double(x->size()) / rate;
      float v;
      switch (kind % 12) {
        case 0: v = 0.0f; break;
        case 1: v = 1e-3f * rng.unit(); break;
        case 2: case 3: case 4: {  // speech-like bursts
          const double env = std::max(0.0, std::sin(2 * M_PI * 3.0 * t));
          double s = 0;
          for (int h = 1; h <= 6; ++h) s += std::sin(2 * M_PI * f0 * h * t) / h;
          v = float(level * env * 0.4 * s) + 2e-4f * rng.unit();
          break;
        }
        case 5: v = level * 0.5f * rng.unit(); break;
        case 6: v = float(level * 0.5 * std::sin(2 * M_PI * 440.0 * t)); break;
        case 7: v = (rng.next() % 50 == 0) ? std::numeric_limits<float>::quiet_NaN()
                                          : level * rng.unit();
                break;
        case 8: v = (rng.next() & 1) ? INFINITY : -INFINITY; break;
        case 9: v = 3e38f * rng.unit(); break;
        case 10: v = 1e-40f * rng.unit(); break;
        default: v = 0.25f; break;  // repeated windows: cache hits
      }
      if (p.i16) {
        if (!std::isfinite(v)) v = 0.0f;
        const float c = std::max(-1.0f, std::min(v, 32767.0f / 32768.0f));
        const int16_t q = int16_t(std::lrint(c * 32768.0f));
        pcm->push_back(q);
        v = float(q) / 32768.0f;
      }
      x->push_back(v);
    }
  }
}

// ---- comparisons ----------------------------------------------------------------------------

bool same(float a, float b) { return same_bits(a, b) || (std::isnan(a) && std::isnan(b)); }

void compare_runs(const Run &a, const Run &b) {
  if (a.events.size() != b.events.size()) {
    std::fprintf(stderr, "%zu events vs %zu\n", a.events.size(), b.events.size());
    fuzz_fail(__LINE__, "two chunkings gave different event counts", CORE_OK);
  }
  for (size_t i = 0; i < a.events.size(); ++i) {
    const Ev &x = a.events[i], &y = b.events[i];
    if (x.kind != y.kind || x.id != y.id || x.start != y.start || x.end != y.end) {
      std::fprintf(stderr, "event %zu: kind %d id %llu [%llu, %llu) vs kind %d id %llu [%llu, %llu)\n",
                   i, x.kind, (unsigned long long)x.id, (unsigned long long)x.start,
                   (unsigned long long)x.end, y.kind, (unsigned long long)y.id,
                   (unsigned long long)y.start, (unsigned long long)y.end);
      fuzz_fail(__LINE__, "two chunkings gave different events", CORE_OK);
    }
    CHECK(x.features.size() == y.features.size());
    for (size_t k = 0; k < x.features.size(); ++k)
      if (!same(x.features[k], y.features[k]))
        fuzz_fail(__LINE__, "two chunkings gave different features", CORE_OK);
    if (x.kind == CORE_EVENT_WINDOW && !x.hit && !y.hit)
      for (size_t k = 0; k < x.embedding.size(); ++k)
        CHECK(same(x.embedding[k], y.embedding[k]));
  }
}

// Features against core_logmel_compute on the window's samples, and
// embeddings against the encoder or the cache's key (first 12 windows).
void check_contents(const Params &p, const std::vector<float> &x, const Run &r) {
  core_logmel_options_t lo = p.o.logmel;
  lo.sample_rate = p.o.sample_rate;
  core_logmel_t *lm = nullptr;
  CHECK_OK(core_logmel_create(&lo, &lm));
  // Every embedding stored under a key (a hit returns one of them: which
  // one depends on the order the embeddings arrived in).
  std::map<std::pair<uint64_t, uint64_t>, std::vector<std::vector<float>>> by_key;
  size_t checked = 0;
  std::vector<float> out;
  for (const Ev &e : r.events) {
    if (e.kind != CORE_EVENT_WINDOW && e.kind != CORE_EVENT_ENCODER_ERROR) continue;
    if (r.stats.dropped_samples) break;  // positions no longer index x
    const float *w = x.data() + e.start;
    core_key_t key;
    const bool keyed = core_cache_key_audio(w, p.window, p.o.cache_decimals, &key) == CORE_OK;
    if (!keyed) CHECK(!e.hit);  // a window with a NaN has no key
    if (checked++ < 12) {
      size_t frames = 0;
      out.assign(e.features.size(), 0.0f);
      CHECK_OK(core_logmel_compute(lm, w, p.window, out.data(), out.size(), &frames));
      CHECK(frames * lo.n_mels == e.features.size());
      for (size_t k = 0; k < out.size(); ++k)
        if (!same(out[k], e.features[k])) {
          std::fprintf(stderr, "window %llu value %zu: %a vs offline %a\n",
                       (unsigned long long)e.id, k, double(e.features[k]), double(out[k]));
          fuzz_fail(__LINE__, "window features differ from core_logmel_compute", CORE_OK);
        }
    }
    if (e.kind != CORE_EVENT_WINDOW) continue;
    std::vector<float> want(p.o.dim);
    embed(e.features.data(), e.features.size(), want.data(), p.o.dim);
    if (e.hit) {
      // The value stored under the key: some earlier window's (the cache
      // is the pipeline's own, so nothing else wrote it).
      const auto it = by_key.find({key.lo, key.hi});
      CHECK(it != by_key.end());
      bool found = false;
      for (const std::vector<float> &c : it->second) {
        bool eq = c.size() == e.embedding.size();
        for (size_t k = 0; eq && k < c.size(); ++k) eq = same(c[k], e.embedding[k]);
        found = found || eq;
      }
      if (!found) fuzz_fail(__LINE__, "a cache hit's embedding was never stored", CORE_OK);
    } else {
      for (size_t k = 0; k < want.size(); ++k) CHECK(same(want[k], e.embedding[k]));
      if (keyed) by_key[{key.lo, key.hi}].push_back(e.embedding);
    }
  }
  core_logmel_destroy(lm);
}

// Seeds: 5 mode and option bytes, the block count, (kind, length) pairs,
// then (chunk, clock step) pairs.
std::vector<std::vector<uint8_t>> seeds() {
  return {
      // callback, 16 kHz: noise floor, speech, pause, quieter speech, noise
      {0x00, 0x00, 0x00, 0x00, 0x00, 5, 0x01, 0x3f, 0x02, 0x7f, 0x01, 0x3f, 0x12, 0x60, 0x01,
       0x40, 0x87, 3, 0x20, 9, 0x85, 1},
      // raw mode, submissions deferred and reordered, whole stream (no VAD)
      {0x07, 0x41, 0x01, 0x12, 0x00, 3, 0x05, 0x30, 0x0b, 0x30, 0x06, 0x20, 200, 13, 1, 0},
      // int16 pushes, failing encoder, 8 kHz, LOG10, batches of 1
      {0x0c, 0xa6, 0x02, 0x01, 0x00, 4, 0x01, 0x3f, 0x02, 0x7f, 0x01, 0x30, 0x03, 0x50, 0x81,
       50, 2, 7},
      // small OVERWRITE ring, lagging consumer: drops
      {0x10, 0x08, 0x03, 0x00, 0x00, 5, 0x01, 0x3f, 0x02, 0x40, 0x07, 0x20, 0x08, 0x05, 0x09,
       0x10, 0x90, 0, 0x90, 0},
      // repeated windows (cache hits), batches of 4
      {0x00, 0x41, 0x04, 0x03, 0x00, 2, 0x0b, 0x7f, 0x0b, 0x7f, 0x40, 0},
      // raw at once, 10 ms VAD frames, max_speech 1 s, NaN inside speech
      {0x01, 0x00, 0x10, 0x40, 0x10, 4, 0x01, 0x3f, 0x07, 0x60, 0x02, 0x7f, 0x01, 0x3f, 0x83,
       5},
      // small REJECT ring with a lagging consumer
      {0x10, 0x00, 0x00, 0x00, 0x40, 3, 0x01, 0x3f, 0x02, 0x7f, 0x01, 0x3f, 0xff, 1, 0xf0, 2},
  };
}

const uint32_t kWindowMs[] = {100, 200, 250, 50, 150};
const uint32_t kHopMs[] = {50, 100, 30, 250, 20};
const size_t kBatch[] = {8, 1, 2, 4};
const uint32_t kDelay[] = {50, 0, 10, 1000};
const size_t kDim[] = {4, 1, 8, 3};
const int kDecimals[] = {4, 0, 2, 10};

}  // namespace

FUZZ_INITIALIZE_WITH_SEEDS(seeds)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 4) return 0;
  trace = std::getenv("FUZZ_TRACE") != nullptr;
  Reader in(data, size);
  Params p;
  CHECK_OK(core_pipeline_options_init(&p.o));
  const uint8_t b0 = in.u8(), b1 = in.u8(), b2 = in.u8(), b3 = in.u8();
  // b0: mode bits
  p.raw = b0 & 1;
  p.defer = (b0 >> 1) & 3;
  p.i16 = b0 & 8;
  p.lag = b0 & 0x10;
  p.fail = !p.raw && (b0 & 4);
  p.compare = !p.fail && !p.lag;
  // b1: rates and windows
  p.o.sample_rate = (b1 & 0x20) ? 8000 : 16000;
  p.o.window_ms = kWindowMs[b1 % 5];
  p.o.hop_ms = kHopMs[(b1 >> 3) % 4];
  p.o.speech_only = (b1 & 0x40) ? 0 : 1;
  p.o.logmel.mode = (b1 & 0x80) ? CORE_LOGMEL_LOG10 : CORE_LOGMEL_WHISPER;
  // b2: log-mel and VAD
  static const uint32_t kFft[] = {400, 256, 200, 512};
  p.o.logmel.n_fft = kFft[b2 % 4];
  p.o.logmel.hop = (b2 & 4) ? 80 : 160;
  p.o.logmel.n_mels = (b2 & 8) ? 40 : 80;
  if (p.o.logmel.n_mels > p.o.logmel.n_fft / 2 + 1) p.o.logmel.n_mels = 40;
  static const uint32_t kFrameMs[] = {30, 10, 20, 30};
  p.o.vad.frame_ms = kFrameMs[(b2 >> 4) & 3];
  static const uint32_t kSilence[] = {100, 50, 300, 30};
  p.o.vad.min_silence_ms = kSilence[(b2 >> 6) & 3];
  // b3: batching, dim, decimals, VAD durations
  p.o.batch.max_batch = kBatch[b3 & 3];
  p.o.batch.max_delay_ms = kDelay[(b3 >> 2) & 3];
  p.o.dim = kDim[(b3 >> 4) & 3];
  p.o.cache_decimals = kDecimals[(b3 >> 6) & 3];
  const uint8_t b4 = in.u8();
  static const uint32_t kMinSpeech[] = {250, 0, 100, 60};
  static const uint32_t kPad[] = {30, 0, 100, 10};
  p.o.vad.min_speech_ms = kMinSpeech[b4 & 3];
  p.o.vad.speech_pad_ms = kPad[(b4 >> 2) & 3];
  if (b4 & 0x10) p.o.vad.max_speech_ms = 1000;
  if (b4 & 0x20) p.o.vad.threshold = 0.3f;
  if (p.lag) {  // a small ring that drops (OVERWRITE) or refuses (REJECT)
    p.o.ring_ms = 100;
    p.o.ring_policy = (b4 & 0x40) ? CORE_RING_REJECT : CORE_RING_OVERWRITE;
  }
  const uint64_t rate = p.o.sample_rate;
  p.window = p.o.window_ms * rate / 1000;
  p.hop = p.o.hop_ms * rate / 1000;
  if (p.window < p.o.logmel.n_fft) {  // create must refuse; nothing else to do
    core_pipeline_t *pl = nullptr;
    p.o.encoder = encoder_cb;
    EXPECT(core_pipeline_create(&p.o, &pl), CORE_E_INVALID_ARGUMENT);
    return 0;
  }
  if (trace)
    std::fprintf(stderr,
                 "rate %u window %zu hop %zu speech_only %d n_fft %u mels %u %s batch %zu "
                 "delay %u dim %zu raw %d defer %d i16 %d fail %d lag %d; vad frame %u "
                 "min_speech %u min_silence %u pad %u max %u thr %g\n",
                 p.o.sample_rate, p.window, p.hop, p.o.speech_only, p.o.logmel.n_fft,
                 p.o.logmel.n_mels, p.o.logmel.mode ? "LOG10" : "WHISPER", p.o.batch.max_batch,
                 p.o.batch.max_delay_ms, p.o.dim, p.raw, p.defer, p.i16, p.fail, p.lag,
                 p.o.vad.frame_ms, p.o.vad.min_speech_ms, p.o.vad.min_silence_ms,
                 p.o.vad.speech_pad_ms, p.o.vad.max_speech_ms, double(p.o.vad.threshold));

  Rng rng(size * 0x51 + b0 + (uint64_t(b3) << 8));
  std::vector<float> x;
  std::vector<int16_t> pcm;
  make_signal(in, p, rng, &x, &pcm);
  if (trace) std::fprintf(stderr, "%zu samples\n", x.size());
  std::vector<size_t> cuts;
  std::vector<uint8_t> steps;
  while (!in.empty() && cuts.size() < 256) {
    const uint8_t c = in.u8();
    cuts.push_back((c & 0x80) ? size_t(c & 0x7f) * 29 : c);
    steps.push_back(in.u8() % 64);
  }

  Runner a(p, x, pcm, rng.next());
  a.run(cuts, steps, p.i16);
  check_contents(p, x, a.r);
  if (!p.compare) return 0;
  std::vector<size_t> bcuts;
  if (rng.next() & 1)
    for (int i = 0; i < 64; ++i) {
      const uint64_t r = rng.next();
      bcuts.push_back((r & 3) == 0 ? 1 : size_t(r >> 8) % 3001);
    }
  Runner b(p, x, pcm, rng.next());
  b.run(bcuts, {}, false);
  compare_runs(a.r, b.r);
  return 0;
}
