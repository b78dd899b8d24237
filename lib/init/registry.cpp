// The initializer registry: spec grammar, parse(), spec_of() and the table shown by
// `initlab init --list` and reports/initializers.md.
//
//   spec    := name [":" args]
//   args    := positional ("," positional)*      e.g. truncated_normal:0.02,-2,2
//            | key "=" value ("," key "=" value)* e.g. he_normal:mode=fan_out
// Numbers are read whole (std::from_chars, finite); anything left over is an error.

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "init/detail.hpp"
#include "init/initializer.hpp"
#include "random/normal_math.hpp"

namespace initlab::init {

namespace {

using detail::num;

struct Args {
  std::string_view spec;                    // the whole spec, for messages
  std::string_view name;
  bool has_colon = false;
  std::vector<std::string_view> parts;      // the comma-separated arguments
};

Args split(std::string_view spec) {
  Args a{spec, spec, false, {}};
  const auto colon = spec.find(':');
  if (colon == std::string_view::npos) return a;
  a.name = spec.substr(0, colon);
  a.has_colon = true;
  std::string_view rest = spec.substr(colon + 1);
  while (true) {
    const auto comma = rest.find(',');
    a.parts.push_back(rest.substr(0, comma));
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  for (auto p : a.parts) {
    if (p.empty()) {
      fail(spec, "empty argument; expected ", a.name,
           " followed by ':' and comma-separated values");
    }
  }
  return a;
}

double plain_number(std::string_view text, bool& ok) {
  double x = 0.0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), x);
  ok = r.ec == std::errc() && r.ptr == text.data() + text.size() && std::isfinite(x);
  return x;
}

// A finite number, or a fraction P/Q of two (scale=1/3).
double number(const Args& a, std::string_view what, std::string_view text) {
  bool ok = false;
  double x = 0.0;
  if (const auto slash = text.find('/'); slash != std::string_view::npos) {
    bool ok_den = false;
    const double den = plain_number(text.substr(slash + 1), ok_den);
    x = plain_number(text.substr(0, slash), ok) / den;
    ok = ok && ok_den && den != 0.0 && std::isfinite(x);
  } else {
    x = plain_number(text, ok);
  }
  if (!ok) fail(a.spec, what, " must be a finite number, got '", text, "'");
  return x;
}

double positive(const Args& a, std::string_view what, std::string_view text) {
  const double x = number(a, what, text);
  if (!(x > 0.0)) fail(a.spec, what, " must be > 0, got ", text);
  return x;
}

void no_args(const Args& a) {
  if (a.has_colon) fail(a.spec, a.name, " takes no arguments");
}

// The positional arguments, checked against [lo, hi] in count.
const std::vector<std::string_view>& positional(const Args& a, std::size_t lo, std::size_t hi,
                                                std::string_view syntax) {
  const std::size_t n = a.parts.size();
  if (n < lo || n > hi) fail(a.spec, "expected ", syntax, ", got ", n, " argument(s)");
  for (auto p : a.parts) {
    if (p.find('=') != std::string_view::npos) {
      fail(a.spec, "expected ", syntax, " (plain numbers, no key=value)");
    }
  }
  return a.parts;
}

// key=value options; unknown or repeated keys are errors.
std::map<std::string_view, std::string_view> options(const Args& a,
                                                     std::vector<std::string_view> keys,
                                                     std::string_view syntax) {
  std::map<std::string_view, std::string_view> out;
  for (auto p : a.parts) {
    const auto eq = p.find('=');
    if (eq == std::string_view::npos) fail(a.spec, "'", p, "' is not key=value; expected ", syntax);
    const auto key = p.substr(0, eq);
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      fail(a.spec, "unknown option '", key, "'; expected ", syntax);
    }
    if (!out.emplace(key, p.substr(eq + 1)).second) fail(a.spec, "option '", key, "' given twice");
  }
  return out;
}

FanMode mode_of(const Args& a, std::string_view v) {
  if (v == "fan_in") return FanMode::fan_in;
  if (v == "fan_out") return FanMode::fan_out;
  if (v == "fan_avg") return FanMode::fan_avg;
  fail(a.spec, "mode must be fan_in, fan_out or fan_avg");
}

