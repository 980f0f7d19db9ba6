// core_audio_info and core_audio_read put together: the decoder's blocks
// go to the caller's buffer directly when the rates agree, through the
// resampler otherwise. Without CORE_HAVE_AUDIO_IO (meson -Daudio_io=disabled,
// or libsndfile / libsoxr not found) both report CORE_E_UNSUPPORTED; the
// symbols exist either way, since the ABI does not depend on build options.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

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

// Decodes every frame the header announces (so a truncation or a bad
// sample is found even when the sink filled early) through the resampler
// into sink, then forces the output to exactly sink->want() samples.
bool resample_into(Decoder *dec, std::uint32_t to, Sink *sink, FileError *err) {
  const FileInfo &fi = dec->info();
  Resampler rs;
  if (!rs.open(fi.sample_rate, to, err)) return false;
  std::vector<float> block(Decoder::kBlockFrames);
  for (std::uint64_t done = 0; done < fi.frames;) {
    const std::size_t k = static_cast<std::size_t>(
        std::min<std::uint64_t>(Decoder::kBlockFrames, fi.frames - done));
    if (!dec->read(block.data(), k, err) || !rs.push(block.data(), k, sink, err)) return false;
    done += k;
  }
  if (!rs.flush(sink, err)) return false;
  // libsoxr has always delivered the exact count (see audio_resample.cpp);
  // a sample or two short would be zero-filled, anything more is a bug.
  const std::size_t slack = to / fi.sample_rate + 2;
  if (sink->want() - sink->written() > slack)
    return err->set(CORE_E_INTERNAL, "libsoxr gave " + std::to_string(sink->written()) +
                                         " samples, " + std::to_string(sink->want()) +
                                         " expected");
  sink->pad();
  return true;
}

}  // namespace

bool file_info(const char *path, FileInfo *info, FileError *err) {
  Decoder dec;
  if (!dec.open(path, false, err)) return false;
  *info = dec.info();
  return true;
}

core_status file_read(const char *path, std::uint32_t target_rate, float *out, std::size_t cap,
                      std::size_t *count, FileError *err) {
  Decoder dec;
  if (!dec.open(path, true, err)) return err->status;
  const FileInfo &fi = dec.info();
  const std::uint32_t to = target_rate == 0 ? fi.sample_rate : target_rate;
  std::size_t want = 0;
  if (!output_count(fi.frames, fi.sample_rate, to, &want)) {
    err->set(CORE_E_FORMAT, quoted(path) + " announces " + std::to_string(fi.frames) +
                                " frames: more samples at " + std::to_string(to) +
                                " Hz than a size_t counts");
    return err->status;
  }
  *count = want;
  if (cap < want) {
    err->set(CORE_E_BUFFER_TOO_SMALL,
             "cap = " + std::to_string(cap) + " is smaller than the " + std::to_string(want) +
                 " samples of " + quoted(path) + " at " + std::to_string(to) +
                 " Hz (nothing read)");
    return err->status;
  }
  if (want == 0) return CORE_OK;

  if (to == fi.sample_rate) {
    // No resampling: the decoder writes the caller's buffer directly.
    for (std::uint64_t done = 0; done < fi.frames;) {
      const std::size_t k = static_cast<std::size_t>(
          std::min<std::uint64_t>(Decoder::kBlockFrames, fi.frames - done));
      if (!dec.read(out + done, k, err)) return err->status;
      done += k;
    }
    return CORE_OK;
  }

  Sink sink(out, want);
  if (!resample_into(&dec, to, &sink, err)) return err->status;
  // The decoder let only finite samples in; a resampled sample can still
  // overflow float when the input is close to FLT_MAX (float files).
  for (std::size_t i = 0; i < want; ++i)
    if (!std::isfinite(out[i])) {
      err->set(CORE_E_FORMAT, quoted(path) + ": resampling overflows float at sample " +
                                  std::to_string(i) + " (samples near the float limit)");
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
