// The study driver (lib/study/variance_study.hpp) on cases with exact answers:
// deterministic identity networks, exact power-of-two rescaling, overflow
// detection, and validation of bad configurations.
#include <cmath>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "study/variance_study.hpp"
#include "theory/meanfield.hpp"

namespace initlab::study {
namespace {


VarianceConfig small(std::vector<std::string> inits, Activation f, std::size_t width,
                  std::size_t depth) {
  VarianceConfig c;
  c.activations = {f};
  c.inits = std::move(inits);
  c.widths.assign(depth + 1, width);
  c.batch = 3;
  c.seeds = 2;
  c.seed = 7;
  return c;
}

// One pair of N(0, 1) weights (note_standard_normal), width 64, forced to float.
VarianceConfig float_normal(Activation f, std::size_t depth) {
  VarianceConfig c = small({"note_standard_normal"}, f, 64, depth);
  c.dtype = Dtype::float32;
  return c;
}

// The layers before the pair's forward overflow are measured; from it on q is NaN.
template <class Pair>
void expect_measured_until_overflow(const Pair& p) {
  for (const auto& row : p.rows) {
    EXPECT_EQ(row.forward_ok, row.layer < p.summary.overflow_at) << "layer " << row.layer;
    if (!row.forward_ok) {
      EXPECT_TRUE(std::isnan(row.q.log_mean)) << "layer " << row.layer;
    }
  }
}

// The note's 2x2 example: W = alpha I, so q^l = alpha^(2l) q0 exactly (to rounding),
// and the backward second moment grows by alpha^2 per layer from the top.
TEST(VarianceStudy, IdentityNetworkIsExact) {
  VarianceConfig c = small({"identity:1.5", "identity:0.5"}, Activation{}, 2, 10);
  c.dtype = Dtype::float64;
  const VarianceResult r = run_variance(c);
  ASSERT_EQ(r.pairs.size(), 2u);
  for (const auto& p : r.pairs) {
    const double alpha = p.init == "identity:1.5" ? 1.5 : 0.5;
    EXPECT_NEAR(p.sw2_first, alpha * alpha, 1e-15);
    for (const auto& row : p.rows) {
      const double l = static_cast<double>(row.layer);
      EXPECT_NEAR(row.q.log_mean - p.q0.log_mean, 2.0 * l * std::log(alpha), 1e-12);
      EXPECT_NEAR(row.q.log_mean, row.theory.ln_q, 1e-12);
      EXPECT_NEAR(row.grad2.log_mean - p.rows.back().grad2.log_mean,
                  2.0 * (10.0 - l) * std::log(alpha), 1e-12);
      EXPECT_TRUE(row.forward_ok && row.backward_ok);
    }
    // 1.5^2 per layer: 2.25^9 = 1478 > 1e3 breaks at layer 9; 0.25^5 < 1e-3 at 5
    EXPECT_EQ(*p.summary.break_depth, alpha > 1 ? 9u : 5u);
    EXPECT_EQ(*p.summary.break_depth_theory, alpha > 1 ? 9u : 5u);
    EXPECT_NEAR(std::exp(*p.summary.slope_q), alpha * alpha, 1e-12);
  }
}

// ReLU with N(0, 1) weights grows x width/2 per layer. Rescaling W^l by powers of
// two rounds nothing, so the rescaled run gives the unscaled run's statistics up to
// the last bits of the logs; and in float, where the unscaled run would overflow,
// the rescaled one still reaches the right order of magnitude.
TEST(VarianceStudy, PowerOfTwoRescalingIsExact) {
  VarianceConfig c = small({"note_standard_normal"}, Activation{Activation::Kind::relu}, 64, 40);
  c.dtype = Dtype::float64;
  c.rescale = Rescale::always;
  const VarianceResult scaled = run_variance(c);
  c.rescale = Rescale::never;
  const VarianceResult plain = run_variance(c);
  const auto& ps = scaled.pairs.front();
  const auto& pd = plain.pairs.front();
  ASSERT_TRUE(ps.plan.rescaled);
  EXPECT_FALSE(pd.plan.rescaled);
  EXPECT_NE(ps.plan.octaves.front(), 0);  // 2.5 octaves per layer, rounded cumulatively
  for (std::size_t i = 0; i < ps.rows.size(); ++i) {
    EXPECT_NEAR(ps.rows[i].q.log_mean, pd.rows[i].q.log_mean, 1e-12) << "layer " << i + 1;
    EXPECT_NEAR(ps.rows[i].a2.log_mean, pd.rows[i].a2.log_mean, 1e-12) << "layer " << i + 1;
    EXPECT_NEAR(ps.rows[i].grad2.log_mean, pd.rows[i].grad2.log_mean, 1e-12) << "layer " << i + 1;
    EXPECT_NEAR(ps.rows[i].dw_norm2.log_mean, pd.rows[i].dw_norm2.log_mean, 1e-12);
    EXPECT_EQ(ps.rows[i].saturated.mean, pd.rows[i].saturated.mean);
    EXPECT_EQ(ps.rows[i].dead.mean, pd.rows[i].dead.mean);
  }
  // 32 per layer for 40 layers: q ~ 10^60, beyond float; auto runs float rescaled
  EXPECT_GT(pd.rows.back().q.log_mean, 55.0 * std::log(10.0));
  c.dtype = Dtype::automatic;
  c.rescale = Rescale::automatic;
  const VarianceResult result = run_variance(c);
  const auto& pf = result.pairs.front();
  EXPECT_TRUE(pf.plan.rescaled);
  EXPECT_EQ(pf.plan.dtype, Dtype::float32);
  EXPECT_EQ(pf.summary.overflow_at, 0u);
  for (const auto& row : pf.rows) EXPECT_TRUE(row.forward_ok && row.backward_ok);
  // ln(q^40 / q0) of one network: mean 40 ln 32 - 2.5 * 40/64 = 137.1, sd sqrt(5 * 40/64)
  // = 1.77 (docs/theory.md §9.2); 50 ln 10 = 115.1 is 12 sd below the mean.
  EXPECT_GT(pf.rows.back().q.log_mean, 50.0 * std::log(10.0));
}

// A linear net with a bias cannot be rescaled: forced to float it overflows, and
// the overflow is reported at a layer, never as a value.
TEST(VarianceStudy, FloatOverflowIsReportedAtItsLayer) {
  VarianceConfig c = float_normal(Activation{}, 60);
  c.bias_std = 0.1;
  const VarianceResult r = run_variance(c);
  const auto& p = r.pairs.front();
  EXPECT_FALSE(p.plan.rescaled);
  // RMS(h^l) ~ 8^l: float's 3.4e38 is reached near l = 43
  EXPECT_GE(p.summary.overflow_at, 38u);
  EXPECT_LE(p.summary.overflow_at, 46u);
  EXPECT_GT(p.summary.grad_overflow_at, 0u);
  expect_measured_until_overflow(p);
  // auto picks double, where 8^60 fits
  c.dtype = Dtype::automatic;
  const VarianceResult d = run_variance(c);
  EXPECT_EQ(d.pairs.front().plan.dtype, Dtype::float64);
  EXPECT_EQ(d.pairs.front().summary.overflow_at, 0u);
}

// ReLU with N(0, 1) weights forced to float and never rescaled: q grows x32 per
// layer, ln RMS(h^l) = l (ln 32 - 2.5/64) / 2 + ln RMS(h^0) with sd sqrt(5 l / 64) / 2
// (docs/theory.md §9.2), so h passes float's e^88.7 near layer 51 (sd under one
// layer; the largest of 192 entries is a few RMS, about one layer). The layers past
// the overflow are non-finite, never "underflow, q = 0": max(NaN, 0) = 0 turned
// them into exact zeros before (issue 17 item 7), and the gradients of a network
// whose forward pass overflowed are non-finite in every layer.
TEST(VarianceStudy, ReluFloatOverflowTaintsEveryLaterLayer) {
  VarianceConfig c = float_normal(Activation{Activation::Kind::relu}, 64);
  c.rescale = Rescale::never;
  const VarianceResult r = run_variance(c);
  const auto& p = r.pairs.front();
  ASSERT_FALSE(p.plan.rescaled);
  EXPECT_GE(p.summary.overflow_at, 42u);
  EXPECT_LE(p.summary.overflow_at, 58u);
  EXPECT_EQ(p.summary.underflow_at, 0u);
  expect_measured_until_overflow(p);
  for (const auto& row : p.rows) {
    EXPECT_FALSE(row.underflow) << "layer " << row.layer;
    EXPECT_FALSE(row.backward_ok) << "layer " << row.layer;
  }
}

TEST(VarianceStudy, HistogramsCountEveryActivation) {
  VarianceConfig c = small({"note_xavier"}, Activation{Activation::Kind::tanh}, 16, 3);
  c.histograms.layers = {1, 3};
  const VarianceResult r = run_variance(c);
  const auto& h = r.pairs.front().histograms;
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0].total(), static_cast<double>(c.seeds * c.batch * 16));
  EXPECT_EQ(h[1].below + h[1].above + h[1].nonfinite, 0.0);  // tanh stays in [-1.2, 1.2]
}

