/* Unit tests for the batch module, part 2: the streaming accumulator
 * core_stats_acc_* and its guarantees (batch.h convention 4): chunking
 * never matters; with a declared total the result is core_stats_*'s bit for
 * bit; with an unknown length it is when the block count is a power of two,
 * and within a few ulps otherwise. C API only. */
#include <criterion/criterion.h>
#include <criterion/logging.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <core/core.h>

#include "stats_testutil.h"

#define EXPECT_SAME_STATS(a, b, ...) \
  cr_expect(memcmp(&(a), &(b), sizeof(core_stats_t)) == 0, __VA_ARGS__)

/* The accumulator is ~21 KiB: tests keep theirs on the heap. */
static core_stats_acc_t *new_acc(core_nan_policy p, uint64_t total) {
  core_stats_acc_t *acc = malloc(sizeof *acc);
  cr_assert_not_null(acc);
  cr_assert_eq(core_stats_acc_init(acc, p, total), CORE_OK);
  return acc;
}

static core_status push(int d, core_stats_acc_t *acc, const void *x, size_t n) {
  return d == F32 ? core_stats_acc_push_f32(acc, x, n) : core_stats_acc_push_f64(acc, x, n);
}

static core_status whole(int d, const void *x, size_t n, core_nan_policy p, core_stats_t *out) {
  return d == F32 ? core_stats_f32(x, n, p, out) : core_stats_f64(x, n, p, out);
}

/* Pushes x[0, n) in chunks: mode 0 one push, 1 random sizes up to 5000,
 * 2 random sizes up to 70, 3 single values then one big rest, 4 chunks of
 * 2048 shifted by 1. Returns the result. */
static core_stats_t push_chunked(int d, const void *x, size_t n, core_nan_policy p,
                                 uint64_t total, int mode, uint64_t seed) {
  core_stats_acc_t *acc = new_acc(p, total);
  size_t es = d == F32 ? sizeof(float) : sizeof(double);
  tu_rng r = tu_rng_make(seed);
  size_t i = 0;
  while (i < n) {
    size_t c = n - i;
    if (mode == 1) c = 1 + (size_t)(tu_next_u64(&r) % 5000);
    if (mode == 2) c = 1 + (size_t)(tu_next_u64(&r) % 70);
    if (mode == 3 && i < 3000) c = 1;
    if (mode == 4) c = i == 0 ? 1 : 2048;
    if (c > n - i) c = n - i;
    ST_OK(push(d, acc, (const char *)x + i * es, c), "push");
    i += c;
  }
  core_stats_t s;
  ST_OK(core_stats_acc_result(acc, &s), "result");
  free(acc);
  return s;
}

/* Lengths around block (2048) boundaries and tree shapes: 1, 2, 3, 5 and 49
 * blocks (not powers of two), 4 and 64 blocks (powers of two). */
static const size_t SIZES[] = {1, 100, 2047, 2048, 2049, 4096, 6144, 3 * 2048 + 7,
                               5 * 2048, 8192, 100003, 64 * 2048, 64 * 2048 - 1, 1000003};
#define NSIZES (sizeof SIZES / sizeof SIZES[0])

static int pow2_blocks(size_t n) {
  size_t b = (n + 2047) / 2048;
  return b != 0 && (b & (b - 1)) == 0;
}

/* Data: N(50, 3) (a shifted mean, where merge order shows in the last
 * bits), with a NaN every `nan_every` values when nonzero. */
static void *make_data(int d, size_t n, size_t nan_every, uint64_t seed) {
  double *x = malloc(n * sizeof *x);
  tu_rng r = tu_rng_make(seed);
  for (size_t i = 0; i < n; ++i) x[i] = rnd_dt(d, tu_normal(&r, 50.0, 3.0));
  for (size_t i = 0; nan_every && i < n; i += nan_every) x[i] = NAN;
  void *v = copy_as(d, x, n);
  free(x);
  return v;
}

Test(acc, declared_total_equals_core_stats_for_any_chunking, .timeout = 300) {
  for (int d = 0; d < 2; ++d)
    for (int p = 0; p < 2; ++p)
      for (size_t k = 0; k < NSIZES; ++k) {
        size_t n = SIZES[k];
        void *x = make_data(d, n, n > 5000 ? 4999 : 0, n);
        core_stats_t ref;
        ST_OK(whole(d, x, n, (core_nan_policy)p, &ref), "whole");
        for (int mode = 0; mode < 5; ++mode) {
          core_stats_t s = push_chunked(d, x, n, (core_nan_policy)p, n, mode, 7 + mode);
          EXPECT_SAME_STATS(s, ref,
                            "%s policy %d n=%zu chunking %d: mean %.17g vs %.17g, m2 %.17g vs "
                            "%.17g",
                            DT[d], p, n, mode, s.mean, ref.mean, s.m2, ref.m2);
        }
        free(x);
      }
}

