"""The speech front end (include/core/audio.h): Whisper-exact log-mel
spectrograms (LogMel, LogMelStream) and voice activity detection (Vad).
Audio files (read_audio, audio_info, AudioReader) are in audio_file.py,
re-exported here.

    mel = libcore.LogMel(n_mels=80).compute(audio)     # (80, len(audio) // 160) float32
    vad = libcore.Vad(preset="default")
    segments = vad.process(audio)                      # [(start, end), ...] in samples
    audio = libcore.read_audio("talk.flac", rate=16000)  # mono float32, resampled

Native only: without libcore.so.1 the constructors and functions raise
LibcoreUnavailable.

Dtypes and copies: audio is float32 mono (audio.h convention 1); a
C-contiguous float32 array is read in place, anything else (float64, int16,
lists) is converted to float32 with one copy (int16 is NOT rescaled here:
divide by 32768 first, as Whisper does). Results are new float32 arrays.
Positions are in samples at the object's sample rate; divide by
sample_rate for seconds.

Threads: LogMel is immutable: compute() may run on many threads at once
(the C call releases the GIL; long inputs are split across libcore's own
threads too). A LogMelStream or a Vad is used by one thread at a time.
close() may run at any time: calls in progress finish first, later calls
raise ValueError.
"""

import ctypes

import numpy as np

from . import _native
from ._arrays import fast_address
from ._checks import size as _size
from ._handle import GuardedHandle
from ._native import check, declare, native

# The last four are audio_file.py's, re-exported at the end.
__all__ = ["LogMel", "LogMelStream", "Vad", "AudioInfo", "AudioReader", "read_audio", "audio_info"]

_c = ctypes
_vp = _c.c_void_p
_sz = _c.c_size_t
_u32 = _c.c_uint32
_F32 = np.dtype(np.float32)
_nd = np.ndarray
_E_BUFFER_TOO_SMALL, _E_EMPTY = 3, 5

WHISPER, LOG10 = 0, 1
_MODES = {"whisper": WHISPER, "log10": LOG10}
_PRESETS = {"default": 0, "transcribe": 1, "aggressive": 2}


class LogMelOptions(_c.Structure):
    """core_logmel_options_t."""
    _fields_ = [("struct_size", _sz), ("sample_rate", _u32), ("n_fft", _u32), ("hop", _u32),
                ("n_mels", _u32), ("fmin", _c.c_double), ("fmax", _c.c_double),
                ("mode", _c.c_int), ("window_frames", _u32)]


class VadOptions(_c.Structure):
    """core_vad_options_t."""
    _fields_ = [("struct_size", _sz), ("sample_rate", _u32), ("frame_ms", _u32),
                ("threshold", _c.c_float), ("neg_threshold", _c.c_float),
                ("min_speech_ms", _u32), ("min_silence_ms", _u32), ("speech_pad_ms", _u32),
                ("max_speech_ms", _u32)]


class Segment(_c.Structure):
    """core_segment_t."""
    _fields_ = [("start", _c.c_uint64), ("end", _c.c_uint64)]


_lmo = _c.POINTER(LogMelOptions)
_vo = _c.POINTER(VadOptions)
_szp = _c.POINTER(_sz)
declare("core_logmel_options_init", _c.c_int, [_lmo])
declare("core_logmel_create", _c.c_int, [_lmo, _c.POINTER(_vp)])
declare("core_logmel_destroy", None, [_vp])
declare("core_logmel_frames", _c.c_int, [_vp, _sz, _szp])
declare("core_logmel_filters", _c.c_int, [_vp, _vp, _sz, _szp])
declare("core_logmel_compute", _c.c_int, [_vp, _vp, _sz, _vp, _sz, _szp])
declare("core_logmel_compute_batch", _c.c_int, [_vp, _vp, _vp, _sz, _vp, _vp, _vp])
declare("core_logmel_stream_create", _c.c_int, [_lmo, _c.POINTER(_vp)])
declare("core_logmel_stream_destroy", None, [_vp])
declare("core_logmel_stream_push", _c.c_int, [_vp, _vp, _sz])
declare("core_logmel_stream_flush", _c.c_int, [_vp])
declare("core_logmel_stream_read", _c.c_int, [_vp, _vp, _sz, _szp])
declare("core_logmel_stream_available", _c.c_int, [_vp, _szp])
declare("core_logmel_stream_reset", _c.c_int, [_vp])
declare("core_vad_options_init", _c.c_int, [_vo])
declare("core_vad_options_preset", _c.c_int, [_vo, _c.c_int])
declare("core_vad_create", _c.c_int, [_vo, _c.POINTER(_vp)])
declare("core_vad_destroy", None, [_vp])
declare("core_vad_push", _c.c_int, [_vp, _vp, _sz])
declare("core_vad_flush", _c.c_int, [_vp])
declare("core_vad_next_segment", _c.c_int, [_vp, _c.POINTER(Segment)])
declare("core_vad_open_segment", _c.c_int, [_vp, _c.POINTER(_c.c_uint64)])
declare("core_vad_reset", _c.c_int, [_vp])
declare("core_vad_segments", _c.c_int, [_vp, _sz, _vo, _vp, _sz, _szp])


