/*
 * jcore_pipeline.h: the Java binding of pipeline.h (typemaps in
 * core_java.i, declarations in core_java_extra.i; only the SWIG-generated
 * JNI wrapper includes this file).
 *
 * Handles. A pipeline (core_pipeline_t *) travels as a Java long;
 * dev.libcore.Pipeline owns it (a read-write lock: close waits for every
 * call in progress, and never runs beside one). A batcher travels as a Java
 * long holding a jcore_batcher (below: the core_batcher_t plus the Java
 * clock); dev.libcore.Batcher owns it (NativeHandle.Exclusive).
 *
 * No C callbacks into Java for the encoder: the pipeline is created without
 * one, so every window that misses the cache becomes a
 * CORE_EVENT_NEEDS_ENCODING event; dev.libcore.Pipeline calls the Java
 * encoder on it and submits the result with core_pipeline_submit_embedding.
 *
 * Options travel as double[JCORE_PIPELINE_OPTIONS] (every field below is an
 * integer far below 2^53: a double holds each exactly) plus the VAD's and
 * log-mel's double[8] of jcore_audio.h, always on top of
 * core_pipeline_options_init, so struct_size is this library's and no
 * default is repeated in Java.
 *
 * Events come back as long[JCORE_EVENT_LONGS] {kind, window_id, start, end,
 * n_mels, n_frames, dim, cache_hit, status} and Object[2] receiving a copy
 * of the features and of the embedding as new float[] (or null): libcore's
 * pointers are valid only until the next consumer call. CORE_E_EMPTY of
 * next_event and of the batcher's next / next_deadline is a result (found
 * 0), not an exception.
 *
 * Pushes take the array critically up to JCORE_CRITICAL_MAX_ELEMENTS
 * samples (a copy into the ring, no Java call meanwhile), and copy longer
 * ones into a malloc'ed buffer first: one push either way, so a push
 * refused under CORE_RING_REJECT writes nothing, as in C.
 *
 * A helper that throws a Java exception itself returns JCORE_JAVA_THROWN;
 * a libcore failure is returned as is with no libcore call after it, so the
 * "ret" typemap reads the message of that very failure.
 */
#ifndef LIBCORE_JAVA_JCORE_PIPELINE_H
#define LIBCORE_JAVA_JCORE_PIPELINE_H

#include "jcore_audio.h"
#include "jcore_metrics.h"

_Static_assert(sizeof(core_pipeline_t *) <= sizeof(jlong) && sizeof(void *) <= sizeof(jlong),
               "a pipeline or batcher handle fits a Java long");
_Static_assert(CORE_EVENT_SPEECH_START == 1 && CORE_EVENT_SPEECH_END == 2 && CORE_EVENT_WINDOW == 3 &&
                   CORE_EVENT_NEEDS_ENCODING == 4 && CORE_EVENT_ENCODER_ERROR == 5 && CORE_EVENT_END == 6,
               "PipelineEvent.Kind repeats these values");
_Static_assert(CORE_RING_REJECT == 0 && CORE_RING_OVERWRITE == 1, "RingBuffer.Policy repeats these values");
_Static_assert(CORE_BATCHER_MAX_BUCKETS == 16, "BatcherOptions.MAX_BUCKETS repeats this value");

/* double[11] {sample_rate, ring_ms, ring_policy, window_ms, hop_ms, speech_only, dim, cache_decimals,
 *             cache max_entries, cache max_bytes, cache ttl_ms} */
#define JCORE_PIPELINE_OPTIONS 11
#define JCORE_EVENT_LONGS 9
#define JCORE_PIPELINE_STATS 13

static inline size_t jcore_size(double v) {
  if (!(v >= 0)) return SIZE_MAX; /* NaN and negatives: refused by libcore by name */
  return v >= 18446744073709551615.0 ? SIZE_MAX : (size_t)v;
}

/* ---- options ------------------------------------------------------------------------------ */

static inline void jcore_pipeline_options_put(const core_pipeline_options_t *o, double *v) {
  v[0] = o->sample_rate, v[1] = o->ring_ms, v[2] = o->ring_policy, v[3] = o->window_ms, v[4] = o->hop_ms;
  v[5] = o->speech_only, v[6] = (double)o->dim, v[7] = o->cache_decimals;
  v[8] = (double)o->cache_options.max_entries, v[9] = (double)o->cache_options.max_bytes;
  v[10] = (double)o->cache_options.ttl_ms;
}

