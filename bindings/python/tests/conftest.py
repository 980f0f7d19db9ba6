"""Shared pytest setup for the libcore Python package tests.

The same test files run twice under `meson test --suite python`: once with
LIBCORE_LIBRARY pointing at the built libcore.so.1 (backend "native") and
once with LIBCORE_DISABLE=1 (backend "numpy"); meson also sets
LIBCORE_EXPECT_BACKEND so test_loading.py can check that the run really
used the backend it was meant to (a native run that silently fell back to
NumPy fails). Tests compare against NumPy on the same data and use
libcore.backend() where the two backends' tolerances differ.

Run by hand from the source tree:
  PYTHONPATH=bindings/python LIBCORE_LIBRARY=build/libcore/libcore.so.1 \
      /usr/bin/python3 -m pytest -p no:cacheprovider bindings/python/tests
  PYTHONPATH=bindings/python LIBCORE_DISABLE=1 /usr/bin/python3 -m pytest ...
"""

import os
import sys

import numpy as np
import pytest

# Import the package from this source tree, even without PYTHONPATH.
_PKG_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _PKG_ROOT not in sys.path:
    sys.path.insert(0, _PKG_ROOT)

import libcore  # noqa: E402

_SOURCE_ROOT = os.path.dirname(os.path.dirname(_PKG_ROOT))


def pytest_report_header(config):
    from libcore import _native
    why = _native.failure()
    return [f"libcore backend: {libcore.backend()}"
            + (f" ({why})" if why else f" ({os.environ.get('LIBCORE_LIBRARY', 'libcore.so.1')})")]


@pytest.fixture(scope="session")
def backend():
    """"native" or "numpy": the backend this run uses."""
    return libcore.backend()


@pytest.fixture(scope="session")
def native(backend):
    """True when the native library is loaded."""
    return backend == "native"


@pytest.fixture
def needs_native(native):
    """Skips (with the reason) a test that compares against the library."""
    if not native:
        pytest.skip("needs the native library (this run uses the NumPy fallback)")


@pytest.fixture
def rng():
    return np.random.default_rng(20240612)


def testdata_dir():
    """$LIBCORE_TESTDATA, else ../shared/testdata beside the source tree
    (the rule of tests/unit/testdata.h)."""
    return os.environ.get("LIBCORE_TESTDATA") or os.path.join(
        os.path.dirname(_SOURCE_ROOT), "shared", "testdata")


@pytest.fixture
def testdata():
    """testdata(name) -> path of a reference file, read in place. Missing:
    SKIP, or FAIL when LIBCORE_REQUIRE_TESTDATA=1 (as the C tests)."""
    def find(name):
        path = os.path.join(testdata_dir(), name)
        if not os.path.exists(path):
            if os.environ.get("LIBCORE_REQUIRE_TESTDATA", "") not in ("", "0"):
                pytest.fail(f"test data {path} missing and LIBCORE_REQUIRE_TESTDATA=1")
            pytest.skip(f"test data {path} not found (set LIBCORE_TESTDATA)")
        return path
    return find


_STATUS_CODES = {"CORE_E_INVALID_ARGUMENT": 1, "CORE_E_BUFFER_TOO_SMALL": 3,
                 "CORE_E_EMPTY": 5, "CORE_E_NOT_FOUND": 6, "CORE_E_IO": 7,
                 "CORE_E_FORMAT": 8}


@pytest.fixture
def core_error():
    """with core_error("CORE_E_EMPTY", "core_percentile"): ... asserts a
    LibcoreError with that status name and code whose message starts with
    the C function's name (libcore's convention, kept by the fallback)."""
    class _Expect:
        def __init__(self, name, fn_prefix):
            self.name, self.prefix = name, fn_prefix
            self._ctx = pytest.raises(libcore.LibcoreError)

        def __enter__(self):
            self.info = self._ctx.__enter__()
            return self.info

        def __exit__(self, *exc):
            suppressed = self._ctx.__exit__(*exc)
            e = self.info.value
            assert e.name == self.name, f"{e.name} != {self.name}: {e}"
            assert e.status == _STATUS_CODES[self.name]
            assert e.message.startswith(self.prefix), e.message
            assert str(e).startswith(self.name + ": " + self.prefix)
            return suppressed
    return _Expect


@pytest.fixture
def c_layout(tmp_path):
    """compile(source, header) -> {name: int}: builds the C program `source`
    (it prints "name value" lines, sizeof/offsetof of the public structs)
    against include/, runs it and parses its output. Skips without a C
    compiler or without include/core/<header> (an installed package)."""
    import shutil
    import subprocess

    def compile(source, header):
        cc = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")
        include = os.path.join(_SOURCE_ROOT, "include")
        if cc is None:
            pytest.skip("no C compiler (cc/gcc) to read sizeof/offsetof from")
        if not os.path.exists(os.path.join(include, "core", header)):
            pytest.skip(f"public headers not found in {include}")
        src = tmp_path / "layout.c"
        src.write_text(source)
        exe = tmp_path / "layout"
        subprocess.run([cc, "-std=gnu11", "-I", include, str(src), "-o", str(exe)], check=True)
        out = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout
        return {k: int(v) for k, v in (line.rsplit(" ", 1) for line in out.splitlines())}

    return compile
