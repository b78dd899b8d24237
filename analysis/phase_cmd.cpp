// `initlab phase`: the order-to-chaos phase diagram, measured beside mean-field
// theory (lib/study/phase_study.hpp).
//
//   initlab phase [--activation tanh] [--sw2 LIST] [--sb2 LIST] [--width 256] [--depth 50]
//                 [--c0 0.5] [--q0 Q] [--seeds 4] [--pairs 16] [--probe-pairs 16] [--seed 1]
//                 [--csv FILE|-] [--json FILE|-]
//                 [--progress]

#include <cmath>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "command.hpp"
#include "core/error.hpp"
#include "findings_output.hpp"
#include "output.hpp"
#include "study_command.hpp"
#include "study/critical_init.hpp"
#include "study/criticality_findings.hpp"
#include "study/phase_study.hpp"
#include "theory/meanfield.hpp"

namespace initlab::tool {
namespace {

using Json = nlohmann::ordered_json;

struct Options {
  std::string activation = "tanh";
  std::vector<double> sw2 = {0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0};
  std::vector<double> sb2 = {0.0, 0.05, 0.1, 0.2, 0.3};
  long long width = 256;
  long long depth = 50;
  double c0 = 0.5;
  std::optional<double> q0;
  long long seeds = 4;
  long long pairs = 16;
  long long probe_pairs = 16;
  unsigned long long seed = 1;
  StudyOutputs out;
};

constexpr std::size_t kLinePoints = 41;  // points of the critical line in the JSON

study::PhaseConfig make_config(const Options& o) {
  if (o.width < 1 || o.width > 8192) fail("--width", o.width, ": expected a width in [1, 8192]");
  if (o.depth < 2 || o.depth > 10000) fail("--depth", o.depth, ": expected a depth in [2, 10000]");
  if (o.seeds < 1 || o.seeds > 1000) fail("--seeds", o.seeds, ": expected 1 to 1000 seeds");
  if (o.pairs < 1 || o.pairs > 4096) fail("--pairs", o.pairs, ": expected 1 to 4096 pairs");
  if (o.probe_pairs < 1 || o.probe_pairs > 4096)
    fail("--probe-pairs", o.probe_pairs, ": expected 1 to 4096 pairs");
  for (double v : o.sw2)
    if (!(v > 0.0) || !std::isfinite(v)) fail("--sw2", v, ": expected finite values > 0");
  for (double v : o.sb2)
    if (!(v >= 0.0) || !std::isfinite(v)) fail("--sb2", v, ": expected finite values >= 0");
  if (!(o.c0 >= -1.0 && o.c0 < 1.0)) fail("--c0", o.c0, ": expected a correlation in [-1, 1)");
  if (o.q0 && (!(*o.q0 > 0.0) || !std::isfinite(*o.q0)))
    fail("--q0", *o.q0, ": expected a finite value > 0");
  study::PhaseConfig c;
  c.activation = Activation::parse(o.activation);
  c.sw2s = o.sw2;
  c.sb2s = o.sb2;
  c.width = static_cast<std::size_t>(o.width);
  c.depth = static_cast<std::size_t>(o.depth);
  c.c0 = o.c0;
  c.q0 = o.q0;
  c.seeds = static_cast<std::size_t>(o.seeds);
  c.seed = o.seed;
  c.pairs = static_cast<std::size_t>(o.pairs);
  c.probe_pairs = static_cast<std::size_t>(o.probe_pairs);
  return c;
}

void write_csv(std::ostream& os, const study::PhaseResult& r) {
  const auto& c = r.config;
  os << "# " << provenance_line() << "\n"
     << "activation,sw2,sb2,depth,width,seeds,q0,phase,q,q_sd,q_theory,c,c_sd,c_theory,c_star,"
        "chi1,chi1_sd,chi1_theory,chi1_star,xi_c,xi_c_sd,xi_c_window,xi_c_theory,fit_first,"
        "fit_last,chi_c_probe,chi_c_probe_lo,chi_c_probe_hi,chi_c_theory,xi_c_probe,xi_c_probe_lo,"
        "xi_c_probe_hi,probe_groups,diverged\n";
  for (const auto& x : r.cells) {
    os << c.activation.name() << ',' << csv_number(x.sw2) << ',' << csv_number(x.sb2) << ',' << c.depth << ','
       << c.width << ',' << c.seeds << ',' << csv_number(x.q0) << ',' << theory::to_string(x.fixed.phase)
       << ',' << csv_number(x.q.mean) << ',' << csv_number(x.q.sd) << ',' << csv_number(x.q_theory) << ','
       << csv_number(x.c.mean) << ',' << csv_number(x.c.sd) << ',' << csv_number(x.c_theory) << ','
       << csv_number(x.fixed.c) << ',' << csv_number(x.chi1.mean) << ',' << csv_number(x.chi1.sd) << ','
       << csv_number(x.chi1_theory) << ',' << csv_number(x.fixed.chi1) << ',' << csv_number(x.xi_c.mean) << ','
       << csv_number(x.xi_c.sd) << ',' << csv_number(x.xi_c_window) << ',' << csv_number(x.xi_c_theory) << ','
       << x.fit_first << ',' << x.fit_last << ',';
    const study::ChiCBand& p = x.chi_c_probe;
    os << csv_number(p.chi_c) << ',' << csv_number(p.lo) << ',' << csv_number(p.hi) << ','
       << csv_number(x.fixed.chi_c) << ',' << csv_number(p.xi) << ',' << csv_number(p.xi_lo) << ','
       << csv_number(p.xi_hi) << ',' << p.groups << ',' << (x.diverged ? 1 : 0) << '\n';
  }
}

Json critical_line(const study::PhaseConfig& c) {
  double lo = c.sb2s.front(), hi = c.sb2s.front();
  for (double v : c.sb2s) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  Json line = Json::array();
  for (std::size_t k = 0; k < kLinePoints; ++k) {
    const double sb2 = lo + (hi - lo) * static_cast<double>(k) / (kLinePoints - 1);
    const study::CriticalInit crit = study::critical_init_sb2(c.activation, sb2);
    line.push_back({{"sb2", sb2}, {"sw2_crit", json_number(crit.sw2)}, {"fixed_point_exists", crit.exists}});
    if (hi == lo) break;
  }
  return line;
}

void write_json(std::ostream& os, const study::PhaseResult& r) {
  const auto& c = r.config;
  Json cells = Json::array();
  for (const auto& x : r.cells) {
    cells.push_back({{"sw2", x.sw2},
                     {"sb2", x.sb2},
                     {"q0", x.q0},
                     {"phase", theory::to_string(x.fixed.phase)},
                     {"q_star", json_number(x.fixed.q)},
                     {"c_star", json_number(x.fixed.c)},
                     {"chi_c", json_number(x.fixed.chi_c)},
                     {"q", json_number(x.q.mean)},
                     {"q_sd", json_number(x.q.sd)},
                     {"q_theory", json_number(x.q_theory)},
                     {"c", json_number(x.c.mean)},
                     {"c_sd", json_number(x.c.sd)},
                     {"c_theory", json_number(x.c_theory)},
                     {"chi1", json_number(x.chi1.mean)},
                     {"chi1_sd", json_number(x.chi1.sd)},
                     {"chi1_theory", json_number(x.chi1_theory)},
                     {"chi1_star", json_number(x.fixed.chi1)},
                     {"xi_c", json_number(x.xi_c.mean)},
                     {"xi_c_sd", json_number(x.xi_c.sd)},
                     {"xi_c_seeds", x.xi_c.n},
                     {"xi_c_window", json_number(x.xi_c_window)},
                     {"xi_c_theory", json_number(x.xi_c_theory)},
                     {"fit_first", x.fit_first},
                     {"fit_last", x.fit_last},
                     {"chi_c_probe", json_number(x.chi_c_probe.chi_c)},
                     {"chi_c_probe_lo", json_number(x.chi_c_probe.lo)},
                     {"chi_c_probe_hi", json_number(x.chi_c_probe.hi)},
                     {"xi_c_probe", json_number(x.chi_c_probe.xi)},
                     {"xi_c_probe_lo", json_number(x.chi_c_probe.xi_lo)},
                     {"xi_c_probe_hi", json_number(x.chi_c_probe.xi_hi)},
                     {"xi_c_probe_unbounded", std::isinf(x.chi_c_probe.xi_hi)},
                     {"probe_groups", x.chi_c_probe.groups},
                     {"diverged", x.diverged},
                     {"c_layers", x.c_layers},
                     {"c_layers_theory", x.c_layers_theory}});
  }
  os << json_text(Json{{"provenance", provenance_json()},
             {"activation", c.activation.name()},
             {"width", c.width},
             {"depth", c.depth},
             {"c0", c.c0},
             {"seeds", c.seeds},
             {"pairs", c.pairs},
             {"probe_pairs", c.probe_pairs},
             {"probe_failure", study::kChiCBandFailure},
             {"seed", c.seed},
             {"fit", {{"ceiling", study::kFitCeiling},
                      {"floor", study::kFitFloor},
                      {"noise_multiple", study::kNoiseMultiple},
                      {"min_layers", study::kMinFitLayers}}},
             {"seconds", r.seconds},
             {"critical_line", critical_line(c)},
             {"cells", cells},
             {"findings", findings_json(study::phase_findings(r))}},
                   1)
     << "\n";
}

void print_summary(std::ostream& os, const study::PhaseResult& r) {
  const auto& c = r.config;
  os << "phase diagram for " << c.activation.name() << ", width " << c.width << ", depth "
     << c.depth << ", c0 " << c.c0 << ", " << c.seeds << " seeds (mean +- sd), " << r.seconds
     << " s\n";
  char line[256];
  std::snprintf(line, sizeof line, "%6s %6s %-14s %9s %9s %8s %8s %15s %7s %15s %7s %7s\n", "sb2",
                "sw2", "phase", "q^L", "theory", "c^L", "theory", "chi_1", "theory", "xi_c",
                "window", "theory");
  os << line;
  auto pm = [](const study::MeanSd& m) {
    char b[64];
    if (!std::isfinite(m.mean)) return std::string("-");
    std::snprintf(b, sizeof b, "%.4g+-%.2g", m.mean, m.sd);
    return std::string(b);
  };
  auto g = [](double v) {
    char b[32];
    if (!std::isfinite(v)) return std::string("-");
    std::snprintf(b, sizeof b, "%.4g", v);
    return std::string(b);
  };
  for (const auto& x : r.cells) {
    std::snprintf(line, sizeof line, "%6g %6g %-14s %9s %9s %8s %8s %15s %7s %15s %7s %7s%s\n",
                  x.sb2, x.sw2, std::string(theory::to_string(x.fixed.phase)).c_str(),
                  g(x.q.mean).c_str(), g(x.q_theory).c_str(), g(x.c.mean).c_str(),
                  g(x.c_theory).c_str(), pm(x.chi1).c_str(), g(x.chi1_theory).c_str(),
                  pm(x.xi_c).c_str(), g(x.xi_c_window).c_str(), g(x.xi_c_theory).c_str(),
                  x.diverged ? "  diverged" : "");
    os << line;
  }
}


Run setup(CLI::App& sub) {
  auto o = std::make_shared<Options>();
  sub.footer(
      "Each cell: R networks with W ~ N(0, sw2/n), b ~ N(0, sb2), two inputs of second moment\n"
      "q0 (default: q^1 = q*) and correlation c0, P pairs per network. Measured q^L, c^L, chi_1 (growth of a\n"
      "small perturbation per layer) and xi_c (fit of ln|c^l - c*| against l) beside theory:\n"
      "xi_c_window is the same fit on the mean-field trajectory, xi_c_theory = -1/ln chi_c.\n"
      "chi_c_probe: the slope of the correlation map measured at (q*, c*) with every layer's own\n"
      "weights on probe pairs placed exactly there; xi_c_probe = -1/ln chi_c_probe, with a band\n"
      "(_lo, _hi) that fails with probability <= 1e-6 per cell (docs/theory.md §33; _hi empty:\n"
      "unbounded). Only where the theory has a finite xi_c and phi' is bounded.");
  sub.add_option("--activation", o->activation,
                 std::string("Activation: ") + Activation::kSpecs)
      ->capture_default_str();
  sub.add_option("--sw2", o->sw2, "Weight variance scales sw2 (comma list, > 0)")
      ->delimiter(',')
      ->capture_default_str();
  sub.add_option("--sb2", o->sb2, "Bias variances sb2 (comma list, >= 0)")
      ->delimiter(',')
      ->capture_default_str();
  sub.add_option("--width", o->width, "Width n of every layer")->capture_default_str();
  sub.add_option("--depth", o->depth, "Number of layers L (>= 2)")->capture_default_str();
  sub.add_option("--c0", o->c0, "Correlation of the two inputs")->capture_default_str();
  sub.add_option("--q0", o->q0,
                 "Input second moment |x|^2/n (default: (q* - sb2)/sw2, so q^1 = q*)");
  sub.add_option("--seeds", o->seeds, "Networks per cell: seeds S .. S+R-1")->capture_default_str();
  sub.add_option("--pairs", o->pairs, "Input pairs per network (c^l is their mean)")
      ->capture_default_str();
  sub.add_option("--probe-pairs", o->probe_pairs,
                 "Probe pairs per layer for chi_c at (q*, c*) (at most width/2 are used)")
      ->capture_default_str();
  sub.add_option("--seed", o->seed, "First seed S")->capture_default_str();
  add_study_outputs(sub, o->out, "Per-cell CSV to FILE ('-' = stdout)",
                    "JSON with per-layer c^l and the critical line to FILE");
  return [o] {
    run_study_command("phase", o->out, [&] { return make_config(*o); }, study::run_phase, write_csv,
                      write_json, print_summary);
  };
}

const Registration reg{"phase",
                       "Order-to-chaos phase diagram: measured q, c, chi_1 and correlation "
                       "depth scale xi_c on a (sw2, sb2) grid beside mean-field theory",
                       setup};

}  // namespace
}  // namespace initlab::tool
