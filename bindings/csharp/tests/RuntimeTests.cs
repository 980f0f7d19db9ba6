using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Xunit;

namespace LibCore.Tests;

/// <summary>Tests that change the process-wide thread count run one at a time.</summary>
[CollectionDefinition("NumThreads", DisableParallelization = true)]
public class NumThreadsCollection
{
}

[Collection("NumThreads")]
public class RuntimeTests
{
    [Fact]
    public void Version_is_the_one_the_binding_was_built_for()
    {
        Assert.Matches(new Regex(@"^\d+\.\d+\.\d+$"), Core.Version);
        Assert.Equal(Core.BindingVersion, Core.Version);
    }

    [Fact]
    public void VersionNumber_matches_the_version_string()
    {
        int[] p = Core.Version.Split('.').Select(int.Parse).ToArray();
        Assert.Equal(p[0] * 10000 + p[1] * 100 + p[2], Core.VersionNumber);
    }

    [Fact]
    public void AbiVersion_is_1() => Assert.Equal(1, Core.AbiVersion);

    [Fact]
    public void SimdTarget_is_a_highway_name_and_stable()
    {
        string t = Core.SimdTarget;
        Assert.Matches(new Regex("^[A-Z][A-Z0-9_]*$"), t);
        Assert.Equal(t, Core.SimdTarget);
    }

    [Fact]
    public void NumThreads_set_get_and_default()
    {
        try
        {
            Core.NumThreads = 0;
            int all = Core.NumThreads;
            Assert.InRange(all, 1, Math.Max(Environment.ProcessorCount, 1024));
            Core.NumThreads = 1;
            Assert.Equal(1, Core.NumThreads);
            Core.NumThreads = 2;
            Assert.Equal(2, Core.NumThreads);
            Core.NumThreads = 0; // back to the default: every CPU available
            Assert.Equal(all, Core.NumThreads);
        }
        finally
        {
            Core.NumThreads = 0;
        }
    }

    [Fact]
    public void NumThreads_negative_is_a_CoreException_with_libcore_message()
    {
        int before = Core.NumThreads;
        var e = Assert.Throws<CoreException>(() => Core.NumThreads = -1);
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("core_set_num_threads", e.LibCoreMessage);
        Assert.Equal(before, Core.NumThreads);
    }

    [Theory]
    [InlineData(CoreStatus.Ok, "CORE_OK", 0)]
    [InlineData(CoreStatus.InvalidArgument, "CORE_E_INVALID_ARGUMENT", 1)]
    [InlineData(CoreStatus.OutOfMemory, "CORE_E_OUT_OF_MEMORY", 2)]
    [InlineData(CoreStatus.BufferTooSmall, "CORE_E_BUFFER_TOO_SMALL", 3)]
    [InlineData(CoreStatus.Full, "CORE_E_FULL", 4)]
    [InlineData(CoreStatus.Empty, "CORE_E_EMPTY", 5)]
    [InlineData(CoreStatus.NotFound, "CORE_E_NOT_FOUND", 6)]
    [InlineData(CoreStatus.Io, "CORE_E_IO", 7)]
    [InlineData(CoreStatus.Format, "CORE_E_FORMAT", 8)]
    [InlineData(CoreStatus.Unsupported, "CORE_E_UNSUPPORTED", 9)]
    [InlineData(CoreStatus.Unavailable, "CORE_E_UNAVAILABLE", 10)]
    [InlineData(CoreStatus.Internal, "CORE_E_INTERNAL", 11)]
    public void Status_values_are_pinned_and_named(CoreStatus status, string name, int value)
    {
        Assert.Equal(value, (int)status);
        Assert.Equal(name, Core.StatusName(status));
    }

    [Fact]
    public void StatusName_of_an_unknown_value()
    {
        Assert.Equal("CORE_E_UNKNOWN", Core.StatusName((CoreStatus)12));
        Assert.Equal("CORE_E_UNKNOWN", Core.StatusName((CoreStatus)(-1)));
    }

    [Fact]
    public void NanPolicy_values_are_pinned()
    {
        Assert.Equal(0, (int)NanPolicy.Propagate);
        Assert.Equal(1, (int)NanPolicy.Omit);
    }

    [Fact]
    public void Stats_has_the_layout_of_core_stats_t()
    {
        Assert.Equal(56, Marshal.SizeOf<Stats>());
        Assert.Equal(56, Unsafe.SizeOf<Stats>());
        Assert.Equal(8, (int)Marshal.OffsetOf<Stats>("_nanCount"));
        Assert.Equal(16, (int)Marshal.OffsetOf<Stats>("_min"));
        Assert.Equal(48, (int)Marshal.OffsetOf<Stats>("_m2"));
    }
}

