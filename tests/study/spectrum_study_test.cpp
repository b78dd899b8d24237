// The spectrum study (lib/study/spectrum_study.cpp): its theory columns, default
// start, histogram bookkeeping and validation. The laws it measures are
// properties: tests/properties/spectrum_property_test.cpp.
#include "study/spectrum_study.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <stdexcept>

#include "theory/meanfield.hpp"

namespace initlab::study {
namespace {

using Kind = Activation::Kind;

SpectrumConfig small() {
  SpectrumConfig c;
  c.activations = {Activation{Kind::tanh, 0.0}};
  c.ensembles = {theory::WeightEnsemble::gaussian, theory::WeightEnsemble::orthogonal};
  c.sb2 = 0.05;
  c.width = 32;
  c.depths = {1, 4, 9};
  c.seeds = 2;
  c.seed = 5;
  return c;
}

TEST(SpectrumStudy, TheoryColumnsFollowTheMeanFieldTrajectory) {
  const SpectrumResult r = run_spectrum(small());
  ASSERT_EQ(r.pairs.size(), 2u);
  const Activation f{Kind::tanh, 0.0};
  const double sw2 = theory::critical_sw2(f, 0.05);
  const double qstar = theory::fixed_point(f, sw2, 0.05).q;
  for (const SpectrumPair& p : r.pairs) {
    EXPECT_DOUBLE_EQ(p.sw2, sw2);  // default: the critical sw2 at sb2
    EXPECT_NEAR(sw2 * p.q0 + 0.05, qstar, 1e-12 * qstar);  // q^1 = q*
    ASSERT_EQ(p.rows.size(), 3u);
    for (const SpectrumRow& row : p.rows) {
      const auto th = theory::jacobian_spectrum(f, p.ensemble, sw2, qstar, row.depth);
      EXPECT_NEAR(row.q_theory, qstar, 1e-10);
      EXPECT_NEAR(row.mean_s2_theory, th.mean_s2, 1e-8);
      EXPECT_NEAR(row.var_s2_theory, th.var_s2, 1e-8);
      EXPECT_EQ(row.mean_s2.n, 2u);
      // every singular value of every seed lands in one histogram cell
      EXPECT_EQ(row.log10_s.total(), 2.0 * 32.0);
      EXPECT_LE(row.min_s, row.max_s);
      EXPECT_GT(row.min_s, 0.0);
    }
    EXPECT_FALSE(p.diverged);
  }
  EXPECT_EQ(r.pairs[0].init.rfind("variance_scaling:", 0), 0u) << r.pairs[0].init;
  EXPECT_EQ(r.pairs[1].init.rfind("orthogonal", 0), 0u) << r.pairs[1].init;
}

TEST(SpectrumStudy, SameSeedSameSpectrum) {
  const SpectrumResult a = run_spectrum(small()), b = run_spectrum(small());
  EXPECT_EQ(a.pairs[1].rows[2].mean_s2.mean, b.pairs[1].rows[2].mean_s2.mean);
  EXPECT_EQ(a.pairs[1].rows[2].max_s, b.pairs[1].rows[2].max_s);
}

// A chaotic linear net (orthogonal, gain 2): s = 2^L for every singular value, so
// s^2 leaves the double range past L = 511 and J itself past L = 1023. Both are
// reported as diverged, not as numbers; the theory's mean overflows too.
TEST(SpectrumStudy, OverflowIsReportedAsDiverged) {
  SpectrumConfig c = small();
  c.activations = {Activation{Kind::linear, 0.0}};
  c.ensembles = {theory::WeightEnsemble::orthogonal};
  c.sw2 = 4.0;
  c.sb2 = 0.0;
  c.width = 8;
  c.depths = {10, 600, 1100};
  const SpectrumPair p = run_spectrum(c).pairs.at(0);
  EXPECT_TRUE(p.diverged);
  EXPECT_NEAR(p.rows[0].max_s, std::pow(2.0, 10), 1e-9);
  EXPECT_NEAR(p.rows[0].min_s, std::pow(2.0, 10), 1e-9);
  EXPECT_EQ(p.rows[0].mean_s2.n, 2u);
  for (std::size_t k : {1u, 2u}) {
    EXPECT_EQ(p.rows[k].mean_s2.n, 0u);
    EXPECT_TRUE(std::isnan(p.rows[k].max_s));
    EXPECT_FALSE(std::isfinite(p.rows[k].mean_s2_theory));
  }
}

TEST(SpectrumStudy, ValidateNamesTheBadValue) {
  auto bad = [](auto edit) {
    SpectrumConfig c = small();
    edit(c);
    return c;
  };
  EXPECT_THROW(validate(bad([](SpectrumConfig& c) { c.depths = {3, 3}; })), std::invalid_argument);
  EXPECT_THROW(validate(bad([](SpectrumConfig& c) { c.depths = {}; })), std::invalid_argument);
  EXPECT_THROW(validate(bad([](SpectrumConfig& c) { c.depths = {0, 2}; })), std::invalid_argument);
  EXPECT_THROW(validate(bad([](SpectrumConfig& c) { c.width = 0; })), std::invalid_argument);
  EXPECT_THROW(validate(bad([](SpectrumConfig& c) { c.seeds = 0; })), std::invalid_argument);
  EXPECT_THROW(validate(bad([](SpectrumConfig& c) { c.sw2 = -1.0; })), std::invalid_argument);
  EXPECT_THROW(validate(bad([](SpectrumConfig& c) { c.sb2 = -1.0; })), std::invalid_argument);
  EXPECT_THROW(validate(bad([](SpectrumConfig& c) { c.q0 = 0.0; })), std::invalid_argument);
  EXPECT_THROW(validate(bad([](SpectrumConfig& c) { c.activations = {}; })), std::invalid_argument);
  try {
    validate(bad([](SpectrumConfig& c) { c.width = 0; }));
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("width = 0"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace initlab::study
