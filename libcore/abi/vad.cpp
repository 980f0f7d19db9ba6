// extern "C" entry points of the VAD part of audio.h: argument and option
// checks with their messages, exception translation, then the module
// (libcore/audio/vad*.cpp).
#include <core/audio.h>

#include <memory>
#include <vector>

#include "libcore/abi/guard.h"
#include "libcore/audio/vad.h"

namespace {

using core::audio::Vad;

// The one cast between the opaque handle and the module's type.
Vad *unwrap(core_vad_t *v) noexcept { return reinterpret_cast<Vad *>(v); }
const Vad *unwrap(const core_vad_t *v) noexcept { return reinterpret_cast<const Vad *>(v); }
core_vad_t *wrap(Vad *v) noexcept { return reinterpret_cast<core_vad_t *>(v); }

// One layout so far: the first is the current one.
constexpr std::size_t kOptionsSize = sizeof(core_vad_options_t);

constexpr std::uint32_t kMinRate = 8000, kMaxRate = 192000;

void set_defaults(core_vad_options_t *o) {
  *o = core_vad_options_t{};
  o->struct_size = kOptionsSize;
  o->sample_rate = 16000;
  o->frame_ms = 30;
  o->threshold = 0.5f;
  o->neg_threshold = 0.0f;  // threshold - 0.15
  o->min_speech_ms = 250;
  o->min_silence_ms = 100;
  o->speech_pad_ms = 30;
  o->max_speech_ms = 0;
}

// Copies the caller's options into *copy and checks every field; the
// message names the first field out of range.
core_status read_options(const char *fn, const core_vad_options_t *opts,
                         core_vad_options_t *copy) {
  const char *const core_abi_fn_ = fn;
  CORE_REQUIRE_OUT(opts);
  core_vad_options_t o;
  CORE_READ_OPTIONS(opts, o, core_vad_options_t, core_vad_options_init, kOptionsSize,
                    kOptionsSize);
  CORE_REQUIRE(o.sample_rate >= kMinRate && o.sample_rate <= kMaxRate,
               "sample_rate must be %u .. %u Hz, got %u", kMinRate, kMaxRate, o.sample_rate);
  CORE_REQUIRE(o.frame_ms == 10 || o.frame_ms == 20 || o.frame_ms == 30,
               "frame_ms must be 10, 20 or 30, got %u", o.frame_ms);
  CORE_REQUIRE(std::uint64_t{o.sample_rate} * o.frame_ms % 1000 == 0,
               "sample_rate %u Hz does not give whole frames of %u ms "
               "(sample_rate * frame_ms must be a multiple of 1000)",
               o.sample_rate, o.frame_ms);
  // Written so that NaN fails every test.
  CORE_REQUIRE(o.threshold > 0.0f && o.threshold < 1.0f, "threshold must be in (0, 1), got %g",
               static_cast<double>(o.threshold));
  CORE_REQUIRE(o.neg_threshold == 0.0f ||
                   (o.neg_threshold > 0.0f && o.neg_threshold < o.threshold),
               "neg_threshold must be below threshold (%g) and not negative "
               "(0: the default, threshold - 0.15), got %g",
               static_cast<double>(o.threshold), static_cast<double>(o.neg_threshold));
  const std::uint64_t least = std::uint64_t{o.min_speech_ms} + 2 * std::uint64_t{o.speech_pad_ms} +
                              2 * std::uint64_t{o.frame_ms};
  CORE_REQUIRE(o.max_speech_ms == 0 || o.max_speech_ms >= least,
               "max_speech_ms must be 0 (no limit) or at least min_speech_ms + "
               "2 * speech_pad_ms + 2 * frame_ms = %llu, got %u",
               static_cast<unsigned long long>(least), o.max_speech_ms);
  *copy = o;
  return CORE_OK;
}

}  // namespace

// Checks `vad` and binds `v` to the module's detector.
#define CORE_REQUIRE_VAD(vad)                                                          \
  CORE_REQUIRE((vad) != nullptr, "vad is NULL");                                       \
  CORE_REQUIRE(unwrap(vad)->magic == core::audio::kVadMagic,                           \
               "vad is not a live core_vad_t (already destroyed?)");                   \
  auto &v = *unwrap(vad)

