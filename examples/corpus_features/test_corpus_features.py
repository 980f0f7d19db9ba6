#!/usr/bin/python3
"""End-to-end test of the corpus_features tool on a generated corpus.

    test_corpus_features.py TOOL [TESTDATA_DIR]

Builds, in a temporary folder, a small corpus from real speech
(jfk_16k.f32 of the test data, found through $LIBCORE_TESTDATA, else
TESTDATA_DIR) plus noise: 16 kHz mono WAVs (one in a subfolder), a 44.1 kHz
stereo WAV, a FLAC (a copy of jfk_16k.flac) and a WAV with no frames; and
bad files: an empty file, a truncated WAV (its header announces more data
than it holds), a text file named x.wav, an unreadable file (chmod 000;
skipped when running as root, who can read it anyway) and a duplicate
output name (dup.wav beside dup.flac). A hidden file and a *.partial file
must be ignored. Then checks, through the tool's own outputs:

  - exit status 1, "N of M files failed" last on stderr, a FAILED line with
    the right status per bad file, a failed JSON record per bad file;
  - every good file: status CORE_OK, samples as expected from its header
    (rate conversion rounds to nearest), duration = samples / rate,
    segments for speech, DIR/<name>.json = its stdout line, mirrored
    subfolders, a .npy that numpy.load reads as float32 (mel_frames, 80)
    with mel_frames = samples // 160 (Whisper drops torch.stft's last
    frame, audio.h convention 2);
  - --threads 1 and --threads 2 give the same JSON lines and .npy bytes;
  - --resume after deleting one sidecar and cutting another short redoes
    exactly those two (and the failed files), the table's "skipped
    (resumed)" count says so, and stdout is the first run's set again;
  - a list file with relative paths (relative to the list's folder), a
    comment, blank lines and a duplicate basename; --no-vad;
  - exit 2 with nothing on stdout: missing INPUT, --out under /proc (not
    creatable even by root), a read-only --out (not as root), --features
    without --out, an unknown option, an audio file given as INPUT.

Exit 0 pass, 1 fail, 77 skip (numpy or test data missing; a failure for
missing data under LIBCORE_REQUIRE_TESTDATA=1).
"""
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import wave

SKIP = 77
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)
    return cond


try:
    import numpy as np
except ImportError:
    print("SKIP: numpy missing for", sys.executable)
    sys.exit(SKIP)

if len(sys.argv) < 2:
    print(__doc__)
    sys.exit(2)
TOOL = os.path.abspath(sys.argv[1])
TESTDATA = os.environ.get("LIBCORE_TESTDATA") or (sys.argv[2] if len(sys.argv) > 2 else "")
SPEECH_F32 = os.path.join(TESTDATA, "jfk_16k.f32")
FLAC_SRC = os.path.join(TESTDATA, "jfk_16k.flac")
if not (os.path.isfile(SPEECH_F32) and os.path.isfile(FLAC_SRC)):
    print("test data missing: %s / %s (set LIBCORE_TESTDATA)" % (SPEECH_F32, FLAC_SRC))
    sys.exit(1 if os.environ.get("LIBCORE_REQUIRE_TESTDATA") == "1" else SKIP)

IS_ROOT = os.geteuid() == 0
RATE = 16000


