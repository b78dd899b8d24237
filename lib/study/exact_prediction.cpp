// Exact forward and backward second moments for deterministic weights (see exact_prediction.hpp).
#include "study/exact_prediction.hpp"

#include <cmath>
#include <limits>
#include <numeric>
#include <variant>

#include "core/error.hpp"
#include "theory/scalar_activation.hpp"

namespace initlab::study {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Sums over every (row, unit) of one layer.
struct LayerSums {
  double h2 = 0.0, a2 = 0.0, a = 0.0, dphi2 = 0.0, entries = 0.0;
  double qt = 0.0, grad2 = 0.0, rows = 0.0;
};

struct Weights {
  bool identity = true;  // else constant
  double value = 0.0;    // alpha or v
};

// a (n_in) -> h = W a (n_out) for W = alpha I or v 1 1^T.
std::vector<double> apply(const Weights& w, const std::vector<double>& a, std::size_t n_out) {
  std::vector<double> h(n_out, 0.0);
  if (w.identity) {
    for (std::size_t i = 0; i < std::min(n_out, a.size()); ++i) h[i] = w.value * a[i];
    return h;
  }
  const double s = std::accumulate(a.begin(), a.end(), 0.0);
  for (double& x : h) x = w.value * s;
  return h;
}

double mean_of(const std::vector<double>& x) {
  return std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
}

// Forward through layer l: adds the layer's sums, returns a^l, keeps phi'(h^l).
std::vector<double> forward_layer(const Weights& w, Activation f, const std::vector<double>& a,
                                  std::size_t n_out, LayerSums& s, std::vector<double>& dphi) {
  const std::vector<double> h = apply(w, a, n_out);
  std::vector<double> out(n_out);
  dphi.resize(n_out);
  for (std::size_t i = 0; i < n_out; ++i) {
    out[i] = theory::activate(f, h[i]);
    dphi[i] = theory::activate_derivative(f, h[i]);
    s.h2 += h[i] * h[i];
    s.a2 += out[i] * out[i];
    s.a += out[i];
    s.dphi2 += dphi[i] * dphi[i];
  }
  s.entries += static_cast<double>(n_out);
  return out;
}

// c^l = E[(dh^l)^2] per unit -> c^{l-1}; `total` carries s_l = E[(sum_i dh^l_i)^2].
std::vector<double> backward_layer(const Weights& w, const std::vector<double>& c,
                                   const std::vector<double>& dphi_prev, double& total) {
  std::vector<double> prev(dphi_prev.size(), 0.0);
  const double w2 = w.value * w.value;
  if (w.identity) {
    for (std::size_t j = 0; j < std::min(c.size(), prev.size()); ++j) {
      prev[j] = dphi_prev[j] * dphi_prev[j] * w2 * c[j];
    }
    return prev;
  }
  double sum_dphi = 0.0;
  for (std::size_t j = 0; j < prev.size(); ++j) {
    prev[j] = dphi_prev[j] * dphi_prev[j] * w2 * total;
    sum_dphi += dphi_prev[j];
  }
  total = w2 * sum_dphi * sum_dphi * total;
  return prev;
}

// One input row through every layer and back.
void add_row(const Weights& w, Activation f, std::span<const std::size_t> widths, const double* x,
             std::vector<LayerSums>& sums) {
  const std::size_t L = widths.size() - 1;
  std::vector<std::vector<double>> dphi(L);
  std::vector<double> e_in(L);  // |a^{l-1}|^2 / n_{l-1}
  std::vector<double> a(x, x + widths[0]);
  for (std::size_t l = 1; l <= L; ++l) {
    double e = 0.0;
    for (double v : a) e += v * v;
    e_in[l - 1] = e / static_cast<double>(a.size());
    a = forward_layer(w, f, a, widths[l], sums[l - 1], dphi[l - 1]);
  }
  std::vector<double> c(widths[L], 1.0);  // g ~ N(0, I)
  double total = static_cast<double>(widths[L]);
  for (std::size_t l = L; l >= 1; --l) {
    const double qt = mean_of(c);
    sums[l - 1].qt += qt;
    sums[l - 1].grad2 += qt * e_in[l - 1];
    sums[l - 1].rows += 1.0;
    if (l > 1) c = backward_layer(w, c, dphi[l - 2], total);
  }
}

// ln of a finite positive double, -inf for 0; NaN (and overflow) otherwise.
double checked_log(double x, bool& overflow) {
  if (!std::isfinite(x)) {
    overflow = true;
    return kNaN;
  }
  return x > 0.0 ? std::log(x) : -std::numeric_limits<double>::infinity();
}

theory::LayerTheory to_layer(const LayerSums& s, std::size_t l, double sw2) {
  theory::LayerTheory y;
  y.layer = l;
  y.sw2 = sw2;
  y.q = s.h2 / s.entries;
  y.second = s.a2 / s.entries;
  y.mean = s.a / s.entries;
  y.variance = y.second - y.mean * y.mean;
  y.dphi2 = s.dphi2 / s.entries;
  y.chi1 = sw2 * y.dphi2;
  y.qt = s.qt / s.rows;
  y.grad2 = s.grad2 / s.rows;
  y.ln_q = checked_log(y.q, y.overflow);
  y.ln_second = checked_log(y.second, y.overflow);
  y.ln_variance = checked_log(std::max(y.variance, 0.0), y.overflow);
  y.ln_qt = checked_log(y.qt, y.overflow);
  y.ln_grad2 = checked_log(y.grad2, y.overflow);
  for (double* v : {&y.q, &y.second, &y.mean, &y.variance, &y.qt, &y.grad2, &y.chi1}) {
    if (!std::isfinite(*v)) *v = kNaN;
  }
  return y;
}

}  // namespace

