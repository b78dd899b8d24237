// The block path of study/net_variance.hpp (networks with residual or norm blocks).
#include <gtest/gtest.h>

#include <cmath>

#include "study/net_file.hpp"
#include "study/net_variance.hpp"

namespace initlab::study {
namespace {

NetVarianceConfig config(const std::string& json) {
  NetVarianceConfig c;
  c.net = parse_net(json, "net.json");
  c.batch = 64;
  c.seeds = 3;
  c.seed = 5;
  c.dtype = Dtype::float64;
  return c;
}

// Dense blocks in a block net are the plain net's layers: the Model holds the
// Network's weights (the same seed split), so a dense block's output second
// moment is the plain study's E[a^2] of that layer.
TEST(NetBlockVariance, DenseBlocksAreThePlainLayers) {
  const std::string layers = R"j({"width": 32, "activation": "tanh", "init": "lecun_normal", "repeat": 3})j";
  NetVarianceConfig blocks = config(R"j({"input": 32, "layers": [)j" + layers + R"j(, {"norm": "layernorm"}]})j");
  NetVarianceConfig plain = config(R"j({"input": 32, "layers": [)j" + layers + "]}");
  const NetVarianceResult b = run_net_variance(blocks);
  const NetVarianceResult p = run_net_variance(plain);
  ASSERT_EQ(b.blocks.size(), 4u);
  ASSERT_EQ(p.rows.size(), 3u);
  for (std::size_t l = 0; l < 2; ++l) {  // layer 3's backward differs: the norm follows it
    SCOPED_TRACE(l);
    EXPECT_NEAR(b.blocks[l].second.log_mean, p.rows[l].a2.log_mean, 1e-12);
    EXPECT_TRUE(std::isfinite(b.blocks[l].grad.log_mean));
  }
  // (The theories differ slightly: the plain study averages the length map over each
  // input row's q0, the block recursion runs at their mean.)
  EXPECT_NEAR(b.blocks[2].second.log_mean, p.rows[2].a2.log_mean, 1e-12);
  EXPECT_EQ(b.blocks[3].kind, "layernorm");
}

// LayerNorm resets every example's second moment to v / (v + eps) (docs/theory.md
// §27): 1 - eps / v to rounding, whatever came before.
TEST(NetBlockVariance, LayerNormOutputHasUnitSecondMoment) {
  const NetVarianceResult r = run_net_variance(config(R"j({"input": 16, "layers": [
      {"width": 48, "activation": "relu", "init": "normal:3"}, {"norm": "layernorm", "eps": 1e-5}]})j"));
  ASSERT_EQ(r.blocks.size(), 2u);
  EXPECT_NEAR(r.blocks[1].second.log_mean, 0.0, 1e-5);
  EXPECT_NEAR(r.blocks[1].second.log_hi, r.blocks[1].second.log_lo, 1e-5);
}

TEST(NetBlockVariance, ResidualBranchShareIsMeasured) {
  const NetVarianceResult r = run_net_variance(config(R"j({"input": 32, "layers": [
      {"residual": {"repeat": 4, "alpha": 1, "branch": [{"width": 32, "activation": "tanh", "init": "lecun_normal"}]}},
      {"residual": {"alpha": 0, "branch": [{"width": 32, "activation": "tanh", "init": "lecun_normal"}]}}]})j"));
  ASSERT_EQ(r.blocks.size(), 5u);
  for (std::size_t k = 0; k < 4; ++k) {
    EXPECT_EQ(r.blocks[k].kind, "residual");
    EXPECT_GT(r.blocks[k].share.log_mean, std::log(0.01));
    EXPECT_LT(r.blocks[k].share.log_mean, 0.0);
  }
  EXPECT_EQ(r.blocks[4].share.log_mean, -INFINITY);  // alpha = 0: the branch adds nothing
  EXPECT_EQ(r.blocks[4].second.log_mean, r.blocks[3].second.log_mean);
  EXPECT_TRUE(std::isfinite(r.blocks[0].grad.log_mean));
}

}  // namespace
}  // namespace initlab::study
