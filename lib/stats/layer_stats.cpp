#include "stats/layer_stats.hpp"

#include <cmath>
#include <limits>
#include <numbers>

#include "core/error.hpp"
#include "stats/scaled_sums.hpp"

namespace initlab::stats {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kLn2 = std::numbers::ln2;

// sums of a matrix of N entries -> ln(mean of x^2) + 2 log_scale (true values).
double log_mean_square_of(const detail::ScaledSums& s, double N, double log_scale) {
  if (!s.finite) return kNaN;
  if (s.s2 == 0.0) return -std::numeric_limits<double>::infinity();
  return 2.0 * (s.exponent * kLn2 + log_scale) + std::log(s.s2 / N);
}
}  // namespace

Saturation saturation_for(Activation f) {
  switch (f.kind) {
    case Activation::Kind::tanh: return Saturation::tanh_like;
    case Activation::Kind::sigmoid: return Saturation::sigmoid_like;
    case Activation::Kind::relu: return Saturation::relu_zero;
    case Activation::Kind::leaky_relu: return Saturation::leaky_negative;
    case Activation::Kind::linear: return Saturation::none;
    case Activation::Kind::erf: return Saturation::tanh_like;
    case Activation::Kind::selu: return Saturation::leaky_negative;
    case Activation::Kind::gelu:
    case Activation::Kind::silu:
    case Activation::Kind::softplus: return Saturation::none;
  }
  return Saturation::none;
}

std::string_view describe(Saturation s) {
  switch (s) {
    case Saturation::tanh_like: return "saturated: |a| > 0.99";
    case Saturation::sigmoid_like: return "saturated: a < 0.01 or a > 0.99";
    case Saturation::relu_zero: return "inactive: a == 0";
    case Saturation::leaky_negative: return "negative side: h < 0";
    case Saturation::none: return "none (not measured for this activation)";
  }
  return "none";
}

template <class T>
double log_mean_square(const Matrix<T>& x, double log_scale) {
  if (x.size() == 0) fail("stats::log_mean_square", "empty tensor ", shape_str(x.shape()));
  // x (B, n) -> 2 (E ln 2 + log_scale) + ln mean((x 2^-E)^2): exact for any finite x.
  const auto s = detail::scaled_sums(x.data(), x.shape()[0], x.shape()[1], false,
                                     Saturation::none, static_cast<const T*>(nullptr));
  return log_mean_square_of(s, static_cast<double>(x.size()), log_scale);
}

template <class T>
ForwardStats forward_stats(const Matrix<T>& h, const Matrix<T>& a, Activation f,
                           double log_scale) {
  if (h.shape() != a.shape() || h.size() == 0) {
    fail("stats::forward_stats", "h ", shape_str(h.shape()), " and a ", shape_str(a.shape()),
         "; expected the same non-empty (B, n) shape");
  }
  const std::size_t B = h.shape()[0], n = h.shape()[1];
  const double N = static_cast<double>(h.size());
  const Saturation sat = saturation_for(f);
  ForwardStats st;
  st.log_q = log_mean_square(h, log_scale);
  // a (B, n) -> second moment, mean, centred variance and the mask counts in one pass
  const T* mask_src = sat == Saturation::leaky_negative ? h.data() : a.data();
  const auto s = detail::scaled_sums(a.data(), B, n, true, sat, mask_src);
  st.log_a2 = log_mean_square_of(s, N, log_scale);
  if (std::isnan(st.log_q) || std::isnan(st.log_a2)) {
    return {kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, false};
  }
  if (s.s2 == 0.0) {
    st.log_var = -std::numeric_limits<double>::infinity();
    st.mean = 0.0;
  } else {
    const double scale = s.exponent * kLn2 + log_scale;
    st.mean = std::ldexp(s.s1 / N, s.exponent) * std::exp(log_scale);
    st.log_var = s.m2 > 0.0 ? std::log(s.m2 / N) + 2.0 * scale
                            : -std::numeric_limits<double>::infinity();
  }
  st.saturated = sat == Saturation::none ? kNaN : s.masked / N;
  st.dead = sat == Saturation::none ? kNaN : s.dead_columns / static_cast<double>(n);
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
