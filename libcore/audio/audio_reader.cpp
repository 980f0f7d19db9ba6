// The chunked reader (core_audio_reader_t; core_audio_read is one chunk of
// it): a state machine that turns the decoder's blocks, through libsoxr when
// the rates differ, into one fixed stream of samples, handed out in chunks
// of whatever size the caller asks for.
//
// Why chunking cannot change the samples. The stream is produced by the
// same sequence of library calls whatever the chunks: the decoder reads
// blocks of min(Decoder::kBlockFrames, frames left) frames, in order, and
// libsoxr gets, for each block, calls on the block's unconsumed rest until
// it has taken all of it, then end-of-input calls until its tail is empty
// (what core_audio_read has always done). A chunk only decides how much of
// the output already made is copied out now, and when the next library call
// happens; the output waiting between chunks is at most one decoded block
// (rates equal) or one resampler block (Resampler::kOutBlock samples).
//
// End of the stream. The count is fixed by the header (output_count):
// libsoxr's output past it is dropped, a shortfall of a sample or two after
// the flush is zero-filled, a larger one is CORE_E_INTERNAL. Once the count
// is reached, the frames not decoded yet (possible only if libsoxr had no
// tail left to flush) are still decoded and dropped, so a truncated or
// damaged end is reported as core_audio_read reports it rather than the
// stream ending as if complete.
//
// Failure is final: the first error is kept, and every later read() returns
// it (the decoder and resampler are then in no state to continue).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "libcore/audio/audio_file.h"

namespace core::audio {

#ifdef CORE_HAVE_AUDIO_IO

namespace {

std::string quoted(const std::string &path) { return "\"" + path + "\""; }

}  // namespace

struct Reader::Impl {
  std::string path;  // for messages
  Decoder dec;
  Resampler rs;
  bool resampling = false;
  std::uint32_t to = 0;        // output rate
  std::uint64_t total = 0;     // samples in all
  std::uint64_t made = 0;      // samples of the stream produced (handed out or pending)
  std::uint64_t given = 0;     // samples handed out
  std::uint64_t decoded = 0;   // frames decoded
  bool flushed = false;        // libsoxr's tail fully drained

  // The decoded block being fed to libsoxr (resampling), or one decoded
  // for a chunk smaller than it (rates equal); also the source of padding
  // zeros.
  std::vector<float> block;
  std::size_t block_pos = 0, block_len = 0;

  // Output made but not handed out yet: into `block` or the resampler's
  // output block (valid until its next call).
  const float *pending = nullptr;
  std::size_t pending_len = 0;

  core_status failed = CORE_OK;  // the first error, repeated by every later read
  std::string failed_detail;

