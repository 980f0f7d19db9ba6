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
#include "alloc_count.h"


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
