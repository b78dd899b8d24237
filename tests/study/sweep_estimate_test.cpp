#include "study/sweep_estimate.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>

namespace initlab::study {
namespace {

// 4 configurations of 10, 20, 30, 40 ms (mean 25 ms), records of 400 bytes, the
// coordinator 0.4 ms in all (0.1 ms per record).
SweepTiming four() {
  SweepTiming t;
  t.config_seconds = {0.010, 0.020, 0.030, 0.040};
  t.record_bytes = {400, 400, 400, 400};
  t.coordinator_seconds = 0.0004;
  t.wall_seconds = 0.1;
  return t;
}

TEST(EstimateScale, ComputeBoundWhenConfigurationsAreLong) {
  const ScaleEstimate e = estimate_scale(four(), 10000, 64, 0.5);
  EXPECT_DOUBLE_EQ(e.mean_config_seconds, 0.025);
  EXPECT_DOUBLE_EQ(e.coordinator_per_record, 0.0001);
  EXPECT_DOUBLE_EQ(e.work_seconds, 250.0);
  EXPECT_DOUBLE_EQ(e.compute_seconds, 250.0 / 64);
  EXPECT_DOUBLE_EQ(e.coordinator_busy, 1.0);
  EXPECT_DOUBLE_EQ(e.total_seconds, 0.5 + 250.0 / 64);
  EXPECT_DOUBLE_EQ(e.coordinator_share, 64.0 / 250.0);
  EXPECT_FALSE(e.coordinator_bound);
  EXPECT_DOUBLE_EQ(e.shortest_balanced_config, 64 * 0.0001 / kCoordinatorBusyShare);
  EXPECT_DOUBLE_EQ(e.record_memory_bytes, 4.0e6);
}

TEST(EstimateScale, CoordinatorBoundWhenRanksOutrunIt) {
  // 4096 ranks: compute 250/4096 = 0.061 s, the coordinator 1 s.
  const ScaleEstimate e = estimate_scale(four(), 10000, 4096, 0.0);
  EXPECT_TRUE(e.coordinator_bound);
  EXPECT_DOUBLE_EQ(e.total_seconds, 1.0);
  // Just either side of the limit: share = C * c0 / (C * m / R) = R c0 / m.
  EXPECT_FALSE(estimate_scale(four(), 100, 125, 0.0).coordinator_bound);  // share 0.5
  EXPECT_TRUE(estimate_scale(four(), 100, 126, 0.0).coordinator_bound);   // share 0.504
}

TEST(EstimateScale, RejectsWhatCannotBeEstimated) {
  EXPECT_THROW(estimate_scale(SweepTiming{}, 10, 2, 0.0), std::invalid_argument);
  EXPECT_THROW(estimate_scale(four(), 0, 2, 0.0), std::invalid_argument);
  EXPECT_THROW(estimate_scale(four(), 10, 0, 0.0), std::invalid_argument);
  EXPECT_THROW(estimate_scale(four(), 10, 2, -1.0), std::invalid_argument);
  SweepTiming t = four();
  t.config_seconds[1] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(estimate_scale(t, 10, 2, 0.0), std::invalid_argument);
  t = four();
  t.record_bytes.pop_back();
  EXPECT_THROW(estimate_scale(t, 10, 2, 0.0), std::invalid_argument);
}

}  // namespace
}  // namespace initlab::study
