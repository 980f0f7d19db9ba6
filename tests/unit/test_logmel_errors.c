/* Unit tests for log-mel bad input (audio.h): every NULL, every option out
 * of range, inputs the options cannot honour, overlapping buffers, small
 * buffers, streams used out of order. Each error is checked for its status,
 * for the message naming the function and the problem, and for outputs
 * left unchanged; out of memory under a lowered address-space limit.
 * Batch errors: test_logmel_batch.c. */
#include <float.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#include "test_logmel_util.h"

#define CREATE "core_logmel_create"

/* Creation must fail with `want` and a message containing `needle`, for
 * the analyser and the stream alike, leaving *out unchanged. */
static void bad_options(const core_logmel_options_t *o, core_status want, const char *needle) {
  core_logmel_t *lm = (core_logmel_t *)&lm;
  core_logmel_t *const lm0 = lm;
  ERRMSG(want, "core_logmel_create", needle, core_logmel_create(o, &lm));
  cr_expect_eq(lm, lm0, "core_logmel_create wrote *out on error");
  core_logmel_stream_t *s = (core_logmel_stream_t *)&s;
  core_logmel_stream_t *const s0 = s;
  ERRMSG(want, "core_logmel_stream_create", needle, core_logmel_stream_create(o, &s));
  cr_expect_eq(s, s0, "core_logmel_stream_create wrote *out on error");
}

#define BAD_FIELD(field, value, needle)                  \
  do {                                                   \
    core_logmel_options_t o_ = lm_opts(80, 0);           \
    o_.field = (value);                                  \
    bad_options(&o_, CORE_E_INVALID_ARGUMENT, (needle)); \
  } while (0)

Test(logmel_errors, null_options_and_out) {
  ERR(CORE_E_INVALID_ARGUMENT, "core_logmel_options_init", core_logmel_options_init(NULL));
  core_logmel_options_t o = lm_opts(80, 0);
  core_logmel_t *lm = NULL;
  core_logmel_stream_t *s = NULL;
  ERRMSG(CORE_E_INVALID_ARGUMENT, CREATE, "opts is NULL", core_logmel_create(NULL, &lm));
  ERRMSG(CORE_E_INVALID_ARGUMENT, CREATE, "out is NULL", core_logmel_create(&o, NULL));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_logmel_stream_create", "opts is NULL",
         core_logmel_stream_create(NULL, &s));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_logmel_stream_create", "out is NULL",
         core_logmel_stream_create(&o, NULL));
  cr_expect_null(lm);
  cr_expect_null(s);
}

Test(logmel_errors, struct_size) {
  core_logmel_options_t o = lm_opts(80, 0);
  o.struct_size = 0;
  bad_options(&o, CORE_E_INVALID_ARGUMENT, "struct_size");
  o.struct_size = sizeof o - 8;
  bad_options(&o, CORE_E_INVALID_ARGUMENT, "core_logmel_options_init");
  o.struct_size = sizeof o + 8;
  bad_options(&o, CORE_E_UNSUPPORTED, "newer libcore");
}

Test(logmel_errors, sample_rate_fft_hop) {
  BAD_FIELD(sample_rate, 999, "sample_rate must be 1000 .. 384000 Hz, got 999");
  BAD_FIELD(sample_rate, 384001, "got 384001");
  BAD_FIELD(sample_rate, 0, "sample_rate");
  BAD_FIELD(n_fft, 1, "n_fft must be 2 .. CORE_LOGMEL_MAX_FFT (65536), got 1");
  BAD_FIELD(n_fft, CORE_LOGMEL_MAX_FFT + 1, "n_fft");
  BAD_FIELD(hop, 0, "hop must be >= 1");
}

Test(logmel_errors, n_mels) {
  BAD_FIELD(n_mels, 0, "n_mels must be 1 .. n_fft / 2 + 1 = 201");
  BAD_FIELD(n_mels, 202, "got 202");
  core_logmel_options_t o = lm_opts(80, 0);
  o.n_fft = 64;  /* 33 bins: 80 bands are too many */
  bad_options(&o, CORE_E_INVALID_ARGUMENT, "n_mels must be 1 .. n_fft / 2 + 1 = 33 (the FFT bins), got 80");
}

