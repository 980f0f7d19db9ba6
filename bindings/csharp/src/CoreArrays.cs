using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LibCore;

/// <summary>
/// NumPy-style array creation and transforms (array.h), float and double.
/// </summary>
/// <remarks>
/// <para>Values are computed in float64 and rounded once to float for the
/// float variants, so both types agree to the last float bit. Element i of
/// arange and linspace is computed from i, never by a running sum.</para>
/// <para>Methods that return an array allocate it with the length libcore
/// computes (core_arange_len, core_concat_len). Methods that take a
/// destination span write into it without allocating; spans and arrays are
/// pinned for the call, never copied. Generic methods accept
/// <c>float</c> and <c>double</c>; any other T throws
/// <see cref="NotSupportedException"/>.</para>
/// </remarks>
public static partial class CoreArrays
{
    // ---- arange ---------------------------------------------------------------

    /// <summary>Length of arange(start, stop, step): ceil((stop - start) / step),
    /// or 0 when negative (NumPy's rule; arange(0, 1, 0.1) has 10).</summary>
    /// <exception cref="CoreException">step is 0, an argument is not finite, or
    /// the length does not fit in memory (<see cref="CoreStatus.InvalidArgument"/>).</exception>
    public static unsafe long ArangeLength(double start, double stop, double step = 1.0)
    {
        ulong n;
        CoreNative.core_arange_len(start, stop, step, &n);
        return (long)n;
    }

    /// <summary>np.arange(start, stop, step) as a new T[] (float or double).
    /// Element i is start + i*step rounded once.</summary>
    /// <exception cref="CoreException">As <see cref="ArangeLength"/>.</exception>
    public static unsafe T[] Arange<T>(double start, double stop, double step = 1.0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.FloatOrDouble<T>();
        ulong len;
        CoreNative.core_arange_len(start, stop, step, &len);
        T[] result = GC.AllocateUninitializedArray<T>(Guard.ArrayLength(len, "Arange"));
        if (typeof(T) == typeof(float))
            Arange(start, stop, step, MemoryMarshal.Cast<T, float>(result.AsSpan()));
        else
            Arange(start, stop, step, MemoryMarshal.Cast<T, double>(result.AsSpan()));
        return result;
    }

    /// <summary>Writes np.arange(start, stop, step) to the start of
    /// <paramref name="destination"/>; returns the number of elements written.</summary>
    /// <exception cref="CoreException"><see cref="CoreStatus.BufferTooSmall"/> when
    /// destination is shorter than the range (nothing written); otherwise as
    /// <see cref="ArangeLength"/>.</exception>
    public static unsafe int Arange(double start, double stop, double step, Span<float> destination)
    {
        ulong n;
        CoreNative.core_arange_f32(start, stop, step, destination, &n);
        return (int)n;
    }

    /// <inheritdoc cref="Arange(double, double, double, Span{float})"/>
    public static unsafe int Arange(double start, double stop, double step, Span<double> destination)
    {
        ulong n;
        CoreNative.core_arange_f64(start, stop, step, destination, &n);
        return (int)n;
    }

    // ---- linspace -------------------------------------------------------------

    /// <summary>np.linspace: <paramref name="num"/> evenly spaced values from
    /// start to stop as a new T[]. With <paramref name="endpoint"/> the last
    /// element is exactly stop; num == 1 gives [start]; num == 0 gives [].</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="num"/> is negative.</exception>
    /// <exception cref="CoreException">start or stop is not finite.</exception>
    public static T[] Linspace<T>(double start, double stop, int num = 50, bool endpoint = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.Count(num, nameof(num));
        Guard.FloatOrDouble<T>();
        T[] result = GC.AllocateUninitializedArray<T>(num);
        if (typeof(T) == typeof(float))
            Linspace(start, stop, MemoryMarshal.Cast<T, float>(result.AsSpan()), endpoint);
        else
            Linspace(start, stop, MemoryMarshal.Cast<T, double>(result.AsSpan()), endpoint);
        return result;
    }

    /// <summary>Fills <paramref name="destination"/> with np.linspace(start, stop,
    /// destination.Length, endpoint).</summary>
    /// <exception cref="CoreException">start or stop is not finite.</exception>
    public static unsafe void Linspace(double start, double stop, Span<float> destination, bool endpoint = true)
    {
        fixed (float* p = destination)
            CoreNative.core_linspace_f32(start, stop, (ulong)destination.Length, endpoint ? 1 : 0, p);
    }

    /// <inheritdoc cref="Linspace(double, double, Span{float}, bool)"/>
    public static unsafe void Linspace(double start, double stop, Span<double> destination, bool endpoint = true)
    {
        fixed (double* p = destination)
            CoreNative.core_linspace_f64(start, stop, (ulong)destination.Length, endpoint ? 1 : 0, p);
    }

    // ---- fill, zeros, ones ----------------------------------------------------

