#!/bin/sh
# Installs what is missing (Debian), builds libcore and runs the C demo of
# arrays and statistics, the dlopen loader demo on both backends, the corpus
# tool over the test clips, then the main show: the streaming pipeline demo
# (examples/stream_demo.c).
#
#   ./examples/demo.sh [FILE] [stream_demo options]
#
# FILE (WAV/FLAC/OGG) goes to stream_demo; without one it speaks a clip with
# espeak-ng. Its metrics.prom and spectrogram.png go to DEMO_OUT (default
# $BUILD_DIR/stream_demo). Environment: BUILD_DIR (default build), DEMO_OUT.
set -eu
caller=$(pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. "$root/scripts/deps.sh"
# espeak-ng only speaks the demo's clip: the tests do not need it.
LIBCORE_PACKAGES="$LIBCORE_PACKAGES espeak-ng"
libcore_install_deps
build=${BUILD_DIR:-build}
case $build in /*) ;; *) build="$root/$build" ;; esac
if [ -f "$build/build.ninja" ]; then
  meson setup --reconfigure "$build" >/dev/null
else
  meson setup "$build" >/dev/null
fi
# meson 1.0 regenerates at the next build after --reconfigure: do it quietly.
ninja -C "$build" build.ninja >/dev/null
# libcore itself (libcore.so.1 for the loader) is built as their dependency.
ninja -C "$build" examples/array_stats_demo examples/loader_demo
"$build/examples/array_stats_demo"
echo
echo "== loader_demo with libcore.so.1 (LIBCORE_PATH) =="
LIBCORE_PATH="$build/libcore/libcore.so.1" "$build/examples/loader_demo"
echo "== loader_demo without it (LIBCORE_DISABLE=1) =="
LIBCORE_DISABLE=1 "$build/examples/loader_demo"

echo
echo "== corpus_features: the test clips summarized in parallel =="
td=${LIBCORE_TESTDATA:-$root/../shared/testdata}
if ! ninja -C "$build" -t targets all 2>/dev/null | grep -q '^examples/corpus_features:'; then
  echo "corpus_features is not built (no audio_io: libsndfile/libsoxr missing)"
elif ! ls "$td"/*.wav >/dev/null 2>&1; then
  echo "no test clips in $td (set LIBCORE_TESTDATA): skipped"
else
  ninja -C "$build" examples/corpus_features >/dev/null
  # The WAVs and the 44.1-kHz stereo FLAC (jfk_16k.flac / .ogg would share
  # jfk_16k.wav's output name: the tool fails such duplicates).
  ls "$td"/*.wav "$td"/*44k1*.flac 2>/dev/null > "$build/corpus_demo.list"
  "$build/examples/corpus_features" --out "$build/corpus_demo" --features --no-progress \
    "$build/corpus_demo.list" > "$build/corpus_demo.jsonl" ||
    echo "(corpus_features: some clips failed, listed above)"
  echo "one JSON line per clip in $build/corpus_demo.jsonl, log-mel .npy files in $build/corpus_demo/"
fi

echo
echo "== stream_demo: the streaming pipeline =="
if ! ninja -C "$build" -t targets all 2>/dev/null | grep -q '^examples/stream_demo:'; then
  echo "stream_demo is not built: libpng was not found (apt-get install libpng-dev)" >&2
  exit 1
fi
ninja -C "$build" examples/stream_demo >/dev/null
# From the caller's directory, so a relative FILE or DEMO_OUT means what it says.
cd "$caller"
out=${DEMO_OUT:-$build/stream_demo}
mkdir -p "$out"
"$build/examples/stream_demo" --out "$out" "$@"
