/* Unit tests for the batch module, part 1: core_batch_stats_f32/f64 and
 * core_stats_frames_* (summaries equal to core_stats_* bit for bit, the
 * frame-count rule, thread-count determinism, bad input). The accumulator
 * is tested in test_batch_acc.c, files in test_batch_file.c. C API only. */
#include <criterion/criterion.h>
#include <criterion/logging.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <core/core.h>

#include "stats_testutil.h"

/* ---- helpers ----------------------------------------------------------------- */

static core_status stats_one(int d, const void *x, size_t n, core_nan_policy p,
                             core_stats_t *out) {
  return d == F32 ? core_stats_f32(x, n, p, out) : core_stats_f64(x, n, p, out);
}

static core_status batch(int d, const void *const *arrays, const size_t *lens, size_t count,
                         core_nan_policy p, core_stats_t *out) {
  return d == F32 ? core_batch_stats_f32((const float *const *)arrays, lens, count, p, out)
                  : core_batch_stats_f64((const double *const *)arrays, lens, count, p, out);
}

static core_status frames(int d, const void *x, size_t n, size_t frame, size_t hop,
                          core_stats_t *out, size_t cap, size_t *nframes) {
  return d == F32 ? core_stats_frames_f32(x, n, frame, hop, out, cap, nframes)
                  : core_stats_frames_f64(x, n, frame, hop, out, cap, nframes);
}

static void sentinel(core_stats_t *s, size_t n) { memset(s, 0xA5, n * sizeof *s); }
static int untouched(const core_stats_t *s, size_t n) {
  const unsigned char *b = (const unsigned char *)s;
  for (size_t i = 0; i < n * sizeof *s; ++i)
    if (b[i] != 0xA5) return 0;
  return 1;
}

/* Compares bit patterns: NaN results must be the same NaN as core_stats_*. */
#define EXPECT_SAME_STATS(a, b, ...) \
  cr_expect(memcmp(&(a), &(b), sizeof(core_stats_t)) == 0, __VA_ARGS__)

/* `count` arrays in dtype d with the given lengths, uniform in [-3, 5), a
 * NaN every `nan_every` values (0: none), each at an odd offset from a
 * 64-byte boundary half of the time. arrays[i] is NULL when lens[i] == 0. */
typedef struct batch_data {
  size_t count;
  size_t *lens;
  const void **arrays;
  void **bases;
} batch_data;

static batch_data make_batch(int d, const size_t *lens, size_t count, uint64_t seed,
                             size_t nan_every) {
  batch_data b = {count, malloc(count * sizeof(size_t)), malloc(count * sizeof(void *)),
                  malloc(count * sizeof(void *))};
  cr_assert(b.lens && b.arrays && b.bases, "out of memory in the test");
  memcpy(b.lens, lens, count * sizeof(size_t));
  for (size_t i = 0; i < count; ++i) {
    double *x = gen_uniform(d, seed + i, lens[i], -3.0, 5.0);
    for (size_t k = 0; nan_every && k < lens[i]; ++k)
      if ((k + i) % nan_every == nan_every - 1) x[k] = NAN;
    b.arrays[i] = lens[i] ? copy_as_off(d, x, lens[i], i % 2, &b.bases[i]) : NULL;
    if (!lens[i]) b.bases[i] = NULL;
    free(x);
  }
  return b;
}

static void free_batch(batch_data *b) {
  for (size_t i = 0; i < b->count; ++i) free(b->bases[i]);
  free(b->lens);
  free(b->arrays);
  free(b->bases);
}

/* Every out[i] must be core_stats_* of array i, bit for bit. */
static void expect_batch_matches(int d, const batch_data *b, core_nan_policy p,
                                 const char *ctx) {
  core_stats_t *out = malloc((b->count ? b->count : 1) * sizeof *out);
  cr_assert_not_null(out);
  ST_OK(batch(d, b->arrays, b->lens, b->count, p, out), ctx);
  for (size_t i = 0; i < b->count; ++i) {
    core_stats_t ref;
    ST_OK(stats_one(d, b->arrays[i], b->lens[i], p, &ref), ctx);
    EXPECT_SAME_STATS(out[i], ref,
                      "%s: array %zu (n = %zu) differs from core_stats: mean %.17g vs %.17g", ctx,
                      i, b->lens[i], out[i].mean, ref.mean);
  }
  free(out);
}

