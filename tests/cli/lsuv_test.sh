#!/usr/bin/env bash
# LSUV as a data-dependent --init of `initlab variance` and `initlab train`: bad
# specs are one line and exit 2; runs report LSUV and whether every layer converged.
source "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

expect_error 2 'tol must be in \(0, 1\)' -- variance --init lsuv:tol=2 --depth 3 --width 8
expect_error 2 'max_iter must be an integer' -- variance --init lsuv:max_iter=0 --depth 3 --width 8
expect_error 2 'lsuv:gain=2' -- variance --init lsuv:gain=2 --depth 3 --width 8
expect_error 2 'tol must be in' -- train --preset playground --init lsuv:tol=0 --epochs 1 --out "$tmp/t"

"$INITLAB" variance --activation relu --init lsuv --init orthogonal --width 32 --depth 20 --seeds 2 \
  --batch 64 --json "$tmp/v.json" >"$tmp/v.txt"
check "variance with lsuv exits 0" test $? -eq 0
check "JSON states the LSUV law and full convergence" bash -c \
  "grep -qF 'LSUV: orthogonal, then Var(h^l) = 1 +- 0.1 on the batch' '$tmp/v.json' && grep -qE '\"lsuv_unconverged\": ?0\\b' '$tmp/v.json'"
check "LSUV keeps relu's q at 1 where orthogonal halves it" bash -c \
  "grep -E '^relu +lsuv ' '$tmp/v.txt' | grep -q 'none up to 20' && grep -E '^relu +orthogonal ' '$tmp/v.txt' | grep -qv 'none up to 20'"
"$INITLAB" variance --activation tanh --init lsuv:tol=0.1,max_iter=2 --bias-std 1.2 --width 32 \
  --depth 3 --seeds 1 >"$tmp/b.txt"
check "a bias above unit variance is reported as not converged" grep -q 'LSUV outside tol in 3 layer' "$tmp/b.txt"
"$INITLAB" train --preset playground --init lsuv --epochs 2 --out "$tmp/t" >"$tmp/t.txt"
check "train with lsuv exits 0" test $? -eq 0
check "train JSON records the spec" bash -c "grep -qE '\"spec\": ?\"lsuv\"' '$tmp'/t/*.json"
finish
