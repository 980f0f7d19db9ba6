using System;
using System.Runtime.InteropServices;

namespace LibCore;

/// <summary>
/// A speech segment found by a <see cref="Vad"/>: samples [<see cref="Start"/>,
/// <see cref="End"/>) of the stream, padding included (core_segment_t, same layout:
/// libcore writes these directly).
/// </summary>
/// <param name="Start">The first sample of the segment.</param>
/// <param name="End">One past the last sample.</param>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct Segment(ulong Start, ulong End)
{
    /// <summary>End - Start, in samples.</summary>
    public ulong Length => End - Start;

    /// <summary>Start in seconds at <paramref name="sampleRate"/> Hz.</summary>
    /// <exception cref="ArgumentOutOfRangeException">sampleRate is not positive.</exception>
    public double StartSeconds(int sampleRate) => Start / (double)Rate(sampleRate);

    /// <summary>End in seconds at <paramref name="sampleRate"/> Hz.</summary>
    /// <exception cref="ArgumentOutOfRangeException">sampleRate is not positive.</exception>
    public double EndSeconds(int sampleRate) => End / (double)Rate(sampleRate);

    /// <summary>Length in seconds at <paramref name="sampleRate"/> Hz.</summary>
    /// <exception cref="ArgumentOutOfRangeException">sampleRate is not positive.</exception>
    public double DurationSeconds(int sampleRate) => Length / (double)Rate(sampleRate);

    /// <inheritdoc/>
    public override string ToString() => $"Segment(Start={Start}, End={End})";

    private static int Rate(int sampleRate) =>
        sampleRate > 0
            ? sampleRate
            : throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "sampleRate must be > 0.");
}
