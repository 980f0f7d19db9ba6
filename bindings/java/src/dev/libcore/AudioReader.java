package dev.libcore;

import java.nio.FloatBuffer;
import java.nio.file.Path;

/**
 * An audio file read front to back in chunks of any size, as mono float32
 * at a chosen rate (C: {@code core_audio_reader_t}, audio.h "chunked
 * reading"): memory stays bounded (a decoding block, the resampler's state)
 * whatever the file's length.
 *
 * <pre>{@code
 * try (AudioReader r = AudioReader.open("talk.flac", 16000)) {
 *   float[] chunk;
 *   while ((chunk = r.read(16000)).length > 0) {   // one second at a time; empty at the end
 *     vad.push(chunk);
 *   }
 * }
 * }</pre>
 *
 * <h2>Samples</h2>
 * The conversions of {@link AudioFile#read(String, int)} (channels averaged,
 * PCM scaled, libsoxr resampling), and chunking never changes the samples:
 * any sequence of reads gives, concatenated, exactly what
 * {@link AudioFile#read(String, int)} gives for the file, {@link #total()}
 * samples in all. A read returns as many samples as asked while that many
 * remain, fewer only at the end, none once the end was reached.
 *
 * <h2>Copies</h2>
 * {@link #read(int)} and {@link #read(float[], int, int)} decode into native
 * memory and copy once into the Java array (the decoding does file I/O: no
 * array is held meanwhile), in pieces of at most 65536 samples.
 * {@link #read(FloatBuffer)} decodes straight into a direct buffer, without
 * any copy.
 *
 * <h2>Errors</h2>
 * {@link #open} throws {@link CoreException} with NOT_FOUND for a missing
 * file, IO when it cannot be opened or read (a directory too), FORMAT when it
 * is not audio libsndfile understands or is truncated (the checks of
 * {@link AudioFile#info(String)}), INVALID_ARGUMENT for a target rate above
 * 384000, UNSUPPORTED when libcore was built without audio file support. A
 * read throws FORMAT for damage found while decoding (also a NaN/infinite
 * sample, or data ending before the header says: never an early end as if
 * complete), IO when the file can no longer be read; the reader is failed
 * from then on: every later read throws the same. {@link #info()} and the
 * counts still answer. A negative count, a NUL in the path or a negative rate:
 * {@link IllegalArgumentException}; a range outside the array:
 * {@link IndexOutOfBoundsException}.
 *
 * <h2>Threads, closing</h2>
 * A reader is used by one thread at a time (libcore's rule); this binding
 * checks it: a call while another thread is inside one throws
 * {@link java.util.ConcurrentModificationException}. Distinct readers run in
 * parallel. The reader holds the file open until {@link #close()}, which is
 * idempotent and waits for a call in progress; later calls throw
 * {@link IllegalStateException}; a cleaner releases a forgotten reader.
 */
public final class AudioReader implements AutoCloseable {
  private final NativeHandle h;
  private final String path;
  private final int sampleRate;

  private AudioReader(String path, long handle, int sampleRate) {
    this.path = path;
    this.sampleRate = sampleRate;
    this.h = new NativeHandle.Exclusive("AudioReader", handle, CoreNative::core_audio_reader_close);
  }

  /** {@link #open(String, int)} at the file's own rate. */
  public static AudioReader open(String path) {
    return open(path, 0);
  }

  /**
   * Opens the file for chunked reading at targetRate Hz (0: the file's own
   * rate). The header is checked here; the decoding happens in the reads.
   *
   * @throws IllegalArgumentException targetRate negative, a NUL in the path
   * @throws CoreException NOT_FOUND, IO, FORMAT, INVALID_ARGUMENT, UNSUPPORTED
   */
  public static AudioReader open(String path, int targetRate) {
    byte[] p = Batch.pathBytes(Check.notNull(path, "path"));
    Check.notNegative(targetRate, "targetRate");
    long[] handle = new long[1];
    CoreNative.jcore_audio_open(p, targetRate, handle);
    int rate = targetRate;
    if (rate == 0) { // the file's own rate, from the header the open has read
      long[] v = new long[6];
      try {
        CoreNative.jcore_audio_reader_info(handle[0], v);
      } catch (RuntimeException | Error e) {
        CoreNative.core_audio_reader_close(handle[0]);
        throw e;
      }
      rate = (int) v[0];
    }
    return new AudioReader(path, handle[0], rate);
  }

