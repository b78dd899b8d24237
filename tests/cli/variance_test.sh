#!/usr/bin/env bash
# `initlab variance`: bad options give one line and exit 2 with no file left
# behind; a small good run writes the documented CSV header, JSON and histograms.
# $1 = initlab binary, $2 = source folder.
source "$(dirname "$0")/lib.sh" "$1"
src=${2:-$(cd "$(dirname "$0")/../.." && pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
small=(--width 8 --depth 3 --batch 4 --seeds 2 --activation tanh --init note_xavier)

expect_error 2 'depth.*0' -- variance --depth 0 --out "$tmp/a"
expect_error 2 'width.*0' -- variance --width 0 --out "$tmp/a"
expect_error 2 'widths \(8, 0, 8\).*width > 0' -- variance --widths 8,0,8 --out "$tmp/a"
expect_error 2 'no_such_init' -- variance "${small[@]}" --init no_such_init --out "$tmp/a"
expect_error 2 'mish' -- variance "${small[@]}" --activation mish --out "$tmp/a"
expect_error 2 '/proc/x' -- variance "${small[@]}" --out /proc/x
expect_error 2 '/proc/x' -- variance "${small[@]}" --csv /proc/x/v.csv
expect_error 2 '--histograms 1-4: range 1-4; expected layers in 1..3$' -- variance "${small[@]}" --histograms 1-4 --out "$tmp/a"
expect_error 2 'batch' -- variance "${small[@]}" --batch 0 --out "$tmp/a"
expect_error 2 'dtype' -- variance "${small[@]}" --dtype half --out "$tmp/a"
expect_error 2 'either --widths' -- variance --widths 8,8 --depth 3 --out "$tmp/a"
# a failed run leaves nothing behind: no folder content, no temporary file
if [[ -n $(find "$tmp" -mindepth 1 -type f) ]]; then
  echo "FAIL: failed runs left files: $(find "$tmp" -type f)"; failures=$((failures+1))
else
  echo "ok: failed runs left no file"
fi
# an unwritable --json stops the run before a CSV is written
"$INITLAB" variance "${small[@]}" --csv "$tmp/b.csv" --json /proc/x/v.json 2>/dev/null
if [[ -e $tmp/b.csv ]]; then echo "FAIL: CSV written although --json cannot be"; failures=$((failures+1)); fi

# a small good run
if ! "$INITLAB" variance "${small[@]}" --out "$tmp/good" --histograms 1-2 --hist-bins 10 >"$tmp/stdout" 2>"$tmp/stderr"; then
  echo "FAIL: good run failed: $(cat "$tmp/stderr")"; failures=$((failures+1))
else
  header=$(grep -v '^#' "$tmp/good/variance.csv" | head -1)
  documented=$(sed -n '/^<!-- csv-header -->$/{n;n;p;}' "$src/reports/variance/README.md")
  if [[ -z $documented || $header != "$documented" ]]; then
    echo "FAIL: CSV header differs from reports/variance/README.md"; echo " got: $header"; failures=$((failures+1))
  else
    echo "ok: CSV header is the documented one"
  fi
  for col in activation init layer q q_theory a2 a2_theory var mean saturated grad2 grad2_theory q_sd q_lo q_hi chi1 log10_q; do
    tr ',' '\n' <<<"$header" | grep -qx "$col" || { echo "FAIL: column $col missing"; failures=$((failures+1)); }
  done
  rows=$(grep -v '^#' "$tmp/good/variance.csv" | tail -n +2 | wc -l)
  [[ $rows -eq 3 ]] || { echo "FAIL: $rows data rows, expected 3"; failures=$((failures+1)); }
  head -1 "$tmp/good/variance.csv" | grep -q '^# initlab.*: initlab variance' ||
    { echo "FAIL: CSV does not say which command made it"; failures=$((failures+1)); }
  grep -q '"command":"initlab variance' "$tmp/good/variance.json" ||
    { echo "FAIL: JSON lacks the command line"; failures=$((failures+1)); }
  hist_rows=$(grep -v '^#' "$tmp/good/histograms.csv" | tail -n +2 | wc -l)
  [[ $hist_rows -eq 20 ]] || { echo "FAIL: $hist_rows histogram rows, expected 2 layers x 10 bins"; failures=$((failures+1)); }
  grep -q 'growth' "$tmp/stdout" || { echo "FAIL: no summary on stdout"; failures=$((failures+1)); }
  grep -qi 'inf\|nan' "$tmp/good/variance.csv" && { echo "FAIL: inf or nan printed"; failures=$((failures+1)); }
  echo "ok: good run wrote CSV ($rows rows), JSON and histograms"
fi
# --csv - prints only the CSV on stdout
out=$("$INITLAB" variance "${small[@]}" --csv - 2>/dev/null | grep -v '^#' | head -1)
[[ $out == activation,init,layer,* ]] || { echo "FAIL: --csv - did not print the CSV: $out"; failures=$((failures+1)); }
# overflow is reported, never printed as inf: a biased linear net forced to float
"$INITLAB" variance --activation linear --init note_standard_normal --width 64 --depth 60 \
  --batch 2 --seeds 1 --bias-std 0.1 --dtype float --csv "$tmp/o.csv" >"$tmp/o.txt" 2>&1
grep -q 'overflow at layer' "$tmp/o.txt" || { echo "FAIL: overflow not reported: $(cat "$tmp/o.txt")"; failures=$((failures+1)); }
grep -qi 'inf\|nan' "$tmp/o.csv" && { echo "FAIL: inf or nan printed for the overflow run"; failures=$((failures+1)); }
grep -q ',overflow,' "$tmp/o.csv" || { echo "FAIL: no overflow status in the CSV"; failures=$((failures+1)); }
finish
