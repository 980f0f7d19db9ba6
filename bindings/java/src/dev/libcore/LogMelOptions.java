package dev.libcore;

import java.util.Objects;

/**
 * Options of a log-mel analyser ({@link LogMel}) or stream
 * ({@link LogMelStream}) (C: {@code core_logmel_options_t}, audio.h). An
 * immutable value; build one from libcore's defaults, which are Whisper's
 * front end (16 kHz, 400-point FFT, hop 160, 80 bands, WHISPER mode, 3000
 * frames per streaming window), read from {@code core_logmel_options_init}:
 *
 * <pre>{@code
 * LogMelOptions whisper = LogMelOptions.defaults();
 * LogMelOptions largeV3 = LogMelOptions.builder().nMels(128).build();
 * LogMelOptions plain = whisper.toBuilder().mode(LogMelOptions.Mode.LOG10).build();
 * }</pre>
 *
 * <p>The builder refuses only what C cannot express (a negative value for an
 * unsigned field: {@link IllegalArgumentException}). Everything else is
 * checked by libcore when the analyser or stream is created: a value out of
 * range is a {@link CoreException} with {@link Status#INVALID_ARGUMENT} and a
 * message naming the field.
 */
public final class LogMelOptions {
  /** What happens after log10(max(mel power, 1e-10)) (C: {@code core_logmel_mode}). */
  public enum Mode {
    /**
     * openai/whisper's log_mel_spectrogram: every value clamped to at least
     * (maximum over the whole output - 8), then (x + 4) / 4. The default.
     */
    WHISPER(0),
    /** log10 of the mel power with the 1e-10 floor, nothing else: each frame depends only on its samples. */
    LOG10(1);

    final int code;

    Mode(int code) {
      this.code = code;
    }

    static Mode of(int code) {
      for (Mode m : values()) {
        if (m.code == code) {
          return m;
        }
      }
      throw new IllegalStateException("libcore reports an unknown log-mel mode " + code);
    }
  }

  /** libcore's defaults, read once. */
  private static final class Defaults {
    static final LogMelOptions VALUES = read();

    private static LogMelOptions read() {
      double[] v = new double[8];
      CoreNative.jcore_logmel_options_init(v);
      return new LogMelOptions(v);
    }
  }

  private final int sampleRate;
  private final int nFft;
  private final int hop;
  private final int nMels;
  private final double fmin;
  private final double fmax;
  private final Mode mode;
  private final int windowFrames;

  /** From the raw layer's double[8] (jni/jcore_audio.h). */
  private LogMelOptions(double[] v) {
    this.sampleRate = (int) v[0];
    this.nFft = (int) v[1];
    this.hop = (int) v[2];
    this.nMels = (int) v[3];
    this.fmin = v[4];
    this.fmax = v[5];
    this.mode = Mode.of((int) v[6]);
    this.windowFrames = (int) v[7];
  }

  private LogMelOptions(Builder b) {
    this.sampleRate = b.sampleRate;
    this.nFft = b.nFft;
    this.hop = b.hop;
    this.nMels = b.nMels;
    this.fmin = b.fmin;
    this.fmax = b.fmax;
    this.mode = b.mode;
    this.windowFrames = b.windowFrames;
  }

