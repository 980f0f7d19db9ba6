using System;
using System.Threading;

namespace LibCore;

/// <summary>
/// A streaming summary: push a stream chunk by chunk, read its
/// <see cref="Stats"/> at any time, merge the accumulators of workers that
/// each saw part of the data (core_stats_acc_*).
/// </summary>
/// <remarks>
/// <para><b>Results.</b> The result never depends on how the stream was cut
/// into pushes. When the stream length was declared (<c>expectedCount</c> &gt;
/// 0) and exactly that many values were pushed, <see cref="Result"/> equals
/// <see cref="Stats.Of(ReadOnlySpan{float}, NanPolicy)"/> on the whole stream
/// bit for bit. With the length unknown (0) it is bit-identical too when the
/// number of 2048-value blocks is a power of two (so for any stream of up to
/// 2048 values); otherwise Count, NanCount, Min and Max are exact and Sum,
/// Mean and M2 differ only by the order of the final pairwise merges (a few
/// ulps). <see cref="Merge"/> is exact in Count, NanCount, Min and Max, to
/// rounding in the rest (Chan et al.).</para>
/// <para><b>One dtype.</b> The first non-empty push fixes the element type:
/// an accumulator takes only float or only double values (the two kernels
/// round differently); pushing the other throws <see cref="CoreException"/>.
/// Values pushed after a <see cref="Merge"/> start a new segment of either
/// type.</para>
/// <para><b>Memory.</b> libcore's state (core_stats_acc_t, about 21 KiB of
/// plain data, no native handle) lives in a managed byte array allocated on
/// the pinned object heap: it never moves, so it is passed to libcore
/// without pinning or copying, and the garbage collector frees it. There is
/// nothing to dispose. <see cref="Clone"/> copies it (to fork a stream).
/// Pushed values are read during the call only (up to one 2048-value block
/// is copied into the state).</para>
/// <para><b>Threads.</b> libcore's accumulator has no lock; this class adds
/// one, so every member may be called from any thread: calls on one
/// accumulator run one at a time (an uncontended lock costs ~20 ns per call).
/// For parallel work give each worker its own accumulator and
/// <see cref="Merge"/> them at the end.</para>
/// </remarks>
public sealed class StatsAccumulator
{
    private static long s_nextId;

    private readonly byte[] _state;
    private readonly Lock _lock = new();
    private readonly long _id = Interlocked.Increment(ref s_nextId); // lock order for Merge

    private static int s_stateSize;

    /// <summary>The size of core_stats_acc_t the native wrapper was compiled with
    /// (read on first use, so a missing library is a DllNotFoundException, not
    /// a TypeInitializationException).</summary>
    internal static int StateSize
    {
        get
        {
            int size = Volatile.Read(ref s_stateSize);
            if (size == 0)
                Volatile.Write(ref s_stateSize, size = ReadStateSize());
            return size;
        }
    }

    /// <summary>Starts an empty stream (core_stats_acc_init).</summary>
    /// <param name="nan">NaN policy of the summary, as for <see cref="Stats.Of(ReadOnlySpan{float}, NanPolicy)"/>.</param>
    /// <param name="expectedCount">The number of values that will be pushed, when
    /// known (the result is then exactly Stats.Of's), or 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expectedCount"/> is negative.</exception>
    /// <exception cref="CoreException">A bad <paramref name="nan"/> policy.</exception>
    public StatsAccumulator(NanPolicy nan = NanPolicy.Propagate, long expectedCount = 0)
    {
        CheckExpected(expectedCount);
        _state = GC.AllocateUninitializedArray<byte>(StateSize, pinned: true);
        NanPolicy = nan;
        Init(expectedCount);
    }

    private StatsAccumulator(StatsAccumulator source)
    {
        _state = GC.AllocateUninitializedArray<byte>(StateSize, pinned: true);
        NanPolicy = source.NanPolicy;
        lock (source._lock)
        {
            source._state.AsSpan().CopyTo(_state);
            ExpectedCount = source.ExpectedCount;
        }
    }

    /// <summary>The NaN policy given at construction.</summary>
    public NanPolicy NanPolicy { get; }

