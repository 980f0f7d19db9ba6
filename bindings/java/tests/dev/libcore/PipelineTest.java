package dev.libcore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libcore.PipelineEvent.Kind;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** pipeline.h's streaming front end through Pipeline, PipelineOptions, PipelineEvent and PipelineStats. */
class PipelineTest {
  static final int SR = 16000;
  static final int CHUNK = SR / 50; // 20 ms

  /**
   * A voiced, speech-like sound (as tests/unit/test_vad_util.h): a 140 Hz harmonic
   * series falling -6 dB per octave up to 4 kHz, its level modulated at 4 Hz like
   * syllables, RMS about rms, with a 60 ms gap every 750 ms (real speech dips; a
   * sound that never dips becomes the VAD's noise floor).
   */
  static float[] voice(int n, double rms) {
    double f0 = 140;
    double norm = 0;
    int nh = 0;
    for (int h = 1; h * f0 < 4000; ++h, ++nh) {
      norm += 0.5 / (h * h);
    }
    double gain = rms / Math.sqrt(norm);
    float[] x = new float[n];
    for (int i = 0; i < n; ++i) {
      double t = (double) i / SR;
      if (t % 0.75 >= 0.69) {
        continue;
      }
      double v = 0;
      for (int h = 1; h <= nh; ++h) {
        v += Math.sin(2 * Math.PI * f0 * h * t + h) / h;
      }
      double env = 0.625 - 0.375 * Math.cos(2 * Math.PI * 4 * t);
      x[i] = (float) (gain * env * v);
    }
    return x;
  }

  /** 1 s of a quiet room, 1.5 s of voice, 1 s of a quiet room. */
  static float[] clip() {
    float[] x = Signals.noise(7, 7 * SR / 2, 1e-4);
    return Signals.add(x, voice(3 * SR / 2, 0.05), SR);
  }

  /** The test encoder: the mean of the features per band (dim = nMels). */
  static float[] meanPerBand(float[] features, int nMels, int nFrames) {
    float[] out = new float[nMels];
    for (int m = 0; m < nMels; ++m) {
      double s = 0;
      for (int t = 0; t < nFrames; ++t) {
        s += features[m * nFrames + t];
      }
      out[m] = (float) (s / nFrames);
    }
    return out;
  }

  static PipelineOptions options() {
    return PipelineOptions.builder().dim(LogMelOptions.defaults().nMels()).build();
  }

  /** Pushes x in 20 ms chunks, pulling events after each push, then flushes and pulls until END. */
  static List<PipelineEvent> run(Pipeline p, float[] x) {
    List<PipelineEvent> events = new ArrayList<>();
    for (int at = 0; at < x.length; at += CHUNK) {
      p.pushF32(x, at, Math.min(CHUNK, x.length - at));
      events.addAll(p.drain());
    }
    p.flush();
    events.addAll(p.drain());
    return events;
  }

  static List<PipelineEvent> ofKind(List<PipelineEvent> events, Kind kind) {
    List<PipelineEvent> out = new ArrayList<>();
    for (PipelineEvent e : events) {
      if (e.kind() == kind) {
        out.add(e);
      }
    }
    return out;
  }

  @Test
  void defaultsComeFromLibcore() {
    PipelineOptions d = PipelineOptions.defaults();
    assertEquals(16000, d.sampleRate());
    assertEquals(10000, d.ringMs());
    assertEquals(RingBuffer.Policy.OVERWRITE, d.ringPolicy());
    assertEquals(1000, d.windowMs());
    assertEquals(500, d.hopMs());
    assertTrue(d.speechOnly());
    assertEquals(0, d.dim());
    assertEquals(4, d.cacheDecimals());
    assertEquals(VadOptions.defaults(), d.vad());
    assertEquals(LogMelOptions.defaults(), d.logMel());
    assertEquals(16000, d.windowSamples());
    assertEquals(8000, d.hopSamples());
    assertEquals(d, d.toBuilder().build());
    assertFalse(d.equals(d.toBuilder().dim(3).build()));
  }

