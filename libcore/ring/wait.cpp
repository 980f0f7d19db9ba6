// Optional sleeping: wait_readable / wait_writable, on a futex.
//
// The non-blocking calls must not pay for this feature, so after publishing
// its index a side only does `if (other.waiting) ...`: one load of a cache
// line nobody writes while nobody sleeps, no fence. That is a Dekker
// pattern with a missing store-load fence on the fast side (publish index,
// then read `waiting`), and the sleeper (set `waiting`, then read the
// index) pays for both with an asymmetric barrier: membarrier(2)
// MEMBARRIER_CMD_PRIVATE_EXPEDITED runs a full fence on every CPU currently
// running a thread of this process, so after it either the other side's
// index store is visible to the sleeper's check, or the other side's later
// load of `waiting` sees 1 (as folly's asymmetricHeavyBarrier). Where the
// kernel lacks membarrier, create sets strong_fence and the fast paths use a
// real seq_cst fence instead (correct, ~20 cycles more per call).
//
// A sleeper also publishes a target (the index value that satisfies it), so
// the other side calls futex_wake only when the sleeper can proceed, not on
// every append. Each wake bumps `epoch`, the futex word: a sleeper reads
// the epoch before its final check, and FUTEX_WAIT returns at once if a
// wake came in between, so no wake is lost.
#include <cerrno>
#include <ctime>

#include "libcore/ring/ring.h"

#if defined(__linux__)
#include <linux/futex.h>
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace core {
namespace ring {

namespace {

#if defined(__linux__)
long membarrier(int cmd) { return syscall(SYS_membarrier, cmd, 0u, 0); }

bool register_membarrier() {
  const long cmds = membarrier(MEMBARRIER_CMD_QUERY);
  if (cmds < 0 || (cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED) == 0) return false;
  return membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) == 0;
}

void heavy_barrier(const Ring &r) {
  if (r.strong_fence || membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) != 0)
    std::atomic_thread_fence(std::memory_order_seq_cst);
}

// Sleeps while *word == expected, at most until `deadline` (nullptr: no
// limit). Spurious returns are fine: the caller re-checks.
void futex_sleep(std::atomic<std::uint32_t> *word, std::uint32_t expected,
                 const timespec *deadline) {
  timespec rel{}, *prel = nullptr;
  if (deadline != nullptr) {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    long long ns = (static_cast<long long>(deadline->tv_sec) - now.tv_sec) * 1000000000LL +
                   (deadline->tv_nsec - now.tv_nsec);
    if (ns <= 0) return;
    rel.tv_sec = static_cast<time_t>(ns / 1000000000LL);
    rel.tv_nsec = static_cast<long>(ns % 1000000000LL);
    prel = &rel;
  }
  static_assert(sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t), "futex word");
  syscall(SYS_futex, reinterpret_cast<std::uint32_t *>(word), FUTEX_WAIT_PRIVATE, expected,
          prel, nullptr, 0);
}

void futex_wake_all(std::atomic<std::uint32_t> *word) {
  syscall(SYS_futex, reinterpret_cast<std::uint32_t *>(word), FUTEX_WAKE_PRIVATE, INT32_MAX,
          nullptr, nullptr, 0);
}
#else
// Portable fallback: fenced fast paths and short sleeps.
bool register_membarrier() { return false; }
void heavy_barrier(const Ring &) { std::atomic_thread_fence(std::memory_order_seq_cst); }
void futex_sleep(std::atomic<std::uint32_t> *, std::uint32_t, const timespec *) {
  timespec d{0, 200000};
  nanosleep(&d, nullptr);
}
void futex_wake_all(std::atomic<std::uint32_t> *) {}
#endif

bool past(const timespec &deadline) {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return now.tv_sec > deadline.tv_sec ||
         (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec);
}

// Sleeps on w until ready() or the timeout. target() gives a lower bound of
// the other side's index that makes ready() true; it is refreshed before
// each sleep (under OVERWRITE the producer's drops raise it). A stale,
// lower target only causes an early wake, never a missed one.
template <class Target, class Ready>
bool sleep_until(const Ring &r, Waiter &w, Target target, int timeout_ms, Ready ready) {
  if (ready()) return true;
  if (timeout_ms == 0) return false;
  timespec deadline{}, *pdeadline = nullptr;
  if (timeout_ms > 0) {
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += timeout_ms / 1000;
    deadline.tv_nsec += static_cast<long>(timeout_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) deadline.tv_sec += 1, deadline.tv_nsec -= 1000000000L;
    pdeadline = &deadline;
  }
  w.target.store(target(), std::memory_order_relaxed);
  w.waiting.store(1, std::memory_order_release);
  heavy_barrier(r);
  bool ok = false;
  for (;;) {
    w.target.store(target(), std::memory_order_relaxed);
    const std::uint32_t e = w.epoch.load(std::memory_order_acquire);
    if (ready()) {
      ok = true;
      break;
    }
    if (pdeadline != nullptr && past(deadline)) break;
    futex_sleep(&w.epoch, e, pdeadline);
  }
  w.waiting.store(0, std::memory_order_relaxed);
  return ok;
}

}  // namespace

bool init_asymmetric_fence() {
  static const bool ok = register_membarrier();  // once per process
  return ok;
}

void wake(Waiter &w) noexcept {
  w.epoch.fetch_add(1, std::memory_order_release);
  futex_wake_all(&w.epoch);
}

core_status wait_readable(Ring &r, std::size_t n, int timeout_ms) {
  // size() >= n  <=>  tail >= head + n, and head only grows: head + n is a
  // lower bound of the tail that satisfies us.
  const auto target = [&r, n] { return r.head.load(std::memory_order_acquire) + n; };
  const bool ok = sleep_until(r, r.readers, target, timeout_ms, [&r, n] {
    const std::uint64_t h = r.head.load(std::memory_order_acquire);
    return r.tail.load(std::memory_order_acquire) - h >= n;
  });
  return ok ? CORE_OK : CORE_E_EMPTY;
}

core_status wait_writable(Ring &r, std::size_t n, int timeout_ms) {
  // space() >= n  <=>  head >= tail + n - cap, and the tail is ours.
  const std::uint64_t t = r.tail.load(std::memory_order_relaxed);
  const std::uint64_t target = t + n > r.cap ? t + n - r.cap : 0;
  const bool ok = sleep_until(r, r.writers, [target] { return target; }, timeout_ms, [&r, target] {
    return r.head.load(std::memory_order_acquire) >= target;
  });
  return ok ? CORE_OK : CORE_E_FULL;
}

}  // namespace ring
}  // namespace core
