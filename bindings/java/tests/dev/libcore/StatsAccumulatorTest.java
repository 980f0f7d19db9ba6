package dev.libcore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** batch.h's streaming accumulator through StatsAccumulator. */
class StatsAccumulatorTest {
  private static final double[] D = Expect.uniform(61, 200_001, 1e4, 1e4 + 1);
  private static final float[] F = Expect.floats(D);

  /** Pushes x in random cuts, some of them as direct buffers. */
  private static StatsAccumulator pushCut(StatsAccumulator acc, float[] x, long seed, int maxCut) {
    SplittableRandom r = new SplittableRandom(seed);
    for (int off = 0; off < x.length;) {
      int n = Math.min(x.length - off, r.nextInt(0, maxCut));
      if (r.nextBoolean()) {
        acc.push(x, off, n);
      } else {
        acc.push(Expect.direct(Arrays.copyOfRange(x, off, off + n)));
      }
      off += n;
    }
    return acc;
  }

  @Test
  void declaredLengthGivesStatsOfTheWholeStreamBitForBit() {
    for (NanPolicy nan : NanPolicy.values()) {
      Stats want = Stats.of(F, nan);
      assertEquals(want, pushCut(new StatsAccumulator(nan, F.length), F, 1, 5000).result());
      assertEquals(want, pushCut(new StatsAccumulator(nan, F.length), F, 2, 150_000).result()); // pieces
      assertEquals(want, new StatsAccumulator(nan, F.length).push(F).result()); // one push, in pieces inside
      assertEquals(want, new StatsAccumulator(nan, F.length).push(Expect.direct(F)).result());
      StatsAccumulator d = new StatsAccumulator(nan, D.length);
      d.push(D, 0, 70_000).push(D, 70_000, 1).push(Expect.direct(Arrays.copyOfRange(D, 70_001, D.length)));
      assertEquals(Stats.of(D, nan), d.result());
    }
  }

  @Test
  void unknownLengthIsExactUpToOneBlockAndCloseBeyond() {
    float[] small = Arrays.copyOf(F, 2048);
    assertEquals(Stats.of(small), pushCut(new StatsAccumulator(), small, 3, 100).result());
    Stats want = Stats.of(F);
    Stats got = pushCut(new StatsAccumulator(NanPolicy.PROPAGATE), F, 4, 3000).result();
    assertEquals(want.count(), got.count());
    assertEquals(want.min(), got.min());
    assertEquals(want.max(), got.max());
    assertEquals(want.mean(), got.mean(), 8 * Math.ulp(want.mean()));
    assertEquals(want.m2(), got.m2(), 1e-9 * want.m2());
    // the cut never matters, declared length or not
    assertEquals(got, pushCut(new StatsAccumulator(), F, 5, 70_000).result());
  }

  @Test
  void resultCanBeReadWhileTheStreamGrows() {
    StatsAccumulator acc = new StatsAccumulator(NanPolicy.OMIT, 0);
    assertEquals(Stats.empty(), acc.result());
    acc.push(new float[] {1, Float.NaN, 3});
    Stats s = acc.result();
    assertEquals(2, s.count());
    assertEquals(1, s.nanCount());
    assertEquals(2.0, s.mean());
    acc.push(new float[] {5});
    assertEquals(Stats.of(new float[] {1, Float.NaN, 3, 5}, NanPolicy.OMIT), acc.result());
    assertEquals(NanPolicy.OMIT, acc.nanPolicy());
    assertEquals(0, acc.expectedCount());
    assertTrue(acc.toString().contains("count=3"), acc.toString());
  }

  @Test
  void mergeCombinesWorkers() {
    StatsAccumulator a = new StatsAccumulator().push(F, 0, 100_000);
    StatsAccumulator b = new StatsAccumulator().push(F, 100_000, F.length - 100_000);
    Stats want = a.result().merge(b.result());
    Stats bBefore = b.result();
    assertSame(a, a.merge(b));
    assertEquals(want, a.result());
    assertEquals(bBefore, b.result()); // src unchanged
    Stats whole = Stats.of(F);
    assertEquals(whole.count(), a.result().count());
    assertEquals(whole.mean(), a.result().mean(), 8 * Math.ulp(whole.mean()));
    // pushes after a merge start a new segment, of either dtype
    a.push(new double[] {1e4});
    assertEquals(F.length + 1, a.result().count());
    // merging into itself doubles the stream
    StatsAccumulator c = new StatsAccumulator().push(new float[] {1, 2, 3});
    c.merge(c);
    assertEquals(Stats.of(new float[] {1, 2, 3, 1, 2, 3}).count(), c.result().count());
    assertEquals(2.0, c.result().mean());
  }

