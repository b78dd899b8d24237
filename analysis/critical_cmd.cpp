// `initlab critical`: the initializer at the edge of chaos for an activation and a
// bias std (lib/study/critical_init.hpp), as specs `--init` and `--bias-std` accept.
//
//   initlab critical --activation tanh [--bias-std 0.2] [--json FILE|-] [--spec]
//
// Exit 0 with the critical point; 3 when none exists (the linear/ReLU family with a
// bias), after writing the JSON (with "exists": false) if asked; 2 on bad input.

#include <cmath>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "command.hpp"
#include "core/error.hpp"
#include "init/initializer.hpp"
#include "output.hpp"
#include "study/critical_init.hpp"

namespace initlab::tool {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kNoCriticalPoint = 3;  // exit code where no critical point exists

struct Options {
  std::string activation = "tanh";
  double bias_std = 0.0;
  std::string json;
  bool spec_only = false;
};

std::string g(double v) { return csv_number(v); }

void write_json(std::ostream& os, const study::CriticalInit& c) {
  const Activation& f = c.activation;
  const std::string torch_name = f.kind == Activation::Kind::leaky_relu ? "leaky_relu" : f.name();
  os << json_text(Json{{"provenance", provenance_json()},
                       {"activation", f.name()},
                       {"bias_std", c.bias_std},
                       {"sb2", c.sb2},
                       {"exists", c.exists},
                       {"reason", c.reason},
                       {"sw2", json_number(c.sw2)},
                       {"gain", json_number(c.gain)},
                       {"pytorch_calculate_gain", init::has_calculate_gain(torch_name)
                                                      ? Json(init::calculate_gain(torch_name, f.slope))
                                                      : Json(nullptr)},
                       {"fixed_point", theory::to_string(c.fixed.kind)},
                       {"q_star", json_number(c.fixed.q)},
                       {"chi1", json_number(c.fixed.chi1)},
                       {"init", c.weight_spec},
                       {"init_orthogonal", c.orthogonal_spec},
                       {"bias_init", c.bias_spec}},
                  2)
     << "\n";
}

void print_text(std::ostream& os, const study::CriticalInit& c) {
  const std::string act = c.activation.name();
  os << "activation       " << act << "\n"
     << "bias             b ~ N(0, " << g(c.bias_std) << "^2), sb2 = " << g(c.sb2) << "\n"
     << "critical sw2     " << g(c.sw2) << "  (chi_1(q*) = " << g(c.fixed.chi1)
     << "; Schoenholz et al. 2017)\n"
     << "q*               "
     << (c.fixed.kind == theory::FixedPointKind::marginal ? "every q (marginal)" : g(c.fixed.q))
     << "\n"
     << "gain             " << g(c.gain) << "  (sqrt(sw2); W ~ N(0, gain^2 / fan_in))\n"
     << "init             " << c.weight_spec << "\n"
     << "orthogonal       " << c.orthogonal_spec << "\n"
     << "example          initlab variance --activation " << act << " --init " << c.weight_spec;
  if (c.bias_std > 0.0) os << " --bias-std " << g(c.bias_std);
  os << "\n";
}

void run(const Options& o) {
  check_output("--json", o.json);
  const Activation f = Activation::parse(o.activation);
  if (!(o.bias_std >= 0.0) || !std::isfinite(o.bias_std))
    fail("--bias-std", o.bias_std, ": expected a finite value >= 0");
  const study::CriticalInit c = study::critical_init(f, o.bias_std);
  if (!o.json.empty()) write_output(o.json, [&](std::ostream& os) { write_json(os, c); });
  if (!c.exists) {
    std::cerr << "initlab critical: no critical point for " << f.name() << " with --bias-std "
              << g(o.bias_std) << ": " << c.reason
              << (std::isnan(c.sw2) ? "\n" : " (use --bias-std 0)\n");
    throw ExitCode{kNoCriticalPoint};
  }
  if (o.spec_only) {
    std::cout << c.weight_spec << "\n";
  } else if (o.json != "-") {
    print_text(std::cout, c);
  }
}

Run setup(CLI::App& sub) {
  auto o = std::make_shared<Options>();
  sub.footer(
      "The weight variance sw2 on the critical line chi_1(q*(sw2, sb2)) = 1 (theory::critical_sw2),\n"
      "its gain and the --init spec that draws W ~ N(0, sw2 / fan_in). Exit 0; 3 where no critical\n"
      "point exists (linear/relu family with a bias: q^l grows without bound); 2 on bad input.");
  sub.add_option("--activation", o->activation,
                 std::string("Activation: ") + Activation::kSpecs)
      ->capture_default_str();
  sub.add_option("--bias-std", o->bias_std, "Bias b ~ N(0, S^2) in every layer (sb2 = S^2)")
      ->capture_default_str();
  sub.add_option("--json", o->json, "JSON to FILE ('-' = stdout)")->type_name("FILE|-");
  sub.add_flag("--spec", o->spec_only, "Print only the --init spec (for scripts)");
  return [o] { run(*o); };
}

const Registration reg{"critical",
                       "The critical (edge-of-chaos) initializer for an activation and bias std, "
                       "as an --init spec",
                       setup};

}  // namespace
}  // namespace initlab::tool
