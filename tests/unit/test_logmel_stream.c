/* Unit tests for the streaming log-mel (audio.h): frames equal the offline
 * ones bit for bit whatever the chunk sizes (LOG10; WHISPER over the whole
 * stream), WHISPER windows normalized by their own maximum, when frames
 * become ready, flush, reset, streams shorter than n_fft, and a NaN burst
 * that spoils only the frames reading it. */
#include "test_logmel_util.h"

/* N % 160 = 30: the last frame reads past the end (reflected at flush). */
enum { M = 80, N = 16000 * 3 + 4990 };

/* Chunk sizes: fixed, or (size 0) random in 1 .. 4000 with a bias to
 * small ones. */
static size_t next_chunk(size_t size, tu_rng *r) {
  if (size != 0) return size;
  const uint64_t u = tu_next_u64(r);
  return 1 + (size_t)(u % ((u >> 32) % 4 == 0 ? 4000 : 200));
}

/* Streams x through s in chunks, reading what is ready after every push in
 * reads of random size (checking core_logmel_stream_available), then
 * flushes and reads the rest. Returns the frames, frame-major. */
static float *stream_all(core_logmel_stream_t *s, const float *x, size_t n, size_t chunk,
                         uint64_t seed, size_t *frames) {
  tu_rng r = tu_rng_make(seed);
  float *out = lm_buf((n / 160 + 1) * M); /* hop 160: at most n / 160 frames */
  size_t got = 0, rd = 0;
  for (size_t at = 0; at < n;) {
    const size_t c = next_chunk(chunk, &r), k = c < n - at ? c : n - at;
    OK(core_logmel_stream_push(s, x + at, k));
    at += k;
    if (tu_next_u64(&r) % 3 == 0) continue; /* let frames pile up sometimes */
    size_t avail = 0;
    OK(core_logmel_stream_available(s, &avail));
    while (avail > 0) {
      const size_t want = 1 + (size_t)(tu_next_u64(&r) % avail);
      OK(core_logmel_stream_read(s, out + got * M, want, &rd));
      CHECK(rd == want, "read %zu of %zu available", rd, want);
      got += rd;
      avail -= rd;
    }
  }
  OK(core_logmel_stream_flush(s));
  OK(core_logmel_stream_read(s, out + got * M, n / 160 + 1 - got, &rd));
  got += rd;
  OK(core_logmel_stream_available(s, &rd));
  cr_assert_eq(rd, 0, "frames left after reading everything");
  *frames = got;
  return out;
}

static core_logmel_stream_t *stream_make(int mode, uint32_t window_frames) {
  core_logmel_options_t o = lm_opts(M, mode);
  o.window_frames = window_frames;
  core_logmel_stream_t *s = NULL;
  OK(core_logmel_stream_create(&o, &s));
  return s;
}

static float *offline(int mode, const float *x, size_t n, size_t *frames) {
  core_logmel_options_t o = lm_opts(M, mode);
  core_logmel_t *lm = lm_make(&o);
  float *out = lm_compute(lm, x, n, M, frames);
  core_logmel_destroy(lm);
  return out;
}

/* Frame-major stream frames against band-major offline ones, bit for bit. */
static void expect_same(const float *st, size_t st_frames, const float *off, size_t off_frames,
                        const char *what, size_t chunk) {
  cr_assert_eq(st_frames, off_frames, "%s, chunk %zu: %zu frames, offline %zu", what, chunk,
               st_frames, off_frames);
  for (size_t t = 0; t < st_frames; ++t)
    for (size_t m = 0; m < M; ++m)
      CHECK(lm_same_bits(st[t * M + m], off[m * off_frames + t]),
            "%s, chunk %zu: frame %zu band %zu: %.9g, offline %.9g", what, chunk, t, m,
            st[t * M + m], off[m * off_frames + t]);
}

static const size_t kChunks[] = {1, 7, 160, 161, 1000, 16000, 0, 0, 0};

Test(logmel_stream, log10_equals_offline_for_any_chunks) {
  float *x = lm_signal(N, 50);
  size_t off_frames = 0, frames = 0;
  float *off = offline(CORE_LOGMEL_LOG10, x, N, &off_frames);
  for (size_t i = 0; i < sizeof kChunks / sizeof kChunks[0]; ++i) {
    core_logmel_stream_t *s = stream_make(CORE_LOGMEL_LOG10, 0);
    float *st = stream_all(s, x, N, kChunks[i], 60 + i, &frames);
    expect_same(st, frames, off, off_frames, "LOG10", kChunks[i]);
    free(st);
    core_logmel_stream_destroy(s);
  }
  free(off);
  free(x);
}

