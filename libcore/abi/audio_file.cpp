// extern "C" entry points of the audio-file part of audio.h: argument
// checks and messages, then libcore/audio/audio_file.cpp. The module says
// why a file failed (with the path and libsndfile's own words); this layer
// prefixes the function name. Both symbols exist in every build: without
// audio_io they check their arguments and report CORE_E_UNSUPPORTED.
#include <core/audio.h>

#include <cstddef>

#include "libcore/abi/guard.h"
#include "libcore/audio/audio_file.h"

namespace {

// core_audio_info_t as of 0.1, the first layout: a caller's struct_size
// must cover it. Later fields are appended and written only when the
// caller's struct_size covers them.
constexpr std::size_t kInfoV1 = sizeof(core_audio_info_t);
static_assert(kInfoV1 == offsetof(core_audio_info_t, bits) + sizeof(uint32_t),
              "core_audio_info_t grew: keep kInfoV1 at the 0.1 layout's size");

}  // namespace

extern "C" {

CORE_API core_status core_audio_info(const char *path, core_audio_info_t *info) {
  CORE_ABI_BEGIN("core_audio_info")
  CORE_REQUIRE_OUT(path);
  CORE_REQUIRE_OUT(info);
  CORE_REQUIRE(info->struct_size >= kInfoV1,
               "info->struct_size is %zu, smaller than the first core_audio_info_t layout "
               "(%zu bytes); set it to sizeof(core_audio_info_t)",
               info->struct_size, kInfoV1);
  core::audio::FileInfo fi;
  core::audio::FileError err;
  if (!core::audio::file_info(path, &fi, &err))
    return core::abi::fail(err.status, core_abi_fn_, "%s", err.detail.c_str());
  // Bytes of a longer (newer) layout past the 0.1 fields are left alone.
  info->sample_rate = fi.sample_rate;
  info->channels = fi.channels;
  info->frames = fi.frames;
  info->duration = static_cast<double>(fi.frames) / static_cast<double>(fi.sample_rate);
  info->format = fi.format;
  info->bits = fi.bits;
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_audio_read(const char *path, uint32_t target_rate, float *out,
                                     size_t cap, size_t *n) {
  CORE_ABI_BEGIN("core_audio_read")
  CORE_REQUIRE_OUT(path);
  CORE_REQUIRE_OUT(n);
  CORE_REQUIRE(out != nullptr || cap == 0, "out is NULL but cap = %zu", cap);
  CORE_REQUIRE_COUNT(out, cap);  // a capacity no buffer can have
  CORE_REQUIRE(target_rate <= core::audio::kMaxTargetRate,
               "target_rate = %u Hz is above the limit of %u Hz (0 keeps the file's rate)",
               target_rate, core::audio::kMaxTargetRate);
  std::size_t count = 0;
  core::audio::FileError err;
  const core_status st = core::audio::file_read(path, target_rate, out, cap, &count, &err);
  if (st == CORE_E_BUFFER_TOO_SMALL) *n = count;
  if (st != CORE_OK) return core::abi::fail(st, core_abi_fn_, "%s", err.detail.c_str());
  *n = count;
  return CORE_OK;
  CORE_ABI_END
}

}  // extern "C"
