// `initlab theory --critical-line` and `--critical ACT`: where the mean-field
// length map is critical (chi_1(q*) = 1; Schoenholz et al. 2017), beside PyTorch's
// calculate_gain. The critical point and whether it exists come from
// study::critical_init_sb2, the same as `initlab critical` (lib/study/critical_init.hpp).

#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>
#include <ostream>
#include <string>

#include "init/initializer.hpp"
#include "output.hpp"
#include "study/critical_init.hpp"
#include "theory_cmd.hpp"

namespace initlab::tool::theory_cmd {

namespace {
std::string fixed6(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.6f", v);
  return b;
}
}  // namespace

void run_critical_line(const Options& o) {
  const Activation f = Activation::parse(o.activation);
  const std::vector<double> sb2s = o.sb2.empty() ? kCriticalLineSb2 : o.sb2;
  for (double v : sb2s) check_nonneg("--sb2", v);
  struct Row {
    double sb2, sw2, q;
  };
  std::vector<Row> rows;
  std::string why_none;
  for (double v : sb2s) {
    const study::CriticalInit c = study::critical_init_sb2(f, v);
    if (std::isnan(c.sw2) && why_none.empty()) why_none = cat("sw2_crit '-' at sb2 = ", v, ": ", c.reason);
    rows.push_back({v, c.sw2, c.exists ? c.fixed.q : std::nan("")});
  }
  if (o.csv != "-" && o.json != "-") {
    std::cout << "critical line chi_1(q*(sw2, sb2)) = 1 for " << f.name()
              << " (Schoenholz et al. 2017)\n";
    char line[128];
    std::snprintf(line, sizeof line, "%12s %12s %12s %10s\n", "sb2", "sw2_crit", "q*", "gain");
    std::cout << line;
    for (const Row& r : rows) {
      std::snprintf(line, sizeof line, "%12g %12s %12s %10s\n", r.sb2,
                    std::isnan(r.sw2) ? "-" : fixed6(r.sw2).c_str(),
                    std::isnan(r.q) ? "-" : num(r.q).c_str(),
                    std::isnan(r.sw2) ? "-" : fixed6(std::sqrt(r.sw2)).c_str());
      std::cout << line;
    }
    if (!why_none.empty()) std::cout << why_none << "\n";
    for (const Row& r : rows) {
      if (!std::isnan(r.q) || std::isnan(r.sw2)) continue;
      std::cout << "q* '-': at sw2_crit the length map has no fixed point (q^l grows without "
                   "bound, for relu q^l = q0 + l sb2), so no critical point exists at that sb2\n";
      break;
    }
  }
  if (!o.csv.empty()) {
    write_output(o.csv, [&](std::ostream& os) {
      os << "# " << provenance_line() << "\nsb2,sw2_crit,q_star,gain\n";
      for (const Row& r : rows) {
        os << cell(r.sb2) << ',' << cell(r.sw2) << ',' << cell(r.q) << ',' << cell(std::sqrt(r.sw2))
           << '\n';
      }
    });
  }
  if (!o.json.empty()) {
    write_output(o.json, [&](std::ostream& os) {
      Json a = Json::array();
      for (const Row& r : rows) {
        a.push_back({{"sb2", r.sb2},
                     {"sw2_crit", std::isnan(r.sw2) ? Json(nullptr) : Json(r.sw2)},
                     {"q_star", std::isnan(r.q) ? Json(nullptr) : Json(r.q)},
                     {"gain", std::isnan(r.sw2) ? Json(nullptr) : Json(std::sqrt(r.sw2))},
                     {"fixed_point_exists", !std::isnan(r.q)}});
      }
      os << json_text(Json{{"provenance", provenance_json()},
                           {"activation", f.name()},
                           {"critical_line", a}},
                      2)
         << "\n";
    });
  }
}

void run_critical(const Options& o) {
  const Activation f = Activation::parse(o.critical);
  const double sb2 = single_sb2(o);
  const study::CriticalInit c = study::critical_init_sb2(f, sb2);
  const std::string name = f.kind == Activation::Kind::leaky_relu ? "leaky_relu" : f.name();
  const std::optional<double> torch =
      init::has_calculate_gain(name) ? std::optional(init::calculate_gain(name, f.slope))
                                     : std::nullopt;
  // The gain that keeps q = 1 fixed at this sb2 (sb2 < 1): sw2 V(1) + sb2 = 1.
  const std::optional<double> keep =
      sb2 < 1.0 ? std::optional(theory::fixed_q_sw2(f, 1.0, sb2)) : std::nullopt;
  auto text = [](const std::optional<double>& v, const std::string& none) {
    return v ? num(*v) : none;
  };
  auto json = [](const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); };
  const std::optional<double> crit = c.exists ? std::optional(c.sw2) : std::nullopt;
  const std::optional<double> crit_gain = crit ? std::optional(std::sqrt(*crit)) : std::nullopt;
  const std::optional<double> keep_gain = keep ? std::optional(std::sqrt(*keep)) : std::nullopt;
  if (o.json != "-") {
    std::cout << "activation              " << f.name() << "\n"
              << "sb2                     " << num(sb2) << "\n"
              << "critical sw2            " << text(crit, "none (" + c.reason + ")")
              << (crit ? "  (chi_1(q*) = 1)" : "") << "\n"
              << "gain sqrt(critical sw2) " << text(crit_gain, "-") << "\n"
              << "sw2 keeping q = 1 fixed " << text(keep, "- (needs sb2 < 1)")
              << (keep ? "  (sw2 E[phi(z)^2] + sb2 = 1)" : "") << "\n"
              << "gain keeping q = 1      " << text(keep_gain, "-") << "\n"
              << "PyTorch calculate_gain  " << text(torch, "- (PyTorch defines none)") << "\n";
  }
  if (!o.json.empty()) {
    write_output(o.json, [&](std::ostream& os) {
      os << json_text(Json{{"provenance", provenance_json()},
                           {"activation", f.name()},
                           {"sb2", sb2},
                           {"critical_sw2", json(crit)},
                           {"gain", json(crit_gain)},
                           {"no_critical_reason", c.exists ? Json(nullptr) : Json(c.reason)},
                           {"fixed_q_sw2", json(keep)},
                           {"fixed_q_gain", json(keep_gain)},
                           {"pytorch_calculate_gain", json(torch)}},
                      2)
         << "\n";
    });
  }
}

}  // namespace initlab::tool::theory_cmd