extern "C" {

CORE_API core_status core_vad_options_init(core_vad_options_t *opts) {
  CORE_ABI_BEGIN("core_vad_options_init")
  CORE_REQUIRE_OUT(opts);
  set_defaults(opts);
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_vad_options_preset(core_vad_options_t *opts, int preset) {
  CORE_ABI_BEGIN("core_vad_options_preset")
  CORE_REQUIRE_OUT(opts);
  CORE_REQUIRE(preset == CORE_VAD_PRESET_DEFAULT || preset == CORE_VAD_PRESET_TRANSCRIBE ||
                   preset == CORE_VAD_PRESET_AGGRESSIVE,
               "unknown preset %d (CORE_VAD_PRESET_DEFAULT 0, _TRANSCRIBE 1, _AGGRESSIVE 2)",
               preset);
  set_defaults(opts);
  if (preset == CORE_VAD_PRESET_TRANSCRIBE) {
    // faster-whisper's VadOptions
    opts->min_speech_ms = 0;
    opts->min_silence_ms = 2000;
    opts->speech_pad_ms = 400;
  } else if (preset == CORE_VAD_PRESET_AGGRESSIVE) {
    opts->threshold = 0.7f;  // exit at 0.55
    opts->min_speech_ms = 400;
  }
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_vad_create(const core_vad_options_t *opts, core_vad_t **out) {
  CORE_ABI_BEGIN("core_vad_create")
  CORE_REQUIRE_OUT(opts);
  CORE_REQUIRE_OUT(out);
  core_vad_options_t o;
  const core_status st = read_options(core_abi_fn_, opts, &o);
  if (st != CORE_OK) return st;
  *out = wrap(core::audio::vad_create(o));
  return CORE_OK;
  CORE_ABI_END
}

CORE_API void core_vad_destroy(core_vad_t *vad) {
  if (vad != nullptr && unwrap(vad)->magic == core::audio::kVadMagic)
    core::audio::vad_destroy(unwrap(vad));
}

CORE_API core_status core_vad_push(core_vad_t *vad, const float *x, size_t n) {
  CORE_ABI_BEGIN("core_vad_push")
  CORE_REQUIRE_VAD(vad);
  CORE_REQUIRE_ARRAY(x, n);
  CORE_REQUIRE(!v.flushed, "push after flush (call core_vad_reset to start a new stream)");
  core::audio::vad_push(v, x, n);
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_vad_flush(core_vad_t *vad) {
  CORE_ABI_BEGIN("core_vad_flush")
  CORE_REQUIRE_VAD(vad);
  core::audio::vad_flush(v);
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_vad_next_segment(core_vad_t *vad, core_segment_t *out) {
  CORE_ABI_BEGIN("core_vad_next_segment")
  CORE_REQUIRE_VAD(vad);
  CORE_REQUIRE_OUT(out);
  CORE_CHECK(v.segments.pop(out), CORE_E_EMPTY, "no finished segment");
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_vad_open_segment(const core_vad_t *vad, uint64_t *start) {
  CORE_ABI_BEGIN("core_vad_open_segment")
  CORE_REQUIRE_VAD(vad);
  CORE_REQUIRE_OUT(start);
  CORE_CHECK(v.segments.open_start(start), CORE_E_EMPTY, "no segment is open");
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_vad_reset(core_vad_t *vad) {
  CORE_ABI_BEGIN("core_vad_reset")
  CORE_REQUIRE_VAD(vad);
  core::audio::vad_reset(v);
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_vad_segments(const float *x, size_t n, const core_vad_options_t *opts,
                                       core_segment_t *out, size_t cap, size_t *count) {
  CORE_ABI_BEGIN("core_vad_segments")
  CORE_REQUIRE_OUT(opts);
  CORE_REQUIRE_OUT(count);
  CORE_REQUIRE_ARRAY(x, n);
  CORE_REQUIRE(out != nullptr || cap == 0, "out is NULL but cap is %zu", cap);
  CORE_REQUIRE_COUNT(out, cap);  // a capacity no buffer can have
  core_vad_options_t o;
  const core_status st = read_options(core_abi_fn_, opts, &o);
  if (st != CORE_OK) return st;
  const std::unique_ptr<Vad> v(core::audio::vad_create(o));
  core::audio::vad_push(*v, x, n);
  core::audio::vad_flush(*v);
  std::vector<core_segment_t> found;
  core_segment_t s;
  while (v->segments.pop(&s)) found.push_back(s);
  *count = found.size();
  CORE_CHECK(found.size() <= cap, CORE_E_BUFFER_TOO_SMALL,
             "found %zu segments, more than cap = %zu (nothing written to out)", found.size(),
             cap);
  for (std::size_t i = 0; i < found.size(); ++i) out[i] = found[i];
  return CORE_OK;
  CORE_ABI_END
}

}  // extern "C"
