#!/usr/bin/env python3
"""Generates the C calls of the bad-input sweep (tests/badinput/).

The public headers are the list: every CORE_API prototype in
include/core/*.h is parsed (return type, type and name of every parameter)
and gets one sweep function in the generated C file, built from

  - sweep_table.txt: one line per public function, its NULL / size policy
    (what the header documents as optional, outcomes that are not the
    default; the grammar is at the top of that file);
  - fixtures.c: valid values per parameter type, functions named
    fx_<type key>[__<parameter name>] (found here by their names).

For each function the generated code makes
  - the valid call (every argument from its fixture),
  - one call per pointer parameter with that pointer NULL,
  - per size parameter (size_t, uint64_t): 0, and for an array length
    also 0 with its array NULL; SIZE_MAX, and for an array length also
    SIZE_MAX / sizeof(element) + 1 (whose byte size overflows);
and checks each outcome against the table's (or the default) one.

Nothing here fails the build on a policy problem: a function without a
table line, a table line naming no public function, a parameter without a
fixture, a rule naming no parameter, are emitted as sweep entries that
fail with a message saying what to add. The test then fails.

usage: gen_sweep.py <include/core dir> <sweep_table.txt> <fixtures.c> <out.c>
"""
import pathlib
import re
import sys

STATUSES = ["OK", "INVALID_ARGUMENT", "OUT_OF_MEMORY", "BUFFER_TOO_SMALL", "FULL", "EMPTY",
            "NOT_FOUND", "IO", "FORMAT", "UNSUPPORTED", "UNAVAILABLE", "INTERNAL"]
SIZE_TYPES = {"size_t", "uint64_t"}


def status_c(name):
    return "CORE_OK" if name == "OK" else "CORE_E_" + name


def c_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Param:
    def __init__(self, text, index):
        m = re.match(r"^(.*?)(\w+)$", text.strip())
        # Tokens with '*' on its own: "const float * const *" (valid C).
        self.type = " ".join(m.group(1).replace("*", " * ").split())
        self.name = m.group(2)
        self.index = index
        self.var = "a%d" % index

    def key(self, strip_const):
        toks = self.type.replace("*", " * ").split()
        toks = [t for t in toks if t != "struct" and not (strip_const and t == "const")]
        return "_".join("p" if t == "*" else t for t in toks)


def parse_headers(include_dir):
    protos, opaque, fnptr = [], set(), set()
    for h in sorted(pathlib.Path(include_dir).glob("*.h")):
        text = re.sub(r"/\*.*?\*/", "", h.read_text(), flags=re.S)
        text = re.sub(r"//[^\n]*", "", text)
        text = re.sub(r"^\s*#(?:[^\n]*\\\n)*[^\n]*", "", text, flags=re.M)
        for m in re.finditer(r"typedef\s+struct\s+\w+\s+(core_\w+_t)\s*;", text):
            opaque.add(m.group(1))
        for m in re.finditer(r"typedef[^;{}]*\(\s*\*\s*(core_\w+)\s*\)", text):
            fnptr.add(m.group(1))
        for m in re.finditer(r"\bCORE_API\b([^;{]*?)\b(core_\w+)\s*\(([^)]*)\)\s*;", text, re.S):
            ret = " ".join(m.group(1).replace("CORE_NODISCARD", "").split())
            plist = " ".join(m.group(3).split())
            params = [] if plist in ("void", "") else [
                Param(p, i) for i, p in enumerate(plist.split(","))]
            protos.append({"name": m.group(2), "ret": ret, "params": params,
                           "header": h.name})
    return protos, opaque, fnptr


def parse_table(path):
    """{function: (rules, line number, comment)} and a list of syntax errors."""
    table, errors = {}, []
    for lineno, raw in enumerate(pathlib.Path(path).read_text().splitlines(), 1):
        line, _, comment = raw.partition("#")
        toks = line.split()
        if not toks:
            continue
        fn = toks[0]
        if fn in table:
            errors.append("%s:%d: %s has a second line (keep one line per function)"
                          % (path.name, lineno, fn))
            continue
        table[fn] = (toks[1:], lineno, comment.strip())
    return table, errors


def pointer_like(p, fnptr):
    return "*" in p.type or p.type in fnptr


