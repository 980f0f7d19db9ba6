/*
 * libcore from Java: audio statistics in a few calls (summaries, frames,
 * a streaming accumulator, a ring buffer).
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
import dev.libcore.Batch;
import dev.libcore.Core;
import dev.libcore.CoreArrays;
import dev.libcore.CoreException;
import dev.libcore.EncoderCache;
import dev.libcore.Metrics;
import dev.libcore.NanPolicy;
import dev.libcore.Pcm;
import dev.libcore.Reductions;
import dev.libcore.RingBuffer;
import dev.libcore.Stats;
import dev.libcore.StatsAccumulator;
import dev.libcore.Status;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

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
      float[] chunk = Arrays.copyOfRange(samples, start, start + 1600);
      total = total.merge(Stats.of(chunk));
    }
    Stats whole = Stats.of(samples);
    System.out.printf("n=%d min=%.4f max=%.4f mean=%.2e std=%.4f%n", whole.count(), whole.min(), whole.max(),
        whole.mean(), whole.std());
    check(total.count() == whole.count() && Math.abs(total.std() - whole.std()) < 1e-12, "merged summary");
    check(Math.abs(whole.std() - 12000 / 32768.0 / Math.sqrt(2)) < 1e-4, "std of a sine is amplitude/sqrt(2)");

    // 25 ms frames with a 10 ms hop, in parallel: each the same bits as Stats.of on that frame.
    Stats[] frames = Batch.frames(samples, 400, 160);
    System.out.printf("%d frames, frame 3 std %.4f%n", frames.length, frames[3].std());
    check(frames[3].equals(Stats.of(Arrays.copyOfRange(samples, 480, 880))), "frame 3 = Stats.of(frame)");

    // The same signal as a stream of 100 ms chunks: with its length declared, bit for bit Stats.of.
    StatsAccumulator acc = new StatsAccumulator(NanPolicy.PROPAGATE, samples.length);
    for (int start = 0; start < samples.length; start += 1600) {
      acc.push(samples, start, Math.min(1600, samples.length - start));
    }
    check(acc.result().equals(whole), "accumulator = Stats.of, bit for bit");

    // A ring between a microphone thread and an analysis thread (one thread here): the last 100 ms.
    try (RingBuffer ring = RingBuffer.builder().capacity(16000).policy(RingBuffer.Policy.OVERWRITE).build()) {
      ring.append(pcm); // int16, converted on the way in as Pcm.decode does
      float[] last = ring.readLatest(1600);
      check(Arrays.equals(last, Arrays.copyOfRange(samples, samples.length - 1600, samples.length)), "ring");
      System.out.printf("ring: %d samples, %d dropped, mirrored %b%n", ring.size(), ring.dropped(),
          ring.isMirrored());
    }

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
    System.out.printf("encoded %s, %d clipped%n", Arrays.toString(loud.samples()), loud.clipped());
    check(loud.clipped() == 3, "clipping is counted");

    // An encoder cache: the same audio window is encoded once, whatever the thread.
    try (EncoderCache cache = EncoderCache.builder().maxEntries(1000).ttlMillis(60_000).build()) {
      EncoderCache.Key key = EncoderCache.Key.ofAudio(Arrays.copyOf(samples, 400), 6);
      int[] encoderRuns = {0};
      for (int i = 0; i < 3; ++i) {
        EncoderCache.Tensor emb = cache.getOrCompute(key, k -> {
          encoderRuns[0] += 1;
          return EncoderCache.Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3}); // the "encoder"
        });
        check(emb.size() == 6, "cached embedding");
      }
      System.out.printf("encoder ran %d time(s); %s%n", encoderRuns[0], cache.stats());
      check(encoderRuns[0] == 1 && cache.stats().hits() == 2, "computed once, then hits");
    }

    // Metrics: time every call of a stage, export for Prometheus.
    try (Metrics metrics = new Metrics()) {
      Metrics.Timer stage = metrics.timer("lid.encoder_forward", "encoder forward pass", "model", "lid");
      Metrics.Counter calls = metrics.counter("requests");
      for (int i = 0; i < 100; ++i) {
        double s = stage.time(() -> Reductions.mean(samples)); // recorded even if it throws
        check(!Double.isNaN(s), "timed mean");
        calls.increment();
      }
      System.out.printf("stage p50 %d ns, p99 %d ns, %s%n", stage.percentile(0.5), stage.percentile(0.99), stage.stats());
      String prom = metrics.export(Metrics.Format.PROMETHEUS);
      check(prom.contains("lid_encoder_forward_seconds_count{model=\"lid\"} 100"), "Prometheus export");
      check(calls.get() == 100, "counter");
    }

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
