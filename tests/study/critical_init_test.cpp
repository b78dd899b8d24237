// The critical initializer (lib/study/critical_init.cpp): sw2 on the critical line
// for every activation, where none exists, and the specs it writes round-trip
// through the init registry to the exact double.
#include "study/critical_init.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <variant>

#include "init/initializer.hpp"

namespace initlab::study {
namespace {

using Kind = Activation::Kind;
Activation act(Kind k, double slope = 0.01) { return Activation{k, slope}; }

// parse(spec) draws exactly what the critical point says: scale == sw2 bit for
// bit, Gaussian, fan_in; the canonical spec of the parsed rule is the spec itself.
void expect_round_trip(const CriticalInit& c) {
  const init::Initializer w = init::parse(c.weight_spec);
  const auto* vs = std::get_if<init::VarianceScaling>(&w.rule());
  ASSERT_NE(vs, nullptr) << c.weight_spec;
  EXPECT_EQ(vs->scale, c.sw2) << c.weight_spec;
  EXPECT_EQ(vs->mode, init::FanMode::fan_in);
  EXPECT_EQ(vs->distribution, init::Distribution::normal);
  EXPECT_EQ(init::spec_of(w.rule()), c.weight_spec);
  EXPECT_DOUBLE_EQ(w.moments(FanShape{64, 256}).variance, c.sw2 / 256.0);
  const init::Initializer o = init::parse(c.orthogonal_spec);
  const auto* orth = std::get_if<init::Orthogonal>(&o.rule());
  ASSERT_NE(orth, nullptr) << c.orthogonal_spec;
  EXPECT_EQ(orth->gain, c.gain);
  EXPECT_NEAR(o.moments(FanShape{256, 256}).variance, c.sw2 / 256.0, 1e-15 * c.sw2);
  const init::Initializer b = init::parse(c.bias_spec);
  EXPECT_DOUBLE_EQ(b.moments(FanShape{64, 1}).variance, c.sb2) << c.bias_spec;
}

// No crossing (gelu: chi_1(q*) jumps across 1) and a crossing without a fixed point
// (relu with a bias) are both "none", with the reason; sb2 given directly is the same.
TEST(CriticalInit, NoneWhereChi1NeverCrossesOrQGrows) {
  const CriticalInit g = critical_init(act(Kind::gelu), 0.0);
  EXPECT_FALSE(g.exists);
  EXPECT_TRUE(std::isnan(g.sw2));
  EXPECT_NE(g.reason.find("jumps across 1"), std::string::npos) << g.reason;
  EXPECT_TRUE(g.weight_spec.empty());
  const CriticalInit r = critical_init_sb2(act(Kind::relu), 0.1);
  EXPECT_FALSE(r.exists);
  EXPECT_EQ(r.sw2, 2.0);
  EXPECT_NE(r.reason.find("no fixed point"), std::string::npos) << r.reason;
  const CriticalInit t = critical_init_sb2(act(Kind::tanh), 0.05);
  EXPECT_TRUE(t.exists);
  EXPECT_EQ(t.sb2, 0.05);
  EXPECT_EQ(t.sw2, theory::critical_sw2(act(Kind::tanh), 0.05));
  EXPECT_THROW(critical_init_sb2(act(Kind::tanh), -0.1), std::invalid_argument);
}

TEST(CriticalInit, TanhWithBiasIsOnTheCriticalLine) {
  for (double s : {0.01, 0.1, 0.2236, 0.5, 1.0}) {
    const CriticalInit c = critical_init(act(Kind::tanh), s);
    EXPECT_TRUE(c.exists);
    EXPECT_TRUE(c.reason.empty());
    EXPECT_EQ(c.sb2, s * s);
    EXPECT_EQ(c.sw2, theory::critical_sw2(act(Kind::tanh), s * s));
    EXPECT_EQ(c.gain, std::sqrt(c.sw2));
    EXPECT_EQ(c.fixed.kind, theory::FixedPointKind::positive);
    EXPECT_NEAR(c.fixed.chi1, 1.0, 1e-9) << "bias std " << s;
    EXPECT_NEAR(theory::chi1(act(Kind::tanh), c.sw2, c.fixed.q), 1.0, 1e-9);
    expect_round_trip(c);
  }
  // docs/theory.md §5.5's table: sb2 = 0.05 -> 1.7610
  EXPECT_NEAR(critical_init(act(Kind::tanh), std::sqrt(0.05)).sw2, 1.7610, 5e-5);
}

TEST(CriticalInit, EveryActivationWithoutBias) {
  const CriticalInit lin = critical_init(act(Kind::linear), 0.0);
  EXPECT_EQ(lin.sw2, 1.0);
  EXPECT_EQ(lin.weight_spec, "variance_scaling:scale=1,mode=fan_in,distribution=normal");
  EXPECT_EQ(lin.bias_spec, "zeros");
  const CriticalInit relu = critical_init(act(Kind::relu), 0.0);
  EXPECT_EQ(relu.sw2, 2.0);
  EXPECT_TRUE(relu.exists);
  EXPECT_EQ(relu.fixed.kind, theory::FixedPointKind::marginal);
  const CriticalInit leaky = critical_init(act(Kind::leaky_relu, 0.2), 0.0);
  EXPECT_DOUBLE_EQ(leaky.sw2, 2.0 / 1.04);
  const CriticalInit tanh = critical_init(act(Kind::tanh), 0.0);
  EXPECT_EQ(tanh.sw2, 1.0);
  EXPECT_TRUE(tanh.exists);
  EXPECT_EQ(tanh.fixed.kind, theory::FixedPointKind::zero);  // critical at q* = 0
  const CriticalInit sig = critical_init(act(Kind::sigmoid), 0.1);
  EXPECT_GT(sig.sw2, 16.0);
  EXPECT_NEAR(sig.fixed.chi1, 1.0, 1e-9);
  for (const CriticalInit& c : {lin, relu, leaky, tanh, sig}) {
    EXPECT_TRUE(c.exists) << c.activation.name();
    expect_round_trip(c);
  }
}

// The linear/ReLU family with a bias: chi_1 = 1 only at sw2 = 1/E[phi'^2], where
// q^l = q^{l-1} + sb2 grows without bound, so there is no critical point.
TEST(CriticalInit, NoCriticalPointForTheReluFamilyWithBias) {
  for (Activation f : {act(Kind::relu), act(Kind::linear), act(Kind::leaky_relu, 0.1)}) {
    const CriticalInit c = critical_init(f, 0.1);
    EXPECT_FALSE(c.exists) << f.name();
    EXPECT_EQ(c.fixed.kind, theory::FixedPointKind::none);
    EXPECT_NE(c.reason.find("no fixed point"), std::string::npos) << c.reason;
    EXPECT_NE(c.reason.find(f.name()), std::string::npos) << c.reason;
  }
}

TEST(CriticalInit, RejectsABadBiasStd) {
  EXPECT_THROW(critical_init(act(Kind::tanh), -0.1), std::invalid_argument);
  EXPECT_THROW(critical_init(act(Kind::tanh), NAN), std::invalid_argument);
  EXPECT_THROW(critical_init(act(Kind::tanh), INFINITY), std::invalid_argument);
}

}  // namespace
}  // namespace initlab::study
