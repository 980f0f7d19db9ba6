// LibCore from C#: arrays, statistics, PCM and errors in one page.
// Run:  ninja -C <builddir> csharp-example   (see bindings/csharp/README.md)
using System;
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
