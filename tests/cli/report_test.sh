#!/usr/bin/env bash
# `initlab report --net FILE --out DIR`: the study, its data (CSV, JSON with the
# findings and histograms) and, through scripts/report/net.py, report.md and the
# figures; the figures rule (--figures auto|yes|no) and bad input. matplotlib is
# required (scripts/deps.sh installs python3-matplotlib).
# $1 = initlab binary, $2 = source folder.
source "$(dirname "$0")/lib.sh"
SRC=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
net=$SRC/examples/nets/residual-tanh-50-scaled.json
small=(--seeds 2 --batch 32 --seed 1)

check "python3 has matplotlib (scripts/deps.sh)" /usr/bin/python3 -c "import matplotlib"
check "report --net writes its report" "$INITLAB" report --net "$net" --out "$tmp/r" "${small[@]}" --figures yes \
  --script "$SRC/scripts/report/net.py" >"$tmp/stdout"
for f in report.md net_variance.csv net_variance.json residual-tanh-50-scaled-signal.png \
  residual-tanh-50-scaled-histograms.png; do
  check "report --net wrote $f" test -s "$tmp/r/$f"
done
check "no staging folder is left" test ! -e "$tmp/r/.report.partial"
check "the summary names the report" grep -q "report: wrote $tmp/r/report.md" "$tmp/stdout"
check "the report has the findings, their numbers, and the histograms of blocks 1, 25, 50" /usr/bin/python3 - \
  "$tmp/r/report.md" "$tmp/r/net_variance.json" <<'PY'
import json, sys
md = open(sys.argv[1]).read()
j = json.load(open(sys.argv[2]))
f = {x["id"]: x for x in j["findings"]}
branch = f["net_residual_branch_minor"]
ok = all(f"`{i}`" in md and x["criterion"] in md for i, x in f.items())
ok = ok and branch["holds"] and 0 < branch["numbers"]["branch_share"] < 0.5
ok = ok and f"branch_share = {branch['numbers']['branch_share']:.4g}" in md
ok = ok and [h["block"] for h in j["histograms"]] == [1, 25, 50] and "## Histograms" in md
ok = ok and all(sum(h["counts"]) + h["below"] + h["above"] + h["nonfinite"] == 2 * 32 * 256 for h in j["histograms"])
sys.exit(0 if ok else 1)
PY
check "the data is variance --net's, value for value" bash -c "
  '$INITLAB' variance --net '$net' ${small[*]} --histograms 1,25,50 --out '$tmp/v' >/dev/null &&
  diff <(tail -n +2 '$tmp/v/net_variance.csv') <(tail -n +2 '$tmp/r/net_variance.csv')"

# The figures rule: auto without matplotlib writes the data and says so (exit 0); yes exits 3; no draws nothing.
check "--figures auto without python3: the data, exit 0" env INITLAB_PYTHON="$tmp/no-python" \
  "$INITLAB" report --net "$net" --out "$tmp/a" "${small[@]}" >/dev/null 2>"$tmp/err"
check "it says why" grep -q "figures not drawn: $tmp/no-python not found; the data is in $tmp/a" "$tmp/err"
check "the data is there, no report.md" bash -c "test -s '$tmp/a/net_variance.json' && test ! -e '$tmp/a/report.md'"
export INITLAB_PYTHON="$tmp/no-python"  # expect_error runs the tool itself
expect_error 3 "^initlab: error: figures not drawn: $tmp/no-python not found" -- \
  report --net "$net" --out "$tmp/y" "${small[@]}" --figures yes
unset INITLAB_PYTHON
check "--figures no: data only" bash -c "'$INITLAB' report --net '$net' --out '$tmp/n' ${small[*]} --figures no \
  >/dev/null && test -s '$tmp/n/net_variance.csv' && test ! -e '$tmp/n/report.md'"
check "--figures yes with a missing script fails after the data" bash -c "! '$INITLAB' report --net '$net' \
  --out '$tmp/s' ${small[*]} --figures yes --script '$tmp/none.py' >/dev/null 2>&1 && test -s '$tmp/s/net_variance.json'"

# Bad input: one line, exit 2, nothing written.
expect_error 2 '^initlab: error: --net: missing; expected --net FILE or --arch STRING$' -- report --out "$tmp/b"
expect_error 2 '--out is required' -- report --net "$net"
expect_error 2 '^initlab: error: --histograms 0: layer 0; expected layers in 1..50$' -- \
  report --net "$net" --out "$tmp/b" --histograms 0
expect_error 2 '^initlab: error: --hist-range 1: expected LO,HI$' -- \
  report --net "$net" --out "$tmp/b" --hist-range 1
expect_error 2 'nets/none.json: missing; expected a network file' -- \
  report --net "$SRC/examples/nets/none.json" --out "$tmp/b"
expect_error 2 '^initlab: error: --figures: sometimes not in \{auto,yes,no\}' -- \
  report --net "$net" --out "$tmp/b" --figures sometimes
check "bad input wrote nothing" test ! -e "$tmp/b"
finish
