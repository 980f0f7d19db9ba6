package dev.libcore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** array.h transforms: cumsum, normalize, normal pdf, PCM (test_array.c). */
class TransformTest {
  private static final double NAN = Double.NaN;
  private static final double INF = Double.POSITIVE_INFINITY;

  // ---- cumsum ------------------------------------------------------------

  @Test
  void cumsumValues() {
    assertArrayEquals(new double[] {1, 3, 6, 10}, CoreArrays.cumsum(new double[] {1, 2, 3, 4}));
    assertArrayEquals(new float[] {1, 3, 6, 10}, CoreArrays.cumsum(new float[] {1, 2, 3, 4}));
    assertEquals(0, CoreArrays.cumsum(new double[0]).length);
    // compensated: NumPy's plain running sum loses the 1s next to 1e100
    assertArrayEquals(new double[] {1, 1e100, 1e100, 2}, CoreArrays.cumsum(new double[] {1, 1e100, 1, -1e100}));
  }

  @Test
  void cumsumPropagatesNanAndInfinity() {
    double[] a = CoreArrays.cumsum(new double[] {1, 2, NAN, 3, 4});
    assertArrayEquals(new double[] {1, 3, NAN, NAN, NAN}, a);
    assertArrayEquals(new double[] {1, INF, INF, INF}, CoreArrays.cumsum(new double[] {1, INF, 2, 3}));
    assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, Float.NaN, Float.NaN},
        CoreArrays.cumsum(new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1}));
  }

  @Test
  void cumsumFloatErrorDoesNotGrow() {
    float[] x = CoreArrays.fullFloat(1_000_000, 0.1f);
    float[] c = CoreArrays.cumsum(x); // copied path (n > 65536)
    for (int i = 0; i < x.length; i += 9973) {
      assertEquals((float) ((i + 1) * (double) 0.1f), c[i], 0.0f, "element " + i);
    }
    assertEquals((float) (1_000_000 * (double) 0.1f), c[x.length - 1], 0.0f);
  }

  // ---- normalize ---------------------------------------------------------

  @Test
  void normalizeInPlace() {
    double[] x = {1, 2, 3, 4, 5};
    assertTrue(x == CoreArrays.normalize(x));
    double sd = Math.sqrt(2.0);
    for (int i = 0; i < 5; ++i) {
      assertEquals((i + 1 - 3) / sd, x[i], 4 * Math.ulp(1.0));
    }
    float[] f = CoreArrays.normalize(new float[] {1, 2, 3, 4, 5}, 1, NanPolicy.OMIT);
    assertEquals((float) (-2 / Math.sqrt(2.5)), f[0], 2 * Math.ulp(1f));
  }

  @Test
  void normalizeNanPolicies() {
    double[] omit = CoreArrays.normalize(new double[] {1, 2, NAN, 3, 4, 5}, 0, NanPolicy.OMIT);
    assertTrue(Double.isNaN(omit[2]));
    assertEquals(-2 / Math.sqrt(2.0), omit[0], 1e-15);
    double[] prop = CoreArrays.normalize(new double[] {1, 2, NAN, 3}, 0, NanPolicy.PROPAGATE);
    for (double v : prop) {
      assertTrue(Double.isNaN(v));
    }
    assertEquals(0, CoreArrays.normalize(new float[0]).length);
  }

  @Test
  void normalizeRefusesAndLeavesTheArrayUntouched() {
    double[] constant = {2, 2, 2, 2};
    Expect.core(Status.INVALID_ARGUMENT, "core_normalize_f64", () -> CoreArrays.normalize(constant));
    assertArrayEquals(new double[] {2, 2, 2, 2}, constant);
    float[] two = {1, 2};
    Expect.core(Status.INVALID_ARGUMENT, "core_normalize_f32", () -> CoreArrays.normalize(two, 2, NanPolicy.OMIT));
    assertArrayEquals(new float[] {1, 2}, two);
    double[] allNan = {NAN, NAN};
    Expect.core(Status.INVALID_ARGUMENT, "core_normalize_f64",
        () -> CoreArrays.normalize(allNan, 0, NanPolicy.OMIT));
    assertThrows(IllegalArgumentException.class, () -> CoreArrays.normalize(new double[] {1, 2}, -1, NanPolicy.OMIT));
    assertThrows(NullPointerException.class, () -> CoreArrays.normalize(new double[] {1, 2}, 0, null));
    assertThrows(NullPointerException.class, () -> CoreArrays.normalize((float[]) null));
  }

  // ---- normal pdf --------------------------------------------------------

  @Test
  void normalPdfMatchesTheFormula() {
    double[] x = CoreArrays.linspace(-8, 8, 4099);
    double[] p = CoreArrays.normalPdf(x, 1.5, 0.75);
    for (int i = 0; i < x.length; ++i) {
      double z = (x[i] - 1.5) / 0.75;
      double want = Math.exp(-0.5 * z * z) / (0.75 * Math.sqrt(2 * Math.PI));
      assertEquals(want, p[i], 1e-14 * want + 1e-300, "x = " + x[i]);
    }
    float[] f = CoreArrays.normalPdf(new float[] {0, Float.POSITIVE_INFINITY, Float.NaN}, 0, 1);
    assertEquals((float) (1 / Math.sqrt(2 * Math.PI)), f[0], 2 * Math.ulp(0.4f));
    assertEquals(0f, f[1]);
    assertTrue(Float.isNaN(f[2]));
  }

  @Test
  void badNormalPdf() {
    double[][] bad = {{0, 0}, {0, -1}, {0, NAN}, {0, INF}, {NAN, 1}, {INF, 1}};
    for (double[] c : bad) {
      Expect.core(Status.INVALID_ARGUMENT, "core_normal_pdf_f64", () -> CoreArrays.normalPdf(new double[] {1, 2}, c[0], c[1]));
      Expect.core(Status.INVALID_ARGUMENT, "core_normal_pdf_f32", () -> CoreArrays.normalPdf(new float[] {1, 2}, c[0], c[1]));
    }
    assertEquals(0, CoreArrays.normalPdf(new double[0], 0, 1).length);
  }

  // ---- PCM ---------------------------------------------------------------

  @Test
  void decodeIsExactAndEncodeInvertsIt() {
    short[] all = new short[65536];
    for (int v = -32768; v <= 32767; ++v) {
      all[v + 32768] = (short) v;
    }
    float[] f = Pcm.decode(all);
    double[] d = Pcm.decodeDouble(all);
    for (int i = 0; i < all.length; ++i) {
      assertEquals(all[i] / 32768f, f[i]);
      assertEquals(all[i] / 32768.0, d[i]);
    }
    Pcm.Encoded back = Pcm.encode(f);
    assertArrayEquals(all, back.samples());
    assertEquals(0, back.clipped());
    assertArrayEquals(all, Pcm.encode(d).samples());
  }

  @Test
  void encodeRoundsHalfToEvenAndCountsClipping() {
    double h = 1.0 / 32768;
    double[] in = {0.5 * h, 1.5 * h, 2.5 * h, -0.5 * h, -1.5 * h, -2.5 * h, 1.0, -1.0, 2.0, -2.0, NAN, INF, -INF,
        32767.5 * h, -32768.5 * h, -32768.6 * h};
    short[] want = {0, 2, 2, 0, -2, -2, 32767, -32768, 32767, -32768, 0, 32767, -32768, 32767, -32768, -32768};
    Pcm.Encoded e = Pcm.encode(in);
    assertArrayEquals(want, e.samples());
    // clipped or NaN: 1.0, 2.0, -2.0, NaN, inf, -inf, 32767.5h, -32768.6h
    assertEquals(8, e.clipped());
    Pcm.Encoded ef = Pcm.encode(Expect.floats(in));
    assertArrayEquals(want, ef.samples());
    assertEquals(8, ef.clipped());
    assertEquals(0, Pcm.encode(new float[0]).samples().length);
    assertEquals(0, Pcm.decode(new short[0]).length);
  }

  @Test
  void pcmNullArrays() {
    assertThrows(NullPointerException.class, () -> Pcm.decode(null));
    assertThrows(NullPointerException.class, () -> Pcm.decodeDouble(null));
    assertThrows(NullPointerException.class, () -> Pcm.encode((float[]) null));
    assertThrows(NullPointerException.class, () -> Pcm.encode((double[]) null));
  }
}
