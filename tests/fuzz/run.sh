#!/bin/sh
# libFuzzer targets of libcore (suite 'fuzz'), printed as TAP.
#
# What is fuzzed (each target's header comment has the details):
#   fuzz_cache_load     core_cache_load on arbitrary files
#   fuzz_ring_ops       ring operation sequences against a model deque
#   fuzz_stats_acc      the stats accumulator, corrupted or fed any chunking
#   fuzz_cache_ops      cache operation sequences against a model LRU (TTL on
#                       an injected clock, byte and entry bounds, get_or_compute)
#   fuzz_options        every options struct filled with random values -> create
#                       (the collection options: a run on a small WAV)
#   fuzz_metrics        metric names, labels and values; export size protocol,
#                       Prometheus lines and JSON well formed
#   fuzz_vad            VAD on hostile samples: statuses, well-formed segments,
#                       two chunkings give the same segments, = core_vad_segments
#   fuzz_logmel_stream  a log-mel stream under two chunkings = offline compute
#   fuzz_pipeline       the pipeline (encoder callback or NEEDS_ENCODING mode):
#                       well-formed events, two chunkings give the same events
#   fuzz_audio_file     arbitrary bytes as an audio file: core_audio_info and
#                       core_audio_read (native and a resampled rate)
#
# Every library source a target reaches is compiled here with
# -fsanitize=fuzzer-no-link,address,undefined (coverage feedback and the
# sanitizers must see the library code, so the prebuilt, uninstrumented
# libcore cannot be linked), the way tests/stress/tsan.sh builds its TSan
# programs: every source of runtime (built without oneTBB), simd (Highway;
# libhwy itself only picks the target), array, stats, batch, ring, cache
# (each key target with its own -m flags), metrics, audio (KissFFT; the file
# reader with libsndfile and libsoxr when pkg-config finds them), pipeline,
# collection and abi. The objects go into an archive, so each target links only what
# it calls; an object is rebuilt only when its source, any header under
# libcore/ or include/, or the compiler flags changed.
#
# Seeds: the committed corpus tests/fuzz/corpus/TARGET/ (small files each
# target wrote in its FUZZ_WRITE_SEEDS=DIR mode: fuzz_cache_load's are files
# from core_cache_save, fuzz_audio_file's tiny WAV/FLAC/OGG files written with
# libsndfile, the others hand-made inputs), plus every input that crashed
# before (tests/fuzz/regressions/TARGET-*: the target fails at once until the
# library is fixed). New inputs go to WORK/corpus/TARGET and accumulate
# across runs. To regenerate the committed corpus:
#   FUZZ_WRITE_SEEDS=1 sh tests/fuzz/run.sh $PWD /tmp/fuzz [TARGET...]
# Each target fuzzes FUZZ_SECONDS (default 15) seconds; FUZZ_JOBS (default 2)
# compiles and fuzzes that many at a time (a target's build, ~2-5 s, runs
# in its slot). Times on the 2-core machine, measured from a clean work
# dir: compiling the instrumented library 51 s when the machine is quiet
# (up to ~5 minutes while other builds load it; reused after that), then
# ceil(10 / FUZZ_JOBS) x (FUZZ_SECONDS + a few s): 6 min 13 s in all with
# FUZZ_SECONDS=60 (CI), ~2.5 minutes with the default 15 s (~1.7 warm).
# A crash prints "not ok" with the reproducer's path:
#   WORK/fuzz_cache_load WORK/artifacts/fuzz_cache_load/crash-...   # replay
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
jobs=${FUZZ_JOBS:-2}
# FUZZ_WRITE_SEEDS=1 means "rewrite the committed corpus" here; the targets
# read the same variable as a directory, so it must not reach them.
regen=${FUZZ_WRITE_SEEDS:-}
unset FUZZ_WRITE_SEEDS
targets=${*:-fuzz_cache_load fuzz_ring_ops fuzz_stats_acc fuzz_cache_ops fuzz_options \
fuzz_metrics fuzz_vad fuzz_logmel_stream fuzz_pipeline fuzz_audio_file}

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
echo "# run.sh: $cxx, $seconds s per target, $jobs at a time"

hwy_cflags=$(pkg-config --cflags libhwy 2>/dev/null)
hwy_libs=$(pkg-config --libs libhwy libhwy-contrib 2>/dev/null || echo -lhwy -lhwy_contrib)
xxhash_libs=$(pkg-config --libs libxxhash 2>/dev/null || echo -lxxhash)
kiss_cflags=$(pkg-config --cflags kissfft-float 2>/dev/null)
kiss_libs=$(pkg-config --libs kissfft-float 2>/dev/null || echo -lkissfft-float)
# The audio file reader, as meson's audio_io option: with both libraries.
audio_io=""
audio_cflags=""
audio_libs=""
if pkg-config --exists sndfile soxr 2>/dev/null; then
  audio_io=yes
  audio_cflags="-DCORE_HAVE_AUDIO_IO=1 $(pkg-config --cflags sndfile soxr)"
  audio_libs=$(pkg-config --libs sndfile soxr)
fi
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
flags="-std=c++17 -g -O1 -pthread $san -I$src -I$src/include $hwy_cflags $kiss_cflags $audio_cflags"
libs="$hwy_libs $xxhash_libs $kiss_libs $audio_libs -lpthread"

