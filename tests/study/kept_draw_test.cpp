// The variance study draws each (init, seed) once and copies it for the init's
// other activations (study/kept_draw.hpp): the rows must be those of runs that draw
// every network themselves.
#include "study/kept_draw.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "study/variance_study.hpp"

namespace initlab::study {
namespace {

VarianceConfig small_config(std::vector<std::string> activations, int threads) {
  VarianceConfig c;
  for (const auto& a : activations) c.activations.push_back(Activation::parse(a));
  c.inits = {"orthogonal", "lecun_normal", "lsuv"};
  c.widths.assign(7, 24);
  c.batch = 16;
  c.seeds = 3;
  c.bias_std = 0.1;
  c.threads = threads;
  return c;
}

// Every measured field of every row of pair `a` equals that of pair `b`.
void expect_same_rows(const PairResult& a, const PairResult& b) {
  ASSERT_EQ(a.rows.size(), b.rows.size());
  for (std::size_t i = 0; i < a.rows.size(); ++i) {
    const LayerRow& x = a.rows[i];
    const LayerRow& y = b.rows[i];
    EXPECT_EQ(x.q.log_mean, y.q.log_mean) << a.init << " layer " << x.layer;
    EXPECT_EQ(x.q.log_sd, y.q.log_sd) << a.init << " layer " << x.layer;
    EXPECT_EQ(x.a2.log_mean, y.a2.log_mean) << a.init << " layer " << x.layer;
    EXPECT_EQ(x.grad2.log_mean, y.grad2.log_mean) << a.init << " layer " << x.layer;
    EXPECT_EQ(x.dw_norm2.log_mean, y.dw_norm2.log_mean) << a.init << " layer " << x.layer;
  }
}

TEST(KeptDraw, SharedDrawsGiveTheRowsOfRunsThatDrawEveryNetwork) {
  const std::vector<std::string> acts{"tanh", "relu", "linear"};
  for (int threads : {1, 2}) {
    const VarianceResult shared = run_variance(small_config(acts, threads));
    ASSERT_EQ(shared.pairs.size(), acts.size() * 3);
    for (std::size_t a = 0; a < acts.size(); ++a) {
      // one activation alone: no other pair draws the same weights
      const VarianceResult alone = run_variance(small_config({acts[a]}, 1));
      for (std::size_t i = 0; i < alone.pairs.size(); ++i)
        expect_same_rows(shared.pairs[a * 3 + i], alone.pairs[i]);
    }
  }
}

TEST(KeptDraw, HoldsOnlyItsGroupAndSeed) {
  nn::NetworkConfig nc;
  nc.widths = {3, 2};
  nc.activations = {Activation::parse("tanh")};
  nc.inits = {"orthogonal"};
  const nn::Network<double> net(nc);
  KeptDraw<double> kept;
  EXPECT_FALSE(kept.holds(0, 0));
  kept.keep(net, 4, 7);
  EXPECT_TRUE(kept.holds(4, 7));
  EXPECT_FALSE(kept.holds(4, 8));
  EXPECT_FALSE(kept.holds(5, 7));
  EXPECT_EQ(kept.W.at(0), net.W(1));
  EXPECT_EQ(kept.b.at(0), net.b(1));
}

}  // namespace
}  // namespace initlab::study