/* ---- core_batch_stats ---------------------------------------------------------- */

static const size_t EDGE_LENS[] = {0, 1, 2, 7, 100, 2047, 2048, 2049, 10000, 0, 131071,
                                   131072, 300007, 3, 1000};
#define NEDGE (sizeof EDGE_LENS / sizeof EDGE_LENS[0])

Test(batch, edge_lengths_equal_core_stats) {
  for (int d = 0; d < 2; ++d)
    for (int p = 0; p < 2; ++p) {
      char ctx[64];
      snprintf(ctx, sizeof ctx, "%s policy %d", DT[d], p);
      batch_data b = make_batch(d, EDGE_LENS, NEDGE, 77, 0);
      expect_batch_matches(d, &b, (core_nan_policy)p, ctx);
      free_batch(&b);
      batch_data bn = make_batch(d, EDGE_LENS, NEDGE, 78, 997);
      expect_batch_matches(d, &bn, (core_nan_policy)p, ctx);
      free_batch(&bn);
    }
}

/* Many small arrays: several grouped tasks, task boundaries everywhere. */
Test(batch, many_small_arrays_equal_core_stats) {
  enum { COUNT = 6000 };
  size_t *lens = malloc(COUNT * sizeof *lens);
  tu_rng r = tu_rng_make(5);
  for (size_t i = 0; i < COUNT; ++i) lens[i] = (size_t)(tu_next_u64(&r) % 700);
  for (int d = 0; d < 2; ++d) {
    batch_data b = make_batch(d, lens, COUNT, 1000, 0);
    expect_batch_matches(d, &b, CORE_NAN_PROPAGATE, DT[d]);
    free_batch(&b);
  }
  free(lens);
}

Test(batch, thread_count_determinism, .timeout = 120) {
  enum { COUNT = 3000 };
  size_t lens[COUNT];
  tu_rng r = tu_rng_make(9);
  for (size_t i = 0; i < COUNT; ++i) lens[i] = (size_t)(tu_next_u64(&r) % 3000);
  lens[17] = 400000; /* one large array, split into blocks */
  for (int d = 0; d < 2; ++d) {
    batch_data b = make_batch(d, lens, COUNT, 321, 0);
    core_stats_t *ref = malloc(COUNT * sizeof *ref), *got = malloc(COUNT * sizeof *got);
    const int threads[] = {1, 2, 8};
    for (int t = 0; t < 3; ++t) {
      cr_assert_eq(core_set_num_threads(threads[t]), CORE_OK);
      ST_OK(batch(d, b.arrays, b.lens, COUNT, CORE_NAN_OMIT, t == 0 ? ref : got), DT[d]);
      if (t > 0)
        cr_expect(memcmp(ref, got, COUNT * sizeof *ref) == 0,
                  "%s: %d threads give different summaries than 1 thread", DT[d], threads[t]);
    }
    cr_assert_eq(core_set_num_threads(0), CORE_OK);
    free(ref);
    free(got);
    free_batch(&b);
  }
}

Test(batch, count_zero_and_null_empty_arrays) {
  cr_expect_eq(core_batch_stats_f32(NULL, NULL, 0, CORE_NAN_PROPAGATE, NULL), CORE_OK);
  cr_expect_eq(core_batch_stats_f64(NULL, NULL, 0, CORE_NAN_OMIT, NULL), CORE_OK);
  const float *arrays[2] = {NULL, NULL};
  const size_t lens[2] = {0, 0};
  core_stats_t out[2], empty;
  ST_OK(core_batch_stats_f32(arrays, lens, 2, CORE_NAN_PROPAGATE, out), "two empty");
  ST_OK(core_stats_f32(NULL, 0, CORE_NAN_PROPAGATE, &empty), "empty");
  EXPECT_SAME_STATS(out[0], empty, "empty array 0");
  EXPECT_SAME_STATS(out[1], empty, "empty array 1");
}

