#include "variance_output.hpp"

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <limits>
#include <numbers>
#include <optional>
#include <variant>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "findings_output.hpp"
#include "output.hpp"

namespace initlab::tool {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kGradientNote =
    "backward pass from a fixed random output gradient dL/dh^L ~ N(0, 1) per entry "
    "(Philox stream split(1) of each seed)";

using Value = std::variant<double, std::string, long long>;
struct Field {
  std::string name;
  Value value;
};

// exp(ln) when it is a finite double, else NaN (written as empty / null).
double value_of(double ln) {
  if (std::isnan(ln) || ln > std::log(std::numeric_limits<double>::max())) return kNaN;
  return std::exp(ln);
}
double log10_of(double ln) { return std::isfinite(ln) ? ln / std::numbers::ln10 : kNaN; }
double opt(const std::optional<double>& v) { return v ? *v : kNaN; }

std::string forward_status(const study::LayerRow& r) {
  if (!r.forward_ok) return "overflow";
  return r.underflow ? "underflow" : "ok";
}

std::vector<Field> row_fields(const study::VarianceConfig& c, const study::PairResult& p,
                              const study::LayerRow& r) {
  const auto& t = r.theory;
  std::vector<Field> f = {
      {"activation", p.activation.name()},
      {"init", p.init},
      {"layer", static_cast<long long>(r.layer)},
      {"width", static_cast<long long>(c.widths[r.layer])},
      {"status", forward_status(r)},
      {"grad_status", std::string(r.backward_ok ? "ok" : "overflow")},
      {"q", value_of(r.q.log_mean)},
      {"q_theory", value_of(t.ln_q)},
      {"a2", value_of(r.a2.log_mean)},
      {"a2_theory", value_of(t.ln_second)},
      {"var", value_of(r.var.log_mean)},
      {"var_theory", value_of(t.ln_variance)},
      {"mean", r.mean.mean},
      {"mean_theory", t.mean},
      {"saturated", r.saturated.mean},
      {"dead", r.dead.mean},
      {"grad2", value_of(r.grad2.log_mean)},
      {"grad2_theory", value_of(t.ln_qt)},
      {"dw_norm_rms", value_of(0.5 * r.dw_norm2.log_mean)},
      {"dw_norm_rms_theory", value_of(r.ln_dw_norm_theory)},
      {"chi1", t.chi1},
      {"backward_gain", value_of(r.ln_backward_gain)},
  };
  const auto spread3 = [&](const std::string& name, const stats::LogSpread& s) {
    f.push_back({name + "_sd", value_of(s.log_sd)});
    f.push_back({name + "_lo", value_of(s.log_lo)});
    f.push_back({name + "_hi", value_of(s.log_hi)});
  };
  const auto plain3 = [&](const std::string& name, const stats::Spread& s) {
    f.push_back({name + "_sd", s.sd});
    f.push_back({name + "_lo", s.lo});
    f.push_back({name + "_hi", s.hi});
  };
  spread3("q", r.q);
  spread3("a2", r.a2);
  spread3("var", r.var);
  plain3("mean", r.mean);
  plain3("saturated", r.saturated);
  plain3("dead", r.dead);
  spread3("grad2", r.grad2);
  spread3("dw_norm2", r.dw_norm2);
  const auto logs = [&](const std::string& name, const stats::LogSpread& s, double ln_theory) {
    f.push_back({"log10_" + name, log10_of(s.log_mean)});
    f.push_back({"log10_" + name + "_theory", log10_of(ln_theory)});
    f.push_back({"log10_" + name + "_sd", s.sd_log / std::numbers::ln10});
    f.push_back({"log10_" + name + "_lo", log10_of(s.log_lo)});
    f.push_back({"log10_" + name + "_hi", log10_of(s.log_hi)});
  };
  logs("q", r.q, t.ln_q);
  logs("a2", r.a2, t.ln_second);
  logs("grad2", r.grad2, t.ln_qt);
  f.push_back({"log10_dw_norm_rms", log10_of(0.5 * r.dw_norm2.log_mean)});
  f.push_back({"log10_dw_norm_rms_theory", log10_of(r.ln_dw_norm_theory)});
  f.push_back({"z_sem_q", opt(r.z_sem_q)});
  f.push_back({"z_sem_a2", opt(r.z_sem_a2)});
  f.push_back({"z_sem_grad2", opt(r.z_sem_grad2)});
  const bool fw = !p.finite_width.empty() && r.layer >= 1 && r.layer <= p.finite_width.size();
  f.push_back({"finite_width_rel_q", fw ? p.finite_width[r.layer - 1].rel_q : kNaN});
  f.push_back({"finite_width_rel_a2", fw ? p.finite_width[r.layer - 1].rel_a2 : kNaN});
  f.push_back({"dtype", std::string(study::to_string(p.plan.dtype))});
  f.push_back({"rescaled", static_cast<long long>(p.plan.rescaled ? 1 : 0)});
  f.push_back({"seeds", static_cast<long long>(c.seeds)});
  f.push_back({"batch", static_cast<long long>(c.batch)});
  return f;
}

std::string csv_cell(const Value& v) {
  if (const auto* d = std::get_if<double>(&v)) {
    if (!std::isfinite(*d)) return "";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", *d);
    return buf;
  }
  if (const auto* i = std::get_if<long long>(&v)) return std::to_string(*i);
  return csv_quote(std::get<std::string>(v));
}

nlohmann::json json_value(const Value& v) {
  if (const auto* d = std::get_if<double>(&v)) {
    return std::isfinite(*d) ? nlohmann::json(*d) : nlohmann::json(nullptr);
  }
  if (const auto* i = std::get_if<long long>(&v)) return *i;
  return std::get<std::string>(v);
}

nlohmann::json opt_json(const std::optional<double>& v) {
  return v && std::isfinite(*v) ? nlohmann::json(*v) : nlohmann::json(nullptr);
}
nlohmann::json opt_json(const std::optional<std::size_t>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json("none");
}
nlohmann::json growth_json(const std::optional<double>& slope) {
  return slope ? opt_json(std::optional<double>(std::exp(*slope))) : nlohmann::json(nullptr);
}

// The two largest_deviation findings, for the text summary.
std::vector<study::Finding> deviation_findings(const std::vector<study::Finding>& all) {
  std::vector<study::Finding> out;
  for (const auto& f : all) {
    if (f.id == "largest_deviation_random" || f.id == "largest_deviation_exact") out.push_back(f);
  }
  return out;
}

std::string break_text(const std::optional<std::size_t>& b, std::size_t L) {
  return b ? std::to_string(*b) : cat("none up to ", L);
}

}  // namespace