// Issue 16 (4): deterministic weights get their exact prediction. ReLU with
// W = 1.5 I multiplies q by 2.25 per layer from layer 3 on (mean-field: 1.125).
TEST(VarianceStudy, DeterministicInitsGetTheExactPrediction) {
  VarianceConfig c = small({"identity:1.5", "he_normal"}, Activation{Activation::Kind::relu}, 8, 6);
  c.dtype = Dtype::float64;
  const VarianceResult r = run_variance(c);
  const PairResult& id = r.pairs[0];
  EXPECT_EQ(id.theory_kind, "exact");
  EXPECT_EQ(r.pairs[1].theory_kind, "mean_field");
  for (std::size_t l = 3; l <= 6; ++l) {
    EXPECT_NEAR(id.rows[l - 1].theory.ln_q - id.rows[l - 2].theory.ln_q, std::log(2.25), 1e-12);
    EXPECT_NEAR(id.rows[l - 1].q.log_mean, id.rows[l - 1].theory.ln_q, 1e-12);
  }
}

// Issue 16 (5): z is in standard errors of the mean over R seeds, sd / sqrt(R).
TEST(VarianceStudy, DeviationIsInStandardErrorsOfTheMean) {
  VarianceConfig c = small({"lecun_normal"}, Activation{Activation::Kind::tanh}, 16, 3);
  c.seeds = 4;
  const VarianceResult r = run_variance(c);
  for (const auto& row : r.pairs[0].rows) {
    ASSERT_TRUE(row.z_sem_q);
    const double diff = std::fabs(std::exp(row.q.log_mean) - std::exp(row.theory.ln_q));
    EXPECT_NEAR(*row.z_sem_q, diff / (std::exp(row.q.log_sd) / 2.0), 1e-9 * (1.0 + *row.z_sem_q));
  }
}