static inline core_status jcore_pipeline_options_init(JNIEnv *env, jdoubleArray main, jdoubleArray vad,
                                                      jdoubleArray logmel) {
  double v[JCORE_PIPELINE_OPTIONS], w[8], l[8];
  if (!jcore_audio_doubles(env, main, JCORE_PIPELINE_OPTIONS, v, "the options") ||
      !jcore_audio_doubles(env, vad, 8, w, "the VAD options") ||
      !jcore_audio_doubles(env, logmel, 8, l, "the log-mel options"))
    return JCORE_JAVA_THROWN;
  core_pipeline_options_t o;
  const core_status st = core_pipeline_options_init(&o);
  if (st != CORE_OK) return st;
  jcore_pipeline_options_put(&o, v);
  w[0] = o.vad.sample_rate, w[1] = o.vad.frame_ms, w[2] = o.vad.threshold, w[3] = o.vad.neg_threshold;
  w[4] = o.vad.min_speech_ms, w[5] = o.vad.min_silence_ms, w[6] = o.vad.speech_pad_ms, w[7] = o.vad.max_speech_ms;
  l[0] = o.logmel.sample_rate, l[1] = o.logmel.n_fft, l[2] = o.logmel.hop, l[3] = o.logmel.n_mels;
  l[4] = o.logmel.fmin, l[5] = o.logmel.fmax, l[6] = o.logmel.mode, l[7] = o.logmel.window_frames;
  (*env)->SetDoubleArrayRegion(env, main, 0, JCORE_PIPELINE_OPTIONS, v);
  (*env)->SetDoubleArrayRegion(env, vad, 0, 8, w);
  (*env)->SetDoubleArrayRegion(env, logmel, 0, 8, l);
  return CORE_OK;
}

/* prefix: the metrics prefix as UTF-8 bytes, or null (none); the handle written to a long[1] */
static inline core_status jcore_pipeline_create(JNIEnv *env, jdoubleArray main, jdoubleArray vad,
                                                jdoubleArray logmel, jbyteArray prefix, jlongArray handle) {
  double v[JCORE_PIPELINE_OPTIONS];
  core_pipeline_options_t o;
  if (!jcore_audio_longs(env, handle, 1, "the handle output") ||
      !jcore_audio_doubles(env, main, JCORE_PIPELINE_OPTIONS, v, "the options"))
    return JCORE_JAVA_THROWN;
  if (core_pipeline_options_init(&o) != CORE_OK) {
    jcore_throw(env, "java/lang/IllegalStateException", "libcore: core_pipeline_options_init failed");
    return JCORE_JAVA_THROWN;
  }
  if (!jcore_vad_options_get(env, vad, &o.vad) || !jcore_logmel_options_get(env, logmel, &o.logmel))
    return JCORE_JAVA_THROWN;
  o.sample_rate = jcore_u32(v[0]);
  o.ring_ms = jcore_u32(v[1]);
  o.ring_policy = jcore_int(v[2]);
  o.window_ms = jcore_u32(v[3]);
  o.hop_ms = jcore_u32(v[4]);
  o.speech_only = jcore_int(v[5]);
  o.dim = jcore_size(v[6]);
  o.cache_decimals = jcore_int(v[7]);
  o.cache_options.max_entries = jcore_size(v[8]);
  o.cache_options.max_bytes = jcore_size(v[9]);
  o.cache_options.ttl_ms = (uint64_t)jcore_size(v[10]);
  char *name = NULL;
  if (prefix != NULL) {
    const jsize n = (*env)->GetArrayLength(env, prefix);
    name = (char *)jcore_alloc(env, (size_t)n + 1, 1, "the metrics prefix");
    if (name == NULL) return JCORE_JAVA_THROWN;
    (*env)->GetByteArrayRegion(env, prefix, 0, n, (jbyte *)name);
    name[n] = '\0';
    if (strlen(name) != (size_t)n) {
      free(name);
      jcore_throw(env, "java/lang/IllegalArgumentException", "libcore: the metrics prefix holds a NUL character");
      return JCORE_JAVA_THROWN;
    }
    o.metrics_prefix = name;
  }
  core_pipeline_t *p = NULL;
  const core_status st = core_pipeline_create(&o, &p);
  free(name); /* copied by libcore */
  if (st == CORE_OK) jcore_handle_put(env, handle, p);
  return st;
}

