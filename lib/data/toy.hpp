#pragma once
// The 2-D binary data sets of the seed note's playground and of the course
// exercise, all drawn from random::Stream (deterministic in the seed).
//
// Playground (n points, n even; the first n/2 have y = 1, the rest y = 0):
//   rings:        angle ~ U(0, 2 pi), radius 4 + U(-1, 1) (y = 1) or 1 + U(-1, 1) (y = 0)
//   spiral:       arm y = 1 at phase 0, arm y = 0 at phase pi; point i of m = n/2:
//                 angle i/m * pi + phase, radius 4 i/m + N(1, var 0.25),
//                 shifted by (y - 1/2) * (+1, -1)  (the note's "moon")
//   checkerboard: s = +-1 with probability 1/2, x1 = s U(0.5, 5),
//                 x2 = (2y - 1) s U(0.5, 5): y = 1 in quadrants I and III
//   gaussians:    y = 1 ~ N((-2, -2), I), y = 0 ~ N((2, 2), I)
// Course (sklearn.datasets.make_circles semantics): n_out = n / 2 points at
// angles 2 pi k / n_out on the unit circle (y = 0), n - n_out at angles
// 2 pi k / n_in on the circle of radius `factor` (y = 1), N(0, noise^2) added to
// each coordinate, then the rows shuffled.

#include <cstddef>
#include <string>
#include <string_view>

#include "data/dataset.hpp"
#include "random/stream.hpp"

namespace initlab::data {

enum class Toy { rings, spiral, checkerboard, gaussians };

// "rings" | "spiral" (alias "moon") | "checkerboard" | "gaussians"; throws naming
// the value and the choices.
Toy parse_toy(std::string_view name);
std::string_view to_string(Toy t);

// n points (n even, > 0) of the set; Dataset::classes == 2.
Dataset make_toy(Toy t, std::size_t n, const random::Stream& rng);

// make_circles(n, noise, factor) as above.
Dataset make_circles(std::size_t n, double noise, double factor, const random::Stream& rng);

}  // namespace initlab::data
