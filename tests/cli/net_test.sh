#!/usr/bin/env bash
# `--net FILE` and `--arch STRING` (docs/net-files.md) on `initlab theory`,
# `initlab variance` and `initlab train`: every example network parses, a file and its compact string
# give the same numbers, a one-activation net gives the grid study's numbers, and
# bad networks give one line naming the file and the place, exit 2.
# $1 = initlab binary, $2 = source folder.
source "$(dirname "$0")/lib.sh"
SRC=$2
NETS=$SRC/examples/nets
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
quiet() { "$@" >/dev/null; }

printf '{"input": 4,\n  "layers": [tru]}\n' >"$tmp/syntax.json"
printf '{"input": 4, "layers": [{"width": 4, "activation": "tanh", "init": "zeros", "widht": 3}]}' >"$tmp/key.json"
printf '{"input": 4, "layers": [{"width": 8, "activation": "tanh", "init": "zeros"},
  {"residual": {"branch": [{"width": 7, "activation": "tanh", "init": "zeros"}]}}]}' >"$tmp/width.json"
expect_error 2 "syntax.json:2:17: not valid JSON" -- theory --net "$tmp/syntax.json"
expect_error 2 'key.json: layers\[0\].widht: unknown key' -- variance --net "$tmp/key.json"
expect_error 2 'width.json: layers\[1\].residual: block 2: residual branch ends at width 7' -- theory --net "$tmp/width.json"
expect_error 2 'missing.json: missing; expected a network file' -- theory --net "$tmp/missing.json"
expect_error 2 'layer 1 "300": the first layer gives no activation' -- theory --arch 784-300
expect_error 2 'not both' -- theory --net "$NETS/note-mnist.json" --arch 4-4:tanh:zeros
expect_error 2 '^initlab: error: --net: --activation does not go with a described network' -- \
  variance --net "$NETS/note-mnist.json" --activation relu
expect_error 2 '^initlab: error: --arch: --sw2 does not go' -- theory --arch 4-4:tanh:zeros --sw2 2
expect_error 2 "training network: batchnorm-relu-32 maps 256 -> 256; the note-mnist preset's data need 784 -> 10: block 1 \\(dense relu\\) reads 256 inputs" -- \
  train --net "$NETS/batchnorm-relu-32.json"
expect_error 2 'input width is 2; expected 784' -- variance --net "$NETS/playground.json" --input mnist