Test(batch, invalid_arguments) {
  const float x[4] = {1, 2, 3, 4};
  const float *arrays[3] = {x, NULL, x};
  size_t lens[3] = {4, 2, 4};
  core_stats_t out[3];
  sentinel(out, 3);
  cr_expect_eq(core_batch_stats_f32(arrays, lens, 3, CORE_NAN_PROPAGATE, out),
               CORE_E_INVALID_ARGUMENT);
  cr_expect(tu_message_has("arrays[1] is NULL"), "\"%s\"", core_last_error_message());
  cr_expect(untouched(out, 3), "out written on error");

  arrays[1] = x;
  lens[1] = SIZE_MAX - 5; /* 4 + (SIZE_MAX - 5) + 4 overflows */
  cr_expect_eq(core_batch_stats_f32(arrays, lens, 3, CORE_NAN_PROPAGATE, out),
               CORE_E_INVALID_ARGUMENT);
  cr_expect(tu_message_has("overflow"), "\"%s\"", core_last_error_message());
  cr_expect(untouched(out, 3), "out written on error");
  lens[1] = 4;

  cr_expect_eq(core_batch_stats_f32(NULL, lens, 3, CORE_NAN_PROPAGATE, out),
               CORE_E_INVALID_ARGUMENT);
  cr_expect(tu_message_has("arrays is NULL"), "\"%s\"", core_last_error_message());
  cr_expect_eq(core_batch_stats_f32(arrays, NULL, 3, CORE_NAN_PROPAGATE, out),
               CORE_E_INVALID_ARGUMENT);
  cr_expect(tu_message_has("lens is NULL"), "\"%s\"", core_last_error_message());
  cr_expect_eq(core_batch_stats_f32(arrays, lens, 3, CORE_NAN_PROPAGATE, NULL),
               CORE_E_INVALID_ARGUMENT);
  cr_expect(tu_message_has("out is NULL"), "\"%s\"", core_last_error_message());
  cr_expect_eq(core_batch_stats_f32(arrays, lens, 3, (core_nan_policy)2, out),
               CORE_E_INVALID_ARGUMENT);
  cr_expect(tu_message_has("nan policy"), "\"%s\"", core_last_error_message());
  cr_expect(tu_message_has("core_batch_stats_f32"), "\"%s\"", core_last_error_message());

  /* out on top of lens: the summaries would overwrite the lengths. */
  size_t *shared = malloc(3 * sizeof(core_stats_t));
  memcpy(shared, lens, sizeof lens);
  cr_expect_eq(core_batch_stats_f32(arrays, shared, 3, CORE_NAN_PROPAGATE,
                                    (core_stats_t *)shared),
               CORE_E_INVALID_ARGUMENT);
  cr_expect(tu_message_has("overlaps"), "\"%s\"", core_last_error_message());
  free(shared);

  const double *arrays64[1] = {NULL};
  const size_t one[1] = {1};
  cr_expect_eq(core_batch_stats_f64(arrays64, one, 1, CORE_NAN_PROPAGATE, out),
               CORE_E_INVALID_ARGUMENT);
  cr_expect(tu_message_has("core_batch_stats_f64"), "\"%s\"", core_last_error_message());
}

/* ---- frames --------------------------------------------------------------------- */

Test(frames, count_rule_drops_the_partial_frame) {
  struct { size_t n, frame, hop, want; } cases[] = {
      {10, 4, 3, 3},   /* frames at 0, 3, 6; one at 9 would need 13 samples */
      {12, 4, 3, 3},   /* 9 + 4 = 13 > 12: still 3 */
      {13, 4, 3, 4},   /* now the frame at 9 fits */
      {10, 10, 1, 1},  {10, 1, 1, 10}, {20, 2, 7, 3}, /* hop > frame: gaps */
      {57600000, 400, 160, 359998}, /* one hour at 16 kHz, Whisper's frame and hop */
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; ++k) {
    size_t got = 0;
    ST_OK(core_stats_frames_len(cases[k].n, cases[k].frame, cases[k].hop, &got), "len");
    cr_expect_eq(got, cases[k].want, "n=%zu frame=%zu hop=%zu: %zu frames, want %zu",
                 cases[k].n, cases[k].frame, cases[k].hop, got, cases[k].want);
  }
}

