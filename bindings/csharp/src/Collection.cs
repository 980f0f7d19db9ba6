using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace LibCore;

/// <summary>
/// Analyses a list of audio files in parallel in libcore's task arena
/// (core_collection_run, through the wrapper's C shim bindings/collection_shim.h):
/// for each file its samples at the analysis rate, duration, RMS, speech segments
/// (the VAD) and, when asked, its log-mel written to a NumPy .npy file, plus the
/// one-line JSON record every libcore front end writes (core_file_summary_json).
/// </summary>
/// <remarks>
/// <para>No managed code runs on libcore's threads: the shim keeps each file's
/// record in C during the run, and <see cref="Run"/> reads them afterwards, in
/// input order. The shim object is created, used and freed inside the call (in a
/// <c>finally</c>), so nothing leaks when an exception is thrown.</para>
/// <para>A file that fails (missing, not audio, its output not writable) is a
/// <see cref="FileResult"/> with its status and libcore's message, not an
/// exception; the other files go on. Results do not depend on
/// <see cref="Core.NumThreads"/> or <see cref="CollectionOptions.ChunkSamples"/>.</para>
/// </remarks>
public static class Collection
{
    /// <summary>Runs a collection (core_collection_run) and returns one result per
    /// path, in the order of <paramref name="paths"/>.</summary>
    /// <param name="paths">The audio files. An empty list gives an empty result.</param>
    /// <param name="outputs">Null, or one entry per path: where that file's log-mel .npy
    /// goes when <see cref="CollectionOptions.Features"/> is on (written to
    /// <c>output + ".partial"</c>, then renamed), null for none.</param>
    /// <param name="options">Null for libcore's defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="paths"/> or one of its
    /// entries is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="outputs"/> has a different
    /// length than <paramref name="paths"/>, or a path holds a NUL character.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative option (the C fields are
    /// unsigned).</exception>
    /// <exception cref="CoreException">The run itself failed: bad options
    /// (<see cref="CoreStatus.InvalidArgument"/>, the message names the field), a build
    /// without audio files (<see cref="CoreStatus.Unsupported"/>), out of memory.</exception>
    public static unsafe IReadOnlyList<FileResult> Run(IReadOnlyList<string> paths,
                                                       IReadOnlyList<string?>? outputs = null,
                                                       CollectionOptions? options = null)
    {
        // Everything the language can check is checked before anything native is
        // allocated: the shim answers misuse with a bare INVALID_ARGUMENT.
        ArgumentNullException.ThrowIfNull(paths);
        if (outputs is not null)
            Guard.SameLength(paths.Count, outputs.Count, nameof(paths), nameof(outputs));
        for (int i = 0; i < paths.Count; ++i)
        {
            if (paths[i] is null)
                throw new ArgumentNullException(nameof(paths), $"paths[{i}] is null.");
            NoNul(paths[i], $"paths[{i}]");
            if (outputs?[i] is string o)
                NoNul(o, $"outputs[{i}]");
        }
        NativeCollectionOptions native = (options ?? new CollectionOptions()).ToNative();
        Metrics? metrics = options?.Metrics;

        bool metricsRef = false;
        IntPtr c = IntPtr.Zero;
        try
        {
            if (metrics is not null)
            {
                native.Metrics = metrics.AddRef(); // kept alive for the whole run
                metricsRef = true;
            }
            c = CoreNative.corebind_collection_new();
            if (c == IntPtr.Zero)
                throw new OutOfMemoryException("corebind_collection_new: out of memory");
            for (int i = 0; i < paths.Count; ++i)
                CoreNative.corebind_collection_add(c, paths[i], outputs?[i]);
            CoreNative.corebind_collection_run(c, &native);

            ulong n = CoreNative.corebind_collection_count(c);
            if (n != (ulong)paths.Count)
                throw new InvalidOperationException($"The collection holds {n} files, {paths.Count} were added.");
            var results = new FileResult[paths.Count];
            for (int i = 0; i < results.Length; ++i)
            {
                ulong k = (ulong)i;
                results[i] = new FileResult(
                    CoreNative.corebind_collection_path(c, k),
                    (CoreStatus)CoreNative.corebind_collection_status(c, k),
                    CoreNative.corebind_collection_message(c, k),
                    CoreNative.corebind_collection_json(c, k),
                    checked((long)CoreNative.corebind_collection_samples(c, k)),
                    CoreNative.corebind_collection_duration(c, k),
                    CoreNative.corebind_collection_speech(c, k),
                    CoreNative.corebind_collection_rms(c, k),
                    checked((long)CoreNative.corebind_collection_segments(c, k)),
                    checked((long)CoreNative.corebind_collection_mel_frames(c, k)));
            }
            return results;
        }
        finally
        {
            if (c != IntPtr.Zero)
                CoreNative.corebind_collection_free(c);
            if (metricsRef)
                metrics!.Release();
        }
    }

    private static void NoNul(string s, string name)
    {
        if (s.Contains('\0'))
            throw new ArgumentException($"{name} holds a NUL character (C would read a shorter path).", name);
    }
}

