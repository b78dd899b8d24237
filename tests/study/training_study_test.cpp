// The training presets end to end: the note's MNIST claim on real digits, and
// the small presets' outcomes that hold for any seed.
#include "study/training_study.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "support/temp_dir.hpp"

namespace {

using namespace initlab::study;

TEST(TrainingStudy, NoteMnistXavierTrainsBetterThanStandardNormalInOneEpoch) {
  const auto root = initlab::testing::source_root();
  TrainingConfig c;
  c.preset = Preset::note_mnist;
  c.mnist_dir = (root / "data" / "mnist").string();
  c.mnist_cache = (root / "data" / "cache" / "mnist-10k.bin").string();
  if (!std::filesystem::exists(c.mnist_cache) && !std::filesystem::exists(root / "data/mnist/9.json")) {
    GTEST_SKIP() << "MNIST digits not fetched: run `make deps` (scripts/fetch-mnist.sh)";
  }
  c.inits = {"note_xavier", "note_standard_normal"};
  c.epochs = 1;
  c.n_train = 2000;  // 20 batches of 100, in order
  c.n_held_out = 1000;
  const TrainingSetup s = resolve(c);
  const TrainingData d = load_training_data(s);
  ASSERT_EQ(d.train.size(), 2000u);
  const auto runs = run_training(s, d);
  ASSERT_EQ(runs.size(), 2u);
  const auto& xavier = runs[0];
  const auto& normal = runs[1];
  EXPECT_FALSE(xavier.result.diverged) << xavier.result.message;
  EXPECT_EQ(xavier.result.steps, 20u);
  // The note's claim, on the whole training slice after one epoch.
  EXPECT_LT(xavier.train_loss, normal.train_loss);
  EXPECT_GT(xavier.held_out_accuracy, normal.held_out_accuracy);
  // Xavier has learned something: below the uniform-guess cost ln 10.
  EXPECT_LT(xavier.train_loss, std::log(10.0));
  // Records the report draws.
  EXPECT_EQ(xavier.hist_init.size(), 4u);
  EXPECT_EQ(xavier.hist_init[0].counts.size(), kHistogramBins);
  EXPECT_EQ(xavier.hist_init[0].total(), 1000.0 * 300.0);
  EXPECT_EQ(xavier.grid_predictions.size(), kGridDigits);
  EXPECT_EQ(d.grid.size(), kGridDigits);
}

TEST(TrainingStudy, ZeroInitStaysAtLn2OnCircles) {
  // With W = 0 and b = 0 every hidden activation is relu(0) = 0, so dW^L = 0 and
  // nothing reaches the hidden layers; only b^L moves, by the mean of
  // sigmoid(0) - y, which is 0 on the balanced 150 / 150 set. The logit stays 0
  // and the cost ln 2: the course's "zeros: 50% / 50%, cost stays at ln 2".
  // He (15,000 steps at lr 0.01, as in the course) gets far below it.
  TrainingConfig c;
  c.preset = Preset::course_circles;
  c.inits = {"zeros", "he_normal"};
  const TrainingSetup s = resolve(c);
  const auto runs = run_training(s, load_training_data(s));
  EXPECT_NEAR(runs[0].train_loss, std::log(2.0), 1e-6);
  EXPECT_LT(runs[1].train_loss, 0.25);
}

TEST(TrainingStudy, DeepLinearHalfIdentityStallsWhileOneAndAHalfMoves) {
  TrainingConfig c;
  c.preset = Preset::deep_linear;
  const TrainingSetup s = resolve(c);
  const auto runs = run_training(s, load_training_data(s));
  ASSERT_EQ(runs.size(), 2u);
  const auto& big = runs[0].result.step_loss;
  const auto& small = runs[1].result.step_loss;
  ASSERT_EQ(big.size(), 1000u);
  // 0.5 I: the cost moves by less than 1% over 1,000 steps.
  EXPECT_LT(std::abs(small.back() - small.front()) / small.front(), 0.01);
  // 1.5 I: the cost falls below 10% of its start, yet over the last 500 steps
  // it goes up again at least 100 times and stays above its lowest value
  // (it bounces across the valley instead of settling).
  const double lowest = *std::min_element(big.begin(), big.end());
  EXPECT_LT(lowest, 0.1 * big.front());
  std::size_t ups = 0;
  for (std::size_t i = big.size() - 500; i < big.size(); ++i) ups += big[i] > big[i - 1];
  EXPECT_GT(ups, 100u);
  EXPECT_GT(*std::min_element(big.end() - 100, big.end()), 1.5 * lowest);
  EXPECT_FALSE(runs[0].result.diverged);
}

// W = 1.5 I, identity activations: dL/dh^{l-1} = W^T dL/dh^l = 1.5 dL/dh^l, so the
// step-0 second moments grow by 2.25 per layer toward the input (float rounding).
TEST(TrainingStudy, StepZeroGradientsAreTheFirstBackwardPass) {
  TrainingConfig c;
  c.preset = Preset::deep_linear;
  c.inits = {"identity:1.5"};
  c.epochs = 1;
  const TrainingSetup s = resolve(c);
  const auto runs = run_training(s, load_training_data(s));
  const std::vector<double>& g = runs.at(0).grad2_step0;
  ASSERT_EQ(g.size(), 10u);
  for (std::size_t l = 1; l < g.size(); ++l) EXPECT_NEAR(g[l - 1] / g[l], 2.25, 1e-5) << l;
}

TEST(TrainingStudy, ResolveRejectsBadOverrides) {
  TrainingConfig c;
  c.preset = Preset::playground;
  c.lr = 0.0;
  EXPECT_THROW(resolve(c), std::invalid_argument);
  c.lr = std::nan("");
  EXPECT_THROW(resolve(c), std::invalid_argument);
  c.lr.reset();
  c.dataset = "moons";
  EXPECT_THROW(resolve(c), std::invalid_argument);
  c.dataset = "spiral";
  c.seeds = 0;
  EXPECT_THROW(resolve(c), std::invalid_argument);
  c.seeds = 1;
  EXPECT_EQ(resolve(c).inits[1].spec, "variance_scaling:scale=0.01,mode=fan_in,distribution=normal");
  EXPECT_EQ(parse_preset("deep-linear"), Preset::deep_linear);
  EXPECT_THROW(parse_preset("mnist"), std::invalid_argument);
}

// The presets' table: each preset's defaults as training_preset.hpp states them,
// in the one-line description `initlab train` prints.
TEST(TrainingStudy, PresetsHaveTheirDocumentedDefaults) {
  const std::pair<Preset, const char*> expected[] = {
      {Preset::note_mnist,
       "[784, 300, 300, 300, 300, 10] tanh x4 + linear, softmax_cross_entropy, sgd lr 0.1, batch 100 in order, "
       "10 epochs, mnist 8000 train / 2000 held out"},
      {Preset::playground,
       "[2, 6, 3, 1] relu x2 + sigmoid, sigmoid_cross_entropy, sgd lr 0.1, full batch in order, 2000 iterations, "
       "rings 100 train / 0 held out"},
      {Preset::course_circles,
       "[2, 10, 5, 1] relu x2 + sigmoid, sigmoid_cross_entropy, sgd lr 0.01, full batch in order, 15000 "
       "iterations, circles 300 train / 100 held out"},
      {Preset::deep_linear,
       "[2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2] linear x9 + linear, mean_squared_error, sgd lr 9e-05, full batch in "
       "order, 1000 iterations, linear 100 train / 0 held out"},
  };
  for (const auto& [p, description] : expected) {
    TrainingConfig c;
    c.preset = p;
    const TrainingSetup s = resolve(c);
    EXPECT_EQ(s.description, description) << to_string(p);
    EXPECT_EQ(parse_preset(to_string(p)), p);
    EXPECT_EQ(s.inits.size(), default_inits(p).size()) << to_string(p);
  }
}

// lib/ names the TrainingConfig field and the value, never `initlab train`'s option.
TEST(TrainingStudy, ResolveErrorsNameTheFieldNotAFlag) {
  const auto field_of = [](const TrainingConfig& c) {
    try {
      (void)resolve(c);
    } catch (const ConfigError& e) {
      for (const char* flag : {"--preset", "--dataset", "--data", "--lr", "--epochs", "--train", "--seeds", "--init"})
        EXPECT_EQ(std::string(e.what()).find(flag), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(e.detail), std::string::npos) << e.what();
      return e.field;
    }
    return std::string("(accepted)");
  };
  TrainingConfig c;
  c.preset = Preset::playground;
  c.lr = -0.5;
  EXPECT_EQ(field_of(c), "lr");
  c.lr.reset();
  c.dataset = "moons";
  EXPECT_EQ(field_of(c), "dataset");
  c.dataset = "rings";
  c.data_dir = "somewhere";
  EXPECT_EQ(field_of(c), "data_dir");
  c.data_dir.clear();
  c.epochs = 0;
  EXPECT_EQ(field_of(c), "epochs");
  c.epochs.reset();
  c.n_train = 0;
  EXPECT_EQ(field_of(c), "n_train");
  c.n_train.reset();
  c.seeds = 0;
  EXPECT_EQ(field_of(c), "seeds");
  c.seeds = 1;
  c.inits = {"bogus"};
  EXPECT_EQ(field_of(c), "inits");
  try {
    (void)parse_preset("mnist");
    ADD_FAILURE() << "mnist accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.field, "preset");
    EXPECT_EQ(e.detail, "unknown preset 'mnist'; expected note-mnist, playground, course-circles or deep-linear");
  }
}

}  // namespace
