package dev.libcore;

import java.util.SplittableRandom;

/** Synthetic audio for the audio tests. */
final class Signals {
  private Signals() {}

  /** A sine of the given frequency and amplitude. */
  static float[] tone(int n, double hz, double amplitude, int sampleRate) {
    float[] x = new float[n];
    for (int i = 0; i < n; ++i) {
      x[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / sampleRate));
    }
    return x;
  }

  /** Uniform white noise in [-amplitude, amplitude), deterministic. */
  static float[] noise(long seed, int n, double amplitude) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; ++i) {
      x[i] = (float) (amplitude * (2 * r.nextDouble() - 1));
    }
    return x;
  }

  /** x with y added from sample `at` on. */
  static float[] add(float[] x, float[] y, int at) {
    float[] out = x.clone();
    for (int i = 0; i < y.length && at + i < out.length; ++i) {
      out[at + i] += y[i];
    }
    return out;
  }
}
