// Decoding through libsndfile: open with a clear status per failure, check
// that the data the header announces is there, read in blocks as float,
// average the channels.
//
// Scaling. libsndfile's float reads (SFC_SET_NORM_FLOAT on, set explicitly
// below rather than trusted as the default) multiply integer PCM by
// 1 / 2^(bits-1) after widening it to 32 bits, a power of two, so PCM16 comes
// out as exactly int16 / 32768 (the tests compare jfk_16k.wav and .flac
// with jfk_16k.f32 bit for bit) and 24-bit PCM as exactly v / 2^23.
//
// Downmix. The channels of a frame are summed in double and divided by the
// channel count, then rounded to float once: the mean of 16- and 24-bit
// samples is exact or correctly rounded, whatever the order of channels.
#ifdef CORE_HAVE_AUDIO_IO

#include <fcntl.h>
#include <sndfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <mutex>
#include <vector>

#include "libcore/audio/audio_file.h"

namespace core::audio {

namespace {

// Samples per libsndfile read of interleaved data: 64 KiB of floats, so
// memory stays bounded for any channel count (libsndfile allows 1024).
constexpr std::size_t kInterleaved = 16384;

// libsndfile reports why sf_open failed only through a process-wide
// variable (sf_error(NULL), sf_strerror(NULL)), which a concurrent failing
// open would overwrite. Opens inside libcore are therefore serialized and
// the reason copied before the lock is released. Reads use the handle's own
// error state and run in parallel.
std::mutex open_mutex;

std::string quoted(const std::string &path) { return "\"" + path + "\""; }

std::string errno_text(int e) {
  char buf[256];
  return std::string(strerror_r(e, buf, sizeof buf));  // GNU: may not use buf
}

int container(int major) {
  switch (major) {
    case SF_FORMAT_WAV:
    case SF_FORMAT_WAVEX:
    case SF_FORMAT_RF64:  // the EBU's 64-bit WAV
      return CORE_AUDIO_FORMAT_WAV;
    case SF_FORMAT_FLAC:
      return CORE_AUDIO_FORMAT_FLAC;
    case SF_FORMAT_OGG:
      return CORE_AUDIO_FORMAT_OGG;
    default:
      return CORE_AUDIO_FORMAT_OTHER;
  }
}

// Bits of integer PCM, lossless codecs included (FLAC's subtype is PCM_N);
// 0 for float data and for lossy or companded codecs (Vorbis, Opus, MPEG,
// ADPCM, u-law, a-law, GSM...), whose samples have no integer depth.
std::uint32_t pcm_bits(int subtype) {
  switch (subtype) {
    case SF_FORMAT_PCM_S8:
    case SF_FORMAT_PCM_U8:
      return 8;
    case SF_FORMAT_DWVW_12:
      return 12;
    case SF_FORMAT_PCM_16:
    case SF_FORMAT_ALAC_16:
    case SF_FORMAT_DWVW_16:
      return 16;
    case SF_FORMAT_ALAC_20:
      return 20;
    case SF_FORMAT_PCM_24:
    case SF_FORMAT_ALAC_24:
    case SF_FORMAT_DWVW_24:
      return 24;
    case SF_FORMAT_PCM_32:
    case SF_FORMAT_ALAC_32:
      return 32;
    default:
      return 0;
  }
}

// libsndfile's failed allocations have no public error code (only
// SF_ERR_SYSTEM and the format codes are public), only the text "Internal
// malloc () failed."; matching it keeps CORE_E_OUT_OF_MEMORY honest, and a
// libsndfile that words it differently merely falls back to FORMAT.
bool is_malloc_failure(const std::string &text) {
  return text.find("malloc") != std::string::npos;
}

// The status for libsndfile error `code` with text `text`.
core_status status_of(int code, const std::string &text) {
  if (code == SF_ERR_SYSTEM) return CORE_E_IO;
  return is_malloc_failure(text) ? CORE_E_OUT_OF_MEMORY : CORE_E_FORMAT;
}

// The handle's last error as a status and text ("" when libsndfile has
// none, e.g. a plain end of data).
core_status sf_status(SNDFILE *sf, std::string *text) {
  const int code = sf_error(sf);
  *text = code == SF_ERR_NO_ERROR ? std::string() : std::string(sf_strerror(sf));
  return status_of(code, *text);
}

}  // namespace

struct Decoder::Impl {
  std::string path;  // for messages
  int fd = -1;
  std::uint64_t size = 0;
  SNDFILE *sf = nullptr;
  FileInfo info;
  std::uint64_t done = 0;  // frames read
  std::vector<float> interleaved;

