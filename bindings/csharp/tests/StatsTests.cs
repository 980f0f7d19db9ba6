using System;
using Xunit;
using static LibCore.Tests.TestData;

namespace LibCore.Tests;

/// <summary>Stats: the one-pass summary, as tests/unit/test_stats.c.</summary>
[Collection("NumThreads")]
public class StatsTests
{
    [Theory]
    [MemberData(nameof(DtypesAndPolicies), MemberType = typeof(TestData))]
    public void Known_one_to_four(bool f64, NanPolicy nan)
    {
        Stats s = StatsOf(f64, new double[] { 1, 2, 3, 4 }, nan);
        Assert.Equal(4, s.Count);
        Assert.Equal(0, s.NanCount);
        Assert.Equal(1.0, s.Min);
        Assert.Equal(4.0, s.Max);
        Assert.Equal(10.0, s.Sum);
        Assert.Equal(2.5, s.Mean);
        Assert.Equal(5.0, s.M2);
    }

    [Theory]
    [MemberData(nameof(Dtypes), MemberType = typeof(TestData))]
    public void Single_element_and_negatives(bool f64)
    {
        Stats one = StatsOf(f64, new[] { -3.5 });
        Assert.Equal((1L, -3.5, -3.5, -3.5, -3.5, 0.0), (one.Count, one.Min, one.Max, one.Sum, one.Mean, one.M2));
        Stats neg = StatsOf(f64, new double[] { -1, -2, -3, -4, -10 });
        Assert.Equal((5L, -10.0, -1.0, -20.0, -4.0, 50.0), (neg.Count, neg.Min, neg.Max, neg.Sum, neg.Mean, neg.M2));
    }

    [Theory]
    [InlineData(1), InlineData(7), InlineData(17), InlineData(2047), InlineData(2049), InlineData(100003)]
    public void Random_sizes_match_a_two_pass_reference(int n)
    {
        double[] x = Uniform(100 + n, n, -1.0, 3.0);
        foreach (bool f64 in new[] { false, true })
        {
            double[] input = f64 ? x : ToDouble(ToFloat(x));
            var (mean, m2) = Moments(input);
            Stats s = StatsOf(f64, input);
            Assert.Equal(n, s.Count);
            Close(mean, s.Mean, 1e-14, $"mean n={n}");
            Close(m2, s.M2, 1e-12, $"m2 n={n}");
            Assert.Equal(Min(input), s.Min);
            Assert.Equal(Max(input), s.Max);
        }
    }

    [Theory]
    [MemberData(nameof(Dtypes), MemberType = typeof(TestData))]
    public void Nan_propagate_makes_every_moment_NaN_and_counts(bool f64)
    {
        double[] x = Uniform(7, 5000, -1, 1);
        x[0] = x[2500] = x[4999] = double.NaN;
        Stats s = StatsOf(f64, x, NanPolicy.Propagate);
        Assert.Equal(5000, s.Count);
        Assert.Equal(3, s.NanCount);
        Assert.True(double.IsNaN(s.Min) && double.IsNaN(s.Max) && double.IsNaN(s.Sum) &&
                    double.IsNaN(s.Mean) && double.IsNaN(s.M2), s.ToString());
        Assert.True(double.IsNaN(s.Variance()));
    }

    [Theory]
    [MemberData(nameof(Dtypes), MemberType = typeof(TestData))]
    public void Nan_omit_equals_the_summary_without_the_NaNs(bool f64)
    {
        double[] x = Uniform(8, 4097, -1, 3);
        for (int i = 3; i < x.Length; i += 100)
            x[i] = double.NaN;
        double[] kept = Array.FindAll(x, v => !double.IsNaN(v));
        Stats omit = StatsOf(f64, x, NanPolicy.Omit), clean = StatsOf(f64, kept);
        Assert.Equal(x.Length - kept.Length, omit.NanCount);
        Assert.Equal(kept.Length, omit.Count);
        Assert.Equal(clean.Min, omit.Min);
        Assert.Equal(clean.Max, omit.Max);
        Close(clean.Mean, omit.Mean, 1e-14, "mean");
        Close(clean.M2, omit.M2, 1e-12, "m2");
    }

    [Theory]
    [MemberData(nameof(Dtypes), MemberType = typeof(TestData))]
    public void All_NaN(bool f64)
    {
        double[] x = { double.NaN, double.NaN, double.NaN };
        Stats omit = StatsOf(f64, x, NanPolicy.Omit);
        Assert.Equal((0L, 3L, 0.0), (omit.Count, omit.NanCount, omit.Sum));
        Assert.True(double.IsNaN(omit.Min) && double.IsNaN(omit.Mean) && double.IsNaN(omit.M2));
        Stats prop = StatsOf(f64, x, NanPolicy.Propagate);
        Assert.Equal((3L, 3L), (prop.Count, prop.NanCount));
        Assert.True(double.IsNaN(prop.Sum));
    }

    [Theory]
    [MemberData(nameof(DtypesAndPolicies), MemberType = typeof(TestData))]
    public void Infinities_follow_numpy(bool f64, NanPolicy nan)
    {
        Stats a = StatsOf(f64, new[] { 1.0, double.PositiveInfinity }, nan);
        Assert.Equal((1.0, double.PositiveInfinity, double.PositiveInfinity), (a.Min, a.Max, a.Mean));
        Assert.True(double.IsNaN(a.M2)); // np.var([1, inf]) is nan
        Stats b = StatsOf(f64, new[] { double.PositiveInfinity, double.NegativeInfinity }, nan);
        Assert.True(double.IsNaN(b.Mean) && double.IsNaN(b.Sum));
        Assert.Equal(0, b.NanCount);
    }

