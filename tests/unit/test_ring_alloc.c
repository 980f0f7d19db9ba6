/* No allocation after create, proven: this test executable defines malloc,
 * calloc, realloc, posix_memalign, aligned_alloc, memalign, valloc, every
 * C++ operator new (by their mangled names: this is C) and mmap, so every
 * allocation libcore.so and libstdc++ make resolves here (ELF symbol
 * interposition: the executable comes first in the lookup order) and is
 * counted while a measurement window is open on the calling thread. The
 * windows around core_ring_create must see allocations (the counter works);
 * the windows around every other call, in every configuration and on both
 * threads of a producer/consumer pair that sleeps and wakes, must see none.
 *
 * Sanitizer builds replace malloc themselves; there this suite skips. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "test_ring_util.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define NO_INTERPOSE 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define NO_INTERPOSE 1
#endif
#endif

static atomic_long g_allocs, g_news, g_maps;

#ifndef NO_INTERPOSE

/* ---- the counting allocator ------------------------------------------------------ */

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);

static atomic_int g_open;      /* some thread has a window open */
static __thread int tl_window; /* this thread's window is open */


/* tl_window is read only once g_open is set, i.e. long after start-up. */
static int counting(void) { return atomic_load(&g_open) && tl_window; }
static void note(atomic_long *c) {
  if (counting()) atomic_fetch_add(c, 1);
}

