#!/bin/sh
# Compiles Java sources and packs the classes into a jar (meson's jar()
# cannot build packages: it runs one javac per file).
#   build_jar.sh OUT.jar CLASSES_DIR JAVAC JAR CLASSPATH MANIFEST|- JAVAC_FLAGS SOURCE...
# CLASSPATH may be empty; JAVAC_FLAGS is split on spaces.
set -eu
out=$1 classes=$2 javac=$3 jartool=$4 classpath=$5 manifest=$6 flags=$7
shift 7
rm -rf "$classes"
mkdir -p "$classes"
# shellcheck disable=SC2086
"$javac" $flags -encoding UTF-8 -d "$classes" ${classpath:+-cp "$classpath"} "$@"
if [ "$manifest" = "-" ]; then
  "$jartool" --create --file "$out" -C "$classes" .
else
  "$jartool" --create --file "$out" --manifest "$manifest" -C "$classes" .
fi
