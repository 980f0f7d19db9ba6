package dev.libcore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libcore.VadOptions.Preset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** audio.h's voice activity detector through Vad, VadOptions and Segment. */
class VadTest {
  static final int SR = 16000;

  /** 1 s of near-silence, 1 s of burst, 1 s of near-silence. */
  static float[] burst(float[] oneSecond, long seed) {
    float[] x = Signals.noise(seed, 3 * SR, 1e-4); // a quiet room, not digital zero
    return Signals.add(x, oneSecond, SR);
  }

  static float[] toneBurst() {
    return burst(Signals.tone(SR, 440, 0.3, SR), 1);
  }

  static float[] noiseBurst() {
    return burst(Signals.noise(2, SR, 0.3), 3);
  }

  /**
   * One segment around [SR, 2 SR), within a frame plus the padding at each end. Frames of 10
   * and 20 ms are judged over an analysis window of the last 30 and 40 ms (audio.h), so with
   * them the end may lag by that window rather than by a frame.
   */
  static void assertOneBurst(List<Segment> segments, VadOptions o, String what) {
    assertEquals(1, segments.size(), what + ": " + segments);
    Segment s = segments.get(0);
    long window = o.frameMs() == 30 ? o.frameSamples() : (long) (o.frameMs() == 10 ? 30 : 40) * o.sampleRate() / 1000;
    long tolerance = window + (long) o.speechPadMs() * o.sampleRate() / 1000;
    assertTrue(Math.abs(s.start() - SR) <= tolerance, what + ": start " + s);
    assertTrue(Math.abs(s.end() - 2 * SR) <= tolerance, what + ": end " + s);
    assertTrue(s.start() <= SR && s.end() >= 2 * SR, what + ": the padding covers the burst " + s);
  }

  static List<Segment> pushInChunks(VadOptions o, float[] x, int chunk) {
    List<Segment> got = new ArrayList<>();
    try (Vad vad = new Vad(o)) {
      for (int at = 0; at < x.length; at += chunk) {
        vad.push(x, at, Math.min(chunk, x.length - at));
        for (Segment s; (s = vad.nextSegment()) != null;) {
          got.add(s);
        }
      }
      vad.flush();
      got.addAll(vad.drain());
      assertNull(vad.nextSegment());
    }
    return got;
  }

  @Test
  void presetsComeFromLibcore() {
    VadOptions d = VadOptions.defaults();
    assertEquals(d, VadOptions.of(Preset.DEFAULT));
    assertEquals(16000, d.sampleRate());
    assertEquals(0.5f, d.threshold());
    assertEquals(250, d.minSpeechMs());
    assertEquals(100, d.minSilenceMs());
    assertEquals(30, d.speechPadMs());
    assertEquals(0, d.maxSpeechMs());
    VadOptions t = VadOptions.of(Preset.TRANSCRIBE);
    assertEquals(2000, t.minSilenceMs());
    assertEquals(400, t.speechPadMs());
    VadOptions a = VadOptions.of(Preset.AGGRESSIVE);
    assertTrue(a.threshold() > d.threshold());
    assertTrue(a.minSpeechMs() > d.minSpeechMs());
    VadOptions b = VadOptions.builder(Preset.TRANSCRIBE).speechPadMs(100).build();
    assertEquals(100, b.speechPadMs());
    assertEquals(2000, b.minSilenceMs());
    assertNotEquals(t, b);
    assertEquals(t, t.toBuilder().build());
    assertEquals(d.frameMs() * 16, d.frameSamples());
  }

  @Test
  void aToneBurstBetweenSilencesIsOneSegment() {
    for (Preset p : Preset.values()) {
      VadOptions o = VadOptions.of(p);
      assertOneBurst(Vad.segments(toneBurst(), o), o, "tone, " + p);
    }
  }

  @Test
  void aNoiseBurstBetweenSilencesIsOneSegment() {
    for (int frameMs : new int[] {10, 20, 30}) {
      VadOptions o = VadOptions.builder().frameMs(frameMs).build();
      assertOneBurst(Vad.segments(noiseBurst(), o), o, "noise, " + frameMs + " ms frames");
    }
  }

