package dev.libcore;

import java.util.Objects;

/**
 * The options of a {@link Pipeline} (C: {@code core_pipeline_options_t},
 * pipeline.h). Immutable; made with {@link #builder()} on top of libcore's
 * own defaults ({@code core_pipeline_options_init}), so no default is repeated
 * in Java.
 *
 * <pre>{@code
 * PipelineOptions o = PipelineOptions.builder()
 *     .dim(256)                                   // the encoder's output floats per window: required
 *     .windowMs(1000).hopMs(500)                  // the defaults
 *     .vad(VadOptions.of(VadOptions.Preset.TRANSCRIBE))
 *     .build();
 * }</pre>
 *
 * <p>Defaults: 16 kHz, a 10 s ring that drops the oldest audio when the
 * consumer stalls ({@link RingBuffer.Policy#OVERWRITE}, counted), the VAD's
 * and log-mel's own defaults ({@link VadOptions#defaults()},
 * {@link LogMelOptions#defaults()}: Whisper's 80-band front end), 1000 ms
 * windows every 500 ms inside speech only, an own encoder cache of 4096
 * entries / 256 MiB keyed on the window's audio rounded to 4 decimals, and
 * {@code dim} 0, which {@link Pipeline} refuses: set it.
 *
 * <p>The pipeline's {@link #sampleRate()} overrides the {@code sampleRate} of
 * the nested VAD and log-mel options (libcore sets both from it). Checks are
 * libcore's, at {@link Pipeline} creation: {@link CoreException}
 * INVALID_ARGUMENT with a message naming the option (dim 0, a window
 * shorter than the log-mel's nFft or not a whole number of samples, ...).
 * The batcher options of the C struct are not here: the Java encoder runs
 * one window at a time (see {@link Pipeline}).
 */
public final class PipelineOptions {
  private static final class Defaults {
    static final PipelineOptions VALUES = read();

    private static PipelineOptions read() {
      double[] v = new double[11];
      double[] vad = new double[8];
      double[] lm = new double[8];
      CoreNative.jcore_pipeline_options_init(v, vad, lm);
      Builder b = new Builder();
      b.sampleRate = (int) v[0];
      b.ringMs = (int) v[1];
      b.ringPolicy = RingBuffer.Policy.of((int) v[2]);
      b.windowMs = (int) v[3];
      b.hopMs = (int) v[4];
      b.speechOnly = v[5] != 0;
      b.dim = (int) v[6];
      b.cacheDecimals = (int) v[7];
      b.cacheMaxEntries = (long) v[8];
      b.cacheMaxBytes = (long) v[9];
      b.cacheTtlMillis = (long) v[10];
      b.vad = VadOptions.builder().sampleRate((int) vad[0]).frameMs((int) vad[1]).threshold((float) vad[2])
          .negThreshold((float) vad[3]).minSpeechMs((int) vad[4]).minSilenceMs((int) vad[5])
          .speechPadMs((int) vad[6]).maxSpeechMs((int) vad[7]).build();
      b.logMel = LogMelOptions.builder().sampleRate((int) lm[0]).nFft((int) lm[1]).hop((int) lm[2])
          .nMels((int) lm[3]).fmin(lm[4]).fmax(lm[5]).mode(LogMelOptions.Mode.of((int) lm[6]))
          .windowFrames((int) lm[7]).build();
      return new PipelineOptions(b);
    }
  }

  private final int sampleRate;
  private final int ringMs;
  private final RingBuffer.Policy ringPolicy;
  private final VadOptions vad;
  private final LogMelOptions logMel;
  private final int windowMs;
  private final int hopMs;
  private final boolean speechOnly;
  private final int dim;
  private final int cacheDecimals;
  private final long cacheMaxEntries;
  private final long cacheMaxBytes;
  private final long cacheTtlMillis;
  private final String metricsPrefix;

