using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using Xunit;

namespace LibCore.Tests;

/// <summary>LogMel, LogMelStream and their options (audio.h, log-mel part): defaults,
/// layouts, the mel band of a tone, Whisper mode, batch == single, stream == offline
/// bit for bit, latency, filters, errors, disposal, threads, and Whisper's own
/// filterbank and the JFK clip when the test data folder is there.</summary>
public class LogMelTests
{
    internal static void BitEqual(float[] want, float[] got, string what = "")
    {
        Assert.Equal(want.Length, got.Length);
        for (int i = 0; i < want.Length; ++i)
            if (BitConverter.SingleToInt32Bits(want[i]) != BitConverter.SingleToInt32Bits(got[i]))
                Assert.Fail($"{what}: value {i} is {got[i]:R}, want {want[i]:R} (bit for bit)");
    }

    private static LogMelOptions Log10() => new() { Mode = LogMelMode.Log10 };

    // ---- options and layouts ---------------------------------------------------------

    [Fact]
    public void Options_hold_libcore_defaults()
    {
        var o = new LogMelOptions();
        Assert.Equal(16000, o.SampleRate);
        Assert.Equal(400, o.NFft);
        Assert.Equal(160, o.Hop);
        Assert.Equal(80, o.NMels);
        Assert.Equal(0.0, o.FMin);
        Assert.Equal(0.0, o.FMax);
        Assert.Equal(LogMelMode.Whisper, o.Mode);
        Assert.Equal(3000, o.WindowFrames);
        using var lm = new LogMel();
        Assert.Equal(80, lm.NMels);
        Assert.Equal(400, lm.NFft);
        Assert.Equal(160, lm.Hop);
        Assert.Equal(16000, lm.SampleRate);
        Assert.Equal(201, lm.FilterBins);
        Assert.Equal(LogMelMode.Whisper, lm.Mode);
        Assert.Equal("LogMel(SampleRate=16000, NFft=400, Hop=160, NMels=80, Mode=Whisper)", lm.ToString());
    }

    [Fact]
    public void Options_are_copied()
    {
        var o = new LogMelOptions { NMels = 40 };
        using var lm = new LogMel(o);
        o.NMels = 10;
        Assert.Equal(40, lm.NMels);
        LogMelOptions copy = lm.Options;
        copy.NMels = 5;
        Assert.Equal(40, lm.Options.NMels);
        Assert.Equal(40 * 201, lm.Filters().Length);
    }

    [Fact]
    public void Native_layouts_match_the_wrapper()
    {
        Assert.Equal(CoreNativePINVOKE.CoreCSharp_SizeOf(9), (ulong)Unsafe.SizeOf<NativeLogMelOptions>());
        Assert.Equal(CoreNativePINVOKE.CoreCSharp_SizeOf(10), (ulong)Unsafe.SizeOf<NativeVadOptions>());
        Assert.Equal(CoreNativePINVOKE.CoreCSharp_SizeOf(11), (ulong)Unsafe.SizeOf<Segment>());
        Assert.Equal(CoreNativePINVOKE.CoreCSharp_SizeOf(12), (ulong)Unsafe.SizeOf<NativeAudioInfo>());
        Assert.Equal(48, Unsafe.SizeOf<NativeLogMelOptions>());
        Assert.Equal(40, Unsafe.SizeOf<NativeVadOptions>());
        Assert.Equal(16, Unsafe.SizeOf<Segment>());
        Assert.Equal(40, Unsafe.SizeOf<NativeAudioInfo>());
    }

    [Fact]
    public unsafe void Init_writes_the_struct_size_the_wrapper_knows()
    {
        NativeLogMelOptions o;
        CoreNative.core_logmel_options_init(&o);
        Assert.Equal((ulong)sizeof(NativeLogMelOptions), o.StructSize);
        Assert.Equal(3000u, o.WindowFrames); // the last field: every offset before it is right
    }

    [Fact]
    public void Enum_values_are_pinned()
    {
        Assert.Equal(0, (int)LogMelMode.Whisper);
        Assert.Equal(1, (int)LogMelMode.Log10);
        Assert.Equal(0, (int)VadPreset.Default);
        Assert.Equal(1, (int)VadPreset.Transcribe);
        Assert.Equal(2, (int)VadPreset.Aggressive);
        Assert.Equal(0, (int)AudioFormat.Other);
        Assert.Equal(1, (int)AudioFormat.Wav);
        Assert.Equal(2, (int)AudioFormat.Flac);
        Assert.Equal(3, (int)AudioFormat.Ogg);
    }

