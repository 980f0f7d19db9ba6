"""RingBuffer: libcore's preallocated float32 audio ring (include/core/ring.h).

    with libcore.RingBuffer(16000 * 10, policy="overwrite") as ring:
        ring.append(chunk)              # float32: zero copy; int16: converted v / 32768
        x = ring.read(1024)             # up to 1024 oldest samples, consumed (new array)
        n = ring.read_into(out)         # the same into your float32 buffer, no allocation
        ring.dropped                    # samples the overwrite policy discarded

Native only: without libcore.so.1 the constructor raises LibcoreUnavailable.

Dtypes and copies: append() takes a C-contiguous float32 array by pointer
(no copy) and int16 PCM by pointer through core_ring_append_i16 (converted
v / 32768 inside libcore, one pass); any other input (float64, lists,
strided views) is converted to float32 first, with one copy. Arrays of any
shape are taken flat, in C order. Reads return new float32 arrays, or fill
the caller's buffer (read_into).

Threads (ring.h convention 1): one producer thread (append, try_append,
wait_writable) and one consumer thread (read, read_into, peek, latest,
skip, clear, wait_readable) may run at once without any lock; len(),
space, dropped, capacity may run anywhere. close() must not run while
another thread is inside a call on the ring (the hot paths skip the
bookkeeping that would allow it, to stay cheap); after close() every method
raises ValueError, never crashes. wait_readable/wait_writable release the
GIL while they sleep; the other calls are a few hundred nanoseconds and keep
it (ctypes.PyDLL).
"""

import ctypes

import numpy as np

from . import _native
from ._arrays import fast_address
from ._handle import Closeable
from .metrics import create_published
from ._native import check, declare, native

__all__ = ["RingBuffer"]

_c = ctypes
_vp = _c.c_void_p
_sz = _c.c_size_t

REJECT, OVERWRITE = 0, 1
_POLICIES = {"reject": REJECT, "overwrite": OVERWRITE}
_MIRRORS = {False: 0, "off": 0, True: 1, "on": 1, "require": 2}
_E_EMPTY = 5
_F32 = np.dtype(np.float32)
_I16 = np.dtype(np.int16)
_nd = np.ndarray
_empty = np.empty


class RingOptions(_c.Structure):
    """core_ring_options_t (layout 2, with metrics)."""
    _fields_ = [("struct_size", _sz), ("capacity", _sz), ("policy", _c.c_int),
                ("mirror", _c.c_int), ("metrics", _vp), ("metrics_prefix", _c.c_char_p)]


declare("core_ring_options_init", _c.c_int, [_c.POINTER(RingOptions)])
declare("core_ring_create", _c.c_int, [_c.POINTER(RingOptions), _c.POINTER(_vp)])
declare("core_ring_destroy", None, [_vp])
declare("core_ring_append_f32", _c.c_int, [_vp, _vp, _sz])
declare("core_ring_append_i16", _c.c_int, [_vp, _vp, _sz])
declare("core_ring_wait_writable", _c.c_int, [_vp, _sz, _c.c_int])
declare("core_ring_read", _c.c_int, [_vp, _vp, _sz])
declare("core_ring_read_all", _c.c_int, [_vp, _vp, _sz, _vp])
declare("core_ring_read_latest", _c.c_int, [_vp, _vp, _sz])
declare("core_ring_consume", _c.c_int, [_vp, _sz])
declare("core_ring_pop", _c.c_int, [_vp, _vp, _sz, _vp])
declare("core_ring_clear", _c.c_int, [_vp])
declare("core_ring_wait_readable", _c.c_int, [_vp, _sz, _c.c_int])
declare("core_ring_size", _sz, [_vp])
declare("core_ring_space", _sz, [_vp])
declare("core_ring_capacity", _sz, [_vp])
declare("core_ring_dropped", _c.c_uint64, [_vp])
declare("core_ring_is_mirrored", _c.c_int, [_vp])
declare("core_ring_get_policy", _c.c_int, [_vp])


def _timeout_ms(timeout):
    if timeout is None:
        return -1
    return max(0, int(round(timeout * 1000)))


