using System;
using System.Runtime.InteropServices;

namespace LibCore;

/// <summary>
/// The options of a <see cref="Vad"/> and of <see cref="Vad.Segments(ReadOnlySpan{float}, VadOptions?)"/>
/// (core_vad_options_t). A new instance holds libcore's defaults, read from
/// core_vad_options_init (<see cref="VadPreset.Default"/>: Silero VAD's defaults at
/// 16 kHz with 30-ms frames); <see cref="FromPreset"/> (or <see cref="Transcribe"/>,
/// <see cref="Aggressive"/>) starts from a preset. Change the properties you need;
/// libcore checks the values when the detector is created.
/// </summary>
/// <remarks>The object is copied when a detector is created: changing it afterwards
/// changes nothing. Negative values are refused with
/// <see cref="ArgumentOutOfRangeException"/> at that point (the C fields are
/// unsigned); every other check is libcore's (<see cref="CoreException"/> with
/// <see cref="CoreStatus.InvalidArgument"/> and a message that names the field).</remarks>
public sealed class VadOptions
{
    /// <summary>Options with libcore's defaults (core_vad_options_init, the
    /// <see cref="VadPreset.Default"/> preset).</summary>
    public unsafe VadOptions()
    {
        NativeVadOptions n;
        CoreNative.core_vad_options_init(&n);
        From(n);
    }

    private VadOptions(NativeVadOptions n) => From(n);

    /// <summary>The options of a preset (core_vad_options_preset).</summary>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> for a
    /// value outside <see cref="VadPreset"/>.</exception>
    public static unsafe VadOptions FromPreset(VadPreset preset)
    {
        NativeVadOptions n;
        CoreNative.core_vad_options_preset(&n, (int)preset);
        return new VadOptions(n);
    }

    /// <summary>A new instance of <see cref="VadPreset.Default"/>: threshold 0.5, min
    /// speech 250 ms, min silence 100 ms, pad 30 ms.</summary>
    public static VadOptions Default => FromPreset(VadPreset.Default);

    /// <summary>A new instance of <see cref="VadPreset.Transcribe"/>: long segments for
    /// transcription (faster-whisper's VadOptions: min silence 2000 ms, pad 400 ms).</summary>
    public static VadOptions Transcribe => FromPreset(VadPreset.Transcribe);

    /// <summary>A new instance of <see cref="VadPreset.Aggressive"/>: a higher threshold
    /// and longer minimum speech, for noisy rooms.</summary>
    public static VadOptions Aggressive => FromPreset(VadPreset.Aggressive);

    /// <summary>Sample rate in Hz, 8000 .. 192000, with SampleRate * FrameMs a multiple
    /// of 1000 (default 16000).</summary>
    public int SampleRate { get; set; }

    /// <summary>Frame length in ms: 10, 20 or 30 (default 30).</summary>
    public int FrameMs { get; set; }

    /// <summary>Entry threshold on a frame's speech score, in (0, 1) (default 0.5).</summary>
    public float Threshold { get; set; }

    /// <summary>Exit threshold (hysteresis), 0 &lt;= NegThreshold &lt; Threshold; 0 (the
    /// default) means Threshold - 0.15 (at least 0.01), as Silero.</summary>
    public float NegThreshold { get; set; }

    /// <summary>Shorter speech is dropped, in ms (default 250).</summary>
    public int MinSpeechMs { get; set; }

    /// <summary>Shorter pauses do not end a segment, in ms (default 100).</summary>
    public int MinSilenceMs { get; set; }

    /// <summary>Added on both sides of a segment, in ms (clipped to the stream and,
    /// between close segments, split so they do not overlap; default 30).</summary>
    public int SpeechPadMs { get; set; }

    /// <summary>Longer segments are split at the quietest frame of their last part, in
    /// ms; 0 (the default) = no limit.</summary>
    public int MaxSpeechMs { get; set; }

    /// <summary>A copy of these options.</summary>
    public VadOptions Clone() => (VadOptions)MemberwiseClone();

    /// <inheritdoc/>
    public override string ToString() =>
        $"VadOptions(SampleRate={SampleRate}, FrameMs={FrameMs}, Threshold={Threshold}, " +
        $"NegThreshold={NegThreshold}, MinSpeechMs={MinSpeechMs}, MinSilenceMs={MinSilenceMs}, " +
        $"SpeechPadMs={SpeechPadMs}, MaxSpeechMs={MaxSpeechMs})";

    private void From(in NativeVadOptions n)
    {
        SampleRate = (int)n.SampleRate;
        FrameMs = (int)n.FrameMs;
        Threshold = n.Threshold;
        NegThreshold = n.NegThreshold;
        MinSpeechMs = (int)n.MinSpeechMs;
        MinSilenceMs = (int)n.MinSilenceMs;
        SpeechPadMs = (int)n.SpeechPadMs;
        MaxSpeechMs = (int)n.MaxSpeechMs;
    }

    /// <summary>The C struct: core_vad_options_init, then these values.</summary>
    internal unsafe NativeVadOptions ToNative()
    {
        NativeVadOptions n;
        CoreNative.core_vad_options_init(&n);
        n.SampleRate = LogMelOptions.Unsigned(SampleRate, nameof(SampleRate));
        n.FrameMs = LogMelOptions.Unsigned(FrameMs, nameof(FrameMs));
        n.Threshold = Threshold;
        n.NegThreshold = NegThreshold;
        n.MinSpeechMs = LogMelOptions.Unsigned(MinSpeechMs, nameof(MinSpeechMs));
        n.MinSilenceMs = LogMelOptions.Unsigned(MinSilenceMs, nameof(MinSilenceMs));
        n.SpeechPadMs = LogMelOptions.Unsigned(SpeechPadMs, nameof(SpeechPadMs));
        n.MaxSpeechMs = LogMelOptions.Unsigned(MaxSpeechMs, nameof(MaxSpeechMs));
        return n;
    }
}

/// <summary>core_vad_options_t, version 0.1 layout (checked against the wrapper's
/// sizeof by a test). Filled by core_vad_options_init or _preset.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeVadOptions
{
    internal ulong StructSize;
    internal uint SampleRate;
    internal uint FrameMs;
    internal float Threshold;
    internal float NegThreshold;
    internal uint MinSpeechMs;
    internal uint MinSilenceMs;
    internal uint SpeechPadMs;
    internal uint MaxSpeechMs;
}