Test(acc, unknown_length_is_chunking_invariant_and_close, .timeout = 300) {
  for (int d = 0; d < 2; ++d)
    for (size_t k = 0; k < NSIZES; ++k) {
      size_t n = SIZES[k];
      void *x = make_data(d, n, 0, 100 + n);
      core_stats_t ref, first = push_chunked(d, x, n, CORE_NAN_PROPAGATE, 0, 0, 1);
      ST_OK(whole(d, x, n, CORE_NAN_PROPAGATE, &ref), "whole");
      for (int mode = 1; mode < 5; ++mode) {
        core_stats_t s = push_chunked(d, x, n, CORE_NAN_PROPAGATE, 0, mode, 3 + mode);
        EXPECT_SAME_STATS(s, first, "%s n=%zu: chunking %d changes the result", DT[d], n, mode);
      }
      if (pow2_blocks(n)) {
        EXPECT_SAME_STATS(first, ref, "%s n=%zu (power-of-two blocks) differs: mean %.17g vs %.17g",
                          DT[d], n, first.mean, ref.mean);
      } else {
        char ctx[64];
        snprintf(ctx, sizeof ctx, "%s n=%zu unknown length", DT[d], n);
        cr_expect(first.count == ref.count && first.nan_count == ref.nan_count &&
                      first.min == ref.min && first.max == ref.max,
                  "%s: count/min/max not exact", ctx);
        EXPECT_ULPS(first.mean, ref.mean, 4, ctx, "mean");
        EXPECT_ULPS(first.m2, ref.m2, 16, ctx, "m2");
        EXPECT_ULPS(first.sum, ref.sum, 16, ctx, "sum");
      }
      free(x);
    }
}

/* The same .timeout as the two tests above, not a shorter one: Criterion
 * 2.4.1 (its bundled BoxFort) leaks its 48-byte timeout request when, under
 * --jobs=2, a test with an earlier deadline starts while one with a later
 * deadline is running; LeakSanitizer then fails the whole binary. Keep the
 * timeouts of one test file equal. */
Test(acc, thread_count_determinism, .timeout = 300) {
  const size_t n = 3000007;
  void *x = make_data(F32, n, 0, 99);
  core_stats_t ref = {0};
  const int threads[] = {1, 2, 8};
  for (int t = 0; t < 3; ++t) {
    cr_assert_eq(core_set_num_threads(threads[t]), CORE_OK);
    /* Big pushes are summarized in parallel inside the accumulator. */
    core_stats_t a = push_chunked(F32, x, n, CORE_NAN_PROPAGATE, n, 0, 0);
    core_stats_t b = push_chunked(F32, x, n, CORE_NAN_PROPAGATE, 0, 1, 5);
    if (t == 0) {
      ref = a;
      ST_OK(core_stats_f32(x, n, CORE_NAN_PROPAGATE, &a), "whole");
      EXPECT_SAME_STATS(a, ref, "declared total differs from core_stats_f32");
    } else {
      EXPECT_SAME_STATS(a, ref, "%d threads: declared-total result differs", threads[t]);
    }
    core_stats_t b1 = push_chunked(F32, x, n, CORE_NAN_PROPAGATE, 0, 0, 0);
    EXPECT_SAME_STATS(b, b1, "%d threads: unknown-length result depends on chunking",
                      threads[t]);
  }
  cr_assert_eq(core_set_num_threads(0), CORE_OK);
  free(x);
}

Test(acc, empty_nan_and_infinity_like_core_stats) {
  const double specials[][5] = {
      {NAN, NAN, NAN, NAN, NAN}, {1, INFINITY, 3, 4, 5}, {-INFINITY, 1, INFINITY, 2, 3},
      {NAN, 1, 2, 3, 4},
  };
  for (int d = 0; d < 2; ++d)
    for (int p = 0; p < 2; ++p) {
      core_stats_t s, ref;
      core_stats_acc_t *acc = new_acc((core_nan_policy)p, 0);
      ST_OK(core_stats_acc_result(acc, &s), "empty result");
      ST_OK(whole(d, NULL, 0, (core_nan_policy)p, &ref), "empty");
      EXPECT_SAME_STATS(s, ref, "%s: empty accumulator differs from core_stats(n = 0)", DT[d]);
      free(acc);
      for (size_t k = 0; k < 4; ++k) {
        void *x = copy_as(d, specials[k], 5);
        /* Also across a block boundary: 2046 ones, then the specials. */
        double *long_x = malloc(2051 * sizeof *long_x);
        for (int i = 0; i < 2046; ++i) long_x[i] = 1.0;
        memcpy(long_x + 2046, specials[k], sizeof specials[k]);
        void *y = copy_as(d, long_x, 2051);
        for (int mode = 0; mode < 3; ++mode) {
          ST_OK(whole(d, x, 5, (core_nan_policy)p, &ref), "whole");
          s = push_chunked(d, x, 5, (core_nan_policy)p, mode == 2 ? 5 : 0, mode == 1 ? 2 : 0, 1);
          EXPECT_SAME_STATS(s, ref, "%s policy %d special case %zu mode %d", DT[d], p, k, mode);
          ST_OK(whole(d, y, 2051, (core_nan_policy)p, &ref), "whole");
          s = push_chunked(d, y, 2051, (core_nan_policy)p, 2051, 2, 9);
          EXPECT_SAME_STATS(s, ref, "%s policy %d special case %zu past a block", DT[d], p, k);
        }
        free(x);
        free(y);
        free(long_x);
      }
    }
}

