using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace LibCore;

/// <summary>
/// A streaming log-mel spectrogram (audio.h: core_logmel_stream_t): push samples in
/// chunks of any size, read frames as soon as they exist. Frame t of a stream
/// equals frame t of <see cref="LogMel.Compute(ReadOnlySpan{float})"/> on everything
/// pushed: bit for bit in <see cref="LogMelMode.Log10"/> mode, and in
/// <see cref="LogMelMode.Whisper"/> mode with <see cref="LogMelOptions.WindowFrames"/> = 0.
/// </summary>
/// <remarks>
/// <para><b>Latency.</b> The left edge is reflected exactly as offline, so frame t
/// is ready once t * Hop + NFft / 2 samples have arrived. The last frames need
/// the reflected right edge: <see cref="Flush"/> produces them. In Whisper mode
/// frames become readable a window (WindowFrames frames) at a time, each window
/// floored by its own maximum; the last, shorter window at Flush.</para>
/// <para><b>Layout.</b> Frames are read frame-major, as the C API hands them out:
/// <c>out[f * NMels + m]</c> is band m of the f-th frame read (the transpose of
/// <see cref="LogMelSpectrogram"/>'s mel-major layout).</para>
/// <para><b>Threads.</b> One thread at a time, as in C. The binding enforces it:
/// a call while another thread's call on the same stream is running throws
/// <see cref="InvalidOperationException"/> instead of corrupting the stream.
/// <see cref="Dispose"/> and <see cref="IsDisposed"/> may be called from any thread.</para>
/// <para><b>Lifetime and errors</b> as for <see cref="LogMel"/>: a SafeHandle,
/// Dispose idempotent, then <see cref="ObjectDisposedException"/>. A push after
/// Flush (without <see cref="Reset"/>) is <see cref="CoreException"/>
/// (<see cref="CoreStatus.InvalidArgument"/>).</para>
/// </remarks>
public sealed class LogMelStream : IDisposable
{
    private readonly LogMelStreamHandle _handle;
    private readonly LogMelOptions _options;
    private volatile bool _disposed;
    private int _busy;

    /// <summary>A stream with libcore's default options (see <see cref="LogMelOptions"/>).</summary>
    /// <exception cref="CoreException"><see cref="CoreStatus.OutOfMemory"/>.</exception>
    public LogMelStream() : this(new LogMelOptions())
    {
    }

