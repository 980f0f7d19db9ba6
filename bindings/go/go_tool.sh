#!/bin/sh
# Runs the go tool for the Go binding, hermetically inside the meson build
# folder: GOCACHE, GOPATH (and so the module cache), GOTMPDIR, the assembled
# module and the build-tree pkg-config file all live under WORK; GOPROXY=off
# and GOSUMDB=off, so nothing is ever downloaded; GOENV=off and GOWORK=off,
# so the user's go settings do not leak in.
#
# usage: go_tool.sh MODE GO WORK ARGS...
#   module  STAMP INCDIR LIBDIR VERSION [--dest=DIR] FILES...
#           assemble WORK/module: each FILE is copied into the DIR of the
#           last --dest before it (the module root by default); then write
#           the build-tree libcore.pc, go build and go vet
#   example OUTPUT MAIN_GO       build the example program against the module
#   test    [GODEBUG]            go test -v; fails when it ran no test
#   loader  LIBDIR               libcore.so.1 missing at run time -> loader error
#   bench                        go test -bench, then the summary figures
set -eu

mode=$1 go=$2 work=$3
shift 3
top=$(pwd) # meson passes paths relative to the build folder
abs() { case $1 in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$top" "$1" ;; esac; }
work=$(abs "$work")

export GOCACHE="$work/cache" GOPATH="$work/gopath" GOTMPDIR="$work/tmp"
export GOMODCACHE="$work/gopath/pkg/mod" GOPROXY=off GOSUMDB=off GOFLAGS=-mod=mod
export GOWORK=off GOENV=off GO111MODULE=on CGO_ENABLED=1
export PKG_CONFIG_PATH="$work/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
# The build tree's programs find libcore.so.1 through an rpath (the loader
# mode leaves it out).
if [ -n "${CORE_GO_RPATH:-}" ]; then
  export CGO_LDFLAGS="-Wl,-rpath,$CORE_GO_RPATH${CGO_LDFLAGS:+ $CGO_LDFLAGS}"
fi
mkdir -p "$GOTMPDIR"
module="$work/module"

write_pc() { # DIR INCDIR LIBDIR VERSION
  mkdir -p "$1"
  cat >"$1/libcore.pc" <<EOF
# libcore in the meson build tree, for the Go binding's build and tests.
Name: libcore
Description: libcore (build tree)
Version: $4
Cflags: -I$2
Libs: -L$3 -lcore
EOF
}

case $mode in
module)
  stamp=$(abs "$1") incdir=$2 libdir=$3 version=$4
  shift 4
  rm -rf "$module"
  mkdir -p "$module/internal/capi"
  dest=.
  for f in "$@"; do
    case $f in
    --dest=*) dest=${f#--dest=} ;;
    *)
      mkdir -p "$module/$dest"
      cp "$(abs "$f")" "$module/$dest/"
      ;;
    esac
  done
  write_pc "$work/pkgconfig" "$incdir" "$libdir" "$version"
  cd "$module"
  "$go" build ./...
  "$go" vet . # also compiles the tests, so a broken test fails the build
  touch "$stamp"
  ;;

example)
  out=$(abs "$1") main=$(abs "$2")
  rm -rf "$work/example"
  mkdir -p "$work/example"
  cp "$main" "$work/example/"
  cat >"$work/example/go.mod" <<EOF
module libcore.dev/example

go 1.19

require libcore.dev/core v0.1.0

replace libcore.dev/core => ../module
EOF
  cd "$work/example"
  "$go" build -o "$out" .
  ;;

test)
  tag=default
  if [ $# -gt 0 ]; then
    export GODEBUG="$1" CORE_GO_WANT_GODEBUG="$1"
    tag=$(printf '%s' "$1" | tr -c 'A-Za-z0-9\n' '_')
  fi
  log="$work/test-$tag.log"
  cd "$module"
  status=0
  "$go" test -count=1 -v ./... >"$log" 2>&1 || status=$?
  # TAP for meson: one line per test, subtest and example; the log as
  # comments. A build failure or a run with no test is a "not ok" line.
  sed 's/^/# /' "$log"
  n=0
  while IFS= read -r line; do
    case $line in
      *'--- PASS: '*) n=$((n + 1)); echo "ok $n - ${line#*--- PASS: }" ;;
      *'--- FAIL: '*) n=$((n + 1)); echo "not ok $n - ${line#*--- FAIL: }" ;;
      *'--- SKIP: '*) n=$((n + 1)); echo "ok $n - ${line#*--- SKIP: } # SKIP" ;;
    esac
  done < "$log"
  passed=$(grep -c -- '--- PASS:' "$log" || true)
  failed=$(grep -c -- '--- FAIL:' "$log" || true)
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    n=$((n + 1)); echo "not ok $n - go test exited with status $status"
  fi
  if [ "$passed" -eq 0 ]; then
    n=$((n + 1)); echo "not ok $n - go test ran no test"
  fi
  echo "1..$n"
  echo "# go test${GODEBUG:+ (GODEBUG=$GODEBUG)}: $passed passed, $failed failed (subtests and examples included)"
  if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
    exit 1
  fi
  ;;

