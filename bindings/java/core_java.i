/*
 * bindings/java/core_java.i: the Java part of bindings/core.i (included
 * there before the C declarations, so these typemaps apply to them).
 *
 * It generates a package-private raw layer in package dev.libcore:
 * CoreNative (one static method per whitelisted C function, C names kept)
 * and CoreNativeJNI. The public API is the hand-written layer in
 * bindings/java/src/dev/libcore (Core, CoreArrays, Pcm, Stats, Reductions,
 * Batch, StatsAccumulator, RingBuffer, EncoderCache, Metrics, LogMel,
 * LogMelStream, Vad, AudioFile, AudioReader, Pipeline, Batcher), which checks what only Java can
 * check and allocates outputs.
 *
 * Rules of the raw layer:
 *  - Every function returning core_status returns, in Java, the value of its
 *    scalar out-parameter as a double (double *out, size_t *n, *clipped,
 *    *frames, *got or *ready; 0 when it has none). A status other than
 *    CORE_OK throws dev.libcore.CoreException(status,
 *    core_status_str(status), core_last_error_message()), built in C in the
 *    same native call (the message is thread-local), after every array was
 *    released.
 *  - Pointer + length pairs take a Java array (or, for the *_direct
 *    declarations below, a direct NIO buffer) and the length is the array's.
 *    Arrays without a length of their own (dot's x, cumsum's out...) are
 *    checked by the Java layer, the only caller.
 *  - core_stats_t travels as long[7] (see jni/jcore.h), n of them as
 *    long[7 * n] (jni/jcore_batch.h), core_nan_policy and core_ring_policy as
 *    int, uint64_t and a ring handle as long, an accumulator as the direct
 *    ByteBuffer that holds it.
 *  - Array access (critical or copied, and in which order) is described at
 *    the top of jni/jcore.h.
 */

%pragma(java) moduleclassmodifiers="final class"
%pragma(java) jniclassclassmodifiers="final class"
%pragma(java) jniclasscode=%{
  static {
    NativeLibrary.load();
    NativeLibrary.checkVersion(core_version_number(), core_abi_version(), core_version());
  }
%}

%{
#include "jcore.h"
%}

/* Constants: the Java layer reads the version at run time; the enums and the
 * struct are hand-written Java types (Status, NanPolicy, Stats). */
%rename("$ignore", %$isconstant) "";
%ignore core_status;
%ignore core_nan_policy;
%ignore core_stats_t;

/* ---- status -> return value or CoreException ----------------------------- */

%typemap(jni) core_status "jdouble"
%typemap(jtype) core_status "double"
%typemap(jstype) core_status "double"
%typemap(javaout) core_status { return $jnicall; }
%typemap(out) core_status %{ $result = 0; %}
/* "ret" runs after every "freearg": no array is held any more. */
%typemap(ret) core_status %{ if ($1 != CORE_OK) jcore_throw_status(jenv, $1); %}

/* core_status_str(core_status status): a plain int in. */
%typemap(jni) core_status status "jint"
%typemap(jtype) core_status status "int"
%typemap(jstype) core_status status "int"
%typemap(javain) core_status status "$javainput"
%typemap(in) core_status status %{ $1 = (core_status)$input; %}

%typemap(jni) core_nan_policy "jint"
%typemap(jtype) core_nan_policy "int"
%typemap(jstype) core_nan_policy "int"
%typemap(javain) core_nan_policy "$javainput"
%typemap(in) core_nan_policy %{ $1 = (core_nan_policy)$input; %}

/* ---- scalar out-parameters: the Java return value ------------------------- */

%define JCORE_SCALAR_OUT(CTYPE, NAME)
%typemap(in, numinputs=0) CTYPE *NAME (CTYPE temp = 0) %{ $1 = &temp; %}
%typemap(argout) CTYPE *NAME %{ $result = (jdouble)*$1; %}
%enddef
JCORE_SCALAR_OUT(double, out)
JCORE_SCALAR_OUT(size_t, n)
JCORE_SCALAR_OUT(size_t, clipped)

/* ---- core_stats_t <-> long[7] --------------------------------------------- */

