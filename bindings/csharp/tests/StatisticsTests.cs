using System;
using Xunit;
using static LibCore.Tests.TestData;

namespace LibCore.Tests;

/// <summary>CoreStats: the NumPy-named conveniences, as tests/unit/test_stats_conv.c.
/// `f64` selects the double overloads, otherwise the float ones.</summary>
public class StatisticsTests
{
    private static double Min(bool f64, double[] x) => f64 ? CoreStats.Min(x) : CoreStats.Min(ToFloat(x));
    private static double Max(bool f64, double[] x) => f64 ? CoreStats.Max(x) : CoreStats.Max(ToFloat(x));
    private static double Mean(bool f64, double[] x) => f64 ? CoreStats.Mean(x) : CoreStats.Mean(ToFloat(x));
    private static double Var(bool f64, double[] x, int d) => f64 ? CoreStats.Var(x, d) : CoreStats.Var(ToFloat(x), d);
    private static double Std(bool f64, double[] x, int d) => f64 ? CoreStats.Std(x, d) : CoreStats.Std(ToFloat(x), d);
    private static double Dot(bool f64, double[] x, double[] y) =>
        f64 ? CoreStats.Dot(x, y) : CoreStats.Dot(ToFloat(x), ToFloat(y));
    private static double Corr(bool f64, double[] x, double[] y) =>
        f64 ? CoreStats.Corrcoef(x, y) : CoreStats.Corrcoef(ToFloat(x), ToFloat(y));
    private static double Energy(bool f64, double[] x) => f64 ? CoreStats.Energy(x) : CoreStats.Energy(ToFloat(x));
    private static double Rms(bool f64, double[] x) => f64 ? CoreStats.Rms(x) : CoreStats.Rms(ToFloat(x));
    private static double Zcr(bool f64, double[] x) =>
        f64 ? CoreStats.ZeroCrossingRate(x) : CoreStats.ZeroCrossingRate(ToFloat(x));
    private static double Pct(bool f64, double[] x, double q, NanPolicy nan = NanPolicy.Propagate) =>
        f64 ? CoreStats.Percentile(x, q, nan) : CoreStats.Percentile(ToFloat(x), q, nan);

    [Theory]
    [MemberData(nameof(Dtypes), MemberType = typeof(TestData))]
    public void Min_and_Max(bool f64)
    {
        double[] k8 = { 3, 1, 4, 1, 5, -9, 2, 6 };
        Assert.Equal((-9.0, 6.0), (Min(f64, k8), Max(f64, k8)));
        double[] infs = { double.PositiveInfinity, 1, double.NegativeInfinity };
        Assert.Equal((double.NegativeInfinity, double.PositiveInfinity), (Min(f64, infs), Max(f64, infs)));
        k8[5] = double.NaN;
        Assert.True(double.IsNaN(Min(f64, k8)) && double.IsNaN(Max(f64, k8)));
    }

    [Theory]
    [MemberData(nameof(Dtypes), MemberType = typeof(TestData))]
    public void Min_and_Max_of_nothing_throw_Empty(bool f64)
    {
        var e = Assert.Throws<CoreException>(() => Min(f64, Array.Empty<double>()));
        Assert.Equal(CoreStatus.Empty, e.Status);
        Assert.Contains(f64 ? "core_min_f64" : "core_min_f32", e.LibCoreMessage);
        e = Assert.Throws<CoreException>(() => Max(f64, Array.Empty<double>()));
        Assert.Equal(CoreStatus.Empty, e.Status);
    }

    [Theory]
    [MemberData(nameof(Dtypes), MemberType = typeof(TestData))]
    public void Mean_Var_Std(bool f64)
    {
        double[] x = { 1, 2, 3, 4 };
        Assert.Equal(2.5, Mean(f64, x));
        Assert.Equal(1.25, Var(f64, x, 0));
        Close(5.0 / 3.0, Var(f64, x, 1), 1e-15, "var ddof 1");
        Assert.Equal(Math.Sqrt(1.25), Std(f64, x, 0));
        Close(Math.Sqrt(5.0 / 3.0), Std(f64, x, 1), 1e-15, "std ddof 1");
        // NaN, not an error: no values, or count <= ddof (NumPy)
        Assert.True(double.IsNaN(Mean(f64, Array.Empty<double>())));
        Assert.True(double.IsNaN(Var(f64, Array.Empty<double>(), 0)));
        Assert.True(double.IsNaN(Var(f64, x, 4)) && double.IsNaN(Std(f64, x, 5)));
        // NaN propagates
        double[] xn = { 1, double.NaN, 3 };
        Assert.True(double.IsNaN(Mean(f64, xn)) && double.IsNaN(Var(f64, xn, 0)) && double.IsNaN(Std(f64, xn, 1)));
    }

