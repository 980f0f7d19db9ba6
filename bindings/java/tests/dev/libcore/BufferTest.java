package dev.libcore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

/** The direct-buffer overloads: same results as arrays, remaining elements, positions kept. */
class BufferTest {
  private static final double[] X = Expect.uniform(42, 1001, -2, 6);
  private static final double[] Y = Expect.uniform(43, 1001, 0.5, 2);

  @Test
  void everyReductionMatchesTheArrayOverload() {
    float[] xf = Expect.floats(X);
    float[] yf = Expect.floats(Y);
    FloatBuffer bf = Expect.direct(xf);
    DoubleBuffer bd = Expect.direct(X);
    assertEquals(Stats.of(xf), Stats.of(bf));
    assertEquals(Stats.of(X, NanPolicy.OMIT), Stats.of(bd, NanPolicy.OMIT));
    assertEquals(Reductions.min(xf), Reductions.min(bf));
    assertEquals(Reductions.max(X), Reductions.max(bd));
    assertEquals(Reductions.mean(xf), Reductions.mean(bf));
    assertEquals(Reductions.mean(X), Reductions.mean(bd));
    assertEquals(Reductions.var(xf, 1), Reductions.var(bf, 1));
    assertEquals(Reductions.std(X, 1), Reductions.std(bd, 1));
    assertEquals(Reductions.energy(X), Reductions.energy(bd));
    assertEquals(Reductions.rms(xf), Reductions.rms(bf));
    assertEquals(Reductions.zeroCrossingRate(X), Reductions.zeroCrossingRate(bd));
    assertEquals(Reductions.zeroCrossingRate(xf), Reductions.zeroCrossingRate(bf));
    assertEquals(Reductions.dot(xf, yf), Reductions.dot(bf, Expect.direct(yf)));
    assertEquals(Reductions.corrcoef(X, Y), Reductions.corrcoef(bd, Expect.direct(Y)));
    assertEquals(Reductions.percentile(xf, 33.3), Reductions.percentile(bf, 33.3, NanPolicy.PROPAGATE));
    assertEquals(Reductions.percentile(X, 50, NanPolicy.OMIT), Reductions.percentile(bd, 50, NanPolicy.OMIT));
    assertEquals(0, bf.position());
    assertEquals(1001, bd.remaining());
  }

  @Test
  void transformsMatchTheArrayOverloads() {
    DoubleBuffer in = Expect.direct(X);
    DoubleBuffer out = Expect.direct(new double[X.length]);
    CoreArrays.cumsum(in, out);
    assertArrayEquals(CoreArrays.cumsum(X), contents(out));
    CoreArrays.normalPdf(in, 1, 2, out);
    assertArrayEquals(CoreArrays.normalPdf(X, 1, 2), contents(out));
    FloatBuffer f = Expect.direct(Expect.floats(X));
    CoreArrays.cumsum(f, f); // in place is allowed
    float[] got = new float[X.length];
    f.get(0, got);
    assertArrayEquals(CoreArrays.cumsum(Expect.floats(X)), got);
    CoreArrays.normalize(in, 1, NanPolicy.OMIT);
    assertArrayEquals(CoreArrays.normalize(X.clone(), 1, NanPolicy.OMIT), contents(in));
  }

  private static double[] contents(DoubleBuffer b) {
    double[] a = new double[b.remaining()];
    b.get(b.position(), a);
    return a;
  }

  @Test
  void onlyTheRemainingElementsAreUsed() {
    DoubleBuffer b = Expect.direct(100.0, 1, 2, 3, 4, -100);
    b.position(1).limit(5);
    assertEquals(Stats.of(new double[] {1, 2, 3, 4}), Stats.of(b));
    assertEquals(1, b.position());
    assertEquals(5, b.limit());
    FloatBuffer f = Expect.direct(9f, 1f, 2f, 9f);
    f.position(1).limit(3);
    FloatBuffer out = Expect.direct(new float[4]);
    out.position(2);
    CoreArrays.cumsum(f, out);
    assertEquals(0f, out.get(1));
    assertEquals(1f, out.get(2));
    assertEquals(3f, out.get(3));
    assertEquals(2, out.position());
    b.position(3).limit(3);
    assertEquals(0, Stats.of(b).count()); // empty remaining: an empty summary
    Expect.core(Status.EMPTY, "core_min_f64", () -> Reductions.min(b));
  }