%typemap(jni) const core_stats_t *, core_stats_t *out "jlongArray"
%typemap(jtype) const core_stats_t *, core_stats_t *out "long[]"
%typemap(jstype) const core_stats_t *, core_stats_t *out "long[]"
%typemap(javain) const core_stats_t *, core_stats_t *out "$javainput"
%typemap(in) const core_stats_t * (core_stats_t temp) %{
  if (!jcore_stats_get(jenv, $input, &temp, $argnum)) { $cleanup return $null; }
  $1 = &temp;
%}
%typemap(in) core_stats_t *out (core_stats_t temp, int called = 0) %{
  memset(&temp, 0, sizeof temp);
  if (!jcore_stats_check_out(jenv, $input, $argnum)) { $cleanup return $null; }
  $1 = &temp;
%}
/* "argout" runs only once libcore was called; the copy into the Java array
 * waits for "freearg", after the (earlier) input array was released. No
 * exception can be pending there (a failed status is thrown in "ret"). */
%typemap(argout) core_stats_t *out %{ called$argnum = 1; %}
%typemap(freearg) core_stats_t *out %{ if (called$argnum) jcore_stats_put(jenv, $input, $1); %}

/* ---- primitive arrays ------------------------------------------------------ */

/* What every array kind shares: the Java type, acquisition in "check",
 * release in "freearg", and the empty "argout" multi-argument typemaps need. */
%define JCORE_ARRAY_COMMON(SIG, JNIARR, JAVAARR)
%typemap(jni) SIG "JNIARR"
%typemap(jtype) SIG "JAVAARR"
%typemap(jstype) SIG "JAVAARR"
%typemap(javain) SIG "$javainput"
%typemap(check) SIG %{
  if (!jcore_array_acquire(jenv, &arr$argnum)) { $cleanup jcore_acquire_failed(jenv); return $null; }
  $1 = ($1_ltype)arr$argnum.ptr;
%}
%typemap(freearg) SIG %{ jcore_array_release(jenv, &arr$argnum); %}
%typemap(argout) SIG ""
%enddef

/* (pointer, length): the length is the Java array's. MODE: JCORE_IN/OUT/INOUT. */
%define JCORE_ARRAY_PAIR(SIG, JNIARR, JAVAARR, TAG, MODE)
JCORE_ARRAY_COMMON(SIG, JNIARR, JAVAARR)
%typemap(in) SIG (jcore_array arr = JCORE_ARRAY_INIT) %{
  if (!jcore_array_prepare(jenv, &arr, $input, TAG, MODE, $argnum)) { $cleanup return $null; }
  $2 = arr.n;
%}
%enddef

/* A pointer whose length is the call's n: the Java layer checks it. */
%define JCORE_ARRAY_ONE(SIG, JNIARR, JAVAARR, TAG, MODE)
JCORE_ARRAY_COMMON(SIG, JNIARR, JAVAARR)
%typemap(in) SIG (jcore_array arr = JCORE_ARRAY_INIT) %{
  if (!jcore_array_prepare(jenv, &arr, $input, TAG, MODE, $argnum)) { $cleanup return $null; }
%}
%enddef

%define JCORE_ARRAYS(CTYPE, JNIARR, JAVAARR, TAG)
JCORE_ARRAY_PAIR((const CTYPE *ARR_IN, size_t LEN), JNIARR, JAVAARR, TAG, JCORE_IN)
JCORE_ARRAY_PAIR((CTYPE *ARR_OUT, size_t LEN), JNIARR, JAVAARR, TAG, JCORE_OUT)
JCORE_ARRAY_PAIR((CTYPE *ARR_INOUT, size_t LEN), JNIARR, JAVAARR, TAG, JCORE_INOUT)
JCORE_ARRAY_ONE(const CTYPE *ARR_IN, JNIARR, JAVAARR, TAG, JCORE_IN)
JCORE_ARRAY_ONE(CTYPE *ARR_OUT, JNIARR, JAVAARR, TAG, JCORE_OUT)
%enddef

