#!/usr/bin/env python3
"""The libcore Python package's stateful classes (bindings/python/libcore)
against the Python patterns they replace, measured side by side in one run.

Usage: bench_python_classes.py [LIBCORE_SO] [--quick]

  LIBCORE_SO  the libcore shared library to load (meson passes the `libcore`
              target; else $LIBCORE_LIBRARY, else libcore.so.1 from the
              loader path). The package is imported from this source tree
              (bindings/python), as a user would import it.
  --quick     fewer repeats

Cases (each side timed alternately, the best of several repeats, GC off):
  ring      RingBuffer.append + read of 1024 float32 per step vs the NumPy
            preallocated ring of bench_ring_numpy.py (slices split at the
            wrap), both returning a new array per read, and both reading
            into a preallocated buffer (read_into). Target >= 5x.
  key       EncoderCache.key(audio) of 1 s at 16 kHz vs
            hashlib.sha256(np.round(audio * 32767).astype(np.int16)
            .tobytes()).digest(); also 20 ms. Target >= 10x.
  timer     `with m.time("stage"):` vs the inline Python pattern
            `t0 = time.perf_counter(); ...; hist.append(time.perf_counter()
            - t0)`; a class-based Python timer context manager and
            contextlib.contextmanager for reference. Target >= 3x cheaper.
  logmel    LogMel(80).compute on the JFK clip padded to 30 s (Whisper's
            input) vs NumPy float32: strided frames, periodic Hann,
            np.fft.rfft, |X|^2, mel matmul, log10, Whisper's clamp.
  buffer    accumulating 10 s of audio from 20 ms chunks, then taking it:
            an np.concatenate growing buffer vs RingBuffer append + read.

Speed is REPORTED, never asserted: the script exits 1 only when a libcore
call fails or a result is wrong, 77 (meson's SKIP) without a Python that
has numpy. Every ratio is python time / libcore time ("x faster").
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from bench_pycommon import ensure_numpy  # noqa: E402

ensure_numpy("LIBCORE_BENCH_PYCLASSES_REEXEC")

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse  # noqa: E402
import contextlib  # noqa: E402
import gc  # noqa: E402
import hashlib  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from bench_ring_numpy import NumpyRing, NumpyWrapRing  # noqa: E402

TARGETS = {"ring": 5.0, "key": 10.0, "timer": 3.0}
SR = 16000


def best_per_call(fns, calls, repeats):
    """{name: best seconds per call}; the functions run alternately, each
    `calls` times per repeat, so a load change on the machine hits all."""
    best = {name: float("inf") for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            gc.disable()
            t0 = time.perf_counter()
            for _ in range(calls):
                fn()
            dt = time.perf_counter() - t0
            gc.enable()
            best[name] = min(best[name], dt / calls)
    return best


def fmt_t(s):
    return f"{s * 1e6:9.2f} us" if s < 1e-3 else f"{s * 1e3:9.2f} ms"


def row(name, t_py, t_lc, target=None):
    ratio = t_py / t_lc
    verdict = ""
    if target is not None:
        verdict = f"  target >= {target:.0f}x: {'MET' if ratio >= target else 'NOT MET'}"
    print(f"  {name:<44} python {fmt_t(t_py)}  libcore {fmt_t(t_lc)}  {ratio:6.2f}x{verdict}")
    return ratio


def fail(msg):
    print(f"FAIL: {msg}")
    sys.exit(1)


def bench_ring(libcore, repeats, quick):
    cap, chunk = 65536, 1024
    x = np.arange(chunk, dtype=np.float32) * np.float32(0.001)
    out = np.empty(chunk, np.float32)
    nr = NumpyRing(cap)
    ring = libcore.RingBuffer(cap)
    # Correctness first, over a few laps of the ring.
    for i in range(3 * cap // chunk):
        y = x + np.float32(i)
        ring.append(y)
        if not np.array_equal(ring.read(chunk), y):
            fail("RingBuffer returned wrong samples")
        if not (nr.write(y) and nr.read(out)) or not np.array_equal(out, y):
            fail("the NumPy ring returned wrong samples")

    def np_new():
        nr.write(x)
        o = np.empty(chunk, np.float32)
        nr.read(o)
        return o

    def np_into():
        nr.write(x)
        nr.read(out)

    # The other idiom (np.put / np.take with mode="wrap"), which the C ring
    # benchmark's issue figure (3.76 us) was measured with.
    wr = NumpyWrapRing(cap)

    def np_wrap_into():
        wr.write(x)
        wr.read(out)

    def lc_new():
        ring.append(x)
        return ring.read(chunk)

    def lc_into():
        ring.append(x)
        ring.read_into(out)

    calls = 5000 if quick else 20000
    t = best_per_call({"np_new": np_new, "np_into": np_into, "lc_new": lc_new,
                       "lc_into": lc_into, "np_wrap_into": np_wrap_into}, calls, repeats)
    # The floor: the two C calls alone, through the same ctypes functions.
    app, pop, h, gotp = ring._app, ring._pop, ring._h, ring._gotp
    from libcore._arrays import fast_address
    xa, oa = fast_address(x), fast_address(out)
    floor = best_per_call({"f": lambda: (app(h, xa, chunk), pop(h, oa, chunk, gotp))},
                          calls, repeats)["f"]
    ring.close()
    print(f"ring: {chunk} float32 appended then read per step, ring of {cap}")
    r = row("append + read(1024) -> new array", t["np_new"], t["lc_new"], TARGETS["ring"])
    row("append + read_into(out)", t["np_into"], t["lc_into"])
    row("append + read_into(out) vs the np.put/np.take ring", t["np_wrap_into"], t["lc_into"])
    print(f"    floor: the two ctypes calls alone (append_f32 + pop) {fmt_t(floor)}; "
          f"the NumPy ring step is {t['np_into'] / floor:.2f}x that")
    return r


def bench_key(libcore, repeats, quick):
    rng = np.random.default_rng(7)
    print("key: the encoder-cache key of an audio clip")
    ratios = {}
    with libcore.EncoderCache(decimals=4) as cache:
        for label, n in (("1 s", SR), ("20 ms", SR // 50)):
            a = rng.uniform(-0.5, 0.5, n).astype(np.float32)
            k = np.float32(32767)

            def py():
                return hashlib.sha256(np.round(a * k).astype(np.int16).tobytes()).digest()

            def lc():
                return cache.key(a)

            if cache.key(a) != cache.key(a.copy()) or cache.key(a) == cache.key(a[::-1].copy()):
                fail("EncoderCache.key is not a function of the samples")
            calls = (300 if quick else 2000) if n == SR else (3000 if quick else 20000)
            t = best_per_call({"py": py, "lc": lc}, calls, repeats)
            ratios[label] = row(f"{label} of 16 kHz float32 ({n} samples)", t["py"], t["lc"],
                                TARGETS["key"] if n == SR else None)
    return ratios["1 s"]


class PyTimer:
    """A class-based Python timer context manager (a dict of lists)."""
    __slots__ = ("hist", "name", "t0")

    def __init__(self, hist, name):
        self.hist, self.name = hist, name

    def __enter__(self):
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.hist[self.name].append(time.perf_counter() - self.t0)
        return False


def bench_timer(libcore, repeats, quick):
    m = libcore.Metrics()
    hist = []
    hists = {"stage": []}
    pc = time.perf_counter

    def py_inline():
        t0 = pc()
        hist.append(pc() - t0)

    def py_class():
        with PyTimer(hists, "stage"):
            pass

    @contextlib.contextmanager
    def py_cm(name):
        t0 = pc()
        try:
            yield
        finally:
            hists[name].append(pc() - t0)

    def py_contextlib():
        with py_cm("stage"):
            pass

    def lc_time():
        with m.time("stage"):
            pass

    timer = m.timer("stage")

    def lc_record():
        timer.record_ns(1000)

    calls = 20000 if quick else 100000
    t = best_per_call({"inline": py_inline, "class": py_class, "contextlib": py_contextlib,
                       "lc": lc_time, "record": lc_record}, calls, repeats)
    if timer.count != repeats * calls * 2 + 0:
        fail(f"the timer holds {timer.count} values, expected {repeats * calls * 2}")
    p50 = timer.percentile(0.5)
    m.close()
    print("timer: the cost of timing an empty block")
    r = row('`with m.time("stage")` vs inline perf_counter', t["inline"], t["lc"],
            TARGETS["timer"])
    row('`with m.time("stage")` vs a class context mgr', t["class"], t["lc"])
    row('`with m.time("stage")` vs @contextmanager', t["contextlib"], t["lc"])
    print(f"    Timer.record_ns alone {fmt_t(t['record'])}; the libcore timer keeps a "
          f"bounded histogram (p50 here {p50} ns),\n    the Python list grows by 8 bytes "
          f"per value and still needs np.percentile")
    return r


def bench_logmel(libcore, repeats, quick):
    d = os.environ.get("LIBCORE_TESTDATA") or os.path.join(HERE, "..", "..", "..", "shared",
                                                           "testdata")
    path = os.path.join(d, "jfk_16k.f32")
    if os.access(path, os.R_OK):
        x = np.fromfile(path, dtype="<f4")
        what = "JFK padded to 30 s"
    else:
        t = np.arange(11 * SR) / SR
        x = (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
        what = "a synthetic 11 s tone padded to 30 s"
    x = np.pad(x, (0, 30 * SR - x.size)).astype(np.float32)
    lm = libcore.LogMel(n_mels=80)
    filters = lm.filters()                      # Whisper's filterbank, outside the timing
    n_fft, hop = 400, 160
    window = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)).astype(np.float32)

    def numpy_logmel():
        padded = np.pad(x, n_fft // 2, mode="reflect")
        frames = np.lib.stride_tricks.sliding_window_view(padded, n_fft)[::hop][:-1]
        spec = np.fft.rfft(frames * window, axis=1)            # complex128 in numpy 1.x
        power = (spec.real ** 2 + spec.imag ** 2).astype(np.float32)
        mel = filters @ power.T
        log = np.log10(np.maximum(mel, np.float32(1e-10)))
        log = np.maximum(log, log.max() - 8.0)
        return (log + 4.0) / 4.0

    ref = numpy_logmel()
    got = lm.compute(x)
    if got.shape != ref.shape:
        fail(f"LogMel shape {got.shape}, NumPy {ref.shape}")
    err = float(np.abs(got - ref).max())
    if err > 1e-3:
        fail(f"LogMel differs from the NumPy float32 log-mel by {err}")
    threads = libcore._native.library().core_get_num_threads()
    t = best_per_call({"np": numpy_logmel, "lc": lambda: lm.compute(x)}, 1,
                      3 if quick else max(5, repeats))
    lib = libcore._native.library()
    lib.core_set_num_threads(1)
    t1 = best_per_call({"lc": lambda: lm.compute(x)}, 1, 3 if quick else max(5, repeats))
    lib.core_set_num_threads(0)
    lm.close()
    print(f"logmel: 80-band Whisper log-mel of {what} (max |diff| vs NumPy {err:.1e})")
    row(f"LogMel.compute ({threads} libcore threads)", t["np"], t["lc"])
    return row("LogMel.compute (1 libcore thread)", t["np"], t1["lc"])


def bench_buffer(libcore, repeats, quick):
    chunk, total = SR // 50, 10 * SR              # 20 ms chunks, 10 s
    rng = np.random.default_rng(3)
    chunks = [rng.uniform(-0.5, 0.5, chunk).astype(np.float32) for _ in range(total // chunk)]
    expect = np.concatenate(chunks)
    ring = libcore.RingBuffer(total)

    def py():
        buf = np.zeros(0, np.float32)
        for c in chunks:
            buf = np.concatenate((buf, c))
        return buf

    def lc():
        for c in chunks:
            ring.append(c)
        return ring.read()

    if not (np.array_equal(py(), expect) and np.array_equal(lc(), expect)):
        fail("the buffers returned wrong samples")
    t = best_per_call({"py": py, "lc": lc}, 1, 3 if quick else max(5, repeats))
    ring.close()
    n = len(chunks)
    print(f"buffer: 10 s accumulated from {n} chunks of 20 ms, then taken whole")
    r = row("np.concatenate growing buffer vs RingBuffer", t["py"], t["lc"])
    print(f"    per chunk: np.concatenate {fmt_t(t['py'] / n)}, RingBuffer.append "
          f"{fmt_t(t['lc'] / n)} (concatenate copies the whole buffer every time)")
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("libcore", nargs="?", default=None)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    if args.libcore:
        os.environ["LIBCORE_LIBRARY"] = os.path.abspath(args.libcore)
    os.environ.pop("LIBCORE_DISABLE", None)
    sys.path.insert(0, os.path.normpath(os.path.join(HERE, "..", "..", "bindings", "python")))
    import libcore
    if libcore.backend() != "native":
        print(f"FAIL: libcore could not be loaded: {libcore._native.failure()}")
        return 1
    lib = libcore._native.library()
    repeats = 3 if args.quick else 7
    print(f"libcore {lib.core_version().decode()} ({lib.core_simd_target().decode()}) "
          f"through the Python package, {sys.executable} {sys.version.split()[0]}, "
          f"numpy {np.__version__}; best of {repeats} repeats")
    try:
        ratios = {"ring": bench_ring(libcore, repeats, args.quick),
                  "key": bench_key(libcore, repeats, args.quick),
                  "timer": bench_timer(libcore, repeats, args.quick),
                  "logmel": bench_logmel(libcore, repeats, args.quick),
                  "buffer": bench_buffer(libcore, repeats, args.quick)}
    except libcore.LibcoreError as e:
        print(f"FAIL: {e}")
        return 1
    print("summary: " + ", ".join(f"{k} {v:.2f}x" + (
        f" (target {TARGETS[k]:.0f}x {'met' if v >= TARGETS[k] else 'NOT met'})"
        if k in TARGETS else "") for k, v in ratios.items()))
    print("why the ring and timer targets are out of reach through ctypes: one ctypes call\n"
          "costs ~0.3-0.5 us here (argument conversion, libffi, the GIL), about as much as\n"
          "the whole NumPy step (a few slice copies) or the whole inline timer pattern (two\n"
          "clock reads and a list append); the C side of each is a few tens of ns\n"
          "(tests/bench/bench_ring, bench_metrics). The key, log-mel and growing-buffer\n"
          "cases do enough work per call for the call cost not to matter.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
