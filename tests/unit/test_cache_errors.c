/* Unit tests for cache.h bad input: every NULL, bad options, bad values
 * (n = 0, shape product, dimensions), max_bytes smaller than one entry.
 * Each error is checked for its status, the message naming the function,
 * and the cache keeping what it held. */
#include "test_cache_util.h"

static core_cache_t *filled(void) {
  core_cache_t *c = cache_make(16, 0, 0, NULL);
  for (uint64_t i = 0; i < 3; ++i) put_value(c, i, 6);
  return c;
}
static void intact(core_cache_t *c) {
  core_cache_stats_t s = stats_of(c);
  cr_assert_eq(s.entries, 3, "a failed call changed the cache");
  for (uint64_t i = 0; i < 3; ++i) cr_assert(has_value(c, i, 6));
}

static core_status never(void *u, const core_key_t *k, core_cache_writer_t *w) {
  (void)u, (void)k, (void)w;
  return CORE_E_INTERNAL;
}

Test(cache_errors, null_cache_everywhere) {
  core_key_t k = key_of(1);
  float v[4] = {0};
  size_t n = 0;
  int found;
  core_cache_stats_t s;
  s.struct_size = sizeof s;
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_put", "cache is NULL",
         core_cache_put(NULL, &k, v, 4, NULL, 0));
  ERR(CORE_E_INVALID_ARGUMENT, "core_cache_get", core_cache_get(NULL, &k, v, 4, &n, NULL, NULL));
  ERR(CORE_E_INVALID_ARGUMENT, "core_cache_contains", core_cache_contains(NULL, &k, &found));
  ERR(CORE_E_INVALID_ARGUMENT, "core_cache_remove", core_cache_remove(NULL, &k));
  ERR(CORE_E_INVALID_ARGUMENT, "core_cache_clear", core_cache_clear(NULL));
  ERR(CORE_E_INVALID_ARGUMENT, "core_cache_stats", core_cache_stats(NULL, &s));
  ERR(CORE_E_INVALID_ARGUMENT, "core_cache_stats_reset", core_cache_stats_reset(NULL));
  ERR(CORE_E_INVALID_ARGUMENT, "core_cache_get_or_compute",
      core_cache_get_or_compute(NULL, &k, never, NULL, v, 4, &n, NULL, NULL));
  cr_assert_eq(core_cache_shards(NULL), 0);
}

Test(cache_errors, null_key_and_buffers) {
  core_cache_t *c = filled();
  core_key_t k = key_of(1);
  float v[6] = {0};
  size_t n = 77, sh[4], nd;
  int found;
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_put", "key is NULL",
         core_cache_put(c, NULL, v, 6, NULL, 0));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_put", "data is NULL",
         core_cache_put(c, &k, NULL, 6, NULL, 0));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_get", "key is NULL",
         core_cache_get(c, NULL, v, 6, &n, NULL, NULL));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_get", "out is NULL",
         core_cache_get(c, &k, NULL, 6, &n, NULL, NULL));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_get", "n is NULL",
         core_cache_get(c, &k, v, 6, NULL, NULL, NULL));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_get", "both",
         core_cache_get(c, &k, v, 6, &n, sh, NULL));
  ERR(CORE_E_INVALID_ARGUMENT, "core_cache_get", core_cache_get(c, &k, v, 6, &n, NULL, &nd));
  ERR(CORE_E_INVALID_ARGUMENT, "core_cache_contains", core_cache_contains(c, NULL, &found));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_contains", "found is NULL",
         core_cache_contains(c, &k, NULL));
  ERR(CORE_E_INVALID_ARGUMENT, "core_cache_remove", core_cache_remove(c, NULL));
  ERR(CORE_E_INVALID_ARGUMENT, "core_cache_stats", core_cache_stats(c, NULL));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_get_or_compute", "fn is NULL",
         core_cache_get_or_compute(c, &k, NULL, NULL, v, 6, &n, NULL, NULL));
  ERR(CORE_E_INVALID_ARGUMENT, "core_cache_get_or_compute",
      core_cache_get_or_compute(c, NULL, never, NULL, v, 6, &n, NULL, NULL));
  ERR(CORE_E_INVALID_ARGUMENT, "core_cache_get_or_compute",
      core_cache_get_or_compute(c, &k, never, NULL, v, 6, NULL, NULL, NULL));
  cr_assert_eq(n, 77, "an out-parameter was written on error");
  intact(c);
  core_cache_destroy(c);
}

