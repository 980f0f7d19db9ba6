"""Finding and loading libcore.so.1 through ctypes: once, on first use.

Every module of the package declares the C functions it calls with
``declare(name, restype, argtypes)``; the declarations are applied to the
library when it loads (or at once, when it is already loaded), so nothing is
opened at import time unless ``LIBCORE_STRICT=1`` asks for it.

Where the library comes from, in order:
  * ``LIBCORE_LIBRARY=/path/to/libcore.so.1`` (only that file is tried);
  * ``libcore.so.1`` through the dynamic loader (LD_LIBRARY_PATH, the
    ld.so cache: what ``meson install`` put in place).
``LIBCORE_DISABLE=1`` never loads it. A library whose ``core_abi_version()``
is not ``ABI_VERSION`` is refused (its functions may take other layouts).

Thread safety: the first load happens under a lock; afterwards reading the
handle is a plain attribute read.
"""

import ctypes
import os
import threading

from ._errors import LibcoreError, LibcoreUnavailable

#: The ABI this package is written against (CORE_ABI_VERSION in core.h).
ABI_VERSION = 1

_lock = threading.Lock()
_lib = None          # the loaded CDLL, once loaded
_failure = None      # why it could not be loaded (str), once tried
_declared = {}       # name -> (restype, argtypes), applied at load


def _flag(name):
    return os.environ.get(name, "").strip() not in ("", "0")


def _candidates():
    explicit = os.environ.get("LIBCORE_LIBRARY", "").strip()
    return [explicit] if explicit else ["libcore.so.1"]


def _bind(lib, name, restype, argtypes):
    fn = getattr(lib, name)
    fn.restype = restype
    fn.argtypes = argtypes


def _load():
    """Tries every candidate; returns (lib, None) or (None, reason)."""
    if _flag("LIBCORE_DISABLE"):
        return None, "LIBCORE_DISABLE=1 is set"
    reasons = []
    for path in _candidates():
        try:
            lib = ctypes.CDLL(path)
        except OSError as e:
            reasons.append(f"{path}: {e}")
            continue
        try:
            _bind(lib, "core_abi_version", ctypes.c_int, [])
            abi = lib.core_abi_version()
        except AttributeError:
            reasons.append(f"{path}: not libcore (no core_abi_version)")
            continue
        if abi != ABI_VERSION:
            reasons.append(f"{path}: ABI {abi}, this package needs ABI {ABI_VERSION}")
            continue
        try:
            for name, (restype, argtypes) in _declared.items():
                _bind(lib, name, restype, argtypes)
        except AttributeError as e:
            reasons.append(f"{path}: missing a function this package calls ({e})")
            continue
        return lib, None
    return None, "; ".join(reasons)


def library():
    """The loaded library, or None when the NumPy fallback is in use."""
    global _lib, _failure
    if _lib is not None or _failure is not None:
        return _lib
    with _lock:
        if _lib is None and _failure is None:
            lib, why = _load()
            if lib is None:
                _failure = why
            else:
                _lib = lib
    return _lib


def native(what):
    """The loaded library, or LibcoreUnavailable naming `what` needed it."""
    lib = library()
    if lib is None:
        raise LibcoreUnavailable(
            f"{what} needs the native libcore library, which was not loaded "
            f"(looked for {', '.join(_candidates())}: {_failure})")
    return lib


def failure():
    """Why the library is not loaded (None when it is, or not tried yet)."""
    return _failure


def backend():
    """"native" when libcore.so.1 is loaded, "numpy" for the fallback."""
    return "native" if library() is not None else "numpy"


def declare(name, restype, argtypes):
    """Registers a C function's signature; applied when the library loads."""
    _declared[name] = (restype, list(argtypes))
    if _lib is not None:
        _bind(_lib, name, restype, argtypes)


declare("core_status_str", ctypes.c_char_p, [ctypes.c_int])
declare("core_last_error_message", ctypes.c_char_p, [])
declare("core_version", ctypes.c_char_p, [])
declare("core_simd_target", ctypes.c_char_p, [])
declare("core_set_num_threads", ctypes.c_int, [ctypes.c_int])
declare("core_get_num_threads", ctypes.c_int, [])


def error(status):
    """The LibcoreError for a non-zero status (the thread's last message)."""
    lib = _lib
    name = lib.core_status_str(status).decode()
    message = (lib.core_last_error_message() or b"").decode(errors="replace")
    return LibcoreError(status, name, message)


def check(status):
    """Raises LibcoreError unless status is CORE_OK (0)."""
    if status:
        raise error(status)


def strict_load():
    """LIBCORE_STRICT=1: a failed load is an import-time error."""
    if _flag("LIBCORE_STRICT") and library() is None:
        raise LibcoreUnavailable(
            f"LIBCORE_STRICT=1 and libcore could not be loaded "
            f"(looked for {', '.join(_candidates())}: {_failure})")


# -- additions for the stateful classes (ring, cache, metrics, audio, pipeline)

_fast_lib = None


def fast(name, raw=False):
    """`name` from the loaded library through ctypes.PyDLL instead of CDLL:
    the call keeps the GIL (about 0.1 us cheaper than releasing and taking
    it back). Only for calls that never block, never wait for a lock another
    thread may hold while it needs the GIL, and never call back into
    Python: the ring's appends and reads, metrics recording, the cache key.
    The signature is the one declare() registered; with raw=True only the
    restype is set (no argtypes): the caller then passes ctypes instances,
    None or ints below 2**31 where the C parameter is 32-bit, which skips
    ctypes' per-argument from_param (~0.1 us each). A new function object
    each call. Call after native()."""
    global _fast_lib
    lib = _lib
    if _fast_lib is None:
        _fast_lib = ctypes.PyDLL(lib._name, handle=lib._handle)
    fn = _fast_lib[name]
    restype, argtypes = _declared[name]
    fn.restype = restype
    fn.argtypes = None if raw else argtypes
    return fn


class Guard:
    """Counts the calls in progress on a native handle so that close() from
    one thread never frees it under a call running on another: close()
    marks the object closed at once (new calls raise ValueError) and the
    handle is destroyed by close() itself or, when calls are still running,
    by the last of them. Costs one lock round trip on entry and exit; the
    hot paths of RingBuffer and Metrics do without it (documented there).

        h = self._guard.enter("EncoderCache.get")   # the handle, or raises
        try: ... finally: self._guard.exit()
    """

    __slots__ = ("handle", "_what", "_destroy", "_lock", "_busy", "_pending")

    def __init__(self, handle, what, destroy):
        self.handle = handle      # int, or None once closed
        self._what = what         # "EncoderCache", for messages
        self._destroy = destroy   # destroy(handle), called exactly once
        self._lock = threading.Lock()
        self._busy = 0            # calls in progress
        self._pending = None      # the handle close() left to the last exit()

    def enter(self, op):
        with self._lock:
            h = self.handle
            if h is None:
                raise ValueError(f"{op}: the {self._what} is closed")
            self._busy += 1
            return h

    def exit(self):
        with self._lock:
            self._busy -= 1
            h = self._pending
            if h is None or self._busy:
                return
            self._pending = None
        self._destroy(h)

    def close(self):
        """Idempotent; never blocks on running calls. True when it (not a
        running call) destroyed the handle."""
        with self._lock:
            h = self.handle
            if h is None:
                return False
            self.handle = None
            if self._busy:
                self._pending = h   # the last exit() destroys it
                return False
        self._destroy(h)
        return True
