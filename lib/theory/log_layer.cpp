// One dense layer of the mean-field recursion in the log domain (log_layer.hpp).
#include "theory/log_layer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "theory/smooth_moments.hpp"

namespace initlab::theory::detail {

namespace {

using Kind = Activation::Kind;

constexpr double kNegInf = -std::numeric_limits<double>::infinity();
const double kLnMax = std::log(std::numeric_limits<double>::max());
constexpr double kBig = 1e300;

// The moments of layer l from ln q^l. Homogeneous activations scale exactly
// (E[a^2] and Var(a) proportional to q, E[a] to sqrt(q)); the bounded ones are
// evaluated at q (finite: q^l <= sw2_l + sb2, checked by the caller), with the
// small-q expansion E[tanh^2] = q - 2 q^2 + O(q^3) below q = 1e-150, where q
// would otherwise reach the subnormal range.
struct LogMoments {
  double ln_second, ln_variance, mean, dphi2;
  bool mean_overflow = false;
};

// A homogeneous activation, or an unbounded smooth one beyond q = 1e250: the
// moments at q = 1 (`unit`) scaled by q (sqrt(q) for the mean).
LogMoments scaled(const ActivationMoments& unit, double ln_q) {
  LogMoments r{};
  r.ln_second = safe_log(unit.second) + ln_q;
  r.ln_variance = safe_log(unit.variance) + ln_q;
  const double ln_sqrt_q = 0.5 * ln_q;
  r.mean_overflow = ln_sqrt_q + safe_log(std::fabs(unit.mean)) > kLnMax;
  r.mean = r.mean_overflow ? std::numeric_limits<double>::quiet_NaN()
                           : unit.mean * std::exp(ln_sqrt_q);
  r.dphi2 = unit.dphi2;
  return r;
}

bool asymptotic(Activation f, double ln_q) {
  return unbounded_smooth(f) && ln_q > std::log(1e250);
}

LogMoments log_moments(Activation f, double ln_q) {
  if (homogeneous(f)) return scaled(moments(f, 1.0), ln_q);
  // Beyond 1e250 these are relu-like to O(q^-1/2) relative: scale as the homogeneous ones.
  if (asymptotic(f, ln_q)) return scaled(asymptotic_unit_moments(f), ln_q);
  LogMoments r{};
  if (vanishes_at_zero(f) && f.kind != Kind::tanh && ln_q < std::log(1e-150)) {
    // Leading order in q (relative error O(sqrt q) < 1e-75), docs/theory.md §23.
    const SmallQ c = small_q_moments(f);
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

}  // namespace

double safe_log(double x) { return x > 0.0 ? std::log(x) : kNegInf; }

double log_add(double a, double b) {
  if (a == kNegInf) return b;
  if (b == kNegInf) return a;
  const double m = std::max(a, b);
  return m + std::log1p(std::exp(-std::fabs(a - b)));
}

double plain(double ln, bool& overflow) {
  if (ln > kLnMax) {
    overflow = true;
    return std::numeric_limits<double>::quiet_NaN();
  }
  return std::exp(ln);
}

bool homogeneous(Activation f) {
  return f.kind == Kind::linear || f.kind == Kind::relu || f.kind == Kind::leaky_relu;
}

void forward_layer(LayerTheory& y, Activation f, double ln_e_in, double ln_sb2, const char* func) {
  if (!homogeneous(f) && !unbounded_smooth(f) && y.sw2 > kBig) {
    fail(func, "n_{l-1} Var(W^l) = ", y.sw2, " at layer ", y.layer, ", expected <= 1e300");
  }
  y.ln_q = log_add(safe_log(y.sw2) + ln_e_in, ln_sb2);
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
}

double mean_ratio(Activation f, const LayerTheory& y) {
  if (y.ln_second == kNegInf) return 0.0;
  if (homogeneous(f) || asymptotic(f, y.ln_q)) {
    const ActivationMoments u = homogeneous(f) ? moments(f, 1.0) : asymptotic_unit_moments(f);
    return u.mean / std::sqrt(u.second);
  }
  if (y.mean == 0.0) return 0.0;
  const double r = std::copysign(std::exp(std::log(std::fabs(y.mean)) - 0.5 * y.ln_second), y.mean);
  return std::clamp(r, -1.0, 1.0);
}

}  // namespace initlab::theory::detail
