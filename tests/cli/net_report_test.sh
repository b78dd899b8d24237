#!/usr/bin/env bash
# scripts/report/net.py: the report of one described network from the
# net_variance.json of `initlab variance --net FILE --out DIR`: its figure is drawn
# and every finding appears with its id, verdict and criterion.
# $1 = initlab binary, $2 = source folder.
source "$(dirname "$0")/lib.sh"
SRC=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$INITLAB" variance --arch 32-64x3:tanh:lecun_normal-8:linear:xavier_normal --batch 16 --seeds 2 \
  --out "$tmp/net" >/dev/null
check "net.py writes the report" /usr/bin/python3 "$SRC/scripts/report/net.py" --dir "$tmp/net" --command smoke
check "the figure is drawn" test -s "$tmp/net/arch-signal.png"
check "the table has 4 layers" test "$(grep -c '^| [0-9]' "$tmp/net/report.md")" -eq 4
check "every finding is in the report with its criterion" /usr/bin/python3 - "$tmp/net/report.md" \
  "$tmp/net/net_variance.json" <<'PY'
import json, sys
md = open(sys.argv[1]).read()
findings = json.load(open(sys.argv[2]))["findings"]
sys.exit(0 if findings and all(f"`{f['id']}`" in md and f["criterion"] in md for f in findings) else 1)
PY
finish