    // ---- frames and filters --------------------------------------------------------------

    [Fact]
    public void Frames_is_n_over_hop()
    {
        using var lm = new LogMel();
        Assert.Equal(100, lm.Frames(16000));
        Assert.Equal(2, lm.Frames(400));
        Assert.Equal(3000, lm.Frames(480000));
        Assert.Equal(1L << 32, lm.Frames(160L << 32)); // sizes beyond int
        var e = Assert.Throws<CoreException>(() => lm.Frames(399));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("core_logmel_frames", e.LibCoreMessage);
        Assert.Contains("n_fft", e.LibCoreMessage);
        Assert.Throws<ArgumentOutOfRangeException>(() => lm.Frames(-1));
    }

    [Fact]
    public void Filters_have_the_shape_nmels_by_bins_and_rising_centres()
    {
        foreach (int nMels in new[] { 80, 128, 1 })
        {
            using var lm = new LogMel(new LogMelOptions { NMels = nMels });
            float[] f = lm.Filters();
            Assert.Equal(nMels * 201, f.Length);
            int lastPeak = -1;
            for (int m = 0; m < nMels; ++m)
            {
                ReadOnlySpan<float> row = f.AsSpan(m * 201, 201);
                Assert.True(row.ToArray().All(v => v >= 0 && float.IsFinite(v)), $"{nMels} bands: row {m}");
                Assert.True(row.ToArray().Sum() > 0, $"{nMels} bands: row {m} is empty");
                int peak = row.IndexOf(row.ToArray().Max());
                Assert.True(peak >= lastPeak, $"{nMels} bands: band {m} peaks at bin {peak}, below band {m - 1}");
                lastPeak = peak;
            }
        }
        using var small = new LogMel(new LogMelOptions { NFft = 512, NMels = 40, SampleRate = 8000, FMin = 100, FMax = 3800 });
        Assert.Equal(257, small.FilterBins);
        Assert.Equal(40 * 257, small.Filters().Length);
    }

    // ---- values ------------------------------------------------------------------------

    /// <summary>A tone of 25 or 75 whole periods per 400-sample window lands on one FFT
    /// bin: the periodic Hann window gives power (A N / 4)^2 there and a quarter of it
    /// on both neighbours, nothing elsewhere. So the mel power of band m is
    /// sum_k F[m, k] P[k], and the loudest band is known from the filters.</summary>
    [Theory]
    [InlineData(1000.0, 25)]
    [InlineData(3000.0, 75)]
    public void A_tone_has_its_energy_in_its_mel_band(double hz, int bin)
    {
        using var lm = new LogMel(Log10());
        float[] filters = lm.Filters();
        const double amplitude = 0.5, n = 400;
        double peak = Math.Pow(amplitude * n / 4, 2);
        var expected = new double[80];
        for (int m = 0; m < 80; ++m)
            expected[m] = filters[m * 201 + bin] * peak +
                          (filters[m * 201 + bin - 1] + filters[m * 201 + bin + 1]) * peak / 4;
        int band = Array.IndexOf(expected, expected.Max());

        LogMelSpectrogram s = lm.Compute(AudioTestData.Tone(hz, 16000, amplitude: amplitude));
        Assert.Equal(80, s.NMels);
        Assert.Equal(100, s.NFrames);
        Assert.Equal(80 * 100, s.Data.Length);
        for (int t = 2; t < 98; ++t) // windows inside the signal: no reflected edge
        {
            float[] frame = s.Frame(t);
            Assert.Equal(band, Array.IndexOf(frame, frame.Max()));
            TestData.Close(Math.Log10(expected[band]), s[band, t], 1e-3, $"frame {t} band {band}");
            for (int m = 0; m < 80; ++m)
                if (Math.Abs(m - band) > 10)
                    Assert.True(s[m, t] < s[band, t] - 4, $"frame {t}: band {m} = {s[m, t]}, the tone's {s[band, t]}");
        }
        Assert.Equal(s.Data.AsSpan(band * 100, 100).ToArray(), s.Band(band).ToArray());
    }

