using System;
using System.Numerics;

namespace LibCore;

/// <summary>The argument checks libcore cannot do itself (see
/// <see cref="CoreException"/> for the error policy).</summary>
internal static class Guard
{
    internal static uint Ddof(int ddof)
    {
        if (ddof < 0)
            throw new ArgumentOutOfRangeException(nameof(ddof), ddof, "ddof must be >= 0.");
        return (uint)ddof;
    }

    internal static void Count(int count, string name)
    {
        if (count < 0)
            throw new ArgumentOutOfRangeException(name, count, $"{name} must be >= 0.");
    }

    internal static void SameLength(int x, int y, string xName, string yName)
    {
        if (x != y)
            throw new ArgumentException(
                $"{xName} and {yName} must have the same length, got {x} and {y}.", yName);
    }

    internal static void Destination(int needed, int available, string name = "destination")
    {
        if (available < needed)
            throw new ArgumentException(
                $"{name} is too short: it needs {needed} elements, it has {available}.", name);
    }

    /// <summary>A libcore length as a .NET array length.</summary>
    internal static int ArrayLength(ulong n, string what)
    {
        if (n > (ulong)Array.MaxLength)
            throw new ArgumentException(
                $"{what} would have {n} elements, more than a .NET array can hold ({Array.MaxLength}).");
        return (int)n;
    }

    internal static NotSupportedException Unsupported<T>() =>
        new($"LibCore arrays are float or double, not {typeof(T).Name}.");

    /// <summary>Fails unless T is float or double (the JIT folds this away).</summary>
    internal static void FloatOrDouble<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            throw Unsupported<T>();
    }
}
