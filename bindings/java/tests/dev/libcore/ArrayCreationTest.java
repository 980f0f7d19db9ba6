package dev.libcore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** array.h creation: arange, linspace, zeros/ones/full/fill, concat (test_array.c). */
class ArrayCreationTest {
  // ---- arange ------------------------------------------------------------

  @ParameterizedTest(name = "arange({0}, {1}, {2}) has {3}")
  @CsvSource({"0, 1, 0.1, 10", "0, 10, 1, 10", "10, 0, -1, 10", "0, 10, -1, 0", "1, 1, 1, 0", "0, 1, 3, 1",
      "1, 1.3, 0.1, 4", "-2.5, 2.5, 1, 5", "0, -1, -0.3, 4", "5, 1, 1, 0", "0, 1e-300, 1e300, 1",
      "0, -1e-300, 1e300, 0", "0, 1e9, 1, 1000000000"})
  void arangeLengthFollowsNumpy(double start, double stop, double step, long n) {
    assertEquals(n, CoreArrays.arangeLength(start, stop, step));
  }

  @Test
  void arangeValuesAreStartPlusIStep() {
    double[] a = CoreArrays.arange(0, 1, 0.1);
    assertEquals(10, a.length);
    for (int i = 0; i < a.length; ++i) {
      assertEquals(0 + i * 0.1, a[i], 0.0, "element " + i);
    }
    float[] f = CoreArrays.arangeFloat(-3.5, 7.25, 0.37);
    assertEquals(30, f.length);
    for (int i = 0; i < f.length; ++i) {
      assertEquals((float) (-3.5 + i * 0.37), f[i], 0.0f, "element " + i);
    }
    assertArrayEquals(new double[] {10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, CoreArrays.arange(10, 0, -1));
    assertEquals(4, CoreArrays.arange(1, 1.3, 0.1).length);
  }

  @Test
  void emptyArangeIsEmpty() {
    assertEquals(0, CoreArrays.arange(1, 1, 1).length);
    assertEquals(0, CoreArrays.arangeFloat(0, 10, -1).length);
  }

  @Test
  void badArangeIsACoreException() {
    double[][] bad = {{0, 1, 0}, {0, 1, -0.0}, {Double.NaN, 1, 1}, {0, Double.NaN, 1}, {0, 1, Double.NaN},
        {Double.POSITIVE_INFINITY, 1, 1}, {0, 1, Double.NEGATIVE_INFINITY}, {0, 1e300, 1e-300},
        {0, 0x1p63, 1}};
    for (double[] c : bad) {
      Expect.core(Status.INVALID_ARGUMENT, "core_arange_len", () -> CoreArrays.arange(c[0], c[1], c[2]));
      Expect.core(Status.INVALID_ARGUMENT, "core_arange_len", () -> CoreArrays.arangeFloat(c[0], c[1], c[2]));
      Expect.core(Status.INVALID_ARGUMENT, "core_arange_len", () -> CoreArrays.arangeLength(c[0], c[1], c[2]));
    }
  }

  @Test
  void arangeLongerThanAJavaArrayIsIllegal() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CoreArrays.arange(0, 1e12, 1));
    assertTrue(e.getMessage().contains("1000000000000"), e.getMessage());
  }

  // ---- linspace ----------------------------------------------------------

  @Test
  void linspaceEndpointIsExact() {
    double[] a = CoreArrays.linspace(0.1, 0.7, 1000003);
    assertEquals(0.1, a[0]);
    assertEquals(0.7, a[a.length - 1]);
    double[] b = CoreArrays.linspace(-3.3, 7.7, 50);
    double step = (7.7 - -3.3) / 49;
    for (int i = 0; i < 49; ++i) {
      assertEquals(-3.3 + i * step, b[i], 0.0, "element " + i);
    }
    assertEquals(7.7, b[49]);
    float[] f = CoreArrays.linspaceFloat(0, 1, 7);
    assertEquals(1.0f, f[6]);
    assertEquals((float) (1.0 / 6), f[1]);
  }

  @Test
  void linspaceWithoutEndpointExcludesStop() {
    assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75}, CoreArrays.linspace(0, 1, 4, false));
    assertArrayEquals(new double[] {5, 4, 3, 2, 1, 0, -1, -2, -3, -4}, CoreArrays.linspace(5, -5, 10, false));
    assertArrayEquals(new float[] {5, 4, 3, 2, 1, 0, -1, -2, -3, -4, -5}, CoreArrays.linspaceFloat(5, -5, 11));
  }

  @Test
  void linspaceEdges() {
    assertEquals(0, CoreArrays.linspace(0, 1, 0).length);
    assertEquals(0, CoreArrays.linspaceFloat(0, 1, 0, false).length);
    assertArrayEquals(new double[] {0.1}, CoreArrays.linspace(0.1, 7, 1));
    assertArrayEquals(new double[] {0.1}, CoreArrays.linspace(0.1, 7, 1, false));
    assertArrayEquals(new float[] {0.1f}, CoreArrays.linspaceFloat(0.1, 7, 1));
  }

  @Test
  void badLinspace() {
    assertThrows(IllegalArgumentException.class, () -> CoreArrays.linspace(0, 1, -1));
    assertThrows(IllegalArgumentException.class, () -> CoreArrays.linspaceFloat(0, 1, -5, false));
    double[][] bad = {{Double.NaN, 1}, {0, Double.NaN}, {Double.POSITIVE_INFINITY, 1}, {0, Double.NEGATIVE_INFINITY}};
    for (double[] c : bad) {
      Expect.core(Status.INVALID_ARGUMENT, "core_linspace_f64", () -> CoreArrays.linspace(c[0], c[1], 4));
      Expect.core(Status.INVALID_ARGUMENT, "core_linspace_f32", () -> CoreArrays.linspaceFloat(c[0], c[1], 4, false));
    }
  }

  // ---- zeros, ones, full, fill -------------------------------------------

  @Test
  void zerosOnesFull() {
    for (int n : new int[] {0, 1, 3, 17, 1000, 100003}) {
      double[] z = CoreArrays.zeros(n);
      float[] o = CoreArrays.onesFloat(n);
      double[] f = CoreArrays.full(n, -0.0);
      float[] h = CoreArrays.fullFloat(n, Float.NaN);
      assertEquals(n, z.length);
      for (int i = 0; i < n; ++i) {
        Expect.same(0.0, z[i], "zeros");
        assertEquals(1.0f, o[i]);
        Expect.same(-0.0, f[i], "full(-0.0)");
        assertTrue(Float.isNaN(h[i]));
      }
    }
    assertArrayEquals(new float[] {0, 0}, CoreArrays.zerosFloat(2));
    assertArrayEquals(new double[] {1, 1, 1}, CoreArrays.ones(3));
  }

  @Test
  void fillWritesEveryElementAndReturnsTheArray() {
    double[] d = new double[33];
    assertTrue(d == CoreArrays.fill(d, 0.1));
    for (double v : d) {
      assertEquals(0.1, v);
    }
    float[] f = CoreArrays.fill(new float[5], Float.NEGATIVE_INFINITY);
    for (float v : f) {
      assertEquals(Float.NEGATIVE_INFINITY, v);
    }
    assertEquals(0, CoreArrays.fill(new float[0], 1f).length);
  }

  @Test
  void negativeSizesAndNullArrays() {
    assertThrows(IllegalArgumentException.class, () -> CoreArrays.zeros(-1));
    assertThrows(IllegalArgumentException.class, () -> CoreArrays.zerosFloat(-1));
    assertThrows(IllegalArgumentException.class, () -> CoreArrays.ones(-2));
    assertThrows(IllegalArgumentException.class, () -> CoreArrays.onesFloat(-2));
    assertThrows(IllegalArgumentException.class, () -> CoreArrays.full(-3, 1));
    assertThrows(IllegalArgumentException.class, () -> CoreArrays.fullFloat(-3, 1));
    assertThrows(NullPointerException.class, () -> CoreArrays.fill((double[]) null, 1));
    assertThrows(NullPointerException.class, () -> CoreArrays.fill((float[]) null, 1));
  }

  // ---- concat ------------------------------------------------------------

  @Test
  void concatValues() {
    double[][] parts = {{1.5, 2.5, 3.5}, {}, {4.5, 5.5}, new double[1000]};
    double[] all = CoreArrays.concat(parts);
    assertEquals(1005, all.length);
    assertArrayEquals(new double[] {1.5, 2.5, 3.5, 4.5, 5.5}, java.util.Arrays.copyOf(all, 5));
    assertArrayEquals(new float[] {1, 2, 3}, CoreArrays.concat(new float[] {1}, new float[] {2, 3}));
    assertEquals(0, CoreArrays.concat(new float[0][]).length);
    assertEquals(0, CoreArrays.concat(new double[0], new double[0]).length);
  }

  @Test
  void concatNullParts() {
    assertThrows(NullPointerException.class, () -> CoreArrays.concat((double[][]) null));
    NullPointerException e = assertThrows(NullPointerException.class,
        () -> CoreArrays.concat(new float[] {1}, null, new float[] {2}));
    assertTrue(e.getMessage().contains("parts[1]"), e.getMessage());
  }

  @Test
  void concatMatchesArangeAcrossTheCopyThreshold() {
    // 3 parts of 40000: a total of 120000 takes the copied path.
    float[] a = CoreArrays.arangeFloat(0, 40000, 1);
    float[] b = CoreArrays.arangeFloat(40000, 80000, 1);
    float[] c = CoreArrays.arangeFloat(80000, 120000, 1);
    assertArrayEquals(CoreArrays.arangeFloat(0, 120000, 1), CoreArrays.concat(a, b, c));
    assertArrayEquals(CoreArrays.arangeFloat(0, 80000, 1), CoreArrays.concat(a, b));
  }
}
