"""Pipeline: libcore's streaming speech front end (include/core/pipeline.h).

    push (float32 or int16 chunks, any size)
      -> ring buffer -> VAD -> analysis windows (window_ms every hop_ms,
         inside speech) -> log-mel features -> encoder cache lookup
      -> on a miss, batches of windows through your encoder
      -> events, pulled with next_event() / events()

    def encoder(features):             # (batch, n_mels, n_frames) float32
        return model(features)         # (batch, dim)

    with libcore.Pipeline(encoder, dim=256) as p:
        for chunk in chunks:           # e.g. 20 ms = 320 samples at 16 kHz
            p.push(chunk)
            for ev in p.events():      # what is ready now
                if ev.kind == libcore.EventKind.WINDOW:
                    use(ev.embedding, ev.cache_hit)
        p.flush()
        for ev in p.events(): ...      # the rest, then an END event

Native only: without libcore.so.1 the constructor raises LibcoreUnavailable.

The encoder. With a Python callable, libcore calls it from inside
next_event() (on the consumer's thread; ctypes takes the GIL back for it)
with a batch of windows, as the C API defines (core_encoder_fn): up to
max_batch windows wait until the batch is full or the oldest has waited
max_delay_ms (or the stream is flushed). It receives a new
(batch, n_mels, n_frames) float32 array (band-major windows, like
LogMel.compute) and returns an array-like of batch x dim floats. Its
embeddings go into the cache, and every window becomes a WINDOW event with
its embedding. If it raises (or returns the wrong size), the windows of
that batch become ENCODER_ERROR events carrying the exception (.error), and
the next_event() call during which it happened re-raises it (traceback
intact) unless raise_encoder_errors=False; the event that call would have
returned is kept for the next call, nothing is lost. With encoder=None,
windows that miss the cache become NEEDS_ENCODING events: give each its
embedding with submit_embedding(ev.window_id, embedding) and its WINDOW
event follows (the Go, Java and C# bindings' pattern).

Copies: a float32 C-contiguous chunk is pushed by pointer (no copy); int16
goes through core_pipeline_push_i16 (v / 32768 in libcore); anything else
is converted to float32 once. Event features and embeddings are copies
(libcore's pointers are only valid until the next call); features=False
skips copying the features of WINDOW events.

Threads (pipeline.h convention 1): one producer thread may push/flush while
one consumer thread takes events; each side is serialized by its own lock.
stats() and metrics run anywhere. close() may run from any thread at any
time: calls in progress finish first. The encoder must not call next_event
or submit_embedding of its own pipeline (RuntimeError).
"""

import collections
import ctypes
import dataclasses
import enum
import threading

import numpy as np

from . import _native
from ._arrays import fast_address
from ._errors import LibcoreError
from ._handle import GuardedHandle
from ._native import check, declare, native
from .audio import LogMelOptions, VadOptions, _PRESETS, _MODES, _set_fields
from .cache import CacheOptions, EncoderCache
from .metrics import Metrics

__all__ = ["Pipeline", "Event", "EventKind", "PipelineStats"]

_c = ctypes
_vp = _c.c_void_p
_sz = _c.c_size_t
_u32 = _c.c_uint32
_u64 = _c.c_uint64
_F32 = np.dtype(np.float32)
_I16 = np.dtype(np.int16)
_nd = np.ndarray
_E_EMPTY, _E_UNAVAILABLE, _E_INTERNAL, _E_BUFFER_TOO_SMALL = 5, 10, 11, 3

BATCHER_MAX_BUCKETS = 16
_ClockNs = _c.CFUNCTYPE(_u64, _vp)
_EncoderFn = _c.CFUNCTYPE(_c.c_int, _vp, _sz, _sz, _sz, _vp, _sz, _vp)


class BatcherOptions(_c.Structure):
    """core_batcher_options_t."""
    _fields_ = [("struct_size", _sz), ("max_batch", _sz), ("max_delay_ms", _u32),
                ("n_buckets", _sz), ("bucket_bounds", _u64 * BATCHER_MAX_BUCKETS),
                ("clock", _vp), ("clock_user", _vp)]


