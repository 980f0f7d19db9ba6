using System;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using Xunit;

namespace LibCore.Tests;

/// <summary>Metrics and MetricsSnapshot (metrics.h): registration, recording, the
/// Time helpers and the using scope, queries, snapshots, merges, export, errors,
/// concurrency and disposal.</summary>
public class MetricsTests
{
    [Fact]
    public void Native_layouts_match()
    {
        Assert.Equal(CoreNativePINVOKE.CoreCSharp_SizeOf(6), (ulong)Unsafe.SizeOf<NativeMetricsOptions>());
        Assert.Equal(CoreNativePINVOKE.CoreCSharp_SizeOf(7), (ulong)Unsafe.SizeOf<NativeTimerStats>());
        Assert.Equal(CoreNativePINVOKE.CoreCSharp_SizeOf(8), (ulong)Unsafe.SizeOf<NativeMetricLabel>());
    }

    [Fact]
    public void Now_is_monotonic()
    {
        long a = Metrics.NowNanoseconds();
        long b = Metrics.NowNanoseconds();
        Assert.True(a > 0);
        Assert.True(b >= a);
    }

    [Fact]
    public void Registration_returns_ids_in_order_and_is_idempotent()
    {
        using var m = new Metrics();
        Timer t = m.Timer("lid.encoder_forward", "Encoder forward pass");
        Counter c = m.Counter("requests");
        Gauge g = m.Gauge("queue_depth");
        Assert.Equal(0u, t.Id);
        Assert.Equal(1u, c.Id);
        Assert.Equal(2u, g.Id);
        Assert.Equal("lid.encoder_forward", t.Name);
        Assert.Equal(t.Id, m.Timer("lid.encoder_forward").Id);
        Timer labelled = m.Timer("lid.encoder_forward", null, ("lang", "en"));
        Assert.Equal(3u, labelled.Id);
        Assert.Equal(4, m.Count);
        Assert.Equal(new MetricInfo(1, MetricKind.Counter), m.Find("requests"));
        Assert.Equal(new MetricInfo(0, MetricKind.Timer), m.Find("lid.encoder_forward"));
        Assert.Null(m.Find("nope"));
        Assert.Equal("Metrics(Count=4)", m.ToString());
    }

