// The input-averaged mean-field trajectory (see input_average.hpp).
#include "theory/input_average.hpp"

#include <cmath>
#include <limits>
#include <vector>

#include "core/error.hpp"

namespace initlab::theory {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kNegInf = -std::numeric_limits<double>::infinity();
const double kLnMax = std::log(std::numeric_limits<double>::max());

// ln(mean of exp(x_k)) with -inf entries allowed.
double log_mean_exp(const std::vector<double>& x) {
  double m = kNegInf;
  for (double v : x) m = std::max(m, v);
  if (m == kNegInf) return kNegInf;
  double s = 0.0;
  for (double v : x) s += std::exp(v - m);
  return m + std::log(s / static_cast<double>(x.size()));
}

double plain(double ln, bool& overflow) {
  if (std::isnan(ln) || ln > kLnMax) {
    overflow = true;
    return kNaN;
  }
  return std::exp(ln);
}

double mean_of(const std::vector<double>& x) {
  double s = 0.0;
  for (double v : x) s += v;
  return s / static_cast<double>(x.size());
}

// Layer i of the average of the per-input trajectories ts.
LayerTheory average_layer(const std::vector<Trajectory>& ts, std::size_t i) {
  const std::size_t K = ts.size();
  std::vector<double> q(K), second(K), var(K), qt(K), grad2(K), mean(K), dphi2(K), chi1(K);
  for (std::size_t k = 0; k < K; ++k) {
    const LayerTheory& y = ts[k].layers[i];
    q[k] = y.ln_q;
    second[k] = y.ln_second;
    var[k] = y.ln_variance;
    qt[k] = y.ln_qt;
    grad2[k] = y.ln_grad2;
    mean[k] = y.mean;
    dphi2[k] = y.dphi2;
    chi1[k] = y.chi1;
  }
  LayerTheory r = ts.front().layers[i];
  r.ln_q = log_mean_exp(q);
  r.ln_second = log_mean_exp(second);
  r.ln_qt = log_mean_exp(qt);
  r.ln_grad2 = log_mean_exp(grad2);
  r.mean = mean_of(mean);
  r.dphi2 = mean_of(dphi2);
  r.chi1 = mean_of(chi1);
  r.overflow = false;
  r.q = plain(r.ln_q, r.overflow);
  r.second = plain(r.ln_second, r.overflow);
  r.qt = plain(r.ln_qt, r.overflow);
  r.grad2 = plain(r.ln_grad2, r.overflow);
  const double pooled = std::isfinite(r.mean) && std::isfinite(r.second)
                            ? r.second - r.mean * r.mean
                            : kNaN;
  r.ln_variance = pooled > 0.0 ? std::log(pooled) : log_mean_exp(var);
  r.variance = plain(r.ln_variance, r.overflow);
  if (!std::isfinite(r.mean) || !std::isfinite(r.chi1)) r.overflow = true;
  return r;
}

}  // namespace

Trajectory input_average(const Architecture& arch, std::span<const double> q0s) {
  if (q0s.empty()) fail("theory::input_average", "no inputs, expected at least one q0");
  std::vector<Trajectory> ts;
  ts.reserve(q0s.size());
  Architecture a = arch;
  for (double q0 : q0s) {
    a.q0 = q0;  // trajectory() checks it
    ts.push_back(trajectory(a));
  }
  Trajectory t;
  const std::size_t L = ts.front().layers.size();
  t.layers.reserve(L);
  for (std::size_t i = 0; i < L; ++i) {
    t.layers.push_back(average_layer(ts, i));
    const LayerTheory& y = t.layers.back();
    if (y.overflow && t.overflow_at == 0) t.overflow_at = y.layer;
    const bool fwd = !std::isfinite(y.q) || !std::isfinite(y.second) || !std::isfinite(y.mean);
    if (fwd && t.forward_overflow_at == 0) t.forward_overflow_at = y.layer;
  }
  return t;
}

}  // namespace initlab::theory
