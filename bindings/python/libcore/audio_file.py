"""Audio files (include/core/audio.h, "audio files" and "chunked
reading"): audio_info, read_audio (the whole file) and AudioReader (any
length, in chunks, memory bounded).

    info = libcore.audio_info("talk.flac")             # AudioInfo
    audio = libcore.read_audio("talk.flac", rate=16000)  # mono float32, resampled
    with libcore.AudioReader("lecture.flac", rate=16000) as r:
        for chunk in r.chunks(65536):
            ...

Native only: without libcore.so.1 these raise LibcoreUnavailable.
"""

import ctypes
import dataclasses
import operator
import os

import numpy as np

from ._arrays import fast_address
from ._checks import size as _size
from ._handle import GuardedHandle
from ._native import check, declare, native

__all__ = ["AudioInfo", "AudioReader", "read_audio", "audio_info"]

_c = ctypes
_vp = _c.c_void_p
_sz = _c.c_size_t
_u32 = _c.c_uint32
_szp = _c.POINTER(_sz)
_F32 = np.dtype(np.float32)
_nd = np.ndarray
_E_BUFFER_TOO_SMALL = 3
_FORMATS = {0: "other", 1: "wav", 2: "flac", 3: "ogg"}


class AudioInfoC(_c.Structure):
    """core_audio_info_t."""
    _fields_ = [("struct_size", _sz), ("sample_rate", _u32), ("channels", _u32),
                ("frames", _c.c_uint64), ("duration", _c.c_double), ("format", _c.c_int),
                ("bits", _u32)]


declare("core_audio_info", _c.c_int, [_c.c_char_p, _c.POINTER(AudioInfoC)])
declare("core_audio_read", _c.c_int, [_c.c_char_p, _u32, _vp, _sz, _szp])
declare("core_audio_open", _c.c_int, [_c.c_char_p, _u32, _c.POINTER(_vp)])
declare("core_audio_reader_read", _c.c_int, [_vp, _vp, _sz, _szp])
declare("core_audio_reader_info", _c.c_int, [_vp, _c.POINTER(AudioInfoC)])
declare("core_audio_reader_length", _c.c_int, [_vp, _c.POINTER(_c.c_uint64), _c.POINTER(_c.c_uint64)])
declare("core_audio_reader_close", None, [_vp])


@dataclasses.dataclass(frozen=True)
class AudioInfo:
    """What audio_info reports: sample_rate (Hz, as stored), channels,
    frames (samples per channel), duration (s), format ("wav", "flac",
    "ogg" or "other"), bits (PCM bits per sample; 0 for lossy, companded or
    float data)."""
    sample_rate: int
    channels: int
    frames: int
    duration: float
    format: str
    bits: int


def audio_info(path):
    """Describes an audio file (WAV, FLAC, OGG/Vorbis, what libsndfile
    reads). LibcoreError CORE_E_NOT_FOUND (no such file), CORE_E_IO,
    CORE_E_FORMAT (not audio, truncated), CORE_E_UNSUPPORTED (libcore built
    without audio files)."""
    lib = native("audio_info")
    info = AudioInfoC()
    info.struct_size = _c.sizeof(AudioInfoC)
    check(lib.core_audio_info(os.fsencode(path), _c.byref(info)))
    return AudioInfo(info.sample_rate, info.channels, info.frames, info.duration,
                     _FORMATS.get(info.format, "other"), info.bits)


def read_audio(path, rate=16000):
    """The whole file as mono float32 at `rate` Hz (0: the file's own rate):
    channels averaged, PCM scaled v / 2**(bits-1) (PCM16 gives Whisper's
    int16 / 32768), resampled with libsoxr (high quality) when the rates
    differ. A new 1-D array. Errors as audio_info, plus CORE_E_FORMAT for a
    truncated file."""
    lib = native("read_audio")
    p = os.fsencode(path)
    n = _sz()
    st = lib.core_audio_read(p, rate, None, 0, _c.byref(n))
    if st not in (0, _E_BUFFER_TOO_SMALL):
        check(st)
    out = np.empty(n.value, _F32)
    if n.value == 0:
        return out
    check(lib.core_audio_read(p, rate, fast_address(out), out.size, _c.byref(n)))
    return out[:n.value] if n.value != out.size else out


def _rate(rate, op):
    """A target rate as the C uint32_t (libcore refuses above 384000 itself,
    naming it); ctypes would wrap a negative int silently."""
    try:
        r = operator.index(rate)
    except TypeError:
        raise TypeError(f"{op}: rate must be an int, got {type(rate).__name__}") from None
    if r < 0 or r > 0xFFFFFFFF:
        raise ValueError(f"{op}: rate must be >= 0 (0: the file's own rate), got {r}")
    return r


