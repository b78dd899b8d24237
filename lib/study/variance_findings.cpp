// The verdicts of a variance study (see findings.hpp).
#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

#include "core/error.hpp"
#include "init/initializer.hpp"
#include "nn/lsuv.hpp"
#include "study/findings.hpp"
#include "theory/scalar_map.hpp"

namespace initlab::study {

namespace {

namespace th = thresholds;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double value(double ln) { return std::isfinite(ln) ? std::exp(ln) : kNaN; }
double log10_of(double ln) { return std::isfinite(ln) ? ln / std::log(10.0) : kNaN; }
std::string subject(const PairResult& p) { return cat(p.activation.name(), " ", p.init); }
bool is_tanh(const PairResult& p) { return p.activation.kind == Activation::Kind::tanh; }

// tanh with n E[W^2] = 1 at every layer (random weights): q^l ~ 1/(2l).
Finding power_law(const PairResult& p) {
  Finding f{"tanh_xavier_power_law", subject(p), false, "", {}, {}};
  const std::size_t L = p.rows.size();
  bool in_band = true;
  for (std::size_t l : {std::size_t{10}, std::size_t{50}, std::size_t{100}}) {
    if (l > L) continue;
    const LayerRow& r = p.rows[l - 1];
    const double m = 2.0 * static_cast<double>(l) * value(r.q.log_mean);
    f.numbers.push_back({cat("two_l_q_l", l), m});
    f.numbers.push_back({cat("two_l_q_theory_l", l), 2.0 * static_cast<double>(l) * value(r.theory.ln_q)});
    in_band = in_band && m >= th::kPowerLawLo && m <= th::kPowerLawHi;
  }
  const double q1 = value(p.rows.front().q.log_mean), qL = value(p.rows.back().q.log_mean);
  const double qL_theory = value(p.rows.back().theory.ln_q);
  f.numbers.insert(f.numbers.end(), {{"q_1", q1}, {"q_L", qL}, {"q_L_theory", qL_theory},
                                     {"layer_L", static_cast<double>(L)},
                                     {"q_L_sd", value(p.rows.back().q.log_sd)}});
  f.holds = in_band && qL < th::kShrinkFactor * q1;
  f.criterion = cat("2l q^l in [kPowerLawLo = ", th::kPowerLawLo, ", kPowerLawHi = ", th::kPowerLawHi,
                    "] at l = 10, 50, 100 (those <= L): q^l decays like 1/(2l); and q^L < kShrinkFactor = ",
                    th::kShrinkFactor, " q^1: not variance-preserving");
  f.thresholds = {{"kPowerLawLo", th::kPowerLawLo}, {"kPowerLawHi", th::kPowerLawHi},
                  {"kShrinkFactor", th::kShrinkFactor}};
  return f;
}

// tanh with W = alpha I, alpha > 1: every unit settles at +-a*.
Finding identity_saturates(const PairResult& p, double alpha, const VarianceResult& res) {
  Finding f{"tanh_identity_saturates", subject(p), false, "", {}, {}};
  const double a = theory::tanh_fixed_point(alpha);
  const LayerRow& last = p.rows.back();
  const double a2 = value(last.a2.log_mean);
  double lin_log10_q = kNaN;
  for (const auto& o : res.pairs) {
    if (o.init == p.init && o.activation.kind == Activation::Kind::linear) {
      lin_log10_q = log10_of(o.rows.back().q.log_mean);
    }
  }
  f.numbers = {{"alpha", alpha}, {"a_L_2", a2}, {"a_star", a}, {"a_star_2", a * a},
               {"difference", std::fabs(a2 - a * a)}, {"slope_at_a_star", theory::tanh_fixed_point_slope(alpha)},
               {"saturated_L", last.saturated.mean}, {"layer_L", static_cast<double>(p.rows.size())},
               {"linear_log10_q_L", lin_log10_q}};
  f.holds = std::fabs(a2 - a * a) < th::kFixedPointTol;
  f.criterion = cat("|E[(a^L)^2] - a*^2| < kFixedPointTol = ", th::kFixedPointTol,
                    ", a* > 0 the root of a = tanh(alpha a) (slope alpha (1 - a*^2) < 1: saturates, does not explode)");
  f.thresholds = {{"kFixedPointTol", th::kFixedPointTol}};
  return f;
}

// q^l / q^0 stays in [1/kBreakFactor, kBreakFactor] up to the last layer.
Finding signal_preserved(const PairResult& p) {
  Finding f{"signal_preserved", subject(p), false, "", {}, {}};
  const auto& s = p.summary;
  const auto depth = [](const std::optional<std::size_t>& b) { return b ? static_cast<double>(*b) : 0.0; };
  f.numbers = {{"growth_q", s.slope_q ? std::exp(*s.slope_q) : kNaN},
               {"growth_q_theory", s.slope_q_theory ? std::exp(*s.slope_q_theory) : kNaN},
               {"break_depth", depth(s.break_depth)}, {"break_depth_theory", depth(s.break_depth_theory)},
               {"log10_q_L", log10_of(p.rows.back().q.log_mean)},
               {"log10_q_L_theory", log10_of(p.rows.back().theory.ln_q)},
               {"q_0", value(p.q0.log_mean)}};
  f.holds = std::isfinite(p.q0.log_mean) && !s.break_depth;
  f.criterion = cat("q^l / q^0 stays within [1/kBreakFactor, kBreakFactor], kBreakFactor = ", th::kBreakFactor,
                    ", at every layer (break_depth 0 = none)");
  f.thresholds = {{"kBreakFactor", th::kBreakFactor}};
  return f;
}

// A mostly saturated tanh net whose gradients still grow toward the input.
Finding saturated_gradients(const PairResult& p) {
  Finding f{"tanh_saturated_gradients_grow", subject(p), false, "", {}, {}};
  const LayerRow& first = p.rows.front();
  const LayerRow& last = p.rows.back();
  f.numbers = {{"saturated_L", last.saturated.mean}, {"a2_L", value(last.a2.log_mean)},
               {"chi1_L", last.theory.chi1}, {"log10_grad2_1", log10_of(first.grad2.log_mean)},
               {"log10_grad2_1_theory", log10_of(first.theory.ln_qt)},
               {"log10_grad2_L", log10_of(last.grad2.log_mean)}, {"layer_L", static_cast<double>(p.rows.size())}};
  f.holds = std::isfinite(first.grad2.log_mean) && first.grad2.log_mean > last.grad2.log_mean;
  f.criterion = cat("with more than kSaturatedMost = ", th::kSaturatedMost,
                    " of the last layer's units at |a| > 0.99, E[(dL/dh^1)^2] > E[(dL/dh^L)^2]: "
                    "the gradient grows toward the input");
  f.thresholds = {{"kSaturatedMost", th::kSaturatedMost}};
  return f;
}

// Deterministic weights against their exact prediction: forward values to rounding.
Finding deterministic_exact(const PairResult& p) {
  Finding f{"deterministic_exact", subject(p), false, "", {}, {}};
  const bool fl = p.plan.dtype == Dtype::float32;
  const double tol = fl ? th::kExactRelFloat : th::kExactRelDouble;
  double worst = 0.0;
  std::size_t at = 0;
  bool finite = true;
  for (const auto& r : p.rows) {
    for (const auto& [m, t] : {std::pair{r.q.log_mean, r.theory.ln_q}, std::pair{r.a2.log_mean, r.theory.ln_second}}) {
      if (!std::isfinite(m) || !std::isfinite(t)) {
        finite = finite && m == t;
        continue;
      }
      const double e = std::fabs(std::expm1(m - t));
      if (e > worst) worst = e, at = r.layer;
    }
  }
  f.numbers = {{"max_rel_error", worst}, {"layer", static_cast<double>(at)}, {"float32", fl ? 1.0 : 0.0}};
  f.holds = finite && worst <= tol;
  f.criterion = cat("every layer's measured q^l and E[(a^l)^2] within relative ", fl ? "kExactRelFloat = " : "kExactRelDouble = ",
                    tol, " of the exact prediction (the deterministic map iterated on the actual inputs)");
  f.thresholds = {{fl ? "kExactRelFloat" : "kExactRelDouble", tol}};
  return f;
}

// The largest z over layers and fields of a set of pairs, and how many finite z
// it was chosen from (the family of the threshold).
struct Deviation {
  const PairResult* pair = nullptr;
  const LayerRow* row = nullptr;
  std::string field;
  double z = -1.0;
  std::size_t tests = 0;
};

Deviation largest_random(const VarianceResult& res) {
  Deviation d;
  for (const auto& p : res.pairs) {
    if (p.theory_kind != "mean_field") continue;
    for (const auto& r : p.rows) {
      for (const auto& [name, z] : {std::pair{"q", r.z_sem_q}, std::pair{"a2", r.z_sem_a2},
                                    std::pair{"grad2", r.z_sem_grad2}}) {
        if (!z || !std::isfinite(*z)) continue;
        ++d.tests;
        if (*z > d.z) d = {&p, &r, name, *z, d.tests};
      }
    }
  }
  return d;
}

// The family-wise threshold on z over R seeds and m tests (docs/theory.md §34, §35);
// NaN (nothing holds) without a t statistic.
double agree_limit(std::size_t R, std::size_t m) { return R >= 2 && m >= 1 ? net_agree_threshold(R, m) : kNaN; }

const stats::LogSpread& measured(const LayerRow& r, const std::string& field) {
  return field == "q" ? r.q : field == "a2" ? r.a2 : r.grad2;
}
double predicted_ln(const LayerRow& r, const std::string& field) {
  return field == "q" ? r.theory.ln_q : field == "a2" ? r.theory.ln_second : r.theory.ln_qt;
}

// Random inits against mean-field, in standard errors of the mean over seeds.
Finding largest_deviation_random(const Deviation& d, std::size_t R) {
  Finding f{"largest_deviation_random", "", false, "", {}, {}};
  const double limit = agree_limit(R, d.tests);
  f.criterion = cat("the largest |mean over seeds - mean-field| / (sd / sqrt(R)) of ln value over the tests = ",
                    d.tests, " layers, fields (q, E[a^2], E[(dL/dh)^2]) and random inits is at most z_threshold = ",
                    limit, ", the Student t_{R-1} quantile at kAgreeFamilyLevel = ", th::kAgreeFamilyLevel,
                    " / tests (Bonferroni; the mean-field theory's finite-width bias is not in it, docs/theory.md §35)");
  f.thresholds = {{"kAgreeFamilyLevel", th::kAgreeFamilyLevel}, {"z_threshold", limit}};
  const stats::LogSpread& m = measured(*d.row, d.field);
  const double t = predicted_ln(*d.row, d.field);
  f.subject = cat(subject(*d.pair), ", ", d.field, " at layer ", d.row->layer);
  f.numbers = {{"z_sem", d.z}, {"layer", static_cast<double>(d.row->layer)}, {"measured", value(m.log_mean)},
               {"predicted", value(t)}, {"sem", value(m.log_sd) / std::sqrt(static_cast<double>(R))},
               {"rel_deviation", std::expm1(m.log_mean - t)}, {"seeds", static_cast<double>(R)},
               {"tests", static_cast<double>(d.tests)}};
  f.holds = d.z <= limit;
  return f;
}

// Deterministic inits against their exact prediction: the forward values are
// compared to rounding (relative error), the gradients, random through g only,
// in standard errors of the mean.
Finding largest_deviation_exact(const VarianceResult& res, std::size_t R) {
  Finding f{"largest_deviation_exact", "", false, "", {}, {}};
  double worst_rel = 0.0, worst_z = 0.0, tol = th::kExactRelDouble;
  std::string rel_at = "none", z_at = "none";
  std::size_t tests = 0;
  for (const auto& p : res.pairs) {
    if (p.theory_kind != "exact") continue;
    if (p.plan.dtype == Dtype::float32) tol = th::kExactRelFloat;
    for (const auto& r : p.rows) {
      for (const auto& [name, m, t] : {std::tuple{"q", r.q.log_mean, r.theory.ln_q},
                                       std::tuple{"a2", r.a2.log_mean, r.theory.ln_second}}) {
        const double e = std::isfinite(m) && std::isfinite(t) ? std::fabs(std::expm1(m - t)) : 0.0;
        if (e > worst_rel) worst_rel = e, rel_at = cat(subject(p), ", ", name, " at layer ", r.layer);
      }
      if (r.z_sem_grad2 && std::isfinite(*r.z_sem_grad2)) ++tests;
      if (r.z_sem_grad2 && *r.z_sem_grad2 > worst_z) {
        worst_z = *r.z_sem_grad2;
        z_at = cat(subject(p), ", grad2 at layer ", r.layer);
      }
    }
  }
  f.subject = cat("forward: ", rel_at, "; gradient: ", z_at);
  const double limit = agree_limit(R, tests);
  f.numbers = {{"max_rel_error_forward", worst_rel}, {"z_sem_grad2", worst_z}, {"seeds", static_cast<double>(R)},
               {"tests", static_cast<double>(tests)}};
  f.holds = worst_rel <= tol && (tests == 0 || worst_z <= limit);
  f.criterion = cat("deterministic inits against the exact prediction: q^l and E[(a^l)^2] within relative ",
                    tol == th::kExactRelFloat ? "kExactRelFloat = " : "kExactRelDouble = ", tol,
                    " (rounding), and E[(dL/dh^l)^2], random through g only, within z_threshold = ", limit,
                    " standard errors of the mean, the Student t_{R-1} quantile at kAgreeFamilyLevel = ",
                    th::kAgreeFamilyLevel, " / tests over the tests = ", tests, " layers (docs/theory.md §35)");
  f.thresholds = {{tol == th::kExactRelFloat ? "kExactRelFloat" : "kExactRelDouble", tol},
                  {"kAgreeFamilyLevel", th::kAgreeFamilyLevel}, {"z_threshold", limit}};
  return f;
}

// Does the pair's computed finite-width correction have the measured sign and size?
Finding seed_spread_explained(const PairResult& p, const LayerRow& r, const std::string& field, std::size_t R) {
  Finding f{"seed_spread_explained", cat(subject(p), ", ", field, " at layer ", r.layer), false, "", {}, {}};
  const stats::LogSpread& m = measured(r, field);
  const double rel = std::expm1(m.log_mean - predicted_ln(r, field));
  const double sem_rel = std::exp(m.log_sd - m.log_mean) / std::sqrt(static_cast<double>(R));
  const bool has = !p.finite_width.empty() && field != "grad2";
  const double pred = has ? (field == "q" ? p.finite_width[r.layer - 1].rel_q : p.finite_width[r.layer - 1].rel_a2) : kNaN;
  const double ratio = has && pred != 0.0 ? rel / pred : kNaN;
  f.numbers = {{"measured_rel_deviation", rel}, {"predicted_rel_correction", pred}, {"ratio", ratio},
               {"sem_rel", sem_rel}, {"residual_in_sem", has ? (rel - pred) / sem_rel : kNaN}};
  f.holds = has && ratio >= th::kExplainRatioLo && ratio <= th::kExplainRatioHi;
  f.criterion = cat("the first-order finite-width correction for ", p.weight_law.empty() ? "this weight law (none computed)" : p.weight_law,
                    " weights (docs/theory.md) has the measured sign and measured / predicted in [kExplainRatioLo = ",
                    th::kExplainRatioLo, ", kExplainRatioHi = ", th::kExplainRatioHi, "]");
  f.thresholds = {{"kExplainRatioLo", th::kExplainRatioLo}, {"kExplainRatioHi", th::kExplainRatioHi}};
  return f;
}

// The largest z of one pair (fields q and a2, which have a correction).
Deviation largest_in(const PairResult& p) {
  Deviation d;
  for (const auto& r : p.rows) {
    for (const auto& [name, z] : {std::pair{"q", r.z_sem_q}, std::pair{"a2", r.z_sem_a2}}) {
      if (z && std::isfinite(*z) && *z > d.z) d = {&p, &r, name, *z, 0};
    }
  }
  return d;
}

bool unit_sw2(const PairResult& p) {
  for (const auto& r : p.rows) {
    if (std::fabs(r.theory.sw2 - 1.0) > 1e-9) return false;
  }
  return true;
}

}  // namespace

std::vector<Finding> variance_findings(const VarianceConfig& c, const VarianceResult& res) {
  std::vector<Finding> out;
  for (const auto& p : res.pairs) {
    if (p.rows.empty()) continue;
    const bool random = p.theory_kind == "mean_field";
    if (is_tanh(p) && random && unit_sw2(p) && p.rows.size() >= 10) out.push_back(power_law(p));
    const init::Initializer ini = init::parse(nn::drawn_spec(p.init));  // lsuv: its orthogonal pre-init
    const auto* id = std::get_if<init::Identity>(&ini.rule());
    if (is_tanh(p) && id && id->alpha > 1.0) out.push_back(identity_saturates(p, id->alpha, res));
    out.push_back(signal_preserved(p));
    if (is_tanh(p) && p.rows.back().saturated.mean > th::kSaturatedMost) out.push_back(saturated_gradients(p));
    if (p.theory_kind == "exact") out.push_back(deterministic_exact(p));
  }
  const Deviation worst = largest_random(res);
  if (worst.pair) out.push_back(largest_deviation_random(worst, c.seeds));
  const bool any_exact = std::any_of(res.pairs.begin(), res.pairs.end(),
                                     [](const PairResult& p) { return p.theory_kind == "exact"; });
  if (any_exact) out.push_back(largest_deviation_exact(res, c.seeds));
  // A deviation beyond largest_deviation_random's threshold asks for an explanation.
  const double limit = agree_limit(c.seeds, worst.tests);
  if (worst.pair && worst.z > limit) {
    out.push_back(seed_spread_explained(*worst.pair, *worst.row, worst.field, c.seeds));
  }
  for (const auto& p : res.pairs) {
    if (p.weight_law != "orthogonal" || &p == worst.pair) continue;
    const Deviation d = largest_in(p);
    if (d.pair && d.z > limit) out.push_back(seed_spread_explained(p, *d.row, d.field, c.seeds));
  }
  return out;
}

}  // namespace initlab::study
