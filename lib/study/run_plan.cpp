#include "study/run_plan.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/error.hpp"

namespace initlab::study {

std::string_view to_string(Dtype d) {
  switch (d) {
    case Dtype::automatic: return "auto";
    case Dtype::float32: return "float";
    case Dtype::float64: return "double";
  }
  return "auto";
}

std::string_view to_string(Rescale r) {
  switch (r) {
    case Rescale::automatic: return "auto";
    case Rescale::always: return "always";
    case Rescale::never: return "never";
  }
  return "auto";
}

namespace {

RunPlan unscaled(std::size_t L, Dtype d) {
  RunPlan p;
  p.dtype = d;
  p.octaves.assign(L, 0);
  p.log_scale_h.assign(L, 0.0);
  p.log_scale_dh.assign(L, 0.0);
  p.log_scale_dw.assign(L, 0.0);
  return p;
}

bool homogeneous(Activation f) {
  using K = Activation::Kind;
  return f.kind == K::linear || f.kind == K::relu || f.kind == K::leaky_relu;
}

// Octaves per layer from the cumulative predicted growth of RMS(h), rounded
// cumulatively so the stored RMS never drifts more than half an octave.
RunPlan rescaled(double log_q0, const theory::Trajectory& traj, Dtype d) {
  const std::size_t L = traj.layers.size();
  RunPlan p = unscaled(L, d);
  p.rescaled = true;
  long prev = 0;
  for (std::size_t i = 0; i < L; ++i) {
    const double g = 0.5 * (traj.layers[i].ln_q - log_q0) / std::numbers::ln2;
    const long cum = std::isfinite(g) ? std::lround(g) : prev;
    p.octaves[i] = static_cast<int>(cum - prev);
    prev = cum;
  }
  long total = 0;
  for (int k : p.octaves) total += k;
  long below = 0;  // k_1 + .. + k_l
  for (std::size_t i = 0; i < L; ++i) {
    below += p.octaves[i];
    const double ln2 = std::numbers::ln2;
    p.log_scale_h[i] = ln2 * static_cast<double>(below);
    p.log_scale_dh[i] = ln2 * static_cast<double>(total - below);
    p.log_scale_dw[i] = ln2 * static_cast<double>(total - p.octaves[i]);
  }
  return p;
}

}  // namespace

double predicted_log10_range(const theory::Trajectory& traj, std::size_t batch,
                             const RunPlan& plan) {
  if (plan.log_scale_h.size() != traj.layers.size()) {
    fail("study::predicted_log10_range", "plan for ", plan.log_scale_h.size(),
         " layers; expected ", traj.layers.size());
  }
  double worst = 0.0;
  auto see = [&](double ln_rms) {
    if (std::isfinite(ln_rms)) worst = std::max(worst, std::abs(ln_rms) / std::numbers::ln10);
  };
  const double ln_b = std::log(static_cast<double>(batch));
  for (std::size_t i = 0; i < traj.layers.size(); ++i) {
    const auto& t = traj.layers[i];
    see(0.5 * t.ln_q - plan.log_scale_h[i]);
    see(0.5 * t.ln_second - plan.log_scale_h[i]);
    see(0.5 * t.ln_qt - plan.log_scale_dh[i]);
    see(0.5 * (ln_b + t.ln_grad2) - plan.log_scale_dw[i]);
  }
  return worst;
}

double predicted_log10_range(const theory::Trajectory& traj, std::size_t batch) {
  return predicted_log10_range(traj, batch, unscaled(traj.layers.size(), Dtype::float64));
}

RunPlan plan_run(Activation f, double sb2, double log_q0, const theory::Trajectory& traj,
                 std::size_t batch, Dtype requested, Rescale rescale) {
  const std::size_t L = traj.layers.size();
  const double raw = predicted_log10_range(traj, batch);
  const bool can_rescale = homogeneous(f) && sb2 == 0.0 && std::isfinite(log_q0) &&
                           rescale != Rescale::never;
  auto limit = [](Dtype d) { return d == Dtype::float32 ? kFloatSafeLog10 : kDoubleSafeLog10; };
  if (can_rescale && rescale == Rescale::always) {
    RunPlan p = rescaled(log_q0, traj, requested == Dtype::float64 ? Dtype::float64 : Dtype::float32);
    if (requested == Dtype::automatic && predicted_log10_range(traj, batch, p) > kFloatSafeLog10) {
      p.dtype = Dtype::float64;
    }
    return p;
  }
  if (requested != Dtype::automatic) {
    if (raw <= limit(requested) || !can_rescale) return unscaled(L, requested);
    return rescaled(log_q0, traj, requested);
  }
  if (raw <= kFloatSafeLog10) return unscaled(L, Dtype::float32);
  if (can_rescale) {
    RunPlan p = rescaled(log_q0, traj, Dtype::float32);
    if (predicted_log10_range(traj, batch, p) > kFloatSafeLog10) p.dtype = Dtype::float64;
    return p;
  }
  return unscaled(L, Dtype::float64);
}

}  // namespace initlab::study