def pointee_opaque(p, opaque):
    base = p.type.replace("const", "").replace("struct", "").replace("*", "").split()
    return p.type.count("*") == 1 and base and base[0] in opaque


class Spec:
    """One function's resolved policy, or the errors that stop it."""

    def __init__(self, proto, rules, fixtures, opaque, fnptr):
        self.p = proto
        self.errors = []
        self.fix = {}        # param name -> list of C expressions (alternatives)
        self.null = {}       # pointer name -> outcome
        self.zero = {}       # size name -> outcome
        self.zero_null = {}  # size name -> outcome with its array NULL
        self.huge = {}       # size name -> outcome
        self.bound = {}      # size name -> pointer Param it counts, or None (scalar)
        self.valid = None
        self.owns = []
        self.run = "plain"
        self.fnptr = fnptr
        self.status = proto["ret"] == "core_status"
        self.void = proto["ret"] == "void"
        params = {q.name: q for q in proto["params"]}
        self.params = params

        # Default binding: a size right after a data pointer counts it.
        prev = None
        for q in proto["params"]:
            if q.type == "size_t" and prev is not None and pointer_like(prev, fnptr) \
                    and not pointee_opaque(prev, opaque) and prev.type not in fnptr:
                self.bound[q.name] = prev
            elif q.type in SIZE_TYPES:
                self.bound[q.name] = None
            prev = q

        for r in rules:
            m = re.match(r"^(\w+)@(-|\w+)$", r)
            if m:
                s, ptr = m.groups()
                if s not in params or params[s].type not in SIZE_TYPES:
                    self.errors.append("rule %r: %s is not a size parameter" % (r, s))
                elif ptr == "-":
                    self.bound[s] = None
                elif ptr not in params or not pointer_like(params[ptr], fnptr):
                    self.errors.append("rule %r: %s is not a pointer parameter" % (r, ptr))
                else:
                    self.bound[s] = params[ptr]
                continue
            m = re.match(r"^(\w+):=(.+)$", r)
            if m:
                n, v = m.groups()
                if n not in params:
                    self.errors.append("rule %r: no parameter %s" % (r, n))
                    continue
                self.fix[n] = [("fx_%s(ctx)" % a[1:]) if a.startswith("@") else "(%s)" % a
                               for a in v.split("|")]
                for a in v.split("|"):
                    if a.startswith("@") and a[1:] not in fixtures:
                        self.errors.append("rule %r: fixtures.c defines no fx_%s(fx_ctx *)"
                                           % (r, a[1:]))
                continue
            m = re.match(r"^(valid|owns|run):(.+)$", r)
            if m:
                k, v = m.groups()
                if k == "valid":
                    self.valid = self.outcome(v, r)
                elif k == "owns":
                    if v not in params:
                        self.errors.append("rule %r: no parameter %s" % (r, v))
                    self.owns.append(v)
                elif v in ("plain", "in_compute"):
                    self.run = v
                else:
                    self.errors.append("rule %r: run is plain or in_compute" % r)
                continue
            m = re.match(r"^(\w+)=(NULL|0|0null|huge):(.+)$", r)
            if m:
                n, what, out = m.groups()
                if n not in params:
                    self.errors.append("rule %r: no parameter %s" % (r, n))
                    continue
                q = params[n]
                if what == "NULL" and not pointer_like(q, fnptr):
                    self.errors.append("rule %r: %s is not a pointer" % (r, n))
                    continue
                if what != "NULL" and q.type not in SIZE_TYPES:
                    self.errors.append("rule %r: %s is not a size (size_t, uint64_t)" % (r, n))
                    continue
                {"NULL": self.null, "0": self.zero, "0null": self.zero_null,
                 "huge": self.huge}[what][n] = self.outcome(out, r)
                continue
            self.errors.append("rule %r is not understood (see the grammar at the top of "
                               "sweep_table.txt)" % r)

        for n in self.zero_null:
            if self.bound.get(n) is None:
                self.errors.append("rule %s=0null: %s is not an array length" % (n, n))
        for s, ptr in self.bound.items():
            if ptr is None and (s not in self.zero or s not in self.huge):
                self.errors.append(
                    "%s is a scalar size: its outcomes are not documented; add %s=0:<outcome> "
                    "and %s=huge:<outcome> to its line (or %s@<array> if it is a length)"
                    % (s, s, s, s))
        # Fixtures for every parameter.
        for q in proto["params"]:
            if q.name in self.fix:
                continue
            cands = ["%s__%s" % (q.key(False), q.name), "%s__%s" % (q.key(True), q.name),
                     q.key(False), q.key(True)]
            found = next((c for c in cands if c in fixtures), None)
            if found is None:
                self.errors.append(
                    "no fixture for parameter '%s %s': define %s fx_%s(fx_ctx *ctx) in "
                    "tests/badinput/fixtures.c (or fx_%s__%s for this name only), or give "
                    "%s:=<value> in sweep_table.txt"
                    % (q.type, q.name, q.type, q.key(True), q.key(True), q.name, q.name))
            else:
                self.fix[q.name] = ["fx_%s(ctx)" % found]

    def outcome(self, text, rule):
        if self.status:
            if text not in STATUSES:
                self.errors.append("rule %r: %s is not a status (one of %s)"
                                   % (rule, text, ", ".join(STATUSES)))
                return "CORE_OK"
            return status_c(text)
        if self.void:
            self.errors.append("rule %r: %s returns nothing" % (rule, self.p["name"]))
        return None if text == "any" else "(%s)" % text


