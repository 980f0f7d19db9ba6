"""libcore.EncoderCache against the cache.h contract: keys (XXH3-128 checked
against libxxhash.so through ctypes, audio keys against np.round), put/get
round trips with shapes, LRU eviction order, TTL with an injected clock,
save/load (and a corrupt file), get_or_compute single flight from 4
threads, exceptions in fn (propagated, nothing stored; the waiting threads
get a chained LibcoreError), close() while a call runs on another thread,
error statuses and messages, metrics publishing, and the ctypes mirrors of
core_cache_options_t / core_cache_stats_t.

Thread tests never use wall-clock thresholds: the computing thread is held
inside fn until stats() shows the other threads waiting in libcore.

Runs under both backends; under the NumPy fallback only
test_unavailable_under_numpy runs (the others are reported as skipped).
"""

import ctypes
import ctypes.util
import threading
import time
import weakref

import numpy as np
import pytest

import libcore
from libcore import LibcoreError, LibcoreUnavailable

NATIVE = libcore.backend() == "native"
native_only = pytest.mark.skipif(not NATIVE, reason="NumPy backend: EncoderCache raises "
                                 "LibcoreUnavailable (test_unavailable_under_numpy)")


@pytest.mark.skipif(NATIVE, reason="the native library is loaded")
def test_unavailable_under_numpy():
    with pytest.raises(LibcoreUnavailable, match="EncoderCache needs the native libcore"):
        libcore.EncoderCache()
    with pytest.raises(LibcoreUnavailable):
        libcore.audio_key(np.zeros(4, np.float32))
    with pytest.raises(LibcoreUnavailable):
        libcore.key_bytes(b"abc")


def assert_error(excinfo, name, function):
    e = excinfo.value
    assert e.name == name, str(e)
    assert e.message.startswith(function + ":"), e.message


def audio(seed, n=16000):
    return np.random.default_rng(seed).uniform(-0.5, 0.5, n).astype(np.float32)


def wait_until(cond, what, limit=30.0):
    """Polls cond() (a liveness guard, not a timing assertion)."""
    end = time.monotonic() + limit
    while not cond():
        if time.monotonic() > end:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.001)


# -- keys ----------------------------------------------------------------------

class XXH128(ctypes.Structure):
    _fields_ = [("low64", ctypes.c_uint64), ("high64", ctypes.c_uint64)]


def xxh3_128():
    name = ctypes.util.find_library("xxhash")
    if not name:
        pytest.skip("libxxhash.so not found: no independent XXH3-128 to compare with")
    lib = ctypes.CDLL(name)
    fn = lib.XXH3_128bits
    fn.restype = XXH128
    fn.argtypes = [ctypes.c_char_p, ctypes.c_size_t]
    return lambda b: (lambda h: h.low64 | (h.high64 << 64))(fn(b, len(b)))


@native_only
def test_key_bytes_is_xxh3_128():
    ref = xxh3_128()
    for data in (b"", b"hello", bytes(range(256)) * 40):
        assert libcore.key_bytes(data) == ref(data)
    assert libcore.key_bytes(memoryview(b"abc")) == ref(b"abc")
    assert libcore.key_bytes(np.arange(5, dtype=np.float32)) == \
        ref(np.arange(5, dtype=np.float32).tobytes())


@native_only
def test_audio_key_is_the_documented_hash():
    """XXH3-128 of (uint64 n, int32 decimals, "AUD1") + the rounded float32
    values, -0.0 taken as 0.0 (cache.h, core_cache_key_audio)."""
    ref = xxh3_128()
    x = audio(1, 4099)
    x[:3] = [-0.00001, 0.00004, -0.0]
    for d in (0, 4, 6):
        q = np.round(x * np.float32(10 ** d)).astype(np.float32) + np.float32(0)
        head = np.array([x.size], "<u8").tobytes() + np.array([d], "<i4").tobytes() + b"AUD1"
        assert libcore.audio_key(x, decimals=d) == ref(head + q.tobytes()), d


