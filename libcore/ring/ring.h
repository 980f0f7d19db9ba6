// The ring's state and its internal C++ interface (the extern "C" layer in
// libcore/abi/ring.cpp checks arguments and writes messages; nothing here
// touches the thread-local error).
//
// Files: ring.cpp (create, destroy, queries), mirror.cpp (the storage: memfd
// double mapping or a plain mapping), produce.cpp (OVERWRITE appends and the
// index protocol of both policies, explained at its top), consume.cpp
// (reads, regions, clear, OVERWRITE pop and consume), wait.cpp (futex sleeps
// and the asymmetric fence). The REJECT append, pop and consume are inline
// at the end of this file.
#ifndef LIBCORE_RING_RING_H
#define LIBCORE_RING_RING_H

#include <core/ring.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace core {
namespace ring {

// The spacing between data written by different threads: two cache lines,
// because x86's adjacent-line prefetcher fetches 64-byte lines in pairs
// (folly and crossbeam pad to 128 for the same reason).
constexpr std::size_t kLine = 128;
constexpr std::uint64_t kClaimActive = std::uint64_t{1} << 63;  // see produce.cpp
constexpr std::uint32_t kMagic = 0x52494e47;                    // "RING"

// Sample memory. `data` holds `slots` floats (a power of two); with the
// mirror, data[slots, 2 * slots) is the same memory again.
struct Storage {
  float *data = nullptr;
  std::uint64_t slots = 0;
  bool mirrored = false;
  void *map = nullptr;  // what to munmap, and its length
  std::size_t map_bytes = 0;
};

// Why map_storage failed.
enum class MapError { kNone, kNoMemory, kNoMirror };

// Maps `slots` floats, mirrored when `mirror` (falling back to a plain
// mapping unless `require`). Pages are prefaulted.
MapError map_storage(std::uint64_t slots, bool mirror, bool require, Storage *out);
void unmap_storage(Storage *s);
// Page size in floats (the mirror's granularity).
std::uint64_t page_floats();

// One side waiting in wait_readable / wait_writable (wait.cpp).
struct alignas(kLine) Waiter {
  std::atomic<std::uint32_t> waiting{0};  // 1 while a thread sleeps
  std::atomic<std::uint32_t> epoch{0};    // futex word, bumped by each wake
  std::atomic<std::uint64_t> target{0};   // wake once the other index reaches this
};

struct alignas(kLine) Ring {
  // ---- set by create, read-only afterwards (shared by both sides) ---------
  std::uint32_t magic = kMagic;
  core_ring_policy policy = CORE_RING_REJECT;
  std::uint64_t cap = 0;     // logical capacity, honoured exactly
  std::uint64_t slots = 0;   // storage size, a power of two >= cap
  std::uint64_t mask = 0;    // slots - 1
  float *data = nullptr;
  bool mirrored = false;
  bool strong_fence = false;  // no membarrier: fast paths fence (wait.cpp)
  Storage storage;
  // Published metrics (publish.cpp): the registry's counter and gauge
  // words, written only by the producer. pub_appended is nullptr when
  // publishing is off.
  std::atomic<std::uint64_t> *pub_appended = nullptr;
  std::atomic<std::uint64_t> *pub_dropped = nullptr;
  std::atomic<std::uint64_t> *pub_fill = nullptr;  // double bits

  // ---- producer line -------------------------------------------------------
  alignas(kLine) std::atomic<std::uint64_t> tail{0};  // next position written
  std::uint64_t head_cache = 0;           // a past value of head (lower bound)
  std::uint64_t limit = UINT64_MAX;       // OVERWRITE: write below this (claim)
  std::atomic<std::uint64_t> dropped{0};  // written by the producer only

  // ---- consumer line -------------------------------------------------------
  alignas(kLine) std::atomic<std::uint64_t> head{0};  // oldest readable position
  std::atomic<std::uint64_t> claim{0};  // OVERWRITE: position | kClaimActive
  std::uint64_t tail_cache = 0;         // a past value of tail (lower bound)
  std::uint64_t view = 0;               // OVERWRITE: start of the last read/regions
  bool has_view = false;

  // ---- sleepers (written only while someone waits) -------------------------
  Waiter readers;  // the consumer in wait_readable; target: tail
  Waiter writers;  // the producer in wait_writable; target: head

