"""Statistics of many arrays, of the frames of a signal, of a raw float32
file, and of a stream pushed chunk by chunk (include/core/batch.h).

Every summary here is the one ``stats()`` gives for the same values (bit
for bit on the native backend; on the NumPy fallback within the tolerances
at the head of _fallback.py). Work runs in parallel in libcore's task arena,
with results that do not depend on the thread count.

Results of batch_stats and frame_stats are a StatsArray: a sequence of Stats
(``r[i]``, ``for s in r``) that also offers each field as a float64/uint64
array (``r.mean``, ``r.var(ddof=1)``), backed by one NumPy structured array
(``r.records``) that libcore writes directly.
"""

import ctypes
import math
import os

import numpy as np

from . import _checks
from . import _fallback as _fb
from . import _native
from ._arrays import F32, F64, fast_address, pointer
from ._native import check, declare, library
from .stats import STATS_DTYPE, CoreStats, Stats, _policy

__all__ = ["StatsArray", "batch_stats", "frame_stats", "stats_file", "StatsAccumulator"]

_int, _size, _u64 = ctypes.c_int, ctypes.c_size_t, ctypes.c_uint64
_P = ctypes.c_void_p
_byref = ctypes.byref
_tuple_new = tuple.__new__

for _sfx in ("f32", "f64"):
    declare(f"core_batch_stats_{_sfx}", _int, [_P, _P, _size, _int, _P])
    declare(f"core_stats_frames_{_sfx}", _int, [_P, _size, _size, _size, _P, _size, _P])
    declare(f"core_stats_acc_push_{_sfx}", _int, [_P, _P, _size])
declare("core_stats_frames_len", _int, [_size, _size, _size, _P])
declare("core_stats_acc_init", _int, [_P, _int, _u64])
declare("core_stats_acc_merge", _int, [_P, _P])
declare("core_stats_acc_result", _int, [_P, _P])
declare("core_stats_file_f32", _int, [ctypes.c_char_p, _u64, _u64, _int, _P])


class StatsArray:
    """Summaries of a batch: a read-only sequence of Stats with vectorized
    fields.

    ``len(r)``, ``r[i]`` (a Stats), iteration; ``r.count``, ``r.nan_count``
    (uint64 arrays), ``r.min``, ``r.max``, ``r.sum``, ``r.mean``, ``r.m2``
    (float64 arrays, read-only views); ``r.var(ddof)`` / ``r.std(ddof)``
    (float64 arrays, NaN where count <= ddof); ``r.records`` the underlying
    structured array (dtype STATS_DTYPE, the C core_stats_t layout).
    """

    __slots__ = ("records",)

    def __init__(self, records):
        records.flags.writeable = False
        self.records = records

    def __len__(self):
        return self.records.shape[0]

    def __getitem__(self, i):
        if isinstance(i, slice):
            return StatsArray(self.records[i])
        r = self.records[i]
        return _tuple_new(Stats, (int(r[0]), int(r[1]), float(r[2]), float(r[3]),
                                  float(r[4]), float(r[5]), float(r[6])))

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def __repr__(self):
        return f"StatsArray({len(self)} summaries)"

    count = property(lambda self: self.records["count"], doc="uint64 array")
    nan_count = property(lambda self: self.records["nan_count"], doc="uint64 array")
    min = property(lambda self: self.records["min"], doc="float64 array")
    max = property(lambda self: self.records["max"], doc="float64 array")
    sum = property(lambda self: self.records["sum"], doc="float64 array")
    mean = property(lambda self: self.records["mean"], doc="float64 array")
    m2 = property(lambda self: self.records["m2"], doc="float64 array")

    def var(self, ddof=0):
        """``m2 / (count - ddof)`` per summary, NaN where count <= ddof."""
        d = _checks.ddof(ddof)
        count = self.records["count"]
        ok = count > d
        out = np.full(count.shape, math.nan)
        np.divide(self.records["m2"], (count - np.uint64(d)).astype(np.float64),
                  out=out, where=ok)
        return out

    def std(self, ddof=0):
        """``sqrt(var(ddof))`` per summary."""
        return np.sqrt(self.var(ddof))


