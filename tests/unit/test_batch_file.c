/* Unit tests for the batch module, part 3: core_stats_file_f32 on regular
 * files (mapped, and read with LIBCORE_NO_MMAP=1), on pipes, and its error
 * statuses. Files live in a mkdtemp directory removed after each test. A
 * file changing size during the call is tested in test_batch_sigbus.c.
 * C API only. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/logging.h>

#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <core/core.h>

#include "stats_testutil.h"

#define EXPECT_SAME_STATS(a, b, ...) \
  cr_expect(memcmp(&(a), &(b), sizeof(core_stats_t)) == 0, __VA_ARGS__)

/* ---- a temporary directory per test ---------------------------------------- */

static char dir[64];

static void make_dir(void) {
  strcpy(dir, "/tmp/libcore_batch_XXXXXX");
  cr_assert_not_null(mkdtemp(dir), "mkdtemp failed");
}

static void remove_dir(void) {
  DIR *d = opendir(dir);
  if (d == NULL) return;
  struct dirent *e;
  char path[512];
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    unlink(path);
  }
  closedir(d);
  rmdir(dir);
}

TestSuite(file, .init = make_dir, .fini = remove_dir, .timeout = 120);

/* dir/name, in one of four static buffers (so a test can hold several). */
static const char *path_of(const char *name) {
  static char paths[4][512];
  static int next;
  char *path = paths[next++ % 4];
  snprintf(path, sizeof paths[0], "%s/%s", dir, name);
  return path;
}

static void write_bytes(const char *path, const void *data, size_t bytes) {
  FILE *f = fopen(path, "wb");
  cr_assert_not_null(f, "cannot create %s", path);
  cr_assert_eq(fwrite(data, 1, bytes, f), bytes, "short write to %s", path);
  cr_assert_eq(fclose(f), 0);
}

/* n float32 values N(5, 2), a NaN every nan_every (0: none). */
static float *make_values(size_t n, size_t nan_every, uint64_t seed) {
  float *x = malloc((n ? n : 1) * sizeof *x);
  cr_assert_not_null(x);
  tu_rng r = tu_rng_make(seed);
  for (size_t i = 0; i < n; ++i) x[i] = (float)tu_normal(&r, 5.0, 2.0);
  for (size_t i = 0; nan_every && i < n; i += nan_every) x[i] = NAN;
  return x;
}

/* The file's summary must be core_stats_f32's on the same values, for the
 * whole file and for sub-ranges, with and without the mapping. */
static void check_file(size_t n, size_t nan_every, int no_mmap) {
  float *x = make_values(n, nan_every, n);
  const char *path = path_of("values.f32");
  write_bytes(path, x, n * sizeof *x);
  if (no_mmap) setenv("LIBCORE_NO_MMAP", "1", 1);
  const struct { uint64_t off, count; } ranges[] = {
      {0, 0}, {0, n}, {1, 0}, {n / 3, n / 2}, {n - 1, 1}, {n, 0}, {777, 2048 * 5 + 3},
  };
  for (size_t k = 0; k < sizeof ranges / sizeof ranges[0]; ++k) {
    uint64_t off = ranges[k].off, count = ranges[k].count;
    if (off + count > n) continue;
    size_t len = count ? (size_t)count : n - (size_t)off;
    for (int p = 0; p < 2; ++p) {
      core_stats_t s, ref;
      ST_OK(core_stats_file_f32(path, off, count, (core_nan_policy)p, &s), "file");
      ST_OK(core_stats_f32(x + off, len, (core_nan_policy)p, &ref), "memory");
      EXPECT_SAME_STATS(s, ref,
                        "n=%zu offset=%llu count=%llu policy %d no_mmap %d: mean %.17g vs %.17g",
                        n, (unsigned long long)off, (unsigned long long)count, p, no_mmap,
                        s.mean, ref.mean);
    }
  }
  unsetenv("LIBCORE_NO_MMAP");
  free(x);
}

Test(file, equals_core_stats_in_memory) {
  const size_t sizes[] = {1, 4096, 100003, 1200007};
  for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; ++k) check_file(sizes[k], 0, 0);
  check_file(300000, 4999, 0);
}

/* The read(2) path: 2 MiB reads pushed through the accumulator with the
 * length declared, which must reproduce the mapped result bit for bit. */
Test(file, read_path_equals_core_stats_in_memory) {
  const size_t sizes[] = {1, 4096, 100003, 1200007};
  for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; ++k) check_file(sizes[k], 0, 1);
  check_file(300000, 4999, 1);
}

