/* Out-of-memory scenarios of batch.h and of the array and stats calls
 * that could allocate: core_batch_stats_* (its task list), the file
 * summary on both of its paths (mapped, and read(2) with LIBCORE_NO_MMAP=1;
 * a refused mapping falls back to reading, batch.h), and, walked whatever
 * they allocate, the frame statistics, percentile, cumsum and a large
 * core_stats_f32 (one thread: no task arena); the accumulator is plain
 * caller data, documented allocation-free. */
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "oom.h"

typedef struct batch_ctx {
  core_stats_t out[8];
  char path[512];
  int no_mmap;
  core_stats_acc_t acc;
} batch_ctx;

/* Inputs made once (static: no allocation inside the walk). */
static float g_f32[300000];
static double g_f64[300000];
static int g_ready;

static void inputs(void) {
  if (g_ready) return;
  for (size_t i = 0; i < sizeof g_f32 / sizeof g_f32[0]; ++i) {
    g_f32[i] = (float)((i * 2654435761u) % 100003) / 100003.0f - 0.5f;
    g_f64[i] = (double)g_f32[i] * 1.5 + 1e3;
  }
  g_ready = 1;
}

static void fp_stats(oom_fp *fp, const core_stats_t *s, size_t n) {
  fp_hash(fp, "stats", s, n * sizeof *s);
}

static void setup_arrays(void *c) {
  (void)c;
  inputs();
}

/* Many small arrays (grouped into tasks), one large one (split into
 * blocks), an empty one. */
static const size_t kLens[6] = {1000, 17, 0, 200000, 4096, 33};
static const size_t kOffs[6] = {0, 1000, 1017, 1017, 201017, 205113};

static core_status op_batch_f32(void *c) {
  batch_ctx *x = c;
  const float *arrays[6];
  for (int i = 0; i < 6; ++i) arrays[i] = g_f32 + kOffs[i];
  return core_batch_stats_f32(arrays, kLens, 6, CORE_NAN_OMIT, x->out);
}

static core_status op_batch_f64(void *c) {
  batch_ctx *x = c;
  const double *arrays[6];
  for (int i = 0; i < 6; ++i) arrays[i] = g_f64 + kOffs[i];
  return core_batch_stats_f64(arrays, kLens, 6, CORE_NAN_PROPAGATE, x->out);
}

static void result_batch(void *c, oom_fp *fp) {
  batch_ctx *x = c;
  fp_stats(fp, x->out, 6);
}

/* ---- files ---- */

static void write_file(batch_ctx *x) {
  inputs();
  snprintf(x->path, sizeof x->path, "%s/values.f32", oom_tmpdir());
  const int fd = open(x->path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  OOM_TRUE(fd >= 0);
  OOM_TRUE(write(fd, g_f32, sizeof g_f32) == (ssize_t)sizeof g_f32);
  close(fd);
}

static void setup_file(void *c) { write_file(c); }

/* LIBCORE_NO_MMAP is read at each call. glibc keeps the "NAME=value"
 * string of a setenv for reuse, so after the warm-up setting it again
 * allocates nothing that stays. */
static void setup_file_read(void *c) {
  batch_ctx *x = c;
  write_file(x);
  OOM_TRUE(setenv("LIBCORE_NO_MMAP", "1", 1) == 0);
  x->no_mmap = 1;
}

static core_status op_file(void *c) {
  batch_ctx *x = c;
  return core_stats_file_f32(x->path, 1000, 250000, CORE_NAN_PROPAGATE, &x->out[0]);
}

static void result_file(void *c, oom_fp *fp) {
  batch_ctx *x = c;
  fp_stats(fp, x->out, 1);
}

static void teardown_file(void *c) {
  batch_ctx *x = c;
  if (x->no_mmap) unsetenv("LIBCORE_NO_MMAP");
  if (x->path[0]) unlink(x->path);
}

static void teardown_nothing(void *c) { (void)c; }

/* ---- the others: frames, percentile, cumsum, a large summary ---- */

static core_stats_t g_frames[2000];
static float g_scratch[300000], g_cumsum[300000];

static core_status op_others(void *c) {
  batch_ctx *x = c;
  core_status st;
  size_t frames = 0;
  double p = 0;
  if ((st = core_stats_frames_f32(g_f32, 200000, 400, 160, g_frames, 2000, &frames)) != CORE_OK)
    return st;
  if ((st = core_percentile_f32(g_f32, 300000, 99.0, CORE_NAN_OMIT, g_scratch, 300000, &p)) !=
      CORE_OK)
    return st;
  if ((st = core_cumsum_f32(g_f32, 300000, g_cumsum)) != CORE_OK) return st;
  x->out[1].mean = p;
  return core_stats_f32(g_f32, 300000, CORE_NAN_PROPAGATE, &x->out[0]);
}

static void result_others(void *c, oom_fp *fp) {
  batch_ctx *x = c;
  fp_stats(fp, x->out, 2);
  fp_hash(fp, "frames", g_frames, sizeof g_frames);
  fp_hash(fp, "cumsum", g_cumsum, sizeof g_cumsum);
}

/* The accumulator: "no handle, no allocation" (batch.h convention 4). */
static core_status op_acc(void *c) {
  batch_ctx *x = c;
  core_status st = core_stats_acc_init(&x->acc, CORE_NAN_PROPAGATE, 300000);
  for (size_t i = 0; st == CORE_OK && i < 300000; i += 70000)
    st = core_stats_acc_push_f32(&x->acc, g_f32 + i, i + 70000 <= 300000 ? 70000 : 300000 - i);
  if (st == CORE_OK) st = core_stats_acc_merge(&x->acc, &x->acc);
  return st == CORE_OK ? core_stats_acc_result(&x->acc, &x->out[0]) : st;
}

static void result_acc(void *c, oom_fp *fp) {
  batch_ctx *x = c;
  fp_stats(fp, x->out, 1);
}

static const oom_scenario kBatch[] = {
    {.name = "batch_stats_f32", .fn = "core_batch_stats_f32", .expect = OOM_SOME,
     .setup = setup_arrays, .op = op_batch_f32, .result = result_batch,
     .teardown = teardown_nothing},
    {.name = "batch_stats_f64", .fn = "core_batch_stats_f64", .expect = OOM_SOME,
     .setup = setup_arrays, .op = op_batch_f64, .result = result_batch,
     .teardown = teardown_nothing},
    {.name = "stats_file_f32_mapped", .fn = "core_stats_file_f32", .expect = OOM_SOME,
     .flags = OOM_ABSORBS,
     .why = "a refused mapping: the file is read with read(2) instead, batch.h",
     .setup = setup_file, .op = op_file, .result = result_file, .teardown = teardown_file},
    {.name = "stats_file_f32_read", .fn = "core_stats_file_f32", .expect = OOM_SOME,
     .setup = setup_file_read, .op = op_file, .result = result_file,
     .teardown = teardown_file},
    {.name = "frames_percentile_cumsum_stats", .fn = "core_stats_frames_f32",
     .also = {"core_percentile_f32", "core_cumsum_f32", "core_stats_f32"}, .expect = OOM_ANY,
     .setup = setup_arrays, .op = op_others, .result = result_others,
     .teardown = teardown_nothing},
    {.name = "stats_acc", .fn = "core_stats_acc_push_f32",
     .also = {"core_stats_acc_merge", "core_stats_acc_result"}, .expect = OOM_NONE,
     .setup = setup_arrays, .op = op_acc, .result = result_acc, .teardown = teardown_nothing},
};

const oom_module oom_batch_module = {"batch", kBatch, sizeof kBatch / sizeof kBatch[0]};
