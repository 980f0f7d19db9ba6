#!/usr/bin/env python3
"""The corpus tool (examples/corpus_features, issue 13) against the
equivalent Python/NumPy/SciPy script on a multiprocessing.Pool of 2, on the
same generated corpus in the same run; and the tool's peak memory on a
30 s file against a 30 min one.

Usage: bench_corpus.py [--tool PATH] [--files N] [--seconds S] [--runs R]
                       [--python-runs R] [--long-minutes M] [--keep DIR]

  --tool       the corpus_features binary (default: looked for in the build
               folders beside this source tree; meson passes it)
  --files      files in the corpus (default 200, or $BENCH_CORPUS_FILES)
  --seconds    seconds per file (default 30, or $BENCH_CORPUS_SECONDS)
  --runs       timed runs of each tool configuration, best kept (3)
  --python-runs  timed runs of the Python script, best kept (2)
  --long-minutes the long file of the memory check (30)

The corpus: 16 kHz PCM16 mono WAV files, generated into a temporary folder
from a fixed seed: about four in five hold speech (pieces of the JFK clip
and speech_gaps_16k.wav from ../shared/testdata or $LIBCORE_TESTDATA, at
random gains and places) over background noise of random level; the rest
are noise only, some with a mains hum. Without the test data, synthetic
"speech" (tone bursts with vibrato) stands in (said in the output).

What is timed, wall clock, from process start to exit (the tool) or
around Pool.map (the script; the pool is started and warmed up before):
  corpus_features --features --threads 1 --out DIR INPUT   (stdout to /dev/null)
  corpus_features --features --threads 2 --out DIR INPUT
  the Python script with Pool(2): per file scipy.io.wavfile.read, int16 to
  float32 / 32768 (scipy.signal.resample_poly when the rate is not 16 kHz:
  never here, the files are 16 kHz), min/max/mean/std/rms, an energy VAD in
  NumPy (20 ms frames, adaptive floor, hysteresis, minimum speech and
  silence, padding), Whisper's log-mel in NumPy (reflect padding, periodic
  Hann frames, np.fft.rfft, |X|^2, the mel filters of
  mel_filters_80x201.f32 (or libcore's, without test data), log10, max-8
  floor, (x+4)/4), np.save of the (frames, 80) float32 features and the
  JSON line written to <name>.json: what the tool does, file for file.
The out folder is emptied before every run. BLAS and every peer are
pinned to one thread per process.

Targets (issue 13), REPORTED, never asserted: the tool >= 1.8x faster on 2
threads than on 1; >= 20x faster (2 threads) than the Pool(2) script; peak
memory independent of file length (met when the 30 min file's max RSS
exceeds the 30 s file's by less than 10 MiB: its samples alone are 110 MiB
as float32). Exit non-zero when the tool fails (exit status, a record not
CORE_OK) or when its results and the script's disagree on the first file
(log-mel beyond 2e-3, statistics beyond 1e-5: a sanity check that both do
the same work); 77 (SKIP) when the tool is not built or a needed module
(numpy, scipy) is missing.
"""

import os
import sys

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

from bench_pycommon import ensure_numpy  # noqa: E402

ensure_numpy("LIBCORE_BENCH_CORPUS_REEXEC")

import argparse  # noqa: E402
import glob  # noqa: E402
import json  # noqa: E402
import multiprocessing  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import wave  # noqa: E402

import numpy as np  # noqa: E402

try:
    import scipy.io.wavfile  # noqa: E402
    import scipy.signal  # noqa: E402
except ImportError as _e:
    print(f"SKIP: scipy is needed for the Python peer ({_e}); Debian: python3-scipy")
    sys.exit(77)

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.dirname(os.path.dirname(HERE))
SR, N_FFT, HOP, N_MELS = 16000, 400, 160, 80


def testdata_dir():
    return os.environ.get("LIBCORE_TESTDATA") or os.path.join(
        os.path.dirname(SOURCE_ROOT), "shared", "testdata")


