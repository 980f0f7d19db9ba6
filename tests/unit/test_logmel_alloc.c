/* A stream allocates nothing in steady state (audio.h: memory is one
 * analysis window plus unread frames; the pipeline pushes on its hot
 * path): after its buffers have grown to their working size, 20 ms pushes
 * and reads make no allocation. This executable defines the C allocators
 * and every C++ operator new (by their mangled names: this is C), so every
 * allocation libcore.so and libstdc++ make resolves here (ELF symbol
 * interposition) and is counted while the calling thread has a window
 * open. The window around create must see allocations (the counter works).
 * The method is test_ring_alloc.c's. Sanitizer builds replace malloc
 * themselves; there this suite skips. */
#include <errno.h>
#include <stdatomic.h>

#include "test_logmel_util.h"

#include "sanitized.h"

static atomic_long g_allocs;

#ifndef NO_INTERPOSE

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);

static atomic_int g_open;
static __thread int tl_window;
static void note(void) {
  if (atomic_load(&g_open) && tl_window) atomic_fetch_add(&g_allocs, 1);
}

void *malloc(size_t n) { note(); return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { note(); return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { note(); return __libc_realloc(p, n); }
void free(void *p) { __libc_free(p); }
void *memalign(size_t al, size_t n) { note(); return __libc_memalign(al, n); }
void *aligned_alloc(size_t al, size_t n) { note(); return __libc_memalign(al, n); }
int posix_memalign(void **out, size_t al, size_t n) {
  note();
  void *p = __libc_memalign(al < sizeof(void *) ? sizeof(void *) : al, n);
  if (p == NULL) return ENOMEM;
  *out = p;
  return 0;
}
static void *cxx_new(size_t n, size_t al) {
  note();
  return al > 16 ? __libc_memalign(al, n ? n : 1) : __libc_malloc(n ? n : 1);
}
void *_Znwm(size_t n) { return cxx_new(n, 0); }
void *_Znam(size_t n) { return cxx_new(n, 0); }
void *_ZnwmRKSt9nothrow_t(size_t n, const void *t) { (void)t; return cxx_new(n, 0); }
void *_ZnamRKSt9nothrow_t(size_t n, const void *t) { (void)t; return cxx_new(n, 0); }
void *_ZnwmSt11align_val_t(size_t n, size_t al) { return cxx_new(n, al); }
void *_ZnamSt11align_val_t(size_t n, size_t al) { return cxx_new(n, al); }

static void window(int open) {
  if (open) atomic_store(&g_allocs, 0);
  tl_window = open;
  if (open) atomic_store(&g_open, 1);
}
#define SKIP_IF_SANITIZED() ((void)0)
#else
static void window(int open) { (void)open; }
#define SKIP_IF_SANITIZED() cr_skip_test("allocation counting needs a build without sanitizers")
#endif

static void check_steady_state(int mode, uint32_t window_frames) {
  SKIP_IF_SANITIZED();
  core_logmel_options_t o = lm_opts(80, mode);
  o.window_frames = window_frames;
  core_logmel_stream_t *s = NULL;
  window(1);
  OK(core_logmel_stream_create(&o, &s));
  window(0);
  cr_assert_gt(atomic_load(&g_allocs), 0, "create was not seen allocating: the counter is blind");
  const size_t n = 16000 * 40;
  float *x = lm_signal(n, 300), *out = lm_buf(80 * 256);
  size_t got = 0, total = 0;
  for (size_t at = 0; at + 320 <= n; at += 320) {
    if (at == 16000 * 10) window(1); /* after 10 s of warm-up */
    OK(core_logmel_stream_push(s, x + at, 320));
    do {
      OK(core_logmel_stream_read(s, out, 256, &got));
      total += got;
    } while (got == 256);
  }
  window(0);
  cr_expect_eq(atomic_load(&g_allocs), 0, "mode %d, window %u: %ld allocations in steady state",
               mode, window_frames, (long)atomic_load(&g_allocs));
  cr_expect_gt(total, 2000, "frames were produced (%zu)", total);
  free(out);
  free(x);
  core_logmel_stream_destroy(s);
}

Test(logmel_alloc, stream_log10_steady_state) { check_steady_state(CORE_LOGMEL_LOG10, 0); }
Test(logmel_alloc, stream_whisper_windows_steady_state) {
  check_steady_state(CORE_LOGMEL_WHISPER, 100);
}