/* ---- producer side ------------------------------------------------------------------------ */

/* One push of x[off, off + len) (float[] when i16 is 0, short[] otherwise). */
static inline core_status jcore_pipeline_push(JNIEnv *env, core_pipeline_t *p, jarray x, int i16, size_t off,
                                              size_t len) {
  if (x == NULL) {
    jcore_throw(env, "java/lang/NullPointerException", "libcore: samples is null");
    return JCORE_JAVA_THROWN;
  }
  const size_t n = (size_t)(*env)->GetArrayLength(env, x);
  if (off > n || len > n - off) {
    jcore_throwf(env, "java/lang/IndexOutOfBoundsException",
                 "libcore: range [%zu, %zu + %zu) outside an array of %zu", off, off, len, n);
    return JCORE_JAVA_THROWN;
  }
  const size_t elem = i16 ? sizeof(int16_t) : sizeof(float);
  if (len == 0) { /* still one call: a push after flush is refused */
    return i16 ? core_pipeline_push_i16(p, NULL, 0) : core_pipeline_push_f32(p, NULL, 0);
  }
  if (len <= (size_t)JCORE_CRITICAL_MAX_ELEMENTS) {
    char *base = (char *)(*env)->GetPrimitiveArrayCritical(env, x, NULL);
    if (base == NULL) {
      jcore_acquire_failed(env);
      return JCORE_JAVA_THROWN;
    }
    const core_status st = i16 ? core_pipeline_push_i16(p, (const int16_t *)(base + off * elem), len)
                               : core_pipeline_push_f32(p, (const float *)(base + off * elem), len);
    (*env)->ReleasePrimitiveArrayCritical(env, x, base, JNI_ABORT);
    return st;
  }
  void *copy = jcore_alloc(env, len, elem, "a copy of the samples");
  if (copy == NULL) return JCORE_JAVA_THROWN;
  if (i16)
    (*env)->GetShortArrayRegion(env, (jshortArray)x, (jsize)off, (jsize)len, (jshort *)copy);
  else
    (*env)->GetFloatArrayRegion(env, (jfloatArray)x, (jsize)off, (jsize)len, (jfloat *)copy);
  const core_status st = i16 ? core_pipeline_push_i16(p, (const int16_t *)copy, len)
                             : core_pipeline_push_f32(p, (const float *)copy, len);
  free(copy);
  return st;
}

static inline core_status jcore_pipeline_push_f32_array(JNIEnv *env, core_pipeline_t *p, jfloatArray x, size_t off,
                                                        size_t len) {
  return jcore_pipeline_push(env, p, x, 0, off, len);
}

static inline core_status jcore_pipeline_push_i16_array(JNIEnv *env, core_pipeline_t *p, jshortArray x, size_t off,
                                                        size_t len) {
  return jcore_pipeline_push(env, p, x, 1, off, len);
}

#define jcore_pipeline_push_f32_direct core_pipeline_push_f32

/* ---- consumer side ------------------------------------------------------------------------ */

static inline jfloatArray jcore_floats_new(JNIEnv *env, const float *x, size_t n) {
  if (n > JCORE_MAX_JAVA_ARRAY) {
    jcore_throwf(env, "java/lang/OutOfMemoryError", "libcore: %zu floats do not fit a Java array", n);
    return NULL;
  }
  jfloatArray a = (*env)->NewFloatArray(env, (jsize)n);
  if (a != NULL && n > 0) (*env)->SetFloatArrayRegion(env, a, 0, (jsize)n, x);
  return a;
}

