// Uniform initialization on a symmetric interval.
//
//   w_ij ~ U(-a, a),   E w = 0,   Var w = a^2 / 3,   E w^4 = a^4 / 5
//
// The building block of LeCun (LeCun, Bottou, Orr & Mueller, "Efficient
// BackProp", 1998), Glorot (Glorot & Bengio, "Understanding the difficulty of
// training deep feedforward neural networks", AISTATS 2010) and He uniform
// initializations, which choose a from the fans (see variance_scaling.cpp).
// Follows PyTorch's uniform_(-a, a).

#include "init/detail.hpp"
#include "init/uniform.hpp"
#include "init/spec_args.hpp"

namespace initlab::init {

// w (out, in) <- U(-a, a), element i from element i of rng
template <class T>
void Uniform::operator()(std::span<T> w, FanShape s, const random::Stream& rng) const {
  detail::check_shape("uniform", w.size(), s);
  rng.uniform(w, static_cast<T>(-a), static_cast<T>(a));
}

Moments Uniform::moments(FanShape) const { return {0.0, a * a / 3.0}; }

std::string Uniform::law() const {
  return "U(-" + detail::num(a) + ", " + detail::num(a) + ")";
}

template void Uniform::operator()(std::span<float>, FanShape, const random::Stream&) const;
template void Uniform::operator()(std::span<double>, FanShape, const random::Stream&) const;

std::string Uniform::spec() const { return "uniform:" + detail::num(a); }

const std::vector<Entry<Uniform>>& Uniform::entries() {
  static const std::vector<Entry<Uniform>> all{
      {{"uniform"},
       [](const SpecArgs& s) { return Uniform{s.positive("A", s.positional(1, 1, "uniform:A")[0])}; },
       {"uniform:A", "U(-A, A)", "A^2/3", "-", "PyTorch uniform_(-A, A)"}},
  };
  return all;
}

}  // namespace initlab::init