Test(logmel_stream, whisper_one_window_equals_offline) {
  float *x = lm_signal(N, 51);
  size_t off_frames = 0, frames = 0;
  float *off = offline(CORE_LOGMEL_WHISPER, x, N, &off_frames);
  const size_t chunks[] = {1, 161, 16000, 0};
  for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; ++i) {
    core_logmel_stream_t *s = stream_make(CORE_LOGMEL_WHISPER, 0);
    OK(core_logmel_stream_push(s, x, N / 2));
    size_t avail = 9;
    OK(core_logmel_stream_available(s, &avail));
    cr_expect_eq(avail, 0, "window_frames 0: nothing is ready before flush");
    OK(core_logmel_stream_reset(s));
    float *st = stream_all(s, x, N, chunks[i], 70 + i, &frames);
    expect_same(st, frames, off, off_frames, "WHISPER window 0", chunks[i]);
    free(st);
    core_logmel_stream_destroy(s);
  }
  free(off);
  free(x);
}

/* Window W: frames [kW, (k + 1)W) are the offline LOG10 frames floored by
 * their own maximum - 8, then (x + 4) / 4. */
Test(logmel_stream, whisper_windows_use_their_own_max) {
  float *x = lm_signal(N, 52);
  size_t off_frames = 0, frames = 0;
  float *lg = offline(CORE_LOGMEL_LOG10, x, N, &off_frames);
  const uint32_t W = 100;
  float *want = lm_buf(M * off_frames);
  for (size_t w0 = 0; w0 < off_frames; w0 += W) {
    const size_t w1 = w0 + W < off_frames ? w0 + W : off_frames;
    float mx = -INFINITY;
    for (size_t m = 0; m < M; ++m)
      for (size_t t = w0; t < w1; ++t) mx = lg[m * off_frames + t] > mx ? lg[m * off_frames + t] : mx;
    for (size_t m = 0; m < M; ++m)
      for (size_t t = w0; t < w1; ++t) {
        const float v = lg[m * off_frames + t];
        want[m * off_frames + t] = ((v < mx - 8.0f ? mx - 8.0f : v) + 4.0f) / 4.0f;
      }
  }
  const size_t chunks[] = {7, 1000, 0};
  for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; ++i) {
    core_logmel_stream_t *s = stream_make(CORE_LOGMEL_WHISPER, W);
    float *st = stream_all(s, x, N, chunks[i], 80 + i, &frames);
    expect_same(st, frames, want, off_frames, "WHISPER window 100", chunks[i]);
    free(st);
    /* Before flush only whole windows are readable. */
    OK(core_logmel_stream_reset(s));
    size_t avail = 0;
    for (size_t at = 0; at + 777 <= N; at += 777) {
      OK(core_logmel_stream_push(s, x + at, 777));
      OK(core_logmel_stream_available(s, &avail));
      CHECK(avail % W == 0, "%zu frames readable mid-stream, not whole windows", avail);
    }
    cr_expect_gt(avail, 0);
    core_logmel_stream_destroy(s);
  }
  free(want);
  free(lg);
  free(x);
}

/* Frame t is ready once n_fft samples, its last sample and (t + 1) * hop
 * samples are there (the header's rule), for Whisper's sizes and for a hop
 * above n_fft / 2. */
static void check_readiness(uint32_t n_fft, uint32_t hop, uint32_t n_mels) {
  core_logmel_options_t o = lm_opts(n_mels, CORE_LOGMEL_LOG10);
  o.n_fft = n_fft;
  o.hop = hop;
  core_logmel_stream_t *s = NULL;
  OK(core_logmel_stream_create(&o, &s));
  float *x = lm_signal(3000, 53);
  for (size_t total = 1; total <= 3000; ++total) {
    OK(core_logmel_stream_push(s, x + total - 1, 1));
    size_t want = 0, avail = 0;
    if (total >= n_fft) {
      const size_t by_samples = (total - (n_fft - n_fft / 2)) / hop + 1, exist = total / hop;
      want = by_samples < exist ? by_samples : exist;
    }
    OK(core_logmel_stream_available(s, &avail));
    CHECK(avail == want, "n_fft %u hop %u: %zu samples pushed, %zu frames ready, want %zu", n_fft,
          hop, total, avail, want);
  }
  free(x);
  core_logmel_stream_destroy(s);
}

Test(logmel_stream, frames_ready_as_documented) {
  check_readiness(400, 160, 80);
  check_readiness(64, 48, 10);
  check_readiness(63, 10, 10);
}