void *malloc(size_t n) { note(&g_allocs); return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { note(&g_allocs); return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { note(&g_allocs); return __libc_realloc(p, n); }
void free(void *p) { __libc_free(p); }
void *memalign(size_t al, size_t n) { note(&g_allocs); return __libc_memalign(al, n); }
void *aligned_alloc(size_t al, size_t n) { note(&g_allocs); return __libc_memalign(al, n); }
void *valloc(size_t n) {
  note(&g_allocs);
  return __libc_memalign((size_t)sysconf(_SC_PAGESIZE), n);
}
int posix_memalign(void **out, size_t al, size_t n) {
  note(&g_allocs);
  void *p = __libc_memalign(al < sizeof(void *) ? sizeof(void *) : al, n);
  if (p == NULL) return ENOMEM;
  *out = p;
  return 0;
}

/* operator new: plain, array, nothrow, aligned (Itanium C++ ABI names).
 * The deletes stay libstdc++'s, which call free above. */
static void *cxx_new(size_t n, size_t al) {
  note(&g_news);
  return al > 16 ? __libc_memalign(al, n ? n : 1) : __libc_malloc(n ? n : 1);
}
void *_Znwm(size_t n) { return cxx_new(n, 0); }
void *_Znam(size_t n) { return cxx_new(n, 0); }
void *_ZnwmRKSt9nothrow_t(size_t n, const void *t) { (void)t; return cxx_new(n, 0); }
void *_ZnamRKSt9nothrow_t(size_t n, const void *t) { (void)t; return cxx_new(n, 0); }
void *_ZnwmSt11align_val_t(size_t n, size_t al) { return cxx_new(n, al); }
void *_ZnamSt11align_val_t(size_t n, size_t al) { return cxx_new(n, al); }
void *_ZnwmSt11align_val_tRKSt9nothrow_t(size_t n, size_t al, const void *t) {
  (void)t;
  return cxx_new(n, al);
}
void *_ZnamSt11align_val_tRKSt9nothrow_t(size_t n, size_t al, const void *t) {
  (void)t;
  return cxx_new(n, al);
}

/* Mappings count as allocations too (the ring's storage is mmapped). With
 * _FILE_OFFSET_BITS=64 (meson's default) callers bind to mmap64, so both
 * names are defined; <sys/mman.h> stays out, as it renames mmap. */
void *mmap64(void *addr, size_t len, int prot, int flags, int fd, long off);
void *mmap(void *addr, size_t len, int prot, int flags, int fd, long off);
void *mmap64(void *addr, size_t len, int prot, int flags, int fd, long off) {
  note(&g_maps);
  return (void *)syscall(SYS_mmap, addr, len, prot, flags, fd, off);
}
void *mmap(void *addr, size_t len, int prot, int flags, int fd, long off) {
  return mmap64(addr, len, prot, flags, fd, off);
}

static void window_open(void) {
  tl_window = 1;
  atomic_store(&g_open, 1);
}
static void window_close(void) { tl_window = 0; }
static void reset(void) {
  atomic_store(&g_allocs, 0), atomic_store(&g_news, 0), atomic_store(&g_maps, 0);
}
#define SKIP_IF_SANITIZED() ((void)0)

#else
static void window_open(void) {}
static void window_close(void) {}
static void reset(void) {}
#define SKIP_IF_SANITIZED() cr_skip_test("allocation counting needs a build without sanitizers")
#endif

/* ---- the tests ----------------------------------------------------------------------- */

static core_ring_t *counted_create(size_t cap, core_ring_policy policy, int mirror) {
  reset();
  window_open();
  core_ring_t *r = ring_make(cap, policy, mirror);
  window_close();
  const long allocs = atomic_load(&g_allocs), news = atomic_load(&g_news),
             maps = atomic_load(&g_maps);
  cr_assert(allocs + news >= 1, "create was not seen allocating: the counter is blind");
  cr_assert(news >= 1, "operator new in create was not seen");
  cr_assert(maps >= (core_ring_is_mirrored(r) ? 3 : 1), "create mapped %ld times", maps);
  reset();
  return r;
}

static void expect_none(const char *what) {
  const long allocs = atomic_load(&g_allocs), news = atomic_load(&g_news),
             maps = atomic_load(&g_maps);
  cr_assert(allocs == 0 && news == 0 && maps == 0,
            "%s: %ld mallocs, %ld operator new, %ld mmaps after create", what, allocs, news,
            maps);
}

Test(ring_alloc, the_counter_sees_malloc) {
  SKIP_IF_SANITIZED();
  reset();
  window_open();
  void *volatile p = malloc(24);
  free(p);
  window_close();
  cr_assert_eq(atomic_load(&g_allocs), 1);
}

/* Every call of both sides, success and error paths, across many laps. */
static void exercise(core_ring_t *r) {
  enum { kN = 700 };
  static float x[2 * kN], out[2 * kN];
  static int16_t pcm[kN];
  for (int i = 0; i < 2 * kN; ++i) x[i] = (float)i;
  for (int i = 0; i < kN; ++i) pcm[i] = (int16_t)(i * 40);
  const size_t cap = core_ring_capacity(r);
  cr_assert(cap + 1 <= 2 * kN);
  for (int lap = 0; lap < 200; ++lap) {
    size_t got = 0, n = 0, n1 = 0, n2 = 0;
    const float *p1, *p2;
    (void)core_ring_append_f32(r, x, (size_t)(lap * 37) % kN + 1);
    (void)core_ring_append_i16(r, pcm, (size_t)(lap * 53) % kN + 1);
    (void)core_ring_append_f32(r, x, cap + 1); /* FULL under REJECT, with a message */
    (void)core_ring_read(r, out, 10);
    (void)core_ring_read(r, out, cap + 1);    /* EMPTY, with a message */
    (void)core_ring_read_all(r, out, 2 * kN, &n);
    (void)core_ring_read_all(r, out, 1, &n);  /* BUFFER_TOO_SMALL */
    (void)core_ring_read_latest(r, out, 5);
    (void)core_ring_regions(r, &p1, &n1, &p2, &n2);
    (void)core_ring_consume(r, n1 / 2);
    (void)core_ring_pop(r, out, (size_t)(lap * 11) % kN, &got);
    (void)core_ring_wait_readable(r, 1, 0);
    (void)core_ring_wait_writable(r, 1, 0);
    (void)core_ring_append_f32(NULL, x, 1);   /* INVALID_ARGUMENT, with a message */
    (void)core_ring_size(r), (void)core_ring_space(r), (void)core_ring_dropped(r);
    if (lap % 50 == 49) (void)core_ring_clear(r);
  }
  /* One real sleep that times out. */
  (void)core_ring_clear(r);
  (void)core_ring_wait_readable(r, 1, 2);
}

Test(ring_alloc, no_allocation_after_create_any_configuration) {
  SKIP_IF_SANITIZED();
  for (int policy = 0; policy <= 1; ++policy)
    for (int mirror = 0; mirror <= 1; ++mirror) {
      core_ring_t *r = counted_create(1000, (core_ring_policy)policy, mirror);
      window_open();
      exercise(r);
      window_close();
      expect_none(policy ? (mirror ? "overwrite, mirror" : "overwrite") :
                           (mirror ? "reject, mirror" : "reject"));
      core_ring_destroy(r);
    }
}

/* Two threads, both counting, handing chunks over through sleeps and wakes. */
typedef struct {
  core_ring_t *r;
  atomic_int ready, go;
} pair;

static void *producer(void *p) {
  pair *pr = p;
  static float x[256];
  window_open();
  atomic_store(&pr->ready, 1);
  while (!atomic_load(&pr->go)) {
  }
  for (int i = 0; i < 4000; ++i) {
    while (core_ring_wait_writable(pr->r, 256, 5000) != CORE_OK) {
    }
    (void)core_ring_append_f32(pr->r, x, 256);
  }
  window_close();
  return NULL;
}

Test(ring_alloc, no_allocation_in_a_sleeping_producer_consumer_pair) {
  SKIP_IF_SANITIZED();
  core_ring_t *r = counted_create(512, CORE_RING_REJECT, CORE_RING_MIRROR_ON);
  pair pr = {r, 0, 0};
  pthread_t th;
  cr_assert_eq(pthread_create(&th, NULL, producer, &pr), 0);
  while (!atomic_load(&pr.ready)) {
  }
  reset(); /* thread creation itself allocates, before the windows */
  window_open();
  atomic_store(&pr.go, 1);
  float out[256];
  for (int i = 0; i < 4000; ++i) {
    size_t got = 0;
    while (core_ring_wait_readable(r, 256, 5000) != CORE_OK) {
    }
    (void)core_ring_pop(r, out, 256, &got);
  }
  window_close();
  pthread_join(th, NULL);
  expect_none("producer/consumer pair");
  core_ring_destroy(r);
}
