"""Collections of audio files analysed in parallel (include/core/collection.h).

    rows = libcore.collection.run(["a.wav", "b.flac"], ["a.npy", "b.npy"], features=True)
    rows[0]["duration"], rows[0]["segments"], rows[0]["status"]   # "CORE_OK" or why not
    line, row = libcore.collection.summarize_file("a.wav", "out/a.npy")   # one file

run() hands the whole list to core_collection_run, which processes the files
in libcore's own task arena (one file per task, each streamed in chunks, so
the memory per file does not grow with its length; set_num_threads sets how
many threads) and reports each file through a ctypes callback. Every file's
record is core_file_summary_json's JSON (the bytes the corpus_features tool
prints, so a Python or Dask front end writes exactly what the C tool
writes), parsed, plus "seconds" (wall-clock time spent on that file, not in
the JSON because it depends on the machine). summarize_file() is run() on
one path and also returns the JSON line itself: the per-file function a
Dask job maps over a file list (examples/python/dask_corpus.py).

A file that fails (missing, unreadable, not audio, truncated, its .npy not
writable) is a record with "status" (a core_status name) and "error", not
an exception: the other files go on. LibcoreError is raised only for what
stops the whole call (bad options, a library built without audio files).

Native only: without libcore.so.1 everything here raises
LibcoreUnavailable.

Threads: run() releases the GIL while the library works; the callback runs
on one of libcore's threads, never for two files at once, holding the GIL
only while it runs. run() may be called from several Python threads, but not
from inside its own callback (the C contract).
"""

import ctypes
import json
import os

from ._native import check, declare, native
from .audio import LogMelOptions, Segment, VadOptions
from .audio_file import AudioInfoC
from .stats import CoreStats

__all__ = ["run", "summarize_file", "summary_json", "set_num_threads", "get_num_threads",
           "CollectionOptions", "FileSummary", "MAX_CHUNK"]

_c = ctypes
_sz = _c.c_size_t
_u32 = _c.c_uint32
_u64 = _c.c_uint64
_E_BUFFER_TOO_SMALL = 3

#: CORE_COLLECTION_MAX_CHUNK: the largest chunk_samples accepted.
MAX_CHUNK = 1 << 24


class CollectionOptions(_c.Structure):
    """core_collection_options_t, field for field."""
    _fields_ = [("struct_size", _sz), ("sample_rate", _u32), ("chunk_samples", _sz),
                ("vad", _c.c_int), ("vad_options", VadOptions), ("features", _c.c_int),
                ("logmel_options", LogMelOptions), ("max_segments", _sz),
                ("metrics", _c.c_void_p)]


class FileSummary(_c.Structure):
    """core_file_summary_t, field for field (pointers valid during the
    callback only)."""
    _fields_ = [("struct_size", _sz), ("index", _sz), ("path", _c.c_char_p),
                ("status", _c.c_int), ("message", _c.c_char_p), ("info", AudioInfoC),
                ("sample_rate", _u32), ("samples", _u64), ("duration", _c.c_double),
                ("stats", CoreStats), ("rms", _c.c_double),
                ("segments", _c.POINTER(Segment)), ("n_segments", _sz),
                ("segments_total", _sz), ("speech", _c.c_double), ("mel_frames", _u64),
                ("output", _c.c_char_p), ("seconds", _c.c_double)]


_CALLBACK = _c.CFUNCTYPE(_c.c_int, _c.POINTER(FileSummary), _c.c_void_p)
_cpp = _c.POINTER(_c.c_char_p)
declare("core_collection_options_init", _c.c_int, [_c.POINTER(CollectionOptions)])
declare("core_collection_run", _c.c_int,
        [_cpp, _sz, _cpp, _c.POINTER(CollectionOptions), _CALLBACK, _c.c_void_p])
declare("core_file_summary_json", _c.c_int,
        [_c.POINTER(FileSummary), _c.c_char_p, _sz, _c.POINTER(_sz)])


def set_num_threads(n):
    """How many threads libcore's parallel work (run() among it) may use:
    1 serial, 0 every CPU (core_set_num_threads; process-wide). Results do
    not depend on it. LibcoreError CORE_E_INVALID_ARGUMENT below 0."""
    check(native("set_num_threads").core_set_num_threads(int(n)))


