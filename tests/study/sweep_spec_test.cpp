// Sweep files (lib/study/sweep_spec.cpp): defaults, the product order and ids,
// the canonical text, and one-line errors naming the file and the field.
#include "study/sweep_spec.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "support/temp_dir.hpp"

namespace initlab::study {
namespace {

SweepSpec parse(const std::string& text) { return parse_sweep_spec(text, "s.json"); }

// The message of the std::invalid_argument that parsing `text` throws.
std::string error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(SweepSpec, FillsDefaultsInTheStudysOrder) {
  const SweepSpec s = parse(R"({"study": "phase", "sw2": 1.5})");
  EXPECT_EQ(s.study, SweepStudy::phase);
  ASSERT_EQ(s.parameters.size(), 9u);
  EXPECT_EQ(s.parameters[0].name, "activation");
  EXPECT_EQ(s.parameters[0].values[0].text, "tanh");
  EXPECT_EQ(s.parameters[1].name, "sw2");
  EXPECT_EQ(s.parameters[1].values[0].number, 1.5);
  EXPECT_EQ(s.size(), 1u);
}

TEST(SweepSpec, IdsRunOverTheProductLastParameterFastest) {
  const SweepSpec s = parse(
      R"({"study": "phase", "activation": ["tanh", "relu"], "sw2": [1, 2, 3], "sb2": [0, 0.1]})");
  ASSERT_EQ(s.size(), 12u);
  EXPECT_EQ(sweep_point(s, 0).key().substr(0, 34), "activation=tanh sw2=1.0 sb2=0.0 wi");
  const SweepPoint p1 = sweep_point(s, 1);
  EXPECT_EQ(p1.at("sb2").number, 0.1);
  EXPECT_EQ(p1.at("sw2").number, 1.0);
  const SweepPoint p7 = sweep_point(s, 7);  // 7 = 1 * 6 + 0 * 2 + 1
  EXPECT_EQ(p7.at("activation").text, "relu");
  EXPECT_EQ(p7.at("sw2").number, 1.0);
  EXPECT_EQ(p7.at("sb2").number, 0.1);
  EXPECT_EQ(sweep_point(s, 11).at("sw2").number, 3.0);
  EXPECT_THROW(sweep_point(s, 12), std::invalid_argument);
  EXPECT_THROW(p7.at("init"), std::invalid_argument);
}

TEST(SweepSpec, CanonicalTextIgnoresSpellingAndFieldOrder) {
  const SweepSpec a = parse(R"({"sw2": [1, 2.0], "study": "phase", "width": 64})");
  const SweepSpec b = parse(R"({"study": "phase", "width": [64.0], "sw2": [1.0, 2]})");
  EXPECT_EQ(a.canonical(), b.canonical());
  EXPECT_EQ(a.fingerprint(), b.fingerprint());
  EXPECT_EQ(a.fingerprint().size(), 16u);
  const SweepSpec c = parse(R"({"study": "phase", "width": 64, "sw2": [2, 1]})");
  EXPECT_NE(a.fingerprint(), c.fingerprint());  // order of the values is part of the sweep
}

TEST(SweepSpec, VarianceStudyNeedsAnInit) {
  const SweepSpec s = parse(R"({"study": "variance", "init": ["he_normal", "xavier_normal"],
                                "depth": [5, 10]})");
  EXPECT_EQ(s.size(), 4u);
  EXPECT_EQ(sweep_point(s, 3).at("init").text, "xavier_normal");
  EXPECT_EQ(sweep_point(s, 3).at("depth").number, 10.0);
  EXPECT_EQ(error_of(R"({"study": "variance"})"),
            "s.json: field 'init': is missing; expected one value or a list of init specs such "
            "as \"he_normal\"");
}

TEST(SweepSpec, SpectrumStudyNeedsSw2) {
  const SweepSpec s = parse(R"({"study": "spectrum", "ensemble": ["gaussian", "orthogonal"],
                                "sw2": 1, "depth": [1, 10, 100]})");
  EXPECT_EQ(s.size(), 6u);
  EXPECT_EQ(sweep_point(s, 4).at("ensemble").text, "orthogonal");
  EXPECT_EQ(sweep_point(s, 4).at("depth").number, 10.0);
  EXPECT_EQ(sweep_point(s, 0).at("width").number, 128.0);
  EXPECT_EQ(error_of(R"({"study": "spectrum"})").substr(0, 28), "s.json: field 'sw2': is miss");
  EXPECT_EQ(error_of(R"({"study": "spectrum", "sw2": 1, "width": 8192})"),
            "s.json: field 'width': 8192 is out of range; expected integers in [1, 4096]");
}

