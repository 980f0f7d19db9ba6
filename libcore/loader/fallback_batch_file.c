/* Portable core_stats_file_f32 (batch.h): a raw float32 file read in 2 MiB
 * chunks (pread for a regular file, read for a pipe or device) and pushed
 * through the fallback's accumulator with the length declared, which
 * reproduces core_fb_stats_f32 on the same values bit for bit (batch.h
 * convention 4 (b)); a stream of unknown length follows 4 (c).
 *
 * This is the library's read(2) path (libcore/batch/file.cpp: read_stats),
 * used for every file: the fallback never maps a file and installs no
 * signal handler, so LIBCORE_NO_MMAP changes nothing and a file that
 * shrinks during the call is an ordinary short read, CORE_E_IO ("the file
 * shrank while being read"). Statuses and messages are the library's.
 * POSIX only (open, fstat, pread, read); serial. */
#if !defined(_POSIX_C_SOURCE) && !defined(_GNU_SOURCE)
#define _POSIX_C_SOURCE 200809L /* pread, O_CLOEXEC, strerror_r, even with -std=c11 */
#endif
#if !defined(_FILE_OFFSET_BITS)
#define _FILE_OFFSET_BITS 64 /* files past 2 GiB on 32-bit systems */
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "libcore/loader/fallback_util.h"

#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif

static const char *const fb_fn = "core_stats_file_f32";

enum { FB_VALUE = sizeof(float) };
/* Values per read: 256 blocks (2 MiB), as in the library. */
#define FB_READ_VALUES ((size_t)256 * FB_BLOCK)

/* strerror_r into buf, whichever of its two signatures libc declares. */
static const char *errno_text(int e, char *buf, size_t cap) {
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
  return strerror_r(e, buf, cap); /* GNU: returns the message, maybe not in buf */
#else
  if (strerror_r(e, buf, cap) != 0) snprintf(buf, cap, "error %d", e);
  return buf;
#endif
}

/* Reads up to `want` bytes at `pos` (pread for a regular file, read for a
 * stream), retrying on EINTR and short reads. Returns the bytes read, fewer
 * only at end of file, or -1 with errno set. */
