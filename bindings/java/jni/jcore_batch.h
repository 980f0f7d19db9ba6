/*
 * jcore_batch.h: the Java binding of batch.h (declared in core_java_extra.i;
 * only the SWIG-generated JNI wrapper includes this file).
 *
 * Why helpers and not plain typemaps: a batch is large by nature (10,000
 * arrays, an hour of audio), and jcore.h's rule for one array (critical
 * access up to JCORE_CRITICAL_MAX_ELEMENTS elements, a copy beyond) would
 * copy every batch bigger than that, or hold the GC off for a whole long
 * parallel call. These helpers instead cut the work into GROUPS of at most
 * JCORE_CRITICAL_MAX_ELEMENTS elements (and JCORE_GROUP_MAX_ARRAYS arrays):
 * for each group they take the arrays critically (no copy), make one libcore
 * call on the group, and release them before the next group. So
 *   - no element is copied unless a single array (or frame, or flat segment)
 *     is itself longer than JCORE_CRITICAL_MAX_ELEMENTS; that one is copied
 *     alone (Get<Type>ArrayElements / Get<Type>ArrayRegion) and summarized
 *     in one call, in parallel inside libcore;
 *   - the GC is never held off for longer than one group (tens of
 *     microseconds), and gets a chance between groups;
 *   - results are bit for bit those of one call on everything: every
 *     summary libcore writes is, by batch.h's convention 1, the
 *     core_stats_* of its own array or frame, whatever else is in the call,
 *     and an accumulator's result does not depend on how the stream was cut
 *     into pushes (convention 4a).
 * Direct NIO buffers never need any of this: their variants make one call.
 *
 * JNI order inside a group is jcore.h's: every ordinary JNI call (element
 * fetch, length, local frame) before the first critical get, nothing but
 * libcore between get and release. A helper that throws a Java exception
 * itself (null element, bad lengths) returns JCORE_JAVA_THROWN, a non-OK
 * status: the wrapper's "ret" typemap sees the pending exception and adds
 * nothing. A libcore failure is returned as is, with no libcore call after
 * it, so the "ret" typemap reads the message of that failure.
 */
#ifndef LIBCORE_JAVA_JCORE_BATCH_H
#define LIBCORE_JAVA_JCORE_BATCH_H

#include <stddef.h>

#include "jcore.h"

/* A core_stats_t array is handed to Java as long[7 * count] in one
 * SetLongArrayRegion: the struct must be exactly jcore.h's long[7] layout. */
_Static_assert(sizeof(core_stats_t) == JCORE_STATS_LONGS * sizeof(jlong), "core_stats_t is 7 x 8 bytes");
_Static_assert(offsetof(core_stats_t, count) == 0 && offsetof(core_stats_t, nan_count) == 8 &&
                   offsetof(core_stats_t, min) == 16 && offsetof(core_stats_t, max) == 24 &&
                   offsetof(core_stats_t, sum) == 32 && offsetof(core_stats_t, mean) == 40 &&
                   offsetof(core_stats_t, m2) == 48,
               "core_stats_t fields in long[7] order");

/* Elements per group: the one-array critical limit of jcore.h. */
#define JCORE_GROUP_MAX_ELEMENTS ((size_t)JCORE_CRITICAL_MAX_ELEMENTS)
/* Arrays per group of an array of arrays (local references held at once). */
#define JCORE_GROUP_MAX_ARRAYS 512

/* The status a helper returns after throwing a Java exception itself. */
#define JCORE_JAVA_THROWN CORE_E_INVALID_ARGUMENT

/* Java types of the raw layer that SWIG cannot name on its own. */
typedef jobjectArray jcore_float_arrays;  /* float[][] */
typedef jobjectArray jcore_double_arrays; /* double[][] */

static inline size_t jcore_elem_size(jcore_type type) {
  return type == JCORE_FLOAT ? sizeof(float) : type == JCORE_DOUBLE ? sizeof(double) : sizeof(int16_t);
}