def batch_stats(arrays, nan_policy="propagate"):
    """``[stats(a, nan_policy) for a in arrays]`` in one parallel call.

    Each array follows stats()'s dtype rules, so ``batch_stats(arrays)[i]``
    equals ``stats(arrays[i])`` exactly: float32 arrays go through the
    float32 kernel, everything else through the float64 one (one copy for
    what is not float32/float64 C-contiguous). n-D arrays are flattened.
    Returns a StatsArray.
    """
    pol = _policy(nan_policy)
    parts = [_checks.floats(a, "arrays[%d]" % i) for i, a in enumerate(arrays)]
    out = np.zeros(len(parts), STATS_DTYPE)
    lib = library()
    if lib is None:
        for i, p in enumerate(parts):
            out[i] = _fb.stats(p, pol)
        return StatsArray(out)
    for dtype, fn in ((F32, lib.core_batch_stats_f32), (F64, lib.core_batch_stats_f64)):
        idx = [i for i, p in enumerate(parts) if p.dtype is dtype]
        if not idx:
            continue
        count = len(idx)
        ptrs = (_P * count)(*[fast_address(parts[i]) if parts[i].size else None for i in idx])
        lens = (_size * count)(*[parts[i].size for i in idx])
        if count == len(parts):
            check(fn(ptrs, lens, count, pol, pointer(out)))
        else:
            part = np.empty(count, STATS_DTYPE)
            check(fn(ptrs, lens, count, pol, pointer(part)))
            out[idx] = part
    return StatsArray(out)


def frame_stats(x, frame, hop=None):
    """Summaries of the whole frames of the 1-D signal ``x``: frame i covers
    ``x[i*hop : i*hop + frame]`` (``hop`` defaults to ``frame``), and a
    partial last frame is dropped (librosa.util.frame), so there are
    ``1 + (len(x) - frame) // hop`` of them. NaN propagates within a frame
    (nan_count says which frames held one). Returns a StatsArray.

    Raises ValueError for an x that is not 1-D or a negative frame/hop, and
    LibcoreError CORE_E_INVALID_ARGUMENT for frame or hop 0 or a frame
    longer than x.
    """
    x = _checks.floats(x)
    if x.ndim != 1:
        raise ValueError(f"frame_stats needs a 1-D signal, got shape {x.shape}")
    frame = _checks.size(frame, "frame")
    hop = frame if hop is None else _checks.size(hop, "hop")
    lib = library()
    if lib is None:
        count = _fb.frames_len(x.size, frame, hop)
        return StatsArray(_fb.frame_stats(x, frame, hop, np.empty(count, STATS_DTYPE)))
    n = _size()
    check(lib.core_stats_frames_len(x.size, frame, hop, _byref(n)))
    out = np.empty(n.value, STATS_DTYPE)
    fn = lib.core_stats_frames_f32 if x.dtype is F32 else lib.core_stats_frames_f64
    check(fn(pointer(x), x.size, frame, hop, pointer(out), n.value, _byref(n)))
    return StatsArray(out)


def stats_file(path, offset=0, count=0, nan_policy="propagate"):
    """The summary of values ``[offset, offset + count)`` of a raw
    native-endian float32 file (``count=0``: to the end), equal to
    ``stats(np.fromfile(path, np.float32)[offset:offset + count])``.
    offset and count are in VALUES, not bytes. libcore maps the file and
    reduces it in parallel without reading it into memory (the fallback
    reads it with np.fromfile).

    Raises LibcoreError CORE_E_NOT_FOUND (no such file), CORE_E_IO (a
    directory, no permission, a read error), CORE_E_FORMAT (a size that is
    not a multiple of 4 bytes), CORE_E_INVALID_ARGUMENT (a range past the
    end).
    """
    pol = _policy(nan_policy)
    offset = _checks.size(offset, "offset")
    count = _checks.size(count, "count")
    path = os.fsencode(path)
    lib = library()
    if lib is None:
        return _tuple_new(Stats, _fb.stats_file(path, offset, count, pol))
    out = CoreStats()
    check(lib.core_stats_file_f32(path, offset, count, pol, _byref(out)))
    return _tuple_new(Stats, (out.count, out.nan_count, out.min, out.max, out.sum,
                              out.mean, out.m2))


# ---- streaming accumulator -----------------------------------------------------

_ACC_BLOCK = 2048
_ACC_DEPTH = 64


