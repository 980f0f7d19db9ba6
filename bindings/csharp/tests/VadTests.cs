using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Xunit;

namespace LibCore.Tests;

/// <summary>Vad, VadOptions and Segment (audio.h, VAD part): defaults and presets,
/// one voice found with the right bounds, chunk sizes that never matter, the
/// streaming calls, errors, disposal, and the JFK clip when the test data folder
/// is there.</summary>
public class VadTests
{
    private const int Rate = 16000, Frame = 480, Pad = 480; // 30 ms frames and padding at 16 kHz

    /// <summary>Quiet noise, a voice from 1 s to 2 s, quiet noise until 3 s.</summary>
    private static readonly float[] OneVoice = AudioTestData.Scene(3.0, new[] { 1.0 }, new[] { 2.0 });

    private static List<Segment> Streamed(float[] x, int chunk, VadOptions? options = null)
    {
        using var vad = new Vad(options ?? new VadOptions());
        var got = new List<Segment>();
        for (int pos = 0; pos < x.Length; pos += chunk)
        {
            vad.Push(x.AsSpan(pos, Math.Min(chunk, x.Length - pos)));
            while (vad.TryNextSegment(out Segment s))
                got.Add(s);
        }
        vad.Flush();
        while (vad.TryNextSegment(out Segment s))
            got.Add(s);
        return got;
    }

    private static void Near(long want, ulong got, long tolerance, string what) =>
        Assert.True(Math.Abs((long)got - want) <= tolerance, $"{what}: {got}, want {want} +- {tolerance}");

    // ---- options -------------------------------------------------------------------------

    [Fact]
    public void Options_hold_libcore_defaults_and_presets()
    {
        var d = new VadOptions();
        Assert.Equal(16000, d.SampleRate);
        Assert.Equal(30, d.FrameMs);
        Assert.Equal(0.5f, d.Threshold);
        Assert.Equal(0f, d.NegThreshold);
        Assert.Equal(250, d.MinSpeechMs);
        Assert.Equal(100, d.MinSilenceMs);
        Assert.Equal(30, d.SpeechPadMs);
        Assert.Equal(0, d.MaxSpeechMs);
        Assert.Equal(d.ToString(), VadOptions.Default.ToString());
        Assert.Equal(d.ToString(), VadOptions.FromPreset(VadPreset.Default).ToString());

        VadOptions t = VadOptions.Transcribe;
        Assert.Equal(2000, t.MinSilenceMs);
        Assert.Equal(400, t.SpeechPadMs);
        Assert.Equal(0, t.MinSpeechMs);
        Assert.Equal(16000, t.SampleRate);

        VadOptions a = VadOptions.Aggressive;
        Assert.Equal(0.7f, a.Threshold);
        Assert.Equal(400, a.MinSpeechMs);
        Assert.Equal(d.MinSilenceMs, a.MinSilenceMs);
        Assert.Equal(d.SpeechPadMs, a.SpeechPadMs);

        Assert.NotSame(VadOptions.Transcribe, VadOptions.Transcribe); // a new, mutable instance each time
        var e = Assert.Throws<CoreException>(() => VadOptions.FromPreset((VadPreset)7));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("core_vad_options_preset", e.LibCoreMessage);
    }

    [Fact]
    public unsafe void Init_writes_the_struct_size_the_wrapper_knows()
    {
        NativeVadOptions o;
        CoreNative.core_vad_options_init(&o);
        Assert.Equal((ulong)sizeof(NativeVadOptions), o.StructSize);
        Assert.Equal(30u, o.SpeechPadMs);
        Assert.Equal(0u, o.MaxSpeechMs);
        Assert.Equal(CoreNativePINVOKE.CoreCSharp_SizeOf(11), (ulong)Unsafe.SizeOf<Segment>());
    }

    [Fact]
    public void Every_preset_makes_a_detector()
    {
        foreach (VadPreset p in Enum.GetValues<VadPreset>())
        {
            using var vad = new Vad(VadOptions.FromPreset(p));
            Assert.Equal(16000, vad.SampleRate);
            Assert.Equal(VadOptions.FromPreset(p).ToString(), vad.Options.ToString());
        }
    }

    // ---- segments ---------------------------------------------------------------------------

    [Fact]
    public void One_voice_gives_one_segment_with_the_right_bounds()
    {
        IReadOnlyList<Segment> s = Vad.Segments(OneVoice);
        Assert.Single(s);
        Near(Rate - Pad, s[0].Start, Frame + Pad, "start");
        Near(2 * Rate + Pad, s[0].End, Frame + Pad, "end");
        Assert.True(s[0].Start < s[0].End);
        Assert.InRange(s[0].DurationSeconds(Rate), 0.9, 1.2);

        // Transcribe pads by 400 ms
        IReadOnlyList<Segment> t = Vad.Segments(OneVoice, VadOptions.Transcribe);
        Assert.Single(t);
        Near(Rate - 6400, t[0].Start, Frame + Pad, "transcribe start");
        Near(2 * Rate + 6400, t[0].End, Frame + Pad, "transcribe end");
    }