bool has_exact_prediction(const init::Initializer& ini, double bias_std) {
  const auto& r = ini.rule();
  return bias_std == 0.0 &&
         (std::holds_alternative<init::Identity>(r) || std::holds_alternative<init::Constant>(r));
}

theory::Trajectory exact_trajectory(const init::Initializer& ini, Activation f,
                                    std::span<const std::size_t> widths,
                                    std::span<const Matrix<double>> inputs) {
  const char* func = "study::exact_trajectory";
  if (!has_exact_prediction(ini, 0.0)) fail(func, "init '", ini.spec(), "', expected identity or constant");
  if (widths.size() < 2) fail(func, "widths ", shape_str(widths), ", expected n_0 and at least one layer");
  Weights w;
  if (const auto* id = std::get_if<init::Identity>(&ini.rule())) {
    w = {true, id->alpha};
  } else {
    w = {false, std::get<init::Constant>(ini.rule()).value};
  }
  const std::size_t L = widths.size() - 1;
  std::vector<LayerSums> sums(L);
  for (const Matrix<double>& x : inputs) {
    if (x.shape()[1] != widths[0]) fail(func, "input ", shape_str(x.shape()), ", expected n_0 = ", widths[0], " columns");
    for (std::size_t r = 0; r < x.shape()[0]; ++r) add_row(w, f, widths, x.data() + r * widths[0], sums);
  }
  theory::Trajectory t;
  for (std::size_t l = 1; l <= L; ++l) {
    const init::Moments m = ini.moments(FanShape{widths[l], widths[l - 1]});
    const double sw2 = static_cast<double>(widths[l - 1]) * (m.variance + m.mean * m.mean);
    t.layers.push_back(to_layer(sums[l - 1], l, sw2));
    const theory::LayerTheory& y = t.layers.back();
    if (y.overflow && t.overflow_at == 0) t.overflow_at = l;
    if (!std::isfinite(y.ln_q) && std::isnan(y.ln_q) && t.forward_overflow_at == 0) t.forward_overflow_at = l;
  }
  return t;
}

}  // namespace initlab::study
