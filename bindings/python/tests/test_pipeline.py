"""libcore.Pipeline end to end on real speech (JFK) with a Python encoder,
against pipeline.h:
  - event order (SPEECH_START before its windows, windows in id order
    0, 1, 2, ..., SPEECH_END after them, END last), windows inside their
    segments, every window's features equal to LogMel.compute of its audio,
    every embedding equal to the encoder's output for those features, the
    encoder called with batches of at most max_batch windows, stats;
  - a second pass through a shared EncoderCache: every window a hit, the
    encoder never called; raw mode (NEEDS_ENCODING + submit_embedding);
    int16 chunks give the events of float32 chunks;
  - an encoder that raises: the exception comes out of next_event (nothing
    lost: its windows are ENCODER_ERROR events carrying it), or only the
    events with raise_encoder_errors=False; a wrong-sized result;
  - error statuses and messages, use after close (also of the metrics view),
    a shared cache closed before the pipeline, the ctypes mirrors of
    core_pipeline_options_t (and its nested structs), core_event_t and
    core_pipeline_stats_t (guard bytes: libcore writes exactly our size).

Runs under both backends; under the NumPy fallback only
test_unavailable_under_numpy runs (the others are reported as skipped).
"""

import ctypes
import weakref

import numpy as np
import pytest

import libcore
from libcore import EventKind, LibcoreError, LibcoreUnavailable

NATIVE = libcore.backend() == "native"
native_only = pytest.mark.skipif(not NATIVE, reason="NumPy backend: Pipeline raises "
                                 "LibcoreUnavailable (test_unavailable_under_numpy)")
DIM = 8


@pytest.mark.skipif(NATIVE, reason="the native library is loaded")
def test_unavailable_under_numpy():
    with pytest.raises(LibcoreUnavailable, match="Pipeline needs the native libcore"):
        libcore.Pipeline(dim=4)


def assert_error(excinfo, name, function):
    e = excinfo.value
    assert e.name == name, str(e)
    assert e.message.startswith(function + ":"), e.message


def jfk(testdata):
    x = np.fromfile(testdata("jfk_16k.f32"), dtype="<f4")
    assert x.size == 176000
    return x


def embed_one(features):
    """A deterministic toy embedding of one window's (n_mels, n_frames)."""
    return features.reshape(8, -1).mean(axis=1).astype(np.float32)


class Encoder:
    """A batch encoder that records its calls."""

    def __init__(self):
        self.calls = []

    def __call__(self, features):
        assert features.dtype == np.float32 and features.ndim == 3
        self.calls.append(features.shape)
        return np.stack([embed_one(f) for f in features])


# -- structs ------------------------------------------------------------------------

@native_only
def test_structs_match_c():
    from libcore.audio import LogMelOptions, VadOptions
    from libcore.cache import CacheOptions
    from libcore.pipeline import (BatcherOptions, EventC, PipelineOptions,
                                  PipelineStatsC)
    lib = libcore._native.library()
    o = PipelineOptions()
    assert lib.core_pipeline_options_init(ctypes.byref(o)) == 0
    assert o.struct_size == ctypes.sizeof(PipelineOptions)
    assert o.vad.struct_size == ctypes.sizeof(VadOptions)
    assert o.logmel.struct_size == ctypes.sizeof(LogMelOptions)
    assert o.cache_options.struct_size == ctypes.sizeof(CacheOptions)
    assert o.batch.struct_size == ctypes.sizeof(BatcherOptions)
    assert (o.sample_rate, o.ring_ms, o.ring_policy, o.window_ms, o.hop_ms, o.speech_only,
            o.dim, o.cache_decimals, o.batch.max_batch, o.batch.max_delay_ms) == \
        (16000, 10000, 1, 1000, 500, 1, 0, 4, 8, 50)
    b = BatcherOptions()
    assert lib.core_batcher_options_init(ctypes.byref(b)) == 0
    assert b.struct_size == ctypes.sizeof(BatcherOptions)

    # Output structs without struct_size: libcore must write inside ours,
    # up to its last byte (the last field is set), and never past it.
    def guarded(cls):
        size = ctypes.sizeof(cls)
        buf = (ctypes.c_ubyte * (size + 64))(*([0xAB] * (size + 64)))
        return buf, cls.from_buffer(buf), size

    with libcore.Pipeline(None, dim=4, speech_only=False) as p:
        h = p._guard.handle
        buf, s, size = guarded(PipelineStatsC)
        assert lib.core_pipeline_stats(h, ctypes.byref(s)) == 0
        assert all(v == 0xAB for v in buf[size:])
        assert np.isnan(s.cache_hit_rate) and s.chunks == 0     # the last field written
        p.push(np.zeros(16000, np.float32))
        buf, ev, size = guarded(EventC)
        assert lib.core_pipeline_next_event(h, ctypes.byref(ev)) == 0
        assert all(v == 0xAB for v in buf[size:])
        assert ev.kind == EventKind.NEEDS_ENCODING and ev.window_id == 0
        assert (ev.n_mels, ev.n_frames, ev.status, ev.cache_hit) == (80, 100, 0, 0)


