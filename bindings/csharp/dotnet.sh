#!/bin/sh
# Runs `dotnet` for meson with everything it writes inside the build
# directory, offline, and without leaving build servers behind.
#
# usage:
#   dotnet.sh build <state-dir> <project.csproj> <out-dir> <stamp|-> [msbuild args...]
#   dotnet.sh test  <state-dir> <tests.dll> <results-dir> <python> <trx_to_tap.py>
#   dotnet.sh run   <state-dir> <app.dll> [args...]
#   dotnet.sh expect-load-failure <state-dir> <app.dll>
#
# <state-dir> holds dotnet's home, the NuGet package folder and every obj/
# and bin/ (via -p:LibCoreBuildDir, see Directory.Build.props).
# Packages are restored from $LIBCORE_NUGET_SOURCE (default
# /opt/nuget/packages, an offline folder) when that folder exists; otherwise
# from the NuGet sources configured for the user.
# `test` prints TAP on stdout (one line per xunit test, from the trx file);
# dotnet's own output goes to stderr. A run that executed no test fails.
set -eu

mode=$1
state=$(mkdir -p "$2" && cd "$2" && pwd)
shift 2

export DOTNET_CLI_HOME="$state/home"
export HOME="$state/home"
export NUGET_PACKAGES="$state/nuget-packages"
export NUGET_HTTP_CACHE_PATH="$state/nuget-http-cache"
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE=1
export DOTNET_CLI_USE_MSBUILD_SERVER=0
export MSBUILDDISABLENODEREUSE=1
export DOTNET_GENERATE_ASPNET_CERTIFICATE=false
mkdir -p "$HOME"

case $mode in
build)
  project=$1 out=$2 stamp=$3
  shift 3
  source=${LIBCORE_NUGET_SOURCE:-/opt/nuget/packages}
  set -- "$@" -p:LibCoreBuildDir="$state"
  if [ -d "$source" ]; then
    set -- "$@" --source "$source"
  fi
  # The build's output is kept in a log and shown only when it fails.
  log="$state/logs/$(basename "$project" .csproj).log"
  mkdir -p "$state/logs"
  if ! dotnet build "$project" -c Release -o "$out" -nodeReuse:false \
      -p:UseSharedCompilation=false "$@" >"$log" 2>&1; then
    cat "$log" >&2
    echo "dotnet.sh: building $project failed (log: $log)" >&2
    exit 1
  fi
  if [ "$stamp" != - ]; then
    touch "$stamp"
  fi
  ;;
test)
  dll=$1 results=$2 python=$3 totap=$4
  rm -rf "$results"
  mkdir -p "$results"
  rc=0
  dotnet test "$dll" --logger "trx;LogFileName=results.trx" \
    --results-directory "$results" 1>&2 || rc=$?
  trx=$(find "$results" -name '*.trx' | head -n 1)
  "$python" "$totap" "$trx" "$rc"
  ;;
run)
  dll=$1
  shift
  exec dotnet "$dll" "$@"
  ;;
expect-load-failure)
  # The example run with $LIBCORE_CSHARP_LIBRARY pointing nowhere must fail
  # with a message that names the path and the variable.
  dll=$1
  rc=0
  out=$(dotnet "$dll" 2>&1) || rc=$?
  printf '%s\n' "$out"
  if [ "$rc" -eq 0 ]; then
    echo "FAIL: the example ran although the native library cannot be found" >&2
    exit 1
  fi
  for want in "$LIBCORE_CSHARP_LIBRARY" LIBCORE_CSHARP_LIBRARY libcore_csharp.so DllNotFoundException; do
    case $out in
    *"$want"*) ;;
    *) echo "FAIL: the load error does not mention '$want'" >&2; exit 1 ;;
    esac
  done
  echo "OK: the load error names what was looked for and where"
  ;;
*)
  echo "dotnet.sh: unknown mode '$mode'" >&2
  exit 2
  ;;
esac
