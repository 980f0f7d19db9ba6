package dev.libcore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dev.libcore.Collection (core_collection_run through
 * bindings/collection_shim.h): per-file statuses in input order, the JSON
 * record, the .npy features (atomic write, frame count), an output that
 * cannot be written, thread-count invariance, options refused by libcore
 * (by name) or by Java, and the nested VAD / log-mel options really
 * reaching libcore. Real speech comes from the shared test data
 * (TestData: skipped when missing, as AudioFileTest); a synthetic WAV
 * written here covers the rest. A libcore built without audio files
 * (-Daudio_io=disabled) refuses every run with UNSUPPORTED: the file tests
 * then skip, and that answer itself is checked.
 */
class CollectionTest {
  @TempDir
  static Path dir;

  private static boolean supported = true;

  @BeforeAll
  static void probe() {
    try {
      Collection.run(List.of());
    } catch (CoreException e) {
      assertEquals(Status.UNSUPPORTED, e.status(), e.getMessage());
      assertTrue(e.detail().contains("core_collection_run"), e.detail());
      supported = false;
    }
  }

  private static void requireSupport() {
    Assumptions.assumeTrue(supported, "libcore built without audio file support (-Daudio_io=disabled)");
  }

  private static String jfk() {
    return TestData.path("jfk_16k.wav").toString();
  }

  /** A text file with an audio name: libsndfile cannot read it. */
  private static String notAudio() throws IOException {
    Path p = dir.resolve("x.wav");
    Files.write(p, "this is not audio, only text\n".getBytes(StandardCharsets.US_ASCII));
    return p.toString();
  }

  @Test
  void statusesInInputOrder() throws IOException {
    requireSupport();
    String jfk = jfk();
    String missing = dir.resolve("no_such_file.wav").toString();
    String text = notAudio();
    List<Collection.FileResult> rs = Collection.run(List.of(jfk, missing, text));
    assertEquals(3, rs.size());
    assertEquals(Status.OK, rs.get(0).status(), rs.get(0).toString());
    assertEquals(Status.NOT_FOUND, rs.get(1).status(), rs.get(1).toString());
    assertEquals(Status.FORMAT, rs.get(2).status(), rs.get(2).toString());
    assertEquals(List.of(jfk, missing, text), List.of(rs.get(0).path(), rs.get(1).path(), rs.get(2).path()));
    assertTrue(rs.get(0).ok());
    assertFalse(rs.get(1).ok());
    assertFalse(rs.get(2).ok());
    assertEquals("", rs.get(0).message());
    assertFalse(rs.get(1).message().isEmpty());
    assertFalse(rs.get(2).message().isEmpty());
    assertEquals(Status.NOT_FOUND.code(), rs.get(1).code());

    Collection.FileResult r = rs.get(0);
    float[] whole = AudioFile.read(jfk, 16000);
    assertEquals(whole.length, r.samples(), "the collection reads the whole file");
    assertEquals(whole.length / 16000.0, r.duration(), 1e-12);
    assertTrue(r.rms() > 0, "speech has energy");
    assertTrue(r.segments() > 0 && r.speech() > 0 && r.speech() <= r.duration(),
        "speech found: " + r.segments() + " segments, " + r.speech() + " s");
    assertEquals(0, r.melFrames(), "no features by default");
    assertTrue(r.json().startsWith("{\"path\":"), r.json());
    assertTrue(r.json().contains("\"status\":\"CORE_OK\""), r.json());
    assertTrue(r.json().contains("\"samples\":" + whole.length + ","), r.json());
    assertFalse(r.json().contains("\n"), "one line");
    assertTrue(rs.get(1).json().contains("\"status\":\"CORE_E_NOT_FOUND\""), rs.get(1).json());
    assertTrue(rs.get(2).json().contains("\"status\":\"CORE_E_FORMAT\""), rs.get(2).json());
    assertThrows(UnsupportedOperationException.class, () -> rs.add(r), "the list is read-only");
  }

  /** No test data needed: a WAV written here, checked against AudioFile.read. */
  @Test
  void syntheticWav() throws IOException {
    requireSupport();
    short[] pcm = AudioFileTest.ramp(20000);
    String p = AudioFileTest.wavIn(dir, "ramp.wav", 16000, 1, pcm, -1).toString();
    Collection.FileResult r = Collection.run(List.of(p)).get(0);
    assertEquals(Status.OK, r.status(), r.toString());
    assertEquals(20000, r.samples());
    float[] x = AudioFile.read(p, 16000);
    double sq = 0;
    for (float v : x) {
      sq += (double) v * v;
    }
    assertEquals(Math.sqrt(sq / x.length), r.rms(), 1e-12);
    assertEquals(20000 / 16000.0, r.duration(), 1e-15);
  }

