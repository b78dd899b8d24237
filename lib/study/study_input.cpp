#include "study/study_input.hpp"

#include <span>

#include "random/permutation.hpp"
#include "random/stream.hpp"

namespace initlab::study {

Matrix<double> study_input(const Matrix<float>& pool, std::size_t batch, std::size_t n0, std::uint64_t seed) {
  const random::Stream rng = random::Stream(seed).split(0);
  Matrix<double> x({batch, n0});
  if (pool.size() == 0) {
    rng.normal<double>(std::span<double>(x.data(), x.size()), 0.0, 1.0);
    return x;
  }
  const std::vector<std::size_t> order = random::permutation(pool.shape()[0], rng);
  for (std::size_t r = 0; r < batch; ++r) {
    for (std::size_t j = 0; j < n0; ++j) x(r, j) = static_cast<double>(pool(order[r], j));
  }
  return x;
}

void append_row_second_moments(const Matrix<double>& x, std::vector<double>& out) {
  const std::size_t n0 = x.shape()[1];
  for (std::size_t b = 0; b < x.shape()[0]; ++b) {
    double s = 0.0;
    for (std::size_t j = 0; j < n0; ++j) s += x(b, j) * x(b, j);
    out.push_back(s / static_cast<double>(n0));
  }
}

}  // namespace initlab::study