public class LoaderTests
{
    [Fact]
    public void Loaded_from_the_configured_path()
    {
        string? env = Environment.GetEnvironmentVariable(NativeLibraryLoader.PathVariable);
        Assert.False(string.IsNullOrEmpty(env), "meson sets LIBCORE_CSHARP_LIBRARY for the tests");
        Assert.Equal(env, Core.NativeLibraryPath);
    }

    [Fact]
    public void The_variable_when_set_is_the_only_place_tried()
    {
        var c = NativeLibraryLoader.Candidates("/x/libcore_csharp.so", "/a", "/b", "/c");
        Assert.Single(c);
        Assert.Equal("/x/libcore_csharp.so", c[0].Path);
    }

    [Fact]
    public void Without_the_variable_every_place_is_tried_in_order()
    {
        var c = NativeLibraryLoader.Candidates(null, "/a", "/b/", "/usr/lib");
        Assert.Equal(new[]
        {
            "/a/libcore_csharp.so", "/a/runtimes/linux-x64/native/libcore_csharp.so",
            "/b/libcore_csharp.so", "/usr/lib/libcore_csharp.so", "libcore_csharp.so",
        }, c.Select(x => x.Path));
        Assert.True(c[^1].IsBareName);
        // the same directory twice is tried once
        Assert.Equal(3, NativeLibraryLoader.Candidates(null, "/a", "/a", null).Count);
    }