# -- end to end ----------------------------------------------------------------------------

def check_run(events, x, p, enc, lm):
    kinds = [e.kind for e in events]
    assert kinds[-1] == EventKind.END and kinds.count(EventKind.END) == 1
    assert events[-1].start == x.size
    windows = [e for e in events if e.kind == EventKind.WINDOW]
    assert [w.window_id for w in windows] == list(range(len(windows)))
    segs = [e for e in events if e.kind == EventKind.SPEECH_END]
    starts = [e for e in events if e.kind == EventKind.SPEECH_START]
    assert len(segs) == len(starts) >= 1
    # Each window inside the segment opened before it and not yet ended,
    # 1000 ms long, its features those of LogMel.compute on its samples,
    # its embedding the encoder's output for those features.
    open_seg = None
    for e in events:
        if e.kind == EventKind.SPEECH_START:
            assert open_seg is None
            open_seg = e.start
        elif e.kind == EventKind.SPEECH_END:
            assert e.start == open_seg and e.end > e.start
            open_seg = None
        elif e.kind == EventKind.WINDOW:
            assert open_seg is not None and e.start >= open_seg
            assert e.end - e.start == 16000
            np.testing.assert_allclose(e.features, lm.compute(x[e.start:e.end]), atol=1e-6)
            np.testing.assert_allclose(e.embedding, embed_one(e.features), rtol=1e-6)
    st = p.stats()
    assert st.windows == len(windows) and st.segments == len(segs)
    assert st.samples == x.size and st.audio_seconds == pytest.approx(11.0)
    assert st.dropped_samples == 0
    return windows


@native_only
def test_jfk_end_to_end_with_a_python_encoder(testdata):
    x = jfk(testdata)
    enc = Encoder()
    with libcore.LogMel() as lm, libcore.EncoderCache() as cache:
        with libcore.Pipeline(enc, dim=DIM, cache=cache, max_batch=4) as p:
            events = list(p.run(x, chunk=320))
            windows = check_run(events, x, p, enc, lm)
            assert len(windows) >= 10
            assert not any(w.cache_hit for w in windows)
            assert sum(c[0] for c in enc.calls) == len(windows)
            assert all(c[0] <= 4 and c[1:] == (80, 100) for c in enc.calls)
            st = p.stats()
            assert (st.cache_misses, st.cache_hits, st.encoder_calls) == \
                (len(windows), 0, len(enc.calls))
            text = p.metrics.prometheus()
            assert f"pipeline_windows_total {len(windows)}" in text
            assert "encoder_forward_seconds_count" in text
        # Again through the same cache: every window a hit, no encoder call.
        enc2 = Encoder()
        with libcore.Pipeline(enc2, dim=DIM, cache=cache) as p2:
            events2 = list(p2.run(x, chunk=480))
            windows2 = check_run(events2, x, p2, enc2, lm)
            assert enc2.calls == []
            assert len(windows2) == len(windows) and all(w.cache_hit for w in windows2)
            for a, b in zip(windows, windows2):
                np.testing.assert_array_equal(a.embedding, b.embedding)
            assert p2.stats().cache_hit_rate == 1.0


