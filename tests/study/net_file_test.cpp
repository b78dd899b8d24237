#include "study/net_file.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <stdexcept>
#include <string>

#include "support/temp_dir.hpp"

namespace initlab::study {
namespace {

// The error parse_net gives for TEXT, or "" when it parses.
std::string error_of(const std::string& text) {
  try {
    parse_net(text, "net.json");
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

std::string arch_error(const std::string& arch) {
  try {
    parse_arch(arch);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

const DenseLayer& dense(const NetDescription& net, std::size_t k) { return std::get<DenseLayer>(net.blocks.at(k)); }

TEST(NetFile, ParsesTheNoteMnistNet) {
  const auto net = parse_net(R"j({"name": "note-mnist", "input": 784, "layers": [
      {"repeat": 4, "width": 300, "activation": "tanh", "init": "lecun_normal"},
      {"width": 10, "activation": "linear", "init": "xavier_normal", "bias": "normal:0.1"}]})j",
                             "net.json");
  EXPECT_EQ(net.name, "note-mnist");
  EXPECT_EQ(net.input, 784u);
  ASSERT_EQ(net.blocks.size(), 5u);
  EXPECT_TRUE(net.plain());
  for (std::size_t k = 0; k < 4; ++k) {
    EXPECT_EQ(dense(net, k).width, 300u);
    EXPECT_EQ(dense(net, k).activation.kind, Activation::Kind::tanh);
    EXPECT_EQ(dense(net, k).init, "lecun_normal");
    EXPECT_EQ(dense(net, k).bias, "zeros");
  }
  EXPECT_EQ(dense(net, 4).width, 10u);
  EXPECT_EQ(dense(net, 4).activation.kind, Activation::Kind::linear);
  EXPECT_EQ(dense(net, 4).bias, "normal:0.1");
}

TEST(NetFile, ParsesResidualNormAndGroups) {
  const auto net = parse_net(R"j({"input": 16, "layers": [
      {"width": 32, "activation": "relu", "init": "he_normal"},
      {"residual": {"repeat": 4, "alpha": "1/sqrt(L)", "norm": "layernorm",
                    "branch": [{"width": 64, "activation": "relu", "init": "he_normal"},
                               {"width": 32, "activation": "linear", "init": "lecun_normal"}]}},
      {"residual": {"alpha": 0.5, "norm": {"norm": "batchnorm", "affine": true, "eps": 1e-3},
                    "branch": [{"width": 32, "activation": "tanh", "init": "lecun_normal", "repeat": 2}]}},
      {"repeat": 3, "layers": [{"width": 32, "activation": "relu", "init": "he_normal"},
                               {"norm": "batchnorm"}]},
      {"norm": "layernorm", "affine": true}]})j",
                             "net.json");
  ASSERT_EQ(net.blocks.size(), 1u + 4u + 1u + 6u + 1u);
  EXPECT_EQ(net.residual_blocks(), 5u);
  const auto& r = std::get<Residual>(net.blocks[1]);
  EXPECT_EQ(r.scale, Residual::Scale::inv_sqrt_blocks);
  EXPECT_DOUBLE_EQ(r.alpha, 1.0 / std::sqrt(5.0));  // L counts every residual block
  ASSERT_TRUE(r.pre_norm);
  EXPECT_EQ(r.pre_norm->kind, Norm::Kind::layer);
  EXPECT_FALSE(r.pre_norm->affine);
  ASSERT_EQ(r.branch.size(), 2u);
  EXPECT_EQ(r.branch[0].width, 64u);
  const auto& r2 = std::get<Residual>(net.blocks[5]);
  EXPECT_EQ(r2.scale, Residual::Scale::fixed);
  EXPECT_EQ(r2.alpha, 0.5);
  EXPECT_EQ(r2.pre_norm->kind, Norm::Kind::batch);
  EXPECT_TRUE(r2.pre_norm->affine);
  EXPECT_EQ(r2.pre_norm->eps, 1e-3);
  EXPECT_EQ(r2.branch.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<DenseLayer>(net.blocks[6]));
  EXPECT_EQ(std::get<Norm>(net.blocks[7]).kind, Norm::Kind::batch);
  EXPECT_EQ(std::get<Norm>(net.blocks[11]).kind, Norm::Kind::batch);
  const auto& last = std::get<Norm>(net.blocks[12]);
  EXPECT_TRUE(last.affine);
  EXPECT_EQ(last.eps, 1e-5);
  EXPECT_EQ(layer_count(net), 1u + 4u * 3u + 3u + 6u + 1u);
  EXPECT_NO_THROW(net.validate());
}

