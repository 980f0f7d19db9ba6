using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Xunit;

namespace LibCore.Tests;

/// <summary>AudioFile (audio.h, files): WAV files written here by hand read back
/// exactly (PCM16 = int16 / 32768, 24-bit, float, stereo downmix), their header
/// fields, resampling, every error status, and the JFK files when the test data
/// folder is there.</summary>
public sealed class AudioFileTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static short[] Pcm16Samples()
    {
        var v = new short[] { 0, 1, -1, 32767, -32768, 12345, -12345, 16384, -16384, 2 };
        return v.Concat(Enumerable.Range(0, 1590).Select(i => (short)(i * 41 - 32000))).ToArray(); // 1600 samples
    }

    [Fact]
    public void Pcm16_mono_reads_back_as_int16_over_32768()
    {
        short[] pcm = Pcm16Samples();
        string path = _dir.File("mono16.wav", AudioTestData.Wav16(16000, 1, pcm));

        float[] x = AudioFile.Read(path);
        Assert.Equal(pcm.Length, x.Length);
        for (int i = 0; i < pcm.Length; ++i)
            Assert.Equal(pcm[i] / 32768f, x[i]);
        Assert.Equal(-1f, x[4]);
        LogMelTests.BitEqual(x, AudioFile.Read(path, 16000), "same rate");
        Assert.Equal(pcm.Length, AudioFile.SampleCount(path));
        Assert.Equal(pcm.Length, AudioFile.SampleCount(path, 16000));
    }

    [Fact]
    public void Info_reports_the_header()
    {
        string path = _dir.File("mono16.wav", AudioTestData.Wav16(16000, 1, Pcm16Samples()));
        AudioInfo info = AudioFile.Info(path);
        Assert.Equal(16000, info.SampleRate);
        Assert.Equal(1, info.Channels);
        Assert.Equal(1600, info.Frames);
        Assert.Equal(0.1, info.Duration, 12);
        Assert.Equal(AudioFormat.Wav, info.Format);
        Assert.Equal(16, info.Bits);
        Assert.Equal(new AudioInfo(16000, 1, 1600, info.Duration, AudioFormat.Wav, 16), info);

        string stereo = _dir.File("stereo8k.wav", AudioTestData.Wav16(8000, 2, new short[2 * 4000]));
        AudioInfo s = AudioFile.Info(stereo);
        Assert.Equal(new AudioInfo(8000, 2, 4000, 0.5, AudioFormat.Wav, 16), s);
    }

    [Fact]
    public void Stereo_is_averaged()
    {
        short[] left = Pcm16Samples(), right = left.Select(v => (short)(v / 3 + 7)).ToArray();
        var interleaved = new short[2 * left.Length];
        for (int i = 0; i < left.Length; ++i)
        {
            interleaved[2 * i] = left[i];
            interleaved[2 * i + 1] = right[i];
        }
        string path = _dir.File("stereo.wav", AudioTestData.Wav16(16000, 2, interleaved));
        float[] x = AudioFile.Read(path);
        Assert.Equal(left.Length, x.Length);
        for (int i = 0; i < x.Length; ++i) // exact in float: both terms have 16 significant bits
            Assert.Equal((left[i] / 32768f + right[i] / 32768f) / 2, x[i]);
    }

    [Fact]
    public void Pcm24_and_float_data()
    {
        int[] v24 = { 0, 1, -1, 8388607, -8388608, 1234567, -7654321 };
        var bytes = new byte[3 * v24.Length];
        for (int i = 0; i < v24.Length; ++i)
        {
            bytes[3 * i] = (byte)v24[i];
            bytes[3 * i + 1] = (byte)(v24[i] >> 8);
            bytes[3 * i + 2] = (byte)(v24[i] >> 16);
        }
        string p24 = _dir.File("pcm24.wav", AudioTestData.Wav(44100, 1, 24, bytes));
        Assert.Equal(24, AudioFile.Info(p24).Bits);
        Assert.Equal(44100, AudioFile.Info(p24).SampleRate);
        float[] x = AudioFile.Read(p24);
        Assert.Equal(v24.Select(v => v / 8388608f).ToArray(), x);

        float[] f = { 0f, 0.25f, -0.5f, 0.999f, -1f, 1e-7f };
        string pf = _dir.File("float.wav",
            AudioTestData.Wav(16000, 1, 32, MemoryMarshal.AsBytes(f.AsSpan()), formatTag: 3));
        AudioInfo info = AudioFile.Info(pf);
        Assert.Equal(0, info.Bits); // floating-point data
        Assert.Equal(6, info.Frames);
        LogMelTests.BitEqual(f, AudioFile.Read(pf), "float WAV");
    }

    [Fact]
    public void Resampling_gives_the_count_from_the_header_and_the_same_tone()
    {
        const int n = 8000; // 1 s at 8 kHz
        short[] pcm = Enumerable.Range(0, n).Select(i => (short)Math.Round(16384 * Math.Sin(2 * Math.PI * 200 * i / 8000.0))).ToArray();
        string path = _dir.File("tone8k.wav", AudioTestData.Wav16(8000, 1, pcm));
        Assert.Equal(16000, AudioFile.SampleCount(path, 16000));
        Assert.Equal(4000, AudioFile.SampleCount(path, 4000));
        float[] up = AudioFile.Read(path, 16000);
        Assert.Equal(16000, up.Length);
        for (int i = 1000; i < 15000; ++i) // away from the filter's edges
            Assert.True(Math.Abs(up[i] - 0.5 * Math.Sin(2 * Math.PI * 200 * i / 16000.0)) < 2e-3,
                $"sample {i}: {up[i]}");
        short[] one = { 1000 };
        string tiny = _dir.File("one.wav", AudioTestData.Wav16(16000, 1, one));
        Assert.Equal(1, AudioFile.SampleCount(tiny, 8000)); // 0.5 rounds up
    }

    [Fact]
    public void An_empty_data_chunk_is_an_empty_array()
    {
        string path = _dir.File("empty.wav", AudioTestData.Wav16(16000, 1, Array.Empty<short>()));
        Assert.Empty(AudioFile.Read(path));
        Assert.Empty(AudioFile.Read(path, 8000));
        Assert.Equal(0, AudioFile.Info(path).Frames);
        Assert.Equal(0, AudioFile.SampleCount(path));
    }

    private static void Fails(CoreStatus status, Action call, string? inMessage = null)
    {
        var e = Assert.Throws<CoreException>(call);
        Assert.Equal(status, e.Status);
        Assert.False(string.IsNullOrEmpty(e.LibCoreMessage));
        if (inMessage is not null)
            Assert.Contains(inMessage, e.LibCoreMessage);
    }

    [Fact]
    public void Missing_file_is_NotFound()
    {
        string path = Path.Combine(_dir.Path, "no-such-file.wav");
        Fails(CoreStatus.NotFound, () => AudioFile.Info(path), "core_audio_info");
        Fails(CoreStatus.NotFound, () => AudioFile.Read(path), "core_audio_read");
        Fails(CoreStatus.NotFound, () => AudioFile.SampleCount(path));
    }

    [Fact]
    public void Garbage_empty_and_truncated_files_are_Format()
    {
        string garbage = _dir.File("garbage.wav", System.Text.Encoding.ASCII.GetBytes(
            string.Concat(Enumerable.Repeat("this is not audio at all. ", 100))));
        Fails(CoreStatus.Format, () => AudioFile.Info(garbage), "core_audio_info");
        Fails(CoreStatus.Format, () => AudioFile.Read(garbage), "core_audio_read");
        string zero = _dir.File("zero.wav", Array.Empty<byte>());
        Fails(CoreStatus.Format, () => AudioFile.Info(zero));
        Fails(CoreStatus.Format, () => AudioFile.Read(zero));
        // the header announces 2000 bytes of data, the file holds 200
        byte[] cut = AudioTestData.Wav(16000, 1, 16, new byte[200], dataSize: 2000);
        string truncated = _dir.File("truncated.wav", cut);
        Fails(CoreStatus.Format, () => AudioFile.Info(truncated));
        Fails(CoreStatus.Format, () => AudioFile.Read(truncated));
        // NaN in float data
        string nan = _dir.File("nan.wav", AudioTestData.Wav(16000, 1, 32,
            MemoryMarshal.AsBytes(new[] { 0f, float.NaN, 0f }.AsSpan()), formatTag: 3));
        Fails(CoreStatus.Format, () => AudioFile.Read(nan));
    }

    [Fact]
    public void A_directory_is_Io()
    {
        Fails(CoreStatus.Io, () => AudioFile.Info(_dir.Path));
        Fails(CoreStatus.Io, () => AudioFile.Read(_dir.Path));
    }

    [Fact]
    public void Arguments_libcore_cannot_see_and_a_rate_it_refuses()
    {
        string path = _dir.File("mono16.wav", AudioTestData.Wav16(16000, 1, Pcm16Samples()));
        Assert.Throws<ArgumentNullException>(() => AudioFile.Info(null!));
        Assert.Throws<ArgumentNullException>(() => AudioFile.Read(null!));
        Assert.Throws<ArgumentException>(() => AudioFile.Info(path + "\0.flac"));
        Assert.Throws<ArgumentOutOfRangeException>(() => AudioFile.Read(path, -1));
        Fails(CoreStatus.InvalidArgument, () => AudioFile.Read(path, 400000), "target_rate");
        Assert.Equal(3 * 1600, AudioFile.Read(path, 48000).Length);
    }

    [Fact]
    public void Non_ascii_paths_work()
    {
        string path = _dir.File("voix-éte-日本.wav", AudioTestData.Wav16(16000, 1, Pcm16Samples()));
        Assert.Equal(1600, AudioFile.Info(path).Frames);
        Assert.Equal(1600, AudioFile.Read(path).Length);
    }

    // ---- test data -----------------------------------------------------------------------------

    [TestDataFact("jfk_16k.wav", "jfk_16k.f32")]
    public void Jfk_wav_reads_as_the_reference_samples()
    {
        string wav = AudioTestData.Require("jfk_16k.wav");
        AudioInfo info = AudioFile.Info(wav);
        Assert.Equal(new AudioInfo(16000, 1, 176000, 11.0, AudioFormat.Wav, 16), info);
        float[] x = AudioFile.Read(wav);
        Assert.Equal(176000, x.Length);
        LogMelTests.BitEqual(AudioTestData.ReadF32(AudioTestData.Require("jfk_16k.f32")), x, "jfk_16k.wav");
    }

    [TestDataFact("jfk_16k.flac", "jfk_16k.wav")]
    public void Jfk_flac_is_lossless()
    {
        string flac = AudioTestData.Require("jfk_16k.flac");
        Assert.Equal(new AudioInfo(16000, 1, 176000, 11.0, AudioFormat.Flac, 16), AudioFile.Info(flac));
        LogMelTests.BitEqual(AudioFile.Read(AudioTestData.Require("jfk_16k.wav")), AudioFile.Read(flac), "flac");
    }

    [TestDataFact("jfk_44k1_stereo_orig.flac")]
    public void Jfk_stereo_44k1_is_downmixed_and_resampled_to_16k()
    {
        string path = AudioTestData.Require("jfk_44k1_stereo_orig.flac");
        AudioInfo info = AudioFile.Info(path);
        Assert.Equal(new AudioInfo(44100, 2, 485100, 11.0, AudioFormat.Flac, 24), info);
        float[] x = AudioFile.Read(path, 16000);
        Assert.Equal(176000, x.Length);
        Assert.Equal(176000, AudioFile.SampleCount(path, 16000));
    }
}
