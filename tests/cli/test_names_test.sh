#!/usr/bin/env bash
# Every ctest name is unique: a unit test and a property test of the same name would
# share one ctest entry and mix their labels (ctest -L unit / -L property).
# $1 = initlab binary (in <build>/bin), $2 = source folder.
source "$(dirname "$0")/lib.sh"
build=$(cd "$(dirname "$INITLAB")/.." && pwd)
names=$(ctest --test-dir "$build" -N | sed -n 's/^ *Test *#[0-9]*: *//p')
count=$(wc -l <<<"$names")
if [[ $count -lt 100 ]]; then
  echo "FAIL: ctest -N lists only $count tests"; failures=$((failures+1))
fi
dups=$(sort <<<"$names" | uniq -d)
if [[ -n $dups ]]; then
  echo "FAIL: test names registered twice:"; echo "$dups"; failures=$((failures+1))
else
  echo "ok: $count unique test names"
fi
finish
