/* Unit tests for ring.h: options, life cycle, every operation under
 * CORE_RING_REJECT, wrap-around with every consumer call, and the int16 and
 * float32 conversions. OVERWRITE is in test_ring_overwrite.c, the mirror in
 * test_ring_mirror.c, bad input in test_ring_errors.c, sleeping in
 * test_ring_wait.c, allocation counting in test_ring_alloc.c. */
#include <math.h>

#include "test_ring_util.h"

/* ---- options and life cycle -------------------------------------------------- */

Test(ring, options_init_defaults) {
  core_ring_options_t o;
  memset(&o, 0x5A, sizeof o);
  OK(core_ring_options_init(&o));
  cr_assert_eq(o.struct_size, sizeof o);
  cr_assert_eq(o.capacity, 0);
  cr_assert_eq(o.policy, CORE_RING_REJECT);
  cr_assert_eq(o.mirror, CORE_RING_MIRROR_OFF);
}

Test(ring, create_destroy_and_queries) {
  for (int policy = 0; policy <= 1; ++policy)
    for (int mirror = 0; mirror <= 1; ++mirror) {
      core_ring_t *r = ring_make(1000, (core_ring_policy)policy, mirror);
      cr_assert_eq(core_ring_capacity(r), 1000);
      cr_assert_eq(core_ring_size(r), 0);
      cr_assert_eq(core_ring_space(r), 1000);
      cr_assert_eq(core_ring_dropped(r), 0);
      cr_assert_eq(core_ring_get_policy(r), (core_ring_policy)policy);
      cr_assert_eq(core_ring_is_mirrored(r) != 0, mirror != 0);
      core_ring_destroy(r);
    }
  core_ring_destroy(NULL); /* no-op */
}

Test(ring, queries_on_null_are_zero) {
  cr_assert_eq(core_ring_size(NULL), 0);
  cr_assert_eq(core_ring_space(NULL), 0);
  cr_assert_eq(core_ring_capacity(NULL), 0);
  cr_assert_eq(core_ring_dropped(NULL), 0);
  cr_assert_eq(core_ring_is_mirrored(NULL), 0);
  cr_assert_eq(core_ring_get_policy(NULL), CORE_RING_REJECT);
}

Test(ring, capacity_one) {
  core_ring_t *r = ring_make(1, CORE_RING_REJECT, 0);
  for (uint64_t i = 0; i < 10; ++i) {
    push_seq(r, i, 1);
    float x = seq(99);
    cr_assert_eq(core_ring_append_f32(r, &x, 1), CORE_E_FULL);
    pop_seq(r, i, 1);
  }
  core_ring_destroy(r);
}

/* ---- REJECT: the logical capacity is honoured exactly ------------------------- */

Test(ring, reject_honours_logical_capacity) {
  const size_t caps[] = {3, 1000, 1024, 1025};
  for (size_t k = 0; k < COUNT(caps); ++k) {
    const size_t cap = caps[k];
    core_ring_t *r = ring_make(cap, CORE_RING_REJECT, 0);
    push_seq(r, 0, cap - 1);
    cr_assert_eq(core_ring_space(r), 1);
    push_seq(r, cap - 1, 1);
    cr_assert_eq(core_ring_size(r), cap);
    cr_assert_eq(core_ring_space(r), 0);
    float x[2] = {7.0f, 8.0f};
    cr_assert_eq(core_ring_append_f32(r, x, 1), CORE_E_FULL, "cap %zu", cap);
    cr_assert_eq(core_ring_size(r), cap, "a rejected append wrote something");
    OK(core_ring_consume(r, 1));
    cr_assert_eq(core_ring_append_f32(r, x, 2), CORE_E_FULL); /* all or nothing */
    cr_assert_eq(core_ring_size(r), cap - 1);
    push_seq(r, cap, 1);
    pop_seq(r, 1, cap); /* the rejected samples never got in */
    cr_assert_eq(core_ring_dropped(r), 0);
    core_ring_destroy(r);
  }
}

Test(ring, append_zero_is_a_noop) {
  core_ring_t *r = ring_make(4, CORE_RING_REJECT, 0);
  OK(core_ring_append_f32(r, NULL, 0));
  OK(core_ring_append_i16(r, NULL, 0));
  cr_assert_eq(core_ring_size(r), 0);
  push_seq(r, 0, 4);
  OK(core_ring_append_f32(r, NULL, 0)); /* fits even when full */
  core_ring_destroy(r);
}

/* ---- consumer operations --------------------------------------------------------- */

