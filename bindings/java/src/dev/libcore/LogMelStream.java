package dev.libcore;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A streaming log-mel spectrogram: push samples in chunks of any size, read
 * frames as soon as they exist (C: {@code core_logmel_stream_t}, audio.h).
 *
 * <pre>{@code
 * LogMelOptions opts = LogMelOptions.builder().mode(LogMelOptions.Mode.LOG10).build();
 * try (LogMelStream stream = new LogMelStream(opts)) {
 *   while (mic.read(chunk)) {
 *     stream.push(chunk);
 *     float[] frames = stream.read(100);     // up to 100 frames, nMels floats each
 *     model.feed(frames, frames.length / stream.nMels());
 *   }
 *   stream.flush();                          // the last frames (reflected right edge)
 *   model.feed(stream.readAll(), ...);
 * }
 * }</pre>
 *
 * <h2>Frames</h2>
 * Frame t of a stream equals frame t of {@link LogMel#compute} on everything
 * pushed: in LOG10 mode bit for bit, in WHISPER mode with
 * {@code windowFrames = 0} too (the whole stream is one window, read after
 * {@link #flush()}). The left edge is reflected as offline, so a frame is
 * ready once its last sample has arrived ({@code t * hop + nFft - nFft / 2}
 * samples: nFft / 2 samples of latency), it exists whatever comes next
 * ({@code (t + 1) * hop} samples) and nFft samples have arrived in total
 * (Whisper's first two frames wait for 400); the frames near the end need
 * the reflected right edge and come with {@link #flush()}. A stream of
 * fewer than nFft samples gives no frame. In WHISPER mode frames are normalized per
 * window of {@code windowFrames} frames (3000 by default, Whisper's 30 s)
 * and readable once their window is complete.
 *
 * <h2>Layout</h2>
 * {@link #read(int)} returns frames <b>frame-major</b>, as the C stream
 * hands them out: band m of the f-th frame read is {@code out[f * nMels + m]}
 * (the transpose of {@link MelSpectrogram}'s mel-major layout).
 *
 * <h2>Threads, memory, closing</h2>
 * A stream is used by one thread at a time (libcore's rule); this binding
 * checks it: a call while another thread is inside one throws
 * {@link java.util.ConcurrentModificationException}. Pushes never copy: a
 * long array is pushed in pieces of at most
 * {@link Core#CRITICAL_ARRAY_MAX_ELEMENTS} samples taken critically, which
 * gives the same frames (any chunk size does). Direct buffers are pushed in
 * one call. {@link #close()} is idempotent and waits for a call in progress;
 * later calls throw {@link IllegalStateException}; a cleaner releases a
 * forgotten stream.
 */
public final class LogMelStream implements AutoCloseable {
  private final NativeHandle h;
  private final LogMelOptions options;
  private final int nMels;

  /** A stream with libcore's defaults (Whisper's front end, 3000-frame windows). */
  public LogMelStream() {
    this(LogMelOptions.defaults());
  }

  /**
   * A stream with these options (the checks of {@link LogMel#LogMel(LogMelOptions)}).
   *
   * @throws CoreException INVALID_ARGUMENT for an option out of range
   */
  public LogMelStream(LogMelOptions options) {
    this.options = Check.notNull(options, "options");
    this.nMels = options.nMels();
    long[] handle = new long[1];
    CoreNative.jcore_logmel_stream_create(options.raw(), handle);
    this.h = new NativeHandle.Exclusive("LogMelStream", handle[0], CoreNative::core_logmel_stream_destroy);
  }

  /** The options it was created with. */
  public LogMelOptions options() {
    return options;
  }

  /** Floats per frame. */
  public int nMels() {
    return nMels;
  }

  /**
   * Appends samples and computes every frame whose samples are now all there.
   *
   * @throws CoreException INVALID_ARGUMENT after {@link #flush()} ({@link #reset()} first)
   */
  public void push(float[] samples) {
    push(samples, 0, Check.notNull(samples, "samples").length);
  }

  /**
   * Appends {@code samples[offset, offset + length)}. A push longer than
   * {@link Core#CRITICAL_ARRAY_MAX_ELEMENTS} goes in pieces; only an
   * OUT_OF_MEMORY failure could stop it after a piece.
   *
   * @throws IndexOutOfBoundsException a range outside the array
   * @throws CoreException INVALID_ARGUMENT after {@link #flush()}
   */
  public void push(float[] samples, int offset, int length) {
    Check.notNull(samples, "samples");
    if (offset < 0 || length < 0 || offset > samples.length - length) {
      throw new IndexOutOfBoundsException(
          "range [" + offset + ", " + offset + " + " + length + ") outside an array of " + samples.length);
    }
    long s = h.enter();
    try {
      CoreNative.jcore_logmel_stream_push_array(s, samples, offset, length);
    } finally {
      h.exit();
    }
  }

  /** Appends the buffer's remaining elements (direct, native byte order; position unchanged), in one call. */
  public void push(FloatBuffer samples) {
    FloatBuffer b = Check.in(samples, "samples");
    long s = h.enter();
    try {
      CoreNative.jcore_logmel_stream_push_direct(s, b);
    } finally {
      h.exit();
    }
  }

  /**
   * Ends the stream: computes the last frames (reflected right edge) and, in
   * WHISPER mode, normalizes the last window. Pushes are refused afterwards;
   * frames stay readable. A second flush does nothing. A stream of fewer
   * than nFft samples in total gives no frames.
   */
  public void flush() {
    long s = h.enter();
    try {
      CoreNative.core_logmel_stream_flush(s);
    } finally {
      h.exit();
    }
  }

  /** Frames ready to read now. */
  public int available() {
    long s = h.enter();
    try {
      return Check.arrayLength(CoreNative.core_logmel_stream_available(s), "the ready frames");
    } finally {
      h.exit();
    }
  }

  /**
   * Up to maxFrames ready frames, frame-major ({@code nMels} floats each), as
   * a new array of exactly {@code frames * nMels} floats; empty when none is
   * ready (not an error). At most as many frames as a Java array holds.
   *
   * @throws IllegalArgumentException maxFrames negative
   */
  public float[] read(int maxFrames) {
    Check.notNegative(maxFrames, "maxFrames");
    long s = h.enter();
    try {
      long ready = (long) CoreNative.core_logmel_stream_available(s);
      int n = (int) Math.min(Math.min(maxFrames, ready), Check.MAX_ARRAY_LENGTH / nMels);
      float[] out = new float[n * nMels];
      int got = (int) CoreNative.core_logmel_stream_read(s, out, n);
      return got == n ? out : Arrays.copyOf(out, got * nMels);
    } finally {
      h.exit();
    }
  }

  /** Every ready frame: {@link #read(int)} of {@link #available()}. */
  public float[] readAll() {
    return read(Integer.MAX_VALUE);
  }

  /**
   * Reads up to {@code out.length / nMels} ready frames into the start of out
   * (frame-major) and returns how many; 0 when none is ready.
   */
  public int read(float[] out) {
    Check.notNull(out, "out");
    long s = h.enter();
    try {
      return (int) CoreNative.core_logmel_stream_read(s, out, out.length / nMels);
    } finally {
      h.exit();
    }
  }

  /** Forgets every sample and frame and accepts pushes again, as if new (keeps its memory). */
  public void reset() {
    long s = h.enter();
    try {
      CoreNative.core_logmel_stream_reset(s);
    } finally {
      h.exit();
    }
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return h.isClosed();
  }

  /**
   * Releases the stream ({@code core_logmel_stream_destroy}). Idempotent;
   * waits for a call in progress on another thread. Later calls throw
   * {@link IllegalStateException}.
   */
  @Override
  public void close() {
    h.close();
  }

  @Override
  public String toString() {
    return "LogMelStream{" + options + (h.isClosed() ? ", closed}" : "}");
  }
}
