// LibCore from C#: arrays, statistics, PCM, batches, a ring buffer, the encoder cache, metrics, audio and errors in one page.
// Run:  ninja -C <builddir> csharp-example   (see bindings/csharp/README.md)
using System;
using System.Linq;
using LibCore;

Console.WriteLine($"libcore {Core.Version} ({Core.SimdTarget}, {Core.NumThreads} threads)");

// Arrays: NumPy semantics, allocated by the binding with libcore's lengths.
float[] t = CoreArrays.Arange<float>(0.0, 1.0, 0.1);          // 10 elements, as NumPy
double[] grid = CoreArrays.Linspace<double>(-1.0, 1.0, 5);     // last element exactly 1
Console.WriteLine($"arange(0, 1, 0.1): {t.Length} elements, last {t[^1]}");
Console.WriteLine($"linspace(-1, 1, 5): [{string.Join(", ", grid)}]");

// A 440 Hz tone, 20 ms at 16 kHz, as PCM and back.
float[] audio = new float[320];
for (int i = 0; i < audio.Length; ++i)
    audio[i] = 0.5f * MathF.Sin(2 * MathF.PI * 440 * i / 16000f);
short[] pcm = CoreArrays.ToPcm16(audio, out long clipped);
float[] back = CoreArrays.FromPcm16<float>(pcm);
Console.WriteLine($"pcm: {pcm.Length} samples, {clipped} clipped, max error {MaxError(audio, back):E2}");

// Statistics: one pass, float64 results; summaries merge.
Stats first = Stats.Of(audio.AsSpan(0, 160));
Stats all = first.Merge(Stats.Of(audio.AsSpan(160)));
Console.WriteLine($"stats: n={all.Count} min={all.Min:F4} max={all.Max:F4} mean={all.Mean:E2} std={all.Std():F4}");
Console.WriteLine($"rms={CoreStats.Rms(audio):F4} zcr={CoreStats.ZeroCrossingRate(audio):F4} " +
                  $"p95={CoreStats.Percentile(audio, 95):F4}");

// NaN policies: propagate like np.std, omit like np.nanstd.
double[] withNan = { 1, 2, double.NaN, 4 };
Console.WriteLine($"NaN: propagate mean={Stats.Of(withNan).Mean}, " +
                  $"omit mean={Stats.Of(withNan, NanPolicy.Omit).Mean:F4} ({Stats.Of(withNan, NanPolicy.Omit).NanCount} NaN)");

// Batch: many arrays in one parallel call, each bit for bit Stats.Of; frames of a signal.
Stats[] perChunk = Batch.Stats(new[] { audio[..100], audio[100..250], audio[250..] });
Stats[] frames = Batch.Frames(audio, 160, 80);                 // 10 ms frames every 5 ms at 16 kHz
Console.WriteLine($"batch: chunk means [{string.Join(", ", perChunk.Select(c => c.Mean.ToString("E2")))}], " +
                  $"{frames.Length} frames, loudest rms {frames.Max(f => Math.Sqrt(f.M2 / f.Count + f.Mean * f.Mean)):F4}");

// Streaming: push chunks, get exactly the one-call summary when the length is declared.
var acc = new StatsAccumulator(expectedCount: audio.Length);
acc.Push(audio.AsSpan(0, 100));
acc.Push(audio.AsSpan(100));
Console.WriteLine($"stream of 2 chunks == Stats.Of: {acc.Result() == Stats.Of(audio)}");

// Ring buffer: a producer appends PCM, a consumer reads the last 10 ms and pops.
using (var ring = new RingBuffer(1024, RingPolicy.Overwrite))
{
    ring.Append(pcm);                                          // converted to float on the way in
    float[] latest = ring.ReadLatest(160);                     // newest 160 samples, not consumed
    float[] chunk = new float[256];
    int got = ring.Pop(chunk);
    Console.WriteLine($"ring: {latest.Length} latest, popped {got}, {ring.Size} left, {ring.Dropped} dropped");
}

