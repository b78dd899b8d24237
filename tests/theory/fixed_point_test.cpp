// Fixed points, depth scales and the edge of chaos (lib/theory/fixed_point.cpp)
// against docs/theory.md §5 (Schoenholz et al. 2017 section 3).
#include <gtest/gtest.h>

#include <cmath>

#include "theory/meanfield.hpp"

namespace initlab::theory {
namespace {

using Kind = Activation::Kind;
Activation act(Kind k, double slope = 0.01) { return Activation{k, slope}; }

TEST(FixedPoint, TanhChaotic) {
  const FixedPoint p = fixed_point(act(Kind::tanh), 2.0, 0.0);
  EXPECT_EQ(p.kind, FixedPointKind::positive);
  EXPECT_NEAR(p.q, 0.6180, 5e-5);
  EXPECT_NEAR(p.chi1, 1.106, 5e-4);
  EXPECT_NEAR(length_map(act(Kind::tanh), 2.0, 0.0, p.q), p.q, 1e-14);
  EXPECT_FALSE(p.xi_c.has_value());  // chaotic: no ordered-phase xi_c
  EXPECT_TRUE(p.xi_q.has_value());   // q still converges
  // The same point is reached from below and from above.
  EXPECT_NEAR(fixed_point(act(Kind::tanh), 2.0, 0.0, 1e-3).q, p.q, 1e-13);
  EXPECT_NEAR(fixed_point(act(Kind::tanh), 2.0, 0.0, 50.0).q, p.q, 1e-13);
}

TEST(FixedPoint, TanhOrdered) {
  const FixedPoint p = fixed_point(act(Kind::tanh), 1.5, 0.05);
  EXPECT_EQ(p.kind, FixedPointKind::positive);
  EXPECT_NEAR(p.q, 0.4180, 5e-5);
  EXPECT_NEAR(p.chi1, 0.939, 5e-4);
  ASSERT_TRUE(p.xi_c.has_value());
  EXPECT_NEAR(*p.xi_c, 15.8, 0.05);
  EXPECT_NEAR(*p.xi_c, -1.0 / std::log(p.chi1), 1e-12);
}

// Iterating the map converges to q* with |q^{l+1} - q*| / |q^l - q*| -> exp(-1/xi_q).
TEST(FixedPoint, IterationAgreesAndConvergesAtRateXiQ) {
  const Activation f = act(Kind::tanh);
  const FixedPoint p = fixed_point(f, 1.5, 0.05, 3.0);
  ASSERT_TRUE(p.xi_q.has_value());
  double q = 3.0;
  double prev_gap = 0.0, ratio = 0.0;
  for (int l = 0; l < 25; ++l) {
    q = length_map(f, 1.5, 0.05, q);
    const double gap = q - p.q;
    if (l > 0) ratio = gap / prev_gap;
    prev_gap = gap;
  }
  // After 25 steps the gap is ~1e-7, so the ratio's own second-order error is ~1e-7.
  EXPECT_NEAR(ratio, std::exp(-1.0 / *p.xi_q), 1e-5);
  for (int l = 0; l < 2000; ++l) q = length_map(f, 1.5, 0.05, q);
  EXPECT_NEAR(q, p.q, 1e-13);
}

TEST(FixedPoint, TanhWithoutBiasDecaysToZero) {
  for (double sw2 : {0.5, 1.0}) {
    const FixedPoint p = fixed_point(act(Kind::tanh), sw2, 0.0);
    EXPECT_EQ(p.kind, FixedPointKind::zero);
    EXPECT_EQ(p.q, 0.0);
    EXPECT_EQ(p.chi1, sw2);  // phi'(0)^2 = 1
  }
  EXPECT_FALSE(fixed_point(act(Kind::tanh), 1.0, 0.0).xi_c.has_value());  // critical
  EXPECT_NEAR(*fixed_point(act(Kind::tanh), 0.5, 0.0).xi_c, 1.0 / std::log(2.0), 1e-15);
  // Barely chaotic: q* ~ (sw2 - 1)/2 is tiny but found.
  const FixedPoint p = fixed_point(act(Kind::tanh), 1.0 + 1e-6, 0.0);
  EXPECT_EQ(p.kind, FixedPointKind::positive);
  EXPECT_NEAR(p.q / 5e-7, 1.0, 1e-5);
}

TEST(FixedPoint, HomogeneousFamily) {
  const FixedPoint he = fixed_point(act(Kind::relu), 2.0, 0.0, 1.3);
  EXPECT_EQ(he.kind, FixedPointKind::marginal);
  EXPECT_EQ(he.q, 1.3);
  EXPECT_EQ(he.chi1, 1.0);
  const FixedPoint ordered = fixed_point(act(Kind::relu), 1.0, 0.1);
  EXPECT_EQ(ordered.kind, FixedPointKind::positive);
  EXPECT_NEAR(ordered.q, 0.2, 1e-15);  // sb2 / (1 - sw2/2)
  EXPECT_EQ(ordered.chi1, 0.5);
  const FixedPoint exploding = fixed_point(act(Kind::relu), 3.0, 0.0);
  EXPECT_EQ(exploding.kind, FixedPointKind::none);
  EXPECT_TRUE(std::isnan(exploding.q));
  EXPECT_EQ(exploding.chi1, 1.5);
  EXPECT_EQ(fixed_point(act(Kind::linear), 1.0, 0.1).kind, FixedPointKind::none);
  EXPECT_EQ(fixed_point(act(Kind::linear), 0.5, 0.0).kind, FixedPointKind::zero);
}

TEST(FixedPoint, SigmoidHasAPositiveFixedPoint) {
  const Activation f = act(Kind::sigmoid);
  const FixedPoint p = fixed_point(f, 4.0, 0.0);
  EXPECT_EQ(p.kind, FixedPointKind::positive);
  EXPECT_NEAR(length_map(f, 4.0, 0.0, p.q), p.q, 1e-14);
  EXPECT_LT(p.chi1, 1.0);
}

// docs/theory.md §5.5: tanh critical line chi_1(q*(sw2, sb2)) = 1.
TEST(Critical, TanhCriticalLineTable) {
  const double sb2[] = {1e-4, 1e-3, 0.01, 0.05, 0.1, 0.2, 0.5};
  const double sw2[] = {1.0860, 1.1892, 1.4242, 1.7610, 1.9861, 2.2852, 2.8432};
  for (int i = 0; i < 7; ++i) {
    const double s = critical_sw2(act(Kind::tanh), sb2[i]);
    EXPECT_NEAR(s, sw2[i], 5e-5) << sb2[i];
    EXPECT_NEAR(fixed_point(act(Kind::tanh), s, sb2[i]).chi1, 1.0, 1e-9) << sb2[i];
  }
}

TEST(Critical, ClosedFormsAndGain) {
  EXPECT_EQ(critical_sw2(act(Kind::linear)), 1.0);
  EXPECT_EQ(critical_sw2(act(Kind::relu)), 2.0);
  EXPECT_EQ(critical_sw2(act(Kind::relu), 0.3), 2.0);  // chi_1 = sw2/2 for every q
  EXPECT_DOUBLE_EQ(critical_sw2(act(Kind::leaky_relu, 0.2)), 2.0 / 1.04);
  EXPECT_EQ(critical_sw2(act(Kind::tanh)), 1.0);
  const double s = critical_sw2(act(Kind::sigmoid));
  EXPECT_GT(s, 16.0);  // sigmoid'(0)^2 = 1/16 bounds chi_1 <= sw2/16
  EXPECT_NEAR(fixed_point(act(Kind::sigmoid), s, 0.0).chi1, 1.0, 1e-9);
}

TEST(FixedPoint, RejectsBadInput) {
  EXPECT_THROW(fixed_point(act(Kind::tanh), -1.0, 0.0), std::invalid_argument);
  EXPECT_THROW(fixed_point(act(Kind::tanh), 1.0, std::nan("")), std::invalid_argument);
  EXPECT_THROW(critical_sw2(act(Kind::tanh), -0.1), std::invalid_argument);
  EXPECT_EQ(to_string(FixedPointKind::marginal), "marginal");
}

}  // namespace
}  // namespace initlab::theory
