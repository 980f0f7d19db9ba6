"""libcore.RingBuffer against the ring.h contract: round trips (float32 zero
copy, int16 converted v / 32768, other dtypes copied), read / read_into /
peek / latest / skip / clear, the reject and overwrite policies (drops
counted), a producer and a consumer thread, error statuses and messages,
use after close, metrics publishing, and the ctypes mirror of
core_ring_options_t.

Runs under both backends: with the native library every test of the class
runs; under the NumPy fallback (LIBCORE_DISABLE=1) only
test_unavailable_under_numpy does, and the others are reported as skipped.
"""

import ctypes
import weakref
import threading

import numpy as np
import pytest

import libcore
from libcore import LibcoreError, LibcoreUnavailable

NATIVE = libcore.backend() == "native"
native_only = pytest.mark.skipif(not NATIVE, reason="NumPy backend: RingBuffer raises "
                                 "LibcoreUnavailable (test_unavailable_under_numpy)")


@pytest.mark.skipif(NATIVE, reason="the native library is loaded")
def test_unavailable_under_numpy():
    with pytest.raises(LibcoreUnavailable, match="RingBuffer needs the native libcore") as ei:
        libcore.RingBuffer(16)
    assert "looked for" in str(ei.value)          # what was looked for, and why it failed


def assert_error(excinfo, name, function):
    e = excinfo.value
    assert e.name == name, str(e)
    assert e.message.startswith(function + ":"), e.message


@native_only
def test_options_struct_matches_c():
    from libcore.ring import RingOptions
    lib = libcore._native.library()
    o = RingOptions()
    assert lib.core_ring_options_init(ctypes.byref(o)) == 0
    assert o.struct_size == ctypes.sizeof(RingOptions)
    assert (o.capacity, o.policy, o.mirror) == (0, 0, 0)


@native_only
def test_float32_round_trip_and_partial_reads():
    with libcore.RingBuffer(100) as r:
        assert (r.capacity, len(r), r.space, r.policy, r.dropped) == (100, 0, 100, "reject", 0)
        x = np.arange(60, dtype=np.float32) / 7
        r.append(x)
        assert len(r) == 60 and r.space == 40
        a = r.read(25)
        assert a.dtype == np.float32 and a.shape == (25,)
        np.testing.assert_array_equal(a, x[:25])
        b = r.read()                      # everything left
        np.testing.assert_array_equal(b, x[25:])
        assert len(r) == 0
        c = r.read(10)                    # empty ring: an empty array, not an error
        assert c.shape == (0,) and c.dtype == np.float32


@native_only
def test_values_are_stored_bit_for_bit():
    special = np.array([np.nan, np.inf, -np.inf, -0.0, 3.5, -7e30, 1e-45], dtype=np.float32)
    with libcore.RingBuffer(16) as r:
        r.append(special)
        got = r.read()
    assert got.tobytes() == special.tobytes()


@native_only
def test_int16_is_converted_exactly():
    pcm = np.array([-32768, -1, 0, 1, 16384, 32767], dtype=np.int16)
    with libcore.RingBuffer(16) as r:
        r.append(pcm)
        got = r.read()
    np.testing.assert_array_equal(got, pcm.astype(np.float32) / np.float32(32768))
    assert got[0] == -1.0 and got[-1] == np.float32(32767 / 32768)


@native_only
def test_other_inputs_are_converted_once():
    with libcore.RingBuffer(64) as r:
        r.append([0.5, 1.5])                              # a list
        r.append(np.array([0.1, 0.2], dtype=np.float64))  # float64
        strided = np.arange(10, dtype=np.float32)[::2]    # not contiguous
        r.append(strided)
        r.append(np.arange(6, dtype=np.float32).reshape(2, 3))   # 2-D: flat, C order
        got = r.read()
    expect = np.concatenate([[0.5, 1.5], np.float32([0.1, 0.2]), strided,
                             np.arange(6)]).astype(np.float32)
    np.testing.assert_array_equal(got, expect)


