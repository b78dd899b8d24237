#pragma once
// The order-to-chaos phase study behind `initlab phase` (Poole et al. 2016;
// Schoenholz et al. 2017): on a grid of (sw2, sb2), R networks of equal width n and
// depth L with W^l ~ N(0, sw2 / n), b^l ~ N(0, sb2), one activation, see two inputs
// x1, x2 with |x_i|^2 / n = q0 and correlation exactly c0. Measured per cell, beside
// the mean-field values of theory/pair_trajectory.hpp and correlation_fixed_point.hpp,
// each network seeing P such pairs at once (the batch) and averaging over them:
//   q^L   = (|h1^L|^2 + |h2^L|^2) / (2 n)
//   c^L   = <h1^L, h2^L> / (|h1^L| |h2^L|)
//   chi_1 = exp( mean over l = 1..L-1 of ln(|W^{l+1} (phi'(h1^l) * v^l)|^2 / |v^l|^2) )
//           for the first input x1 of the first pair, v^l a fresh probe of signs +-1
//           per layer: the growth of a small perturbation of h1^l through one layer
//           (a Jacobian-vector product, exact to rounding; E over v is the layer
//           Jacobian's mean squared singular value), against the geometric mean of
//           chi_1^l over l = 1..L-1 along the theory trajectory. Each layer's parts
//           are kept (Chi1Layer) for the tests' conditional band (docs/theory.md §30).
//   xi_c  = -1 / slope of the least-squares line through ln|c^l - c*| against l, each
//           seed separately (c^l its mean over the P pairs), c* from the theory. The
//           window is the first run of layers whose theory |c^l - c*| lies in
//           [floor, kFitCeiling]: the ceiling leaves out the start far from c*, and
//           floor = max(kFitFloor, kNoiseMultiple * the seed sd of c^L) keeps the
//           finite-width noise of c^l out (in the chaotic phase it is ~0.05 per pair
//           at n = 256, and does not shrink with depth). The same fit on the theory
//           trajectory gives xi_c_window (like for like); the asymptotic -1/ln chi_c
//           is xi_c_theory. Where no window of kMinFitLayers layers exists, xi_c is
//           not measured (NaN): widen the net or add pairs.
//   chi_c probe = the slope of the correlation map at the theory's (q*, c*), measured with
//           every layer's own W^l, b^l on probe rows at exactly that state
//           (chi_c_probe.hpp), xi_c = -1 / ln of it, with a derived band at
//           kChiCBandFailure (docs/theory.md §33). Cells with a finite theory xi_c only.
// Seed r (r = 0..R-1) draws the network with NetworkConfig::seed = seed + r, the
// inputs from Stream(seed + r).split(0), v from split(1), the chi_c probe rows from split(0).split(1) (the net uses split(k), k >= 2).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/activation.hpp"
#include "study/chi_c_probe.hpp"
#include "study/mean_sd.hpp"
#include "theory/correlation_fixed_point.hpp"

namespace initlab::study {

inline constexpr double kFitCeiling = 0.25;
inline constexpr double kFitFloor = 1e-11;
inline constexpr double kNoiseMultiple = 3.0;
inline constexpr std::size_t kMinFitLayers = 3;

// One layer l of the chi_1 probe (first input): ln(|W^{l+1} (phi'(h^l) * v)|^2 / n), the
// measured mean_j phi'(h^l_j)^2 and its conditional mean E[phi'(sqrt(q_hat) z)^2] given
// layer l - 1, q_hat = sw2 |a^{l-1}|^2 / n + sb2 (the theory at the measured state).
struct Chi1Layer {
  double ln_growth = 0.0, dphi2 = 0.0, dphi2_theory = 0.0;
};

struct PhaseConfig {
  Activation activation{Activation::Kind::tanh, 0.01};
  std::vector<double> sw2s;  // > 0
  std::vector<double> sb2s;  // >= 0
  std::size_t width = 256;
  std::size_t depth = 50;    // >= 2
  double c0 = 0.5;           // in [-1, 1)
  std::optional<double> q0;  // E[x^2]; empty: (q* - sb2) / sw2 so q^1 = q* (1 without a q*)
  std::size_t seeds = 4;
  std::size_t pairs = 16;    // input pairs per network (the batch is 2 * pairs)
  std::size_t probe_pairs = 16;  // chi_c probe pairs per layer (at most width / 2 are used)
  std::uint64_t seed = 0;
  // Called after each cell (cells done, total, "sw2=.. sb2=..").
  std::function<void(std::size_t, std::size_t, const std::string&)> progress;
};

struct PhaseCell {
  double sw2 = 0.0, sb2 = 0.0, q0 = 0.0;
  theory::CorrelationFixedPoint fixed;  // q*, c*, chi_1(q*), chi_c, xi_c, phase
  MeanSd q, c, chi1, xi_c;              // measured at layer L (chi_1: over 1..L-1)
  std::vector<double> ln_chi1_seeds;    // ln chi_1 of each seed (the mean ln growth per layer)
  std::vector<std::vector<Chi1Layer>> chi1_layers;  // each seed's probe, layers 1..L-1
  std::vector<double> xi_c_seeds;       // each seed's fitted xi_c (empty: no window)
  double q_theory = 0.0, c_theory = 0.0, chi1_theory = 0.0;
  double xi_c_window = 0.0;             // the fit on the theory trajectory; NaN if no window
  double xi_c_theory = 0.0;             // -1/ln chi_c; NaN where there is no finite scale
  ChiCBand chi_c_probe;                 // chi_c and xi_c from the probe at (q*, c*), with
                                        // its band (all NaN where xi_c_theory is NaN)
  std::size_t fit_first = 0, fit_last = 0;  // window layers (0: no window)
  std::vector<double> c_layers, c_layers_theory;  // seed-mean c^l and theory c^l, l = 1..L
  bool diverged = false;                // some seed's h^l left the finite range
};

struct PhaseResult {
  PhaseConfig config;
  std::vector<PhaseCell> cells;  // sb2-major: for each sb2, every sw2
  double seconds = 0.0;
};

// Throws std::invalid_argument unless the config is runnable.
void validate(const PhaseConfig& config);
PhaseResult run_phase(const PhaseConfig& config);

// -1 / (least-squares slope of ln_dev[k] on k), the depth scale of a geometric
// approach; NaN for fewer than 2 points or a slope >= 0.
double fit_depth_scale(const std::vector<double>& ln_dev);

}  // namespace initlab::study
