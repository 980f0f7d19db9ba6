// The cache's state and its internal C++ interface (the extern "C" layer in
// libcore/abi/cache.cpp checks arguments and writes messages; nothing here
// touches the thread-local error: failures carry their detail in an Error).
//
// Files: key.cpp (digest dispatch; key_impl.h is compiled once per CPU
// target by key_base.cpp, key_avx2.cpp, key_avx512.cpp), cache.cpp (create,
// destroy, stats), store.cpp (one shard: hash map, LRU, TTL FIFO, bounds),
// compute.cpp (single-flight get_or_compute), persist.cpp (save, load).
#ifndef LIBCORE_CACHE_CACHE_H
#define LIBCORE_CACHE_CACHE_H

#include <core/cache.h>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace core {
namespace cache {

constexpr std::uint32_t kMagic = 0x43414348;  // "CACH"
constexpr std::uint64_t kNever = UINT64_MAX;

// A failure's status and detail, for the abi layer to report.
struct Error {
  core_status status = CORE_OK;
  char message[300] = "";
  core_status set(core_status st, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
};

// ---- keys (key.cpp) ---------------------------------------------------------
void key_bytes(const void *data, std::size_t len, core_key_t *key) noexcept;
// Returns false (and the index of the first NaN) when a sample is NaN.
bool key_audio(const float *x, std::size_t n, int decimals, core_key_t *key,
               std::size_t *nan_index) noexcept;
// The name of the path chosen for this CPU ("avx512", "avx2", "baseline").
const char *key_target() noexcept;

struct KeyHash {
  std::size_t operator()(const core_key_t &k) const noexcept {
    return static_cast<std::size_t>(k.lo);
  }
};
struct KeyEq {
  bool operator()(const core_key_t &a, const core_key_t &b) const noexcept {
    return a.lo == b.lo && a.hi == b.hi;
  }
};

// ---- entries ------------------------------------------------------------------
// One allocation: this header, then the floats. `refs` counts the shard's
// map (1 while stored) and in-flight computations holding the value; it is
// only changed under the shard's lock.
struct Entry {
  core_key_t key;
  std::uint64_t written = 0;  // clock ms at write
  std::uint64_t expires = kNever;
  std::size_t n = 0;
  std::size_t ndim = 0;
  std::size_t shape[CORE_CACHE_MAX_DIMS] = {0, 0, 0, 0};
  Entry *lru_prev = nullptr, *lru_next = nullptr;  // toward older / newer
  Entry *ttl_prev = nullptr, *ttl_next = nullptr;  // write order
  std::uint32_t refs = 0;
  bool stored = false;
  float *data() noexcept { return reinterpret_cast<float *>(this + 1); }
  const float *data() const noexcept { return reinterpret_cast<const float *>(this + 1); }
};
static_assert(sizeof(Entry) % alignof(float) == 0, "entry data alignment");

// Allocates an entry for n floats (data uninitialised); nullptr when out of
// memory. Frees it with free_entry.
Entry *alloc_entry(std::size_t n) noexcept;
void free_entry(Entry *e) noexcept;
// Checks a value's size and shape; fills e-> n, ndim, shape on success.
core_status check_value(std::size_t n, const std::size_t *shape, std::size_t ndim,
                        Error *err) noexcept;
void set_shape(Entry *e, std::size_t n, const std::size_t *shape, std::size_t ndim) noexcept;
// Bytes counted for an entry of n floats (SIZE_MAX on overflow).
std::size_t entry_bytes(std::size_t n) noexcept;

struct Flight;

// ---- publishing into a metrics registry (publish.cpp) ---------------------------
// What the cache publishes: the counters of Counters, in that order, then
// the gauges, then the compute timer (include/core/cache.h).
enum PubCounter {
  kPubHits, kPubMisses, kPubInserts, kPubEvictions, kPubExpirations,
  kPubComputes, kPubComputeFailures, kPubComputeWaits, kPubCounters
};
// Pointers into the registry's metrics (stable for its life). A shard
// points at its cache's Pub only when publishing is on, so the hot paths
// pay one well-predicted test of a pointer they already have in cache
// when it is off.
struct Pub {
  std::atomic<std::uint64_t> *counter[kPubCounters] = {};
  std::atomic<std::uint64_t> *entries = nullptr, *bytes = nullptr;  // double bits
  void *compute_hist = nullptr;    // core::metrics::Hist
  const void *layout = nullptr;    // core::metrics::Layout
  void add(PubCounter k, std::uint64_t d = 1) const noexcept {
    counter[k]->fetch_add(d, std::memory_order_relaxed);
  }
  void held(double dentries, double dbytes) const noexcept;  // gauge adds
  void compute_ns(std::int64_t ns) const noexcept;          // the timer
};
// Registers the metrics of `opts` (opts.metrics != NULL) in one step; on
// failure nothing is registered and err has the registry's status/message.
core_status publish_register(const core_cache_options_t &opts, Pub *out, Error *err);

struct Counters {
  std::uint64_t hits = 0, misses = 0, inserts = 0, evictions = 0, expirations = 0;
  std::uint64_t computes = 0, compute_failures = 0, compute_waits = 0;
};

// A shard: its own lock, map, LRU list and TTL FIFO, and its share of the
// bounds. Every member below `mu` is guarded by it.
struct alignas(128) Shard {
  std::mutex mu;
  std::unordered_map<core_key_t, Entry *, KeyHash, KeyEq> map;
  std::unordered_map<core_key_t, Flight *, KeyHash, KeyEq> flights;
  Entry *lru_old = nullptr, *lru_new = nullptr;
  Entry *ttl_old = nullptr, *ttl_new = nullptr;
  std::size_t max_entries = 0;  // SIZE_MAX when unbounded
  std::size_t max_bytes = 0;    // SIZE_MAX when unbounded
  std::size_t entries = 0;
  std::size_t bytes = 0;
  Counters c;
  const Pub *pub = nullptr;  // set by create when publishing, else nullptr
};

struct Cache {
  std::uint32_t magic = kMagic;
  std::uint64_t ttl_ms = 0;
  core_cache_clock_fn clock = nullptr;
  void *clock_user = nullptr;
  std::size_t nshards = 1;
  std::size_t shard_mask = 0;
  std::unique_ptr<Shard[]> shards;
  Pub pub;