/* Each frame's summary is core_stats_* on that frame, bit for bit. */
static void check_frames(int d, size_t n, size_t frame, size_t hop, size_t nan_every) {
  double *xd = gen_uniform(d, 42 + n + frame, n, -1.0, 1.0);
  for (size_t i = 0; nan_every && i < n; i += nan_every) xd[i] = NAN;
  void *x = copy_as(d, xd, n);
  size_t want = 0, got = 0;
  ST_OK(core_stats_frames_len(n, frame, hop, &want), "len");
  core_stats_t *out = malloc(want * sizeof *out);
  cr_assert_not_null(out);
  ST_OK(frames(d, x, n, frame, hop, out, want, &got), "frames");
  cr_expect_eq(got, want, "%s: *frames = %zu, want %zu", DT[d], got, want);
  size_t es = d == F32 ? sizeof(float) : sizeof(double);
  for (size_t i = 0; i < want; ++i) {
    core_stats_t ref;
    ST_OK(stats_one(d, (const char *)x + i * hop * es, frame, CORE_NAN_PROPAGATE, &ref), "ref");
    EXPECT_SAME_STATS(out[i], ref, "%s n=%zu frame=%zu hop=%zu: frame %zu differs", DT[d], n,
                      frame, hop, i);
  }
  free(out);
  free(x);
  free(xd);
}

Test(frames, each_frame_equals_core_stats, .timeout = 120) {
  for (int d = 0; d < 2; ++d) {
    check_frames(d, 16000 * 3 + 123, 400, 160, 0); /* Whisper-like */
    check_frames(d, 50000, 4096, 1000, 0);          /* frames of two blocks */
    check_frames(d, 3000, 1, 1, 0);                 /* single samples */
    check_frames(d, 777, 777, 5, 0);                /* exactly one frame */
    check_frames(d, 300000, 140000, 50000, 0);      /* frames split in parallel blocks */
    check_frames(d, 20000, 400, 160, 1013);         /* NaN propagates per frame */
  }
}

