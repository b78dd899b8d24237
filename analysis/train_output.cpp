#include "train_output.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "core/error.hpp"
#include "init/initializer.hpp"
#include "nn/lsuv.hpp"
#include "findings_output.hpp"
#include "output.hpp"

namespace initlab::tool {

using nlohmann::json;
using study::RunRecord;
using study::TrainingSetup;

namespace {

constexpr std::size_t kMaxCurvePoints = 1000;

std::string base64(const std::vector<std::uint8_t>& b) {
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string s;
  for (std::size_t i = 0; i < b.size(); i += 3) {
    const std::uint32_t v = (std::uint32_t{b[i]} << 16) |
                            (i + 1 < b.size() ? std::uint32_t{b[i + 1]} << 8 : 0u) |
                            (i + 2 < b.size() ? std::uint32_t{b[i + 2]} : 0u);
    s += k[(v >> 18) & 63];
    s += k[(v >> 12) & 63];
    s += i + 1 < b.size() ? k[(v >> 6) & 63] : '=';
    s += i + 2 < b.size() ? k[v & 63] : '=';
  }
  return s;
}

// v with 6 significant digits (the curves come from float arithmetic); NaN and
// inf stay as they are (JSON null).
double sig6(double v) {
  if (!std::isfinite(v)) return v;
  char b[32];
  std::snprintf(b, sizeof b, "%.6g", v);
  return std::strtod(b, nullptr);
}

std::uint8_t to_byte(float v) {
  return static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f));
}

// Every index of short series; about kMaxCurvePoints evenly spaced ones (and the last) of long ones.
std::vector<std::size_t> curve_steps(std::size_t n) {
  const std::size_t stride = (n + kMaxCurvePoints - 1) / kMaxCurvePoints;
  std::vector<std::size_t> s;
  for (std::size_t i = 0; i < n; i += std::max<std::size_t>(stride, 1)) s.push_back(i);
  if (n > 0 && s.back() != n - 1) s.push_back(n - 1);
  return s;
}

json histograms(const std::vector<stats::Histogram>& hs) {
  json a = json::array();
  for (std::size_t l = 0; l < hs.size(); ++l) {
    a.push_back({{"layer", l + 1}, {"counts", hs[l].counts}, {"below", hs[l].below},
                 {"above", hs[l].above}, {"nonfinite", hs[l].nonfinite}});
  }
  return a;
}

json nan_to_null(const std::vector<double>& v) {
  json a = json::array();
  for (double x : v) a.push_back(std::isfinite(x) ? json(x) : json(nullptr));
  return a;
}

// The shape (out, in) of the first dense layer's W (a model's may be a residual
// branch's first layer).
FanShape first_layer_fan(const TrainingSetup& s) {
  if (!s.model) return FanShape{s.widths[1], s.widths[0]};
  std::size_t in = s.model->input;
  for (const Block& b : s.model->blocks) {
    if (const auto* d = std::get_if<DenseLayer>(&b)) return FanShape{d->width, in};
    if (const auto* r = std::get_if<Residual>(&b)) return FanShape{r->branch.front().width, in};
  }
  return FanShape{s.widths[1], s.widths[0]};  // unreachable: a model ends with a dense layer
}

// fan_in E[(W^1)^2] of a run's first layer (its initializer's promise).
double first_layer_sw2(const RunRecord& r, FanShape fan) {
  // LSUV's weights depend on the data: no law to read it from (null in the JSON)
  if (nn::is_lsuv(r.init.spec)) return std::numeric_limits<double>::quiet_NaN();
  const init::Moments m = init::parse(r.init.spec).moments(fan);
  return static_cast<double>(fan.fan_in()) * (m.variance + m.mean * m.mean);
}

json run_json(const RunRecord& r, std::size_t steps_per_epoch, const TrainingSetup& s) {
  const auto& res = r.result;
  json curve = json::array();
  for (auto i : curve_steps(res.step_loss.size())) {
    curve.push_back({i, i / steps_per_epoch, sig6(res.step_loss[i])});
  }
  json j = {{"init", r.init.label}, {"spec", r.init.spec}, {"layer_specs", r.init.layers}, {"seed", r.seed},
            {"steps", res.steps}, {"diverged", res.diverged}, {"message", res.message},
            {"train_loss", r.train_loss}, {"train_accuracy", r.train_accuracy},
            {"held_out_loss", r.held_out_loss}, {"held_out_accuracy", r.held_out_accuracy},
            {"seconds", r.seconds}, {"n_EW2_layer1", first_layer_sw2(r, first_layer_fan(s))},
            {"lsuv_unconverged", r.lsuv_unconverged}, {"grad2_step0", r.grad2_step0},
            {"curve_columns", {"step", "epoch", "cost"}}, {"curve", curve}};
  // Per-epoch records for mini-batch runs (for full-batch runs they repeat the curve).
  if (steps_per_epoch > 1) {
    json epochs = json::array();
    for (const auto& e : res.epochs) {
      epochs.push_back({e.epoch, sig6(e.loss), sig6(e.train_accuracy), sig6(e.heldout_loss),
                        sig6(e.heldout_accuracy)});
    }
    j["epoch_columns"] = {"epoch", "loss", "train_accuracy", "held_out_loss", "held_out_accuracy"};
    j["epochs"] = epochs;
  }
  if (!r.hist_init.empty()) {
    j["histograms"] = {{"bins", study::kHistogramBins}, {"lo", -study::kHistogramRange},
                       {"hi", study::kHistogramRange}, {"init", histograms(r.hist_init)},
                       {"trained", histograms(r.hist_trained)},
                       {"saturated_init", nan_to_null(r.saturated_init)},
                       {"saturated_trained", nan_to_null(r.saturated_trained)}};
    // a model's entries are its blocks' outputs (study::RunRecord), "layer" k = block k
    if (s.model) j["histograms"]["of"] = "block outputs";
  }
  if (!r.grid_predictions.empty()) j["grid_predictions"] = r.grid_predictions;
  if (r.boundary.n > 0) {
    std::vector<std::uint8_t> p;
    for (float v : r.boundary.p) p.push_back(to_byte(std::isfinite(v) ? v : 0.5f));
    j["boundary"] = {{"lo", r.boundary.lo}, {"step", r.boundary.step}, {"n", r.boundary.n},
                     {"p_u8_base64", base64(p)},
                     {"layout", "p[i*n+j] at (x1, x2) = (lo + j step, lo + i step), byte = round(255 p)"}};
  }
  return j;
}

