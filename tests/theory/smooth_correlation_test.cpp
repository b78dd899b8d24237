// Pair expectations of the smooth activations (lib/theory/correlation.cpp,
// correlation_fixed_point.cpp): erf's closed forms (Williams 1997) against the tensor
// rule, and the identities c = 1 (the second moment) and c = 0 (the squared mean)
// for the ones computed by the rule.
#include <gtest/gtest.h>

#include <cmath>

#include "theory/correlation_fixed_point.hpp"
#include "theory/meanfield.hpp"
#include "theory/scalar_activation.hpp"

namespace initlab::theory {
namespace {

using Kind = Activation::Kind;

// The tensor rule is accurate to 1.9e-13 for tanh-like integrands (gaussian.hpp).
TEST(SmoothCorrelation, ErfClosedFormsMatchTheTensorRule) {
  const Activation f{Kind::erf};
  for (double q1 : {0.3, 1.0, 3.0}) {
    for (double q2 : {0.5, 2.0}) {
      for (double c : {-0.7, 0.0, 0.4, 0.95}) {
        const double p = gauss_expect2([&](double a, double b) { return activate(f, a) * activate(f, b); },
                                       q1, q2, c);
        const double d = gauss_expect2(
            [&](double a, double b) { return activate_derivative(f, a) * activate_derivative(f, b); }, q1, q2, c);
        EXPECT_NEAR(expected_product(f, q1, q2, c), p, 2e-13) << q1 << ' ' << q2 << ' ' << c;
        EXPECT_NEAR(expected_derivative_product(f, q1, q2, c), d, 2e-13)
            << q1 << ' ' << q2 << ' ' << c;
      }
    }
  }
}

// c = 1: E[activate(u)^2] and E[phi'(u)^2]; c = 0: E[phi]^2 and E[phi']^2 (independent pair).
TEST(SmoothCorrelation, IdentitiesAtFullAndZeroCorrelation) {
  for (Kind k : {Kind::gelu, Kind::silu, Kind::softplus, Kind::erf}) {
    const Activation f{k};
    for (double q : {0.2, 1.0, 5.0}) {
      const ActivationMoments m = moments(f, q);
      const double tol = 2e-13 * std::fmax(1.0, q);
      EXPECT_NEAR(expected_product(f, q, q, 1.0), m.second, tol) << f.name() << ' ' << q;
      EXPECT_NEAR(expected_product(f, q, q, 0.0), m.mean * m.mean, tol) << f.name() << ' ' << q;
      EXPECT_NEAR(expected_derivative_product(f, q, q, 1.0), m.dphi2, 2e-13)
          << f.name() << ' ' << q;
      EXPECT_NEAR(correlation_map(f, 1.5, 0.1, q, 1.0), 1.0, 1e-12) << f.name() << ' ' << q;
    }
  }
}

}  // namespace
}  // namespace initlab::theory
