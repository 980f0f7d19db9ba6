package dev.libcore;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The reference data of ../shared/testdata (real speech, Whisper's mel
 * filters), read in place, as the C tests do (tests/unit/testdata.h): the
 * folder is $LIBCORE_TESTDATA, else ../shared/testdata beside the source tree
 * (meson passes the tree as -Ddev.libcore.test.sourceRoot). A test that needs
 * a file it cannot find is SKIPPED, or FAILS when LIBCORE_REQUIRE_TESTDATA=1.
 */
final class TestData {
  private TestData() {}

  static Path folder() {
    String dir = System.getenv("LIBCORE_TESTDATA");
    if (dir != null && !dir.isEmpty()) {
      return Path.of(dir);
    }
    String root = System.getProperty("dev.libcore.test.sourceRoot");
    return root == null || root.isEmpty() ? null : Path.of(root).resolve("..").resolve("shared").resolve("testdata");
  }

  static boolean required() {
    return "1".equals(System.getenv("LIBCORE_REQUIRE_TESTDATA"));
  }

  /** The file's path, or the test ends as skipped (failed when required). */
  static Path path(String name) {
    Path dir = folder();
    Path p = dir == null ? null : dir.resolve(name).normalize();
    if (p == null || !Files.isReadable(p)) {
      String why = "test data " + name + " not found" + (dir == null ? "" : " in " + dir) + " (set LIBCORE_TESTDATA)";
      if (required()) {
        fail(why + " and LIBCORE_REQUIRE_TESTDATA=1");
      }
      Assumptions.assumeTrue(false, why);
    }
    return p;
  }

  /** A headerless little-endian float32 file. */
  static float[] f32(String name) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(path(name))).order(ByteOrder.LITTLE_ENDIAN);
    float[] x = new float[b.remaining() / 4];
    b.asFloatBuffer().get(x);
    return x;
  }
}
