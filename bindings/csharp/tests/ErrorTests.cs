using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using Xunit;

namespace LibCore.Tests;

/// <summary>The error policy (see CoreException): libcore's checks are
/// CoreExceptions with its status and message; what libcore cannot see is an
/// ArgumentException of the right kind, thrown before the native call.</summary>
public class ErrorTests
{
    [Fact]
    public void CoreException_carries_status_name_and_libcore_message()
    {
        var e = Assert.Throws<CoreException>(() => CoreArrays.Arange<float>(0, 1, 0));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Equal("CORE_E_INVALID_ARGUMENT", e.StatusName);
        Assert.StartsWith("core_arange_len", e.LibCoreMessage);
        Assert.Equal($"{e.LibCoreMessage} (CORE_E_INVALID_ARGUMENT)", e.Message);
        Assert.Equal(e.LibCoreMessage, Core.LastErrorMessage); // same thread, nothing failed since
    }

    [Fact]
    public void A_success_leaves_the_exception_message_alone()
    {
        var e = Assert.Throws<CoreException>(() => CoreStats.Min(Array.Empty<double>()));
        Assert.Equal(2.5, CoreStats.Mean(new double[] { 2, 3 }));
        Assert.Contains("core_min_f64", e.LibCoreMessage);
        Assert.Equal(e.LibCoreMessage, Core.LastErrorMessage);
    }