TEST(NetFile, SyntaxErrorsGiveLineAndColumn) {
  EXPECT_EQ(error_of("{\"input\": 4,\n  \"layers\": [tru]}"),
            "net.json:2:17: not valid JSON: syntax error while parsing value - invalid literal; last read: "
            "'\"layers\": [tru]'");
  EXPECT_EQ(error_of(""), "net.json:1:1: not valid JSON: syntax error while parsing value - unexpected end "
                          "of input; expected '[', '{', or a literal");
  EXPECT_EQ(error_of("{\"input\": 4,}").substr(0, 33), "net.json:1:13: not valid JSON: sy");
}

TEST(NetFile, WrongTypesNameTheField) {
  EXPECT_EQ(error_of("[1]"), "net.json: [1 item] is not an object; expected an object {\"input\": N, \"layers\": [...]}");
  EXPECT_EQ(error_of(R"j({"input": "784", "layers": []})j"), "net.json: input: \"784\" is not an integer in [1, 1048576]");
  EXPECT_EQ(error_of(R"j({"input": 4, "layers": [{"width": 3.5, "activation": "tanh", "init": "zeros"}]})j"),
            "net.json: layers[0].width: 3.5 is not an integer in [1, 1048576]");
  EXPECT_EQ(error_of(R"j({"input": 4, "layers": [{"width": -3, "activation": "tanh", "init": "zeros"}]})j"),
            "net.json: layers[0].width: -3 is not an integer in [1, 1048576]");
  EXPECT_EQ(error_of(R"j({"input": 4, "layers": {"width": 3}})j"),
            "net.json: layers: {\"width\": ...} is not a non-empty list; expected blocks");
  EXPECT_EQ(error_of(R"j({"input": 4, "layers": [{"norm": "layernorm", "affine": 1}]})j"),
            "net.json: layers[0].affine: 1 is not true or false");
  EXPECT_EQ(error_of(R"j({"input": 4, "layers": [{"norm": "layernorm", "eps": 0}]})j"),
            "net.json: layers[0].eps: 0 is not > 0; expected eps > 0");
  EXPECT_EQ(error_of(R"j({"input": 4, "layers": [{"norm": "groupnorm"}]})j"),
            "net.json: layers[0].norm: \"groupnorm\" is not a norm; expected \"layernorm\" or \"batchnorm\"");
}

TEST(NetFile, UnknownAndDuplicateKeysAreErrors) {
  EXPECT_EQ(error_of(R"j({"input": 4, "layers": [{"widht": 3}]})j"),
            "net.json: layers[0].widht: unknown key \"widht\" in a dense layer; expected one of width, "
            "activation, init, bias, repeat");
  EXPECT_EQ(error_of(R"j({"input": 4, "layer": []})j"),
            "net.json: layer: unknown key \"layer\" in a network file; expected one of name, input, layers");
  EXPECT_EQ(error_of(R"j({"input": 4, "layers": [{"residual": {"branch": [], "scale": 1}}]})j"),
            "net.json: layers[0].residual.scale: unknown key \"scale\" in a residual block; expected one of "
            "branch, alpha, norm, repeat");
  EXPECT_EQ(error_of(R"j({"input": 4, "layers": [{"width": 3, "width": 4}]})j"),
            "net.json: layers[0].width: the key \"width\" is given twice in one object; expected each key once");
  EXPECT_EQ(error_of(R"j({"input": 4, "input": 5})j"),
            "net.json: input: the key \"input\" is given twice in one object; expected each key once");
}

