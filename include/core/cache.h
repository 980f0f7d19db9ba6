/*
 * libcore cache module: the encoder cache, a bounded LRU of float32 tensors
 * keyed by 128-bit XXH3 digests of their input.
 *
 * Conventions (see core.h for the ones shared by every header):
 *
 *  1. Threads. Every call on a cache may run on any number of threads at
 *     once, except core_cache_destroy, which must not run concurrently with
 *     any other call on the same cache (nor while a get_or_compute callback
 *     of that cache is still running). The key functions touch no cache and
 *     are safe anywhere.
 *  2. Keys. A core_key_t is a 128-bit digest. core_cache_key_bytes is plain
 *     XXH3-128 (seed 0) of the bytes, the value any xxhash binding gives.
 *     core_cache_key_audio quantizes the samples the way NumPy's
 *     np.round(x, decimals) does on float32 (round half to even) and hashes
 *     them together with their count and the decimals; see its comment.
 *     Hashing runs the best code for the CPU at hand (AVX-512, AVX2 or
 *     portable), chosen once per process; every path gives the same key.
 *     Keys are computed from native-endian floats: they are stable across
 *     little-endian machines, which is every machine libcore targets.
 *  3. Values. A value is a float32 tensor of n > 0 elements and 1 to
 *     CORE_CACHE_MAX_DIMS dimensions whose product is n. put copies the
 *     caller's data in; get copies it out into a caller buffer. The cache
 *     never keeps a caller pointer.
 *  4. Shards. The cache is split into `shards` parts by key (a power of two),
 *     each with its own lock, its own LRU list and its own share of the
 *     bounds: max_entries and max_bytes are divided evenly between shards
 *     (the first shards take the remainders), and each shard evicts its own
 *     least recently used entries. So the bounds hold globally (the totals
 *     never exceed them), while LRU order is exact within a shard and
 *     approximate across shards. With shards = 1 the cache is one exact
 *     LRU. The default (shards = 0) picks up to 16 shards while keeping at
 *     least 64 entries per shard, so small caches are one exact LRU (with
 *     max_entries 0, 16 shards: each value must fit max_bytes / 16).
 *  5. Bytes. An entry costs core_cache_entry_bytes(n) bytes: 4 * n of data
 *     plus a fixed per-entry overhead (CORE_CACHE_ENTRY_OVERHEAD: the entry
 *     header with key, shape, LRU and TTL links, its hash-table node and
 *     bucket, and the allocator's headers). max_bytes bounds the sum of
 *     these. A value whose entry is larger than its shard's share of
 *     max_bytes can never be stored: put returns CORE_E_FULL and evicts
 *     nothing.
 *  6. Time. ttl_ms > 0 expires an entry ttl_ms after it was written (expire
 *     after write; a get does not extend it). Time comes from
 *     options.clock (milliseconds), or by default from the wall clock
 *     (CLOCK_REALTIME), so the write times stored by core_cache_save stay
 *     meaningful after a restart. An expired entry is never returned; it is
 *     removed (and counted in `expirations`) when it is touched, and every
 *     put or stats call also sweeps the shard's entries that expired,
 *     oldest first.
 *  7. Statistics. Counters are per cache and exact (kept under the shard
 *     locks). get, get_or_compute: one hit or one miss each. A lookup that
 *     fails with CORE_E_BUFFER_TOO_SMALL counts as neither and does not
 *     refresh the entry. contains, remove, clear, save and load count no
 *     hit or miss.
 *  8. Errors. Every error writes a message for core_last_error_message(),
 *     and a failed call leaves the cache's entries exactly as they were
 *     (the only exception: an expired entry found on the way is removed).
 */
#ifndef CORE_CACHE_H
#define CORE_CACHE_H

#include "core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A 128-bit key: the XXH3-128 digest (lo = low64, hi = high64). Plain
 * value type; compare both words. Since 0.1. */
typedef struct core_key_t {
  uint64_t lo;
  uint64_t hi;
} core_key_t;

/* An opaque cache. Created by core_cache_create, released by
 * core_cache_destroy. Any thread (convention 1). */
typedef struct core_cache core_cache_t;

