// Constant initialization: every weight equals one value.
//
//   w_ij = value
//
// zeros (and the note's "zero" initialization, Katanforoosh & Kunin 2019) is the
// textbook example of a bad start: every hidden unit of a layer computes the same
// function and receives the same gradient, so the symmetry is never broken.
// ones and constant:V follow PyTorch's ones_ / constant_.

#include <algorithm>

#include "init/detail.hpp"
#include "init/constant.hpp"
#include "init/spec_args.hpp"

namespace initlab::init {

// w (out, in) <- value
template <class T>
void Constant::operator()(std::span<T> w, FanShape s, const random::Stream&) const {
  detail::check_shape("constant", w.size(), s);
  std::fill(w.begin(), w.end(), static_cast<T>(value));
}

Moments Constant::moments(FanShape) const { return {value, 0.0}; }

std::string Constant::law() const { return "w = " + detail::num(value); }

template void Constant::operator()(std::span<float>, FanShape, const random::Stream&) const;
template void Constant::operator()(std::span<double>, FanShape, const random::Stream&) const;

std::string Constant::spec() const { return "constant:" + detail::num(value); }

const std::vector<Entry<Constant>>& Constant::entries() {
  static const std::vector<Entry<Constant>> all{
      {{"zeros"},
       [](const SpecArgs& a) { a.no_args(); return Constant{0.0}; },
       {"zeros", "w = 0", "0", "constant:0",
        "PyTorch zeros_; every unit stays identical (no symmetry breaking)"}},
      {{"ones"},
       [](const SpecArgs& a) { a.no_args(); return Constant{1.0}; },
       {"ones", "w = 1", "0", "constant:1", "PyTorch ones_"}},
      {{"constant"},
       [](const SpecArgs& a) { return Constant{a.number("V", a.positional(1, 1, "constant:V")[0])}; },
       {"constant:V", "w = V", "0", "-", "PyTorch constant_"}},
  };
  return all;
}

}  // namespace initlab::init
