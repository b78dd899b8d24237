#include "net_variance_output.hpp"

#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "findings_output.hpp"
#include "output.hpp"
#include "study/findings.hpp"

namespace initlab::tool {
namespace {

using Json = nlohmann::ordered_json;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// exp(ln) when it is a finite double, else NaN (an empty cell, null).
double value_of(double ln) {
  if (std::isnan(ln) || ln > std::log(std::numeric_limits<double>::max())) return kNaN;
  return std::exp(ln);
}
double log10_of(double ln) { return std::isfinite(ln) ? ln / std::numbers::ln10 : kNaN; }
double opt(const std::optional<double>& v) { return v ? *v : kNaN; }

// One row as (column, value); a value is a number (NaN: empty / null) or a string.
std::vector<std::pair<std::string, Json>> fields(const study::NetVarianceConfig& c, const study::NetVarianceResult& res,
                                                 const study::NetLayerRow& r) {
  const auto& t = r.theory;
  const auto num = [](double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); };
  return {{"layer", r.layer},
          {"kind", r.kind},
          {"width", r.width},
          {"activation", r.activation},
          {"init", r.init},
          {"status", r.forward_ok ? "ok" : "overflow"},
          {"grad_status", r.backward_ok ? "ok" : "overflow"},
          {"q", num(value_of(r.q.log_mean))},
          {"q_theory", num(value_of(t.ln_q))},
          {"q_sd", num(value_of(r.q.log_sd))},
          {"q_lo", num(value_of(r.q.log_lo))},
          {"q_hi", num(value_of(r.q.log_hi))},
          {"a2", num(value_of(r.a2.log_mean))},
          {"a2_theory", num(value_of(t.ln_second))},
          {"mean", num(r.mean.mean)},
          {"mean_theory", num(t.mean)},
          {"saturated", num(r.saturated.mean)},
          {"dead", num(r.dead.mean)},
          {"grad2", num(value_of(r.grad2.log_mean))},
          {"grad2_theory", num(value_of(t.ln_qt))},
          {"grad2_sd", num(value_of(r.grad2.log_sd))},
          {"chi1", num(t.chi1)},
          {"log10_q", num(log10_of(r.q.log_mean))},
          {"log10_q_theory", num(log10_of(t.ln_q))},
          {"log10_grad2", num(log10_of(r.grad2.log_mean))},
          {"log10_grad2_theory", num(log10_of(t.ln_qt))},
          {"z_sem_q", num(opt(r.z_sem_q))},
          {"z_sem_grad2", num(opt(r.z_sem_grad2))},
          {"dtype", std::string(study::to_string(res.dtype))},
          {"seeds", c.seeds},
          {"batch", c.batch}};
}

std::vector<std::pair<std::string, Json>> block_fields(const study::NetVarianceConfig& c,
                                                       const study::NetVarianceResult& res, const study::NetBlockRow& r) {
  const auto& t = r.theory;
  const auto num = [](double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); };
  return {{"block", r.block},
          {"kind", r.kind},
          {"width", r.width},
          {"second", num(value_of(r.second.log_mean))},
          {"second_theory", num(value_of(t.ln_second))},
          {"second_sd", num(value_of(r.second.log_sd))},
          {"second_lo", num(value_of(r.second.log_lo))},
          {"second_hi", num(value_of(r.second.log_hi))},
          {"mean", num(r.mean.mean)},
          {"mean_theory", num(t.mean)},
          {"branch_share", num(value_of(r.share.log_mean))},
          {"branch_share_theory", r.kind == "residual" ? num(t.branch_share) : Json(nullptr)},
          {"grad", num(value_of(r.grad.log_mean))},
          {"grad_theory", num(value_of(t.ln_grad))},
          {"grad_sd", num(value_of(r.grad.log_sd))},
          {"log10_second", num(log10_of(r.second.log_mean))},
          {"log10_second_theory", num(log10_of(t.ln_second))},
          {"log10_grad", num(log10_of(r.grad.log_mean))},
          {"log10_grad_theory", num(log10_of(t.ln_grad))},
          {"z_sem_second", num(opt(r.z_sem_second))},
          {"z_sem_grad", num(opt(r.z_sem_grad))},
          {"not_applicable", t.not_applicable},
          {"dtype", std::string(study::to_string(res.dtype))},
          {"seeds", c.seeds},
          {"batch", c.batch}};
}

// Every row's fields: one per layer (plain networks) or per block.
std::vector<std::vector<std::pair<std::string, Json>>> table(const study::NetVarianceConfig& c,
                                                             const study::NetVarianceResult& r) {
  std::vector<std::vector<std::pair<std::string, Json>>> t;
  for (const auto& row : r.rows) t.push_back(fields(c, r, row));
  for (const auto& row : r.blocks) t.push_back(block_fields(c, r, row));
  return t;
}

std::string cell(const Json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return csv_quote(v.get<std::string>());
  if (v.is_number_float()) return csv_number(v.get<double>());
  return v.dump();
}

Json opt_json(const std::optional<double>& v) { return v ? json_number(*v) : Json(nullptr); }

// One entry per histogrammed layer (block): its range and counts summed over seeds.
Json histograms_json(const study::NetVarianceConfig& c, const study::NetVarianceResult& r) {
  Json a = Json::array();
  for (std::size_t h = 0; h < r.histograms.size(); ++h) {
    const auto& hg = r.histograms[h];
    a.push_back({{r.blocks.empty() ? "layer" : "block", c.histogram_layers[h]},
                 {"lo", hg.lo},
                 {"hi", hg.hi},
                 {"counts", hg.counts},
                 {"below", hg.below},
                 {"above", hg.above},
                 {"nonfinite", hg.nonfinite}});
  }
  return a;
}
Json opt_json(const std::optional<std::size_t>& v) { return v ? Json(*v) : Json(nullptr); }

}  // namespace

