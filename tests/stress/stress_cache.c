/* Two-thread stress test of the cache (cache.h): both threads run 90% get
 * and 10% put over 100k keys on a sharded cache large enough to hold them
 * all (so nothing may disappear). Thread t writes only the keys with
 * id % 2 == t, each put carrying a new version; a value's 16 floats all
 * derive from (id, version), so a torn or mixed copy is caught. Checks:
 *   - every get hits and returns a consistent value of its key
 *   - a thread reading its own key sees exactly the version it last wrote
 *     (no lost update)
 *   - a thread reading the other's key never sees a version older than one
 *     it saw before (per-key linearizability)
 *   - at the end every key holds its owner's last version
 * Every 1024th operation of thread 0 is a get_or_compute (a hit here).
 *
 * usage: stress_cache [OPS_PER_THREAD]   (default 2e6; accepts 1e6 style)
 * Exit 0 when every check holds, 1 otherwise. Built against libcore.so by
 * meson (suite "stress") and from the cache sources with -fsanitize=thread
 * by tsan.sh. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <core/core.h>

#define KEYS 100000
#define VLEN 16

static core_cache_t *cache;
static core_key_t keys[KEYS];
static atomic_int failed;

static void fill(float *v, uint32_t id, uint32_t version) {
  v[0] = (float)id;
  v[1] = (float)version;
  for (uint32_t j = 2; j < VLEN; ++j) v[j] = (float)((id * 31u + version * 7u + j) % 1000003u);
}

static int consistent(const float *v, uint32_t id, uint32_t *version) {
  if (v[0] != (float)id) return 0;
  *version = (uint32_t)v[1];
  float want[VLEN];
  fill(want, id, *version);
  return memcmp(v, want, sizeof want) == 0;
}

static void fail(const char *what, uint32_t id, uint32_t a, uint32_t b) {
  if (atomic_fetch_add(&failed, 1) < 10)
    fprintf(stderr, "FAIL: %s (key %u: %u vs %u)\n", what, id, a, b);
}

static core_status no_compute(void *u, const core_key_t *k, core_cache_writer_t *w) {
  (void)u, (void)k, (void)w;
  return CORE_E_INTERNAL; /* every key is present: never called */
}

typedef struct worker {
  int t;
  uint64_t ops;
  uint32_t *mine;  /* last version written, own keys */
  uint32_t *seen;  /* highest version seen, other keys */
} worker;

static void *run(void *arg) {
  worker *w = arg;
  uint64_t s = 0x9e3779b97f4a7c15ull * (uint64_t)(w->t + 1);
  float v[VLEN];
  for (uint64_t i = 0; i < w->ops && atomic_load_explicit(&failed, memory_order_relaxed) == 0;
       ++i) {
    s ^= s << 13, s ^= s >> 7, s ^= s << 17; /* xorshift64 */
    uint32_t id = (uint32_t)(s % KEYS);
    const int put = (s >> 32) % 10 == 0;
    if (put) {
      id = (id & ~1u) | (uint32_t)w->t; /* own keys only */
      if (id >= KEYS) id -= 2;
      const uint32_t ver = ++w->mine[id];
      fill(v, id, ver);
      core_status st = core_cache_put(cache, &keys[id], v, VLEN, NULL, 0);
      if (st != CORE_OK) fail(core_last_error_message(), id, st, 0);
      continue;
    }
    size_t n = 0;
    core_status st = (w->t == 0 && (i & 1023) == 0)
        ? core_cache_get_or_compute(cache, &keys[id], no_compute, NULL, v, VLEN, &n, NULL, NULL)
        : core_cache_get(cache, &keys[id], v, VLEN, &n, NULL, NULL);
    uint32_t ver = 0;
    if (st != CORE_OK) {
      fail("get missed a key that must be there", id, (uint32_t)st, 0);
    } else if (n != VLEN || !consistent(v, id, &ver)) {
      fail("torn or foreign value", id, (uint32_t)v[0], (uint32_t)n);
    } else if (id % 2 == (uint32_t)w->t) {
      if (ver != w->mine[id]) fail("lost update: own key", id, ver, w->mine[id]);
    } else {
      if (ver < w->seen[id]) fail("version went backwards", id, ver, w->seen[id]);
      w->seen[id] = ver;
    }
  }
  return NULL;
}

int main(int argc, char **argv) {
  const uint64_t ops = argc > 1 ? (uint64_t)strtod(argv[1], NULL) : 2000000u;
  core_cache_options_t o;
  if (core_cache_options_init(&o) != CORE_OK) return 1;
  o.max_entries = 2 * KEYS; /* per-shard shares must hold every key */
  o.max_bytes = 0;
  o.shards = 16;
  if (core_cache_create(&o, &cache) != CORE_OK) {
    fprintf(stderr, "create: %s\n", core_last_error_message());
    return 1;
  }
  float v[VLEN];
  for (uint32_t id = 0; id < KEYS; ++id) {
    uint64_t x = id;
    if (core_cache_key_bytes(&x, sizeof x, &keys[id]) != CORE_OK) return 1;
    fill(v, id, 0);
    if (core_cache_put(cache, &keys[id], v, VLEN, NULL, 0) != CORE_OK) return 1;
  }
  worker w[2];
  pthread_t th[2];
  for (int t = 0; t < 2; ++t) {
    w[t].t = t;
    w[t].ops = ops;
    w[t].mine = calloc(KEYS, sizeof(uint32_t));
    w[t].seen = calloc(KEYS, sizeof(uint32_t));
    pthread_create(&th[t], NULL, run, &w[t]);
  }
  for (int t = 0; t < 2; ++t) pthread_join(th[t], NULL);
  /* Every key holds its owner's last version. */
  for (uint32_t id = 0; id < KEYS && atomic_load(&failed) == 0; ++id) {
    size_t n = 0;
    uint32_t ver = 0;
    if (core_cache_get(cache, &keys[id], v, VLEN, &n, NULL, NULL) != CORE_OK ||
        !consistent(v, id, &ver) || ver != w[id % 2].mine[id])
      fail("final value is not the last write", id, ver, w[id % 2].mine[id]);
  }
  core_cache_stats_t s;
  memset(&s, 0, sizeof s);
  s.struct_size = sizeof s;
  if (core_cache_stats(cache, &s) != CORE_OK) return 1;
  printf("stress_cache: 2 threads x %llu ops, %llu hits, %llu misses, %llu inserts, "
         "%llu evictions, %llu entries: %s\n",
         (unsigned long long)ops, (unsigned long long)s.hits, (unsigned long long)s.misses,
         (unsigned long long)s.inserts, (unsigned long long)s.evictions,
         (unsigned long long)s.entries, atomic_load(&failed) ? "FAIL" : "ok");
  if (s.evictions != 0 || s.entries != KEYS) fail("entries were lost", 0, 0, 0);
  core_cache_destroy(cache);
  for (int t = 0; t < 2; ++t) free(w[t].mine), free(w[t].seen);
  return atomic_load(&failed) ? 1 : 0;
}