@native_only
def test_read_into_fills_the_callers_buffer():
    out = np.full(8, -1.0, dtype=np.float32)
    with libcore.RingBuffer(32) as r:
        r.append(np.arange(5, dtype=np.float32))
        assert r.read_into(out) == 5
        np.testing.assert_array_equal(out[:5], np.arange(5))
        assert (out[5:] == -1).all()                  # untouched past the count
        assert r.read_into(out) == 0                  # empty
        r.append(np.arange(20, dtype=np.float32))
        assert r.read_into(out) == 8                  # at most out.size
        np.testing.assert_array_equal(out, np.arange(8))
        with pytest.raises(TypeError):
            r.read_into(np.empty(4, dtype=np.float64))
        with pytest.raises(TypeError):
            r.read_into(np.empty(8, dtype=np.float32)[::2])
        ro = np.empty(4, dtype=np.float32)
        ro.flags.writeable = False
        with pytest.raises(TypeError):
            r.read_into(ro)
        assert len(r) == 12                            # the refused calls consumed nothing


@native_only
def test_peek_latest_skip_clear():
    x = np.arange(10, dtype=np.float32)
    with libcore.RingBuffer(16) as r:
        r.append(x)
        np.testing.assert_array_equal(r.peek(3), x[:3])
        np.testing.assert_array_equal(r.peek(), x)          # everything, not consumed
        np.testing.assert_array_equal(r.latest(4), x[-4:])
        assert len(r) == 10
        r.skip(4)
        np.testing.assert_array_equal(r.peek(2), x[4:6])
        with pytest.raises(LibcoreError) as ei:
            r.peek(7)
        assert_error(ei, "CORE_E_EMPTY", "core_ring_read")
        with pytest.raises(LibcoreError) as ei:
            r.skip(7)
        assert_error(ei, "CORE_E_EMPTY", "core_ring_consume")
        assert len(r) == 6
        r.clear()
        assert len(r) == 0 and r.dropped == 0


@native_only
def test_reject_policy_writes_all_or_nothing():
    with libcore.RingBuffer(10, "reject") as r:
        r.append(np.ones(8, np.float32))
        with pytest.raises(LibcoreError) as ei:
            r.append(np.ones(3, np.float32))
        assert_error(ei, "CORE_E_FULL", "core_ring_append_f32")
        assert ei.value.status == 4
        assert r.try_append(np.ones(3, np.float32)) is False
        assert len(r) == 8 and r.dropped == 0
        assert r.try_append(np.ones(2, np.float32)) is True
        with pytest.raises(LibcoreError) as ei:
            r.append(np.ones(11, np.float32))         # can never fit: the message says so
        assert "capacity" in ei.value.message


@native_only
def test_overwrite_policy_counts_drops():
    with libcore.RingBuffer(100, policy="overwrite") as r:
        assert r.policy == "overwrite"
        x = np.arange(250, dtype=np.float32)
        for i in range(0, 250, 50):
            r.append(x[i:i + 50])
        assert len(r) == 100 and r.dropped == 150
        np.testing.assert_array_equal(r.read(), x[150:])
        r.append(np.arange(300, dtype=np.float32))     # more than the capacity at once
        assert r.dropped == 350
        np.testing.assert_array_equal(r.read(), np.arange(200, 300, dtype=np.float32))


@native_only
def test_waits_time_out_and_succeed():
    with libcore.RingBuffer(8) as r:
        assert r.wait_readable(1, timeout=0) is False
        assert r.wait_writable(8, timeout=0) is True
        r.append(np.ones(8, np.float32))
        assert r.wait_readable(8, timeout=0) is True
        assert r.wait_writable(1, timeout=0.001) is False
        with pytest.raises(LibcoreError) as ei:
            r.wait_readable(9, timeout=0)              # never satisfiable
        assert_error(ei, "CORE_E_INVALID_ARGUMENT", "core_ring_wait_readable")