# Every example runs through theory: per layer for plain nets, per block otherwise.
for f in "$NETS"/*.json; do
  check "theory --net $(basename "$f")" quiet "$INITLAB" theory --net "$f" --csv "$tmp/t.csv" --json "$tmp/t.json"
done
"$INITLAB" theory --net "$NETS/prenorm-residual-relu-32.json" --csv "$tmp/blocks.csv" >/dev/null
check "block theory CSV: 32 residual blocks" test "$(grep -c '^[0-9]*,residual,256,' "$tmp/blocks.csv")" -eq 32
check "block theory CSV names its command" grep -q '^# initlab.*theory --net .*prenorm-residual-relu-32' "$tmp/blocks.csv"

# The file and its compact string describe the same network: the same theory.
"$INITLAB" theory --net "$NETS/note-mnist.json" --csv "$tmp/file.csv" >/dev/null
"$INITLAB" theory --arch 784-300x4:tanh:lecun_normal-10:linear:xavier_normal --csv "$tmp/arch.csv" >/dev/null
check "file and --arch give the same theory" cmp <(tail -n +2 "$tmp/file.csv") <(tail -n +2 "$tmp/arch.csv")
check "theory CSV has 5 layers with their widths" \
  awk -F, 'NR > 2 { n++; w[$1] = $2 } END { exit !(n == 5 && w[1] == 300 && w[5] == 10) }' "$tmp/file.csv"
# Layer 1 of the note's net: q^1 = n_0 Var W q0 = 1; layer 5: xavier 2/(300+10) times 300 E[a^2].
check "q^1 = 1 for lecun_normal at q0 = 1" awk -F, 'NR == 3 { exit !($4 > 0.999999 && $4 < 1.000001) }' "$tmp/file.csv"

# variance --net: the files, their provenance, and the grid study's numbers for a
# one-activation net (same seeds, inputs and weights).
"$INITLAB" variance --arch 16-16x3:tanh:lecun_normal --batch 8 --seeds 2 --seed 3 --dtype float \
  --out "$tmp/net" >/dev/null
check "net_variance.csv names its command" grep -q '^# initlab.*variance --arch 16-16x3' "$tmp/net/net_variance.csv"
check "net_variance.json is the net study" grep -q '"study": "net_variance"' "$tmp/net/net_variance.json"
check "net_variance.json states its findings" grep -q '"id": "net_signal_kept"' "$tmp/net/net_variance.json"
"$INITLAB" variance --activation tanh --init lecun_normal --width 16 --depth 3 --batch 8 --seeds 2 --seed 3 \
  --dtype float --csv "$tmp/grid.csv" >/dev/null
col() {  # column NAME of CSV FILE, rows in order
  awk -F, -v name="$1" '/^#/ { next } !c { for (i = 1; i <= NF; i++) if ($i == name) c = i; next } { print $c }' "$2"
}
check "q per layer equals the grid study's" cmp <(col q "$tmp/net/net_variance.csv") <(col q "$tmp/grid.csv")
check "grad2 per layer equals the grid study's" cmp <(col grad2 "$tmp/net/net_variance.csv") <(col grad2 "$tmp/grid.csv")
check "3 rows" test "$(col q "$tmp/net/net_variance.csv" | wc -l)" -eq 3

# train --net: a plain network of one's own replaces the preset's.
expect_error 2 'course-circles maps 2 -> 1; the note-mnist preset' -- train --net "$NETS/course-circles.json"
"$INITLAB" train --preset course-circles --net "$NETS/course-circles.json" --epochs 3 --train 20 --held-out 10 \
  --json "$tmp/train.json" >/dev/null
check "train --net records the network" grep -q '"net":"course-circles"' "$tmp/train.json"
check "train --net uses the file's per-layer inits" grep -q '"layer_specs":\["he_normal"' "$tmp/train.json"
# train --net with residual and norm blocks trains an nn::Model: its loss falls.
"$INITLAB" train --preset course-circles --net "$NETS/circles-batchnorm.json" --epochs 200 --json "$tmp/bn.json" >/dev/null
check "a BatchNorm net trains on the circles" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]
sys.exit(not (not r["diverged"] and r["train_loss"] < 0.5 * r["curve"][0][2] and len(r["grad2_step0"]) == 4))' "$tmp/bn.json"
if [[ -f "$2/data/cache/mnist-10k.bin" || -f "$2/data/mnist/0.json" ]]; then
  check "a pre-LayerNorm residual net trains on MNIST" quiet bash -c "cd '$2' && '$INITLAB' train --net examples/nets/mnist-prenorm-residual.json --epochs 1 --train 200 --held-out 100"
fi
printf '{"input": 2, "layers": [{"width": 1, "activation": "sigmoid", "init": "he_normal"}, {"norm": "layernorm"}]}' >"$tmp/normlast.json"
expect_error 2 "last block \\(block 2, layernorm\\) is not a dense layer" -- train --preset playground --net "$tmp/normlast.json"

# variance --net on a network with blocks: one row per block, beside the block recursion.
"$INITLAB" variance --net "$NETS/prenorm-residual-relu-32.json" --batch 32 --seeds 2 --out "$tmp/blocks" >/dev/null
check "block study: 32 residual rows" test "$(grep -c '^[0-9]*,residual,256,' "$tmp/blocks/net_variance.csv")" -eq 32
check "block study states the branch-share finding" \
  grep -q '"id": "net_residual_branch_minor"' "$tmp/blocks/net_variance.json"
finish
