package dev.libcore;

/**
 * A libcore call returned a status other than {@code CORE_OK}.
 *
 * <p>It carries the status and libcore's detail message for that failure,
 * both captured inside the failing native call on the calling thread (the C
 * message is thread-local, so it is never fetched by a second call). The
 * message reads {@code "CORE_E_INVALID_ARGUMENT: core_linspace_f64: start is
 * NaN"}: the C status name, then the detail, which starts with the C
 * function's name. The status is the truth; the detail's wording may change.
 *
 * <p>Errors only Java can see (a null array, mismatched lengths, a negative
 * size or ddof) are reported before any native call as
 * {@link NullPointerException} or {@link IllegalArgumentException}; see the
 * package documentation.
 */
public class CoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int code;
  private final String statusName;
  private final String detail;

  /** Called from the JNI wrapper (jni/jcore.h, jcore_throw_status). */
  CoreException(int code, String statusName, String detail) {
    super(detail == null || detail.isEmpty() ? statusName : statusName + ": " + detail);
    this.code = code;
    this.statusName = statusName;
    this.detail = detail == null ? "" : detail;
  }

  /** The status, or {@link Status#UNKNOWN} for a code newer than this binding. */
  public Status status() {
    return Status.of(code);
  }

  /** The C status value ({@code core_status}). */
  public int code() {
    return code;
  }

  /** The C name of the status, from {@code core_status_str}: "CORE_E_EMPTY". */
  public String statusName() {
    return statusName;
  }

  /** libcore's detail ({@code core_last_error_message()} of the failed call); may be empty. */
  public String detail() {
    return detail;
  }
}
