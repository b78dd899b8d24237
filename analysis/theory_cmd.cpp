// `initlab theory`: the mean-field predictions of lib/theory (docs/theory.md §2-§7).
//
//   initlab theory [--activation tanh] [--sw2 1] [--sb2 0] [--q0 1] [--depth 100]
//                  [--widths N0,...,NL --mode fan_in|fan_out|fan_avg] [--csv FILE|-] [--json
//                  FILE|-]
//   initlab theory --critical-line [--activation tanh] [--sb2 LIST] [--csv FILE|-] [--json FILE|-]
//   initlab theory --critical ACT [--sb2 S] [--json FILE|-]

#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "command.hpp"
#include "core/error.hpp"
#include "init/initializer.hpp"
#include "output.hpp"
#include "study/net_file.hpp"
#include "study/plain_theory.hpp"
#include "theory/meanfield.hpp"
#include "theory_cmd.hpp"

namespace initlab::tool {
namespace {

using namespace theory_cmd;

// ---- trajectory ------------------------------------------------------------

struct TrajectoryRun {
  std::optional<NetDescription> net;  // --net / --arch
  theory::Architecture arch;
  theory::Trajectory traj;
  std::optional<theory::FixedPoint> fixed;  // when every layer has the same sw2
  std::optional<theory::CorrelationFixedPoint> corr;  // likewise
};

TrajectoryRun compute_trajectory(const Options& o, const std::optional<NetDescription>& net) {
  const Activation f = Activation::parse(o.activation);
  check_nonneg("--sw2", o.sw2);
  check_nonneg("--q0", o.q0);
  const double sb2 = single_sb2(o);
  TrajectoryRun r;
  if (net) {
    r.net = net;
    r.arch = study::plain_architecture(*r.net, o.q0);
  } else if (o.widths.empty()) {
    r.arch = theory::uniform_architecture(f, o.sw2, sb2, o.q0, static_cast<std::size_t>(o.depth));
  } else {
    if (o.depth_given && static_cast<std::size_t>(o.depth) != o.widths.size() - 1) {
      fail("theory", "--depth ", o.depth, " disagrees with --widths (", o.widths.size() - 1,
           " layers)");
    }
    r.arch.activations = {f};
    r.arch.widths = o.widths;
    r.arch.weight_variance = theory::weight_variances(o.sw2, o.widths, o.mode);
    r.arch.sb2 = sb2;
    r.arch.q0 = o.q0;
  }
  r.traj = theory::trajectory(r.arch);
  bool uniform = true;
  const double sw2_1 =
      r.traj.layers[0].sw2;  // fan_in: n_{l-1} (sw2 / n_{l-1}), equal up to rounding
  for (const auto& y : r.traj.layers)
    uniform = uniform && std::fabs(y.sw2 - sw2_1) <= 1e-12 * sw2_1;
  for (const auto& g : r.arch.activations) uniform = uniform && g.name() == r.arch.activations[0].name();
  if (r.net && uniform) {
    r.fixed = theory::fixed_point(r.arch.activations[0], sw2_1, r.arch.sb2, r.traj.layers[0].q);
    r.corr = theory::correlation_fixed_point(r.arch.activations[0], sw2_1, r.arch.sb2, r.traj.layers[0].q);
    return r;
  }
  // The nominal sw2 (exact) rather than n_{l-1} Var W^l (rounded): for the
  // linear/relu family the marginal case chi_1 = 1 is decided exactly.
  if (uniform) {
    r.fixed = theory::fixed_point(f, o.sw2, sb2, r.traj.layers[0].q);
    r.corr = theory::correlation_fixed_point(f, o.sw2, sb2, r.traj.layers[0].q);
  }
  return r;
}

// "300x4 tanh lecun_normal, 10 linear xavier_normal": runs of equal layers.
std::string layers_text(const NetDescription& net) {
  std::string text;
  for (std::size_t k = 0; k < net.blocks.size();) {
    const auto& d = std::get<DenseLayer>(net.blocks[k]);
    std::size_t n = 1;
    while (k + n < net.blocks.size()) {
      const auto& e = std::get<DenseLayer>(net.blocks[k + n]);
      if (e.width != d.width || e.activation.name() != d.activation.name() || e.init != d.init) break;
      ++n;
    }
    text += cat(text.empty() ? "" : ", ", d.width, n > 1 ? cat("x", n) : "", " ", d.activation.name(), " ", d.init);
    k += n;
  }
  return text;
}

void print_trajectory(const Options& o, const TrajectoryRun& r, std::ostream& os) {
  const auto L = r.traj.layers.size();
  os << "mean-field length map (Poole et al. 2016; Schoenholz et al. 2017), ";
  if (r.net) {
    os << "network " << r.net->name << ", input " << r.net->input << ", sb2 " << r.arch.sb2;
  } else {
    os << Activation::parse(o.activation).name() << ", sw2 " << o.sw2 << ", sb2 " << r.arch.sb2;
  }
  os << ", q0 " << o.q0 << ", depth " << L;
  if (!o.widths.empty()) os << ", widths " << shape_str(o.widths) << " (" << o.mode << ")";
  os << "\n";
  if (r.net) os << "layers             " << layers_text(*r.net) << "\n";
  if (r.fixed) {
    const theory::FixedPoint& p = *r.fixed;
    os << "fixed point        " << theory::to_string(p.kind);
    if (p.kind != theory::FixedPointKind::none) os << ", q* = " << num(p.q);
    os << "\nchi_1 at q*        " << num(p.chi1) << "\n"
       << "xi_q               " << scale_text(p, p.xi_q) << "\n";
    print_correlation(*r.corr, os);
  } else {
    os << "fixed point        n/a (n_{l-1} E[(W^l)^2] or the activation differs between layers)\n";
  }
  if (r.traj.forward_overflow_at != 0) {
    os << "q^l leaves the double range at layer " << r.traj.forward_overflow_at
       << "; values shown as exp(ln)\n";
  } else if (r.traj.overflow_at != 0) {
    os << "backward values leave the double range (layer " << r.traj.overflow_at
       << "); shown as exp(ln)\n";
  }
  os << "qt^l = E[(dL/dh^l)^2] relative to qt^L = 1; E[dW^2] = qt^l E[(a^{l-1})^2]\n";
  char line[256];
  std::snprintf(line, sizeof line, "%6s %14s %14s %14s %12s %10s %14s %14s\n", "layer", "q^l",
                "E[a^2]", "Var(a)", "E[a]", "chi_1", "qt^l", "E[dW^2]");
  os << line;
  for (const auto& y : r.traj.layers) {
    std::snprintf(line, sizeof line, "%6zu %14s %14s %14s %12s %10s %14s %14s\n", y.layer,
                  num(y.q, y.ln_q).c_str(), num(y.second, y.ln_second).c_str(),
                  num(y.variance, y.ln_variance).c_str(), num(y.mean).c_str(), num(y.chi1).c_str(),
                  num(y.qt, y.ln_qt).c_str(), num(y.grad2, y.ln_grad2).c_str());
    os << line;
  }
}

// The width column is empty when no --widths were given (the per-unit values do
// not depend on a common width).
void write_trajectory_csv(const Options& o, const TrajectoryRun& r, std::ostream& os) {
  os << "# " << provenance_line() << "\n"
     << "layer,width,sw2,q,ln_q,second,ln_second,variance,ln_variance,mean,dphi2,chi1,qt,ln_qt,"
        "grad2,ln_grad2,overflow\n";
  for (const auto& y : r.traj.layers) {
    os << y.layer << ','
       << (o.widths.empty() && !r.net ? std::string() : std::to_string(r.arch.widths[y.layer])) << ','
       << cell(y.sw2) << ',' << cell(y.q) << ',' << cell(y.ln_q) << ',' << cell(y.second) << ','
       << cell(y.ln_second) << ',' << cell(y.variance) << ',' << cell(y.ln_variance) << ','
       << cell(y.mean) << ',' << cell(y.dphi2) << ',' << cell(y.chi1) << ',' << cell(y.qt) << ','
       << cell(y.ln_qt) << ',' << cell(y.grad2) << ',' << cell(y.ln_grad2) << ','
       << (y.overflow ? 1 : 0) << '\n';
  }
}

Json fixed_point_json(const theory::FixedPoint& p) {
  return {{"kind", theory::to_string(p.kind)},
          {"q_star", p.kind == theory::FixedPointKind::none ? Json(nullptr) : Json(p.q)},
          {"chi1", p.chi1},
          {"xi_q", opt_json(p.xi_q)}};
}

Json correlation_json(const theory::CorrelationFixedPoint& c) {
  auto or_null = [](double v) { return std::isnan(v) ? Json(nullptr) : Json(v); };
  return {{"phase", theory::to_string(c.phase)},
          {"c_star", or_null(c.c)},
          {"chi_c", or_null(c.chi_c)},
          {"xi_c", opt_json(c.xi_c)},
          {"note", correlation_note(c)}};
}

Json activation_names(const theory::Architecture& arch) {
  Json names = Json::array();
  for (const auto& f : arch.activations) names.push_back(f.name());
  return names;
}

void write_trajectory_json(const Options& o, const TrajectoryRun& r, std::ostream& os) {
  Json layers = Json::array();
  for (const auto& y : r.traj.layers) {
    layers.push_back({{"layer", y.layer},
                      {"sw2", y.sw2},
                      {"q", y.q},
                      {"ln_q", y.ln_q},
                      {"second", y.second},
                      {"ln_second", y.ln_second},
                      {"variance", y.variance},
                      {"ln_variance", y.ln_variance},
                      {"mean", y.mean},
                      {"dphi2", y.dphi2},
                      {"chi1", y.chi1},
                      {"qt", y.qt},
                      {"ln_qt", y.ln_qt},
                      {"grad2", y.grad2},
                      {"ln_grad2", y.ln_grad2},
                      {"overflow", y.overflow}});
  }
  const Json j = {
      {"provenance", provenance_json()},
      {"net", r.net ? Json(r.net->name) : Json(nullptr)},
      {"activation", r.net ? activation_names(r.arch) : Json(Activation::parse(o.activation).name())},
      {"sw2", r.net ? Json(nullptr) : Json(o.sw2)},
      {"sb2", r.arch.sb2},
      {"q0", o.q0},
      {"widths", o.widths.empty() && !r.net ? Json(nullptr) : Json(r.arch.widths)},
      {"weight_variance", r.arch.weight_variance},
      {"fixed_point", r.fixed ? fixed_point_json(*r.fixed) : Json(nullptr)},
      {"correlation", r.corr ? correlation_json(*r.corr) : Json(nullptr)},
      {"overflow_at", r.traj.overflow_at},
      {"forward_overflow_at", r.traj.forward_overflow_at},
      {"note", "NaN plain values (null here) are outside the double range: read the ln_ fields"},
      {"layers", layers}};
  os << json_text(j, 2) << "\n";
}

constexpr long long kMaxDepth = 1000000;

void validate(Options& o) {
  if (o.depth < 1 || o.depth > kMaxDepth) {
    fail("theory", "--depth ", o.depth, ": expected a depth in [1, ", kMaxDepth, "]");
  }
  if (!o.widths_arg.empty()) {
    if (o.widths_arg.size() < 2 || o.widths_arg.size() > kMaxDepth + 1) {
      fail("theory", "--widths ", shape_str(o.widths_arg),
           ": expected N0,...,NL with 1 <= L <= ", kMaxDepth);
    }
    for (long long n : o.widths_arg) {
      if (n < 1)
        fail("theory", "--widths ", shape_str(o.widths_arg), ": expected every width >= 1");
      o.widths.push_back(static_cast<std::size_t>(n));
    }
  }
}

void run(Options& o) {
  validate(o);
  check_output("--csv", o.csv);
  check_output("--json", o.json);
  if (o.critical_line && !o.critical.empty()) {
    fail("theory", "--critical-line and --critical ", o.critical, " exclude each other");
  }
  if (o.critical_line) return run_critical_line(o);
  if (!o.critical.empty()) {
    if (!o.csv.empty()) fail("theory", "--critical ", o.critical, " writes no CSV; use --json");
    return run_critical(o);
  }
  std::optional<NetDescription> net;
  if (o.net.given()) net = load_net_option(o.net);
  if (net && !study::one_bias_plain(*net)) return run_block_theory(o, *net);  // blocks, per-layer biases
  const TrajectoryRun r = compute_trajectory(o, net);
  // The table goes to stdout unless a machine-readable file does.
  if (o.csv != "-" && o.json != "-") print_trajectory(o, r, std::cout);
  if (!o.csv.empty())
    write_output(o.csv, [&](std::ostream& os) { write_trajectory_csv(o, r, os); });
  if (!o.json.empty()) {
    write_output(o.json, [&](std::ostream& os) { write_trajectory_json(o, r, os); });
  }
}

Run setup(CLI::App& sub) {
  auto o = std::make_shared<Options>();
  sub.footer(
      "Modes:\n"
      "  initlab theory [--activation A --sw2 S --sb2 B --q0 Q --depth L | --widths N0,..,NL "
      "--mode M]\n"
      "      q^l, E[a^2], Var(a), E[a], chi_1 per layer, backward qt^l and E[(dL/dW)^2],\n"
      "      fixed point q*, chi_1(q*), depth scale xi_q; the correlation map's fixed point c*,\n"
      "      its slope chi_c and depth scale xi_c = -1/ln chi_c (ordered and chaotic phases)\n"
      "  initlab theory --net FILE | --arch STRING [--q0 Q]\n"
      "      the same per layer for a described plain network (each layer's activation and\n"
      "      E[W^2] of its init; docs/net-files.md); with residual or norm blocks, per block:\n"
      "      E[x^2], E[x], the residual branch's share, E[(dL/dx)^2] and the backward gain\n"
      "  initlab theory --critical-line [--activation tanh] [--sb2 LIST]\n"
      "  initlab theory --critical ACT [--sb2 B]\n"
      "Values beyond the double range print as exp(ln) (CSV: empty plain cell, ln_ column).");
  sub.add_option("--activation", o->activation,
                 std::string("Activation: ") + Activation::kSpecs)
      ->capture_default_str();
  sub.add_option("--sw2", o->sw2, "Weight variance scale sw2: Var W^l = sw2 / fan (>= 0)")
      ->capture_default_str();
  sub.add_option("--sb2", o->sb2,
                 "Bias variance sb2 (>= 0; default 0). With --critical-line: a comma list "
                 "(default 1e-4,1e-3,0.01,0.05,0.1,0.2,0.5)")
      ->delimiter(',');
  sub.add_option("--q0", o->q0, "Input second moment q0 = |x|^2 / n_0 (>= 0)")
      ->capture_default_str();
  CLI::Option* depth =
      sub.add_option("--depth", o->depth, "Number of layers L (>= 1)")->capture_default_str();
  sub.add_option("--widths", o->widths_arg,
                 "Layer widths n_0,...,n_L (sets the depth); with --mode they give per-layer "
                 "Var W^l")
      ->delimiter(',');
  sub.add_option("--mode", o->mode, "Fan of Var W^l = sw2 / fan with --widths")
      ->check(CLI::IsMember({"fan_in", "fan_out", "fan_avg"}))
      ->capture_default_str();
  sub.add_flag("--critical-line", o->critical_line,
               "Print sw2_crit(sb2), where chi_1(q*) = 1, for --activation (default tanh)");
  sub.add_option("--critical", o->critical,
                 "Print the critical sw2 of activation ACT, its gain sqrt(sw2) and PyTorch's "
                 "calculate_gain")
      ->type_name("ACT");
  add_net_options(sub, o->net);
  sub.add_option("--csv", o->csv, "Write the table as CSV to FILE ('-' = stdout)")
      ->type_name("FILE|-");
  sub.add_option("--json", o->json, "Write the result as JSON to FILE ('-' = stdout)")
      ->type_name("FILE|-");
  return [o, depth, app = &sub] {
    o->depth_given = depth->count() > 0;
    check_net_exclusive(o->net, {app->get_option("--activation"), app->get_option("--sw2"),
                                 app->get_option("--sb2"), depth, app->get_option("--widths"),
                                 app->get_option("--mode"), app->get_option("--critical-line"),
                                 app->get_option("--critical")});
    run(*o);
  };
}

const Registration reg{"theory",
                       "Mean-field predictions: the q^l length map with chi_1 and backward "
                       "gradients, fixed point and depth scales, the critical line",
                       setup};

}  // namespace
}  // namespace initlab::tool
