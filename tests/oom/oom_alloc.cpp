// The allocation hook of the out-of-memory harness: see oom_alloc.h for
// what it does. Written in C++ so that an injected failure of operator new
// throws std::bad_alloc, as the real one does when memory runs out (the
// nothrow forms return nullptr instead).
//
// Every allocator below takes its memory from glibc's own (__libc_malloc
// and friends, still exported for this purpose), so the process keeps one
// heap. The deletes are not defined: libstdc++'s call free, which is ours.
#include "oom_alloc.h"

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <new>

#include <linux/mman.h>  // MAP_FIXED only: <sys/mman.h> would rename mmap to mmap64
#include <sys/syscall.h>
#include <unistd.h>

#include "../unit/sanitized.h"

#ifndef NO_INTERPOSE

extern "C" {
void *__libc_malloc(std::size_t);
void *__libc_calloc(std::size_t, std::size_t);
void *__libc_realloc(void *, std::size_t);
void __libc_free(void *);
void *__libc_memalign(std::size_t, std::size_t);
}

namespace {

std::atomic<long> g_live{0};

// This thread's window. Plain __thread ints: initial-exec TLS of the
// executable, usable from the first allocation of a thread on, and never
// allocating themselves.
__thread int tl_armed;
__thread long tl_fail_at;
__thread long tl_count;
__thread int tl_injected;

}  // namespace

// Called on each injected failure: a place for a debugger's breakpoint
// (gdb -ex 'break oom_injected' ...) to see who allocates.
extern "C" __attribute__((noinline)) void oom_injected(long k) { asm volatile("" ::"r"(k)); }

