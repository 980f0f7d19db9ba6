using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;

namespace LibCore;

/// <summary>
/// The streaming speech front end (pipeline.h: core_pipeline_t): push audio in chunks of
/// any size; pull events — speech start, windows with their log-mel features and
/// embedding, speech end — as the audio allows. Inside: a ring buffer, the
/// <see cref="Vad"/>, fixed analysis windows (<see cref="PipelineOptions.WindowMs"/> every
/// <see cref="PipelineOptions.HopMs"/>), <see cref="LogMel"/> features per window, and an
/// embedding cache keyed on the window's audio, so repeated audio is never encoded twice.
/// </summary>
/// <remarks>
/// <para><b>Two ways to encode.</b> With an encoder
/// (<see cref="Pipeline(PipelineOptions, Func{float[], int, int, float[]})"/>),
/// <see cref="TryNextEvent"/> calls it synchronously, on the consumer's thread, for each
/// window that misses the cache — (features, nMels, nFrames) → <see cref="PipelineOptions.Dim"/>
/// floats — submits the result and goes on: you see Window events with embeddings.
/// Without one (<see cref="Pipeline(PipelineOptions)"/>), a miss is a
/// <see cref="PipelineEventKind.NeedsEncoding"/> event carrying the features; call
/// <see cref="SubmitEmbedding(ulong, ReadOnlySpan{float})"/> with its <see cref="PipelineEvent.WindowId"/> (now or later,
/// e.g. after batching several), and the window's Window event follows. No C callback
/// crosses the boundary either way.</para>
/// <para><b>Encoder failures.</b> If the encoder throws, or returns null or an array
/// whose length is not Dim, TryNextEvent throws (the encoder's own exception, or an
/// <see cref="InvalidOperationException"/>) and the window stays waiting: the next
/// TryNextEvent calls the encoder on it again first, unless you
/// <see cref="SubmitEmbedding(ulong, ReadOnlySpan{float})"/> it yourself. The encoder must not call this pipeline's
/// consumer methods (that is an <see cref="InvalidOperationException"/>).</para>
/// <para><b>Threads.</b> One producer thread (<see cref="Push(ReadOnlySpan{float})"/>,
/// <see cref="Flush"/>) and one consumer thread (<see cref="TryNextEvent"/>,
/// <see cref="SubmitEmbedding(ulong, ReadOnlySpan{float})"/>), possibly the same; all analysis runs in TryNextEvent,
/// so pushing is cheap and never blocks (an audio callback may push). The binding
/// enforces one thread per side: a second concurrent producer (or consumer) call throws
/// <see cref="InvalidOperationException"/>. <see cref="Stats"/>, <see cref="ExportPrometheus"/>,
/// <see cref="Dispose"/> and <see cref="IsDisposed"/> may be called from any thread.</para>
/// <para><b>Lifetime.</b> A SafeHandle: Dispose is idempotent, waits for calls in flight,
/// and later calls throw <see cref="ObjectDisposedException"/>.</para>
/// </remarks>
public sealed class Pipeline : IDisposable
{
    private readonly PipelineHandle _handle;
    private readonly PipelineOptions _options;
    private readonly Func<float[], int, int, float[]>? _encoder;
    private volatile bool _disposed;
    private int _producerBusy, _consumerBusy;
    private int _exportHint;
    private long _encoderCalls, _encoderErrors;
    // A window whose encoding failed: encoded again by the next TryNextEvent.
    private (ulong Id, float[] Features, int NMels, int NFrames)? _retry;

    /// <summary>A pipeline without an encoder: windows that miss the cache come as
    /// <see cref="PipelineEventKind.NeedsEncoding"/> events, answered by
    /// <see cref="SubmitEmbedding(ulong, ReadOnlySpan{float})"/> (core_pipeline_create). The options are copied.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or a nested option is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative option.</exception>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> for options
    /// libcore refuses — Dim 0, a window shorter than LogMel.NFft or not a whole number of
    /// samples, a rate the VAD or log-mel refuses (the message names the option);
    /// <see cref="CoreStatus.OutOfMemory"/>.</exception>
    public Pipeline(PipelineOptions options) : this(options, null)
    {
    }

