// libFuzzer target: the voice activity detector (audio.h, core_vad_*) on
// hostile samples and arbitrary chunkings.
//
// Input: the first bytes choose the options (sample rate, frame size,
// thresholds, durations: mostly valid values, some out of range); then
// pairs of bytes describe the signal as blocks (a kind and a length:
// silence, -0.0, noise of some level, speech-like bursts, tones, DC,
// Nyquist, clicks, NaN, +-Inf, huge values near FLT_MAX, denormals), up to
// 6 s; the remaining bytes cut it into chunks (0 to ~4000 samples each).
//
// Checked against include/core/audio.h:
//  - core_vad_create accepts exactly the options the header allows
//    (CORE_E_INVALID_ARGUMENT otherwise, and core_vad_segments agrees);
//  - every call returns its documented status (push after flush:
//    CORE_E_INVALID_ARGUMENT; next_segment with nothing ready: CORE_E_EMPTY);
//  - segments are well formed: start < end <= the samples pushed, in
//    order, never overlapping;
//  - an open segment's start (core_vad_open_segment) is the start its
//    final segment gets, and lies after every segment already finished;
//  - chunk-size independence: the segments of the input's chunking (read
//    as they come) equal those of a second chunking (one push, or PRNG
//    sizes) pushed into the same detector after core_vad_reset, and
//    equal core_vad_segments on the whole signal (whose
//    CORE_E_BUFFER_TOO_SMALL gives the count, writing nothing).
// Non-finite samples are allowed input (convention 3: such frames are
// non-speech), so every check applies to them too.
//
// FUZZ_WRITE_SEEDS=DIR: write a few hand-made inputs to DIR and exit.
// FUZZ_TRACE=1: print the options, the chunk sizes and the segments.
#define FUZZ_NAME "fuzz_vad"
#include "fuzz_common.h"

#include <core/audio.h>

#include <cmath>
#include <limits>

