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
#include "init/initializer.hpp"

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

}  // namespace initlab::init
