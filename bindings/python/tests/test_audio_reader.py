"""libcore.AudioReader: audio.h's chunked reader (core_audio_open,
core_audio_reader_read / _info / _length / _close) against read_audio.

  - jfk_16k.wav at its own rate and jfk_44k1_stereo_orig.flac resampled to
    16 kHz, read in chunks of 1 (the first 4000 samples), 160, 4096 and
    10**6, through iteration, read_into with uneven sizes: concatenated,
    exactly read_audio's samples (bit for bit); info equals audio_info,
    length is the sample count, done advances with each read;
  - WAV files written here: CORE_E_NOT_FOUND, CORE_E_FORMAT (not audio,
    truncated; a NaN met while reading fails the reader for good),
    CORE_E_IO, argument errors (ValueError / TypeError), use after close.
Test data is read in place through conftest's `testdata` fixture; a
missing file skips the test with the reason (fails it when
LIBCORE_REQUIRE_TESTDATA=1).

Native only: under the NumPy fallback (LIBCORE_DISABLE=1) the tests skip
with that reason, except test_unavailable_under_numpy.
"""

import os
import struct
import weakref

import numpy as np
import pytest

import libcore
from libcore import LibcoreError, LibcoreUnavailable

NATIVE = libcore.backend() == "native"
native_only = pytest.mark.skipif(not NATIVE, reason="NumPy backend: AudioReader raises "
                                 "LibcoreUnavailable (test_unavailable_under_numpy)")


@pytest.mark.skipif(NATIVE, reason="the native library is loaded")
def test_unavailable_under_numpy():
    with pytest.raises(LibcoreUnavailable, match="AudioReader needs the native libcore"):
        libcore.AudioReader("x.wav")


def wav16(path, rate, pcm, announced=None):
    """A canonical 44-byte-header mono PCM16 WAV; `announced` frames in the
    header (default: the real count)."""
    pcm = np.asarray(pcm, dtype="<i2")
    n = pcm.size if announced is None else announced
    hdr = struct.pack("<4sI4s4sIHHIIHH4sI", b"RIFF", 36 + 2 * n, b"WAVE", b"fmt ", 16, 1, 1,
                      rate, 2 * rate, 2, 16, b"data", 2 * n)
    with open(path, "wb") as f:
        f.write(hdr + pcm.tobytes())
    return str(path)


def wav_float(path, rate, x):
    x = np.asarray(x, dtype="<f4")
    hdr = struct.pack("<4sI4s4sIHHIIHH4sI", b"RIFF", 36 + 4 * x.size, b"WAVE", b"fmt ", 16, 3, 1,
                      rate, 4 * rate, 4, 32, b"data", 4 * x.size)
    with open(path, "wb") as f:
        f.write(hdr + x.tobytes())
    return str(path)


def read_all(r, n):
    """The rest of r with read(n), checking done after each read and that a
    short chunk comes only at the end."""
    parts, start = [], r.done
    total = r.length
    while True:
        x = r.read(n)
        assert x.dtype == np.float32 and x.ndim == 1
        if x.size == 0:
            break
        assert x.size <= n
        parts.append(x)
        assert r.done == start + sum(p.size for p in parts)
        if x.size < n:
            assert r.done == total
    assert r.done == total and r.remaining == 0
    return np.concatenate(parts) if parts else np.empty(0, np.float32)


def assert_bits(got, want):
    assert got.dtype == np.float32 and got.shape == want.shape
    np.testing.assert_array_equal(got.view(np.uint32), want.view(np.uint32))


def assert_error(excinfo, name, function):
    e = excinfo.value
    assert e.name == name, str(e)
    assert e.message.startswith(function + ":"), e.message


# -- the shared test data ----------------------------------------------------------------

