#include "stats/layer_stats.hpp"

#include <cmath>
#include <limits>

#include <xtensor/xmath.hpp>
#include <xtensor/xoperation.hpp>
#include <xtensor/xreducer.hpp>

#include "core/error.hpp"

namespace initlab::stats {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr auto kNow = xt::evaluation_strategy::immediate;

// x (B, n) -> max |x| over both axes, as a double.
template <class T>
double max_abs(const Matrix<T>& x) {
  return static_cast<double>(xt::amax(xt::abs(x), {0, 1}, kNow)());
}

// mask (B, n) of 0/1 -> {fraction of entries set, fraction of columns set in every row}
template <class E>
std::pair<double, double> mask_fractions(const E& mask, std::size_t rows, std::size_t cols) {
  const xt::xtensor<double, 1> per_unit = xt::sum(mask, {0}, kNow);  // (n)
  const double entries = xt::sum(per_unit, {0}, kNow)();
  const double dead =
      xt::sum(xt::cast<double>(xt::equal(per_unit, static_cast<double>(rows))), {0}, kNow)();
  return {entries / static_cast<double>(rows * cols), dead / static_cast<double>(cols)};
}
}  // namespace

Saturation saturation_for(Activation f) {
  switch (f.kind) {
    case Activation::Kind::tanh: return Saturation::tanh_like;
    case Activation::Kind::sigmoid: return Saturation::sigmoid_like;
    case Activation::Kind::relu: return Saturation::relu_zero;
    case Activation::Kind::leaky_relu: return Saturation::leaky_negative;
    case Activation::Kind::linear: return Saturation::none;
  }
  return Saturation::none;
}

std::string_view describe(Saturation s) {
  switch (s) {
    case Saturation::tanh_like: return "saturated: |a| > 0.99";
    case Saturation::sigmoid_like: return "saturated: a < 0.01 or a > 0.99";
    case Saturation::relu_zero: return "inactive: a == 0";
    case Saturation::leaky_negative: return "negative side: h < 0";
    case Saturation::none: return "none (linear)";
  }
  return "none";
}

template <class T>
double log_mean_square(const Matrix<T>& x, double log_scale) {
  if (x.size() == 0) fail("stats::log_mean_square", "empty tensor ", shape_str(x.shape()));
  // x (B, n) -> 2 ln m + ln mean((x/m)^2), m = max |x|: exact for any finite x.
  const double m = max_abs(x);
  if (!std::isfinite(m)) return kNaN;
  if (m == 0.0) return -std::numeric_limits<double>::infinity();
  const double s = xt::mean(xt::square(xt::cast<double>(x) / m), {0, 1}, kNow)();
  if (!std::isfinite(s)) return kNaN;  // a NaN entry
  return 2.0 * (std::log(m) + log_scale) + std::log(s);
}

template <class T>
ForwardStats forward_stats(const Matrix<T>& h, const Matrix<T>& a, Activation f,
                           double log_scale) {
  if (h.shape() != a.shape() || h.size() == 0) {
    fail("stats::forward_stats", "h ", shape_str(h.shape()), " and a ", shape_str(a.shape()),
         "; expected the same non-empty (B, n) shape");
  }
  ForwardStats st;
  st.log_q = log_mean_square(h, log_scale);
  st.log_a2 = log_mean_square(a, log_scale);
  if (std::isnan(st.log_q) || std::isnan(st.log_a2)) {
    return {kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, false};
  }
  const double m = max_abs(a);
  if (m == 0.0) {
    st.log_var = -std::numeric_limits<double>::infinity();
    st.mean = 0.0;
  } else {
    // a (B, n) -> mean and centred variance over both axes, on a / m in [-1, 1].
    const auto scaled = xt::cast<double>(a) / m;
    const double mean_s = xt::mean(scaled, {0, 1}, kNow)();
    const double var_s = xt::variance(scaled, {0, 1}, 0u, kNow)();
    st.mean = mean_s * m * std::exp(log_scale);
    st.log_var = var_s > 0.0 ? std::log(var_s) + 2.0 * (std::log(m) + log_scale)
                             : -std::numeric_limits<double>::infinity();
  }
  const std::size_t B = h.shape()[0], n = h.shape()[1];
  std::pair<double, double> frac{kNaN, kNaN};
  switch (saturation_for(f)) {
    case Saturation::tanh_like:
      frac = mask_fractions(xt::cast<double>(xt::abs(a) > T(0.99)), B, n);
      break;
    case Saturation::sigmoid_like:
      frac = mask_fractions(xt::cast<double>(a < T(0.01) || a > T(0.99)), B, n);
      break;
    case Saturation::relu_zero:
      frac = mask_fractions(xt::cast<double>(xt::equal(a, T(0))), B, n);
      break;
    case Saturation::leaky_negative:
      frac = mask_fractions(xt::cast<double>(h < T(0)), B, n);
      break;
    case Saturation::none:
      break;
  }
  st.saturated = frac.first;
  st.dead = frac.second;
  return st;
}

template <class T>
BackwardStats backward_stats(const Matrix<T>& dh, const Matrix<T>& dW, double log_scale_dh,
                             double log_scale_dw) {
  BackwardStats st;
  st.log_grad2 = log_mean_square(dh, log_scale_dh);
  // ||dW||_F = sqrt(n_l n_{l-1} mean(dW^2))
  const double log_dw2 = log_mean_square(dW, log_scale_dw);
  st.log_dw_norm = 0.5 * (log_dw2 + std::log(static_cast<double>(dW.size())));
  st.finite = !std::isnan(st.log_grad2) && !std::isnan(st.log_dw_norm);
  return st;
}

#define INITLAB_STATS_INSTANTIATE(T)                                                        \
  template double log_mean_square<T>(const Matrix<T>&, double);                             \
  template ForwardStats forward_stats<T>(const Matrix<T>&, const Matrix<T>&, Activation, \
                                         double);                                           \
  template BackwardStats backward_stats<T>(const Matrix<T>&, const Matrix<T>&, double, double);
INITLAB_STATS_INSTANTIATE(float)
INITLAB_STATS_INSTANTIATE(double)
#undef INITLAB_STATS_INSTANTIATE

}  // namespace initlab::stats