    /// <summary>A pipeline whose windows are embedded by <paramref name="encoder"/>:
    /// (features — mel-major, nMels x nFrames —, nMels, nFrames) → Dim floats, called by
    /// <see cref="TryNextEvent"/> for each window that misses the cache. Null: as
    /// <see cref="Pipeline(PipelineOptions)"/>.</summary>
    /// <inheritdoc cref="Pipeline(PipelineOptions)" path="/exception"/>
    public unsafe Pipeline(PipelineOptions options, Func<float[], int, int, float[]>? encoder)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Clone();
        _encoder = encoder;
        NativePipelineOptions native = _options.ToNative();
        var handle = new PipelineHandle();
        IntPtr prefix = IntPtr.Zero;
        IntPtr p = IntPtr.Zero;
        try
        {
            if (_options.MetricsPrefix is not null)
                prefix = Marshal.StringToCoTaskMemUTF8(_options.MetricsPrefix);
            native.MetricsPrefix = prefix; // copied by libcore
            CoreNative.core_pipeline_create(&native, &p);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        finally
        {
            if (prefix != IntPtr.Zero)
                Marshal.FreeCoTaskMem(prefix);
        }
        handle.Attach(p);
        _handle = handle;
    }

    /// <summary>A copy of the options this pipeline was created with.</summary>
    /// <exception cref="ObjectDisposedException">The pipeline was disposed.</exception>
    public PipelineOptions Options => Alive().Clone();

    /// <summary>Floats per embedding (<see cref="PipelineOptions.Dim"/>).</summary>
    /// <exception cref="ObjectDisposedException">The pipeline was disposed.</exception>
    public int Dim => Alive().Dim;

    /// <summary>The sample rate in Hz (for converting event positions to seconds).</summary>
    /// <exception cref="ObjectDisposedException">The pipeline was disposed.</exception>
    public int SampleRate => Alive().SampleRate;

    /// <summary>Whether <see cref="TryNextEvent"/> encodes windows itself (the pipeline was
    /// created with an encoder).</summary>
    public bool HasEncoder => _encoder is not null;

    /// <summary>Whether <see cref="Dispose"/> was called. Any thread.</summary>
    public bool IsDisposed => _disposed;

    // ---- producer side -------------------------------------------------------------------

    /// <summary>Appends a chunk of any size (core_pipeline_push_f32); read during the call
    /// only. Never blocks: the analysis runs in <see cref="TryNextEvent"/>.</summary>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> after
    /// <see cref="Flush"/>; <see cref="CoreStatus.Full"/> under
    /// <see cref="RingPolicy.Reject"/> when the ring cannot take the chunk (nothing written).</exception>
    /// <exception cref="InvalidOperationException">Another thread is pushing or flushing.</exception>
    /// <exception cref="ObjectDisposedException">The pipeline was disposed.</exception>
    public void Push(ReadOnlySpan<float> samples)
    {
        IntPtr h = Enter(ref _producerBusy, "producer");
        try { CoreNative.core_pipeline_push_f32(h, samples); }
        finally { Exit(ref _producerBusy); }
    }

    /// <inheritdoc cref="Push(ReadOnlySpan{float})"/>
    /// <exception cref="ArgumentNullException"><paramref name="samples"/> is null.</exception>
    public void Push(float[] samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        Push((ReadOnlySpan<float>)samples);
    }

    /// <summary>Appends a chunk of 16-bit PCM, converted as v / 32768
    /// (core_pipeline_push_i16).</summary>
    /// <inheritdoc cref="Push(ReadOnlySpan{float})" path="/exception"/>
    public void Push(ReadOnlySpan<short> samples)
    {
        IntPtr h = Enter(ref _producerBusy, "producer");
        try { CoreNative.core_pipeline_push_i16(h, samples); }
        finally { Exit(ref _producerBusy); }
    }

    /// <inheritdoc cref="Push(ReadOnlySpan{short})"/>
    /// <exception cref="ArgumentNullException"><paramref name="samples"/> is null.</exception>
    public void Push(short[] samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        Push((ReadOnlySpan<short>)samples);
    }

    /// <summary>End of stream (core_pipeline_flush): the next <see cref="TryNextEvent"/>
    /// calls finish the VAD, cut the last windows and deliver everything, then
    /// <see cref="PipelineEventKind.End"/>. Pushes are refused afterwards; a second Flush
    /// does nothing.</summary>
    /// <exception cref="InvalidOperationException">Another thread is pushing or flushing.</exception>
    /// <exception cref="ObjectDisposedException">The pipeline was disposed.</exception>
    public void Flush()
    {
        IntPtr h = Enter(ref _producerBusy, "producer");
        try { CoreNative.core_pipeline_flush(h); }
        finally { Exit(ref _producerBusy); }
    }

    // ---- consumer side -------------------------------------------------------------------

