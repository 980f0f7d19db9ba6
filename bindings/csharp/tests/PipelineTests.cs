using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Xunit;

namespace LibCore.Tests;

/// <summary>Pipeline, PipelineOptions, PipelineEvent and PipelineStats (pipeline.h):
/// defaults and layouts, a synthetic voice in quiet noise through the C# encoder and
/// through the raw NeedsEncoding + SubmitEmbedding protocol, the cache on repeated audio,
/// encoder failures, errors, stats, metrics, disposal, and the JFK clip when the test
/// data folder is there.</summary>
public class PipelineTests
{
    private const int Rate = 16000, Window = 16000, Hop = 8000, Chunk = 320; // 1 s, 500 ms, 20 ms

    /// <summary>1 s of quiet noise, 1.5 s of a voiced sound, 1 s of quiet noise (3.5 s = 7 hops).</summary>
    private static readonly float[] Voice = AudioTestData.Scene(3.5, new[] { 1.0 }, new[] { 2.5 });

    /// <summary>The test encoder: the mean of the features of each band (dim = n_mels).</summary>
    private static float[] MeanPerBand(float[] features, int nMels, int nFrames)
    {
        var e = new float[nMels];
        for (int m = 0; m < nMels; ++m)
        {
            double s = 0;
            for (int t = 0; t < nFrames; ++t)
                s += features[m * nFrames + t];
            e[m] = (float)(s / nFrames);
        }
        return e;
    }

    private static PipelineOptions Options(bool speechOnly = true)
    {
        var o = new PipelineOptions { SpeechOnly = speechOnly };
        o.Dim = o.LogMel.NMels;
        return o;
    }

    /// <summary>Pushes x in chunks, collecting the events ready after each push, then
    /// flushes and collects the rest.</summary>
    private static List<PipelineEvent> Run(Pipeline p, float[] x, int chunk = Chunk, bool flush = true)
    {
        var events = new List<PipelineEvent>();
        for (int pos = 0; pos < x.Length; pos += chunk)
        {
            p.Push(x.AsSpan(pos, Math.Min(chunk, x.Length - pos)));
            events.AddRange(p.ReadyEvents());
        }
        if (flush)
        {
            p.Flush();
            events.AddRange(p.ReadyEvents());
        }
        return events;
    }

    private static void Near(long want, ulong got, long tolerance, string what) =>
        Assert.True(Math.Abs((long)got - want) <= tolerance, $"{what}: {got}, want {want} +- {tolerance}");

    // ---- options and layouts -----------------------------------------------------------------

    [Fact]
    public void Options_hold_libcore_defaults()
    {
        var o = new PipelineOptions();
        Assert.Equal(16000, o.SampleRate);
        Assert.Equal(10000, o.RingMs);
        Assert.Equal(RingPolicy.Overwrite, o.RingPolicy);
        Assert.Equal(1000, o.WindowMs);
        Assert.Equal(500, o.HopMs);
        Assert.True(o.SpeechOnly);
        Assert.Equal(0, o.Dim);
        Assert.Equal(4, o.CacheDecimals);
        Assert.True(o.CacheMaxEntries > 0 || o.CacheMaxBytes > 0);
        Assert.Null(o.MetricsPrefix);
        Assert.Equal(8, o.Batch.MaxBatch);
        Assert.Equal(50, o.Batch.MaxDelayMs);
        Assert.Empty(o.Batch.BucketBounds);
        Assert.Equal(new VadOptions().ToString(), o.Vad.ToString());
        Assert.Equal(new LogMelOptions().ToString(), o.LogMel.ToString());

        PipelineOptions c = o.Clone();
        c.Vad.Threshold = 0.9f;
        c.LogMel.NMels = 40;
        c.Batch.MaxBatch = 2;
        Assert.Equal(0.5f, o.Vad.Threshold);
        Assert.Equal(80, o.LogMel.NMels);
        Assert.Equal(8, o.Batch.MaxBatch);
    }

