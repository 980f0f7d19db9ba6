// Life cycle and statistics of a cache: shard layout, the clock, and the
// counters summed over shards.
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "libcore/cache/cache.h"

namespace core {
namespace cache {

core_status Error::set(core_status st, const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(message, sizeof message, fmt, args);
  va_end(args);
  status = st;
  return st;
}

std::uint64_t Cache::now() const noexcept {
  if (clock != nullptr) return clock(clock_user);
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000u +
         static_cast<std::uint64_t>(ts.tv_nsec) / 1000000u;
}

std::size_t auto_shards(std::size_t max_entries) noexcept {
  std::size_t s = 16;
  if (max_entries != 0)
    while (s > 1 && max_entries / s < 64) s /= 2;
  return s;
}

namespace {
// total split over `parts`: the first (total % parts) shares get one more.
std::size_t share(std::size_t total, std::size_t parts, std::size_t i) noexcept {
  if (total == 0) return SIZE_MAX;
  return total / parts + (i < total % parts ? 1 : 0);
}
}  // namespace

Cache *create(const core_cache_options_t &o, const Pub *pub) {
  std::unique_ptr<Cache> c(new Cache);
  c->ttl_ms = o.ttl_ms;
  c->clock = o.clock;
  c->clock_user = o.clock_user;
  c->nshards = o.shards != 0 ? o.shards : auto_shards(o.max_entries);
  c->shard_mask = c->nshards - 1;
  c->shards.reset(new Shard[c->nshards]);
  if (pub != nullptr) c->pub = *pub;
  for (std::size_t i = 0; i < c->nshards; ++i) {
    c->shards[i].max_entries = share(o.max_entries, c->nshards, i);
    c->shards[i].max_bytes = share(o.max_bytes, c->nshards, i);
    if (pub != nullptr) c->shards[i].pub = &c->pub;
  }
  return c.release();
}

void destroy(Cache *c) noexcept {
  c->magic = 0;
  clear(*c);
  delete c;
}

void stats(Cache &c, core_cache_stats_t *out) noexcept {
  core_cache_stats_t s;
  std::memset(&s, 0, sizeof s);
  const std::uint64_t now = c.now();
  for (std::size_t i = 0; i < c.nshards; ++i) {
    Shard &sh = c.shards[i];
    std::lock_guard<std::mutex> l(sh.mu);
    sweep_expired(c, sh, now);
    s.hits += sh.c.hits;
    s.misses += sh.c.misses;
    s.inserts += sh.c.inserts;
    s.evictions += sh.c.evictions;
    s.expirations += sh.c.expirations;
    s.computes += sh.c.computes;
    s.compute_failures += sh.c.compute_failures;
    s.compute_waits += sh.c.compute_waits;
    s.entries += sh.entries;
    s.bytes += sh.bytes;
  }
  const std::uint64_t lookups = s.hits + s.misses;
  s.hit_rate = lookups != 0 ? static_cast<double>(s.hits) / static_cast<double>(lookups) : 0.0;
  const std::size_t size = out->struct_size < sizeof s ? out->struct_size : sizeof s;
  s.struct_size = size;
  std::memcpy(out, &s, size);
}

void stats_reset(Cache &c) noexcept {
  for (std::size_t i = 0; i < c.nshards; ++i) {
    std::lock_guard<std::mutex> l(c.shards[i].mu);
    c.shards[i].c = Counters();
  }
}

}  // namespace cache
}  // namespace core
