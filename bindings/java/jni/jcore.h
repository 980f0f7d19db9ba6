/*
 * jcore.h: C helpers for the typemaps in bindings/java/core_java.i. Only
 * the SWIG-generated JNI wrapper includes this file.
 *
 * How a wrapper handles Java arrays, and why (JNI's rules decide the order):
 *
 *  1. "in" typemaps only check and measure (null, length, buffer address).
 *     Those are ordinary JNI calls, and JNI allows no such call while the
 *     thread holds any array "critically".
 *  2. "check" typemaps acquire the elements; they run after every "in".
 *     Arrays of up to JCORE_CRITICAL_MAX_ELEMENTS elements use
 *     GetPrimitiveArrayCritical: no copy. The GC is held off until the
 *     array is released, so this is used only for calls that stay short and
 *     serial (libcore goes parallel from 2^17 elements). Larger arrays use
 *     Get<Type>ArrayElements (HotSpot copies them), so a long parallel call
 *     never blocks the GC. Direct NIO buffers are never copied and never
 *     pin anything: that is the zero-copy path for large data.
 *     Every array of a call has the call's length (concat decides once for
 *     all its parts), so a call never mixes critical and copied arrays.
 *  3. After the call, "freearg" typemaps release the arrays in argument
 *     order, inputs first; only then are results copied into Java arrays
 *     (core_stats_t) and, in the "ret" typemap, a CoreException thrown.
 *  4. A failure in step 2 runs the wrapper's cleanup (which releases what
 *     was acquired) before throwing, so no exception is raised in a
 *     critical region.
 */
#ifndef LIBCORE_JAVA_JCORE_H
#define LIBCORE_JAVA_JCORE_H

#include <jni.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <core/core.h>

/* Longest array accessed critically (zero-copy, GC held off meanwhile).
 * meson.build passes the value (java_critical_max), which also reaches the
 * Java side as Core.CRITICAL_ARRAY_MAX_ELEMENTS. */
#ifndef JCORE_CRITICAL_MAX_ELEMENTS
#define JCORE_CRITICAL_MAX_ELEMENTS 65536
#endif

_Static_assert(sizeof(size_t) == sizeof(jlong), "size_t must be 64-bit (the Java binding maps it to long)");
_Static_assert(sizeof(double) == sizeof(jlong), "core_stats_t doubles travel as raw long bits");

typedef enum { JCORE_FLOAT, JCORE_DOUBLE, JCORE_SHORT } jcore_type;
typedef enum { JCORE_IN, JCORE_OUT, JCORE_INOUT } jcore_mode;

/* ---- exceptions ----------------------------------------------------------- */

/* Throws a new `cls` (a JNI class name) with `msg`. Never call it with an
 * exception already pending. */
static inline void jcore_throw(JNIEnv *env, const char *cls, const char *msg) {
  jclass c = (*env)->FindClass(env, cls);
  if (c != NULL) (*env)->ThrowNew(env, c, msg); /* else NoClassDefFoundError is pending */
}

