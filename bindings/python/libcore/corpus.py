"""The corpus_features tool's file layout, for Python front ends.

examples/corpus_features (C) and examples/python/dask_corpus.py must write
the same files under the same names, so the rules of the tool's contract
live here once for Python:

  * INPUT is a folder, walked recursively: regular files and links to
    files (a dangling link too: the library reports it), sorted by their
    path relative to INPUT in byte order; names starting with '.' (files
    and folders) and *.partial skipped, links to folders not followed,
    FIFOs and devices skipped, the --out folder skipped when it lies
    inside INPUT, a subfolder that cannot be read an entry failing with
    CORE_E_IO; a record's "path" is INPUT + '/' + the relative path. Or a
    list file: one path per line, stripped of surrounding white space,
    blank lines and lines starting with '#' ignored, a relative path
    joined to the list file's folder as os.path.join does; a NUL byte
    makes it "neither a folder nor a text list";
  * a file's <name> is its path relative to the INPUT folder without its
    extension (subfolders mirrored), or for a list file its basename
    without extension (os.path.splitext's rule: ".bashrc" has none);
  * two files with the same <name>: the later one (input order) fails with
    CORE_E_INVALID_ARGUMENT "duplicate output name '<name>' (also <path>)";
  * outputs: OUT/<name>.json holds the file's JSON line + "\\n", written to
    <name>.json.partial and renamed (its existence means it is complete),
    and OUT/<name>.npy the log-mel (written by the library the same way);
  * resume: a file whose OUT/<name>.json is one complete line with
    status "CORE_OK" for the same path and rate (and whose .npy exists
    when features are on) is not processed again; its stored line is
    re-emitted.

examples/corpus_features/inputs.c and outputs.c are the C side of the
same rules; test_collection.py and test_dask_corpus.py hold them equal.

Pure Python (no library call): usable on a Dask driver without libcore.
"""

import errno
import json
import os
import stat

__all__ = ["CorpusError", "Entry", "collect", "strip_extension", "prepare_out", "make_dirs",
           "json_path", "npy_path", "write_sidecar", "resumable_line"]

DUPLICATE_STATUS = "CORE_E_INVALID_ARGUMENT"


class CorpusError(Exception):
    """INPUT or OUT unusable: nothing is processed (the tools exit 2)."""


class Entry:
    """One input file: path (as given to the library and written in the
    record), name (the output name without extension, '/'-separated; None
    for an unreadable subfolder), and status / error: None when the file is
    to be processed, else the record's status name and message (a
    duplicate name, a subfolder that could not be read)."""

    __slots__ = ("path", "name", "status", "error")

    def __init__(self, path, name, status=None, error=None):
        self.path, self.name, self.status, self.error = path, name, status, error

    def __repr__(self):
        extra = f", {self.status}" if self.status else ""
        return f"Entry({self.path!r}, {self.name!r}{extra})"


def strip_extension(rel):
    """rel without the extension of its last component (os.path.splitext's
    rule: a leading dot is not an extension; "a.tar.gz" -> "a.tar")."""
    return os.path.splitext(rel)[0]


def _skipped(base):
    return base.startswith(".") or base.endswith(".partial")


def _join(a, b):
    """os.path.join(a, b) for a relative b (the C tool's join)."""
    return os.path.join(a, b) if a else b


def _walk(root, rel, skip, found):
    """Appends (rel, errno or 0) for root/rel's files, recursively: regular
    files and symbolic links to files (or dangling ones: the library
    reports them); links to folders, FIFOs, sockets and devices are not
    followed; names starting with '.' and *.partial are skipped; the folder
    whose (st_dev, st_ino) is `skip` (the --out folder inside INPUT) too.
    A folder that cannot be read is an entry with its errno."""
    path = _join(root, rel) if rel else root
    try:
        names = os.listdir(path)
    except OSError as e:
        found.append((rel, e.errno or 1))
        return
    for nm in names:
        if _skipped(nm):
            continue
        child_rel = _join(rel, nm)
        child = _join(path, nm)
        try:
            st = os.lstat(child)
        except OSError:
            found.append((child_rel, 0))      # vanished: let the library say
            continue
        if stat.S_ISDIR(st.st_mode):
            if skip is None or (st.st_dev, st.st_ino) != skip:
                _walk(root, child_rel, skip, found)
        elif stat.S_ISREG(st.st_mode):
            found.append((child_rel, 0))
        elif stat.S_ISLNK(st.st_mode):
            try:
                target_regular = stat.S_ISREG(os.stat(child).st_mode)
            except OSError:
                target_regular = True          # dangling: reported by the library
            if target_regular:
                found.append((child_rel, 0))


def _load_folder(folder, skip):
    found = []
    _walk(folder, "", skip, found)
    if len(found) == 1 and found[0][1] and found[0][0] == "":
        raise CorpusError(f"cannot read folder {folder}: {os.strerror(found[0][1])}")
    # Byte order of the relative paths, as the C tool's strcmp.
    found.sort(key=lambda f: os.fsencode(f[0]))
    entries = []
    for rel, err in found:
        path = _join(folder, rel)
        if err:
            e = Entry(path, None)
            e.status = "CORE_E_IO"
            e.error = f"cannot read folder {path}: {os.strerror(err)}"
            entries.append(e)
        else:
            entries.append(Entry(path, strip_extension(rel)))
    return entries


