#include "study/net_variance.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "study/net_file.hpp"
#include "study/variance_study.hpp"

namespace initlab::study {
namespace {

// The grid study of one (activation, init) at L layers of width n, float.
VarianceConfig grid_config(const char* activation, const char* init, std::size_t L, std::size_t n,
                           std::size_t batch, std::size_t seeds, std::uint64_t seed) {
  VarianceConfig g;
  g.activations = {Activation::parse(activation)};
  g.inits = {init};
  g.widths = std::vector<std::size_t>(L + 1, n);
  g.batch = batch;
  g.seeds = seeds;
  g.seed = seed;
  g.dtype = Dtype::float32;
  return g;
}

// The study of the net of ARCH, float.
NetVarianceConfig net_config(const char* arch, std::size_t batch, std::size_t seeds, std::uint64_t seed) {
  NetVarianceConfig c;
  c.net = parse_arch(arch);
  c.batch = batch;
  c.seeds = seeds;
  c.seed = seed;
  c.dtype = Dtype::float32;
  return c;
}

// A net of one activation and one init is the grid study's network: the same
// weights, inputs and output gradients, so the same numbers to the last bit.
TEST(NetVariance, PlainNetEqualsTheGridStudy) {
  const NetVarianceResult net = run_net_variance(net_config("64-64x6:tanh:lecun_normal", 32, 3, 7));
  const VarianceResult grid = run_variance(grid_config("tanh", "lecun_normal", 6, 64, 32, 3, 7));
  ASSERT_EQ(net.rows.size(), 6u);
  const auto& rows = grid.pairs.at(0).rows;
  for (std::size_t i = 0; i < 6; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(net.rows[i].q.log_mean, rows[i].q.log_mean);
    EXPECT_EQ(net.rows[i].a2.log_sd, rows[i].a2.log_sd);
    EXPECT_EQ(net.rows[i].grad2.log_mean, rows[i].grad2.log_mean);
    EXPECT_EQ(net.rows[i].saturated.mean, rows[i].saturated.mean);
    EXPECT_DOUBLE_EQ(net.rows[i].theory.ln_q, rows[i].theory.ln_q);
    EXPECT_DOUBLE_EQ(net.rows[i].theory.ln_qt, rows[i].theory.ln_qt);
  }
  EXPECT_EQ(net.q0.log_mean, grid.pairs[0].q0.log_mean);
}

TEST(NetVariance, MixedLayersGetTheirOwnActivationAndTheory) {
  NetVarianceConfig c;
  c.net = parse_arch("32-48x2:relu:he_normal-16:tanh:lecun_normal-4:linear:xavier_normal");
  c.batch = 16;
  c.seeds = 2;
  const NetVarianceResult r = run_net_variance(c);
  ASSERT_EQ(r.rows.size(), 4u);
  EXPECT_EQ(r.rows[0].activation, "relu");
  EXPECT_EQ(r.rows[2].activation, "tanh");
  EXPECT_EQ(r.rows[3].init, "xavier_normal");
  EXPECT_EQ(r.rows[3].width, 4u);
  EXPECT_TRUE(std::isnan(r.rows[3].saturated.mean));  // linear: not applicable
  EXPECT_FALSE(std::isnan(r.rows[0].dead.mean));
  EXPECT_DOUBLE_EQ(r.rows[0].theory.sw2, 2.0);  // he_normal at fan_in 32
  EXPECT_DOUBLE_EQ(r.rows[3].theory.sw2, 16.0 * 2.0 / (16 + 4));
  EXPECT_EQ(r.dtype, Dtype::float32);
}

// The histograms of a plain net are the grid study's (the same a^l, the same
// stats::histogram), seeds summed.
TEST(NetVariance, HistogramsOfAPlainNetAreTheGridStudys) {
  NetVarianceConfig c = net_config("32-32x4:tanh:xavier_normal", 16, 2, 3);
  c.histogram_layers = {1, 4};
  c.histogram_bins = 40;
  c.histogram_range = std::pair{-1.2, 1.2};
  const NetVarianceResult net = run_net_variance(c);
  VarianceConfig g = grid_config("tanh", "xavier_normal", 4, 32, 16, 2, 3);
  g.histograms = {{1, 4}, 40, -1.2, 1.2};
  const VarianceResult grid = run_variance(g);
  ASSERT_EQ(net.histograms.size(), 2u);
  for (std::size_t h = 0; h < 2; ++h) {
    EXPECT_EQ(net.histograms[h].counts, grid.pairs.at(0).histograms.at(h).counts);
    EXPECT_EQ(net.histograms[h].total(), 2.0 * 16 * 32);
  }
}

// A block net histograms each chosen block's output over +-4 sqrt of its
// predicted E[y^2]; every value is counted.
TEST(NetVariance, HistogramsOfBlocksTakeTheirRangeFromTheTheory) {
  NetVarianceConfig c;
  c.net = parse_net(R"j({"input": 16, "layers": [{"residual": {"repeat": 3, "alpha": 1,
                       "branch": [{"width": 16, "activation": "tanh", "init": "lecun_normal"}]}}]})j", "res.json");
  c.batch = 8;
  c.seeds = 2;
  c.histogram_layers = {3};
  const NetVarianceResult r = run_net_variance(c);
  ASSERT_EQ(r.histograms.size(), 1u);
  const double half = kNetHistogramSigmas * std::exp(0.5 * r.blocks.at(2).theory.ln_second);
  EXPECT_DOUBLE_EQ(r.histograms[0].hi, half);
  EXPECT_DOUBLE_EQ(r.histograms[0].lo, -half);
  EXPECT_EQ(r.histograms[0].counts.size(), kNetHistogramBins);
  EXPECT_EQ(r.histograms[0].total(), 2.0 * 8 * 16);
  c.histogram_layers = {4};
  EXPECT_THROW(run_net_variance(c), std::invalid_argument);  // 3 blocks
  c.histogram_layers = {0};
  EXPECT_THROW(run_net_variance(c), std::invalid_argument);
}