def get_num_threads():
    """The number of threads libcore's parallel work uses now (>= 1)."""
    return native("get_num_threads").core_get_num_threads()


def _json_bytes(lib, s_ptr, buf):
    """core_file_summary_json of *s_ptr; buf is a reusable [ctypes buffer]
    (grown in place when a record needs more)."""
    n = _sz()
    st = lib.core_file_summary_json(s_ptr, buf[0], len(buf[0]), _c.byref(n))
    if st == _E_BUFFER_TOO_SMALL:
        buf[0] = _c.create_string_buffer(n.value + 1)
        st = lib.core_file_summary_json(s_ptr, buf[0], len(buf[0]), _c.byref(n))
    check(st)
    return _c.string_at(buf[0], n.value)


def summary_json(path, status, error):
    """The record of a file that failed before the library saw it (the
    corpus tools' duplicate names), formatted by core_file_summary_json
    itself so that it is byte for byte what the C tool prints: a str
    without newline. status: a core_status name ("CORE_E_INVALID_ARGUMENT")
    or code."""
    lib = native("summary_json")
    if isinstance(status, str):
        code = _STATUS_CODES.get(status)
        if code is None:
            raise ValueError(f"summary_json: unknown status {status!r}")
        status = code
    s = FileSummary()
    s.struct_size = _c.sizeof(FileSummary)
    s.path = os.fsencode(path)
    s.status = status
    s.message = error.encode("utf-8", errors="surrogateescape")   # it may hold a path
    return _json_bytes(lib, _c.byref(s), [_c.create_string_buffer(1024)]).decode(
        "utf-8", errors="surrogateescape")


_STATUS_CODES = {"CORE_OK": 0, "CORE_E_INVALID_ARGUMENT": 1, "CORE_E_OUT_OF_MEMORY": 2,
                 "CORE_E_BUFFER_TOO_SMALL": 3, "CORE_E_FULL": 4, "CORE_E_EMPTY": 5,
                 "CORE_E_NOT_FOUND": 6, "CORE_E_IO": 7, "CORE_E_FORMAT": 8,
                 "CORE_E_UNSUPPORTED": 9, "CORE_E_UNAVAILABLE": 10, "CORE_E_INTERNAL": 11}


def _options(lib, rate, features, vad, chunk_samples, max_segments):
    o = CollectionOptions()
    check(lib.core_collection_options_init(_c.byref(o)))
    # Bounds are the library's to check (its message names the field); only
    # what ctypes would silently truncate is refused here.
    for name, v, hi in (("rate", rate, 2**32 - 1), ("chunk_samples", chunk_samples, 2**64 - 1),
                        ("max_segments", max_segments, 2**64 - 1)):
        if v is not None and not (0 <= int(v) <= hi):
            raise ValueError(f"collection.run: {name} {v} out of range")
    o.sample_rate = int(rate)
    # The log-mel's and the VAD's rates are the analysis rate: the library
    # sets them from sample_rate itself (collection.h); set here too so the
    # struct reads as what runs.
    o.logmel_options.sample_rate = int(rate)
    o.vad_options.sample_rate = int(rate)
    o.chunk_samples = int(chunk_samples)
    o.vad = 1 if vad else 0
    o.features = 1 if features else 0
    if max_segments is not None:
        o.max_segments = int(max_segments)
    return o


