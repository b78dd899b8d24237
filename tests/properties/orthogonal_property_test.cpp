// Orthogonal layers in linear nets preserve norms exactly, forward and backward
// (docs/theory.md §8: "square orthogonal W preserves |x| to about L n eps", and
// dynamical isometry). Rounding bound: tolerance.hpp,
// orthogonal_norm_tolerance. Double, so the bound (<= 1e-9) is far below the
// O(1/sqrt(n)) per-layer change of any non-orthogonal or mis-scaled matrix.

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <vector>

#include "properties/harness.hpp"
#include "properties/tolerance.hpp"

namespace initlab::properties {
namespace {

std::vector<double> row_norms(const Matrix<double>& a) {
  std::vector<double> m = row_second_moments(a);
  for (double& v : m) v = std::sqrt(v * static_cast<double>(a.shape()[1]));
  return m;
}

void assert_norms_equal(const Matrix<double>& got, const Matrix<double>& want, double tol) {
  const std::vector<double> g = row_norms(got), w = row_norms(want);
  for (std::size_t b = 0; b < g.size(); ++b) RC_ASSERT(std::abs(g[b] / w[b] - 1.0) <= tol);
}

// Square n x n: |a^L_b| = |x_b| and |delta^1_b| = |delta^L_b| for every input.
RC_GTEST_PROP(OrthogonalNorms, SquarePreservesNormsForwardAndBackward, ()) {
  const std::size_t n = gen_size("n", 1, 256);
  const std::size_t depth = gen_size("depth", 1, 30);
  const std::size_t batch = gen_size("batch", 1, 16);
  const std::uint64_t seed = gen_seed();
  auto net = make_network<double>(equal_widths(depth, n), "linear", "orthogonal", seed);
  const Matrix<double> x = gaussian_inputs<double>(batch, n, seed);
  const double tol = orthogonal_norm_tolerance<double>(depth, n);
  assert_norms_equal(net.forward(x), x, tol);
  const Matrix<double> g = gaussian_inputs<double>(batch, n, ~seed);
  assert_norms_equal(net.backward(g).dh.front(), g, tol);
}

// Rectangular: a tall W (n_l >= n_{l-1}) has orthonormal columns, W^T W = I, so
// widening nets preserve the forward norm; a wide W (n_l <= n_{l-1}) has
// orthonormal rows, W W^T = I, so narrowing nets preserve the backward norm from
// delta^L down to delta^1. The tolerance uses the largest width.
RC_GTEST_PROP(OrthogonalNorms, RectangularPreservesTheNormItCan, ()) {
  const std::size_t depth = gen_size("depth", 1, 30);
  std::vector<std::size_t> widths = gen_widths(depth, 1, 256);
  const std::size_t batch = gen_size("batch", 1, 16);
  const std::uint64_t seed = gen_seed();
  const double tol =
      orthogonal_norm_tolerance<double>(depth, *std::max_element(widths.begin(), widths.end()));

  std::sort(widths.begin(), widths.end());
  auto widening = make_network<double>(widths, "linear", "orthogonal", seed);
  const Matrix<double> x = gaussian_inputs<double>(batch, widths.front(), seed);
  assert_norms_equal(widening.forward(x), x, tol);

  std::sort(widths.begin(), widths.end(), std::greater<>());
  auto narrowing = make_network<double>(widths, "linear", "orthogonal", seed);
  narrowing.forward(gaussian_inputs<double>(batch, widths.front(), seed));
  const Matrix<double> g = gaussian_inputs<double>(batch, widths.back(), ~seed);
  assert_norms_equal(narrowing.backward(g).dh.front(), g, tol);
}

}  // namespace
}  // namespace initlab::properties
