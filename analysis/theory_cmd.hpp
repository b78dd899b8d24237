#pragma once
// Shared by the two files of `initlab theory`: theory_cmd.cpp (options, the
// trajectory, dispatch) and theory_critical.cpp (--critical-line, --critical).

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "net_option.hpp"
#include "theory/correlation_fixed_point.hpp"
#include "theory/meanfield.hpp"

namespace initlab::tool::theory_cmd {

using Json = nlohmann::ordered_json;

struct Options {
  std::string activation = "tanh";
  double sw2 = 1.0;
  std::vector<double> sb2;  // one value, or a list for --critical-line
  double q0 = 1.0;
  long long depth = 100;  // signed, so "-1" is an error rather than a huge size_t
  bool depth_given = false;
  std::vector<long long> widths_arg;
  std::vector<std::size_t> widths;  // validated widths_arg
  std::string mode = "fan_in";
  bool critical_line = false;
  std::string critical;
  std::string csv;
  std::string json;
  NetOption net;  // --net / --arch: the network gives activations, widths and Var W^l
};

inline const std::vector<double> kCriticalLineSb2 = {1e-4, 1e-3, 0.01, 0.05, 0.1, 0.2, 0.5};

inline void check_nonneg(const char* option, double v) {
  if (!(v >= 0.0) || !std::isfinite(v)) {
    fail("theory", option, " ", v, ": expected a finite value >= 0");
  }
}

inline double single_sb2(const Options& o) {
  if (o.sb2.size() > 1)
    fail("theory", "--sb2 takes one value here (a list only with --critical-line)");
  const double v = o.sb2.empty() ? 0.0 : o.sb2[0];
  check_nonneg("--sb2", v);
  return v;
}

// %.6g, or exp(LN) when the value is outside the double range.
inline std::string num(double plain, double ln) {
  char buf[64];
  if (std::isnan(plain)) {
    std::snprintf(buf, sizeof buf, "exp(%.6g)", ln);
  } else {
    std::snprintf(buf, sizeof buf, "%.6g", plain);
  }
  return buf;
}
inline std::string num(double v) { return num(v, v); }

// CSV cell: empty for NaN (out of double range), full precision otherwise.
inline std::string cell(double v) {
  if (std::isnan(v)) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

inline std::string scale_text(const theory::FixedPoint& p, const std::optional<double>& xi) {
  if (xi) return num(*xi);
  if (p.kind == theory::FixedPointKind::none) return "none (q^l diverges)";
  return "none (no exponential approach to q*)";
}

// Why the correlation map has no finite depth scale, or what its scale means.
inline std::string correlation_note(const theory::CorrelationFixedPoint& c) {
  using P = theory::CorrelationPhase;
  switch (c.phase) {
    case P::ordered:
      return "ordered: c* = 1 attracts, xi_c = -1/ln chi_1";
    case P::chaotic:
      return "chaotic: c* < 1 attracts, xi_c = -1/ln chi_c at c*";
    case P::critical:
      return "critical: chi_1 = 1, power-law approach to c* = 1, no finite xi_c";
    case P::scale_free:
      return "the correlation map does not depend on sw2 here (sb2 = 0 with linear/relu, or "
             "q^l -> 0 with tanh): slope 1 at c = 1, no finite xi_c";
    case P::no_fixed_point:
      return "no fixed point: q^l grows without bound, no stationary correlation map";
  }
  return "";
}

inline void print_correlation(const theory::CorrelationFixedPoint& c, std::ostream& os) {
  os << "correlation phase  " << theory::to_string(c.phase) << "\n"
     << "c*                 " << (std::isnan(c.c) ? std::string("none") : num(c.c)) << "\n"
     << "chi_c at c*        " << (std::isnan(c.chi_c) ? std::string("none") : num(c.chi_c))
     << "\n"
     << "xi_c               " << (c.xi_c ? num(*c.xi_c) : std::string("none")) << "  ("
     << correlation_note(c) << ")\n";
}

inline Json opt_json(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

// --net FILE for a network with residual or norm blocks: the block recursion.
void run_block_theory(const Options& o, const NetDescription& net);
// --critical-line: sw2_crit(sb2) where chi_1(q*) = 1.
void run_critical_line(const Options& o);
// --critical ACT: critical sw2, its gain, and PyTorch's calculate_gain.
void run_critical(const Options& o);

}  // namespace initlab::tool::theory_cmd
