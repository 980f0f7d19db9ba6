/* Out-of-memory scenarios of cache.h: create (alone and publishing into a
 * registry), put (new key with an eviction, replacing a key),
 * get_or_compute with its writer, save and load; and the lookups,
 * documented allocation-free. cache.h convention 8: a failed call leaves
 * the entries exactly as they were (load excepted: "rarely, while storing,
 * part of the file may be loaded"). A fixed clock keeps files and write
 * times the same from run to run. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "oom.h"

#define NKEYS 6

typedef struct cache_ctx {
  core_cache_options_t o;
  core_cache_t *c, *src;
  core_metrics_t *m;
  int out_written;
  core_key_t keys[NKEYS];
  char path[512];
  float value[64];
} cache_ctx;

static uint64_t fixed_clock(void *user) {
  (void)user;
  return 1700000000000ull;
}

static core_key_t key_of(int i) {
  core_key_t k;
  char text[32];
  snprintf(text, sizeof text, "oom-key-%d", i);
  OOM_OK(core_cache_key_bytes(text, strlen(text), &k));
  return k;
}

static void value_of(int i, float *v, size_t n) {
  for (size_t j = 0; j < n; ++j) v[j] = (float)i + (float)j / 64.0f;
}

static void base_options(cache_ctx *x, size_t max_entries, size_t shards) {
  OOM_OK(core_cache_options_init(&x->o));
  x->o.max_entries = max_entries;
  x->o.shards = shards;
  x->o.clock = fixed_clock;
  for (int i = 0; i < NKEYS; ++i) x->keys[i] = key_of(i);
}

/* Puts keys [0, n) with values of 6 floats shaped 2 x 3. */
static void put_keys(core_cache_t *c, cache_ctx *x, int n) {
  static const size_t shape[2] = {2, 3};
  float v[6];
  for (int i = 0; i < n; ++i) {
    value_of(i, v, 6);
    OOM_OK(core_cache_put(c, &x->keys[i], v, 6, shape, 2));
  }
}

/* The entries: which keys are there, their values and shapes. */
static void entries(core_cache_t *c, cache_ctx *x, oom_fp *fp) {
  core_cache_stats_t st;
  st.struct_size = sizeof st;
  OOM_OK(core_cache_stats(c, &st));
  fp_add(fp, "entries=%llu bytes=%llu ", (unsigned long long)st.entries,
         (unsigned long long)st.bytes);
  for (int i = 0; i < NKEYS; ++i) {
    int found = 0;
    OOM_OK(core_cache_contains(c, &x->keys[i], &found));
    if (!found) continue;
    float v[64];
    size_t n = 0, shape[CORE_CACHE_MAX_DIMS], ndim = 0;
    OOM_OK(core_cache_get(c, &x->keys[i], v, 64, &n, shape, &ndim));
    fp_add(fp, "k%d:n=%zu,ndim=%zu,", i, n, ndim);
    fp_hash(fp, "v", v, n * sizeof(float));
  }
}

/* ---- create ---- */

static void setup_create(void *c) { base_options(c, 1000, 0); }
static void setup_create_metrics(void *c) {
  cache_ctx *x = c;
  base_options(x, 1000, 4);
  OOM_OK(core_metrics_create(NULL, &x->m));
  core_metric_id_t id;
  OOM_OK(core_metrics_gauge(x->m, "other.level", NULL, NULL, 0, &id));
  x->o.metrics = x->m;
  x->o.metrics_prefix = "oom_cache";
}

static core_status op_create(void *c) {
  cache_ctx *x = c;
  core_cache_t *out = OOM_SENTINEL;
  const core_status st = core_cache_create(&x->o, &out);
  if (st == CORE_OK) x->c = out;
  else x->out_written = out != OOM_SENTINEL;
  return st;
}

static void result_create(void *c, oom_fp *fp) {
  cache_ctx *x = c;
  put_keys(x->c, x, 3);
  fp_add(fp, "shards=%zu ", core_cache_shards(x->c));
  entries(x->c, x, fp);
  if (x->m) {
    core_metric_id_t id;
    double g = 0;
    OOM_OK(core_metrics_find(x->m, "oom_cache_entries", &id, NULL));
    OOM_OK(core_metrics_gauge_get(x->m, id, &g));
    fp_add(fp, "metrics=%zu published_entries=%g", core_metrics_count(x->m), g);
  }
}

