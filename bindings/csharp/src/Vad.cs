using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;

namespace LibCore;

/// <summary>
/// A streaming voice activity detector (audio.h: core_vad_t): push samples in chunks
/// of any size, take finished speech <see cref="Segment"/>s as they come. The
/// segments never depend on how the stream was cut, and equal those of
/// <see cref="Segments(ReadOnlySpan{float}, VadOptions?)"/> on the same samples.
/// </summary>
/// <remarks>
/// <para><b>Segments</b> come in order, never overlap and are final (padding
/// included); positions are samples since creation or the last
/// <see cref="Reset"/>. A frame holding a NaN or an infinity counts as non-speech.
/// <see cref="OpenSegmentStart"/> tells when speech has started, before the
/// segment is final.</para>
/// <para><b>Threads.</b> One thread at a time, as in C. The binding enforces it:
/// a call while another thread's call on the same detector is running throws
/// <see cref="InvalidOperationException"/> instead of corrupting it.
/// <see cref="Dispose"/> and <see cref="IsDisposed"/> may be called from any thread.</para>
/// <para><b>Lifetime and errors</b> as for <see cref="LogMel"/>: a SafeHandle,
/// Dispose idempotent, then <see cref="ObjectDisposedException"/>. Bad options are
/// <see cref="CoreException"/> (<see cref="CoreStatus.InvalidArgument"/>, the message
/// names the field), as is a push after <see cref="Flush"/> without Reset. No
/// segment ready is an answer (<see cref="TryNextSegment"/> returns false), not an
/// exception.</para>
/// </remarks>
public sealed class Vad : IDisposable
{
    // The first guess of Segments: most clips have fewer.
    private const int SegmentGuess = 16;

    private readonly VadHandle _handle;
    private readonly VadOptions _options;
    private volatile bool _disposed;
    private int _busy;

    /// <summary>A detector with libcore's default options (<see cref="VadPreset.Default"/>).</summary>
    /// <exception cref="CoreException"><see cref="CoreStatus.OutOfMemory"/>.</exception>
    public Vad() : this(new VadOptions())
    {
    }

