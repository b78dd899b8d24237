#include "study/net_variance.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "study/net_file.hpp"
#include "study/variance_study.hpp"

namespace initlab::study {
namespace {

// A net of one activation and one init is the grid study's network: the same
// weights, inputs and output gradients, so the same numbers to the last bit.
TEST(NetVariance, PlainNetEqualsTheGridStudy) {
  NetVarianceConfig c;
  c.net = parse_arch("64-64x6:tanh:lecun_normal");
  c.batch = 32;
  c.seeds = 3;
  c.seed = 7;
  c.dtype = Dtype::float32;
  const NetVarianceResult net = run_net_variance(c);
  VarianceConfig g;
  g.activations = {Activation::parse("tanh")};
  g.inits = {"lecun_normal"};
  g.widths = std::vector<std::size_t>(7, 64);
  g.batch = 32;
  g.seeds = 3;
  g.seed = 7;
  g.dtype = Dtype::float32;
  const VarianceResult grid = run_variance(g);
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

TEST(NetVariance, RejectsWhatItCannotRun) {
  NetVarianceConfig c;
  c.net = parse_net(R"j({"input": 4, "layers": [{"width": 4, "activation": "tanh", "init": "zeros"},
                       {"norm": "batchnorm"}]})j", "bn.json");
  std::get<DenseLayer>(c.net.blocks[0]).init = "lsuv";
  EXPECT_THROW(run_net_variance(c), std::invalid_argument);  // the theory needs a fixed law
  c.net = parse_arch("4-4:tanh:zeros:zeros-4:tanh:zeros:ones");
  EXPECT_THROW(run_net_variance(c), std::invalid_argument);
  c.net = parse_arch("4-4:tanh:zeros");
  c.seeds = 0;
  EXPECT_THROW(run_net_variance(c), std::invalid_argument);
}

}  // namespace
}  // namespace initlab::study
