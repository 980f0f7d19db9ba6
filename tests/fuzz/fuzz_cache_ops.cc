// libFuzzer target: sequences of cache operations against a model LRU.
//
// Input: bytes 0 and 1 choose the options from small tables (byte 0:
// max_entries in bits 0-2, max_bytes in bits 3-5, the clock's start in bits
// 6-7; byte 1: ttl_ms from bits 1-3, publishing into a metrics registry
// with bit 3, shards 1, automatic, 2 or 4 from bits 4-7); then
// each operation is an opcode byte followed by the bytes it reads (a key
// out of 12, a value size and shape, a capacity, a callback behaviour...).
// One thread; time is an injected clock the input advances.
//
// What is checked, as include/core/cache.h defines it:
//  - Exact mode (the cache has one shard: shards = 1, or automatic with
//    max_entries below 128): the model is one LRU list. Every status, every
//    value and shape returned, the LRU order (through which entries the
//    bounds evict), expiry (expire after write: live while now < written +
//    ttl; get does not extend it; an expired entry is removed when touched
//    and counted; put and stats sweep every expired entry), the byte
//    accounting (core_cache_entry_bytes per entry), CORE_E_FULL for a value
//    larger than max_bytes with nothing evicted, and every counter of
//    core_cache_stats (hits, misses, inserts, evictions, expirations,
//    entries, bytes, hit_rate, computes, compute_failures) after every
//    stats call, exactly.
//  - Sharded mode (2 or more shards: LRU order is exact only within a
//    shard, which the header does not let a caller predict): every value
//    a get returns is the last one stored under its key, removed and
//    cleared keys are gone, the totals never exceed the bounds, the number
//    of live keys (contains) and their bytes equal stats.entries and
//    stats.bytes, CORE_E_FULL exactly when the value cannot fit any
//    shard's share (and never when it fits every share), and hits, misses,
//    inserts, computes and compute_failures are exact.
//  - get_or_compute: the callback runs only on a miss; it may fail with any
//    status (returned as is, nothing cached), return OK without putting
//    (CORE_E_INVALID_ARGUMENT), put twice (the second put fails), put a
//    value too large (CORE_E_FULL), call get_or_compute for its own key
//    (CORE_E_INVALID_ARGUMENT), use the cache for another key (put, or a
//    nested get_or_compute), or move the clock; a too small buffer still
//    caches the value (CORE_E_BUFFER_TOO_SMALL with its size).
//  - Bad arguments: the documented status, and nothing changes.
//  - With publishing on, the registry's counters equal the model's totals
//    (which core_cache_stats_reset does not reset) and its gauges the
//    entries and bytes held, after every operation.
//
// FUZZ_WRITE_SEEDS=DIR: write a few hand-made sequences to DIR and exit.
// FUZZ_TRACE=1: print each operation.
#define FUZZ_NAME "fuzz_cache_ops"
#include "fuzz_common.h"

#include <core/cache.h>
#include <core/metrics.h>

#include <algorithm>
#include <list>
#include <map>

namespace {

constexpr size_t kKeys = 12;

struct Value {
  std::vector<float> data;
  std::vector<size_t> shape;
};

struct MEntry {
  size_t key;
  Value v;
  uint64_t written;
};

// The model's counters: `stats` is what core_cache_stats reports (reset by
// stats_reset), `total` what the published counters show (never reset).
struct Counts {
  uint64_t hits = 0, misses = 0, inserts = 0, evictions = 0, expirations = 0;
  uint64_t computes = 0, compute_failures = 0;
};

const char *const kPubCounters[] = {"hits",        "misses",   "inserts",
                                    "evictions",   "expirations", "computes",
                                    "compute_failures"};

struct Harness {
  Reader in;
  core_cache_t *cache = nullptr;
  core_metrics_t *metrics = nullptr;
  core_key_t keys[kKeys];
  size_t max_entries = 0, max_bytes = 0, shards = 1;
  uint64_t ttl = 0;
  uint64_t now = 0;
  bool exact = true, trace = false;
  uint32_t version = 0;

