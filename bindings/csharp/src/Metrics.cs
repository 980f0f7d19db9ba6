using System;
using System.Runtime.InteropServices;
using System.Text;

namespace LibCore;

/// <summary>
/// A registry of named latency timers (nanosecond histograms), counters and gauges
/// (metrics.h), exported as Prometheus text, JSON or a table.
/// </summary>
/// <remarks>
/// Register once (<see cref="Timer"/>, <see cref="Counter"/>, <see cref="Gauge"/>) and keep
/// the returned handle: recording through it is lock-free, allocates nothing and never
/// touches the name. Every member may run on any number of threads at once.
/// <see cref="Dispose"/> may race with calls in flight: the native registry is released
/// when the last of them returns (a SafeHandle reference per call), and every call that
/// starts after Dispose throws <see cref="ObjectDisposedException"/>.
/// </remarks>
public sealed class Metrics : IDisposable
{
    /// <summary>Most labels a metric can have (CORE_METRICS_MAX_LABELS).</summary>
    public const int MaxLabels = 8;

    /// <summary>Longest metric name in UTF-8 bytes (CORE_METRICS_MAX_NAME).</summary>
    public const int MaxNameBytes = 200;

    private readonly MetricsHandle _handle;
    private volatile bool _disposed;
    private int _exportHint = 4096;

    /// <summary>Creates an empty registry (core_metrics_create). A null argument keeps
    /// the library's default.</summary>
    /// <param name="lowestNanoseconds">Lowest discernible value, >= 1 (default 1).</param>
    /// <param name="highestNanoseconds">Highest trackable value, >= 2 * lowest and
    /// &lt;= 2^62 (default one hour); larger values are clamped and counted.</param>
    /// <param name="significantDigits">1 .. 5 (default 2: a reported value is within
    /// 1% of a recorded one).</param>
    /// <param name="maxMetrics">Metrics the registry can hold, 1 .. 65536 (default 1024).</param>
    /// <param name="prometheusBuckets">Prometheus le boundaries in seconds, strictly
    /// increasing, finite and > 0, at most 64 (default 1, 2.5, 5 x each power of ten from
    /// 1 us to 50 s, then 100 s).</param>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> for an
    /// option out of range; <see cref="CoreStatus.OutOfMemory"/>.</exception>
    public unsafe Metrics(long? lowestNanoseconds = null, long? highestNanoseconds = null,
                          int? significantDigits = null, int? maxMetrics = null,
                          double[]? prometheusBuckets = null)
    {
        NativeMetricsOptions options;
        CoreNative.core_metrics_options_init(&options);
        if (lowestNanoseconds is long lo)
            options.LowestNs = (ulong)NonNegative(lo, nameof(lowestNanoseconds));
        if (highestNanoseconds is long hi)
            options.HighestNs = (ulong)NonNegative(hi, nameof(highestNanoseconds));
        if (significantDigits is int d)
            options.SignificantDigits = d;
        if (maxMetrics is int max)
            options.MaxMetrics = (ulong)NonNegative(max, nameof(maxMetrics));
        var handle = new MetricsHandle();
        IntPtr m = IntPtr.Zero;
        fixed (double* buckets = prometheusBuckets)
        {
            if (prometheusBuckets is not null)
            {
                options.PromBuckets = buckets;
                options.PromBucketCount = (ulong)prometheusBuckets.Length;
            }
            try
            {
                CoreNative.core_metrics_create(&options, &m);
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }
        handle.Attach(m);
        _handle = handle;
    }

    /// <summary>CLOCK_MONOTONIC in nanoseconds, any fixed epoch, never decreasing
    /// (core_now_ns).</summary>
    public static long NowNanoseconds() => unchecked((long)CoreNative.core_now_ns());

    // ---- registration ----------------------------------------------------------------

    /// <summary>Registers (or finds) a timer (core_metrics_timer). Registering the same
    /// name and labels again returns the same timer; the help of the first call is kept.</summary>
    /// <param name="name">Any non-empty UTF-8 name up to 200 bytes; exported with
    /// characters outside [a-zA-Z0-9_:] as '_' and "_seconds" appended.</param>
    /// <param name="help">The HELP text, or null for "timer &lt;name&gt;".</param>
    /// <param name="labels">Up to 8 (name, value) pairs fixed for this series.</param>
    /// <exception cref="ArgumentNullException">name, labels, or a label string is null.</exception>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> for a bad
    /// or colliding name (the message names the other metric), another kind under the
    /// name, or bad labels; <see cref="CoreStatus.Full"/> when the registry is full.</exception>
    /// <exception cref="ObjectDisposedException">The registry was disposed.</exception>
    public Timer Timer(string name, string? help = null, params (string Name, string Value)[] labels) =>
        new Timer(this, Register(MetricKind.Timer, name, help, labels), name);

    /// <summary>Registers (or finds) a counter (core_metrics_counter); exported with
    /// "_total" appended. Arguments and errors as <see cref="Timer"/>.</summary>
    /// <param name="name">The metric name.</param>
    /// <param name="help">The HELP text, or null.</param>
    /// <param name="labels">Up to 8 (name, value) pairs.</param>
    public Counter Counter(string name, string? help = null, params (string Name, string Value)[] labels) =>
        new Counter(this, Register(MetricKind.Counter, name, help, labels), name);

    /// <summary>Registers (or finds) a gauge (core_metrics_gauge). Arguments and errors
    /// as <see cref="Timer"/>.</summary>
    /// <param name="name">The metric name.</param>
    /// <param name="help">The HELP text, or null.</param>
    /// <param name="labels">Up to 8 (name, value) pairs.</param>
    public Gauge Gauge(string name, string? help = null, params (string Name, string Value)[] labels) =>
        new Gauge(this, Register(MetricKind.Gauge, name, help, labels), name);

    /// <summary>The number of metrics registered; ids are 0 .. Count-1 (core_metrics_count).</summary>
    /// <exception cref="ObjectDisposedException">The registry was disposed.</exception>
    public int Count
    {
        get
        {
            IntPtr h = AddRef();
            try { return (int)CoreNative.core_metrics_count(h); }
            finally { _handle.DangerousRelease(); }
        }
    }

    /// <summary>Finds the first series registered under a name (core_metrics_find), or
    /// null when there is none.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The registry was disposed.</exception>
    public unsafe MetricInfo? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        IntPtr h = AddRef();
        try
        {
            uint id = 0;
            MetricKind kind = MetricKind.Timer;
            try
            {
                CoreNative.core_metrics_find(h, name, &id, &kind);
            }
            catch (CoreException e) when (e.Status == CoreStatus.NotFound)
            {
                return null;
            }
            return new MetricInfo(id, kind);
        }
        finally { _handle.DangerousRelease(); }
    }