    [Fact]
    public unsafe void Native_layouts_match_the_wrapper()
    {
        Assert.Equal(CoreNativePINVOKE.CoreCSharp_PipelineSizeOf(0), (ulong)Unsafe.SizeOf<NativeBatcherOptions>());
        Assert.Equal(CoreNativePINVOKE.CoreCSharp_PipelineSizeOf(1), (ulong)Unsafe.SizeOf<NativePipelineOptions>());
        Assert.Equal(CoreNativePINVOKE.CoreCSharp_PipelineSizeOf(2), (ulong)Unsafe.SizeOf<NativeEvent>());
        Assert.Equal(CoreNativePINVOKE.CoreCSharp_PipelineSizeOf(3), (ulong)Unsafe.SizeOf<NativePipelineStats>());
        Assert.Equal(176, Unsafe.SizeOf<NativeBatcherOptions>());
        Assert.Equal(432, Unsafe.SizeOf<NativePipelineOptions>());
        Assert.Equal(80, Unsafe.SizeOf<NativeEvent>());
        Assert.Equal(104, Unsafe.SizeOf<NativePipelineStats>());

        NativePipelineOptions n;
        CoreNative.core_pipeline_options_init(&n);
        Assert.Equal((ulong)Unsafe.SizeOf<NativePipelineOptions>(), n.StructSize);
        Assert.Equal((ulong)Unsafe.SizeOf<NativeVadOptions>(), n.Vad.StructSize);
        Assert.Equal((ulong)Unsafe.SizeOf<NativeLogMelOptions>(), n.LogMel.StructSize);
        Assert.Equal((ulong)Unsafe.SizeOf<NativeCacheOptions>(), n.CacheOptions.StructSize);
        Assert.Equal((ulong)Unsafe.SizeOf<NativeBatcherOptions>(), n.Batch.StructSize);
        Assert.Equal(8UL, n.Batch.MaxBatch);
        Assert.Equal(4, n.CacheDecimals);
    }

    [Fact]
    public void Bad_options_are_refused_with_the_option_named()
    {
        var e = Assert.Throws<CoreException>(() => new Pipeline(new PipelineOptions()));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("dim is 0", e.LibCoreMessage);

        PipelineOptions o = Options();
        o.WindowMs = 20; // 320 samples < n_fft 400
        e = Assert.Throws<CoreException>(() => new Pipeline(o));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("shorter than logmel.n_fft", e.LibCoreMessage);

        o = Options();
        o.HopMs = 0;
        e = Assert.Throws<CoreException>(() => new Pipeline(o, MeanPerBand));
        Assert.Contains("hop_ms is 0", e.LibCoreMessage);

        o = Options();
        o.Vad.FrameMs = 25;
        e = Assert.Throws<CoreException>(() => new Pipeline(o));
        Assert.Contains("vad:", e.LibCoreMessage);

        o = Options();
        o.Batch.MaxBatch = 0;
        e = Assert.Throws<CoreException>(() => new Pipeline(o));
        Assert.Contains("batch:", e.LibCoreMessage);

        o = Options();
        o.HopMs = -1;
        Assert.Throws<ArgumentOutOfRangeException>(() => new Pipeline(o));
        o = Options();
        o.Vad = null!;
        Assert.Throws<ArgumentNullException>(() => new Pipeline(o));
        Assert.Throws<ArgumentNullException>(() => new Pipeline(null!));
    }

    // ---- the C# encoder ------------------------------------------------------------------------