  // Exact mode: the LRU, oldest first.
  std::list<MEntry> lru;
  Counts stats, total;
  // Both modes: the last value stored under each key (an entry can only
  // hold that one), and whether the key may be present.
  std::map<size_t, Value> latest;
  int depth = 0;  // get_or_compute nesting
  bool computing[kKeys] = {};  // keys whose callback is running (nested calls)

  explicit Harness(const uint8_t *d, size_t n) : in(d, n) {}

  static uint64_t clock_fn(void *user) { return static_cast<Harness *>(user)->now; }

  // ---- model helpers (exact mode) ------------------------------------------
  static size_t entry_bytes(const Value &v) { return core_cache_entry_bytes(v.data.size()); }
  size_t model_bytes() const {
    size_t b = 0;
    for (const MEntry &e : lru) b += entry_bytes(e.v);
    return b;
  }
  bool expired(const MEntry &e) const { return ttl != 0 && now >= e.written + ttl; }
  void count(uint64_t Counts::*field, uint64_t k = 1) {
    stats.*field += k;
    total.*field += k;
  }
  std::list<MEntry>::iterator find(size_t key) {
    for (auto it = lru.begin(); it != lru.end(); ++it)
      if (it->key == key) return it;
    return lru.end();
  }
  // cache.h convention 6: a touched expired entry is removed and counted.
  std::list<MEntry>::iterator find_live(size_t key) {
    auto it = find(key);
    if (it != lru.end() && expired(*it)) {
      lru.erase(it);
      count(&Counts::expirations);
      return lru.end();
    }
    return it;
  }
  void sweep() {
    for (auto it = lru.begin(); it != lru.end();)
      if (expired(*it)) {
        it = lru.erase(it);
        count(&Counts::expirations);
      } else {
        ++it;
      }
  }
  // put's and get_or_compute's store: replace, newest, evict to the bounds.
  void model_insert(size_t key, const Value &v) {
    sweep();
    auto it = find(key);
    if (it != lru.end()) lru.erase(it);
    lru.push_back({key, v, now});
    count(&Counts::inserts);
    const size_t ent = max_entries ? max_entries : SIZE_MAX;
    const size_t byt = max_bytes ? max_bytes : SIZE_MAX;
    while (lru.size() > ent || model_bytes() > byt) {
      CHECK(lru.size() > 1);  // the newest always fits
      lru.pop_front();
      count(&Counts::evictions);
    }
  }

  // ---- values ------------------------------------------------------------------
  Value make_value() {
    const uint8_t b = in.u8();
    size_t n;
    switch (b >> 6) {
      case 0: n = 1 + (b & 63) % 8; break;
      case 1: n = 1 + (b & 63); break;
      case 2: n = 1 + (b & 63) * 4; break;
      default: n = 1 + (b & 63) * 16; break;  // up to 1009 floats, 4292 bytes
    }
    Value v;
    ++version;
    v.data.resize(n);
    for (size_t i = 0; i < n; ++i) v.data[i] = float(version) * 2048.0f + float(i) - 0.5f;
    // Shapes: none (1-D), or a factorization of n.
    const uint8_t s = in.u8() % 4;
    if (s == 1) v.shape = {n};
    if (s == 2 && n % 2 == 0) v.shape = {2, n / 2};
    if (s == 3) v.shape = {1, n, 1, 1};
    return v;
  }
  static std::vector<size_t> shape_of(const Value &v) {
    return v.shape.empty() ? std::vector<size_t>{v.data.size()} : v.shape;
  }
  size_t capacity_for(size_t n) {
    switch (in.u8() % 4) {
      case 0: return 0;
      case 1: return n > 0 ? n - 1 : 0;
      case 2: return n;
      default: return 2048;
    }
  }

  // FULL for n floats: exact mode, the whole budget; sharded, the shares.
  // Returns 1 (must be FULL), 0 (must not), -1 (depends on the key's shard).
  int full_for(size_t n) const {
    if (max_bytes == 0) return 0;
    const size_t need = core_cache_entry_bytes(n);
    const size_t lo = max_bytes / shards, hi = lo + (max_bytes % shards ? 1 : 0);
    if (need > hi) return 1;
    if (need <= lo) return 0;
    return -1;
  }

