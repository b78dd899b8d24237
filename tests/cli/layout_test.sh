#!/usr/bin/env bash
# The layout's never-arrows (README, issue 10) over the #include lines of lib/:
#   lib -> analysis, bench, scripts: every quoted include in lib/ names a file of lib/
#     (FOLDER/NAME with FOLDER one of lib's folders);
#   theory -> nn, init, study; stats or data -> nn, study; init -> nn: no quoted
#     include of those folders;
#   core imports std and xtensor only: core's quoted includes are core/, its angle
#     includes are C++ standard headers, <xtensor/...> or the POSIX system headers
#     the file and thread code needs (listed below), nothing of another library.
# $1 = initlab binary (unused), $2 = source folder.
source "$(dirname "$0")/lib.sh"
src=$2
cd "$src/lib" || { echo "FAIL: no lib/ in $src"; exit 1; }
folders="core random theory stats data init nn study"
posix="unistd.h fcntl.h signal.h sys/stat.h sys/file.h sys/types.h errno.h"

# includes FOLDER: "FILE:LINE:TARGET" for every quoted include of lib/FOLDER.
quoted() { grep -HnoE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"]+"' -r "$1" | sed -E 's/#[[:space:]]*include[[:space:]]*"([^"]+)"/\1/; s/:[[:space:]]*/:/2'; }
angled() { grep -HnoE '^[[:space:]]*#[[:space:]]*include[[:space:]]*<[^>]+>' -r "$1" | sed -E 's/#[[:space:]]*include[[:space:]]*<([^>]+)>/\1/; s/:[[:space:]]*/:/2'; }

count=0 bad=0
for f in $folders; do
  [[ -d $f ]] || { echo "FAIL: lib/$f is missing"; failures=$((failures+1)); continue; }
  while IFS=: read -r file line target; do
    [[ -z $file ]] && continue
    count=$((count+1))
    top=${target%%/*}
    if [[ $target != */* || " $folders " != *" $top "* || ! -f $target ]]; then
      echo "FAIL: lib/$file:$line includes \"$target\", not a file of lib/"; bad=$((bad+1))
    fi
    case "$f:$top" in
      theory:nn|theory:init|theory:study|stats:nn|stats:study|data:nn|data:study|init:nn)
        echo "FAIL: lib/$file:$line includes \"$target\" ($f must not import $top)"; bad=$((bad+1)) ;;
    esac
    if [[ $f == core && $top != core ]]; then
      echo "FAIL: lib/$file:$line includes \"$target\" (core imports core only)"; bad=$((bad+1))
    fi
  done < <(quoted "$f")
done
while IFS=: read -r file line target; do
  [[ -z $file ]] && continue
  count=$((count+1))
  if [[ $target == xtensor/* ]] || [[ $target != */* && $target != *.* ]] || [[ " $posix " == *" $target "* ]]; then
    continue
  fi
  echo "FAIL: lib/$file:$line includes <$target> (core imports std and xtensor only)"; bad=$((bad+1))
done < <(angled core)

if [[ $count -lt 300 ]]; then
  echo "FAIL: only $count include lines read; the grep missed them"; failures=$((failures+1))
elif [[ $bad -eq 0 ]]; then
  echo "ok: $count include lines of lib/ follow the layout's arrows"
else
  failures=$((failures+bad))
fi
finish
