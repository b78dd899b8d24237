#!/usr/bin/env bash
# The bad-input matrix of the data files (label badinput): every file a subcommand
# reads (check's .npy, sweep's file and its --resume journal, a --net network file, the MNIST JSON digits
# and their cache for train and variance --input mnist, train's IDX images and
# labels) as missing, empty, truncated, with a wrong magic (or not JSON), as a
# folder, and the JSON ones with a number beyond double (1e999). Each must exit 2
# with one line on stderr naming the file (folders and 1e999 were "internal error"
# without it, issue 17 item 7), and no internal function name (item 10).
# $1 = initlab binary, $2 = source folder.
source "$(dirname "$0")/lib.sh"
INITLAB=$(realpath "$INITLAB")
SRC=$(realpath "$2")
limit_memory 4000000
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

runs=0
# bad_file FILE WHAT -- ARGS...: after WHAT was done to FILE, initlab ARGS exits 2
# with one line naming FILE.
bad_file() {
  local file=$1 what=$2; shift 3
  local err rc
  runs=$((runs+1))
  err=$(timeout 120 "$INITLAB" "$@" 2>&1 >/dev/null); rc=$?
  if [[ $rc -ne 2 ]] || [[ $(printf '%s\n' "$err" | wc -l) -ne 1 ]] || ! grep -qF -- "$file" <<<"$err" ||
     grep -qE '[A-Za-z_]+::[A-Za-z_]+: ' <<<"$err"; then
    echo "FAIL: $file $what: initlab $* -> exit $rc, stderr: $err"; failures=$((failures+1)); return
  fi
  echo "ok: $file $what -> $err"
}
# spoil FILE HOW: make FILE missing, empty, truncated (half its bytes), give it a
# wrong first byte (magic), turn it into a folder, or (json-inf) a JSON number 1e999.
spoil() {
  local file=$1 how=$2
  case $how in
    missing) rm -rf "$file" ;;
    empty) : > "$file" ;;
    truncated) head -c $(( $(stat -c %s "$file") / 2 )) "$file" > "$file.half" && mv "$file.half" "$file" ;;
    magic) printf 'X' | dd of="$file" bs=1 count=1 conv=notrunc status=none ;;
    folder) rm -f "$file" && mkdir "$file" ;;
    json-inf) printf '{"data": [1e999]}' > "$file" ;;
  esac
}
forms=(missing empty truncated magic folder)

# Fixtures: a weight matrix, MNIST-like JSON digits (one per digit, in [0, 1]),
# their cache (written by initlab itself), an IDX pair of 20 images.
"$INITLAB" init he_normal --shape 16,16 --npy w.npy >/dev/null || { echo "FAIL: no w.npy"; exit 1; }
mkdir -p fix/mnist fix/idx
python3 - <<'EOF' || { echo "FAIL: fixtures"; exit 1; }
import struct
for d in range(10):
    with open(f"fix/mnist/{d}.json", "w") as f:
        f.write('{"data": [' + ",".join("%.3f" % (((i * 7 + d) % 256) / 255) for i in range(784)) + "]}")
n = 20
with open("fix/idx/t10k-images-idx3-ubyte", "wb") as f:
    f.write(struct.pack(">IIII", 0x803, n, 28, 28) + bytes((i * 13) % 256 for i in range(n * 784)))
with open("fix/idx/t10k-labels-idx1-ubyte", "wb") as f:
    f.write(struct.pack(">II", 0x801, n) + bytes(i % 10 for i in range(n)))
EOF
"$INITLAB" variance --input mnist --data fix --width 784 --depth 1 --batch 4 --seeds 1 --threads 1 \
  >/dev/null || { echo "FAIL: variance --input mnist on the fixture"; exit 1; }
[[ -f fix/cache/mnist-10k.bin ]] || { echo "FAIL: no cache written"; exit 1; }
"$INITLAB" sweep "$SRC/examples/sweeps/phase-small.json" --out sweep-ok --threads 1 >/dev/null 2>&1 ||
  { echo "FAIL: the example sweep"; exit 1; }
fresh() { rm -rf case && cp -r fix case; }

# check FILE.npy
for how in "${forms[@]}"; do
  rm -rf m.npy && cp w.npy m.npy && spoil m.npy "$how"
  bad_file m.npy "$how" -- check m.npy --expect he_normal
done

# sweep FILE (JSON)
for how in "${forms[@]}" json-inf; do
  rm -rf s.json && cp "$SRC/examples/sweeps/phase-small.json" s.json && spoil s.json "$how"
  bad_file s.json "$how" -- sweep s.json --out "sweep-$how" --threads 1
done

# theory --net FILE (a network file, JSON)
for how in "${forms[@]}" json-inf; do
  rm -rf n.json && cp "$SRC/examples/nets/selu-64.json" n.json && spoil n.json "$how"
  bad_file n.json "$how" -- theory --net n.json
done

# sweep --resume: the journal of an earlier run (an empty journal is a run killed
# before its header and a truncated last line one killed mid-line, both resumed by
# design, so "truncated" cuts it inside the header line)
for how in truncated magic folder; do
  rm -rf resume && cp -r sweep-ok resume && rm -f resume/*.csv resume/*.json
  j=resume/journal.jsonl
  if [[ $how == truncated ]]; then head -c 20 sweep-ok/journal.jsonl > $j; printf '\n' >> $j; else spoil $j "$how"; fi
  bad_file $j "$how" -- sweep "$SRC/examples/sweeps/phase-small.json" --out resume --resume --threads 1
done

# The MNIST JSON digits (no cache: train reads the JSON)
for how in "${forms[@]}" json-inf; do
  fresh && spoil case/mnist/3.json "$how"
  bad_file case/mnist/3.json "$how" -- train --preset note-mnist --mnist-dir case/mnist --mnist-cache case/none/c.bin
done

# The MNIST cache, with no JSON to fall back on (the cause is named, not only "make deps")
for how in empty truncated magic folder; do
  fresh && rm -rf case/mnist && spoil case/cache/mnist-10k.bin "$how"
  bad_file case/cache/mnist-10k.bin "$how" -- train --preset note-mnist --mnist-dir case/mnist \
    --mnist-cache case/cache/mnist-10k.bin
  bad_file case/cache/mnist-10k.bin "$how" -- variance --input mnist --data case --width 784 --depth 1
done
fresh && rm -rf case/mnist && printf 'X' | dd of=case/cache/mnist-10k.bin bs=1 seek=5000 count=1 conv=notrunc status=none
bad_file case/cache/mnist-10k.bin "checksum" -- train --preset note-mnist --mnist-dir case/mnist \
  --mnist-cache case/cache/mnist-10k.bin
fresh && rm -rf case/mnist case/cache
bad_file case/mnist/0.json "missing with its cache" -- train --preset note-mnist --mnist-dir case/mnist \
  --mnist-cache case/cache/mnist-10k.bin

# train's IDX images and labels
for f in t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  for how in "${forms[@]}"; do
    fresh && spoil "case/idx/$f" "$how"
    [[ $how == missing ]] && name=$f || name=case/idx/$f
    bad_file "$name" "$how" -- train --preset note-mnist --dataset mnist --data case/idx
  done
done

echo "data-file matrix: $runs runs"
check "the data-file matrix ran (46 cases or more)" test "$runs" -ge 46
finish