Test(acc, running_result_and_copies) {
  const size_t n = 10000;
  void *x = make_data(F64, n, 0, 5);
  core_stats_acc_t *acc = new_acc(CORE_NAN_PROPAGATE, 0);
  ST_OK(core_stats_acc_push_f64(acc, x, 3000), "push");
  core_stats_t mid, ref;
  ST_OK(core_stats_acc_result(acc, &mid), "result mid-stream");
  ST_OK(core_stats_f64(x, 3000, CORE_NAN_PROPAGATE, &ref), "ref");
  cr_expect(mid.count == 3000 && mid.min == ref.min && mid.max == ref.max, "running summary");
  /* A copy forks the stream: both continue independently. */
  core_stats_acc_t *fork = malloc(sizeof *fork);
  memcpy(fork, acc, sizeof *acc);
  ST_OK(core_stats_acc_push_f64(acc, (const double *)x + 3000, n - 3000), "push rest");
  core_stats_t s, f;
  ST_OK(core_stats_acc_result(acc, &s), "result");
  ST_OK(core_stats_acc_result(fork, &f), "fork result");
  EXPECT_SAME_STATS(f, mid, "the copy changed when the original was pushed to");
  cr_expect_eq(s.count, n);
  free(fork);
  free(acc);
  free(x);
}

Test(acc, merge_combines_workers) {
  const size_t n = 50000, cut = 20001;
  void *x = make_data(F32, n, 0, 11);
  core_stats_acc_t *a = new_acc(CORE_NAN_OMIT, 0), *b = new_acc(CORE_NAN_OMIT, 0);
  ST_OK(core_stats_acc_push_f32(a, x, cut), "push a");
  ST_OK(core_stats_acc_push_f32(b, (const float *)x + cut, n - cut), "push b");
  core_stats_t ra, rb, chan, merged, ref;
  ST_OK(core_stats_acc_result(a, &ra), "a");
  ST_OK(core_stats_acc_result(b, &rb), "b");
  ST_OK(core_stats_merge(&ra, &rb, &chan), "core_stats_merge");
  ST_OK(core_stats_acc_merge(a, b), "acc merge");
  ST_OK(core_stats_acc_result(a, &merged), "merged");
  EXPECT_SAME_STATS(merged, chan, "acc_merge is not core_stats_merge of the two results");
  ST_OK(core_stats_f32(x, n, CORE_NAN_OMIT, &ref), "whole");
  cr_expect(merged.count == n && merged.min == ref.min && merged.max == ref.max, "exact parts");
  EXPECT_ULPS(merged.mean, ref.mean, 4, "merge", "mean");
  EXPECT_ULPS(merged.m2, ref.m2, 16, "merge", "m2");
  core_stats_t rb2;
  ST_OK(core_stats_acc_result(b, &rb2), "b after");
  EXPECT_SAME_STATS(rb2, rb, "src changed by the merge");

  /* After a merge, pushes start a new segment, in either dtype. */
  const double more[3] = {1.0, 2.0, 3.0};
  ST_OK(core_stats_acc_push_f64(a, more, 3), "push f64 after merge");
  core_stats_t seg, after, want;
  ST_OK(core_stats_f64(more, 3, CORE_NAN_OMIT, &seg), "segment");
  ST_OK(core_stats_merge(&merged, &seg, &want), "want");
  ST_OK(core_stats_acc_result(a, &after), "after");
  EXPECT_SAME_STATS(after, want, "push after merge");

  /* Merging with itself doubles the sample. */
  ST_OK(core_stats_acc_merge(b, b), "self merge");
  ST_OK(core_stats_acc_result(b, &rb2), "self merged");
  cr_expect_eq(rb2.count, 2 * rb.count);
  free(a);
  free(b);
  free(x);
}

