package dev.libcore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * audio.h's chunked reader through AudioReader: on the shared test data
 * (jfk_16k.wav at its own rate, jfk_44k1_stereo_orig.flac resampled to
 * 16 kHz), reads in chunks of 1 (the first 4000 samples), 160, 4096 and
 * 10^6, and a mix of the array, range and direct-buffer reads, concatenate
 * to exactly AudioFile.read's samples; info equals AudioFile.info, total is
 * the sample count and done advances by each read. On WAV files written
 * here: NOT_FOUND, FORMAT (not audio, truncated header, a NaN met while
 * reading: the reader stays failed), argument errors, use after close.
 * Skipped, like AudioFileTest, when libcore has no audio file support or
 * the test data is missing.
 */
class AudioReaderTest {
  @TempDir
  static Path dir;

  private static boolean supported = true;

  /** A PCM16 WAV in this class's folder (AudioFileTest.wav writes to that class's own). */
  static Path wav(String name, int rate, int channels, short[] interleaved, int announcedFrames) throws IOException {
    return AudioFileTest.wavIn(dir, name, rate, channels, interleaved, announcedFrames);
  }

  @BeforeAll
  static void probe() throws IOException {
    Path p = wav("reader-probe.wav", 16000, 1, new short[16], -1);
    try {
      AudioReader.open(p.toString(), 0).close();
    } catch (CoreException e) {
      assertEquals(Status.UNSUPPORTED, e.status(), e.getMessage());
      supported = false;
    }
  }

  static void requireSupport() {
    Assumptions.assumeTrue(supported, "libcore built without audio file support (-Daudio_io=disabled)");
  }

  /** Reads the rest in chunks of n with read(int), checking done() after each read. */
  static float[] readAll(AudioReader r, int n) {
    float[] all = new float[(int) r.remaining()];
    int at = (int) r.done();
    int start = at;
    while (true) {
      float[] chunk = r.read(n);
      if (chunk.length == 0) {
        break;
      }
      assertTrue(chunk.length <= n, "a chunk larger than asked");
      System.arraycopy(chunk, 0, all, at - start, chunk.length);
      at += chunk.length;
      assertEquals(at, r.done(), "done after a read");
      if (chunk.length < n) {
        assertEquals(r.total(), r.done(), "fewer than asked only at the end");
      }
    }
    assertEquals(all.length, at - start);
    return all;
  }

  // ---- the shared test data ------------------------------------------------------------------

  @Test
  void jfkInChunksOf160And4096AndAMillionIsTheWholeRead() {
    requireSupport();
    String wav = TestData.path("jfk_16k.wav").toString();
    float[] whole = AudioFile.read(wav, 0);
    AudioInfo info = AudioFile.info(wav);
    for (int n : new int[] {160, 4096, 1_000_000}) {
      try (AudioReader r = AudioReader.open(wav)) {
        assertEquals(info, r.info());
        assertEquals(16000, r.sampleRate());
        assertEquals(whole.length, r.total());
        assertEquals(0, r.done());
        float[] got = readAll(r, n);
        assertArrayEquals(whole, got, "chunks of " + n);
        assertEquals(whole.length, r.done());
        assertEquals(0, r.remaining());
        assertEquals(0, r.read(n).length, "empty at the end");
        assertEquals(0, r.read(new float[8]), "0 at the end");
        assertEquals(info, r.info(), "info after the end");
      }
    }
  }

  @Test
  void jfkInChunksOfOneSample() {
    requireSupport();
    String wav = TestData.path("jfk_16k.wav").toString();
    float[] whole = AudioFile.read(wav, 0);
    try (AudioReader r = AudioReader.open(wav, 16000)) {
      float[] first = new float[4000];
      for (int i = 0; i < first.length; ++i) {
        float[] one = r.read(1);
        assertEquals(1, one.length);
        first[i] = one[0];
        assertEquals(i + 1, r.done());
      }
      assertArrayEquals(Arrays.copyOf(whole, 4000), first);
      // the rest in one read continues exactly there
      assertArrayEquals(Arrays.copyOfRange(whole, 4000, whole.length), r.read(Integer.MAX_VALUE));
    }
  }