/* The most dimensions a value may have. */
#define CORE_CACHE_MAX_DIMS 4
/* The largest `decimals` accepted by core_cache_key_audio. */
#define CORE_CACHE_MAX_DECIMALS 10
/* The largest number of shards accepted. */
#define CORE_CACHE_MAX_SHARDS 256

/* The clock: milliseconds in any fixed epoch, non-decreasing. `user` is
 * options.clock_user. Called under a shard lock: it must be quick and must
 * not call into the cache. */
typedef uint64_t (*core_cache_clock_fn)(void *user);

struct core_metrics; /* core_metrics_t of metrics.h */

/* Creation options. Fill with core_cache_options_init, then set fields.
 * Fields are only ever appended; struct_size tells the library which
 * layout the caller has. */
typedef struct core_cache_options_t {
  size_t struct_size;  /* sizeof(core_cache_options_t), set by _init */
  size_t max_entries;  /* at most this many entries; 0 = no count bound.
                          Default 4096 */
  size_t max_bytes;    /* at most this many bytes (convention 5); 0 = no
                          byte bound. Default 256 MiB. At least one of the
                          two bounds must be set */
  uint64_t ttl_ms;     /* expire after write; 0 = never (default) */
  size_t shards;       /* a power of two, 1 .. CORE_CACHE_MAX_SHARDS, or 0
                          (default) for automatic (convention 4) */
  core_cache_clock_fn clock; /* NULL (default): CLOCK_REALTIME in ms */
  void *clock_user;    /* passed to clock; borrowed for the cache's life */
  /* ---- appended in 0.1 layout 2 (see CORE_CACHE_OPTIONS_V1_SIZE) ---- */
  struct core_metrics *metrics; /* a core_metrics_t registry (metrics.h) to
                          publish into, or NULL (default): no publishing.
                          Borrowed: it must outlive the cache. See
                          "Publishing metrics" below */
  const char *metrics_prefix; /* the metric names' prefix; NULL (default)
                          means "core_cache". Copied (only read during
                          create); sanitized by the registry */
} core_cache_options_t;

/* The struct_size of the first layout (without metrics and
 * metrics_prefix). core_cache_create accepts it and then publishes nothing:
 * a caller compiled against the older header, which fills struct_size with
 * its own (smaller) sizeof, keeps working. core_cache_options_init writes
 * the current layout (sizeof(core_cache_options_t)): call it only on a
 * struct of the current layout. */
#define CORE_CACHE_OPTIONS_V1_SIZE (offsetof(core_cache_options_t, metrics))

/* Publishing metrics. With options.metrics set, create registers in that
 * registry, under prefix P = options.metrics_prefix (default "core_cache"):
 *   counters P_hits, P_misses, P_inserts, P_evictions, P_expirations,
 *            P_computes, P_compute_failures, P_compute_waits (exported with
 *            the suffix _total, e.g. core_cache_hits_total): the counters of
 *            core_cache_stats_t, added as they happen (one relaxed atomic
 *            add each, next to the exact per-shard counter). They are
 *            monotonic: core_cache_stats_reset does not reset them.
 *   gauges   P_entries, P_bytes: the entries and bytes held, updated as
 *            entries are stored and removed (on put / compute / eviction /
 *            expiry / remove / clear, not on a get hit).
 *   a timer  P_compute (exported as P_compute_seconds): the duration of
 *            each get_or_compute callback, failed ones included.
 * Registration is all or nothing and happens in create: a name that exists
 * in the registry already (another cache with the same prefix, or any
 * metric whose exported series collide) fails with CORE_E_INVALID_ARGUMENT,
 * a registry without room for the 11 metrics with CORE_E_FULL, a prefix
 * that makes a name invalid (too long, see CORE_METRICS_MAX_NAME) with
 * CORE_E_INVALID_ARGUMENT; then no cache is created and nothing is
 * registered. The metrics stay registered after core_cache_destroy (a
 * registry cannot unregister); they then stop changing, and a new cache
 * cannot reuse the prefix in that registry. */

/* Counters of a cache (convention 7). Set struct_size to
 * sizeof(core_cache_stats_t) before calling core_cache_stats: the library
 * fills that many bytes (fields are only ever appended). */