Test(logmel_errors, frequencies) {
  BAD_FIELD(fmin, NAN, "fmin must be a finite frequency");
  BAD_FIELD(fmin, -1.0, "fmin");
  BAD_FIELD(fmin, INFINITY, "fmin");
  BAD_FIELD(fmax, NAN, "fmax must be a finite frequency");
  BAD_FIELD(fmax, -5.0, "fmax");
  BAD_FIELD(fmax, INFINITY, "fmax");
  BAD_FIELD(fmax, 8000.5, "fmax must be <= sample_rate / 2 = 8000 Hz");
  core_logmel_options_t o = lm_opts(80, 0);
  o.fmin = 4000.0;
  o.fmax = 4000.0;
  bad_options(&o, CORE_E_INVALID_ARGUMENT, "fmin (4000 Hz) must be below fmax (4000 Hz)");
  o.fmin = 8000.0;
  o.fmax = 0.0; /* resolves to 8000 */
  bad_options(&o, CORE_E_INVALID_ARGUMENT, "must be below fmax (8000 Hz)");
  o.fmin = 5000.0;
  o.fmax = 3000.0;
  bad_options(&o, CORE_E_INVALID_ARGUMENT, "must be below fmax");
}

Test(logmel_errors, mode) {
  BAD_FIELD(mode, 2, "mode must be CORE_LOGMEL_WHISPER (0) or CORE_LOGMEL_LOG10 (1), got 2");
  BAD_FIELD(mode, -1, "got -1");
}

/* The edges of every range are accepted. */
Test(logmel_errors, range_edges_accepted) {
  core_logmel_options_t o = lm_opts(1, CORE_LOGMEL_LOG10);
  o.sample_rate = 1000;
  o.n_fft = 2;
  o.hop = 1;
  core_logmel_destroy(lm_make(&o));
  o = lm_opts(201, CORE_LOGMEL_LOG10);
  o.sample_rate = 384000;
  o.fmin = 191999.0;
  o.fmax = 192000.0;
  core_logmel_destroy(lm_make(&o));
}

Test(logmel_errors, frames_and_filters) {
  core_logmel_options_t o = lm_opts(80, 0);
  core_logmel_t *lm = lm_make(&o);
  size_t n = 77;
  float f[8] = {1, 1, 1, 1, 1, 1, 1, 1};
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_logmel_frames", "lm is NULL", core_logmel_frames(NULL, 1000, &n));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_logmel_frames", "n_frames is NULL", core_logmel_frames(lm, 1000, NULL));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_logmel_frames", "n_samples = 399 is fewer than n_fft = 400",
         core_logmel_frames(lm, 399, &n));
  cr_expect_eq(n, 77);
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_logmel_filters", "lm is NULL", core_logmel_filters(NULL, f, 8, &n));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_logmel_filters", "count is NULL", core_logmel_filters(lm, f, 8, NULL));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_logmel_filters", "out is NULL but cap is 8",
         core_logmel_filters(lm, NULL, 8, &n));
  cr_expect_eq(n, 77);
  ERRMSG(CORE_E_BUFFER_TOO_SMALL, "core_logmel_filters", "80 x 201 = 16080", core_logmel_filters(lm, f, 8, &n));
  cr_expect_eq(n, 80 * 201, "the needed count is written");
  cr_expect_eq(f[0], 1.0f, "nothing is written to a small buffer");
  n = 0;
  ERR(CORE_E_BUFFER_TOO_SMALL, "core_logmel_filters", core_logmel_filters(lm, NULL, 0, &n));
  cr_expect_eq(n, 80 * 201, "cap 0 asks for the count");
  core_logmel_destroy(lm);
}

