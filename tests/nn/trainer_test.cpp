#include "nn/trainer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <span>
#include <stdexcept>

#include "nn/nn_testing.hpp"
#include "nn/predict.hpp"
#include "random/permutation.hpp"
#include "random/stream.hpp"

namespace initlab::nn {
namespace {

// sklearn's make_circles(n, noise, factor): n/2 points evenly spaced on the unit
// circle (label 0), the rest on the circle of radius `factor` (label 1), N(0,
// noise^2) added to each coordinate, rows shuffled. Drawn from random::Stream.
TrainData<double> circles(std::size_t n, double noise, double factor, std::uint64_t seed) {
  const std::size_t n_out = n / 2, n_in = n - n_out;
  std::vector<double> z(2 * n);
  random::Stream(seed).normal(std::span<double>(z), 0.0, noise);
  const std::vector<std::size_t> order = random::permutation(n, random::Stream(seed).split(1));
  TrainData<double> d;
  d.X = Matrix<double>({n, 2});
  d.labels.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const bool inner = i >= n_out;
    const std::size_t k = inner ? i - n_out : i;
    const double angle = 2.0 * std::numbers::pi * static_cast<double>(k) /
                         static_cast<double>(inner ? n_in : n_out);
    const double r = inner ? factor : 1.0;
    const std::size_t row = order[i];
    d.X(row, 0) = r * std::cos(angle) + z[2 * i];
    d.X(row, 1) = r * std::sin(angle) + z[2 * i + 1];
    d.labels[row] = inner ? 1 : 0;
  }
  return d;
}

// The course exercise's network: [2, 10, 5, 1], ReLU, ReLU, sigmoid.
Network<double> circles_net(const std::string& init, std::uint64_t seed) {
  NetworkConfig c;
  c.widths = {2, 10, 5, 1};
  c.activations = Activation::parse_list("relu,relu,sigmoid");
  c.inits = {init};
  c.seed = seed;
  return Network<double>(c);
}

// Full-batch gradient descent, lr 0.01, at most 15,000 iterations.
TrainConfig course_config() {
  TrainConfig cfg;
  cfg.loss = Loss::parse("bce");
  cfg.optimizer = OptimizerConfig::parse("sgd", 0.01);
  cfg.epochs = 15000;
  cfg.batch = 0;
  cfg.shuffle = false;
  return cfg;
}

TEST(Train, CirclesWithHeNormalReaches95PercentWithinTheCourseBudget) {
  const TrainData<double> data = circles(300, 0.05, 0.5, 2019);
  Network<double> net = circles_net("he_normal", 1);
  TrainCallbacks<double> cb;
  cb.stop = [&](std::size_t, std::size_t step, const Network<double>& n, double) {
    return step % 50 == 49 && evaluate_accuracy(n, data) >= 0.95;
  };
  const TrainResult r = train(net, data, course_config(), nullptr, cb);
  RecordProperty("steps", static_cast<int>(r.steps));
  EXPECT_FALSE(r.diverged) << r.message;
  EXPECT_TRUE(r.stopped) << "accuracy after " << r.steps << " steps: " << evaluate_accuracy(net, data);
  EXPECT_GE(evaluate_accuracy(net, data), 0.95);
  EXPECT_LE(r.steps, 15000u);
  EXPECT_LT(r.step_loss.back(), r.step_loss.front());
}

// The float path of the same run (float data, weights and kernels).
TEST(Train, CirclesInFloatAlsoReaches95Percent) {
  const TrainData<double> d64 = circles(300, 0.05, 0.5, 2019);
  TrainData<float> data;
  data.X = xt::cast<float>(d64.X);
  data.labels = d64.labels;
  NetworkConfig c;
  c.widths = {2, 10, 5, 1};
  c.activations = Activation::parse_list("relu,relu,sigmoid");
  c.inits = {"he_normal"};
  c.seed = 1;
  Network<float> net(c);
  TrainCallbacks<float> cb;
  cb.stop = [&](std::size_t, std::size_t step, const Network<float>& n, double) {
    return step % 50 == 49 && evaluate_accuracy(n, data) >= 0.95;
  };
  const TrainResult r = train(net, data, course_config(), nullptr, cb);
  EXPECT_FALSE(r.diverged) << r.message;
  EXPECT_TRUE(r.stopped);
  EXPECT_GE(evaluate_accuracy(net, data), 0.95);
}

// Zero init: every unit outputs 0, so h^L = 0 and the cost is ln 2 at every
// step; W stays 0 (every dW is a product with a zero activation or weight) and
// only b^L can move, by sum_b (1/2 - y_b)/B = 0 up to rounding on balanced
// labels, so the cost stays ln 2 to far better than 1e-12 and the classifier
// predicts one class for everyone: 50%.
TEST(Train, CirclesWithZeroInitStaysAtChance) {
  const TrainData<double> data = circles(300, 0.05, 0.5, 2019);
  Network<double> net = circles_net("zeros", 1);
  const TrainResult r = train(net, data, course_config());
  ASSERT_EQ(r.step_loss.size(), 15000u);
  for (double loss : r.step_loss) ASSERT_NEAR(loss, std::numbers::ln2, 1e-12);
  EXPECT_EQ(evaluate_accuracy(net, data), 0.5);
  for (std::size_t l = 1; l <= 3; ++l)
    for (double w : net.W(l)) ASSERT_EQ(w, 0.0);
}

TEST(Train, SameSeedGivesBitIdenticalLosses) {
  const TrainData<double> data = circles(300, 0.05, 0.5, 7);
  TrainConfig cfg = course_config();
  cfg.epochs = 30;
  cfg.batch = 32;
  cfg.shuffle = true;
  cfg.seed = 123;
  cfg.optimizer = OptimizerConfig::parse("adam", 0.01);
  Network<double> a = circles_net("he_normal", 3), b = circles_net("he_normal", 3);
  const TrainResult ra = train(a, data, cfg), rb = train(b, data, cfg);
  ASSERT_EQ(ra.step_loss.size(), 30u * 10u);
  EXPECT_EQ(ra.step_loss, rb.step_loss);
  EXPECT_EQ(a.W(1), b.W(1));
  cfg.seed = 124;
  Network<double> c = circles_net("he_normal", 3);
  EXPECT_NE(train(c, data, cfg).step_loss, ra.step_loss);
}

// A linear 2-8-1 net (he_normal) fitting 20 random points to the constant `target`
// by MSE and SGD at `lr`: large targets and rates make it diverge.
struct LinearFit {
  TrainData<double> data;
  NetworkConfig net;
  TrainConfig cfg;
};

LinearFit linear_fit(double target, double lr, std::size_t epochs) {
  LinearFit f;
  f.data.X = testing::random_matrix(20, 2, 5);
  f.data.Y = Matrix<double>({20, 1}, target);
  f.net.widths = {2, 8, 1};
  f.net.activations = {Activation::parse("linear")};
  f.net.inits = {"he_normal"};
  f.cfg.loss = Loss::parse("mse");
  f.cfg.optimizer = OptimizerConfig::parse("sgd", lr);
  f.cfg.epochs = epochs;
  return f;
}

TEST(Train, DivergingRunIsReportedNotThrown) {
  auto [data, c, cfg] = linear_fit(100.0, 10.0, 100000);
  Network<double> net(c);
  const TrainResult r = train(net, data, cfg);
  ASSERT_TRUE(r.diverged);
  EXPECT_LT(r.steps, 100000u);
  EXPECT_EQ(r.message.rfind("diverged at epoch " + std::to_string(r.diverged_epoch) + ", step " +
                                std::to_string(r.diverged_step),
                            0),
            0u)
      << r.message;

  // Parameters overflowing to inf are caught on the step that produced them.
  Network<double> net2(c);
  cfg.optimizer = OptimizerConfig::parse("sgd", 1e308);
  const TrainResult r2 = train(net2, data, cfg);
  ASSERT_TRUE(r2.diverged);
  EXPECT_EQ(r2.diverged_step, 0u);
  EXPECT_NE(r2.message.find("non-finite parameters"), std::string::npos) << r2.message;
}

// The blow-up criterion (kBlowUpFactor): a loss that rises a hundredfold over the
// first step's is a divergence even while it is finite; with the criterion off the
// same run goes on until the loss or the parameters stop being finite.
TEST(Train, BlowUpIsDivergedWhileTheLossIsStillFinite) {
  auto [data, c, cfg] = linear_fit(1.0, 2.0, 1000);
  Network<double> net(c);
  const TrainResult r = train(net, data, cfg);
  ASSERT_TRUE(r.diverged);
  EXPECT_NE(r.message.find("blow-up"), std::string::npos) << r.message;
  const double last = r.step_loss.back();
  EXPECT_TRUE(std::isfinite(last));
  EXPECT_GT(last, kBlowUpFactor * r.step_loss.front());
  for (std::size_t k = 0; k + 1 < r.step_loss.size(); ++k) {
    EXPECT_LE(r.step_loss[k], kBlowUpFactor * r.step_loss.front()) << "step " << k;
  }

  cfg.blow_up_factor = 0.0;
  Network<double> net2(c);
  const TrainResult off = train(net2, data, cfg);
  ASSERT_TRUE(off.diverged);
  EXPECT_EQ(off.message.find("blow-up"), std::string::npos) << off.message;
  EXPECT_GT(off.steps, r.steps);
}

// evaluate runs its pass in blocks of rows (nn/eval_blocks.hpp: 512, the last block
// taking the rest). With small integers for every weight, bias and input the pass is
// exact in any order of summation, so its scores must equal those of one forward pass
// over all rows exactly, whatever GEMM kernels OpenBLAS picks per block: this checks
// that the blocks cover every row once, in order, at every row count.
TEST(Evaluate, RowBlocksGiveTheScoresOfOnePass) {
  NetworkConfig c;
  c.widths = {3, 4, 3};
  c.activations = Activation::parse_list("relu,linear");
  c.inits = {"zeros"};
  Network<double> net(c);
  for (std::size_t l = 1; l <= 2; ++l) {
    for (std::size_t i = 0; i < net.W(l).size(); ++i) net.W(l).data()[i] = static_cast<double>(i % 5) - 2.0;
    for (std::size_t i = 0; i < net.b(l).size(); ++i) net.b(l)(i) = static_cast<double>(i) - 1.0;
  }
  for (const std::size_t n : {1u, 511u, 512u, 1023u, 1024u, 1300u, 2100u}) {
    TrainData<double> d;
    d.X = Matrix<double>({n, 3});
    d.Y = Matrix<double>({n, 3});
    d.labels.resize(n);
    for (std::size_t i = 0; i < d.X.size(); ++i) {
      d.X.data()[i] = static_cast<double>((i * 7) % 11) - 5.0;
      d.Y.data()[i] = static_cast<double>((i * 3) % 4);
    }
    for (std::size_t r = 0; r < n; ++r) d.labels[r] = (r * 5) % 3;
    std::vector<LayerCache<double>> cache;
    net.forward(d.X, cache);
    Matrix<double> dh, da;
    const double ce = softmax_cross_entropy(dh, cache.back().h, std::span<const std::size_t>(d.labels));
    const double mse = mean_squared_error(da, cache.back().a, d.Y);
    const double acc = accuracy(cache.back().h, std::span<const std::size_t>(d.labels));
    const Evaluation e = evaluate(net, d, Loss::parse("ce"));
    EXPECT_EQ(e.loss, ce) << n << " rows";
    EXPECT_EQ(e.accuracy, acc) << n << " rows";
    EXPECT_EQ(evaluate(net, d, Loss::parse("mse")).loss, mse) << n << " rows";
  }
}

TEST(Train, CallbacksMiniBatchesAndHeldOut) {
  const TrainData<double> data = circles(100, 0.05, 0.5, 8);
  const TrainData<double> held = circles(40, 0.05, 0.5, 9);
  Network<double> net = circles_net("he_normal", 2);
  TrainConfig cfg = course_config();
  cfg.epochs = 4;
  cfg.batch = 30;  // 30, 30, 30, 10 rows per epoch
  cfg.shuffle = true;
  cfg.callback_every = 3;
  std::vector<std::size_t> seen;
  std::size_t epochs_seen = 0;
  TrainCallbacks<double> cb;
  cb.on_step = [&](std::size_t epoch, std::size_t step, const Network<double>&, double loss) {
    EXPECT_EQ(epoch, step / 4);
    EXPECT_TRUE(std::isfinite(loss));
    seen.push_back(step);
  };
  cb.on_epoch = [&](const EpochRecord& rec, const Network<double>&) {
    EXPECT_EQ(rec.epoch, epochs_seen++);
    EXPECT_EQ(rec.steps, 4u);
    EXPECT_GE(rec.heldout_accuracy, 0.0);
    EXPECT_LE(rec.heldout_accuracy, 1.0);
    EXPECT_TRUE(std::isfinite(rec.heldout_loss));
    EXPECT_GE(rec.train_accuracy, 0.0);
  };
  const TrainResult r = train(net, data, cfg, &held, cb);
  EXPECT_EQ(r.steps, 16u);
  EXPECT_EQ(seen, (std::vector<std::size_t>{2, 5, 8, 11, 14}));
  EXPECT_EQ(epochs_seen, 4u);
  ASSERT_EQ(r.epochs.size(), 4u);
  // the last epoch's held-out record is the trained net's score (the study reads it
  // instead of evaluating again), and evaluate's one pass gives both numbers
  EXPECT_DOUBLE_EQ(r.epochs[3].heldout_loss, evaluate_loss(net, held, cfg.loss));
  EXPECT_DOUBLE_EQ(r.epochs[3].heldout_accuracy, evaluate_accuracy(net, held));
  const Evaluation e = evaluate(net, data, cfg.loss);
  EXPECT_DOUBLE_EQ(e.loss, evaluate_loss(net, data, cfg.loss));
  EXPECT_DOUBLE_EQ(e.accuracy, evaluate_accuracy(net, data));

  cfg.drop_last = true;
  cfg.max_steps = 7;
  Network<double> net2 = circles_net("he_normal", 2);
  const TrainResult r2 = train(net2, data, cfg);
  EXPECT_EQ(r2.steps, 7u);
  EXPECT_EQ(r2.epochs.size(), 3u);
  EXPECT_EQ(r2.epochs[0].steps, 3u);
}

TEST(Train, RejectsBadInputNamingTheValue) {
  const TrainData<double> data = circles(20, 0.05, 0.5, 8);
  Network<double> net = circles_net("he_normal", 2);
  TrainConfig cfg = course_config();
  cfg.epochs = 1;
  cfg.optimizer.lr = -0.1;
  EXPECT_THROW(train(net, data, cfg), std::invalid_argument);
  cfg.optimizer.lr = 0.1;
  cfg.loss = Loss::parse("ce");
  EXPECT_THROW(train(net, data, cfg), std::invalid_argument);  // sigmoid output, n_L = 1
  cfg.loss = Loss::parse("bce");
  cfg.batch = 21;
  EXPECT_THROW(train(net, data, cfg), std::invalid_argument);
  cfg.batch = 0;
  TrainData<double> bad = data;
  bad.labels[3] = 2;
  try {
    train(net, bad, cfg);
    ADD_FAILURE() << "no throw";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("label[3] = 2"), std::string::npos) << e.what();
  }
  bad = data;
  bad.X = Matrix<double>({20, 3});
  EXPECT_THROW(train(net, bad, cfg), std::invalid_argument);
}