    [Fact]
    public void Options_are_applied_and_checked()
    {
        using var m = new Metrics(lowestNanoseconds: 1, highestNanoseconds: 1_000_000, significantDigits: 3,
                                  maxMetrics: 2, prometheusBuckets: new[] { 0.0001, 0.001 });
        Timer t = m.Timer("t");
        t.RecordNanoseconds(5_000_000); // above highest: clamped and counted
        TimerStats s = t.GetStats();
        Assert.Equal(1, s.Count);
        Assert.Equal(1_000_000, s.MaxNanoseconds);
        Assert.Equal(1, s.Overflows);
        m.Counter("c");
        var full = Assert.Throws<CoreException>(() => m.Gauge("g"));
        Assert.Equal(CoreStatus.Full, full.Status);
        Assert.Contains("le=\"0.001\"", m.Export());
        Assert.Equal(CoreStatus.InvalidArgument, Assert.Throws<CoreException>(() => new Metrics(significantDigits: 9)).Status);
        Assert.Equal(CoreStatus.InvalidArgument, Assert.Throws<CoreException>(() => new Metrics(lowestNanoseconds: 0)).Status);
        Assert.Equal(CoreStatus.InvalidArgument,
            Assert.Throws<CoreException>(() => new Metrics(prometheusBuckets: new[] { 2.0, 1.0 })).Status);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Metrics(maxMetrics: -1));
    }

    [Fact]
    public void Record_and_stats()
    {
        using var m = new Metrics();
        Timer t = m.Timer("t");
        Assert.Equal(default(TimerStats), t.GetStats());
        t.RecordNanoseconds(100);
        t.RecordNanoseconds(300);
        t.RecordNanoseconds(-5); // recorded as 0, counted
        t.Record(TimeSpan.FromTicks(2)); // 200 ns
        TimerStats s = t.GetStats();
        Assert.Equal(4, s.Count);
        Assert.Equal(600UL, s.SumNanoseconds);
        Assert.Equal(0, s.MinNanoseconds);
        Assert.Equal(300, s.MaxNanoseconds);
        Assert.Equal(150.0, s.MeanNanoseconds, 6);
        Assert.True(s.StddevNanoseconds > 0);
        Assert.Equal(1, s.Underflows);
        Assert.Equal(0, s.Overflows);
    }

    [Fact]
    public void Percentiles_on_known_data()
    {
        using var m = new Metrics();
        Timer t = m.Timer("p");
        Assert.False(t.TryPercentile(0.5, out _));
        Assert.Equal(CoreStatus.Empty, Assert.Throws<CoreException>(() => t.Percentile(0.5)).Status);
        for (int i = 1; i <= 1000; ++i)
            t.RecordNanoseconds(i * 1000L); // 1 us .. 1 ms
        Assert.Equal(1000, t.Percentile(0));
        Assert.Equal(1_000_000, t.Percentile(1));
        foreach (double q in new[] { 0.5, 0.9, 0.99 })
        {
            double exact = Math.Ceiling(q * 1000) * 1000;
            Assert.InRange(t.Percentile(q), exact * 0.99, exact * 1.01);
        }
        Assert.True(t.TryPercentile(0.5, out long p50));
        Assert.Equal(t.Percentile(0.5), p50);
        Assert.Equal(CoreStatus.InvalidArgument, Assert.Throws<CoreException>(() => t.Percentile(1.5)).Status);
        Assert.Equal(CoreStatus.InvalidArgument, Assert.Throws<CoreException>(() => t.Percentile(double.NaN)).Status);
    }

    [Fact]
    public void Time_action_records()
    {
        using var m = new Metrics();
        Timer t = m.Timer("work");
        t.Time(() => System.Threading.Thread.Sleep(2));
        TimerStats s = t.GetStats();
        Assert.Equal(1, s.Count);
        Assert.True(s.MinNanoseconds >= 1_000_000, $"{s.MinNanoseconds}");
    }

    [Fact]
    public void Time_func_returns_its_result_and_records()
    {
        using var m = new Metrics();
        Timer t = m.Timer("work");
        Assert.Equal(42, t.Time(() => 42));
        Assert.Equal("x", t.Time(() => "x"));
        Assert.Equal(2, t.GetStats().Count);
    }

    [Fact]
    public void Time_records_and_propagates_an_exception()
    {
        using var m = new Metrics();
        Timer t = m.Timer("fails");
        var e = Assert.Throws<InvalidOperationException>(() => t.Time(() => throw new InvalidOperationException("boom")));
        Assert.Equal("boom", e.Message);
        Assert.Throws<FormatException>(() => t.Time<int>(() => throw new FormatException()));
        Assert.Equal(2, t.GetStats().Count);
        Assert.Throws<ArgumentNullException>(() => t.Time(null!));
        Assert.Throws<ArgumentNullException>(() => t.Time<int>(null!));
    }

    [Fact]
    public void Using_scope_records_once_on_dispose()
    {
        using var m = new Metrics();
        Timer t = m.Timer("scope");
        using (t.Start())
        {
            System.Threading.Thread.Sleep(1);
        }
        Assert.Equal(1, t.GetStats().Count);
        Assert.True(t.GetStats().MinNanoseconds >= 500_000);
        TimerScope scope = t.Start();
        Assert.True(scope.ElapsedNanoseconds >= 0);
        scope.Dispose();
        scope.Dispose(); // once per scope
        Assert.Equal(2, t.GetStats().Count);
        try
        {
            using (t.Start())
                throw new InvalidOperationException();
        }
        catch (InvalidOperationException)
        {
        }
        Assert.Equal(3, t.GetStats().Count);
        default(TimerScope).Dispose(); // a default scope does nothing
    }

    [Fact]
    public void Counters_and_gauges()
    {
        using var m = new Metrics();
        Counter c = m.Counter("hits");
        c.Increment();
        c.Add(41);
        c.Add();
        Assert.Equal(43, c.Value);
        Assert.Throws<ArgumentOutOfRangeException>(() => c.Add(-1));
        Gauge g = m.Gauge("depth");
        Assert.Equal(0.0, g.Value);
        g.Set(2.5);
        g.Add(-1.0);
        Assert.Equal(1.5, g.Value);
        Assert.Equal(CoreStatus.InvalidArgument, Assert.Throws<CoreException>(() => g.Set(double.NaN)).Status);
        Assert.Equal(CoreStatus.InvalidArgument, Assert.Throws<CoreException>(() => g.Add(double.PositiveInfinity)).Status);
        Assert.Equal(1.5, g.Value);
    }

    [Fact]
    public void Snapshot_queries_and_reset()
    {
        using var m = new Metrics();
        Timer t = m.Timer("t");
        Counter c = m.Counter("c");
        Gauge g = m.Gauge("g");
        for (int i = 1; i <= 100; ++i)
            t.RecordNanoseconds(i);
        c.Add(7);
        g.Set(3);
        using (MetricsSnapshot s = m.Snapshot())
        {
            Assert.Equal(3, s.Count);
            Assert.Equal(100, s.GetTimerStats(t).Count);
            Assert.Equal(100, s.GetTimerStats(t.Id).MaxNanoseconds);
            Assert.Equal(50, s.Percentile(t, 0.5));
            Assert.Equal(7, s.GetCounter(c));
            Assert.Equal(3.0, s.GetGauge(g));
            Assert.Equal(new MetricInfo(2, MetricKind.Gauge), s.Find("g"));
            Assert.Null(s.Find("none"));
            Assert.Equal(CoreStatus.InvalidArgument, Assert.Throws<CoreException>(() => s.GetCounter(t.Id)).Status);
            Assert.Equal("MetricsSnapshot(Count=3)", s.ToString());
        }
        t.RecordNanoseconds(1000);
        using (MetricsSnapshot s = m.SnapshotAndReset())
        {
            Assert.Equal(101, s.GetTimerStats(t).Count);
            Assert.Equal(7, s.GetCounter(c));
        }
        Assert.Equal(0, t.GetStats().Count); // timers reset
        Assert.Equal(7, c.Value);            // counters are not
        using MetricsSnapshot empty = m.Snapshot();
        Assert.False(empty.TryPercentile(t.Id, 0.5, out _));
        Assert.Equal(CoreStatus.Empty, Assert.Throws<CoreException>(() => empty.Percentile(t.Id, 0.5)).Status);
    }

    [Fact]
    public void Merges()
    {
        using var a = new Metrics();
        using var b = new Metrics();
        a.Timer("t").RecordNanoseconds(10);
        a.Counter("c").Add(1);
        b.Timer("t").RecordNanoseconds(20);
        b.Counter("c").Add(2);
        b.Gauge("only_b").Set(5);
        a.Merge(b);
        Assert.Equal(2, a.Timer("t").GetStats().Count);
        Assert.Equal(3, a.Counter("c").Value);
        Assert.Equal(5.0, a.Gauge("only_b").Value);

        using MetricsSnapshot sb = b.Snapshot();
        a.Merge(sb);
        Assert.Equal(5, a.Counter("c").Value);

        using MetricsSnapshot sa = a.Snapshot();
        sa.Merge(sb);
        Assert.Equal(7, sa.GetCounter(sa.Find("c")!.Value.Id));
        Assert.Equal(CoreStatus.InvalidArgument, Assert.Throws<CoreException>(() => sa.Merge(sa)).Status);
        Assert.Equal(CoreStatus.InvalidArgument, Assert.Throws<CoreException>(() => a.Merge(a)).Status);

        using var conflict = new Metrics();
        conflict.Gauge("c"); // c is a counter in a
        Assert.Equal(CoreStatus.InvalidArgument, Assert.Throws<CoreException>(() => a.Merge(conflict)).Status);
        Assert.Equal(5, a.Counter("c").Value); // unchanged
        Assert.Throws<ArgumentNullException>(() => a.Merge((Metrics)null!));
        Assert.Throws<ArgumentNullException>(() => a.Merge((MetricsSnapshot)null!));
        Assert.Throws<ArgumentNullException>(() => sa.Merge(null!));
    }

    [Fact]
    public void Export_prometheus_has_sanitized_names()
    {
        using var m = new Metrics();
        Timer t = m.Timer("lid.encoder_forward", "Encoder \"forward\"", ("model", "v1\n2"));
        t.RecordNanoseconds(1_500_000);
        m.Counter("requests").Add(3);
        m.Gauge("queue.depth").Set(2);
        string text = m.Export();
        Assert.Contains("# TYPE lid_encoder_forward_seconds histogram", text);
        Assert.Contains("lid_encoder_forward_seconds_bucket{model=\"v1\\n2\",le=\"+Inf\"} 1", text);
        Assert.Contains("lid_encoder_forward_seconds_count{model=\"v1\\n2\"} 1", text);
        Assert.Contains("requests_total 3", text);
        Assert.Contains("queue_depth 2", text);
        string summary = m.Export(MetricsFormat.Prometheus, summary: true);
        Assert.Contains("# TYPE lid_encoder_forward_seconds summary", summary);
        Assert.Contains("quantile=\"0.99\"", summary);
        Assert.Contains("\"timers\"", m.Export(MetricsFormat.Json, summary: true)); // ignored there
        Assert.Equal(CoreStatus.InvalidArgument, Assert.Throws<CoreException>(() => m.Export((MetricsFormat)9)).Status);
    }

    [Fact]
    public void Export_json_table_and_snapshot()
    {
        using var m = new Metrics();
        m.Timer("stage.a").RecordNanoseconds(2000);
        string json = m.Export(MetricsFormat.Json);
        Assert.StartsWith("{", json);
        Assert.Contains("\"timers\"", json);
        Assert.Contains("stage_a_seconds", json);
        string table = m.Export(MetricsFormat.Table);
        Assert.Contains("stage.a", table);
        using MetricsSnapshot s = m.Snapshot();
        Assert.Contains("stage_a_seconds_count 1", s.Export());
        Assert.Contains("\"timers\"", s.Export(MetricsFormat.Json));
    }

    [Fact]
    public void Export_grows_past_the_first_guess()
    {
        using var m = new Metrics();
        for (int i = 0; i < 300; ++i)
            m.Timer("timer_number_" + i, "help text " + new string('x', 40)).RecordNanoseconds(i);
        string text = m.Export();
        Assert.True(text.Length > 100_000, $"{text.Length}");
        Assert.EndsWith("\n", text);
        Assert.Contains("timer_number_299_seconds_count 1", text);
        Assert.Equal(text.Length, m.Export().Length); // the second call starts from the hint
    }

    [Fact]
    public void Concurrent_recording_totals_are_exact()
    {
        using var m = new Metrics();
        Timer t = m.Timer("conc");
        Counter c = m.Counter("conc_n");
        Gauge g = m.Gauge("conc_g");
        const int Threads = 4, PerThread = 50_000;
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, k =>
        {
            for (int i = 0; i < PerThread; ++i)
            {
                t.RecordNanoseconds(i % 1000);
                c.Increment();
                g.Add(1);
            }
        });
        TimerStats s = t.GetStats();
        Assert.Equal(Threads * PerThread, s.Count);
        Assert.Equal((ulong)Threads * (ulong)Enumerable.Range(0, PerThread).Sum(i => (long)(i % 1000)), s.SumNanoseconds);
        Assert.Equal(Threads * PerThread, c.Value);
        Assert.Equal(Threads * PerThread, g.Value);
    }

    [Fact]
    public void Collisions_are_core_exceptions()
    {
        using var m = new Metrics();
        m.Timer("a.b");
        var e = Assert.Throws<CoreException>(() => m.Timer("a_b")); // both export as a_b_seconds
        Assert.Equal(CoreStatus.InvalidArgument, e.Status);
        Assert.Contains("a.b", e.Message);
        m.Counter("hits");
        Assert.Equal(CoreStatus.InvalidArgument, Assert.Throws<CoreException>(() => m.Gauge("hits_total")).Status);
        Assert.Equal(CoreStatus.InvalidArgument, Assert.Throws<CoreException>(() => m.Gauge("hits")).Status); // other kind
        Assert.Equal(CoreStatus.InvalidArgument, Assert.Throws<CoreException>(() => m.Timer("...")).Status);
        Assert.Equal(CoreStatus.InvalidArgument, Assert.Throws<CoreException>(() => m.Timer("")).Status);
        Assert.Equal(CoreStatus.InvalidArgument, Assert.Throws<CoreException>(() => m.Timer(new string('x', 201))).Status);
        Assert.Equal(CoreStatus.InvalidArgument, Assert.Throws<CoreException>(() => m.Timer("l", null, ("le", "1"))).Status);
        Assert.Equal(CoreStatus.InvalidArgument, Assert.Throws<CoreException>(() => m.Timer("l", null, ("1bad", "1"))).Status);
        Assert.Equal(CoreStatus.InvalidArgument,
            Assert.Throws<CoreException>(() => m.Timer("l", null, ("a", "1"), ("a", "2"))).Status);
        var nine = Enumerable.Range(0, 9).Select(i => ("k" + i, "v")).ToArray();
        Assert.Equal(CoreStatus.InvalidArgument, Assert.Throws<CoreException>(() => m.Timer("l", null, nine)).Status);
        Assert.Equal(2, m.Count); // nothing half-registered
    }

    [Fact]
    public void Null_arguments()
    {
        using var m = new Metrics();
        Assert.Throws<ArgumentNullException>(() => m.Timer(null!));
        Assert.Throws<ArgumentNullException>(() => m.Counter(null!));
        Assert.Throws<ArgumentNullException>(() => m.Gauge(null!));
        Assert.Throws<ArgumentNullException>(() => m.Timer("t", null, null!));
        Assert.Throws<ArgumentNullException>(() => m.Timer("t", null, ("k", null!)));
        Assert.Throws<ArgumentNullException>(() => m.Find(null!));
        using MetricsSnapshot s = m.Snapshot();
        Assert.Throws<ArgumentNullException>(() => s.Find(null!));
        Assert.Throws<InvalidOperationException>(() => default(Timer).RecordNanoseconds(1));
        Assert.Throws<InvalidOperationException>(() => default(Counter).Add(1));
        Assert.Throws<InvalidOperationException>(() => default(Gauge).Set(1));
    }

    [Fact]
    public void Wrong_kind_of_id()
    {
        using var m = new Metrics();
        m.Timer("t");
        using var other = new Metrics();
        Counter c = other.Counter("c0"); // id 0, a timer in m
        Assert.Equal(CoreStatus.InvalidArgument,
            Assert.Throws<CoreException>(() => { using MetricsSnapshot s = m.Snapshot(); s.GetCounter(c); }).Status);
        Assert.Equal(CoreStatus.InvalidArgument,
            Assert.Throws<CoreException>(() => { using MetricsSnapshot s = m.Snapshot(); s.GetGauge(5); }).Status);
    }

    [Fact]
    public void Double_dispose_and_use_after_dispose()
    {
        var m = new Metrics();
        Timer t = m.Timer("t");
        Counter c = m.Counter("c");
        Gauge g = m.Gauge("g");
        MetricsSnapshot s = m.Snapshot();
        TimerScope scope = t.Start();
        m.Dispose();
        m.Dispose();
        Assert.True(m.IsDisposed);
        Assert.Equal("Metrics(disposed)", m.ToString());
        Assert.Throws<ObjectDisposedException>(() => t.RecordNanoseconds(1));
        Assert.Throws<ObjectDisposedException>(() => t.Time(() => { }));
        Assert.Throws<ObjectDisposedException>(() => t.GetStats());
        Assert.Throws<ObjectDisposedException>(() => t.Percentile(0.5));
        Assert.Throws<ObjectDisposedException>(() => scope.Dispose());
        Assert.Throws<ObjectDisposedException>(() => c.Add(1));
        Assert.Throws<ObjectDisposedException>(() => c.Value);
        Assert.Throws<ObjectDisposedException>(() => g.Set(1));
        Assert.Throws<ObjectDisposedException>(() => g.Value);
        Assert.Throws<ObjectDisposedException>(() => m.Timer("x"));
        Assert.Throws<ObjectDisposedException>(() => m.Count);
        Assert.Throws<ObjectDisposedException>(() => m.Find("t"));
        Assert.Throws<ObjectDisposedException>(() => m.Snapshot());
        Assert.Throws<ObjectDisposedException>(() => m.SnapshotAndReset());
        Assert.Throws<ObjectDisposedException>(() => m.Export());
        using var live = new Metrics();
        Assert.Throws<ObjectDisposedException>(() => live.Merge(m));
        Assert.Throws<ObjectDisposedException>(() => m.Merge(live));

        // the snapshot outlives its registry
        Assert.Equal(3, s.Count);
        s.Dispose();
        s.Dispose();
        Assert.True(s.IsDisposed);
        Assert.Equal("MetricsSnapshot(disposed)", s.ToString());
        Assert.Throws<ObjectDisposedException>(() => s.Count);
        Assert.Throws<ObjectDisposedException>(() => s.Export());
        Assert.Throws<ObjectDisposedException>(() => s.GetTimerStats(0));
        Assert.Throws<ObjectDisposedException>(() => live.Merge(s));
    }

    [Fact]
    public async Task Dispose_racing_recorders_never_crashes()
    {
        for (int round = 0; round < 20; ++round)
        {
            var m = new Metrics();
            Timer t = m.Timer("race");
            var tasks = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
            {
                try
                {
                    for (int i = 0; i < 100_000; ++i)
                        t.RecordNanoseconds(i);
                }
                catch (ObjectDisposedException)
                {
                }
            })).ToArray();
            m.Dispose();
            await Task.WhenAll(tasks);
        }
    }
}
