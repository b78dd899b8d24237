// `initlab spectrum`: singular values of the input-output Jacobian at
// initialization beside the free-probability moments (lib/study/spectrum_study.hpp).
//
//   initlab spectrum [--activation linear,tanh,relu] [--init gaussian,orthogonal] [--sw2 S]
//                    [--sb2 B] [--width 256] [--depths 1,10,50,100] [--seeds 2] [--seed 1]
//                    [--q0 Q] [--csv FILE|-] [--json FILE|-] [--progress]

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
#include "study/criticality_findings.hpp"
#include "study/spectrum_study.hpp"

namespace initlab::tool {
namespace {

using Json = nlohmann::ordered_json;

struct Options {
  std::string activations = "linear,tanh,relu";
  std::vector<std::string> inits = {"gaussian", "orthogonal"};
  std::optional<double> sw2;
  double sb2 = 0.0;
  long long width = 256;
  std::vector<long long> depths = {1, 10, 50, 100};
  long long seeds = 2;
  unsigned long long seed = 1;
  std::optional<double> q0;
  StudyOutputs out;
};

study::SpectrumConfig make_config(const Options& o) {
  study::SpectrumConfig c;
  c.activations = Activation::parse_list(o.activations);
  for (const std::string& s : o.inits) {
    if (s == "gaussian") {
      c.ensembles.push_back(theory::WeightEnsemble::gaussian);
    } else if (s == "orthogonal") {
      c.ensembles.push_back(theory::WeightEnsemble::orthogonal);
    } else {
      fail("--init " + s, "expected gaussian or orthogonal");
    }
  }
  if (o.width < 1 || o.width > 4096) fail("--width", o.width, ": expected a width in [1, 4096]");
  if (o.seeds < 1 || o.seeds > 1000) fail("--seeds", o.seeds, ": expected 1 to 1000 seeds");
  for (std::size_t k = 0; k < o.depths.size(); ++k) {
    if (o.depths[k] < 1 || o.depths[k] > 10000 || (k > 0 && o.depths[k] <= o.depths[k - 1]))
      fail("--depths", shape_str(o.depths), ": expected increasing depths in [1, 10000]");
    c.depths.push_back(static_cast<std::size_t>(o.depths[k]));
  }
  if (c.depths.empty()) fail("--depths", "empty: expected at least one depth");
  if (o.sw2 && (!(*o.sw2 > 0.0) || !std::isfinite(*o.sw2)))
    fail("--sw2", *o.sw2, ": expected a finite value > 0");
  if (!(o.sb2 >= 0.0) || !std::isfinite(o.sb2)) fail("--sb2", o.sb2, ": expected a finite value >= 0");
  if (o.q0 && (!(*o.q0 > 0.0) || !std::isfinite(*o.q0)))
    fail("--q0", *o.q0, ": expected a finite value > 0");
  c.sw2 = o.sw2;
  c.sb2 = o.sb2;
  c.width = static_cast<std::size_t>(o.width);
  c.seeds = static_cast<std::size_t>(o.seeds);
  c.seed = o.seed;
  c.q0 = o.q0;
  return c;
}

void write_csv(std::ostream& os, const study::SpectrumResult& r) {
  const auto& c = r.config;
  os << "# " << provenance_line() << "\n"
     << "activation,init,depth,width,seeds,sw2,sb2,q_theory,mean_s2,mean_s2_sd,mean_s2_theory,"
        "var_s2,var_s2_sd,var_s2_theory,min_s,max_s,diverged\n";
  for (const auto& p : r.pairs) {
    for (const auto& x : p.rows) {
      os << p.activation.name() << ',' << theory::to_string(p.ensemble) << ',' << x.depth << ','
         << c.width << ',' << c.seeds << ',' << csv_number(p.sw2) << ',' << csv_number(c.sb2) << ','
         << csv_number(x.q_theory) << ',' << csv_number(x.mean_s2.mean) << ',' << csv_number(x.mean_s2.sd) << ','
         << csv_number(x.mean_s2_theory) << ',' << csv_number(x.var_s2.mean) << ',' << csv_number(x.var_s2.sd)
         << ',' << csv_number(x.var_s2_theory) << ',' << csv_number(x.min_s) << ',' << csv_number(x.max_s) << ','
         << (p.diverged ? 1 : 0) << '\n';
    }
  }
}

void write_json(std::ostream& os, const study::SpectrumResult& r) {
  const auto& c = r.config;
  Json pairs = Json::array();
  for (const auto& p : r.pairs) {
    Json rows = Json::array();
    for (const auto& x : p.rows) {
      rows.push_back({{"depth", x.depth},
                      {"q_theory", json_number(x.q_theory)},
                      {"mean_s2", json_number(x.mean_s2.mean)},
                      {"mean_s2_sd", json_number(x.mean_s2.sd)},
                      {"mean_s2_theory", json_number(x.mean_s2_theory)},
                      {"var_s2", json_number(x.var_s2.mean)},
                      {"var_s2_sd", json_number(x.var_s2.sd)},
                      {"var_s2_theory", json_number(x.var_s2_theory)},
                      {"min_s", json_number(x.min_s)},
                      {"max_s", json_number(x.max_s)},
                      {"log10_s_counts", x.log10_s.counts},
                      {"log10_s_below", x.log10_s.below},
                      {"log10_s_above", x.log10_s.above}});
    }
    pairs.push_back({{"activation", p.activation.name()},
                     {"init", theory::to_string(p.ensemble)},
                     {"init_spec", p.init},
                     {"sw2", p.sw2},
                     {"q0", p.q0},
                     {"diverged", p.diverged},
                     {"rows", rows}});
  }
  os << json_text(Json{{"provenance", provenance_json()},
             {"width", c.width},
             {"sb2", c.sb2},
             {"seeds", c.seeds},
             {"seed", c.seed},
             {"histogram", {{"lo", study::kSpectrumLogLo},
                            {"hi", study::kSpectrumLogHi},
                            {"bins", study::kSpectrumBins},
                            {"of", "log10 s"}}},
             {"seconds", r.seconds},
             {"pairs", pairs},
             {"findings", findings_json(study::spectrum_findings(r))}},
                   1)
     << "\n";
}

void print_summary(std::ostream& os, const study::SpectrumResult& r) {
  const auto& c = r.config;
  os << "Jacobian singular values, width " << c.width << ", sb2 " << c.sb2 << ", " << c.seeds
     << " seeds (mean over seeds), " << r.seconds << " s\n";
  char line[256];
  std::snprintf(line, sizeof line, "%-10s %-10s %8s %6s %11s %11s %11s %11s %10s %10s\n",
                "activation", "init", "sw2", "depth", "mean s^2", "theory", "var s^2", "theory",
                "min s", "max s");
  os << line;
  for (const auto& p : r.pairs) {
    for (const auto& x : p.rows) {
      std::snprintf(line, sizeof line, "%-10s %-10s %8.5g %6zu %11.5g %11.5g %11.5g %11.5g %10.4g %10.4g%s\n",
                    p.activation.name().c_str(), std::string(theory::to_string(p.ensemble)).c_str(),
                    p.sw2, x.depth, x.mean_s2.mean, x.mean_s2_theory, x.var_s2.mean,
                    x.var_s2_theory, x.min_s, x.max_s, p.diverged ? "  diverged" : "");
      os << line;
    }
  }
}


Run setup(CLI::App& sub) {
  auto o = std::make_shared<Options>();
  sub.footer(
      "J = D_L W_L ... D_1 W_1 at one input with q^1 = q* (or E[x^2] = --q0); singular values by\n"
      "LAPACK gesdd. Theory (Pennington, Schoenholz & Ganguli 2017): mean s^2 = prod chi_1^l,\n"
      "var s^2 = mean^2 sum_l (mu2/mu1^2 - 1 - s1), s1 = -1 Gaussian, 0 orthogonal.");
  sub.add_option("--activation", o->activations, std::string("Comma list of activations: ") + Activation::kSpecs)
      ->capture_default_str();
  sub.add_option("--init", o->inits, "Weight ensembles: gaussian, orthogonal (comma list)")
      ->delimiter(',')
      ->capture_default_str();
  sub.add_option("--sw2", o->sw2, "Weight variance scale (default: each activation's critical sw2)");
  sub.add_option("--sb2", o->sb2, "Bias variance sb2")->capture_default_str();
  sub.add_option("--width", o->width, "Width n of every layer")->capture_default_str();
  sub.add_option("--depths", o->depths, "Increasing depths at which J is decomposed")
      ->delimiter(',')
      ->capture_default_str();
  sub.add_option("--seeds", o->seeds, "Networks per pair: seeds S .. S+R-1")->capture_default_str();
  sub.add_option("--seed", o->seed, "First seed S")->capture_default_str();
  sub.add_option("--q0", o->q0, "Input second moment |x|^2/n (default: q^1 = q*)");
  add_study_outputs(sub, o->out, "Per-depth CSV to FILE ('-' = stdout)",
                    "JSON with histograms of log10 s to FILE");
  return [o] {
    run_study_command("spectrum", o->out, [&] { return make_config(*o); }, study::run_spectrum, write_csv,
                      write_json, print_summary);
  };
}

const Registration reg{"spectrum",
                       "Singular values of the input-output Jacobian at initialization beside "
                       "free-probability moments (dynamical isometry)",
                       setup};

}  // namespace
}  // namespace initlab::tool
