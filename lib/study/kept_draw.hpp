#pragma once
// The weights of one draw, kept by a worker of the variance study so that the
// pairs which draw the same weights copy them instead of drawing them again.
// Every activation of one init draws the same W^l and b^l for a seed (the draw
// depends on the init spec, the bias spec, the seed and the widths, never on the
// activation), and an orthogonal draw costs a Householder QR per layer: for a
// square n x n layer about (8/3) n^3 flops, as many as the layer's three GEMMs at
// batch 4n/9, at a lower rate than GEMM. A copy is a memcpy. Values are the
// same bit for bit: the copy is of what the network drew, taken before LSUV or
// the power-of-two rescaling touch it.
//
// Memory: one more set of weights and biases per worker, in the network's T.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "nn/network.hpp"

namespace initlab::study {

template <class T>
struct KeptDraw {
  static constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
  std::size_t group = kNone;  // the pairs' draw group (same init spec, bias, dtype)
  std::uint64_t seed = 0;
  std::vector<Matrix<T>> W;
  std::vector<Vector<T>> b;

  bool holds(std::size_t g, std::uint64_t s) const { return group == g && seed == s; }

  // Copies net's W^l, b^l (allocates only when the widths change).
  void keep(const nn::Network<T>& net, std::size_t g, std::uint64_t s) {
    net.copy_parameters_to(W, b);
    group = g;
    seed = s;
  }
};

}  // namespace initlab::study