// Issue 16 (5): the measured ||dW|| is the root mean square over seeds, the
// statistic sqrt(E||dW||^2) of its theory, not the mean of the norms.
TEST(VarianceStudy, GradientNormIsRootMeanSquareOverSeeds) {
  VarianceConfig c = small({"lecun_normal"}, Activation{Activation::Kind::tanh}, 8, 2);
  std::vector<double> sq;
  for (std::uint64_t s : {7u, 8u}) {
    VarianceConfig one = c;
    one.seeds = 1;
    one.seed = s;
    sq.push_back(std::exp(run_variance(one).pairs[0].rows[0].dw_norm2.log_mean));
  }
  const VarianceResult both = run_variance(c);
  EXPECT_NEAR(0.5 * both.pairs[0].rows[0].dw_norm2.log_mean, 0.5 * std::log(0.5 * (sq[0] + sq[1])), 1e-12);
}

// Issue 16 (1): inputs of different lengths get the average of their own
// predictions: layer 1's E[a^2] is the mean over rows of V(n E[W^2] |x|^2 / n_0).
TEST(VarianceStudy, TheoryAveragesEachInputsOwnPrediction) {
  VarianceConfig c = small({"note_standard_normal"}, Activation{Activation::Kind::tanh}, 4, 2);
  c.seeds = 1;
  c.batch = 2;
  c.input_pool = Matrix<float>({2, 4});
  for (std::size_t j = 0; j < 4; ++j) {
    c.input_pool(0, j) = 0.1f;
    c.input_pool(1, j) = 1.0f;
  }
  const VarianceResult r = run_variance(c);
  const Activation f{Activation::Kind::tanh};
  // n_0 E[W^2] = 4 for N(0, 1) weights at n_0 = 4; q0 = 0.1f^2 and 1.
  const double lo = static_cast<double>(0.1f) * static_cast<double>(0.1f);
  const double expect = 0.5 * (theory::second_moment(f, 4.0 * lo) + theory::second_moment(f, 4.0));
  EXPECT_NEAR(std::exp(r.pairs[0].rows[0].theory.ln_second), expect, 1e-12);
}