    /// <summary>Runs the analysis the pushed audio allows and takes the next event
    /// (core_pipeline_next_event): true and the event, or false when nothing is ready
    /// (call again after more pushes; after End, always false). With an encoder, windows
    /// needing encoding are encoded here and do not surface as events.</summary>
    /// <exception cref="InvalidOperationException">Another thread is consuming; or the
    /// encoder returned null or not Dim floats (the window is retried next call).</exception>
    /// <exception cref="ObjectDisposedException">The pipeline was disposed.</exception>
    /// <exception cref="Exception">Whatever the encoder threw (the window is retried next call).</exception>
    public unsafe bool TryNextEvent(out PipelineEvent ev)
    {
        IntPtr h = Enter(ref _consumerBusy, "consumer");
        try
        {
            if (_retry is { } r)
                Encode(h, r.Id, r.Features, r.NMels, r.NFrames);
            while (true)
            {
                NativeEvent e;
                if (CoreNative.core_pipeline_next_event(h, &e) != CoreStatus.Ok)
                {
                    ev = null!;
                    return false;
                }
                if (_encoder is not null && e.Kind == (int)PipelineEventKind.NeedsEncoding)
                {
                    PipelineEvent need = PipelineEvent.From(e);
                    Encode(h, need.WindowId, need.Features ?? Array.Empty<float>(), need.NMels, need.NFrames);
                    continue;
                }
                ev = PipelineEvent.From(e);
                return true;
            }
        }
        finally { Exit(ref _consumerBusy); }
    }

    /// <summary>Every event ready now, in order (<see cref="TryNextEvent"/> until it
    /// returns false). Events already taken are never lost: when the encoder fails after
    /// some were taken, they are returned and the failed window is encoded again by the
    /// next call (which throws if the encoder fails again); an exception is thrown only
    /// when no event was taken.</summary>
    /// <inheritdoc cref="TryNextEvent" path="/exception"/>
    public List<PipelineEvent> ReadyEvents()
    {
        var list = new List<PipelineEvent>();
        try
        {
            while (TryNextEvent(out PipelineEvent e))
                list.Add(e);
        }
        catch (Exception) when (list.Count > 0)
        {
            // Return what was taken; the next call retries the failed window.
        }
        return list;
    }

    /// <summary>The embedding of a window announced by a
    /// <see cref="PipelineEventKind.NeedsEncoding"/> event (core_pipeline_submit_embedding):
    /// it goes into the cache and the window's <see cref="PipelineEventKind.Window"/> event
    /// follows. Read during the call only.</summary>
    /// <exception cref="CoreException"><see cref="CoreStatus.NotFound"/> for an id that is not
    /// waiting; <see cref="CoreStatus.InvalidArgument"/> when the length is not Dim.</exception>
    /// <exception cref="InvalidOperationException">Another thread is consuming.</exception>
    /// <exception cref="ObjectDisposedException">The pipeline was disposed.</exception>
    public void SubmitEmbedding(ulong windowId, ReadOnlySpan<float> embedding)
    {
        IntPtr h = Enter(ref _consumerBusy, "consumer");
        try
        {
            CoreNative.core_pipeline_submit_embedding(h, windowId, embedding);
            if (_retry is { } r && r.Id == windowId)
                _retry = null;
        }
        finally { Exit(ref _consumerBusy); }
    }

