using System;
using System.Runtime.InteropServices;

namespace LibCore;

/// <summary>
/// The options of a <see cref="Batcher"/> (core_batcher_options_t), also the
/// <see cref="PipelineOptions.Batch"/> part of a pipeline's options. A new instance holds
/// libcore's defaults, read from core_batcher_options_init: batches of at most 8 items,
/// an item waits at most 50 ms, one length bucket.
/// </summary>
/// <remarks>The object is copied when a batcher is created. Negative values are
/// refused with <see cref="ArgumentOutOfRangeException"/>; every other check is
/// libcore's (<see cref="CoreException"/> with <see cref="CoreStatus.InvalidArgument"/>
/// and a message that names the field). The batcher always uses the monotonic clock
/// (the C API's injectable clock is not exposed).</remarks>
public sealed class BatcherOptions
{
    /// <summary>The most length buckets a batcher takes (CORE_BATCHER_MAX_BUCKETS):
    /// <see cref="BucketBounds"/> holds at most one less.</summary>
    public const int MaxBuckets = 16;

    /// <summary>Options with libcore's defaults (core_batcher_options_init).</summary>
    public unsafe BatcherOptions()
    {
        NativeBatcherOptions n;
        CoreNative.core_batcher_options_init(&n);
        From(n);
    }

    internal BatcherOptions(in NativeBatcherOptions n) => From(n);

    /// <summary>Items per batch, &gt;= 1 (default 8). A batch is released as soon as a
    /// bucket holds this many items.</summary>
    public int MaxBatch { get; set; }

    /// <summary>The longest an item waits, in ms (default 50); 0: every item is released
    /// at the next <see cref="Batcher.TryNext(out BatcherBatch)"/>.</summary>
    public int MaxDelayMs { get; set; }

    /// <summary>The inclusive upper length bounds of the buckets but the last, strictly
    /// ascending; an item goes to the first bucket whose bound is &gt;= its length, the
    /// last bucket takes the rest. Empty (the default): one bucket. At most
    /// <see cref="MaxBuckets"/> - 1 bounds.</summary>
    public ulong[] BucketBounds { get; set; } = Array.Empty<ulong>();

    /// <summary>The number of buckets: BucketBounds.Length + 1.</summary>
    public int BucketCount => (BucketBounds?.Length ?? 0) + 1;

    /// <summary>A copy of these options (the bounds array copied too).</summary>
    public BatcherOptions Clone()
    {
        var c = (BatcherOptions)MemberwiseClone();
        c.BucketBounds = (ulong[])(BucketBounds ?? Array.Empty<ulong>()).Clone();
        return c;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"BatcherOptions(MaxBatch={MaxBatch}, MaxDelayMs={MaxDelayMs}, " +
        $"BucketBounds=[{string.Join(", ", BucketBounds ?? Array.Empty<ulong>())}])";

    private unsafe void From(in NativeBatcherOptions n)
    {
        MaxBatch = (int)Math.Min(n.MaxBatch, int.MaxValue);
        MaxDelayMs = (int)Math.Min(n.MaxDelayMs, int.MaxValue);
        int bounds = n.NBuckets > 1 ? (int)Math.Min(n.NBuckets - 1, MaxBuckets) : 0;
        var b = new ulong[bounds];
        for (int i = 0; i < bounds; ++i)
            b[i] = n.BucketBounds[i];
        BucketBounds = b;
    }

    /// <summary>The C struct: core_batcher_options_init, then these values (the clock
    /// stays NULL: CLOCK_MONOTONIC).</summary>
    internal unsafe NativeBatcherOptions ToNative()
    {
        NativeBatcherOptions n;
        CoreNative.core_batcher_options_init(&n);
        Fill(ref n);
        return n;
    }

    /// <summary>Writes these values over <paramref name="n"/> (initialized by libcore).</summary>
    internal unsafe void Fill(ref NativeBatcherOptions n)
    {
        n.MaxBatch = LogMelOptions.Unsigned(MaxBatch, nameof(MaxBatch));
        n.MaxDelayMs = LogMelOptions.Unsigned(MaxDelayMs, nameof(MaxDelayMs));
        ulong[] bounds = BucketBounds ?? Array.Empty<ulong>();
        if (bounds.Length > MaxBuckets - 1)
            throw new ArgumentException(
                $"BucketBounds holds {bounds.Length} bounds; a batcher takes at most {MaxBuckets} buckets " +
                $"({MaxBuckets - 1} bounds).", nameof(BucketBounds));
        n.NBuckets = bounds.Length == 0 ? 0UL : (ulong)bounds.Length + 1;
        for (int i = 0; i < MaxBuckets; ++i)
            n.BucketBounds[i] = i < bounds.Length ? bounds[i] : 0;
    }
}

/// <summary>core_batcher_options_t, version 0.1 layout (checked against the
/// wrapper's sizeof by a test). Filled by core_batcher_options_init.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeBatcherOptions
{
    internal ulong StructSize;
    internal ulong MaxBatch;
    internal uint MaxDelayMs;
    internal ulong NBuckets;
    internal fixed ulong BucketBounds[16];
    internal IntPtr Clock;
    internal IntPtr ClockUser;
}