typedef struct core_cache_stats_t {
  size_t struct_size;
  uint64_t hits;        /* lookups that found a live entry */
  uint64_t misses;      /* lookups that did not (expired ones included) */
  uint64_t inserts;     /* entries stored by put, get_or_compute (not load) */
  uint64_t evictions;   /* entries removed to honour the bounds */
  uint64_t expirations; /* entries removed because their TTL passed */
  uint64_t entries;     /* entries held now (after sweeping expired ones) */
  uint64_t bytes;       /* bytes held now, as convention 5 counts them */
  double hit_rate;      /* hits / (hits + misses), 0 when there were none */
  uint64_t computes;    /* callbacks run by get_or_compute */
  uint64_t compute_failures; /* of those, the ones that failed */
  uint64_t compute_waits; /* get_or_compute calls that waited for another
                             thread's computation instead of computing */
} core_cache_stats_t;

/* ---- keys ------------------------------------------------------------------ */

/* Writes XXH3-128 (seed 0) of data[0, len) to *key. len == 0 is allowed
 * (data may then be NULL). CORE_E_INVALID_ARGUMENT for key NULL or data
 * NULL with len > 0. Allocates nothing. Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_cache_key_bytes(const void *data, size_t len,
                                                         core_key_t *key);

/* The key of an audio clip, equal for clips that are equal after rounding.
 * Each sample x becomes q = rint(x * 10^decimals) computed in float32 (the
 * product rounded to float32, then rounded half to even to an integer, as
 * np.round does on float32 arrays before its final division), with -0.0
 * taken as 0.0. The key is XXH3-128 (seed 0) of a 16-byte header (uint64 n,
 * int32 decimals, the 4 bytes "AUD1") followed by the n values q as float32,
 * hashed incrementally in blocks on the stack: nothing is allocated.
 * So for |x| * 10^decimals < 2^24 (all audio in [-1, 1] up to 7 decimals)
 * two clips of the same length get the same key exactly when
 * np.round(clip, decimals) gives equal float32 arrays (0.0 and -0.0 count
 * as equal); beyond that range the key tells apart some clips np.round's
 * float32 division makes equal. Infinities are hashed as values.
 * n == 0 is allowed (samples may then be NULL).
 * CORE_E_INVALID_ARGUMENT for key NULL, samples NULL with n > 0, decimals
 * outside 0 .. CORE_CACHE_MAX_DECIMALS, or a NaN sample (the message gives
 * its index); *key is unchanged on error. Speed: about 17 GB/s of input
 * (3.8 us for 1 s of 16 kHz audio) on the AVX-512 development machine.
 * Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_cache_key_audio(const float *samples, size_t n,
                                                         int decimals, core_key_t *key);

/* ---- life cycle ------------------------------------------------------------ */

/* Fills *opts with the defaults above and sets struct_size.
 * CORE_E_INVALID_ARGUMENT for opts NULL. Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_cache_options_init(core_cache_options_t *opts);

/* Creates a cache and writes it to *out (a new reference: release it with
 * core_cache_destroy). opts is only read and not kept (clock_user is kept
 * as a borrowed pointer, and so is metrics). struct_size may be
 * CORE_CACHE_OPTIONS_V1_SIZE or sizeof(core_cache_options_t).
 * CORE_E_INVALID_ARGUMENT for opts or out NULL, a struct_size smaller than
 * the first layout or between the two layouts, both bounds 0, shards not 0
 * and not a power of two up to CORE_CACHE_MAX_SHARDS, max_entries not 0
 * and below the number of shards (given or automatic: every shard needs
 * room for one entry), metrics not a live
 * registry, or a metric name that is invalid or taken (see "Publishing
 * metrics"); CORE_E_FULL when the registry has no room for the metrics;
 * CORE_E_UNSUPPORTED for a struct_size larger than this library knows;
 * CORE_E_OUT_OF_MEMORY.
 * *out is unchanged on error. Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_cache_create(const core_cache_options_t *opts,
                                                      core_cache_t **out);

/* Releases the cache and every entry. NULL is a no-op. Not concurrently
 * with any other call on the cache (convention 1). Since 0.1. */
CORE_API void core_cache_destroy(core_cache_t *cache);

/* Bytes an entry of n floats counts for against max_bytes: 4 * n +
 * CORE_CACHE_ENTRY_OVERHEAD (SIZE_MAX when that overflows). Any thread.
 * Since 0.1. */
