// The length map and the backward recursion over depth, in the log domain.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "core/error.hpp"
#include "theory/meanfield.hpp"
#include "theory/smooth_moments.hpp"

namespace initlab::theory {

namespace {

using Kind = Activation::Kind;

constexpr double kNegInf = -std::numeric_limits<double>::infinity();
const double kLnMax = std::log(std::numeric_limits<double>::max());

void check_nonneg(const char* func, const char* name, double v) {
  if (!(v >= 0.0) || !std::isfinite(v))
    fail(func, name, " = ", v, ", expected a finite value >= 0");
}

double safe_log(double x) { return x > 0.0 ? std::log(x) : kNegInf; }

// ln(e^a + e^b) with -inf allowed.
double log_add(double a, double b) {
  if (a == kNegInf) return b;
  if (b == kNegInf) return a;
  const double m = std::max(a, b);
  return m + std::log1p(std::exp(-std::fabs(a - b)));
}

bool homogeneous(Activation f) {
  return f.kind == Kind::linear || f.kind == Kind::relu || f.kind == Kind::leaky_relu;
}

// The moments of layer l from ln q^l. Homogeneous activations scale exactly
// (E[a^2] and Var(a) proportional to q, E[a] to sqrt(q)); the bounded ones are
// evaluated at q (finite: q^l <= sw2_l + sb2, checked by the caller), with the
// small-q expansion E[tanh^2] = q - 2 q^2 + O(q^3) below q = 1e-150, where q
// would otherwise reach the subnormal range.
struct LogMoments {
  double ln_second, ln_variance, mean, dphi2;
  bool mean_overflow = false;
};

LogMoments log_moments(Activation f, double ln_q) {
  LogMoments r{};
  if (homogeneous(f)) {
    const ActivationMoments unit = moments(f, 1.0);
    r.ln_second = safe_log(unit.second) + ln_q;
    r.ln_variance = safe_log(unit.variance) + ln_q;
    const double ln_sqrt_q = 0.5 * ln_q;
    r.mean_overflow = ln_sqrt_q + safe_log(std::fabs(unit.mean)) > kLnMax;
    r.mean = r.mean_overflow ? std::numeric_limits<double>::quiet_NaN()
                             : unit.mean * std::exp(ln_sqrt_q);
    r.dphi2 = unit.dphi2;
    return r;
  }
  if (detail::unbounded_smooth(f) && ln_q > std::log(1e250)) {
    // Beyond 1e250 these are relu-like to O(q^-1/2) relative: scale as the homogeneous ones.
    const ActivationMoments unit = detail::asymptotic_unit_moments(f);
    r.ln_second = std::log(unit.second) + ln_q;
    r.ln_variance = std::log(unit.variance) + ln_q;
    r.mean_overflow = 0.5 * ln_q + std::log(unit.mean) > kLnMax;
    r.mean = r.mean_overflow ? std::numeric_limits<double>::quiet_NaN()
                             : unit.mean * std::exp(0.5 * ln_q);
    r.dphi2 = unit.dphi2;
    return r;
  }
  if (detail::vanishes_at_zero(f) && f.kind != Kind::tanh && ln_q < std::log(1e-150)) {
    // Leading order in q (relative error O(sqrt q) < 1e-75), docs/theory.md §23.
    const detail::SmallQ c = detail::small_q_moments(f);
    r.ln_second = ln_q + std::log(c.second);
    r.ln_variance = ln_q + std::log(c.variance);
    const double q = std::exp(ln_q);
    r.mean = c.mean_sqrt * std::sqrt(q) + c.mean_linear * q;
    r.dphi2 = c.second_dphi2;
    return r;
  }
  if (f.kind == Kind::tanh && ln_q < std::log(1e-150)) {
    const double q = std::exp(ln_q);
    r.ln_second = ln_q + std::log1p(-2.0 * q);
    r.ln_variance = r.ln_second;
    r.mean = 0.0;
    r.dphi2 = moments(f, 0.0).dphi2;
    return r;
  }
  const ActivationMoments m = moments(f, std::exp(ln_q));
  r.ln_second = safe_log(m.second);
  r.ln_variance = safe_log(m.variance);
  r.mean = m.mean;
  r.dphi2 = m.dphi2;
  return r;
}

// exp(ln) if it is a finite double, else NaN and `overflow` set.
double plain(double ln, bool& overflow) {
  if (ln > kLnMax) {
    overflow = true;
    return std::numeric_limits<double>::quiet_NaN();
  }
  return std::exp(ln);
}

}  // namespace

double length_map(Activation f, double sw2, double sb2, double q) {
  check_nonneg("theory::length_map", "sw2", sw2);
  check_nonneg("theory::length_map", "sb2", sb2);
  return sw2 * second_moment(f, q) + sb2;
}

double chi1(Activation f, double sw2, double q) {
  check_nonneg("theory::chi1", "sw2", sw2);
  return sw2 * dphi2(f, q);
}

std::vector<double> weight_variances(double sw2, std::span<const std::size_t> widths,
                                     std::string_view mode) {
  check_nonneg("theory::weight_variances", "sw2", sw2);
  if (widths.size() < 2) {
    fail("theory::weight_variances", "widths ", shape_str(widths),
         ", expected n_0..n_L with L >= 1");
  }
  for (std::size_t n : widths) {
    if (n == 0)
      fail("theory::weight_variances", "widths ", shape_str(widths), ", expected every width > 0");
  }
  std::vector<double> v;
  for (std::size_t l = 1; l < widths.size(); ++l) {
    const auto n_in = static_cast<double>(widths[l - 1]);
    const auto n_out = static_cast<double>(widths[l]);
    if (mode == "fan_in") {
      v.push_back(sw2 / n_in);
    } else if (mode == "fan_out") {
      v.push_back(sw2 / n_out);
    } else if (mode == "fan_avg") {
      v.push_back(2.0 * sw2 / (n_in + n_out));
    } else {
      fail("theory::weight_variances", "mode '", mode, "', expected fan_in, fan_out or fan_avg");
    }
  }
  return v;
}

Architecture uniform_architecture(Activation f, double sw2, double sb2, double q0,
                                  std::size_t depth, std::size_t width) {
  if (depth == 0) fail("theory::uniform_architecture", "depth 0, expected depth >= 1");
  if (width == 0) fail("theory::uniform_architecture", "width 0, expected width >= 1");
  Architecture a;
  a.activations = {f};
  a.widths.assign(depth + 1, width);
  a.weight_variance = weight_variances(sw2, a.widths, "fan_in");
  a.sb2 = sb2;
  a.q0 = q0;
  return a;
}

Trajectory trajectory(const Architecture& arch) {
  const char* func = "theory::trajectory";
  const std::size_t L = arch.weight_variance.size();
  if (L == 0) fail(func, "no layers, expected weight_variance with L >= 1 entries");
  if (arch.widths.size() != L + 1) {
    fail(func, "widths has ", arch.widths.size(), " entries, expected L + 1 = ", L + 1);
  }
  if (arch.activations.size() != 1 && arch.activations.size() != L) {
    fail(func, arch.activations.size(), " activations, expected 1 or L = ", L);
  }
  for (std::size_t n : arch.widths) {
    if (n == 0) fail(func, "widths ", shape_str(arch.widths), ", expected every width > 0");
  }
  for (double v : arch.weight_variance) check_nonneg(func, "Var(W^l)", v);
  check_nonneg(func, "sb2", arch.sb2);
  check_nonneg(func, "q0", arch.q0);
  check_nonneg(func, "qt_last", arch.qt_last);
  // A bounded activation keeps q^l <= sw2_l + sb2; that bound must be a finite double.
  constexpr double kBig = 1e300;
  if (arch.sb2 > kBig) fail(func, "sb2 = ", arch.sb2, ", expected sb2 <= 1e300");

  auto phi = [&](std::size_t l) {
    return arch.activations.size() == 1 ? arch.activations[0] : arch.activations[l - 1];
  };
  Trajectory t;
  t.layers.resize(L);
  const double ln_sb2 = safe_log(arch.sb2);
  double ln_e_prev = safe_log(arch.q0);  // ln E[(a^{l-1})^2]
  std::vector<double> ln_e_in(L);        // ln E[(a^{l-1})^2] per layer, for the gradient
  for (std::size_t l = 1; l <= L; ++l) {
    LayerTheory& y = t.layers[l - 1];
    y.layer = l;
    y.sw2 = static_cast<double>(arch.widths[l - 1]) * arch.weight_variance[l - 1];
    const Activation f = phi(l);
    if (!homogeneous(f) && !detail::unbounded_smooth(f) && y.sw2 > kBig) {
      fail(func, "n_{l-1} Var(W^l) = ", y.sw2, " at layer ", l, ", expected <= 1e300");
    }
    ln_e_in[l - 1] = ln_e_prev;
    y.ln_q = log_add(safe_log(y.sw2) + ln_e_prev, ln_sb2);
    const LogMoments m = log_moments(f, y.ln_q);
    y.ln_second = m.ln_second;
    y.ln_variance = m.ln_variance;
    y.mean = m.mean;
    y.overflow = m.mean_overflow;
    y.dphi2 = m.dphi2;
    y.chi1 = y.sw2 * m.dphi2;
    if (!std::isfinite(y.chi1)) {
      y.chi1 = std::numeric_limits<double>::quiet_NaN();
      y.overflow = true;
    }
    y.q = plain(y.ln_q, y.overflow);
    y.second = plain(y.ln_second, y.overflow);
    y.variance = plain(y.ln_variance, y.overflow);
    ln_e_prev = y.ln_second;
    if (y.overflow && t.forward_overflow_at == 0) t.forward_overflow_at = l;
  }
  // Backward: qt^L = qt_last, qt^{l-1} = E[phi'(h^{l-1})^2] n_l Var(W^l) qt^l.
  double ln_qt = safe_log(arch.qt_last);
  for (std::size_t l = L; l >= 1; --l) {
    LayerTheory& y = t.layers[l - 1];
    y.ln_qt = ln_qt;
    y.ln_grad2 = ln_qt + ln_e_in[l - 1];
    if (ln_qt == kNegInf || ln_e_in[l - 1] == kNegInf) y.ln_grad2 = kNegInf;
    y.qt = plain(y.ln_qt, y.overflow);
    y.grad2 = plain(y.ln_grad2, y.overflow);
    if (l > 1) {
      const double back = static_cast<double>(arch.widths[l]) * arch.weight_variance[l - 1];
      const double ln_factor = safe_log(t.layers[l - 2].dphi2) + safe_log(back);
      ln_qt = (ln_qt == kNegInf || ln_factor == kNegInf) ? kNegInf : ln_qt + ln_factor;
    }
  }
  for (const LayerTheory& y : t.layers) {
    if (y.overflow) {
      t.overflow_at = y.layer;
      break;
    }
  }
  return t;
}

Trajectory trajectory(Activation f, double sw2, double sb2, double q0, std::size_t depth) {
  return trajectory(uniform_architecture(f, sw2, sb2, q0, depth));
}

}  // namespace initlab::theory