# ---- the library, instrumented -------------------------------------------
mkdir -p lib
lib=lib/libcore_fuzz.a
{
  key_defs=""
  list=""
  # Every source of the modules (the list follows the tree, not a copy of
  # the meson files); the archive keeps the link to what a target calls.
  for f in $(cd "$src/libcore" && ls runtime/*.cpp simd/*.cc array/*.cpp stats/*.cpp \
             batch/*.cpp ring/*.cpp cache/*.cpp metrics/*.cpp audio/*.cpp pipeline/*.cpp \
             collection/*.cpp abi/*.cpp 2>/dev/null); do
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
  # Objects built with other flags (audio_io found or not, another
  # compiler) are stale whatever their dates.
  stamp="$cxx $flags $key_defs"
  if [ "$(cat lib/flags 2>/dev/null)" != "$stamp" ]; then
    rm -f lib/*.o
    echo "$stamp" > lib/flags
  fi
  export cxx flags key_defs src
  # f:extra,flags -> lib/dir_file.o, FUZZ_JOBS compilers at a time
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
build() {  # TARGET: WORK/TARGET, or the build log on failure
  "$cxx" $flags -fsanitize=fuzzer -o "$1" "$src/tests/fuzz/$1.cc" "$lib" $libs \
    >"$1.build.log" 2>&1
}

if [ -n "$regen" ]; then
  # Rewrite tests/fuzz/corpus/TARGET from each target's own seed writer.
  status=0
  for t in $targets; do
    if ! build "$t"; then
      echo "build failed: $t ($work/$t.build.log)"; status=1; continue
    fi
    rm -rf "$src/tests/fuzz/corpus/$t"
    mkdir -p "$src/tests/fuzz/corpus/$t"
    if FUZZ_WRITE_SEEDS="$src/tests/fuzz/corpus/$t" ./"$t" >"$t.seeds.log" 2>&1; then
      echo "$t: $(ls "$src/tests/fuzz/corpus/$t" | wc -l) seeds," \
           "$(cat "$src/tests/fuzz/corpus/$t"/* | wc -c) bytes"
    else
      echo "writing seeds failed: $t ($work/$t.seeds.log)"; status=1
    fi
  done
  exit $status
fi

# fuzz_one N TARGET: builds and fuzzes one target; its TAP line goes to
# WORK/TARGET.tap (printed in order once every target is done).
fuzz_one() {
  i=$1 t=$2
  out="$t.tap"
  if [ "$t" = fuzz_audio_file ] && [ -z "$audio_io" ]; then
    echo "ok $i - $t # SKIP libsndfile or libsoxr not found (pkg-config sndfile soxr)" >"$out"
    return 0
  fi
  if ! build "$t"; then
    { echo "not ok $i - $t: build failed ($work/$t.build.log)"
      sed 's/^/# /' "$t.build.log" | head -40; } >"$out"
    return 1
  fi
  mkdir -p "corpus/$t" "seeds/$t" "artifacts/$t"
  rm -f "artifacts/$t"/* "seeds/$t"/*
  for c in "$src/tests/fuzz/regressions/$t"-*; do [ -f "$c" ] && cp "$c" "seeds/$t/"; done
  committed="$src/tests/fuzz/corpus/$t"
  if [ ! -d "$committed" ]; then
    # No committed corpus (a new target): its seed writer stands in.
    committed=""
    FUZZ_WRITE_SEEDS="seeds/$t" ./"$t" >"$t.seeds.log" 2>&1 || {
      { echo "not ok $i - $t: writing seeds failed ($work/$t.seeds.log)"
        sed 's/^/# /' "$t.seeds.log" | head -40; } >"$out"
      return 1
    }
  fi
  # libFuzzer writes new inputs to the first directory only: the committed
  # corpus and the regressions are read, never changed.
  # lsan.supp: leaks inside third-party libraries only (each one explained).
  ASAN_OPTIONS="detect_leaks=1 ${ASAN_OPTIONS:-}" \
  LSAN_OPTIONS="suppressions=$src/tests/fuzz/lsan.supp print_suppressions=0 ${LSAN_OPTIONS:-}" \
  UBSAN_OPTIONS="print_stacktrace=1 halt_on_error=1 ${UBSAN_OPTIONS:-}" \
    ./"$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix="artifacts/$t/" \
      "corpus/$t" ${committed:+"$committed"} "seeds/$t" >"$t.log" 2>&1
  rc=$?
  crash=$(ls "artifacts/$t"/* 2>/dev/null | head -1)
  if [ $rc -eq 0 ] && [ -z "$crash" ]; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$t.log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$t.log" | tail -1)
    echo "ok $i - $t: ${runs:-?} runs in ${seconds}s, $cov" >"$out"
  else
    { echo "not ok $i - $t: exit $rc, crash file ${crash:+$work/$crash} (log $work/$t.log)"
      grep -A40 -m1 'ERROR\|runtime error\|FAILED\|deadly signal\|fuzz_[a-z_]*:[0-9]*:' \
        "$t.log" | sed 's/^/# /'; } >"$out"
    return 1
  fi
}

n=0
for t in $targets; do n=$((n + 1)); done
echo "1..$n"
# FUZZ_JOBS targets at a time; every target runs the same time, so a group
# finishes together and waiting for the whole group wastes little.
i=0
running=0
for t in $targets; do
  i=$((i + 1))
  rm -f "$t.tap"
  fuzz_one "$i" "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait
    running=0
  fi
done
wait
status=0
i=0
for t in $targets; do
  i=$((i + 1))
  if [ -f "$t.tap" ]; then
    cat "$t.tap"
    head -1 "$t.tap" | grep -q '^ok' || status=1
  else
    echo "not ok $i - $t: no result"
    status=1
  fi
done
exit $status
