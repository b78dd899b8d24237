#!/usr/bin/env bash
# Smoke test of scripts/report/: the real tools write a tiny fixture
# (fixtures/make_fixture.sh), the report scripts turn it into Markdown and
# figures, and every finding in the JSON appears in the Markdown with its
# criterion. $1 = initlab binary, $2 = source folder. Exit 77 = skipped (no MNIST).
set -u
initlab=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$src" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

bash tests/report/fixtures/make_fixture.sh "$initlab" "$tmp"
rc=$?
[[ $rc -eq 77 ]] && exit 77
[[ $rc -eq 0 ]] || { echo "FAIL: the fixture could not be made (exit $rc)"; exit 1; }

/usr/bin/python3 scripts/report/variance.py --dir "$tmp/variance" --report "$tmp/variance.md" --command smoke ||
  fail "scripts/report/variance.py exited $?"
/usr/bin/python3 scripts/report/training.py --dir "$tmp/training" --report "$tmp/training.md" --command smoke ||
  fail "scripts/report/training.py exited $?"
/usr/bin/python3 scripts/report/criticality.py --dir "$tmp/criticality" --report "$tmp/criticality.md" \
  --command smoke || fail "scripts/report/criticality.py exited $?"
grep -q "no fixed point: q^l grows without bound" "$tmp/criticality.md" ||
  fail "criticality.md does not say that relu with a bias has no critical point"

# Every finding's id, subject and criterion are in the report made from its JSON.
check() {
  local md=$1; shift
  /usr/bin/python3 - "$md" "$@" <<'PY' || fail "findings missing from $md"
import json, sys
md = open(sys.argv[1]).read()
missing = []
for path in sys.argv[2:]:
    for f in json.load(open(path)).get("findings", []):
        for text in (f"`{f['id']}`", f["subject"], f["criterion"]):
            if text not in md:
                missing.append(f"{path}: {f['id']}: {text[:60]}")
print("\n".join(missing) if missing else f"ok: every finding of {len(sys.argv) - 2} JSON files is in {sys.argv[1]}")
sys.exit(1 if missing else 0)
PY
}
check "$tmp/variance.md" "$tmp"/variance/*/variance.json
check "$tmp/training.md" "$tmp"/training/*.json
check "$tmp/criticality.md" "$tmp"/criticality/phase.json "$tmp"/criticality/spectrum.json
grep -q "diverged\*\* at step" "$tmp/training.md" || fail "the diverging run is not reported as diverged with its step"
grep -qi "nan" "$tmp/training.md" && fail "training.md prints a nan"
for png in variance/q-vs-depth.png variance/grad2-vs-depth.png variance/tanh-histograms.png \
           training/mnist_cost.png training/mnist_hist_init.png training/playground_boundary.png \
           training/course_boundary.png training/deep_linear_cost.png criticality/phase.png \
           criticality/depth-scales.png criticality/spectrum.png; do
  [[ -s "$tmp/$png" ]] || fail "$png was not drawn"
done
[[ $failures -eq 0 ]] || { echo "$failures failure(s)"; exit 1; }
echo "ok: report scripts"
