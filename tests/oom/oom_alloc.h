/* The allocation hook of the out-of-memory harness (oom_alloc.cpp): the
 * test executable defines malloc, calloc, realloc, reallocarray, free,
 * posix_memalign, aligned_alloc, memalign, valloc, pvalloc, every C++
 * operator new (plain, array, nothrow, aligned), mmap/mmap64 and munmap,
 * so every allocation libcore.so, libstdc++, libkissfft and glibc itself
 * make resolves there (ELF symbol interposition: the executable comes
 * first in the lookup order; glibc routes its own internal malloc calls to
 * an interposed malloc too).
 *
 * Failing is armed per thread: oom_arm(k) opens a window on the calling
 * thread in which allocations are counted from 1 and the k-th fails (C
 * allocators return NULL / ENOMEM, operator new throws std::bad_alloc, the
 * nothrow forms return nullptr, mmap returns MAP_FAILED with errno ENOMEM).
 * Allocations of other threads are never failed.
 *
 * Independently, a process-wide live-block count: successful allocations
 * minus frees of non-NULL pointers, plus mappings minus unmappings (a
 * MAP_FIXED mapping replaces part of an existing one and is not a new
 * block), so a scenario can check that nothing leaked.
 *
 * Sanitizer builds replace malloc themselves: there this file defines
 * nothing and oom_available() returns 0 (the harness then exits 77). */
#ifndef CORE_TEST_OOM_ALLOC_H
#define CORE_TEST_OOM_ALLOC_H

#ifdef __cplusplus
extern "C" {
#endif

/* 1 when the allocators are interposed (not a sanitizer build). */
int oom_available(void);

/* Opens the window on this thread: allocation number k (from 1) fails;
 * k = 0 counts without failing. */
void oom_arm(long k);

/* Closes the window. Returns 1 when an allocation was failed in it. */
int oom_disarm(void);

/* Allocations counted in the last window of this thread (up to its close). */
long oom_counted(void);

/* The live-block count (process-wide). */
long oom_live(void);

#ifdef __cplusplus
}
#endif

#endif
