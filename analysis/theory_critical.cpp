// `initlab theory --critical-line` and `--critical ACT`: where the mean-field
// length map is critical (chi_1(q*) = 1; Schoenholz et al. 2017), beside PyTorch's
// calculate_gain.

#include <cmath>
#include <cstdio>
#include <iostream>
#include <ostream>

#include "init/initializer.hpp"
#include "output.hpp"
#include "theory_cmd.hpp"

namespace initlab::tool::theory_cmd {


void run_critical_line(const Options& o) {
  const Activation f = Activation::parse(o.activation);
  const std::vector<double> sb2s = o.sb2.empty() ? kCriticalLineSb2 : o.sb2;
  for (double v : sb2s) check_nonneg("--sb2", v);
  struct Row {
    double sb2, sw2, q;
  };
  std::vector<Row> rows;
  for (double v : sb2s) {
    const double s = theory::critical_sw2(f, v);
    const theory::FixedPoint p = theory::fixed_point(f, s, v);
    rows.push_back({v, s, p.kind == theory::FixedPointKind::none ? std::nan("") : p.q});
  }
  if (o.csv != "-" && o.json != "-") {
    std::cout << "critical line chi_1(q*(sw2, sb2)) = 1 for " << f.name()
              << " (Schoenholz et al. 2017)\n";
    char line[128];
    std::snprintf(line, sizeof line, "%12s %12s %12s %10s\n", "sb2", "sw2_crit", "q*", "gain");
    std::cout << line;
    for (const Row& r : rows) {
      std::snprintf(line, sizeof line, "%12g %12.6f %12s %10.6f\n", r.sb2, r.sw2,
                    std::isnan(r.q) ? "-" : num(r.q).c_str(), std::sqrt(r.sw2));
      std::cout << line;
    }
    for (const Row& r : rows) {
      if (!std::isnan(r.q)) continue;
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
                     {"sw2_crit", r.sw2},
                     {"q_star", std::isnan(r.q) ? Json(nullptr) : Json(r.q)},
                     {"gain", std::sqrt(r.sw2)},
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
  const double s = theory::critical_sw2(f, sb2);
  const std::string name = f.kind == Activation::Kind::leaky_relu ? "leaky_relu" : f.name();
  const double torch = init::calculate_gain(name, f.slope);
  if (o.json != "-") {
    std::cout << "activation              " << f.name() << "\n"
              << "sb2                     " << num(sb2) << "\n"
              << "critical sw2            " << num(s) << "  (chi_1(q*) = 1)\n"
              << "gain sqrt(critical sw2) " << num(std::sqrt(s)) << "\n"
              << "PyTorch calculate_gain  " << num(torch) << "\n";
  }
  if (!o.json.empty()) {
    write_output(o.json, [&](std::ostream& os) {
      os << json_text(Json{{"provenance", provenance_json()},
                           {"activation", f.name()},
                           {"sb2", sb2},
                           {"critical_sw2", s},
                           {"gain", std::sqrt(s)},
                           {"pytorch_calculate_gain", torch}},
                      2)
         << "\n";
    });
  }
}

}  // namespace initlab::tool::theory_cmd
