/*
 * jcore_collection.h: the Java binding of collection.h (typemaps in
 * core_java.i, declarations in core_java_extra.i; only the SWIG-generated
 * JNI wrapper includes this file).
 *
 * dev.libcore.Collection.run drives bindings/collection_shim.h: it creates
 * a corebind_collection (a Java long), adds the files, runs, reads every
 * record and frees it, all inside one Java call (try/finally), so no
 * handle ever escapes and the shim's misuse cases (add after run, a second
 * run, NULL) cannot happen. No callback crosses into Java: the shim keeps
 * each file's record during the run and Java reads them afterwards.
 *
 * Two helpers replace shim functions whose plain SWIG mapping would be
 * wrong for Java:
 *  - jcore_collection_run: the options travel as double[5] {sample_rate,
 *    chunk_samples, vad, features, max_segments} plus the VAD's and
 *    log-mel's double[8] of jcore_audio.h (each may be null: libcore's
 *    default), always on top of core_collection_options_init, so no
 *    default is repeated in Java (every value is an integer far below
 *    2^53, exact in a double). A record the shim could not keep (no
 *    memory) is an OutOfMemoryError, not a CoreException: libcore set no
 *    message for it.
 *  - jcore_collection_texts: the JSON record, the message and the path as
 *    byte[] (UTF-8, decoded in Java): SWIG's String mapping goes through
 *    NewStringUTF, which wants modified UTF-8 and would garble (or, under
 *    -Xcheck:jni, flag) a path outside the BMP or not valid UTF-8.
 *
 * A helper that throws a Java exception itself returns JCORE_JAVA_THROWN;
 * a libcore failure is returned as is with no libcore call after it, so the
 * "ret" typemap reads the message of that very failure.
 */
#ifndef LIBCORE_JAVA_JCORE_COLLECTION_H
#define LIBCORE_JAVA_JCORE_COLLECTION_H

#include "jcore_pipeline.h" /* jcore_size, the audio option helpers */
#include "collection_shim.h"

_Static_assert(sizeof(corebind_collection *) <= sizeof(jlong), "a collection handle fits a Java long");

/* double[5] {sample_rate, chunk_samples, vad, features, max_segments} */
#define JCORE_COLLECTION_OPTIONS 5

static inline core_status jcore_collection_options_init(JNIEnv *env, jdoubleArray main) {
  double v[JCORE_COLLECTION_OPTIONS];
  if (!jcore_audio_doubles(env, main, JCORE_COLLECTION_OPTIONS, v, "the options")) return JCORE_JAVA_THROWN;
  core_collection_options_t o;
  const core_status st = core_collection_options_init(&o);
  if (st != CORE_OK) return st;
  v[0] = o.sample_rate, v[1] = (double)o.chunk_samples, v[2] = o.vad, v[3] = o.features;
  /* SIZE_MAX ("all") would round up to 2^64 in a double: Java's long caps it */
  v[4] = o.max_segments > (size_t)INT64_MAX ? 9223372036854775807.0 : (double)o.max_segments;
  (*env)->SetDoubleArrayRegion(env, main, 0, JCORE_COLLECTION_OPTIONS, v);
  return CORE_OK;
}

/* vad, logmel: double[8] or null (libcore's defaults) */
static inline core_status jcore_collection_run(JNIEnv *env, corebind_collection *c, jdoubleArray main,
                                               jdoubleArray vad, jdoubleArray logmel) {
  double v[JCORE_COLLECTION_OPTIONS];
  if (c == NULL) {
    jcore_throw(env, "java/lang/IllegalStateException", "libcore: no collection");
    return JCORE_JAVA_THROWN;
  }
  if (!jcore_audio_doubles(env, main, JCORE_COLLECTION_OPTIONS, v, "the options")) return JCORE_JAVA_THROWN;
  core_collection_options_t o;
  if (core_collection_options_init(&o) != CORE_OK) {
    jcore_throw(env, "java/lang/IllegalStateException", "libcore: core_collection_options_init failed");
    return JCORE_JAVA_THROWN;
  }
  if ((vad != NULL && !jcore_vad_options_get(env, vad, &o.vad_options)) ||
      (logmel != NULL && !jcore_logmel_options_get(env, logmel, &o.logmel_options)))
    return JCORE_JAVA_THROWN;
  o.sample_rate = jcore_u32(v[0]);
  o.chunk_samples = jcore_size(v[1]);
  o.vad = jcore_int(v[2]);
  o.features = jcore_int(v[3]);
  o.max_segments = jcore_size(v[4]);
  const core_status st = corebind_collection_run(c, &o);
  if (st == CORE_E_OUT_OF_MEMORY && c->oom) {
    /* the run completed but a record was lost: libcore set no message */
    jcore_throw(env, "java/lang/OutOfMemoryError", "libcore: no memory to keep a file's record");
    return JCORE_JAVA_THROWN;
  }
  return st;
}

static inline jbyteArray jcore_collection_bytes(JNIEnv *env, const char *s) {
  const size_t n = strlen(s);
  if (n > JCORE_MAX_JAVA_ARRAY) {
    jcore_throw(env, "java/lang/OutOfMemoryError", "libcore: a record longer than a Java array");
    return NULL;
  }
  jbyteArray b = (*env)->NewByteArray(env, (jsize)n);
  if (b != NULL && n > 0) (*env)->SetByteArrayRegion(env, b, 0, (jsize)n, (const jbyte *)s);
  return b;
}

/* result: Object[3] receiving {json, message, path} of file i as UTF-8 byte[] */
static inline core_status jcore_collection_texts(JNIEnv *env, const corebind_collection *c, size_t i,
                                                 jobjectArray result) {
  if (!jcore_audio_result(env, result, 3)) return JCORE_JAVA_THROWN;
  const char *texts[3] = {corebind_collection_json(c, i), corebind_collection_message(c, i),
                          corebind_collection_path(c, i)};
  for (jsize k = 0; k < 3; ++k) {
    jbyteArray b = jcore_collection_bytes(env, texts[k] != NULL ? texts[k] : "");
    if (b == NULL) return JCORE_JAVA_THROWN; /* OutOfMemoryError pending */
    (*env)->SetObjectArrayElement(env, result, k, b);
    (*env)->DeleteLocalRef(env, b);
  }
  return CORE_OK;
}

#endif
