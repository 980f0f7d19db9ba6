"""EncoderCache: libcore's bounded LRU of float32 embeddings keyed by the
XXH3-128 digest of their (rounded) input audio (include/core/cache.h).

    cache = libcore.EncoderCache(max_entries=10_000, ttl_ms=3_600_000)
    emb = cache.get_or_compute(audio, encoder)   # encoder(audio) runs once per key,
                                                 # even when 8 threads ask at once
    cache.get(audio)                             # ndarray, or None on a miss
    cache.key(audio)                             # the 128-bit key, as an int
    cache.save("enc.cache"); cache.load("enc.cache")

Native only: without libcore.so.1 the constructor raises LibcoreUnavailable
(audio_key and key_bytes too).

Keys: audio (any shape, taken flat) is rounded to `decimals` places the way
np.round does on float32 and hashed with its length (core_cache_key_audio):
two clips of the same length share a key exactly when np.round(clip,
decimals) gives equal float32 arrays. The key is the XXH3-128 digest as one
int, (hi << 64) | lo: what xxhash.xxh3_128_intdigest gives for
core_cache_key_bytes. float32 C-contiguous audio is hashed in place; other
dtypes are converted to float32 first (one copy). A NaN sample is a
LibcoreError (CORE_E_INVALID_ARGUMENT, the message gives its index). Every
method that takes `audio` also takes a key int from key().

Values: float32 arrays of 1 to 4 dimensions (any input is converted to
float32, one copy unless it already is C-contiguous float32); put copies
the value into the cache, get returns a new array of the stored shape.

Threads: every method may run on any number of threads at once (the cache
is sharded, each shard with its own lock; the C calls release the GIL).
close() may run at any time: calls in progress finish first, later ones
raise ValueError.
"""

import collections
import ctypes
import dataclasses
import itertools
import os
import threading

import numpy as np

from . import _native
from ._arrays import fast_address, fast_pointer
from ._errors import LibcoreError
from ._handle import GuardedHandle
from .metrics import create_published
from ._native import check, declare, native

__all__ = ["EncoderCache", "CacheStats", "audio_key", "key_bytes"]

_c = ctypes
_vp = _c.c_void_p
_sz = _c.c_size_t
_u64 = _c.c_uint64
_F32 = np.dtype(np.float32)
_nd = np.ndarray

_E_INVALID_ARGUMENT, _E_BUFFER_TOO_SMALL, _E_NOT_FOUND = 1, 3, 6
_E_UNAVAILABLE, _E_INTERNAL = 10, 11
MAX_DIMS = 4
MAX_DECIMALS = 10
ENTRY_OVERHEAD = 256
# Above this many samples the key is computed with the GIL released.
_KEY_GIL_LIMIT = 1 << 18


class CoreKey(_c.Structure):
    """core_key_t (lo = low64, hi = high64 of the digest)."""
    _fields_ = [("lo", _c.c_uint64), ("hi", _c.c_uint64)]


# Keys are handled as c_uint64[2] (lo, hi): the layout of core_key_t, cheaper
# to allocate than the Structure and passed as a pointer as it is.
_Key = _c.c_uint64 * 2


_ClockFn = _c.CFUNCTYPE(_c.c_uint64, _vp)
_ComputeFn = _c.CFUNCTYPE(_c.c_int, _vp, _c.POINTER(CoreKey), _vp)


class CacheOptions(_c.Structure):
    """core_cache_options_t (layout 2, with metrics)."""
    _fields_ = [("struct_size", _sz), ("max_entries", _sz), ("max_bytes", _sz),
                ("ttl_ms", _c.c_uint64), ("shards", _sz), ("clock", _ClockFn),
                ("clock_user", _vp), ("metrics", _vp), ("metrics_prefix", _c.c_char_p)]


class CacheStatsC(_c.Structure):
    """core_cache_stats_t."""
    _fields_ = [("struct_size", _sz), ("hits", _u64), ("misses", _u64), ("inserts", _u64),
                ("evictions", _u64), ("expirations", _u64), ("entries", _u64),
                ("bytes", _u64), ("hit_rate", _c.c_double), ("computes", _u64),
                ("compute_failures", _u64), ("compute_waits", _u64)]