@native_only
def test_audio_key_equality_follows_rounding():
    x = np.round(audio(2), 4)                                    # on the 1e-4 grid
    k = libcore.audio_key(x)
    assert isinstance(k, int) and 0 <= k < 1 << 128
    near = x + np.float32(2e-5)                                  # rounds back to x
    assert np.array_equal(np.round(near, 4), x)
    assert libcore.audio_key(near) == k
    assert libcore.audio_key(x + np.float32(1e-3)) != k
    assert libcore.audio_key(x, decimals=6) != k
    assert libcore.audio_key(x.astype(np.float64)) == k          # converted once
    assert libcore.audio_key(x[:-1]) != k                        # the length counts
    with libcore.EncoderCache(decimals=4) as c:
        assert c.key(x) == k
    nan = x.copy()
    nan[17] = np.nan
    with pytest.raises(LibcoreError) as ei:
        libcore.audio_key(nan)
    assert_error(ei, "CORE_E_INVALID_ARGUMENT", "core_cache_key_audio")
    assert "17" in ei.value.message


# -- entries ----------------------------------------------------------------------

@native_only
def test_structs_match_c():
    from libcore.cache import CacheOptions, CacheStatsC
    lib = libcore._native.library()
    o = CacheOptions()
    assert lib.core_cache_options_init(ctypes.byref(o)) == 0
    assert o.struct_size == ctypes.sizeof(CacheOptions)
    assert (o.max_entries, o.max_bytes, o.ttl_ms, o.shards) == (4096, 256 << 20, 0, 0)
    with libcore.EncoderCache() as c:
        s = CacheStatsC()
        s.struct_size = ctypes.sizeof(CacheStatsC) - 1            # below the 0.1 layout
        assert lib.core_cache_stats(c._guard.handle, ctypes.byref(s)) == 1


@native_only
def test_put_get_round_trip():
    with libcore.EncoderCache() as c:
        a, b = audio(3), audio(4)
        assert c.get(a) is None
        v = np.arange(6, dtype=np.float32).reshape(2, 3)
        c.put(a, v)
        got = c.get(a)
        assert got.dtype == np.float32 and got.shape == (2, 3)
        np.testing.assert_array_equal(got, v)
        got[0, 0] = 99                                   # a copy: the cache is unchanged
        assert c.get(a)[0, 0] == 0
        big = np.linspace(0, 1, 5000)                    # float64, larger than the first buffer
        c.put(b, big)
        np.testing.assert_array_equal(c.get(b), big.astype(np.float32))
        np.testing.assert_array_equal(c.get(c.key(b)), big.astype(np.float32))   # by key
        assert a in c and audio(5) not in c and len(c) == 2
        assert c.remove(a) is True and c.remove(a) is False
        c.clear()
        assert len(c) == 0
        s = c.stats()
        assert (s.hits, s.misses, s.inserts) == (4, 1, 2)
        c.reset_stats()
        assert c.stats().hits == 0
        with pytest.raises(LibcoreError) as ei:
            c.put(a, np.zeros(0, np.float32))
        assert_error(ei, "CORE_E_INVALID_ARGUMENT", "core_cache_put")
        with pytest.raises(ValueError):
            c.put(a, np.zeros((1, 1, 1, 1, 2), np.float32))


@native_only
def test_lru_eviction_order():
    with libcore.EncoderCache(max_entries=3, shards=1) as c:
        a, b, d, e = (audio(i) for i in range(10, 14))
        for x in (a, b, d):
            c.put(x, np.ones(4))
        c.get(a)                                          # a is now the most recent
        c.put(e, np.ones(4))                              # evicts b, the least recent
        assert b not in c and a in c and d in c and e in c
        assert c.stats().evictions == 1 and c.shards == 1


@native_only
def test_byte_budget():
    per = libcore.EncoderCache.entry_bytes(100)
    assert per == 400 + 256
    with libcore.EncoderCache(max_entries=0, max_bytes=2 * per, shards=1) as c:
        for i in range(3):
            c.put(audio(20 + i), np.ones(100))
        s = c.stats()
        assert s.entries == 2 and s.bytes == 2 * per and s.evictions == 1
        with pytest.raises(LibcoreError) as ei:
            c.put(audio(30), np.ones(1000))               # can never fit
        assert_error(ei, "CORE_E_FULL", "core_cache_put")


