package dev.libcore;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.charset.Charset;
import java.nio.file.Path;

/**
 * Statistics over many arrays, over the frames of one signal, and over a raw
 * float32 file, in parallel inside libcore (batch.h). For a stream summarized
 * chunk by chunk see {@link StatsAccumulator}.
 *
 * <pre>{@code
 * Stats[] perRequest = Batch.stats(buffers);                  // float[][]: one summary per array
 * Stats[] same = Batch.stats(flat, new long[] {1000, 250, 4}); // one flat array cut into 3
 * Stats[] energy = Batch.frames(audio, 400, 160);             // 25 ms frames, 10 ms hop at 16 kHz
 * Stats file = Batch.statsFile("/data/x.f32", 0, 0, NanPolicy.OMIT);
 * }</pre>
 *
 * <p><b>Same bits as {@link Stats#of}.</b> Every summary returned is bit for
 * bit {@code Stats.of} of its own array, frame or file range, for every
 * {@link Core#setNumThreads} setting: libcore splits work at fixed
 * boundaries and merges in a fixed order, and this binding only ever splits
 * a batch between whole arrays or frames.
 *
 * <p><b>Frames.</b> Frame i covers {@code x[i * hop, i * hop + frame)}. Only
 * whole frames are summarized (librosa.util.frame, NumPy
 * {@code sliding_window_view(x, frame)[::hop]}): there are
 * {@code 1 + (n - frame) / hop} of them ({@link #framesLength}); a partial
 * last frame is dropped, pad the signal to keep it. {@code frame > n},
 * {@code frame == 0} and {@code hop == 0} are errors. NaN propagates in each
 * frame ({@code np.mean} per frame); {@link Stats#nanCount()} still says which
 * frames held one.
 *
 * <p><b>Memory.</b> No element is copied and the GC is never held off for
 * long:
 * <ul>
 *   <li>{@code float[][]}/{@code double[][]}, flat arrays and frames of Java
 *       arrays are handed to libcore in groups of at most
 *       {@link Core#CRITICAL_ARRAY_MAX_ELEMENTS} elements (and 512 arrays),
 *       each group through JNI critical access (no copy), one libcore call
 *       per group. The GC waits for one group at most (tens of microseconds)
 *       and runs between groups. The price: a JNI access per array (about 50
 *       ns) and a parallel call per group, where one call on everything would
 *       spread better over the threads; use direct buffers for the fastest
 *       path on big batches. An array, segment or frame longer than the group
 *       limit is the exception: it is copied alone (as {@code Stats.of} copies
 *       such an array) and summarized in parallel.</li>
 *   <li>The flat direct-buffer forms ({@code FloatBuffer}/{@code DoubleBuffer},
 *       direct, native byte order) make one call on the buffer's memory: no
 *       copy, no pinning, at any size. Their remaining elements are used;
 *       positions are not changed.</li>
 *   <li>The summaries come back in one {@code long[]} (56 bytes per summary)
 *       turned into {@link Stats} objects.</li>
 * </ul>
 *
 * <p><b>Errors.</b> Null arrays (or a null element of an array of arrays)
 * throw {@link NullPointerException}; negative frame, hop, lengths, offsets
 * or counts, and lengths that do not add up to the flat array,
 * {@link IllegalArgumentException}; what libcore refuses,
 * {@link CoreException} (frame or hop 0, frame longer than the signal: status
 * INVALID_ARGUMENT from {@code core_stats_frames_len}; a missing file
 * NOT_FOUND, a file size not a multiple of 4 FORMAT, an offset past the end
 * INVALID_ARGUMENT, other read failures IO). Every method may run on any
 * number of threads at once.
 */
public final class Batch {
  private Batch() {}

  // ---- many arrays -------------------------------------------------------

  /** One summary per array, NaN propagating: {@code out[i]} equals {@code Stats.of(arrays[i])}. */
  public static Stats[] stats(float[][] arrays) {
    return stats(arrays, NanPolicy.PROPAGATE);
  }

  /**
   * One summary per array, in parallel: {@code out[i]} equals
   * {@code Stats.of(arrays[i], nan)} bit for bit. Empty arrays are fine (an
   * empty summary); a null element throws {@link NullPointerException}.
   */
  public static Stats[] stats(float[][] arrays, NanPolicy nan) {
    long[] raw = Stats.rawArray(Check.notNull(arrays, "arrays").length, "the summaries of arrays");
    CoreNative.jcore_batch_stats_f32_arrays(arrays, Check.notNull(nan, "nan").code, raw);
    return Stats.fromRawArray(raw);
  }

  public static Stats[] stats(double[][] arrays) {
    return stats(arrays, NanPolicy.PROPAGATE);
  }

