package dev.libcore;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A log-mel analyser: Whisper-exact log-mel spectrograms, one clip or a
 * batch (C: {@code core_logmel_t}, audio.h). Immutable after creation and
 * safe on any number of threads at once.
 *
 * <pre>{@code
 * try (LogMel mel = new LogMel()) {                     // Whisper: 16 kHz, 400/160, 80 bands
 *   MelSpectrogram s = mel.compute(samples);            // float32 in [-1, 1], at least 400 samples
 *   float[] input = s.values();                         // 80 x nFrames, mel-major, like Whisper
 *   MelSpectrogram[] many = mel.computeBatch(clips);    // each clip on its own, in parallel
 * }
 * }</pre>
 *
 * <h2>What it computes</h2>
 * A periodic Hann window of nFft samples, frames centred on {@code t * hop}
 * with the signal reflected at both ends ({@code torch.stft(center=True,
 * pad_mode="reflect")}), the power spectrum, Slaney mel filters with Slaney
 * area normalization (librosa's defaults, what Whisper's mel_filters.npz
 * holds), {@code log10(max(mel, 1e-10))}, then in WHISPER mode Whisper's
 * clamp to (maximum - 8) and {@code (x + 4) / 4}. As in Whisper, n samples
 * give {@code n / hop} frames (rounded down); the input must hold at least
 * nFft samples. A frame touching a NaN or an infinity is NaN in every band.
 * Results are bit-identical for every {@link Core#setNumThreads} setting.
 *
 * <h2>Memory</h2>
 * Arrays follow the binding's rule: when the samples and the output are
 * both at most {@link Core#CRITICAL_ARRAY_MAX_ELEMENTS} elements (65,536
 * samples is 4 s at 16 kHz), libcore reads and writes the Java arrays
 * directly (JNI critical access, no copy; the GC waits for the call, about
 * 0.15 ms for 65,536 samples with Whisper's options). Longer calls copy the
 * samples in and the spectrogram out, so a long parallel call never holds
 * the GC off (30 s: about 1.2 ms instead of 1.05 ms on direct buffers).
 * Direct buffers ({@link #compute(FloatBuffer, FloatBuffer)}) are never
 * copied: the path for long audio. A batch is taken as a whole: critically
 * when all its clips and outputs together fit that limit (or when libcore
 * refuses it at once), else copied, and computed in one parallel call.
 *
 * <h2>Errors and closing</h2>
 * Too few samples (fewer than nFft), an output array too small, options out
 * of range: {@link CoreException} with libcore's status and message. A null
 * argument: {@link NullPointerException}. {@link #close()} is idempotent and
 * waits for computations in progress on other threads; every later call
 * throws {@link IllegalStateException}. An analyser that becomes unreachable
 * without being closed is released by a cleaner.
 */
public final class LogMel implements AutoCloseable {
  private final NativeHandle h;
  private final LogMelOptions options;

  /** An analyser with libcore's defaults (Whisper's front end). */
  public LogMel() {
    this(LogMelOptions.defaults());
  }

  /**
   * An analyser with these options (window, filterbank and FFT plans are made here).
   *
   * @throws CoreException INVALID_ARGUMENT for an option out of range (the message names it)
   */
  public LogMel(LogMelOptions options) {
    this.options = Check.notNull(options, "options");
    long[] handle = new long[1];
    CoreNative.jcore_logmel_create(options.raw(), handle);
    this.h = new NativeHandle.Shared("LogMel", handle[0], CoreNative::core_logmel_destroy);
  }

  /** The options it was created with. */
  public LogMelOptions options() {
    return options;
  }

  /** Mel bands per frame. */
  public int nMels() {
    return options.nMels();
  }

  /**
   * The frames {@link #compute} gives for nSamples samples: {@code nSamples / hop}
   * ({@code core_logmel_frames}).
   *
   * @throws IllegalArgumentException nSamples negative
   * @throws CoreException INVALID_ARGUMENT for fewer than nFft samples
   */
  public long frames(long nSamples) {
    if (nSamples < 0) {
      throw new IllegalArgumentException("nSamples must be >= 0, got " + nSamples);
    }
    long lm = h.enter();
    try {
      return (long) CoreNative.core_logmel_frames(lm, nSamples);
    } finally {
      h.exit();
    }
  }

  /**
   * The mel filterbank: {@code nMels x (nFft / 2 + 1)} floats, row-major
   * (row m is band m's weight for each FFT bin). With the defaults it equals
   * Whisper's {@code mel_filters.npz["mel_80"]}.
   */
  public float[] filters() {
    Object[] result = new Object[1];
    long lm = h.enter();
    try {
      CoreNative.jcore_logmel_filters(lm, result);
    } finally {
      h.exit();
    }
    return (float[]) result[0];
  }

  /**
   * The log-mel spectrogram of samples (mono float32 at the analyser's rate).
   *
   * @throws CoreException INVALID_ARGUMENT for fewer than nFft samples
   * @throws IllegalArgumentException a result longer than a Java array
   */
  public MelSpectrogram compute(float[] samples) {
    Check.notNull(samples, "samples");
    Object[] result = new Object[1];
    int frames;
    long lm = h.enter();
    try {
      frames = (int) CoreNative.jcore_logmel_compute_new(lm, samples, options.nMels(), result);
    } finally {
      h.exit();
    }
    return new MelSpectrogram(options.nMels(), frames, (float[]) result[0]);
  }

  /**
   * The log-mel spectrogram of samples into the caller's array, which must
   * hold at least {@code nMels * frames(samples.length)} floats; returns the
   * frame count. Band m of frame t goes to {@code out[m * frames + t]};
   * elements past the spectrogram are not touched. Reusing one array avoids
   * an allocation per call.
   *
   * @throws CoreException BUFFER_TOO_SMALL (nothing written) when out is too
   *     small; INVALID_ARGUMENT for fewer than nFft samples
   * @throws IllegalArgumentException out is samples
   */
  public int compute(float[] samples, float[] out) {
    Check.notNull(samples, "samples");
    Check.notNull(out, "out");
    if (out == samples) {
      throw new IllegalArgumentException("out must not be the samples array");
    }
    long lm = h.enter();
    try {
      return (int) CoreNative.jcore_logmel_compute_into(lm, samples, options.nMels(), out);
    } finally {
      h.exit();
    }
  }

  /**
   * The log-mel spectrogram of the samples buffer's remaining elements into
   * out's remaining elements, without any copy at any size (direct buffers in
   * native byte order; positions are not changed); returns the frame count.
   * Layout as {@link #compute(float[], float[])}.
   *
   * @throws CoreException BUFFER_TOO_SMALL when out has fewer than
   *     {@code nMels * frames} remaining; INVALID_ARGUMENT for fewer than
   *     nFft samples, or buffers that overlap
   */
  public long compute(FloatBuffer samples, FloatBuffer out) {
    FloatBuffer x = Check.in(samples, "samples");
    FloatBuffer o = Check.out(out, "out");
    long lm = h.enter();
    try {
      return (long) CoreNative.jcore_logmel_compute_direct(lm, x, o);
    } finally {
      h.exit();
    }
  }

  /**
   * The spectrograms of many clips in one parallel call
   * ({@code core_logmel_compute_batch}): {@code out[i]} equals
   * {@code compute(clips[i])} bit for bit (each clip has its own reflection
   * and its own WHISPER maximum). Clips may differ in length.
   *
   * @throws NullPointerException clips or one of them is null
   * @throws CoreException INVALID_ARGUMENT (naming the first bad clip, nothing
   *     computed) when a clip has fewer than nFft samples
   */
  public MelSpectrogram[] computeBatch(float[][] clips) {
    Check.notNull(clips, "clips");
    for (int i = 0; i < clips.length; ++i) {
      Check.notNull(clips[i], "clips[" + i + "]");
    }
    Object[] outs = new Object[clips.length];
    long[] frames = new long[clips.length];
    long lm = h.enter();
    try {
      CoreNative.jcore_logmel_compute_batch(lm, clips, options.nMels(), outs, frames);
    } finally {
      h.exit();
    }
    MelSpectrogram[] result = new MelSpectrogram[clips.length];
    for (int i = 0; i < clips.length; ++i) {
      result[i] = new MelSpectrogram(options.nMels(), (int) frames[i], (float[]) outs[i]);
    }
    return result;
  }

  /** {@link #computeBatch(float[][])} on a list; the result in the same order. */
  public List<MelSpectrogram> computeBatch(List<float[]> clips) {
    float[][] arrays = Check.notNull(clips, "clips").toArray(new float[0][]);
    return new ArrayList<>(Arrays.asList(computeBatch(arrays)));
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return h.isClosed();
  }

  /**
   * Releases the analyser ({@code core_logmel_destroy}). Idempotent; waits for
   * computations in progress on other threads. Later calls throw
   * {@link IllegalStateException}.
   */
  @Override
  public void close() {
    h.close();
  }

  @Override
  public String toString() {
    return "LogMel{" + options + (h.isClosed() ? ", closed}" : "}");
  }
}
