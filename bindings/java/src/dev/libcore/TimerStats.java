package dev.libcore;

/**
 * The summary of a timer (C: {@code core_timer_stats_t}), from
 * {@link Metrics.Timer#stats()} or {@link MetricsSnapshot#stats}. Counts,
 * sum, min and max are exact (sum modulo 2^64); stddev is computed from the
 * histogram's bucket midpoints. All times in nanoseconds. A value class.
 */
public final class TimerStats {
  private final long count;
  private final long sumNanos;
  private final long minNanos;
  private final long maxNanos;
  private final double meanNanos;
  private final double stddevNanos;
  private final long underflows;
  private final long overflows;

  /** From the raw layer's long[8] {count, sum, min, max, mean bits, stddev bits, underflows, overflows}. */
  TimerStats(long[] v) {
    count = v[0];
    sumNanos = v[1];
    minNanos = v[2];
    maxNanos = v[3];
    meanNanos = Double.longBitsToDouble(v[4]);
    stddevNanos = Double.longBitsToDouble(v[5]);
    underflows = v[6];
    overflows = v[7];
  }

  /** Values recorded, clamped ones included. */
  public long count() {
    return count;
  }

  /** Their exact sum after clamping, in ns (modulo 2^64). */
  public long sumNanos() {
    return sumNanos;
  }

  /** The smallest value recorded (0 when count is 0). */
  public long minNanos() {
    return minNanos;
  }

  /** The largest value recorded (0 when count is 0). */
  public long maxNanos() {
    return maxNanos;
  }

  /** sum / count (0 when count is 0). */
  public double meanNanos() {
    return meanNanos;
  }

  /** The population standard deviation, from bucket midpoints. */
  public double stddevNanos() {
    return stddevNanos;
  }

  /** Negative values, recorded as 0. */
  public long underflows() {
    return underflows;
  }

  /** Values above the highest trackable value, recorded as that value. */
  public long overflows() {
    return overflows;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TimerStats)) {
      return false;
    }
    TimerStats t = (TimerStats) o;
    return t.count == count && t.sumNanos == sumNanos && t.minNanos == minNanos && t.maxNanos == maxNanos
        && Double.compare(t.meanNanos, meanNanos) == 0 && Double.compare(t.stddevNanos, stddevNanos) == 0
        && t.underflows == underflows && t.overflows == overflows;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(count) * 31 + Long.hashCode(sumNanos);
  }

  @Override
  public String toString() {
    return "TimerStats{count=" + count + ", sum=" + sumNanos + "ns, min=" + minNanos + "ns, max=" + maxNanos
        + "ns, mean=" + meanNanos + "ns, stddev=" + stddevNanos + "ns, underflows=" + underflows + ", overflows="
        + overflows + "}";
  }
}
