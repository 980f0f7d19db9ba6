package dev.libcore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** stats.h conveniences (test_stats_conv.c), float[] and double[]. */
class ReductionsTest {
  private static final double NAN = Double.NaN;
  private static final double INF = Double.POSITIVE_INFINITY;

  @Test
  void minMax() {
    double[] k8 = {3, 1, 4, 1, 5, -9, 2, 6};
    assertEquals(-9.0, Reductions.min(k8));
    assertEquals(6.0, Reductions.max(Expect.floats(k8)));
    assertEquals(-INF, Reductions.min(new double[] {INF, 1, -INF}));
    assertEquals(INF, Reductions.max(new float[] {Float.POSITIVE_INFINITY, 1}));
    assertTrue(Double.isNaN(Reductions.min(new double[] {1, NAN, 3})));
    assertTrue(Double.isNaN(Reductions.max(new float[] {1, 2, Float.NaN})));
  }

  @Test
  void minMaxOfNothingIsEmpty() {
    Expect.core(Status.EMPTY, "core_min_f64", () -> Reductions.min(new double[0]));
    Expect.core(Status.EMPTY, "core_min_f32", () -> Reductions.min(new float[0]));
    Expect.core(Status.EMPTY, "core_max_f64", () -> Reductions.max(new double[0]));
    Expect.core(Status.EMPTY, "core_max_f32", () -> Reductions.max(new float[0]));
  }

  @Test
  void meanVarStd() {
    double[] x = {1, 2, 3, 4};
    float[] f = Expect.floats(x);
    assertEquals(2.5, Reductions.mean(x));
    assertEquals(2.5, Reductions.mean(f));
    assertEquals(1.25, Reductions.var(x));
    assertEquals(1.25, Reductions.var(f));
    assertEquals(5.0 / 3.0, Reductions.var(x, 1), Math.ulp(5.0 / 3.0));
    assertEquals(Math.sqrt(1.25), Reductions.std(f));
    assertEquals(Math.sqrt(5.0 / 3.0), Reductions.std(x, 1), Math.ulp(1.3));
    assertEquals(0.0, Reductions.var(new double[] {7}));
  }

  @Test
  void meanVarStdNanCases() {
    assertTrue(Double.isNaN(Reductions.mean(new double[0])));
    assertTrue(Double.isNaN(Reductions.var(new float[0])));
    assertTrue(Double.isNaN(Reductions.std(new double[0], 0)));
    for (int ddof : new int[] {4, 5, Integer.MAX_VALUE}) {
      assertTrue(Double.isNaN(Reductions.var(new double[] {1, 2, 3, 4}, ddof)));
      assertTrue(Double.isNaN(Reductions.std(new float[] {1, 2, 3, 4}, ddof)));
    }
    assertTrue(Double.isNaN(Reductions.mean(new double[] {1, NAN, 3})));
    assertTrue(Double.isNaN(Reductions.std(new float[] {1, Float.NaN, 3}, 1)));
  }

  @Test
  void negativeDdof() {
    assertThrows(IllegalArgumentException.class, () -> Reductions.var(new double[] {1, 2}, -1));
    assertThrows(IllegalArgumentException.class, () -> Reductions.var(new float[] {1, 2}, -1));
    assertThrows(IllegalArgumentException.class, () -> Reductions.std(new double[] {1, 2}, -1));
    assertThrows(IllegalArgumentException.class, () -> Reductions.std(new float[] {1, 2}, -2));
  }

  @Test
  void dot() {
    assertEquals(32.0, Reductions.dot(new double[] {1, 2, 3}, new double[] {4, 5, 6}));
    assertEquals(2.5, Reductions.dot(new float[] {1.5f, -2}, new float[] {2, 0.25f}));
    assertEquals(0.0, Reductions.dot(new double[0], new double[0]));
    assertTrue(Double.isNaN(Reductions.dot(new double[] {1, NAN, 3}, new double[] {4, 5, 6})));
    float[] tenth = CoreArrays.fullFloat(1_000_000, 0.1f); // copied path
    double want = 1e6 * (double) 0.1f * (double) 0.1f;
    assertEquals(want, Reductions.dot(tenth, tenth), 1e-12 * want);
  }

  @Test
  void corrcoef() {
    double[] x = {1, 2, 3, 4, 5};
    double[] up = {3, 5, 7, 9, 11};
    double[] down = {0.5, 0, -0.5, -1, -1.5};
    assertEquals(1.0, Reductions.corrcoef(x, up));
    assertEquals(-1.0, Reductions.corrcoef(Expect.floats(x), Expect.floats(down)));
    double r = Reductions.corrcoef(x, new double[] {2, 1, 4, 3, 7});
    assertEquals(12 / Math.sqrt(10 * 21.2), r, 1e-15);
    assertTrue(Double.isNaN(Reductions.corrcoef(new double[] {5, 5, 5}, new double[] {1, 2, 3})));
    assertTrue(Double.isNaN(Reductions.corrcoef(new double[0], new double[0])));
    assertTrue(Double.isNaN(Reductions.corrcoef(new float[] {1}, new float[] {2})));
    assertTrue(Double.isNaN(Reductions.corrcoef(new double[] {1, NAN, 3}, new double[] {1, 2, 3})));
  }

