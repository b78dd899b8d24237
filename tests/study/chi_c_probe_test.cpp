// The chi_c probe (lib/study/chi_c_probe.hpp): its accumulator, the derivative bounds,
// and, on fixed seeds, its band around the theory's chi_c where the property
// (phase_study_property_test.cpp) does not go: a bias (c* > 0, pairs sharing b_j) and
// the ordered phase (c* = 1, chi_c = chi_1). Each band check fails with probability at
// most kChiCBandFailure = 1e-6 (docs/theory.md §33).
#include "study/chi_c_probe.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "study/phase_study.hpp"

namespace initlab::study {
namespace {

TEST(ChiCProbe, BlocksMergeToTheSampleMeanAndVariance) {
  const std::vector<double> a{0.5, 0.9, 0.1}, b{0.7}, c{0.2, 0.4};
  ChiCProbe p;
  p.add(a);
  p.add(b);
  p.add(std::vector<double>{});
  p.add(c);
  const std::vector<double> all{0.5, 0.9, 0.1, 0.7, 0.2, 0.4};
  double m = 0.0, v = 0.0;
  for (double x : all) m += x / 6.0;
  for (double x : all) v += (x - m) * (x - m) / 5.0;
  EXPECT_EQ(p.groups, 6u);
  EXPECT_NEAR(p.mean, m, 1e-15);
  EXPECT_NEAR(p.variance(), v, 1e-15);
  EXPECT_TRUE(std::isnan(ChiCProbe{}.variance()));
}

TEST(ChiCProbe, DerivativeBoundsAndDepthScale) {
  EXPECT_EQ((*derivative_bounds(Activation{Activation::Kind::tanh, 0.0}))[1], 1.0);
  EXPECT_EQ((*derivative_bounds(Activation{Activation::Kind::sigmoid, 0.0}))[1], 0.25);
  EXPECT_EQ((*derivative_bounds(Activation{Activation::Kind::leaky_relu, 0.2}))[0], 0.2);
  EXPECT_FALSE(derivative_bounds(Activation{Activation::Kind::gelu, 0.0}));
  EXPECT_FALSE(derivative_bounds(Activation{Activation::Kind::leaky_relu, -0.5}));
  EXPECT_EQ(depth_scale_of(0.0), 0.0);
  EXPECT_TRUE(std::isinf(depth_scale_of(1.0)));
  EXPECT_NEAR(depth_scale_of(std::exp(-0.1)), 10.0, 1e-12);
}

PhaseCell one_cell(double sw2, double sb2) {
  PhaseConfig c;
  c.activation = Activation{Activation::Kind::tanh, 0.0};
  c.sw2s = {sw2};
  c.sb2s = {sb2};
  c.width = 128;
  c.depth = 8;
  c.seeds = 2;
  c.pairs = 1;
  c.probe_pairs = 64;
  c.seed = 20261201;
  return run_phase(c).cells.at(0);
}

TEST(ChiCProbe, BandHoldsWithABias) {
  const PhaseCell x = one_cell(3.0, 0.05);
  ASSERT_EQ(x.fixed.phase, theory::CorrelationPhase::chaotic);
  ASSERT_GT(x.fixed.c, 0.0);
  const ChiCBand& b = x.chi_c_probe;
  EXPECT_EQ(b.groups, 128u * 8u * 2u);  // sb2 > 0: one group per unit
  EXPECT_TRUE(b.contains(x.fixed.chi_c)) << b.chi_c << " +- " << b.half << " vs " << x.fixed.chi_c;
  EXPECT_LE(b.xi_lo, x.xi_c_theory);
  EXPECT_GE(b.xi_hi, x.xi_c_theory);
}

TEST(ChiCProbe, OrderedPhaseMeasuresChi1) {
  const PhaseCell x = one_cell(1.2, 0.05);
  ASSERT_EQ(x.fixed.phase, theory::CorrelationPhase::ordered);
  EXPECT_EQ(x.fixed.chi_c, x.fixed.chi1);
  EXPECT_TRUE(x.chi_c_probe.contains(x.fixed.chi1))
      << x.chi_c_probe.chi_c << " +- " << x.chi_c_probe.half << " vs " << x.fixed.chi1;
}

TEST(ChiCProbe, NotMeasuredWithoutAFiniteScale) {
  const PhaseCell x = one_cell(1.0, 0.0);  // tanh, q* = 0: scale-free
  EXPECT_EQ(x.chi_c_probe.groups, 0u);
  EXPECT_TRUE(std::isnan(x.chi_c_probe.chi_c));
  EXPECT_TRUE(std::isnan(x.chi_c_probe.half));
}

}  // namespace
}  // namespace initlab::study