    // ---- snapshots, merges, export ------------------------------------------------------

    /// <summary>An immutable copy of every metric (core_metrics_snapshot).</summary>
    /// <exception cref="ObjectDisposedException">The registry was disposed.</exception>
    public MetricsSnapshot Snapshot() => TakeSnapshot(reset: false);

    /// <summary>A snapshot that also empties every timer, for interval reporting
    /// (core_metrics_snapshot_and_reset). Counters and gauges are not reset.</summary>
    /// <exception cref="ObjectDisposedException">The registry was disposed.</exception>
    public MetricsSnapshot SnapshotAndReset() => TakeSnapshot(reset: true);

    /// <summary>Merges a snapshot of <paramref name="other"/> into this registry
    /// (core_metrics_merge): metrics match by name and labels, timers add histograms,
    /// counters and gauges add, missing ones are added.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> for the
    /// registry itself or a kind or name conflict; <see cref="CoreStatus.Full"/>; this
    /// registry is unchanged on error.</exception>
    /// <exception cref="ObjectDisposedException">Either registry was disposed.</exception>
    public void Merge(Metrics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        IntPtr dst = AddRef();
        try
        {
            IntPtr src = other.AddRef();
            try { CoreNative.core_metrics_merge(dst, src); }
            finally { other._handle.DangerousRelease(); }
        }
        finally { _handle.DangerousRelease(); }
    }

    /// <summary>Merges a snapshot into this registry (core_metrics_merge_snapshot);
    /// recorders may keep running. Errors as <see cref="Merge(Metrics)"/>.</summary>
    /// <param name="snapshot">The snapshot to add.</param>
    public void Merge(MetricsSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        IntPtr dst = AddRef();
        try { snapshot.ReadVoid(src => CoreNative.core_metrics_merge_snapshot(dst, src)); }
        finally { _handle.DangerousRelease(); }
    }

