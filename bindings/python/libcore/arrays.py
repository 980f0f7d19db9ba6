"""Array creation and element-wise transforms (include/core/array.h).

Every function runs in libcore when the native library is loaded and in
NumPy (``_fallback``) when it is not, with the same results (see the
tolerances at the head of _fallback.py) and the same errors.

Dtype and copy rules, for every function here:
  * Inputs: a C-contiguous float32 or float64 ndarray is passed to libcore
    by pointer, without a copy. Anything else (lists, ints, bools, float16,
    strided views, non-native byte order) is converted with ONE copy, to
    float64. Complex, object and string inputs raise TypeError.
  * Outputs: new arrays. Transforms keep float32 for float32 input and give
    float64 otherwise; creation functions take ``dtype=`` float32 or float64
    (default float64; anything else is a TypeError).
  * Errors: what libcore refuses (a non-finite bound, a step of 0, a
    constant input to normalize...) raises LibcoreError with the C status
    name ("CORE_E_INVALID_ARGUMENT") and libcore's message, which starts with
    the C function's name. A bad NaN policy or ddof, or a bad shape, is a
    ValueError before any call.
Thread safety: any thread; libcore releases the GIL during each call.
"""

import ctypes

import numpy as np

from . import _checks
from . import _fallback as _fb
from ._arrays import F32, F64, fast_address, pointer
from ._native import check, declare, library

__all__ = ["arange", "linspace", "zeros", "ones", "full", "concatenate", "cumsum",
           "normalize", "normal_pdf", "pcm16_to_float", "float_to_pcm16"]

_int, _uint, _size, _double, _float = (ctypes.c_int, ctypes.c_uint, ctypes.c_size_t,
                                       ctypes.c_double, ctypes.c_float)
_P = ctypes.c_void_p
_byref = ctypes.byref

declare("core_arange_len", _int, [_double, _double, _double, _P])
for _sfx in ("f32", "f64"):
    declare(f"core_arange_{_sfx}", _int, [_double, _double, _double, _P, _size, _P])
    declare(f"core_linspace_{_sfx}", _int, [_double, _double, _size, _int, _P])
    declare(f"core_concat_{_sfx}", _int, [_P, _P, _size, _P, _size, _P])
    declare(f"core_cumsum_{_sfx}", _int, [_P, _size, _P])
    declare(f"core_normalize_{_sfx}", _int, [_P, _size, _uint, _int])
    declare(f"core_normal_pdf_{_sfx}", _int, [_P, _size, _double, _double, _P])
    declare(f"core_pcm16_to_{_sfx}", _int, [_P, _size, _P])
    declare(f"core_{_sfx}_to_pcm16", _int, [_P, _size, _P, _P])
declare("core_fill_f32", _int, [_P, _size, _float])
declare("core_fill_f64", _int, [_P, _size, _double])


def _number(value, name):
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a real number, got {value!r}") from None


# ---- creation ------------------------------------------------------------------

def arange(start, stop=None, step=1.0, *, dtype=np.float64):
    """Evenly spaced values in [start, stop), like ``np.arange``.

    ``arange(stop)`` starts at 0. Element i is ``start + i*step`` computed in
    float64 and rounded once to ``dtype`` (float32 or float64), so the error
    does not grow along the array; the length is NumPy's,
    ``ceil((stop - start) / step)`` (``arange(0, 1, 0.1)`` has 10). NumPy
    computes its step as ``(start + step) - start``, which may differ from
    ``step`` in the last bit; libcore uses ``step`` as given.

    Raises LibcoreError CORE_E_INVALID_ARGUMENT for a non-finite argument,
    ``step == 0`` or a length beyond 2**53; TypeError for another dtype.
    """
    if stop is None:
        start, stop = 0.0, start
    start, stop, step = _number(start, "start"), _number(stop, "stop"), _number(step, "step")
    dt = _checks.out_dtype(dtype)
    lib = library()
    if lib is None:
        return _fb.arange(start, stop, step, dt)
    n = _size()
    check(lib.core_arange_len(start, stop, step, _byref(n)))
    out = np.empty(n.value, dt)
    fn = lib.core_arange_f32 if dt is F32 else lib.core_arange_f64
    check(fn(start, stop, step, pointer(out), n.value, _byref(n)))
    return out