def find_tool(given):
    if given:
        return given if os.access(given, os.X_OK) and os.path.isfile(given) else None
    for pat in ("build*/examples/corpus_features",
                "build*/examples/corpus_features/corpus_features"):
        for cand in sorted(glob.glob(os.path.join(SOURCE_ROOT, pat))):
            if os.path.isfile(cand) and os.access(cand, os.X_OK):
                return cand
    return None


# ---- the corpus ------------------------------------------------------------------------------

def read_wav_float(path):
    rate, data = scipy.io.wavfile.read(path)
    x = data.astype(np.float32) / 32768.0
    if x.ndim == 2:
        x = x.mean(axis=1)
    if rate != SR:
        x = scipy.signal.resample_poly(x, SR, rate).astype(np.float32)
    return x


def speech_pool():
    """(list of float arrays of speech, True) from the test clips, or
    synthetic stand-ins and False."""
    d = testdata_dir()
    clips = []
    f32 = os.path.join(d, "jfk_16k.f32")
    if os.path.exists(f32):
        clips.append(np.fromfile(f32, dtype="<f4").astype(np.float64))
    gaps = os.path.join(d, "speech_gaps_16k.wav")
    if os.path.exists(gaps):
        clips.append(read_wav_float(gaps).astype(np.float64))
    if clips:
        return clips, True
    t = np.arange(4 * SR) / SR
    f0 = 140 + 30 * np.sin(2 * np.pi * 3 * t)
    syn = sum(np.sin(2 * np.pi * k * np.cumsum(f0) / SR) / k for k in range(1, 8))
    syn *= (np.sin(2 * np.pi * 2.5 * t) > -0.2)
    return [0.3 * syn], False


def write_pcm16(path, x):
    pcm = np.clip(np.round(x * 32767.0), -32768, 32767).astype("<i2")
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SR)
        w.writeframes(pcm.tobytes())


def synth_file(rng, clips, n):
    x = rng.uniform(0.001, 0.04) * rng.standard_normal(n)
    kind = rng.random()
    if kind < 0.8:                                 # speech over noise
        pos = int(rng.integers(0, SR))
        while pos < n - SR // 2:
            clip = clips[int(rng.integers(len(clips)))]
            length = int(rng.integers(SR, min(clip.size, 8 * SR)))
            start = int(rng.integers(0, clip.size - length + 1))
            piece = clip[start:start + length] * rng.uniform(0.3, 1.0)
            take = min(length, n - pos)
            x[pos:pos + take] += piece[:take]
            pos += take + int(rng.integers(SR // 4, 3 * SR))
    elif kind < 0.9:                               # noise with a hum
        t = np.arange(n) / SR
        x += rng.uniform(0.01, 0.1) * np.sin(2 * np.pi * rng.choice([50.0, 60.0]) * t)
    return np.clip(x, -1.0, 1.0)


def make_corpus(folder, files, seconds, clips):
    rng = np.random.default_rng(20240613)
    n = int(seconds * SR)
    paths = []
    for i in range(files):
        p = os.path.join(folder, f"f{i:04d}.wav")
        write_pcm16(p, synth_file(rng, clips, n))
        paths.append(p)
    return paths


def make_long_file(path, minutes, clips):
    """minutes of speech and noise, written a minute at a time (the
    generator's own memory stays small too)."""
    rng = np.random.default_rng(5)
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SR)
        for _ in range(int(minutes)):
            x = synth_file(rng, clips, 60 * SR)
            w.writeframes(np.clip(np.round(x * 32767.0), -32768, 32767).astype("<i2").tobytes())


# ---- the Python/NumPy/SciPy peer -----------------------------------------------------------------

_FILTERS = None     # (80, 201) float64, set in each worker
_WINDOW = None


def _init_worker(filters):
    global _FILTERS, _WINDOW
    _FILTERS = filters
    _WINDOW = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)   # periodic Hann


