// batch_norm_backward against central finite differences, and BatchNorm's
// per-unit batch statistics: mean 0 and variance 1 - eps inv_std^2 (1 for eps = 0)
// up to derived rounding bounds.

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>

#include "nn/batch_norm.hpp"
#include "nn/nn_testing.hpp"
#include "nn/norm_testing.hpp"

namespace initlab::nn {
namespace {

using testing::random_matrix;
using testing::rounding_gamma;

// Finite differences as derived in norm_testing.hpp.
// The batch statistics are differentiated too: a backward that treated mean and
// variance as constants fails by O(1).
RC_GTEST_PROP(BatchNorm, BackwardMatchesFiniteDifferences, ()) {
  const auto B = *rc::gen::inRange<std::size_t>(2, 7).as("B");
  const auto n = *rc::gen::inRange<std::size_t>(1, 7).as("n");
  const bool affine = *rc::gen::arbitrary<bool>().as("affine");
  const double eps = *rc::gen::element(1e-5, 1e-2, 1.0).as("eps");
  const auto seed = *rc::gen::arbitrary<std::uint64_t>().as("seed");
  const std::string mismatch = testing::norm_fd_mismatch(batch_norm_forward<double>,
                                                         batch_norm_backward<double>, 0, B, n,
                                                         affine, eps, seed);
  RC_LOG() << mismatch << "\n";
  RC_ASSERT(mismatch.empty());
}

// Rounding bounds per unit j over the batch of B rows, u and gamma_k as in
// nn_testing.hpp, A = (1/B) sum_r |x_rj|, H = (1/B) sum_r |xhat_rj|, s = inv_std_j.
// Mean: the kernel's mu = fl(fl(sum_r x_r) fl(1/B)) is within gamma_{B+1} A of the
// exact mean, d_r = (x_r - mu)(1 + delta_r), so |sum_r d_r| <= B gamma_{B+1} A +
// u sum_r |d_r|; xhat_r = d_r s (1 + delta'_r) adds u s sum_r |d_r|, and the test's
// own fl(sum_r xhat_r) / B adds gamma_B H. With s (1/B) sum_r |d_r| <= H (1 + u):
// |mean_r xhat_r| <= gamma_{B+1} s A + gamma_{B+3} H <= gamma_{B+4} (s A + H)
// (the spare rounding covers the test's double evaluation of A and H).
// Variance: the second moment m2 = (1/B) sum_r xhat_r^2 equals 1 - eps s^2 within
// gamma_{2B+19}, as derived for LayerNorm (layer_norm_property_test.cpp) with the
// batch in place of the units; variance = m2 - mean^2, one more rounding.
// Worst-case bounds: the test cannot fail by chance.
template <class T>
void check_batch_statistics() {
  const auto B = *rc::gen::inRange<std::size_t>(2, 513).as("B");
  const auto n = *rc::gen::inRange<std::size_t>(1, 9).as("n");
  const double eps_d = *rc::gen::element(0.0, 1e-5, 1e-2, 1.0).as("eps");
  const double offset = *rc::gen::element(0.0, 3.0, -100.0).as("offset");
  const double spread = *rc::gen::element(1e-3, 1.0, 1e3).as("scale");
  const auto seed = *rc::gen::arbitrary<std::uint64_t>().as("seed");
  const Matrix<T> x = random_matrix(B, n, seed, offset - spread, offset + spread);
  const T eps = static_cast<T>(eps_d);
  Matrix<T> y;
  NormCache<T> cache;
  batch_norm_forward<T>(y, cache, x, nullptr, nullptr, eps);
  const T Bt = static_cast<T>(B);
  for (std::size_t j = 0; j < n; ++j) {
    T sum = 0, sum2 = 0;
    double A = 0.0, H = 0.0;
    for (std::size_t r = 0; r < B; ++r) {
      sum += y(r, j);
      sum2 += y(r, j) * y(r, j);
      A += std::abs(static_cast<double>(x(r, j)));
      H += std::abs(static_cast<double>(y(r, j)));
    }
    const double s = cache.inv_std(j);
    const double mean_bound = rounding_gamma<T>(B + 4) * (s * A + H) / static_cast<double>(B);
    const T mean = sum / Bt;
    const T var = sum2 / Bt - mean * mean;
    const T ref = T(1) - eps * cache.inv_std(j) * cache.inv_std(j);
    const double var_bound = rounding_gamma<T>(2 * B + 20) + mean_bound * mean_bound;
    RC_LOG() << "unit " << j << ": mean " << mean << " (bound " << mean_bound << "), variance "
             << var << ", 1 - eps s^2 " << ref << " (bound " << var_bound << ")\n";
    RC_ASSERT(std::abs(static_cast<double>(mean)) <= mean_bound);
    RC_ASSERT(std::abs(static_cast<double>(var) - static_cast<double>(ref)) <= var_bound);
  }
}

RC_GTEST_PROP(BatchNorm, UnitMeanZeroVarianceOneFloat, ()) { check_batch_statistics<float>(); }
RC_GTEST_PROP(BatchNorm, UnitMeanZeroVarianceOneDouble, ()) { check_batch_statistics<double>(); }

}  // namespace
}  // namespace initlab::nn