    [Fact]
    public void Voice_with_a_csharp_encoder_gives_start_windows_end_in_order()
    {
        var inputs = new List<float[]>();
        var outputs = new List<float[]>();
        using var p = new Pipeline(Options(), (f, nMels, nFrames) =>
        {
            Assert.Equal(f.Length, nMels * nFrames);
            inputs.Add(f);
            float[] e = MeanPerBand(f, nMels, nFrames);
            outputs.Add(e);
            return e;
        });
        Assert.True(p.HasEncoder);
        List<PipelineEvent> ev = Run(p, Voice);

        Assert.Equal(PipelineEventKind.SpeechStart, ev[0].Kind);
        Assert.Equal(PipelineEventKind.End, ev[^1].Kind);
        Assert.Equal(PipelineEventKind.SpeechEnd, ev[^2].Kind);
        Assert.Equal((ulong)Voice.Length, ev[^1].Start);
        Assert.DoesNotContain(ev, e => e.Kind is PipelineEventKind.NeedsEncoding or PipelineEventKind.EncoderError);
        Assert.Single(ev, e => e.Kind == PipelineEventKind.SpeechStart);
        Assert.Single(ev, e => e.Kind == PipelineEventKind.SpeechEnd);

        // The segment: the voice's 1 s .. 2.5 s within a frame and the padding.
        PipelineEvent start = ev[0], end = ev[^2];
        Near(Rate, start.Start, 2 * 480, "speech start");
        Near(Rate * 5 / 2, end.End, 2 * 480, "speech end");
        Assert.Equal(start.Start, end.Start);

        // Windows: every hop from the segment's start, whole windows inside it: 2 here.
        PipelineEvent[] windows = ev.Where(e => e.Kind == PipelineEventKind.Window).ToArray();
        Assert.Equal(2, windows.Length);
        Assert.Equal((int)((end.End - end.Start - Window) / Hop) + 1, windows.Length);
        for (int i = 0; i < windows.Length; ++i)
        {
            PipelineEvent w = windows[i];
            Assert.Equal((ulong)i, w.WindowId);
            Assert.Equal(start.Start + (ulong)(i * Hop), w.Start);
            Assert.Equal(w.Start + Window, w.End);
            Assert.False(w.CacheHit);
            Assert.Equal(CoreStatus.Ok, w.Status);
            Assert.NotNull(w.Embedding);
            Assert.Equal(p.Dim, w.Embedding!.Length);
            Assert.Equal(outputs[i], w.Embedding);             // the encoder's values, in window order
            Assert.Equal(MeanPerBand(inputs[i], 80, inputs[i].Length / 80), w.Embedding);
            if (w.Features is not null)
            {
                Assert.Equal(80, w.NMels);
                Assert.Equal(inputs[i], w.Features);
            }
            Assert.Contains("Window", w.ToString());
        }
        Assert.Equal(windows.Length, inputs.Count); // each window encoded once
        Assert.All(inputs, f => Assert.Equal(0, f.Length % 80));
        // START, its windows, END: windows sit between the two.
        int si = ev.IndexOf(start), ei = ev.IndexOf(end);
        Assert.All(windows, w => Assert.InRange(ev.IndexOf(w), si + 1, ei - 1));
    }

    [Fact]
    public void A_second_pipeline_gives_the_same_events()
    {
        List<PipelineEvent> a, b;
        using (var p = new Pipeline(Options(), MeanPerBand))
            a = Run(p, Voice);
        using (var p = new Pipeline(Options(), MeanPerBand))
            b = Run(p, Voice, chunk: 4801); // another chunk size too
        Assert.Equal(a.Count, b.Count);
        for (int i = 0; i < a.Count; ++i)
        {
            Assert.Equal(a[i].Kind, b[i].Kind);
            Assert.Equal(a[i].WindowId, b[i].WindowId);
            Assert.Equal(a[i].Start, b[i].Start);
            Assert.Equal(a[i].End, b[i].End);
            Assert.Equal(a[i].Embedding, b[i].Embedding);
            Assert.Equal(a[i].Features, b[i].Features);
        }
    }

