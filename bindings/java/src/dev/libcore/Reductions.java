package dev.libcore;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * The NumPy-named reductions of stats.h, each returning one double: min,
 * max, mean, var, std, dot, corrcoef, energy, rms, zeroCrossingRate,
 * percentile. Each takes {@code float[]}, {@code double[]}, or a direct
 * {@code FloatBuffer}/{@code DoubleBuffer} (its remaining elements,
 * position unchanged; never copied, so the path for large data).
 *
 * <p>NumPy semantics: NaN propagates (percentile can omit it instead); on
 * an empty input mean, var, std, energy and rms return NaN, while min, max
 * and percentile, which NumPy refuses, throw {@link CoreException} with
 * {@link Status#EMPTY}. Accumulation is in double for float input too.
 *
 * <p>Errors: null arguments throw {@link NullPointerException}; negative
 * ddof and x, y of different lengths (dot, corrcoef)
 * {@link IllegalArgumentException}; what libcore refuses (q outside
 * [0, 100]...) {@link CoreException}.
 */
public final class Reductions {
  private Reductions() {}

  // ---- min / max (CoreException EMPTY for no values; NaN if any is NaN) ----

  public static double min(float[] x) {
    return CoreNative.core_min_f32(Check.notNull(x, "x"));
  }

  public static double min(double[] x) {
    return CoreNative.core_min_f64(Check.notNull(x, "x"));
  }

  public static double min(FloatBuffer x) {
    return CoreNative.jcore_min_f32_direct(Check.in(x, "x"));
  }

  public static double min(DoubleBuffer x) {
    return CoreNative.jcore_min_f64_direct(Check.in(x, "x"));
  }

  public static double max(float[] x) {
    return CoreNative.core_max_f32(Check.notNull(x, "x"));
  }

  public static double max(double[] x) {
    return CoreNative.core_max_f64(Check.notNull(x, "x"));
  }

  public static double max(FloatBuffer x) {
    return CoreNative.jcore_max_f32_direct(Check.in(x, "x"));
  }

  public static double max(DoubleBuffer x) {
    return CoreNative.jcore_max_f64_direct(Check.in(x, "x"));
  }

  // ---- mean / var / std (NaN for no values or count <= ddof) -------------

  public static double mean(float[] x) {
    return CoreNative.core_mean_f32(Check.notNull(x, "x"));
  }

  public static double mean(double[] x) {
    return CoreNative.core_mean_f64(Check.notNull(x, "x"));
  }

  public static double mean(FloatBuffer x) {
    return CoreNative.jcore_mean_f32_direct(Check.in(x, "x"));
  }

  public static double mean(DoubleBuffer x) {
    return CoreNative.jcore_mean_f64_direct(Check.in(x, "x"));
  }

  /** The population variance, {@code np.var(x)}. */
  public static double var(float[] x) {
    return var(x, 0);
  }

  /** {@code np.var(x, ddof=ddof)}. */
  public static double var(float[] x, int ddof) {
    return CoreNative.core_var_f32(Check.notNull(x, "x"), Check.notNegative(ddof, "ddof"));
  }

  public static double var(double[] x) {
    return var(x, 0);
  }

  public static double var(double[] x, int ddof) {
    return CoreNative.core_var_f64(Check.notNull(x, "x"), Check.notNegative(ddof, "ddof"));
  }

  public static double var(FloatBuffer x, int ddof) {
    return CoreNative.jcore_var_f32_direct(Check.in(x, "x"), Check.notNegative(ddof, "ddof"));
  }

  public static double var(DoubleBuffer x, int ddof) {
    return CoreNative.jcore_var_f64_direct(Check.in(x, "x"), Check.notNegative(ddof, "ddof"));
  }

  /** The population standard deviation, {@code np.std(x)}. */
  public static double std(float[] x) {
    return std(x, 0);
  }

  /** {@code np.std(x, ddof=ddof)}. */
  public static double std(float[] x, int ddof) {
    return CoreNative.core_std_f32(Check.notNull(x, "x"), Check.notNegative(ddof, "ddof"));
  }

  public static double std(double[] x) {
    return std(x, 0);
  }

  public static double std(double[] x, int ddof) {
    return CoreNative.core_std_f64(Check.notNull(x, "x"), Check.notNegative(ddof, "ddof"));
  }

  public static double std(FloatBuffer x, int ddof) {
    return CoreNative.jcore_std_f32_direct(Check.in(x, "x"), Check.notNegative(ddof, "ddof"));
  }

  public static double std(DoubleBuffer x, int ddof) {
    return CoreNative.jcore_std_f64_direct(Check.in(x, "x"), Check.notNegative(ddof, "ddof"));
  }

  // ---- two arrays of the same length -------------------------------------

  /** The dot product (0 for empty inputs), accumulated in double in a fixed pairwise tree. */
  public static double dot(float[] x, float[] y) {
    Check.sameLength(Check.notNull(x, "x").length, Check.notNull(y, "y").length, "x", "y");
    return CoreNative.core_dot_f32(x, y);
  }

  public static double dot(double[] x, double[] y) {
    Check.sameLength(Check.notNull(x, "x").length, Check.notNull(y, "y").length, "x", "y");
    return CoreNative.core_dot_f64(x, y);
  }

  public static double dot(FloatBuffer x, FloatBuffer y) {
    FloatBuffer a = Check.in(x, "x"), b = Check.in(y, "y");
    Check.sameLength(a.remaining(), b.remaining(), "x", "y");
    return CoreNative.jcore_dot_f32_direct(a, b);
  }

  public static double dot(DoubleBuffer x, DoubleBuffer y) {
    DoubleBuffer a = Check.in(x, "x"), b = Check.in(y, "y");
    Check.sameLength(a.remaining(), b.remaining(), "x", "y");
    return CoreNative.jcore_dot_f64_direct(a, b);
  }

  /**
   * Pearson correlation, {@code np.corrcoef(x, y)[0, 1]}, clipped to
   * [-1, 1]; NaN for fewer than 2 values, a constant input or a NaN.
   */
  public static double corrcoef(float[] x, float[] y) {
    Check.sameLength(Check.notNull(x, "x").length, Check.notNull(y, "y").length, "x", "y");
    return CoreNative.core_corrcoef_f32(x, y);
  }

  public static double corrcoef(double[] x, double[] y) {
    Check.sameLength(Check.notNull(x, "x").length, Check.notNull(y, "y").length, "x", "y");
    return CoreNative.core_corrcoef_f64(x, y);
  }

  public static double corrcoef(FloatBuffer x, FloatBuffer y) {
    FloatBuffer a = Check.in(x, "x"), b = Check.in(y, "y");
    Check.sameLength(a.remaining(), b.remaining(), "x", "y");
    return CoreNative.jcore_corrcoef_f32_direct(a, b);
  }

  public static double corrcoef(DoubleBuffer x, DoubleBuffer y) {
    DoubleBuffer a = Check.in(x, "x"), b = Check.in(y, "y");
    Check.sameLength(a.remaining(), b.remaining(), "x", "y");
    return CoreNative.jcore_corrcoef_f64_direct(a, b);
  }

  // ---- signal measures ---------------------------------------------------

  /** The mean of x[i]^2 (NaN for no values). */
  public static double energy(float[] x) {
    return CoreNative.core_energy_f32(Check.notNull(x, "x"));
  }

  public static double energy(double[] x) {
    return CoreNative.core_energy_f64(Check.notNull(x, "x"));
  }

  public static double energy(FloatBuffer x) {
    return CoreNative.jcore_energy_f32_direct(Check.in(x, "x"));
  }

  public static double energy(DoubleBuffer x) {
    return CoreNative.jcore_energy_f64_direct(Check.in(x, "x"));
  }

  /** The square root of {@link #energy(float[])}. */
  public static double rms(float[] x) {
    return CoreNative.core_rms_f32(Check.notNull(x, "x"));
  }

  public static double rms(double[] x) {
    return CoreNative.core_rms_f64(Check.notNull(x, "x"));
  }

  public static double rms(FloatBuffer x) {
    return CoreNative.jcore_rms_f32_direct(Check.in(x, "x"));
  }

  public static double rms(DoubleBuffer x) {
    return CoreNative.jcore_rms_f64_direct(Check.in(x, "x"));
  }

  /**
   * The fraction of adjacent pairs whose signs differ, 0 (and -0.0) counting
   * as positive and NaN as negative; NaN for fewer than 2 values.
   */
  public static double zeroCrossingRate(float[] x) {
    return CoreNative.core_zero_crossing_rate_f32(Check.notNull(x, "x"));
  }

  public static double zeroCrossingRate(double[] x) {
    return CoreNative.core_zero_crossing_rate_f64(Check.notNull(x, "x"));
  }

  public static double zeroCrossingRate(FloatBuffer x) {
    return CoreNative.jcore_zero_crossing_rate_f32_direct(Check.in(x, "x"));
  }

  public static double zeroCrossingRate(DoubleBuffer x) {
    return CoreNative.jcore_zero_crossing_rate_f64_direct(Check.in(x, "x"));
  }

  // ---- percentile --------------------------------------------------------

  /** {@code np.percentile(x, q)}: NaN propagating. */
  public static double percentile(float[] x, double q) {
    return percentile(x, q, NanPolicy.PROPAGATE);
  }

  /**
   * The q-th percentile, q in [0, 100], with NumPy's default linear
   * interpolation; OMIT skips NaNs ({@code np.nanpercentile}). O(n) average
   * (selection on a scratch copy made by the binding); x is not modified.
   *
   * @throws CoreException EMPTY when no value remains, INVALID_ARGUMENT for
   *     q outside [0, 100] or NaN
   */
  public static double percentile(float[] x, double q, NanPolicy nan) {
    return CoreNative.core_percentile_f32(Check.notNull(x, "x"), q, Check.notNull(nan, "nan").code);
  }

  public static double percentile(double[] x, double q) {
    return percentile(x, q, NanPolicy.PROPAGATE);
  }

  public static double percentile(double[] x, double q, NanPolicy nan) {
    return CoreNative.core_percentile_f64(Check.notNull(x, "x"), q, Check.notNull(nan, "nan").code);
  }

  public static double percentile(FloatBuffer x, double q, NanPolicy nan) {
    return CoreNative.jcore_percentile_f32_direct(Check.in(x, "x"), q, Check.notNull(nan, "nan").code);
  }

  public static double percentile(DoubleBuffer x, double q, NanPolicy nan) {
    return CoreNative.jcore_percentile_f64_direct(Check.in(x, "x"), q, Check.notNull(nan, "nan").code);
  }
}