    /// <summary>The registry as text (core_metrics_export).</summary>
    /// <param name="format">Prometheus (default), JSON or a table.</param>
    /// <param name="summary">Prometheus only (ignored by the other formats): timers as
    /// summaries with quantiles 0.5 .. 0.999 instead of histograms.</param>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> for an
    /// unknown format.</exception>
    /// <exception cref="ObjectDisposedException">The registry was disposed.</exception>
    public string Export(MetricsFormat format = MetricsFormat.Prometheus, bool summary = false)
    {
        IntPtr h = AddRef();
        try
        {
            return ExportText(ref _exportHint, format, summary,
                (MetricsFormat f, uint flags, Span<byte> buf, out ulong needed) =>
                {
                    unsafe
                    {
                        ulong n = 0;
                        CoreStatus s = CoreNative.core_metrics_export(h, f, flags, buf, &n);
                        needed = n;
                        return s;
                    }
                });
        }
        finally { _handle.DangerousRelease(); }
    }

    // ---- life cycle ------------------------------------------------------------------

    /// <summary>True once <see cref="Dispose"/> was called.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>Releases the native registry (core_metrics_destroy). Safe to call any
    /// number of times, from any thread; calls in flight finish first.</summary>
    public void Dispose()
    {
        _disposed = true;
        _handle.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        try { return $"Metrics(Count={Count})"; }
        catch (ObjectDisposedException) { return "Metrics(disposed)"; }
    }

    // ---- the hot path (used by the handles) --------------------------------------------

    internal void Record(uint id, long ns)
    {
        IntPtr h = AddRef();
        try { CoreNative.core_metrics_record_ns(h, id, ns); }
        finally { _handle.DangerousRelease(); }
    }

    internal void Stop(uint id, ulong start)
    {
        IntPtr h = AddRef();
        try { CoreNative.core_metrics_stop(h, id, start); }
        finally { _handle.DangerousRelease(); }
    }

