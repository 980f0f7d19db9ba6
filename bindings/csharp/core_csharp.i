/*
 * bindings/csharp/core_csharp.i — the C# part of bindings/core.i.
 *
 * Included by core.i before the C declarations, so every rule here applies to
 * them. The generated layer is internal to the LibCore assembly: the classes
 * CoreNative (one static method per whitelisted C function, the C name kept)
 * and CoreNativePINVOKE (the DllImport declarations, library "core_csharp").
 * The public API is the hand-written layer in src/ (Stats, CoreArrays,
 * CoreStats, Core). meson.build runs `swig -csharp -module CoreNative
 * -namespace LibCore -dllimport core_csharp -outfile CoreNative.cs`; the
 * -module option names the C# classes without touching core.i's %module.
 * What crosses, and how:
 *
 *  1. (pointer, length) pairs — every `(const float *x, size_t n)` and its
 *     kin listed below — become ONE C# parameter, a ReadOnlySpan<T> (input)
 *     or Span<T> (output). The span is pinned with `fixed` for the call and
 *     passed with its length as a 16-byte struct by value: no copy, and the
 *     length can never disagree with the memory.
 *  2. Every other pointer (an output array whose length is implied, the
 *     second array of dot/corrcoef, a scalar result, core_stats_t) becomes a
 *     raw unmanaged pointer (double*, float*, Stats*, ...). The idiomatic
 *     layer pins the array or points at a local after checking lengths.
 *     (A name-based typemap cannot tell `double *out` the array of
 *     core_cumsum_f64 from `double *out` the scalar of core_mean_f64.)
 *  3. core_stats_t is the hand-written blittable struct LibCore.Stats (same
 *     layout, checked by a test); no SWIG proxy class, no native allocation.
 *  4. core_status: a function returning it returns void in C#. A status
 *     other than CORE_OK is turned into a pending LibCore.CoreException
 *     INSIDE the same native call — the wrapper reads
 *     core_last_error_message() right after the failing call, on the calling
 *     thread, and hands status and message to a managed callback — and the
 *     C# method throws it when the call returns (SWIG's pending-exception
 *     mechanism, as for its own exceptions). This follows core.i's rule: the
 *     thread-local message is never read by a second P/Invoke.
 *  5. size_t is 64-bit (ulong). Enums are C# enums: CoreStatus, NanPolicy.
 *  6. Before the first native call the generated methods call
 *     NativeLibraryLoader.EnsureLoaded(), which finds libcore_csharp.so or
 *     throws a DllNotFoundException naming every place it looked.
 *  7. batch.h: core_stats_acc_t* is a void* to the pinned byte block of
 *     LibCore.StatsAccumulator (no proxy class; its size comes from
 *     CoreCSharp_SizeOf). `struct core_stats_t *` is Stats* like core_stats_t*.
 *  8. ring.h: core_ring_t* is an IntPtr owned by RingBuffer's SafeHandle;
 *     core_ring_options_t* is NativeRingOptions*; the enums are RingPolicy
 *     and RingMirror. core_ring_wait_readable/_writable return their
 *     status: a timeout (CORE_E_EMPTY / CORE_E_FULL) is an answer, not an
 *     exception; any other failure still raises.
 *  9. cache.h: core_cache_t* is an IntPtr owned by EncoderCache's SafeHandle,
 *     core_cache_writer_t* an IntPtr, core_key_t is the public blittable
 *     LibCore.CacheKey, core_cache_options_t / core_cache_stats_t are the
 *     internal NativeCacheOptions / NativeCacheStats (layouts checked by a
 *     test), the compute callback and its `user` are IntPtrs (an unmanaged
 *     function pointer and a GCHandle). (const void *data, size_t len) is a
 *     ReadOnlySpan<byte>; the shape of put is a ReadOnlySpan<ulong>.
 *     core_cache_get returns NOT_FOUND and BUFFER_TOO_SMALL, and
 *     core_cache_get_or_compute BUFFER_TOO_SMALL, as statuses (a miss and
 *     a resize are answers); core_cache_remove returns NOT_FOUND.
 * 10. metrics.h: core_metrics_t* and core_metrics_snapshot_t* are IntPtrs
 *     owned by the SafeHandles of the public Metrics and MetricsSnapshot
 *     (their ** outputs are IntPtr*); core_metrics_options_t,
 *     core_timer_stats_t and core_metric_label_t are the internal
 *     NativeMetricsOptions, NativeTimerStats and NativeMetricLabel (layouts
 *     checked by a test; label strings are UTF-8 IntPtrs the caller owns);
 *     ids are uint, uint64_t* is ulong*, the enums are MetricKind and
 *     MetricsFormat. (char *buf, size_t cap) of the exports is a
 *     Span<byte>, and the exports return BUFFER_TOO_SMALL as a status (the
 *     needed-size protocol); the percentiles return EMPTY as a status (an
 *     empty timer is an answer). Recording returns void and raises as
 *     usual: the status check costs nothing when the call succeeds.
 * 11. audio.h: core_logmel_t*, core_logmel_stream_t*, core_vad_t* and
 *     core_audio_reader_t* are IntPtrs owned by the SafeHandles of the
 *     public LogMel, LogMelStream, Vad and AudioReader (their ** outputs
 *     are IntPtr*); core_logmel_options_t,
 *     core_vad_options_t and core_audio_info_t are the internal
 *     NativeLogMelOptions, NativeVadOptions and NativeAudioInfo, and
 *     core_segment_t is the public LibCore.Segment (layouts checked by a
 *     test). The enums are LogMelMode, VadPreset and AudioFormat (the C
 *     structs hold them as int). (core_segment_t *out, size_t cap) is a
 *     Span<Segment>; the clips and outputs of compute_batch are float**
 *     built by the public layer from pinned arrays. The needed-size
 *     protocol is a status, not an exception, for core_logmel_filters,
 *     core_logmel_compute_batch, core_vad_segments and core_audio_read
 *     (BUFFER_TOO_SMALL); core_vad_next_segment and core_vad_open_segment
 *     return EMPTY as a status (no segment is an answer).
 * 12. pipeline.h: core_pipeline_t* and core_batcher_t* are IntPtrs owned by
 *     the SafeHandles of the public Pipeline and Batcher; the options, event
 *     and stats structs are internal Native* structs (layouts checked by a
 *     test; no C callbacks: the encoder goes through NEEDS_ENCODING events
 *     and submit_embedding); next_event, batcher_next and
 *     batcher_next_deadline return EMPTY as a status.
 */