@native_only
def test_raw_mode_and_int16_chunks(testdata):
    x = jfk(testdata)
    with libcore.Pipeline(None, dim=DIM, features=False) as p:
        needs, windows = [], []
        for ev in p.run(x):                       # NEEDS_ENCODING events come out
            if ev.kind == EventKind.NEEDS_ENCODING:
                needs.append(ev.window_id)
                assert ev.features.shape == (80, 100)
                p.submit_embedding(ev.window_id, embed_one(ev.features))
            elif ev.kind == EventKind.WINDOW:
                windows.append(ev)
                assert ev.features is None        # features=False
        assert needs == [w.window_id for w in windows]
        with pytest.raises(LibcoreError) as ei:
            p.submit_embedding(999, np.zeros(DIM))
        assert_error(ei, "CORE_E_NOT_FOUND", "core_pipeline_submit_embedding")
        with pytest.raises(LibcoreError):
            p.submit_embedding(0, np.zeros(DIM + 1))
    pcm = np.round(x * 32768).astype(np.int16)       # jfk_16k.f32 is int16 / 32768
    assert np.array_equal(pcm / np.float32(32768), x)
    with libcore.Pipeline(None, dim=DIM) as p16:
        events16 = list(p16.run(pcm, encoder=embed_one))
    w16 = [e for e in events16 if e.kind == EventKind.WINDOW]
    assert [(w.start, w.end) for w in w16] == [(w.start, w.end) for w in windows]
    for a, b in zip(windows, w16):
        np.testing.assert_array_equal(a.embedding, b.embedding)


@native_only
def test_encoder_exception_propagates_and_nothing_is_lost(testdata):
    x = jfk(testdata)

    class Broken(Exception):
        pass

    def encoder(features):
        raise Broken("GPU fell off the bus")

    with libcore.Pipeline(encoder, dim=DIM) as p:
        events, raised = [], []
        for i in range(0, x.size, 320):
            p.push(x[i:i + 320])
            while True:
                try:
                    ev = p.next_event()
                except Broken as e:
                    raised.append(e)
                    continue
                if ev is None:
                    break
                events.append(ev)
        p.flush()
        while not events or events[-1].kind != EventKind.END:
            try:
                ev = p.next_event()
            except Broken as e:
                raised.append(e)
                continue
            assert ev is not None
            events.append(ev)
        errs = [e for e in events if e.kind == EventKind.ENCODER_ERROR]
        st = p.stats()
        assert raised and len(raised) == st.encoder_calls == st.encoder_errors
        assert len(errs) == st.windows and st.windows > 0      # every window delivered
        assert [e.window_id for e in errs] == list(range(st.windows))
        for e in errs:
            assert e.status == "CORE_E_UNAVAILABLE" and isinstance(e.error, Broken)
            assert e.embedding is None
        assert not any(e.kind == EventKind.WINDOW for e in events)

    with libcore.Pipeline(encoder, dim=DIM, raise_encoder_errors=False) as p:
        events = list(p.run(x))                            # no exception
        assert sum(e.kind == EventKind.ENCODER_ERROR for e in events) == p.stats().windows

    with libcore.Pipeline(lambda f: np.zeros((len(f), DIM + 1)), dim=DIM) as p:
        with pytest.raises(ValueError, match="expected"):
            list(p.run(x))