@native_only
def test_producer_and_consumer_threads():
    """One producer thread, one consumer thread, no lock: every sample
    arrives once, in order (the waits release the GIL)."""
    chunks, chunk = 400, 97
    total = chunks * chunk
    got = np.empty(total, np.float32)
    with libcore.RingBuffer(1000) as r:
        def produce():
            for i in range(chunks):
                x = np.arange(i * chunk, (i + 1) * chunk, dtype=np.float32)
                while not r.try_append(x):
                    r.wait_writable(chunk, timeout=1.0)

        def consume():
            pos = 0
            buf = np.empty(128, np.float32)
            while pos < total:
                n = r.read_into(buf)
                if n == 0:
                    r.wait_readable(1, timeout=1.0)
                    continue
                got[pos:pos + n] = buf[:n]
                pos += n

        threads = [threading.Thread(target=produce), threading.Thread(target=consume)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert r.dropped == 0
    np.testing.assert_array_equal(got, np.arange(total, dtype=np.float32))


@native_only
def test_bad_options():
    with pytest.raises(LibcoreError) as ei:
        libcore.RingBuffer(0)
    assert_error(ei, "CORE_E_INVALID_ARGUMENT", "core_ring_create")
    with pytest.raises(LibcoreError) as ei:
        libcore.RingBuffer((1 << 32) + 1)
    assert_error(ei, "CORE_E_INVALID_ARGUMENT", "core_ring_create")
    with pytest.raises(ValueError):
        libcore.RingBuffer(16, policy="sometimes")
    with pytest.raises(ValueError):
        libcore.RingBuffer(-5)


@native_only
def test_use_after_close_raises():
    r = libcore.RingBuffer(16)
    r.append(np.ones(4, np.float32))
    r.close()
    r.close()                                          # idempotent
    assert r.closed
    for call in (lambda: r.append(np.ones(2, np.float32)), lambda: r.read(2),
                 lambda: r.read_into(np.empty(2, np.float32)), lambda: r.peek(),
                 lambda: r.latest(1), lambda: r.skip(1), lambda: r.clear(), lambda: len(r),
                 lambda: r.space, lambda: r.dropped, lambda: r.capacity,
                 lambda: r.wait_readable(1, 0), lambda: r.try_append([1.0])):
        with pytest.raises(ValueError, match="closed"):
            call()
    assert "closed" in repr(r)
    with libcore.RingBuffer(4) as r2:
        pass
    with pytest.raises(ValueError, match="closed"):
        r2.read()


@native_only
def test_dropping_the_last_reference_frees_it():
    # __del__ destroys: many rings created and dropped without close(),
    # each at once (no reference cycle).
    for _ in range(200):
        r = libcore.RingBuffer(1 << 16)
        r.append(np.ones(10, np.float32))
        ref = weakref.ref(r)
        del r
        assert ref() is None


@native_only
def test_publishes_into_a_metrics_registry():
    m = libcore.Metrics()
    r = libcore.RingBuffer(10, "overwrite", metrics=m, metrics_prefix="mic")
    r.append(np.ones(15, np.float32))
    text = m.prometheus()
    assert "mic_appended_total 15" in text
    assert "mic_dropped_total 5" in text
    assert "mic_capacity 10" in text
    # The registry closed first stays alive in C while the ring uses it.
    m.close()
    r.append(np.ones(3, np.float32))
    assert r.dropped == 8
    r.close()
    with pytest.raises(LibcoreError) as ei:          # the prefix is taken in m2
        m2 = libcore.Metrics()
        libcore.RingBuffer(4, metrics=m2)
        libcore.RingBuffer(4, metrics=m2)
    assert_error(ei, "CORE_E_INVALID_ARGUMENT", "core_ring_create")
