#!/bin/sh
# The ring and cache stress tests under ThreadSanitizer (and the metrics and
# pipeline ones: see their sections below).
#
# Everything the two threads touch is compiled here with -fsanitize=thread:
# the ring module (its atomics and sample copies are what TSan must see),
# the abi layer in front of it, the runtime (status names, error messages,
# version; built without oneTBB, which the ring never uses), the PCM kernel
# that append_i16 calls and the SIMD target report (Highway; libhwy itself
# only picks the target), and the stress program. Linking the prebuilt
# libcore instead would hide every ring access from TSan.
#
# usage: tsan.sh SRCROOT WORKDIR SAMPLES [CXX [CC]]
# Tries the given compilers, then g++/gcc and clang++/clang; exits 77 (SKIP)
# only when none of them can build and run a TSan program.
set -u
src=$1 work=$2 samples=$3
shift 3
mkdir -p "$work" || exit 1
cd "$work" || exit 1

hwy_cflags=$(pkg-config --cflags libhwy 2>/dev/null)
hwy_libs=$(pkg-config --libs libhwy 2>/dev/null || echo -lhwy)

cat > probe.cpp <<'PROBE'
#include <atomic>
#include <thread>
std::atomic<int> a;
int main() { std::thread t([] { a = 1; }); t.join(); return a - 1; }
PROBE

pick() { # CXX CC: usable when it builds and runs a TSan program
  command -v "$1" >/dev/null 2>&1 && command -v "$2" >/dev/null 2>&1 || return 1
  "$1" -fsanitize=thread -pthread probe.cpp -o probe >/dev/null 2>&1 && ./probe >/dev/null 2>&1
}
cxx="" cc=""
for pair in "${1:-} ${2:-}" "g++ gcc" "clang++ clang"; do
  set -- $pair
  [ $# -eq 2 ] || continue
  case "$1" in *++*|*c++*) ;; *) continue ;; esac
  if pick "$1" "$2"; then cxx=$1 cc=$2; break; fi
done
if [ -z "$cxx" ]; then
  echo "SKIP: no compiler here can build and run a ThreadSanitizer program"
  echo "      (g++ needs libtsan, clang needs libclang-rt)"
  exit 77
fi
echo "tsan.sh: $cxx / $cc -fsanitize=thread"

flags="-fsanitize=thread -g -O2 -pthread -I$src -I$src/include"
# g++ warns that TSan ignores atomic_thread_fence: the ring fences only on
# kernels without membarrier, a path this run does not take.
if $cxx -Wno-tsan -fsyntax-only -x c++ /dev/null >/dev/null 2>&1; then flags="$flags -Wno-tsan"; fi