%pragma(csharp) moduleclassmodifiers="internal static unsafe class"
%pragma(csharp) imclassclassmodifiers="internal unsafe class"

/* ---- 5. size_t and enums ------------------------------------------------------ */

%apply unsigned long long { size_t };

%rename(CoreStatus) core_status;
%rename(NanPolicy) core_nan_policy;
%typemap(csclassmodifiers) enum core_status %{
/// <summary>The status of a libcore call (core_status). Values are pinned by the
/// C ABI; new ones are appended. Carried by <see cref="CoreException"/>.</summary>
public enum%}
%typemap(csclassmodifiers) enum core_nan_policy %{
/// <summary>What a reduction does with NaN inputs (core_nan_policy).</summary>
public enum%}

/* C# names for the enum values; each gets a doc comment, which rides in
 * the value's attribute slot. */
%rename(Ok) CORE_OK;
%rename(InvalidArgument) CORE_E_INVALID_ARGUMENT;
%rename(OutOfMemory) CORE_E_OUT_OF_MEMORY;
%rename(BufferTooSmall) CORE_E_BUFFER_TOO_SMALL;
%rename(Full) CORE_E_FULL;
%rename(Empty) CORE_E_EMPTY;
%rename(NotFound) CORE_E_NOT_FOUND;
%rename(Io) CORE_E_IO;
%rename(Format) CORE_E_FORMAT;
%rename(Unsupported) CORE_E_UNSUPPORTED;
%rename(Unavailable) CORE_E_UNAVAILABLE;
%rename(Internal) CORE_E_INTERNAL;
%rename(Propagate) CORE_NAN_PROPAGATE;
%rename(Omit) CORE_NAN_OMIT;
%csattributes CORE_OK "/// <summary>Success (CORE_OK).</summary>";
%csattributes CORE_E_INVALID_ARGUMENT "/// <summary>A NULL pointer, bad size, NaN option or bad enum value (CORE_E_INVALID_ARGUMENT).</summary>";
%csattributes CORE_E_OUT_OF_MEMORY "/// <summary>An allocation failed (CORE_E_OUT_OF_MEMORY).</summary>";
%csattributes CORE_E_BUFFER_TOO_SMALL "/// <summary>An output buffer was too small (CORE_E_BUFFER_TOO_SMALL).</summary>";
%csattributes CORE_E_FULL "/// <summary>A container is full (CORE_E_FULL).</summary>";
%csattributes CORE_E_EMPTY "/// <summary>An operation that needs data got none (CORE_E_EMPTY).</summary>";
%csattributes CORE_E_NOT_FOUND "/// <summary>Not found (CORE_E_NOT_FOUND).</summary>";
%csattributes CORE_E_IO "/// <summary>An I/O error (CORE_E_IO).</summary>";
%csattributes CORE_E_FORMAT "/// <summary>Malformed data (CORE_E_FORMAT).</summary>";
%csattributes CORE_E_UNSUPPORTED "/// <summary>Not supported by this build (CORE_E_UNSUPPORTED).</summary>";
%csattributes CORE_E_UNAVAILABLE "/// <summary>A resource is unavailable (CORE_E_UNAVAILABLE).</summary>";
%csattributes CORE_E_INTERNAL "/// <summary>An internal error (CORE_E_INTERNAL).</summary>";
%csattributes CORE_NAN_PROPAGATE "/// <summary>A NaN makes the result NaN, as np.mean and np.std (CORE_NAN_PROPAGATE).</summary>";
%csattributes CORE_NAN_OMIT "/// <summary>NaNs are skipped and counted, as np.nanmean and np.nanstd (CORE_NAN_OMIT).</summary>";

/* ---- 1. (pointer, length) pairs -> spans ------------------------------------- */

%{
/* A span as it crosses P/Invoke: pinned address and element count. */
typedef struct core_cs_span {
  void *data;
  uint64_t length;
} core_cs_span;
%}

%pragma(csharp) imclasscode=%{
  /// <summary>A pinned span as passed by value to the wrapper (core_cs_span).</summary>
  [global::System.Runtime.InteropServices.StructLayout(global::System.Runtime.InteropServices.LayoutKind.Sequential)]
  internal readonly struct NativeSpan {
    internal readonly void* Data;
    internal readonly ulong Length;
    internal NativeSpan(void* data, int length) { Data = data; Length = (ulong)length; }
  }
%}

%define CORE_CS_SPAN_PAIR(CTYPE, CSTYPE, SPANTYPE)
%typemap(ctype) (CTYPE *SPAN_PTR, size_t SPAN_LEN) "core_cs_span"
%typemap(imtype) (CTYPE *SPAN_PTR, size_t SPAN_LEN) "NativeSpan"
%typemap(cstype) (CTYPE *SPAN_PTR, size_t SPAN_LEN) "global::System.SPANTYPE<CSTYPE>"
%typemap(csin, pre="    fixed (CSTYPE* swig_ptr_$csinput = $csinput) {", terminator="    }")
  (CTYPE *SPAN_PTR, size_t SPAN_LEN)
  "new CoreNativePINVOKE.NativeSpan(swig_ptr_$csinput, $csinput.Length)"
