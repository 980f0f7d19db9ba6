/*
 * jcore_audio_reader.h: the Java binding of audio.h's chunked reader
 * (dev.libcore.AudioReader; typemaps in core_java.i, declarations in
 * core_java_extra.i; only the SWIG-generated JNI wrapper includes this
 * file). Builds on jcore_audio.h (the info layout, the array helpers).
 */
#ifndef LIBCORE_JAVA_JCORE_AUDIO_READER_H
#define LIBCORE_JAVA_JCORE_AUDIO_READER_H

#include "jcore_audio.h"

/* ---- the chunked reader (dev.libcore.AudioReader) ------------------------------------------ */

/* A reader (core_audio_reader_t *) travels as a Java long, owned by
 * dev.libcore.AudioReader through NativeHandle.Exclusive (one thread at a
 * time, never passed after core_audio_reader_close). */
_Static_assert(sizeof(core_audio_reader_t *) <= sizeof(jlong), "a reader fits a Java long");

/* Samples per native piece of a read into a Java array: the memory a read
 * holds besides the reader's own, whatever the chunk size. */
#define JCORE_READER_PIECE ((size_t)65536)

/* handle: long[1] receiving the reader */
static inline core_status jcore_audio_open(JNIEnv *env, const char *path, int target_rate, jlongArray handle) {
  if (!jcore_audio_longs(env, handle, 1, "the handle output")) return JCORE_JAVA_THROWN;
  core_audio_reader_t *r = NULL;
  const core_status st = core_audio_open(path, (uint32_t)target_rate, &r);
  if (st == CORE_OK) jcore_handle_put(env, handle, r);
  return st;
}

/* Reads up to len samples into out[off, off + len) and writes their count
 * to *got (0 at the end). The decoding does file I/O, so no Java array is
 * held while libcore runs (as jcore_audio_read): the samples go through a
 * native buffer of at most JCORE_READER_PIECE, copied into the array piece
 * by piece. Chunking never changes the samples (audio.h), so the pieces
 * give what one read of len would. A read that gets fewer than it asked
 * for has reached the end: the loop stops there. On a libcore failure the
 * samples of earlier pieces are dropped with the error (the reader is
 * failed from then on: every later read repeats it). */
static inline core_status jcore_audio_reader_read(JNIEnv *env, core_audio_reader_t *r, jfloatArray out, size_t off,
                                                  size_t len, size_t *got) {
  if (out == NULL) {
    jcore_throw(env, "java/lang/NullPointerException", "libcore: out is null");
    return JCORE_JAVA_THROWN;
  }
  const size_t have = (size_t)(*env)->GetArrayLength(env, out);
  if (off > have || len > have - off) {
    jcore_throwf(env, "java/lang/IndexOutOfBoundsException", "libcore: [%zu, %zu + %zu) outside an array of %zu",
                 off, off, len, have);
    return JCORE_JAVA_THROWN;
  }
  if (len == 0) { /* still a call: a failed reader reports its failure */
    size_t none = 0;
    return core_audio_reader_read(r, jcore_audio_empty, 0, &none);
  }
  const size_t piece = len < JCORE_READER_PIECE ? len : JCORE_READER_PIECE;
  float *buf = (float *)jcore_alloc(env, piece, sizeof *buf, "the samples read");
  if (buf == NULL) return JCORE_JAVA_THROWN;
  size_t done = 0;
  core_status st = CORE_OK;
  while (done < len) {
    const size_t want = len - done < piece ? len - done : piece;
    size_t g = 0;
    st = core_audio_reader_read(r, buf, want, &g);
    if (st != CORE_OK) break;
    if (g > 0) (*env)->SetFloatArrayRegion(env, out, (jsize)(off + done), (jsize)g, buf);
    done += g;
    if (g < want) break; /* the end */
  }
  free(buf);
  if (st == CORE_OK) *got = done;
  return st;
}

/* Into a direct buffer: core_audio_reader_read itself (no copy). */
static inline core_status jcore_audio_reader_read_direct(core_audio_reader_t *r, float *outb, size_t cap,
                                                         size_t *got) {
  return core_audio_reader_read(r, outb, cap, got);
}

/* out: long[6] {sample_rate, channels, frames, duration bits, format, bits}, as jcore_audio_info */
static inline core_status jcore_audio_reader_info(JNIEnv *env, const core_audio_reader_t *r, jlongArray out) {
  if (!jcore_audio_longs(env, out, JCORE_AUDIO_INFO, "the info output")) return JCORE_JAVA_THROWN;
  core_audio_info_t info;
  memset(&info, 0, sizeof info);
  info.struct_size = sizeof info;
  return jcore_audio_info_store(env, core_audio_reader_info(r, &info), &info, out);
}

/* out: long[2] {total, done} */
static inline core_status jcore_audio_reader_length(JNIEnv *env, const core_audio_reader_t *r, jlongArray out) {
  if (!jcore_audio_longs(env, out, 2, "the length output")) return JCORE_JAVA_THROWN;
  uint64_t total = 0, done = 0;
  const core_status st = core_audio_reader_length(r, &total, &done);
  if (st == CORE_OK) {
    const jlong v[2] = {(jlong)total, (jlong)done};
    (*env)->SetLongArrayRegion(env, out, 0, 2, v);
  }
  return st;
}

#endif
