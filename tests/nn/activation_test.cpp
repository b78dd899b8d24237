#include "nn/activation.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace initlab::nn {
namespace {

TEST(Activation, ParseAndNameRoundTrip) {
  for (const char* spec : {"linear", "tanh", "relu", "sigmoid", "leaky_relu:0.2", "leaky_relu:0.01"}) {
    const Activation f = Activation::parse(spec);
    EXPECT_EQ(Activation::parse(f.name()).kind, f.kind) << spec;
    EXPECT_EQ(Activation::parse(f.name()).slope, f.slope) << spec;
  }
  EXPECT_EQ(Activation::parse("identity").kind, Activation::Kind::linear);
  EXPECT_EQ(Activation::parse("leaky_relu").slope, 0.01);
  EXPECT_EQ(Activation::parse("leaky_relu:0.2").slope, 0.2);
}

TEST(Activation, ParseRejectsBadSpecsNamingThem) {
  try {
    Activation::parse("softplus");
    FAIL() << "no throw";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("softplus"), std::string::npos) << e.what();
  }
  EXPECT_THROW(Activation::parse("relu:0.1"), std::invalid_argument);
  EXPECT_THROW(Activation::parse("leaky_relu:abc"), std::invalid_argument);
  EXPECT_THROW(Activation::parse_list("relu,,sigmoid"), std::invalid_argument);
}

TEST(Activation, ParseList) {
  const auto fs = Activation::parse_list("relu, relu,sigmoid");
  ASSERT_EQ(fs.size(), 3u);
  EXPECT_EQ(fs[0].kind, Activation::Kind::relu);
  EXPECT_EQ(fs[2].kind, Activation::Kind::sigmoid);
}

TEST(Activation, KnownValues) {
  Matrix<double> h = {{-2.0, 0.0, 3.0}};
  Matrix<double> a;
  activate(a, h, Activation::parse("relu"));
  EXPECT_EQ(a, (Matrix<double>{{0.0, 0.0, 3.0}}));
  activate(a, h, Activation::parse("leaky_relu:0.5"));
  EXPECT_EQ(a, (Matrix<double>{{-1.0, 0.0, 3.0}}));
  activate(a, h, Activation::parse("sigmoid"));
  EXPECT_DOUBLE_EQ(a(0, 1), 0.5);
  EXPECT_NEAR(a(0, 2), 1.0 / (1.0 + std::exp(-3.0)), 1e-15);
  activate(a, h, Activation::parse("tanh"));
  EXPECT_NEAR(a(0, 0), std::tanh(-2.0), 1e-15);
  activate(a, h, Activation::parse("linear"));
  EXPECT_EQ(a, h);
}

TEST(Activation, SigmoidSaturatesWithoutNaN) {
  Matrix<float> h = {{-200.0f, 200.0f}};
  Matrix<float> a;
  activate(a, h, Activation::parse("sigmoid"));
  EXPECT_EQ(a(0, 0), 0.0f);
  EXPECT_EQ(a(0, 1), 1.0f);
}

TEST(Activation, BackwardRejectsShapeMismatch) {
  Matrix<double> h({2, 3}), a({2, 3}), da({3, 2}), dh;
  EXPECT_THROW(activate_backward(dh, da, h, a, Activation::parse("tanh")), std::invalid_argument);
}

}  // namespace
}  // namespace initlab::nn