    /// <summary>The stream length declared at construction or by the last
    /// <see cref="Reset"/> (0: unknown).</summary>
    public long ExpectedCount { get; private set; }

    /// <summary>Appends <paramref name="values"/> to the stream
    /// (core_stats_acc_push_f32). The values are read during the call only.</summary>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/>,
    /// leaving the accumulator unchanged, when it already holds double values,
    /// or the push would exceed <see cref="ExpectedCount"/>.</exception>
    public unsafe void Push(ReadOnlySpan<float> values)
    {
        lock (_lock)
        {
            fixed (byte* p = _state)
                CoreNative.core_stats_acc_push_f32(p, values);
        }
    }

    /// <summary>Appends <paramref name="values"/> to the stream
    /// (core_stats_acc_push_f64). The values are read during the call only.</summary>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/>,
    /// leaving the accumulator unchanged, when it already holds float values,
    /// or the push would exceed <see cref="ExpectedCount"/>.</exception>
    public unsafe void Push(ReadOnlySpan<double> values)
    {
        lock (_lock)
        {
            fixed (byte* p = _state)
                CoreNative.core_stats_acc_push_f64(p, values);
        }
    }

    /// <inheritdoc cref="Push(ReadOnlySpan{float})"/>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    public void Push(float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Push(new ReadOnlySpan<float>(values));
    }

    /// <inheritdoc cref="Push(ReadOnlySpan{double})"/>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    public void Push(double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Push(new ReadOnlySpan<double>(values));
    }

    /// <summary>
    /// Folds <paramref name="other"/> into this accumulator: its summary becomes
    /// Result().Merge(other.Result()) (core_stats_acc_merge). other is
    /// unchanged and may be this accumulator. Values pushed afterwards start a
    /// new segment (either type, length unknown) merged after it.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/>, leaving
    /// this accumulator unchanged, for different NaN policies or counts that
    /// would overflow.</exception>
    public unsafe void Merge(StatsAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(other, this))
        {
            lock (_lock)
            {
                fixed (byte* p = _state)
                    CoreNative.core_stats_acc_merge(p, p);
            }
            return;
        }
        // Two locks, always taken in the same order: a.Merge(b) and b.Merge(a)
        // on two threads cannot deadlock.
        Lock first = _id < other._id ? _lock : other._lock;
        Lock second = _id < other._id ? other._lock : _lock;
        lock (first)
        lock (second)
        {
            fixed (byte* dst = _state, src = other._state)
                CoreNative.core_stats_acc_merge(dst, src);
        }
    }

    /// <summary>The summary of everything pushed and merged so far
    /// (core_stats_acc_result); the accumulator is not modified, so a stream
    /// can be read while it grows.</summary>
    public unsafe Stats Result()
    {
        Stats s;
        lock (_lock)
        {
            fixed (byte* p = _state)
                CoreNative.core_stats_acc_result(p, &s);
        }
        return s;
    }

    /// <summary>Starts a new, empty stream in this accumulator (same NaN policy),
    /// declaring its length when known (core_stats_acc_init).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expectedCount"/> is negative.</exception>
    public void Reset(long expectedCount = 0)
    {
        CheckExpected(expectedCount);
        lock (_lock)
            Init(expectedCount);
    }

    /// <summary>An independent copy of this accumulator (a fork of the stream):
    /// pushes to either no longer affect the other.</summary>
    public StatsAccumulator Clone() => new(this);

    /// <inheritdoc/>
    public override string ToString() => $"StatsAccumulator({Result()})";

    private unsafe void Init(long expectedCount)
    {
        fixed (byte* p = _state)
            CoreNative.core_stats_acc_init(p, NanPolicy, (ulong)expectedCount);
        ExpectedCount = expectedCount;
    }

    private static void CheckExpected(long expectedCount)
    {
        if (expectedCount < 0)
            throw new ArgumentOutOfRangeException(nameof(expectedCount), expectedCount,
                "expectedCount must be >= 0 (0: unknown).");
    }

    private static int ReadStateSize()
    {
        NativeLibraryLoader.EnsureLoaded();
        return checked((int)CoreNativePINVOKE.CoreCSharp_SizeOf(0));
    }
}