// Issue 16 (2): Gaussian and orthogonal weights carry their computed finite-width
// correction; other laws carry none (and no explanation can cite one).
TEST(VarianceStudy, FiniteWidthCorrectionForGaussianAndOrthogonal) {
  const VarianceResult r = run_variance(small({"orthogonal", "lecun_normal", "note_uniform"},
                                              Activation{Activation::Kind::tanh}, 16, 4));
  EXPECT_EQ(r.pairs[0].weight_law, "orthogonal");
  EXPECT_EQ(r.pairs[0].finite_width.size(), 4u);
  EXPECT_GT(r.pairs[0].finite_width.back().rel_a2, 0.0);
  EXPECT_EQ(r.pairs[1].weight_law, "gaussian");
  EXPECT_LT(r.pairs[1].finite_width.back().rel_a2, 0.0);
  EXPECT_TRUE(r.pairs[2].weight_law.empty());
  EXPECT_TRUE(r.pairs[2].finite_width.empty());
}

// LSUV (nn/lsuv.hpp) on each seed's batch: the theory is its target q^l = 1 in every
// layer, and every measured q^l is at least 1 - tol (the second moment of h^l is at
// least its variance, which LSUV left in [1 - tol, 1 + tol]).
TEST(VarianceStudy, LsuvNormalisesEveryLayerOnTheBatch) {
  for (Activation f : {Activation{}, Activation{Activation::Kind::tanh, 0.0},
                       Activation{Activation::Kind::relu, 0.0}}) {
    VarianceConfig c = small({"lsuv:tol=0.05", "orthogonal"}, f, 32, 12);
    c.batch = 64;
    const VarianceResult r = run_variance(c);
    ASSERT_EQ(r.pairs.size(), 2u);
    const PairResult& p = r.pairs[0];
    EXPECT_EQ(p.lsuv_unconverged, 0u) << f.name();
    EXPECT_NE(p.law.find("LSUV"), std::string::npos) << p.law;
    EXPECT_TRUE(p.weight_law.empty());  // no finite-width law for data-dependent weights
    for (const LayerRow& row : p.rows) {
      EXPECT_NEAR(row.theory.q, 1.0, 1e-12) << f.name() << " layer " << row.layer;
      EXPECT_GE(std::exp(row.q.log_mean), 1.0 - 0.05) << f.name() << " layer " << row.layer;
    }
    if (f.kind == Activation::Kind::relu) {  // orthogonal alone halves q per layer
      EXPECT_LT(r.pairs[1].rows.back().theory.q, 1e-3);
    }
  }
  EXPECT_THROW(validate(small({"lsuv:tol=2"}, Activation{}, 4, 3)), std::invalid_argument);
}

TEST(VarianceStudy, RejectsBadConfigurations) {
  const Activation lin{};
  EXPECT_THROW(validate(small({"he_normal"}, lin, 4, 0)), std::invalid_argument);  // depth 0
  EXPECT_THROW(validate(small({"he_normal"}, lin, 0, 3)), std::invalid_argument);  // width 0
  EXPECT_THROW(validate(small({"no_such_init"}, lin, 4, 3)), std::invalid_argument);
  VarianceConfig c = small({"he_normal"}, lin, 4, 3);
  c.histograms.layers = {4};
  EXPECT_THROW(validate(c), std::invalid_argument);
  c = small({"he_normal"}, lin, 4, 3);
  c.batch = 0;
  EXPECT_THROW(validate(c), std::invalid_argument);
  c = small({"he_normal"}, lin, 4, 3);
  c.bias_std = -1.0;
  EXPECT_THROW(validate(c), std::invalid_argument);
  c = small({"he_normal"}, lin, 4, 3);
  c.input_pool = Matrix<float>({2, 5});  // wrong width and fewer rows than the batch
  EXPECT_THROW(validate(c), std::invalid_argument);
}

}  // namespace
}  // namespace initlab::study
