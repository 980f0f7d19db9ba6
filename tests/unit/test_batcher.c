/* Unit tests for the batcher of pipeline.h (core_batcher_*): release at
 * max_batch, at max_delay (an injected clock, so no wall-clock thresholds),
 * on flush; length buckets; oldest-first order across buckets; ids in
 * arrival order; next_deadline; pending; max_delay 0; every bad input
 * (status, message, nothing written, state unchanged); and a randomized
 * run against a plain reference model. */
#include <stdint.h>
#include <string.h>

#include <core/pipeline.h>

#include "test_status.h"

#define MS 1000000ull /* ns */

/* The injected clock: tests move `now` by hand. */
typedef struct fake_clock { uint64_t now; uint64_t calls; } fake_clock;
static uint64_t fake_now(void *user) {
  fake_clock *c = (fake_clock *)user;
  c->calls++;
  return c->now;
}

static core_batcher_options_t opts(size_t max_batch, uint32_t max_delay_ms, fake_clock *clk) {
  core_batcher_options_t o;
  OK(core_batcher_options_init(&o));
  o.max_batch = max_batch;
  o.max_delay_ms = max_delay_ms;
  if (clk != NULL) {
    o.clock = fake_now;
    o.clock_user = clk;
  }
  return o;
}

static core_batcher_t *make(const core_batcher_options_t *o) {
  core_batcher_t *b = NULL;
  OK(core_batcher_create(o, &b));
  cr_assert_not_null(b);
  return b;
}

/* Expects the next batch to be exactly want[0, n) from `bucket`. */
static void expect_batch(core_batcher_t *b, size_t cap, size_t bucket, const uint64_t *want,
                         size_t n) {
  uint64_t ids[64];
  size_t count = 999, got_bucket = 999;
  cr_assert_leq(cap, COUNT(ids));
  OK(core_batcher_next(b, ids, cap, &count, &got_bucket));
  cr_assert_eq(count, n, "batch of %zu, want %zu", count, n);
  cr_assert_eq(got_bucket, bucket, "bucket %zu, want %zu", got_bucket, bucket);
  for (size_t i = 0; i < n; ++i)
    CHECK(ids[i] == want[i], "ids[%zu] = %llu, want %llu", i, (unsigned long long)ids[i],
          (unsigned long long)want[i]);
}

static void expect_empty(core_batcher_t *b, size_t cap) {
  uint64_t ids[64];
  size_t count = 999, bucket = 999;
  ERRMSG(CORE_E_EMPTY, "core_batcher_next", "no batch is due",
         core_batcher_next(b, ids, cap, &count, &bucket));
  cr_expect_eq(count, 999, "count written on CORE_E_EMPTY");
  cr_expect_eq(bucket, 999, "bucket written on CORE_E_EMPTY");
}

static uint64_t deadline(core_batcher_t *b) {
  uint64_t ns = 12345;
  OK(core_batcher_next_deadline(b, &ns));
  return ns;
}

/* ---- defaults ---------------------------------------------------------- */

Test(batcher, options_defaults) {
  core_batcher_options_t o;
  memset(&o, 0xAB, sizeof o);
  OK(core_batcher_options_init(&o));
  cr_expect_eq(o.struct_size, sizeof(core_batcher_options_t));
  cr_expect_eq(o.max_batch, 8);
  cr_expect_eq(o.max_delay_ms, 50);
  cr_expect_eq(o.n_buckets, 0);
  cr_expect_null(o.clock);
  cr_expect_null(o.clock_user);
  for (size_t i = 0; i < CORE_BATCHER_MAX_BUCKETS; ++i) cr_expect_eq(o.bucket_bounds[i], 0);
}