Distribution distribution_of(const Args& a, std::string_view v) {
  if (v == "normal") return Distribution::normal;
  if (v == "truncated_normal") return Distribution::truncated_normal;
  if (v == "uniform") return Distribution::uniform;
  fail(a.spec, "distribution must be normal, truncated_normal or uniform");
}

Rule variance_scaling(const Args& a) {
  constexpr std::string_view syntax =
      "variance_scaling[:scale=S,mode=fan_in|fan_out|fan_avg,"
      "distribution=normal|truncated_normal|uniform]";
  VarianceScaling r;
  const auto o = options(a, {"scale", "mode", "distribution"}, syntax);
  if (auto it = o.find("scale"); it != o.end()) r.scale = positive(a, "scale", it->second);
  if (auto it = o.find("mode"); it != o.end()) r.mode = mode_of(a, it->second);
  if (auto it = o.find("distribution"); it != o.end()) {
    r.distribution = distribution_of(a, it->second);
  }
  return r;
}

// xavier_*[:gain=G]: fan_avg, scale gain^2 (PyTorch's xavier_normal_ / xavier_uniform_).
Rule xavier(const Args& a, Distribution d) {
  const auto o = options(a, {"gain"}, cat(a.name, "[:gain=G]"));
  const double g = o.contains("gain") ? positive(a, "gain", o.at("gain")) : 1.0;
  return VarianceScaling{g * g, FanMode::fan_avg, d};
}

// he_*[:mode=..,nonlinearity=relu|leaky_relu,slope=S]: scale gain^2 with PyTorch's
// gain: relu 2, leaky_relu 2 / (1 + S^2) (slope given alone implies leaky_relu).
Rule he(const Args& a, Distribution d) {
  const std::string syntax =
      cat(a.name, "[:mode=fan_in|fan_out|fan_avg,nonlinearity=relu|leaky_relu,slope=S]");
  const auto o = options(a, {"mode", "nonlinearity", "slope"}, syntax);
  const FanMode mode = o.contains("mode") ? mode_of(a, o.at("mode")) : FanMode::fan_in;
  std::string_view nl = o.contains("slope") ? "leaky_relu" : "relu";
  if (o.contains("nonlinearity")) nl = o.at("nonlinearity");
  if (nl != "relu" && nl != "leaky_relu") fail(a.spec, "nonlinearity must be relu or leaky_relu");
  if (nl == "relu" && o.contains("slope")) {
    fail(a.spec, "slope applies only to nonlinearity=leaky_relu");
  }
  const double slope = o.contains("slope") ? number(a, "slope", o.at("slope")) : 0.01;
  const double scale = nl == "relu" ? 2.0 : 2.0 / (1.0 + slope * slope);
  return VarianceScaling{scale, mode, d};
}

Rule truncated_normal(const Args& a) {
  const auto& p = positional(a, 1, 3, "truncated_normal:STD[,a,b]");
  if (p.size() == 2) fail(a.spec, "expected truncated_normal:STD[,a,b] (both bounds or none)");
  TruncatedNormal r{positive(a, "STD", p[0]), -2.0, 2.0};
  if (p.size() == 3) {
    r.a = number(a, "a", p[1]);
    r.b = number(a, "b", p[2]);
    if (!(r.a < r.b)) fail(a.spec, "bounds must satisfy a < b, got a = ", p[1], ", b = ", p[2]);
    if (random::normal_mass(r.a, r.b) < 1e-300) {
      fail(a.spec, "N(0, 1) has no mass on [", p[1], ", ", p[2], "]; expected bounds nearer 0");
    }
  }
  return r;
}

Rule sparse(const Args& a) {
  const auto& p = positional(a, 0, 2, "sparse[:SPARSITY[,STD]]");
  Sparse r;
  if (!p.empty()) {
    r.sparsity = number(a, "SPARSITY", p[0]);
    if (r.sparsity < 0.0 || r.sparsity > 1.0) {
      fail(a.spec, "SPARSITY must be in [0, 1], got ", p[0]);
    }
  }
  if (p.size() == 2) r.std = positive(a, "STD", p[1]);
  return r;
}

using Parser = std::function<Rule(const Args&)>;

