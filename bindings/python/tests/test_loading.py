"""How the package finds, checks and falls back from libcore.so.1, and the
zero-copy rule at the C boundary.

Loading is decided once per process, so each case runs in a fresh Python
(subprocess) with its own environment: LIBCORE_DISABLE=1, a LIBCORE_LIBRARY
that does not exist, LIBCORE_STRICT=1, and libraries with the wrong ABI or
missing functions, built here with the C compiler (those cases skip, with
the reason, without one). The real library comes from LIBCORE_LIBRARY,
which meson sets for both runs (the NumPy run adds LIBCORE_DISABLE=1); the
cases that need it skip when it is not set.

The zero-copy test uses tracemalloc (NumPy reports its data allocations to
it): the native stats() of a C-contiguous float32 array allocates nothing
the size of the data; a strided view is copied exactly once.
"""

import os
import shutil
import subprocess
import sys
import textwrap
import tracemalloc

import numpy as np
import pytest

import libcore

PKG_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REAL_LIBRARY = os.environ.get("LIBCORE_LIBRARY", "")


def run(code, **env):
    """Runs `code` in a fresh python with PYTHONPATH=the package and the
    given environment (None removes a variable); returns CompletedProcess."""
    e = dict(os.environ)
    for k in ("LIBCORE_DISABLE", "LIBCORE_STRICT", "LIBCORE_LIBRARY"):
        e.pop(k, None)
    e["PYTHONPATH"] = PKG_ROOT
    e["PYTHONDONTWRITEBYTECODE"] = "1"
    for k, v in env.items():
        if v is None:
            e.pop(k, None)
        else:
            e[k] = v
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=e,
                          capture_output=True, text=True, timeout=120)


PROBE = """
    import libcore, libcore._native as n
    import numpy as np
    s = libcore.stats(np.arange(10, dtype=np.float32))
    assert s.count == 10 and s.mean == 4.5, s
    print("BACKEND", libcore.backend())
    print("FAILURE", n.failure())
"""


def _out(p):
    assert p.returncode == 0, p.stderr
    lines = dict(line.split(" ", 1) for line in p.stdout.splitlines() if " " in line)
    return lines["BACKEND"], lines["FAILURE"]


def test_expected_backend(backend):
    """meson runs the suite once per backend; a native run that fell back
    to NumPy (a broken build, a bad path) must fail here, not pass."""
    expect = os.environ.get("LIBCORE_EXPECT_BACKEND")
    if not expect:
        pytest.skip("LIBCORE_EXPECT_BACKEND not set (set by meson test)")
    from libcore import _native
    assert backend == expect, f"expected {expect}, got {backend}: {_native.failure()}"


def test_disable_gives_numpy():
    backend, failure = _out(run(PROBE, LIBCORE_DISABLE="1", LIBCORE_LIBRARY=REAL_LIBRARY or None))
    assert backend == "numpy" and "LIBCORE_DISABLE=1" in failure


def test_classes_need_the_library():
    p = run("""
        import libcore, libcore._native as n
        try:
            n.native("RingBuffer")
        except libcore.LibcoreUnavailable as e:
            print("MSG", e)
    """, LIBCORE_DISABLE="1")
    assert p.returncode == 0, p.stderr
    assert "RingBuffer needs the native libcore library" in p.stdout
    assert "LIBCORE_DISABLE=1" in p.stdout


def test_missing_library_falls_back_with_reason(tmp_path):
    missing = str(tmp_path / "nowhere" / "libcore.so.1")
    backend, failure = _out(run(PROBE, LIBCORE_LIBRARY=missing))
    assert backend == "numpy"
    assert missing in failure


def test_strict_missing_library_fails_import(tmp_path):
    missing = str(tmp_path / "nowhere" / "libcore.so.1")
    p = run("import libcore", LIBCORE_LIBRARY=missing, LIBCORE_STRICT="1")
    assert p.returncode != 0
    assert "LibcoreUnavailable" in p.stderr and missing in p.stderr
    assert "LIBCORE_STRICT=1" in p.stderr


def _need_real_library():
    if not REAL_LIBRARY or not os.path.exists(REAL_LIBRARY):
        pytest.skip("LIBCORE_LIBRARY does not name a built libcore.so.1")
    return REAL_LIBRARY