namespace {

const uint32_t kRates[] = {16000, 16000, 8000, 11025, 22050, 32000, 44100, 48000, 96000,
                           192000, 7999, 192001, 12345};
const uint32_t kFrameMs[] = {30, 20, 10, 30, 25, 0};
const float kThresholds[] = {0.5f, 0.3f, 0.7f, 0.01f, 0.005f, 0.99f, 0.0f, 1.0f, -0.1f,
                             std::numeric_limits<float>::quiet_NaN()};
const float kNeg[] = {0.0f, 0.0f, 0.1f, 0.35f, 0.004f, 0.6f, -0.1f,
                      std::numeric_limits<float>::quiet_NaN()};
const uint32_t kMinSpeech[] = {250, 0, 30, 100, 400, 1000};
const uint32_t kMinSilence[] = {100, 0, 10, 30, 300, 2000};
const uint32_t kPad[] = {30, 0, 5, 15, 100, 400};
const uint32_t kMaxSpeech[] = {0, 0, 0, 500, 1000, 3000, 50, 1};

struct Config {
  core_vad_options_t o;
  bool valid;
};

// The header's rules for core_vad_create, written independently.
bool valid_options(const core_vad_options_t &o) {
  if (o.sample_rate < 8000 || o.sample_rate > 192000) return false;
  if (o.frame_ms != 10 && o.frame_ms != 20 && o.frame_ms != 30) return false;
  if (uint64_t(o.sample_rate) * o.frame_ms % 1000 != 0) return false;
  if (!(o.threshold > 0.0f && o.threshold < 1.0f)) return false;
  if (!(o.neg_threshold == 0.0f || (o.neg_threshold >= 0.0f && o.neg_threshold < o.threshold)))
    return false;
  const uint64_t least =
      uint64_t(o.min_speech_ms) + 2ull * o.speech_pad_ms + 2ull * o.frame_ms;
  if (o.max_speech_ms != 0 && o.max_speech_ms < least) return false;
  return true;
}

Config read_config(Reader &in) {
  Config c;
  const uint8_t b0 = in.u8(), b1 = in.u8(), b2 = in.u8();
  CHECK_OK(core_vad_options_preset(&c.o, b0 % 3));
  if (b0 & 0x80) {  // custom fields on top of the preset
    c.o.sample_rate = kRates[b1 % (sizeof kRates / sizeof kRates[0])];
    c.o.frame_ms = kFrameMs[(b1 >> 4) % 6];
    c.o.threshold = kThresholds[b2 % 10];
    c.o.neg_threshold = kNeg[(b2 >> 4) % 8];
    const uint8_t b3 = in.u8(), b4 = in.u8();
    c.o.min_speech_ms = kMinSpeech[b3 % 6];
    c.o.min_silence_ms = kMinSilence[(b3 >> 3) % 6];
    c.o.speech_pad_ms = kPad[b4 % 6];
    c.o.max_speech_ms = kMaxSpeech[(b4 >> 3) % 8];
    if (c.o.max_speech_ms == 1) {  // just at the lower limit
      c.o.max_speech_ms = c.o.min_speech_ms + 2 * c.o.speech_pad_ms + 2 * c.o.frame_ms;
    }
  } else {
    c.o.sample_rate = (b1 & 1) ? 8000 : 16000;
    c.o.frame_ms = kFrameMs[(b1 >> 1) % 3];
  }
  c.valid = valid_options(c.o);
  return c;
}

// The signal: blocks of (kind, length) from the input, values from a PRNG.
std::vector<float> make_signal(Reader &in, uint32_t rate, Rng &rng) {
  std::vector<float> x;
  // 6 s, and at most 96000 samples (0.5 s at 192 kHz): a run stays fast.
  const size_t limit = std::min<size_t>(size_t(rate) * 6, 96000);
  const size_t nblocks = 1 + in.u8() % 12;
  for (size_t b = 0; b < nblocks && x.size() < limit; ++b) {
    const uint8_t kind = in.u8(), lb = in.u8();
    size_t len = (size_t(lb & 0x3f) + 1) * rate / 100;  // 10 ms .. 640 ms
    if (lb & 0x40) len = lb & 0x3f;                     // a few samples
    if (lb & 0x80) len *= 4;
    len = std::min(len, limit - x.size());
    const float level = std::pow(10.0f, -float(kind >> 4) / 4.0f);  // 1 .. 1.8e-4
    const double f0 = 80.0 + 60.0 * (kind >> 4);
    for (size_t i = 0; i < len; ++i) {
      const double t = double(x.size()) / rate;
      float v;
      switch (kind % 16) {
        case 0: v = 0.0f; break;
        case 1: v = -0.0f; break;
        case 2: v = 1e-3f * rng.unit(); break;
        case 3: v = level * rng.unit(); break;
        case 4:
        case 5: {  // speech-like: a harmonic buzz in syllables
          const double env = std::max(0.0, std::sin(2 * M_PI * 4.0 * t));
          double s = 0;
          for (int h = 1; h <= 8; ++h) s += std::sin(2 * M_PI * f0 * h * t) / h;
          v = float(level * env * 0.3 * s) + 1e-4f * rng.unit();
          break;
        }
        case 6: v = float(level * std::sin(2 * M_PI * (200.0 + 100.0 * (kind >> 4)) * t)); break;
        case 7: v = level; break;                              // DC
        case 8: v = (x.size() & 1) ? level : -level; break;    // Nyquist
        case 9: v = (rng.next() % 997 == 0) ? 1.0f : 0.0f; break;  // clicks
        case 10: v = (rng.next() % 64 == 0) ? std::numeric_limits<float>::quiet_NaN()
                                            : level * rng.unit();
                 break;
        case 11: v = (rng.next() & 1) ? std::numeric_limits<float>::infinity()
                                      : -std::numeric_limits<float>::infinity();
                 break;
        case 12: v = (rng.next() % 32 == 0) ? -std::numeric_limits<float>::infinity()
                                            : 0.5f * rng.unit();
                 break;
        case 13: v = 3.0e38f * rng.unit(); break;  // powers overflow float
        case 14: v = 1e-40f * rng.unit(); break;   // denormals
        default: v = std::numeric_limits<float>::quiet_NaN(); break;
      }
      x.push_back(v);
    }
  }
  return x;
}

struct Run {
  std::vector<core_segment_t> segs;
  std::vector<uint64_t> open_starts;  // every start open_segment reported
};

bool trace = false;

void drain(core_vad_t *v, Run *r, uint64_t pushed) {
  for (;;) {
    core_segment_t s{12345, 12345};
    const core_status st = core_vad_next_segment(v, &s);
    if (st == CORE_E_EMPTY) break;
    EXPECT(st, CORE_OK);
    CHECK(s.start < s.end && s.end <= pushed);
    if (!r->segs.empty()) CHECK(r->segs.back().end <= s.start);
    // An open start seen earlier belongs to this segment or a later one.
    r->segs.push_back(s);
  }
  uint64_t start = 777;
  const core_status st = core_vad_open_segment(v, &start);
  if (st == CORE_OK) {
    CHECK(start <= pushed);
    if (!r->segs.empty()) CHECK(start >= r->segs.back().end);
    if (r->open_starts.empty() || r->open_starts.back() != start) r->open_starts.push_back(start);
  } else {
    EXPECT(st, CORE_E_EMPTY);
    CHECK(start == 777);
  }
}

// Pushes x cut at `cuts` (sizes, cycled; 0-sized pushes allowed), reading
// segments after a push when `read_as_you_go`.
Run run(core_vad_t *v, const std::vector<float> &x, const std::vector<size_t> &cuts,
        bool read_as_you_go) {
  Run r;
  size_t pos = 0, c = 0;
  while (pos < x.size()) {
    // After 2000 pushes the rest goes at once (zero-sized and one-sample
    // chunks must not make a run endless).
    size_t k = cuts.empty() || c >= 2000 ? x.size() : cuts[c % cuts.size()];
    ++c;
    k = std::min(k, x.size() - pos);
    EXPECT(core_vad_push(v, k ? x.data() + pos : nullptr, k), CORE_OK);
    pos += k;
    if (read_as_you_go) drain(v, &r, pos);
  }
  EXPECT(core_vad_flush(v), CORE_OK);
  EXPECT(core_vad_flush(v), CORE_OK);  // a second flush does nothing
  drain(v, &r, x.size());
  uint64_t start;
  EXPECT(core_vad_open_segment(v, &start), CORE_E_EMPTY);  // nothing open after flush
  const float one = 0.0f;
  EXPECT(core_vad_push(v, &one, 1), CORE_E_INVALID_ARGUMENT);  // push after flush
  core_segment_t s;
  EXPECT(core_vad_next_segment(v, &s), CORE_E_EMPTY);
  // Each open start reported is the start of a final segment.
  size_t j = 0;
  for (uint64_t os : r.open_starts) {
    while (j < r.segs.size() && r.segs[j].start != os) ++j;
    if (j == r.segs.size()) {
      std::fprintf(stderr, "open start %llu is no final segment's start\n",
                   (unsigned long long)os);
      CHECK(false);
    }
  }
  return r;
}

bool same_segments(const std::vector<core_segment_t> &a, const std::vector<core_segment_t> &b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].start != b[i].start || a[i].end != b[i].end) return false;
  return true;
}