class PipelineOptions(_c.Structure):
    """core_pipeline_options_t."""
    _fields_ = [("struct_size", _sz), ("sample_rate", _u32), ("ring_ms", _u32),
                ("ring_policy", _c.c_int), ("vad", VadOptions), ("logmel", LogMelOptions),
                ("window_ms", _u32), ("hop_ms", _u32), ("speech_only", _c.c_int),
                ("dim", _sz), ("encoder", _EncoderFn), ("encoder_user", _vp),
                ("cache", _vp), ("cache_options", CacheOptions), ("cache_decimals", _c.c_int),
                ("batch", BatcherOptions), ("metrics", _vp), ("metrics_prefix", _c.c_char_p)]


class EventC(_c.Structure):
    """core_event_t."""
    _fields_ = [("kind", _c.c_int), ("window_id", _u64), ("start", _u64), ("end", _u64),
                ("features", _vp), ("n_mels", _sz), ("n_frames", _sz), ("embedding", _vp),
                ("dim", _sz), ("cache_hit", _c.c_int), ("status", _c.c_int)]


class PipelineStatsC(_c.Structure):
    """core_pipeline_stats_t."""
    _fields_ = [("chunks", _u64), ("samples", _u64), ("dropped_samples", _u64),
                ("segments", _u64), ("windows", _u64), ("cache_hits", _u64),
                ("cache_misses", _u64), ("encoder_calls", _u64), ("encoder_errors", _u64),
                ("audio_seconds", _c.c_double), ("processing_seconds", _c.c_double),
                ("real_time_factor", _c.c_double), ("cache_hit_rate", _c.c_double)]


_po = _c.POINTER(PipelineOptions)
declare("core_pipeline_options_init", _c.c_int, [_po])
declare("core_pipeline_create", _c.c_int, [_po, _c.POINTER(_vp)])
declare("core_pipeline_destroy", None, [_vp])
declare("core_pipeline_push_f32", _c.c_int, [_vp, _vp, _sz])
declare("core_pipeline_push_i16", _c.c_int, [_vp, _vp, _sz])
declare("core_pipeline_flush", _c.c_int, [_vp])
declare("core_pipeline_next_event", _c.c_int, [_vp, _c.POINTER(EventC)])
declare("core_pipeline_submit_embedding", _c.c_int, [_vp, _u64, _vp, _sz])
declare("core_pipeline_stats", _c.c_int, [_vp, _c.POINTER(PipelineStatsC)])
declare("core_pipeline_metrics", _vp, [_vp])
declare("core_batcher_options_init", _c.c_int, [_c.POINTER(BatcherOptions)])


class EventKind(enum.IntEnum):
    """core_event_kind."""
    SPEECH_START = 1     # start: where speech (padding included) began
    SPEECH_END = 2       # start, end: the final segment
    WINDOW = 3           # a window with its features and embedding
    NEEDS_ENCODING = 4   # encoder=None: features ready, submit_embedding()
    ENCODER_ERROR = 5    # the encoder failed this window (status, error)
    END = 6              # after flush: everything has been delivered


class Event:
    """One pipeline event. kind (EventKind); window_id (WINDOW,
    NEEDS_ENCODING, ENCODER_ERROR); start, end (samples since the first
    push: the segment, or the window's range); features ((n_mels,
    n_frames) float32 copy, or None); embedding ((dim,) float32 copy for
    WINDOW); cache_hit (WINDOW: from the cache); status (ENCODER_ERROR: the
    status name); error (ENCODER_ERROR: the exception the encoder raised,
    when it was a Python exception)."""

    __slots__ = ("kind", "window_id", "start", "end", "features", "embedding", "cache_hit",
                 "status", "error")

    def __init__(self, kind, window_id=None, start=0, end=0, features=None, embedding=None,
                 cache_hit=False, status=None, error=None):
        self.kind = kind
        self.window_id = window_id
        self.start = start
        self.end = end
        self.features = features
        self.embedding = embedding
        self.cache_hit = cache_hit
        self.status = status
        self.error = error

    def __repr__(self):
        parts = [self.kind.name]
        if self.window_id is not None:
            parts.append(f"window {self.window_id}")
        if self.kind == EventKind.SPEECH_START:
            parts.append(f"at {self.start}")
        else:
            parts.append(f"[{self.start}, {self.end})")
        if self.kind == EventKind.WINDOW:
            parts.append("hit" if self.cache_hit else "miss")
        if self.status:
            parts.append(self.status)
        return f"<Event {' '.join(parts)}>"


