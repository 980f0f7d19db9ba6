package dev.libcore;

/**
 * One event of a {@link Pipeline} (C: {@code core_event_t}, pipeline.h).
 * Immutable except for its arrays, which are this event's own copies of
 * libcore's (libcore's pointers die at the next consumer call): changing one
 * changes only this event.
 *
 * <p>Positions ({@link #start()}, {@link #end()}) are samples since the
 * pipeline's first push. Order: a segment's SPEECH_START before its WINDOW
 * events, WINDOW events in window-id order, the segment's SPEECH_END after its
 * windows, END last (after {@link Pipeline#flush()}). NEEDS_ENCODING events
 * (a pipeline without a Java encoder) come as soon as a window misses the
 * cache, ahead of that order.
 */
public final class PipelineEvent {
  /** What happened (C: {@code core_event_kind}). */
  public enum Kind {
    /** Speech began at {@link #start()} (padding included). */
    SPEECH_START(1),
    /** The final segment [{@link #start()}, {@link #end()}). */
    SPEECH_END(2),
    /** A window [{@link #start()}, {@link #end()}) with its features and embedding. */
    WINDOW(3),
    /** No encoder: a window's features are ready; {@link Pipeline#submitEmbedding} its embedding. */
    NEEDS_ENCODING(4),
    /** The encoder failed this window ({@link #status()}); from libcore's C encoders only. */
    ENCODER_ERROR(5),
    /** After {@link Pipeline#flush()}: everything has been delivered. */
    END(6);

    final int code;

    Kind(int code) {
      this.code = code;
    }

    static Kind of(int code) {
      for (Kind k : values()) {
        if (k.code == code) {
          return k;
        }
      }
      throw new IllegalStateException("libcore reports an unknown pipeline event kind " + code);
    }
  }

  private static final float[] NONE = new float[0];

  private final Kind kind;
  private final long windowId;
  private final long start;
  private final long end;
  private final float[] features;
  private final int nMels;
  private final int nFrames;
  private final float[] embedding;
  private final boolean cacheHit;
  private final int status;

  /** From jcore_pipeline_next_event's long[9] {kind, window_id, start, end, n_mels, n_frames, dim, cache_hit, status}. */
  PipelineEvent(long[] info, float[] features, float[] embedding) {
    this.kind = Kind.of((int) info[0]);
    this.windowId = info[1];
    this.start = info[2];
    this.end = info[3];
    this.features = features != null ? features : NONE;
    this.nMels = features != null ? (int) info[4] : 0;
    this.nFrames = features != null ? (int) info[5] : 0;
    this.embedding = embedding != null ? embedding : NONE;
    this.cacheHit = info[7] != 0;
    this.status = (int) info[8];
  }

  public Kind kind() {
    return kind;
  }

  /** The window's id (WINDOW, NEEDS_ENCODING, ENCODER_ERROR), counting from 0 in window order. */
  public long windowId() {
    return windowId;
  }

  /** First sample: the segment's (SPEECH_START, SPEECH_END) or the window's. */
  public long start() {
    return start;
  }

  /** One past the last sample (SPEECH_END, window events). */
  public long end() {
    return end;
  }

  /** The segment (SPEECH_END) or window as a {@link Segment}. */
  public Segment segment() {
    return new Segment(start, end);
  }

  /**
   * The window's log-mel features, mel-major ({@code features[m * nFrames + t]}, as
   * {@link LogMel#compute}); empty for events without any. The array itself, not a copy.
   */
  public float[] features() {
    return features;
  }

  /** The features as a {@link MelSpectrogram} (sharing the array). */
  public MelSpectrogram spectrogram() {
    return new MelSpectrogram(nMels, nFrames, features);
  }

  /** Mel bands of {@link #features()} (0 without features). */
  public int nMels() {
    return nMels;
  }

  /** Frames of {@link #features()} (0 without features). */
  public int nFrames() {
    return nFrames;
  }

  /** The embedding, {@code dim} floats (WINDOW); empty otherwise. The array itself, not a copy. */
  public float[] embedding() {
    return embedding;
  }

  /** WINDOW: whether the embedding came from the cache rather than the encoder. */
  public boolean cacheHit() {
    return cacheHit;
  }

  /** ENCODER_ERROR: what the encoder returned; {@link Status#OK} otherwise. */
  public Status status() {
    return Status.of(status);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("PipelineEvent{").append(kind);
    switch (kind) {
      case SPEECH_START:
        s.append(", start=").append(start);
        break;
      case SPEECH_END:
        s.append(", start=").append(start).append(", end=").append(end);
        break;
      case END:
        break;
      default:
        s.append(", windowId=").append(windowId).append(", start=").append(start).append(", end=").append(end);
        if (nMels > 0) {
          s.append(", features=").append(nMels).append('x').append(nFrames);
        }
        if (kind == Kind.WINDOW) {
          s.append(", dim=").append(embedding.length).append(", cacheHit=").append(cacheHit);
        }
        if (kind == Kind.ENCODER_ERROR) {
          s.append(", status=").append(status());
        }
    }
    return s.append('}').toString();
  }
}
