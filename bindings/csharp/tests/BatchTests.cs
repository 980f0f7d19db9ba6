using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Xunit;

namespace LibCore.Tests;

/// <summary>Batch (batch.h): every summary bit for bit Stats.Of's.</summary>
public class BatchTests
{
    /// <summary>The 56 bytes of both summaries are identical (stricter than
    /// Stats.Equals, which takes 0.0 == -0.0).</summary>
    internal static void BitEqual(Stats expected, Stats actual, string what = "")
    {
        ReadOnlySpan<byte> e = MemoryMarshal.AsBytes(new ReadOnlySpan<Stats>(in expected));
        ReadOnlySpan<byte> a = MemoryMarshal.AsBytes(new ReadOnlySpan<Stats>(in actual));
        Assert.True(e.SequenceEqual(a), $"{what}: {actual}, want {expected}");
    }

    /// <summary>Lengths around the 2048-element block, empty arrays, and one
    /// above 128 Ki (split into blocks), some holding NaNs.</summary>
    private static double[][] Arrays()
    {
        int[] lens = { 0, 1, 2, 7, 1000, 2047, 2048, 2049, 4096, 5000, 0, 140000, 3 };
        return lens.Select((n, i) =>
        {
            double[] x = TestData.Normal(100 + i, n, 3.0 * i, 1.0 + i);
            if (n > 10 && i % 3 == 0)
                x[n / 2] = double.NaN;
            return x;
        }).ToArray();
    }

    [Theory]
    [MemberData(nameof(TestData.DtypesAndPolicies), MemberType = typeof(TestData))]
    public void Jagged_arrays_give_Stats_Of_bit_for_bit(bool f64, NanPolicy nan)
    {
        double[][] arrays = Arrays();
        Stats[] got = f64 ? Batch.Stats(arrays, nan) : Batch.Stats(arrays.Select(TestData.ToFloat).ToArray(), nan);
        Assert.Equal(arrays.Length, got.Length);
        for (int i = 0; i < arrays.Length; ++i)
            BitEqual(TestData.StatsOf(f64, arrays[i], nan), got[i], $"array {i}");
    }

    [Theory]
    [MemberData(nameof(TestData.DtypesAndPolicies), MemberType = typeof(TestData))]
    public void Flat_segments_give_Stats_Of_bit_for_bit(bool f64, NanPolicy nan)
    {
        double[][] arrays = Arrays();
        int[] lengths = arrays.Select(a => a.Length).ToArray();
        double[] flat = arrays.SelectMany(a => a).ToArray();
        Stats[] got = f64 ? Batch.Stats(flat, lengths, nan) : Batch.Stats(TestData.ToFloat(flat), lengths, nan);
        Assert.Equal(arrays.Length, got.Length);
        for (int i = 0; i < arrays.Length; ++i)
            BitEqual(TestData.StatsOf(f64, arrays[i], nan), got[i], $"segment {i}");
    }

    [Theory]
    [MemberData(nameof(TestData.Dtypes), MemberType = typeof(TestData))]
    public void Many_small_arrays_past_the_stack_limit(bool f64)
    {
        // 1000 arrays: the pointer and length tables come from the pool.
        var r = new Random(7);
        double[][] arrays = Enumerable.Range(0, 1000)
            .Select(i => TestData.Uniform(i, r.Next(0, 300), -1, 1)).ToArray();
        Stats[] jagged = f64 ? Batch.Stats(arrays) : Batch.Stats(arrays.Select(TestData.ToFloat).ToArray());
        int[] lengths = arrays.Select(a => a.Length).ToArray();
        double[] flat = arrays.SelectMany(a => a).ToArray();
        Stats[] flatGot = f64 ? Batch.Stats(flat, lengths) : Batch.Stats(TestData.ToFloat(flat), lengths);
        for (int i = 0; i < arrays.Length; ++i)
        {
            Stats want = TestData.StatsOf(f64, arrays[i]);
            BitEqual(want, jagged[i], $"jagged {i}");
            BitEqual(want, flatGot[i], $"flat {i}");
        }
    }