  ~Impl() { close_all(); }
  void close_sf() {
    if (sf != nullptr) sf_close(sf);
    sf = nullptr;
  }
  void close_all() {
    close_sf();
    if (fd >= 0) ::close(fd);
    fd = -1;
  }

  bool open_fd(FileError *err);
  bool open_sf(FileError *err);

  std::uint64_t vpos = 0;  // libsndfile's position in the file (virtual I/O)
  static sf_count_t vio_length(void *user);
  static sf_count_t vio_seek(sf_count_t offset, int whence, void *user);
  static sf_count_t vio_read(void *ptr, sf_count_t count, void *user);
  static sf_count_t vio_write(const void *ptr, sf_count_t count, void *user);
  static sf_count_t vio_tell(void *user);
  bool check_complete(FileError *err);
};

// The file itself: missing (NOT_FOUND), not a regular file or not readable
// (IO). Opened here rather than by libsndfile so the status comes from
// errno, and without blocking on a FIFO (O_NONBLOCK until fstat says what
// it is).
bool Decoder::Impl::open_fd(FileError *err) {
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    const int e = errno;
    return err->set(e == ENOENT || e == ENOTDIR ? CORE_E_NOT_FOUND : CORE_E_IO,
                    "cannot open " + quoted(path) + ": " + errno_text(e));
  }
  struct stat st;
  if (fstat(fd, &st) != 0)
    return err->set(CORE_E_IO, "cannot stat " + quoted(path) + ": " + errno_text(errno));
  if (S_ISDIR(st.st_mode))
    return err->set(CORE_E_IO, quoted(path) + " is a directory, not an audio file");
  // A pipe or a device has no length to check the header against, and
  // libsndfile would read it as a stream; the contract is about files.
  if (!S_ISREG(st.st_mode))
    return err->set(CORE_E_IO, quoted(path) + " is not a regular file");
  const int flags = fcntl(fd, F_GETFL);
  if (flags >= 0) fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  size = static_cast<std::uint64_t>(st.st_size);
  return true;
}

// libsndfile reads the file through these callbacks (virtual I/O) rather
// than through sf_open_fd: libsndfile 1.2.0's sf_open_fd closes the
// descriptor when the open fails even when told not to (libsndfile issue
// #949), and the second close, ours, could then hit a descriptor another
// thread had just been given. With virtual I/O libsndfile never sees fd;
// reads are preads at the handle's own position, so nothing else can move
// it.
sf_count_t Decoder::Impl::vio_length(void *user) {
  return static_cast<sf_count_t>(static_cast<Impl *>(user)->size);
}
sf_count_t Decoder::Impl::vio_seek(sf_count_t offset, int whence, void *user) {
  Impl &d = *static_cast<Impl *>(user);
  const sf_count_t base = whence == SEEK_SET   ? 0
                          : whence == SEEK_CUR ? static_cast<sf_count_t>(d.vpos)
                                               : static_cast<sf_count_t>(d.size);
  if (offset > 0 && base > SF_COUNT_MAX - offset) return -1;
  const sf_count_t to = base + offset;
  if (to < 0) return -1;
  d.vpos = static_cast<std::uint64_t>(to);
  return to;
}
sf_count_t Decoder::Impl::vio_read(void *ptr, sf_count_t count, void *user) {
  Impl &d = *static_cast<Impl *>(user);
  char *dst = static_cast<char *>(ptr);
  sf_count_t got = 0;
  while (got < count) {
    const ssize_t r = pread(d.fd, dst + got, static_cast<std::size_t>(count - got),
                            static_cast<off_t>(d.vpos));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;  // end of file, or an error libsndfile sees as a short read
    got += r;
    d.vpos += static_cast<std::uint64_t>(r);
  }
  return got;
}
sf_count_t Decoder::Impl::vio_write(const void *, sf_count_t, void *) { return 0; }
sf_count_t Decoder::Impl::vio_tell(void *user) {
  return static_cast<sf_count_t>(static_cast<Impl *>(user)->vpos);
}