TEST(NetFile, MissingFieldsAreNamed) {
  EXPECT_EQ(error_of(R"j({"input": 4, "layers": [{"activation": "tanh", "init": "zeros"}]})j"),
            "net.json: layers[0]: \"width\" is missing; expected a width");
  EXPECT_EQ(error_of(R"j({"layers": []})j"), "net.json: \"input\" is missing; expected the input width");
  EXPECT_EQ(error_of(R"j({"input": 4, "layers": [{"width": 4, "activation": "tanh"}]})j"),
            "net.json: layers[0]: \"init\" is missing; expected a weight initializer spec");
  EXPECT_EQ(error_of(R"j({"input": 4, "layers": [{"residual": {"alpha": 1}}]})j"),
            "net.json: layers[0].residual: \"branch\" is missing; expected a list of dense layers");
}

TEST(NetFile, SpecsAreChecked) {
  const auto act = error_of(R"j({"input": 4, "layers": [{"width": 4, "activation": "tahn", "init": "zeros"}]})j");
  EXPECT_EQ(act.rfind("net.json: layers[0].activation: Activation::parse: unknown activation \"tahn\"", 0), 0u)
      << act;
  const auto ini = error_of(R"j({"input": 4, "layers": [{"width": 4, "activation": "tanh", "init": "he_nromal"}]})j");
  EXPECT_EQ(ini.rfind("net.json: layers[0].init: he_nromal: unknown initializer 'he_nromal'", 0), 0u) << ini;
  const auto bias = error_of(R"j({"input": 4, "layers": [{"width": 4, "activation": "tanh", "init": "zeros",
                                  "bias": "normal:-1"}]})j");
  EXPECT_EQ(bias.rfind("net.json: layers[0].bias: ", 0), 0u) << bias;
  EXPECT_EQ(error_of(R"j({"input": 4, "layers": [{"residual": {"alpha": "1/L", "branch": []}}]})j"),
            "net.json: layers[0].residual.alpha: \"1/L\" is not a number or \"1/sqrt(L)\"");
}

// Deep nesting is an error, never a crash (the parser and the messages do not recurse).
TEST(NetFile, DeepNestingIsAnErrorNotACrash) {
  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  EXPECT_EQ(error_of(deep), "net.json: [1 item] is not an object; expected an object {\"input\": N, \"layers\": [...]}");
  EXPECT_EQ(error_of(R"j({"input": 4, "layers": )j" + deep + "}"),
            "net.json: layers[0]: [1 item] is not an object; expected a block (a dense layer, {\"norm\": ...}, "
            "{\"residual\": ...} or a group)");
}

TEST(NetFile, RepeatsAreBounded) {
  EXPECT_EQ(error_of(R"j({"input": 4, "layers": [{"repeat": 0, "width": 4, "activation": "tanh", "init": "zeros"}]})j"),
            "net.json: layers[0].repeat: 0 is not an integer in [1, 10000]");
  EXPECT_EQ(error_of(R"j({"input": 4, "layers": [{"repeat": 10001, "width": 4, "activation": "tanh", "init": "zeros"}]})j"),
            "net.json: layers[0].repeat: 10001 is not an integer in [1, 10000]");
  // 100 x 101 layers: every repeat is allowed, their product is not.
  EXPECT_EQ(error_of(R"j({"input": 4, "layers": [{"repeat": 100, "layers": [
                       {"repeat": 101, "width": 4, "activation": "tanh", "init": "zeros"}]}]})j"),
            "net.json: layers[0]: the network grows beyond 10000 layers (dense layers and norms, repeats "
            "expanded); expected at most 10000");
  std::string deep = R"j({"width": 4, "activation": "tanh", "init": "zeros"})j";
  for (int k = 0; k < 9; ++k) deep = "{\"layers\": [" + deep + "]}";
  const auto nested = error_of(R"j({"input": 4, "layers": [)j" + deep + "]}");
  EXPECT_NE(nested.find("nested 9 deep; expected at most 8"), std::string::npos) << nested;
}