    /// <summary>np.full: a new array of <paramref name="n"/> copies of
    /// <paramref name="value"/> (any value, NaN included).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is negative.</exception>
    public static T[] Fill<T>(int n, T value) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.Count(n, nameof(n));
        Guard.FloatOrDouble<T>();
        T[] result = GC.AllocateUninitializedArray<T>(n);
        if (typeof(T) == typeof(float))
            Fill(MemoryMarshal.Cast<T, float>(result.AsSpan()), Unsafe.BitCast<T, float>(value));
        else
            Fill(MemoryMarshal.Cast<T, double>(result.AsSpan()), Unsafe.BitCast<T, double>(value));
        return result;
    }

    /// <summary>Sets every element of <paramref name="destination"/> to <paramref name="value"/>.</summary>
    public static void Fill(Span<float> destination, float value) => CoreNative.core_fill_f32(destination, value);

    /// <inheritdoc cref="Fill(Span{float}, float)"/>
    public static void Fill(Span<double> destination, double value) => CoreNative.core_fill_f64(destination, value);

    /// <summary>np.zeros: a new array of <paramref name="n"/> zeros (+0.0).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is negative.</exception>
    public static T[] Zeros<T>(int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.Count(n, nameof(n));
        Guard.FloatOrDouble<T>();
        T[] result = GC.AllocateUninitializedArray<T>(n);
        if (typeof(T) == typeof(float))
            Zeros(MemoryMarshal.Cast<T, float>(result.AsSpan()));
        else
            Zeros(MemoryMarshal.Cast<T, double>(result.AsSpan()));
        return result;
    }

    /// <summary>Sets every element of <paramref name="destination"/> to +0.0.</summary>
    public static void Zeros(Span<float> destination) => CoreNative.core_zeros_f32(destination);

    /// <inheritdoc cref="Zeros(Span{float})"/>
    public static void Zeros(Span<double> destination) => CoreNative.core_zeros_f64(destination);

    /// <summary>np.ones: a new array of <paramref name="n"/> ones.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is negative.</exception>
    public static T[] Ones<T>(int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.Count(n, nameof(n));
        Guard.FloatOrDouble<T>();
        T[] result = GC.AllocateUninitializedArray<T>(n);
        if (typeof(T) == typeof(float))
            Ones(MemoryMarshal.Cast<T, float>(result.AsSpan()));
        else
            Ones(MemoryMarshal.Cast<T, double>(result.AsSpan()));
        return result;
    }

    /// <summary>Sets every element of <paramref name="destination"/> to 1.</summary>
    public static void Ones(Span<float> destination) => CoreNative.core_ones_f32(destination);

    /// <inheritdoc cref="Ones(Span{float})"/>
    public static void Ones(Span<double> destination) => CoreNative.core_ones_f64(destination);

    // ---- concatenate ----------------------------------------------------------

    /// <summary>Total length of parts of the given lengths (core_concat_len).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="lengths"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A length is negative.</exception>
    /// <exception cref="CoreException">The sum overflows.</exception>
    public static unsafe long ConcatLength(params long[] lengths)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        foreach (long l in lengths)
            if (l < 0)
                throw new ArgumentOutOfRangeException(nameof(lengths), l, "lengths must be >= 0.");
        ulong n;
        CoreNative.core_concat_len(MemoryMarshal.Cast<long, ulong>(lengths.AsSpan()), &n);
        return (long)n;
    }

    /// <summary>np.concatenate: the parts one after another in a new array.
    /// Each part is pinned for the call, not copied twice.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="parts"/> or one of its
    /// elements is null.</exception>
    public static float[] Concat(params float[][] parts) => ConcatCore(parts);

    /// <inheritdoc cref="Concat(float[][])"/>
    public static double[] Concat(params double[][] parts) => ConcatCore(parts);

    private static unsafe T[] ConcatCore<T>(T[][] parts) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(parts);
        int count = parts.Length;
        Span<ulong> lens = count <= 64 ? stackalloc ulong[count] : new ulong[count];
        for (int i = 0; i < count; ++i)
        {
            if (parts[i] is null)
                throw new ArgumentNullException($"{nameof(parts)}[{i}]");
            lens[i] = (ulong)parts[i].Length;
        }
        ulong total, n;
        CoreNative.core_concat_len(lens, &total);
        T[] result = GC.AllocateUninitializedArray<T>(Guard.ArrayLength(total, "Concat"));
        Span<nint> ptrs = count <= 64 ? stackalloc nint[count] : new nint[count];
        var pins = new GCHandle[count];
        try
        {
            for (int i = 0; i < count; ++i)
            {
                if (parts[i].Length == 0)
                {
                    ptrs[i] = 0;
                    continue;
                }
                pins[i] = GCHandle.Alloc(parts[i], GCHandleType.Pinned);
                ptrs[i] = pins[i].AddrOfPinnedObject();
            }
            fixed (nint* pp = ptrs)
            {
                if (typeof(T) == typeof(float))
                    CoreNative.core_concat_f32((float**)pp, lens, MemoryMarshal.Cast<T, float>(result.AsSpan()), &n);
                else
                    CoreNative.core_concat_f64((double**)pp, lens, MemoryMarshal.Cast<T, double>(result.AsSpan()), &n);
            }
        }
        finally
        {
            foreach (GCHandle h in pins)
                if (h.IsAllocated)
                    h.Free();
        }
        return result;
    }
}
