#!/bin/sh
# Installs what is missing (Debian), builds libcore and runs every test suite
# (unit, ABI; not the benchmarks: `meson test -C build --benchmark`).
# Ends with one line, "N passed, N failed[, N skipped]", counted from meson's
# test log. Extra arguments go to `meson setup` (e.g. -Dsimd=disabled).
#
# Environment: BUILD_DIR (default build), LIBCORE_TESTDATA (default
# ../shared/testdata beside the checkout), LIBCORE_REQUIRE_TESTDATA=1 turns
# missing test data into failures instead of skips (set by .ci/run).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. "$root/scripts/deps.sh"
libcore_install_deps

build=${BUILD_DIR:-build}
export LIBCORE_TESTDATA="${LIBCORE_TESTDATA:-$root/../shared/testdata}"

if [ -f "$build/build.ninja" ]; then
  meson setup --reconfigure "$build" "$@" >/dev/null
else
  meson setup "$build" "$@" >/dev/null
fi
ninja -C "$build"

status=0
meson test -C "$build" --print-errorlogs --num-processes 1 || status=$?
python3 "$root/scripts/test_summary.py" "$build/meson-logs/testlog.json" || status=1
exit $status
