package dev.libcore;

/**
 * A speech segment found by {@link Vad}: samples {@code [start, end)} of the
 * stream, padding included (C: {@code core_segment_t}). An immutable value.
 *
 * <pre>{@code
 * for (Segment s : Vad.segments(audio, VadOptions.defaults())) {
 *   System.out.printf("%.2f .. %.2f s%n", s.startSeconds(16000), s.endSeconds(16000));
 *   float[] speech = Arrays.copyOfRange(audio, (int) s.start(), (int) s.end());
 * }
 * }</pre>
 */
public final class Segment {
  private final long start;
  private final long end;

  /**
   * A segment of samples [start, end).
   *
   * @throws IllegalArgumentException start negative or end before start
   */
  public Segment(long start, long end) {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("a segment needs 0 <= start <= end, got [" + start + ", " + end + ")");
    }
    this.start = start;
    this.end = end;
  }

  /** The first sample. */
  public long start() {
    return start;
  }

  /** One past the last sample. */
  public long end() {
    return end;
  }

  /** {@code end - start} samples. */
  public long length() {
    return end - start;
  }

  /** start in seconds at sampleRate Hz. */
  public double startSeconds(int sampleRate) {
    return start / (double) positive(sampleRate);
  }

  /** end in seconds at sampleRate Hz. */
  public double endSeconds(int sampleRate) {
    return end / (double) positive(sampleRate);
  }

  /** length in seconds at sampleRate Hz. */
  public double durationSeconds(int sampleRate) {
    return length() / (double) positive(sampleRate);
  }

  private static int positive(int sampleRate) {
    if (sampleRate <= 0) {
      throw new IllegalArgumentException("sampleRate must be > 0, got " + sampleRate);
    }
    return sampleRate;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Segment && ((Segment) o).start == start && ((Segment) o).end == end;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(start) * 31 + Long.hashCode(end);
  }

  @Override
  public String toString() {
    return "Segment[" + start + ", " + end + ")";
  }
}
