// LSUV leaves every layer's output variance inside its tolerance (lib/nn/lsuv.hpp).
//
// Why this cannot fail except with negligible probability: within layer l the input
// a^{l-1} is fixed, so Var(h^l) in the scale s of W^l is v(s) = s^2 A + 2 s C + V_b
// (A the variance of W^l a^{l-1} over the batch entries, V_b that of b^l, C their
// covariance). Without bias one rescaling gives v = 1 up to rounding (n u). With
// b^l ~ N(0, sigma_b^2), sigma_b <= 0.2, the iteration s <- s / sqrt(v) maps the
// signal part u = s^2 A to u / (u + V_b) (C ~ 0), which converges to u* = 1 - V_b with
// factor V_b per step near it. Here u0 >= E[(a^{l-1})^2] n_{l-1} / n_l >= 0.3 / 8
// (orthogonal W^l of gain 1 after a layer at unit variance; E[a^2] >= 0.3 for tanh,
// relu and linear; widths in [16, 128]); with V_b <= 0.2 three steps reach u >= 0.69
// and seven more shrink the error by 0.2^7: below 2e-6 < tol. The events that break
// this are V_b > 0.2 (the sample variance of n_l >= 16 draws of N(0, 0.04):
// P(chi2_15 > 75) < 1e-9) and a whole layer of dead ReLUs (all B n_l >= 128 entries
// <= 0: < 1e-30): below 1e-6 per case.
// The check: the variance recomputed here from the forward cache (xt::variance, a
// different summation order: n u relative) is within tol of 1.

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "nn/lsuv.hpp"
#include "nn/nn_testing.hpp"

namespace initlab::nn {
namespace {

using Kind = Activation::Kind;

RC_GTEST_PROP(Lsuv, EveryLayerEndsInsideItsTolerance, ()) {
  const std::size_t depth = *rc::gen::inRange<std::size_t>(1, 21).as("depth");
  NetworkConfig c;
  c.widths = *rc::gen::container<std::vector<std::size_t>>(
                  depth + 1, rc::gen::inRange<std::size_t>(16, 129))
                  .as("widths n_0..n_L");
  const Kind kind = *rc::gen::element(Kind::linear, Kind::tanh, Kind::relu).as("activation");
  c.activations = {Activation{kind, 0.0}};
  c.inits = {"orthogonal"};
  const double bias_std = *rc::gen::element(0.0, 0.1, 0.2).as("bias std");
  c.bias_init = bias_std > 0.0 ? "normal:" + std::to_string(bias_std) : "zeros";
  c.seed = *rc::gen::arbitrary<std::uint64_t>().as("seed");
  const std::size_t batch = *rc::gen::inRange<std::size_t>(8, 65).as("batch");
  const double tol = *rc::gen::element(0.01, 0.05, 0.1).as("tol");
  Network<double> net(c);
  const Matrix<double> x = testing::random_matrix(batch, c.widths.front(), c.seed, -2.0, 2.0);
  const std::vector<LsuvLayer> r = lsuv(net, x, Lsuv{tol, 10});
  RC_ASSERT(r.size() == depth);
  const double rounding = 1e-12;  // >> n u for n <= 128 * 64 entries
  for (std::size_t l = 1; l <= depth; ++l) {
    const double v = xt::variance(net.cache()[l - 1].h)();
    RC_LOG() << "layer " << l << ": Var(h) " << v << " after " << r[l - 1].rescalings
             << " rescalings, tol " << tol << "\n";
    RC_ASSERT(r[l - 1].converged);
    RC_ASSERT(std::abs(v - 1.0) <= tol + rounding);
    RC_ASSERT(std::abs(v - r[l - 1].variance) <= rounding);
    if (bias_std == 0.0) RC_ASSERT(r[l - 1].rescalings <= 1u);
  }
}

}  // namespace
}  // namespace initlab::nn
