#pragma once
// How to run one (activation, init) network so that its cache holds finite,
// well-represented numbers, chosen from the mean-field prediction before the run:
//
//  - the element type: float when every predicted RMS (pre-activations, the
//    backward dL/dh, the weight gradients) stays within 1e-30 .. 1e30, else double;
//  - for positively homogeneous activations (linear, relu, leaky_relu) with b = 0,
//    exact power-of-two rescaling: W^l is multiplied by c_l = 2^-k_l, where k_l is
//    the predicted per-layer growth of RMS(h) in octaves, rounded. The net is then
//    phi(c W a) = c phi(W a), so the stored h^l is 2^-(k_1+..+k_l) h^l exactly
//    (multiplying by a power of two rounds nothing), and the statistics add the
//    accumulated ln-scale back: ln q stays exact at any depth.
//
// By default rescaling is used only when the unscaled run would leave the chosen
// type's safe range; a run that still overflows is reported as overflow at layer k.

#include <cstddef>
#include <string_view>
#include <vector>

#include "core/activation.hpp"
#include "theory/meanfield.hpp"

namespace initlab::study {

enum class Dtype { automatic, float32, float64 };
std::string_view to_string(Dtype d);  // "auto", "float", "double"

// When to rescale: automatic = only where the unscaled run would leave the safe
// range; always = whenever allowed (homogeneous, b = 0); never.
enum class Rescale { automatic, always, never };
std::string_view to_string(Rescale r);  // "auto", "always", "never"

struct RunPlan {
  Dtype dtype = Dtype::float32;   // float32 or float64, never automatic
  bool rescaled = false;
  std::vector<int> octaves;       // k_l, l = 1..L (all 0 unless rescaled)
  // true = exp(log scale) * stored, per layer l = 1..L (index l-1):
  std::vector<double> log_scale_h;   // ln2 (k_1 + .. + k_l)          h^l, a^l
  std::vector<double> log_scale_dh;  // ln2 (k_{l+1} + .. + k_L)      dL/dh^l
  std::vector<double> log_scale_dw;  // ln2 (sum of k_j, j != l)      dL/dW^l
};

// The largest |log10| of a predicted RMS (sqrt q^l, sqrt qt^l and the weight
// gradient entry sqrt(batch grad2^l)) of a trajectory, after removing the scales
// of `plan` (pass a plan with no rescaling for the raw range).
double predicted_log10_range(const theory::Trajectory& traj, std::size_t batch,
                             const RunPlan& plan);
// The same with no rescaling.
double predicted_log10_range(const theory::Trajectory& traj, std::size_t batch);

// Chooses the element type and scaling for activation f (every layer), bias
// variance sb2, input second moment exp(log_q0), from the predicted trajectory.
// `requested` automatic picks float when it is safe (after rescaling where that
// is allowed), else double.
RunPlan plan_run(Activation f, double sb2, double log_q0, const theory::Trajectory& traj,
                 std::size_t batch, Dtype requested, Rescale rescale = Rescale::automatic);

// Safe |log10 RMS| for each type (the rest of the range is margin for tails and sums).
inline constexpr double kFloatSafeLog10 = 30.0;
inline constexpr double kDoubleSafeLog10 = 290.0;

}  // namespace initlab::study