    [Theory]
    [MemberData(nameof(DtypesAndPolicies), MemberType = typeof(TestData))]
    public void Empty_input_is_the_empty_summary_not_an_error(bool f64, NanPolicy nan)
    {
        Stats s = StatsOf(f64, Array.Empty<double>(), nan);
        Assert.Equal(Stats.Empty, s);
        Assert.Equal((0L, 0L, 0.0), (s.Count, s.NanCount, s.Sum));
        Assert.True(double.IsNaN(s.Min) && double.IsNaN(s.Max) && double.IsNaN(s.Mean) && double.IsNaN(s.M2));
        Assert.Equal(Stats.Empty, Stats.Of(ReadOnlySpan<float>.Empty, nan));
    }

    [Fact]
    public void Spans_slices_and_arrays_agree()
    {
        float[] x = ToFloat(Uniform(9, 1000, 0, 1));
        Assert.Equal(Stats.Of(x), Stats.Of(x.AsSpan()));
        Assert.Equal(Stats.Of(x[100..300]), Stats.Of(x.AsSpan(100, 200)));
    }

    [Fact]
    public void Merge_of_halves_is_the_whole()
    {
        Stats a = Stats.Of(new double[] { 1, 2 }), b = Stats.Of(new double[] { 3, 4 });
        Stats m = a.Merge(b);
        Assert.Equal((4L, 1.0, 4.0, 10.0, 2.5, 5.0), (m.Count, m.Min, m.Max, m.Sum, m.Mean, m.M2));
    }

    [Theory]
    [InlineData(1), InlineData(1000), InlineData(2048), InlineData(99999)]
    public void Merge_at_any_split_point_matches_the_whole(int split)
    {
        double[] x = Normal(11, 100000, 5.0, 2.0);
        Stats whole = Stats.Of(x);
        Stats merged = Stats.Of(x.AsSpan(0, split)).Merge(Stats.Of(x.AsSpan(split)));
        Assert.Equal(whole.Count, merged.Count);
        Assert.Equal(whole.Min, merged.Min);
        Assert.Equal(whole.Max, merged.Max);
        Close(whole.Mean, merged.Mean, 1e-14, "mean");
        Close(whole.M2, merged.M2, 1e-12, "m2");
    }

    [Fact]
    public void Empty_is_the_identity_of_Merge()
    {
        Stats s = Stats.Of(new[] { 1.5f, -2f, 8f });
        Assert.Equal(s, Stats.Empty.Merge(s));
        Assert.Equal(s, s.Merge(Stats.Empty));
        Assert.Equal(Stats.Empty, Stats.Empty.Merge(Stats.Empty));
    }

    [Fact]
    public void Variance_and_Std_for_any_ddof()
    {
        Stats s = Stats.Of(new double[] { 1, 2, 3, 4 });
        Assert.Equal(1.25, s.Variance());
        Assert.Equal(1.25, s.Variance(0));
        Close(5.0 / 3.0, s.Variance(1), 1e-15, "var ddof 1");
        Assert.Equal(Math.Sqrt(1.25), s.Std());
        Close(Math.Sqrt(5.0 / 3.0), s.Std(1), 1e-15, "std ddof 1");
        Assert.True(double.IsNaN(s.Variance(4)));  // count <= ddof: NaN, as NumPy
        Assert.True(double.IsNaN(s.Std(5)));
        Assert.True(double.IsNaN(Stats.Empty.Variance()));
        Assert.Throws<ArgumentOutOfRangeException>("ddof", () => s.Variance(-1));
        Assert.Throws<ArgumentOutOfRangeException>("ddof", () => s.Std(-1));
    }

    [Fact]
    public void A_bad_nan_policy_is_refused_by_libcore()
    {
        var e = Assert.Throws<CoreException>(() => Stats.Of(new float[] { 1, 2 }, (NanPolicy)2));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("core_stats_f32", e.LibCoreMessage);
        e = Assert.Throws<CoreException>(() => Stats.Of(new double[] { 1, 2 }, (NanPolicy)(-1)));
        Assert.Contains("core_stats_f64", e.LibCoreMessage);
    }

    [Fact]
    public void Large_offset_keeps_variance_accurate()
    {
        double[] x = Normal(12, 1000000, 1e8, 1.0);
        var (mean, m2) = Moments(x);
        Stats s = Stats.Of(x);
        Close(mean, s.Mean, 1e-15, "mean");
        Close(m2 / x.Length, s.Variance(), 1e-9, "variance of 1e8 + N(0, 1)");
    }

    [Fact]
    public void Results_are_bit_identical_for_any_thread_count()
    {
        float[] x = ToFloat(Normal(13, 1000003, 3.0, 1.5));
        try
        {
            Core.NumThreads = 1;
            Stats one = Stats.Of(x);
            double dot1 = CoreStats.Dot(x, x);
            Core.NumThreads = 2;
            Assert.Equal(one, Stats.Of(x));
            Assert.Equal(dot1, CoreStats.Dot(x, x));
            Core.NumThreads = 0;
            Assert.Equal(one, Stats.Of(x));
        }
        finally
        {
            Core.NumThreads = 0;
        }
    }

    private static double Min(double[] x)
    {
        double m = x[0];
        foreach (double v in x) m = Math.Min(m, v);
        return m;
    }

    private static double Max(double[] x)
    {
        double m = x[0];
        foreach (double v in x) m = Math.Max(m, v);
        return m;
    }
}
