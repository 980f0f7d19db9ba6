/*
 * jcore_audio.h: the Java binding of audio.h (typemaps in core_java.i,
 * declarations in core_java_extra.i; only the SWIG-generated JNI wrapper
 * includes this file).
 *
 * Handles. A log-mel analyser (core_logmel_t *), a stream
 * (core_logmel_stream_t *) and a detector (core_vad_t *) travel as Java
 * longs. dev.libcore.LogMel, LogMelStream and Vad own them (through
 * dev.libcore.NativeHandle) and never pass one after destroying it, nor
 * while another thread could be destroying it.
 *
 * Options travel as double[8] (every field of core_logmel_options_t and
 * core_vad_options_t is a uint32_t, an int, a float or a double: a double
 * holds each exactly), always on top of libcore's own _init / _preset, so
 * struct_size is this library's and no default is repeated in Java.
 *
 * Arrays follow jcore.h's rule: a call whose arrays are all at most
 * JCORE_CRITICAL_MAX_ELEMENTS elements takes them critically (no copy);
 * otherwise every array of the call is copied (never a mix: JNI allows no
 * ordinary call while an array is held critically). A call that libcore
 * refuses at once (a clip shorter than n_fft, an output too small) always
 * takes the critical path: it returns before computing anything. Pushes
 * (stream, VAD) never copy at any size: a long array is pushed in pieces of
 * at most JCORE_CRITICAL_MAX_ELEMENTS samples, each taken critically, which
 * audio.h makes equivalent to one push ("any chunk size").
 *
 * A helper that throws a Java exception itself returns JCORE_JAVA_THROWN (a
 * non-OK status) and the "ret" typemap adds nothing; a libcore failure is
 * returned as is, with no libcore call after it, so the "ret" typemap reads
 * the message of that very failure.
 */
#ifndef LIBCORE_JAVA_JCORE_AUDIO_H
#define LIBCORE_JAVA_JCORE_AUDIO_H

#include "jcore_batch.h"

_Static_assert(sizeof(core_logmel_t *) <= sizeof(jlong) && sizeof(core_vad_t *) <= sizeof(jlong),
               "a handle fits a Java long");
_Static_assert(CORE_LOGMEL_WHISPER == 0 && CORE_LOGMEL_LOG10 == 1 && CORE_VAD_PRESET_DEFAULT == 0 &&
                   CORE_VAD_PRESET_TRANSCRIBE == 1 && CORE_VAD_PRESET_AGGRESSIVE == 2 &&
                   CORE_AUDIO_FORMAT_OTHER == 0 && CORE_AUDIO_FORMAT_WAV == 1 && CORE_AUDIO_FORMAT_FLAC == 2 &&
                   CORE_AUDIO_FORMAT_OGG == 3,
               "LogMelOptions.Mode, VadOptions.Preset and AudioInfo.Format repeat these values");
_Static_assert(sizeof(core_segment_t) == 2 * sizeof(jlong), "a segment is two longs");

/* The longest Java array (Check.MAX_ARRAY_LENGTH). */
#define JCORE_MAX_JAVA_ARRAY ((size_t)0x7ffffff7)

/* What libcore reads when a Java array is empty: a valid pointer, so that a
 * call refused for its length is refused for that (n < n_fft), not for a
 * NULL pointer. Never written (every length passed with it is 0). */
static float jcore_audio_empty[1];

/* ---- small helpers ---------------------------------------------------------------- */