TEST(NetFile, ResidualWidthMismatchNamesTheLayer) {
  EXPECT_EQ(error_of(R"j({"input": 4, "layers": [{"width": 8, "activation": "tanh", "init": "zeros"},
      {"residual": {"branch": [{"width": 16, "activation": "tanh", "init": "zeros"},
                               {"width": 7, "activation": "linear", "init": "zeros"}]}}]})j"),
            "net.json: layers[1].residual: block 2: residual branch ends at width 7, expected the block's "
            "input width 8");
  // In the second repeat of a group the residual's input is 3, not 4.
  EXPECT_EQ(error_of(R"j({"input": 4, "layers": [{"repeat": 2, "layers": [
      {"residual": {"branch": [{"width": 4, "activation": "tanh", "init": "zeros"}]}},
      {"width": 3, "activation": "tanh", "init": "zeros"}]}]})j"),
            "net.json: layers[0].layers[0].residual: block 3: residual branch ends at width 4, expected the "
            "block's input width 3");
}

TEST(NetFile, LoadNamesTheFileAndDefaultsTheName) {
  const testing::TempDir dir;
  const auto path = dir.path() / "my net.json";
  std::ofstream(path) << R"j({"input": 2, "layers": [{"width": 1, "activation": "sigmoid", "init": "zeros"}]})j";
  EXPECT_EQ(load_net(path).name, "my_net");
  std::ofstream(path) << "{";
  try {
    load_net(path);
    ADD_FAILURE() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).rfind(path.string() + ":1:2: not valid JSON", 0), 0u) << e.what();
  }
  EXPECT_THROW(load_net(dir.path() / "missing.json"), std::invalid_argument);
}

TEST(NetArch, ParsesTheCompactForm) {
  const auto net = parse_arch("784-300x4:tanh:lecun_normal-10:linear:xavier_normal");
  ASSERT_EQ(net.blocks.size(), 5u);
  EXPECT_EQ(net.input, 784u);
  EXPECT_EQ(dense(net, 3).width, 300u);
  EXPECT_EQ(dense(net, 3).init, "lecun_normal");
  EXPECT_EQ(dense(net, 4).activation.kind, Activation::Kind::linear);
  EXPECT_EQ(dense(net, 4).init, "xavier_normal");
  const auto p = parse_arch("2-64x3:(leaky_relu:0.2):he_normal:(constant:-0.5)-1:sigmoid");
  EXPECT_EQ(dense(p, 0).activation.slope, 0.2);
  EXPECT_EQ(dense(p, 2).bias, "constant:-0.5");
  EXPECT_EQ(dense(p, 3).activation.kind, Activation::Kind::sigmoid);
  EXPECT_EQ(dense(p, 3).init, "he_normal");     // repeated from the layer before
  EXPECT_EQ(dense(p, 3).bias, "constant:-0.5");
}

TEST(NetArch, BadStringsSayWhatWasExpected) {
  EXPECT_EQ(arch_error("784"), "arch \"784\": no layers; expected INPUT-LAYER[-LAYER...], e.g. "
                               "784-300x4:tanh:lecun_normal-10:linear:xavier_normal");
  EXPECT_EQ(arch_error("784-300"), "arch \"784-300\": layer 1 \"300\": the first layer gives no activation; "
                                   "expected WIDTH[xREPEAT]:ACTIVATION:INIT[:BIAS]");
  EXPECT_EQ(arch_error("784-0:tanh:zeros"), "arch \"784-0:tanh:zeros\": layer 1 \"0:tanh:zeros\": width \"0\" "
                                            "is not an integer in [1, 1048576]");
  EXPECT_EQ(arch_error("4-3x0:tanh:zeros"), "arch \"4-3x0:tanh:zeros\": layer 1 \"3x0:tanh:zeros\": repeat \"0\" "
                                            "is not an integer in [1, 10000]");
  EXPECT_NE(arch_error("4-3:tahn:zeros").find("layer 1 \"3:tahn:zeros\": activation: Activation::parse"),
            std::string::npos);
  EXPECT_NE(arch_error("4-3:tanh:(normal:0.1").find("a '(' is not closed"), std::string::npos);
  EXPECT_NE(arch_error("4-3:tanh:zeros-2:relu:zeros:zeros:zeros").find("5 fields"), std::string::npos);
  EXPECT_NE(arch_error("x-3:tanh:zeros").find("input: width \"x\""), std::string::npos);
  EXPECT_NE(arch_error("4-3x9999:tanh:zeros-3x9999").find("grows beyond 10000 layers"), std::string::npos);
}

}  // namespace
}  // namespace initlab::study