def emit_function(spec, out):
    p = spec.p
    fn = p["name"]
    params = p["params"]
    variants = []  # (description, overrides {var: expr}, expected, the NULL parameter)

    def default_expect():
        if spec.status:
            return spec.valid or "CORE_OK"
        return spec.valid  # None: any value

    variants.append(("valid call", {}, default_expect(), None))
    for q in params:
        if not pointer_like(q, spec.fnptr):
            continue
        if spec.status:
            exp = spec.null.get(q.name, "CORE_E_INVALID_ARGUMENT")
        elif spec.void:
            exp = None
        else:
            exp = spec.null.get(q.name, "0")
        variants.append(("%s = NULL" % q.name, {q.var: "NULL"}, exp, q.name))
    for q in params:
        if q.type not in SIZE_TYPES:
            continue
        ptr = spec.bound.get(q.name)
        dflt_zero = ("CORE_OK" if spec.status else None) if ptr is not None else None
        z = spec.zero.get(q.name, dflt_zero)
        variants.append(("%s = 0" % q.name, {q.var: "0"}, z, None))
        if ptr is not None:
            zn = spec.zero_null.get(q.name, z)
            variants.append(("%s = 0, %s = NULL" % (q.name, ptr.name),
                             {q.var: "0", ptr.var: "NULL"}, zn, None))
        dflt_huge = ("CORE_E_INVALID_ARGUMENT" if spec.status else None) \
            if ptr is not None else None
        h = spec.huge.get(q.name, dflt_huge)
        top = "SIZE_MAX" if q.type == "size_t" else "UINT64_MAX"
        variants.append(("%s = %s" % (q.name, top), {q.var: top}, h, None))
        if ptr is not None:
            pointee = ptr.type.rsplit("*", 1)[0].strip()
            elem = "1" if pointee.replace("const", "").strip() == "void" \
                else "sizeof(*%s)" % ptr.var
            variants.append(("%s = SIZE_MAX / sizeof *%s + 1" % (q.name, ptr.name),
                             {q.var: "fx_overflowing_count(%s)" % elem}, h, None))
            if elem != "1":
                variants.append(("%s = PTRDIFF_MAX / sizeof *%s + 1" % (q.name, ptr.name),
                                 {q.var: "fx_unaddressable_count(%s)" % elem}, h, None))

    # Fixture alternatives multiply every variant.
    alts = [[]]
    for q in params:
        choices = spec.fix[q.name]
        alts = [a + [(q, c)] for a in alts for c in choices]
    bodies = []
    k = 0
    for alt in alts:
        alt_desc = ", ".join("%s:=%s" % (q.name, c) for q, c in alt
                             if len(spec.fix[q.name]) > 1)
        for desc, over, exp, null_check in variants:
            k += 1
            vname = "v_%s_%d" % (fn, k)
            lines = ["static void %s(fx_ctx *ctx) {" % vname]
            for q, c in alt:
                lines.append("  %s %s = (%s)%s;" % (q.type, q.var, q.type, c))
            for var, val in over.items():
                lines.append("  %s = %s;" % (var, val))
            args = ", ".join(q.var for q in params)
            lines.append("  fx_prime(ctx);")
            if spec.void:
                lines.append("  %s(%s);" % (fn, args))
                lines.append("  fx_called(ctx);")
            elif spec.status:
                lines.append("  const core_status r = %s(%s);" % (fn, args))
                lines.append("  fx_check_status(ctx, r, %s, %s);"
                             % (exp, c_str(null_check) if null_check else "NULL"))
            else:
                lines.append("  %s r = %s(%s);" % (p["ret"], fn, args))
                if exp is None:
                    lines.append("  (void)r;")
                    lines.append("  fx_called(ctx);")
                else:
                    lines.append("  fx_check_value(ctx, r == %s, %s);" % (exp, c_str(exp)))
            if desc == "valid call":
                for o in spec.owns:
                    lines.append("  fx_disown(ctx, (const void *)%s);" % spec.params[o].var)
            lines.append("}")
            bodies.append(("\n".join(lines),
                           (desc + (" [" + alt_desc + "]" if alt_desc else "")), vname))
    out.append("/* ---- %s (%s) ---- */" % (fn, p["header"]))
    for body, _, _ in bodies:
        out.append(body)
    out.append("static const fx_variant %s_variants[] = {" % fn)
    for _, desc, vname in bodies:
        out.append("  {%s, %s}," % (c_str(desc), vname))
    out.append("};")
    return len(bodies)


