using System;
using System.Runtime.InteropServices;

namespace LibCore;

/// <summary>
/// An audio file read front to back in chunks of any size, as mono float32 at a chosen
/// rate (audio.h, chunked reading: core_audio_open, core_audio_reader_read / _info /
/// _length / _close). Memory stays bounded (a decoding block, the resampler's state)
/// whatever the file's length.
/// </summary>
/// <example><code>
/// using var reader = AudioReader.Open("talk.flac", 16000);
/// var chunk = new float[16000];
/// int n;
/// while ((n = reader.Read(chunk)) > 0)      // one second at a time; 0 at the end
///     vad.Push(chunk.AsSpan(0, n));
/// </code></example>
/// <remarks>
/// <para><b>Samples.</b> The conversions of <see cref="AudioFile.Read"/> (channels
/// averaged, PCM scaled, libsoxr resampling), and chunking never changes the samples:
/// any sequence of reads gives, concatenated, exactly what <see cref="AudioFile.Read"/>
/// gives for the file, <see cref="Total"/> samples in all. A read gives as many samples
/// as asked while that many remain, fewer only at the end, none once the end was
/// reached. <see cref="Read(Span{float})"/> decodes straight into the caller's memory
/// (pinned for the call: no copy); <see cref="Read(int)"/> allocates the result.</para>
/// <para><b>Errors</b> are <see cref="CoreException"/>s with libcore's status and
/// message. <see cref="Open"/>: <see cref="CoreStatus.NotFound"/> for a missing file,
/// <see cref="CoreStatus.Io"/> when it cannot be opened or read (a directory too),
/// <see cref="CoreStatus.Format"/> when it is not audio libsndfile understands or is
/// truncated, <see cref="CoreStatus.InvalidArgument"/> for a target rate above 384000,
/// <see cref="CoreStatus.Unsupported"/> without audio file support. A read:
/// <see cref="CoreStatus.Format"/> for damage found while decoding (a NaN or infinite
/// sample, data ending before the header says: never an early end as if complete),
/// <see cref="CoreStatus.Io"/> when the file can no longer be read; the reader is failed
/// from then on (every later read throws the same; <see cref="Info"/> and the counts
/// still answer). A null path is <see cref="ArgumentNullException"/>, a path with a NUL
/// <see cref="ArgumentException"/>, a negative rate or count
/// <see cref="ArgumentOutOfRangeException"/>.</para>
/// <para><b>Threads and lifetime.</b> One thread at a time, as in C; the binding checks
/// it: a call while another thread's call on the same reader runs throws
/// <see cref="InvalidOperationException"/>. Distinct readers run in parallel. The file
/// stays open until <see cref="Dispose"/> (idempotent, any thread; a call in flight
/// finishes first); later calls throw <see cref="ObjectDisposedException"/>; a
/// SafeHandle releases a forgotten reader.</para>
/// </remarks>
public sealed class AudioReader : IDisposable
{
    private readonly AudioReaderHandle _handle;
    private readonly string _path;
    private volatile bool _disposed;
    private int _busy;

    private AudioReader(AudioReaderHandle handle, string path, int sampleRate)
    {
        _handle = handle;
        _path = path;
        SampleRate = sampleRate;
    }

