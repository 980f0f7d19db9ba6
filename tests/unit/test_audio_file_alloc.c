/* Unit tests for CORE_E_OUT_OF_MEMORY in core_audio_info, core_audio_read,
 * the chunked reader (core_audio_open, core_audio_reader_read) and
 * collections of files (core_collection_run), by
 * fault injection: this executable defines malloc, calloc, realloc, C++'s
 * operator new and libsndfile's sf_open_virtual (ELF interposition:
 * libcore.so and the libraries it loads resolve them here first) and,
 * while a window is open on the calling thread, makes chosen allocations
 * fail.
 *
 * Two kinds of failure are injected, one at a time:
 *  - libcore's own buffers: operator new of 32 KiB or more (the decoder's
 *    interleaved block, the resampler's output block; libcore's strings
 *    are far smaller, and the C libraries below never call operator new).
 *    The k-th such allocation throws std::bad_alloc, for every k until the
 *    call no longer reaches one; each must give CORE_E_OUT_OF_MEMORY
 *    ("out of memory"), never a crash or another code.
 *  - the first allocation inside libsndfile's sf_open_virtual: libsndfile
 *    reports it as "Internal malloc () failed.", which must become
 *    CORE_E_OUT_OF_MEMORY as well.
 * Other allocations inside libsndfile, libFLAC and libsoxr are not
 * injected: libsndfile 1.2.0 and the codecs it drives dereference some of
 * their results without a check (found with this kind of injection), so no
 * caller can survive those.
 *
 * Sanitizer builds replace malloc themselves; there this suite skips. */
#define _GNU_SOURCE
#include "test_audio_file_util.h"

#include <core/collection.h>
#include <unistd.h>

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sanitized.h"

#if CORE_TEST_AUDIO_IO && !defined(NO_INTERPOSE)

/* ---- the failing allocators ------------------------------------------------------ */

enum { kBig = 32 * 1024 };

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

static __thread int tl_window;       /* injection on, on this thread */
static __thread long tl_big_seen;    /* operator new >= kBig in the window */
static __thread long tl_big_fail_at; /* the one to fail (-1: none) */
static __thread int tl_in_sf_open;   /* inside sf_open_virtual */
static __thread int tl_fail_sf_open; /* fail the first allocation there */
static __thread int tl_injected;     /* failures injected */

static int fail_in_sf_open(void) {
  if (!tl_window || !tl_in_sf_open || !tl_fail_sf_open) return 0;
  tl_fail_sf_open = 0;
  return ++tl_injected;
}

void *malloc(size_t n) {
  if (fail_in_sf_open()) {
    errno = ENOMEM;
    return NULL;
  }
  return __libc_malloc(n);
}
void *calloc(size_t a, size_t b) {
  if (fail_in_sf_open()) {
    errno = ENOMEM;
    return NULL;
  }
  return __libc_calloc(a, b);
}
void *realloc(void *p, size_t n) {
  if (fail_in_sf_open()) {
    errno = ENOMEM;
    return NULL;
  }
  return __libc_realloc(p, n);
}

/* operator new(size_t) (its Itanium C++ ABI name): a request to fail
 * becomes one no allocator can meet, so libstdc++'s own operator new
 * throws std::bad_alloc exactly as on a real shortage. */
typedef void *(*new_fn)(size_t);
static new_fn real_new;
void *_Znwm(size_t n);
void *_Znwm(size_t n) {
  if (tl_window && n >= kBig && tl_big_seen++ == tl_big_fail_at) {
    ++tl_injected;
    n = (size_t)-1 / 2;
  }
  /* Called before any test runs (C++ start-up in libraries): resolve on
   * first use. */
  if (real_new == NULL) real_new = (new_fn)dlsym(RTLD_NEXT, "_Znwm");
  return real_new(n);
}

/* libsndfile's open, wrapped to mark the allocations it makes. */
typedef void *(*sf_open_virtual_fn)(void *, int, void *, void *);
static sf_open_virtual_fn real_sf_open_virtual;
void *sf_open_virtual(void *vio, int mode, void *info, void *user);
void *sf_open_virtual(void *vio, int mode, void *info, void *user) {
  tl_in_sf_open = 1;
  void *r = real_sf_open_virtual(vio, mode, info, user);
  tl_in_sf_open = 0;
  return r;
}

