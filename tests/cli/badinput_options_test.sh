#!/usr/bin/env bash
# The bad-input matrix of the options (label badinput): every option that takes a
# value, of every subcommand, as its --help lists it (a new option is covered
# without an edit here), gets the bad values of its type, each on a small valid
# command that exits 0 as it is:
#   every option           '' (empty)
#   UINT (sizes, seeds)     -1  abc  1.5  99999999999999999999999  nan
#   INT                     abc  1.5  99999999999999999999999  nan
#   FLOAT                   abc  nan  inf  -inf  1e999
# Each must exit 2 with one line on stderr that names the option, without an
# internal function name (Activation::parse:) or a 309-digit DBL_MAX; none may run.
# $1 = initlab binary, $2 = source folder.
source "$(dirname "$0")/lib.sh"
INITLAB=$(realpath "$INITLAB")
SRC=$(realpath "$2")
limit_memory 4000000
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
"$INITLAB" init he_normal --shape 16,16 --npy w.npy >/dev/null || { echo "FAIL: no w.npy"; exit 1; }

# subcommand -> positional arguments, then "--option value" pairs of a fast valid run.
declare -A positional=([check]="w.npy" [critical]="" [info]="" [init]="he_normal" [phase]=""
                       [spectrum]="" [sweep]="$SRC/examples/sweeps/phase-small.json" [theory]=""
                       [train]="" [variance]="" [report]="")
declare -A base=(
  [check]="--expect he_normal"
  [critical]="--activation tanh"
  [spectrum]="--activation tanh --init gaussian --width 8 --depths 1,2 --seeds 1"
  [sweep]="--out sweep-out --threads 1"
  [info]=""
  [init]="--shape 3,3"
  [phase]="--width 4 --depth 2 --seeds 1 --pairs 1 --sw2 1 --sb2 0"
  [theory]="--depth 3"
  [train]="--preset course-circles --epochs 1 --train 20 --held-out 10"
  [variance]="--width 4 --depth 2 --batch 4 --seeds 1 --threads 1 --init he_normal --activation relu"
  [report]="--arch 4-4x2:tanh:lecun_normal --out report-out --batch 4 --seeds 1 --figures no"
)

# The base pairs without OPTION (an option given twice would be its own error).
base_without() {
  local sub=$1 opt=$2 out=() words i
  read -ra words <<<"${base[$sub]}"
  for ((i = 0; i < ${#words[@]}; i += 2)); do
    [[ ${words[i]} == "$opt" ]] || out+=("${words[i]}" "${words[i+1]}")
  done
  printf '%s\n' "${out[@]}"
}

runs=0
for sub in $("$INITLAB" --help | sed -n '/^Subcommands:/,$s/^  \([a-z]\+\) .*/\1/p'); do
  [[ -v base[$sub] ]] || { echo "FAIL: subcommand $sub has no base command in this test"; failures=$((failures+1)); continue; }
  read -ra pos <<<"${positional[$sub]}"
  read -ra args <<<"${base[$sub]}"
  if timeout 120 "$INITLAB" "$sub" "${pos[@]}" "${args[@]}" >/dev/null 2>"$tmp/err"; then
    echo "ok: base: initlab $sub ${pos[*]} ${args[*]}"
  else
    echo "FAIL: base command initlab $sub ${pos[*]} ${args[*]}: $(head -1 "$tmp/err")"; failures=$((failures+1))
  fi
  while read -r opt type; do
    case $type in
      UINT*) values=('' -1 abc 1.5 99999999999999999999999 nan) ;;
      INT*) values=('' abc 1.5 99999999999999999999999 nan) ;;
      FLOAT*) values=('' abc nan inf -inf 1e999) ;;
      *) values=('') ;;
    esac
    mapfile -t rest < <(base_without "$sub" "$opt")
    for v in "${values[@]}"; do
      runs=$((runs+1))
      err=$(timeout 60 "$INITLAB" "$sub" "${pos[@]}" "${rest[@]}" "$opt" "$v" 2>&1 >/dev/null); rc=$?
      if [[ $rc -ne 2 ]] || [[ $(printf '%s\n' "$err" | wc -l) -ne 1 ]] || ! grep -qF -- "$opt" <<<"$err" ||
         grep -qE '[A-Za-z_]+::[A-Za-z_]+: |[0-9]{30}' <<<"$err"; then
        echo "FAIL: initlab $sub ... $opt '$v' -> exit $rc, stderr: $err"; failures=$((failures+1))
      fi
    done
  done < <("$INITLAB" "$sub" --help | sed -n 's/^  \(--[a-z0-9-]\+\) \([A-Z]\+[^ ]*\).*/\1 \2/p')
done
echo "matrix: $runs runs"
check "the matrix ran (more than 100 cases)" test "$runs" -gt 100
finish