    [Fact]
    public void Pcm16_pushes_equal_float_pushes_of_the_converted_samples()
    {
        short[] pcm = CoreArrays.ToPcm16(Voice, out long clipped);
        Assert.Equal(0, clipped);
        float[] back = CoreArrays.FromPcm16<float>(pcm);
        List<PipelineEvent> a, b = new();
        using (var p = new Pipeline(Options(), MeanPerBand))
            a = Run(p, back);
        using (var p = new Pipeline(Options(), MeanPerBand))
        {
            for (int pos = 0; pos < pcm.Length; pos += Chunk)
            {
                p.Push(pcm.AsSpan(pos, Math.Min(Chunk, pcm.Length - pos)));
                b.AddRange(p.ReadyEvents());
            }
            p.Flush();
            b.AddRange(p.ReadyEvents());
        }
        Assert.Contains(a, e => e.Kind == PipelineEventKind.Window);
        Assert.Equal(a.Select(e => (e.Kind, e.Start, e.End)), b.Select(e => (e.Kind, e.Start, e.End)));
        Assert.Equal(a.Where(e => e.Embedding != null).Select(e => e.Embedding),
                     b.Where(e => e.Embedding != null).Select(e => e.Embedding));
    }

    [Fact]
    public void Repeated_audio_hits_the_cache_and_is_not_encoded_again()
    {
        // Whole-stream windows over the clip twice: every window of the second copy
        // repeats a first-copy window (the clip is a whole number of hops).
        Assert.Equal(0, Voice.Length % Hop);
        float[] twice = Voice.Concat(Voice).ToArray();
        int calls = 0;
        using var p = new Pipeline(Options(speechOnly: false), (f, m, t) => { ++calls; return MeanPerBand(f, m, t); });
        List<PipelineEvent> ev = Run(p, twice);
        Assert.DoesNotContain(ev, e => e.Kind is PipelineEventKind.SpeechStart or PipelineEventKind.SpeechEnd);
        PipelineEvent[] w = ev.Where(e => e.Kind == PipelineEventKind.Window).ToArray();
        Assert.Equal((twice.Length - Window) / Hop + 1, w.Length);
        var byStart = w.ToDictionary(e => e.Start);
        int secondCopy = 0;
        foreach (PipelineEvent e in w.Where(e => e.Start >= (ulong)Voice.Length))
        {
            PipelineEvent first = byStart[e.Start - (ulong)Voice.Length];
            Assert.True(e.CacheHit, $"window at {e.Start} repeats the one at {first.Start}");
            Assert.Equal(first.Embedding, e.Embedding);
            ++secondCopy;
        }
        Assert.Equal((Voice.Length - Window) / Hop + 1, secondCopy);
        PipelineStats s = p.Stats;
        Assert.Equal(secondCopy, s.CacheHits);
        Assert.Equal(w.Length - secondCopy, s.CacheMisses);
        Assert.Equal(s.CacheMisses, calls);
        Assert.Equal(calls, s.EncoderCalls);
        Assert.Equal((double)s.CacheHits / (s.CacheHits + s.CacheMisses), s.CacheHitRate, 12);
    }

    [Fact]
    public void A_failing_encoder_throws_and_its_window_is_retried()
    {
        int calls = 0;
        using var p = new Pipeline(Options(), (f, m, t) =>
        {
            if (++calls == 1)
                throw new TimeoutException("model busy");
            return MeanPerBand(f, m, t);
        });
        var ev = new List<PipelineEvent>();
        bool thrown = false;
        for (int pos = 0; pos < Voice.Length; pos += Chunk)
        {
            p.Push(Voice.AsSpan(pos, Math.Min(Chunk, Voice.Length - pos)));
            try { ev.AddRange(p.ReadyEvents()); }
            catch (TimeoutException) { thrown = true; }
        }
        p.Flush();
        ev.AddRange(p.ReadyEvents());
        Assert.True(thrown);
        PipelineEvent[] w = ev.Where(e => e.Kind == PipelineEventKind.Window).ToArray();
        Assert.Equal(2, w.Length);
        Assert.Equal(new ulong[] { 0, 1 }, w.Select(e => e.WindowId));
        Assert.All(w, e => Assert.Equal(80, e.Embedding!.Length));
        Assert.Equal(PipelineEventKind.End, ev[^1].Kind);
        PipelineStats s = p.Stats;
        Assert.Equal(3, s.EncoderCalls);
        Assert.Equal(1, s.EncoderErrors);
    }

