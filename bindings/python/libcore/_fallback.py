"""NumPy implementations of the array, statistics and batch functions.

Used when the native library is not loaded (LIBCORE_DISABLE=1, or no
libcore.so.1). Arguments arrive already validated by _checks (C-contiguous
float32/float64 arrays, policies as 0/1, ddof as an int), so every function
here mirrors one C entry point: the same result dtypes, the same NaN and
empty-input rules, and the same CORE_E_* status (as LibcoreError, with a
message that starts with the C function's name) where the C function fails.

Tolerances against the native library (asserted by tests/test_*.py):

  * exact (bit for bit): arange, linspace, zeros/ones/full, concatenate,
    pcm16_to_float, float_to_pcm16 (and its clipped count), count,
    nan_count, min and max of every summary, zero_crossing_rate, and
    percentile (the same selection and NumPy's lerp);
  * sum, mean, m2, var, std, dot, energy, rms, corrcoef: NumPy's pairwise
    float64 sums instead of libcore's compensated block tree, within
    1e-12 relative for data whose mean is not tiny against its spread (the
    fallback does not reach libcore's accuracy on 1e8 + N(0,1) data);
  * normalize: within 1e-12 relative of the native float64 result, one
    float32 ulp for float32 (the moments differ as above);
  * normal_pdf: np.exp against Highway's exp, within 1e-14 relative for
    float64 and one float32 ulp for float32;
  * cumsum: a running sum in np.longdouble (80-bit on x86) instead of
    libcore's compensated float64, rounded once: float32 results equal the
    native ones up to one ulp; float64 within 1e-15 of the running sum of
    |x|. Where longdouble is plain double (Windows, some ARM builds) the
    float64 error grows with n as NumPy's own cumsum does;
  * stats accumulators: Chan's merge of per-push summaries, within 1e-12
    relative (libcore's is bit-identical to one stats() call).
"""

import math
import os
import stat

import numpy as np

from ._arrays import F32, F64
from ._errors import LibcoreError

# core_status values (core.h) the fallback can produce.
_STATUS = {"CORE_E_INVALID_ARGUMENT": 1, "CORE_E_BUFFER_TOO_SMALL": 3,
           "CORE_E_EMPTY": 5, "CORE_E_NOT_FOUND": 6, "CORE_E_IO": 7,
           "CORE_E_FORMAT": 8}

NAN = float("nan")
_MAX_LENGTH = 9007199254740992.0   # 2^53: libcore's longest arange
_SQRT_2PI = 2.5066282746310002     # the constant of transform_kernels.cc
_U64_MAX = 2**64 - 1


def fail(name, fn, message):
    """The LibcoreError the C function `fn` would raise."""
    return LibcoreError(_STATUS[name], name, f"{fn}: {message}")


def _invalid(fn, message):
    return fail("CORE_E_INVALID_ARGUMENT", fn, message)


def _as64(x):
    """x (float32/float64, C-contiguous) as a flat float64 array."""
    return x.reshape(-1) if x.dtype is F64 else x.reshape(-1).astype(F64)


# ---- array creation ----------------------------------------------------------

def arange_len(start, stop, step):
    """core_arange_len: NumPy's length rule, libcore's errors."""
    fn = "core_arange_len"
    if not (math.isfinite(start) and math.isfinite(stop) and math.isfinite(step)):
        raise _invalid(fn, f"start, stop and step must be finite, got {start:g}, {stop:g}, {step:g}")
    if step == 0.0:
        raise _invalid(fn, "step must not be 0")
    delta = stop - start
    q = delta / step
    if q == 0.0 and delta != 0.0:
        return 1 if math.copysign(1.0, delta) == math.copysign(1.0, step) else 0
    if not math.isfinite(q) or math.ceil(q) >= _MAX_LENGTH:
        raise _invalid(fn, f"arange({start:g}, {stop:g}, {step:g}) is too long to allocate")
    return max(0, math.ceil(q))


def _affine(n, start, step, dtype):
    # start + i * step: one multiply and one add in float64, rounded once,
    # as libcore's affine_index kernel (never fused: -ffp-contract=off).
    v = np.arange(n, dtype=F64)
    v *= step
    v += start
    return v if dtype is F64 else v.astype(dtype)


def arange(start, stop, step, dtype):
    return _affine(arange_len(start, stop, step), start, step, dtype)