    [Fact]
    public void Mean_Var_Std_of_random_data_match_the_reference()
    {
        double[] x = Uniform(99, 100003, 10, 20);
        var (mean, m2) = Moments(x);
        Close(mean, CoreStats.Mean(x), 1e-15, "mean");
        Close(m2 / (x.Length - 1), CoreStats.Var(x, 1), 1e-14, "var");
        Close(Math.Sqrt(m2 / x.Length), CoreStats.Std(x.AsSpan()), 1e-14, "std");
    }

    [Theory]
    [MemberData(nameof(Dtypes), MemberType = typeof(TestData))]
    public void Dot_product(bool f64)
    {
        Assert.Equal(32.0, Dot(f64, new double[] { 1, 2, 3 }, new double[] { 4, 5, 6 }));
        Assert.Equal(2.5, Dot(f64, new[] { 1.5, -2 }, new[] { 2, 0.25 }));
        Assert.Equal(0.0, Dot(f64, Array.Empty<double>(), Array.Empty<double>()));
        Assert.True(double.IsNaN(Dot(f64, new[] { 1, double.NaN }, new double[] { 1, 2 })));
    }

    [Fact]
    public void Dot_accumulates_in_float64()
    {
        float[] x = new float[1000000];
        Array.Fill(x, 0.1f);
        double want = 1e6 * (double)0.1f * (double)0.1f;
        Close(want, CoreStats.Dot(x, x), 1e-12, "dot of 1e6 x 0.1f");
    }

    [Theory]
    [MemberData(nameof(Dtypes), MemberType = typeof(TestData))]
    public void Corrcoef(bool f64)
    {
        var x = new double[20];
        var up = new double[20];
        var down = new double[20];
        for (int i = 0; i < 20; ++i)
        {
            x[i] = 2 * ((i * 7) % 4) - 3;
            up[i] = 2 * x[i] + 3;
            down[i] = -0.5 * x[i] + 1;
        }
        Assert.Equal(1.0, Corr(f64, x, up));
        Assert.Equal(-1.0, Corr(f64, x, down));
        double[] kx = { 1, 2, 3, 4, 5 }, ky = { 2, 1, 4, 3, 7 };
        Close(12.0 / Math.Sqrt(10.0 * 21.2), Corr(f64, kx, ky), 1e-14, "known");
        double[] constant = { 5, 5, 5, 5, 5 };
        Assert.True(double.IsNaN(Corr(f64, constant, ky)));
        Assert.True(double.IsNaN(Corr(f64, kx[..1], ky[..1])));
        Assert.True(double.IsNaN(Corr(f64, Array.Empty<double>(), Array.Empty<double>())));
        Assert.True(double.IsNaN(Corr(f64, new[] { 1, double.NaN, 3 }, new double[] { 1, 2, 3 })));
    }

    [Theory]
    [MemberData(nameof(Dtypes), MemberType = typeof(TestData))]
    public void Energy_and_Rms(bool f64)
    {
        Assert.Equal(7.5, Energy(f64, new double[] { 1, 2, 3, 4 }));
        Assert.Equal(Math.Sqrt(7.5), Rms(f64, new double[] { 1, 2, 3, 4 }));
        Assert.Equal(12.5, Energy(f64, new double[] { -3, 4 }));
        Assert.True(double.IsNaN(Energy(f64, Array.Empty<double>())) && double.IsNaN(Rms(f64, Array.Empty<double>())));
        Assert.True(double.IsNaN(Rms(f64, new[] { 1, double.NaN })));
    }

    public static TheoryData<double[], double> ZcrCases => new()
    {
        { new double[] { 1, -1, 1, -1 }, 1.0 }, { new double[] { 1, 1, 1 }, 0.0 },
        { new double[] { 0, -1 }, 1.0 }, { new double[] { 0, 1 }, 0.0 }, { new double[] { -1, 0 }, 1.0 },
        { new double[] { 0, 0, 0 }, 0.0 }, { new[] { 1, double.NaN }, 1.0 }, { new[] { -1, double.NaN }, 0.0 },
        { new[] { double.NaN, 2, -2 }, 1.0 }, { new double[] { -2, 3, 0, 1 }, 1.0 / 3.0 },
        { new[] { -0.0, 1 }, 0.0 }, { new double[] { 7 }, double.NaN }, { Array.Empty<double>(), double.NaN },
    };

