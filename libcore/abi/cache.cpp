// extern "C" entry points of cache.h: argument checks and messages, then
// the module (libcore/cache/). Module failures come back as a status plus
// an Error detail, which is turned into the thread-local message here.
#include <core/cache.h>

#include <cstring>

#include "libcore/abi/guard.h"
#include "libcore/cache/cache.h"

namespace {

using core::cache::Cache;
using core::cache::Error;

Cache *unwrap(core_cache_t *c) noexcept { return reinterpret_cast<Cache *>(c); }
const Cache *unwrap(const core_cache_t *c) noexcept { return reinterpret_cast<const Cache *>(c); }
core_cache_t *wrap(Cache *c) noexcept { return reinterpret_cast<core_cache_t *>(c); }

// The layouts of core_cache_options_t a caller may have: the first one
// (before metrics and metrics_prefix) and the current one.
constexpr std::size_t kOptionsV1 = CORE_CACHE_OPTIONS_V1_SIZE;
constexpr std::size_t kOptionsV2 = sizeof(core_cache_options_t);
constexpr std::size_t kStatsV1 = sizeof(core_cache_stats_t);

// The message of a module failure.
core_status report(const char *fn, core_status st, const Error &err) {
  return core::abi::fail(st, fn, "%s", err.message);
}

}  // namespace

#define CORE_REQUIRE_CACHE(cache)                                                      \
  CORE_REQUIRE((cache) != nullptr, "cache is NULL");                                   \
  CORE_REQUIRE(unwrap(cache)->magic == core::cache::kMagic,                            \
               "cache is not a live core_cache_t (already destroyed?)");               \
  Cache &c = *unwrap(cache)

// The output arguments of get and get_or_compute.
#define CORE_REQUIRE_GET_OUT(out, cap, n, shape, ndim)                                 \
  CORE_REQUIRE_OUT(n);                                                                 \
  CORE_REQUIRE_ARRAY(out, cap);                                                        \
  CORE_REQUIRE(((shape) == nullptr) == ((ndim) == nullptr),                            \
               "shape and ndim must both be NULL or both be given (shape %s, ndim %s)",  \
               (shape) ? "given" : "NULL", (ndim) ? "given" : "NULL")

// The value arguments of put and writer_put.
#define CORE_REQUIRE_VALUE(data, n, shape, ndim)                                       \
  CORE_REQUIRE((data) != nullptr, "data is NULL");                                     \
  CORE_REQUIRE_COUNT(data, n); /* a length no array can have: refused, not copied */   \
  do {                                                                                 \
    Error verr_;                                                                       \
    if (core::cache::check_value(n, shape, ndim, &verr_) != CORE_OK)                   \
      return report(core_abi_fn_, verr_.status, verr_);                                \
  } while (0)

namespace {

core_status lookup_failed(const char *fn, core_status st, size_t cap, const size_t *n) {
  if (st == CORE_E_NOT_FOUND) return core::abi::fail(st, fn, "no live entry for the key");
  if (st == CORE_E_BUFFER_TOO_SMALL)
    return core::abi::fail(st, fn, "the value has %zu floats but cap = %zu (*n holds the size)",
                           *n, cap);
  return core::abi::fail(st, fn, "failed");
}

}  // namespace

