#include "nn/optimizer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>
#include <stdexcept>
#include <string>
#include <vector>

#include "nn/nn_testing.hpp"

namespace initlab::nn {
namespace {

using testing::random_matrix;

Network<double> small_net() {
  NetworkConfig c;
  c.widths = {3, 4, 2};
  c.activations = {Activation::parse("tanh"), Activation::parse("linear")};
  c.inits = {"xavier_normal"};
  c.bias_init = "normal:0.1";
  c.seed = 9;
  return Network<double>(c);
}

const Gradients<double>& some_gradients(Network<double>& net) {
  net.forward(random_matrix(5, 3, 1));
  return net.backward(random_matrix(5, 2, 2));
}

TEST(OptimizerConfig, ParseNameAndValidate) {
  EXPECT_EQ(OptimizerConfig::parse("sgd", 0.1).kind, OptimizerConfig::Kind::sgd);
  EXPECT_EQ(OptimizerConfig::parse("momentum:0.5", 0.1).momentum, 0.5);
  const auto adam = OptimizerConfig::parse("adam:0.8,0.99,1e-6", 0.1);
  EXPECT_EQ(adam.beta1, 0.8);
  EXPECT_EQ(adam.eps, 1e-6);
  for (const char* s : {"sgd", "momentum:0.5", "rmsprop:0.95", "adam:0.8,0.99,1e-06"}) {
    const auto c = OptimizerConfig::parse(s, 0.1);
    const auto back = OptimizerConfig::parse(c.name(), 0.1);
    EXPECT_EQ(back.kind, c.kind) << s;
    EXPECT_EQ(back.name(), c.name()) << s;
  }
  EXPECT_THROW(OptimizerConfig::parse("lbfgs", 0.1), std::invalid_argument);
  EXPECT_THROW(OptimizerConfig::parse("momentum:1.5", 0.1), std::invalid_argument);
  EXPECT_THROW(OptimizerConfig::parse("adam:0.9", 0.1), std::invalid_argument);
  EXPECT_THROW(OptimizerConfig::parse("sgd:0.9", 0.1), std::invalid_argument);
}

TEST(Optimizer, NonPositiveLearningRateThrowsWithTheValue) {
  for (double lr : {0.0, -0.5}) {
    try {
      Optimizer<double> opt(OptimizerConfig::parse("sgd", lr));
      ADD_FAILURE() << "no throw for lr " << lr;
    } catch (const std::invalid_argument& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find("lr = " + std::string(lr == 0.0 ? "0" : "-0.5")), std::string::npos) << msg;
    }
  }
  Optimizer<double> opt(OptimizerConfig::parse("adam", 0.1));
  EXPECT_THROW(opt.set_lr(-1.0), std::invalid_argument);
  EXPECT_THROW(opt.set_lr(std::nan("")), std::invalid_argument);
}

TEST(Optimizer, ZeroLearningRateLeavesParametersUnchanged) {
  for (const char* s : {"sgd", "momentum:0.9", "rmsprop", "adam"}) {
    Network<double> net = small_net();
    const Matrix<double> W1 = net.W(1), W2 = net.W(2);
    const Vector<double> b1 = net.b(1);
    Optimizer<double> opt(OptimizerConfig::parse(s, 0.0), true);
    for (int i = 0; i < 3; ++i) opt.step(net, some_gradients(net));
    EXPECT_EQ(net.W(1), W1) << s;
    EXPECT_EQ(net.W(2), W2) << s;
    EXPECT_EQ(net.b(1), b1) << s;
  }
}

TEST(Optimizer, SgdIsPMinusLrG) {
  Network<double> net = small_net();
  const Matrix<double> W1 = net.W(1);
  const Gradients<double>& g = some_gradients(net);
  const Matrix<double> expect = W1 - 0.25 * g.dW[0];
  Optimizer<double> opt(OptimizerConfig::parse("sgd", 0.25));
  opt.step(net, g);
  EXPECT_EQ(net.W(1), expect);
  EXPECT_EQ(opt.steps(), 1u);
}

// backward_step with plain SGD fuses W -= lr dW into the dW GEMM (alpha = -lr,
// beta = 1). Per entry the fused result W + (-lr) acc is rounded once or twice
// (FMA or multiply-add) where the unfused one rounds dW = acc, lr dW and the
// difference: each rounding is at most eps times a value <= |W| + lr |dW|, so
// |fused - unfused| <= 4 eps (|W| + lr |dW|) (four roundings at most on either
// side). b, db and dh take the same operations in the same order: exactly equal.
TEST(Optimizer, FusedSgdEqualsBackwardThenStepToRounding) {
  Network<double> fused = small_net(), plain = small_net();
  const Matrix<double> x = random_matrix(5, 3, 1), d = random_matrix(5, 2, 2);
  const double lr = 0.25, eps = std::numeric_limits<double>::epsilon();
  Optimizer<double> opt_f(OptimizerConfig::parse("sgd", lr)), opt_p(OptimizerConfig::parse("sgd", lr));
  for (int step = 0; step < 3; ++step) {
    fused.forward(x);
    plain.forward(x);
    opt_f.backward_step(fused, d);
    const Gradients<double>& g = plain.backward(d);
    std::vector<Matrix<double>> before;
    for (std::size_t l = 1; l <= 2; ++l) before.push_back(plain.W(l));
    opt_p.step(plain, g);
    for (std::size_t l = 1; l <= 2; ++l) {
      for (std::size_t i = 0; i < before[l - 1].size(); ++i) {
        const double bound = 4 * eps * (std::abs(before[l - 1].data()[i]) + lr * std::abs(g.dW[l - 1].data()[i]));
        EXPECT_NEAR(fused.W(l).data()[i], plain.W(l).data()[i], bound) << "layer " << l << " step " << step;
      }
      EXPECT_EQ(fused.b(l), plain.b(l));
      EXPECT_EQ(fused.gradients().db[l - 1], g.db[l - 1]);
      EXPECT_EQ(fused.gradients().dh[l - 1], g.dh[l - 1]);
    }
    // the next step starts from the same parameters on both sides
    for (std::size_t l = 1; l <= 2; ++l) plain.W(l) = fused.W(l);
  }
  EXPECT_EQ(opt_f.steps(), 3u);
  Optimizer<double> adam(OptimizerConfig::parse("adam", 0.1));
  Network<double> a = small_net(), b = small_net();
  a.forward(x);
  b.forward(x);
  adam.backward_step(a, d);
  Optimizer<double> adam2(OptimizerConfig::parse("adam", 0.1));
  adam2.step(b, b.backward(d));
  EXPECT_EQ(a.W(1), b.W(1));
}

TEST(Optimizer, MomentumAccumulatesVelocity) {
  Network<double> net = small_net();
  const Matrix<double> W1 = net.W(1);
  const Gradients<double> g = some_gradients(net);  // the same gradient twice
  Optimizer<double> opt(OptimizerConfig::parse("momentum:0.5", 0.1));
  opt.step(net, g);
  opt.step(net, g);
  // v1 = g, v2 = 0.5 g + g: p = W1 - 0.1 g - 0.1 * 1.5 g = W1 - 0.25 g.
  const Matrix<double> expect = W1 - 0.25 * g.dW[0];
  for (std::size_t i = 0; i < W1.size(); ++i)
    EXPECT_NEAR(net.W(1).data()[i], expect.data()[i], 1e-15);
}

// Adam's first step is lr * g / (|g| + eps) for every entry (m_hat = g, s_hat = g^2).
TEST(Optimizer, AdamFirstStepIsLrTimesSign) {
  Network<double> net = small_net();
  const Matrix<double> W1 = net.W(1);
  const Gradients<double> g = some_gradients(net);
  Optimizer<double> opt(OptimizerConfig::parse("adam", 0.01));
  opt.step(net, g);
  for (std::size_t i = 0; i < W1.size(); ++i) {
    const double gi = g.dW[0].data()[i];
    const double step = 0.01 * gi / (std::abs(gi) + 1e-8);
    EXPECT_NEAR(W1.data()[i] - net.W(1).data()[i], step, 1e-14);
  }
}

TEST(Optimizer, RmspropFirstStep) {
  Network<double> net = small_net();
  const Vector<double> b2 = net.b(2);
  const Gradients<double> g = some_gradients(net);
  Optimizer<double> opt(OptimizerConfig::parse("rmsprop:0.9", 0.01));
  opt.step(net, g);
  for (std::size_t i = 0; i < b2.size(); ++i) {
    const double gi = g.db[1](i);
    EXPECT_NEAR(b2(i) - net.b(2)(i), 0.01 * gi / (std::sqrt(0.1 * gi * gi) + 1e-8), 1e-14);
  }
}

// Multi-step updates against values computed by hand (40-digit decimal arithmetic)
// for the gradient sequence g = 1, -2, 0.5 in every entry: each test checks the
// displacement p_0 - p_t of every weight and bias after steps 1, 2 and 3, so state
// that is not carried (a velocity reset, a running average dropped, a bias
// correction frozen at step 1) fails from step 2 on.
constexpr double kSteps[3] = {1.0, -2.0, 0.5};

void fill_gradients(Gradients<double>& g, double v) {
  for (auto& dW : g.dW) dW.fill(v);
  for (auto& db : g.db) db.fill(v);
}

// Runs three steps of `spec` and checks p_0 - p_t against expected[t - 1] for every
// parameter of every layer.
void expect_displacements(const char* spec, double lr, const double (&expected)[3]) {
  Network<double> net = small_net();
  std::vector<Matrix<double>> W0;
  std::vector<Vector<double>> b0;
  for (std::size_t l = 1; l <= net.depth(); ++l) {
    W0.push_back(net.W(l));
    b0.push_back(net.b(l));
  }
  Gradients<double> g = some_gradients(net);
  Optimizer<double> opt(OptimizerConfig::parse(spec, lr));
  for (std::size_t t = 0; t < 3; ++t) {
    fill_gradients(g, kSteps[t]);
    opt.step(net, g);
    for (std::size_t l = 1; l <= net.depth(); ++l) {
      for (std::size_t i = 0; i < W0[l - 1].size(); ++i) {
        EXPECT_NEAR(W0[l - 1].data()[i] - net.W(l).data()[i], expected[t], 1e-13)
            << spec << " step " << t + 1 << " W" << l << "[" << i << "]";
      }
      for (std::size_t i = 0; i < b0[l - 1].size(); ++i) {
        EXPECT_NEAR(b0[l - 1](i) - net.b(l)(i), expected[t], 1e-13)
            << spec << " step " << t + 1 << " b" << l << "[" << i << "]";
      }
    }
  }
}

// v_t = 0.5 v_{t-1} + g_t = 1, -1.5, -0.25; p_0 - p_t = 0.1 sum v.
TEST(Optimizer, MomentumThreeStepsMatchHandValues) {
  expect_displacements("momentum:0.5", 0.1, {0.1, -0.05, -0.075});
}

// s_t = 0.9 s_{t-1} + 0.1 g_t^2 = 0.1, 0.49, 0.466; step lr g_t / (sqrt(s_t) + 1e-8).
// Without the running average (s_t = 0.1 g_t^2) the displacement after step 2
// would be -5e-10, after step 3 0.0316.
TEST(Optimizer, RmspropThreeStepsMatchHandValues) {
  expect_displacements("rmsprop:0.9", 0.01,
                       {0.031622775601683825, 0.0030513474384185130, 0.010375831522485473});
}

// m_t = 0.9 m + 0.1 g = 0.1, -0.11, -0.049; s_t = 0.999 s + 0.001 g^2 = 0.001,
// 0.004999, 0.005244001; step 0.1 (m_t / (1 - 0.9^t)) / (sqrt(s_t / (1 - 0.999^t)) + 1e-8).
// With the bias correction frozen at t = 1 the displacements after steps 2 and 3
// would be 0.0508 and 0.0294 instead of 0.0634 and 0.0497.
TEST(Optimizer, AdamThreeStepsMatchHandValues) {
  expect_displacements("adam:0.9,0.999,1e-8", 0.1,
                       {0.099999999000000010, 0.063389646527924912, 0.049720580326178274});
}

TEST(Optimizer, StateIsAllocatedOnceOnly) {
  Network<double> net = small_net();
  Optimizer<double> opt(OptimizerConfig::parse("adam", 0.01));
  opt.step(net, some_gradients(net));
  const double* w = net.W(1).data();
  for (int i = 0; i < 5; ++i) opt.step(net, some_gradients(net));
  EXPECT_EQ(net.W(1).data(), w);
  EXPECT_EQ(opt.steps(), 6u);
}

TEST(Optimizer, RejectsMismatchedGradients) {
  Network<double> net = small_net();
  Gradients<double> g = some_gradients(net);
  g.dW[1] = Matrix<double>({3, 3});
  Optimizer<double> opt(OptimizerConfig::parse("sgd", 0.1));
  EXPECT_THROW(opt.step(net, g), std::invalid_argument);
}

}  // namespace
}  // namespace initlab::nn
