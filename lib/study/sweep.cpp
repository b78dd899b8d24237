#include "study/sweep.hpp"

#include <cmath>
#include <exception>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "core/activation.hpp"
#include "core/error.hpp"
#include "study/net_file.hpp"
#include "study/net_variance.hpp"
#include "study/phase_study.hpp"
#include "study/spectrum_study.hpp"
#include "study/variance_study.hpp"

extern "C" void openblas_set_num_threads(int);

namespace initlab::study {

namespace {

using Json = nlohmann::ordered_json;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::size_t count(const SweepPoint& p, std::string_view name) {
  return static_cast<std::size_t>(p.at(name).number);
}
double opt(const std::optional<double>& v) { return v ? *v : kNaN; }
double flag(bool b) { return b ? 1.0 : 0.0; }

SweepRecord run_variance_point(const SweepPoint& p) {
  VarianceConfig c;
  c.activations = {Activation::parse(p.at("activation").text)};
  c.inits = {p.at("init").text};
  c.widths.assign(count(p, "depth") + 1, count(p, "width"));
  c.batch = count(p, "batch");
  c.seeds = count(p, "seeds");
  c.seed = static_cast<std::uint64_t>(p.at("seed").number);
  c.bias_std = p.at("bias_std").number;
  c.threads = 1;
  const VarianceResult r = run_variance(c);
  SweepRecord rec;
  for (const auto& row : r.pairs.front().rows) {
    const auto& t = row.theory;
    rec.rows.push_back({static_cast<double>(row.layer), row.q.log_mean, t.ln_q, row.q.sd_log,
                        row.a2.log_mean, t.ln_second, row.grad2.log_mean, t.ln_grad2,
                        opt(row.z_sem_q), opt(row.z_sem_grad2), row.saturated.mean, row.dead.mean,
                        flag(row.forward_ok), flag(row.backward_ok)});
    if (!row.forward_ok || !row.backward_ok) rec.status = SweepStatus::diverged;
  }
  return rec;
}

// Every dense layer's init (residual branches too) set to `spec`.
void replace_inits(NetDescription& net, const std::string& spec) {
  for (auto& block : net.blocks) {
    if (auto* d = std::get_if<DenseLayer>(&block)) d->init = spec;
    if (auto* r = std::get_if<Residual>(&block))
      for (auto& d : r->branch) d.init = spec;
  }
}

// A block of a network with residual or norm blocks: ln_q and ln_a2 are both
// ln E[y^2] of its output y, ln_grad2 is ln E[(dL/dy)^2] (NaN for a last dense
// block), ln_branch_share a residual branch's ln(alpha^2 E[r^2] / E[y^2]).
void add_block_row(SweepRecord& rec, const NetBlockRow& b) {
  const auto& t = b.theory;
  const bool forward_ok = std::isfinite(b.second.log_mean);
  const bool backward_ok = !std::isinf(b.grad.log_mean);
  rec.rows.push_back({static_cast<double>(b.block), b.kind, static_cast<double>(b.width),
                      b.second.log_mean, t.ln_second, b.second.sd_log, b.second.log_mean,
                      t.ln_second, b.grad.log_mean, t.ln_grad, opt(b.z_sem_second),
                      opt(b.z_sem_grad), kNaN, kNaN, b.share.log_mean, flag(forward_ok),
                      flag(backward_ok)});
  if (!forward_ok || !backward_ok) rec.status = SweepStatus::diverged;
}

SweepRecord run_net_point(const SweepPoint& p) {
  NetVarianceConfig c;
  c.net = parse_net(p.at("net").text, "sweep");
  c.net.name = p.at("net").shown();
  if (p.at("init").text != "net") replace_inits(c.net, p.at("init").text);
  c.batch = count(p, "batch");
  c.seeds = count(p, "seeds");
  c.seed = static_cast<std::uint64_t>(p.at("seed").number);
  c.threads = 1;
  const NetVarianceResult r = run_net_variance(c);
  SweepRecord rec;
  for (const auto& row : r.rows) {
    const auto& t = row.theory;
    rec.rows.push_back({static_cast<double>(row.layer), row.kind, static_cast<double>(row.width),
                        row.q.log_mean, t.ln_q, row.q.sd_log, row.a2.log_mean, t.ln_second,
                        row.grad2.log_mean, t.ln_grad2, opt(row.z_sem_q), opt(row.z_sem_grad2),
                        row.saturated.mean, row.dead.mean, kNaN, flag(row.forward_ok),
                        flag(row.backward_ok)});
    if (!row.forward_ok || !row.backward_ok) rec.status = SweepStatus::diverged;
  }
  for (const auto& b : r.blocks) add_block_row(rec, b);
  return rec;
}

SweepRecord run_phase_point(const SweepPoint& p) {
  PhaseConfig c;
  c.activation = Activation::parse(p.at("activation").text);
  c.sw2s = {p.at("sw2").number};
  c.sb2s = {p.at("sb2").number};
  c.width = count(p, "width");
  c.depth = count(p, "depth");
  c.c0 = p.at("c0").number;
  c.seeds = count(p, "seeds");
  c.pairs = count(p, "pairs");
  c.seed = static_cast<std::uint64_t>(p.at("seed").number);
  const PhaseCell x = run_phase(c).cells.front();
  SweepRecord rec;
  rec.rows.push_back({std::string(theory::to_string(x.fixed.phase)), x.q0, x.q.mean, x.q.sd,
                      x.q_theory, x.fixed.q, x.c.mean, x.c.sd, x.c_theory, x.fixed.c,
                      x.chi1.mean, x.chi1.sd, x.chi1_theory, x.fixed.chi1, x.xi_c.mean,
                      x.xi_c.sd, x.xi_c_window, x.xi_c_theory,
                      static_cast<double>(x.fit_first), static_cast<double>(x.fit_last)});
  if (x.diverged) rec.status = SweepStatus::diverged;
  return rec;
}

theory::WeightEnsemble parse_ensemble(const std::string& text) {
  if (text == "gaussian") return theory::WeightEnsemble::gaussian;
  if (text == "orthogonal") return theory::WeightEnsemble::orthogonal;
  fail("sweep", "ensemble '", text, "'; expected gaussian or orthogonal");
}

SweepRecord run_spectrum_point(const SweepPoint& p) {
  SpectrumConfig c;
  c.activations = {Activation::parse(p.at("activation").text)};
  c.ensembles = {parse_ensemble(p.at("ensemble").text)};
  c.sw2 = p.at("sw2").number;
  c.sb2 = p.at("sb2").number;
  c.width = count(p, "width");
  c.depths = {count(p, "depth")};
  c.seeds = count(p, "seeds");
  c.seed = static_cast<std::uint64_t>(p.at("seed").number);
  const SpectrumPair x = run_spectrum(c).pairs.front();
  const SpectrumRow& r = x.rows.front();
  SweepRecord rec;
  rec.rows.push_back({x.q0, r.q_theory, r.mean_s2.mean, r.mean_s2.sd, r.mean_s2_theory,
                      r.var_s2.mean, r.var_s2.sd, r.var_s2_theory, r.min_s, r.max_s});
  if (x.diverged) rec.status = SweepStatus::diverged;
  return rec;
}

Json cell_json(const SweepCell& c) {
  if (const auto* s = std::get_if<std::string>(&c)) return *s;
  const double v = std::get<double>(c);
  return std::isfinite(v) ? Json(v) : Json(nullptr);
}

SweepCell cell_from(const Json& j, const std::string& where) {
  if (j.is_null()) return kNaN;
  if (j.is_number()) return j.get<double>();
  if (j.is_string()) return j.get<std::string>();
  fail(where, "cell ", j.dump(), " is not a number, null or a string");
}

SweepStatus status_from(const std::string& s, const std::string& where) {
  for (auto v : {SweepStatus::ok, SweepStatus::diverged, SweepStatus::failed})
    if (s == to_string(v)) return v;
  fail(where, "status '", s, "'; expected ok, diverged or failed");
}

}  // namespace

std::string_view to_string(SweepStatus s) {
  switch (s) {
    case SweepStatus::ok: return "ok";
    case SweepStatus::diverged: return "diverged";
    case SweepStatus::failed: return "failed";
  }
  return "failed";
}

const std::vector<std::string>& sweep_columns(SweepStudy study) {
  static const std::vector<std::string> variance = {
      "layer", "ln_q", "ln_q_theory", "ln_q_sd", "ln_a2", "ln_a2_theory", "ln_grad2",
      "ln_grad2_theory", "z_sem_q", "z_sem_grad2", "saturated", "dead", "forward_ok", "backward_ok"};
  static const std::vector<std::string> phase = {
      "phase", "q0", "q", "q_sd", "q_theory", "q_star", "c", "c_sd", "c_theory", "c_star",
      "chi1", "chi1_sd", "chi1_theory", "chi1_star", "xi_c", "xi_c_sd", "xi_c_window",
      "xi_c_theory", "fit_first", "fit_last"};
  static const std::vector<std::string> spectrum = {
      "q0", "q_theory", "mean_s2", "mean_s2_sd", "mean_s2_theory", "var_s2", "var_s2_sd",
      "var_s2_theory", "min_s", "max_s"};
  static const std::vector<std::string> net = {
      "layer", "kind", "width", "ln_q", "ln_q_theory", "ln_q_sd", "ln_a2", "ln_a2_theory",
      "ln_grad2", "ln_grad2_theory", "z_sem_q", "z_sem_grad2", "saturated", "dead",
      "ln_branch_share", "forward_ok", "backward_ok"};
  switch (study) {
    case SweepStudy::variance: return variance;
    case SweepStudy::phase: return phase;
    case SweepStudy::spectrum: return spectrum;
    case SweepStudy::net: return net;
  }
  return phase;
}

SweepRecord run_configuration(const SweepSpec& spec, std::size_t id) {
  const SweepPoint p = sweep_point(spec, id);
  openblas_set_num_threads(1);
  SweepRecord rec;
  try {
    switch (spec.study) {
      case SweepStudy::variance: rec = run_variance_point(p); break;
      case SweepStudy::phase: rec = run_phase_point(p); break;
      case SweepStudy::spectrum: rec = run_spectrum_point(p); break;
      case SweepStudy::net: rec = run_net_point(p); break;
    }
  } catch (const std::exception& e) {
    rec = SweepRecord{};
    rec.status = SweepStatus::failed;
    rec.error = e.what();
  }
  rec.id = id;
  rec.key = p.key();
  return rec;
}

std::string record_line(const SweepRecord& r) {
  Json rows = Json::array();
  for (const auto& row : r.rows) {
    Json cells = Json::array();
    for (const auto& c : row) cells.push_back(cell_json(c));
    rows.push_back(std::move(cells));
  }
  return Json{{"id", r.id}, {"key", r.key}, {"status", to_string(r.status)},
              {"error", r.error}, {"rows", rows}}
      .dump();
}

SweepRecord record_from_line(const std::string& line, const std::string& where) {
  SweepRecord r;
  try {
    const Json j = Json::parse(line);
    r.id = j.at("id").get<std::size_t>();
    r.key = j.at("key").get<std::string>();
    r.status = status_from(j.at("status").get<std::string>(), where);
    r.error = j.at("error").get<std::string>();
    for (const auto& row : j.at("rows")) {
      r.rows.emplace_back();
      for (const auto& c : row) r.rows.back().push_back(cell_from(c, where));
    }
  } catch (const Json::exception& e) {
    fail(where, "not a sweep record (", e.what(), ")");
  }
  return r;
}

}  // namespace initlab::study