std::string percent(double v) {
  if (!std::isfinite(v)) return "-";
  char b[32];
  std::snprintf(b, sizeof b, "%.2f%%", 100.0 * v);
  return b;
}

// The final cost, or "diverged" (a diverged run has no final cost: never "-nan").
std::string final_cost(const RunRecord& r) {
  if (r.result.diverged || !std::isfinite(r.train_loss)) return "diverged";
  char b[32];
  std::snprintf(b, sizeof b, "%.5g", r.train_loss);
  return b;
}

}  // namespace

json study_json(const TrainingSetup& s, const study::TrainingData& d, const std::vector<RunRecord>& runs,
                double seconds) {
  const std::size_t spe = study::steps_per_run(s, d.train.size()) / s.epochs;
  json j = {{"provenance", provenance_json()}, {"preset", std::string(study::to_string(s.preset))},
            {"dataset", s.dataset}, {"description", s.description}, {"data_source", d.source},
            {"net", s.net.empty() ? json(nullptr) : json(s.net)},
            {"widths", s.widths}, {"activations", s.activations}, {"loss", s.loss.name()},
            {"optimizer", s.optimizer.name()}, {"lr", s.optimizer.lr}, {"epochs", s.epochs},
            {"batch", s.batch}, {"steps_per_epoch", spe}, {"n_train", d.train.size()},
            {"n_held_out", d.held_out.size()}, {"seed", s.seed}, {"seeds", s.seeds},
            {"seconds", seconds}, {"runs", json::array()},
            {"findings", findings_json(study::training_findings(s, runs))}};
  for (const auto& r : runs) j["runs"].push_back(run_json(r, spe, s));
  if (d.grid.size() > 0) {
    std::vector<std::uint8_t> px;
    for (float v : d.grid.x) px.push_back(to_byte(v));
    j["grid"] = {{"rows", d.grid_rows}, {"labels", d.grid.y}, {"side", 28},
                 {"pixels_u8_base64", base64(px)}};
  }
  if (d.train.X.shape()[1] == 2 && !d.train.labels.empty()) {
    std::vector<float> x(d.train.X.begin(), d.train.X.end());
    j["points"] = {{"x", x}, {"labels", d.train.labels}, {"layout", "x[2i], x[2i+1] = point i"}};
  }
  return j;
}

void write_curves_csv(std::ostream& os, const TrainingSetup& s, const study::TrainingData& d,
                      const std::vector<RunRecord>& runs) {
  const std::size_t spe = study::steps_per_run(s, d.train.size()) / s.epochs;
  os << "# " << provenance_line() << "\n# cost: empty where the run had diverged (NaN or inf)\n"
     << "init,seed,step,epoch,cost\n";
  for (const auto& r : runs) {
    for (auto i : curve_steps(r.result.step_loss.size())) {
      const double cost = r.result.step_loss[i];
      os << csv_quote(r.init.label) << ',' << r.seed << ',' << i << ',' << i / spe << ',';
      if (std::isfinite(cost)) os << cost;
      os << '\n';
    }
  }
}

void write_table(std::ostream& os, const TrainingSetup& s, const study::TrainingData& d,
                 const std::vector<RunRecord>& runs) {
  os << "# " << provenance_line() << "\n# " << s.description << "\n# data: " << d.source << "\n";
  char line[256];
  std::snprintf(line, sizeof line, "%-24s %6s %12s %10s %12s %8s  %s\n", "init", "seed", "final cost",
                "train acc", "held-out acc", "seconds", "status");
  os << line;
  for (const auto& r : runs) {
    std::snprintf(line, sizeof line, "%-24s %6llu %12s %10s %12s %8.1f  ", r.init.label.c_str(),
                  static_cast<unsigned long long>(r.seed), final_cost(r).c_str(),
                  percent(r.train_accuracy).c_str(), percent(r.held_out_accuracy).c_str(), r.seconds);
    os << line << (r.result.diverged ? r.result.message : std::string("ok"));
    if (r.lsuv_unconverged) os << " (LSUV outside tol in " << r.lsuv_unconverged << " layer(s))";
    os << "\n";
  }
}

}  // namespace initlab::tool