    /// <summary>Creates a detector (core_vad_create). The options are copied.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative option.</exception>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> for an
    /// option out of its range (the message names it); <see cref="CoreStatus.OutOfMemory"/>.</exception>
    public unsafe Vad(VadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Clone();
        NativeVadOptions native = _options.ToNative();
        var handle = new VadHandle();
        IntPtr v = IntPtr.Zero;
        try
        {
            CoreNative.core_vad_create(&native, &v);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        handle.Attach(v);
        _handle = handle;
    }

    /// <summary>A copy of the options this detector was created with.</summary>
    /// <exception cref="ObjectDisposedException">The detector was disposed.</exception>
    public VadOptions Options => Alive().Clone();

    /// <summary>The sample rate in Hz (for <see cref="Segment.StartSeconds"/> and kin).</summary>
    /// <exception cref="ObjectDisposedException">The detector was disposed.</exception>
    public int SampleRate => Alive().SampleRate;

    /// <summary>Whether <see cref="Dispose"/> was called. Any thread.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>Analyses <paramref name="samples"/> (core_vad_push). Segments that end
    /// become readable through <see cref="TryNextSegment"/>. Empty is a no-op.</summary>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> after
    /// <see cref="Flush"/> (call <see cref="Reset"/> first).</exception>
    /// <exception cref="InvalidOperationException">Another thread is using the detector.</exception>
    /// <exception cref="ObjectDisposedException">The detector was disposed.</exception>
    public void Push(ReadOnlySpan<float> samples)
    {
        IntPtr h = Enter();
        try { CoreNative.core_vad_push(h, samples); }
        finally { Exit(); }
    }

    /// <inheritdoc cref="Push(ReadOnlySpan{float})"/>
    /// <exception cref="ArgumentNullException"><paramref name="samples"/> is null.</exception>
    public void Push(float[] samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        Push((ReadOnlySpan<float>)samples);
    }

    /// <summary>End of stream: a trailing partial frame is analysed and an open
    /// segment is closed at the end of the stream (core_vad_flush). A second Flush
    /// does nothing.</summary>
    /// <exception cref="InvalidOperationException">Another thread is using the detector.</exception>
    /// <exception cref="ObjectDisposedException">The detector was disposed.</exception>
    public void Flush()
    {
        IntPtr h = Enter();
        try { CoreNative.core_vad_flush(h); }
        finally { Exit(); }
    }

    /// <summary>Takes the oldest finished segment (core_vad_next_segment): true and
    /// the segment, or false when none is ready.</summary>
    /// <exception cref="InvalidOperationException">Another thread is using the detector.</exception>
    /// <exception cref="ObjectDisposedException">The detector was disposed.</exception>
    public unsafe bool TryNextSegment(out Segment segment)
    {
        IntPtr h = Enter();
        try
        {
            Segment s;
            if (CoreNative.core_vad_next_segment(h, &s) == CoreStatus.Ok)
            {
                segment = s;
                return true;
            }
            segment = default;
            return false;
        }
        finally { Exit(); }
    }

    /// <summary>The start (padding included) of the speech segment in progress —
    /// speech has lasted MinSpeechMs and has not ended — or null when no segment is
    /// open (core_vad_open_segment). For "speech started" events before the segment
    /// is final.</summary>
    /// <exception cref="InvalidOperationException">Another thread is using the detector.</exception>
    /// <exception cref="ObjectDisposedException">The detector was disposed.</exception>
    public unsafe ulong? OpenSegmentStart
    {
        get
        {
            IntPtr h = Enter();
            try
            {
                ulong start;
                return CoreNative.core_vad_open_segment(h, &start) == CoreStatus.Ok ? start : null;
            }
            finally { Exit(); }
        }
    }

    /// <summary>Forgets the stream — samples, noise estimate, pending segments — and
    /// accepts pushes again, positions restarting at 0 (core_vad_reset).</summary>
    /// <exception cref="InvalidOperationException">Another thread is using the detector.</exception>
    /// <exception cref="ObjectDisposedException">The detector was disposed.</exception>
    public void Reset()
    {
        IntPtr h = Enter();
        try { CoreNative.core_vad_reset(h); }
        finally { Exit(); }
    }

    /// <summary>
    /// The speech segments of <paramref name="samples"/>, exactly what a detector with
    /// these options gives when pushed the samples and flushed (core_vad_segments).
    /// Any thread.
    /// </summary>
    /// <param name="samples">Mono float32 at options.SampleRate.</param>
    /// <param name="options">The options; null = libcore's defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">A negative option.</exception>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> for an
    /// option out of its range (the message names it).</exception>
    public static unsafe IReadOnlyList<Segment> Segments(ReadOnlySpan<float> samples, VadOptions? options = null)
    {
        NativeVadOptions native = (options ?? new VadOptions()).ToNative();
        var buffer = new Segment[SegmentGuess];
        ulong count;
        // More segments than the guess: libcore reports how many (BUFFER_TOO_SMALL,
        // nothing written) and the call is repeated with room for all of them.
        while (CoreNative.core_vad_segments(samples, &native, buffer, &count) == CoreStatus.BufferTooSmall)
            buffer = new Segment[Guard.ArrayLength(count, "The segment list")];
        if ((int)count != buffer.Length)
            Array.Resize(ref buffer, (int)count);
        return buffer;
    }

    /// <inheritdoc cref="Segments(ReadOnlySpan{float}, VadOptions?)"/>
    /// <exception cref="ArgumentNullException"><paramref name="samples"/> is null.</exception>
    public static IReadOnlyList<Segment> Segments(float[] samples, VadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        return Segments((ReadOnlySpan<float>)samples, options);
    }

    /// <summary>The options; throws once disposed.</summary>
    private VadOptions Alive() =>
        _disposed ? throw new ObjectDisposedException(nameof(Vad)) : _options;

    /// <summary>Releases the native detector (core_vad_destroy). Safe to call any
    /// number of times, from any thread; a call in flight finishes first.</summary>
    public void Dispose()
    {
        _disposed = true;
        _handle.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        _disposed ? "Vad(disposed)" : $"Vad(SampleRate={SampleRate}, FrameMs={_options.FrameMs})";

    /// <summary>A reference on the handle and the one-thread slot for one call
    /// (<see cref="OneThreadCall"/>); <see cref="Exit"/> gives both back.</summary>
    private IntPtr Enter() =>
        OneThreadCall.Enter(_handle, ref _busy, _disposed, nameof(Vad),
                            "A Vad is used by one thread at a time, and another thread's call on it is running.");

    private void Exit() => OneThreadCall.Exit(_handle, ref _busy);
}

/// <summary>Owns a core_vad_t*: released once, by core_vad_destroy, when the last
/// reference taken by a call is dropped after Dispose (or by the finalizer).</summary>
internal sealed class VadHandle : SafeHandle
{
    internal VadHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    internal void Attach(IntPtr vad) => SetHandle(vad);

    protected override bool ReleaseHandle()
    {
        CoreNative.core_vad_destroy(handle);
        return true;
    }
}