JCORE_ARRAYS(float, jfloatArray, float[], JCORE_FLOAT)
JCORE_ARRAYS(double, jdoubleArray, double[], JCORE_DOUBLE)
JCORE_ARRAYS(int16_t, jshortArray, short[], JCORE_SHORT)

%define JCORE_APPLY_ARRAYS(CTYPE)
%apply (const CTYPE *ARR_IN, size_t LEN) { (const CTYPE *x, size_t n), (const CTYPE *y, size_t n),
                                           (const CTYPE *in, size_t n) };
%apply (CTYPE *ARR_OUT, size_t LEN) { (CTYPE *out, size_t n), (CTYPE *out, size_t cap) };
%apply (CTYPE *ARR_INOUT, size_t LEN) { (CTYPE *x, size_t n) };
%apply const CTYPE *ARR_IN { const CTYPE *x };
%enddef
JCORE_APPLY_ARRAYS(float)
JCORE_APPLY_ARRAYS(double)
JCORE_APPLY_ARRAYS(int16_t)
/* Unsized output arrays. `double *out` is not among them: in stats.h it is
 * the scalar result, so the four float64 functions of array.h with such an
 * output array are redeclared in core_java_extra.i with `out_array`. */
%apply float *ARR_OUT { float *out };
%apply int16_t *ARR_OUT { int16_t *out };
%apply double *ARR_OUT { double *out_array };

/* concat: float[][] / double[][] parts; the output (out, cap) is above. */
%define JCORE_PARTS(CTYPE, JAVAARR, TAG)
%typemap(jni) (const CTYPE *const *parts, const size_t *lens, size_t count) "jobjectArray"
%typemap(jtype) (const CTYPE *const *parts, const size_t *lens, size_t count) "JAVAARR[]"
%typemap(jstype) (const CTYPE *const *parts, const size_t *lens, size_t count) "JAVAARR[]"
%typemap(javain) (const CTYPE *const *parts, const size_t *lens, size_t count) "$javainput"
%typemap(in) (const CTYPE *const *parts, const size_t *lens, size_t count)
    (jcore_parts parts = JCORE_PARTS_INIT) %{
  if (!jcore_parts_prepare(jenv, &parts, $input, TAG, $argnum)) { $cleanup return $null; }
  $1 = ($1_ltype)parts.ptrs;
  $2 = parts.lens;
  $3 = parts.count;
%}
%typemap(check) (const CTYPE *const *parts, const size_t *lens, size_t count) %{
  if (!jcore_parts_acquire(jenv, &parts$argnum)) { $cleanup jcore_acquire_failed(jenv); return $null; }
%}
%typemap(freearg) (const CTYPE *const *parts, const size_t *lens, size_t count) %{
  jcore_parts_release(jenv, &parts$argnum);
%}
%typemap(argout) (const CTYPE *const *parts, const size_t *lens, size_t count) ""
%enddef
JCORE_PARTS(float, float[], JCORE_FLOAT)
JCORE_PARTS(double, double[], JCORE_DOUBLE)

/* core_concat_len(const size_t *lens, size_t count, size_t *n): long[] lens. */
%typemap(jni) (const size_t *lens, size_t count) "jlongArray"
%typemap(jtype) (const size_t *lens, size_t count) "long[]"
%typemap(jstype) (const size_t *lens, size_t count) "long[]"
%typemap(javain) (const size_t *lens, size_t count) "$javainput"
%typemap(in) (const size_t *lens, size_t count) (size_t *sizes = NULL) %{
  if (!jcore_sizes_get(jenv, $input, &sizes, &$2, $argnum)) { $cleanup return $null; }
  $1 = sizes;
%}
%typemap(freearg) (const size_t *lens, size_t count) %{ free(sizes$argnum); %}
%typemap(argout) (const size_t *lens, size_t count) ""

