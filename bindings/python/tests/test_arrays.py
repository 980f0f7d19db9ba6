"""libcore.arrays against NumPy on the same data, on whichever backend this
run uses (native or the NumPy fallback; see conftest.py).

Where array.h promises bit-exact results (arange, linspace, fill,
concatenate, PCM) the test asserts equality; elsewhere it asserts the
tolerance documented in libcore/_fallback.py, which is tighter on the
native backend. The error paths check the status name, code and message
prefix (the C function's name) of LibcoreError, and the Python exceptions
for bad dtypes, shapes, NaN policies and ddof. The last tests run the
fallback directly against the native library (native run only).
"""

from fractions import Fraction

import numpy as np
import pytest

import libcore
from libcore import _fallback

F32, F64 = np.dtype(np.float32), np.dtype(np.float64)


# ---- arange / linspace ------------------------------------------------------------

ARANGE_CASES = [(0, 10, 1), (0, 1, 0.1), (1, 0, -0.25), (-3.5, 7.25, 0.75),
                (0, 1e-320, 1e300), (5, 5, 1), (5, 1, 1), (1e6, 1e6 + 1, 1e-3),
                (0.0, 2.0 ** 20, 1.0)]


@pytest.mark.parametrize("start,stop,step", ARANGE_CASES)
@pytest.mark.parametrize("dtype", [F32, F64])
def test_arange_matches_numpy(start, stop, step, dtype):
    got = libcore.arange(start, stop, step, dtype=dtype)
    ref = np.arange(start, stop, step, dtype=np.float64)
    assert got.dtype == dtype and got.ndim == 1
    assert got.shape == ref.shape                       # NumPy's length rule
    # Element i is start + i*step in float64, rounded once.
    exact = start + np.arange(got.size, dtype=np.float64) * step
    np.testing.assert_array_equal(got, exact.astype(dtype))
    # ...which is NumPy's arange up to NumPy's own step rounding.
    np.testing.assert_allclose(got, ref.astype(dtype), rtol=1e-6 if dtype == F32 else 1e-12,
                               atol=abs(step) * 1e-9)


def test_arange_single_argument_and_dtype_agreement():
    np.testing.assert_array_equal(libcore.arange(5), np.arange(5.0))
    a32 = libcore.arange(0, 3, 0.1, dtype=np.float32)
    a64 = libcore.arange(0, 3, 0.1)
    np.testing.assert_array_equal(a32, a64.astype(np.float32))  # array.h convention 2


@pytest.mark.parametrize("args", [(0, 1, 0), (0, np.inf, 1), (np.nan, 1, 1), (0, 1, np.nan),
                                  (0, 1e300, 1e-300)])
def test_arange_invalid(args, core_error):
    with core_error("CORE_E_INVALID_ARGUMENT", "core_arange"):
        libcore.arange(*args)


def test_arange_bad_types():
    with pytest.raises(TypeError):
        libcore.arange(0, 10, dtype=np.int32)
    with pytest.raises(TypeError):
        libcore.arange("a", 10)


@pytest.mark.parametrize("num", [0, 1, 2, 5, 50, 1001])
@pytest.mark.parametrize("endpoint", [True, False])
@pytest.mark.parametrize("dtype", [F32, F64])
def test_linspace_matches_numpy(num, endpoint, dtype):
    for start, stop in [(0.0, 1.0), (-2.5, 7.125), (1e3, -1e-3)]:
        got = libcore.linspace(start, stop, num, endpoint, dtype=dtype)
        ref = np.linspace(start, stop, num, endpoint=endpoint, dtype=np.float64).astype(dtype)
        assert got.dtype == dtype
        np.testing.assert_array_equal(got, ref)
        if endpoint and num > 1:
            assert got[-1] == dtype.type(stop)


def test_linspace_errors(core_error):
    with core_error("CORE_E_INVALID_ARGUMENT", "core_linspace_f64"):
        libcore.linspace(0, np.inf, 5)
    with core_error("CORE_E_INVALID_ARGUMENT", "core_linspace_f32"):
        libcore.linspace(np.nan, 1, 5, dtype=np.float32)
    with pytest.raises(ValueError):
        libcore.linspace(0, 1, -1)
    with pytest.raises(TypeError):
        libcore.linspace(0, 1, 2.5)
    with pytest.raises(TypeError):
        libcore.linspace(0, 1, 5, dtype=np.complex128)


# ---- zeros / ones / full ----------------------------------------------------------

