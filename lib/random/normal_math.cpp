#include "random/normal_math.hpp"

#include <cmath>
#include <limits>
#include <numbers>

#include "core/error.hpp"

namespace initlab::random {

namespace {

// Horner evaluation of c[0] + c[1] r + ... + c[7] r^7.
double poly7(const double (&c)[8], double r) {
  double s = c[7];
  for (int i = 6; i >= 0; --i) s = s * r + c[i];
  return s;
}

// Wichura (1988), Algorithm AS241 PPND16: rational approximations of the normal
// quantile on three ranges, coefficients as published.
constexpr double kA[8] = {3.3871328727963666080e0, 1.3314166789178437745e+2,
                          1.9715909503065514427e+3, 1.3731693765509461125e+4,
                          4.5921953931549871457e+4, 6.7265770927008700853e+4,
                          3.3430575583588128105e+4, 2.5090809287301226727e+3};
constexpr double kB[8] = {1.0,
                          4.2313330701600911252e+1, 6.8718700749205790830e+2,
                          5.3941960214247511077e+3, 2.1213794301586595867e+4,
                          3.9307895800092710610e+4, 2.8729085735721942674e+4,
                          5.2264952788528545610e+3};
constexpr double kC[8] = {1.42343711074968357734e0, 4.63033784615654529590e0,
                          5.76949722146069140550e0, 3.64784832476320460504e0,
                          1.27045825245236838258e0, 2.41780725177450611770e-1,
                          2.27238449892691845833e-2, 7.74545014278341407640e-4};
constexpr double kD[8] = {1.0,
                          2.05319162663775882187e0, 1.67638483018380384940e0,
                          6.89767334985100004550e-1, 1.48103976427480074590e-1,
                          1.51986665636164571966e-2, 5.47593808499534494600e-4,
                          1.05075007164441684324e-9};
constexpr double kE[8] = {6.65790464350110377720e0, 5.46378491116411436990e0,
                          1.78482653991729133580e0, 2.96560571828504891230e-1,
                          2.65321895265761230930e-2, 1.24266094738807843860e-3,
                          2.71155556874348757815e-5, 2.01033439929228813265e-7};
constexpr double kF[8] = {1.0,
                          5.99832206555887937690e-1, 1.36929880922735805310e-1,
                          1.48753612908506148525e-2, 7.86869131145613259100e-4,
                          1.84631831751005468180e-5, 1.42151175831644588870e-7,
                          2.04426310338993978564e-15};

// x * phi(x), 0 at +-inf.
double x_pdf(double x) { return std::isinf(x) ? 0.0 : x * normal_pdf(x); }

}  // namespace

double normal_pdf(double x) {
  constexpr double inv_sqrt_2pi = 0.5 * std::numbers::inv_sqrtpi * std::numbers::sqrt2;
  return inv_sqrt_2pi * std::exp(-0.5 * x * x);
}

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }

double normal_mass(double a, double b) {
  if (a >= 0.0) return normal_cdf(-a) - normal_cdf(-b);
  if (b <= 0.0) return normal_cdf(b) - normal_cdf(a);
  // Straddles 0: 1 - P(Z < a) - P(Z > b), both tails small and positive.
  return 1.0 - normal_cdf(a) - normal_cdf(-b);
}

double normal_quantile(double p) {
  if (!(p >= 0.0 && p <= 1.0)) fail("normal_quantile", "p = ", p, ", expected 0 <= p <= 1");
  if (p == 0.0) return -std::numeric_limits<double>::infinity();
  if (p == 1.0) return std::numeric_limits<double>::infinity();
  const double q = p - 0.5;
  if (std::abs(q) <= 0.425) {
    const double r = 0.180625 - q * q;
    return q * poly7(kA, r) / poly7(kB, r);
  }
  double r = std::sqrt(-std::log(q < 0.0 ? p : 1.0 - p));
  double x;
  if (r <= 5.0) {
    r -= 1.6;
    x = poly7(kC, r) / poly7(kD, r);
  } else {
    r -= 5.0;
    x = poly7(kE, r) / poly7(kF, r);
  }
  return q < 0.0 ? -x : x;
}

TruncatedMoments truncated_normal_moments(double a, double b) {
  if (!(a < b)) fail("truncated_normal_moments", "[a, b] = [", a, ", ", b, "], expected a < b");
  const double mass = normal_mass(a, b);
  if (!(mass > 0.0)) {
    fail("truncated_normal_moments", "[a, b] = [", a, ", ", b,
         "] has normal mass ", mass, ", expected > 0 (bounds too far in the tail)");
  }
  const double mean = (normal_pdf(a) - normal_pdf(b)) / mass;
  const double variance = 1.0 + (x_pdf(a) - x_pdf(b)) / mass - mean * mean;
  return {mean, variance};
}

}  // namespace initlab::random
