using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace LibCore;

/// <summary>
/// An immutable copy of every metric of a <see cref="Metrics"/> registry (names, labels,
/// help, histograms, counter and gauge values), queried and exported like the registry
/// (core_metrics_snapshot_t). It keeps the registry's ids, so the registry's
/// <see cref="Timer"/>, <see cref="Counter"/> and <see cref="Gauge"/> handles address it.
/// </summary>
/// <remarks>Reads may run on any threads at once; <see cref="Merge"/> into a snapshot
/// waits for them (a lock the binding adds, since the library requires a merge to run
/// alone). Dispose behaves as <see cref="Metrics.Dispose"/>.</remarks>
public sealed class MetricsSnapshot : IDisposable
{
    /// <summary>Serializes merges into snapshots so two cross merges cannot deadlock.</summary>
    private static readonly object s_mergeLock = new();

    private readonly SnapshotHandle _handle;
    private readonly ReaderWriterLockSlim _rw = new(LockRecursionPolicy.SupportsRecursion);
    private volatile bool _disposed;
    private int _exportHint = 4096;

    internal MetricsSnapshot(SnapshotHandle handle) => _handle = handle;

    /// <summary>The metrics in the snapshot; ids are 0 .. Count-1
    /// (core_metrics_snapshot_count).</summary>
    /// <exception cref="ObjectDisposedException">The snapshot was disposed.</exception>
    public int Count => Read(s => (int)CoreNative.core_metrics_snapshot_count(s));