/* percentile scratch: allocated here with the call's n (argument 2). */
%define JCORE_SCRATCH(CTYPE)
%typemap(in, numinputs=0) (CTYPE *scratch, size_t scratch_cap) %{ $1 = NULL; $2 = 0; %}
%typemap(check) (CTYPE *scratch, size_t scratch_cap) %{
  $2 = JCORE_SCRATCH_LEN(arg2);
  $1 = (CTYPE *)jcore_scratch($2, sizeof(CTYPE));
  if ($1 == NULL) {
    $cleanup jcore_throw(jenv, "java/lang/OutOfMemoryError", "libcore: no memory for percentile's scratch copy");
    return $null;
  }
%}
%typemap(freearg) (CTYPE *scratch, size_t scratch_cap) %{ free($1); %}
%enddef
JCORE_SCRATCH(float)
JCORE_SCRATCH(double)

/* ---- batch.h ---------------------------------------------------------------- */

/* uint64_t (stream totals, file offsets and counts, ring drop counts) is a
 * Java long; the Java layer refuses negative values before the call. */
%apply long long { uint64_t };

/* batch.h names the summary type `struct core_stats_t` (see its comment). */
%apply core_stats_t *out { struct core_stats_t *out };

/* core_stats_frames_len's count: the Java return value, as every scalar out. */
JCORE_SCALAR_OUT(size_t, frames)

/* The accumulator (~21 KB of plain data) lives in a direct ByteBuffer owned
 * by dev.libcore.StatsAccumulator (see jni/jcore_batch.h). */
%ignore core_stats_acc_t;
%ignore core_stats_acc_node_t;
%ignore core_stats_acc_t_pending; /* its nested union */
%typemap(jni) core_stats_acc_t *, const core_stats_acc_t * "jobject"
%typemap(jtype) core_stats_acc_t *, const core_stats_acc_t * "java.nio.ByteBuffer"
%typemap(jstype) core_stats_acc_t *, const core_stats_acc_t * "java.nio.ByteBuffer"
%typemap(javain) core_stats_acc_t *, const core_stats_acc_t * "$javainput"
%typemap(in) core_stats_acc_t * (core_stats_acc_t *accp = NULL) %{
  if (!jcore_acc_get(jenv, $input, &accp, $argnum)) { $cleanup return $null; }
  $1 = accp;
%}
%typemap(in) const core_stats_acc_t * = core_stats_acc_t *;

/* core_stats_file_f32's path: the bytes of its file-system encoding (the
 * JDK's own rule for file names; SWIG's String typemap would pass modified
 * UTF-8), copied and NUL-terminated, never held during the call. */
%typemap(jni) const char *path "jbyteArray"
%typemap(jtype) const char *path "byte[]"
%typemap(jstype) const char *path "byte[]"
%typemap(javain) const char *path "$javainput"
%typemap(in) const char *path (char *path_copy = NULL) %{
  if (!jcore_path_get(jenv, $input, &path_copy, $argnum)) { $cleanup return $null; }
  $1 = path_copy;
%}
%typemap(freearg) const char *path %{ free(path_copy$argnum); %}

/* Arrays of arrays, flat arrays, frames and accumulator pushes of Java
 * arrays go through the grouped helpers of jni/jcore_batch.h (declared in
 * core_java_extra.i), which never copy an array of up to
 * JCORE_CRITICAL_MAX_ELEMENTS elements and never hold the GC off for longer
 * than one such group. */
%ignore core_batch_stats_f32;
%ignore core_batch_stats_f64;
%ignore core_stats_frames_f32;
%ignore core_stats_frames_f64;
%ignore core_stats_acc_push_f32;
%ignore core_stats_acc_push_f64;

/* ---- ring.h ------------------------------------------------------------------ */

/* dev.libcore.RingBuffer is the public class; its enums are hand-written. */
%ignore core_ring_options_t;
%ignore core_ring_policy;
%ignore core_ring_mirror;
/* Not wrapped: core_ring_options_init (the options typemap below calls it),
 * the waits (jcore_ring_wait_*, core_java_extra.i: a timeout is a result,
 * not an exception), and core_ring_regions: no Java view of ring memory can
 * be made safe (it would outlive close(), and under OVERWRITE the claim it
 * holds until the next consumer call makes the producer drop samples), so
 * RingBuffer.peek copies with core_ring_read instead. */
%ignore core_ring_options_init;
%ignore core_ring_wait_readable;
%ignore core_ring_wait_writable;
%ignore core_ring_regions;

