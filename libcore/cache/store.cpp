// One shard's bookkeeping and the plain operations. Each shard has a hash
// map (key -> entry), an LRU list (lru_old .. lru_new) and a write-order
// list (ttl_old .. ttl_new). With one TTL for the whole cache, write order
// is expiry order, so sweeping expired entries only looks at ttl_old.
#include <cstdlib>
#include <cstring>
#include <new>

#include "libcore/cache/cache.h"

namespace core {
namespace cache {

std::size_t entry_bytes(std::size_t n) noexcept {
  if (n > (SIZE_MAX - CORE_CACHE_ENTRY_OVERHEAD) / sizeof(float)) return SIZE_MAX;
  return n * sizeof(float) + CORE_CACHE_ENTRY_OVERHEAD;
}

// The overhead constant must cover what an entry really costs besides its
// data: the header, the map node (next pointer, cached hash, key, value)
// and its bucket slot, and two allocator headers.
static_assert(sizeof(Entry) + (4 * sizeof(void *) + sizeof(core_key_t)) + sizeof(void *) +
                      2 * 16 <=
                  CORE_CACHE_ENTRY_OVERHEAD,
              "CORE_CACHE_ENTRY_OVERHEAD undercounts an entry");

Entry *alloc_entry(std::size_t n) noexcept {
  void *p = std::malloc(sizeof(Entry) + n * sizeof(float));
  return p != nullptr ? new (p) Entry() : nullptr;
}

void free_entry(Entry *e) noexcept {
  e->~Entry();
  std::free(e);
}

core_status check_value(std::size_t n, const std::size_t *shape, std::size_t ndim,
                        Error *err) noexcept {
  if (n == 0) return err->set(CORE_E_INVALID_ARGUMENT, "n must be > 0 (an empty value)");
  if (ndim > CORE_CACHE_MAX_DIMS)
    return err->set(CORE_E_INVALID_ARGUMENT, "ndim = %zu exceeds CORE_CACHE_MAX_DIMS (%d)",
                    ndim, CORE_CACHE_MAX_DIMS);
  if (shape == nullptr && ndim != 0)
    return err->set(CORE_E_INVALID_ARGUMENT, "shape is NULL but ndim = %zu", ndim);
  if (n > (SIZE_MAX - sizeof(Entry)) / sizeof(float))
    return err->set(CORE_E_INVALID_ARGUMENT, "n = %zu floats cannot be allocated", n);
  if (ndim == 0) return CORE_OK;
  std::size_t prod = 1;
  for (std::size_t i = 0; i < ndim; ++i) {
    if (shape[i] == 0)
      return err->set(CORE_E_INVALID_ARGUMENT, "shape[%zu] is 0: dimensions must be > 0", i);
    if (__builtin_mul_overflow(prod, shape[i], &prod))
      return err->set(CORE_E_INVALID_ARGUMENT, "the product of the shape overflows (n = %zu)",
                      n);
  }
  if (prod != n)
    return err->set(CORE_E_INVALID_ARGUMENT,
                    "the shape's product is %zu but n = %zu (ndim = %zu)", prod, n, ndim);
  return CORE_OK;
}

void set_shape(Entry *e, std::size_t n, const std::size_t *shape, std::size_t ndim) noexcept {
  e->n = n;
  if (ndim == 0) {
    e->ndim = 1;
    e->shape[0] = n;
    return;
  }
  e->ndim = ndim;
  for (std::size_t i = 0; i < ndim; ++i) e->shape[i] = shape[i];
}

bool fits(const Shard &s, std::size_t n) noexcept { return entry_bytes(n) <= s.max_bytes; }

namespace {

void lru_unlink(Shard &s, Entry *e) noexcept {
  (e->lru_prev ? e->lru_prev->lru_next : s.lru_old) = e->lru_next;
  (e->lru_next ? e->lru_next->lru_prev : s.lru_new) = e->lru_prev;
  e->lru_prev = e->lru_next = nullptr;
}

void lru_push_new(Shard &s, Entry *e) noexcept {
  e->lru_prev = s.lru_new;
  e->lru_next = nullptr;
  (s.lru_new ? s.lru_new->lru_next : s.lru_old) = e;
  s.lru_new = e;
}

void ttl_unlink(Shard &s, Entry *e) noexcept {
  (e->ttl_prev ? e->ttl_prev->ttl_next : s.ttl_old) = e->ttl_next;
  (e->ttl_next ? e->ttl_next->ttl_prev : s.ttl_new) = e->ttl_prev;
  e->ttl_prev = e->ttl_next = nullptr;
}

// Inserts in write order, from the new end (loaded entries may be older
// than entries already there).
void ttl_insert(Shard &s, Entry *e) noexcept {
  Entry *after = s.ttl_new;
  while (after != nullptr && after->written > e->written) after = after->ttl_prev;
  e->ttl_prev = after;
  e->ttl_next = after ? after->ttl_next : s.ttl_old;
  (e->ttl_next ? e->ttl_next->ttl_prev : s.ttl_new) = e;
  (after ? after->ttl_next : s.ttl_old) = e;
}

bool expired(const Entry &e, std::uint64_t now) noexcept { return e.expires <= now; }

}  // namespace

void release(Entry *e) noexcept {
  if (--e->refs == 0) free_entry(e);
}

void unlink(Shard &s, Entry *e) noexcept {
  s.map.erase(e->key);
  lru_unlink(s, e);
  ttl_unlink(s, e);
  s.entries -= 1;
  s.bytes -= entry_bytes(e->n);
  if (s.pub != nullptr) s.pub->held(-1.0, -static_cast<double>(entry_bytes(e->n)));
  e->stored = false;
  release(e);
}

void touch(Shard &s, Entry *e) noexcept {
  if (s.lru_new == e) return;
  lru_unlink(s, e);
  lru_push_new(s, e);
}

void sweep_expired(Cache &c, Shard &s, std::uint64_t now) noexcept {
  if (c.ttl_ms == 0) return;
  while (s.ttl_old != nullptr && expired(*s.ttl_old, now)) {
    unlink(s, s.ttl_old);
    s.c.expirations += 1;
    if (s.pub != nullptr) s.pub->add(kPubExpirations);
  }
}

Entry *find_live(Cache &c, Shard &s, const core_key_t &key, std::uint64_t now) noexcept {
  auto it = s.map.find(key);
  if (it == s.map.end()) return nullptr;
  Entry *e = it->second;
  if (c.ttl_ms != 0 && expired(*e, now)) {
    unlink(s, e);
    s.c.expirations += 1;
    if (s.pub != nullptr) s.pub->add(kPubExpirations);
    return nullptr;
  }
  return e;
}

void insert(Cache &c, Shard &s, Entry *e, bool count_insert) {
  e->expires = c.ttl_ms == 0 ? kNever
               : e->written > kNever - c.ttl_ms ? kNever - 1
                                                 : e->written + c.ttl_ms;
  auto res = s.map.emplace(e->key, e);  // may throw: nothing changed yet
  if (!res.second) {
    Entry *old = res.first->second;
    res.first->second = e;
    lru_unlink(s, old);
    ttl_unlink(s, old);
    s.entries -= 1;
    s.bytes -= entry_bytes(old->n);
    if (s.pub != nullptr) s.pub->held(-1.0, -static_cast<double>(entry_bytes(old->n)));
    old->stored = false;
    release(old);
  }
  e->refs += 1;
  e->stored = true;
  lru_push_new(s, e);
  ttl_insert(s, e);
  s.entries += 1;
  s.bytes += entry_bytes(e->n);
  if (count_insert) s.c.inserts += 1;
  if (s.pub != nullptr) {
    s.pub->held(1.0, static_cast<double>(entry_bytes(e->n)));
    if (count_insert) s.pub->add(kPubInserts);
  }
  while (s.entries > s.max_entries || s.bytes > s.max_bytes) {
    Entry *victim = s.lru_old;
    if (victim == e) break;  // cannot happen: fits() was checked
    unlink(s, victim);
    s.c.evictions += 1;
    if (s.pub != nullptr) s.pub->add(kPubEvictions);
  }
}

core_status copy_out(const Entry &e, float *out, std::size_t cap, std::size_t *n,
                     std::size_t *shape, std::size_t *ndim) noexcept {
  *n = e.n;
  if (shape != nullptr) {
    for (std::size_t i = 0; i < e.ndim; ++i) shape[i] = e.shape[i];
    *ndim = e.ndim;
  }
  if (cap < e.n) return CORE_E_BUFFER_TOO_SMALL;
  std::memcpy(out, e.data(), e.n * sizeof(float));
  return CORE_OK;
}

core_status put(Cache &c, const core_key_t &key, const float *data, std::size_t n,
                const std::size_t *shape, std::size_t ndim, Error *err) {
  Shard &s = c.shard_of(key);
  if (!fits(s, n))
    return err->set(CORE_E_FULL,
                    "the entry needs %zu bytes (n = %zu floats + %zu overhead) but a shard "
                    "holds at most %zu (max_bytes split over %zu shards): it can never fit",
                    entry_bytes(n), n, CORE_CACHE_ENTRY_OVERHEAD, s.max_bytes, c.nshards);
  Entry *e = alloc_entry(n);
  if (e == nullptr) return err->set(CORE_E_OUT_OF_MEMORY, "no memory for %zu floats", n);
  e->key = key;
  set_shape(e, n, shape, ndim);
  std::memcpy(e->data(), data, n * sizeof(float));
  std::lock_guard<std::mutex> l(s.mu);
  const std::uint64_t now = c.now();
  e->written = now;
  sweep_expired(c, s, now);
  try {
    insert(c, s, e, true);
  } catch (...) {
    free_entry(e);
    return err->set(CORE_E_OUT_OF_MEMORY, "no memory for the map node");
  }
  return CORE_OK;
}

core_status get(Cache &c, const core_key_t &key, float *out, std::size_t cap, std::size_t *n,
                std::size_t *shape, std::size_t *ndim) noexcept {
  Shard &s = c.shard_of(key);
  std::lock_guard<std::mutex> l(s.mu);
  Entry *e = find_live(c, s, key, c.ttl_ms != 0 ? c.now() : 0);
  if (e == nullptr) {
    s.c.misses += 1;
    if (s.pub != nullptr) s.pub->add(kPubMisses);
    return CORE_E_NOT_FOUND;
  }
  const core_status st = copy_out(*e, out, cap, n, shape, ndim);
  if (st != CORE_OK) return st;
  s.c.hits += 1;
  if (s.pub != nullptr) s.pub->add(kPubHits);
  touch(s, e);
  return CORE_OK;
}

bool contains(Cache &c, const core_key_t &key) noexcept {
  Shard &s = c.shard_of(key);
  std::lock_guard<std::mutex> l(s.mu);
  return find_live(c, s, key, c.ttl_ms != 0 ? c.now() : 0) != nullptr;
}

bool remove(Cache &c, const core_key_t &key) noexcept {
  Shard &s = c.shard_of(key);
  std::lock_guard<std::mutex> l(s.mu);
  Entry *e = find_live(c, s, key, c.ttl_ms != 0 ? c.now() : 0);
  if (e == nullptr) return false;
  unlink(s, e);
  return true;
}

void clear(Cache &c) noexcept {
  for (std::size_t i = 0; i < c.nshards; ++i) {
    Shard &s = c.shards[i];
    std::lock_guard<std::mutex> l(s.mu);
    while (s.lru_old != nullptr) unlink(s, s.lru_old);
  }
}

}  // namespace cache
}  // namespace core
