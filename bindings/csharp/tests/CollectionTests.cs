using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using Xunit;

namespace LibCore.Tests;

/// <summary>Collection.Run (collection.h through bindings/collection_shim.h): the JFK
/// file from the shared test data folder (read in place), a missing file and a text
/// file named .wav give OK / NOT_FOUND / FORMAT in input order; the samples match
/// AudioFile.Read; the log-mel .npy is written atomically with the documented shape;
/// an unwritable output fails only its file; bad options and bad arguments raise.
/// Tests that need the JFK file skip (reported as skipped) when it is missing.</summary>
public sealed class CollectionTests : IDisposable
{
    private const string Jfk = "jfk_16k.wav";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Missing => Path.Combine(_dir.Path, "no-such-file.wav");

    /// <summary>A text file with an audio name: libsndfile cannot read it.</summary>
    private string TextWav => _dir.File("x.wav", Encoding.ASCII.GetBytes("this is not audio, only text\n"));

    [Fact]
    public void Options_defaults_come_from_libcore()
    {
        var o = new CollectionOptions();
        Assert.Equal(16000, o.SampleRate);
        Assert.Equal(65536, o.ChunkSamples);
        Assert.True(o.Vad);
        Assert.False(o.Features);
        Assert.Equal(100000, o.MaxSegments);
        Assert.Null(o.VadOptions);
        Assert.Null(o.LogMelOptions);
        Assert.Null(o.Metrics);
    }

    [Fact]
    public void NativeCollectionOptions_has_the_layout_of_core_collection_options_t()
    {
        Assert.Equal(CoreNativePINVOKE.CoreCSharp_CollectionSizeOf(0), (ulong)Unsafe.SizeOf<NativeCollectionOptions>());
        Assert.Equal(CoreNativePINVOKE.CoreCSharp_CollectionSizeOf(1),
                     (ulong)System.Runtime.InteropServices.Marshal.OffsetOf<NativeCollectionOptions>("VadOptions"));
        Assert.Equal(CoreNativePINVOKE.CoreCSharp_CollectionSizeOf(2),
                     (ulong)System.Runtime.InteropServices.Marshal.OffsetOf<NativeCollectionOptions>("LogMelOptions"));
        Assert.Equal(CoreNativePINVOKE.CoreCSharp_CollectionSizeOf(3),
                     (ulong)System.Runtime.InteropServices.Marshal.OffsetOf<NativeCollectionOptions>("Metrics"));
    }

    [Fact]
    public void Failures_are_results_in_input_order_without_test_data()
    {
        string text = TextWav;
        IReadOnlyList<FileResult> r = Collection.Run(new[] { Missing, text, Missing });
        Assert.Equal(3, r.Count);
        Assert.Equal(new[] { CoreStatus.NotFound, CoreStatus.Format, CoreStatus.NotFound }, r.Select(x => x.Status));
        Assert.Equal(new[] { Missing, text, Missing }, r.Select(x => x.Path));
        foreach (FileResult f in r)
        {
            Assert.False(f.Ok);
            Assert.NotEqual("", f.Message);
            Assert.StartsWith("{\"path\":", f.Json);
            Assert.Contains($"\"status\":\"{Core.StatusName(f.Status)}\"", f.Json);
            Assert.Equal(0, f.Samples);
            Assert.Equal(0, f.MelFrames);
        }
    }

    [TestDataFact(Jfk)]
    public void Jfk_missing_and_text_give_ok_not_found_format()
    {
        string jfk = AudioTestData.Require(Jfk), text = TextWav;
        IReadOnlyList<FileResult> r = Collection.Run(new[] { jfk, Missing, text });

        Assert.Equal(new[] { CoreStatus.Ok, CoreStatus.NotFound, CoreStatus.Format }, r.Select(x => x.Status));
        Assert.Equal(new[] { jfk, Missing, text }, r.Select(x => x.Path));
        Assert.True(r[0].Ok);
        Assert.Equal("", r[0].Message);
        Assert.False(r[1].Ok);
        Assert.False(r[2].Ok);
        Assert.NotEqual("", r[1].Message);
        Assert.NotEqual("", r[2].Message);

        float[] x = AudioFile.Read(jfk, 16000);
        Assert.Equal(x.Length, r[0].Samples);
        Assert.Equal((double)x.Length / 16000, r[0].Duration, 12);
        // the collection's RMS comes from its streamed statistics, core_rms_f32 from
        // one pass over the whole array: equal up to rounding
        Assert.Equal(CoreStats.Rms(x), r[0].Rms, 9);
        Assert.True(r[0].Segments > 0, "JFK is speech: the VAD finds segments");
        Assert.InRange(r[0].Speech, 1.0, r[0].Duration);
        Assert.Equal(0, r[0].MelFrames); // features are off by default

        Assert.StartsWith("{\"path\":", r[0].Json);
        Assert.Contains("\"status\":\"CORE_OK\"", r[0].Json);
        Assert.Contains($"\"samples\":{x.Length},", r[0].Json);
        Assert.Contains("\"features\":null", r[0].Json);
        Assert.Contains("\"status\":\"CORE_E_NOT_FOUND\"", r[1].Json);
        Assert.Contains("\"status\":\"CORE_E_FORMAT\"", r[2].Json);
        Assert.DoesNotContain('\n', r[0].Json);
    }

