// The consumer side: reads (copies without consuming), regions, clear, and
// consume and pop under OVERWRITE (under REJECT those two are inline in
// ring.h). The OVERWRITE claim protocol is explained at the top of
// produce.cpp; under REJECT the consumer is head's only writer and none of
// it applies.
#include <cstring>

#include "libcore/ring/ring.h"

namespace core {
namespace ring {

void Ring::load_split(std::uint64_t off, std::size_t n, float *out) const noexcept {
  const std::size_t k = static_cast<std::size_t>(slots - off);
  std::memcpy(out, data + off, k * sizeof(float));
  std::memcpy(out + k, data, (n - k) * sizeof(float));
}

namespace {

constexpr auto kAcquire = std::memory_order_acquire;
constexpr auto kRelease = std::memory_order_release;
constexpr auto kSeqCst = std::memory_order_seq_cst;

bool overwrite(const Ring &r) { return r.policy == CORE_RING_OVERWRITE; }

// Under REJECT only the consumer writes head, so its own last store is
// current; under OVERWRITE the producer may have moved it.
std::uint64_t head_now(const Ring &r) {
  return r.head.load(overwrite(r) ? kAcquire : std::memory_order_relaxed);
}

// A tail of at least `want` if one is published, from the cache when it
// suffices (no shared cache line touched); otherwise the current tail,
// which is >= any head loaded before the call.
std::uint64_t tail_for(Ring &r, std::uint64_t want) {
  if (r.tail_cache >= want) return r.tail_cache;
  r.tail_cache = r.tail.load(kAcquire);
  return r.tail_cache;
}

std::uint64_t tail_fresh(Ring &r) {
  r.tail_cache = r.tail.load(kAcquire);
  return r.tail_cache;
}

// Step 2 of the protocol: publish the claim, then check the producer has
// not dropped position c already.
bool claim_at(Ring &r, std::uint64_t c) {
  r.claim.store(c | kClaimActive, kSeqCst);
  return r.head.load(kSeqCst) <= c;
}

void release_claim(Ring &r) {
  if (r.claim.load(std::memory_order_relaxed) != 0) r.claim.store(0, kRelease);
  r.has_view = false;
}

// Advances head to at least `target` (OVERWRITE: the producer may be
// dropping concurrently). Returns the head value replaced, or `target` or
// more when the producer got there first.
std::uint64_t advance_head(Ring &r, std::uint64_t target) {
  if (!overwrite(r)) {
    const std::uint64_t h = r.head.load(std::memory_order_relaxed);
    r.head.store(target, kRelease);
    return h;
  }
  std::uint64_t h = r.head.load(kAcquire);
  while (h < target &&
         !r.head.compare_exchange_weak(h, target, std::memory_order_acq_rel, kAcquire)) {
  }
  return h;
}

// Copies [start, start + n) where start = pick(head, tail) chooses the
// position and n the count (both given head and tail). The copy is under a
// claim in OVERWRITE mode. Returns false with *avail set when fewer than the
// wanted samples are readable.
template <class Pick>
bool copy_out(Ring &r, std::uint64_t want, float *out, Pick pick, std::uint64_t *start,
              std::uint64_t *avail) {
  for (;;) {
    const std::uint64_t h = head_now(r);
    const std::uint64_t t = want == UINT64_MAX ? tail_fresh(r) : tail_for(r, h + want);
    std::uint64_t c = 0, n = 0;
    if (!pick(h, t, &c, &n)) {
      // A claim left by a failed check (the view stays: nothing changed).
      if (overwrite(r)) r.claim.store(0, kRelease);
      *avail = t - h;
      return false;
    }
    if (overwrite(r) && !claim_at(r, c)) continue;  // overrun: start again
    r.load(c, static_cast<std::size_t>(n), out);
    if (overwrite(r)) r.claim.store(0, kRelease);
    *start = c;
    return true;
  }
}

}  // namespace

core_status read(Ring &r, float *out, std::size_t n, std::uint64_t *avail) {
  std::uint64_t start = 0;
  const bool ok = copy_out(r, n, out, [n](std::uint64_t h, std::uint64_t t, std::uint64_t *c,
                                          std::uint64_t *m) {
    *c = h, *m = n;
    return t - h >= n;
  }, &start, avail);
  if (!ok) return CORE_E_EMPTY;
  r.view = start, r.has_view = true;
  return CORE_OK;
}

core_status read_all(Ring &r, float *out, std::size_t cap, std::size_t *n) {
  std::uint64_t start = 0, avail = 0, got = 0;
  const bool ok = copy_out(r, UINT64_MAX, out, [cap, &got](std::uint64_t h, std::uint64_t t,
                                                         std::uint64_t *c, std::uint64_t *m) {
    *c = h, *m = got = t - h;
    return t - h <= cap;
  }, &start, &avail);
  if (!ok) {
    *n = static_cast<std::size_t>(avail);
    return CORE_E_BUFFER_TOO_SMALL;
  }
  *n = static_cast<std::size_t>(got);
  r.view = start, r.has_view = true;
  return CORE_OK;
}

core_status read_latest(Ring &r, float *out, std::size_t n, std::uint64_t *avail) {
  std::uint64_t start = 0;
  const bool ok = copy_out(r, UINT64_MAX, out, [n](std::uint64_t h, std::uint64_t t,
                                                   std::uint64_t *c, std::uint64_t *m) {
    *c = t - n, *m = n;
    return t - h >= n;
  }, &start, avail);
  r.has_view = false;
  return ok ? CORE_OK : CORE_E_EMPTY;
}

core_status regions(Ring &r, const float **p1, std::size_t *n1, const float **p2,
                    std::size_t *n2) {
  std::uint64_t h = 0, t = 0;
  for (;;) {
    h = head_now(r);
    t = tail_fresh(r);
    // Held until the next consumer call (release_claim or a new claim).
    if (!overwrite(r) || claim_at(r, h)) break;
  }
  const std::uint64_t n = t - h, off = h & r.mask;
  const std::uint64_t first = r.mirrored || off + n <= r.slots ? n : r.slots - off;
  *p1 = r.data + off;
  *n1 = static_cast<std::size_t>(first);
  *p2 = first < n ? r.data : nullptr;
  *n2 = static_cast<std::size_t>(n - first);
  r.view = h, r.has_view = true;
  return CORE_OK;
}

core_status consume_overwrite(Ring &r, std::size_t n, std::uint64_t *avail) noexcept {
  // After read/regions under OVERWRITE, count from what the consumer saw,
  // not from a head the producer may have moved since.
  const std::uint64_t base = overwrite(r) && r.has_view ? r.view : head_now(r);
  const std::uint64_t t = tail_for(r, base + n);
  if (t < base + n) {
    *avail = t - base;
    return CORE_E_EMPTY;
  }
  if (n != 0) advance_head(r, base + n);
  release_claim(r);
  after_publish(r, r.writers, base + n);
  return CORE_OK;
}

core_status pop_overwrite(Ring &r, float *out, std::size_t n, std::size_t *got) noexcept {
  for (;;) {
    const std::uint64_t h = head_now(r);
    const std::uint64_t t = tail_for(r, h + n);
    const std::uint64_t m = t - h < n ? t - h : n;
    if (m == 0) {
      release_claim(r);
      *got = 0;
      return n == 0 ? CORE_OK : CORE_E_EMPTY;
    }
    if (overwrite(r) && !claim_at(r, h)) continue;
    r.load(h, static_cast<std::size_t>(m), out);
    const std::uint64_t replaced = advance_head(r, h + m);
    if (replaced >= h + m) continue;  // all dropped while we copied (step 6)
    if (replaced > h) {  // the producer dropped a prefix: keep the live rest
      const std::uint64_t k = replaced - h;
      std::memmove(out, out + k, static_cast<std::size_t>(m - k) * sizeof(float));
    }
    release_claim(r);
    *got = static_cast<std::size_t>(h + m - replaced);
    after_publish(r, r.writers, h + m);
    return CORE_OK;
  }
}

void clear(Ring &r) {
  const std::uint64_t t = tail_fresh(r);
  advance_head(r, t);
  release_claim(r);
  after_publish(r, r.writers, t);
}

}  // namespace ring
}  // namespace core
