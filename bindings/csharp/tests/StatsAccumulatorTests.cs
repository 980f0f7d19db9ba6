using System;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace LibCore.Tests;

/// <summary>StatsAccumulator (core_stats_acc_*): streaming, merging, errors.</summary>
public class StatsAccumulatorTests
{
    private static void PushChunks(StatsAccumulator acc, bool f64, double[] x, int chunk)
    {
        float[] xf = TestData.ToFloat(x);
        for (int i = 0; i < x.Length; i += chunk)
        {
            int n = Math.Min(chunk, x.Length - i);
            if (f64)
                acc.Push(x.AsSpan(i, n));
            else
                acc.Push(xf.AsSpan(i, n));
        }
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(false, 1000)]
    [InlineData(false, 2048)]
    [InlineData(false, 7919)]
    [InlineData(true, 3)]
    [InlineData(true, 2049)]
    [InlineData(true, 100000)]
    public void Declared_length_gives_Stats_Of_bit_for_bit_whatever_the_chunks(bool f64, int chunk)
    {
        double[] x = TestData.Normal(5, 10007, 1e3, 2); // 5 blocks: not a power of two
        x[77] = double.NaN;
        foreach (NanPolicy nan in new[] { NanPolicy.Propagate, NanPolicy.Omit })
        {
            var acc = new StatsAccumulator(nan, x.Length);
            Assert.Equal(x.Length, acc.ExpectedCount);
            Assert.Equal(nan, acc.NanPolicy);
            PushChunks(acc, f64, x, chunk);
            BatchTests.BitEqual(TestData.StatsOf(f64, x, nan), acc.Result(), $"{nan}");
        }
    }

    [Theory]
    [InlineData(1500)]   // one block
    [InlineData(4096)]   // two blocks: a power of two
    [InlineData(8192)]
    public void Unknown_length_is_bit_identical_for_a_power_of_two_blocks(int n)
    {
        double[] x = TestData.Uniform(8, n, -5, 5);
        var acc = new StatsAccumulator();
        PushChunks(acc, true, x, 333);
        BatchTests.BitEqual(Stats.Of(x), acc.Result());
    }

    [Fact]
    public void Unknown_length_otherwise_exact_counts_and_extremes_close_moments()
    {
        double[] x = TestData.Normal(9, 10007, 50, 3);
        float[] xf = TestData.ToFloat(x);
        var a = new StatsAccumulator();
        var b = new StatsAccumulator();
        PushChunks(a, false, x, 100);
        PushChunks(b, false, x, 4099);
        Stats want = Stats.Of(xf), got = a.Result();
        BatchTests.BitEqual(got, b.Result(), "the chunking does not matter");
        Assert.Equal(want.Count, got.Count);
        Assert.Equal(want.NanCount, got.NanCount);
        Assert.Equal(want.Min, got.Min);
        Assert.Equal(want.Max, got.Max);
        TestData.Close(want.Mean, got.Mean, 1e-14, "mean");
        TestData.Close(want.M2, got.M2, 1e-12, "m2");
    }

    [Fact]
    public void An_empty_stream_is_the_empty_summary()
    {
        var acc = new StatsAccumulator(NanPolicy.Omit);
        BatchTests.BitEqual(Stats.Of(Array.Empty<float>(), NanPolicy.Omit), acc.Result());
        acc.Push(ReadOnlySpan<float>.Empty);
        acc.Push(Array.Empty<double>()); // empty pushes fix no dtype
        Assert.Equal(0, acc.Result().Count);
        Assert.StartsWith("StatsAccumulator(Stats(Count=0", acc.ToString());
    }

    [Fact]
    public void One_dtype_per_stream_and_a_refused_push_changes_nothing()
    {
        var acc = new StatsAccumulator();
        acc.Push(new float[] { 1, 2, 3 });
        Stats before = acc.Result();
        var e = Assert.Throws<CoreException>(() => acc.Push(new double[] { 4 }));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("core_stats_acc_push_f64", e.LibCoreMessage);
        BatchTests.BitEqual(before, acc.Result());
        acc.Push(new float[] { 4 });
        Assert.Equal(4, acc.Result().Count);
    }

    [Fact]
    public void Pushing_past_the_declared_length_is_refused()
    {
        var acc = new StatsAccumulator(NanPolicy.Propagate, 5);
        acc.Push(new double[] { 1, 2, 3 });
        var e = Assert.Throws<CoreException>(() => acc.Push(new double[] { 4, 5, 6 }));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("core_stats_acc_push_f64", e.LibCoreMessage);
        Assert.Equal(3, acc.Result().Count);
        acc.Push(new double[] { 4, 5 });
        BatchTests.BitEqual(Stats.Of(new double[] { 1, 2, 3, 4, 5 }), acc.Result());
    }

