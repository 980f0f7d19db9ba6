package dev.libcore;

/**
 * What a reduction does with NaN inputs (C: {@code core_nan_policy}).
 *
 * <p>Either way {@link Stats#nanCount()} counts the NaNs seen.
 */
public enum NanPolicy {
  /** A NaN makes the result NaN, as {@code np.mean} and {@code np.std} do. The default. */
  PROPAGATE(0),
  /** NaNs are skipped, as {@code np.nanmean} and {@code np.nanstd} do. */
  OMIT(1);

  final int code;

  NanPolicy(int code) {
    this.code = code;
  }
}
