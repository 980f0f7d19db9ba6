// The producer side under OVERWRITE (the REJECT append is inline in
// ring.h), and the index protocol of both policies.
//
// Positions are free-running 64-bit sample counts: `tail` is the next
// position the producer writes, `head` the oldest position still readable,
// so tail - head samples are readable and position p lives in slot
// p & mask. head and tail sit on separate cache lines; the producer keeps
// `head_cache` (some past value of head: a lower bound, since head only
// grows) and the consumer `tail_cache`, so in steady state neither side
// touches the other's line except to publish its own index.
//
// REJECT. Each index has one writer. The producer writes the samples, then
// publishes tail with a release store; the consumer loads tail with acquire
// before reading them. The consumer copies samples out, then publishes head
// with release; the producer loads head with acquire before writing over
// freed slots. The producer only writes positions < head + cap, so it never
// touches a readable slot.
//
// OVERWRITE. The producer must make room by moving head itself, and a
// consumer may be copying the very slots it wants to reuse. The protocol:
//
//  1. head is advanced by compare-and-swap on both sides: the producer
//     "drops" (CAS head up to new_tail - cap) before writing, and counts
//     exactly the samples its successful CAS removed; the consumer
//     "consumes" (CAS head up to the end of what it copied). A sample is
//     therefore either consumed or dropped, never both.
//  2. Before copying from position c, the consumer publishes a claim
//     (claim = c | kClaimActive, seq_cst store), then re-reads head
//     (seq_cst). If head has moved past c, the producer overran it: the
//     consumer claims again from the new head. Otherwise the claim is
//     valid, and it is cleared (release) when the copy is done.
//  3. After each dropping CAS (seq_cst) the producer reads the claim
//     (seq_cst). These four seq_cst operations form a Dekker pair: either
//     the consumer's re-read of head sees the CAS (and it retries), or the
//     producer's read sees the claim. A producer that has seen claim c
//     writes only positions < c + slots (its `limit`), so it never writes a
//     slot the consumer is reading.
//  4. Why it suffices to look at the claim after a drop: writing position j
//     reuses the slot of j - slots and requires head > j - cap first (the
//     REJECT invariant, kept by dropping). A conflicting j >= c + slots
//     thus needs head > c, and while the consumer sits in a call only the
//     producer moves head: some drop happened after the claim, and that
//     drop read it. The producer keeps honouring a claim it saw until it
//     reads the claim word again and finds it gone or moved.
//  5. slots >= 2 * cap, so the producer can append at least `cap` more
//     samples before it ever reaches a claim. If the consumer stalls inside
//     one call for that long, the producer writes up to the limit and drops
//     the rest of its append (the newest samples), counted like any drop:
//     it never waits for the consumer.
//  6. The copy is validated at its end for the operations that consume
//     (pop): the CAS from the head it copied at fails if the producer
//     dropped some of those samples meanwhile; pop then keeps only the
//     still-live suffix it copied (protected by the claim) and retries the
//     CAS from the new head. read/read_all/read_latest do not consume and
//     return what the claim protected: a consistent snapshot.
//  7. A claim can be seen stale: the consumer stores it, then its check of
//     head fails and it claims again. The producer ignores a claim c with
//     c + slots < tail: it has already written position >= c + slots, so
//     head passed c before that write, and by step 3 either it saw this
//     claim then (and would have stopped at c + slots) or the consumer's
//     check sees the move and never copies from c. Honouring it instead
//     would put the limit behind the tail. (A stale claim that is not yet
//     overtaken is honoured until the consumer claims again or releases,
//     which every consumer call does before it returns, except regions,
//     whose claim lasts until the next consumer call by design.)
//
// Every data access is ordered by these atomics (no sample memory is ever
// read while being written), which is what ThreadSanitizer checks in
// tests/stress.
#include <cstring>

#include "libcore/ring/ring.h"
#include "libcore/simd/kernels.h"

namespace core {
namespace ring {

void Ring::store_split(std::uint64_t off, const float *x, std::size_t n) noexcept {
  const std::size_t k = static_cast<std::size_t>(slots - off);
  std::memcpy(data + off, x, k * sizeof(float));
  std::memcpy(data, x + k, (n - k) * sizeof(float));
}

void Ring::store(std::uint64_t pos, const std::int16_t *x, std::size_t n) noexcept {
  const std::uint64_t off = pos & mask;
  if (mirrored || off + n <= slots) {
    simd::pcm16_to_float(x, n, data + off);
  } else {
    const std::size_t k = static_cast<std::size_t>(slots - off);
    simd::pcm16_to_float(x, k, data + off);
    simd::pcm16_to_float(x + k, n - k, data);
  }
}

namespace {

template <class T>
core_status append_overwrite_t(Ring &r, const T *x, std::size_t n) {
  const std::size_t n_in = n;
  std::uint64_t lost = 0;
  if (n > r.cap) {  // only the last cap samples can survive
    lost = n - r.cap;
    x += lost;
    n = static_cast<std::size_t>(r.cap);
  }
  const std::uint64_t t = r.tail.load(std::memory_order_relaxed);  // ours
  const std::uint64_t end = t + n;
  bool look = end > r.limit;  // a claim seen earlier may be in the way
  if (end > r.cap && end - r.cap > r.head_cache) {
    const std::uint64_t need = end - r.cap;
    std::uint64_t h = r.head.load(std::memory_order_acquire);
    while (h < need) {
      if (r.head.compare_exchange_weak(h, need, std::memory_order_seq_cst,
                                       std::memory_order_acquire)) {
        lost += need - h;  // exactly what this CAS removed (step 1)
        h = need;
        look = true;  // step 3
        break;
      }
    }
    r.head_cache = h;
  }
  if (look) {
    const std::uint64_t c = r.claim.load(std::memory_order_seq_cst);
    const std::uint64_t lim = (c & ~kClaimActive) + r.slots;
    // Step 7: a claim whose slots are already rewritten is stale.
    r.limit = (c & kClaimActive) != 0 && lim >= t ? lim : UINT64_MAX;
  }
  const std::uint64_t stop = end < r.limit ? end : r.limit;  // step 5; >= t
  r.store(t, x, static_cast<std::size_t>(stop - t));
  r.tail.store(stop, std::memory_order_release);
  lost += end - stop;
  if (lost != 0)  // single writer: no read-modify-write needed
    r.dropped.store(r.dropped.load(std::memory_order_relaxed) + lost,
                    std::memory_order_relaxed);
  after_publish(r, r.readers, stop);
  if (r.pub_appended != nullptr) publish_append(r, n_in);
  return CORE_OK;
}

}  // namespace

core_status append_overwrite(Ring &r, const float *x, std::size_t n) noexcept {
  return append_overwrite_t(r, x, n);
}
core_status append_overwrite(Ring &r, const std::int16_t *x, std::size_t n) noexcept {
  return append_overwrite_t(r, x, n);
}

}  // namespace ring
}  // namespace core