  // ---- checks --------------------------------------------------------------------
  bool get_value(size_t key, Value *v) {  // through get, exact sizes
    size_t n = 0, shape[CORE_CACHE_MAX_DIMS], ndim = 0;
    const core_status st = core_cache_get(cache, &keys[key], nullptr, 0, &n, shape, &ndim);
    if (st == CORE_E_NOT_FOUND) return false;
    if (st != CORE_E_BUFFER_TOO_SMALL) fuzz_fail(__LINE__, "get with cap 0", st);
    v->data.assign(n, 0.0f);
    size_t n2 = 0;
    CHECK_OK(core_cache_get(cache, &keys[key], v->data.data(), n, &n2, shape, &ndim));
    CHECK(n2 == n && ndim >= 1 && ndim <= CORE_CACHE_MAX_DIMS);
    v->shape.assign(shape, shape + ndim);
    return true;
  }
  void check_returned(size_t key, const float *out, size_t n, const size_t *shape, size_t ndim) {
    auto it = latest.find(key);
    CHECK(it != latest.end());
    const Value &want = it->second;
    CHECK(n == want.data.size());
    if (out != nullptr) CHECK(same_floats(out, want.data.data(), n));
    if (shape != nullptr) {
      const std::vector<size_t> ws = shape_of(want);
      CHECK(ndim == ws.size());
      CHECK(std::equal(ws.begin(), ws.end(), shape));
    }
  }
  core_cache_stats_t get_stats() {
    core_cache_stats_t s;
    std::memset(&s, 0xab, sizeof s);
    s.struct_size = sizeof s;
    CHECK_OK(core_cache_stats(cache, &s));
    CHECK(s.struct_size == sizeof s);
    if (max_entries) CHECK(s.entries <= max_entries);
    if (max_bytes) CHECK(s.bytes <= max_bytes);
    return s;
  }
  void check_stats() {
    const core_cache_stats_t s = get_stats();
    CHECK(s.hits == stats.hits && s.misses == stats.misses && s.inserts == stats.inserts);
    CHECK(s.computes == stats.computes && s.compute_failures == stats.compute_failures);
    CHECK(s.compute_waits == 0);  // one thread never waits
    const double rate =
        s.hits + s.misses ? double(s.hits) / double(s.hits + s.misses) : 0.0;
    CHECK(s.hit_rate == rate);
    if (exact) {
      sweep();
      CHECK(s.evictions == stats.evictions && s.expirations == stats.expirations);
      CHECK(s.entries == lru.size());
      CHECK(s.bytes == model_bytes());
    } else {
      // The live keys, through contains (time does not move here, and
      // stats swept every expired entry already).
      uint64_t live = 0, bytes = 0;
      for (size_t k = 0; k < kKeys; ++k) {
        int found = -1;
        CHECK_OK(core_cache_contains(cache, &keys[k], &found));
        CHECK(found == 0 || found == 1);
        if (found) {
          CHECK(latest.count(k));
          ++live;
          bytes += entry_bytes(latest[k]);
        }
      }
      CHECK(s.entries == live);
      CHECK(s.bytes == bytes);
    }
  }
  // Exact mode: the cache holds exactly the model's entries (contains does
  // not touch the LRU order or the counters).
  void check_contents() {
    if (!exact) return;
    for (size_t k = 0; k < kKeys; ++k) {
      const bool model_has = find_live(k) != lru.end();
      int found = -1;
      CHECK_OK(core_cache_contains(cache, &keys[k], &found));
      CHECK(found == (model_has ? 1 : 0));
    }
  }
  void check_published() {
    if (metrics == nullptr) return;
    const uint64_t want[] = {total.hits,        total.misses,     total.inserts,
                             total.evictions,   total.expirations, total.computes,
                             total.compute_failures};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; ++i) {
      // Evictions and expirations are exact only in exact mode.
      if (!exact && (i == 3 || i == 4)) continue;
      core_metric_id_t id;
      const std::string name = std::string("fz_") + kPubCounters[i];
      CHECK_OK(core_metrics_find(metrics, name.c_str(), &id, nullptr));
      uint64_t v = 0;
      CHECK_OK(core_metrics_counter_get(metrics, id, &v));
      if (v != want[i]) {
        std::fprintf(stderr, "published %s = %llu, model %llu\n", name.c_str(),
                     (unsigned long long)v, (unsigned long long)want[i]);
        CHECK(v == want[i]);
      }
    }
    if (!exact) return;
    core_metric_id_t id;
    double g = -1;
    CHECK_OK(core_metrics_find(metrics, "fz_entries", &id, nullptr));
    CHECK_OK(core_metrics_gauge_get(metrics, id, &g));
    CHECK(g == double(lru.size()));
    CHECK_OK(core_metrics_find(metrics, "fz_bytes", &id, nullptr));
    CHECK_OK(core_metrics_gauge_get(metrics, id, &g));
    CHECK(g == double(model_bytes()));
  }

