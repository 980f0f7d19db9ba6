/* Unit tests for the optional sleeping calls, core_ring_wait_readable and
 * core_ring_wait_writable: timeouts, wakes from the other thread, and a
 * ping-pong where every hand-over needs a wake (a lost wake-up shows as a
 * timeout). */
#include <pthread.h>
#include <time.h>

#include "test_ring_util.h"

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void sleep_ms(int ms) {
  struct timespec d = {ms / 1000, (long)(ms % 1000) * 1000000L};
  nanosleep(&d, NULL);
}

Test(ring_wait, immediate_and_timeout) {
  core_ring_t *r = ring_make(100, CORE_RING_REJECT, 0);
  OK(core_ring_wait_readable(r, 0, 0));
  OK(core_ring_wait_writable(r, 100, 0));
  double t0 = now_ms();
  cr_assert_eq(core_ring_wait_readable(r, 1, 60), CORE_E_EMPTY);
  double dt = now_ms() - t0;
  cr_assert(dt >= 59.0 && dt < 5000.0, "waited %.1f ms for a 60 ms timeout", dt);
  push_seq(r, 0, 100);
  OK(core_ring_wait_readable(r, 100, -1)); /* already there: no sleep */
  t0 = now_ms();
  cr_assert_eq(core_ring_wait_writable(r, 1, 60), CORE_E_FULL);
  dt = now_ms() - t0;
  cr_assert(dt >= 59.0 && dt < 5000.0, "waited %.1f ms for a 60 ms timeout", dt);
  core_ring_destroy(r);
}

typedef struct {
  core_ring_t *r;
  size_t n;
  core_status st;
  size_t seen; /* size() or space() when the wait returned */
} waiter;

static void *wait_readable_thread(void *p) {
  waiter *w = p;
  w->st = core_ring_wait_readable(w->r, w->n, 10000);
  w->seen = core_ring_size(w->r);
  return NULL;
}

static void *wait_writable_thread(void *p) {
  waiter *w = p;
  w->st = core_ring_wait_writable(w->r, w->n, 10000);
  w->seen = core_ring_space(w->r);
  return NULL;
}

Test(ring_wait, producer_wakes_a_sleeping_consumer) {
  for (int policy = 0; policy <= 1; ++policy) {
    core_ring_t *r = ring_make(1000, (core_ring_policy)policy, 0);
    waiter w = {r, 500, CORE_E_INTERNAL, 0};
    pthread_t th;
    cr_assert_eq(pthread_create(&th, NULL, wait_readable_thread, &w), 0);
    const double t0 = now_ms();
    for (uint64_t i = 0; i < 1000; i += 100) { /* 10 appends, 5 ms apart */
      sleep_ms(5);
      push_seq(r, i, 100);
    }
    pthread_join(th, NULL);
    cr_assert_eq(w.st, CORE_OK, "%s", core_status_str(w.st));
    cr_assert(w.seen >= 500, "woke with only %zu readable", w.seen);
    cr_assert(now_ms() - t0 < 5000.0, "the wake came only at the timeout");
    core_ring_destroy(r);
  }
}

Test(ring_wait, consumer_wakes_a_sleeping_producer) {
  core_ring_t *r = ring_make(1000, CORE_RING_REJECT, 0);
  push_seq(r, 0, 1000);
  waiter w = {r, 300, CORE_E_INTERNAL, 0};
  pthread_t th;
  cr_assert_eq(pthread_create(&th, NULL, wait_writable_thread, &w), 0);
  const double t0 = now_ms();
  for (uint64_t i = 0; i < 1000; i += 100) {
    sleep_ms(5);
    pop_seq(r, i, 100);
  }
  pthread_join(th, NULL);
  cr_assert_eq(w.st, CORE_OK, "%s", core_status_str(w.st));
  cr_assert(w.seen >= 300, "woke with only %zu free", w.seen);
  cr_assert(now_ms() - t0 < 5000.0, "the wake came only at the timeout");
  core_ring_destroy(r);
}

/* Ping-pong: a ring of one chunk, both sides sleeping at every step. */
enum { kChunk = 64, kRounds = 20000 };

typedef struct {
  core_ring_t *r;
  int timeouts;
} pingpong;

static void *pp_producer(void *p) {
  pingpong *pp = p;
  float x[kChunk];
  for (uint64_t i = 0; i < kRounds; ++i) {
    while (core_ring_wait_writable(pp->r, kChunk, 5000) != CORE_OK) ++pp->timeouts;
    seq_fill(x, i * kChunk, kChunk);
    if (core_ring_append_f32(pp->r, x, kChunk) != CORE_OK) ++pp->timeouts;
  }
  return NULL;
}

Test(ring_wait, ping_pong_never_loses_a_wake, .timeout = 300) {
  for (int mirror = 0; mirror <= 1; ++mirror) {
    core_ring_t *r = ring_make(kChunk, CORE_RING_REJECT, mirror);
    pingpong pp = {r, 0};
    pthread_t th;
    cr_assert_eq(pthread_create(&th, NULL, pp_producer, &pp), 0);
    float out[kChunk];
    int timeouts = 0;
    for (uint64_t i = 0; i < kRounds; ++i) {
      while (core_ring_wait_readable(r, kChunk, 5000) != CORE_OK) ++timeouts;
      size_t got = 0;
      OK(core_ring_pop(r, out, kChunk, &got));
      CHECK(got == kChunk && seq_is(out, i * kChunk, kChunk), "round %llu",
            (unsigned long long)i);
    }
    pthread_join(th, NULL);
    cr_assert_eq(timeouts + pp.timeouts, 0, "%d + %d waits hit the 5 s timeout: a lost wake",
                 timeouts, pp.timeouts);
    core_ring_destroy(r);
  }
}
