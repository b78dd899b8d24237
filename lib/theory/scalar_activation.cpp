// Scalar phi and phi' (see scalar_activation.hpp).
#include "theory/scalar_activation.hpp"

#include <cmath>

namespace initlab::theory {

double activate(Activation f, double u) {
  switch (f.kind) {
    case Activation::Kind::linear: return u;
    case Activation::Kind::tanh: return std::tanh(u);
    case Activation::Kind::relu: return u > 0.0 ? u : 0.0;
    case Activation::Kind::leaky_relu: return u > 0.0 ? u : f.slope * u;
    case Activation::Kind::sigmoid: return 1.0 / (1.0 + std::exp(-u));
  }
  return u;
}

double activate_derivative(Activation f, double u) {
  switch (f.kind) {
    case Activation::Kind::linear: return 1.0;
    case Activation::Kind::tanh: {
      const double t = std::tanh(u);
      return 1.0 - t * t;
    }
    case Activation::Kind::relu: return u > 0.0 ? 1.0 : 0.0;
    case Activation::Kind::leaky_relu: return u > 0.0 ? 1.0 : f.slope;
    case Activation::Kind::sigmoid: {
      const double s = 1.0 / (1.0 + std::exp(-u));
      return s * (1.0 - s);
    }
  }
  return 1.0;
}

}  // namespace initlab::theory