Test(batcher, defaults_with_the_monotonic_clock) {
  /* The default options (real clock): 8 items make a batch at once, and the
   * deadline of a lone item is at most max_delay away (the clock never goes
   * back), whatever the machine's speed. */
  core_batcher_options_t o;
  OK(core_batcher_options_init(&o));
  core_batcher_t *b = make(&o);
  for (uint64_t i = 0; i < 9; ++i) OK(core_batcher_add(b, i, 100));
  const uint64_t want[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  expect_batch(b, 8, 0, want, 8);
  cr_expect_leq(deadline(b), 50 * MS);
  cr_expect_eq(core_batcher_pending(b), 1);
  OK(core_batcher_flush(b));
  const uint64_t last[1] = {8};
  expect_batch(b, 8, 0, last, 1);
  core_batcher_destroy(b);
}

/* ---- when a batch is due ------------------------------------------------ */

Test(batcher, release_at_max_batch) {
  fake_clock clk = {1000, 0};
  core_batcher_options_t o = opts(4, 50, &clk);
  core_batcher_t *b = make(&o);
  for (uint64_t i = 0; i < 3; ++i) OK(core_batcher_add(b, 100 + i, 7));
  expect_empty(b, 4);
  cr_expect_eq(core_batcher_pending(b), 3);
  OK(core_batcher_add(b, 103, 7));
  const uint64_t want[4] = {100, 101, 102, 103};
  expect_batch(b, 4, 0, want, 4);
  expect_empty(b, 4);
  cr_expect_eq(core_batcher_pending(b), 0);

  /* 10 items: two full batches are due, the last 2 wait. A larger cap does
   * not make a batch larger than max_batch. */
  for (uint64_t i = 0; i < 10; ++i) OK(core_batcher_add(b, i, 7));
  const uint64_t w1[4] = {0, 1, 2, 3}, w2[4] = {4, 5, 6, 7};
  expect_batch(b, 64, 0, w1, 4);
  expect_batch(b, 4, 0, w2, 4);
  expect_empty(b, 4);
  cr_expect_eq(core_batcher_pending(b), 2);
  core_batcher_destroy(b);
}

Test(batcher, release_at_max_delay) {
  fake_clock clk = {5000, 0};
  core_batcher_options_t o = opts(8, 50, &clk);
  core_batcher_t *b = make(&o);
  OK(core_batcher_add(b, 1, 3)); /* t = 5000 */
  clk.now += 20 * MS;
  OK(core_batcher_add(b, 2, 3)); /* t = 5000 + 20 ms */
  clk.now = 5000 + 50 * MS - 1;  /* 1 ns before the first item's deadline */
  expect_empty(b, 8);
  cr_expect_eq(deadline(b), 1);
  clk.now = 5000 + 50 * MS; /* exactly at it: due, and the younger item rides along */
  cr_expect_eq(deadline(b), 0);
  const uint64_t want[2] = {1, 2};
  expect_batch(b, 8, 0, want, 2);
  expect_empty(b, 8);

  /* The deadline counts from the oldest item still waiting. */
  OK(core_batcher_add(b, 3, 3)); /* t = 5000 + 50 ms */
  clk.now += 30 * MS;
  OK(core_batcher_add(b, 4, 3));
  cr_expect_eq(deadline(b), 20 * MS);
  clk.now += 20 * MS;
  const uint64_t w2[2] = {3, 4};
  expect_batch(b, 8, 0, w2, 2);
  core_batcher_destroy(b);
}

Test(batcher, timed_out_bucket_releases_at_most_max_batch) {
  fake_clock clk = {0, 0};
  core_batcher_options_t o = opts(3, 10, &clk);
  o.n_buckets = 2;
  o.bucket_bounds[0] = 100;
  core_batcher_t *b = make(&o);
  /* Two items in bucket 1, then time out: one batch of 2. */
  OK(core_batcher_add(b, 1, 500));
  OK(core_batcher_add(b, 2, 500));
  clk.now = 10 * MS;
  const uint64_t want[2] = {1, 2};
  expect_batch(b, 3, 1, want, 2);
  expect_empty(b, 3);
  core_batcher_destroy(b);
}

Test(batcher, max_delay_zero_releases_at_once) {
  fake_clock clk = {42, 0};
  core_batcher_options_t o = opts(3, 0, &clk);
  core_batcher_t *b = make(&o);
  expect_empty(b, 3); /* nothing waits */
  OK(core_batcher_add(b, 9, 1));
  cr_expect_eq(deadline(b), 0);
  const uint64_t one[1] = {9};
  expect_batch(b, 3, 0, one, 1);
  for (uint64_t i = 0; i < 5; ++i) OK(core_batcher_add(b, i, 1));
  const uint64_t w1[3] = {0, 1, 2}, w2[2] = {3, 4};
  expect_batch(b, 3, 0, w1, 3);
  expect_batch(b, 3, 0, w2, 2); /* due without any time passing */
  expect_empty(b, 3);
  cr_expect_eq(core_batcher_pending(b), 0);
  core_batcher_destroy(b);
}

Test(batcher, flush_releases_everything_in_max_batch_pieces) {
  fake_clock clk = {0, 0};
  core_batcher_options_t o = opts(4, 1000, &clk);
  core_batcher_t *b = make(&o);
  OK(core_batcher_flush(b)); /* nothing waits: fine, and changes nothing */
  expect_empty(b, 4);
  uint64_t ids[10];
  for (uint64_t i = 0; i < 10; ++i) {
    ids[i] = 1000 + i;
    OK(core_batcher_add(b, ids[i], 1));
  }
  OK(core_batcher_flush(b));
  cr_expect_eq(core_batcher_pending(b), 10);
  cr_expect_eq(deadline(b), 0);
  expect_batch(b, 4, 0, ids, 4);
  expect_batch(b, 4, 0, ids + 4, 4);
  expect_batch(b, 4, 0, ids + 8, 2); /* without the flush, these 2 would wait */
  expect_empty(b, 4);
  cr_expect_eq(core_batcher_pending(b), 0);
  ERR(CORE_E_EMPTY, "core_batcher_next_deadline", core_batcher_next_deadline(b, ids));
  core_batcher_destroy(b);
}

Test(batcher, flush_covers_only_items_waiting_at_the_time) {
  fake_clock clk = {0, 0};
  core_batcher_options_t o = opts(2, 1000, &clk);
  core_batcher_t *b = make(&o);
  OK(core_batcher_add(b, 1, 0));
  OK(core_batcher_add(b, 2, 0));
  OK(core_batcher_add(b, 3, 0));
  OK(core_batcher_flush(b));
  OK(core_batcher_add(b, 4, 0));
  OK(core_batcher_add(b, 5, 0));
  const uint64_t w1[2] = {1, 2}, w2[2] = {3, 4};
  expect_batch(b, 2, 0, w1, 2);
  expect_batch(b, 2, 0, w2, 2); /* 3 was flushed; 4 fills its batch */
  expect_empty(b, 2);           /* 5 came after the flush: it waits */
  cr_expect_eq(core_batcher_pending(b), 1);
  cr_expect_eq(deadline(b), 1000 * MS);
  OK(core_batcher_flush(b));
  const uint64_t w3[1] = {5};
  expect_batch(b, 2, 0, w3, 1);
  core_batcher_destroy(b);
}

Test(batcher, flush_covers_every_bucket) {
  fake_clock clk = {0, 0};
  core_batcher_options_t o = opts(8, 1000, &clk);
  o.n_buckets = 3;
  o.bucket_bounds[0] = 10;
  o.bucket_bounds[1] = 20;
  core_batcher_t *b = make(&o);
  OK(core_batcher_add(b, 1, 30));
  OK(core_batcher_add(b, 2, 5));
  OK(core_batcher_add(b, 3, 15));
  OK(core_batcher_add(b, 4, 30));
  expect_empty(b, 8);
  OK(core_batcher_flush(b));
  const uint64_t w2[2] = {1, 4}, w0[1] = {2}, w1[1] = {3};
  expect_batch(b, 8, 2, w2, 2);
  expect_batch(b, 8, 0, w0, 1);
  expect_batch(b, 8, 1, w1, 1);
  expect_empty(b, 8);
  core_batcher_destroy(b);
}

/* ---- buckets and order -------------------------------------------------- */

Test(batcher, buckets_by_length_bounds_inclusive) {
  fake_clock clk = {0, 0};
  core_batcher_options_t o = opts(8, 0, &clk);
  o.n_buckets = 3;
  o.bucket_bounds[0] = 10;
  o.bucket_bounds[1] = 20;
  o.bucket_bounds[2] = 5; /* beyond n_buckets - 1: ignored */
  core_batcher_t *b = make(&o);
  /* id: length -> bucket */
  OK(core_batcher_add(b, 1, 5));          /* 0 */
  OK(core_batcher_add(b, 2, 11));         /* 1 */
  OK(core_batcher_add(b, 3, 21));         /* 2 */
  OK(core_batcher_add(b, 4, 10));         /* 0: the bound is inclusive */
  OK(core_batcher_add(b, 5, 20));         /* 1 */
  OK(core_batcher_add(b, 6, UINT64_MAX)); /* 2: the last takes the rest */
  OK(core_batcher_add(b, 7, 0));          /* 0 */
  cr_expect_eq(core_batcher_pending(b), 7);
  const uint64_t w0[3] = {1, 4, 7}, w1[2] = {2, 5}, w2[2] = {3, 6};
  expect_batch(b, 8, 0, w0, 3);
  expect_batch(b, 8, 1, w1, 2);
  expect_batch(b, 8, 2, w2, 2);
  expect_empty(b, 8);
  core_batcher_destroy(b);
}

Test(batcher, one_bucket_ignores_bounds) {
  fake_clock clk = {0, 0};
  core_batcher_options_t o = opts(8, 0, &clk);
  o.n_buckets = 1;
  o.bucket_bounds[0] = 3; /* unused with one bucket */
  o.bucket_bounds[1] = 1;
  core_batcher_t *b = make(&o);
  OK(core_batcher_add(b, 1, 1));
  OK(core_batcher_add(b, 2, 1000));
  const uint64_t w[2] = {1, 2};
  expect_batch(b, 8, 0, w, 2);
  core_batcher_destroy(b);
}

Test(batcher, max_buckets) {
  fake_clock clk = {0, 0};
  core_batcher_options_t o = opts(1, 1000, &clk);
  o.n_buckets = CORE_BATCHER_MAX_BUCKETS;
  for (size_t i = 0; i + 1 < CORE_BATCHER_MAX_BUCKETS; ++i) o.bucket_bounds[i] = 10 * (i + 1);
  core_batcher_t *b = make(&o);
  /* Newest length first, so the order of release (arrival) differs from
   * the bucket order; max_batch 1 makes each item due at once. */
  for (size_t i = 0; i < CORE_BATCHER_MAX_BUCKETS; ++i)
    OK(core_batcher_add(b, i, 10 * (CORE_BATCHER_MAX_BUCKETS - i)));
  for (size_t i = 0; i < CORE_BATCHER_MAX_BUCKETS; ++i) {
    const uint64_t w[1] = {i};
    /* length 10 * (16 - i): bucket 15 - i (length 160, above the last
     * bound 150, goes to the last bucket, 15). */
    expect_batch(b, 1, CORE_BATCHER_MAX_BUCKETS - 1 - i, w, 1);
  }
  core_batcher_destroy(b);
}

Test(batcher, oldest_first_across_buckets) {
  fake_clock clk = {0, 0};
  core_batcher_options_t o = opts(2, 50, &clk);
  o.n_buckets = 2;
  o.bucket_bounds[0] = 100;
  core_batcher_t *b = make(&o);
  /* Bucket 1's item is older than bucket 0's; both time out: 1 first. */
  OK(core_batcher_add(b, 10, 1000)); /* t = 0, bucket 1 */
  clk.now = 1 * MS;
  OK(core_batcher_add(b, 20, 1)); /* t = 1 ms, bucket 0 */
  clk.now = 60 * MS;
  const uint64_t w1[1] = {10}, w0[1] = {20};
  expect_batch(b, 2, 1, w1, 1);
  expect_batch(b, 2, 0, w0, 1);

  /* Same instant (a coarse clock): arrival order decides. */
  OK(core_batcher_add(b, 30, 1));
  OK(core_batcher_add(b, 40, 1000));
  OK(core_batcher_add(b, 50, 1000));
  OK(core_batcher_add(b, 60, 1));
  const uint64_t a[2] = {30, 60}, c[2] = {40, 50};
  expect_batch(b, 2, 0, a, 2);
  expect_batch(b, 2, 1, c, 2);

  /* A younger full bucket goes before an older one not yet due. */
  OK(core_batcher_add(b, 70, 1000)); /* t = 60 ms, bucket 1, waits */
  clk.now = 70 * MS;
  OK(core_batcher_add(b, 80, 1));
  OK(core_batcher_add(b, 90, 1)); /* bucket 0 full */
  const uint64_t f[2] = {80, 90};
  expect_batch(b, 2, 0, f, 2);
  expect_empty(b, 2);
  cr_expect_eq(deadline(b), 40 * MS);
  clk.now = 110 * MS;
  const uint64_t l[1] = {70};
  expect_batch(b, 2, 1, l, 1);
  core_batcher_destroy(b);
}

Test(batcher, next_deadline_values) {
  fake_clock clk = {7, 0};
  core_batcher_options_t o = opts(3, 50, &clk);
  o.n_buckets = 2;
  o.bucket_bounds[0] = 10;
  core_batcher_t *b = make(&o);
  uint64_t ns = 777;
  ERRMSG(CORE_E_EMPTY, "core_batcher_next_deadline", "nothing waits",
         core_batcher_next_deadline(b, &ns));
  cr_expect_eq(ns, 777, "ns written on CORE_E_EMPTY");
  OK(core_batcher_add(b, 1, 50)); /* bucket 1 at t = 7 */
  cr_expect_eq(deadline(b), 50 * MS);
  clk.now += 20 * MS;
  cr_expect_eq(deadline(b), 30 * MS);
  OK(core_batcher_add(b, 2, 5)); /* bucket 0, its deadline is later */
  cr_expect_eq(deadline(b), 30 * MS);
  clk.now += 29 * MS;
  cr_expect_eq(deadline(b), 1 * MS);
  OK(core_batcher_add(b, 3, 5));
  OK(core_batcher_add(b, 4, 5)); /* bucket 0 full: due now */
  cr_expect_eq(deadline(b), 0);
  const uint64_t w0[3] = {2, 3, 4};
  expect_batch(b, 3, 0, w0, 3);
  cr_expect_eq(deadline(b), 1 * MS);
  OK(core_batcher_flush(b));
  cr_expect_eq(deadline(b), 0);
  const uint64_t w1[1] = {1};
  expect_batch(b, 3, 1, w1, 1);
  ERR(CORE_E_EMPTY, "core_batcher_next_deadline", core_batcher_next_deadline(b, &ns));
  core_batcher_destroy(b);
}

Test(batcher, clock_going_back_counts_as_no_wait) {
  fake_clock clk = {100 * MS, 0};
  core_batcher_options_t o = opts(4, 50, &clk);
  core_batcher_t *b = make(&o);
  OK(core_batcher_add(b, 1, 0));
  clk.now = 10 * MS; /* a misbehaving clock */
  cr_expect_eq(deadline(b), 50 * MS);
  expect_empty(b, 4);
  clk.now = 150 * MS;
  const uint64_t w[1] = {1};
  expect_batch(b, 4, 0, w, 1);
  core_batcher_destroy(b);
}

Test(batcher, pending_counts) {
  fake_clock clk = {0, 0};
  core_batcher_options_t o = opts(3, 50, &clk);
  o.n_buckets = 2;
  o.bucket_bounds[0] = 0; /* length 0: bucket 0, length 1: bucket 1 */
  core_batcher_t *b = make(&o);
  cr_expect_eq(core_batcher_pending(b), 0);
  cr_expect_eq(core_batcher_pending(NULL), 0);
  for (uint64_t i = 0; i < 7; ++i) {
    OK(core_batcher_add(b, i, i % 2)); /* buckets 0 and 1 alternately */
    cr_expect_eq(core_batcher_pending(b), i + 1);
  }
  /* bucket 0: 0 2 4 6 (full), bucket 1: 1 3 5 (full) */
  const uint64_t w0[3] = {0, 2, 4}, w1[3] = {1, 3, 5}, w2[1] = {6};
  expect_batch(b, 3, 0, w0, 3);
  cr_expect_eq(core_batcher_pending(b), 4);
  expect_batch(b, 3, 1, w1, 3);
  cr_expect_eq(core_batcher_pending(b), 1);
  OK(core_batcher_flush(b));
  cr_expect_eq(core_batcher_pending(b), 1, "flush releases nothing by itself");
  expect_batch(b, 3, 0, w2, 1);
  cr_expect_eq(core_batcher_pending(b), 0);
  core_batcher_destroy(b);
}

Test(batcher, bucket_out_param_is_optional) {
  fake_clock clk = {0, 0};
  core_batcher_options_t o = opts(2, 0, &clk);
  core_batcher_t *b = make(&o);
  OK(core_batcher_add(b, 5, 0));
  uint64_t ids[2] = {0, 0};
  size_t count = 0;
  OK(core_batcher_next(b, ids, 2, &count, NULL));
  cr_expect_eq(count, 1);
  cr_expect_eq(ids[0], 5);
  core_batcher_destroy(b);
}

Test(batcher, many_items_keep_arrival_order) {
  /* Far more items than the reserved storage, with releases in between so
   * the storage wraps before it grows. */
  fake_clock clk = {0, 0};
  core_batcher_options_t o = opts(5, 1000, &clk);
  core_batcher_t *b = make(&o);
  uint64_t next_in = 0, next_out = 0;
  uint64_t ids[5];
  size_t count, bucket;
  for (int round = 0; round < 200; ++round) {
    const int adds = (round * 7) % 23;
    for (int i = 0; i < adds; ++i) OK(core_batcher_add(b, next_in++, 3));
    const int takes = (round * 5) % 4;
    for (int t = 0; t < takes; ++t) {
      if (core_batcher_next(b, ids, 5, &count, &bucket) != CORE_OK) break;
      CHECK(count == 5, "round %d: a batch of %zu before any flush or timeout", round, count);
      for (size_t k = 0; k < count; ++k)
        CHECK(ids[k] == next_out + k, "round %d: id %llu, want %llu", round,
              (unsigned long long)ids[k], (unsigned long long)(next_out + k));
      next_out += count;
    }
    CHECK(core_batcher_pending(b) == next_in - next_out, "round %d: pending %zu, want %llu",
          round, core_batcher_pending(b), (unsigned long long)(next_in - next_out));
  }
  OK(core_batcher_flush(b));
  while (core_batcher_next(b, ids, 5, &count, &bucket) == CORE_OK) {
    for (size_t k = 0; k < count; ++k)
      CHECK(ids[k] == next_out + k, "after flush: id %llu, want %llu",
            (unsigned long long)ids[k], (unsigned long long)(next_out + k));
    next_out += count;
  }
  cr_expect_eq(next_out, next_in);
  cr_expect_eq(core_batcher_pending(b), 0);
  core_batcher_destroy(b);
}

/* ---- against a reference model ------------------------------------------ */

/* The documented rules, written out plainly: every item in one array in
 * arrival order, with its bucket, time and whether a flush covered it. */
typedef struct model_item { uint64_t id, t; size_t bucket; int flushed, gone; } model_item;
typedef struct model {
  model_item items[4096];
  size_t n;
  size_t max_batch, n_buckets;
  uint64_t delay_ns, bounds[CORE_BATCHER_MAX_BUCKETS];
} model;

static size_t model_bucket(const model *m, uint64_t len) {
  for (size_t i = 0; i + 1 < m->n_buckets; ++i)
    if (len <= m->bounds[i]) return i;
  return m->n_buckets - 1;
}

/* Is bucket k's batch due at `now`? Its oldest item is *first. */
static int model_due(const model *m, size_t k, uint64_t now, size_t *first) {
  size_t count = 0, oldest = SIZE_MAX;
  int flushed = 0;
  for (size_t i = 0; i < m->n; ++i) {
    const model_item *it = &m->items[i];
    if (it->gone || it->bucket != k) continue;
    if (oldest == SIZE_MAX) oldest = i;
    ++count;
    flushed |= it->flushed;
  }
  if (count == 0) return 0;
  *first = oldest;
  const uint64_t t0 = m->items[oldest].t;
  return count >= m->max_batch || flushed || now - t0 >= m->delay_ns;
}

Test(batcher, random_against_model) {
  static model m; /* large: not on the stack */
  tu_rng rng = tu_rng_make(20240611);
  for (int run = 0; run < 40; ++run) {
    memset(&m, 0, sizeof m);
    fake_clock clk = {tu_next_u64(&rng) % 1000000, 0};
    m.max_batch = 1 + tu_next_u64(&rng) % 9;
    m.delay_ns = (tu_next_u64(&rng) % 4) * MS; /* 0 to 3 ms */
    m.n_buckets = tu_next_u64(&rng) % 5;       /* 0 to 4 */
    core_batcher_options_t o = opts(m.max_batch, (uint32_t)(m.delay_ns / MS), &clk);
    o.n_buckets = m.n_buckets;
    for (size_t i = 0; i + 1 < m.n_buckets; ++i) o.bucket_bounds[i] = m.bounds[i] = 10 * (i + 1);
    if (m.n_buckets == 0) m.n_buckets = 1;
    core_batcher_t *b = make(&o);
    uint64_t ids[16];
    for (int step = 0; step < 3000 && m.n < COUNT(m.items); ++step) {
      const uint64_t r = tu_next_u64(&rng) % 100;
      if (r < 50) {
        const uint64_t len = tu_next_u64(&rng) % 50;
        model_item it = {(uint64_t)step, clk.now, model_bucket(&m, len), 0, 0};
        m.items[m.n++] = it;
        OK(core_batcher_add(b, it.id, len));
      } else if (r < 60) {
        clk.now += tu_next_u64(&rng) % (2 * MS);
      } else if (r < 62) {
        OK(core_batcher_flush(b));
        for (size_t i = 0; i < m.n; ++i) m.items[i].flushed = 1;
      } else if (r < 70) {
        /* deadline: 0 when anything is due, else the least time left */
        size_t waiting = 0;
        uint64_t want = UINT64_MAX;
        for (size_t k = 0; k < m.n_buckets; ++k) {
          size_t first = SIZE_MAX;
          if (model_due(&m, k, clk.now, &first)) want = 0;
          else if (first != SIZE_MAX) { /* waiting, not due */
            const uint64_t left = m.items[first].t + m.delay_ns - clk.now;
            if (left < want) want = left;
          }
        }
        for (size_t i = 0; i < m.n; ++i) waiting += !m.items[i].gone;
        CHECK(core_batcher_pending(b) == waiting, "run %d step %d: pending %zu, want %zu", run,
              step, core_batcher_pending(b), waiting);
        uint64_t ns = 0;
        const core_status st = core_batcher_next_deadline(b, &ns);
        if (waiting == 0) {
          CHECK(st == CORE_E_EMPTY, "run %d step %d: deadline with nothing waiting", run, step);
        } else {
          CHECK(st == CORE_OK && ns == want, "run %d step %d: deadline %llu (%s), want %llu",
                run, step, (unsigned long long)ns, core_status_str(st),
                (unsigned long long)want);
        }
      } else {
        /* next: the due bucket whose oldest item arrived first */
        size_t best = SIZE_MAX, best_first = SIZE_MAX;
        for (size_t k = 0; k < m.n_buckets; ++k) {
          size_t first = SIZE_MAX;
          if (model_due(&m, k, clk.now, &first) && first < best_first) best = k, best_first = first;
        }
        size_t count = 0, bucket = 0;
        const core_status st = core_batcher_next(b, ids, 16, &count, &bucket);
        if (best == SIZE_MAX) {
          CHECK(st == CORE_E_EMPTY, "run %d step %d: a batch where none is due", run, step);
          continue;
        }
        CHECK(st == CORE_OK, "run %d step %d: %s where bucket %zu is due", run, step,
              core_status_str(st), best);
        CHECK(bucket == best, "run %d step %d: bucket %zu, want %zu", run, step, bucket, best);
        size_t k = 0;
        for (size_t i = best_first; i < m.n && k < m.max_batch; ++i) {
          model_item *it = &m.items[i];
          if (it->gone || it->bucket != best) continue;
          CHECK(k < count && ids[k] == it->id, "run %d step %d: ids[%zu] = %llu, want %llu",
                run, step, k, (unsigned long long)ids[k], (unsigned long long)it->id);
          it->gone = 1;
          ++k;
        }
        CHECK(count == k, "run %d step %d: count %zu, want %zu", run, step, count, k);
      }
    }
    core_batcher_destroy(b);
  }
}

/* ---- bad input ---------------------------------------------------------- */

Test(batcher, bad_options) {
  core_batcher_t *b = (core_batcher_t *)0x1;
  core_batcher_options_t o;
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_batcher_options_init", "opts is NULL",
         core_batcher_options_init(NULL));
  o = opts(8, 50, NULL);
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_batcher_create", "opts is NULL",
         core_batcher_create(NULL, &b));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_batcher_create", "out is NULL",
         core_batcher_create(&o, NULL));

  o = opts(0, 50, NULL);
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_batcher_create", "max_batch", core_batcher_create(&o, &b));

  o = opts(8, 50, NULL);
  o.n_buckets = CORE_BATCHER_MAX_BUCKETS + 1;
  for (size_t i = 0; i < CORE_BATCHER_MAX_BUCKETS; ++i) o.bucket_bounds[i] = i + 1;
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_batcher_create", "CORE_BATCHER_MAX_BUCKETS",
         core_batcher_create(&o, &b));
  o.n_buckets = SIZE_MAX;
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_batcher_create", "n_buckets", core_batcher_create(&o, &b));

  o = opts(8, 50, NULL);
  o.n_buckets = 4;
  o.bucket_bounds[0] = 10;
  o.bucket_bounds[1] = 30;
  o.bucket_bounds[2] = 20; /* descending */
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_batcher_create", "bucket_bounds[2] = 20",
         core_batcher_create(&o, &b));
  o.bucket_bounds[2] = 30; /* equal: the bucket between would be empty */
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_batcher_create", "ascending",
         core_batcher_create(&o, &b));

  o = opts(8, 50, NULL);
  o.struct_size = 0;
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_batcher_create", "struct_size",
         core_batcher_create(&o, &b));
  o.struct_size = sizeof o - 1;
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_batcher_create", "struct_size",
         core_batcher_create(&o, &b));
  o.struct_size = sizeof o + 8; /* a newer layout */
  ERRMSG(CORE_E_UNSUPPORTED, "core_batcher_create", "struct_size", core_batcher_create(&o, &b));
  cr_expect_eq(b, (core_batcher_t *)0x1, "*out written on error");

  /* The boundaries that are fine. */
  o = opts(1, 0, NULL);
  o.n_buckets = CORE_BATCHER_MAX_BUCKETS;
  for (size_t i = 0; i < CORE_BATCHER_MAX_BUCKETS; ++i) o.bucket_bounds[i] = i;
  o.bucket_bounds[CORE_BATCHER_MAX_BUCKETS - 1] = 0; /* not used: ignored */
  OK(core_batcher_create(&o, &b));
  core_batcher_destroy(b);
}