/* The handle: a Java long (jni/jcore_ring.h). */
%typemap(jni) core_ring_t *ring, const core_ring_t *ring "jlong"
%typemap(jtype) core_ring_t *ring, const core_ring_t *ring "long"
%typemap(jstype) core_ring_t *ring, const core_ring_t *ring "long"
%typemap(javain) core_ring_t *ring, const core_ring_t *ring "$javainput"
%typemap(in) core_ring_t *ring, const core_ring_t *ring %{ $1 = ($1_ltype)(intptr_t)$input; %}

/* core_ring_create: options as long[3] {capacity, policy, mirror}, the new
 * handle written to a long[1] once the call succeeded. */
%typemap(jni) const core_ring_options_t *opts "jlongArray"
%typemap(jtype) const core_ring_options_t *opts "long[]"
%typemap(jstype) const core_ring_options_t *opts "long[]"
%typemap(javain) const core_ring_options_t *opts "$javainput"
%typemap(in) const core_ring_options_t *opts (core_ring_options_t temp) %{
  if (!jcore_ring_options_get(jenv, $input, &temp, $argnum)) { $cleanup return $null; }
  $1 = &temp;
%}
%typemap(jni) core_ring_t **out "jlongArray"
%typemap(jtype) core_ring_t **out "long[]"
%typemap(jstype) core_ring_t **out "long[]"
%typemap(javain) core_ring_t **out "$javainput"
%typemap(in) core_ring_t **out (core_ring_t *handle = NULL) %{
  if (!jcore_handle_out_check(jenv, $input, $argnum)) { $cleanup return $null; }
  $1 = &handle;
%}
%typemap(argout) core_ring_t **out %{
  if (result == CORE_OK) {
    const jlong h = (jlong)(intptr_t)handle$argnum;
    (*jenv)->SetLongArrayRegion(jenv, $input, 0, 1, &h);
  }
%}

%typemap(jni) core_ring_policy "jint"
%typemap(jtype) core_ring_policy "int"
%typemap(jstype) core_ring_policy "int"
%typemap(out) core_ring_policy %{ $result = (jint)$1; %}
%typemap(javaout) core_ring_policy { return $jnicall; }

%apply (const int16_t *ARR_IN, size_t LEN) { (const int16_t *pcm, size_t n) };
/* pop's count and the waits' flag: the Java return value */
JCORE_SCALAR_OUT(size_t, got)
JCORE_SCALAR_OUT(size_t, ready)

/* ---- cache.h ----------------------------------------------------------------- */

/* dev.libcore.EncoderCache is the public class. Every cache call goes through
 * the helpers of jni/jcore_cache.h (declared in core_java_extra.i): the
 * handle carries the Java clock, the keys travel as two longs, values are
 * sized by the helper (BUFFER_TOO_SMALL never reaches Java), a miss is a
 * result, and get_or_compute calls back into Java. The C declarations and
 * types are not wrapped as such. */
%ignore core_key_t;
%ignore core_cache_options_t;
%ignore core_cache_stats_t;
%ignore core_cache_writer;
%ignore core_cache_key_bytes;
%ignore core_cache_key_audio;
%ignore core_cache_options_init;
%ignore core_cache_create;
%ignore core_cache_destroy;
%ignore core_cache_shards;
%ignore core_cache_put;
%ignore core_cache_get;
%ignore core_cache_contains;
%ignore core_cache_remove;
%ignore core_cache_clear;
%ignore core_cache_writer_put;
%ignore core_cache_get_or_compute;
%ignore core_cache_stats;
%ignore core_cache_stats_reset;
%ignore core_cache_save;
%ignore core_cache_load;
/* core_cache_entry_bytes(size_t n) is wrapped as declared: long in, long out. */

/* ---- metrics.h --------------------------------------------------------------- */

/* dev.libcore.Metrics and dev.libcore.MetricsSnapshot are the public classes.
 * Every metrics call goes through jni/jcore_metrics.h (declared in
 * core_java_extra.i): handles are Java longs, strings UTF-8 byte[], the
 * export's needed-size protocol is run by the helper, and the hot path
 * (record, counter add, gauge set/add) is libcore's own function. Only the
 * clock is wrapped as declared. */
