#!/usr/bin/env python3
"""ABI symbol check for libcore.so (TAP output).

1. Every dynamic symbol the library defines is a core_ function (nothing from
   the C++ runtime, Highway or oneTBB leaks out).
2. The exported set equals the set of CORE_API functions declared in the
   public headers: nothing declared is missing, nothing undeclared is exported.
3. Every export carries the version node of libcore.map.

usage: check_symbols.py <libcore.so> <include/core dir>
"""
import pathlib
import re
import subprocess
import sys

lib, include_dir = sys.argv[1], pathlib.Path(sys.argv[2])

out = subprocess.run(["nm", "-D", "--defined-only", "--with-symbol-versions", lib],
                     check=True, capture_output=True, text=True).stdout
exported = {}
for line in out.splitlines():
    parts = line.split()
    if len(parts) < 3:
        continue
    kind, name = parts[1], parts[2]
    base, _, version = name.partition("@")
    exported[base.strip()] = (kind, version.lstrip("@"))

# Linker-defined markers that every shared object carries.
ignored = {"_init", "_fini", "CORE_0.1"}
leaks = sorted(n for n in exported if not n.startswith("core_") and n not in ignored)

declared = set()
for header in sorted(include_dir.glob("*.h")):
    text = re.sub(r"/\*.*?\*/", "", header.read_text(), flags=re.S)
    for m in re.finditer(r"\bCORE_API\b[^;{]*?\b(core_\w+)\s*\(", text):
        declared.add(m.group(1))

functions = {n for n in exported if n.startswith("core_")}
unversioned = sorted(n for n in functions if not exported[n][1].startswith("CORE_"))

checks = [
    ("only core_ symbols are exported", leaks),
    ("every declared CORE_API function is exported", sorted(declared - functions)),
    ("every exported function is declared in a header", sorted(functions - declared)),
    ("every export has a CORE_ version node", unversioned),
]
print(f"1..{len(checks)}")
failed = 0
for i, (what, bad) in enumerate(checks, 1):
    if bad:
        failed += 1
        print(f"not ok {i} - {what}")
        for name in bad[:50]:
            print(f"#   {name}")
    else:
        print(f"ok {i} - {what}")
print(f"# {len(functions)} exported functions, {len(declared)} declared")
if not declared:
    print("not ok - no declarations found: the header parser is broken")
    sys.exit(1)
sys.exit(1 if failed else 0)