    [Fact]
    public void Silence_and_noise_alone_give_no_segment()
    {
        Assert.Empty(Vad.Segments(new float[Rate * 2]));
        Assert.Empty(Vad.Segments(AudioTestData.AddNoise(new float[Rate * 2], 1e-3, 4)));
        Assert.Empty(Vad.Segments(Array.Empty<float>()));
    }

    [Fact]
    public void Chunk_size_never_matters()
    {
        float[] x = AudioTestData.Scene(6.0, new[] { 0.7, 2.0, 2.45, 4.0 }, new[] { 1.9, 2.3, 3.5, 5.6 }, seed: 3);
        foreach (VadOptions o in new[] { new VadOptions(), new VadOptions { FrameMs = 10, SpeechPadMs = 200 },
                                          new VadOptions { MaxSpeechMs = 1000 } })
        {
            List<Segment> one = Streamed(x, 1, o);
            Assert.NotEmpty(one);
            Assert.Equal(one, Streamed(x, 1000, o));
            Assert.Equal(one, Streamed(x, 4801, o));
            Assert.Equal(one, Vad.Segments(x, o));
            for (int i = 0; i < one.Count; ++i)
            {
                Assert.True(one[i].Start < one[i].End);
                if (i > 0)
                    Assert.True(one[i - 1].End <= one[i].Start, "segments overlap");
            }
        }
        Assert.Equal(Streamed(OneVoice, 1), Streamed(OneVoice, 1000));
    }

    [Fact]
    public void More_segments_than_the_first_guess()
    {
        // 20 voices of 0.5 s, 0.5 s apart
        double[] a = Enumerable.Range(0, 20).Select(i => 0.5 + i * 1.0).ToArray();
        double[] b = a.Select(s => s + 0.5).ToArray();
        float[] x = AudioTestData.Scene(21.0, a, b, seed: 5);
        IReadOnlyList<Segment> s = Vad.Segments(x);
        Assert.Equal(20, s.Count);
        for (int i = 0; i < 20; ++i)
            Near((long)(a[i] * Rate) - Pad, s[i].Start, Frame + Pad, $"segment {i} start");
        Assert.Equal(s, Streamed(x, 16000));
    }

    [Fact]
    public void Streaming_calls_report_open_and_finished_segments()
    {
        Segment want = Vad.Segments(OneVoice)[0];
        using var vad = new Vad();
        Assert.False(vad.TryNextSegment(out Segment none));
        Assert.Equal(default, none);
        Assert.Null(vad.OpenSegmentStart);
        vad.Push(OneVoice.AsSpan(0, (int)(1.5 * Rate))); // 0.5 s into the voice
        Assert.Equal(want.Start, vad.OpenSegmentStart);    // speech has started: the final start
        Assert.False(vad.TryNextSegment(out _));
        vad.Push(OneVoice.AsSpan((int)(1.5 * Rate)));      // the voice ends, 1 s of quiet follows
        Assert.True(vad.TryNextSegment(out Segment got));
        Assert.Equal(want, got);
        Assert.Null(vad.OpenSegmentStart);
        vad.Flush();
        vad.Flush(); // a second flush does nothing
        Assert.False(vad.TryNextSegment(out _));

        var e = Assert.Throws<CoreException>(() => vad.Push(OneVoice));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("core_vad_push", e.LibCoreMessage);
        Assert.Contains("flush", e.LibCoreMessage);

        vad.Reset(); // positions restart at 0
        vad.Push(OneVoice);
        vad.Flush();
        Assert.True(vad.TryNextSegment(out got));
        Assert.Equal(want, got);
        Assert.Throws<ArgumentNullException>(() => vad.Push((float[])null!));
    }

    [Fact]
    public void A_segment_open_at_the_end_is_closed_by_flush()
    {
        float[] x = AudioTestData.Scene(2.0, new[] { 1.0 }, new[] { 2.0 });
        using var vad = new Vad();
        vad.Push(x);
        Assert.NotNull(vad.OpenSegmentStart);
        Assert.False(vad.TryNextSegment(out _));
        vad.Flush();
        Assert.True(vad.TryNextSegment(out Segment s));
        Assert.Equal((ulong)x.Length, s.End);
        Near(Rate - Pad, s.Start, Frame + Pad, "start");
    }

    [Fact]
    public void Segment_helpers()
    {
        var s = new Segment(8000, 24000);
        Assert.Equal(8000UL, s.Start);
        Assert.Equal(24000UL, s.End);
        Assert.Equal(16000UL, s.Length);
        Assert.Equal(0.5, s.StartSeconds(16000));
        Assert.Equal(1.5, s.EndSeconds(16000));
        Assert.Equal(1.0, s.DurationSeconds(16000));
        Assert.Equal(1.0, s.StartSeconds(8000));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.StartSeconds(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.EndSeconds(-1));
        Assert.Equal(new Segment(8000, 24000), s);
        Assert.NotEqual(new Segment(8000, 24001), s);
        Assert.Equal("Segment(Start=8000, End=24000)", s.ToString());
    }