  @Test
  void syntheticClipWithAnEncoder() {
    float[] x = clip();
    AtomicInteger calls = new AtomicInteger();
    List<PipelineEvent> events;
    try (Pipeline p = new Pipeline(options(), (f, m, t) -> {
      calls.incrementAndGet();
      return meanPerBand(f, m, t);
    })) {
      assertTrue(p.hasEncoder());
      events = run(p, x);
      assertNull(p.nextEvent(), "nothing after END");
    }
    assertTrue(events.size() >= 4, events.toString());
    assertEquals(Kind.SPEECH_START, events.get(0).kind(), events.toString());
    assertEquals(Kind.END, events.get(events.size() - 1).kind());
    assertEquals(Kind.SPEECH_END, events.get(events.size() - 2).kind(), events.toString());
    assertTrue(ofKind(events, Kind.NEEDS_ENCODING).isEmpty(), "the encoder answers them inside nextEvent");
    assertTrue(ofKind(events, Kind.ENCODER_ERROR).isEmpty());

    PipelineEvent start = events.get(0);
    PipelineEvent end = events.get(events.size() - 2);
    assertEquals(start.start(), end.start());
    long pad = 30L * SR / 1000;
    assertTrue(Math.abs(start.start() - SR) <= 40L * SR / 1000 + pad, "speech starts near 1 s: " + start);
    assertTrue(Math.abs(end.end() - 5L * SR / 2) <= 100L * SR / 1000 + pad, "and ends near 2.5 s: " + end);

    List<PipelineEvent> windows = ofKind(events, Kind.WINDOW);
    assertEquals(2, windows.size(), "1.5 s of speech: windows at +0 s and +0.5 s: " + events);
    int dim = LogMelOptions.defaults().nMels();
    for (int i = 0; i < windows.size(); ++i) {
      PipelineEvent w = windows.get(i);
      assertEquals(i, w.windowId());
      assertEquals(start.start() + i * 8000L, w.start());
      assertEquals(w.start() + 16000, w.end());
      assertTrue(w.end() <= end.end(), "whole windows inside the segment");
      assertEquals(dim, w.nMels());
      assertEquals(100, w.nFrames());
      assertEquals(dim * 100, w.features().length);
      assertEquals(dim, w.embedding().length);
      assertFalse(w.cacheHit());
      assertArrayEquals(meanPerBand(w.features(), w.nMels(), w.nFrames()), w.embedding(), "the encoder's values");
      assertEquals(Status.OK, w.status());
    }
    assertEquals(windows.size(), calls.get(), "one encoder call per missed window");
    // the segment's events are ordered: windows after the start, before the end
    assertTrue(events.indexOf(windows.get(0)) > 0 && events.indexOf(windows.get(1)) < events.size() - 2);
  }

  @Test
  void featuresAreTheWindowsLogMel() {
    float[] x = clip();
    try (Pipeline p = new Pipeline(options(), PipelineTest::meanPerBand); LogMel lm = new LogMel()) {
      for (PipelineEvent w : ofKind(run(p, x), Kind.WINDOW)) {
        MelSpectrogram ref = lm.compute(java.util.Arrays.copyOfRange(x, (int) w.start(), (int) w.end()));
        assertArrayEquals(ref.values(), w.features(), "window " + w.windowId());
        assertEquals(ref.get(3, 7), w.spectrogram().get(3, 7));
      }
    }
  }

