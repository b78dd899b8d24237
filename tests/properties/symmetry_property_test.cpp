// The note's first lesson: a constant initialization (zeros above all) never breaks
// the symmetry between the hidden units of a layer, whatever the training does.
// Proof sketch (exact arithmetic): if every hidden layer l < L has identical rows of
// W^l, identical entries of b^l and identical columns of W^{l+1}, then its units
// have identical h^l, a^l (every input), identical delta^l = phi'(h^l) * W^{l+1}^T
// delta^{l+1} (identical columns), hence identical rows of dW^l = delta^l^T a^{l-1},
// identical db^l and identical columns of dW^{l+1} = delta^{l+1}^T a^l. SGD and
// momentum act entrywise and linearly on the gradient history, so the invariant
// survives each step, and a constant initialization satisfies it at the start.
// Adam is left out on purpose: it divides by sqrt(v) + eps, so a coordinate whose
// exact gradient is 0 but whose computed gradient is 1e-18 (rounding) takes a
// step of order lr; measured: zeros + sigmoid + Adam, widths [2, 5, 2], 12 steps,
// units 0.018 apart. That is rounding amplified by the optimizer, not a broken
// initializer.
//
// Rounding: tolerance.hpp, kSymmetryTolerance.

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "nn/optimizer.hpp"
#include "nn/trainer.hpp"
#include "properties/harness.hpp"
#include "properties/tolerance.hpp"

namespace initlab::properties {
namespace {

double max_abs(const Matrix<double>& m) {
  double s = 0.0;
  for (double v : m) s = std::max(s, std::abs(v));
  return s;
}

double max_abs_vector(const Vector<double>& v) {
  double s = 0.0;
  for (double x : v) s = std::max(s, std::abs(x));
  return s;
}

RC_GTEST_PROP(ConstantInitSymmetry, KeepsHiddenUnitsIdentical, ()) {
  const std::size_t depth = gen_size("depth", 2, 4);
  std::vector<std::size_t> widths = gen_widths(depth, 2, 16);
  widths.back() = gen_size("classes", 2, 4);  // classes
  // Zeros under tanh or ReLU, and a negative constant under ReLU, give a^l = 0 (or a
  // dead layer) and W^{l+1} = 0: no gradient ever reaches the hidden layers and the
  // units stay equal trivially. Only pairs where training moves them are drawn.
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"zeros", "sigmoid"},        {"constant:0.1", "sigmoid"}, {"constant:0.1", "tanh"},
      {"constant:0.1", "relu"},    {"constant:-0.3", "sigmoid"}, {"constant:-0.3", "tanh"}};
  const auto [init, act] = *rc::gen::elementOf(pairs).as("init, act");
  const std::string opt = *rc::gen::element<std::string>("sgd", "momentum").as("opt");
  const std::size_t examples = gen_size("examples", 1, 64);
  const std::size_t steps = gen_size("steps", 1, 20);
  const std::uint64_t seed = gen_seed();

  nn::NetworkConfig c;
  c.widths = widths;
  c.activations.assign(depth, Activation::parse(act));
  c.activations.back() = Activation::parse("linear");  // logits for softmax CE
  c.inits = {init};
  c.bias_init = init;
  c.seed = seed;
  nn::Network<double> net(c);

  nn::TrainData<double> data;
  data.X = gaussian_inputs<double>(examples, widths.front(), seed);
  const random::Stream labels(seed, 11);
  for (std::size_t i = 0; i < examples; ++i) {
    data.labels.push_back(static_cast<std::size_t>(labels.bits(i) % widths.back()));
  }
  // Fixed points where nothing can move, discarded: ReLU with no example giving the
  // first layer a positive input (0.1 (sum_j x_j + 1) <= 0, so every a^l = 0), and
  // zeros with balanced classes (every a^{L-1} = 1/2, the mean of softmax - onehot 0).
  bool live = act != "relu";
  for (std::size_t i = 0; i < examples && !live; ++i) {
    double sum = 0.0;
    for (std::size_t j = 0; j < widths.front(); ++j) sum += data.X(i, j);
    live = sum > -1.0;
  }
  std::vector<std::size_t> count(widths.back(), 0);
  for (std::size_t y : data.labels) ++count[y];
  const bool balanced = std::all_of(count.begin(), count.end(),
                                    [&](std::size_t k) { return k == count.front(); });
  RC_PRE(live && !(init == "zeros" && balanced));
  nn::TrainConfig cfg;
  cfg.loss = nn::Loss::parse("softmax_cross_entropy");
  cfg.optimizer = nn::OptimizerConfig::parse(opt, 0.1);
  cfg.epochs = steps;
  cfg.batch = 0;
  cfg.seed = seed;
  const Vector<double> b_last_before = net.b(depth);
  std::vector<Matrix<double>> W_before;
  for (std::size_t l = 1; l <= depth; ++l) W_before.push_back(net.W(l));
  const nn::TrainResult r = nn::train(net, data, cfg);
  RC_ASSERT(!r.diverged);
  RC_ASSERT(r.steps == steps);
  // Training did something: the output bias moved, as its first gradient
  // mean(softmax - onehot) = 1/C - (class frequency) is non-zero unless the classes
  // are exactly balanced.
  double moved = 0.0;
  for (std::size_t k = 0; k < widths.back(); ++k) {
    moved = std::max(moved, std::abs(net.b(depth)(k) - b_last_before(k)));
  }
  RC_ASSERT(balanced || moved > 0.0);
  // And the check below compares weights that training changed: the hidden layers
  // reached the loss, so the columns of W^L behind them moved (dW^L = mean_b
  // delta^L_b a^{L-1}_b^T with a^{L-1} != 0 for some example).
  double hidden_moved = 0.0;
  for (std::size_t l = 2; l <= depth; ++l) {
    hidden_moved = std::max(hidden_moved, max_abs(Matrix<double>(net.W(l) - W_before[l - 1])));
  }
  RC_ASSERT(hidden_moved > 0.0);

  double asymmetry = 0.0;  // largest difference between units, over max(1, layer scale)
  for (std::size_t l = 1; l < depth; ++l) {
    const Matrix<double>& W = net.W(l);
    const Vector<double>& b = net.b(l);
    const Matrix<double>& next = net.W(l + 1);
    const double scale = std::max({max_abs(W), max_abs(next), max_abs_vector(b), 1.0});
    for (std::size_t i = 1; i < widths[l]; ++i) {
      for (std::size_t j = 0; j < widths[l - 1]; ++j) {
        asymmetry = std::max(asymmetry, std::abs(W(i, j) - W(0, j)) / scale);
      }
      asymmetry = std::max(asymmetry, std::abs(b(i) - b(0)) / scale);
      for (std::size_t k = 0; k < widths[l + 1]; ++k) {
        asymmetry = std::max(asymmetry, std::abs(next(k, i) - next(k, 0)) / scale);
      }
    }
  }
  RC_TAG(asymmetry == 0.0     ? "bit-identical units"
         : asymmetry <= 1e-14 ? "units equal to 1e-14"
                              : "units differ by more than 1e-14");
  RC_ASSERT(asymmetry <= kSymmetryTolerance);
}

}  // namespace
}  // namespace initlab::properties