_SPACE = " \t\r\n\v\f"


def _load_list(list_file):
    try:
        with open(list_file, "rb") as f:
            data = f.read()
    except OSError as e:
        raise CorpusError(f"cannot open list file {list_file}: {e.strerror}") from None
    base = os.path.dirname(list_file)
    entries = []
    for lineno, raw in enumerate(data.split(b"\n"), 1):
        if b"\0" in raw:
            raise CorpusError(f"{list_file} is neither a folder nor a text list of paths "
                              f"(NUL byte on line {lineno})")
        line = os.fsdecode(raw).strip(_SPACE)
        if not line or line.startswith("#"):
            continue
        path = line if line.startswith("/") else _join(base, line)
        t = line.rstrip("/") or line[:1]
        entries.append(Entry(path, strip_extension(t.rsplit("/", 1)[-1])))
    return entries


def collect(input_path, out=None):
    """The entries of a folder or list file, in input order, duplicate
    names marked (the later one fails). out: the --out folder, skipped
    when it lies inside the INPUT folder. CorpusError when input_path does
    not exist or cannot be read (a usage error: nothing is processed)."""
    try:
        st = os.stat(input_path)
    except OSError as e:
        raise CorpusError(f"INPUT {input_path}: {e.strerror}") from None
    if stat.S_ISDIR(st.st_mode):
        skip = None
        if out is not None:
            try:
                o = os.stat(out)
                skip = (o.st_dev, o.st_ino)
            except OSError:
                pass
        entries = _load_folder(input_path, skip)
    else:
        entries = _load_list(input_path)
    first = {}
    for e in entries:
        if e.status is not None:
            continue
        other = first.get(e.name)
        if other is None:
            first[e.name] = e.path
        else:
            e.status = DUPLICATE_STATUS
            e.error = f"duplicate output name '{e.name}' (also {other})"
    return entries


def prepare_out(out):
    """Creates OUT (and its parents) and checks that a file can be made in
    it (a probe file, so a read-only mount is found even as root).
    CorpusError when it cannot."""
    if not out:
        raise CorpusError("--out: empty folder name")
    try:
        os.makedirs(out, exist_ok=True)
    except OSError as e:
        raise CorpusError(f"--out {out}: cannot create folder: {e.strerror}") from None
    if not os.path.isdir(out):
        raise CorpusError(f"--out {out}: cannot create folder: {os.strerror(errno.ENOTDIR)}")
    probe = os.path.join(out, f".corpus_features.probe.{os.getpid()}")
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as e:
        raise CorpusError(f"--out {out}: folder not writable: {e.strerror}") from None
    os.close(fd)
    os.unlink(probe)


def make_dirs(out, name):
    """Creates the folders OUT/<name> needs (mirrored subfolders). OSError
    when it cannot."""
    sub = os.path.dirname(name)
    if sub:
        os.makedirs(os.path.join(out, sub), exist_ok=True)


def json_path(out, name):
    """OUT/<name>.json."""
    return _out_path(out, name, ".json")


def npy_path(out, name):
    """OUT/<name>.npy."""
    return _out_path(out, name, ".npy")


def _out_path(out, name, suffix):
    return out + ("" if out.endswith("/") else "/") + name + suffix


def write_sidecar(out, name, line):
    """Writes OUT/<name>.json = line + "\\n" through <name>.json.partial
    and a rename (atomic: an interrupted write never looks complete).
    OSError when it cannot be written (the partial file is removed)."""
    final = json_path(out, name)
    tmp = final + ".partial"
    try:
        with open(tmp, "wb") as f:
            f.write(line.encode("utf-8", errors="surrogateescape") + b"\n")
        os.replace(tmp, final)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def resumable_line(out, name, path, rate, features):
    """The stored line (str, no newline) when OUT/<name>.json holds one
    complete line (newline included) whose record is this file's (same
    "path", same "rate") with status "CORE_OK", whose "features" is set
    exactly when `features` is, and, with features, OUT/<name>.npy is a
    regular file: the file needs no work. None otherwise: process it again
    (missing, cut short, failed, another rate or path)."""
    try:
        with open(json_path(out, name), "rb") as f:
            data = f.read()
    except OSError:
        return None
    if len(data) < 2 or not data.endswith(b"\n") or b"\n" in data[:-1] or b"\0" in data:
        return None
    line = data[:-1].decode("utf-8", errors="surrogateescape")
    try:
        rec = json.loads(line)
    except ValueError:
        return None
    if not isinstance(rec, dict) or rec.get("status") != "CORE_OK" or \
            rec.get("path") != path or rec.get("rate") != rate or \
            (rec.get("features") is not None) != bool(features):
        return None
    if features and not os.path.isfile(npy_path(out, name)):
        return None
    return line