static inline core_status jcore_batch_call(jcore_type type, void *const *ptrs, const size_t *lens, size_t count,
                                           core_nan_policy nan, core_stats_t *out) {
  return type == JCORE_FLOAT ? core_batch_stats_f32((const float *const *)ptrs, lens, count, nan, out)
                             : core_batch_stats_f64((const double *const *)ptrs, lens, count, nan, out);
}

/* out must be a long[] of exactly 7 * count elements (the Java layer
 * allocates it). */
static inline int jcore_stats_out_check(JNIEnv *env, jlongArray out, size_t count) {
  if (out == NULL) {
    jcore_throw(env, "java/lang/NullPointerException", "libcore: the output array is null");
    return 0;
  }
  if ((size_t)(*env)->GetArrayLength(env, out) != count * JCORE_STATS_LONGS) {
    jcore_throwf(env, "java/lang/IllegalArgumentException", "libcore: the output array needs %zu elements",
                 count * JCORE_STATS_LONGS);
    return 0;
  }
  return 1;
}

static inline void jcore_stats_out_put(JNIEnv *env, jlongArray out, const core_stats_t *stats, size_t count) {
  if (count > 0)
    (*env)->SetLongArrayRegion(env, out, 0, (jsize)(count * JCORE_STATS_LONGS), (const jlong *)(const void *)stats);
}

static inline void *jcore_alloc(JNIEnv *env, size_t n, size_t elem, const char *what) {
  void *p = malloc(n > 0 ? n * elem : 1);
  if (p == NULL) jcore_throwf(env, "java/lang/OutOfMemoryError", "libcore: no memory for %s", what);
  return p;
}

/* ---- an array of arrays (float[][] / double[][]) ---------------------------- */

static inline core_status jcore_batch_arrays(JNIEnv *env, jobjectArray arrays, jcore_type type, core_nan_policy nan,
                                             jlongArray out) {
  if (arrays == NULL) {
    jcore_throw(env, "java/lang/NullPointerException", "libcore: arrays is null");
    return JCORE_JAVA_THROWN;
  }
  const size_t count = (size_t)(*env)->GetArrayLength(env, arrays);
  if (!jcore_stats_out_check(env, out, count)) return JCORE_JAVA_THROWN;
  if (count == 0) return jcore_batch_call(type, NULL, NULL, 0, nan, NULL);

  core_stats_t *stats = (core_stats_t *)jcore_alloc(env, count, sizeof *stats, "the summaries");
  void **ptrs = (void **)jcore_alloc(env, JCORE_GROUP_MAX_ARRAYS, sizeof *ptrs, "a group of arrays");
  size_t *lens = (size_t *)jcore_alloc(env, JCORE_GROUP_MAX_ARRAYS, sizeof *lens, "a group of arrays");
  jcore_array *arr = (jcore_array *)jcore_alloc(env, JCORE_GROUP_MAX_ARRAYS, sizeof *arr, "a group of arrays");
  core_status st = JCORE_JAVA_THROWN;
  if (stats == NULL || ptrs == NULL || lens == NULL || arr == NULL) goto done;

  for (size_t i = 0; i < count;) {
    if ((*env)->PushLocalFrame(env, JCORE_GROUP_MAX_ARRAYS + 1) != 0) goto done; /* OutOfMemoryError pending */
    size_t g = 0, elems = 0;
    int critical = 1;
    /* 1. the group: elements, lengths (ordinary JNI calls only) */
    while (i + g < count && g < JCORE_GROUP_MAX_ARRAYS) {
      jarray a = (jarray)(*env)->GetObjectArrayElement(env, arrays, (jsize)(i + g));
      if ((*env)->ExceptionCheck(env)) break;
      if (a == NULL) {
        jcore_throwf(env, "java/lang/NullPointerException", "libcore: arrays[%zu] is null", i + g);
        break;
      }
      const size_t len = (size_t)(*env)->GetArrayLength(env, a);
      if (len > JCORE_GROUP_MAX_ELEMENTS) {
        if (g == 0) { /* a long array alone, copied (see the top) */
          critical = 0;
          arr[0] = (jcore_array)JCORE_ARRAY_INIT;
          jcore_array_prepare(env, &arr[0], a, type, JCORE_IN, 1);
          lens[0] = len;
          g = 1;
        }
        break;
      }
      if (elems + len > JCORE_GROUP_MAX_ELEMENTS) break; /* the next group's first */
      arr[g] = (jcore_array)JCORE_ARRAY_INIT;
      jcore_array_prepare(env, &arr[g], a, type, JCORE_IN, 1);
      lens[g] = len;
      elems += len;
      ++g;
    }
    if ((*env)->ExceptionCheck(env)) {
      (*env)->PopLocalFrame(env, NULL);
      goto done;
    }
    /* 2. acquire, call, release */
    size_t got = 0;
    while (got < g && jcore_array_acquire_as(env, &arr[got], critical)) {
      ptrs[got] = arr[got].ptr;
      ++got;
    }
    if (got == g) st = jcore_batch_call(type, ptrs, lens, g, nan, stats + i);
    for (size_t k = 0; k < got; ++k) jcore_array_release(env, &arr[k]);
    if (got < g) {
      jcore_array_release(env, &arr[got]);
      jcore_acquire_failed(env);
      st = JCORE_JAVA_THROWN;
    }
    (*env)->PopLocalFrame(env, NULL);
    if (st != CORE_OK) goto done;
    i += g;
  }
  jcore_stats_out_put(env, out, stats, count);
done:
  free(stats), free(ptrs), free(lens), free(arr);
  return st;
}

