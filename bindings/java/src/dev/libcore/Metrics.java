package dev.libcore;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * A registry of named latency timers (nanosecond histograms), counters and
 * gauges, with Prometheus, JSON and table export (C: {@code core_metrics_t},
 * metrics.h).
 *
 * <pre>{@code
 * try (Metrics m = Metrics.builder().highestNanos(60_000_000_000L).build()) {
 *   Metrics.Timer fwd = m.timer("lid.encoder_forward", "encoder forward pass", "model", "lid");
 *   Metrics.Counter calls = m.counter("requests");
 *   float[] out = fwd.time(() -> encoder.forward(x));   // records even when it throws
 *   calls.increment();
 *   long p99 = fwd.percentile(0.99);                      // ns
 *   String text = m.export(Metrics.Format.PROMETHEUS);    // lid_encoder_forward_seconds_bucket{...}
 * }
 * }</pre>
 *
 * <p>Registration returns a small handle ({@link Timer}, {@link Counter},
 * {@link Gauge}) holding the metric's id: recording through it is one static
 * native call with the registry's pointer and the id, no allocation, no lock
 * and no string. Registering the same name, kind and labels again returns a
 * handle with the same id. Names are exported sanitized (every character
 * outside {@code [a-zA-Z0-9_:]} becomes '_', plus the unit suffix
 * {@code _seconds} for timers and {@code _total} for counters); a name that
 * collides with another metric's, or is registered with another kind, is a
 * {@link CoreException} with {@link Status#INVALID_ARGUMENT}.
 *
 * <p>Thread safety: every method may run on any number of threads at once.
 * {@link #close()} is idempotent; every later call (also through a handle)
 * throws {@link IllegalStateException}. Queries, registration, snapshots,
 * merges and export are guarded against a concurrent close (close waits for
 * them). The recording calls (recordNanos, time, add, set) only check that
 * the registry is open, to stay as cheap as libcore's own record: do not
 * close a registry while other threads may still be recording into it (as
 * in C). A registry that becomes unreachable without close is released by
 * a cleaner.
 */
public final class Metrics implements AutoCloseable {
  /** The longest name in UTF-8 bytes (C: {@code CORE_METRICS_MAX_NAME}). */
  public static final int MAX_NAME = 200;
  /** The most labels a metric may have (C: {@code CORE_METRICS_MAX_LABELS}). */
  public static final int MAX_LABELS = 8;
  /** The most Prometheus bucket boundaries (C: {@code CORE_METRICS_MAX_PROM_BUCKETS}). */
  public static final int MAX_PROM_BUCKETS = 64;

  /** Export formats (C: {@code core_metrics_format}). */
  public enum Format {
    /** Prometheus text exposition format 0.0.4; timers as histograms in seconds (or summaries). */
    PROMETHEUS(0),
    /** One JSON object {"timers":[...],"counters":[...],"gauges":[...]}, times in ns. */
    JSON(1),
    /** A fixed-width human table: name, count, p50, p95, p99, max; then counters and gauges. */
    TABLE(2);

    final int code;

    Format(int code) {
      this.code = code;
    }
  }

  /** The kind of a metric (C: {@code core_metric_kind}). */
  public enum Kind {
    TIMER,
    COUNTER,
    GAUGE;

    static Kind of(long code) {
      return values()[(int) code];
    }
  }

  // ---- options ------------------------------------------------------------------------

  /** Options of a new registry: {@code Metrics.builder().highestNanos(h).significantDigits(3).build()}. */
  public static final class Builder {
    private long lowest = -1;
    private long highest = -1;
    private long digits = -1;
    private long maxMetrics = -1;
    private double[] buckets;

    private Builder() {}

    private static long positive(long v, String name) {
      if (v < 1) {
        throw new IllegalArgumentException(name + " must be >= 1, got " + v);
      }
      return v;
    }

    /** The lowest discernible value in ns, >= 1. Default 1. */
    public Builder lowestNanos(long ns) {
      lowest = positive(ns, "lowestNanos");
      return this;
    }

    /** The highest trackable value in ns, >= 2 * lowest and <= 2^62. Default 1 hour. */
    public Builder highestNanos(long ns) {
      highest = positive(ns, "highestNanos");
      return this;
    }

    /** Precision: 1 .. 5 significant digits (relative error at most 10^-digits). Default 2. */
    public Builder significantDigits(int digits) {
      this.digits = positive(digits, "significantDigits");
      return this;
    }

    /** The most metrics the registry can hold, 1 .. 65536. Default 1024. */
    public Builder maxMetrics(int n) {
      maxMetrics = positive(n, "maxMetrics");
      return this;
    }

    /**
     * Prometheus histogram boundaries (le) in seconds: strictly increasing,
     * finite, > 0, at most {@link #MAX_PROM_BUCKETS}. Null (default): 1, 2.5
     * and 5 times each power of ten from 1 us to 50 s, then 100 s.
     */
    public Builder prometheusBuckets(double... seconds) {
      buckets = seconds == null ? null : seconds.clone();
      return this;
    }

    /** Creates the registry. CoreException(INVALID_ARGUMENT) for options libcore refuses. */
    public Metrics build() {
      return new Metrics(this);
    }
  }

  /** Starts the options of a new registry. */
  public static Builder builder() {
    return new Builder();
  }

  // ---- state ------------------------------------------------------------------------------

  /** The native handle and its release; what the cleaner keeps (never the registry). */
  private static final class Native implements Runnable {
    final long handle;

    Native(long handle) {
      this.handle = handle;
    }

    @Override
    public void run() {
      CoreNative.jcore_metrics_destroy(handle);
    }
  }

  static final class Cleanup {
    static final Cleaner CLEANER = Cleaner.create();
  }

  /** The registry's pointer (also in {@link #nat}); read by the hot path. */
  final long ptr;
  private volatile boolean closed;
  /** Readers: every call but recording; writer: close. */
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Native nat;
  private final Cleaner.Cleanable cleanable;

  /** A registry with the default options (1 ns .. 1 hour, 2 digits, 1024 metrics). */
  public Metrics() {
    this(new Builder());
  }

  private Metrics(Builder b) {
    long[] handle = new long[1];
    CoreNative.jcore_metrics_create(new long[] {b.lowest, b.highest, b.digits, b.maxMetrics}, b.buckets, handle);
    this.ptr = handle[0];
    this.nat = new Native(ptr);
    this.cleanable = Cleanup.CLEANER.register(this, nat);
  }

  /** CLOCK_MONOTONIC in nanoseconds, libcore's clock (C: {@code core_now_ns}); same clock as System.nanoTime on Linux. */
  public static long nowNanos() {
    return CoreNative.core_now_ns();
  }

  /** Enters a guarded call: the handle, valid until {@link #exit()}. */
  long enter() {
    lock.readLock().lock();
    if (closed) {
      lock.readLock().unlock();
      throw new IllegalStateException("this Metrics is closed");
    }
    return ptr;
  }

  void exit() {
    lock.readLock().unlock();
    Reference.reachabilityFence(this);
  }

  /** The hot path's check: no lock (see the class comment). */
  void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this Metrics is closed");
    }
  }

  // ---- registration -----------------------------------------------------------------------

  static byte[] utf8(String s, String what) {
    return Check.notNull(s, what).getBytes(StandardCharsets.UTF_8);
  }

  /** {name, help, label name, value, ...} as UTF-8; labels sorted by name. */
  private static byte[][] strings(String name, String help, Map<String, String> labels) {
    Check.notNull(name, "name");
    Check.notNull(labels, "labels");
    if (labels.size() > MAX_LABELS) {
      throw new IllegalArgumentException("at most " + MAX_LABELS + " labels, got " + labels.size());
    }
    TreeMap<String, String> sorted = new TreeMap<>();
    for (Map.Entry<String, String> e : labels.entrySet()) {
      sorted.put(Check.notNull(e.getKey(), "label name"), Check.notNull(e.getValue(), "label value"));
    }
    byte[][] s = new byte[2 + 2 * sorted.size()][];
    s[0] = utf8(name, "name");
    s[1] = help == null ? null : help.getBytes(StandardCharsets.UTF_8);
    int i = 2;
    for (Map.Entry<String, String> e : sorted.entrySet()) {
      s[i++] = utf8(e.getKey(), "label name");
      s[i++] = utf8(e.getValue(), "label value");
    }
    return s;
  }

  private static Map<String, String> pairs(String[] labelPairs) {
    Check.notNull(labelPairs, "labelPairs");
    if (labelPairs.length % 2 != 0) {
      throw new IllegalArgumentException("labels come as name, value pairs: got " + labelPairs.length + " strings");
    }
    TreeMap<String, String> m = new TreeMap<>();
    for (int i = 0; i < labelPairs.length; i += 2) {
      String k = Check.notNull(labelPairs[i], "label name");
      if (m.put(k, Check.notNull(labelPairs[i + 1], "label value")) != null) {
        throw new IllegalArgumentException("label " + k + " given twice");
      }
    }
    return m;
  }

  private int register(Kind kind, String name, String help, Map<String, String> labels) {
    byte[][] s = strings(name, help, labels);
    long h = enter();
    try {
      return (int) CoreNative.jcore_metrics_register(h, kind.ordinal(), s);
    } finally {
      exit();
    }
  }

  /** Registers (or finds) the timer {@code name} with no help text and no labels. */
  public Timer timer(String name) {
    return timer(name, null, Map.of());
  }

  /** Registers (or finds) a timer; help may be null (the default help). */
  public Timer timer(String name, String help) {
    return timer(name, help, Map.of());
  }

  /** Registers (or finds) a timer with labels given as name, value pairs. */
  public Timer timer(String name, String help, String... labelPairs) {
    return timer(name, help, pairs(labelPairs));
  }

  /** Registers (or finds) a timer with labels; help may be null. */
  public Timer timer(String name, String help, Map<String, String> labels) {
    return new Timer(this, register(Kind.TIMER, name, help, labels), name);
  }

  /** Registers (or finds) the counter {@code name}. */
  public Counter counter(String name) {
    return counter(name, null, Map.of());
  }

  /** Registers (or finds) a counter; help may be null. */
  public Counter counter(String name, String help) {
    return counter(name, help, Map.of());
  }

  /** Registers (or finds) a counter with labels given as name, value pairs. */
  public Counter counter(String name, String help, String... labelPairs) {
    return counter(name, help, pairs(labelPairs));
  }

  /** Registers (or finds) a counter with labels; help may be null. */
  public Counter counter(String name, String help, Map<String, String> labels) {
    return new Counter(this, register(Kind.COUNTER, name, help, labels), name);
  }

  /** Registers (or finds) the gauge {@code name}. */
  public Gauge gauge(String name) {
    return gauge(name, null, Map.of());
  }

  /** Registers (or finds) a gauge; help may be null. */
  public Gauge gauge(String name, String help) {
    return gauge(name, help, Map.of());
  }

  /** Registers (or finds) a gauge with labels given as name, value pairs. */
  public Gauge gauge(String name, String help, String... labelPairs) {
    return gauge(name, help, pairs(labelPairs));
  }

  /** Registers (or finds) a gauge with labels; help may be null. */
  public Gauge gauge(String name, String help, Map<String, String> labels) {
    return new Gauge(this, register(Kind.GAUGE, name, help, labels), name);
  }

  /** The number of metrics registered (ids are 0 .. size()-1). */
  public int size() {
    long h = enter();
    try {
      return (int) CoreNative.jcore_metrics_count(h);
    } finally {
      exit();
    }
  }

  /** The metric registered under this name (its first series), if any. */
  public Optional<Metric> find(String name) {
    byte[] n = utf8(name, "name");
    long[] out = new long[2];
    long h = enter();
    try {
      CoreNative.jcore_metrics_find(h, 0, n, out);
    } finally {
      exit();
    }
    if (out[0] < 0) {
      return Optional.empty();
    }
    int id = (int) out[0];
    switch (Kind.of(out[1])) {
      case TIMER:
        return Optional.of(new Timer(this, id, name));
      case COUNTER:
        return Optional.of(new Counter(this, id, name));
      default:
        return Optional.of(new Gauge(this, id, name));
    }
  }

  // ---- snapshots, merges, export -----------------------------------------------------------

  /** An immutable copy of every metric (close it when done). */
  public MetricsSnapshot snapshot() {
    return snapshot(false);
  }

  /**
   * A snapshot, and every timer emptied (interval reporting). Counters and
   * gauges are not reset: an interval's count is the difference of two
   * snapshots.
   */
  public MetricsSnapshot snapshotAndReset() {
    return snapshot(true);
  }

  private MetricsSnapshot snapshot(boolean reset) {
    long[] handle = new long[1];
    long h = enter();
    try {
      CoreNative.jcore_metrics_snapshot(h, reset ? 1 : 0, handle);
    } finally {
      exit();
    }
    return new MetricsSnapshot(handle[0]);
  }

  /**
   * Adds every metric of {@code other} (a snapshot of it) into this registry:
   * timers add histograms, counters and gauges add; metrics missing here are
   * added. CoreException(INVALID_ARGUMENT) for a kind or name conflict or
   * {@code other == this} (nothing changed), FULL when there is no room.
   */
  public void merge(Metrics other) {
    Check.notNull(other, "other");
    long h = enter();
    try {
      long o = other.enter();
      try {
        CoreNative.jcore_metrics_merge(h, 0, o, 0);
      } finally {
        other.exit();
      }
    } finally {
      exit();
    }
  }

  /** Adds a snapshot into this registry (same rules as {@link #merge(Metrics)}). */
  public void merge(MetricsSnapshot snapshot) {
    Check.notNull(snapshot, "snapshot");
    long h = enter();
    try {
      long s = snapshot.enterRead();
      try {
        CoreNative.jcore_metrics_merge(h, 0, 0, s);
      } finally {
        snapshot.exitRead();
      }
    } finally {
      exit();
    }
  }

  /** The registry as text in {@code format} (Prometheus timers as histograms). */
  public String export(Format format) {
    return export(format, false);
  }

  /**
   * The registry as text; {@code summary} (Prometheus only) exports timers
   * as summaries with quantiles 0.5 .. 0.999 instead of histograms.
   */
  public String export(Format format, boolean summary) {
    int flags = exportFlags(format, summary);
    Object[] result = new Object[1];
    long h = enter();
    try {
      CoreNative.jcore_metrics_export(h, 0, format.code, flags, result);
    } finally {
      exit();
    }
    return new String((byte[]) result[0], StandardCharsets.UTF_8);
  }

  static int exportFlags(Format format, boolean summary) {
    Check.notNull(format, "format");
    if (summary && format != Format.PROMETHEUS) {
      throw new IllegalArgumentException("summary export is for Format.PROMETHEUS only, not " + format);
    }
    return summary ? 1 : 0;
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /** Releases the native registry; idempotent. Waits for guarded calls in flight. */
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
    return closed ? "Metrics{closed}" : "Metrics{open}";
  }

  // ---- handles ---------------------------------------------------------------------------------

  /**
   * A registered metric: its registry, id (0, 1, 2... in registration order,
   * one sequence for all kinds) and name. Valid for its registry and for
   * snapshots taken from it. Handles are values: equal when registry and id
   * are.
   */
  public abstract static class Metric {
    final Metrics owner;
    final int id;
    private final String name;

    Metric(Metrics owner, int id, String name) {
      this.owner = owner;
      this.id = id;
      this.name = name;
    }

    /** The id (C: {@code core_metric_id_t}). */
    public final int id() {
      return id;
    }

    /** The name as registered. */
    public final String name() {
      return name;
    }

    /** Its kind. */
    public abstract Kind kind();

    /** The registry it belongs to. */
    public final Metrics registry() {
      return owner;
    }

    @Override
    public final boolean equals(Object o) {
      return o instanceof Metric && ((Metric) o).owner == owner && ((Metric) o).id == id;
    }

    @Override
    public final int hashCode() {
      return System.identityHashCode(owner) * 31 + id;
    }

    @Override
    public String toString() {
      return kind() + "{" + name + ", id " + id + "}";
    }
  }

  /** A latency timer: a log-linear histogram of nanosecond values. */
  public static final class Timer extends Metric {
    Timer(Metrics owner, int id, String name) {
      super(owner, id, name);
    }

    @Override
    public Kind kind() {
      return Kind.TIMER;
    }

    /**
     * Records one value in ns: lock-free, no allocation. A negative value is
     * recorded as 0 and counted as an underflow, one above the highest
     * trackable value as that value and counted as an overflow.
     */
    public void recordNanos(long ns) {
      Metrics m = owner;
      m.checkOpen();
      CoreNative.jcore_metrics_record_ns(m.ptr, id, ns);
      Reference.reachabilityFence(m);
    }

    /** A start time for {@link #stop(long)} (System.nanoTime: CLOCK_MONOTONIC). */
    public long start() {
      return System.nanoTime();
    }

    /** Records the time since {@code startNanos} (from {@link #start()}) and returns it. */
    public long stop(long startNanos) {
      long elapsed = System.nanoTime() - startNanos;
      recordNanos(elapsed);
      return elapsed;
    }

    /** Runs {@code body} and records how long it took, also when it throws (the exception is rethrown). */
    public void time(Runnable body) {
      Check.notNull(body, "body");
      long t0 = System.nanoTime();
      try {
        body.run();
      } catch (Throwable e) {
        recordAfterFailure(t0, e);
        throw e;
      }
      recordNanos(System.nanoTime() - t0);
    }

    /** Calls {@code body}, records how long it took (also when it throws) and returns its result. */
    public <T> T time(Supplier<T> body) {
      Check.notNull(body, "body");
      long t0 = System.nanoTime();
      T result;
      try {
        result = body.get();
      } catch (Throwable e) {
        recordAfterFailure(t0, e);
        throw e;
      }
      recordNanos(System.nanoTime() - t0);
      return result;
    }

    private void recordAfterFailure(long t0, Throwable e) {
      try {
        recordNanos(System.nanoTime() - t0);
      } catch (RuntimeException r) {
        e.addSuppressed(r); // e.g. closed meanwhile: the body's exception wins
      }
    }

    /** count, sum, min, max, mean, stddev, underflows and overflows. */
    public TimerStats stats() {
      long[] v = new long[8];
      long h = owner.enter();
      try {
        CoreNative.jcore_metrics_timer_stats(h, 0, id, v);
      } finally {
        owner.exit();
      }
      return new TimerStats(v);
    }

    /**
     * The nearest-rank percentile q in [0, 1] in ns, within the configured
     * relative error (q = 0 gives min, q = 1 max exactly).
     * CoreException(EMPTY) when nothing was recorded, IllegalArgumentException
     * for q outside [0, 1] or NaN.
     */
    public long percentile(double q) {
      checkQ(q);
      long[] v = new long[1];
      long h = owner.enter();
      try {
        CoreNative.jcore_metrics_percentile(h, 0, id, q, v);
      } finally {
        owner.exit();
      }
      return v[0];
    }
  }

  static void checkQ(double q) {
    if (!(q >= 0 && q <= 1)) {
      throw new IllegalArgumentException("q must be in [0, 1], got " + q);
    }
  }

  /** A monotonic counter (modulo 2^64). */
  public static final class Counter extends Metric {
    Counter(Metrics owner, int id, String name) {
      super(owner, id, name);
    }

    @Override
    public Kind kind() {
      return Kind.COUNTER;
    }

    /** Adds delta >= 0 (counters only go up): lock-free, no allocation. */
    public void add(long delta) {
      if (delta < 0) {
        throw new IllegalArgumentException("a counter only goes up: delta " + delta);
      }
      Metrics m = owner;
      m.checkOpen();
      CoreNative.jcore_metrics_counter_add(m.ptr, id, delta);
      Reference.reachabilityFence(m);
    }

    /** Adds 1. */
    public void increment() {
      add(1);
    }

    /** The value (an unsigned 64-bit count in a long). */
    public long get() {
      long[] v = new long[1];
      long h = owner.enter();
      try {
        CoreNative.jcore_metrics_counter_get(h, 0, id, v);
      } finally {
        owner.exit();
      }
      return v[0];
    }
  }

  /** A gauge: a double that is set or added to. */
  public static final class Gauge extends Metric {
    Gauge(Metrics owner, int id, String name) {
      super(owner, id, name);
    }

    @Override
    public Kind kind() {
      return Kind.GAUGE;
    }

    /** Sets the value (finite; CoreException(INVALID_ARGUMENT) otherwise). */
    public void set(double value) {
      Metrics m = owner;
      m.checkOpen();
      CoreNative.jcore_metrics_gauge_set(m.ptr, id, value);
      Reference.reachabilityFence(m);
    }

    /** Adds delta (finite) to the value. */
    public void add(double delta) {
      Metrics m = owner;
      m.checkOpen();
      CoreNative.jcore_metrics_gauge_add(m.ptr, id, delta);
      Reference.reachabilityFence(m);
    }

    /** The value. */
    public double get() {
      long h = owner.enter();
      try {
        return CoreNative.jcore_metrics_gauge_get(h, 0, id);
      } finally {
        owner.exit();
      }
    }
  }
}