Test(acc, invalid_arguments_leave_the_accumulator_unchanged) {
  float xf[4] = {1, 2, 3, 4};
  double xd[4] = {1, 2, 3, 4};
  core_stats_t s;
  cr_expect_eq(core_stats_acc_init(NULL, CORE_NAN_OMIT, 0), CORE_E_INVALID_ARGUMENT);
  cr_expect(tu_message_has("acc is NULL"), "\"%s\"", core_last_error_message());
  core_stats_acc_t *acc = malloc(sizeof *acc);
  cr_expect_eq(core_stats_acc_init(acc, (core_nan_policy)7, 0), CORE_E_INVALID_ARGUMENT);
  memset(acc, 0, sizeof *acc); /* never initialized */
  cr_expect_eq(core_stats_acc_push_f32(acc, xf, 4), CORE_E_INVALID_ARGUMENT);
  cr_expect(tu_message_has("not initialized"), "\"%s\"", core_last_error_message());
  cr_expect_eq(core_stats_acc_result(acc, &s), CORE_E_INVALID_ARGUMENT);
  cr_expect_eq(core_stats_acc_push_f32(NULL, xf, 4), CORE_E_INVALID_ARGUMENT);

  ST_OK(core_stats_acc_init(acc, CORE_NAN_PROPAGATE, 0), "init");
  acc->depth = 1000; /* scribbled over */
  cr_expect_eq(core_stats_acc_result(acc, &s), CORE_E_INVALID_ARGUMENT);
  cr_expect(tu_message_has("corrupted"), "\"%s\"", core_last_error_message());

  ST_OK(core_stats_acc_init(acc, CORE_NAN_PROPAGATE, 6), "init");
  ST_OK(core_stats_acc_push_f32(acc, xf, 4), "push");
  core_stats_acc_t *before = malloc(sizeof *before);
  memcpy(before, acc, sizeof *acc);
  cr_expect_eq(core_stats_acc_push_f64(acc, xd, 1), CORE_E_INVALID_ARGUMENT);
  cr_expect(tu_message_has("holds f32 values"), "\"%s\"", core_last_error_message());
  cr_expect_eq(core_stats_acc_push_f32(acc, xf, 3), CORE_E_INVALID_ARGUMENT);
  cr_expect(tu_message_has("declared total of 6"), "\"%s\"", core_last_error_message());
  cr_expect_eq(core_stats_acc_push_f32(acc, NULL, 2), CORE_E_INVALID_ARGUMENT);
  cr_expect(tu_message_has("x is NULL"), "\"%s\"", core_last_error_message());
  cr_expect(memcmp(before, acc, sizeof *acc) == 0, "a failed push changed the accumulator");
  ST_OK(core_stats_acc_push_f32(acc, NULL, 0), "empty push");
  ST_OK(core_stats_acc_push_f64(acc, NULL, 0), "empty push of the other dtype");
  cr_expect_eq(core_stats_acc_result(acc, NULL), CORE_E_INVALID_ARGUMENT);
  cr_expect(tu_message_has("out is NULL"), "\"%s\"", core_last_error_message());

  core_stats_acc_t *other = new_acc(CORE_NAN_OMIT, 0);
  cr_expect_eq(core_stats_acc_merge(acc, other), CORE_E_INVALID_ARGUMENT);
  cr_expect(tu_message_has("different nan policies"), "\"%s\"", core_last_error_message());
  cr_expect_eq(core_stats_acc_merge(acc, NULL), CORE_E_INVALID_ARGUMENT);
  cr_expect(tu_message_has("src is NULL"), "\"%s\"", core_last_error_message());
  cr_expect(memcmp(before, acc, sizeof *acc) == 0, "a failed merge changed the accumulator");
  cr_expect(tu_message_has("core_stats_acc_merge"), "\"%s\"", core_last_error_message());

  /* Self-merges double the count until it would overflow uint64. */
  ST_OK(core_stats_acc_init(other, CORE_NAN_OMIT, 0), "init");
  ST_OK(core_stats_acc_push_f32(other, xf, 4), "push");
  core_status st = CORE_OK;
  int merges = 0;
  while (st == CORE_OK && merges < 100) {
    st = core_stats_acc_merge(other, other);
    merges += st == CORE_OK;
  }
  cr_expect_eq(st, CORE_E_INVALID_ARGUMENT, "overflow not detected after %d merges", merges);
  cr_expect_eq(merges, 61, "4 * 2^61 = 2^63 fits, 2^64 does not: %d merges", merges);
  cr_expect(tu_message_has("overflow"), "\"%s\"", core_last_error_message());
  free(other);
  free(before);
  free(acc);
}
