// The verdicts of a described network's variance study (see findings.hpp):
// net_signal_kept, net_gradient_kept, net_theory_agrees, net_last_layer_saturated.
#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "stats/layer_stats.hpp"
#include "stats/student_t.hpp"
#include "study/findings.hpp"

namespace initlab::study {

namespace {

namespace th = thresholds;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double value(double ln) { return std::isfinite(ln) ? std::exp(ln) : kNaN; }
double opt(const std::optional<double>& v) { return v ? *v : kNaN; }
double opt(const std::optional<std::size_t>& v) { return v ? static_cast<double>(*v) : kNaN; }

// The signal and gradient of every layer, measured (mean over seeds) and predicted, in logs.
struct Track {
  std::vector<double> q, q_theory, g, g_theory, z_q, z_g;
};

Track track(const NetVarianceResult& r) {
  Track t;
  for (const auto& b : r.blocks) {
    const bool applies = b.theory.not_applicable.empty();
    t.q.push_back(b.second.log_mean);
    t.q_theory.push_back(b.theory.ln_second);
    if (std::isfinite(b.grad.log_mean)) {  // a last dense block's dL/dy is not measured
      t.g.push_back(b.grad.log_mean);
      t.g_theory.push_back(b.theory.ln_grad);
    }
    t.z_q.push_back(applies ? opt(b.z_sem_second) : kNaN);
    t.z_g.push_back(applies ? opt(b.z_sem_grad) : kNaN);
  }
  for (const auto& row : r.rows) {
    t.q.push_back(row.q.log_mean);
    t.q_theory.push_back(row.theory.ln_q);
    t.g.push_back(row.grad2.log_mean);
    t.g_theory.push_back(row.theory.ln_qt);
    t.z_q.push_back(opt(row.z_sem_q));
    t.z_g.push_back(opt(row.z_sem_grad2));
  }
  return t;
}

// q^l stays within [q0 / kBreakFactor, q0 kBreakFactor] at every layer.
Finding signal_kept(const NetVarianceResult& r, const Track& t) {
  Finding f{"net_signal_kept", r.name, !r.break_depth.has_value(), "", {}, {}};
  f.numbers = {{"break_depth", opt(r.break_depth)},
               {"break_depth_theory", opt(r.break_depth_theory)},
               {"growth_per_layer", r.slope_q ? std::exp(*r.slope_q) : kNaN},
               {"growth_per_layer_theory", r.slope_q_theory ? std::exp(*r.slope_q_theory) : kNaN},
               {"q_0", value(r.q0.log_mean)},
               {"q_L", value(t.q.back())},
               {"q_L_theory", value(t.q_theory.back())}};
  f.thresholds = {{"kBreakFactor", th::kBreakFactor}};
  f.criterion = cat("the measured q^l stays within [q_0 / kBreakFactor, q_0 * kBreakFactor] (kBreakFactor = ",
                    th::kBreakFactor, ") at every layer");
  return f;
}

// E[(dL/dh^1)^2] / E[(dL/dh^L)^2] within [1 / kBreakFactor, kBreakFactor].
Finding gradient_kept(const NetVarianceResult& r, const Track& t) {
  const double ratio = value(t.g.front() - t.g.back());
  const double ratio_theory = value(t.g_theory.front() - t.g_theory.back());
  Finding f{"net_gradient_kept", r.name, ratio >= 1.0 / th::kBreakFactor && ratio <= th::kBreakFactor, "", {}, {}};
  f.numbers = {{"grad2_first_over_last", ratio}, {"grad2_first_over_last_theory", ratio_theory}};
  f.thresholds = {{"kBreakFactor", th::kBreakFactor}};
  f.criterion = cat("the first layer's gradient second moment is within a factor kBreakFactor = ", th::kBreakFactor,
                    " of the last layer's");
  return f;
}

// Every layer's mean over seeds within the Bonferroni t threshold of the prediction
// (docs/theory.md §34): a correct theory is flagged with probability <= kAgreeFamilyLevel.
Finding theory_agrees(const NetVarianceResult& r, const Track& t) {
  double worst = 0.0;
  std::size_t at = 0, tests = 0;
  for (std::size_t i = 0; i < t.z_q.size(); ++i) {
    for (double z : {t.z_q[i], t.z_g[i]}) {
      if (!std::isfinite(z)) continue;
      ++tests;
      if (z > worst || at == 0) {
        worst = z;
        at = i + 1;
      }
    }
  }
  const double limit = tests > 0 && r.seeds >= 2 ? net_agree_threshold(r.seeds, tests) : kNaN;
  Finding f{"net_theory_agrees", r.name, tests == 0 || worst <= limit, "", {}, {}};
  f.numbers = {{"largest_z_sem", tests == 0 ? kNaN : worst},
               {"at_layer", tests == 0 ? kNaN : static_cast<double>(at)},
               {"tests", static_cast<double>(tests)},
               {"seeds", static_cast<double>(r.seeds)}};
  f.thresholds = {{"kAgreeFamilyLevel", th::kAgreeFamilyLevel}, {"z_threshold", limit}};
  f.criterion = cat("every layer's q and gradient second moment (mean over R seeds) lie within z_threshold = ", limit,
                    " standard errors of the mean-field prediction, the Student t_{R-1} quantile at kAgreeFamilyLevel = ",
                    th::kAgreeFamilyLevel, " / tests (Bonferroni): a theory equal to the expected per-seed value is "
                    "flagged with probability at most kAgreeFamilyLevel. The mean-field recursion's own finite-width "
                    "and finite-batch bias is not in it, so a flag says the theory is wrong or that bias is resolved (needs >= 2 "
                    "seeds; docs/theory.md §34)");
  return f;
}

// tanh-like and sigmoid saturate, relu switches off; the negative side of
// leaky_relu or selu is neither (half the entries by symmetry).
bool can_saturate(Activation f) {
  const stats::Saturation s = stats::saturation_for(f);
  return s == stats::Saturation::tanh_like || s == stats::Saturation::sigmoid_like ||
         s == stats::Saturation::relu_zero;
}

// The last layer whose activation saturates or switches off has more than
// kSaturatedMost of its entries saturated (tanh, sigmoid) or inactive (relu).
Finding last_saturated(const NetVarianceResult& r) {
  const auto it = std::find_if(r.rows.rbegin(), r.rows.rend(), [](const NetLayerRow& row) {
    return can_saturate(Activation::parse(row.activation)) && std::isfinite(row.saturated.mean);
  });
  Finding f{"net_last_layer_saturated", r.name, false, "", {}, {}};
  f.thresholds = {{"kSaturatedMost", th::kSaturatedMost}};
  f.criterion = cat("more than kSaturatedMost = ", th::kSaturatedMost,
                    " of the entries of the last layer that can saturate are saturated or inactive");
  if (it == r.rows.rend()) {
    f.numbers = {{"layer", kNaN}, {"saturated", kNaN}, {"dead", kNaN}};
    return f;
  }
  f.holds = it->saturated.mean > th::kSaturatedMost;
  f.numbers = {{"layer", static_cast<double>(it->layer)}, {"saturated", it->saturated.mean}, {"dead", it->dead.mean}};
  return f;
}

// The branch's share of E[y^2] at the last residual block is below kBranchMinor:
// the skip path carries most of the signal there.
Finding branch_share(const NetVarianceResult& r) {
  const auto it = std::find_if(r.blocks.rbegin(), r.blocks.rend(),
                               [](const NetBlockRow& b) { return b.kind == "residual"; });
  const double share = value(it->share.log_mean);
  Finding f{"net_residual_branch_minor", r.name, share < th::kBranchMinor, "", {}, {}};
  f.numbers = {{"block", static_cast<double>(it->block)}, {"branch_share", share},
               {"branch_share_theory", it->theory.branch_share}};
  f.thresholds = {{"kBranchMinor", th::kBranchMinor}};
  f.criterion = cat("at the last residual block the branch carries less than kBranchMinor = ", th::kBranchMinor,
                    " of the output's second moment (measured alpha^2 E[r^2] / E[y^2])");
  return f;
}

bool has_residual(const NetVarianceResult& r) {
  return std::any_of(r.blocks.begin(), r.blocks.end(), [](const NetBlockRow& b) { return b.kind == "residual"; });
}

}  // namespace

double net_agree_threshold(std::size_t seeds, std::size_t tests) {
  if (seeds < 2) fail("study::net_agree_threshold", "seeds ", seeds, "; expected >= 2");
  if (tests < 1) fail("study::net_agree_threshold", "tests 0; expected >= 1");
  return stats::student_t_two_sided_quantile(static_cast<double>(seeds - 1),
                                             th::kAgreeFamilyLevel / static_cast<double>(tests));
}

std::vector<Finding> net_variance_findings(const NetVarianceResult& r) {
  const Track t = track(r);
  if (t.q.empty() || t.g.empty()) return {};
  std::vector<Finding> all = {signal_kept(r, t), gradient_kept(r, t), theory_agrees(r, t)};
  if (!r.rows.empty()) all.push_back(last_saturated(r));
  if (has_residual(r)) all.push_back(branch_share(r));
  return all;
}

}  // namespace initlab::study
