package dev.libcore;

/**
 * A snapshot of a {@link Pipeline}'s counters (C: {@code core_pipeline_stats_t}).
 * Counters may lag a call in progress on another thread.
 *
 * <p>{@link #encoderCalls()} and {@link #encoderErrors()} count calls of a C
 * encoder, which this binding never installs: with a Java encoder (or
 * {@link Pipeline#submitEmbedding}) they stay 0, and every cache miss is one
 * encoding.
 */
public final class PipelineStats {
  private final long[] v;

  PipelineStats(long[] raw) {
    this.v = raw.clone();
  }

  /** Pushes. */
  public long chunks() {
    return v[0];
  }

  /** Samples pushed. */
  public long samples() {
    return v[1];
  }

  /** Samples the ring dropped (OVERWRITE, a stalled consumer). */
  public long droppedSamples() {
    return v[2];
  }

  /** Speech segments ended. */
  public long segments() {
    return v[3];
  }

  /** Windows cut. */
  public long windows() {
    return v[4];
  }

  /** Windows whose embedding came from the cache. */
  public long cacheHits() {
    return v[5];
  }

  /** Windows that needed the encoder. */
  public long cacheMisses() {
    return v[6];
  }

  /** Calls of a C encoder (0 in this binding). */
  public long encoderCalls() {
    return v[7];
  }

  /** Failed calls of a C encoder (0 in this binding). */
  public long encoderErrors() {
    return v[8];
  }

  /** samples / sampleRate. */
  public double audioSeconds() {
    return Double.longBitsToDouble(v[9]);
  }

  /** Time spent inside push and next event in libcore (the Java encoder's time excluded). */
  public double processingSeconds() {
    return Double.longBitsToDouble(v[10]);
  }

  /** processingSeconds / audioSeconds (below 1: faster than real time). */
  public double realTimeFactor() {
    return Double.longBitsToDouble(v[11]);
  }

  /** hits / lookups; NaN before any lookup. */
  public double cacheHitRate() {
    return Double.longBitsToDouble(v[12]);
  }

  @Override
  public String toString() {
    return "PipelineStats{chunks=" + chunks() + ", samples=" + samples() + ", droppedSamples=" + droppedSamples()
        + ", segments=" + segments() + ", windows=" + windows() + ", cacheHits=" + cacheHits() + ", cacheMisses="
        + cacheMisses() + ", audioSeconds=" + audioSeconds() + ", processingSeconds=" + processingSeconds()
        + ", realTimeFactor=" + realTimeFactor() + ", cacheHitRate=" + cacheHitRate() + "}";
  }
}