@pytest.mark.parametrize("shape", [0, 1, 7, 1000, (3, 4), (2, 0, 5)])
@pytest.mark.parametrize("dtype", [F32, F64])
def test_fill_family(shape, dtype):
    np.testing.assert_array_equal(libcore.zeros(shape, dtype=dtype), np.zeros(shape, dtype))
    np.testing.assert_array_equal(libcore.ones(shape, dtype=dtype), np.ones(shape, dtype))
    got = libcore.full(shape, 0.1, dtype=dtype)
    ref = np.full(shape, 0.1, dtype)
    assert got.dtype == dtype and got.shape == ref.shape
    np.testing.assert_array_equal(got, ref)
    assert np.isnan(libcore.full(shape, np.nan, dtype=dtype)).all()


def test_fill_errors():
    with pytest.raises(TypeError):
        libcore.zeros(3, dtype=np.int64)
    with pytest.raises(ValueError):
        libcore.ones(-1)
    with pytest.raises(TypeError):
        libcore.full(3, "x")


# ---- concatenate --------------------------------------------------------------------

def test_concatenate_dtypes(rng):
    a = rng.standard_normal(100).astype(np.float32)
    b = rng.standard_normal(3).astype(np.float32)
    c = rng.standard_normal(5)
    r = libcore.concatenate([a, b])
    assert r.dtype == F32
    np.testing.assert_array_equal(r, np.concatenate([a, b]))
    r = libcore.concatenate([a, c, b])
    assert r.dtype == F64                         # mixed -> float64
    np.testing.assert_array_equal(r, np.concatenate([a, c, b]))
    r = libcore.concatenate([[1, 2], np.arange(3, dtype=np.int16), a[::3]])
    assert r.dtype == F64
    np.testing.assert_array_equal(r, np.concatenate([[1, 2], np.arange(3), a[::3]]))
    r = libcore.concatenate([a, c], dtype=np.float32)
    assert r.dtype == F32
    np.testing.assert_array_equal(r, np.concatenate([a, c.astype(np.float32)]))
    r = libcore.concatenate([np.empty(0, np.float32), a, np.empty(0, np.float32)])
    np.testing.assert_array_equal(r, a)
    assert libcore.concatenate([np.empty(0)]).shape == (0,)


def test_concatenate_errors():
    with pytest.raises(ValueError):
        libcore.concatenate([])
    with pytest.raises(ValueError):
        libcore.concatenate([np.zeros((2, 2))])
    with pytest.raises(ValueError):
        libcore.concatenate([np.float64(1.0)])
    with pytest.raises(TypeError):
        libcore.concatenate([np.zeros(2, np.complex64)])


# ---- cumsum ---------------------------------------------------------------------------

def _exact_prefix(x):
    """The exact prefix sums of x, each rounded once to float64."""
    acc, out = Fraction(0), np.empty(x.size)
    for i, v in enumerate(x.astype(np.float64).tolist()):
        acc += Fraction(v)
        out[i] = float(acc)
    return out


@pytest.mark.parametrize("dtype", [F32, F64])
def test_cumsum_accuracy(rng, dtype, native):
    x = (rng.standard_normal(3000) * 10.0 ** rng.integers(-3, 4, 3000)).astype(dtype)
    got = libcore.cumsum(x)
    assert got.dtype == dtype and got.shape == (x.size,)
    exact = _exact_prefix(x)
    if dtype == F32:
        # Rounded once from an (at least) float64-accurate sum: within one
        # float32 ulp of the exact prefix sum, on both backends.
        np.testing.assert_array_max_ulp(got, exact.astype(np.float32), maxulp=1)
    elif native:
        np.testing.assert_array_max_ulp(got, exact, maxulp=1)   # array.h: within 1 ulp
    else:
        scale = np.cumsum(np.abs(x))
        assert np.all(np.abs(got - exact) <= 1e-15 * scale)     # _fallback.py tolerance
    # Better than NumPy's float32 running sum over a long array.
    if dtype == F32:
        y = np.full(1_000_000, 0.1, np.float32)
        ref = np.arange(1, y.size + 1) * float(np.float32(0.1))
        err_core = np.abs(libcore.cumsum(y) - ref).max()
        err_numpy = np.abs(np.cumsum(y) - ref).max()
        assert err_core < err_numpy / 100


def test_cumsum_special_values():
    x = np.array([1.0, np.nan, 2.0], np.float64)
    np.testing.assert_array_equal(libcore.cumsum(x), np.cumsum(x))
    x = np.array([1.0, np.inf, -1.0], np.float32)
    np.testing.assert_array_equal(libcore.cumsum(x), np.cumsum(x))
    # A float32 prefix past FLT_MAX is inf for that element only.
    big = np.float32(3e38)
    got = libcore.cumsum(np.array([big, big, -big], np.float32))
    assert got[0] == big and got[1] == np.inf and got[2] == big
    # n-D input is flattened (np.cumsum with axis=None); lists become float64.
    np.testing.assert_array_equal(libcore.cumsum([[1, 2], [3, 4]]), [1.0, 3.0, 6.0, 10.0])
    assert libcore.cumsum([]).shape == (0,)