// The largest |ln S_A - ln S_B| of two float computations of one row's S = sum_j y_j^2
// (y the n entries of a row of a, scaled exactly by a power of two), u = 2^-24 and
// g(k) = k u / (1 - k u), the bound of a float sum whose terms pass through at most
// k roundings, in any order and lane split (Higham, "Accuracy and Stability of
// Numerical Algorithms", 2nd ed., Lemma 3.1 and section 4.2); k = n + 3 covers the
// n - 1 additions, the product (fused or not) and the subtraction below.
//   A, the plain path (stats::forward_stats, centred): s1 = fl(sum y) with
//     |s1 - sum y| <= g sum|y|, c = fl(s1 / n), q = fl(sum (y - c)^2) with
//     |q - Q| <= g Q, Q = sum (y - c)^2 = S - 2 n m c + n c^2 (m the exact mean),
//     then S_A = q + 2 s1 c - n c^2 in double. So S_A - S = (q - Q) + 2 c (s1 - sum y),
//     and with |c| <= (1 + g) sum|y| / n, (sum|y|)^2 <= n S, Q <= (1 + g^2) S:
//     |S_A - S| <= r_A S, r_A = g (1 + g^2) + 2 g (1 + g).
//   B, the block path (stats::log_mean_square): S_B = fl(sum y^2), r_B = g.
// The rows' S add in double (relative 2^-53 per row, B rows), and log_mean is the
// log of the seeds' mean (stats::log_spread): sums of positive terms, each within the
// largest row's relative bound, so the two log_means differ by at most
// max(ln((1 + r_A) / (1 - r_B)), ln((1 + r_B) / (1 - r_A))), plus the double
// rounding of the logs themselves (below 1e-13 for |ln| < 100).
double float_mean_square_log_bound(std::size_t n) {
  const double u = 0x1p-24, k = static_cast<double>(n + 3), g = k * u / (1.0 - k * u);
  const double r_a = g * (1.0 + g * g) + 2.0 * g * (1.0 + g), r_b = g;
  return std::max(std::log((1.0 + r_a) / (1.0 - r_b)), std::log((1.0 + r_b) / (1.0 - r_a))) + 1e-13;
}

// Per-layer bias specs (docs/net-files.md): a plain net whose layers have
// different biases runs through nn::Model and the block recursion, one row per
// layer; layer 1 (the same weights, bias and activations: Model computes what
// Network computes bit for bit, tests/nn/model_test.cpp) is the one-bias net's, up
// to the float rounding of the two paths' different sums (8.3e-6 at n = 32), far
// below the spread of ln a2 from one draw to the next (the seeds' sd_log), which is
// what a layer drawn from another stream would differ by.
TEST(NetVariance, PerLayerBiasSpecsRunThroughTheBlockPath) {
  const NetVarianceResult one = run_net_variance(net_config("32-32:tanh:lecun_normal-32:tanh:lecun_normal", 16, 2, 5));
  const NetVarianceResult two =
      run_net_variance(net_config("32-32:tanh:lecun_normal-32:tanh:lecun_normal:(normal:0.5)", 16, 2, 5));
  ASSERT_EQ(one.rows.size(), 2u);
  ASSERT_TRUE(two.rows.empty());
  ASSERT_EQ(two.blocks.size(), 2u);
  EXPECT_EQ(two.blocks[0].kind, "dense");
  const double bound = float_mean_square_log_bound(32);
  EXPECT_NEAR(two.blocks[0].second.log_mean, one.rows[0].a2.log_mean, bound);
  EXPECT_GT(one.rows[0].a2.sd_log, 100.0 * bound);
  // The second layer's bias adds sb2 = 0.25 to its pre-activation in the theory.
  EXPECT_GT(two.blocks[1].theory.ln_second, one.rows[1].theory.ln_second);
  EXPECT_NE(two.blocks[1].second.log_mean, one.rows[1].a2.log_mean);
}

TEST(NetVariance, RejectsWhatItCannotRun) {
  NetVarianceConfig c;
  c.net = parse_net(R"j({"input": 4, "layers": [{"width": 4, "activation": "tanh", "init": "zeros"},
                       {"norm": "batchnorm"}]})j", "bn.json");
  std::get<DenseLayer>(c.net.blocks[0]).init = "lsuv";
  EXPECT_THROW(run_net_variance(c), std::invalid_argument);  // the theory needs a fixed law
  c.net = parse_arch("4-4:tanh:zeros");
  c.seeds = 0;
  EXPECT_THROW(run_net_variance(c), std::invalid_argument);
}

}  // namespace
}  // namespace initlab::study
