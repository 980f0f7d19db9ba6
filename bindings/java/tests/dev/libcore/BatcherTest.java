package dev.libcore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ConcurrentModificationException;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** pipeline.h's length-bucket batcher through Batcher and BatcherOptions, on an injected clock. */
class BatcherTest {
  static final long MS = 1_000_000L;

  @Test
  void defaultsComeFromLibcore() {
    BatcherOptions d = BatcherOptions.defaults();
    assertEquals(8, d.maxBatch());
    assertEquals(50, d.maxDelayMs());
    assertEquals(1, d.buckets());
    assertEquals(0, d.bucketBounds().length);
    assertNull(d.clock());
    assertEquals(d, d.toBuilder().build());
  }

  @Test
  void releasedAtMaxBatchThenOnFlush() {
    AtomicLong now = new AtomicLong(1);
    BatcherOptions o = BatcherOptions.builder().maxBatch(3).maxDelayMs(10_000).clock(now::get).build();
    try (Batcher b = new Batcher(o)) {
      assertNull(b.next());
      for (long id = 1; id <= 7; ++id) {
        b.add(id, 10);
      }
      assertEquals(7, b.pending());
      Batcher.IdBatch first = b.next();
      assertNotNull(first);
      assertArrayEquals(new long[] {1, 2, 3}, first.ids());
      assertEquals(0, first.bucket());
      assertArrayEquals(new long[] {4, 5, 6}, b.next().ids());
      assertNull(b.next(), "one item waits, not timed out");
      assertEquals(1, b.pending());
      b.flush();
      Batcher.IdBatch last = b.next();
      assertArrayEquals(new long[] {7}, last.ids());
      assertEquals(1, last.size());
      assertNull(b.next());
      assertEquals(0, b.pending());
      assertFalse(b.nextDeadlineNanos().isPresent());
    }
  }

  @Test
  void releasedWhenTheOldestTimesOut() {
    AtomicLong now = new AtomicLong(1000 * MS);
    BatcherOptions o = BatcherOptions.builder().maxBatch(4).maxDelayMs(50).clock(now::get).build();
    try (Batcher b = new Batcher(o)) {
      assertEquals(OptionalLong.empty(), b.nextDeadlineNanos());
      b.add(10, 1);
      now.addAndGet(20 * MS);
      b.add(11, 1);
      assertNull(b.next());
      assertEquals(OptionalLong.of(30 * MS), b.nextDeadlineNanos());
      now.addAndGet(29 * MS);
      assertNull(b.next());
      now.addAndGet(1 * MS);
      assertEquals(OptionalLong.of(0), b.nextDeadlineNanos(), "due now");
      Batcher.IdBatch batch = b.next();
      assertNotNull(batch);
      assertArrayEquals(new long[] {10, 11}, batch.ids(), "the items behind the oldest come along");
      assertEquals(0, b.pending());
    }
  }

  @Test
  void zeroDelayReleasesAtTheNextCall() {
    try (Batcher b = new Batcher(BatcherOptions.builder().maxDelayMs(0).build())) {
      b.add(1, 5);
      assertArrayEquals(new long[] {1}, b.next().ids());
    }
  }

  @Test
  void bucketsByLength() {
    AtomicLong now = new AtomicLong(1);
    BatcherOptions o = BatcherOptions.builder().maxBatch(2).maxDelayMs(1000).bucketBounds(100, 400).clock(now::get)
        .build();
    assertEquals(3, o.buckets());
    try (Batcher b = new Batcher(o)) {
      b.add(1, 50);   // bucket 0
      now.incrementAndGet();
      b.add(2, 500);  // bucket 2
      now.incrementAndGet();
      b.add(3, 100);  // bucket 0 (bounds are inclusive): full
      now.incrementAndGet();
      b.add(4, 300);  // bucket 1
      now.incrementAndGet();
      b.add(5, 401);  // bucket 2: full
      Batcher.IdBatch x = b.next();
      assertEquals(0, x.bucket(), "the due bucket whose oldest item came first");
      assertArrayEquals(new long[] {1, 3}, x.ids());
      Batcher.IdBatch y = b.next();
      assertEquals(2, y.bucket());
      assertArrayEquals(new long[] {2, 5}, y.ids());
      assertNull(b.next());
      b.flush();
      Batcher.IdBatch z = b.next();
      assertEquals(1, z.bucket());
      assertArrayEquals(new long[] {4}, z.ids());
    }
  }

  @Test
  void idsComeBackAsGiven() {
    try (Batcher b = new Batcher(BatcherOptions.builder().maxBatch(3).build())) {
      b.add(-1, 0);
      b.add(Long.MIN_VALUE, 0);
      b.add(-1, 0);
      assertArrayEquals(new long[] {-1, Long.MIN_VALUE, -1}, b.next().ids(), "any long, duplicates allowed");
    }
  }

  @Test
  void badOptionsAndArguments() {
    CoreException e = assertThrows(CoreException.class, () -> new Batcher(BatcherOptions.builder().maxBatch(0).build()));
    assertEquals(Status.INVALID_ARGUMENT, e.status());
    assertTrue(e.getMessage().contains("max_batch"), e.getMessage());
    e = assertThrows(CoreException.class, () -> new Batcher(BatcherOptions.builder().bucketBounds(400, 100).build()));
    assertEquals(Status.INVALID_ARGUMENT, e.status());
    assertTrue(e.getMessage().contains("ascending"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> BatcherOptions.builder().bucketBounds(new long[16]));
    assertThrows(IllegalArgumentException.class, () -> BatcherOptions.builder().bucketBounds(-1));
    assertThrows(IllegalArgumentException.class, () -> BatcherOptions.builder().maxBatch(-1));
    assertThrows(IllegalArgumentException.class, () -> BatcherOptions.builder().maxDelayMs(-1));
    assertThrows(NullPointerException.class, () -> new Batcher(null));
    try (Batcher b = new Batcher()) {
      assertThrows(IllegalArgumentException.class, () -> b.add(1, -1));
    }
  }

  @Test
  void oneThreadAtATime() throws Exception {
    AtomicReference<Batcher> self = new AtomicReference<>();
    AtomicReference<Throwable> other = new AtomicReference<>();
    AtomicLong now = new AtomicLong(1);
    // the clock runs inside a batcher call: another thread calling then is refused
    BatcherOptions o = BatcherOptions.builder().clock(() -> {
      Batcher b = self.get();
      if (b != null && other.get() == null) {
        Thread t = new Thread(() -> {
          try {
            b.pending();
            other.set(new AssertionError("no exception"));
          } catch (Throwable e) {
            other.set(e);
          }
        });
        t.start();
        try {
          t.join();
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      }
      return now.get();
    }).build();
    try (Batcher b = new Batcher(o)) {
      self.set(b);
      b.add(1, 1);
      assertEquals(1, b.pending());
    }
    assertTrue(other.get() instanceof ConcurrentModificationException, String.valueOf(other.get()));
  }

  @Test
  void closeTwiceAndUseAfterClose() {
    Batcher b = new Batcher();
    b.add(1, 1);
    b.close();
    b.close();
    assertTrue(b.isClosed());
    assertThrows(IllegalStateException.class, () -> b.add(2, 1));
    assertThrows(IllegalStateException.class, b::next);
    assertThrows(IllegalStateException.class, b::flush);
    assertThrows(IllegalStateException.class, b::pending);
    assertThrows(IllegalStateException.class, b::nextDeadlineNanos);
  }
}