# ---- normalize ------------------------------------------------------------------------

def _zscore(x, ddof, omit=False):
    v = x.astype(np.float64)
    m = np.nanmean(v) if omit else v.mean()
    s = np.nanstd(v, ddof=ddof) if omit else v.std(ddof=ddof)
    return (v - m) / s


@pytest.mark.parametrize("dtype", [F32, F64])
@pytest.mark.parametrize("ddof", [0, 1])
def test_normalize_matches_numpy(rng, dtype, ddof):
    x = (rng.standard_normal((40, 50)) * 3 + 7).astype(dtype)
    before = x.copy()
    got = libcore.normalize(x, ddof=ddof)
    np.testing.assert_array_equal(x, before)                # not in place by default
    assert got.dtype == dtype and got.shape == x.shape and got is not x
    ref = _zscore(x, ddof)
    if dtype == F32:
        np.testing.assert_array_max_ulp(got, ref.astype(np.float32), maxulp=1)
    else:
        np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-13)


def test_normalize_inplace_and_conversions(rng):
    x = rng.standard_normal(1000)
    ref = _zscore(x, 0)
    y = x.copy()
    assert libcore.normalize(y, inplace=True) is y           # the same buffer, no copy
    np.testing.assert_allclose(y, ref, rtol=1e-12, atol=1e-13)
    got = libcore.normalize([1, 2, 3, 4])                   # ints -> float64
    assert got.dtype == F64
    np.testing.assert_allclose(got, _zscore(np.array([1, 2, 3, 4.0]), 0), rtol=1e-14)
    with pytest.raises(ValueError):
        libcore.normalize(x[::2], inplace=True)              # strided: cannot be in place
    with pytest.raises(TypeError):
        libcore.normalize(np.arange(5), inplace=True)        # ints cannot be in place
    with pytest.raises(TypeError):
        libcore.normalize([1, 2, 3], inplace=True)


def test_normalize_nan_policies():
    x = np.array([1.0, np.nan, 3.0, 4.0, 8.0])
    assert np.isnan(libcore.normalize(x)).all()              # propagate: every element NaN
    got = libcore.normalize(x, nan_policy="omit")
    assert np.isnan(got[1])
    np.testing.assert_allclose(got, _zscore(x, 0, omit=True), rtol=1e-13)


def test_normalize_errors(core_error):
    x = np.full(10, 3.0)
    y = x.copy()
    with core_error("CORE_E_INVALID_ARGUMENT", "core_normalize_f64"):
        libcore.normalize(y, inplace=True)
    np.testing.assert_array_equal(y, x)                      # left unchanged
    with core_error("CORE_E_INVALID_ARGUMENT", "core_normalize_f32"):
        libcore.normalize(np.array([1.0], np.float32), ddof=1)
    with core_error("CORE_E_INVALID_ARGUMENT", "core_normalize_f64"):
        libcore.normalize([np.nan, np.nan], nan_policy="omit")
    assert libcore.normalize(np.empty(0)).shape == (0,)      # n == 0: a no-op
    with pytest.raises(ValueError):
        libcore.normalize([1.0, 2.0], ddof=-1)
    with pytest.raises(TypeError):
        libcore.normalize([1.0, 2.0], ddof=0.5)
    with pytest.raises(ValueError):
        libcore.normalize([1.0, 2.0], nan_policy="raise")
    with pytest.raises(TypeError):
        libcore.normalize(np.array([1 + 1j, 2]))


# ---- normal_pdf -----------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [F32, F64])
def test_normal_pdf_matches_formula(rng, dtype):
    x = (rng.standard_normal((7, 300)) * 4).astype(dtype)
    for mean, std in [(0.0, 1.0), (1.5, 0.25), (-3.0, 7.0)]:
        got = libcore.normal_pdf(x, mean, std)
        assert got.dtype == dtype and got.shape == x.shape
        z = (x.astype(np.float64) - mean) / std
        ref = np.exp(-0.5 * z * z) / (std * np.sqrt(2 * np.pi))
        if dtype == F32:
            np.testing.assert_array_max_ulp(got, ref.astype(np.float32), maxulp=2)
        else:
            np.testing.assert_allclose(got, ref, rtol=1e-14, atol=1e-300)
    special = libcore.normal_pdf(np.array([np.nan, np.inf, -np.inf], dtype))
    assert np.isnan(special[0]) and special[1] == 0 and special[2] == 0


@pytest.mark.parametrize("mean,std", [(np.nan, 1.0), (0.0, 0.0), (0.0, -1.0), (0.0, np.inf)])
def test_normal_pdf_errors(mean, std, core_error):
    with core_error("CORE_E_INVALID_ARGUMENT", "core_normal_pdf"):
        libcore.normal_pdf([0.0, 1.0], mean, std)


