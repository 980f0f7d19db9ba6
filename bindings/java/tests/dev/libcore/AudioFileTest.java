package dev.libcore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** audio.h's file reading through AudioFile and AudioInfo, on WAV files written here and on the test data. */
class AudioFileTest {
  @TempDir
  static Path dir;

  /** A canonical 44-byte-header PCM16 WAV of interleaved samples; dataFrames announced (-1: the real count). */
  static Path wav(String name, int rate, int channels, short[] interleaved, int announcedFrames) throws IOException {
    return wavIn(dir, name, rate, channels, interleaved, announcedFrames);
  }

  /** The same in any folder (AudioReaderTest writes to its own). */
  static Path wavIn(Path folder, String name, int rate, int channels, short[] interleaved, int announcedFrames)
      throws IOException {
    int frames = interleaved.length / channels;
    int announced = announcedFrames < 0 ? frames : announcedFrames;
    ByteBuffer b = ByteBuffer.allocate(44 + 2 * interleaved.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + 2 * channels * announced);
    b.put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16);
    b.putShort((short) 1).putShort((short) channels).putInt(rate).putInt(rate * channels * 2);
    b.putShort((short) (channels * 2)).putShort((short) 16);
    b.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(2 * channels * announced);
    for (short v : interleaved) {
      b.putShort(v);
    }
    Path p = folder.resolve(name);
    Files.write(p, b.array());
    return p;
  }

  static short[] ramp(int n) {
    short[] x = new short[n];
    for (int i = 0; i < n; ++i) {
      x[i] = (short) ((i * 7919L) % 65536 - 32768); // every corner of int16, deterministic
    }
    x[0] = Short.MIN_VALUE;
    x[1] = Short.MAX_VALUE;
    x[2] = 0;
    return x;
  }

  private static boolean supported = true;

  /** A libcore built with -Daudio_io=disabled answers UNSUPPORTED: the file tests are then skipped. */
  @BeforeAll
  static void probe() throws IOException {
    Path p = wav("probe.wav", 16000, 1, new short[16], -1);
    try {
      AudioFile.info(p.toString());
    } catch (CoreException e) {
      assertEquals(Status.UNSUPPORTED, e.status(), e.getMessage());
      supported = false;
    }
  }

  static void requireSupport() {
    Assumptions.assumeTrue(supported, "libcore built without audio file support (-Daudio_io=disabled)");
  }

  /** In a build with -Daudio_io=disabled every call is UNSUPPORTED (after the Java checks); else it works. */
  @Test
  void withoutAudioIoEveryCallIsUnsupported() throws IOException {
    String s = wav("any.wav", 16000, 1, ramp(100), -1).toString();
    if (supported) {
      assertEquals(100, AudioFile.info(s).frames());
      return;
    }
    Expect.core(Status.UNSUPPORTED, "core_audio_info", () -> AudioFile.info(s));
    Expect.core(Status.UNSUPPORTED, "core_audio_read", () -> AudioFile.read(s, 16000));
    Expect.core(Status.UNSUPPORTED, "core_audio_read", () -> AudioFile.sampleCount(s, 0));
    Expect.core(Status.UNSUPPORTED, "core_audio_read",
        () -> AudioFile.read(s, 0, ByteBuffer.allocateDirect(400).order(ByteOrder.nativeOrder()).asFloatBuffer()));
    assertThrows(IllegalArgumentException.class, () -> AudioFile.read(s, -1));
  }

  @Test
  void monoPcm16ReadsBackAsInt16Over32768() throws IOException {
    requireSupport();
    short[] pcm = ramp(16000 + 123);
    Path p = wav("mono.wav", 16000, 1, pcm, -1);
    float[] x = AudioFile.read(p.toString());
    assertEquals(pcm.length, x.length);
    for (int i = 0; i < pcm.length; ++i) {
      assertEquals(pcm[i] / 32768f, x[i], "sample " + i); // exact
    }
    assertArrayEquals(x, AudioFile.read(p, 16000), "the file's own rate");
    assertArrayEquals(Pcm.decode(pcm), x);
  }

  @Test
  void infoReportsTheHeader() throws IOException {
    requireSupport();
    Path p = wav("info.wav", 22050, 2, new short[2 * 11025], -1);
    AudioInfo info = AudioFile.info(p.toString());
    assertEquals(22050, info.sampleRate());
    assertEquals(2, info.channels());
    assertEquals(11025, info.frames());
    assertEquals(0.5, info.duration(), 1e-12);
    assertEquals(AudioInfo.Format.WAV, info.format());
    assertEquals(16, info.bits());
    assertEquals(info, AudioFile.info(p));
    assertTrue(info.toString().contains("22050"), info.toString());
  }

  @Test
  void channelsAreAveraged() throws IOException {
    requireSupport();
    short[] stereo = new short[2 * 1000];
    for (int i = 0; i < 1000; ++i) {
      stereo[2 * i] = (short) (i * 30);
      stereo[2 * i + 1] = (short) (-i * 10);
    }
    float[] x = AudioFile.read(wav("stereo.wav", 16000, 2, stereo, -1).toString());
    assertEquals(1000, x.length);
    for (int i = 0; i < 1000; ++i) {
      assertEquals((stereo[2 * i] / 32768f + stereo[2 * i + 1] / 32768f) / 2, x[i], 1e-7f, "sample " + i);
    }
  }

  @Test
  void resamplingGivesTheCountTheHeaderFixes() throws IOException {
    requireSupport();
    short[] pcm = new short[16001];
    float[] tone = Signals.tone(pcm.length, 440, 0.5, 16000);
    for (int i = 0; i < pcm.length; ++i) {
      pcm[i] = (short) Math.round(tone[i] * 32767);
    }
    Path p = wav("tone.wav", 16000, 1, pcm, -1);
    String s = p.toString();
    float[] half = AudioFile.read(s, 8000);
    assertEquals(8001, half.length, "16001 * 8000 / 16000 = 8000.5, rounded half up");
    assertEquals(8001, AudioFile.sampleCount(s, 8000));
    assertEquals(16001, AudioFile.sampleCount(s, 0));
    float[] up = AudioFile.read(s, 48000);
    assertEquals(48003, up.length);
    // a band-limited resampler keeps a 440 Hz tone: its RMS stays amplitude / sqrt(2)
    assertEquals(0.5 / Math.sqrt(2), Reductions.rms(java.util.Arrays.copyOfRange(half, 400, 7600)), 0.01);
    Expect.core(Status.INVALID_ARGUMENT, "core_audio_read", () -> AudioFile.read(s, 384001));
    assertThrows(IllegalArgumentException.class, () -> AudioFile.read(s, -1));
  }

  @Test
  void readIntoADirectBuffer() throws IOException {
    requireSupport();
    short[] pcm = ramp(5000);
    String s = wav("direct.wav", 16000, 1, pcm, -1).toString();
    FloatBuffer out = ByteBuffer.allocateDirect(4 * 5002).order(ByteOrder.nativeOrder()).asFloatBuffer();
    assertEquals(5000, AudioFile.read(s, 0, out));
    assertEquals(0, out.position());
    float[] got = new float[5000];
    out.get(got);
    assertArrayEquals(AudioFile.read(s), got);
    FloatBuffer small = ByteBuffer.allocateDirect(4 * 4999).order(ByteOrder.nativeOrder()).asFloatBuffer();
    Expect.core(Status.BUFFER_TOO_SMALL, "core_audio_read", () -> AudioFile.read(s, 0, small));
  }

  @Test
  void anEmptyDataChunkIsNoSamples() throws IOException {
    requireSupport();
    Path p = wav("empty.wav", 16000, 1, new short[0], -1);
    assertEquals(0, AudioFile.read(p.toString()).length);
    assertEquals(0, AudioFile.info(p.toString()).frames());
  }

  @Test
  void aMissingFileIsNotFound() {
    requireSupport();
    String missing = dir.resolve("no-such-file.wav").toString();
    Expect.core(Status.NOT_FOUND, "core_audio_info", () -> AudioFile.info(missing));
    Expect.core(Status.NOT_FOUND, "core_audio_read", () -> AudioFile.read(missing, 16000));
    Expect.core(Status.NOT_FOUND, "core_audio_read", () -> AudioFile.sampleCount(missing, 0));
  }

  @Test
  void garbageTruncatedAndEmptyFilesAreFormat() throws IOException {
    requireSupport();
    Path garbage = dir.resolve("garbage.wav");
    byte[] junk = new byte[4096];
    new java.util.SplittableRandom(9).nextBytes(junk);
    Files.write(garbage, junk);
    Expect.core(Status.FORMAT, "core_audio_info", () -> AudioFile.info(garbage.toString()));
    Expect.core(Status.FORMAT, "core_audio_read", () -> AudioFile.read(garbage.toString()));
    Path text = dir.resolve("text.wav");
    Files.writeString(text, "this is not audio at all, just some text in a file named .wav\n".repeat(20));
    Expect.core(Status.FORMAT, "core_audio_read", () -> AudioFile.read(text.toString()));
    Path zero = dir.resolve("zero.wav");
    Files.write(zero, new byte[0]);
    Expect.core(Status.FORMAT, "core_audio_read", () -> AudioFile.read(zero.toString()));
    Path cut = wav("cut.wav", 16000, 1, ramp(1000), 2000); // the header announces more than the file holds
    Expect.core(Status.FORMAT, "core_audio_info", () -> AudioFile.info(cut.toString()));
    Expect.core(Status.FORMAT, "core_audio_read", () -> AudioFile.read(cut.toString()));
  }

  @Test
  void aDirectoryIsIoAndBadPathsAreJavaErrors() {
    requireSupport();
    Expect.core(Status.IO, "core_audio_info", () -> AudioFile.info(dir.toString()));
    assertThrows(IllegalArgumentException.class, () -> AudioFile.read("a\0b.wav"));
    assertThrows(NullPointerException.class, () -> AudioFile.read((String) null));
    assertThrows(NullPointerException.class, () -> AudioFile.info((Path) null));
  }

  // ---- the shared test data --------------------------------------------------------------

  @Test
  void jfkWavIsTheReferenceSamples() throws IOException {
    requireSupport();
    String wav = TestData.path("jfk_16k.wav").toString();
    AudioInfo info = AudioFile.info(wav);
    assertEquals(16000, info.sampleRate());
    assertEquals(1, info.channels());
    assertEquals(176000, info.frames());
    assertEquals(11.0, info.duration(), 1e-12);
    assertEquals(AudioInfo.Format.WAV, info.format());
    assertEquals(16, info.bits());
    float[] x = AudioFile.read(wav, 16000);
    assertEquals(176000, x.length);
    assertArrayEquals(TestData.f32("jfk_16k.f32"), x, "int16 / 32768, bit for bit");
    AudioInfo flac = AudioFile.info(TestData.path("jfk_16k.flac").toString());
    assertEquals(AudioInfo.Format.FLAC, flac.format());
    assertEquals(16, flac.bits());
    assertArrayEquals(x, AudioFile.read(TestData.path("jfk_16k.flac").toString()), "lossless");
  }

  @Test
  void jfk44kStereoFlacResampledMatchesThe16kFile() throws IOException {
    requireSupport();
    String flac = TestData.path("jfk_44k1_stereo_orig.flac").toString();
    AudioInfo info = AudioFile.info(flac);
    assertEquals(44100, info.sampleRate());
    assertEquals(2, info.channels());
    assertEquals(485100, info.frames());
    assertEquals(24, info.bits());
    float[] x = AudioFile.read(flac, 16000);
    assertEquals(176000, x.length);
    float[] ref = TestData.f32("jfk_16k.f32");
    assertTrue(Reductions.corrcoef(x, ref) > 0.9999, "corr " + Reductions.corrcoef(x, ref));
  }

  @Test
  void jfkThroughLogMelAndVad() throws IOException {
    requireSupport();
    float[] x = AudioFile.read(TestData.path("jfk_16k.wav").toString(), 16000);
    try (LogMel mel = new LogMel()) {
      MelSpectrogram s = mel.compute(x);
      assertEquals(80, s.nMels());
      assertEquals(1100, s.nFrames());
      float max = Float.NEGATIVE_INFINITY, min = Float.POSITIVE_INFINITY;
      for (float v : s.values()) {
        assertTrue(Float.isFinite(v));
        max = Math.max(max, v);
        min = Math.min(min, v);
      }
      assertTrue(max - min <= 2f + 1e-6f && max > 0.5f, "WHISPER range [" + min + ", " + max + "]");
      assertEquals(s, mel.computeBatch(new float[][] {x})[0]);
    }
    List<Segment> speech = Vad.segments(x, VadOptions.defaults());
    assertFalse(speech.isEmpty());
    long covered = 0;
    for (Segment seg : speech) {
      assertTrue(seg.end() <= x.length && seg.start() < seg.end(), seg.toString());
      covered += seg.length();
    }
    assertTrue(covered > 16000 * 5, "JFK speaks for most of the 11 s: " + speech);
    assertEquals(speech, VadTest.pushInChunks(VadOptions.defaults(), x, 4096));
  }
}