_keyp = _vp   # a _Key array (core_key_t *)
declare("core_cache_key_bytes", _c.c_int, [_vp, _sz, _keyp])
declare("core_cache_key_audio", _c.c_int, [_vp, _sz, _c.c_int, _keyp])
declare("core_cache_options_init", _c.c_int, [_c.POINTER(CacheOptions)])
declare("core_cache_create", _c.c_int, [_c.POINTER(CacheOptions), _c.POINTER(_vp)])
declare("core_cache_destroy", None, [_vp])
declare("core_cache_entry_bytes", _sz, [_sz])
declare("core_cache_shards", _sz, [_vp])
declare("core_cache_put", _c.c_int, [_vp, _keyp, _vp, _sz, _vp, _sz])
declare("core_cache_get", _c.c_int, [_vp, _keyp, _vp, _sz, _vp, _vp, _vp])
declare("core_cache_contains", _c.c_int, [_vp, _keyp, _c.POINTER(_c.c_int)])
declare("core_cache_remove", _c.c_int, [_vp, _keyp])
declare("core_cache_clear", _c.c_int, [_vp])
declare("core_cache_writer_put", _c.c_int, [_vp, _vp, _sz, _vp, _sz])
declare("core_cache_get_or_compute", _c.c_int,
        [_vp, _keyp, _ComputeFn, _vp, _vp, _sz, _vp, _vp, _vp])
declare("core_cache_stats", _c.c_int, [_vp, _c.POINTER(CacheStatsC)])
declare("core_cache_stats_reset", _c.c_int, [_vp])
declare("core_cache_save", _c.c_int, [_vp, _c.c_char_p])
declare("core_cache_load", _c.c_int, [_vp, _c.c_char_p])

# core_cache_key_audio, bound on first use: through PyDLL (keeps the GIL:
# pure computation, no lock) and raw (no argtypes: the pointer goes as a
# c_void_p instance, n as c_size_t, the key array as a pointer), which saves
# ~0.5 us of ctypes conversions per key; above _KEY_GIL_LIMIT samples the
# CDLL binding releases the GIL.
_key_fast = None
_int = int


def _key_of_int(key, op):
    if not 0 <= key < 1 << 128:
        raise ValueError(f"{op}: a key is an int in 0 .. 2**128 - 1")
    return _Key(key & 0xFFFFFFFFFFFFFFFF, key >> 64)


def _audio_key(audio, decimals, op):
    """The key (a _Key) of audio, or of a key int."""
    global _key_fast
    if audio.__class__ is _int:
        return _key_of_int(audio, op)
    if not (audio.__class__ is _nd and audio.dtype is _F32 and audio.flags.c_contiguous):
        audio = np.ascontiguousarray(audio, dtype=_F32)   # the one documented copy
    n = audio.size
    k = _Key()
    if _key_fast is None:
        native(op)
        _key_fast = _native.fast("core_cache_key_audio", raw=True)
    if n <= _KEY_GIL_LIMIT:
        # decimals goes as a Python int: ctypes passes it as a C int, the
        # parameter's type.
        st = _key_fast(fast_pointer(audio), _sz(n), decimals, k)
    else:
        st = _native.library().core_cache_key_audio(fast_address(audio), n, decimals, k)
    if st:
        raise _native.error(st)
    return k


def _as_int(k):
    return k[0] | (k[1] << 64)


def audio_key(audio, decimals=4):
    """The cache key of audio (see the module docstring) as an int:
    (hi << 64) | lo of the XXH3-128 digest. decimals: 0 .. 10."""
    return _as_int(_audio_key(audio, decimals, "audio_key"))


def key_bytes(data):
    """XXH3-128 (seed 0) of a bytes-like object as an int (the value
    xxhash.xxh3_128_intdigest gives). One copy for non-bytes inputs."""
    lib = native("key_bytes")
    if not isinstance(data, bytes):
        data = bytes(memoryview(data).cast("B"))
    k = _Key()
    check(lib.core_cache_key_bytes(data, len(data), k))
    return _as_int(k)


@dataclasses.dataclass(frozen=True)
class CacheStats:
    """Counters of an EncoderCache (core_cache_stats_t): hits, misses,
    inserts, evictions, expirations, entries and bytes held now, hit_rate
    (hits / lookups, 0 before any), computes (get_or_compute callbacks
    run), compute_failures, compute_waits (calls that waited for another
    thread's computation)."""
    hits: int
    misses: int
    inserts: int
    evictions: int
    expirations: int
    entries: int
    bytes: int
    hit_rate: float
    computes: int
    compute_failures: int
    compute_waits: int


# -- get_or_compute's callback ---------------------------------------------------
# One C callback for every cache and call: `user` is an id into _calls, where
# the call's context waits. ctypes takes the GIL for the callback (the C call
# released it), on the thread that called get_or_compute.

