/*
 * libcore from Java: audio statistics in a few calls.
 *
 * A single-file program (Java 11+ runs it straight from source):
 *
 *   meson compile -C build java-example
 * or
 *   java -Djava.library.path=build/bindings/java -cp build/bindings/java/libcore.jar \
 *        examples/java/StatsExample.java
 *
 * It exits non-zero if any result is not what it should be, so it doubles
 * as a smoke test (meson test -C build java_example).
 */
import dev.libcore.Core;
import dev.libcore.CoreArrays;
import dev.libcore.CoreException;
import dev.libcore.NanPolicy;
import dev.libcore.Pcm;
import dev.libcore.Reductions;
import dev.libcore.Stats;
import dev.libcore.Status;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

public final class StatsExample {
  public static void main(String[] args) {
    System.out.printf("libcore %s, SIMD %s, %d threads%n", Core.version(), Core.simdTarget(), Core.getNumThreads());

    // One second of a 440 Hz tone at 16 kHz, as int16 PCM from a microphone.
    double[] t = CoreArrays.arange(0, 1, 1.0 / 16000);
    short[] pcm = new short[t.length];
    for (int i = 0; i < t.length; ++i) {
      pcm[i] = (short) Math.round(12000 * Math.sin(2 * Math.PI * 440 * t[i]));
    }
    float[] samples = Pcm.decode(pcm); // exact: pcm / 32768

    // A summary per 100 ms chunk, merged: the same as one summary of it all.
    Stats total = Stats.empty();
    for (int start = 0; start < samples.length; start += 1600) {
      float[] chunk = java.util.Arrays.copyOfRange(samples, start, start + 1600);
      total = total.merge(Stats.of(chunk));
    }
    Stats whole = Stats.of(samples);
    System.out.printf("n=%d min=%.4f max=%.4f mean=%.2e std=%.4f%n", whole.count(), whole.min(), whole.max(),
        whole.mean(), whole.std());
    check(total.count() == whole.count() && Math.abs(total.std() - whole.std()) < 1e-12, "merged summary");
    check(Math.abs(whole.std() - 12000 / 32768.0 / Math.sqrt(2)) < 1e-4, "std of a sine is amplitude/sqrt(2)");

    double rms = Reductions.rms(samples);
    double zcr = Reductions.zeroCrossingRate(samples);
    double p95 = Reductions.percentile(samples, 95);
    System.out.printf("rms=%.4f zero-crossing rate=%.4f (%.0f Hz) p95=%.4f%n", rms, zcr, zcr * 16000 / 2, p95);
    check(Math.abs(zcr * 16000 / 2 - 440) < 2, "zero crossings of a 440 Hz tone");

    // Large data without copies: a direct buffer in native byte order.
    FloatBuffer big = ByteBuffer.allocateDirect(4 * 1_000_000).order(ByteOrder.nativeOrder()).asFloatBuffer();
    for (int i = 0; i < 1_000_000; ++i) {
      big.put(i, (float) Math.sin(i * 0.001));
    }
    big.put(123, Float.NaN); // a dropout
    Stats b = Stats.of(big, NanPolicy.OMIT);
    System.out.printf("buffer: %d values, %d NaN skipped, mean %.6f%n", b.count(), b.nanCount(), b.mean());
    check(b.nanCount() == 1 && b.count() == 999_999, "NaN omitted");

    // Back to PCM: louder than full scale is clipped, and counted.
    Pcm.Encoded loud = Pcm.encode(new float[] {0.5f, 1.5f, -2f, Float.NaN});
    System.out.printf("encoded %s, %d clipped%n", java.util.Arrays.toString(loud.samples()), loud.clipped());
    check(loud.clipped() == 3, "clipping is counted");

    // Errors carry libcore's status and message.
    try {
      Reductions.min(new float[0]);
      check(false, "min of nothing must throw");
    } catch (CoreException e) {
      System.out.println("as expected: " + e.getMessage());
      check(e.status() == Status.EMPTY, "status EMPTY");
    }
    System.out.println("ok");
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      System.err.println("FAILED: " + what);
      System.exit(1);
    }
  }
}
