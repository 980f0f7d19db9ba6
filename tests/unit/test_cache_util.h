/* Helpers shared by the cache suites (test_cache*.c): status checks, cache
 * creation, a fake clock, keys and values. Test code only. */
#ifndef CORE_TEST_CACHE_UTIL_H
#define CORE_TEST_CACHE_UTIL_H

#include <criterion/criterion.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <core/core.h>

#include "test_status.h"
#include "testutil.h"


/* A clock the test moves by hand. */
typedef struct fake_clock { uint64_t now_ms; } fake_clock;
static inline uint64_t fake_clock_read(void *user) { return ((fake_clock *)user)->now_ms; }

static inline core_cache_options_t cache_opts(size_t max_entries, size_t max_bytes) {
  core_cache_options_t o;
  OK(core_cache_options_init(&o));
  o.max_entries = max_entries;
  o.max_bytes = max_bytes;
  return o;
}

static inline core_cache_t *cache_make_opts(const core_cache_options_t *o) {
  core_cache_t *c = NULL;
  OK(core_cache_create(o, &c));
  cr_assert_not_null(c);
  return c;
}

/* One shard (exact LRU), the given bounds, optional TTL on a fake clock. */
static inline core_cache_t *cache_make(size_t max_entries, size_t max_bytes, uint64_t ttl_ms,
                                       fake_clock *clock) {
  core_cache_options_t o = cache_opts(max_entries, max_bytes);
  o.shards = 1;
  o.ttl_ms = ttl_ms;
  if (clock) {
    o.clock = fake_clock_read;
    o.clock_user = clock;
  }
  return cache_make_opts(&o);
}

static inline core_key_t key_of(uint64_t i) {
  core_key_t k;
  OK(core_cache_key_bytes(&i, sizeof i, &k));
  return k;
}

/* Value i: n floats encoding i and the position. */
static inline void value_fill(float *v, size_t n, uint64_t i) {
  for (size_t j = 0; j < n; ++j) v[j] = (float)(i % 100000) + (float)j * 0.5f;
}

static inline void put_value(core_cache_t *c, uint64_t i, size_t n) {
  float *v = malloc(n * sizeof *v);
  value_fill(v, n, i);
  core_key_t k = key_of(i);
  OK(core_cache_put(c, &k, v, n, NULL, 0));
  free(v);
}

/* 1 when key i is there with its value (checked), 0 on a miss. */
static inline int has_value(core_cache_t *c, uint64_t i, size_t n) {
  float *v = malloc(n * sizeof *v), *want = malloc(n * sizeof *want);
  size_t got = 0;
  core_key_t k = key_of(i);
  core_status st = core_cache_get(c, &k, v, n, &got, NULL, NULL);
  int r = 0;
  if (st == CORE_OK) {
    value_fill(want, n, i);
    cr_assert_eq(got, n);
    cr_assert(memcmp(v, want, n * sizeof *v) == 0, "value %llu corrupted", (unsigned long long)i);
    r = 1;
  } else {
    cr_assert_eq(st, CORE_E_NOT_FOUND, "get -> %s", core_status_str(st));
  }
  free(v);
  free(want);
  return r;
}

static inline core_cache_stats_t stats_of(core_cache_t *c) {
  core_cache_stats_t s;
  memset(&s, 0, sizeof s);
  s.struct_size = sizeof s;
  OK(core_cache_stats(c, &s));
  return s;
}

#endif