def linspace(start, stop, num, endpoint, dtype):
    if not (math.isfinite(start) and math.isfinite(stop)):
        raise _invalid("core_linspace_f32" if dtype is F32 else "core_linspace_f64",
                       f"start and stop must be finite, got {start:g}, {stop:g}")
    if num == 0:
        return np.empty(0, dtype)
    div = num - 1 if endpoint else num
    if div == 0:
        return np.full(1, start, dtype)
    out = _affine(num, start, (stop - start) / div, dtype)
    if endpoint:
        out[-1] = stop
    return out


def full(shape, value, dtype):
    return np.full(shape, value, dtype)


def concatenate(parts, dtype):
    if not parts:
        return np.empty(0, dtype)
    return np.concatenate(parts).astype(dtype, copy=False)


# ---- element-wise transforms -------------------------------------------------

def cumsum(x):
    acc = np.cumsum(x.reshape(-1), dtype=np.longdouble)
    with np.errstate(over="ignore"):  # a float32 sum past FLT_MAX is +-inf, as in libcore
        return acc.astype(x.dtype)


def normalize(out, ddof, nan):
    """In place on `out` (float32/float64, C-contiguous), as core_normalize_*."""
    fn = "core_normalize_f32" if out.dtype is F32 else "core_normalize_f64"
    if out.size == 0:
        return out
    v = _as64(out)
    s = summarize(v, nan)
    count, mean, m2 = s[0], s[5], s[6]
    sd = math.sqrt(variance(count, m2, ddof))
    if not count > ddof:
        raise _invalid(fn, f"{count} values are not more than ddof = {ddof}; data left unchanged")
    if sd == 0.0:
        raise _invalid(fn, "the standard deviation is 0 (constant input); data left unchanged")
    z = (v - mean) / sd
    out.reshape(-1)[:] = z
    return out


def normal_pdf(x, mean, std):
    fn = "core_normal_pdf_f32" if x.dtype is F32 else "core_normal_pdf_f64"
    if not math.isfinite(mean):
        raise _invalid(fn, f"mean must be finite, got {mean:g}")
    if not (math.isfinite(std) and std > 0.0):
        raise _invalid(fn, f"std must be finite and > 0, got {std:g}")
    z = (x.astype(F64) - mean) / std
    y = np.exp(-0.5 * (z * z)) / (std * _SQRT_2PI)
    return y.astype(x.dtype, copy=False)


def pcm16_to_float(x, dtype):
    return x.astype(dtype) * dtype.type(1.0 / 32768.0)


def float_to_pcm16(x):
    """(int16 array, clipped count) as core_f32_to_pcm16 / core_f64_to_pcm16:
    x * 32768 in x's dtype (exact), round half to even, count what falls
    outside [-32768, 32767] or is NaN, clip, NaN -> 0."""
    with np.errstate(invalid="ignore", over="ignore"):
        r = np.rint(x * x.dtype.type(32768.0))
        inside = (r >= -32768.0) & (r <= 32767.0)
        clipped = int(inside.size - np.count_nonzero(inside))
        r[np.isnan(r)] = 0.0
        np.clip(r, -32768.0, 32767.0, out=r)
    return r.astype(np.int16), clipped


# ---- summaries -----------------------------------------------------------------

def summarize(v, nan):
    """core_stats_t of flat float64 v as a tuple (count, nan_count, min, max,
    sum, mean, m2), with libcore's NaN, infinity and empty-input rules."""
    n = v.size
    if n == 0:
        return (0, 0, NAN, NAN, 0.0, NAN, NAN)
    isnan = np.isnan(v)
    nan_count = int(np.count_nonzero(isnan))
    if nan_count:
        if not nan:                       # PROPAGATE: NaNs count, results NaN
            return (n, nan_count, NAN, NAN, NAN, NAN, NAN)
        v = v[~isnan]
        n = v.size
        if n == 0:
            return (0, nan_count, NAN, NAN, 0.0, NAN, NAN)
    with np.errstate(invalid="ignore", over="ignore"):
        total = float(np.sum(v))
        mean = total / n
        if math.isfinite(mean):
            d = v - mean
            m2 = float(np.dot(d, d))
        else:                             # an infinity: IEEE gives inf - inf = NaN
            m2 = NAN
    return (n, nan_count, float(v.min()), float(v.max()), total, mean, m2)


def stats(x, nan):
    return summarize(_as64(x), nan)