// ---- train(Model) -------------------------------------------------------------

DenseLayer layer(std::size_t width, const char* activation, const char* init) {
  DenseLayer d;
  d.width = width;
  d.activation = Activation::parse(activation);
  d.init = init;
  return d;
}

// The circles net as a description: the Model holds Network's weights (same split)
// and momentum updates the same numbers by the same formula, so every step's loss
// is bit for bit the Network's.
TEST(TrainModel, PlainModelTrainsAsNetworkDoes) {
  const TrainData<double> data = circles(100, 0.05, 0.5, 3);
  NetDescription desc;
  desc.input = 2;
  desc.blocks = {layer(10, "relu", "he_normal"), layer(5, "relu", "he_normal"),
                 layer(1, "sigmoid", "he_normal")};
  Model<double> model(desc, 1);
  Network<double> net = circles_net("he_normal", 1);
  TrainConfig cfg = course_config();
  cfg.optimizer = OptimizerConfig::parse("momentum:0.9", 0.01);
  cfg.epochs = 50;
  const TrainResult a = train(model, data, cfg);
  const TrainResult b = train(net, data, cfg);
  ASSERT_EQ(a.steps, 50u);
  EXPECT_EQ(a.step_loss, b.step_loss);
}

// A net with LayerNorm, a pre-norm residual block and BatchNorm learns the circles
// with Adam in mini-batches: full-batch loss at the end well below the start, and
// the training accuracy of the last epoch above 90% (fixed seeds, deterministic).
TEST(TrainModel, MixedNetLearnsTheCircles) {
  const TrainData<double> data = circles(200, 0.05, 0.5, 4);
  NetDescription desc;
  desc.input = 2;
  Norm ln;
  ln.affine = true;
  Norm bn;
  bn.kind = Norm::Kind::batch;
  bn.affine = true;
  Residual r;
  r.pre_norm = ln;
  r.branch = {layer(16, "relu", "he_normal"), layer(16, "linear", "xavier_normal")};
  desc.blocks = {layer(16, "tanh", "lecun_normal"), ln, r, bn, layer(1, "linear", "xavier_normal")};
  Model<double> model(desc, 5);
  TrainConfig cfg;
  cfg.loss = Loss::parse("bce");
  cfg.optimizer = OptimizerConfig::parse("adam", 0.01);
  cfg.epochs = 60;
  cfg.batch = 20;
  const TrainResult res = train(model, data, cfg);
  ASSERT_FALSE(res.diverged) << res.message;
  EXPECT_LT(res.epochs.back().loss, 0.5 * res.epochs.front().loss);
  EXPECT_GE(res.epochs.back().train_accuracy, 0.9);
}

// The loss reads the last block's logits: a net that ends in a norm is refused.
TEST(TrainModel, RefusesANetThatDoesNotEndInADenseLayer) {
  const TrainData<double> data = circles(50, 0.05, 0.5, 5);
  NetDescription ends_in_norm;
  ends_in_norm.input = 2;
  ends_in_norm.blocks = {layer(8, "relu", "he_normal"), Norm{}};
  Model<double> norm_last(ends_in_norm, 1);
  EXPECT_THROW(train(norm_last, data, course_config()), std::invalid_argument);
}

}  // namespace
}  // namespace initlab::nn