CORE_API size_t core_cache_entry_bytes(size_t n);
/* The fixed per-entry overhead of convention 5, in bytes. */
#define CORE_CACHE_ENTRY_OVERHEAD ((size_t)256)

/* The number of shards the cache uses (its options resolved). 0 for NULL.
 * Any thread. Since 0.1. */
CORE_API size_t core_cache_shards(const core_cache_t *cache);

/* ---- entries ---------------------------------------------------------------- */

/* Stores a copy of data[0, n) with the given shape under *key, replacing
 * any value the key had (its write time restarts). shape may be NULL with
 * ndim 0: the value is then one-dimensional, shape {n}. The entry becomes
 * the most recently used; least recently used entries of its shard are
 * evicted (counted in `evictions`) until the shard's bounds hold.
 * CORE_E_INVALID_ARGUMENT for cache or key NULL, data NULL, n == 0, ndim
 * above CORE_CACHE_MAX_DIMS, shape NULL with ndim > 0, a zero dimension,
 * or a shape whose product is not n; CORE_E_FULL when the entry
 * (core_cache_entry_bytes(n)) is larger than the shard's share of
 * max_bytes (nothing is evicted); CORE_E_OUT_OF_MEMORY. Any thread.
 * Since 0.1. */
CORE_API CORE_NODISCARD core_status core_cache_put(core_cache_t *cache, const core_key_t *key,
                                                   const float *data, size_t n,
                                                   const size_t *shape, size_t ndim);

/* Copies the value of *key to out[0, cap), its element count to *n, and,
 * when shape and ndim are not NULL, its shape to shape[0, ndim) (shape must
 * have room for CORE_CACHE_MAX_DIMS) and its dimension count to *ndim. The
 * entry becomes the most recently used. CORE_E_NOT_FOUND on a miss (no
 * entry, or an expired one, which is removed); CORE_E_BUFFER_TOO_SMALL
 * when cap < the value's n: *n, shape and *ndim receive the value's size
 * and nothing is copied; CORE_E_INVALID_ARGUMENT for cache, key or n NULL,
 * out NULL with cap > 0, or exactly one of shape and ndim NULL. Allocates
 * nothing. Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_cache_get(core_cache_t *cache, const core_key_t *key,
                                                   float *out, size_t cap, size_t *n,
                                                   size_t *shape, size_t *ndim);

/* Writes 1 to *found when *key has a live entry, else 0. Changes no
 * counter and no LRU position (an expired entry is removed).
 * CORE_E_INVALID_ARGUMENT for cache, key or found NULL. Any thread.
 * Since 0.1. */
CORE_API CORE_NODISCARD core_status core_cache_contains(core_cache_t *cache,
                                                        const core_key_t *key, int *found);

/* Removes the entry of *key. CORE_E_NOT_FOUND when there was none (or only
 * an expired one, which is removed); CORE_E_INVALID_ARGUMENT for cache or
 * key NULL. Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_cache_remove(core_cache_t *cache,
                                                      const core_key_t *key);

/* Removes every entry (not counted as evictions; counters are kept).
 * Computations running in get_or_compute still store their value when they
 * finish. CORE_E_INVALID_ARGUMENT for cache NULL. Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_cache_clear(core_cache_t *cache);

/* ---- get or compute (single flight) ---------------------------------------- */

/* What a compute callback delivers its value through. Valid only during
 * the callback that received it; borrowed. */
typedef struct core_cache_writer core_cache_writer_t;

/* Computes the value of *key (borrowed, valid during the call). To succeed
 * it calls core_cache_writer_put(writer, ...) once and returns CORE_OK. Any
 * other core_status is a failure: it is returned as is to the caller and
 * to every caller waiting for this computation, and nothing is cached.
 * Return only core_status values: libcore is C++, where an enum holding a
 * value outside its range is undefined behaviour (UBSan reports it).
 * (A binding maps its exceptions or errors to a status here.) It runs on
 * the thread of the get_or_compute call that found the miss first, with no
 * lock held: it may use the cache, except get_or_compute of the same key,
 * which fails with CORE_E_INVALID_ARGUMENT instead of deadlocking. */
