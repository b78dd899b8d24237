#!/usr/bin/env bash
# `initlab sweep`: bad sweep files give one line and exit 2; a sweep's files are the
# same for 1 and 2 threads; a sweep killed part-way and resumed ends byte-identical
# to an uninterrupted run, and the killed run leaves no file at the final paths.
source "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

printf '{"study": "phase", "sw2": [1, -2]}' >"$tmp/neg.json"
printf '{"study": "phase", "sw2": 1, "widht": 8}' >"$tmp/typo.json"
printf '{"study": "phase", "sw2": ' >"$tmp/cut.json"
printf '{"study": "variance"}' >"$tmp/noinit.json"
printf '{"study": "training"}' >"$tmp/study.json"
expect_error 2 "neg.json: field 'sw2' item 1: -2 is out of range" -- sweep "$tmp/neg.json" --out "$tmp/o"
expect_error 2 "typo.json: field 'widht' is not a parameter of the phase study" -- sweep "$tmp/typo.json" --out "$tmp/o"
expect_error 2 'cut.json: not valid JSON' -- sweep "$tmp/cut.json" --out "$tmp/o"
expect_error 2 "noinit.json: field 'init': is missing" -- sweep "$tmp/noinit.json" --out "$tmp/o"
expect_error 2 "study.json: field 'study'" -- sweep "$tmp/study.json" --out "$tmp/o"
expect_error 2 'missing.json: missing; expected a sweep file' -- sweep "$tmp/missing.json" --out "$tmp/o"
expect_error 2 'threads' -- sweep "$tmp/neg.json" --out "$tmp/o" --threads -1
check "bad files leave no output folder" test ! -e "$tmp/o"

# Two bad configurations among good ones: recorded with their error, the rest go on.
cat >"$tmp/v.json" <<'JSON'
{"study": "variance", "activation": ["tanh", "mish"], "init": ["he_normal", "bogus"],
 "width": 16, "depth": 4, "batch": 8, "seeds": 2}
JSON
"$INITLAB" sweep "$tmp/v.json" --out "$tmp/v" >"$tmp/v.txt"
check "a sweep with failed configurations exits 0" test $? -eq 0
check "summary counts them" grep -q 'ok 1, diverged 0, failed 3' "$tmp/v.txt"
check "one row per layer of the good one" test "$(grep -c '^0,ok,tanh,he_normal' "$tmp/v/sweep.csv")" -eq 4
check "failed rows keep their error" grep -q "^1,failed,tanh,bogus,.*unknown initializer 'bogus'" "$tmp/v/sweep.csv"
check "the CSV says what made it" bash -c "head -1 '$tmp/v/sweep.csv' | grep -qE '^# initlab [0-9.]+ \(.*\): initlab sweep .*/v.json, sweep [0-9a-f]{16}$'"
check "the JSON has every configuration and its provenance" /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["configurations"]) == 4 and d["failed"] == 3, d["failed"]
assert d["provenance"]["tool"] == "initlab" and d["provenance"]["command"].startswith("initlab sweep ")
' "$tmp/v/sweep.json"

