/* The encoder cache in the fallback table. Like the ring, the cache is
 * state inside libcore.so (shards, locks, single-flight waits) with no
 * portable copy: options_init fills its struct, entry_bytes is the
 * documented formula, create returns CORE_E_UNAVAILABLE with a message so
 * no handle exists, every call on one refuses the same way, shards answers
 * 0 and destroy does nothing. The key functions refuse too: a key is only
 * good for this cache, and a different hash in the fallback would be worse
 * than none. */
#include <stdint.h>
#include <string.h>

#include "libcore/loader/fallback_util.h"

core_status core_fb_cache_options_init(core_cache_options_t *opts) {
  static const char *const fb_fn = "core_cache_options_init";
  FB_REQUIRE_OUT(opts);
  memset(opts, 0, sizeof *opts);
  opts->struct_size = sizeof *opts;
  opts->max_entries = 4096;
  opts->max_bytes = (size_t)256 << 20;
  return CORE_OK;
}

core_status core_fb_cache_create(const core_cache_options_t *opts, core_cache_t **out) {
  (void)opts;
  if (out != NULL) *out = NULL;
  FB_UNAVAILABLE("core_cache_create", "cache");
}

void core_fb_cache_destroy(core_cache_t *cache) { (void)cache; }

size_t core_fb_cache_entry_bytes(size_t n) {
  return n > (SIZE_MAX - CORE_CACHE_ENTRY_OVERHEAD) / 4 ? SIZE_MAX
                                                        : 4 * n + CORE_CACHE_ENTRY_OVERHEAD;
}

size_t core_fb_cache_shards(const core_cache_t *cache) {
  (void)cache;
  return 0;
}

#define FB_CACHE_STUB(name, ...)                  \
  core_status core_fb_cache_##name(__VA_ARGS__) { \
    FB_UNAVAILABLE("core_cache_" #name, "cache"); \
  }

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#endif
FB_CACHE_STUB(key_bytes, const void *data, size_t len, core_key_t *key)
FB_CACHE_STUB(key_audio, const float *samples, size_t n, int decimals, core_key_t *key)
FB_CACHE_STUB(put, core_cache_t *cache, const core_key_t *key, const float *data, size_t n,
              const size_t *shape, size_t ndim)
FB_CACHE_STUB(get, core_cache_t *cache, const core_key_t *key, float *out, size_t cap,
              size_t *n, size_t *shape, size_t *ndim)
FB_CACHE_STUB(contains, core_cache_t *cache, const core_key_t *key, int *found)
FB_CACHE_STUB(remove, core_cache_t *cache, const core_key_t *key)
FB_CACHE_STUB(clear, core_cache_t *cache)
FB_CACHE_STUB(writer_put, core_cache_writer_t *writer, const float *data, size_t n,
              const size_t *shape, size_t ndim)
FB_CACHE_STUB(get_or_compute, core_cache_t *cache, const core_key_t *key,
              core_cache_compute_fn fn, void *user, float *out, size_t cap, size_t *n,
              size_t *shape, size_t *ndim)
FB_CACHE_STUB(stats, core_cache_t *cache, core_cache_stats_t *out)
FB_CACHE_STUB(stats_reset, core_cache_t *cache)
FB_CACHE_STUB(save, core_cache_t *cache, const char *path)
FB_CACHE_STUB(load, core_cache_t *cache, const char *path)
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
