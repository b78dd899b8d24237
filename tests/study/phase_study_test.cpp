// The phase study (lib/study/phase_study.cpp): the depth-scale fit, the theory
// columns, validation, and measured values on cases where they are sharp.
#include "study/phase_study.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "theory/pair_trajectory.hpp"

namespace initlab::study {
namespace {

PhaseConfig small(double sw2, double sb2) {
  PhaseConfig c;
  c.sw2s = {sw2};
  c.sb2s = {sb2};
  c.width = 64;
  c.depth = 12;
  c.seeds = 2;
  c.pairs = 2;
  c.seed = 3;
  return c;
}

TEST(PhaseStudy, FitRecoversAnExactGeometricRate) {
  std::vector<double> y;
  for (int k = 0; k < 9; ++k) y.push_back(0.7 - k / 4.5);
  EXPECT_NEAR(fit_depth_scale(y), 4.5, 1e-12);
  EXPECT_TRUE(std::isnan(fit_depth_scale({1.0})));
  EXPECT_TRUE(std::isnan(fit_depth_scale({1.0, 2.0, 3.0})));  // growing: no decay scale
}

TEST(PhaseStudy, TheoryColumnsComeFromThePairTrajectory) {
  const PhaseConfig c = small(1.5, 0.1);
  const PhaseResult r = run_phase(c);
  ASSERT_EQ(r.cells.size(), 1u);
  const PhaseCell& x = r.cells[0];
  // Default start: E[x^2] = (q* - sb2)/sw2, so q^1 = q*.
  EXPECT_NEAR(1.5 * x.q0 + 0.1, x.fixed.q, 1e-14);
  const auto th = theory::pair_trajectory(c.activation, 1.5, 0.1, x.q0, c.c0, c.depth);
  EXPECT_DOUBLE_EQ(x.q_theory, th.back().q);
  EXPECT_DOUBLE_EQ(x.c_theory, th.back().c);
  EXPECT_NEAR(x.q_theory, x.fixed.q, 1e-12);  // stays at q*
  ASSERT_EQ(x.c_layers.size(), c.depth);
  EXPECT_EQ(x.c_layers_theory.size(), c.depth);
  EXPECT_EQ(x.q.n, 2u);
  EXPECT_FALSE(x.diverged);
}

// A linear network with sw2 = 1, sb2 = 0: the perturbation growth |W t|^2 / |t|^2
// per layer is chi^2_n / n, so ln chi_1 measured is a mean of L - 1 = 11 terms
// with mean ~ -1/n and sd sqrt(2 / n) each: sd 0.053 for the mean at n = 64;
// 0.35 is 6.6 sd (two-sided Gaussian tail 4e-11).
TEST(PhaseStudy, LinearPerturbationGrowthIsNearOne) {
  PhaseConfig c = small(1.0, 0.0);
  c.activation = Activation{Activation::Kind::linear, 0.01};
  const PhaseResult r = run_phase(c);
  EXPECT_NEAR(std::log(r.cells[0].chi1.mean), 0.0, 0.35);
  EXPECT_DOUBLE_EQ(r.cells[0].chi1_theory, 1.0);
  EXPECT_EQ(r.cells[0].fixed.phase, theory::CorrelationPhase::scale_free);
  EXPECT_TRUE(std::isnan(r.cells[0].xi_c.mean));  // no finite scale to fit
}

TEST(PhaseStudy, SeedsReproduce) {
  const PhaseResult a = run_phase(small(2.0, 0.05));
  const PhaseResult b = run_phase(small(2.0, 0.05));
  EXPECT_EQ(a.cells[0].c_layers, b.cells[0].c_layers);
  EXPECT_EQ(a.cells[0].chi1.mean, b.cells[0].chi1.mean);
}

TEST(PhaseStudy, RejectsBadConfigs) {
  PhaseConfig c = small(1.0, 0.0);
  c.sw2s = {};
  EXPECT_THROW(validate(c), std::invalid_argument);
  c = small(-1.0, 0.0);
  EXPECT_THROW(validate(c), std::invalid_argument);
  c = small(1.0, -0.1);
  EXPECT_THROW(validate(c), std::invalid_argument);
  c = small(1.0, 0.0);
  c.depth = 1;
  EXPECT_THROW(validate(c), std::invalid_argument);
  c = small(1.0, 0.0);
  c.c0 = 1.0;
  EXPECT_THROW(validate(c), std::invalid_argument);
  c = small(1.0, 0.0);
  c.q0 = 0.0;
  EXPECT_THROW(validate(c), std::invalid_argument);
}

}  // namespace
}  // namespace initlab::study