  @Test
  void heapBuffersAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Stats.of(FloatBuffer.wrap(new float[] {1, 2})));
    assertTrue(e.getMessage().contains("direct"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Reductions.mean(DoubleBuffer.allocate(3)));
  }

  @Test
  void foreignByteOrderIsRefused() {
    ByteOrder other = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? ByteOrder.BIG_ENDIAN
        : ByteOrder.LITTLE_ENDIAN;
    FloatBuffer f = ByteBuffer.allocateDirect(16).order(other).asFloatBuffer();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Reductions.mean(f));
    assertTrue(e.getMessage().contains("byte order"), e.getMessage());
    // ByteBuffer.allocateDirect is big-endian until .order() is called
    DoubleBuffer d = ByteBuffer.allocateDirect(16).asDoubleBuffer();
    if (ByteOrder.nativeOrder() != ByteOrder.BIG_ENDIAN) {
      assertThrows(IllegalArgumentException.class, () -> Stats.of(d));
    }
  }

  @Test
  void misalignedViewsAreRefused() {
    ByteBuffer bytes = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
    FloatBuffer odd = bytes.position(1).slice().order(ByteOrder.nativeOrder()).asFloatBuffer();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Reductions.mean(odd));
    assertTrue(e.getMessage().contains("multiple of 4"), e.getMessage());
    DoubleBuffer four = bytes.position(4).slice().order(ByteOrder.nativeOrder()).asDoubleBuffer();
    assertThrows(IllegalArgumentException.class, () -> Stats.of(four));
  }

  @Test
  void readOnlyOutputsAreRefused() {
    DoubleBuffer in = Expect.direct(1.0, 2, 3);
    DoubleBuffer ro = Expect.direct(new double[3]).asReadOnlyBuffer();
    assertThrows(ReadOnlyBufferException.class, () -> CoreArrays.cumsum(in, ro));
    assertThrows(ReadOnlyBufferException.class, () -> CoreArrays.normalize(ro, 0, NanPolicy.OMIT));
    assertEquals(2.0, Reductions.mean(in.asReadOnlyBuffer())); // read-only inputs are fine
  }

  @Test
  void badBufferArguments() {
    assertThrows(NullPointerException.class, () -> Stats.of((FloatBuffer) null));
    assertThrows(NullPointerException.class, () -> Reductions.dot(Expect.direct(1.0), null));
    assertThrows(IllegalArgumentException.class, () -> Reductions.dot(Expect.direct(1.0, 2.0), Expect.direct(1.0)));
    assertThrows(IllegalArgumentException.class,
        () -> Reductions.corrcoef(Expect.direct(1f, 2f), Expect.direct(1f, 2f, 3f)));
    assertThrows(IllegalArgumentException.class,
        () -> CoreArrays.cumsum(Expect.direct(1f, 2f), Expect.direct(new float[1])));
    assertThrows(IllegalArgumentException.class,
        () -> CoreArrays.normalPdf(Expect.direct(1.0, 2.0), 0, 1, Expect.direct(new double[3])));
    assertThrows(IllegalArgumentException.class, () -> Reductions.var(Expect.direct(1.0), -1));
    Expect.core(Status.INVALID_ARGUMENT, "core_percentile_f32",
        () -> Reductions.percentile(Expect.direct(1f), 101, NanPolicy.OMIT));
    Expect.core(Status.INVALID_ARGUMENT, "core_normalize_f64",
        () -> CoreArrays.normalize(Expect.direct(2.0, 2.0), 0, NanPolicy.OMIT));
  }
}