    [Fact]
    public void An_encoder_returning_the_wrong_length_is_an_error()
    {
        using var p = new Pipeline(Options(), (f, m, t) => new float[3]);
        var ev = new List<PipelineEvent>();
        Exception? Drain()
        {
            try
            {
                while (p.TryNextEvent(out PipelineEvent x))
                    ev.Add(x);
                return null;
            }
            catch (Exception x) { return x; }
        }

        p.Push(Voice);
        p.Flush();
        var e = Assert.IsType<InvalidOperationException>(Drain());
        Assert.Contains("returned 3 floats for window 0", e.Message);
        Assert.Contains("Dim is 80", e.Message);
        Assert.Equal(1, p.Stats.EncoderErrors);
        // TryNextEvent retries the window, and fails again.
        e = Assert.IsType<InvalidOperationException>(Drain());
        Assert.Contains("for window 0", e.Message);
        Assert.Equal(2, p.Stats.EncoderErrors);
        // The caller can answer the windows itself; the pipeline then goes on.
        p.SubmitEmbedding(0, new float[80]);
        e = Assert.IsType<InvalidOperationException>(Drain());
        Assert.Contains("for window 1", e.Message);
        p.SubmitEmbedding(1, Enumerable.Repeat(1f, 80).ToArray());
        Assert.Null(Drain());
        PipelineEvent[] w = ev.Where(x => x.Kind == PipelineEventKind.Window).ToArray();
        Assert.Equal(2, w.Length);
        Assert.All(w[0].Embedding!, v => Assert.Equal(0f, v));
        Assert.All(w[1].Embedding!, v => Assert.Equal(1f, v));
        Assert.Equal(PipelineEventKind.SpeechStart, ev[0].Kind);
        Assert.Equal(PipelineEventKind.End, ev[^1].Kind);
        Assert.Equal(3, p.Stats.EncoderErrors);
        Assert.Equal(3, p.Stats.EncoderCalls);
    }

    [Fact]
    public void ReadyEvents_returns_the_events_taken_before_an_encoder_failure()
    {
        int calls = 0;
        using var p = new Pipeline(Options(), (f, m, t) => ++calls == 2 ? throw new TimeoutException() : MeanPerBand(f, m, t));
        p.Push(Voice);
        p.Flush();
        List<PipelineEvent> first = p.ReadyEvents();       // stops at window 1's failure, keeps what it took
        Assert.Equal(PipelineEventKind.SpeechStart, first[0].Kind);
        Assert.DoesNotContain(first, e => e.Kind == PipelineEventKind.End);
        List<PipelineEvent> rest = p.ReadyEvents();        // window 1 retried
        var all = first.Concat(rest).ToList();
        Assert.Equal(new ulong[] { 0, 1 }, all.Where(e => e.Kind == PipelineEventKind.Window).Select(e => e.WindowId));
        Assert.Equal(PipelineEventKind.End, all[^1].Kind);
        Assert.Equal(3, calls);
    }

    [Fact]
    public void The_encoder_cannot_reenter_the_consumer_side()
    {
        Pipeline? self = null;
        Exception? inner = null;
        using var p = new Pipeline(Options(), (f, m, t) =>
        {
            try { self!.TryNextEvent(out _); }
            catch (Exception e) { inner ??= e; }
            return MeanPerBand(f, m, t);
        });
        self = p;
        List<PipelineEvent> ev = Run(p, Voice);
        Assert.IsType<InvalidOperationException>(inner);
        Assert.Contains("consumer", inner!.Message);
        Assert.Equal(2, ev.Count(e => e.Kind == PipelineEventKind.Window));
    }