void print_segments(const char *name, const std::vector<core_segment_t> &s) {
  std::fprintf(stderr, "%s:", name);
  for (const core_segment_t &x : s)
    std::fprintf(stderr, " [%llu, %llu)", (unsigned long long)x.start,
                 (unsigned long long)x.end);
  std::fprintf(stderr, "\n");
}

std::vector<std::vector<uint8_t>> seeds() {
  return {
      // default options, 16 kHz: silence, speech-like, silence; two chunkings
      {0x00, 0x00, 0x00, 3, 0x00, 0x31, 0x04, 0x3f, 0x02, 0x3f, 7, 0x40, 3},
      // custom: 8 kHz 10 ms, padding, NaN and Inf inside speech
      {0x80, 0x22, 0x00, 0x09, 0x04, 6, 0x02, 0x20, 0x14, 0x3f, 0x0a, 0x10, 0x15, 0x30,
       0x0b, 0x41, 0x02, 0x3f, 1, 2, 3},
      // TRANSCRIBE preset, 48 kHz, max speech, huge and denormal values
      {0x81, 0x07, 0x00, 0x00, 0x28, 7, 0x05, 0xbf, 0x0d, 0x08, 0x14, 0xbf, 0x0e, 0x20,
       0x02, 0x3f, 0x04, 0x3f, 0x00, 0x10, 4, 0, 9},
      // AGGRESSIVE, tones, DC, clicks, one-sample chunks at the start
      {0x02, 0x01, 0x00, 6, 0x06, 0x30, 0x17, 0x20, 0x09, 0x30, 0x08, 0x10, 0x24, 0x3f,
       0x00, 0x20, 1, 1, 1, 1, 0x40},
      // invalid options
      {0x80, 0x0a, 0x06, 0x00, 0x00, 1, 0x04, 0x10},
  };
}

}  // namespace