  @Test
  void mismatchedLengths() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Reductions.dot(new double[3], new double[4]));
    assertTrue(e.getMessage().contains("3") && e.getMessage().contains("4"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Reductions.dot(new float[0], new float[1]));
    assertThrows(IllegalArgumentException.class, () -> Reductions.corrcoef(new double[5], new double[2]));
    assertThrows(IllegalArgumentException.class, () -> Reductions.corrcoef(new float[2], new float[5]));
    assertThrows(NullPointerException.class, () -> Reductions.dot(new double[1], null));
    assertThrows(NullPointerException.class, () -> Reductions.corrcoef((float[]) null, new float[1]));
  }

  @Test
  void energyRms() {
    assertEquals(7.5, Reductions.energy(new double[] {1, 2, 3, 4}));
    assertEquals(Math.sqrt(7.5), Reductions.rms(new float[] {1, 2, 3, 4}));
    assertEquals(12.5, Reductions.energy(new float[] {-3, 4}));
    assertTrue(Double.isNaN(Reductions.energy(new double[0])));
    assertTrue(Double.isNaN(Reductions.rms(new float[0])));
    assertTrue(Double.isNaN(Reductions.rms(new double[] {1, NAN})));
  }

  @Test
  void zeroCrossingRate() {
    double[][] x = {{1, -1, 1, -1}, {1, 1, 1}, {0, -1}, {0, 1}, {-1, 0}, {0, 0, 0}, {1, NAN}, {-1, NAN},
        {NAN, NAN}, {NAN, 2, -2}, {-2, 3, 0, 1}, {-0.0, 1}};
    double[] want = {1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1.0 / 3, 0};
    for (int i = 0; i < x.length; ++i) {
      assertEquals(want[i], Reductions.zeroCrossingRate(x[i]), "case " + i);
      assertEquals(want[i], Reductions.zeroCrossingRate(Expect.floats(x[i])), "float case " + i);
    }
    assertTrue(Double.isNaN(Reductions.zeroCrossingRate(new double[0])));
    assertTrue(Double.isNaN(Reductions.zeroCrossingRate(new float[] {1})));
  }

  @Test
  void percentileLinearInterpolation() {
    double[] x = {3, 1, 4, 1, 5, 9, 2, 6};
    double[] keep = x.clone();
    double[] q = {0, 100, 50, 25};
    double[] want = {1, 9, 3.5, 1.75};
    for (NanPolicy p : NanPolicy.values()) {
      for (int i = 0; i < q.length; ++i) {
        assertEquals(want[i], Reductions.percentile(x, q[i], p), "q = " + q[i]);
        assertEquals(want[i], Reductions.percentile(Expect.floats(x), q[i], p), "float q = " + q[i]);
      }
      assertEquals(6.9, Reductions.percentile(x, 90, p), 1e-12);
    }
    assertArrayEquals(keep, x, "x must not be modified");
    assertEquals(4.0, Reductions.percentile(new double[] {4}, 37));
    assertEquals(2.0, Reductions.percentile(new float[] {3, 1}, 50));
  }

  @Test
  void percentileNanPolicies() {
    double[] xn = {3, NAN, 1, 4, 1, NAN, 5, 9, 2, 6};
    assertEquals(3.5, Reductions.percentile(xn, 50, NanPolicy.OMIT));
    assertEquals(6.9, Reductions.percentile(Expect.floats(xn), 90, NanPolicy.OMIT), 1e-12);
    assertTrue(Double.isNaN(Reductions.percentile(xn, 50)));
    assertTrue(Double.isNaN(Reductions.percentile(new double[] {NAN, NAN}, 50, NanPolicy.PROPAGATE)));
    Expect.core(Status.EMPTY, "core_percentile_f64",
        () -> Reductions.percentile(new double[] {NAN, NAN, NAN}, 50, NanPolicy.OMIT));
  }

  @Test
  void percentileErrors() {
    Expect.core(Status.EMPTY, "core_percentile_f64", () -> Reductions.percentile(new double[0], 50));
    Expect.core(Status.EMPTY, "core_percentile_f32", () -> Reductions.percentile(new float[0], 50, NanPolicy.OMIT));
    for (double q : new double[] {-1, 101, NAN, -1e-9, 100.000001, INF}) {
      Expect.core(Status.INVALID_ARGUMENT, "core_percentile_f64", () -> Reductions.percentile(new double[] {1, 2}, q));
      Expect.core(Status.INVALID_ARGUMENT, "core_percentile_f32", () -> Reductions.percentile(new float[] {1, 2}, q));
    }
    assertThrows(NullPointerException.class, () -> Reductions.percentile(new double[] {1}, 50, null));
    assertThrows(NullPointerException.class, () -> Reductions.percentile((float[]) null, 50));
  }

  @Test
  void percentileMatchesSortingAcrossTheCopyThreshold() {
    double[] x = Expect.uniform(5000, 100003, -100, 100);
    double[] sorted = x.clone();
    java.util.Arrays.sort(sorted);
    for (double q : new double[] {0, 0.5, 33.3, 50, 99.99, 100}) {
      double v = q / 100 * (x.length - 1);
      int i = (int) Math.floor(v);
      int j = Math.min(i + 1, x.length - 1);
      double want = sorted[i] + (v - i) * (sorted[j] - sorted[i]);
      assertEquals(want, Reductions.percentile(x, q), 1e-12 * Math.max(1, Math.abs(want)), "q = " + q);
    }
  }
}
