package dev.libcore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * batch.h: Batch.stats (arrays of arrays, flat), Batch.frames and
 * Batch.statsFile, each summary compared bit for bit with Stats.of.
 */
class BatchTest {
  private static final int BIG = Core.CRITICAL_ARRAY_MAX_ELEMENTS + 4465; // one array beyond a group

  /** Arrays of awkward lengths: empty, block edges, one past the group limit; some NaNs. */
  private static double[][] mixed(long seed) {
    int[] lens = {0, 1, 2, 7, 2047, 2048, 2049, 1000, 0, 40000, 30000, BIG, 3, 65536, 12};
    double[][] a = new double[lens.length][];
    for (int i = 0; i < lens.length; ++i) {
      a[i] = Expect.uniform(seed + i, lens[i], -3 + i, 5 + i * i);
    }
    a[6][100] = Double.NaN;
    a[9][39999] = Double.NaN;
    a[11][0] = Double.NaN;
    return a;
  }

  private static float[][] floats(double[][] a) {
    float[][] f = new float[a.length][];
    for (int i = 0; i < a.length; ++i) {
      f[i] = Expect.floats(a[i]);
    }
    return f;
  }

  private static long[] lens(Object[] arrays) {
    long[] lens = new long[arrays.length];
    for (int i = 0; i < arrays.length; ++i) {
      lens[i] = java.lang.reflect.Array.getLength(arrays[i]);
    }
    return lens;
  }

  private static void assertSummaries(Stats[] want, Stats[] got) {
    assertEquals(want.length, got.length, "number of summaries");
    for (int i = 0; i < want.length; ++i) {
      assertEquals(want[i], got[i], "summary " + i);
    }
  }

  private static Stats[] each(float[][] a, NanPolicy nan) {
    return Arrays.stream(a).map(x -> Stats.of(x, nan)).toArray(Stats[]::new);
  }

  private static Stats[] each(double[][] a, NanPolicy nan) {
    return Arrays.stream(a).map(x -> Stats.of(x, nan)).toArray(Stats[]::new);
  }

  // ---- arrays of arrays --------------------------------------------------

  @Test
  void arraysOfArraysEqualStatsOfEachBitForBit() {
    double[][] d = mixed(1);
    float[][] f = floats(d);
    for (NanPolicy nan : NanPolicy.values()) {
      assertSummaries(each(d, nan), Batch.stats(d, nan));
      assertSummaries(each(f, nan), Batch.stats(f, nan));
    }
    assertSummaries(each(d, NanPolicy.PROPAGATE), Batch.stats(d));
    assertSummaries(each(f, NanPolicy.PROPAGATE), Batch.stats(f));
    assertTrue(Double.isNaN(Batch.stats(f)[6].mean()));
    assertEquals(1, Batch.stats(f, NanPolicy.OMIT)[6].nanCount());
  }

  @Test
  void thousandsOfSmallArraysSpanManyGroups() {
    SplittableRandom r = new SplittableRandom(5);
    float[][] f = new float[3001][]; // > 512 arrays per group, and > 65536 elements in all
    for (int i = 0; i < f.length; ++i) {
      f[i] = Expect.floats(Expect.uniform(i, r.nextInt(0, 200), -1, 1));
    }
    assertSummaries(each(f, NanPolicy.PROPAGATE), Batch.stats(f));
    double[][] d = new double[200][]; // 1000 elements each: groups split on the element limit
    for (int i = 0; i < d.length; ++i) {
      d[i] = Expect.uniform(1000 + i, 1000, 0, 1);
    }
    assertSummaries(each(d, NanPolicy.OMIT), Batch.stats(d, NanPolicy.OMIT));
  }

  @Test
  void emptyBatchesAndEmptyArrays() {
    assertEquals(0, Batch.stats(new float[0][]).length);
    assertEquals(0, Batch.stats(new double[0][], NanPolicy.OMIT).length);
    Stats[] s = Batch.stats(new float[][] {{}, {}, {}});
    assertEquals(3, s.length);
    for (Stats e : s) {
      assertEquals(Stats.empty(), e);
    }
  }

  @Test
  void aNullArrayIsANullPointerExceptionNamingIt() {
    float[][] f = {{1}, {2}, null, {3}};
    NullPointerException e = assertThrows(NullPointerException.class, () -> Batch.stats(f));
    assertTrue(e.getMessage().contains("arrays[2]"), e.getMessage());
    double[][] many = new double[1000][];
    Arrays.fill(many, new double[] {1, 2});
    many[777] = null; // in a later group
    e = assertThrows(NullPointerException.class, () -> Batch.stats(many));
    assertTrue(e.getMessage().contains("arrays[777]"), e.getMessage());
    assertThrows(NullPointerException.class, () -> Batch.stats((float[][]) null));
    assertThrows(NullPointerException.class, () -> Batch.stats(new float[1][1], null));
  }