%ignore core_metric_label_t;
%ignore core_metrics_options_t;
%ignore core_timer_stats_t;
%ignore core_metric_kind;
%ignore core_metrics_format;
%ignore core_metrics_options_init;
%ignore core_metrics_create;
%ignore core_metrics_destroy;
%ignore core_metrics_timer;
%ignore core_metrics_counter;
%ignore core_metrics_gauge;
%ignore core_metrics_count;
%ignore core_metrics_record_ns;
%ignore core_metrics_start;
%ignore core_metrics_stop;
%ignore core_metrics_counter_add;
%ignore core_metrics_gauge_set;
%ignore core_metrics_gauge_add;
%ignore core_metrics_find;
%ignore core_metrics_counter_get;
%ignore core_metrics_gauge_get;
%ignore core_metrics_timer_stats;
%ignore core_metrics_percentile;
%ignore core_metrics_snapshot;
%ignore core_metrics_snapshot_and_reset;
%ignore core_metrics_snapshot_destroy;
%ignore core_metrics_snapshot_count;
%ignore core_metrics_snapshot_find;
%ignore core_metrics_snapshot_counter;
%ignore core_metrics_snapshot_gauge;
%ignore core_metrics_snapshot_timer_stats;
%ignore core_metrics_snapshot_percentile;
%ignore core_metrics_snapshot_merge;
%ignore core_metrics_merge_snapshot;
%ignore core_metrics_merge;
%ignore core_metrics_export;
%ignore core_metrics_snapshot_export;
/* core_now_ns() is wrapped as declared: uint64_t is a Java long. */

/* ---- audio.h ----------------------------------------------------------------- */

/* dev.libcore.LogMel, LogMelStream, Vad and AudioFile are the public classes
 * (with LogMelOptions, VadOptions, MelSpectrogram, Segment, AudioInfo). The
 * calls that take options, Java arrays of unknown output size, segments or
 * file information go through jni/jcore_audio.h (declared in
 * core_java_extra.i): options travel as double[8] on top of libcore's own
 * _init/_preset, outputs are sized by the helper (BUFFER_TOO_SMALL never
 * reaches Java unless the caller chose the capacity), CORE_E_EMPTY of
 * next_segment/open_segment is a result, and pushes of long arrays go in
 * critical pieces. The rest is wrapped as declared, with the handles as
 * Java longs and n_frames as the Java return value. */
%ignore core_logmel_mode;
%ignore core_logmel_options_t;
%ignore core_segment_t;
%ignore core_vad_preset;
%ignore core_vad_options_t;
%ignore core_audio_format;
%ignore core_audio_info_t;
%ignore core_logmel_options_init;
%ignore core_logmel_create;
%ignore core_logmel_filters;
%ignore core_logmel_compute;
%ignore core_logmel_compute_batch;
%ignore core_logmel_stream_create;
%ignore core_logmel_stream_push;
%ignore core_vad_options_init;
%ignore core_vad_options_preset;
%ignore core_vad_create;
%ignore core_vad_push;
%ignore core_vad_next_segment;
%ignore core_vad_open_segment;
%ignore core_vad_segments;
%ignore core_audio_info;
%ignore core_audio_read;
/* dev.libcore.AudioReader: open, reads (into a Java array through a native
 * buffer, as core_audio_read: the decoding does file I/O, so no array is
 * held critically meanwhile; or into a direct buffer), info and length go
 * through jni/jcore_audio.h; core_audio_reader_close is wrapped as declared. */
%ignore core_audio_open;
%ignore core_audio_reader_read;
%ignore core_audio_reader_info;
%ignore core_audio_reader_length;
/* Wrapped as declared: core_logmel_destroy, core_logmel_frames,
 * core_logmel_stream_destroy / _flush / _read / _available / _reset,
 * core_vad_destroy / _flush / _reset, core_audio_reader_close. */