Test(logmel_errors, compute_arguments) {
  core_logmel_options_t o = lm_opts(80, 0);
  core_logmel_t *lm = lm_make(&o);
  enum { NS = 1000 };
  float *x = lm_signal(NS, 1), out[80 * 6];
  for (size_t i = 0; i < 80 * 6; ++i) out[i] = 123.0f;
  size_t n = 77;
  const char *fn = "core_logmel_compute";
  ERRMSG(CORE_E_INVALID_ARGUMENT, fn, "lm is NULL", core_logmel_compute(NULL, x, NS, out, 480, &n));
  ERRMSG(CORE_E_INVALID_ARGUMENT, fn, "n_frames is NULL", core_logmel_compute(lm, x, NS, out, 480, NULL));
  ERRMSG(CORE_E_INVALID_ARGUMENT, fn, "samples is NULL", core_logmel_compute(lm, NULL, NS, out, 480, &n));
  ERRMSG(CORE_E_INVALID_ARGUMENT, fn, "out is NULL but cap is 480",
         core_logmel_compute(lm, x, NS, NULL, 480, &n));
  ERRMSG(CORE_E_INVALID_ARGUMENT, fn, "n = 399 samples is fewer than n_fft = 400",
         core_logmel_compute(lm, x, 399, out, 480, &n));
  ERRMSG(CORE_E_INVALID_ARGUMENT, fn, "n = 0 samples", core_logmel_compute(lm, x, 0, out, 480, &n));
  ERRMSG(CORE_E_INVALID_ARGUMENT, fn, "more than a buffer can hold",
         core_logmel_compute(lm, x, SIZE_MAX, out, 480, &n));
  cr_expect_eq(n, 77, "n_frames written on error");
  /* 1000 samples give 6 frames: 480 values; 479 is one short. */
  ERRMSG(CORE_E_BUFFER_TOO_SMALL, fn, "cap = 479 floats is smaller than n_mels x n_frames = 80 x 6 = 480",
         core_logmel_compute(lm, x, NS, out, 479, &n));
  cr_expect_eq(n, 6, "the frame count is written on BUFFER_TOO_SMALL");
  n = 0;
  ERR(CORE_E_BUFFER_TOO_SMALL, fn, core_logmel_compute(lm, x, NS, NULL, 0, &n));
  cr_expect_eq(n, 6, "cap 0 asks for the count");
  for (size_t i = 0; i < 80 * 6; ++i) CHECK(out[i] == 123.0f, "out[%zu] written on error", i);
  OK(core_logmel_compute(lm, x, NS, out, 480, &n));
  free(x);
  core_logmel_destroy(lm);
}

Test(logmel_errors, compute_overlap) {
  core_logmel_options_t o = lm_opts(80, 0);
  core_logmel_t *lm = lm_make(&o);
  float *buf = lm_signal(4000, 2);
  size_t n = 77;
  const char *fn = "core_logmel_compute";
  /* 1600 samples: 10 frames, 800 values. */
  ERRMSG(CORE_E_INVALID_ARGUMENT, fn, "out overlaps samples", core_logmel_compute(lm, buf, 1600, buf, 800, &n));
  ERR(CORE_E_INVALID_ARGUMENT, fn, core_logmel_compute(lm, buf + 799, 1600, buf, 800, &n));
  ERR(CORE_E_INVALID_ARGUMENT, fn, core_logmel_compute(lm, buf, 1600, buf + 1599, 800, &n));
  cr_expect_eq(n, 77);
  /* Adjacent is fine, in either order. */
  OK(core_logmel_compute(lm, buf, 1600, buf + 1600, 800, &n));
  OK(core_logmel_compute(lm, buf + 800, 1600, buf, 800, &n));
  free(buf);
  core_logmel_destroy(lm);
}

Test(logmel_errors, stream_arguments) {
  core_logmel_options_t o = lm_opts(80, CORE_LOGMEL_LOG10);
  core_logmel_stream_t *s = NULL;
  OK(core_logmel_stream_create(&o, &s));
  float x[16] = {0}, out[80];
  size_t n = 77;
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_logmel_stream_push", "s is NULL", core_logmel_stream_push(NULL, x, 16));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_logmel_stream_push", "x is NULL", core_logmel_stream_push(s, NULL, 16));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_logmel_stream_flush", "s is NULL", core_logmel_stream_flush(NULL));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_logmel_stream_read", "s is NULL", core_logmel_stream_read(NULL, out, 1, &n));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_logmel_stream_read", "n_frames is NULL",
         core_logmel_stream_read(s, out, 1, NULL));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_logmel_stream_read", "out is NULL but max_frames is 1",
         core_logmel_stream_read(s, NULL, 1, &n));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_logmel_stream_available", "s is NULL",
         core_logmel_stream_available(NULL, &n));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_logmel_stream_available", "n_frames is NULL",
         core_logmel_stream_available(s, NULL));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_logmel_stream_reset", "s is NULL", core_logmel_stream_reset(NULL));
  cr_expect_eq(n, 77);
  OK(core_logmel_stream_push(s, NULL, 0));
  OK(core_logmel_stream_read(s, NULL, 0, &n));
  cr_expect_eq(n, 0);
  /* After flush: pushes refused (even empty ones) until reset. */
  OK(core_logmel_stream_flush(s));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_logmel_stream_push", "flushed", core_logmel_stream_push(s, x, 16));
  ERR(CORE_E_INVALID_ARGUMENT, "core_logmel_stream_push", core_logmel_stream_push(s, x, 0));
  OK(core_logmel_stream_flush(s));
  OK(core_logmel_stream_reset(s));
  OK(core_logmel_stream_push(s, x, 16));
  core_logmel_stream_destroy(s);
}

