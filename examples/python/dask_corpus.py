#!/usr/bin/env python3
"""corpus_features past one machine: the same per-file function on Dask.

    dask_corpus.py INPUT --out DIR [--features] [--rate HZ] [--no-vad] [--resume]
                   [--scheduler ADDRESS | --workers N]

INPUT, the output layout and the records are those of the C tool
examples/corpus_features (the contract lives in libcore/corpus.py for
Python): a folder (walked recursively, sorted by path) or a list file; each
file's JSON line (core_file_summary_json's bytes) goes to stdout in
completion order and to DIR/<name>.json (through .partial + rename); with
--features its log-mel goes to DIR/<name>.npy. Duplicate names fail the
later file. Exit status 0 when every file is good, 1 when some failed (the
last stderr line says "N of M files failed"), 2 for a usage error, a missing
INPUT, an unusable --out or an unreachable scheduler.

Where the work runs:
  --workers N         a LocalCluster of N worker processes with one thread
                      each (default: the CPU count) on this machine;
  --scheduler ADDR    an existing cluster, e.g. tcp://host:8786 (started
                      with `dask scheduler` and `dask worker tcp://host:8786
                      --nthreads 1` on each machine). Every worker opens
                      the input files and writes DIR itself: INPUT and DIR
                      must be the same paths on every worker (a shared
                      filesystem such as NFS), and each worker needs this
                      Python package and libcore.so.1 installed.

Each task is libcore.collection.summarize_file(path, DIR/<name>.npy) on
the worker, which then writes DIR/<name>.json; the driver only walks INPUT,
collects the lines and prints them, so it needs no libcore.so.1 itself.
"""

import argparse
import json
import os
import sys
import time


def _import_libcore():
    """libcore from the installed package, else from this source tree (and
    then PYTHONPATH is set so that local worker processes find it too)."""
    try:
        import libcore  # noqa: F401
    except ImportError:
        here = os.path.dirname(os.path.abspath(__file__))
        tree = os.path.join(os.path.dirname(os.path.dirname(here)), "bindings", "python")
        sys.path.insert(0, tree)
        os.environ["PYTHONPATH"] = os.pathsep.join(
            p for p in (tree, os.environ.get("PYTHONPATH")) if p)


# -- what runs on the workers ----------------------------------------------------------------

STAGES = (("read", "chunk"), ("stats", "chunk"), ("vad", "chunk"), ("logmel", "chunk"),
          ("write", "chunk"), ("file", "file"))


def summarize_and_store(path, name, out, features, rate, vad):
    """On a worker, what the C tool does per file: the output folder made,
    an earlier run's outputs removed (an existing .json always belongs to
    the last run that finished the file), the record computed by the
    library (which writes the .npy), then the sidecar DIR/<name>.json.
    Returns (line, status, audio seconds, {stage: (count, sum_ns, max_ns)})."""
    from libcore import LibcoreError, Metrics, collection, corpus
    jpath = corpus.json_path(out, name)
    npy = corpus.npy_path(out, name) if features else None
    try:
        corpus.make_dirs(out, name)
    except OSError as e:
        line = collection.summary_json(
            path, "CORE_E_IO", f"cannot create the folder of {jpath}: {e.strerror}")
        return line, "CORE_E_IO", 0.0, {}
    for old in (jpath, npy):
        if old is not None:
            try:
                os.unlink(old)
            except OSError:
                pass
    with Metrics() as m:
        try:
            line, rec = collection.summarize_file(path, npy, features=features, rate=rate,
                                                  vad=vad, metrics=m)
        except LibcoreError as e:      # the whole call refused (options, no audio_io)
            line = collection.summary_json(path, e.status, e.message)
            rec = json.loads(line)
        stages = {}
        for stage, _ in STAGES:
            t = m.timer("collection." + stage).stats()
            stages[stage] = (t.count, t.sum_ns, t.max_ns)
    try:
        corpus.write_sidecar(out, name, line)
    except OSError as e:
        # The file's outputs are incomplete: it failed, whatever the analysis said.
        line = collection.summary_json(path, "CORE_E_IO", f"cannot write {jpath}: {e.strerror}")
        return line, "CORE_E_IO", 0.0, stages
    return line, rec["status"], rec.get("duration") or 0.0, stages


def failure_record(path, status, message):
    """On a worker: the record of a file that failed before the library saw
    it (a duplicate name, an unreadable subfolder), formatted by the
    library as the C tool does. No file is written (the name is another
    file's)."""
    from libcore import collection
    return collection.summary_json(path, status, message), status, 0.0, {}


# -- the driver ---------------------------------------------------------------------------------

def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Per-file audio summaries (and log-mel .npy) of a folder or list file, "
                    "computed on a Dask cluster; the outputs of examples/corpus_features.",
        epilog="With --scheduler, INPUT and --out must be visible at the same paths on every "
               "worker (a shared filesystem), and every worker needs the libcore Python "
               "package and libcore.so.1.")
    p.add_argument("input", metavar="INPUT", help="a folder (walked recursively) or a list file")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="DIR/<name>.json per file (and DIR/<name>.npy with --features)")
    p.add_argument("--features", action="store_true", help="write the log-mel .npy")
    p.add_argument("--rate", type=int, default=16000, metavar="HZ",
                   help="analysis rate (default 16000)")
    p.add_argument("--no-vad", dest="vad", action="store_false", help="no speech segments")
    p.add_argument("--resume", action="store_true",
                   help="skip files whose DIR/<name>.json says CORE_OK (and .npy exists)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--scheduler", metavar="ADDRESS",
                   help="a running Dask scheduler, e.g. tcp://host:8786 (shared filesystem!)")
    g.add_argument("--workers", type=int, metavar="N",
                   help="local worker processes (default: the CPU count)")
    a = p.parse_args(argv)
    if a.workers is not None and a.workers < 1:
        p.error("--workers must be at least 1")
    if not 1000 <= a.rate <= 384000:
        p.error("--rate must be in 1000 .. 384000")
    return a