  @Test
  void featuresWriteNpyAtomically() throws IOException {
    requireSupport();
    Path out = Files.createDirectories(dir.resolve("features")).resolve("jfk.npy");
    Collection.Options o = Collection.Options.builder().features(true).build();
    Collection.FileResult r = Collection.run(List.of(jfk()), List.of(out.toString()), o).get(0);
    assertEquals(Status.OK, r.status(), r.toString());
    assertEquals(r.samples() / 160, r.melFrames(), "one frame per 10 ms hop");
    assertTrue(r.json().contains("\"mel_frames\":" + r.melFrames()), r.json());
    byte[] npy = Files.readAllBytes(out);
    assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'}, Arrays.copyOf(npy, 6));
    assertNpy(npy, r.melFrames(), 80);
    try (Stream<Path> files = Files.list(out.getParent())) {
      List<String> names = new ArrayList<>();
      files.forEach(f -> names.add(f.getFileName().toString()));
      assertEquals(List.of("jfk.npy"), names, "no .partial left");
    }
  }

  /** The header names the shape, and the data after it is frames x bands float32. */
  private static void assertNpy(byte[] npy, long frames, int bands) {
    ByteBuffer b = ByteBuffer.wrap(npy).order(ByteOrder.LITTLE_ENDIAN);
    int major = npy[6];
    int headerLen = major == 1 ? Short.toUnsignedInt(b.getShort(8)) : b.getInt(8);
    int start = (major == 1 ? 10 : 12) + headerLen;
    String header = new String(npy, 0, start, StandardCharsets.US_ASCII);
    assertTrue(header.contains("(" + frames + ", " + bands + ")"), header);
    assertTrue(header.contains("'<f4'"), header);
    assertEquals(start + frames * bands * 4, npy.length, "data size");
  }

  @Test
  void outputInMissingFolderFailsThatFileOnly() {
    requireSupport();
    String jfk = jfk();
    Path good = dir.resolve("good.npy");
    Path bad = dir.resolve("no_such_folder").resolve("bad.npy");
    Collection.Options o = Collection.Options.builder().features(true).build();
    List<Collection.FileResult> rs =
        Collection.run(List.of(jfk, jfk, jfk), Arrays.asList(good.toString(), bad.toString(), null), o);
    assertEquals(Status.OK, rs.get(0).status(), rs.get(0).toString());
    assertEquals(Status.NOT_FOUND, rs.get(1).status(), rs.get(1).toString());
    assertFalse(rs.get(1).message().isEmpty());
    assertEquals(Status.OK, rs.get(2).status(), rs.get(2).toString());
    assertTrue(Files.isRegularFile(good));
    assertFalse(Files.exists(bad.getParent()));
    assertTrue(rs.get(0).melFrames() > 0);
    assertEquals(0, rs.get(2).melFrames(), "no output: no features");
    assertTrue(rs.get(2).json().contains("\"features\":null"), rs.get(2).json());
  }

  @Test
  void threadCountDoesNotChangeResults() throws IOException {
    requireSupport();
    List<String> paths = List.of(jfk(), notAudio(), jfk(), AudioFileTest.wavIn(dir, "r.wav", 8000, 2,
        AudioFileTest.ramp(8000), -1).toString());
    List<String> one;
    List<String> two;
    try {
      Core.setNumThreads(1);
      one = jsons(Collection.run(paths));
      Core.setNumThreads(2);
      two = jsons(Collection.run(paths));
    } finally {
      Core.setNumThreads(0);
    }
    assertEquals(one, two);
    assertTrue(one.get(3).contains("\"status\":\"CORE_OK\""), one.get(3));
    // a different chunking gives the same bytes too (collection.h)
    assertEquals(one, jsons(Collection.run(paths, null, Collection.Options.builder().chunkSamples(4000).build())));
  }

  private static List<String> jsons(List<Collection.FileResult> rs) {
    List<String> v = new ArrayList<>();
    for (Collection.FileResult r : rs) {
      v.add(r.json());
    }
    return v;
  }