def variance(count, m2, ddof):
    """core::variance: m2 / (count - ddof), NaN when count <= ddof."""
    return m2 / (count - ddof) if count > ddof else NAN


def _nan_min(a, b):
    return a if (a < b or a != a) else b


def _nan_max(a, b):
    return a if (a > b or a != a) else b


def merge(a, b):
    """core::merge (Chan et al.) on two 7-tuples, the same float64 operations
    in the same order, so the result is bit-identical to core_stats_merge."""
    if a[0] > _U64_MAX - b[0] or a[1] > _U64_MAX - b[1]:
        raise _invalid("core_stats_merge", "the merged counts overflow uint64")
    if a[0] == 0 or b[0] == 0:
        r = b if a[0] == 0 else a
        return (r[0], a[1] + b[1]) + tuple(r[2:])
    na, nb = float(a[0]), float(b[0])
    n = na + nb
    mn = _nan_min(a[2], b[2])
    mx = _nan_max(a[3], b[3])
    total = a[4] + b[4]
    if math.isfinite(a[5]) and math.isfinite(b[5]):
        delta = b[5] - a[5]
        mean = a[5] + delta * (nb / n)
        m2 = a[6] + b[6] + delta * delta * (na * (nb / n))
    else:
        mean = (a[5] * na + b[5] * nb) / n
        m2 = NAN
    return (a[0] + b[0], a[1] + b[1], mn, mx, total, mean, m2)


# ---- two arrays and signal measures ------------------------------------------

def dot(x, y):
    return float(np.dot(_as64(x), _as64(y))) if x.size else 0.0


def corrcoef(x, y):
    """core::corrcoef: corrected two-pass co-moments, NaN for n < 2, a NaN
    or infinite mean, or a spread within the rounding of the mean."""
    n = x.size
    if n < 2:
        return NAN
    a, b = _as64(x), _as64(y)
    dn = float(n)
    with np.errstate(invalid="ignore", over="ignore"):
        mx, my = float(np.sum(a)) / dn, float(np.sum(b)) / dn
        if not (math.isfinite(mx) and math.isfinite(my)):
            return NAN
        da, db = a - mx, b - my
        sdx, sdy = float(np.sum(da)), float(np.sum(db))
        sxx = float(np.dot(da, da)) - sdx * sdx / dn
        syy = float(np.dot(db, db)) - sdy * sdy / dn
        sxy = float(np.dot(da, db)) - sdx * sdy / dn
    eps = np.finfo(F64).eps
    xfloor = 16.0 * dn * (eps * mx) * (eps * mx)
    yfloor = 16.0 * dn * (eps * my) * (eps * my)
    if not (sxx > xfloor) or not (syy > yfloor):
        return NAN
    return min(1.0, max(-1.0, sxy / math.sqrt(sxx * syy)))


def energy(x):
    if x.size == 0:
        return NAN
    v = _as64(x)
    return float(np.dot(v, v)) / x.size


def rms(x):
    return math.sqrt(energy(x)) if x.size else NAN


def zero_crossing_rate(x):
    n = x.size
    if n < 2:
        return NAN
    with np.errstate(invalid="ignore"):
        pos = x.reshape(-1) >= 0          # -0.0 counts as positive, NaN as negative
    return int(np.count_nonzero(pos[1:] != pos[:-1])) / (n - 1)


def percentile(x, q, nan):
    """np.percentile / np.nanpercentile ("linear"), libcore's statuses."""
    fn = "core_percentile_f32" if x.dtype is F32 else "core_percentile_f64"
    if not (0.0 <= q <= 100.0):
        raise _invalid(fn, f"q must be in [0, 100], got {q:g}")
    v = _as64(x)
    isnan = np.isnan(v)
    if isnan.any():
        if not nan:
            return NAN
        v = v[~isnan]
    if v.size == 0:
        raise fail("CORE_E_EMPTY", fn,
                   f"no values to take a percentile of (n = {x.size}, all NaN or empty)")
    return float(np.percentile(v, q))


# ---- batch ---------------------------------------------------------------------

def frames_len(n, frame, hop):
    fn = "core_stats_frames_len"
    if frame == 0:
        raise _invalid(fn, "frame must be > 0")
    if hop == 0:
        raise _invalid(fn, "hop must be > 0")
    if frame > n:
        raise _invalid(fn, f"frame = {frame} is longer than the signal, n = {n}")
    return 1 + (n - frame) // hop