static inline void jcore_throwf(JNIEnv *env, const char *cls, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static inline void jcore_throwf(JNIEnv *env, const char *cls, const char *fmt, ...) {
  char msg[200];
  va_list args;
  va_start(args, fmt);
  vsnprintf(msg, sizeof msg, fmt, args);
  va_end(args);
  jcore_throw(env, cls, msg);
}

/* NewStringUTF wants modified UTF-8: keep ASCII, replace anything else. */
static inline jstring jcore_ascii_string(JNIEnv *env, const char *s) {
  char buf[600];
  size_t i = 0;
  for (; s != NULL && s[i] != '\0' && i + 1 < sizeof buf; ++i)
    buf[i] = (s[i] > 0 && s[i] < 0x7f) ? s[i] : '?';
  buf[i] = '\0';
  return (*env)->NewStringUTF(env, buf);
}

/* Throws dev.libcore.CoreException(status, core_status_str(status),
 * core_last_error_message()). Called in the same native call as the failed
 * libcore function, on the same thread, with no libcore call in between:
 * the thread-local message is the one for this failure. */
static inline void jcore_throw_status(JNIEnv *env, core_status status) {
  const char *detail = core_last_error_message();
  if ((*env)->ExceptionCheck(env)) return; /* a JNI error of this call is already pending */
  jclass cls = (*env)->FindClass(env, "dev/libcore/CoreException");
  if (cls == NULL) return;
  jmethodID ctor = (*env)->GetMethodID(env, cls, "<init>", "(ILjava/lang/String;Ljava/lang/String;)V");
  if (ctor == NULL) return;
  jstring name = jcore_ascii_string(env, core_status_str(status));
  if (name == NULL) return;
  jstring msg = jcore_ascii_string(env, detail);
  if (msg == NULL) return;
  jobject ex = (*env)->NewObject(env, cls, ctor, (jint)status, name, msg);
  if (ex != NULL) (*env)->Throw(env, (jthrowable)ex);
}

/* After a failed acquisition and the cleanup: make sure something is thrown. */
static inline void jcore_acquire_failed(JNIEnv *env) {
  if (!(*env)->ExceptionCheck(env))
    jcore_throw(env, "java/lang/OutOfMemoryError", "libcore: cannot access the elements of a Java array");
}

/* ---- primitive arrays ----------------------------------------------------- */

typedef struct {
  jarray array; /* the Java array (NULL until prepared) */
  void *ptr;    /* what libcore sees; NULL until acquired, and for n == 0 */
  size_t n;     /* elements */
  unsigned char type, mode, critical;
} jcore_array;
#define JCORE_ARRAY_INIT {NULL, NULL, 0, 0, 0, 0}

/* Step 1: null check and length. */
static inline int jcore_array_prepare(JNIEnv *env, jcore_array *a, jarray array, jcore_type type,
                               jcore_mode mode, int argnum) {
  if (array == NULL) {
    jcore_throwf(env, "java/lang/NullPointerException", "libcore: array argument %d is null", argnum);
    return 0;
  }
  a->array = array;
  a->n = (size_t)(*env)->GetArrayLength(env, array);
  a->type = (unsigned char)type;
  a->mode = (unsigned char)mode;
  return 1;
}

/* Step 2: the elements, critically when the call is short (see the top). */
static inline int jcore_array_acquire_as(JNIEnv *env, jcore_array *a, int critical) {
  if (a->array == NULL || a->n == 0) return 1; /* libcore accepts NULL with length 0 */
  a->critical = (unsigned char)critical;
  if (critical) {
    a->ptr = (*env)->GetPrimitiveArrayCritical(env, a->array, NULL);
  } else if (a->type == JCORE_FLOAT) {
    a->ptr = (*env)->GetFloatArrayElements(env, (jfloatArray)a->array, NULL);
  } else if (a->type == JCORE_DOUBLE) {
    a->ptr = (*env)->GetDoubleArrayElements(env, (jdoubleArray)a->array, NULL);
  } else {
    a->ptr = (*env)->GetShortArrayElements(env, (jshortArray)a->array, NULL);
  }
  return a->ptr != NULL;
}

static inline int jcore_array_acquire(JNIEnv *env, jcore_array *a) {
  return jcore_array_acquire_as(env, a, a->n <= (size_t)JCORE_CRITICAL_MAX_ELEMENTS);
}

/* Step 3: release; copied outputs are written back (inputs are not). Safe
 * on an array that was never acquired, and allowed with an exception
 * pending. */
static inline void jcore_array_release(JNIEnv *env, jcore_array *a) {
  if (a->ptr == NULL) return;
  const jint mode = a->mode == JCORE_IN ? JNI_ABORT : 0;
  if (a->critical) {
    (*env)->ReleasePrimitiveArrayCritical(env, a->array, a->ptr, mode);
  } else if (a->type == JCORE_FLOAT) {
    (*env)->ReleaseFloatArrayElements(env, (jfloatArray)a->array, (jfloat *)a->ptr, mode);
  } else if (a->type == JCORE_DOUBLE) {
    (*env)->ReleaseDoubleArrayElements(env, (jdoubleArray)a->array, (jdouble *)a->ptr, mode);
  } else {
    (*env)->ReleaseShortArrayElements(env, (jshortArray)a->array, (jshort *)a->ptr, mode);
  }
  a->ptr = NULL;
}

/* ---- direct NIO buffers --------------------------------------------------- */

/* The Java layer passes buffer.slice(), so the memory region is exactly the
 * caller's remaining elements. `align` is the element size: a view buffer
 * over a ByteBuffer can start at any byte, and libcore wants whole elements.
 * Nothing to release. */
static inline int jcore_buffer_prepare(JNIEnv *env, jobject buf, void **ptr, size_t *n, size_t align,
                                       int argnum) {
  if (buf == NULL) {
    jcore_throwf(env, "java/lang/NullPointerException", "libcore: buffer argument %d is null", argnum);
    return 0;
  }
  const jlong cap = (*env)->GetDirectBufferCapacity(env, buf);
  void *p = cap < 0 ? NULL : (*env)->GetDirectBufferAddress(env, buf);
  if (cap < 0 || (p == NULL && cap > 0)) {
    jcore_throwf(env, "java/lang/IllegalArgumentException",
                 "libcore: buffer argument %d is not a direct buffer", argnum);
    return 0;
  }
  if (cap > 0 && (uintptr_t)p % align != 0) {
    jcore_throwf(env, "java/lang/IllegalArgumentException",
                 "libcore: buffer argument %d starts at an address that is not a multiple of %zu", argnum, align);
    return 0;
  }
  *ptr = cap > 0 ? p : NULL;
  *n = (size_t)cap;
  return 1;
}

/* ---- core_stats_t as long[7] ------------------------------------------------ */

/* Layout shared with dev.libcore.Stats: count, nan_count, then the raw bits
 * of min, max, sum, mean, m2. */
#define JCORE_STATS_LONGS 7

static inline int jcore_stats_get(JNIEnv *env, jlongArray arr, core_stats_t *s, int argnum) {
  jlong v[JCORE_STATS_LONGS];
  if (arr == NULL) {
    jcore_throwf(env, "java/lang/NullPointerException", "libcore: stats argument %d is null", argnum);
    return 0;
  }
  if ((*env)->GetArrayLength(env, arr) < JCORE_STATS_LONGS) {
    jcore_throwf(env, "java/lang/IllegalArgumentException",
                 "libcore: stats argument %d needs %d elements", argnum, JCORE_STATS_LONGS);
    return 0;
  }
  (*env)->GetLongArrayRegion(env, arr, 0, JCORE_STATS_LONGS, v);
  s->count = (uint64_t)v[0];
  s->nan_count = (uint64_t)v[1];
  memcpy(&s->min, &v[2], 8), memcpy(&s->max, &v[3], 8), memcpy(&s->sum, &v[4], 8);
  memcpy(&s->mean, &v[5], 8), memcpy(&s->m2, &v[6], 8);
  return 1;
}

/* The output array is only null-checked: no JNI call on the hot path, and
 * SetLongArrayRegion checks the bounds itself (a short array throws
 * ArrayIndexOutOfBoundsException, never writes past the end). */
static inline int jcore_stats_check_out(JNIEnv *env, jlongArray arr, int argnum) {
  if (arr == NULL) {
    jcore_throwf(env, "java/lang/NullPointerException", "libcore: stats argument %d is null", argnum);
    return 0;
  }
  return 1;
}

/* Runs in "freearg", after the input arrays were released, and only after
 * libcore was called. */
static inline void jcore_stats_put(JNIEnv *env, jlongArray arr, const core_stats_t *s) {
  jlong v[JCORE_STATS_LONGS];
  v[0] = (jlong)s->count;
  v[1] = (jlong)s->nan_count;
  memcpy(&v[2], &s->min, 8), memcpy(&v[3], &s->max, 8), memcpy(&v[4], &s->sum, 8);
  memcpy(&v[5], &s->mean, 8), memcpy(&v[6], &s->m2, 8);
  (*env)->SetLongArrayRegion(env, arr, 0, JCORE_STATS_LONGS, v);
}

/* ---- size_t lists (long[]) -------------------------------------------------- */

/* Copies a long[] into a malloc'ed size_t[] (NULL for length 0). */
static inline int jcore_sizes_get(JNIEnv *env, jlongArray arr, size_t **out, size_t *n, int argnum) {
  *out = NULL;
  if (arr == NULL) {
    jcore_throwf(env, "java/lang/NullPointerException", "libcore: array argument %d is null", argnum);
    return 0;
  }
  *n = (size_t)(*env)->GetArrayLength(env, arr);
  if (*n == 0) return 1;
  *out = (size_t *)malloc(*n * sizeof(size_t));
  if (*out == NULL) {
    jcore_throw(env, "java/lang/OutOfMemoryError", "libcore: no memory for a size list");
    return 0;
  }
  (*env)->GetLongArrayRegion(env, arr, 0, (jsize)*n, (jlong *)*out);
  return 1;
}

/* ---- concat parts (float[][] / double[][]) ---------------------------------- */

typedef struct {
  jcore_array *arrays; /* count entries, one per part */
  void **ptrs;         /* what libcore sees as parts */
  size_t *lens;
  size_t count, total;
} jcore_parts;
#define JCORE_PARTS_INIT {NULL, NULL, NULL, 0, 0}

static inline int jcore_parts_prepare(JNIEnv *env, jcore_parts *p, jobjectArray parts, jcore_type type, int argnum) {
  if (parts == NULL) {
    jcore_throwf(env, "java/lang/NullPointerException", "libcore: array argument %d is null", argnum);
    return 0;
  }
  p->count = (size_t)(*env)->GetArrayLength(env, parts);
  if (p->count == 0) return 1;
  if ((*env)->EnsureLocalCapacity(env, (jint)p->count) != 0) return 0; /* OutOfMemoryError pending */
  p->arrays = (jcore_array *)calloc(p->count, sizeof *p->arrays);
  p->ptrs = (void **)calloc(p->count, sizeof *p->ptrs);
  p->lens = (size_t *)calloc(p->count, sizeof *p->lens);
  if (p->arrays == NULL || p->ptrs == NULL || p->lens == NULL) {
    jcore_throw(env, "java/lang/OutOfMemoryError", "libcore: no memory for the list of parts");
    return 0;
  }
  for (size_t i = 0; i < p->count; ++i) {
    jarray part = (jarray)(*env)->GetObjectArrayElement(env, parts, (jsize)i);
    if ((*env)->ExceptionCheck(env)) return 0;
    if (part == NULL) {
      jcore_throwf(env, "java/lang/NullPointerException", "libcore: part %zu of array argument %d is null", i,
                   argnum);
      return 0;
    }
    jcore_array_prepare(env, &p->arrays[i], part, type, JCORE_IN, argnum);
    p->lens[i] = p->arrays[i].n;
    p->total += p->lens[i]; /* a sum of jsize values: cannot overflow size_t */
  }
  return 1;
}

/* All parts critically or all copied, chosen by the total: the output of
 * the same call has that total length and makes the same choice. */
static inline int jcore_parts_acquire(JNIEnv *env, jcore_parts *p) {
  const int critical = p->total <= (size_t)JCORE_CRITICAL_MAX_ELEMENTS;
  for (size_t i = 0; i < p->count; ++i) {
    if (!jcore_array_acquire_as(env, &p->arrays[i], critical)) return 0;
    p->ptrs[i] = p->arrays[i].ptr;
  }
  return 1;
}

/* The parts' local references are left to the end of the native call:
 * deleting them here is a JNI call while the output may still be held. */
static inline void jcore_parts_release(JNIEnv *env, jcore_parts *p) {
  for (size_t i = 0; p->arrays != NULL && i < p->count; ++i) jcore_array_release(env, &p->arrays[i]);
  free(p->arrays), free(p->ptrs), free(p->lens);
  p->arrays = NULL, p->ptrs = NULL, p->lens = NULL;
}

/* ---- percentile scratch ------------------------------------------------------- */

/* n must be the call's size_t length: _Generic refuses anything else at
 * compile time, so a signature change cannot slip through. */
#define JCORE_SCRATCH_LEN(n) _Generic((n), size_t: (n))

static inline void *jcore_scratch(size_t n, size_t elem) { return malloc(n > 0 ? n * elem : 1); }

#endif
