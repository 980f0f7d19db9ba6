/* Unit tests for core_cache_get_or_compute: compute once on a miss, hits
 * afterwards, single flight across threads (the callback runs once while
 * the others wait), a failure reaching every waiter with nothing cached,
 * and callback misuse. */
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "test_cache_util.h"

typedef struct job {
  atomic_int calls;
  atomic_int started;
  int fail_with;       /* 0: succeed */
  int skip_put;        /* return OK without a value */
  unsigned sleep_us;   /* hold the computation so others pile up */
  core_cache_t *cache; /* for the nested-call test */
  core_status nested;
} job;

static core_status compute(void *user, const core_key_t *key, core_cache_writer_t *w) {
  job *j = user;
  atomic_fetch_add(&j->calls, 1);
  atomic_store(&j->started, 1);
  if (j->sleep_us) usleep(j->sleep_us);
  if (j->cache) {
    float o[8];
    size_t n;
    j->nested = core_cache_get_or_compute(j->cache, key, compute, j, o, 8, &n, NULL, NULL);
  }
  if (j->fail_with) return (core_status)j->fail_with;
  if (j->skip_put) return CORE_OK;
  float v[6];
  for (int i = 0; i < 6; ++i) v[i] = (float)(key->lo % 1000) + (float)i;
  const size_t shape[2] = {2, 3};
  return core_cache_writer_put(w, v, 6, shape, 2);
}

Test(cache_compute, computes_once_then_hits) {
  core_cache_t *c = cache_make(16, 0, 0, NULL);
  job j = {0};
  core_key_t k = key_of(5);
  float out[6];
  size_t n = 0, sh[4], nd = 0;
  OK(core_cache_get_or_compute(c, &k, compute, &j, out, 6, &n, sh, &nd));
  cr_assert(n == 6 && nd == 2 && sh[0] == 2 && sh[1] == 3);
  cr_assert_eq(out[5], (float)(k.lo % 1000) + 5.0f);
  OK(core_cache_get_or_compute(c, &k, compute, &j, out, 6, &n, sh, &nd));
  cr_assert_eq(atomic_load(&j.calls), 1);
  core_cache_stats_t s = stats_of(c);
  cr_assert(s.hits == 1 && s.misses == 1 && s.computes == 1 && s.inserts == 1);
  /* A too-small buffer still caches the value. */
  core_key_t k2 = key_of(6);
  ERR(CORE_E_BUFFER_TOO_SMALL, "core_cache_get_or_compute",
      core_cache_get_or_compute(c, &k2, compute, &j, out, 2, &n, NULL, NULL));
  cr_assert_eq(n, 6);
  OK(core_cache_get(c, &k2, out, 6, &n, NULL, NULL));
  core_cache_destroy(c);
}

typedef struct caller {
  core_cache_t *cache;
  job *j;
  core_key_t key;
  core_status st;
  float out[6];
  size_t n;
} caller;

static void *run_caller(void *arg) {
  caller *c = arg;
  c->st = core_cache_get_or_compute(c->cache, &c->key, compute, c->j, c->out, 6, &c->n, NULL,
                                    NULL);
  return NULL;
}

/* Eight threads ask for one key while the first computation sleeps. */
static void race(core_cache_t *cache, job *j, caller *cs, int count) {
  pthread_t t[16];
  cs[0].cache = cache;
  cs[0].j = j;
  cs[0].key = key_of(77);
  pthread_create(&t[0], NULL, run_caller, &cs[0]);
  while (!atomic_load(&j->started)) usleep(100);
  for (int i = 1; i < count; ++i) {
    cs[i].cache = cache;
    cs[i].j = j;
    cs[i].key = key_of(77);
    pthread_create(&t[i], NULL, run_caller, &cs[i]);
  }
  for (int i = 0; i < count; ++i) pthread_join(t[i], NULL);
}

Test(cache_compute, single_flight_across_threads) {
  core_cache_t *c = cache_make(16, 0, 0, NULL);
  job j = {0};
  j.sleep_us = 200000;
  caller cs[8];
  memset(cs, 0, sizeof cs);
  race(c, &j, cs, 8);
  cr_assert_eq(atomic_load(&j.calls), 1, "the callback ran %d times", atomic_load(&j.calls));
  for (int i = 0; i < 8; ++i) {
    cr_assert_eq(cs[i].st, CORE_OK, "caller %d: %s", i, core_status_str(cs[i].st));
    cr_assert_eq(cs[i].n, 6);
    cr_assert(memcmp(cs[i].out, cs[0].out, sizeof cs[0].out) == 0);
  }
  core_cache_stats_t s = stats_of(c);
  cr_assert_eq(s.computes, 1);
  cr_assert_eq(s.misses + s.hits, 8);
  cr_assert_eq(s.compute_waits + s.hits, 7, "waits %llu hits %llu",
               (unsigned long long)s.compute_waits, (unsigned long long)s.hits);
  core_cache_destroy(c);
}

