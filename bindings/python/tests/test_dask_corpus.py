"""examples/python/dask_corpus.py against the C tool examples/corpus_features.

A generated corpus (pieces of jfk_16k.f32 with noise at 16, 8 and 44.1
kHz, mono and stereo, in a folder and a subfolder, one text file named
.wav, two inputs with the same <name>) goes through the C tool and through
dask_corpus.py on a LocalCluster of 2 worker processes, each into its own
out folder. Required equal: every stdout record (parsed; "features"
compared relative to its out folder), the set of files written, every
DIR/<name>.json (same comparison) and every .npy byte for byte; the bad
file's and the duplicate's records; the exit status (1) and the last
stderr line. Then dask_corpus.py --resume re-emits the stored lines and
retries only the failed file, and a missing INPUT exits 2.

Skipped (with the reason) when the native library is not loaded, when
dask.distributed is not importable, or when the C tool is not built
(LIBCORE_CORPUS_FEATURES names it; else it is looked for beside the
library's build folder).
"""

import json
import os
import re
import subprocess
import sys
import wave

import numpy as np
import pytest

import libcore

SOURCE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))))
SCRIPT = os.path.join(SOURCE_ROOT, "examples", "python", "dask_corpus.py")

pytestmark = pytest.mark.skipif(libcore.backend() != "native",
                                reason="the Dask example runs libcore's collection (native only)")


def find_tool():
    tool = os.environ.get("LIBCORE_CORPUS_FEATURES")
    if tool:
        return tool if os.access(tool, os.X_OK) else None
    lib = os.environ.get("LIBCORE_LIBRARY")
    if not lib:
        return None
    build = os.path.dirname(os.path.dirname(os.path.abspath(lib)))
    for cand in (os.path.join(build, "examples", "corpus_features"),
                 os.path.join(build, "examples", "corpus_features", "corpus_features")):
        if os.path.isfile(cand) and os.access(cand, os.X_OK):
            return cand
    return None


@pytest.fixture(scope="module")
def deps():
    try:
        import dask  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as e:
        pytest.skip(f"dask.distributed not importable ({e}); Debian: python3-distributed")
    tool = find_tool()
    if tool is None:
        pytest.skip("the C tool corpus_features is not built (set LIBCORE_CORPUS_FEATURES)")
    return tool


def write_wav(path, x, rate, channels=1):
    pcm = np.clip(np.round(x * 32767), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory, deps):
    data = os.environ.get("LIBCORE_TESTDATA") or os.path.join(
        os.path.dirname(SOURCE_ROOT), "shared", "testdata")
    f32 = os.path.join(data, "jfk_16k.f32")
    if not os.path.exists(f32):
        if os.environ.get("LIBCORE_REQUIRE_TESTDATA", "") not in ("", "0"):
            pytest.fail(f"test data {f32} missing and LIBCORE_REQUIRE_TESTDATA=1")
        pytest.skip(f"test data {f32} not found (set LIBCORE_TESTDATA)")
    speech = np.fromfile(f32, dtype="<f4").astype(np.float64)
    rng = np.random.default_rng(13)
    root = tmp_path_factory.mktemp("dask") / "in"
    (root / "sub").mkdir(parents=True)
    # 8 good files: speech cut at different places, noise levels, rates, layouts.
    specs = [("a.wav", 16000, 1, 0, 4.0, 0.01), ("b.wav", 16000, 1, 2, 6.0, 0.03),
             ("c.wav", 8000, 1, 1, 3.0, 0.0), ("d.wav", 44100, 2, 3, 2.5, 0.02),
             ("sub/e.wav", 16000, 1, 5, 5.0, 0.1), ("sub/f.wav", 16000, 2, 0, 3.5, 0.005),
             ("sub/g.wav", 22050, 1, 4, 2.0, 0.05), ("noise.wav", 16000, 1, None, 3.0, 0.2)]
    for rel, rate, ch, start_s, dur, noise in specs:
        n = int(dur * rate)
        if start_s is None:
            x = np.zeros(n)
        else:
            seg = speech[int(start_s * 16000):int((start_s + dur) * 16000)]
            # Crude rate change by interpolation: the file only has to differ.
            x = np.interp(np.arange(n) * 16000 / rate, np.arange(seg.size), seg)
        x = x + noise * rng.standard_normal(n)
        if ch == 2:
            x = np.stack([x, 0.5 * x + 0.01 * rng.standard_normal(n)], axis=1).ravel()
        write_wav(root / rel, np.clip(x, -1, 1), rate, ch)
    (root / "bad.wav").write_text("not audio at all\n" * 20)                 # CORE_E_FORMAT
    (root / "sub" / "e.flac").write_bytes((root / "sub" / "e.wav").read_bytes())  # duplicate
    (root / ".hidden.wav").write_bytes((root / "a.wav").read_bytes())        # skipped
    return root


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    return p.returncode, p.stdout, p.stderr


