package dev.libcore;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;

/**
 * A streaming voice activity detector (C: {@code core_vad_t}, audio.h):
 * push audio in chunks of any size, take finished speech segments as they
 * come; or find every segment of a clip at once with {@link #segments}.
 *
 * <pre>{@code
 * try (Vad vad = new Vad(VadOptions.of(VadOptions.Preset.TRANSCRIBE))) {
 *   while (mic.read(chunk)) {
 *     vad.push(chunk);
 *     if (vad.openSegmentStart().isPresent()) ui.showListening();
 *     for (Segment s; (s = vad.nextSegment()) != null; ) transcribe(s);
 *   }
 *   vad.flush();                                  // closes a segment still open
 *   vad.drain().forEach(this::transcribe);
 * }
 * List<Segment> all = Vad.segments(clip, VadOptions.defaults());  // offline, the same segments
 * }</pre>
 *
 * <h2>How it decides</h2>
 * Per frame (10, 20 or 30 ms, analysed over the last 30 ms or more), the
 * power in six speech bands against a per-band noise floor (minimum
 * statistics over ~1.5 s) gives a speech score in [0, 1]; Silero VAD's rules
 * (threshold, exit threshold, minimum speech and silence, padding) turn the
 * scores into segments. audio.h gives the details; one consequence: a sound
 * that never dips for ~1.5 s (a steady tone, humming) becomes the noise
 * floor and ends its segment, while speech dips between words.
 *
 * <h2>Segments</h2>
 * In samples of the stream, [start, end), padding included, in order, never
 * overlapping, and final once returned. They never depend on how the
 * stream was cut into pushes; {@link #segments} gives exactly what a
 * detector with the same options gives when pushed the clip and flushed. A
 * frame holding a NaN or an infinity counts as non-speech.
 *
 * <h2>Threads, memory, closing</h2>
 * A detector is used by one thread at a time (libcore's rule); this binding
 * checks it: a call while another thread is inside one throws
 * {@link java.util.ConcurrentModificationException}. {@link #segments} may
 * run on any number of threads. Pushes never copy (a long array goes in
 * pieces of at most {@link Core#CRITICAL_ARRAY_MAX_ELEMENTS} samples taken
 * critically); {@link #segments(float[], VadOptions)} analyses up to that
 * many samples in one call on the array, longer ones through a detector fed
 * in such pieces. {@link #close()} is idempotent and waits for a call in
 * progress; later calls throw {@link IllegalStateException}; a cleaner
 * releases a forgotten detector.
 */
public final class Vad implements AutoCloseable {
  private final NativeHandle h;
  private final VadOptions options;
  private final long[] scratch = new long[2]; // used under the exclusive handle only

  /** A detector with libcore's defaults ({@link VadOptions.Preset#DEFAULT}). */
  public Vad() {
    this(VadOptions.defaults());
  }

  /**
   * A detector with these options.
   *
   * @throws CoreException INVALID_ARGUMENT for an option out of range (the message names it)
   */
  public Vad(VadOptions options) {
    this.options = Check.notNull(options, "options");
    long[] handle = new long[1];
    CoreNative.jcore_vad_create(options.raw(), handle);
    this.h = new NativeHandle.Exclusive("Vad", handle[0], CoreNative::core_vad_destroy);
  }

  /** The options it was created with. */
  public VadOptions options() {
    return options;
  }

  /**
   * Analyses samples (any chunk size). Finished segments become available
   * through {@link #nextSegment()}.
   *
   * @throws CoreException INVALID_ARGUMENT after {@link #flush()} ({@link #reset()} first)
   */
  public void push(float[] samples) {
    push(samples, 0, Check.notNull(samples, "samples").length);
  }

  /**
   * Analyses {@code samples[offset, offset + length)}.
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
    long v = h.enter();
    try {
      CoreNative.jcore_vad_push_array(v, samples, offset, length);
    } finally {
      h.exit();
    }
  }

  /** Analyses the buffer's remaining elements (direct, native byte order; position unchanged), in one call. */
  public void push(FloatBuffer samples) {
    FloatBuffer b = Check.in(samples, "samples");
    long v = h.enter();
    try {
      CoreNative.jcore_vad_push_direct(v, b);
    } finally {
      h.exit();
    }
  }

