#include "nn/activation.hpp"

#include <gtest/gtest.h>

#include <xtensor/xbuilder.hpp>

#include <cmath>
#include <stdexcept>

#include "theory/scalar_activation.hpp"

namespace initlab::nn {
namespace {

TEST(Activation, ParseAndNameRoundTrip) {
  for (const char* spec : {"linear", "tanh", "relu", "sigmoid", "leaky_relu:0.2", "leaky_relu:0.01",
                           "gelu", "selu", "silu", "erf", "softplus"}) {
    const Activation f = Activation::parse(spec);
    EXPECT_EQ(Activation::parse(f.name()).kind, f.kind) << spec;
    EXPECT_EQ(Activation::parse(f.name()).slope, f.slope) << spec;
  }
  EXPECT_EQ(Activation::parse("identity").kind, Activation::Kind::linear);
  EXPECT_EQ(Activation::parse("leaky_relu").slope, 0.01);
  EXPECT_EQ(Activation::parse("leaky_relu:0.2").slope, 0.2);
  EXPECT_EQ(Activation::parse("swish").kind, Activation::Kind::silu);
  EXPECT_EQ(Activation::parse("swish").name(), "silu");
}

TEST(Activation, ParseRejectsBadSpecsNamingThem) {
  try {
    Activation::parse("mish");
    FAIL() << "no throw";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("mish"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("softplus"), std::string::npos) << e.what();
  }
  EXPECT_THROW(Activation::parse("gelu:0.1"), std::invalid_argument);
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

// The kernels of the five smooth activations against the scalar integrands of the
// theory (theory/scalar_activation.hpp), which are written from the formulas independently
// with the C library's erf, erfc, exp. The kernels use xsimd's: measured on a 1e-4 grid
// of [-8, 8], xsimd's erf is within 7.6e-15 of std::erf and its erfc within 4e-12
// relative (worst near 2.2), so gelu is within 1.2e-14, erf 7.6e-15, the others
// 4.4e-16 of max(1, |value|); the test allows 3e-14 max(1, |phi|) for phi and 3e-14 max(1, |h|) for phi'.
TEST(Activation, SmoothKernelsMatchTheoryPointwise) {
  Matrix<double> h({1, 161});
  for (std::size_t j = 0; j < 161; ++j) h(0, j) = -8.0 + 0.1 * static_cast<double>(j);
  const Matrix<double> ones = xt::ones<double>(h.shape());
  for (auto k : {Activation::Kind::gelu, Activation::Kind::selu, Activation::Kind::silu,
                 Activation::Kind::erf, Activation::Kind::softplus}) {
    const Activation f{k};
    Matrix<double> a, dh;
    activate(a, h, f);
    activate_backward(dh, ones, h, a, f);
    for (std::size_t j = 0; j < 161; ++j) {
      const double u = h(0, j);
      const double tol_a = 3e-14 * std::fmax(1.0, std::fabs(theory::activate(f, u)));
      EXPECT_NEAR(a(0, j), theory::activate(f, u), tol_a) << f.name() << " h " << u;
      EXPECT_NEAR(dh(0, j), theory::activate_derivative(f, u), 3e-14 * std::fmax(1.0, std::fabs(u)))
          << f.name() << " h " << u;
    }
  }
}

// Far tails: no overflow to inf or NaN in float or double.
TEST(Activation, SmoothKernelsSaturateWithoutNaN) {
  Matrix<float> h = {{-200.0f, 200.0f}};
  const Matrix<float> ones = xt::ones<float>(h.shape());
  for (auto k : {Activation::Kind::gelu, Activation::Kind::selu, Activation::Kind::silu,
                 Activation::Kind::erf, Activation::Kind::softplus}) {
    Matrix<float> a, dh;
    activate(a, h, Activation{k});
    activate_backward(dh, ones, h, a, Activation{k});
    for (float v : a) EXPECT_TRUE(std::isfinite(v)) << static_cast<int>(k);
    for (float v : dh) EXPECT_TRUE(std::isfinite(v)) << static_cast<int>(k);
  }
  Matrix<float> a;
  activate(a, h, Activation::parse("softplus"));
  EXPECT_EQ(a(0, 1), 200.0f);
  activate(a, h, Activation::parse("silu"));
  EXPECT_EQ(a(0, 0), 0.0f);
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
