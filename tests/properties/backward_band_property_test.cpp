// docs/theory.md §7: the per-unit gradient second moment qt^l = E[(dL/dh^l)^2]
// follows qt^{l-1} = E[phi'^2] n_l Var(W^l) qt^l. For linear nets: preserved by
// fan_out (n_l / n_l = 1), scaled by n_l / n_{l-1} per layer (n_L / n_1 in all) by
// fan_in, 2 n_l / (n_{l-1} + n_l) by fan_avg.
//
// The band for the backward statistic. For a linear net delta^{l-1} = W^l^T delta^l
// does not depend on the forward pass. Given delta^l, the entries of W^l^T delta^l
// are sums over the independent columns of W^l: independent N(0, v_l |delta^l|^2),
// so |delta^{l-1}|^2 = v_l |delta^l|^2 chi2(n_{l-1}) and, per unit,
//   qt^{l-1} = qt^l * (n_l v_l) * chi2(n_{l-1}) / n_{l-1}.
// From a fixed output gradient delta^L to delta^1 that is L - 1 steps: the same
// product of chi-square laws with the transposed widths n_{L-1}, ..., n_1, i.e. the
// linear band over n_1..n_{L-1}, and the statistic
//   d = ln mean_b[(|delta^1_b|^2/n_1) / (|delta^L_b|^2/n_L)] - sum_{l=2}^{L} ln(n_l v_l).
// Failure probability per case: the Chernoff bound asserted below (<= 3.5e-7 at one
// factor of width 64, any batch; exact for one input 1.9e-8).

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "properties/harness.hpp"
#include "properties/tolerance.hpp"
#include "theory/meanfield.hpp"

namespace initlab::properties {
namespace {

// ln(n_l Var(W^l)) at scale 1 for W^l of shape (n_out, n_in).
double ln_backward_factor(const std::string& mode, double n_in, double n_out) {
  if (mode == "fan_in") return std::log(n_out / n_in);
  if (mode == "fan_out") return 0.0;
  return std::log(2.0 * n_out / (n_in + n_out));
}

RC_GTEST_PROP(BackwardBand, FanModesFollowBackwardRecursion, ()) {
  const std::size_t depth = gen_size("depth", 2, 50);
  const std::vector<std::size_t> widths = gen_widths(depth, 64, 512);
  const std::string mode = *rc::gen::element<std::string>("fan_in", "fan_out", "fan_avg").as("mode");
  const std::size_t batch = gen_size("batch", 1, 64);
  const std::uint64_t seed = gen_seed();
  // Chi-square factors n_1 .. n_{L-1}.
  const std::vector<std::size_t> factors(widths.begin() + 1, widths.end() - 1);
  RC_ASSERT(linear_false_alarm_log_bound(factors) <= kLogCaseFailure);

  // The prediction, from the table (for fan_in it telescopes to ln(n_L / n_1)); it
  // must agree with lib/theory's weight variances, v[l - 1] = Var(W^l).
  const std::vector<double> v = theory::weight_variances(1.0, widths, mode);
  double ln_p = 0.0;
  for (std::size_t l = 2; l <= depth; ++l) {
    const double n_in = static_cast<double>(widths[l - 1]), n_out = static_cast<double>(widths[l]);
    const double f = ln_backward_factor(mode, n_in, n_out);
    RC_ASSERT(std::abs(f - std::log(n_out * v[l - 1])) <= 1e-12);
    ln_p += f;
  }

  auto net = make_network<float>(
      widths, "linear", "variance_scaling:scale=1,mode=" + mode + ",distribution=normal", seed);
  net.forward(gaussian_inputs<float>(batch, widths[0], seed));
  const Matrix<float> g = gaussian_inputs<float>(batch, widths.back(), ~seed);
  const auto& grads = net.backward(g);
  const double d = log_mean_ratio(row_second_moments(grads.dh.front()), row_second_moments(g)) - ln_p;
  const Band band = linear_band(factors);
  RC_LOG() << mode << ": ln p = " << ln_p << ", d = " << d << ", band [" << band.lo() << ", "
           << band.hi() << "]\n";
  RC_ASSERT(band.contains(d));
}

// E[(dL/dW^l_ij)^2] = qt^l E[(a^{l-1})^2] (docs/theory.md §7) holds exactly, per
// draw, for one input: dW^l = delta^l (a^{l-1})^T is an outer product, so
// mean(dW^2) = (|delta^l|^2 / n_l) (|a^{l-1}|^2 / n_{l-1}) (rounding: tolerance.hpp,
// outer_product_tolerance).
RC_GTEST_PROP(BackwardBand, WeightGradientIsOuterProduct, ()) {
  const std::size_t depth = gen_size("depth", 1, 20);
  const std::vector<std::size_t> widths = gen_widths(depth, 1, 256);
  const std::string act = *rc::gen::element<std::string>("linear", "relu", "tanh").as("act");
  const std::uint64_t seed = gen_seed();
  auto net = make_network<double>(widths, act, "lecun_normal", seed);
  net.forward(gaussian_inputs<double>(1, widths[0], seed));
  const auto& grads = net.backward(gaussian_inputs<double>(1, widths.back(), ~seed));
  for (std::size_t l = 1; l <= depth; ++l) {
    const Matrix<double>& a_prev = l == 1 ? net.input() : net.cache()[l - 2].a;
    const Matrix<double>& dW = grads.dW[l - 1];
    double s = 0.0;
    for (double v : dW) s += v * v;
    const double n_w = static_cast<double>(dW.size());
    const double lhs = s / n_w;
    const double rhs = row_second_moments(grads.dh[l - 1])[0] * row_second_moments(a_prev)[0];
    const double tol = outer_product_tolerance(dW.size(), widths[l], widths[l - 1]);
    RC_ASSERT(std::abs(lhs - rhs) <= tol * rhs);
  }
}

}  // namespace
}  // namespace initlab::properties
