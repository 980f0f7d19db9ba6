/* Unit tests for the mirrored ring (CORE_RING_MIRROR_ON / _REQUIRE): one
 * contiguous span at every position, both policies, and the fallback to a
 * plain buffer when the system refuses the memfd (forced here by lowering
 * RLIMIT_NOFILE in Criterion's per-test child process). */
#include <sys/resource.h>

#include "test_ring_util.h"

/* Runs create with no file descriptor available, so memfd_create fails. */
static core_status create_without_fds(size_t cap, int mirror, core_ring_t **out) {
  struct rlimit old, none;
  cr_assert_eq(getrlimit(RLIMIT_NOFILE, &old), 0);
  none = old;
  none.rlim_cur = 0;
  cr_assert_eq(setrlimit(RLIMIT_NOFILE, &none), 0);
  core_ring_options_t o;
  core_status st = core_ring_options_init(&o);
  o.capacity = cap;
  o.mirror = mirror;
  if (st == CORE_OK) st = core_ring_create(&o, out);
  cr_assert_eq(setrlimit(RLIMIT_NOFILE, &old), 0);
  return st;
}

Test(ring_mirror, mirrored_when_asked) {
  const size_t caps[] = {1, 3, 1000, 1024, 65536, 100000};
  for (size_t k = 0; k < COUNT(caps); ++k)
    for (int mirror = CORE_RING_MIRROR_ON; mirror <= CORE_RING_MIRROR_REQUIRE; ++mirror)
      for (int policy = 0; policy <= 1; ++policy) {
        core_ring_t *r = ring_make(caps[k], (core_ring_policy)policy, mirror);
        cr_assert_eq(core_ring_is_mirrored(r), 1, "cap %zu mirror %d policy %d", caps[k],
                     mirror, policy);
        cr_assert_eq(core_ring_capacity(r), caps[k]);
        core_ring_destroy(r);
      }
}

/* At every start position, the readable span is one pointer holding the
 * stream in order: the second mapping continues the first. */
static void one_span_everywhere(core_ring_policy policy) {
  const size_t cap = 1000;
  core_ring_t *r = ring_make(cap, policy, CORE_RING_MIRROR_REQUIRE);
  uint64_t head = 0, tail = 0;
  for (int step = 0; step < 3000; ++step) {
    const size_t n = (size_t)(cap - (tail - head));
    push_seq(r, tail, n); /* fill up */
    tail += n;
    const float *p1, *p2;
    size_t n1, n2;
    OK(core_ring_regions(r, &p1, &n1, &p2, &n2));
    CHECK(n1 == cap && n2 == 0 && p2 == NULL, "step %d: %zu + %zu", step, n1, n2);
    CHECK(seq_is(p1, head, n1), "step %d: the span at %llu is wrong", step,
          (unsigned long long)head);
    const size_t k = 1 + (size_t)((step * 7919u) % 997u);
    OK(core_ring_consume(r, k));
    head += k;
  }
  core_ring_destroy(r);
}
Test(ring_mirror, one_span_at_every_position_reject) { one_span_everywhere(CORE_RING_REJECT); }
Test(ring_mirror, one_span_at_every_position_overwrite) {
  one_span_everywhere(CORE_RING_OVERWRITE);
}

Test(ring_mirror, overwrite_read_latest_across_the_seam) {
  core_ring_t *r = ring_make(777, CORE_RING_OVERWRITE, CORE_RING_MIRROR_ON);
  float out[777];
  uint64_t t = 0;
  for (int i = 0; i < 500; ++i) {
    const size_t n = 1 + (size_t)((i * 131u) % 600u);
    push_seq(r, t, n);
    t += n;
    const size_t k = t < 777 ? (size_t)t : 777;
    OK(core_ring_read_latest(r, out, k));
    CHECK(seq_is(out, t - k, k), "read_latest at %llu", (unsigned long long)t);
  }
  core_ring_destroy(r);
}

Test(ring_mirror, fallback_to_plain_buffer) {
  core_ring_t *r = NULL;
  OK(create_without_fds(1000, CORE_RING_MIRROR_ON, &r));
  cr_assert_not_null(r);
  cr_assert_eq(core_ring_is_mirrored(r), 0, "no memfd: the ring must say it is not mirrored");
  /* It still works, split regions included. */
  push_seq(r, 0, 1000);
  OK(core_ring_consume(r, 900));
  push_seq(r, 1000, 500);
  const float *p1, *p2;
  size_t n1, n2;
  OK(core_ring_regions(r, &p1, &n1, &p2, &n2));
  cr_assert_eq(n1, 124);
  cr_assert_eq(n2, 476);
  cr_assert(seq_is(p1, 900, n1) && seq_is(p2, 1024, n2));
  pop_seq(r, 900, 600);
  core_ring_destroy(r);
}

Test(ring_mirror, require_fails_without_memfd) {
  core_ring_t *r = (core_ring_t *)&r; /* must stay unchanged */
  ERRMSG(CORE_E_UNSUPPORTED, "core_ring_create", "mirror",
         create_without_fds(1000, CORE_RING_MIRROR_REQUIRE, &r));
  cr_assert_eq(r, (core_ring_t *)&r);
}

Test(ring_mirror, int16_across_the_seam) {
  core_ring_t *r = ring_make(1500, CORE_RING_REJECT, CORE_RING_MIRROR_ON);
  int16_t pcm[1000];
  float out[1000];
  for (int lap = 0; lap < 40; ++lap) {
    for (int i = 0; i < 1000; ++i) pcm[i] = (int16_t)(lap * 1000 + i - 20000);
    OK(core_ring_append_i16(r, pcm, 1000));
    size_t got = 0;
    OK(core_ring_pop(r, out, 1000, &got));
    cr_assert_eq(got, 1000);
    for (int i = 0; i < 1000; ++i)
      CHECK(out[i] == (float)pcm[i] / 32768.0f, "lap %d sample %d", lap, i);
  }
  core_ring_destroy(r);
}
