using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace LibCore;

/// <summary>
/// A log-mel spectrogram: <see cref="NMels"/> bands x <see cref="NFrames"/> frames,
/// mel-major (row-major, band by band) like Whisper's (80, 3000) tensor:
/// <c>Data[m * NFrames + t]</c> is band m of frame t.
/// </summary>
public sealed class LogMelSpectrogram
{
    internal LogMelSpectrogram(float[] data, int nMels, int nFrames)
    {
        Data = data;
        NMels = nMels;
        NFrames = nFrames;
    }

    /// <summary>The number of mel bands (rows).</summary>
    public int NMels { get; }

    /// <summary>The number of frames (columns).</summary>
    public int NFrames { get; }

    /// <summary>The values, NMels x NFrames, mel-major. The array belongs to the caller.</summary>
    public float[] Data { get; }

    /// <summary>Band <paramref name="mel"/> of frame <paramref name="frame"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index out of range.</exception>
    public float this[int mel, int frame]
    {
        get
        {
            if ((uint)mel >= (uint)NMels)
                throw new ArgumentOutOfRangeException(nameof(mel), mel, $"mel must be 0 .. {NMels - 1}.");
            if ((uint)frame >= (uint)NFrames)
                throw new ArgumentOutOfRangeException(nameof(frame), frame, $"frame must be 0 .. {NFrames - 1}.");
            return Data[mel * NFrames + frame];
        }
    }

    /// <summary>Band <paramref name="mel"/> over every frame, in place (no copy).</summary>
    /// <exception cref="ArgumentOutOfRangeException">mel out of range.</exception>
    public ReadOnlySpan<float> Band(int mel)
    {
        if ((uint)mel >= (uint)NMels)
            throw new ArgumentOutOfRangeException(nameof(mel), mel, $"mel must be 0 .. {NMels - 1}.");
        return Data.AsSpan(mel * NFrames, NFrames);
    }

    /// <summary>The NMels bands of frame <paramref name="frame"/> (a new array).</summary>
    /// <exception cref="ArgumentOutOfRangeException">frame out of range.</exception>
    public float[] Frame(int frame)
    {
        if ((uint)frame >= (uint)NFrames)
            throw new ArgumentOutOfRangeException(nameof(frame), frame, $"frame must be 0 .. {NFrames - 1}.");
        var result = new float[NMels];
        for (int m = 0; m < NMels; ++m)
            result[m] = Data[m * NFrames + frame];
        return result;
    }

    /// <inheritdoc/>
    public override string ToString() => $"LogMelSpectrogram({NMels} x {NFrames})";
}

/// <summary>
/// An immutable log-mel analyser (audio.h: core_logmel_t): periodic Hann window,
/// Slaney mel filters with Slaney normalization (librosa's defaults, what
/// Whisper's mel_filters.npz holds), FFT plans. <see cref="Compute(ReadOnlySpan{float})"/>
/// gives openai/whisper's log_mel_spectrogram exactly (torch.stft(center=True,
/// pad_mode="reflect"), the last frame dropped: n samples give n / hop frames).
/// </summary>
/// <remarks>
/// <para><b>Threads.</b> Every member may run on any number of threads at once
/// on one analyser, as in C. Long inputs are split across libcore's threads
/// (<see cref="Core.NumThreads"/>); results are bit-identical for every thread
/// count.</para>
/// <para><b>Copies.</b> Spans and arrays are pinned for the call, never copied;
/// the output is written by libcore straight into the array returned (or into
/// your span).</para>
/// <para><b>Lifetime.</b> The native analyser is owned by a SafeHandle.
/// <see cref="Dispose"/> (core_logmel_destroy) may be called any number of
/// times from any thread; afterwards every member except Dispose and
/// IsDisposed throws <see cref="ObjectDisposedException"/>. A call already
/// running finishes first: the analyser is destroyed when it returns.</para>
/// <para><b>Errors.</b> Bad options and inputs shorter than NFft are
/// <see cref="CoreException"/>s with <see cref="CoreStatus.InvalidArgument"/>
/// and libcore's message; a destination span that is too short is
/// <see cref="CoreStatus.BufferTooSmall"/>. Null arrays are
/// <see cref="ArgumentNullException"/>s.</para>
/// </remarks>
public sealed class LogMel : IDisposable
{
    private readonly LogMelHandle _handle;
    private readonly LogMelOptions _options;
    private volatile bool _disposed;

