/* Unit tests for the cache's entries: put/get/contains/remove/clear,
 * shapes, LRU order, byte accounting, eviction and expiration counters,
 * TTL on an injected clock, statistics and their reset. */
#include "test_cache_util.h"

Test(cache, put_get_roundtrip_with_shape) {
  core_cache_t *c = cache_make(16, 0, 0, NULL);
  float v[24], out[24];
  value_fill(v, 24, 7);
  const size_t shape[3] = {2, 3, 4};
  core_key_t k = key_of(7);
  OK(core_cache_put(c, &k, v, 24, shape, 3));
  size_t n = 0, sh[CORE_CACHE_MAX_DIMS] = {0}, nd = 0;
  OK(core_cache_get(c, &k, out, 24, &n, sh, &nd));
  cr_assert_eq(n, 24);
  cr_assert_eq(nd, 3);
  cr_assert(sh[0] == 2 && sh[1] == 3 && sh[2] == 4);
  cr_assert(memcmp(v, out, sizeof v) == 0);
  /* shape NULL, ndim 0: one dimension of n. */
  core_key_t k2 = key_of(8);
  OK(core_cache_put(c, &k2, v, 5, NULL, 0));
  OK(core_cache_get(c, &k2, out, 24, &n, sh, &nd));
  cr_assert(n == 5 && nd == 1 && sh[0] == 5);
  /* shape and ndim are optional together. */
  OK(core_cache_get(c, &k2, out, 24, &n, NULL, NULL));
  /* Replacing a value. */
  OK(core_cache_put(c, &k2, v + 1, 4, NULL, 0));
  OK(core_cache_get(c, &k2, out, 24, &n, NULL, NULL));
  cr_assert(n == 4 && out[0] == v[1]);
  core_cache_stats_t s = stats_of(c);
  cr_assert_eq(s.entries, 2);
  cr_assert_eq(s.inserts, 3);
  cr_assert_eq(s.bytes, core_cache_entry_bytes(24) + core_cache_entry_bytes(4));
  core_cache_destroy(c);
  core_cache_destroy(NULL);
}

Test(cache, miss_and_buffer_too_small) {
  core_cache_t *c = cache_make(16, 0, 0, NULL);
  put_value(c, 1, 10);
  float out[10];
  size_t n = 0, sh[4] = {0}, nd = 0;
  core_key_t k1 = key_of(1), k2 = key_of(2);
  ERR(CORE_E_NOT_FOUND, "core_cache_get", core_cache_get(c, &k2, out, 10, &n, NULL, NULL));
  cr_assert_eq(n, 0, "n written on a miss");
  ERRMSG(CORE_E_BUFFER_TOO_SMALL, "core_cache_get", "cap = 9",
         core_cache_get(c, &k1, out, 9, &n, sh, &nd));
  cr_assert_eq(n, 10, "the needed size must be written");
  cr_assert(nd == 1 && sh[0] == 10);
  ERR(CORE_E_BUFFER_TOO_SMALL, "core_cache_get", core_cache_get(c, &k1, NULL, 0, &n, NULL, NULL));
  core_cache_stats_t s = stats_of(c);
  cr_assert_eq(s.hits, 0, "a too-small buffer is not a hit");
  cr_assert_eq(s.misses, 1);
  cr_assert(has_value(c, 1, 10));
  s = stats_of(c);
  cr_assert_eq(s.hits, 1);
  cr_assert_float_eq(s.hit_rate, 0.5, 1e-12);
  core_cache_destroy(c);
}