/* The address space in use now, in bytes (/proc/self/statm: pages). */
static rlim_t vm_bytes(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  cr_assert_not_null(f);
  unsigned long pages = 0;
  cr_assert_eq(fscanf(f, "%lu", &pages), 1);
  fclose(f);
  return (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE);
}

/* Out of memory, forced by an address-space limit a few MiB above what the
 * test process uses (Criterion runs each test in its own child): the
 * largest analyser's buffers (~20 MiB), a compute's or a batch's
 * workspace, a push of 128 MiB of samples. Each fails with CORE_E_OUT_OF_MEMORY and a message,
 * and leaves its objects usable. */
Test(logmel_errors, out_of_memory) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  /* Their allocators abort on exhaustion instead of failing the call. */
  cr_skip_test("out-of-memory needs a build without sanitizers");
#endif
  core_logmel_options_t big = lm_opts(32769, CORE_LOGMEL_LOG10);
  big.n_fft = CORE_LOGMEL_MAX_FFT;
  big.hop = CORE_LOGMEL_MAX_FFT; /* 2 frames from 2 * n_fft samples */
  core_logmel_t *lm = lm_make(&big); /* made before the limit: its workspaces are not */
  core_logmel_options_t o = lm_opts(80, CORE_LOGMEL_LOG10);
  core_logmel_stream_t *s = NULL;
  OK(core_logmel_stream_create(&o, &s));
  const size_t n_push = (size_t)32 << 20, n = 2 * CORE_LOGMEL_MAX_FFT;
  float *x = calloc(n_push, sizeof *x), *out = lm_buf(32769 * 2);
  cr_assert_not_null(x);
  struct rlimit old, small;
  cr_assert_eq(getrlimit(RLIMIT_AS, &old), 0);
  small = old;
  small.rlim_cur = vm_bytes() + ((rlim_t)4 << 20);
  cr_assert_eq(setrlimit(RLIMIT_AS, &small), 0);
  core_logmel_stream_t *s2 = NULL;
  size_t frames = 0;
  const core_status st_create = core_logmel_stream_create(&big, &s2);
  const int msg_create = tu_message_has("core_logmel_stream_create: out of memory");
  const core_status st_compute = core_logmel_compute(lm, x, n, out, 32769 * 2, &frames);
  const int msg_compute = tu_message_has("core_logmel_compute: out of memory");
  const core_status st_push = core_logmel_stream_push(s, x, n_push);
  const int msg_push = tu_message_has("core_logmel_stream_push: out of memory");
  const float *clips[1] = {x};
  float *outs[1] = {out};
  const size_t lens[1] = {n}, caps[1] = {32769 * 2};
  size_t nf[1] = {0};
  const core_status st_batch = core_logmel_compute_batch(lm, clips, lens, 1, outs, caps, nf);
  const int msg_batch = tu_message_has("core_logmel_compute_batch: out of memory");
  cr_assert_eq(setrlimit(RLIMIT_AS, &old), 0);
  cr_expect_eq(st_create, CORE_E_OUT_OF_MEMORY, "stream_create: %s", core_status_str(st_create));
  cr_expect_eq(st_compute, CORE_E_OUT_OF_MEMORY, "compute: %s", core_status_str(st_compute));
  cr_expect_eq(st_push, CORE_E_OUT_OF_MEMORY, "push: %s", core_status_str(st_push));
  cr_expect_eq(st_batch, CORE_E_OUT_OF_MEMORY, "batch: %s", core_status_str(st_batch));
  cr_expect(msg_create && msg_compute && msg_push && msg_batch, "messages should name the function");
  cr_expect_null(s2);
  /* Usable afterwards: the stream took nothing of the failed push. */
  OK(core_logmel_compute(lm, x, n, out, 32769 * 2, &frames));
  OK(core_logmel_stream_push(s, x, 16000));
  OK(core_logmel_stream_available(s, &frames));
  cr_expect_eq(frames, 99, "16000 samples make 99 frames before flush, got %zu", frames);
  free(out);
  free(x);
  core_logmel_stream_destroy(s);
  core_logmel_destroy(lm);
}