// A libsndfile handle on the file, from its start; info filled.
bool Decoder::Impl::open_sf(FileError *err) {
  SF_INFO si;
  std::memset(&si, 0, sizeof si);  // SFM_READ wants format 0
  SF_VIRTUAL_IO vio = {vio_length, vio_seek, vio_read, vio_write, vio_tell};
  {
    std::lock_guard<std::mutex> lock(open_mutex);
    vpos = 0;
    sf = sf_open_virtual(&vio, SFM_READ, &si, this);
    if (sf == nullptr) {
      const int code = sf_error(nullptr);
      const std::string why = sf_strerror(nullptr);
      switch (status_of(code, why)) {
        case CORE_E_IO:
          return err->set(CORE_E_IO, "cannot read " + quoted(path) + ": " + why);
        case CORE_E_OUT_OF_MEMORY:
          return err->set(CORE_E_OUT_OF_MEMORY,
                          "out of memory in libsndfile opening " + quoted(path) + ": " +
                              why);
        default:
          return err->set(CORE_E_FORMAT,
                          quoted(path) + " is not audio libsndfile can read: " + why);
      }
    }
  }
  if (si.samplerate <= 0 || si.channels <= 0 || si.frames < 0)
    return err->set(CORE_E_FORMAT, quoted(path) + ": libsndfile reports rate " +
                                        std::to_string(si.samplerate) + ", " +
                                        std::to_string(si.channels) + " channels, " +
                                        std::to_string(si.frames) + " frames");
  // libsndfile's "unknown length": an Ogg stream whose last page lacks the
  // end-of-stream mark, which is what cutting one short leaves.
  if (si.frames == SF_COUNT_MAX)
    return err->set(CORE_E_FORMAT, quoted(path) +
                                       ": the length of the audio is unknown (an Ogg stream "
                                       "without its end-of-stream page is truncated)");
  sf_command(sf, SFC_SET_NORM_FLOAT, nullptr, SF_TRUE);
  interleaved.resize(std::max<std::size_t>(kInterleaved, static_cast<std::size_t>(si.channels)));
  info.sample_rate = static_cast<std::uint32_t>(si.samplerate);
  info.channels = static_cast<std::uint32_t>(si.channels);
  info.frames = static_cast<std::uint64_t>(si.frames);
  info.format = container(si.format & SF_FORMAT_TYPEMASK);
  info.bits = pcm_bits(si.format & SF_FORMAT_SUBMASK);
  done = 0;
  return true;
}