Test(cache, contains_remove_clear) {
  core_cache_t *c = cache_make(16, 0, 0, NULL);
  for (uint64_t i = 0; i < 5; ++i) put_value(c, i, 8);
  int found = -1;
  core_key_t k = key_of(3), k9 = key_of(9);
  OK(core_cache_contains(c, &k, &found));
  cr_assert_eq(found, 1);
  OK(core_cache_contains(c, &k9, &found));
  cr_assert_eq(found, 0);
  OK(core_cache_remove(c, &k));
  ERR(CORE_E_NOT_FOUND, "core_cache_remove", core_cache_remove(c, &k));
  OK(core_cache_contains(c, &k, &found));
  cr_assert_eq(found, 0);
  core_cache_stats_t s = stats_of(c);
  cr_assert_eq(s.entries, 4);
  cr_assert_eq(s.hits + s.misses, 0, "contains/remove count no lookups");
  OK(core_cache_clear(c));
  s = stats_of(c);
  cr_assert_eq(s.entries, 0);
  cr_assert_eq(s.bytes, 0);
  cr_assert_eq(s.evictions, 0, "clear is not eviction");
  cr_assert_eq(s.inserts, 5);
  for (uint64_t i = 0; i < 5; ++i) cr_assert(!has_value(c, i, 8));
  core_cache_destroy(c);
}

Test(cache, lru_order_by_entries) {
  core_cache_t *c = cache_make(3, 0, 0, NULL);
  put_value(c, 1, 4);
  put_value(c, 2, 4);
  put_value(c, 3, 4);
  cr_assert(has_value(c, 1, 4)); /* 1 becomes the most recent: order 2, 3, 1 */
  put_value(c, 4, 4);            /* evicts 2 */
  int found;
  core_key_t k2 = key_of(2), k3 = key_of(3);
  OK(core_cache_contains(c, &k2, &found));
  cr_assert_eq(found, 0, "2 was the least recently used");
  OK(core_cache_contains(c, &k3, &found)); /* contains does not refresh 3 */
  put_value(c, 5, 4);                      /* evicts 3 */
  OK(core_cache_contains(c, &k3, &found));
  cr_assert_eq(found, 0);
  cr_assert(has_value(c, 1, 4) && has_value(c, 4, 4) && has_value(c, 5, 4));
  /* Re-putting an existing key refreshes it without eviction. */
  put_value(c, 1, 4);
  core_cache_stats_t s = stats_of(c);
  cr_assert_eq(s.evictions, 2);
  cr_assert_eq(s.entries, 3);
  put_value(c, 6, 4); /* order was 4, 5, 1: evicts 4 */
  cr_assert(!has_value(c, 4, 4));
  cr_assert(has_value(c, 5, 4) && has_value(c, 1, 4) && has_value(c, 6, 4));
  core_cache_destroy(c);
}

Test(cache, byte_accounting_and_eviction) {
  const size_t e100 = core_cache_entry_bytes(100);
  cr_assert_eq(e100, 400 + CORE_CACHE_ENTRY_OVERHEAD);
  cr_assert_eq(core_cache_entry_bytes(SIZE_MAX / 2), SIZE_MAX);
  /* Room for exactly three 100-float entries. */
  core_cache_t *c = cache_make(0, 3 * e100 + 10, 0, NULL);
  for (uint64_t i = 0; i < 3; ++i) put_value(c, i, 100);
  core_cache_stats_t s = stats_of(c);
  cr_assert_eq(s.bytes, 3 * e100);
  cr_assert_eq(s.evictions, 0);
  put_value(c, 3, 100); /* evicts 0 */
  s = stats_of(c);
  cr_assert_eq(s.evictions, 1);
  cr_assert_eq(s.bytes, 3 * e100);
  /* A 250-float value needs two older entries gone. */
  put_value(c, 4, 250);
  s = stats_of(c);
  cr_assert_eq(s.evictions, 3);
  cr_assert_eq(s.entries, 2);
  cr_assert_eq(s.bytes, e100 + core_cache_entry_bytes(250));
  cr_assert(has_value(c, 3, 100) && has_value(c, 4, 250));
  core_cache_destroy(c);
}

