package dev.libcore;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stream summarized chunk by chunk (C: {@code core_stats_acc_t}, batch.h):
 * push chunks as they arrive, read the {@link Stats} at any time, merge the
 * accumulators of workers that each saw part of the data.
 *
 * <pre>{@code
 * StatsAccumulator acc = new StatsAccumulator(NanPolicy.PROPAGATE, totalSamples);
 * while ((n = source.read(chunk)) > 0) {
 *   acc.push(chunk, 0, n);
 * }
 * Stats s = acc.result();   // bit for bit Stats.of(everything), since the total was declared
 * }</pre>
 *
 * <p><b>Results.</b> The result never depends on how the stream was cut into
 * pushes. With the stream's length declared up front
 * ({@link #StatsAccumulator(NanPolicy, long)}) and exactly that many values
 * pushed, it equals {@link Stats#of} on the whole stream bit for bit. With
 * the length unknown (0) it is bit-identical too when
 * {@code ceil(n / 2048)} is a power of two (so for any n up to 2048);
 * otherwise count, nanCount, min and max are exact and sum, mean and m2
 * may differ from {@code Stats.of} by a few ulps (the order of the final
 * merges). A result read before the declared length is reached is the
 * running summary of what was pushed. An accumulator takes only float or
 * only double values (the first non-empty push decides: the two kernels
 * round differently).
 *
 * <p><b>Memory.</b> The C accumulator is about 21 KB of plain data (it
 * buffers one 2048-value block and a merge stack). It lives in a direct
 * {@link ByteBuffer} owned by this object, so the garbage collector frees
 * it: there is nothing to close. Array pushes reach libcore without a copy
 * (JNI critical access in pieces of at most
 * {@link Core#CRITICAL_ARRAY_MAX_ELEMENTS} values, so the GC never waits
 * long); direct-buffer pushes are never copied, at any size, and a large
 * one is summarized in parallel.
 *
 * <p><b>Threads.</b> Every method is synchronized on the accumulator (and
 * {@link #merge} on both), so sharing one is safe; for throughput give each
 * thread its own and merge them at the end.
 *
 * <p><b>Errors.</b> A failed push leaves the accumulator as it was:
 * {@link CoreException} INVALID_ARGUMENT for pushing the other dtype, or
 * more values than the declared length; {@link NullPointerException} for a
 * null array; {@link IndexOutOfBoundsException} for a bad range.
 */
public final class StatsAccumulator {
  private static final int SIZE = Math.toIntExact(CoreNative.jcore_stats_acc_size());
  private static final int ALIGN = Math.toIntExact(CoreNative.jcore_stats_acc_align());
  private static final AtomicLong IDS = new AtomicLong();

  /** The C struct, in native memory the GC owns. */
  private final ByteBuffer acc;
  private final NanPolicy nan;
  private final long expectedCount;
  /** Orders the two locks of {@link #merge}. */
  private final long id = IDS.getAndIncrement();

  /** An empty stream of unknown length, NaN propagating. */
  public StatsAccumulator() {
    this(NanPolicy.PROPAGATE, 0);
  }

  /** An empty stream of unknown length. */
  public StatsAccumulator(NanPolicy nan) {
    this(nan, 0);
  }

  /**
   * An empty stream of {@code expectedCount} values (0: unknown). With the
   * length declared, the result after exactly that many values is
   * {@link Stats#of} of them all, bit for bit; pushing more is an error.
   *
   * @throws IllegalArgumentException expectedCount negative
   */
  public StatsAccumulator(NanPolicy nan, long expectedCount) {
    this.nan = Check.notNull(nan, "nan");
    if (expectedCount < 0) {
      throw new IllegalArgumentException("expectedCount must be >= 0 (0: unknown), got " + expectedCount);
    }
    this.expectedCount = expectedCount;
    this.acc = allocate();
    CoreNative.core_stats_acc_init(acc, nan.code, expectedCount);
  }

  private StatsAccumulator(StatsAccumulator from) {
    this.nan = from.nan;
    this.expectedCount = from.expectedCount;
    this.acc = allocate();
    ByteBuffer src = from.acc.duplicate();
    src.clear().limit(SIZE);
    acc.duplicate().put(src);
  }

  /** A direct buffer of the struct's size, aligned for it (allocateDirect is, on every JDK; made sure). */
  private static ByteBuffer allocate() {
    return ByteBuffer.allocateDirect(SIZE + ALIGN - 1).alignedSlice(ALIGN);
  }

  /** The NaN policy given at creation. */
  public NanPolicy nanPolicy() {
    return nan;
  }

  /** The stream length declared at creation, 0 when unknown. */
  public long expectedCount() {
    return expectedCount;
  }

  // ---- push --------------------------------------------------------------

  /** Appends x to the stream; returns this. */
  public StatsAccumulator push(float[] x) {
    return push(Check.notNull(x, "x"), 0, x.length);
  }

  /** Appends {@code x[offset, offset + length)} to the stream; returns this. */
  public synchronized StatsAccumulator push(float[] x, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, Check.notNull(x, "x").length);
    CoreNative.jcore_stats_acc_push_f32_array(acc, x, offset, length);
    return this;
  }

  public StatsAccumulator push(double[] x) {
    return push(Check.notNull(x, "x"), 0, x.length);
  }

  public synchronized StatsAccumulator push(double[] x, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, Check.notNull(x, "x").length);
    CoreNative.jcore_stats_acc_push_f64_array(acc, x, offset, length);
    return this;
  }

  /** Appends the buffer's remaining elements (direct, native order; position unchanged); no copy. */
  public synchronized StatsAccumulator push(FloatBuffer x) {
    CoreNative.jcore_stats_acc_push_f32_direct(acc, Check.in(x, "x"));
    return this;
  }

  public synchronized StatsAccumulator push(DoubleBuffer x) {
    CoreNative.jcore_stats_acc_push_f64_direct(acc, Check.in(x, "x"));
    return this;
  }

  // ---- merge, result, copy, reset ---------------------------------------

  /**
   * Folds other's summary into this one: the result becomes
   * {@code result().merge(other.result())} (exact in count, nanCount, min
   * and max; to rounding in the rest). Values pushed afterwards start a new
   * segment of unknown length (either dtype) merged after it. other is
   * unchanged and may be this. Returns this.
   *
   * @throws CoreException INVALID_ARGUMENT, this unchanged, for different
   *     NaN policies or counts that would overflow
   */
  public StatsAccumulator merge(StatsAccumulator other) {
    Check.notNull(other, "other");
    StatsAccumulator first = id < other.id ? this : other;
    StatsAccumulator second = first == this ? other : this;
    synchronized (first) {
      synchronized (second) {
        CoreNative.core_stats_acc_merge(acc, other.acc);
      }
    }
    return this;
  }

  /** The summary of everything pushed and merged so far; the stream may continue. */
  public synchronized Stats result() {
    long[] raw = new long[7];
    CoreNative.core_stats_acc_result(acc, raw);
    return Stats.fromRaw(raw);
  }

  /** An independent accumulator in the same state (a fork of the stream: 21 KB copied). */
  public synchronized StatsAccumulator copy() {
    return new StatsAccumulator(this);
  }

  /** Starts an empty stream again, with the same NaN policy and declared length. Returns this. */
  public synchronized StatsAccumulator reset() {
    CoreNative.core_stats_acc_init(acc, nan.code, expectedCount);
    return this;
  }

  @Override
  public String toString() {
    return "StatsAccumulator{" + result() + "}";
  }
}