    [Fact]
    public void Whisper_mode_floors_at_max_minus_8_and_scales()
    {
        float[] x = AudioTestData.Tone(1000, 16000);
        using var log10 = new LogMel(Log10());
        using var whisper = new LogMel();
        float[] raw = log10.Compute(x).Data;
        float[] w = whisper.Compute(x).Data;
        double max = raw.Max();
        for (int i = 0; i < raw.Length; ++i)
            TestData.Close((Math.Max(raw[i], max - 8) + 4) / 4, w[i], 1e-6, $"value {i}");
        Assert.Equal((max + 4) / 4, w.Max(), 5);
        Assert.Equal((max - 8 + 4) / 4, w.Min(), 5);
    }

    [Fact]
    public void Digital_silence_is_the_floor()
    {
        using var lm = new LogMel(Log10());
        float[] v = lm.Compute(new float[4000]).Data;
        Assert.All(v, x => Assert.True(Math.Abs(x + 10f) <= 1e-6f, $"{x}"));
    }

    [Fact]
    public void A_nan_spoils_only_the_frames_that_touch_it()
    {
        float[] x = AudioTestData.AddNoise(new float[16000], 0.1, 3);
        x[8000] = float.NaN;
        using var lm = new LogMel(Log10());
        LogMelSpectrogram s = lm.Compute(x);
        for (int t = 0; t < s.NFrames; ++t)
        {
            bool touches = Math.Abs(t * 160 - 8000) <= 200;
            Assert.Equal(touches, float.IsNaN(s[0, t]));
            Assert.Equal(touches, float.IsNaN(s[79, t]));
        }
    }

    [Fact]
    public void Compute_into_a_span_equals_compute_and_allocates_nothing_new()
    {
        float[] x = AudioTestData.AddNoise(AudioTestData.Tone(440, 8000), 0.05, 1);
        using var lm = new LogMel();
        LogMelSpectrogram s = lm.Compute(x);
        var dest = new float[80 * 50 + 7];
        Assert.Equal(50, lm.Compute(x, dest));
        BitEqual(s.Data, dest.AsSpan(0, 80 * 50).ToArray(), "span");
        Assert.Equal(0f, dest[^1]);
        var e = Assert.Throws<CoreException>(() => lm.Compute(x, new float[80 * 50 - 1]));
        Assert.Equal(CoreStatus.BufferTooSmall, e.Status);
        Assert.Contains("core_logmel_compute", e.LibCoreMessage);
    }

    [Fact]
    public void Compute_equals_ComputeBatch_bit_for_bit()
    {
        var clips = new List<float[]>
        {
            AudioTestData.AddNoise(AudioTestData.Tone(300, 16000), 0.1, 1),
            AudioTestData.AddNoise(new float[4037], 0.3, 2),
            AudioTestData.AddNoise(AudioTestData.Tone(5000, 400), 0.01, 3), // the shortest clip
            AudioTestData.AddNoise(new float[48000 + 123], 0.2, 4),
        };
        foreach (LogMelOptions o in new[] { new LogMelOptions(), Log10(), new LogMelOptions { NMels = 128 } })
        {
            using var lm = new LogMel(o);
            LogMelSpectrogram[] batch = lm.ComputeBatch(clips);
            Assert.Equal(clips.Count, batch.Length);
            for (int i = 0; i < clips.Count; ++i)
            {
                LogMelSpectrogram one = lm.Compute(clips[i]);
                Assert.Equal(clips[i].Length / 160, batch[i].NFrames);
                Assert.Equal(o.NMels, batch[i].NMels);
                Assert.Equal(one.NFrames, batch[i].NFrames);
                BitEqual(one.Data, batch[i].Data, $"{o.Mode} {o.NMels} clip {i}");
            }
            Assert.Empty(lm.ComputeBatch(Array.Empty<float[]>()));
        }
    }

    [Fact]
    public void Batch_errors()
    {
        using var lm = new LogMel();
        var ok = new float[1000];
        Assert.Throws<ArgumentNullException>(() => lm.ComputeBatch(null!));
        var ne = Assert.Throws<ArgumentNullException>(() => lm.ComputeBatch(new[] { ok, null! }));
        Assert.Equal("clips[1]", ne.ParamName);
        var e = Assert.Throws<CoreException>(() => lm.ComputeBatch(new[] { ok, new float[399], ok }));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("core_logmel_compute_batch", e.LibCoreMessage);
        Assert.Contains("lens[1]", e.LibCoreMessage);
        e = Assert.Throws<CoreException>(() => lm.ComputeBatch(new[] { ok, Array.Empty<float>() }));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
    }

