// calculate_gain: PyTorch's table (torch.nn.init.calculate_gain).
#include <gtest/gtest.h>

#include <cmath>

#include "init/initializer.hpp"

namespace initlab::init {
namespace {

TEST(Gain, PyTorchTable) {
  for (const char* name : {"linear", "identity", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
                           "conv_transpose2d", "conv_transpose3d", "sigmoid"}) {
    EXPECT_EQ(calculate_gain(name), 1.0) << name;
  }
  EXPECT_DOUBLE_EQ(calculate_gain("tanh"), 5.0 / 3.0);
  EXPECT_DOUBLE_EQ(calculate_gain("relu"), std::sqrt(2.0));
  EXPECT_DOUBLE_EQ(calculate_gain("selu"), 0.75);
  EXPECT_DOUBLE_EQ(calculate_gain("leaky_relu"), std::sqrt(2.0 / (1.0 + 0.01 * 0.01)));
  EXPECT_DOUBLE_EQ(calculate_gain("leaky_relu", 0.2), std::sqrt(2.0 / 1.04));
  EXPECT_DOUBLE_EQ(calculate_gain("leaky_relu", 0.0), std::sqrt(2.0));
  // PyTorch 1.13: calculate_gain('leaky_relu', 0.2) = 1.3867504905630728.
  EXPECT_DOUBLE_EQ(calculate_gain("leaky_relu", 0.2), 1.3867504905630728);
}

TEST(Gain, UnknownActivationThrows) {
  try {
    calculate_gain("swish");
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'swish'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("leaky_relu"), std::string::npos) << e.what();
  }
  EXPECT_THROW(calculate_gain(""), std::invalid_argument);
  EXPECT_THROW(calculate_gain("leaky_relu", std::nan("")), std::invalid_argument);
}

// he_* scale is calculate_gain^2 (to an ulp: sqrt(2)^2 = 2 + 4e-16).
TEST(Gain, HeScaleIsGainSquared) {
  for (double slope : {0.0, 0.01, 0.2, 1.0}) {
    const auto r = std::get<VarianceScaling>(
        parse("he_normal:nonlinearity=leaky_relu,slope=" + std::to_string(slope)).rule());
    const double g = calculate_gain("leaky_relu", slope);
    EXPECT_NEAR(r.scale, g * g, 4e-16 * g * g) << slope;
  }
}

}  // namespace
}  // namespace initlab::init