Test(cache, too_large_for_max_bytes_is_full) {
  core_cache_t *c = cache_make(0, 1000, 0, NULL);
  put_value(c, 1, 10);
  float v[1000] = {0};
  core_key_t k = key_of(2);
  ERRMSG(CORE_E_FULL, "core_cache_put", "can never fit", core_cache_put(c, &k, v, 1000, NULL, 0));
  cr_assert(has_value(c, 1, 10), "a failed put evicted an entry");
  core_cache_stats_t s = stats_of(c);
  cr_assert_eq(s.evictions, 0);
  cr_assert_eq(s.inserts, 1);
  core_cache_destroy(c);
}

Test(cache, ttl_with_injected_clock) {
  fake_clock clk = {1000};
  core_cache_t *c = cache_make(16, 0, 100, &clk);
  put_value(c, 1, 4);
  clk.now_ms = 1050;
  put_value(c, 2, 4);
  clk.now_ms = 1099;
  cr_assert(has_value(c, 1, 4), "alive 1 ms before its expiry");
  clk.now_ms = 1100;
  cr_assert(!has_value(c, 1, 4), "expired exactly at write + ttl");
  core_cache_stats_t s = stats_of(c);
  cr_assert_eq(s.expirations, 1);
  cr_assert_eq(s.entries, 1);
  cr_assert_eq(s.misses, 1);
  /* A get does not extend the TTL; a re-put restarts it. */
  clk.now_ms = 1140;
  cr_assert(has_value(c, 2, 4));
  put_value(c, 2, 4);
  clk.now_ms = 1200;
  cr_assert(has_value(c, 2, 4));
  /* Untouched expired entries are swept by put and stats. */
  put_value(c, 3, 4);
  clk.now_ms = 5000;
  int found = 1;
  s = stats_of(c);
  cr_assert_eq(s.entries, 0);
  cr_assert_eq(s.bytes, 0);
  cr_assert_eq(s.expirations, 3);
  core_key_t k = key_of(3);
  OK(core_cache_contains(c, &k, &found));
  cr_assert_eq(found, 0);
  core_cache_destroy(c);
}

Test(cache, stats_reset_and_struct_size) {
  core_cache_t *c = cache_make(16, 0, 0, NULL);
  put_value(c, 1, 4);
  cr_assert(has_value(c, 1, 4));
  cr_assert(!has_value(c, 2, 4));
  OK(core_cache_stats_reset(c));
  core_cache_stats_t s = stats_of(c);
  cr_assert(s.hits == 0 && s.misses == 0 && s.inserts == 0);
  cr_assert_eq(s.entries, 1, "reset keeps the contents");
  cr_assert_float_eq(s.hit_rate, 0.0, 0);
  s.struct_size = 8;
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_stats", "struct_size", core_cache_stats(c, &s));
  core_cache_destroy(c);
}

Test(cache, sharded_bounds_hold_globally) {
  core_cache_options_t o = cache_opts(1000, 0);
  o.shards = 8;
  core_cache_t *c = cache_make_opts(&o);
  cr_assert_eq(core_cache_shards(c), 8);
  for (uint64_t i = 0; i < 5000; ++i) put_value(c, i, 2);
  core_cache_stats_t s = stats_of(c);
  cr_assert_leq(s.entries, 1000);
  cr_assert_geq(s.entries, 900, "shards should fill up evenly (%llu)",
                (unsigned long long)s.entries);
  cr_assert_eq(s.evictions + s.entries, 5000);
  /* The most recent entries survive. */
  for (uint64_t i = 4990; i < 5000; ++i) cr_assert(has_value(c, i, 2));
  core_cache_destroy(c);
  /* Automatic shards: small caches are one exact LRU. */
  o = cache_opts(100, 0);
  c = cache_make_opts(&o);
  cr_assert_eq(core_cache_shards(c), 1);
  core_cache_destroy(c);
  o = cache_opts(100000, 0);
  c = cache_make_opts(&o);
  cr_assert_eq(core_cache_shards(c), 16);
  core_cache_destroy(c);
}
