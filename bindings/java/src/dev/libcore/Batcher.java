package dev.libcore;

import java.util.Arrays;
import java.util.OptionalLong;

/**
 * A generic dynamic batcher (C: {@code core_batcher_t}, pipeline.h): items
 * (an id and a length) wait in length buckets; a bucket's batch is released
 * when it holds maxBatch items, when its oldest item has waited maxDelayMs,
 * or on {@link #flush()}.
 *
 * <pre>{@code
 * try (Batcher b = new Batcher(BatcherOptions.builder().maxBatch(8).maxDelayMs(20).bucketBounds(400, 1600).build())) {
 *   for (Request r : requests) b.add(r.id(), r.tokens());
 *   for (Batcher.IdBatch batch; (batch = b.next()) != null; ) run(batch.bucket(), batch.ids());
 *   b.nextDeadlineNanos().ifPresent(ns -> sleepNanos(ns));   // then next() again
 * }
 * }</pre>
 *
 * <p>Ids are the caller's (handed back as given; duplicates allowed; any long,
 * read as unsigned by libcore). Of the due buckets, the one whose oldest item
 * arrived first is released first; a batch holds up to maxBatch ids of one
 * bucket in arrival order.
 *
 * <p>One thread at a time (libcore's rule), checked: a call while another
 * thread is inside one throws {@link java.util.ConcurrentModificationException}.
 * {@link #close()} is idempotent and waits for a call in progress; later calls
 * throw {@link IllegalStateException}; a cleaner releases a forgotten batcher.
 */
public final class Batcher implements AutoCloseable {
  /** A released batch: ids in arrival order and their bucket. */
  public static final class IdBatch {
    private final long[] ids;
    private final int bucket;

    IdBatch(long[] ids, int bucket) {
      this.ids = ids;
      this.bucket = bucket;
    }

    /** The ids, in arrival order (the array itself, not a copy). */
    public long[] ids() {
      return ids;
    }

    /** The bucket index, 0 .. buckets - 1. */
    public int bucket() {
      return bucket;
    }

    /** Ids in the batch, 1 .. maxBatch. */
    public int size() {
      return ids.length;
    }

    @Override
    public String toString() {
      return "IdBatch{bucket=" + bucket + ", ids=" + Arrays.toString(ids) + "}";
    }
  }

  private final NativeHandle h;
  private final BatcherOptions options;
  private final long[] scratch; // under the exclusive handle only
  private final long[] one = new long[1];

  /** A batcher with libcore's defaults (batches of 8, 50 ms, one bucket). */
  public Batcher() {
    this(BatcherOptions.defaults());
  }

  /**
   * A batcher with these options.
   *
   * @throws CoreException INVALID_ARGUMENT for maxBatch 0 or bounds not strictly ascending
   */
  public Batcher(BatcherOptions options) {
    this.options = Check.notNull(options, "options");
    long[] handle = new long[1];
    CoreNative.jcore_batcher_create(options.maxBatch(), options.maxDelayMs(), options.rawBounds(), options.clock(),
        handle);
    this.h = new NativeHandle.Exclusive("Batcher", handle[0], CoreNative::jcore_batcher_destroy);
    this.scratch = new long[options.maxBatch()];
  }

  /** The options it was created with. */
  public BatcherOptions options() {
    return options;
  }

  /**
   * Adds an item, stamped with the clock, to the first bucket whose bound is >= length.
   *
   * @throws IllegalArgumentException length negative
   */
  public void add(long id, long length) {
    if (length < 0) {
      throw new IllegalArgumentException("length must be >= 0, got " + length);
    }
    long b = h.enter();
    try {
      CoreNative.jcore_batcher_add(b, id, length);
    } finally {
      h.exit();
    }
  }

  /** The next released batch, or null when none is due now (none full, none timed out, nothing flushed). */
  public IdBatch next() {
    long b = h.enter();
    try {
      int n = (int) CoreNative.jcore_batcher_next(b, scratch, one);
      return n == 0 ? null : new IdBatch(Arrays.copyOf(scratch, n), (int) one[0]);
    } finally {
      h.exit();
    }
  }

  /** Makes every waiting item due: the following {@link #next()} calls release them. */
  public void flush() {
    long b = h.enter();
    try {
      CoreNative.jcore_batcher_flush(b);
    } finally {
      h.exit();
    }
  }

  /** Items waiting (due or not). */
  public long pending() {
    long b = h.enter();
    try {
      return CoreNative.jcore_batcher_pending(b);
    } finally {
      h.exit();
    }
  }

  /**
   * Nanoseconds (the batcher's clock) until the oldest waiting item times
   * out, 0 when a batch is due now; empty when nothing waits.
   */
  public OptionalLong nextDeadlineNanos() {
    long b = h.enter();
    try {
      return CoreNative.jcore_batcher_next_deadline(b, one) != 0 ? OptionalLong.of(one[0]) : OptionalLong.empty();
    } finally {
      h.exit();
    }
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return h.isClosed();
  }

  /** Releases the batcher. Idempotent; later calls throw {@link IllegalStateException}. */
  @Override
  public void close() {
    h.close();
  }

  @Override
  public String toString() {
    return "Batcher{" + options + (h.isClosed() ? ", closed}" : "}");
  }
}