void write_net_variance_csv(std::ostream& os, const study::NetVarianceConfig& c, const study::NetVarianceResult& r) {
  os << "# " << provenance_line() << "\n";
  const auto t = table(c, r);
  if (t.empty()) return;
  std::string sep;
  for (const auto& [name, v] : t.front()) os << std::exchange(sep, ",") << name;
  os << "\n";
  for (const auto& row : t) {
    sep.clear();
    for (const auto& [name, v] : row) os << std::exchange(sep, ",") << cell(v);
    os << "\n";
  }
}

void write_net_variance_json(std::ostream& os, const study::NetVarianceConfig& c, const study::NetVarianceResult& r,
                             const std::string& input) {
  Json rows = Json::array();
  for (const auto& row : table(c, r)) {
    Json j = Json::object();
    for (const auto& [name, v] : row) j[name] = v;
    rows.push_back(std::move(j));
  }
  const Json summary = {{"slope_q", opt_json(r.slope_q)},
                        {"slope_q_theory", opt_json(r.slope_q_theory)},
                        {"slope_grad2", opt_json(r.slope_grad2)},
                        {"slope_grad2_theory", opt_json(r.slope_grad2_theory)},
                        {"break_depth", opt_json(r.break_depth)},
                        {"break_depth_theory", opt_json(r.break_depth_theory)}};
  const Json j = {{"provenance", provenance_json()},
                  {"study", "net_variance"},
                  {"net", r.name},
                  {"input_width", c.net.input},
                  {"input", input},
                  {"batch", c.batch},
                  {"seeds", c.seeds},
                  {"seed", c.seed},
                  {"dtype", study::to_string(r.dtype)},
                  {"q0", json_number(value_of(r.q0.log_mean))},
                  {"gradient", "backward pass from a fixed random output gradient dL/dh^L ~ N(0, 1) per entry"},
                  {"theory", r.blocks.empty() ? "mean-field, each layer's activation and E[W^2], averaged over "
                                                "the inputs' q0"
                                              : "the block recursion (docs/theory.md §25) at the inputs' mean q0"},
                  {"granularity", r.blocks.empty() ? "layer" : "block"},
                  {"summary", summary},
                  {"findings", findings_json(study::net_variance_findings(r))},
                  {"histogram_values", r.blocks.empty() ? "a^l = phi(h^l) of the dense layer" : "the block's output y"},
                  {"histogram_range", c.histogram_range ? "given (--hist-range)"
                                                        : cat("+-", study::kNetHistogramSigmas,
                                                              " sqrt of the layer's predicted second moment")},
                  {"histograms", histograms_json(c, r)},
                  {"seconds", r.seconds},
                  {"rows", rows}};
  os << json_text(j, 2) << "\n";
}

void write_net_variance_summary(std::ostream& os, const study::NetVarianceConfig& c,
                                const study::NetVarianceResult& r) {
  os << "network " << r.name << ": input " << c.net.input << ", "
     << (r.blocks.empty() ? cat(r.rows.size(), " layers") : cat(r.blocks.size(), " blocks")) << ", batch "
     << c.batch << ", " << c.seeds << " seeds, " << study::to_string(r.dtype) << "\n";
  char line[200];
  if (r.blocks.empty()) {
    std::snprintf(line, sizeof line, "%6s %-8s %6s %-12s %-16s %12s %12s %12s %12s\n", "layer", "kind", "width",
                  "activation", "init", "q", "q_theory", "grad2", "grad2_theory");
  } else {
    std::snprintf(line, sizeof line, "%6s %-9s %6s %12s %12s %12s %12s %12s %12s\n", "block", "kind", "width",
                  "E[y^2]", "theory", "branch", "theory", "grad", "theory");
  }
  os << line;
  for (const auto& row : r.rows) {
    std::snprintf(line, sizeof line, "%6zu %-8s %6zu %-12s %-16s %12.4g %12.4g %12.4g %12.4g\n", row.layer,
                  row.kind.c_str(), row.width, row.activation.c_str(), row.init.substr(0, 16).c_str(),
                  value_of(row.q.log_mean), value_of(row.theory.ln_q), value_of(row.grad2.log_mean),
                  value_of(row.theory.ln_qt));
    os << line;
  }
  for (const auto& row : r.blocks) {
    std::snprintf(line, sizeof line, "%6zu %-9s %6zu %12.4g %12.4g %12.4g %12.4g %12.4g %12.4g\n", row.block,
                  row.kind.c_str(), row.width, value_of(row.second.log_mean), value_of(row.theory.ln_second),
                  value_of(row.share.log_mean), row.kind == "residual" ? row.theory.branch_share : kNaN,
                  value_of(row.grad.log_mean), value_of(row.theory.ln_grad));
    os << line;
  }
  if (!r.blocks.empty()) return;
  const auto slope = [](const std::optional<double>& s) { return s ? std::exp(*s) : kNaN; };
  std::snprintf(line, sizeof line, "growth of q per layer %.4g (theory %.4g), of grad2 %.4g (theory %.4g)\n",
                slope(r.slope_q), slope(r.slope_q_theory), slope(r.slope_grad2), slope(r.slope_grad2_theory));
  os << line;
  for (const auto& f : study::net_variance_findings(r))
    os << (f.holds ? "yes " : "no  ") << f.id << ": " << f.criterion << "\n";
}

}  // namespace initlab::tool