  /** {@link #open(String, int)} for a {@link Path} of the default file system. */
  public static AudioReader open(Path path, int targetRate) {
    return open(Check.notNull(path, "path").toString(), targetRate);
  }

  /** The rate of the samples read, Hz (the target rate, or the file's own). */
  public int sampleRate() {
    return sampleRate;
  }

  /** The file's header, as {@link AudioFile#info(String)} reports it (answers on a failed reader too). */
  public AudioInfo info() {
    long[] v = new long[6];
    long r = h.enter();
    try {
      CoreNative.jcore_audio_reader_info(r, v);
    } finally {
      h.exit();
    }
    return new AudioInfo(v);
  }

  private long[] length() {
    long[] v = new long[2];
    long r = h.enter();
    try {
      CoreNative.jcore_audio_reader_length(r, v);
    } finally {
      h.exit();
    }
    return v;
  }

  /** The number of samples the reader gives in all ({@link AudioFile#sampleCount}'s count). */
  public long total() {
    return length()[0];
  }

  /** The number of samples given so far (the sum of the successful reads' counts). */
  public long done() {
    return length()[1];
  }

  /** {@code total() - done()}: the samples still to read. */
  public long remaining() {
    long[] v = length();
    return v[0] - v[1];
  }

  /**
   * The next samples, at most n: a new array of exactly the count read
   * (n while that many remain, fewer at the end, empty once the end was
   * reached). Allocates at most the samples that remain, whatever n is.
   *
   * @throws IllegalArgumentException n negative
   * @throws CoreException FORMAT, IO, OUT_OF_MEMORY (see the class documentation)
   */
  public float[] read(int n) {
    Check.notNegative(n, "n");
    long r = h.enter();
    try {
      long[] v = new long[2];
      CoreNative.jcore_audio_reader_length(r, v);
      int k = (int) Math.min(n, Math.max(0, v[0] - v[1]));
      float[] out = new float[k];
      int got = (int) CoreNative.jcore_audio_reader_read(r, out, 0, k);
      return got == k ? out : java.util.Arrays.copyOf(out, got);
    } finally {
      h.exit();
    }
  }

  /** {@link #read(float[], int, int)} into the whole array. */
  public int read(float[] out) {
    return read(out, 0, Check.notNull(out, "out").length);
  }

  /**
   * Reads the next samples into {@code out[offset, offset + length)} and
   * returns their count: length while that many remain, fewer at the end,
   * 0 once the end was reached. On an error the range may have been partly
   * written.
   *
   * @throws IndexOutOfBoundsException a range outside the array
   * @throws CoreException FORMAT, IO, OUT_OF_MEMORY
   */
  public int read(float[] out, int offset, int length) {
    Check.notNull(out, "out");
    if (offset < 0 || length < 0 || offset > out.length - length) {
      throw new IndexOutOfBoundsException(
          "range [" + offset + ", " + offset + " + " + length + ") outside an array of " + out.length);
    }
    long r = h.enter();
    try {
      return (int) CoreNative.jcore_audio_reader_read(r, out, offset, length);
    } finally {
      h.exit();
    }
  }

  /**
   * Reads the next samples into out's remaining elements (a direct buffer in
   * native byte order; position unchanged), without any copy, and returns
   * their count (0 once the end was reached).
   *
   * @throws IllegalArgumentException out not direct or not in native order
   * @throws CoreException FORMAT, IO, OUT_OF_MEMORY
   */
  public long read(FloatBuffer out) {
    FloatBuffer o = Check.out(out, "out");
    long r = h.enter();
    try {
      return (long) CoreNative.jcore_audio_reader_read_direct(r, o);
    } finally {
      h.exit();
    }
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return h.isClosed();
  }

  /**
   * Closes the file and frees the reader ({@code core_audio_reader_close}).
   * Idempotent; waits for a call in progress on another thread. Later calls
   * throw {@link IllegalStateException}.
   */
  @Override
  public void close() {
    h.close();
  }

  @Override
  public String toString() {
    return "AudioReader{" + path + ", " + sampleRate + " Hz" + (h.isClosed() ? ", closed}" : "}");
  }
}