/* info: long[9] (see the top); arrays: Object[2] {features, embedding}; *found 0 on CORE_E_EMPTY. */
static inline core_status jcore_pipeline_next_event(JNIEnv *env, core_pipeline_t *p, jlongArray info,
                                                    jobjectArray arrays, size_t *found) {
  if (!jcore_audio_longs(env, info, JCORE_EVENT_LONGS, "the event output") || !jcore_audio_result(env, arrays, 2))
    return JCORE_JAVA_THROWN;
  core_event_t ev;
  memset(&ev, 0, sizeof ev);
  const core_status st = core_pipeline_next_event(p, &ev);
  if (st == CORE_E_EMPTY) {
    *found = 0;
    return CORE_OK;
  }
  if (st != CORE_OK) return st;
  const size_t nf = ev.features != NULL ? ev.n_mels * ev.n_frames : 0;
  jfloatArray features = NULL, embedding = NULL;
  if (ev.features != NULL) {
    if ((features = jcore_floats_new(env, ev.features, nf)) == NULL) return JCORE_JAVA_THROWN;
  }
  if (ev.embedding != NULL) {
    if ((embedding = jcore_floats_new(env, ev.embedding, ev.dim)) == NULL) return JCORE_JAVA_THROWN;
  }
  (*env)->SetObjectArrayElement(env, arrays, 0, features);
  (*env)->SetObjectArrayElement(env, arrays, 1, embedding);
  if (features != NULL) (*env)->DeleteLocalRef(env, features);
  if (embedding != NULL) (*env)->DeleteLocalRef(env, embedding);
  const jlong v[JCORE_EVENT_LONGS] = {ev.kind, (jlong)ev.window_id, (jlong)ev.start, (jlong)ev.end,
                                      (jlong)ev.n_mels, (jlong)ev.n_frames, (jlong)ev.dim, ev.cache_hit,
                                      ev.status};
  (*env)->SetLongArrayRegion(env, info, 0, JCORE_EVENT_LONGS, v);
  *found = 1;
  return (*env)->ExceptionCheck(env) ? JCORE_JAVA_THROWN : CORE_OK;
}

static inline core_status jcore_pipeline_submit_embedding(JNIEnv *env, core_pipeline_t *p, int64_t window_id,
                                                          jfloatArray embedding) {
  if (embedding == NULL) {
    jcore_throw(env, "java/lang/NullPointerException", "libcore: embedding is null");
    return JCORE_JAVA_THROWN;
  }
  const size_t n = (size_t)(*env)->GetArrayLength(env, embedding);
  if (n == 0) return core_pipeline_submit_embedding(p, (uint64_t)window_id, jcore_audio_empty, 0);
  if (n > (size_t)JCORE_CRITICAL_MAX_ELEMENTS) { /* no critical access for a long call */
    float *copy = (float *)jcore_alloc(env, n, sizeof *copy, "a copy of the embedding");
    if (copy == NULL) return JCORE_JAVA_THROWN;
    (*env)->GetFloatArrayRegion(env, embedding, 0, (jsize)n, copy);
    const core_status st = core_pipeline_submit_embedding(p, (uint64_t)window_id, copy, n);
    free(copy);
    return st;
  }
  float *e = (float *)(*env)->GetPrimitiveArrayCritical(env, embedding, NULL);
  if (e == NULL) {
    jcore_acquire_failed(env);
    return JCORE_JAVA_THROWN;
  }
  const core_status st = core_pipeline_submit_embedding(p, (uint64_t)window_id, e, n);
  (*env)->ReleasePrimitiveArrayCritical(env, embedding, e, JNI_ABORT);
  return st;
}

/* ---- queries ------------------------------------------------------------------------------ */

/* long[13]: the nine counters in order, then audio_seconds, processing_seconds, real_time_factor and
 * cache_hit_rate as raw double bits */
static inline core_status jcore_pipeline_stats(JNIEnv *env, core_pipeline_t *p, jlongArray out) {
  if (!jcore_audio_longs(env, out, JCORE_PIPELINE_STATS, "the statistics output")) return JCORE_JAVA_THROWN;
  core_pipeline_stats_t s;
  const core_status st = core_pipeline_stats(p, &s);
  if (st != CORE_OK) return st;
  jlong v[JCORE_PIPELINE_STATS] = {(jlong)s.chunks,       (jlong)s.samples,    (jlong)s.dropped_samples,
                                   (jlong)s.segments,     (jlong)s.windows,    (jlong)s.cache_hits,
                                   (jlong)s.cache_misses, (jlong)s.encoder_calls, (jlong)s.encoder_errors};
  memcpy(&v[9], &s.audio_seconds, sizeof(double));
  memcpy(&v[10], &s.processing_seconds, sizeof(double));
  memcpy(&v[11], &s.real_time_factor, sizeof(double));
  memcpy(&v[12], &s.cache_hit_rate, sizeof(double));
  (*env)->SetLongArrayRegion(env, out, 0, JCORE_PIPELINE_STATS, v);
  return CORE_OK;
}