FUZZ_INITIALIZE_WITH_SEEDS(seeds)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 3) return 0;
  trace = std::getenv("FUZZ_TRACE") != nullptr;
  Reader in(data, size);
  Config cfg = read_config(in);
  if (trace)
    std::fprintf(stderr,
                 "rate %u frame %u thr %g neg %g min_speech %u min_silence %u pad %u max %u (%s)\n",
                 cfg.o.sample_rate, cfg.o.frame_ms, double(cfg.o.threshold),
                 double(cfg.o.neg_threshold), cfg.o.min_speech_ms, cfg.o.min_silence_ms,
                 cfg.o.speech_pad_ms, cfg.o.max_speech_ms, cfg.valid ? "valid" : "invalid");
  core_vad_t *v = nullptr;
  const core_status st = core_vad_create(&cfg.o, &v);
  if (!cfg.valid) {
    EXPECT(st, CORE_E_INVALID_ARGUMENT);
    CHECK(v == nullptr);
    size_t count = 99;
    const float x[1] = {0};
    EXPECT(core_vad_segments(x, 1, &cfg.o, nullptr, 0, &count), CORE_E_INVALID_ARGUMENT);
    CHECK(count == 99);
    return 0;
  }
  EXPECT(st, CORE_OK);
  Rng rng(size * 0x9e37 + data[size - 1]);
  const std::vector<float> x = make_signal(in, cfg.o.sample_rate, rng);

  // Chunking A from the remaining bytes (sizes 0 .. ~4000).
  std::vector<size_t> a;
  while (!in.empty() && a.size() < 256) {
    const uint8_t b = in.u8();
    a.push_back((b & 0x80) ? size_t(b & 0x7f) * 31 : b);
  }
  // Chunking B: one push, or PRNG sizes with runs of single samples.
  std::vector<size_t> bcuts;
  if (rng.next() & 1) {
    for (int i = 0; i < 64; ++i) {
      const uint64_t r = rng.next();
      bcuts.push_back((r & 3) == 0 ? 1 : size_t(r >> 8) % 4001);
    }
  }
  const Run ra = run(v, x, a, true);
  EXPECT(core_vad_reset(v), CORE_OK);
  const Run rb = run(v, x, bcuts, false);
  if (trace) {
    std::fprintf(stderr, "%zu samples, %zu chunks in A\n", x.size(), a.size());
    print_segments("A", ra.segs);
    print_segments("B", rb.segs);
  }
  if (!same_segments(ra.segs, rb.segs)) {
    print_segments("A (input's chunking)", ra.segs);
    print_segments("B (second chunking)", rb.segs);
    fuzz_fail(__LINE__, "two chunkings of one signal gave different segments", CORE_OK);
  }
  // Offline: the same segments, with the buffer-size protocol.
  size_t count = 12345;
  std::vector<core_segment_t> off(ra.segs.size() + 1, core_segment_t{7, 7});
  if (!ra.segs.empty()) {
    EXPECT(core_vad_segments(x.data(), x.size(), &cfg.o, off.data(), ra.segs.size() - 1, &count),
           CORE_E_BUFFER_TOO_SMALL);
    CHECK(count == ra.segs.size());
    CHECK(off[0].start == 7 && off[0].end == 7);  // nothing written
  }
  count = 12345;
  EXPECT(core_vad_segments(x.empty() ? nullptr : x.data(), x.size(), &cfg.o, off.data(),
                           off.size(), &count),
         CORE_OK);
  off.resize(count);
  if (!same_segments(ra.segs, off)) {
    print_segments("streaming", ra.segs);
    print_segments("core_vad_segments", off);
    fuzz_fail(__LINE__, "core_vad_segments differs from the streaming detector", CORE_OK);
  }
  core_vad_destroy(v);
  return 0;
}