Test(logmel_stream, shorter_than_n_fft_gives_no_frames) {
  float *x = lm_signal(400, 54);
  for (int mode = 0; mode < 2; ++mode) {
    core_logmel_stream_t *s = stream_make(mode, 0);
    size_t n = 9;
    OK(core_logmel_stream_flush(s)); /* nothing pushed at all */
    OK(core_logmel_stream_available(s, &n));
    cr_expect_eq(n, 0);
    OK(core_logmel_stream_reset(s));
    for (size_t at = 0; at < 399; at += 100) OK(core_logmel_stream_push(s, x + at, at + 100 <= 399 ? 100 : 399 - at));
    OK(core_logmel_stream_flush(s));
    float out[M];
    OK(core_logmel_stream_read(s, out, 1, &n));
    cr_expect_eq(n, 0, "mode %d: 399 samples gave %zu frames", mode, n);
    /* Exactly n_fft: the offline frames. */
    OK(core_logmel_stream_reset(s));
    size_t frames = 0, off_frames = 0;
    float *off = offline(mode, x, 400, &off_frames);
    float *st = stream_all(s, x, 400, 0, 90, &frames);
    expect_same(st, frames, off, off_frames, "400 samples", 0);
    free(st);
    free(off);
    core_logmel_stream_destroy(s);
  }
  free(x);
}

Test(logmel_stream, flush_then_reset) {
  /* n % 160 = 10 < n_fft / 2 - hop = 40: the last frame reflects. */
  const size_t len = N - 20;
  float *x = lm_signal(len, 55);
  size_t off_frames = 0, frames = 0, n = 0, again = 0;
  float *off = offline(CORE_LOGMEL_LOG10, x, len, &off_frames);
  core_logmel_stream_t *s = stream_make(CORE_LOGMEL_LOG10, 0);
  OK(core_logmel_stream_push(s, x, len));
  OK(core_logmel_stream_available(s, &n));
  cr_expect_lt(n, off_frames, "the frames at the right edge wait for flush");
  OK(core_logmel_stream_flush(s));
  OK(core_logmel_stream_available(s, &n));
  cr_expect_eq(n, off_frames);
  OK(core_logmel_stream_flush(s)); /* a second flush does nothing */
  OK(core_logmel_stream_available(s, &again));
  cr_expect_eq(again, n);
  /* Reset mid-stream forgets everything: the next stream is clean. */
  OK(core_logmel_stream_reset(s));
  OK(core_logmel_stream_available(s, &n));
  cr_expect_eq(n, 0);
  float *junk = lm_signal(5000, 56);
  OK(core_logmel_stream_push(s, junk, 5000));
  OK(core_logmel_stream_reset(s));
  float *st = stream_all(s, x, len, 0, 91, &frames);
  expect_same(st, frames, off, off_frames, "after reset", 0);
  free(st);
  free(junk);
  free(off);
  free(x);
  core_logmel_stream_destroy(s);
}

/* NaN samples [p, p + 50): the frames reading one are NaN in every band;
 * every other frame, before and after, equals the clean stream's. */
Test(logmel_stream, nan_burst_spoils_only_its_frames) {
  float *clean = lm_signal(N, 57), *dirty = lm_signal(N, 57);
  const size_t p = 20000;
  for (size_t i = p; i < p + 50; ++i) dirty[i] = NAN;
  size_t fc = 0, fd = 0, nan_frames = 0;
  core_logmel_stream_t *s = stream_make(CORE_LOGMEL_LOG10, 0);
  float *a = stream_all(s, clean, N, 320, 92, &fc);
  OK(core_logmel_stream_reset(s));
  float *b = stream_all(s, dirty, N, 320, 93, &fd);
  cr_assert_eq(fc, fd);
  for (size_t t = 0; t < fd; ++t) {
    int reads = 0;
    for (size_t i = p; i < p + 50 && !reads; ++i) reads = lm_frame_reads((int64_t)t, (int64_t)i, N, 400, 160);
    nan_frames += reads;
    for (size_t m = 0; m < M; ++m)
      CHECK(reads ? isnan(b[t * M + m]) : lm_same_bits(b[t * M + m], a[t * M + m]),
            "frame %zu band %zu: %.9g (clean %.9g)", t, m, b[t * M + m], a[t * M + m]);
  }
  cr_expect_geq(nan_frames, 3);
  free(a);
  free(b);
  free(clean);
  free(dirty);
  core_logmel_stream_destroy(s);
}