  public static Stats[] stats(double[][] arrays, NanPolicy nan) {
    long[] raw = Stats.rawArray(Check.notNull(arrays, "arrays").length, "the summaries of arrays");
    CoreNative.jcore_batch_stats_f64_arrays(arrays, Check.notNull(nan, "nan").code, raw);
    return Stats.fromRawArray(raw);
  }

  // ---- one flat array cut into segments ------------------------------------

  /** {@link #stats(float[], long[], NanPolicy)}, NaN propagating. */
  public static Stats[] stats(float[] flat, long[] lens) {
    return stats(flat, lens, NanPolicy.PROPAGATE);
  }

  /**
   * Summaries of consecutive segments of one array: segment i is the
   * {@code lens[i]} elements after the first {@code lens[0] + ... + lens[i-1]}
   * (the C API's {@code lens}; NumPy: {@code np.split(flat, np.cumsum(lens)[:-1])}).
   * The lengths must be {@code >= 0} and add up to exactly
   * {@code flat.length}; zero-length segments give empty summaries. Without
   * a copy (see the class documentation); bit for bit
   * {@code Stats.of(Arrays.copyOfRange(flat, start, start + lens[i]), nan)}.
   *
   * @throws IllegalArgumentException a negative length, or lengths that do
   *     not add up to {@code flat.length}
   */
  public static Stats[] stats(float[] flat, long[] lens, NanPolicy nan) {
    Check.notNull(flat, "flat");
    long[] raw = Stats.rawArray(checkLens(lens, flat.length), "the summaries of lens");
    CoreNative.jcore_batch_stats_f32_flat(flat, lens, Check.notNull(nan, "nan").code, raw);
    return Stats.fromRawArray(raw);
  }

  public static Stats[] stats(double[] flat, long[] lens) {
    return stats(flat, lens, NanPolicy.PROPAGATE);
  }

  public static Stats[] stats(double[] flat, long[] lens, NanPolicy nan) {
    Check.notNull(flat, "flat");
    long[] raw = Stats.rawArray(checkLens(lens, flat.length), "the summaries of lens");
    CoreNative.jcore_batch_stats_f64_flat(flat, lens, Check.notNull(nan, "nan").code, raw);
    return Stats.fromRawArray(raw);
  }

  /**
   * As {@link #stats(float[], long[], NanPolicy)} over the buffer's remaining
   * elements (a direct buffer in native byte order; position unchanged), in
   * one parallel call without any copy: the fastest path for big batches.
   */
  public static Stats[] stats(FloatBuffer flat, long[] lens, NanPolicy nan) {
    FloatBuffer b = Check.in(flat, "flat");
    long[] raw = Stats.rawArray(checkLens(lens, b.remaining()), "the summaries of lens");
    CoreNative.jcore_batch_stats_f32_flat_direct(b, lens, Check.notNull(nan, "nan").code, raw);
    return Stats.fromRawArray(raw);
  }

  public static Stats[] stats(DoubleBuffer flat, long[] lens, NanPolicy nan) {
    DoubleBuffer b = Check.in(flat, "flat");
    long[] raw = Stats.rawArray(checkLens(lens, b.remaining()), "the summaries of lens");
    CoreNative.jcore_batch_stats_f64_flat_direct(b, lens, Check.notNull(nan, "nan").code, raw);
    return Stats.fromRawArray(raw);
  }

  /** The number of segments, after the checks only Java makes (the native layer repeats them). */
  private static int checkLens(long[] lens, long total) {
    Check.notNull(lens, "lens");
    long sum = 0;
    for (int i = 0; i < lens.length; ++i) {
      if (lens[i] < 0) {
        throw new IllegalArgumentException("lens[" + i + "] must be >= 0, got " + lens[i]);
      }
      if (lens[i] > total - sum) {
        throw new IllegalArgumentException(
            "lens[" + i + "] = " + lens[i] + " goes past the end of the flat data (" + total + " elements)");
      }
      sum += lens[i];
    }
    if (sum != total) {
      throw new IllegalArgumentException("lens add up to " + sum + " but the flat data has " + total
          + " elements; they must match");
    }
    return lens.length;
  }

  // ---- frames ------------------------------------------------------------

