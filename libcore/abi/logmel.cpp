// extern "C" entry points of the log-mel part of audio.h: argument checks
// and messages, then the module (libcore/audio/logmel.h). Every message
// starts with the public function's name (CORE_ABI_BEGIN).
#include <core/audio.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "libcore/abi/guard.h"
#include "libcore/audio/logmel.h"

namespace {

using core::audio::Logmel;
using core::audio::LogmelConfig;
using core::audio::Stream;

// The one cast per handle between the opaque type and the module's.
Logmel *unwrap(core_logmel_t *p) { return reinterpret_cast<Logmel *>(p); }
const Logmel *unwrap(const core_logmel_t *p) { return reinterpret_cast<const Logmel *>(p); }
core_logmel_t *wrap(Logmel *p) { return reinterpret_cast<core_logmel_t *>(p); }
Stream *unwrap(core_logmel_stream_t *p) { return reinterpret_cast<Stream *>(p); }
const Stream *unwrap(const core_logmel_stream_t *p) { return reinterpret_cast<const Stream *>(p); }
core_logmel_stream_t *wrap(Stream *p) { return reinterpret_cast<core_logmel_stream_t *>(p); }

// One layout so far: v1 == v2.
constexpr std::size_t kOptionsSize = sizeof(core_logmel_options_t);

// Checks the options (the caller's layout read through CORE_READ_OPTIONS)
// and resolves them into *c. core_abi_fn_ names the public function for
// the messages.
core_status read_config(const char *core_abi_fn_, const core_logmel_options_t *opts,
                        LogmelConfig *c) {
  CORE_REQUIRE_OUT(opts);
  core_logmel_options_t copy;
  CORE_READ_OPTIONS(opts, copy, core_logmel_options_t, core_logmel_options_init, kOptionsSize,
                    kOptionsSize);
  const core_logmel_options_t &o = *opts;
  CORE_REQUIRE(o.sample_rate >= 1000 && o.sample_rate <= 384000,
               "sample_rate must be 1000 .. 384000 Hz, got %u", o.sample_rate);
  CORE_REQUIRE(o.n_fft >= 2 && o.n_fft <= CORE_LOGMEL_MAX_FFT,
               "n_fft must be 2 .. CORE_LOGMEL_MAX_FFT (%d), got %u", CORE_LOGMEL_MAX_FFT,
               o.n_fft);
  CORE_REQUIRE(o.hop >= 1, "hop must be >= 1, got 0");
  const unsigned bins = o.n_fft / 2 + 1;
  CORE_REQUIRE(o.n_mels >= 1 && o.n_mels <= bins,
               "n_mels must be 1 .. n_fft / 2 + 1 = %u (the FFT bins), got %u", bins, o.n_mels);
  const double nyquist = o.sample_rate / 2.0;
  CORE_REQUIRE(std::isfinite(o.fmin) && o.fmin >= 0.0,
               "fmin must be a finite frequency >= 0 Hz, got %g", o.fmin);
  CORE_REQUIRE(std::isfinite(o.fmax) && o.fmax >= 0.0,
               "fmax must be a finite frequency > 0 Hz (or 0 for sample_rate / 2), got %g",
               o.fmax);
  CORE_REQUIRE(o.fmax <= nyquist, "fmax must be <= sample_rate / 2 = %g Hz (Nyquist), got %g",
               nyquist, o.fmax);
  const double fmax = o.fmax == 0.0 ? nyquist : o.fmax;
  CORE_REQUIRE(o.fmin < fmax, "fmin (%g Hz) must be below fmax (%g Hz)", o.fmin, fmax);
  CORE_REQUIRE(o.mode == CORE_LOGMEL_WHISPER || o.mode == CORE_LOGMEL_LOG10,
               "mode must be CORE_LOGMEL_WHISPER (0) or CORE_LOGMEL_LOG10 (1), got %d", o.mode);
  c->sample_rate = o.sample_rate;
  c->n_fft = o.n_fft;
  c->hop = o.hop;
  c->n_mels = o.n_mels;
  c->fmin = o.fmin;
  c->fmax = fmax;
  c->mode = o.mode;
  c->window_frames = o.window_frames;
  return CORE_OK;
}

// The values core_logmel_compute writes for n samples into *need; false
// when that count does not fit in size_t (or its bytes do not).
bool values_for(const LogmelConfig &c, std::size_t n, std::size_t *frames, std::size_t *need) {
  *frames = n / c.hop;
  return !__builtin_mul_overflow(*frames, static_cast<std::size_t>(c.n_mels), need) &&
         *need <= SIZE_MAX / sizeof(float);
}

}  // namespace

