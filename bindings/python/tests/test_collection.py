"""libcore.collection (core_collection_run through ctypes) and libcore.corpus
(the corpus tools' naming and sidecar rules).

The collection's records are checked against the library's own one-file
functions on the same samples: read_audio (core_audio_read) for the
samples, libcore.stats for min/max/mean/std, sqrt(mean of squares) for rms,
Vad.process (core_vad_segments) for the segments, LogMelStream (and
LogMel.compute for clips under 30 s) for the .npy, audio_info for the
header. Also: error records for a missing, a non-audio and an empty file;
an exception in the callback stops the run and is re-raised; 1 vs 2
threads and small vs default chunks give identical records and .npy bytes;
the ctypes structures against the C compiler's sizeof/offsetof; metrics.

Native only (LIBCORE_DISABLE=1: skipped with the reason, except the corpus
naming tests, which are pure Python).
"""

import ctypes
import json
import math
import os
import wave

import numpy as np
import pytest

import libcore
from libcore import LibcoreError, corpus
from libcore import collection as col

NATIVE = libcore.backend() == "native"
native_only = pytest.mark.skipif(not NATIVE, reason="core_collection_run needs the native "
                                 "library (this run uses the NumPy fallback)")
RATE = 16000


@pytest.mark.skipif(NATIVE, reason="the native library is loaded")
def test_unavailable_under_numpy():
    with pytest.raises(libcore.LibcoreUnavailable, match="collection.run needs the native"):
        col.run(["a.wav"])
    with pytest.raises(libcore.LibcoreUnavailable):
        col.summarize_file("a.wav")


