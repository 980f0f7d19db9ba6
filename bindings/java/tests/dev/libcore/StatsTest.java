package dev.libcore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** stats.h summaries: Stats.of, NaN policies, merge, var/std (test_stats.c). */
class StatsTest {
  private static final double NAN = Double.NaN;
  private static final double INF = Double.POSITIVE_INFINITY;

  private static void allNanMoments(Stats s) {
    assertTrue(Double.isNaN(s.min()) && Double.isNaN(s.max()) && Double.isNaN(s.mean()) && Double.isNaN(s.m2()),
        s.toString());
  }

  @Test
  void oneToFour() {
    for (NanPolicy p : NanPolicy.values()) {
      for (Stats s : new Stats[] {Stats.of(new double[] {1, 2, 3, 4}, p), Stats.of(new float[] {1, 2, 3, 4}, p)}) {
        assertEquals(4, s.count());
        assertEquals(0, s.nanCount());
        assertEquals(1.0, s.min());
        assertEquals(4.0, s.max());
        assertEquals(10.0, s.sum());
        assertEquals(2.5, s.mean());
        assertEquals(5.0, s.m2());
        assertEquals(1.25, s.variance());
        assertEquals(5.0 / 3.0, s.variance(1), Math.ulp(5.0 / 3.0));
        assertEquals(Math.sqrt(1.25), s.std());
        assertEquals(Math.sqrt(5.0 / 3.0), s.std(1), Math.ulp(1.3));
      }
    }
  }

  @Test
  void singleAndNegatives() {
    Stats one = Stats.of(new double[] {-3.5});
    assertEquals(Stats.fromFields(1, 0, -3.5, -3.5, -3.5, -3.5, 0), one);
    Stats neg = Stats.of(new float[] {-1, -2, -3, -4, -10});
    assertEquals(Stats.fromFields(5, 0, -10, -1, -20, -4, 50), neg);
    assertEquals(0.0, one.variance());
    assertTrue(Double.isNaN(one.std(1)));
  }

  @Test
  void ddofAtOrBeyondTheCountIsNan() {
    Stats s = Stats.of(new double[] {1, 2, 3, 4});
    for (int ddof : new int[] {4, 5, Integer.MAX_VALUE}) {
      assertTrue(Double.isNaN(s.variance(ddof)));
      assertTrue(Double.isNaN(s.std(ddof)));
    }
    assertThrows(IllegalArgumentException.class, () -> s.variance(-1));
    assertThrows(IllegalArgumentException.class, () -> s.std(-1));
  }

  @Test
  void nanPropagates() {
    double[] x = Expect.uniform(77, 2049, -1, 1);
    x[0] = NAN;
    x[2048] = NAN;
    for (Stats s : new Stats[] {Stats.of(x), Stats.of(Expect.floats(x))}) {
      assertEquals(2049, s.count());
      assertEquals(2, s.nanCount());
      assertTrue(Double.isNaN(s.sum()));
      allNanMoments(s);
    }
  }

  @Test
  void nanOmitMatchesTheCompactedSample() {
    double[] x = Expect.uniform(177, 100003, -1, 3);
    double[] y = new double[x.length - 3];
    x[2] = x[50000] = x[100002] = NAN;
    for (int i = 0, j = 0; i < x.length; ++i) {
      if (!Double.isNaN(x[i])) {
        y[j++] = x[i];
      }
    }
    Stats omit = Stats.of(x, NanPolicy.OMIT);
    Stats ref = Stats.of(y);
    assertEquals(3, omit.nanCount());
    assertEquals(ref.count(), omit.count());
    assertEquals(ref.min(), omit.min());
    assertEquals(ref.max(), omit.max());
    assertEquals(ref.mean(), omit.mean(), 4 * Math.ulp(ref.mean()));
    assertEquals(ref.m2(), omit.m2(), 1e-12 * ref.m2());
  }

  @Test
  void allNan() {
    double[] x = {NAN, NAN, NAN};
    Stats omit = Stats.of(x, NanPolicy.OMIT);
    assertEquals(0, omit.count());
    assertEquals(3, omit.nanCount());
    assertEquals(0.0, omit.sum());
    allNanMoments(omit);
    Stats prop = Stats.of(Expect.floats(x));
    assertEquals(3, prop.count());
    assertEquals(3, prop.nanCount());
    allNanMoments(prop);
  }