Test(batcher, bad_calls) {
  fake_clock clk = {0, 0};
  core_batcher_options_t o = opts(4, 50, &clk);
  core_batcher_t *b = make(&o);
  OK(core_batcher_add(b, 1, 0));
  OK(core_batcher_flush(b));
  uint64_t ids[4] = {9, 9, 9, 9}, ns = 9;
  size_t count = 9, bucket = 9;

  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_batcher_add", "b is NULL", core_batcher_add(NULL, 1, 1));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_batcher_flush", "b is NULL", core_batcher_flush(NULL));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_batcher_next", "b is NULL",
         core_batcher_next(NULL, ids, 4, &count, &bucket));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_batcher_next", "ids is NULL",
         core_batcher_next(b, NULL, 4, &count, &bucket));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_batcher_next", "count is NULL",
         core_batcher_next(b, ids, 4, NULL, &bucket));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_batcher_next", "cap is 3, below max_batch (4)",
         core_batcher_next(b, ids, 3, &count, &bucket));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_batcher_next", "cap is 0",
         core_batcher_next(b, ids, 0, &count, &bucket));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_batcher_next_deadline", "b is NULL",
         core_batcher_next_deadline(NULL, &ns));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_batcher_next_deadline", "ns is NULL",
         core_batcher_next_deadline(b, NULL));
  cr_expect(ids[0] == 9 && count == 9 && bucket == 9 && ns == 9, "an out-param was written");

  /* Nothing changed: the flushed item is still there and still due. */
  cr_expect_eq(core_batcher_pending(b), 1);
  const uint64_t w[1] = {1};
  expect_batch(b, 4, 0, w, 1);
  core_batcher_destroy(b);
  core_batcher_destroy(NULL); /* does nothing */
}