def frame_stats(x, frame, hop, out):
    """Fills the structured array `out` (one row per whole frame), NaN
    propagating, as core_stats_frames_*. Vectorized over blocks of frames so
    the temporaries stay near 4 MiB whatever the overlap."""
    v = _as64(x)
    nframes = out.shape[0]
    windows = np.lib.stride_tricks.sliding_window_view(v, frame)[::hop][:nframes]
    rows = max(1, (1 << 19) // frame)
    for lo in range(0, nframes, rows):
        w = windows[lo:lo + rows]
        r = out[lo:lo + rows]
        with np.errstate(invalid="ignore", over="ignore"):
            nan_count = np.count_nonzero(np.isnan(w), axis=1)
            total = np.sum(w, axis=1)
            mean = total / frame
            d = w - mean[:, None]
            m2 = np.einsum("ij,ij->i", d, d)
            m2[~np.isfinite(mean)] = NAN
            r["count"] = frame
            r["nan_count"] = nan_count
            r["min"] = np.min(w, axis=1)
            r["max"] = np.max(w, axis=1)
            r["sum"] = total
            r["mean"] = mean
            r["m2"] = m2
    return out


def stats_file(path, offset, count, nan):
    """core_stats_file_f32 on a raw native-endian float32 file."""
    fn = "core_stats_file_f32"
    name = os.fsdecode(path)
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise fail("CORE_E_IO", fn, f"{name}: is a directory")
        if stat.S_ISREG(st.st_mode):
            nbytes, data = st.st_size, None
        else:                              # a pipe or device: read it as a stream
            with open(path, "rb") as f:
                data = f.read()
            nbytes = len(data)
    except FileNotFoundError:
        raise fail("CORE_E_NOT_FOUND", fn, f"{name}: no such file") from None
    except OSError as e:
        raise fail("CORE_E_IO", fn, f"{name}: {e.strerror}") from None
    if nbytes % 4:
        raise fail("CORE_E_FORMAT", fn,
                   f"{name}: {nbytes} bytes is not a whole number of float32 values")
    values = nbytes // 4
    if offset > values:
        raise _invalid(fn, f"offset {offset} is past the end ({values} values)")
    if count and offset + count > values:
        raise _invalid(fn, f"offset {offset} + count {count} is past the end ({values} values)")
    n = (offset + count if count else values) - offset
    try:
        if data is None:
            x = np.fromfile(path, dtype=F32, count=n, offset=offset * 4)
        else:
            x = np.frombuffer(data, dtype=F32, count=n, offset=offset * 4)
    except OSError as e:
        raise fail("CORE_E_IO", fn, f"{name}: {e}") from None
    if x.size != n:
        raise fail("CORE_E_IO", fn, f"{name}: the file shrank while it was read")
    return summarize(x.astype(F64), nan)


class Accumulator:
    """core_stats_acc_t in Python: a running summary merged per push."""

    __slots__ = ("nan", "total", "pushed", "dtype", "summary")

    def __init__(self, nan, total):
        self.nan = nan
        self.total = total
        self.pushed = 0
        self.dtype = None
        self.summary = (0, 0, NAN, NAN, 0.0, NAN, NAN)

    def push(self, x):
        fn = "core_stats_acc_push_f32" if x.dtype is F32 else "core_stats_acc_push_f64"
        if x.size == 0:
            return
        if self.dtype is not None and x.dtype is not self.dtype:
            raise _invalid(fn, f"this accumulator takes {self.dtype} values, got {x.dtype}")
        if self.total and self.pushed + x.size > self.total:
            raise _invalid(fn, f"pushing {x.size} values would exceed the declared total "
                               f"{self.total} ({self.pushed} pushed)")
        self.summary = merge(self.summary, stats(x, self.nan))
        self.dtype = x.dtype
        self.pushed += x.size

    def merge(self, other):
        if self.nan != other.nan:
            raise _invalid("core_stats_acc_merge", "the accumulators have different nan policies")
        self.summary = merge(self.summary, other.summary)
        # Values pushed afterwards start a new segment of any dtype and
        # unknown length (batch.h, core_stats_acc_merge).
        self.dtype = None
        self.total = 0
        self.pushed = 0

    def copy(self):
        c = Accumulator(self.nan, self.total)
        c.pushed, c.dtype, c.summary = self.pushed, self.dtype, self.summary
        return c