    // ---- raw mode: NeedsEncoding + SubmitEmbedding ------------------------------------------

    [Fact]
    public void Without_an_encoder_windows_need_encoding_and_submissions_complete_them()
    {
        using var p = new Pipeline(Options());
        Assert.False(p.HasEncoder);
        var ev = new List<PipelineEvent>();
        var announced = new List<PipelineEvent>();
        bool triedWrongDim = false;

        void Drain()
        {
            while (p.TryNextEvent(out PipelineEvent e))
            {
                ev.Add(e);
                if (e.Kind != PipelineEventKind.NeedsEncoding)
                    continue;
                announced.Add(e);
                Assert.NotNull(e.Features);
                Assert.Equal(80, e.NMels);
                Assert.Equal(e.NMels * e.NFrames, e.Features!.Length);
                Assert.Null(e.Embedding);
                Assert.Equal(e.Start + Window, e.End);
                if (!triedWrongDim)
                {
                    triedWrongDim = true;
                    var bad = Assert.Throws<CoreException>(() => p.SubmitEmbedding(e.WindowId, new float[79]));
                    Assert.Equal(CoreStatus.InvalidArgument, bad.Status);
                }
                float[] emb = Enumerable.Repeat(e.WindowId + 0.25f, 80).ToArray();
                emb[0] = MeanPerBand(e.Features, e.NMels, e.NFrames)[0];
                p.SubmitEmbedding(e.WindowId, emb);
            }
        }

        for (int pos = 0; pos < Voice.Length; pos += Chunk)
        {
            p.Push(Voice.AsSpan(pos, Math.Min(Chunk, Voice.Length - pos)));
            Drain();
        }
        p.Flush();
        Drain();

        Assert.True(triedWrongDim);
        Assert.Equal(2, announced.Count);
        PipelineEvent[] windows = ev.Where(e => e.Kind == PipelineEventKind.Window).ToArray();
        Assert.Equal(announced.Select(a => a.WindowId), windows.Select(w => w.WindowId));
        for (int i = 0; i < windows.Length; ++i)
        {
            PipelineEvent a = announced[i], w = windows[i];
            Assert.Equal(a.Start, w.Start);
            Assert.True(ev.IndexOf(a) < ev.IndexOf(w), "NeedsEncoding comes before its Window");
            Assert.Equal(MeanPerBand(a.Features!, a.NMels, a.NFrames)[0], w.Embedding![0]);
            Assert.All(w.Embedding.Skip(1), v => Assert.Equal(w.WindowId + 0.25f, v));
            Assert.False(w.CacheHit);
        }
        Assert.Equal(PipelineEventKind.SpeechStart, ev.First(e => e.Kind != PipelineEventKind.NeedsEncoding).Kind);
        Assert.Equal(PipelineEventKind.End, ev[^1].Kind);
        Assert.Equal(0, p.Stats.EncoderCalls); // libcore's count: no C encoder

        var nf = Assert.Throws<CoreException>(() => p.SubmitEmbedding(12345, new float[80]));
        Assert.Equal(CoreStatus.NotFound, nf.Status);
        Assert.Contains("core_pipeline_submit_embedding", nf.LibCoreMessage);
        // A window already answered is no longer waiting either.
        Assert.Equal(CoreStatus.NotFound,
                     Assert.Throws<CoreException>(() => p.SubmitEmbedding(0, new float[80])).Status);
    }

    // ---- producer side, stats, metrics -------------------------------------------------------

