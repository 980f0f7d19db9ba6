"""libcore.stats and the reductions against NumPy on the same data, on the
backend of this run (see conftest.py).

count, nan_count, min and max are compared exactly; sum, mean, var and std
within 1e-12 relative of NumPy in float64 (libcore accumulates float32 in
float64, so the reference is NumPy on x.astype(float64)); the 1e8 + N(0,1)
case checks libcore's accuracy claim against an exact (Fraction) reference
on the native backend and the fallback's documented looser bound. Inputs
cover empty, single, block-crossing and parallel sizes, n-D, lists, ints,
float16, strided, read-only and byte-swapped arrays, NaN and infinities,
and real speech (jfk_16k.f32, when the test data is present).
"""

import ctypes
import math
from fractions import Fraction

import numpy as np
import pytest

import libcore
from libcore import _fallback, _native

F32, F64 = np.dtype(np.float32), np.dtype(np.float64)
SIZES = [1, 2, 7, 1000, 2048, 2049, 10007, 300_001]


def _check_stats(s, x, omit=False):
    """Asserts Stats s summarizes x (float64 reference) under the policy."""
    v = np.asarray(x, dtype=np.float64).reshape(-1)
    nan = np.isnan(v)
    assert s.nan_count == int(nan.sum())
    if omit:
        v = v[~nan]
    assert s.count == v.size
    if v.size == 0:
        assert s.sum == 0.0 and all(math.isnan(f) for f in (s.min, s.max, s.mean, s.m2))
        return
    if not omit and nan.any():
        assert all(math.isnan(f) for f in (s.min, s.max, s.sum, s.mean, s.m2))
        return
    assert s.min == v.min() and s.max == v.max()
    scale = np.abs(v).sum()
    assert abs(s.sum - v.sum()) <= 1e-12 * scale
    assert abs(s.mean - v.mean()) <= 1e-12 * scale / v.size
    for ddof in (0, 1, 2):
        ref = np.var(v, ddof=ddof) if v.size > ddof else math.nan
        if math.isnan(ref):
            assert math.isnan(s.var(ddof))
        else:
            assert s.var(ddof) == pytest.approx(ref, rel=1e-12, abs=1e-300)
            assert s.std(ddof) == pytest.approx(math.sqrt(ref), rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", [F32, F64])
def test_stats_matches_numpy(rng, n, dtype):
    x = (rng.standard_normal(n) * 3 + 1).astype(dtype)
    s = libcore.stats(x)
    assert isinstance(s, libcore.Stats)
    assert isinstance(s.count, int) and isinstance(s.mean, float)
    _check_stats(s, x)
    assert s.min == np.min(x) and s.max == np.max(x)        # exact, also vs float32 min


def test_stats_input_conversions(rng):
    x = rng.standard_normal(5000)
    ref = libcore.stats(x)
    # Lists, n-D, strided, read-only and byte-swapped: the same values.
    for y in (x.tolist(), x.reshape(50, 100), np.repeat(x, 2)[::2], x.astype(">f8")):
        assert libcore.stats(y) == ref
    ro = x.copy()
    ro.flags.writeable = False
    assert libcore.stats(ro) == ref
    assert libcore.stats(np.frombuffer(x.tobytes(), np.float64)) == ref
    # Non-float inputs are converted to float64.
    _check_stats(libcore.stats(np.arange(-50, 50, dtype=np.int16)), np.arange(-50, 50))
    _check_stats(libcore.stats([True, False, True]), [1.0, 0.0, 1.0])
    h = x[:100].astype(np.float16)
    _check_stats(libcore.stats(h), h.astype(np.float64))
    _check_stats(libcore.stats(np.float32(2.5)), [2.5])     # 0-d: one value


def test_stats_empty_nan_inf():
    for pol in ("propagate", "omit"):
        s = libcore.stats(np.empty(0, np.float32), pol)
        assert s.count == 0 and s.nan_count == 0 and s.sum == 0.0
        assert math.isnan(s.min) and math.isnan(s.mean) and math.isnan(s.var())
    x = np.array([1.0, np.nan, 2.0, 4.0], np.float32)
    _check_stats(libcore.stats(x), x)
    _check_stats(libcore.stats(x, nan_policy="omit"), x, omit=True)
    s = libcore.stats(x, "propagate")
    assert s.count == 4 and s.nan_count == 1
    s = libcore.stats([np.nan, np.nan], "omit")
    assert (s.count, s.nan_count, s.sum) == (0, 2, 0.0)
    s = libcore.stats([1.0, np.inf])
    assert s.mean == np.inf and s.max == np.inf and math.isnan(s.var())
    s = libcore.stats([-np.inf, np.inf])
    assert s.min == -np.inf and s.max == np.inf and math.isnan(s.mean)


def test_stats_accuracy_offset_data(rng, native):
    """1e8 + N(0,1): libcore's mean and variance within a few ulps of the
    exact values (stats.h convention 1); the fallback within 1e-9."""
    x = 1e8 + rng.standard_normal(100_000)
    exact_mean = sum(map(Fraction, x.tolist())) / x.size
    exact_m2 = sum((Fraction(v) - exact_mean) ** 2 for v in x.tolist())
    s = libcore.stats(x)
    mean_ulp = np.spacing(float(exact_mean))
    if native:
        assert abs(s.mean - float(exact_mean)) <= 4 * mean_ulp
        assert s.m2 == pytest.approx(float(exact_m2), rel=1e-13)
    else:
        assert abs(s.mean - float(exact_mean)) <= 64 * mean_ulp
        assert s.m2 == pytest.approx(float(exact_m2), rel=1e-9)


def test_stats_speech(testdata):
    x = np.fromfile(testdata("jfk_16k.f32"), np.float32)
    assert x.size > 100_000
    _check_stats(libcore.stats(x), x)


def test_stats_object_is_frozen_and_hashable():
    s = libcore.stats([1.0, 2.0, 4.0])
    with pytest.raises(AttributeError):
        s.mean = 3.0
    with pytest.raises(AttributeError):
        s.extra = 1
    assert hash(s) == hash(libcore.stats([1.0, 2.0, 4.0]))
    count, nan_count, mn, mx, total, mean, m2 = s
    assert (count, nan_count, mn, mx, total) == (3, 0, 1.0, 4.0, 7.0)
    assert "Stats(count=3" in repr(s)
    assert s.var() == pytest.approx(np.var([1.0, 2.0, 4.0]))
    assert s.var(ddof=3) != s.var(ddof=3)                   # count <= ddof: NaN
    assert s.var(np.int64(1)) == pytest.approx(np.var([1.0, 2.0, 4.0], ddof=1))
    with pytest.raises(ValueError):
        s.var(-1)
    with pytest.raises(TypeError):
        s.std(1.0)


def test_stats_merge(rng):
    a = rng.standard_normal(3000) + 5
    b = rng.standard_normal(1234) * 2
    m = libcore.stats(a).merge(libcore.stats(b))
    _check_stats(m, np.concatenate([a, b]))
    empty = libcore.stats([])
    assert libcore.stats(a).merge(empty) == libcore.stats(a)
    assert empty.merge(libcore.stats(a)) == libcore.stats(a)
    with pytest.raises(TypeError):
        libcore.stats(a).merge((1, 2))


def test_stats_merge_bit_identical_to_core_stats_merge(rng, needs_native):
    from libcore.stats import CoreStats
    lib = _native.library()
    cases = [(rng.standard_normal(100), rng.standard_normal(7) + 1e3),
             ([1.0, np.inf], [2.0]), ([np.nan], [1.0]), ([], [3.0, 4.0])]
    for a, b in cases:
        sa, sb = libcore.stats(a), libcore.stats(b)
        ca, cb, co = CoreStats(*sa), CoreStats(*sb), CoreStats()
        assert lib.core_stats_merge(ctypes.byref(ca), ctypes.byref(cb), ctypes.byref(co)) == 0
        got = sa.merge(sb)
        want = (co.count, co.nan_count, co.min, co.max, co.sum, co.mean, co.m2)
        assert [repr(v) for v in got] == [repr(v) for v in want]   # bitwise, NaN included


def test_stats_argument_errors():
    with pytest.raises(ValueError):
        libcore.stats([1.0], nan_policy="ignore")
    with pytest.raises(ValueError):
        libcore.stats([1.0], nan_policy=["omit"])
    with pytest.raises(TypeError):
        libcore.stats(np.array([1 + 2j]))
    with pytest.raises(TypeError):
        libcore.stats(np.array(["1.0"]))
    with pytest.raises(TypeError):
        libcore.stats(np.array([1.0, None]))


def test_native_error_carries_status_and_message(needs_native):
    """A C-level failure raises LibcoreError with libcore's own text."""
    lib = _native.library()
    from libcore.stats import CoreStats
    status = lib.core_stats_f32(None, 10, 0, ctypes.byref(CoreStats()))
    err = _native.error(status)
    assert (err.status, err.name) == (1, "CORE_E_INVALID_ARGUMENT")
    assert err.message.startswith("core_stats_f32:") and "NULL" in err.message
    with pytest.raises(libcore.LibcoreError) as info:
        _native.check(status)
    assert info.value.name == "CORE_E_INVALID_ARGUMENT"


# ---- two arrays and signal measures ------------------------------------------------

@pytest.mark.parametrize("n", [0, 1, 3, 1000, 300_001])
@pytest.mark.parametrize("dtype", [F32, F64])
def test_dot_energy_rms_match_numpy(rng, n, dtype):
    x = rng.standard_normal(n).astype(dtype)
    y = rng.standard_normal(n).astype(dtype)
    x64, y64 = x.astype(np.float64), y.astype(np.float64)
    scale = float(np.abs(x64 * y64).sum())
    assert abs(libcore.dot(x, y) - float(x64 @ y64)) <= 1e-12 * scale
    if n == 0:
        assert libcore.dot(x, y) == 0.0
        assert math.isnan(libcore.energy(x)) and math.isnan(libcore.rms(x))
        return
    assert libcore.energy(x) == pytest.approx(float(np.mean(x64 ** 2)), rel=1e-12)
    assert libcore.rms(x) == pytest.approx(float(np.sqrt(np.mean(x64 ** 2))), rel=1e-12)


def test_dot_mixed_dtypes_and_errors(rng):
    x = rng.standard_normal(100).astype(np.float32)
    y = rng.standard_normal(100)
    assert libcore.dot(x, y) == pytest.approx(float(x.astype(np.float64) @ y), rel=1e-12)
    assert libcore.dot(x.tolist(), list(range(100))) == pytest.approx(
        float(x.astype(np.float64) @ np.arange(100.0)), rel=1e-12)
    with pytest.raises(ValueError):
        libcore.dot(x, y[:99])
    with pytest.raises(ValueError):
        libcore.corrcoef([1.0, 2.0], [1.0])


@pytest.mark.parametrize("dtype", [F32, F64])
def test_corrcoef(rng, dtype):
    x = rng.standard_normal(5000)
    y = 0.6 * x + 0.8 * rng.standard_normal(5000)
    x, y = x.astype(dtype), y.astype(dtype)
    ref = np.corrcoef(x.astype(np.float64), y.astype(np.float64))[0, 1]
    assert libcore.corrcoef(x, y) == pytest.approx(ref, rel=1e-12)
    assert libcore.corrcoef(x, x) == pytest.approx(1.0, abs=1e-15)
    assert libcore.corrcoef(x, -x) == pytest.approx(-1.0, abs=1e-15)
    assert -1.0 <= libcore.corrcoef(x, x) <= 1.0
    # NaN where NumPy warns or gives a noisy +-1: constant, n < 2, NaN input.
    assert math.isnan(libcore.corrcoef(np.full(100, 0.1, dtype), y[:100]))
    assert math.isnan(libcore.corrcoef(x[:1], y[:1]))
    z = x.copy()
    z[10] = np.nan
    assert math.isnan(libcore.corrcoef(z, y))


def test_zero_crossing_rate(rng, testdata):
    x = rng.standard_normal(10001)
    x[::50] = 0.0
    x[1::77] = -0.0
    pos = x >= 0                                              # zero_pos=True, -0.0 too
    ref = np.count_nonzero(pos[1:] != pos[:-1]) / (x.size - 1)
    assert libcore.zero_crossing_rate(x) == ref
    assert libcore.zero_crossing_rate(x.astype(np.float32)) == ref
    assert math.isnan(libcore.zero_crossing_rate([1.0]))
    assert libcore.zero_crossing_rate([1.0, np.nan, 1.0]) == 1.0   # NaN counts as negative
    assert libcore.zero_crossing_rate([0.0, -0.0, 1.0]) == 0.0


# ---- percentile -------------------------------------------------------------------------

@pytest.mark.parametrize("n", [1, 2, 10, 1001, 50_000])
@pytest.mark.parametrize("dtype", [F32, F64])
def test_percentile_matches_numpy(rng, n, dtype):
    x = (rng.standard_normal(n) * 100).astype(dtype)
    qs = [0, 1, 12.5, 25, 50, 75, 99.9, 100]
    ref = np.percentile(x.astype(np.float64), qs)
    got = libcore.percentile(x, qs)
    assert isinstance(got, np.ndarray) and got.dtype == F64 and got.shape == (len(qs),)
    np.testing.assert_allclose(got, ref, rtol=1e-15, atol=0)
    assert libcore.percentile(x, 50) == pytest.approx(float(np.median(x.astype(np.float64))),
                                                      rel=1e-15)
    assert isinstance(libcore.percentile(x, 50), float)
    assert libcore.percentile(x, [[10, 20], [30, 40]]).shape == (2, 2)
    before = x.copy()
    libcore.percentile(x, 30)
    np.testing.assert_array_equal(x, before)                # x not modified


def test_percentile_nan_and_errors(core_error):
    x = np.array([3.0, np.nan, 1.0, 2.0])
    assert math.isnan(libcore.percentile(x, 50))
    assert libcore.percentile(x, 50, nan_policy="omit") == np.nanpercentile(x, 50)
    with core_error("CORE_E_EMPTY", "core_percentile_f64"):
        libcore.percentile([], 50)
    with core_error("CORE_E_EMPTY", "core_percentile_f32"):
        libcore.percentile(np.array([np.nan], np.float32), 50, nan_policy="omit")
    for q in (-1, 100.5, np.nan):
        with core_error("CORE_E_INVALID_ARGUMENT", "core_percentile_f64"):
            libcore.percentile([1.0, 2.0], q)
    with pytest.raises(TypeError):
        libcore.percentile([1.0], "50")
    with pytest.raises(ValueError):
        libcore.percentile([1.0], 50, nan_policy="nope")


# ---- the fallback against the native library (native run only) ----------------------

def test_fallback_matches_native(rng, needs_native):
    """The fallback's documented tolerances, checked against the library."""
    for n in (0, 1, 5, 2049, 100_000):
        for dt in (F32, F64):
            x = (rng.standard_normal(n) * 2 + 0.5).astype(dt)
            if n > 10:
                x[3] = np.nan
            for pol in (0, 1):
                nat = libcore.stats(x, ("propagate", "omit")[pol])
                fb = _fallback.stats(x, pol)
                assert nat[:4] == fb[:4] or [repr(v) for v in nat[:4]] == [repr(v) for v in fb[:4]]
                for a, b in zip(nat[4:], fb[4:]):
                    assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-12)
            y = rng.standard_normal(n).astype(dt)
            x2 = np.nan_to_num(x)
            assert _fallback.dot(x2, y) == pytest.approx(libcore.dot(x2, y), rel=1e-12, abs=1e-12)
            for name in ("energy", "rms"):
                a, b = getattr(_fallback, name)(x2), getattr(libcore, name)(x2)
                assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-12)
            a, b = _fallback.corrcoef(x2, y), libcore.corrcoef(x2, y)
            assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-12)
            a, b = _fallback.zero_crossing_rate(x), libcore.zero_crossing_rate(x)
            assert (math.isnan(a) and math.isnan(b)) or a == b
            if n:
                for q in (0, 33.3, 50, 100):
                    for pol in (0, 1):
                        a = _fallback.percentile(x, q, pol)
                        b = libcore.percentile(x, q, ("propagate", "omit")[pol])
                        assert repr(a) == repr(b)                # exact, NaN included


def test_stats_from_many_threads(rng):
    """stats() writes into a fresh buffer per call, and the C call runs
    without the GIL: concurrent calls must not see each other's results."""
    import threading
    arrays = [rng.standard_normal(1000 + 37 * i).astype(np.float32) for i in range(4)]
    refs = [libcore.stats(a) for a in arrays]
    bad = []

    def work(i):
        for _ in range(500):
            if libcore.stats(arrays[i]) != refs[i]:
                bad.append(i)
                return

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not bad
