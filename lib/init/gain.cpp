// Recommended gains, as PyTorch's torch.nn.init.calculate_gain:
//
//   linear, identity, conv1d/2d/3d, conv_transpose1d/2d/3d   1
//   sigmoid                                                   1
//   tanh                                                      5/3
//   relu                                                      sqrt(2)
//   leaky_relu (negative slope s, default 0.01)               sqrt(2 / (1 + s^2))
//   selu                                                      3/4
//
// relu's sqrt(2) makes Var w = 2 / fan_in, which keeps E[relu(h)^2] at the input's
// second moment (He et al. 2015, arXiv:1502.01852); leaky_relu's generalises it.
// tanh's 5/3 and selu's 3/4 are PyTorch's conventions (for self-normalizing nets,
// Klambauer et al. 2017, PyTorch itself advises `linear`, gain 1). These are the
// conventional gains, not measured critical ones (lib/theory/ measures those).

#include <array>
#include <cmath>
#include <string_view>

#include "core/error.hpp"
#include "init/initializer.hpp"

namespace initlab::init {

bool has_calculate_gain(std::string_view activation) {
  for (auto name : {"linear", "identity", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
                    "conv_transpose2d", "conv_transpose3d", "sigmoid", "tanh", "relu", "selu",
                    "leaky_relu"}) {
    if (activation == name) return true;
  }
  return false;
}

double calculate_gain(std::string_view activation, double param) {
  constexpr std::array<std::string_view, 8> linear{
      "linear",          "identity",        "conv1d",          "conv2d",
      "conv3d",          "conv_transpose1d", "conv_transpose2d", "conv_transpose3d"};
  for (auto name : linear) {
    if (activation == name) return 1.0;
  }
  if (activation == "sigmoid") return 1.0;
  if (activation == "tanh") return 5.0 / 3.0;
  if (activation == "relu") return std::sqrt(2.0);
  if (activation == "selu") return 0.75;
  if (activation == "leaky_relu") {
    if (!std::isfinite(param)) {
      fail("calculate_gain", "leaky_relu slope ", param, " is not a finite number");
    }
    return std::sqrt(2.0 / (1.0 + param * param));
  }
  fail("calculate_gain", "unknown activation '", activation,
       "'; expected linear, identity, conv1d, conv2d, conv3d, conv_transpose1d, "
       "conv_transpose2d, conv_transpose3d, sigmoid, tanh, relu, leaky_relu or selu");
}

}  // namespace initlab::init