Test(cache_errors, bad_values) {
  core_cache_t *c = filled();
  core_key_t k = key_of(1); /* an existing key: a failed put keeps its value */
  float v[12] = {0};
  const size_t s34[2] = {3, 4}, s35[2] = {3, 5}, s0[2] = {0, 12}, s5[5] = {1, 1, 1, 1, 12};
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_put", "n must be > 0",
         core_cache_put(c, &k, v, 0, NULL, 0));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_put", "product is 15 but n = 12",
         core_cache_put(c, &k, v, 12, s35, 2));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_put", "shape[0] is 0",
         core_cache_put(c, &k, v, 12, s0, 2));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_put", "CORE_CACHE_MAX_DIMS",
         core_cache_put(c, &k, v, 12, s5, 5));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_put", "shape is NULL but ndim = 2",
         core_cache_put(c, &k, v, 12, NULL, 2));
  const size_t huge[2] = {SIZE_MAX / 2, 4};
  ERR(CORE_E_INVALID_ARGUMENT, "core_cache_put", core_cache_put(c, &k, v, 12, huge, 2));
  ERR(CORE_E_INVALID_ARGUMENT, "core_cache_put", core_cache_put(c, &k, v, SIZE_MAX, NULL, 0));
  intact(c);
  OK(core_cache_put(c, &k, v, 12, s34, 2));
  core_cache_destroy(c);
}

Test(cache_errors, bad_options) {
  core_cache_t *c = (core_cache_t *)&c;
  core_cache_t *const sentinel = c;
  ERR(CORE_E_INVALID_ARGUMENT, "core_cache_options_init", core_cache_options_init(NULL));
  core_cache_options_t o = cache_opts(10, 0);
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_create", "opts is NULL",
         core_cache_create(NULL, &c));
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_create", "out is NULL",
         core_cache_create(&o, NULL));
  o = cache_opts(0, 0);
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_create", "at least one bound",
         core_cache_create(&o, &c));
  o = cache_opts(10, 0);
  o.shards = 3;
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_create", "power of two",
         core_cache_create(&o, &c));
  o.shards = 512;
  ERR(CORE_E_INVALID_ARGUMENT, "core_cache_create", core_cache_create(&o, &c));
  o.shards = 16;
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_create", "fewer than the 16 shards",
         core_cache_create(&o, &c));
  o = cache_opts(10, 0);
  o.struct_size = 8;
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_create", "struct_size",
         core_cache_create(&o, &c));
  o.struct_size = sizeof o + 8;
  ERR(CORE_E_UNSUPPORTED, "core_cache_create", core_cache_create(&o, &c));
  cr_assert_eq(c, sentinel, "*out written on error");
  /* Defaults: both bounds set, automatic shards, no TTL. */
  OK(core_cache_options_init(&o));
  cr_assert(o.struct_size == sizeof o && o.max_entries > 0 && o.max_bytes > 0);
  cr_assert(o.ttl_ms == 0 && o.shards == 0 && o.clock == NULL);
}

Test(cache_errors, max_bytes_smaller_than_one_entry) {
  /* The smallest entry (1 float) does not fit 100 bytes: create accepts
   * the bound, every put says it can never fit. */
  core_cache_t *c = cache_make(0, 100, 0, NULL);
  core_key_t k = key_of(1);
  float v = 1.0f;
  ERRMSG(CORE_E_FULL, "core_cache_put", "can never fit", core_cache_put(c, &k, &v, 1, NULL, 0));
  cr_assert_eq(stats_of(c).entries, 0);
  cr_assert_eq(stats_of(c).inserts, 0);
  core_cache_destroy(c);
}
