#!/usr/bin/env python3
"""Batch statistics: NumPy in a Python loop against core_batch_stats_f32.

Usage: bench_batch_numpy.py LIBCORE_SO [--arrays N] [--len L]

  LIBCORE_SO   path of the built libcore shared library (meson passes the
               `libcore` target; also read from $LIBCORE_PATH)

10,000 float32 arrays of 1,000 values (seeded), held as a Python list of
separate arrays, the way a service has them. The peers:

  numpy loop       for a in arrays: a.min(), a.max(), a.mean(), a.std()
                   (the "same four moments per array in a Python loop" of
                   issue 5; its target: libcore at least 50x faster)
  numpy stacked    np.stack once, then min/max/mean/std along axis 1: the
                   vectorized NumPy a user could write when the arrays have
                   one length (stacking included), for reference
  libcore call     one core_batch_stats_f32 call through ctypes, the
                   pointer and length tables built beforehand (a service
                   that reuses its buffers builds them once), on libcore's
                   default threads and on 1 thread
  + list marshal   the same call, with the tables built from the Python list
                   inside the timed region: reading each array's address
                   costs ~0.6 us in Python, which dominates
  + flat offsets   the arrays as rows of one buffer (what a binding taking a
                   flat array plus offsets gets): the tables are computed by
                   NumPy in microseconds, inside the timed region

Times are the best of several repeats (time.perf_counter); ratio = peer time
/ libcore time. Speed is REPORTED, never asserted. Exit non-zero when a
libcore call fails or its results disagree with NumPy (min/max exact; mean
and std within 1e-9 relative of a float64 NumPy reference). Exit 77
(meson's SKIP) when no Python interpreter with numpy can be found.
"""

import os
import sys

from bench_pycommon import ensure_numpy

ensure_numpy("LIBCORE_BENCH_BATCH_NUMPY_REEXEC")

import argparse  # noqa: E402
import ctypes  # noqa: E402
import gc  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from bench_pycommon import CoreStats, load_libcore  # noqa: E402

# name: (restype, argtypes), for load_libcore (which adds the status strings)
SIGNATURES = {
    "core_version": (ctypes.c_char_p, []),
    "core_set_num_threads": (ctypes.c_int, [ctypes.c_int]),
    "core_get_num_threads": (ctypes.c_int, []),
    "core_batch_stats_f32": (ctypes.c_int, [ctypes.POINTER(ctypes.c_void_p),
                                            ctypes.POINTER(ctypes.c_size_t),
                                            ctypes.c_size_t, ctypes.c_int,
                                            ctypes.POINTER(CoreStats)]),
}


def check(lib, status, what):
    if status != 0:
        raise RuntimeError(f"{what}: {lib.core_status_str(status).decode()}: "
                           f"{lib.core_last_error_message().decode()}")


def best_of(fn, repeats):
    best = float("inf")
    for _ in range(repeats):
        gc.disable()
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
        gc.enable()
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("libcore", nargs="?", default=os.environ.get("LIBCORE_PATH"))
    ap.add_argument("--arrays", type=int, default=10000)
    ap.add_argument("--len", type=int, default=1000)
    args = ap.parse_args()
    if not args.libcore:
        ap.error("give the path of libcore.so (or set LIBCORE_PATH)")
    lib = load_libcore(args.libcore, SIGNATURES)
    count, n = args.arrays, args.len
    rng = np.random.default_rng(2024)
    arrays = [rng.standard_normal(n, dtype=np.float32) * 3 + 7 for _ in range(count)]
    out = (CoreStats * count)()

    def numpy_loop():
        return [(a.min(), a.max(), a.mean(), a.std()) for a in arrays]

    def numpy_stacked():
        x = np.stack(arrays)
        return x.min(axis=1), x.max(axis=1), x.mean(axis=1), x.std(axis=1)

    vp_p = ctypes.POINTER(ctypes.c_void_p)
    sz_p = ctypes.POINTER(ctypes.c_size_t)

    def call(ptrs, lens):
        st = lib.core_batch_stats_f32(ptrs.ctypes.data_as(vp_p), lens.ctypes.data_as(sz_p),
                                      count, 0, out)
        check(lib, st, "core_batch_stats_f32")

    def tables_from_list():
        ptrs = np.array([a.__array_interface__["data"][0] for a in arrays], dtype=np.uintp)
        lens = np.array([a.size for a in arrays], dtype=np.uintp)
        return ptrs, lens

    ready = tables_from_list()
    flat = np.stack(arrays)  # built once: the data already live in one buffer

    def libcore_call():
        call(*ready)

    def libcore_list():
        call(*tables_from_list())

    def libcore_flat():
        base = flat.__array_interface__["data"][0]
        ptrs = base + np.arange(count, dtype=np.uintp) * np.uintp(flat.strides[0])
        call(ptrs, np.full(count, n, dtype=np.uintp))

    libcore_batch = libcore_call

    # Correctness first: every summary against a float64 NumPy reference.
    libcore_batch()
    for i in range(0, count, max(1, count // 200)):
        a, s = arrays[i], out[i]
        ref_mean = a.mean(dtype=np.float64)
        ref_std = a.std(dtype=np.float64)
        std = (s.m2 / s.count) ** 0.5
        if (s.count != n or s.min != float(a.min()) or s.max != float(a.max())
                or abs(s.mean - ref_mean) > 1e-9 * abs(ref_mean)
                or abs(std - ref_std) > 1e-9 * ref_std):
            print(f"MISMATCH at array {i}: libcore {s.min} {s.max} {s.mean} {std}, "
                  f"numpy {a.min()} {a.max()} {ref_mean} {ref_std}")
            return 1

    default_threads = lib.core_get_num_threads()
    t_loop = best_of(numpy_loop, 5)
    t_stack = best_of(numpy_stacked, 5)
    t_call = best_of(libcore_call, 50)
    t_list = best_of(libcore_list, 10)
    t_flat = best_of(libcore_flat, 50)
    check(lib, lib.core_set_num_threads(1), "core_set_num_threads")
    t_call1 = best_of(libcore_call, 50)
    check(lib, lib.core_set_num_threads(0), "core_set_num_threads")

    print(f"libcore {lib.core_version().decode()}, numpy {np.__version__}, "
          f"python {sys.version.split()[0]} ({sys.executable})")
    print(f"{count} float32 arrays of {n}: min, max, mean, std of each (best of repeats)")
    rows = [("numpy loop", t_loop), ("numpy stacked (axis=1)", t_stack),
            (f"libcore call, {default_threads} threads", t_call),
            ("libcore call, 1 thread", t_call1),
            (f"libcore + list marshal, {default_threads} thr", t_list),
            (f"libcore + flat offsets, {default_threads} thr", t_flat)]
    for name, t in rows:
        print(f"  {name:34s} {t * 1e3:9.3f} ms")
    print("ratios (numpy loop time / libcore time; target >= 50x):")
    for name, t in rows[2:]:
        r = t_loop / t
        print(f"  {name:34s} {r:7.1f}x   {'MET' if r >= 50 else 'NOT MET'}")
    print(f"  numpy stacked / libcore call      {t_stack / t_call:7.1f}x   (for reference)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
