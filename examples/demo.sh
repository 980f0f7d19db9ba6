#!/bin/sh
# Installs what is missing (Debian), builds libcore and runs the C demo of
# arrays and statistics, then the dlopen loader demo on both backends.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. "$root/scripts/deps.sh"
libcore_install_deps
build=${BUILD_DIR:-build}
if [ -f "$build/build.ninja" ]; then
  meson setup --reconfigure "$build" >/dev/null
else
  meson setup "$build" >/dev/null
fi
ninja -C "$build" examples/array_stats_demo examples/loader_demo libcore/libcore.so
"$build/examples/array_stats_demo"
echo
echo "== loader_demo with libcore.so.1 (LIBCORE_PATH) =="
LIBCORE_PATH="$build/libcore/libcore.so.1" "$build/examples/loader_demo"
echo "== loader_demo without it (LIBCORE_DISABLE=1) =="
LIBCORE_DISABLE=1 "$build/examples/loader_demo"
