using System;
using Xunit;

namespace LibCore.Tests;

/// <summary>CoreArrays creation: arange, linspace, fill/zeros/ones, concat,
/// as tests/unit/test_array.c.</summary>
public class ArrayTests
{
    /// <summary>start + i*step rounded once, as libcore computes element i.</summary>
    private static double Lin(double start, long i, double step) => start + i * step;

    [Theory]
    [InlineData(0, 1, 0.1, 10)]
    [InlineData(0, 10, 1, 10)]
    [InlineData(10, 0, -1, 10)]
    [InlineData(0, 10, -1, 0)]
    [InlineData(1, 1, 1, 0)]
    [InlineData(0, 1, 3, 1)]
    [InlineData(1, 1.3, 0.1, 4)] // 0.30000000000000004 / 0.1 > 3
    [InlineData(-2.5, 2.5, 1, 5)]
    [InlineData(0, -1, -0.3, 4)]
    [InlineData(0, 1e-300, 1e300, 1)] // quotient underflows: 1, as NumPy
    [InlineData(0, 1e9, 1, 1000000000)]
    public void ArangeLength_follows_numpy(double start, double stop, double step, long want) =>
        Assert.Equal(want, CoreArrays.ArangeLength(start, stop, step));

    [Fact]
    public void Arange_0_1_0p1_has_10_elements_computed_from_i()
    {
        float[] f = CoreArrays.Arange<float>(0, 1, 0.1);
        double[] d = CoreArrays.Arange<double>(0, 1, 0.1);
        Assert.Equal(10, f.Length);
        Assert.Equal(10, d.Length);
        for (int i = 0; i < 10; ++i)
        {
            Assert.Equal(Lin(0, i, 0.1), d[i]);
            Assert.Equal((float)Lin(0, i, 0.1), f[i]);
        }
    }

    [Theory]
    [InlineData(-3.5, 7.25, 0.37, 30)]
    [InlineData(10, 0, -1, 10)]
    [InlineData(-500, 500.0025, 1e-3, 1000003)]
    public void Arange_values(double start, double stop, double step, int len)
    {
        double[] d = CoreArrays.Arange<double>(start, stop, step);
        float[] f = CoreArrays.Arange<float>(start, stop, step);
        Assert.Equal(len, d.Length);
        Assert.Equal(len, f.Length);
        for (int i = 0; i < len; ++i)
        {
            Assert.Equal(Lin(start, i, step), d[i]);
            Assert.Equal((float)Lin(start, i, step), f[i]);
        }
    }

    [Fact]
    public void Arange_default_step_and_empty_ranges()
    {
        Assert.Equal(new double[] { 0, 1, 2, 3, 4 }, CoreArrays.Arange<double>(0, 5));
        Assert.Empty(CoreArrays.Arange<float>(1, 1, 1));
        Assert.Empty(CoreArrays.Arange<double>(0, 10, -1));
    }

    [Theory]
    [InlineData(0, 1, 0)]
    [InlineData(0, 1, -0.0)]
    [InlineData(double.NaN, 1, 1)]
    [InlineData(0, double.NaN, 1)]
    [InlineData(0, 1, double.NaN)]
    [InlineData(double.PositiveInfinity, 1, 1)]
    [InlineData(0, 1, double.NegativeInfinity)]
    [InlineData(0, 1e300, 1e-300)]
    [InlineData(0, 1e30, 1)]
    public void Arange_bad_arguments_are_CoreExceptions(double start, double stop, double step)
    {
        var e = Assert.Throws<CoreException>(() => CoreArrays.ArangeLength(start, stop, step));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("core_arange_len", e.LibCoreMessage);
        Assert.Equal(CoreStatus.InvalidArgument,
            Assert.Throws<CoreException>(() => CoreArrays.Arange<float>(start, stop, step)).Status);
        Assert.Equal(CoreStatus.InvalidArgument,
            Assert.Throws<CoreException>(() => CoreArrays.Arange(start, stop, step, new double[4])).Status);
    }

    [Fact]
    public void Arange_into_a_span()
    {
        var buf = new float[12];
        Assert.Equal(10, CoreArrays.Arange(0, 1, 0.1, buf));
        Assert.Equal(0f, buf[10]); // nothing written past the length
        Assert.Equal(10, CoreArrays.Arange(0, 1, 0.1, buf.AsSpan(0, 10)));
        var e = Assert.Throws<CoreException>(() => CoreArrays.Arange(0, 1, 0.1, new double[9]));
        Assert.Equal(CoreStatus.BufferTooSmall, e.Status);
        Assert.Equal(0, CoreArrays.Arange(0, 10, -1, Span<double>.Empty));
    }

    [Theory]
    [InlineData(0, 1, 5)]
    [InlineData(0, 1, 7)]
    [InlineData(-3.3, 7.7, 50)]
    [InlineData(5, -5, 11)]
    [InlineData(1e-3, 1e3, 1001)]
    [InlineData(0.1, 0.7, 1000003)]
    public void Linspace_endpoint_is_exact(double start, double stop, int num)
    {
        double step = (stop - start) / (num - 1);
        double[] d = CoreArrays.Linspace<double>(start, stop, num);
        float[] f = CoreArrays.Linspace<float>(start, stop, num, endpoint: true);
        Assert.Equal(stop, d[^1]);
        Assert.Equal((float)stop, f[^1]);
        for (int i = 0; i < num - 1; ++i)
        {
            Assert.Equal(Lin(start, i, step), d[i]);
            Assert.Equal((float)Lin(start, i, step), f[i]);
        }
    }