// A file cut short reads, through libsndfile, either as a shorter complete
// file (WAV: it trusts the file size over the header) or until a decode
// error (FLAC). Both are found before any data is used: the WAV's data
// chunk against the file size, then the last frame the header announces,
// which every truncated file of the tests fails to reach.
bool Decoder::Impl::check_complete(FileError *err) {
  std::uint64_t announced = 0, present = 0;
  if (info.format == CORE_AUDIO_FORMAT_WAV && riff_data_truncated(fd, size, &announced, &present))
    return err->set(CORE_E_FORMAT, quoted(path) +
                                       " is truncated: its data chunk announces " +
                                       std::to_string(announced) + " bytes, the file holds " +
                                       std::to_string(present));
  if (info.frames == 0) return true;
  // Not for Ogg: libsndfile 1.2.0's Vorbis seek (vorbis_synthesis_trackonly)
  // dereferences NULL on a damaged stream and kills the process (found by
  // tests/fuzz/fuzz_audio_file, regression fuzz_audio_file-ogg-seek-segv).
  // A cut Ogg stream is refused in open_sf already (no end-of-stream page:
  // unknown length), and damage inside its data is found by
  // core_audio_read, which decodes every frame in order (audio.h).
  if (info.format == CORE_AUDIO_FORMAT_OGG) return true;
  const sf_count_t last = static_cast<sf_count_t>(info.frames - 1);
  if (sf_seek(sf, last, SEEK_SET) != last || sf_readf_float(sf, interleaved.data(), 1) != 1) {
    std::string why;
    const core_status st = sf_status(sf, &why);
    return err->set(st, quoted(path) + " is truncated or corrupt: the header announces " +
                            std::to_string(info.frames) + " frames but the last cannot be read" +
                            (why.empty() ? std::string() : " (" + why + ")"));
  }
  return true;
}

Decoder::Decoder() : impl_(new Impl) {}
Decoder::~Decoder() = default;

const FileInfo &Decoder::info() const { return impl_->info; }

bool Decoder::open(const char *path, bool for_reading, FileError *err) {
  Impl &d = *impl_;
  d.close_all();
  d.path = path;
  if (!d.open_fd(err) || !d.open_sf(err) || !d.check_complete(err)) return false;
  if (!for_reading) {
    d.close_all();
    return true;
  }
  // Decode from a fresh handle rather than seeking back to frame 0, so the
  // samples cannot depend on how a codec seeks (a Vorbis seek restarts its
  // decoder mid-stream).
  const FileInfo first = d.info;
  d.close_sf();
  if (!d.open_sf(err)) return false;
  if (d.info.frames != first.frames || d.info.sample_rate != first.sample_rate ||
      d.info.channels != first.channels)
    return err->set(CORE_E_IO, quoted(path) + " changed while being opened");
  return true;
}

bool Decoder::read(float *mono, std::size_t frames, FileError *err) {
  Impl &d = *impl_;
  if (d.sf == nullptr || frames > kBlockFrames || frames > d.info.frames - d.done)
    return err->set(CORE_E_INTERNAL, "Decoder::read called out of turn");
  const std::size_t ch = d.info.channels;
  const std::size_t per_call = std::max<std::size_t>(1, kInterleaved / ch);
  std::size_t got = 0;
  while (got < frames) {
    const std::size_t want = std::min(frames - got, per_call);
    float *dst = ch == 1 ? mono + got : d.interleaved.data();
    const sf_count_t r = sf_readf_float(d.sf, dst, static_cast<sf_count_t>(want));
    if (r <= 0) {
      std::string why;
      const core_status st = sf_status(d.sf, &why);
      return err->set(st, quoted(d.path) + " is truncated or corrupt: the data ends after " +
                              std::to_string(d.done + got) + " of the " +
                              std::to_string(d.info.frames) + " frames the header announces" +
                              (why.empty() ? std::string() : " (" + why + ")"));
    }
    if (ch > 1) {
      const float *f = d.interleaved.data();
      for (sf_count_t i = 0; i < r; ++i, f += ch) {
        double sum = 0;
        for (std::size_t c = 0; c < ch; ++c) sum += f[c];
        mono[got + static_cast<std::size_t>(i)] = static_cast<float>(sum / static_cast<double>(ch));
      }
    }
    got += static_cast<std::size_t>(r);
  }
  // Float files can hold NaN or infinity; integer PCM and the codecs
  // cannot, but checking every block costs little next to decoding it.
  for (std::size_t i = 0; i < frames; ++i)
    if (!std::isfinite(mono[i]))
      return err->set(CORE_E_FORMAT, quoted(d.path) + ": frame " +
                                         std::to_string(d.done + i) +
                                         " holds a NaN or an infinity");
  d.done += frames;
  return true;
}

}  // namespace core::audio

#endif  // CORE_HAVE_AUDIO_IO
