#!/bin/sh
# libFuzzer targets of libcore (suite 'fuzz'), printed as TAP.
#
# Every library source a target reaches is compiled here with
# -fsanitize=fuzzer-no-link,address,undefined (coverage feedback and the
# sanitizers must see the library code, so the prebuilt, uninstrumented
# libcore cannot be linked), the way tests/stress/tsan.sh builds its TSan
# programs: every source of runtime (built without oneTBB), simd (Highway;
# libhwy itself only picks the target), array, stats, batch, ring, cache
# (each key target with its own -m flags), metrics and abi. The objects go into an
# archive, so each target links only what it calls; an object is rebuilt
# only when its source, or any header under libcore/ or include/, is newer.
#
# Each target starts from a seed corpus that it writes itself when run with
# FUZZ_WRITE_SEEDS=DIR (fuzz_cache_load: valid cache files from
# core_cache_save, so the fuzzer starts past the header and checksum; the
# others: a few hand-made inputs) and runs for FUZZ_SECONDS (default 15)
# seconds, on two cores when FUZZ_JOBS (default 2) allows.
# A crash prints "not ok" with the reproducer's path:
#   WORK/fuzz_cache_load WORK/crash-...            # replay one input
#   FUZZ_SECONDS=300 sh tests/fuzz/run.sh $PWD /tmp/fuzz fuzz_ring_ops
#
# usage: run.sh SRCROOT WORKDIR [TARGET...]
# Exits 77 (SKIP) when clang++ or libFuzzer is missing here.
set -u
src=$(cd "$1" && pwd) || exit 1
work=$2
shift 2
mkdir -p "$work" || exit 1
work=$(cd "$work" && pwd)
cd "$work" || exit 1
seconds=${FUZZ_SECONDS:-15}
targets=${*:-fuzz_cache_load fuzz_ring_ops fuzz_stats_acc}

cxx=""
for c in ${CXX_FUZZ:-} clang++ clang++-14 clang++-15 clang++-16 clang++-17 clang++-18; do
  command -v "$c" >/dev/null 2>&1 && { cxx=$c; break; }
done
if [ -z "$cxx" ]; then
  echo "SKIP: clang++ not found (the fuzz targets need clang with libFuzzer)"
  exit 77
fi
cat > probe.cc <<'PROBE'
#include <cstddef>
#include <cstdint>
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *, size_t) { return 0; }
PROBE
if ! "$cxx" -fsanitize=fuzzer,address,undefined probe.cc -o probe >probe.log 2>&1 ||
   ! ./probe -runs=1 >>probe.log 2>&1; then
  echo "SKIP: $cxx cannot build and run a libFuzzer program (install libclang-rt-NN-dev)"
  sed 's/^/# /' probe.log
  exit 77
fi
echo "# run.sh: $cxx, $seconds s per target"

hwy_cflags=$(pkg-config --cflags libhwy 2>/dev/null)
hwy_libs=$(pkg-config --libs libhwy libhwy-contrib 2>/dev/null || echo -lhwy -lhwy_contrib)
xxhash_libs=$(pkg-config --libs libxxhash 2>/dev/null || echo -lxxhash)
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
flags="-std=c++17 -g -O1 -pthread $san -I$src -I$src/include $hwy_cflags"
jobs=${FUZZ_JOBS:-2}