def linspace(start, stop, num=50, endpoint=True, *, dtype=np.float64):
    """``num`` evenly spaced values from start to stop, like ``np.linspace``.

    Element i is ``start + i*step`` with ``step = (stop - start) / div``
    (``div = num - 1`` with the endpoint, ``num`` without), in float64 and
    rounded once; with ``endpoint`` the last element is exactly ``stop``.
    ``num == 0`` gives an empty array, ``num == 1`` gives ``[start]``.

    Raises LibcoreError CORE_E_INVALID_ARGUMENT for a non-finite start or
    stop (NumPy would fill NaN); ValueError for a negative num; TypeError for
    another dtype.
    """
    start, stop = _number(start, "start"), _number(stop, "stop")
    num = _checks.size(num, "num")
    dt = _checks.out_dtype(dtype)
    lib = library()
    if lib is None:
        return _fb.linspace(start, stop, num, bool(endpoint), dt)
    out = np.empty(num, dt)
    fn = lib.core_linspace_f32 if dt is F32 else lib.core_linspace_f64
    check(fn(start, stop, num, 1 if endpoint else 0, pointer(out)))
    return out


def _shape(shape):
    if isinstance(shape, (tuple, list)):
        return tuple(_checks.size(s, "shape") for s in shape)
    return (_checks.size(shape, "shape"),)


def full(shape, fill_value, *, dtype=np.float64):
    """A new array of ``shape`` (an int or a tuple) filled with
    ``fill_value`` (rounded once to float32 for that dtype; NaN allowed),
    like ``np.full``. TypeError for a dtype other than float32/float64,
    ValueError for a negative dimension."""
    shape = _shape(shape)
    value = _number(fill_value, "fill_value")
    dt = _checks.out_dtype(dtype)
    lib = library()
    if lib is None:
        return _fb.full(shape, value, dt)
    out = np.empty(shape, dt)
    fn = lib.core_fill_f32 if dt is F32 else lib.core_fill_f64
    check(fn(pointer(out), out.size, value))
    return out


def zeros(shape, *, dtype=np.float64):
    """``full(shape, 0.0, dtype=dtype)``, like ``np.zeros``."""
    return full(shape, 0.0, dtype=dtype)


def ones(shape, *, dtype=np.float64):
    """``full(shape, 1.0, dtype=dtype)``, like ``np.ones``."""
    return full(shape, 1.0, dtype=dtype)


def concatenate(arrays, *, dtype=None):
    """The 1-D arrays of ``arrays`` one after another, like
    ``np.concatenate`` along axis 0.

    The result is float32 when every part is float32 (or ``dtype=float32``),
    else float64; a part of another dtype is converted with one copy. Raises
    ValueError for an empty sequence or a part that is not 1-D (use
    np.concatenate for axis-wise joins of n-D arrays).
    """
    parts = [_checks.floats(a, "arrays[%d]" % i) for i, a in enumerate(arrays)]
    if not parts:
        raise ValueError("need at least one array to concatenate")
    for i, p in enumerate(parts):
        if p.ndim != 1:
            raise ValueError(f"concatenate joins 1-D arrays; arrays[{i}] has shape {p.shape}")
    if dtype is not None:
        dt = _checks.out_dtype(dtype)
    else:
        dt = F32 if all(p.dtype is F32 for p in parts) else F64
    parts = [p if p.dtype is dt else _checks.floats_as(p, dt) for p in parts]
    lib = library()
    if lib is None:
        return _fb.concatenate(parts, dt)
    count = len(parts)
    total = sum(p.size for p in parts)
    ptrs = (_P * count)(*[fast_address(p) if p.size else None for p in parts])
    lens = (_size * count)(*[p.size for p in parts])
    out = np.empty(total, dt)
    n = _size()
    fn = lib.core_concat_f32 if dt is F32 else lib.core_concat_f64
    check(fn(ptrs, lens, count, pointer(out), total, _byref(n)))
    return out


# ---- transforms ----------------------------------------------------------------

def cumsum(x):
    """Prefix sums of the flattened ``x``, like ``np.cumsum(x)``.

    Accumulated in float64 with Neumaier compensation for both dtypes and
    rounded once per element, so float32 results do not drift the way
    NumPy's float32 running sum does. A float32 prefix sum beyond the
    float32 range is +-inf for that element only. NaN and infinities
    propagate. Returns float32 for float32 input, else float64.
    """
    x = _checks.floats(x)
    lib = library()
    if lib is None:
        return _fb.cumsum(x)
    out = np.empty(x.size, x.dtype)
    fn = lib.core_cumsum_f32 if x.dtype is F32 else lib.core_cumsum_f64
    check(fn(pointer(x), x.size, pointer(out)))
    return out


