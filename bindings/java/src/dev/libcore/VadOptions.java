package dev.libcore;

import java.util.Objects;

/**
 * Options of a voice activity detector ({@link Vad}, {@link Vad#segments})
 * (C: {@code core_vad_options_t}, audio.h). An immutable value, built from
 * one of libcore's presets, whose values are read from
 * {@code core_vad_options_init} / {@code core_vad_options_preset}:
 *
 * <pre>{@code
 * VadOptions silero = VadOptions.defaults();                     // Preset.DEFAULT
 * VadOptions whisper = VadOptions.of(VadOptions.Preset.TRANSCRIBE);
 * VadOptions mine = VadOptions.builder(VadOptions.Preset.AGGRESSIVE).speechPadMs(100).build();
 * }</pre>
 *
 * <p>Times are in milliseconds and positions in samples at
 * {@link #sampleRate()}. The builder refuses only what C cannot express (a
 * negative value for an unsigned field: {@link IllegalArgumentException});
 * libcore checks the rest when a detector is created or
 * {@link Vad#segments} runs: {@link CoreException} with
 * {@link Status#INVALID_ARGUMENT} and a message naming the field.
 */
public final class VadOptions {
  /** Starting points (C: {@code core_vad_preset}). */
  public enum Preset {
    /** Silero VAD's defaults: threshold 0.5, min speech 250 ms, min silence 100 ms, pad 30 ms. */
    DEFAULT(0),
    /** Long segments for transcription (faster-whisper's VadOptions): min silence 2000 ms, pad 400 ms. */
    TRANSCRIBE(1),
    /** Noisy rooms: a higher threshold and longer minimum speech, so taps and clicks are not reported. */
    AGGRESSIVE(2);

    final int code;

    Preset(int code) {
      this.code = code;
    }
  }

  /** libcore's presets, read once each. */
  private static final class Presets {
    static final VadOptions DEFAULTS = read(-1);
    static final VadOptions[] VALUES = {read(Preset.DEFAULT.code), read(Preset.TRANSCRIBE.code),
        read(Preset.AGGRESSIVE.code)};

    private static VadOptions read(int preset) {
      double[] v = new double[8];
      CoreNative.jcore_vad_options(preset, v);
      return new VadOptions(v);
    }
  }

  private final int sampleRate;
  private final int frameMs;
  private final float threshold;
  private final float negThreshold;
  private final int minSpeechMs;
  private final int minSilenceMs;
  private final int speechPadMs;
  private final int maxSpeechMs;

  /** From the raw layer's double[8] (jni/jcore_audio.h). */
  private VadOptions(double[] v) {
    this.sampleRate = (int) v[0];
    this.frameMs = (int) v[1];
    this.threshold = (float) v[2];
    this.negThreshold = (float) v[3];
    this.minSpeechMs = (int) v[4];
    this.minSilenceMs = (int) v[5];
    this.speechPadMs = (int) v[6];
    this.maxSpeechMs = (int) v[7];
  }

  private VadOptions(Builder b) {
    this.sampleRate = b.sampleRate;
    this.frameMs = b.frameMs;
    this.threshold = b.threshold;
    this.negThreshold = b.negThreshold;
    this.minSpeechMs = b.minSpeechMs;
    this.minSilenceMs = b.minSilenceMs;
    this.speechPadMs = b.speechPadMs;
    this.maxSpeechMs = b.maxSpeechMs;
  }

  /** libcore's defaults ({@code core_vad_options_init}): {@link Preset#DEFAULT}. */
  public static VadOptions defaults() {
    return Presets.DEFAULTS;
  }

  /** A preset's options ({@code core_vad_options_preset}). */
  public static VadOptions of(Preset preset) {
    return Presets.VALUES[Check.notNull(preset, "preset").ordinal()];
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder(defaults());
  }