@native_only
@pytest.mark.parametrize("n", [160, 4096, 10**6])
def test_jfk_in_chunks_is_read_audio(testdata, n):
    path = testdata("jfk_16k.wav")
    whole = libcore.read_audio(path, rate=0)
    with libcore.AudioReader(path, rate=0) as r:
        assert r.info == libcore.audio_info(path)
        assert r.sample_rate == 16000
        assert (r.length, r.done) == (whole.size, 0)
        assert_bits(read_all(r, n), whole)
        assert r.read(n).size == 0
        assert r.read_into(np.empty(8, np.float32)) == 0
        assert r.info == libcore.audio_info(path)


@native_only
def test_jfk_one_sample_at_a_time(testdata):
    path = testdata("jfk_16k.wav")
    whole = libcore.read_audio(path, rate=16000)
    with libcore.AudioReader(path, rate=16000) as r:
        first = np.empty(4000, np.float32)
        for i in range(first.size):
            x = r.read(1)
            assert x.size == 1
            first[i] = x[0]
            assert r.done == i + 1
        assert_bits(first, whole[:4000])
        assert_bits(r.read(), whole[4000:])     # the rest continues exactly there


@native_only
@pytest.mark.parametrize("n", [160, 4096, 10**6])
def test_resampled_stereo_flac_in_chunks(testdata, n):
    path = testdata("jfk_44k1_stereo_orig.flac")
    whole = libcore.read_audio(path, rate=16000)
    assert whole.size == 176000
    with libcore.AudioReader(path, rate=16000) as r:
        assert r.info == libcore.audio_info(path)
        assert r.length == 176000
        assert_bits(read_all(r, n), whole)


@native_only
def test_iteration_and_read_into(testdata):
    path = testdata("jfk_16k.flac")
    whole = libcore.read_audio(path, rate=0)
    with libcore.AudioReader(path, rate=0) as r:
        chunks = list(r)
    assert [c.size for c in chunks[:-1]] == [65536] * (len(chunks) - 1)
    assert_bits(np.concatenate(chunks), whole)
    with libcore.AudioReader(path, rate=0) as r:
        assert_bits(np.concatenate(list(r.chunks(1000))), whole)
    # read_into with uneven sizes, straight into one array (views of it)
    got = np.zeros(whole.size + 7, np.float32)
    sizes = [1, 777, 4096, 4097, 100000, 3, 65537]
    at = i = 0
    with libcore.AudioReader(path, rate=0) as r:
        while at < whole.size:
            k = r.read_into(got[at:at + sizes[i % len(sizes)]])
            assert k > 0
            at += k
            i += 1
            assert r.done == at
        assert r.read_into(got[:5]) == 0
    assert at == whole.size
    assert_bits(got[:at], whole)
    assert not got[at:].any()


# -- files written here ------------------------------------------------------------------

@native_only
def test_counts_and_info_on_a_small_file(tmp_path):
    pcm = (np.arange(16001) * 37 % 65536 - 32768).astype(np.int16)
    path = wav16(tmp_path / "ramp.wav", 16000, pcm)
    with libcore.AudioReader(path, rate=8000) as r:
        assert r.length == 8001              # 16001 * 8000 / 16000, halves up
        assert r.sample_rate == 8000
        assert (r.info.frames, r.info.sample_rate) == (16001, 16000)
        assert_bits(read_all(r, 333), libcore.read_audio(path, rate=8000))
    with libcore.AudioReader(wav16(tmp_path / "empty.wav", 16000, []), rate=0) as r:
        assert (r.length, r.done) == (0, 0)
        assert r.read(100).size == 0
        assert list(r) == []