# ---- the library, instrumented -------------------------------------------
mkdir -p lib
lib=lib/libcore_fuzz.a
{
  key_defs=""
  list=""
  # Every source of the modules (the list follows the tree, not a copy of
  # the meson files); the archive keeps the link to what a target calls.
  for f in $(cd "$src/libcore" && ls runtime/*.cpp simd/*.cc array/*.cpp stats/*.cpp \
             batch/*.cpp ring/*.cpp cache/*.cpp metrics/*.cpp abi/*.cpp 2>/dev/null); do
    case "$f" in cache/key_avx*) continue ;; esac
    list="$list $f:"
  done
  if "$cxx" -mavx2 -fsyntax-only -x c++ /dev/null >/dev/null 2>&1; then
    list="$list cache/key_avx2.cpp:-mavx2"
    key_defs="$key_defs -DCORE_CACHE_KEY_AVX2"
  fi
  if "$cxx" -mavx512f -mavx512bw -fsyntax-only -x c++ /dev/null >/dev/null 2>&1; then
    list="$list cache/key_avx512.cpp:-mavx2,-mavx512f,-mavx512bw,-Wno-uninitialized"
    key_defs="$key_defs -DCORE_CACHE_KEY_AVX512"
  fi
  export cxx flags key_defs src
  # f:extra,flags -> lib/dir_file.o, two compilers at a time
  echo "$list" | tr ' ' '\n' | grep . | xargs -P "$jobs" -I{} sh -c '
    f=${1%%:*} extra=$(echo "${1#*:}" | tr , " ")
    o=lib/$(echo "$f" | tr / _ | sed "s/\.[a-z]*\$/.o/")
    if [ "$o" -nt "$src/libcore/$f" ] && [ -z "$(find "$src/libcore" "$src/include" \
         -name "*.h" -newer "$o" 2>/dev/null | head -1)" ]; then exit 0; fi
    # A source that does not compile is left out (reported): only the
    # targets that need it then fail, at link time.
    $cxx $flags -fsanitize=fuzzer-no-link $key_defs $extra -c "$src/libcore/$f" -o "$o" \
      >"$o.log" 2>&1 && rm -f "$o.log" ||
      { echo "# compile failed: $f (see $o.log)"; rm -f "$o"; }' _ {}
  rm -f "$lib"
  objs=$(echo "$list" | tr ' ' '\n' | grep . | sed 's/:.*//; s|/|_|; s/\.[a-z]*$/.o/; s|^|lib/|')
  ar rcs "$lib" $(for o in $objs; do [ -f "$o" ] && echo "$o"; done) || {
    echo "Bail out! could not build the instrumented library"; exit 1; }
}

# ---- the targets ------------------------------------------------------------
n=0
for t in $targets; do n=$((n + 1)); done
echo "1..$n"
i=0
status=0
for t in $targets; do
  i=$((i + 1))
  if ! "$cxx" $flags -fsanitize=fuzzer -o "$t" "$src/tests/fuzz/$t.cc" "$lib" \
       $hwy_libs $xxhash_libs -lpthread >"$t.build.log" 2>&1; then
    echo "not ok $i - $t: build failed ($work/$t.build.log)"
    sed 's/^/# /' "$t.build.log" | head -40
    status=1
    continue
  fi
  # Seeds: written by the target itself. The corpus grows across runs in
  # WORK/corpus/TARGET.
  mkdir -p "corpus/$t" "seeds/$t" "artifacts/$t"
  rm -f "artifacts/$t"/*
  # Inputs that crashed before (tests/fuzz/regressions/TARGET-*) join the seeds:
  # the target fails at once until the library is fixed.
  for c in "$src/tests/fuzz/regressions/$t"-*; do [ -f "$c" ] && cp "$c" "seeds/$t/"; done
  FUZZ_WRITE_SEEDS="seeds/$t" ./"$t" >"$t.seeds.log" 2>&1 || {
    echo "not ok $i - $t: writing seeds failed ($work/$t.seeds.log)"
    sed 's/^/# /' "$t.seeds.log" | head -40
    status=1
    continue
  }
  ASAN_OPTIONS="detect_leaks=1 ${ASAN_OPTIONS:-}" \
  UBSAN_OPTIONS="print_stacktrace=1 halt_on_error=1 ${UBSAN_OPTIONS:-}" \
    ./"$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix="artifacts/$t/" \
      "corpus/$t" "seeds/$t" >"$t.log" 2>&1
  rc=$?
  crash=$(ls "artifacts/$t"/* 2>/dev/null | head -1)
  if [ $rc -eq 0 ] && [ -z "$crash" ]; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$t.log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$t.log" | tail -1)
    echo "ok $i - $t: ${runs:-?} runs in ${seconds}s, $cov"
  else
    echo "not ok $i - $t: exit $rc, crash file ${crash:+$work/$crash} (log $work/$t.log)"
    grep -A40 -m1 'ERROR\|runtime error\|FAILED\|deadly signal' "$t.log" | sed 's/^/# /'
    status=1
  fi
done
exit $status
