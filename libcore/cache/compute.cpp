// get_or_compute with single flight. A miss that finds no computation of
// its key in the shard's `flights` map starts one (it is the leader): it
// registers a Flight, unlocks, runs the callback, and re-locks to store the
// value, publish the outcome and wake the waiters. A miss that finds a
// Flight waits on it (the shard's mutex with the flight's condition
// variable), then copies the value from the flight, which holds its own
// reference to the entry: the entry may be evicted meanwhile.
#include <cstring>
#include <new>

#include <core/metrics.h>

#include "libcore/cache/cache.h"

struct core_cache_writer {
  std::uint32_t magic;
  core::cache::Cache *cache;
  core::cache::Shard *shard;
  core_key_t key;
  core::cache::Entry *value;  // set by writer_put
};

namespace core {
namespace cache {

constexpr std::uint32_t kWriterMagic = 0x57524954;  // "WRIT"

struct Flight {
  std::condition_variable cv;
  bool done = false;
  core_status status = CORE_OK;
  Entry *value = nullptr;  // holds a ref when set
  std::size_t refs = 1;    // the leader and every waiter
  std::thread::id leader;
};

namespace {

// Under the shard's lock.
void drop(Flight *f) noexcept {
  if (--f->refs != 0) return;
  if (f->value != nullptr) release(f->value);
  delete f;
}

}  // namespace

bool writer_live(const core_cache_writer_t *w) noexcept { return w->magic == kWriterMagic; }

core_status writer_put(core_cache_writer_t *w, const float *data, std::size_t n,
                       const std::size_t *shape, std::size_t ndim, Error *err) {
  if (w->value != nullptr)
    return err->set(CORE_E_INVALID_ARGUMENT, "the value was already delivered (put twice)");
  if (!fits(*w->shard, n))
    return err->set(CORE_E_FULL,
                    "the entry needs %zu bytes but a shard holds at most %zu: it can never fit",
                    entry_bytes(n), w->shard->max_bytes);
  Entry *e = alloc_entry(n);
  if (e == nullptr) return err->set(CORE_E_OUT_OF_MEMORY, "no memory for %zu floats", n);
  e->key = w->key;
  set_shape(e, n, shape, ndim);
  std::memcpy(e->data(), data, n * sizeof(float));
  w->value = e;
  return CORE_OK;
}

core_status get_or_compute(Cache &c, const core_key_t &key, core_cache_compute_fn fn,
                           void *user, float *out, std::size_t cap, std::size_t *n,
                           std::size_t *shape, std::size_t *ndim, Error *err) {
  Shard &s = c.shard_of(key);
  std::unique_lock<std::mutex> l(s.mu);
  if (Entry *e = find_live(c, s, key, c.ttl_ms != 0 ? c.now() : 0)) {
    const core_status st = copy_out(*e, out, cap, n, shape, ndim);
    if (st == CORE_OK) {
      s.c.hits += 1;
      if (s.pub != nullptr) s.pub->add(kPubHits);
      touch(s, e);
    }
    return st;
  }
  auto it = s.flights.find(key);
  if (it != s.flights.end()) {
    Flight *f = it->second;
    if (f->leader == std::this_thread::get_id())
      return err->set(CORE_E_INVALID_ARGUMENT,
                      "nested call for the key this thread's callback is computing");
    f->refs += 1;
    s.c.misses += 1;
    s.c.compute_waits += 1;
    if (s.pub != nullptr) {
      s.pub->add(kPubMisses);
      s.pub->add(kPubComputeWaits);
    }
    f->cv.wait(l, [f] { return f->done; });
    core_status st = f->status;
    if (st == CORE_OK)
      st = copy_out(*f->value, out, cap, n, shape, ndim);
    else
      err->set(st, "the computation of this key (run by another caller) failed with %d (%s)",
               static_cast<int>(st), core_status_str(st));
    drop(f);
    return st;
  }

  // The leader.
  std::unique_ptr<Flight> owned(new Flight);
  owned->leader = std::this_thread::get_id();
  s.flights.emplace(key, owned.get());  // may throw: nothing registered
  Flight *f = owned.release();
  s.c.misses += 1;
  s.c.computes += 1;
  if (s.pub != nullptr) {
    s.pub->add(kPubMisses);
    s.pub->add(kPubComputes);
  }
  l.unlock();

  core_cache_writer_t w{kWriterMagic, &c, &s, key, nullptr};
  core_status st;
  bool threw = false;
  const std::uint64_t t0 = s.pub != nullptr ? core_now_ns() : 0;
  try {
    st = fn(user, &w.key, &w);
  } catch (...) {  // a C++ callback that throws: fail its waiters cleanly
    st = CORE_E_INTERNAL;
    threw = true;
  }
  if (s.pub != nullptr)
    s.pub->compute_ns(static_cast<std::int64_t>(core_now_ns() - t0));
  w.magic = 0;
  if (threw)
    err->set(st, "the compute callback threw an exception");
  else if (st == CORE_OK && w.value == nullptr)
    st = err->set(CORE_E_INVALID_ARGUMENT,
                  "the compute callback returned CORE_OK without calling "
                  "core_cache_writer_put");
  else if (st != CORE_OK)
    err->set(st, "the compute callback failed with %d (%s)", static_cast<int>(st),
             core_status_str(st));
  Entry *e = w.value;
  if (st != CORE_OK && e != nullptr) {
    free_entry(e);
    e = nullptr;
  }

  l.lock();
  if (st == CORE_OK) {
    e->written = c.now();
    sweep_expired(c, s, e->written);
    try {
      insert(c, s, e, true);
      e->refs += 1;  // the flight's
      f->value = e;
    } catch (...) {
      free_entry(e);
      st = err->set(CORE_E_OUT_OF_MEMORY, "no memory for the map node");
    }
  }
  if (st != CORE_OK) {
    s.c.compute_failures += 1;
    if (s.pub != nullptr) s.pub->add(kPubComputeFailures);
  }
  f->status = st;
  f->done = true;
  s.flights.erase(key);
  f->cv.notify_all();
  if (st == CORE_OK) st = copy_out(*f->value, out, cap, n, shape, ndim);
  drop(f);
  return st;
}

}  // namespace cache
}  // namespace core
