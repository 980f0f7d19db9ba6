"""libcore.batch (batch_stats, frame_stats, stats_file, StatsAccumulator)
against stats() and NumPy on the same data, on the backend of this run.

batch.h promises every summary is bit for bit stats() of the same values:
asserted exactly for batch_stats and stats_file on both backends (the
fallback uses the same NumPy summary), and for frame_stats and the
accumulator with a declared total on the native backend (the fallback's
vectorized frames and Chan merges are held to 1e-12). The structure
layouts are checked against the C compiler's sizeof/offsetof when cc is
available (skipped with the reason when not).
"""

import ctypes
import math

import numpy as np
import pytest

import libcore
from libcore import batch as lbatch
from libcore.stats import STATS_DTYPE, CoreStats

F32, F64 = np.dtype(np.float32), np.dtype(np.float64)


def _same(a, b):
    """Two summaries bit for bit (NaN equal to NaN)."""
    return [repr(v) for v in a] == [repr(v) for v in b]


def _close(a, b, rel=1e-12):
    if tuple(a[:4]) != tuple(b[:4]) and not _same(a[:4], b[:4]):
        return False
    return all((math.isnan(p) and math.isnan(q)) or p == pytest.approx(q, rel=rel, abs=1e-12)
               for p, q in zip(a[4:], b[4:]))


# ---- batch_stats ---------------------------------------------------------------------

def test_batch_stats_equals_stats(rng):
    arrays = [rng.standard_normal(n).astype(dt)
              for n, dt in [(0, F32), (1, F64), (100, F32), (2049, F64), (200_000, F32),
                            (5, F32), (70_000, F64)]]
    arrays[3][7] = np.nan
    arrays += [[1, 2, 3], np.arange(12).reshape(3, 4), arrays[4][::3]]
    for pol in ("propagate", "omit"):
        r = libcore.batch_stats(arrays, pol)
        assert isinstance(r, libcore.StatsArray) and len(r) == len(arrays)
        for i, a in enumerate(arrays):
            assert _same(r[i], libcore.stats(a, pol)), i


def test_stats_array_api(rng):
    arrays = [rng.standard_normal(n) * (i + 1) for i, n in enumerate([10, 1, 500, 2])]
    r = libcore.batch_stats(arrays)
    assert r.count.dtype == np.uint64 and r.mean.dtype == np.float64
    np.testing.assert_array_equal(r.count, [a.size for a in arrays])
    np.testing.assert_array_equal(r.min, [a.min() for a in arrays])
    np.testing.assert_array_equal(r.max, [a.max() for a in arrays])
    np.testing.assert_allclose(r.mean, [a.mean() for a in arrays], rtol=1e-12)
    v1 = r.var(1)
    assert math.isnan(v1[1])                                 # count 1 <= ddof 1
    np.testing.assert_allclose(v1[[0, 2, 3]], [np.var(arrays[i], ddof=1) for i in (0, 2, 3)],
                               rtol=1e-12)
    np.testing.assert_allclose(r.std(), [np.std(a) for a in arrays], rtol=1e-12)
    assert [s.count for s in r] == [10, 1, 500, 2]
    assert isinstance(r[-1], libcore.Stats) and _same(r[-1], libcore.stats(arrays[-1]))
    assert len(r[1:3]) == 2 and _same(r[1:3][0], r[1])
    with pytest.raises(ValueError):
        r.mean[0] = 1.0                                      # read-only
    assert r.records.dtype == libcore.STATS_DTYPE
    assert len(libcore.batch_stats([])) == 0
    with pytest.raises(ValueError):
        r.var(-1)
    with pytest.raises(ValueError):
        libcore.batch_stats([[1.0]], nan_policy="x")
    with pytest.raises(TypeError):
        libcore.batch_stats([[1.0], ["a"]])


