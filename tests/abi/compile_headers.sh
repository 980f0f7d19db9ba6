#!/bin/sh
# Compiles each public header alone, as C99 and as C++17, with warnings as
# errors: a header must stand on its own and stay clean for both languages.
# Prints TAP. usage: compile_headers.sh <cc> <c++> <include dir>
cc=$1 cxx=$2 inc=$3
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
headers=$(cd "$inc/core" && ls *.h)
count=0
for h in $headers; do count=$((count + 2)); done
echo "1..$count"
i=0 status=0
for h in $headers; do
  printf '#include <core/%s>\n#include <core/%s>\nint main(void) { return 0; }\n' "$h" "$h" > "$tmp/t.c"
  cp "$tmp/t.c" "$tmp/t.cpp"
  i=$((i + 1))
  if $cc -std=c99 -Wall -Wextra -Wpedantic -Werror -I"$inc" -c "$tmp/t.c" -o "$tmp/t.o" 2> "$tmp/err"; then
    echo "ok $i - $h compiles alone as C99"
  else
    echo "not ok $i - $h compiles alone as C99"; sed 's/^/#   /' "$tmp/err"; status=1
  fi
  i=$((i + 1))
  if $cxx -std=c++17 -Wall -Wextra -Wpedantic -Werror -I"$inc" -c "$tmp/t.cpp" -o "$tmp/t.o" 2> "$tmp/err"; then
    echo "ok $i - $h compiles alone as C++17"
  else
    echo "not ok $i - $h compiles alone as C++17"; sed 's/^/#   /' "$tmp/err"; status=1
  fi
done
exit $status
