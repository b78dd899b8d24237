#!/usr/bin/env bash
# `initlab --version` prints the project version and the git commit it was built
# from; `initlab foo` names foo as no subcommand and lists them, exit 2.
# $1 = initlab binary, $2 = source folder.
source "$(dirname "$0")/lib.sh"
SRC=$2

out=$("$INITLAB" --version); rc=$?
version=$(sed -n 's/^project(initlab VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
if [[ $rc -eq 0 && $out =~ ^initlab\ ${version//./\\.}\ \(commit\ ([0-9a-f]{7,40}(-dirty)?|unknown)\)$ ]]; then
  echo "ok: initlab --version -> $out"
else
  echo "FAIL: initlab --version exited $rc and printed '$out', expected 'initlab $version (commit ...)'"
  failures=$((failures+1))
fi
# Inside a git checkout the commit is the checkout's (a prefix of HEAD).
if head=$(git -C "$SRC" rev-parse HEAD 2>/dev/null); then
  commit=$(sed -n 's/.*(commit \([0-9a-f]*\).*/\1/p' <<<"$out")
  if [[ -n $commit && $head == "$commit"* ]]; then echo "ok: commit $commit is HEAD"
  else
    echo "FAIL: commit '$commit' is not HEAD $head (rebuild after a commit?)"; failures=$((failures+1))
  fi
fi

expect_error 2 "^initlab: error: 'foo' is not a subcommand; expected one of .*\binit\b.*\bvariance\b" -- foo
expect_error 2 "^initlab: error: 'variances' is not a subcommand; expected one of " -- variances --depth 3
finish