  /** libcore's defaults ({@code core_logmel_options_init}): Whisper's front end. */
  public static LogMelOptions defaults() {
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

  /** Sample rate in Hz (1000 .. 384000). */
  public int sampleRate() {
    return sampleRate;
  }

  /** FFT size = window length in samples (2 .. 65536). */
  public int nFft() {
    return nFft;
  }

  /** Samples between frames (>= 1). */
  public int hop() {
    return hop;
  }

  /** Mel bands (1 .. nFft / 2 + 1). */
  public int nMels() {
    return nMels;
  }

  /** FFT bins per band of the filterbank: {@code nFft / 2 + 1}. */
  public int nBins() {
    return nFft / 2 + 1;
  }

  /** Lowest filter edge in Hz. */
  public double fmin() {
    return fmin;
  }

  /** Highest filter edge in Hz; 0 means sampleRate / 2. */
  public double fmax() {
    return fmax;
  }

  /** WHISPER or LOG10. */
  public Mode mode() {
    return mode;
  }

  /**
   * Streaming in WHISPER mode only: frames per normalization window (0: the
   * whole stream is one window, emitted at flush). Ignored offline.
   */
  public int windowFrames() {
    return windowFrames;
  }

  /** The raw layer's double[8] {sample_rate, n_fft, hop, n_mels, fmin, fmax, mode, window_frames}. */
  double[] raw() {
    return new double[] {sampleRate, nFft, hop, nMels, fmin, fmax, mode.code, windowFrames};
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof LogMelOptions)) {
      return false;
    }
    LogMelOptions x = (LogMelOptions) o;
    return sampleRate == x.sampleRate && nFft == x.nFft && hop == x.hop && nMels == x.nMels
        && Double.compare(fmin, x.fmin) == 0 && Double.compare(fmax, x.fmax) == 0 && mode == x.mode
        && windowFrames == x.windowFrames;
  }

  @Override
  public int hashCode() {
    return Objects.hash(sampleRate, nFft, hop, nMels, fmin, fmax, mode, windowFrames);
  }

  @Override
  public String toString() {
    return "LogMelOptions{sampleRate=" + sampleRate + ", nFft=" + nFft + ", hop=" + hop + ", nMels=" + nMels
        + ", fmin=" + fmin + ", fmax=" + fmax + ", mode=" + mode + ", windowFrames=" + windowFrames + "}";
  }

  /** Builds {@link LogMelOptions}; starts from the values it was made from. */
  public static final class Builder {
    private int sampleRate;
    private int nFft;
    private int hop;
    private int nMels;
    private double fmin;
    private double fmax;
    private Mode mode;
    private int windowFrames;

    private Builder(LogMelOptions from) {
      this.sampleRate = from.sampleRate;
      this.nFft = from.nFft;
      this.hop = from.hop;
      this.nMels = from.nMels;
      this.fmin = from.fmin;
      this.fmax = from.fmax;
      this.mode = from.mode;
      this.windowFrames = from.windowFrames;
    }

    /** Hz; libcore accepts 1000 .. 384000. */
    public Builder sampleRate(int hz) {
      this.sampleRate = Check.notNegative(hz, "sampleRate");
      return this;
    }

    /** FFT size = window length; libcore accepts 2 .. 65536. */
    public Builder nFft(int n) {
      this.nFft = Check.notNegative(n, "nFft");
      return this;
    }

    /** Samples between frames; libcore accepts >= 1. */
    public Builder hop(int samples) {
      this.hop = Check.notNegative(samples, "hop");
      return this;
    }

    /** Mel bands; libcore accepts 1 .. nFft / 2 + 1 (Whisper: 80, large-v3: 128). */
    public Builder nMels(int n) {
      this.nMels = Check.notNegative(n, "nMels");
      return this;
    }

    /** Lowest filter edge in Hz (finite, >= 0, below fmax). */
    public Builder fmin(double hz) {
      this.fmin = hz;
      return this;
    }

    /** Highest filter edge in Hz (at most sampleRate / 2); 0 means sampleRate / 2. */
    public Builder fmax(double hz) {
      this.fmax = hz;
      return this;
    }

    public Builder mode(Mode mode) {
      this.mode = Check.notNull(mode, "mode");
      return this;
    }

    /** Streaming WHISPER mode: frames per normalization window; 0 = one window for the whole stream. */
    public Builder windowFrames(int frames) {
      this.windowFrames = Check.notNegative(frames, "windowFrames");
      return this;
    }

    public LogMelOptions build() {
      return new LogMelOptions(this);
    }
  }
}
