"""The life cycle every stateful class shares: a context manager whose exit
and whose garbage collection call close()."""

from . import _native


class Closeable:
    """``with X(...) as x:`` closes x at the end of the block; an
    unreferenced object is closed when collected. Subclasses define close()
    (idempotent)."""

    __slots__ = ()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __del__(self):
        try:
            self.close()
        except Exception:  # interpreter shutdown: ctypes may be gone
            pass


class GuardedHandle(Closeable):
    """A native handle behind a _native.Guard: close() waits for calls in
    progress on other threads, then destroys the handle once."""

    _what = "object"

    def _init_guard(self, h, destroy):
        self._guard = _native.Guard(h, self._what, destroy)

    def close(self):
        """Releases the native object (idempotent, any thread; calls in
        progress on other threads finish first)."""
        g = getattr(self, "_guard", None)
        if g is not None:
            g.close()

    @property
    def closed(self):
        """True after close()."""
        g = getattr(self, "_guard", None)
        return g is None or g.handle is None