  Shard &shard_of(const core_key_t &k) noexcept {
    return shards[static_cast<std::size_t>(k.hi >> 40) & shard_mask];
  }
  std::uint64_t now() const noexcept;
};

// ---- life cycle and stats (cache.cpp) -----------------------------------------
// opts has been checked by the abi layer (sizes, bounds, shard count).
// With opts.metrics, `pub` holds the registered metrics (publish_register).
Cache *create(const core_cache_options_t &opts, const Pub *pub);  // throws std::bad_alloc
void destroy(Cache *c) noexcept;
std::size_t auto_shards(std::size_t max_entries) noexcept;
void stats(Cache &c, core_cache_stats_t *out) noexcept;
void stats_reset(Cache &c) noexcept;

// ---- one shard (store.cpp); `l` holds s.mu --------------------------------------
// Looks key up; removes it (and counts an expiration) when expired.
Entry *find_live(Cache &c, Shard &s, const core_key_t &key, std::uint64_t now) noexcept;
// Copies e to the caller's buffers, or CORE_E_BUFFER_TOO_SMALL with the size.
core_status copy_out(const Entry &e, float *out, std::size_t cap, std::size_t *n,
                     std::size_t *shape, std::size_t *ndim) noexcept;
void touch(Shard &s, Entry *e) noexcept;
// Stores e (already filled: key, written, value) replacing any entry of its
// key, evicts to the bounds. The caller has checked that e fits the shard.
// Throws std::bad_alloc (then e is not stored and not freed).
void insert(Cache &c, Shard &s, Entry *e, bool count_insert);
// Removes e from the shard (map, lists, counters) and drops the shard's ref.
void unlink(Shard &s, Entry *e) noexcept;
void release(Entry *e) noexcept;  // drops one ref, frees at zero
void sweep_expired(Cache &c, Shard &s, std::uint64_t now) noexcept;
bool fits(const Shard &s, std::size_t n) noexcept;

// The public operations, arguments already checked.
core_status put(Cache &c, const core_key_t &key, const float *data, std::size_t n,
                const std::size_t *shape, std::size_t ndim, Error *err);
core_status get(Cache &c, const core_key_t &key, float *out, std::size_t cap, std::size_t *n,
                std::size_t *shape, std::size_t *ndim) noexcept;
bool contains(Cache &c, const core_key_t &key) noexcept;
bool remove(Cache &c, const core_key_t &key) noexcept;
void clear(Cache &c) noexcept;

// ---- single flight (compute.cpp) -----------------------------------------------
core_status get_or_compute(Cache &c, const core_key_t &key, core_cache_compute_fn fn,
                           void *user, float *out, std::size_t cap, std::size_t *n,
                           std::size_t *shape, std::size_t *ndim, Error *err);
// core_cache_writer_put after the abi layer's checks.
core_status writer_put(core_cache_writer_t *w, const float *data, std::size_t n,
                       const std::size_t *shape, std::size_t ndim, Error *err);
bool writer_live(const core_cache_writer_t *w) noexcept;

// ---- persistence (persist.cpp) ----------------------------------------------------
core_status save(Cache &c, const char *path, Error *err);
core_status load(Cache &c, const char *path, Error *err);

}  // namespace cache
}  // namespace core

#endif