    [Theory]
    [MemberData(nameof(ZcrCases))]
    public void ZeroCrossingRate(double[] x, double want)
    {
        Assert.Equal(want, Zcr(false, x));
        Assert.Equal(want, Zcr(true, x));
    }

    [Theory]
    [InlineData(0, 1.0), InlineData(100, 9.0), InlineData(50, 3.5), InlineData(25, 1.75), InlineData(90, 6.9)]
    public void Percentile_linear_interpolation(double q, double want)
    {
        double[] x = { 3, 1, 4, 1, 5, 9, 2, 6 };
        foreach (bool f64 in new[] { false, true })
            foreach (NanPolicy nan in new[] { NanPolicy.Propagate, NanPolicy.Omit })
                Close(want, Pct(f64, x, q, nan), 1e-12, $"q={q} f64={f64} {nan}");
    }

    [Theory]
    [MemberData(nameof(Dtypes), MemberType = typeof(TestData))]
    public void Percentile_NaN_policies(bool f64)
    {
        double[] xn = { 3, double.NaN, 1, 4, 1, double.NaN, 5, 9, 2, 6 };
        Assert.Equal(3.5, Pct(f64, xn, 50, NanPolicy.Omit));
        Close(6.9, Pct(f64, xn, 90, NanPolicy.Omit), 1e-12, "q=90");
        Assert.True(double.IsNaN(Pct(f64, xn, 50, NanPolicy.Propagate)));
        Assert.True(double.IsNaN(Pct(f64, new[] { double.NaN, double.NaN }, 50)));
        var e = Assert.Throws<CoreException>(() => Pct(f64, new[] { double.NaN, double.NaN }, 50, NanPolicy.Omit));
        Assert.Equal(CoreStatus.Empty, e.Status);
    }

    [Fact]
    public void Percentile_of_random_data_matches_a_sort()
    {
        double[] x = Normal(5000, 2049, 0, 100);
        double[] before = (double[])x.Clone(), sorted = (double[])x.Clone();
        Array.Sort(sorted);
        foreach (double q in new[] { 0, 0.5, 25, 33.3, 50, 77.7, 99.99, 100 })
        {
            double v = q / 100 * (x.Length - 1), lo = Math.Floor(v);
            int i = (int)lo, j = Math.Min(i + 1, x.Length - 1);
            double want = sorted[i] + (v - lo) * (sorted[j] - sorted[i]);
            Close(want, CoreStats.Percentile(x, q), 1e-12, $"q={q}");
        }
        Assert.Equal(before, x); // x is not modified
    }

    [Theory]
    [MemberData(nameof(Dtypes), MemberType = typeof(TestData))]
    public void Percentile_errors_are_libcore_errors(bool f64)
    {
        double[] x = { 3, 1, 4, 1, 5 };
        Assert.Equal(CoreStatus.Empty, Assert.Throws<CoreException>(() => Pct(f64, Array.Empty<double>(), 50)).Status);
        foreach (double q in new[] { -1, 101, double.NaN, -1e-9, 100.000001, double.PositiveInfinity })
        {
            var e = Assert.Throws<CoreException>(() => Pct(f64, x, q));
            Assert.Equal(CoreStatus.InvalidArgument, e.Status);
            Assert.Contains(f64 ? "core_percentile_f64" : "core_percentile_f32", e.LibCoreMessage);
        }
        Assert.Equal(CoreStatus.InvalidArgument,
            Assert.Throws<CoreException>(() => Pct(f64, x, 50, (NanPolicy)2)).Status);
    }

    [Fact]
    public void Percentile_with_a_caller_scratch_buffer()
    {
        float[] x = { 3, 1, 4, 1, 5, 9, 2, 6 };
        Assert.Equal(3.5, CoreStats.Percentile(x, 50, NanPolicy.Propagate, new float[8]));
        Assert.Equal(3.5, CoreStats.Percentile(x, 50, NanPolicy.Propagate, new float[100]));
        var e = Assert.Throws<CoreException>(() => CoreStats.Percentile(x, 50, NanPolicy.Propagate, new float[7]));
        Assert.Equal(CoreStatus.BufferTooSmall, e.Status);
        double[] xd = { 3, 1, 4, 1, 5, 9, 2, 6 };
        Assert.Equal(1.75, CoreStats.Percentile(xd, 25, NanPolicy.Omit, new double[8]));
    }
}
