/*
 * jcore_metrics.h: the Java binding of metrics.h (declared in
 * core_java_extra.i; only the SWIG-generated JNI wrapper includes this
 * file).
 *
 * Handles. A registry (core_metrics_t *) and a snapshot
 * (core_metrics_snapshot_t *) travel as Java longs; dev.libcore.Metrics and
 * dev.libcore.MetricsSnapshot own them and never pass one after destroying
 * it. Helpers that work on either take both (one of them 0).
 *
 * The hot path (record_ns, counter_add, gauge_set, gauge_add) is the libcore
 * function itself with the handle typemap: no JNI call besides the wrapper,
 * no allocation; a failed status is thrown by the wrapper's "ret" typemap.
 *
 * Strings (names, help, label pairs) come as UTF-8 byte[] (Java encodes
 * them: JNI's own strings are modified UTF-8), copied and NUL-terminated
 * here. Exported text goes back as a byte[] in Object[1], decoded by Java.
 *
 * A helper that throws a Java exception itself returns JCORE_JAVA_THROWN (a
 * non-OK status); a libcore failure is returned as is, with no libcore call
 * after it, so the "ret" typemap reads the message of that failure.
 */
#ifndef LIBCORE_JAVA_JCORE_METRICS_H
#define LIBCORE_JAVA_JCORE_METRICS_H

#include "jcore_batch.h"

_Static_assert(CORE_METRICS_MAX_LABELS == 8 && CORE_METRICS_MAX_NAME == 200 && CORE_METRICS_MAX_PROM_BUCKETS == 64,
               "update Metrics.java's constants");
_Static_assert(CORE_METRIC_TIMER == 0 && CORE_METRIC_COUNTER == 1 && CORE_METRIC_GAUGE == 2 &&
                   CORE_METRICS_PROMETHEUS == 0 && CORE_METRICS_JSON == 1 && CORE_METRICS_TABLE == 2 &&
                   CORE_METRICS_EXPORT_SUMMARY == 1u,
               "Metrics.java repeats these values");

/* Options: long[4] {lowest_ns, highest_ns, significant_digits, max_metrics}; -1 keeps the default. */
#define JCORE_METRICS_OPTIONS 4
/* Timer summary: long[8] {count, sum, min, max, mean bits, stddev bits, underflows, overflows}. */
#define JCORE_METRICS_STATS 8
/* Strings of a registration: name, help (may be null), then label name/value pairs. */
#define JCORE_METRICS_MAX_STRINGS (2 + 2 * CORE_METRICS_MAX_LABELS)

/* The hot path: libcore's own functions. */
#define jcore_metrics_record_ns core_metrics_record_ns
#define jcore_metrics_counter_add core_metrics_counter_add
#define jcore_metrics_gauge_set core_metrics_gauge_set
#define jcore_metrics_gauge_add core_metrics_gauge_add
#define jcore_metrics_destroy core_metrics_destroy
#define jcore_metrics_snapshot_destroy core_metrics_snapshot_destroy
#define jcore_metrics_count core_metrics_count
#define jcore_metrics_snapshot_count core_metrics_snapshot_count