Test(ring, read_does_not_consume) {
  core_ring_t *r = ring_make(100, CORE_RING_REJECT, 0);
  push_seq(r, 0, 50);
  float out[50];
  OK(core_ring_read(r, out, 20));
  cr_assert(seq_is(out, 0, 20));
  OK(core_ring_read(r, out, 50));
  cr_assert(seq_is(out, 0, 50));
  cr_assert_eq(core_ring_size(r), 50);
  OK(core_ring_read(r, NULL, 0));
  OK(core_ring_consume(r, 20));
  OK(core_ring_read(r, out, 30));
  cr_assert(seq_is(out, 20, 30));
  core_ring_destroy(r);
}

Test(ring, pop_partial_and_empty) {
  core_ring_t *r = ring_make(100, CORE_RING_REJECT, 0);
  push_seq(r, 0, 10);
  float out[64];
  size_t got = 99;
  OK(core_ring_pop(r, out, 64, &got)); /* up to n */
  cr_assert_eq(got, 10);
  cr_assert(seq_is(out, 0, 10));
  got = 99;
  cr_assert_eq(core_ring_pop(r, out, 64, &got), CORE_E_EMPTY);
  cr_assert_eq(got, 0);
  got = 99;
  OK(core_ring_pop(r, out, 0, &got)); /* asking for nothing is not an error */
  cr_assert_eq(got, 0);
  core_ring_destroy(r);
}

Test(ring, read_all) {
  core_ring_t *r = ring_make(100, CORE_RING_REJECT, 0);
  float out[100];
  size_t n = 99;
  OK(core_ring_read_all(r, out, 100, &n));
  cr_assert_eq(n, 0);
  OK(core_ring_read_all(r, NULL, 0, &n));
  push_seq(r, 0, 70);
  OK(core_ring_consume(r, 10));
  OK(core_ring_read_all(r, out, 100, &n));
  cr_assert_eq(n, 60);
  cr_assert(seq_is(out, 10, 60));
  cr_assert_eq(core_ring_size(r), 60, "read_all consumed");
  OK(core_ring_read_all(r, out, 60, &n)); /* exactly enough room */
  core_ring_destroy(r);
}

Test(ring, read_latest) {
  core_ring_t *r = ring_make(100, CORE_RING_REJECT, 0);
  float out[100];
  for (uint64_t t = 0; t < 1000; t += 37) {
    push_seq(r, t, 37);
    OK(core_ring_read_latest(r, out, 37));
    cr_assert(seq_is(out, t, 37));
    OK(core_ring_read_latest(r, out, 5));
    cr_assert(seq_is(out, t + 32, 5));
    OK(core_ring_read_latest(r, out, 0));
    OK(core_ring_consume(r, 37));
  }
  cr_assert_eq(core_ring_read_latest(r, out, 1), CORE_E_EMPTY);
  core_ring_destroy(r);
}

Test(ring, clear) {
  core_ring_t *r = ring_make(64, CORE_RING_REJECT, 0);
  push_seq(r, 0, 64);
  OK(core_ring_clear(r));
  cr_assert_eq(core_ring_size(r), 0);
  cr_assert_eq(core_ring_space(r), 64);
  cr_assert_eq(core_ring_dropped(r), 0, "clear is not a drop");
  push_seq(r, 64, 64); /* full capacity again, after the clear */
  pop_seq(r, 64, 64);
  OK(core_ring_clear(r)); /* clear on empty */
  core_ring_destroy(r);
}

Test(ring, regions_two_spans_at_the_wrap) {
  core_ring_t *r = ring_make(1024, CORE_RING_REJECT, CORE_RING_MIRROR_OFF);
  const float *p1, *p2;
  size_t n1, n2;
  OK(core_ring_regions(r, &p1, &n1, &p2, &n2));
  cr_assert_eq(n1 + n2, 0);
  push_seq(r, 0, 1000);
  OK(core_ring_consume(r, 900));
  push_seq(r, 1000, 300); /* positions 900 .. 1300: wraps at 1024 */
  OK(core_ring_regions(r, &p1, &n1, &p2, &n2));
  cr_assert_eq(n1, 124);
  cr_assert_eq(n2, 276);
  cr_assert(seq_is(p1, 900, n1));
  cr_assert(seq_is(p2, 1024, n2));
  OK(core_ring_consume(r, 124)); /* zero-copy consumer: done with span 1 */
  OK(core_ring_regions(r, &p1, &n1, &p2, &n2));
  cr_assert_eq(n1, 276);
  cr_assert_eq(n2, 0);
  cr_assert_null(p2);
  cr_assert(seq_is(p1, 1024, n1));
  core_ring_destroy(r);
}