    // ---- errors and disposal -------------------------------------------------------------------

    public static TheoryData<string, string> BadOptions => new()
    {
        { "FrameMs=15", "frame_ms" }, { "SampleRate=1000", "sample_rate" }, { "SampleRate=11025", "sample_rate" },
        { "Threshold=1.5", "threshold" }, { "Threshold=0", "threshold" }, { "NegThreshold=0.6", "neg_threshold" },
        { "MaxSpeechMs=100", "max_speech_ms" },
    };

    private static VadOptions Parse(string setting)
    {
        var o = new VadOptions();
        string[] kv = setting.Split('=');
        double v = double.Parse(kv[1], System.Globalization.CultureInfo.InvariantCulture);
        switch (kv[0])
        {
            case "FrameMs": o.FrameMs = (int)v; break;
            case "SampleRate": o.SampleRate = (int)v; break;
            case "Threshold": o.Threshold = (float)v; break;
            case "NegThreshold": o.NegThreshold = (float)v; break;
            case "MaxSpeechMs": o.MaxSpeechMs = (int)v; break;
            default: throw new ArgumentException(setting);
        }
        return o;
    }

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_options_are_InvalidArgument_naming_the_field(string setting, string field)
    {
        VadOptions o = Parse(setting);
        var e = Assert.Throws<CoreException>(() => new Vad(o));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("core_vad_create", e.LibCoreMessage);
        Assert.Contains(field, e.LibCoreMessage);
        e = Assert.Throws<CoreException>(() => Vad.Segments(OneVoice, o));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("core_vad_segments", e.LibCoreMessage);
        Assert.Contains(field, e.LibCoreMessage);
    }

    [Fact]
    public void Negative_options_and_null_arguments_are_refused_before_c()
    {
        var ae = Assert.Throws<ArgumentOutOfRangeException>(() => new Vad(new VadOptions { SpeechPadMs = -1 }));
        Assert.Equal("SpeechPadMs", ae.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Vad.Segments(OneVoice, new VadOptions { MinSpeechMs = -5 }));
        Assert.Throws<ArgumentNullException>(() => new Vad(null!));
        Assert.Throws<ArgumentNullException>(() => Vad.Segments((float[])null!));
    }

    [Fact]
    public void Options_are_copied()
    {
        var o = new VadOptions { SpeechPadMs = 100 };
        using var vad = new Vad(o);
        o.SpeechPadMs = 0;
        Assert.Equal(100, vad.Options.SpeechPadMs);
        vad.Push(OneVoice);
        vad.Flush();
        Assert.True(vad.TryNextSegment(out Segment s));
        Near(Rate - 1600, s.Start, Frame + Pad, "start with 100 ms padding");
    }

    [Fact]
    public void Vad_refuses_a_second_thread_instead_of_corrupting()
    {
        using var vad = new Vad();
        var busy = typeof(Vad).GetField("_busy",
            System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        busy.SetValue(vad, 1); // as if another thread were inside a call
        Assert.Throws<InvalidOperationException>(() => vad.Push(new float[10]));
        Assert.Throws<InvalidOperationException>(() => vad.TryNextSegment(out _));
        busy.SetValue(vad, 0);
        vad.Push(new float[10]);
        Assert.False(vad.TryNextSegment(out _));
    }

    [Fact]
    public void Dispose_twice_and_use_after_dispose()
    {
        var vad = new Vad();
        vad.Push(new float[100]);
        vad.Dispose();
        vad.Dispose();
        Assert.True(vad.IsDisposed);
        Assert.Equal("Vad(disposed)", vad.ToString());
        Assert.Throws<ObjectDisposedException>(() => vad.Push(new float[10]));
        Assert.Throws<ObjectDisposedException>(() => vad.Flush());
        Assert.Throws<ObjectDisposedException>(() => vad.TryNextSegment(out _));
        Assert.Throws<ObjectDisposedException>(() => vad.OpenSegmentStart);
        Assert.Throws<ObjectDisposedException>(() => vad.Reset());
        Assert.Throws<ObjectDisposedException>(() => vad.SampleRate);
        Assert.Throws<ObjectDisposedException>(() => vad.Options);
    }

    // ---- test data -----------------------------------------------------------------------------

    [TestDataFact("jfk_16k.wav")]
    public void Jfk_has_speech()
    {
        float[] x = AudioFile.Read(AudioTestData.Require("jfk_16k.wav"));
        Assert.Equal(176000, x.Length);
        IReadOnlyList<Segment> s = Vad.Segments(x);
        Assert.NotEmpty(s);
        foreach (Segment seg in s)
            Assert.True(seg.Start < seg.End && seg.End <= 176000, seg.ToString());
        ulong speech = (ulong)s.Sum(seg => (long)seg.Length);
        Assert.True(speech >= 176000 / 2, $"only {speech} samples of speech in the JFK clip");
        Assert.Equal(s, Streamed(x, 1234));
    }
}
