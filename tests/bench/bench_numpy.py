#!/usr/bin/env python3
"""NumPy side by side with libcore, in one Python process, through ctypes.

Usage: bench_numpy.py LIBCORE_SO [--c-bench BENCH_CORE] [--quick]

  LIBCORE_SO   path of the built libcore shared library (meson passes the
               `libcore` target; also read from $LIBCORE_PATH)
  --c-bench    path of bench_core: runs its stats_f32/100 case to report the
               per-call time in C next to the ctypes figure
  --quick      stop at n = 1e6 (skips the 1e8 statistics)

The same float32 data (seeded) goes to both. Times are the best of several
repeats (time.perf_counter); ratio = numpy time / libcore time, so > 1 means
libcore is faster. Speed is REPORTED, never asserted. The script exits
non-zero only when a libcore call fails or its results disagree with NumPy
(min/max exact, mean/std within 1e-6 relative of a float64 reference).
Exit 77 (meson's SKIP) when no Python interpreter with numpy can be found.
"""

import os
import subprocess
import sys

from bench_pycommon import ensure_numpy

ensure_numpy("LIBCORE_BENCH_NUMPY_REEXEC")

import argparse  # noqa: E402
import ctypes  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from bench_pycommon import CoreStats, load_libcore  # noqa: E402

# ---- libcore through ctypes ------------------------------------------------

c_float_p = ctypes.POINTER(ctypes.c_float)
c_size_t_p = ctypes.POINTER(ctypes.c_size_t)
c_double_p = ctypes.POINTER(ctypes.c_double)
core_status = ctypes.c_int
CORE_NAN_PROPAGATE = 0


# name: (restype, argtypes), for load_libcore (which adds the status strings)
SIGNATURES = {
    "core_version": (ctypes.c_char_p, []),
    "core_simd_target": (ctypes.c_char_p, []),
    "core_set_num_threads": (core_status, [ctypes.c_int]),
    "core_get_num_threads": (ctypes.c_int, []),
    "core_stats_f32": (core_status, [c_float_p, ctypes.c_size_t, ctypes.c_int,
                                     ctypes.POINTER(CoreStats)]),
    "core_cumsum_f32": (core_status, [c_float_p, ctypes.c_size_t, c_float_p]),
    "core_arange_f32": (core_status, [ctypes.c_double, ctypes.c_double, ctypes.c_double,
                                      c_float_p, ctypes.c_size_t, c_size_t_p]),
    "core_linspace_f32": (core_status, [ctypes.c_double, ctypes.c_double, ctypes.c_size_t,
                                        ctypes.c_int, c_float_p]),
    "core_fill_f32": (core_status, [c_float_p, ctypes.c_size_t, ctypes.c_float]),
    "core_concat_f32": (core_status, [ctypes.POINTER(c_float_p), c_size_t_p,
                                      ctypes.c_size_t, c_float_p, ctypes.c_size_t,
                                      c_size_t_p]),
    "core_percentile_f32": (core_status, [c_float_p, ctypes.c_size_t, ctypes.c_double,
                                          ctypes.c_int, c_float_p, ctypes.c_size_t,
                                          c_double_p]),
}


class CoreError(RuntimeError):
    pass


def ok(lib, status, what):
    if status != 0:
        raise CoreError(f"{what} returned {lib.core_status_str(status).decode()} "
                        f"({status}): {lib.core_last_error_message().decode()}")


def fptr(a):
    assert a.dtype == np.float32 and a.flags.c_contiguous
    return a.ctypes.data_as(c_float_p)


# ---- timing ----------------------------------------------------------------

def _calibrate(fn, target):
    t0 = time.perf_counter()
    fn()
    first = time.perf_counter() - t0
    return first, max(1, int(target / max(first, 1e-9)))


def _run(fn, number):
    t0 = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - t0) / number


def best_time(fn, repeats=5, target=0.05, max_total=20.0):
    """Best seconds per call of fn() over `repeats` repeats of `number` calls,
    with `number` chosen so one repeat lasts about `target` seconds."""
    return best_pair(fn, None, repeats, target, max_total)[0]