    [Fact]
    public void Merge_combines_workers_like_Stats_Merge()
    {
        double[] x = TestData.Normal(12, 30000, -7, 4);
        var left = new StatsAccumulator();
        var right = new StatsAccumulator();
        left.Push(x.AsSpan(0, 12345));
        right.Push(x.AsSpan(12345));
        Stats want = Stats.Of(x.AsSpan(0, 12345)).Merge(Stats.Of(x.AsSpan(12345)));
        Stats rightBefore = right.Result();
        left.Merge(right);
        Stats got = left.Result();
        BatchTests.BitEqual(rightBefore, right.Result(), "the source is unchanged");
        Assert.Equal(x.Length, got.Count);
        Assert.Equal(want.Min, got.Min);
        Assert.Equal(want.Max, got.Max);
        TestData.Close(want.Mean, got.Mean, 1e-14, "mean");
        TestData.Close(want.M2, got.M2, 1e-12, "m2");
        // After a merge a new segment of either dtype may follow.
        left.Push(new float[] { 1000 });
        Assert.Equal(x.Length + 1, left.Result().Count);
        Assert.Equal(1000, left.Result().Max);
    }

    [Fact]
    public void Merge_with_itself_doubles_the_stream()
    {
        var acc = new StatsAccumulator();
        acc.Push(new double[] { 1, 2, 3, 4 });
        acc.Merge(acc);
        Stats s = acc.Result();
        Assert.Equal(8, s.Count);
        Assert.Equal(20, s.Sum);
        Assert.Equal(2.5, s.Mean);
        Assert.Equal(10, s.M2);
    }

    [Fact]
    public void Merge_errors()
    {
        var a = new StatsAccumulator(NanPolicy.Propagate);
        var b = new StatsAccumulator(NanPolicy.Omit);
        a.Push(new float[] { 1 });
        b.Push(new float[] { 2 });
        var e = Assert.Throws<CoreException>(() => a.Merge(b));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("core_stats_acc_merge", e.LibCoreMessage);
        Assert.Equal(1, a.Result().Count);
        Assert.Throws<ArgumentNullException>(() => a.Merge(null!));
    }

    [Fact]
    public void Clone_forks_the_stream()
    {
        var acc = new StatsAccumulator(NanPolicy.Omit, 0);
        acc.Push(new float[] { 1, 2, float.NaN });
        StatsAccumulator fork = acc.Clone();
        Assert.Equal(NanPolicy.Omit, fork.NanPolicy);
        fork.Push(new float[] { 10 });
        acc.Push(new float[] { -10 });
        Assert.Equal(10, fork.Result().Max);
        Assert.Equal(1, fork.Result().Min);
        Assert.Equal(2, acc.Result().Max);
        Assert.Equal(-10, acc.Result().Min);
        Assert.Equal(1, fork.Result().NanCount);
        BatchTests.BitEqual(Stats.Of(new float[] { 1, 2, float.NaN, 10 }, NanPolicy.Omit), fork.Result());
    }

    [Fact]
    public void Reset_starts_a_new_stream()
    {
        var acc = new StatsAccumulator(NanPolicy.Propagate, 2);
        acc.Push(new float[] { 1, 2 });
        acc.Reset(3);
        Assert.Equal(3, acc.ExpectedCount);
        Assert.Equal(0, acc.Result().Count);
        acc.Push(new double[] { 4, 5, 6 }); // the dtype is free again
        BatchTests.BitEqual(Stats.Of(new double[] { 4, 5, 6 }), acc.Result());
        acc.Reset();
        Assert.Equal(0, acc.ExpectedCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => acc.Reset(-1));
    }

    [Fact]
    public void Argument_errors()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new StatsAccumulator(NanPolicy.Omit, -1));
        var e = Assert.Throws<CoreException>(() => new StatsAccumulator((NanPolicy)3));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("core_stats_acc_init", e.LibCoreMessage);
        var acc = new StatsAccumulator();
        Assert.Throws<ArgumentNullException>(() => acc.Push((float[])null!));
        Assert.Throws<ArgumentNullException>(() => acc.Push((double[])null!));
    }

    [Fact]
    public void Calls_from_many_threads_are_serialized()
    {
        // Integers: every sum is exact whatever the order of the pushes.
        var acc = new StatsAccumulator();
        var other = new StatsAccumulator();
        other.Push(new double[] { -1 });
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 4 }, t =>
        {
            double[] chunk = Enumerable.Range(0, 100).Select(i => (double)(t * 100 + i)).ToArray();
            for (int k = 0; k < 50; ++k)
            {
                acc.Push(chunk);
                _ = acc.Result();
                if (k == 25)
                {
                    acc.Merge(other);
                    acc.Clone().Merge(acc); // a fork while others push
                }
            }
        });
        Stats s = acc.Result();
        Assert.Equal(8 * 50 * 100 + 8, s.Count);
        Assert.Equal(-1, s.Min);
        Assert.Equal(799, s.Max);
    }

    [Fact]
    public void The_state_has_the_size_of_core_stats_acc_t()
    {
        // 56 bytes of header, a 72-byte base node, 64 stack nodes, 2048 doubles.
        Assert.Equal(56 + 72 + 64 * 72 + 2048 * 8, StatsAccumulator.StateSize);
    }
}
