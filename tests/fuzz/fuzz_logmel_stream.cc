// libFuzzer target: log-mel streams (audio.h, core_logmel_stream_*) under
// arbitrary chunkings against the offline core_logmel_compute.
//
// Input: the first bytes choose the options (sample rate, n_fft including
// odd and tiny sizes that take the KissFFT path, hop below and above
// n_fft, n_mels up to every bin, fmin/fmax, mode, window_frames; some
// combinations out of range), then the signal (length, level, a sprinkle
// of NaN, infinities or values near FLT_MAX), then the chunk sizes and
// read sizes of the first chunking.
//
// Checked against include/core/audio.h:
//  - create accepts exactly the options the header allows (both
//    core_logmel_create and core_logmel_stream_create, same status);
//  - latency, exactly: after every push, frames read + available equals
//    the frames the header says are ready (frame t once t * hop + n_fft -
//    n_fft / 2 and (t + 1) * hop samples and n_fft samples have arrived;
//    in WHISPER mode only whole windows of window_frames, none before
//    flush with window_frames 0); a read returns min(max_frames,
//    available); push after flush (even of 0 samples) is
//    CORE_E_INVALID_ARGUMENT;
//  - after flush the stream has n / hop frames (none under n_fft samples);
//  - LOG10: every frame equals the offline frame bit for bit; WHISPER with
//    window_frames 0 equals offline WHISPER bit for bit; WHISPER with
//    window_frames w: each window equals the offline LOG10 frames floored
//    at that window's maximum - 8, (x + 4) / 4, bit for bit (and offline
//    WHISPER is the same formula with the global maximum; NaN frames are
//    ignored by the maximum);
//  - non-finite samples (convention 3): a frame is NaN in every band or in
//    none, and every frame whose samples (reflected) hold a NaN or an
//    infinity is NaN;
//  - a second chunking (after core_logmel_stream_reset) gives the same
//    frames bit for bit.
//
// FUZZ_WRITE_SEEDS=DIR: write a few hand-made inputs to DIR and exit.
// FUZZ_TRACE=1: print the options and the chunking.
#define FUZZ_NAME "fuzz_logmel_stream"
#include "fuzz_common.h"

#include <core/audio.h>

#include <cmath>
#include <limits>

