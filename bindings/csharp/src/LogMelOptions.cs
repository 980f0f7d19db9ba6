using System;
using System.Runtime.InteropServices;

namespace LibCore;

/// <summary>
/// The options of a <see cref="LogMel"/> analyser and of a <see cref="LogMelStream"/>
/// (core_logmel_options_t). A new instance holds libcore's defaults, read from
/// core_logmel_options_init: Whisper's front end (16 kHz, a 400-sample FFT, a
/// hop of 160, 80 mel bands from 0 Hz to Nyquist, <see cref="LogMelMode.Whisper"/>,
/// 30-s normalization windows when streaming). Change the properties you need;
/// libcore checks the values when the analyser is created.
/// </summary>
/// <remarks>The object is copied when an analyser is created: changing it
/// afterwards changes nothing. Negative values are refused with
/// <see cref="ArgumentOutOfRangeException"/> at that point (the C fields are
/// unsigned); every other check is libcore's (<see cref="CoreException"/>
/// with <see cref="CoreStatus.InvalidArgument"/> and a message that names the
/// field).</remarks>
public sealed class LogMelOptions
{
    /// <summary>Options with libcore's defaults (core_logmel_options_init).</summary>
    public unsafe LogMelOptions()
    {
        NativeLogMelOptions n;
        CoreNative.core_logmel_options_init(&n);
        SampleRate = (int)n.SampleRate;
        NFft = (int)n.NFft;
        Hop = (int)n.Hop;
        NMels = (int)n.NMels;
        FMin = n.FMin;
        FMax = n.FMax;
        Mode = (LogMelMode)n.Mode;
        WindowFrames = (int)n.WindowFrames;
    }

    /// <summary>Sample rate in Hz, 1000 .. 384000 (default 16000).</summary>
    public int SampleRate { get; set; }

    /// <summary>FFT size = window length in samples, 2 .. 65536
    /// (CORE_LOGMEL_MAX_FFT; default 400).</summary>
    public int NFft { get; set; }

    /// <summary>Samples between frames, &gt;= 1 (default 160).</summary>
    public int Hop { get; set; }

    /// <summary>Mel bands, 1 .. NFft / 2 + 1 (default 80; Whisper large-v3 uses 128).</summary>
    public int NMels { get; set; }

    /// <summary>Lowest filter edge in Hz, finite and &gt;= 0 (default 0).</summary>
    public double FMin { get; set; }

    /// <summary>Highest filter edge in Hz, FMin &lt; FMax &lt;= SampleRate / 2;
    /// 0 (the default) means SampleRate / 2.</summary>
    public double FMax { get; set; }

    /// <summary>What follows log10 (default <see cref="LogMelMode.Whisper"/>).</summary>
    public LogMelMode Mode { get; set; }

    /// <summary>Streaming in <see cref="LogMelMode.Whisper"/> mode only: frames per
    /// normalization window, each floored by its own maximum (default 3000,
    /// Whisper's 30 s); 0 = one window for the whole stream, emitted at
    /// <see cref="LogMelStream.Flush"/>. Ignored by <see cref="LogMel"/>.</summary>
    public int WindowFrames { get; set; }

    /// <summary>A copy of these options.</summary>
    public LogMelOptions Clone() => (LogMelOptions)MemberwiseClone();

    /// <inheritdoc/>
    public override string ToString() =>
        $"LogMelOptions(SampleRate={SampleRate}, NFft={NFft}, Hop={Hop}, NMels={NMels}, " +
        $"FMin={FMin}, FMax={FMax}, Mode={Mode}, WindowFrames={WindowFrames})";

    /// <summary>The C struct: core_logmel_options_init, then these values.</summary>
    internal unsafe NativeLogMelOptions ToNative()
    {
        NativeLogMelOptions n;
        CoreNative.core_logmel_options_init(&n);
        n.SampleRate = Unsigned(SampleRate, nameof(SampleRate));
        n.NFft = Unsigned(NFft, nameof(NFft));
        n.Hop = Unsigned(Hop, nameof(Hop));
        n.NMels = Unsigned(NMels, nameof(NMels));
        n.FMin = FMin;
        n.FMax = FMax;
        n.Mode = (int)Mode;
        n.WindowFrames = Unsigned(WindowFrames, nameof(WindowFrames));
        return n;
    }

    internal static uint Unsigned(int value, string name)
    {
        if (value < 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be >= 0.");
        return (uint)value;
    }
}

/// <summary>core_logmel_options_t, version 0.1 layout (checked against the
/// wrapper's sizeof by a test). Filled by core_logmel_options_init.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeLogMelOptions
{
    internal ulong StructSize;
    internal uint SampleRate;
    internal uint NFft;
    internal uint Hop;
    internal uint NMels;
    internal double FMin;
    internal double FMax;
    internal int Mode;
    internal uint WindowFrames;
}