  @Test
  void chunkSizesDoNotChangeTheSegments() {
    for (float[] x : new float[][] {toneBurst(), noiseBurst()}) {
      VadOptions o = VadOptions.defaults();
      List<Segment> whole = Vad.segments(x, o);
      assertOneBurst(whole, o, "offline");
      assertEquals(whole, pushInChunks(o, x, 1));
      assertEquals(whole, pushInChunks(o, x, 1000));
      assertEquals(whole, pushInChunks(o, x, 479));
      assertEquals(whole, pushInChunks(o, x, x.length));
      assertEquals(whole, Vad.segments(LogMelTest.direct(x), o));
      try (Vad vad = new Vad(o)) {
        vad.push(LogMelTest.direct(x));
        vad.flush();
        assertEquals(whole, vad.drain());
      }
    }
  }

  @Test
  void longClipsAndManySegmentsAgreeOnEveryPath() {
    // 40 bursts of 0.5 s with 0.5 s pauses: 40 s (past the critical-access limit: a detector
    // fed in pieces for float[], one core_vad_segments call for the buffer)
    float[] x = Signals.noise(4, 40 * SR, 1e-4);
    for (int i = 0; i < 40; ++i) {
      x = Signals.add(x, Signals.tone(SR / 2, 300 + 10 * i, 0.3, SR), i * SR + SR / 4);
    }
    VadOptions o = VadOptions.defaults();
    List<Segment> fromArray = Vad.segments(x, o);
    assertEquals(40, fromArray.size(), fromArray.toString());
    assertEquals(fromArray, Vad.segments(LogMelTest.direct(x), o));
    assertEquals(fromArray, pushInChunks(o, x, 16000));
    for (int i = 0; i < 40; ++i) {
      Segment s = fromArray.get(i);
      assertTrue(Math.abs(s.start() - (i * SR + SR / 4)) <= 2 * o.frameSamples(), s.toString());
    }
    // more than 64 segments in one short clip: the helper's second core_vad_segments call
    VadOptions tight = VadOptions.builder().frameMs(10).minSpeechMs(0).minSilenceMs(0).speechPadMs(0).build();
    float[] y = Signals.noise(5, 4 * SR, 1e-4);
    for (int i = 0; i < 80; ++i) {
      y = Signals.add(y, Signals.tone(SR / 50, 500, 0.3, SR), i * SR / 20 + 100);
    }
    List<Segment> many = Vad.segments(y, tight);
    assertTrue(many.size() > 64, many.size() + " segments");
    assertEquals(many, Vad.segments(LogMelTest.direct(y), tight));
    assertEquals(many, pushInChunks(tight, y, 333));
  }

  @Test
  void nextSegmentIsNullUntilOneIsFinishedAndOpenSegmentStartTellsEarly() {
    float[] x = toneBurst();
    try (Vad vad = new Vad()) {
      assertNull(vad.nextSegment());
      assertFalse(vad.openSegmentStart().isPresent());
      vad.push(x, 0, SR + SR / 2); // silence, then half the burst
      assertNull(vad.nextSegment(), "the segment is still open");
      OptionalLong open = vad.openSegmentStart();
      assertTrue(open.isPresent());
      vad.push(x, SR + SR / 2, x.length - SR - SR / 2);
      Segment s = vad.nextSegment();
      assertEquals(open.getAsLong(), s.start());
      assertNull(vad.nextSegment());
      assertFalse(vad.openSegmentStart().isPresent());
      assertTrue(vad.drain().isEmpty());
    }
  }

  @Test
  void flushClosesAnOpenSegmentAtTheEnd() {
    float[] x = Signals.add(Signals.noise(6, 2 * SR, 1e-4), Signals.tone(SR, 440, 0.3, SR), SR);
    try (Vad vad = new Vad()) {
      vad.push(x);
      assertNull(vad.nextSegment());
      vad.flush();
      Segment s = vad.nextSegment();
      assertEquals(x.length, s.end());
      vad.flush(); // a second flush does nothing
      Expect.core(Status.INVALID_ARGUMENT, "core_vad_push", () -> vad.push(new float[10]));
      Expect.core(Status.INVALID_ARGUMENT, "core_vad_push", () -> vad.push(LogMelTest.direct(new float[10])));
      vad.reset(); // positions restart at 0
      vad.push(toneBurst());
      vad.flush();
      assertOneBurst(vad.drain(), vad.options(), "after reset");
    }
  }

