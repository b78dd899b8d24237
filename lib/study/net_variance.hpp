#pragma once
// The variance-versus-depth study of a described network (`initlab variance
// --net`): R networks (seeds S, S+1, ...) built from the description are run
// forward on a batch and backward from a fixed random output gradient
// dL/dh^L ~ N(0, 1) per entry, exactly as the grid study (study/variance_study.hpp)
// does for one activation and one init; per layer, the second moment of the
// pre-activation q^l, of the activation, and of the backward gradient dL/dh^l,
// summarised across seeds beside the mean-field prediction of the same layers
// (study/plain_theory.hpp), averaged over the inputs from their own q0.
//
// Plain networks (dense layers only, one bias spec) run through nn::Network,
// layer by layer, exactly as the grid study. Networks with residual or norm blocks,
// and plain ones with per-layer bias specs, run through nn::Model, block by block: the second moment and mean of every
// block's output, a residual block's branch share alpha^2 |r|^2 / |y|^2 and
// dL/d(block output), beside the block recursion (study/net_theory.hpp).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/net_description.hpp"
#include "core/tensor.hpp"
#include "stats/histogram.hpp"
#include "stats/summary.hpp"
#include "study/run_plan.hpp"
#include "theory/meanfield.hpp"
#include "theory/net_recursion.hpp"

namespace initlab::study {

inline constexpr std::size_t kNetHistogramBins = 100;
inline constexpr double kNetHistogramSigmas = 4.0;

struct NetVarianceConfig {
  NetDescription net;
  std::size_t batch = 256;
  std::size_t seeds = 4;                 // networks seed .. seed + R - 1
  std::uint64_t seed = 0;
  Dtype dtype = Dtype::automatic;        // automatic: float unless the predicted range needs double
  int threads = 1;                       // BLAS threads
  Matrix<float> input_pool;              // as VarianceConfig::input_pool; empty: Gaussian input
  // Layers (plain nets: a^l of dense layer l) or blocks (block nets: the output y
  // of block l), 1-based, whose values are histogrammed, counts summed over seeds.
  std::vector<std::size_t> histogram_layers;
  std::size_t histogram_bins = kNetHistogramBins;
  // One range for every histogram; empty: each layer's own +-kNetHistogramSigmas
  // sqrt(E[a^2]) (E[y^2] of a block) of its theory, so layers of any scale fill
  // their bins ([-1, 1] where the theory has no finite positive value).
  std::optional<std::pair<double, double>> histogram_range;
  // Called after each network (seed).
  std::function<void(std::size_t done, std::size_t total, const std::string& what)> progress;
};

// One layer (block) across seeds, beside the theory.
struct NetLayerRow {
  std::size_t layer = 0;  // 1-based
  std::string kind;       // "dense"
  std::size_t width = 0;
  std::string activation, init;
  stats::LogSpread q, a2, grad2;        // ln E[h^2], ln E[a^2], ln E[(dL/dh)^2]
  stats::Spread mean, saturated, dead;  // E[a]; fractions (NaN for linear)
  theory::LayerTheory theory;
  bool forward_ok = true, backward_ok = true;  // every seed's values finite
  // Distance of the mean over seeds from the prediction in standard errors.
  std::optional<double> z_sem_q, z_sem_grad2;
};

// One block (networks with residual or norm blocks) across seeds, beside the theory.
struct NetBlockRow {
  std::size_t block = 0;  // 1-based
  std::string kind;       // dense, layernorm, batchnorm, residual
  std::size_t width = 0;
  stats::LogSpread second;  // ln E[y^2] of the block's output y
  stats::LogSpread grad;    // ln E[(dL/dy)^2]; NaN for a last dense block (its dL/dh is the seed)
  stats::LogSpread share;   // residual: ln(alpha^2 E[r^2] / E[y^2]); NaN for the other kinds
  stats::Spread mean;       // E[y]
  theory::BlockTheory theory;
  std::optional<double> z_sem_second, z_sem_grad;
};

struct NetVarianceResult {
  std::string name;
  Dtype dtype = Dtype::float32;
  std::size_t seeds = 0;  // R, the networks each spread is over
  stats::LogSpread q0;  // measured input second moment
  std::vector<NetLayerRow> rows;    // plain networks
  std::vector<NetBlockRow> blocks;  // networks with residual or norm blocks
  std::optional<double> slope_q, slope_q_theory;          // ln growth of q per layer
  std::optional<double> slope_grad2, slope_grad2_theory;  // ln growth of grad2 per layer
  std::optional<std::size_t> break_depth, break_depth_theory;  // q leaves [q0/1e3, q0*1e3]
  std::vector<stats::Histogram> histograms;  // one per config.histogram_layers entry
  double seconds = 0.0;
};

// Throws std::invalid_argument unless the config is runnable.
void validate(const NetVarianceConfig& config);
NetVarianceResult run_net_variance(const NetVarianceConfig& config);
// The block path of run_net_variance (net_block_variance.cpp), after validate.
NetVarianceResult run_block_variance(const NetVarianceConfig& config);

// Shared by both paths. The slopes and break depths of `res` from the per-layer
// (per-block) ln second moments measured (q) and predicted (q_theory) and the ln
// gradient second moments (g, g_theory).
void summarise(NetVarianceResult& res, const std::vector<double>& q, const std::vector<double>& q_theory,
               const std::vector<double>& g, const std::vector<double>& g_theory);
// Empty histograms of the config's layers, ranged from ln_second[l - 1], the
// predicted ln second moment of each layer's histogrammed values.
std::vector<stats::Histogram> empty_histograms(const NetVarianceConfig& config, const std::vector<double>& ln_second);

}  // namespace initlab::study