@dataclasses.dataclass(frozen=True)
class PipelineStats:
    """core_pipeline_stats_t: chunks and samples pushed, dropped_samples
    (lost by an overwriting ring), segments and windows, cache_hits,
    cache_misses, encoder_calls, encoder_errors, audio_seconds,
    processing_seconds (inside push and next_event, the encoder included),
    real_time_factor (processing / audio), cache_hit_rate (NaN before any
    lookup)."""
    chunks: int
    samples: int
    dropped_samples: int
    segments: int
    windows: int
    cache_hits: int
    cache_misses: int
    encoder_calls: int
    encoder_errors: int
    audio_seconds: float
    processing_seconds: float
    real_time_factor: float
    cache_hit_rate: float


class _EncoderState:
    """What the encoder trampoline reaches (not the Pipeline: no cycle)."""
    __slots__ = ("fn", "exc", "last_exc")

    def __init__(self, fn):
        self.fn = fn
        self.exc = None        # raised during the current next_event call
        self.last_exc = None   # for the ENCODER_ERROR events of its batch


def _encoder_trampoline(state):
    def encode(features, batch, n_mels, n_frames, out, dim, _user):
        try:
            n = batch * n_mels * n_frames
            src = (_c.c_float * n).from_address(features)
            x = np.frombuffer(src, dtype=_F32).reshape(batch, n_mels, n_frames).copy()
            y = np.ascontiguousarray(state.fn(x), dtype=_F32)
            if y.size != batch * dim:
                raise ValueError(f"Pipeline encoder: returned {y.size} floats (shape "
                                 f"{y.shape}) for {batch} windows of dim {dim}: expected "
                                 f"({batch}, {dim})")
            _c.memmove(out, fast_address(y), y.nbytes)
            return 0
        except BaseException as e:  # noqa: B902 -- never into C; re-raised by next_event
            state.exc = state.last_exc = e
            st = getattr(e, "status", None) if isinstance(e, LibcoreError) else None
            if not isinstance(st, int) or not 0 < st <= _E_INTERNAL:
                st = _E_UNAVAILABLE
            return st
    return _EncoderFn(encode)


class _Resources:
    """What a C pipeline borrows, released by destroy(handle) (the Guard
    calls it once, when no call is running)."""
    __slots__ = ("lib", "encoder_cb", "cache", "metrics", "view")

    def __init__(self, lib, encoder_cb):
        self.lib = lib
        self.encoder_cb = encoder_cb   # the C pipeline calls it until destroyed
        self.cache = None              # a shared EncoderCache (its guard entered)
        self.metrics = None            # a shared Metrics (attached)
        self.view = None               # the Metrics view of the pipeline's own registry

    def release(self):
        c, self.cache = self.cache, None
        if c is not None:
            c._guard.exit()
        m, self.metrics = self.metrics, None
        if m is not None:
            m._detach()

    def destroy(self, h):
        v, self.view = self.view, None
        if v is not None:
            v._invalidate()
        self.lib.core_pipeline_destroy(h)
        self.encoder_cb = None
        self.release()


