#pragma once
// The verdicts a report states, as data: each finding has an id, a subject, the
// numbers it rests on, its criterion (a sentence naming the thresholds below by
// name and value) and whether it holds. The tools write them into their JSON
// ("findings"); scripts/report/ only turns them into sentences and prints each
// criterion beside its verdict. Laws and derivations: docs/theory.md.

#include <string>
#include <utility>
#include <vector>

#include "study/net_variance.hpp"
#include "study/training_preset.hpp"
#include "study/training_study.hpp"
#include "study/variance_study.hpp"

namespace initlab::study {

struct Finding {
  std::string id;       // e.g. "tanh_xavier_power_law"
  std::string subject;  // what it is about, e.g. "tanh lecun_normal"
  bool holds = false;
  std::string criterion;
  std::vector<std::pair<std::string, double>> numbers;     // name, value (NaN: not available)
  std::vector<std::pair<std::string, double>> thresholds;  // name, value
};

namespace thresholds {
// tanh at n E[W^2] = 1: q^l = 1 / (2l - (5/6) ln l + C) (docs/theory.md), so 2l q^l
// tends to 1 from above; at l = 10 the log term keeps it near 1.2. [0.7, 1.5]
// accepts that and rejects a constant q (2l q grows with l) and exponential decay.
inline constexpr double kPowerLawLo = 0.7;
inline constexpr double kPowerLawHi = 1.5;
// "Not variance-preserving": q^L has lost at least half of q^1.
inline constexpr double kShrinkFactor = 0.5;
// tanh with W = alpha I: E[(a^L)^2] within 0.01 of a*^2 (a* = tanh(alpha a*)) is
// "settled at the fixed point"; the map contracts by alpha (1 - a*^2) per layer
// (0.39 at alpha = 1.5), so 100 layers settle to rounding and 10 do not.
inline constexpr double kFixedPointTol = 0.01;
// The signal "breaks" when q^l / q^0 leaves [1 / kBreakFactor, kBreakFactor]
// (stats::break_depth's default).
inline constexpr double kBreakFactor = 1e3;
// "Mostly saturated": more than half the units of the last layer have |a| > 0.99.
inline constexpr double kSaturatedMost = 0.5;
// A residual branch is "minor" when it carries less than half of its block's
// output second moment: the skip path then dominates the signal.
inline constexpr double kBranchMinor = 0.5;
// net_theory_agrees (docs/theory.md §34): each layer's and quantity's z = |mean -
// theory| / (sd / sqrt(R)) over R seeds is |t_{R-1}| when the theory is the
// expectation of the per-seed value; the threshold is the t_{R-1} quantile at
// kAgreeFamilyLevel / m for the m values tested (Bonferroni, any dependence between
// layers), so a correct theory is flagged with probability at most 1% per report
// (at R = 4: 24.1 for m = 64, 30.4 for m = 128; the old per-layer 6.5 had 0.0074 each).
// The criticality findings (chi_1, the fitted xi_c, the spectral moments) and the
// variance study's largest_deviation_random / largest_deviation_exact use the same
// threshold over the values each compares (docs/theory.md §35).
inline constexpr double kAgreeFamilyLevel = 0.01;
// An exact prediction (deterministic weights) matches the measurement to
// rounding: relative 1e-4 in float32 (100 layers of products, 6e-8 each, with
// room), 1e-10 in double.
inline constexpr double kExactRelFloat = 1e-4;
inline constexpr double kExactRelDouble = 1e-10;
// A computed finite-width correction "explains" a deviation when it has the
// measured sign and its size is within a factor 2 of the measured one (it is
// first order in 1/n; the next order and the seed noise are not in it).
inline constexpr double kExplainRatioLo = 0.5;
inline constexpr double kExplainRatioHi = 2.0;
// Training: a ranking is "separated" when consecutive means differ by more than
// 2 standard errors of their difference.
inline constexpr double kRankSeparation = 2.0;
// Zero weights stay at the uniform guess: final cost within 1% of ln(classes).
inline constexpr double kUniformGuessRel = 0.01;
// A cost curve's tail is its last 10% of steps.
inline constexpr double kTailFraction = 0.1;
// "Oscillates": at least a quarter of the tail's steps raise the cost, and the
// tail's maximum is more than 1.5 times the lowest cost of the run.
inline constexpr double kOscillationUps = 0.25;
inline constexpr double kOscillationRise = 1.5;
// "Stalls": the cost changes by less than 1% over the whole run.
inline constexpr double kStallChange = 0.01;
// "Plateau": steps until the cost first drops 1% below its start.
inline constexpr double kPlateauDrop = 0.01;
// Criticality (lib/study/criticality_findings.cpp). A fit over L layers cannot show a
// correlation depth scale much longer than L: xi_c is compared with theory only where
// the theory's xi_c is at most kMeasurableXiFraction x depth.
inline constexpr double kMeasurableXiFraction = 0.25;
// An orthogonal linear net is an isometry: every singular value of its Jacobian within
// kIsometryRounding (3 L n^2 + 4 n^2.5) u of 1, u = 2^-53: the first-order rounding bound
// of docs/theory.md §17 (the GEMMs and the SVD) doubled.
inline constexpr double kIsometryRounding = 2.0;
}  // namespace thresholds

// Findings of a variance study: tanh_xavier_power_law, tanh_identity_saturates,
// signal_preserved, tanh_saturated_gradients_grow, deterministic_exact,
// largest_deviation_random, largest_deviation_exact, seed_spread_explained.
std::vector<Finding> variance_findings(const VarianceConfig& c, const VarianceResult& r);

// Findings of a training study: init_ranking, note_claim_holds, zero_init_symmetric,
// small_init_plateau, deep_linear_oscillates, deep_linear_stalls, run_diverged.
std::vector<Finding> training_findings(const TrainingSetup& s, const std::vector<RunRecord>& runs);

// Findings of a described network's variance study (study/net_variance.hpp):
// net_signal_kept, net_gradient_kept, net_theory_agrees, and net_last_layer_saturated
// (plain networks, per layer) or net_residual_branch_minor (networks with residual
// blocks, per block).
std::vector<Finding> net_variance_findings(const NetVarianceResult& r);
// The family-wise threshold on z for R seeds and m tested values: P(|t_{R-1}| > it)
// = kAgreeFamilyLevel / m (net_theory_agrees, the criticality findings and the variance
// study's deviations). Throws unless seeds >= 2 and tests >= 1.
double net_agree_threshold(std::size_t seeds, std::size_t tests);

}  // namespace initlab::study
