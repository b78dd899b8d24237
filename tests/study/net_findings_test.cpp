#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "study/findings.hpp"
#include "study/net_file.hpp"
#include "study/net_variance.hpp"

namespace initlab::study {
namespace {

const Finding& find(const std::vector<Finding>& all, const std::string& id) {
  for (const auto& f : all)
    if (f.id == id) return f;
  throw std::runtime_error("no finding " + id);
}

double number(const Finding& f, const std::string& name) {
  for (const auto& [n, v] : f.numbers)
    if (n == name) return v;
  throw std::runtime_error("no number " + name);
}

// W = 1.5 I: q^l = 2.25^l q0 exactly, so q leaves [q0 / 1e3, q0 1e3] at layer 9
// (2.25^8 = 657, 2.25^9 = 1478), measured and predicted alike.
TEST(NetFindings, DeterministicGrowthBreaksAtItsLayer) {
  NetVarianceConfig c;
  c.net = parse_arch("16-16x12:linear:(identity:1.5)");
  c.batch = 8;
  c.seeds = 2;
  c.dtype = Dtype::float64;
  const auto all = net_variance_findings(run_net_variance(c));
  const Finding& s = find(all, "net_signal_kept");
  EXPECT_FALSE(s.holds);
  EXPECT_EQ(number(s, "break_depth"), 9.0);
  EXPECT_EQ(number(s, "break_depth_theory"), 9.0);
  EXPECT_NEAR(number(s, "growth_per_layer"), 2.25, 1e-9);
  const Finding& g = find(all, "net_gradient_kept");
  EXPECT_FALSE(g.holds);  // 2.25^11 between layer 1 and 12
  EXPECT_NEAR(number(g, "grad2_first_over_last"), std::pow(2.25, 11), 1e-6 * std::pow(2.25, 11));
  EXPECT_TRUE(std::isnan(number(find(all, "net_last_layer_saturated"), "saturated")));  // linear: none can
}

// Synthetic rows: the verdicts follow their thresholds.
NetVarianceResult rows(double z, double saturated) {
  NetVarianceResult r;
  r.name = "synthetic";
  r.q0 = {0.0, 0.0, 0.0, 0.0, 0.0};
  for (std::size_t l = 1; l <= 3; ++l) {
    NetLayerRow row;
    row.layer = l;
    row.activation = l == 3 ? "selu" : "tanh";  // selu's negative side is not saturation
    row.q = row.grad2 = {0.0, 0.0, 0.0, 0.0, 0.0};
    row.saturated = {l == 2 ? saturated : l == 3 ? 0.9 : std::numeric_limits<double>::quiet_NaN(), 0.0, 0.0, 0.0};
    row.z_sem_q = l == 3 ? std::optional<double>(z) : std::nullopt;
    r.rows.push_back(row);
  }
  return r;
}

TEST(NetFindings, AgreementAndSaturationFollowTheirThresholds) {
  const auto ok = net_variance_findings(rows(thresholds::kAgreeZ * 0.99, 0.4));
  EXPECT_TRUE(find(ok, "net_theory_agrees").holds);
  EXPECT_TRUE(find(ok, "net_signal_kept").holds);
  EXPECT_TRUE(find(ok, "net_gradient_kept").holds);
  EXPECT_FALSE(find(ok, "net_last_layer_saturated").holds);
  EXPECT_EQ(number(find(ok, "net_last_layer_saturated"), "layer"), 2.0);  // layer 3 cannot saturate
  const auto bad = net_variance_findings(rows(thresholds::kAgreeZ * 1.01, 0.6));
  EXPECT_FALSE(find(bad, "net_theory_agrees").holds);
  EXPECT_EQ(number(find(bad, "net_theory_agrees"), "at_layer"), 3.0);
  EXPECT_TRUE(find(bad, "net_last_layer_saturated").holds);
}

}  // namespace
}  // namespace initlab::study