  private PipelineOptions(Builder b) {
    this.sampleRate = b.sampleRate;
    this.ringMs = b.ringMs;
    this.ringPolicy = b.ringPolicy;
    this.vad = b.vad;
    this.logMel = b.logMel;
    this.windowMs = b.windowMs;
    this.hopMs = b.hopMs;
    this.speechOnly = b.speechOnly;
    this.dim = b.dim;
    this.cacheDecimals = b.cacheDecimals;
    this.cacheMaxEntries = b.cacheMaxEntries;
    this.cacheMaxBytes = b.cacheMaxBytes;
    this.cacheTtlMillis = b.cacheTtlMillis;
    this.metricsPrefix = b.metricsPrefix;
  }

  /** libcore's defaults ({@code core_pipeline_options_init}); {@code dim} is 0 there, which a pipeline refuses. */
  public static PipelineOptions defaults() {
    return Defaults.VALUES;
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder(defaults());
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Hz (default 16000); also the VAD's and log-mel's rate. */
  public int sampleRate() {
    return sampleRate;
  }

  /** The ring's capacity in ms (default 10000). */
  public int ringMs() {
    return ringMs;
  }

  /** What a full ring does (default OVERWRITE: the oldest audio is dropped, counted). */
  public RingBuffer.Policy ringPolicy() {
    return ringPolicy;
  }

  /** The detector's options (their sampleRate is replaced by {@link #sampleRate()}). */
  public VadOptions vad() {
    return vad;
  }

  /** The log-mel options of every window (their sampleRate is replaced by {@link #sampleRate()}). */
  public LogMelOptions logMel() {
    return logMel;
  }

  /** The analysis window in ms (default 1000). */
  public int windowMs() {
    return windowMs;
  }

  /** Between window starts in ms (default 500). */
  public int hopMs() {
    return hopMs;
  }

  /** Windows only inside speech segments (default true); false: over the whole stream, no VAD. */
  public boolean speechOnly() {
    return speechOnly;
  }

  /** The encoder's output floats per window (default 0: must be set). */
  public int dim() {
    return dim;
  }

  /** Decimals of the audio kept in a cache key (default 4). */
  public int cacheDecimals() {
    return cacheDecimals;
  }

  /** The pipeline's own cache: at most this many entries (0: no count bound). */
  public long cacheMaxEntries() {
    return cacheMaxEntries;
  }

  /** The pipeline's own cache: at most this many bytes (0: no byte bound). */
  public long cacheMaxBytes() {
    return cacheMaxBytes;
  }

  /** The pipeline's own cache: entries expire this long after their write (0: never). */
  public long cacheTtlMillis() {
    return cacheTtlMillis;
  }

  /** Prepended to the metric names with a '.', or null (default): none. */
  public String metricsPrefix() {
    return metricsPrefix;
  }

  /** Samples per window: {@code windowMs * sampleRate / 1000}. */
  public long windowSamples() {
    return (long) windowMs * sampleRate / 1000;
  }

  /** Samples between window starts. */
  public long hopSamples() {
    return (long) hopMs * sampleRate / 1000;
  }

  double[] raw() {
    return new double[] {sampleRate, ringMs, ringPolicy.code, windowMs, hopMs, speechOnly ? 1 : 0, dim, cacheDecimals,
        cacheMaxEntries, cacheMaxBytes, cacheTtlMillis};
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PipelineOptions)) {
      return false;
    }
    PipelineOptions x = (PipelineOptions) o;
    return sampleRate == x.sampleRate && ringMs == x.ringMs && ringPolicy == x.ringPolicy && vad.equals(x.vad)
        && logMel.equals(x.logMel) && windowMs == x.windowMs && hopMs == x.hopMs && speechOnly == x.speechOnly
        && dim == x.dim && cacheDecimals == x.cacheDecimals && cacheMaxEntries == x.cacheMaxEntries
        && cacheMaxBytes == x.cacheMaxBytes && cacheTtlMillis == x.cacheTtlMillis
        && Objects.equals(metricsPrefix, x.metricsPrefix);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sampleRate, ringMs, ringPolicy, vad, logMel, windowMs, hopMs, speechOnly, dim, cacheDecimals,
        cacheMaxEntries, cacheMaxBytes, cacheTtlMillis, metricsPrefix);
  }

  @Override
  public String toString() {
    return "PipelineOptions{sampleRate=" + sampleRate + ", ringMs=" + ringMs + ", ringPolicy=" + ringPolicy
        + ", windowMs=" + windowMs + ", hopMs=" + hopMs + ", speechOnly=" + speechOnly + ", dim=" + dim
        + ", cacheDecimals=" + cacheDecimals + ", cacheMaxEntries=" + cacheMaxEntries + ", cacheMaxBytes="
        + cacheMaxBytes + ", cacheTtlMillis=" + cacheTtlMillis + ", metricsPrefix=" + metricsPrefix + ", vad=" + vad
        + ", logMel=" + logMel + "}";
  }

  /** Builds {@link PipelineOptions}; negative values are refused here, the rest by libcore. */
  public static final class Builder {
    private int sampleRate;
    private int ringMs;
    private RingBuffer.Policy ringPolicy;
    private VadOptions vad;
    private LogMelOptions logMel;
    private int windowMs;
    private int hopMs;
    private boolean speechOnly;
    private int dim;
    private int cacheDecimals;
    private long cacheMaxEntries;
    private long cacheMaxBytes;
    private long cacheTtlMillis;
    private String metricsPrefix;

    private Builder() {}

    private Builder(PipelineOptions from) {
      this.sampleRate = from.sampleRate;
      this.ringMs = from.ringMs;
      this.ringPolicy = from.ringPolicy;
      this.vad = from.vad;
      this.logMel = from.logMel;
      this.windowMs = from.windowMs;
      this.hopMs = from.hopMs;
      this.speechOnly = from.speechOnly;
      this.dim = from.dim;
      this.cacheDecimals = from.cacheDecimals;
      this.cacheMaxEntries = from.cacheMaxEntries;
      this.cacheMaxBytes = from.cacheMaxBytes;
      this.cacheTtlMillis = from.cacheTtlMillis;
      this.metricsPrefix = from.metricsPrefix;
    }

    public Builder sampleRate(int hz) {
      this.sampleRate = Check.notNegative(hz, "sampleRate");
      return this;
    }

    public Builder ringMs(int ms) {
      this.ringMs = Check.notNegative(ms, "ringMs");
      return this;
    }

    public Builder ringPolicy(RingBuffer.Policy policy) {
      this.ringPolicy = Check.notNull(policy, "policy");
      return this;
    }

    public Builder vad(VadOptions options) {
      this.vad = Check.notNull(options, "vad");
      return this;
    }

    public Builder logMel(LogMelOptions options) {
      this.logMel = Check.notNull(options, "logMel");
      return this;
    }

    public Builder windowMs(int ms) {
      this.windowMs = Check.notNegative(ms, "windowMs");
      return this;
    }

    public Builder hopMs(int ms) {
      this.hopMs = Check.notNegative(ms, "hopMs");
      return this;
    }

    public Builder speechOnly(boolean speechOnly) {
      this.speechOnly = speechOnly;
      return this;
    }

    public Builder dim(int dim) {
      this.dim = Check.notNegative(dim, "dim");
      return this;
    }

    public Builder cacheDecimals(int decimals) {
      this.cacheDecimals = Check.notNegative(decimals, "cacheDecimals");
      return this;
    }

    public Builder cacheMaxEntries(long n) {
      this.cacheMaxEntries = notNegative(n, "cacheMaxEntries");
      return this;
    }

    public Builder cacheMaxBytes(long n) {
      this.cacheMaxBytes = notNegative(n, "cacheMaxBytes");
      return this;
    }

    public Builder cacheTtlMillis(long ms) {
      this.cacheTtlMillis = notNegative(ms, "cacheTtlMillis");
      return this;
    }

    /** Prepended to the metric names with a '.' (e.g. "mic1" gives mic1.pipeline.push); null: none. */
    public Builder metricsPrefix(String prefix) {
      this.metricsPrefix = prefix;
      return this;
    }

    public PipelineOptions build() {
      return new PipelineOptions(this);
    }

    private static long notNegative(long v, String name) {
      if (v < 0) {
        throw new IllegalArgumentException(name + " must be >= 0, got " + v);
      }
      return v;
    }
  }
}
