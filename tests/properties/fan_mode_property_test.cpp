// Unequal widths (docs/theory.md §6): variance_scaling in fan_in, fan_out
// and fan_avg mode multiplies the forward per-unit signal by n_{l-1} Var(W^l) per
// layer: 1, n_{l-1}/n_l (telescoping to n_0/n_L) and 2 n_{l-1}/(n_{l-1} + n_l).
//
// The band for this case: with W^l_ij ~ N(0, v_l), given a^{l-1} the units
// h^l_i ~ N(0, v_l |a^{l-1}|^2) are independent, so
//   m_l = |h^l|^2 / n_l = m_{l-1} * (n_{l-1} v_l) * chi2(n_l) / n_l,
// and ln(m_L / m_0) - sum_l ln(n_{l-1} v_l) is again the sum of independent
// ln chi2(n_l)/n_l, l = 1..L: the linear band over the widths n_1..n_L. Its
// failure probability is asserted per case (Chernoff, any batch, <= 7.8e-8).

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

// The width table of docs/theory.md §6: ln of the forward factor n_{l-1} Var(W^l) at scale 1.
double ln_forward_factor(const std::string& mode, double n_in, double n_out) {
  if (mode == "fan_in") return 0.0;
  if (mode == "fan_out") return std::log(n_in / n_out);
  return std::log(2.0 * n_in / (n_in + n_out));
}

std::string gen_mode() { return *rc::gen::element<std::string>("fan_in", "fan_out", "fan_avg").as("mode"); }

std::string normal_spec(const std::string& mode) {
  return "variance_scaling:scale=1,mode=" + mode + ",distribution=normal";
}

RC_GTEST_PROP(FanModes, ForwardFollowsWidthTable, ()) {
  const std::size_t depth = gen_size("depth", 2, 50);
  const std::vector<std::size_t> widths = gen_widths(depth, 64, 512);
  const std::string mode = gen_mode();
  const std::size_t batch = gen_size("batch", 1, 64);
  const std::uint64_t seed = gen_seed();
  const auto factors = forward_factor_widths(widths);
  RC_ASSERT(linear_false_alarm_log_bound(factors) <= kLogCaseFailure);

  // The prediction, from the table; it must agree with lib/theory's weight variances
  // (for fan_out the sum telescopes to ln(n_0 / n_L)).
  const std::vector<double> v = theory::weight_variances(1.0, widths, mode);
  double ln_p = 0.0;
  for (std::size_t l = 1; l <= depth; ++l) {
    const double n_in = static_cast<double>(widths[l - 1]), n_out = static_cast<double>(widths[l]);
    const double f = ln_forward_factor(mode, n_in, n_out);
    RC_ASSERT(std::abs(f - std::log(n_in * v[l - 1])) <= 1e-12);
    ln_p += f;
  }

  auto net = make_network<float>(widths, "linear", normal_spec(mode), seed);
  const double d = forward_log_ratio(net, gaussian_inputs<float>(batch, widths[0], seed)) - ln_p;
  const Band band = linear_band(factors);
  RC_LOG() << mode << ": ln p = " << ln_p << ", d = " << d << ", band [" << band.lo() << ", "
           << band.hi() << "]\n";
  RC_ASSERT(band.contains(d));
}

}  // namespace
}  // namespace initlab::properties
