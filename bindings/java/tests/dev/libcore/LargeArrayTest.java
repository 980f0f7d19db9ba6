package dev.libcore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Arrays beyond Core.CRITICAL_ARRAY_MAX_ELEMENTS (the copied path), large
 * enough for libcore's parallel work, under threads and a busy GC.
 */
class LargeArrayTest {
  private static final int N = 1_000_003;
  private static final double[] X = Expect.uniform(99, N, 5, 7);

  @Test
  void thresholdIsWhatTheDocsSay() {
    assertEquals(65536, Core.CRITICAL_ARRAY_MAX_ELEMENTS);
  }

  @Test
  void copiedArraysGiveTheBufferResultsBitForBit() {
    float[] xf = Expect.floats(X);
    FloatBuffer bf = Expect.direct(xf);
    DoubleBuffer bd = Expect.direct(X);
    assertEquals(Stats.of(bf), Stats.of(xf));
    assertEquals(Stats.of(bd, NanPolicy.OMIT), Stats.of(X, NanPolicy.OMIT));
    assertEquals(Reductions.std(bd, 1), Reductions.std(X, 1));
    assertEquals(Reductions.dot(bf, bf), Reductions.dot(xf, xf));
    assertEquals(Reductions.percentile(bd, 90, NanPolicy.PROPAGATE), Reductions.percentile(X, 90));
    DoubleBuffer out = Expect.direct(new double[N]);
    CoreArrays.cumsum(bd, out);
    double[] want = new double[N];
    out.get(0, want);
    assertArrayEquals(want, CoreArrays.cumsum(X));
    double[] z = CoreArrays.normalize(X.clone(), 1, NanPolicy.OMIT); // in/out through a copy
    CoreArrays.normalize(bd, 1, NanPolicy.OMIT);
    bd.get(0, want);
    assertArrayEquals(want, z);
  }

  @Test
  void aRefusedLargeNormalizeLeavesTheArrayUntouched() {
    double[] constant = CoreArrays.full(N, 3.0); // copied in and back out
    Expect.core(Status.INVALID_ARGUMENT, "core_normalize_f64", () -> CoreArrays.normalize(constant));
    for (int i = 0; i < N; i += 1000) {
      assertEquals(3.0, constant[i]);
    }
  }

  @Test
  void concatOfManyParts() {
    float[][] parts = new float[5000][];
    for (int i = 0; i < parts.length; ++i) {
      parts[i] = new float[] {i, -i};
    }
    float[] all = CoreArrays.concat(parts);
    assertEquals(10000, all.length);
    assertEquals(4999f, all[9998]);
    assertEquals(-4999f, all[9999]);
    double[][] big = {X, X, {}, X};
    assertEquals(3 * N, CoreArrays.concat(big).length); // copied path
  }

  @Test
  void resultsDoNotDependOnTheThreadCount() {
    float[] xf = Expect.floats(X);
    try {
      Core.setNumThreads(1);
      Stats serial = Stats.of(xf);
      float[] c1 = CoreArrays.cumsum(xf);
      Core.setNumThreads(0);
      assertEquals(serial, Stats.of(xf));
      assertArrayEquals(c1, CoreArrays.cumsum(xf));
    } finally {
      Core.setNumThreads(0);
    }
  }

  /** Many threads, small (critical) and large (copied) calls, while the GC runs. */
  @Test
  void concurrentCallsWithAGcRunning() throws Exception {
    final float[] small = Expect.floats(Expect.uniform(1, 1000, -1, 1));
    final Stats smallRef = Stats.of(small);
    final Stats largeRef = Stats.of(X);
    final AtomicBoolean stop = new AtomicBoolean();
    Thread gc = new Thread(() -> {
      while (!stop.get()) {
        List<byte[]> garbage = new ArrayList<>();
        for (int i = 0; i < 64; ++i) {
          garbage.add(new byte[64 * 1024]);
        }
        System.gc();
      }
    });
    gc.start();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> jobs = new ArrayList<>();
      for (int t = 0; t < 6; ++t) {
        final boolean large = t % 3 == 0;
        jobs.add(pool.submit(() -> {
          for (int i = 0; i < (large ? 20 : 20000); ++i) {
            Stats s = large ? Stats.of(X) : Stats.of(small);
            if (!s.equals(large ? largeRef : smallRef)) {
              throw new AssertionError("different result under load: " + s);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : jobs) {
        f.get();
      }
    } finally {
      stop.set(true);
      gc.join();
      pool.shutdown();
    }
  }
}