%typemap(in) (CTYPE *SPAN_PTR, size_t SPAN_LEN)
  %{ $1 = ($1_ltype)$input.data; $2 = (size_t)$input.length; %}
%typemap(freearg) (CTYPE *SPAN_PTR, size_t SPAN_LEN) ""
%typemap(argout) (CTYPE *SPAN_PTR, size_t SPAN_LEN) ""
%enddef

CORE_CS_SPAN_PAIR(const float, float, ReadOnlySpan)
CORE_CS_SPAN_PAIR(const double, double, ReadOnlySpan)
CORE_CS_SPAN_PAIR(const int16_t, short, ReadOnlySpan)
CORE_CS_SPAN_PAIR(const size_t, ulong, ReadOnlySpan)
CORE_CS_SPAN_PAIR(float, float, Span)
CORE_CS_SPAN_PAIR(double, double, Span)

%apply (const float *SPAN_PTR, size_t SPAN_LEN) { (const float *x, size_t n), (const float *in, size_t n) };
%apply (const double *SPAN_PTR, size_t SPAN_LEN) { (const double *x, size_t n), (const double *in, size_t n) };
%apply (const int16_t *SPAN_PTR, size_t SPAN_LEN) { (const int16_t *in, size_t n), (const int16_t *pcm, size_t n) };
%apply (const size_t *SPAN_PTR, size_t SPAN_LEN) { (const size_t *lens, size_t count) };
%apply (float *SPAN_PTR, size_t SPAN_LEN) {
  (float *x, size_t n), (float *out, size_t n), (float *out, size_t cap),
  (float *scratch, size_t scratch_cap) };
%apply (double *SPAN_PTR, size_t SPAN_LEN) {
  (double *x, size_t n), (double *out, size_t n), (double *out, size_t cap),
  (double *scratch, size_t scratch_cap) };

/* ---- 2. other pointers -> raw unmanaged pointers ------------------------------ */

%define CORE_CS_POINTER(CTYPE, CSTYPE)
%typemap(ctype) CTYPE * "CTYPE *"
%typemap(imtype) CTYPE * "CSTYPE*"
%typemap(cstype) CTYPE * "CSTYPE*"
%typemap(csin) CTYPE * "$csinput"
%typemap(in) CTYPE * %{ $1 = ($1_ltype)$input; %}
%typemap(freearg) CTYPE * ""
%typemap(argout) CTYPE * ""
%enddef

CORE_CS_POINTER(float, float)
CORE_CS_POINTER(const float, float)
CORE_CS_POINTER(double, double)
CORE_CS_POINTER(const double, double)
CORE_CS_POINTER(int16_t, short)
CORE_CS_POINTER(size_t, ulong)
CORE_CS_POINTER(core_stats_t, Stats)
CORE_CS_POINTER(const core_stats_t, Stats)
CORE_CS_POINTER(struct core_stats_t, Stats)
CORE_CS_POINTER(const struct core_stats_t, Stats)
CORE_CS_POINTER(const float *, float*)
CORE_CS_POINTER(const float *const, float*)
CORE_CS_POINTER(const double *const, double*)

/* ---- 3. core_stats_t is LibCore.Stats ------------------------------------------ */

%ignore core_stats_t;

/* ---- 4. core_status -> CoreException -------------------------------------------- */

%{
/* Set by the managed side once (CoreNativePINVOKE's static constructor):
 * makes a pending LibCore.CoreException from a status and a message. */
typedef void (SWIGSTDCALL *core_cs_error_callback)(int status, const char *name,
                                                    const char *message);
static core_cs_error_callback core_cs_on_error = 0;

#ifdef __cplusplus
extern "C"
#endif
SWIGEXPORT void SWIGSTDCALL CoreCSharp_RegisterErrorCallback(core_cs_error_callback cb) {
  core_cs_on_error = cb;
}

/* Called in the wrapper right after a libcore call returned `status` !=
 * CORE_OK, on the same thread, before anything else can touch the
 * thread-local message. */
static void core_cs_raise(core_status status) {
  const char *name = core_status_str(status);
  const char *msg = core_last_error_message(); /* borrowed: read it last */
  if (!msg) msg = "";
  if (core_cs_on_error)
    core_cs_on_error((int)status, name, msg);
  else
    SWIG_CSharpSetPendingException(SWIG_CSharpApplicationException, msg);
}
%}

