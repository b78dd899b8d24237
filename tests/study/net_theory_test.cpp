// A NetDescription translated for the mean-field recursion (lib/study/net_theory.cpp):
// sw2 and sb2 from the initializers' moments, as the variance study reads them.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "init/initializer.hpp"
#include "study/net_theory.hpp"

namespace initlab::study {
namespace {

DenseLayer layer(std::size_t width, const char* act, const char* init, const char* bias = "zeros") {
  return DenseLayer{width, Activation::parse(act), init, bias};
}

std::string error_of(const NetDescription& net) {
  try {
    net_architecture(net);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

// The note's MNIST net: the plain trajectory with Var(W^l) from init's moments.
TEST(NetTheory, PlainDescriptionIsTheTrajectory) {
  NetDescription net{"mnist", 784, {}};
  for (int l = 0; l < 4; ++l) net.blocks.emplace_back(layer(300, "tanh", "lecun_normal", "normal:0.1"));
  net.blocks.emplace_back(layer(10, "linear", "xavier_normal", "normal:0.1"));
  theory::Architecture arch;
  arch.activations = {Activation::parse("tanh"), Activation::parse("tanh"), Activation::parse("tanh"),
                      Activation::parse("tanh"), Activation::parse("linear")};
  arch.widths = {784, 300, 300, 300, 300, 10};
  for (std::size_t l = 1; l < arch.widths.size(); ++l) {
    const char* spec = l < 5 ? "lecun_normal" : "xavier_normal";
    arch.weight_variance.push_back(init::parse(spec).moments(FanShape{arch.widths[l], arch.widths[l - 1]}).variance);
  }
  arch.sb2 = 0.1 * 0.1;
  arch.q0 = 0.1;
  const theory::Trajectory want = theory::trajectory(arch);
  const theory::NetTrajectory got = net_theory(net, NetTheoryInput{0.1, 0.0, 1.0, true});
  ASSERT_EQ(got.blocks.size(), 5u);
  for (std::size_t l = 0; l < 5; ++l) {
    EXPECT_NEAR(got.blocks[l].layers[0].q, want.layers[l].q, 1e-15 * want.layers[l].q) << l;
    EXPECT_NEAR(got.blocks[l].layers[0].qt, want.layers[l].qt, 1e-13 * want.layers[l].qt) << l;
  }
  EXPECT_NEAR(got.blocks[0].layers[0].sw2, 1.0, 1e-15);
}

// The second moment of an entry counts the mean: identity:1.5 is sw2 = 2.25, and a
// constant bias 0.5 is sb2 = 0.25.
TEST(NetTheory, SecondMomentsIncludeTheMean) {
  NetDescription net{"id", 8, {layer(8, "relu", "identity:1.5", "constant:0.5")}};
  const theory::NetArchitecture a = net_architecture(net);
  const auto& d = std::get<theory::NetDense>(a.blocks[0]);
  EXPECT_NEAR(d.sw2, 2.25, 1e-15);
  EXPECT_NEAR(d.sb2, 0.25, 1e-15);
}

TEST(NetTheory, ResidualAndNormBlocksTranslate) {
  Residual r;
  r.branch = {layer(32, "relu", "he_normal"), layer(16, "linear", "lecun_normal")};
  r.pre_norm = Norm{Norm::Kind::layer, false, 1e-6};
  r.alpha = 0.25;
  NetDescription net{"res", 16, {r, Norm{Norm::Kind::batch, true, 1e-3}}};
  const theory::NetArchitecture a = net_architecture(net);
  const auto& t = std::get<theory::NetResidual>(a.blocks[0]);
  EXPECT_EQ(t.alpha, 0.25);
  ASSERT_TRUE(t.pre_norm.has_value());
  EXPECT_EQ(t.pre_norm->eps, 1e-6);
  EXPECT_NEAR(t.branch[0].sw2, 2.0, 1e-15);
  EXPECT_EQ(t.branch[0].width, 32u);
  EXPECT_NEAR(t.branch[1].sw2, 1.0, 1e-15);
  EXPECT_EQ(std::get<theory::NetNorm>(a.blocks[1]).kind, theory::NetNorm::Kind::batch);
  // relu (He) then linear: 1 + alpha^2 * 2 * 1 / 2 per block, from the normalized input.
  const theory::NetTrajectory tr = net_theory(net, NetTheoryInput{2.0, 0.0, 1.0, false});
  const double r_in = 2.0 / (2.0 + 1e-6);
  EXPECT_NEAR(tr.blocks[0].second, 2.0 + 0.0625 * r_in, 1e-14);
}

TEST(NetTheory, BadSpecsNameTheLayer) {
  Residual r;
  r.branch = {layer(16, "relu", "lsuv")};
  NetDescription net{"bad", 16, {layer(16, "relu", "he_normal"), r}};
  EXPECT_NE(error_of(net).find("block 2 branch layer 1: init 'lsuv' is data-dependent"), std::string::npos)
      << error_of(net);
  net.blocks = {layer(16, "relu", "he_normal", "normal:-1")};
  EXPECT_NE(error_of(net).find("study::net_architecture: block 1 bias: "), std::string::npos) << error_of(net);
  net.blocks = {layer(0, "relu", "he_normal")};
  EXPECT_NE(error_of(net).find("block 1"), std::string::npos) << error_of(net);
}

}  // namespace
}  // namespace initlab::study