def main():
    include_dir, table_path, fixtures_path, out_path = map(pathlib.Path, sys.argv[1:5])
    protos, opaque, fnptr = parse_headers(include_dir)
    table, table_errors = parse_table(table_path)
    defs = re.findall(r"^([A-Za-z_][\w \t*]*?)\s*\bfx_(\w+)\s*\(\s*fx_ctx\s*\*\s*ctx\s*\)\s*\{",
                      fixtures_path.read_text(), flags=re.M)
    fixtures = {name for _, name in defs}
    out = ["/* Generated by tests/badinput/gen_sweep.py from the public headers,",
           " * sweep_table.txt and fixtures.c. Do not edit. */",
           "#include <stdint.h>",
           "#include \"sweep.h\"", "",
           "/* The fixtures (fixtures.c). */"]
    out += ["%s fx_%s(fx_ctx *ctx);" % (" ".join(ret.replace("*", " * ").split()), name)
            for ret, name in defs]
    out.append("")
    entries = []
    names = {p["name"] for p in protos}
    for p in protos:
        fn = p["name"]
        if fn not in table:
            entries.append((fn, "NULL", 0, "%s (%s) has no line in tests/badinput/sweep_table.txt:"
                            " add one saying which of its pointers may be NULL and what its "
                            "sizes 0 and huge give (see the grammar at the top of the file)"
                            % (fn, p["header"]), p["ret"]))
            continue
        rules, lineno, _ = table[fn]
        spec = Spec(p, rules, fixtures, opaque, fnptr)
        if spec.errors:
            entries.append((fn, "NULL", 0, "sweep_table.txt:%d: %s" % (lineno, "; ".join(
                spec.errors)), p["ret"]))
            continue
        n = emit_function(spec, out)
        entries.append((fn, "%s_variants" % fn, n, None, spec.run))
    for fn, (rules, lineno, _) in sorted(table.items(), key=lambda kv: kv[1][1]):
        if fn not in names:
            entries.append((fn, "NULL", 0, "sweep_table.txt:%d names %s, which no public header "
                            "declares any more: remove the line" % (lineno, fn), ""))
    for e in table_errors:
        entries.append(("sweep_table.txt", "NULL", 0, e, ""))
    out.append("")
    out.append("const fx_function fx_functions[] = {")
    for e in entries:
        if e[3] is None:
            out.append("  {%s, %s, %d, NULL, %d}," % (c_str(e[0]), e[1], e[2],
                                                     1 if e[4] == "in_compute" else 0))
        else:
            out.append("  {%s, NULL, 0, %s, 0}," % (c_str(e[0]), c_str(e[3])))
    out.append("};")
    out.append("const size_t fx_function_count = %d;" % len(entries))
    out.append("")
    out_path.write_text("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