class _Compute:
    __slots__ = ("fn", "audio", "ran", "value", "exc")

    def __init__(self, fn, audio):
        self.fn = fn
        self.audio = audio
        self.ran = False
        self.value = None
        self.exc = None


_calls = {}
_ids = itertools.count(1)
# The last failures of computations, by key, so that the callers that
# waited for one can chain the exception (bounded: only for messages).
_failures = collections.OrderedDict()
_failures_lock = threading.Lock()


def _remember_failure(k, exc):
    with _failures_lock:
        _failures[k] = exc
        while len(_failures) > 64:
            _failures.popitem(last=False)


def _status_for(exc):
    """The status a failed fn gives its waiters: a LibcoreError's own,
    else CORE_E_UNAVAILABLE (as the Go binding)."""
    st = getattr(exc, "status", None) if isinstance(exc, LibcoreError) else None
    if not isinstance(st, int) or st <= 0 or st > _E_INTERNAL or st == _E_BUFFER_TOO_SMALL:
        st = _E_UNAVAILABLE
    return st


def _shape_arg(arr):
    if arr.ndim == 0:
        return None, 0
    if arr.ndim > MAX_DIMS:
        raise ValueError(f"a cache value has 1 to {MAX_DIMS} dimensions, not {arr.ndim}")
    return (_sz * arr.ndim)(*arr.shape), arr.ndim


def _compute_trampoline(user, key, writer):
    ctx = _calls.get(user)
    if ctx is None:   # cannot happen: the call that registered it is waiting
        return _E_INTERNAL
    ctx.ran = True
    try:
        value = ctx.fn(ctx.audio)
        arr = np.ascontiguousarray(value, dtype=_F32)
        shape, ndim = _shape_arg(arr)
        ctx.value = arr
        st = _native.library().core_cache_writer_put(writer, fast_address(arr), arr.size,
                                                     shape, ndim)
        if st:
            raise _native.error(st)
        return 0
    except BaseException as e:  # noqa: B902 -- every exception goes to the caller
        ctx.exc = e
        k = key.contents
        _remember_failure(k.lo | (k.hi << 64), e)
        return _status_for(e)


_COMPUTE = _ComputeFn(_compute_trampoline)


def _clock_callback(fn):
    """A core_cache_clock_fn calling fn() (milliseconds). An exception in
    fn is printed once and the last value is used again."""
    last = [0]
    warned = [False]

    def clock(_user):
        try:
            v = int(fn())
            if v < last[0]:
                v = last[0]   # the C contract: non-decreasing
            last[0] = v
        except BaseException as e:  # noqa: B902 -- never into C
            if not warned[0]:
                warned[0] = True
                import sys
                print(f"libcore.EncoderCache: the clock raised {e!r}; using its last value",
                      file=sys.stderr)
        return last[0]
    return _ClockFn(clock)