def normalize(x, ddof=0, nan_policy="propagate", *, inplace=False):
    """The z-score ``(x - mean) / std`` (scipy.stats.zscore), std with
    ``ddof``; the shape of ``x`` is kept.

    By default a new array (float32 for float32 input, else float64: one
    copy). With ``inplace=True``, ``x`` must be a writable C-contiguous
    float32/float64 ndarray and is normalized in place (no copy; TypeError
    or ValueError otherwise) and returned.

    ``nan_policy="propagate"``: a NaN makes every element NaN (as NumPy).
    ``"omit"``: the moments skip NaNs, which stay NaN.

    Raises LibcoreError CORE_E_INVALID_ARGUMENT, leaving the data
    unchanged, when the standard deviation is 0 (constant input; NumPy would
    write NaN) or there are not more values than ddof.
    """
    pol = _checks.nan_policy(nan_policy)
    d = _checks.ddof(ddof)
    if inplace:
        if type(x) is not np.ndarray or x.dtype not in (F32, F64):
            raise TypeError("normalize(inplace=True) needs a float32 or float64 ndarray")
        if not (x.flags.c_contiguous and x.flags.writeable):
            raise ValueError("normalize(inplace=True) needs a writable C-contiguous array")
        out = x
    else:
        src = np.asarray(x)
        if src.dtype.kind not in "biuf":
            raise TypeError(f"x must hold real numbers, got dtype {src.dtype}")
        out = np.array(src, dtype=F32 if src.dtype == F32 else F64, order="C", copy=True)
    lib = library()
    if lib is None:
        return _fb.normalize(out, d, pol)
    fn = lib.core_normalize_f32 if out.dtype is F32 else lib.core_normalize_f64
    check(fn(pointer(out), out.size, d, pol))
    return out


def normal_pdf(x, mean=0.0, std=1.0):
    """The normal density ``exp(-z**2/2) / (std*sqrt(2*pi))``,
    ``z = (x - mean) / std``, computed in float64 (scipy.stats.norm.pdf).
    Keeps the shape; float32 for float32 input, else float64. NaN gives NaN.

    Raises LibcoreError CORE_E_INVALID_ARGUMENT for a non-finite mean or a
    std that is not finite and > 0.
    """
    x = _checks.floats(x)
    mean, std = _number(mean, "mean"), _number(std, "std")
    lib = library()
    if lib is None:
        return _fb.normal_pdf(x, mean, std)
    out = np.empty(x.shape, x.dtype)
    fn = lib.core_normal_pdf_f32 if x.dtype is F32 else lib.core_normal_pdf_f64
    check(fn(pointer(x), x.size, mean, std, pointer(out)))
    return out


_I16 = np.dtype(np.int16)


def pcm16_to_float(pcm, *, dtype=np.float32):
    """int16 PCM to floats in [-1, 1): ``pcm / 32768``, exact. ``pcm`` must
    have dtype int16 (TypeError otherwise: convert with ``astype(np.int16)``
    when the values fit); a strided one is copied once. Keeps the shape."""
    pcm = np.asarray(pcm)
    if pcm.dtype != _I16:
        raise TypeError(f"pcm must be int16, got dtype {pcm.dtype}")
    pcm = np.ascontiguousarray(pcm, dtype=_I16)
    dt = _checks.out_dtype(dtype)
    lib = library()
    if lib is None:
        return _fb.pcm16_to_float(pcm, dt)
    out = np.empty(pcm.shape, dt)
    fn = lib.core_pcm16_to_f32 if dt is F32 else lib.core_pcm16_to_f64
    check(fn(pointer(pcm), pcm.size, pointer(out)))
    return out


def float_to_pcm16(x, *, return_clipped=False):
    """Floats to int16 PCM: ``round_half_even(x * 32768)`` clipped to
    [-32768, 32767], NaN -> 0; the exact inverse of pcm16_to_float. Keeps the
    shape. With ``return_clipped=True`` returns ``(pcm, clipped)``, clipped
    being how many samples were clipped or NaN (saturation is never silent).
    float32 input is scaled in float32 (exact), anything else in float64."""
    x = _checks.floats(x)
    lib = library()
    if lib is None:
        out, clipped = _fb.float_to_pcm16(x)
    else:
        out = np.empty(x.shape, _I16)
        c = _size()
        fn = lib.core_f32_to_pcm16 if x.dtype is F32 else lib.core_f64_to_pcm16
        check(fn(pointer(x), x.size, pointer(out), _byref(c)))
        clipped = c.value
    return (out, clipped) if return_clipped else out


del _sfx