static inline int jcore_audio_longs(JNIEnv *env, jlongArray arr, jsize need, const char *what) {
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

static inline int jcore_audio_doubles(JNIEnv *env, jdoubleArray arr, jsize need, double *v, const char *what) {
  if (arr == NULL) {
    jcore_throwf(env, "java/lang/NullPointerException", "libcore: %s is null", what);
    return 0;
  }
  if ((*env)->GetArrayLength(env, arr) != need) {
    jcore_throwf(env, "java/lang/IllegalArgumentException", "libcore: %s needs %d elements", what, (int)need);
    return 0;
  }
  (*env)->GetDoubleArrayRegion(env, arr, 0, need, v);
  return 1;
}

static inline int jcore_audio_result(JNIEnv *env, jobjectArray result, jsize need) {
  if (result == NULL || (*env)->GetArrayLength(env, result) < need) {
    jcore_throwf(env, "java/lang/IllegalArgumentException", "libcore: the result array needs %d elements",
                 (int)need);
    return 0;
  }
  return 1;
}

/* An option value from Java (already checked there: whole, >= 0) as a
 * uint32_t; anything else saturates, for libcore to refuse by name. */
static inline uint32_t jcore_u32(double v) {
  if (!(v >= 0)) return UINT32_MAX; /* NaN too */
  return v >= (double)UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

static inline int jcore_int(double v) {
  if (!(v >= INT32_MIN && v <= INT32_MAX)) return -1;
  return (int)v;
}

static inline float jcore_f32(double v) {
  return (float)v; /* Java sends float values widened: exact */
}

static inline void jcore_handle_put(JNIEnv *env, jlongArray handle, const void *p) {
  const jlong h = (jlong)(intptr_t)p;
  (*env)->SetLongArrayRegion(env, handle, 0, 1, &h);
}

/* ---- log-mel options: double[8] {sample_rate, n_fft, hop, n_mels, fmin, fmax, mode, window_frames} ---- */

#define JCORE_LOGMEL_OPTIONS 8

static inline core_status jcore_logmel_options_init(JNIEnv *env, jdoubleArray out) {
  double v[JCORE_LOGMEL_OPTIONS];
  if (!jcore_audio_doubles(env, out, JCORE_LOGMEL_OPTIONS, v, "the options")) return JCORE_JAVA_THROWN;
  core_logmel_options_t o;
  const core_status st = core_logmel_options_init(&o);
  if (st != CORE_OK) return st;
  v[0] = o.sample_rate, v[1] = o.n_fft, v[2] = o.hop, v[3] = o.n_mels;
  v[4] = o.fmin, v[5] = o.fmax, v[6] = o.mode, v[7] = o.window_frames;
  (*env)->SetDoubleArrayRegion(env, out, 0, JCORE_LOGMEL_OPTIONS, v);
  return CORE_OK;
}

static inline int jcore_logmel_options_get(JNIEnv *env, jdoubleArray arr, core_logmel_options_t *o) {
  double v[JCORE_LOGMEL_OPTIONS];
  if (!jcore_audio_doubles(env, arr, JCORE_LOGMEL_OPTIONS, v, "the options")) return 0;
  if (core_logmel_options_init(o) != CORE_OK) {
    jcore_throw(env, "java/lang/IllegalStateException", "libcore: core_logmel_options_init failed");
    return 0;
  }
  o->sample_rate = jcore_u32(v[0]);
  o->n_fft = jcore_u32(v[1]);
  o->hop = jcore_u32(v[2]);
  o->n_mels = jcore_u32(v[3]);
  o->fmin = v[4];
  o->fmax = v[5];
  o->mode = jcore_int(v[6]);
  o->window_frames = jcore_u32(v[7]);
  return 1;
}

/* handle: long[1] receiving the analyser */
static inline core_status jcore_logmel_create(JNIEnv *env, jdoubleArray options, jlongArray handle) {
  core_logmel_options_t o;
  if (!jcore_audio_longs(env, handle, 1, "the handle output") || !jcore_logmel_options_get(env, options, &o))
    return JCORE_JAVA_THROWN;
  core_logmel_t *lm = NULL;
  const core_status st = core_logmel_create(&o, &lm);
  if (st == CORE_OK) jcore_handle_put(env, handle, lm);
  return st;
}

static inline core_status jcore_logmel_stream_create(JNIEnv *env, jdoubleArray options, jlongArray handle) {
  core_logmel_options_t o;
  if (!jcore_audio_longs(env, handle, 1, "the handle output") || !jcore_logmel_options_get(env, options, &o))
    return JCORE_JAVA_THROWN;
  core_logmel_stream_t *s = NULL;
  const core_status st = core_logmel_stream_create(&o, &s);
  if (st == CORE_OK) jcore_handle_put(env, handle, s);
  return st;
}

/* ---- log-mel: filters, compute, batch ---------------------------------------------------- */

/* result: Object[1] receiving the filterbank as float[n_mels * (n_fft / 2 + 1)]; the needed-size
 * protocol is run here (BUFFER_TOO_SMALL never reaches Java). */
static inline core_status jcore_logmel_filters(JNIEnv *env, core_logmel_t *lm, jobjectArray result) {
  if (!jcore_audio_result(env, result, 1)) return JCORE_JAVA_THROWN;
  size_t need = 0;
  core_status st = core_logmel_filters(lm, NULL, 0, &need);
  if (st != CORE_E_BUFFER_TOO_SMALL) return st; /* a failure (a filterbank is never empty) */
  if (need > JCORE_MAX_JAVA_ARRAY) {
    jcore_throwf(env, "java/lang/IllegalArgumentException",
                 "libcore: the filterbank has %zu values, more than a Java array holds", need);
    return JCORE_JAVA_THROWN;
  }
  float *buf = (float *)jcore_alloc(env, need, sizeof *buf, "the filterbank");
  if (buf == NULL) return JCORE_JAVA_THROWN;
  size_t got = 0;
  st = core_logmel_filters(lm, buf, need, &got);
  if (st == CORE_OK) {
    jfloatArray arr = (*env)->NewFloatArray(env, (jsize)got);
    if (arr == NULL) {
      st = JCORE_JAVA_THROWN; /* OutOfMemoryError pending */
    } else {
      (*env)->SetFloatArrayRegion(env, arr, 0, (jsize)got, buf);
      (*env)->SetObjectArrayElement(env, result, 0, arr);
      (*env)->DeleteLocalRef(env, arr);
    }
  }
  free(buf);
  return st;
}

/* The values core_logmel_compute writes for n samples (n_mels * n / hop), or
 * 0 with *known = 0 when libcore will refuse n (fewer than n_fft samples). */
static inline size_t jcore_logmel_need(const core_logmel_t *lm, size_t n, size_t n_mels, int *known) {
  size_t frames = 0;
  *known = core_logmel_frames(lm, n, &frames) == CORE_OK && n_mels > 0 && frames <= SIZE_MAX / n_mels;
  return *known ? frames * n_mels : 0;
}

/* One core_logmel_compute on Java arrays: samples (n elements) into out
 * (cap elements, may be NULL when cap is 0); need as jcore_logmel_need. */
static inline core_status jcore_logmel_run(JNIEnv *env, core_logmel_t *lm, jfloatArray samples, size_t n,
                                           jfloatArray out, size_t cap, size_t need, int known, size_t *n_frames) {
  const int refused = !known || need > cap; /* libcore returns at once */
  core_status st;
  if (refused || (n <= (size_t)JCORE_CRITICAL_MAX_ELEMENTS && need <= (size_t)JCORE_CRITICAL_MAX_ELEMENTS)) {
    float *x = n > 0 ? (float *)(*env)->GetPrimitiveArrayCritical(env, samples, NULL) : jcore_audio_empty;
    if (x == NULL) {
      jcore_acquire_failed(env);
      return JCORE_JAVA_THROWN;
    }
    float *o = NULL;
    if (cap > 0) {
      o = (float *)(*env)->GetPrimitiveArrayCritical(env, out, NULL);
      if (o == NULL) {
        if (n > 0) (*env)->ReleasePrimitiveArrayCritical(env, samples, x, JNI_ABORT);
        jcore_acquire_failed(env);
        return JCORE_JAVA_THROWN;
      }
    }
    st = core_logmel_compute(lm, x, n, o, cap, n_frames);
    if (o != NULL) (*env)->ReleasePrimitiveArrayCritical(env, out, o, 0);
    if (n > 0) (*env)->ReleasePrimitiveArrayCritical(env, samples, x, JNI_ABORT);
    return st;
  }
  /* A long call: both copied, so the GC is never held off during it. */
  float *x = (float *)jcore_alloc(env, n, sizeof *x, "a copy of the samples");
  float *o = x == NULL ? NULL : (float *)jcore_alloc(env, need, sizeof *o, "the spectrogram");
  if (x == NULL || o == NULL) {
    free(x);
    return JCORE_JAVA_THROWN;
  }
  (*env)->GetFloatArrayRegion(env, samples, 0, (jsize)n, x);
  st = core_logmel_compute(lm, x, n, o, need, n_frames);
  if (st == CORE_OK && need > 0) (*env)->SetFloatArrayRegion(env, out, 0, (jsize)need, o);
  free(x), free(o);
  return st;
}

/* Into the caller's array out (its length the capacity); the frame count is the result. */
static inline core_status jcore_logmel_compute_into(JNIEnv *env, core_logmel_t *lm, jfloatArray samples,
                                                    size_t n_mels, jfloatArray out, size_t *n_frames) {
  if (samples == NULL || out == NULL) {
    jcore_throw(env, "java/lang/NullPointerException", "libcore: samples or out is null");
    return JCORE_JAVA_THROWN;
  }
  const size_t n = (size_t)(*env)->GetArrayLength(env, samples);
  const size_t cap = (size_t)(*env)->GetArrayLength(env, out);
  int known = 0;
  const size_t need = jcore_logmel_need(lm, n, n_mels, &known);
  return jcore_logmel_run(env, lm, samples, n, cap > 0 ? out : NULL, cap, need, known, n_frames);
}

/* Into a new float[n_mels * n_frames] stored in result[0]; the frame count is the result. */
static inline core_status jcore_logmel_compute_new(JNIEnv *env, core_logmel_t *lm, jfloatArray samples,
                                                   size_t n_mels, jobjectArray result, size_t *n_frames) {
  if (samples == NULL) {
    jcore_throw(env, "java/lang/NullPointerException", "libcore: samples is null");
    return JCORE_JAVA_THROWN;
  }
  if (!jcore_audio_result(env, result, 1)) return JCORE_JAVA_THROWN;
  const size_t n = (size_t)(*env)->GetArrayLength(env, samples);
  int known = 0;
  const size_t need = jcore_logmel_need(lm, n, n_mels, &known);
  if (need > JCORE_MAX_JAVA_ARRAY) {
    jcore_throwf(env, "java/lang/IllegalArgumentException",
                 "libcore: the log-mel spectrogram of %zu samples has %zu values, more than a Java array holds", n,
                 need);
    return JCORE_JAVA_THROWN;
  }
  jfloatArray out = NULL;
  if (known) {
    out = (*env)->NewFloatArray(env, (jsize)need);
    if (out == NULL) return JCORE_JAVA_THROWN; /* OutOfMemoryError pending */
  }
  const core_status st = jcore_logmel_run(env, lm, samples, n, need > 0 ? out : NULL, need, need, known, n_frames);
  if (st == CORE_OK) (*env)->SetObjectArrayElement(env, result, 0, out);
  if (out != NULL) (*env)->DeleteLocalRef(env, out);
  return st;
}

/* core_logmel_compute_batch on float[][] clips: outs (Object[count]) receives
 * a new float[n_mels * n_frames[i]] per clip, n_frames (long[count]) the
 * frame counts. One libcore call for the whole batch (parallel over every
 * clip's blocks), on the clips held critically when the batch is small
 * (inputs and outputs each at most JCORE_CRITICAL_MAX_ELEMENTS in total) or
 * refused at once, copied into one flat buffer otherwise. */
static inline core_status jcore_logmel_compute_batch(JNIEnv *env, core_logmel_t *lm, jcore_float_arrays clips,
                                                     size_t n_mels, jobjectArray outs, jlongArray n_frames) {
  if (clips == NULL) {
    jcore_throw(env, "java/lang/NullPointerException", "libcore: clips is null");
    return JCORE_JAVA_THROWN;
  }
  const size_t count = (size_t)(*env)->GetArrayLength(env, clips);
  if (!jcore_audio_result(env, outs, (jsize)count) || !jcore_audio_longs(env, n_frames, (jsize)count, "n_frames"))
    return JCORE_JAVA_THROWN;
  if (count == 0) return core_logmel_compute_batch(lm, NULL, NULL, 0, NULL, NULL, NULL);
  if ((*env)->PushLocalFrame(env, (jint)(2 * count + 4)) != 0) return JCORE_JAVA_THROWN;

  jfloatArray *in = (jfloatArray *)calloc(count, sizeof *in);
  jfloatArray *out = (jfloatArray *)calloc(count, sizeof *out);
  const float **ptrs = (const float **)calloc(count, sizeof *ptrs);
  float **optrs = (float **)calloc(count, sizeof *optrs);
  size_t *lens = (size_t *)calloc(count, sizeof *lens);
  size_t *caps = (size_t *)calloc(count, sizeof *caps);
  size_t *frames = (size_t *)calloc(count, sizeof *frames);
  float *flat_in = NULL, *flat_out = NULL;
  core_status st = JCORE_JAVA_THROWN;
  if (in == NULL || out == NULL || ptrs == NULL || optrs == NULL || lens == NULL || caps == NULL || frames == NULL) {
    jcore_throw(env, "java/lang/OutOfMemoryError", "libcore: no memory for the batch");
    goto done;
  }

  /* 1. every clip, its size and its output (ordinary JNI calls only) */
  size_t total_in = 0, total_out = 0;
  int all_known = 1;
  for (size_t i = 0; i < count; ++i) {
    in[i] = (jfloatArray)(*env)->GetObjectArrayElement(env, clips, (jsize)i);
    if ((*env)->ExceptionCheck(env)) goto done;
    if (in[i] == NULL) {
      jcore_throwf(env, "java/lang/NullPointerException", "libcore: clips[%zu] is null", i);
      goto done;
    }
    lens[i] = (size_t)(*env)->GetArrayLength(env, in[i]);
    int known = 0;
    caps[i] = jcore_logmel_need(lm, lens[i], n_mels, &known);
    if (caps[i] > JCORE_MAX_JAVA_ARRAY) {
      jcore_throwf(env, "java/lang/IllegalArgumentException",
                   "libcore: the log-mel spectrogram of clips[%zu] has %zu values, more than a Java array holds", i,
                   caps[i]);
      goto done;
    }
    all_known &= known;
    if (known) {
      out[i] = (*env)->NewFloatArray(env, (jsize)caps[i]);
      if (out[i] == NULL) goto done; /* OutOfMemoryError pending */
    }
    total_in += lens[i];
    total_out += caps[i];
  }

  /* 2. one call, critically or on copies */
  if (!all_known || (total_in <= (size_t)JCORE_CRITICAL_MAX_ELEMENTS && total_out <= (size_t)JCORE_CRITICAL_MAX_ELEMENTS)) {
    /* nothing but critical gets and releases from here to the last release */
    size_t held_in = 0, held_out = 0;
    int ok = 1;
    while (ok && held_in < count) {
      const float *p = lens[held_in] > 0 ? (const float *)(*env)->GetPrimitiveArrayCritical(env, in[held_in], NULL)
                                         : jcore_audio_empty;
      if (p == NULL) ok = 0;
      else ptrs[held_in++] = p;
    }
    while (ok && held_out < count) {
      float *p = caps[held_out] > 0 ? (float *)(*env)->GetPrimitiveArrayCritical(env, out[held_out], NULL)
                                    : jcore_audio_empty;
      if (p == NULL) ok = 0;
      else optrs[held_out++] = p;
    }
    if (ok) st = core_logmel_compute_batch(lm, ptrs, lens, count, optrs, caps, frames);
    for (size_t i = held_out; i-- > 0;)
      if (caps[i] > 0) (*env)->ReleasePrimitiveArrayCritical(env, out[i], optrs[i], 0);
    for (size_t i = held_in; i-- > 0;)
      if (lens[i] > 0) (*env)->ReleasePrimitiveArrayCritical(env, in[i], (void *)(uintptr_t)ptrs[i], JNI_ABORT);
    if (!ok) {
      jcore_acquire_failed(env);
      st = JCORE_JAVA_THROWN;
      goto done;
    }
  } else {
    flat_in = (float *)jcore_alloc(env, total_in, sizeof *flat_in, "a copy of the clips");
    flat_out = flat_in == NULL ? NULL : (float *)jcore_alloc(env, total_out, sizeof *flat_out, "the spectrograms");
    if (flat_in == NULL || flat_out == NULL) goto done;
    for (size_t i = 0, off = 0, ooff = 0; i < count; off += lens[i], ooff += caps[i], ++i) {
      (*env)->GetFloatArrayRegion(env, in[i], 0, (jsize)lens[i], flat_in + off);
      ptrs[i] = flat_in + off;
      optrs[i] = flat_out + ooff;
    }
    st = core_logmel_compute_batch(lm, ptrs, lens, count, optrs, caps, frames);
    if (st == CORE_OK)
      for (size_t i = 0; i < count; ++i)
        if (caps[i] > 0) (*env)->SetFloatArrayRegion(env, out[i], 0, (jsize)caps[i], optrs[i]);
  }

  /* 3. results */
  if (st == CORE_OK) {
    for (size_t i = 0; i < count; ++i) (*env)->SetObjectArrayElement(env, outs, (jsize)i, out[i]);
    (*env)->SetLongArrayRegion(env, n_frames, 0, (jsize)count, (const jlong *)(const void *)frames);
  }
done:
  free(in), free(out), free(ptrs), free(optrs), free(lens), free(caps), free(frames), free(flat_in), free(flat_out);
  (*env)->PopLocalFrame(env, NULL);
  return st;
}

/* direct buffers: core_logmel_compute itself */
#define jcore_logmel_compute_direct core_logmel_compute

/* ---- pushes (stream and VAD) in critical pieces ------------------------------------------- */

typedef core_status (*jcore_push_fn)(void *h, const float *x, size_t n);

static inline core_status jcore_push_stream(void *h, const float *x, size_t n) {
  return core_logmel_stream_push((core_logmel_stream_t *)h, x, n);
}
static inline core_status jcore_push_vad(void *h, const float *x, size_t n) {
  return core_vad_push((core_vad_t *)h, x, n);
}

/* Pushes x[off, off + len) in pieces of at most JCORE_CRITICAL_MAX_ELEMENTS,
 * each taken critically: no copy, and the GC waits for one piece at most.
 * A push of nothing is still one call (so a push after flush is refused). */
static inline core_status jcore_push_pieces(JNIEnv *env, void *h, jcore_push_fn fn, jfloatArray x, size_t off,
                                            size_t len) {
  if (x == NULL) {
    jcore_throw(env, "java/lang/NullPointerException", "libcore: x is null");
    return JCORE_JAVA_THROWN;
  }
  const size_t n = (size_t)(*env)->GetArrayLength(env, x);
  if (off > n || len > n - off) {
    jcore_throwf(env, "java/lang/IndexOutOfBoundsException",
                 "libcore: range [%zu, %zu + %zu) outside an array of %zu", off, off, len, n);
    return JCORE_JAVA_THROWN;
  }
  core_status st = CORE_OK;
  size_t done = 0;
  do {
    const size_t k = len - done < (size_t)JCORE_CRITICAL_MAX_ELEMENTS ? len - done : (size_t)JCORE_CRITICAL_MAX_ELEMENTS;
    float *base = NULL;
    if (k > 0) {
      base = (float *)(*env)->GetPrimitiveArrayCritical(env, x, NULL);
      if (base == NULL) {
        jcore_acquire_failed(env);
        return JCORE_JAVA_THROWN;
      }
    }
    st = fn(h, k > 0 ? base + off + done : NULL, k);
    if (base != NULL) (*env)->ReleasePrimitiveArrayCritical(env, x, base, JNI_ABORT);
    done += k;
  } while (st == CORE_OK && done < len);
  return st;
}

static inline core_status jcore_logmel_stream_push_array(JNIEnv *env, core_logmel_stream_t *s, jfloatArray x,
                                                         size_t off, size_t len) {
  return jcore_push_pieces(env, s, jcore_push_stream, x, off, len);
}
static inline core_status jcore_vad_push_array(JNIEnv *env, core_vad_t *vad, jfloatArray x, size_t off, size_t len) {
  return jcore_push_pieces(env, vad, jcore_push_vad, x, off, len);
}

#define jcore_logmel_stream_push_direct core_logmel_stream_push
#define jcore_vad_push_direct core_vad_push

/* ---- VAD options: double[8] {sample_rate, frame_ms, threshold, neg_threshold, min_speech_ms,
 *      min_silence_ms, speech_pad_ms, max_speech_ms} ---------------------------------------- */

#define JCORE_VAD_OPTIONS 8

/* preset -1: core_vad_options_init; else core_vad_options_preset(preset) */
static inline core_status jcore_vad_options(JNIEnv *env, int preset, jdoubleArray out) {
  double v[JCORE_VAD_OPTIONS];
  if (!jcore_audio_doubles(env, out, JCORE_VAD_OPTIONS, v, "the options")) return JCORE_JAVA_THROWN;
  core_vad_options_t o;
  const core_status st = preset == -1 ? core_vad_options_init(&o) : core_vad_options_preset(&o, preset);
  if (st != CORE_OK) return st;
  v[0] = o.sample_rate, v[1] = o.frame_ms, v[2] = o.threshold, v[3] = o.neg_threshold;
  v[4] = o.min_speech_ms, v[5] = o.min_silence_ms, v[6] = o.speech_pad_ms, v[7] = o.max_speech_ms;
  (*env)->SetDoubleArrayRegion(env, out, 0, JCORE_VAD_OPTIONS, v);
  return CORE_OK;
}

static inline int jcore_vad_options_get(JNIEnv *env, jdoubleArray arr, core_vad_options_t *o) {
  double v[JCORE_VAD_OPTIONS];
  if (!jcore_audio_doubles(env, arr, JCORE_VAD_OPTIONS, v, "the options")) return 0;
  if (core_vad_options_init(o) != CORE_OK) {
    jcore_throw(env, "java/lang/IllegalStateException", "libcore: core_vad_options_init failed");
    return 0;
  }
  o->sample_rate = jcore_u32(v[0]);
  o->frame_ms = jcore_u32(v[1]);
  o->threshold = jcore_f32(v[2]);
  o->neg_threshold = jcore_f32(v[3]);
  o->min_speech_ms = jcore_u32(v[4]);
  o->min_silence_ms = jcore_u32(v[5]);
  o->speech_pad_ms = jcore_u32(v[6]);
  o->max_speech_ms = jcore_u32(v[7]);
  return 1;
}

static inline core_status jcore_vad_create(JNIEnv *env, jdoubleArray options, jlongArray handle) {
  core_vad_options_t o;
  if (!jcore_audio_longs(env, handle, 1, "the handle output") || !jcore_vad_options_get(env, options, &o))
    return JCORE_JAVA_THROWN;
  core_vad_t *vad = NULL;
  const core_status st = core_vad_create(&o, &vad);
  if (st == CORE_OK) jcore_handle_put(env, handle, vad);
  return st;
}

/* ---- VAD results --------------------------------------------------------------------------- */

/* out: long[2] {start, end}; *found = 1 when a segment was moved there, 0
 * when none is ready (CORE_E_EMPTY is a result here, not an error). */
static inline core_status jcore_vad_next_segment(JNIEnv *env, core_vad_t *vad, jlongArray out, size_t *found) {
  if (!jcore_audio_longs(env, out, 2, "the segment output")) return JCORE_JAVA_THROWN;
  core_segment_t seg;
  const core_status st = core_vad_next_segment(vad, &seg);
  *found = st == CORE_OK;
  if (st == CORE_OK) {
    const jlong v[2] = {(jlong)seg.start, (jlong)seg.end};
    (*env)->SetLongArrayRegion(env, out, 0, 2, v);
  }
  return st == CORE_E_EMPTY ? CORE_OK : st;
}

/* out: long[1] {start}; *found = 0 when no segment is open. */
static inline core_status jcore_vad_open_segment(JNIEnv *env, core_vad_t *vad, jlongArray out, size_t *found) {
  if (!jcore_audio_longs(env, out, 1, "the start output")) return JCORE_JAVA_THROWN;
  uint64_t start = 0;
  const core_status st = core_vad_open_segment(vad, &start);
  *found = st == CORE_OK;
  if (st == CORE_OK) {
    const jlong v = (jlong)start;
    (*env)->SetLongArrayRegion(env, out, 0, 1, &v);
  }
  return st == CORE_E_EMPTY ? CORE_OK : st;
}

/* Segments go back as long[2 * count] {start0, end0, start1, ...} in result[0]. */
static inline int jcore_segments_put(JNIEnv *env, jobjectArray result, const core_segment_t *seg, size_t count) {
  if (2 * count > JCORE_MAX_JAVA_ARRAY) {
    jcore_throw(env, "java/lang/IllegalArgumentException", "libcore: more segments than a Java array holds");
    return 0;
  }
  jlongArray arr = (*env)->NewLongArray(env, (jsize)(2 * count));
  if (arr == NULL) return 0;
  if (count > 0) (*env)->SetLongArrayRegion(env, arr, 0, (jsize)(2 * count), (const jlong *)(const void *)seg);
  (*env)->SetObjectArrayElement(env, result, 0, arr);
  (*env)->DeleteLocalRef(env, arr);
  return 1;
}

/* core_vad_segments on x[0, n) with the needed-size protocol: a first call
 * with room for JCORE_VAD_FIRST_CAP segments, a second one (the analysis
 * again) only when more were found. x is libcore's (held critically or
 * direct), so no JNI call here: *oom = 1 when malloc failed (thrown by the
 * caller once x is released). */
#define JCORE_VAD_FIRST_CAP 64

static inline core_status jcore_vad_segments_on(const float *x, size_t n, const core_vad_options_t *o,
                                                core_segment_t **seg, size_t *count, int *oom) {
  size_t cap = JCORE_VAD_FIRST_CAP;
  *seg = (core_segment_t *)malloc(cap * sizeof **seg);
  if (*seg == NULL) return *oom = 1, JCORE_JAVA_THROWN;
  core_status st = core_vad_segments(x, n, o, *seg, cap, count);
  if (st == CORE_E_BUFFER_TOO_SMALL) {
    cap = *count;
    core_segment_t *bigger = (core_segment_t *)realloc(*seg, cap * sizeof **seg);
    if (bigger == NULL) return *oom = 1, JCORE_JAVA_THROWN;
    *seg = bigger;
    st = core_vad_segments(x, n, o, *seg, cap, count);
  }
  return st;
}

/* The segments of a detector that was flushed, in a growing array. */
static inline core_status jcore_vad_drain(core_vad_t *vad, core_segment_t **seg, size_t *count, int *oom) {
  size_t cap = 0;
  *count = 0;
  for (;;) {
    if (*count == cap) {
      cap = cap == 0 ? JCORE_VAD_FIRST_CAP : 2 * cap;
      core_segment_t *bigger = (core_segment_t *)realloc(*seg, cap * sizeof **seg);
      if (bigger == NULL) return *oom = 1, JCORE_JAVA_THROWN;
      *seg = bigger;
    }
    const core_status st = core_vad_next_segment(vad, &(*seg)[*count]);
    if (st == CORE_E_EMPTY) return CORE_OK;
    if (st != CORE_OK) return st;
    ++*count;
  }
}

static inline core_status jcore_vad_segments_done(JNIEnv *env, core_status st, int oom, core_segment_t *seg,
                                                  size_t count, jobjectArray result) {
  if (oom && !(*env)->ExceptionCheck(env))
    jcore_throw(env, "java/lang/OutOfMemoryError", "libcore: no memory for the segments");
  if (st == CORE_OK && !jcore_segments_put(env, result, seg, count)) st = JCORE_JAVA_THROWN;
  free(seg);
  return st;
}

/* Vad.segments(float[]): up to JCORE_CRITICAL_MAX_ELEMENTS samples, one
 * core_vad_segments on the array held critically; longer, a detector with
 * the same options pushed in critical pieces and flushed, which audio.h
 * defines to give exactly core_vad_segments' result (no copy, and the GC
 * waits for one piece at most). Either way the options are checked by
 * core_vad_segments first (on no samples: nothing to analyse), so bad
 * options give the same error at every length. */
static inline core_status jcore_vad_segments(JNIEnv *env, jfloatArray x, jdoubleArray options, jobjectArray result) {
  if (x == NULL) {
    jcore_throw(env, "java/lang/NullPointerException", "libcore: x is null");
    return JCORE_JAVA_THROWN;
  }
  core_vad_options_t o;
  if (!jcore_audio_result(env, result, 1) || !jcore_vad_options_get(env, options, &o)) return JCORE_JAVA_THROWN;
  const size_t n = (size_t)(*env)->GetArrayLength(env, x);
  size_t count = 0;
  core_segment_t *seg = NULL;
  int oom = 0;
  core_status st = core_vad_segments(NULL, 0, &o, NULL, 0, &count);
  if (st != CORE_OK) return st;
  if (n <= (size_t)JCORE_CRITICAL_MAX_ELEMENTS) {
    float *p = n > 0 ? (float *)(*env)->GetPrimitiveArrayCritical(env, x, NULL) : NULL;
    if (n > 0 && p == NULL) {
      jcore_acquire_failed(env);
      return JCORE_JAVA_THROWN;
    }
    st = jcore_vad_segments_on(p, n, &o, &seg, &count, &oom);
    if (p != NULL) (*env)->ReleasePrimitiveArrayCritical(env, x, p, JNI_ABORT);
  } else {
    core_vad_t *vad = NULL;
    st = core_vad_create(&o, &vad);
    if (st == CORE_OK) st = jcore_push_pieces(env, vad, jcore_push_vad, x, 0, n);
    if (st == CORE_OK) st = core_vad_flush(vad);
    if (st == CORE_OK) st = jcore_vad_drain(vad, &seg, &count, &oom);
    core_vad_destroy(vad); /* no libcore error call: the message of a failure stays */
  }
  return jcore_vad_segments_done(env, st, oom, seg, count, result);
}

/* Vad.segments(FloatBuffer): one core_vad_segments on the buffer's memory. */
static inline core_status jcore_vad_segments_direct(const float *xb, size_t n, JNIEnv *env, jdoubleArray options,
                                                    jobjectArray result) {
  core_vad_options_t o;
  if (!jcore_audio_result(env, result, 1) || !jcore_vad_options_get(env, options, &o)) return JCORE_JAVA_THROWN;
  size_t count = 0;
  core_segment_t *seg = NULL;
  int oom = 0;
  const core_status st = jcore_vad_segments_on(xb, n, &o, &seg, &count, &oom);
  return jcore_vad_segments_done(env, st, oom, seg, count, result);
}

/* ---- audio files ------------------------------------------------------------------------------ */

/* out: long[6] {sample_rate, channels, frames, duration (raw double bits), format, bits} */
#define JCORE_AUDIO_INFO 6

/* On success stores info in out: the one layout both the file
 * (core_audio_info) and the reader (core_audio_reader_info) answer in. */
static inline core_status jcore_audio_info_store(JNIEnv *env, core_status st,
                                                 const core_audio_info_t *info, jlongArray out) {
  if (st == CORE_OK) {
    jlong v[JCORE_AUDIO_INFO];
    v[0] = (jlong)info->sample_rate, v[1] = (jlong)info->channels, v[2] = (jlong)info->frames;
    memcpy(&v[3], &info->duration, 8);
    v[4] = (jlong)info->format, v[5] = (jlong)info->bits;
    (*env)->SetLongArrayRegion(env, out, 0, JCORE_AUDIO_INFO, v);
  }
  return st;
}

static inline core_status jcore_audio_info(JNIEnv *env, const char *path, jlongArray out) {
  if (!jcore_audio_longs(env, out, JCORE_AUDIO_INFO, "the info output")) return JCORE_JAVA_THROWN;
  core_audio_info_t info;
  memset(&info, 0, sizeof info);
  info.struct_size = sizeof info;
  return jcore_audio_info_store(env, core_audio_info(path, &info), &info, out);
}

/* The sample count core_audio_read gives for the file (cap 0: the header only). */
static inline core_status jcore_audio_read_count(const char *path, int target_rate, size_t *n) {
  size_t count = 0;
  const core_status st = core_audio_read(path, (uint32_t)target_rate, NULL, 0, &count);
  if (st == CORE_OK || st == CORE_E_BUFFER_TOO_SMALL) {
    *n = count;
    return CORE_OK;
  }
  return st;
}

/* result: Object[1] receiving the samples as a new float[]: the count
 * first (cap 0), then the read into native memory (the decoding is long:
 * no Java array is held meanwhile), then one copy into the Java array,
 * allocated with the count the read reports. A file that grew between the
 * two calls (BUFFER_TOO_SMALL again) is asked again, a few times. */
static inline core_status jcore_audio_read(JNIEnv *env, const char *path, int target_rate, jobjectArray result) {
  if (!jcore_audio_result(env, result, 1)) return JCORE_JAVA_THROWN;
  size_t need = 0, got = 0;
  core_status st = core_audio_read(path, (uint32_t)target_rate, NULL, 0, &need);
  float *buf = NULL;
  if (st == CORE_OK) got = need; /* a file of no samples */
  for (int attempt = 0; attempt < 4 && st == CORE_E_BUFFER_TOO_SMALL; ++attempt) {
    if (need > JCORE_MAX_JAVA_ARRAY) {
      free(buf);
      jcore_throwf(env, "java/lang/IllegalArgumentException",
                   "libcore: the file has %zu samples at that rate, more than a Java array holds; read it into a "
                   "direct FloatBuffer",
                   need);
      return JCORE_JAVA_THROWN;
    }
    float *bigger = (float *)realloc(buf, (need > 0 ? need : 1) * sizeof *buf);
    if (bigger == NULL) {
      free(buf);
      jcore_throw(env, "java/lang/OutOfMemoryError", "libcore: no memory for the samples");
      return JCORE_JAVA_THROWN;
    }
    buf = bigger;
    st = core_audio_read(path, (uint32_t)target_rate, buf, need, &got);
    if (st == CORE_E_BUFFER_TOO_SMALL) need = got;
  }
  if (st == CORE_OK) {
    jfloatArray arr = (*env)->NewFloatArray(env, (jsize)got);
    if (arr == NULL) {
      st = JCORE_JAVA_THROWN; /* OutOfMemoryError pending */
    } else {
      if (got > 0) (*env)->SetFloatArrayRegion(env, arr, 0, (jsize)got, buf);
      (*env)->SetObjectArrayElement(env, result, 0, arr);
      (*env)->DeleteLocalRef(env, arr);
    }
  }
  free(buf);
  return st;
}

/* Into a direct buffer: core_audio_read itself (BUFFER_TOO_SMALL is the caller's). */
static inline core_status jcore_audio_read_direct(const char *path, int target_rate, float *outb, size_t cap,
                                                  size_t *n) {
  return core_audio_read(path, (uint32_t)target_rate, outb, cap, n);
}

#endif
