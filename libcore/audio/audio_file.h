// Internal C++ interface of the audio-file part of the audio module
// (core_audio_info, core_audio_read, the chunked core_audio_reader_t).
// libcore/abi/audio_file.cpp checks the arguments and writes the messages;
// the code here meets the outside world (the file system, libsndfile,
// libsoxr) and says why it failed through FileError, never through the
// thread-local error.
//
// Files: audio_decode.cpp (libsndfile: open, checks that the data is all
// there, block reads as float, downmix), audio_riff.cpp (the WAV data-chunk
// check libsndfile does not make), audio_resample.cpp (libsoxr, streaming),
// audio_reader.cpp (the chunked reader: decoder and resampler driven block
// by block, its output handed out in chunks of any size), audio_file.cpp
// (info, and read as one chunk of a reader; the UNSUPPORTED stubs of a
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
// out may be NULL only when cap is 0): a Reader read in one chunk of its
// whole count. Returns the status; *count receives the sample count on
// CORE_OK and CORE_E_BUFFER_TOO_SMALL, *err the detail otherwise. On
// failure out[0, cap) may have been partly written.
core_status file_read(const char *path, std::uint32_t target_rate, float *out, std::size_t cap,
                      std::size_t *count, FileError *err);

// ---- chunked reading (audio_reader.cpp) -------------------------------------

// core_audio_reader_t's magic number (the first member of Reader).
constexpr std::uint32_t kReaderMagic = 0x41524452;  // "ARDR"

// An open audio file read front to back as mono float at a chosen rate, in
// chunks of any size (core_audio_reader_t). The samples do not depend on
// the chunking: the decoder is always read in the same blocks of
// Decoder::kBlockFrames frames and libsoxr fed the same calls, whatever
// sizes read() is asked for; a chunk only decides how much of that fixed
// stream is handed out now. Memory: the decoder's buffers, one block, the
// resampler's state and output block, whatever the file's length.
// Without CORE_HAVE_AUDIO_IO open() reports CORE_E_UNSUPPORTED.
class Reader {
 public:
  std::uint32_t magic = kReaderMagic;  // checked by the abi layer; 0 once closed

  Reader();
  ~Reader();
  Reader(const Reader &) = delete;
  Reader &operator=(const Reader &) = delete;

  // Opens path at target_rate (0: the file's rate; <= kMaxTargetRate, the
  // caller checks) with core_audio_info's checks, and makes the buffers
  // and the resampler: open_file() then prepare(). Call once. False with
  // *err: NOT_FOUND, IO, FORMAT (also for a count no size_t holds, as
  // core_audio_read), OUT_OF_MEMORY, INTERNAL (libsoxr refused the rates).
  bool open(const char *path, std::uint32_t target_rate, FileError *err);
  // The two steps, apart for core_audio_read, whose size query needs the
  // header and the count only: open_file() opens and checks the file and
  // fixes the count; prepare() allocates what read() needs.
  bool open_file(const char *path, std::uint32_t target_rate, FileError *err);
  bool prepare(FileError *err);

  const FileInfo &info() const;
  std::uint32_t rate() const;   // the output rate
  std::uint64_t total() const;  // samples in all: output_count of the header
  std::uint64_t done() const;   // samples handed out by successful read() calls

  // The next min(n, total() - done()) samples into out[0, n); *got their
  // number (0 at the end). On failure (FORMAT, IO, OUT_OF_MEMORY, INTERNAL)
  // *got is 0, out[0, n) may have been partly written, and the reader is
  // failed: every later call returns the same status and detail.
  core_status read(float *out, std::size_t n, std::size_t *got, FileError *err);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

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

// libsoxr, mono float32, high quality (SOXR_HQ, linear phase), one thread.
class Resampler {
 public:
  // Output samples per process() call at most.
  static constexpr std::size_t kOutBlock = 8192;

  Resampler();
  ~Resampler();
  Resampler(const Resampler &) = delete;
  Resampler &operator=(const Resampler &) = delete;

  bool open(std::uint32_t from, std::uint32_t to, FileError *err);
  // One libsoxr call. Takes *idone samples of x[0, n) (libsoxr takes only
  // the input whose output fits in one block, so the rest goes in on a
  // later call) and gives *y[0, *odone), in a block of the resampler's own
  // that stays valid until the next call. x NULL (n 0) is the end of the
  // input: each call then drains part of the filter's tail, *odone 0 once
  // it is empty. INTERNAL when libsoxr fails, or takes no input and gives
  // no output.
  bool process(const float *x, std::size_t n, std::size_t *idone, const float **y,
               std::size_t *odone, FileError *err);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace core::audio

#endif
