// The verdicts of the criticality report (see criticality_findings.hpp).
#include "study/criticality_findings.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/error.hpp"

namespace initlab::study {

namespace {

namespace th = thresholds;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One value compared with its theory: z = (measured - theory) / sd over R seeds.
struct Deviation {
  double z = kNaN, measured = kNaN, theory = kNaN, sd = kNaN;
  std::size_t seeds = 0;
  std::string where = "none";
  double sw2 = kNaN, sb2 = kNaN;
};

// Adds (measured, sd over n seeds) against theory to the family unless either is
// missing, fewer than 2 seeds or no spread (sd = 0) leave no t statistic, or the theory
// is exactly 0 (an isometry: rounding only).
bool consider(std::vector<Deviation>& family, const MeanSd& m, double theory, const std::string& where) {
  if (!(std::isfinite(m.mean) && std::isfinite(m.sd) && std::isfinite(theory)) || m.sd == 0.0 ||
      m.n < 2 || theory == 0.0)
    return false;
  family.push_back({(m.mean - theory) / m.sd, m.mean, theory, m.sd, m.n, where, kNaN, kNaN});
  return true;
}

double z_se(const Deviation& d) { return d.z * std::sqrt(static_cast<double>(d.seeds)); }

// Every value of the family within the family-wise threshold net_agree_threshold(R, m)
// (docs/theory.md §34, §35); the finding reports the value nearest to or furthest
// beyond it (the largest abs(z_se) when every value has the same R).
Finding deviation_finding(const std::string& id, const std::string& what, const std::vector<Deviation>& family,
                          const std::string& among) {
  const std::size_t m = family.size();
  Deviation d;
  double ratio = -1.0, limit = kNaN;
  for (const Deviation& x : family) {
    const double t = net_agree_threshold(x.seeds, m);
    if (std::fabs(z_se(x)) / t > ratio) ratio = std::fabs(z_se(x)) / t, d = x, limit = t;
  }
  Finding f{id, d.where, m > 0 && ratio <= 1.0, "", {}, {}};
  f.numbers = {{"z", d.z}, {"z_se", z_se(d)}, {"measured", d.measured}, {"theory", d.theory},
               {"sd", d.sd}, {"seeds", static_cast<double>(d.seeds)}, {"tests", static_cast<double>(m)}};
  if (std::isfinite(d.sw2)) f.numbers.insert(f.numbers.begin(), {{"sw2", d.sw2}, {"sb2", d.sb2}});
  f.criterion = cat("every one of the tests = ", m, " values of ", what, " over ", among,
                    " within z_threshold of its theory: abs(z_se) <= z_threshold, z_se = (measured - theory) / "
                    "(sd / sqrt(seeds)) over the seeds, z_threshold = ", limit, " the Student t_{seeds-1} quantile "
                    "at kAgreeFamilyLevel = ", th::kAgreeFamilyLevel, " / tests (Bonferroni: a theory equal to the "
                    "expected per-seed value fails with probability at most kAgreeFamilyLevel; a finite-width bias "
                    "of the theory is not in it, docs/theory.md §35); shown: the value with the largest "
                    "abs(z_se) / z_threshold, z in seed sd (none to compare: does not hold)");
  f.thresholds = {{"kAgreeFamilyLevel", th::kAgreeFamilyLevel}, {"z_threshold", limit}};
  return f;
}

std::string phase_subject(const PhaseConfig& c) {
  return cat(c.activation.name(), ", width ", c.width, ", depth ", c.depth);
}

std::string cell_name(const PhaseCell& x) { return cat("sw2 ", x.sw2, ", sb2 ", x.sb2); }

// A cell is decisive when its theory chi_1 is more than z_threshold standard errors
// from 1; then a measured mean on the other side of 1 is more than z_threshold standard
// errors from the theory, which for a correct theory has probability at most
// kAgreeFamilyLevel / m per cell, m = the cells with a t statistic (docs/theory.md §35).
Finding chi1_crossing(const PhaseResult& r) {
  Finding f{"chi1_crosses_one_at_critical_line", phase_subject(r.config), false, "", {}, {}};
  std::vector<const PhaseCell*> tested;
  for (const PhaseCell& x : r.cells) {
    if (!x.diverged && std::isfinite(x.chi1.mean) && std::isfinite(x.chi1.sd) && x.chi1.n >= 2) tested.push_back(&x);
  }
  double decisive = 0.0, agreeing = 0.0, limit = kNaN;
  std::string against = "none";
  for (const PhaseCell* x : tested) {
    limit = net_agree_threshold(x->chi1.n, tested.size());
    const double se = x->chi1.sd / std::sqrt(static_cast<double>(x->chi1.n));
    if (!(std::fabs(x->chi1_theory - 1.0) > limit * se)) continue;
    decisive += 1.0;
    if ((x->chi1.mean > 1.0) == (x->chi1_theory > 1.0)) {
      agreeing += 1.0;
    } else if (against == "none") {
      against = cell_name(*x);
    }
  }
  f.numbers = {{"cells", static_cast<double>(r.cells.size())}, {"tests", static_cast<double>(tested.size())},
               {"decisive_cells", decisive}, {"on_the_theory_side", agreeing}};
  f.holds = decisive > 0.0 && agreeing == decisive;
  f.criterion = cat("every decisive cell (theory chi_1 more than z_threshold = ", limit, " standard errors from 1, ",
                    "z_threshold the Student t_{seeds-1} quantile at kAgreeFamilyLevel = ", th::kAgreeFamilyLevel,
                    " / tests over the tests = ", tested.size(), " cells not diverged with >= 2 seeds; "
                    "docs/theory.md §35) has its measured chi_1 on the same side of 1 as the theory's; at least one decisive cell; "
                    "first cell against: ", against);
  f.thresholds = {{"kAgreeFamilyLevel", th::kAgreeFamilyLevel}, {"z_threshold", limit}};
  return f;
}

Finding largest_in_cells(const PhaseResult& r, bool xi) {
  std::vector<Deviation> family;
  const double limit = th::kMeasurableXiFraction * static_cast<double>(r.config.depth);
  for (const PhaseCell& x : r.cells) {
    if (x.diverged) continue;
    if (xi && !(x.xi_c_theory <= limit)) continue;
    if (consider(family, xi ? x.xi_c : x.chi1, xi ? x.xi_c_theory : x.chi1_theory,
                 cat(phase_subject(r.config), ", ", cell_name(x)))) {
      family.back().sw2 = x.sw2;
      family.back().sb2 = x.sb2;
    }
  }
  if (!xi) return deviation_finding("largest_chi1_deviation", "chi_1", family, "the cells that did not diverge");
  Finding f = deviation_finding("largest_xi_c_fit_deviation", "the fitted xi_c (against -1/ln chi_c)", family,
                                cat("the fitted cells whose theory xi_c <= kMeasurableXiFraction = ",
                                    th::kMeasurableXiFraction, " x depth = ", limit, " layers"));
  f.thresholds.push_back({"kMeasurableXiFraction", th::kMeasurableXiFraction});
  return f;
}

// The chi_c probe (chi_c_probe.hpp) against the theory's chi_c, in units of its band's
// half-width: |u| <= 1 is inside the band.
Finding probe_deviation(const PhaseResult& r) {
  Finding f{"largest_xi_c_deviation", "none", false, "", {}, {}};
  double cells = 0.0, inside = 0.0, worst = kNaN;
  const PhaseCell* at = nullptr;
  for (const PhaseCell& x : r.cells) {
    const ChiCBand& b = x.chi_c_probe;
    if (x.diverged || !(b.half > 0.0) || !std::isfinite(x.fixed.chi_c)) continue;
    const double u = (b.chi_c - x.fixed.chi_c) / b.half;
    cells += 1.0;
    if (std::fabs(u) <= 1.0) inside += 1.0;
    if (!(std::fabs(u) <= std::fabs(worst))) worst = u, at = &x;
  }
  f.holds = cells > 0.0 && inside == cells;
  if (at) {
    const ChiCBand& b = at->chi_c_probe;
    f.subject = cat(phase_subject(r.config), ", ", cell_name(*at));
    f.numbers = {{"sw2", at->sw2}, {"sb2", at->sb2}, {"band_units", worst},
                 {"measured", b.xi}, {"theory", at->xi_c_theory}, {"band_lo", b.xi_lo},
                 {"band_hi", b.xi_hi}, {"relative", b.xi / at->xi_c_theory - 1.0},
                 {"chi_c_measured", b.chi_c}, {"chi_c_theory", at->fixed.chi_c},
                 {"half_width", b.half}, {"groups", static_cast<double>(b.groups)},
                 {"se_units", (b.chi_c - at->fixed.chi_c) / (b.sd / std::sqrt(static_cast<double>(b.groups)))}};
  }
  f.numbers.push_back({"cells", cells});
  f.numbers.push_back({"cells_in_band", inside});
  f.criterion = cat("xi_c = -1/ln chi_c from the slope of the correlation map measured at (q*, c*) "
                    "(the chi_c probe, docs/theory.md §33), against the theory's: every cell with a band "
                    "has the theory's chi_c inside its derived band, which fails with probability at most "
                    "kChiCBandFailure = ", kChiCBandFailure, " per cell; band_units = (measured - theory) / "
                    "half-width at the cell with the largest abs(band_units) (se_units: the same in standard errors of the "
                    "mean over the groups); at least one cell");
  f.thresholds = {{"kChiCBandFailure", kChiCBandFailure}};
  return f;
}

bool is_orthogonal_linear(const SpectrumPair& p) {
  return p.activation.kind == Activation::Kind::linear &&
         p.ensemble == theory::WeightEnsemble::orthogonal;
}

std::string pair_name(const SpectrumPair& p) {
  return cat(p.activation.name(), " ", theory::to_string(p.ensemble));
}

Finding largest_spectrum(const SpectrumResult& r) {
  std::vector<Deviation> family;
  for (const SpectrumPair& p : r.pairs) {
    if (p.diverged || is_orthogonal_linear(p)) continue;  // rounding only: the isometry finding
    for (const SpectrumRow& row : p.rows) {
      const std::string at = cat(pair_name(p), ", width ", r.config.width, ", L = ", row.depth);
      consider(family, row.mean_s2, row.mean_s2_theory, at + " (mean s^2)");
      consider(family, row.var_s2, row.var_s2_theory, at + " (var s^2)");
    }
  }
  return deviation_finding("largest_spectrum_deviation", "the mean and variance of s^2", family,
                           "the rows whose theory is not exactly 0, orthogonal linear nets aside (rounding only)");
}

// The orthogonal linear pairs: max |s - 1| against its rounding bound, per row.
void isometry(const SpectrumResult& r, std::vector<Finding>& out) {
  const double u = std::ldexp(1.0, -53), n = static_cast<double>(r.config.width);
  for (const SpectrumPair& p : r.pairs) {
    if (!is_orthogonal_linear(p)) continue;
    Finding f{"orthogonal_linear_isometry", cat(pair_name(p), ", width ", r.config.width), !p.diverged,
              "", {}, {}};
    double worst = 0.0, ratio = 0.0, tol_at = kNaN, depth_at = kNaN;
    for (const SpectrumRow& row : p.rows) {
      const double L = static_cast<double>(row.depth);
      const double tol = th::kIsometryRounding * (3.0 * L * n * n + 4.0 * std::pow(n, 2.5)) * u;
      const double lo = std::fabs(row.min_s - 1.0), hi = std::fabs(row.max_s - 1.0);
      const double e = std::isnan(lo) || std::isnan(hi) ? kNaN : std::max(lo, hi);
      f.holds = f.holds && e <= tol;  // NaN fails
      if (!(e / tol <= ratio)) ratio = e / tol, worst = e, tol_at = tol, depth_at = L;
    }
    f.numbers = {{"max_abs_s_minus_1", worst}, {"tolerance", tol_at}, {"depth", depth_at}};
    f.criterion = cat("every singular value s of J at every depth within kIsometryRounding = ",
                      th::kIsometryRounding, " x (3 L n^2 + 4 n^2.5) 2^-53 of 1 (rounding only)");
    f.thresholds = {{"kIsometryRounding", th::kIsometryRounding}};
    out.push_back(f);
  }
}

}  // namespace

std::vector<Finding> phase_findings(const PhaseResult& r) {
  return {chi1_crossing(r), largest_in_cells(r, false), probe_deviation(r), largest_in_cells(r, true)};
}

std::vector<Finding> spectrum_findings(const SpectrumResult& r) {
  std::vector<Finding> out{largest_spectrum(r)};
  isometry(r, out);
  return out;
}

}  // namespace initlab::study
