// `initlab train --net`: a described plain network replaces a preset's.
#include <gtest/gtest.h>

#include <stdexcept>

#include "study/net_file.hpp"
#include "study/training_preset.hpp"
#include "study/training_study.hpp"

namespace initlab::study {
namespace {

TrainingConfig circles(std::size_t epochs) {
  TrainingConfig c;
  c.preset = Preset::course_circles;
  c.epochs = epochs;
  return c;
}

// The course-circles file (he_normal in every layer) trains exactly as the preset
// with --init he_normal: the same network, weights and steps.
TEST(TrainingNet, PresetFileTrainsAsThePreset) {
  TrainingConfig a = circles(30);
  a.net = parse_arch("2-10:relu:he_normal-5-1:sigmoid");
  const TrainingSetup sa = resolve(a);
  ASSERT_EQ(sa.inits.size(), 1u);
  EXPECT_EQ(sa.inits[0].layers, (std::vector<std::string>{"he_normal", "he_normal", "he_normal"}));
  TrainingConfig b = circles(30);
  b.inits = {"he_normal"};
  const TrainingSetup sb = resolve(b);
  const auto ra = run_training(sa, load_training_data(sa));
  const auto rb = run_training(sb, load_training_data(sb));
  ASSERT_EQ(ra.size(), 1u);
  EXPECT_EQ(ra[0].result.step_loss, rb[0].result.step_loss);
  EXPECT_EQ(ra[0].held_out_loss, rb[0].held_out_loss);
}

TEST(TrainingNet, LayersComeFromTheNetwork) {
  TrainingConfig c = circles(2);
  c.net = parse_arch("2-16x3:tanh:lecun_normal-1:sigmoid:xavier_normal");
  const TrainingSetup s = resolve(c);
  EXPECT_EQ(s.widths, (std::vector<std::size_t>{2, 16, 16, 16, 1}));
  EXPECT_EQ(s.activations, (std::vector<std::string>{"tanh", "tanh", "tanh", "sigmoid"}));
  EXPECT_EQ(s.net, "arch");
  EXPECT_EQ(s.inits[0].layers.back(), "xavier_normal");
  c.inits = {"he_normal"};  // an --init puts its spec in every layer
  const TrainingSetup u = resolve(c);
  EXPECT_TRUE(u.inits[0].layers.empty());
  EXPECT_EQ(u.inits[0].spec, "he_normal");
  const auto runs = run_training(s, load_training_data(s));
  EXPECT_FALSE(runs[0].result.diverged);
}

TEST(TrainingNet, NetworksThatDoNotFitAreRejected) {
  TrainingConfig c = circles(1);
  c.net = parse_arch("3-4:relu:he_normal-1:sigmoid");  // circles have 2 features
  EXPECT_THROW(resolve(c), std::invalid_argument);
  c.net = parse_arch("2-4:relu:he_normal-2:sigmoid");  // one logistic output
  EXPECT_THROW(resolve(c), std::invalid_argument);
  c.net = parse_arch("2-4:relu:he_normal-1:sigmoid:he_normal:(normal:0.1)");
  EXPECT_TRUE(resolve(c).model.has_value());  // two bias specs fit: trained as an nn::Model
  c.net = parse_net(R"j({"input": 2, "layers": [{"width": 1, "activation": "sigmoid", "init": "zeros"},
                                              {"norm": "layernorm"}]})j", "n.json");
  EXPECT_THROW(resolve(c), std::invalid_argument);
}

}  // namespace
}  // namespace initlab::study