static long long read_full(int fd, int regular, uint64_t pos, char *buf, size_t want) {
  size_t got = 0;
  while (got < want) {
    const ssize_t r = regular ? pread(fd, buf + got, want - got, (off_t)(pos + got))
                              : read(fd, buf + got, want - got);
    if (r < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (r == 0) break;
    got += (size_t)r;
  }
  return (long long)got;
}

/* The buffer and the accumulator, allocated together (about 2 MiB). */
typedef struct fb_reader {
  core_stats_acc_t acc;
  float values[FB_READ_VALUES];
} fb_reader;

/* Sets the message and returns status (the file is closed by the caller). */
#define FB_FAIL(status, ...) (core_fb_set_error(fb_fn, __VA_ARGS__), (status))

/* Summary of `count` values from `offset` (count == 0: a stream to its end,
 * length unknown). */
static core_status read_stats(int fd, int regular, uint64_t offset, uint64_t count, int omit,
                              core_stats_t *out) {
  char msg[256];
  fb_reader *rd = (fb_reader *)malloc(sizeof *rd);
  char *bytes;
  uint64_t pos = offset * FB_VALUE, done = 0; /* file position, for pread */
  core_status st = CORE_OK;
  if (rd == NULL) return FB_FAIL(CORE_E_OUT_OF_MEMORY, "out of memory");
  bytes = (char *)rd->values;
  if (!regular) { /* skip `offset` values of the stream */
    uint64_t left = offset * FB_VALUE;
    while (left > 0) {
      const size_t want =
          left < FB_READ_VALUES * FB_VALUE ? (size_t)left : FB_READ_VALUES * FB_VALUE;
      const long long r = read_full(fd, 0, 0, bytes, want);
      if (r < 0) {
        st = FB_FAIL(CORE_E_IO, "read failed: %s", errno_text(errno, msg, sizeof msg));
        goto done;
      }
      if ((size_t)r < want) {
        st = FB_FAIL(CORE_E_INVALID_ARGUMENT, "offset %llu is past the end of the stream",
                     (unsigned long long)offset);
        goto done;
      }
      left -= want;
    }
  }
  core_fb_acc_start(&rd->acc, omit, count);
  while (count == 0 || done < count) {
    uint64_t want = FB_READ_VALUES, got;
    long long r;
    if (count != 0 && count - done < want) want = count - done;
    r = read_full(fd, regular, pos, bytes, (size_t)(want * FB_VALUE));
    if (r < 0) {
      st = FB_FAIL(CORE_E_IO, "read failed: %s", errno_text(errno, msg, sizeof msg));
      goto done;
    }
    got = (uint64_t)r;
    core_fb_acc_add_f32(&rd->acc, rd->values, (size_t)(got / FB_VALUE));
    done += got / FB_VALUE;
    pos += got;
    if (got == want * FB_VALUE) continue;
    /* End of file before `want`. */
    if (regular) {
      st = FB_FAIL(CORE_E_IO, "the file shrank while being read (%llu of %llu values read)",
                   (unsigned long long)done, (unsigned long long)count);
    } else if (got % FB_VALUE != 0) {
      st = FB_FAIL(CORE_E_FORMAT, "the stream ended %llu byte(s) into a float32 value",
                   (unsigned long long)(got % FB_VALUE));
    } else if (count != 0) {
      st = FB_FAIL(CORE_E_INVALID_ARGUMENT,
                   "offset + count is past the end: the stream ended after %llu values",
                   (unsigned long long)(offset + done));
    }
    break;
  }
  if (st == CORE_OK) *out = core_fb_acc_summary(&rd->acc);
done:
  free(rd);
  return st;
}

static core_status file_stats(int fd, const char *path, uint64_t offset, uint64_t count,
                              int omit, core_stats_t *out) {
  char msg[256];
  struct stat st;
  uint64_t size, values;
  if (fstat(fd, &st) != 0)
    return FB_FAIL(CORE_E_IO, "fstat failed: %s", errno_text(errno, msg, sizeof msg));
  if (S_ISDIR(st.st_mode)) return FB_FAIL(CORE_E_IO, "\"%s\" is a directory", path);
  if (!S_ISREG(st.st_mode)) {
    if (offset > UINT64_MAX / FB_VALUE || count > UINT64_MAX / FB_VALUE - offset)
      return FB_FAIL(CORE_E_INVALID_ARGUMENT, "offset + count overflows a byte position");
    return read_stats(fd, 0, offset, count, omit, out);
  }

  size = (uint64_t)st.st_size;
  if (size % FB_VALUE != 0)
    return FB_FAIL(CORE_E_FORMAT,
                   "the file size, %llu bytes, is not a multiple of 4 (raw float32 expected)",
                   (unsigned long long)size);
  values = size / FB_VALUE;
  if (offset > values)
    return FB_FAIL(CORE_E_INVALID_ARGUMENT,
                   "offset %llu is past the end of the file (%llu values)",
                   (unsigned long long)offset, (unsigned long long)values);
  if (count == 0) count = values - offset;
  if (count > values - offset)
    return FB_FAIL(CORE_E_INVALID_ARGUMENT,
                   "offset + count = %llu + %llu is past the end of the file (%llu values)",
                   (unsigned long long)offset, (unsigned long long)count,
                   (unsigned long long)values);
  if (count == 0) {
    *out = core_fb_summary_empty(0);
    return CORE_OK;
  }
  return read_stats(fd, 1, offset, count, omit, out);
}

core_status core_fb_stats_file_f32(const char *path, uint64_t offset, uint64_t count,
                                   core_nan_policy nan, core_stats_t *out) {
  char msg[256];
  core_status status;
  int fd;
  FB_REQUIRE_OUT(path);
  FB_REQUIRE_OUT(out);
  FB_REQUIRE_NAN_POLICY(nan);
  do {
    fd = open(path, O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    const int e = errno;
    return FB_FAIL(e == ENOENT || e == ENOTDIR ? CORE_E_NOT_FOUND : CORE_E_IO,
                   "cannot open \"%s\": %s", path, errno_text(e, msg, sizeof msg));
  }
  status = file_stats(fd, path, offset, count, nan == CORE_NAN_OMIT, out);
  close(fd);
  return status;
}
