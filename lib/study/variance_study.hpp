#pragma once
// The variance-versus-depth study behind `initlab variance`: for every
// (activation, init) pair, R independent networks (seeds S, S+1, ...) are run
// forward on a batch and backward from a fixed random output gradient
// dL/dh^L ~ N(0, 1) per entry; per-layer statistics are read from each network's
// cache and gradients (layer_stats.hpp), summarised across seeds (summary.hpp)
// and set beside a prediction:
//   random weights: the mean-field prediction (theory/meanfield.hpp) with the
//     init's actual second moment n_{l-1} E[W^2] (Initializer::moments), the
//     actual widths and the bias variance, averaged over the inputs, each from
//     its own q0 = |x|^2 / n_0 (theory/input_average.hpp);
//   deterministic weights (identity, constant) with b = 0: the exact prediction,
//     the map iterated on the actual inputs (study/exact_prediction.hpp).
// Gaussian and orthogonal random weights also get their first-order finite-width
// correction (theory/finite_width.hpp), the computed expectation a deviation
// from mean-field is compared with.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/tensor.hpp"
#include "core/activation.hpp"
#include "stats/histogram.hpp"
#include "stats/layer_stats.hpp"
#include "study/run_plan.hpp"
#include "stats/summary.hpp"
#include "theory/finite_width.hpp"
#include "theory/meanfield.hpp"

namespace initlab::study {

struct HistogramSpec {
  std::vector<std::size_t> layers;  // layers l (1-based) whose a^l is histogrammed; empty: none
  std::size_t bins = 200;
  double lo = -1.2;
  double hi = 1.2;
};

struct VarianceConfig {
  std::vector<Activation> activations;  // every layer uses one activation
  std::vector<std::string> inits;           // init specs (init::parse) or LSUV (nn/lsuv.hpp), every layer
  std::vector<std::size_t> widths;          // n_0 .. n_L
  std::size_t batch = 256;
  std::size_t seeds = 4;                    // R networks per pair: seeds seed .. seed + R - 1
  std::uint64_t seed = 0;
  double bias_std = 0.0;                    // b ~ N(0, bias_std^2); 0: b = 0
  Dtype dtype = Dtype::automatic;
  Rescale rescale = Rescale::automatic;     // power-of-two rescaling (scaling.hpp)
  int threads = 1;                          // networks run at once (BLAS gets the rest)
  HistogramSpec histograms;
  // Input rows to draw the batch from (N, n_0), e.g. the MNIST digits: seed r
  // takes the first B rows of a permutation from Stream(seed_r).split(0). Empty:
  // Gaussian input x ~ N(0, 1) per entry from Stream(seed_r).split(0).
  Matrix<float> input_pool;
  // Called after each network, from the worker threads (serialised).
  std::function<void(std::size_t done, std::size_t total, const std::string& what)> progress;
};

// One layer of one (activation, init) pair, across seeds, beside the theory.
struct LayerRow {
  std::size_t layer = 0;
  stats::LogSpread q, a2, var, grad2;   // measured, in logs (see LogSpread)
  stats::LogSpread dw_norm2;             // ||dL/dW^l||_F^2 over seeds: ln of its mean is ln E||dW||^2
  stats::Spread mean, saturated, dead;          // measured; saturated/dead NaN for linear
  theory::LayerTheory theory;            // the prediction for this layer (PairResult::theory_kind)
  // ln sqrt(E||dL/dW^l||_F^2) = ln sqrt(n_l n_{l-1} B E[qt^l (a^{l-1})^2]): compared
  // with the root mean square of the measured norms, 0.5 dw_norm2.log_mean.
  double ln_dw_norm_theory = 0.0;
  // Measured per-layer backward gain ln(grad2^l / grad2^{l+1}) = ln(E[phi'(h^l)^2]
  // n_{l+1} E[W^2]) (from the seed means); chi_1 itself at equal widths. NaN at l = L.
  double ln_backward_gain = 0.0;
  bool forward_ok = true;                // every seed's h^l, a^l finite
  bool backward_ok = true;               // every seed's dh^l, dW^l finite
  bool underflow = false;                // h^l exactly zero while the theory says q^l > 0
  // |mean - theory| / (sd / sqrt(R)): the distance of the mean over R seeds from
  // the prediction in standard errors of that mean. Empty when R = 1 or sd = 0.
  std::optional<double> z_sem_q, z_sem_a2, z_sem_grad2;
};

struct PairSummary {
  std::optional<double> slope_q, slope_q_theory;        // ln growth of q per layer
  std::optional<double> slope_grad2, slope_grad2_theory; // ln growth of grad2 per layer (l up)
  std::optional<std::size_t> break_depth, break_depth_theory;  // q leaves [q0/1e3, q0*1e3]
  std::size_t overflow_at = 0;       // first layer whose forward values overflowed; 0 none
  std::size_t grad_overflow_at = 0;  // highest layer whose gradients overflowed; 0 none
  std::size_t underflow_at = 0;      // first layer whose h was exactly zero; 0 none
  std::size_t theory_overflow_at = 0;  // theory values beyond double (ln kept)
};

struct PairResult {
  Activation activation;
  std::string init;
  std::string law;          // the init's formula, e.g. "N(0, 1/fan_in)"
  double sw2_first = 0.0;   // n_0 E[(W^1)^2]
  bool deterministic = false;  // identity or constant weights
  std::string theory_kind;     // "mean_field" (random weights) or "exact" (deterministic, b = 0)
  // First-order finite-width correction of mean-field (Gaussian or orthogonal
  // weights; empty for other laws and for exact predictions), computed at the
  // mean input q0; weight_law names it ("gaussian", "orthogonal" or "").
  std::vector<theory::FiniteWidthLayer> finite_width;
  std::string weight_law;
  RunPlan plan;
  stats::LogSpread q0;             // measured input second moment
  std::vector<LayerRow> rows;
  PairSummary summary;
  std::vector<stats::Histogram> histograms;  // one per HistogramSpec layer, summed over seeds
  std::size_t lsuv_unconverged = 0;  // lsuv specs: layers x seeds left outside the tolerance
};

struct VarianceResult {
  std::vector<PairResult> pairs;  // activation-major, in the order given
  double seconds = 0.0;
};

// Validates the config (throws std::invalid_argument naming the bad value) and
// runs the study.
VarianceResult run_variance(const VarianceConfig& config);

// Throws std::invalid_argument unless the config is runnable (depth >= 1, widths
// > 0, batch > 0, seeds > 0, known activations and inits, histogram layers in
// 1..L, bias_std >= 0, threads >= 1, input pool of width n_0 with >= batch rows).
void validate(const VarianceConfig& config);

}  // namespace initlab::study