  // ---- operations ------------------------------------------------------------------
  void op_put() {
    const size_t k = in.pick(kKeys);
    const Value v = make_value();
    const core_status st = core_cache_put(cache, &keys[k], v.data.data(), v.data.size(),
                                          v.shape.empty() ? nullptr : v.shape.data(),
                                          v.shape.size());
    const int full = full_for(v.data.size());
    if (full == 1) CHECK(st == CORE_E_FULL);
    if (full == 0) CHECK(st == CORE_OK);
    if (st == CORE_E_FULL) return;  // nothing changed, nothing evicted
    if (st != CORE_OK) fuzz_fail(__LINE__, "put", st);
    latest[k] = v;
    if (exact) model_insert(k, v);
    else stats.inserts += 1, total.inserts += 1;
  }

  // One lookup with the input's buffer size; kind 0: get, 1: get_or_compute.
  void op_get() {
    const size_t k = in.pick(kKeys);
    const size_t cap = capacity_for(latest.count(k) ? latest[k].data.size() : 4);
    const bool with_shape = in.u8() & 1;
    std::vector<float> out(cap + 1, -3.0f);
    size_t n = 12345, shape[CORE_CACHE_MAX_DIMS] = {0}, ndim = 99;
    const core_status st =
        core_cache_get(cache, &keys[k], cap ? out.data() : nullptr, cap, &n,
                       with_shape ? shape : nullptr, with_shape ? &ndim : nullptr);
    if (exact) {
      auto it = find_live(k);
      if (it == lru.end()) {
        EXPECT(st, CORE_E_NOT_FOUND);
        count(&Counts::misses);
        CHECK(n == 12345);  // untouched on error
        return;
      }
      if (cap < it->v.data.size()) {
        EXPECT(st, CORE_E_BUFFER_TOO_SMALL);  // neither hit nor miss, not refreshed
        check_returned(k, nullptr, n, with_shape ? shape : nullptr, ndim);
        CHECK(out[0] == -3.0f);
        return;
      }
      EXPECT(st, CORE_OK);
      count(&Counts::hits);
      lru.splice(lru.end(), lru, it);  // most recently used
    } else {
      if (st == CORE_E_NOT_FOUND) {
        stats.misses += 1, total.misses += 1;
        return;
      }
      if (st == CORE_E_BUFFER_TOO_SMALL) {
        check_returned(k, nullptr, n, with_shape ? shape : nullptr, ndim);
        CHECK(cap < n);
        return;
      }
      EXPECT(st, CORE_OK);
      stats.hits += 1, total.hits += 1;
    }
    check_returned(k, out.data(), n, with_shape ? shape : nullptr, ndim);
    CHECK(out[n] == -3.0f);  // nothing past the value
  }

