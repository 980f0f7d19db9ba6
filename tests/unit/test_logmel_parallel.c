/* Unit tests for the log-mel's threads and FFT backends: results are the
 * same bits for every libcore thread count (convention 4), one analyser is
 * used by several threads at once, and the backends LIBCORE_FFT selects
 * agree with the default one. */
#include <pthread.h>

#include "test_logmel_util.h"

/* 70 s: 7000 frames, dozens of parallel blocks. */
enum { LONG_N = 16000 * 70 + 99 };

static void check_thread_counts(int mode) {
  core_logmel_options_t o = lm_opts(128, mode);
  core_logmel_t *lm = lm_make(&o);
  float *x = lm_signal(LONG_N, 21);
  size_t frames = 0;
  OK(core_set_num_threads(1));
  float *one = lm_compute(lm, x, LONG_N, 128, &frames);
  const int counts[] = {2, 3, 0};
  for (size_t c = 0; c < sizeof counts / sizeof counts[0]; ++c) {
    OK(core_set_num_threads(counts[c]));
    float *many = lm_compute(lm, x, LONG_N, 128, &frames);
    cr_expect(memcmp(one, many, 128 * frames * sizeof(float)) == 0,
              "mode %d: %d threads differ from 1 thread", mode, counts[c]);
    free(many);
  }
  OK(core_set_num_threads(0));
  free(one);
  free(x);
  core_logmel_destroy(lm);
}

Test(logmel_parallel, bit_identical_for_any_thread_count_whisper) {
  check_thread_counts(CORE_LOGMEL_WHISPER);
}
Test(logmel_parallel, bit_identical_for_any_thread_count_log10) {
  check_thread_counts(CORE_LOGMEL_LOG10);
}

struct job {
  core_logmel_t *lm;
  const float *x;
  size_t n;
  float *out;
  size_t cap;
  core_status st;
};

static void *run_job(void *arg) {
  struct job *j = arg;
  size_t frames = 0;
  for (int rep = 0; rep < 3 && j->st == CORE_OK; ++rep)
    j->st = core_logmel_compute(j->lm, j->x, j->n, j->out, j->cap, &frames);
  return NULL;
}

/* compute on one analyser from four threads at once (its workspaces are
 * pooled): each result equals the serial one. */
Test(logmel_parallel, one_analyser_many_threads) {
  core_logmel_options_t o = lm_opts(80, CORE_LOGMEL_WHISPER);
  core_logmel_t *lm = lm_make(&o);
  enum { T = 4 };
  const size_t n = 16000 * 12 + 5;
  float *x[T], *want[T];
  struct job jobs[T];
  pthread_t th[T];
  for (int i = 0; i < T; ++i) {
    size_t frames = 0;
    x[i] = lm_signal(n, 30 + (uint64_t)i);
    want[i] = lm_compute(lm, x[i], n, 80, &frames);
    jobs[i] = (struct job){lm, x[i], n, lm_buf(80 * frames), 80 * frames, CORE_OK};
  }
  for (int i = 0; i < T; ++i) cr_assert_eq(pthread_create(&th[i], NULL, run_job, &jobs[i]), 0);
  for (int i = 0; i < T; ++i) pthread_join(th[i], NULL);
  for (int i = 0; i < T; ++i) {
    cr_expect_eq(jobs[i].st, CORE_OK, "thread %d: %s", i, core_status_str(jobs[i].st));
    cr_expect(memcmp(jobs[i].out, want[i], jobs[i].cap * sizeof(float)) == 0, "thread %d differs", i);
    free(jobs[i].out);
    free(want[i]);
    free(x[i]);
  }
  core_logmel_destroy(lm);
}

/* An analyser made under LIBCORE_FFT=<backend> against the default one:
 * both are float32 FFTs within ~3e-5 of float64 on Whisper's scale (see
 * tests/audio), so they agree within 1e-4. */
static void check_backend(const char *backend) {
  core_logmel_options_t o = lm_opts(80, CORE_LOGMEL_WHISPER);
  core_logmel_t *def = lm_make(&o);
  setenv("LIBCORE_FFT", backend, 1);
  core_logmel_t *alt = lm_make(&o);
  unsetenv("LIBCORE_FFT");
  const size_t n = 16000 * 4 + 17;
  float *x = lm_signal(n, 40);
  size_t frames = 0;
  float *a = lm_compute(def, x, n, 80, &frames);
  float *b = lm_compute(alt, x, n, 80, &frames);
  double worst = 0.0;
  for (size_t i = 0; i < 80 * frames; ++i) worst = fmax(worst, fabs((double)a[i] - b[i]));
  cr_expect_leq(worst, 1e-4, "LIBCORE_FFT=%s vs default: max diff %g", backend, worst);
  free(a);
  free(b);
  free(x);
  core_logmel_destroy(def);
  core_logmel_destroy(alt);
}

Test(logmel_parallel, kissfft_agrees_with_default) { check_backend("kissfft"); }
/* Without -Dfft=fftw this is the default backend again. */
Test(logmel_parallel, fftw_request_agrees_with_default) { check_backend("fftw"); }
Test(logmel_parallel, unknown_backend_is_the_default) {
  core_logmel_options_t o = lm_opts(80, CORE_LOGMEL_LOG10);
  core_logmel_t *def = lm_make(&o);
  setenv("LIBCORE_FFT", "no-such-fft", 1);
  core_logmel_t *alt = lm_make(&o);
  unsetenv("LIBCORE_FFT");
  const size_t n = 5000;
  float *x = lm_signal(n, 41);
  size_t frames = 0;
  float *a = lm_compute(def, x, n, 80, &frames);
  float *b = lm_compute(alt, x, n, 80, &frames);
  cr_expect(memcmp(a, b, 80 * frames * sizeof(float)) == 0);
  free(a);
  free(b);
  free(x);
  core_logmel_destroy(def);
  core_logmel_destroy(alt);
}

/* The largest n_fft on both paths: the default one (the SIMD kernel plans
 * up to 65536) against KissFFT, LOG10, within 1e-3 where a value is within
 * 50 dB of its frame's loudest band (float32 round-off grows with n). */
Test(logmel_parallel, largest_fft_paths_agree) {
  core_logmel_options_t o = lm_opts(256, CORE_LOGMEL_LOG10);
  o.n_fft = CORE_LOGMEL_MAX_FFT;
  o.hop = 16384;
  core_logmel_t *def = lm_make(&o);
  setenv("LIBCORE_FFT", "kissfft", 1);
  core_logmel_t *kiss = lm_make(&o);
  unsetenv("LIBCORE_FFT");
  const size_t n = 3 * CORE_LOGMEL_MAX_FFT + 1000;
  float *x = lm_signal(n, 42);
  size_t frames = 0;
  float *a = lm_compute(def, x, n, 256, &frames);
  float *b = lm_compute(kiss, x, n, 256, &frames);
  cr_assert_eq(frames, n / 16384);
  for (size_t t = 0; t < frames; ++t) {
    float fmx = -INFINITY;
    for (size_t m = 0; m < 256; ++m) fmx = fmaxf(fmx, b[m * frames + t]);
    for (size_t m = 0; m < 256; ++m) {
      const float u = a[m * frames + t], v = b[m * frames + t];
      CHECK(v < fmx - 5.0f || fabsf(u - v) <= 1e-3f, "frame %zu band %zu: %.7g vs %.7g", t, m, u, v);
    }
  }
  free(a);
  free(b);
  free(x);
  core_logmel_destroy(def);
  core_logmel_destroy(kiss);
}
