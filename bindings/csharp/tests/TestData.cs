using System;
using Xunit;

namespace LibCore.Tests;

/// <summary>Deterministic inputs and reference computations for the tests.</summary>
internal static class TestData
{
    public static double[] Uniform(int seed, int n, double lo, double hi)
    {
        var r = new Random(seed);
        var x = new double[n];
        for (int i = 0; i < n; ++i)
            x[i] = lo + (hi - lo) * r.NextDouble();
        return x;
    }

    public static double[] Normal(int seed, int n, double mean, double sd)
    {
        var r = new Random(seed);
        var x = new double[n];
        for (int i = 0; i < n; ++i)
        {
            double u1 = 1.0 - r.NextDouble(), u2 = r.NextDouble();
            x[i] = mean + sd * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        }
        return x;
    }

    public static float[] ToFloat(double[] x) => Array.ConvertAll(x, v => (float)v);

    public static double[] ToDouble(float[] x) => Array.ConvertAll(x, v => (double)v);

    /// <summary>Mean and sum of squared deviations, two passes with a
    /// compensated second pass: a reference good to a few ulps.</summary>
    public static (double Mean, double M2) Moments(ReadOnlySpan<double> x)
    {
        double s = 0, c = 0;
        foreach (double v in x)
        {
            double t = s + v;
            c += Math.Abs(s) >= Math.Abs(v) ? (s - t) + v : (v - t) + s;
            s = t;
        }
        double mean = (s + c) / x.Length, m2 = 0, d = 0;
        foreach (double v in x)
        {
            m2 += (v - mean) * (v - mean);
            d += v - mean;
        }
        return (mean, m2 - d * d / x.Length);
    }

    /// <summary>|a - b| &lt;= rel * max(1, |b|), with NaN matching only NaN.</summary>
    public static void Close(double expected, double actual, double rel, string what = "")
    {
        if (double.IsNaN(expected))
        {
            Assert.True(double.IsNaN(actual), $"{what}: {actual:R}, want NaN");
            return;
        }
        double tol = rel * Math.Max(1.0, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tol,
            $"{what}: {actual:R}, want {expected:R} (tolerance {tol:E2})");
    }

    /// <summary>Both dtypes as theory data.</summary>
    public static TheoryData<bool> Dtypes => new() { false, true };

    public static TheoryData<bool, NanPolicy> DtypesAndPolicies => new()
    {
        { false, NanPolicy.Propagate }, { false, NanPolicy.Omit },
        { true, NanPolicy.Propagate }, { true, NanPolicy.Omit },
    };

    /// <summary>Stats.Of on float (f64 = false) or double input.</summary>
    public static Stats StatsOf(bool f64, double[] x, NanPolicy nan = NanPolicy.Propagate) =>
        f64 ? Stats.Of(x, nan) : Stats.Of(ToFloat(x), nan);
}
