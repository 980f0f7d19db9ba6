package dev.libcore;

/**
 * int16 PCM audio to and from float samples (array.h).
 *
 * <p>{@link #decode} divides by 32768 (exact, into [-1, 1)); {@link #encode}
 * multiplies by 32768, rounds half to even and clips to [-32768, 32767],
 * NaN becoming 0, and reports how many samples were clipped or NaN, so
 * saturation is never silent. encode is the exact inverse of decode.
 */
public final class Pcm {
  private Pcm() {}

  /** The int16 samples and the count of inputs that were clipped or NaN. */
  public static final class Encoded {
    private final short[] samples;
    private final long clipped;

    Encoded(short[] samples, long clipped) {
      this.samples = samples;
      this.clipped = clipped;
    }

    /** The PCM samples (the array itself, not a copy). */
    public short[] samples() {
      return samples;
    }

    /** How many inputs were out of range or NaN. */
    public long clipped() {
      return clipped;
    }
  }

  /** int16 PCM to float32 in [-1, 1): {@code pcm[i] / 32768f}. */
  public static float[] decode(short[] pcm) {
    float[] out = new float[Check.notNull(pcm, "pcm").length];
    CoreNative.core_pcm16_to_f32(pcm, out);
    return out;
  }

  /** int16 PCM to float64: {@code pcm[i] / 32768.0}. */
  public static double[] decodeDouble(short[] pcm) {
    double[] out = new double[Check.notNull(pcm, "pcm").length];
    CoreNative.jcore_pcm16_to_f64(pcm, out);
    return out;
  }

  /** Float samples to int16 PCM, with the clipped count. */
  public static Encoded encode(float[] samples) {
    short[] out = new short[Check.notNull(samples, "samples").length];
    return new Encoded(out, (long) CoreNative.core_f32_to_pcm16(samples, out));
  }

  public static Encoded encode(double[] samples) {
    short[] out = new short[Check.notNull(samples, "samples").length];
    return new Encoded(out, (long) CoreNative.core_f64_to_pcm16(samples, out));
  }
}
