// One sweep configuration through its study (lib/study/sweep.cpp): the rows are
// the study's own numbers, a bad configuration becomes a failed record, and the
// record line round-trips exactly.
#include "study/sweep.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "study/net_variance.hpp"
#include "study/phase_study.hpp"
#include "study/spectrum_study.hpp"
#include "study/variance_study.hpp"

namespace initlab::study {
namespace {

SweepSpec phase_spec() {
  return parse_sweep_spec(R"({"study": "phase", "sw2": [0.5, 2.5], "sb2": 0.05, "width": 32,
                              "depth": 8, "seeds": 2, "pairs": 2, "seed": 5})",
                          "p.json");
}

TEST(Sweep, PhaseRowIsTheCellOfThePhaseStudy) {
  const SweepRecord r = run_configuration(phase_spec(), 1);
  EXPECT_EQ(r.id, 1u);
  EXPECT_EQ(r.status, SweepStatus::ok);
  ASSERT_EQ(r.rows.size(), 1u);
  ASSERT_EQ(r.rows[0].size(), sweep_columns(SweepStudy::phase).size());
  PhaseConfig c;
  c.sw2s = {2.5};
  c.sb2s = {0.05};
  c.width = 32;
  c.depth = 8;
  c.seeds = 2;
  c.pairs = 2;
  c.seed = 5;
  const PhaseCell x = run_phase(c).cells.front();
  EXPECT_EQ(std::get<std::string>(r.rows[0][0]), "chaotic");
  EXPECT_EQ(std::get<double>(r.rows[0][2]), x.q.mean);   // q
  EXPECT_EQ(std::get<double>(r.rows[0][6]), x.c.mean);   // c
  EXPECT_EQ(std::get<double>(r.rows[0][10]), x.chi1.mean);  // chi1
}

TEST(Sweep, VarianceHasOneRowPerLayer) {
  const SweepSpec s = parse_sweep_spec(
      R"({"study": "variance", "activation": "relu", "init": "he_normal", "width": 16,
          "depth": 4, "batch": 8, "seeds": 2})",
      "v.json");
  const SweepRecord r = run_configuration(s, 0);
  EXPECT_EQ(r.status, SweepStatus::ok);
  ASSERT_EQ(r.rows.size(), 4u);
  VarianceConfig c;
  c.activations = {Activation::parse("relu")};
  c.inits = {"he_normal"};
  c.widths.assign(5, 16);
  c.batch = 8;
  c.seeds = 2;
  c.seed = 1;
  const auto rows = run_variance(c).pairs.front().rows;
  for (std::size_t l = 0; l < 4; ++l) {
    EXPECT_EQ(std::get<double>(r.rows[l][0]), static_cast<double>(l + 1));
    EXPECT_EQ(std::get<double>(r.rows[l][1]), rows[l].q.log_mean);
    EXPECT_EQ(std::get<double>(r.rows[l][2]), rows[l].theory.ln_q);
  }
}

// A net configuration's rows are run_net_variance's, with init replaced where asked.
TEST(Sweep, NetHasOneRowPerLayerOfTheNetVarianceStudy) {
  const SweepSpec s = parse_sweep_spec(
      R"({"study": "net", "net": {"name": "n", "input": 8, "layers": [
            {"repeat": 3, "width": 8, "activation": "tanh", "init": "lecun_normal"}]},
          "init": ["net", "orthogonal"], "batch": 8, "seeds": 2})",
      "n.json");
  for (std::size_t id : {0u, 1u}) {
    const SweepRecord r = run_configuration(s, id);
    EXPECT_EQ(r.status, SweepStatus::ok) << r.error;
    ASSERT_EQ(r.rows.size(), 3u);
    NetVarianceConfig c;
    c.net.name = "n";
    c.net.input = 8;
    for (int l = 0; l < 3; ++l)
      c.net.blocks.push_back(DenseLayer{8, Activation::parse("tanh"), id == 0 ? "lecun_normal" : "orthogonal", "zeros"});
    c.batch = 8;
    c.seeds = 2;
    c.seed = 1;
    const auto rows = run_net_variance(c).rows;
    for (std::size_t l = 0; l < 3; ++l) {
      EXPECT_EQ(std::get<double>(r.rows[l][0]), static_cast<double>(l + 1));
      EXPECT_EQ(std::get<std::string>(r.rows[l][1]), "dense");
      EXPECT_EQ(std::get<double>(r.rows[l][3]), rows[l].q.log_mean);
      EXPECT_EQ(std::get<double>(r.rows[l][4]), rows[l].theory.ln_q);
    }
  }
}