/* ---- one flat array cut into consecutive segments ----------------------------- */

/* Copies lens (long[]) and checks it against the flat length n: every
 * length >= 0 and their sum exactly n. */
static inline size_t *jcore_lens_get(JNIEnv *env, jlongArray jlens, size_t n, size_t *count) {
  if (jlens == NULL) {
    jcore_throw(env, "java/lang/NullPointerException", "libcore: lens is null");
    return NULL;
  }
  *count = (size_t)(*env)->GetArrayLength(env, jlens);
  size_t *lens = (size_t *)jcore_alloc(env, *count, sizeof *lens, "the lengths");
  if (lens == NULL) return NULL;
  if (*count > 0) (*env)->GetLongArrayRegion(env, jlens, 0, (jsize)*count, (jlong *)(void *)lens);
  size_t sum = 0;
  for (size_t i = 0; i < *count; ++i) {
    if ((jlong)lens[i] < 0 || lens[i] > n - sum) {
      jcore_throwf(env, "java/lang/IllegalArgumentException",
                   (jlong)lens[i] < 0 ? "libcore: lens[%zu] is negative"
                                      : "libcore: lens[%zu] goes past the end of the flat array", i);
      free(lens);
      return NULL;
    }
    sum += lens[i];
  }
  if (sum != n) {
    jcore_throwf(env, "java/lang/IllegalArgumentException",
                 "libcore: lens add up to %zu but the flat array has %zu elements", sum, n);
    free(lens);
    return NULL;
  }
  return lens;
}

