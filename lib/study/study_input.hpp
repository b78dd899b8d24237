#pragma once
// The input batch of one network in the variance studies: seed r's batch is
// x ~ N(0, 1) per entry from Stream(seed_r).split(0), or, given a pool of rows
// (e.g. the MNIST digits), the first B rows of a permutation from that stream.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/tensor.hpp"

namespace initlab::study {

// (batch, n0) doubles; an empty pool means Gaussian input.
Matrix<double> study_input(const Matrix<float>& pool, std::size_t batch, std::size_t n0, std::uint64_t seed);

// |x_b|^2 / n_0 for every row b of x (B, n_0), appended to `out`.
void append_row_second_moments(const Matrix<double>& x, std::vector<double>& out);

}  // namespace initlab::study
