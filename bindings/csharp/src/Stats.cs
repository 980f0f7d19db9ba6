using System;
using System.Runtime.InteropServices;

namespace LibCore;

/// <summary>
/// A mergeable one-pass summary of a sample (core_stats_t): count, NaN count,
/// min, max, sum, mean and M2, from which <see cref="Variance"/> and
/// <see cref="Std"/> follow for any ddof.
/// </summary>
/// <remarks>
/// <para>Accumulation is float64 for float and double input (SIMD, corrected
/// two-pass per block, Chan merges), so mean and variance stay within a few
/// ulps of an exact reference. Large inputs are reduced in parallel with
/// results bit-identical for any <see cref="Core.NumThreads"/>.</para>
/// <para>NaN: under <see cref="NanPolicy.Propagate"/> a NaN makes min, max,
/// sum, mean and the variance NaN (np.std); under <see cref="NanPolicy.Omit"/>
/// NaNs are skipped (np.nanstd). Either way <see cref="NanCount"/> counts
/// them. An empty sample (or only NaNs under Omit) is not an error: count 0,
/// sum 0, min/max/mean/M2 NaN.</para>
/// <para>The struct has exactly the layout of core_stats_t and is passed to
/// libcore by pointer, without marshalling.</para>
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Stats : IEquatable<Stats>
{
    private readonly ulong _count;
    private readonly ulong _nanCount;
    private readonly double _min, _max, _sum, _mean, _m2;

    private Stats(ulong count, ulong nanCount, double min, double max, double sum, double mean, double m2)
    {
        _count = count;
        _nanCount = nanCount;
        _min = min;
        _max = max;
        _sum = sum;
        _mean = mean;
        _m2 = m2;
    }

    /// <summary>The summary of no values: the identity of <see cref="Merge"/>.</summary>
    public static Stats Empty { get; } =
        new(0, 0, double.NaN, double.NaN, 0.0, double.NaN, double.NaN);

    /// <summary>Values summarized (NaNs excluded under <see cref="NanPolicy.Omit"/>).</summary>
    public long Count => (long)_count;

    /// <summary>NaNs seen.</summary>
    public long NanCount => (long)_nanCount;

    /// <summary>Smallest value (NaN when empty, or under Propagate with a NaN).</summary>
    public double Min => _min;

    /// <summary>Largest value (NaN when empty, or under Propagate with a NaN).</summary>
    public double Max => _max;

    /// <summary>Sum of the values (0 when empty).</summary>
    public double Sum => _sum;

    /// <summary>Mean of the values (NaN when empty).</summary>
    public double Mean => _mean;

    /// <summary>Sum of squared deviations from the mean (NaN when empty).</summary>
    public double M2 => _m2;

    // ---- summaries ------------------------------------------------------------

    /// <summary>Summarizes <paramref name="x"/> in one pass (core_stats_f32).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="CoreException">libcore refused the call (e.g. a bad NanPolicy).</exception>
    public static Stats Of(float[] x, NanPolicy nan = NanPolicy.Propagate)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Of(new ReadOnlySpan<float>(x), nan);
    }

    /// <inheritdoc cref="Of(float[], NanPolicy)"/>
    public static unsafe Stats Of(ReadOnlySpan<float> x, NanPolicy nan = NanPolicy.Propagate)
    {
        Stats s;
        CoreNative.core_stats_f32(x, nan, &s);
        return s;
    }

    /// <summary>Summarizes <paramref name="x"/> in one pass (core_stats_f64).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="CoreException">libcore refused the call (e.g. a bad NanPolicy).</exception>
    public static Stats Of(double[] x, NanPolicy nan = NanPolicy.Propagate)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Of(new ReadOnlySpan<double>(x), nan);
    }

    /// <inheritdoc cref="Of(double[], NanPolicy)"/>
    public static unsafe Stats Of(ReadOnlySpan<double> x, NanPolicy nan = NanPolicy.Propagate)
    {
        Stats s;
        CoreNative.core_stats_f64(x, nan, &s);
        return s;
    }

    // ---- derived values -------------------------------------------------------

    /// <summary>Variance M2 / (Count - ddof) (np.var(ddof=)); NaN when
    /// Count &lt;= ddof, as NumPy.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ddof"/> is negative.</exception>
    public unsafe double Variance(int ddof = 0)
    {
        uint d = Guard.Ddof(ddof);
        Stats self = this;
        double v;
        CoreNative.core_stats_var(&self, d, &v);
        return v;
    }

    /// <summary>Standard deviation, the square root of <see cref="Variance"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ddof"/> is negative.</exception>
    public unsafe double Std(int ddof = 0)
    {
        uint d = Guard.Ddof(ddof);
        Stats self = this;
        double v;
        CoreNative.core_stats_std(&self, d, &v);
        return v;
    }

    /// <summary>The summary of both samples (Chan et al. pairwise update,
    /// core_stats_merge): stream chunk by chunk, or combine workers.</summary>
    /// <exception cref="CoreException">The merged count would overflow.</exception>
    public unsafe Stats Merge(Stats other)
    {
        Stats a = this, r;
        CoreNative.core_stats_merge(&a, &other, &r);
        return r;
    }

    // ---- equality and text ----------------------------------------------------

    /// <summary>Field-by-field equality; NaN equals NaN.</summary>
    public bool Equals(Stats other) =>
        _count == other._count && _nanCount == other._nanCount && _min.Equals(other._min) &&
        _max.Equals(other._max) && _sum.Equals(other._sum) && _mean.Equals(other._mean) &&
        _m2.Equals(other._m2);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Stats s && Equals(s);

    /// <inheritdoc/>
    public override int GetHashCode() =>
        HashCode.Combine(_count, _nanCount, _min, _max, _sum, _mean, _m2);

    /// <summary>Field-by-field equality; NaN equals NaN.</summary>
    public static bool operator ==(Stats a, Stats b) => a.Equals(b);

    /// <summary>Field-by-field inequality.</summary>
    public static bool operator !=(Stats a, Stats b) => !a.Equals(b);

    /// <inheritdoc/>
    public override string ToString() =>
        $"Stats(Count={Count}, NanCount={NanCount}, Min={Min:R}, Max={Max:R}, Sum={Sum:R}, Mean={Mean:R}, M2={M2:R})";
}
