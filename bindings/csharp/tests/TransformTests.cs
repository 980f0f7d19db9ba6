using System;
using Xunit;
using static LibCore.Tests.TestData;

namespace LibCore.Tests;

/// <summary>CoreArrays transforms: cumsum, normalize, normal pdf, as
/// tests/unit/test_array_transform.c.</summary>
public class TransformTests
{
    [Fact]
    public void Cumsum_small_in_and_out_of_place()
    {
        Assert.Equal(new float[] { 1, 3, 6, 10 }, CoreArrays.Cumsum(new float[] { 1, 2, 3, 4 }));
        Assert.Equal(new double[] { 1, 3, 6, 10 }, CoreArrays.Cumsum(new double[] { 1, 2, 3, 4 }));
        double[] x = { 1, 2, 3, 4 };
        CoreArrays.Cumsum(x, x);
        Assert.Equal(new double[] { 1, 3, 6, 10 }, x);
        Assert.Empty(CoreArrays.Cumsum(Array.Empty<float>()));
        var wide = new float[6];
        CoreArrays.Cumsum(new float[] { 1, 1 }, wide);
        Assert.Equal(new float[] { 1, 2, 0, 0, 0, 0 }, wide);
    }

    [Fact]
    public void Cumsum_is_compensated()
    {
        Assert.Equal(new[] { 1, 1e100, 1e100, 2 }, CoreArrays.Cumsum(new[] { 1, 1e100, 1, -1e100 }));
        Assert.Equal(new[] { 1, 1e30f, 1e30f, 2 }, CoreArrays.Cumsum(new[] { 1, 1e30f, 1, -1e30f }));
    }

    [Fact]
    public void Cumsum_float_error_does_not_grow()
    {
        var x = new float[1000000];
        Array.Fill(x, 0.1f);
        float[] c = CoreArrays.Cumsum(x);
        for (int i = 0; i < x.Length; ++i) // (i + 1) * 0.1f is exact in double
            if (c[i] != (float)((i + 1) * (double)0.1f))
                Assert.Fail($"cumsum[{i}] = {c[i]:R}, want {(float)((i + 1) * (double)0.1f):R}");
        float naive = 0; // NumPy's float32 running sum, to show the test bites
        foreach (float v in x) naive += v;
        Assert.True(Math.Abs(naive - 1e5) > 100);
    }

    [Fact]
    public void Cumsum_partial_overlap_is_refused_by_libcore()
    {
        double[] x = { 1, 2, 3, 4, 5 };
        var e = Assert.Throws<CoreException>(() => CoreArrays.Cumsum(x.AsSpan(0, 3), x.AsSpan(1, 3)));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("core_cumsum_f64", e.LibCoreMessage);
        Assert.Equal(new double[] { 1, 2, 3, 4, 5 }, x);
    }

    [Theory]
    [MemberData(nameof(DtypesAndPolicies), MemberType = typeof(TestData))]
    public void Normalize_small(bool f64, NanPolicy nan)
    {
        double[] want0 = Array.ConvertAll(new double[] { 1, 2, 3, 4, 5 }, v => (v - 3) / Math.Sqrt(2.0));
        double[] want1 = Array.ConvertAll(new double[] { 1, 2, 3, 4, 5 }, v => (v - 3) / Math.Sqrt(2.5));
        foreach (var (ddof, want) in new[] { (0, want0), (1, want1) })
        {
            if (f64)
            {
                double[] x = { 1, 2, 3, 4, 5 };
                CoreArrays.Normalize(x, ddof, nan);
                for (int i = 0; i < 5; ++i) Close(want[i], x[i], 1e-15, $"ddof {ddof} [{i}]");
            }
            else
            {
                float[] x = { 1, 2, 3, 4, 5 };
                CoreArrays.Normalize(x.AsSpan(), ddof, nan);
                for (int i = 0; i < 5; ++i) Assert.Equal((float)want[i], x[i]);
            }
        }
    }

    [Fact]
    public void Normalize_NaN_policies()
    {
        double[] omit = { 1, 2, double.NaN, 3, 4, 5 };
        CoreArrays.Normalize(omit, 0, NanPolicy.Omit);
        Assert.True(double.IsNaN(omit[2]));
        Close(-2 / Math.Sqrt(2.0), omit[0], 1e-15, "omit [0]");
        float[] prop = { 1, 2, float.NaN, 3 };
        CoreArrays.Normalize(prop, 0, NanPolicy.Propagate);
        Assert.All(prop, v => Assert.True(float.IsNaN(v)));
        CoreArrays.Normalize(Array.Empty<double>()); // n == 0 is a no-op
    }

    [Theory]
    [InlineData(new double[] { 2, 2, 2, 2 }, 0)]  // std 0
    [InlineData(new double[] { 7 }, 1)]           // n <= ddof
    [InlineData(new double[] { 7 }, 0)]           // one value: std 0
    [InlineData(new double[] { 1, 2, 3, 4, 5 }, 9)]
    public void Normalize_refuses_and_leaves_the_data_untouched(double[] input, int ddof)
    {
        double[] x = (double[])input.Clone();
        var e = Assert.Throws<CoreException>(() => CoreArrays.Normalize(x, ddof));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("core_normalize_f64", e.LibCoreMessage);
        Assert.Equal(input, x);
        float[] xf = ToFloat(input);
        Assert.Throws<CoreException>(() => CoreArrays.Normalize(xf, ddof, NanPolicy.Omit));
        Assert.Equal(ToFloat(input), xf);
    }

    [Fact]
    public void NormalPdf_matches_the_formula()
    {
        double[] x = Uniform(21, 4097, -6, 6);
        foreach (var (mean, sd) in new[] { (0.0, 1.0), (1.5, 0.25), (-3.0, 7.0) })
        {
            double[] d = CoreArrays.NormalPdf(x, mean, sd);
            float[] f = CoreArrays.NormalPdf(ToFloat(x), mean, sd);
            for (int i = 0; i < x.Length; ++i)
            {
                double z = (x[i] - mean) / sd, want = Math.Exp(-z * z / 2) / (sd * Math.Sqrt(2 * Math.PI));
                Close(want, d[i], 1e-13, $"pdf({x[i]}; {mean}, {sd})");
                double zf = ((float)x[i] - mean) / sd, wantf = Math.Exp(-zf * zf / 2) / (sd * Math.Sqrt(2 * Math.PI));
                Assert.True(Math.Abs(f[i] - wantf) <= 1e-6 * wantf + 1e-30,
                    $"pdf_f32({(float)x[i]}) = {f[i]:R}, want {wantf:R}");
            }
        }
        Assert.Equal(1 / Math.Sqrt(2 * Math.PI), CoreArrays.NormalPdf(new[] { 0.0 })[0], 15);
    }

    [Fact]
    public void NormalPdf_in_place_and_errors()
    {
        float[] x = { -1, 0, 1 };
        float[] copy = CoreArrays.NormalPdf(x);
        CoreArrays.NormalPdf(x, x);
        Assert.Equal(copy, x);
        foreach (var (mean, sd) in new[] { (double.NaN, 1.0), (0.0, double.PositiveInfinity), (0.0, double.NaN) })
        {
            var e = Assert.Throws<CoreException>(() => CoreArrays.NormalPdf(new double[] { 1 }, mean, sd));
            Assert.Equal(CoreStatus.InvalidArgument, e.Status);
            Assert.Contains("core_normal_pdf_f64", e.LibCoreMessage);
        }
    }
}
