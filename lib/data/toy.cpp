#include "data/toy.hpp"

#include <cmath>
#include <numbers>
#include <vector>

#include "core/error.hpp"

namespace initlab::data {

namespace {

constexpr double kPi = std::numbers::pi;

// Fixed sub-streams, so each quantity is drawn from its own independent stream.
enum Sub : std::uint64_t { kAngle = 0, kRadius = 1, kSign = 2, kX1 = 3, kX2 = 4, kNoise = 5, kOrder = 6 };

std::vector<double> normals(const random::Stream& s, std::size_t n, double mean, double sd) {
  std::vector<double> v(n);
  s.normal<double>(v, mean, sd);
  return v;
}

Dataset empty_set(std::string name, std::size_t n) {
  Dataset d;
  d.name = std::move(name);
  d.classes = 2;
  d.x = Matrix<float>::from_shape({n, 2});
  d.y.resize(n);
  return d;
}

void put(Dataset& d, std::size_t i, double x1, double x2, int y) {
  d.x(i, 0) = static_cast<float>(x1);
  d.x(i, 1) = static_cast<float>(x2);
  d.y[i] = static_cast<std::uint8_t>(y);
}

}  // namespace

Toy parse_toy(std::string_view name) {
  if (name == "rings") return Toy::rings;
  if (name == "spiral" || name == "moon") return Toy::spiral;
  if (name == "checkerboard") return Toy::checkerboard;
  if (name == "gaussians") return Toy::gaussians;
  fail("data::parse_toy", "unknown 2-D data set '", name,
       "'; expected rings, spiral, checkerboard or gaussians");
}

std::string_view to_string(Toy t) {
  switch (t) {
    case Toy::rings: return "rings";
    case Toy::spiral: return "spiral";
    case Toy::checkerboard: return "checkerboard";
    case Toy::gaussians: return "gaussians";
  }
  return "?";
}

Dataset make_toy(Toy t, std::size_t n, const random::Stream& rng) {
  if (n == 0 || n % 2 != 0) fail("data::make_toy", "n = ", n, "; expected a positive even count");
  const std::size_t m = n / 2;
  Dataset d = empty_set(std::string(to_string(t)), n);
  const auto angle = rng.split(kAngle);
  const auto radius = rng.split(kRadius);
  switch (t) {
    case Toy::rings:
      for (std::size_t i = 0; i < n; ++i) {
        const int y = i < m ? 1 : 0;
        const double a = 2.0 * kPi * angle.uniform01(i);
        const double r = (y == 1 ? 4.0 : 1.0) + (2.0 * radius.uniform01(i) - 1.0);
        put(d, i, r * std::cos(a), r * std::sin(a), y);
      }
      break;
    case Toy::spiral: {
      const auto noise = normals(radius, n, 1.0, 0.5);  // N(1, variance 0.25)
      for (std::size_t i = 0; i < n; ++i) {
        const int y = i < m ? 1 : 0;
        const double frac = static_cast<double>(i % m) / static_cast<double>(m);
        const double a = frac * kPi + (y == 1 ? 0.0 : kPi);
        const double r = 4.0 * frac + noise[i];
        const double shift = y - 0.5;
        put(d, i, r * std::cos(a) + shift, r * std::sin(a) - shift, y);
      }
      break;
    }
    case Toy::checkerboard: {
      const auto sign = rng.split(kSign);
      const auto u1 = rng.split(kX1);
      const auto u2 = rng.split(kX2);
      for (std::size_t i = 0; i < n; ++i) {
        const int y = i < m ? 1 : 0;
        const double s = sign.uniform01(i) < 0.5 ? 1.0 : -1.0;
        const double x1 = (0.5 + 4.5 * u1.uniform01(i)) * s;
        const double x2 = (2.0 * y - 1.0) * (0.5 + 4.5 * u2.uniform01(i)) * s;
        put(d, i, x1, x2, y);
      }
      break;
    }
    case Toy::gaussians: {
      const auto z1 = normals(rng.split(kX1), n, 0.0, 1.0);
      const auto z2 = normals(rng.split(kX2), n, 0.0, 1.0);
      for (std::size_t i = 0; i < n; ++i) {
        const int y = i < m ? 1 : 0;
        const double mean = y == 1 ? -2.0 : 2.0;
        put(d, i, mean + z1[i], mean + z2[i], y);
      }
      break;
    }
  }
  return d;
}

Dataset make_circles(std::size_t n, double noise, double factor, const random::Stream& rng) {
  if (n < 2) fail("data::make_circles", "n = ", n, "; expected at least 2 points");
  if (!(noise >= 0.0) || !std::isfinite(noise)) {
    fail("data::make_circles", "noise = ", noise, "; expected a finite value >= 0");
  }
  if (!(factor > 0.0 && factor < 1.0)) {
    fail("data::make_circles", "factor = ", factor, "; expected 0 < factor < 1");
  }
  const std::size_t n_out = n / 2;
  const std::size_t n_in = n - n_out;
  Dataset d = empty_set("circles", n);
  auto e1 = normals(rng.split(kX1), n, 0.0, 1.0);
  auto e2 = normals(rng.split(kX2), n, 0.0, 1.0);
  for (std::size_t i = 0; i < n; ++i) {
    e1[i] *= noise;
    e2[i] *= noise;
  }
  for (std::size_t k = 0; k < n_out; ++k) {
    const double a = 2.0 * kPi * static_cast<double>(k) / static_cast<double>(n_out);
    put(d, k, std::cos(a) + e1[k], std::sin(a) + e2[k], 0);
  }
  for (std::size_t k = 0; k < n_in; ++k) {
    const double a = 2.0 * kPi * static_cast<double>(k) / static_cast<double>(n_in);
    const std::size_t i = n_out + k;
    put(d, i, factor * std::cos(a) + e1[i], factor * std::sin(a) + e2[i], 1);
  }
  return permute(d, rng.split(kOrder));
}

}  // namespace initlab::data
