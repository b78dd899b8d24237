// The verdicts of a training study (see findings.hpp).
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "core/error.hpp"
#include "study/findings.hpp"

namespace initlab::study {

namespace {

namespace th = thresholds;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Group {
  std::string label;
  std::vector<const RunRecord*> runs;
};

std::vector<Group> by_init(const std::vector<RunRecord>& runs) {
  std::vector<Group> g;
  for (const auto& r : runs) {
    if (g.empty() || g.back().label != r.init.label) g.push_back({r.init.label, {}});
    g.back().runs.push_back(&r);
  }
  return g;
}

// Mean and standard error of the mean of the finite held-out accuracies.
std::pair<double, double> mean_sem(const Group& g) {
  std::vector<double> v;
  for (const auto* r : g.runs) {
    if (std::isfinite(r->held_out_accuracy)) v.push_back(r->held_out_accuracy);
  }
  if (v.empty()) return {kNaN, kNaN};
  double m = 0.0;
  for (double x : v) m += x;
  m /= static_cast<double>(v.size());
  if (v.size() < 2) return {m, kNaN};
  double ss = 0.0;
  for (double x : v) ss += (x - m) * (x - m);
  return {m, std::sqrt(ss / static_cast<double>(v.size() - 1) / static_cast<double>(v.size()))};
}

struct Ranked {
  std::string label;
  double mean, sem;
};

std::vector<Ranked> ranking(const std::vector<Group>& groups) {
  std::vector<Ranked> r;
  for (const auto& g : groups) {
    const auto [m, s] = mean_sem(g);
    if (std::isfinite(m)) r.push_back({g.label, m, s});
  }
  std::stable_sort(r.begin(), r.end(), [](const Ranked& a, const Ranked& b) { return a.mean > b.mean; });
  return r;
}

Finding init_ranking(const std::vector<Ranked>& r) {
  Finding f{"init_ranking", "", true, "", {}, {}};
  for (std::size_t i = 0; i < r.size(); ++i) {
    f.subject += (i ? " > " : "") + r[i].label;
    f.numbers.push_back({"held_out_accuracy_" + r[i].label, r[i].mean});
    f.numbers.push_back({"sem_" + r[i].label, r[i].sem});
    if (i > 0) {
      const double se = std::hypot(r[i - 1].sem, r[i].sem);
      f.holds = f.holds && std::isfinite(se) && r[i - 1].mean - r[i].mean > th::kRankSeparation * se;
    }
  }
  f.criterion = cat("initializers ordered by mean held-out accuracy over seeds; holds when each is above the next by more "
                    "than kRankSeparation = ", th::kRankSeparation, " standard errors of the difference");
  f.thresholds = {{"kRankSeparation", th::kRankSeparation}};
  return f;
}

Finding note_claim(const std::vector<Ranked>& r) {
  Finding f{"note_claim_holds", "note_xavier trains best", false, "", {}, {}};
  double xavier = kNaN, best_other = kNaN;
  for (const auto& x : r) {
    if (x.label == "note_xavier") xavier = x.mean;
    else if (!(best_other >= x.mean)) best_other = x.mean;
  }
  f.numbers = {{"held_out_accuracy_note_xavier", xavier}, {"best_other", best_other}};
  f.holds = !r.empty() && r.front().label == "note_xavier";
  f.criterion = "note_xavier has the highest mean held-out accuracy of the initializers run (the note's claim)";
  return f;
}

bool is_zero_init(const RunRecord& r) { return r.init.spec == "zeros" || r.init.spec == "note_zero" || r.init.spec == "constant:0"; }

Finding zero_symmetric(const RunRecord& r, const TrainingSetup& s) {
  const double classes = s.loss.kind == nn::Loss::Kind::softmax_cross_entropy ? static_cast<double>(s.widths.back()) : 2.0;
  const double guess = std::log(classes);
  Finding f{"zero_init_symmetric", r.init.label, false, "", {}, {}};
  f.numbers = {{"final_cost", r.train_loss}, {"uniform_guess_cost", guess}, {"classes", classes},
               {"train_accuracy", r.train_accuracy}};
  f.holds = std::isfinite(r.train_loss) && std::fabs(r.train_loss - guess) < th::kUniformGuessRel * guess;
  f.criterion = cat("zero weights keep every hidden unit equal: final cost within kUniformGuessRel = ",
                    th::kUniformGuessRel, " (relative) of ln(classes), the uniform guess");
  f.thresholds = {{"kUniformGuessRel", th::kUniformGuessRel}};
  return f;
}

// The finite step costs of a run.
std::vector<double> costs(const RunRecord& r) {
  std::vector<double> y;
  for (double v : r.result.step_loss) {
    if (std::isfinite(v)) y.push_back(v);
  }
  return y;
}

// First step whose cost is kPlateauDrop below the start; -1 if never.
double plateau_steps(const RunRecord& r) {
  const auto& y = r.result.step_loss;
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (std::isfinite(y[i]) && y[i] < (1.0 - th::kPlateauDrop) * y[0]) return static_cast<double>(i);
  }
  return -1.0;
}

Finding plateau(const RunRecord& small, const RunRecord& ok) {
  Finding f{"small_init_plateau", small.init.label + " vs " + ok.init.label, false, "", {}, {}};
  const double ps = plateau_steps(small), pa = plateau_steps(ok);
  f.numbers = {{"steps_small", ps}, {"steps_appropriate", pa}};
  f.holds = pa >= 0.0 && (ps < 0.0 || ps > pa);
  f.criterion = cat("too small weights start on a plateau: the first step whose cost is kPlateauDrop = ", th::kPlateauDrop,
                    " below its start comes later than with appropriate weights (-1 = never)");
  f.thresholds = {{"kPlateauDrop", th::kPlateauDrop}};
  return f;
}

struct CurveShape {
  double start = kNaN, end = kNaN, lowest = kNaN, lowest_at = kNaN, tail_lo = kNaN, tail_hi = kNaN;
  double tail_ups = 0.0, tail_steps = 0.0, rel_change = kNaN;
};

CurveShape shape(const RunRecord& r) {
  CurveShape c;
  const std::vector<double> y = costs(r);
  if (y.empty()) return c;
  const std::size_t n = std::max<std::size_t>(1, static_cast<std::size_t>(th::kTailFraction * static_cast<double>(y.size())));
  c.start = y.front();
  c.end = y.back();
  const auto lo = std::min_element(y.begin(), y.end());
  c.lowest = *lo;
  c.lowest_at = static_cast<double>(lo - y.begin());
  c.tail_lo = *std::min_element(y.end() - static_cast<std::ptrdiff_t>(n), y.end());
  c.tail_hi = *std::max_element(y.end() - static_cast<std::ptrdiff_t>(n), y.end());
  for (std::size_t i = y.size() - n + 1; i < y.size(); ++i) c.tail_ups += y[i] > y[i - 1] ? 1.0 : 0.0;
  c.tail_steps = static_cast<double>(n - 1);
  c.rel_change = c.start != 0.0 ? (c.end - c.start) / c.start : kNaN;
  return c;
}

std::vector<std::pair<std::string, double>> shape_numbers(const CurveShape& c) {
  return {{"cost_start", c.start}, {"cost_end", c.end}, {"cost_lowest", c.lowest}, {"lowest_at_step", c.lowest_at},
          {"tail_min", c.tail_lo}, {"tail_max", c.tail_hi}, {"tail_ups", c.tail_ups}, {"tail_steps", c.tail_steps},
          {"rel_change", c.rel_change}};
}

Finding oscillates(const RunRecord& r) {
  Finding f{"deep_linear_oscillates", r.init.label, false, "", {}, {}};
  const CurveShape c = shape(r);
  f.numbers = shape_numbers(c);
  f.holds = !r.result.diverged && c.tail_ups >= th::kOscillationUps * c.tail_steps && c.tail_hi > th::kOscillationRise * c.lowest;
  f.criterion = cat("not diverged, and over the last kTailFraction = ", th::kTailFraction, " of the steps at least kOscillationUps = ",
                    th::kOscillationUps, " of the steps raise the cost and its maximum exceeds kOscillationRise = ",
                    th::kOscillationRise, " times the run's lowest cost");
  f.thresholds = {{"kTailFraction", th::kTailFraction}, {"kOscillationUps", th::kOscillationUps},
                  {"kOscillationRise", th::kOscillationRise}};
  return f;
}

Finding stalls(const RunRecord& r) {
  Finding f{"deep_linear_stalls", r.init.label, false, "", {}, {}};
  const CurveShape c = shape(r);
  f.numbers = shape_numbers(c);
  f.holds = !r.result.diverged && std::isfinite(c.rel_change) && std::fabs(c.rel_change) < th::kStallChange;
  f.criterion = cat("not diverged, and the cost changes by less than kStallChange = ", th::kStallChange,
                    " (relative) from the first step to the last");
  f.thresholds = {{"kStallChange", th::kStallChange}};
  return f;
}

Finding diverged(const RunRecord& r) {
  Finding f{"run_diverged", cat(r.init.label, " seed ", r.seed), r.result.diverged, "", {}, {}};
  f.numbers = {{"step", r.result.diverged ? static_cast<double>(r.result.diverged_step) : kNaN},
               {"epoch", r.result.diverged ? static_cast<double>(r.result.diverged_epoch) : kNaN},
               {"steps", static_cast<double>(r.result.steps)}};
  f.criterion = cat("nn::train stopped the run (a non-finite loss or parameter, or a loss above kBlowUpFactor = ",
                    nn::kBlowUpFactor, " x the first step's): diverged at the step given");
  f.thresholds = {{"kBlowUpFactor", nn::kBlowUpFactor}};
  return f;
}

const RunRecord* first_of(const std::vector<Group>& g, const std::string& label) {
  for (const auto& x : g) {
    if (x.label == label) return x.runs.front();
  }
  return nullptr;
}

}  // namespace

std::vector<Finding> training_findings(const TrainingSetup& s, const std::vector<RunRecord>& runs) {
  std::vector<Finding> out;
  const std::vector<Group> groups = by_init(runs);
  const std::vector<Ranked> ranked = ranking(groups);
  if (ranked.size() >= 2) out.push_back(init_ranking(ranked));
  if (first_of(groups, "note_xavier") && ranked.size() >= 2) out.push_back(note_claim(ranked));
  for (const auto& g : groups) {
    if (is_zero_init(*g.runs.front()) && s.loss.classification()) out.push_back(zero_symmetric(*g.runs.front(), s));
  }
  const RunRecord* small = first_of(groups, "too_small");
  const RunRecord* ok = first_of(groups, "appropriate");
  if (small && ok) out.push_back(plateau(*small, *ok));
  if (s.preset == Preset::deep_linear) {
    for (const auto& g : groups) {
      out.push_back(oscillates(*g.runs.front()));
      out.push_back(stalls(*g.runs.front()));
    }
  }
  for (const auto& r : runs) {
    if (r.result.diverged || s.preset == Preset::deep_linear) out.push_back(diverged(r));
  }
  return out;
}

}  // namespace initlab::study
