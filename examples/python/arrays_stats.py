#!/usr/bin/env python3
"""libcore's array and statistics functions from Python: a short tour.

    PYTHONPATH=bindings/python LIBCORE_LIBRARY=build/libcore/libcore.so.1 \
        /usr/bin/python3 examples/python/arrays_stats.py [audio.f32]

Without LIBCORE_LIBRARY the installed libcore.so.1 is used; without any
library (or with LIBCORE_DISABLE=1) the same calls run on NumPy. The
optional argument is a raw float32 file (e.g. jfk_16k.f32 of the test data).
"""

import sys

import numpy as np

import libcore

rng = np.random.default_rng(0)
x = rng.standard_normal(16_000).astype(np.float32)   # float32, C-contiguous: no copy

s = libcore.stats(x)                                  # one pass: Stats(count, ..., m2)
print(f"backend {libcore.backend()}: n={s.count} min={s.min:.4f} max={s.max:.4f} "
      f"mean={s.mean:+.6f} std(ddof=1)={s.std(ddof=1):.6f}")
print("p5/p50/p95:", np.round(libcore.percentile(x, [5, 50, 95]), 4))
print(f"rms={libcore.rms(x):.4f}  zcr={libcore.zero_crossing_rate(x):.4f}  "
      f"corr(x, x+noise)={libcore.corrcoef(x, x + 0.5 * rng.standard_normal(x.size)):.3f}")

t = libcore.linspace(0.0, 1.0, 5)                     # exactly NumPy's linspace
print("linspace:", t, " arange(0, 1, 0.25):", libcore.arange(0, 1, 0.25))
z = libcore.normalize(x)                              # new float32 array, z-scores
print(f"normalized: mean {libcore.stats(z).mean:+.1e}, std {libcore.stats(z).std():.6f}")

pcm, clipped = libcore.float_to_pcm16(x * 0.3, return_clipped=True)
print(f"int16 PCM: {pcm[:4]} ... ({clipped} samples clipped)")

frames = libcore.frame_stats(x, 400, 160)             # 25 ms frames, 10 ms hop at 16 kHz
print(f"{len(frames)} frames; loudest frame rms {np.sqrt(frames.mean**2 + frames.var()).max():.3f}")

try:
    libcore.normalize(np.ones(10))                    # a constant input cannot be normalized
except libcore.LibcoreError as e:
    print(f"LibcoreError {e.name}: {e.message}")

if len(sys.argv) > 1:                                 # a raw float32 file, summarized in place
    f = libcore.stats_file(sys.argv[1])
    print(f"{sys.argv[1]}: {f.count} samples, rms {np.sqrt(f.m2 / f.count + f.mean**2):.4f}")
