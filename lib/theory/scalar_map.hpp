#pragma once
// The scalar map a -> tanh(alpha a): what every unit of a tanh network with
// W = alpha I iterates (docs/theory.md, "A deterministic identity under tanh").
// For alpha > 1 its attracting fixed points are +-a*, a* > 0 the root of
// a = tanh(alpha a); the map's slope there is alpha (1 - a*^2) < 1, so the
// iteration saturates instead of exploding. For 0 <= alpha <= 1 the only fixed
// point is 0.

namespace initlab::theory {

// a* >= 0 with a* = tanh(alpha a*), the largest root (0 for alpha <= 1), by
// bisection to 1e-15. Throws std::invalid_argument for alpha < 0 or non-finite.
double tanh_fixed_point(double alpha);

// The slope d/da tanh(alpha a) at a*: alpha (1 - a*^2).
double tanh_fixed_point_slope(double alpha);

}  // namespace initlab::theory