@native_only
def test_ttl_with_injected_clock():
    now = [1_000_000]
    with libcore.EncoderCache(ttl_ms=100, clock=lambda: now[0]) as c:
        a = audio(40)
        c.put(a, np.ones(3))
        now[0] += 99
        assert c.get(a) is not None
        now[0] += 1                                       # ttl_ms after the write
        assert c.get(a) is None
        s = c.stats()
        assert s.expirations == 1 and s.entries == 0


@native_only
def test_save_and_load(tmp_path):
    path = tmp_path / "enc.cache"
    values = {i: np.random.default_rng(i).standard_normal((2, 8)).astype(np.float32)
              for i in range(5)}
    with libcore.EncoderCache() as c:
        for i, v in values.items():
            c.put(audio(50 + i), v)
        c.save(path)
        c.save(str(path))                                 # str or PathLike
    with libcore.EncoderCache() as c2:
        c2.load(path)
        assert len(c2) == 5
        for i, v in values.items():
            np.testing.assert_array_equal(c2.get(audio(50 + i)), v)
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        bad = tmp_path / "bad.cache"
        bad.write_bytes(bytes(data))
        c2.clear()
        with pytest.raises(LibcoreError) as ei:
            c2.load(bad)
        assert_error(ei, "CORE_E_FORMAT", "core_cache_load")
        assert len(c2) == 0                               # unchanged
        with pytest.raises(LibcoreError) as ei:
            c2.save(tmp_path / "no" / "such" / "dir" / "x.cache")
        assert_error(ei, "CORE_E_IO", "core_cache_save")


# -- get_or_compute -----------------------------------------------------------------------

@native_only
def test_get_or_compute_single_flight_from_4_threads():
    with libcore.EncoderCache() as c:
        x = audio(60)
        calls = []
        release = threading.Event()

        def fn(a):
            calls.append(threading.get_ident())
            release.wait()                               # held until the others wait
            return np.arange(512, dtype=np.float32) * a[0]

        results = [None] * 4
        threads = [threading.Thread(target=lambda i=i: results.__setitem__(
            i, c.get_or_compute(x, fn))) for i in range(4)]
        for t in threads:
            t.start()
        wait_until(lambda: c.stats().compute_waits == 3, "3 waiting threads")
        release.set()
        for t in threads:
            t.join()
        assert len(calls) == 1
        expect = np.arange(512, dtype=np.float32) * x[0]
        for r in results:
            np.testing.assert_array_equal(r, expect)
        s = c.stats()
        assert (s.computes, s.compute_waits, s.compute_failures, s.inserts) == (1, 3, 0, 1)
        # Afterwards a hit: fn is not called again.
        np.testing.assert_array_equal(c.get_or_compute(x, lambda a: 1 / 0), expect)
        assert len(calls) == 1 and c.stats().hits == 1


@native_only
def test_get_or_compute_exception_propagates_and_nothing_is_stored():
    with libcore.EncoderCache() as c:
        x = audio(61)

        def boom(a):
            raise ValueError("encoder failed")

        with pytest.raises(ValueError, match="encoder failed") as ei:
            c.get_or_compute(x, boom)
        assert any(tb.name == "boom" for tb in ei.traceback)   # traceback intact
        assert x not in c
        s = c.stats()
        assert (s.computes, s.compute_failures, s.inserts) == (1, 1, 0)
        v = c.get_or_compute(x, lambda a: [1.0, 2.0])           # a later call computes
        np.testing.assert_array_equal(v, [1.0, 2.0])
        with pytest.raises(ValueError, match="dimensions"):
            c.get_or_compute(audio(62), lambda a: np.zeros((1, 1, 1, 1, 1)))
        with pytest.raises(LibcoreError) as ei:
            c.get_or_compute(audio(63), lambda a: np.zeros(0))
        assert_error(ei, "CORE_E_INVALID_ARGUMENT", "core_cache_writer_put")
        assert audio(62) not in c and audio(63) not in c