    /// <summary>An analyser with libcore's defaults (Whisper's 80-band front end).</summary>
    /// <exception cref="CoreException"><see cref="CoreStatus.OutOfMemory"/>.</exception>
    public LogMel() : this(new LogMelOptions())
    {
    }

    /// <summary>Creates an analyser (core_logmel_create). The options are copied.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative option.</exception>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> for an
    /// option out of its range (the message names it); <see cref="CoreStatus.OutOfMemory"/>.</exception>
    public unsafe LogMel(LogMelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Clone();
        NativeLogMelOptions native = _options.ToNative();
        var handle = new LogMelHandle();
        IntPtr lm = IntPtr.Zero;
        try
        {
            CoreNative.core_logmel_create(&native, &lm);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        handle.Attach(lm);
        _handle = handle;
    }

    /// <summary>A copy of the options this analyser was created with.</summary>
    /// <exception cref="ObjectDisposedException">The analyser was disposed.</exception>
    public LogMelOptions Options => Alive().Clone();

    /// <summary>Mel bands per frame.</summary>
    /// <exception cref="ObjectDisposedException">The analyser was disposed.</exception>
    public int NMels => Alive().NMels;

    /// <summary>FFT size = window length in samples; inputs need at least this many.</summary>
    /// <exception cref="ObjectDisposedException">The analyser was disposed.</exception>
    public int NFft => Alive().NFft;

    /// <summary>Samples between frames.</summary>
    /// <exception cref="ObjectDisposedException">The analyser was disposed.</exception>
    public int Hop => Alive().Hop;

    /// <summary>Sample rate in Hz.</summary>
    /// <exception cref="ObjectDisposedException">The analyser was disposed.</exception>
    public int SampleRate => Alive().SampleRate;

    /// <summary>The mode (Whisper or Log10).</summary>
    /// <exception cref="ObjectDisposedException">The analyser was disposed.</exception>
    public LogMelMode Mode => Alive().Mode;

    /// <summary>FFT bins per filter row: NFft / 2 + 1 (the columns of <see cref="Filters"/>).</summary>
    /// <exception cref="ObjectDisposedException">The analyser was disposed.</exception>
    public int FilterBins => Alive().NFft / 2 + 1;

    /// <summary>Whether <see cref="Dispose"/> was called. Any thread.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>The frames <see cref="Compute(ReadOnlySpan{float})"/> gives for
    /// <paramref name="sampleCount"/> samples: sampleCount / Hop (core_logmel_frames).</summary>
    /// <exception cref="ArgumentOutOfRangeException">sampleCount is negative.</exception>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> for
    /// fewer samples than <see cref="NFft"/>.</exception>
    /// <exception cref="ObjectDisposedException">The analyser was disposed.</exception>
    public unsafe long Frames(long sampleCount)
    {
        if (sampleCount < 0)
            throw new ArgumentOutOfRangeException(nameof(sampleCount), sampleCount, "sampleCount must be >= 0.");
        IntPtr h = AddRef();
        try
        {
            ulong frames;
            CoreNative.core_logmel_frames(h, (ulong)sampleCount, &frames);
            return (long)frames;
        }
        finally { _handle.DangerousRelease(); }
    }

    /// <summary>The mel filterbank, <see cref="NMels"/> x <see cref="FilterBins"/>
    /// floats, row-major (core_logmel_filters): row m weights the power
    /// spectrum's bins into band m.</summary>
    /// <exception cref="ObjectDisposedException">The analyser was disposed.</exception>
    public unsafe float[] Filters()
    {
        IntPtr h = AddRef();
        try
        {
            ulong count = 0;
            // The needed-size protocol: an empty buffer asks for the count (BUFFER_TOO_SMALL).
            _ = CoreNative.core_logmel_filters(h, Span<float>.Empty, &count);
            float[] result = GC.AllocateUninitializedArray<float>(Guard.ArrayLength(count, "The filterbank"));
            CoreStatus status = CoreNative.core_logmel_filters(h, result, &count);
            if (status != CoreStatus.Ok)
                throw new InvalidOperationException($"core_logmel_filters returned {status} with the size it asked for.");
            return result;
        }
        finally { _handle.DangerousRelease(); }
    }

    /// <summary>The log-mel spectrogram of <paramref name="samples"/>
    /// (core_logmel_compute), NMels x (samples.Length / Hop), mel-major.</summary>
    /// <param name="samples">Mono float32 at <see cref="SampleRate"/>, nominally in
    /// [-1, 1] (PCM16 / 32768), at least <see cref="NFft"/> of them. A frame
    /// touching a NaN or an infinity comes out NaN in every band.</param>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> for
    /// fewer than NFft samples.</exception>
    /// <exception cref="ObjectDisposedException">The analyser was disposed.</exception>
    public unsafe LogMelSpectrogram Compute(ReadOnlySpan<float> samples)
    {
        IntPtr h = AddRef();
        try
        {
            ulong frames;
            CoreNative.core_logmel_frames(h, (ulong)samples.Length, &frames);
            int nFrames = Guard.ArrayLength(frames, "The spectrogram's frame count");
            float[] data = GC.AllocateUninitializedArray<float>(
                Guard.ArrayLength(frames * (ulong)_options.NMels, "The spectrogram"));
            CoreNative.core_logmel_compute(h, samples, data, &frames);
            return new LogMelSpectrogram(data, _options.NMels, nFrames);
        }
        finally { _handle.DangerousRelease(); }
    }

    /// <inheritdoc cref="Compute(ReadOnlySpan{float})"/>
    /// <exception cref="ArgumentNullException"><paramref name="samples"/> is null.</exception>
    public LogMelSpectrogram Compute(float[] samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        return Compute((ReadOnlySpan<float>)samples);
    }

    /// <summary>Writes the log-mel spectrogram of <paramref name="samples"/> into
    /// <paramref name="destination"/> (mel-major: destination[m * frames + t]) and
    /// returns the frame count, samples.Length / Hop (core_logmel_compute). Allocates
    /// nothing. The destination must hold NMels x frames floats
    /// (<see cref="Frames"/> tells the frames) and must not overlap the samples.</summary>
    /// <exception cref="CoreException"><see cref="CoreStatus.BufferTooSmall"/> when the
    /// destination is too short (nothing written); <see cref="CoreStatus.InvalidArgument"/>
    /// for fewer than NFft samples or a destination overlapping them.</exception>
    /// <exception cref="ObjectDisposedException">The analyser was disposed.</exception>
    public unsafe int Compute(ReadOnlySpan<float> samples, Span<float> destination)
    {
        IntPtr h = AddRef();
        try
        {
            ulong frames;
            if (samples.Length < _options.NFft) // libcore's message for a short input (an empty span is NULL in C)
                CoreNative.core_logmel_frames(h, (ulong)samples.Length, &frames);
            CoreNative.core_logmel_compute(h, samples, destination, &frames);
            return (int)frames;
        }
        finally { _handle.DangerousRelease(); }
    }

    /// <summary>
    /// <see cref="Compute(ReadOnlySpan{float})"/> of every clip, in one parallel call
    /// (core_logmel_compute_batch); result[i] is bit for bit Compute(clips[i]) (each
    /// clip has its own reflection and, in Whisper mode, its own maximum). The
    /// clips are pinned for the call, not copied. Every clip is checked before
    /// anything is computed.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="clips"/> or one of its
    /// elements is null (the parameter name gives the index).</exception>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> for a clip
    /// shorter than NFft (the message names it).</exception>
    /// <exception cref="ObjectDisposedException">The analyser was disposed.</exception>
    public unsafe LogMelSpectrogram[] ComputeBatch(IReadOnlyList<float[]> clips)
    {
        ArgumentNullException.ThrowIfNull(clips);
        int count = clips.Count;
        var arrays = new float[count][];
        for (int i = 0; i < count; ++i)
            arrays[i] = clips[i] ?? throw new ArgumentNullException($"{nameof(clips)}[{i}]");
        IntPtr h = AddRef();
        var pins = new GCHandle[2 * count];
        int pinned = 0;
        try
        {
            if (count == 0)
                return Array.Empty<LogMelSpectrogram>();
            var inputs = new nint[count];
            var outputs = new nint[count];
            var lens = new ulong[count];
            var caps = new ulong[count];
            var frames = new ulong[count];
            float dummy = 0; // a non-NULL output of capacity 0: the size query
            for (int i = 0; i < count; ++i)
            {
                pins[pinned] = GCHandle.Alloc(arrays[i], GCHandleType.Pinned);
                inputs[i] = pins[pinned++].AddrOfPinnedObject();
                lens[i] = (ulong)arrays[i].Length;
                outputs[i] = (nint)(&dummy);
            }
            var results = new float[count][];
            fixed (nint* ip = inputs, op = outputs)
            fixed (ulong* cp = caps, fp = frames)
            {
                // First call: every clip is checked and every frame count written
                // (BUFFER_TOO_SMALL), nothing computed.
                CoreStatus status = CoreNative.core_logmel_compute_batch(h, (float**)ip, lens, (float**)op, cp, fp);
                for (int i = 0; i < count; ++i)
                {
                    results[i] = GC.AllocateUninitializedArray<float>(
                        Guard.ArrayLength(fp[i] * (ulong)_options.NMels, "A spectrogram"));
                    caps[i] = (ulong)results[i].Length;
                    pins[pinned] = GCHandle.Alloc(results[i], GCHandleType.Pinned);
                    outputs[i] = pins[pinned++].AddrOfPinnedObject();
                }
                if (status == CoreStatus.BufferTooSmall)
                    status = CoreNative.core_logmel_compute_batch(h, (float**)ip, lens, (float**)op, cp, fp);
                if (status != CoreStatus.Ok)
                    throw new InvalidOperationException(
                        $"core_logmel_compute_batch returned {status} with the sizes it asked for.");
            }
            var spectrograms = new LogMelSpectrogram[count];
            for (int i = 0; i < count; ++i)
                spectrograms[i] = new LogMelSpectrogram(results[i], _options.NMels, (int)frames[i]);
            return spectrograms;
        }
        finally
        {
            for (int i = 0; i < pinned; ++i)
                pins[i].Free();
            _handle.DangerousRelease();
        }
    }

    /// <summary>The options; throws once disposed.</summary>
    private LogMelOptions Alive() =>
        _disposed ? throw new ObjectDisposedException(nameof(LogMel)) : _options;

    /// <summary>Releases the native analyser (core_logmel_destroy). Safe to call any
    /// number of times, from any thread; calls in flight finish first.</summary>
    public void Dispose()
    {
        _disposed = true;
        _handle.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        _disposed
            ? "LogMel(disposed)"
            : $"LogMel(SampleRate={SampleRate}, NFft={NFft}, Hop={Hop}, NMels={NMels}, Mode={Mode})";

    private IntPtr AddRef()
    {
        if (_disposed)
            throw new ObjectDisposedException(nameof(LogMel));
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            throw new ObjectDisposedException(nameof(LogMel));
        }
        return _handle.DangerousGetHandle();
    }
}

/// <summary>Owns a core_logmel_t*: released once, by core_logmel_destroy, when the
/// last reference taken by a call is dropped after Dispose (or by the finalizer).</summary>
internal sealed class LogMelHandle : SafeHandle
{
    internal LogMelHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    internal void Attach(IntPtr lm) => SetHandle(lm);

    protected override bool ReleaseHandle()
    {
        CoreNative.core_logmel_destroy(handle);
        return true;
    }
}
