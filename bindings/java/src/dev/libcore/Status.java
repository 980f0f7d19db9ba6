package dev.libcore;

/**
 * libcore's status codes (C: {@code core_status}). The values are pinned by
 * the C API: new ones are only ever appended.
 */
public enum Status {
  OK(0),
  INVALID_ARGUMENT(1),
  OUT_OF_MEMORY(2),
  BUFFER_TOO_SMALL(3),
  FULL(4),
  EMPTY(5),
  NOT_FOUND(6),
  IO(7),
  FORMAT(8),
  UNSUPPORTED(9),
  UNAVAILABLE(10),
  INTERNAL(11),
  /** A code this binding does not know (a newer libcore); see {@link CoreException#code()}. */
  UNKNOWN(-1);

  private final int code;

  Status(int code) {
    this.code = code;
  }

  /** The C value, or -1 for {@link #UNKNOWN}. */
  public int code() {
    return code;
  }

  /** The status with this C value, or {@link #UNKNOWN}. */
  public static Status of(int code) {
    for (Status s : values()) {
      if (s.code == code && s != UNKNOWN) {
        return s;
      }
    }
    return UNKNOWN;
  }
}