@native_only
def test_get_or_compute_waiters_get_the_failure():
    with libcore.EncoderCache() as c:
        x = audio(64)
        release = threading.Event()

        class Boom(Exception):
            pass

        def fn(a):
            release.wait()
            raise Boom("model crashed")

        errors = [None] * 3
        leader_error = []

        def leader():
            try:
                c.get_or_compute(x, fn)
            except Boom as e:
                leader_error.append(e)

        def waiter(i):
            wait_until(lambda: c.stats().computes == 1, "the leader")
            try:
                c.get_or_compute(x, lambda a: pytest.fail("a waiter computed"))
            except LibcoreError as e:
                errors[i] = e

        lt = threading.Thread(target=leader)
        lt.start()
        wts = [threading.Thread(target=waiter, args=(i,)) for i in range(3)]
        for t in wts:
            t.start()
        wait_until(lambda: c.stats().compute_waits == 3, "3 waiting threads")
        release.set()
        for t in [lt] + wts:
            t.join()
        assert len(leader_error) == 1
        for e in errors:
            assert isinstance(e, LibcoreError)
            assert e.name == "CORE_E_UNAVAILABLE"
            assert e.message.startswith("core_cache_get_or_compute:")
            assert isinstance(e.__cause__, Boom)
        assert x not in c


@native_only
def test_get_or_compute_nested_same_key_is_refused():
    with libcore.EncoderCache() as c:
        x = audio(65)
        with pytest.raises(LibcoreError) as ei:
            c.get_or_compute(x, lambda a: c.get_or_compute(a, lambda b: [1.0]))
        assert_error(ei, "CORE_E_INVALID_ARGUMENT", "core_cache_get_or_compute")
        assert "nested" in ei.value.message
        # Another key inside fn is fine.
        v = c.get_or_compute(x, lambda a: c.get_or_compute(audio(66), lambda b: [2.0]))
        np.testing.assert_array_equal(v, [2.0])


@native_only
def test_close_while_another_thread_computes():
    c = libcore.EncoderCache()
    x = audio(67)
    inside = threading.Event()
    release = threading.Event()
    result = []

    def fn(a):
        inside.set()
        release.wait()
        return [3.0]

    t = threading.Thread(target=lambda: result.append(c.get_or_compute(x, fn)))
    t.start()
    inside.wait()
    c.close()                                 # returns at once; the call goes on
    assert c.closed
    with pytest.raises(ValueError, match="closed"):
        c.get(x)
    release.set()
    t.join()
    np.testing.assert_array_equal(result[0], [3.0])
    for call in (lambda: c.put(x, [1.0]), lambda: len(c), lambda: c.stats(),
                 lambda: c.save("/tmp/x"), lambda: c.get_or_compute(x, fn), lambda: x in c):
        with pytest.raises(ValueError, match="closed"):
            call()
    c.close()


@native_only
def test_freed_when_unreferenced():
    c = libcore.EncoderCache(clock=lambda: 5)
    c.put(audio(68), [1.0])
    ref = weakref.ref(c)
    del c                                  # no reference cycle: freed (and closed) at once
    assert ref() is None


# -- options, metrics -----------------------------------------------------------------------

@native_only
def test_bad_options():
    for bad in ({"max_entries": 0, "max_bytes": 0}, {"shards": 3}, {"shards": 512}):
        with pytest.raises(LibcoreError) as ei:
            libcore.EncoderCache(**bad)
        assert_error(ei, "CORE_E_INVALID_ARGUMENT", "core_cache_create")
    with pytest.raises(ValueError):
        libcore.EncoderCache(decimals=11)
    with pytest.raises(ValueError):
        libcore.EncoderCache(max_entries=-1)


@native_only
def test_publishes_into_a_metrics_registry():
    with libcore.Metrics() as m, \
            libcore.EncoderCache(metrics=m, metrics_prefix="enc") as c:
        x = audio(70)
        c.get_or_compute(x, lambda a: [1.0])
        c.get(x)
        text = m.prometheus()
        assert "enc_hits_total 1" in text and "enc_misses_total 1" in text
        assert "enc_computes_total 1" in text and "enc_entries 1" in text
        assert "enc_compute_seconds_count 1" in text