def records(stdout, out):
    """path -> record, "features" relative to out."""
    got = {}
    for line in stdout.splitlines():
        r = json.loads(line)
        if r.get("features"):
            r["features"] = os.path.relpath(r["features"], out)
        assert r["path"] not in got, f"{r['path']} reported twice"
        got[r["path"]] = r
    return got


def tree(out):
    files = {}
    for d, _, names in os.walk(out):
        for nm in names:
            p = os.path.join(d, nm)
            files[os.path.relpath(p, out)] = p
    return files


def sidecar(path, out):
    data = open(path, "rb").read()
    assert data.endswith(b"\n") and data.count(b"\n") == 1
    r = json.loads(data)
    if r.get("features"):
        r["features"] = os.path.relpath(r["features"], out)
    return r


@pytest.fixture(scope="module")
def both(corpus_dir, deps, tmp_path_factory):
    base = tmp_path_factory.mktemp("outs")
    out_c, out_d = str(base / "c"), str(base / "d")
    c = run([deps, "--features", "--no-progress", "--threads", "2", "--out", out_c,
             str(corpus_dir)])
    d = run([sys.executable, SCRIPT, str(corpus_dir), "--out", out_d, "--features",
             "--workers", "2"])
    return (c, out_c), (d, out_d)


def test_same_records_and_exit_status(both, corpus_dir):
    ((c_rc, c_out, c_err), out_c), ((d_rc, d_out, d_err), out_d) = both
    assert c_rc == 1, c_err
    assert d_rc == 1, d_err
    rc, rd = records(c_out, out_c), records(d_out, out_d)
    assert len(rc) == 10      # 8 good + bad + duplicate (the hidden file is skipped)
    assert rc == rd
    ok = [r for r in rc.values() if r["status"] == "CORE_OK"]
    assert len(ok) == 8 and all(r["mel_frames"] > 0 for r in ok)
    bad = rc[str(corpus_dir / "bad.wav")]
    assert bad["status"] == "CORE_E_FORMAT" and bad["error"]
    dup = rc[str(corpus_dir / "sub" / "e.wav")]
    assert dup == {"path": str(corpus_dir / "sub" / "e.wav"),
                   "status": "CORE_E_INVALID_ARGUMENT",
                   "error": f"duplicate output name 'sub/e' (also {corpus_dir / 'sub' / 'e.flac'})"}
    assert c_err.rstrip("\n").splitlines()[-1] == "2 of 10 files failed"
    assert d_err.rstrip("\n").splitlines()[-1] == "2 of 10 files failed"
    assert f"FAILED {corpus_dir / 'bad.wav'}: CORE_E_FORMAT" in d_err
    assert "dask: 2 workers at tcp://" in d_err          # really a 2-worker cluster
    assert re.search(r"^  collection\.file +file +9 ", d_err, re.M), d_err   # 8 good + bad


def test_same_files_byte_for_byte(both):
    (_, out_c), (_, out_d) = both
    tc, td = tree(out_c), tree(out_d)
    assert sorted(tc) == sorted(td)
    assert sorted(tc) == sorted(
        ["a.json", "a.npy", "b.json", "b.npy", "c.json", "c.npy", "d.json", "d.npy",
         "noise.json", "noise.npy", "bad.json", "sub/e.json", "sub/e.npy", "sub/f.json",
         "sub/f.npy", "sub/g.json", "sub/g.npy"])
    for rel in tc:
        if rel.endswith(".npy"):
            assert open(tc[rel], "rb").read() == open(td[rel], "rb").read(), rel
        else:
            assert sidecar(tc[rel], out_c) == sidecar(td[rel], out_d), rel
    mel = np.load(tc["a.npy"])
    assert mel.dtype == np.float32 and mel.shape == (4 * 16000 // 160, 80)


def test_resume_and_usage(both, corpus_dir):
    ((c_rc, c_out, _), out_c), ((_, d_out, _), out_d) = both
    rc, rd, err = run([sys.executable, SCRIPT, str(corpus_dir), "--out", out_d, "--features",
                       "--workers", "2", "--resume"])
    assert rc == 1, err
    again = records(rd, out_d)
    assert again == records(c_out, out_c)
    assert re.search(r"^  skipped \(resumed\) +8$", err, re.M), err
    # The stored lines are re-emitted as they are.
    first = {json.loads(line)["path"]: line for line in d_out.splitlines()}
    for line in rd.splitlines():
        if json.loads(line)["status"] == "CORE_OK":
            assert line == first[json.loads(line)["path"]]
    rc, out, err = run([sys.executable, SCRIPT, str(corpus_dir / "nope"), "--out",
                        str(corpus_dir.parent / "never")])
    assert rc == 2 and out == "" and "nope" in err
    assert not os.path.exists(corpus_dir.parent / "never")