    [Fact]
    public void Flat_into_a_destination_writes_its_start_only()
    {
        float[] flat = { 1, 2, 3, 4, 5, 6 };
        var dest = new Stats[4];
        dest[3] = Stats.Of(new float[] { 42 });
        Batch.Stats(flat, new[] { 1, 0, 5 }, dest);
        BitEqual(Stats.Of(flat.AsSpan(0, 1)), dest[0]);
        BitEqual(Stats.Of(ReadOnlySpan<float>.Empty), dest[1]);
        BitEqual(Stats.Of(flat.AsSpan(1)), dest[2]);
        Assert.Equal(42.0, dest[3].Mean); // untouched
        double[] flat64 = { 1, 2, 3 };
        Batch.Stats(flat64, new[] { 3 }, dest.AsSpan(0, 1), NanPolicy.Omit);
        BitEqual(Stats.Of(flat64, NanPolicy.Omit), dest[0]);
    }

    [Fact]
    public void Empty_batches()
    {
        Assert.Empty(Batch.Stats(Array.Empty<float[]>()));
        Assert.Empty(Batch.Stats(Array.Empty<double[]>(), NanPolicy.Omit));
        Assert.Empty(Batch.Stats(ReadOnlySpan<float>.Empty, ReadOnlySpan<int>.Empty));
        Stats[] zeros = Batch.Stats(ReadOnlySpan<double>.Empty, new[] { 0, 0 });
        Assert.Equal(2, zeros.Length);
        BitEqual(Stats.Of(Array.Empty<double>()), zeros[1]);
        Stats[] one = Batch.Stats(new[] { Array.Empty<float>() });
        BitEqual(Stats.Of(Array.Empty<float>()), one[0]);
    }

    [Fact]
    public void Flat_lengths_must_add_up()
    {
        float[] flat = new float[10];
        var e = Assert.Throws<ArgumentException>(() => Batch.Stats(flat, new[] { 3, 3 }));
        Assert.Equal("lengths", e.ParamName);
        Assert.Contains("6", e.Message);
        Assert.Throws<ArgumentException>(() => Batch.Stats(flat, new[] { 8, 8 }));
        Assert.Throws<ArgumentException>(() => Batch.Stats(new double[2], new[] { 1, 1, 1 }));
        var neg = Assert.Throws<ArgumentOutOfRangeException>(() => Batch.Stats(flat, new[] { 12, -2 }));
        Assert.Equal("lengths", neg.ParamName);
        Assert.Throws<ArgumentException>(() => Batch.Stats(flat, new[] { 5, 5 }, new Stats[1]));
    }

    [Fact]
    public void Null_arrays_are_refused_with_their_index()
    {
        Assert.Throws<ArgumentNullException>(() => Batch.Stats((float[][])null!));
        Assert.Throws<ArgumentNullException>(() => Batch.Stats((double[][])null!));
        var e = Assert.Throws<ArgumentNullException>(() => Batch.Stats(new[] { new float[1], null!, new float[2] }));
        Assert.Equal("arrays[1]", e.ParamName);
        e = Assert.Throws<ArgumentNullException>(() => Batch.Stats(new double[][] { null! }));
        Assert.Equal("arrays[0]", e.ParamName);
    }

    [Fact]
    public void A_bad_nan_policy_is_libcores_error()
    {
        var e = Assert.Throws<CoreException>(() => Batch.Stats(new[] { new float[] { 1 } }, (NanPolicy)9));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("core_batch_stats_f32", e.LibCoreMessage);
        e = Assert.Throws<CoreException>(() => Batch.Stats(new double[] { 1 }, new[] { 1 }, (NanPolicy)9));
        Assert.Contains("core_batch_stats_f64", e.LibCoreMessage);
    }

    // ---- frames -----------------------------------------------------------------

    [Theory]
    [InlineData(10, 4, 2, 4)]   // frames at 0, 2, 4, 6; the partial one at 8 is dropped
    [InlineData(10, 4, 3, 3)]   // 0, 3, 6 (6 + 4 = 10: whole)
    [InlineData(4, 4, 1, 1)]
    [InlineData(5, 1, 1, 5)]
    [InlineData(57600000, 400, 160, 359998)] // one hour at 16 kHz, 25 ms every 10 ms
    public void FrameCount_counts_whole_frames(long n, int frame, int hop, long want) =>
        Assert.Equal(want, Batch.FrameCount(n, frame, hop));