TEST(SweepSpec, ErrorsNameTheFileTheFieldAndWhatWasExpected) {
  EXPECT_EQ(error_of(R"({"study": "phase", "sw2": [1, 0]})"),
            "s.json: field 'sw2' item 1: 0 is out of range; expected finite numbers > 0");
  EXPECT_EQ(error_of(R"({"study": "phase", "sw2": 1, "width": 2.5})"),
            "s.json: field 'width': 2.5 is not an integer; expected integers in [1, 8192]");
  EXPECT_EQ(error_of(R"({"study": "phase", "sw2": 1, "c0": 1})"),
            "s.json: field 'c0': 1 is out of range; expected correlations in [-1, 1)");
  EXPECT_EQ(error_of(R"({"study": "phase", "sw2": []})"),
            "s.json: field 'sw2': the list is empty; expected at least one of finite numbers > 0");
  EXPECT_EQ(error_of(R"({"study": "phase", "sw2": "1"})"),
            "s.json: field 'sw2': \"1\" is not a number; expected finite numbers > 0");
  EXPECT_EQ(error_of(R"({"study": "phase", "sw2": 1, "activation": 3})"),
            "s.json: field 'activation': 3 is not a non-empty string; expected activation names "
            "such as \"tanh\"");
  EXPECT_EQ(error_of(R"({"study": "training"})"),
            "s.json: field 'study': \"training\" is not a study; expected \"variance\", \"phase\", "
            "\"spectrum\" or \"net\"");
  EXPECT_EQ(error_of(R"({"sw2": 1})"),
            "s.json: field 'study' is missing; expected \"variance\", \"phase\", \"spectrum\" or "
            "\"net\"");
  EXPECT_EQ(error_of("[1]"), "s.json: the top level is not an object; expected {\"study\": ..., ...}");
  EXPECT_NE(error_of(R"({"study": "phase", "sw2": 1, "sb": 0})")
                .find("s.json: field 'sb' is not a parameter of the phase study; expected one of"),
            std::string::npos);
  EXPECT_EQ(error_of("{\"study\": ").substr(0, 22), "s.json: not valid JSON");
}

TEST(SweepSpec, RefusesASweepTooLargeToIndex) {
  std::string many = "[";
  for (int k = 1; k <= 1000; ++k) many += std::to_string(k) + (k < 1000 ? "," : "]");
  const std::string text = R"({"study": "phase", "sw2": )" + many + R"(, "sb2": )" + many +
                           R"(, "seed": )" + many + "}";
  EXPECT_NE(error_of(text).find("expected at most 100000000"), std::string::npos);
}

TEST(SweepSpec, LoadNamesAFileItCannotRead) {
  try {
    load_sweep_spec("/nonexistent/sweep.json");
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()),
              "/nonexistent/sweep.json: missing; expected a sweep file (JSON)");
  }
}

// A network file beside the sweep file: read relative to the sweep's folder, its
// JSON held in the sweep, so editing the file changes the fingerprint.
TEST(SweepSpec, NetStudyReadsNetworksBesideTheSweepFile) {
  const testing::TempDir dir;
  std::filesystem::create_directories(dir / "nets");
  const std::string net =
      R"({"name": "tiny", "input": 4, "layers": [{"width": 3, "activation": "tanh", "init": "lecun_normal"}]})";
  testing::write_text(dir / "nets/tiny.json", net);
  const std::string sweep = R"({"study": "net", "net": ["nets/tiny.json",
      {"input": 2, "layers": [{"width": 2, "activation": "relu", "init": "he_normal"}]}]})";
  testing::write_text(dir / "s.json", sweep);
  const SweepSpec s = load_sweep_spec(dir / "s.json");
  ASSERT_EQ(s.parameters[0].name, "net");
  ASSERT_EQ(s.parameters[0].values.size(), 2u);
  EXPECT_EQ(s.parameters[0].values[0].shown(), "tiny");
  EXPECT_EQ(s.parameters[0].values[1].shown(), "net1");
  EXPECT_EQ(s.parameters[1].values[0].text, "net");  // init: each layer's own
  EXPECT_EQ(sweep_point(s, 1).key(), "net=net1 init=net batch=128 seeds=4 seed=1");
  testing::write_text(dir / "nets/tiny.json",
                      R"({"name": "tiny", "input": 4, "layers": [{"width": 3, "activation": "tanh", "init": "he_normal"}]})");
  EXPECT_NE(load_sweep_spec(dir / "s.json").fingerprint(), s.fingerprint());
}

TEST(SweepSpec, NetStudyErrorsNameTheNetworkField) {
  EXPECT_EQ(error_of(R"({"study": "net"})"),
            "s.json: field 'net': is missing; expected one value or a list of network file paths or "
            "network objects");
  EXPECT_EQ(error_of(R"({"study": "net", "net": 3})"),
            "s.json: field 'net': 3 is neither a network file's path nor a network object; expected "
            "\"nets/mine.json\" or {\"input\": ..., \"layers\": [...]}");
  const std::string e = error_of(R"({"study": "net", "net": [{"input": 2, "layers": []}]})");
  EXPECT_EQ(e.rfind("s.json: field 'net' item 0", 0), 0u) << e;
  EXPECT_EQ(error_of(R"({"study": "net", "net": "/nonexistent/n.json"})").rfind("/nonexistent/n.json", 0), 0u);
}

}  // namespace
}  // namespace initlab::study
