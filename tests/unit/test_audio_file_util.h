/* Helpers shared by the audio-file suites (test_audio_file*.c): status
 * checks, a temporary directory per test, WAV files written from scratch,
 * whole-file reads and comparisons. Test code only.
 *
 * CORE_TEST_AUDIO_IO is 1 when libcore was built with libsndfile and
 * libsoxr (meson's audio_io_enabled), 0 otherwise: the suites then test the
 * CORE_E_UNSUPPORTED path instead of decoding. */
#ifndef CORE_TEST_AUDIO_FILE_UTIL_H
#define CORE_TEST_AUDIO_FILE_UTIL_H

#include <criterion/criterion.h>
#include <criterion/logging.h>

#include <stddef.h>
#include <stdint.h>

#include <core/core.h>

#include "testdata.h"
#include "testutil.h"

#ifndef CORE_TEST_AUDIO_IO
#error "tests/unit/meson.build passes -DCORE_TEST_AUDIO_IO=0 or 1"
#endif

/* Exact status plus a message naming fn and containing needle (NULL: no
 * needle). Expect, not assert, so one test reports every bad path. */
#define AF_ERR(want, fn, needle, call)                                                     \
  do {                                                                                     \
    core_status st_ = (call);                                                              \
    const char *needle_ = (needle);                                                        \
    cr_expect_eq(st_, (want), "%s -> %s, want %s (%s)", #call, core_status_str(st_),       \
                 core_status_str(want), core_last_error_message());                        \
    cr_expect(tu_message_has(fn), "%s: message \"%s\" should name %s", #call,              \
              core_last_error_message(), fn);                                              \
    if (needle_ != NULL)                                                                   \
      cr_expect(tu_message_has(needle_), "%s: message \"%s\" should say \"%s\"", #call,    \
                core_last_error_message(), needle_);                                       \
  } while (0)
#define AF_OK(call)                                                                        \
  do {                                                                                     \
    core_status st_ = (call);                                                              \
    cr_assert_eq(st_, CORE_OK, "%s -> %s (%s)", #call, core_status_str(st_),               \
                 core_last_error_message());                                               \
  } while (0)

/* ---- a temporary directory per test (suite .init / .fini) ------------------ */

void af_dir_make(void);
/* Removes everything in the directory (one level of subdirectories), then
 * the directory; first returns to root's effective uid if a test left it. */
void af_dir_remove(void);
/* Criterion does not run .fini after a skip, so suites with a temporary
 * directory skip through these, which remove it first: AF_TD is TD_PATH
 * and AF_SKIP cr_skip_test. */
#define AF_TD(name) (td_find(name) != NULL ? TD_PATH(name) : (af_dir_remove(), TD_PATH(name)))
#define AF_SKIP(...)          \
  do {                        \
    af_dir_remove();          \
    cr_skip_test(__VA_ARGS__); \
  } while (0)
/* The directory itself. */
const char *af_dir(void);
/* dir/name, in one of eight static buffers (a test may hold several). */
const char *af_path(const char *name);

/* ---- files ---------------------------------------------------------------- */

/* Writes bytes to path (created or truncated); asserts on failure. */
void af_write_file(const char *path, const void *bytes, size_t len);
/* The whole file, malloc'd; *len its size. Asserts on failure. */
unsigned char *af_slurp(const char *path, size_t *len);

/* A canonical 44-byte-header WAV: format tag 1 (integer PCM) or 3 (IEEE
 * float), `data_len` bytes of interleaved little-endian samples. The data
 * chunk announces `declared` bytes (normally data_len; more for a
 * truncated file, 0xFFFFFFFF for a streamed one). */
void af_write_wav(const char *path, uint16_t tag, uint16_t channels, uint32_t rate,
                  uint16_t bits, const void *data, uint32_t data_len, uint32_t declared);
/* Mono or interleaved int16 PCM, declared length = actual. */
void af_write_wav16(const char *path, uint16_t channels, uint32_t rate, const int16_t *x,
                    size_t samples);

/* ---- reading and comparing ------------------------------------------------- */

/* An info struct filled with 0x77 bytes (struct_size set): what a failing
 * call must leave untouched. */
core_audio_info_t af_info_sentinel(void);

/* core_audio_read of the whole file at rate (size query, then read into a
 * buffer with guard values after the count, checked untouched). Asserts
 * CORE_OK; *n the count. malloc'd. */
float *af_read_all(const char *path, uint32_t rate, size_t *n);

/* Index of the first non-finite value, or n when all are finite. */
size_t af_first_nonfinite(const float *x, size_t n);

/* Pearson correlation, RMS and max of |a - b|, in double. */
typedef struct af_diff { double corr, rms, max_abs; } af_diff;
af_diff af_compare(const float *a, const float *b, size_t n);

#endif
