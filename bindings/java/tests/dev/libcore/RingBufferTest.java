package dev.libcore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.libcore.RingBuffer.Mirror;
import dev.libcore.RingBuffer.Policy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** ring.h through RingBuffer: every method, both policies, the mirror, errors, close, two threads. */
class RingBufferTest {
  private static float[] seq(int from, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; ++i) {
      x[i] = from + i;
    }
    return x;
  }

  private static FloatBuffer directBuffer(int n) {
    return ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  @Test
  void appendReadConsumePop() {
    try (RingBuffer ring = new RingBuffer(8)) {
      assertEquals(0, ring.size());
      assertEquals(8, ring.space());
      ring.append(seq(1, 3));
      assertEquals(3, ring.size());
      assertEquals(5, ring.space());
      assertArrayEquals(seq(1, 2), ring.read(2)); // not consumed
      assertArrayEquals(seq(1, 3), ring.readAll());
      ring.consume(1);
      assertArrayEquals(seq(2, 2), ring.read(2));
      float[] out = new float[5];
      assertEquals(2, ring.pop(out));
      assertArrayEquals(seq(2, 2), java.util.Arrays.copyOf(out, 2));
      assertEquals(0, ring.size());
      ring.append(seq(10, 4));
      assertArrayEquals(seq(10, 3), ring.pop(3));
      assertArrayEquals(seq(13, 1), ring.pop(100)); // what there is
      ring.consume(0);
      assertEquals(0, ring.readAll().length);
    }
  }

  @Test
  void wrapAroundWithAndWithoutTheMirror() {
    for (Mirror m : Mirror.values()) {
      RingBuffer ring;
      try {
        ring = new RingBuffer(1000, Policy.REJECT, m); // not a power of two, nor a page
      } catch (CoreException e) { // REQUIRE where mirroring is impossible
        assertEquals(Status.UNSUPPORTED, e.status());
        continue;
      }
      try (RingBuffer r = ring) {
        assertEquals(m == Mirror.REQUIRE, m == Mirror.REQUIRE && r.isMirrored());
        assertFalse(m == Mirror.OFF && r.isMirrored());
        int next = 0, expect = 0;
        SplittableRandom rnd = new SplittableRandom(m.ordinal());
        for (int round = 0; round < 2000; ++round) {
          int n = rnd.nextInt(1, 700);
          if (n <= r.space()) {
            r.append(seq(next, n));
            next += n;
          }
          float[] got = r.pop(rnd.nextInt(1, 700));
          assertArrayEquals(seq(expect, got.length), got, "round " + round);
          expect += got.length;
        }
        assertTrue(next > 100_000, "wrapped many times");
        assertEquals(next - expect, r.size());
        assertEquals(1000, r.capacity());
      }
    }
  }

  @Test
  void rejectWritesNothingWhenFull() {
    try (RingBuffer ring = RingBuffer.builder().capacity(4).build()) {
      assertEquals(Policy.REJECT, ring.policy());
      ring.append(seq(0, 3));
      Expect.core(Status.FULL, "core_ring_append_f32", () -> ring.append(seq(3, 2)));
      Expect.core(Status.FULL, "core_ring_append_i16", () -> ring.append(new short[2]));
      Expect.core(Status.FULL, "core_ring_append_f32", () -> ring.append(Expect.direct(1f, 2f)));
      assertArrayEquals(seq(0, 3), ring.readAll()); // nothing was written
      ring.append(seq(3, 1));
      assertEquals(0, ring.space());
      ring.clear();
      CoreException never = Expect.core(Status.FULL, "core_ring_append_f32", () -> ring.append(new float[5]));
      assertTrue(never.detail().contains("capacity") || never.detail().contains("never"), never.detail());
      assertEquals(0, ring.dropped());
    }
  }

  @Test
  void overwriteDropsTheOldestAndCountsThem() {
    try (RingBuffer ring = new RingBuffer(4, Policy.OVERWRITE)) {
      assertEquals(Policy.OVERWRITE, ring.policy());
      ring.append(seq(1, 6));
      assertArrayEquals(seq(3, 4), ring.readAll());
      assertEquals(2, ring.dropped());
      ring.append(seq(7, 10)); // more than the capacity: the last 4 are kept
      assertArrayEquals(seq(13, 4), ring.readAll());
      assertEquals(12, ring.dropped());
      assertEquals(4, ring.size());
      ring.clear(); // not counted as dropped
      assertEquals(12, ring.dropped());
      assertEquals(0, ring.size());
    }
  }

  @Test
  void readingMoreThanIsThereIsEmpty() {
    try (RingBuffer ring = new RingBuffer(16)) {
      Expect.core(Status.EMPTY, "core_ring_read", () -> ring.read(1));
      Expect.core(Status.EMPTY, "core_ring_pop", () -> ring.pop(new float[1]));
      Expect.core(Status.EMPTY, "core_ring_consume", () -> ring.consume(1));
      Expect.core(Status.EMPTY, "core_ring_read_latest", () -> ring.readLatest(1));
      assertEquals(0, ring.pop(new float[0]));
      assertEquals(0, ring.readAll(new float[0]));
      ring.append(seq(0, 5));
      Expect.core(Status.EMPTY, "core_ring_read", () -> ring.read(6));
      Expect.core(Status.EMPTY, "core_ring_consume", () -> ring.consume(6));
      Expect.core(Status.EMPTY, "core_ring_read_latest", () -> ring.readLatest(new float[6]));
      Expect.core(Status.BUFFER_TOO_SMALL, "core_ring_read_all", () -> ring.readAll(new float[4]));
      assertEquals(5, ring.size()); // nothing consumed by the failures
      float[] all = new float[10];
      assertEquals(5, ring.readAll(all));
      assertArrayEquals(seq(0, 5), java.util.Arrays.copyOf(all, 5));
    }
  }

  @Test
  void readLatestIsTheNewestOldestFirst() {
    try (RingBuffer ring = new RingBuffer(16)) {
      ring.append(seq(1, 10));
      assertArrayEquals(seq(8, 3), ring.readLatest(3));
      float[] out = new float[10];
      ring.readLatest(out);
      assertArrayEquals(seq(1, 10), out);
      assertEquals(10, ring.size());
    }
  }

  @Test
  void pcm16IsConvertedExactly() {
    try (RingBuffer ring = new RingBuffer(8)) {
      short[] pcm = {-32768, -1, 0, 1, 16384, 32767};
      ring.append(pcm);
      float[] got = ring.pop(6);
      assertArrayEquals(Pcm.decode(pcm), got);
      assertEquals(-1.0f, got[0]);
      assertEquals(32767 / 32768f, got[5]);
    }
  }

  @Test
  void directBuffersAndPeek() {
    try (RingBuffer ring = new RingBuffer(1000, Policy.REJECT, Mirror.ON)) {
      FloatBuffer in = Expect.direct(seq(0, 10));
      in.position(2);
      ring.append(in); // its remaining 8
      assertEquals(2, in.position());
      FloatBuffer dst = directBuffer(20);
      dst.position(5).limit(10);
      assertEquals(5, ring.peek(dst)); // room for 5
      assertEquals(5, dst.position());
      for (int i = 0; i < 5; ++i) {
        assertEquals(2 + i, dst.get(5 + i));
      }
      assertEquals(8, ring.size()); // nothing consumed
      ring.consume(3); // the first 3 the peek showed
      dst.clear();
      assertEquals(5, ring.peek(dst));
      assertEquals(5f, dst.get(0));
      assertEquals(0, ring.peek(directBuffer(0)));
      assertThrows(ReadOnlyBufferException.class, () -> ring.peek(directBuffer(4).asReadOnlyBuffer()));
      assertThrows(IllegalArgumentException.class, () -> ring.peek(FloatBuffer.allocate(4)));
      assertThrows(IllegalArgumentException.class, () -> ring.append(FloatBuffer.wrap(new float[1])));
    }
  }

  @Test
  void builderAndQueries() {
    try (RingBuffer ring = RingBuffer.builder().capacity(48000).policy(Policy.OVERWRITE).mirror(Mirror.ON)
        .build()) {
      assertEquals(48000, ring.capacity());
      assertEquals(Policy.OVERWRITE, ring.policy());
      assertEquals(0, ring.dropped());
      assertFalse(ring.isClosed());
      assertTrue(ring.toString().contains("capacity=48000"), ring.toString());
    }
    try (RingBuffer plain = new RingBuffer(4096, Policy.REJECT, Mirror.OFF)) {
      assertFalse(plain.isMirrored());
    }
    try (RingBuffer mirrored = new RingBuffer(4096, Policy.REJECT, Mirror.REQUIRE)) {
      assertTrue(mirrored.isMirrored());
    } catch (CoreException e) {
      assertEquals(Status.UNSUPPORTED, e.status()); // no memfd here: a clear refusal
    }
  }

  @Test
  void badCreationArguments() {
    Expect.core(Status.INVALID_ARGUMENT, "core_ring_create", () -> new RingBuffer(0));
    Expect.core(Status.INVALID_ARGUMENT, "core_ring_create", () -> RingBuffer.builder().build());
    Expect.core(Status.INVALID_ARGUMENT, "core_ring_create", () -> new RingBuffer(RingBuffer.MAX_CAPACITY + 1));
    assertThrows(IllegalArgumentException.class, () -> new RingBuffer(-1));
    assertThrows(IllegalArgumentException.class, () -> RingBuffer.builder().capacity(-5));
    assertThrows(NullPointerException.class, () -> new RingBuffer(8, null));
    assertThrows(NullPointerException.class, () -> new RingBuffer(8, Policy.REJECT, null));
    assertThrows(NullPointerException.class, () -> RingBuffer.builder().policy(null));
    assertThrows(NullPointerException.class, () -> RingBuffer.builder().mirror(null));
  }

  @Test
  void badCallArguments() {
    try (RingBuffer ring = new RingBuffer(8)) {
      assertThrows(NullPointerException.class, () -> ring.append((float[]) null));
      assertThrows(NullPointerException.class, () -> ring.append((short[]) null));
      assertThrows(NullPointerException.class, () -> ring.append((FloatBuffer) null));
      assertThrows(NullPointerException.class, () -> ring.read(null));
      assertThrows(NullPointerException.class, () -> ring.readAll(null));
      assertThrows(NullPointerException.class, () -> ring.readLatest(null));
      assertThrows(NullPointerException.class, () -> ring.pop(null));
      assertThrows(NullPointerException.class, () -> ring.peek(null));
      assertThrows(IllegalArgumentException.class, () -> ring.read(-1));
      assertThrows(IllegalArgumentException.class, () -> ring.readLatest(-1));
      assertThrows(IllegalArgumentException.class, () -> ring.pop(-1));
      assertThrows(IllegalArgumentException.class, () -> ring.consume(-1));
      assertThrows(IllegalArgumentException.class, () -> ring.waitReadable(-1, 0));
      assertThrows(IllegalArgumentException.class, () -> ring.waitWritable(-1, 0));
      Expect.core(Status.INVALID_ARGUMENT, "core_ring_wait_readable", () -> ring.waitReadable(9, 0));
      Expect.core(Status.INVALID_ARGUMENT, "core_ring_wait_writable", () -> ring.waitWritable(9, 10));
      assertEquals(0, ring.size()); // the ring still works
    }
  }

  @Test
  void waitsTimeOutOrWakeUp() throws Exception {
    try (RingBuffer ring = new RingBuffer(64)) {
      assertFalse(ring.waitReadable(1, 0));
      assertTrue(ring.waitReadable(0, 0));
      assertTrue(ring.waitWritable(64, 0));
      long t0 = System.nanoTime();
      assertFalse(ring.waitReadable(1, 60)); // several slices
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(ms >= 55 && ms < 5000, ms + " ms");
      ring.append(new float[64]);
      assertFalse(ring.waitWritable(1, 25));
      // woken by the other side
      Thread producer = new Thread(() -> {
        try {
          Thread.sleep(50);
          ring.consume(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      producer.start();
      t0 = System.nanoTime();
      assertTrue(ring.waitWritable(10, 10_000));
      assertTrue((System.nanoTime() - t0) / 1_000_000 < 5000);
      producer.join();
      ring.clear();
      Thread appender = new Thread(() -> {
        try {
          Thread.sleep(50);
          ring.append(new float[5]);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      appender.start();
      assertTrue(ring.waitReadable(5, -1)); // no limit
      appender.join();
    }
  }

  @Test
  void aWaitIsInterruptible() throws Exception {
    try (RingBuffer ring = new RingBuffer(64)) {
      AtomicReference<Throwable> got = new AtomicReference<>();
      CountDownLatch started = new CountDownLatch(1);
      Thread waiter = new Thread(() -> {
        started.countDown();
        try {
          ring.waitReadable(1, -1);
        } catch (Throwable t) {
          got.set(t);
        }
      });
      waiter.start();
      started.await();
      Thread.sleep(30);
      waiter.interrupt();
      waiter.join(5000);
      assertFalse(waiter.isAlive());
      assertTrue(got.get() instanceof InterruptedException, String.valueOf(got.get()));
      ring.append(new float[1]); // still usable
      assertEquals(1, ring.size());
    }
  }

  @Test
  void closeTwiceAndUseAfterClose() throws Exception {
    RingBuffer ring = new RingBuffer(8, Policy.OVERWRITE, Mirror.ON);
    ring.append(seq(0, 4));
    ring.close();
    ring.close(); // idempotent
    assertTrue(ring.isClosed());
    assertTrue(ring.toString().contains("closed"));
    FloatBuffer b = directBuffer(4);
    List<Executable> calls = List.of(() -> ring.append(new float[1]), () -> ring.append(new short[1]),
        () -> ring.append(Expect.direct(1f)), () -> ring.waitWritable(1, 0), () -> ring.waitWritable(1, -1),
        () -> ring.read(new float[1]), () -> ring.read(1), () -> ring.readAll(), () -> ring.readAll(new float[8]),
        () -> ring.readLatest(1), () -> ring.readLatest(new float[1]), () -> ring.peek(b), () -> ring.consume(1),
        () -> ring.pop(new float[1]), () -> ring.pop(1), () -> ring.clear(), () -> ring.waitReadable(1, 0),
        () -> ring.waitReadable(1, -1), () -> ring.size(), () -> ring.space(), () -> ring.dropped(),
        () -> ring.capacity(), () -> ring.policy(), () -> ring.isMirrored());
    for (Executable call : calls) {
      IllegalStateException e = assertThrows(IllegalStateException.class, call);
      assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
    assertEquals(24, calls.size()); // every method but close, isClosed and toString
  }

  @Test
  void closeWhileAnotherThreadWaitsOrWorks() throws Exception {
    RingBuffer ring = new RingBuffer(1 << 16);
    AtomicReference<Throwable> waiterGot = new AtomicReference<>();
    AtomicReference<Throwable> producerGot = new AtomicReference<>();
    CountDownLatch started = new CountDownLatch(2);
    Thread waiter = new Thread(() -> {
      started.countDown();
      try {
        ring.waitReadable(1 << 16, -1); // never satisfied: only close ends it
      } catch (Throwable t) {
        waiterGot.set(t);
      }
    });
    Thread producer = new Thread(() -> {
      started.countDown();
      float[] chunk = new float[300]; // the ring never holds 65536: the waiter is never satisfied
      try {
        for (;;) {
          if (ring.space() >= chunk.length) {
            ring.append(chunk);
          } else {
            Thread.onSpinWait();
          }
        }
      } catch (Throwable t) {
        producerGot.set(t);
      }
    });
    waiter.start();
    producer.start();
    started.await();
    Thread.sleep(50);
    long t0 = System.nanoTime();
    ring.close();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    waiter.join(5000);
    producer.join(5000);
    assertFalse(waiter.isAlive() || producer.isAlive());
    assertTrue(ms < 2000, "close took " + ms + " ms");
    assertTrue(waiterGot.get() instanceof IllegalStateException, String.valueOf(waiterGot.get()));
    assertTrue(producerGot.get() instanceof IllegalStateException, String.valueOf(producerGot.get()));
  }

  @Test
  void twoConsumersAtOnceAreRefused() throws Exception {
    try (RingBuffer ring = new RingBuffer(64)) {
      CountDownLatch started = new CountDownLatch(1);
      Thread waiter = new Thread(() -> {
        started.countDown();
        try {
          ring.waitReadable(1, 3000); // inside the consumer side for most of 3 s
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      waiter.start();
      started.await();
      Thread.sleep(30);
      ConcurrentModificationException refused = null;
      for (int i = 0; i < 1000 && refused == null; ++i) {
        try {
          ring.clear(); // a second consumer
        } catch (ConcurrentModificationException e) {
          refused = e;
        }
      }
      assertNotNull(refused, "a second consumer thread was never refused");
      assertTrue(refused.getMessage().contains("consumer"), refused.getMessage());
      ring.append(new float[1]); // the producer side is free: wakes the waiter
      waiter.join(5000);
      assertFalse(waiter.isAlive());
    }
  }

  // ---- two threads, sequence numbers ---------------------------------------------

  private static final int SAMPLES = 2_000_000; // exact in float32 (< 2^24)

  /** Producer: chunks of 1..300 sequence numbers; REJECT waits for room, OVERWRITE never waits. */
  private static Thread producer(RingBuffer ring, AtomicReference<Throwable> error) {
    return new Thread(() -> {
      SplittableRandom r = new SplittableRandom(1);
      float[] buf = new float[300];
      try {
        for (int next = 0; next < SAMPLES;) {
          int n = Math.min(SAMPLES - next, r.nextInt(1, 301));
          float[] chunk = n == buf.length ? buf : new float[n];
          for (int i = 0; i < n; ++i) {
            chunk[i] = next + i;
          }
          if (ring.policy() == Policy.REJECT && !ring.waitWritable(n, 10_000)) {
            throw new AssertionError("the consumer stalled");
          }
          ring.append(chunk);
          next += n;
        }
      } catch (Throwable t) {
        error.set(t);
      }
    }, "ring-producer");
  }

  private static void checkTwoThreads(RingBuffer ring) throws Exception {
    AtomicReference<Throwable> error = new AtomicReference<>();
    Thread p = producer(ring, error);
    p.start();
    SplittableRandom r = new SplittableRandom(2);
    long expect = 0, gaps = 0, popped = 0;
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (expect < SAMPLES) {
      if (System.nanoTime() > deadline || error.get() != null) {
        fail("stuck at " + expect + ": " + error.get());
      }
      if (!ring.waitReadable(1, 100)) {
        continue;
      }
      float[] out = new float[r.nextInt(1, 501)];
      int got = ring.pop(out);
      for (int i = 0; i < got; ++i) {
        long v = (long) out[i];
        if (v < expect) {
          fail("out of order: " + v + " after " + (expect - 1));
        }
        if (ring.policy() == Policy.REJECT && v != expect) {
          fail("REJECT lost samples: got " + v + ", want " + expect);
        }
        gaps += v - expect;
        expect = v + 1;
        ++popped;
      }
    }
    p.join();
    if (error.get() != null) {
      throw new AssertionError(error.get());
    }
    assertEquals(0, ring.size());
    assertEquals(gaps, ring.dropped(), "the gaps are exactly the dropped samples");
    assertEquals(SAMPLES, popped + ring.dropped());
    if (ring.policy() == Policy.REJECT) {
      assertEquals(0, gaps);
    }
  }

  @Test
  void producerAndConsumerThreadsUnderReject() throws Exception {
    try (RingBuffer ring = new RingBuffer(1000)) {
      checkTwoThreads(ring);
    }
    try (RingBuffer ring = new RingBuffer(4096, Policy.REJECT, Mirror.ON)) {
      checkTwoThreads(ring);
    }
  }

  @Test
  void producerAndConsumerThreadsUnderOverwrite() throws Exception {
    try (RingBuffer ring = new RingBuffer(1000, Policy.OVERWRITE)) {
      checkTwoThreads(ring);
    }
  }

  /** Queries from other threads while both sides run. */
  @Test
  void queriesFromAnyThread() throws Exception {
    try (RingBuffer ring = new RingBuffer(512, Policy.OVERWRITE)) {
      List<Thread> readers = new ArrayList<>();
      AtomicReference<Throwable> error = new AtomicReference<>();
      for (int t = 0; t < 2; ++t) {
        Thread q = new Thread(() -> {
          try {
            for (int i = 0; i < 20_000; ++i) {
              long size = ring.size();
              long space = ring.space();
              if (size < 0 || size > 512 || space < 0 || space > 512 || ring.dropped() < 0) {
                throw new AssertionError("size " + size + ", space " + space);
              }
            }
          } catch (Throwable e) {
            error.set(e);
          }
        });
        readers.add(q);
        q.start();
      }
      float[] chunk = new float[100];
      for (int i = 0; i < 20_000; ++i) {
        ring.append(chunk);
        if (i % 3 == 0) {
          ring.pop(new float[150]);
        }
      }
      for (Thread q : readers) {
        q.join();
      }
      assertEquals(null, error.get());
    }
  }
}