    internal void CounterAdd(uint id, long delta)
    {
        if (delta < 0)
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "A counter only goes up: delta must be >= 0.");
        IntPtr h = AddRef();
        try { CoreNative.core_metrics_counter_add(h, id, (ulong)delta); }
        finally { _handle.DangerousRelease(); }
    }

    internal void GaugeSet(uint id, double value, bool add)
    {
        IntPtr h = AddRef();
        try
        {
            if (add)
                CoreNative.core_metrics_gauge_add(h, id, value);
            else
                CoreNative.core_metrics_gauge_set(h, id, value);
        }
        finally { _handle.DangerousRelease(); }
    }

    internal unsafe long CounterGet(uint id)
    {
        IntPtr h = AddRef();
        try
        {
            ulong v = 0;
            CoreNative.core_metrics_counter_get(h, id, &v);
            return unchecked((long)v);
        }
        finally { _handle.DangerousRelease(); }
    }

    internal unsafe double GaugeGet(uint id)
    {
        IntPtr h = AddRef();
        try
        {
            double v = 0;
            CoreNative.core_metrics_gauge_get(h, id, &v);
            return v;
        }
        finally { _handle.DangerousRelease(); }
    }

    internal unsafe TimerStats GetTimerStats(uint id)
    {
        IntPtr h = AddRef();
        try
        {
            NativeTimerStats s = default;
            s.StructSize = (ulong)sizeof(NativeTimerStats);
            CoreNative.core_metrics_timer_stats(h, id, &s);
            return s.ToPublic();
        }
        finally { _handle.DangerousRelease(); }
    }

    internal unsafe bool TryPercentile(uint id, double q, out long ns)
    {
        IntPtr h = AddRef();
        try
        {
            ulong v = 0;
            CoreStatus s = CoreNative.core_metrics_percentile(h, id, q, &v);
            ns = (long)v;
            return s == CoreStatus.Ok;
        }
        finally { _handle.DangerousRelease(); }
    }

    // ---- implementation ----------------------------------------------------------------

    internal delegate CoreStatus ExportCall(MetricsFormat format, uint flags, Span<byte> buf, out ulong needed);

    /// <summary>The needed-size protocol: ask with a guess, retry with the size the
    /// library reports until the text fits (metrics may grow in between).</summary>
    internal static string ExportText(ref int hint, MetricsFormat format, bool summary, ExportCall call)
    {
        uint flags = summary ? 1u : 0u; // CORE_METRICS_EXPORT_SUMMARY
        int size = Math.Max(256, System.Threading.Volatile.Read(ref hint));
        while (true)
        {
            byte[] buf = new byte[size];
            CoreStatus s = call(format, flags, buf, out ulong needed);
            if (s == CoreStatus.Ok)
            {
                int len = (int)needed - 1; // without the NUL
                System.Threading.Volatile.Write(ref hint, (int)needed);
                return Encoding.UTF8.GetString(buf, 0, len);
            }
            if (needed > int.MaxValue)
                throw new CoreException(CoreStatus.OutOfMemory, $"The export needs {needed} bytes, more than a .NET array holds.");
            size = (int)needed + (int)needed / 8; // room for metrics added meanwhile
        }
    }

    private unsafe uint Register(MetricKind kind, string name, string? help, (string Name, string Value)[] labels)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(labels);
        foreach (var (ln, lv) in labels)
        {
            if (ln is null || lv is null)
                throw new ArgumentNullException(nameof(labels), "A label name or value is null.");
        }
        var native = new NativeMetricLabel[labels.Length];
        try
        {
            for (int i = 0; i < labels.Length; ++i)
            {
                native[i].Name = Marshal.StringToCoTaskMemUTF8(labels[i].Name);
                native[i].Value = Marshal.StringToCoTaskMemUTF8(labels[i].Value);
            }
            IntPtr h = AddRef();
            try
            {
                uint id = 0;
                fixed (NativeMetricLabel* l = native)
                {
                    switch (kind)
                    {
                    case MetricKind.Timer:
                        CoreNative.core_metrics_timer(h, name, help, l, (ulong)native.Length, &id);
                        break;
                    case MetricKind.Counter:
                        CoreNative.core_metrics_counter(h, name, help, l, (ulong)native.Length, &id);
                        break;
                    default:
                        CoreNative.core_metrics_gauge(h, name, help, l, (ulong)native.Length, &id);
                        break;
                    }
                }
                return id;
            }
            finally { _handle.DangerousRelease(); }
        }
        finally
        {
            foreach (var l in native)
            {
                Marshal.FreeCoTaskMem(l.Name);
                Marshal.FreeCoTaskMem(l.Value);
            }
        }
    }

    private unsafe MetricsSnapshot TakeSnapshot(bool reset)
    {
        var handle = new SnapshotHandle();
        IntPtr h = AddRef();
        try
        {
            IntPtr s = IntPtr.Zero;
            try
            {
                if (reset)
                    CoreNative.core_metrics_snapshot_and_reset(h, &s);
                else
                    CoreNative.core_metrics_snapshot(h, &s);
            }
            catch
            {
                handle.Dispose();
                throw;
            }
            handle.Attach(s);
            return new MetricsSnapshot(handle);
        }
        finally { _handle.DangerousRelease(); }
    }

    private static long NonNegative(long value, string name)
    {
        if (value < 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be >= 0.");
        return value;
    }

    /// <summary>Takes a reference on the handle for one native call (release it with
    /// DangerousRelease in a finally, or <see cref="Release"/> from outside this
    /// class, as Collection.Run does); throws once disposed.</summary>
    internal IntPtr AddRef()
    {
        if (_disposed)
            throw new ObjectDisposedException(nameof(Metrics));
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            throw new ObjectDisposedException(nameof(Metrics));
        }
        return _handle.DangerousGetHandle();
    }

    /// <summary>Gives back a reference taken with <see cref="AddRef"/>.</summary>
    internal void Release() => _handle.DangerousRelease();
}

/// <summary>A metric found by name: its id and kind.</summary>
/// <param name="Id">The id (0, 1, 2, ... in registration order).</param>
/// <param name="Kind">Timer, counter or gauge.</param>
public readonly record struct MetricInfo(uint Id, MetricKind Kind);

/// <summary>The summary of a timer (core_timer_stats_t). Times in nanoseconds.</summary>
/// <param name="Count">Values recorded, clamped ones included.</param>
/// <param name="SumNanoseconds">Their exact sum after clamping, modulo 2^64.</param>
/// <param name="MinNanoseconds">The smallest (0 when empty).</param>
/// <param name="MaxNanoseconds">The largest (0 when empty).</param>
/// <param name="MeanNanoseconds">Sum / count (0 when empty).</param>
/// <param name="StddevNanoseconds">Population standard deviation from bucket midpoints.</param>
/// <param name="Underflows">Negative values recorded as 0.</param>
/// <param name="Overflows">Values above the highest trackable value, recorded as it.</param>
public readonly record struct TimerStats(long Count, ulong SumNanoseconds, long MinNanoseconds,
                                         long MaxNanoseconds, double MeanNanoseconds,
                                         double StddevNanoseconds, long Underflows, long Overflows);

