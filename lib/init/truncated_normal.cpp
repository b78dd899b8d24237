// Truncated Gaussian initialization, bounds in units of the standard deviation.
//
//   w_ij = std * Z,   Z ~ N(0, 1) conditioned on a <= Z <= b   (default a = -2, b = 2)
//   E w = std * m(a, b),   Var w = std^2 * v(a, b),
//   m = (phi(a) - phi(b)) / M,   v = 1 + (a phi(a) - b phi(b)) / M - m^2,   M = Phi(b) - Phi(a)
//
// The variance is NOT std^2: on [-2, 2] it is 0.7737 std^2 (v = 0.87962566103423978^2),
// which is why Keras divides its std by 0.8796... in variance_scaling (see
// variance_scaling.cpp). Johnson, Kotz & Balakrishnan, "Continuous Univariate
// Distributions" vol. 1, ch. 13 (the moments). PyTorch's trunc_normal_(mean, std, a, b)
// takes absolute bounds: truncated_normal:S,a,b equals trunc_normal_(0, S, a*S, b*S).

#include "init/detail.hpp"
#include "init/truncated_normal.hpp"
#include "init/spec_args.hpp"
#include "random/normal_math.hpp"

namespace initlab::init {

// w (out, in) <- std * (Z | a <= Z <= b), element i from element i of rng
template <class T>
void TruncatedNormal::operator()(std::span<T> w, FanShape s, const random::Stream& rng) const {
  detail::check_shape("truncated_normal", w.size(), s);
  rng.truncated_normal(w, static_cast<T>(std), static_cast<T>(a), static_cast<T>(b));
}

Moments TruncatedNormal::moments(FanShape) const {
  const auto t = random::truncated_normal_moments(a, b);
  return {std * t.mean, std * std * t.variance};
}

std::string TruncatedNormal::law() const {
  return detail::num(std) + " * N(0, 1) truncated to [" + detail::num(a) + ", " +
         detail::num(b) + "]";
}

template void TruncatedNormal::operator()(std::span<float>, FanShape,
                                          const random::Stream&) const;
template void TruncatedNormal::operator()(std::span<double>, FanShape,
                                          const random::Stream&) const;

std::string TruncatedNormal::spec() const {
  return "truncated_normal:" + detail::num(std) + "," + detail::num(a) + "," + detail::num(b);
}

namespace {
// truncated_normal:STD[,a,b]; bounds must hold some mass of N(0, 1).
TruncatedNormal parse_truncated_normal(const SpecArgs& s) {
  const auto& p = s.positional(1, 3, "truncated_normal:STD[,a,b]");
  if (p.size() == 2) fail(s.spec(), "expected truncated_normal:STD[,a,b] (both bounds or none)");
  TruncatedNormal r{s.positive("STD", p[0]), -2.0, 2.0};
  if (p.size() == 3) {
    r.a = s.number("a", p[1]);
    r.b = s.number("b", p[2]);
    if (!(r.a < r.b)) fail(s.spec(), "bounds must satisfy a < b, got a = ", p[1], ", b = ", p[2]);
    if (random::normal_mass(r.a, r.b) < 1e-300) {
      fail(s.spec(), "N(0, 1) has no mass on [", p[1], ", ", p[2], "]; expected bounds nearer 0");
    }
  }
  return r;
}
}  // namespace

const std::vector<Entry<TruncatedNormal>>& TruncatedNormal::entries() {
  static const std::vector<Entry<TruncatedNormal>> all{
      {{"truncated_normal"},
       parse_truncated_normal,
       {"truncated_normal:STD[,a,b]",
        "STD * (Z | a <= Z <= b), Z ~ N(0, 1); bounds in units of STD, default -2, 2",
        "STD^2 * Var(Z | a <= Z <= b) (0.77374 STD^2 on [-2, 2])",
        "-",
        "PyTorch trunc_normal_(0, STD, a*STD, b*STD) (PyTorch's bounds are absolute)"}},
  };
  return all;
}

}  // namespace initlab::init
