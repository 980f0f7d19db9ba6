// The C# binding's benchmark (meson: benchmark 'csharp_bench', suite 'bench').
//
//   1. Per-call cost of Stats.Of on 1,000 floats (target <= 200 ns), beside
//      Stats.Of on 1 float: the fixed cost of a call (P/Invoke, pinning, the
//      status check and libcore's own argument checks), an upper bound on
//      what the binding adds to the native work.
//   2. At n = 1e6: Stats.Of against a straightforward C# loop computing min,
//      max, mean and variance (one pass, sum and sum of squares in double;
//      target >= 5x), at the default thread count and at 1 thread.
//   3. 10,000 arrays of 1,000 floats: Stats.Of in a loop against
//      Batch.Stats on the jagged array (one pinned GCHandle per array) and on
//      one flat array with lengths (one pin), at 1 thread and the default.
//   4. RingBuffer: append and pop (or peek and consume) 1024-float chunks
//      through a 64 Ki ring on one thread.
//
// Variants are timed in interleaved rounds (so background load hits them
// alike); "best" is the fastest round, "median" the middle one. Prints the
// figures and never asserts on time. `--quick` runs a short version.
using System;
using System.Diagnostics;
using System.Linq;
using LibCore;

bool quick = args.Contains("--quick");
int rounds = quick ? 3 : 9;

Console.WriteLine($"libcore {Core.Version}, SIMD {Core.SimdTarget}, {Core.NumThreads} threads, " +
                  $".NET {Environment.Version}, {Environment.ProcessorCount} CPUs");

var rng = new Random(42);
float[] small = new float[1000];
for (int i = 0; i < small.Length; ++i)
    small[i] = (float)(rng.NextDouble() * 2 - 1);
float[] one = { 0.5f };
float[] big = new float[1000000];
for (int i = 0; i < big.Length; ++i)
    big[i] = (float)(rng.NextDouble() * 2 - 1);
double[] bigD = Array.ConvertAll(big, v => (double)v);
double sink = 0;

// ---- 1. per call ---------------------------------------------------------------

int calls = quick ? 100000 : 1000000;
var perCall = Measure(calls, rounds, 1e9,
    ("Stats.Of(float[1])                           ", () => sink += Stats.Of(one).Mean),
    ("Stats.Of(float[1000])                        ", () => sink += Stats.Of(small).Mean),
    ("Stats.Of(span of float[1000])                ", () => sink += Stats.Of(small.AsSpan()).Mean),
    ("Stats.Of(float[1000], NanPolicy.Omit)        ", () => sink += Stats.Of(small, NanPolicy.Omit).Mean),
    ("CoreStats.Mean(float[1000])                  ", () => sink += CoreStats.Mean(small)));
Console.WriteLine();
Console.WriteLine("per call                                          best   median  ns/call");
Print(perCall, "F1");
Console.WriteLine($"  -> Stats.Of(float[1000]) {perCall[1].Best:F0} ns (target <= 200); the fixed cost of a " +
                  $"call, binding and libcore together, is {perCall[0].Best:F0} ns");

// ---- 2. n = 1e6 ----------------------------------------------------------------

int reps = quick ? 3 : 15;
int threads = Core.NumThreads;
var large = Measure(1, reps, 1e3,
    ("C# loop, float[]                             ", () => sink += NaiveStats(big).Var),
    ($"Stats.Of(float[]), {threads} threads                  ", () => sink += Stats.Of(big).Variance()),
    ("Stats.Of(float[]), 1 thread                  ", () => { Core.NumThreads = 1; sink += Stats.Of(big).Variance(); Core.NumThreads = 0; }),
    ("C# loop, double[]                            ", () => sink += NaiveStatsD(bigD).Var),
    ($"Stats.Of(double[]), {threads} threads                 ", () => sink += Stats.Of(bigD).Variance()));
Console.WriteLine();
Console.WriteLine("n = 1e6: min, max, mean, variance                 best   median  ms/call");
Print(large, "F3");
Console.WriteLine($"  -> speed-up over the C# loop (best): float {threads} threads {large[0].Best / large[1].Best:F1}x " +
                  $"(target >= 5x), float 1 thread {large[0].Best / large[2].Best:F1}x, " +
                  $"double {threads} threads {large[3].Best / large[4].Best:F1}x");

// ---- 3. batch: 10,000 arrays of 1,000 floats --------------------------------------

float[][] arrays = Enumerable.Range(0, 10000).Select(i => big.AsSpan(i % 900 * 1000, 1000).ToArray()).ToArray();
float[] flat = arrays.SelectMany(a => a).ToArray();
int[] lengths = Enumerable.Repeat(1000, arrays.Length).ToArray();
var batchOut = new Stats[arrays.Length];
var batch = Measure(1, reps, 1e3,
    ("Stats.Of in a loop                           ", () => { foreach (float[] a in arrays) sink += Stats.Of(a).Mean; }),
    ($"Batch.Stats(float[][]), {threads} threads             ", () => sink += Batch.Stats(arrays)[0].Mean),
    ($"Batch.Stats(flat, lengths), {threads} threads         ", () => { Batch.Stats(flat, lengths, batchOut); sink += batchOut[0].Mean; }),
    ("Batch.Stats(float[][]), 1 thread             ", () => { Core.NumThreads = 1; sink += Batch.Stats(arrays)[0].Mean; Core.NumThreads = 0; }),
    ("Batch.Stats(flat, lengths), 1 thread         ", () => { Core.NumThreads = 1; Batch.Stats(flat, lengths, batchOut); sink += batchOut[0].Mean; Core.NumThreads = 0; }));
