using System;
using Xunit;

namespace LibCore.Tests;

/// <summary>PCM conversions, as tests/unit/test_array_pcm.c.</summary>
public class PcmTests
{
    private static short[] EveryPcmValue()
    {
        var pcm = new short[65536];
        for (int v = -32768; v <= 32767; ++v)
            pcm[v + 32768] = (short)v;
        return pcm;
    }

    [Fact]
    public void FromPcm16_is_exact_and_ToPcm16_inverts_it()
    {
        short[] pcm = EveryPcmValue();
        float[] f = CoreArrays.FromPcm16<float>(pcm);
        double[] d = CoreArrays.FromPcm16<double>(pcm);
        for (int i = 0; i < pcm.Length; ++i)
        {
            Assert.Equal(pcm[i] / 32768.0, d[i]);
            Assert.Equal((float)(pcm[i] / 32768.0), f[i]);
        }
        Assert.Equal(-1.0f, f[0]);
        Assert.Equal(32767.0 / 32768.0, d[^1]);
        Assert.Equal(pcm, CoreArrays.ToPcm16(f, out long clippedF));
        Assert.Equal(pcm, CoreArrays.ToPcm16(d, out long clippedD));
        Assert.Equal(0, clippedF);
        Assert.Equal(0, clippedD);
    }

    public static TheoryData<double, short, long> Rounding => new()
    {
        // round half to even on value * 32768
        { 0.5 / 32768, 0, 0 }, { 1.5 / 32768, 2, 0 }, { 2.5 / 32768, 2, 0 },
        { -0.5 / 32768, 0, 0 }, { -1.5 / 32768, -2, 0 }, { -2.5 / 32768, -2, 0 },
        { 0.49 / 32768, 0, 0 }, { 0.51 / 32768, 1, 0 }, { 32766.5 / 32768, 32766, 0 },
        // clipping is counted, never silent
        { 1.0, 32767, 1 }, { -1.0, -32768, 0 }, { 2.0, 32767, 1 }, { -2.0, -32768, 1 },
        { double.NaN, 0, 1 }, { double.PositiveInfinity, 32767, 1 }, { double.NegativeInfinity, -32768, 1 },
        { 32767.4 / 32768, 32767, 0 }, { 32767.5 / 32768, 32767, 1 },
        { -32768.5 / 32768, -32768, 0 }, { -32768.6 / 32768, -32768, 1 },
    };

    [Theory]
    [MemberData(nameof(Rounding))]
    public void ToPcm16_rounding_and_clipping(double value, short want, long wantClipped)
    {
        Assert.Equal(new[] { want }, CoreArrays.ToPcm16(new[] { value }, out long clipped));
        Assert.Equal(wantClipped, clipped);
        if ((double)(float)value == value || double.IsNaN(value))
        {
            Assert.Equal(new[] { want }, CoreArrays.ToPcm16(new[] { (float)value }, out clipped));
            Assert.Equal(wantClipped, clipped);
        }
    }

    [Fact]
    public void Clipped_count_of_a_block()
    {
        var x = new float[1000];
        for (int i = 0; i < x.Length; ++i)
            x[i] = (i % 10) switch { 0 => 1.5f, 1 => -1.25f, 2 => float.NaN, _ => 0.25f };
        var pcm = new short[1000];
        Assert.Equal(300, CoreArrays.ToPcm16(x, pcm));
        Assert.Equal(32767, pcm[0]);
        Assert.Equal(-32768, pcm[1]);
        Assert.Equal(0, pcm[2]);
        Assert.Equal(8192, pcm[3]);
        Assert.Equal(0, CoreArrays.ToPcm16(ReadOnlySpan<double>.Empty, Span<short>.Empty));
    }

    [Fact]
    public void Spans_and_lengths()
    {
        var f = new float[4];
        CoreArrays.FromPcm16(new short[] { -32768, 16384 }, f);
        Assert.Equal(new[] { -1f, 0.5f, 0, 0 }, f);
        var d = new double[2];
        CoreArrays.FromPcm16(new short[] { 8192, -8192 }, d);
        Assert.Equal(new[] { 0.25, -0.25 }, d);
        Assert.Throws<ArgumentException>("destination", () => CoreArrays.FromPcm16(new short[3], new float[2]));
        Assert.Throws<ArgumentException>("destination", () => CoreArrays.FromPcm16(new short[3], new double[2]));
        Assert.Throws<ArgumentException>("destination", () => CoreArrays.ToPcm16(new float[3], new short[2]));
        Assert.Throws<ArgumentException>("destination", () => CoreArrays.ToPcm16(new double[3], new short[2]));
        Assert.Empty(CoreArrays.FromPcm16<float>(Array.Empty<short>()));
    }
}
