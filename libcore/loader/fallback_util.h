/* Private helpers of the portable fallback (fallback_*.c): the argument
 * checks of libcore/abi/guard.h in C, the block size shared with the
 * library, and the attributes that let the compiler vectorize the hot
 * block kernels. Not installed; nothing here is exported. */
#ifndef LIBCORE_LOADER_FALLBACK_UTIL_H
#define LIBCORE_LOADER_FALLBACK_UTIL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "libcore/loader/fallback.h"

/* Elements per reduction block, as in the library (libcore/simd/kernels.h:
 * kBlock). Results are only comparable with the library's if the blocks and
 * the merge tree over them are the same. */
#define FB_BLOCK ((size_t)2048)

/* Independent float64 accumulators per sum in the block kernels: element
 * i of a row of FB_LANES goes to lane i. The C code fixes which element
 * goes into which lane and in which order the lanes are added, so SIMD
 * changes no rounding: the results are the same on every target, with or
 * without the vector types below. */
#define FB_LANES 16

/* GCC and Clang vector types for the hot stats kernels. Plain arrays of
 * lanes are vectorized by GCC too, but kept in memory between rows (a store
 * and a reload in every accumulator's dependency chain, 2-3x slower);
 * arrays of vector-typed values in fully unrolled loops become registers.
 * Two widths: 16 bytes (SSE2, NEON, VSX, ...; a target without SIMD gets
 * scalar code from the compiler) and 32 bytes (AVX2, chosen at run time on
 * x86-64, see FB_AVX2). fb_vdN
 * holds N float64 lanes, fb_vfN N float32 lanes, fb_v*iN their comparison
 * masks. Lanes are still FB_LANES per row, so the results do not depend on
 * the width. Other compilers use the plain arrays (same results, slower). */
#if (defined(__GNUC__) || defined(__clang__)) && !defined(CORE_FB_NO_VECTOR_TYPES)
#define FB_VECTOR 1
typedef double fb_vd2 __attribute__((vector_size(16)));
typedef int64_t fb_vdi2 __attribute__((vector_size(16)));
typedef float fb_vf4 __attribute__((vector_size(16)));
typedef int32_t fb_vfi4 __attribute__((vector_size(16)));
typedef double fb_vd4 __attribute__((vector_size(32)));
typedef int64_t fb_vdi4 __attribute__((vector_size(32)));
typedef float fb_vf8 __attribute__((vector_size(32)));
typedef int32_t fb_vfi8 __attribute__((vector_size(32)));
/* Consecutive elements at p (any alignment) as float64 or float32 lanes;
 * compilers turn these into one (converting) vector load. */
#define FB_LD_D2(p) ((fb_vd2){(double)(p)[0], (double)(p)[1]})
#define FB_LD_D4(p) ((fb_vd4){(double)(p)[0], (double)(p)[1], (double)(p)[2], (double)(p)[3]})
#define FB_LD_F4(p) ((fb_vf4){(p)[0], (p)[1], (p)[2], (p)[3]})
#define FB_LD_F8(p) ((fb_vf8){(p)[0], (p)[1], (p)[2], (p)[3], (p)[4], (p)[5], (p)[6], (p)[7]})
/* Lane-wise a < b ? a : b (and >), as a bit select: C has no vector ?:. */
#define FB_VSEL(VI, m, a, b) ((__typeof__(a))(((VI)(a) & (m)) | ((VI)(b) & ~(m))))
#define FB_VMIN(VI, a, b) FB_VSEL(VI, (VI)((a) < (b)), a, b)
#define FB_VMAX(VI, a, b) FB_VSEL(VI, (VI)((a) > (b)), a, b)
/* Loops over the vectors of a row must be unrolled before register
 * allocation for the arrays of vectors to become registers. */
#define FB_UNROLL _Pragma("GCC unroll 8")
#else
#define FB_VECTOR 0
#endif

/* x86-64 with GCC or Clang: the stats kernels are built a second time with
 * 32-byte vectors for AVX2 and chosen per call (fb_have_avx2). Same lanes,
 * same arithmetic, same results; twice the SIMD width of the SSE2 baseline.
 * CORE_FB_NO_AVX2 turns it off. */
#if FB_VECTOR && defined(__x86_64__) && !defined(CORE_FB_NO_AVX2)
#define FB_AVX2 1
static inline int fb_have_avx2(void) {
  __builtin_cpu_init(); /* idempotent; needed if called before constructors */
  return __builtin_cpu_supports("avx2");
}
#else
#define FB_AVX2 0
#endif

/* The simpler loops elsewhere (plain C, vectorized by the compiler) are
 * also built for AVX2 on x86-64 with GCC and glibc (ifunc) and picked at
 * load time. CORE_FB_NO_CLONES turns the clones off. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && \
    defined(__GLIBC__) && defined(__ELF__) && !defined(CORE_FB_NO_CLONES)
#define FB_HOT __attribute__((target_clones("avx2", "default")))
#else
#define FB_HOT
#endif

/* Element-wise loops as rows of FB_ROW with a fixed-length inner loop and a
 * scalar tail: at -O2 GCC vectorizes only loops whose trip count needs no
 * epilogue, so `for (i < n)` would stay scalar. STMT uses the index j. */
#define FB_ROW 16
#define FB_EACH(i, j, n, STMT)                                   \
  do {                                                           \
    for (i = 0; i + FB_ROW <= (n); i += FB_ROW)                  \
      for (j = i; j < i + FB_ROW; ++j) STMT;                     \
    for (j = i; j < (n); ++j) STMT;                              \
  } while (0)