# The metrics stress test (stress_metrics.c): four threads recording into
# shared timers, counters and gauges and registering new names while an
# exporter thread exports and snapshots the registry and a resetter thread
# resets and merges a second one. The metrics module, its abi layer and the
# runtime are compiled here with TSan, in their own directory (the ring's
# link below takes every ./*.o). SAMPLES / 1000 records per thread (1e5 in
# the meson test). Runs when CORE_TSAN_ONLY is unset or "metrics";
# CORE_TSAN_ONLY=metrics runs only this part.
case "${CORE_TSAN_ONLY:-}" in
  "" | metrics)
    (
      set -e
      mkdir -p metrics && cd metrics && rm -f ./*.o stress_metrics_tsan
      for f in $(cd "$src/libcore" && ls metrics/*.cpp) abi/metrics.cpp abi/core.cpp \
               runtime/error.cpp runtime/status.cpp runtime/threads.cpp simd/target.cc; do
        o=$(echo "$f" | tr / _ | sed 's/\.[a-z]*$/.o/')
        $cxx -std=c++17 $flags $hwy_cflags -c "$src/libcore/$f" -o "$o"
      done
      $cc -std=gnu11 $flags -c "$src/tests/stress/stress_metrics.c" -o stress_metrics.o
      $cxx -fsanitize=thread -pthread -o stress_metrics_tsan ./*.o $hwy_libs
      set +e
      TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}" \
        ./stress_metrics_tsan "$(awk "BEGIN { printf \"%.0f\", $samples / 1000 }")"
    )
    rc=$? # (not "( ... ) || exit": that would turn off set -e inside)
    [ "$rc" -eq 0 ] || exit "$rc"
    [ "${CORE_TSAN_ONLY:-}" != metrics ] || exit 0
    ;;
esac

set -e
rm -f ./*.o stress_ring_tsan
# The ring and the cache can publish into a metrics registry: both link the
# metrics module (its relaxed atomics are instrumented too).
metrics_srcs=$(cd "$src/libcore" && ls metrics/*.cpp)
for f in ring/ring.cpp ring/mirror.cpp ring/produce.cpp ring/consume.cpp ring/wait.cpp \
         ring/publish.cpp abi/ring.cpp abi/core.cpp runtime/error.cpp runtime/status.cpp \
         runtime/threads.cpp simd/transform_kernels.cc simd/target.cc $metrics_srcs; do
  o=$(echo "$f" | tr / _ | sed 's/\.[a-z]*$/.o/')
  $cxx -std=c++17 $flags $hwy_cflags -c "$src/libcore/$f" -o "$o"
done
$cc -std=gnu11 $flags -c "$src/tests/stress/stress_ring.c" -o stress_ring.o
$cxx -fsanitize=thread -pthread -o stress_ring_tsan ./*.o $hwy_libs
set +e

# halt_on_error: the first report fails the test (exit 66 by default).
# SAMPLES go through each policy on a plain buffer, where TSan's shadow
# memory sees every sample access; the mirrored and sleeping scenarios get
# a tenth (with the mirror, the two views of one slot have distinct
# addresses, so TSan checks the atomics there but not every sample).
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}"
small=$(awk "BEGIN { printf \"%.0f\", $samples / 10 }")
if [ "${CORE_TSAN_ONLY:-}" != cache ]; then
  ./stress_ring_tsan "$samples" reject overwrite || exit $?
  ./stress_ring_tsan "$small" reject_mirror overwrite_mirror blocking || exit $?
fi

# The cache stress test (stress_cache.c): the cache module (each key
# target with its own -m flags, as libcore/cache/meson.build builds them),
# its abi layer, and libxxhash for the file checksum. SAMPLES / 100
# operations per thread. CORE_TSAN_ONLY=cache skips the ring runs.
xxhash_libs=$(pkg-config --libs libxxhash 2>/dev/null || echo -lxxhash)
set -e
mkdir -p cache && cd cache && rm -f ./*.o stress_cache_tsan
key_defs=""
if $cxx -mavx2 -fsyntax-only -x c++ /dev/null >/dev/null 2>&1; then
  $cxx -std=c++17 $flags -mavx2 -c "$src/libcore/cache/key_avx2.cpp" -o key_avx2.o
  key_defs="$key_defs -DCORE_CACHE_KEY_AVX2"
fi
if $cxx -mavx512f -mavx512bw -fsyntax-only -x c++ /dev/null >/dev/null 2>&1; then
  $cxx -std=c++17 $flags -mavx2 -mavx512f -mavx512bw -Wno-uninitialized \
    -Wno-maybe-uninitialized -c "$src/libcore/cache/key_avx512.cpp" -o key_avx512.o
  key_defs="$key_defs -DCORE_CACHE_KEY_AVX512"
fi
for f in cache/key.cpp cache/key_base.cpp cache/cache.cpp cache/store.cpp cache/compute.cpp \
         cache/persist.cpp cache/publish.cpp abi/cache.cpp abi/core.cpp abi/metrics.cpp \
         runtime/error.cpp runtime/status.cpp runtime/threads.cpp simd/target.cc \
         $metrics_srcs; do
  o=$(echo "$f" | tr / _ | sed 's/\.[a-z]*$/.o/')
  $cxx -std=c++17 $flags $key_defs $hwy_cflags -c "$src/libcore/$f" -o "$o"
done
$cc -std=gnu11 $flags -c "$src/tests/stress/stress_cache.c" -o stress_cache.o
$cxx -fsanitize=thread -pthread -o stress_cache_tsan ./*.o $hwy_libs $xxhash_libs
set +e
./stress_cache_tsan "$(awk "BEGIN { printf \"%.0f\", $samples / 100 }")"
rc=$?
[ "$rc" -eq 0 ] || exit "$rc"

# The pipeline stress test (stress_pipeline.c): producer and consumer
# threads over the pipeline, which composes the ring, the VAD and log-mel
# (audio; serial here: the runtime is built without oneTBB), the cache,
# the metrics, the batcher and the SIMD kernels they call. All of them are
# compiled here with TSan. SAMPLES / 1e6 seconds of audio (at least 10).
kiss_cflags=$(pkg-config --cflags kissfft-float 2>/dev/null)
kiss_libs=$(pkg-config --libs kissfft-float 2>/dev/null || echo -lkissfft-float)
cd "$work" || exit 1
set -e
mkdir -p pipeline && cd pipeline && rm -f ./*.o stress_pipeline_tsan
cp ../cache/key_avx2.o ../cache/key_avx512.o . 2>/dev/null || true
for f in $(cd "$src/libcore" && ls pipeline/*.cpp ring/*.cpp audio/mel_filters.cpp audio/fft.cpp \
             audio/fft_kiss.cpp audio/fft_fftw.cpp audio/logmel.cpp audio/logmel_batch.cpp audio/logmel_stream.cpp \
             audio/vad_*.cpp cache/key.cpp cache/key_base.cpp cache/cache.cpp cache/store.cpp \
             cache/compute.cpp cache/persist.cpp cache/publish.cpp) \
         abi/pipeline.cpp abi/batcher.cpp abi/ring.cpp abi/logmel.cpp abi/vad.cpp abi/cache.cpp \
         abi/metrics.cpp abi/core.cpp runtime/error.cpp runtime/status.cpp runtime/threads.cpp \
         simd/target.cc simd/transform_kernels.cc simd/mel_kernels.cc simd/spectrum_kernels.cc \
         simd/spectrum_plan.cc $metrics_srcs; do
  o=$(echo "$f" | tr / _ | sed 's/\.[a-z]*$/.o/')
  $cxx -std=c++17 $flags $key_defs $hwy_cflags $kiss_cflags -c "$src/libcore/$f" -o "$o"
done
$cc -std=gnu11 $flags -c "$src/tests/stress/stress_pipeline.c" -o stress_pipeline.o
$cxx -fsanitize=thread -pthread -o stress_pipeline_tsan ./*.o $hwy_libs $xxhash_libs $kiss_libs -lm
set +e
secs=$(awk "BEGIN { s = $samples / 1e6; printf \"%.0f\", s < 10 ? 10 : s }")
./stress_pipeline_tsan "$secs"
