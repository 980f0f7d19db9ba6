#!/usr/bin/env python3
"""Prints the closing line of tests/run.sh from meson's testlog.json.

Every TAP subtest (each Criterion case, each ABI check) counts once; a test
that does not speak TAP counts once by its own result. A TAP test that
crashed before printing its plan counts as one failure, so a crash can never
vanish from the total.

usage: test_summary.py <builddir>/meson-logs/testlog.json
"""
import json
import re
import sys

passed = failed = skipped = 0
with open(sys.argv[1]) as log:
    for line in log:
        if not line.strip():
            continue
        t = json.loads(line)
        result = t.get("result", "")
        sub_ok = sub_fail = sub_skip = 0
        if t.get("protocol") == "tap" or re.search(r"^1\.\.\d+", t.get("stdout") or "", re.M):
            for l in (t.get("stdout") or "").splitlines():
                if re.match(r"not ok\b", l):
                    if re.search(r"#\s*TODO", l, re.I):
                        continue
                    sub_fail += 1
                elif re.match(r"ok\b", l):
                    if re.search(r"#\s*SKIP", l, re.I):
                        sub_skip += 1
                    else:
                        sub_ok += 1
        if sub_ok + sub_fail + sub_skip == 0:
            if result in ("OK", "EXPECTEDFAIL"):
                sub_ok = 1
            elif result == "SKIP":
                sub_skip = 1
            else:
                sub_fail = 1
        elif result not in ("OK", "EXPECTEDFAIL", "SKIP") and sub_fail == 0:
            sub_fail = 1  # the runner failed (crash, timeout) though no subtest said so
        passed += sub_ok
        failed += sub_fail
        skipped += sub_skip

line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed or passed == 0 else 0)