  /**
   * The number of whole frames of a signal of n samples:
   * {@code 1 + (n - frame) / hop} ({@code core_stats_frames_len}).
   *
   * @throws IllegalArgumentException n, frame or hop negative
   * @throws CoreException INVALID_ARGUMENT for frame 0, hop 0 or frame &gt; n
   */
  public static long framesLength(long n, int frame, int hop) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + n);
    }
    return (long) CoreNative.core_stats_frames_len(n, Check.notNegative(frame, "frame"),
        Check.notNegative(hop, "hop"));
  }

  /**
   * One summary per whole frame of x (see the class documentation for the
   * frame rule), NaN propagating: {@code out[i]} equals
   * {@code Stats.of(Arrays.copyOfRange(x, i * hop, i * hop + frame))} bit for
   * bit. Without a copy unless frame exceeds
   * {@link Core#CRITICAL_ARRAY_MAX_ELEMENTS}.
   *
   * @throws IllegalArgumentException frame or hop negative
   * @throws CoreException INVALID_ARGUMENT for frame 0, hop 0 or frame &gt;
   *     x.length (named after {@code core_stats_frames_len})
   */
  public static Stats[] frames(float[] x, int frame, int hop) {
    long[] raw = Stats.rawArray(framesLength(Check.notNull(x, "x").length, frame, hop), "the frame summaries");
    CoreNative.jcore_stats_frames_f32(x, frame, hop, raw);
    return Stats.fromRawArray(raw);
  }

  public static Stats[] frames(double[] x, int frame, int hop) {
    long[] raw = Stats.rawArray(framesLength(Check.notNull(x, "x").length, frame, hop), "the frame summaries");
    CoreNative.jcore_stats_frames_f64(x, frame, hop, raw);
    return Stats.fromRawArray(raw);
  }

  /** Frames of the buffer's remaining elements: one parallel call, no copy (direct buffer, native order). */
  public static Stats[] frames(FloatBuffer x, int frame, int hop) {
    FloatBuffer b = Check.in(x, "x");
    long[] raw = Stats.rawArray(framesLength(b.remaining(), frame, hop), "the frame summaries");
    CoreNative.jcore_stats_frames_f32_direct(b, frame, hop, raw);
    return Stats.fromRawArray(raw);
  }

  public static Stats[] frames(DoubleBuffer x, int frame, int hop) {
    DoubleBuffer b = Check.in(x, "x");
    long[] raw = Stats.rawArray(framesLength(b.remaining(), frame, hop), "the frame summaries");
    CoreNative.jcore_stats_frames_f64_direct(b, frame, hop, raw);
    return Stats.fromRawArray(raw);
  }

  // ---- files -------------------------------------------------------------

  /** The summary of a whole raw float32 file, NaN propagating. */
  public static Stats statsFile(String path) {
    return statsFile(path, 0, 0, NanPolicy.PROPAGATE);
  }

  /**
   * The summary of values {@code [offset, offset + count)} of a raw float32
   * file in native byte order ({@code count == 0}: to the end), bit for bit
   * {@code Stats.of} of the same values in memory. offset and count are in
   * VALUES, not bytes. The file is read in parallel without being loaded
   * into memory, so it may be larger than RAM. Inside a JVM, which owns
   * SIGBUS, libcore reads it with {@code read(2)} rather than {@code mmap}
   * (batch.h): the same bits, and a file that shrinks during the call is an
   * ordinary {@code CoreException(IO)}. A file that grows during the call is
   * summarized as it was at the start.
   *
   * @throws IllegalArgumentException offset or count negative, a NUL in path
   * @throws CoreException NOT_FOUND for a missing file; FORMAT when its size
   *     is not a multiple of 4; INVALID_ARGUMENT for an offset, or offset +
   *     count, past the end; IO for any other failure (a directory, no
   *     permission, a read error)
   */
  public static Stats statsFile(String path, long offset, long count, NanPolicy nan) {
    byte[] bytes = pathBytes(Check.notNull(path, "path"));
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0, got " + offset);
    }
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    long[] raw = new long[7];
    CoreNative.core_stats_file_f32(bytes, offset, count, Check.notNull(nan, "nan").code, raw);
    return Stats.fromRaw(raw);
  }

  /** {@link #statsFile(String, long, long, NanPolicy)} for a {@link Path} of the default file system. */
  public static Stats statsFile(Path path, long offset, long count, NanPolicy nan) {
    return statsFile(Check.notNull(path, "path").toString(), offset, count, nan);
  }

  /** The JDK encodes file names with sun.jnu.encoding (the locale's), as open(2) expects. */
  private static final Charset FILE_NAME_CHARSET = fileNameCharset();

  private static Charset fileNameCharset() {
    String name = System.getProperty("sun.jnu.encoding");
    try {
      if (name != null) {
        return Charset.forName(name);
      }
    } catch (IllegalArgumentException e) {
      // an unknown or unsupported name: fall through
    }
    return Charset.defaultCharset();
  }

  static byte[] pathBytes(String path) {
    if (path.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("path contains a NUL character");
    }
    return path.getBytes(FILE_NAME_CHARSET);
  }
}
