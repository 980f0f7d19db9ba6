/*
 * jcore_cache.h: the Java binding of cache.h (declared in core_java_extra.i;
 * only the SWIG-generated JNI wrapper includes this file).
 *
 * The handle. A Java long holding a jcore_cache (below): the core_cache_t
 * plus what the Java clock needs. dev.libcore.EncoderCache owns it and never
 * passes it after jcore_cache_destroy, nor while destroying it.
 *
 * No critical array access in any call that takes a shard lock. With a Java
 * clock, the thread holding a shard lock runs Java code (the clock), which
 * may need a garbage collection; a second thread holding an array
 * critically (the GC locked out) while it waits for that shard lock would
 * deadlock the JVM. get_or_compute's waiters wait for a Java function, so
 * the same holds there. Arrays are therefore copied with
 * Get/Set<Type>ArrayRegion (one memcpy each way; the cache copies anyway).
 * Keys touch no cache: they use jcore.h's usual rule.
 *
 * The Java clock. core_cache_clock_fn runs under a shard lock on the thread
 * of a cache call, which is always a Java thread inside one of the helpers
 * below (the cache has no threads of its own); JavaVM::GetEnv finds its
 * JNIEnv (a foreign thread would be attached as a daemon, to be safe). The
 * LongSupplier must be quick and must not use the cache. If it throws, the
 * exception is cleared and the last reading is used; readings are clamped
 * to be non-decreasing and >= 0, as libcore requires.
 *
 * get_or_compute. The callback's `user` is a jcore_compute on the caller's
 * stack holding the JNIEnv of this very native call (the callback runs on
 * the calling thread) and the Java EncoderCache.Computation. The callback
 * calls Computation.compute() (which applies the user's function and
 * returns the data) and computedShape(), copies the data into a malloc'ed
 * buffer and calls core_cache_writer_put. A Java exception is cleared,
 * kept (its local reference lives until this native call returns) and
 * turned into JCORE_COMPUTE_FAILED, which libcore hands to every waiter;
 * after core_cache_get_or_compute returns, the helper throws the original
 * exception again on the computing thread.
 */
#ifndef LIBCORE_JAVA_JCORE_CACHE_H
#define LIBCORE_JAVA_JCORE_CACHE_H

#include "jcore_batch.h"

_Static_assert(sizeof(void *) <= sizeof(jlong), "a cache handle fits a Java long");
/* Constants EncoderCache.java repeats. */
_Static_assert(CORE_CACHE_MAX_DIMS == 4 && CORE_CACHE_MAX_DECIMALS == 10 && CORE_CACHE_MAX_SHARDS == 256 &&
                   CORE_CACHE_ENTRY_OVERHEAD == 256,
               "update EncoderCache.java's constants");

/* What a Java function that threw (or returned null) becomes for libcore and
 * for every waiter of that computation. Mirrored in EncoderCache.java. */
#define JCORE_COMPUTE_FAILED CORE_E_UNAVAILABLE

/* Options: long[4] {max_entries, max_bytes, ttl_ms, shards}; -1 keeps the default. */
#define JCORE_CACHE_OPTIONS 4
/* Statistics: long[11], core_cache_stats_t's fields in order, hit_rate as raw double bits. */
#define JCORE_CACHE_STATS 11
/* Shape out: long[1 + CORE_CACHE_MAX_DIMS] {ndim, dims...}. */
#define JCORE_CACHE_SHAPE (1 + CORE_CACHE_MAX_DIMS)

typedef struct jcore_cache {
  core_cache_t *cache;
  JavaVM *vm;
  jobject clock;        /* global reference to a java.util.function.LongSupplier, or NULL */
  jmethodID get_as_long;
  uint64_t last;        /* the clock's last reading (atomic) */
  size_t hint;          /* largest value seen, in floats (atomic): get_or_compute's first buffer */
} jcore_cache;