static inline core_status jcore_batch_flat(JNIEnv *env, jarray flat, jcore_type type, jlongArray jlens,
                                           core_nan_policy nan, jlongArray out) {
  if (flat == NULL) {
    jcore_throw(env, "java/lang/NullPointerException", "libcore: x is null");
    return JCORE_JAVA_THROWN;
  }
  const size_t n = (size_t)(*env)->GetArrayLength(env, flat), elem = jcore_elem_size(type);
  size_t count = 0;
  size_t *lens = jcore_lens_get(env, jlens, n, &count);
  if (lens == NULL) return JCORE_JAVA_THROWN;
  if (!jcore_stats_out_check(env, out, count)) {
    free(lens);
    return JCORE_JAVA_THROWN;
  }
  core_stats_t *stats = (core_stats_t *)jcore_alloc(env, count, sizeof *stats, "the summaries");
  void **ptrs = (void **)jcore_alloc(env, count, sizeof *ptrs, "the segment pointers");
  core_status st = JCORE_JAVA_THROWN;
  if (stats == NULL || ptrs == NULL) goto done;
  if (count == 0) {
    st = jcore_batch_call(type, NULL, NULL, 0, nan, NULL);
    goto done;
  }
  for (size_t i = 0, off = 0; i < count;) {
    if (lens[i] > JCORE_GROUP_MAX_ELEMENTS) { /* a long segment alone, copied */
      void *copy = jcore_alloc(env, lens[i], elem, "a copy of a long segment");
      if (copy == NULL) goto done;
      if (type == JCORE_FLOAT)
        (*env)->GetFloatArrayRegion(env, (jfloatArray)flat, (jsize)off, (jsize)lens[i], (jfloat *)copy);
      else
        (*env)->GetDoubleArrayRegion(env, (jdoubleArray)flat, (jsize)off, (jsize)lens[i], (jdouble *)copy);
      ptrs[i] = copy;
      st = jcore_batch_call(type, ptrs + i, lens + i, 1, nan, stats + i);
      free(copy);
      if (st != CORE_OK) goto done;
      off += lens[i++];
      continue;
    }
    size_t g = 0, elems = 0;
    while (i + g < count && elems + lens[i + g] <= JCORE_GROUP_MAX_ELEMENTS) elems += lens[i + g++];
    char *base = NULL;
    if (elems > 0) {
      base = (char *)(*env)->GetPrimitiveArrayCritical(env, flat, NULL);
      if (base == NULL) {
        jcore_acquire_failed(env);
        st = JCORE_JAVA_THROWN;
        goto done;
      }
    }
    for (size_t k = 0, o = off; k < g; o += lens[i + k++]) ptrs[i + k] = lens[i + k] > 0 ? base + o * elem : NULL;
    st = jcore_batch_call(type, ptrs + i, lens + i, g, nan, stats + i);
    if (base != NULL) (*env)->ReleasePrimitiveArrayCritical(env, flat, base, JNI_ABORT);
    if (st != CORE_OK) goto done;
    off += elems;
    i += g;
  }
  jcore_stats_out_put(env, out, stats, count);
done:
  free(stats), free(ptrs), free(lens);
  return st;
}

/* A direct buffer (already checked and sliced by the Java layer): one call. */
static inline core_status jcore_batch_flat_direct(JNIEnv *env, const void *x, size_t n, jcore_type type,
                                                  jlongArray jlens, core_nan_policy nan, jlongArray out) {
  size_t count = 0;
  size_t *lens = jcore_lens_get(env, jlens, n, &count);
  if (lens == NULL) return JCORE_JAVA_THROWN;
  if (!jcore_stats_out_check(env, out, count)) {
    free(lens);
    return JCORE_JAVA_THROWN;
  }
  core_stats_t *stats = (core_stats_t *)jcore_alloc(env, count, sizeof *stats, "the summaries");
  void **ptrs = (void **)jcore_alloc(env, count, sizeof *ptrs, "the segment pointers");
  core_status st = JCORE_JAVA_THROWN;
  if (stats != NULL && ptrs != NULL) {
    const size_t elem = jcore_elem_size(type);
    for (size_t i = 0, off = 0; i < count; off += lens[i++])
      ptrs[i] = lens[i] > 0 ? (char *)(uintptr_t)x + off * elem : NULL;
    st = jcore_batch_call(type, ptrs, lens, count, nan, stats);
    if (st == CORE_OK) jcore_stats_out_put(env, out, stats, count);
  }
  free(stats), free(ptrs), free(lens);
  return st;
}