def _run(paths, outputs, rate, features, vad, chunk_samples, metrics, callback, max_segments,
         want_json):
    """run() proper: a list, in input order, of (json_str, record) pairs
    (json_str None unless want_json)."""
    lib = native("collection.run")
    if isinstance(paths, (str, bytes, os.PathLike)):
        raise TypeError("collection.run: paths must be a list of paths, not one path")
    paths = list(paths)
    n = len(paths)
    cpaths = (_c.c_char_p * max(n, 1))(*[os.fsencode(p) for p in paths])
    couts = None
    if outputs is not None:
        outputs = list(outputs)
        if len(outputs) != n:
            raise ValueError(f"collection.run: {len(outputs)} outputs for {n} paths")
        couts = (_c.c_char_p * max(n, 1))(
            *[None if o is None else os.fsencode(o) for o in outputs])
    o = _options(lib, rate, features, vad, chunk_samples, max_segments)

    results = [None] * n
    failure = []          # [exception] raised by the user's callback (or by us)
    buf = [_c.create_string_buffer(4096)]

    def on_file(s_ptr, _user):
        # Runs on a libcore thread; an exception must not escape into ctypes
        # (it would be printed and the run would go on): keep it, stop.
        try:
            line = _json_bytes(lib, s_ptr, buf).decode("utf-8", errors="surrogateescape")
            rec = json.loads(line)
            rec["seconds"] = s_ptr.contents.seconds
            results[s_ptr.contents.index] = (line if want_json else None, rec)
            if callback is not None:
                callback(rec)
            return 0
        except BaseException as e:  # noqa: B902 -- KeyboardInterrupt too: stop the run
            failure.append(e)
            return 1

    fn = _CALLBACK(on_file)   # referenced until run returns
    handle = None
    if metrics is not None:
        handle = metrics._attach("collection.run")
        o.metrics = handle
    try:
        st = lib.core_collection_run(cpaths, n, couts, _c.byref(o), fn, None)
    finally:
        if handle is not None:
            metrics._detach()
    if failure:
        raise failure[0]
    check(st)
    return results


def run(paths, outputs=None, *, rate=16000, features=False, vad=True, chunk_samples=65536,
        metrics=None, callback=None, max_segments=None):
    """Analyses every file of `paths` in parallel (core_collection_run) and
    returns one record per file, in the order of `paths`.

    paths: a sequence of str/bytes/os.PathLike. outputs: None, or one .npy
    path (or None) per file: with features=True each file's log-mel is
    written there as float32 (frames, n_mels), through output + ".partial"
    renamed when complete (parent folders must exist). rate: the analysis
    rate in Hz (files are resampled to it; the VAD and the log-mel run at
    it). vad: False skips speech segments. chunk_samples: samples read per
    step, the memory bound per file (results never depend on it).
    metrics: a libcore.Metrics registry that receives the per-stage timers
    (collection.read/.stats/.vad/.logmel/.write per chunk, collection.file
    per file). max_segments: segments kept per file (default: the
    library's, 100000; more are counted in "segments_total").

    A record is json.loads of core_file_summary_json's line ("path",
    "status", "error", "format", "file_rate", "channels", "bits", "frames",
    "rate", "samples", "duration", "min", "max", "mean", "std" (ddof 0),
    "rms", "speech", "segments" [[start, end], ...] in samples at "rate",
    "segments_total", "features", "mel_frames"; a failed file has "path",
    "status" and "error" only) plus "seconds", the wall-clock time spent on
    the file.

    callback(record), when given, is called as each file completes (in
    completion order, one at a time, on a libcore thread). An exception it
    raises stops the run (files not yet started are skipped) and is
    re-raised here once the files in progress have finished.

    Raises LibcoreError for what stops the whole call: bad options
    (CORE_E_INVALID_ARGUMENT naming the field), a library without audio
    files (CORE_E_UNSUPPORTED). A bad file is a record, not an exception.
    """
    return [rec for _, rec in _run(paths, outputs, rate, features, vad, chunk_samples,
                                   metrics, callback, max_segments, False)]


def summarize_file(path, output=None, *, features=None, **kw):
    """run() on one file: returns (line, record), line being the file's
    JSON record exactly as core_file_summary_json writes it (a str, no
    newline: what corpus_features prints and stores in <name>.json) and
    record its parsed form plus "seconds". output: the .npy path;
    features defaults to True when output is given. Other keywords as
    run() (rate, vad, chunk_samples, metrics, max_segments). The function
    a Dask or multiprocessing job maps over a file list."""
    if features is None:
        features = output is not None
    kw.setdefault("rate", 16000)
    kw.setdefault("vad", True)
    kw.setdefault("chunk_samples", 65536)
    kw.setdefault("metrics", None)
    kw.setdefault("max_segments", None)
    unknown = set(kw) - {"rate", "vad", "chunk_samples", "metrics", "max_segments"}
    if unknown:
        raise TypeError(f"summarize_file: unknown keyword(s) {', '.join(sorted(unknown))}")
    ((line, rec),) = _run([path], None if output is None else [output], kw["rate"], features,
                          kw["vad"], kw["chunk_samples"], kw["metrics"], None,
                          kw["max_segments"], True)
    return line, rec