    [Fact]
    public void Each_thread_gets_the_message_of_its_own_failure()
    {
        // Eight threads fail at once with different calls; the message is
        // thread-local in C and read inside the failing native call.
        using var start = new Barrier(8);
        var failures = new ConcurrentQueue<Exception>();
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                for (int i = 0; i < 2000; ++i)
                    FailOnce(t % 4);
            }
            catch (Exception e)
            {
                failures.Enqueue(e);
            }
        })).ToArray();
        foreach (Thread t in threads) t.Start();
        foreach (Thread t in threads) t.Join();
        Assert.Empty(failures);
    }

    private static void FailOnce(int kind)
    {
        CoreException e;
        switch (kind)
        {
        case 0:
            e = Assert.Throws<CoreException>(() => CoreStats.Min(ReadOnlySpan<float>.Empty));
            Assert.Equal(CoreStatus.Empty, e.Status);
            Assert.Contains("core_min_f32", e.LibCoreMessage);
            break;
        case 1:
            e = Assert.Throws<CoreException>(() => CoreStats.Percentile(new double[] { 1 }, 200));
            Assert.Equal(CoreStatus.InvalidArgument, e.Status);
            Assert.Contains("core_percentile_f64", e.LibCoreMessage);
            break;
        case 2:
            e = Assert.Throws<CoreException>(() => CoreArrays.Linspace<float>(double.NaN, 1, 3));
            Assert.Contains("core_linspace_f32", e.LibCoreMessage);
            break;
        default:
            Assert.Equal(2.0, CoreStats.Max(new float[] { 1, 2 })); // successes in between
            e = Assert.Throws<CoreException>(() => CoreArrays.Normalize(new double[] { 1, 1 }));
            Assert.Contains("core_normalize_f64", e.LibCoreMessage);
            break;
        }
    }

    public static TheoryData<string, Action> NullArrays => new()
    {
        { "Stats.Of(float[])", () => Stats.Of((float[])null!) },
        { "Stats.Of(double[])", () => Stats.Of((double[])null!, NanPolicy.Omit) },
        { "Min", () => CoreStats.Min((float[])null!) },
        { "Max", () => CoreStats.Max((double[])null!) },
        { "Mean", () => CoreStats.Mean((float[])null!) },
        { "Var", () => CoreStats.Var((double[])null!, 1) },
        { "Std", () => CoreStats.Std((float[])null!) },
        { "Dot x", () => CoreStats.Dot(null!, new float[1]) },
        { "Dot y", () => CoreStats.Dot(new double[1], null!) },
        { "Corrcoef", () => CoreStats.Corrcoef((float[])null!, new float[1]) },
        { "Energy", () => CoreStats.Energy((double[])null!) },
        { "Rms", () => CoreStats.Rms((float[])null!) },
        { "ZeroCrossingRate", () => CoreStats.ZeroCrossingRate((double[])null!) },
        { "Percentile", () => CoreStats.Percentile((float[])null!, 50) },
        { "Cumsum", () => CoreArrays.Cumsum((double[])null!) },
        { "Normalize", () => CoreArrays.Normalize((float[])null!) },
        { "NormalPdf", () => CoreArrays.NormalPdf((double[])null!) },
        { "FromPcm16", () => CoreArrays.FromPcm16<float>(null!) },
        { "ToPcm16", () => CoreArrays.ToPcm16((float[])null!, out _) },
        { "Concat parts", () => CoreArrays.Concat((float[][])null!) },
        { "Concat element", () => CoreArrays.Concat(new double[1], null!) },
        { "ConcatLength", () => CoreArrays.ConcatLength(null!) },
        { "Batch.Stats(float[][])", () => Batch.Stats((float[][])null!) },
        { "Batch.Stats(double[][]) element", () => Batch.Stats(new double[][] { new double[1], null! }) },
        { "Batch.Frames(float[])", () => Batch.Frames((float[])null!, 2, 1) },
        { "Batch.Frames(double[])", () => Batch.Frames((double[])null!, 2, 1) },
        { "Batch.StatsFile", () => Batch.StatsFile(null!) },
        { "StatsAccumulator.Push(float[])", () => new StatsAccumulator().Push((float[])null!) },
        { "StatsAccumulator.Push(double[])", () => new StatsAccumulator().Push((double[])null!) },
        { "StatsAccumulator.Merge", () => new StatsAccumulator().Merge(null!) },
        { "RingBuffer.Append(float[])", () => { using var r = new RingBuffer(4); r.Append((float[])null!); } },
        { "RingBuffer.Append(short[])", () => { using var r = new RingBuffer(4); r.Append((short[])null!); } },
        { "RingBuffer.Peek", () => { using var r = new RingBuffer(4); r.Peek<int>(null!); } },
    };

    [Theory]
    [MemberData(nameof(NullArrays))]
    public void Null_arrays_are_ArgumentNullException(string what, Action call)
    {
        Assert.NotNull(what);
        Assert.Throws<ArgumentNullException>(call);
    }

    public static TheoryData<string, Action> NegativeSizes => new()
    {
        { "Linspace num", () => CoreArrays.Linspace<double>(0, 1, -5) },
        { "Zeros n", () => CoreArrays.Zeros<float>(-1) },
        { "Ones n", () => CoreArrays.Ones<double>(-1) },
        { "Fill n", () => CoreArrays.Fill(-2, 1f) },
        { "ConcatLength", () => CoreArrays.ConcatLength(2, -3) },
        { "Var ddof", () => CoreStats.Var(new float[] { 1, 2 }, -1) },
        { "Std ddof", () => CoreStats.Std(new double[] { 1, 2 }, -1) },
        { "Stats.Variance ddof", () => Stats.Of(new float[] { 1 }).Variance(-1) },
        { "Stats.Std ddof", () => Stats.Of(new float[] { 1 }).Std(-2) },
        { "Normalize ddof", () => CoreArrays.Normalize(new double[] { 1, 2 }, -1) },
    };

    [Theory]
    [MemberData(nameof(NegativeSizes))]
    public void Negative_sizes_and_ddof_are_ArgumentOutOfRangeException(string what, Action call)
    {
        Assert.NotNull(what);
        Assert.Throws<ArgumentOutOfRangeException>(call);
    }

    public static TheoryData<string, Action> MismatchedLengths => new()
    {
        { "Dot float", () => CoreStats.Dot(new float[3], new float[4]) },
        { "Dot double", () => CoreStats.Dot(new double[3].AsSpan(), new double[2]) },
        { "Corrcoef float", () => CoreStats.Corrcoef(new float[5], new float[0]) },
        { "Corrcoef double", () => CoreStats.Corrcoef(new double[1], new double[2]) },
        { "Cumsum destination", () => CoreArrays.Cumsum(new float[3], new float[2]) },
        { "NormalPdf destination", () => CoreArrays.NormalPdf(new double[3], new double[2]) },
    };

    [Theory]
    [MemberData(nameof(MismatchedLengths))]
    public void Mismatched_lengths_are_ArgumentException(string what, Action call)
    {
        var e = Assert.Throws<ArgumentException>(call);
        Assert.True(e.Message.Contains("length") || e.Message.Contains("short"), $"{what}: {e.Message}");
    }

    [Fact]
    public void Mismatch_message_gives_both_lengths()
    {
        var e = Assert.Throws<ArgumentException>(() => CoreStats.Dot(new float[3], new float[4]));
        Assert.Equal("y", e.ParamName);
        Assert.Contains("got 3 and 4", e.Message);
    }

    [Fact]
    public void Empty_arrays_follow_libcore_never_a_silent_failure()
    {
        float[] none = Array.Empty<float>();
        Assert.Equal(Stats.Empty, Stats.Of(none));                          // empty summary
        Assert.True(double.IsNaN(CoreStats.Mean(none)));                    // NumPy: nan
        Assert.Equal(0.0, CoreStats.Dot(none, none));                       // NumPy: 0
        Assert.Empty(CoreArrays.Cumsum(none));
        CoreArrays.Normalize(none);                                         // no-op
        foreach (Action refused in new Action[]
                 { () => CoreStats.Min(none), () => CoreStats.Max(none), () => CoreStats.Percentile(none, 50) })
            Assert.Equal(CoreStatus.Empty, Assert.Throws<CoreException>(refused).Status);
    }
}
