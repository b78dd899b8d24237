#!/usr/bin/env bash
# The one writer (core/output_file.hpp, analysis/output.hpp), issue 17 items 2-5
# and 8: FIFOs, devices and symlink targets are written into, never replaced;
# failed writes (/dev/full, a file-size limit) fail naming the path; a signal
# leaves no temporary file; two runs cannot share an --out folder; outputs are
# checked before the work; non-UTF-8 command lines still give valid JSON; CSV
# cells with commas read back with Python's csv module. $1 = initlab binary.
source "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
no_temps() { ! find "$tmp" -name '*.tmp.*' | grep -q .; }
small=(variance --activation tanh --init he_normal --width 8 --depth 3 --batch 4 --seeds 1)

# FIFO: written into (a reader gets the CSV), still a FIFO afterwards.
mkfifo "$tmp/fifo"
timeout 10 cat "$tmp/fifo" > "$tmp/from_fifo" &
reader=$!
"$INITLAB" theory --depth 3 --csv "$tmp/fifo" > /dev/null
wait $reader
check "FIFO stays a FIFO" test -p "$tmp/fifo"
check "FIFO reader got the 3 layers" test "$(grep -c '^[0-9]' "$tmp/from_fifo")" -eq 3

# Symlink: the file it points to is replaced, the link stays.
mkdir "$tmp/real" && echo old > "$tmp/real/q.csv" && ln -s real/q.csv "$tmp/link.csv"
"$INITLAB" theory --depth 3 --csv "$tmp/link.csv" > /dev/null
check "symlink stays a link" test -L "$tmp/link.csv"
check "symlink target holds the CSV" grep -q '^layer,' "$tmp/real/q.csv"

# A character device (/dev/null's numbers, in our folder where mknod is allowed).
if mknod "$tmp/null" c 1 3 2>/dev/null; then
  "$INITLAB" theory --depth 3 --csv "$tmp/null" --json "$tmp/null" > /dev/null
  check "a device node stays a device" test -c "$tmp/null"
else
  check "/dev/null stays a device" bash -c '"$1" theory --depth 3 --csv /dev/null > /dev/null && test -c /dev/null' _ "$INITLAB"
fi

# Failed writes: /dev/full and a file-size limit.
err=$("$INITLAB" theory --depth 5 --csv - 2>&1 >/dev/full; echo "rc=$?")
check "--csv - > /dev/full: one line naming stdout and ENOSPC, exit 2" \
  test "$err" = $'initlab: error: stdout: cannot write (No space left on device)\nrc=2'
table_rc=0; "$INITLAB" theory --depth 5 > /dev/full 2>/dev/null || table_rc=$?
check "a table to /dev/full exits 2" test $table_rc -eq 2
err=$(ulimit -f 1; "$INITLAB" theory --depth 2000 --csv "$tmp/big.csv" 2>&1 >/dev/null; echo "rc=$?")
check "ulimit -f: error names the file and EFBIG" grep -q "big.csv: cannot write (File too large)" <<<"$err"
check "ulimit -f: exit 2" grep -q "rc=2" <<<"$err"
check "ulimit -f: no partial file" test ! -e "$tmp/big.csv"
check "ulimit -f: no temporary file" no_temps

# SIGTERM while the JSON waits for a reader: the staged CSV is removed, nothing renamed.
mkfifo "$tmp/stall"
"$INITLAB" "${small[@]}" --csv "$tmp/sig.csv" --json "$tmp/stall" > /dev/null 2>&1 &
pid=$!
for _ in $(seq 50); do find "$tmp" -name 'sig.csv.tmp.*' | grep -q . && break; sleep 0.1; done
check "the CSV is staged while the JSON blocks" bash -c 'find "$1" -name "sig.csv.tmp.*" | grep -q .' _ "$tmp"
kill -TERM $pid; wait $pid; rc=$?
check "SIGTERM ends the run as SIGTERM (rc 143)" test $rc -eq 143
check "SIGTERM leaves no temporary file" no_temps
check "SIGTERM leaves no half result set" test ! -e "$tmp/sig.csv"

