"""NumPy arrays at the C boundary: zero copy when possible, one copy when not.

A C-contiguous float32 or float64 array is passed by pointer as it is. Any
other input (a list, an int array, a strided view, float16...) is converted
with ONE copy by ``np.ascontiguousarray``: to float64, or to the dtype the
caller asked for. Pointers are read from ``__array_interface__`` (cheaper than
``arr.ctypes``) and passed as integers to c_void_p parameters.
"""

import ctypes

import numpy as np

F32 = np.dtype(np.float32)
F64 = np.dtype(np.float64)


def as_float(x, dtype=None):
    """x as a C-contiguous float32/float64 array (x itself when it already is)."""
    if type(x) is np.ndarray and x.flags.c_contiguous:
        if dtype is None:
            if x.dtype == F32 or x.dtype == F64:
                return x
        elif x.dtype == dtype:
            return x
    return np.ascontiguousarray(x, dtype=dtype if dtype is not None else
                                (x.dtype if getattr(x, "dtype", None) in (F32, F64) else F64))


def address(arr):
    """The data pointer of an ndarray, as an int."""
    return arr.__array_interface__["data"][0]


_from_buffer = ctypes.c_char.from_buffer
_byref = ctypes.byref


def pointer(arr):
    """A c_void_p argument for a C-contiguous array, as cheaply as possible.

    A writable array is passed as ``byref(c_char.from_buffer(arr))`` (about
    0.2 us: the buffer protocol, which also keeps arr alive for the call); a
    read-only or empty one falls back to ``address(arr)`` (about 1 us: it
    builds the ``__array_interface__`` dict)."""
    try:
        return _byref(_from_buffer(arr))
    except (TypeError, ValueError):  # read-only buffer, or 0 bytes
        return address(arr)


# -- addition for the stateful classes: a cheaper data pointer ----------------
# ``__array_interface__`` builds a dict (with the dtype's descr list) on every
# access: about 1.2 us per call on the development machine, more than the
# ctypes call it feeds. In CPython an ndarray's id() is the address of its
# PyArrayObject, whose first field after PyObject_HEAD is ``char *data``
# (numpy/ndarraytypes.h, PyArrayObject_fields; the same in NumPy 1.x and 2.x).
# Reading it costs ~0.1 us. The layout is verified below against
# __array_interface__ on arrays and views; anywhere it does not hold (another
# interpreter, a debug build with a larger object header) fast_address is
# plain address().

def _probe_fast_address():
    import ctypes
    import platform
    if platform.python_implementation() != "CPython":
        return None, None
    offset = object.__basicsize__      # sizeof(PyObject): 16 on 64-bit builds
    read = ctypes.c_void_p.from_address
    probes = [np.zeros(7, np.float32), np.zeros((3, 5), np.float64)]
    probes += [probes[0][2:], probes[1][1:], np.frombuffer(b"abcdefgh", np.uint8)[3:]]
    for a in probes:
        if read(id(a) + offset).value != address(a):
            return None, None

    def fast_address(arr, _read=read, _offset=offset):
        """The data pointer of an ndarray, as an int (about 0.1 us)."""
        return _read(id(arr) + _offset).value

    def fast_pointer(arr, _read=read, _offset=offset):
        """The data pointer of an ndarray as a c_void_p instance, for a
        ctypes function without argtypes (no from_param conversion). It is a
        view of the array object's data field: use it at once, while arr is
        alive."""
        return _read(id(arr) + _offset)

    return fast_address, fast_pointer


def _slow_pointer(arr):
    import ctypes
    return ctypes.c_void_p(address(arr))


fast_address, fast_pointer = _probe_fast_address()
if fast_address is None:
    fast_address, fast_pointer = address, _slow_pointer

# The arrays/stats part's name for the same function (arrays.py, batch.py).
address_fast = fast_address
