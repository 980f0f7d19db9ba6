// Internal C++ interface of the audio-file part of the audio module
// (core_audio_info, core_audio_read). libcore/abi/audio_file.cpp checks the
// arguments and writes the messages; the code here meets the outside world
// (the file system, libsndfile, libsoxr) and says why it failed through
// FileError, never through the thread-local error.
//
// Files: audio_decode.cpp (libsndfile: open, checks that the data is all
// there, block reads as float, downmix), audio_riff.cpp (the WAV data-chunk
// check libsndfile does not make), audio_resample.cpp (libsoxr, streaming),
// audio_file.cpp (info and read put together; the UNSUPPORTED stubs of a
// build without -Daudio_io). Only audio_decode.cpp and audio_resample.cpp
// include libsndfile's and libsoxr's headers, and only when
// CORE_HAVE_AUDIO_IO is defined: the classes below hide them (pimpl).
#ifndef LIBCORE_AUDIO_AUDIO_FILE_H
#define LIBCORE_AUDIO_AUDIO_FILE_H

#include <core/audio.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace core::audio {

// The highest target rate core_audio_read accepts (its header).
constexpr std::uint32_t kMaxTargetRate = 384000;

struct FileError {
  core_status status = CORE_OK;
  std::string detail;  // for the abi layer's message (which adds the function name)

  // Records the failure; returns false so callers can `return err->set(...)`.
  bool set(core_status st, std::string text) {
    status = st;
    detail = std::move(text);
    return false;
  }
};

// What the header of a file says (core_audio_info_t without struct_size).
struct FileInfo {
  std::uint32_t sample_rate = 0;
  std::uint32_t channels = 0;
  std::uint64_t frames = 0;
  int format = CORE_AUDIO_FORMAT_OTHER;
  std::uint32_t bits = 0;
};

// The samples core_audio_read gives for `frames` frames at `from` Hz read at
// `to` Hz: frames * to / from rounded to nearest, halves up (in 128-bit
// arithmetic, so it is exact). False when that does not fit in size_t.
bool output_count(std::uint64_t frames, std::uint32_t from, std::uint32_t to,
                  std::size_t *count);

// ---- the two operations (audio_file.cpp) --------------------------------

// The header of the file at path. False with *err on failure.
bool file_info(const char *path, FileInfo *info, FileError *err);

// core_audio_read after its argument checks (target_rate <= kMaxTargetRate;
// out may be NULL only when cap is 0). Returns the status; *count receives
// the sample count on CORE_OK and CORE_E_BUFFER_TOO_SMALL, *err the detail
// otherwise. On failure out[0, cap) may have been partly written.
core_status file_read(const char *path, std::uint32_t target_rate, float *out, std::size_t cap,
                      std::size_t *count, FileError *err);

// ---- decoding (audio_decode.cpp; only with CORE_HAVE_AUDIO_IO) -------------

// An open audio file, read front to back as mono float.
class Decoder {
 public:
  // Frames per read(): the unit of work and of memory (the interleaved
  // buffer holds a bounded number of samples whatever the channel count).
  static constexpr std::size_t kBlockFrames = 4096;

  Decoder();
  ~Decoder();
  Decoder(const Decoder &) = delete;
  Decoder &operator=(const Decoder &) = delete;

  // Opens path and checks that the data the header announces is there
  // (for a WAV, the data chunk's size against the file's; for every format,
  // by reading its last frame). NOT_FOUND / IO from the file system, FORMAT
  // from libsndfile or when the data is cut short or its length unknown.
  // With for_reading false (core_audio_info) the file is closed again.
  bool open(const char *path, bool for_reading, FileError *err);

  const FileInfo &info() const;

  // The next `frames` frames (at most kBlockFrames, at most what the
  // header has left), channels averaged, into mono[0, frames). FORMAT when
  // the data ends early or holds a NaN or an infinity; IO on a read error.
  bool read(float *mono, std::size_t frames, FileError *err);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Whether the RIFF/RIFX WAVE file open as fd (size bytes) has a data chunk
// announcing more bytes than follow it. *announced and *present receive
// the two sizes when it has; false also when the walk does not find a data
// chunk or the size is 0xFFFFFFFF (a streamed WAV: "to the end of file"),
// leaving the judgment to libsndfile. (audio_riff.cpp, no dependencies.)
bool riff_data_truncated(int fd, std::uint64_t size, std::uint64_t *announced,
                         std::uint64_t *present);

// ---- resampling (audio_resample.cpp; only with CORE_HAVE_AUDIO_IO) ---------

// The caller's buffer out[0, want): put() keeps what fits and drops the
// rest, so a resampler that gives a sample too many cannot write past it.
class Sink {
 public:
  Sink(float *out, std::size_t want) : out_(out), want_(want) {}
  void put(const float *x, std::size_t n);
  bool full() const { return written_ == want_; }
  std::size_t written() const { return written_; }
  std::size_t want() const { return want_; }
  // Zero-fills the rest of out[0, want); returns how many it filled.
  std::size_t pad();

 private:
  float *out_;
  std::size_t want_;
  std::size_t written_ = 0;
};

// libsoxr, mono float32, high quality (SOXR_HQ, linear phase), one thread.
class Resampler {
 public:
  Resampler();
  ~Resampler();
  Resampler(const Resampler &) = delete;
  Resampler &operator=(const Resampler &) = delete;

  bool open(std::uint32_t from, std::uint32_t to, FileError *err);
  // Resamples x[0, n) into sink (nothing once the sink is full).
  bool push(const float *x, std::size_t n, Sink *sink, FileError *err);
  // End of input: drains the filter's tail into sink until libsoxr has no
  // more or the sink is full.
  bool flush(Sink *sink, FileError *err);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace core::audio

#endif