# Every example runs, and the spectrum one with one row per configuration.
for ex in "$2"/examples/sweeps/*.json; do
  name=$(basename "$ex" .json)
  "$INITLAB" sweep "$ex" --out "$tmp/ex-$name" >/dev/null
  check "examples/sweeps/$name.json runs, all ok" bash -c "grep -q '\"diverged\": 0' '$tmp/ex-$name/sweep.json' && grep -q '\"failed\": 0' '$tmp/ex-$name/sweep.json'"
done
check "spectrum-small: 12 rows" test "$(tail -n +3 "$tmp/ex-spectrum-small/sweep.csv" | wc -l)" -eq 12
# The summary and figures drawn from a sweep's JSON (scripts/report/sweep.py).
/usr/bin/python3 "$2/scripts/report/sweep.py" "$tmp/ex-phase-small" >/dev/null
check "report/sweep.py: the summary counts the configurations" grep -q '^72 configurations: 72 ok, 0 diverged, 0 failed' "$tmp/ex-phase-small/summary.md"
check "timing.json: a scale estimate for 10000 configurations on 64 ranks" /usr/bin/python3 -c "
import json, sys
t = json.load(open(sys.argv[1]))
e = t['estimate']
assert t['measured']['configurations_run'] == 72 and e['configurations'] == 10000 and e['ranks'] == 64, t
assert e['total_seconds'] >= e['compute_seconds'] > 0 and isinstance(e['coordinator_bound'], bool), e
" "$tmp/ex-phase-small/timing.json"
check "report/sweep.py: the summary has the scale section" grep -q '^Estimate for 10000 such configurations on 64 ranks' "$tmp/ex-phase-small/summary.md"
check "report/sweep.py: one phase figure per activation and depth" test "$(ls "$tmp"/ex-phase-small/sweep-phase-*.png | wc -l)" -eq 4
/usr/bin/python3 "$2/scripts/report/sweep.py" "$tmp/v" >/dev/null
check "report/sweep.py: failed configurations listed with their error" grep -q "^| 1 | .*unknown initializer 'bogus'" "$tmp/v/summary.md"

# Width 64 under a sanitizer (16 times less work a layer, as slow there as 256 here).
width=$(sanitized && echo 64 || echo 256)
cat >"$tmp/p.json" <<JSON
{"study": "phase", "sw2": [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4], "sb2": [0, 0.05, 0.1],
 "width": $width, "depth": 120, "seeds": 2, "pairs": 4}
JSON
"$INITLAB" sweep "$tmp/p.json" --out "$tmp/one" --threads 1 >/dev/null
"$INITLAB" sweep "$tmp/p.json" --out "$tmp/two" --threads 2 >/dev/null
check "24 rows" test "$(tail -n +3 "$tmp/one/sweep.csv" | wc -l)" -eq 24
check "CSV identical for 1 and 2 threads" cmp "$tmp/one/sweep.csv" "$tmp/two/sweep.csv"
check "JSON identical for 1 and 2 threads" cmp "$tmp/one/sweep.json" "$tmp/two/sweep.json"
expect_error 2 'holds the journal of an earlier sweep' -- sweep "$tmp/p.json" --out "$tmp/one"

# Kill a run once a few configurations are in its journal, then resume it.
"$INITLAB" sweep "$tmp/p.json" --out "$tmp/killed" --threads 1 >/dev/null 2>&1 &
pid=$!
for _ in $(seq 3000); do
  [[ $(wc -l 2>/dev/null <"$tmp/killed/journal.jsonl" || echo 0) -ge 4 ]] && break
  sleep 0.02
done
kill -TERM "$pid"; wait "$pid"; rc=$?
check "the killed run was stopped by the signal" test "$rc" -eq 143
check "the killed run left no sweep.csv" test ! -e "$tmp/killed/sweep.csv"
check "the killed run left no sweep.json" test ! -e "$tmp/killed/sweep.json"
done_before=$(($(wc -l <"$tmp/killed/journal.jsonl") - 1))
check "the kill came part-way ($done_before of 24 done)" test "$done_before" -ge 3 -a "$done_before" -lt 24
"$INITLAB" sweep "$tmp/p.json" --out "$tmp/killed" --resume >"$tmp/resume.txt"
check "resume takes the finished ones from the journal" grep -q "$done_before from the journal" "$tmp/resume.txt"
check "a resumed run times only what it ran" /usr/bin/python3 -c "
import json, sys
assert json.load(open(sys.argv[1]))['measured']['configurations_run'] == 24 - int(sys.argv[2])
" "$tmp/killed/timing.json" "$done_before"
check "resumed CSV identical to an uninterrupted run" cmp "$tmp/one/sweep.csv" "$tmp/killed/sweep.csv"
check "resumed JSON identical to an uninterrupted run" cmp "$tmp/one/sweep.json" "$tmp/killed/sweep.json"
check "--help" bash -c '"$1" sweep --help | grep -q -- "--resume"' _ "$INITLAB"
finish
