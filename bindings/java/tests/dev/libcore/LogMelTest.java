package dev.libcore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libcore.LogMelOptions.Mode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** audio.h's log-mel analyser through LogMel, LogMelOptions and MelSpectrogram. */
class LogMelTest {
  static final LogMelOptions LOG10 = LogMelOptions.builder().mode(Mode.LOG10).build();

  static FloatBuffer directBuffer(int n) {
    return ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  static FloatBuffer direct(float[] x) {
    FloatBuffer b = directBuffer(x.length);
    b.put(x).flip();
    return b;
  }

  @Test
  void defaultsAreWhispersFrontEndFromLibcore() {
    LogMelOptions o = LogMelOptions.defaults();
    assertEquals(16000, o.sampleRate());
    assertEquals(400, o.nFft());
    assertEquals(160, o.hop());
    assertEquals(80, o.nMels());
    assertEquals(201, o.nBins());
    assertEquals(0.0, o.fmin());
    assertEquals(0.0, o.fmax());
    assertEquals(Mode.WHISPER, o.mode());
    assertEquals(3000, o.windowFrames());
    assertEquals(o, LogMelOptions.builder().build());
    assertEquals(o.hashCode(), o.toBuilder().build().hashCode());
    LogMelOptions v3 = o.toBuilder().nMels(128).build();
    assertEquals(128, v3.nMels());
    assertNotEquals(o, v3);
    assertEquals(80, o.nMels(), "options are immutable");
    try (LogMel mel = new LogMel()) {
      assertEquals(o, mel.options());
      assertEquals(80, mel.nMels());
    }
  }

  @Test
  void framesAreSamplesOverHop() {
    try (LogMel mel = new LogMel()) {
      assertEquals(100, mel.frames(16000));
      assertEquals(3000, mel.frames(480000));
      assertEquals(2, mel.frames(400));
      assertEquals(1100, mel.frames(176000));
      Expect.core(Status.INVALID_ARGUMENT, "core_logmel_frames", () -> mel.frames(399));
      assertThrows(IllegalArgumentException.class, () -> mel.frames(-1));
    }
  }

  @Test
  void filtersHaveWhispersShapeAndRowZero() {
    try (LogMel mel = new LogMel()) {
      float[] f = mel.filters();
      assertEquals(80 * 201, f.length);
      // testdata README: row 0 has a single non-zero bin (bin 1); column 200 (Nyquist) is zero in every row.
      for (int k = 0; k < 201; ++k) {
        assertEquals(k == 1, f[k] != 0, "row 0, bin " + k);
      }
      assertTrue(f[1] > 0.02 && f[1] < 0.03, "row 0 weight " + f[1]);
      float max = 0;
      for (int m = 0; m < 80; ++m) {
        assertEquals(0f, f[m * 201 + 200], "Nyquist of band " + m);
        for (int k = 0; k < 201; ++k) {
          assertTrue(f[m * 201 + k] >= 0);
          max = Math.max(max, f[m * 201 + k]);
        }
      }
      assertEquals(0.025880683f, max, 1e-8f); // the maximum weight of mel_80
      assertArrayEquals(f, mel.filters(), "a fresh copy each time, same values");
    }
    try (LogMel mel = new LogMel(LogMelOptions.builder().nMels(128).build())) {
      float[] f = mel.filters();
      assertEquals(128 * 201, f.length);
      for (int k = 0; k < 201; ++k) {
        assertEquals(k == 1, f[k] != 0, "row 0, bin " + k);
      }
    }
  }

  @Test
  void filtersEqualWhispersMelFiltersFile() throws Exception {
    for (int bands : new int[] {80, 128}) {
      float[] want = TestData.f32("mel_filters_" + bands + "x201.f32");
      try (LogMel mel = new LogMel(LogMelOptions.builder().nMels(bands).build())) {
        float[] got = mel.filters();
        assertEquals(want.length, got.length);
        for (int m = 0; m < bands; ++m) {
          float rowMax = 0;
          for (int k = 0; k < 201; ++k) {
            rowMax = Math.max(rowMax, want[m * 201 + k]);
          }
          for (int k = 0; k < 201; ++k) {
            assertEquals(want[m * 201 + k], got[m * 201 + k], 1e-6 * rowMax, bands + " bands: (" + m + ", " + k + ")");
          }
        }
      }
    }
  }

  /** The band a tone at bin k should peak in: Hann leakage gives powers 1/4, 1, 1/4 at k-1, k, k+1. */
  static int expectedBand(float[] filters, int nBins, int bin) {
    int best = -1;
    double bestEnergy = -1;
    for (int m = 0; m < filters.length / nBins; ++m) {
      double e = 0.25 * filters[m * nBins + bin - 1] + filters[m * nBins + bin] + 0.25 * filters[m * nBins + bin + 1];
      if (e > bestEnergy) {
        bestEnergy = e;
        best = m;
      }
    }
    return best;
  }

  static double[] bandMeans(MelSpectrogram s, int skipEdgeFrames) {
    double[] mean = new double[s.nMels()];
    for (int m = 0; m < s.nMels(); ++m) {
      for (int t = skipEdgeFrames; t < s.nFrames() - skipEdgeFrames; ++t) {
        mean[m] += s.get(m, t);
      }
      mean[m] /= s.nFrames() - 2 * skipEdgeFrames;
    }
    return mean;
  }

  static int argmax(double[] x) {
    int best = 0;
    for (int i = 1; i < x.length; ++i) {
      if (x[i] > x[best]) {
        best = i;
      }
    }
    return best;
  }

  @Test
  void aToneHasItsEnergyInTheRightMelBand() {
    for (double hz : new double[] {1000, 440 * 4, 4000}) {
      float[] x = Signals.tone(16000, hz, 0.5, 16000);
      int bin = (int) Math.round(hz / 40); // 40 Hz per bin at 16 kHz / 400
      try (LogMel mel = new LogMel(LOG10)) {
        MelSpectrogram s = mel.compute(x);
        assertEquals(80, s.nMels());
        assertEquals(100, s.nFrames());
        double[] mean = bandMeans(s, 2);
        int want = expectedBand(mel.filters(), 201, bin);
        assertEquals(want, argmax(mean), hz + " Hz");
        // log10 power: the tone's band is more than 4 decades above the far bands
        assertTrue(mean[want] - mean[0] > 4, hz + " Hz: band 0 " + mean[0] + " vs " + mean[want]);
        assertTrue(mean[want] - mean[79] > 4, hz + " Hz: band 79 " + mean[79] + " vs " + mean[want]);
        // the power of a sine of amplitude a through a Hann window: about (a N / 4)^2 = 2500 at the
        // peak bin; with the band's weight (~0.01 to 0.026) its log10 lands between 1 and 2.5
        assertTrue(mean[want] > 1 && mean[want] < 2.5, hz + " Hz: log10 power " + mean[want]);
      }
      try (LogMel mel = new LogMel()) { // WHISPER mode: same band, normalized values
        MelSpectrogram s = mel.compute(x);
        assertEquals(expectedBand(mel.filters(), 201, bin), argmax(bandMeans(s, 2)), hz + " Hz, WHISPER");
      }
    }
  }

  @Test
  void whisperModeIsClampedAndScaledLog10() {
    float[] x = Signals.add(Signals.noise(3, 16000, 0.01), Signals.tone(8000, 300, 0.8, 16000), 4000);
    try (LogMel log = new LogMel(LOG10); LogMel whisper = new LogMel()) {
      float[] l = log.compute(x).values();
      float[] w = whisper.compute(x).values();
      float max = Float.NEGATIVE_INFINITY;
      for (float v : l) {
        max = Math.max(max, v);
      }
      for (int i = 0; i < l.length; ++i) {
        float want = (Math.max(l[i], max - 8f) + 4f) / 4f;
        assertEquals(want, w[i], 1e-6f, "value " + i);
      }
    }
  }

  @Test
  void computeIntoArraysAndBuffersEqualsCompute() {
    float[] x = Signals.noise(7, 12345, 0.3);
    try (LogMel mel = new LogMel()) {
      MelSpectrogram s = mel.compute(x);
      assertEquals(77, s.nFrames());
      assertEquals(80 * 77, s.values().length);
      float[] out = new float[80 * 77 + 5];
      Arrays.fill(out, 42f);
      assertEquals(77, mel.compute(x, out));
      assertArrayEquals(s.values(), Arrays.copyOf(out, 80 * 77));
      for (int i = 80 * 77; i < out.length; ++i) {
        assertEquals(42f, out[i], "past the spectrogram: untouched");
      }
      FloatBuffer ob = directBuffer(80 * 77);
      assertEquals(77, mel.compute(direct(x), ob));
      assertEquals(0, ob.position());
      float[] fromBuffer = new float[80 * 77];
      ob.get(fromBuffer);
      assertArrayEquals(s.values(), fromBuffer);
      // frame(t) and band(m) are the column and the row
      assertEquals(s.get(5, 9), s.frame(9)[5]);
      assertEquals(s.get(5, 9), s.band(5)[9]);
      assertThrows(IndexOutOfBoundsException.class, () -> s.get(80, 0));
    }
  }

  @Test
  void anOutputTooSmallIsBufferTooSmallAndWritesNothing() {
    float[] x = Signals.noise(8, 1600, 0.3); // 10 frames
    try (LogMel mel = new LogMel()) {
      float[] out = new float[799];
      Arrays.fill(out, 7f);
      CoreException e = Expect.core(Status.BUFFER_TOO_SMALL, "core_logmel_compute", () -> mel.compute(x, out));
      assertTrue(e.detail().contains("800"), e.detail());
      for (float v : out) {
        assertEquals(7f, v);
      }
      Expect.core(Status.BUFFER_TOO_SMALL, "core_logmel_compute", () -> mel.compute(direct(x), directBuffer(10)));
      assertThrows(IllegalArgumentException.class, () -> mel.compute(x, x));
    }
  }

  @Test
  void fewerSamplesThanNfftIsInvalidArgument() {
    try (LogMel mel = new LogMel()) {
      Expect.core(Status.INVALID_ARGUMENT, "core_logmel_compute", () -> mel.compute(new float[399]));
      Expect.core(Status.INVALID_ARGUMENT, "core_logmel_compute", () -> mel.compute(new float[0]));
      Expect.core(Status.INVALID_ARGUMENT, "core_logmel_compute", () -> mel.compute(new float[10], new float[800]));
      Expect.core(Status.INVALID_ARGUMENT, "core_logmel_compute",
          () -> mel.compute(direct(new float[10]), directBuffer(800)));
      assertEquals(2, mel.compute(new float[400]).nFrames());
    }
  }

  @Test
  void computeEqualsBatch() {
    // lengths around the binding's critical-access limit: a small batch is taken critically, a large one copied
    int[][] batches = {{400, 1600, 16000, 12345}, {400, 70000, 16000, 160_000, 999}};
    for (LogMelOptions o : new LogMelOptions[] {LogMelOptions.defaults(), LOG10}) {
      try (LogMel mel = new LogMel(o)) {
        for (int[] lens : batches) {
          float[][] clips = new float[lens.length][];
          for (int i = 0; i < lens.length; ++i) {
            clips[i] = Signals.add(Signals.noise(i, lens[i], 0.05), Signals.tone(lens[i] / 2, 200 + 300 * i, 0.5, 16000),
                lens[i] / 4);
          }
          MelSpectrogram[] batch = mel.computeBatch(clips);
          assertEquals(lens.length, batch.length);
          for (int i = 0; i < lens.length; ++i) {
            MelSpectrogram one = mel.compute(clips[i]);
            assertEquals(lens[i] / 160, batch[i].nFrames());
            assertEquals(one, batch[i], o.mode() + ", clip " + i + " of " + Arrays.toString(lens));
          }
          List<MelSpectrogram> list = mel.computeBatch(Arrays.asList(clips));
          assertEquals(Arrays.asList(batch), list);
        }
        assertEquals(0, mel.computeBatch(new float[0][]).length);
      }
    }
  }

  @Test
  void aBadClipInABatchIsNamedAndNothingIsComputed() {
    try (LogMel mel = new LogMel()) {
      float[][] clips = {new float[1600], new float[70000], new float[100], new float[400]};
      CoreException e = Expect.core(Status.INVALID_ARGUMENT, "core_logmel_compute_batch", () -> mel.computeBatch(clips));
      assertTrue(e.detail().contains("[2]"), e.detail());
      Expect.core(Status.INVALID_ARGUMENT, "core_logmel_compute_batch",
          () -> mel.computeBatch(new float[][] {new float[0]}));
      assertThrows(NullPointerException.class, () -> mel.computeBatch(new float[][] {new float[400], null}));
      assertThrows(NullPointerException.class, () -> mel.computeBatch((List<float[]>) null));
    }
  }

  @Test
  void longInputsAreCopiedAndGiveTheSameBitsAsDirectBuffers() {
    float[] x = Signals.add(Signals.noise(11, 16000 * 12, 0.1), Signals.tone(16000 * 5, 700, 0.5, 16000), 16000);
    assertTrue(x.length > Core.CRITICAL_ARRAY_MAX_ELEMENTS);
    try (LogMel mel = new LogMel()) {
      MelSpectrogram s = mel.compute(x);
      assertEquals(1200, s.nFrames());
      FloatBuffer out = directBuffer(80 * 1200);
      assertEquals(1200, mel.compute(direct(x), out));
      float[] b = new float[80 * 1200];
      out.get(b);
      assertArrayEquals(s.values(), b);
      float[] into = new float[80 * 1200];
      mel.compute(x, into);
      assertArrayEquals(s.values(), into);
    }
  }

  @Test
  void resultsAreBitIdenticalForEveryThreadCount() {
    float[] x = Signals.noise(12, 16000 * 6, 0.2);
    try (LogMel mel = new LogMel()) {
      MelSpectrogram all = mel.compute(x);
      try {
        Core.setNumThreads(1);
        assertEquals(all, mel.compute(x));
      } finally {
        Core.setNumThreads(0);
      }
    }
  }

  @Test
  void oneAnalyserServesManyThreadsAtOnce() throws Exception {
    float[][] clips = new float[8][];
    for (int i = 0; i < clips.length; ++i) {
      clips[i] = Signals.noise(100 + i, 8000 + 3000 * i, 0.3);
    }
    try (LogMel mel = new LogMel()) {
      MelSpectrogram[] want = mel.computeBatch(clips);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<Boolean>> results = new ArrayList<>();
        for (int round = 0; round < 32; ++round) {
          final int i = round % clips.length;
          results.add(pool.submit(() -> mel.compute(clips[i]).equals(want[i])));
        }
        for (Future<Boolean> r : results) {
          assertTrue(r.get());
        }
      } finally {
        pool.shutdown();
      }
    }
  }