def run(*args, cwd=None):
    p = subprocess.run([TOOL, *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def write_wav(path, x, rate, channels=1):
    """x: float array, (n,) or (n, channels), written as PCM16."""
    pcm = np.clip(np.round(np.asarray(x) * 32768.0), -32768, 32767).astype("<i2")
    with wave.open(path, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return pcm.shape[0]


def expected_samples(frames, file_rate):
    # frames * RATE / file_rate rounded to nearest, halves up (audio.h).
    return (2 * frames * RATE + file_rate) // (2 * file_rate)


def lines_of(out):
    return [l for l in out.split("\n") if l]


def records(out):
    return {r["path"]: r for r in map(json.loads, lines_of(out))}


def skipped_count(err):
    m = re.search(r"^\s*skipped \(resumed\)\s+(\d+)\s*$", err, re.M)
    return int(m.group(1)) if m else None


def main():
    tmp = tempfile.mkdtemp(prefix="corpus_features_test.")
    keep = False
    try:
        keep = not body(tmp)
    finally:
        if keep:
            print("outputs kept in", tmp)
        else:
            for root, dirs, _ in os.walk(tmp):
                for d in dirs:
                    os.chmod(os.path.join(root, d), 0o755)
            shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("all checks passed")
    return 0


def body(tmp):
    rng = np.random.default_rng(13)
    speech = np.fromfile(SPEECH_F32, dtype="<f4").astype(np.float64)
    corpus = os.path.join(tmp, "corpus")
    os.makedirs(os.path.join(corpus, "sub"))
    P = lambda name: os.path.join(corpus, name)

    good = {}  # path -> (frames, file_rate, channels, has_speech)
    good[P("speech.wav")] = (write_wav(P("speech.wav"), speech, RATE), RATE, 1, True)
    noisy = speech + 0.01 * rng.standard_normal(speech.size)
    good[P("speech_noise.wav")] = (write_wav(P("speech_noise.wav"), noisy, RATE), RATE, 1, True)
    good[P("sub/noise.wav")] = (
        write_wav(P("sub/noise.wav"), 0.05 * rng.standard_normal(3 * RATE), RATE), RATE, 1, None)
    # 44.1 kHz stereo: the speech resampled by linear interpolation (any
    # signal will do: the check is the count and the header).
    t44 = np.arange(int(speech.size * 44100 / RATE)) / 44100.0
    s44 = np.interp(t44, np.arange(speech.size) / RATE, speech)
    st44 = np.stack([s44, 0.5 * s44], axis=1)
    good[P("stereo44.wav")] = (write_wav(P("stereo44.wav"), st44, 44100, 2), 44100, 2, True)
    good[P("zero.wav")] = (write_wav(P("zero.wav"), np.zeros(0), RATE), RATE, 1, None)
    shutil.copyfile(FLAC_SRC, P("dup.flac"))
    good[P("dup.flac")] = (176000, RATE, 1, True)  # jfk_16k.flac: 11 s

    bad = {}  # path -> status
    write_wav(P("dup.wav"), 0.1 * rng.standard_normal(RATE), RATE)
    bad[P("dup.wav")] = "CORE_E_INVALID_ARGUMENT"
    open(P("empty.wav"), "wb").close()
    bad[P("empty.wav")] = "CORE_E_FORMAT"
    write_wav(P("truncated.wav"), 0.1 * rng.standard_normal(RATE), RATE)
    with open(P("truncated.wav"), "r+b") as f:
        f.truncate(44 + RATE)  # half the data the header announces
    bad[P("truncated.wav")] = "CORE_E_FORMAT"
    with open(P("x.wav"), "w") as f:
        f.write("this is not audio\n" * 20)
    bad[P("x.wav")] = "CORE_E_FORMAT"
    if IS_ROOT:
        print("note: running as root, the unreadable-file case is skipped "
              "(root reads a chmod 000 file)")
    else:
        write_wav(P("unreadable.wav"), np.zeros(RATE), RATE)
        os.chmod(P("unreadable.wav"), 0)
        bad[P("unreadable.wav")] = "CORE_E_IO"
    # Ignored by the walk: hidden, and an interrupted writer's partial.
    write_wav(P(".hidden.wav"), np.zeros(RATE), RATE)
    write_wav(P("sub/left.wav.partial"), np.zeros(RATE), RATE)

    n_all = len(good) + len(bad)
    out = os.path.join(tmp, "out")
    metrics = os.path.join(tmp, "metrics.prom")

    # ---- run 1: one thread, features, progress into a pipe -----------------
    rc, so, se = run("--threads", "1", "--out", out, "--features", "--progress",
                     "--metrics", metrics, corpus)
    print("run 1: exit %d\n%s" % (rc, se))
    check(rc == 1, "run 1 exits 1 (some files failed), got %d" % rc)
    err_lines = se.rstrip("\n").split("\n")
    check(err_lines[-1] == "%d of %d files failed" % (len(bad), n_all),
          "last stderr line is '%d of %d files failed': %r" % (len(bad), n_all, err_lines[-1]))
    check(re.search(r"files/s", se) is not None, "--progress draws a bar")
    check("collection.file" in se, "the table lists collection.file")
    recs = records(so)
    check(len(lines_of(so)) == n_all, "one line per file: %d, want %d" % (len(lines_of(so)), n_all))
    check(set(recs) == set(good) | set(bad), "paths: %s" % sorted(set(recs) ^ (set(good) | set(bad))))
    for path, status in bad.items():
        r = recs.get(path, {})
        check(r.get("status") == status, "%s: status %s, want %s" % (path, r.get("status"), status))
        check(isinstance(r.get("error"), str) and r.get("error"), "%s: an error message" % path)
        check(re.search(r"^FAILED %s: %s \S" % (re.escape(path), status), se, re.M) is not None,
              "FAILED line for %s with %s" % (path, status))
    check("also %s" % P("dup.flac") in recs.get(P("dup.wav"), {}).get("error", ""),
          "dup.wav's error names dup.flac")
    with open(os.path.join(out, "dup.json")) as f:  # the first one's, not overwritten
        check(json.loads(f.read())["path"] == P("dup.flac"), "dup.json is dup.flac's")

    line_of = {json.loads(l)["path"]: l for l in lines_of(so)}
    npy_bytes = {}
    for path, (frames, file_rate, channels, has_speech) in good.items():
        r = recs.get(path)
        if not check(r and r["status"] == "CORE_OK", "%s is CORE_OK: %s" % (path, r)):
            continue
        n = expected_samples(frames, file_rate)
        check(r["samples"] == n, "%s: samples %s, want %d" % (path, r["samples"], n))
        check(r["duration"] == n / RATE, "%s: duration %r, want %r" % (path, r["duration"], n / RATE))
        check(r["rate"] == RATE and r["file_rate"] == file_rate and r["channels"] == channels
              and r["frames"] == frames, "%s: header fields %s" % (path, r))
        if has_speech:
            check(len(r["segments"]) > 0 and r["speech"] > 0, "%s: speech segments" % path)
            check(all(0 <= a < b <= n for a, b in r["segments"]), "%s: segments in range" % path)
        name = os.path.splitext(os.path.relpath(path, corpus))[0]
        side = os.path.join(out, name + ".json")
        with open(side) as f:
            check(f.read() == line_of[path] + "\n", "%s holds the stdout line" % side)
        npy = os.path.join(out, name + ".npy")
        check(r["features"] == npy, "%s: features %r" % (path, r["features"]))
        check(r["mel_frames"] == n // 160, "%s: mel_frames %s, want samples // 160 = %d"
              % (path, r["mel_frames"], n // 160))
        a = np.load(npy)
        check(a.dtype == np.dtype("<f4") and a.shape == (r["mel_frames"], 80),
              "%s: dtype %s shape %s, want float32 (%d, 80)" % (npy, a.dtype, a.shape, r["mel_frames"]))
        check(np.isfinite(a).all(), "%s: finite" % npy)
        with open(npy, "rb") as f:
            npy_bytes[npy] = f.read()
    zero = recs.get(P("zero.wav"), {})
    check(zero.get("samples") == 0 and zero.get("min") is None and zero.get("mel_frames") == 0,
          "zero.wav: no samples, min null: %s" % zero)
    check(os.path.isfile(os.path.join(out, "sub", "noise.json")), "subfolder mirrored")
    for path in bad:
        if bad[path] != "CORE_E_INVALID_ARGUMENT":
            name = os.path.splitext(os.path.relpath(path, corpus))[0]
            with open(os.path.join(out, name + ".json")) as f:
                check(json.loads(f.read())["status"] == bad[path], "%s: failed sidecar" % path)
    with open(metrics) as f:
        prom = f.read()
    check("# TYPE collection_file_seconds histogram" in prom, "--metrics writes Prometheus text")
    leftovers = [f for _, _, fs in os.walk(out) for f in fs if f.endswith(".partial") or
                 f.startswith(".")]
    check(not leftovers, "no partial or probe files left: %s" % leftovers)

    # ---- run 2: two threads, same outputs, byte for byte -------------------
    rc2, so2, se2 = run("--threads", "2", "--out", out, "--features", "--no-progress", corpus)
    check(rc2 == 1, "run 2 exits 1, got %d" % rc2)
    check(sorted(lines_of(so2)) == sorted(lines_of(so)), "--threads 2 gives the same JSON lines")
    for npy, b in npy_bytes.items():
        with open(npy, "rb") as f:
            check(f.read() == b, "%s: same bytes with --threads 2" % npy)

    # ---- run 3: --resume after losing one sidecar and cutting another ------
    os.remove(os.path.join(out, "speech.json"))
    side = os.path.join(out, "sub", "noise.json")
    with open(side, "rb") as f:
        data = f.read()
    with open(side, "wb") as f:
        f.write(data[:-1])  # no newline: not complete
    rc3, so3, se3 = run("--threads", "2", "--out", out, "--features", "--resume", corpus)
    print("run 3 (--resume): exit %d\n%s" % (rc3, se3))
    check(rc3 == 1, "run 3 exits 1, got %d" % rc3)
    check(sorted(lines_of(so3)) == sorted(lines_of(so)), "--resume prints the first run's set")
    want_skipped = len(good) - 2
    check(skipped_count(se3) == want_skipped,
          "--resume skipped %s files, want %d" % (skipped_count(se3), want_skipped))
    m = re.search(r"^\s*ok\s+(\d+)\s*$", se3, re.M)
    check(m and int(m.group(1)) == 2, "--resume processed 2 good files: %s" % (m and m.group(1)))
    with open(os.path.join(out, "speech.json")) as f:
        check(f.read() == line_of[P("speech.wav")] + "\n", "speech.json rewritten")
    for npy, b in npy_bytes.items():
        with open(npy, "rb") as f:
            check(f.read() == b, "%s: same bytes after --resume" % npy)
    # Everything complete: a second resume redoes only the failed files.
    rc4, so4, se4 = run("--out", out, "--features", "--resume", corpus)
    check(skipped_count(se4) == len(good) and sorted(lines_of(so4)) == sorted(lines_of(so)),
          "a complete run resumes everything: skipped %s" % skipped_count(se4))

    # ---- a list file, relative paths, run from another folder --------------
    lists = os.path.join(tmp, "lists")
    os.makedirs(os.path.join(lists, "again"))
    shutil.copyfile(P("speech.wav"), os.path.join(lists, "again", "speech.wav"))
    with open(os.path.join(lists, "list.txt"), "w") as f:
        f.write("# a comment\n\n../corpus/speech.wav\n  %s  \n\nagain/speech.wav\n"
                % P("stereo44.wav"))
    rc5, so5, se5 = run("--no-progress", "lists/list.txt", cwd=tmp)
    check(rc5 == 1, "list run exits 1 (a duplicate basename), got %d" % rc5)
    r5 = records(so5)
    first, second = "lists/../corpus/speech.wav", "lists/again/speech.wav"
    check(set(r5) == {first, P("stereo44.wav"), second}, "list paths: %s" % sorted(r5))
    if first in r5:
        want = dict(recs[P("speech.wav")], path=first, features=None, mel_frames=0)
        check(r5[first] == want, "a list entry gives the folder run's record")
    check(r5.get(second, {}).get("status") == "CORE_E_INVALID_ARGUMENT" and
          "duplicate output name 'speech' (also %s)" % first in r5.get(second, {}).get("error", ""),
          "same basename twice in a list: the later fails: %s" % r5.get(second))
    check(se5.rstrip("\n").split("\n")[-1] == "1 of 3 files failed", "list run's last line")
    rc6, so6, _ = run("--no-vad", "--no-progress", os.path.join(lists, "list.txt"))
    check(all(r["segments"] == [] and r["speech"] == 0 for r in records(so6).values()
              if r["status"] == "CORE_OK"), "--no-vad: no segments")

    # ---- usage errors: exit 2, nothing on stdout --------------------------
    def usage(args, why):
        rc, so, se = run(*args)
        check(rc == 2 and so == "" and se.strip() != "",
              "%s: exit 2 and a message, got %d, stdout %r, stderr %r" % (why, rc, so[:80], se[:200]))

    usage([os.path.join(tmp, "no_such_folder")], "missing INPUT")
    usage(["--out", "/proc/corpus_features_test/out", corpus], "--out under /proc")
    usage(["--features", corpus], "--features without --out")
    usage(["--bogus", corpus], "unknown option")
    usage(["--threads", "x", corpus], "bad --threads")
    usage([P("speech.wav")], "an audio file as INPUT")
    usage(["--rate", "22050", corpus], "a rate the VAD cannot take")
    usage(["--out", corpus, corpus], "--out the INPUT folder")
    # --out inside INPUT: the walk skips it (a second run sees no sidecars).
    inner = os.path.join(corpus, "feats")
    rc7, so7, _ = run("--out", inner, corpus)
    rc8, so8, _ = run("--out", inner, corpus)
    check(rc8 == rc7 == 1 and sorted(lines_of(so8)) == sorted(lines_of(so7)) and
          len(lines_of(so8)) == n_all, "--out inside INPUT is not walked")
    shutil.rmtree(inner)
    if IS_ROOT:
        print("note: running as root, the read-only --out case is skipped (root writes anyway)")
    else:
        ro = os.path.join(tmp, "ro")
        os.makedirs(ro)
        os.chmod(ro, 0o555)
        usage(["--out", os.path.join(ro, "out"), corpus], "--out in a read-only folder")
        usage(["--out", ro, corpus], "--out a read-only folder")
    return not failures


if __name__ == "__main__":
    sys.exit(main())