// Encoder cache: audio keys equal after rounding, compute once per key, counters.
using (var cache = new EncoderCache(new EncoderCacheOptions { MaxEntries = 1000, Ttl = TimeSpan.FromMinutes(10) }))
{
    CacheKey key = CacheKey.OfAudio(audio, decimals: 6);            // like np.round(audio, 6), hashed with XXH3-128
    int runs = 0;
    Tensor Encode(CacheKey k) { ++runs; return new Tensor(new[] { all.Mean, all.Std(), all.Min, all.Max }.Select(v => (float)v).ToArray(), 2, 2); }
    Tensor computed = cache.GetOrCompute(key, Encode);             // a miss: Encode runs
    Tensor again = cache.GetOrCompute(key, Encode);                // a hit: copied from the cache
    CacheStats cs = cache.GetStats();
    Console.WriteLine($"cache: key {key}, shape {string.Join("x", again.Shape)}, encoder ran {runs}x, " +
                      $"hits {cs.Hits}, misses {cs.Misses}, {cs.Bytes} bytes");
}

// Metrics: latency histograms, counters and gauges, exported for Prometheus.
using (var metrics = new Metrics())
{
    Timer stage = metrics.Timer("lid.encoder_forward");             // exported as lid_encoder_forward_seconds
    Counter calls = metrics.Counter("calls");
    for (int i = 0; i < 100; ++i)
    {
        using (stage.Start())                                        // records on Dispose, no allocation
            Stats.Of(audio);
        calls.Increment();
    }
    double mean = stage.Time(() => Stats.Of(audio).Mean);           // Time(Func<T>) returns the result
    Console.WriteLine($"metrics: {stage.GetStats().Count} timings, p50 {stage.Percentile(0.5)} ns, " +
                      $"p99 {stage.Percentile(0.99)} ns, {calls.Value} calls, " +
                      $"{metrics.Export().Split('\n').Count(l => l.StartsWith("lid_encoder_forward_seconds_bucket"))} buckets exported");
}

// Audio front end: Whisper's log-mel spectrogram (offline and streaming) and voice activity detection.
float[] voice = new float[16000 * 3];                           // quiet, a voiced sound from 1 s to 2 s, quiet
var rng = new Random(1);
for (int i = 0; i < voice.Length; ++i)
{
    voice[i] = 1e-3f * (float)(rng.NextDouble() - 0.5);
    if (i >= 16000 && i < 32000)
        for (int h = 1; h <= 20; ++h)                           // a 140 Hz buzz with its harmonics
            voice[i] += 0.05f / h * MathF.Sin(2 * MathF.PI * 140 * h * i / 16000f);
}
using (var logMel = new LogMel())                                // 16 kHz, n_fft 400, hop 160, 80 bands
{
    LogMelSpectrogram mel = logMel.Compute(voice);               // mel-major, like Whisper's (80, 3000)
    using var stream = new LogMelStream(new LogMelOptions { Mode = LogMelMode.Log10 });
    stream.Push(voice.AsSpan(0, 10000));                         // any chunk sizes
    stream.Push(voice.AsSpan(10000));
    stream.Flush();
    float[] streamed = stream.Read(int.MaxValue);                // frame-major: frames x 80
    Console.WriteLine($"log-mel: {mel.NMels} x {mel.NFrames}, streamed {streamed.Length / stream.NMels} frames");
}
foreach (Segment seg in Vad.Segments(voice, VadOptions.Default))
    Console.WriteLine($"vad: speech from {seg.StartSeconds(16000):F2} s to {seg.EndSeconds(16000):F2} s");
if (args.Length > 0)                                             // dotnet LibCoreExample.dll some.wav
{
    AudioInfo info = AudioFile.Info(args[0]);
    float[] file = AudioFile.Read(args[0], targetRate: 16000);  // mono float32, resampled
    Console.WriteLine($"{args[0]}: {info.Format}, {info.SampleRate} Hz, {info.Channels} ch, {info.Duration:F2} s -> {file.Length} samples");
}

// Errors carry libcore's status and message.
try
{
    CoreArrays.Arange<float>(0, 1, 0);
}
catch (CoreException e)
{
    Console.WriteLine($"error: {e.Status}: {e.LibCoreMessage}");
}
return 0;

static double MaxError(float[] a, float[] b)
{
    double worst = 0;
    for (int i = 0; i < a.Length; ++i)
        worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
    return worst;
}
