package dev.libcore;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds and loads the JNI library {@code libcore_java.so} (which links to
 * {@code libcore.so.1}). Every class of this package loads it on first use;
 * call {@link #load()} yourself to fail early with the full explanation.
 *
 * <p>Where it looks, in this order:
 * <ol>
 *   <li>the system property {@value #PATH_PROPERTY}, else the environment
 *       variable {@value #PATH_ENV}: a library file, or a directory holding
 *       {@code libcore_java.so}. When set, it is the only place tried: an
 *       explicit setting is never shadowed by another copy;</li>
 *   <li>{@code System.loadLibrary("core_java")}, which searches
 *       {@code -Djava.library.path};</li>
 *   <li>the directory {@code meson install} put it in (the build's libdir).</li>
 * </ol>
 * When all fail, an {@link UnsatisfiedLinkError} lists every name and path
 * tried and why each failed. On first use, the libcore found must be at
 * least the version this jar was built for, or the same error says so.
 *
 * <p>Run {@code java -cp libcore.jar dev.libcore.NativeLibrary} to see what
 * is found.
 */
public final class NativeLibrary {
  /** System property naming the library file or its directory. */
  public static final String PATH_PROPERTY = "dev.libcore.library.path";
  /** Environment variable read when the property is not set. */
  public static final String PATH_ENV = "LIBCORE_JAVA_LIBRARY";
  /** The name given to {@link System#loadLibrary}. */
  public static final String NAME = "core_java";

  private static String loadedFrom;
  private static String failure;

  private NativeLibrary() {}

  /**
   * Loads the library once; later calls return at once, or throw the same
   * error again.
   *
   * @throws UnsatisfiedLinkError naming every place tried
   */
  public static synchronized void load() {
    if (loadedFrom != null) {
      return;
    }
    if (failure != null) {
      throw new UnsatisfiedLinkError(failure);
    }
    loadedFrom = find();
  }

  private static String find() {
    final String file = System.mapLibraryName(NAME);
    final List<String> tried = new ArrayList<>();
    String where = null;
    String explicit = System.getProperty(PATH_PROPERTY);
    String source = "-D" + PATH_PROPERTY;
    if (explicit == null || explicit.isEmpty()) {
      explicit = System.getenv(PATH_ENV);
      source = "$" + PATH_ENV;
    }
    if (explicit != null && !explicit.isEmpty()) {
      File f = new File(explicit);
      if (f.isDirectory()) {
        f = new File(f, file);
      }
      where = tryLoad(f, source + "=" + explicit + " -> " + f.getAbsolutePath(), tried);
    } else {
      String path = System.getProperty("java.library.path", "");
      try {
        System.loadLibrary(NAME);
        where = foundOnPath(file, path);
      } catch (UnsatisfiedLinkError e) {
        tried.add("System.loadLibrary(\"" + NAME + "\") looks for " + file + ": " + e.getMessage());
      }
      if (where == null && tried.size() > 0) {
        File f = new File(BuildConfig.INSTALL_LIBDIR, file);
        where = tryLoad(f, "install directory " + f.getAbsolutePath(), tried);
      }
    }
    if (where == null) {
      StringBuilder m = new StringBuilder("libcore Java binding: cannot load ").append(file)
          .append(" (the JNI wrapper; it needs libcore.so.").append(BuildConfig.ABI_VERSION).append("). Tried:");
      for (int i = 0; i < tried.size(); ++i) {
        m.append("\n  ").append(i + 1).append(". ").append(tried.get(i));
      }
      m.append("\nSet -D").append(PATH_PROPERTY).append("=<file or directory> (or $").append(PATH_ENV)
          .append("), or put its directory on -Djava.library.path.");
      failure = m.toString();
      throw new UnsatisfiedLinkError(failure);
    }
    return where;
  }

  /** Where the library was loaded from, loading it if needed. */
  public static synchronized String location() {
    load();
    return loadedFrom;
  }

  private static String tryLoad(File f, String what, List<String> tried) {
    if (!f.isFile()) {
      tried.add(what + ": no such file");
      return null;
    }
    try {
      System.load(f.getAbsolutePath());
      return f.getAbsolutePath();
    } catch (UnsatisfiedLinkError e) {
      tried.add(what + ": " + e.getMessage());
      return null;
    }
  }

  private static String foundOnPath(String file, String path) {
    for (String dir : path.split(File.pathSeparator)) {
      File f = new File(dir, file);
      if (!dir.isEmpty() && f.isFile()) {
        return f.getAbsolutePath();
      }
    }
    return file + " (java.library.path)";
  }

  /**
   * Called by CoreNativeJNI's static initializer with what the loaded
   * libcore reports. It runs there, not in load(), so that load() never
   * waits for a class initialization while holding its lock. The wrapper
   * was compiled against the headers of BuildConfig.VERSION: an older
   * libcore.so.1 may lack functions it calls.
   */
  static void checkVersion(long versionNumber, int abiVersion, String version) {
    if (versionNumber < BuildConfig.VERSION_NUMBER || abiVersion != BuildConfig.ABI_VERSION) {
      throw new UnsatisfiedLinkError("libcore Java binding: the libcore loaded with " + location() + " is "
          + version + " (ABI " + abiVersion + "), but this jar needs libcore >= " + BuildConfig.VERSION
          + " with ABI " + BuildConfig.ABI_VERSION);
    }
  }

  /** Prints where the library comes from and what it reports; exit 1 if it cannot load. */
  public static void main(String[] args) {
    try {
      System.out.println("native library: " + location());
      System.out.println("libcore " + Core.version() + ", SIMD " + Core.simdTarget() + ", "
          + Core.getNumThreads() + " threads; binding built for " + BuildConfig.VERSION);
    } catch (UnsatisfiedLinkError e) {
      System.err.println(e.getMessage());
      System.exit(1);
    }
  }
}