const std::vector<std::string>& variance_csv_columns() {
  static const std::vector<std::string> cols = [] {
    study::VarianceConfig c;
    c.widths = {1, 1};
    study::PairResult p;
    std::vector<std::string> names;
    study::LayerRow r;
    r.layer = 1;
    for (const auto& f : row_fields(c, p, r)) names.push_back(f.name);
    return names;
  }();
  return cols;
}

void write_variance_csv(std::ostream& os, const study::VarianceConfig& c,
                        const study::VarianceResult& res) {
  os << "# " << provenance_line() << "\n# " << kGradientNote
     << "; columns: reports/variance/README.md\n";
  const auto& cols = variance_csv_columns();
  for (std::size_t i = 0; i < cols.size(); ++i) os << (i ? "," : "") << cols[i];
  os << "\n";
  for (const auto& p : res.pairs) {
    for (const auto& r : p.rows) {
      const auto f = row_fields(c, p, r);
      for (std::size_t i = 0; i < f.size(); ++i) os << (i ? "," : "") << csv_cell(f[i].value);
      os << "\n";
    }
  }
}

void write_variance_json(std::ostream& os, const study::VarianceConfig& c,
                         const study::VarianceResult& res, const std::string& input) {
  using nlohmann::json;
  json pairs = json::array();
  const std::size_t L = c.widths.size() - 1;
  for (const auto& p : res.pairs) {
    // column-wise: {"q": [q^1, ..., q^L], ...}, the CSV's columns for this pair
    json layers = json::object();
    for (const auto& name : variance_csv_columns()) layers[name] = json::array();
    for (const auto& r : p.rows) {
      for (const auto& f : row_fields(c, p, r)) layers[f.name].push_back(json_value(f.value));
    }
    json hists = json::array();
    for (std::size_t h = 0; h < p.histograms.size(); ++h) {
      const auto& hg = p.histograms[h];
      hists.push_back({{"layer", c.histograms.layers[h]}, {"lo", hg.lo}, {"hi", hg.hi},
                       {"counts", hg.counts}, {"below", hg.below}, {"above", hg.above},
                       {"nonfinite", hg.nonfinite}, {"total", hg.total()}});
    }
    const auto& s = p.summary;
    pairs.push_back({
        {"activation", p.activation.name()},
        {"init", p.init},
        {"law", p.law},
        {"n_EW2_layer1", p.sw2_first},
        {"deterministic", p.deterministic},
        {"theory_kind", p.theory_kind},
        {"weight_law", p.weight_law},
        {"dtype", std::string(study::to_string(p.plan.dtype))},
        {"rescaled", p.plan.rescaled},
        {"rescale_octaves", p.plan.octaves},
        {"lsuv_unconverged", p.lsuv_unconverged},
        {"summary",
         {{"growth_q", growth_json(s.slope_q)},
          {"growth_q_theory", growth_json(s.slope_q_theory)},
          {"log_slope_q", opt_json(s.slope_q)},
          {"log_slope_q_theory", opt_json(s.slope_q_theory)},
          {"growth_grad2", growth_json(s.slope_grad2)},
          {"growth_grad2_theory", growth_json(s.slope_grad2_theory)},
          {"break_depth", opt_json(s.break_depth)},
          {"break_depth_theory", opt_json(s.break_depth_theory)},
          {"break_text", break_text(s.break_depth, L)},
          {"break_text_theory", break_text(s.break_depth_theory, L)},
          {"overflow_at", s.overflow_at},
          {"grad_overflow_at", s.grad_overflow_at},
          {"underflow_at", s.underflow_at},
          {"theory_overflow_at", s.theory_overflow_at}}},
        {"layers", layers},
        {"histograms", hists},
    });
  }
  json activations = json::array();
  for (const auto& f : c.activations) activations.push_back(f.name());
  const json j = {
      {"provenance", provenance_json()},
      {"gradient", kGradientNote},
      {"config",
       {{"activations", activations}, {"inits", c.inits}, {"widths", c.widths},
        {"depth", L}, {"batch", c.batch}, {"seeds", c.seeds}, {"seed", c.seed},
        {"bias_std", c.bias_std}, {"dtype", std::string(study::to_string(c.dtype))},
        {"threads", c.threads}, {"input", input},
        {"histograms",
         {{"layers", c.histograms.layers}, {"bins", c.histograms.bins},
          {"lo", c.histograms.lo}, {"hi", c.histograms.hi}}}}},
      {"input_q0",
       {{"mean", value_of(res.pairs.empty() ? kNaN : res.pairs.front().q0.log_mean)},
        {"sd", value_of(res.pairs.empty() ? kNaN : res.pairs.front().q0.log_sd)}}},
      {"columns", variance_csv_columns()},
      {"findings", findings_json(study::variance_findings(c, res))},
      {"seconds", res.seconds},
      {"pairs", pairs},
  };
  os << json_text(j) << "\n";
}