def np_logmel(x):
    """Whisper's log_mel_spectrogram in NumPy: (frames, 80) float32."""
    xp = np.pad(x.astype(np.float64), N_FFT // 2, mode="reflect")
    frames = np.lib.stride_tricks.sliding_window_view(xp, N_FFT)[::HOP][:-1]
    spec = np.fft.rfft(frames * _WINDOW, axis=-1)
    power = spec.real ** 2 + spec.imag ** 2
    mel = power @ _FILTERS.T
    logm = np.log10(np.maximum(mel, 1e-10))
    logm = np.maximum(logm, logm.max() - 8.0)
    return ((logm + 4.0) / 4.0).astype(np.float32)


def np_vad(x, frame=320, min_speech=250, min_silence=100, pad=30):
    """An energy VAD: frame energies in dB, the noise floor as their 10th
    percentile, speech above floor + 9 dB (enter) / + 6 dB (stay), segments
    shorter than min_speech ms dropped, gaps shorter than min_silence ms
    closed, padded by pad ms. [(start, end)] in samples."""
    nf = x.size // frame
    if nf == 0:
        return []
    e = x[:nf * frame].astype(np.float64).reshape(nf, frame)
    db = 10 * np.log10(np.mean(e * e, axis=1) + 1e-12)
    floor = np.percentile(db, 10)
    hi, lo = db > floor + 9, db > floor + 6
    active = np.zeros(nf, bool)
    on = False
    for i in range(nf):               # hysteresis: one pass (as any streaming VAD)
        on = hi[i] or (on and lo[i])
        active[i] = on
    edges = np.flatnonzero(np.diff(np.concatenate(([0], active.astype(np.int8), [0]))))
    segs = list(zip(edges[::2], edges[1::2]))
    ms = 1000 * frame // SR
    merged = []
    for s, t in segs:
        if merged and (s - merged[-1][1]) * ms < min_silence:
            merged[-1] = (merged[-1][0], t)
        else:
            merged.append((s, t))
    p = pad * SR // 1000
    return [(max(0, s * frame - p), min(x.size, t * frame + p)) for s, t in merged
            if (t - s) * ms >= min_speech]


def py_process(job):
    path, out = job
    x = read_wav_float(path)
    x64 = x.astype(np.float64)
    mean = float(x64.mean())
    rec = {"path": path, "status": "CORE_OK", "error": None, "rate": SR, "samples": int(x.size),
           "duration": x.size / SR, "min": float(x.min()), "max": float(x.max()), "mean": mean,
           "std": float(x64.std()), "rms": float(np.sqrt(np.mean(x64 * x64)))}
    segs = np_vad(x)
    rec["speech"] = sum(t - s for s, t in segs) / SR
    rec["segments"] = [[int(s), int(t)] for s, t in segs]
    mel = np_logmel(x)
    name = os.path.splitext(os.path.basename(path))[0]
    npy = os.path.join(out, name + ".npy")
    np.save(npy, mel)
    rec["features"], rec["mel_frames"] = npy, int(mel.shape[0])
    line = json.dumps(rec, separators=(",", ":"))
    with open(os.path.join(out, name + ".json.partial"), "w") as f:
        f.write(line + "\n")
    os.replace(os.path.join(out, name + ".json.partial"), os.path.join(out, name + ".json"))
    return line


# ---- measuring ------------------------------------------------------------------------------

def reset(folder):
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)