static inline int jcore_metrics_longs(JNIEnv *env, jlongArray arr, jsize need, const char *what) {
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

static inline int jcore_metrics_handle(JNIEnv *env, const void *h) {
  if (h == NULL) {
    jcore_throw(env, "java/lang/IllegalStateException", "libcore: no metrics handle");
    return 0;
  }
  return 1;
}

/* A NUL-terminated malloc'ed copy of a UTF-8 byte[] (NULL stays NULL when allowed). */
static inline int jcore_metrics_string(JNIEnv *env, jbyteArray bytes, char **out, int nullable, const char *what) {
  *out = NULL;
  if (bytes == NULL) {
    if (nullable) return 1;
    jcore_throwf(env, "java/lang/NullPointerException", "libcore: %s is null", what);
    return 0;
  }
  const size_t n = (size_t)(*env)->GetArrayLength(env, bytes);
  char *p = (char *)malloc(n + 1);
  if (p == NULL) {
    jcore_throw(env, "java/lang/OutOfMemoryError", "libcore: no memory for a string");
    return 0;
  }
  if (n > 0) (*env)->GetByteArrayRegion(env, bytes, 0, (jsize)n, (jbyte *)p);
  p[n] = '\0';
  if (memchr(p, '\0', n) != NULL) {
    free(p);
    jcore_throwf(env, "java/lang/IllegalArgumentException", "libcore: %s contains a NUL character", what);
    return 0;
  }
  *out = p;
  return 1;
}

/* ---- life cycle ---------------------------------------------------------------- */

static inline core_status jcore_metrics_create(JNIEnv *env, jlongArray options, jdoubleArray buckets,
                                               jlongArray handle) {
  if (!jcore_metrics_longs(env, options, JCORE_METRICS_OPTIONS, "the options")) return JCORE_JAVA_THROWN;
  if (!jcore_metrics_longs(env, handle, 1, "the handle output")) return JCORE_JAVA_THROWN;
  jlong v[JCORE_METRICS_OPTIONS];
  (*env)->GetLongArrayRegion(env, options, 0, JCORE_METRICS_OPTIONS, v);
  double b[CORE_METRICS_MAX_PROM_BUCKETS + 1];
  jsize nb = 0;
  if (buckets != NULL) {
    nb = (*env)->GetArrayLength(env, buckets);
    if (nb > CORE_METRICS_MAX_PROM_BUCKETS + 1) nb = CORE_METRICS_MAX_PROM_BUCKETS + 1; /* libcore refuses */
    if (nb > 0) (*env)->GetDoubleArrayRegion(env, buckets, 0, nb, b);
  }
  core_metrics_options_t opts;
  core_status st = core_metrics_options_init(&opts);
  if (st != CORE_OK) return st;
  if (v[0] >= 0) opts.lowest_ns = (uint64_t)v[0];
  if (v[1] >= 0) opts.highest_ns = (uint64_t)v[1];
  if (v[2] >= 0) opts.significant_digits = v[2] > 100 ? 100 : (int)v[2];
  if (v[3] >= 0) opts.max_metrics = (size_t)v[3];
  if (buckets != NULL) {
    opts.prom_buckets = b;
    opts.prom_bucket_count = (size_t)nb;
  }
  core_metrics_t *m = NULL;
  st = core_metrics_create(&opts, &m);
  if (st == CORE_OK) {
    const jlong h = (jlong)(intptr_t)m;
    (*env)->SetLongArrayRegion(env, handle, 0, 1, &h);
  }
  return st;
}

/* ---- registration and find -------------------------------------------------------- */

/* strings: byte[][] {name, help or null, label name, label value, ...}; *n receives the id. */
static inline core_status jcore_metrics_register(JNIEnv *env, core_metrics_t *m, int kind, jobjectArray strings,
                                                 size_t *n) {
  if (!jcore_metrics_handle(env, m)) return JCORE_JAVA_THROWN;
  if (strings == NULL) {
    jcore_throw(env, "java/lang/NullPointerException", "libcore: the strings are null");
    return JCORE_JAVA_THROWN;
  }
  const jsize count = (*env)->GetArrayLength(env, strings);
  if (count < 2 || count % 2 != 0 || count > JCORE_METRICS_MAX_STRINGS) {
    jcore_throwf(env, "java/lang/IllegalArgumentException", "libcore: a registration takes at most %d labels",
                 CORE_METRICS_MAX_LABELS);
    return JCORE_JAVA_THROWN;
  }
  char *s[JCORE_METRICS_MAX_STRINGS] = {NULL};
  core_status st = JCORE_JAVA_THROWN;
  int ok = 1;
  for (jsize i = 0; ok && i < count; ++i) {
    jbyteArray b = (jbyteArray)(*env)->GetObjectArrayElement(env, strings, i);
    if ((*env)->ExceptionCheck(env)) {
      ok = 0;
      break;
    }
    ok = jcore_metrics_string(env, b, &s[i], i == 1, i == 0 ? "the name" : i % 2 == 0 ? "a label name" : "a label value");
    if (b != NULL) (*env)->DeleteLocalRef(env, b);
  }
  if (ok) {
    core_metric_label_t labels[CORE_METRICS_MAX_LABELS];
    const size_t nlabels = (size_t)(count - 2) / 2;
    for (size_t i = 0; i < nlabels; ++i) {
      labels[i].name = s[2 + 2 * i];
      labels[i].value = s[3 + 2 * i];
    }
    core_metric_id_t id = 0;
    const core_metric_label_t *lp = nlabels > 0 ? labels : NULL;
    st = kind == CORE_METRIC_TIMER     ? core_metrics_timer(m, s[0], s[1], lp, nlabels, &id)
         : kind == CORE_METRIC_COUNTER ? core_metrics_counter(m, s[0], s[1], lp, nlabels, &id)
                                       : core_metrics_gauge(m, s[0], s[1], lp, nlabels, &id);
    if (st == CORE_OK) *n = id;
  }
  for (jsize i = 0; i < count; ++i) free(s[i]);
  return st;
}

/* out: long[2] {id, kind}, {-1, -1} when absent (not an error). */
static inline core_status jcore_metrics_find(JNIEnv *env, core_metrics_t *m, core_metrics_snapshot_t *s,
                                             jbyteArray name, jlongArray out) {
  if (!jcore_metrics_handle(env, m != NULL ? (const void *)m : (const void *)s)) return JCORE_JAVA_THROWN;
  if (!jcore_metrics_longs(env, out, 2, "the find output")) return JCORE_JAVA_THROWN;
  char *p = NULL;
  if (!jcore_metrics_string(env, name, &p, 0, "the name")) return JCORE_JAVA_THROWN;
  core_metric_id_t id = 0;
  core_metric_kind kind = CORE_METRIC_TIMER;
  core_status st = m != NULL ? core_metrics_find(m, p, &id, &kind) : core_metrics_snapshot_find(s, p, &id, &kind);
  free(p);
  jlong v[2] = {-1, -1};
  if (st == CORE_E_NOT_FOUND) {
    st = CORE_OK;
  } else if (st == CORE_OK) {
    v[0] = (jlong)id, v[1] = (jlong)kind;
  }
  if (st == CORE_OK) (*env)->SetLongArrayRegion(env, out, 0, 2, v);
  return st;
}

/* ---- queries (registry m or snapshot s) ----------------------------------------------- */

/* out: long[1] */
static inline core_status jcore_metrics_counter_get(JNIEnv *env, core_metrics_t *m, core_metrics_snapshot_t *s,
                                                    int id, jlongArray out) {
  if (!jcore_metrics_handle(env, m != NULL ? (const void *)m : (const void *)s)) return JCORE_JAVA_THROWN;
  if (!jcore_metrics_longs(env, out, 1, "the value output")) return JCORE_JAVA_THROWN;
  if (id < 0) id = -1; /* an unknown id for libcore */
  uint64_t v = 0;
  const core_status st = m != NULL ? core_metrics_counter_get(m, (core_metric_id_t)id, &v)
                                   : core_metrics_snapshot_counter(s, (core_metric_id_t)id, &v);
  if (st == CORE_OK) {
    const jlong j = (jlong)v;
    (*env)->SetLongArrayRegion(env, out, 0, 1, &j);
  }
  return st;
}

static inline core_status jcore_metrics_gauge_get(JNIEnv *env, core_metrics_t *m, core_metrics_snapshot_t *s, int id,
                                                  double *out) {
  if (!jcore_metrics_handle(env, m != NULL ? (const void *)m : (const void *)s)) return JCORE_JAVA_THROWN;
  if (id < 0) id = -1;
  return m != NULL ? core_metrics_gauge_get(m, (core_metric_id_t)id, out)
                   : core_metrics_snapshot_gauge(s, (core_metric_id_t)id, out);
}

/* out: long[8], see JCORE_METRICS_STATS */
static inline core_status jcore_metrics_timer_stats(JNIEnv *env, core_metrics_t *m, core_metrics_snapshot_t *s,
                                                    int id, jlongArray out) {
  if (!jcore_metrics_handle(env, m != NULL ? (const void *)m : (const void *)s)) return JCORE_JAVA_THROWN;
  if (!jcore_metrics_longs(env, out, JCORE_METRICS_STATS, "the stats output")) return JCORE_JAVA_THROWN;
  if (id < 0) id = -1;
  core_timer_stats_t t;
  memset(&t, 0, sizeof t);
  t.struct_size = sizeof t;
  const core_status st = m != NULL ? core_metrics_timer_stats(m, (core_metric_id_t)id, &t)
                                   : core_metrics_snapshot_timer_stats(s, (core_metric_id_t)id, &t);
  if (st == CORE_OK) {
    jlong v[JCORE_METRICS_STATS];
    v[0] = (jlong)t.count, v[1] = (jlong)t.sum_ns, v[2] = (jlong)t.min_ns, v[3] = (jlong)t.max_ns;
    memcpy(&v[4], &t.mean_ns, 8), memcpy(&v[5], &t.stddev_ns, 8);
    v[6] = (jlong)t.underflows, v[7] = (jlong)t.overflows;
    (*env)->SetLongArrayRegion(env, out, 0, JCORE_METRICS_STATS, v);
  }
  return st;
}

/* out: long[1] */
static inline core_status jcore_metrics_percentile(JNIEnv *env, core_metrics_t *m, core_metrics_snapshot_t *s,
                                                   int id, double q, jlongArray out) {
  if (!jcore_metrics_handle(env, m != NULL ? (const void *)m : (const void *)s)) return JCORE_JAVA_THROWN;
  if (!jcore_metrics_longs(env, out, 1, "the value output")) return JCORE_JAVA_THROWN;
  if (id < 0) id = -1;
  uint64_t v = 0;
  const core_status st = m != NULL ? core_metrics_percentile(m, (core_metric_id_t)id, q, &v)
                                   : core_metrics_snapshot_percentile(s, (core_metric_id_t)id, q, &v);
  if (st == CORE_OK) {
    const jlong j = (jlong)v;
    (*env)->SetLongArrayRegion(env, out, 0, 1, &j);
  }
  return st;
}

/* ---- snapshots and merges --------------------------------------------------------------- */

static inline core_status jcore_metrics_snapshot(JNIEnv *env, core_metrics_t *m, int reset, jlongArray handle) {
  if (!jcore_metrics_handle(env, m)) return JCORE_JAVA_THROWN;
  if (!jcore_metrics_longs(env, handle, 1, "the handle output")) return JCORE_JAVA_THROWN;
  core_metrics_snapshot_t *s = NULL;
  const core_status st = reset ? core_metrics_snapshot_and_reset(m, &s) : core_metrics_snapshot(m, &s);
  if (st == CORE_OK) {
    const jlong h = (jlong)(intptr_t)s;
    (*env)->SetLongArrayRegion(env, handle, 0, 1, &h);
  }
  return st;
}

/* Merges src (registry src_m or snapshot src_s) into dst (registry dst_m or snapshot dst_s). */
static inline core_status jcore_metrics_merge(JNIEnv *env, core_metrics_t *dst_m, core_metrics_snapshot_t *dst_s,
                                              core_metrics_t *src_m, core_metrics_snapshot_t *src_s) {
  if (!jcore_metrics_handle(env, dst_m != NULL ? (const void *)dst_m : (const void *)dst_s) ||
      !jcore_metrics_handle(env, src_m != NULL ? (const void *)src_m : (const void *)src_s))
    return JCORE_JAVA_THROWN;
  if (dst_m != NULL && src_m != NULL) return core_metrics_merge(dst_m, src_m);
  if (dst_m != NULL) return core_metrics_merge_snapshot(dst_m, src_s);
  if (src_s != NULL) return core_metrics_snapshot_merge(dst_s, src_s);
  /* registry into snapshot: through a temporary snapshot of the registry */
  core_metrics_snapshot_t *tmp = NULL;
  core_status st = core_metrics_snapshot(src_m, &tmp);
  if (st != CORE_OK) return st;
  st = core_metrics_snapshot_merge(dst_s, tmp);
  if (st != CORE_OK) {
    /* keep this failure's message: destroy makes no libcore error call */
    core_metrics_snapshot_destroy(tmp);
    return st;
  }
  core_metrics_snapshot_destroy(tmp);
  return st;
}

/* ---- export ------------------------------------------------------------------------------ */

/* result: Object[1] receiving the text as UTF-8 byte[] (without the NUL). The
 * needed-size protocol is run here: ask, allocate, write, retry when the
 * registry grew in between. */
static inline core_status jcore_metrics_export(JNIEnv *env, core_metrics_t *m, core_metrics_snapshot_t *s,
                                               int format, int flags, jobjectArray result) {
  if (!jcore_metrics_handle(env, m != NULL ? (const void *)m : (const void *)s)) return JCORE_JAVA_THROWN;
  if (result == NULL || (*env)->GetArrayLength(env, result) < 1) {
    jcore_throw(env, "java/lang/IllegalArgumentException", "libcore: the export result needs one element");
    return JCORE_JAVA_THROWN;
  }
  const core_metrics_format f = (core_metrics_format)format;
  size_t needed = 0;
  core_status st = m != NULL ? core_metrics_export(m, f, (unsigned)flags, NULL, 0, &needed)
                             : core_metrics_snapshot_export(s, f, (unsigned)flags, NULL, 0, &needed);
  char *buf = NULL;
  for (int attempt = 0; attempt < 16 && st == CORE_E_BUFFER_TOO_SMALL; ++attempt) {
    const size_t cap = needed + needed / 8 + 256; /* room for metrics registered meanwhile */
    char *nb = (char *)realloc(buf, cap);
    if (nb == NULL) {
      free(buf);
      jcore_throw(env, "java/lang/OutOfMemoryError", "libcore: no memory for the export");
      return JCORE_JAVA_THROWN;
    }
    buf = nb;
    st = m != NULL ? core_metrics_export(m, f, (unsigned)flags, buf, cap, &needed)
                   : core_metrics_snapshot_export(s, f, (unsigned)flags, buf, cap, &needed);
  }
  if (st != CORE_OK) {
    free(buf);
    return st;
  }
  const size_t len = buf != NULL && needed > 0 ? needed - 1 : 0;
  if (len > (size_t)0x7ffffff0) {
    free(buf);
    jcore_throw(env, "java/lang/OutOfMemoryError", "libcore: the export is larger than a Java array");
    return JCORE_JAVA_THROWN;
  }
  jbyteArray bytes = (*env)->NewByteArray(env, (jsize)len);
  if (bytes != NULL) {
    if (len > 0) (*env)->SetByteArrayRegion(env, bytes, 0, (jsize)len, (const jbyte *)buf);
    (*env)->SetObjectArrayElement(env, result, 0, bytes);
  }
  free(buf);
  return (*env)->ExceptionCheck(env) ? JCORE_JAVA_THROWN : CORE_OK;
}

#endif
