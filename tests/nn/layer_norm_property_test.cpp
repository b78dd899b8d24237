// layer_norm_backward against central finite differences, and the per-example
// second moment of LayerNorm's output: exactly 1 - eps inv_std^2 (1 for eps = 0)
// up to a derived rounding bound.

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>

#include "nn/layer_norm.hpp"
#include "nn/nn_testing.hpp"
#include "nn/norm_testing.hpp"

namespace initlab::nn {
namespace {

using testing::random_matrix;
using testing::rounding_gamma;

// Finite differences as derived in norm_testing.hpp.
RC_GTEST_PROP(LayerNorm, BackwardMatchesFiniteDifferences, ()) {
  const auto B = *rc::gen::inRange<std::size_t>(1, 6).as("B");
  const auto n = *rc::gen::inRange<std::size_t>(2, 9).as("n");
  const bool affine = *rc::gen::arbitrary<bool>().as("affine");
  const double eps = *rc::gen::element(1e-5, 1e-2, 1.0).as("eps");
  const auto seed = *rc::gen::arbitrary<std::uint64_t>().as("seed");
  const std::string mismatch = testing::norm_fd_mismatch(layer_norm_forward<double>,
                                                         layer_norm_backward<double>, 1, B, n,
                                                         affine, eps, seed);
  RC_LOG() << mismatch << "\n";
  RC_ASSERT(mismatch.empty());
}

// Rounding bound, u the unit roundoff of T, gamma_k as in nn_testing.hpp. The
// kernel computes d_j = fl(x_j - mu) for its own mean mu (any centre: the identity
// below holds for whatever mu it rounded to), ss = fl(sum d_j^2) = S (1 + theta_n)
// with S = sum d_j^2 exactly (non-negative terms), v = fl(ss fl(1/n)) =
// (S/n)(1 + theta_{n+2}), w = fl(v + eps) = (v + eps)(1 + theta_1), s = fl(1 /
// fl(sqrt w)) = w^{-1/2} (1 + theta_2), xhat_j = d_j s (1 + theta_1). The test's
// m2 = fl(fl(sum xhat_j^2) / n) = (1/n) sum xhat_j^2 (1 + theta_{n+1}) =
// (S/n) s^2 (1 + theta_{n+3}) = v / (v + eps) (1 + theta_{2n+10}). Its reference
// r = fl(1 - fl(fl(eps s) s)) is 1 - eps / (v + eps) = v / (v + eps) within gamma_9
// (eps s^2 = eps / (v + eps) (1 + theta_7) <= 1 + gamma_7, one more rounding).
// So |m2 - r| <= gamma_{2n+10} + gamma_9 <= gamma_{2n+19}, for any x and eps >= 0.
// A worst-case bound: the test cannot fail by chance.
template <class T>
void check_second_moment() {
  const auto B = *rc::gen::inRange<std::size_t>(1, 9).as("B");
  const auto n = *rc::gen::inRange<std::size_t>(2, 513).as("n");
  const double eps_d = *rc::gen::element(0.0, 1e-5, 1e-2, 1.0).as("eps");
  const double offset = *rc::gen::element(0.0, 3.0, -100.0).as("row offset");
  const double spread = *rc::gen::element(1e-3, 1.0, 1e3).as("row scale");
  const auto seed = *rc::gen::arbitrary<std::uint64_t>().as("seed");
  const Matrix<double> xd = random_matrix(B, n, seed, offset - spread, offset + spread);
  const Matrix<T> x = xd;
  const T eps = static_cast<T>(eps_d);
  Matrix<T> y;
  NormCache<T> cache;
  layer_norm_forward<T>(y, cache, x, nullptr, nullptr, eps);
  const double bound = rounding_gamma<T>(2 * n + 19);
  for (std::size_t r = 0; r < B; ++r) {
    T sum = 0;
    for (std::size_t j = 0; j < n; ++j) sum += y(r, j) * y(r, j);
    const T m2 = sum / static_cast<T>(n);
    const T s = cache.inv_std(r);
    const T ref = T(1) - eps * s * s;
    RC_LOG() << "row " << r << ": m2 " << m2 << ", 1 - eps s^2 " << ref << ", bound " << bound << "\n";
    RC_ASSERT(std::abs(static_cast<double>(m2) - static_cast<double>(ref)) <= bound);
  }
}

RC_GTEST_PROP(LayerNorm, SecondMomentIsOneToRoundingFloat, ()) { check_second_moment<float>(); }
RC_GTEST_PROP(LayerNorm, SecondMomentIsOneToRoundingDouble, ()) { check_second_moment<double>(); }

}  // namespace
}  // namespace initlab::nn