class AudioReader(GuardedHandle):
    """An audio file read front to back in chunks of any size, as mono
    float32 at `rate` Hz (0: the file's own rate): audio.h's chunked reader
    (core_audio_open / core_audio_reader_*). Memory stays bounded (a
    decoding block, the resampler's state) whatever the file's length.

        with libcore.AudioReader("talk.flac", rate=16000) as r:
            for chunk in r.chunks(16000):       # one second at a time
                vad.push(chunk)

    The conversions of read_audio (channels averaged, PCM scaled, libsoxr
    resampling), and chunking never changes the samples: any sequence of
    reads gives, concatenated, exactly read_audio(path, rate), `length`
    samples in all. read(n) returns n samples while that many remain, fewer
    only at the end, an empty array once the end was reached; read_into(out)
    decodes straight into a float32 array (no copy, nothing allocated).
    Iterating yields chunks of 65536 samples (chunks(n) for another size).

    Errors (LibcoreError): the constructor raises CORE_E_NOT_FOUND (no such
    file), CORE_E_IO (cannot be opened or read, a directory), CORE_E_FORMAT
    (not audio, truncated), CORE_E_INVALID_ARGUMENT (rate above 384000),
    CORE_E_UNSUPPORTED (libcore built without audio files). A read raises
    CORE_E_FORMAT for damage found while decoding (a NaN/Inf sample, data
    ending before the header says: never an early end as if complete) or
    CORE_E_IO; the reader is failed from then on (every later read raises
    the same; info and the counts still answer). A negative n or rate is a
    ValueError, a non-int a TypeError.

    One thread at a time (libcore's rule; the C reads release the GIL);
    distinct readers run in parallel. The file stays open until close()
    (idempotent; also at the end of a with block, or when collected); later
    calls raise ValueError.
    """

    _what = "AudioReader"

    def __init__(self, path, rate=16000):
        lib = native("AudioReader")
        self._lib = lib
        r = _rate(rate, "AudioReader")
        self.path = os.fspath(path)
        h = _vp()
        check(lib.core_audio_open(os.fsencode(path), r, _c.byref(h)))
        self._init_guard(h.value, lib.core_audio_reader_close)
        self._got = _sz()
        #: The rate of the samples read, Hz (rate, or the file's own for 0).
        self.sample_rate = r if r else self.info.sample_rate

    def _length(self, h):
        total, done = _c.c_uint64(), _c.c_uint64()
        check(self._lib.core_audio_reader_length(h, _c.byref(total), _c.byref(done)))
        return total.value, done.value

    def _counts(self, op):
        h = self._guard.enter(f"AudioReader.{op}")
        try:
            return self._length(h)
        finally:
            self._guard.exit()

    @property
    def info(self):
        """The file's header (an AudioInfo, as audio_info gives it); answers
        on a failed reader too."""
        c = AudioInfoC()
        c.struct_size = _c.sizeof(AudioInfoC)
        h = self._guard.enter("AudioReader.info")
        try:
            check(self._lib.core_audio_reader_info(h, _c.byref(c)))
        finally:
            self._guard.exit()
        return AudioInfo(c.sample_rate, c.channels, c.frames, c.duration,
                         _FORMATS.get(c.format, "other"), c.bits)

    @property
    def length(self):
        """The number of samples the reader gives in all (read_audio's count)."""
        return self._counts("length")[0]

    @property
    def done(self):
        """The number of samples given so far (the successful reads' sum)."""
        return self._counts("done")[1]

    @property
    def remaining(self):
        """length - done: the samples still to read."""
        total, done = self._counts("remaining")
        return total - done

    def read(self, n=None):
        """The next samples, at most n (None: all that remain), as a new 1-D
        float32 array of exactly the count read; empty at the end. Allocates
        at most what remains, whatever n is."""
        if n is not None:
            n = _size(n, "AudioReader.read: n")
        h = self._guard.enter("AudioReader.read")
        try:
            total, done = self._length(h)
            k = total - done if n is None else min(n, total - done)
            out = np.empty(k, _F32)
            check(self._lib.core_audio_reader_read(h, fast_address(out), k, _c.byref(self._got)))
            got = self._got.value
        finally:
            self._guard.exit()
        return out if got == k else out[:got].copy()

    def read_into(self, out):
        """Reads the next samples into out (a writable C-contiguous float32
        ndarray, filled flat from its start, without a copy) and returns
        their count: out.size while that many remain, fewer at the end, 0
        once the end was reached."""
        if out.__class__ is not _nd or out.dtype is not _F32 or \
                not (out.flags.c_contiguous and out.flags.writeable):
            raise TypeError("AudioReader.read_into: out must be a writable C-contiguous "
                            "float32 ndarray")
        h = self._guard.enter("AudioReader.read_into")
        try:
            check(self._lib.core_audio_reader_read(h, fast_address(out), out.size,
                                                   _c.byref(self._got)))
            return self._got.value
        finally:
            self._guard.exit()

    def chunks(self, n=65536):
        """Yields the rest of the file as arrays of n samples (the last one
        shorter), each a new array."""
        n = _size(n, "AudioReader.chunks: n")
        if n == 0:
            raise ValueError("AudioReader.chunks: n must be > 0")
        while True:
            x = self.read(n)
            if x.size == 0:
                return
            yield x

    def __iter__(self):
        return self.chunks()

    def __repr__(self):
        if self.closed:
            return f"<libcore.AudioReader {self.path!r} closed>"
        return f"<libcore.AudioReader {self.path!r} rate={self.sample_rate}>"
