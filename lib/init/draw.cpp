#include "init/draw.hpp"

#include <span>

namespace initlab::init {

// -> w (s.out, s.in)
template <class T>
Matrix<T> draw(const Initializer& ini, FanShape s, const random::Stream& rng) {
  checked_entries("init", "shape", s.out, s.in, sizeof(T));
  Matrix<T> w = Matrix<T>::from_shape({s.out, s.in});
  ini(std::span<T>(w.data(), w.size()), s, rng);
  return w;
}

template Matrix<float> draw(const Initializer&, FanShape, const random::Stream&);
template Matrix<double> draw(const Initializer&, FanShape, const random::Stream&);

}  // namespace initlab::init