  /** A builder starting from a preset. */
  public static Builder builder(Preset preset) {
    return new Builder(of(preset));
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Hz (8000 .. 192000, with sampleRate * frameMs a multiple of 1000). Default 16000. */
  public int sampleRate() {
    return sampleRate;
  }

  /** Frame length: 10, 20 or 30 ms. */
  public int frameMs() {
    return frameMs;
  }

  /** Frame length in samples: {@code sampleRate * frameMs / 1000}. */
  public int frameSamples() {
    return (int) ((long) sampleRate * frameMs / 1000);
  }

  /** Entry threshold on the frame's speech score, in (0, 1). */
  public float threshold() {
    return threshold;
  }

  /** Exit threshold (hysteresis), below threshold; 0 means threshold - 0.15 (at least 0.01). */
  public float negThreshold() {
    return negThreshold;
  }

  /** Shorter speech is dropped. */
  public int minSpeechMs() {
    return minSpeechMs;
  }

  /** Shorter pauses do not end a segment. */
  public int minSilenceMs() {
    return minSilenceMs;
  }

  /** Added on both sides of a segment (clipped to the stream, split between close segments). */
  public int speechPadMs() {
    return speechPadMs;
  }

  /** Longer segments are split at the quietest frame of their last part; 0: no limit. */
  public int maxSpeechMs() {
    return maxSpeechMs;
  }

  /** The raw layer's double[8]. */
  double[] raw() {
    return new double[] {sampleRate, frameMs, threshold, negThreshold, minSpeechMs, minSilenceMs, speechPadMs,
        maxSpeechMs};
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof VadOptions)) {
      return false;
    }
    VadOptions x = (VadOptions) o;
    return sampleRate == x.sampleRate && frameMs == x.frameMs && Float.compare(threshold, x.threshold) == 0
        && Float.compare(negThreshold, x.negThreshold) == 0 && minSpeechMs == x.minSpeechMs
        && minSilenceMs == x.minSilenceMs && speechPadMs == x.speechPadMs && maxSpeechMs == x.maxSpeechMs;
  }

  @Override
  public int hashCode() {
    return Objects.hash(sampleRate, frameMs, threshold, negThreshold, minSpeechMs, minSilenceMs, speechPadMs,
        maxSpeechMs);
  }

  @Override
  public String toString() {
    return "VadOptions{sampleRate=" + sampleRate + ", frameMs=" + frameMs + ", threshold=" + threshold
        + ", negThreshold=" + negThreshold + ", minSpeechMs=" + minSpeechMs + ", minSilenceMs=" + minSilenceMs
        + ", speechPadMs=" + speechPadMs + ", maxSpeechMs=" + maxSpeechMs + "}";
  }

  /** Builds {@link VadOptions}; starts from the values it was made from. */
  public static final class Builder {
    private int sampleRate;
    private int frameMs;
    private float threshold;
    private float negThreshold;
    private int minSpeechMs;
    private int minSilenceMs;
    private int speechPadMs;
    private int maxSpeechMs;

    private Builder(VadOptions from) {
      this.sampleRate = from.sampleRate;
      this.frameMs = from.frameMs;
      this.threshold = from.threshold;
      this.negThreshold = from.negThreshold;
      this.minSpeechMs = from.minSpeechMs;
      this.minSilenceMs = from.minSilenceMs;
      this.speechPadMs = from.speechPadMs;
      this.maxSpeechMs = from.maxSpeechMs;
    }

    /** Hz; libcore accepts 8000 .. 192000 with sampleRate * frameMs a multiple of 1000. */
    public Builder sampleRate(int hz) {
      this.sampleRate = Check.notNegative(hz, "sampleRate");
      return this;
    }

    /** 10, 20 or 30. */
    public Builder frameMs(int ms) {
      this.frameMs = Check.notNegative(ms, "frameMs");
      return this;
    }

    /** In (0, 1). */
    public Builder threshold(float threshold) {
      this.threshold = threshold;
      return this;
    }

    /** In [0, threshold); 0 = threshold - 0.15. */
    public Builder negThreshold(float negThreshold) {
      this.negThreshold = negThreshold;
      return this;
    }

    public Builder minSpeechMs(int ms) {
      this.minSpeechMs = Check.notNegative(ms, "minSpeechMs");
      return this;
    }

    public Builder minSilenceMs(int ms) {
      this.minSilenceMs = Check.notNegative(ms, "minSilenceMs");
      return this;
    }

    public Builder speechPadMs(int ms) {
      this.speechPadMs = Check.notNegative(ms, "speechPadMs");
      return this;
    }

    /** 0 (no limit) or at least minSpeechMs + 2 * speechPadMs + 2 * frameMs. */
    public Builder maxSpeechMs(int ms) {
      this.maxSpeechMs = Check.notNegative(ms, "maxSpeechMs");
      return this;
    }

    public VadOptions build() {
      return new VadOptions(this);
    }
  }
}
