#pragma once
// The Jacobian spectrum study behind `initlab spectrum` (Saxe et al. 2014;
// Pennington, Schoenholz & Ganguli 2017): for each (activation, weight ensemble),
// R networks of width n with W^l Gaussian N(0, sw2/n) or sqrt(sw2) times a Haar
// orthogonal matrix, b^l ~ N(0, sb2), are run forward on one input x with
// |x|^2 / n = q0, and the input-output Jacobian
//   J^l = D_l W_l ... D_1 W_1,  D_l = diag(phi'(h^l)),   (n, n)
// is accumulated layer by layer; at every requested depth its singular values
// (LAPACK gesdd through xt::linalg::svd) give mean and variance of s^2 over the n
// values, min s and max s, and a histogram of log10 s. Theory: the free-probability
// moments of theory/jacobian_spectrum.hpp along the mean-field q^l of the same start.
// Seed r: NetworkConfig::seed = seed + r, x from Stream(seed + r).split(0).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/activation.hpp"
#include "stats/histogram.hpp"
#include "study/mean_sd.hpp"
#include "theory/jacobian_spectrum.hpp"

namespace initlab::study {

inline constexpr std::size_t kSpectrumBins = 120;  // histogram of log10 s on [-6, 3]
inline constexpr double kSpectrumLogLo = -6.0;
inline constexpr double kSpectrumLogHi = 3.0;

struct SpectrumConfig {
  std::vector<Activation> activations;
  std::vector<theory::WeightEnsemble> ensembles;
  std::optional<double> sw2;  // empty: each activation's critical sw2 at sb2
  double sb2 = 0.0;
  std::size_t width = 256;
  std::vector<std::size_t> depths;  // increasing, >= 1
  std::size_t seeds = 2;
  std::uint64_t seed = 0;
  std::optional<double> q0;  // E[x^2]; empty: (q* - sb2)/sw2 so q^1 = q* (1 without q* > 0)
  std::function<void(std::size_t, std::size_t, const std::string&)> progress;
};

struct SpectrumRow {
  std::size_t depth = 0;
  MeanSd mean_s2, var_s2;  // per network: mean and variance over its n values of s^2
  double min_s = 0.0, max_s = 0.0;  // over every network
  double mean_s2_theory = 0.0, var_s2_theory = 0.0;
  double q_theory = 0.0;            // mean-field q^L
  stats::Histogram log10_s;         // summed over seeds
};

struct SpectrumPair {
  Activation activation;
  theory::WeightEnsemble ensemble = theory::WeightEnsemble::gaussian;
  std::string init;  // the init spec drawn
  double sw2 = 0.0, q0 = 0.0;
  std::vector<SpectrumRow> rows;  // one per requested depth
  bool diverged = false;          // some Jacobian entry or singular value is not finite
};

struct SpectrumResult {
  SpectrumConfig config;
  std::vector<SpectrumPair> pairs;  // activation-major
  double seconds = 0.0;
};

void validate(const SpectrumConfig& config);
SpectrumResult run_spectrum(const SpectrumConfig& config);

}  // namespace initlab::study