%pragma(csharp) imclasscode=%{
  /// <summary>Receives a failed status and libcore's message from the wrapper.</summary>
  internal sealed class CoreErrorHelper {
    [global::System.Runtime.InteropServices.UnmanagedFunctionPointer(global::System.Runtime.InteropServices.CallingConvention.Cdecl)]
    internal delegate void ErrorDelegate(int status,
        [global::System.Runtime.InteropServices.MarshalAs(global::System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string name,
        [global::System.Runtime.InteropServices.MarshalAs(global::System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string message);

    static readonly ErrorDelegate errorDelegate = new ErrorDelegate(SetPendingCoreException);

    [global::System.Runtime.InteropServices.DllImport("core_csharp", EntryPoint="CoreCSharp_RegisterErrorCallback")]
    static extern void CoreCSharp_RegisterErrorCallback(ErrorDelegate cb);

    static void SetPendingCoreException(int status, string name, string message) {
      SWIGPendingException.Set(new CoreException((CoreStatus)status, message, name));
    }

    static CoreErrorHelper() { CoreCSharp_RegisterErrorCallback(errorDelegate); }
  }
  static readonly CoreErrorHelper coreErrorHelper = new CoreErrorHelper();
%}

%typemap(cstype, out="void") core_status "CoreStatus"
%typemap(out, canthrow=1) core_status %{
  $result = (int)$1;
  if ($1 != CORE_OK) core_cs_raise($1);
%}
%typemap(csout, excode=SWIGEXCODE) core_status {
    NativeLibraryLoader.EnsureLoaded();
    $imcall;$excode
  }

/* ---- 6. load the native library with a clear error first ------------------------ */

%typemap(csout, excode=SWIGEXCODE) int {
    NativeLibraryLoader.EnsureLoaded();
    int ret = $imcall;$excode
    return ret;
  }
%typemap(csout, excode=SWIGEXCODE) unsigned int {
    NativeLibraryLoader.EnsureLoaded();
    uint ret = $imcall;$excode
    return ret;
  }
%typemap(csout, excode=SWIGEXCODE) char * {
    NativeLibraryLoader.EnsureLoaded();
    string ret = $imcall;$excode
    return ret;
  }

/* ---- 7. batch (batch.h): the accumulator is an opaque byte block ----------------- */

/* core_stats_acc_t is plain caller-owned data (~21 KiB) whose fields are
 * private: no proxy class. The public StatsAccumulator keeps it in a pinned
 * managed buffer of CoreCSharp_StatsAccSize() bytes (the size this wrapper
 * was compiled with) and passes its address as void*. */
%ignore core_stats_acc_t;
%ignore core_stats_acc_node_t;
%ignore core_stats_acc_t_pending;
%ignore core_stats_acc_t::ref;  /* C# keywords: silences SWIG's renaming warning */
%ignore core_stats_acc_t::base;
CORE_CS_POINTER(core_stats_acc_t, void)
CORE_CS_POINTER(const core_stats_acc_t, void)

/* ---- 8. ring (ring.h): a handle, an options struct, two enums -------------------- */

/* core_ring_t* is an IntPtr owned by the public RingBuffer's SafeHandle.
 * core_ring_options_t is the internal blittable struct NativeRingOptions
 * (same layout, checked by a test); no SWIG proxy classes. */
%ignore core_ring_options_t;
%typemap(ctype) core_ring_t *, const core_ring_t * "core_ring_t *"
%typemap(imtype) core_ring_t *, const core_ring_t * "global::System.IntPtr"
%typemap(cstype) core_ring_t *, const core_ring_t * "global::System.IntPtr"
%typemap(csin) core_ring_t *, const core_ring_t * "$csinput"
%typemap(in) core_ring_t *, const core_ring_t * %{ $1 = ($1_ltype)$input; %}
%typemap(freearg) core_ring_t *, const core_ring_t * ""
%typemap(argout) core_ring_t *, const core_ring_t * ""
CORE_CS_POINTER(core_ring_t *, global::System.IntPtr)
CORE_CS_POINTER(core_ring_options_t, NativeRingOptions)
CORE_CS_POINTER(const core_ring_options_t, NativeRingOptions)

%rename(RingPolicy) core_ring_policy;
%rename(RingMirror) core_ring_mirror;
%typemap(csclassmodifiers) enum core_ring_policy %{
/// <summary>What <see cref="RingBuffer.Append(System.ReadOnlySpan{float})"/> does when the
/// samples do not fit (core_ring_policy). Values are pinned by the C ABI.</summary>
public enum%}
%typemap(csclassmodifiers) enum core_ring_mirror %{
/// <summary>Whether a <see cref="RingBuffer"/>'s storage is mapped twice back to back so
/// every readable span is contiguous (core_ring_mirror). Values are pinned by the C ABI.</summary>
public enum%}
%rename(Reject) CORE_RING_REJECT;
%rename(Overwrite) CORE_RING_OVERWRITE;
%rename(Off) CORE_RING_MIRROR_OFF;
%rename(On) CORE_RING_MIRROR_ON;
%rename(Require) CORE_RING_MIRROR_REQUIRE;
%csattributes CORE_RING_REJECT "/// <summary>An append that does not fit writes nothing and throws CoreException(Full); the caller keeps its data (CORE_RING_REJECT).</summary>";
%csattributes CORE_RING_OVERWRITE "/// <summary>An append always succeeds; the oldest samples make room and are counted in RingBuffer.Dropped (CORE_RING_OVERWRITE).</summary>";
%csattributes CORE_RING_MIRROR_OFF "/// <summary>A plain buffer: RingBuffer.Peek may see two spans (CORE_RING_MIRROR_OFF).</summary>";
%csattributes CORE_RING_MIRROR_ON "/// <summary>Mirrored when the system allows, else silently plain; see RingBuffer.IsMirrored (CORE_RING_MIRROR_ON).</summary>";
%csattributes CORE_RING_MIRROR_REQUIRE "/// <summary>Mirrored, or the constructor throws CoreException(Unsupported) (CORE_RING_MIRROR_REQUIRE).</summary>";

/* The waits report a timeout as a status, not an exception: a timeout is an
 * expected answer (RingBuffer.WaitReadable/WaitWritable return false), and a
 * polling caller must not pay for an exception each time. Any other failure
 * still raises. These typemaps match by function name. */
%define CORE_CS_STATUS_RESULT(FUNC, EXPECTED)
%typemap(cstype, out="CoreStatus") core_status FUNC "CoreStatus"
%typemap(out, canthrow=1) core_status FUNC %{
  $result = (int)$1;
  if ($1 != CORE_OK && $1 != EXPECTED) core_cs_raise($1);
%}
%typemap(csout, excode=SWIGEXCODE) core_status FUNC {
    NativeLibraryLoader.EnsureLoaded();
    CoreStatus ret = (CoreStatus)$imcall;$excode
    return ret;
  }
%enddef
CORE_CS_STATUS_RESULT(core_ring_wait_readable, CORE_E_EMPTY)
CORE_CS_STATUS_RESULT(core_ring_wait_writable, CORE_E_FULL)

%typemap(csout, excode=SWIGEXCODE) unsigned long long {
    NativeLibraryLoader.EnsureLoaded();
    ulong ret = $imcall;$excode
    return ret;
  }
%typemap(csout, excode=SWIGEXCODE) core_ring_policy {
    NativeLibraryLoader.EnsureLoaded();
    RingPolicy ret = (RingPolicy)$imcall;$excode
    return ret;
  }

/* ---- 9. cache (cache.h): a handle, keys, options, stats, a callback ------------ */

/* core_cache_t* is an IntPtr owned by the public EncoderCache's SafeHandle;
 * core_cache_writer_t* is an IntPtr valid during one compute callback. */
%ignore core_key_t;
%ignore core_cache_options_t;
%ignore core_cache_stats_t;
%define CORE_CS_INTPTR(CTYPE)
%typemap(ctype) CTYPE "CTYPE"
%typemap(imtype) CTYPE "global::System.IntPtr"
%typemap(cstype) CTYPE "global::System.IntPtr"
%typemap(csin) CTYPE "$csinput"
%typemap(in) CTYPE %{ $1 = ($1_ltype)$input; %}
%typemap(freearg) CTYPE ""
%typemap(argout) CTYPE ""
%enddef
CORE_CS_INTPTR(core_cache_t *)
CORE_CS_INTPTR(const core_cache_t *)
CORE_CS_INTPTR(core_cache_writer_t *)
CORE_CS_INTPTR(core_cache_compute_fn)
/* the `user` of get_or_compute only (no other void * is wrapped) */
%typemap(ctype) void *user "void *"
%typemap(imtype) void *user "global::System.IntPtr"
%typemap(cstype) void *user "global::System.IntPtr"
%typemap(csin) void *user "$csinput"
%typemap(in) void *user %{ $1 = $input; %}
CORE_CS_POINTER(core_cache_t *, global::System.IntPtr)
CORE_CS_POINTER(core_key_t, CacheKey)
CORE_CS_POINTER(const core_key_t, CacheKey)
CORE_CS_POINTER(core_cache_options_t, NativeCacheOptions)
CORE_CS_POINTER(const core_cache_options_t, NativeCacheOptions)
CORE_CS_POINTER(core_cache_stats_t, NativeCacheStats)
CORE_CS_POINTER(int, int)

CORE_CS_SPAN_PAIR(const void, byte, ReadOnlySpan)
%apply (const void *SPAN_PTR, size_t SPAN_LEN) { (const void *data, size_t len) };
%apply (const float *SPAN_PTR, size_t SPAN_LEN) {
  (const float *samples, size_t n), (const float *data, size_t n) };
%apply (const size_t *SPAN_PTR, size_t SPAN_LEN) { (const size_t *shape, size_t ndim) };

/* A miss and a too-small buffer are answers of a lookup, not errors. */
%define CORE_CS_STATUS_RESULT2(FUNC, EXPECTED1, EXPECTED2)
%typemap(cstype, out="CoreStatus") core_status FUNC "CoreStatus"
%typemap(out, canthrow=1) core_status FUNC %{
  $result = (int)$1;
  if ($1 != CORE_OK && $1 != EXPECTED1 && $1 != EXPECTED2) core_cs_raise($1);
%}
%typemap(csout, excode=SWIGEXCODE) core_status FUNC {
    NativeLibraryLoader.EnsureLoaded();
    CoreStatus ret = (CoreStatus)$imcall;$excode
    return ret;
  }
%enddef
CORE_CS_STATUS_RESULT2(core_cache_get, CORE_E_NOT_FOUND, CORE_E_BUFFER_TOO_SMALL)
CORE_CS_STATUS_RESULT(core_cache_get_or_compute, CORE_E_BUFFER_TOO_SMALL)
CORE_CS_STATUS_RESULT(core_cache_remove, CORE_E_NOT_FOUND)

/* ---- 10. metrics (metrics.h): two handles, three structs, two enums ------------ */

%ignore core_metrics_options_t;
%ignore core_timer_stats_t;
%ignore core_metric_label_t;
CORE_CS_INTPTR(core_metrics_t *)
CORE_CS_INTPTR(const core_metrics_t *)
CORE_CS_INTPTR(core_metrics_snapshot_t *)
CORE_CS_INTPTR(const core_metrics_snapshot_t *)
CORE_CS_POINTER(core_metrics_t *, global::System.IntPtr)
CORE_CS_POINTER(core_metrics_snapshot_t *, global::System.IntPtr)
CORE_CS_POINTER(core_metrics_options_t, NativeMetricsOptions)
CORE_CS_POINTER(const core_metrics_options_t, NativeMetricsOptions)
CORE_CS_POINTER(core_timer_stats_t, NativeTimerStats)
CORE_CS_POINTER(const core_metric_label_t, NativeMetricLabel)
CORE_CS_POINTER(core_metric_id_t, uint)
CORE_CS_POINTER(uint64_t, ulong)
CORE_CS_POINTER(core_metric_kind, MetricKind)

CORE_CS_SPAN_PAIR(char, byte, Span)
%apply (char *SPAN_PTR, size_t SPAN_LEN) { (char *buf, size_t cap) };

%rename(MetricKind) core_metric_kind;
%rename(MetricsFormat) core_metrics_format;
%typemap(csclassmodifiers) enum core_metric_kind %{
/// <summary>The kind of a metric in a <see cref="Metrics"/> registry (core_metric_kind).
/// Values are pinned by the C ABI.</summary>
public enum%}
%typemap(csclassmodifiers) enum core_metrics_format %{
/// <summary>A text format of <see cref="Metrics.Export"/> (core_metrics_format).
/// Values are pinned by the C ABI.</summary>
public enum%}
%rename(Timer) CORE_METRIC_TIMER;
%rename(Counter) CORE_METRIC_COUNTER;
%rename(Gauge) CORE_METRIC_GAUGE;
%rename(Prometheus) CORE_METRICS_PROMETHEUS;
%rename(Json) CORE_METRICS_JSON;
%rename(Table) CORE_METRICS_TABLE;
%csattributes CORE_METRIC_TIMER "/// <summary>A latency histogram in nanoseconds (CORE_METRIC_TIMER).</summary>";
%csattributes CORE_METRIC_COUNTER "/// <summary>A monotonic 64-bit counter (CORE_METRIC_COUNTER).</summary>";
%csattributes CORE_METRIC_GAUGE "/// <summary>A double that can go up and down (CORE_METRIC_GAUGE).</summary>";
%csattributes CORE_METRICS_PROMETHEUS "/// <summary>Prometheus text exposition format 0.0.4; timers in seconds (CORE_METRICS_PROMETHEUS).</summary>";
%csattributes CORE_METRICS_JSON "/// <summary>One JSON object with timers, counters and gauges; times in ns (CORE_METRICS_JSON).</summary>";
%csattributes CORE_METRICS_TABLE "/// <summary>A fixed-width human-readable table (CORE_METRICS_TABLE).</summary>";

CORE_CS_STATUS_RESULT(core_metrics_export, CORE_E_BUFFER_TOO_SMALL)
CORE_CS_STATUS_RESULT(core_metrics_snapshot_export, CORE_E_BUFFER_TOO_SMALL)
CORE_CS_STATUS_RESULT(core_metrics_percentile, CORE_E_EMPTY)
CORE_CS_STATUS_RESULT(core_metrics_snapshot_percentile, CORE_E_EMPTY)

/* ---- 11. audio (audio.h): three handles, four structs, three enums ------------- */

%ignore core_logmel_options_t;
%ignore core_vad_options_t;
%ignore core_segment_t;
%ignore core_audio_info_t;
CORE_CS_INTPTR(core_logmel_t *)
CORE_CS_INTPTR(const core_logmel_t *)
CORE_CS_INTPTR(core_logmel_stream_t *)
CORE_CS_INTPTR(const core_logmel_stream_t *)
CORE_CS_INTPTR(core_vad_t *)
CORE_CS_INTPTR(const core_vad_t *)
CORE_CS_POINTER(core_logmel_t *, global::System.IntPtr)
CORE_CS_POINTER(core_logmel_stream_t *, global::System.IntPtr)
CORE_CS_POINTER(core_vad_t *, global::System.IntPtr)
/* the chunked reader: an IntPtr owned by AudioReader's SafeHandle; the
 * counts of core_audio_reader_length are ulong* (uint64_t above) */
CORE_CS_INTPTR(core_audio_reader_t *)
CORE_CS_INTPTR(const core_audio_reader_t *)
CORE_CS_POINTER(core_audio_reader_t *, global::System.IntPtr)
CORE_CS_POINTER(core_logmel_options_t, NativeLogMelOptions)
CORE_CS_POINTER(const core_logmel_options_t, NativeLogMelOptions)
CORE_CS_POINTER(core_vad_options_t, NativeVadOptions)
CORE_CS_POINTER(const core_vad_options_t, NativeVadOptions)
CORE_CS_POINTER(core_segment_t, Segment)
CORE_CS_POINTER(core_audio_info_t, NativeAudioInfo)
CORE_CS_POINTER(float *const, float*)
CORE_CS_POINTER(const size_t, ulong)

/* core_vad_segments' output; the pair typemap wins over core_segment_t * */
CORE_CS_SPAN_PAIR(core_segment_t, Segment, Span)
%apply (core_segment_t *SPAN_PTR, size_t SPAN_LEN) { (core_segment_t *out, size_t cap) };

%rename(LogMelMode) core_logmel_mode;
%rename(VadPreset) core_vad_preset;
%rename(AudioFormat) core_audio_format;
%typemap(csclassmodifiers) enum core_logmel_mode %{
/// <summary>What <see cref="LogMel"/> does after log10(max(mel power, 1e-10))
/// (core_logmel_mode). Values are pinned by the C ABI.</summary>
public enum%}
%typemap(csclassmodifiers) enum core_vad_preset %{
/// <summary>Starting points for <see cref="VadOptions"/> (core_vad_preset). Values are
/// pinned by the C ABI.</summary>
public enum%}
%typemap(csclassmodifiers) enum core_audio_format %{
/// <summary>The container format of an audio file (core_audio_format), as
/// <see cref="AudioFile.Info"/> reports it. Values are pinned by the C ABI.</summary>
public enum%}
%rename(Whisper) CORE_LOGMEL_WHISPER;
%rename(Log10) CORE_LOGMEL_LOG10;
%rename(Default) CORE_VAD_PRESET_DEFAULT;
%rename(Transcribe) CORE_VAD_PRESET_TRANSCRIBE;
%rename(Aggressive) CORE_VAD_PRESET_AGGRESSIVE;
%rename(Other) CORE_AUDIO_FORMAT_OTHER;
%rename(Wav) CORE_AUDIO_FORMAT_WAV;
%rename(Flac) CORE_AUDIO_FORMAT_FLAC;
%rename(Ogg) CORE_AUDIO_FORMAT_OGG;
%csattributes CORE_LOGMEL_WHISPER "/// <summary>openai/whisper's log_mel_spectrogram: every value clamped to at least (maximum - 8), then (x + 4) / 4 (CORE_LOGMEL_WHISPER).</summary>";
%csattributes CORE_LOGMEL_LOG10 "/// <summary>log10 of the mel power with the 1e-10 floor, nothing else: each frame depends only on its own samples (CORE_LOGMEL_LOG10).</summary>";
%csattributes CORE_VAD_PRESET_DEFAULT "/// <summary>Silero VAD's defaults: threshold 0.5, min speech 250 ms, min silence 100 ms, pad 30 ms (CORE_VAD_PRESET_DEFAULT).</summary>";
%csattributes CORE_VAD_PRESET_TRANSCRIBE "/// <summary>Long segments for transcription (faster-whisper's VadOptions): short pauses do not split, generous padding (CORE_VAD_PRESET_TRANSCRIBE).</summary>";
%csattributes CORE_VAD_PRESET_AGGRESSIVE "/// <summary>Noisy rooms: a higher threshold and longer minimum speech (CORE_VAD_PRESET_AGGRESSIVE).</summary>";
%csattributes CORE_AUDIO_FORMAT_OTHER "/// <summary>Another format libsndfile reads (CORE_AUDIO_FORMAT_OTHER).</summary>";
%csattributes CORE_AUDIO_FORMAT_WAV "/// <summary>RIFF WAVE, WAVE_FORMAT_EXTENSIBLE or RF64 (CORE_AUDIO_FORMAT_WAV).</summary>";
%csattributes CORE_AUDIO_FORMAT_FLAC "/// <summary>FLAC (CORE_AUDIO_FORMAT_FLAC).</summary>";
%csattributes CORE_AUDIO_FORMAT_OGG "/// <summary>Ogg, e.g. Vorbis (CORE_AUDIO_FORMAT_OGG).</summary>";

/* Answers, not errors: the needed-size protocol and "no segment". */
CORE_CS_STATUS_RESULT(core_logmel_filters, CORE_E_BUFFER_TOO_SMALL)
CORE_CS_STATUS_RESULT(core_logmel_compute_batch, CORE_E_BUFFER_TOO_SMALL)
CORE_CS_STATUS_RESULT(core_vad_segments, CORE_E_BUFFER_TOO_SMALL)
CORE_CS_STATUS_RESULT(core_audio_read, CORE_E_BUFFER_TOO_SMALL)
CORE_CS_STATUS_RESULT(core_vad_next_segment, CORE_E_EMPTY)
CORE_CS_STATUS_RESULT(core_vad_open_segment, CORE_E_EMPTY)

/* Sizes this wrapper was compiled with, for the layout checks of the public
 * layer (not part of the whitelist: helpers of the wrapper itself). */
%{
#ifdef __cplusplus
extern "C"
#endif
SWIGEXPORT uint64_t SWIGSTDCALL CoreCSharp_SizeOf(int what) {
  switch (what) {
  case 0: return sizeof(core_stats_acc_t);
  case 1: return sizeof(core_ring_options_t);
  case 2: return sizeof(core_stats_t);
  case 3: return sizeof(core_cache_options_t);
  case 4: return sizeof(core_cache_stats_t);
  case 5: return sizeof(core_key_t);
  case 6: return sizeof(core_metrics_options_t);
  case 7: return sizeof(core_timer_stats_t);
  case 8: return sizeof(core_metric_label_t);
  case 9: return sizeof(core_logmel_options_t);
  case 10: return sizeof(core_vad_options_t);
  case 11: return sizeof(core_segment_t);
  case 12: return sizeof(core_audio_info_t);
  default: return 0;
  }
}
%}

%pragma(csharp) imclasscode=%{
  /// <summary>sizeof of a libcore type as this wrapper was compiled:
  /// 0 core_stats_acc_t, 1 core_ring_options_t, 2 core_stats_t,
  /// 3 core_cache_options_t, 4 core_cache_stats_t, 5 core_key_t,
  /// 6 core_metrics_options_t, 7 core_timer_stats_t, 8 core_metric_label_t,
  /// 9 core_logmel_options_t, 10 core_vad_options_t, 11 core_segment_t,
  /// 12 core_audio_info_t.</summary>
  [global::System.Runtime.InteropServices.DllImport("core_csharp", EntryPoint="CoreCSharp_SizeOf")]
  internal static extern ulong CoreCSharp_SizeOf(int what);
%}

/* ---- 12. pipeline (pipeline.h): two handles, four structs, an enum ------------- */

/* core_pipeline_t* and core_batcher_t* are IntPtrs owned by the SafeHandles of
 * the public Pipeline and Batcher (their ** outputs are IntPtr*);
 * core_pipeline_options_t, core_batcher_options_t, core_event_t and
 * core_pipeline_stats_t are the internal NativePipelineOptions,
 * NativeBatcherOptions, NativeEvent and NativePipelineStats (layouts checked
 * by a test; the clock and encoder callbacks stay NULL: the binding encodes
 * through CORE_EVENT_NEEDS_ENCODING + core_pipeline_submit_embedding). The
 * enum is PipelineEventKind. (uint64_t *ids, size_t cap) of core_batcher_next
 * is a Span<ulong>; the embedding of submit_embedding a ReadOnlySpan<float>.
 * "Nothing ready" is an answer, not an exception: core_pipeline_next_event,
 * core_batcher_next and core_batcher_next_deadline return EMPTY as a status.
 * core_pipeline_metrics returns the borrowed registry as an IntPtr. */
%ignore core_batcher_options_t;
%ignore core_pipeline_options_t;
%ignore core_event_t;
%ignore core_pipeline_stats_t;
CORE_CS_INTPTR(core_pipeline_t *)
CORE_CS_INTPTR(const core_pipeline_t *)
CORE_CS_INTPTR(core_batcher_t *)
CORE_CS_INTPTR(const core_batcher_t *)
CORE_CS_POINTER(core_pipeline_t *, global::System.IntPtr)
CORE_CS_POINTER(core_batcher_t *, global::System.IntPtr)
CORE_CS_POINTER(core_pipeline_options_t, NativePipelineOptions)
CORE_CS_POINTER(const core_pipeline_options_t, NativePipelineOptions)
CORE_CS_POINTER(core_batcher_options_t, NativeBatcherOptions)
CORE_CS_POINTER(const core_batcher_options_t, NativeBatcherOptions)
CORE_CS_POINTER(core_event_t, NativeEvent)
CORE_CS_POINTER(core_pipeline_stats_t, NativePipelineStats)

CORE_CS_SPAN_PAIR(uint64_t, ulong, Span)
%apply (uint64_t *SPAN_PTR, size_t SPAN_LEN) { (uint64_t *ids, size_t cap) };
%apply (const int16_t *SPAN_PTR, size_t SPAN_LEN) { (const int16_t *x, size_t n) };
%apply (const float *SPAN_PTR, size_t SPAN_LEN) { (const float *embedding, size_t dim) };

%typemap(out) core_metrics_t *core_pipeline_metrics %{ $result = (core_metrics_t *)$1; %}
%typemap(csout, excode=SWIGEXCODE) core_metrics_t *core_pipeline_metrics {
    NativeLibraryLoader.EnsureLoaded();
    global::System.IntPtr ret = $imcall;$excode
    return ret;
  }

%rename(PipelineEventKind) core_event_kind;
%typemap(csclassmodifiers) enum core_event_kind %{
/// <summary>What a <see cref="PipelineEvent"/> reports (core_event_kind). Values are
/// pinned by the C ABI.</summary>
public enum%}
%rename(SpeechStart) CORE_EVENT_SPEECH_START;
%rename(SpeechEnd) CORE_EVENT_SPEECH_END;
%rename(Window) CORE_EVENT_WINDOW;
%rename(NeedsEncoding) CORE_EVENT_NEEDS_ENCODING;
%rename(EncoderError) CORE_EVENT_ENCODER_ERROR;
%rename(End) CORE_EVENT_END;
%csattributes CORE_EVENT_SPEECH_START "/// <summary>Speech began at Start (padding included); its windows follow (CORE_EVENT_SPEECH_START).</summary>";
%csattributes CORE_EVENT_SPEECH_END "/// <summary>The final segment [Start, End), after its windows (CORE_EVENT_SPEECH_END).</summary>";
%csattributes CORE_EVENT_WINDOW "/// <summary>A window [Start, End) with its features and embedding (CORE_EVENT_WINDOW).</summary>";
%csattributes CORE_EVENT_NEEDS_ENCODING "/// <summary>A window's features, waiting for Pipeline.SubmitEmbedding (pipelines without an encoder; CORE_EVENT_NEEDS_ENCODING).</summary>";
%csattributes CORE_EVENT_ENCODER_ERROR "/// <summary>The encoder failed this window; Status says how (CORE_EVENT_ENCODER_ERROR).</summary>";
%csattributes CORE_EVENT_END "/// <summary>After Flush: everything has been delivered; Start is the samples analysed (CORE_EVENT_END).</summary>";

CORE_CS_STATUS_RESULT(core_pipeline_next_event, CORE_E_EMPTY)
CORE_CS_STATUS_RESULT(core_batcher_next, CORE_E_EMPTY)
CORE_CS_STATUS_RESULT(core_batcher_next_deadline, CORE_E_EMPTY)

%{
#ifdef __cplusplus
extern "C"
#endif
SWIGEXPORT uint64_t SWIGSTDCALL CoreCSharp_PipelineSizeOf(int what) {
  switch (what) {
  case 0: return sizeof(core_batcher_options_t);
  case 1: return sizeof(core_pipeline_options_t);
  case 2: return sizeof(core_event_t);
  case 3: return sizeof(core_pipeline_stats_t);
  default: return 0;
  }
}
%}

%pragma(csharp) imclasscode=%{
  /// <summary>sizeof of a pipeline.h type as this wrapper was compiled:
  /// 0 core_batcher_options_t, 1 core_pipeline_options_t, 2 core_event_t,
  /// 3 core_pipeline_stats_t.</summary>
  [global::System.Runtime.InteropServices.DllImport("core_csharp", EntryPoint="CoreCSharp_PipelineSizeOf")]
  internal static extern ulong CoreCSharp_PipelineSizeOf(int what);
%}

/* ---- 13. collections (collection.h + bindings/collection_shim.h) ----------------- */

/* core_collection_options_t is the internal NativeCollectionOptions (nested
 * NativeVadOptions / NativeLogMelOptions, the metrics registry an IntPtr;
 * layout checked by a test against CoreCSharp_CollectionSizeOf). The shim's
 * corebind_collection* is an IntPtr that LibCore.Collection.Run creates,
 * uses and frees inside one call (try/finally): it never escapes, so the
 * shim's misuse statuses (add after run, a second run) cannot happen.
 * core_file_summary_t stays C-only (the shim copies what crosses). Strings
 * cross as UTF-8 (SWIG's string marshalling on .NET for Unix). */
%ignore core_collection_options_t;
%ignore core_file_summary_t;
CORE_CS_POINTER(core_collection_options_t, NativeCollectionOptions)
CORE_CS_POINTER(const core_collection_options_t, NativeCollectionOptions)
CORE_CS_INTPTR(corebind_collection *)
CORE_CS_INTPTR(const corebind_collection *)
%typemap(out) corebind_collection *corebind_collection_new %{ $result = (corebind_collection *)$1; %}
%typemap(csout, excode=SWIGEXCODE) corebind_collection *corebind_collection_new {
    NativeLibraryLoader.EnsureLoaded();
    global::System.IntPtr ret = $imcall;$excode
    return ret;
  }

%{
#ifdef __cplusplus
extern "C"
#endif
SWIGEXPORT uint64_t SWIGSTDCALL CoreCSharp_CollectionSizeOf(int what) {
  switch (what) {
  case 0: return sizeof(core_collection_options_t);
  case 1: return offsetof(core_collection_options_t, vad_options);
  case 2: return offsetof(core_collection_options_t, logmel_options);
  case 3: return offsetof(core_collection_options_t, metrics);
  default: return 0;
  }
}
%}

%pragma(csharp) imclasscode=%{
  /// <summary>Layout of core_collection_options_t as this wrapper was compiled:
  /// 0 sizeof, 1 offsetof vad_options, 2 offsetof logmel_options, 3 offsetof
  /// metrics.</summary>
  [global::System.Runtime.InteropServices.DllImport("core_csharp", EntryPoint="CoreCSharp_CollectionSizeOf")]
  internal static extern ulong CoreCSharp_CollectionSizeOf(int what);
%}