    /// <summary>Finds the first series registered under a name
    /// (core_metrics_snapshot_find), or null.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The snapshot was disposed.</exception>
    public MetricInfo? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Read<MetricInfo?>(s =>
        {
            unsafe
            {
                uint id = 0;
                MetricKind kind = MetricKind.Timer;
                try
                {
                    CoreNative.core_metrics_snapshot_find(s, name, &id, &kind);
                }
                catch (CoreException e) when (e.Status == CoreStatus.NotFound)
                {
                    return null;
                }
                return new MetricInfo(id, kind);
            }
        });
    }

    /// <summary>The summary of timer <paramref name="id"/>
    /// (core_metrics_snapshot_timer_stats).</summary>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> when id
    /// is not a timer.</exception>
    /// <exception cref="ObjectDisposedException">The snapshot was disposed.</exception>
    public TimerStats GetTimerStats(uint id) => Read(s =>
    {
        unsafe
        {
            NativeTimerStats st = default;
            st.StructSize = (ulong)sizeof(NativeTimerStats);
            CoreNative.core_metrics_snapshot_timer_stats(s, id, &st);
            return st.ToPublic();
        }
    });

    /// <summary>The summary of <paramref name="timer"/> as of the snapshot.</summary>
    public TimerStats GetTimerStats(Timer timer) => GetTimerStats(timer.Id);

    /// <summary>The percentile q in [0, 1] of timer <paramref name="id"/> in ns
    /// (core_metrics_snapshot_percentile).</summary>
    /// <exception cref="CoreException"><see cref="CoreStatus.Empty"/> for an empty
    /// timer; <see cref="CoreStatus.InvalidArgument"/> for a bad id or q.</exception>
    /// <exception cref="ObjectDisposedException">The snapshot was disposed.</exception>
    public long Percentile(uint id, double q) =>
        TryPercentile(id, q, out long ns) ? ns : throw new CoreException(CoreStatus.Empty, $"Timer {id} holds no value.");

    /// <summary>The percentile q of <paramref name="timer"/> as of the snapshot.</summary>
    public long Percentile(Timer timer, double q) => Percentile(timer.Id, q);

    /// <summary>As <see cref="Percentile(uint, double)"/>, but false for an empty timer.</summary>
    public bool TryPercentile(uint id, double q, out long nanoseconds)
    {
        long value = 0;
        bool ok = Read(s =>
        {
            unsafe
            {
                ulong v = 0;
                CoreStatus st = CoreNative.core_metrics_snapshot_percentile(s, id, q, &v);
                value = (long)v;
                return st == CoreStatus.Ok;
            }
        });
        nanoseconds = value;
        return ok;
    }

    /// <summary>The value of counter <paramref name="id"/> (core_metrics_snapshot_counter).</summary>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> when id
    /// is not a counter.</exception>
    public long GetCounter(uint id) => Read(s =>
    {
        unsafe
        {
            ulong v = 0;
            CoreNative.core_metrics_snapshot_counter(s, id, &v);
            return unchecked((long)v);
        }
    });

    /// <summary>The value of <paramref name="counter"/> as of the snapshot.</summary>
    public long GetCounter(Counter counter) => GetCounter(counter.Id);

    /// <summary>The value of gauge <paramref name="id"/> (core_metrics_snapshot_gauge).</summary>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> when id
    /// is not a gauge.</exception>
    public double GetGauge(uint id) => Read(s =>
    {
        unsafe
        {
            double v = 0;
            CoreNative.core_metrics_snapshot_gauge(s, id, &v);
            return v;
        }
    });

    /// <summary>The value of <paramref name="gauge"/> as of the snapshot.</summary>
    public double GetGauge(Gauge gauge) => GetGauge(gauge.Id);

    /// <summary>Merges <paramref name="other"/> into this snapshot
    /// (core_metrics_snapshot_merge): timers add histograms, counters and gauges add,
    /// missing metrics are added with the next ids.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    /// <exception cref="CoreException"><see cref="CoreStatus.InvalidArgument"/> for the
    /// snapshot itself or a kind or name conflict (this snapshot is unchanged).</exception>
    /// <exception cref="ObjectDisposedException">Either snapshot was disposed.</exception>
    public void Merge(MetricsSnapshot other)
    {
        ArgumentNullException.ThrowIfNull(other);
        lock (s_mergeLock)
        {
            IntPtr dst = AddRef();
            _rw.EnterWriteLock();
            try
            {
                other.Read(src =>
                {
                    CoreNative.core_metrics_snapshot_merge(dst, src);
                    return 0;
                });
            }
            finally
            {
                _rw.ExitWriteLock();
                _handle.DangerousRelease();
            }
        }
    }

    /// <summary>The snapshot as text (core_metrics_snapshot_export); as
    /// <see cref="Metrics.Export"/>.</summary>
    /// <param name="format">Prometheus (default), JSON or a table.</param>
    /// <param name="summary">Prometheus only: timers as summaries.</param>
    /// <exception cref="ObjectDisposedException">The snapshot was disposed.</exception>
    public string Export(MetricsFormat format = MetricsFormat.Prometheus, bool summary = false) =>
        Read(s => Metrics.ExportText(ref _exportHint, format, summary,
            (MetricsFormat f, uint flags, Span<byte> buf, out ulong needed) =>
            {
                unsafe
                {
                    ulong n = 0;
                    CoreStatus st = CoreNative.core_metrics_snapshot_export(s, f, flags, buf, &n);
                    needed = n;
                    return st;
                }
            }));

    /// <summary>True once <see cref="Dispose"/> was called.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>Releases the snapshot (core_metrics_snapshot_destroy). Safe to call any
    /// number of times, from any thread.</summary>
    public void Dispose()
    {
        _disposed = true;
        _handle.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        try { return $"MetricsSnapshot(Count={Count})"; }
        catch (ObjectDisposedException) { return "MetricsSnapshot(disposed)"; }
    }

    // ---- implementation ----------------------------------------------------------------

    internal void ReadVoid(Action<IntPtr> call) => Read(s => { call(s); return 0; });

    /// <summary>Runs one read under a handle reference and the read lock.</summary>
    internal T Read<T>(Func<IntPtr, T> call)
    {
        IntPtr s = AddRef();
        try
        {
            _rw.EnterReadLock();
            try { return call(s); }
            finally { _rw.ExitReadLock(); }
        }
        finally { _handle.DangerousRelease(); }
    }

    private IntPtr AddRef()
    {
        if (_disposed)
            throw new ObjectDisposedException(nameof(MetricsSnapshot));
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            throw new ObjectDisposedException(nameof(MetricsSnapshot));
        }
        return _handle.DangerousGetHandle();
    }
}

/// <summary>Owns a core_metrics_snapshot_t*, released by core_metrics_snapshot_destroy.</summary>
internal sealed class SnapshotHandle : SafeHandle
{
    internal SnapshotHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    internal void Attach(IntPtr s) => SetHandle(s);

    protected override bool ReleaseHandle()
    {
        CoreNative.core_metrics_snapshot_destroy(handle);
        return true;
    }
}
