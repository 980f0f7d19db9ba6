package dev.libcore;

import java.util.Objects;

/**
 * What {@link AudioFile#info} reports about an audio file (C:
 * {@code core_audio_info_t}). An immutable value.
 */
public final class AudioInfo {
  /** Container formats (C: {@code core_audio_format}). */
  public enum Format {
    /** Something else libsndfile reads (AIFF, AU, CAF...). */
    OTHER(0),
    /** RIFF WAVE, WAVE_FORMAT_EXTENSIBLE and RF64. */
    WAV(1),
    FLAC(2),
    /** Ogg (Vorbis, Opus). */
    OGG(3);

    final int code;

    Format(int code) {
      this.code = code;
    }

    static Format of(long code) {
      for (Format f : values()) {
        if (f.code == code) {
          return f;
        }
      }
      return OTHER; // a format a newer libcore knows
    }
  }

  private final int sampleRate;
  private final int channels;
  private final long frames;
  private final double duration;
  private final Format format;
  private final int bits;

  /** From the raw layer's long[6] {sample_rate, channels, frames, duration bits, format, bits}. */
  AudioInfo(long[] v) {
    this.sampleRate = (int) v[0];
    this.channels = (int) v[1];
    this.frames = v[2];
    this.duration = Double.longBitsToDouble(v[3]);
    this.format = Format.of(v[4]);
    this.bits = (int) v[5];
  }

  /** Hz, as stored in the file. */
  public int sampleRate() {
    return sampleRate;
  }

  public int channels() {
    return channels;
  }

  /** Samples per channel. */
  public long frames() {
    return frames;
  }

  /** Seconds: frames / sampleRate. */
  public double duration() {
    return duration;
  }

  public Format format() {
    return format;
  }

  /**
   * Bits per sample of PCM data, losslessly coded PCM included (FLAC, ALAC:
   * their PCM depth); 0 for lossy, companded (u-law, a-law), ADPCM or
   * floating-point data.
   */
  public int bits() {
    return bits;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AudioInfo)) {
      return false;
    }
    AudioInfo x = (AudioInfo) o;
    return sampleRate == x.sampleRate && channels == x.channels && frames == x.frames
        && Double.compare(duration, x.duration) == 0 && format == x.format && bits == x.bits;
  }

  @Override
  public int hashCode() {
    return Objects.hash(sampleRate, channels, frames, duration, format, bits);
  }

  @Override
  public String toString() {
    return "AudioInfo{" + format + ", " + sampleRate + " Hz, " + channels + " ch, " + frames + " frames ("
        + duration + " s), " + bits + " bits}";
  }
}