def _f32(x):
    """x as C-contiguous float32 (x itself when it already is)."""
    if x.__class__ is _nd and x.dtype is _F32 and x.flags.c_contiguous:
        return x
    return np.ascontiguousarray(x, dtype=_F32)


def _set_fields(opts, fields, op):
    names = {f[0] for f in type(opts)._fields_} - {"struct_size"}
    for k, v in fields.items():
        if k not in names:
            raise TypeError(f"{op}: unknown option {k!r} (known: {', '.join(sorted(names))})")
        if v is not None:
            setattr(opts, k, v)


def _logmel_options(lib, n_mels, mode, fields, op):
    o = LogMelOptions()
    check(lib.core_logmel_options_init(_c.byref(o)))
    if isinstance(mode, str):
        try:
            mode = _MODES[mode.lower()]
        except KeyError:
            raise ValueError(f"{op}: mode must be 'whisper' or 'log10', not {mode!r}") from None
    o.n_mels = n_mels
    o.mode = mode
    _set_fields(o, fields, op)
    return o


def _vad_options(lib, preset, fields, op):
    o = VadOptions()
    if isinstance(preset, str):
        try:
            preset = _PRESETS[preset.lower()]
        except KeyError:
            raise ValueError(f"{op}: preset must be one of {', '.join(_PRESETS)}, "
                             f"not {preset!r}") from None
    check(lib.core_vad_options_preset(_c.byref(o), preset))
    _set_fields(o, fields, op)
    return o


