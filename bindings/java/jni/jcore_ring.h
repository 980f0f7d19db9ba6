/*
 * jcore_ring.h: the Java binding of ring.h (typemaps in core_java.i,
 * declarations in core_java_extra.i; only the SWIG-generated JNI wrapper
 * includes this file).
 *
 * The ring handle travels as a Java long. dev.libcore.RingBuffer owns it:
 * it never passes a handle after core_ring_destroy, and never while another
 * thread could be destroying it (see its close()). Every ring call is short
 * (a copy at most) except the waits, which take no Java array, so the
 * arrays of ring calls follow jcore.h's rule unchanged.
 */
#ifndef LIBCORE_JAVA_JCORE_RING_H
#define LIBCORE_JAVA_JCORE_RING_H

#include "jcore.h"

_Static_assert(sizeof(core_ring_t *) <= sizeof(jlong), "a ring handle fits a Java long");

/* Creation options as long[3] {capacity, policy, mirror}, on top of
 * core_ring_options_init's defaults (so struct_size is this library's). */
static inline int jcore_ring_options_get(JNIEnv *env, jlongArray arr, core_ring_options_t *opts, int argnum) {
  jlong v[3];
  if (arr == NULL) {
    jcore_throwf(env, "java/lang/NullPointerException", "libcore: options argument %d is null", argnum);
    return 0;
  }
  if ((*env)->GetArrayLength(env, arr) != 3) {
    jcore_throwf(env, "java/lang/IllegalArgumentException",
                 "libcore: options argument %d needs 3 elements {capacity, policy, mirror}", argnum);
    return 0;
  }
  (*env)->GetLongArrayRegion(env, arr, 0, 3, v);
  if (core_ring_options_init(opts) != CORE_OK) {
    jcore_throw(env, "java/lang/IllegalStateException", "libcore: core_ring_options_init failed");
    return 0;
  }
  opts->capacity = (size_t)v[0]; /* a negative value becomes huge: refused by libcore */
  opts->policy = (core_ring_policy)v[1];
  opts->mirror = (int)v[2];
  return 1;
}

/* The out-parameter of core_ring_create: a long[1] the handle is written to. */
static inline int jcore_handle_out_check(JNIEnv *env, jlongArray arr, int argnum) {
  if (arr == NULL) {
    jcore_throwf(env, "java/lang/NullPointerException", "libcore: handle argument %d is null", argnum);
    return 0;
  }
  if ((*env)->GetArrayLength(env, arr) < 1) {
    jcore_throwf(env, "java/lang/IllegalArgumentException", "libcore: handle argument %d needs 1 element",
                 argnum);
    return 0;
  }
  return 1;
}

/* The waits, with the timeout as a result rather than an error: *ready = 1
 * when the samples or the space are there, 0 when the wait timed out
 * (CORE_E_EMPTY / CORE_E_FULL from libcore). Other statuses are errors. */
static inline core_status jcore_ring_wait_readable(core_ring_t *ring, size_t n, int timeout_ms, size_t *ready) {
  const core_status st = core_ring_wait_readable(ring, n, timeout_ms);
  *ready = st == CORE_OK;
  return st == CORE_E_EMPTY ? CORE_OK : st;
}

static inline core_status jcore_ring_wait_writable(core_ring_t *ring, size_t n, int timeout_ms, size_t *ready) {
  const core_status st = core_ring_wait_writable(ring, n, timeout_ms);
  *ready = st == CORE_OK;
  return st == CORE_E_FULL ? CORE_OK : st;
}

#endif
