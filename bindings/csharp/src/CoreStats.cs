using System;
using System.Buffers;

namespace LibCore;

/// <summary>
/// NumPy-named statistics (stats.h), float and double input, double results.
/// </summary>
/// <remarks>
/// <para>NaN propagates (np.mean, not np.nanmean), except in
/// <see cref="Percentile(ReadOnlySpan{float}, double, NanPolicy)"/> which takes a
/// policy; for NaN-skipping summaries use <see cref="Stats.Of(ReadOnlySpan{float}, NanPolicy)"/>.</para>
/// <para>Empty input follows NumPy: Mean, Var, Std, Energy, Rms give NaN (and
/// ZeroCrossingRate and Corrcoef need 2 values), while Min, Max and
/// Percentile, which NumPy refuses, throw <see cref="CoreException"/> with
/// <see cref="CoreStatus.Empty"/>. Array overloads throw
/// <see cref="ArgumentNullException"/> for null; spans and arrays are pinned,
/// never copied.</para>
/// </remarks>
public static class CoreStats
{
    // ---- min / max ------------------------------------------------------------

    /// <summary>np.min. NaN if any value is NaN.</summary>
    /// <exception cref="CoreException"><see cref="CoreStatus.Empty"/> for no values.</exception>
    public static unsafe double Min(ReadOnlySpan<float> x) { double r; CoreNative.core_min_f32(x, &r); return r; }
    /// <inheritdoc cref="Min(ReadOnlySpan{float})"/>
    public static unsafe double Min(ReadOnlySpan<double> x) { double r; CoreNative.core_min_f64(x, &r); return r; }
    /// <inheritdoc cref="Min(ReadOnlySpan{float})"/>
    public static double Min(float[] x) => Min(NotNull(x));
    /// <inheritdoc cref="Min(ReadOnlySpan{float})"/>
    public static double Min(double[] x) => Min(NotNull(x));

    /// <summary>np.max. NaN if any value is NaN.</summary>
    /// <exception cref="CoreException"><see cref="CoreStatus.Empty"/> for no values.</exception>
    public static unsafe double Max(ReadOnlySpan<float> x) { double r; CoreNative.core_max_f32(x, &r); return r; }
    /// <inheritdoc cref="Max(ReadOnlySpan{float})"/>
    public static unsafe double Max(ReadOnlySpan<double> x) { double r; CoreNative.core_max_f64(x, &r); return r; }
    /// <inheritdoc cref="Max(ReadOnlySpan{float})"/>
    public static double Max(float[] x) => Max(NotNull(x));
    /// <inheritdoc cref="Max(ReadOnlySpan{float})"/>
    public static double Max(double[] x) => Max(NotNull(x));

    // ---- mean / var / std -----------------------------------------------------

    /// <summary>np.mean (float64 accumulation). NaN for no values.</summary>
    public static unsafe double Mean(ReadOnlySpan<float> x) { double r; CoreNative.core_mean_f32(x, &r); return r; }
    /// <inheritdoc cref="Mean(ReadOnlySpan{float})"/>
    public static unsafe double Mean(ReadOnlySpan<double> x) { double r; CoreNative.core_mean_f64(x, &r); return r; }
    /// <inheritdoc cref="Mean(ReadOnlySpan{float})"/>
    public static double Mean(float[] x) => Mean(NotNull(x));
    /// <inheritdoc cref="Mean(ReadOnlySpan{float})"/>
    public static double Mean(double[] x) => Mean(NotNull(x));

    /// <summary>np.var(x, ddof=ddof). NaN when there are no more values than ddof.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ddof"/> is negative.</exception>
    public static unsafe double Var(ReadOnlySpan<float> x, int ddof = 0)
    {
        uint d = Guard.Ddof(ddof);
        double r;
        CoreNative.core_var_f32(x, d, &r);
        return r;
    }
    /// <inheritdoc cref="Var(ReadOnlySpan{float}, int)"/>
    public static unsafe double Var(ReadOnlySpan<double> x, int ddof = 0)
    {
        uint d = Guard.Ddof(ddof);
        double r;
        CoreNative.core_var_f64(x, d, &r);
        return r;
    }
    /// <inheritdoc cref="Var(ReadOnlySpan{float}, int)"/>
    public static double Var(float[] x, int ddof = 0) => Var(NotNull(x), ddof);
    /// <inheritdoc cref="Var(ReadOnlySpan{float}, int)"/>
    public static double Var(double[] x, int ddof = 0) => Var(NotNull(x), ddof);