def test_strict_with_library_loads_at_import():
    lib = _need_real_library()
    p = run("""
        import libcore, libcore._native as n
        print("LOADED", n._lib is not None)
        print("BACKEND", libcore.backend())
    """, LIBCORE_LIBRARY=lib, LIBCORE_STRICT="1")
    assert p.returncode == 0, p.stderr
    assert "LOADED True" in p.stdout and "BACKEND native" in p.stdout


def test_loading_is_lazy():
    lib = _need_real_library()
    p = run(f"""
        import libcore, libcore._native as n
        maps = open("/proc/self/maps").read()
        print("BEFORE", n._lib is None and n.failure() is None, {os.path.realpath(lib)!r} in maps)
        libcore.stats([1.0])
        maps = open("/proc/self/maps").read()
        print("AFTER", n._lib is not None, {os.path.realpath(lib)!r} in maps)
    """, LIBCORE_LIBRARY=lib)
    assert p.returncode == 0, p.stderr
    assert "BEFORE True False" in p.stdout       # import opened nothing
    assert "AFTER True True" in p.stdout


def _build_fake(tmp_path, name, body):
    cc = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")
    if cc is None:
        pytest.skip("no C compiler (cc/gcc) to build a fake libcore")
    src = tmp_path / f"{name}.c"
    src.write_text(body)
    so = tmp_path / f"{name}.so.1"
    subprocess.run([cc, "-shared", "-fPIC", str(src), "-o", str(so)], check=True)
    return str(so)


def test_other_abi_is_refused(tmp_path):
    fake = _build_fake(tmp_path, "libcore_abi2", "int core_abi_version(void) { return 2; }\n")
    backend, failure = _out(run(PROBE, LIBCORE_LIBRARY=fake))
    assert backend == "numpy"
    assert fake in failure and "ABI 2" in failure and "needs ABI 1" in failure
    p = run("import libcore", LIBCORE_LIBRARY=fake, LIBCORE_STRICT="1")
    assert p.returncode != 0 and "ABI 2" in p.stderr and "LibcoreUnavailable" in p.stderr


def test_not_libcore_and_incomplete_library_are_refused(tmp_path):
    other = _build_fake(tmp_path, "libother", "int something_else(void) { return 0; }\n")
    backend, failure = _out(run(PROBE, LIBCORE_LIBRARY=other))
    assert backend == "numpy" and "not libcore" in failure
    # ABI 1 but none of the functions the package declares.
    bare = _build_fake(tmp_path, "libcore_bare", "int core_abi_version(void) { return 1; }\n")
    backend, failure = _out(run(PROBE, LIBCORE_LIBRARY=bare))
    assert backend == "numpy" and "missing a function" in failure


# ---- zero copy -----------------------------------------------------------------------------

def _peak_bytes(fn):
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_zero_copy_and_one_copy(needs_native):
    n = 1 << 20                                   # 4 MiB of float32
    x = np.random.default_rng(1).standard_normal(2 * n).astype(np.float32)
    contiguous = x[:n]                            # a view: C-contiguous, no data of its own
    strided = x[::2]                              # n elements, stride 8 bytes
    assert strided.size == n and not strided.flags.c_contiguous
    libcore.stats(contiguous)                     # warm up (lazy load, declarations)
    data = n * 4
    peak = _peak_bytes(lambda: libcore.stats(contiguous))
    assert peak < data // 16, f"stats copied a C-contiguous float32 array ({peak} bytes)"
    peak = _peak_bytes(lambda: libcore.stats(strided))
    assert data <= peak < 2 * data, f"a strided array should be copied once ({peak} bytes)"
    # float64 C-contiguous is zero copy as well; int16 converts once to float64.
    y = np.random.default_rng(2).standard_normal(n)
    assert _peak_bytes(lambda: libcore.stats(y)) < n * 8 // 16
    pcm = np.zeros(n, np.int16)
    peak = _peak_bytes(lambda: libcore.stats(pcm))
    assert n * 8 <= peak < 2 * n * 8
    # The pointer is the array's own memory: an in-place call writes through.
    z = np.arange(10, dtype=np.float32)
    view = z[:]
    libcore.normalize(view, inplace=True)
    assert z[0] < 0 and abs(float(z.mean())) < 1e-6
