#!/usr/bin/env python3
"""Whisper's log-mel spectrogram: NumPy and SciPy against libcore, side by
side in one process.

Usage: bench_audio_numpy.py LIBCORE_SO [--repeats N]

  LIBCORE_SO   path of the built libcore shared library (meson passes the
               `libcore` target; also read from $LIBCORE_PATH)

Input: the JFK clip zero-padded to 30 s (Whisper's pad_or_trim) when
../shared/testdata is there ($LIBCORE_TESTDATA), else a synthetic signal of
tones and noise; and 10 minutes (that 30 s twenty times). Whisper's
front end: 16 kHz, n_fft 400, hop 160, 80 bands, WHISPER normalization.
The peers, every one on ONE thread (BLAS and scipy.fft workers pinned to 1):

  numpy float64      np.pad(reflect), sliding_window_view frames, np.fft.rfft,
                     |X|^2, filters @ power, log10, clamp: Whisper's
                     algorithm in plain NumPy (float64, as NumPy computes)
  scipy float32      the same in float32 with scipy.fft.rfft and the filters
                     as a scipy.sparse CSR matrix (the fastest variant found)
  torch (reference)  Whisper's own code path (torch.stft), when torch is
                     installed; not one of the NumPy/SciPy peers
  libcore default    core_logmel_compute through ctypes, the default FFT path
  libcore kissfft    the same, created under LIBCORE_FFT=kissfft

The filterbank comes from core_logmel_filters (it equals Whisper's
mel_filters.npz within 4e-9), built outside the timed region. Times are the
best of several repeats (time.perf_counter). Targets: libcore >= 3x faster
than the fastest NumPy/SciPy variant on one thread (30 s), and >= 1.7x from
1 to 2 libcore threads on 10 minutes. Speed is REPORTED, never asserted.
Exit non-zero when a libcore call fails or its output differs from the
NumPy float64 result by more than 1e-4; 77 (meson's SKIP) when no Python
with numpy is found.
"""

import os
import sys

# One thread for every peer: set before NumPy (and its BLAS) is imported.
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

from bench_pycommon import ensure_numpy  # noqa: E402

ensure_numpy("LIBCORE_BENCH_AUDIO_NUMPY_REEXEC")

import argparse  # noqa: E402
import ctypes  # noqa: E402
import gc  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "audio"))
import logmel_ctypes as lc  # noqa: E402

N_FFT, HOP, SR, N_MELS = 400, 160, 16000, 80


def best_of(fn, repeats):
    best = float("inf")
    for _ in range(repeats):
        gc.disable()
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
        gc.enable()
    return best


def load_input():
    d = os.environ.get("LIBCORE_TESTDATA") or os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "testdata")
    path = os.path.join(d, "jfk_16k.f32")
    if os.access(path, os.R_OK):
        x = np.fromfile(path, dtype="<f4")
        return np.pad(x, (0, 30 * SR - x.size)).astype(np.float32), "JFK clip padded to 30 s"
    rng = np.random.default_rng(2024)
    t = np.arange(30 * SR) / SR
    x = (0.5 + 0.45 * np.sin(2 * np.pi * 1.3 * t)) * (0.3 * np.sin(2 * np.pi * 220 * t)
                                                       + 0.2 * np.sin(2 * np.pi * 1375 * t))
    x = x + 0.02 * rng.standard_normal(t.size)
    return x.astype(np.float32), "synthetic 30 s (no test data found)"


