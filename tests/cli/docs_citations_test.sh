#!/usr/bin/env bash
# Every citation in the repository resolves: a file that cites `docs/theory.md §N`
# names a section that exists (a heading "## N." or "### N.M" of docs/theory.md), one
# that cites it by title (docs/theory.md, "Title") names an existing heading, and a
# path it names exists in the repository. Checked in every tracked text file except
# the generated reports (reports/ other than its hand-written README.md files, which
# are regenerated from the scripts checked here). Conservative: only path-like tokens
# that start with a top-level folder (docs/, lib/, tests/, scripts/, analysis/, bench/,
# examples/, cmake/, reports/*.md), include-style source paths (theory/x.hpp, found
# under lib/ or tests/) and bare theory.md / perf-notes.md are checked; globs and
# paths inside other paths (/usr/share/..., $src/...) and files a line says are
# generated are skipped; of an extensionless name (a binary run from build/) only
# its folder is checked.
# $1 = initlab binary (unused), $2 = source folder.
set -u
src=${2:?usage: docs_citations_test.sh INITLAB SOURCE_DIR}
exec /usr/bin/python3 - "$src" "${BASH_SOURCE[0]}" <<'PY'
import os
import re
import subprocess
import sys

root = os.path.abspath(sys.argv[1])
self_path = os.path.relpath(os.path.abspath(sys.argv[2]), root)


def tracked_files():
    try:
        out = subprocess.run(["git", "-C", root, "ls-files", "-z"], check=True,
                             capture_output=True).stdout.decode()
        files = [f for f in out.split("\0") if f]
        if files:
            return files
    except (OSError, subprocess.CalledProcessError):
        pass
    files = []
    for d, dirs, names in os.walk(root):
        rel = os.path.relpath(d, root)
        dirs[:] = [x for x in dirs if not (rel == "." and (x.startswith("build") or x in ("data", ".git")))]
        files += [os.path.normpath(os.path.join(rel, n)) for n in names]
    return files


def scanned(f):
    if f == self_path or not os.path.isfile(os.path.join(root, f)):
        return False
    if f.startswith("reports/") and os.path.basename(f) != "README.md":
        return False
    return True


theory = os.path.join(root, "docs", "theory.md")
sections = set()
titles = set()
if os.path.exists(theory):
    for line in open(theory, encoding="utf-8"):
        m = re.match(r"#{2,4} (\d+(?:\.\d+)*)\.?\s+(.*?)\s*$", line)
        if m:
            sections.add(m.group(1))
            titles.add(m.group(2).lower())

TOP = r"(?:docs|lib|tests|scripts|analysis|bench|examples|cmake|reports)"
PATH = re.compile(r"(?<![\w./$-])(" + TOP + r"/[\w./*{}<>,+-]*)")
INCLUDE = re.compile(r"(?<![\w./$-])((?:core|random|theory|stats|data|init|nn|study|support|properties)"
                     r"/[\w/-]+\.(?:hpp|cpp|h))\b")
BARE = re.compile(r"(?<![\w/.-])(theory\.md|perf-notes\.md)\b")
CITE = re.compile(r"theory\.md`?\s*((?:§\s*\d+(?:\.\d+)*(?:\s*(?:-|,|and|to)\s*)?)+)")
OLD_STYLE = re.compile(r"theory\.md`?(?:'s)?,?\s+sections?\s+\d")
TITLE = re.compile(r"theory\.md`?,?\s*\(?\s*\"([^\"]+)\"")
COMMENT_BREAK = re.compile(r"\n[ \t]*(?://+|#+|\*)?[ \t]*")


def exists(rel, here):
    return any(os.path.exists(os.path.join(base, rel)) for base in (root, os.path.join(root, here)))


failures = []
checked = 0
for f in tracked_files():
    if not scanned(f):
        continue
    try:
        text = open(os.path.join(root, f), encoding="utf-8").read()
    except (UnicodeDecodeError, OSError):
        continue
    here = os.path.dirname(f)
    joined = COMMENT_BREAK.sub(" ", text)  # a citation may run over comment lines
    for m in TITLE.finditer(joined):
        checked += 1
        if m.group(1).lower() not in titles:
            failures.append('%s: cites docs/theory.md "%s", which has no such heading' % (f, m.group(1)))
    for n, line in enumerate(text.splitlines(), 1):
        where = "%s:%d" % (f, n)
        for m in CITE.finditer(line):
            for sec in re.findall(r"§\s*(\d+(?:\.\d+)*)", m.group(1)):
                checked += 1
                if sec not in sections:
                    failures.append("%s: cites docs/theory.md §%s, which has no such section" % (where, sec))
        if OLD_STYLE.search(line):
            failures.append("%s: cite theory.md as `docs/theory.md §N`: %s" % (where, line.strip()))
        for m in PATH.finditer(line):
            tok = m.group(1).rstrip(".,;:)]'\"`")
            if any(c in tok for c in "*{}<>,") or tok.endswith("/") and not tok.strip("/"):
                continue
            if tok.startswith("reports/") and not tok.endswith(".md"):
                continue
            checked += 1
            if "." not in os.path.basename(tok) and not exists(tok, here):
                tok = os.path.dirname(tok)  # a built binary (build/tests/x_tests): check its folder
            if not exists(tok, here):
                failures.append("%s: names %s, which is not in the repository" % (where, tok))
        for m in INCLUDE.finditer(line):
            tok = m.group(1)
            if "generated" in line:
                continue
            checked += 1
            if not any(os.path.exists(os.path.join(root, base, tok)) for base in ("lib", "tests", here)):
                failures.append("%s: names %s, found neither under lib/ nor tests/" % (where, tok))
        for m in BARE.finditer(line):
            checked += 1
            if not exists(m.group(1), here):
                failures.append("%s: names %s without its folder (docs/%s)" % (where, m.group(1), m.group(1)))

if not sections:
    failures.append("docs/theory.md has no numbered sections")
for x in failures:
    print("FAIL: " + x)
print("%d citations checked, %d failure(s)" % (checked, len(failures)))
sys.exit(1 if failures else 0)
PY