Console.WriteLine();
Console.WriteLine("10,000 arrays of 1,000 floats                     best   median  ms/call");
Print(batch, "F3");
// Tiny arrays, where the work is small and the pinning shows.
float[][] tiny = Enumerable.Range(0, 10000).Select(i => small.AsSpan(i % 900, 16).ToArray()).ToArray();
float[] tinyFlat = tiny.SelectMany(a => a).ToArray();
int[] tinyLengths = Enumerable.Repeat(16, tiny.Length).ToArray();
var tinyRows = Measure(10, reps, 1e3,
    ("10,000 x 16: Batch.Stats(float[][]), 1 thread", () => { Core.NumThreads = 1; sink += Batch.Stats(tiny)[0].Mean; Core.NumThreads = 0; }),
    ("10,000 x 16: Batch.Stats(flat), 1 thread     ", () => { Core.NumThreads = 1; Batch.Stats(tinyFlat, tinyLengths, batchOut); sink += batchOut[0].Mean; Core.NumThreads = 0; }));
Print(tinyRows, "F3");
Console.WriteLine($"  -> the jagged form's pinning costs {(tinyRows[0].Best - tinyRows[1].Best) * 1e2:F0} ns per array " +
                  "(10,000 x 16, jagged minus flat)");

// ---- 4. ring: 1024-float chunks through a 64 Ki ring, one thread -------------------

using (var ring = new RingBuffer(1 << 16))
{
    float[] chunk = new float[1024], back = new float[1024];
    short[] pcmChunk = new short[1024];
    var ringRows = Measure(calls / 10, rounds, 1e9,
        ("Append(float[1024]) + Pop(float[1024])       ", () => { ring.Append(chunk); ring.Pop(back); }),
        ("Append(short[1024]) + Pop(float[1024])       ", () => { ring.Append(pcmChunk); ring.Pop(back); }),
        ("Append(float[1024]) + Peek + Consume         ", () => { ring.Append(chunk); ring.Consume(ring.Peek((a, b) => a.Length + b.Length)); }),
        ("Size (a query)                               ", () => sink += ring.Size));
    Console.WriteLine();
    Console.WriteLine("ring, 1024 samples per call                       best   median  ns/call");
    Print(ringRows, "F1");
    Console.WriteLine($"  -> append + pop: {2 * 4096 / ringRows[0].Best:F1} GB/s moved (write and read)");
}

// the loop and libcore agree (and the work was not optimized away)
var (mn, mx, mean, var) = NaiveStats(big);
Stats s = Stats.Of(big);
Console.WriteLine();
Console.WriteLine($"check: loop mean {mean:E6} var {var:E6}; libcore mean {s.Mean:E6} var {s.Variance():E6}" +
                  $" (min {mn == s.Min}, max {mx == s.Max}) [{(sink != 0 ? "ok" : "?")}]");
return 0;

// Times each action `n` times per round, rounds interleaved, after a warm-up;
// returns best and median per call in units of 1/scale seconds.
(string Name, double Best, double Median)[] Measure(int n, int roundCount, double scale,
                                                     params (string Name, Action Run)[] cases)
{
    foreach (var c in cases)
        for (int i = 0; i < Math.Max(n / 4, 2); ++i) c.Run();
    var t = new double[cases.Length][];
    for (int k = 0; k < cases.Length; ++k) t[k] = new double[roundCount];
    for (int r = 0; r < roundCount; ++r)
        for (int k = 0; k < cases.Length; ++k)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < n; ++i) cases[k].Run();
            t[k][r] = Stopwatch.GetElapsedTime(t0).TotalSeconds * scale / n;
        }
    return cases.Select((c, k) =>
    {
        Array.Sort(t[k]);
        return (c.Name, t[k][0], t[k][roundCount / 2]);
    }).ToArray();
}

static void Print((string Name, double Best, double Median)[] rows, string format)
{
    foreach (var (name, best, median) in rows)
        Console.WriteLine($"  {name}{best.ToString(format),8} {median.ToString(format),8}");
}

// What a C# user writes without libcore: one loop, double accumulators.
static (double Min, double Max, double Mean, double Var) NaiveStats(float[] x)
{
    double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0, sumSq = 0;
    foreach (float f in x)
    {
        double v = f;
        if (v < min) min = v;
        if (v > max) max = v;
        sum += v;
        sumSq += v * v;
    }
    double mean = sum / x.Length;
    return (min, max, mean, sumSq / x.Length - mean * mean);
}

static (double Min, double Max, double Mean, double Var) NaiveStatsD(double[] x)
{
    double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0, sumSq = 0;
    foreach (double v in x)
    {
        if (v < min) min = v;
        if (v > max) max = v;
        sum += v;
        sumSq += v * v;
    }
    double mean = sum / x.Length;
    return (min, max, mean, sumSq / x.Length - mean * mean);
}
