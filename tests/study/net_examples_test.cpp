// Every network file shipped in examples/nets/ parses, the training presets' files
// describe the presets' networks, and the issue's example nets are what they say.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "study/net_file.hpp"
#include "study/training_preset.hpp"

namespace initlab::study {
namespace {

const std::filesystem::path kNets = std::filesystem::path(INITLAB_SOURCE_DIR) / "examples" / "nets";

NetDescription example(const std::string& stem) { return load_net(kNets / (stem + ".json")); }

TEST(NetExamples, EveryFileParses) {
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kNets)) {
    if (entry.path().extension() != ".json") continue;
    SCOPED_TRACE(entry.path().string());
    const NetDescription net = load_net(entry.path());
    EXPECT_NO_THROW(net.validate());
    EXPECT_EQ(net.name, entry.path().stem().string());  // the "name" matches the file
    ++files;
  }
  EXPECT_GE(files, 9u);
}

TEST(NetExamples, PresetFilesDescribeThePresets) {
  for (Preset p : {Preset::note_mnist, Preset::playground, Preset::course_circles, Preset::deep_linear}) {
    SCOPED_TRACE(std::string(to_string(p)));
    TrainingConfig c;
    c.preset = p;
    const TrainingSetup s = resolve(c);
    const NetDescription net = example(std::string(to_string(p)));
    ASSERT_TRUE(net.plain());
    ASSERT_EQ(net.blocks.size() + 1, s.widths.size());
    EXPECT_EQ(net.input, s.widths[0]);
    for (std::size_t l = 0; l < net.blocks.size(); ++l) {
      const auto& d = std::get<DenseLayer>(net.blocks[l]);
      EXPECT_EQ(d.width, s.widths[l + 1]);
      EXPECT_EQ(d.activation.name(), Activation::parse(s.activations[l]).name());
    }
  }
}

TEST(NetExamples, TheIssuesNetsAreWhatTheySay) {
  const auto res = example("residual-tanh-50");
  const auto scaled = example("residual-tanh-50-scaled");
  EXPECT_EQ(res.residual_blocks(), 50u);
  EXPECT_EQ(std::get<Residual>(res.blocks[0]).alpha, 1.0);
  EXPECT_EQ(scaled.residual_blocks(), 50u);
  EXPECT_DOUBLE_EQ(std::get<Residual>(scaled.blocks[49]).alpha, 1.0 / std::sqrt(50.0));
  const auto selu = example("selu-64");
  ASSERT_EQ(selu.blocks.size(), 64u);
  EXPECT_EQ(std::get<DenseLayer>(selu.blocks[63]).activation.kind, Activation::Kind::selu);
  EXPECT_EQ(std::get<DenseLayer>(selu.blocks[63]).init, "lecun_normal");
  const auto ln = example("prenorm-residual-relu-32");
  EXPECT_EQ(ln.residual_blocks(), 32u);
  EXPECT_EQ(std::get<Residual>(ln.blocks[31]).pre_norm->kind, Norm::Kind::layer);
  const auto bn = example("batchnorm-relu-32");
  ASSERT_EQ(bn.blocks.size(), 64u);
  EXPECT_EQ(std::get<Norm>(bn.blocks[63]).kind, Norm::Kind::batch);
  EXPECT_EQ(std::get<DenseLayer>(bn.blocks[62]).activation.kind, Activation::Kind::relu);
}

}  // namespace
}  // namespace initlab::study