    /// <inheritdoc cref="SubmitEmbedding(ulong, ReadOnlySpan{float})"/>
    /// <exception cref="ArgumentNullException"><paramref name="embedding"/> is null.</exception>
    public void SubmitEmbedding(ulong windowId, float[] embedding)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        SubmitEmbedding(windowId, (ReadOnlySpan<float>)embedding);
    }

    // ---- queries -------------------------------------------------------------------------

    /// <summary>A snapshot of the counters (core_pipeline_stats). Any thread.</summary>
    /// <exception cref="ObjectDisposedException">The pipeline was disposed.</exception>
    public unsafe PipelineStats Stats
    {
        get
        {
            IntPtr h = AddRef();
            try
            {
                NativePipelineStats s;
                CoreNative.core_pipeline_stats(h, &s);
                bool ours = _encoder is not null;
                return new PipelineStats(
                    (long)s.Chunks, (long)s.Samples, (long)s.DroppedSamples, (long)s.Segments, (long)s.Windows,
                    (long)s.CacheHits, (long)s.CacheMisses,
                    ours ? Interlocked.Read(ref _encoderCalls) : (long)s.EncoderCalls,
                    ours ? Interlocked.Read(ref _encoderErrors) : (long)s.EncoderErrors,
                    s.AudioSeconds, s.ProcessingSeconds, s.RealTimeFactor, s.CacheHitRate);
            }
            finally { _handle.DangerousRelease(); }
        }
    }

    /// <summary>The pipeline's metrics in Prometheus text format (core_metrics_export of
    /// core_pipeline_metrics): timers pipeline.push, vad.process, features.logmel,
    /// encoder.lookup (encoder.forward and encoder.batch_size stay empty with the binding's
    /// encoding), counters pipeline.chunks, pipeline.samples, pipeline.windows,
    /// encoder.cache_hits, encoder.cache_misses, pipeline.dropped_samples (each under
    /// <see cref="PipelineOptions.MetricsPrefix"/>; dots become underscores). Any thread.</summary>
    /// <exception cref="ObjectDisposedException">The pipeline was disposed.</exception>
    public string ExportPrometheus() => ExportMetrics(MetricsFormat.Prometheus);

    /// <summary>The pipeline's metrics as text (core_metrics_export of
    /// core_pipeline_metrics), in any <see cref="MetricsFormat"/>. Any thread.</summary>
    /// <param name="format">Prometheus (default), JSON or a table.</param>
    /// <param name="summary">Prometheus only: timers as summaries instead of histograms.</param>
    /// <exception cref="ObjectDisposedException">The pipeline was disposed.</exception>
    public string ExportMetrics(MetricsFormat format = MetricsFormat.Prometheus, bool summary = false)
    {
        IntPtr h = AddRef();
        try
        {
            IntPtr m = CoreNative.core_pipeline_metrics(h);
            return Metrics.ExportText(ref _exportHint, format, summary,
                (MetricsFormat f, uint flags, Span<byte> buf, out ulong needed) =>
                {
                    unsafe
                    {
                        ulong n = 0;
                        CoreStatus s = CoreNative.core_metrics_export(m, f, flags, buf, &n);
                        needed = n;
                        return s;
                    }
                });
        }
        finally { _handle.DangerousRelease(); }
    }

    // ---- life cycle ----------------------------------------------------------------------

    /// <summary>Releases the native pipeline (core_pipeline_destroy). Safe to call any
    /// number of times, from any thread; calls in flight finish first.</summary>
    public void Dispose()
    {
        _disposed = true;
        _handle.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        _disposed
            ? "Pipeline(disposed)"
            : $"Pipeline(Dim={_options.Dim}, WindowMs={_options.WindowMs}, HopMs={_options.HopMs}, " +
              $"SpeechOnly={_options.SpeechOnly}, Encoder={(_encoder is null ? "none" : "C#")})";

    // ---- implementation --------------------------------------------------------------------

    /// <summary>Calls the encoder on a window and submits its embedding; on failure keeps
    /// the window for the next call and rethrows. Runs inside the consumer slot.</summary>
    private unsafe void Encode(IntPtr h, ulong id, float[] features, int nMels, int nFrames)
    {
        _retry = (id, features, nMels, nFrames);
        Interlocked.Increment(ref _encoderCalls);
        float[] embedding;
        try
        {
            embedding = _encoder!(features, nMels, nFrames);
        }
        catch
        {
            Interlocked.Increment(ref _encoderErrors);
            throw;
        }
        if (embedding is null || embedding.Length != _options.Dim)
        {
            Interlocked.Increment(ref _encoderErrors);
            throw new InvalidOperationException(
                $"The encoder returned {(embedding is null ? "null" : embedding.Length + " floats")} for window {id}; " +
                $"the pipeline's Dim is {_options.Dim}.");
        }
        CoreNative.core_pipeline_submit_embedding(h, id, embedding);
        _retry = null;
    }

    private PipelineOptions Alive() =>
        _disposed ? throw new ObjectDisposedException(nameof(Pipeline)) : _options;

    /// <summary>A reference on the handle for a query (any thread).</summary>
    private IntPtr AddRef()
    {
        if (_disposed)
            throw new ObjectDisposedException(nameof(Pipeline));
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            throw new ObjectDisposedException(nameof(Pipeline));
        }
        return _handle.DangerousGetHandle();
    }

    /// <summary>A reference on the handle and one side's one-thread slot;
    /// <see cref="Exit"/> gives both back.</summary>
    private IntPtr Enter(ref int busy, string side)
    {
        IntPtr h = AddRef();
        OneThreadCall.TakeSlot(_handle, ref busy,
            $"A Pipeline has one {side} thread at a time, and another {side} call on it is running " +
            "(or the encoder called back into the pipeline).");
        return h;
    }

    private void Exit(ref int busy) => OneThreadCall.Exit(_handle, ref busy);
}

/// <summary>Owns a core_pipeline_t*: released once, by core_pipeline_destroy, when the last
/// reference taken by a call is dropped after Dispose (or by the finalizer).</summary>
internal sealed class PipelineHandle : SafeHandle
{
    internal PipelineHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    internal void Attach(IntPtr p) => SetHandle(p);

    protected override bool ReleaseHandle()
    {
        CoreNative.core_pipeline_destroy(handle);
        return true;
    }
}