    [Fact]
    public void Failure_report_names_each_place_and_why()
    {
        string dir = Path.Combine(Path.GetTempPath(), "libcore-loader-" + Guid.NewGuid());
        Directory.CreateDirectory(dir);
        try
        {
            string junk = Path.Combine(dir, "libcore_csharp.so");
            File.WriteAllText(junk, "not an ELF file");
            var candidates = new[]
            {
                new NativeLibraryLoader.Candidate("/nonexistent/libcore_csharp.so", "first"),
                new NativeLibraryLoader.Candidate(junk, "second"),
            };
            IntPtr h = NativeLibraryLoader.TryLoad(candidates, out string? from, out string report);
            Assert.Equal(IntPtr.Zero, h);
            Assert.Null(from);
            Assert.Contains("1. /nonexistent/libcore_csharp.so (first): no such file", report);
            Assert.Contains($"2. {junk} (second): ", report);
            Assert.Contains("LIBCORE_CSHARP_LIBRARY", report);
            Assert.Contains("libcore.so.1", report);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}

public class CoverageTests
{
    /// <summary>Every function the whitelist in bindings/core.i wraps, each used
    /// by the public layer. A function added to the whitelist fails this test
    /// until the C# surface covers it.</summary>
    private static readonly string[] Wrapped =
    {
        "core_version", "core_version_number", "core_abi_version", "core_status_str",
        "core_last_error_message", "core_simd_target", "core_set_num_threads", "core_get_num_threads",
        "core_arange_len", "core_arange_f32", "core_arange_f64", "core_linspace_f32", "core_linspace_f64",
        "core_fill_f32", "core_fill_f64", "core_zeros_f32", "core_zeros_f64", "core_ones_f32", "core_ones_f64",
        "core_concat_len", "core_concat_f32", "core_concat_f64", "core_cumsum_f32", "core_cumsum_f64",
        "core_normalize_f32", "core_normalize_f64", "core_normal_pdf_f32", "core_normal_pdf_f64",
        "core_pcm16_to_f32", "core_pcm16_to_f64", "core_f32_to_pcm16", "core_f64_to_pcm16",
        "core_stats_f32", "core_stats_f64", "core_stats_merge", "core_stats_var", "core_stats_std",
        "core_min_f32", "core_min_f64", "core_max_f32", "core_max_f64", "core_mean_f32", "core_mean_f64",
        "core_var_f32", "core_var_f64", "core_std_f32", "core_std_f64", "core_dot_f32", "core_dot_f64",
        "core_corrcoef_f32", "core_corrcoef_f64", "core_energy_f32", "core_energy_f64",
        "core_rms_f32", "core_rms_f64", "core_zero_crossing_rate_f32", "core_zero_crossing_rate_f64",
        "core_percentile_f32", "core_percentile_f64",
        "core_batch_stats_f32", "core_batch_stats_f64", "core_stats_frames_len",
        "core_stats_frames_f32", "core_stats_frames_f64", "core_stats_acc_init",
        "core_stats_acc_push_f32", "core_stats_acc_push_f64", "core_stats_acc_merge",
        "core_stats_acc_result", "core_stats_file_f32",
        "core_ring_options_init", "core_ring_create", "core_ring_destroy", "core_ring_append_f32",
        "core_ring_append_i16", "core_ring_wait_writable", "core_ring_read", "core_ring_read_all",
        "core_ring_read_latest", "core_ring_regions", "core_ring_consume", "core_ring_pop",
        "core_ring_clear", "core_ring_wait_readable", "core_ring_size", "core_ring_space",
        "core_ring_capacity", "core_ring_dropped", "core_ring_is_mirrored", "core_ring_get_policy",
        "core_cache_key_bytes", "core_cache_key_audio", "core_cache_options_init", "core_cache_create",
        "core_cache_destroy", "core_cache_entry_bytes", "core_cache_shards", "core_cache_put",
        "core_cache_get", "core_cache_contains", "core_cache_remove", "core_cache_clear",
        "core_cache_writer_put", "core_cache_get_or_compute", "core_cache_stats",
        "core_cache_stats_reset", "core_cache_save", "core_cache_load",
        "core_now_ns", "core_metrics_options_init", "core_metrics_create", "core_metrics_destroy",
        "core_metrics_timer", "core_metrics_counter", "core_metrics_gauge", "core_metrics_count",
        "core_metrics_record_ns", "core_metrics_start", "core_metrics_stop", "core_metrics_counter_add",
        "core_metrics_gauge_set", "core_metrics_gauge_add", "core_metrics_find", "core_metrics_counter_get",
        "core_metrics_gauge_get", "core_metrics_timer_stats", "core_metrics_percentile",
        "core_metrics_snapshot", "core_metrics_snapshot_and_reset", "core_metrics_snapshot_destroy",
        "core_metrics_snapshot_count", "core_metrics_snapshot_find", "core_metrics_snapshot_counter",
        "core_metrics_snapshot_gauge", "core_metrics_snapshot_timer_stats",
        "core_metrics_snapshot_percentile", "core_metrics_snapshot_merge", "core_metrics_merge_snapshot",
        "core_metrics_merge", "core_metrics_export", "core_metrics_snapshot_export",
        "core_logmel_options_init", "core_logmel_create", "core_logmel_destroy", "core_logmel_frames",
        "core_logmel_filters", "core_logmel_compute", "core_logmel_compute_batch",
        "core_logmel_stream_create", "core_logmel_stream_destroy", "core_logmel_stream_push",
        "core_logmel_stream_flush", "core_logmel_stream_read", "core_logmel_stream_available",
        "core_logmel_stream_reset", "core_vad_options_init", "core_vad_options_preset", "core_vad_create",
        "core_vad_destroy", "core_vad_push", "core_vad_flush", "core_vad_next_segment",
        "core_vad_open_segment", "core_vad_reset", "core_vad_segments", "core_audio_info", "core_audio_read",
        "core_audio_open", "core_audio_reader_read", "core_audio_reader_info", "core_audio_reader_length",
        "core_audio_reader_close",
        "core_batcher_options_init", "core_batcher_create", "core_batcher_destroy", "core_batcher_add",
        "core_batcher_next", "core_batcher_flush", "core_batcher_pending", "core_batcher_next_deadline",
        "core_pipeline_options_init", "core_pipeline_create", "core_pipeline_destroy", "core_pipeline_push_f32",
        "core_pipeline_push_i16", "core_pipeline_flush", "core_pipeline_next_event",
        "core_pipeline_submit_embedding", "core_pipeline_stats", "core_pipeline_metrics",
        "core_collection_options_init", "corebind_collection_new", "corebind_collection_free",
        "corebind_collection_add", "corebind_collection_run", "corebind_collection_count",
        "corebind_collection_json", "corebind_collection_path", "corebind_collection_status",
        "corebind_collection_message", "corebind_collection_duration", "corebind_collection_speech",
        "corebind_collection_rms", "corebind_collection_samples", "corebind_collection_mel_frames",
        "corebind_collection_segments",
    };

    [Fact]
    public void The_generated_layer_is_exactly_the_whitelist()
    {
        var generated = typeof(Stats).Assembly.GetType("LibCore.CoreNative", throwOnError: true)!
            .GetMethods(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public)
            .Select(m => m.Name).OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(Wrapped.OrderBy(n => n, StringComparer.Ordinal), generated);
    }
}