class _AccNode(ctypes.Structure):
    """core_stats_acc_node_t."""
    _fields_ = [("begin", ctypes.c_uint64), ("end", ctypes.c_uint64),
                ("count", ctypes.c_uint64), ("nan_count", ctypes.c_uint64),
                ("min", ctypes.c_double), ("max", ctypes.c_double),
                ("sum", ctypes.c_double), ("mean", ctypes.c_double),
                ("m2", ctypes.c_double)]


class _AccPending(ctypes.Union):
    _fields_ = [("f32", ctypes.c_float * _ACC_BLOCK), ("f64", ctypes.c_double * _ACC_BLOCK)]


class CoreStatsAcc(ctypes.Structure):
    """core_stats_acc_t (batch.h), about 21 KiB of plain data."""
    _fields_ = [("magic", ctypes.c_uint64), ("nan_policy", ctypes.c_uint32),
                ("dtype", ctypes.c_uint32), ("total", ctypes.c_uint64),
                ("pushed", ctypes.c_uint64), ("depth", ctypes.c_uint64),
                ("has_ref", ctypes.c_uint64), ("ref", ctypes.c_double),
                ("base", _AccNode), ("stack", _AccNode * _ACC_DEPTH),
                ("pending", _AccPending)]


class StatsAccumulator:
    """A streaming summary: ``push(chunk)`` as data arrives, ``result()``
    at any time, ``merge(other)`` to combine workers' accumulators.

    ``total`` declares how many values will be pushed, when known: the
    result is then exactly ``stats()`` of the whole stream (natively, bit
    for bit), whatever the chunking. The first non-empty push fixes the
    dtype: float32 chunks stay float32, anything else is converted to
    float64 (one copy), and pushing the other dtype later raises LibcoreError
    CORE_E_INVALID_ARGUMENT, as does pushing past ``total``.

    Plain data (no handle, nothing to close); ``copy()`` forks a stream. Not
    thread safe: one thread at a time per accumulator.
    """

    __slots__ = ("_acc", "_nan")

    def __init__(self, nan_policy="propagate", total=0):
        self._nan = _policy(nan_policy)
        total = _checks.size(total, "total")
        lib = library()
        if lib is None:
            self._acc = _fb.Accumulator(self._nan, total)
        else:
            self._acc = CoreStatsAcc()
            check(lib.core_stats_acc_init(_byref(self._acc), self._nan, total))

    def push(self, x):
        """Appends the values of ``x`` (flattened) to the stream."""
        x = _checks.floats(x)
        lib = _native._lib
        if lib is None:
            self._acc.push(x)
            return
        fn = lib.core_stats_acc_push_f32 if x.dtype is F32 else lib.core_stats_acc_push_f64
        check(fn(_byref(self._acc), pointer(x), x.size))

    def merge(self, other):
        """Folds ``other`` (unchanged) into this accumulator: the summary of
        both streams. Values pushed afterwards start a new segment (any
        dtype, unknown length). Different NaN policies raise LibcoreError
        CORE_E_INVALID_ARGUMENT."""
        if not isinstance(other, StatsAccumulator):
            raise TypeError(f"can only merge a StatsAccumulator, got {type(other).__name__}")
        lib = _native._lib
        if lib is None:
            self._acc.merge(other._acc)
        else:
            check(lib.core_stats_acc_merge(_byref(self._acc), _byref(other._acc)))

    def result(self):
        """The Stats of everything pushed and merged so far."""
        lib = _native._lib
        if lib is None:
            return _tuple_new(Stats, self._acc.summary)
        out = CoreStats()
        check(lib.core_stats_acc_result(_byref(self._acc), _byref(out)))
        return _tuple_new(Stats, (out.count, out.nan_count, out.min, out.max, out.sum,
                                  out.mean, out.m2))

    def copy(self):
        """An independent accumulator in the same state (a fork)."""
        c = StatsAccumulator.__new__(StatsAccumulator)
        c._nan = self._nan
        if isinstance(self._acc, _fb.Accumulator):
            c._acc = self._acc.copy()
        else:
            c._acc = CoreStatsAcc()
            ctypes.memmove(_byref(c._acc), _byref(self._acc), ctypes.sizeof(CoreStatsAcc))
        return c


del _sfx