    /// <summary>np.std(x, ddof=ddof). NaN when there are no more values than ddof.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ddof"/> is negative.</exception>
    public static unsafe double Std(ReadOnlySpan<float> x, int ddof = 0)
    {
        uint d = Guard.Ddof(ddof);
        double r;
        CoreNative.core_std_f32(x, d, &r);
        return r;
    }
    /// <inheritdoc cref="Std(ReadOnlySpan{float}, int)"/>
    public static unsafe double Std(ReadOnlySpan<double> x, int ddof = 0)
    {
        uint d = Guard.Ddof(ddof);
        double r;
        CoreNative.core_std_f64(x, d, &r);
        return r;
    }
    /// <inheritdoc cref="Std(ReadOnlySpan{float}, int)"/>
    public static double Std(float[] x, int ddof = 0) => Std(NotNull(x), ddof);
    /// <inheritdoc cref="Std(ReadOnlySpan{float}, int)"/>
    public static double Std(double[] x, int ddof = 0) => Std(NotNull(x), ddof);

    // ---- two arrays -----------------------------------------------------------

    /// <summary>Dot product sum x[i]*y[i], float64 accumulation. 0 for no values.</summary>
    /// <exception cref="ArgumentException">x and y differ in length.</exception>
    public static unsafe double Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        Guard.SameLength(x.Length, y.Length, nameof(x), nameof(y));
        double r;
        fixed (float* px = x, py = y)
            CoreNative.core_dot_f32(px, py, (ulong)x.Length, &r);
        return r;
    }
    /// <inheritdoc cref="Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>
    public static unsafe double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        Guard.SameLength(x.Length, y.Length, nameof(x), nameof(y));
        double r;
        fixed (double* px = x, py = y)
            CoreNative.core_dot_f64(px, py, (ulong)x.Length, &r);
        return r;
    }
    /// <inheritdoc cref="Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>
    public static double Dot(float[] x, float[] y) => Dot(NotNull(x), NotNull(y));
    /// <inheritdoc cref="Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>
    public static double Dot(double[] x, double[] y) => Dot(NotNull(x), NotNull(y));

    /// <summary>Pearson correlation np.corrcoef(x, y)[0, 1], clipped to [-1, 1].
    /// NaN for fewer than 2 values, a constant input, or a NaN input.</summary>
    /// <exception cref="ArgumentException">x and y differ in length.</exception>
    public static unsafe double Corrcoef(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        Guard.SameLength(x.Length, y.Length, nameof(x), nameof(y));
        double r;
        fixed (float* px = x, py = y)
            CoreNative.core_corrcoef_f32(px, py, (ulong)x.Length, &r);
        return r;
    }
    /// <inheritdoc cref="Corrcoef(ReadOnlySpan{float}, ReadOnlySpan{float})"/>
    public static unsafe double Corrcoef(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        Guard.SameLength(x.Length, y.Length, nameof(x), nameof(y));
        double r;
        fixed (double* px = x, py = y)
            CoreNative.core_corrcoef_f64(px, py, (ulong)x.Length, &r);
        return r;
    }
    /// <inheritdoc cref="Corrcoef(ReadOnlySpan{float}, ReadOnlySpan{float})"/>
    public static double Corrcoef(float[] x, float[] y) => Corrcoef(NotNull(x), NotNull(y));
    /// <inheritdoc cref="Corrcoef(ReadOnlySpan{float}, ReadOnlySpan{float})"/>
    public static double Corrcoef(double[] x, double[] y) => Corrcoef(NotNull(x), NotNull(y));

    // ---- signal measures ------------------------------------------------------

    /// <summary>Energy: the mean of x[i]^2. NaN for no values.</summary>
    public static unsafe double Energy(ReadOnlySpan<float> x) { double r; CoreNative.core_energy_f32(x, &r); return r; }
    /// <inheritdoc cref="Energy(ReadOnlySpan{float})"/>
    public static unsafe double Energy(ReadOnlySpan<double> x) { double r; CoreNative.core_energy_f64(x, &r); return r; }
    /// <inheritdoc cref="Energy(ReadOnlySpan{float})"/>
    public static double Energy(float[] x) => Energy(NotNull(x));
    /// <inheritdoc cref="Energy(ReadOnlySpan{float})"/>
    public static double Energy(double[] x) => Energy(NotNull(x));

    /// <summary>Root mean square, sqrt(Energy). NaN for no values.</summary>
    public static unsafe double Rms(ReadOnlySpan<float> x) { double r; CoreNative.core_rms_f32(x, &r); return r; }
    /// <inheritdoc cref="Rms(ReadOnlySpan{float})"/>
    public static unsafe double Rms(ReadOnlySpan<double> x) { double r; CoreNative.core_rms_f64(x, &r); return r; }
    /// <inheritdoc cref="Rms(ReadOnlySpan{float})"/>
    public static double Rms(float[] x) => Rms(NotNull(x));
    /// <inheritdoc cref="Rms(ReadOnlySpan{float})"/>
    public static double Rms(double[] x) => Rms(NotNull(x));

    /// <summary>Fraction of adjacent pairs whose signs differ (0 and -0.0 count as
    /// positive, NaN as negative; librosa zero_pos=True). NaN for fewer than 2 values.</summary>
    public static unsafe double ZeroCrossingRate(ReadOnlySpan<float> x)
    {
        double r;
        CoreNative.core_zero_crossing_rate_f32(x, &r);
        return r;
    }
    /// <inheritdoc cref="ZeroCrossingRate(ReadOnlySpan{float})"/>
    public static unsafe double ZeroCrossingRate(ReadOnlySpan<double> x)
    {
        double r;
        CoreNative.core_zero_crossing_rate_f64(x, &r);
        return r;
    }
    /// <inheritdoc cref="ZeroCrossingRate(ReadOnlySpan{float})"/>
    public static double ZeroCrossingRate(float[] x) => ZeroCrossingRate(NotNull(x));
    /// <inheritdoc cref="ZeroCrossingRate(ReadOnlySpan{float})"/>
    public static double ZeroCrossingRate(double[] x) => ZeroCrossingRate(NotNull(x));

    // ---- percentile -----------------------------------------------------------

    /// <summary>The q-th percentile, q in [0, 100], with NumPy's default linear
    /// interpolation (np.percentile; np.nanpercentile under Omit). O(n) selection
    /// in a pooled scratch buffer; x is not modified.</summary>
    /// <exception cref="CoreException"><see cref="CoreStatus.Empty"/> when no value
    /// remains; <see cref="CoreStatus.InvalidArgument"/> for q outside [0, 100] or NaN,
    /// or a bad policy.</exception>
    public static double Percentile(ReadOnlySpan<float> x, double q, NanPolicy nan = NanPolicy.Propagate)
    {
        float[] scratch = ArrayPool<float>.Shared.Rent(Math.Max(x.Length, 1));
        try { return Percentile(x, q, nan, scratch); }
        finally { ArrayPool<float>.Shared.Return(scratch); }
    }
    /// <inheritdoc cref="Percentile(ReadOnlySpan{float}, double, NanPolicy)"/>
    public static double Percentile(ReadOnlySpan<double> x, double q, NanPolicy nan = NanPolicy.Propagate)
    {
        double[] scratch = ArrayPool<double>.Shared.Rent(Math.Max(x.Length, 1));
        try { return Percentile(x, q, nan, scratch); }
        finally { ArrayPool<double>.Shared.Return(scratch); }
    }
    /// <inheritdoc cref="Percentile(ReadOnlySpan{float}, double, NanPolicy)"/>
    public static double Percentile(float[] x, double q, NanPolicy nan = NanPolicy.Propagate) =>
        Percentile(NotNull(x), q, nan);
    /// <inheritdoc cref="Percentile(ReadOnlySpan{float}, double, NanPolicy)"/>
    public static double Percentile(double[] x, double q, NanPolicy nan = NanPolicy.Propagate) =>
        Percentile(NotNull(x), q, nan);

    /// <summary>As <see cref="Percentile(ReadOnlySpan{float}, double, NanPolicy)"/>,
    /// with a caller scratch buffer (at least x.Length; contents afterwards
    /// unspecified; must not overlap x): no allocation.</summary>
    /// <exception cref="CoreException"><see cref="CoreStatus.BufferTooSmall"/> when
    /// scratch is shorter than x; otherwise as the pooled overload.</exception>
    public static unsafe double Percentile(ReadOnlySpan<float> x, double q, NanPolicy nan, Span<float> scratch)
    {
        double r;
        CoreNative.core_percentile_f32(x, q, nan, scratch, &r);
        return r;
    }
    /// <inheritdoc cref="Percentile(ReadOnlySpan{float}, double, NanPolicy, Span{float})"/>
    public static unsafe double Percentile(ReadOnlySpan<double> x, double q, NanPolicy nan, Span<double> scratch)
    {
        double r;
        CoreNative.core_percentile_f64(x, q, nan, scratch, &r);
        return r;
    }

    private static ReadOnlySpan<T> NotNull<T>(T[] x, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(x))] string? name = null)
    {
        ArgumentNullException.ThrowIfNull(x, name);
        return x;
    }
}