    [Theory]
    [InlineData(0, 1, 5)]
    [InlineData(5, -5, 10)]
    public void Linspace_without_endpoint(double start, double stop, int num)
    {
        double step = (stop - start) / num;
        double[] d = CoreArrays.Linspace<double>(start, stop, num, endpoint: false);
        for (int i = 0; i < num; ++i)
            Assert.Equal(Lin(start, i, step), d[i]);
        Assert.DoesNotContain(stop, d);
    }

    [Fact]
    public void Linspace_edges()
    {
        Assert.Empty(CoreArrays.Linspace<float>(0, 1, 0));
        Assert.Equal(new[] { 0.1f }, CoreArrays.Linspace<float>(0.1, 7, 1));
        Assert.Equal(new[] { 0.1 }, CoreArrays.Linspace<double>(0.1, 7, 1, endpoint: false));
        Assert.Equal(50, CoreArrays.Linspace<double>(0, 1).Length); // NumPy's default num
        var span = new double[3];
        CoreArrays.Linspace(0, 1, span);
        Assert.Equal(new[] { 0, 0.5, 1 }, span);
        Assert.Throws<ArgumentOutOfRangeException>("num", () => CoreArrays.Linspace<float>(0, 1, -1));
        foreach (var (a, b) in new[] { (double.NaN, 1.0), (0.0, double.PositiveInfinity) })
        {
            var e = Assert.Throws<CoreException>(() => CoreArrays.Linspace<double>(a, b, 4));
            Assert.Equal(CoreStatus.InvalidArgument, e.Status);
            Assert.Contains("core_linspace_f64", e.LibCoreMessage);
        }
    }

    [Theory]
    [InlineData(0), InlineData(1), InlineData(7), InlineData(33), InlineData(100003)]
    public void Fill_Zeros_Ones(int n)
    {
        Assert.All(CoreArrays.Fill(n, 0.1f), v => Assert.Equal(0.1f, v));
        Assert.All(CoreArrays.Fill(n, -3.25), v => Assert.Equal(-3.25, v));
        Assert.All(CoreArrays.Ones<float>(n), v => Assert.Equal(1f, v));
        Assert.All(CoreArrays.Ones<double>(n), v => Assert.Equal(1.0, v));
        Assert.All(CoreArrays.Zeros<double>(n), v => Assert.True(v == 0 && !double.IsNegative(v)));
        Assert.All(CoreArrays.Fill(n, -0.0), v => Assert.True(v == 0 && double.IsNegative(v)));
        Assert.All(CoreArrays.Fill(n, float.NaN), v => Assert.True(float.IsNaN(v)));
        Assert.Equal(n, CoreArrays.Zeros<float>(n).Length);
    }

    [Fact]
    public void Fill_Zeros_Ones_into_spans()
    {
        var f = new float[5];
        var d = new double[5];
        CoreArrays.Fill(f.AsSpan(1, 3), 2f);
        Assert.Equal(new[] { 0f, 2, 2, 2, 0 }, f);
        CoreArrays.Ones(d.AsSpan(0, 2));
        Assert.Equal(new[] { 1.0, 1, 0, 0, 0 }, d);
        CoreArrays.Zeros(f);
        Assert.All(f, v => Assert.Equal(0f, v));
        CoreArrays.Fill(d, double.PositiveInfinity);
        CoreArrays.Zeros(d.AsSpan(4));
        Assert.Equal(new[] { double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity, 0 }, d);
        CoreArrays.Ones(Span<float>.Empty);
    }

    [Fact]
    public void Concat_values()
    {
        float[] a = { 1, 2, 3 }, b = { }, c = { 4, 5 };
        Assert.Equal(new float[] { 1, 2, 3, 4, 5 }, CoreArrays.Concat(a, b, c));
        Assert.Empty(CoreArrays.Concat(Array.Empty<float[]>()));
        Assert.Empty(CoreArrays.Concat(new double[0], new double[0]));
        var parts = new double[100][]; // more parts than the stack path holds
        for (int p = 0; p < parts.Length; ++p)
            parts[p] = CoreArrays.Arange<double>(p * 10, p * 10 + 10);
        Assert.Equal(CoreArrays.Arange<double>(0, 1000), CoreArrays.Concat(parts));
    }

    [Fact]
    public void ConcatLength()
    {
        Assert.Equal(5, CoreArrays.ConcatLength(3, 0, 2));
        Assert.Equal(0, CoreArrays.ConcatLength());
        Assert.Throws<ArgumentOutOfRangeException>("lengths", () => CoreArrays.ConcatLength(1, -1));
        var e = Assert.Throws<CoreException>(() => CoreArrays.ConcatLength(long.MaxValue, long.MaxValue, 2));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("core_concat_len", e.LibCoreMessage);
    }

    [Fact]
    public void Only_float_and_double()
    {
        Assert.Throws<NotSupportedException>(() => CoreArrays.Zeros<Half>(3));
        Assert.Throws<NotSupportedException>(() => CoreArrays.Linspace<Half>(0, 1, 3));
        Assert.Throws<NotSupportedException>(() => CoreArrays.Arange<Half>(0, 1, 0.5));
        Assert.Throws<NotSupportedException>(() => CoreArrays.FromPcm16<Half>(new short[1]));
    }
}