Test(file, thread_count_determinism) {
  const size_t n = 2000003;
  float *x = make_values(n, 0, 3);
  const char *path = path_of("det.f32");
  write_bytes(path, x, n * sizeof *x);
  core_stats_t ref, s;
  ST_OK(core_stats_f32(x, n, CORE_NAN_PROPAGATE, &ref), "memory");
  const int threads[] = {1, 2, 8};
  for (int t = 0; t < 3; ++t) {
    cr_assert_eq(core_set_num_threads(threads[t]), CORE_OK);
    ST_OK(core_stats_file_f32(path, 0, 0, CORE_NAN_PROPAGATE, &s), "file");
    EXPECT_SAME_STATS(s, ref, "%d threads: file summary differs", threads[t]);
  }
  cr_assert_eq(core_set_num_threads(0), CORE_OK);
  free(x);
}

Test(file, empty_file_and_empty_range) {
  const char *path = path_of("empty.f32");
  write_bytes(path, "", 0);
  core_stats_t s, ref;
  ST_OK(core_stats_f32(NULL, 0, CORE_NAN_OMIT, &ref), "empty");
  ST_OK(core_stats_file_f32(path, 0, 0, CORE_NAN_OMIT, &s), "empty file");
  EXPECT_SAME_STATS(s, ref, "empty file");
  const float v[3] = {1, 2, 3};
  write_bytes(path, v, sizeof v);
  ST_OK(core_stats_file_f32(path, 3, 0, CORE_NAN_OMIT, &s), "offset at the end");
  EXPECT_SAME_STATS(s, ref, "offset == values, count 0");
}

Test(file, error_statuses) {
  const float v[4] = {1, 2, 3, 4};
  const char *path = path_of("four.f32");
  write_bytes(path, v, sizeof v);
  core_stats_t s;
  memset(&s, 0xA5, sizeof s);
  core_stats_t before = s;

  cr_expect_eq(core_stats_file_f32(path_of("missing.f32"), 0, 0, CORE_NAN_OMIT, &s),
               CORE_E_NOT_FOUND);
  cr_expect(tu_message_has("missing.f32"), "\"%s\"", core_last_error_message());
  cr_expect_eq(core_stats_file_f32("/nonexistent-dir/x/y.f32", 0, 0, CORE_NAN_OMIT, &s),
               CORE_E_NOT_FOUND);
  cr_expect_eq(core_stats_file_f32(dir, 0, 0, CORE_NAN_OMIT, &s), CORE_E_IO);
  cr_expect(tu_message_has("is a directory"), "\"%s\"", core_last_error_message());

  const char *odd = path_of("odd.f32");
  write_bytes(odd, v, 4 * 2 + 3); /* 11 bytes */
  cr_expect_eq(core_stats_file_f32(odd, 0, 0, CORE_NAN_OMIT, &s), CORE_E_FORMAT);
  cr_expect(tu_message_has("not a multiple of 4"), "\"%s\"", core_last_error_message());

  cr_expect_eq(core_stats_file_f32(path, 5, 0, CORE_NAN_OMIT, &s), CORE_E_INVALID_ARGUMENT);
  cr_expect(tu_message_has("past the end"), "\"%s\"", core_last_error_message());
  cr_expect_eq(core_stats_file_f32(path, 2, 3, CORE_NAN_OMIT, &s), CORE_E_INVALID_ARGUMENT);
  cr_expect(tu_message_has("offset + count"), "\"%s\"", core_last_error_message());
  cr_expect_eq(core_stats_file_f32(path, 0, UINT64_MAX, CORE_NAN_OMIT, &s),
               CORE_E_INVALID_ARGUMENT);
  cr_expect_eq(core_stats_file_f32(path, UINT64_MAX, 1, CORE_NAN_OMIT, &s),
               CORE_E_INVALID_ARGUMENT);

  cr_expect_eq(core_stats_file_f32(NULL, 0, 0, CORE_NAN_OMIT, &s), CORE_E_INVALID_ARGUMENT);
  cr_expect(tu_message_has("path is NULL"), "\"%s\"", core_last_error_message());
  cr_expect_eq(core_stats_file_f32(path, 0, 0, CORE_NAN_OMIT, NULL), CORE_E_INVALID_ARGUMENT);
  cr_expect(tu_message_has("out is NULL"), "\"%s\"", core_last_error_message());
  cr_expect_eq(core_stats_file_f32(path, 0, 0, (core_nan_policy)3, &s),
               CORE_E_INVALID_ARGUMENT);
  cr_expect(tu_message_has("core_stats_file_f32"), "\"%s\"", core_last_error_message());
  cr_expect(memcmp(&s, &before, sizeof s) == 0, "out written on an error");

  if (geteuid() != 0) { /* root reads anything */
    chmod(path, 0);
    cr_expect_eq(core_stats_file_f32(path, 0, 0, CORE_NAN_OMIT, &s), CORE_E_IO);
    cr_expect(tu_message_has("ermission"), "\"%s\"", core_last_error_message());
  }
}

