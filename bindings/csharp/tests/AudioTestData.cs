using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Xunit;

namespace LibCore.Tests;

/// <summary>
/// The audio tests' inputs: reference files from the shared test data folder, read
/// in place (never copied into the repository), synthetic signals, and WAV files
/// written by hand.
/// </summary>
/// <remarks>The folder is $LIBCORE_TESTDATA, else ../shared/testdata beside the
/// source tree ($LIBCORE_SOURCE_ROOT, which meson sets), as for the C tests. A
/// test that needs a missing file is skipped (reported as skipped, never as
/// passed), or fails when LIBCORE_REQUIRE_TESTDATA=1 (set by .ci/run).</remarks>
internal static class AudioTestData
{
    public static string? Folder
    {
        get
        {
            string? dir = Environment.GetEnvironmentVariable("LIBCORE_TESTDATA");
            if (!string.IsNullOrEmpty(dir))
                return dir;
            string? root = Environment.GetEnvironmentVariable("LIBCORE_SOURCE_ROOT");
            return string.IsNullOrEmpty(root) ? null : Path.Combine(root, "..", "shared", "testdata");
        }
    }

    public static bool Required => Environment.GetEnvironmentVariable("LIBCORE_REQUIRE_TESTDATA") == "1";

    /// <summary>The full path of a test data file, or null when it is not there.</summary>
    public static string? Find(string name)
    {
        string? dir = Folder;
        if (dir is null)
            return null;
        string path = Path.Combine(dir, name);
        return File.Exists(path) ? path : null;
    }

    /// <summary>The path of a file a <see cref="TestDataFactAttribute"/> test needs
    /// (the attribute skipped the test if it was missing and not required).</summary>
    public static string Require(string name) =>
        Find(name) ?? throw new Xunit.Sdk.XunitException(
            $"test data {name} missing (folder {Folder ?? "unset"}) and LIBCORE_REQUIRE_TESTDATA=1");

    /// <summary>A headerless little-endian float32 file.</summary>
    public static float[] ReadF32(string path) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();

    // ---- synthetic signals ------------------------------------------------------------

    /// <summary>amplitude * sin(2 pi hz i / rate), computed in double.</summary>
    public static float[] Tone(double hz, int n, int rate = 16000, double amplitude = 0.5)
    {
        var x = new float[n];
        for (int i = 0; i < n; ++i)
            x[i] = (float)(amplitude * Math.Sin(2 * Math.PI * hz * i / rate));
        return x;
    }

    /// <summary>Adds white Gaussian noise of standard deviation sd.</summary>
    public static float[] AddNoise(float[] x, double sd, int seed)
    {
        double[] noise = TestData.Normal(seed, x.Length, 0, sd);
        for (int i = 0; i < x.Length; ++i)
            x[i] += (float)noise[i];
        return x;
    }

    /// <summary>Adds a voiced, speech-like sound to x[start, start + length): a 140 Hz
    /// harmonic series falling 6 dB per octave up to 4 kHz, its level modulated at 4 Hz
    /// like syllables, RMS about <paramref name="rms"/> (the C tests' vu_add_voice).</summary>
    public static void AddVoice(float[] x, int start, int length, int rate = 16000, double rms = 0.05)
    {
        const double f0 = 140.0;
        double norm = 0;
        int harmonics = 0;
        for (int h = 1; h * f0 < 4000.0 && h * f0 < rate / 2.0; ++h, ++harmonics)
            norm += 0.5 / (h * h);
        double gain = rms / Math.Sqrt(norm);
        for (int i = 0; i < length; ++i)
        {
            double t = (double)i / rate, v = 0;
            for (int h = 1; h <= harmonics; ++h)
                v += Math.Sin(2 * Math.PI * f0 * h * t + h) / h;
            double env = 0.625 - 0.375 * Math.Cos(2 * Math.PI * 4.0 * t);
            x[start + i] += (float)(gain * env * v);
        }
    }

    /// <summary>Quiet background noise (sd 1e-3) with a voice in each [a[i], b[i]) seconds.</summary>
    public static float[] Scene(double seconds, double[] a, double[] b, int seed = 11, int rate = 16000)
    {
        float[] x = AddNoise(new float[(int)(seconds * rate)], 1e-3, seed);
        for (int i = 0; i < a.Length; ++i)
            AddVoice(x, (int)(a[i] * rate), (int)(b[i] * rate) - (int)(a[i] * rate), rate);
        return x;
    }

    // ---- WAV files by hand ---------------------------------------------------------------

    /// <summary>A canonical 44-byte-header RIFF WAVE file around <paramref name="data"/>.
    /// <paramref name="dataSize"/> overrides the data chunk's size field (a lying header).</summary>
    public static byte[] Wav(int rate, int channels, int bits, ReadOnlySpan<byte> data, int formatTag = 1,
                             uint? dataSize = null)
    {
        var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        int blockAlign = channels * bits / 8;
        w.Write("RIFF"u8);
        w.Write((uint)(36 + data.Length));
        w.Write("WAVE"u8);
        w.Write("fmt "u8);
        w.Write(16u);
        w.Write((ushort)formatTag);
        w.Write((ushort)channels);
        w.Write((uint)rate);
        w.Write((uint)(rate * blockAlign));
        w.Write((ushort)blockAlign);
        w.Write((ushort)bits);
        w.Write("data"u8);
        w.Write(dataSize ?? (uint)data.Length);
        w.Write(data);
        w.Flush();
        return ms.ToArray();
    }

    /// <summary>16-bit PCM, interleaved if several channels.</summary>
    public static byte[] Wav16(int rate, int channels, short[] interleaved) =>
        Wav(rate, channels, 16, MemoryMarshal.AsBytes(interleaved.AsSpan()));
}

/// <summary>A [Fact] that needs files of the shared test data folder: skipped when one
/// is missing, unless LIBCORE_REQUIRE_TESTDATA=1 (then the test runs and fails).</summary>
public sealed class TestDataFactAttribute : FactAttribute
{
    public TestDataFactAttribute(params string[] files)
    {
        string[] missing = files.Where(f => AudioTestData.Find(f) is null).ToArray();
        if (missing.Length > 0 && !AudioTestData.Required)
            Skip = $"test data {string.Join(", ", missing)} not found in {AudioTestData.Folder ?? "(no folder)"} " +
                   "(set LIBCORE_TESTDATA)";
    }
}

/// <summary>A temporary folder, deleted with everything in it.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "libcore-cs-audio-" + Guid.NewGuid());
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name, byte[] content)
    {
        string p = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllBytes(p, content);
        return p;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, true); }
        catch (IOException) { }
    }
}
