// The detector's life cycle and the framing of a pushed stream. Frame t is
// always samples [t * frame, (t + 1) * frame) of the stream, analysed once
// all of them have arrived, so the chunking of the input cannot change a
// result: the same frames see the same samples in the same order.
#include <algorithm>
#include <cstring>

#include "libcore/audio/vad.h"

namespace core {
namespace audio {

float vad_default_neg(float threshold) {
  // Silero's max(threshold - 0.15, 0.01); for thresholds at or below 0.01
  // that is not below the threshold, and half of it is used instead.
  const float neg = std::max(threshold - 0.15f, 0.01f);
  return neg < threshold ? neg : 0.5f * threshold;
}

VadConfig vad_config(const core_vad_options_t &o) {
  VadConfig c;
  const auto ms = [&](std::uint64_t v) { return v * o.sample_rate / 1000u; };
  c.sample_rate = o.sample_rate;
  c.frame = static_cast<std::uint32_t>(ms(o.frame_ms));
  c.window = c.frame * ((kVadMinWindowMs + o.frame_ms - 1) / o.frame_ms);
  c.threshold = o.threshold;
  c.neg_threshold = o.neg_threshold == 0.0f ? vad_default_neg(o.threshold) : o.neg_threshold;
  c.min_speech = ms(o.min_speech_ms);
  c.min_silence = ms(o.min_silence_ms);
  c.pad = ms(o.speech_pad_ms);
  // A segment's speech is limited to max_speech - 2 * pad, so that with its
  // padding it fits in max_speech (Silero does the same).
  if (o.max_speech_ms != 0)
    c.max_frames =
        ms(std::uint64_t{o.max_speech_ms} - 2 * std::uint64_t{o.speech_pad_ms}) / c.frame;
  return c;
}

Vad::Vad(const VadConfig &c) : cfg(c), spectrum(c), buf(c.window, 0.0f) {
  floor.init(cfg, spectrum);
  segments.init(cfg);
}

namespace {

// Analyses the frame [start, start + len) from the window w[0, n), whose
// last len samples are the frame's. Samples before the stream's start are
// not in the window's count.
void analyse(Vad &v, const float *w, std::size_t n, std::uint64_t start, std::size_t len) {
  const std::uint64_t have = start + len;
  const std::size_t avail = have < n ? static_cast<std::size_t>(have) : n;
  double power[kVadMaxBands];
  VadFrameScore s{0.0f, 0.0};  // a frame with a non-finite sample: non-speech
  if (v.spectrum.band_powers(w + (n - avail), avail, power)) {
    v.floor.add(power);
    s = vad_score(power, v.floor, v.spectrum.bands());
  }
  v.segments.frame(start, len, s.score, s.quiet);
}

}  // namespace

Vad *vad_create(const core_vad_options_t &opts) { return new Vad(vad_config(opts)); }

void vad_destroy(Vad *v) {
  v->magic = 0;  // a later call on the stale handle may still notice
  delete v;
}

void vad_push(Vad &v, const float *x, std::size_t n) {
  const std::uint32_t frame = v.cfg.frame, window = v.cfg.window;
  float *const cur = v.buf.data() + (window - frame);
  while (n != 0) {
    if (v.fill == 0 && window == frame && n >= frame) {
      // A whole frame that needs no history: analysed where it lies.
      analyse(v, x, frame, v.frames * frame, frame);
      ++v.frames;
      x += frame;
      n -= frame;
      continue;
    }
    const std::size_t take = std::min<std::size_t>(frame - v.fill, n);
    std::memcpy(cur + v.fill, x, take * sizeof(float));
    v.fill += static_cast<std::uint32_t>(take);
    x += take;
    n -= take;
    if (v.fill == frame) {
      analyse(v, v.buf.data(), window, v.frames * frame, frame);
      std::memmove(v.buf.data(), v.buf.data() + frame, (window - frame) * sizeof(float));
      v.fill = 0;
      ++v.frames;
    }
  }
}

void vad_flush(Vad &v) {
  if (v.flushed) return;
  const std::uint64_t start = v.frames * v.cfg.frame;
  // A trailing partial frame: the window's history plus its samples.
  if (v.fill != 0)
    analyse(v, v.buf.data(), v.cfg.window - v.cfg.frame + v.fill, start, v.fill);
  v.segments.finish(start + v.fill);
  v.flushed = true;
}

void vad_reset(Vad &v) {
  std::fill(v.buf.begin(), v.buf.end(), 0.0f);
  v.fill = 0;
  v.frames = 0;
  v.flushed = false;
  v.floor.reset();
  v.segments.reset();
}

}  // namespace audio
}  // namespace core