  @Test
  void resultsDoNotDependOnTheThreadCount() {
    double[][] d = mixed(7);
    float[][] f = floats(d);
    try {
      Core.setNumThreads(1);
      Stats[] d1 = Batch.stats(d);
      Stats[] f1 = Batch.stats(f);
      Stats[] fr1 = Batch.frames(f[11], 400, 160);
      Core.setNumThreads(2);
      assertSummaries(d1, Batch.stats(d));
      assertSummaries(f1, Batch.stats(f));
      assertSummaries(fr1, Batch.frames(f[11], 400, 160));
      Core.setNumThreads(0); // every CPU
      assertSummaries(f1, Batch.stats(f));
      assertSummaries(fr1, Batch.frames(Expect.direct(f[11]), 400, 160));
    } finally {
      Core.setNumThreads(0);
    }
  }

  // ---- flat arrays ---------------------------------------------------------

  @Test
  void flatFormsEqualTheArraysForm() {
    double[][] d = mixed(3);
    float[][] f = floats(d);
    double[] flatD = CoreArrays.concat(d);
    float[] flatF = CoreArrays.concat(f);
    long[] lens = lens(d);
    for (NanPolicy nan : NanPolicy.values()) {
      Stats[] wantD = each(d, nan);
      Stats[] wantF = each(f, nan);
      assertSummaries(wantD, Batch.stats(flatD, lens, nan));
      assertSummaries(wantF, Batch.stats(flatF, lens, nan));
      assertSummaries(wantD, Batch.stats(Expect.direct(flatD), lens, nan));
      assertSummaries(wantF, Batch.stats(Expect.direct(flatF), lens, nan));
    }
    assertSummaries(each(f, NanPolicy.PROPAGATE), Batch.stats(flatF, lens));
    assertSummaries(each(d, NanPolicy.PROPAGATE), Batch.stats(flatD, lens));
  }

  @Test
  void flatBufferUsesItsRemainingElementsAndKeepsItsPosition() {
    FloatBuffer b = Expect.direct(9f, 1f, 2f, 3f, 4f, 9f);
    b.position(1).limit(5);
    Stats[] s = Batch.stats(b, new long[] {1, 3}, NanPolicy.PROPAGATE);
    assertEquals(Stats.of(new float[] {1}), s[0]);
    assertEquals(Stats.of(new float[] {2, 3, 4}), s[1]);
    assertEquals(1, b.position());
    assertEquals(5, b.limit());
  }

  @Test
  void flatManySmallSegmentsAndEmptyOnes() {
    int n = 30000;
    long[] lens = new long[n];
    SplittableRandom r = new SplittableRandom(11);
    long total = 0;
    for (int i = 0; i < n; ++i) {
      lens[i] = r.nextInt(0, 9);
      total += lens[i];
    }
    float[] flat = Expect.floats(Expect.uniform(12, (int) total, -1, 1));
    Stats[] got = Batch.stats(flat, lens);
    for (int i = 0, off = 0; i < n; off += lens[i++]) {
      assertEquals(Stats.of(Arrays.copyOfRange(flat, off, off + (int) lens[i])), got[i], "segment " + i);
    }
    assertEquals(0, Batch.stats(new float[0], new long[0]).length);
    assertEquals(Stats.empty(), Batch.stats(new double[0], new long[] {0, 0})[1]);
  }

  @Test
  void flatLengthsMustAddUp() {
    float[] x = {1, 2, 3, 4};
    double[] y = {1, 2, 3, 4};
    for (long[] bad : new long[][] {{1, 2}, {4, 1}, {5}, {-1, 5}, {2, 3, -1}, {}}) {
      assertThrows(IllegalArgumentException.class, () -> Batch.stats(x, bad), Arrays.toString(bad));
      assertThrows(IllegalArgumentException.class, () -> Batch.stats(y, bad, NanPolicy.OMIT));
      assertThrows(IllegalArgumentException.class,
          () -> Batch.stats(Expect.direct(x), bad, NanPolicy.PROPAGATE));
      assertThrows(IllegalArgumentException.class,
          () -> Batch.stats(Expect.direct(y), bad, NanPolicy.PROPAGATE));
    }
    assertThrows(IllegalArgumentException.class, () -> Batch.stats(x, new long[] {Long.MAX_VALUE, 4}));
    assertThrows(NullPointerException.class, () -> Batch.stats(x, null));
    assertThrows(NullPointerException.class, () -> Batch.stats((float[]) null, new long[0]));
    assertThrows(IllegalArgumentException.class,
        () -> Batch.stats(FloatBuffer.wrap(x), new long[] {4}, NanPolicy.OMIT)); // not direct
  }

  // ---- frames ------------------------------------------------------------

