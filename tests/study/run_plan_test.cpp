// Run plans (lib/study/run_plan.hpp): element type and power-of-two rescaling
// chosen from the mean-field prediction.
#include <cmath>
#include <numbers>

#include <gtest/gtest.h>

#include "study/run_plan.hpp"
#include "theory/meanfield.hpp"

namespace initlab::study {
namespace {

constexpr std::size_t kBatch = 256;

theory::Trajectory traj(Activation f, double sw2, std::size_t depth, double sb2 = 0.0) {
  return theory::trajectory(f, sw2, sb2, 1.0, depth);
}

TEST(RunPlan, FloatWhenTheRangeIsSafe) {
  const Activation tanh{Activation::Kind::tanh};
  const RunPlan p = plan_run(tanh, 0.0, 0.0, traj(tanh, 1.0, 100), kBatch, Dtype::automatic);
  EXPECT_EQ(p.dtype, Dtype::float32);
  EXPECT_FALSE(p.rescaled);
  for (double s : p.log_scale_h) EXPECT_EQ(s, 0.0);
}

TEST(RunPlan, TanhWithExplodingGradientsRunsInDouble) {
  // N(0, 1) at width 512: chi_1 ~ 12 per layer, qt^1 ~ 1e107: beyond float, not rescalable
  const Activation tanh{Activation::Kind::tanh};
  const auto t = traj(tanh, 512.0, 100);
  EXPECT_GT(predicted_log10_range(t, kBatch), kFloatSafeLog10);
  const RunPlan p = plan_run(tanh, 0.0, 0.0, t, kBatch, Dtype::automatic);
  EXPECT_EQ(p.dtype, Dtype::float64);
  EXPECT_FALSE(p.rescaled);
}

TEST(RunPlan, HomogeneousNetsAreRescaledIntoFloat) {
  // linear, sw2 = 512: q grows 512x per layer, 10^271 at L = 100
  const Activation lin{};
  const auto t = traj(lin, 512.0, 100);
  const RunPlan p = plan_run(lin, 0.0, 0.0, t, kBatch, Dtype::automatic);
  EXPECT_EQ(p.dtype, Dtype::float32);
  ASSERT_TRUE(p.rescaled);
  EXPECT_LE(predicted_log10_range(t, kBatch, p), kFloatSafeLog10);
  // RMS grows 4.5 octaves per layer; cumulative rounding keeps the stored RMS
  // within half an octave of 1 at every layer
  for (std::size_t i = 0; i < t.layers.size(); ++i) {
    EXPECT_LE(std::abs(0.5 * t.layers[i].ln_q - p.log_scale_h[i]), 0.5 * std::numbers::ln2 + 1e-9);
  }
  // the three scales are consistent: dh^l carries the octaves above l, dW^l all but its own
  long total = 0;
  for (int k : p.octaves) total += k;
  for (std::size_t i = 0; i < p.octaves.size(); ++i) {
    EXPECT_NEAR(p.log_scale_h[i] + p.log_scale_dh[i], std::numbers::ln2 * static_cast<double>(total), 1e-9);
    EXPECT_NEAR(p.log_scale_dw[i], std::numbers::ln2 * static_cast<double>(total - p.octaves[i]), 1e-9);
  }
}

TEST(RunPlan, BiasOrNeverForbidsRescaling) {
  const Activation relu{Activation::Kind::relu};
  const auto t = traj(relu, 512.0, 100, 0.01);
  EXPECT_FALSE(plan_run(relu, 0.01, 0.0, t, kBatch, Dtype::automatic).rescaled);
  const auto t0 = traj(relu, 512.0, 100);
  EXPECT_FALSE(plan_run(relu, 0.0, 0.0, t0, kBatch, Dtype::float32, Rescale::never).rescaled);
  EXPECT_TRUE(plan_run(relu, 0.0, 0.0, traj(relu, 2.0, 10), kBatch, Dtype::float64,
                       Rescale::always).rescaled);
  EXPECT_EQ(to_string(Dtype::automatic), "auto");
  EXPECT_EQ(to_string(Rescale::never), "never");
}

}  // namespace
}  // namespace initlab::study