/* close() wrapped to catch a descriptor closed twice: libsndfile 1.2.0's
 * sf_open_fd closes the caller's descriptor on a failed open even when told
 * not to (its issue #949), and a second close by libcore could then close
 * a descriptor another thread had just opened. libcore gives libsndfile
 * virtual I/O instead; this proves no close in libcore's calls fails with
 * EBADF. */
typedef int (*close_fn)(int);
static close_fn real_close;
static __thread int tl_bad_closes;
int close(int fd) {
  if (real_close == NULL) real_close = (close_fn)dlsym(RTLD_NEXT, "close");
  const int r = real_close(fd);
  if (r != 0 && errno == EBADF) tl_bad_closes++;
  return r;
}

static void setup(void) {
  /* Resolved before any window opens (dlsym may allocate). */
  real_sf_open_virtual = (sf_open_virtual_fn)dlsym(RTLD_NEXT, "sf_open_virtual");
  cr_assert_not_null(real_sf_open_virtual, "libsndfile's sf_open_virtual not found");
  if (real_new == NULL) real_new = (new_fn)dlsym(RTLD_NEXT, "_Znwm");
  cr_assert_not_null(real_new, "libstdc++'s operator new not found");
}

TestSuite(audio_file_alloc, .init = setup, .timeout = 120);

/* Runs the call with the k-th big allocation failing, for k = 0, 1, ...
 * until the call makes fewer than k + 1 of them (then it must succeed). */
#define SWEEP_BIG(what, call, on_success)                                                    \
  do {                                                                                       \
    long k = 0;                                                                              \
    for (;; ++k) {                                                                           \
      tl_big_seen = 0, tl_big_fail_at = k, tl_injected = 0, tl_window = 1;                   \
      const core_status st_ = (call);                                                        \
      tl_window = 0;                                                                         \
      if (tl_injected == 0) {                                                                \
        cr_expect_eq(st_, CORE_OK, "%s with no failure injected: %s (%s)", what,             \
                     core_status_str(st_), core_last_error_message());                       \
        on_success;                                                                          \
        break;                                                                               \
      }                                                                                      \
      cr_expect_eq(st_, CORE_E_OUT_OF_MEMORY, "%s, big allocation %ld failing: %s (%s)",     \
                   what, k, core_status_str(st_), core_last_error_message());                \
      cr_expect(tu_message_has("out of memory"), "%s: \"%s\"", what,                         \
                core_last_error_message());                                                  \
    }                                                                                        \
    cr_expect_geq(k, 1, "%s made no allocation of %d bytes or more: the test is blind",     \
                  what, (int)kBig);                                                          \
  } while (0)

Test(audio_file_alloc, libcore_buffers) {
  const char *names[] = {"jfk_16k.wav", "jfk_16k.flac", "jfk_16k.ogg",
                         "jfk_44k1_stereo_orig.flac"};
  float *out = malloc(600000 * sizeof(float));
  cr_assert_not_null(out);
  for (size_t f = 0; f < 4; ++f) {
    char path[4096];
    snprintf(path, sizeof path, "%s", TD_PATH(names[f]));
    core_audio_info_t info = {.struct_size = sizeof info};
    SWEEP_BIG("core_audio_info", core_audio_info(path, &info), (void)0);
    size_t n = 99;
    /* At the file's rate (no resampler) and resampled. */
    SWEEP_BIG("core_audio_read", core_audio_read(path, 0, out, 600000, &n), (void)0);
    SWEEP_BIG("core_audio_read", core_audio_read(path, 8000, out, 600000, &n),
              cr_expect_eq(n, 88000));
  }
  free(out);
}

/* The chunked reader: open, read in chunks of 1000 samples to the end,
 * close; the status of the first call that failed. A reader makes its
 * buffers when it opens, so the injected failures all land in
 * core_audio_open; a read that failed would be reported as well. */
static core_status open_read_close(const char *path, uint32_t rate, float *out, size_t cap,
                                   size_t *n) {
  core_audio_reader_t *r = NULL;
  core_status st = core_audio_open(path, rate, &r);
  if (st != CORE_OK) return st;
  size_t pos = 0, got = 0;
  do {
    st = core_audio_reader_read(r, out + pos, cap - pos < 1000 ? cap - pos : 1000, &got);
    pos += got;
  } while (st == CORE_OK && got > 0);
  core_audio_reader_close(r);
  if (st == CORE_OK) *n = pos;
  return st;
}