  private static Stats[] framesOf(float[] x, int frame, int hop) {
    int nf = x.length < frame ? 0 : 1 + (x.length - frame) / hop;
    Stats[] s = new Stats[nf];
    for (int i = 0; i < nf; ++i) {
      s[i] = Stats.of(Arrays.copyOfRange(x, i * hop, i * hop + frame));
    }
    return s;
  }

  private static Stats[] framesOf(double[] x, int frame, int hop) {
    int nf = x.length < frame ? 0 : 1 + (x.length - frame) / hop;
    Stats[] s = new Stats[nf];
    for (int i = 0; i < nf; ++i) {
      s[i] = Stats.of(Arrays.copyOfRange(x, i * hop, i * hop + frame));
    }
    return s;
  }

  @Test
  void framesAreWholeFramesOnly() {
    assertEquals(4, Batch.framesLength(1000, 400, 160)); // 1 + 600 / 160: the partial fifth is dropped
    assertEquals(1, Batch.framesLength(400, 400, 160));
    assertEquals(1, Batch.framesLength(559, 400, 160));
    assertEquals(2, Batch.framesLength(560, 400, 160));
    assertEquals(10, Batch.framesLength(10, 1, 1));
    float[] x = Expect.floats(Expect.uniform(2, 1000, -1, 1));
    Stats[] s = Batch.frames(x, 400, 160);
    assertEquals(4, s.length);
    assertSummaries(framesOf(x, 400, 160), s);
    assertEquals(Stats.of(Arrays.copyOfRange(x, 480, 880)), s[3]);
  }

  @Test
  void framesEqualStatsOfEachFrameOnEveryPath() {
    double[] d = Expect.uniform(21, 200_003, -2, 2);
    d[12345] = Double.NaN; // propagates in the frames that hold it
    float[] f = Expect.floats(d);
    int[][] shapes = {{400, 160}, {1, 1}, {2048, 2048}, {100, 300}, {65536, 10000}, {70000, 30000},
        {200_003, 1}, {3, 200_000}};
    for (int[] fh : shapes) {
      String what = "frame " + fh[0] + ", hop " + fh[1];
      Stats[] wantF = framesOf(f, fh[0], fh[1]);
      Stats[] wantD = framesOf(d, fh[0], fh[1]);
      assertSummaries(wantF, Batch.frames(f, fh[0], fh[1]));
      assertSummaries(wantD, Batch.frames(d, fh[0], fh[1]));
      assertSummaries(wantF, Batch.frames(Expect.direct(f), fh[0], fh[1]));
      assertSummaries(wantD, Batch.frames(Expect.direct(d), fh[0], fh[1]));
      assertEquals(wantF.length, Batch.framesLength(f.length, fh[0], fh[1]), what);
    }
    Stats[] s = Batch.frames(f, 400, 160);
    assertTrue(Double.isNaN(s[12345 / 160].mean()));
    assertEquals(1, s[12345 / 160].nanCount());
    assertEquals(0, s[0].nanCount());
  }

  @Test
  void badFramesAndHops() {
    float[] x = new float[100];
    double[] y = new double[100];
    Expect.core(Status.INVALID_ARGUMENT, "core_stats_frames_len", () -> Batch.frames(x, 0, 10));
    Expect.core(Status.INVALID_ARGUMENT, "core_stats_frames_len", () -> Batch.frames(x, 10, 0));
    Expect.core(Status.INVALID_ARGUMENT, "core_stats_frames_len", () -> Batch.frames(x, 101, 10));
    Expect.core(Status.INVALID_ARGUMENT, "core_stats_frames_len", () -> Batch.frames(y, 101, 1));
    Expect.core(Status.INVALID_ARGUMENT, "core_stats_frames_len", () -> Batch.frames(new float[0], 1, 1));
    Expect.core(Status.INVALID_ARGUMENT, "core_stats_frames_len",
        () -> Batch.frames(Expect.direct(x), 0, 1));
    Expect.core(Status.INVALID_ARGUMENT, "core_stats_frames_len",
        () -> Batch.frames(Expect.direct(y), 1, 0));
    Expect.core(Status.INVALID_ARGUMENT, "core_stats_frames_len", () -> Batch.framesLength(5, 6, 1));
    assertThrows(IllegalArgumentException.class, () -> Batch.frames(x, -1, 10));
    assertThrows(IllegalArgumentException.class, () -> Batch.frames(y, 10, -1));
    assertThrows(IllegalArgumentException.class, () -> Batch.framesLength(-1, 1, 1));
    assertThrows(NullPointerException.class, () -> Batch.frames((float[]) null, 1, 1));
    assertThrows(NullPointerException.class, () -> Batch.frames((DoubleBuffer) null, 1, 1));
  }