static inline core_status jcore_batch_stats_f32_arrays(JNIEnv *env, jcore_float_arrays arrays, core_nan_policy nan,
                                                       jlongArray out) {
  return jcore_batch_arrays(env, arrays, JCORE_FLOAT, nan, out);
}
static inline core_status jcore_batch_stats_f64_arrays(JNIEnv *env, jcore_double_arrays arrays, core_nan_policy nan,
                                                       jlongArray out) {
  return jcore_batch_arrays(env, arrays, JCORE_DOUBLE, nan, out);
}
static inline core_status jcore_batch_stats_f32_flat(JNIEnv *env, jfloatArray x, jlongArray lens, core_nan_policy nan,
                                                     jlongArray out) {
  return jcore_batch_flat(env, x, JCORE_FLOAT, lens, nan, out);
}
static inline core_status jcore_batch_stats_f64_flat(JNIEnv *env, jdoubleArray x, jlongArray lens,
                                                     core_nan_policy nan, jlongArray out) {
  return jcore_batch_flat(env, x, JCORE_DOUBLE, lens, nan, out);
}
static inline core_status jcore_batch_stats_f32_flat_direct(const float *xb, size_t n, JNIEnv *env, jlongArray lens,
                                                            core_nan_policy nan, jlongArray out) {
  return jcore_batch_flat_direct(env, xb, n, JCORE_FLOAT, lens, nan, out);
}
static inline core_status jcore_batch_stats_f64_flat_direct(const double *xb, size_t n, JNIEnv *env, jlongArray lens,
                                                            core_nan_policy nan, jlongArray out) {
  return jcore_batch_flat_direct(env, xb, n, JCORE_DOUBLE, lens, nan, out);
}

/* ---- frames ------------------------------------------------------------------- */

static inline core_status jcore_frames_call(jcore_type type, const void *x, size_t n, size_t frame, size_t hop,
                                            core_stats_t *out, size_t cap, size_t *frames) {
  return type == JCORE_FLOAT ? core_stats_frames_f32((const float *)x, n, frame, hop, out, cap, frames)
                             : core_stats_frames_f64((const double *)x, n, frame, hop, out, cap, frames);
}

/* The Java layer sized out with core_stats_frames_len; an invalid frame or
 * hop is still passed to libcore (critically: it returns at once), so the
 * error is core_stats_frames_*'s own. A frame longer than the group limit
 * makes the whole signal copied, in one call. */
static inline core_status jcore_frames(JNIEnv *env, jarray x, jcore_type type, size_t frame, size_t hop,
                                       jlongArray out) {
  if (x == NULL) {
    jcore_throw(env, "java/lang/NullPointerException", "libcore: x is null");
    return JCORE_JAVA_THROWN;
  }
  const size_t n = (size_t)(*env)->GetArrayLength(env, x), elem = jcore_elem_size(type);
  size_t nf = 0;
  const int valid = core_stats_frames_len(n, frame, hop, &nf) == CORE_OK;
  if (valid && !jcore_stats_out_check(env, out, nf)) return JCORE_JAVA_THROWN;
  core_stats_t *stats = valid ? (core_stats_t *)jcore_alloc(env, nf, sizeof *stats, "the summaries") : NULL;
  if (valid && stats == NULL) return JCORE_JAVA_THROWN;
  core_status st = CORE_OK;
  size_t got = 0;
  if (!valid || n <= JCORE_GROUP_MAX_ELEMENTS || frame > JCORE_GROUP_MAX_ELEMENTS) {
    jcore_array a = JCORE_ARRAY_INIT;
    jcore_array_prepare(env, &a, x, type, JCORE_IN, 1);
    if (!jcore_array_acquire_as(env, &a, !valid || n <= JCORE_GROUP_MAX_ELEMENTS)) {
      jcore_array_release(env, &a);
      jcore_acquire_failed(env);
      free(stats);
      return JCORE_JAVA_THROWN;
    }
    st = jcore_frames_call(type, a.ptr, n, frame, hop, stats, nf, &got);
    jcore_array_release(env, &a);
  } else {
    /* groups of frames whose span x[f0 * hop, (f1 - 1) * hop + frame) fits the limit */
    const size_t per = 1 + (JCORE_GROUP_MAX_ELEMENTS - frame) / hop;
    for (size_t f0 = 0; f0 < nf && st == CORE_OK; f0 += per) {
      const size_t g = nf - f0 < per ? nf - f0 : per, span = (g - 1) * hop + frame;
      char *base = (char *)(*env)->GetPrimitiveArrayCritical(env, x, NULL);
      if (base == NULL) {
        jcore_acquire_failed(env);
        free(stats);
        return JCORE_JAVA_THROWN;
      }
      size_t k = 0;
      st = jcore_frames_call(type, base + f0 * hop * elem, span, frame, hop, stats + f0, g, &k);
      (*env)->ReleasePrimitiveArrayCritical(env, x, base, JNI_ABORT);
      got += k;
    }
  }
  if (st == CORE_OK && got != nf) { /* cannot happen: libcore and core_stats_frames_len disagree */
    jcore_throwf(env, "java/lang/IllegalStateException", "libcore: %zu frames summarized, %zu expected", got, nf);
    st = JCORE_JAVA_THROWN;
  }
  if (st == CORE_OK) jcore_stats_out_put(env, out, stats, nf);
  free(stats);
  return st;
}

