// Every finding of lib/study/findings.hpp on a case where it holds and one where
// it does not (hand-made study results, so each verdict's inputs are known).
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "study/findings.hpp"

namespace initlab::study {
namespace {

const Activation kTanh{Activation::Kind::tanh};
const Activation kLinear{};

stats::LogSpread at(double v, double sd = 0.0) { return {std::log(v), sd > 0 ? std::log(sd) : -INFINITY, std::log(v), std::log(v), 0.0}; }

// A pair whose measured and predicted q^l, E[a^2] are q(l); grad2 from 1 at the top.
PairResult pair(Activation f, const std::string& init, std::size_t L, double (*q)(double), double sw2 = 1.0,
                const std::string& kind = "mean_field") {
  PairResult p;
  p.activation = f;
  p.init = init;
  p.theory_kind = kind;
  p.q0 = at(1.0);
  std::vector<double> lq;
  for (std::size_t l = 1; l <= L; ++l) {
    LayerRow r;
    r.layer = l;
    const double v = q(static_cast<double>(l));
    r.q = r.a2 = at(v, 0.01 * v);
    r.grad2 = at(1.0, 0.01);
    r.saturated = {0.0, 0.0, 0.0, 0.0};
    r.theory.sw2 = sw2;
    r.theory.ln_q = r.theory.ln_second = std::log(v);
    r.theory.ln_qt = 0.0;
    p.rows.push_back(r);
    lq.push_back(std::log(v));
  }
  p.summary.slope_q = stats::log_slope(lq);
  p.summary.break_depth = stats::break_depth(0.0, lq);
  return p;
}

const Finding* find(const std::vector<Finding>& fs, const std::string& id, const std::string& subject = "") {
  for (const auto& f : fs) {
    if (f.id == id && (subject.empty() || f.subject.find(subject) != std::string::npos)) return &f;
  }
  return nullptr;
}

VarianceConfig config(std::size_t seeds = 4) {
  VarianceConfig c;
  c.seeds = seeds;
  return c;
}

TEST(VarianceFindings, PowerLawHoldsForOneOverTwoL) {
  VarianceResult r;
  r.pairs.push_back(pair(kTanh, "lecun_normal", 100, [](double l) { return 1.0 / (2.0 * l); }));
  r.pairs.push_back(pair(kTanh, "orthogonal", 100, [](double) { return 0.9; }));
  const auto fs = variance_findings(config(), r);
  ASSERT_TRUE(find(fs, "tanh_xavier_power_law", "lecun_normal"));
  EXPECT_TRUE(find(fs, "tanh_xavier_power_law", "lecun_normal")->holds);
  ASSERT_TRUE(find(fs, "tanh_xavier_power_law", "orthogonal"));
  EXPECT_FALSE(find(fs, "tanh_xavier_power_law", "orthogonal")->holds);  // constant q
}

TEST(VarianceFindings, IdentitySaturatesAtTheFixedPoint) {
  VarianceResult r;
  r.pairs.push_back(pair(kTanh, "identity:1.5", 100, [](double) { return 0.737125; }, 2.25, "exact"));
  r.pairs.push_back(pair(kTanh, "identity:2", 100, [](double) { return 0.5; }, 4.0, "exact"));
  const auto fs = variance_findings(config(), r);
  EXPECT_TRUE(find(fs, "tanh_identity_saturates", "identity:1.5")->holds);
  EXPECT_FALSE(find(fs, "tanh_identity_saturates", "identity:2")->holds);  // a*^2 = 0.915 at alpha 2
}

TEST(VarianceFindings, SignalPreservedUntilItBreaks) {
  VarianceResult r;
  r.pairs.push_back(pair(kLinear, "lecun_normal", 20, [](double) { return 1.0; }));
  r.pairs.push_back(pair(kLinear, "note_uniform", 20, [](double l) { return std::pow(1.0 / 3.0, l); }));
  const auto fs = variance_findings(config(), r);
  EXPECT_TRUE(find(fs, "signal_preserved", "lecun_normal")->holds);
  EXPECT_FALSE(find(fs, "signal_preserved", "note_uniform")->holds);
}

TEST(VarianceFindings, SaturatedGradientsGrowOnlyWhenTheyDo) {
  VarianceResult r;
  PairResult grows = pair(kTanh, "note_standard_normal", 10, [](double) { return 0.96; }, 512.0);
  PairResult shrinks = grows;
  shrinks.init = "normal:3";
  for (std::size_t i = 0; i < 10; ++i) {
    grows.rows[i].saturated.mean = shrinks.rows[i].saturated.mean = 0.9;
    grows.rows[i].grad2 = at(std::pow(10.0, 10.0 - static_cast<double>(i)));
    shrinks.rows[i].grad2 = at(std::pow(10.0, static_cast<double>(i) - 10.0));
  }
  r.pairs = {grows, shrinks};
  const auto fs = variance_findings(config(), r);
  EXPECT_TRUE(find(fs, "tanh_saturated_gradients_grow", "note_standard_normal")->holds);
  EXPECT_FALSE(find(fs, "tanh_saturated_gradients_grow", "normal:3")->holds);
}

TEST(VarianceFindings, DeterministicExactToRounding) {
  VarianceResult r;
  PairResult ok = pair(kLinear, "identity:1.5", 10, [](double l) { return std::pow(2.25, l); }, 2.25, "exact");
  PairResult off = ok;
  off.init = "identity:0.5";
  off.rows[4].q = at(1.001 * std::exp(off.rows[4].theory.ln_q));
  r.pairs = {ok, off};
  const auto fs = variance_findings(config(), r);
  EXPECT_TRUE(find(fs, "deterministic_exact", "identity:1.5")->holds);
  EXPECT_FALSE(find(fs, "deterministic_exact", "identity:0.5")->holds);
  EXPECT_FALSE(find(fs, "largest_deviation_exact")->holds);  // 1e-3 > kExactRelFloat
}

// z = |mean - theory| / (sd / sqrt(R)): the headline holds within the t_{R-1}
// quantile at kAgreeFamilyLevel / tests, tests = the finite z compared.
TEST(VarianceFindings, LargestDeviationRandomInStandardErrors) {
  VarianceResult r;
  r.pairs.push_back(pair(kTanh, "lecun_normal", 5, [](double) { return 0.5; }));
  r.pairs[0].rows[2].z_sem_a2 = 3.0;
  auto fs = variance_findings(config(), r);
  EXPECT_TRUE(find(fs, "largest_deviation_random")->holds);
  const double one = net_agree_threshold(4, 1);  // 5.84
  r.pairs[0].rows[2].z_sem_a2 = 0.999 * one;
  EXPECT_TRUE(find(variance_findings(config(), r), "largest_deviation_random")->holds);
  r.pairs[0].rows[2].z_sem_a2 = 1.001 * one;
  fs = variance_findings(config(), r);
  EXPECT_FALSE(find(fs, "largest_deviation_random")->holds);
  EXPECT_EQ(find(fs, "largest_deviation_random")->subject, "tanh lecun_normal, a2 at layer 3");
  EXPECT_EQ(find(fs, "largest_deviation_random")->thresholds.at(1).second, one);
  // Five more z compared (q at every layer): the family's threshold is 10.87, and the
  // same z holds; 16 seeds lower it again below 5.84.
  for (auto& row : r.pairs[0].rows) row.z_sem_q = 0.5;
  fs = variance_findings(config(), r);
  EXPECT_TRUE(find(fs, "largest_deviation_random")->holds);
  EXPECT_EQ(find(fs, "largest_deviation_random")->thresholds.at(1).second, net_agree_threshold(4, 6));
  EXPECT_FALSE(find(variance_findings(config(16), r), "largest_deviation_random")->holds);
}

// A deviation is explained only by a computed correction of its sign and size.
TEST(VarianceFindings, SeedSpreadExplainedByTheComputedCorrection) {
  VarianceResult r;
  PairResult p = pair(kTanh, "orthogonal", 5, [](double) { return 0.5; });
  p.weight_law = "orthogonal";
  p.finite_width.assign(5, {0.0, 0.0});
  p.rows[3].a2 = at(0.5 * 1.004, 0.5e-4);  // +0.4%, z = 0.002 / (5e-5 / 2) = 80
  p.rows[3].z_sem_a2 = 80.0;
  p.finite_width[3].rel_a2 = 0.0035;
  r.pairs = {p};
  auto fs = variance_findings(config(), r);
  ASSERT_TRUE(find(fs, "seed_spread_explained"));
  EXPECT_TRUE(find(fs, "seed_spread_explained")->holds);
  r.pairs[0].finite_width[3].rel_a2 = -0.0035;  // the wrong sign ("-sum 1/n_l")
  fs = variance_findings(config(), r);
  EXPECT_FALSE(find(fs, "seed_spread_explained")->holds);
  r.pairs[0].finite_width.clear();  // no computed expectation: never explained
  r.pairs[0].weight_law.clear();
  fs = variance_findings(config(), r);
  EXPECT_FALSE(find(fs, "seed_spread_explained")->holds);
}

// ---- training ---------------------------------------------------------------

RunRecord run(const std::string& label, const std::string& spec, double acc, std::uint64_t seed = 1) {
  RunRecord r;
  r.init = {label, spec};
  r.seed = seed;
  r.held_out_accuracy = acc;
  r.train_loss = 0.2;
  return r;
}

TrainingSetup mnist_setup() {
  TrainingSetup s;
  s.preset = Preset::note_mnist;
  s.widths = {784, 300, 10};
  return s;
}

TEST(TrainingFindings, RankingAndTheNotesClaim) {
  std::vector<RunRecord> runs = {run("note_xavier", "note_xavier", 0.92), run("note_xavier", "note_xavier", 0.921, 2),
                                 run("note_uniform", "note_uniform", 0.90), run("note_uniform", "note_uniform", 0.899, 2)};
  auto fs = training_findings(mnist_setup(), runs);
  EXPECT_TRUE(find(fs, "init_ranking")->holds);
  EXPECT_EQ(find(fs, "init_ranking")->subject, "note_xavier > note_uniform");
  EXPECT_TRUE(find(fs, "note_claim_holds")->holds);
  runs[2].held_out_accuracy = runs[3].held_out_accuracy = 0.95;
  fs = training_findings(mnist_setup(), runs);
  EXPECT_FALSE(find(fs, "note_claim_holds")->holds);
  runs[2].held_out_accuracy = 0.9205;  // overlapping: not separated
  runs[3].held_out_accuracy = 0.9195;
  fs = training_findings(mnist_setup(), runs);
  EXPECT_FALSE(find(fs, "init_ranking")->holds);
}

TEST(TrainingFindings, ZeroInitStaysAtTheUniformGuess) {
  std::vector<RunRecord> runs = {run("note_zero", "zeros", 0.11)};
  runs[0].train_loss = std::log(10.0) - 0.002;
  auto fs = training_findings(mnist_setup(), runs);
  EXPECT_TRUE(find(fs, "zero_init_symmetric")->holds);
  runs[0].train_loss = 1.0;
  fs = training_findings(mnist_setup(), runs);
  EXPECT_FALSE(find(fs, "zero_init_symmetric")->holds);
}

TEST(TrainingFindings, SmallInitPlateau) {
  TrainingSetup s;
  s.preset = Preset::playground;
  RunRecord small = run("too_small", "normal:0.01", NAN), ok = run("appropriate", "normal:1", NAN);
  small.result.step_loss = {1.0, 1.0, 1.0, 0.5};
  ok.result.step_loss = {1.0, 0.5, 0.2, 0.1};
  auto fs = training_findings(s, {small, ok});
  EXPECT_TRUE(find(fs, "small_init_plateau")->holds);
  std::swap(small.result.step_loss, ok.result.step_loss);
  fs = training_findings(s, {small, ok});
  EXPECT_FALSE(find(fs, "small_init_plateau")->holds);
}

TEST(TrainingFindings, DeepLinearOscillatesStallsDiverges) {
  TrainingSetup s;
  s.preset = Preset::deep_linear;
  RunRecord up = run("identity:1.5", "identity:1.5", NAN), flat = run("identity:0.5", "identity:0.5", NAN);
  for (int i = 0; i < 100; ++i) {
    up.result.step_loss.push_back(i < 10 ? 100.0 - 9.0 * i : (i % 2 ? 60.0 : 140.0));
    flat.result.step_loss.push_back(4891.0 - 0.01 * i);
  }
  auto fs = training_findings(s, {up, flat});
  EXPECT_TRUE(find(fs, "deep_linear_oscillates", "identity:1.5")->holds);
  EXPECT_FALSE(find(fs, "deep_linear_stalls", "identity:1.5")->holds);
  EXPECT_TRUE(find(fs, "deep_linear_stalls", "identity:0.5")->holds);
  EXPECT_FALSE(find(fs, "deep_linear_oscillates", "identity:0.5")->holds);
  EXPECT_FALSE(find(fs, "run_diverged", "identity:1.5")->holds);
  up.result.diverged = true;
  up.result.diverged_step = 919;
  up.result.step_loss.push_back(-std::numeric_limits<double>::quiet_NaN());
  fs = training_findings(s, {up, flat});
  const Finding* d = find(fs, "run_diverged", "identity:1.5");
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->holds);
  EXPECT_EQ(d->numbers.front().first, "step");
  EXPECT_EQ(d->numbers.front().second, 919.0);
  EXPECT_FALSE(find(fs, "deep_linear_oscillates", "identity:1.5")->holds);  // diverged, not oscillating
}

}  // namespace
}  // namespace initlab::study