class EncoderCache(GuardedHandle):
    """A bounded, sharded LRU of float32 embeddings keyed by audio
    (core_cache_t).

    Keyword options (None keeps libcore's default): max_entries (4096;
    0 = no count bound), max_bytes (256 MiB; 0 = no byte bound; an entry
    costs entry_bytes(n) = 4 n + 256), ttl_ms (0 = never expire; expiry is
    counted from the write), shards (0 = automatic, else a power of two up
    to 256; LRU order is exact within a shard), decimals (4: the key's
    rounding), clock (a callable returning milliseconds, non-decreasing, for
    tests; default the wall clock), metrics / metrics_prefix (a Metrics
    registry to publish <prefix>_hits_total etc. into; default prefix
    "core_cache").

    LibcoreError CORE_E_INVALID_ARGUMENT (message from core_cache_create)
    for both bounds 0, shards not a power of two, a taken metrics prefix.
    """

    def __init__(self, *, max_entries=None, max_bytes=None, ttl_ms=None, shards=None,
                 decimals=4, clock=None, metrics=None, metrics_prefix=None):
        self._guard = None
        self._metrics = None
        lib = native("EncoderCache")
        self._lib = lib
        if not 0 <= decimals <= MAX_DECIMALS:
            raise ValueError(f"EncoderCache: decimals = {decimals} is outside 0 .. {MAX_DECIMALS}")
        self.decimals = decimals
        o = CacheOptions()
        check(lib.core_cache_options_init(_c.byref(o)))
        for field, v in (("max_entries", max_entries), ("max_bytes", max_bytes),
                         ("ttl_ms", ttl_ms), ("shards", shards)):
            if v is not None:
                if v < 0:
                    raise ValueError(f"EncoderCache: {field} = {v} is negative")
                setattr(o, field, v)
        self._clock = None
        if clock is not None:
            if not callable(clock):
                raise TypeError("EncoderCache: clock must be a callable returning milliseconds")
            self._clock = _clock_callback(clock)   # kept alive as long as the cache
            o.clock = self._clock
        h = create_published(lib.core_cache_create, o, metrics, metrics_prefix, "EncoderCache")
        self._metrics = metrics
        self._hint = 1024   # floats to allocate for a get (the last value size seen)

        def destroy(handle, _clock=self._clock):
            # Not a bound method: no reference cycle through the guard, so
            # an unreferenced cache is freed at once. The clock callback
            # (_clock) stays alive as long as the C cache can call it.
            lib.core_cache_destroy(handle)
            if metrics is not None:
                metrics._detach()
        self._guard = _native.Guard(h, "EncoderCache", destroy)

    # -- life cycle ---------------------------------------------------------------


    # -- keys ------------------------------------------------------------------------

    def key(self, audio):
        """The key of audio with this cache's decimals, as an int."""
        return _as_int(_audio_key(audio, self.decimals, "EncoderCache.key"))

    @staticmethod
    def entry_bytes(n):
        """Bytes an entry of n floats counts for against max_bytes."""
        return native("EncoderCache.entry_bytes").core_cache_entry_bytes(n)

    # -- entries ---------------------------------------------------------------------

    def _copy_out(self, fn, *head):
        """Runs a get-like call fn(*head, out, cap, n, shape, ndim) with a
        buffer that grows on CORE_E_BUFFER_TOO_SMALL; (status, value)."""
        meta = (_sz * (2 + MAX_DIMS))()     # n, ndim, shape[4]
        base = _c.addressof(meta)
        step = _c.sizeof(_sz)
        while True:
            cap = self._hint
            out = np.empty(cap, _F32)
            st = fn(*head, fast_address(out), cap, base, base + 2 * step, base + step)
            n = meta[0]
            if st == _E_BUFFER_TOO_SMALL:
                self._hint = n if n > cap else 2 * cap
                return st, None
            if st:
                return st, None
            if n != cap:
                out = out[:n].copy()
            return 0, out.reshape(tuple(meta[2:2 + meta[1]]))

    def get(self, audio):
        """The value stored for audio (a new float32 array of its shape),
        or None on a miss (also an expired entry). Counts a hit or a miss."""
        k = _audio_key(audio, self.decimals, "EncoderCache.get")
        h = self._guard.enter("EncoderCache.get")
        try:
            while True:
                st, out = self._copy_out(self._lib.core_cache_get, h, k)
                if st == _E_BUFFER_TOO_SMALL:
                    continue   # _hint grew to the value's size
                if st == _E_NOT_FOUND:
                    return None
                if st:
                    raise _native.error(st)
                return out
        finally:
            self._guard.exit()

    def put(self, audio, value):
        """Stores a copy of value (float32, 1 to 4 dimensions, not empty)
        for audio, replacing any previous value; may evict least recently
        used entries. LibcoreError CORE_E_FULL when the entry can never fit
        max_bytes (nothing evicted)."""
        k = _audio_key(audio, self.decimals, "EncoderCache.put")
        arr = np.ascontiguousarray(value, dtype=_F32)
        shape, ndim = _shape_arg(arr)
        h = self._guard.enter("EncoderCache.put")
        try:
            check(self._lib.core_cache_put(h, k, fast_address(arr), arr.size,
                                           shape, ndim))
        finally:
            self._guard.exit()
        if arr.size > self._hint:
            self._hint = arr.size

    def __contains__(self, audio):
        """True when audio has a live entry (no hit or miss counted, no LRU
        change)."""
        k = _audio_key(audio, self.decimals, "EncoderCache.__contains__")
        found = _c.c_int()
        h = self._guard.enter("EncoderCache.__contains__")
        try:
            check(self._lib.core_cache_contains(h, k, _c.byref(found)))
        finally:
            self._guard.exit()
        return bool(found.value)

    contains = __contains__

    def remove(self, audio):
        """Removes the entry of audio; True when there was one."""
        k = _audio_key(audio, self.decimals, "EncoderCache.remove")
        h = self._guard.enter("EncoderCache.remove")
        try:
            st = self._lib.core_cache_remove(h, k)
        finally:
            self._guard.exit()
        if st == _E_NOT_FOUND:
            return False
        check(st)
        return True

    def clear(self):
        """Removes every entry (counters are kept)."""
        h = self._guard.enter("EncoderCache.clear")
        try:
            check(self._lib.core_cache_clear(h))
        finally:
            self._guard.exit()

    def get_or_compute(self, audio, fn):
        """The value for audio; on a miss, fn(audio) computes it (an array-
        like of float32-convertible numbers, 1 to 4 dimensions), it is
        stored and returned (a copy).

        Single flight: concurrent calls for one key, from any threads, run
        fn once: the first caller runs it on its own thread (holding no
        lock, the GIL taken back for it), the others wait in C without the
        GIL and get a copy of its value. If fn raises, nothing is cached:
        that exception propagates, traceback intact, from the call that ran
        fn; the calls that waited for it raise LibcoreError (CORE_E_
        UNAVAILABLE, or the status of a LibcoreError fn raised) chained
        from it. fn may use the cache, except get_or_compute of the same
        key (LibcoreError CORE_E_INVALID_ARGUMENT). fn must return: waiters
        wait without a time limit."""
        k = _audio_key(audio, self.decimals, "EncoderCache.get_or_compute")
        ctx = _Compute(fn, audio)
        uid = next(_ids)
        _calls[uid] = ctx
        h = self._guard.enter("EncoderCache.get_or_compute")
        try:
            lib = self._lib
            while True:
                st, out = self._copy_out(lib.core_cache_get_or_compute, h, k,
                                         _COMPUTE, uid)
                if st == 0:
                    return out
                if ctx.ran:
                    if ctx.exc is not None:
                        raise ctx.exc
                    if st == _E_BUFFER_TOO_SMALL:   # stored; fn's value is here
                        return ctx.value.copy()
                    raise _native.error(st)
                if st == _E_BUFFER_TOO_SMALL:
                    continue   # a hit (or a waiter) with too small a buffer: again
                err = _native.error(st)
                with _failures_lock:
                    cause = _failures.get(_as_int(k))
                if cause is not None:
                    raise err from cause
                raise err
        finally:
            self._guard.exit()
            _calls.pop(uid, None)

    # -- statistics and persistence ------------------------------------------------------

    def stats(self):
        """CacheStats now (expired entries swept first)."""
        s = CacheStatsC()
        s.struct_size = _c.sizeof(CacheStatsC)
        h = self._guard.enter("EncoderCache.stats")
        try:
            check(self._lib.core_cache_stats(h, _c.byref(s)))
        finally:
            self._guard.exit()
        return CacheStats(*(getattr(s, f[0]) for f in CacheStatsC._fields_[1:]))

    def reset_stats(self):
        """Zeroes the hit, miss, insert, eviction, expiration and compute
        counters (entries and bytes stay)."""
        h = self._guard.enter("EncoderCache.reset_stats")
        try:
            check(self._lib.core_cache_stats_reset(h))
        finally:
            self._guard.exit()

    def __len__(self):
        """Live entries (expired ones swept first)."""
        return self.stats().entries

    @property
    def shards(self):
        """The number of shards in use."""
        h = self._guard.enter("EncoderCache.shards")
        try:
            return self._lib.core_cache_shards(h)
        finally:
            self._guard.exit()

    def save(self, path):
        """Writes every live entry to path atomically (temporary file,
        fsync, rename; mode 0600). LibcoreError CORE_E_IO with the system's
        reason when it cannot be written."""
        p = os.fsencode(path)
        h = self._guard.enter("EncoderCache.save")
        try:
            check(self._lib.core_cache_save(h, p))
        finally:
            self._guard.exit()

    def load(self, path):
        """Adds the entries of a file written by save() (keeping their
        write times for the TTL). LibcoreError CORE_E_FORMAT for a corrupt
        or truncated file (the cache is then unchanged), CORE_E_IO when it
        cannot be read."""
        p = os.fsencode(path)
        h = self._guard.enter("EncoderCache.load")
        try:
            check(self._lib.core_cache_load(h, p))
        finally:
            self._guard.exit()

    def __repr__(self):
        if self.closed:
            return "<libcore.EncoderCache closed>"
        s = self.stats()
        return (f"<libcore.EncoderCache {s.entries} entries, {s.bytes} bytes, "
                f"hit rate {s.hit_rate:.2f}>")