/// <summary>A registered timer: a registry and an id. Copy it freely; recording is
/// lock-free and allocates nothing.</summary>
public readonly struct Timer
{
    private readonly Metrics? _owner;

    internal Timer(Metrics owner, uint id, string name)
    {
        _owner = owner;
        Id = id;
        Name = name;
    }

    /// <summary>The id in its registry (and in the registry's snapshots).</summary>
    public uint Id { get; }

    /// <summary>The name as registered.</summary>
    public string Name { get; }

    private Metrics Owner => _owner ?? throw new InvalidOperationException("A default Timer is not registered.");

    /// <summary>Records one value (core_metrics_record_ns). A negative value is recorded
    /// as 0 and one above the highest trackable value as it; both are counted, neither
    /// is an error.</summary>
    /// <exception cref="ObjectDisposedException">The registry was disposed.</exception>
    public void RecordNanoseconds(long nanoseconds) => Owner.Record(Id, nanoseconds);

    /// <summary>Records a duration (100 ns resolution of TimeSpan).</summary>
    /// <exception cref="ObjectDisposedException">The registry was disposed.</exception>
    public void Record(TimeSpan duration) => Owner.Record(Id, duration.Ticks * 100);

    /// <summary>Runs <paramref name="action"/> and records how long it took, also when it
    /// throws (the exception propagates).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The registry was disposed.</exception>
    public void Time(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Metrics owner = Owner;
        ulong start = CoreNative.core_metrics_start();
        try
        {
            action();
        }
        catch
        {
            StopQuietly(owner, start);
            throw;
        }
        owner.Stop(Id, start);
    }

    /// <summary>Runs <paramref name="func"/>, records how long it took (also when it
    /// throws) and returns its result.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="func"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The registry was disposed.</exception>
    public T Time<T>(Func<T> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        Metrics owner = Owner;
        ulong start = CoreNative.core_metrics_start();
        T result;
        try
        {
            result = func();
        }
        catch
        {
            StopQuietly(owner, start);
            throw;
        }
        owner.Stop(Id, start);
        return result;
    }

    /// <summary>Starts a measurement: <c>using (timer.Start()) { ... }</c> records the
    /// time to the end of the block (core_metrics_start / core_metrics_stop).</summary>
    public TimerScope Start() => new TimerScope(Owner, Id, CoreNative.core_metrics_start());

    /// <summary>The summary of this timer (core_metrics_timer_stats).</summary>
    /// <exception cref="ObjectDisposedException">The registry was disposed.</exception>
    public TimerStats GetStats() => Owner.GetTimerStats(Id);

    /// <summary>The nearest-rank percentile q in [0, 1] in ns, within the configured
    /// relative error; q = 0 gives the min, 1 the max (core_metrics_percentile).</summary>
    /// <exception cref="CoreException"><see cref="CoreStatus.Empty"/> when nothing was
    /// recorded; <see cref="CoreStatus.InvalidArgument"/> for q NaN or outside [0, 1].</exception>
    /// <exception cref="ObjectDisposedException">The registry was disposed.</exception>
    public long Percentile(double q) =>
        TryPercentile(q, out long ns) ? ns : throw new CoreException(CoreStatus.Empty, $"The timer '{Name}' holds no value.");

    /// <summary>As <see cref="Percentile"/>, but false instead of an exception when the
    /// timer is empty.</summary>
    public bool TryPercentile(double q, out long nanoseconds) => Owner.TryPercentile(Id, q, out nanoseconds);

    /// <inheritdoc/>
    public override string ToString() => $"Timer({Name}, Id={Id})";

    private void StopQuietly(Metrics owner, ulong start)
    {
        try { owner.Stop(Id, start); }
        catch (ObjectDisposedException) { } // the caller's exception matters more
    }
}

/// <summary>A running measurement of a <see cref="Timer"/>: records once, on the first
/// Dispose. Returned by <see cref="Timer.Start"/>; meant for a using statement.</summary>
public struct TimerScope : IDisposable
{
    private readonly Metrics? _owner;
    private readonly uint _id;
    private readonly ulong _start;
    private bool _done;

    internal TimerScope(Metrics owner, uint id, ulong start)
    {
        _owner = owner;
        _id = id;
        _start = start;
        _done = false;
    }

    /// <summary>Nanoseconds since the start.</summary>
    public readonly long ElapsedNanoseconds => unchecked((long)(CoreNative.core_now_ns() - _start));

