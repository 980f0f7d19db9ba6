#!/usr/bin/env python3
"""libcore's log-mel against Whisper's algorithm, recomputed here in NumPy
float64 from its description (openai/whisper audio.py, log_mel_spectrogram;
../shared/ANCHORS.md 5a), on the JFK clip.

Usage: test_logmel_reference.py LIBCORE_SO

The reference: reflect padding of n_fft / 2 on both sides, frames of 400
every 160 samples, periodic Hann window, |rfft|^2, the last frame dropped,
Whisper's own filters (mel_filters_{80,128}x201.f32, the arrays of its
mel_filters.npz) @ power, log10(max(mel, 1e-10)), then max(x, max - 8) and
(x + 4) / 4 -- all in float64. libcore computes its filters itself and
works in float32.

Cases: 80 and 128 bands; the 11 s clip and the clip zero-padded to 30 s
(Whisper's pad_or_trim); WHISPER and LOG10 modes.

Tolerances.
  WHISPER: max |libcore - reference| <= 1e-4 (the target; float32 FFTs give
    ~3e-5 here, scipy's and torch's float32 paths ~2e-5).
  LOG10: no floor hides the quiet bands here. A float32 FFT's round-off in
    a bin is an absolute error of order 1e-7 of the frame's energy, so a
    band 100 dB below its frame's loudest band has a relative error of
    ~1e-3 and log10 an absolute one of that order: the error of a value is
    set by its distance below the frame maximum, not by the implementation.
    So: values within 60 dB (6 decades) of their frame's loudest band
    <= 1e-4 (as WHISPER); every value <= 2e-2; the frames of digital
    silence (the zero padding) are the floor, log10(1e-10) = -10, within
    1e-6.

Exit 0 pass, 1 fail, 77 skip: no numpy, or the test data missing (then a
failure instead when LIBCORE_REQUIRE_TESTDATA=1).
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench"))
from bench_pycommon import SKIP, ensure_numpy  # noqa: E402

ensure_numpy("LIBCORE_AUDIO_TEST_REEXEC")

import numpy as np  # noqa: E402

import logmel_ctypes as lc  # noqa: E402

N_FFT, HOP, SR = 400, 160, 16000
N_SAMPLES_30S = 30 * SR


def testdata_dir():
    d = os.environ.get("LIBCORE_TESTDATA")
    if d:
        return d
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, "..", "..", "..", "shared", "testdata"))


def need_file(name):
    path = os.path.join(testdata_dir(), name)
    if os.access(path, os.R_OK):
        return path
    if os.environ.get("LIBCORE_REQUIRE_TESTDATA") == "1":
        print(f"FAIL: test data {path} missing and LIBCORE_REQUIRE_TESTDATA=1")
        sys.exit(1)
    print(f"SKIP: test data {path} not found (set LIBCORE_TESTDATA)")
    sys.exit(SKIP)


def reference_log10(x, filters):
    """log10(max(filters @ |STFT|^2, 1e-10)), (n_mels, n / hop), float64."""
    x = x.astype(np.float64)
    window = 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(N_FFT) / N_FFT)  # periodic Hann
    padded = np.pad(x, N_FFT // 2, mode="reflect")
    n_frames = 1 + (padded.size - N_FFT) // HOP  # what torch.stft(center=True) gives
    idx = np.arange(N_FFT)[None, :] + HOP * np.arange(n_frames)[:, None]
    power = np.abs(np.fft.rfft(padded[idx] * window, axis=1)) ** 2
    power = power[:-1]  # Whisper drops the last frame
    mel = filters.astype(np.float64) @ power.T
    return np.log10(np.maximum(mel, 1e-10))


def whisper(log_spec):
    return (np.maximum(log_spec, log_spec.max() - 8.0) + 4.0) / 4.0


def main():
    if len(sys.argv) < 2:
        print("usage: test_logmel_reference.py LIBCORE_SO")
        return 2
    lib = lc.load(sys.argv[1])
    clip = np.fromfile(need_file("jfk_16k.f32"), dtype="<f4")
    assert clip.size == 176000, clip.size
    clips = {"11 s": clip, "30 s": np.pad(clip, (0, N_SAMPLES_30S - clip.size))}
    failures = 0
    print(f"libcore {lib.core_version().decode()} ({lib.core_simd_target().decode()}), "
          f"numpy {np.__version__}")
    for n_mels in (80, 128):
        filters = np.fromfile(need_file(f"mel_filters_{n_mels}x201.f32"),
                              dtype="<f4").reshape(n_mels, 201)
        for name, x in clips.items():
            ref = reference_log10(x, filters)
            for mode in (lc.WHISPER, lc.LOG10):
                lm = lc.Logmel(lib, n_mels=n_mels, mode=mode)
                try:
                    got = lm.compute(np.ascontiguousarray(x, dtype=np.float32)).astype(np.float64)
                finally:
                    lm.close()
                label = f"{n_mels} bands, {name}, {'WHISPER' if mode == lc.WHISPER else 'LOG10'}"
                if got.shape != ref.shape:
                    print(f"FAIL {label}: shape {got.shape}, reference {ref.shape}")
                    failures += 1
                    continue
                if mode == lc.WHISPER:
                    err = np.abs(got - whisper(ref)).max()
                    ok = err <= 1e-4
                    print(f"{'ok  ' if ok else 'FAIL'} {label}: max abs diff {err:.3g} (<= 1e-4)")
                else:
                    d = np.abs(got - ref)
                    near = ref >= ref.max(axis=0, keepdims=True) - 6.0
                    silent = (x.size > clip.size) and ref.shape[1] > 1200
                    err_near, err_all = d[near].max(), d.max()
                    # Frames 1102.. hold only padding samples (zeros) in the 30 s clip.
                    err_silent = np.abs(got[:, 1102:] + 10.0).max() if silent else 0.0
                    ok = err_near <= 1e-4 and err_all <= 2e-2 and err_silent <= 1e-6
                    print(f"{'ok  ' if ok else 'FAIL'} {label}: within 60 dB of the frame max "
                          f"{err_near:.3g} (<= 1e-4), all {err_all:.3g} (<= 2e-2)"
                          + (f", silence {err_silent:.3g} (<= 1e-6)" if silent else ""))
                failures += 0 if ok else 1
    print("PASS" if failures == 0 else f"{failures} case(s) FAILED")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