  @Test
  void aSecondPipelineGivesTheSameEvents() {
    float[] x = clip();
    List<PipelineEvent> a;
    List<PipelineEvent> b;
    try (Pipeline p = new Pipeline(options(), PipelineTest::meanPerBand)) {
      a = run(p, x);
    }
    try (Pipeline p = new Pipeline(options(), PipelineTest::meanPerBand)) {
      b = run(p, x.clone());
    }
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); ++i) {
      PipelineEvent e = a.get(i);
      PipelineEvent f = b.get(i);
      assertEquals(e.kind(), f.kind(), "event " + i);
      assertEquals(e.windowId(), f.windowId());
      assertEquals(e.start(), f.start());
      assertEquals(e.end(), f.end());
      assertEquals(e.cacheHit(), f.cacheHit());
      assertArrayEquals(e.features(), f.features());
      assertArrayEquals(e.embedding(), f.embedding());
    }
  }

  @Test
  void int16PushesGiveTheSameEvents() {
    float[] x = clip();
    short[] pcm = new short[x.length];
    float[] back = new float[x.length];
    for (int i = 0; i < x.length; ++i) {
      pcm[i] = (short) Math.max(-32768, Math.min(32767, Math.round(x[i] * 32768)));
      back[i] = pcm[i] / 32768f;
    }
    List<PipelineEvent> a;
    List<PipelineEvent> b = new ArrayList<>();
    try (Pipeline p = new Pipeline(options(), PipelineTest::meanPerBand)) {
      a = run(p, back);
    }
    try (Pipeline p = new Pipeline(options(), PipelineTest::meanPerBand)) {
      for (int at = 0; at < pcm.length; at += CHUNK) {
        p.pushI16(pcm, at, Math.min(CHUNK, pcm.length - at));
        b.addAll(p.drain());
      }
      p.flush();
      b.addAll(p.drain());
    }
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); ++i) {
      assertEquals(a.get(i).kind(), b.get(i).kind());
      assertEquals(a.get(i).start(), b.get(i).start());
      assertArrayEquals(a.get(i).embedding(), b.get(i).embedding());
    }
  }

  @Test
  void rawModeAnnouncesWindowsToEncode() {
    float[] x = clip();
    int dim = 4;
    List<PipelineEvent> events = new ArrayList<>();
    int needs = 0;
    try (Pipeline p = new Pipeline(PipelineOptions.builder().dim(dim).build())) {
      assertFalse(p.hasEncoder());
      for (int at = 0; at <= x.length; at += CHUNK) {
        if (at < x.length) {
          p.pushF32(x, at, Math.min(CHUNK, x.length - at));
        } else {
          p.flush();
        }
        for (PipelineEvent e; (e = p.nextEvent()) != null;) {
          if (e.kind() == Kind.NEEDS_ENCODING) {
            ++needs;
            assertEquals(80 * 100, e.features().length);
            assertEquals(0, e.embedding().length);
            float[] emb = {e.windowId(), 1, 2, 3};
            p.submitEmbedding(e.windowId(), emb);
          }
          events.add(e);
        }
      }
    }
    List<PipelineEvent> windows = ofKind(events, Kind.WINDOW);
    assertEquals(2, windows.size(), events.toString());
    assertEquals(needs, windows.size());
    for (PipelineEvent w : windows) {
      assertArrayEquals(new float[] {w.windowId(), 1, 2, 3}, w.embedding(), "the submitted embedding");
      assertFalse(w.cacheHit());
    }
    // each NEEDS_ENCODING comes before its WINDOW
    for (PipelineEvent w : windows) {
      int needAt = -1;
      for (int i = 0; i < events.size(); ++i) {
        if (events.get(i).kind() == Kind.NEEDS_ENCODING && events.get(i).windowId() == w.windowId()) {
          needAt = i;
        }
      }
      assertTrue(needAt >= 0 && needAt < events.indexOf(w));
    }
    assertEquals(Kind.END, events.get(events.size() - 1).kind());
  }

  @Test
  void submitOfAnUnknownWindowIsNotFound() {
    try (Pipeline p = new Pipeline(PipelineOptions.builder().dim(2).build())) {
      CoreException e = assertThrows(CoreException.class, () -> p.submitEmbedding(42, new float[] {1, 2}));
      assertEquals(Status.NOT_FOUND, e.status());
      assertTrue(e.getMessage().contains("42"), e.getMessage());
    }
  }

  @Test
  void submitOfTheWrongDimIsInvalid() {
    try (Pipeline p = new Pipeline(PipelineOptions.builder().dim(2).build())) {
      CoreException e = assertThrows(CoreException.class, () -> p.submitEmbedding(0, new float[] {1, 2, 3}));
      assertEquals(Status.INVALID_ARGUMENT, e.status());
      assertTrue(e.getMessage().contains("dim"), e.getMessage());
      assertThrows(NullPointerException.class, () -> p.submitEmbedding(0, null));
    }
  }

  @Test
  void badOptionsAreInvalidWithAMessage() {
    CoreException e = assertThrows(CoreException.class, () -> new Pipeline(PipelineOptions.defaults()));
    assertEquals(Status.INVALID_ARGUMENT, e.status());
    assertTrue(e.getMessage().contains("dim is 0"), e.getMessage());

    PipelineOptions shortWindow = options().toBuilder().windowMs(20).build(); // 320 samples < n_fft 400
    e = assertThrows(CoreException.class, () -> new Pipeline(shortWindow, PipelineTest::meanPerBand));
    assertEquals(Status.INVALID_ARGUMENT, e.status());
    assertTrue(e.getMessage().contains("n_fft"), e.getMessage());

    e = assertThrows(CoreException.class, () -> new Pipeline(options().toBuilder().hopMs(0).build()));
    assertEquals(Status.INVALID_ARGUMENT, e.status());
    assertTrue(e.getMessage().contains("hop_ms"), e.getMessage());

    e = assertThrows(CoreException.class, () -> new Pipeline(options().toBuilder().sampleRate(10).build()));
    assertEquals(Status.INVALID_ARGUMENT, e.status());
    assertTrue(e.getMessage().contains("sample_rate"), e.getMessage());

    assertThrows(IllegalArgumentException.class, () -> PipelineOptions.builder().dim(-1));
    assertThrows(NullPointerException.class, () -> PipelineOptions.builder().vad(null));
    assertThrows(NullPointerException.class, () -> new Pipeline(options(), null));
    assertThrows(NullPointerException.class, () -> new Pipeline(null));
  }

  @Test
  void pushAfterFlushIsRefused() {
    try (Pipeline p = new Pipeline(options(), PipelineTest::meanPerBand)) {
      p.pushF32(new float[CHUNK]);
      p.flush();
      p.flush(); // a second flush does nothing
      CoreException e = assertThrows(CoreException.class, () -> p.pushF32(new float[CHUNK]));
      assertEquals(Status.INVALID_ARGUMENT, e.status());
      assertTrue(e.getMessage().contains("flush"), e.getMessage());
      assertThrows(CoreException.class, () -> p.pushI16(new short[0]));
      List<PipelineEvent> rest = p.drain();
      assertEquals(Kind.END, rest.get(rest.size() - 1).kind(), rest.toString());
    }
  }

  @Test
  void pushRangesAreChecked() {
    try (Pipeline p = new Pipeline(options(), PipelineTest::meanPerBand)) {
      float[] x = new float[10];
      assertThrows(IndexOutOfBoundsException.class, () -> p.pushF32(x, 5, 6));
      assertThrows(IndexOutOfBoundsException.class, () -> p.pushF32(x, -1, 2));
      assertThrows(IndexOutOfBoundsException.class, () -> p.pushI16(new short[4], 0, 5));
      assertThrows(NullPointerException.class, () -> p.pushF32((float[]) null));
      p.pushF32(x, 2, 8);
      p.pushF32(Expect.direct(1f, 2f, 3f));
      assertEquals(11, p.stats().samples());
      assertEquals(2, p.stats().chunks());
    }
  }

  @Test
  void statsCountSamplesAndWindows() {
    float[] x = clip();
    try (Pipeline p = new Pipeline(options(), PipelineTest::meanPerBand)) {
      List<PipelineEvent> events = run(p, x);
      PipelineStats s = p.stats();
      assertEquals(x.length, s.samples());
      assertEquals((x.length + CHUNK - 1) / CHUNK, s.chunks());
      assertEquals(0, s.droppedSamples());
      assertEquals(1, s.segments());
      assertEquals(ofKind(events, Kind.WINDOW).size(), s.windows());
      assertEquals(s.windows(), s.cacheHits() + s.cacheMisses());
      assertEquals(s.windows(), s.cacheMisses(), "different windows never hit");
      assertEquals(3.5, s.audioSeconds(), 1e-9);
      assertTrue(s.processingSeconds() > 0 && s.realTimeFactor() > 0, s.toString());
      assertEquals(0.0, s.cacheHitRate(), 0.0);
    }
  }

  @Test
  void repeatedAudioHitsTheCache() {
    float[] second = Signals.noise(11, SR, 0.1);
    float[] x = new float[3 * SR];
    for (int k = 0; k < 3; ++k) {
      System.arraycopy(second, 0, x, k * SR, SR);
    }
    PipelineOptions o = options().toBuilder().speechOnly(false).hopMs(1000).build();
    AtomicInteger calls = new AtomicInteger();
    try (Pipeline p = new Pipeline(o, (f, m, t) -> {
      calls.incrementAndGet();
      return meanPerBand(f, m, t);
    })) {
      List<PipelineEvent> events = run(p, x);
      assertTrue(ofKind(events, Kind.SPEECH_START).isEmpty(), "speechOnly false: no VAD events");
      List<PipelineEvent> windows = ofKind(events, Kind.WINDOW);
      assertEquals(3, windows.size(), events.toString());
      assertFalse(windows.get(0).cacheHit());
      assertTrue(windows.get(1).cacheHit());
      assertTrue(windows.get(2).cacheHit());
      assertArrayEquals(windows.get(0).embedding(), windows.get(2).embedding());
      assertEquals(1, calls.get());
      PipelineStats s = p.stats();
      assertEquals(2, s.cacheHits());
      assertEquals(1, s.cacheMisses());
      assertEquals(2.0 / 3.0, s.cacheHitRate(), 1e-12);
    }
  }

  @Test
  void wholeStreamWindowsEveryHop() {
    float[] x = clip(); // 3.5 s: windows of 1 s every 0.5 s from 0
    PipelineOptions o = options().toBuilder().speechOnly(false).build();
    try (Pipeline p = new Pipeline(o, PipelineTest::meanPerBand)) {
      List<PipelineEvent> windows = ofKind(run(p, x), Kind.WINDOW);
      assertEquals(1 + (x.length - SR) / (SR / 2), windows.size());
      for (int i = 0; i < windows.size(); ++i) {
        assertEquals(i * (SR / 2L), windows.get(i).start());
      }
    }
  }

  @Test
  void prometheusTextHasThePipelineStages() {
    float[] x = clip();
    try (Pipeline p = new Pipeline(options(), PipelineTest::meanPerBand)) {
      run(p, x);
      String text = p.metricsPrometheus();
      assertTrue(text.contains("pipeline_push"), text);
      assertTrue(text.contains("features_logmel"), text);
      assertTrue(text.contains("# TYPE"), text);
      assertTrue(p.metricsExport(Metrics.Format.JSON).startsWith("{"));
    }
    PipelineOptions prefixed = options().toBuilder().metricsPrefix("mic1").build();
    try (Pipeline p = new Pipeline(prefixed, PipelineTest::meanPerBand)) {
      p.pushF32(new float[CHUNK]);
      assertTrue(p.metricsPrometheus().contains("mic1_pipeline_push"), p.metricsPrometheus());
    }
  }

  @Test
  void anEncoderThatThrowsIsCalledAgainForTheSameWindow() {
    float[] x = clip();
    AtomicInteger calls = new AtomicInteger();
    List<Long> seen = new ArrayList<>();
    Pipeline.Encoder flaky = (f, m, t) -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("model not ready");
      }
      return meanPerBand(f, m, t);
    };
    List<PipelineEvent> events = new ArrayList<>();
    int thrown = 0;
    try (Pipeline p = new Pipeline(options(), flaky)) {
      for (int at = 0; at <= x.length; at += CHUNK) {
        if (at < x.length) {
          p.pushF32(x, at, Math.min(CHUNK, x.length - at));
        } else {
          p.flush();
        }
        for (;;) {
          try {
            PipelineEvent e = p.nextEvent();
            if (e == null) {
              break;
            }
            events.add(e);
          } catch (IllegalStateException e) {
            assertEquals("model not ready", e.getMessage());
            ++thrown;
          }
        }
      }
    }
    assertEquals(1, thrown);
    for (PipelineEvent w : ofKind(events, Kind.WINDOW)) {
      seen.add(w.windowId());
      assertArrayEquals(meanPerBand(w.features(), w.nMels(), w.nFrames()), w.embedding());
    }
    assertEquals(List.of(0L, 1L), seen, "no window lost");
    assertEquals(3, calls.get(), "the failed window was encoded again");
    assertEquals(Kind.END, events.get(events.size() - 1).kind());
  }

  @Test
  void anEncoderOfTheWrongSizeIsRefused() {
    float[] x = clip();
    try (Pipeline p = new Pipeline(options(), (f, m, t) -> new float[3])) {
      for (int at = 0; at < x.length; at += CHUNK) {
        p.pushF32(x, at, Math.min(CHUNK, x.length - at));
      }
      p.flush();
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.drain());
      assertTrue(e.getMessage().contains("3 floats") && e.getMessage().contains("dim = 80"), e.getMessage());
    }
  }

  @Test
  void oneThreadPerSideChecked() throws Exception {
    float[] x = clip();
    AtomicReference<Throwable> otherConsumer = new AtomicReference<>();
    AtomicReference<Throwable> sameThread = new AtomicReference<>();
    AtomicReference<Throwable> closeInside = new AtomicReference<>();
    AtomicReference<Pipeline> self = new AtomicReference<>();
    Pipeline.Encoder encoder = (f, m, t) -> {
      Pipeline p = self.get();
      Thread th = new Thread(() -> {
        try {
          p.nextEvent();
        } catch (Throwable e) {
          otherConsumer.compareAndSet(null, e);
        }
      });
      th.start();
      try {
        th.join();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      try {
        p.nextEvent();
      } catch (Throwable e) {
        sameThread.compareAndSet(null, e);
      }
      try {
        p.close();
      } catch (Throwable e) {
        closeInside.compareAndSet(null, e);
      }
      return meanPerBand(f, m, t);
    };
    try (Pipeline p = new Pipeline(options(), encoder)) {
      self.set(p);
      Thread producer = new Thread(() -> {
        for (int at = 0; at < x.length; at += CHUNK) {
          p.pushF32(x, at, Math.min(CHUNK, x.length - at));
        }
        p.flush();
      });
      producer.start(); // the producer side runs beside the consumer
      List<PipelineEvent> events = new ArrayList<>();
      while (events.isEmpty() || events.get(events.size() - 1).kind() != Kind.END) {
        PipelineEvent e = p.nextEvent();
        if (e == null) {
          Thread.sleep(1);
        } else {
          events.add(e);
        }
      }
      producer.join();
      assertEquals(2, ofKind(events, Kind.WINDOW).size());
    }
    assertTrue(otherConsumer.get() instanceof ConcurrentModificationException, String.valueOf(otherConsumer.get()));
    assertTrue(sameThread.get() instanceof IllegalStateException, String.valueOf(sameThread.get()));
    assertTrue(closeInside.get() instanceof IllegalStateException, "close inside the encoder is refused");
  }

  @Test
  void closeTwiceAndUseAfterClose() {
    Pipeline p = new Pipeline(options(), PipelineTest::meanPerBand);
    p.pushF32(new float[CHUNK]);
    p.close();
    p.close();
    assertTrue(p.isClosed());
    assertThrows(IllegalStateException.class, () -> p.pushF32(new float[CHUNK]));
    assertThrows(IllegalStateException.class, () -> p.pushI16(new short[CHUNK]));
    assertThrows(IllegalStateException.class, p::flush);
    assertThrows(IllegalStateException.class, p::nextEvent);
    assertThrows(IllegalStateException.class, () -> p.submitEmbedding(0, new float[80]));
    assertThrows(IllegalStateException.class, p::stats);
    assertThrows(IllegalStateException.class, p::metricsPrometheus);
    assertTrue(p.toString().contains("closed"));
  }

  @Test
  void jfkHasSpeechAndWindows() throws Exception {
    java.nio.file.Path path = TestData.path("jfk_16k.wav");
    float[] x = AudioFile.read(path, SR);
    try (Pipeline p = new Pipeline(options(), PipelineTest::meanPerBand)) {
      List<PipelineEvent> events = run(p, x);
      List<PipelineEvent> segments = ofKind(events, Kind.SPEECH_END);
      List<PipelineEvent> windows = ofKind(events, Kind.WINDOW);
      assertTrue(segments.size() >= 1, events.toString());
      assertTrue(windows.size() >= 1, events.toString());
      assertEquals(ofKind(events, Kind.SPEECH_START).size(), segments.size());
      assertEquals(Kind.END, events.get(events.size() - 1).kind());
      PipelineStats s = p.stats();
      assertEquals(x.length, s.samples());
      assertEquals(segments.size(), s.segments());
      assertEquals(windows.size(), s.windows());
      for (PipelineEvent w : windows) {
        assertEquals(80, w.embedding().length);
        assertTrue(w.end() <= x.length);
      }
    }
  }
}
