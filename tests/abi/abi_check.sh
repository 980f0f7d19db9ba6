#!/bin/sh
# The ABI of libcore.so.1 against the committed baseline (tests/abi/libcore.abi),
# with libabigail (Debian's abigail-tools). Prints TAP.
#
# abidw records every exported function with the types it takes (from the
# DWARF of libcore/abi/, which is always built with -g) and the public
# types in include/core/; abidiff then compares the built library with the
# baseline. Any change to an existing function, a removed function or a
# changed public type (an options struct's size, a field's offset, an enum
# value, a parameter) fails the check. Added functions are compatible: they
# are listed, not failed.
#
# When a change is intended (see "ABI and versions" in the README for the
# version bump rule), regenerate the baseline and commit it:
#   meson compile -C build abi-baseline
# which runs: abi_check.sh LIB INCLUDE_DIR BASELINE --update
#
# usage: abi_check.sh <libcore.so.1> <include/core dir> <baseline> [--update]
# Exits 77 (SKIP) when abidw/abidiff are not installed.
set -u
lib=$1 headers=$2 baseline=$3 mode=${4:-check}

if ! command -v abidw >/dev/null 2>&1 || ! command -v abidiff >/dev/null 2>&1; then
  echo "1..0 # SKIP abidw/abidiff not found (Debian package abigail-tools)"
  exit 77
fi

# --exported-interfaces-only: what the exported symbols reach, not every
# internal C++ type the abi layer's DWARF happens to describe;
# --headers-dir + --drop-private-types: only types of the public headers
# (the handles stay opaque); --no-show-locs: header line numbers are not ABI.
dump() {
  abidw --exported-interfaces-only --headers-dir "$headers" --drop-private-types \
    --no-corpus-path --no-show-locs --drop-undefined-syms "$lib"
}

if [ "$mode" = "--update" ]; then
  dump > "$baseline.tmp" && mv "$baseline.tmp" "$baseline" || exit 1
  echo "abi_check.sh: wrote $baseline ($(grep -c '<elf-symbol' "$baseline") functions)"
  exit 0
fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
echo "1..2"
if ! dump > "$tmp/current.abi" 2> "$tmp/abidw.err"; then
  echo "not ok 1 - abidw could read $lib"
  sed 's/^/#   /' "$tmp/abidw.err"
  echo "not ok 2 - no incompatible change # abidw failed"
  exit 1
fi
echo "ok 1 - abidw could read $lib ($(grep -c '<elf-symbol' "$tmp/current.abi") functions)"

# abidiff's exit status is a bit set: 1 error, 2 usage, 4 the ABIs differ,
# 8 an incompatible change (a removed symbol). --no-added-syms keeps added
# functions out of bit 4; they are listed below from a second, full report.
abidiff --no-added-syms "$baseline" "$tmp/current.abi" > "$tmp/diff" 2>&1
rc=$?
if [ "$rc" -eq 0 ]; then
  echo "ok 2 - no change to the baseline's functions and types"
else
  what="the ABI changed"
  [ $((rc & 8)) -ne 0 ] && what="incompatible ABI change (functions removed)"
  [ $((rc & 3)) -ne 0 ] && what="abidiff failed (status $rc)"
  echo "not ok 2 - $what against $baseline"
  sed 's/^/#   /' "$tmp/diff"
  echo "#   Intended? Follow the version rule in the README, then regenerate the"
  echo "#   baseline with: meson compile -C <build> abi-baseline"
fi
abidiff "$baseline" "$tmp/current.abi" > "$tmp/full" 2>&1
added=$(grep -c "^  \[A\]" "$tmp/full")
[ "$added" -gt 0 ] && { echo "# $added function(s) added since the baseline (compatible):"; \
                        grep "^  \[A\]" "$tmp/full" | sed 's/^/#   /'; }
[ "$rc" -eq 0 ]
