package dev.libcore.bench;

import dev.libcore.Core;
import dev.libcore.Reductions;
import dev.libcore.Stats;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

/**
 * Java binding benchmark. Prints figures and same-run ratios; exits 1 only
 * when a result is wrong, never because of speed.
 *
 * <ol>
 *   <li>Per-call cost of {@code Stats.of} on 1,000 floats (target &lt;= 150 ns),
 *       with the 16-float call as the binding's floor.</li>
 *   <li>n = 1e6: min, max, mean, std from the binding vs Apache Commons Math
 *       {@code DescriptiveStatistics} in the same JVM (target &gt;= 5x), plus
 *       a plain Java loop as a second reference.</li>
 * </ol>
 */
public final class JavaBench {
  private static volatile double sink;

  private JavaBench() {}

  /** Nanoseconds per call of one timed batch of `calls` calls. */
  private static double batch(DoubleSupplier f, int calls) {
    double acc = 0;
    long t0 = System.nanoTime();
    for (int i = 0; i < calls; ++i) {
      acc += f.getAsDouble();
    }
    long t1 = System.nanoTime();
    sink += acc;
    return (t1 - t0) / (double) calls;
  }

  /**
   * Nanoseconds per call of each function: the best of `rounds` batches,
   * the functions taking turns so that a busy moment hits them all alike.
   */
  private static double[] perCall(DoubleSupplier[] fs, int calls, int rounds) {
    double[] best = new double[fs.length];
    Arrays.fill(best, Double.MAX_VALUE);
    for (int r = 0; r < rounds; ++r) {
      for (int k = 0; k < fs.length; ++k) {
        best[k] = Math.min(best[k], batch(fs[k], calls));
      }
    }
    return best;
  }

  /**
   * Median nanoseconds of one call of each function over `rounds` rounds,
   * the functions taking turns within each round.
   */
  private static double[] medians(DoubleSupplier[] fs, int rounds) {
    double[][] t = new double[fs.length][rounds];
    for (int r = 0; r < rounds; ++r) {
      for (int k = 0; k < fs.length; ++k) {
        long t0 = System.nanoTime();
        sink += fs[k].getAsDouble();
        t[k][r] = System.nanoTime() - t0;
      }
    }
    double[] m = new double[fs.length];
    for (int k = 0; k < fs.length; ++k) {
      Arrays.sort(t[k]);
      m[k] = t[k][rounds / 2];
    }
    return m;
  }

  private static FloatBuffer directFloats(float[] x) {
    FloatBuffer b = ByteBuffer.allocateDirect(x.length * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
    b.put(x).flip();
    return b;
  }

  private static DoubleBuffer directDoubles(double[] x) {
    DoubleBuffer b = ByteBuffer.allocateDirect(x.length * 8).order(ByteOrder.nativeOrder()).asDoubleBuffer();
    b.put(x).flip();
    return b;
  }

  /** min, max, mean and sample std in one pass (Welford), the loop a Java user would write. */
  private static double[] plainJava(double[] x) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double mean = 0;
    double m2 = 0;
    for (int i = 0; i < x.length; ++i) {
      double v = x[i];
      min = Math.min(min, v);
      max = Math.max(max, v);
      double d = v - mean;
      mean += d / (i + 1);
      m2 += d * (v - mean);
    }
    return new double[] {min, max, mean, Math.sqrt(m2 / (x.length - 1))};
  }

  private static double[] commonsMath(double[] x) {
    DescriptiveStatistics ds = new DescriptiveStatistics(x);
    return new double[] {ds.getMin(), ds.getMax(), ds.getMean(), ds.getStandardDeviation()};
  }

  private static double[] libcore(Stats s) {
    return new double[] {s.min(), s.max(), s.mean(), s.std(1)};
  }

  private static void agree(String what, double[] want, double[] got) {
    for (int i = 0; i < want.length; ++i) {
      if (Math.abs(want[i] - got[i]) > 1e-9 * Math.max(1, Math.abs(want[i]))) {
        System.err.printf("FAILED: %s differs: %s vs %s%n", what, Arrays.toString(got), Arrays.toString(want));
        System.exit(1);
      }
    }
  }

