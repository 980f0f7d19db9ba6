package dev.libcore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libcore.EncoderCache.Key;
import dev.libcore.EncoderCache.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cache.h through EncoderCache: keys, every method, bounds, TTL, single flight, persistence, close. */
class EncoderCacheTest {
  @TempDir Path tmp;

  private static float[] seq(int from, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; ++i) {
      x[i] = from + i;
    }
    return x;
  }

  private static Key key(int i) {
    return Key.ofBytes(("key-" + i).getBytes(StandardCharsets.UTF_8));
  }

  private static EncoderCache small() {
    return EncoderCache.builder().maxEntries(100).shards(1).build();
  }

  // ---- keys --------------------------------------------------------------------------

  @Test
  void keyOfBytesIsXxh3_128() {
    Key abc = Key.ofBytes("abc".getBytes(StandardCharsets.US_ASCII));
    assertEquals(0x78af5f94892f3950L, abc.lo());
    assertEquals(0x06b05ab6733a6185L, abc.hi());
    assertEquals("06b05ab6733a618578af5f94892f3950", abc.toString());
    Key empty = Key.ofBytes(new byte[0]);
    assertEquals(0x6001c324468d497fL, empty.lo());
    assertEquals(0x99aa06d3014798d8L, empty.hi());
    byte[] big = new byte[1 << 20]; // past the critical-access limit: copied
    Arrays.fill(big, (byte) 7);
    assertEquals(Key.ofBytes(big), Key.ofBytes(big.clone()));
    assertThrows(NullPointerException.class, () -> Key.ofBytes(null));
  }

  @Test
  void keyValueClass() {
    Key a = Key.of(1, 2);
    assertEquals(a, Key.of(1, 2));
    assertEquals(a.hashCode(), Key.of(1, 2).hashCode());
    assertNotEquals(a, Key.of(2, 1));
    assertNotEquals(a, Key.of(1, 3));
    assertNotEquals(a, null);
    assertEquals("00000000000000020000000000000001", a.toString());
  }

  @Test
  void keyOfAudioRoundsLikeNumpy() {
    Key k = Key.ofAudio(new float[] {0.101f, -0.0f, 0.125f}, 2);
    assertEquals(k, Key.ofAudio(new float[] {0.099f, 0.0f, 0.12f}, 2)); // 0.125 -> 0.12 (half to even)
    assertNotEquals(k, Key.ofAudio(new float[] {0.101f, 0.0f, 0.125f}, 3));
    assertNotEquals(k, Key.ofAudio(new float[] {0.101f, 0.0f}, 2));
    assertNotEquals(k, Key.ofAudio(new float[] {0.111f, 0.0f, 0.125f}, 2));
    assertEquals(Key.ofAudio(new float[0], 6), Key.ofAudio(new float[0], 6));
    float[] second = new float[16000 * 10]; // 10 s: copied, not critical
    for (int i = 0; i < second.length; ++i) {
      second[i] = (float) Math.sin(i * 0.01);
    }
    assertEquals(Key.ofAudio(second, 6), Key.ofAudio(second.clone(), 6));
    CoreException e = Expect.core(Status.INVALID_ARGUMENT, "core_cache_key_audio",
        () -> Key.ofAudio(new float[] {0, Float.NaN}, 6));
    assertTrue(e.detail().contains("1"), e.detail());
    Expect.core(Status.INVALID_ARGUMENT, "core_cache_key_audio", () -> Key.ofAudio(new float[] {0}, 11));
    Expect.core(Status.INVALID_ARGUMENT, "core_cache_key_audio", () -> Key.ofAudio(new float[] {0}, -1));
  }

  // ---- entries -----------------------------------------------------------------------

  @Test
  void putGetShapes() {
    try (EncoderCache c = small()) {
      c.put(key(1), seq(1, 6), new long[] {2, 3});
      c.put(key(2), seq(10, 4), new int[] {2, 1, 2});
      c.put(key(3), seq(20, 5));
      c.put(key(4), Tensor.of(seq(30, 8), new long[] {2, 2, 2, 1}));
      Tensor t = c.get(key(1));
      assertArrayEquals(seq(1, 6), t.data());
      assertArrayEquals(new long[] {2, 3}, t.shape());
      assertEquals(2, t.ndim());
      assertEquals(6, t.size());
      assertEquals(Tensor.of(seq(10, 4), new int[] {2, 1, 2}), c.get(key(2)));
      assertEquals(Tensor.of(seq(20, 5)), c.get(key(3)));
      assertArrayEquals(new long[] {2, 2, 2, 1}, c.get(key(4)).shape());
      assertNull(c.get(key(99))); // a miss is null, not an exception
    }
  }

  @Test
  void getSizesItsOwnBuffer() {
    try (EncoderCache c = EncoderCache.builder().maxEntries(10).maxBytes(0).build()) {
      c.put(key(1), seq(0, 3));
      assertEquals(3, c.get(key(1)).size());
      c.put(key(1), seq(5, 100_000), new long[] {1000, 100}); // replaced by a larger value
      Tensor t = c.get(key(1));
      assertEquals(100_000, t.size());
      assertArrayEquals(seq(5, 100_000), t.data());
      assertArrayEquals(new long[] {1000, 100}, t.shape());
      c.put(key(1), seq(7, 1)); // and a smaller one
      assertArrayEquals(seq(7, 1), c.get(key(1)).data());
      CacheStats s = c.stats();
      assertEquals(3, s.hits()); // sizing lookups count neither hit nor miss
      assertEquals(0, s.misses());
    }
  }

  @Test
  void putErrors() {
    try (EncoderCache c = small()) {
      c.put(key(1), seq(0, 2));
      Expect.core(Status.INVALID_ARGUMENT, "core_cache_put", () -> c.put(key(1), seq(0, 6), new long[] {2, 2}));
      Expect.core(Status.INVALID_ARGUMENT, "core_cache_put", () -> c.put(key(1), new float[0]));
      Expect.core(Status.INVALID_ARGUMENT, "core_cache_put", () -> c.put(key(1), seq(0, 1), new long[] {1, 1, 1, 1, 1}));
      Expect.core(Status.INVALID_ARGUMENT, "core_cache_put", () -> c.put(key(1), seq(0, 2), new long[] {2, 0}));
      Expect.core(Status.INVALID_ARGUMENT, "core_cache_put", () -> c.put(key(1), seq(0, 2), new long[] {-2, -1}));
      assertThrows(NullPointerException.class, () -> c.put(null, seq(0, 1)));
      assertThrows(NullPointerException.class, () -> c.put(key(1), (float[]) null));
      assertThrows(NullPointerException.class, () -> c.put(key(1), seq(0, 1), (long[]) null));
      assertThrows(NullPointerException.class, () -> c.get(null));
      assertArrayEquals(seq(0, 2), c.get(key(1)).data()); // failed puts changed nothing
    }
    long oneEntry = EncoderCache.entryBytes(100);
    assertEquals(400 + EncoderCache.ENTRY_OVERHEAD, oneEntry);
    try (EncoderCache c = EncoderCache.builder().maxEntries(0).maxBytes(oneEntry).shards(1).build()) {
      c.put(key(1), seq(0, 100));
      Expect.core(Status.FULL, "core_cache_put", () -> c.put(key(2), seq(0, 101)));
      assertTrue(c.contains(key(1)), "FULL evicts nothing");
    }
  }

  @Test
  void tensorValidation() {
    assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[0]));
    assertThrows(IllegalArgumentException.class, () -> Tensor.of(seq(0, 4), new long[] {3}));
    assertThrows(IllegalArgumentException.class, () -> Tensor.of(seq(0, 4), new long[0]));
    assertThrows(IllegalArgumentException.class, () -> Tensor.of(seq(0, 1), new long[] {1, 1, 1, 1, 1}));
    assertThrows(IllegalArgumentException.class, () -> Tensor.of(seq(0, 4), new long[] {-2, -2}));
    float[] data = seq(0, 4);
    Tensor t = Tensor.of(data, new int[] {2, 2});
    data[0] = 42; // copied in
    assertEquals(0f, t.get(0));
    t.data()[1] = 42; // copied out
    assertEquals(1f, t.get(1));
    float[] out = new float[4];
    t.copyTo(out);
    assertArrayEquals(seq(0, 4), out);
  }

  @Test
  void containsRemoveClear() {
    try (EncoderCache c = small()) {
      assertFalse(c.contains(key(1)));
      assertFalse(c.remove(key(1)));
      c.put(key(1), seq(0, 3));
      c.put(key(2), seq(0, 3));
      assertTrue(c.contains(key(1)));
      assertTrue(c.remove(key(1)));
      assertFalse(c.contains(key(1)));
      assertNull(c.get(key(1)));
      c.clear();
      assertFalse(c.contains(key(2)));
      assertEquals(0, c.stats().entries());
      CacheStats s = c.stats();
      assertEquals(0, s.hits()); // contains/remove/clear count nothing
      assertEquals(1, s.misses());
    }
  }

  @Test
  void statsEveryFieldAndReset() {
    try (EncoderCache c = EncoderCache.builder().maxEntries(2).shards(1).build()) {
      assertEquals(1, c.shards());
      c.put(key(1), seq(0, 10));
      c.put(key(2), seq(0, 20));
      assertNotNull(c.get(key(1))); // 1 is now the most recent: 2 goes next
      c.put(key(3), seq(0, 30));
      assertFalse(c.contains(key(2)), "LRU evicted");
      assertNull(c.get(key(2)));
      c.getOrCompute(key(4), k -> Tensor.of(seq(0, 5)));
      CacheStats s = c.stats();
      assertEquals(1, s.hits());
      assertEquals(2, s.misses());
      assertEquals(4, s.inserts());
      assertEquals(2, s.evictions());
      assertEquals(0, s.expirations());
      assertEquals(2, s.entries());
      assertEquals(EncoderCache.entryBytes(30) + EncoderCache.entryBytes(5), s.bytes());
      assertEquals(1.0 / 3.0, s.hitRate(), 1e-12);
      assertEquals(1, s.computes());
      assertEquals(0, s.computeFailures());
      assertEquals(0, s.computeWaits());
      assertTrue(s.toString().contains("evictions=2"), s.toString());
      c.resetStats();
      s = c.stats();
      assertEquals(0, s.hits() + s.misses() + s.inserts() + s.evictions() + s.expirations() + s.computes());
      assertEquals(0.0, s.hitRate());
      assertEquals(2, s.entries()); // contents stay
    }
  }

  @Test
  void builderOptions() {
    Expect.core(Status.INVALID_ARGUMENT, "core_cache_create",
        () -> EncoderCache.builder().maxEntries(0).maxBytes(0).build());
    Expect.core(Status.INVALID_ARGUMENT, "core_cache_create", () -> EncoderCache.builder().shards(3).build());
    Expect.core(Status.INVALID_ARGUMENT, "core_cache_create", () -> EncoderCache.builder().shards(512).build());
    assertThrows(IllegalArgumentException.class, () -> EncoderCache.builder().maxEntries(-1));
    assertThrows(IllegalArgumentException.class, () -> EncoderCache.builder().ttlMillis(-5));
    try (EncoderCache c = EncoderCache.builder().shards(8).maxEntries(1000).build()) {
      assertEquals(8, c.shards());
    }
    try (EncoderCache c = new EncoderCache()) { // 4096 entries: automatic, up to 16 shards of >= 64 entries
      assertTrue(c.shards() >= 1 && c.shards() <= 16 && Integer.bitCount(c.shards()) == 1, "" + c.shards());
    }
  }

  // ---- TTL with the Java clock -------------------------------------------------------------

  @Test
  void ttlWithInjectedClock() {
    AtomicLong now = new AtomicLong(1_000);
    try (EncoderCache c = EncoderCache.builder().maxEntries(10).ttlMillis(100).clock(now::get).build()) {
      c.put(key(1), seq(0, 3));
      now.addAndGet(99);
      assertNotNull(c.get(key(1)));
      c.put(key(2), seq(0, 3)); // written at 1099
      now.addAndGet(1); // 1100: key 1 expires (expire after write; the get did not extend it)
      assertNull(c.get(key(1)));
      assertTrue(c.contains(key(2)));
      now.addAndGet(99); // 1199: key 2 expires
      CacheStats s = c.stats();
      assertEquals(2, s.expirations());
      assertEquals(0, s.entries());
      assertEquals(1, s.hits());
      assertEquals(1, s.misses());
    }
  }

  @Test
  void clockThatThrowsOrGoesBack() {
    AtomicLong now = new AtomicLong(500);
    AtomicInteger calls = new AtomicInteger();
    try (EncoderCache c = EncoderCache.builder().maxEntries(10).ttlMillis(100).clock(() -> {
      calls.incrementAndGet();
      long t = now.get();
      if (t < 0) {
        throw new IllegalStateException("clock broken");
      }
      return t;
    }).build()) {
      c.put(key(1), seq(0, 3)); // written at 500
      now.set(-1); // throws: the last reading (500) is used
      assertNotNull(c.get(key(1)));
      now.set(10); // goes back: still 500
      assertNotNull(c.get(key(1)));
      now.set(600);
      assertNull(c.get(key(1)));
      assertTrue(calls.get() > 0);
    }
  }

  @Test
  void allocatingJavaClockUnderLoad() throws Exception {
    // The clock runs Java under a shard lock while other threads wait for that lock and for
    // getOrCompute functions: with allocations and GCs in both, nothing may deadlock.
    AtomicLong now = new AtomicLong();
    try (EncoderCache c = EncoderCache.builder().maxEntries(64).ttlMillis(5).shards(2).clock(() -> {
      byte[] garbage = new byte[1024];
      return now.incrementAndGet() / 8 + garbage.length / 1024;
    }).build()) {
      AtomicReference<Throwable> unexpected = new AtomicReference<>();
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < 4; ++t) {
        final int id = t;
        Thread w = new Thread(() -> {
          try {
            for (int i = 0; i < 3000; ++i) {
              Key k = key(i % 40);
              if (id == 0 && i % 500 == 0) {
                System.gc();
              }
              if ((i + id) % 3 == 0) {
                c.put(k, seq(i, 64));
              } else {
                Tensor v = c.getOrCompute(k, kk -> Tensor.of(new float[256]));
                assertTrue(v.size() == 64 || v.size() == 256);
              }
            }
          } catch (Throwable e) {
            unexpected.compareAndSet(null, e);
          }
        });
        workers.add(w);
        w.start();
      }
      for (Thread w : workers) {
        w.join(60_000);
        assertFalse(w.isAlive(), "deadlocked");
      }
      if (unexpected.get() != null) {
        throw new AssertionError(unexpected.get());
      }
      assertTrue(c.stats().expirations() > 0);
    }
  }

  // ---- get or compute --------------------------------------------------------------------

  @Test
  void getOrComputeOnceThenHit() {
    try (EncoderCache c = small()) {
      AtomicInteger runs = new AtomicInteger();
      Tensor made = Tensor.of(seq(1, 6), new long[] {3, 2});
      Tensor first = c.getOrCompute(key(1), k -> {
        assertEquals(key(1), k);
        runs.incrementAndGet();
        return made;
      });
      assertSame(made, first);
      Tensor second = c.getOrCompute(key(1), k -> {
        throw new AssertionError("must not run on a hit");
      });
      assertEquals(made, second);
      assertEquals(made, c.get(key(1)));
      assertEquals(1, runs.get());
      // a value larger than any seen before: the binding resizes its buffer
      c.put(key(2), seq(0, 200_000));
      assertArrayEquals(seq(0, 200_000), c.getOrCompute(key(2), k -> null).data());
      CacheStats s = c.stats();
      assertEquals(1, s.computes());
      assertEquals(1, s.misses());
      assertEquals(3, s.hits());
    }
  }

  /** Runs getOrCompute(key) on `threads` threads at once; returns how often the function ran. */
  private static int race(EncoderCache c, Key key, int threads) throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CyclicBarrier start = new CyclicBarrier(threads);
    List<Thread> workers = new ArrayList<>();
    Tensor[] got = new Tensor[threads];
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (int t = 0; t < threads; ++t) {
      final int id = t;
      Thread w = new Thread(() -> {
        try {
          start.await();
          got[id] = c.getOrCompute(key, k -> {
            runs.incrementAndGet();
            try {
              Thread.sleep(300); // long enough for every other thread to queue up
            } catch (InterruptedException e) {
              throw new RuntimeException(e);
            }
            return Tensor.of(seq(100, 12), new long[] {3, 4});
          });
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      });
      workers.add(w);
      w.start();
    }
    for (Thread w : workers) {
      w.join(10_000);
    }
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
    for (Tensor t : got) {
      assertEquals(Tensor.of(seq(100, 12), new long[] {3, 4}), t);
    }
    return runs.get();
  }

  @Test
  void singleFlightAcrossThreads() throws Exception {
    final int threads = 8;
    try (EncoderCache c = small()) {
      // first value of its size: each waiter needs a second lookup to size its copy (one more hit)
      assertEquals(1, race(c, key(7), threads), "the function ran once");
      CacheStats s = c.stats();
      assertEquals(1, s.computes());
      assertEquals(1, s.misses() - s.computeWaits());
      assertEquals(threads - 1, s.hits());
      assertTrue(s.computeWaits() >= 1, s.toString());
      // a size seen before: exact counts (a waiter is one miss + one wait, a late caller one hit)
      c.resetStats();
      assertEquals(1, race(c, key(8), threads), "the function ran once");
      s = c.stats();
      assertEquals(1, s.computes());
      assertEquals(threads - 1, s.computeWaits() + s.hits());
      assertEquals(1 + s.computeWaits(), s.misses());
      assertTrue(s.computeWaits() >= 1, s.toString());
    }
  }

  /** A marker exception: the computing thread must get this very object back. */
  static final class EncoderFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EncoderFailed(String m) {
      super(m);
    }
  }

  @Test
  void exceptionReachesEveryWaiterAndNothingIsCached() throws Exception {
    final int threads = 6;
    try (EncoderCache c = small()) {
      CyclicBarrier start = new CyclicBarrier(threads);
      CountDownLatch done = new CountDownLatch(threads);
      AtomicInteger ownException = new AtomicInteger();
      AtomicInteger waiterFailures = new AtomicInteger();
      AtomicReference<Throwable> unexpected = new AtomicReference<>();
      for (int t = 0; t < threads; ++t) {
        new Thread(() -> {
          EncoderFailed mine = new EncoderFailed("encoder down");
          try {
            start.await();
            c.getOrCompute(key(9), k -> {
              try {
                Thread.sleep(300);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              throw mine;
            });
            unexpected.compareAndSet(null, new AssertionError("getOrCompute returned"));
          } catch (EncoderFailed e) {
            if (e == mine) {
              ownException.incrementAndGet();
            } else {
              unexpected.compareAndSet(null, e);
            }
          } catch (CoreException e) {
            if (e.status() == EncoderCache.COMPUTE_FAILED) {
              waiterFailures.incrementAndGet();
            } else {
              unexpected.compareAndSet(null, e);
            }
          } catch (Throwable e) {
            unexpected.compareAndSet(null, e);
          } finally {
            done.countDown();
          }
        }).start();
      }
      assertTrue(done.await(20, java.util.concurrent.TimeUnit.SECONDS));
      if (unexpected.get() != null) {
        throw new AssertionError(unexpected.get());
      }
      CacheStats s = c.stats();
      assertEquals(threads, ownException.get() + waiterFailures.get());
      assertEquals(s.computes(), ownException.get(), "each computing thread got its own exception back");
      assertEquals(s.computeWaits(), waiterFailures.get(), "each waiter got the failure");
      assertTrue(waiterFailures.get() >= 1, s.toString());
      assertEquals(s.computes(), s.computeFailures());
      assertFalse(c.contains(key(9)), "nothing cached");
      assertEquals(0, s.entries());
    }
  }

  @Test
  @SuppressWarnings("try") // close() inside the try-with-resources, on purpose
  void computeFailuresOnOneThread() {
    try (EncoderCache c = small()) {
      NullPointerException npe = assertThrows(NullPointerException.class, () -> c.getOrCompute(key(1), k -> null));
      assertTrue(npe.getMessage().contains("returned null"), npe.getMessage());
      // nested getOrCompute of the same key: libcore refuses, the lambda's CoreException comes back as is
      Expect.core(Status.INVALID_ARGUMENT, "core_cache_get_or_compute",
          () -> c.getOrCompute(key(2), k -> c.getOrCompute(k, k2 -> Tensor.of(seq(0, 1)))));
      // another key inside the function is fine
      Tensor outer = c.getOrCompute(key(3), k -> {
        Tensor inner = c.getOrCompute(key(4), k2 -> Tensor.of(seq(40, 2)));
        c.put(key(5), seq(50, 1));
        return Tensor.of(seq(30, 2 + inner.size()));
      });
      assertEquals(4, outer.size());
      assertTrue(c.contains(key(4)));
      assertTrue(c.contains(key(5)));
      // close() from inside a function is refused, and the refusal propagates
      assertThrows(IllegalStateException.class, () -> c.getOrCompute(key(6), k -> {
        c.close();
        return Tensor.of(seq(0, 1));
      }));
      assertFalse(c.isClosed());
      assertFalse(c.contains(key(1)) || c.contains(key(2)) || c.contains(key(6)));
      assertEquals(3, c.stats().computeFailures());
    }
    try (EncoderCache c = EncoderCache.builder().maxEntries(0).maxBytes(EncoderCache.entryBytes(4)).build()) {
      Expect.core(Status.FULL, "core_cache_get_or_compute", () -> c.getOrCompute(key(1), k -> Tensor.of(seq(0, 5))));
      assertFalse(c.contains(key(1)));
    }
  }

  // ---- persistence -----------------------------------------------------------------------------

  @Test
  void saveLoadRoundTrip() {
    Path file = tmp.resolve("cache.bin");
    try (EncoderCache c = small()) {
      c.put(key(1), seq(1, 6), new long[] {2, 3});
      c.put(key(2), seq(2, 70_000));
      c.save(file);
    }
    assertTrue(Files.isRegularFile(file));
    try (EncoderCache c = small()) {
      c.put(key(2), seq(0, 1)); // replaced by the file's value
      c.put(key(3), seq(3, 1)); // kept
      c.load(file);
      assertEquals(Tensor.of(seq(1, 6), new long[] {2, 3}), c.get(key(1)));
      assertArrayEquals(seq(2, 70_000), c.get(key(2)).data());
      assertTrue(c.contains(key(3)));
      assertEquals(3, c.stats().entries());
      assertEquals(2, c.stats().inserts(), "load is not counted as inserts");
    }
  }

  @Test
  void corruptOrMissingFiles() throws IOException {
    Path good = tmp.resolve("good.bin");
    try (EncoderCache c = small()) {
      c.put(key(1), seq(1, 100));
      c.put(key(2), seq(2, 100));
      c.save(good);
      Expect.core(Status.IO, "core_cache_save", () -> c.save(tmp.resolve("no/such/folder/x.bin")));
    }
    byte[] bytes = Files.readAllBytes(good);
    Path flipped = tmp.resolve("flipped.bin");
    byte[] bad = bytes.clone();
    bad[bad.length / 2] ^= 0x40;
    Files.write(flipped, bad);
    Path truncated = tmp.resolve("truncated.bin");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 9));
    Path empty = tmp.resolve("empty.bin");
    Files.write(empty, new byte[0]);
    Path garbage = tmp.resolve("garbage.bin");
    Files.write(garbage, "not a cache file at all, just text".getBytes(StandardCharsets.US_ASCII));
    try (EncoderCache c = small()) {
      c.put(key(5), seq(5, 3));
      for (Path p : new Path[] {flipped, truncated, empty, garbage}) {
        Expect.core(Status.FORMAT, "core_cache_load", () -> c.load(p));
      }
      Expect.core(Status.IO, "core_cache_load", () -> c.load(tmp.resolve("missing.bin")));
      assertEquals(1, c.stats().entries(), "a failed load leaves the cache unchanged");
      assertArrayEquals(seq(5, 3), c.get(key(5)).data());
      assertThrows(NullPointerException.class, () -> c.load(null));
    }
  }

  // ---- closing -----------------------------------------------------------------------------------

  @Test
  void doubleCloseAndUseAfterClose() {
    EncoderCache c = small();
    c.put(key(1), seq(0, 2));
    c.close();
    c.close(); // idempotent
    assertTrue(c.isClosed());
    Path p = tmp.resolve("x.bin");
    List<org.junit.jupiter.api.function.Executable> calls = List.of(
        () -> c.put(key(1), seq(0, 1)), () -> c.get(key(1)), () -> c.contains(key(1)), () -> c.remove(key(1)),
        c::clear, c::stats, c::resetStats, c::shards, () -> c.save(p), () -> c.load(p),
        () -> c.getOrCompute(key(1), k -> Tensor.of(seq(0, 1))));
    for (org.junit.jupiter.api.function.Executable call : calls) {
      IllegalStateException e = assertThrows(IllegalStateException.class, call);
      assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
    assertEquals("EncoderCache{closed}", c.toString());
  }

  @Test
  void closeWhileOtherThreadsWork() throws Exception {
    EncoderCache c = EncoderCache.builder().maxEntries(1000).shards(4).build();
    AtomicReference<Throwable> unexpected = new AtomicReference<>();
    CountDownLatch running = new CountDownLatch(4);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < 4; ++t) {
      final int id = t;
      Thread w = new Thread(() -> {
        running.countDown();
        try {
          for (int i = 0; ; ++i) {
            Key k = key(i % 50);
            if (id % 2 == 0) {
              c.put(k, seq(i, 16));
            } else {
              c.getOrCompute(k, kk -> Tensor.of(seq(0, 16)));
              c.get(k);
            }
          }
        } catch (IllegalStateException e) {
          // closed: expected
        } catch (Throwable e) {
          unexpected.compareAndSet(null, e);
        }
      });
      workers.add(w);
      w.start();
    }
    running.await();
    Thread.sleep(50);
    c.close();
    for (Thread w : workers) {
      w.join(10_000);
      assertFalse(w.isAlive());
    }
    if (unexpected.get() != null) {
      throw new AssertionError(unexpected.get());
    }
  }
}