# ---- PCM ------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [F32, F64])
def test_pcm16_roundtrip_every_value(dtype):
    pcm = np.arange(-32768, 32768, dtype=np.int16)
    f = libcore.pcm16_to_float(pcm, dtype=dtype)
    assert f.dtype == dtype
    np.testing.assert_array_equal(f, pcm.astype(np.float64) / 32768)
    np.testing.assert_array_equal(libcore.float_to_pcm16(f), pcm)
    # Strided int16 is copied once; the shape is kept.
    g = libcore.pcm16_to_float(pcm.reshape(256, 256)[:, ::2], dtype=dtype)
    assert g.shape == (256, 128)
    np.testing.assert_array_equal(g, pcm.reshape(256, 256)[:, ::2] / 32768)


@pytest.mark.parametrize("dtype", [F32, F64])
def test_float_to_pcm16_rounding_and_clipping(rng, dtype):
    x = np.concatenate([rng.uniform(-1.2, 1.2, 5000),
                        np.array([0.5, 1.5, 2.5, -0.5, -1.5]) / 32768,  # halves: to even
                        [1.0, -1.0, np.nan, np.inf, -np.inf, 32767.5 / 32768]]).astype(dtype)
    got, clipped = libcore.float_to_pcm16(x, return_clipped=True)
    scaled = x.astype(np.float64) * 32768
    r = np.rint(scaled)
    expect_clipped = int(np.count_nonzero(~((r >= -32768) & (r <= 32767))))
    r[np.isnan(r)] = 0
    ref = np.clip(r, -32768, 32767).astype(np.int16)
    assert got.dtype == np.int16
    np.testing.assert_array_equal(got, ref)
    assert clipped == expect_clipped
    np.testing.assert_array_equal(got[5000:5005], [0, 2, 2, 0, -2])
    assert list(got[-6:]) == [32767, -32768, 0, 32767, -32768, 32767]


def test_pcm_errors():
    with pytest.raises(TypeError):
        libcore.pcm16_to_float(np.arange(3, dtype=np.int32))
    with pytest.raises(TypeError):
        libcore.pcm16_to_float([1, 2, 3])                   # a list is int64, not int16
    with pytest.raises(TypeError):
        libcore.pcm16_to_float(np.zeros(3, np.int16), dtype=np.float16)
    with pytest.raises(TypeError):
        libcore.float_to_pcm16(np.array(["a"]))


# ---- the fallback against the native library (native run only) ------------------------

def test_fallback_matches_native_exactly(rng, needs_native):
    for args in ARANGE_CASES:
        for dt in (F32, F64):
            np.testing.assert_array_equal(_fallback.arange(*map(float, args), dt),
                                          libcore.arange(*args, dtype=dt))
    for num, ep in [(0, True), (1, True), (7, False), (1001, True)]:
        for dt in (F32, F64):
            np.testing.assert_array_equal(_fallback.linspace(-1.5, 2.25, num, ep, dt),
                                          libcore.linspace(-1.5, 2.25, num, ep, dtype=dt))
    for dt in (F32, F64):
        x = rng.uniform(-1.1, 1.1, 10001).astype(dt)
        x[::97] = np.nan
        pcm, clipped = libcore.float_to_pcm16(x, return_clipped=True)
        fpcm, fclipped = _fallback.float_to_pcm16(x)
        np.testing.assert_array_equal(fpcm, pcm)
        assert fclipped == clipped
        p16 = np.arange(-32768, 32768, dtype=np.int16)
        np.testing.assert_array_equal(_fallback.pcm16_to_float(p16, dt),
                                      libcore.pcm16_to_float(p16, dtype=dt))


def test_fallback_matches_native_within_tolerance(rng, needs_native):
    for dt in (F32, F64):
        x = (rng.standard_normal(20000) * 5 + 2).astype(dt)
        nat = libcore.cumsum(x)
        fb = _fallback.cumsum(x)
        if dt == F32:
            np.testing.assert_array_max_ulp(fb, nat, maxulp=1)
        else:
            assert np.all(np.abs(fb - nat) <= 1e-15 * np.cumsum(np.abs(x)))
        nat = libcore.normalize(x, ddof=1)
        fb = _fallback.normalize(x.copy(), 1, 0)
        if dt == F32:
            np.testing.assert_array_max_ulp(fb, nat, maxulp=1)
        else:
            np.testing.assert_allclose(fb, nat, rtol=1e-12, atol=1e-13)
        nat = libcore.normal_pdf(x, 1.0, 3.0)
        fb = _fallback.normal_pdf(x, 1.0, 3.0)
        if dt == F32:
            np.testing.assert_array_max_ulp(fb, nat, maxulp=1)
        else:
            np.testing.assert_allclose(fb, nat, rtol=1e-14, atol=0)
