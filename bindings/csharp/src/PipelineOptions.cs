using System;
using System.Runtime.InteropServices;

namespace LibCore;

/// <summary>
/// The options of a <see cref="Pipeline"/> (core_pipeline_options_t). A new instance holds
/// libcore's defaults, read from core_pipeline_options_init: 16 kHz, a 10-s ring that
/// overwrites the oldest audio when the consumer stalls, the VAD's and log-mel's own
/// defaults (<see cref="Vad"/>, <see cref="LogMel"/>), 1-s windows every 500 ms inside
/// speech only, cache keys rounded to 4 decimals, batches of 8 — and
/// <see cref="Dim"/> 0, which you must set to your encoder's output size.
/// </summary>
/// <remarks>The object (nested options included) is copied when a pipeline is created.
/// Negative values are refused with <see cref="ArgumentOutOfRangeException"/>; every
/// other check is libcore's (<see cref="CoreException"/> with
/// <see cref="CoreStatus.InvalidArgument"/> and a message that names the option, e.g.
/// "dim is 0" or "window_ms ... shorter than logmel.n_fft").</remarks>
public sealed class PipelineOptions
{
    /// <summary>Options with libcore's defaults (core_pipeline_options_init), nested ones
    /// included.</summary>
    public unsafe PipelineOptions()
    {
        NativePipelineOptions n;
        CoreNative.core_pipeline_options_init(&n);
        SampleRate = (int)n.SampleRate;
        RingMs = (int)n.RingMs;
        RingPolicy = (RingPolicy)n.RingPolicy;
        Vad = new VadOptions
        {
            SampleRate = (int)n.Vad.SampleRate,
            FrameMs = (int)n.Vad.FrameMs,
            Threshold = n.Vad.Threshold,
            NegThreshold = n.Vad.NegThreshold,
            MinSpeechMs = (int)n.Vad.MinSpeechMs,
            MinSilenceMs = (int)n.Vad.MinSilenceMs,
            SpeechPadMs = (int)n.Vad.SpeechPadMs,
            MaxSpeechMs = (int)n.Vad.MaxSpeechMs,
        };
        LogMel = new LogMelOptions
        {
            SampleRate = (int)n.LogMel.SampleRate,
            NFft = (int)n.LogMel.NFft,
            Hop = (int)n.LogMel.Hop,
            NMels = (int)n.LogMel.NMels,
            FMin = n.LogMel.FMin,
            FMax = n.LogMel.FMax,
            Mode = (LogMelMode)n.LogMel.Mode,
            WindowFrames = (int)n.LogMel.WindowFrames,
        };
        WindowMs = (int)n.WindowMs;
        HopMs = (int)n.HopMs;
        SpeechOnly = n.SpeechOnly != 0;
        Dim = (int)Math.Min(n.Dim, int.MaxValue);
        CacheMaxEntries = (long)n.CacheOptions.MaxEntries;
        CacheMaxBytes = (long)n.CacheOptions.MaxBytes;
        CacheDecimals = n.CacheDecimals;
        Batch = new BatcherOptions(n.Batch);
    }

    /// <summary>Sample rate in Hz of the pushed audio (default 16000). The VAD's and the
    /// log-mel's rates are set from it (their own SampleRate is ignored).</summary>
    public int SampleRate { get; set; }

    /// <summary>Ring capacity in ms (default 10000): audio pushed and not yet analysed.</summary>
    public int RingMs { get; set; }

    /// <summary>What a push does when the ring is full (default
    /// <see cref="LibCore.RingPolicy.Overwrite"/>: a stalled consumer loses the oldest audio,
    /// counted in <see cref="PipelineStats.DroppedSamples"/>; <see cref="LibCore.RingPolicy.Reject"/>:
    /// the push throws <see cref="CoreException"/> (<see cref="CoreStatus.Full"/>) and
    /// writes nothing).</summary>
    public RingPolicy RingPolicy { get; set; }

    /// <summary>The voice activity detector's options (default: <see cref="VadOptions"/>'s
    /// defaults). Speech segments bound the windows when <see cref="SpeechOnly"/>.</summary>
    public VadOptions Vad { get; set; }

    /// <summary>The log-mel front end's options (default: <see cref="LogMelOptions"/>'s
    /// defaults, 80 bands). In <see cref="LogMelMode.Whisper"/> mode each window is
    /// normalized alone.</summary>
    public LogMelOptions LogMel { get; set; }

    /// <summary>Analysis window in ms (default 1000); its sample count must be a whole
    /// number and at least LogMel.NFft.</summary>
    public int WindowMs { get; set; }

    /// <summary>Between window starts, in ms, &gt;= 1 (default 500).</summary>
    public int HopMs { get; set; }

    /// <summary>True (default): windows only inside speech segments, with SpeechStart and
    /// SpeechEnd events; false: windows over the whole stream every hop, no VAD.</summary>
    public bool SpeechOnly { get; set; }