static inline core_status jcore_frames_direct(JNIEnv *env, const void *x, size_t n, jcore_type type, size_t frame,
                                              size_t hop, jlongArray out) {
  size_t nf = 0;
  const int valid = core_stats_frames_len(n, frame, hop, &nf) == CORE_OK;
  if (valid && !jcore_stats_out_check(env, out, nf)) return JCORE_JAVA_THROWN;
  core_stats_t *stats = valid ? (core_stats_t *)jcore_alloc(env, nf, sizeof *stats, "the summaries") : NULL;
  if (valid && stats == NULL) return JCORE_JAVA_THROWN;
  size_t got = 0;
  const core_status st = jcore_frames_call(type, x, n, frame, hop, stats, nf, &got);
  if (st == CORE_OK) jcore_stats_out_put(env, out, stats, got);
  free(stats);
  return st;
}

static inline core_status jcore_stats_frames_f32(JNIEnv *env, jfloatArray x, size_t frame, size_t hop,
                                                 jlongArray out) {
  return jcore_frames(env, x, JCORE_FLOAT, frame, hop, out);
}
static inline core_status jcore_stats_frames_f64(JNIEnv *env, jdoubleArray x, size_t frame, size_t hop,
                                                 jlongArray out) {
  return jcore_frames(env, x, JCORE_DOUBLE, frame, hop, out);
}
static inline core_status jcore_stats_frames_f32_direct(const float *xb, size_t n, size_t frame, size_t hop,
                                                        JNIEnv *env, jlongArray out) {
  return jcore_frames_direct(env, xb, n, JCORE_FLOAT, frame, hop, out);
}
static inline core_status jcore_stats_frames_f64_direct(const double *xb, size_t n, size_t frame, size_t hop,
                                                        JNIEnv *env, jlongArray out) {
  return jcore_frames_direct(env, xb, n, JCORE_DOUBLE, frame, hop, out);
}

/* ---- the streaming accumulator ------------------------------------------------ */

/* The accumulator lives in a direct ByteBuffer owned by the Java object
 * (dev.libcore.StatsAccumulator): GC-managed memory, nothing to free. */
static inline int jcore_acc_get(JNIEnv *env, jobject buf, core_stats_acc_t **acc, int argnum) {
  if (buf == NULL) {
    jcore_throwf(env, "java/lang/NullPointerException", "libcore: accumulator argument %d is null", argnum);
    return 0;
  }
  void *p = (*env)->GetDirectBufferAddress(env, buf);
  const jlong cap = (*env)->GetDirectBufferCapacity(env, buf);
  if (p == NULL || cap < (jlong)sizeof(core_stats_acc_t) || (uintptr_t)p % _Alignof(core_stats_acc_t) != 0) {
    jcore_throwf(env, "java/lang/IllegalArgumentException",
                 "libcore: accumulator argument %d is not an aligned direct buffer of %zu bytes", argnum,
                 sizeof(core_stats_acc_t));
    return 0;
  }
  *acc = (core_stats_acc_t *)p;
  return 1;
}

static inline size_t jcore_stats_acc_size(void) { return sizeof(core_stats_acc_t); }
static inline size_t jcore_stats_acc_align(void) { return _Alignof(core_stats_acc_t); }

static inline core_status jcore_acc_push_call(jcore_type type, core_stats_acc_t *acc, const void *x, size_t n) {
  return type == JCORE_FLOAT ? core_stats_acc_push_f32(acc, (const float *)x, n)
                             : core_stats_acc_push_f64(acc, (const double *)x, n);
}