def write_wav(path, x, rate=RATE, channels=1):
    """x float in [-1, 1] (frames * channels interleaved) as PCM16 WAV."""
    pcm = np.clip(np.round(np.asarray(x) * 32767), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return str(path)


@pytest.fixture
def clips(tmp_path, testdata):
    """Real speech (16 kHz WAV, 44.1 kHz stereo FLAC, a 22 s WAV with
    gaps) and generated noise with a tone burst."""
    rng = np.random.default_rng(7)
    t = np.arange(3 * RATE) / RATE
    tone = 0.3 * np.sin(2 * np.pi * 440 * t) * ((t > 1) & (t < 2))
    noisy = write_wav(tmp_path / "noise_tone.wav", 0.02 * rng.standard_normal(t.size) + tone)
    return [testdata("jfk_16k.wav"), testdata("jfk_44k1_stereo_orig.flac"),
            testdata("speech_gaps_16k.wav"), noisy]


def reference(path, rate=RATE):
    """What the one-file functions say about path."""
    x = libcore.read_audio(path, rate=rate)
    s = libcore.stats(x)
    seg = libcore.Vad("default", sample_rate=rate).process(x)
    with libcore.LogMelStream(n_mels=80, sample_rate=rate) as st:
        st.push(x)
        st.flush()
        mel = st.read()
    return x, s, seg, mel


@native_only
def test_records_match_one_file_functions(clips, tmp_path):
    outs = [str(tmp_path / f"f{i}.npy") for i in range(len(clips))]
    rows = col.run(clips, outs, features=True)
    assert [r["path"] for r in rows] == clips
    for path, out, r in zip(clips, outs, rows):
        assert r["status"] == "CORE_OK" and r["error"] is None, r
        x, s, seg, mel = reference(path)
        info = libcore.audio_info(path)
        assert (r["format"], r["file_rate"], r["channels"], r["bits"], r["frames"]) == \
            (info.format, info.sample_rate, info.channels, info.bits, info.frames)
        assert r["rate"] == RATE and r["samples"] == x.size
        assert r["duration"] == x.size / RATE
        # 17 significant digits round-trip a double exactly: equal, not close.
        assert (r["min"], r["max"], r["mean"]) == (s.min, s.max, s.mean)
        assert r["std"] == s.std(ddof=0)
        # rms: the library derives it from its accumulated sums, not from one
        # pass over the squares: equal within a few ulp, not bit for bit.
        ref_rms = math.sqrt(float(np.mean(x.astype(np.float64) ** 2)))
        assert r["rms"] == pytest.approx(ref_rms, rel=1e-12)
        assert r["segments"] == [list(p) for p in seg]
        assert r["segments_total"] == len(seg)
        assert r["speech"] == pytest.approx(sum(e - b for b, e in seg) / RATE, rel=1e-12)
        assert r["features"] == out and r["mel_frames"] == mel.shape[0]
        got = np.load(out)
        assert got.dtype == np.dtype("<f4") and got.shape == mel.shape == (x.size // 160, 80)
        np.testing.assert_array_equal(got, mel)
        if x.size <= 30 * RATE:    # one normalization window: the offline log-mel too
            np.testing.assert_array_equal(got, libcore.LogMel(n_mels=80).compute(x).T)
        assert r["seconds"] > 0
        assert not os.path.exists(out + ".partial")
    assert len(rows[2]["segments"]) >= 3          # speech_gaps: several segments


@native_only
def test_no_vad_no_features_and_rate(clips):
    rows = col.run(clips[:2], rate=8000, vad=False)
    for path, r in zip(clips, rows):
        x = libcore.read_audio(path, rate=8000)
        assert r["status"] == "CORE_OK" and r["rate"] == 8000 and r["samples"] == x.size
        assert r["segments"] == [] and r["segments_total"] == 0 and r["speech"] == 0
        assert r["features"] is None and r["mel_frames"] == 0
        assert r["mean"] == libcore.stats(x).mean


@native_only
def test_error_records(clips, tmp_path):
    text = tmp_path / "notes.wav"
    text.write_text("this is not audio\n" * 50)
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    truncated = tmp_path / "truncated.wav"
    truncated.write_bytes(open(clips[0], "rb").read()[:30])   # header cut short
    missing = str(tmp_path / "missing.wav")
    paths = [missing, clips[0], str(text), str(empty), str(truncated)]
    rows = col.run(paths, [str(tmp_path / f"o{i}.npy") for i in range(5)], features=True)
    assert rows[1]["status"] == "CORE_OK"
    assert rows[0]["status"] == "CORE_E_NOT_FOUND"
    for p, r in zip(paths, rows):
        if p == clips[0]:
            continue
        assert set(r) == {"path", "status", "error", "seconds"}, r
        assert r["path"] == p and r["status"] != "CORE_OK" and r["error"]
        # The same verdict as the one-file reader on that path.
        with pytest.raises(LibcoreError) as ei:
            libcore.read_audio(p)
        assert r["status"] == ei.value.name, (p, r, str(ei.value))
    for i in (0, 2, 3, 4):
        assert not os.path.exists(tmp_path / f"o{i}.npy")
        assert not os.path.exists(tmp_path / f"o{i}.npy.partial")


@native_only
def test_unwritable_output_is_a_file_error(clips, tmp_path):
    rows = col.run(clips[:2], [str(tmp_path / "no" / "such" / "dir.npy"), str(tmp_path / "ok.npy")],
                   features=True)
    assert rows[0]["status"] != "CORE_OK" and rows[0]["error"]
    assert rows[1]["status"] == "CORE_OK" and os.path.exists(tmp_path / "ok.npy")


@native_only
def test_callback_exception_stops_and_is_reraised(clips):
    class Boom(Exception):
        pass

    seen = []

    def cb(rec):
        seen.append(rec["path"])
        raise Boom(rec["path"])

    old = col.get_num_threads()
    col.set_num_threads(1)
    try:
        with pytest.raises(Boom) as ei:
            col.run(clips * 3, callback=cb)
    finally:
        col.set_num_threads(old)
    assert str(ei.value) == seen[0]
    # Serial arena: the first file's callback stopped the run, nothing else started.
    assert len(seen) == 1
    # A callback that returns normally sees every record once, as run() returns them.
    got = []
    rows = col.run(clips, callback=got.append)
    assert sorted(r["path"] for r in got) == sorted(clips)
    assert sorted(json.dumps(r, sort_keys=True) for r in got) == \
        sorted(json.dumps(r, sort_keys=True) for r in rows)


def _strip_seconds(rows):
    return [{k: v for k, v in r.items() if k != "seconds"} for r in rows]


@native_only
def test_threads_and_chunks_do_not_change_results(clips, tmp_path):
    old = col.get_num_threads()
    results = {}
    try:
        for threads, chunk in ((1, 65536), (2, 65536), (2, 1000)):
            col.set_num_threads(threads)
            assert col.get_num_threads() == threads
            d = tmp_path / f"t{threads}_{chunk}"
            d.mkdir()
            outs = [str(d / f"{i}.npy") for i in range(len(clips))]
            rows = col.run(clips, outs, features=True, chunk_samples=chunk)
            for r in rows:
                r["features"] = os.path.basename(r["features"])
            results[threads, chunk] = (_strip_seconds(rows),
                                       [open(o, "rb").read() for o in outs])
    finally:
        col.set_num_threads(old)
    assert results[1, 65536] == results[2, 65536] == results[2, 1000]


@native_only
def test_summarize_file_and_summary_json(clips, tmp_path):
    line, rec = col.summarize_file(clips[0], str(tmp_path / "a.npy"))
    assert isinstance(line, str) and "\n" not in line
    assert json.loads(line) == {k: v for k, v in rec.items() if k != "seconds"}
    assert rec["features"] == str(tmp_path / "a.npy") and rec["mel_frames"] > 0
    line2, rec2 = col.summarize_file(clips[0])
    assert rec2["features"] is None and rec2["segments"] == rec["segments"]
    bad_line, bad = col.summarize_file(str(tmp_path / "nope.wav"))
    assert bad["status"] == "CORE_E_NOT_FOUND"
    dup = col.summary_json("d/\"q\"\u00e9.wav", "CORE_E_INVALID_ARGUMENT",
                           "duplicate output name 'x'")
    assert json.loads(dup) == {"path": "d/\"q\"\u00e9.wav", "status": "CORE_E_INVALID_ARGUMENT",
                               "error": "duplicate output name 'x'"}
    assert dup.startswith('{"path":')
    with pytest.raises(TypeError):
        col.summarize_file(clips[0], threads=2)


@native_only
def test_non_utf8_path_round_trips(clips, tmp_path):
    """A file name that is not UTF-8: the library copies its bytes into the
    JSON; the record holds them surrogate-escaped (os.fsdecode), and the
    sidecar written from the line has the library's bytes again."""
    raw = os.fsencode(str(tmp_path)) + b"/caf\xe9.wav"
    with open(raw, "wb") as f:
        f.write(open(clips[0], "rb").read())
    line, rec = col.summarize_file(raw)
    assert rec["status"] == "CORE_OK" and rec["path"] == os.fsdecode(raw)
    assert line.encode("utf-8", errors="surrogateescape").startswith(b'{"path":"' + raw + b'"')
    corpus.write_sidecar(str(tmp_path), "x", line)
    assert open(tmp_path / "x.json", "rb").read().startswith(b'{"path":"' + raw + b'"')
    bad = col.summary_json(os.fsdecode(raw), "CORE_E_IO", "cannot read " + os.fsdecode(raw))
    assert bad.encode("utf-8", errors="surrogateescape") == \
        b'{"path":"' + raw + b'","status":"CORE_E_IO","error":"cannot read ' + raw + b'"}'


@native_only
def test_bad_options_and_arguments(clips):
    with pytest.raises(LibcoreError) as ei:
        col.run(clips[:1], rate=0)
    assert ei.value.name == "CORE_E_INVALID_ARGUMENT"
    assert ei.value.message.startswith("core_collection_run")
    with pytest.raises(LibcoreError) as ei:
        col.run(clips[:1], chunk_samples=0)
    assert ei.value.name == "CORE_E_INVALID_ARGUMENT"
    with pytest.raises(LibcoreError):
        col.run(clips[:1], chunk_samples=col.MAX_CHUNK + 1)
    with pytest.raises(ValueError):
        col.run(clips[:2], ["a.npy"])
    with pytest.raises(TypeError):
        col.run(clips[0])
    with pytest.raises(LibcoreError):
        col.set_num_threads(-1)
    assert col.run([]) == []


@native_only
def test_metrics_registry_receives_stage_timers(clips):
    with libcore.Metrics() as m:
        col.run(clips, metrics=m, features=False)
        col.run(clips[:1], metrics=m, features=False)     # a registry serves many runs
        assert m.timer("collection.file").stats().count == len(clips) + 1
        for stage in ("read", "stats", "vad"):
            assert m.timer(f"collection.{stage}").stats().count >= len(clips) + 1, stage
        assert m.timer("collection.logmel").stats().count == 0        # features off
        assert "collection_file_seconds" in m.prometheus()


@native_only
def test_struct_sizes_written_by_library(clips):
    lib = libcore._native.library()
    o = col.CollectionOptions()
    assert lib.core_collection_options_init(ctypes.byref(o)) == 0
    assert o.struct_size == ctypes.sizeof(col.CollectionOptions)
    assert o.vad_options.struct_size == ctypes.sizeof(libcore.audio.VadOptions)
    assert o.logmel_options.struct_size == ctypes.sizeof(libcore.audio.LogMelOptions)
    assert (o.sample_rate, o.chunk_samples, o.vad, o.features, o.max_segments, o.metrics) == \
        (16000, 65536, 1, 0, 100000, None)
    sizes = []

    def cb(s, _):
        sizes.append(s.contents.struct_size)
        return 0
    fn = col._CALLBACK(cb)
    paths = (ctypes.c_char_p * 1)(clips[0].encode())
    assert lib.core_collection_run(paths, 1, None, ctypes.byref(o), fn, None) == 0
    assert sizes == [ctypes.sizeof(col.FileSummary)]


_LAYOUT_C = r"""
#include <stddef.h>
#include <stdio.h>
#include <core/collection.h>
#define F(T, f) printf(#T "." #f " %zu\n", offsetof(T, f))
int main(void) {
  printf("core_collection_options_t %zu\n", sizeof(core_collection_options_t));
  F(core_collection_options_t, struct_size); F(core_collection_options_t, sample_rate);
  F(core_collection_options_t, chunk_samples); F(core_collection_options_t, vad);
  F(core_collection_options_t, vad_options); F(core_collection_options_t, features);
  F(core_collection_options_t, logmel_options); F(core_collection_options_t, max_segments);
  F(core_collection_options_t, metrics);
  printf("core_file_summary_t %zu\n", sizeof(core_file_summary_t));
  F(core_file_summary_t, struct_size); F(core_file_summary_t, index);
  F(core_file_summary_t, path); F(core_file_summary_t, status); F(core_file_summary_t, message);
  F(core_file_summary_t, info); F(core_file_summary_t, sample_rate);
  F(core_file_summary_t, samples); F(core_file_summary_t, duration);
  F(core_file_summary_t, stats); F(core_file_summary_t, rms); F(core_file_summary_t, segments);
  F(core_file_summary_t, n_segments); F(core_file_summary_t, segments_total);
  F(core_file_summary_t, speech); F(core_file_summary_t, mel_frames);
  F(core_file_summary_t, output); F(core_file_summary_t, seconds);
  return 0;
}
"""


def test_struct_layouts_match_c(c_layout):
    """Pure layout: runs on both backends (no library call)."""
    c = c_layout(_LAYOUT_C, "collection.h")
    for cname, py in (("core_collection_options_t", col.CollectionOptions),
                      ("core_file_summary_t", col.FileSummary)):
        assert c[cname] == ctypes.sizeof(py), cname
        for name, _ in py._fields_:
            assert c[f"{cname}.{name}"] == getattr(py, name).offset, (cname, name)


# ---- corpus layout (pure Python) ----------------------------------------------------------

def test_corpus_folder_names_and_duplicates(tmp_path):
    root = tmp_path / "in"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "dir.partial").mkdir()
    for rel in ("b.wav", "a.wav", "a.flac", "sub/c.ogg", "sub/deeper/d.tar.gz", "noext",
                "x..y", "e.", ".dot.wav", "x.wav.partial", ".hidden/h.wav", "dir.partial/p.wav"):
        (root / rel).write_bytes(b"x")
    os.symlink(root / "b.wav", root / "link.wav")             # a link to a file: attempted
    os.symlink(root / "missing.wav", root / "dangling.wav")   # dangling: the library reports it
    os.symlink(root / "sub", root / "loop")                   # a link to a folder: not followed
    os.mkfifo(root / "fifo.wav")                              # not a regular file: skipped
    out = root / "out"                                        # --out inside INPUT: not walked
    out.mkdir()
    (out / "old.wav").write_bytes(b"x")
    entries = corpus.collect(str(root), str(out))
    got = [(os.path.relpath(e.path, root), e.name, e.status, e.error) for e in entries]
    dup = f"duplicate output name 'a' (also {root / 'a.flac'})"
    assert got == [
        ("a.flac", "a", None, None),
        ("a.wav", "a", "CORE_E_INVALID_ARGUMENT", dup),
        ("b.wav", "b", None, None),
        ("dangling.wav", "dangling", None, None),
        ("e.", "e", None, None),
        ("link.wav", "link", None, None),
        ("noext", "noext", None, None),
        ("sub/c.ogg", "sub/c", None, None),
        ("sub/deeper/d.tar.gz", "sub/deeper/d.tar", None, None),
        ("x..y", "x.", None, None),
    ]
    # The path is INPUT joined to the relative path, one '/' between them.
    assert entries[0].path == str(root) + "/a.flac"
    assert corpus.collect(str(root) + "/", str(out))[0].path == str(root) + "/a.flac"
    # Without --out inside it, the out folder's files are inputs like any other.
    assert "out/old" in [e.name for e in corpus.collect(str(root))]


def test_corpus_list_file(tmp_path):
    (tmp_path / "lists").mkdir()
    lst = tmp_path / "lists" / "files.txt"
    lst.write_text("# a comment\n\nx/one.wav\n/abs/two.flac\n  \t\n  y/one.ogg  \r\n"
                   "  # indented comment\nz/dir/\nthree.b.c\n..x")
    entries = corpus.collect(str(lst))
    assert [(e.path, e.name) for e in entries] == [
        (str(tmp_path / "lists" / "x" / "one.wav"), "one"), ("/abs/two.flac", "two"),
        (str(tmp_path / "lists" / "y" / "one.ogg"), "one"),
        (str(tmp_path / "lists" / "z" / "dir") + "/", "dir"),
        (str(tmp_path / "lists" / "three.b.c"), "three.b"),
        (str(tmp_path / "lists" / "..x"), "..x")]       # a list's names are taken as given
    assert [e.status for e in entries] == [None, None, "CORE_E_INVALID_ARGUMENT", None, None,
                                           None]
    assert entries[2].error == \
        f"duplicate output name 'one' (also {tmp_path / 'lists' / 'x' / 'one.wav'})"
    # A list file in the working folder: relative paths stay relative.
    old = os.getcwd()
    os.chdir(tmp_path / "lists")
    try:
        assert [e.path for e in corpus.collect("files.txt")][:1] == ["x/one.wav"]
    finally:
        os.chdir(old)
    with pytest.raises(corpus.CorpusError, match="nope"):
        corpus.collect(str(tmp_path / "nope"))
    binary = tmp_path / "audio.wav"
    binary.write_bytes(b"RIFF\0\0\0\0WAVE")
    with pytest.raises(corpus.CorpusError, match="NUL byte on line 1"):
        corpus.collect(str(binary))


def test_corpus_sidecar_and_resume(tmp_path):
    out = str(tmp_path / "out" / "deep")
    corpus.prepare_out(out)                      # parents created too
    assert os.listdir(out) == []                 # the probe file is gone
    corpus.make_dirs(out, "s/a")
    assert os.path.isdir(os.path.join(out, "s"))
    assert corpus.json_path(out, "s/a") == out + "/s/a.json"
    assert corpus.json_path(out + "/", "s/a") == out + "/s/a.json"
    path = "in/s/a.wav"
    assert corpus.resumable_line(out, "s/a", path, 16000, False) is None
    ok = '{"path":"in/s/a.wav","status":"CORE_OK","error":null,"rate":16000,"features":null}'
    corpus.write_sidecar(out, "s/a", ok)
    assert open(corpus.json_path(out, "s/a"), "rb").read() == ok.encode() + b"\n"
    assert not os.path.exists(corpus.json_path(out, "s/a") + ".partial")
    assert corpus.resumable_line(out, "s/a", path, 16000, False) == ok
    assert corpus.resumable_line(out, "s/a", path, 8000, False) is None       # another rate
    assert corpus.resumable_line(out, "s/a", "other.wav", 16000, False) is None
    assert corpus.resumable_line(out, "s/a", path, 16000, True) is None       # no features
    feat = ok.replace('"features":null', '"features":"x.npy"')
    corpus.write_sidecar(out, "s/a", feat)
    assert corpus.resumable_line(out, "s/a", path, 16000, True) is None       # no .npy yet
    open(corpus.npy_path(out, "s/a"), "wb").close()
    assert corpus.resumable_line(out, "s/a", path, 16000, True) == feat
    with open(corpus.json_path(out, "s/a"), "wb") as f:                      # cut short
        f.write(feat.encode())
    assert corpus.resumable_line(out, "s/a", path, 16000, True) is None
    corpus.write_sidecar(out, "s/a", '{"path":"in/s/a.wav","status":"CORE_E_IO","error":"x"}')
    assert corpus.resumable_line(out, "s/a", path, 16000, False) is None     # failed: retried
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(corpus.CorpusError, match="cannot create folder"):
        corpus.prepare_out(str(blocker / "sub"))
    with pytest.raises(corpus.CorpusError, match="cannot create folder"):
        corpus.prepare_out(str(blocker))