static void state_create(void *c, oom_fp *fp) {
  cache_ctx *x = c;
  fp_add(fp, "out_written=%d", x->out_written);
  if (x->m) fp_add(fp, " metrics=%zu", core_metrics_count(x->m));
}

static void teardown(void *c) {
  cache_ctx *x = c;
  core_cache_destroy(x->c);
  core_cache_destroy(x->src);
  core_metrics_destroy(x->m);
  if (x->path[0]) unlink(x->path);
}

/* ---- put ---- */

/* One shard of 4 entries, full: the put evicts the oldest. */
static void setup_put(void *c) {
  cache_ctx *x = c;
  base_options(x, 4, 1);
  OOM_OK(core_cache_create(&x->o, &x->c));
  put_keys(x->c, x, 4);
}

static core_status op_put_new(void *c) {
  cache_ctx *x = c;
  value_of(40, x->value, 48);
  return core_cache_put(x->c, &x->keys[5], x->value, 48, NULL, 0);
}

static core_status op_put_replace(void *c) {
  cache_ctx *x = c;
  static const size_t shape[3] = {2, 2, 3};
  value_of(41, x->value, 12);
  return core_cache_put(x->c, &x->keys[1], x->value, 12, shape, 3);
}

static void result_entries(void *c, oom_fp *fp) {
  cache_ctx *x = c;
  entries(x->c, x, fp);
}

/* ---- get_or_compute ---- */

static core_status compute(void *user, const core_key_t *key, core_cache_writer_t *w) {
  (void)key;
  cache_ctx *x = user;
  static const size_t shape[2] = {4, 8};
  value_of(7, x->value, 32);
  return core_cache_writer_put(w, x->value, 32, shape, 2);
}

static void setup_compute(void *c) {
  cache_ctx *x = c;
  base_options(x, 64, 1);
  OOM_OK(core_cache_create(&x->o, &x->c));
  put_keys(x->c, x, 2);
}

static core_status op_compute(void *c) {
  cache_ctx *x = c;
  float out[32];
  size_t n = 0, shape[CORE_CACHE_MAX_DIMS], ndim = 0;
  const core_status st =
      core_cache_get_or_compute(x->c, &x->keys[4], compute, x, out, 32, &n, shape, &ndim);
  if (st == CORE_OK && (n != 32 || ndim != 2 || memcmp(out, x->value, sizeof out) != 0))
    return CORE_E_INTERNAL; /* the value handed back is not the computed one */
  return st;
}

/* ---- save / load ---- */

static void setup_save(void *c) {
  cache_ctx *x = c;
  base_options(x, 64, 2);
  OOM_OK(core_cache_create(&x->o, &x->c));
  put_keys(x->c, x, 5);
  snprintf(x->path, sizeof x->path, "%s/save.lcc", oom_tmpdir());
  unlink(x->path);
}

static core_status op_save(void *c) {
  cache_ctx *x = c;
  return core_cache_save(x->c, x->path);
}

/* The file's bytes, and how many files the folder holds (a temporary file
 * that a failed save left behind would show). opendir's allocation is
 * freed by closedir: the live-block count is unaffected. */
static void file_state(cache_ctx *x, oom_fp *fp) {
  static unsigned char bytes[8192];
  const int fd = open(x->path, O_RDONLY);
  if (fd < 0) {
    fp_add(fp, "file=absent ");
  } else {
    const ssize_t n = read(fd, bytes, sizeof bytes);
    close(fd);
    fp_hash(fp, "file", bytes, n > 0 ? (size_t)n : 0);
  }
  int files = 0;
  DIR *d = opendir(oom_tmpdir());
  OOM_TRUE(d != NULL);
  for (struct dirent *e; (e = readdir(d)) != NULL;)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) ++files;
  closedir(d);
  fp_add(fp, "files=%d", files);
}

static void result_save(void *c, oom_fp *fp) {
  cache_ctx *x = c;
  file_state(x, fp);
}

static void state_save(void *c, oom_fp *fp) { file_state(c, fp); }

/* A file of 5 entries saved from another cache; the target holds 1 entry
 * that the load replaces (key 0) and 1 it keeps (key 5). */