/* Pushes x[off, off + len) in pieces of at most the group limit, each taken
 * critically. A push of several pieces is all or nothing: the accumulator
 * is saved first and restored if a piece fails (only a declared total can
 * make a later piece fail), as core_stats_acc_push_* promises. */
static inline core_status jcore_acc_push(JNIEnv *env, core_stats_acc_t *acc, jarray x, jcore_type type, size_t off,
                                         size_t len) {
  if (x == NULL) {
    jcore_throw(env, "java/lang/NullPointerException", "libcore: x is null");
    return JCORE_JAVA_THROWN;
  }
  const size_t n = (size_t)(*env)->GetArrayLength(env, x), elem = jcore_elem_size(type);
  if (off > n || len > n - off) {
    jcore_throwf(env, "java/lang/IndexOutOfBoundsException",
                 "libcore: range [%zu, %zu + %zu) outside an array of %zu", off, off, len, n);
    return JCORE_JAVA_THROWN;
  }
  core_stats_acc_t *saved = NULL;
  if (len > JCORE_GROUP_MAX_ELEMENTS) {
    saved = (core_stats_acc_t *)jcore_alloc(env, 1, sizeof *saved, "a copy of the accumulator");
    if (saved == NULL) return JCORE_JAVA_THROWN;
    memcpy(saved, acc, sizeof *saved);
  }
  core_status st = CORE_OK;
  size_t done = 0;
  do {
    const size_t k = len - done < JCORE_GROUP_MAX_ELEMENTS ? len - done : JCORE_GROUP_MAX_ELEMENTS;
    char *base = NULL;
    if (k > 0) {
      base = (char *)(*env)->GetPrimitiveArrayCritical(env, x, NULL);
      if (base == NULL) {
        jcore_acquire_failed(env);
        st = JCORE_JAVA_THROWN;
        break;
      }
    }
    st = jcore_acc_push_call(type, acc, k > 0 ? base + (off + done) * elem : NULL, k);
    if (base != NULL) (*env)->ReleasePrimitiveArrayCritical(env, x, base, JNI_ABORT);
    done += k;
  } while (st == CORE_OK && done < len);
  if (st != CORE_OK && saved != NULL) memcpy(acc, saved, sizeof *saved);
  free(saved);
  return st;
}

static inline core_status jcore_stats_acc_push_f32_array(JNIEnv *env, core_stats_acc_t *acc, jfloatArray x,
                                                         size_t off, size_t len) {
  return jcore_acc_push(env, acc, x, JCORE_FLOAT, off, len);
}
static inline core_status jcore_stats_acc_push_f64_array(JNIEnv *env, core_stats_acc_t *acc, jdoubleArray x,
                                                         size_t off, size_t len) {
  return jcore_acc_push(env, acc, x, JCORE_DOUBLE, off, len);
}

/* ---- files ---------------------------------------------------------------------- */

/* The path arrives as the bytes of its file-system encoding (the Java layer
 * encodes it as the JDK's own file APIs do); copied and NUL-terminated here,
 * never held critically (the call may read gigabytes). */
static inline int jcore_path_get(JNIEnv *env, jbyteArray bytes, char **out, int argnum) {
  *out = NULL;
  if (bytes == NULL) {
    jcore_throwf(env, "java/lang/NullPointerException", "libcore: path argument %d is null", argnum);
    return 0;
  }
  const size_t n = (size_t)(*env)->GetArrayLength(env, bytes);
  char *p = (char *)jcore_alloc(env, n + 1, 1, "the path");
  if (p == NULL) return 0;
  if (n > 0) (*env)->GetByteArrayRegion(env, bytes, 0, (jsize)n, (jbyte *)p);
  p[n] = '\0';
  if (memchr(p, '\0', n) != NULL) {
    free(p);
    jcore_throw(env, "java/lang/IllegalArgumentException", "libcore: the path contains a NUL character");
    return 0;
  }
  *out = p;
  return 1;
}

#endif
