package dev.libcore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A collection of audio files analysed in parallel in libcore's task arena
 * (C: {@code core_collection_run}, collection.h): per file its length and
 * duration at the analysis rate, the statistics of its samples, the speech
 * segments found by the VAD and, with {@link Options#features()}, its
 * log-mel written to a NumPy {@code .npy} file (atomically: written beside
 * it as {@code <output>.partial}, then renamed).
 *
 * <pre>{@code
 * List<Collection.FileResult> rs = Collection.run(List.of("a.wav", "b.flac"),
 *     List.of("a.npy", "b.npy"), Collection.Options.builder().features(true).build());
 * for (Collection.FileResult r : rs) {
 *   System.out.println(r.json());     // core_file_summary_json's one-line record
 * }
 * }</pre>
 *
 * <p>Results come back in input order, whatever order the files finished
 * in, and do not depend on {@link Core#setNumThreads} or on
 * {@link Options#chunkSamples()}. A file that fails (missing, not audio,
 * its output not writable) is a result with its status and message; the
 * others go on. One call makes, uses and frees its native collection (the
 * shim of bindings/collection_shim.h): nothing to close, nothing leaks on
 * an exception, and any number of threads may call {@code run} at once.
 */
public final class Collection {
  private Collection() {}

  /**
   * Analyses every file of {@code paths} and returns one result per file, in
   * the same order.
   *
   * @param paths the audio files (WAV, FLAC, Ogg... as libsndfile reads them)
   * @param outputs null (no features written), or one {@code .npy} path per
   *     file, an entry of which may be null (no features for that file);
   *     written only with {@link Options#features()}
   * @param options null for libcore's defaults
   * @throws NullPointerException for paths or one of its entries null
   * @throws IllegalArgumentException for outputs of another length than
   *     paths, or a path holding a NUL character
   * @throws CoreException for the run as a whole: options libcore refuses
   *     ({@link Status#INVALID_ARGUMENT}, the message naming the field), or
   *     a libcore built without audio files ({@link Status#UNSUPPORTED})
   */
  public static List<FileResult> run(List<String> paths, List<String> outputs, Options options) {
    Check.notNull(paths, "paths");
    final int n = paths.size();
    if (outputs != null && outputs.size() != n) {
      throw new IllegalArgumentException(
          "outputs has " + outputs.size() + " entries for " + n + " paths (one per file, or null for none)");
    }
    Options o = options == null ? Options.defaults() : options;
    // Everything Java can refuse is refused before the native collection
    // exists, so the shim never sees a NULL path or a misuse.
    String[] names = new String[n];
    byte[][] pathBytes = new byte[n][];
    byte[][] outputBytes = new byte[n][];
    for (int i = 0; i < n; ++i) {
      names[i] = Check.notNull(paths.get(i), "paths[" + i + "]");
      pathBytes[i] = Batch.pathBytes(names[i]);
      String out = outputs == null ? null : outputs.get(i);
      outputBytes[i] = out == null ? null : Batch.pathBytes(out);
    }
    double[] raw = o.raw();
    double[] vad = o.vadOptions == null ? null : o.vadOptions.raw();
    double[] logMel = o.logMelOptions == null ? null : o.logMelOptions.raw();

    long c = CoreNative.corebind_collection_new();
    if (c == 0) {
      throw new OutOfMemoryError("libcore: no memory for a collection");
    }
    try {
      for (int i = 0; i < n; ++i) {
        CoreNative.corebind_collection_add(c, pathBytes[i], outputBytes[i]);
      }
      if (CoreNative.corebind_collection_count(c) != n) {
        throw new IllegalStateException("libcore: the collection holds " + CoreNative.corebind_collection_count(c)
            + " files, not " + n);
      }
      CoreNative.jcore_collection_run(c, raw, vad, logMel);
      List<FileResult> results = new ArrayList<>(n);
      Object[] texts = new Object[3];
      for (int i = 0; i < n; ++i) {
        CoreNative.jcore_collection_texts(c, i, texts);
        results.add(new FileResult(names[i], CoreNative.corebind_collection_status(c, i), utf8(texts[1]),
            utf8(texts[0]), CoreNative.corebind_collection_samples(c, i),
            CoreNative.corebind_collection_duration(c, i), CoreNative.corebind_collection_speech(c, i),
            CoreNative.corebind_collection_rms(c, i), CoreNative.corebind_collection_segments(c, i),
            CoreNative.corebind_collection_mel_frames(c, i)));
      }
      return Collections.unmodifiableList(results);
    } finally {
      CoreNative.corebind_collection_free(c);
    }
  }

  /** {@link #run(List, List, Options)} with no outputs and libcore's default options. */
  public static List<FileResult> run(List<String> paths) {
    return run(paths, null, null);
  }

  private static String utf8(Object bytes) {
    return new String((byte[]) bytes, StandardCharsets.UTF_8);
  }

  /** One file's result (C: {@code core_file_summary_t}, as kept by the shim). */
  public static final class FileResult {
    private final String path;
    private final int code;
    private final String message;
    private final String json;
    private final long samples;
    private final double duration;
    private final double speech;
    private final double rms;
    private final long segments;
    private final long melFrames;

    FileResult(String path, int code, String message, String json, long samples, double duration, double speech,
        double rms, long segments, long melFrames) {
      this.path = path;
      this.code = code;
      this.message = message;
      this.json = json;
      this.samples = samples;
      this.duration = duration;
      this.speech = speech;
      this.rms = rms;
      this.segments = segments;
      this.melFrames = melFrames;
    }

    /** The path as given. */
    public String path() {
      return path;
    }

    /** OK, or why this file failed (NOT_FOUND, FORMAT, IO, ...). */
    public Status status() {
      return Status.of(code);
    }

    /** The C status value. */
    public int code() {
      return code;
    }

    /** True when the file was analysed. */
    public boolean ok() {
      return code == Status.OK.code();
    }

    /** "" on success; else libcore's message for the failure (it names the file). */
    public String message() {
      return message;
    }

    /**
     * The one-line JSON record ({@code core_file_summary_json}), the same
     * bytes every front end writes: {@code {"path":..., "status":"CORE_OK", ...}}.
     */
    public String json() {
      return json;
    }

    /** Samples at the analysis rate. */
    public long samples() {
      return samples;
    }

    /** Seconds at the analysis rate: samples / sampleRate. */
    public double duration() {
      return duration;
    }

    /** Seconds of speech (all segments). */
    public double speech() {
      return speech;
    }

    /** sqrt(mean of squares) of the samples; 0 for none. */
    public double rms() {
      return rms;
    }

    /** Speech segments found (all of them, also beyond {@link Options#maxSegments()}). */
    public long segments() {
      return segments;
    }

    /** Log-mel frames written to the output (0 without features or output). */
    public long melFrames() {
      return melFrames;
    }

    @Override
    public String toString() {
      return ok() ? json : "FileResult{path=" + path + ", status=" + status() + ", message=" + message + "}";
    }
  }

  /**
   * What {@link #run} does per file (C: {@code core_collection_options_t}).
   * An immutable value whose defaults are read from
   * {@code core_collection_options_init}. The builder refuses only negative
   * values (C has unsigned fields); libcore checks the rest when the run
   * starts ({@link CoreException} INVALID_ARGUMENT naming the field).
   */
  public static final class Options {
    private static final class Defaults {
      static final Options VALUES = read();

      private static Options read() {
        double[] v = new double[5];
        CoreNative.jcore_collection_options_init(v);
        Builder b = new Builder();
        b.sampleRate = (int) v[0];
        b.chunkSamples = (long) v[1];
        b.vad = v[2] != 0;
        b.features = v[3] != 0;
        b.maxSegments = (long) v[4];
        return new Options(b);
      }
    }

    private final int sampleRate;
    private final long chunkSamples;
    private final boolean vad;
    private final boolean features;
    private final long maxSegments;
    private final VadOptions vadOptions;
    private final LogMelOptions logMelOptions;

    private Options(Builder b) {
      this.sampleRate = b.sampleRate;
      this.chunkSamples = b.chunkSamples;
      this.vad = b.vad;
      this.features = b.features;
      this.maxSegments = b.maxSegments;
      this.vadOptions = b.vadOptions;
      this.logMelOptions = b.logMelOptions;
    }

    /** libcore's defaults. */
    public static Options defaults() {
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

    /** The analysis rate in Hz (files are resampled to it); default 16000, 1000 to 384000. */
    public int sampleRate() {
      return sampleRate;
    }

    /** Samples read per step (the memory bound per file); default 65536, 1 to 2^24. */
    public long chunkSamples() {
      return chunkSamples;
    }

    /** Find speech segments (default true). */
    public boolean vad() {
      return vad;
    }

    /** Write each file's log-mel to its output (default false). */
    public boolean features() {
      return features;
    }

    /** Segments kept per file (more are counted); default 100000. */
    public long maxSegments() {
      return maxSegments;
    }

    /** The detector's options, or null for libcore's defaults (their sampleRate is replaced by {@link #sampleRate()}). */
    public VadOptions vadOptions() {
      return vadOptions;
    }

    /** The log-mel options, or null for libcore's defaults (their sampleRate is replaced by {@link #sampleRate()}). */
    public LogMelOptions logMelOptions() {
      return logMelOptions;
    }

    /** The raw layer's double[5]. */
    double[] raw() {
      return new double[] {sampleRate, chunkSamples, vad ? 1 : 0, features ? 1 : 0, maxSegments};
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Options)) {
        return false;
      }
      Options x = (Options) o;
      return sampleRate == x.sampleRate && chunkSamples == x.chunkSamples && vad == x.vad && features == x.features
          && maxSegments == x.maxSegments && Objects.equals(vadOptions, x.vadOptions)
          && Objects.equals(logMelOptions, x.logMelOptions);
    }

    @Override
    public int hashCode() {
      return Objects.hash(sampleRate, chunkSamples, vad, features, maxSegments, vadOptions, logMelOptions);
    }

    @Override
    public String toString() {
      return "Collection.Options{sampleRate=" + sampleRate + ", chunkSamples=" + chunkSamples + ", vad=" + vad
          + ", features=" + features + ", maxSegments=" + maxSegments + ", vadOptions=" + vadOptions
          + ", logMelOptions=" + logMelOptions + "}";
    }

    /** Builds {@link Options}. */
    public static final class Builder {
      private int sampleRate;
      private long chunkSamples;
      private boolean vad;
      private boolean features;
      private long maxSegments;
      private VadOptions vadOptions;
      private LogMelOptions logMelOptions;

      private Builder() {}

      private Builder(Options from) {
        this.sampleRate = from.sampleRate;
        this.chunkSamples = from.chunkSamples;
        this.vad = from.vad;
        this.features = from.features;
        this.maxSegments = from.maxSegments;
        this.vadOptions = from.vadOptions;
        this.logMelOptions = from.logMelOptions;
      }

      public Builder sampleRate(int hz) {
        this.sampleRate = Check.notNegative(hz, "sampleRate");
        return this;
      }

      public Builder chunkSamples(long n) {
        this.chunkSamples = notNegative(n, "chunkSamples");
        return this;
      }

      public Builder vad(boolean on) {
        this.vad = on;
        return this;
      }

      public Builder features(boolean on) {
        this.features = on;
        return this;
      }

      public Builder maxSegments(long n) {
        this.maxSegments = notNegative(n, "maxSegments");
        return this;
      }

      /** The detector's options; null: libcore's defaults. */
      public Builder vadOptions(VadOptions options) {
        this.vadOptions = options;
        return this;
      }

      /** The log-mel options (used with features); null: libcore's defaults. */
      public Builder logMelOptions(LogMelOptions options) {
        this.logMelOptions = options;
        return this;
      }

      public Options build() {
        return new Options(this);
      }

      private static long notNegative(long v, String name) {
        if (v < 0) {
          throw new IllegalArgumentException(name + " must be >= 0, got " + v);
        }
        return v;
      }
    }
  }
}
