#include "study/plain_theory.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "study/net_file.hpp"

namespace initlab::study {
namespace {

TEST(PlainTheory, PlainArchitectureTakesEachLayersInit) {
  const auto net = parse_arch("100-50:relu:he_normal-50:tanh:lecun_normal-10:linear:xavier_normal:(normal:0.1)");
  EXPECT_THROW(plain_architecture(net, 1.0), std::invalid_argument);  // the bias differs from layer 1's
  const auto same = parse_arch("100-50:relu:he_normal:(normal:0.1)-50:tanh:lecun_normal-10:linear:xavier_normal");
  const theory::Architecture a = plain_architecture(same, 2.0);
  ASSERT_EQ(a.widths, (std::vector<std::size_t>{100, 50, 50, 10}));
  ASSERT_EQ(a.activations.size(), 3u);
  EXPECT_EQ(a.activations[0].kind, Activation::Kind::relu);
  EXPECT_EQ(a.activations[2].kind, Activation::Kind::linear);
  EXPECT_DOUBLE_EQ(a.weight_variance[0], 2.0 / 100);       // he_normal: 2 / fan_in
  EXPECT_DOUBLE_EQ(a.weight_variance[1], 1.0 / 50);        // lecun_normal: 1 / fan_in
  EXPECT_DOUBLE_EQ(a.weight_variance[2], 2.0 / (50 + 10)); // xavier_normal: 2 / (fan_in + fan_out)
  EXPECT_DOUBLE_EQ(a.sb2, 0.01);
  EXPECT_EQ(a.q0, 2.0);
  EXPECT_EQ(plain_inits(same), (std::vector<std::string>{"he_normal", "lecun_normal", "xavier_normal"}));
}

TEST(PlainTheory, DeterministicWeightsUseTheirSecondMoment) {
  // identity:1.5 has no variance; the recursion needs E[W^2] = 1.5^2 / n per entry.
  const theory::Architecture a = plain_architecture(parse_arch("4-4x2:linear:(identity:1.5)"), 1.0);
  EXPECT_DOUBLE_EQ(a.weight_variance[0], 1.5 * 1.5 / 4);
}

TEST(PlainTheory, BlockNetsAreRejectedByName) {
  const auto net = parse_net(R"j({"name": "r", "input": 4, "layers": [{"norm": "layernorm"}]})j", "r.json");
  try {
    plain_architecture(net, 1.0);
    ADD_FAILURE() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "plain_architecture: block 1 of r is a norm block; expected a plain network "
                           "(dense layers only)");
  }
}

}  // namespace
}  // namespace initlab::study
