#!/usr/bin/env bash
# Every RapidCheck generator a property binds is named with .as("..."), so a
# counterexample prints each value under its name (tests/README.md). Read over the
# C++ of tests/ (comments and string contents left out):
#   1. a bound generator, an expression `rc::gen::F(...)` right after `*`, `=` or
#      `return`, ends its chain of calls in `.as(...)`: `*rc::gen::inRange(1, 9).as("depth")`;
#   2. a helper returning rc::Gen<T> ends every return in `.as(...)`, so `*helper()`
#      is named where it is defined;
#   3. RC_GTEST_PROP takes no arguments: RapidCheck prints them as an unnamed tuple;
#      bind each with *rc::gen::arbitrary<T>().as("name") in the body instead.
# Generators passed into another generator (the elements of a container) print inside
# the outer one's value and need no name of their own.
# $1 = initlab binary (unused), $2 = source folder.
set -u
src=${2:?usage: rc_generators_named_test.sh INITLAB SOURCE_DIR}
exec /usr/bin/python3 - "$src/tests" <<'PY'
import os
import re
import sys

root = sys.argv[1]
IDENT = re.compile(r"[A-Za-z_][\w:]*")


def strip(text):
    """The text with comments blanked and string/char literals emptied; newlines kept."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("\n" * text.count("\n", i, j))
            i = j
        elif c == "'" and 0 < i and text[i - 1].isalnum() and text[i + 1:i + 2].isalnum():
            out.append(c)  # a digit separator, 1'000
            i += 1
        elif c == '"' and 0 < i and text[i - 1] == "R":
            open_ = text.index("(", i)
            j = text.index(")" + text[i + 1:open_] + '"', open_)
            out.append('""' + "\n" * text.count("\n", i, j))
            i = j + open_ - i + 1
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(c + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def skip_ws(s, i):
    while i < len(s) and s[i].isspace():
        i += 1
    return i


def balanced(s, i, open_, close):
    """Index just past the bracket that closes the one at s[i]."""
    depth = 0
    for j in range(i, len(s)):
        if s[j] == open_:
            depth += 1
        elif s[j] == close:
            depth -= 1
            if depth == 0:
                return j + 1
    raise ValueError("unbalanced " + open_)


def call(s, i):
    """Parse NAME[<...>](...) at s[i]; return (name, index past it) or (name, None)."""
    m = IDENT.match(s, i)
    if not m:
        return None, None
    name, i = m.group(0), skip_ws(s, m.end())
    if i < len(s) and s[i] == "<":
        i = skip_ws(s, balanced(s, i, "<", ">"))
    if i >= len(s) or s[i] != "(":
        return name, None
    return name, balanced(s, i, "(", ")")


def chain(s, i):
    """The names of the calls NAME(...).f(...).g(...) starting at s[i]."""
    name, i = call(s, i)
    if i is None:
        return [name]
    names = [name]
    while True:
        j = skip_ws(s, i)
        if j >= len(s) or s[j] != ".":
            return names
        member, k = call(s, skip_ws(s, j + 1))
        if k is None:
            return names
        names.append(member)
        i = k


failures, checked = [], 0


def check(path, s, start, what):
    global checked
    checked += 1
    names = chain(s, start)
    if names[-1] != "as":
        line = s.count("\n", 0, start) + 1
        failures.append(f"{path}:{line}: {what} `{names[0]}` is not named: end it in .as(\"...\")")


for folder, _, files in os.walk(root):
    for f in sorted(files):
        if not f.endswith((".cpp", ".hpp")):
            continue
        path = os.path.join(folder, f)
        rel = os.path.relpath(path, os.path.dirname(root))
        with open(path, encoding="utf-8") as fh:
            s = strip(fh.read())
        # 1. bound generators
        for m in re.finditer(r"(\*|=|\breturn)\s*(rc::gen::)", s):
            if m.group(1) == "=" and s[m.start() - 1] in "=!<>":
                continue
            check(rel, s, m.start(2), "generator")
        # 2. helpers returning rc::Gen<T>
        for m in re.finditer(r"rc::Gen\s*<", s):
            close = balanced(s, m.end() - 1, "<", ">")
            head = re.compile(r"\s*([A-Za-z_]\w*)\s*\(").match(s, close)
            if not head:
                continue
            params_end = balanced(s, head.end() - 1, "(", ")")
            body = skip_ws(s, params_end)
            if body >= len(s) or s[body] != "{":
                continue
            end = balanced(s, body, "{", "}")
            for r in re.finditer(r"\breturn\s+", s[body:end]):
                expr = body + r.end()
                inner = s[body:body + r.start()]
                if inner.count("{") - inner.count("}") != 1:
                    continue  # a lambda's return inside the helper
                if not s.startswith("rc::gen::", expr):
                    check(rel, s, expr, f"generator returned by {head.group(1)}()")
        # 3. properties with arguments
        for m in re.finditer(r"\bRC_GTEST_PROP\s*\(", s):
            args = s[m.end() - 1:balanced(s, m.end() - 1, "(", ")")]
            params = re.search(r",\s*\(([^()]*)\)\s*\)$", args)
            checked += 1
            if params is None or params.group(1).strip():
                line = s.count("\n", 0, m.start()) + 1
                failures.append(f"{rel}:{line}: RC_GTEST_PROP takes arguments, printed unnamed: "
                                f"bind each with *rc::gen::...().as(\"name\") in the body")

for line in failures:
    print("FAIL:", line)
if checked < 150:
    print(f"FAIL: only {checked} generators and properties read; the parser missed them")
    sys.exit(1)
if failures:
    print(f"{len(failures)} failure(s) of {checked} generators and properties")
    sys.exit(1)
print(f"ok: {checked} bound generators and properties, every generator named with .as()")
PY