/// <summary>One file's result of <see cref="Collection.Run"/> (from core_file_summary_t).</summary>
/// <param name="Path">The path as libcore received it.</param>
/// <param name="Status"><see cref="CoreStatus.Ok"/>, or why this file failed.</param>
/// <param name="Message">"" on success, else libcore's message (it names the failing call).</param>
/// <param name="Json">The file's one-line JSON record (core_file_summary_json), exactly as
/// libcore writes it: <c>{"path":..., "status":"CORE_OK", ...}</c>.</param>
/// <param name="Samples">Samples at the analysis rate.</param>
/// <param name="Duration">Seconds at the analysis rate.</param>
/// <param name="Speech">Seconds of speech (every segment, 0 without the VAD).</param>
/// <param name="Rms">Root mean square of the samples (0 for none).</param>
/// <param name="Segments">Speech segments found (all of them, beyond
/// <see cref="CollectionOptions.MaxSegments"/> too).</param>
/// <param name="MelFrames">Log-mel frames written to the file's .npy (0 without features).</param>
public sealed record FileResult(string Path, CoreStatus Status, string Message, string Json,
                                long Samples, double Duration, double Speech, double Rms,
                                long Segments, long MelFrames)
{
    /// <summary>Whether the file succeeded (<see cref="Status"/> is <see cref="CoreStatus.Ok"/>).</summary>
    public bool Ok => Status == CoreStatus.Ok;
}

/// <summary>
/// What <see cref="Collection.Run"/> does per file (core_collection_options_t). A new
/// instance holds libcore's defaults, read from core_collection_options_init (16 kHz,
/// 65536-sample chunks, VAD on, features off, 100000 segments kept).
/// </summary>
/// <remarks>Negative values are refused with <see cref="ArgumentOutOfRangeException"/>
/// when the run starts (the C fields are unsigned); every other check is libcore's
/// (<see cref="CoreException"/> with <see cref="CoreStatus.InvalidArgument"/>, its
/// message naming the field).</remarks>
public sealed class CollectionOptions
{
    /// <summary>Options with libcore's defaults (core_collection_options_init).</summary>
    public unsafe CollectionOptions()
    {
        NativeCollectionOptions n;
        CoreNative.core_collection_options_init(&n);
        SampleRate = (int)n.SampleRate;
        ChunkSamples = checked((long)n.ChunkSamples);
        Vad = n.Vad != 0;
        Features = n.Features != 0;
        MaxSegments = n.MaxSegments > long.MaxValue ? long.MaxValue : (long)n.MaxSegments;
    }

    /// <summary>Analysis rate in Hz, 1000 .. 384000; files are resampled to it
    /// (default 16000).</summary>
    public int SampleRate { get; set; }

    /// <summary>Samples read per step, 1 .. 2^24: the memory bound per file (default 65536).</summary>
    public long ChunkSamples { get; set; }

    /// <summary>Find speech segments (default true).</summary>
    public bool Vad { get; set; }

    /// <summary>The VAD's options, or null (the default) for libcore's defaults. Their
    /// sample rate is replaced by <see cref="SampleRate"/>.</summary>
    public VadOptions? VadOptions { get; set; }

    /// <summary>Write each file's log-mel to its output (default false).</summary>
    public bool Features { get; set; }

    /// <summary>The log-mel's options, or null (the default) for libcore's defaults
    /// (Whisper's 80 bands); checked only with <see cref="Features"/>. Their sample
    /// rate is replaced by <see cref="SampleRate"/>.</summary>
    public LogMelOptions? LogMelOptions { get; set; }

    /// <summary>Segments kept per file for the JSON record (more are counted in
    /// <see cref="FileResult.Segments"/>); long.MaxValue keeps all (default 100000).</summary>
    public long MaxSegments { get; set; }

    /// <summary>An optional registry (not owned, kept alive during the run) for the
    /// per-stage timers collection.read, .stats, .vad, .logmel, .write and .file.</summary>
    public Metrics? Metrics { get; set; }

    /// <summary>A copy of these options (the nested options copied too; the registry shared).</summary>
    public CollectionOptions Clone()
    {
        var c = (CollectionOptions)MemberwiseClone();
        c.VadOptions = VadOptions?.Clone();
        c.LogMelOptions = LogMelOptions?.Clone();
        return c;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"CollectionOptions(SampleRate={SampleRate}, ChunkSamples={ChunkSamples}, Vad={Vad}, " +
        $"Features={Features}, MaxSegments={MaxSegments}, VadOptions={VadOptions?.ToString() ?? "default"}, " +
        $"LogMelOptions={LogMelOptions?.ToString() ?? "default"}, Metrics={(Metrics is null ? "none" : "set")})";

    /// <summary>The C struct: core_collection_options_init, then these values (the
    /// registry is set by Collection.Run, which holds a reference on it).</summary>
    internal unsafe NativeCollectionOptions ToNative()
    {
        NativeCollectionOptions n;
        CoreNative.core_collection_options_init(&n);
        n.SampleRate = LogMelOptions.Unsigned(SampleRate, nameof(SampleRate));
        if (ChunkSamples < 0)
            throw new ArgumentOutOfRangeException(nameof(ChunkSamples), ChunkSamples, "ChunkSamples must be >= 0.");
        n.ChunkSamples = (ulong)ChunkSamples;
        n.Vad = Vad ? 1 : 0;
        if (VadOptions is not null)
            n.VadOptions = VadOptions.ToNative();
        n.Features = Features ? 1 : 0;
        if (LogMelOptions is not null)
            n.LogMelOptions = LogMelOptions.ToNative();
        if (MaxSegments < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxSegments), MaxSegments, "MaxSegments must be >= 0.");
        n.MaxSegments = MaxSegments == long.MaxValue ? ulong.MaxValue : (ulong)MaxSegments;
        n.Metrics = IntPtr.Zero;
        return n;
    }
}

/// <summary>core_collection_options_t, version 0.1 layout (checked against the
/// wrapper's sizeof and offsets by a test). Filled by core_collection_options_init.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeCollectionOptions
{
    internal ulong StructSize;
    internal uint SampleRate;
    internal ulong ChunkSamples;
    internal int Vad;
    internal NativeVadOptions VadOptions;
    internal int Features;
    internal NativeLogMelOptions LogMelOptions;
    internal ulong MaxSegments;
    internal IntPtr Metrics;
}