@native_only
def test_open_errors(tmp_path):
    with pytest.raises(LibcoreError) as ei:
        libcore.AudioReader(tmp_path / "no_such_file.wav")
    assert_error(ei, "CORE_E_NOT_FOUND", "core_audio_open")
    text = tmp_path / "text.wav"
    text.write_text("this is not audio at all, just some text in a file named .wav\n" * 20)
    with pytest.raises(LibcoreError) as ei:
        libcore.AudioReader(text)
    assert_error(ei, "CORE_E_FORMAT", "core_audio_open")
    with pytest.raises(LibcoreError) as ei:
        libcore.AudioReader(os.path.abspath(__file__))        # not audio either
    assert_error(ei, "CORE_E_FORMAT", "core_audio_open")
    cut = wav16(tmp_path / "cut.wav", 16000, np.zeros(1000), announced=2000)
    with pytest.raises(LibcoreError) as ei:
        libcore.AudioReader(cut)
    assert_error(ei, "CORE_E_FORMAT", "core_audio_open")
    with pytest.raises(LibcoreError) as ei:
        libcore.AudioReader(tmp_path)
    assert_error(ei, "CORE_E_IO", "core_audio_open")
    good = wav16(tmp_path / "good.wav", 16000, np.zeros(100))
    with pytest.raises(LibcoreError) as ei:
        libcore.AudioReader(good, rate=384001)
    assert_error(ei, "CORE_E_INVALID_ARGUMENT", "core_audio_open")
    with pytest.raises(ValueError, match="rate"):
        libcore.AudioReader(good, rate=-1)
    with pytest.raises(TypeError, match="rate"):
        libcore.AudioReader(good, rate=16000.0)


@native_only
def test_damage_met_while_reading_fails_the_reader_for_good(tmp_path):
    x = (np.arange(12000) % 100 / 100).astype(np.float32)
    x[9000] = np.nan
    path = wav_float(tmp_path / "nan.wav", 16000, x)
    with libcore.AudioReader(path, rate=0) as r:
        assert r.length == 12000
        before = 0
        with pytest.raises(LibcoreError) as first:
            while True:
                chunk = r.read(1000)
                assert chunk.size == 1000                     # no early end
                np.testing.assert_array_equal(chunk, x[before:before + 1000])
                before += 1000
        assert_error(first, "CORE_E_FORMAT", "core_audio_reader_read")
        assert before <= 9000
        assert r.done == before
        with pytest.raises(LibcoreError) as again:
            r.read(10)
        assert again.value.message == first.value.message
        with pytest.raises(LibcoreError) as ei:
            r.read_into(np.empty(5, np.float32))
        assert_error(ei, "CORE_E_FORMAT", "core_audio_reader_read")
        assert r.info.frames == 12000                         # still answers


@native_only
def test_argument_errors(tmp_path):
    path = wav16(tmp_path / "args.wav", 16000, np.zeros(5000))
    with libcore.AudioReader(path, rate=0) as r:
        with pytest.raises(ValueError, match="n must be >= 0"):
            r.read(-1)
        with pytest.raises(ValueError):
            r.read(2**64)
        with pytest.raises(TypeError):
            r.read(1.5)
        for bad in (np.empty(4, np.float64), np.empty(8, np.float32)[::2], [0.0] * 4,
                    np.frombuffer(bytes(16), np.float32)):            # read-only
            with pytest.raises(TypeError, match="float32"):
                r.read_into(bad)
        with pytest.raises(ValueError):
            next(r.chunks(0))
        assert r.done == 0                                  # nothing was read
        assert r.read(2**62).size == 5000                   # allocates only what remains
        assert r.read(2**62).size == 0


@native_only
def test_close_and_use_after_close(tmp_path):
    path = wav16(tmp_path / "close.wav", 16000, np.zeros(1000))
    r = libcore.AudioReader(path, rate=0)
    assert r.read(10).size == 10
    r.close()
    r.close()
    assert r.closed and "closed" in repr(r)
    for call in (lambda: r.read(10), lambda: r.read_into(np.empty(3, np.float32)),
                 lambda: r.info, lambda: r.length, lambda: r.done, lambda: list(r)):
        with pytest.raises(ValueError, match="closed"):
            call()
    # an unreferenced reader is freed (and its file closed) by the collector
    ref = weakref.ref(libcore.AudioReader(path, rate=0))
    assert ref() is None
