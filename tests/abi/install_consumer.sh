#!/bin/sh
# Installs the build into a scratch root and compiles the C demo the way a
# user outside the tree would: headers and flags from `pkg-config libcore`
# only. Then runs it against the installed libcore.so.1. Same for the
# loader demo, linked statically with `pkg-config --static libcore-loader`,
# which must load the installed libcore.so.1 found through LD_LIBRARY_PATH.
# usage: install_consumer.sh <build dir> <source dir> <cc>
set -eu
build=$1 src=$2 cc=$3
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
meson install -C "$build" --destdir "$root" --no-rebuild --quiet >/dev/null
pc=$(find "$root" -name libcore.pc | head -n 1)
[ -n "$pc" ] || { echo "libcore.pc was not installed"; exit 1; }
export PKG_CONFIG_SYSROOT_DIR="$root" PKG_CONFIG_PATH=$(dirname "$pc")
libdir=$(pkg-config --variable=libdir libcore)
case $libdir in "$root"*) ;; *) libdir="$root$libdir" ;; esac  # pkgconf adds the sysroot, pkg-config not
# shellcheck disable=SC2046
$cc -std=c99 -Wall -Werror "$src/examples/array_stats_demo.c" -o "$root/demo" \
  $(pkg-config --cflags --libs libcore) -lm
LD_LIBRARY_PATH="$libdir" "$root/demo" > "$root/out"
grep -q "^libcore " "$root/out" || { echo "the installed demo printed no banner"; exit 1; }
echo "installed demo built with pkg-config and ran against $libdir"

# shellcheck disable=SC2046
$cc -std=c99 -Wall -Werror "$src/examples/loader_demo.c" -o "$root/loader_demo" \
  $(pkg-config --cflags --static --libs libcore-loader) -lm
LIBCORE_STRICT=1 LD_LIBRARY_PATH="$libdir" "$root/loader_demo" > "$root/out"
grep -q "^backend: native" "$root/out" || { echo "the installed loader demo did not load libcore"; cat "$root/out"; exit 1; }
echo "installed loader demo built with pkg-config --static and loaded $libdir/libcore.so.1"
