#pragma once
// The (out, in) shape of a weight matrix; fans follow PyTorch's definition:
// fan_in == W.shape()[1], fan_out == W.shape()[0]. No tensor library here.

#include <cstddef>

namespace initlab {

struct FanShape {
  std::size_t out = 0;
  std::size_t in = 0;
  std::size_t fan_in() const { return in; }
  std::size_t fan_out() const { return out; }
  double fan_avg() const { return 0.5 * static_cast<double>(in + out); }
  std::size_t size() const { return out * in; }
};

}  // namespace initlab