    [Fact]
    public void Compute_is_thread_safe_and_bit_identical_across_threads()
    {
        float[] x = AudioTestData.AddNoise(new float[16000 * 5], 0.2, 9);
        using var lm = new LogMel();
        float[] want = lm.Compute(x).Data;
        var results = new float[4][];
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            for (int k = 0; k < 3; ++k)
                results[i] = lm.Compute(x).Data;
        });
        foreach (float[] r in results)
            BitEqual(want, r, "thread");
    }

    // ---- streaming ---------------------------------------------------------------------------

    /// <summary>Pushes x in chunks of the sizes given (cycling), reading some frames
    /// between pushes, then flushes and reads the rest: every frame, frame-major.</summary>
    private static float[] Stream(LogMelOptions o, float[] x, int[] chunks)
    {
        using var s = new LogMelStream(o);
        var frames = new List<float>();
        int pos = 0, k = 0;
        while (pos < x.Length)
        {
            int n = Math.Min(chunks[k++ % chunks.Length], x.Length - pos);
            s.Push(x.AsSpan(pos, n));
            pos += n;
            if (k % 3 == 0)
                frames.AddRange(s.Read(5));
        }
        s.Flush();
        frames.AddRange(s.Read(int.MaxValue));
        Assert.Equal(0, s.Available);
        return frames.ToArray();
    }

    private static float[] Transpose(LogMelSpectrogram s)
    {
        var t = new float[s.Data.Length];
        for (int m = 0; m < s.NMels; ++m)
            for (int f = 0; f < s.NFrames; ++f)
                t[f * s.NMels + m] = s.Data[m * s.NFrames + f];
        return t;
    }

    [Fact]
    public void Stream_equals_offline_bit_for_bit_in_log10_mode()
    {
        float[] x = AudioTestData.AddNoise(AudioTestData.Tone(700, 3 * 16000 + 77), 0.1, 5);
        using var lm = new LogMel(Log10());
        float[] want = Transpose(lm.Compute(x));
        Assert.Equal(300 * 80, want.Length);
        foreach (int[] chunks in new[] { new[] { 1, 7, 160, 399, 1000, 4096 }, new[] { 16000 }, new[] { x.Length } })
            BitEqual(want, Stream(Log10(), x, chunks), $"chunks {string.Join(",", chunks)}");
    }

    [Fact]
    public void Stream_equals_offline_in_whisper_mode_with_one_window()
    {
        float[] x = AudioTestData.AddNoise(AudioTestData.Tone(2000, 2 * 16000 + 5), 0.1, 6);
        using var lm = new LogMel();
        float[] want = Transpose(lm.Compute(x));
        BitEqual(want, Stream(new LogMelOptions { WindowFrames = 0 }, x, new[] { 333, 4000 }), "window 0");
    }

    [Fact]
    public void Frames_are_ready_after_t_hop_plus_half_a_window()
    {
        float[] x = AudioTestData.AddNoise(new float[20000], 0.1, 7);
        using var log10 = new LogMelStream(Log10());
        using var whisper = new LogMelStream(new LogMelOptions { WindowFrames = 100 });
        // frame 99 needs samples up to 99 * 160 + 200 = 16040
        log10.Push(x.AsSpan(0, 16039));
        whisper.Push(x.AsSpan(0, 16039));
        Assert.Equal(99, log10.Available);
        Assert.Equal(0, whisper.Available); // the window of 100 frames is not complete
        log10.Push(x.AsSpan(16039, 1));
        whisper.Push(x.AsSpan(16039, 1));
        Assert.Equal(100, log10.Available);
        Assert.Equal(100, whisper.Available);
        var buf = new float[80 * 30 + 79];
        Assert.Equal(30, log10.Read(buf));
        Assert.Equal(70, log10.Available);
        Assert.Equal(70 * 80, log10.Read(1000).Length);
        Assert.Empty(log10.Read(10));
        Assert.Equal(0, log10.Read(new float[79])); // not room for one frame
        Assert.Equal(80 * 100, whisper.Read(100).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => log10.Read(-1));
    }

    [Fact]
    public void Stream_reset_flush_and_push_after_flush()
    {
        float[] x = AudioTestData.AddNoise(new float[5000], 0.1, 8);
        using var s = new LogMelStream(Log10());
        s.Push(x);
        s.Flush();
        s.Flush(); // a second flush does nothing
        float[] first = s.Read(int.MaxValue);
        Assert.Equal(31 * 80, first.Length);
        var e = Assert.Throws<CoreException>(() => s.Push(x));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("core_logmel_stream_push", e.LibCoreMessage);
        Assert.Contains("flush", e.LibCoreMessage);
        s.Reset();
        Assert.Equal(0, s.Available);
        s.Push(x);
        s.Flush();
        BitEqual(first, s.Read(int.MaxValue), "after reset");
        s.Reset();
        s.Push(new float[399]); // fewer than n_fft samples in all: no frames
        s.Flush();
        Assert.Equal(0, s.Available);
        Assert.Throws<ArgumentNullException>(() => s.Push((float[])null!));
    }

    [Fact]
    public void Stream_refuses_a_second_thread_instead_of_corrupting()
    {
        using var s = new LogMelStream();
        var busy = typeof(LogMelStream).GetField("_busy",
            System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        busy.SetValue(s, 1); // as if another thread were inside a call
        Assert.Throws<InvalidOperationException>(() => s.Push(new float[10]));
        Assert.Throws<InvalidOperationException>(() => s.Available);
        busy.SetValue(s, 0);
        s.Push(new float[10]);
        Assert.Equal(0, s.Available);
    }

    // ---- errors and disposal ---------------------------------------------------------------------

    public static TheoryData<string, string> BadOptions => new()
    {
        { "NMels=0", "n_mels" }, { "NMels=202", "n_mels" }, { "Hop=0", "hop" }, { "NFft=1", "n_fft" },
        { "NFft=70000", "n_fft" }, { "SampleRate=500", "sample_rate" }, { "FMax=9000", "fmax" },
        { "FMin=9000", "fmin" }, { "FMin=NaN", "fmin" }, { "Mode=7", "mode" },
    };

    private static LogMelOptions Parse(string setting)
    {
        var o = new LogMelOptions();
        string[] kv = setting.Split('=');
        double v = kv[1] == "NaN" ? double.NaN : double.Parse(kv[1]);
        switch (kv[0])
        {
            case "NMels": o.NMels = (int)v; break;
            case "Hop": o.Hop = (int)v; break;
            case "NFft": o.NFft = (int)v; break;
            case "SampleRate": o.SampleRate = (int)v; break;
            case "FMax": o.FMax = v; break;
            case "FMin": o.FMin = v; break;
            case "Mode": o.Mode = (LogMelMode)(int)v; break;
            default: throw new ArgumentException(setting);
        }
        return o;
    }

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_options_are_InvalidArgument_naming_the_field(string setting, string field)
    {
        LogMelOptions o = Parse(setting);
        var e = Assert.Throws<CoreException>(() => new LogMel(o));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("core_logmel_create", e.LibCoreMessage);
        Assert.Contains(field, e.LibCoreMessage);
        e = Assert.Throws<CoreException>(() => new LogMelStream(o));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("core_logmel_stream_create", e.LibCoreMessage);
        Assert.Contains(field, e.LibCoreMessage);
    }

    [Fact]
    public void Negative_options_and_null_arguments_are_refused_before_c()
    {
        var ae = Assert.Throws<ArgumentOutOfRangeException>(() => new LogMel(new LogMelOptions { NMels = -1 }));
        Assert.Equal("NMels", ae.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogMelStream(new LogMelOptions { Hop = -160 }));
        Assert.Throws<ArgumentNullException>(() => new LogMel(null!));
        Assert.Throws<ArgumentNullException>(() => new LogMelStream(null!));
        using var lm = new LogMel();
        Assert.Throws<ArgumentNullException>(() => lm.Compute((float[])null!));
    }

    [Fact]
    public void Short_input_is_InvalidArgument()
    {
        using var lm = new LogMel();
        foreach (float[] x in new[] { new float[399], Array.Empty<float>() })
        {
            var e = Assert.Throws<CoreException>(() => lm.Compute(x));
            Assert.Equal(CoreStatus.InvalidArgument, e.Status);
            Assert.Contains("n_fft", e.LibCoreMessage);
            e = Assert.Throws<CoreException>(() => lm.Compute(x, new float[1000]));
            Assert.Equal(CoreStatus.InvalidArgument, e.Status);
            Assert.Contains("n_fft", e.LibCoreMessage);
        }
    }

    [Fact]
    public void LogMel_dispose_twice_and_use_after_dispose()
    {
        var lm = new LogMel();
        Assert.False(lm.IsDisposed);
        lm.Dispose();
        lm.Dispose();
        Assert.True(lm.IsDisposed);
        Assert.Equal("LogMel(disposed)", lm.ToString());
        var x = new float[1000];
        Assert.Throws<ObjectDisposedException>(() => lm.Frames(1000));
        Assert.Throws<ObjectDisposedException>(() => lm.Filters());
        Assert.Throws<ObjectDisposedException>(() => lm.Compute(x));
        Assert.Throws<ObjectDisposedException>(() => lm.Compute(x, new float[1000]));
        Assert.Throws<ObjectDisposedException>(() => lm.ComputeBatch(new[] { x }));
        Assert.Throws<ObjectDisposedException>(() => lm.ComputeBatch(Array.Empty<float[]>()));
        Assert.Throws<ObjectDisposedException>(() => lm.NMels);
        Assert.Throws<ObjectDisposedException>(() => lm.Options);
    }

    [Fact]
    public void LogMelStream_dispose_twice_and_use_after_dispose()
    {
        var s = new LogMelStream();
        s.Push(new float[1000]);
        s.Dispose();
        s.Dispose();
        Assert.True(s.IsDisposed);
        Assert.Equal("LogMelStream(disposed)", s.ToString());
        Assert.Throws<ObjectDisposedException>(() => s.Push(new float[10]));
        Assert.Throws<ObjectDisposedException>(() => s.Flush());
        Assert.Throws<ObjectDisposedException>(() => s.Available);
        Assert.Throws<ObjectDisposedException>(() => s.Read(10));
        Assert.Throws<ObjectDisposedException>(() => s.Read(new float[80]));
        Assert.Throws<ObjectDisposedException>(() => s.Reset());
        Assert.Throws<ObjectDisposedException>(() => s.NMels);
    }

    [Fact]
    public async Task Dispose_while_other_threads_compute_is_safe()
    {
        float[] x = AudioTestData.AddNoise(new float[16000 * 10], 0.1, 10);
        for (int round = 0; round < 5; ++round)
        {
            var lm = new LogMel();
            int done = 0, disposed = 0;
            Task[] workers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
            {
                for (int k = 0; k < 20; ++k)
                {
                    try
                    {
                        Assert.Equal(1000, lm.Compute(x).NFrames);
                        System.Threading.Interlocked.Increment(ref done);
                    }
                    catch (ObjectDisposedException)
                    {
                        System.Threading.Interlocked.Increment(ref disposed);
                    }
                }
            })).ToArray();
            await Task.Delay(round * 5);
            lm.Dispose();
            await Task.WhenAll(workers);
            Assert.Equal(40, done + disposed);
        }
    }

    // ---- test data -----------------------------------------------------------------------------

    [TestDataFact("mel_filters_80x201.f32", "mel_filters_128x201.f32")]
    public void Filters_are_whisper_mel_filters()
    {
        foreach (int nMels in new[] { 80, 128 })
        {
            float[] want = AudioTestData.ReadF32(AudioTestData.Require($"mel_filters_{nMels}x201.f32"));
            using var lm = new LogMel(new LogMelOptions { NMels = nMels });
            float[] got = lm.Filters();
            Assert.Equal(want.Length, got.Length);
            for (int m = 0; m < nMels; ++m)
            {
                float rowMax = want.AsSpan(m * 201, 201).ToArray().Max();
                for (int k = 0; k < 201; ++k)
                    Assert.True(Math.Abs(got[m * 201 + k] - want[m * 201 + k]) <= 1e-6 * rowMax,
                        $"{nMels} bands: [{m}, {k}] = {got[m * 201 + k]:R}, Whisper {want[m * 201 + k]:R}");
            }
        }
    }

    [TestDataFact("jfk_16k.wav")]
    public void Jfk_log_mel_is_80_by_1100()
    {
        float[] x = AudioFile.Read(AudioTestData.Require("jfk_16k.wav"), 16000);
        Assert.Equal(176000, x.Length);
        using var lm = new LogMel();
        LogMelSpectrogram s = lm.Compute(x);
        Assert.Equal(80, s.NMels);
        Assert.Equal(1100, s.NFrames);
        Assert.All(s.Data, v => Assert.True(float.IsFinite(v)));
        float max = s.Data.Max();
        Assert.True(s.Data.Min() >= max - 2f - 1e-6f); // Whisper's floor: (max - 8 + 4) / 4
        using var stream = new LogMelStream(new LogMelOptions { WindowFrames = 0 });
        stream.Push(x);
        stream.Flush();
        BitEqual(Transpose(s), stream.Read(int.MaxValue), "jfk stream");
    }
}
