// core_audio_info, and core_audio_read as one chunk of a Reader
// (audio_reader.cpp) the size of the whole count. Without
// CORE_HAVE_AUDIO_IO (meson -Daudio_io=disabled, or libsndfile / libsoxr
// not found) both report CORE_E_UNSUPPORTED; the symbols exist either way,
// since the ABI does not depend on build options.
#include <cstdint>
#include <string>

#include "libcore/audio/audio_file.h"

namespace core::audio {

bool output_count(std::uint64_t frames, std::uint32_t from, std::uint32_t to,
                  std::size_t *count) {
  __extension__ typedef unsigned __int128 u128;
  // round(frames * to / from) with halves up = floor((2 frames to + from) / (2 from)).
  const u128 c = (u128{2} * frames * to + from) / (u128{2} * from);
  if (c > SIZE_MAX) return false;
  *count = static_cast<std::size_t>(c);
  return true;
}

#ifdef CORE_HAVE_AUDIO_IO

namespace {

std::string quoted(const char *path) { return std::string("\"") + path + "\""; }

}  // namespace

bool file_info(const char *path, FileInfo *info, FileError *err) {
  Decoder dec;
  if (!dec.open(path, false, err)) return false;
  *info = dec.info();
  return true;
}

core_status file_read(const char *path, std::uint32_t target_rate, float *out, std::size_t cap,
                      std::size_t *count, FileError *err) {
  // One chunk of a reader, the whole count: the decoder writes the
  // caller's buffer directly when the rates agree, libsoxr's output is
  // copied into it otherwise (audio_reader.cpp).
  Reader rd;
  if (!rd.open_file(path, target_rate, err)) return err->status;
  const std::size_t want = static_cast<std::size_t>(rd.total());  // fits: open_file checks
  *count = want;
  if (cap < want) {
    err->set(CORE_E_BUFFER_TOO_SMALL,
             "cap = " + std::to_string(cap) + " is smaller than the " + std::to_string(want) +
                 " samples of " + quoted(path) + " at " + std::to_string(rd.rate()) +
                 " Hz (nothing read)");
    return err->status;
  }
  if (want == 0) return CORE_OK;
  if (!rd.prepare(err)) return err->status;
  std::size_t got = 0;
  const core_status st = rd.read(out, want, &got, err);
  if (st != CORE_OK) return st;
  if (got != want) {
    err->set(CORE_E_INTERNAL, "the reader gave " + std::to_string(got) + " samples, " +
                                  std::to_string(want) + " expected");
    return err->status;
  }
  return CORE_OK;
}

#else  // !CORE_HAVE_AUDIO_IO

namespace {

core_status unsupported(const char *path, FileError *err) {
  err->set(CORE_E_UNSUPPORTED,
           std::string("cannot read \"") + path +
               "\": this libcore was built without audio file support (meson "
               "-Daudio_io=disabled, or libsndfile / libsoxr not found)");
  return err->status;
}

}  // namespace

bool file_info(const char *path, FileInfo *, FileError *err) {
  unsupported(path, err);
  return false;
}

core_status file_read(const char *path, std::uint32_t, float *, std::size_t, std::size_t *,
                      FileError *err) {
  return unsupported(path, err);
}

#endif  // CORE_HAVE_AUDIO_IO

}  // namespace core::audio