/* the pipeline's registry exported (jcore_metrics_export's result and flags) */
static inline core_status jcore_pipeline_metrics_export(JNIEnv *env, core_pipeline_t *p, int format, int flags,
                                                        jobjectArray result) {
  core_metrics_t *m = core_pipeline_metrics(p);
  if (m == NULL) {
    jcore_throw(env, "java/lang/IllegalStateException", "libcore: the pipeline has no metrics registry");
    return JCORE_JAVA_THROWN;
  }
  return jcore_metrics_export(env, m, NULL, format, flags, result);
}

/* ---- the batcher -------------------------------------------------------------------------- */

typedef struct jcore_batcher {
  core_batcher_t *b;
  JavaVM *vm;
  jobject clock;        /* global reference to a java.util.function.LongSupplier, or NULL */
  jmethodID get_as_long;
  uint64_t last;        /* the clock's last reading (one thread at a time: no atomics needed) */
} jcore_batcher;

/* The batcher calls its clock only inside add / next / flush / pending /
 * next_deadline, on the thread of that call (a Java thread inside one of
 * the helpers below). A clock that throws, or goes back, or below 0, reads
 * as its last reading (the exception is cleared). */
static uint64_t jcore_batcher_clock(void *user) {
  jcore_batcher *c = (jcore_batcher *)user;
  JNIEnv *env = NULL;
  if ((*c->vm)->GetEnv(c->vm, (void **)&env, JNI_VERSION_1_6) != JNI_OK || (*env)->ExceptionCheck(env))
    return c->last;
  const jlong t = (*env)->CallLongMethod(env, c->clock, c->get_as_long);
  if ((*env)->ExceptionCheck(env)) {
    (*env)->ExceptionClear(env);
  } else if (t > 0 && (uint64_t)t > c->last) {
    c->last = (uint64_t)t;
  }
  return c->last;
}

/* long[2] {max_batch, max_delay_ms} */
static inline core_status jcore_batcher_options_init(JNIEnv *env, jlongArray out) {
  if (!jcore_audio_longs(env, out, 2, "the options")) return JCORE_JAVA_THROWN;
  core_batcher_options_t o;
  const core_status st = core_batcher_options_init(&o);
  if (st != CORE_OK) return st;
  const jlong v[2] = {(jlong)o.max_batch, (jlong)o.max_delay_ms};
  (*env)->SetLongArrayRegion(env, out, 0, 2, v);
  return CORE_OK;
}

static inline void jcore_batcher_free(JNIEnv *env, jcore_batcher *c) {
  if (c == NULL) return;
  core_batcher_destroy(c->b);
  if (c->clock != NULL) (*env)->DeleteGlobalRef(env, c->clock);
  free(c);
}

/* bounds: long[] of the first n - 1 buckets' upper bounds (n buckets; empty: one bucket); clock a
 * LongSupplier or null (CLOCK_MONOTONIC); the handle written to a long[1] */
static inline core_status jcore_batcher_create(JNIEnv *env, int64_t max_batch, int64_t max_delay_ms,
                                               jlongArray bounds, jobject clock, jlongArray handle) {
  if (!jcore_audio_longs(env, handle, 1, "the handle output")) return JCORE_JAVA_THROWN;
  if (bounds == NULL) {
    jcore_throw(env, "java/lang/NullPointerException", "libcore: bounds is null");
    return JCORE_JAVA_THROWN;
  }
  const jsize nb = (*env)->GetArrayLength(env, bounds);
  if (nb > CORE_BATCHER_MAX_BUCKETS - 1) {
    jcore_throwf(env, "java/lang/IllegalArgumentException", "libcore: %d bucket bounds, more than %d", (int)nb,
                 CORE_BATCHER_MAX_BUCKETS - 1);
    return JCORE_JAVA_THROWN;
  }
  core_batcher_options_t o;
  core_status st = core_batcher_options_init(&o);
  if (st != CORE_OK) return st;
  o.max_batch = max_batch < 0 ? SIZE_MAX : (size_t)max_batch;
  o.max_delay_ms = max_delay_ms < 0 || max_delay_ms > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)max_delay_ms;
  o.n_buckets = nb == 0 ? 0 : (size_t)nb + 1;
  jlong b[CORE_BATCHER_MAX_BUCKETS];
  if (nb > 0) (*env)->GetLongArrayRegion(env, bounds, 0, nb, b);
  for (jsize i = 0; i < nb; ++i) {
    if (b[i] < 0) {
      jcore_throwf(env, "java/lang/IllegalArgumentException", "libcore: bucket bound %d is negative", (int)i);
      return JCORE_JAVA_THROWN;
    }
    o.bucket_bounds[i] = (uint64_t)b[i];
  }
  jcore_batcher *c = (jcore_batcher *)calloc(1, sizeof *c);
  if (c == NULL) {
    jcore_throw(env, "java/lang/OutOfMemoryError", "libcore: no memory for a batcher");
    return JCORE_JAVA_THROWN;
  }
  if (clock != NULL) {
    jclass cls = (*env)->FindClass(env, "java/util/function/LongSupplier");
    if (cls == NULL || (*env)->GetJavaVM(env, &c->vm) != 0) {
      free(c);
      return JCORE_JAVA_THROWN;
    }
    c->get_as_long = (*env)->GetMethodID(env, cls, "getAsLong", "()J");
    (*env)->DeleteLocalRef(env, cls);
    if (c->get_as_long == NULL || (c->clock = (*env)->NewGlobalRef(env, clock)) == NULL) {
      free(c);
      return JCORE_JAVA_THROWN;
    }
    o.clock = jcore_batcher_clock;
    o.clock_user = c;
  }
  st = core_batcher_create(&o, &c->b);
  if (st != CORE_OK) {
    /* no libcore call after the failure: its message stays for the "ret" typemap */
    if (c->clock != NULL) (*env)->DeleteGlobalRef(env, c->clock);
    free(c);
    return st;
  }
  jcore_handle_put(env, handle, c);
  return CORE_OK;
}

