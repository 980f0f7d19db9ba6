package dev.libcore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Finding libcore_java.so, and the message when it cannot be found. */
class NativeLibraryTest {
  @Test
  void loadedFromAFile() {
    NativeLibrary.load(); // idempotent
    String where = NativeLibrary.location();
    assertTrue(where.endsWith(System.mapLibraryName(NativeLibrary.NAME)), where);
  }

  @Test
  void anOlderOrForeignLibcoreIsRefused() {
    NativeLibrary.checkVersion(Core.versionNumber(), Core.abiVersion(), Core.version()); // this one is fine
    UnsatisfiedLinkError old = assertThrows(UnsatisfiedLinkError.class,
        () -> NativeLibrary.checkVersion(BuildConfig.VERSION_NUMBER - 1, BuildConfig.ABI_VERSION, "0.0.9"));
    assertTrue(old.getMessage().contains("is 0.0.9") && old.getMessage().contains(">= " + BuildConfig.VERSION),
        old.getMessage());
    assertThrows(UnsatisfiedLinkError.class,
        () -> NativeLibrary.checkVersion(BuildConfig.VERSION_NUMBER, BuildConfig.ABI_VERSION + 1, "9.0.0"));
  }

  private static Result runJava(String... extra) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    for (String e : extra) {
      cmd.add(e);
    }
    cmd.add(NativeLibrary.class.getName());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove(NativeLibrary.PATH_ENV);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return new Result(p.exitValue(), out);
  }

  private static final class Result {
    final int status;
    final String output;

    Result(int status, String output) {
      this.status = status;
      this.output = output;
    }
  }

  @Test
  void explicitPathIsUsed() throws Exception {
    File lib = new File(NativeLibrary.location());
    Result r = runJava("-Djava.library.path=/nonexistent", "-D" + NativeLibrary.PATH_PROPERTY + "=" + lib.getParent());
    assertEquals(0, r.status, r.output);
    assertTrue(r.output.contains("native library: " + lib.getAbsolutePath()), r.output);
  }

  @Test
  void badExplicitPathNamesWhatWasTried() throws Exception {
    Result r = runJava("-D" + NativeLibrary.PATH_PROPERTY + "=/nonexistent/libcore-dir");
    assertEquals(1, r.status, r.output);
    assertTrue(r.output.contains("cannot load " + System.mapLibraryName("core_java")), r.output);
    assertTrue(r.output.contains("-Ddev.libcore.library.path=/nonexistent/libcore-dir"), r.output);
    assertTrue(r.output.contains("no such file"), r.output);
  }

  @Test
  void emptyLibraryPathNamesEveryPlaceTried() throws Exception {
    String installed = BuildConfig.INSTALL_LIBDIR + File.separator + System.mapLibraryName("core_java");
    assumeFalse(new File(installed).isFile(), "an installed copy would be found");
    Result r = runJava("-Djava.library.path=/nonexistent/a" + File.pathSeparator + "/nonexistent/b");
    assertEquals(1, r.status, r.output);
    assertTrue(r.output.contains("System.loadLibrary(\"core_java\")"), r.output);
    assertTrue(r.output.contains("java.library.path: /nonexistent/a"), r.output);
    assertTrue(r.output.contains(installed), r.output);
  }
}
