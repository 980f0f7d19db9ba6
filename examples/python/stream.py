#!/usr/bin/env python3
"""Streams an audio file through libcore's Pipeline in 20 ms chunks, as a
microphone callback would, with a toy Python encoder; prints the speech
segments, the windows and cache hits, and a few Prometheus lines.

    /usr/bin/python3 examples/python/stream.py [AUDIO_FILE]

AUDIO_FILE: any file libsndfile reads (WAV, FLAC, OGG), resampled to 16 kHz
mono; default jfk_16k.wav from the test data ($LIBCORE_TESTDATA, else
../shared/testdata beside the source tree). The file is streamed twice
through one EncoderCache: the second pass finds every window's embedding in
the cache and never calls the encoder.

Needs the native library (libcore.so.1 installed, or LIBCORE_LIBRARY=path);
the package is imported from bindings/python when it is not installed.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
try:
    import libcore
except ImportError:
    sys.path.insert(0, os.path.join(HERE, "..", "..", "bindings", "python"))
    import libcore

import numpy as np

RATE = 16000
CHUNK = RATE // 50          # 20 ms
DIM = 16


def default_file():
    d = os.environ.get("LIBCORE_TESTDATA") or os.path.join(HERE, "..", "..", "..", "shared",
                                                           "testdata")
    return os.path.normpath(os.path.join(d, "jfk_16k.wav"))


def toy_encoder(features):
    """(batch, n_mels, n_frames) log-mel windows -> (batch, DIM) embeddings:
    the mean of each group of 5 mel bands, a stand-in for a real model."""
    b, n_mels, _ = features.shape
    return features.mean(axis=2).reshape(b, DIM, n_mels // DIM).mean(axis=2)


def stream(audio, cache, metrics, label):
    calls = []

    def encoder(features):
        calls.append(len(features))
        return toy_encoder(features)

    with libcore.Pipeline(encoder, dim=DIM, cache=cache, metrics=metrics,
                          metrics_prefix=label) as p:
        print(f"-- {label}: {audio.size / RATE:.2f} s in {CHUNK}-sample chunks")
        for i in range(0, audio.size, CHUNK):
            p.push(audio[i:i + CHUNK])                  # the "microphone callback"
            for ev in p.events():                      # whatever is ready now
                show(ev)
        p.flush()
        ev = None
        while ev is None or ev.kind != libcore.EventKind.END:
            ev = p.next_event()
            if ev is not None:
                show(ev)
        s = p.stats()
        print(f"   {s.windows} windows, {s.segments} segments, cache hits {s.cache_hits} / "
              f"{s.cache_hits + s.cache_misses}, encoder calls {len(calls)} "
              f"(batches of {calls}), real-time factor {s.real_time_factor:.4f}")


def show(ev):
    k = libcore.EventKind
    if ev.kind == k.SPEECH_START:
        print(f"   speech starts at {ev.start / RATE:6.2f} s")
    elif ev.kind == k.SPEECH_END:
        print(f"   segment {ev.start / RATE:6.2f} - {ev.end / RATE:6.2f} s")
    elif ev.kind == k.WINDOW:
        print(f"     window {ev.window_id:2d} [{ev.start / RATE:5.2f}, {ev.end / RATE:5.2f}) "
              f"{'cache hit ' if ev.cache_hit else 'encoded   '} "
              f"embedding[:3] = {np.array2string(ev.embedding[:3], precision=3)}")
    elif ev.kind == k.ENCODER_ERROR:
        print(f"     window {ev.window_id} failed: {ev.status} {ev.error!r}")


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else default_file()
    if libcore.backend() != "native":
        sys.exit(f"stream.py needs the native libcore: {libcore._native.failure()}")
    info = libcore.audio_info(path)
    print(f"{path}: {info.format}, {info.sample_rate} Hz, {info.channels} channel(s), "
          f"{info.duration:.2f} s")
    audio = libcore.read_audio(path, rate=RATE)

    with libcore.Metrics() as metrics, libcore.EncoderCache(max_entries=1000) as cache:
        stream(audio, cache, metrics, "pass1")
        stream(audio, cache, metrics, "pass2")       # the same audio: all cache hits
        print("-- a few Prometheus lines")
        for line in metrics.prometheus().splitlines():
            if line.startswith(("pass2_encoder_cache", "pass2_pipeline_windows",
                                "pass1_encoder_forward_seconds_count",
                                "pass1_features_logmel_seconds_sum")):
                print("  ", line)
        c = cache.stats()
        print(f"-- cache: {c.entries} entries, {c.hits} hits, {c.misses} misses, "
              f"hit rate {c.hit_rate:.2f}")


if __name__ == "__main__":
    main()