    /// <summary>The encoder's output floats per window, &gt;= 1. Default 0: you must set it.</summary>
    public int Dim { get; set; }

    /// <summary>The pipeline's own embedding cache: at most this many entries (default
    /// 4096; 0 = no count bound).</summary>
    public long CacheMaxEntries { get; set; }

    /// <summary>The pipeline's own embedding cache: at most this many bytes (default
    /// 256 MiB; 0 = no byte bound).</summary>
    public long CacheMaxBytes { get; set; }

    /// <summary>Rounding of the window's audio before hashing it into a cache key
    /// (core_cache_key_audio), 0 .. 10 (default 4).</summary>
    public int CacheDecimals { get; set; }

    /// <summary>The batcher's options (default: <see cref="BatcherOptions"/>'s). The
    /// binding encodes through <see cref="PipelineEventKind.NeedsEncoding"/> events, so
    /// libcore's batcher is not used; <see cref="BatcherOptions.MaxBatch"/> still bounds
    /// the windows in flight (2 * MaxBatch + 2) before analysis pauses.</summary>
    public BatcherOptions Batch { get; set; }

    /// <summary>Prepended with a '.' to the names of the pipeline's metrics
    /// (e.g. "lid" gives lid.pipeline.push); null (default): none.</summary>
    public string? MetricsPrefix { get; set; }

    /// <summary>A deep copy of these options.</summary>
    public PipelineOptions Clone()
    {
        var c = (PipelineOptions)MemberwiseClone();
        c.Vad = Vad?.Clone()!;
        c.LogMel = LogMel?.Clone()!;
        c.Batch = Batch?.Clone()!;
        return c;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"PipelineOptions(SampleRate={SampleRate}, RingMs={RingMs}, RingPolicy={RingPolicy}, " +
        $"WindowMs={WindowMs}, HopMs={HopMs}, SpeechOnly={SpeechOnly}, Dim={Dim}, " +
        $"CacheMaxEntries={CacheMaxEntries}, CacheMaxBytes={CacheMaxBytes}, CacheDecimals={CacheDecimals}, " +
        $"MetricsPrefix={MetricsPrefix ?? "null"}, {Vad}, {LogMel}, {Batch})";

    /// <summary>The C struct: core_pipeline_options_init, then these values. The encoder,
    /// clock, cache and metrics pointers stay NULL; metrics_prefix is set by the caller.</summary>
    internal unsafe NativePipelineOptions ToNative()
    {
        if (Vad is null)
            throw new ArgumentNullException(nameof(Vad), "PipelineOptions.Vad is null.");
        if (LogMel is null)
            throw new ArgumentNullException(nameof(LogMel), "PipelineOptions.LogMel is null.");
        if (Batch is null)
            throw new ArgumentNullException(nameof(Batch), "PipelineOptions.Batch is null.");
        NativePipelineOptions n;
        CoreNative.core_pipeline_options_init(&n);
        n.SampleRate = LogMelOptions.Unsigned(SampleRate, nameof(SampleRate));
        n.RingMs = LogMelOptions.Unsigned(RingMs, nameof(RingMs));
        n.RingPolicy = (int)RingPolicy;
        n.Vad = Vad.ToNative();
        n.LogMel = LogMel.ToNative();
        n.WindowMs = LogMelOptions.Unsigned(WindowMs, nameof(WindowMs));
        n.HopMs = LogMelOptions.Unsigned(HopMs, nameof(HopMs));
        n.SpeechOnly = SpeechOnly ? 1 : 0;
        n.Dim = LogMelOptions.Unsigned(Dim, nameof(Dim));
        n.CacheOptions.MaxEntries = NonNegative(CacheMaxEntries, nameof(CacheMaxEntries));
        n.CacheOptions.MaxBytes = NonNegative(CacheMaxBytes, nameof(CacheMaxBytes));
        n.CacheDecimals = CacheDecimals;
        Batch.Fill(ref n.Batch);
        return n;
    }

    private static ulong NonNegative(long value, string name) =>
        value < 0 ? throw new ArgumentOutOfRangeException(name, value, $"{name} must be >= 0.") : (ulong)value;
}

/// <summary>core_pipeline_options_t, version 0.1 layout (checked against the wrapper's
/// sizeof by a test). Filled by core_pipeline_options_init.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativePipelineOptions
{
    internal ulong StructSize;
    internal uint SampleRate;
    internal uint RingMs;
    internal int RingPolicy;
    internal NativeVadOptions Vad;
    internal NativeLogMelOptions LogMel;
    internal uint WindowMs;
    internal uint HopMs;
    internal int SpeechOnly;
    internal ulong Dim;
    internal IntPtr Encoder;
    internal IntPtr EncoderUser;
    internal IntPtr Cache;
    internal NativeCacheOptions CacheOptions;
    internal int CacheDecimals;
    internal NativeBatcherOptions Batch;
    internal IntPtr Metrics;
    internal IntPtr MetricsPrefix;
}
