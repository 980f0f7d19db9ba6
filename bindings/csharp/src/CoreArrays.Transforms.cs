using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace LibCore;

public static partial class CoreArrays
{
    // ---- cumsum ---------------------------------------------------------------

    /// <summary>np.cumsum as a new array: out[i] = x[0] + ... + x[i], accumulated
    /// in float64 with compensation and rounded once per element, so the error
    /// does not grow with the length (NumPy's float32 running sum does).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    public static float[] Cumsum(float[] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        float[] result = GC.AllocateUninitializedArray<float>(x.Length);
        Cumsum(x, result);
        return result;
    }

    /// <inheritdoc cref="Cumsum(float[])"/>
    public static double[] Cumsum(double[] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        double[] result = GC.AllocateUninitializedArray<double>(x.Length);
        Cumsum(x, result);
        return result;
    }

    /// <summary>Writes the cumulative sums of <paramref name="x"/> to the start of
    /// <paramref name="destination"/>. In place (the same memory) is allowed.</summary>
    /// <exception cref="ArgumentException">destination is shorter than x.</exception>
    /// <exception cref="CoreException">x and destination partly overlap.</exception>
    public static unsafe void Cumsum(ReadOnlySpan<float> x, Span<float> destination)
    {
        Guard.Destination(x.Length, destination.Length);
        fixed (float* p = destination)
            CoreNative.core_cumsum_f32(x, p);
    }

    /// <inheritdoc cref="Cumsum(ReadOnlySpan{float}, Span{float})"/>
    public static unsafe void Cumsum(ReadOnlySpan<double> x, Span<double> destination)
    {
        Guard.Destination(x.Length, destination.Length);
        fixed (double* p = destination)
            CoreNative.core_cumsum_f64(x, p);
    }

    // ---- normalize ------------------------------------------------------------

    /// <summary>In place z-score (scipy.stats.zscore): x[i] = (x[i] - mean) / std,
    /// std computed with <paramref name="ddof"/>. Under Omit NaNs are skipped and
    /// stay NaN; under Propagate a NaN makes every element NaN. Empty is a no-op.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ddof"/> is negative.</exception>
    /// <exception cref="CoreException">The data cannot be normalized (std 0, or no
    /// more values than ddof); x is then left untouched.</exception>
    public static void Normalize(float[] x, int ddof = 0, NanPolicy nan = NanPolicy.Propagate)
    {
        ArgumentNullException.ThrowIfNull(x);
        Normalize(x.AsSpan(), ddof, nan);
    }

    /// <inheritdoc cref="Normalize(float[], int, NanPolicy)"/>
    public static void Normalize(double[] x, int ddof = 0, NanPolicy nan = NanPolicy.Propagate)
    {
        ArgumentNullException.ThrowIfNull(x);
        Normalize(x.AsSpan(), ddof, nan);
    }

    /// <inheritdoc cref="Normalize(float[], int, NanPolicy)"/>
    public static void Normalize(Span<float> x, int ddof = 0, NanPolicy nan = NanPolicy.Propagate) =>
        CoreNative.core_normalize_f32(x, Guard.Ddof(ddof), nan);

    /// <inheritdoc cref="Normalize(float[], int, NanPolicy)"/>
    public static void Normalize(Span<double> x, int ddof = 0, NanPolicy nan = NanPolicy.Propagate) =>
        CoreNative.core_normalize_f64(x, Guard.Ddof(ddof), nan);

    // ---- normal pdf -----------------------------------------------------------

    /// <summary>scipy.stats.norm.pdf(x, mean, std) as a new array, vectorized.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="CoreException">mean is not finite, or std is not finite and &gt; 0.</exception>
    public static float[] NormalPdf(float[] x, double mean = 0.0, double std = 1.0)
    {
        ArgumentNullException.ThrowIfNull(x);
        float[] result = GC.AllocateUninitializedArray<float>(x.Length);
        NormalPdf(x, result, mean, std);
        return result;
    }

    /// <inheritdoc cref="NormalPdf(float[], double, double)"/>
    public static double[] NormalPdf(double[] x, double mean = 0.0, double std = 1.0)
    {
        ArgumentNullException.ThrowIfNull(x);
        double[] result = GC.AllocateUninitializedArray<double>(x.Length);
        NormalPdf(x, result, mean, std);
        return result;
    }

    /// <summary>Writes the normal pdf of <paramref name="x"/> to the start of
    /// <paramref name="destination"/>. In place is allowed.</summary>
    /// <exception cref="ArgumentException">destination is shorter than x.</exception>
    /// <exception cref="CoreException">mean is not finite, or std is not finite and &gt; 0.</exception>
    public static unsafe void NormalPdf(ReadOnlySpan<float> x, Span<float> destination,
                                        double mean = 0.0, double std = 1.0)
    {
        Guard.Destination(x.Length, destination.Length);
        fixed (float* p = destination)
            CoreNative.core_normal_pdf_f32(x, mean, std, p);
    }

    /// <inheritdoc cref="NormalPdf(ReadOnlySpan{float}, Span{float}, double, double)"/>
    public static unsafe void NormalPdf(ReadOnlySpan<double> x, Span<double> destination,
                                        double mean = 0.0, double std = 1.0)
    {
        Guard.Destination(x.Length, destination.Length);
        fixed (double* p = destination)
            CoreNative.core_normal_pdf_f64(x, mean, std, p);
    }

    // ---- PCM ------------------------------------------------------------------

    /// <summary>int16 PCM to [-1, 1): out[i] = pcm[i] / 32768, exact, as a new T[]
    /// (float or double).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="pcm"/> is null.</exception>
    public static T[] FromPcm16<T>(short[] pcm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(pcm);
        Guard.FloatOrDouble<T>();
        T[] result = GC.AllocateUninitializedArray<T>(pcm.Length);
        if (typeof(T) == typeof(float))
            FromPcm16(pcm, MemoryMarshal.Cast<T, float>(result.AsSpan()));
        else
            FromPcm16(pcm, MemoryMarshal.Cast<T, double>(result.AsSpan()));
        return result;
    }

    /// <summary>Writes pcm[i] / 32768 to the start of <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">destination is shorter than pcm.</exception>
    public static unsafe void FromPcm16(ReadOnlySpan<short> pcm, Span<float> destination)
    {
        Guard.Destination(pcm.Length, destination.Length);
        fixed (float* p = destination)
            CoreNative.core_pcm16_to_f32(pcm, p);
    }

    /// <inheritdoc cref="FromPcm16(ReadOnlySpan{short}, Span{float})"/>
    public static unsafe void FromPcm16(ReadOnlySpan<short> pcm, Span<double> destination)
    {
        Guard.Destination(pcm.Length, destination.Length);
        fixed (double* p = destination)
            CoreNative.core_pcm16_to_f64(pcm, p);
    }

    /// <summary>Float to int16 PCM as a new array: round_half_even(x * 32768)
    /// clipped to [-32768, 32767], NaN to 0 — the exact inverse of
    /// <see cref="FromPcm16{T}"/>. <paramref name="clipped"/> counts the samples
    /// clipped or NaN, so saturation is never silent.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    public static short[] ToPcm16(float[] x, out long clipped)
    {
        ArgumentNullException.ThrowIfNull(x);
        short[] result = GC.AllocateUninitializedArray<short>(x.Length);
        clipped = ToPcm16(x, result);
        return result;
    }

    /// <inheritdoc cref="ToPcm16(float[], out long)"/>
    public static short[] ToPcm16(double[] x, out long clipped)
    {
        ArgumentNullException.ThrowIfNull(x);
        short[] result = GC.AllocateUninitializedArray<short>(x.Length);
        clipped = ToPcm16(x, result);
        return result;
    }

    /// <summary>Writes int16 PCM of <paramref name="x"/> to the start of
    /// <paramref name="destination"/>; returns how many samples were clipped or NaN.</summary>
    /// <exception cref="ArgumentException">destination is shorter than x.</exception>
    public static unsafe long ToPcm16(ReadOnlySpan<float> x, Span<short> destination)
    {
        Guard.Destination(x.Length, destination.Length);
        ulong clipped;
        fixed (short* p = destination)
            CoreNative.core_f32_to_pcm16(x, p, &clipped);
        return (long)clipped;
    }

    /// <inheritdoc cref="ToPcm16(ReadOnlySpan{float}, Span{short})"/>
    public static unsafe long ToPcm16(ReadOnlySpan<double> x, Span<short> destination)
    {
        Guard.Destination(x.Length, destination.Length);
        ulong clipped;
        fixed (short* p = destination)
            CoreNative.core_f64_to_pcm16(x, p, &clipped);
        return (long)clipped;
    }
}
