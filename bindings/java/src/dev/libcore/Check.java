package dev.libcore;

import java.nio.Buffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.ReadOnlyBufferException;

/**
 * The checks only Java can make, done before any native call (see the
 * package documentation for the error policy).
 */
final class Check {
  /** The longest array most JVMs allocate. */
  static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

  private Check() {}

  static <T> T notNull(T value, String name) {
    if (value == null) {
      throw new NullPointerException(name + " is null");
    }
    return value;
  }

  static int notNegative(int value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + value);
    }
    return value;
  }

  static void sameLength(int xLength, int yLength, String x, String y) {
    if (xLength != yLength) {
      throw new IllegalArgumentException(
          x + " has " + xLength + " elements but " + y + " has " + yLength + "; they must match");
    }
  }

  /** A length libcore computed (as a double), as a Java array length. */
  static int arrayLength(double n, String what) {
    if (!(n >= 0 && n <= MAX_ARRAY_LENGTH)) {
      throw new IllegalArgumentException(
          what + " has " + (long) n + " elements, more than a Java array holds (" + MAX_ARRAY_LENGTH + ")");
    }
    return (int) n;
  }

  /** The caller's remaining elements as a buffer of their own (position unchanged). */
  static FloatBuffer in(FloatBuffer b, String name) {
    return direct(b, name).slice();
  }

  static DoubleBuffer in(DoubleBuffer b, String name) {
    return direct(b, name).slice();
  }

  static FloatBuffer out(FloatBuffer b, String name) {
    if (direct(b, name).isReadOnly()) {
      throw new ReadOnlyBufferException();
    }
    return b.slice();
  }

  static DoubleBuffer out(DoubleBuffer b, String name) {
    if (direct(b, name).isReadOnly()) {
      throw new ReadOnlyBufferException();
    }
    return b.slice();
  }

  private static <B extends Buffer> B direct(B b, String name) {
    notNull(b, name);
    if (!b.isDirect()) {
      throw new IllegalArgumentException(name + " must be a direct buffer, e.g. "
          + "ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer(); "
          + "use the array overload for heap data");
    }
    ByteOrder order = b instanceof FloatBuffer ? ((FloatBuffer) b).order() : ((DoubleBuffer) b).order();
    if (order != ByteOrder.nativeOrder()) {
      throw new IllegalArgumentException(name + " must be in native byte order (" + ByteOrder.nativeOrder()
          + "), not " + order + ": call .order(ByteOrder.nativeOrder()) on the ByteBuffer first");
    }
    return b;
  }
}
