package dev.libcore;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * NumPy-style array creation and element-wise transforms (array.h), for
 * {@code double[]} (NumPy's default dtype, unsuffixed names) and
 * {@code float[]} (names ending in {@code Float}, or overloads).
 *
 * <p>Named {@code CoreArrays} so it is never confused with
 * {@link java.util.Arrays}. Results follow NumPy: {@code arange(0, 1, 0.1)}
 * has 10 elements, element i is {@code start + i * step} (no accumulated
 * error), the last element of an endpoint {@code linspace} is exactly
 * {@code stop}. The methods that create an array allocate it with the
 * length libcore computes ({@code core_arange_len}, {@code core_concat_len}).
 *
 * <p>Errors: null arguments throw {@link NullPointerException}, negative
 * sizes and ddof {@link IllegalArgumentException}; arguments libcore
 * refuses (step 0, a non-finite bound, a constant input to normalize...)
 * throw {@link CoreException} with libcore's status and message.
 *
 * <p>Arrays go to libcore without a copy up to
 * {@link Core#CRITICAL_ARRAY_MAX_ELEMENTS} elements, copied beyond; the
 * {@code FloatBuffer}/{@code DoubleBuffer} overloads (direct buffers, native
 * byte order) never copy and use the buffers' remaining elements, leaving
 * their positions unchanged.
 */
public final class CoreArrays {
  private CoreArrays() {}

  // ---- arange ------------------------------------------------------------

  /**
   * The length of {@code arange(start, stop, step)}: ceil((stop - start) /
   * step), or 0 when that is negative.
   *
   * @throws CoreException INVALID_ARGUMENT for step 0, a non-finite argument
   *     or a length beyond addressable memory
   */
  public static long arangeLength(double start, double stop, double step) {
    return (long) CoreNative.core_arange_len(start, stop, step);
  }

  /** Values from start (inclusive) to stop (exclusive) by step, as {@code np.arange}. */
  public static double[] arange(double start, double stop, double step) {
    double[] out = new double[length(start, stop, step)];
    CoreNative.core_arange_f64(start, stop, step, out);
    return out;
  }

  /** {@link #arange(double, double, double)} as float32 (computed in double, rounded once). */
  public static float[] arangeFloat(double start, double stop, double step) {
    float[] out = new float[length(start, stop, step)];
    CoreNative.core_arange_f32(start, stop, step, out);
    return out;
  }

  private static int length(double start, double stop, double step) {
    return Check.arrayLength(CoreNative.core_arange_len(start, stop, step), "arange(" + start + ", " + stop
        + ", " + step + ")");
  }

  // ---- linspace ----------------------------------------------------------

  /** {@code num} evenly spaced values from start to stop inclusive, as {@code np.linspace}. */
  public static double[] linspace(double start, double stop, int num) {
    return linspace(start, stop, num, true);
  }

  /**
   * {@code num} evenly spaced values from start to stop; with {@code endpoint}
   * the last is exactly stop, without it stop is excluded. num 0 gives an
   * empty array, num 1 {@code [start]}.
   *
   * @throws IllegalArgumentException num negative
   * @throws CoreException INVALID_ARGUMENT for a non-finite start or stop
   */
  public static double[] linspace(double start, double stop, int num, boolean endpoint) {
    double[] out = new double[Check.notNegative(num, "num")];
    CoreNative.jcore_linspace_f64(start, stop, num, endpoint ? 1 : 0, out);
    return out;
  }

  public static float[] linspaceFloat(double start, double stop, int num) {
    return linspaceFloat(start, stop, num, true);
  }

  public static float[] linspaceFloat(double start, double stop, int num, boolean endpoint) {
    float[] out = new float[Check.notNegative(num, "num")];
    CoreNative.core_linspace_f32(start, stop, num, endpoint ? 1 : 0, out);
    return out;
  }

  // ---- zeros, ones, full, fill -------------------------------------------

  public static double[] zeros(int n) {
    double[] out = new double[Check.notNegative(n, "n")];
    CoreNative.core_zeros_f64(out);
    return out;
  }

  public static float[] zerosFloat(int n) {
    float[] out = new float[Check.notNegative(n, "n")];
    CoreNative.core_zeros_f32(out);
    return out;
  }

  public static double[] ones(int n) {
    double[] out = new double[Check.notNegative(n, "n")];
    CoreNative.core_ones_f64(out);
    return out;
  }

  public static float[] onesFloat(int n) {
    float[] out = new float[Check.notNegative(n, "n")];
    CoreNative.core_ones_f32(out);
    return out;
  }

  /** A new array of n copies of value ({@code np.full}); any value, NaN included. */
  public static double[] full(int n, double value) {
    return fill(new double[Check.notNegative(n, "n")], value);
  }

  public static float[] fullFloat(int n, float value) {
    return fill(new float[Check.notNegative(n, "n")], value);
  }

  /** Sets every element of out to value; returns out. */
  public static double[] fill(double[] out, double value) {
    CoreNative.core_fill_f64(Check.notNull(out, "out"), value);
    return out;
  }

  public static float[] fill(float[] out, float value) {
    CoreNative.core_fill_f32(Check.notNull(out, "out"), value);
    return out;
  }

  // ---- concatenate -------------------------------------------------------

  /** The parts one after another ({@code np.concatenate}); no part may be null. */
  public static double[] concat(double[]... parts) {
    double[] out = new double[concatLength(Check.notNull(parts, "parts"), i -> parts[i].length)];
    CoreNative.core_concat_f64(parts, out);
    return out;
  }

  public static float[] concat(float[]... parts) {
    float[] out = new float[concatLength(Check.notNull(parts, "parts"), i -> parts[i].length)];
    CoreNative.core_concat_f32(parts, out);
    return out;
  }

  private static int concatLength(Object[] parts, java.util.function.IntUnaryOperator length) {
    long[] lens = new long[parts.length];
    for (int i = 0; i < parts.length; ++i) {
      Check.notNull(parts[i], "parts[" + i + "]");
      lens[i] = length.applyAsInt(i);
    }
    return Check.arrayLength(CoreNative.core_concat_len(lens), "the concatenation");
  }

  // ---- cumsum ------------------------------------------------------------

  /**
   * Running sums {@code out[i] = x[0] + ... + x[i]}, accumulated in double
   * with compensation (the error does not grow with n as NumPy's float32
   * running sum does). NaN and infinities propagate.
   */
  public static double[] cumsum(double[] x) {
    double[] out = new double[Check.notNull(x, "x").length];
    CoreNative.jcore_cumsum_f64(x, out);
    return out;
  }

  public static float[] cumsum(float[] x) {
    float[] out = new float[Check.notNull(x, "x").length];
    CoreNative.core_cumsum_f32(x, out);
    return out;
  }

  /** cumsum of x's remaining elements into out's (which needs as many); x and out may be the same. */
  public static void cumsum(DoubleBuffer x, DoubleBuffer out) {
    DoubleBuffer in = Check.in(x, "x"), o = Check.out(out, "out");
    Check.sameLength(in.remaining(), o.remaining(), "x", "out");
    CoreNative.jcore_cumsum_f64_direct(in, o);
  }

  public static void cumsum(FloatBuffer x, FloatBuffer out) {
    FloatBuffer in = Check.in(x, "x"), o = Check.out(out, "out");
    Check.sameLength(in.remaining(), o.remaining(), "x", "out");
    CoreNative.jcore_cumsum_f32_direct(in, o);
  }

  // ---- normalize ---------------------------------------------------------

  /** {@link #normalize(double[], int, NanPolicy)} with ddof 0, NaN propagating. */
  public static double[] normalize(double[] x) {
    return normalize(x, 0, NanPolicy.PROPAGATE);
  }

  /**
   * In place z-score: {@code x[i] = (x[i] - mean) / std} with std computed
   * with ddof ({@code scipy.stats.zscore}). Under OMIT, NaNs are skipped by
   * the moments and stay NaN; under PROPAGATE a NaN makes every element NaN.
   * Returns x.
   *
   * @throws IllegalArgumentException ddof negative
   * @throws CoreException INVALID_ARGUMENT, x untouched, when the standard
   *     deviation is 0 (constant input) or there are not more values than ddof
   */
  public static double[] normalize(double[] x, int ddof, NanPolicy nan) {
    CoreNative.core_normalize_f64(Check.notNull(x, "x"), Check.notNegative(ddof, "ddof"),
        Check.notNull(nan, "nan").code);
    return x;
  }

  public static float[] normalize(float[] x) {
    return normalize(x, 0, NanPolicy.PROPAGATE);
  }

  public static float[] normalize(float[] x, int ddof, NanPolicy nan) {
    CoreNative.core_normalize_f32(Check.notNull(x, "x"), Check.notNegative(ddof, "ddof"),
        Check.notNull(nan, "nan").code);
    return x;
  }

  /** In place z-score of the buffer's remaining elements. */
  public static void normalize(DoubleBuffer x, int ddof, NanPolicy nan) {
    DoubleBuffer b = Check.out(x, "x");
    CoreNative.jcore_normalize_f64_direct(b, Check.notNegative(ddof, "ddof"), Check.notNull(nan, "nan").code);
  }

  public static void normalize(FloatBuffer x, int ddof, NanPolicy nan) {
    FloatBuffer b = Check.out(x, "x");
    CoreNative.jcore_normalize_f32_direct(b, Check.notNegative(ddof, "ddof"), Check.notNull(nan, "nan").code);
  }

  // ---- normal pdf --------------------------------------------------------

  /**
   * The normal density at each x ({@code scipy.stats.norm.pdf(x, mean, std)}).
   *
   * @throws CoreException INVALID_ARGUMENT for a non-finite mean or std not
   *     finite and > 0
   */
  public static double[] normalPdf(double[] x, double mean, double std) {
    double[] out = new double[Check.notNull(x, "x").length];
    CoreNative.jcore_normal_pdf_f64(x, mean, std, out);
    return out;
  }

  public static float[] normalPdf(float[] x, double mean, double std) {
    float[] out = new float[Check.notNull(x, "x").length];
    CoreNative.core_normal_pdf_f32(x, mean, std, out);
    return out;
  }

  /** normalPdf of x's remaining elements into out's (as many); x and out may be the same. */
  public static void normalPdf(DoubleBuffer x, double mean, double std, DoubleBuffer out) {
    DoubleBuffer in = Check.in(x, "x"), o = Check.out(out, "out");
    Check.sameLength(in.remaining(), o.remaining(), "x", "out");
    CoreNative.jcore_normal_pdf_f64_direct(in, mean, std, o);
  }

  public static void normalPdf(FloatBuffer x, double mean, double std, FloatBuffer out) {
    FloatBuffer in = Check.in(x, "x"), o = Check.out(out, "out");
    Check.sameLength(in.remaining(), o.remaining(), "x", "out");
    CoreNative.jcore_normal_pdf_f32_direct(in, mean, std, o);
  }
}
