"""What the NumPy side-by-side benchmarks share (bench_numpy.py,
bench_batch_numpy.py, bench_ring_numpy.py): finding a Python with numpy, the
core_stats_t mirror, and loading libcore through ctypes.

Not a script. The benchmarks import it from their own folder: Python puts a
script's folder first on sys.path, and meson runs them as files('<script>.py'),
i.e. from the source tree where this file sits.

The scripts import it before ensure_numpy() has found an interpreter with
numpy, so it imports only the standard library.
"""

import os
import shutil
import subprocess
import sys

try:
    import ctypes
except ImportError:
    # A python3 built without libffi (pyenv can be) has no ctypes. ensure_numpy()
    # must still work there to move on to an interpreter that has numpy; the
    # ctypes pieces below are only used after that.
    ctypes = None

SKIP = 77  # meson's exit code for SKIP


def ensure_numpy(reexec_env_name):
    """Re-executes the running script under an interpreter that has numpy
    (Debian's first), or exits 77.

    reexec_env_name is set in the environment of the re-executed run, which
    then does not try again: no loop when that interpreter cannot import numpy
    after all, it reports SKIP."""
    try:
        import numpy  # noqa: F401
        return
    except ImportError:
        pass
    tried = [sys.executable]
    if not os.environ.get(reexec_env_name):
        me = os.path.realpath(sys.executable)
        # The first python3 on PATH may be a build without numpy (pyenv), so
        # Debian's /usr/bin/python3 is tried first.
        candidates = ["/usr/bin/python3", shutil.which("python3"),
                      "/usr/local/bin/python3", "/bin/python3"]
        for cand in candidates:
            if not cand or not os.path.exists(cand):
                continue
            if os.path.realpath(cand) == me or cand in tried:
                continue
            tried.append(cand)
            try:
                ok = subprocess.run([cand, "-c", "import numpy"],
                                    stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL).returncode == 0
            except OSError:
                ok = False
            if ok:
                print(f"note: {sys.executable} has no numpy; re-running with {cand}",
                      flush=True)
                env = dict(os.environ)
                env[reexec_env_name] = "1"
                # The script that is running, not this module.
                script = os.path.abspath(sys.modules["__main__"].__file__)
                os.execve(cand, [cand, script] + sys.argv[1:], env)
    print("SKIP: no python with numpy (tried: " + ", ".join(tried) + ")")
    sys.exit(SKIP)


if ctypes is not None:  # see the import above

    class CoreStats(ctypes.Structure):
        """core_stats_t (include/core/stats.h)."""
        _fields_ = [("count", ctypes.c_uint64), ("nan_count", ctypes.c_uint64),
                    ("min", ctypes.c_double), ("max", ctypes.c_double),
                    ("sum", ctypes.c_double), ("mean", ctypes.c_double),
                    ("m2", ctypes.c_double)]


def load_libcore(path, signatures):
    """Loads libcore from path and sets the ctypes signatures of the calls
    every benchmark uses (the status strings) and of `signatures`, a dict
    name -> (restype, argtypes). Returns the ctypes.CDLL."""
    lib = ctypes.CDLL(path)
    sig = {
        "core_status_str": (ctypes.c_char_p, [ctypes.c_int]),
        "core_last_error_message": (ctypes.c_char_p, []),
    }
    sig.update(signatures)
    for name, (restype, argtypes) in sig.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    return lib