// Checks a handle and binds `name` to the module's object.
#define CORE_REQUIRE_LOGMEL(lm, name)                                                 \
  CORE_REQUIRE((lm) != nullptr, "lm is NULL");                                        \
  CORE_REQUIRE(unwrap(lm)->magic == core::audio::kLogmelMagic,                        \
               "lm is not a live core_logmel_t (already destroyed?)");                 \
  const core::audio::Analyser &name = unwrap(lm)->analyser
#define CORE_REQUIRE_STREAM(s, name)                                                  \
  CORE_REQUIRE((s) != nullptr, "s is NULL");                                          \
  CORE_REQUIRE(unwrap(s)->magic == core::audio::kStreamMagic,                         \
               "s is not a live core_logmel_stream_t (already destroyed?)");           \
  auto &name = *unwrap(s)

extern "C" {

CORE_API core_status core_logmel_options_init(core_logmel_options_t *opts) {
  CORE_ABI_BEGIN("core_logmel_options_init")
  CORE_REQUIRE_OUT(opts);
  *opts = core_logmel_options_t{};
  opts->struct_size = kOptionsSize;
  opts->sample_rate = 16000;
  opts->n_fft = 400;
  opts->hop = 160;
  opts->n_mels = 80;
  opts->fmin = 0.0;
  opts->fmax = 0.0;
  opts->mode = CORE_LOGMEL_WHISPER;
  opts->window_frames = 3000;
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_logmel_create(const core_logmel_options_t *opts, core_logmel_t **out) {
  CORE_ABI_BEGIN("core_logmel_create")
  CORE_REQUIRE_OUT(opts);
  CORE_REQUIRE_OUT(out);
  LogmelConfig c;
  const core_status st = read_config(core_abi_fn_, opts, &c);
  if (st != CORE_OK) return st;
  *out = wrap(new Logmel(c));
  return CORE_OK;
  CORE_ABI_END
}

CORE_API void core_logmel_destroy(core_logmel_t *lm) {
  if (lm == nullptr) return;
  Logmel *p = unwrap(lm);
  p->magic = 0;  // a later call on the stale handle may still notice
  delete p;
}

CORE_API core_status core_logmel_frames(const core_logmel_t *lm, size_t n_samples,
                                        size_t *n_frames) {
  CORE_ABI_BEGIN("core_logmel_frames")
  CORE_REQUIRE_LOGMEL(lm, a);
  CORE_REQUIRE_OUT(n_frames);
  CORE_REQUIRE(n_samples >= a.config().n_fft,
               "n_samples = %zu is fewer than n_fft = %u (a frame needs n_fft samples)",
               n_samples, a.config().n_fft);
  *n_frames = a.frame_count(n_samples);
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_logmel_filters(const core_logmel_t *lm, float *out, size_t cap,
                                         size_t *count) {
  CORE_ABI_BEGIN("core_logmel_filters")
  CORE_REQUIRE_LOGMEL(lm, a);
  CORE_REQUIRE_OUT(count);
  CORE_REQUIRE(out != nullptr || cap == 0, "out is NULL but cap is %zu", cap);
  CORE_REQUIRE_COUNT(out, cap);  // a capacity no buffer can have
  const std::size_t need = a.filters().n_mels * a.filters().n_bins;
  *count = need;
  CORE_CHECK(cap >= need, CORE_E_BUFFER_TOO_SMALL,
             "cap = %zu floats is smaller than n_mels x (n_fft / 2 + 1) = %zu x %zu = %zu", cap,
             a.filters().n_mels, a.filters().n_bins, need);
  a.filters().dense(out);
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_logmel_compute(core_logmel_t *lm, const float *samples, size_t n,
                                         float *out, size_t cap, size_t *n_frames) {
  CORE_ABI_BEGIN("core_logmel_compute")
  CORE_REQUIRE_LOGMEL(lm, a);
  CORE_REQUIRE_OUT(n_frames);
  CORE_REQUIRE_OUT(samples);
  CORE_REQUIRE(out != nullptr || cap == 0, "out is NULL but cap is %zu", cap);
  CORE_REQUIRE_COUNT(out, cap);  // a capacity no buffer can have
  const LogmelConfig &c = a.config();
  CORE_REQUIRE(n >= c.n_fft, "n = %zu samples is fewer than n_fft = %u (a frame needs n_fft samples)",
               n, c.n_fft);
  std::size_t frames = 0, need = 0;
  // (max_count: a length no array can have, core.h convention 5)
  CORE_REQUIRE(n <= core::abi::max_count(samples) && values_for(c, n, &frames, &need),
               "n = %zu samples is more than a buffer can hold", n);
  CORE_REQUIRE(!core::abi::overlaps(out, std::min(cap, need) * sizeof(float), samples,
                                    n * sizeof(float)),
               "out overlaps samples");
  if (cap < need) {
    *n_frames = frames;
    return core::abi::fail(CORE_E_BUFFER_TOO_SMALL, core_abi_fn_,
                           "cap = %zu floats is smaller than n_mels x n_frames = %u x %zu = %zu",
                           cap, c.n_mels, frames, need);
  }
  const core::audio::ClipJob job{samples, n, out, frames};
  core::audio::compute_clips(a, &job, 1);
  *n_frames = frames;
  return CORE_OK;
  CORE_ABI_END
}

}  // extern "C"

namespace {

// A byte range of one argument, for the overlap sweep.
struct Range {
  std::uintptr_t begin, end;
  bool output;
  std::size_t index;
};

// Finds an output range sharing a byte with any other range (an input or
// another output; inputs may share bytes with each other: the same clip
// twice is fine). Sorted by start, two ranges overlap exactly when the
// later one starts before the earlier one ends, so it is enough to compare
// each start with the furthest end seen so far of each kind. Returns false
// and names the pair when found.
bool find_overlap(std::vector<Range> &r, Range *a, Range *b) {
  std::sort(r.begin(), r.end(), [](const Range &x, const Range &y) { return x.begin < y.begin; });
  const Range *far_in = nullptr, *far_out = nullptr;
  for (const Range &x : r) {
    if (far_out != nullptr && x.begin < far_out->end) {
      *a = *far_out;
      *b = x;
      return false;
    }
    if (x.output && far_in != nullptr && x.begin < far_in->end) {
      *a = x;
      *b = *far_in;
      return false;
    }
    const Range *&far = x.output ? far_out : far_in;
    if (far == nullptr || x.end > far->end) far = &x;
  }
  return true;
}

}  // namespace

extern "C" {

CORE_API core_status core_logmel_compute_batch(core_logmel_t *lm, const float *const *clips,
                                               const size_t *lens, size_t count,
                                               float *const *outs, const size_t *caps,
                                               size_t *n_frames) {
  CORE_ABI_BEGIN("core_logmel_compute_batch")
  CORE_REQUIRE_LOGMEL(lm, a);
  if (count == 0) return CORE_OK;
  CORE_REQUIRE(clips != nullptr, "clips is NULL but count is %zu", count);
  CORE_REQUIRE(lens != nullptr, "lens is NULL but count is %zu", count);
  CORE_REQUIRE(outs != nullptr, "outs is NULL but count is %zu", count);
  CORE_REQUIRE(caps != nullptr, "caps is NULL but count is %zu", count);
  CORE_REQUIRE(n_frames != nullptr, "n_frames is NULL but count is %zu", count);
  // A count no array can have is refused before anything is read (or
  // allocated: the jobs below hold count entries).
  CORE_REQUIRE_COUNT(clips, count);
  CORE_REQUIRE_COUNT(lens, count);
  CORE_REQUIRE_COUNT(outs, count);
  CORE_REQUIRE_COUNT(caps, count);
  CORE_REQUIRE_COUNT(n_frames, count);
  const LogmelConfig &c = a.config();
  std::vector<core::audio::ClipJob> jobs(count);
  std::vector<std::size_t> need(count);
  std::vector<Range> ranges;
  ranges.reserve(2 * count);
  for (std::size_t i = 0; i < count; ++i) {
    CORE_REQUIRE(clips[i] != nullptr, "clips[%zu] is NULL", i);
    CORE_REQUIRE(outs[i] != nullptr, "outs[%zu] is NULL", i);
    CORE_REQUIRE(lens[i] >= c.n_fft,
                 "lens[%zu] = %zu samples is fewer than n_fft = %u (a frame needs n_fft samples)",
                 i, lens[i], c.n_fft);
    CORE_REQUIRE(lens[i] <= core::abi::max_count(clips[i]) &&
                     values_for(c, lens[i], &jobs[i].n_frames, &need[i]),
                 "lens[%zu] = %zu samples is more than a buffer can hold", i, lens[i]);
    jobs[i].x = clips[i];
    jobs[i].n = lens[i];
    jobs[i].out = outs[i];
    const auto in = reinterpret_cast<std::uintptr_t>(clips[i]);
    const auto out = reinterpret_cast<std::uintptr_t>(outs[i]);
    ranges.push_back({in, in + lens[i] * sizeof(float), false, i});
    const std::size_t written = std::min(caps[i], need[i]) * sizeof(float);
    if (written > 0) ranges.push_back({out, out + written, true, i});
  }
  Range x{}, y{};
  CORE_REQUIRE(find_overlap(ranges, &x, &y), "%s[%zu] overlaps %s[%zu]",
               x.output ? "outs" : "clips", x.index, y.output ? "outs" : "clips", y.index);
  for (std::size_t i = 0; i < count; ++i) {
    if (caps[i] >= need[i]) continue;
    for (std::size_t j = 0; j < count; ++j) n_frames[j] = jobs[j].n_frames;
    return core::abi::fail(CORE_E_BUFFER_TOO_SMALL, core_abi_fn_,
                           "caps[%zu] = %zu floats is smaller than n_mels x n_frames = %u x %zu "
                           "= %zu (every clip's frame count written to n_frames)",
                           i, caps[i], c.n_mels, jobs[i].n_frames, need[i]);
  }
  core::audio::compute_clips(a, jobs.data(), count);
  for (std::size_t i = 0; i < count; ++i) n_frames[i] = jobs[i].n_frames;
  return CORE_OK;
  CORE_ABI_END
}

// ---- streaming -----------------------------------------------------------------

CORE_API core_status core_logmel_stream_create(const core_logmel_options_t *opts,
                                               core_logmel_stream_t **out) {
  CORE_ABI_BEGIN("core_logmel_stream_create")
  CORE_REQUIRE_OUT(opts);
  CORE_REQUIRE_OUT(out);
  LogmelConfig c;
  const core_status st = read_config(core_abi_fn_, opts, &c);
  if (st != CORE_OK) return st;
  *out = wrap(new Stream(c));
  return CORE_OK;
  CORE_ABI_END
}

CORE_API void core_logmel_stream_destroy(core_logmel_stream_t *s) {
  if (s == nullptr) return;
  Stream *p = unwrap(s);
  p->magic = 0;
  delete p;
}

CORE_API core_status core_logmel_stream_push(core_logmel_stream_t *s, const float *x, size_t n) {
  CORE_ABI_BEGIN("core_logmel_stream_push")
  CORE_REQUIRE_STREAM(s, st);
  CORE_REQUIRE_ARRAY(x, n);
  CORE_REQUIRE(!st.flushed(), "the stream was flushed: core_logmel_stream_reset it to push again");
  if (n != 0) st.push(x, n);
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_logmel_stream_flush(core_logmel_stream_t *s) {
  CORE_ABI_BEGIN("core_logmel_stream_flush")
  CORE_REQUIRE_STREAM(s, st);
  st.flush();
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_logmel_stream_read(core_logmel_stream_t *s, float *out,
                                             size_t max_frames, size_t *n_frames) {
  CORE_ABI_BEGIN("core_logmel_stream_read")
  CORE_REQUIRE_STREAM(s, st);
  CORE_REQUIRE_OUT(n_frames);
  CORE_REQUIRE(out != nullptr || max_frames == 0, "out is NULL but max_frames is %zu",
               max_frames);
  // max_frames frames of n_mels floats: a count no buffer can hold is
  // refused, not trusted.
  CORE_REQUIRE(max_frames <= core::abi::max_count(out) / st.n_mels(),
               "out has room for max_frames = %zu frames of %zu floats: more than memory "
               "can hold (its byte size overflows)",
               max_frames, st.n_mels());
  *n_frames = st.read(out, max_frames);
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_logmel_stream_available(const core_logmel_stream_t *s,
                                                  size_t *n_frames) {
  CORE_ABI_BEGIN("core_logmel_stream_available")
  CORE_REQUIRE_STREAM(s, st);
  CORE_REQUIRE_OUT(n_frames);
  *n_frames = st.available();
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_logmel_stream_reset(core_logmel_stream_t *s) {
  CORE_ABI_BEGIN("core_logmel_stream_reset")
  CORE_REQUIRE_STREAM(s, st);
  st.reset();
  return CORE_OK;
  CORE_ABI_END
}

}  // extern "C"
