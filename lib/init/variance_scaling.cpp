// Variance scaling (Keras / JAX `VarianceScaling`): one rule behind the
// fan-scaled initializers. With n = fan(mode) (fan_in = in, fan_out = out,
// fan_avg = (in + out) / 2) every distribution has variance scale / n:
//
//   normal            w ~ N(0, scale / n)
//   truncated_normal  w = s * (Z | -2 <= Z <= 2),  s = sqrt(scale / n) / 0.87962566103423978
//   uniform           w ~ U(-L, L),  L = sqrt(3 scale / n)
//
// 0.87962566103423978 is the standard deviation of N(0, 1) truncated to [-2, 2], so
// the truncated draw's variance is scale / n (to rounding) as in Keras and JAX.
// The named rules are instances (registry.cpp):
//   lecun_*  scale 1, fan_in   (LeCun, Bottou, Orr & Mueller, "Efficient BackProp", 1998)
//   xavier_* scale gain^2, fan_avg   (Glorot & Bengio, AISTATS 2010)
//   he_*     scale gain^2, fan_in or fan_out, gain = calculate_gain   (He, Zhang, Ren & Sun,
//            "Delving deep into rectifiers", ICCV 2015, arXiv:1502.01852)
// The forward pass keeps its per-unit second moment with fan_in, the backward pass
// with fan_out (docs/theory.md §6).

#include <cmath>

#include "init/detail.hpp"
#include "init/initializer.hpp"
#include "random/normal_math.hpp"

namespace initlab::init {

namespace {
// Keras's constant: the std of N(0, 1) truncated to [-2, 2].
constexpr double kTruncatedStd = 0.87962566103423978;

double base_variance(const VarianceScaling& r, FanShape s) { return r.scale / fan(s, r.mode); }
double truncated_std(const VarianceScaling& r, FanShape s) {
  return std::sqrt(base_variance(r, s)) / kTruncatedStd;
}
double uniform_limit(const VarianceScaling& r, FanShape s) {
  return std::sqrt(3.0 * base_variance(r, s));
}
}  // namespace

// w (out, in) <- the distribution above, element i from element i of rng
template <class T>
void VarianceScaling::operator()(std::span<T> w, FanShape s, const random::Stream& rng) const {
  detail::check_shape("variance_scaling", w.size(), s);
  switch (distribution) {
    case Distribution::normal:
      rng.normal(w, T(0), static_cast<T>(std::sqrt(base_variance(*this, s))));
      break;
    case Distribution::truncated_normal:
      rng.truncated_normal(w, static_cast<T>(truncated_std(*this, s)), T(-2), T(2));
      break;
    case Distribution::uniform: {
      const T limit = static_cast<T>(uniform_limit(*this, s));
      rng.uniform(w, -limit, limit);
      break;
    }
  }
}

Moments VarianceScaling::moments(FanShape s) const {
  switch (distribution) {
    case Distribution::normal:
      return {0.0, base_variance(*this, s)};
    case Distribution::truncated_normal: {
      const double sd = truncated_std(*this, s);
      return {0.0, sd * sd * random::truncated_normal_moments(-2.0, 2.0).variance};
    }
    case Distribution::uniform: {
      const double limit = uniform_limit(*this, s);
      return {0.0, limit * limit / 3.0};
    }
  }
  return {};
}

std::string VarianceScaling::law() const {
  const std::string n(to_string(mode));
  const std::string v = detail::num(scale) + "/" + n;
  switch (distribution) {
    case Distribution::normal:
      return "N(0, " + v + ")";
    case Distribution::truncated_normal:
      return "s * N(0, 1) truncated to [-2, 2], s = sqrt(" + v + ") / 0.87962566103423978";
    case Distribution::uniform: {
      const std::string l = "sqrt(" + detail::num(3.0 * scale) + "/" + n + ")";
      return "U(-" + l + ", " + l + ")";
    }
  }
  return {};
}

template void VarianceScaling::operator()(std::span<float>, FanShape,
                                          const random::Stream&) const;
template void VarianceScaling::operator()(std::span<double>, FanShape,
                                          const random::Stream&) const;

}  // namespace initlab::init