  std::size_t next_block() const {
    return static_cast<std::size_t>(
        std::min<std::uint64_t>(Decoder::kBlockFrames, dec.info().frames - decoded));
  }
  bool decode(float *dst, std::size_t k, FileError *err) {
    if (!dec.read(dst, k, err)) return false;
    decoded += k;
    return true;
  }
  // Decodes and drops the frames left, once the output is complete: the
  // checks core_audio_read makes on every frame. Not when the count is 0:
  // core_audio_read has never decoded a file that gives no sample (1
  // frame at 48 kHz read at 8 kHz).
  bool decode_rest(FileError *err) {
    if (total == 0) return true;
    while (decoded < dec.info().frames)
      if (!decode(block.data(), next_block(), err)) return false;
    return true;
  }
  // Makes y[0, k) (clipped to the count) the pending output, refusing a
  // value resampling made non-finite (input near the float limit).
  bool take(const float *y, std::size_t k, FileError *err);
  // Produces the next pending output (pending_len > 0 after), or finds
  // the end of the stream (made == total, every frame decoded).
  bool produce(FileError *err);
};

bool Reader::Impl::take(const float *y, std::size_t k, FileError *err) {
  k = static_cast<std::size_t>(std::min<std::uint64_t>(k, total - made));
  for (std::size_t i = 0; i < k; ++i)
    if (!std::isfinite(y[i]))
      return err->set(CORE_E_FORMAT, quoted(path) + ": resampling overflows float at sample " +
                                         std::to_string(made + i) +
                                         " (samples near the float limit)");
  pending = y;
  pending_len = k;
  made += k;
  return true;
}

bool Reader::Impl::produce(FileError *err) {
  const std::uint64_t frames = dec.info().frames;
  while (pending_len == 0 && made < total) {
    if (!resampling) {
      // Rates equal: a decoded block is output as it is (read() decodes
      // straight into the caller's buffer when the chunk holds a block).
      const std::size_t k = next_block();
      if (!decode(block.data(), k, err)) return false;
      pending = block.data();
      pending_len = k;
      made += k;
    } else if (block_pos < block_len) {
      std::size_t used = 0, got = 0;
      const float *y = nullptr;
      if (!rs.process(block.data() + block_pos, block_len - block_pos, &used, &y, &got, err))
        return false;
      block_pos += used;
      if (!take(y, got, err)) return false;
    } else if (decoded < frames) {
      block_len = next_block();
      block_pos = 0;
      if (!decode(block.data(), block_len, err)) return false;
    } else if (!flushed) {
      std::size_t got = 0, unused = 0;
      const float *y = nullptr;
      if (!rs.process(nullptr, 0, &unused, &y, &got, err)) return false;
      if (got == 0) flushed = true;
      else if (!take(y, got, err)) return false;
    } else {
      // libsoxr has always delivered the exact count (audio_resample.cpp);
      // a sample or two short are zero-filled, anything more is a bug.
      const std::uint64_t slack = to / dec.info().sample_rate + 2;
      if (total - made > slack)
        return err->set(CORE_E_INTERNAL, "libsoxr gave " + std::to_string(made) +
                                             " samples, " + std::to_string(total) +
                                             " expected");
      const std::size_t k =
          static_cast<std::size_t>(std::min<std::uint64_t>(block.size(), total - made));
      std::fill(block.begin(), block.begin() + static_cast<std::ptrdiff_t>(k), 0.0f);
      block_len = block_pos = 0;
      pending = block.data();
      pending_len = k;
      made += k;
    }
  }
  if (made == total) return decode_rest(err);
  return true;
}

Reader::Reader() : impl_(new Impl) {}
Reader::~Reader() = default;

bool Reader::open(const char *path, std::uint32_t target_rate, FileError *err) {
  return open_file(path, target_rate, err) && prepare(err);
}

const FileInfo &Reader::info() const { return impl_->dec.info(); }
std::uint32_t Reader::rate() const { return impl_->to; }
std::uint64_t Reader::total() const { return impl_->total; }
std::uint64_t Reader::done() const { return impl_->given; }

bool Reader::open_file(const char *path, std::uint32_t target_rate, FileError *err) {
  Impl &r = *impl_;
  r.path = path;
  if (!r.dec.open(path, true, err)) return false;
  const FileInfo &fi = r.dec.info();
  r.to = target_rate == 0 ? fi.sample_rate : target_rate;
  std::size_t count = 0;
  if (!output_count(fi.frames, fi.sample_rate, r.to, &count))
    return err->set(CORE_E_FORMAT, quoted(path) + " announces " + std::to_string(fi.frames) +
                                       " frames: more samples at " + std::to_string(r.to) +
                                       " Hz than a size_t counts");
  r.total = count;
  r.resampling = r.to != fi.sample_rate;
  return true;
}

bool Reader::prepare(FileError *err) {
  Impl &r = *impl_;
  r.block.resize(Decoder::kBlockFrames);
  // libsoxr only when its output is wanted (a zero-length file needs none).
  if (r.resampling && r.total > 0 && !r.rs.open(r.dec.info().sample_rate, r.to, err))
    return false;
  return true;
}

core_status Reader::read(float *out, std::size_t n, std::size_t *got, FileError *err) {
  Impl &r = *impl_;
  *got = 0;
  if (r.failed != CORE_OK) {
    err->set(r.failed, r.failed_detail);
    return r.failed;
  }
  std::size_t k = 0;
  bool ok = true;
  while (k < n) {
    if (r.pending_len > 0) {
      const std::size_t c = std::min(n - k, r.pending_len);
      std::memcpy(out + k, r.pending, c * sizeof(float));
      r.pending += c;
      r.pending_len -= c;
      k += c;
      continue;
    }
    if (r.made == r.total) break;
    // Rates equal and the chunk holds the next block: decode it in place.
    if (!r.resampling && n - k >= r.next_block()) {
      const std::size_t b = r.next_block();
      if (!(ok = r.decode(out + k, b, err))) break;
      r.made += b;
      k += b;
      if (r.made == r.total && !(ok = r.decode_rest(err))) break;
      continue;
    }
    if (!(ok = r.produce(err))) break;
  }
  // The end is reported once everything is checked: a read that stops
  // exactly at the count still decodes what is left.
  if (ok && r.made == r.total && r.pending_len == 0) ok = r.decode_rest(err);
  if (!ok) {
    r.failed = err->status;
    r.failed_detail = err->detail;
    return r.failed;
  }
  r.given += k;
  *got = k;
  return CORE_OK;
}

#else  // !CORE_HAVE_AUDIO_IO

struct Reader::Impl {
  FileInfo info;
};

Reader::Reader() : impl_(new Impl) {}
Reader::~Reader() = default;

bool Reader::open(const char *path, std::uint32_t target_rate, FileError *err) {
  return open_file(path, target_rate, err) && prepare(err);
}

const FileInfo &Reader::info() const { return impl_->info; }
std::uint32_t Reader::rate() const { return 0; }
std::uint64_t Reader::total() const { return 0; }
std::uint64_t Reader::done() const { return 0; }

bool Reader::prepare(FileError *) { return true; }

bool Reader::open_file(const char *path, std::uint32_t, FileError *err) {
  return err->set(CORE_E_UNSUPPORTED,
                  std::string("cannot read \"") + path +
                      "\": this libcore was built without audio file support (meson "
                      "-Daudio_io=disabled, or libsndfile / libsoxr not found)");
}

core_status Reader::read(float *, std::size_t, std::size_t *got, FileError *err) {
  // Unreachable: no reader opens in this build.
  *got = 0;
  err->set(CORE_E_UNSUPPORTED, "this libcore was built without audio file support");
  return err->status;
}

#endif  // CORE_HAVE_AUDIO_IO

}  // namespace core::audio
