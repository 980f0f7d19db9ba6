/* The counting allocator of alloc_count.h. */
#include "alloc_count.h"

#include <errno.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

atomic_long g_allocs, g_news, g_maps;

#ifndef NO_INTERPOSE

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);

static atomic_int g_open;      /* some thread has a window open */
static __thread int tl_window; /* this thread's window is open */


/* tl_window is read only once g_open is set, i.e. long after start-up. */
static int counting(void) { return atomic_load(&g_open) && tl_window; }
static void note(atomic_long *c) {
  if (counting()) atomic_fetch_add(c, 1);
}

void *malloc(size_t n) { note(&g_allocs); return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { note(&g_allocs); return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { note(&g_allocs); return __libc_realloc(p, n); }
void free(void *p) { __libc_free(p); }
void *memalign(size_t al, size_t n) { note(&g_allocs); return __libc_memalign(al, n); }
void *aligned_alloc(size_t al, size_t n) { note(&g_allocs); return __libc_memalign(al, n); }
void *valloc(size_t n) {
  note(&g_allocs);
  return __libc_memalign((size_t)sysconf(_SC_PAGESIZE), n);
}
int posix_memalign(void **out, size_t al, size_t n) {
  note(&g_allocs);
  void *p = __libc_memalign(al < sizeof(void *) ? sizeof(void *) : al, n);
  if (p == NULL) return ENOMEM;
  *out = p;
  return 0;
}

/* operator new: plain, array, nothrow, aligned (Itanium C++ ABI names).
 * The deletes stay libstdc++'s, which call free above. */
static void *cxx_new(size_t n, size_t al) {
  note(&g_news);
  return al > 16 ? __libc_memalign(al, n ? n : 1) : __libc_malloc(n ? n : 1);
}
void *_Znwm(size_t n) { return cxx_new(n, 0); }
void *_Znam(size_t n) { return cxx_new(n, 0); }
void *_ZnwmRKSt9nothrow_t(size_t n, const void *t) { (void)t; return cxx_new(n, 0); }
void *_ZnamRKSt9nothrow_t(size_t n, const void *t) { (void)t; return cxx_new(n, 0); }
void *_ZnwmSt11align_val_t(size_t n, size_t al) { return cxx_new(n, al); }
void *_ZnamSt11align_val_t(size_t n, size_t al) { return cxx_new(n, al); }
void *_ZnwmSt11align_val_tRKSt9nothrow_t(size_t n, size_t al, const void *t) {
  (void)t;
  return cxx_new(n, al);
}
void *_ZnamSt11align_val_tRKSt9nothrow_t(size_t n, size_t al, const void *t) {
  (void)t;
  return cxx_new(n, al);
}

/* Mappings count as allocations too (the ring's storage is mmapped). With
 * _FILE_OFFSET_BITS=64 (meson's default) callers bind to mmap64, so both
 * names are defined; <sys/mman.h> stays out, as it renames mmap. */
void *mmap64(void *addr, size_t len, int prot, int flags, int fd, long off);
void *mmap(void *addr, size_t len, int prot, int flags, int fd, long off);
void *mmap64(void *addr, size_t len, int prot, int flags, int fd, long off) {
  note(&g_maps);
  return (void *)syscall(SYS_mmap, addr, len, prot, flags, fd, off);
}
void *mmap(void *addr, size_t len, int prot, int flags, int fd, long off) {
  return mmap64(addr, len, prot, flags, fd, off);
}

void window_open(void) {
  tl_window = 1;
  atomic_store(&g_open, 1);
}
void window_close(void) { tl_window = 0; }
void reset(void) {
  atomic_store(&g_allocs, 0), atomic_store(&g_news, 0), atomic_store(&g_maps, 0);
}

#else
void window_open(void) {}
void window_close(void) {}
void reset(void) {}
#endif
