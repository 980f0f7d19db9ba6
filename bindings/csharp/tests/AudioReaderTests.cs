using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using Xunit;

namespace LibCore.Tests;

/// <summary>AudioReader (audio.h, chunked reading). On the shared test data (jfk_16k.wav
/// at its own rate, jfk_44k1_stereo_orig.flac resampled to 16 kHz): reads in chunks of 1
/// (the first 4000 samples), 160, 4096 and 10^6, and span reads of uneven sizes,
/// concatenate to exactly <see cref="AudioFile.Read"/>'s samples; Info equals
/// AudioFile.Info, Total is the sample count and Done advances with each read. On WAV
/// files written here: NotFound, Format (not audio, truncated, a NaN met while reading:
/// the reader stays failed), Io, argument errors, use after Dispose. The test data facts
/// are skipped when the files are missing (<see cref="TestDataFactAttribute"/>).</summary>
public sealed class AudioReaderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>The rest of the reader with Read(n), checking Done after each read and
    /// that a short chunk comes only at the end.</summary>
    private static float[] ReadAll(AudioReader r, int n)
    {
        var all = new List<float>((int)r.Remaining);
        long start = r.Done;
        while (true)
        {
            float[] chunk = r.Read(n);
            if (chunk.Length == 0)
                break;
            Assert.True(chunk.Length <= n, $"Read({n}) gave {chunk.Length}");
            all.AddRange(chunk);
            Assert.Equal(start + all.Count, r.Done);
            if (chunk.Length < n)
                Assert.Equal(r.Total, r.Done);
        }
        Assert.Equal(r.Total, r.Done);
        return all.ToArray();
    }

    private static void Fails(CoreStatus status, Action call, string inMessage)
    {
        var e = Assert.Throws<CoreException>(call);
        Assert.Equal(status, e.Status);
        Assert.Contains(inMessage, e.LibCoreMessage);
    }

    // ---- test data -----------------------------------------------------------------------------

    [TestDataFact("jfk_16k.wav")]
    public void Jfk_in_chunks_of_160_4096_and_a_million_is_the_whole_read()
    {
        string wav = AudioTestData.Require("jfk_16k.wav");
        float[] whole = AudioFile.Read(wav);
        AudioInfo info = AudioFile.Info(wav);
        foreach (int n in new[] { 160, 4096, 1_000_000 })
        {
            using var r = AudioReader.Open(wav);
            Assert.Equal(info, r.Info);
            Assert.Equal(16000, r.SampleRate);
            Assert.Equal(whole.Length, r.Total);
            Assert.Equal(0, r.Done);
            LogMelTests.BitEqual(whole, ReadAll(r, n), $"chunks of {n}");
            Assert.Equal(0, r.Remaining);
            Assert.Empty(r.Read(n));
            Assert.Equal(0, r.Read(new float[8]));
            Assert.Equal(info, r.Info);
        }
    }

    [TestDataFact("jfk_16k.wav")]
    public void Jfk_one_sample_at_a_time()
    {
        string wav = AudioTestData.Require("jfk_16k.wav");
        float[] whole = AudioFile.Read(wav, 16000);
        using var r = AudioReader.Open(wav, 16000);
        var first = new float[4000];
        for (int i = 0; i < first.Length; ++i)
        {
            float[] one = r.Read(1);
            Assert.Single(one);
            first[i] = one[0];
            Assert.Equal(i + 1, r.Done);
        }
        LogMelTests.BitEqual(whole.AsSpan(0, 4000).ToArray(), first, "one by one");
        // the rest in one oversized read continues exactly there
        LogMelTests.BitEqual(whole.AsSpan(4000).ToArray(), r.Read(int.MaxValue), "the rest");
    }

    [TestDataFact("jfk_44k1_stereo_orig.flac")]
    public void Resampled_stereo_flac_in_chunks_is_the_whole_read()
    {
        string flac = AudioTestData.Require("jfk_44k1_stereo_orig.flac");
        float[] whole = AudioFile.Read(flac, 16000);
        Assert.Equal(176000, whole.Length);
        foreach (int n in new[] { 160, 4096, 1_000_000 })
        {
            using var r = AudioReader.Open(flac, 16000);
            Assert.Equal(AudioFile.Info(flac), r.Info);
            Assert.Equal(176000, r.Total);
            LogMelTests.BitEqual(whole, ReadAll(r, n), $"resampled, chunks of {n}");
        }
    }

    [TestDataFact("jfk_16k.flac")]
    public void Span_reads_of_uneven_sizes_fill_one_array()
    {
        string flac = AudioTestData.Require("jfk_16k.flac");
        float[] whole = AudioFile.Read(flac);
        var got = new float[whole.Length + 7];
        int[] sizes = { 1, 777, 4096, 4097, 100_000, 3, 65_537 };
        int at = 0;
        using (var r = AudioReader.Open(flac))
        {
            for (int i = 0; at < whole.Length; ++i)
            {
                int k = r.Read(got.AsSpan(at, Math.Min(sizes[i % sizes.Length], got.Length - at)));
                Assert.True(k > 0, $"a read before the end gave nothing at {at}");
                at += k;
                Assert.Equal(at, r.Done);
            }
            Assert.Equal(0, r.Read(Span<float>.Empty));
            Assert.Equal(0, r.Read(got.AsSpan(0, 5)));
        }
        Assert.Equal(whole.Length, at);
        LogMelTests.BitEqual(whole, got.AsSpan(0, at).ToArray(), "span reads");
    }

    // ---- files written here -----------------------------------------------------------------------

    [Fact]
    public void Counts_and_info_on_a_small_file()
    {
        var pcm = new short[16001];
        for (int i = 0; i < pcm.Length; ++i)
            pcm[i] = (short)(i * 37 % 65536 - 32768);
        string path = _dir.File("ramp.wav", AudioTestData.Wav16(16000, 1, pcm));
        using (var r = AudioReader.Open(path, 8000))
        {
            Assert.Equal(8001, r.Total); // 16001 * 8000 / 16000, halves up
            Assert.Equal(8000, r.SampleRate);
            Assert.Equal(16001, r.Info.Frames);
            Assert.Equal(16000, r.Info.SampleRate);
            LogMelTests.BitEqual(AudioFile.Read(path, 8000), ReadAll(r, 333), "8 kHz");
        }
        string empty = _dir.File("empty.wav", AudioTestData.Wav16(16000, 1, Array.Empty<short>()));
        using var e = AudioReader.Open(empty);
        Assert.Equal(0, e.Total);
        Assert.Empty(e.Read(100));
        Assert.Equal(0, e.Done);
    }

    [Fact]
    public void Missing_file_is_NotFound() =>
        Fails(CoreStatus.NotFound, () => AudioReader.Open(Path.Combine(_dir.Path, "no-such-file.wav"), 16000),
              "core_audio_open");

    [Fact]
    public void Non_audio_and_truncated_files_are_Format_and_a_directory_Io()
    {
        string garbage = _dir.File("garbage.wav", System.Text.Encoding.ASCII.GetBytes(
            string.Concat(System.Linq.Enumerable.Repeat("this is not audio at all. ", 100))));
        Fails(CoreStatus.Format, () => AudioReader.Open(garbage), "core_audio_open");
        string zero = _dir.File("zero.wav", Array.Empty<byte>());
        Fails(CoreStatus.Format, () => AudioReader.Open(zero), "core_audio_open");
        string truncated = _dir.File("truncated.wav", AudioTestData.Wav(16000, 1, 16, new byte[200], dataSize: 2000));
        Fails(CoreStatus.Format, () => AudioReader.Open(truncated, 16000), "core_audio_open");
        Fails(CoreStatus.Io, () => AudioReader.Open(_dir.Path), "core_audio_open");
    }

    /// <summary>A float WAV with a NaN at sample 9000: the samples before it, then Format,
    /// again on every later read; Info still answers.</summary>
    [Fact]
    public void Damage_met_while_reading_fails_the_reader_for_good()
    {
        const int n = 12000;
        var v = new float[n];
        for (int i = 0; i < n; ++i)
            v[i] = i == 9000 ? float.NaN : (i % 100) / 100f;
        string path = _dir.File("nan.wav", AudioTestData.Wav(16000, 1, 32, MemoryMarshal.AsBytes(v.AsSpan()),
                                                             formatTag: 3));
        using var r = AudioReader.Open(path);
        Assert.Equal(n, r.Total);
        int before = 0;
        CoreException? first = null;
        while (first is null)
        {
            try
            {
                float[] chunk = r.Read(1000);
                Assert.Equal(1000, chunk.Length); // no early end
                for (int i = 0; i < chunk.Length; ++i)
                    Assert.Equal(v[before + i], chunk[i]);
                before += chunk.Length;
            }
            catch (CoreException e)
            {
                first = e;
            }
        }
        Assert.Equal(CoreStatus.Format, first.Status);
        Assert.StartsWith("core_audio_reader_read", first.LibCoreMessage);
        Assert.True(before <= 9000, $"the NaN's chunk was given ({before} samples before the error)");
        Assert.Equal(before, r.Done);
        var again = Assert.Throws<CoreException>(() => r.Read(10));
        Assert.Equal(first.LibCoreMessage, again.LibCoreMessage);
        Fails(CoreStatus.Format, () => r.Read(new float[5]), "core_audio_reader_read");
        Assert.Equal(n, r.Info.Frames);
    }

    [Fact]
    public void Bad_arguments_are_argument_exceptions()
    {
        string path = _dir.File("args.wav", AudioTestData.Wav16(16000, 1, new short[5000]));
        Assert.Throws<ArgumentNullException>(() => AudioReader.Open(null!));
        Assert.Throws<ArgumentException>(() => AudioReader.Open(path + "\0.flac"));
        Assert.Throws<ArgumentOutOfRangeException>(() => AudioReader.Open(path, -1));
        Fails(CoreStatus.InvalidArgument, () => AudioReader.Open(path, 384001), "core_audio_open");
        using var r = AudioReader.Open(path);
        Assert.Throws<ArgumentOutOfRangeException>(() => r.Read(-1));
        Assert.Equal(0, r.Done);
        Assert.Equal(5000, r.Read(int.MaxValue).Length); // allocates only what remains
        Assert.Empty(r.Read(int.MaxValue));
    }

    [Fact]
    public void Dispose_is_idempotent_and_use_after_it_throws()
    {
        string path = _dir.File("close.wav", AudioTestData.Wav16(16000, 1, new short[1000]));
        var r = AudioReader.Open(path);
        Assert.Equal(10, r.Read(10).Length);
        r.Dispose();
        r.Dispose();
        Assert.True(r.IsDisposed);
        Assert.Contains("disposed", r.ToString());
        Assert.Throws<ObjectDisposedException>(() => r.Read(10));
        Assert.Throws<ObjectDisposedException>(() => r.Read(new float[3]));
        Assert.Throws<ObjectDisposedException>(() => r.Info);
        Assert.Throws<ObjectDisposedException>(() => r.Total);
        Assert.Throws<ObjectDisposedException>(() => r.Done);
    }
}