class RingBuffer(Closeable):
    """A lock-free single-producer single-consumer float32 ring of exactly
    `capacity` samples (core_ring_t).

    policy: "reject" (default; an append that does not fit writes nothing
    and raises LibcoreError CORE_E_FULL, or try_append returns False) or
    "overwrite" (appends always succeed; the oldest samples make room and
    are counted in .dropped). mirror: False (default), True (map the storage
    twice so reads never split at the wrap, when the system allows) or
    "require". metrics / metrics_prefix: a Metrics registry to publish
    <prefix>_appended, _dropped, _fill and _capacity into (default prefix
    "core_ring"); the registry stays alive while the ring is.

    LibcoreError (CORE_E_INVALID_ARGUMENT, message from core_ring_create)
    for capacity 0 or above 2**32, or a taken metrics prefix.
    """

    __slots__ = ("_h", "_lib", "_got", "_gotp", "_app", "_app16", "_pop", "_metrics",
                 "__weakref__")

    def __init__(self, capacity, policy="reject", *, mirror=False, metrics=None,
                 metrics_prefix=None):
        self._h = None
        self._metrics = None
        lib = native("RingBuffer")
        self._lib = lib
        try:
            pol = _POLICIES[policy] if isinstance(policy, str) else int(policy)
        except KeyError:
            raise ValueError(f"RingBuffer: policy must be 'reject' or 'overwrite', "
                             f"not {policy!r}") from None
        try:
            mir = _MIRRORS[mirror]
        except (KeyError, TypeError):
            raise ValueError(f"RingBuffer: mirror must be False, True or 'require', "
                             f"not {mirror!r}") from None
        o = RingOptions()
        check(lib.core_ring_options_init(_c.byref(o)))
        if capacity < 0:
            raise ValueError(f"RingBuffer: capacity {capacity} is negative")
        o.capacity = capacity
        o.policy = pol
        o.mirror = mir
        self._h = create_published(lib.core_ring_create, o, metrics, metrics_prefix,
                                   "RingBuffer")
        self._metrics = metrics
        # The consumer's count out-parameter, allocated once (consumer side only).
        self._got = _sz()
        self._gotp = _c.addressof(self._got)
        self._app = _native.fast("core_ring_append_f32")
        self._app16 = _native.fast("core_ring_append_i16")
        self._pop = _native.fast("core_ring_pop")

    # -- life cycle -------------------------------------------------------------

    def close(self):
        """Releases the ring (idempotent). Not while another thread is in a
        call on it (see the module docstring)."""
        h, self._h = self._h, None
        if h is not None:
            self._lib.core_ring_destroy(h)
            m, self._metrics = self._metrics, None
            if m is not None:
                m._detach()

    @property
    def closed(self):
        """True after close()."""
        return self._h is None

    def _live(self, op):
        h = self._h
        if h is None:
            raise ValueError(f"RingBuffer.{op}: the RingBuffer is closed")
        return h

    def _fail(self, op, st):
        if self._h is None:
            raise ValueError(f"RingBuffer.{op}: the RingBuffer is closed")
        raise _native.error(st)

    # -- producer ----------------------------------------------------------------

    def _append(self, x):
        """The status of appending x (the slow path: int16, other dtypes)."""
        h = self._h
        if x.__class__ is _nd and x.flags.c_contiguous:
            dt = x.dtype
            if dt is _F32:
                return self._app(h, fast_address(x), x.size)
            if dt is _I16:
                return self._app16(h, fast_address(x), x.size)
        x = np.ascontiguousarray(x, dtype=_F32)   # the one documented copy
        return self._app(h, fast_address(x), x.size)

    def append(self, x):
        """Appends the samples of x (see the module docstring for dtypes).
        REJECT: all or nothing, LibcoreError CORE_E_FULL when they do not
        fit (the message says when they never can). OVERWRITE: always
        succeeds, dropping the oldest samples (counted in .dropped)."""
        # The hot path, inlined: these checks are the whole Python cost
        # besides the C call (a closed ring passes NULL, which libcore
        # refuses; _fail then says "closed").
        if x.__class__ is _nd and x.dtype is _F32 and x.flags.c_contiguous:
            st = self._app(self._h, fast_address(x), x.size)
        else:
            st = self._append(x)
        if st:
            self._fail("append", st)

    def try_append(self, x):
        """append() that returns False instead of raising CORE_E_FULL."""
        st = self._append(x)
        if st == 4:   # CORE_E_FULL
            return False
        if st:
            self._fail("try_append", st)
        return True

    def wait_writable(self, n, timeout=None):
        """Sleeps (GIL released) until n samples fit or timeout seconds
        pass (None: no limit). True when they fit, False on timeout."""
        st = self._lib.core_ring_wait_writable(self._live("wait_writable"), n,
                                               _timeout_ms(timeout))
        if st == 4:
            return False
        if st:
            self._fail("wait_writable", st)
        return True

    # -- consumer ----------------------------------------------------------------

    def read(self, n=None):
        """Removes and returns up to n of the oldest samples (a new float32
        array, shorter when fewer are readable, empty when none); n=None
        reads everything readable."""
        if n is None:
            n = self._lib.core_ring_size(self._live("read"))
        out = _empty(n, _F32)
        st = self._pop(self._h, fast_address(out), n, self._gotp)
        if st and st != _E_EMPTY:
            self._fail("read", st)
        got = self._got.value
        return out if got == n else out[:got].copy()

    def read_into(self, out):
        """Removes up to out.size of the oldest samples into out (a
        writable C-contiguous float32 array, filled flat) and returns their
        count. Allocates nothing."""
        if out.__class__ is not _nd or out.dtype is not _F32:
            raise TypeError("RingBuffer.read_into: out must be a writable C-contiguous "
                            "float32 ndarray")
        flags = out.flags
        if not (flags.c_contiguous and flags.writeable):
            raise TypeError("RingBuffer.read_into: out must be a writable C-contiguous "
                            "float32 ndarray")
        st = self._pop(self._h, fast_address(out), out.size, self._gotp)
        if st and st != _E_EMPTY:
            self._fail("read_into", st)
        return self._got.value

    def peek(self, n=None):
        """The n oldest samples without consuming them (a new array).
        n=None: every readable sample. LibcoreError CORE_E_EMPTY when fewer
        than n are readable."""
        h = self._live("peek")
        if n is None:
            while True:
                n = self._lib.core_ring_size(h)
                out = _empty(n, _F32)
                st = self._lib.core_ring_read_all(h, fast_address(out), n, self._gotp)
                if st != 3:   # CORE_E_BUFFER_TOO_SMALL: the producer added some
                    break
            if st:
                self._fail("peek", st)
            got = self._got.value
            return out if got == n else out[:got].copy()
        out = _empty(n, _F32)
        st = self._lib.core_ring_read(h, fast_address(out), n)
        if st:
            self._fail("peek", st)
        return out

    def latest(self, n):
        """The n newest samples, oldest first, without consuming anything.
        LibcoreError CORE_E_EMPTY when fewer than n are readable."""
        out = _empty(n, _F32)
        st = self._lib.core_ring_read_latest(self._live("latest"), fast_address(out), n)
        if st:
            self._fail("latest", st)
        return out

    def skip(self, n):
        """Discards the n oldest samples. LibcoreError CORE_E_EMPTY when
        fewer are readable (nothing discarded)."""
        st = self._lib.core_ring_consume(self._live("skip"), n)
        if st:
            self._fail("skip", st)

    def clear(self):
        """Discards every readable sample (not counted in .dropped)."""
        check(self._lib.core_ring_clear(self._live("clear")))

    def wait_readable(self, n, timeout=None):
        """Sleeps (GIL released) until n samples are readable or timeout
        seconds pass (None: no limit). True when they are, False on
        timeout."""
        st = self._lib.core_ring_wait_readable(self._live("wait_readable"), n,
                                               _timeout_ms(timeout))
        if st == _E_EMPTY:
            return False
        if st:
            self._fail("wait_readable", st)
        return True

    # -- queries (any thread) --------------------------------------------------------

    def __len__(self):
        """Readable samples now."""
        return self._lib.core_ring_size(self._live("__len__"))

    @property
    def space(self):
        """Samples an append can take now without failing or dropping."""
        return self._lib.core_ring_space(self._live("space"))

    @property
    def capacity(self):
        """The capacity given at creation, in samples."""
        return self._lib.core_ring_capacity(self._live("capacity"))

    @property
    def dropped(self):
        """Samples dropped by the overwrite policy since creation."""
        return self._lib.core_ring_dropped(self._live("dropped"))

    @property
    def policy(self):
        """"reject" or "overwrite"."""
        p = self._lib.core_ring_get_policy(self._live("policy"))
        return "overwrite" if p == OVERWRITE else "reject"

    @property
    def mirrored(self):
        """True when the storage is mapped twice (reads never split)."""
        return bool(self._lib.core_ring_is_mirrored(self._live("mirrored")))

    def __repr__(self):
        if self._h is None:
            return "<libcore.RingBuffer closed>"
        return (f"<libcore.RingBuffer {len(self)}/{self.capacity} samples, "
                f"{self.policy}, dropped {self.dropped}>")