  @Test
  void resampledStereoFlacInChunksIsTheWholeRead() {
    requireSupport();
    String flac = TestData.path("jfk_44k1_stereo_orig.flac").toString();
    float[] whole = AudioFile.read(flac, 16000);
    assertEquals(176000, whole.length);
    for (int n : new int[] {160, 4096, 1_000_000}) {
      try (AudioReader r = AudioReader.open(flac, 16000)) {
        assertEquals(AudioFile.info(flac), r.info());
        assertEquals(16000, r.sampleRate());
        assertEquals(176000, r.total());
        assertArrayEquals(whole, readAll(r, n), "resampled, chunks of " + n);
      }
    }
  }

  /** The three read paths mixed, with uneven sizes: still the same stream. */
  @Test
  void arrayRangeAndDirectReadsMix() {
    requireSupport();
    String flac = TestData.path("jfk_16k.flac").toString();
    float[] whole = AudioFile.read(flac, 0);
    float[] got = new float[whole.length + 10];
    int at = 0;
    int[] sizes = {1, 777, 4096, 4097, 100_000, 3, 65_537};
    FloatBuffer direct = ByteBuffer.allocateDirect(4 * 70_000).order(ByteOrder.nativeOrder()).asFloatBuffer();
    try (AudioReader r = AudioReader.open(flac, 0)) {
      for (int i = 0; at < whole.length; ++i) {
        int n = sizes[i % sizes.length];
        int k;
        switch (i % 3) {
          case 0:
            k = r.read(got, at, Math.min(n, got.length - at));
            break;
          case 1: {
            float[] buf = new float[n];
            k = r.read(buf);
            System.arraycopy(buf, 0, got, at, k);
            break;
          }
          default: {
            direct.clear().limit(Math.min(n, direct.capacity()));
            k = (int) r.read(direct);
            assertEquals(0, direct.position(), "position unchanged");
            direct.get(got, at, k);
          }
        }
        assertTrue(k > 0, "a read before the end gave nothing");
        at += k;
        assertEquals(at, r.done());
      }
      assertEquals(whole.length, at);
      assertEquals(0, r.read(got, 0, 10));
      assertEquals(0, r.read(direct.clear()));
    }
    assertArrayEquals(whole, Arrays.copyOf(got, whole.length));
  }

  // ---- WAV files written here ----------------------------------------------------------------

  @Test
  void countsAndInfoOnASmallFile() throws IOException {
    requireSupport();
    short[] pcm = AudioFileTest.ramp(16001);
    String s = wav("reader-small.wav", 16000, 1, pcm, -1).toString();
    try (AudioReader r = AudioReader.open(s, 8000)) {
      assertEquals(8001, r.total(), "16001 * 8000 / 16000, halves up");
      assertEquals(8000, r.sampleRate());
      assertEquals(16001, r.info().frames());
      assertEquals(16000, r.info().sampleRate());
      assertArrayEquals(AudioFile.read(s, 8000), readAll(r, 333));
    }
    String empty = wav("reader-empty.wav", 16000, 1, new short[0], -1).toString();
    try (AudioReader r = AudioReader.open(empty)) {
      assertEquals(0, r.total());
      assertEquals(0, r.read(100).length);
      assertEquals(0, r.done());
    }
  }

  @Test
  void aMissingFileIsNotFound() {
    requireSupport();
    String missing = dir.resolve("no-such-file.wav").toString();
    Expect.core(Status.NOT_FOUND, "core_audio_open", () -> AudioReader.open(missing, 16000));
  }

  @Test
  void nonAudioAndTruncatedFilesAreFormat() throws IOException {
    requireSupport();
    Path text = dir.resolve("reader-text.wav");
    Files.writeString(text, "this is not audio at all, just some text in a file named .wav\n".repeat(20));
    Expect.core(Status.FORMAT, "core_audio_open", () -> AudioReader.open(text.toString(), 0));
    Path zero = dir.resolve("reader-zero.wav");
    Files.write(zero, new byte[0]);
    Expect.core(Status.FORMAT, "core_audio_open", () -> AudioReader.open(zero.toString(), 0));
    Path cut = wav("reader-cut.wav", 16000, 1, AudioFileTest.ramp(1000), 2000);
    Expect.core(Status.FORMAT, "core_audio_open", () -> AudioReader.open(cut.toString(), 0));
    Expect.core(Status.IO, "core_audio_open", () -> AudioReader.open(dir.toString(), 0));
  }