    [Fact]
    public void Push_after_flush_is_refused_and_end_comes_once()
    {
        using var p = new Pipeline(Options(), MeanPerBand);
        p.Push(new float[320]);
        p.Push(new short[320]);
        p.Flush();
        p.Flush(); // a second flush does nothing
        var e = Assert.Throws<CoreException>(() => p.Push(new float[320]));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("after flush", e.LibCoreMessage);
        e = Assert.Throws<CoreException>(() => p.Push(new short[320]));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);

        Assert.True(p.TryNextEvent(out PipelineEvent end));
        Assert.Equal(PipelineEventKind.End, end.Kind);
        Assert.Equal(640UL, end.Start);
        Assert.False(p.TryNextEvent(out _));
        Assert.False(p.TryNextEvent(out _));
        PipelineStats s = p.Stats;
        Assert.Equal(2, s.Chunks);
        Assert.Equal(640, s.Samples);
        Assert.True(double.IsNaN(s.CacheHitRate), "no lookup yet: NaN");
    }

    [Fact]
    public void Nothing_ready_is_false_not_an_exception()
    {
        using var p = new Pipeline(Options(), MeanPerBand);
        Assert.False(p.TryNextEvent(out _));
        p.Push(ReadOnlySpan<float>.Empty);
        p.Push(new float[1600]);
        Assert.False(p.TryNextEvent(out _));
        Assert.Empty(p.ReadyEvents());
    }

    [Fact]
    public void Reject_policy_refuses_a_push_that_does_not_fit()
    {
        PipelineOptions o = Options();
        o.RingMs = 100;
        o.RingPolicy = RingPolicy.Reject;
        using var p = new Pipeline(o);
        p.Push(new float[1600]);
        var e = Assert.Throws<CoreException>(() => p.Push(new float[1]));
        Assert.Equal(CoreStatus.Full, e.Status);
        Assert.Equal(1600, p.Stats.Samples);
        Assert.Equal(1, p.Stats.Chunks);
    }

    [Fact]
    public void Stats_count_what_went_through()
    {
        using var p = new Pipeline(Options(), MeanPerBand);
        List<PipelineEvent> ev = Run(p, Voice);
        int windows = ev.Count(e => e.Kind == PipelineEventKind.Window);
        PipelineStats s = p.Stats;
        Assert.Equal((Voice.Length + Chunk - 1) / Chunk, s.Chunks);
        Assert.Equal(Voice.Length, s.Samples);
        Assert.Equal(0, s.DroppedSamples);
        Assert.Equal(1, s.Segments);
        Assert.Equal(windows, s.Windows);
        Assert.Equal(windows, s.CacheMisses);
        Assert.Equal(0, s.CacheHits);
        Assert.Equal(0.0, s.CacheHitRate);
        Assert.Equal(windows, s.EncoderCalls);
        Assert.Equal(0, s.EncoderErrors);
        Assert.Equal(Voice.Length / (double)Rate, s.AudioSeconds, 9);
        Assert.True(s.ProcessingSeconds > 0);
        Assert.Equal(s.ProcessingSeconds / s.AudioSeconds, s.RealTimeFactor, 6);
    }

    [Fact]
    public void Stalled_consumer_drops_are_counted()
    {
        PipelineOptions o = Options();
        o.RingMs = 1000;
        using var p = new Pipeline(o);
        for (int i = 0; i < 100; ++i)
            p.Push(new float[320]); // 2 s into a 1-s ring, nobody reading
        Assert.Equal(16000, p.Stats.DroppedSamples);
        Assert.Equal(32000, p.Stats.Samples);
        Assert.Contains("pipeline_dropped_samples", p.ExportPrometheus());
    }

    [Fact]
    public void Prometheus_export_has_the_pipeline_metrics()
    {
        using var p = new Pipeline(Options(), MeanPerBand);
        Run(p, Voice);
        string text = p.ExportPrometheus();
        Assert.Contains("pipeline_push", text);
        Assert.Contains("pipeline_samples", text);
        Assert.Contains("pipeline_windows", text);
        Assert.Contains("encoder_cache_misses", text);
        Assert.Contains("vad_process", text);
        Assert.Contains("features_logmel", text);
        Assert.Contains($"{Voice.Length}", text); // the samples counter
        string json = p.ExportMetrics(MetricsFormat.Json);
        Assert.StartsWith("{", json.TrimStart());

        PipelineOptions o = Options();
        o.MetricsPrefix = "lid";
        using var q = new Pipeline(o, MeanPerBand);
        q.Push(new float[320]);
        Assert.Contains("lid_pipeline_push", q.ExportPrometheus());
    }

    // ---- life cycle ----------------------------------------------------------------------------

    [Fact]
    public void Dispose_twice_then_every_call_throws()
    {
        var p = new Pipeline(Options(), MeanPerBand);
        p.Push(new float[320]);
        p.Dispose();
        p.Dispose();
        Assert.True(p.IsDisposed);
        Assert.Equal("Pipeline(disposed)", p.ToString());
        Assert.Throws<ObjectDisposedException>(() => p.Push(new float[1]));
        Assert.Throws<ObjectDisposedException>(() => p.Push(new short[1]));
        Assert.Throws<ObjectDisposedException>(() => p.Flush());
        Assert.Throws<ObjectDisposedException>(() => p.TryNextEvent(out _));
        Assert.Throws<ObjectDisposedException>(() => p.SubmitEmbedding(0, new float[80]));
        Assert.Throws<ObjectDisposedException>(() => p.Stats);
        Assert.Throws<ObjectDisposedException>(() => p.ExportPrometheus());
        Assert.Throws<ObjectDisposedException>(() => p.Options);
        Assert.Throws<ObjectDisposedException>(() => p.Dim);
    }

    [Fact]
    public void Dispose_from_another_thread_while_pushing_is_safe()
    {
        for (int round = 0; round < 20; ++round)
        {
            var p = new Pipeline(Options(), MeanPerBand);
            var t = new System.Threading.Thread(() =>
            {
                try
                {
                    for (int pos = 0; ; pos = (pos + Chunk) % (Voice.Length - Chunk))
                    {
                        p.Push(Voice.AsSpan(pos, Chunk));
                        p.ReadyEvents();
                    }
                }
                catch (ObjectDisposedException) { }
            });
            t.Start();
            System.Threading.Thread.Sleep(2);
            p.Dispose();
            Assert.True(t.Join(TimeSpan.FromSeconds(30)));
        }
    }

    // ---- real speech ------------------------------------------------------------------------------

    [TestDataFact("jfk_16k.wav")]
    public void Jfk_gives_the_vad_segments_and_their_windows()
    {
        float[] x = AudioFile.Read(AudioTestData.Require("jfk_16k.wav"));
        PipelineOptions o = Options();
        using var p = new Pipeline(o, MeanPerBand);
        List<PipelineEvent> ev = Run(p, x);
        IReadOnlyList<Segment> segs = Vad.Segments(x, o.Vad);
        Assert.NotEmpty(segs);
        Assert.Equal(segs, ev.Where(e => e.Kind == PipelineEventKind.SpeechEnd).Select(e => e.Range));
        Assert.Equal(segs.Select(s => s.Start),
                     ev.Where(e => e.Kind == PipelineEventKind.SpeechStart).Select(e => e.Start));
        PipelineEvent[] w = ev.Where(e => e.Kind == PipelineEventKind.Window).ToArray();
        Assert.NotEmpty(w);
        Assert.Equal(Enumerable.Range(0, w.Length).Select(i => (ulong)i), w.Select(e => e.WindowId));
        Assert.All(w, e => Assert.Equal(80, e.Embedding!.Length));
        Assert.Equal(PipelineEventKind.End, ev[^1].Kind);
        Assert.Equal(segs.Count, p.Stats.Segments);
        Assert.Equal(w.Length, p.Stats.Windows);
    }
}
