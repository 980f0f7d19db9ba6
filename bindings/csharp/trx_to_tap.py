#!/usr/bin/env python3
"""Turns the trx file of a `dotnet test` run into TAP for meson.

One TAP line per test result (each xunit [Fact] and each [Theory] row), with
the failure message as diagnostics. Exits non-zero when dotnet failed, when
a test failed, and when no test was executed at all (a run that found no
tests must not pass).

usage: trx_to_tap.py <results.trx|''> <dotnet exit code>
"""
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"


def main() -> int:
    path, dotnet_rc = sys.argv[1], int(sys.argv[2])
    if not path:
        print("1..1")
        print(f"not ok 1 - dotnet test wrote no trx file (exit code {dotnet_rc})")
        return 1
    root = ET.parse(path).getroot()
    results = root.iter(NS + "UnitTestResult")
    lines, failed, executed, n = [], 0, 0, 0
    for r in sorted(results, key=lambda r: r.get("testName", "")):
        name = r.get("testName", "?").replace("#", "\\#")
        outcome = r.get("outcome", "")
        n += 1
        if outcome == "Passed":
            executed += 1
            lines.append(f"ok {n} - {name}")
        elif outcome == "NotExecuted":
            lines.append(f"ok {n} - {name} # SKIP not executed")
        else:
            executed += 1
            failed += 1
            lines.append(f"not ok {n} - {name} ({outcome})")
            for m in r.iter(NS + "Message"):
                for text in (m.text or "").splitlines():
                    lines.append(f"# {text}")
    if executed == 0:
        n += 1
        lines.append(f"not ok {n} - no test was executed")
        failed += 1
    elif dotnet_rc != 0 and failed == 0:
        n += 1
        lines.append(f"not ok {n} - dotnet test exited with {dotnet_rc}")
        failed += 1
    print(f"1..{n}")
    for line in lines:
        print(line)
    counters = root.find(f"{NS}ResultSummary/{NS}Counters")
    if counters is not None:
        print("# trx counters: " + ", ".join(
            f"{k}={counters.get(k)}" for k in ("total", "executed", "passed", "failed")))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
