#include "study/bench_targets.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>

namespace initlab::study {
namespace {

TEST(BenchTargets, IdsAreUniqueAndLabelsStateTheGoal) {
  std::set<std::string> ids;
  for (const BenchTarget& t : bench_targets()) {
    EXPECT_TRUE(ids.insert(t.id).second) << t.id;
    EXPECT_FALSE(t.label.empty()) << t.id;
  }
  EXPECT_EQ(bench_target("variance_vs_torch").label,
            "variance study, 1 thread >= 1.5x the PyTorch study script (same per-layer second moments)");
  EXPECT_EQ(bench_target("variance_gemm_share").goal, bench_goals::kVarianceGemmShare);
  EXPECT_NE(bench_target("variance_gemm_share").label.find(">= 85% of its GEMM-only time"), std::string::npos);
  EXPECT_NE(bench_target("uniform_vs_memset").label.find(">= 0.3 of memset"), std::string::npos);
  EXPECT_NE(bench_target("orthogonal_vs_torch").label.find("within 1.2x"), std::string::npos);
}

TEST(BenchTargets, UnknownIdIsNamed) {
  try {
    bench_target("varience_vs_torch");
    FAIL() << "no throw";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'varience_vs_torch'"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("variance_vs_torch"), std::string::npos);
  }
}

TEST(BenchTargets, AtLeastMeetsAtTheGoalAndSaysHowFarBelow) {
  const BenchTarget& t = bench_target("variance_vs_torch");  // >= 1.5
  EXPECT_TRUE(judge(t, 1.5).met);
  EXPECT_TRUE(judge(t, 2.0).met);
  EXPECT_EQ(judge(t, 2.0).shortfall, 0.0);
  EXPECT_EQ(judge(t, 2.0).shortfall_text, "");
  const BenchVerdict v = judge(t, 1.2);
  EXPECT_FALSE(v.met);
  EXPECT_NEAR(v.shortfall, 0.2, 1e-12);
  EXPECT_EQ(v.shortfall_text, "20% below the goal");
  EXPECT_EQ(judge(t, 1.497).shortfall_text, "0.2% below the goal");
}

TEST(BenchTargets, AtMostCountsTheExcess) {
  const BenchTarget& o = bench_target("orthogonal_vs_torch");  // time ratio <= 1.2
  EXPECT_TRUE(judge(o, 1.2).met);
  EXPECT_TRUE(judge(o, 0.7).met);
  const BenchVerdict v = judge(o, 1.5);
  EXPECT_FALSE(v.met);
  EXPECT_NEAR(v.shortfall, 0.25, 1e-12);
  EXPECT_EQ(v.shortfall_text, "25% more than allowed");
  const BenchTarget& a = bench_target("allocs_per_layer");  // == 0
  EXPECT_TRUE(judge(a, 0.0).met);
  const BenchVerdict w = judge(a, 0.02);
  EXPECT_FALSE(w.met);
  EXPECT_EQ(w.shortfall, 0.02);
  EXPECT_EQ(w.shortfall_text, "0.02 allocations per layer too many");
}

TEST(BenchTargets, NotMeasuredIsNotMet) {
  for (double v : {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
    const BenchVerdict r = judge(bench_target("normal_rate"), v);
    EXPECT_FALSE(r.met);
    EXPECT_EQ(r.shortfall_text, "not measured");
  }
}

}  // namespace
}  // namespace initlab::study