typedef core_status (*core_cache_compute_fn)(void *user, const core_key_t *key,
                                             core_cache_writer_t *writer);

/* Delivers the computed value: data[0, n) with a shape, checked as in
 * core_cache_put (shape NULL with ndim 0 is one-dimensional). The data is
 * copied; the caller keeps its buffer. CORE_E_INVALID_ARGUMENT for writer
 * NULL or used after its callback returned (when detectable), a second
 * put, or a bad value; CORE_E_FULL when the entry cannot fit the cache
 * (convention 5); CORE_E_OUT_OF_MEMORY. The callback should return the
 * status of a failed put. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_cache_writer_put(core_cache_writer_t *writer,
                                                          const float *data, size_t n,
                                                          const size_t *shape, size_t ndim);

/* get, or on a miss compute the value with fn(user, key, writer), store it
 * and return it; out, cap, n, shape, ndim as in core_cache_get. Concurrent
 * calls for one key compute once: the first caller runs fn, the others
 * wait for it and then copy its value (or get its failure). When fn fails
 * (returns non-zero) every caller of that computation gets that status and
 * nothing is cached; when fn returns CORE_OK without calling
 * core_cache_writer_put they get CORE_E_INVALID_ARGUMENT. When cap is too
 * small the value is still cached and CORE_E_BUFFER_TOO_SMALL gives its
 * size. CORE_E_INVALID_ARGUMENT for cache, key, fn or n NULL, out NULL with
 * cap > 0, exactly one of shape and ndim NULL, or a nested call for the key
 * its own thread is computing. Waiters wait without a time limit: fn must
 * return. Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_cache_get_or_compute(
    core_cache_t *cache, const core_key_t *key, core_cache_compute_fn fn, void *user,
    float *out, size_t cap, size_t *n, size_t *shape, size_t *ndim);

/* ---- statistics --------------------------------------------------------------- */

/* Fills out->struct_size bytes of *out (set struct_size first) after
 * sweeping expired entries. CORE_E_INVALID_ARGUMENT for cache or out NULL,
 * or out->struct_size smaller than the 0.1 layout. Any thread; the figures
 * of different shards are read one shard after another. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_cache_stats(core_cache_t *cache,
                                                     core_cache_stats_t *out);

/* Zeroes hits, misses, inserts, evictions, expirations and the compute
 * counters (entries and bytes describe the contents and stay).
 * CORE_E_INVALID_ARGUMENT for cache NULL. Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_cache_stats_reset(core_cache_t *cache);

/* ---- persistence ---------------------------------------------------------------- */

/* The version of the file format core_cache_save writes. */
#define CORE_CACHE_FILE_VERSION 1

/* Writes every live entry (key, write time, shape, data) to path, with the
 * format version and an XXH3-64 checksum of the whole file. Atomic: the
 * data goes to a temporary file beside path, is fsync'ed and renamed over
 * path, and the folder is fsync'ed; a failure leaves path as it was. Each
 * shard is locked while its entries are written (other shards stay
 * usable). CORE_E_INVALID_ARGUMENT for cache or path NULL or an empty path;
 * CORE_E_IO when the file cannot be written (for example a missing
 * folder: the message has the system's reason). The file gets mode 0600
 * (mkstemp's). Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_cache_save(core_cache_t *cache, const char *path);

/* Reads a file written by core_cache_save and stores its entries (keeping
 * their write times, so the TTL counts from the original write; entries
 * already expired are dropped). Entries replace live ones with the same
 * key; bounds are applied as by put (evictions counted), and an entry
 * larger than its shard's share of max_bytes is skipped. The whole file is
 * read and verified before the cache is touched: CORE_E_FORMAT for an
 * empty, truncated or corrupt file, a bad checksum, or another format
 * version, leaving the cache unchanged. CORE_E_IO when the file cannot be
 * opened or read; CORE_E_INVALID_ARGUMENT for cache or path NULL;
 * CORE_E_OUT_OF_MEMORY (before the cache is touched, or, rarely, while
 * storing, when part of the file may be loaded). Any thread. Since 0.1. */
CORE_API CORE_NODISCARD core_status core_cache_load(core_cache_t *cache, const char *path);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CORE_CACHE_H */