def run_tool(tool, threads, corpus, out, n_files):
    reset(out)
    t0 = time.perf_counter()
    p = subprocess.run([tool, "--features", "--no-progress", "--threads", str(threads),
                        "--out", out, corpus], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    dt = time.perf_counter() - t0
    lines = p.stdout.decode().splitlines()
    if p.returncode != 0 or len(lines) != n_files:
        sys.stderr.write(p.stderr.decode()[-3000:])
        raise SystemExit(f"FAIL: corpus_features --threads {threads} exited {p.returncode} "
                         f"with {len(lines)} records for {n_files} files")
    for line in lines:
        if json.loads(line)["status"] != "CORE_OK":
            raise SystemExit(f"FAIL: a file failed: {line}")
    return dt, lines, p.stderr.decode()


def max_rss_kib(cmd):
    """(max RSS in KiB of the command's process, how it was measured).

    GNU time's %M when /usr/bin/time exists: it forks the command from a
    small process. os.wait4's rusage of a child of this Python would not
    do: Linux keeps the high-water RSS across exec, and a child forked from
    a Python that has NumPy loaded starts at ~90 MiB before it execs the
    tool. Without GNU time that is what is reported, said so."""
    if os.access("/usr/bin/time", os.X_OK):
        p = subprocess.run(["/usr/bin/time", "-f", "MAXRSS %M"] + cmd,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        err = p.stderr.decode()
        if p.returncode != 0:
            sys.stderr.write(err[-2000:])
            raise SystemExit(f"FAIL: {' '.join(cmd)} exited {p.returncode}")
        kib = [int(line.split()[1]) for line in err.splitlines() if line.startswith("MAXRSS ")]
        return kib[-1], "GNU time %M"
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err_fd = p.stderr
    _, status, ru = os.wait4(p.pid, 0)
    err = err_fd.read().decode()
    err_fd.close()
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.stderr.write(err[-2000:])
        raise SystemExit(f"FAIL: {' '.join(cmd)} exited {p.returncode}")
    return ru.ru_maxrss, "os.wait4 (includes this Python's RSS at fork: no /usr/bin/time)"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tool")
    ap.add_argument("--files", type=int, default=int(os.environ.get("BENCH_CORPUS_FILES", 200)))
    ap.add_argument("--seconds", type=float,
                    default=float(os.environ.get("BENCH_CORPUS_SECONDS", 30)))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--python-runs", type=int, default=2)
    ap.add_argument("--long-minutes", type=float, default=30)
    ap.add_argument("--keep", help="generate the corpus into this folder and keep it")
    a = ap.parse_args()

    tool = find_tool(a.tool)
    if tool is None:
        print(f"SKIP: corpus_features not built ({a.tool or 'no build*/examples/corpus_features'})")
        return 77
    filt_path = os.path.join(testdata_dir(), "mel_filters_80x201.f32")
    if os.path.exists(filt_path):
        filters = np.fromfile(filt_path, dtype="<f4").astype(np.float64).reshape(N_MELS, -1)
        filt_src = filt_path
    else:
        # Without the test data: libcore's own filterbank through the package.
        sys.path.insert(0, os.path.join(SOURCE_ROOT, "bindings", "python"))
        import libcore
        filters = libcore.LogMel(n_mels=N_MELS).filters().astype(np.float64)
        filt_src = "libcore.LogMel.filters() (test data missing)"

    base = a.keep or tempfile.mkdtemp(prefix="bench_corpus_")
    corpus = os.path.join(base, "corpus")
    try:
        clips, real = speech_pool()
        t0 = time.perf_counter()
        if not (a.keep and os.path.isdir(corpus) and
                len(os.listdir(corpus)) == a.files):
            reset(corpus)
            paths = make_corpus(corpus, a.files, a.seconds, clips)
        else:
            paths = sorted(os.path.join(corpus, f) for f in os.listdir(corpus))
        gen = time.perf_counter() - t0
        hours = a.files * a.seconds / 3600
        print(f"corpus: {a.files} files x {a.seconds:g} s = {hours:.3f} h of 16 kHz PCM16 WAV "
              f"({'speech from the test clips' if real else 'SYNTHETIC speech: no test data'} "
              f"+ noise), generated in {gen:.1f} s under {corpus}")
        print(f"tool: {tool}")
        print(f"mel filters: {filt_src}")
        print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the "
              f"start (other work competes for the CPUs: ratios are only as good as the "
              f"machine is quiet); best of {a.runs} (tool) / {a.python_runs} (Python) runs")
        print()

        out = os.path.join(base, "out")
        times = {}
        table = None
        for threads in (1, 2):
            best = None
            for _ in range(a.runs):
                dt, lines, err = run_tool(tool, threads, corpus, out, a.files)
                best = dt if best is None or dt < best else best
                if threads == 2:
                    table = err
            times[f"tool{threads}"] = best
        tool_lines = {json.loads(line)["path"]: json.loads(line) for line in lines}
        tool_mel = np.load(os.path.join(out, "f0000.npy"))

        pyout = os.path.join(base, "pyout")
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(2, initializer=_init_worker, initargs=(filters,)) as pool:
            reset(pyout)
            pool.map(py_process, [(p, pyout) for p in paths[:2]])   # warm-up, untimed
            best = None
            for _ in range(a.python_runs):
                reset(pyout)
                t0 = time.perf_counter()
                py_lines = pool.map(py_process, [(p, pyout) for p in paths], chunksize=1)
                dt = time.perf_counter() - t0
                best = dt if best is None or dt < best else best
            times["pool2"] = best

        # Sanity: both did the same work on the first file.
        p0 = json.loads(py_lines[0])
        t0r = tool_lines[p0["path"]]
        py_mel = np.load(os.path.join(pyout, "f0000.npy"))
        mel_diff = float(np.max(np.abs(py_mel - tool_mel))) if py_mel.shape == tool_mel.shape \
            else float("inf")
        stat_diff = max(abs(p0[k] - t0r[k]) for k in ("min", "max", "mean", "std", "rms"))
        seg_note = f"{len(p0['segments'])} vs {len(t0r['segments'])} segments"

        print(f"{'':34}{'wall s':>9}{'files/s':>10}{'audio h/s':>11}{'x real time':>13}")
        for key, label in (("tool1", "corpus_features --threads 1"),
                           ("tool2", "corpus_features --threads 2"),
                           ("pool2", "Python/NumPy/SciPy Pool(2)")):
            t = times[key]
            print(f"{label:34}{t:9.2f}{a.files / t:10.1f}{hours / t:11.3f}"
                  f"{hours * 3600 / t:13.0f}")
        print()
        r_threads = times["tool1"] / times["tool2"]
        r_pool = times["pool2"] / times["tool2"]
        print(f"2 threads vs 1 thread:            {r_threads:6.2f}x  target >= 1.8x: "
              f"{'met' if r_threads >= 1.8 else 'NOT met'}")
        print(f"tool (2 threads) vs Pool(2):      {r_pool:6.2f}x  target >= 20x: "
              f"{'met' if r_pool >= 20 else 'NOT met'}")
        print(f"load average after the timed runs: {os.getloadavg()[0]:.1f}")
        print(f"sanity, first file: log-mel max |diff| {mel_diff:.2e}, statistics max |diff| "
              f"{stat_diff:.2e} ({seg_note}; the VADs differ by design)")

        # Peak memory: one 30 s file against one long file, one process each.
        mem = {}
        for label, minutes in (("30 s", 0.5), (f"{a.long_minutes:g} min", a.long_minutes)):
            d = os.path.join(base, f"mem_{minutes:g}")
            reset(d)
            f = os.path.join(d, "one.wav")
            if minutes < 1:
                write_pcm16(f, synth_file(np.random.default_rng(5), clips, int(minutes * 60 * SR)))
            else:
                make_long_file(f, minutes, clips)
            mout = os.path.join(base, f"memout_{minutes:g}")
            reset(mout)
            mem[label], how = max_rss_kib([tool, "--features", "--no-progress", "--threads",
                                           "2", "--out", mout, d])
            shutil.rmtree(d, ignore_errors=True)
            shutil.rmtree(mout, ignore_errors=True)
        (l1, m1), (l2, m2) = mem.items()
        growth = (m2 - m1) / 1024
        print(f"peak RSS (corpus_features --features, 1 file; {how}): {l1}: {m1 / 1024:.1f} MiB; "
              f"{l2}: {m2 / 1024:.1f} MiB; growth {growth:+.1f} MiB  target independent of "
              f"length (< 10 MiB growth): {'met' if growth < 10 else 'NOT met'}")
        print()
        print("the tool's own summary (last --threads 2 run):")
        print("\n".join("  " + s for s in table.strip("\n").splitlines()))

        if mel_diff > 2e-3 or stat_diff > 1e-5:
            print(f"FAIL: the tool and the Python script disagree on {p0['path']}")
            return 1
        return 0
    finally:
        if not a.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