/* ---- wrap-around: every consumer call, odd sizes, many laps ---------------------- */

/* Streams `total` samples through a ring of capacity cap in pseudo-random
 * chunks, consuming with each consumer call in turn, and checks that the
 * consumer sees the stream exactly. */
static void stream_through(size_t cap, int mirror) {
  core_ring_t *r = ring_make(cap, CORE_RING_REJECT, mirror);
  float *in = fbuf(cap + 1), *out = fbuf(cap + 1);
  tu_rng rng = tu_rng_make(cap * 31 + (uint64_t)mirror);
  uint64_t produced = 0, consumed = 0;
  const uint64_t total = 40 * (uint64_t)cap + 1000;
  int op = 0;
  while (consumed < total) {
    size_t want = 1 + (size_t)(tu_next_u64(&rng) % cap);
    if (produced < total) {
      if (want > total - produced) want = (size_t)(total - produced);
      seq_fill(in, produced, want);
      const core_status st = core_ring_append_f32(r, in, want);
      CHECK(st == CORE_OK || st == CORE_E_FULL, "append: %s", core_status_str(st));
      CHECK((st == CORE_OK) == (want <= cap - (produced - consumed)),
            "append of %zu with %llu free returned %s", want,
            (unsigned long long)(cap - (produced - consumed)), core_status_str(st));
      if (st == CORE_OK) produced += want;
    }
    CHECK(core_ring_size(r) == produced - consumed, "size %zu, want %llu", core_ring_size(r),
          (unsigned long long)(produced - consumed));
    const size_t have = (size_t)(produced - consumed);
    size_t k = 1 + (size_t)(tu_next_u64(&rng) % cap);
    if (k > have) k = have;
    if (k == 0) continue;
    switch (op++ % 5) {
      case 0: {
        size_t got = 0;
        OK(core_ring_pop(r, out, k, &got));
        CHECK(got == k, "pop got %zu of %zu", got, k);
        break;
      }
      case 1:
        OK(core_ring_read(r, out, k));
        OK(core_ring_consume(r, k));
        break;
      case 2: {
        const float *p1, *p2;
        size_t n1, n2;
        OK(core_ring_regions(r, &p1, &n1, &p2, &n2));
        CHECK(n1 + n2 == have, "regions hold %zu + %zu, want %zu", n1, n2, have);
        CHECK(!core_ring_is_mirrored(r) || n2 == 0, "mirrored regions split: %zu + %zu", n1, n2);
        memcpy(out, p1, (k < n1 ? k : n1) * sizeof *out);
        if (k > n1) memcpy(out + n1, p2, (k - n1) * sizeof *out);
        OK(core_ring_consume(r, k));
        break;
      }
      case 3: {
        size_t n = 0;
        OK(core_ring_read_all(r, out, cap, &n));
        CHECK(n == have, "read_all gave %zu, want %zu", n, have);
        OK(core_ring_consume(r, k));
        break;
      }
      default:
        OK(core_ring_read_latest(r, out, have));
        OK(core_ring_consume(r, k));
        break;
    }
    CHECK(seq_is(out, consumed, k), "cap %zu mirror %d: wrong samples at %llu (op %d)", cap,
          mirror, (unsigned long long)consumed, (op - 1) % 5);
    consumed += k;
  }
  cr_assert_eq(core_ring_dropped(r), 0);
  free(in), free(out);
  core_ring_destroy(r);
}

Test(ring, wrap_around_plain) {
  const size_t caps[] = {1, 2, 3, 7, 100, 1000, 1024, 4097};
  for (size_t k = 0; k < COUNT(caps); ++k) stream_through(caps[k], CORE_RING_MIRROR_OFF);
}

Test(ring, wrap_around_mirrored) {
  const size_t caps[] = {1, 3, 100, 1024, 4097, 70000};
  for (size_t k = 0; k < COUNT(caps); ++k) stream_through(caps[k], CORE_RING_MIRROR_ON);
}

/* ---- conversions ------------------------------------------------------------------- */

