#pragma once
// Tensor aliases used across initlab. Only the container header is included here;
// xtensor-blas (xlinalg) stays inside the few .cpp files that call BLAS.
//
// Conventions: a batch of activations is (B, n) row-major; weights are (out, in),
// so fan_in == W.shape()[1] and fan_out == W.shape()[0].

#include <cstddef>
#include <xtensor/xtensor.hpp>

namespace initlab {

template <class T>
using Matrix = xt::xtensor<T, 2>;
template <class T>
using Vector = xt::xtensor<T, 1>;

// The (out, in) shape of a weight matrix; fans follow PyTorch's definition.
struct FanShape {
  std::size_t out = 0;
  std::size_t in = 0;
  std::size_t fan_in() const { return in; }
  std::size_t fan_out() const { return out; }
  double fan_avg() const { return 0.5 * static_cast<double>(in + out); }
  std::size_t size() const { return out * in; }
};

}  // namespace initlab