Test(audio_file_alloc, reader_buffers) {
  const char *names[] = {"jfk_16k.wav", "jfk_16k.flac", "jfk_16k.ogg",
                         "jfk_44k1_stereo_orig.flac"};
  float *out = malloc(600000 * sizeof(float));
  float *ref = malloc(600000 * sizeof(float));
  cr_assert(out != NULL && ref != NULL);
  for (size_t f = 0; f < 4; ++f) {
    char path[4096];
    snprintf(path, sizeof path, "%s", TD_PATH(names[f]));
    const uint32_t rates[] = {0, 8000};
    for (size_t i = 0; i < 2; ++i) { /* not k: SWEEP_BIG's own counter */
      const uint32_t rate = rates[i];
      size_t n = 0, nref = 0;
      AF_OK(core_audio_read(path, rate, ref, 600000, &nref));
      /* When no failure is left to inject, the same calls give
       * core_audio_read's samples. */
      SWEEP_BIG("core_audio_open + core_audio_reader_read",
                open_read_close(path, rate, out, 600000, &n),
                cr_expect(n == nref && memcmp(out, ref, n * sizeof(float)) == 0,
                          "%s at %u: the reader's %zu samples differ from core_audio_read's "
                          "%zu",
                          names[f], rate, n, nref));
    }
  }
  free(out);
  free(ref);
}

Test(audio_file_alloc, libsndfile_open) {
  char path[4096];
  snprintf(path, sizeof path, "%s", TD_PATH("jfk_16k.wav"));
  core_audio_info_t info = {.struct_size = sizeof info};
  tl_big_fail_at = -1, tl_injected = 0, tl_fail_sf_open = 1, tl_window = 1;
  AF_ERR(CORE_E_OUT_OF_MEMORY, "core_audio_info", "out of memory in libsndfile",
         core_audio_info(path, &info));
  tl_window = 0;
  cr_expect_eq(tl_injected, 1, "no allocation failed inside sf_open_virtual");
  cr_expect(tu_message_has("jfk_16k.wav") && tu_message_has("malloc"), "%s",
            core_last_error_message());

  float out[16];
  size_t n = 99;
  tl_big_fail_at = -1, tl_injected = 0, tl_fail_sf_open = 1, tl_window = 1;
  AF_ERR(CORE_E_OUT_OF_MEMORY, "core_audio_read", "out of memory in libsndfile",
         core_audio_read(path, 16000, out, 16, &n));
  tl_window = 0;
  cr_expect_eq(tl_injected, 1);
  cr_expect_eq(n, 99, "n written on an error");

  core_audio_reader_t *r = (core_audio_reader_t *)&r;
  core_audio_reader_t *const sentinel = r;
  tl_big_fail_at = -1, tl_injected = 0, tl_fail_sf_open = 1, tl_window = 1;
  AF_ERR(CORE_E_OUT_OF_MEMORY, "core_audio_open", "out of memory in libsndfile",
         core_audio_open(path, 8000, &r));
  tl_window = 0;
  cr_expect_eq(tl_injected, 1);
  cr_expect_eq(r, sentinel, "*out written on an error");
}

Test(audio_file_alloc, no_descriptor_is_closed_twice) {
  af_dir_make();
  char junk[100];
  memset(junk, 'A', sizeof junk);
  const char *bad = af_path("garbage.wav");
  af_write_file(bad, junk, sizeof junk);
  core_audio_info_t info = {.struct_size = sizeof info};
  float out[16];
  size_t n = 0;
  tl_bad_closes = 0;
  AF_ERR(CORE_E_FORMAT, "core_audio_info", "garbage.wav", core_audio_info(bad, &info));
  AF_ERR(CORE_E_FORMAT, "core_audio_read", "garbage.wav", core_audio_read(bad, 16000, out, 16, &n));
  cr_expect_eq(tl_bad_closes, 0, "%d close() calls failed with EBADF", tl_bad_closes);
  af_dir_remove();
}

/* The same for the reader: a failed open, and a reader's close, close
 * each descriptor once. */