  @Test
  void segmentSecondsHelpers() {
    Segment s = new Segment(8000, 24000);
    assertEquals(0.5, s.startSeconds(16000));
    assertEquals(1.5, s.endSeconds(16000));
    assertEquals(1.0, s.durationSeconds(16000));
    assertEquals(16000, s.length());
    assertEquals(new Segment(8000, 24000), s);
    assertEquals(s.hashCode(), new Segment(8000, 24000).hashCode());
    assertEquals("Segment[8000, 24000)", s.toString());
    assertThrows(IllegalArgumentException.class, () -> new Segment(5, 4));
    assertThrows(IllegalArgumentException.class, () -> s.startSeconds(0));
  }

  @Test
  void badOptionsAreInvalidArgumentWithTheFieldNamed() {
    Object[][] cases = {
        {VadOptions.builder().frameMs(25).build(), "frame_ms"},
        {VadOptions.builder().sampleRate(4000).build(), "sample_rate"},
        {VadOptions.builder().sampleRate(11025).frameMs(30).build(), "sample_rate"},
        {VadOptions.builder().threshold(1.5f).build(), "threshold"},
        {VadOptions.builder().threshold(Float.NaN).build(), "threshold"},
        {VadOptions.builder().negThreshold(0.6f).build(), "neg_threshold"},
        {VadOptions.builder().maxSpeechMs(10).build(), "max_speech_ms"},
    };
    float[] longClip = new float[200_000];
    for (Object[] c : cases) {
      VadOptions o = (VadOptions) c[0];
      CoreException e = Expect.core(Status.INVALID_ARGUMENT, "core_vad_create", () -> new Vad(o));
      assertTrue(e.detail().contains((String) c[1]), e.detail());
      e = Expect.core(Status.INVALID_ARGUMENT, "core_vad_segments", () -> Vad.segments(new float[100], o));
      assertTrue(e.detail().contains((String) c[1]), e.detail());
      e = Expect.core(Status.INVALID_ARGUMENT, "core_vad_segments", () -> Vad.segments(longClip, o));
      assertTrue(e.detail().contains((String) c[1]), e.detail());
      e = Expect.core(Status.INVALID_ARGUMENT, "core_vad_segments",
          () -> Vad.segments(LogMelTest.direct(new float[10]), o));
      assertTrue(e.detail().contains((String) c[1]), e.detail());
    }
    assertThrows(IllegalArgumentException.class, () -> VadOptions.builder().minSpeechMs(-1));
    assertThrows(NullPointerException.class, () -> VadOptions.of(null));
    assertThrows(NullPointerException.class, () -> Vad.segments((float[]) null, VadOptions.defaults()));
    assertThrows(NullPointerException.class, () -> Vad.segments(new float[1], null));
  }

  @Test
  void silenceAndEmptyInputHaveNoSegments() {
    assertTrue(Vad.segments(new float[0]).isEmpty());
    assertTrue(Vad.segments(Signals.noise(7, 3 * SR, 1e-4)).isEmpty());
    assertTrue(Vad.segments(new float[3 * SR]).isEmpty());
    List<Segment> l = Vad.segments(toneBurst());
    assertThrows(UnsupportedOperationException.class, () -> l.add(new Segment(0, 1)));
  }

  @Test
  void closeTwiceAndUseAfterClose() {
    Vad vad = new Vad();
    vad.push(new float[100]);
    vad.close();
    vad.close();
    assertTrue(vad.isClosed());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> vad.push(new float[10]));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
    assertThrows(IllegalStateException.class, vad::flush);
    assertThrows(IllegalStateException.class, vad::nextSegment);
    assertThrows(IllegalStateException.class, vad::drain);
    assertThrows(IllegalStateException.class, vad::openSegmentStart);
    assertThrows(IllegalStateException.class, vad::reset);
    assertThrows(IllegalStateException.class, () -> vad.push(LogMelTest.direct(new float[3])));
  }
}
