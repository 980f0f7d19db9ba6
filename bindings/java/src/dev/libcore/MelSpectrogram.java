package dev.libcore;

import java.util.Arrays;

/**
 * A log-mel spectrogram from {@link LogMel#compute}: {@link #nMels()} bands
 * by {@link #nFrames()} frames, mel-major like Whisper's (80, 3000) tensor:
 * band m of frame t is {@code values()[m * nFrames() + t]}.
 *
 * <p>{@link #values()} returns the array itself, not a copy (a spectrogram
 * of 30 s is 240,000 floats): hand it to a model as is, and do not change it
 * if the object is shared. {@link #band(int)} and {@link #frame(int)} copy.
 */
public final class MelSpectrogram {
  private final int nMels;
  private final int nFrames;
  private final float[] values;

  MelSpectrogram(int nMels, int nFrames, float[] values) {
    this.nMels = nMels;
    this.nFrames = nFrames;
    this.values = values;
  }

  /** Mel bands (rows). */
  public int nMels() {
    return nMels;
  }

  /** Frames (columns): {@code samples / hop}. */
  public int nFrames() {
    return nFrames;
  }

  /** All values, mel-major: {@code nMels() * nFrames()} floats; the array itself, not a copy. */
  public float[] values() {
    return values;
  }

  /** Band m of frame t. */
  public float get(int mel, int frame) {
    if (mel < 0 || mel >= nMels || frame < 0 || frame >= nFrames) {
      throw new IndexOutOfBoundsException(
          "(" + mel + ", " + frame + ") outside a " + nMels + " x " + nFrames + " spectrogram");
    }
    return values[mel * nFrames + frame];
  }

  /** Band m over every frame (a copy of one row). */
  public float[] band(int mel) {
    if (mel < 0 || mel >= nMels) {
      throw new IndexOutOfBoundsException("band " + mel + " of " + nMels);
    }
    return Arrays.copyOfRange(values, mel * nFrames, (mel + 1) * nFrames);
  }

  /** Every band of frame t (a copy of one column), as a stream frame is laid out. */
  public float[] frame(int frame) {
    if (frame < 0 || frame >= nFrames) {
      throw new IndexOutOfBoundsException("frame " + frame + " of " + nFrames);
    }
    float[] f = new float[nMels];
    for (int m = 0; m < nMels; ++m) {
      f[m] = values[m * nFrames + frame];
    }
    return f;
  }

  /** Same shape and the same bits in every value (NaN equal to NaN). */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof MelSpectrogram)) {
      return false;
    }
    MelSpectrogram s = (MelSpectrogram) o;
    return nMels == s.nMels && nFrames == s.nFrames && Arrays.equals(values, s.values);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * nMels + nFrames) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "MelSpectrogram{" + nMels + " x " + nFrames + "}";
  }
}