  // ---- helpers ---------------------------------------------------------------
  // Copies between the ring positions [pos, pos + n) and a caller buffer.
  // The common case is one memcpy; a copy that crosses the end of a plain
  // (unmirrored) buffer goes out of line, so that the hot path keeps few
  // values alive across the call (each saved register is a store, and right
  // after a 4 KiB memcpy the store buffer is full). The int16 store
  // converts (produce.cpp).
  void store(std::uint64_t pos, const float *x, std::size_t n) noexcept {
    const std::uint64_t off = pos & mask;
    if (mirrored || off + n <= slots) std::memcpy(data + off, x, n * sizeof(float));
    else store_split(off, x, n);
  }
  void store(std::uint64_t pos, const std::int16_t *x, std::size_t n) noexcept;
  void load(std::uint64_t pos, std::size_t n, float *out) const noexcept {
    const std::uint64_t off = pos & mask;
    if (n == 0) return;  // out may be NULL then
    if (mirrored || off + n <= slots) std::memcpy(out, data + off, n * sizeof(float));
    else load_split(off, n, out);
  }
  void store_split(std::uint64_t off, const float *x, std::size_t n) noexcept;
  void load_split(std::uint64_t off, std::size_t n, float *out) const noexcept;
};

// ---- life cycle and queries (ring.cpp) ------------------------------------
// Status and, for the messages, the reason.
core_status create(const core_ring_options_t &opts, Ring **out, MapError *why);
void destroy(Ring *r);
std::uint64_t size(const Ring &r);
std::uint64_t space(const Ring &r);

// ---- publishing into a metrics registry (publish.cpp) ------------------------
// Registers the ring's metrics in opts.metrics (not NULL) in one step and
// points r's pub_* at them; on failure nothing is registered and *msg
// (size cap) says why.
core_status publish_register(const core_ring_options_t &opts, Ring &r, char *msg,
                             std::size_t cap);
// After a successful append of n samples (producer side, pub_appended set).
void publish_append(Ring &r, std::size_t n) noexcept;

// ---- producer (produce.cpp) -------------------------------------------------
core_status append_overwrite(Ring &r, const float *x, std::size_t n) noexcept;
core_status append_overwrite(Ring &r, const std::int16_t *x, std::size_t n) noexcept;

// ---- consumer (consume.cpp) -------------------------------------------------
// *avail receives the readable count seen when a call fails with EMPTY or
// BUFFER_TOO_SMALL.
core_status read(Ring &r, float *out, std::size_t n, std::uint64_t *avail);
core_status read_all(Ring &r, float *out, std::size_t cap, std::size_t *n);
core_status read_latest(Ring &r, float *out, std::size_t n, std::uint64_t *avail);
core_status regions(Ring &r, const float **p1, std::size_t *n1, const float **p2,
                    std::size_t *n2);
core_status consume_overwrite(Ring &r, std::size_t n, std::uint64_t *avail) noexcept;
core_status pop_overwrite(Ring &r, float *out, std::size_t n, std::size_t *got) noexcept;
void clear(Ring &r);

// ---- sleeping (wait.cpp) ----------------------------------------------------
// Called once by create: registers the process for membarrier when the
// kernel has it; false means the fast paths must fence instead.
bool init_asymmetric_fence();
core_status wait_readable(Ring &r, std::size_t n, int timeout_ms);
core_status wait_writable(Ring &r, std::size_t n, int timeout_ms);
// Wake the other side if it sleeps and its target is reached. Inline: this
// is the whole cost of the wait feature on the non-blocking path.
void wake(Waiter &w) noexcept;
inline void after_publish(const Ring &r, Waiter &w, std::uint64_t index) noexcept {
  // The compiler must not hoist the load above the index store just made;
  // the waiter's membarrier orders the CPU side (wait.cpp).
  if (r.strong_fence) std::atomic_thread_fence(std::memory_order_seq_cst);
  else std::atomic_signal_fence(std::memory_order_seq_cst);
  if (w.waiting.load(std::memory_order_acquire) != 0 &&
      index >= w.target.load(std::memory_order_relaxed))
    wake(w);
}

// ---- the hot calls, inline so the extern "C" layer compiles them in --------
// append, pop and consume under REJECT are a handful of instructions around
// the copy; OVERWRITE and everything else are out of line (produce.cpp,
// consume.cpp), where the protocol is explained. Each returns before
// touching any memory when it cannot proceed, and after the copy keeps
// only the ring and one index alive: a call boundary costs no more.

// Appends x[0, n), 0 < n <= cap. False, with nothing written, when the
// samples do not fit now.
template <class T>
inline bool append_reject(Ring &r, const T *x, std::size_t n) noexcept {
  const std::uint64_t t = r.tail.load(std::memory_order_relaxed);  // ours
  if (t + n - r.head_cache > r.cap) {
    r.head_cache = r.head.load(std::memory_order_acquire);
    if (t + n - r.head_cache > r.cap) return false;
  }
  r.store(t, x, n);
  r.tail.store(t + n, std::memory_order_release);
  after_publish(r, r.readers, t + n);
  return true;
}

// Under REJECT the consumer is head's only writer: its own last store is
// current, and tail_cache (a past tail) spares a load of the producer's
// line whenever it already covers the request.
inline std::uint64_t reject_readable(Ring &r, std::uint64_t h, std::uint64_t n) noexcept {
  std::uint64_t t = r.tail_cache;
  if (t - h < n) t = r.tail_cache = r.tail.load(std::memory_order_acquire);
  return t - h;
}

// Moves up to n samples to out; returns the count, also in *got (0 when
// empty).
inline std::size_t pop_reject(Ring &r, float *out, std::size_t n, std::size_t *got) noexcept {
  const std::uint64_t h = r.head.load(std::memory_order_relaxed);
  const std::uint64_t avail = reject_readable(r, h, n);
  const std::size_t m = static_cast<std::size_t>(avail < n ? avail : n);
  *got = m;
  if (m == 0) return 0;
  r.load(h, m, out);
  r.head.store(h + m, std::memory_order_release);
  after_publish(r, r.writers, h + m);
  return m;
}

// Discards n samples; false, with *avail = the readable count, when fewer
// are there.
inline bool consume_reject(Ring &r, std::size_t n, std::uint64_t *avail) noexcept {
  const std::uint64_t h = r.head.load(std::memory_order_relaxed);
  const std::uint64_t have = reject_readable(r, h, n);
  if (have < n) {
    *avail = have;
    return false;
  }
  if (n != 0) {
    r.head.store(h + n, std::memory_order_release);
    after_publish(r, r.writers, h + n);
  }
  return true;
}

}  // namespace ring
}  // namespace core

#endif
