/* Unit tests for core_cache_save / core_cache_load: round trip (values,
 * shapes, recency), expired entries dropped at load, and every bad file
 * (missing, empty, truncated, other version, bad checksum, bad magic) is
 * rejected with the cache left exactly as it was. */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_cache_util.h"

/* A fresh folder per test (Criterion runs each test in its own process). */
static char dir[256];
static void make_dir(void) {
  snprintf(dir, sizeof dir, "/tmp/core_cache_test_%d", (int)getpid());
  mkdir(dir, 0700);
}
static void remove_dir(void) {
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
}
static void path_in(char *out, const char *name) {
  snprintf(out, 512, "%s/%s", dir, name);
}

static long file_size(const char *p) {
  struct stat sb;
  return stat(p, &sb) == 0 ? (long)sb.st_size : -1;
}

static unsigned char *read_all(const char *p, long *n) {
  *n = file_size(p);
  unsigned char *b = malloc((size_t)*n + 1);
  FILE *f = fopen(p, "rb");
  cr_assert(fread(b, 1, (size_t)*n, f) == (size_t)*n);
  fclose(f);
  return b;
}

static void write_all(const char *p, const unsigned char *b, long n) {
  FILE *f = fopen(p, "wb");
  cr_assert(fwrite(b, 1, (size_t)n, f) == (size_t)n);
  fclose(f);
}

Test(cache_persist, round_trip, .init = make_dir, .fini = remove_dir) {
  char p[512];
  path_in(p, "a.cache");
  fake_clock clk = {10000};
  core_cache_t *c = cache_make(64, 0, 0, &clk);
  for (uint64_t i = 0; i < 20; ++i) put_value(c, i, 10 + i);
  float v[24];
  value_fill(v, 24, 99);
  const size_t shape[4] = {1, 2, 3, 4};
  core_key_t k99 = key_of(99);
  OK(core_cache_put(c, &k99, v, 24, shape, 4));
  cr_assert(has_value(c, 0, 10)); /* 0 becomes the most recent */
  OK(core_cache_save(c, p));
  char tmp_left[600];
  snprintf(tmp_left, sizeof tmp_left, "ls %s | grep -q tmp", dir);
  cr_assert_neq(system(tmp_left), 0, "a temporary file was left behind");

  core_cache_t *d = cache_make(64, 0, 0, &clk);
  OK(core_cache_load(d, p));
  core_cache_stats_t s = stats_of(d);
  cr_assert_eq(s.entries, 21);
  cr_assert_eq(s.bytes, stats_of(c).bytes);
  cr_assert_eq(s.inserts, 0, "loading is not inserting");
  for (uint64_t i = 0; i < 20; ++i) cr_assert(has_value(d, i, 10 + i));
  float out[24];
  size_t n, sh[4], nd;
  OK(core_cache_get(d, &k99, out, 24, &n, sh, &nd));
  cr_assert(n == 24 && nd == 4 && sh[0] == 1 && sh[3] == 4);
  cr_assert(memcmp(out, v, sizeof v) == 0);
  core_cache_destroy(d);

  /* Recency survives: a smaller cache keeps the most recently used. */
  d = cache_make(3, 0, 0, &clk);
  OK(core_cache_load(d, p));
  cr_assert(has_value(d, 0, 10), "the most recently used entry was dropped");
  cr_assert(!has_value(d, 1, 11));
  cr_assert_eq(stats_of(d).entries, 3);
  core_cache_destroy(d);
  core_cache_destroy(c);
  /* An empty cache saves and loads. */
  c = cache_make(4, 0, 0, NULL);
  OK(core_cache_save(c, p));
  OK(core_cache_load(c, p));
  cr_assert_eq(stats_of(c).entries, 0);
  core_cache_destroy(c);
}

Test(cache_persist, expired_entries_dropped_at_load, .init = make_dir, .fini = remove_dir) {
  char p[512];
  path_in(p, "ttl.cache");
  fake_clock clk = {1000};
  core_cache_t *c = cache_make(64, 0, 500, &clk);
  put_value(c, 1, 4); /* expires at 1500 */
  clk.now_ms = 1300;
  put_value(c, 2, 4); /* expires at 1800 */
  OK(core_cache_save(c, p));
  core_cache_destroy(c);

  clk.now_ms = 1600; /* 1 expired while "the service was down" */
  c = cache_make(64, 0, 500, &clk);
  OK(core_cache_load(c, p));
  cr_assert(!has_value(c, 1, 4));
  cr_assert(has_value(c, 2, 4));
  /* The TTL counts from the original write. */
  clk.now_ms = 1800;
  cr_assert(!has_value(c, 2, 4));
  core_cache_destroy(c);
  /* Entries expired at save time are not written. */
  clk.now_ms = 1000;
  c = cache_make(64, 0, 500, &clk);
  put_value(c, 3, 4);
  clk.now_ms = 2000;
  OK(core_cache_save(c, p));
  core_cache_destroy(c);
  c = cache_make(64, 0, 0, &clk); /* no TTL here: would keep anything read */
  OK(core_cache_load(c, p));
  cr_assert_eq(stats_of(c).entries, 0);
  core_cache_destroy(c);
}

