"""Statistics (include/core/stats.h): one-pass summaries and reductions.

All results are float64 (Python floats), accumulated in float64 for both
input dtypes. Inputs follow the rules of arrays.py: a C-contiguous float32
or float64 ndarray is read in place (zero copy); anything else is converted
once to float64; complex/object/string inputs raise TypeError. n-D inputs
are reduced over all their elements (NumPy's axis=None).

NaN policies (``nan_policy=``): "propagate" (default; a NaN makes min, max,
sum, mean and the variance NaN, like np.min / np.std) or "omit" (NaNs are
skipped, like np.nanmin / np.nanstd); either way ``nan_count`` counts them.
Any other value is a ValueError.

The native library is used when loaded, NumPy otherwise (same semantics;
tolerances at the head of _fallback.py).
"""

import collections
import ctypes
import math
import struct

import numpy as np

from . import _checks
from . import _fallback as _fb
from . import _native
from ._arrays import F32, F64, address, fast_pointer, pointer
from ._native import check, declare, library

__all__ = ["Stats", "stats", "dot", "corrcoef", "energy", "rms", "zero_crossing_rate",
           "percentile", "CoreStats"]

_int, _uint, _size, _double = ctypes.c_int, ctypes.c_uint, ctypes.c_size_t, ctypes.c_double
_P = ctypes.c_void_p


class CoreStats(ctypes.Structure):
    """The C ``core_stats_t`` (stats.h), field for field."""
    _fields_ = [("count", ctypes.c_uint64), ("nan_count", ctypes.c_uint64),
                ("min", ctypes.c_double), ("max", ctypes.c_double),
                ("sum", ctypes.c_double), ("mean", ctypes.c_double),
                ("m2", ctypes.c_double)]


#: The same layout as a NumPy structured dtype (batch results are arrays of it).
STATS_DTYPE = np.dtype([("count", np.uint64), ("nan_count", np.uint64),
                        ("min", np.float64), ("max", np.float64), ("sum", np.float64),
                        ("mean", np.float64), ("m2", np.float64)])

# Reading the 56 bytes C wrote with one unpack is ~2x cheaper than reading
# seven ctypes Structure fields; a fresh buffer per call keeps stats()
# thread safe (ctypes releases the GIL during the call).
_STRUCT = struct.Struct("=QQddddd")
_unpack = _STRUCT.unpack_from
_Buf = ctypes.c_char * _STRUCT.size
assert _STRUCT.size == ctypes.sizeof(CoreStats) == STATS_DTYPE.itemsize

for _sfx in ("f32", "f64"):
    declare(f"core_stats_{_sfx}", _int, [_P, _size, _int, _P])
    declare(f"core_dot_{_sfx}", _int, [_P, _P, _size, _P])
    declare(f"core_corrcoef_{_sfx}", _int, [_P, _P, _size, _P])
    declare(f"core_energy_{_sfx}", _int, [_P, _size, _P])
    declare(f"core_rms_{_sfx}", _int, [_P, _size, _P])
    declare(f"core_zero_crossing_rate_{_sfx}", _int, [_P, _size, _P])
    declare(f"core_percentile_{_sfx}", _int, [_P, _size, _double, _int, _P, _size, _P])
declare("core_stats_merge", _int, [_P, _P, _P])

_Fields = collections.namedtuple("Stats", "count nan_count min max sum mean m2")
_tuple_new = tuple.__new__


class Stats(_Fields):
    """A summary of a sample: immutable, cheap, mergeable.

    Fields (core_stats_t): ``count`` (values summarized; NaNs excluded under
    "omit", included under "propagate"), ``nan_count``, ``min``, ``max``,
    ``sum``, ``mean``, ``m2`` (the sum of squared deviations from the mean).
    Empty input (or only NaNs under "omit"): count 0, sum 0.0, the rest NaN.
    Infinities follow IEEE arithmetic (the mean of [1, inf] is inf, its
    variance NaN).

    It is a named tuple: fields by name or index, unpackable, hashable.
    """

    __slots__ = ()

    def var(self, ddof=0):
        """``m2 / (count - ddof)``, NaN when count <= ddof (np.var warns
        there). TypeError/ValueError for a ddof that is not an int >= 0."""
        d = ddof if ddof.__class__ is int and 0 <= ddof <= 0xFFFFFFFF else _checks.ddof(ddof)
        count = self[0]
        return self[6] / (count - d) if count > d else math.nan

    def std(self, ddof=0):
        """``sqrt(var(ddof))``."""
        return math.sqrt(self.var(ddof))

    def merge(self, other):
        """The summary of both samples together (Chan et al.): bit for bit
        what ``core_stats_merge`` gives (the same float64 operations), on
        either backend. LibcoreError CORE_E_INVALID_ARGUMENT if the counts
        overflow uint64."""
        if not isinstance(other, Stats):
            raise TypeError(f"can only merge Stats, got {type(other).__name__}")
        return _tuple_new(Stats, _fb.merge(self, other))


def _policy(nan_policy):
    try:
        return _checks.POLICIES[nan_policy]
    except (KeyError, TypeError):
        return _checks.nan_policy(nan_policy)   # raises the ValueError


_byref = ctypes.byref
_ndarray = np.ndarray


# stats() calls libcore through its own function objects without argtypes:
# ctypes then skips the per-argument from_param conversions (~0.3 us of a
# ~2 us call). That is safe only because every argument is passed as an
# explicit ctypes type below: c_void_p for pointers, c_size_t for n
# (a bare int would be passed as a 32-bit C int), the policy as a C int.
_raw = None


