// The prediction for a set of inputs is the average of each input's own
// prediction (theory/input_average.hpp).
#include <cmath>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "theory/input_average.hpp"

namespace initlab::theory {
namespace {

Architecture tanh_net(double sw2, std::size_t depth) {
  return uniform_architecture(Activation{Activation::Kind::tanh}, sw2, 0.0, 1.0, depth);
}

TEST(InputAverage, OneInputIsItsTrajectory) {
  Architecture a = tanh_net(1.0, 5);
  a.q0 = 0.3;
  const Trajectory t = trajectory(a);
  const std::vector<double> q0 = {0.3};
  const Trajectory avg = input_average(a, q0);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_NEAR(avg.layers[i].ln_q, t.layers[i].ln_q, 1e-13);
    EXPECT_NEAR(avg.layers[i].ln_second, t.layers[i].ln_second, 1e-13);
    EXPECT_NEAR(avg.layers[i].ln_qt, t.layers[i].ln_qt, 1e-13);
    EXPECT_NEAR(avg.layers[i].ln_grad2, t.layers[i].ln_grad2, 1e-13);
  }
}

// Linear layers: q^l is linear in q0, so the average is the map of the mean.
TEST(InputAverage, LinearAverageIsMapOfMean) {
  Architecture a = uniform_architecture(Activation{}, 1.0, 0.0, 1.0, 4);
  const std::vector<double> q0 = {0.05, 0.2};
  a.q0 = 0.125;
  const Trajectory mean_map = trajectory(a);
  const Trajectory avg = input_average(a, q0);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_NEAR(avg.layers[i].ln_q, mean_map.layers[i].ln_q, 1e-13);
}

// tanh's V is concave: inputs of different lengths give a lower pooled E[a^2]
// than the map of their mean length (what --input mnist got wrong).
TEST(InputAverage, ConcaveMapLiesBelowMapOfMean) {
  Architecture a = tanh_net(1.0, 3);
  const std::vector<double> q0 = {0.05, 0.2};
  a.q0 = 0.125;
  const Trajectory mean_map = trajectory(a);
  const Trajectory avg = input_average(a, q0);
  Architecture lo = a, hi = a;
  lo.q0 = 0.05;
  hi.q0 = 0.2;
  const double expect = 0.5 * (trajectory(lo).layers[0].second + trajectory(hi).layers[0].second);
  EXPECT_NEAR(avg.layers[0].second, expect, 1e-14);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_LT(avg.layers[i].ln_second, mean_map.layers[i].ln_second - 1e-6);
}

TEST(InputAverage, RejectsNoInputs) {
  EXPECT_THROW(input_average(tanh_net(1.0, 2), std::vector<double>{}), std::invalid_argument);
}

}  // namespace
}  // namespace initlab::theory
