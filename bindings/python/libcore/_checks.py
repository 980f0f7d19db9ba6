"""Argument checks shared by arrays.py, stats.py and batch.py.

They run before the backend is chosen, so the native library and the NumPy
fallback see the same, already validated arguments, and a Python-level
mistake raises the same Python exception on both backends:

  * TypeError  -- a dtype that is not accepted (complex, object, strings;
                  an output dtype other than float32/float64; non-int16 PCM);
  * ValueError -- a bad NaN policy, a negative ddof, a bad shape.

What only libcore can judge (a step of 0, a constant input to normalize, a
frame longer than the signal...) is the library's CORE_E_* status, raised
as LibcoreError; the fallback raises the same status for the same input.
"""

import operator

import numpy as np

from ._arrays import F32, F64, as_float

#: NaN policy names -> core_nan_policy values (core.h).
POLICIES = {"propagate": 0, "omit": 1}

#: Input dtype kinds converted to float (bool, signed, unsigned, float).
_NUMERIC_KINDS = frozenset("biuf")

_UINT_MAX = 2**32 - 1


def nan_policy(policy):
    """"propagate" -> 0, "omit" -> 1; anything else is a ValueError."""
    try:
        return POLICIES[policy]
    except (KeyError, TypeError):
        raise ValueError(f"nan_policy must be 'propagate' or 'omit', got {policy!r}") from None


def ddof(value):
    """A ddof as a C unsigned: an int in [0, 2**32). TypeError for a non-int
    (1.5, "1"), ValueError for a negative or too large one."""
    try:
        d = operator.index(value)
    except TypeError:
        raise TypeError(f"ddof must be an int, got {type(value).__name__}") from None
    if d < 0 or d > _UINT_MAX:
        raise ValueError(f"ddof must be in [0, 2**32), got {d}")
    return d


def size(value, name):
    """A non-negative int that fits in size_t (counts, lengths, frames)."""
    try:
        v = operator.index(value)
    except TypeError:
        raise TypeError(f"{name} must be an int, got {type(value).__name__}") from None
    if v < 0 or v >= 2**63:
        raise ValueError(f"{name} must be >= 0, got {v}")
    return v


def out_dtype(dtype):
    """The output dtype of a creation function: float32 or float64 only."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype must be float32 or float64, got {dtype!r}") from None
    if dt == F32:
        return F32
    if dt == F64:
        return F64
    raise TypeError(f"dtype must be float32 or float64, got {dt}")


def floats(x, name="x"):
    """x as a C-contiguous float32/float64 ndarray: x itself when it already
    is one (zero copy), else ONE copy (to float64; float32 stays float32).
    Complex, object, string... inputs are a TypeError (no silent casts)."""
    if type(x) is np.ndarray:
        dt = x.dtype
        if (dt is F32 or dt is F64) and x.flags.c_contiguous:
            return x
    else:
        x = np.asarray(x)
        dt = x.dtype
    if dt.kind not in _NUMERIC_KINDS:
        raise TypeError(f"{name} must hold real numbers, got dtype {dt}")
    return as_float(x)


def floats_as(x, dtype, name="x"):
    """x as a C-contiguous ndarray of exactly `dtype` (F32/F64): x itself or
    one copy. The same TypeError rule as floats()."""
    if type(x) is np.ndarray:
        if x.dtype is dtype and x.flags.c_contiguous:
            return x
    else:
        x = np.asarray(x)
    if x.dtype.kind not in _NUMERIC_KINDS:
        raise TypeError(f"{name} must hold real numbers, got dtype {x.dtype}")
    return as_float(x, dtype)


def pair(x, y):
    """x and y as two arrays of one dtype (float32 when both are float32
    already, else float64) and equal size; ValueError when sizes differ."""
    x = floats(x, "x")
    y = floats(y, "y")
    if x.size != y.size:
        raise ValueError(f"x and y must have the same number of elements, got {x.size} and {y.size}")
    if x.dtype is not y.dtype:
        x = floats_as(x, F64, "x")
        y = floats_as(y, F64, "y")
    return x, y