static uint64_t jcore_cache_clock(void *user) {
  jcore_cache *c = (jcore_cache *)user;
  const uint64_t last = __atomic_load_n(&c->last, __ATOMIC_ACQUIRE);
  JNIEnv *env = NULL;
  int attached = 0;
  if ((*c->vm)->GetEnv(c->vm, (void **)&env, JNI_VERSION_1_6) != JNI_OK) {
    if ((*c->vm)->AttachCurrentThreadAsDaemon(c->vm, (void **)&env, NULL) != JNI_OK) return last;
    attached = 1;
  }
  uint64_t now = last;
  if (!(*env)->ExceptionCheck(env)) { /* never call Java with an exception pending */
    const jlong t = (*env)->CallLongMethod(env, c->clock, c->get_as_long);
    if ((*env)->ExceptionCheck(env)) {
      (*env)->ExceptionClear(env);
    } else if (t > 0 && (uint64_t)t > last) {
      now = (uint64_t)t;
    }
  }
  if (attached) (*c->vm)->DetachCurrentThread(c->vm);
  /* non-decreasing across threads: keep the largest reading */
  uint64_t seen = last;
  while (now > seen &&
         !__atomic_compare_exchange_n(&c->last, &seen, now, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
  }
  return now > seen ? now : seen;
}

static inline void jcore_cache_note_size(jcore_cache *c, size_t n) {
  size_t h = __atomic_load_n(&c->hint, __ATOMIC_RELAXED);
  while (n > h && !__atomic_compare_exchange_n(&c->hint, &h, n, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
  }
}

static inline int jcore_cache_longs_out(JNIEnv *env, jlongArray arr, jsize need, const char *what) {
  if (arr == NULL) {
    jcore_throwf(env, "java/lang/NullPointerException", "libcore: %s is null", what);
    return 0;
  }
  if ((*env)->GetArrayLength(env, arr) < need) {
    jcore_throwf(env, "java/lang/IllegalArgumentException", "libcore: %s needs %d elements", what, (int)need);
    return 0;
  }
  return 1;
}

/* ---- keys (no cache, no lock: jcore.h's array rule) ------------------------- */

static inline void jcore_key_put(JNIEnv *env, jlongArray out, const core_key_t *key) {
  const jlong v[2] = {(jlong)key->lo, (jlong)key->hi};
  (*env)->SetLongArrayRegion(env, out, 0, 2, v);
}

static inline core_status jcore_cache_key_bytes(JNIEnv *env, jbyteArray data, jlongArray out) {
  if (data == NULL) {
    jcore_throw(env, "java/lang/NullPointerException", "libcore: data is null");
    return JCORE_JAVA_THROWN;
  }
  if (!jcore_cache_longs_out(env, out, 2, "the key output")) return JCORE_JAVA_THROWN;
  const size_t n = (size_t)(*env)->GetArrayLength(env, data);
  core_key_t key;
  core_status st;
  if (n == 0) {
    st = core_cache_key_bytes(NULL, 0, &key);
  } else if (n <= (size_t)JCORE_CRITICAL_MAX_ELEMENTS * 4) {
    void *p = (*env)->GetPrimitiveArrayCritical(env, data, NULL);
    if (p == NULL) {
      jcore_acquire_failed(env);
      return JCORE_JAVA_THROWN;
    }
    st = core_cache_key_bytes(p, n, &key);
    (*env)->ReleasePrimitiveArrayCritical(env, data, p, JNI_ABORT);
  } else {
    jbyte *p = (*env)->GetByteArrayElements(env, data, NULL);
    if (p == NULL) {
      jcore_acquire_failed(env);
      return JCORE_JAVA_THROWN;
    }
    st = core_cache_key_bytes(p, n, &key);
    (*env)->ReleaseByteArrayElements(env, data, p, JNI_ABORT);
  }
  if (st == CORE_OK) jcore_key_put(env, out, &key);
  return st;
}

static inline core_status jcore_cache_key_audio(JNIEnv *env, jfloatArray samples, int decimals, jlongArray out) {
  jcore_array arr = JCORE_ARRAY_INIT;
  if (!jcore_array_prepare(env, &arr, samples, JCORE_FLOAT, JCORE_IN, 1)) return JCORE_JAVA_THROWN;
  if (!jcore_cache_longs_out(env, out, 2, "the key output")) return JCORE_JAVA_THROWN;
  if (!jcore_array_acquire(env, &arr)) {
    jcore_array_release(env, &arr);
    jcore_acquire_failed(env);
    return JCORE_JAVA_THROWN;
  }
  core_key_t key;
  const core_status st = core_cache_key_audio((const float *)arr.ptr, arr.n, decimals, &key);
  jcore_array_release(env, &arr);
  if (st == CORE_OK) jcore_key_put(env, out, &key);
  return st;
}

/* ---- life cycle ---------------------------------------------------------------- */

static inline core_status jcore_cache_create(JNIEnv *env, jlongArray options, jobject clock, jlongArray handle) {
  if (!jcore_cache_longs_out(env, options, JCORE_CACHE_OPTIONS, "the options")) return JCORE_JAVA_THROWN;
  if (!jcore_cache_longs_out(env, handle, 1, "the handle output")) return JCORE_JAVA_THROWN;
  jlong v[JCORE_CACHE_OPTIONS];
  (*env)->GetLongArrayRegion(env, options, 0, JCORE_CACHE_OPTIONS, v);
  core_cache_options_t opts;
  core_status st = core_cache_options_init(&opts);
  if (st != CORE_OK) return st;
  if (v[0] >= 0) opts.max_entries = (size_t)v[0];
  if (v[1] >= 0) opts.max_bytes = (size_t)v[1];
  if (v[2] >= 0) opts.ttl_ms = (uint64_t)v[2];
  if (v[3] >= 0) opts.shards = (size_t)v[3];

  jcore_cache *c = (jcore_cache *)calloc(1, sizeof *c);
  if (c == NULL) {
    jcore_throw(env, "java/lang/OutOfMemoryError", "libcore: no memory for a cache handle");
    return JCORE_JAVA_THROWN;
  }
  if (clock != NULL) {
    jclass cls = (*env)->FindClass(env, "java/util/function/LongSupplier");
    if (cls == NULL || (*env)->GetJavaVM(env, &c->vm) != 0 ||
        (c->get_as_long = (*env)->GetMethodID(env, cls, "getAsLong", "()J")) == NULL ||
        (c->clock = (*env)->NewGlobalRef(env, clock)) == NULL) {
      free(c);
      if (!(*env)->ExceptionCheck(env)) jcore_throw(env, "java/lang/IllegalStateException", "libcore: cannot use the clock");
      return JCORE_JAVA_THROWN;
    }
    opts.clock = jcore_cache_clock;
    opts.clock_user = c;
  }
  st = core_cache_create(&opts, &c->cache);
  if (st != CORE_OK) {
    if (c->clock != NULL) (*env)->DeleteGlobalRef(env, c->clock);
    free(c);
    return st; /* the message is core_cache_create's: no libcore call since */
  }
  const jlong h = (jlong)(intptr_t)c;
  (*env)->SetLongArrayRegion(env, handle, 0, 1, &h);
  return CORE_OK;
}

static inline void jcore_cache_destroy(JNIEnv *env, jcore_cache *c) {
  if (c == NULL) return;
  core_cache_destroy(c->cache);
  if (c->clock != NULL) (*env)->DeleteGlobalRef(env, c->clock);
  free(c);
}

static inline size_t jcore_cache_shards(jcore_cache *c) { return core_cache_shards(c->cache); }

/* ---- entries --------------------------------------------------------------------- */

static inline core_status jcore_cache_put(JNIEnv *env, jcore_cache *c, int64_t lo, int64_t hi, jfloatArray data,
                                          jlongArray shape) {
  if (data == NULL || shape == NULL) {
    jcore_throw(env, "java/lang/NullPointerException", data == NULL ? "libcore: data is null" : "libcore: shape is null");
    return JCORE_JAVA_THROWN;
  }
  const size_t n = (size_t)(*env)->GetArrayLength(env, data);
  size_t *shp = NULL, ndim = 0;
  if (!jcore_sizes_get(env, shape, &shp, &ndim, 2)) return JCORE_JAVA_THROWN;
  float *buf = (float *)jcore_alloc(env, n, sizeof(float), "the value");
  if (buf == NULL) {
    free(shp);
    return JCORE_JAVA_THROWN;
  }
  if (n > 0) (*env)->GetFloatArrayRegion(env, data, 0, (jsize)n, buf);
  const core_key_t key = {(uint64_t)lo, (uint64_t)hi};
  /* n == 0 goes to libcore with a non-NULL pointer: its own message */
  const core_status st = core_cache_put(c->cache, &key, buf, n, shp, ndim);
  if (st == CORE_OK) jcore_cache_note_size(c, n);
  free(buf);
  free(shp);
  return st;
}

/* Writes {ndim, dims...} to shape_out (checked by the caller). */
static inline void jcore_cache_shape_put(JNIEnv *env, jlongArray shape_out, const size_t *shape, size_t ndim) {
  jlong v[JCORE_CACHE_SHAPE] = {0};
  v[0] = (jlong)ndim;
  for (size_t i = 0; i < ndim && i < CORE_CACHE_MAX_DIMS; ++i) v[1 + i] = (jlong)shape[i];
  (*env)->SetLongArrayRegion(env, shape_out, 0, JCORE_CACHE_SHAPE, v);
}

/* Hands buf[0, n) to Java as a new float[] in result[0]. */
static inline int jcore_cache_result(JNIEnv *env, jobjectArray result, const float *buf, size_t n) {
  jfloatArray arr = (*env)->NewFloatArray(env, (jsize)n);
  if (arr == NULL) return 0; /* OutOfMemoryError pending */
  (*env)->SetFloatArrayRegion(env, arr, 0, (jsize)n, buf);
  (*env)->SetObjectArrayElement(env, result, 0, arr);
  (*env)->DeleteLocalRef(env, arr);
  return !(*env)->ExceptionCheck(env);
}

static inline int jcore_cache_outs_check(JNIEnv *env, jobjectArray result, jlongArray shape_out) {
  if (result == NULL || (*env)->GetArrayLength(env, result) < 1) {
    jcore_throw(env, "java/lang/IllegalArgumentException", "libcore: the result holder needs 1 element");
    return 0;
  }
  return jcore_cache_longs_out(env, shape_out, JCORE_CACHE_SHAPE, "the shape output");
}

/* get: result[0] = a float[] of exactly the value's size, or stays null on a
 * miss (not an error). The size comes from a first lookup with no buffer
 * (CORE_E_BUFFER_TOO_SMALL counts neither hit nor miss), then a lookup into
 * a buffer of that size, again if the value grew in between. */
static inline core_status jcore_cache_get(JNIEnv *env, jcore_cache *c, int64_t lo, int64_t hi, jobjectArray result,
                                          jlongArray shape_out) {
  if (!jcore_cache_outs_check(env, result, shape_out)) return JCORE_JAVA_THROWN;
  const core_key_t key = {(uint64_t)lo, (uint64_t)hi};
  float *buf = NULL;
  size_t cap = 0, n = 0, ndim = 0, shape[CORE_CACHE_MAX_DIMS];
  core_status st;
  for (;;) {
    st = core_cache_get(c->cache, &key, buf, cap, &n, shape, &ndim);
    if (st != CORE_E_BUFFER_TOO_SMALL) break;
    free(buf);
    buf = (float *)jcore_alloc(env, n, sizeof(float), "the value");
    if (buf == NULL) return JCORE_JAVA_THROWN;
    cap = n;
  }
  if (st == CORE_OK) {
    jcore_cache_note_size(c, n);
    if (!jcore_cache_result(env, result, buf, n)) st = JCORE_JAVA_THROWN;
    else jcore_cache_shape_put(env, shape_out, shape, ndim);
  } else if (st == CORE_E_NOT_FOUND) {
    st = CORE_OK;
  }
  free(buf);
  return st;
}

static inline core_status jcore_cache_contains(jcore_cache *c, int64_t lo, int64_t hi, size_t *found) {
  const core_key_t key = {(uint64_t)lo, (uint64_t)hi};
  int f = 0;
  const core_status st = core_cache_contains(c->cache, &key, &f);
  *found = (size_t)(f != 0);
  return st;
}

/* *found = 1 when an entry was removed, 0 when there was none. */
static inline core_status jcore_cache_remove(jcore_cache *c, int64_t lo, int64_t hi, size_t *found) {
  const core_key_t key = {(uint64_t)lo, (uint64_t)hi};
  const core_status st = core_cache_remove(c->cache, &key);
  *found = st == CORE_OK;
  return st == CORE_E_NOT_FOUND ? CORE_OK : st;
}

static inline core_status jcore_cache_clear(jcore_cache *c) { return core_cache_clear(c->cache); }

/* ---- get or compute ------------------------------------------------------------------ */

typedef struct {
  JNIEnv *env;        /* of the native call that runs core_cache_get_or_compute */
  jobject computation;
  jmethodID compute, computed_shape;
  jthrowable thrown;  /* the Java function's exception, cleared and kept */
  int computed;       /* this thread's callback stored the value */
  size_t n;
} jcore_compute;

static core_status jcore_cache_compute(void *user, const core_key_t *key, core_cache_writer_t *writer) {
  (void)key; /* the Computation holds its Key */
  jcore_compute *x = (jcore_compute *)user;
  JNIEnv *env = x->env;
  jfloatArray data = (jfloatArray)(*env)->CallObjectMethod(env, x->computation, x->compute);
  jlongArray shape = NULL;
  if (!(*env)->ExceptionCheck(env)) shape = (jlongArray)(*env)->CallObjectMethod(env, x->computation, x->computed_shape);
  if ((*env)->ExceptionCheck(env)) {
    x->thrown = (*env)->ExceptionOccurred(env);
    (*env)->ExceptionClear(env);
    if (data != NULL) (*env)->DeleteLocalRef(env, data);
    return JCORE_COMPUTE_FAILED;
  }
  if (data == NULL || shape == NULL) return JCORE_COMPUTE_FAILED; /* compute() never returns null */
  const size_t n = (size_t)(*env)->GetArrayLength(env, data);
  const size_t ndim = (size_t)(*env)->GetArrayLength(env, shape);
  size_t shp[CORE_CACHE_MAX_DIMS];
  core_status st = CORE_E_INVALID_ARGUMENT;
  float *buf = ndim <= CORE_CACHE_MAX_DIMS ? (float *)malloc(n > 0 ? n * sizeof(float) : 1) : NULL;
  if (buf != NULL) {
    if (ndim > 0) (*env)->GetLongArrayRegion(env, shape, 0, (jsize)ndim, (jlong *)shp);
    if (n > 0) (*env)->GetFloatArrayRegion(env, data, 0, (jsize)n, buf);
    st = core_cache_writer_put(writer, buf, n, shp, ndim);
    free(buf);
  } else if (ndim <= CORE_CACHE_MAX_DIMS) {
    st = CORE_E_OUT_OF_MEMORY;
  }
  (*env)->DeleteLocalRef(env, data);
  (*env)->DeleteLocalRef(env, shape);
  if (st == CORE_OK) {
    x->computed = 1;
    x->n = n;
  }
  return st;
}

/* get_or_compute: result[0] = the value as a new float[]; or, when this
 * call computed it, result[0] stays null and shape_out[0] is -1 (the Java
 * layer returns the Tensor its function gave). The first buffer holds the
 * largest value seen so far; a larger one costs a second lookup. A Java
 * exception of the function is thrown again here. */
static inline core_status jcore_cache_get_or_compute(JNIEnv *env, jcore_cache *c, int64_t lo, int64_t hi,
                                                     jobject computation, jobjectArray result, jlongArray shape_out) {
  if (computation == NULL) {
    jcore_throw(env, "java/lang/NullPointerException", "libcore: computation is null");
    return JCORE_JAVA_THROWN;
  }
  if (!jcore_cache_outs_check(env, result, shape_out)) return JCORE_JAVA_THROWN;
  jcore_compute x = {env, computation, NULL, NULL, NULL, 0, 0};
  jclass cls = (*env)->GetObjectClass(env, computation);
  x.compute = (*env)->GetMethodID(env, cls, "compute", "()[F");
  if (x.compute != NULL) x.computed_shape = (*env)->GetMethodID(env, cls, "computedShape", "()[J");
  (*env)->DeleteLocalRef(env, cls);
  if (x.compute == NULL || x.computed_shape == NULL) return JCORE_JAVA_THROWN; /* NoSuchMethodError pending */

  const core_key_t key = {(uint64_t)lo, (uint64_t)hi};
  size_t cap = __atomic_load_n(&c->hint, __ATOMIC_RELAXED);
  float *buf = (float *)jcore_alloc(env, cap, sizeof(float), "the value");
  if (buf == NULL) return JCORE_JAVA_THROWN;
  size_t n = 0, ndim = 0, shape[CORE_CACHE_MAX_DIMS];
  core_status st;
  for (;;) {
    x.thrown = NULL;
    x.computed = 0;
    st = core_cache_get_or_compute(c->cache, &key, jcore_cache_compute, &x, cap > 0 ? buf : NULL, cap, &n, shape,
                                   &ndim);
    if (x.thrown != NULL) {
      free(buf);
      (*env)->Throw(env, x.thrown);
      return JCORE_JAVA_THROWN;
    }
    if (x.computed && (st == CORE_OK || st == CORE_E_BUFFER_TOO_SMALL)) {
      free(buf);
      jcore_cache_note_size(c, x.n);
      const jlong mine = -1;
      (*env)->SetLongArrayRegion(env, shape_out, 0, 1, &mine);
      return CORE_OK;
    }
    if (st != CORE_E_BUFFER_TOO_SMALL) break;
    /* a waiter or a hit on a value larger than any seen: again, with its size */
    jcore_cache_note_size(c, n);
    free(buf);
    buf = (float *)jcore_alloc(env, n, sizeof(float), "the value");
    if (buf == NULL) return JCORE_JAVA_THROWN;
    cap = n;
  }
  if (st == CORE_OK) {
    if (!jcore_cache_result(env, result, buf, n)) st = JCORE_JAVA_THROWN;
    else jcore_cache_shape_put(env, shape_out, shape, ndim);
  }
  free(buf);
  return st;
}

/* ---- statistics, persistence ----------------------------------------------------------- */

static inline core_status jcore_cache_stats(JNIEnv *env, jcore_cache *c, jlongArray out) {
  if (!jcore_cache_longs_out(env, out, JCORE_CACHE_STATS, "the statistics output")) return JCORE_JAVA_THROWN;
  core_cache_stats_t s;
  memset(&s, 0, sizeof s);
  s.struct_size = sizeof s;
  const core_status st = core_cache_stats(c->cache, &s);
  if (st != CORE_OK) return st;
  jlong v[JCORE_CACHE_STATS];
  v[0] = (jlong)s.hits, v[1] = (jlong)s.misses, v[2] = (jlong)s.inserts, v[3] = (jlong)s.evictions;
  v[4] = (jlong)s.expirations, v[5] = (jlong)s.entries, v[6] = (jlong)s.bytes;
  memcpy(&v[7], &s.hit_rate, sizeof(double));
  v[8] = (jlong)s.computes, v[9] = (jlong)s.compute_failures, v[10] = (jlong)s.compute_waits;
  (*env)->SetLongArrayRegion(env, out, 0, JCORE_CACHE_STATS, v);
  return CORE_OK;
}

static inline core_status jcore_cache_stats_reset(jcore_cache *c) { return core_cache_stats_reset(c->cache); }
static inline core_status jcore_cache_save(jcore_cache *c, const char *path) { return core_cache_save(c->cache, path); }
static inline core_status jcore_cache_load(jcore_cache *c, const char *path) { return core_cache_load(c->cache, path); }

#endif