  /**
   * End of stream: a trailing partial frame is analysed and an open segment
   * is closed at the end of the stream. Pushes are refused afterwards. A
   * second flush does nothing.
   */
  public void flush() {
    long v = h.enter();
    try {
      CoreNative.core_vad_flush(v);
    } finally {
      h.exit();
    }
  }

  /** The oldest finished segment, removed from the detector; null when none is ready (not an error). */
  public Segment nextSegment() {
    long v = h.enter();
    try {
      return CoreNative.jcore_vad_next_segment(v, scratch) != 0 ? new Segment(scratch[0], scratch[1]) : null;
    } finally {
      h.exit();
    }
  }

  /** Every finished segment, removed from the detector, in order (empty when none is ready). */
  public List<Segment> drain() {
    List<Segment> out = new ArrayList<>();
    long v = h.enter();
    try {
      while (CoreNative.jcore_vad_next_segment(v, scratch) != 0) {
        out.add(new Segment(scratch[0], scratch[1]));
      }
    } finally {
      h.exit();
    }
    return out;
  }

  /**
   * The start (padding included) of the speech segment in progress: speech
   * has lasted minSpeechMs and has not ended yet. Empty when no segment is
   * open. For "speech started" events before the segment is final.
   */
  public OptionalLong openSegmentStart() {
    long v = h.enter();
    try {
      return CoreNative.jcore_vad_open_segment(v, scratch) != 0 ? OptionalLong.of(scratch[0])
          : OptionalLong.empty();
    } finally {
      h.exit();
    }
  }

  /** Forgets the stream (samples, noise estimate, pending segments) and accepts pushes again from position 0. */
  public void reset() {
    long v = h.enter();
    try {
      CoreNative.core_vad_reset(v);
    } finally {
      h.exit();
    }
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return h.isClosed();
  }

  /**
   * Releases the detector ({@code core_vad_destroy}). Idempotent; waits for a
   * call in progress on another thread. Later calls throw
   * {@link IllegalStateException}.
   */
  @Override
  public void close() {
    h.close();
  }

  @Override
  public String toString() {
    return "Vad{" + options + (h.isClosed() ? ", closed}" : "}");
  }

  // ---- offline -----------------------------------------------------------------------

  /** {@link #segments(float[], VadOptions)} with libcore's defaults. */
  public static List<Segment> segments(float[] samples) {
    return segments(samples, VadOptions.defaults());
  }

  /**
   * The speech segments of a whole clip ({@code core_vad_segments}): exactly
   * what a detector with these options gives when pushed the clip and
   * flushed. An unmodifiable list, in order.
   *
   * @throws CoreException INVALID_ARGUMENT for options out of range
   */
  public static List<Segment> segments(float[] samples, VadOptions options) {
    Check.notNull(samples, "samples");
    Object[] result = new Object[1];
    CoreNative.jcore_vad_segments(samples, Check.notNull(options, "options").raw(), result);
    return toList((long[]) result[0]);
  }

  /** As {@link #segments(float[], VadOptions)} on the buffer's remaining elements (direct, native order), one call. */
  public static List<Segment> segments(FloatBuffer samples, VadOptions options) {
    FloatBuffer b = Check.in(samples, "samples");
    Object[] result = new Object[1];
    CoreNative.jcore_vad_segments_direct(b, Check.notNull(options, "options").raw(), result);
    return toList((long[]) result[0]);
  }

  private static List<Segment> toList(long[] raw) {
    List<Segment> out = new ArrayList<>(raw.length / 2);
    for (int i = 0; i < raw.length; i += 2) {
      out.add(new Segment(raw[i], raw[i + 1]));
    }
    return Collections.unmodifiableList(out);
  }
}