  // The callback's behaviours (the byte after the opcode).
  struct Compute {
    Harness *h;
    size_t key;
    uint8_t how;
    Value v;
    bool called = false, stored = false;
  };
  static core_status compute_cb(void *user, const core_key_t *key, core_cache_writer_t *w) {
    Compute &c = *static_cast<Compute *>(user);
    Harness &h = *c.h;
    CHECK(!c.called);
    c.called = true;
    CHECK(key != nullptr && key->lo == h.keys[c.key].lo && key->hi == h.keys[c.key].hi);
    c.v = h.make_value();
    const size_t n = c.v.data.size();
    const size_t *shape = c.v.shape.empty() ? nullptr : c.v.shape.data();
    const size_t ndim = c.v.shape.size();
    switch (c.how % 10) {
      case 0:
      case 1: {  // the ordinary case
        const core_status st = core_cache_writer_put(w, c.v.data.data(), n, shape, ndim);
        const int full = h.full_for(n);
        if (full == 1) CHECK(st == CORE_E_FULL);
        if (full == 0) CHECK(st == CORE_OK);
        if (st == CORE_OK) c.stored = true;
        return st;  // a failed put's status, as the header asks
      }
      case 2:  // failure with some status
        return (c.how & 0x10) ? CORE_E_IO : CORE_E_UNAVAILABLE;
      case 3:  // OK without a value
        return CORE_OK;
      case 4: {  // two puts: the second is refused
        const core_status st = core_cache_writer_put(w, c.v.data.data(), n, shape, ndim);
        if (st != CORE_OK) return st;
        EXPECT(core_cache_writer_put(w, c.v.data.data(), n, shape, ndim),
               CORE_E_INVALID_ARGUMENT);
        c.stored = true;
        return CORE_OK;
      }
      case 5: {  // a bad value: zero size, shape mismatch
        const size_t bad[2] = {n + 1, 1};
        EXPECT(core_cache_writer_put(w, c.v.data.data(), 0, nullptr, 0),
               CORE_E_INVALID_ARGUMENT);
        EXPECT(core_cache_writer_put(w, c.v.data.data(), n, bad, 2), CORE_E_INVALID_ARGUMENT);
        EXPECT(core_cache_writer_put(w, nullptr, n, nullptr, 0), CORE_E_INVALID_ARGUMENT);
        return CORE_E_INVALID_ARGUMENT;
      }
      case 6: {  // its own key again: refused, not a deadlock (unless now live)
        float out[4];
        size_t got = 0;
        const core_status st = core_cache_get_or_compute(h.cache, key, compute_cb, user, out,
                                                         4, &got, nullptr, nullptr);
        CHECK(st == CORE_E_INVALID_ARGUMENT);
        return st;
      }
      case 7: {  // the cache for another key, then the value
        if (h.depth < 2) {
          h.op_by_code(c.how & 0x10 ? 0 : 5);
        }
        const core_status st = core_cache_writer_put(w, c.v.data.data(), n, shape, ndim);
        if (st == CORE_OK) c.stored = true;
        return st;
      }
      case 8: {  // the clock moves during the computation
        h.now += 1 + (c.how >> 4) * 3;
        const core_status st = core_cache_writer_put(w, c.v.data.data(), n, shape, ndim);
        if (st == CORE_OK) c.stored = true;
        return st;
      }
      default: {  // the value fits no budget (when there is one)
        if (h.max_bytes == 0) return CORE_E_NOT_FOUND;
        std::vector<float> big(h.max_bytes / 4 + 1, 1.0f);
        EXPECT(core_cache_writer_put(w, big.data(), big.size(), nullptr, 0), CORE_E_FULL);
        return CORE_E_FULL;
      }
    }
  }

