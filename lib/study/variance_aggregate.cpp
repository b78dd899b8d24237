// The variance study's rows (study/variance_parts.hpp): per layer, the seeds'
// statistics summarised (mean and spread, in logs where they span decades) beside
// the prediction, and the pair's summary (slopes, break and overflow depths).

#include <cmath>
#include <limits>
#include <variant>

#include "core/error.hpp"
#include "nn/lsuv.hpp"
#include "study/variance_parts.hpp"

namespace initlab::study::detail {

namespace {

stats::LogSpread nan_log_spread() { return {kNaN, kNaN, kNaN, kNaN, kNaN}; }
stats::Spread nan_spread() { return {kNaN, kNaN, kNaN, kNaN}; }

// stats::Spread of one field over seeds, or NaNs if any value is not finite.
template <class Get>
stats::Spread spread_over(const std::vector<SeedRun>& runs, std::size_t i, Get get) {
  std::vector<double> v;
  for (const auto& r : runs) {
    const double x = get(r, i);
    if (!std::isfinite(x)) return nan_spread();
    v.push_back(x);
  }
  return stats::spread(v);
}
template <class Get>
stats::LogSpread log_spread_over(const std::vector<SeedRun>& runs, std::size_t i, Get get) {
  std::vector<double> v;
  for (const auto& r : runs) {
    const double x = get(r, i);
    if (std::isnan(x) || x == std::numeric_limits<double>::infinity()) return nan_log_spread();
    v.push_back(x);
  }
  return stats::log_spread(v);
}

void summarise(PairResult& p, const theory::Trajectory& traj) {
  const std::size_t L = p.rows.size();
  std::vector<double> q(L), qt(L), g(L), gt(L);
  for (std::size_t i = 0; i < L; ++i) {
    const LayerRow& r = p.rows[i];
    q[i] = r.q.log_mean;
    qt[i] = r.theory.ln_q;
    g[i] = r.grad2.log_mean;
    gt[i] = r.theory.ln_qt;
    if (!r.forward_ok && p.summary.overflow_at == 0) p.summary.overflow_at = r.layer;
    if (!r.backward_ok) p.summary.grad_overflow_at = r.layer;
    if (r.underflow && p.summary.underflow_at == 0) p.summary.underflow_at = r.layer;
  }
  PairSummary& s = p.summary;
  s.slope_q = stats::log_slope(q);
  s.slope_q_theory = stats::log_slope(qt);
  s.slope_grad2 = stats::log_slope(g);
  s.slope_grad2_theory = stats::log_slope(gt);
  if (std::isfinite(p.q0.log_mean)) {
    s.break_depth = stats::break_depth(p.q0.log_mean, q);
    s.break_depth_theory = stats::break_depth(p.q0.log_mean, qt);
  }
  s.theory_overflow_at = traj.overflow_at;
}

// Row i of a pair: the seeds' statistics, summarised, beside the prediction.
LayerRow layer_row(const VarianceConfig& c, const theory::LayerTheory& t,
                   const std::vector<SeedRun>& runs, std::size_t i) {
  LayerRow r;
  r.layer = i + 1;
  r.theory = t;
  for (const auto& run : runs) {
    r.forward_ok = r.forward_ok && run.fwd[i].finite;
    r.backward_ok = r.backward_ok && run.bwd[i].finite;
  }
  if (r.forward_ok) {
    r.q = log_spread_over(runs, i, [](const SeedRun& s, std::size_t k) { return s.fwd[k].log_q; });
    r.a2 = log_spread_over(runs, i, [](const SeedRun& s, std::size_t k) { return s.fwd[k].log_a2; });
    r.var = log_spread_over(runs, i, [](const SeedRun& s, std::size_t k) { return s.fwd[k].log_var; });
    r.mean = spread_over(runs, i, [](const SeedRun& s, std::size_t k) { return s.fwd[k].mean; });
    r.saturated = spread_over(runs, i, [](const SeedRun& s, std::size_t k) { return s.fwd[k].saturated; });
    r.dead = spread_over(runs, i, [](const SeedRun& s, std::size_t k) { return s.fwd[k].dead; });
    r.underflow = r.q.log_lo == -std::numeric_limits<double>::infinity() && std::isfinite(t.ln_q);
  } else {
    r.q = r.a2 = r.var = nan_log_spread();
    r.mean = r.saturated = r.dead = nan_spread();
  }
  if (r.backward_ok) {
    r.grad2 = log_spread_over(runs, i, [](const SeedRun& s, std::size_t k) { return s.bwd[k].log_grad2; });
    r.dw_norm2 = log_spread_over(runs, i, [](const SeedRun& s, std::size_t k) { return 2.0 * s.bwd[k].log_dw_norm; });
  } else {
    r.grad2 = r.dw_norm2 = nan_log_spread();
  }
  const double fan = static_cast<double>(c.widths[i] * c.widths[i + 1]);
  r.ln_dw_norm_theory = 0.5 * (std::log(fan) + std::log(static_cast<double>(c.batch)) + t.ln_grad2);
  const std::size_t R = runs.size();
  r.z_sem_q = stats::deviation_in_se(r.q.log_mean, r.q.log_sd, R, t.ln_q);
  r.z_sem_a2 = stats::deviation_in_se(r.a2.log_mean, r.a2.log_sd, R, t.ln_second);
  r.z_sem_grad2 = stats::deviation_in_se(r.grad2.log_mean, r.grad2.log_sd, R, t.ln_qt);
  return r;
}

// Histograms summed over the seeds.
std::vector<stats::Histogram> summed_histograms(const std::vector<SeedRun>& runs) {
  std::vector<stats::Histogram> h = runs.front().hist;
  for (std::size_t r = 1; r < runs.size(); ++r) {
    for (std::size_t k = 0; k < h.size(); ++k) h[k] += runs[r].hist[k];
  }
  return h;
}

}  // namespace

PairResult aggregate(const VarianceConfig& c, const Pair& pair, const stats::LogSpread& q0,
                     const std::vector<SeedRun>& runs) {
  PairResult p;
  p.activation = pair.f;
  p.init = pair.init;
  p.law = nn::is_lsuv(pair.init) ? cat("LSUV: orthogonal, then Var(h^l) = 1 +- ",
                                        nn::parse_lsuv(pair.init).tol, " on the batch")
                                  : pair.ini.law();
  for (const SeedRun& r : runs) p.lsuv_unconverged += r.lsuv_unconverged;
  p.plan = pair.plan;
  p.q0 = q0;
  p.sw2_first = pair.traj.layers.front().sw2;
  p.deterministic = std::holds_alternative<init::Identity>(pair.ini.rule()) ||
                    std::holds_alternative<init::Constant>(pair.ini.rule());
  p.theory_kind = pair.exact ? "exact" : "mean_field";
  p.finite_width = pair.finite_width;
  p.weight_law = pair.weight_law;
  const std::size_t L = pair.traj.layers.size();
  for (std::size_t i = 0; i < L; ++i) p.rows.push_back(layer_row(c, pair.traj.layers[i], runs, i));
  for (std::size_t i = 0; i < L; ++i) {
    p.rows[i].ln_backward_gain =
        i + 1 < L ? p.rows[i].grad2.log_mean - p.rows[i + 1].grad2.log_mean : kNaN;
  }
  if (!c.histograms.layers.empty()) p.histograms = summed_histograms(runs);
  summarise(p, pair.traj);
  return p;
}

}  // namespace initlab::study::detail
