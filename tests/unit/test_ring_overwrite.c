/* Unit tests for ring.h under CORE_RING_OVERWRITE: the oldest samples make
 * room and are counted, the newest are always readable, and every sample
 * appended is popped, dropped or discarded exactly once. The two-thread
 * version of these properties is tests/stress/stress_ring.c. */
#include "test_ring_util.h"

static void both_mirrors(void (*body)(int mirror)) {
  body(CORE_RING_MIRROR_OFF);
  body(CORE_RING_MIRROR_ON);
}

static void drops_oldest(int mirror) {
  core_ring_t *r = ring_make(100, CORE_RING_OVERWRITE, mirror);
  for (uint64_t i = 0; i < 250; i += 30) push_seq(r, i, 30);  /* 270 samples */
  cr_assert_eq(core_ring_size(r), 100);
  cr_assert_eq(core_ring_space(r), 0);
  cr_assert_eq(core_ring_dropped(r), 170);
  float out[100];
  size_t n = 0;
  OK(core_ring_read_all(r, out, 100, &n));
  cr_assert_eq(n, 100);
  cr_assert(seq_is(out, 170, 100), "the ring should hold the newest 100 (first %g)",
            (double)out[0]);
  core_ring_destroy(r);
}
Test(ring_overwrite, drops_oldest_and_counts) { both_mirrors(drops_oldest); }

static void append_larger_than_capacity(int mirror) {
  core_ring_t *r = ring_make(100, CORE_RING_OVERWRITE, mirror);
  push_seq(r, 0, 40);
  push_seq(r, 40, 1000); /* only its last 100 survive */
  cr_assert_eq(core_ring_dropped(r), 940);
  float out[100];
  OK(core_ring_read(r, out, 100));
  cr_assert(seq_is(out, 940, 100));
  /* int16 too */
  int16_t pcm[300];
  for (int i = 0; i < 300; ++i) pcm[i] = (int16_t)(i * 7);
  OK(core_ring_append_i16(r, pcm, 300));
  cr_assert_eq(core_ring_dropped(r), 1240);
  OK(core_ring_read(r, out, 100));
  for (int i = 0; i < 100; ++i)
    cr_assert_eq(out[i], (float)(200 + i) * 7.0f / 32768.0f, "sample %d: %g", i, (double)out[i]);
  core_ring_destroy(r);
}
Test(ring_overwrite, append_larger_than_capacity) { both_mirrors(append_larger_than_capacity); }

/* The whisper.cpp use: never consume, always look at the last N samples. */
static void keep_last_n(int mirror) {
  core_ring_t *r = ring_make(1600, CORE_RING_OVERWRITE, mirror);
  float *out = fbuf(1600);
  tu_rng rng = tu_rng_make(7);
  uint64_t t = 0;
  for (int i = 0; i < 3000; ++i) {
    const size_t n = 1 + (size_t)(tu_next_u64(&rng) % 700);
    push_seq(r, t, n);
    t += n;
    const size_t want = t < 1600 ? (size_t)t : 1600;
    CHECK(core_ring_size(r) == want, "size %zu, want %zu", core_ring_size(r), want);
    OK(core_ring_read_latest(r, out, want));
    CHECK(seq_is(out, t - want, want), "read_latest(%zu) after %llu samples", want,
          (unsigned long long)t);
    const size_t k = 1 + (size_t)(tu_next_u64(&rng) % want);
    OK(core_ring_read_latest(r, out, k));
    CHECK(seq_is(out, t - k, k), "read_latest(%zu)", k);
  }
  cr_assert_eq(core_ring_dropped(r), t - 1600);
  free(out);
  core_ring_destroy(r);
}
Test(ring_overwrite, keep_last_n_with_read_latest) { both_mirrors(keep_last_n); }

/* Random single-thread interleaving: the consumer sees an increasing
 * subsequence of the stream, each pop contiguous, and popped + dropped +
 * cleared = appended. */
static void every_sample_accounted(int mirror) {
  core_ring_t *r = ring_make(333, CORE_RING_OVERWRITE, mirror);
  float *in = fbuf(1000), *out = fbuf(1000);
  tu_rng rng = tu_rng_make(11 + (uint64_t)mirror);
  uint64_t produced = 0, popped = 0, cleared = 0;
  int64_t last = -1;
  for (int i = 0; i < 12000; ++i) { /* about 3e6 samples: seq() is exact below 4e6 */
    const size_t n = (size_t)(tu_next_u64(&rng) % 500);
    seq_fill(in, produced, n);
    OK(core_ring_append_f32(r, in, n));
    produced += n;
    CHECK(core_ring_size(r) <= 333, "size %zu above capacity", core_ring_size(r));
    const uint64_t roll = tu_next_u64(&rng) % 100;
    if (roll == 0) {
      cleared += core_ring_size(r);
      OK(core_ring_clear(r));
      continue;
    }
    size_t got = 0;
    const size_t k = (size_t)(tu_next_u64(&rng) % 400);
    const core_status st = core_ring_pop(r, out, k, &got);
    CHECK(st == CORE_OK || (st == CORE_E_EMPTY && got == 0), "pop: %s", core_status_str(st));
    for (size_t j = 0; j < got; ++j) {
      const int64_t idx = (int64_t)seq_index(out[j]);
      CHECK(idx > last, "not increasing: %lld after %lld", (long long)idx, (long long)last);
      CHECK(j == 0 || idx == last + 1, "a pop is not contiguous at %zu", j);
      last = idx;
    }
    popped += got;
  }
  cleared += core_ring_size(r);
  cr_assert_eq(popped + core_ring_dropped(r) + cleared, produced,
               "popped %llu + dropped %llu + cleared %llu != appended %llu",
               (unsigned long long)popped, (unsigned long long)core_ring_dropped(r),
               (unsigned long long)cleared, (unsigned long long)produced);
  free(in), free(out);
  core_ring_destroy(r);
}
Test(ring_overwrite, every_sample_popped_dropped_or_cleared) {
  both_mirrors(every_sample_accounted);
}