namespace {

// Counts an allocation of this thread's window; true when it must fail,
// with errno = ENOMEM as a real failure sets it (fdopen, for one, reports
// it).
inline bool fail_now() {
  if (!tl_armed) return false;
  if (++tl_count != tl_fail_at) return false;
  tl_injected = 1;
  errno = ENOMEM;
  oom_injected(tl_count);
  return true;
}

inline void *counted(void *p) {
  if (p != nullptr) g_live.fetch_add(1, std::memory_order_relaxed);
  return p;
}

std::size_t page_size() {
  const long p = sysconf(_SC_PAGESIZE);
  return p > 0 ? static_cast<std::size_t>(p) : 4096;
}

void *aligned(std::size_t al, std::size_t n) {
  return counted(__libc_memalign(al < sizeof(void *) ? sizeof(void *) : al, n));
}

// operator new: the k-th allocation throws, as an exhausted heap would.
void *new_or_throw(std::size_t n, std::size_t al) {
  if (fail_now()) throw std::bad_alloc();
  if (n == 0) n = 1;
  void *p = al > __STDCPP_DEFAULT_NEW_ALIGNMENT__ ? aligned(al, n) : counted(__libc_malloc(n));
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

void *new_or_null(std::size_t n, std::size_t al) noexcept {
  if (fail_now()) return nullptr;
  if (n == 0) n = 1;
  return al > __STDCPP_DEFAULT_NEW_ALIGNMENT__ ? aligned(al, n) : counted(__libc_malloc(n));
}

}  // namespace

extern "C" {

void *malloc(std::size_t n) { return fail_now() ? nullptr : counted(__libc_malloc(n)); }

void *calloc(std::size_t a, std::size_t b) {
  return fail_now() ? nullptr : counted(__libc_calloc(a, b));
}

void *realloc(void *p, std::size_t n) {
  if (p == nullptr) return malloc(n);
  if (n == 0) {  // glibc frees and returns NULL: a free, never failed
    g_live.fetch_sub(1, std::memory_order_relaxed);
    return __libc_realloc(p, 0);
  }
  if (fail_now()) return nullptr;  // p stays valid, as with a real failure
  return __libc_realloc(p, n);     // moves or grows the same block
}

void *reallocarray(void *p, std::size_t a, std::size_t b) {
  std::size_t n;
  if (__builtin_mul_overflow(a, b, &n)) {
    errno = ENOMEM;
    return nullptr;
  }
  return realloc(p, n);
}

void free(void *p) {
  if (p == nullptr) return;
  g_live.fetch_sub(1, std::memory_order_relaxed);
  __libc_free(p);
}

void *memalign(std::size_t al, std::size_t n) { return fail_now() ? nullptr : aligned(al, n); }

void *aligned_alloc(std::size_t al, std::size_t n) {
  return fail_now() ? nullptr : aligned(al, n);
}

void *valloc(std::size_t n) { return fail_now() ? nullptr : aligned(page_size(), n); }

void *pvalloc(std::size_t n) {
  const std::size_t ps = page_size();
  return fail_now() ? nullptr : aligned(ps, (n + ps - 1) / ps * ps);
}

int posix_memalign(void **out, std::size_t al, std::size_t n) {
  if (al % sizeof(void *) != 0 || (al & (al - 1)) != 0) return EINVAL;
  if (fail_now()) return ENOMEM;
  void *p = aligned(al, n);
  if (p == nullptr) return ENOMEM;
  *out = p;
  return 0;
}

// Mappings (the ring's storage, core_stats_file_f32's file view). With
// _FILE_OFFSET_BITS=64 callers bind to mmap64, so both names are defined.
// A MAP_FIXED mapping lands inside an existing one (the ring's mirror maps
// its two halves into one reservation, later unmapped at once), so it is
// not a new block.
void *mmap64(void *addr, std::size_t len, int prot, int flags, int fd, long off);
void *mmap(void *addr, std::size_t len, int prot, int flags, int fd, long off);
int munmap(void *addr, std::size_t len);

void *mmap64(void *addr, std::size_t len, int prot, int flags, int fd, long off) {
  if (fail_now()) {
    errno = ENOMEM;
    return reinterpret_cast<void *>(-1);  // MAP_FAILED
  }
  void *p = reinterpret_cast<void *>(syscall(SYS_mmap, addr, len, prot, flags, fd, off));
  if (p != reinterpret_cast<void *>(-1) && (flags & MAP_FIXED) == 0)
    g_live.fetch_add(1, std::memory_order_relaxed);
  return p;
}

void *mmap(void *addr, std::size_t len, int prot, int flags, int fd, long off) {
  return mmap64(addr, len, prot, flags, fd, off);
}

int munmap(void *addr, std::size_t len) {
  const long r = syscall(SYS_munmap, addr, len);
  if (r == 0) g_live.fetch_sub(1, std::memory_order_relaxed);
  return static_cast<int>(r);
}

int oom_available(void) { return 1; }

void oom_arm(long k) {
  tl_count = 0;
  tl_injected = 0;
  tl_fail_at = k > 0 ? k : -1;
  tl_armed = 1;
}

int oom_disarm(void) {
  tl_armed = 0;
  return tl_injected;
}

long oom_counted(void) { return tl_count; }

long oom_live(void) { return g_live.load(std::memory_order_relaxed); }

}  // extern "C"

// Every replaceable operator new (the deletes stay libstdc++'s).
void *operator new(std::size_t n) { return new_or_throw(n, 0); }
void *operator new[](std::size_t n) { return new_or_throw(n, 0); }
void *operator new(std::size_t n, const std::nothrow_t &) noexcept { return new_or_null(n, 0); }
void *operator new[](std::size_t n, const std::nothrow_t &) noexcept {
  return new_or_null(n, 0);
}
void *operator new(std::size_t n, std::align_val_t al) {
  return new_or_throw(n, static_cast<std::size_t>(al));
}
void *operator new[](std::size_t n, std::align_val_t al) {
  return new_or_throw(n, static_cast<std::size_t>(al));
}
void *operator new(std::size_t n, std::align_val_t al, const std::nothrow_t &) noexcept {
  return new_or_null(n, static_cast<std::size_t>(al));
}
void *operator new[](std::size_t n, std::align_val_t al, const std::nothrow_t &) noexcept {
  return new_or_null(n, static_cast<std::size_t>(al));
}

#else  // sanitizer build: nothing is interposed

extern "C" {
int oom_available(void) { return 0; }
void oom_arm(long) {}
int oom_disarm(void) { return 0; }
long oom_counted(void) { return 0; }
long oom_live(void) { return 0; }
}

#endif
