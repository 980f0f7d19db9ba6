/* Helpers shared by the array suites (test_array.c, test_array_transform.c,
 * test_array_pcm.c). Most tests are written once over a dtype flag `f64` and
 * registered twice by BOTH(), as <name>_f32 and <name>_f64, in the Criterion
 * suite "array"; buffers are void * and DT() calls the core_<name>_f32 or _f64
 * variant. */
#ifndef CORE_ARRAY_TESTUTIL_H
#define CORE_ARRAY_TESTUTIL_H

#include <criterion/criterion.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <core/core.h>

#include "test_status.h"
#include "testutil.h"

#define BOTH(name)                     \
  static void name(int f64);           \
  Test(array, name##_f32) { name(0); } \
  Test(array, name##_f64) { name(1); } \
  static void name(int f64)
#define DT(name, ...) (f64 ? core_##name##_f64(__VA_ARGS__) : core_##name##_f32(__VA_ARGS__))
#define FN(base) (f64 ? base "_f64" : base "_f32")


#define SENT 0xA5
static inline size_t esz(int f64) { return f64 ? sizeof(double) : sizeof(float); }
static inline void *at(int f64, void *p, size_t i) { return (char *)p + i * esz(f64); }
static inline double get(int f64, const void *p, size_t i) {
  return f64 ? ((const double *)p)[i] : (double)((const float *)p)[i];
}
static inline void put(int f64, void *p, size_t i, double v) {
  if (f64) ((double *)p)[i] = v; else ((float *)p)[i] = (float)v;
}
static inline double rnd(int f64, double v) { return f64 ? v : (double)(float)v; }

static inline void *sbuf(size_t bytes) { /* filled with the sentinel byte */
  void *p = malloc(bytes ? bytes : 1);
  cr_assert_not_null(p);
  return memset(p, SENT, bytes);
}
static inline int untouched(const void *p, size_t bytes) {
  for (size_t i = 0; i < bytes; ++i)
    if (((const unsigned char *)p)[i] != SENT) return 0;
  return 1;
}
static inline void *clone_bytes(const void *p, size_t bytes) { return memcpy(sbuf(bytes), p, bytes); }
/* n elements plus a sentinel element each side; the data (DATA) starts at
 * element 1, so it is not vector aligned. */
static inline void *gbuf(int f64, size_t n) { return sbuf((n + 2) * esz(f64)); }
#define DATA(b) at(f64, (b), 1)
static inline void check_guards(int f64, void *buf, size_t n) {
  cr_assert(untouched(buf, esz(f64)), "the element before the output was written");
  cr_assert(untouched(at(f64, buf, n + 1), esz(f64)), "the element after out[%zu) was written", n);
}

/* Sizes that exercise SIMD remainders and the blocked/parallel paths. */
static const size_t k_sizes[] = {1, 3, 7, 15, 16, 17, 31, 33, 63, 65, 1000, 1000003};

#endif