Test(frames, nan_marks_only_its_frames) {
  float x[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  x[5] = NAN; /* in frames [2,6) and [4,8) of frame 4, hop 2 */
  core_stats_t out[4];
  size_t nf = 0;
  ST_OK(core_stats_frames_f32(x, 10, 4, 2, out, 4, &nf), "frames");
  cr_assert_eq(nf, 4u);
  const int has_nan[4] = {0, 1, 1, 0};
  for (int i = 0; i < 4; ++i) {
    cr_expect_eq(out[i].nan_count, (uint64_t)has_nan[i], "frame %d nan_count", i);
    cr_expect(has_nan[i] ? isnan(out[i].mean) : out[i].mean == 2.0 * i + 1.5,
              "frame %d mean %g", i, out[i].mean);
  }
}

Test(frames, thread_count_determinism, .timeout = 120) {
  const size_t n = 16000 * 20, frame = 400, hop = 160;
  double *xd = gen_uniform(F32, 1234, n, -1.0, 1.0);
  float *x = copy_as(F32, xd, n);
  size_t nf = 0;
  ST_OK(core_stats_frames_len(n, frame, hop, &nf), "len");
  core_stats_t *ref = malloc(nf * sizeof *ref), *got = malloc(nf * sizeof *got);
  const int threads[] = {1, 2, 8};
  for (int t = 0; t < 3; ++t) {
    cr_assert_eq(core_set_num_threads(threads[t]), CORE_OK);
    size_t k = 0;
    ST_OK(core_stats_frames_f32(x, n, frame, hop, t == 0 ? ref : got, nf, &k), "frames");
    if (t > 0)
      cr_expect(memcmp(ref, got, nf * sizeof *ref) == 0, "%d threads differ from 1 thread",
                threads[t]);
  }
  cr_assert_eq(core_set_num_threads(0), CORE_OK);
  free(ref);
  free(got);
  free(x);
  free(xd);
}

Test(frames, cap_too_small_writes_the_needed_count) {
  float x[100] = {0};
  core_stats_t out[8];
  sentinel(out, 8);
  size_t nf = 0;
  /* 1 + (100 - 10) / 10 = 10 frames */
  cr_expect_eq(core_stats_frames_f32(x, 100, 10, 10, out, 8, &nf), CORE_E_BUFFER_TOO_SMALL);
  cr_expect_eq(nf, 10u, "needed %zu", nf);
  cr_expect(untouched(out, 8), "out written although cap is too small");
  cr_expect(tu_message_has("cap is 8"), "\"%s\"", core_last_error_message());
  nf = 0; /* the size query: no buffer at all */
  cr_expect_eq(core_stats_frames_f32(x, 100, 10, 10, NULL, 0, &nf), CORE_E_BUFFER_TOO_SMALL);
  cr_expect_eq(nf, 10u, "needed %zu", nf);
}

Test(frames, invalid_arguments) {
  float x[16] = {0};
  double y[16] = {0};
  core_stats_t out[16];
  size_t nf = 99;
  struct { size_t n, frame, hop; const char *msg; } bad[] = {
      {16, 0, 1, "frame must be > 0"},
      {16, 4, 0, "hop must be > 0"},
      {16, 17, 1, "longer than the signal"},
      {0, 1, 1, "longer than the signal"},
  };
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; ++k) {
    cr_expect_eq(core_stats_frames_f32(x, bad[k].n, bad[k].frame, bad[k].hop, out, 16, &nf),
                 CORE_E_INVALID_ARGUMENT, "case %zu", k);
    cr_expect(tu_message_has(bad[k].msg), "case %zu: \"%s\"", k, core_last_error_message());
    cr_expect_eq(core_stats_frames_f64(y, bad[k].n, bad[k].frame, bad[k].hop, out, 16, &nf),
                 CORE_E_INVALID_ARGUMENT, "f64 case %zu", k);
    cr_expect_eq(core_stats_frames_len(bad[k].n, bad[k].frame, bad[k].hop, &nf),
                 CORE_E_INVALID_ARGUMENT, "len case %zu", k);
    cr_expect(tu_message_has("core_stats_frames_len"), "\"%s\"", core_last_error_message());
  }
  cr_expect_eq(nf, 99u, "*frames written on an invalid argument");
  cr_expect_eq(core_stats_frames_len(16, 4, 4, NULL), CORE_E_INVALID_ARGUMENT);
  cr_expect_eq(core_stats_frames_f32(x, 16, 4, 4, out, 16, NULL), CORE_E_INVALID_ARGUMENT);
  cr_expect(tu_message_has("frames is NULL"), "\"%s\"", core_last_error_message());
  cr_expect_eq(core_stats_frames_f32(NULL, 16, 4, 4, out, 16, &nf), CORE_E_INVALID_ARGUMENT);
  cr_expect(tu_message_has("x is NULL"), "\"%s\"", core_last_error_message());
  cr_expect_eq(core_stats_frames_f32(x, 16, 4, 4, NULL, 16, &nf), CORE_E_INVALID_ARGUMENT);
  cr_expect(tu_message_has("out is NULL"), "\"%s\"", core_last_error_message());
  /* out written over the signal it reads */
  float *both = malloc(64 * sizeof(core_stats_t));
  memset(both, 0, 64 * sizeof(core_stats_t));
  cr_expect_eq(core_stats_frames_f32(both, 64, 4, 4, (core_stats_t *)both, 64, &nf),
               CORE_E_INVALID_ARGUMENT);
  cr_expect(tu_message_has("overlaps"), "\"%s\"", core_last_error_message());
  free(both);
}
