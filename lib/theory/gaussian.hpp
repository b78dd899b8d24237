#pragma once
// Gaussian expectations by the trapezoid rule, the quadrature behind every
// mean-field formula in lib/theory (docs/theory.md §3; Poole et al. 2016,
// arXiv:1606.05340, writes the length map q^l as such an integral).
//
//   E[f(sqrt(q) z)] = int f(sqrt(q) z) phi(z) dz,   phi(z) = exp(-z^2/2)/sqrt(2 pi)
//   ~= h sum_{k=-K..K} f(sqrt(q) k h) phi(k h),       K = ceil(9/h), h = min(0.5, 0.25/sqrt(q))
//
// The Gaussian weight is below 1e-17 beyond |z| = 9, and the trapezoid rule is
// spectrally accurate for integrands analytic in a strip around the real axis:
// with h = 0.25 in u = sqrt(q) z the tanh poles at u = +-i pi/2 limit the error to
// about exp(-2 pi (pi/2) / 0.25) = 7e-18 times the Gaussian weight at the pole,
// exp(pi^2 / (8 q)), which is largest at the corner q = 0.25 of the step rule.
// Measured (tests/theory/gaussian_test.cpp, against the same rule at h/4 on
// [-12, 12], 2001 values of q): error <= 1.9e-13 for E[tanh^2] and <= 1.2e-11 for
// E[sech^4] on q in [1e-4, 784], both maxima at q = 0.25; <= 1.3e-14 and <= 1.1e-12
// (the bounds of docs/theory.md §3) for q >= 0.6. 37 points at q <= 0.25, 73 at q = 1, 2017 at
// q = 784. Below q = 1e-4 the step stays 0.5 and the error stays relative (the
// integrand only gets smoother): E[tanh^2]/q to 1e-13. q = 0 is exact: f(0).
// Gauss-Hermite is NOT used for tanh: its poles make it converge slowly
// (96 nodes for 1e-10 at q = 1, hopeless at q >= 5).

#include <cstddef>
#include <functional>

namespace initlab::theory {

// The step of the rule at variance q: min(0.5, 0.25 / sqrt(q)).
double gauss_step(double q);
// The number of nodes the rule uses at variance q: 2 ceil(9 / h) + 1 (1 at q = 0).
std::size_t gauss_points(double q);

// E[f(sqrt(q) z)], z ~ N(0, 1). q >= 0 (throws std::invalid_argument otherwise).
// f receives u = sqrt(q) z, not z.
double gauss_expect(const std::function<double(double)>& f, double q);

// The same trapezoid sum with an explicit step h in z on [-zmax, zmax]
// (for reference values and convergence studies).
double gauss_expect_step(const std::function<double(double)>& f, double q, double h,
                         double zmax = 9.0);

// E[g(u)], u ~ N(0, q), q > 0, for g decaying like exp(-|u|) or faster (g below
// 1e-16 of its peak beyond |u| = 40) and analytic in a strip around the real axis:
// the trapezoid rule in u with step 0.25 on [-40, 40], weight phi(u / sqrt q) / sqrt q,
// 321 nodes whatever q (the large-q branch of the moments, docs/theory.md §3 and §23).
double gauss_expect_decaying(const std::function<double(double)>& g, double q);

// E[f(u1, u2)] for a centred Gaussian pair with Var u1 = q1, Var u2 = q2 and
// correlation c in [-1, 1] (Schoenholz et al. 2017, arXiv:1611.01232, section 2):
//   u1 = sqrt(q1) z1,  u2 = sqrt(q2) (c z1 + sqrt(1 - c^2) z2),  z1, z2 iid N(0, 1).
// Tensor-product trapezoid rule, each axis with the 1-D rule's step at
// max(q1, q2): 73^2 = 5329 nodes at q = 1, 2017^2 at q = 784. At |c| = 1 it reduces
// to the 1-D rule. Throws for max(q1, q2) > 1e4 (more than 7201^2 nodes).
// Measured accuracy (tests/theory/gaussian_test.cpp): <= 1.9e-13 for
// E[tanh(u1) tanh(u2)] against a reference at half the step, q in [1e-2, 10],
// c in [-0.9, 0.9999] (worst at q = 0.25); exact to rounding for bilinear f.
double gauss_expect2(const std::function<double(double, double)>& f, double q1, double q2,
                     double c);

}  // namespace initlab::theory