  void op_get_or_compute() {
    const size_t k = in.pick(kKeys);
    Compute c{this, k, in.u8(), {}};
    const size_t cap = capacity_for(latest.count(k) ? latest[k].data.size() : 4);
    const bool with_shape = in.u8() & 1;
    std::vector<float> out(cap + 1, -3.0f);
    size_t n = 12345, shape[CORE_CACHE_MAX_DIMS] = {0}, ndim = 99;
    if (computing[k]) {
      // A nested call for the key this thread is computing (from a
      // callback): refused, nothing counted, unless the key became live.
      int found = 0;
      CHECK_OK(core_cache_contains(cache, &keys[k], &found));
      if (exact) CHECK(found == (find_live(k) != lru.end() ? 1 : 0));
      if (!found) {
        EXPECT(core_cache_get_or_compute(cache, &keys[k], compute_cb, &c,
                                         cap ? out.data() : nullptr, cap, &n, nullptr,
                                         nullptr),
               CORE_E_INVALID_ARGUMENT);
        CHECK(!c.called && n == 12345);
        return;
      }
    }
    // Exact mode: is it a hit? (find_live counts an expiry the way the
    // cache will.)
    bool hit = false;
    if (exact) {
      auto it = find_live(k);
      hit = it != lru.end();
      if (hit && cap >= it->v.data.size()) {
        count(&Counts::hits);
        lru.splice(lru.end(), lru, it);
      }
      if (!hit) {
        count(&Counts::misses);
        count(&Counts::computes);
      }
    }
    ++depth;
    const bool was = computing[k];
    computing[k] = true;
    const core_status st = core_cache_get_or_compute(
        cache, &keys[k], compute_cb, &c, cap ? out.data() : nullptr, cap, &n,
        with_shape ? shape : nullptr, with_shape ? &ndim : nullptr);
    computing[k] = was;
    --depth;
    CHECK(is_status(st));
    if (exact) CHECK(c.called == !hit);
    if (!exact && !c.called && st != CORE_E_BUFFER_TOO_SMALL) {
      stats.hits += 1, total.hits += 1;
    }
    if (!exact && c.called) {
      stats.misses += 1, total.misses += 1;
      stats.computes += 1, total.computes += 1;
    }
    if (c.called) {
      if (c.stored) {
        latest[k] = c.v;
        if (exact) model_insert(k, c.v);
        else stats.inserts += 1, total.inserts += 1;
        if (cap < c.v.data.size()) {
          EXPECT(st, CORE_E_BUFFER_TOO_SMALL);  // cached all the same
          check_returned(k, nullptr, n, with_shape ? shape : nullptr, ndim);
          return;
        }
        EXPECT(st, CORE_OK);
      } else {
        if (st == CORE_OK || st == CORE_E_BUFFER_TOO_SMALL)
          fuzz_fail(__LINE__, "a failed computation returned a value", st);
        if (exact) count(&Counts::compute_failures);
        else stats.compute_failures += 1, total.compute_failures += 1;
        const uint8_t how = c.how % 10;
        if (how == 2) CHECK(st == ((c.how & 0x10) ? CORE_E_IO : CORE_E_UNAVAILABLE));
        if (how == 3 || how == 5 || how == 6) CHECK(st == CORE_E_INVALID_ARGUMENT);
        if (how == 9) CHECK(st == (max_bytes ? CORE_E_FULL : CORE_E_NOT_FOUND));
        CHECK(n == 12345);
        return;
      }
    } else {
      if (st == CORE_E_BUFFER_TOO_SMALL) {
        check_returned(k, nullptr, n, with_shape ? shape : nullptr, ndim);
        CHECK(cap < n && out[0] == -3.0f);
        return;
      }
      EXPECT(st, CORE_OK);
    }
    check_returned(k, out.data(), n, with_shape ? shape : nullptr, ndim);
    CHECK(out[n] == -3.0f);
  }

  void op_remove() {
    const size_t k = in.pick(kKeys);
    const core_status st = core_cache_remove(cache, &keys[k]);
    if (exact) {
      auto it = find_live(k);
      if (it == lru.end()) {
        EXPECT(st, CORE_E_NOT_FOUND);
      } else {
        EXPECT(st, CORE_OK);
        lru.erase(it);
      }
    } else {
      CHECK(st == CORE_OK || st == CORE_E_NOT_FOUND);
    }
    int found = -1;
    CHECK_OK(core_cache_contains(cache, &keys[k], &found));
    CHECK(found == 0);
  }

