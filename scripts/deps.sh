#!/bin/sh
# Installs the Debian packages libcore builds and tests with, when missing.
# Sourced by tests/run.sh and examples/demo.sh. Needs root or sudo to
# install; with everything present it installs nothing and needs neither.
# Bindings: SWIG, a JDK with JUnit 5 (and Commons Math for the Java
# benchmark's peer), Go. The .NET SDK is not a Debian package: the C#
# binding builds where `dotnet` is already installed and is skipped (and
# said so in meson's summary) elsewhere. libjack-jackd2-dev and libboost-dev
# are the ring benchmark's peers (JACK ringbuffer, boost spsc_queue);
# python3-scipy and libfftw3-dev the log-mel and FFT benchmarks' peers
# (libcore itself links FFTW only when built with -Dfft=fftw). libpng-dev
# builds the stream demo (examples/stream_demo), which a smoke test runs.
# python3-dask and python3-distributed run examples/python/dask_corpus.py
# (the corpus tool on a Dask cluster) and its test.
# abigail-tools (abidw, abidiff) checks the ABI against tests/abi/libcore.abi.
LIBCORE_PACKAGES="meson ninja-build pkg-config g++ libtbb-dev libhwy-dev libxxhash-dev \
libkissfft-dev libsndfile1-dev libsoxr-dev libcriterion-dev libcmocka-dev \
libbenchmark-dev libjack-jackd2-dev libboost-dev python3 python3-numpy python3-scipy python3-pytest \
python3-dask python3-distributed \
libfftw3-dev libpng-dev \
swig default-jdk-headless junit5 libcommons-math3-java golang-go prometheus \
clang libclang-rt-14-dev abigail-tools"

libcore_install_deps() {
  missing=""
  for p in $LIBCORE_PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
      || missing="$missing $p"
  done
  [ -z "$missing" ] && return 0
  echo "libcore: installing missing packages:$missing"
  if [ "$(id -u)" -eq 0 ]; then
    sudo=""
  elif command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
  else
    echo "libcore: need root or sudo to install:$missing" >&2
    return 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get -o DPkg::Lock::Timeout=900 update -q >/dev/null &&
    $sudo apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends $missing
}
