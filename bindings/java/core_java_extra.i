/*
 * bindings/java/core_java_extra.i: declarations the Java raw layer needs
 * beyond the headers (included by core_java.i). Each name is a C macro for
 * the libcore function it wraps (jni/jcore_extra.h), so the C compiler
 * checks every call against the real prototype in the headers.
 *
 *  - jcore_<fn>_direct: the same function taking direct NIO buffers
 *    (FloatBuffer/DoubleBuffer), the zero-copy path for long calls that
 *    never holds off the GC. SWIG gives one wrapper per declaration, so the
 *    buffer overloads need their own declarations.
 *  - jcore_linspace_f64, jcore_cumsum_f64, jcore_normal_pdf_f64,
 *    jcore_pcm16_to_f64: these four write an output array named
 *    `double *out` with no length beside it, the spelling stats.h uses for a
 *    scalar result. They are wrapped under these names (output `out_array`)
 *    and their header declarations are ignored.
 */

%{
#include "jcore_extra.h"
%}

/* ---- direct buffers --------------------------------------------------------- */

%define JCORE_BUFFER_IN(SIG)
%typemap(in) SIG (void *ptr = NULL, size_t len = 0) %{
  if (!jcore_buffer_prepare(jenv, $input, &ptr, &len, sizeof(*$1), $argnum)) { $cleanup return $null; }
  $1 = ($1_ltype)ptr;
%}
%enddef
%define JCORE_BUFFER_PAIR_IN(SIG)
%typemap(in) SIG (void *ptr = NULL) %{
  if (!jcore_buffer_prepare(jenv, $input, &ptr, &$2, sizeof(*$1), $argnum)) { $cleanup return $null; }
  $1 = ($1_ltype)ptr;
%}
%enddef

%define JCORE_BUFFERS(CTYPE, JBUF)
%typemap(jni) (const CTYPE *BUF, size_t LEN), (CTYPE *BUF, size_t LEN), const CTYPE *BUF, CTYPE *BUF "jobject"
%typemap(jtype) (const CTYPE *BUF, size_t LEN), (CTYPE *BUF, size_t LEN), const CTYPE *BUF, CTYPE *BUF "java.nio.JBUF"
%typemap(jstype) (const CTYPE *BUF, size_t LEN), (CTYPE *BUF, size_t LEN), const CTYPE *BUF, CTYPE *BUF "java.nio.JBUF"
%typemap(javain) (const CTYPE *BUF, size_t LEN), (CTYPE *BUF, size_t LEN), const CTYPE *BUF, CTYPE *BUF "$javainput"
JCORE_BUFFER_PAIR_IN((const CTYPE *BUF, size_t LEN))
JCORE_BUFFER_PAIR_IN((CTYPE *BUF, size_t LEN))
/* a buffer whose length is the call's n (checked by the Java layer) */
JCORE_BUFFER_IN(const CTYPE *BUF)
JCORE_BUFFER_IN(CTYPE *BUF)
%typemap(argout) (const CTYPE *BUF, size_t LEN), (CTYPE *BUF, size_t LEN) ""
%apply (const CTYPE *BUF, size_t LEN) { (const CTYPE *xb, size_t n), (const CTYPE *yb, size_t n) };
%apply (CTYPE *BUF, size_t LEN) { (CTYPE *xb, size_t n) };
%apply const CTYPE *BUF { const CTYPE *xb };
%apply CTYPE *BUF { CTYPE *outb };
%enddef
JCORE_BUFFERS(float, FloatBuffer)
JCORE_BUFFERS(double, DoubleBuffer)

