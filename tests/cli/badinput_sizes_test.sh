#!/usr/bin/env bash
# Bad sizes (label badinput): shapes and widths whose product overflows or exceeds
# the library's 2^32-entry limit (lib/core/fan_shape.hpp) say the entries and bytes
# they would need and exit 2 before anything is allocated (they wrote out of
# bounds or ended in std::bad_alloc); negative and empty sizes are one line naming
# the value, exit 2 (they wrapped to 2^64 - 1: "--epochs -1" ran for ever).
# $1 = initlab binary, $2 = source folder.
source "$(dirname "$0")/lib.sh"
# Nothing here may allocate gigabytes: a regression fails instead of swapping.
limit_memory 4000000

big='has [0-9.e+]+ entries.*which need [0-9.e+]+ bytes .* as float; expected at most 4294967296 entries'
over='more than std::size_t holds'
expect_error 2 "^initlab: error: init: shape \(4294967296, 4294967296\) $big" -- \
  init identity --shape 4294967296,4294967296
expect_error 2 "$over" -- init identity --shape 4294967296,4294967296
expect_error 2 "shape \(176, 9223372036854775808\) .*$over" -- init he_normal --shape 176,9223372036854775808
expect_error 2 "shape \(100, 13835058055282163712\) .*$over" -- init sparse:0.5 --shape 100,13835058055282163712
expect_error 2 "shape \(1000000000, 1000000000\) has 1e\+18 entries, which need 4e\+18 bytes" -- \
  init he_normal --shape 1000000000,1000000000
expect_error 2 "which need 8e\+18 bytes .* as double" -- \
  init he_normal --shape 1000000000,1000000000 --dtype double
expect_error 2 '^initlab: error: variance: batch x n_0 \(256, 1000000000\) has 2.56e\+11 entries' -- \
  variance --widths 1000000000,1000000000
expect_error 2 '^initlab: error: variance: W\^1 \(100000, 100000\) has 1e\+10 entries' -- \
  variance --widths 100000,100000 --batch 1
expect_error 2 '^initlab: error: variance: W\^2 \(70000, 70000\) has 4.9e\+09 entries' -- \
  variance --widths 10,70000,70000 --batch 1
# Just inside the limit per matrix: the sum of the weights is checked too.
expect_error 2 '^initlab: error: Network: widths \(65536, 65536, 65536\) have 8589934592 weights in all' -- \
  variance --widths 65536,65536,65536 --batch 1 --seeds 1 --threads 1

# Negative, empty and out-of-range sizes.
expect_error 2 '^initlab: error: --epochs: -1 has a sign; expected a non-negative integer \(UINT\)$' -- train --epochs -1
expect_error 2 "^initlab: error: --epochs: empty value ''; expected UINT" -- train --epochs ''
expect_error 2 '^initlab: error: --epochs: Value 2000000 not in range 1 to 1000000$' -- train --epochs 2000000
expect_error 2 '^initlab: error: --train: -2 has a sign; expected a non-negative integer \(UINT\)$' -- train --train -2
expect_error 2 '^initlab: error: --held-out: -1 has a sign; expected a non-negative integer \(UINT\)$' -- train --held-out -1
expect_error 2 '^initlab: error: --batch: -5 has a sign; expected a non-negative integer \(UINT\)$' -- train --batch -5
expect_error 2 '^initlab: error: --seeds: Value 0 not in range 1 to 100000$' -- train --seeds 0
expect_error 2 '^initlab: error: --seed: 99999999999999999999999 is out of range; expected at most 18446744073709551615$' -- \
  train --seed 99999999999999999999999
expect_error 2 "^initlab: error: --seed: -1 has a sign; expected a non-negative integer \(UINT\)$" -- \
  init he_normal --shape 3,3 --seed -1
expect_error 2 "^initlab: error: --seed: -1 has a sign" -- variance --seed -1
expect_error 2 "^initlab: error: --sw2: empty value ''; expected FLOAT$" -- theory --sw2 ''
expect_error 2 "^initlab: error: --width: empty value ''; expected UINT" -- variance --width ''
expect_error 2 "^initlab: error: --csv: empty value ''; expected" -- theory --csv ''
# A range of histogram layers is checked against the depth before it is expanded
# (1-100000000 allocated 1 GB first).
expect_error 2 '^initlab: error: --histograms 1-100000000: range 1-100000000; expected layers in 1..100$' -- \
  variance --histograms 1-100000000
finish