loader)
  libdir=$1
  if /sbin/ldconfig -p 2>/dev/null | grep -q 'libcore\.so\.1 '; then
    echo "a libcore.so.1 is installed system-wide: cannot test a missing library" >&2
    exit 77
  fi
  exe="$work/loader/core_go_example_norpath"
  rm -rf "$work/loader"
  mkdir -p "$work/loader"
  cd "$work/example"
  # No rpath: CGO_LDFLAGS is part of go's cache key. So is CGO_CFLAGS, made
  # distinct too, so the cgo packages are rebuilt even if a stale entry
  # exists (the cache does not notice changed pkg-config output).
  CGO_LDFLAGS= CGO_CFLAGS="-g -O2 -DCORE_GO_NO_RPATH" "$go" build -o "$exe" .
  status=0
  env -u LD_LIBRARY_PATH "$exe" >"$work/loader/out.txt" 2>&1 || status=$?
  cat "$work/loader/out.txt"
  if [ "$status" -eq 0 ] || ! grep -q 'libcore\.so\.1' "$work/loader/out.txt"; then
    echo "want a dynamic loader error naming libcore.so.1 (exit $status)" >&2
    exit 1
  fi
  echo "without rpath or LD_LIBRARY_PATH: the loader refuses to start (exit $status), as documented"
  LD_LIBRARY_PATH="$libdir" "$exe" >/dev/null
  echo "with LD_LIBRARY_PATH=$libdir: runs"
  ;;

bench)
  log="$work/bench.log"
  cd "$module"
  # Five runs of each benchmark; the summary takes the best (this machine
  # is shared: the others only measure its load).
  "$go" test -run '^$' -bench . -benchmem -count=5 . | tee "$log"
  awk '
    function ns(name) { return (name in t) ? t[name] : -1 }
    $1 ~ /^Benchmark/ { n = $1; sub(/-[0-9]+$/, "", n); for (i = 2; i < NF; i++) if ($(i+1) == "ns/op" && (!(n in t) || $i + 0 < t[n])) t[n] = $i + 0 }
    END {
      s = ns("BenchmarkStats/n=1000"); c = ns("BenchmarkStatsFromC/n=1000")
      z = ns("BenchmarkStats/n=0"); f = ns("BenchmarkCgoFloor")
      b = ns("BenchmarkStats1e6/binding"); b1 = ns("BenchmarkStats1e6/binding_1thread")
      g = ns("BenchmarkStats1e6/go_loop")
      printf "\n== Go binding figures, best of 5 (informative; nothing asserts on time)\n"
      printf "Stats, 1000 float32, per call:  %7.0f ns   (target <= 250 ns)\n", s
      printf "  same call from a C loop:      %7.0f ns   (libcore alone)\n", c
      printf "  Stats on 0 values:            %7.0f ns   (the binding fixed cost)\n", z
      printf "  empty cgo call:               %7.0f ns\n", f
      printf "Stats, 1e6 float32:             %7.1f us   default threads\n", b / 1000
      printf "                                %7.1f us   1 thread\n", b1 / 1000
      printf "  Go loop min/max/mean/var:     %7.1f us\n", g / 1000
      if (b > 0 && b1 > 0) printf "  ratio Go loop / binding:      %7.1fx   (%.1fx on 1 thread; target >= 5x)\n", g / b, g / b1
      printf "BatchStats, 10000 x 1000 float32:\n"
      printf "  BatchStatsFlat (zero-copy):   %7.2f ms\n", ns("BenchmarkBatchStats/flat") / 1e6
      printf "  sub-slices of one buffer:     %7.2f ms\n", ns("BenchmarkBatchStats/shared") / 1e6
      printf "  separate arrays (copied):     %7.2f ms\n", ns("BenchmarkBatchStats/separate") / 1e6
      printf "  Go loop of Stats calls:       %7.2f ms\n", ns("BenchmarkBatchStats/stats_loop") / 1e6
      printf "RingBuffer, 1024 floats appended and popped, one goroutine:\n"
      printf "  plain:                        %7.0f ns   (%.1f GB/s)\n", ns("BenchmarkRingAppendPop/plain"), 4096 / ns("BenchmarkRingAppendPop/plain")
      printf "  mirror:                       %7.0f ns   (%.1f GB/s)\n", ns("BenchmarkRingAppendPop/mirror"), 4096 / ns("BenchmarkRingAppendPop/mirror")
    }' "$log"
  ;;

*)
  echo "go_tool.sh: unknown mode $mode" >&2
  exit 2
  ;;
esac
