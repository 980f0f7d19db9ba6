package dev.libcore;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An immutable copy of every metric of a {@link Metrics} registry (C:
 * {@code core_metrics_snapshot_t}), from {@link Metrics#snapshot()} or
 * {@link Metrics#snapshotAndReset()}: queried and exported like the
 * registry. It keeps the registry's ids, so the registry's handles
 * ({@link Metrics.Timer}...) select metrics here too; metrics a merge adds
 * get the next ids (find them by name).
 *
 * <p>Only {@link #merge} changes a snapshot. Every method may run on any
 * threads at once (a merge waits for the reads in flight and they for it).
 * {@link #close()} is idempotent; every later call throws
 * {@link IllegalStateException}. An unclosed snapshot is released by a
 * cleaner once unreachable.
 */
public final class MetricsSnapshot implements AutoCloseable {
  private static final class Native implements Runnable {
    final long handle;

    Native(long handle) {
      this.handle = handle;
    }

    @Override
    public void run() {
      CoreNative.jcore_metrics_snapshot_destroy(handle);
    }
  }

  private final long ptr;
  private volatile boolean closed;
  /** Readers: queries, export, use as a merge source; writer: merge into it, close. */
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Cleaner.Cleanable cleanable;

  MetricsSnapshot(long handle) {
    this.ptr = handle;
    this.cleanable = Metrics.Cleanup.CLEANER.register(this, new Native(handle));
  }

  long enterRead() {
    lock.readLock().lock();
    if (closed) {
      lock.readLock().unlock();
      throw new IllegalStateException("this MetricsSnapshot is closed");
    }
    return ptr;
  }

  void exitRead() {
    lock.readLock().unlock();
    Reference.reachabilityFence(this);
  }

  private long enterWrite() {
    lock.writeLock().lock();
    if (closed) {
      lock.writeLock().unlock();
      throw new IllegalStateException("this MetricsSnapshot is closed");
    }
    return ptr;
  }

  private void exitWrite() {
    lock.writeLock().unlock();
    Reference.reachabilityFence(this);
  }

  private static int id(Metrics.Metric metric) {
    return Check.notNull(metric, "metric").id;
  }

  /** The number of metrics in the snapshot (ids 0 .. size()-1). */
  public int size() {
    long s = enterRead();
    try {
      return (int) CoreNative.jcore_metrics_snapshot_count(s);
    } finally {
      exitRead();
    }
  }

  /** The id of the metric registered under this name (its first series), if any. */
  public OptionalInt find(String name) {
    byte[] n = Metrics.utf8(name, "name");
    long[] out = new long[2];
    long s = enterRead();
    try {
      CoreNative.jcore_metrics_find(0, s, n, out);
    } finally {
      exitRead();
    }
    return out[0] < 0 ? OptionalInt.empty() : OptionalInt.of((int) out[0]);
  }

  /** The kind of the metric registered under this name, if any. */
  public java.util.Optional<Metrics.Kind> kind(String name) {
    byte[] n = Metrics.utf8(name, "name");
    long[] out = new long[2];
    long s = enterRead();
    try {
      CoreNative.jcore_metrics_find(0, s, n, out);
    } finally {
      exitRead();
    }
    return out[0] < 0 ? java.util.Optional.empty() : java.util.Optional.of(Metrics.Kind.of(out[1]));
  }

  private int idOf(String name) {
    OptionalInt id = find(name);
    if (id.isEmpty()) {
      throw new IllegalArgumentException("no metric named \"" + name + "\" in this snapshot");
    }
    return id.getAsInt();
  }

  /** The summary of timer {@code id}. CoreException(INVALID_ARGUMENT) when id is not a timer. */
  public TimerStats stats(int id) {
    long[] v = new long[8];
    long s = enterRead();
    try {
      CoreNative.jcore_metrics_timer_stats(0, s, id, v);
    } finally {
      exitRead();
    }
    return new TimerStats(v);
  }

  /** The summary of this timer of the snapshot's registry. */
  public TimerStats stats(Metrics.Timer timer) {
    return stats(id(timer));
  }

  /** The summary of the timer with this name (IllegalArgumentException when absent). */
  public TimerStats stats(String name) {
    return stats(idOf(name));
  }

  /** The percentile q in [0, 1] of timer {@code id} in ns (CoreException(EMPTY) when it holds nothing). */
  public long percentile(int id, double q) {
    Metrics.checkQ(q);
    long[] v = new long[1];
    long s = enterRead();
    try {
      CoreNative.jcore_metrics_percentile(0, s, id, q, v);
    } finally {
      exitRead();
    }
    return v[0];
  }

  /** The percentile of this timer of the snapshot's registry. */
  public long percentile(Metrics.Timer timer, double q) {
    return percentile(id(timer), q);
  }

  /** The percentile of the timer with this name. */
  public long percentile(String name, double q) {
    return percentile(idOf(name), q);
  }

  /** The value of counter {@code id}. */
  public long counter(int id) {
    long[] v = new long[1];
    long s = enterRead();
    try {
      CoreNative.jcore_metrics_counter_get(0, s, id, v);
    } finally {
      exitRead();
    }
    return v[0];
  }

  /** The value of this counter of the snapshot's registry. */
  public long counter(Metrics.Counter counter) {
    return counter(id(counter));
  }

  /** The value of the counter with this name. */
  public long counter(String name) {
    return counter(idOf(name));
  }

  /** The value of gauge {@code id}. */
  public double gauge(int id) {
    long s = enterRead();
    try {
      return CoreNative.jcore_metrics_gauge_get(0, s, id);
    } finally {
      exitRead();
    }
  }

  /** The value of this gauge of the snapshot's registry. */
  public double gauge(Metrics.Gauge gauge) {
    return gauge(id(gauge));
  }

  /** The value of the gauge with this name. */
  public double gauge(String name) {
    return gauge(idOf(name));
  }

  /**
   * Adds {@code other} into this snapshot (timers add histograms, counters and
   * gauges add, missing metrics are added). CoreException(INVALID_ARGUMENT)
   * for a kind or name conflict or {@code other == this}; nothing changes then.
   */
  public void merge(MetricsSnapshot other) {
    Check.notNull(other, "other");
    if (other == this) {
      // libcore refuses dst == src; say so without taking our own locks twice
      long s = enterRead();
      try {
        CoreNative.jcore_metrics_merge(0, s, 0, s);
      } finally {
        exitRead();
      }
      return;
    }
    long d = enterWrite();
    try {
      long o = other.enterRead();
      try {
        CoreNative.jcore_metrics_merge(0, d, 0, o);
      } finally {
        other.exitRead();
      }
    } finally {
      exitWrite();
    }
  }

  /** Adds a snapshot of the registry {@code other} into this snapshot. */
  public void merge(Metrics other) {
    Check.notNull(other, "other");
    long d = enterWrite();
    try {
      long o = other.enter();
      try {
        CoreNative.jcore_metrics_merge(0, d, o, 0);
      } finally {
        other.exit();
      }
    } finally {
      exitWrite();
    }
  }

  /** The snapshot as text in {@code format}. */
  public String export(Metrics.Format format) {
    return export(format, false);
  }

  /** The snapshot as text; {@code summary} as in {@link Metrics#export(Metrics.Format, boolean)}. */
  public String export(Metrics.Format format, boolean summary) {
    int flags = Metrics.exportFlags(format, summary);
    Object[] result = new Object[1];
    long s = enterRead();
    try {
      CoreNative.jcore_metrics_export(0, s, format.code, flags, result);
    } finally {
      exitRead();
    }
    return new String((byte[]) result[0], StandardCharsets.UTF_8);
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /** Releases the native snapshot; idempotent. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      cleanable.clean();
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public String toString() {
    return closed ? "MetricsSnapshot{closed}" : "MetricsSnapshot{open}";
  }
}
