package dev.libcore;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * A mergeable one-pass summary of a sample (C: {@code core_stats_t}):
 * count, NaN count, min, max, sum, mean and m2 (the sum of squared
 * deviations), so the variance for any ddof. An immutable value: store it,
 * compare it, {@link #merge} it (one per stream chunk or per worker).
 *
 * <pre>{@code
 * Stats s = Stats.of(samples);                 // float[] or double[]
 * double sd = s.std(1);                        // like np.std(x, ddof=1)
 * Stats all = s.merge(Stats.of(moreSamples));  // as if summarized together
 * }</pre>
 *
 * <p>Accumulation is in double for float input too; mean and variance stay
 * within a few ulps of an exact reference even for large offsets. NaN: under
 * {@link NanPolicy#PROPAGATE} (the default) a NaN makes min, max, sum, mean
 * and the variance NaN; under {@link NanPolicy#OMIT} NaNs are skipped.
 * Either way {@link #nanCount()} counts them. An empty sample (or only NaNs
 * under OMIT) is not an error: count 0, sum 0, min/max/mean/m2 NaN.
 *
 * <p>Array overloads pass the array without a copy up to
 * {@link Core#CRITICAL_ARRAY_MAX_ELEMENTS} elements and copy it beyond (so a
 * long parallel summary never holds the GC off); for large data without a
 * copy use the direct-buffer overloads.
 */
public final class Stats {
  private final long count;
  private final long nanCount;
  private final double min;
  private final double max;
  private final double sum;
  private final double mean;
  private final double m2;

  private Stats(long[] raw) {
    this(raw, 0);
  }

  private Stats(long[] raw, int at) {
    this(raw[at], raw[at + 1], Double.longBitsToDouble(raw[at + 2]), Double.longBitsToDouble(raw[at + 3]),
        Double.longBitsToDouble(raw[at + 4]), Double.longBitsToDouble(raw[at + 5]),
        Double.longBitsToDouble(raw[at + 6]));
  }

  /** The summary in raw[0, 7) (jni/jcore.h's long[7] layout). */
  static Stats fromRaw(long[] raw) {
    return new Stats(raw);
  }

  /** raw.length / 7 summaries, one per consecutive long[7] (jni/jcore_batch.h). */
  static Stats[] fromRawArray(long[] raw) {
    Stats[] out = new Stats[raw.length / 7];
    for (int i = 0; i < out.length; ++i) {
      out[i] = new Stats(raw, 7 * i);
    }
    return out;
  }

  /** A long[] for count summaries, or IllegalArgumentException when a Java array cannot hold it. */
  static long[] rawArray(long count, String what) {
    return new long[Check.arrayLength(7.0 * count, what)];
  }

  private Stats(long count, long nanCount, double min, double max, double sum, double mean, double m2) {
    this.count = count;
    this.nanCount = nanCount;
    this.min = min;
    this.max = max;
    this.sum = sum;
    this.mean = mean;
    this.m2 = m2;
  }

  /** The long[7] layout of jni/jcore.h: counts, then the raw bits of the doubles. */
  private long[] raw() {
    return new long[] {count, nanCount, Double.doubleToRawLongBits(min), Double.doubleToRawLongBits(max),
        Double.doubleToRawLongBits(sum), Double.doubleToRawLongBits(mean), Double.doubleToRawLongBits(m2)};
  }

  // ---- summaries ---------------------------------------------------------

  /** The summary of x, NaN propagating. */
  public static Stats of(float[] x) {
    return of(x, NanPolicy.PROPAGATE);
  }

  public static Stats of(float[] x, NanPolicy nan) {
    long[] raw = new long[7];
    CoreNative.core_stats_f32(Check.notNull(x, "x"), Check.notNull(nan, "nan").code, raw);
    return new Stats(raw);
  }

  public static Stats of(double[] x) {
    return of(x, NanPolicy.PROPAGATE);
  }

  public static Stats of(double[] x, NanPolicy nan) {
    long[] raw = new long[7];
    CoreNative.core_stats_f64(Check.notNull(x, "x"), Check.notNull(nan, "nan").code, raw);
    return new Stats(raw);
  }

  /** The summary of the buffer's remaining elements (position unchanged); no copy at any size. */
  public static Stats of(FloatBuffer x) {
    return of(x, NanPolicy.PROPAGATE);
  }

  public static Stats of(FloatBuffer x, NanPolicy nan) {
    long[] raw = new long[7];
    CoreNative.jcore_stats_f32_direct(Check.in(x, "x"), Check.notNull(nan, "nan").code, raw);
    return new Stats(raw);
  }

  public static Stats of(DoubleBuffer x) {
    return of(x, NanPolicy.PROPAGATE);
  }

  public static Stats of(DoubleBuffer x, NanPolicy nan) {
    long[] raw = new long[7];
    CoreNative.jcore_stats_f64_direct(Check.in(x, "x"), Check.notNull(nan, "nan").code, raw);
    return new Stats(raw);
  }

  /** The summary of no values: the identity of {@link #merge}. */
  public static Stats empty() {
    return of(new double[0]);
  }

  /**
   * A summary from its fields, for example one stored earlier. No check is
   * made: a summary that is not one libcore could produce merges into
   * meaningless moments.
   */
  public static Stats fromFields(long count, long nanCount, double min, double max, double sum, double mean,
      double m2) {
    return new Stats(count, nanCount, min, max, sum, mean, m2);
  }

  // ---- fields ------------------------------------------------------------

  /**
   * Values summarized (NaNs excluded under OMIT, included under PROPAGATE).
   * Unsigned 64-bit in C: beyond 2^63 - 1 (only reachable by merging) it
   * reads negative here; {@link Long#toUnsignedString(long)} prints it.
   */
  public long count() {
    return count;
  }

  /** NaNs seen, under either policy (unsigned, like {@link #count()}). */
  public long nanCount() {
    return nanCount;
  }

  public double min() {
    return min;
  }

  public double max() {
    return max;
  }

  public double sum() {
    return sum;
  }

  public double mean() {
    return mean;
  }

  /** The sum of squared deviations from the mean. */
  public double m2() {
    return m2;
  }

  // ---- derived -----------------------------------------------------------

  /** The population variance (ddof 0), as {@code np.var}. */
  public double variance() {
    return variance(0);
  }

  /**
   * {@code m2 / (count - ddof)}; NaN when {@code count <= ddof} (NumPy warns and
   * returns NaN or inf there).
   *
   * @throws IllegalArgumentException ddof negative
   */
  public double variance(int ddof) {
    return CoreNative.core_stats_var(raw(), Check.notNegative(ddof, "ddof"));
  }

  /** The population standard deviation (ddof 0), as {@code np.std}. */
  public double std() {
    return std(0);
  }

  /** The square root of {@link #variance(int)}. */
  public double std(int ddof) {
    return CoreNative.core_stats_std(raw(), Check.notNegative(ddof, "ddof"));
  }

  /**
   * The summary of both samples together (Chan et al. pairwise update). An
   * empty summary is the identity.
   *
   * @throws CoreException INVALID_ARGUMENT if a count would pass 2^64 - 1
   */
  public Stats merge(Stats other) {
    long[] out = new long[7];
    CoreNative.core_stats_merge(raw(), Check.notNull(other, "other").raw(), out);
    return new Stats(out);
  }

  // ---- value semantics ---------------------------------------------------

  /** Equal when every field is equal, comparing doubles by bits (NaN equals NaN). */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Stats)) {
      return false;
    }
    Stats s = (Stats) o;
    return count == s.count && nanCount == s.nanCount && same(min, s.min) && same(max, s.max)
        && same(sum, s.sum) && same(mean, s.mean) && same(m2, s.m2);
  }

  private static boolean same(double a, double b) {
    return Double.doubleToLongBits(a) == Double.doubleToLongBits(b);
  }

  @Override
  public int hashCode() {
    int h = Long.hashCode(count) * 31 + Long.hashCode(nanCount);
    for (double d : new double[] {min, max, sum, mean, m2}) {
      h = h * 31 + Double.hashCode(d);
    }
    return h;
  }

  @Override
  public String toString() {
    return "Stats{count=" + count + ", nanCount=" + nanCount + ", min=" + min + ", max=" + max + ", sum=" + sum
        + ", mean=" + mean + ", m2=" + m2 + "}";
  }
}