  // ---- files ---------------------------------------------------------------

  private static Path write(Path dir, String name, float[] values) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.nativeOrder());
    b.asFloatBuffer().put(values);
    Path p = dir.resolve(name);
    Files.write(p, b.array());
    return p;
  }

  @Test
  void fileSummariesEqualStatsOfTheSameValues(@TempDir Path dir) throws Exception {
    float[] x = Expect.floats(Expect.uniform(31, 300_001, -4, 9));
    x[5] = Float.NaN;
    Path p = write(dir, "x.f32", x);
    assertEquals(Stats.of(x), Batch.statsFile(p.toString()));
    assertEquals(Stats.of(x, NanPolicy.OMIT), Batch.statsFile(p.toString(), 0, 0, NanPolicy.OMIT));
    assertEquals(Stats.of(x, NanPolicy.OMIT), Batch.statsFile(p, 0, 0, NanPolicy.OMIT));
    assertEquals(Stats.of(Arrays.copyOfRange(x, 6, 100_006)), Batch.statsFile(p, 6, 100_000, NanPolicy.PROPAGATE));
    assertEquals(Stats.of(Arrays.copyOfRange(x, 1000, x.length)),
        Batch.statsFile(p.toString(), 1000, 0, NanPolicy.PROPAGATE)); // count 0: to the end
    assertEquals(Stats.empty(), Batch.statsFile(p.toString(), x.length, 0, NanPolicy.PROPAGATE));
    Path accented = null;
    try {
      accented = write(dir, "donn\u00e9es \u00e9t\u00e9.f32", new float[] {1, 2, 3});
    } catch (java.nio.file.InvalidPathException e) {
      // an ASCII-only locale (LANG=C): the JDK cannot name the file either
    }
    if (accented != null) { // named with the JDK's own encoding of file names
      assertEquals(Stats.of(new float[] {1, 2, 3}), Batch.statsFile(accented.toString()));
    }
    Path empty = write(dir, "empty.f32", new float[0]);
    assertEquals(Stats.empty(), Batch.statsFile(empty.toString()));
  }

  @Test
  void fileErrors(@TempDir Path dir) throws Exception {
    Path p = write(dir, "x.f32", new float[] {1, 2, 3, 4});
    Expect.core(Status.NOT_FOUND, "core_stats_file_f32", () -> Batch.statsFile(dir.resolve("missing").toString()));
    Path odd = dir.resolve("odd.f32");
    Files.write(odd, new byte[] {0, 0, 0, 0, 1, 2});
    Expect.core(Status.FORMAT, "core_stats_file_f32", () -> Batch.statsFile(odd.toString()));
    Expect.core(Status.INVALID_ARGUMENT, "core_stats_file_f32",
        () -> Batch.statsFile(p.toString(), 5, 0, NanPolicy.PROPAGATE)); // offset past the end
    Expect.core(Status.INVALID_ARGUMENT, "core_stats_file_f32",
        () -> Batch.statsFile(p.toString(), 2, 3, NanPolicy.PROPAGATE)); // range past the end
    Expect.core(Status.IO, "core_stats_file_f32", () -> Batch.statsFile(dir.toString()));
    assertThrows(IllegalArgumentException.class, () -> Batch.statsFile(p.toString(), -1, 0, NanPolicy.OMIT));
    assertThrows(IllegalArgumentException.class, () -> Batch.statsFile(p.toString(), 0, -1, NanPolicy.OMIT));
    assertThrows(IllegalArgumentException.class, () -> Batch.statsFile("a\0b"));
    assertThrows(NullPointerException.class, () -> Batch.statsFile((String) null));
    assertThrows(NullPointerException.class, () -> Batch.statsFile(p, 0, 0, null));
  }

  // ---- under load ------------------------------------------------------------

  /** Batches (critical groups, copied long arrays) from several threads while the GC runs. */
  @Test
  void concurrentBatchesWithAGcRunning() throws Exception {
    final float[][] f = floats(mixed(41));
    final Stats[] want = each(f, NanPolicy.OMIT);
    final float[] signal = CoreArrays.concat(f);
    final Stats[] wantFrames = Batch.frames(signal, 1024, 512);
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
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> jobs = new ArrayList<>();
      for (int t = 0; t < 4; ++t) {
        final int kind = t;
        jobs.add(pool.submit(() -> {
          for (int i = 0; i < 15; ++i) {
            if (kind % 2 == 0) {
              assertArrayEquals(want, Batch.stats(f, NanPolicy.OMIT));
            } else {
              assertArrayEquals(wantFrames, Batch.frames(signal, 1024, 512));
            }
          }
          return null;
        }));
      }
      for (Future<?> job : jobs) {
        job.get();
      }
    } finally {
      stop.set(true);
      gc.join();
      pool.shutdown();
    }
  }
}
