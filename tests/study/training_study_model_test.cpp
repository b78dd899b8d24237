// The training study on described networks trained as nn::Model (residual and norm
// blocks, per-layer biases): the same step-0 probes as nn::Network for a plain net,
// a block net that learns, the probes' shapes, and nets that do not fit a preset.
#include "study/training_study.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <utility>
#include <variant>

namespace {

using namespace initlab;
using namespace initlab::study;

DenseLayer dense(std::size_t width, const char* activation, const char* init) {
  return DenseLayer{width, Activation::parse(activation), init, "zeros"};
}

// The course's circles network [2, 10, 5, 1].
NetDescription circles_net() {
  NetDescription d;
  d.name = "circles";
  d.input = 2;
  d.blocks = {dense(10, "relu", "he_normal"), dense(5, "relu", "he_normal"), dense(1, "sigmoid", "he_normal")};
  return d;
}

// 2 -> 16, two pre-LayerNorm residual blocks, a BatchNorm, -> 1 sigmoid (then a
// LayerNorm when norm_last).
NetDescription block_net(bool norm_last = false) {
  NetDescription d;
  d.name = "blocks";
  d.input = 2;
  Residual r;
  r.branch = {dense(16, "relu", "he_normal"), dense(16, "linear", "lecun_normal")};
  r.pre_norm = Norm{};
  r.alpha = 1.0 / std::sqrt(2.0);
  d.blocks = {dense(16, "relu", "he_normal"), Block{r}, Block{r}, Block{Norm{Norm::Kind::batch, true, 1e-5}},
              dense(1, "sigmoid", "xavier_normal")};
  if (norm_last) d.blocks.emplace_back(std::in_place_type<Norm>);
  return d;
}

TrainingSetup circles(const NetDescription& net, std::size_t epochs, std::vector<std::string> inits = {}) {
  TrainingConfig c;
  c.preset = Preset::course_circles;
  c.net = net;
  c.epochs = epochs;
  c.inits = std::move(inits);
  return resolve(c);
}

// Model and Network share the seed split and the kernels (nn/model.hpp), so a plain
// net's probes before any update agree bit for bit on either path, LSUV included.
TEST(TrainingStudyModel, APlainNetAsAModelHasTheNetworksStepZero) {
  for (const char* init : {"he_normal", "lsuv"}) {
    SCOPED_TRACE(init);
    const TrainingSetup plain = circles(circles_net(), 1, {init});
    ASSERT_FALSE(plain.model.has_value());
    TrainingSetup as_model = plain;
    as_model.model = circles_net();
    const TrainingData data = load_training_data(plain);
    const RunRecord a = run_training(plain, data).at(0), b = run_training(as_model, data).at(0);
    EXPECT_EQ(a.grad2_step0, b.grad2_step0);
    EXPECT_EQ(a.result.step_loss, b.result.step_loss);  // one step: its loss is before the update
    EXPECT_EQ(a.lsuv_unconverged, b.lsuv_unconverged);
    ASSERT_EQ(a.hist_init.size(), b.hist_init.size());
    for (std::size_t l = 0; l < a.hist_init.size(); ++l) EXPECT_EQ(a.hist_init[l].counts, b.hist_init[l].counts);
    EXPECT_EQ(a.saturated_init, b.saturated_init);
  }
}

// A residual + LayerNorm + BatchNorm net trains on the circles: its loss falls
// well below where it started, and every probe has a block net's shape.
TEST(TrainingStudyModel, ABlockNetLearnsTheCircles) {
  const TrainingSetup s = circles(block_net(), 300);
  ASSERT_TRUE(s.model.has_value());
  EXPECT_EQ(s.description.substr(0, 55), "network blocks 2 -> 1, 5 blocks (2 dense, 2 residual, 1");
  for (const char* init : {"", "lsuv"}) {
    SCOPED_TRACE(init);
    TrainingSetup t = s;
    if (*init) t.inits = {NamedInit{"lsuv", "lsuv"}};
    const RunRecord r = run_training(t, load_training_data(t)).at(0);
    ASSERT_FALSE(r.result.diverged) << r.result.message;
    EXPECT_EQ(r.result.steps, 300u);
    EXPECT_LT(r.train_loss, 0.5 * r.result.step_loss.front()) << r.result.step_loss.front();
    EXPECT_GT(r.held_out_accuracy, 0.75);  // chance is 0.5
    EXPECT_EQ(r.lsuv_unconverged, 0u);
    EXPECT_EQ(r.grad2_step0.size(), 6u);  // dense layers: 1, two per branch, the output
    for (double g : r.grad2_step0) EXPECT_GT(g, 0.0);
    ASSERT_EQ(r.hist_init.size(), 4u);    // every block's output but the last
    EXPECT_EQ(r.hist_init[1].total(), 100.0 * 16.0);  // the held-out rows, 16 units
    ASSERT_EQ(r.saturated_init.size(), 4u);
    EXPECT_TRUE(std::isfinite(r.saturated_init[0]));  // a dense block's relu
    EXPECT_TRUE(std::isnan(r.saturated_init[1]));     // a residual block's output
    EXPECT_EQ(r.boundary.n, 101u);
  }
}

// Per-layer bias specs, which an nn::Network cannot hold, make a Model.
TEST(TrainingStudyModel, PerLayerBiasesTrainAsAModel) {
  NetDescription d = circles_net();
  std::get<DenseLayer>(d.blocks[0]).bias = "constant:0.1";
  const TrainingSetup s = circles(d, 50);
  ASSERT_TRUE(s.model.has_value());
  const RunRecord r = run_training(s, load_training_data(s)).at(0);
  EXPECT_LT(r.train_loss, r.result.step_loss.front());
}

std::string error_of(const NetDescription& d) {
  try {
    (void)circles(d, 1);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(accepted)";
}

// A net that does not fit the preset's data names the block.
TEST(TrainingStudyModel, ANetThatDoesNotFitNamesTheBlock) {
  NetDescription wide_in = block_net();
  wide_in.input = 3;
  EXPECT_NE(error_of(wide_in).find("maps 3 -> 1; the course-circles preset's data need 2 -> 1: block 1 (dense relu) "
                                   "reads 3 inputs, expected 2"),
            std::string::npos)
      << error_of(wide_in);
  NetDescription two_out = block_net();
  std::get<DenseLayer>(two_out.blocks.back()).width = 2;
  EXPECT_NE(error_of(two_out).find("block 5 (dense sigmoid) gives 2 outputs, expected 1"), std::string::npos)
      << error_of(two_out);
  const NetDescription norm_last = block_net(true);
  EXPECT_NE(error_of(norm_last).find("last block (block 6, layernorm) is not a dense layer"), std::string::npos)
      << error_of(norm_last);
}

}  // namespace