TEST(Sweep, SpectrumRowIsTheDepthOfTheSpectrumStudy) {
  const SweepSpec s = parse_sweep_spec(
      R"({"study": "spectrum", "activation": "tanh", "ensemble": ["gaussian", "orthogonal", "haar"],
          "sw2": 1.2, "width": 16, "depth": 5, "seeds": 2, "seed": 3})",
      "s.json");
  const SweepRecord r = run_configuration(s, 1);
  EXPECT_EQ(r.status, SweepStatus::ok);
  ASSERT_EQ(r.rows.size(), 1u);
  ASSERT_EQ(r.rows[0].size(), sweep_columns(SweepStudy::spectrum).size());
  SpectrumConfig c;
  c.activations = {Activation::parse("tanh")};
  c.ensembles = {theory::WeightEnsemble::orthogonal};
  c.sw2 = 1.2;
  c.width = 16;
  c.depths = {5};
  c.seeds = 2;
  c.seed = 3;
  const SpectrumRow x = run_spectrum(c).pairs.front().rows.front();
  EXPECT_EQ(std::get<double>(r.rows[0][2]), x.mean_s2.mean);
  EXPECT_EQ(std::get<double>(r.rows[0][4]), x.mean_s2_theory);
  EXPECT_EQ(std::get<double>(r.rows[0][9]), x.max_s);
  const SweepRecord bad = run_configuration(s, 2);
  EXPECT_EQ(bad.status, SweepStatus::failed);
  EXPECT_EQ(bad.error, "sweep: ensemble 'haar'; expected gaussian or orthogonal");
}

TEST(Sweep, ABadConfigurationIsAFailedRecordWithItsError) {
  const SweepSpec s = parse_sweep_spec(
      R"({"study": "variance", "activation": ["tanh", "mish"], "init": "he_normal",
          "width": 8, "depth": 2, "batch": 4, "seeds": 1})",
      "v.json");
  const SweepRecord bad = run_configuration(s, 1);
  EXPECT_EQ(bad.status, SweepStatus::failed);
  EXPECT_TRUE(bad.rows.empty());
  EXPECT_NE(bad.error.find("mish"), std::string::npos);
  EXPECT_EQ(bad.key, "activation=mish init=he_normal width=8 depth=2 batch=4 seeds=1 seed=1 bias_std=0.0");
  EXPECT_EQ(run_configuration(s, 0).status, SweepStatus::ok);
}

TEST(Sweep, DivergedWhenTheSignalOverflows) {
  // W ~ N(0, 1000^2) at width 8 multiplies q by 8e6 per layer: h leaves double
  // (|h| > 1.8e308) near layer 88; with a bias the run cannot be rescaled.
  const SweepSpec s = parse_sweep_spec(
      R"({"study": "variance", "activation": "linear", "init": "normal:1000", "bias_std": 1, "width": 8,
          "depth": 150, "batch": 2, "seeds": 1})",
      "v.json");
  EXPECT_EQ(run_configuration(s, 0).status, SweepStatus::diverged);
}

TEST(Sweep, RecordLineRoundTripsExactly) {
  SweepRecord r;
  r.id = 7;
  r.key = "a=b";
  r.status = SweepStatus::diverged;
  r.error = "line \"one\", two";
  r.rows = {{std::string("ordered"), 0.1, std::nan(""), 1e-300}, {2.0, -0.0}};
  const std::string line = record_line(r);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  const SweepRecord back = record_from_line(line, "j");
  EXPECT_EQ(back.id, 7u);
  EXPECT_EQ(back.key, r.key);
  EXPECT_EQ(back.status, r.status);
  EXPECT_EQ(back.error, r.error);
  ASSERT_EQ(back.rows.size(), 2u);
  EXPECT_EQ(std::get<std::string>(back.rows[0][0]), "ordered");
  EXPECT_EQ(std::get<double>(back.rows[0][1]), 0.1);
  EXPECT_TRUE(std::isnan(std::get<double>(back.rows[0][2])));
  EXPECT_EQ(std::get<double>(back.rows[0][3]), 1e-300);
  EXPECT_EQ(record_line(back), line);
  EXPECT_THROW(record_from_line("{\"id\": 1}", "j"), std::invalid_argument);
  EXPECT_THROW(record_from_line("not json", "j"), std::invalid_argument);
}

}  // namespace
}  // namespace initlab::study