def _bind_raw(lib):
    global _raw
    fns = []
    for name in ("core_stats_f32", "core_stats_f64"):
        fn = lib[name]                  # a new function object, not the declared one
        fn.restype = _int
        fns.append(fn)
    _raw = tuple(fns)
    return _raw


_c_size = ctypes.c_size_t


def stats(x, nan_policy="propagate"):
    """The summary of all elements of ``x`` in one SIMD pass: a Stats with
    count, nan_count, min, max, sum, mean, m2 and ``var(ddof)``/``std(ddof)``.

    ``stats(x).var(ddof=1)`` equals ``np.var(x, ddof=1)`` (in float64) and
    the result is bit-identical for every thread count. float32 input is
    accumulated in float64 (NumPy accumulates float32 in float32).
    """
    # The hot path: each line here costs ~0.1 us against a ~1.5 us C call.
    try:
        pol = _checks.POLICIES[nan_policy]
    except (KeyError, TypeError):
        pol = _checks.nan_policy(nan_policy)
    if not (type(x) is _ndarray and x.flags.c_contiguous
            and (x.dtype is F32 or x.dtype is F64)):
        x = _checks.floats(x)
    raw = _raw
    if raw is None:
        lib = library()
        if lib is None:
            return _tuple_new(Stats, _fb.stats(x, pol))
        raw = _bind_raw(lib)
    out = _Buf()
    # fast_pointer: the ndarray's data field as a c_void_p (~0.15 us; see
    # _arrays.py, verified at import, else a plain c_void_p(address)).
    status = raw[0 if x.dtype is F32 else 1](fast_pointer(x), _c_size(x.size), pol, out)
    if status:
        raise _native.error(status)
    return _tuple_new(Stats, _unpack(out))


def _one(name, x):
    """A float64 result of a one-array C function (energy, rms, zcr)."""
    x = _checks.floats(x)
    lib = library()
    if lib is None:
        return getattr(_fb, name)(x)
    out = _double()
    fn = getattr(lib, f"core_{name}_{'f32' if x.dtype is F32 else 'f64'}")
    check(fn(pointer(x), x.size, _byref(out)))
    return out.value


def _two(name, x, y):
    x, y = _checks.pair(x, y)
    lib = library()
    if lib is None:
        return getattr(_fb, name)(x, y)
    out = _double()
    fn = getattr(lib, f"core_{name}_{'f32' if x.dtype is F32 else 'f64'}")
    check(fn(pointer(x), pointer(y), x.size, _byref(out)))
    return out.value


def dot(x, y):
    """``sum(x*y)`` in float64 (a fixed pairwise tree: the same bits for any
    thread count); 0.0 for empty input. x and y must have the same number
    of elements (ValueError); both float32 stay float32 (zero copy), any
    other mix is converted to float64."""
    return _two("dot", x, y)


def corrcoef(x, y):
    """Pearson's r, ``np.corrcoef(x, y)[0, 1]``, clipped to [-1, 1]. NaN
    when n < 2, when either input is constant (NumPy may give +-1 or warn)
    or holds NaN. Same size/dtype rules as dot()."""
    return _two("corrcoef", x, y)


def energy(x):
    """The mean of ``x**2`` in float64; NaN for empty input."""
    return _one("energy", x)


def rms(x):
    """``sqrt(energy(x))``; NaN for empty input."""
    return _one("rms", x)


def zero_crossing_rate(x):
    """The fraction of adjacent pairs whose signs differ, 0 and -0.0
    counting as positive (librosa's zero_pos=True) and NaN as negative:
    crossings / (n - 1). NaN for n < 2."""
    return _one("zero_crossing_rate", x)


def percentile(x, q, nan_policy="propagate"):
    """The q-th percentile(s), q in [0, 100], with NumPy's default "linear"
    interpolation (np.percentile / np.nanpercentile with "omit").

    ``q`` a number gives a float; a sequence gives a float64 array of q's
    shape. x is not modified (libcore selects in a scratch copy, O(n) per
    q). Under "propagate" a NaN input gives NaN.

    Raises LibcoreError CORE_E_EMPTY when no value remains (empty, or all
    NaN under "omit"; NumPy raises too) and CORE_E_INVALID_ARGUMENT for q
    outside [0, 100] or NaN.
    """
    pol = _policy(nan_policy)
    x = _checks.floats(x)
    qs = np.asarray(q)
    if qs.dtype.kind not in "biuf":
        raise TypeError(f"q must be a number or a sequence of numbers, got dtype {qs.dtype}")
    qs = qs.astype(F64)
    flat = qs.reshape(-1)
    res = np.empty(flat.size, F64)
    lib = library()
    if lib is None:
        for i, qi in enumerate(flat):
            res[i] = _fb.percentile(x, float(qi), pol)
    else:
        scratch = np.empty(x.size, x.dtype)
        out = _double()
        fn = lib.core_percentile_f32 if x.dtype is F32 else lib.core_percentile_f64
        px, ps = pointer(x), address(scratch)
        for i, qi in enumerate(flat):
            check(fn(px, x.size, float(qi), pol, ps, x.size, _byref(out)))
            res[i] = out.value
    return float(res[0]) if qs.ndim == 0 else res.reshape(qs.shape)


del _sfx