class Pipeline(GuardedHandle):
    """The streaming front end (core_pipeline_t).

    Pipeline(encoder=None, *, dim, ...) -- dim (required): floats per
    embedding. Keyword options (None keeps libcore's default):
      sample_rate (16000), ring_ms (10000), ring_policy ("overwrite": a
      stalled consumer loses the oldest audio, counted; or "reject": push
      raises CORE_E_FULL), window_ms (1000), hop_ms (500), speech_only
      (True: windows inside speech segments; False: over the whole stream,
      no SPEECH_* events), vad (a preset name, "default"), vad_options (a
      dict of Vad fields), logmel (a dict of LogMel fields: n_mels, mode,
      n_fft, hop, fmin, fmax), cache (an EncoderCache to share; kept alive
      until the pipeline is closed) or cache_options (a dict: max_entries,
      max_bytes, ttl_ms, shards) for its own, cache_decimals (4),
      max_batch (8), max_delay_ms (50), metrics (a Metrics to record into)
      and metrics_prefix, features (True: WINDOW events carry their
      features), raise_encoder_errors (True).
    LibcoreError CORE_E_INVALID_ARGUMENT (message from core_pipeline_create,
    naming the option) for dim 0, a window shorter than n_fft, ...
    """

    def __init__(self, encoder=None, *, dim, sample_rate=None, ring_ms=None, ring_policy=None,
                 window_ms=None, hop_ms=None, speech_only=None, vad=None, vad_options=None,
                 logmel=None, cache=None, cache_options=None, cache_decimals=None,
                 max_batch=None, max_delay_ms=None, metrics=None, metrics_prefix=None,
                 features=True, raise_encoder_errors=True):
        self._guard = None
        lib = native("Pipeline")
        self._lib = lib
        o = PipelineOptions()
        check(lib.core_pipeline_options_init(_c.byref(o)))
        if vad is not None:
            try:
                preset = _PRESETS[vad.lower()] if isinstance(vad, str) else int(vad)
            except KeyError:
                raise ValueError(f"Pipeline: vad must be one of {', '.join(_PRESETS)}, "
                                 f"not {vad!r}") from None
            check(lib.core_vad_options_preset(_c.byref(o.vad), preset))
        if vad_options:
            _set_fields(o.vad, vad_options, "Pipeline vad_options")
        if logmel:
            lm = dict(logmel)
            if isinstance(lm.get("mode"), str):
                try:
                    lm["mode"] = _MODES[lm["mode"].lower()]
                except KeyError:
                    raise ValueError(f"Pipeline: logmel mode must be 'whisper' or 'log10', "
                                     f"not {lm['mode']!r}") from None
            _set_fields(o.logmel, lm, "Pipeline logmel")
        if cache_options:
            names = {"max_entries", "max_bytes", "ttl_ms", "shards"}
            bad = set(cache_options) - names
            if bad:
                raise TypeError(f"Pipeline: unknown cache_options {sorted(bad)} "
                                f"(known: {', '.join(sorted(names))})")
            _set_fields(o.cache_options, cache_options, "Pipeline cache_options")
        if isinstance(ring_policy, str):
            try:
                ring_policy = {"reject": 0, "overwrite": 1}[ring_policy]
            except KeyError:
                raise ValueError(f"Pipeline: ring_policy must be 'reject' or 'overwrite', "
                                 f"not {ring_policy!r}") from None
        if speech_only is not None:
            speech_only = 1 if speech_only else 0
        for field, v in (("sample_rate", sample_rate), ("ring_ms", ring_ms),
                         ("ring_policy", ring_policy), ("window_ms", window_ms),
                         ("hop_ms", hop_ms), ("speech_only", speech_only), ("dim", dim),
                         ("cache_decimals", cache_decimals)):
            if v is not None:
                if v < 0:
                    raise ValueError(f"Pipeline: {field} = {v} is negative")
                setattr(o, field, v)
        if max_batch is not None:
            o.batch.max_batch = max_batch
        if max_delay_ms is not None:
            o.batch.max_delay_ms = max_delay_ms
        self._state = None
        self._encoder_cb = None
        if encoder is not None:
            if not callable(encoder):
                raise TypeError("Pipeline: encoder must be callable or None")
            self._state = _EncoderState(encoder)
            self._encoder_cb = _encoder_trampoline(self._state)   # alive as long as self
            o.encoder = self._encoder_cb
        # What the C pipeline uses and must outlive it (the encoder
        # callback, a shared cache whose guard is held for the pipeline's
        # life, a shared registry attached), kept in _Resources so that
        # destroy is not a bound method: no reference cycle, an
        # unreferenced pipeline is freed at once.
        res = _Resources(lib, self._encoder_cb)
        if cache is not None:
            if not isinstance(cache, EncoderCache):
                raise TypeError("Pipeline: cache must be an EncoderCache")
            o.cache = cache._guard.enter("Pipeline")
            res.cache = cache
        try:
            if metrics is not None:
                o.metrics = metrics._attach("Pipeline")
                res.metrics = metrics
            if metrics_prefix is not None:
                o.metrics_prefix = metrics_prefix.encode()
            h = _vp()
            check(lib.core_pipeline_create(_c.byref(o), _c.byref(h)))
        except BaseException:
            res.release()
            raise
        self._res = res
        self._shared_metrics = metrics
        self.dim = o.dim
        self.sample_rate = o.sample_rate
        self.n_mels = o.logmel.n_mels
        self._features = bool(features)
        self._raise = bool(raise_encoder_errors)
        self._ev = EventC()
        self._pending = collections.deque()
        self._prod = threading.Lock()
        self._cons = threading.Lock()
        self._cons_thread = None
        self._guard = _native.Guard(h.value, "Pipeline", res.destroy)

    # -- life cycle ------------------------------------------------------------------

    def close(self):
        """Releases the pipeline (idempotent, any thread; calls in progress
        finish first). Events not yet read are lost."""
        GuardedHandle.close(self)


    # -- producer ----------------------------------------------------------------------

    def push(self, chunk):
        """Appends a chunk of samples (any size; see the module docstring
        for dtypes). LibcoreError CORE_E_FULL under ring_policy "reject"
        when the ring cannot take it (nothing written), CORE_E_INVALID_
        ARGUMENT after flush()."""
        x = chunk
        if x.__class__ is _nd and x.flags.c_contiguous and x.dtype is _I16:
            fn = self._lib.core_pipeline_push_i16
        else:
            if not (x.__class__ is _nd and x.dtype is _F32 and x.flags.c_contiguous):
                x = np.ascontiguousarray(x, dtype=_F32)
            fn = self._lib.core_pipeline_push_f32
        h = self._guard.enter("Pipeline.push")
        try:
            with self._prod:
                check(fn(h, fast_address(x), x.size))
        finally:
            self._guard.exit()

    def flush(self):
        """End of stream: the next events finish the VAD, cut the last
        windows, release every waiting batch, and end with an END event."""
        h = self._guard.enter("Pipeline.flush")
        try:
            with self._prod:
                check(self._lib.core_pipeline_flush(h))
        finally:
            self._guard.exit()

    # -- consumer --------------------------------------------------------------------------

    def _event(self, e):
        kind = EventKind(e.kind)
        ev = Event(kind, start=e.start, end=e.end)
        if kind in (EventKind.WINDOW, EventKind.NEEDS_ENCODING, EventKind.ENCODER_ERROR):
            ev.window_id = e.window_id
            if e.features and (self._features or kind != EventKind.WINDOW):
                n = e.n_mels * e.n_frames
                src = (_c.c_float * n).from_address(e.features)
                ev.features = np.frombuffer(src, dtype=_F32).reshape(e.n_mels,
                                                                     e.n_frames).copy()
        if kind == EventKind.WINDOW:
            src = (_c.c_float * e.dim).from_address(e.embedding)
            ev.embedding = np.frombuffer(src, dtype=_F32).copy()
            ev.cache_hit = bool(e.cache_hit)
        elif kind == EventKind.ENCODER_ERROR:
            ev.status = self._lib.core_status_str(e.status).decode()
            if self._state is not None:
                ev.error = self._state.last_exc
        return ev

    def _consumer(self, op):
        if self._cons_thread == threading.get_ident():
            raise RuntimeError(f"Pipeline.{op}: called from inside the pipeline's own "
                               f"encoder (or another consumer call) on this thread")

    def next_event(self):
        """The next event, or None when nothing is ready now (push more, or
        call again after max_delay_ms). Runs the analysis the pushed audio
        allows, and the encoder. After END, always None."""
        if self._pending and self._guard.handle is not None:
            return self._pending.popleft()
        self._consumer("next_event")
        h = self._guard.enter("Pipeline.next_event")
        try:
            with self._cons:
                self._cons_thread = threading.get_ident()
                try:
                    st = self._lib.core_pipeline_next_event(h, _c.byref(self._ev))
                    ev = self._event(self._ev) if st == 0 else None
                    exc = None
                    if self._state is not None:
                        exc, self._state.exc = self._state.exc, None
                finally:
                    self._cons_thread = None
        finally:
            self._guard.exit()
        if st and st != _E_EMPTY:
            raise _native.error(st)
        if exc is not None and self._raise:
            if ev is not None:
                self._pending.append(ev)
            raise exc
        return ev

    def events(self):
        """Yields every event ready now (next_event() until None)."""
        while True:
            ev = self.next_event()
            if ev is None:
                return
            yield ev

    __iter__ = events

    def submit_embedding(self, window_id, embedding):
        """The embedding (dim floats) of a NEEDS_ENCODING window: it goes
        into the cache and the window's WINDOW event follows. LibcoreError
        CORE_E_NOT_FOUND for an id not waiting, CORE_E_INVALID_ARGUMENT for
        a size other than dim."""
        e = np.ascontiguousarray(embedding, dtype=_F32)
        if e.size != self.dim:
            raise LibcoreError(1, "CORE_E_INVALID_ARGUMENT",
                               f"core_pipeline_submit_embedding: the embedding has {e.size} "
                               f"floats, dim is {self.dim}")
        self._consumer("submit_embedding")
        h = self._guard.enter("Pipeline.submit_embedding")
        try:
            with self._cons:
                check(self._lib.core_pipeline_submit_embedding(h, window_id, fast_address(e),
                                                               e.size))
        finally:
            self._guard.exit()

    def run(self, audio, chunk=320, encoder=None):
        """Streams a whole clip: pushes it in chunks of `chunk` samples
        (default 320, 20 ms at 16 kHz), yields the events as they come,
        flushes, and yields the rest up to END. encoder (raw mode only)
        answers NEEDS_ENCODING events: encoder(features) -> dim floats;
        without it they are yielded for the caller to answer."""
        x = audio
        if not (x.__class__ is _nd and x.dtype in (_F32, _I16)):
            x = np.ascontiguousarray(x, dtype=_F32)

        def drain():
            for ev in self.events():
                if encoder is not None and ev.kind == EventKind.NEEDS_ENCODING:
                    self.submit_embedding(ev.window_id, encoder(ev.features))
                    continue
                yield ev

        for i in range(0, x.size, chunk):
            self.push(x[i:i + chunk])
            yield from drain()
        self.flush()
        while True:
            for ev in drain():
                yield ev
                if ev.kind == EventKind.END:
                    return

    # -- queries ------------------------------------------------------------------------------

    def stats(self):
        """PipelineStats now (any thread)."""
        s = PipelineStatsC()
        h = self._guard.enter("Pipeline.stats")
        try:
            check(self._lib.core_pipeline_stats(h, _c.byref(s)))
        finally:
            self._guard.exit()
        return PipelineStats(*(getattr(s, f[0]) for f in PipelineStatsC._fields_))

    @property
    def metrics(self):
        """The registry the pipeline records into (the shared one, or its
        own), as a Metrics: timers pipeline.push, vad.process,
        features.logmel, encoder.lookup, encoder.forward, encoder.batch_size;
        counters pipeline.chunks, pipeline.samples, pipeline.windows,
        encoder.cache_hits, encoder.cache_misses, pipeline.dropped_samples.
        Valid until the pipeline is closed (then its methods raise
        ValueError)."""
        h = self._guard.enter("Pipeline.metrics")
        try:
            if self._shared_metrics is not None:
                return self._shared_metrics
            if self._res.view is None:
                self._res.view = Metrics._borrowed(self._lib, self._lib.core_pipeline_metrics(h))
            return self._res.view
        finally:
            self._guard.exit()

    def __repr__(self):
        if self.closed:
            return "<libcore.Pipeline closed>"
        s = self.stats()
        return (f"<libcore.Pipeline {s.audio_seconds:.2f} s pushed, {s.windows} windows, "
                f"{s.segments} segments>")