#if defined(__GNUC__) || defined(__clang__)
#define FB_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define FB_UNLIKELY(x) (x)
#endif

/* ---- argument checks: same conditions and wording as libcore's ---------- */

/* Each public function declares `static const char *const fb_fn =
 * "core_<name>";` so messages name the function the caller called. */
#define FB_CHECK(cond, status, ...)         \
  do {                                      \
    if (!(cond)) {                          \
      core_fb_set_error(fb_fn, __VA_ARGS__); \
      return (status);                      \
    }                                       \
  } while (0)
#define FB_REQUIRE(cond, ...) FB_CHECK(cond, CORE_E_INVALID_ARGUMENT, __VA_ARGS__)
/* As the library's CORE_REQUIRE_ARRAY (libcore/abi/guard.h): ptr may be
 * NULL only when n is 0, and a length whose byte size is above PTRDIFF_MAX
 * is refused before the array is touched. */
#define FB_REQUIRE_ARRAY(ptr, n)                                                      \
  do {                                                                                \
    FB_REQUIRE((ptr) != NULL || (n) == 0, "%s is NULL but its length is %zu", #ptr,   \
               (size_t)(n));                                                          \
    FB_REQUIRE((size_t)(n) <= (size_t)PTRDIFF_MAX / sizeof(*(ptr)),                   \
               "%s has length %zu, more elements than memory can hold (its byte size " \
               "overflows)",                                                          \
               #ptr, (size_t)(n));                                                    \
  } while (0)
#define FB_REQUIRE_OUT(ptr) FB_REQUIRE((ptr) != NULL, "%s is NULL", #ptr)
#define FB_REQUIRE_NAN_POLICY(p)                                                    \
  FB_REQUIRE((p) == CORE_NAN_PROPAGATE || (p) == CORE_NAN_OMIT,                      \
             "nan policy must be CORE_NAN_PROPAGATE (0) or CORE_NAN_OMIT (1), got %d", \
             (int)(p))

/* Byte size of n elements of size es, saturated (an overflowing size then
 * still compares as "reaches everything"). */
static inline size_t fb_bytes(size_t n, size_t es) {
  return n > SIZE_MAX / es ? SIZE_MAX : n * es;
}

/* True when [a, a + an) and [b, b + bn) share a byte. Compares distances,
 * so a saturated length cannot wrap around the address space. */
static inline int fb_overlaps(const void *a, size_t an, const void *b, size_t bn) {
  const uintptr_t pa = (uintptr_t)a, pb = (uintptr_t)b;
  if (an == 0 || bn == 0) return 0;
  return pa <= pb ? pb - pa < an : pa - pb < bn;
}

/* Blocks of FB_BLOCK elements covering n >= 1, and the length of block b. */
static inline size_t fb_block_count(size_t n) { return (n + FB_BLOCK - 1) / FB_BLOCK; }
static inline size_t fb_block_len(size_t b, size_t n) {
  const size_t off = b * FB_BLOCK;
  return n - off < FB_BLOCK ? n - off : FB_BLOCK;
}

/* ---- the reduction pieces shared by fallback_stats.c and the batch ------- */

/* One block's moments; mean = shift + dsum / count (libcore/simd/kernels.h:
 * BlockMoments). */
typedef struct fb_block {
  uint64_t count, nan_count;
  double min, max, sum, shift, dsum, m2;
} fb_block;

/* Reduces x[0, n) (1 <= n <= FB_BLOCK elements of float, or of double when
 * f64) to its block moments, NaNs skipped when omit. */
typedef void (*fb_block_fn)(const void *x, size_t n, int omit, fb_block *out);
/* The block kernel for this CPU (every choice gives the same bits). */
fb_block_fn core_fb_block_kernel(int f64);
/* A block's summary, its mean an offset from the reference k (libcore's
 * from_block). */
core_stats_t core_fb_summary_of_block(const fb_block *m, double k);
/* The empty summary with nan_count NaNs (libcore's empty_stats). */
core_stats_t core_fb_summary_empty(uint64_t nan_count);
/* Chan's merge; an empty summary is the identity (libcore's core::merge). */
core_stats_t core_fb_summary_merge(const core_stats_t *a, const core_stats_t *b);

/* The accumulator of fallback_batch.c without argument checks, for the file
 * reader (fallback_batch_file.c): init, push float32 values, read. */
void core_fb_acc_start(core_stats_acc_t *acc, int omit, uint64_t total);
void core_fb_acc_add_f32(core_stats_acc_t *acc, const float *x, size_t n);
core_stats_t core_fb_acc_summary(const core_stats_acc_t *acc);

/* Sum of the FB_LANES lanes, pairwise (fixed order: reproducible). */
static inline double fb_lanes_sum(const double *l) {
  double t[FB_LANES / 2];
  size_t w, j;
  for (j = 0; j < FB_LANES / 2; ++j) t[j] = l[2 * j] + l[2 * j + 1];
  for (w = FB_LANES / 4; w >= 1; w /= 2)
    for (j = 0; j < w; ++j) t[j] = t[2 * j] + t[2 * j + 1];
  return t[0];
}

/* The body of a stateful module's stub: no portable version exists. */
#define FB_UNAVAILABLE(fn_name, module)                                                \
  do {                                                                                 \
    core_fb_set_error(fn_name, "unavailable: libcore.so.1 is not loaded and the "      \
                               module " has no portable fallback (see "                \
                               "core_api_load_error())");                              \
    return CORE_E_UNAVAILABLE;                                                         \
  } while (0)

#endif
