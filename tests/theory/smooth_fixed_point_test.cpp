// Fixed points, edges of chaos, the q-preserving gain and deep trajectories of the
// smooth activations gelu, selu, silu, erf, softplus (lib/theory/fixed_point.cpp,
// trajectory.cpp; docs/theory.md §23).
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>

#include "theory/meanfield.hpp"
#include "theory/scalar_activation.hpp"

namespace initlab::theory {
namespace {

using Kind = Activation::Kind;

// sw2 = (q - sb2) / V(q) puts q on the length map exactly (to rounding of one map step).
TEST(FixedQGain, KeepsQFixed) {
  EXPECT_EQ(fixed_q_sw2(Activation{Kind::relu}), 2.0);
  EXPECT_EQ(fixed_q_sw2(Activation{Kind::linear}), 1.0);
  EXPECT_NEAR(fixed_q_sw2(Activation{Kind::selu}), 1.0, 4e-15);  // Klambauer: V(1) = 1
  for (int k = 0; k < Activation::kKinds; ++k) {
    const Activation f{static_cast<Kind>(k), 0.2};
    for (double sb2 : {0.0, 0.3}) {
      const double s = fixed_q_sw2(f, 1.0, sb2);
      EXPECT_NEAR(length_map(f, s, sb2, 1.0), 1.0, 4e-16) << f.name() << ' ' << sb2;
    }
  }
  EXPECT_THROW(fixed_q_sw2(Activation{Kind::tanh}, 0.5, 0.5), std::invalid_argument);
  EXPECT_THROW(fixed_q_sw2(Activation{Kind::tanh}, 1.0, -0.1), std::invalid_argument);
}

TEST(CriticalPoint, ErfIsTanhLike) {
  // q* = 0 at sb2 = 0 and chi_1 = sw2 erf'(0)^2 = sw2 4/pi.
  EXPECT_DOUBLE_EQ(critical_sw2(Activation{Kind::erf}), std::numbers::pi / 4.0);
  for (double sb2 : {1e-3, 0.1, 0.5}) {
    const double s = critical_sw2(Activation{Kind::erf}, sb2);
    EXPECT_NEAR(fixed_point(Activation{Kind::erf}, s, sb2).chi1, 1.0, 1e-9) << sb2;
  }
}

TEST(CriticalPoint, ScannedEdgesMeetChiOne) {
  for (double sb2 : {1e-3, 0.1, 0.5}) {
    const CriticalPoint c = critical_point(Activation{Kind::selu}, sb2);
    ASSERT_TRUE(c.exists()) << sb2 << ' ' << c.why_none;
    EXPECT_NEAR(fixed_point(Activation{Kind::selu}, c.sw2, sb2).chi1, 1.0, 1e-6) << sb2;
  }
  const CriticalPoint g = critical_point(Activation{Kind::gelu}, 0.5);
  ASSERT_TRUE(g.exists()) << g.why_none;
  EXPECT_NEAR(fixed_point(Activation{Kind::gelu}, g.sw2, 0.5).chi1, 1.0, 1e-6);
}

// gelu at sb2 = 0: below sw2 ~ 2.35 q^l -> 0 (chi_1 = sw2/4 < 1), above it q^l
// diverges (chi_1 -> sw2/2 > 1): chi_1 jumps across 1, there is no edge. softplus:
// chi_1(q*) < sw2/2 < 1 for sw2 < 2 and q^l diverges above: the edge is only reached
// as q* -> infinity. Both are reported as no edge, with the reason, and
// critical_sw2 throws naming it.
TEST(CriticalPoint, NoEdgeIsReportedWithItsReason) {
  const CriticalPoint g = critical_point(Activation{Kind::gelu}, 0.0);
  EXPECT_FALSE(g.exists());
  EXPECT_NE(g.why_none.find("jumps"), std::string::npos) << g.why_none;
  const CriticalPoint s = critical_point(Activation{Kind::softplus}, 0.0);
  EXPECT_FALSE(s.exists());
  EXPECT_NE(s.why_none.find("infinity"), std::string::npos) << s.why_none;
  try {
    critical_sw2(Activation{Kind::gelu}, 0.0);
    FAIL() << "no throw";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("gelu"), std::string::npos) << e.what();
  }
}

TEST(FixedPointSmooth, KindsOfTheUnboundedActivations) {
  const FixedPoint up = fixed_point(Activation{Kind::gelu}, 4.0, 0.0);
  EXPECT_EQ(up.kind, FixedPointKind::none);
  EXPECT_TRUE(std::isnan(up.q));
  EXPECT_DOUBLE_EQ(up.chi1, 2.0);  // sw2 E[phi'^2] at q -> inf: relu's 1/2
  EXPECT_EQ(fixed_point(Activation{Kind::gelu}, 1.0, 0.0).kind, FixedPointKind::zero);
  const FixedPoint sp = fixed_point(Activation{Kind::softplus}, 1.0, 0.0);
  EXPECT_EQ(sp.kind, FixedPointKind::positive);  // softplus(0) = ln 2 feeds q
  EXPECT_NEAR(length_map(Activation{Kind::softplus}, 1.0, 0.0, sp.q), sp.q, 1e-14 * sp.q);
  const FixedPoint se = fixed_point(Activation{Kind::selu}, 1.0, 0.0, 3.0);
  EXPECT_EQ(se.kind, FixedPointKind::positive);
  EXPECT_NEAR(se.q, 1.0, 1e-14);
  ASSERT_TRUE(se.xi_q.has_value());  // attracting: a finite depth scale
}

// Klambauer's fixed point in depth: from q0 = 1 the map stays at 1 (each step's
// rounding is < 4e-16, and errors contract); from q0 = 1/4 or 4 it converges at the
// rate exp(-1/xi_q) = 0.78 per layer, so after 100 layers the distance is below
// 3 * 0.78^100 ~ 5e-11 (asserted: 1e-8, room for the slower nonlinear start).
TEST(TrajectorySmooth, SeluSelfNormalizes) {
  const Activation selu{Kind::selu};
  const Trajectory t = trajectory(selu, 1.0, 0.0, 1.0, 100);
  for (const LayerTheory& y : t.layers) {
    EXPECT_NEAR(y.q, 1.0, 1e-14) << y.layer;
    EXPECT_NEAR(y.mean, 0.0, 1e-14) << y.layer;
  }
  for (double q0 : {0.25, 4.0}) {
    const Trajectory u = trajectory(selu, 1.0, 0.0, q0, 100);
    EXPECT_NEAR(u.layers.back().q, 1.0, 1e-8) << q0;
    EXPECT_NEAR(u.layers.back().variance, 1.0, 1e-8) << q0;
  }
}

// Deep trajectories leave the double range in the log domain without inf: gelu with
// sw2 = 4 doubles q per layer once relu-like (ln q^{l+1} - ln q^l -> ln 2); with
// sw2 = 1 it shrinks by 1/4 per layer near 0 (gelu ~ u/2).
TEST(TrajectorySmooth, LogDomainAtBothEnds) {
  const Trajectory up = trajectory(Activation{Kind::gelu}, 4.0, 0.0, 1.0, 2000);
  const auto& a = up.layers[1998];
  const auto& b = up.layers[1999];
  EXPECT_NEAR(b.ln_q - a.ln_q, std::numbers::ln2, 1e-9);
  EXPECT_TRUE(b.overflow);
  const Trajectory down = trajectory(Activation{Kind::gelu}, 1.0, 0.0, 1.0, 3000);
  const auto& c = down.layers[2998];
  const auto& d = down.layers[2999];
  EXPECT_NEAR(d.ln_q - c.ln_q, std::log(0.25), 1e-9);
  EXPECT_EQ(d.q, 0.0);
  // The switches (1e250, 1e-150) agree with the closed forms on their near side.
  for (Kind k : {Kind::gelu, Kind::selu, Kind::silu, Kind::softplus}) {
    const Activation f{k};
    const double hi = 1e249;
    const double ratio = second_moment(f, hi) / hi;
    const double unit = k == Kind::selu ? 0.5 * kSeluLambda * kSeluLambda : 0.5;
    EXPECT_NEAR(ratio, unit, 1e-13) << f.name();
  }
  for (Kind k : {Kind::gelu, Kind::selu, Kind::silu, Kind::erf}) {
    const Activation f{k};
    const double lo = 1e-140;
    EXPECT_NEAR(second_moment(f, lo) / lo, moments(f, 0.0).dphi2, 1e-13) << f.name();
  }
}

}  // namespace
}  // namespace initlab::theory