  @Test
  void optionsRefusedByLibcoreNameTheField() {
    requireSupport();
    List<String> paths = List.of(dir.resolve("never_read.wav").toString());
    CoreException e = Expect.core(Status.INVALID_ARGUMENT, "core_collection_run",
        () -> Collection.run(paths, null, Collection.Options.builder().sampleRate(999).build()));
    assertTrue(e.detail().contains("sample_rate"), e.detail());
    e = Expect.core(Status.INVALID_ARGUMENT, "core_collection_run",
        () -> Collection.run(paths, null, Collection.Options.builder().chunkSamples(0).build()));
    assertTrue(e.detail().contains("chunk_samples"), e.detail());
    // the nested options reach libcore: bad ones are refused by name
    e = Expect.core(Status.INVALID_ARGUMENT, "core_collection_run", () -> Collection.run(paths, null,
        Collection.Options.builder().vadOptions(VadOptions.builder().threshold(2f).build()).build()));
    assertTrue(e.detail().contains("vad_options"), e.detail());
    e = Expect.core(Status.INVALID_ARGUMENT, "core_collection_run", () -> Collection.run(paths, null,
        Collection.Options.builder().features(true).logMelOptions(LogMelOptions.builder().nMels(0).build())
            .build()));
    assertTrue(e.detail().contains("logmel_options"), e.detail());
  }

  @Test
  void nestedLogMelOptionsAreUsed() throws IOException {
    requireSupport();
    Path out = dir.resolve("mel40.npy");
    Collection.Options o = Collection.Options.builder().features(true)
        .logMelOptions(LogMelOptions.builder().nMels(40).build()).build();
    Collection.FileResult r = Collection.run(List.of(jfk()), List.of(out.toString()), o).get(0);
    assertEquals(Status.OK, r.status(), r.toString());
    assertNpy(Files.readAllBytes(out), r.melFrames(), 40);
  }

  @Test
  void vadOffAndMaxSegments() {
    requireSupport();
    String jfk = jfk();
    Collection.FileResult off = Collection.run(List.of(jfk), null, Collection.Options.builder().vad(false).build())
        .get(0);
    assertEquals(Status.OK, off.status(), off.toString());
    assertEquals(0, off.segments());
    assertEquals(0.0, off.speech());
    Collection.FileResult capped =
        Collection.run(List.of(jfk), null, Collection.Options.builder().maxSegments(0).build()).get(0);
    assertTrue(capped.segments() > 0, "segments found are counted beyond the cap");
    assertTrue(capped.json().contains("\"segments\":[]"), capped.json());
    assertTrue(capped.json().contains("\"segments_total\":" + capped.segments()), capped.json());
  }

  @Test
  void zeroFilesGiveAnEmptyList() {
    requireSupport();
    assertTrue(Collection.run(List.of()).isEmpty());
    assertTrue(Collection.run(List.of(), List.of(), Collection.Options.defaults()).isEmpty());
  }

  /** What only Java can see is refused before anything native exists. */
  @Test
  void argumentsCheckedInJava() {
    List<String> one = List.of("a.wav");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Collection.run(one, List.of("a.npy", "b.npy"), null));
    assertTrue(e.getMessage().contains("outputs"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Collection.run(one, List.of(), null));
    assertThrows(NullPointerException.class, () -> Collection.run(null));
    assertThrows(NullPointerException.class, () -> Collection.run(Arrays.asList("a.wav", null)));
    assertThrows(IllegalArgumentException.class, () -> Collection.run(List.of("a\0.wav")));
    assertThrows(IllegalArgumentException.class, () -> Collection.run(one, List.of("a\0.npy"), null));
    assertThrows(IllegalArgumentException.class, () -> Collection.Options.builder().sampleRate(-1));
    assertThrows(IllegalArgumentException.class, () -> Collection.Options.builder().chunkSamples(-1));
    assertThrows(IllegalArgumentException.class, () -> Collection.Options.builder().maxSegments(-1));
  }

  /** The defaults are libcore's (core_collection_options_init), not re-typed in Java. */
  @Test
  void defaults() {
    Collection.Options d = Collection.Options.defaults();
    assertEquals(16000, d.sampleRate());
    assertEquals(65536, d.chunkSamples());
    assertTrue(d.vad());
    assertFalse(d.features());
    assertEquals(100000, d.maxSegments());
    assertEquals(null, d.vadOptions());
    assertEquals(null, d.logMelOptions());
    assertEquals(d, Collection.Options.builder().build());
    assertEquals(d.hashCode(), d.toBuilder().build().hashCode());
    assertFalse(d.equals(d.toBuilder().features(true).build()));
  }
}
