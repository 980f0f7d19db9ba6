#!/bin/sh
# Installs what is missing (Debian), builds libcore and runs the C demo of
# arrays and statistics.
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
ninja -C "$build" examples/array_stats_demo
exec "$build/examples/array_stats_demo"