Test(cache_compute, failure_reaches_every_waiter) {
  core_cache_t *c = cache_make(16, 0, 0, NULL);
  put_value(c, 1, 4);
  job j = {0};
  j.sleep_us = 200000;
  j.fail_with = CORE_E_UNAVAILABLE;
  caller cs[6];
  memset(cs, 0, sizeof cs);
  race(c, &j, cs, 6);
  cr_assert_eq(atomic_load(&j.calls), 1);
  for (int i = 0; i < 6; ++i)
    cr_assert_eq(cs[i].st, CORE_E_UNAVAILABLE, "caller %d: %s", i, core_status_str(cs[i].st));
  int found = 1;
  core_key_t k = key_of(77);
  OK(core_cache_contains(c, &k, &found));
  cr_assert_eq(found, 0, "a failed computation cached something");
  cr_assert(has_value(c, 1, 4), "a failed computation lost an entry");
  core_cache_stats_t s = stats_of(c);
  cr_assert_eq(s.compute_failures, 1);
  cr_assert_eq(s.entries, 1);
  /* The message on this thread names the function and the status. */
  float out[6];
  size_t n;
  j.sleep_us = 0;
  ERRMSG(CORE_E_UNAVAILABLE, "core_cache_get_or_compute", "CORE_E_UNAVAILABLE",
         core_cache_get_or_compute(c, &k, compute, &j, out, 6, &n, NULL, NULL));
  /* Any other failure status passes through as it is. */
  j.fail_with = CORE_E_IO;
  cr_assert_eq(core_cache_get_or_compute(c, &k, compute, &j, out, 6, &n, NULL, NULL), CORE_E_IO);
  /* The next call computes again, and succeeds. */
  j.fail_with = 0;
  OK(core_cache_get_or_compute(c, &k, compute, &j, out, 6, &n, NULL, NULL));
  core_cache_destroy(c);
}

Test(cache_compute, callback_misuse) {
  core_cache_t *c = cache_make(16, 0, 0, NULL);
  float out[6];
  size_t n;
  core_key_t k = key_of(3);
  job j = {0};
  j.skip_put = 1;
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_get_or_compute", "without calling",
         core_cache_get_or_compute(c, &k, compute, &j, out, 6, &n, NULL, NULL));
  /* Nested call for the same key: an error, not a deadlock. */
  job nj = {0};
  nj.cache = c;
  OK(core_cache_get_or_compute(c, &k, compute, &nj, out, 6, &n, NULL, NULL));
  cr_assert_eq(nj.nested, CORE_E_INVALID_ARGUMENT);
  cr_assert_eq(atomic_load(&nj.calls), 1);
  core_cache_stats_t s = stats_of(c);
  cr_assert_eq(s.entries, 1);
  cr_assert_eq(s.compute_failures, 1);
  core_cache_destroy(c);
}

static core_cache_writer_t *kept;
static core_status put_twice(void *user, const core_key_t *key, core_cache_writer_t *w) {
  (void)key;
  core_status *second = user;
  float v[4] = {1, 2, 3, 4};
  const size_t bad_shape[2] = {3, 3};
  core_status st = core_cache_writer_put(w, v, 4, bad_shape, 2);
  cr_expect_eq(st, CORE_E_INVALID_ARGUMENT, "bad shape -> %s", core_status_str(st));
  cr_expect(tu_message_has("core_cache_writer_put"));
  st = core_cache_writer_put(w, NULL, 4, NULL, 0);
  cr_expect_eq(st, CORE_E_INVALID_ARGUMENT);
  st = core_cache_writer_put(w, v, 4, NULL, 0);
  if (st != CORE_OK) return st;
  *second = core_cache_writer_put(w, v, 4, NULL, 0);
  kept = w;
  return CORE_OK;
}

Test(cache_compute, writer_rules) {
  core_cache_t *c = cache_make(16, 0, 0, NULL);
  core_status second = CORE_OK;
  float out[4], v[4] = {0};
  size_t n;
  core_key_t k = key_of(9);
  OK(core_cache_get_or_compute(c, &k, put_twice, &second, out, 4, &n, NULL, NULL));
  cr_assert_eq(second, CORE_E_INVALID_ARGUMENT, "a second put must fail");
  cr_assert(out[3] == 4.0f);
  ERRMSG(CORE_E_INVALID_ARGUMENT, "core_cache_writer_put", "writer is NULL",
         core_cache_writer_put(NULL, v, 4, NULL, 0));
  (void)kept; /* its stack frame is gone: using it is undefined, not tested */
  core_cache_destroy(c);
}

static core_status too_big(void *user, const core_key_t *key, core_cache_writer_t *w) {
  (void)user;
  (void)key;
  static float v[4096];
  return core_cache_writer_put(w, v, 4096, NULL, 0);
}

Test(cache_compute, value_too_large_fails_cleanly) {
  core_cache_t *c = cache_make(0, 4000, 0, NULL);
  put_value(c, 1, 4);
  float out[8];
  size_t n;
  core_key_t k = key_of(2);
  ERRMSG(CORE_E_FULL, "core_cache_get_or_compute", "CORE_E_FULL",
         core_cache_get_or_compute(c, &k, too_big, NULL, out, 8, &n, NULL, NULL));
  cr_assert(has_value(c, 1, 4));
  core_cache_destroy(c);
}