namespace {

const uint32_t kRates[] = {16000, 8000, 1000, 44100, 384000, 999, 384001};
const uint32_t kFft[] = {400, 2, 3, 4, 5, 8, 15, 16, 30, 64, 100, 256, 512, 1000, 1024, 2048,
                         1, 0};
const double kFmin[] = {0.0, 0.0, 20.0, 300.0, -1.0, std::numeric_limits<double>::quiet_NaN()};
const double kFmaxFrac[] = {0.0, 0.0, 0.5, 0.25, 0.01, 0.6};  // of sample_rate (0: default)
const uint32_t kWindowFrames[] = {0, 1, 2, 3, 7, 100, 3000};

bool valid_options(const core_logmel_options_t &o) {
  if (o.sample_rate < 1000 || o.sample_rate > 384000) return false;
  if (o.n_fft < 2 || o.n_fft > CORE_LOGMEL_MAX_FFT) return false;
  if (o.hop < 1) return false;
  if (o.n_mels < 1 || o.n_mels > o.n_fft / 2 + 1) return false;
  if (!std::isfinite(o.fmin) || o.fmin < 0) return false;
  if (!std::isfinite(o.fmax) || o.fmax < 0 || o.fmax > o.sample_rate / 2.0) return false;
  const double fmax = o.fmax == 0 ? o.sample_rate / 2.0 : o.fmax;
  if (!(o.fmin < fmax)) return false;
  return o.mode == CORE_LOGMEL_WHISPER || o.mode == CORE_LOGMEL_LOG10;
}

bool trace = false;

struct Stream {
  std::vector<float> frames;  // frame-major, as read
  size_t read = 0;            // frames read
};

// The frames the header says are ready after `total` samples (before flush).
size_t ready_frames(const core_logmel_options_t &o, uint64_t total) {
  if (total < o.n_fft) return 0;
  const uint64_t by_samples = (total - (o.n_fft - o.n_fft / 2)) / o.hop + 1;
  const uint64_t t = std::min<uint64_t>(by_samples, total / o.hop);
  if (o.mode == CORE_LOGMEL_LOG10) return size_t(t);
  if (o.window_frames == 0) return 0;
  return size_t(t / o.window_frames * o.window_frames);
}

void read_some(core_logmel_stream_t *s, const core_logmel_options_t &o, size_t max_frames,
               Stream *out) {
  size_t avail = 999;
  CHECK_OK(core_logmel_stream_available(s, &avail));
  // A buffer of max_frames frames (a large request is cut to a little more
  // than what is available, so the buffer stays small).
  max_frames = std::min(max_frames, avail + 2);
  std::vector<float> buf(max_frames * o.n_mels + 1, -5.0f);
  size_t got = 999;
  CHECK_OK(core_logmel_stream_read(s, max_frames ? buf.data() : nullptr, max_frames, &got));
  CHECK(got == std::min(max_frames, avail));
  CHECK(buf[got * o.n_mels] == -5.0f);  // nothing past the frames read
  out->frames.insert(out->frames.end(), buf.begin(), buf.begin() + got * o.n_mels);
  out->read += got;
  size_t after = 999;
  CHECK_OK(core_logmel_stream_available(s, &after));
  CHECK(after == avail - got);
}

Stream run(core_logmel_stream_t *s, const core_logmel_options_t &o, const std::vector<float> &x,
           const std::vector<size_t> &cuts, const std::vector<size_t> &reads) {
  Stream r;
  size_t pos = 0, c = 0;
  while (pos < x.size()) {
    // After 2000 pushes the rest goes at once (zero-sized chunks must not
    // make a run endless).
    const size_t k =
        std::min(cuts.empty() || c >= 2000 ? x.size() : cuts[c % cuts.size()], x.size() - pos);
    CHECK_OK(core_logmel_stream_push(s, k ? x.data() + pos : nullptr, k));
    pos += k;
    size_t avail = 0;
    CHECK_OK(core_logmel_stream_available(s, &avail));
    if (r.read + avail != ready_frames(o, pos)) {
      std::fprintf(stderr, "after %zu samples: %zu read + %zu available, header: %zu ready\n",
                   pos, r.read, avail, ready_frames(o, pos));
      CHECK(false);
    }
    if (!reads.empty()) read_some(s, o, reads[c % reads.size()], &r);
    ++c;
  }
  CHECK_OK(core_logmel_stream_flush(s));
  CHECK_OK(core_logmel_stream_flush(s));  // a second flush does nothing
  EXPECT(core_logmel_stream_push(s, x.data(), 0), CORE_E_INVALID_ARGUMENT);
  size_t avail = 0;
  CHECK_OK(core_logmel_stream_available(s, &avail));
  read_some(s, o, avail + 3, &r);
  CHECK_OK(core_logmel_stream_available(s, &avail));
  CHECK(avail == 0);
  return r;
}

// Offline frames (mel-major), or none under n_fft samples.
std::vector<float> offline(const core_logmel_options_t &o, const std::vector<float> &x,
                           size_t *frames) {
  core_logmel_t *lm = nullptr;
  CHECK_OK(core_logmel_create(&o, &lm));
  *frames = 0;
  std::vector<float> out;
  if (x.size() >= o.n_fft) {
    size_t need = 0;
    EXPECT(core_logmel_compute(lm, x.data(), x.size(), nullptr, 0, &need),
           CORE_E_BUFFER_TOO_SMALL);
    CHECK(need == x.size() / o.hop);
    out.assign(need * o.n_mels, -5.0f);
    CHECK_OK(core_logmel_compute(lm, x.data(), x.size(), out.data(), out.size(), frames));
    CHECK(*frames == need);
  } else {
    size_t f = 77;
    EXPECT(core_logmel_compute(lm, x.data(), x.size(), nullptr, 0, &f),
           CORE_E_INVALID_ARGUMENT);
    CHECK(f == 77);
  }
  core_logmel_destroy(lm);
  return out;
}

// Bit for bit, except that any NaN equals any NaN (payloads are not part
// of the promise).
bool same(float a, float b) { return same_bits(a, b) || (std::isnan(a) && std::isnan(b)); }

float whisper(float x, float floor) { return ((x < floor ? floor : x) + 4.0f) / 4.0f; }

[[noreturn]] void differ(const char *what, size_t t, size_t m, float got, float want) {
  std::fprintf(stderr, "%s: frame %zu band %zu: %a (%g), expected %a (%g)\n", what, t, m,
               double(got), double(got), double(want), double(want));
  fuzz_fail(__LINE__, what, CORE_OK);
}

std::vector<std::vector<uint8_t>> seeds() {
  return {
      // Whisper's defaults (16 kHz, 400/160/80, WHISPER, 3000) on 1 s, 3 chunks
      {0x00, 0x00, 0x00, 0x00, 0x00, 40, 0x08, 0, 100, 2, 0, 0x83, 1},
      // LOG10, n_fft 15 (KissFFT), hop 4, every band, NaN sprinkled
      {0x41, 0x06, 0x01, 0x11, 0x00, 3, 0x18, 0x41, 1, 7, 0, 33, 2},
      // WHISPER with 7-frame windows, n_fft 64 hop 80 (hop > n_fft)
      {0x02, 0x09, 0x04, 0x02, 0x40, 20, 0x03, 0x00, 5, 1, 9, 3, 200, 0},
      // 8 kHz, n_fft 1024, fmin 300, fmax rate/4, window_frames 0, huge values
      {0x81, 0x0e, 0x03, 0x00, 0x1b, 25, 0x3a, 0x22, 13, 0, 0x80, 4},
      // invalid: n_mels above the bins, NaN fmin
      {0x00, 0x02, 0x05, 0x7f, 0x05, 2, 0, 0},
  };
}

}  // namespace