static void setup_load(void *c) {
  cache_ctx *x = c;
  base_options(x, 64, 2);
  OOM_OK(core_cache_create(&x->o, &x->src));
  put_keys(x->src, x, 5);
  snprintf(x->path, sizeof x->path, "%s/load.lcc", oom_tmpdir());
  OOM_OK(core_cache_save(x->src, x->path));
  core_cache_destroy(x->src);
  x->src = NULL;
  OOM_OK(core_cache_create(&x->o, &x->c));
  value_of(50, x->value, 10);
  OOM_OK(core_cache_put(x->c, &x->keys[0], x->value, 10, NULL, 0));
  OOM_OK(core_cache_put(x->c, &x->keys[5], x->value, 10, NULL, 0));
}

static core_status op_load(void *c) {
  cache_ctx *x = c;
  return core_cache_load(x->c, x->path);
}

/* ---- lookups: no allocation (cache.h: get "Allocates nothing", keys) ---- */

static core_status op_lookup(void *c) {
  cache_ctx *x = c;
  float out[64], audio[480];
  size_t n = 0, shape[CORE_CACHE_MAX_DIMS], ndim = 0;
  core_key_t k;
  int found = 0;
  core_status st;
  for (int i = 0; i < 480; ++i) audio[i] = (float)i / 480.0f - 0.5f;
  if ((st = core_cache_key_audio(audio, 480, 4, &k)) != CORE_OK) return st;
  if ((st = core_cache_key_bytes(audio, sizeof audio, &k)) != CORE_OK) return st;
  if ((st = core_cache_get(x->c, &x->keys[2], out, 64, &n, shape, &ndim)) != CORE_OK) return st;
  if ((st = core_cache_contains(x->c, &x->keys[3], &found)) != CORE_OK) return st;
  return core_cache_get(x->c, &k, out, 64, &n, NULL, NULL) == CORE_E_NOT_FOUND ? CORE_OK
                                                                                : CORE_E_INTERNAL;
}

/* save and load ask stdio for a large buffer (setvbuf); when glibc cannot
 * allocate it, setvbuf fails (the result is ignored) and the stream works
 * unbuffered: the same bytes, more system calls. */
static const char kStdioWhy[] =
    "stdio's buffer refused: setvbuf fails and the file is read or written unbuffered";

static const oom_scenario kCache[] = {
    {.name = "cache_create", .fn = "core_cache_create", .expect = OOM_SOME,
     .flags = OOM_UNCHANGED, .setup = setup_create, .op = op_create, .result = result_create,
     .state = state_create, .teardown = teardown},
    {.name = "cache_create_metrics", .fn = "core_cache_create", .expect = OOM_SOME,
     .flags = OOM_UNCHANGED, .setup = setup_create_metrics, .op = op_create,
     .result = result_create, .state = state_create, .teardown = teardown},
    {.name = "cache_put", .fn = "core_cache_put", .expect = OOM_SOME, .flags = OOM_UNCHANGED,
     .setup = setup_put, .op = op_put_new, .result = result_entries, .state = result_entries,
     .teardown = teardown},
    {.name = "cache_put_replace", .fn = "core_cache_put", .expect = OOM_SOME,
     .flags = OOM_UNCHANGED, .setup = setup_put, .op = op_put_replace,
     .result = result_entries, .state = result_entries, .teardown = teardown},
    {.name = "cache_get_or_compute", .fn = "core_cache_get_or_compute",
     .also = {"core_cache_writer_put"}, .expect = OOM_SOME, .flags = OOM_UNCHANGED,
     .setup = setup_compute, .op = op_compute, .result = result_entries,
     .state = result_entries, .teardown = teardown},
    {.name = "cache_save", .fn = "core_cache_save", .expect = OOM_SOME,
     .flags = OOM_UNCHANGED | OOM_ABSORBS, .why = kStdioWhy, .setup = setup_save, .op = op_save,
     .result = result_save, .state = state_save,
     .teardown = teardown},
    {.name = "cache_load", .fn = "core_cache_load", .expect = OOM_SOME, .flags = OOM_ABSORBS,
     .why = kStdioWhy, .setup = setup_load,
     .op = op_load, .result = result_entries, .teardown = teardown},
    {.name = "cache_get_key_contains", .fn = "core_cache_get",
     .also = {"core_cache_key_audio", "core_cache_contains"}, .expect = OOM_NONE,
     .setup = setup_put, .op = op_lookup, .result = result_entries, .teardown = teardown},
};

const oom_module oom_cache_module = {"cache", kCache, sizeof kCache / sizeof kCache[0]};