static inline void jcore_batcher_destroy(JNIEnv *env, jcore_batcher *c) { jcore_batcher_free(env, c); }

static inline core_status jcore_batcher_add(jcore_batcher *c, int64_t id, int64_t length) {
  return core_batcher_add(c->b, (uint64_t)id, (uint64_t)length);
}

/* ids: long[>= max_batch] receiving the batch; bucket: long[1]; the Java return value: the count (0 when no
 * batch is due) */
static inline core_status jcore_batcher_next(JNIEnv *env, jcore_batcher *c, jlongArray ids, jlongArray bucket,
                                             size_t *count) {
  if (ids == NULL || !jcore_audio_longs(env, bucket, 1, "the bucket output")) {
    if (ids == NULL) jcore_throw(env, "java/lang/NullPointerException", "libcore: ids is null");
    return JCORE_JAVA_THROWN;
  }
  const size_t cap = (size_t)(*env)->GetArrayLength(env, ids);
  uint64_t stack[64];
  uint64_t *buf = cap <= 64 ? stack : (uint64_t *)jcore_alloc(env, cap, sizeof *buf, "the batch");
  if (buf == NULL) return JCORE_JAVA_THROWN;
  size_t n = 0, b = 0;
  const core_status st = core_batcher_next(c->b, buf, cap, &n, &b);
  if (st == CORE_OK && n > 0) {
    (*env)->SetLongArrayRegion(env, ids, 0, (jsize)n, (const jlong *)buf);
    const jlong bb = (jlong)b;
    (*env)->SetLongArrayRegion(env, bucket, 0, 1, &bb);
  }
  if (buf != stack) free(buf);
  if (st == CORE_E_EMPTY) {
    *count = 0;
    return CORE_OK;
  }
  *count = n;
  return st;
}

static inline core_status jcore_batcher_flush(jcore_batcher *c) { return core_batcher_flush(c->b); }

static inline size_t jcore_batcher_pending(jcore_batcher *c) { return core_batcher_pending(c->b); }

/* out: long[1] receiving the nanoseconds; the Java return value: 1, or 0 when nothing waits */
static inline core_status jcore_batcher_next_deadline(JNIEnv *env, jcore_batcher *c, jlongArray out,
                                                      size_t *found) {
  if (!jcore_audio_longs(env, out, 1, "the deadline output")) return JCORE_JAVA_THROWN;
  uint64_t ns = 0;
  const core_status st = core_batcher_next_deadline(c->b, &ns);
  if (st == CORE_E_EMPTY) {
    *found = 0;
    return CORE_OK;
  }
  if (st != CORE_OK) return st;
  const jlong v = ns > (uint64_t)INT64_MAX ? INT64_MAX : (jlong)ns;
  (*env)->SetLongArrayRegion(env, out, 0, 1, &v);
  *found = 1;
  return CORE_OK;
}

#endif /* LIBCORE_JAVA_JCORE_PIPELINE_H */
