"""libcore's log-mel calls through ctypes, for the audio reference test
(test_logmel_reference.py) and the benchmark (tests/bench/bench_audio_numpy.py).

Not a script. Imports only the standard library and numpy (the callers make
sure numpy is there first).
"""

import ctypes

import numpy as np

WHISPER = 0
LOG10 = 1


class LogmelOptions(ctypes.Structure):
    """core_logmel_options_t (include/core/audio.h)."""
    _fields_ = [("struct_size", ctypes.c_size_t), ("sample_rate", ctypes.c_uint32),
                ("n_fft", ctypes.c_uint32), ("hop", ctypes.c_uint32),
                ("n_mels", ctypes.c_uint32), ("fmin", ctypes.c_double),
                ("fmax", ctypes.c_double), ("mode", ctypes.c_int),
                ("window_frames", ctypes.c_uint32)]


_f32p = ctypes.POINTER(ctypes.c_float)
_szp = ctypes.POINTER(ctypes.c_size_t)
SIGNATURES = {
    "core_status_str": (ctypes.c_char_p, [ctypes.c_int]),
    "core_last_error_message": (ctypes.c_char_p, []),
    "core_version": (ctypes.c_char_p, []),
    "core_simd_target": (ctypes.c_char_p, []),
    "core_set_num_threads": (ctypes.c_int, [ctypes.c_int]),
    "core_get_num_threads": (ctypes.c_int, []),
    "core_logmel_options_init": (ctypes.c_int, [ctypes.POINTER(LogmelOptions)]),
    "core_logmel_create": (ctypes.c_int, [ctypes.POINTER(LogmelOptions),
                                          ctypes.POINTER(ctypes.c_void_p)]),
    "core_logmel_destroy": (None, [ctypes.c_void_p]),
    "core_logmel_compute": (ctypes.c_int, [ctypes.c_void_p, _f32p, ctypes.c_size_t, _f32p,
                                           ctypes.c_size_t, _szp]),
    "core_logmel_filters": (ctypes.c_int, [ctypes.c_void_p, _f32p, ctypes.c_size_t, _szp]),
    "core_logmel_stream_create": (ctypes.c_int, [ctypes.POINTER(LogmelOptions),
                                                 ctypes.POINTER(ctypes.c_void_p)]),
    "core_logmel_stream_destroy": (None, [ctypes.c_void_p]),
    "core_logmel_stream_push": (ctypes.c_int, [ctypes.c_void_p, _f32p, ctypes.c_size_t]),
    "core_logmel_stream_flush": (ctypes.c_int, [ctypes.c_void_p]),
    "core_logmel_stream_read": (ctypes.c_int, [ctypes.c_void_p, _f32p, ctypes.c_size_t, _szp]),
}


def load(path):
    lib = ctypes.CDLL(path)
    for name, (restype, argtypes) in SIGNATURES.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    return lib


def check(lib, status, what):
    if status != 0:
        raise RuntimeError(f"{what}: {lib.core_status_str(status).decode()}: "
                           f"{lib.core_last_error_message().decode()}")


def fptr(a):
    return a.ctypes.data_as(_f32p)


class Logmel:
    """A core_logmel_t with its output buffer, for repeated computes."""

    def __init__(self, lib, n_mels=80, mode=WHISPER, **fields):
        self.lib = lib
        o = LogmelOptions()
        check(lib, lib.core_logmel_options_init(ctypes.byref(o)), "core_logmel_options_init")
        o.n_mels = n_mels
        o.mode = mode
        for k, v in fields.items():
            setattr(o, k, v)
        self.opts = o
        self.n_mels = n_mels
        self.handle = ctypes.c_void_p()
        check(lib, lib.core_logmel_create(ctypes.byref(o), ctypes.byref(self.handle)),
              "core_logmel_create")
        self.frames = ctypes.c_size_t()
        self.out = np.empty(0, dtype=np.float32)

    def close(self):
        if self.handle:
            self.lib.core_logmel_destroy(self.handle)
            self.handle = ctypes.c_void_p()

    def compute(self, x):
        """(n_mels, n_frames) float32; x must be a contiguous float32 array.
        The result is a view of a buffer reused by the next call."""
        need = self.n_mels * (x.size // self.opts.hop)
        if self.out.size < need:
            self.out = np.empty(need, dtype=np.float32)
        st = self.lib.core_logmel_compute(self.handle, fptr(x), x.size, fptr(self.out),
                                          self.out.size, ctypes.byref(self.frames))
        check(self.lib, st, "core_logmel_compute")
        return self.out[:need].reshape(self.n_mels, self.frames.value)

    def filters(self):
        count = ctypes.c_size_t()
        bins = self.opts.n_fft // 2 + 1
        out = np.empty(self.n_mels * bins, dtype=np.float32)
        check(self.lib, self.lib.core_logmel_filters(self.handle, fptr(out), out.size,
                                                     ctypes.byref(count)),
              "core_logmel_filters")
        return out.reshape(self.n_mels, bins)