/* The handles: Java longs (jni/jcore_audio.h). */
%define JCORE_AUDIO_HANDLE(CTYPE)
%typemap(jni) CTYPE *, const CTYPE * "jlong"
%typemap(jtype) CTYPE *, const CTYPE * "long"
%typemap(jstype) CTYPE *, const CTYPE * "long"
%typemap(javain) CTYPE *, const CTYPE * "$javainput"
%typemap(in) CTYPE *, const CTYPE * %{ $1 = ($1_ltype)(intptr_t)$input; %}
%enddef
JCORE_AUDIO_HANDLE(core_logmel_t)
JCORE_AUDIO_HANDLE(core_logmel_stream_t)
JCORE_AUDIO_HANDLE(core_vad_t)
JCORE_AUDIO_HANDLE(core_audio_reader_t)

/* frame counts (core_logmel_frames, _stream_read, _stream_available): the Java return value */
JCORE_SCALAR_OUT(size_t, n_frames)

/* ---- pipeline.h -------------------------------------------------------------- */

/* dev.libcore.Pipeline (with PipelineOptions, PipelineEvent, PipelineStats)
 * and dev.libcore.Batcher (with BatcherOptions) are the public classes. The
 * calls that take options, events, statistics or Java arrays go through
 * jni/jcore_pipeline.h (declared in core_java_extra.i): options travel as
 * double[] on top of core_pipeline_options_init, events as long[9] plus
 * copies of their arrays, CORE_E_EMPTY of next_event and of the batcher's
 * next / next_deadline is a result, and the batcher's handle carries the
 * Java clock. No C encoder callback: the Java encoder answers
 * CORE_EVENT_NEEDS_ENCODING through core_pipeline_submit_embedding.
 * Wrapped as declared: core_pipeline_destroy and core_pipeline_flush. */
%ignore core_batcher_options_t;
%ignore core_pipeline_options_t;
%ignore core_event_t;
%ignore core_event_kind;
%ignore core_pipeline_stats_t;
%ignore core_batcher_options_init;
%ignore core_batcher_create;
%ignore core_batcher_destroy;
%ignore core_batcher_add;
%ignore core_batcher_next;
%ignore core_batcher_flush;
%ignore core_batcher_pending;
%ignore core_batcher_next_deadline;
%ignore core_pipeline_options_init;
%ignore core_pipeline_create;
%ignore core_pipeline_push_f32;
%ignore core_pipeline_push_i16;
%ignore core_pipeline_next_event;
%ignore core_pipeline_submit_embedding;
%ignore core_pipeline_stats;
%ignore core_pipeline_metrics;

JCORE_AUDIO_HANDLE(core_pipeline_t)

/* ---- collection.h (through bindings/collection_shim.h) ----------------------- */

/* dev.libcore.Collection is the public class (with Collection.Options and
 * Collection.FileResult). The shim's handle is a Java long, created, used
 * and freed inside one Collection.run call. Wrapped as declared: new, free,
 * add (path and output as file-system bytes; output may be null), count
 * and the numeric getters. The options and the run go through
 * jcore_collection_options_init / jcore_collection_run, the JSON record,
 * message and path through jcore_collection_texts (UTF-8 byte[]; see
 * jni/jcore_collection.h), so these are not wrapped as such: */
%ignore core_collection_options_t;
%ignore core_file_summary_t;
%ignore core_collection_options_init;
%ignore corebind_collection_run;
%ignore corebind_collection_json;
%ignore corebind_collection_message;
%ignore corebind_collection_path;

JCORE_AUDIO_HANDLE(corebind_collection)
%typemap(out) corebind_collection * %{ $result = (jlong)(intptr_t)$1; %}
%typemap(javaout) corebind_collection * { return $jnicall; }

/* corebind_collection_add's output: as a path, but null is allowed (no .npy) */
%typemap(jni) const char *output "jbyteArray"
%typemap(jtype) const char *output "byte[]"
%typemap(jstype) const char *output "byte[]"
%typemap(javain) const char *output "$javainput"
%typemap(in) const char *output (char *output_copy = NULL) %{
  if ($input != NULL && !jcore_path_get(jenv, $input, &output_copy, $argnum)) { $cleanup return $null; }
  $1 = output_copy;
%}
%typemap(freearg) const char *output %{ free(output_copy$argnum); %}

%include "java/core_java_extra.i"
