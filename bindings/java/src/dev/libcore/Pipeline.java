package dev.libcore;

import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The streaming speech front end (C: {@code core_pipeline_t}, pipeline.h):
 * push audio in chunks of any size, pull events.
 *
 * <pre>
 *   push -> ring -> VAD -> windows (windowMs every hopMs, inside speech)
 *        -> log-mel per window -> encoder cache -> encoder -> events
 * </pre>
 *
 * <pre>{@code
 * PipelineOptions opts = PipelineOptions.builder().dim(80).build();
 * Pipeline.Encoder encoder = (features, nMels, nFrames) -> model.embed(features, nMels, nFrames); // dim floats
 * try (Pipeline p = new Pipeline(opts, encoder)) {
 *   while (mic.read(chunk)) {                            // e.g. 20 ms of int16 or float samples
 *     p.pushI16(chunk);
 *     for (PipelineEvent e; (e = p.nextEvent()) != null; ) handle(e);
 *   }
 *   p.flush();
 *   for (PipelineEvent e; (e = p.nextEvent()) != null; ) handle(e);   // ... END comes last
 *   System.out.println(p.stats());
 * }
 * }</pre>
 *
 * <h2>The encoder</h2>
 * libcore's C encoder callback is not used from Java. With an {@link Encoder}
 * ({@link #Pipeline(PipelineOptions, Encoder)}), {@link #nextEvent()} meets each
 * window that misses the cache as a NEEDS_ENCODING event, calls the encoder
 * on the caller's thread with the window's features, submits the embedding
 * (which goes into the cache) and goes on: the caller sees WINDOW events with
 * their embeddings and never NEEDS_ENCODING. One window per encoder call (the
 * C batcher is not used). If the encoder throws, or returns null or not
 * {@code dim} floats, the exception reaches the caller of {@code nextEvent()}
 * and the window stays waiting: the next {@code nextEvent()} calls the
 * encoder for it again. Without an encoder ({@link #Pipeline(PipelineOptions)})
 * NEEDS_ENCODING events reach the caller, who answers each with
 * {@link #submitEmbedding(long, float[])}; its WINDOW event follows. A window
 * that hits the cache never needs encoding.
 *
 * <h2>Threads</h2>
 * libcore's rule: one producer thread ({@code push*}, {@link #flush()}) and one
 * consumer thread ({@link #nextEvent()}, {@link #submitEmbedding}), which may
 * be the same; {@link #stats()} and the metrics on any thread. This binding
 * checks it: a second thread on the same side while one is inside a call
 * throws {@link ConcurrentModificationException}. The producer side only
 * copies into the ring (an audio callback may push); all analysis runs in
 * {@code nextEvent()}. The encoder must not call the pipeline's consumer side
 * or {@link #close()} ({@link IllegalStateException}).
 *
 * <h2>Memory, closing</h2>
 * A push of up to {@link Core#CRITICAL_ARRAY_MAX_ELEMENTS} samples is copied
 * straight from the array into the ring; a longer one through a temporary
 * copy; either way in one libcore call, so a push refused under
 * {@link RingBuffer.Policy#REJECT} ({@code CoreException(FULL)}) writes nothing.
 * {@link #close()} is idempotent and waits for calls in progress; later calls
 * throw {@link IllegalStateException}; a cleaner releases a forgotten pipeline.
 */
public final class Pipeline implements AutoCloseable {
  /** Embeds one window: {@code features} mel-major ({@code nMels * nFrames} floats) in, {@code dim} floats out. */
  @FunctionalInterface
  public interface Encoder {
    float[] encode(float[] features, int nMels, int nFrames);
  }

  private final NativeHandle h;
  private final PipelineOptions options;
  private final Encoder encoder;
  private final ReentrantLock producer = new ReentrantLock();
  private final ReentrantLock consumer = new ReentrantLock();
  // consumer side only (under `consumer`)
  private final long[] info = new long[9];
  private final Object[] arrays = new Object[2];
  private PipelineEvent waiting; // a window the encoder has not answered yet (it threw)
  private boolean inEncoder;

  /**
   * A pipeline without an encoder: windows that miss the cache come out as
   * NEEDS_ENCODING events, for {@link #submitEmbedding}.
   *
   * @throws CoreException INVALID_ARGUMENT for bad options (the message names the option)
   */
  public Pipeline(PipelineOptions options) {
    this(null, options);
  }

  /**
   * A pipeline whose {@link #nextEvent()} encodes the windows that miss the cache with {@code encoder}.
   *
   * @throws CoreException INVALID_ARGUMENT for bad options (the message names the option)
   */
  public Pipeline(PipelineOptions options, Encoder encoder) {
    this(Check.notNull(encoder, "encoder"), options);
  }

  private Pipeline(Encoder encoder, PipelineOptions options) {
    this.options = Check.notNull(options, "options");
    this.encoder = encoder;
    byte[] prefix = options.metricsPrefix() == null ? null : options.metricsPrefix().getBytes(StandardCharsets.UTF_8);
    long[] handle = new long[1];
    CoreNative.jcore_pipeline_create(options.raw(), options.vad().raw(), options.logMel().raw(), prefix, handle);
    this.h = new NativeHandle.Shared("Pipeline", handle[0], CoreNative::core_pipeline_destroy);
  }

  /** The options it was created with. */
  public PipelineOptions options() {
    return options;
  }

  /** Whether {@link #nextEvent()} encodes windows itself (a pipeline made with an {@link Encoder}). */
  public boolean hasEncoder() {
    return encoder != null;
  }

  // ---- the two sides ----------------------------------------------------------------------

  private long enter(ReentrantLock side, String what) {
    if (h.isClosed()) {
      throw h.closedError();
    }
    if (!side.tryLock()) {
      if (h.isClosed()) {
        throw h.closedError();
      }
      throw new ConcurrentModificationException("two threads used one Pipeline's " + what
          + " side at the same time: a pipeline takes one producer and one consumer thread (libcore's rule)");
    }
    try {
      return h.enter();
    } catch (RuntimeException e) {
      side.unlock();
      throw e;
    }
  }

  private void exit(ReentrantLock side) {
    h.exit();
    side.unlock();
  }

  private long enterConsumer() {
    long p = enter(consumer, "consumer");
    if (inEncoder) {
      exit(consumer);
      throw new IllegalStateException("the encoder called the pipeline's consumer side (nextEvent, submitEmbedding)");
    }
    return p;
  }

  // ---- producer ---------------------------------------------------------------------------

  /**
   * Appends float samples in [-1, 1].
   *
   * @throws CoreException FULL under REJECT when the ring cannot take them (nothing written);
   *     INVALID_ARGUMENT after {@link #flush()}
   */
  public void pushF32(float[] samples) {
    pushF32(samples, 0, Check.notNull(samples, "samples").length);
  }

  /** Appends {@code samples[offset, offset + length)} (see {@link #pushF32(float[])}). */
  public void pushF32(float[] samples, int offset, int length) {
    checkRange(offset, length, Check.notNull(samples, "samples").length);
    long p = enter(producer, "producer");
    try {
      CoreNative.jcore_pipeline_push_f32_array(p, samples, offset, length);
    } finally {
      exit(producer);
    }
  }

  /** Appends the buffer's remaining elements (direct, native byte order; position unchanged). */
  public void pushF32(FloatBuffer samples) {
    FloatBuffer b = Check.in(samples, "samples");
    long p = enter(producer, "producer");
    try {
      CoreNative.jcore_pipeline_push_f32_direct(p, b);
    } finally {
      exit(producer);
    }
  }

  /** Appends 16-bit PCM samples, converted as {@code v / 32768} (see {@link #pushF32(float[])}). */
  public void pushI16(short[] samples) {
    pushI16(samples, 0, Check.notNull(samples, "samples").length);
  }

  /** Appends {@code samples[offset, offset + length)} of 16-bit PCM. */
  public void pushI16(short[] samples, int offset, int length) {
    checkRange(offset, length, Check.notNull(samples, "samples").length);
    long p = enter(producer, "producer");
    try {
      CoreNative.jcore_pipeline_push_i16_array(p, samples, offset, length);
    } finally {
      exit(producer);
    }
  }

  /**
   * End of stream: the consumer's next calls finish the VAD, cut the last
   * windows and deliver everything, then END. Pushes are refused afterwards;
   * a second flush does nothing.
   */
  public void flush() {
    long p = enter(producer, "producer");
    try {
      CoreNative.core_pipeline_flush(p);
    } finally {
      exit(producer);
    }
  }

  private static void checkRange(int offset, int length, int n) {
    if (offset < 0 || length < 0 || offset > n - length) {
      throw new IndexOutOfBoundsException(
          "range [" + offset + ", " + offset + " + " + length + ") outside an array of " + n);
    }
  }

  // ---- consumer ---------------------------------------------------------------------------

  /**
   * Runs the analysis the pushed audio allows and returns the next event, or
   * null when none is ready (push more, or call again later; after END, always null).
   * With an encoder, encodes the windows that miss the cache on the way (see the class comment).
   */
  public PipelineEvent nextEvent() {
    long p = enterConsumer();
    try {
      if (waiting != null) {
        encode(p, waiting);
      }
      for (;;) {
        PipelineEvent e = poll(p);
        if (e == null || encoder == null || e.kind() != PipelineEvent.Kind.NEEDS_ENCODING) {
          return e;
        }
        waiting = e;
        encode(p, e);
      }
    } finally {
      exit(consumer);
    }
  }

  /** Every event ready now ({@link #nextEvent()} until null), in order. */
  public List<PipelineEvent> drain() {
    List<PipelineEvent> out = new ArrayList<>();
    for (PipelineEvent e; (e = nextEvent()) != null;) {
      out.add(e);
    }
    return out;
  }

  private PipelineEvent poll(long p) {
    arrays[0] = null;
    arrays[1] = null;
    if (CoreNative.jcore_pipeline_next_event(p, info, arrays) == 0) {
      return null;
    }
    PipelineEvent e = new PipelineEvent(info, (float[]) arrays[0], (float[]) arrays[1]);
    arrays[0] = null;
    arrays[1] = null;
    return e;
  }

  private void encode(long p, PipelineEvent e) {
    float[] embedding;
    inEncoder = true;
    try {
      embedding = encoder.encode(e.features(), e.nMels(), e.nFrames());
    } finally {
      inEncoder = false;
    }
    if (embedding == null || embedding.length != options.dim()) {
      throw new IllegalStateException("the encoder returned " + (embedding == null ? "null" : embedding.length
          + " floats") + " for window " + e.windowId() + ", not dim = " + options.dim() + " floats");
    }
    CoreNative.jcore_pipeline_submit_embedding(p, e.windowId(), embedding);
    waiting = null;
  }

  /**
   * The embedding of a window announced by a NEEDS_ENCODING event
   * ({@code dim} floats, copied). It goes into the cache and the window's
   * WINDOW event follows.
   *
   * @throws CoreException NOT_FOUND for a window id not waiting; INVALID_ARGUMENT for a length other than dim
   */
  public void submitEmbedding(long windowId, float[] embedding) {
    Check.notNull(embedding, "embedding");
    long p = enterConsumer();
    try {
      CoreNative.jcore_pipeline_submit_embedding(p, windowId, embedding);
      if (waiting != null && waiting.windowId() == windowId) {
        waiting = null;
      }
    } finally {
      exit(consumer);
    }
  }

  // ---- queries ----------------------------------------------------------------------------

  /** A snapshot of the counters (any thread). */
  public PipelineStats stats() {
    long[] raw = new long[13];
    long p = h.enter();
    try {
      CoreNative.jcore_pipeline_stats(p, raw);
    } finally {
      h.exit();
    }
    return new PipelineStats(raw);
  }

  /**
   * The pipeline's metrics (timers pipeline.push, vad.process, features.logmel,
   * encoder.lookup, encoder.forward, encoder.batch_size; counters
   * pipeline.chunks, pipeline.samples, pipeline.windows, encoder.cache_hits,
   * encoder.cache_misses, pipeline.dropped_samples; under the metrics prefix
   * when set) in Prometheus text format, names sanitized
   * ({@code pipeline_push_seconds_bucket{...}}). Any thread.
   */
  public String metricsPrometheus() {
    return metricsExport(Metrics.Format.PROMETHEUS);
  }

  /** The pipeline's metrics in any {@link Metrics.Format} (timers as histograms). Any thread. */
  public String metricsExport(Metrics.Format format) {
    Check.notNull(format, "format");
    int flags = Metrics.exportFlags(format, false);
    Object[] result = new Object[1];
    long p = h.enter();
    try {
      CoreNative.jcore_pipeline_metrics_export(p, format.code, flags, result);
    } finally {
      h.exit();
    }
    return new String((byte[]) result[0], StandardCharsets.UTF_8);
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return h.isClosed();
  }

  /**
   * Releases the pipeline ({@code core_pipeline_destroy}). Idempotent; waits
   * for calls in progress on other threads. Later calls throw
   * {@link IllegalStateException}.
   *
   * @throws IllegalStateException when called from inside one of this pipeline's calls (the encoder)
   */
  @Override
  public void close() {
    if (producer.isHeldByCurrentThread() || consumer.isHeldByCurrentThread()) {
      throw new IllegalStateException("a Pipeline cannot be closed from inside one of its own calls (the encoder)");
    }
    h.close();
  }

  @Override
  public String toString() {
    return "Pipeline{" + options + (encoder != null ? ", encoder" : ", no encoder")
        + (h.isClosed() ? ", closed}" : "}");
  }
}