  /** A float WAV with a NaN at sample 9000: the samples before it, then FORMAT, again and again. */
  @Test
  void damageMetWhileReadingFailsTheReaderForGood() throws IOException {
    requireSupport();
    int n = 12000;
    ByteBuffer b = ByteBuffer.allocate(44 + 4 * n).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + 4 * n);
    b.put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16);
    b.putShort((short) 3).putShort((short) 1).putInt(16000).putInt(16000 * 4).putShort((short) 4).putShort((short) 32);
    b.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(4 * n);
    for (int i = 0; i < n; ++i) {
      b.putFloat(i == 9000 ? Float.NaN : (i % 100) / 100f);
    }
    Path p = dir.resolve("reader-nan.wav");
    Files.write(p, b.array());
    try (AudioReader r = AudioReader.open(p.toString(), 0)) {
      assertEquals(n, r.total());
      long before = 0;
      CoreException first = null;
      while (first == null) {
        try {
          float[] chunk = r.read(1000);
          assertEquals(1000, chunk.length, "no early end");
          for (int i = 0; i < chunk.length; ++i) {
            assertEquals(((before + i) % 100) / 100f, chunk[i]);
          }
          before += chunk.length;
        } catch (CoreException e) {
          first = e;
        }
      }
      assertEquals(Status.FORMAT, first.status(), first.getMessage());
      assertTrue(before <= 9000, "the NaN's chunk was not given: " + before);
      assertEquals(before, r.done(), "done counts the successful reads only");
      CoreException again = Expect.core(Status.FORMAT, "core_audio_reader_read", () -> r.read(10));
      assertEquals(first.detail(), again.detail(), "the failure repeats");
      Expect.core(Status.FORMAT, "core_audio_reader_read", () -> r.read(new float[5]));
      assertEquals(n, r.info().frames(), "info answers on a failed reader");
    }
  }

  @Test
  void badArgumentsAreJavaErrors() throws IOException {
    requireSupport();
    String s = wav("reader-args.wav", 16000, 1, AudioFileTest.ramp(5000), -1).toString();
    assertThrows(IllegalArgumentException.class, () -> AudioReader.open(s, -1));
    assertThrows(IllegalArgumentException.class, () -> AudioReader.open("a\0b.wav", 0));
    assertThrows(NullPointerException.class, () -> AudioReader.open((String) null, 0));
    Expect.core(Status.INVALID_ARGUMENT, "core_audio_open", () -> AudioReader.open(s, 384001));
    try (AudioReader r = AudioReader.open(s, 0)) {
      assertThrows(IllegalArgumentException.class, () -> r.read(-1));
      assertThrows(IndexOutOfBoundsException.class, () -> r.read(new float[4], 2, 3));
      assertThrows(IndexOutOfBoundsException.class, () -> r.read(new float[4], -1, 1));
      assertThrows(NullPointerException.class, () -> r.read((float[]) null));
      assertThrows(IllegalArgumentException.class, () -> r.read(FloatBuffer.allocate(4)), "not direct");
      assertEquals(0, r.done(), "refused calls read nothing");
      // an oversized count allocates and reads only what remains
      assertEquals(5000, r.read(Integer.MAX_VALUE).length);
      assertEquals(0, r.read(Integer.MAX_VALUE).length);
    }
  }

  @Test
  void closeIsIdempotentAndUseAfterCloseThrows() throws IOException {
    requireSupport();
    String s = wav("reader-close.wav", 16000, 1, AudioFileTest.ramp(1000), -1).toString();
    AudioReader r = AudioReader.open(s, 0);
    assertEquals(10, r.read(10).length);
    r.close();
    r.close();
    assertTrue(r.isClosed());
    assertTrue(r.toString().contains("closed"), r.toString());
    assertThrows(IllegalStateException.class, () -> r.read(10));
    assertThrows(IllegalStateException.class, () -> r.read(new float[3]));
    assertThrows(IllegalStateException.class,
        () -> r.read(ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder()).asFloatBuffer()));
    assertThrows(IllegalStateException.class, r::info);
    assertThrows(IllegalStateException.class, r::total);
    assertThrows(IllegalStateException.class, r::done);
  }
}
