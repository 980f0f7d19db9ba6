// extern "C" entry points of the audio-file part of audio.h (info, read,
// the chunked reader): argument checks and messages, then
// libcore/audio/audio_file.cpp and audio_reader.cpp. The module says why a
// file failed (with the path and libsndfile's own words); this layer
// prefixes the function name. Every symbol exists in every build: without
// audio_io they check their arguments and report CORE_E_UNSUPPORTED.
#include <core/audio.h>

#include <cstddef>
#include <memory>

#include "libcore/abi/guard.h"
#include "libcore/audio/audio_file.h"

namespace {

// core_audio_info_t as of 0.1, the first layout: a caller's struct_size
// must cover it. Later fields are appended and written only when the
// caller's struct_size covers them.
constexpr std::size_t kInfoV1 = sizeof(core_audio_info_t);
static_assert(kInfoV1 == offsetof(core_audio_info_t, bits) + sizeof(uint32_t),
              "core_audio_info_t grew: keep kInfoV1 at the 0.1 layout's size");

// Writes the 0.1 fields of *info (the caller's struct_size checked);
// bytes of a longer (newer) layout past them are left alone.
void put_info(const core::audio::FileInfo &fi, core_audio_info_t *info) {
  info->sample_rate = fi.sample_rate;
  info->channels = fi.channels;
  info->frames = fi.frames;
  info->duration = static_cast<double>(fi.frames) / static_cast<double>(fi.sample_rate);
  info->format = fi.format;
  info->bits = fi.bits;
}

using core::audio::Reader;

// The one cast between the opaque handle and the module's type.
Reader *unwrap(core_audio_reader_t *r) noexcept { return reinterpret_cast<Reader *>(r); }
const Reader *unwrap(const core_audio_reader_t *r) noexcept {
  return reinterpret_cast<const Reader *>(r);
}
core_audio_reader_t *wrap(Reader *r) noexcept { return reinterpret_cast<core_audio_reader_t *>(r); }

#ifdef CORE_HAVE_AUDIO_IO
constexpr bool kAudioIo = true;
#else
constexpr bool kAudioIo = false;
#endif

}  // namespace

// After the other argument checks (r's NULL check among them): refuses
// a handle that is not a live reader and binds `rd` to the module's
// reader. Without audio_io no reader can exist, so any non-NULL r is
// refused as CORE_E_UNSUPPORTED, without being dereferenced, once the
// arguments are checked (as core_audio_read does).
#define CORE_LIVE_READER(r)                                                               \
  CORE_CHECK(kAudioIo, CORE_E_UNSUPPORTED,                                                \
             "this libcore was built without audio file support (meson "                 \
             "-Daudio_io=disabled, or libsndfile / libsoxr not found)");                  \
  CORE_REQUIRE(unwrap(r)->magic == core::audio::kReaderMagic,                             \
               "r is not a live core_audio_reader_t (already closed?)");                  \
  auto &rd = *unwrap(r)

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
  put_info(fi, info);
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

CORE_API core_status core_audio_open(const char *path, uint32_t target_rate,
                                     core_audio_reader_t **out) {
  CORE_ABI_BEGIN("core_audio_open")
  CORE_REQUIRE_OUT(path);
  CORE_REQUIRE_OUT(out);
  CORE_REQUIRE(target_rate <= core::audio::kMaxTargetRate,
               "target_rate = %u Hz is above the limit of %u Hz (0 keeps the file's rate)",
               target_rate, core::audio::kMaxTargetRate);
  std::unique_ptr<Reader> rd(new Reader);
  core::audio::FileError err;
  if (!rd->open(path, target_rate, &err))
    return core::abi::fail(err.status, core_abi_fn_, "%s", err.detail.c_str());
  *out = wrap(rd.release());
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_audio_reader_read(core_audio_reader_t *r, float *out, size_t n,
                                            size_t *got) {
  CORE_ABI_BEGIN("core_audio_reader_read")
  if (got != nullptr) *got = 0;  // audio.h: 0 on every error
  CORE_REQUIRE_OUT(r);
  CORE_REQUIRE_OUT(got);
  CORE_REQUIRE(out != nullptr || n == 0, "out is NULL but n = %zu", n);
  CORE_REQUIRE_COUNT(out, n);  // a length no buffer can have
  CORE_LIVE_READER(r);
  core::audio::FileError err;
  const core_status st = rd.read(out, n, got, &err);
  if (st != CORE_OK) return core::abi::fail(st, core_abi_fn_, "%s", err.detail.c_str());
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_audio_reader_info(const core_audio_reader_t *r,
                                            core_audio_info_t *info) {
  CORE_ABI_BEGIN("core_audio_reader_info")
  CORE_REQUIRE_OUT(r);
  CORE_REQUIRE_OUT(info);
  CORE_REQUIRE(info->struct_size >= kInfoV1,
               "info->struct_size is %zu, smaller than the first core_audio_info_t layout "
               "(%zu bytes); set it to sizeof(core_audio_info_t)",
               info->struct_size, kInfoV1);
  CORE_LIVE_READER(r);
  put_info(rd.info(), info);
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_audio_reader_length(const core_audio_reader_t *r, uint64_t *total,
                                              uint64_t *done) {
  CORE_ABI_BEGIN("core_audio_reader_length")
  CORE_REQUIRE_OUT(r);
  CORE_LIVE_READER(r);
  if (total != nullptr) *total = rd.total();
  if (done != nullptr) *done = rd.done();
  return CORE_OK;
  CORE_ABI_END
}

CORE_API void core_audio_reader_close(core_audio_reader_t *r) {
  // Without audio_io no reader exists: nothing to close (and nothing to
  // dereference).
  if (!kAudioIo || r == nullptr || unwrap(r)->magic != core::audio::kReaderMagic) return;
  Reader *rd = unwrap(r);
  rd->magic = 0;  // a later call on the stale handle may still notice
  delete rd;
}

}  // extern "C"