    /// <summary>Creates a stream (core_logmel_stream_create); the options are copied
    /// and checked as by <see cref="LogMel(LogMelOptions)"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative option.</exception>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> for an
    /// option out of its range (the message names it); <see cref="CoreStatus.OutOfMemory"/>.</exception>
    public unsafe LogMelStream(LogMelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Clone();
        NativeLogMelOptions native = _options.ToNative();
        var handle = new LogMelStreamHandle();
        IntPtr s = IntPtr.Zero;
        try
        {
            CoreNative.core_logmel_stream_create(&native, &s);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        handle.Attach(s);
        _handle = handle;
    }

    /// <summary>A copy of the options this stream was created with.</summary>
    /// <exception cref="ObjectDisposedException">The stream was disposed.</exception>
    public LogMelOptions Options => Alive().Clone();

    /// <summary>Mel bands per frame: the floats of one frame read.</summary>
    /// <exception cref="ObjectDisposedException">The stream was disposed.</exception>
    public int NMels => Alive().NMels;

    /// <summary>Whether <see cref="Dispose"/> was called. Any thread.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>Appends <paramref name="samples"/> and computes every frame whose
    /// samples are now all there (core_logmel_stream_push). Empty is a no-op. The
    /// samples are read during the call only.</summary>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> after
    /// <see cref="Flush"/> (call <see cref="Reset"/> first); <see cref="CoreStatus.OutOfMemory"/>.</exception>
    /// <exception cref="InvalidOperationException">Another thread is using the stream.</exception>
    /// <exception cref="ObjectDisposedException">The stream was disposed.</exception>
    public void Push(ReadOnlySpan<float> samples)
    {
        IntPtr h = Enter();
        try { CoreNative.core_logmel_stream_push(h, samples); }
        finally { Exit(); }
    }

    /// <inheritdoc cref="Push(ReadOnlySpan{float})"/>
    /// <exception cref="ArgumentNullException"><paramref name="samples"/> is null.</exception>
    public void Push(float[] samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        Push((ReadOnlySpan<float>)samples);
    }

    /// <summary>Ends the stream: computes the last frames (reflected right edge) and,
    /// in Whisper mode, normalizes the last window (core_logmel_stream_flush). The
    /// frames stay readable; pushes are refused until <see cref="Reset"/>. A second
    /// Flush does nothing. A stream of fewer than NFft samples in all gives no frames.</summary>
    /// <exception cref="InvalidOperationException">Another thread is using the stream.</exception>
    /// <exception cref="ObjectDisposedException">The stream was disposed.</exception>
    public void Flush()
    {
        IntPtr h = Enter();
        try { CoreNative.core_logmel_stream_flush(h); }
        finally { Exit(); }
    }

    /// <summary>Frames ready to read now (core_logmel_stream_available).</summary>
    /// <exception cref="InvalidOperationException">Another thread is using the stream.</exception>
    /// <exception cref="ObjectDisposedException">The stream was disposed.</exception>
    public unsafe int Available
    {
        get
        {
            IntPtr h = Enter();
            try
            {
                ulong n;
                CoreNative.core_logmel_stream_available(h, &n);
                return Guard.ArrayLength(n, "The ready frames");
            }
            finally { Exit(); }
        }
    }

    /// <summary>Moves up to destination.Length / NMels ready frames into
    /// <paramref name="destination"/>, frame-major (destination[f * NMels + m]), and
    /// returns how many (core_logmel_stream_read); 0 when none is ready. Allocates
    /// nothing.</summary>
    /// <exception cref="InvalidOperationException">Another thread is using the stream.</exception>
    /// <exception cref="ObjectDisposedException">The stream was disposed.</exception>
    public unsafe int Read(Span<float> destination)
    {
        int maxFrames = destination.Length / _options.NMels;
        IntPtr h = Enter();
        try
        {
            ulong n;
            fixed (float* p = destination)
                CoreNative.core_logmel_stream_read(h, p, (ulong)maxFrames, &n);
            return (int)n;
        }
        finally { Exit(); }
    }

    /// <summary>Moves up to <paramref name="maxFrames"/> ready frames into a new array,
    /// frame-major: (frames read) x NMels floats, empty when none is ready
    /// (core_logmel_stream_read).</summary>
    /// <exception cref="ArgumentOutOfRangeException">maxFrames is negative.</exception>
    /// <exception cref="InvalidOperationException">Another thread is using the stream.</exception>
    /// <exception cref="ObjectDisposedException">The stream was disposed.</exception>
    public unsafe float[] Read(int maxFrames)
    {
        Guard.Count(maxFrames, nameof(maxFrames));
        IntPtr h = Enter();
        try
        {
            ulong ready;
            CoreNative.core_logmel_stream_available(h, &ready);
            ulong frames = Math.Min(ready, (ulong)maxFrames);
            if (frames == 0)
                return Array.Empty<float>();
            float[] result = GC.AllocateUninitializedArray<float>(
                Guard.ArrayLength(frames * (ulong)_options.NMels, "The frames read"));
            ulong n;
            fixed (float* p = result)
                CoreNative.core_logmel_stream_read(h, p, frames, &n);
            return n == frames ? result : result.AsSpan(0, (int)n * _options.NMels).ToArray();
        }
        finally { Exit(); }
    }

    /// <summary>Forgets every sample and frame and accepts pushes again, as if new
    /// (core_logmel_stream_reset; keeps its memory).</summary>
    /// <exception cref="InvalidOperationException">Another thread is using the stream.</exception>
    /// <exception cref="ObjectDisposedException">The stream was disposed.</exception>
    public void Reset()
    {
        IntPtr h = Enter();
        try { CoreNative.core_logmel_stream_reset(h); }
        finally { Exit(); }
    }

    /// <summary>The options; throws once disposed.</summary>
    private LogMelOptions Alive() =>
        _disposed ? throw new ObjectDisposedException(nameof(LogMelStream)) : _options;

    /// <summary>Releases the native stream (core_logmel_stream_destroy). Safe to call
    /// any number of times, from any thread; a call in flight finishes first.</summary>
    public void Dispose()
    {
        _disposed = true;
        _handle.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        _disposed ? "LogMelStream(disposed)" : $"LogMelStream(NMels={NMels}, Mode={_options.Mode})";

    /// <summary>A reference on the handle and the one-thread slot for one call
    /// (<see cref="OneThreadCall"/>); <see cref="Exit"/> gives both back.</summary>
    private IntPtr Enter() =>
        OneThreadCall.Enter(_handle, ref _busy, _disposed, nameof(LogMelStream),
                            "A LogMelStream is used by one thread at a time, and another thread's call on it is running.");

    private void Exit() => OneThreadCall.Exit(_handle, ref _busy);
}

/// <summary>Owns a core_logmel_stream_t*: released once, by core_logmel_stream_destroy,
/// when the last reference taken by a call is dropped after Dispose (or by the finalizer).</summary>
internal sealed class LogMelStreamHandle : SafeHandle
{
    internal LogMelStreamHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    internal void Attach(IntPtr s) => SetHandle(s);

    protected override bool ReleaseHandle()
    {
        CoreNative.core_logmel_stream_destroy(handle);
        return true;
    }
}
