#!/bin/sh
# Runs a TAP-producing Java command (the JVM given -Xcheck:jni and
# -XX:+DisplayVMOutputToStderr) and fails if the JVM reported any JNI misuse
# by the wrapper, which -Xcheck:jni only prints as warnings. TAP on stdout
# passes through untouched; the JVM's stderr is replayed after the run.
#   run_tap.sh JAVA ARG...
set -u
log=$(mktemp "${TMPDIR:-/tmp}/libcore-java-tests.XXXXXX") || exit 1
trap 'rm -f "$log"' EXIT
"$@" 2>"$log"
status=$?
cat "$log" >&2
if grep -E -q 'WARNING in native method|WARNING: JNI local refs|Warning: Calling other JNI|FATAL ERROR in native method' "$log"; then
  echo "# -Xcheck:jni reported JNI misuse (see stderr)"
  [ "$status" -eq 0 ] && status=1
fi
exit "$status"
