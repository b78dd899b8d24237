#include "random/permutation.hpp"

#include <algorithm>
#include <numeric>
#include <utility>

namespace initlab::random {

void permute(std::span<std::size_t> idx, const Stream& rng) {
  std::iota(idx.begin(), idx.end(), std::size_t{0});
  for (std::size_t i = idx.size(); i-- > 1;) {
    auto j = static_cast<std::size_t>(rng.uniform01(i) * static_cast<double>(i + 1));
    j = std::min(j, i);  // u < 1: guards rounding only
    std::swap(idx[i], idx[j]);
  }
}

std::vector<std::size_t> permutation(std::size_t n, const Stream& rng) {
  std::vector<std::size_t> idx(n);
  permute(idx, rng);
  return idx;
}

}  // namespace initlab::random