class LogMel(GuardedHandle):
    """Whisper's log-mel front end (core_logmel_t): periodic Hann window,
    Slaney mel filters (librosa's defaults, what Whisper's mel_filters.npz
    holds), reflect padding, the last frame dropped as Whisper does.

    LogMel(n_mels=80, mode="whisper", sample_rate=16000, n_fft=400,
    hop=160, fmin=0.0, fmax=0.0) -- fmax 0 means sample_rate / 2. mode
    "whisper": log10 with the 1e-10 floor, clamped to (max - 8), then
    (x + 4) / 4 (openai/whisper's log_mel_spectrogram); "log10": the log10
    alone. LibcoreError CORE_E_INVALID_ARGUMENT (message from
    core_logmel_create, naming the field) for an option out of range.
    """

    _what = "LogMel"

    def __init__(self, n_mels=80, mode="whisper", **options):
        lib = native("LogMel")
        self._lib = lib
        o = _logmel_options(lib, n_mels, mode, options, "LogMel")
        h = _vp()
        check(lib.core_logmel_create(_c.byref(o), _c.byref(h)))
        self.n_mels = o.n_mels
        self.n_fft = o.n_fft
        self.hop = o.hop
        self.sample_rate = o.sample_rate
        self.mode = "whisper" if o.mode == WHISPER else "log10"
        self._init_guard(h.value, lib.core_logmel_destroy)

    def frames(self, n_samples):
        """The frame count compute() gives for n_samples: n_samples // hop.
        LibcoreError CORE_E_INVALID_ARGUMENT below n_fft samples."""
        f = _sz()
        h = self._guard.enter("LogMel.frames")
        try:
            check(self._lib.core_logmel_frames(h, n_samples, _c.byref(f)))
        finally:
            self._guard.exit()
        return f.value

    def filters(self):
        """The mel filterbank, (n_mels, n_fft // 2 + 1) float32."""
        out = np.empty(self.n_mels * (self.n_fft // 2 + 1), _F32)
        count = _sz()
        h = self._guard.enter("LogMel.filters")
        try:
            check(self._lib.core_logmel_filters(h, fast_address(out), out.size,
                                                _c.byref(count)))
        finally:
            self._guard.exit()
        return out.reshape(self.n_mels, -1)

    def compute(self, audio):
        """The log-mel spectrogram of audio: a new (n_mels, len(audio) //
        hop) float32 array, band-major like Whisper's (80, 3000) tensor.
        audio: 1-D, at least n_fft samples (LibcoreError
        CORE_E_INVALID_ARGUMENT otherwise)."""
        x = _f32(audio)
        if x.ndim != 1:
            raise ValueError(f"LogMel.compute: audio must be 1-D, not shape {x.shape}")
        n_frames = x.size // self.hop
        out = np.empty((self.n_mels, n_frames), _F32)
        got = _sz()
        h = self._guard.enter("LogMel.compute")
        try:
            check(self._lib.core_logmel_compute(h, fast_address(x), x.size, fast_address(out),
                                                out.size, _c.byref(got)))
        finally:
            self._guard.exit()
        return out

    def compute_batch(self, clips):
        """compute() of every clip of a list at once, in parallel (each
        clip on its own: its own padding, its own Whisper maximum): a list
        of (n_mels, frames) arrays."""
        xs = [_f32(c) for c in clips]
        for x in xs:
            if x.ndim != 1:
                raise ValueError(f"LogMel.compute_batch: clips must be 1-D, not shape {x.shape}")
        n = len(xs)
        outs = [np.empty((self.n_mels, x.size // self.hop), _F32) for x in xs]
        ptrs = (_vp * n)(*[fast_address(x) for x in xs])
        lens = (_sz * n)(*[x.size for x in xs])
        optrs = (_vp * n)(*[fast_address(o) for o in outs])
        caps = (_sz * n)(*[o.size for o in outs])
        frames = (_sz * n)()
        h = self._guard.enter("LogMel.compute_batch")
        try:
            check(self._lib.core_logmel_compute_batch(h, ptrs, lens, n, optrs, caps, frames))
        finally:
            self._guard.exit()
        return outs

    __call__ = compute

    def __repr__(self):
        return (f"<libcore.LogMel n_mels={self.n_mels} n_fft={self.n_fft} hop={self.hop} "
                f"mode={self.mode}{' closed' if self.closed else ''}>")


class LogMelStream(GuardedHandle):
    """Streaming log-mel (core_logmel_stream_t): push() chunks of any size,
    read() frames as soon as they exist, flush() at the end. Frame t equals
    frame t of LogMel.compute on everything pushed (bit for bit in "log10"
    mode, and in "whisper" mode with window_frames=0). In "whisper" mode
    frames come out per normalization window of window_frames frames
    (default 3000, Whisper's 30 s), each floored by its own maximum.

    Options as LogMel, plus window_frames. read() returns FRAME-major
    arrays, (frames, n_mels): a stream hands out frame after frame (the
    transpose of LogMel.compute's layout).
    """

    _what = "LogMelStream"

    def __init__(self, n_mels=80, mode="whisper", **options):
        lib = native("LogMelStream")
        self._lib = lib
        o = _logmel_options(lib, n_mels, mode, options, "LogMelStream")
        h = _vp()
        check(lib.core_logmel_stream_create(_c.byref(o), _c.byref(h)))
        self.n_mels = o.n_mels
        self.hop = o.hop
        self.sample_rate = o.sample_rate
        self._init_guard(h.value, lib.core_logmel_stream_destroy)

    def _call(self, op, fn, *args):
        h = self._guard.enter(f"LogMelStream.{op}")
        try:
            check(fn(h, *args))
        finally:
            self._guard.exit()

    def push(self, audio):
        """Appends samples and computes every frame they complete.
        LibcoreError CORE_E_INVALID_ARGUMENT after flush() (reset() first)."""
        x = _f32(audio)
        self._call("push", self._lib.core_logmel_stream_push, fast_address(x), x.size)

    def flush(self):
        """Ends the stream: the last frames (reflected right edge) and, in
        "whisper" mode, the last window's normalization."""
        self._call("flush", self._lib.core_logmel_stream_flush)

    @property
    def available(self):
        """Frames ready to read."""
        n = _sz()
        self._call("available", self._lib.core_logmel_stream_available, _c.byref(n))
        return n.value

    def read(self, max_frames=None):
        """Up to max_frames ready frames (None: all), as a new
        (frames, n_mels) float32 array; (0, n_mels) when none is ready."""
        if max_frames is None:
            max_frames = self.available
        out = np.empty((max_frames, self.n_mels), _F32)
        n = _sz()
        self._call("read", self._lib.core_logmel_stream_read, fast_address(out), max_frames,
                   _c.byref(n))
        return out if n.value == max_frames else out[:n.value].copy()

    def reset(self):
        """Forgets every sample and frame; accepts pushes again."""
        self._call("reset", self._lib.core_logmel_stream_reset)


class Vad(GuardedHandle):
    """A streaming voice activity detector (core_vad_t; audio.h describes
    the algorithm: six-band SNR over a minimum-statistics noise floor,
    Silero VAD's segment rules).

    Vad(preset="default", **options): preset "default" (Silero's: threshold
    0.5, min speech 250 ms, min silence 100 ms, pad 30 ms), "transcribe"
    (long segments: min silence 2000 ms, pad 400 ms) or "aggressive" (noisy
    rooms: threshold 0.7, min speech 400 ms); options override single
    fields: sample_rate, frame_ms (10, 20, 30), threshold, neg_threshold,
    min_speech_ms, min_silence_ms, speech_pad_ms, max_speech_ms.
    LibcoreError CORE_E_INVALID_ARGUMENT (message from core_vad_create,
    naming the field) for an option out of range.

    Segments are (start, end) tuples of sample positions, end exclusive,
    padding included, counted from the first push (from the start of the
    clip for process()).
    """

    _what = "Vad"

    def __init__(self, preset="default", **options):
        lib = native("Vad")
        self._lib = lib
        o = _vad_options(lib, preset, options, "Vad")
        h = _vp()
        check(lib.core_vad_create(_c.byref(o), _c.byref(h)))
        self._opts = o
        self.sample_rate = o.sample_rate
        self._seg = Segment()
        self._init_guard(h.value, lib.core_vad_destroy)

    @property
    def options(self):
        """The resolved options, as a dict."""
        return {f[0]: getattr(self._opts, f[0]) for f in VadOptions._fields_[1:]}

    def _drain(self, h):
        out = []
        seg = self._seg
        nxt = self._lib.core_vad_next_segment
        while True:
            st = nxt(h, _c.byref(seg))
            if st == _E_EMPTY:
                return out
            check(st)
            out.append((seg.start, seg.end))

    def push(self, audio):
        """Analyses a chunk (any size: segments never depend on how the
        stream is cut) and returns the segments that became final, in
        order (often [])."""
        x = _f32(audio)
        h = self._guard.enter("Vad.push")
        try:
            check(self._lib.core_vad_push(h, fast_address(x), x.size))
            return self._drain(h)
        finally:
            self._guard.exit()

    def flush(self):
        """Ends the stream; returns the remaining segments (an open one is
        closed at the end of the stream)."""
        h = self._guard.enter("Vad.flush")
        try:
            check(self._lib.core_vad_flush(h))
            return self._drain(h)
        finally:
            self._guard.exit()

    @property
    def open_segment(self):
        """Where the speech segment in progress started (padding included),
        or None when none is open."""
        v = _c.c_uint64()
        h = self._guard.enter("Vad.open_segment")
        try:
            st = self._lib.core_vad_open_segment(h, _c.byref(v))
        finally:
            self._guard.exit()
        if st == _E_EMPTY:
            return None
        check(st)
        return v.value

    def reset(self):
        """Forgets the stream; positions restart at 0."""
        h = self._guard.enter("Vad.reset")
        try:
            check(self._lib.core_vad_reset(h))
        finally:
            self._guard.exit()

    def process(self, audio):
        """The segments of a whole clip, offline, with this detector's
        options (core_vad_segments: exactly what push + flush give); does
        not touch the stream state."""
        x = _f32(audio)
        self._guard.enter("Vad.process")
        self._guard.exit()
        cap = 16
        count = _sz()
        while True:
            out = (Segment * cap)()
            st = self._lib.core_vad_segments(fast_address(x), x.size, _c.byref(self._opts),
                                             out, cap, _c.byref(count))
            if st == _E_BUFFER_TOO_SMALL:
                cap = count.value
                continue
            check(st)
            return [(out[i].start, out[i].end) for i in range(count.value)]

    def seconds(self, segments):
        """segments converted to (start_s, end_s) floats."""
        r = float(self.sample_rate)
        return [(s / r, e / r) for s, e in segments]


# Audio files live in audio_file.py (one responsibility per module); the
# names stay importable from here.
from .audio_file import AudioInfo, AudioInfoC, AudioReader, audio_info, read_audio  # noqa: E402,F401