/* ---- pipes ---------------------------------------------------------------------- */

/* Creates a FIFO and forks a child that writes `bytes` of data into it. */
static pid_t feed_fifo(const char *path, const void *data, size_t bytes) {
  unlink(path);
  cr_assert_eq(mkfifo(path, 0600), 0, "mkfifo failed");
  pid_t pid = fork();
  cr_assert(pid >= 0, "fork failed");
  if (pid == 0) {
    int fd = open(path, O_WRONLY);
    const char *p = data;
    while (fd >= 0 && bytes > 0) {
      ssize_t w = write(fd, p, bytes > 65536 ? 65536 : bytes);
      if (w <= 0) break; /* the reader left early: fine */
      p += w;
      bytes -= (size_t)w;
    }
    _exit(0);
  }
  return pid;
}

static void reap(pid_t pid) {
  int status;
  waitpid(pid, &status, 0);
}

Test(file, fifo_streams) {
  const size_t n = 4 * 2048 + 100; /* 5 blocks: not a power of two */
  float *x = make_values(n, 0, 17);
  const char *fifo = path_of("fifo");
  core_stats_t s, ref;

  /* Known count: the same bits as in memory. */
  pid_t pid = feed_fifo(fifo, x, n * sizeof *x);
  ST_OK(core_stats_file_f32(fifo, 10, n - 20, CORE_NAN_PROPAGATE, &s), "fifo with count");
  reap(pid);
  ST_OK(core_stats_f32(x + 10, n - 20, CORE_NAN_PROPAGATE, &ref), "memory");
  EXPECT_SAME_STATS(s, ref, "fifo with a count differs from memory");

  /* To the end, 4 blocks: a power of two, so exact too (batch.h 4 (c)). */
  pid = feed_fifo(fifo, x, 4 * 2048 * sizeof *x);
  ST_OK(core_stats_file_f32(fifo, 0, 0, CORE_NAN_PROPAGATE, &s), "fifo to the end");
  reap(pid);
  ST_OK(core_stats_f32(x, 4 * 2048, CORE_NAN_PROPAGATE, &ref), "memory");
  EXPECT_SAME_STATS(s, ref, "fifo of 4 blocks differs from memory");

  /* To the end, 5 blocks: exact counts and extremes, moments within ulps. */
  pid = feed_fifo(fifo, x, n * sizeof *x);
  ST_OK(core_stats_file_f32(fifo, 0, 0, CORE_NAN_PROPAGATE, &s), "fifo to the end");
  reap(pid);
  ST_OK(core_stats_f32(x, n, CORE_NAN_PROPAGATE, &ref), "memory");
  cr_expect(s.count == n && s.min == ref.min && s.max == ref.max, "fifo count/min/max");
  EXPECT_ULPS(s.mean, ref.mean, 4, "fifo", "mean");
  EXPECT_ULPS(s.m2, ref.m2, 16, "fifo", "m2");
  free(x);
}

Test(file, fifo_errors) {
  const float v[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  const char *fifo = path_of("fifo");
  core_stats_t s;
  pid_t pid = feed_fifo(fifo, v, 8 * 4 + 2); /* ends 2 bytes into a value */
  cr_expect_eq(core_stats_file_f32(fifo, 0, 0, CORE_NAN_OMIT, &s), CORE_E_FORMAT);
  cr_expect(tu_message_has("2 byte(s) into a float32"), "\"%s\"", core_last_error_message());
  reap(pid);
  pid = feed_fifo(fifo, v, sizeof v);
  cr_expect_eq(core_stats_file_f32(fifo, 9, 0, CORE_NAN_OMIT, &s), CORE_E_INVALID_ARGUMENT);
  cr_expect(tu_message_has("past the end of the stream"), "\"%s\"", core_last_error_message());
  reap(pid);
  pid = feed_fifo(fifo, v, sizeof v);
  cr_expect_eq(core_stats_file_f32(fifo, 2, 7, CORE_NAN_OMIT, &s), CORE_E_INVALID_ARGUMENT);
  cr_expect(tu_message_has("ended after 8 values"), "\"%s\"", core_last_error_message());
  reap(pid);
}