    [TestDataFact(Jfk)]
    public void Features_write_an_npy_atomically()
    {
        string jfk = AudioTestData.Require(Jfk);
        string npy = Path.Combine(_dir.Path, "jfk.npy");
        var o = new CollectionOptions { Features = true };
        FileResult r = Collection.Run(new[] { jfk }, new[] { npy }, o).Single();

        Assert.True(r.Ok, r.Message);
        Assert.Equal(r.Samples / 160, r.MelFrames);
        Assert.True(File.Exists(npy));
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.partial"));
        byte[] bytes = File.ReadAllBytes(npy);
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' }, bytes.Take(6));
        string header = NpyHeader(bytes, out int dataOffset);
        Assert.Contains("'descr': '<f4'", header);
        Assert.Contains($"'shape': ({r.MelFrames}, 80)", header);
        Assert.Equal(dataOffset + r.MelFrames * 80 * 4, bytes.Length);
        Assert.Contains($"\"mel_frames\":{r.MelFrames}", r.Json);
        Assert.DoesNotContain("\"features\":null", r.Json);
    }

    [TestDataFact(Jfk)]
    public void LogMelOptions_are_passed_to_libcore()
    {
        string jfk = AudioTestData.Require(Jfk);
        string npy = Path.Combine(_dir.Path, "jfk40.npy");
        var o = new CollectionOptions { Features = true, LogMelOptions = new LogMelOptions { NMels = 40 } };
        FileResult r = Collection.Run(new[] { jfk }, new[] { npy }, o).Single();
        Assert.True(r.Ok, r.Message);
        Assert.Contains($"'shape': ({r.MelFrames}, 40)", NpyHeader(File.ReadAllBytes(npy), out _));
    }

    [TestDataFact(Jfk)]
    public void An_output_in_a_missing_folder_fails_only_that_file()
    {
        string jfk = AudioTestData.Require(Jfk);
        string bad = Path.Combine(_dir.Path, "no-such-folder", "a.npy");
        string good = Path.Combine(_dir.Path, "b.npy");
        var o = new CollectionOptions { Features = true };
        IReadOnlyList<FileResult> r = Collection.Run(new[] { jfk, jfk, jfk }, new[] { bad, good, null }, o);

        Assert.Equal(new[] { CoreStatus.NotFound, CoreStatus.Ok, CoreStatus.Ok }, r.Select(x => x.Status));
        Assert.NotEqual("", r[0].Message);
        Assert.False(File.Exists(bad));
        Assert.True(File.Exists(good));
        Assert.Equal(r[1].Samples / 160, r[1].MelFrames);
        Assert.Equal(0, r[2].MelFrames); // no output: no features for that file
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.partial", SearchOption.AllDirectories));
    }

    [TestDataFact(Jfk)]
    public void Vad_off_finds_no_speech_and_max_segments_caps_only_the_record()
    {
        string jfk = AudioTestData.Require(Jfk);
        FileResult off = Collection.Run(new[] { jfk }, null, new CollectionOptions { Vad = false }).Single();
        Assert.True(off.Ok, off.Message);
        Assert.Equal(0, off.Segments);
        Assert.Equal(0.0, off.Speech);

        FileResult all = Collection.Run(new[] { jfk }).Single();
        FileResult capped = Collection.Run(new[] { jfk }, null, new CollectionOptions { MaxSegments = 0 }).Single();
        Assert.True(all.Segments > 0);
        Assert.Equal(all.Segments, capped.Segments); // counted, not kept
        Assert.Equal(all.Speech, capped.Speech);
        Assert.Contains("\"segments\":[]", capped.Json);
        Assert.DoesNotContain("\"segments\":[]", all.Json);
    }

    [TestDataFact(Jfk)]
    public void Metrics_registry_gets_the_per_file_timer()
    {
        string jfk = AudioTestData.Require(Jfk);
        using var m = new Metrics();
        var o = new CollectionOptions { Metrics = m };
        IReadOnlyList<FileResult> r = Collection.Run(new[] { jfk, jfk }, null, o);
        Assert.All(r, f => Assert.True(f.Ok, f.Message));
        MetricInfo? file = m.Find("collection.file");
        Assert.NotNull(file);
        Assert.Equal(MetricKind.Timer, file!.Value.Kind);
        Assert.Equal(2, m.Timer("collection.file").GetStats().Count); // one per file
        Assert.Contains("collection_file", m.Export(MetricsFormat.Prometheus));
    }

    [TestDataFact(Jfk)]
    public void A_non_ascii_path_round_trips_as_utf8()
    {
        string jfk = AudioTestData.Require(Jfk);
        // a link in the temp folder: the test data is read in place, never copied
        string link = Path.Combine(_dir.Path, "jfk-é-東京.wav");
        File.CreateSymbolicLink(link, jfk);
        FileResult r = Collection.Run(new[] { link }).Single();
        Assert.True(r.Ok, r.Message);
        Assert.Equal(link, r.Path);
        Assert.Contains("jfk-é-東京.wav", r.Json);
    }

