// docs/theory.md §9-§10: the forward signal of a finite-width Gaussian net stays in
// the k = 6.5 band around its mean-field prediction. Tolerances: tolerance.hpp
// section 1. Float is enough here: rounding moves d by ~L * 1e-7, four orders below
// the narrowest half-width (0.41 at n = 512, L = 2).

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <cstddef>
#include <vector>

#include "nn/activation.hpp"
#include "properties/harness.hpp"
#include "properties/relu_law.hpp"
#include "properties/tolerance.hpp"
#include "theory/meanfield.hpp"

namespace initlab::properties {
namespace {

// Linear + lecun_normal (the note's Xavier, N(0, 1/n_{l-1})): p_L = q0 and
// m_L / q0 = prod chi2(n_l)/n_l. Widths drawn per layer in [64, 512].
// Failure probability per case: <= 4.5e-9 for one input (exact), and the Chernoff
// bound asserted below (<= 7.8e-8) for any batch.
RC_GTEST_PROP(ForwardBand, LinearLecunNormalKeepsSignal, ()) {
  const std::size_t depth = gen_size("depth", 2, 50);
  const std::vector<std::size_t> widths = gen_widths(depth, 64, 512);
  const std::size_t batch = gen_size("batch", 1, 64);
  const std::uint64_t seed = gen_seed();
  const auto factors = forward_factor_widths(widths);
  RC_ASSERT(linear_false_alarm_log_bound(factors) <= kLogCaseFailure);

  auto net = make_network<float>(widths, "linear", "lecun_normal", seed);
  const double d = forward_log_ratio(net, gaussian_inputs<float>(batch, widths[0], seed));
  const Band band = linear_band(factors);
  RC_LOG() << "d = " << d << ", band [" << band.lo() << ", " << band.hi() << "]\n";
  RC_ASSERT(band.contains(d));
}

// ReLU + he_normal (N(0, 2/n_{l-1})): p_L = q0 and m_L / q0 = prod (2/n_l) chi2(K_l).
// Failure probability per case: the exact one-input value for the drawn widths
// (relu_law.hpp), asserted <= 1e-6; the worst over the range is 9.1e-7 (n_1 = 64,
// n_2 = 512, L = 2; equal widths at most 2.14e-7), see tolerance.hpp on batches.
RC_GTEST_PROP(ForwardBand, ReluHeNormalKeepsSignal, ()) {
  const std::size_t depth = gen_size("depth", 2, 50);
  const std::vector<std::size_t> widths = gen_widths(depth, 64, 512);
  const std::size_t batch = gen_size("batch", 1, 64);
  const std::uint64_t seed = gen_seed();
  const auto factors = forward_factor_widths(widths);
  const Band band = relu_band(factors);
  const double p_fail = relu_band_outside_probability(factors, band.lo(), band.hi());
  RC_ASSERT(p_fail <= kCaseFailure);

  auto net = make_network<float>(widths, "relu", "he_normal", seed);
  const double d = forward_log_ratio(net, gaussian_inputs<float>(batch, widths[0], seed));
  RC_LOG() << "d = " << d << ", band [" << band.lo() << ", " << band.hi()
           << "], failure probability " << p_fail << "\n";
  RC_ASSERT(band.contains(d));
}

// tanh + lecun_normal follows the tanh length map q^l = E[tanh(sqrt(q^{l-1}) z)^2]
// (q^1 = q0), which decays like 1/(2l): p_L = E[tanh(sqrt(q^L) z)^2] from
// lib/theory. The band uses the linear sums (tanh's spread is about 0.6 of
// linear's, docs/theory.md §9.3), so the failure probability is below the linear one
// (<= 4.5e-9 for one input).
RC_GTEST_PROP(ForwardBand, TanhLecunNormalFollowsLengthMap, ()) {
  const std::size_t depth = gen_size("depth", 2, 50);
  const std::size_t width = gen_size("width", 64, 512);
  const std::size_t batch = gen_size("batch", 1, 64);
  const double q0 = *rc::gen::element(0.25, 1.0, 4.0).as("q0");
  const std::uint64_t seed = gen_seed();
  const auto widths = equal_widths(depth, width);

  const Activation tanh = Activation::parse("tanh");
  const theory::Trajectory tr = theory::trajectory(tanh, 1.0, 0.0, q0, depth);
  const double p_last = tr.layers.back().second;
  // Not constant: the prediction falls at every layer, and like 1/(2L): 2 L q^L stays in
  // [0.5, 3] for q0 in [1/4, 4] (docs/theory.md §4 for q^1 = 1: 2 L q^L = 1.58 at L = 2,
  // 1.16 at L = 10, 1.04 at L = 50), where a constant signal would give 2 L q0.
  for (std::size_t l = 1; l < depth; ++l) RC_ASSERT(tr.layers[l].second < tr.layers[l - 1].second);
  const double decay = 2.0 * static_cast<double>(depth) * tr.layers.back().q;
  RC_ASSERT(decay >= 0.5);
  RC_ASSERT(decay <= 3.0);

  auto net = make_network<float>(widths, "tanh", "lecun_normal", seed);
  const auto& out = net.forward(gaussian_inputs<float>(batch, width, seed, q0));
  const std::vector<double> m = row_second_moments(out);
  const std::vector<double> p(batch, p_last);
  const double d = log_mean_ratio(m, p);
  const Band band = linear_band(forward_factor_widths(widths));
  RC_LOG() << "q0 = " << q0 << ", p_L = " << p_last << ", d = " << d << ", band [" << band.lo()
           << ", " << band.hi() << "]\n";
  RC_ASSERT(band.contains(d));
}

}  // namespace
}  // namespace initlab::properties