  void op_bad_args() {
    const size_t k = in.pick(kKeys);
    const float x[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    const size_t zero[2] = {0, 8}, wrong[2] = {3, 3}, big[5] = {1, 1, 1, 1, 8};
    size_t n = 0, shape[4], ndim = 0;
    int found = 0;
    switch (in.u8() % 12) {
      case 0: EXPECT(core_cache_put(cache, nullptr, x, 8, nullptr, 0), CORE_E_INVALID_ARGUMENT); break;
      case 1: EXPECT(core_cache_put(cache, &keys[k], nullptr, 8, nullptr, 0), CORE_E_INVALID_ARGUMENT); break;
      case 2: EXPECT(core_cache_put(cache, &keys[k], x, 0, nullptr, 0), CORE_E_INVALID_ARGUMENT); break;
      case 3: EXPECT(core_cache_put(cache, &keys[k], x, 8, zero, 2), CORE_E_INVALID_ARGUMENT); break;
      case 4: EXPECT(core_cache_put(cache, &keys[k], x, 8, wrong, 2), CORE_E_INVALID_ARGUMENT); break;
      case 5: EXPECT(core_cache_put(cache, &keys[k], x, 8, big, 5), CORE_E_INVALID_ARGUMENT); break;
      case 6: EXPECT(core_cache_put(cache, &keys[k], x, 8, nullptr, 2), CORE_E_INVALID_ARGUMENT); break;
      case 7: EXPECT(core_cache_get(cache, &keys[k], nullptr, 4, &n, nullptr, nullptr), CORE_E_INVALID_ARGUMENT); break;
      case 8: EXPECT(core_cache_get(cache, &keys[k], nullptr, 0, &n, shape, nullptr), CORE_E_INVALID_ARGUMENT); break;
      case 9: EXPECT(core_cache_get(cache, &keys[k], nullptr, 0, nullptr, nullptr, nullptr), CORE_E_INVALID_ARGUMENT); break;
      case 10: EXPECT(core_cache_get_or_compute(cache, &keys[k], nullptr, nullptr, nullptr, 0, &n, shape, &ndim), CORE_E_INVALID_ARGUMENT); break;
      default: EXPECT(core_cache_contains(cache, &keys[k], nullptr), CORE_E_INVALID_ARGUMENT);
               EXPECT(core_cache_remove(cache, nullptr), CORE_E_INVALID_ARGUMENT);
               EXPECT(core_cache_contains(nullptr, &keys[k], &found), CORE_E_INVALID_ARGUMENT);
               break;
    }
  }

  void op_by_code(uint8_t code) {
    if (trace)
      std::fprintf(stderr, "%*sop %d (now %llu, model %zu entries)\n", 2 * depth, "", code,
                   (unsigned long long)now, lru.size());
    switch (code) {
      case 0: case 1: case 2: op_put(); break;
      case 3: case 4: op_get(); break;
      case 5: case 6: op_get_or_compute(); break;
      case 7: op_remove(); break;
      case 8: {
        const bool hard = in.u8() % 8 == 0;
        if (hard) {  // clear: nothing counted
          EXPECT(core_cache_clear(cache), CORE_OK);
          lru.clear();
          latest.clear();
        }
        break;
      }
      case 9: {  // the clock moves
        const uint8_t b = in.u8();
        now += (b & 0x80) ? uint64_t(b & 0x7f) * 97 : b;
        break;
      }
      case 10: check_stats(); break;
      case 11:
        if (in.u8() % 4 == 0) {
          EXPECT(core_cache_stats_reset(cache), CORE_OK);
          stats = Counts();
        }
        break;
      case 12: op_bad_args(); break;
      default: {  // contains: no counter, no LRU change
        const size_t k = in.pick(kKeys);
        int found = -1;
        CHECK_OK(core_cache_contains(cache, &keys[k], &found));
        if (exact) CHECK(found == (find_live(k) != lru.end() ? 1 : 0));
        else if (found) CHECK(latest.count(k));
        break;
      }
    }
  }

  void op() {
    op_by_code(in.u8() % 14);
    check_published();
  }
};

const size_t kEntries[] = {0, 1, 2, 3, 5, 8, 64, 100};
const size_t kBytes[] = {0, 300, 700, 1024, 2048, 4096, 20000, 1u << 20};
const uint64_t kTtl[] = {0, 0, 1, 5, 100, 1000};
const size_t kShards[] = {1, 1, 0, 2, 4};
const uint64_t kStart[] = {0, 1000, 1700000000000ull};

std::vector<std::vector<uint8_t>> seeds() {
  return {
      // exact LRU, 3 entries, no TTL: puts, gets, evictions
      {0x03, 0x00, 0, 1, 5, 1, 2, 9, 0, 3, 9, 1, 3, 1, 2, 2, 0, 4, 3, 4, 1, 10},
      // bytes bound 1024, TTL 5, clock moves
      {0x18, 0x06, 0, 0, 0x45, 0, 1, 1, 0x45, 0, 9, 3, 0, 2, 0x10, 1, 9, 4, 10, 3, 0, 2, 1, 10},
      // get_or_compute in its behaviours, with metrics, TTL 100
      {0x24, 0x08, 5, 0, 0, 2, 1, 5, 1, 2, 2, 0, 5, 2, 3, 2, 1, 5, 3, 4, 2, 0, 5, 4, 6, 2, 1,
       5, 5, 7, 2, 0, 5, 6, 8, 2, 0, 10, 5, 7, 9, 2, 1, 10},
      // sharded (4 shards, 64 entries, 20000 bytes) with metrics, bad
      // arguments, clear
      {0x36, 0x48, 0, 3, 2, 0, 4, 1, 1, 3, 4, 3, 1, 12, 3, 12, 7, 7, 4, 10, 8, 0, 10, 13, 3},
      // automatic shards with max_entries 0 (16 shards), 1 MiB, TTL 100
      {0x38, 0x20, 0, 1, 0x81, 0, 2, 0x7f, 3, 7, 1, 13, 2, 10, 11, 0, 10},
  };
}

}  // namespace