# ---- frame_stats ---------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [F32, F64])
@pytest.mark.parametrize("frame,hop", [(400, 160), (512, 512), (1, 1), (1000, 333), (10_000, 1)])
def test_frame_stats(rng, native, dtype, frame, hop):
    x = rng.standard_normal(16_000).astype(dtype)
    x[5000] = np.nan
    r = libcore.frame_stats(x, frame, hop)
    count = 1 + (x.size - frame) // hop
    assert len(r) == count
    # Against NumPy: sliding windows, NaN propagating per frame.
    w = np.lib.stride_tricks.sliding_window_view(x.astype(np.float64), frame)[::hop]
    with np.errstate(invalid="ignore"):
        np.testing.assert_allclose(r.mean, w.mean(axis=1), rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(r.var(), w.var(axis=1), rtol=1e-11, atol=1e-15)
    np.testing.assert_array_equal(r.max, w.max(axis=1))
    np.testing.assert_array_equal(r.nan_count, np.isnan(w).sum(axis=1))
    # Against stats() of each frame: bit for bit natively (batch.h), 1e-12 for the fallback.
    for i in sorted({0, count // 2, count - 1, 5000 // hop}):
        ref = libcore.stats(x[i * hop:i * hop + frame])
        assert _same(r[i], ref) if native else _close(r[i], ref), i


def test_frame_stats_defaults_and_errors(rng, core_error):
    x = rng.standard_normal(1000)
    r = libcore.frame_stats(x, 300)                          # hop = frame; partial frame dropped
    assert len(r) == 3
    with core_error("CORE_E_INVALID_ARGUMENT", "core_stats_frames"):
        libcore.frame_stats(x, 0)
    with core_error("CORE_E_INVALID_ARGUMENT", "core_stats_frames"):
        libcore.frame_stats(x, 10, 0)
    with core_error("CORE_E_INVALID_ARGUMENT", "core_stats_frames"):
        libcore.frame_stats(x, 1001)
    with pytest.raises(ValueError):
        libcore.frame_stats(x.reshape(10, 100), 10)
    with pytest.raises(ValueError):
        libcore.frame_stats(x, -1)
    with pytest.raises(TypeError):
        libcore.frame_stats(x, 10.5)


# ---- stats_file ------------------------------------------------------------------------

def test_stats_file(rng, tmp_path):
    x = rng.standard_normal(300_003).astype(np.float32)
    x[17] = np.nan
    path = tmp_path / "x.f32"
    x.tofile(path)
    for pol in ("propagate", "omit"):
        assert _same(libcore.stats_file(path, nan_policy=pol), libcore.stats(x, pol))
        assert _same(libcore.stats_file(str(path), 100, 5000, pol), libcore.stats(x[100:5100], pol))
    assert _same(libcore.stats_file(path, 300_000), libcore.stats(x[300_000:]))
    s = libcore.stats_file(path, x.size)                     # offset == n, count 0: empty
    assert s.count == 0


def test_stats_file_errors(tmp_path, core_error):
    with core_error("CORE_E_NOT_FOUND", "core_stats_file_f32"):
        libcore.stats_file(tmp_path / "missing.f32")
    with core_error("CORE_E_IO", "core_stats_file_f32"):
        libcore.stats_file(tmp_path)                         # a directory
    odd = tmp_path / "odd.f32"
    odd.write_bytes(b"\0" * 10)
    with core_error("CORE_E_FORMAT", "core_stats_file_f32"):
        libcore.stats_file(odd)
    ok = tmp_path / "ok.f32"
    np.zeros(8, np.float32).tofile(ok)
    with core_error("CORE_E_INVALID_ARGUMENT", "core_stats_file_f32"):
        libcore.stats_file(ok, 9)
    with core_error("CORE_E_INVALID_ARGUMENT", "core_stats_file_f32"):
        libcore.stats_file(ok, 4, 5)
    with pytest.raises(ValueError):
        libcore.stats_file(ok, -1)


def test_stats_file_speech(testdata):
    path = testdata("jfk_16k.f32")
    assert _same(libcore.stats_file(path), libcore.stats(np.fromfile(path, np.float32)))


# ---- StatsAccumulator ------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [F32, F64])
def test_accumulator_equals_stats(rng, native, dtype):
    x = rng.standard_normal(50_001).astype(dtype)
    whole = libcore.stats(x)
    cuts = [0, 1, 100, 2047, 2048, 9000, 30_000, x.size]
    acc = libcore.StatsAccumulator(total=x.size)
    for lo, hi in zip(cuts, cuts[1:]):
        acc.push(x[lo:hi])
        if hi == 9000:
            assert _close(acc.result(), libcore.stats(x[:9000]))   # readable while growing
    assert _same(acc.result(), whole) if native else _close(acc.result(), whole)
    # Unknown length: exact count/min/max, the rest to rounding (batch.h 4c).
    acc = libcore.StatsAccumulator()
    for chunk in np.array_split(x, 13):
        acc.push(chunk)
    assert _close(acc.result(), whole)


def test_accumulator_merge_copy_and_policies(rng):
    a, b = rng.standard_normal(3000), rng.standard_normal(777) + 3
    acc_a = libcore.StatsAccumulator("omit")
    acc_b = libcore.StatsAccumulator("omit")
    a[5] = np.nan
    acc_a.push(a)
    acc_b.push(b)
    fork = acc_a.copy()
    acc_a.merge(acc_b)
    assert _close(acc_a.result(), libcore.stats(np.concatenate([a, b]), "omit"))
    assert _close(fork.result(), libcore.stats(a, "omit"))   # the fork did not see b
    assert _close(acc_b.result(), libcore.stats(b))          # src unchanged
    acc_a.push(np.ones(3, np.float32))                       # a new segment: any dtype
    assert acc_a.result().count == a.size - 1 + b.size + 3
    empty = libcore.StatsAccumulator().result()
    assert empty.count == 0 and math.isnan(empty.mean)


def test_accumulator_errors(core_error):
    acc = libcore.StatsAccumulator(total=4)
    acc.push(np.ones(2, np.float32))
    with core_error("CORE_E_INVALID_ARGUMENT", "core_stats_acc_push_f64"):
        acc.push(np.ones(1, np.float64))                     # the other dtype
    with core_error("CORE_E_INVALID_ARGUMENT", "core_stats_acc_push_f32"):
        acc.push(np.ones(3, np.float32))                     # past the declared total
    assert acc.result().count == 2                           # left as it was
    with core_error("CORE_E_INVALID_ARGUMENT", "core_stats_acc_merge"):
        acc.merge(libcore.StatsAccumulator("omit"))
    with pytest.raises(TypeError):
        acc.merge(libcore.stats([1.0]))
    with pytest.raises(ValueError):
        libcore.StatsAccumulator("sometimes")
    with pytest.raises(ValueError):
        libcore.StatsAccumulator(total=-5)


# ---- layouts against the C compiler -------------------------------------------------------

_LAYOUT_C = r"""
#include <stddef.h>
#include <stdio.h>
#include <core/batch.h>
#include <core/stats.h>
#define F(T, f) printf(#T "." #f " %zu\n", offsetof(T, f))
int main(void) {
  printf("core_stats_t %zu\n", sizeof(core_stats_t));
  F(core_stats_t, count); F(core_stats_t, nan_count); F(core_stats_t, min);
  F(core_stats_t, max); F(core_stats_t, sum); F(core_stats_t, mean); F(core_stats_t, m2);
  printf("core_stats_acc_t %zu\n", sizeof(core_stats_acc_t));
  F(core_stats_acc_t, magic); F(core_stats_acc_t, nan_policy); F(core_stats_acc_t, dtype);
  F(core_stats_acc_t, total); F(core_stats_acc_t, pushed); F(core_stats_acc_t, depth);
  F(core_stats_acc_t, has_ref); F(core_stats_acc_t, ref); F(core_stats_acc_t, base);
  F(core_stats_acc_t, stack); F(core_stats_acc_t, pending);
  printf("core_stats_acc_node_t %zu\n", sizeof(core_stats_acc_node_t));
  return 0;
}
"""


def test_struct_layouts_match_c(c_layout):
    c = c_layout(_LAYOUT_C, "batch.h")
    assert c["core_stats_t"] == ctypes.sizeof(CoreStats) == STATS_DTYPE.itemsize
    for name, _ in CoreStats._fields_:
        assert c[f"core_stats_t.{name}"] == getattr(CoreStats, name).offset
        assert c[f"core_stats_t.{name}"] == STATS_DTYPE.fields[name][1]
    assert c["core_stats_acc_t"] == ctypes.sizeof(lbatch.CoreStatsAcc)
    assert c["core_stats_acc_node_t"] == ctypes.sizeof(lbatch._AccNode)
    for name, _ in lbatch.CoreStatsAcc._fields_:
        assert c[f"core_stats_acc_t.{name}"] == getattr(lbatch.CoreStatsAcc, name).offset
