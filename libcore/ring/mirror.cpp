// The ring's sample memory: a plain anonymous mapping, or the mirror.
//
// The mirror maps one memfd twice, back to back:
//
//     reserve 2 * bytes of address space (PROT_NONE, anonymous)
//     [base, base + bytes)          <- memfd, offset 0, MAP_SHARED | MAP_FIXED
//     [base + bytes, base + 2bytes) <- the same memfd again
//
// so data[i] and data[i + slots] are the same float and any span of at most
// `slots` samples starting anywhere in the first half is contiguous. The
// descriptor is closed right away (the mappings keep the file alive). bytes
// must be a multiple of the page size: the caller rounds slots up to a page.
//
// Every step can fail for reasons outside our control (no memfd_create in
// the kernel or blocked by seccomp, no descriptor left under RLIMIT_NOFILE,
// address space exhausted): then the ring falls back to a plain mapping,
// unless the caller required the mirror. Both kinds of mapping are
// prefaulted (MAP_POPULATE), so the first lap of an audio thread takes no
// page faults; the pages are not locked (mlockall is the caller's choice).
#include "libcore/ring/ring.h"

#include <cerrno>

#include <sys/mman.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif

namespace core {
namespace ring {

namespace {

#if defined(__linux__) && defined(SYS_memfd_create)
// The libc wrapper needs glibc 2.27; the system call is older.
int make_memfd(std::size_t bytes) {
  const int fd = static_cast<int>(syscall(SYS_memfd_create, "libcore-ring", 1u /* CLOEXEC */));
  if (fd < 0) return -1;
  if (ftruncate(fd, static_cast<off_t>(bytes)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}
#else
int make_memfd(std::size_t) { return -1; }
#endif

#if defined(MAP_POPULATE)
constexpr int kPopulate = MAP_POPULATE;
#else
constexpr int kPopulate = 0;
#endif

// *nomem tells a mapping refused for lack of memory (ENOMEM) from a mirror
// that is impossible here: under CORE_RING_MIRROR_REQUIRE the first is
// CORE_E_OUT_OF_MEMORY, not CORE_E_UNSUPPORTED.
bool map_mirror(std::size_t bytes, Storage *out, bool *nomem) {
  *nomem = false;
  const int fd = make_memfd(bytes);
  if (fd < 0) return false;
  void *base = mmap(nullptr, 2 * bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  bool ok = base != MAP_FAILED;
  if (!ok) *nomem = errno == ENOMEM;
  if (ok) {
    char *const b = static_cast<char *>(base);
    for (int half = 0; half < 2 && ok; ++half) {
      void *p = mmap(b + half * bytes, bytes, PROT_READ | PROT_WRITE,
                     MAP_SHARED | MAP_FIXED | kPopulate, fd, 0);
      ok = p == b + half * bytes;
      if (!ok) *nomem = p == MAP_FAILED && errno == ENOMEM;
    }
    if (!ok) munmap(base, 2 * bytes);
  }
  close(fd);
  if (!ok) return false;
  out->map = base;
  out->map_bytes = 2 * bytes;
  out->data = static_cast<float *>(base);
  out->mirrored = true;
  return true;
}

bool map_plain(std::size_t bytes, Storage *out) {
  void *p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | kPopulate,
                 -1, 0);
  if (p == MAP_FAILED) return false;
  out->map = p;
  out->map_bytes = bytes;
  out->data = static_cast<float *>(p);
  out->mirrored = false;
  return true;
}

}  // namespace

std::uint64_t page_floats() {
  const long page = sysconf(_SC_PAGESIZE);
  return static_cast<std::uint64_t>(page > 0 ? page : 4096) / sizeof(float);
}

MapError map_storage(std::uint64_t slots, bool mirror, bool require, Storage *out) {
  const std::size_t bytes = static_cast<std::size_t>(slots) * sizeof(float);
  out->slots = slots;
  if (mirror) {
    bool nomem = false;
    if (bytes % (page_floats() * sizeof(float)) == 0 && map_mirror(bytes, out, &nomem))
      return MapError::kNone;
    if (require) return nomem ? MapError::kNoMemory : MapError::kNoMirror;
  }
  return map_plain(bytes, out) ? MapError::kNone : MapError::kNoMemory;
}

void unmap_storage(Storage *s) {
  if (s->map != nullptr) munmap(s->map, s->map_bytes);
  *s = Storage{};
}

}  // namespace ring
}  // namespace core