def start_client(args):
    import logging
    from distributed import Client, LocalCluster
    if args.scheduler:
        return Client(args.scheduler, timeout="20s"), None
    cluster = LocalCluster(n_workers=args.workers or os.cpu_count() or 1,
                           threads_per_worker=1, processes=True, dashboard_address=None,
                           silence_logs=logging.ERROR)
    return Client(cluster), cluster


def _ms(ns):
    return f"{ns / 1e3:.1f}us" if ns < 1e6 else f"{ns / 1e6:.2f}ms"


def main(argv=None):
    args = parse_args(argv)
    _import_libcore()
    from libcore import corpus
    try:
        from distributed import as_completed
    except ImportError as e:
        print(f"dask_corpus: needs dask.distributed ({e}); Debian: python3-distributed",
              file=sys.stderr)
        return 2
    # As the C tool: INPUT checked first (a missing INPUT creates nothing),
    # then --out made and probed, then INPUT walked (skipping --out when it
    # lies inside it).
    try:
        if not os.path.exists(args.input):
            raise corpus.CorpusError(f"INPUT {args.input}: No such file or directory")
        corpus.prepare_out(args.out)
        entries = corpus.collect(args.input, args.out)
    except corpus.CorpusError as e:
        print(f"dask_corpus: {e}", file=sys.stderr)
        return 2
    if not entries:
        print(f"dask_corpus: no files in {args.input}", file=sys.stderr)

    t0 = time.monotonic()
    failures = []     # (path, status, error)
    skipped = 0
    audio_seconds = 0.0
    stages = {}       # stage -> [count, sum_ns, max_ns] over every task
    out = sys.stdout

    def emit(path, line, status, seconds):
        nonlocal audio_seconds
        out.write(line + "\n")
        out.flush()
        audio_seconds += seconds     # of the files processed OK in this run
        if status != "CORE_OK":
            err = json.loads(line).get("error")
            failures.append((path, status, err))

    todo = []
    for e in entries:
        if args.resume and e.status is None:
            line = corpus.resumable_line(args.out, e.name, e.path, args.rate, args.features)
            if line is not None:
                skipped += 1
                emit(e.path, line, "CORE_OK", 0.0)
                continue
        todo.append(e)

    try:
        client, cluster = start_client(args)
    except (OSError, TimeoutError) as e:
        print(f"dask_corpus: cannot reach the scheduler {args.scheduler}: {e}", file=sys.stderr)
        return 2
    try:
        workers = client.scheduler_info().get("workers", {})
        print(f"dask: {len(workers)} workers at {client.scheduler.address}", file=sys.stderr)
        futures = {}
        for e in todo:
            if e.status is not None:
                f = client.submit(failure_record, e.path, e.status, e.error, pure=False)
            else:
                f = client.submit(summarize_and_store, e.path, e.name, args.out, args.features,
                                  args.rate, args.vad, pure=False)
            futures[f] = e
        for f in as_completed(list(futures)):
            e = futures[f]
            try:
                line, status, secs, st = f.result()
            except Exception as exc:   # the task itself died (worker lost, import error)
                line = json.dumps({"path": e.path, "status": "CORE_E_INTERNAL",
                                   "error": f"dask task failed: {exc!r}"},
                                  separators=(",", ":"), ensure_ascii=False)
                status, secs, st = "CORE_E_INTERNAL", 0.0, {}
            emit(e.path, line, status, secs)
            for stage, (count, total, peak) in st.items():
                c = stages.setdefault(stage, [0, 0, 0])
                c[0] += count
                c[1] += total
                c[2] = max(c[2], peak)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

    wall = time.monotonic() - t0
    n = len(entries)
    err = sys.stderr
    rows = [("files", n), ("ok", n - len(failures)), ("failed", len(failures)),
            ("skipped (resumed)", skipped), ("audio hours", f"{audio_seconds / 3600:.4f}"),
            ("wall seconds", f"{wall:.3f}"),
            ("real-time factor", f"{audio_seconds / wall if wall > 0 else 0:.1f}x"),
            ("files/s", f"{n / wall if wall > 0 else 0:.2f}")]
    print("dask_corpus summary", file=err)
    for k, v in rows:
        print(f"  {k:<21}{v}", file=err)
    if any(c[0] for c in stages.values()):
        # Per-task registries cannot be merged into percentiles here: the
        # mean and the max over every worker instead of p50/p99.
        print(f"\n  {'stage':<21}{'per':<6}{'count':>10}{'mean':>11}{'max':>11}", file=err)
        for stage, per in STAGES:
            count, total, peak = stages.get(stage, (0, 0, 0))
            if count:
                print(f"  {'collection.' + stage:<21}{per:<6}{count:>10}"
                      f"{_ms(total / count):>11}{_ms(peak):>11}", file=err)
    print(file=err)
    for path, status, msg in failures:
        print(f"FAILED {path}: {status} {msg}", file=err)
    if failures:
        print(f"{len(failures)} of {n} files failed", file=err)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