  @Test
  void copyForksAndResetRestarts() {
    StatsAccumulator a = new StatsAccumulator(NanPolicy.PROPAGATE, 4).push(new float[] {1, 2});
    StatsAccumulator fork = a.copy();
    a.push(new float[] {3, 4});
    fork.push(new float[] {30, 40});
    assertEquals(Stats.of(new float[] {1, 2, 3, 4}), a.result());
    assertEquals(Stats.of(new float[] {1, 2, 30, 40}), fork.result());
    assertEquals(4, fork.expectedCount());
    assertSame(a, a.reset());
    assertEquals(Stats.empty(), a.result());
    a.push(new double[] {1, 2, 3, 4}); // a reset accumulator takes either dtype again
    assertEquals(Stats.of(new double[] {1, 2, 3, 4}), a.result());
  }

  @Test
  void aFailedPushLeavesTheAccumulatorAsItWas() {
    StatsAccumulator f = new StatsAccumulator().push(new float[] {1, 2});
    Stats before = f.result();
    Expect.core(Status.INVALID_ARGUMENT, "core_stats_acc_push_f64", () -> f.push(new double[] {3}));
    Expect.core(Status.INVALID_ARGUMENT, "core_stats_acc_push_f64", () -> f.push(Expect.direct(3.0)));
    assertEquals(before, f.result());
    // beyond the declared length: one piece, then several pieces (rolled back)
    StatsAccumulator t = new StatsAccumulator(NanPolicy.PROPAGATE, 100_000).push(F, 0, 10);
    Stats t10 = t.result();
    Expect.core(Status.INVALID_ARGUMENT, "core_stats_acc_push_f32", () -> t.push(F, 0, 99_991));
    assertEquals(t10, t.result());
    Expect.core(Status.INVALID_ARGUMENT, "core_stats_acc_push_f32", () -> t.push(F)); // 200,001 in 4 pieces
    assertEquals(t10, t.result());
    t.push(F, 10, 99_990);
    assertEquals(Stats.of(Arrays.copyOf(F, 100_000)), t.result());
    Expect.core(Status.INVALID_ARGUMENT, "core_stats_acc_push_f32", () -> t.push(new float[1]));
    t.push(new float[0]); // nothing is always fine
  }

  @Test
  void badArguments() {
    StatsAccumulator acc = new StatsAccumulator();
    assertThrows(IndexOutOfBoundsException.class, () -> acc.push(new float[4], 3, 2));
    assertThrows(IndexOutOfBoundsException.class, () -> acc.push(new double[4], -1, 2));
    assertThrows(IndexOutOfBoundsException.class, () -> acc.push(new float[4], 0, -1));
    assertThrows(NullPointerException.class, () -> acc.push((float[]) null));
    assertThrows(NullPointerException.class, () -> acc.push((double[]) null, 0, 0));
    assertThrows(NullPointerException.class, () -> acc.push((java.nio.FloatBuffer) null));
    assertThrows(NullPointerException.class, () -> acc.merge(null));
    assertThrows(NullPointerException.class, () -> new StatsAccumulator(null));
    assertThrows(IllegalArgumentException.class, () -> new StatsAccumulator(NanPolicy.OMIT, -1));
    assertThrows(IllegalArgumentException.class, () -> acc.push(java.nio.FloatBuffer.wrap(new float[1])));
    Expect.core(Status.INVALID_ARGUMENT, "core_stats_acc_merge",
        () -> new StatsAccumulator(NanPolicy.OMIT).merge(new StatsAccumulator(NanPolicy.PROPAGATE)));
    assertEquals(Stats.empty(), acc.result());
  }

  @Test
  void sharedBetweenThreads() throws Exception {
    StatsAccumulator shared = new StatsAccumulator();
    StatsAccumulator other = new StatsAccumulator().push(new float[] {1});
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; ++t) {
      final int id = t;
      threads[t] = new Thread(() -> {
        for (int i = 0; i < 500; ++i) {
          shared.push(F, i * 100, 100);
          if (id == 0 && i % 50 == 0) {
            other.merge(shared); // locks both, in a fixed order
            shared.merge(other);
          }
        }
      });
    }
    for (Thread t : threads) {
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertTrue(shared.result().count() >= 4 * 500 * 100);
    assertNotEquals(0, other.result().count());
  }
}