def make_numpy_f64(filters):
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)
    f64 = filters.astype(np.float64)

    def run(x):
        padded = np.pad(x.astype(np.float64), N_FFT // 2, mode="reflect")
        frames = np.lib.stride_tricks.sliding_window_view(padded, N_FFT)[::HOP]
        spec = np.fft.rfft(frames * window, axis=1)[:-1]
        power = spec.real ** 2 + spec.imag ** 2
        log_spec = np.log10(np.maximum(f64 @ power.T, 1e-10))
        log_spec = np.maximum(log_spec, log_spec.max() - 8.0)
        return (log_spec + 4.0) / 4.0
    return run


def make_scipy_f32(filters):
    import scipy.fft
    import scipy.sparse
    window = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)).astype(np.float32)
    sparse = scipy.sparse.csr_matrix(filters.astype(np.float32))

    def run(x):
        padded = np.pad(x, N_FFT // 2, mode="reflect")
        frames = np.lib.stride_tricks.sliding_window_view(padded, N_FFT)[::HOP][:-1]
        spec = scipy.fft.rfft(frames * window, axis=1, workers=1)
        power = spec.real ** 2 + spec.imag ** 2
        mel = np.asarray(sparse @ power.T)
        log_spec = np.log10(np.maximum(mel, np.float32(1e-10)))
        log_spec = np.maximum(log_spec, log_spec.max() - np.float32(8.0))
        return (log_spec + np.float32(4.0)) / np.float32(4.0)
    return run


def make_torch(filters):
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    window = torch.hann_window(N_FFT)
    ft = torch.from_numpy(filters.copy())

    def run(x):
        stft = torch.stft(torch.from_numpy(x), N_FFT, HOP, window=window, return_complex=True)
        mag = stft[..., :-1].abs() ** 2
        log_spec = torch.clamp(ft @ mag, min=1e-10).log10()
        log_spec = torch.maximum(log_spec, log_spec.max() - 8.0)
        return ((log_spec + 4.0) / 4.0).numpy()
    return run


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("libcore", nargs="?", default=os.environ.get("LIBCORE_PATH"))
    ap.add_argument("--repeats", type=int, default=20)
    args = ap.parse_args()
    if not args.libcore:
        ap.error("give the path of libcore.so (or set LIBCORE_PATH)")
    lib = lc.load(args.libcore)
    x30, what = load_input()
    x10 = np.ascontiguousarray(np.tile(x30, 20))
    default = lc.Logmel(lib, n_mels=N_MELS)
    os.environ["LIBCORE_FFT"] = "kissfft"
    kiss = lc.Logmel(lib, n_mels=N_MELS)
    del os.environ["LIBCORE_FFT"]
    filters = default.filters()

    peers = [("numpy float64", make_numpy_f64(filters))]
    try:
        peers.append(("scipy float32 + sparse mel", make_scipy_f32(filters)))
    except ImportError:
        print("note: scipy not installed: its peer is skipped")
    torch_run = make_torch(filters)

    # Correctness first: libcore against NumPy float64 (Whisper's tolerance).
    ref = peers[0][1](x30)
    for name, lm in (("default", default), ("kissfft", kiss)):
        err = float(np.abs(lm.compute(x30) - ref).max())
        if err > 1e-4:
            print(f"MISMATCH: libcore {name} differs from NumPy float64 by {err:.3g} (> 1e-4)")
            return 1
    same = np.array_equal(default.compute(x30), kiss.compute(x30))
    path = ("KissFFT (same bits as LIBCORE_FFT=kissfft)" if same
            else "the batched SIMD kernel (differs from KissFFT)")

    r = args.repeats
    rows = [(name, best_of(lambda f=f: f(x30), r)) for name, f in peers]
    fastest_name, fastest = min(rows, key=lambda row: row[1])
    t_torch = best_of(lambda: torch_run(x30), r) if torch_run else None
    lib.core_set_num_threads(1)
    t_def = best_of(lambda: default.compute(x30), r * 3)
    t_kiss = best_of(lambda: kiss.compute(x30), r * 3)

    def one_vs_two(lm):
        """Best of 1 and 2 threads, run alternately: load on a shared
        machine that comes and goes then hits both sides alike."""
        one = two = float("inf")
        for _ in range(9):
            lib.core_set_num_threads(1)
            one = min(one, best_of(lambda: lm.compute(x10), 1))
            lib.core_set_num_threads(2)
            two = min(two, best_of(lambda: lm.compute(x10), 1))
        return one, two
    t10_1, t10_2 = one_vs_two(default)
    t10_1k, t10_2k = one_vs_two(kiss)
    lib.core_set_num_threads(0)

    print(f"libcore {lib.core_version().decode()} ({lib.core_simd_target().decode()}), "
          f"numpy {np.__version__}, python {sys.version.split()[0]} ({sys.executable})")
    print(f"input: {what}; default FFT path: {path}")
    print(f"WHISPER log-mel of 30 s, 80 bands, one thread (best of {r}):")
    for name, t in rows:
        print(f"  {name:34s} {t * 1e3:9.2f} ms")
    if t_torch is not None:
        print(f"  {'torch.stft (reference, 1 thread)':34s} {t_torch * 1e3:9.2f} ms")
    print(f"  {'libcore default':34s} {t_def * 1e3:9.2f} ms")
    print(f"  {'libcore kissfft':34s} {t_kiss * 1e3:9.2f} ms")
    print(f"ratios ({fastest_name} time / libcore time; target >= 3x):")
    for name, t in (("libcore default", t_def), ("libcore kissfft", t_kiss)):
        ratio = fastest / t
        print(f"  {name:34s} {ratio:7.1f}x   {'MET' if ratio >= 3 else 'NOT MET'}")
    print("10 minutes, libcore 1 -> 2 threads (target >= 1.7x):")
    for name, a, b in (("default", t10_1, t10_2), ("kissfft", t10_1k, t10_2k)):
        print(f"  {name:10s} {a * 1e3:8.1f} ms -> {b * 1e3:8.1f} ms   {a / b:5.2f}x   "
              f"{'MET' if a / b >= 1.7 else 'NOT MET'}")
    default.close()
    kiss.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