/* read, then the producer drops part of what was read, then consume: the
 * consumer's "first n" are the samples it saw, so nothing unseen is lost
 * without being counted. */
Test(ring_overwrite, consume_after_read_counts_from_what_was_read) {
  core_ring_t *r = ring_make(10, CORE_RING_OVERWRITE, 0);
  push_seq(r, 0, 10);
  float out[10];
  OK(core_ring_read(r, out, 5));
  cr_assert(seq_is(out, 0, 5));
  push_seq(r, 10, 3); /* drops 0, 1, 2 */
  cr_assert_eq(core_ring_dropped(r), 3);
  OK(core_ring_consume(r, 5)); /* consumes 3 and 4: the rest of what was read */
  pop_seq(r, 5, 8);            /* 5 .. 12: nothing unseen skipped */
  cr_assert_eq(core_ring_dropped(r), 3);
  /* Without a read before it, consume counts from the current oldest. */
  push_seq(r, 13, 10);
  OK(core_ring_consume(r, 4));
  pop_seq(r, 17, 6);
  /* The producer dropped everything that was read: consume has nothing
   * left to do, and still succeeds. */
  push_seq(r, 23, 10);
  OK(core_ring_read(r, out, 2));
  push_seq(r, 33, 10);
  OK(core_ring_consume(r, 2));
  pop_seq(r, 33, 10);
  cr_assert_eq(core_ring_dropped(r), 13);
  core_ring_destroy(r);
}

/* A span from regions stays intact while the producer keeps going; once
 * the producer reaches it, it drops its own newest samples instead. */
static void regions_protected(int mirror) {
  core_ring_t *r = ring_make(100, CORE_RING_OVERWRITE, mirror);
  push_seq(r, 0, 100);
  const float *p1, *p2;
  size_t n1, n2;
  OK(core_ring_regions(r, &p1, &n1, &p2, &n2));
  cr_assert_eq(n1 + n2, 100);
  push_seq(r, 100, 100);  /* drops 0 .. 99, which the span still shows */
  push_seq(r, 200, 1000); /* far past the span: the newest are dropped */
  cr_assert(seq_is(p1, 0, n1), "the span changed under the consumer");
  cr_assert(n2 == 0 || seq_is(p2, n1, n2), "the span changed under the consumer");
  OK(core_ring_consume(r, 0)); /* releases the span */
  push_seq(r, 1200, 50);       /* the producer is back to dropping the oldest */
  float out[100];
  size_t got = 0, total = 0;
  uint64_t prev = 0;
  int first = 1;
  while (core_ring_pop(r, out, 100, &got) == CORE_OK) {
    for (size_t j = 0; j < got; ++j) {
      const uint64_t idx = seq_index(out[j]);
      cr_assert(first || idx > prev, "%llu after %llu", (unsigned long long)idx,
                (unsigned long long)prev);
      prev = idx, first = 0;
    }
    total += got;
  }
  cr_assert_eq(prev, 1249, "the newest sample must survive");
  cr_assert_eq(total + core_ring_dropped(r), 1250);
  core_ring_destroy(r);
}
Test(ring_overwrite, regions_span_is_never_overwritten) { both_mirrors(regions_protected); }

Test(ring_overwrite, pop_and_consume_after_drops) {
  core_ring_t *r = ring_make(8, CORE_RING_OVERWRITE, 0);
  push_seq(r, 0, 20);
  cr_assert_eq(core_ring_dropped(r), 12);
  pop_seq(r, 12, 3);
  OK(core_ring_consume(r, 2));
  pop_seq(r, 17, 3);
  cr_assert_eq(core_ring_consume(r, 1), CORE_E_EMPTY);
  cr_assert_eq(core_ring_dropped(r), 12);
  core_ring_destroy(r);
}

Test(ring_overwrite, clear_is_not_a_drop) {
  core_ring_t *r = ring_make(50, CORE_RING_OVERWRITE, 0);
  push_seq(r, 0, 60);
  cr_assert_eq(core_ring_dropped(r), 10);
  OK(core_ring_clear(r));
  cr_assert_eq(core_ring_size(r), 0);
  cr_assert_eq(core_ring_dropped(r), 10);
  push_seq(r, 60, 50);
  cr_assert_eq(core_ring_dropped(r), 10);
  pop_seq(r, 60, 50);
  core_ring_destroy(r);
}

Test(ring_overwrite, space_and_wait_writable) {
  core_ring_t *r = ring_make(16, CORE_RING_OVERWRITE, 0);
  push_seq(r, 0, 16);
  cr_assert_eq(core_ring_space(r), 0);
  cr_assert_eq(core_ring_wait_writable(r, 1, 0), CORE_E_FULL); /* would drop */
  OK(core_ring_wait_writable(r, 0, 0));
  OK(core_ring_consume(r, 4));
  OK(core_ring_wait_writable(r, 4, 0));
  cr_assert_eq(core_ring_wait_writable(r, 5, 1), CORE_E_FULL);
  core_ring_destroy(r);
}