def best_pair(fa, fb, repeats=5, target=0.05, max_total=20.0):
    """Best seconds per call of fa() and of fb(), their repeats alternating
    (A, B, A, B, ...) so that both see the same machine conditions."""
    gc_was = gc.isenabled()
    gc.disable()
    try:
        first_a, num_a = _calibrate(fa, target)
        first_b, num_b = _calibrate(fb, target) if fb else (0.0, 0)
        per_round = first_a * num_a + first_b * num_b
        if per_round * repeats > max_total:
            repeats = max(2, int(max_total / max(per_round, 1e-9)))
        best_a, best_b = first_a, first_b
        for _ in range(repeats):
            best_a = min(best_a, _run(fa, num_a))
            if fb:
                best_b = min(best_b, _run(fb, num_b))
        return best_a, best_b
    finally:
        if gc_was:
            gc.enable()


def fmt_t(s):
    if s < 1e-6:
        return f"{s * 1e9:7.1f} ns"
    if s < 1e-3:
        return f"{s * 1e6:7.2f} us"
    if s < 1.0:
        return f"{s * 1e3:7.2f} ms"
    return f"{s:7.3f} s "


def fmt_n(n):
    e = int(round(math.log10(n))) if n > 0 else 0
    return f"1e{e}" if 10 ** e == n else str(n)


ROWS = []


def row(op, n, t_np, t_core, note=""):
    ROWS.append((op, n, t_np, t_core, note))
    ratio = t_np / t_core if t_core > 0 else float("inf")
    print(f"  {op:<50} {fmt_n(n):>5}  numpy {fmt_t(t_np)}  libcore {fmt_t(t_core)}"
          f"  ratio {ratio:7.2f}  {note}", flush=True)


FAILURES = []


def fail(msg):
    FAILURES.append(msg)
    print(f"  MISMATCH: {msg}", flush=True)


def rel(a, b):
    return abs(a - b) / max(abs(b), 1e-300)


# ---- C per-call time from bench_core ---------------------------------------

