// See sigbus.h. Everything the handler touches is a lock-free atomic or a
// value written before the handler was installed; it calls only mmap,
// sigaction and raise (mmap is not on POSIX's async-signal-safe list, but
// on Linux it is a plain system call that takes no user-space lock, the
// same assumption libsigsegv and garbage collectors rely on).
#include "libcore/batch/sigbus.h"

#include <atomic>
#include <cstdint>
#include <mutex>

#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

namespace core {
namespace sigbus {

namespace {

// Concurrent core_stats_file_f32 calls using a mapping; a call that finds
// every slot taken reads the file instead.
constexpr int kSlots = 64;

struct Slot {
  std::atomic<std::uintptr_t> base{0};  // 0 = free; written last on claim
  std::atomic<std::size_t> len{0};
  std::atomic<int> faulted{0};
  std::atomic<int> claimed{0};
};

Slot g_slots[kSlots];
std::uintptr_t g_page = 4096;  // set before the handler is installed
std::mutex g_install_mutex;

void on_sigbus(int sig, siginfo_t *info, void *) {
  const auto addr = reinterpret_cast<std::uintptr_t>(info->si_addr);
  if (info->si_code > 0) {  // a real fault, not kill() / raise()
    for (Slot &s : g_slots) {
      const std::uintptr_t base = s.base.load(std::memory_order_acquire);
      if (base == 0 || addr < base) continue;
      const std::size_t len = s.len.load(std::memory_order_relaxed);
      if (addr - base >= len) continue;
      // The file was cut somewhere before addr: zero pages from there to
      // the end of the mapping, so this thread and any other reading the
      // tail see zeros instead of faulting again.
      const std::uintptr_t page = addr & ~(g_page - 1);
      const std::uintptr_t end = (base + len + g_page - 1) & ~(g_page - 1);
      void *p = mmap(reinterpret_cast<void *>(page), end - page, PROT_READ,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
      if (p != MAP_FAILED) {
        s.faulted.store(1, std::memory_order_relaxed);
        return;  // the load runs again and reads a zero
      }
      break;
    }
  }
  // Not ours: what would have happened without us. The handler replaced
  // SIG_DFL, so restore it; a fault then repeats and terminates the process
  // at the faulting instruction, a sent signal is raised again (it is
  // blocked until this handler returns).
  struct sigaction dfl = {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(sig, &dfl, nullptr);
  if (info->si_code <= 0) raise(sig);
}

bool is_ours(const struct sigaction &sa) {
  return (sa.sa_flags & SA_SIGINFO) != 0 && sa.sa_sigaction == on_sigbus;
}

// Whether our handler is in place now, installing it over SIG_DFL.
bool ensure_handler() {
  std::lock_guard<std::mutex> lock(g_install_mutex);
  struct sigaction cur;
  if (sigaction(SIGBUS, nullptr, &cur) != 0) return false;
  if (is_ours(cur)) return true;
  if ((cur.sa_flags & SA_SIGINFO) != 0 || cur.sa_handler != SIG_DFL) return false;
  const long page = sysconf(_SC_PAGESIZE);
  if (page > 0) g_page = static_cast<std::uintptr_t>(page);
  struct sigaction sa = {};
  sa.sa_sigaction = on_sigbus;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
  sigemptyset(&sa.sa_mask);
  return sigaction(SIGBUS, &sa, nullptr) == 0;
}

}  // namespace

Guard::Guard(const void *base, std::size_t len) {
  if (!ensure_handler()) return;
  for (int i = 0; i < kSlots; ++i) {
    int expected = 0;
    if (!g_slots[i].claimed.compare_exchange_strong(expected, 1, std::memory_order_acquire))
      continue;
    g_slots[i].faulted.store(0, std::memory_order_relaxed);
    g_slots[i].len.store(len, std::memory_order_relaxed);
    g_slots[i].base.store(reinterpret_cast<std::uintptr_t>(base), std::memory_order_release);
    slot_ = i;
    return;
  }
}

Guard::~Guard() {
  if (slot_ < 0) return;
  g_slots[slot_].base.store(0, std::memory_order_release);
  g_slots[slot_].claimed.store(0, std::memory_order_release);
}

bool Guard::faulted() const {
  return slot_ >= 0 && g_slots[slot_].faulted.load(std::memory_order_relaxed) != 0;
}

}  // namespace sigbus
}  // namespace core
