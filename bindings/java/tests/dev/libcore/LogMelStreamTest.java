package dev.libcore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libcore.LogMelOptions.Mode;
import java.util.ConcurrentModificationException;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** audio.h's streaming log-mel through LogMelStream: equal to offline, frame-major, life cycle. */
class LogMelStreamTest {
  /** Offline (mel-major) as frame-major, the stream's layout. */
  static float[] frameMajor(MelSpectrogram s) {
    float[] out = new float[s.nMels() * s.nFrames()];
    for (int t = 0; t < s.nFrames(); ++t) {
      System.arraycopy(s.frame(t), 0, out, t * s.nMels(), s.nMels());
    }
    return out;
  }

  static float[] concat(float[] a, float[] b) {
    float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Pushes x in chunks of the given sizes (cycled), reading whatever is ready after each push. */
  static float[] stream(LogMelOptions o, float[] x, int... chunks) {
    float[] got = new float[0];
    try (LogMelStream s = new LogMelStream(o)) {
      int c = 0;
      for (int at = 0; at < x.length; ++c) {
        int n = Math.min(chunks[c % chunks.length], x.length - at);
        s.push(x, at, n);
        at += n;
        got = concat(got, s.read(7));
      }
      s.flush();
      got = concat(got, s.readAll());
      assertEquals(0, s.available());
    }
    return got;
  }

  @Test
  void log10StreamEqualsOfflineBitForBit() {
    LogMelOptions o = LogMelTest.LOG10;
    float[] x = Signals.add(Signals.noise(21, 16000 * 3 + 77, 0.1), Signals.tone(16000, 523, 0.6, 16000), 8000);
    float[] offline;
    try (LogMel mel = new LogMel(o)) {
      offline = frameMajor(mel.compute(x));
    }
    assertEquals(80 * (x.length / 160), offline.length);
    assertArrayEquals(offline, stream(o, x, 1000));
    assertArrayEquals(offline, stream(o, x, 1, 7, 160, 399, 4001));
    assertArrayEquals(offline, stream(o, x, x.length));
    SplittableRandom r = new SplittableRandom(5);
    int[] random = new int[50];
    for (int i = 0; i < random.length; ++i) {
      random[i] = r.nextInt(1, 3000);
    }
    assertArrayEquals(offline, stream(o, x, random));
  }

  @Test
  void whisperWithOneWindowEqualsOfflineBitForBit() {
    LogMelOptions o = LogMelOptions.builder().windowFrames(0).build();
    float[] x = Signals.add(Signals.noise(22, 16000 * 2, 0.05), Signals.tone(8000, 1200, 0.4, 16000), 12000);
    float[] offline;
    try (LogMel mel = new LogMel(o)) {
      offline = frameMajor(mel.compute(x));
    }
    try (LogMelStream s = new LogMelStream(o)) {
      s.push(x);
      assertEquals(0, s.available(), "one window: nothing before flush");
      assertEquals(0, s.read(10).length);
      s.flush();
      assertEquals(200, s.available());
      assertArrayEquals(offline, s.readAll());
    }
  }

  @Test
  void whisperWindowsAreReadableWhenComplete() {
    LogMelOptions o = LogMelOptions.builder().windowFrames(50).build();
    try (LogMelStream s = new LogMelStream(o)) {
      s.push(Signals.noise(23, 160 * 49, 0.1));
      assertEquals(0, s.available(), "window 0 not complete");
      s.push(Signals.noise(24, 160 * 5, 0.1));
      assertEquals(50, s.available(), "window 0 complete");
      float[] w0 = s.read(50);
      assertEquals(50 * 80, w0.length);
      float max = Float.NEGATIVE_INFINITY, min = Float.POSITIVE_INFINITY;
      for (float v : w0) {
        max = Math.max(max, v);
        min = Math.min(min, v);
      }
      assertTrue(max - min <= 2f + 1e-6f, "a window is floored at its maximum - 8 (then / 4)");
    }
  }

  @Test
  void framesAreFrameMajorAndComeAsSoonAsTheirSamples() {
    LogMelOptions o = LogMelTest.LOG10;
    float[] x = Signals.tone(4000, 440, 0.5, 16000);
    try (LogMel mel = new LogMel(o); LogMelStream s = new LogMelStream(o)) {
      MelSpectrogram off = mel.compute(x);
      // audio.h: frame t is ready when its last sample (t * hop + nFft - nFft / 2 samples), (t + 1) * hop
      // samples and nFft samples are there: Whisper's first two frames wait for 400, then one per hop
      s.push(x, 0, 399);
      assertEquals(0, s.available());
      s.push(x, 399, 1);
      assertEquals(2, s.available());
      s.push(x, 400, 119);
      assertEquals(2, s.available());
      s.push(x, 519, 1); // frame 2: 2 * 160 + 200 = 520 samples
      assertEquals(3, s.available());
      float[] two = new float[2 * 80 + 3];
      assertEquals(2, s.read(two));
      for (int m = 0; m < 80; ++m) {
        assertEquals(off.get(m, 0), two[m], "frame 0, band " + m);
        assertEquals(off.get(m, 1), two[80 + m], "frame 1, band " + m);
      }
      assertEquals(0, s.read(new float[79]), "room for no frame");
      assertEquals(80, s.nMels());
    }
  }

  @Test
  void directAndLongPushesGiveTheSameFrames() {
    LogMelOptions o = LogMelTest.LOG10;
    float[] x = Signals.noise(25, 200_000, 0.2); // longer than one critical piece
    float[] want = stream(o, x, 1000);
    try (LogMelStream s = new LogMelStream(o)) {
      s.push(x);
      s.flush();
      assertArrayEquals(want, s.readAll());
    }
    try (LogMelStream s = new LogMelStream(o)) {
      s.push(LogMelTest.direct(x));
      s.flush();
      assertArrayEquals(want, s.readAll());
    }
  }

  @Test
  void flushResetAndShortStreams() {
    try (LogMelStream s = new LogMelStream(LogMelTest.LOG10)) {
      s.push(new float[399]);
      s.flush();
      assertEquals(0, s.available(), "fewer than n_fft samples: no frame");
      s.flush(); // a second flush does nothing
      Expect.core(Status.INVALID_ARGUMENT, "core_logmel_stream_push", () -> s.push(new float[10]));
      Expect.core(Status.INVALID_ARGUMENT, "core_logmel_stream_push", () -> s.push(new float[0]));
      Expect.core(Status.INVALID_ARGUMENT, "core_logmel_stream_push", () -> s.push(LogMelTest.direct(new float[3])));
      s.reset();
      s.push(new float[1600]);
      s.flush();
      assertEquals(10, s.available());
      s.reset();
      assertEquals(0, s.available());
      assertThrows(IndexOutOfBoundsException.class, () -> s.push(new float[10], 5, 6));
      assertThrows(IndexOutOfBoundsException.class, () -> s.push(new float[10], -1, 2));
      assertThrows(IllegalArgumentException.class, () -> s.read(-1));
      assertThrows(NullPointerException.class, () -> s.push((float[]) null));
    }
  }

  @Test
  void closeTwiceAndUseAfterClose() {
    LogMelStream s = new LogMelStream();
    s.push(new float[1000]);
    s.close();
    s.close();
    assertTrue(s.isClosed());
    assertThrows(IllegalStateException.class, () -> s.push(new float[10]));
    assertThrows(IllegalStateException.class, s::flush);
    assertThrows(IllegalStateException.class, s::available);
    assertThrows(IllegalStateException.class, () -> s.read(1));
    assertThrows(IllegalStateException.class, s::reset);
    assertEquals(Mode.WHISPER, s.options().mode());
  }

  @Test
  void aSecondThreadIsRefusedNotCorrupting() throws Exception {
    try (LogMelStream s = new LogMelStream(LogMelTest.LOG10)) {
      float[] chunk = Signals.noise(26, 160_000, 0.1);
      AtomicBoolean refused = new AtomicBoolean();
      AtomicBoolean done = new AtomicBoolean();
      AtomicReference<Throwable> other = new AtomicReference<>();
      Thread t = new Thread(() -> {
        while (!done.get() && !refused.get()) {
          try {
            s.available();
          } catch (ConcurrentModificationException e) {
            refused.set(true);
          } catch (Throwable e) {
            other.set(e);
            return;
          }
        }
      });
      t.start();
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (!refused.get() && System.nanoTime() < deadline) {
        try {
          s.push(chunk);
          s.read(Integer.MAX_VALUE);
        } catch (ConcurrentModificationException e) { // the other thread was inside: refused here
          refused.set(true);
        }
      }
      done.set(true);
      t.join();
      assertEquals(null, other.get());
      assertTrue(refused.get(), "a call while another thread was inside one was refused");
      s.push(new float[160]); // still usable
    }
  }

  @Test
  void closeWaitsForACallInProgress() throws Exception {
    LogMelStream s = new LogMelStream(LogMelTest.LOG10);
    float[] big = Signals.noise(27, 3_000_000, 0.1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        s.push(big);
      } catch (IllegalStateException e) {
        // closed before the push started: fine
      } catch (Throwable e) {
        failure.set(e);
      }
    });
    t.start();
    Thread.sleep(5);
    s.close(); // waits for the push, then releases: no crash
    t.join();
    assertEquals(null, failure.get());
    assertTrue(s.isClosed());
  }
}
