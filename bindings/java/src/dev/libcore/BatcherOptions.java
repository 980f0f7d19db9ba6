package dev.libcore;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The options of a {@link Batcher} (C: {@code core_batcher_options_t},
 * pipeline.h), on top of libcore's defaults ({@code core_batcher_options_init}:
 * batches of 8, a 50 ms longest wait, one bucket, the monotonic clock).
 *
 * <pre>{@code
 * BatcherOptions o = BatcherOptions.builder()
 *     .maxBatch(16).maxDelayMs(20)
 *     .bucketBounds(100, 400, 1600)     // 4 buckets: length <= 100, <= 400, <= 1600, the rest
 *     .build();
 * }</pre>
 *
 * <p>Checks are libcore's, at {@link Batcher} creation ({@link CoreException}
 * INVALID_ARGUMENT: maxBatch 0, bounds not strictly ascending), except what
 * Java refuses at once (negative values, more than {@link #MAX_BUCKETS} buckets).
 */
public final class BatcherOptions {
  /** The most length buckets a batcher takes (C: {@code CORE_BATCHER_MAX_BUCKETS}). */
  public static final int MAX_BUCKETS = 16;

  private static final class Defaults {
    static final BatcherOptions VALUES = read();

    private static BatcherOptions read() {
      long[] v = new long[2];
      CoreNative.jcore_batcher_options_init(v);
      Builder b = new Builder();
      b.maxBatch = (int) Math.min(v[0], Integer.MAX_VALUE);
      b.maxDelayMs = v[1];
      return new BatcherOptions(b);
    }
  }

  private final int maxBatch;
  private final long maxDelayMs;
  private final long[] bucketBounds;
  private final LongSupplier clock;

  private BatcherOptions(Builder b) {
    this.maxBatch = b.maxBatch;
    this.maxDelayMs = b.maxDelayMs;
    this.bucketBounds = b.bucketBounds.clone();
    this.clock = b.clock;
  }

  /** libcore's defaults. */
  public static BatcherOptions defaults() {
    return Defaults.VALUES;
  }

  public static Builder builder() {
    return new Builder(defaults());
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Items per batch (default 8). */
  public int maxBatch() {
    return maxBatch;
  }

  /** The longest wait of an item in ms (default 50); 0: every item is due at the next {@code next()}. */
  public long maxDelayMs() {
    return maxDelayMs;
  }

  /** The inclusive upper bounds of every bucket but the last (a copy); empty: one bucket. */
  public long[] bucketBounds() {
    return bucketBounds.clone();
  }

  /** Buckets: {@code bucketBounds().length + 1}. */
  public int buckets() {
    return bucketBounds.length + 1;
  }

  /** The clock in nanoseconds (non-negative, non-decreasing), or null: the monotonic clock. */
  public LongSupplier clock() {
    return clock;
  }

  long[] rawBounds() {
    return bucketBounds;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof BatcherOptions)) {
      return false;
    }
    BatcherOptions x = (BatcherOptions) o;
    return maxBatch == x.maxBatch && maxDelayMs == x.maxDelayMs && Arrays.equals(bucketBounds, x.bucketBounds)
        && Objects.equals(clock, x.clock);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxBatch, maxDelayMs, Arrays.hashCode(bucketBounds), clock);
  }

  @Override
  public String toString() {
    return "BatcherOptions{maxBatch=" + maxBatch + ", maxDelayMs=" + maxDelayMs + ", bucketBounds="
        + Arrays.toString(bucketBounds) + (clock != null ? ", clock=" + clock : "") + "}";
  }

  /** Builds {@link BatcherOptions}. */
  public static final class Builder {
    private int maxBatch;
    private long maxDelayMs;
    private long[] bucketBounds = new long[0];
    private LongSupplier clock;

    private Builder() {}

    private Builder(BatcherOptions from) {
      this.maxBatch = from.maxBatch;
      this.maxDelayMs = from.maxDelayMs;
      this.bucketBounds = from.bucketBounds;
      this.clock = from.clock;
    }

    public Builder maxBatch(int n) {
      this.maxBatch = Check.notNegative(n, "maxBatch");
      return this;
    }

    /** At most 2^32 - 1 ms. */
    public Builder maxDelayMs(long ms) {
      if (ms < 0 || ms > 0xffffffffL) {
        throw new IllegalArgumentException("maxDelayMs must be in 0 .. 4294967295, got " + ms);
      }
      this.maxDelayMs = ms;
      return this;
    }

    /**
     * Ascending inclusive upper bounds of the first {@code bounds.length}
     * buckets; the last bucket takes longer items. An item goes to the first
     * bucket whose bound is >= its length. None: one bucket.
     */
    public Builder bucketBounds(long... bounds) {
      Check.notNull(bounds, "bounds");
      if (bounds.length > MAX_BUCKETS - 1) {
        throw new IllegalArgumentException(
            bounds.length + " bucket bounds make " + (bounds.length + 1) + " buckets, more than " + MAX_BUCKETS);
      }
      for (long b : bounds) {
        if (b < 0) {
          throw new IllegalArgumentException("bucket bounds must be >= 0, got " + b);
        }
      }
      this.bucketBounds = bounds.clone();
      return this;
    }

    /**
     * The batcher's clock in nanoseconds, any fixed epoch, non-negative and
     * non-decreasing (tests inject one); null: the monotonic clock. It runs on
     * the thread of each batcher call and must not use the batcher; a reading
     * that throws or goes back counts as the last one.
     */
    public Builder clock(LongSupplier clock) {
      this.clock = clock;
      return this;
    }

    public BatcherOptions build() {
      return new BatcherOptions(this);
    }
  }
}
