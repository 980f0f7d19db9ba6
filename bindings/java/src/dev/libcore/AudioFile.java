package dev.libcore;

import java.nio.FloatBuffer;
import java.nio.file.Path;

/**
 * Audio files: WAV, FLAC, Ogg/Vorbis and whatever else libsndfile reads,
 * decoded to mono float32 and resampled with libsoxr (audio.h:
 * {@code core_audio_info}, {@code core_audio_read}).
 *
 * <pre>{@code
 * AudioInfo info = AudioFile.info("talk.flac");        // 44100 Hz, 2 ch, 24 bits...
 * float[] x = AudioFile.read("talk.flac", 16000);      // mono at 16 kHz, ready for LogMel and Vad
 * }</pre>
 *
 * <p>Channels are averaged; integer PCM is scaled as {@code v / 2^(bits-1)}
 * (PCM16 gives exactly Whisper's {@code int16 / 32768}); the count at the
 * target rate is fixed by the header: {@code frames * targetRate / rate},
 * rounded to nearest. A truncated or corrupt file is never returned as if
 * complete.
 *
 * <p>Errors: {@link CoreException} with NOT_FOUND for a missing file, IO when
 * it cannot be opened or read (a directory too), FORMAT when it is not audio
 * libsndfile understands, is truncated or corrupt (or holds NaN/infinite
 * samples), INVALID_ARGUMENT for a target rate above 384000, UNSUPPORTED when
 * libcore was built without audio file support ({@code -Daudio_io=disabled}).
 * A path with a NUL character or a negative rate:
 * {@link IllegalArgumentException}. Paths are passed in the file-system
 * encoding, as the JDK's own file APIs do. Every method may run on any
 * number of threads at once.
 */
public final class AudioFile {
  private AudioFile() {}

  /**
   * Describes the file without decoding it.
   *
   * @throws CoreException NOT_FOUND, IO, FORMAT, UNSUPPORTED (see the class documentation)
   */
  public static AudioInfo info(String path) {
    byte[] p = Batch.pathBytes(Check.notNull(path, "path"));
    long[] v = new long[6];
    CoreNative.jcore_audio_info(p, v);
    return new AudioInfo(v);
  }

  /** {@link #info(String)} for a {@link Path} of the default file system. */
  public static AudioInfo info(Path path) {
    return info(Check.notNull(path, "path").toString());
  }

  /** The whole file as mono float32 at its own sample rate. */
  public static float[] read(String path) {
    return read(path, 0);
  }

  /**
   * The whole file as mono float32 at targetRate Hz (0: the file's own
   * rate). The binding asks libcore for the count first (from the header),
   * then reads into native memory and copies the samples once into the
   * returned array; for files larger than a Java array, or to avoid that
   * copy, use {@link #read(String, int, FloatBuffer)}.
   *
   * @throws IllegalArgumentException targetRate negative; more samples than a Java array holds
   * @throws CoreException NOT_FOUND, IO, FORMAT, INVALID_ARGUMENT, UNSUPPORTED
   */
  public static float[] read(String path, int targetRate) {
    byte[] p = Batch.pathBytes(Check.notNull(path, "path"));
    Check.notNegative(targetRate, "targetRate");
    Object[] result = new Object[1];
    CoreNative.jcore_audio_read(p, targetRate, result);
    return (float[]) result[0];
  }

  /** {@link #read(String, int)} for a {@link Path} of the default file system. */
  public static float[] read(Path path, int targetRate) {
    return read(Check.notNull(path, "path").toString(), targetRate);
  }

  /**
   * The number of samples {@link #read(String, int)} returns for the file at
   * targetRate (0: its own rate), from its header alone.
   */
  public static long sampleCount(String path, int targetRate) {
    byte[] p = Batch.pathBytes(Check.notNull(path, "path"));
    Check.notNegative(targetRate, "targetRate");
    return (long) CoreNative.jcore_audio_read_count(p, targetRate);
  }

  /**
   * Reads the whole file into out's remaining elements (a direct buffer in
   * native byte order; position unchanged), without any copy, and returns
   * the number of samples. Size it with {@link #sampleCount}.
   *
   * @throws CoreException BUFFER_TOO_SMALL (nothing written) when out has
   *     fewer remaining elements than the file has samples; the others as
   *     {@link #read(String, int)}
   */
  public static long read(String path, int targetRate, FloatBuffer out) {
    byte[] p = Batch.pathBytes(Check.notNull(path, "path"));
    Check.notNegative(targetRate, "targetRate");
    FloatBuffer o = Check.out(out, "out");
    return (long) CoreNative.jcore_audio_read_direct(p, targetRate, o);
  }
}
