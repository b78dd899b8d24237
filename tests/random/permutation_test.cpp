#include "random/permutation.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

namespace initlab::random {
namespace {

TEST(Permutation, IsAPermutationAndDeterministic) {
  for (std::size_t n : {0u, 1u, 2u, 17u, 1000u}) {
    auto p = permutation(n, Stream(42));
    EXPECT_EQ(p, permutation(n, Stream(42)));
    std::sort(p.begin(), p.end());
    std::vector<std::size_t> id(n);
    std::iota(id.begin(), id.end(), std::size_t{0});
    EXPECT_EQ(p, id);
  }
  EXPECT_NE(permutation(1000, Stream(42)), permutation(1000, Stream(43)));
  EXPECT_NE(permutation(1000, Stream(42)), permutation(1000, Stream(42).split(1)));
}

TEST(Permutation, PermuteInPlaceEqualsPermutation) {
  std::vector<std::size_t> idx(257, 99);
  permute(idx, Stream(7, 3));
  EXPECT_EQ(idx, permutation(257, Stream(7, 3)));
}

TEST(Permutation, MovesEveryPositionUniformly) {
  // Position of element 0 over 4000 seeds for n = 4: each of the 4 slots has
  // count ~ Binomial(4000, 1/4), mean 1000, sd sqrt(4000 * 1/4 * 3/4) = 27.4;
  // 6.5 sd = 178 -> failure probability < 1e-10 per slot (normal tail; the
  // binomial at this size is within 1e-3 of it in the tail ratio).
  std::vector<int> where(4, 0);
  for (std::uint64_t s = 0; s < 4000; ++s) {
    const auto p = permutation(4, Stream(s));
    ++where[static_cast<std::size_t>(std::find(p.begin(), p.end(), 0u) - p.begin())];
  }
  for (int c : where) EXPECT_NEAR(c, 1000, 178);
}

}  // namespace
}  // namespace initlab::random