Test(audio_file_alloc, reader_closes_each_descriptor_once) {
  af_dir_make();
  char junk[100];
  memset(junk, 'A', sizeof junk);
  const char *bad = af_path("garbage.wav");
  af_write_file(bad, junk, sizeof junk);
  float out[16];
  size_t n = 0;
  core_audio_reader_t *r = NULL;
  tl_bad_closes = 0;
  AF_ERR(CORE_E_FORMAT, "core_audio_open", "garbage.wav", core_audio_open(bad, 16000, &r));
  cr_expect_null(r);
  AF_OK(core_audio_open(AF_TD("jfk_16k.flac"), 8000, &r));
  AF_OK(core_audio_reader_read(r, out, 16, &n));
  core_audio_reader_close(r);
  cr_expect_eq(tl_bad_closes, 0, "%d close() calls failed with EBADF", tl_bad_closes);
  af_dir_remove();
}

/* ---- collections ------------------------------------------------------------------- */

/* What core_collection_run reported for its one file. */
typedef struct collected {
  int calls;
  core_status status;
  char message[512];
  char json[8192];
} collected;

static int collect(const core_file_summary_t *s, void *user) {
  collected *c = user;
  size_t len = 0;
  c->calls++;
  c->status = s->status;
  snprintf(c->message, sizeof c->message, "%s", s->message);
  if (core_file_summary_json(s, c->json, sizeof c->json, &len) != CORE_OK) c->json[0] = '\0';
  return 0;
}

/* core_collection_run on one file with features, on the calling thread (one
 * thread, so the injection window sees every allocation), the k-th big
 * allocation failing for k = 0, 1, ... A failure before the file starts
 * (the options' probes) is the run's CORE_E_OUT_OF_MEMORY; one inside the
 * file (the chunk buffer, the reader's blocks, the accumulator, the
 * log-mel stream) is that file's, in its summary, with no .npy or
 * .partial left behind. With nothing left to inject, the record equals
 * an uninjected run's. */
Test(audio_file_alloc, collection_run) {
  af_dir_make();
  char npy[600], partial[700];
  snprintf(npy, sizeof npy, "%s", af_path("features.npy"));
  snprintf(partial, sizeof partial, "%s.partial", npy);
  const char *paths[] = {AF_TD("jfk_44k1_stereo_orig.flac")};
  const char *outputs[] = {npy};
  core_collection_options_t o;
  AF_OK(core_collection_options_init(&o));
  o.features = 1;
  AF_OK(core_set_num_threads(1));
  collected ref = {0};
  AF_OK(core_collection_run(paths, 1, outputs, &o, collect, &ref));
  cr_assert_eq(ref.status, CORE_OK, "%s", ref.message);
  long k = 0, in_file = 0;
  for (;; ++k) {
    collected c = {0};
    remove(npy);
    tl_big_seen = 0, tl_big_fail_at = k, tl_injected = 0, tl_window = 1;
    const core_status st = core_collection_run(paths, 1, outputs, &o, collect, &c);
    tl_window = 0;
    if (tl_injected == 0) {
      AF_OK(st);
      cr_expect_eq(c.calls, 1);
      cr_expect_str_eq(c.json, ref.json, "the record after the sweep differs");
      break;
    }
    cr_expect(access(partial, F_OK) != 0, "k = %ld: %s left behind", k, partial);
    if (st != CORE_OK) { /* before the file: the run's own failure */
      cr_expect_eq(st, CORE_E_OUT_OF_MEMORY, "k = %ld: %s (%s)", k, core_status_str(st),
                   core_last_error_message());
      cr_expect(tu_message_has("out of memory"), "k = %ld: \"%s\"", k,
                core_last_error_message());
      cr_expect_eq(c.calls, 0, "k = %ld: a callback after the run failed", k);
      continue;
    }
    ++in_file;
    cr_expect_eq(c.calls, 1, "k = %ld: %d callbacks", k, c.calls);
    cr_expect_eq(c.status, CORE_E_OUT_OF_MEMORY, "k = %ld: the file's status %s (%s)", k,
                 core_status_str(c.status), c.message);
    cr_expect(strstr(c.message, "out of memory") != NULL, "k = %ld: \"%s\"", k, c.message);
    cr_expect(access(npy, F_OK) != 0, "k = %ld: a failed file left %s", k, npy);
  }
  cr_expect_geq(in_file, 3, "only %ld big allocations inside the file: the test is blind",
                in_file);
  AF_OK(core_set_num_threads(0));
  af_dir_remove();
}

#else

Test(audio_file_alloc, fault_injection) {
#if !CORE_TEST_AUDIO_IO
  cr_skip_test("libcore built without audio_io: nothing is allocated");
#else
  cr_skip_test("fault injection needs a build without sanitizers");
#endif
}

#endif
