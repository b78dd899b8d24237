#pragma once
// Seeded permutations for shuffling data: a pure function of the stream, so the
// same (seed, id) gives the same order on any machine and thread count.

#include <cstddef>
#include <span>
#include <vector>

#include "random/stream.hpp"

namespace initlab::random {

// Fisher-Yates: idx becomes a uniformly random permutation of 0..n-1 (n = idx.size()).
// Step i swaps idx[i] with idx[j], j = floor(u (i + 1)), u = rng.uniform01(i)
// (53 random bits per draw). No allocation, for per-epoch shuffles.
void permute(std::span<std::size_t> idx, const Stream& rng);

// A new uniformly random permutation of 0..n-1, the same as permute() gives.
std::vector<std::size_t> permutation(std::size_t n, const Stream& rng);

}  // namespace initlab::random
