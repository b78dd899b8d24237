#include "core/net_description.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>
#include <string>

namespace initlab {
namespace {

DenseLayer dense(std::size_t width, const char* act = "tanh") {
  return DenseLayer{width, Activation::parse(act), "lecun_normal", "zeros"};
}

// 4 -> dense 8 -> layernorm -> residual(8 -> 16 -> 8) -> dense 3
NetDescription mixed() {
  Residual r;
  r.branch = {dense(16), dense(8, "linear")};
  r.pre_norm = Norm{};
  return NetDescription{"mixed", 4, {dense(8), Norm{}, r, dense(3, "linear")}};
}

std::string message(const NetDescription& net) {
  try {
    net.validate();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(NetDescription, WidthsFollowTheDenseLayers) {
  const auto net = mixed();
  EXPECT_NO_THROW(net.validate());
  EXPECT_EQ(net.output_width(0), 8u);
  EXPECT_EQ(net.output_width(1), 8u);
  EXPECT_EQ(net.output_width(2), 8u);
  EXPECT_EQ(net.output_width(3), 3u);
  EXPECT_EQ(net.residual_blocks(), 1u);
  EXPECT_FALSE(net.plain());
  EXPECT_TRUE((NetDescription{"mlp", 2, {dense(6), dense(1)}}.plain()));
}

TEST(NetDescription, ValidateNamesTheBadBlock) {
  auto net = mixed();
  std::get<Residual>(net.blocks[2]).branch.back().width = 7;
  EXPECT_EQ(message(net),
            "NetDescription::validate: block 3: residual branch ends at width 7, expected the "
            "block's input width 8");
  net = mixed();
  std::get<Residual>(net.blocks[2]).branch[0].width = 0;
  EXPECT_EQ(message(net),
            "NetDescription::validate: block 3 branch layer 1: width 0, expected a width >= 1");
  net = mixed();
  std::get<Norm>(net.blocks[1]).eps = 0.0;
  EXPECT_EQ(message(net), "NetDescription::validate: block 2: eps 0, expected a finite eps > 0");
  net = mixed();
  std::get<Residual>(net.blocks[2]).alpha = std::numeric_limits<double>::infinity();
  EXPECT_EQ(message(net), "NetDescription::validate: block 3: alpha inf, expected a finite number");
  net = mixed();
  std::get<Residual>(net.blocks[2]).branch.clear();
  EXPECT_EQ(message(net), "NetDescription::validate: block 3: residual branch without layers");
  EXPECT_EQ(message(NetDescription{"empty", 4, {}}),
            "NetDescription::validate: no blocks, expected at least one");
  EXPECT_EQ(message(NetDescription{"none", 0, {dense(3)}}),
            "NetDescription::validate: input width 0, expected a width >= 1");
}

}  // namespace
}  // namespace initlab
