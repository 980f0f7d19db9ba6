// core_stats_file_f32: a raw float32 file summarized in place.
//
// Regular files are mapped and handed to core::summarize, so the result is
// what core_stats_f32 gives on the same values in memory, computed in
// parallel, and the file may be larger than RAM. The mapping is protected
// by sigbus::Guard; when it cannot be (SIGBUS belongs to the host), when
// mmap fails, or with LIBCORE_NO_MMAP=1, the file is read with pread into a
// buffer and pushed through the accumulator with the length declared,
// which reproduces summarize's block tree bit for bit (accumulator.cpp).
// Pipes and devices are read as streams the same way.
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libcore/batch/batch.h"
#include "libcore/batch/sigbus.h"
#include "libcore/simd/kernels.h"
#include "libcore/stats/stats.h"

namespace core {

namespace {

constexpr std::uint64_t kValue = sizeof(float);
// Values per read: 256 blocks (2 MiB), as many as the accumulator
// summarizes in one parallel batch.
constexpr std::size_t kReadValues = 256 * simd::kBlock;

bool fail(FileError *err, core_status status, std::string detail) {
  err->status = status;
  err->detail = std::move(detail);
  return false;
}

std::string errno_text(int e) {
  char buf[256];
  // GNU strerror_r: returns the message, maybe not in buf.
  return std::string(strerror_r(e, buf, sizeof buf));
}

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

// Reads up to `want` bytes at `pos` (pread for a regular file, read for a
// stream), retrying on EINTR and short reads. Returns the bytes read, fewer
// only at end of file, or -1 with errno set.
long long read_full(int fd, bool regular, std::uint64_t pos, char *buf, std::size_t want) {
  std::size_t got = 0;
  while (got < want) {
    const ssize_t r = regular ? pread(fd, buf + got, want - got, static_cast<off_t>(pos + got))
                              : read(fd, buf + got, want - got);
    if (r < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (r == 0) break;
    got += static_cast<std::size_t>(r);
  }
  return static_cast<long long>(got);
}

// The read(2) path. count == 0 only for a stream of unknown length.
bool read_stats(int fd, bool regular, std::uint64_t offset, std::uint64_t count, bool omit_nan,
                core_stats_t *out, FileError *err) {
  std::vector<float> buf(kReadValues);
  char *bytes = reinterpret_cast<char *>(buf.data());
  std::uint64_t pos = offset * kValue;  // file position, for pread
  if (!regular) {  // skip `offset` values of the stream
    for (std::uint64_t left = offset * kValue; left > 0;) {
      const std::size_t want = left < kReadValues * kValue ? left : kReadValues * kValue;
      const long long r = read_full(fd, false, 0, bytes, want);
      if (r < 0) return fail(err, CORE_E_IO, "read failed: " + errno_text(errno));
      if (static_cast<std::size_t>(r) < want)
        return fail(err, CORE_E_INVALID_ARGUMENT,
                    "offset " + std::to_string(offset) + " is past the end of the stream");
      left -= want;
    }
  }
  auto acc = std::make_unique<core_stats_acc_t>();
  acc_init(acc.get(), omit_nan, count);
  std::uint64_t done = 0;
  while (count == 0 || done < count) {
    std::uint64_t want = kReadValues;
    if (count != 0 && count - done < want) want = count - done;
    const long long r = read_full(fd, regular, pos, bytes, static_cast<std::size_t>(want * kValue));
    if (r < 0) return fail(err, CORE_E_IO, "read failed: " + errno_text(errno));
    const std::uint64_t got = static_cast<std::uint64_t>(r);
    acc_push(acc.get(), buf.data(), static_cast<std::size_t>(got / kValue));
    done += got / kValue;
    pos += got;
    if (got == want * kValue) continue;
    // End of file before `want`.
    if (regular)
      return fail(err, CORE_E_IO, "the file shrank while being read (" + std::to_string(done) +
                                      " of " + std::to_string(count) + " values read)");
    if (got % kValue != 0)
      return fail(err, CORE_E_FORMAT,
                  "the stream ended " + std::to_string(got % kValue) +
                      " byte(s) into a float32 value");
    if (count != 0)
      return fail(err, CORE_E_INVALID_ARGUMENT,
                  "offset + count is past the end: the stream ended after " +
                      std::to_string(offset + done) + " values");
    break;
  }
  *out = acc_result(*acc);
  return true;
}

bool mmap_disabled() {
  const char *v = std::getenv("LIBCORE_NO_MMAP");
  return v != nullptr && v[0] != '\0' && std::strcmp(v, "0") != 0;
}

// The mmap path. Returns false with err->status == CORE_OK when the mapping
// cannot be used (the caller then reads the file instead).
bool mapped_stats(int fd, std::uint64_t offset, std::uint64_t count, bool omit_nan,
                  core_stats_t *out, FileError *err) {
  const long page_size = sysconf(_SC_PAGESIZE);
  if (page_size <= 0 || mmap_disabled()) return false;
  const std::uint64_t page = static_cast<std::uint64_t>(page_size);
  const std::uint64_t start = offset * kValue, map_start = start - start % page;
  const std::uint64_t map_len = start - map_start + count * kValue;
  if (map_len > SIZE_MAX || count > SIZE_MAX) return false;  // 32-bit address space
  void *map = mmap(nullptr, static_cast<std::size_t>(map_len), PROT_READ, MAP_SHARED, fd,
                   static_cast<off_t>(map_start));
  if (map == MAP_FAILED) return false;
  bool faulted;
  {
    sigbus::Guard guard(map, static_cast<std::size_t>(map_len));
    if (!guard.ok()) {
      munmap(map, static_cast<std::size_t>(map_len));
      return false;
    }
    const float *x = reinterpret_cast<const float *>(static_cast<const char *>(map) +
                                                     (start - map_start));
    *out = summarize(x, static_cast<std::size_t>(count), omit_nan);
    faulted = guard.faulted();
  }
  munmap(map, static_cast<std::size_t>(map_len));
  struct stat st;
  const bool shrank = fstat(fd, &st) == 0 &&
                      static_cast<std::uint64_t>(st.st_size) < start + count * kValue;
  if (faulted || shrank)
    return fail(err, CORE_E_IO, "the file shrank while mapped (its summary is discarded)");
  return true;
}

}  // namespace

bool stats_file_f32(const char *path, std::uint64_t offset, std::uint64_t count, bool omit_nan,
                    core_stats_t *out, FileError *err) {
  Fd f;
  do {
    f.fd = open(path, O_RDONLY | O_CLOEXEC);
  } while (f.fd < 0 && errno == EINTR);
  if (f.fd < 0) {
    const int e = errno;
    return fail(err, e == ENOENT || e == ENOTDIR ? CORE_E_NOT_FOUND : CORE_E_IO,
                std::string("cannot open \"") + path + "\": " + errno_text(e));
  }
  struct stat st;
  if (fstat(f.fd, &st) != 0) return fail(err, CORE_E_IO, "fstat failed: " + errno_text(errno));
  if (S_ISDIR(st.st_mode))
    return fail(err, CORE_E_IO, std::string("\"") + path + "\" is a directory");
  if (!S_ISREG(st.st_mode)) {
    if (offset > UINT64_MAX / kValue || count > UINT64_MAX / kValue - offset)
      return fail(err, CORE_E_INVALID_ARGUMENT, "offset + count overflows a byte position");
    return read_stats(f.fd, false, offset, count, omit_nan, out, err);
  }

  const std::uint64_t size = static_cast<std::uint64_t>(st.st_size);
  if (size % kValue != 0)
    return fail(err, CORE_E_FORMAT,
                "the file size, " + std::to_string(size) +
                    " bytes, is not a multiple of 4 (raw float32 expected)");
  const std::uint64_t values = size / kValue;
  if (offset > values)
    return fail(err, CORE_E_INVALID_ARGUMENT,
                "offset " + std::to_string(offset) + " is past the end of the file (" +
                    std::to_string(values) + " values)");
  if (count == 0) count = values - offset;
  if (count > values - offset)
    return fail(err, CORE_E_INVALID_ARGUMENT,
                "offset + count = " + std::to_string(offset) + " + " + std::to_string(count) +
                    " is past the end of the file (" + std::to_string(values) + " values)");
  if (count == 0) {
    *out = summarize(static_cast<const float *>(nullptr), 0, omit_nan);
    return true;
  }
  if (mapped_stats(f.fd, offset, count, omit_nan, out, err)) return true;
  if (err->status != CORE_OK) return false;
  return read_stats(f.fd, true, offset, count, omit_nan, out, err);
}

}  // namespace core