FUZZ_INITIALIZE_WITH_SEEDS(seeds)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2) return 0;
  Harness h(data, size);
  const uint8_t c0 = h.in.u8(), c1 = h.in.u8();
  h.max_entries = kEntries[c0 % 8];
  h.max_bytes = kBytes[(c0 >> 3) % 8];
  h.ttl = kTtl[(c1 >> 1) % 6];
  const size_t shards = kShards[(c1 >> 4) % 5];
  const bool publish = c1 & 8;
  h.now = kStart[(c0 >> 6) % 3];
  h.trace = std::getenv("FUZZ_TRACE") != nullptr;

  core_cache_options_t o;
  CHECK_OK(core_cache_options_init(&o));
  o.max_entries = h.max_entries;
  o.max_bytes = h.max_bytes;
  o.ttl_ms = h.ttl;
  o.shards = shards;
  o.clock = Harness::clock_fn;
  o.clock_user = &h;
  if (publish) {
    CHECK_OK(core_metrics_create(nullptr, &h.metrics));
    o.metrics = h.metrics;
    o.metrics_prefix = "fz";
  }
  const core_status st = core_cache_create(&o, &h.cache);
  // Automatic shards: 16, halved while a shard would get fewer than 64
  // entries (cache.h convention 4).
  size_t eff = shards;
  if (eff == 0) {
    eff = 16;
    if (h.max_entries != 0)
      while (eff > 1 && h.max_entries / eff < 64) eff /= 2;
  }
  if ((h.max_entries == 0 && h.max_bytes == 0) ||  // no bound at all
      (h.max_entries != 0 && h.max_entries < eff)) {  // a shard without room
    EXPECT(st, CORE_E_INVALID_ARGUMENT);
    CHECK(h.cache == nullptr);
    core_metrics_destroy(h.metrics);
    return 0;
  }
  EXPECT(st, CORE_OK);
  h.shards = core_cache_shards(h.cache);
  CHECK(h.shards >= 1 && (h.shards & (h.shards - 1)) == 0);
  CHECK(h.shards == eff);
  h.exact = h.shards == 1;
  if (h.trace)
    std::fprintf(stderr, "max_entries %zu max_bytes %zu ttl %llu shards %zu%s\n",
                 h.max_entries, h.max_bytes, (unsigned long long)h.ttl, h.shards,
                 publish ? " metrics" : "");
  for (size_t k = 0; k < kKeys; ++k) {
    const std::string name = "key" + std::to_string(k);
    CHECK_OK(core_cache_key_bytes(name.data(), name.size(), &h.keys[k]));
  }
  for (int i = 0; i < 2000 && !h.in.empty(); ++i) h.op();
  h.check_stats();
  h.check_contents();
  h.check_published();
  // Every value left is the last one stored under its key.
  for (size_t k = 0; k < kKeys; ++k) {
    Value v;
    if (!h.get_value(k, &v)) continue;
    h.check_returned(k, v.data.data(), v.data.size(), v.shape.data(), v.shape.size());
  }
  core_cache_destroy(h.cache);
  core_metrics_destroy(h.metrics);
  return 0;
}