@native_only
def test_encoder_may_not_reenter_the_consumer(testdata):
    x = jfk(testdata)
    holder = []

    def encoder(features):
        holder[0].next_event()
        return np.zeros((len(features), DIM))

    with libcore.Pipeline(encoder, dim=DIM) as p:
        holder.append(p)
        with pytest.raises(RuntimeError, match="inside the pipeline's own encoder"):
            list(p.run(x))


@native_only
def test_errors_and_close(testdata):
    for bad, word in (({"dim": 0}, "dim"), ({"dim": 4, "window_ms": 10}, "window_ms"),
                      ({"dim": 4, "hop_ms": 0}, "hop_ms"),
                      ({"dim": 4, "vad_options": {"frame_ms": 15}}, "frame_ms"),
                      ({"dim": 4, "max_batch": 0}, "max_batch")):
        with pytest.raises(LibcoreError) as ei:
            libcore.Pipeline(**bad)
        assert_error(ei, "CORE_E_INVALID_ARGUMENT", "core_pipeline_create")
        assert word in ei.value.message
    with pytest.raises(TypeError):
        libcore.Pipeline(dim=4, cache_options={"clock": None})
    with pytest.raises(ValueError):
        libcore.Pipeline(dim=4, ring_policy="drop")

    with libcore.Pipeline(None, dim=4, ring_policy="reject", ring_ms=100) as p:
        p.push(np.zeros(1600, np.float32))
        with pytest.raises(LibcoreError) as ei:
            p.push(np.zeros(1, np.float32))                # the ring holds 100 ms
        assert_error(ei, "CORE_E_FULL", "core_pipeline_push_f32")
        p.flush()
        with pytest.raises(LibcoreError) as ei:
            p.push(np.zeros(10, np.float32))
        assert_error(ei, "CORE_E_INVALID_ARGUMENT", "core_pipeline_push_f32")

    # A shared cache closed first stays alive until the pipeline is closed;
    # the metrics view dies with the pipeline.
    x = jfk(testdata)
    cache = libcore.EncoderCache()
    p = libcore.Pipeline(lambda f: np.zeros((len(f), DIM)), dim=DIM, cache=cache)
    m = p.metrics
    with pytest.raises(TypeError, match="cannot be lent"):
        libcore.RingBuffer(4, metrics=m)          # the pipeline would free it under the ring
    cache.close()
    with pytest.raises(ValueError, match="closed"):
        cache.get(x[:100])
    events = list(p.run(x))
    assert events[-1].kind == EventKind.END and p.stats().windows > 0
    p.close()
    p.close()
    for call in (lambda: p.push(x[:10]), lambda: p.flush(), lambda: p.next_event(),
                 lambda: p.stats(), lambda: p.submit_embedding(0, np.zeros(DIM)),
                 lambda: m.prometheus(), lambda: p.metrics):
        with pytest.raises(ValueError, match="closed"):
            call()


@native_only
def test_freed_when_unreferenced():
    with libcore.EncoderCache() as cache, libcore.Metrics() as m:
        p = libcore.Pipeline(lambda f: np.zeros((len(f), DIM)), dim=DIM, cache=cache,
                             metrics=m)
        p.push(np.zeros(3200, np.float32))
        assert p.next_event() is None
        ref = weakref.ref(p)
        del p                              # no reference cycle: destroyed at once,
        assert ref() is None               # which releases the cache and registry
        cache.close()
        m.close()
    p = libcore.Pipeline(None, dim=DIM)
    view = p.metrics
    ref = weakref.ref(p)
    del p
    assert ref() is None
    with pytest.raises(ValueError, match="closed"):
        view.prometheus()


@native_only
def test_shared_metrics_registry(testdata):
    x = jfk(testdata)[:48000]
    with libcore.Metrics() as m:
        with libcore.Pipeline(lambda f: np.zeros((len(f), DIM)), dim=DIM, metrics=m,
                              metrics_prefix="mic0") as p:
            list(p.run(x))
            assert p.metrics is m
        text = m.prometheus()                   # the registry outlives the pipeline
        assert "mic0_pipeline_chunks_total 150" in text