%define JCORE_DIRECT(T, sfx)
CORE_WRAP(jcore_stats_ ## sfx ## _direct)
CORE_WRAP(jcore_min_ ## sfx ## _direct)
CORE_WRAP(jcore_max_ ## sfx ## _direct)
CORE_WRAP(jcore_mean_ ## sfx ## _direct)
CORE_WRAP(jcore_var_ ## sfx ## _direct)
CORE_WRAP(jcore_std_ ## sfx ## _direct)
CORE_WRAP(jcore_energy_ ## sfx ## _direct)
CORE_WRAP(jcore_rms_ ## sfx ## _direct)
CORE_WRAP(jcore_zero_crossing_rate_ ## sfx ## _direct)
CORE_WRAP(jcore_dot_ ## sfx ## _direct)
CORE_WRAP(jcore_corrcoef_ ## sfx ## _direct)
CORE_WRAP(jcore_percentile_ ## sfx ## _direct)
CORE_WRAP(jcore_cumsum_ ## sfx ## _direct)
CORE_WRAP(jcore_normalize_ ## sfx ## _direct)
CORE_WRAP(jcore_normal_pdf_ ## sfx ## _direct)
core_status jcore_stats_ ## sfx ## _direct(const T *xb, size_t n, core_nan_policy nan, core_stats_t *out);
core_status jcore_min_ ## sfx ## _direct(const T *xb, size_t n, double *out);
core_status jcore_max_ ## sfx ## _direct(const T *xb, size_t n, double *out);
core_status jcore_mean_ ## sfx ## _direct(const T *xb, size_t n, double *out);
core_status jcore_var_ ## sfx ## _direct(const T *xb, size_t n, unsigned ddof, double *out);
core_status jcore_std_ ## sfx ## _direct(const T *xb, size_t n, unsigned ddof, double *out);
core_status jcore_energy_ ## sfx ## _direct(const T *xb, size_t n, double *out);
core_status jcore_rms_ ## sfx ## _direct(const T *xb, size_t n, double *out);
core_status jcore_zero_crossing_rate_ ## sfx ## _direct(const T *xb, size_t n, double *out);
core_status jcore_dot_ ## sfx ## _direct(const T *xb, const T *yb, size_t n, double *out);
core_status jcore_corrcoef_ ## sfx ## _direct(const T *xb, const T *yb, size_t n, double *out);
core_status jcore_percentile_ ## sfx ## _direct(const T *xb, size_t n, double q, core_nan_policy nan,
                                                T *scratch, size_t scratch_cap, double *out);
core_status jcore_cumsum_ ## sfx ## _direct(const T *xb, size_t n, T *outb);
core_status jcore_normalize_ ## sfx ## _direct(T *xb, size_t n, unsigned ddof, core_nan_policy nan);
core_status jcore_normal_pdf_ ## sfx ## _direct(const T *xb, size_t n, double mean, double std, T *outb);
%enddef
JCORE_DIRECT(float, f32)
JCORE_DIRECT(double, f64)

/* ---- the four float64 array outputs ------------------------------------------- */

%ignore core_linspace_f64;
%ignore core_cumsum_f64;
%ignore core_normal_pdf_f64;
%ignore core_pcm16_to_f64;
CORE_WRAP(jcore_linspace_f64)
CORE_WRAP(jcore_cumsum_f64)
CORE_WRAP(jcore_normal_pdf_f64)
CORE_WRAP(jcore_pcm16_to_f64)
core_status jcore_linspace_f64(double start, double stop, size_t num, int endpoint, double *out_array);
core_status jcore_cumsum_f64(const double *x, size_t n, double *out_array);
core_status jcore_normal_pdf_f64(const double *x, size_t n, double mean, double std, double *out_array);
core_status jcore_pcm16_to_f64(const int16_t *in, size_t n, double *out_array);

/* ---- batch (jni/jcore_batch.h) -------------------------------------------------- */

%{
#include "jcore_batch.h"
%}

/* The helpers that take Java arrays themselves get the JNIEnv. */
%typemap(in, numinputs=0) JNIEnv *env %{ $1 = jenv; %}
%define JCORE_JOBJECT(CTYPE, JAVA)
%typemap(jni) CTYPE "jobjectArray"
%typemap(jtype) CTYPE "JAVA"
%typemap(jstype) CTYPE "JAVA"
%typemap(javain) CTYPE "$javainput"
%typemap(in) CTYPE %{ $1 = $input; %}
%enddef
JCORE_JOBJECT(jcore_float_arrays, float[][])
JCORE_JOBJECT(jcore_double_arrays, double[][])

CORE_WRAP(jcore_batch_stats_f32_arrays)
CORE_WRAP(jcore_batch_stats_f64_arrays)
CORE_WRAP(jcore_batch_stats_f32_flat)
CORE_WRAP(jcore_batch_stats_f64_flat)
CORE_WRAP(jcore_batch_stats_f32_flat_direct)
CORE_WRAP(jcore_batch_stats_f64_flat_direct)
CORE_WRAP(jcore_stats_frames_f32)
CORE_WRAP(jcore_stats_frames_f64)
CORE_WRAP(jcore_stats_frames_f32_direct)
CORE_WRAP(jcore_stats_frames_f64_direct)
CORE_WRAP(jcore_stats_acc_size)
CORE_WRAP(jcore_stats_acc_align)
CORE_WRAP(jcore_stats_acc_push_f32_array)
CORE_WRAP(jcore_stats_acc_push_f64_array)
CORE_WRAP(jcore_stats_acc_push_f32_direct)
CORE_WRAP(jcore_stats_acc_push_f64_direct)

/* Summaries come back as long[7 * count] (jcore.h's long[7] per summary). */
core_status jcore_batch_stats_f32_arrays(JNIEnv *env, jcore_float_arrays arrays, core_nan_policy nan, jlongArray out);
core_status jcore_batch_stats_f64_arrays(JNIEnv *env, jcore_double_arrays arrays, core_nan_policy nan, jlongArray out);
core_status jcore_batch_stats_f32_flat(JNIEnv *env, jfloatArray x, jlongArray lens, core_nan_policy nan, jlongArray out);
core_status jcore_batch_stats_f64_flat(JNIEnv *env, jdoubleArray x, jlongArray lens, core_nan_policy nan, jlongArray out);
core_status jcore_batch_stats_f32_flat_direct(const float *xb, size_t n, JNIEnv *env, jlongArray lens,
                                              core_nan_policy nan, jlongArray out);
core_status jcore_batch_stats_f64_flat_direct(const double *xb, size_t n, JNIEnv *env, jlongArray lens,
                                              core_nan_policy nan, jlongArray out);
core_status jcore_stats_frames_f32(JNIEnv *env, jfloatArray x, size_t frame, size_t hop, jlongArray out);
core_status jcore_stats_frames_f64(JNIEnv *env, jdoubleArray x, size_t frame, size_t hop, jlongArray out);
core_status jcore_stats_frames_f32_direct(const float *xb, size_t n, size_t frame, size_t hop, JNIEnv *env,
                                          jlongArray out);
core_status jcore_stats_frames_f64_direct(const double *xb, size_t n, size_t frame, size_t hop, JNIEnv *env,
                                          jlongArray out);
size_t jcore_stats_acc_size(void);
size_t jcore_stats_acc_align(void);
core_status jcore_stats_acc_push_f32_array(JNIEnv *env, core_stats_acc_t *acc, jfloatArray x, size_t off, size_t len);
core_status jcore_stats_acc_push_f64_array(JNIEnv *env, core_stats_acc_t *acc, jdoubleArray x, size_t off, size_t len);
core_status jcore_stats_acc_push_f32_direct(core_stats_acc_t *acc, const float *xb, size_t n);
core_status jcore_stats_acc_push_f64_direct(core_stats_acc_t *acc, const double *xb, size_t n);

/* ---- ring (jni/jcore_ring.h) ------------------------------------------------------ */

%{
#include "jcore_ring.h"
%}

CORE_WRAP(jcore_ring_wait_readable)
CORE_WRAP(jcore_ring_wait_writable)
CORE_WRAP(jcore_ring_append_f32_direct)
CORE_WRAP(jcore_ring_read_direct)
/* *ready = 1 when satisfied, 0 on timeout */
core_status jcore_ring_wait_readable(core_ring_t *ring, size_t n, int timeout_ms, size_t *ready);
core_status jcore_ring_wait_writable(core_ring_t *ring, size_t n, int timeout_ms, size_t *ready);
/* direct buffers: core_ring_append_f32 and core_ring_read (n checked by the Java layer) */
core_status jcore_ring_append_f32_direct(core_ring_t *ring, const float *xb, size_t n);
core_status jcore_ring_read_direct(core_ring_t *ring, float *outb, size_t n);

/* ---- cache (jni/jcore_cache.h) --------------------------------------------------- */

%{
#include "jcore_cache.h"
%}

/* The handle: a Java long holding a jcore_cache. */
%typemap(jni) jcore_cache *cache "jlong"
%typemap(jtype) jcore_cache *cache "long"
%typemap(jstype) jcore_cache *cache "long"
%typemap(javain) jcore_cache *cache "$javainput"
%typemap(in) jcore_cache *cache %{ $1 = (jcore_cache *)(intptr_t)$input; %}
/* contains' and remove's flag: the Java return value */
JCORE_SCALAR_OUT(size_t, found)

CORE_WRAP(jcore_cache_key_bytes)
CORE_WRAP(jcore_cache_key_audio)
CORE_WRAP(jcore_cache_create)
CORE_WRAP(jcore_cache_destroy)
CORE_WRAP(jcore_cache_shards)
CORE_WRAP(jcore_cache_put)
CORE_WRAP(jcore_cache_get)
CORE_WRAP(jcore_cache_contains)
CORE_WRAP(jcore_cache_remove)
CORE_WRAP(jcore_cache_clear)
CORE_WRAP(jcore_cache_get_or_compute)
CORE_WRAP(jcore_cache_stats)
CORE_WRAP(jcore_cache_stats_reset)
CORE_WRAP(jcore_cache_save)
CORE_WRAP(jcore_cache_load)
/* key: long[2] {lo, hi} */
core_status jcore_cache_key_bytes(JNIEnv *env, jbyteArray data, jlongArray key);
core_status jcore_cache_key_audio(JNIEnv *env, jfloatArray samples, int decimals, jlongArray key);
/* options long[4] {max_entries, max_bytes, ttl_ms, shards} (-1: default), clock a LongSupplier or null,
 * the handle written to a long[1] */
core_status jcore_cache_create(JNIEnv *env, jlongArray options, jobject clock, jlongArray handle);
void jcore_cache_destroy(JNIEnv *env, jcore_cache *cache);
size_t jcore_cache_shards(jcore_cache *cache);
core_status jcore_cache_put(JNIEnv *env, jcore_cache *cache, int64_t lo, int64_t hi, jfloatArray data, jlongArray shape);
/* result: Object[1] receiving a float[] (null on a miss); shape: long[5] {ndim, dims...} */
core_status jcore_cache_get(JNIEnv *env, jcore_cache *cache, int64_t lo, int64_t hi, jobjectArray result,
                            jlongArray shape);
core_status jcore_cache_contains(jcore_cache *cache, int64_t lo, int64_t hi, size_t *found);
core_status jcore_cache_remove(jcore_cache *cache, int64_t lo, int64_t hi, size_t *found);
core_status jcore_cache_clear(jcore_cache *cache);
/* computation: an EncoderCache.Computation; shape[0] == -1 when this call computed the value */
core_status jcore_cache_get_or_compute(JNIEnv *env, jcore_cache *cache, int64_t lo, int64_t hi, jobject computation,
                                       jobjectArray result, jlongArray shape);
/* long[11]: core_cache_stats_t's fields in order, hit_rate as raw double bits */
core_status jcore_cache_stats(JNIEnv *env, jcore_cache *cache, jlongArray out);
core_status jcore_cache_stats_reset(jcore_cache *cache);
core_status jcore_cache_save(jcore_cache *cache, const char *path);
core_status jcore_cache_load(jcore_cache *cache, const char *path);

/* ---- metrics (jni/jcore_metrics.h) ------------------------------------------------ */

%{
#include "jcore_metrics.h"
%}

/* Handles: Java longs (0 for "not this one" where a helper takes a registry or a snapshot). */
%define JCORE_METRICS_HANDLE(CTYPE, NAME)
%typemap(jni) CTYPE *NAME "jlong"
%typemap(jtype) CTYPE *NAME "long"
%typemap(jstype) CTYPE *NAME "long"
%typemap(javain) CTYPE *NAME "$javainput"
%typemap(in) CTYPE *NAME %{ $1 = (CTYPE *)(intptr_t)$input; %}
%enddef
JCORE_METRICS_HANDLE(core_metrics_t, m)
JCORE_METRICS_HANDLE(core_metrics_t, dst_m)
JCORE_METRICS_HANDLE(core_metrics_t, src_m)
JCORE_METRICS_HANDLE(core_metrics_snapshot_t, s)
JCORE_METRICS_HANDLE(core_metrics_snapshot_t, dst_s)
JCORE_METRICS_HANDLE(core_metrics_snapshot_t, src_s)

CORE_WRAP(jcore_metrics_create)
CORE_WRAP(jcore_metrics_destroy)
CORE_WRAP(jcore_metrics_count)
CORE_WRAP(jcore_metrics_register)
CORE_WRAP(jcore_metrics_record_ns)
CORE_WRAP(jcore_metrics_counter_add)
CORE_WRAP(jcore_metrics_gauge_set)
CORE_WRAP(jcore_metrics_gauge_add)
CORE_WRAP(jcore_metrics_find)
CORE_WRAP(jcore_metrics_counter_get)
CORE_WRAP(jcore_metrics_gauge_get)
CORE_WRAP(jcore_metrics_timer_stats)
CORE_WRAP(jcore_metrics_percentile)
CORE_WRAP(jcore_metrics_snapshot)
CORE_WRAP(jcore_metrics_snapshot_destroy)
CORE_WRAP(jcore_metrics_snapshot_count)
CORE_WRAP(jcore_metrics_merge)
CORE_WRAP(jcore_metrics_export)
/* options long[4] {lowest_ns, highest_ns, significant_digits, max_metrics} (-1: default), buckets double[] or
 * null (default), the handle written to a long[1] */
core_status jcore_metrics_create(JNIEnv *env, jlongArray options, jdoubleArray buckets, jlongArray handle);
void jcore_metrics_destroy(core_metrics_t *m);
size_t jcore_metrics_count(core_metrics_t *m);
/* kind 0 timer, 1 counter, 2 gauge; strings byte[][] {name, help or null, label name, value, ...}; the id */
core_status jcore_metrics_register(JNIEnv *env, core_metrics_t *m, int kind, jobjectArray strings, size_t *n);
/* the hot path: libcore's functions themselves */
core_status jcore_metrics_record_ns(core_metrics_t *m, int id, long long ns);
core_status jcore_metrics_counter_add(core_metrics_t *m, int id, long long delta);
core_status jcore_metrics_gauge_set(core_metrics_t *m, int id, double value);
core_status jcore_metrics_gauge_add(core_metrics_t *m, int id, double delta);
/* queries on a registry m or a snapshot s (the other 0) */
core_status jcore_metrics_find(JNIEnv *env, core_metrics_t *m, core_metrics_snapshot_t *s, jbyteArray name,
                               jlongArray out); /* long[2] {id, kind}, {-1, -1} when absent */
core_status jcore_metrics_counter_get(JNIEnv *env, core_metrics_t *m, core_metrics_snapshot_t *s, int id,
                                      jlongArray out);
core_status jcore_metrics_gauge_get(JNIEnv *env, core_metrics_t *m, core_metrics_snapshot_t *s, int id, double *out);
/* long[8] {count, sum, min, max, mean bits, stddev bits, underflows, overflows} */
core_status jcore_metrics_timer_stats(JNIEnv *env, core_metrics_t *m, core_metrics_snapshot_t *s, int id,
                                      jlongArray out);
core_status jcore_metrics_percentile(JNIEnv *env, core_metrics_t *m, core_metrics_snapshot_t *s, int id, double q,
                                     jlongArray out);
core_status jcore_metrics_snapshot(JNIEnv *env, core_metrics_t *m, int reset, jlongArray handle);
void jcore_metrics_snapshot_destroy(core_metrics_snapshot_t *s);
size_t jcore_metrics_snapshot_count(core_metrics_snapshot_t *s);
core_status jcore_metrics_merge(JNIEnv *env, core_metrics_t *dst_m, core_metrics_snapshot_t *dst_s,
                                core_metrics_t *src_m, core_metrics_snapshot_t *src_s);
/* result: Object[1] receiving the UTF-8 text as byte[] */
core_status jcore_metrics_export(JNIEnv *env, core_metrics_t *m, core_metrics_snapshot_t *s, int format, int flags,
                                 jobjectArray result);

/* ---- audio (jni/jcore_audio.h) ----------------------------------------------------- */

%{
#include "jcore_audio.h"
#include "jcore_audio_reader.h"
%}

/* direct output buffers with their capacity (compute, audio file reads) */
%apply (float *BUF, size_t LEN) { (float *outb, size_t cap) };

CORE_WRAP(jcore_logmel_options_init)
CORE_WRAP(jcore_logmel_create)
CORE_WRAP(jcore_logmel_stream_create)
CORE_WRAP(jcore_logmel_filters)
CORE_WRAP(jcore_logmel_compute_into)
CORE_WRAP(jcore_logmel_compute_new)
CORE_WRAP(jcore_logmel_compute_direct)
CORE_WRAP(jcore_logmel_compute_batch)
CORE_WRAP(jcore_logmel_stream_push_array)
CORE_WRAP(jcore_logmel_stream_push_direct)
CORE_WRAP(jcore_vad_options)
CORE_WRAP(jcore_vad_create)
CORE_WRAP(jcore_vad_push_array)
CORE_WRAP(jcore_vad_push_direct)
CORE_WRAP(jcore_vad_next_segment)
CORE_WRAP(jcore_vad_open_segment)
CORE_WRAP(jcore_vad_segments)
CORE_WRAP(jcore_vad_segments_direct)
CORE_WRAP(jcore_audio_info)
CORE_WRAP(jcore_audio_read_count)
CORE_WRAP(jcore_audio_read)
CORE_WRAP(jcore_audio_read_direct)
CORE_WRAP(jcore_audio_open)
CORE_WRAP(jcore_audio_reader_read)
CORE_WRAP(jcore_audio_reader_read_direct)
CORE_WRAP(jcore_audio_reader_info)
CORE_WRAP(jcore_audio_reader_length)
/* options double[8] {sample_rate, n_fft, hop, n_mels, fmin, fmax, mode, window_frames}: libcore's defaults */
core_status jcore_logmel_options_init(JNIEnv *env, jdoubleArray out);
/* the handle written to a long[1] */
core_status jcore_logmel_create(JNIEnv *env, jdoubleArray options, jlongArray handle);
core_status jcore_logmel_stream_create(JNIEnv *env, jdoubleArray options, jlongArray handle);
/* result: Object[1] receiving float[n_mels * (n_fft / 2 + 1)] */
core_status jcore_logmel_filters(JNIEnv *env, core_logmel_t *lm, jobjectArray result);
/* the frame count; out: the caller's float[] (capacity its length) */
core_status jcore_logmel_compute_into(JNIEnv *env, core_logmel_t *lm, jfloatArray samples, size_t n_mels,
                                      jfloatArray out, size_t *n_frames);
/* the frame count; result: Object[1] receiving a new float[n_mels * n_frames] */
core_status jcore_logmel_compute_new(JNIEnv *env, core_logmel_t *lm, jfloatArray samples, size_t n_mels,
                                     jobjectArray result, size_t *n_frames);
core_status jcore_logmel_compute_direct(core_logmel_t *lm, const float *xb, size_t n, float *outb, size_t cap,
                                        size_t *n_frames);
/* outs: Object[count] receiving a float[] per clip; n_frames: long[count] */
core_status jcore_logmel_compute_batch(JNIEnv *env, core_logmel_t *lm, jcore_float_arrays clips, size_t n_mels,
                                       jobjectArray outs, jlongArray n_frames);
core_status jcore_logmel_stream_push_array(JNIEnv *env, core_logmel_stream_t *s, jfloatArray x, size_t off,
                                           size_t len);
core_status jcore_logmel_stream_push_direct(core_logmel_stream_t *s, const float *xb, size_t n);
/* preset -1: core_vad_options_init; options double[8] {sample_rate, frame_ms, threshold, neg_threshold,
 * min_speech_ms, min_silence_ms, speech_pad_ms, max_speech_ms} */
core_status jcore_vad_options(JNIEnv *env, int preset, jdoubleArray out);
core_status jcore_vad_create(JNIEnv *env, jdoubleArray options, jlongArray handle);
core_status jcore_vad_push_array(JNIEnv *env, core_vad_t *vad, jfloatArray x, size_t off, size_t len);
core_status jcore_vad_push_direct(core_vad_t *vad, const float *xb, size_t n);
/* out: long[2] {start, end} / long[1] {start}; the Java return value is 1 when found, 0 when none */
core_status jcore_vad_next_segment(JNIEnv *env, core_vad_t *vad, jlongArray out, size_t *found);
core_status jcore_vad_open_segment(JNIEnv *env, core_vad_t *vad, jlongArray out, size_t *found);
/* result: Object[1] receiving long[2 * count] {start0, end0, start1, end1, ...} */
core_status jcore_vad_segments(JNIEnv *env, jfloatArray x, jdoubleArray options, jobjectArray result);
core_status jcore_vad_segments_direct(const float *xb, size_t n, JNIEnv *env, jdoubleArray options,
                                      jobjectArray result);
/* out: long[6] {sample_rate, channels, frames, duration bits, format, bits} */
core_status jcore_audio_info(JNIEnv *env, const char *path, jlongArray out);
/* the sample count at target_rate (0: the file's) */
core_status jcore_audio_read_count(const char *path, int target_rate, size_t *n);
/* result: Object[1] receiving the samples as float[] */
core_status jcore_audio_read(JNIEnv *env, const char *path, int target_rate, jobjectArray result);
core_status jcore_audio_read_direct(const char *path, int target_rate, float *outb, size_t cap, size_t *n);
/* the chunked reader: the handle written to a long[1] */
core_status jcore_audio_open(JNIEnv *env, const char *path, int target_rate, jlongArray handle);
/* the count read into out[off, off + len) (0 at the end), through a native buffer */
core_status jcore_audio_reader_read(JNIEnv *env, core_audio_reader_t *r, jfloatArray out, size_t off, size_t len,
                                    size_t *got);
/* the count read into a direct buffer's cap elements, without a copy */
core_status jcore_audio_reader_read_direct(core_audio_reader_t *r, float *outb, size_t cap, size_t *got);
/* out: long[6] as jcore_audio_info */
core_status jcore_audio_reader_info(JNIEnv *env, const core_audio_reader_t *r, jlongArray out);
/* out: long[2] {total, done} */
core_status jcore_audio_reader_length(JNIEnv *env, const core_audio_reader_t *r, jlongArray out);

/* ---- pipeline (jni/jcore_pipeline.h) ------------------------------------------------ */

%{
#include "jcore_pipeline.h"
%}

/* The batcher handle: a Java long holding a jcore_batcher. */
%typemap(jni) jcore_batcher *batcher "jlong"
%typemap(jtype) jcore_batcher *batcher "long"
%typemap(jstype) jcore_batcher *batcher "long"
%typemap(javain) jcore_batcher *batcher "$javainput"
%typemap(in) jcore_batcher *batcher %{ $1 = (jcore_batcher *)(intptr_t)$input; %}
JCORE_SCALAR_OUT(size_t, count)

CORE_WRAP(jcore_pipeline_options_init)
CORE_WRAP(jcore_pipeline_create)
CORE_WRAP(jcore_pipeline_push_f32_array)
CORE_WRAP(jcore_pipeline_push_i16_array)
CORE_WRAP(jcore_pipeline_push_f32_direct)
CORE_WRAP(jcore_pipeline_next_event)
CORE_WRAP(jcore_pipeline_submit_embedding)
CORE_WRAP(jcore_pipeline_stats)
CORE_WRAP(jcore_pipeline_metrics_export)
CORE_WRAP(jcore_batcher_options_init)
CORE_WRAP(jcore_batcher_create)
CORE_WRAP(jcore_batcher_destroy)
CORE_WRAP(jcore_batcher_add)
CORE_WRAP(jcore_batcher_next)
CORE_WRAP(jcore_batcher_flush)
CORE_WRAP(jcore_batcher_pending)
CORE_WRAP(jcore_batcher_next_deadline)
/* options double[11] {sample_rate, ring_ms, ring_policy, window_ms, hop_ms, speech_only, dim, cache_decimals,
 * cache max_entries, max_bytes, ttl_ms} with the VAD's and log-mel's double[8]: libcore's defaults */
core_status jcore_pipeline_options_init(JNIEnv *env, jdoubleArray main, jdoubleArray vad, jdoubleArray logmel);
/* prefix: UTF-8 bytes or null; the handle written to a long[1] */
core_status jcore_pipeline_create(JNIEnv *env, jdoubleArray main, jdoubleArray vad, jdoubleArray logmel,
                                  jbyteArray prefix, jlongArray handle);
core_status jcore_pipeline_push_f32_array(JNIEnv *env, core_pipeline_t *p, jfloatArray x, size_t off, size_t len);
core_status jcore_pipeline_push_i16_array(JNIEnv *env, core_pipeline_t *p, jshortArray x, size_t off, size_t len);
core_status jcore_pipeline_push_f32_direct(core_pipeline_t *p, const float *xb, size_t n);
/* info long[9] {kind, window_id, start, end, n_mels, n_frames, dim, cache_hit, status}, arrays Object[2]
 * {features, embedding}; the Java return value is 1, or 0 when no event is ready */
core_status jcore_pipeline_next_event(JNIEnv *env, core_pipeline_t *p, jlongArray info, jobjectArray arrays,
                                      size_t *found);
core_status jcore_pipeline_submit_embedding(JNIEnv *env, core_pipeline_t *p, int64_t window_id,
                                            jfloatArray embedding);
/* long[13]: nine counters, then four doubles as raw bits */
core_status jcore_pipeline_stats(JNIEnv *env, core_pipeline_t *p, jlongArray out);
/* result: Object[1] receiving the UTF-8 text as byte[] */
core_status jcore_pipeline_metrics_export(JNIEnv *env, core_pipeline_t *p, int format, int flags,
                                          jobjectArray result);
/* long[2] {max_batch, max_delay_ms} */
core_status jcore_batcher_options_init(JNIEnv *env, jlongArray out);
/* bounds: the upper bounds of all buckets but the last; clock: a LongSupplier or null */
core_status jcore_batcher_create(JNIEnv *env, int64_t max_batch, int64_t max_delay_ms, jlongArray bounds,
                                 jobject clock, jlongArray handle);
void jcore_batcher_destroy(JNIEnv *env, jcore_batcher *batcher);
core_status jcore_batcher_add(jcore_batcher *batcher, int64_t id, int64_t length);
/* the count (0: none due); ids long[max_batch], bucket long[1] */
core_status jcore_batcher_next(JNIEnv *env, jcore_batcher *batcher, jlongArray ids, jlongArray bucket,
                               size_t *count);
core_status jcore_batcher_flush(jcore_batcher *batcher);
size_t jcore_batcher_pending(jcore_batcher *batcher);
/* out long[1]; the Java return value is 1, or 0 when nothing waits */
core_status jcore_batcher_next_deadline(JNIEnv *env, jcore_batcher *batcher, jlongArray out, size_t *found);

/* ---- collections (jni/jcore_collection.h) ------------------------------------------- */

%{
#include "jcore_collection.h"
%}

CORE_WRAP(jcore_collection_options_init)
CORE_WRAP(jcore_collection_run)
CORE_WRAP(jcore_collection_texts)
/* double[5] {sample_rate, chunk_samples, vad, features, max_segments}: libcore's defaults */
core_status jcore_collection_options_init(JNIEnv *env, jdoubleArray main);
/* runs the files added, with the options on top of core_collection_options_init; vad and logmel
 * (double[8] each) may be null: libcore's defaults */
core_status jcore_collection_run(JNIEnv *env, corebind_collection *c, jdoubleArray main, jdoubleArray vad,
                                 jdoubleArray logmel);
/* result: Object[3] receiving file i's {JSON record, message, path} as UTF-8 byte[] */
core_status jcore_collection_texts(JNIEnv *env, const corebind_collection *c, size_t i, jobjectArray result);