  @Test
  void badOptionsAreInvalidArgumentWithTheFieldNamed() {
    Object[][] cases = {
        {LogMelOptions.builder().nMels(0).build(), "n_mels"},
        {LogMelOptions.builder().nMels(202).build(), "n_mels"},
        {LogMelOptions.builder().nFft(1).build(), "n_fft"},
        {LogMelOptions.builder().hop(0).build(), "hop"},
        {LogMelOptions.builder().sampleRate(500).build(), "sample_rate"},
        {LogMelOptions.builder().fmin(5000).fmax(4000).build(), "fmin"},
        {LogMelOptions.builder().fmax(9000).build(), "fmax"},
        {LogMelOptions.builder().fmin(Double.NaN).build(), "fmin"},
    };
    for (Object[] c : cases) {
      LogMelOptions o = (LogMelOptions) c[0];
      CoreException e = Expect.core(Status.INVALID_ARGUMENT, "core_logmel_create", () -> new LogMel(o));
      assertTrue(e.detail().contains((String) c[1]), e.detail());
      e = Expect.core(Status.INVALID_ARGUMENT, "core_logmel_stream_create", () -> new LogMelStream(o));
      assertTrue(e.detail().contains((String) c[1]), e.detail());
    }
    assertThrows(IllegalArgumentException.class, () -> LogMelOptions.builder().nMels(-1));
    assertThrows(IllegalArgumentException.class, () -> LogMelOptions.builder().hop(-160));
    assertThrows(NullPointerException.class, () -> LogMelOptions.builder().mode(null));
    assertThrows(NullPointerException.class, () -> new LogMel(null));
  }