/* A cache with known contents; the checks below verify it is untouched. */
static core_cache_t *witness(void) {
  core_cache_t *c = cache_make(64, 0, 0, NULL);
  for (uint64_t i = 1000; i < 1005; ++i) put_value(c, i, 7);
  return c;
}
static void unchanged(core_cache_t *c) {
  core_cache_stats_t s = stats_of(c);
  cr_assert_eq(s.entries, 5, "a failed load changed the cache (%llu entries)",
               (unsigned long long)s.entries);
  for (uint64_t i = 1000; i < 1005; ++i) cr_assert(has_value(c, i, 7));
}

Test(cache_persist, bad_files_rejected, .init = make_dir, .fini = remove_dir) {
  char good[512], bad[512];
  path_in(good, "good.cache");
  path_in(bad, "bad.cache");
  core_cache_t *src = cache_make(64, 0, 0, NULL);
  for (uint64_t i = 0; i < 8; ++i) put_value(src, i, 33);
  OK(core_cache_save(src, good));
  core_cache_destroy(src);
  long n;
  unsigned char *b = read_all(good, &n);
  core_cache_t *c = witness();

  ERRMSG(CORE_E_IO, "core_cache_load", "cannot open", core_cache_load(c, "/nonexistent/x"));
  write_all(bad, b, 0);
  ERRMSG(CORE_E_FORMAT, "core_cache_load", "empty", core_cache_load(c, bad));
  /* Truncated at many points: inside the header, an entry, the trailer. */
  const long cuts[] = {1, 8, 15, 16, 40, 80, n / 2, n - 17, n - 16, n - 9, n - 1};
  for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; ++i) {
    write_all(bad, b, cuts[i]);
    ERR(CORE_E_FORMAT, "core_cache_load", core_cache_load(c, bad));
  }
  /* Extra bytes at the end. */
  unsigned char *longer = malloc((size_t)n + 4);
  memcpy(longer, b, (size_t)n);
  memset(longer + n, 0, 4);
  write_all(bad, longer, n + 4);
  ERR(CORE_E_FORMAT, "core_cache_load", core_cache_load(c, bad));
  free(longer);
  /* Another version. */
  b[8] += 1;
  write_all(bad, b, n);
  ERRMSG(CORE_E_FORMAT, "core_cache_load", "format version 2", core_cache_load(c, bad));
  b[8] -= 1;
  /* Bad magic. */
  b[0] ^= 0xff;
  write_all(bad, b, n);
  ERRMSG(CORE_E_FORMAT, "core_cache_load", "not a libcore cache file", core_cache_load(c, bad));
  b[0] ^= 0xff;
  /* One flipped bit in the data, in an entry header, in the checksum. */
  const long flips[] = {n / 2, 16 + 3, 16 + 28, n - 1, n - 12};
  for (size_t i = 0; i < sizeof flips / sizeof flips[0]; ++i) {
    b[flips[i]] ^= 0x10;
    write_all(bad, b, n);
    ERR(CORE_E_FORMAT, "core_cache_load", core_cache_load(c, bad));
    b[flips[i]] ^= 0x10;
  }
  b[n / 2] ^= 1;
  write_all(bad, b, n);
  ERRMSG(CORE_E_FORMAT, "core_cache_load", "checksum", core_cache_load(c, bad));
  unchanged(c);
  /* And the intact file still loads. */
  write_all(bad, b, 0);
  OK(core_cache_load(c, good));
  cr_assert_eq(stats_of(c).entries, 13);
  free(b);
  core_cache_destroy(c);
}

Test(cache_persist, save_errors, .init = make_dir, .fini = remove_dir) {
  core_cache_t *c = witness();
  ERRMSG(CORE_E_IO, "core_cache_save", "No such file or directory",
         core_cache_save(c, "/nonexistent_dir_for_core_tests/x.cache"));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_save", "path is NULL", core_cache_save(c, NULL));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_save", "path is empty", core_cache_save(c, ""));
  ERR(CORE_E_INVALID_ARGUMENT, "core_cache_save", core_cache_save(NULL, "/tmp/x"));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_load", "path is NULL", core_cache_load(c, NULL));
  ERR(CORE_E_INVALID_ARGUMENT, "core_cache_load", core_cache_load(NULL, "/tmp/x"));
  ERRMSG(CORE_E_IO, "core_cache_load", "not a regular file", core_cache_load(c, dir));
  /* A failed save leaves an existing file as it was. */
  char p[512];
  path_in(p, "keep.cache");
  OK(core_cache_save(c, p));
  long before = file_size(p);
  cr_assert_gt(before, 0);
  unchanged(c);
  core_cache_destroy(c);
}