  public static void main(String[] args) {
    System.out.printf("libcore %s, SIMD %s, %d threads; %s %s, %d CPUs%n", Core.version(), Core.simdTarget(),
        Core.getNumThreads(), System.getProperty("java.vm.name"), System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    SplittableRandom rng = new SplittableRandom(2024);

    // ---- 1. per-call cost --------------------------------------------------
    float[] x1k = new float[1000];
    float[] x16 = new float[16];
    for (int i = 0; i < x1k.length; ++i) {
      x1k[i] = (float) rng.nextGaussian();
    }
    System.arraycopy(x1k, 0, x16, 0, 16);
    final FloatBuffer b1k = directFloats(x1k);
    float[] x0 = new float[0];
    String[] names = {"Core.versionNumber() (an empty JNI call)", "Stats.of(float[0]) (the binding's floor)",
        "Stats.of(float[16])", "Stats.of(float[1000])", "Stats.of(FloatBuffer, 1000 floats)",
        "Reductions.mean(float[1000])"};
    DoubleSupplier[] fs = {() -> Core.versionNumber(), () -> Stats.of(x0).count(), () -> Stats.of(x16).mean(),
        () -> Stats.of(x1k).mean(), () -> Stats.of(b1k).mean(), () -> Reductions.mean(x1k)};
    perCall(fs, 200_000, 5); // warm up: JIT every path
    double[] t = perCall(fs, 1_000_000, 9);
    System.out.println();
    System.out.println("Per call (best of 9 batches of 1e6 calls, taking turns):");
    for (int k = 0; k < fs.length; ++k) {
      System.out.printf("  %-42s %7.1f ns%n", names[k], t[k]);
    }
    System.out.printf("  Stats.of(float[1000]) target <= 150 ns: %s%n", t[3] <= 150 ? "met" : "NOT met");

    // ---- 2. n = 1e6 vs Commons Math --------------------------------------------
    final int n = 1_000_000;
    double[] x = new double[n];
    for (int i = 0; i < n; ++i) {
      x[i] = 1e3 + rng.nextGaussian();
    }
    DoubleBuffer bx = directDoubles(x);
    double[] cm = commonsMath(x);
    agree("Stats.of(DoubleBuffer)", cm, libcore(Stats.of(bx)));
    agree("Stats.of(double[])", cm, libcore(Stats.of(x)));
    agree("plain Java loop", cm, plainJava(x));

    DoubleSupplier[] big = {() -> Stats.of(bx).std(1), () -> Stats.of(x).std(1), () -> commonsMath(x)[3],
        () -> plainJava(x)[3]};
    medians(big, 15); // warm up
    double[] m = medians(big, 41);
    double tLibBuf = m[0];
    double tLibArr = m[1];
    double tCommons = m[2];
    double tLoop = m[3];
    Core.setNumThreads(1); // the same work on one core, as Commons Math runs
    double[] m1 = medians(new DoubleSupplier[] {big[0]}, 41);
    Core.setNumThreads(0);
    double tLibBuf1 = m1[0];
    System.out.println();
    System.out.println("n = 1e6 doubles, min + max + mean + std (median of runs, same JVM):");
    System.out.printf("  libcore Stats.of(DoubleBuffer)       %9.1f us   (zero-copy path)%n", tLibBuf / 1e3);
    System.out.printf("  libcore Stats.of(DoubleBuffer), 1 thread %5.1f us%n", tLibBuf1 / 1e3);
    System.out.printf("  libcore Stats.of(double[])           %9.1f us   (copied: n > %d)%n", tLibArr / 1e3,
        Core.CRITICAL_ARRAY_MAX_ELEMENTS);
    System.out.printf("  Commons Math DescriptiveStatistics   %9.1f us%n", tCommons / 1e3);
    System.out.printf("  plain Java loop (Welford)            %9.1f us%n", tLoop / 1e3);
    System.out.printf("  ratio Commons Math / libcore buffer: %.1fx   target >= 5x: %s%n", tCommons / tLibBuf,
        tCommons / tLibBuf >= 5 ? "met" : "NOT met");
    System.out.printf("  ratio Commons Math / libcore buffer, 1 thread: %.1fx%n", tCommons / tLibBuf1);
    System.out.printf("  ratio Commons Math / libcore array:  %.1fx%n", tCommons / tLibArr);
    System.out.printf("  ratio plain Java loop / libcore buffer: %.1fx%n", tLoop / tLibBuf);
    if (sink == 42.4242) {
      System.out.println(); // keeps the sink alive
    }
  }
}