  @Test
  void closeTwiceAndUseAfterClose() {
    LogMel mel = new LogMel();
    assertFalse(mel.isClosed());
    mel.close();
    mel.close();
    assertTrue(mel.isClosed());
    assertTrue(mel.toString().contains("closed"));
    float[] x = new float[1600];
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> mel.compute(x));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> mel.compute(x, new float[800]));
    assertThrows(IllegalStateException.class, () -> mel.compute(direct(x), directBuffer(800)));
    assertThrows(IllegalStateException.class, () -> mel.computeBatch(new float[][] {x}));
    assertThrows(IllegalStateException.class, mel::filters);
    assertThrows(IllegalStateException.class, () -> mel.frames(1600));
    assertEquals(LogMelOptions.defaults(), mel.options()); // plain Java state stays readable
  }

  @Test
  void nullArgumentsAreNullPointerExceptions() {
    try (LogMel mel = new LogMel()) {
      assertThrows(NullPointerException.class, () -> mel.compute((float[]) null));
      assertThrows(NullPointerException.class, () -> mel.compute(null, new float[1]));
      assertThrows(NullPointerException.class, () -> mel.compute(new float[400], null));
      assertThrows(NullPointerException.class, () -> mel.compute(null, directBuffer(1)));
      assertThrows(NullPointerException.class, () -> mel.computeBatch((float[][]) null));
      assertThrows(IllegalArgumentException.class, () -> mel.compute(FloatBuffer.wrap(new float[400]),
          directBuffer(160)));
    }
  }
}
