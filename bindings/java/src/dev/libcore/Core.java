package dev.libcore;

/**
 * The runtime module of libcore (core.h): version, SIMD target and thread
 * control.
 *
 * <pre>{@code
 * System.out.println("libcore " + Core.version() + " on " + Core.simdTarget());
 * Core.setNumThreads(1); // serial; 0 restores the default (every CPU)
 * }</pre>
 */
public final class Core {
  /**
   * Primitive arrays up to this many elements are passed to libcore without
   * a copy, through JNI critical access (the GC waits meanwhile; libcore
   * stays serial at this size, so the wait is tens of microseconds at most).
   * Longer arrays are copied in (and out, for outputs) so that a long,
   * parallel call never holds the GC off. For large data without copies,
   * use the direct-buffer overloads.
   */
  public static final int CRITICAL_ARRAY_MAX_ELEMENTS = BuildConfig.CRITICAL_MAX_ELEMENTS;

  private Core() {}

  /** The loaded libcore's version, "MAJOR.MINOR.PATCH" ({@code core_version}). */
  public static String version() {
    return CoreNative.core_version();
  }

  /** MAJOR * 10000 + MINOR * 100 + PATCH of the loaded libcore ({@code core_version_number}). */
  public static long versionNumber() {
    return CoreNative.core_version_number();
  }

  /** The ABI version (soname major) of the loaded libcore ({@code core_abi_version}). */
  public static int abiVersion() {
    return CoreNative.core_abi_version();
  }

  /** The libcore version this binding was built against. */
  public static String bindingVersion() {
    return BuildConfig.VERSION;
  }

  /** The SIMD instruction set chosen for this CPU: "AVX3", "AVX2", "SSE4", "SCALAR"... */
  public static String simdTarget() {
    return CoreNative.core_simd_target();
  }

  /**
   * Sets how many threads libcore's parallel work may use: 1 is serial, 0
   * the default (every CPU available). Results are bit-identical for every
   * setting. Process-wide; it never limits other users of oneTBB.
   *
   * @throws CoreException INVALID_ARGUMENT for a negative count
   */
  public static void setNumThreads(int numThreads) {
    CoreNative.core_set_num_threads(numThreads);
  }

  /** How many threads libcore's parallel work uses now (at least 1). */
  public static int getNumThreads() {
    return CoreNative.core_get_num_threads();
  }

  /** The C name of a status code ({@code core_status_str}): "CORE_E_EMPTY", or "CORE_E_UNKNOWN". */
  public static String statusName(int code) {
    return CoreNative.core_status_str(code);
  }
}
