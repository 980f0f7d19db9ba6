"""libcore.LogMel / LogMelStream / Vad / read_audio / audio_info against
audio.h and real speech:
  - LogMel on JFK (jfk_16k.f32) against a NumPy float64 recomputation of
    Whisper's log_mel_spectrogram (reflect padding, periodic Hann, |rfft|^2,
    Whisper's own filters from mel_filters_80x201.f32, last frame dropped,
    log10 floor, max - 8 clamp, (x + 4) / 4): max abs difference <= 1e-4
    (the math of tests/audio/test_logmel_reference.py); the filterbank
    against Whisper's; compute_batch and LogMelStream against compute;
  - Vad on speech_gaps_16k.wav: the four sentences of its ground truth,
    every boundary within 60 ms (tests/unit/test_vad_eval.c's bound), the
    same segments pushed in 20 ms chunks as offline;
  - read_audio / audio_info on the WAV, FLAC and 44.1 kHz stereo files;
  - option errors (status names, messages from the C function), use after
    close, the ctypes mirrors of the options structs.
Test data is read in place through conftest's `testdata` fixture
($LIBCORE_TESTDATA, else ../shared/testdata beside the source tree); a
missing file skips the test with the reason, or fails it when
LIBCORE_REQUIRE_TESTDATA=1.

Runs under both backends; under the NumPy fallback only
test_unavailable_under_numpy runs (the others are reported as skipped).
"""

import ctypes
import os
import weakref

import numpy as np
import pytest

import libcore
from libcore import LibcoreError, LibcoreUnavailable

NATIVE = libcore.backend() == "native"
native_only = pytest.mark.skipif(not NATIVE, reason="NumPy backend: the audio classes raise "
                                 "LibcoreUnavailable (test_unavailable_under_numpy)")
HERE = os.path.dirname(os.path.abspath(__file__))
N_FFT, HOP = 400, 160


@pytest.mark.skipif(NATIVE, reason="the native library is loaded")
def test_unavailable_under_numpy():
    for make, name in ((lambda: libcore.LogMel(), "LogMel"),
                       (lambda: libcore.LogMelStream(), "LogMelStream"),
                       (lambda: libcore.Vad(), "Vad"),
                       (lambda: libcore.read_audio("x.wav"), "read_audio"),
                       (lambda: libcore.audio_info("x.wav"), "audio_info")):
        with pytest.raises(LibcoreUnavailable, match=f"{name} needs the native libcore"):
            make()


def jfk(testdata):
    x = np.fromfile(testdata("jfk_16k.f32"), dtype="<f4")
    assert x.size == 176000
    return x


def assert_error(excinfo, name, function):
    e = excinfo.value
    assert e.name == name, str(e)
    assert e.message.startswith(function + ":"), e.message


