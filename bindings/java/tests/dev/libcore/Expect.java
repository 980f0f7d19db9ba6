package dev.libcore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.function.Executable;

/** Shared test helpers. */
final class Expect {
  private Expect() {}

  /** The call throws CoreException with this status and a message naming the C function. */
  static CoreException core(Status status, String cFunction, Executable call) {
    CoreException e = assertThrows(CoreException.class, call);
    assertEquals(status, e.status(), () -> "status of " + e.getMessage());
    assertEquals(status.code(), e.code());
    assertEquals(Core.statusName(status.code()), e.statusName());
    assertTrue(e.statusName().startsWith("CORE_"), e.statusName());
    assertTrue(e.detail().contains(cFunction), () -> "detail \"" + e.detail() + "\" should name " + cFunction);
    assertEquals(e.statusName() + ": " + e.detail(), e.getMessage());
    return e;
  }

  static float[] floats(double... v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; ++i) {
      f[i] = (float) v[i];
    }
    return f;
  }

  static FloatBuffer direct(float... v) {
    FloatBuffer b = ByteBuffer.allocateDirect(v.length * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
    b.put(v).flip();
    return b;
  }

  static DoubleBuffer direct(double... v) {
    DoubleBuffer b = ByteBuffer.allocateDirect(v.length * 8).order(ByteOrder.nativeOrder()).asDoubleBuffer();
    b.put(v).flip();
    return b;
  }

  /** Deterministic pseudo-random data in [lo, hi). */
  static double[] uniform(long seed, int n, double lo, double hi) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    double[] x = new double[n];
    for (int i = 0; i < n; ++i) {
      x[i] = lo + (hi - lo) * r.nextDouble();
    }
    return x;
  }

  /** Equality that treats NaN as equal to NaN and tells -0.0 from 0.0. */
  static void same(double want, double got, String what) {
    assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(got),
        () -> what + ": got " + got + ", want " + want);
  }
}