    [Fact]
    public void Bad_options_raise_CoreException_naming_the_field()
    {
        var e = Assert.Throws<CoreException>(() => Collection.Run(new[] { Missing }, null,
            new CollectionOptions { SampleRate = 999 }));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("sample_rate", e.LibCoreMessage);

        e = Assert.Throws<CoreException>(() => Collection.Run(new[] { Missing }, null,
            new CollectionOptions { ChunkSamples = 0 }));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("chunk_samples", e.LibCoreMessage);

        e = Assert.Throws<CoreException>(() => Collection.Run(new[] { Missing }, null,
            new CollectionOptions { VadOptions = new VadOptions { Threshold = 2f } }));
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("threshold", e.LibCoreMessage);

        Assert.Throws<ArgumentOutOfRangeException>(() => Collection.Run(new[] { Missing }, null,
            new CollectionOptions { SampleRate = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Collection.Run(new[] { Missing }, null,
            new CollectionOptions { MaxSegments = -1 }));
    }

    [Fact]
    public void Zero_files_give_an_empty_list()
    {
        Assert.Empty(Collection.Run(Array.Empty<string>()));
        Assert.Empty(Collection.Run(new List<string>(), new List<string?>()));
    }

    [Fact]
    public void Bad_arguments_are_refused_before_libcore()
    {
        var e = Assert.Throws<ArgumentException>(() => Collection.Run(new[] { Missing, Missing }, new string?[] { null }));
        Assert.Equal("outputs", e.ParamName);
        Assert.Throws<ArgumentException>(() => Collection.Run(Array.Empty<string>(), new string?[] { null }));
        Assert.Throws<ArgumentNullException>(() => Collection.Run(null!));
        Assert.Throws<ArgumentNullException>(() => Collection.Run(new[] { Missing, null! }));
        Assert.Throws<ArgumentException>(() => Collection.Run(new[] { "a\0b.wav" }));
        Assert.Throws<ArgumentException>(() => Collection.Run(new[] { Missing }, new[] { "a\0.npy" }));
    }

    /// <summary>The header dict of a .npy file (version 1 or 2) and where its data starts.</summary>
    internal static string NpyHeader(byte[] npy, out int dataOffset)
    {
        int major = npy[6];
        int len, start;
        if (major == 1)
        {
            len = BitConverter.ToUInt16(npy, 8);
            start = 10;
        }
        else
        {
            len = (int)BitConverter.ToUInt32(npy, 8);
            start = 12;
        }
        dataOffset = start + len;
        return Encoding.ASCII.GetString(npy, start, len);
    }
}

/// <summary>Collection results at 1 and 2 threads and two chunk sizes: the JSON records
/// and the .npy bytes are identical (the thread count is process-wide).</summary>
[Collection("NumThreads")]
public sealed class CollectionThreadTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [TestDataFact("jfk_16k.wav", "speech_gaps_16k.wav")]
    public void Threads_and_chunks_do_not_change_the_results()
    {
        string[] paths =
        {
            AudioTestData.Require("jfk_16k.wav"), AudioTestData.Require("speech_gaps_16k.wav"),
            Path.Combine(_dir.Path, "missing.wav"), AudioTestData.Require("jfk_16k.wav"),
        };
        (string[] Json, byte[][] Npy) Run(string tag, long chunk)
        {
            string[] outs = Enumerable.Range(0, paths.Length)
                .Select(i => Path.Combine(_dir.Path, $"{tag}-{i}.npy")).ToArray();
            var o = new CollectionOptions { Features = true, ChunkSamples = chunk };
            IReadOnlyList<FileResult> r = Collection.Run(paths, outs, o);
            Assert.Equal(new[] { true, true, false, true }, r.Select(f => f.Ok));
            return (r.Select(f => f.Json).ToArray(),
                    outs.Where(File.Exists).Select(File.ReadAllBytes).ToArray());
        }
        try
        {
            Core.NumThreads = 1;
            var one = Run("T1x", 65536);
            Core.NumThreads = 2;
            var two = Run("T2x", 65536);
            var small = Run("CHx", 4099);
            Assert.Equal(3, one.Npy.Length);
            // the JSON records name their .npy: compare them with the names aligned
            // (upper-case tags: the temp folder's GUID is lower-case hex)
            Assert.Equal(one.Json, two.Json.Select(j => j.Replace("T2x-", "T1x-")));
            Assert.Equal(one.Json, small.Json.Select(j => j.Replace("CHx-", "T1x-")));
            for (int i = 0; i < one.Npy.Length; ++i)
            {
                Assert.Equal(one.Npy[i], two.Npy[i]);
                Assert.Equal(one.Npy[i], small.Npy[i]);
            }
        }
        finally
        {
            Core.NumThreads = 0;
        }
    }
}