    /// <summary>Records the time since the start (core_metrics_stop); later calls on this
    /// copy do nothing.</summary>
    /// <exception cref="ObjectDisposedException">The registry was disposed.</exception>
    public void Dispose()
    {
        if (_done || _owner is null)
            return;
        _done = true;
        _owner.Stop(_id, _start);
    }
}

/// <summary>A registered counter: a 64-bit count that only goes up.</summary>
public readonly struct Counter
{
    private readonly Metrics? _owner;

    internal Counter(Metrics owner, uint id, string name)
    {
        _owner = owner;
        Id = id;
        Name = name;
    }

    /// <summary>The id in its registry.</summary>
    public uint Id { get; }

    /// <summary>The name as registered.</summary>
    public string Name { get; }

    private Metrics Owner => _owner ?? throw new InvalidOperationException("A default Counter is not registered.");

    /// <summary>Adds <paramref name="delta"/> (core_metrics_counter_add).</summary>
    /// <exception cref="ArgumentOutOfRangeException">delta is negative.</exception>
    /// <exception cref="ObjectDisposedException">The registry was disposed.</exception>
    public void Add(long delta = 1) => Owner.CounterAdd(Id, delta);

    /// <summary>Adds 1.</summary>
    public void Increment() => Owner.CounterAdd(Id, 1);

    /// <summary>The current value (core_metrics_counter_get).</summary>
    /// <exception cref="ObjectDisposedException">The registry was disposed.</exception>
    public long Value => Owner.CounterGet(Id);

    /// <inheritdoc/>
    public override string ToString() => $"Counter({Name}, Id={Id})";
}

/// <summary>A registered gauge: a double that can go up and down.</summary>
public readonly struct Gauge
{
    private readonly Metrics? _owner;

    internal Gauge(Metrics owner, uint id, string name)
    {
        _owner = owner;
        Id = id;
        Name = name;
    }

    /// <summary>The id in its registry.</summary>
    public uint Id { get; }

    /// <summary>The name as registered.</summary>
    public string Name { get; }

    private Metrics Owner => _owner ?? throw new InvalidOperationException("A default Gauge is not registered.");

    /// <summary>Sets the value (core_metrics_gauge_set).</summary>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> for a
    /// value that is not finite.</exception>
    /// <exception cref="ObjectDisposedException">The registry was disposed.</exception>
    public void Set(double value) => Owner.GaugeSet(Id, value, add: false);

    /// <summary>Adds to the value (core_metrics_gauge_add). Errors as <see cref="Set"/>.</summary>
    public void Add(double delta) => Owner.GaugeSet(Id, delta, add: true);

    /// <summary>The current value (core_metrics_gauge_get).</summary>
    /// <exception cref="ObjectDisposedException">The registry was disposed.</exception>
    public double Value => Owner.GaugeGet(Id);

    /// <inheritdoc/>
    public override string ToString() => $"Gauge({Name}, Id={Id})";
}

/// <summary>core_metrics_options_t, version 0.1 layout (checked by a test).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NativeMetricsOptions
{
    internal ulong StructSize;
    internal ulong LowestNs;
    internal ulong HighestNs;
    internal int SignificantDigits;
    internal ulong MaxMetrics;
    internal double* PromBuckets;
    internal ulong PromBucketCount;
}

/// <summary>core_timer_stats_t, version 0.1 layout (checked by a test).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeTimerStats
{
    internal ulong StructSize;
    internal ulong Count;
    internal ulong SumNs;
    internal ulong MinNs;
    internal ulong MaxNs;
    internal double MeanNs;
    internal double StddevNs;
    internal ulong Underflows;
    internal ulong Overflows;

    internal readonly TimerStats ToPublic() => new TimerStats(
        unchecked((long)Count), SumNs, (long)MinNs, (long)MaxNs, MeanNs, StddevNs,
        unchecked((long)Underflows), unchecked((long)Overflows));
}

/// <summary>core_metric_label_t: two UTF-8 strings owned by the caller.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeMetricLabel
{
    internal IntPtr Name;
    internal IntPtr Value;
}

/// <summary>Owns a core_metrics_t*: released once, by core_metrics_destroy, when the
/// last reference taken by a call is dropped after Dispose (or by the finalizer).</summary>
internal sealed class MetricsHandle : SafeHandle
{
    internal MetricsHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    internal void Attach(IntPtr m) => SetHandle(m);

    protected override bool ReleaseHandle()
    {
        CoreNative.core_metrics_destroy(handle);
        return true;
    }
}