FUZZ_INITIALIZE_WITH_SEEDS(seeds)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 5) return 0;
  trace = std::getenv("FUZZ_TRACE") != nullptr;
  Reader in(data, size);
  core_logmel_options_t o;
  CHECK_OK(core_logmel_options_init(&o));
  const uint8_t b0 = in.u8(), b1 = in.u8(), b2 = in.u8(), b3 = in.u8(), b4 = in.u8();
  o.sample_rate = (b0 & 0x80) ? kRates[(b0 >> 1) % 7] : 16000;
  o.mode = (b0 & 0x40) ? CORE_LOGMEL_LOG10 : CORE_LOGMEL_WHISPER;
  o.n_fft = kFft[b1 % (sizeof kFft / sizeof kFft[0])];
  const uint32_t nf = std::max<uint32_t>(o.n_fft, 1);
  switch (b2 % 8) {
    case 0: o.hop = std::max<uint32_t>(nf * 2 / 5, 1); break;  // Whisper's ratio
    case 1: o.hop = 1; break;
    case 2: o.hop = std::max<uint32_t>(nf / 2, 1); break;
    case 3: o.hop = nf; break;
    case 4: o.hop = nf + 16; break;
    case 5: o.hop = 1 + b2 / 8; break;
    case 6: o.hop = 0; break;
    default: o.hop = std::max<uint32_t>(nf / 4, 1); break;
  }
  const uint32_t bins = o.n_fft / 2 + 1;
  switch (b3 % 6) {
    case 0: o.n_mels = std::min<uint32_t>(80, bins); break;
    case 1: o.n_mels = bins; break;
    case 2: o.n_mels = 1; break;
    case 3: o.n_mels = 1 + b3 % std::max<uint32_t>(bins, 1); break;
    case 4: o.n_mels = bins + 1; break;
    default: o.n_mels = std::min<uint32_t>(128, bins); break;
  }
  o.fmin = kFmin[b4 % 6];
  o.fmax = kFmaxFrac[(b4 >> 3) % 6] * o.sample_rate;
  o.window_frames = kWindowFrames[(b4 >> 5) % 7];
  const bool valid = valid_options(o);
  if (trace)
    std::fprintf(stderr, "rate %u n_fft %u hop %u n_mels %u fmin %g fmax %g mode %d window %u (%s)\n",
                 o.sample_rate, o.n_fft, o.hop, o.n_mels, o.fmin, o.fmax, o.mode,
                 o.window_frames, valid ? "valid" : "invalid");
  core_logmel_stream_t *s = nullptr;
  const core_status st = core_logmel_stream_create(&o, &s);
  core_logmel_t *lm = nullptr;
  const core_status st2 = core_logmel_create(&o, &lm);
  CHECK(st == st2);
  core_logmel_destroy(lm);
  if (!valid) {
    EXPECT(st, CORE_E_INVALID_ARGUMENT);
    CHECK(s == nullptr);
    return 0;
  }
  EXPECT(st, CORE_OK);

  // The signal: at most ~400 frames and 16000 samples.
  const uint8_t lb = in.u8(), kind = in.u8();
  const size_t limit = std::min<size_t>(16000, size_t(o.hop) * 400 + o.n_fft);
  size_t n;
  switch (lb >> 6) {
    case 0: n = o.n_fft > 0 ? o.n_fft - 1 + (lb & 3) : lb; break;  // around n_fft
    case 1: n = size_t(lb & 63) * o.hop + o.n_fft; break;
    default: n = size_t(lb & 127) * 125; break;
  }
  n = std::min(n, limit);
  Rng rng(size * 131 + kind);
  std::vector<float> x(n);
  const float level = std::pow(10.0f, -float(kind & 7) / 2.0f);
  for (size_t i = 0; i < n; ++i) {
    x[i] = level * rng.unit();
    const uint64_t r = rng.next();
    if ((kind & 0x18) && r % 997 == 0) {
      switch ((kind >> 3) & 3) {
        case 1: x[i] = std::numeric_limits<float>::quiet_NaN(); break;
        case 2: x[i] = (r & 0x100) ? INFINITY : -INFINITY; break;
        default: x[i] = (r & 0x100) ? 3.4e38f : -3.4e38f; break;
      }
    }
    if ((kind & 0x20) && i < 64) x[i] = 0.0f;  // digital silence at the start
  }
  if (kind & 0x40) std::fill(x.begin(), x.end(), 0.0f);  // all silence: the 1e-10 floor

  std::vector<size_t> cuts, reads;
  while (!in.empty() && cuts.size() < 128) {
    const uint8_t c = in.u8();
    cuts.push_back((c & 0x80) ? size_t(c & 0x7f) * 37 : c);
    const uint8_t r = in.u8();
    reads.push_back(r & 0x80 ? 100000 : r % 5);
  }
  if (trace) std::fprintf(stderr, "%zu samples, %zu chunks\n", n, cuts.size());

  const Stream a = run(s, o, x, cuts, reads);
  CHECK_OK(core_logmel_stream_reset(s));
  std::vector<size_t> bcuts;
  if (rng.next() & 1) bcuts = {1, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610};
  const Stream b = run(s, o, x, bcuts, {});
  core_logmel_stream_destroy(s);

  const size_t T = n >= o.n_fft ? n / o.hop : 0;
  CHECK(a.read == T && b.read == T);
  const size_t M = o.n_mels;
  for (size_t i = 0; i < T * M; ++i)
    if (!same(a.frames[i], b.frames[i]))
      differ("two chunkings differ", i / M, i % M, b.frames[i], a.frames[i]);
  if (T == 0) return 0;

  // Offline LOG10 and, in WHISPER mode, offline WHISPER.
  core_logmel_options_t o10 = o;
  o10.mode = CORE_LOGMEL_LOG10;
  size_t frames = 0;
  const std::vector<float> L = offline(o10, x, &frames);
  CHECK(frames == T);
  // Convention 3: a frame is NaN in every band or in none; a frame whose
  // samples hold a non-finite one is NaN.
  const int64_t half = o.n_fft / 2;
  for (size_t t = 0; t < T; ++t) {
    size_t nans = 0;
    for (size_t m = 0; m < M; ++m) {
      const float v = L[m * T + t];
      if (std::isnan(v)) ++nans;
      else CHECK(std::isfinite(v) && v >= -10.0f);
    }
    CHECK(nans == 0 || nans == M);
    bool bad = false;
    for (int64_t j = int64_t(t) * o.hop - half; j < int64_t(t) * o.hop - half + o.n_fft; ++j) {
      int64_t k = j < 0 ? -j : j;
      if (k > int64_t(n) - 1) k = 2 * (int64_t(n) - 1) - k;
      if (!std::isfinite(x[size_t(k)])) bad = true;
    }
    if (bad && nans != M) differ("a frame holding a non-finite sample is not NaN", t, 0,
                                 L[t], NAN);
  }
  if (o.mode == CORE_LOGMEL_LOG10) {
    for (size_t t = 0; t < T; ++t)
      for (size_t m = 0; m < M; ++m)
        if (!same(a.frames[t * M + m], L[m * T + t]))
          differ("stream != offline (LOG10)", t, m, a.frames[t * M + m], L[m * T + t]);
    return 0;
  }
  // WHISPER: offline is the formula with the global maximum.
  const std::vector<float> W = offline(o, x, &frames);
  float gmax = -INFINITY;
  for (float v : L)
    if (v > gmax) gmax = v;
  for (size_t t = 0; t < T; ++t)
    for (size_t m = 0; m < M; ++m) {
      const float want = whisper(L[m * T + t], gmax - 8.0f);
      if (!same(W[m * T + t], want)) differ("offline WHISPER", t, m, W[m * T + t], want);
    }
  // The stream: each window of window_frames floored by its own maximum.
  const size_t w = o.window_frames ? o.window_frames : T;
  for (size_t t0 = 0; t0 < T; t0 += w) {
    const size_t t1 = std::min(T, t0 + w);
    float wmax = -INFINITY;
    for (size_t t = t0; t < t1; ++t)
      for (size_t m = 0; m < M; ++m)
        if (L[m * T + t] > wmax) wmax = L[m * T + t];
    for (size_t t = t0; t < t1; ++t)
      for (size_t m = 0; m < M; ++m) {
        const float want = whisper(L[m * T + t], wmax - 8.0f);
        if (!same(a.frames[t * M + m], want))
          differ("stream WHISPER window", t, m, a.frames[t * M + m], want);
      }
  }
  return 0;
}