CORE_API core_status core_cache_key_bytes(const void *data, size_t len, core_key_t *key) {
  CORE_ABI_BEGIN("core_cache_key_bytes")
  CORE_REQUIRE_OUT(key);
  CORE_REQUIRE_ARRAY(data, len);
  core::cache::key_bytes(len != 0 ? data : "", len, key);
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_cache_key_audio(const float *samples, size_t n, int decimals,
                                          core_key_t *key) {
  CORE_ABI_BEGIN("core_cache_key_audio")
  CORE_REQUIRE_OUT(key);
  CORE_REQUIRE_ARRAY(samples, n);
  CORE_REQUIRE(decimals >= 0 && decimals <= CORE_CACHE_MAX_DECIMALS,
               "decimals must be in 0 .. %d, got %d", CORE_CACHE_MAX_DECIMALS, decimals);
  core_key_t k;
  size_t bad = 0;
  if (!core::cache::key_audio(samples, n, decimals, &k, &bad))
    return core::abi::fail(CORE_E_INVALID_ARGUMENT, core_abi_fn_,
                           "samples[%zu] is NaN: NaN audio has no key", bad);
  *key = k;
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_cache_options_init(core_cache_options_t *opts) {
  CORE_ABI_BEGIN("core_cache_options_init")
  CORE_REQUIRE_OUT(opts);
  *opts = core_cache_options_t{};
  opts->struct_size = kOptionsV2;
  opts->max_entries = 4096;
  opts->max_bytes = (size_t)256 << 20;
  opts->ttl_ms = 0;
  opts->shards = 0;
  opts->clock = nullptr;
  opts->clock_user = nullptr;
  opts->metrics = nullptr;
  opts->metrics_prefix = nullptr;
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_cache_create(const core_cache_options_t *opts, core_cache_t **out) {
  CORE_ABI_BEGIN("core_cache_create")
  CORE_REQUIRE_OUT(opts);
  CORE_REQUIRE_OUT(out);
  core_cache_options_t o;
  CORE_READ_OPTIONS(opts, o, core_cache_options_t, core_cache_options_init, kOptionsV1,
                    kOptionsV2);
  CORE_REQUIRE(opts->max_entries != 0 || opts->max_bytes != 0,
               "max_entries and max_bytes are both 0: at least one bound is needed");
  const size_t sh = opts->shards;
  CORE_REQUIRE(sh <= CORE_CACHE_MAX_SHARDS && (sh & (sh - 1)) == 0,
               "shards must be 0 (automatic) or a power of two up to %d, got %zu",
               CORE_CACHE_MAX_SHARDS, sh);
  const size_t eff = sh != 0 ? sh : core::cache::auto_shards(opts->max_entries);
  CORE_REQUIRE(opts->max_entries == 0 || opts->max_entries >= eff,
               "max_entries = %zu is fewer than the %zu shards: every shard needs room for "
               "one entry",
               opts->max_entries, eff);
  // The cache first, the metrics last: registration cannot be undone, so
  // registering first and then failing to allocate the cache left the
  // names taken and refused the caller's retry ("already registered").
  Cache *c = core::cache::create(*opts, nullptr);
  if (opts->metrics != nullptr) {
    core::cache::Pub pub;
    Error err;
    core_status pst;
    try {
      pst = core::cache::publish_register(*opts, &pub, &err);
    } catch (...) {
      core::cache::destroy(c);
      throw;  // CORE_ABI_END reports it
    }
    if (pst != CORE_OK) {
      core::cache::destroy(c);
      return report(core_abi_fn_, err.status, err);
    }
    c->pub = pub;
    for (std::size_t i = 0; i < c->nshards; ++i) c->shards[i].pub = &c->pub;
  }
  *out = wrap(c);
  return CORE_OK;
  CORE_ABI_END
}

CORE_API void core_cache_destroy(core_cache_t *cache) {
  Cache *c = unwrap(cache);
  if (c == nullptr || c->magic != core::cache::kMagic) return;
  core::cache::destroy(c);
}

CORE_API size_t core_cache_entry_bytes(size_t n) { return core::cache::entry_bytes(n); }

CORE_API size_t core_cache_shards(const core_cache_t *cache) {
  const Cache *c = unwrap(cache);
  return c != nullptr && c->magic == core::cache::kMagic ? c->nshards : 0;
}

CORE_API core_status core_cache_put(core_cache_t *cache, const core_key_t *key,
                                    const float *data, size_t n, const size_t *shape,
                                    size_t ndim) {
  CORE_ABI_BEGIN("core_cache_put")
  CORE_REQUIRE_CACHE(cache);
  CORE_REQUIRE_OUT(key);
  CORE_REQUIRE_VALUE(data, n, shape, ndim);
  Error err;
  const core_status st = core::cache::put(c, *key, data, n, shape, ndim, &err);
  return st == CORE_OK ? st : report(core_abi_fn_, st, err);
  CORE_ABI_END
}

CORE_API core_status core_cache_get(core_cache_t *cache, const core_key_t *key, float *out,
                                    size_t cap, size_t *n, size_t *shape, size_t *ndim) {
  CORE_ABI_BEGIN("core_cache_get")
  CORE_REQUIRE_CACHE(cache);
  CORE_REQUIRE_OUT(key);
  CORE_REQUIRE_GET_OUT(out, cap, n, shape, ndim);
  const core_status st = core::cache::get(c, *key, out, cap, n, shape, ndim);
  return st == CORE_OK ? st : lookup_failed(core_abi_fn_, st, cap, n);
  CORE_ABI_END
}

CORE_API core_status core_cache_contains(core_cache_t *cache, const core_key_t *key,
                                         int *found) {
  CORE_ABI_BEGIN("core_cache_contains")
  CORE_REQUIRE_CACHE(cache);
  CORE_REQUIRE_OUT(key);
  CORE_REQUIRE_OUT(found);
  *found = core::cache::contains(c, *key) ? 1 : 0;
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_cache_remove(core_cache_t *cache, const core_key_t *key) {
  CORE_ABI_BEGIN("core_cache_remove")
  CORE_REQUIRE_CACHE(cache);
  CORE_REQUIRE_OUT(key);
  if (!core::cache::remove(c, *key))
    return core::abi::fail(CORE_E_NOT_FOUND, core_abi_fn_, "no live entry for the key");
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_cache_clear(core_cache_t *cache) {
  CORE_ABI_BEGIN("core_cache_clear")
  CORE_REQUIRE_CACHE(cache);
  core::cache::clear(c);
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_cache_writer_put(core_cache_writer_t *writer, const float *data,
                                           size_t n, const size_t *shape, size_t ndim) {
  CORE_ABI_BEGIN("core_cache_writer_put")
  CORE_REQUIRE(writer != nullptr, "writer is NULL");
  CORE_REQUIRE(core::cache::writer_live(writer),
               "writer is not live (used after its callback returned?)");
  CORE_REQUIRE_VALUE(data, n, shape, ndim);
  Error err;
  const core_status st = core::cache::writer_put(writer, data, n, shape, ndim, &err);
  return st == CORE_OK ? st : report(core_abi_fn_, st, err);
  CORE_ABI_END
}

CORE_API core_status core_cache_get_or_compute(core_cache_t *cache, const core_key_t *key,
                                               core_cache_compute_fn fn, void *user,
                                               float *out, size_t cap, size_t *n,
                                               size_t *shape, size_t *ndim) {
  CORE_ABI_BEGIN("core_cache_get_or_compute")
  CORE_REQUIRE_CACHE(cache);
  CORE_REQUIRE_OUT(key);
  CORE_REQUIRE(fn != nullptr, "fn is NULL");
  CORE_REQUIRE_GET_OUT(out, cap, n, shape, ndim);
  Error err;
  const core_status st =
      core::cache::get_or_compute(c, *key, fn, user, out, cap, n, shape, ndim, &err);
  if (st == CORE_OK) return st;
  if (err.status != CORE_OK) return report(core_abi_fn_, st, err);
  return lookup_failed(core_abi_fn_, st, cap, n);
  CORE_ABI_END
}

CORE_API core_status core_cache_stats(core_cache_t *cache, core_cache_stats_t *out) {
  CORE_ABI_BEGIN("core_cache_stats")
  CORE_REQUIRE_CACHE(cache);
  CORE_REQUIRE_OUT(out);
  CORE_REQUIRE(out->struct_size >= kStatsV1,
               "out->struct_size is %zu, smaller than the core_cache_stats_t layout (%zu): set "
               "it to sizeof(core_cache_stats_t)",
               out->struct_size, kStatsV1);
  core::cache::stats(c, out);
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_cache_stats_reset(core_cache_t *cache) {
  CORE_ABI_BEGIN("core_cache_stats_reset")
  CORE_REQUIRE_CACHE(cache);
  core::cache::stats_reset(c);
  return CORE_OK;
  CORE_ABI_END
}

CORE_API core_status core_cache_save(core_cache_t *cache, const char *path) {
  CORE_ABI_BEGIN("core_cache_save")
  CORE_REQUIRE_CACHE(cache);
  CORE_REQUIRE_OUT(path);
  CORE_REQUIRE(path[0] != '\0', "path is empty");
  Error err;
  const core_status st = core::cache::save(c, path, &err);
  return st == CORE_OK ? st : report(core_abi_fn_, st, err);
  CORE_ABI_END
}

CORE_API core_status core_cache_load(core_cache_t *cache, const char *path) {
  CORE_ABI_BEGIN("core_cache_load")
  CORE_REQUIRE_CACHE(cache);
  CORE_REQUIRE_OUT(path);
  CORE_REQUIRE(path[0] != '\0', "path is empty");
  Error err;
  const core_status st = core::cache::load(c, path, &err);
  return st == CORE_OK ? st : report(core_abi_fn_, st, err);
  CORE_ABI_END
}