const std::map<std::string_view, Parser>& parsers() {
  static const std::map<std::string_view, Parser> all = [] {
    std::map<std::string_view, Parser> m;
    const auto fixed = [](Rule r) { return [r](const Args& a) { no_args(a); return r; }; };
    m["zeros"] = fixed(Constant{0.0});
    m["note_zero"] = fixed(Constant{0.0});
    m["ones"] = fixed(Constant{1.0});
    m["constant"] = [](const Args& a) {
      return Rule{Constant{number(a, "V", positional(a, 1, 1, "constant:V")[0])}};
    };
    m["uniform"] = [](const Args& a) {
      return Rule{Uniform{positive(a, "A", positional(a, 1, 1, "uniform:A")[0])}};
    };
    m["normal"] = [](const Args& a) {
      return Rule{Normal{positive(a, "STD", positional(a, 1, 1, "normal:STD")[0])}};
    };
    m["truncated_normal"] = truncated_normal;
    m["variance_scaling"] = variance_scaling;
    m["lecun_normal"] = fixed(VarianceScaling{1.0, FanMode::fan_in, Distribution::normal});
    m["note_xavier"] = fixed(VarianceScaling{1.0, FanMode::fan_in, Distribution::normal});
    m["lecun_uniform"] = fixed(VarianceScaling{1.0, FanMode::fan_in, Distribution::uniform});
    m["note_uniform"] = fixed(VarianceScaling{1.0 / 3.0, FanMode::fan_in, Distribution::uniform});
    m["note_standard_normal"] = fixed(Normal{1.0});
    for (auto n : {"xavier_normal", "glorot_normal"}) {
      m[n] = [](const Args& a) { return xavier(a, Distribution::normal); };
    }
    for (auto n : {"xavier_uniform", "glorot_uniform"}) {
      m[n] = [](const Args& a) { return xavier(a, Distribution::uniform); };
    }
    for (auto n : {"he_normal", "kaiming_normal"}) {
      m[n] = [](const Args& a) { return he(a, Distribution::normal); };
    }
    for (auto n : {"he_uniform", "kaiming_uniform"}) {
      m[n] = [](const Args& a) { return he(a, Distribution::uniform); };
    }
    m["orthogonal"] = [](const Args& a) {
      const auto& p = positional(a, 0, 1, "orthogonal[:GAIN]");
      return Rule{Orthogonal{p.empty() ? 1.0 : positive(a, "GAIN", p[0])}};
    };
    m["identity"] = [](const Args& a) {
      const auto& p = positional(a, 0, 1, "identity[:ALPHA]");
      return Rule{Identity{p.empty() ? 1.0 : number(a, "ALPHA", p[0])}};
    };
    m["sparse"] = sparse;
    return m;
  }();
  return all;
}

}  // namespace

Initializer parse(std::string_view spec) {
  const Args a = split(spec);
  const auto& all = parsers();
  const auto it = all.find(a.name);
  if (it == all.end()) {
    std::string names;
    for (const auto& [name, p] : all) names += (names.empty() ? "" : ", ") + std::string(name);
    fail(spec, "unknown initializer '", a.name, "'; expected one of ", names,
         " (see initlab init --list)");
  }
  return Initializer(std::string(spec), it->second(a));
}

std::string spec_of(const Rule& rule) {
  struct Visitor {
    std::string operator()(const Constant& r) const { return "constant:" + num(r.value); }
    std::string operator()(const Uniform& r) const { return "uniform:" + num(r.a); }
    std::string operator()(const Normal& r) const { return "normal:" + num(r.std); }
    std::string operator()(const TruncatedNormal& r) const {
      return "truncated_normal:" + num(r.std) + "," + num(r.a) + "," + num(r.b);
    }
    std::string operator()(const VarianceScaling& r) const {
      return cat("variance_scaling:scale=", num(r.scale), ",mode=", to_string(r.mode),
                 ",distribution=", to_string(r.distribution));
    }
    std::string operator()(const Orthogonal& r) const { return "orthogonal:" + num(r.gain); }
    std::string operator()(const Identity& r) const { return "identity:" + num(r.alpha); }
    std::string operator()(const Sparse& r) const {
      return "sparse:" + num(r.sparsity) + "," + num(r.std);
    }
  };
  return std::visit(Visitor{}, rule);
}

}  // namespace initlab::init