def c_per_call_ns(bench_core):
    """Median ns/call of bench_core's stats_f32/100, or None."""
    if not bench_core or not os.path.exists(bench_core):
        return None
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "stats100.json")
        try:
            subprocess.run([bench_core, "--benchmark_filter=^stats_f32/100/",
                            "--benchmark_repetitions=5",
                            f"--benchmark_out={out}", "--benchmark_out_format=json"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=120, check=False)
            with open(out) as f:
                data = json.load(f)
        except (OSError, ValueError, subprocess.SubprocessError):
            return None
    mult = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
    found = None
    for b in data.get("benchmarks", []):
        if not b.get("name", "").startswith("stats_f32/100/"):
            continue
        t = b["real_time"] * mult.get(b.get("time_unit", "ns"), 1.0)
        if b.get("aggregate_name") == "median":
            return t
        if b.get("run_type") == "iteration":
            found = t if found is None else min(found, t)
    return found


# ---- the comparisons -------------------------------------------------------

def bench_stats(lib, x_all, sizes):
    print("\n(a) statistics: np.min + np.max + np.mean + np.std (4 calls) "
          "vs one core_stats_f32", flush=True)
    s = CoreStats()
    sref = ctypes.byref(s)
    for n in sizes:
        x = x_all[:n]
        px = fptr(x)
        big = n >= 10**8
        reps = 3 if big else 5

        def np_stats():
            return np.min(x), np.max(x), np.mean(x), np.std(x)

        def core_stats():
            st = lib.core_stats_f32(px, n, CORE_NAN_PROPAGATE, sref)
            if st:
                ok(lib, st, "core_stats_f32")

        t_np, t_core = best_pair(np_stats, core_stats, repeats=reps)
        row("stats_f32, libcore default threads", n, t_np, t_core)
        ok(lib, lib.core_set_num_threads(1), "core_set_num_threads(1)")
        try:
            t_np1, t_core1 = best_pair(np_stats, core_stats, repeats=reps)
        finally:
            ok(lib, lib.core_set_num_threads(0), "core_set_num_threads(0)")
        row("stats_f32, libcore 1 thread", n, t_np1, t_core1)

        # Values: min/max exact; mean/std within 1e-6 of a float64 reference.
        ok(lib, lib.core_stats_f32(px, n, CORE_NAN_PROPAGATE, sref), "core_stats_f32")
        mn, mx, mean32, std32 = np_stats()
        mean64 = float(np.mean(x, dtype=np.float64))
        std64 = float(np.std(x, dtype=np.float64))
        c_std = math.sqrt(s.m2 / s.count) if s.count else float("nan")
        if s.count != n or s.nan_count != 0:
            fail(f"stats n={n}: count {s.count} nan_count {s.nan_count}")
        if s.min != float(mn) or s.max != float(mx):
            fail(f"stats n={n}: min/max {s.min!r}/{s.max!r} vs numpy {float(mn)!r}/{float(mx)!r}")
        if rel(s.mean, mean64) > 1e-6 or rel(c_std, std64) > 1e-6:
            fail(f"stats n={n}: mean {s.mean!r} std {c_std!r} vs float64 reference "
                 f"{mean64!r} {std64!r}")
        print(f"      values: rel. diff vs float64 reference: libcore mean "
              f"{rel(s.mean, mean64):.1e} std {rel(c_std, std64):.1e}; numpy float32 mean "
              f"{rel(float(mean32), mean64):.1e} std {rel(float(std32), std64):.1e}; "
              f"min/max equal: {s.min == float(mn) and s.max == float(mx)}", flush=True)


def bench_cumsum(lib, x_all, n):
    print("\n(b) cumsum", flush=True)
    x = x_all[:n]
    out = np.empty(n, dtype=np.float32)
    out_np = np.empty(n, dtype=np.float32)
    px, po = fptr(x), fptr(out)

    def core():
        st = lib.core_cumsum_f32(px, n, po)
        if st:
            ok(lib, st, "core_cumsum_f32")

    row("np.cumsum(x) vs core_cumsum_f32", n, *best_pair(lambda: np.cumsum(x), core),
        "numpy allocates its output")
    row("np.cumsum(x, out=) vs core_cumsum_f32", n,
        *best_pair(lambda: np.cumsum(x, out=out_np), core))
    ok(lib, lib.core_cumsum_f32(px, n, po), "core_cumsum_f32")
    ref = np.cumsum(x, dtype=np.float64)
    err_core = float(np.max(np.abs(out - ref) / np.maximum(np.abs(ref), 1e-30)))
    err_np = float(np.max(np.abs(np.cumsum(x).astype(np.float64) - ref)
                          / np.maximum(np.abs(ref), 1e-30)))
    print(f"      values: max rel. diff vs float64 cumsum: libcore {err_core:.1e}, "
          f"numpy float32 {err_np:.1e}", flush=True)
    if err_core > 1e-6:
        fail(f"cumsum: libcore max relative error {err_core:.2e} > 1e-6")


def bench_create(lib, n):
    print("\n(c) array creation (NumPy allocates; libcore writes a preallocated buffer)",
          flush=True)
    out = np.empty(n, dtype=np.float32)
    out_np = np.empty(n, dtype=np.float32)
    out.fill(0.0)
    out_np.fill(0.0)
    po = fptr(out)
    ln = ctypes.c_size_t(0)
    lref = ctypes.byref(ln)

    def arange():
        st = lib.core_arange_f32(0.0, float(n), 1.0, po, n, lref)
        if st:
            ok(lib, st, "core_arange_f32")

    def linspace():
        st = lib.core_linspace_f32(0.0, 1.0, n, 1, po)
        if st:
            ok(lib, st, "core_linspace_f32")

    def fill():
        st = lib.core_fill_f32(po, n, 1.5)
        if st:
            ok(lib, st, "core_fill_f32")

    row("np.arange(0,n,1,float32) vs core_arange_f32", n,
        *best_pair(lambda: np.arange(0, n, 1, dtype=np.float32), arange))
    arange()
    if ln.value != n or not np.array_equal(out, np.arange(0, n, 1, dtype=np.float32)):
        fail("arange: libcore output differs from np.arange")

    row("np.linspace(0,1,n,float32) vs core_linspace_f32", n,
        *best_pair(lambda: np.linspace(0.0, 1.0, n, dtype=np.float32), linspace))
    linspace()
    ref = np.linspace(0.0, 1.0, n, dtype=np.float32)
    d = float(np.max(np.abs(out.astype(np.float64) - ref.astype(np.float64))))
    ndiff = int(np.count_nonzero(out != ref))
    print(f"      values: linspace max abs diff vs numpy {d:.1e} ({ndiff} elements differ)",
          flush=True)
    if d > 1e-6:
        fail(f"linspace: max abs diff {d:.2e} vs np.linspace")

    row("np.full(n,1.5,float32) vs core_fill_f32", n,
        *best_pair(lambda: np.full(n, 1.5, dtype=np.float32), fill))
    row("out.fill(1.5) (no alloc) vs core_fill_f32", n,
        *best_pair(lambda: out_np.fill(1.5), fill))
    fill()
    if not np.all(out == np.float32(1.5)):
        fail("fill: libcore output is not all 1.5")


def bench_concat(lib, x_all, n, parts_count=4):
    print(f"\n(d) concatenate ({parts_count} parts)", flush=True)
    x = x_all[:n]
    bounds = [n * i // parts_count for i in range(parts_count + 1)]
    # Separate arrays, as a user would concatenate (not views of one buffer).
    parts = [x[bounds[i]:bounds[i + 1]].copy() for i in range(parts_count)]
    out = np.empty(n, dtype=np.float32)
    out_np = np.empty(n, dtype=np.float32)
    out.fill(0.0)
    out_np.fill(0.0)
    parr = (c_float_p * parts_count)(*[fptr(p) for p in parts])
    larr = (ctypes.c_size_t * parts_count)(*[len(p) for p in parts])
    po = fptr(out)
    ln = ctypes.c_size_t(0)
    lref = ctypes.byref(ln)

    def core():
        st = lib.core_concat_f32(parr, larr, parts_count, po, n, lref)
        if st:
            ok(lib, st, "core_concat_f32")

    row("np.concatenate(parts) vs core_concat_f32", n,
        *best_pair(lambda: np.concatenate(parts), core), "numpy allocates its output")
    row("np.concatenate(parts, out=) vs core_concat_f32", n,
        *best_pair(lambda: np.concatenate(parts, out=out_np), core))
    core()
    if ln.value != n or not np.array_equal(out, np.concatenate(parts)):
        fail("concat: libcore output differs from np.concatenate")


def bench_percentile(lib, x_all, n, q=50.0):
    print("\n(e) percentile", flush=True)
    x = x_all[:n]
    scratch = np.empty(n, dtype=np.float32)
    scratch.fill(0.0)
    px, ps = fptr(x), fptr(scratch)
    res = ctypes.c_double(0.0)
    rref = ctypes.byref(res)

    def core():
        st = lib.core_percentile_f32(px, n, q, CORE_NAN_PROPAGATE, ps, n, rref)
        if st:
            ok(lib, st, "core_percentile_f32")

    row(f"np.percentile(x,{q:g}) vs core_percentile_f32", n,
        *best_pair(lambda: np.percentile(x, q), core))
    core()
    ref = float(np.percentile(x, q))
    ref64 = float(np.percentile(x.astype(np.float64), q))
    print(f"      values: libcore {res.value!r}, numpy {ref!r}, numpy on float64 {ref64!r}",
          flush=True)
    if rel(res.value, ref64) > 1e-6:
        fail(f"percentile: libcore {res.value!r} vs numpy {ref64!r}")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("libcore", nargs="?", default=os.environ.get("LIBCORE_PATH"),
                    help="path of the libcore shared library")
    ap.add_argument("--c-bench", default=None, help="path of bench_core")
    ap.add_argument("--quick", action="store_true", help="stop at n = 1e6")
    args = ap.parse_args()
    if not args.libcore:
        ap.error("the path of the libcore shared library is required "
                 "(argument or $LIBCORE_PATH)")

    lib = load_libcore(os.path.abspath(args.libcore), SIGNATURES)
    print(f"libcore {lib.core_version().decode()} ({args.libcore}), SIMD target "
          f"{lib.core_simd_target().decode()}, default threads {lib.core_get_num_threads()}")
    print(f"numpy {np.__version__}, python {sys.version.split()[0]} ({sys.executable}), "
          f"cpus {os.cpu_count()}")
    print("ratio = numpy time / libcore time (> 1: libcore faster). Times: best of "
          "several repeats, per call, the numpy and libcore repeats alternating. NumPy runs "
          "these on one thread.")

    t_start = time.perf_counter()
    stat_sizes = [100, 10**4, 10**6] + ([] if args.quick else [10**8])
    n_max = max(stat_sizes + [10**7])
    rng = np.random.default_rng(20240601)
    x_all = rng.standard_normal(n_max, dtype=np.float32)
    x_all *= np.float32(2.0)
    x_all += np.float32(5.0)
    print(f"data: {n_max:.0e} float32 samples of N(5, 2), seed 20240601 "
          f"({time.perf_counter() - t_start:.1f} s to generate)", flush=True)

    # ctypes overhead: a call with no arguments and no work.
    t_ctypes = best_time(lib.core_get_num_threads)
    print(f"ctypes overhead: an argument-less call (core_get_num_threads) costs "
          f"{fmt_t(t_ctypes).strip()}; a call with pointer arguments such as core_stats_f32 "
          "typically 0.3-0.7 us, which dominates the libcore time at n = 100 (compare "
          "with the C per-call time in the summary)", flush=True)

    try:
        bench_stats(lib, x_all, stat_sizes)
        bench_cumsum(lib, x_all, 10**7)
        bench_create(lib, 10**7)
        bench_concat(lib, x_all, 10**7)
        bench_percentile(lib, x_all, 10**6)
    except CoreError as e:
        print(f"\nFAILED: {e}")
        return 1

    c_ns = c_per_call_ns(args.c_bench)
    print("\n==== summary: numpy vs libcore (one process, same data) ====")
    print(f"  {'operation':<50} {'n':>5}  {'numpy':>10}  {'libcore':>10}  {'numpy/libcore':>13}")
    for op, n, t_np, t_core, note in ROWS:
        print(f"  {op:<50} {fmt_n(n):>5}  {fmt_t(t_np):>10}  {fmt_t(t_core):>10}  "
              f"{t_np / t_core:13.2f}  {note}")
    print("\nnotes:")
    print(f"  - every libcore time includes the ctypes call (an argument-less call costs "
          f"{fmt_t(t_ctypes).strip()} here; calls with pointer arguments typically 0.3-0.7 us); "
          "at n = 100 that overhead dominates. Pointers are converted once, outside the timing.")
    if c_ns is not None:
        t100 = [r[3] for r in ROWS if r[0].startswith("stats_f32, libcore default") and r[1] == 100]
        extra = ""
        if t100:
            extra = (f"; through ctypes here {t100[0] * 1e9:.0f} ns, so ctypes costs about "
                     f"{t100[0] * 1e9 - c_ns:.0f} ns of it")
        print(f"  - core_stats_f32 at n = 100 called from C (bench_core stats_f32/100): "
              f"{c_ns:.1f} ns/call{extra}.")
    else:
        print("  - per-call time in C: see bench_core's stats_f32/100 (not run here)")
    print("  - np.std alone makes two passes and a temporary array; NumPy computes the "
          "float32 statistics in float32, libcore in float64.")
    print(f"  - total time {time.perf_counter() - t_start:.0f} s")

    if FAILURES:
        print(f"\nFAILED: {len(FAILURES)} result mismatch(es):")
        for f in FAILURES:
            print(f"  - {f}")
        return 1
    print("\nall libcore results agree with NumPy (see 'values' lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
