using System.Runtime.InteropServices;

namespace LibCore;

/// <summary>
/// A snapshot of a <see cref="Pipeline"/>'s counters (core_pipeline_stats_t), from
/// <see cref="Pipeline.Stats"/>. Counters may lag a call in progress on another thread.
/// </summary>
/// <param name="Chunks">Pushes (of any size).</param>
/// <param name="Samples">Samples pushed.</param>
/// <param name="DroppedSamples">Samples the ring dropped (<see cref="RingPolicy.Overwrite"/>
/// with a stalled consumer); they are not on the timeline.</param>
/// <param name="Segments">Speech segments ended.</param>
/// <param name="Windows">Windows cut.</param>
/// <param name="CacheHits">Windows whose embedding came from the cache.</param>
/// <param name="CacheMisses">Windows that went to the encoder (a window holding a NaN
/// counts as a miss).</param>
/// <param name="EncoderCalls">Calls of the pipeline's encoder: with a C# encoder
/// (<see cref="Pipeline(PipelineOptions, System.Func{float[], int, int, float[]})"/>)
/// the binding's count of its calls, else libcore's (0 without an encoder).</param>
/// <param name="EncoderErrors">Failed encoder calls: with a C# encoder, the calls that
/// threw or returned the wrong length.</param>
/// <param name="AudioSeconds">Samples / sample rate.</param>
/// <param name="ProcessingSeconds">Time spent inside push and next_event (the C# encoder
/// runs outside them).</param>
/// <param name="RealTimeFactor">ProcessingSeconds / AudioSeconds (below 1: faster than
/// real time).</param>
/// <param name="CacheHitRate">CacheHits / lookups; NaN before any lookup.</param>
public readonly record struct PipelineStats(
    long Chunks, long Samples, long DroppedSamples, long Segments, long Windows,
    long CacheHits, long CacheMisses, long EncoderCalls, long EncoderErrors,
    double AudioSeconds, double ProcessingSeconds, double RealTimeFactor, double CacheHitRate);

/// <summary>core_pipeline_stats_t, version 0.1 layout (checked by a test).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativePipelineStats
{
    internal ulong Chunks;
    internal ulong Samples;
    internal ulong DroppedSamples;
    internal ulong Segments;
    internal ulong Windows;
    internal ulong CacheHits;
    internal ulong CacheMisses;
    internal ulong EncoderCalls;
    internal ulong EncoderErrors;
    internal double AudioSeconds;
    internal double ProcessingSeconds;
    internal double RealTimeFactor;
    internal double CacheHitRate;
}
