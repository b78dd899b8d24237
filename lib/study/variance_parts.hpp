#pragma once
// The parts of the variance study (study/variance_study.hpp) that its three
// sources share: what one network measured, what a pair (activation, init) needs
// before its networks run, and the inputs of every seed. variance_study.cpp makes
// the pairs and inputs, variance_networks.cpp runs the networks on the workers,
// variance_aggregate.cpp turns the seeds' statistics into rows beside the theory.

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "core/activation.hpp"
#include "init/initializer.hpp"
#include "study/variance_study.hpp"

namespace initlab::study::detail {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// What one network (one seed) measured.
struct SeedRun {
  std::vector<stats::ForwardStats> fwd;
  std::vector<stats::BackwardStats> bwd;
  std::vector<stats::Histogram> hist;
  std::size_t lsuv_unconverged = 0;  // layers LSUV left outside its tolerance
};

// Everything a pair needs before its networks run.
struct Pair {
  Activation f;
  std::string init;
  init::Initializer ini;
  theory::Trajectory traj;
  RunPlan plan;
  bool exact = false;
  std::vector<theory::FiniteWidthLayer> finite_width;
  std::string weight_law;
  init::Initializer bias;  // every b^l
  std::string progress;  // "tanh lecun_normal" and " (float)": the progress text around the seed
  std::string progress_tail;
  std::size_t draw_group = 0;  // the first pair that draws the same weights (init spec, bias, dtype)
  bool draw_shared = false;    // another pair draws them too: keep the draw
};

// The inputs of every seed (shared by every pair), their measured second
// moments and the second moment of every row.
struct Inputs {
  std::vector<Matrix<double>> x;
  stats::LogSpread q0;
  std::vector<double> row_q0;  // |x|^2 / n_0 of every row of every seed
};

// The networks of every (pair, seed) on c.threads workers of the thread pool;
// BLAS threads share the rest. Indexed [pair][seed].
std::vector<std::vector<SeedRun>> run_networks(const VarianceConfig& c, const std::vector<Pair>& pairs,
                                               const Inputs& in);

// A pair's rows over its seeds, beside the theory, and their summary.
PairResult aggregate(const VarianceConfig& c, const Pair& pair, const stats::LogSpread& q0,
                     const std::vector<SeedRun>& runs);

}  // namespace initlab::study::detail
