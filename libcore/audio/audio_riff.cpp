// The WAV check libsndfile does not make. When a WAV's data chunk announces
// more bytes than the file holds (a download or a copy cut short),
// libsndfile only notes "data : N (should be M)" in its log and reports the
// frames that are there, so the truncated file would read as a shorter,
// complete one. The contract says a truncated file is CORE_E_FORMAT, so the
// chunks are walked here, on the header bytes only.
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "libcore/audio/audio_file.h"

namespace core::audio {

namespace {

// Reads exactly `len` bytes at `pos`; false on a short read or an error
// (either way the walk gives up and libsndfile's view stands).
bool read_at(int fd, std::uint64_t pos, unsigned char *buf, std::size_t len) {
  std::size_t got = 0;
  while (got < len) {
    const ssize_t r = pread(fd, buf + got, len - got, static_cast<off_t>(pos + got));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    got += static_cast<std::size_t>(r);
  }
  return true;
}

std::uint32_t u32(const unsigned char *p, bool big_endian) {
  return big_endian ? (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) |
                          (std::uint32_t{p[2]} << 8) | p[3]
                    : (std::uint32_t{p[3]} << 24) | (std::uint32_t{p[2]} << 16) |
                          (std::uint32_t{p[1]} << 8) | p[0];
}

// A WAV has a handful of chunks; a walk longer than this is reading
// garbage and leaves the judgment to libsndfile.
constexpr int kMaxChunks = 4096;

}  // namespace

bool riff_data_truncated(int fd, std::uint64_t size, std::uint64_t *announced,
                         std::uint64_t *present) {
  unsigned char head[12];
  if (size < sizeof head || !read_at(fd, 0, head, sizeof head)) return false;
  const bool riff = std::memcmp(head, "RIFF", 4) == 0, rifx = std::memcmp(head, "RIFX", 4) == 0;
  if ((!riff && !rifx) || std::memcmp(head + 8, "WAVE", 4) != 0) return false;

  std::uint64_t pos = sizeof head;
  for (int i = 0; i < kMaxChunks && pos + 8 <= size; ++i) {
    unsigned char chunk[8];
    if (!read_at(fd, pos, chunk, sizeof chunk)) return false;
    const std::uint32_t len = u32(chunk + 4, rifx);
    if (std::memcmp(chunk, "data", 4) == 0) {
      // Streaming writers that cannot seek back leave 0xFFFFFFFF ("to the
      // end"); libsndfile reads to the end then, and so do we.
      if (len == 0xFFFFFFFFu) return false;
      const std::uint64_t have = size - (pos + 8);
      if (len <= have) return false;
      *announced = len;
      *present = have;
      return true;
    }
    // Chunks are padded to an even length.
    pos += 8 + std::uint64_t{len} + (len & 1u);
  }
  return false;
}

}  // namespace core::audio