# Two runs into one --out: the second says the folder is in use.
"$INITLAB" "${small[@]}" --out "$tmp/o" --json "$tmp/stall" > /dev/null 2>&1 &
pid=$!
for _ in $(seq 50); do [[ -e "$tmp/o/.initlab.lock" ]] && find "$tmp/o" -name '*.tmp.*' | grep -q . && break; sleep 0.1; done
expect_error 2 "--out .*/o: folder in use" -- "${small[@]}" --out "$tmp/o"
kill -TERM $pid; wait $pid
check "the lock is released when a run ends" bash -c '"$@" > /dev/null' _ "$INITLAB" "${small[@]}" --out "$tmp/o"

# Outputs are checked before the work starts.
start=$(date +%s%N)
expect_error 2 '^initlab: error: --json /nonexistent/x.json: cannot write there' -- \
  train --preset note-mnist --json /nonexistent/x.json
check "train --json /nonexistent fails at once (< 2 s)" test $(( ($(date +%s%N) - start) / 1000000 )) -lt 2000
expect_error 2 '--csv .*: is a folder' -- theory --depth 3 --csv "$tmp"
expect_error 2 '--out .*: cannot create the folder' -- "${small[@]}" --out /proc/initlab-no
expect_error 2 '--json .*: cannot write there' -- "${small[@]}" --json "$tmp/no/x.json"

# A Latin-1 folder name on the command line: the JSON is valid UTF-8.
latin=$(printf '%s/caf\xe9' "$tmp")
mkdir "$latin"
"$INITLAB" theory --depth 3 --json "$latin/q.json" > /dev/null
check "JSON with a non-UTF-8 argv parses" /usr/bin/python3 -c '
import json, sys
j = json.load(open(sys.argv[1], encoding="utf-8"))
assert "caf\\xE9" in j["provenance"]["command"], j["provenance"]
' "$latin/q.json"
"$INITLAB" "${small[@]}" --json "$latin/v.json" --init "$(printf 'he_normal\xff')" >/dev/null 2>&1
expect_error 2 'unknown initializer .he_normal\\xFF' -- "${small[@]}" --init "$(printf 'he_normal\xff')"
expect_error 2 'unknown activation .a\\x0Ab' -- theory --activation "$(printf 'a\nb')"

# RFC 4180: specs with commas stay in their column.
"$INITLAB" variance --activation tanh --init 'truncated_normal:0.5,-2,2' \
  --init 'variance_scaling:scale=2,mode=fan_in' --width 8 --depth 2 --batch 4 --seeds 1 \
  --histograms 1 --hist-bins 4 --out "$tmp/q" > /dev/null
"$INITLAB" train --preset playground --dataset rings --epochs 2 --init 'truncated_normal:0.5,-2,2' \
  --out "$tmp/t" > /dev/null
check "quoted CSV reads back with Python's csv" /usr/bin/python3 -c '
import csv, sys
for path, want in ((sys.argv[1], 4), (sys.argv[2], 8), (sys.argv[3], 2)):
    rows = [r for r in csv.reader(open(path)) if r and not r[0].startswith("#")]
    head, body = rows[0], rows[1:]
    assert len(body) == want, (path, len(body))
    init = head.index("init")
    for r in body:
        assert len(r) == len(head), (path, r)
        assert r[init] in ("truncated_normal:0.5,-2,2", "variance_scaling:scale=2,mode=fan_in"), r
' "$tmp/q/variance.csv" "$tmp/q/histograms.csv" "$tmp/t/playground-rings-curves.csv"
check "every CSV and JSON starts with the provenance" /usr/bin/python3 -c '
import json, sys
for p in sys.argv[1:]:
    if p.endswith(".json"):
        assert json.load(open(p))["provenance"]["tool"] == "initlab", p
    else:
        assert open(p).readline().startswith("# initlab"), p
' "$tmp/q/variance.csv" "$tmp/q/variance.json" "$tmp/q/histograms.csv" \
  "$tmp/t/playground-rings.json" "$tmp/t/playground-rings-curves.csv"
check "no temporary files anywhere" no_temps
finish