    /// <summary>Opens the file at <paramref name="path"/> for chunked reading at
    /// <paramref name="targetRate"/> Hz (core_audio_open). The header is checked here
    /// (the checks of <see cref="AudioFile.Info"/>); the decoding happens in the reads.</summary>
    /// <param name="path">The file.</param>
    /// <param name="targetRate">Hz, up to 384000; 0 (the default) = the file's own rate.</param>
    /// <exception cref="CoreException">See the class remarks.</exception>
    public static unsafe AudioReader Open(string path, int targetRate = 0)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Contains('\0'))
            throw new ArgumentException("The path holds a NUL character (C would read a shorter path).", nameof(path));
        if (targetRate < 0)
            throw new ArgumentOutOfRangeException(nameof(targetRate), targetRate,
                "targetRate must be >= 0 (0: the file's own rate).");
        var handle = new AudioReaderHandle();
        IntPtr r = IntPtr.Zero;
        try
        {
            CoreNative.core_audio_open(path, (uint)targetRate, &r);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        handle.Attach(r); // owned from here on
        try
        {
            int rate = targetRate != 0 ? targetRate : InfoOf(r).SampleRate;
            return new AudioReader(handle, path, rate);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The rate of the samples read, Hz (the target rate, or the file's own).</summary>
    public int SampleRate { get; }

    /// <summary>Whether <see cref="Dispose"/> was called. Any thread.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>The file's header, as <see cref="AudioFile.Info"/> reports it
    /// (core_audio_reader_info; answers on a failed reader too).</summary>
    /// <exception cref="InvalidOperationException">Another thread is using the reader.</exception>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public AudioInfo Info
    {
        get
        {
            IntPtr h = Enter();
            try { return InfoOf(h); }
            finally { Exit(); }
        }
    }

    /// <summary>The number of samples the reader gives in all (the count of
    /// <see cref="AudioFile.SampleCount"/>; core_audio_reader_length).</summary>
    /// <exception cref="InvalidOperationException">Another thread is using the reader.</exception>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public long Total => Length().Total;

    /// <summary>The number of samples given so far: the sum of the successful reads'
    /// counts (core_audio_reader_length).</summary>
    /// <exception cref="InvalidOperationException">Another thread is using the reader.</exception>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public long Done => Length().Done;

    /// <summary><see cref="Total"/> - <see cref="Done"/>: the samples still to read.</summary>
    /// <exception cref="InvalidOperationException">Another thread is using the reader.</exception>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public long Remaining
    {
        get
        {
            (long total, long done) = Length();
            return total - done;
        }
    }

    /// <summary>Reads the next samples into <paramref name="destination"/> and returns
    /// their count (core_audio_reader_read): destination.Length while that many remain,
    /// fewer at the end, 0 once the end was reached. Allocates nothing; on an error
    /// destination may have been partly written.</summary>
    /// <exception cref="CoreException"><see cref="CoreStatus.Format"/>,
    /// <see cref="CoreStatus.Io"/>, <see cref="CoreStatus.OutOfMemory"/> (see the class remarks).</exception>
    /// <exception cref="InvalidOperationException">Another thread is using the reader.</exception>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public unsafe int Read(Span<float> destination)
    {
        IntPtr h = Enter();
        try
        {
            ulong got = 0;
            CoreNative.core_audio_reader_read(h, destination, &got);
            return (int)got;
        }
        finally { Exit(); }
    }

    /// <summary>The next samples, at most <paramref name="count"/>, as a new array of
    /// exactly the count read: count while that many remain, fewer at the end, empty once
    /// the end was reached. Allocates at most the samples that remain, whatever count is.</summary>
    /// <exception cref="ArgumentOutOfRangeException">count is negative.</exception>
    /// <exception cref="CoreException">As <see cref="Read(Span{float})"/>.</exception>
    /// <exception cref="InvalidOperationException">Another thread is using the reader.</exception>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public unsafe float[] Read(int count)
    {
        Guard.Count(count, nameof(count));
        IntPtr h = Enter();
        try
        {
            ulong total = 0, done = 0;
            CoreNative.core_audio_reader_length(h, &total, &done);
            int n = (int)Math.Min((ulong)count, total - done);
            float[] result = n == 0 ? Array.Empty<float>() : GC.AllocateUninitializedArray<float>(n);
            ulong got = 0;
            CoreNative.core_audio_reader_read(h, result, &got); // an empty span: a call all the same
            return got == (ulong)n ? result : result.AsSpan(0, (int)got).ToArray();
        }
        finally { Exit(); }
    }

    /// <summary>Closes the file and frees the reader (core_audio_reader_close). Safe to
    /// call any number of times, from any thread; a call in flight finishes first.</summary>
    public void Dispose()
    {
        _disposed = true;
        _handle.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        _disposed ? $"AudioReader({_path}, disposed)" : $"AudioReader({_path}, {SampleRate} Hz)";

    private unsafe (long Total, long Done) Length()
    {
        IntPtr h = Enter();
        try
        {
            ulong total = 0, done = 0;
            CoreNative.core_audio_reader_length(h, &total, &done);
            return (checked((long)total), checked((long)done));
        }
        finally { Exit(); }
    }

    private static unsafe AudioInfo InfoOf(IntPtr r)
    {
        NativeAudioInfo info = default;
        info.StructSize = (ulong)sizeof(NativeAudioInfo);
        CoreNative.core_audio_reader_info(r, &info);
        return new AudioInfo(checked((int)info.SampleRate), checked((int)info.Channels), checked((long)info.Frames),
                             info.Duration, (AudioFormat)info.Format, checked((int)info.Bits));
    }

    /// <summary>A reference on the handle and the one-thread slot for one call
    /// (<see cref="OneThreadCall"/>); <see cref="Exit"/> gives both back.</summary>
    private IntPtr Enter() =>
        OneThreadCall.Enter(_handle, ref _busy, _disposed, nameof(AudioReader),
                            "An AudioReader is used by one thread at a time, and another thread's call on it is running.");

    private void Exit() => OneThreadCall.Exit(_handle, ref _busy);
}

/// <summary>Owns a core_audio_reader_t*: released once, by core_audio_reader_close, when
/// the last reference taken by a call is dropped after Dispose (or by the finalizer).</summary>
internal sealed class AudioReaderHandle : SafeHandle
{
    internal AudioReaderHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    internal void Attach(IntPtr r) => SetHandle(r);

    protected override bool ReleaseHandle()
    {
        CoreNative.core_audio_reader_close(handle);
        return true;
    }
}