    [Theory]
    [InlineData(10, 0, 1, "frame")]
    [InlineData(10, 4, 0, "hop")]
    [InlineData(3, 4, 1, "frame")]
    [InlineData(0, 1, 1, "frame")]
    public void Bad_frames_are_libcores_error(long n, int frame, int hop, string word)
    {
        var e = Assert.Throws<CoreException>(() => Batch.FrameCount(n, frame, hop));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("core_stats_frames_len", e.LibCoreMessage);
        Assert.Contains(word, e.LibCoreMessage);
        float[] x = new float[n];
        e = Assert.Throws<CoreException>(() => Batch.Frames(x, frame, hop));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        e = Assert.Throws<CoreException>(() => Batch.Frames(new double[n], frame, hop, new Stats[4]));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("core_stats_frames_f64", e.LibCoreMessage);
    }

    [Fact]
    public void Negative_frame_arguments_are_refused_before_the_call()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Batch.FrameCount(-1, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Batch.FrameCount(10, -1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Batch.FrameCount(10, 1, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Batch.Frames(new float[10], -4, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Batch.Frames(new double[10], 4, -2, new Stats[8]));
        Assert.Throws<ArgumentNullException>(() => Batch.Frames((float[])null!, 4, 2));
        Assert.Throws<ArgumentNullException>(() => Batch.Frames((double[])null!, 4, 2));
    }

    [Theory]
    [MemberData(nameof(TestData.Dtypes), MemberType = typeof(TestData))]
    public void Frames_give_Stats_Of_of_each_frame_bit_for_bit(bool f64)
    {
        const int frame = 400, hop = 160;
        double[] x = TestData.Normal(11, 16000 + 77, 0.1, 0.5); // a partial last frame
        x[1000] = double.NaN; // in frames 4, 5 and 6 only
        long count = Batch.FrameCount(x.Length, frame, hop);
        Stats[] got = f64 ? Batch.Frames(x, frame, hop) : Batch.Frames(TestData.ToFloat(x), frame, hop);
        Assert.Equal(count, got.Length);
        Assert.Equal(1 + (x.Length - frame) / hop, got.Length);
        float[] xf = TestData.ToFloat(x);
        for (int i = 0; i < got.Length; ++i)
        {
            Stats want = f64 ? Stats.Of(x.AsSpan(i * hop, frame)) : Stats.Of(xf.AsSpan(i * hop, frame));
            BitEqual(want, got[i], $"frame {i}");
            bool hasNan = i * hop <= 1000 && 1000 < i * hop + frame;
            Assert.Equal(hasNan ? 1 : 0, got[i].NanCount);
            Assert.Equal(hasNan, double.IsNaN(got[i].Mean)); // NaN propagates per frame
        }
    }

    [Fact]
    public void Frames_into_a_destination()
    {
        float[] x = Enumerable.Range(0, 100).Select(i => (float)i).ToArray();
        var dest = new Stats[12];
        int n = Batch.Frames(x, 20, 10, dest); // 1 + 80 / 10 = 9
        Assert.Equal(9, n);
        for (int i = 0; i < n; ++i)
            BitEqual(Stats.Of(x.AsSpan(i * 10, 20)), dest[i]);
        Assert.Equal(0, dest[9].Count); // untouched
        double[] xd = TestData.ToDouble(x);
        Assert.Equal(9, Batch.Frames(xd, 20, 10, dest.AsSpan(0, 9)));
        BitEqual(Stats.Of(xd.AsSpan(80, 20)), dest[8]);
        Stats[] spans = Batch.Frames(new ReadOnlySpan<float>(x, 0, 50), 50, 1);
        BitEqual(Stats.Of(x.AsSpan(0, 50)), Assert.Single(spans));
    }

    [Fact]
    public void Frames_into_a_short_destination_is_BufferTooSmall()
    {
        var dest = new Stats[3];
        var e = Assert.Throws<CoreException>(() => Batch.Frames(new float[100], 20, 10, dest));
        Assert.Equal(CoreStatus.BufferTooSmall, e.Status);
        Assert.Contains("core_stats_frames_f32", e.LibCoreMessage);
        Assert.All(dest, s => Assert.Equal(0, s.Count)); // nothing written
        e = Assert.Throws<CoreException>(() => Batch.Frames(new double[100], 20, 10, Span<Stats>.Empty));
        Assert.Equal(CoreStatus.BufferTooSmall, e.Status);
    }

    // ---- files --------------------------------------------------------------------

    private sealed class TempFile : IDisposable
    {
        public TempFile(ReadOnlySpan<byte> bytes)
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "libcore-cs-" + Guid.NewGuid() + ".f32");
            File.WriteAllBytes(Path, bytes.ToArray());
        }

        public TempFile(float[] values) : this(MemoryMarshal.AsBytes(values.AsSpan()))
        {
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }

    [Fact]
    public void StatsFile_gives_Stats_Of_of_the_values_bit_for_bit()
    {
        float[] x = TestData.ToFloat(TestData.Normal(21, 70000, 5, 2));
        x[123] = float.NaN;
        using var f = new TempFile(x);
        BitEqual(Stats.Of(x), Batch.StatsFile(f.Path));
        BitEqual(Stats.Of(x, NanPolicy.Omit), Batch.StatsFile(f.Path, nan: NanPolicy.Omit));
        BitEqual(Stats.Of(x.AsSpan(1000, 5000)), Batch.StatsFile(f.Path, 1000, 5000));
        BitEqual(Stats.Of(x.AsSpan(200)), Batch.StatsFile(f.Path, 200)); // count 0: to the end
        BitEqual(Stats.Of(x.AsSpan(x.Length - 1)), Batch.StatsFile(f.Path, x.Length - 1, 1));
        Stats empty = Batch.StatsFile(f.Path, x.Length); // offset at the end, count 0
        Assert.Equal(0, empty.Count);
        Assert.True(double.IsNaN(empty.Mean));
    }

    [Fact]
    public void StatsFile_of_a_missing_file_is_NotFound()
    {
        string path = Path.Combine(Path.GetTempPath(), "libcore-no-such-" + Guid.NewGuid());
        var e = Assert.Throws<CoreException>(() => Batch.StatsFile(path));
        Assert.Equal(CoreStatus.NotFound, e.Status);
        Assert.Contains("core_stats_file_f32", e.LibCoreMessage);
    }

    [Fact]
    public void StatsFile_errors()
    {
        using (var odd = new TempFile(new byte[10]))
            Assert.Equal(CoreStatus.Format, Assert.Throws<CoreException>(() => Batch.StatsFile(odd.Path)).Status);
        using var f = new TempFile(new float[] { 1, 2, 3, 4 });
        Assert.Equal(CoreStatus.InvalidArgument, Assert.Throws<CoreException>(() => Batch.StatsFile(f.Path, 5)).Status);
        Assert.Equal(CoreStatus.InvalidArgument, Assert.Throws<CoreException>(() => Batch.StatsFile(f.Path, 2, 3)).Status);
        Assert.Equal(CoreStatus.InvalidArgument,
            Assert.Throws<CoreException>(() => Batch.StatsFile(f.Path, nan: (NanPolicy)5)).Status);
        Assert.Equal(CoreStatus.Io, Assert.Throws<CoreException>(() => Batch.StatsFile(Path.GetTempPath())).Status);
        Assert.Throws<ArgumentNullException>(() => Batch.StatsFile(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => Batch.StatsFile(f.Path, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Batch.StatsFile(f.Path, 0, -1));
    }
}

/// <summary>Batch results at 1, 2 and all threads (the thread count is process-wide).</summary>
[Collection("NumThreads")]
public class BatchThreadTests
{
    [Fact]
    public void Batch_results_are_bit_identical_for_every_thread_count()
    {
        double[][] arrays = Enumerable.Range(0, 300)
            .Select(i => TestData.Normal(i, 50 + 37 * i, i, 1)).ToArray();
        float[][] arraysF = arrays.Select(TestData.ToFloat).ToArray();
        float[] signal = TestData.ToFloat(TestData.Normal(3, 300000, 0, 1));
        Stats[] Run() => Batch.Stats(arrays)
            .Concat(Batch.Stats(arraysF, NanPolicy.Omit))
            .Concat(Batch.Frames(signal, 400, 160)).ToArray();
        try
        {
            Core.NumThreads = 1;
            Stats[] one = Run();
            foreach (int t in new[] { 2, 0 })
            {
                Core.NumThreads = t;
                Stats[] other = Run();
                for (int i = 0; i < one.Length; ++i)
                    BatchTests.BitEqual(one[i], other[i], $"{t} threads, summary {i}");
            }
        }
        finally
        {
            Core.NumThreads = 0;
        }
    }
}