  @Test
  void emptyIsNotAnError() {
    for (NanPolicy p : NanPolicy.values()) {
      for (Stats s : new Stats[] {Stats.of(new double[0], p), Stats.of(new float[0], p), Stats.empty()}) {
        assertEquals(0, s.count());
        assertEquals(0, s.nanCount());
        Expect.same(0.0, s.sum(), "sum");
        allNanMoments(s);
        assertTrue(Double.isNaN(s.variance()));
      }
    }
  }

  @Test
  void infinitiesFollowNumpy() {
    Stats a = Stats.of(new double[] {1, INF});
    assertEquals(INF, a.mean());
    assertTrue(Double.isNaN(a.m2()));
    Stats b = Stats.of(new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY});
    assertEquals(-INF, b.min());
    assertEquals(INF, b.max());
    assertTrue(Double.isNaN(b.mean()));
    assertEquals(0, b.nanCount());
  }

  @Test
  void mergeKnown() {
    Stats m = Stats.of(new double[] {1, 2}).merge(Stats.of(new double[] {3, 4}));
    assertEquals(Stats.fromFields(4, 0, 1, 4, 10, 2.5, 5), m);
  }

  @Test
  void mergeOfSplitsMatchesTheWhole() {
    double[] x = Expect.uniform(900, 100003, 1, 9);
    Stats whole = Stats.of(x);
    for (int k : new int[] {0, 1, 33334, 100002, 100003}) {
      Stats a = Stats.of(java.util.Arrays.copyOfRange(x, 0, k));
      Stats b = Stats.of(java.util.Arrays.copyOfRange(x, k, x.length));
      Stats m = a.merge(b);
      assertEquals(whole.count(), m.count());
      assertEquals(whole.min(), m.min());
      assertEquals(whole.max(), m.max());
      assertEquals(whole.mean(), m.mean(), 4 * Math.ulp(whole.mean()), "split at " + k);
      assertEquals(whole.m2(), m.m2(), 1e-12 * whole.m2(), "split at " + k);
      if (k == 0) {
        assertEquals(b, m);
      }
      if (k == x.length) {
        assertEquals(a, m);
      }
    }
  }

  @Test
  void emptyIsTheMergeIdentity() {
    Stats a = Stats.of(Expect.uniform(31, 600, -5, 5));
    assertEquals(a, a.merge(Stats.empty()));
    assertEquals(a, Stats.empty().merge(a));
    Stats nans = Stats.of(new double[] {NAN, NAN, NAN}, NanPolicy.OMIT);
    Stats m = a.merge(nans);
    assertEquals(a.count(), m.count());
    assertEquals(3, m.nanCount());
    assertEquals(a.mean(), m.mean());
  }

  @Test
  void mergeErrors() {
    Stats a = Stats.fromFields(3, 0, 1, 3, 6, 2, 2);
    assertThrows(NullPointerException.class, () -> a.merge(null));
    Stats big = Stats.fromFields(-2L /* 2^64 - 2 */, 0, 1, 1, 0x1p64, 1, 0);
    Expect.core(Status.INVALID_ARGUMENT, "core_stats_merge", () -> big.merge(a));
    Expect.core(Status.INVALID_ARGUMENT, "core_stats_merge", () -> a.merge(big));
    Stats edge = Stats.fromFields(-4L /* 2^64 - 4 */, 0, 1, 1, 0x1p64, 1, 0);
    assertEquals(-1L, edge.merge(a).count()); // exactly 2^64 - 1
    assertEquals("18446744073709551615", Long.toUnsignedString(edge.merge(a).count()));
  }

  @Test
  void nullArgumentsAndValueSemantics() {
    assertThrows(NullPointerException.class, () -> Stats.of((float[]) null));
    assertThrows(NullPointerException.class, () -> Stats.of((double[]) null, NanPolicy.OMIT));
    assertThrows(NullPointerException.class, () -> Stats.of(new double[1], null));
    Stats a = Stats.of(new double[] {1, NAN}, NanPolicy.PROPAGATE);
    Stats b = Stats.of(new float[] {1, Float.NaN});
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, Stats.of(new double[] {1, NAN}, NanPolicy.OMIT));
    assertTrue(a.toString().startsWith("Stats{count=2, nanCount=1"), a.toString());
  }
}