void write_histogram_csv(std::ostream& os, const study::VarianceConfig& c,
                         const study::VarianceResult& res) {
  os << "# " << provenance_line() << "\n# counts of a^l entries summed over "
     << c.seeds << " seeds x batch " << c.batch << "; density = count / (total * bin width)\n"
     << "activation,init,layer,bin_lo,bin_hi,count,density,below,above,total\n";
  for (const auto& p : res.pairs) {
    for (std::size_t h = 0; h < p.histograms.size(); ++h) {
      const auto& hg = p.histograms[h];
      const double total = hg.total();
      for (std::size_t i = 0; i < hg.counts.size(); ++i) {
        const double width = hg.bin_hi(i) - hg.bin_lo(i);
        os << csv_quote(p.activation.name()) << "," << csv_quote(p.init) << "," << c.histograms.layers[h] << ","
           << csv_cell(hg.bin_lo(i)) << "," << csv_cell(hg.bin_hi(i)) << "," << hg.counts[i]
           << "," << csv_cell(hg.counts[i] / (total * width)) << "," << hg.below << ","
           << hg.above << "," << total << "\n";
      }
    }
  }
}

void write_variance_summary(std::ostream& os, const study::VarianceConfig& c,
                            const study::VarianceResult& res) {
  const std::size_t L = c.widths.size() - 1;
  os << "initlab variance: depth " << L << ", widths " << c.widths.front() << ".."
     << c.widths.back() << ", batch " << c.batch << ", " << c.seeds << " seeds, "
     << std::fixed << std::setprecision(1) << res.seconds << " s\n"
     << "growth = per-layer factor of q (least squares of ln q^l over l); "
        "breaks = first layer with q^l/q^0 outside [1e-3, 1e3]\n";
  os << std::left << std::setw(12) << "activation" << std::setw(24) << "init" << std::setw(8)
     << "dtype" << std::setw(24) << "growth meas | theory" << std::setw(28)
     << "breaks meas | theory" << "notes\n";
  for (const auto& p : res.pairs) {
    const auto& s = p.summary;
    char growth[64];
    std::snprintf(growth, sizeof growth, "%.4g | %.4g", s.slope_q ? std::exp(*s.slope_q) : kNaN,
                  s.slope_q_theory ? std::exp(*s.slope_q_theory) : kNaN);
    std::string notes;
    if (s.overflow_at) notes += cat("overflow at layer ", s.overflow_at, "; ");
    if (s.grad_overflow_at) notes += cat("gradient overflow at layer ", s.grad_overflow_at, "; ");
    if (s.underflow_at) notes += cat("underflow at layer ", s.underflow_at, "; ");
    if (p.plan.rescaled) notes += "rescaled by powers of 2; ";
    if (p.lsuv_unconverged) notes += cat("LSUV outside tol in ", p.lsuv_unconverged, " layer(s); ");
    os << std::setw(12) << p.activation.name() << std::setw(24) << p.init << std::setw(8)
       << study::to_string(p.plan.dtype) << std::setw(24) << growth << std::setw(28)
       << (break_text(s.break_depth, L) + " | " + break_text(s.break_depth_theory, L)) << notes
       << "\n";
  }
  os << std::defaultfloat << std::setprecision(3);
  for (const auto& f : deviation_findings(study::variance_findings(c, res))) {
    os << f.id << " (" << f.subject << "):";
    for (const auto& [name, v] : f.numbers) os << " " << name << " = " << v;
    os << (f.holds ? "; holds" : "; does not hold") << ": " << f.criterion << "\n";
  }
  os << kGradientNote << "\n";
}

}  // namespace initlab::tool