def reference_log10(x, filters):
    """Whisper's log-mel before its normalization, in NumPy float64."""
    x = x.astype(np.float64)
    window = 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(N_FFT) / N_FFT)   # periodic Hann
    padded = np.pad(x, N_FFT // 2, mode="reflect")
    n_frames = 1 + (padded.size - N_FFT) // HOP
    idx = np.arange(N_FFT)[None, :] + HOP * np.arange(n_frames)[:, None]
    power = np.abs(np.fft.rfft(padded[idx] * window, axis=1)) ** 2
    power = power[:-1]                                   # Whisper drops the last frame
    mel = filters.astype(np.float64) @ power.T
    return np.log10(np.maximum(mel, 1e-10))


def whisper_norm(log_spec):
    return (np.maximum(log_spec, log_spec.max() - 8.0) + 4.0) / 4.0


# -- structs ------------------------------------------------------------------------

@native_only
def test_options_structs_match_c(testdata):
    from libcore.audio import AudioInfoC, LogMelOptions, VadOptions
    lib = libcore._native.library()
    o = LogMelOptions()
    assert lib.core_logmel_options_init(ctypes.byref(o)) == 0
    assert o.struct_size == ctypes.sizeof(LogMelOptions)
    assert (o.sample_rate, o.n_fft, o.hop, o.n_mels, o.mode, o.window_frames) == \
        (16000, 400, 160, 80, 0, 3000)
    v = VadOptions()
    assert lib.core_vad_options_init(ctypes.byref(v)) == 0
    assert v.struct_size == ctypes.sizeof(VadOptions)
    assert (v.sample_rate, v.frame_ms, v.min_speech_ms, v.min_silence_ms, v.speech_pad_ms) \
        == (16000, 30, 250, 100, 30)
    assert v.threshold == pytest.approx(0.5)
    # core_audio_info_t: filled through our struct (bits, its last field).
    info = AudioInfoC()
    info.struct_size = ctypes.sizeof(AudioInfoC)
    assert lib.core_audio_info(testdata("jfk_16k.wav").encode(), ctypes.byref(info)) == 0
    assert info.bits == 16


# -- log-mel -----------------------------------------------------------------------

@native_only
def test_logmel_matches_whisper_reference(testdata):
    x = jfk(testdata)
    filters = np.fromfile(testdata("mel_filters_80x201.f32"), dtype="<f4").reshape(80, 201)
    ref = reference_log10(x, filters)
    with libcore.LogMel(n_mels=80, mode="whisper") as lm:
        assert (lm.n_mels, lm.n_fft, lm.hop, lm.sample_rate) == (80, 400, 160, 16000)
        got = lm.compute(x)
        assert got.shape == (80, 1100) and got.dtype == np.float32
        assert lm.frames(x.size) == 1100
        err = np.abs(got.astype(np.float64) - whisper_norm(ref)).max()
        assert err <= 1e-4, err
        # Whisper's filterbank (librosa's Slaney mel), within float32 rounding.
        fb = lm.filters()
        assert fb.shape == (80, 201)
        np.testing.assert_allclose(fb, filters, rtol=0, atol=1e-6 * filters.max())
        # float64 input: converted once, same result.
        np.testing.assert_array_equal(lm.compute(x.astype(np.float64)), got)
        np.testing.assert_array_equal(lm(x), got)
    with libcore.LogMel(mode="log10") as lm:
        got = lm.compute(x).astype(np.float64)
        near = ref >= ref.max(axis=0, keepdims=True) - 6.0     # within 60 dB of the frame max
        assert np.abs(got - ref)[near].max() <= 1e-4


@native_only
def test_logmel_batch_and_stream_match_compute(testdata):
    x = jfk(testdata)
    clips = [x[:16000], x[16000:48000], x[50000:50400]]
    with libcore.LogMel() as lm:
        batch = lm.compute_batch(clips)
        for clip, b in zip(clips, batch):
            np.testing.assert_array_equal(b, lm.compute(clip))
    with libcore.LogMel(mode="log10") as lm, \
            libcore.LogMelStream(mode="log10") as st:
        offline = lm.compute(x)
        frames = []
        for i in range(0, x.size, 320):
            st.push(x[i:i + 320])
            frames.append(st.read())
        st.flush()
        frames.append(st.read())
        streamed = np.concatenate(frames)
        assert streamed.shape == (1100, 80)                  # frame-major
        np.testing.assert_array_equal(streamed, offline.T)    # bit for bit
        assert st.available == 0 and st.read().shape == (0, 80)
        with pytest.raises(LibcoreError) as ei:
            st.push(x[:10])                                   # after flush
        assert_error(ei, "CORE_E_INVALID_ARGUMENT", "core_logmel_stream_push")
        st.reset()
        st.push(x[:1000])
        assert st.available > 0
    with libcore.LogMel() as lm, libcore.LogMelStream(window_frames=0) as st:
        st.push(x)
        st.flush()
        np.testing.assert_array_equal(st.read(), lm.compute(x).T)


@native_only
def test_logmel_errors():
    for bad, field in (({"n_mels": 0}, "n_mels"), ({"n_fft": 1}, "n_fft"),
                       ({"fmax": 9000.0}, "fmax"), ({"sample_rate": 10}, "sample_rate")):
        with pytest.raises(LibcoreError) as ei:
            libcore.LogMel(**bad)
        assert_error(ei, "CORE_E_INVALID_ARGUMENT", "core_logmel_create")
        assert field in ei.value.message
    with pytest.raises(TypeError, match="unknown option"):
        libcore.LogMel(nfft=512)
    with pytest.raises(ValueError):
        libcore.LogMel(mode="mfcc")
    with libcore.LogMel() as lm:
        with pytest.raises(LibcoreError) as ei:
            lm.compute(np.zeros(399, np.float32))            # shorter than n_fft
        assert_error(ei, "CORE_E_INVALID_ARGUMENT", "core_logmel_compute")
        with pytest.raises(ValueError):
            lm.compute(np.zeros((2, 800), np.float32))


# -- VAD -----------------------------------------------------------------------------

def truth_segments(testdata):
    rows = []
    with open(testdata("speech_gaps_16k.segments.tsv")) as f:
        for line in f:
            if line.startswith("#") or line.startswith("start_s"):
                continue
            parts = line.rstrip("\n").split("\t")
            rows.append((int(parts[2]), int(parts[3])))
    assert len(rows) == 4
    return rows


@native_only
def test_vad_on_speech_gaps(testdata):
    x = libcore.read_audio(testdata("speech_gaps_16k.wav"), rate=16000)
    truth = truth_segments(testdata)
    with libcore.Vad() as vad:
        assert vad.sample_rate == 16000 and vad.options["frame_ms"] == 30
        offline = vad.process(x)
        assert len(offline) == 4, offline
        for (s, e), (ts, te) in zip(offline, truth):
            assert abs(s - ts) <= 960 and abs(e - te) <= 960, (s, e, ts, te)   # 60 ms
        streamed = []
        for i in range(0, x.size, 320):
            streamed += vad.push(x[i:i + 320])
            if vad.open_segment is not None:
                assert vad.open_segment <= i + 320
        streamed += vad.flush()
        assert streamed == offline                 # chunking never changes segments
        assert vad.open_segment is None
        secs = vad.seconds(offline)
        assert secs[0][0] == pytest.approx(truth[0][0] / 16000, abs=0.06)
        vad.reset()
        assert vad.push(np.zeros(16000, np.float32)) == []


@native_only
def test_vad_presets_and_errors():
    with libcore.Vad(preset="transcribe") as v:
        assert v.options["min_silence_ms"] == 2000 and v.options["speech_pad_ms"] == 400
    with libcore.Vad(preset="aggressive", min_speech_ms=500) as v:
        assert v.options["threshold"] == pytest.approx(0.7)
        assert v.options["min_speech_ms"] == 500
    with pytest.raises(LibcoreError) as ei:
        libcore.Vad(frame_ms=15)
    assert_error(ei, "CORE_E_INVALID_ARGUMENT", "core_vad_create")
    assert "frame_ms" in ei.value.message
    with pytest.raises(LibcoreError) as ei:
        libcore.Vad(threshold=1.5)
    assert_error(ei, "CORE_E_INVALID_ARGUMENT", "core_vad_create")
    with pytest.raises(ValueError):
        libcore.Vad(preset="loud")
    with pytest.raises(TypeError, match="unknown option"):
        libcore.Vad(frames_ms=30)


# -- files -------------------------------------------------------------------------------

@native_only
def test_read_audio_and_info(testdata):
    x = jfk(testdata)
    info = libcore.audio_info(testdata("jfk_16k.wav"))
    assert (info.sample_rate, info.channels, info.frames, info.format, info.bits) == \
        (16000, 1, 176000, "wav", 16)
    assert info.duration == pytest.approx(11.0)
    np.testing.assert_array_equal(libcore.read_audio(testdata("jfk_16k.wav")), x)
    np.testing.assert_array_equal(libcore.read_audio(testdata("jfk_16k.flac"), rate=0), x)
    assert libcore.audio_info(testdata("jfk_16k.flac")).format == "flac"
    # 44.1 kHz stereo 24-bit FLAC, downmixed and resampled (testdata README:
    # correlation 0.99999998 with sox; a looser bound here).
    y = libcore.read_audio(testdata("jfk_44k1_stereo_orig.flac"), rate=16000)
    assert y.size == 176000
    assert np.corrcoef(x, y)[0, 1] > 0.9999
    with pytest.raises(LibcoreError) as ei:
        libcore.read_audio(os.path.join(HERE, "no_such_file.wav"))
    assert_error(ei, "CORE_E_NOT_FOUND", "core_audio_read")
    with pytest.raises(LibcoreError) as ei:
        libcore.audio_info(os.path.abspath(__file__))        # not audio
    assert_error(ei, "CORE_E_FORMAT", "core_audio_info")


@native_only
def test_freed_when_unreferenced():
    for make in (libcore.LogMel, libcore.LogMelStream, libcore.Vad):
        o = make()
        ref = weakref.ref(o)
        del o
        assert ref() is None


@native_only
def test_use_after_close_raises():
    x = np.zeros(1600, np.float32)
    lm, st, vad = libcore.LogMel(), libcore.LogMelStream(), libcore.Vad()
    for o in (lm, st, vad):
        o.close()
        o.close()
        assert o.closed
    for call in (lambda: lm.compute(x), lambda: lm.filters(), lambda: lm.frames(1600),
                 lambda: lm.compute_batch([x]), lambda: st.push(x), lambda: st.read(),
                 lambda: st.flush(), lambda: vad.push(x), lambda: vad.flush(),
                 lambda: vad.process(x), lambda: vad.open_segment):
        with pytest.raises(ValueError, match="closed"):
            call()