Test(ring, append_f32_is_bit_exact) {
  core_ring_t *r = ring_make(16, CORE_RING_REJECT, 0);
  const uint32_t bits[] = {0x7fc00001u, 0xffc12345u, 0x7f800001u, 0x7f800000u, 0xff800000u,
                           0x80000000u, 0x00000001u, 0x40000000u, 0xc1200000u};
  float in[COUNT(bits)], out[COUNT(bits)];
  memcpy(in, bits, sizeof in);
  for (int lap = 0; lap < 5; ++lap) { /* across the wrap too */
    OK(core_ring_append_f32(r, in, COUNT(in)));
    size_t got = 0;
    OK(core_ring_pop(r, out, COUNT(out), &got));
    cr_assert_eq(got, COUNT(out));
    cr_assert(memcmp(in, out, sizeof in) == 0, "lap %d: bits changed", lap);
  }
  core_ring_destroy(r);
}

static void i16_all_values(int mirror) {
  /* 65536 values through a ring of 10000: many conversions split at the wrap. */
  core_ring_t *r = ring_make(10000, CORE_RING_REJECT, mirror);
  int16_t *pcm = malloc(65536 * sizeof *pcm);
  float *out = fbuf(65536);
  cr_assert_not_null(pcm);
  for (int v = -32768; v <= 32767; ++v) pcm[v + 32768] = (int16_t)v;
  size_t done = 0, popped = 0;
  while (popped < 65536) {
    const size_t n = 65536 - done < 3333 ? 65536 - done : 3333;
    if (n > 0 && core_ring_space(r) >= n) {
      OK(core_ring_append_i16(r, pcm + done, n));
      done += n;
    }
    size_t got = 0;
    OK(core_ring_pop(r, out + popped, 2500, &got));
    popped += got;
  }
  for (size_t i = 0; i < 65536; ++i) {
    const double want = (double)pcm[i] / 32768.0;
    CHECK(out[i] == (float)want, "pcm %d -> %.9g, want %.9g", pcm[i], (double)out[i], want);
    CHECK(out[i] >= -1.0f && out[i] < 1.0f, "pcm %d -> %.9g outside [-1, 1)", pcm[i],
          (double)out[i]);
  }
  cr_assert_eq(out[0], -1.0f);
  cr_assert_eq(out[65535], 32767.0f / 32768.0f);
  cr_assert(out[32768] == 0.0f && !signbit(out[32768]));
  free(pcm), free(out);
  core_ring_destroy(r);
}

Test(ring, append_i16_exact_plain) { i16_all_values(CORE_RING_MIRROR_OFF); }
Test(ring, append_i16_exact_mirrored) { i16_all_values(CORE_RING_MIRROR_ON); }

Test(ring, append_i16_extremes_never_clip) {
  /* int16 input cannot exceed the float range: the extremes map inside
   * [-1, 1), nothing saturates, and the mapping is odd-symmetric except for
   * -32768, which has no positive twin. */
  core_ring_t *r = ring_make(8, CORE_RING_REJECT, 0);
  const int16_t pcm[] = {INT16_MIN, INT16_MAX, -1, 1, 0, -32767, 16384, -16384};
  float out[8];
  OK(core_ring_append_i16(r, pcm, 8));
  OK(core_ring_read(r, out, 8));
  cr_assert_eq(out[0], -1.0f);
  cr_assert_eq(out[1], 0.999969482421875f);
  cr_assert_eq(out[2], -out[3]);
  cr_assert_eq(out[3], 1.0f / 32768.0f);
  cr_assert_eq(out[4], 0.0f);
  cr_assert_eq(out[5], -out[1]);
  cr_assert_eq(out[6], 0.5f);
  cr_assert_eq(out[7], -0.5f);
  /* REJECT applies to int16 appends like to float ones. */
  cr_assert_eq(core_ring_append_i16(r, pcm, 1), CORE_E_FULL);
  core_ring_destroy(r);
}

Test(ring, append_i16_and_f32_interleave) {
  core_ring_t *r = ring_make(5, CORE_RING_REJECT, 0);
  for (int lap = 0; lap < 20; ++lap) {
    const int16_t pcm[2] = {(int16_t)(lap * 100), (int16_t)(-lap * 100)};
    const float f[2] = {(float)lap, -(float)lap};
    OK(core_ring_append_i16(r, pcm, 2));
    OK(core_ring_append_f32(r, f, 2));
    float out[4];
    size_t got = 0;
    OK(core_ring_pop(r, out, 4, &got));
    cr_assert_eq(got, 4);
    cr_assert_eq(out[0], (float)(lap * 100) / 32768.0f);
    cr_assert_eq(out[1], (float)(-lap * 100) / 32768.0f);
    cr_assert_eq(out[2], (float)lap);
    cr_assert_eq(out[3], -(float)lap);
  }
  core_ring_destroy(r);
}
