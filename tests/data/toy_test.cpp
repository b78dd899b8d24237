// The playground's 2-D sets and the course's circles: sizes, labels, geometry
// that holds for every draw, determinism.
#include "data/toy.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace {

using namespace initlab::data;
using initlab::random::Stream;

double radius(const Dataset& d, std::size_t i) { return std::hypot(d.x(i, 0), d.x(i, 1)); }

TEST(Toy, EverySetHas100PointsHalfOfEachClass) {
  for (auto t : {Toy::rings, Toy::spiral, Toy::checkerboard, Toy::gaussians}) {
    const Dataset d = make_toy(t, 100, Stream(7));
    EXPECT_EQ(d.size(), 100u) << to_string(t);
    EXPECT_EQ(d.dim(), 2u);
    EXPECT_EQ(d.classes, 2u);
    EXPECT_EQ(class_counts(d), (std::vector<std::size_t>{50, 50})) << to_string(t);
    for (std::size_t i = 0; i < 100; ++i) EXPECT_EQ(d.y[i], i < 50 ? 1 : 0);
  }
}

TEST(Toy, SameSeedSameSetOtherSeedOtherSet) {
  for (auto t : {Toy::rings, Toy::spiral, Toy::checkerboard, Toy::gaussians}) {
    const Dataset a = make_toy(t, 100, Stream(3));
    const Dataset b = make_toy(t, 100, Stream(3));
    const Dataset c = make_toy(t, 100, Stream(4));
    EXPECT_EQ(a.x, b.x) << to_string(t);
    EXPECT_NE(a.x, c.x) << to_string(t);
  }
}

TEST(Toy, RingsLieInTheirAnnuli) {
  const Dataset d = make_toy(Toy::rings, 100, Stream(11));
  for (std::size_t i = 0; i < 100; ++i) {
    const double r = radius(d, i);
    if (d.y[i] == 1) {
      EXPECT_GE(r, 3.0 - 1e-5);
      EXPECT_LE(r, 5.0 + 1e-5);
    } else {
      EXPECT_LE(r, 2.0 + 1e-5);
    }
  }
}

TEST(Toy, CheckerboardClassIsTheQuadrant) {
  const Dataset d = make_toy(Toy::checkerboard, 100, Stream(5));
  for (std::size_t i = 0; i < 100; ++i) {
    const float x1 = d.x(i, 0), x2 = d.x(i, 1);
    EXPECT_GE(std::abs(x1), 0.5f);
    EXPECT_LE(std::abs(x1), 5.0f);
    EXPECT_GE(std::abs(x2), 0.5f);
    EXPECT_LE(std::abs(x2), 5.0f);
    EXPECT_EQ(x1 * x2 > 0, d.y[i] == 1);
  }
}

TEST(Toy, GaussiansSitOnTheirSideOfTheDiagonal) {
  // y = 1 ~ N((-2,-2), I): x1 + x2 ~ N(-4, 2), so x1 + x2 > 0 has probability
  // Phi(-4/sqrt 2) = 2.3e-3 per point; the class means are the robust check:
  // the mean of 50 points of x1 + x2 is N(-4, 2/50), 6.5 sd = 1.3 away from
  // -4 has probability < 1e-10.
  const Dataset d = make_toy(Toy::gaussians, 100, Stream(9));
  double s1 = 0, s0 = 0;
  for (std::size_t i = 0; i < 100; ++i) (d.y[i] ? s1 : s0) += d.x(i, 0) + d.x(i, 1);
  EXPECT_NEAR(s1 / 50, -4.0, 1.3);
  EXPECT_NEAR(s0 / 50, 4.0, 1.3);
}

TEST(Toy, SpiralArmsAreOppositeAtTheirStart) {
  // Point 0 of each arm: angle 0 (y = 1) or pi (y = 0), radius N(1, 0.25) noise only.
  const Dataset d = make_toy(Toy::spiral, 100, Stream(2));
  EXPECT_NEAR(d.x(0, 1), -0.5f, 1e-6);   // sin(0) r - 0.5
  EXPECT_NEAR(d.x(50, 1), 0.5f, 1e-5);   // sin(pi) r + 0.5
}

TEST(Toy, ParsesNamesAndRejectsOthers) {
  EXPECT_EQ(parse_toy("rings"), Toy::rings);
  EXPECT_EQ(parse_toy("moon"), Toy::spiral);
  EXPECT_EQ(parse_toy("checkerboard"), Toy::checkerboard);
  EXPECT_EQ(parse_toy("gaussians"), Toy::gaussians);
  try {
    parse_toy("donut");
    ADD_FAILURE();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'donut'"), std::string::npos);
  }
  EXPECT_THROW(make_toy(Toy::rings, 7, Stream(1)), std::invalid_argument);
}

TEST(Circles, CourseSizesAndRadii) {
  const Dataset train = make_circles(300, 0.05, 0.8, Stream(1));
  const Dataset test = make_circles(100, 0.05, 0.8, Stream(2));
  EXPECT_EQ(train.size(), 300u);
  EXPECT_EQ(test.size(), 100u);
  EXPECT_EQ(class_counts(train), (std::vector<std::size_t>{150, 150}));
  // The noise is N(0, 0.05^2) per coordinate; 8 sd = 0.4 in |r - R| bounds the
  // radial error with probability > 1 - 1e-13 per point (|r - R| <= |e|, |e|^2/0.05^2 ~ chi2(2)).
  for (std::size_t i = 0; i < 300; ++i) {
    EXPECT_NEAR(radius(train, i), train.y[i] ? 0.8 : 1.0, 0.4);
  }
  const Dataset clean = make_circles(8, 0.0, 0.5, Stream(1));
  for (std::size_t i = 0; i < 8; ++i) EXPECT_NEAR(radius(clean, i), clean.y[i] ? 0.5 : 1.0, 1e-6);
  EXPECT_EQ(make_circles(300, 0.05, 0.8, Stream(1)).x, train.x);
}

TEST(Circles, RejectsBadArguments) {
  EXPECT_THROW(make_circles(1, 0.05, 0.8, Stream(1)), std::invalid_argument);
  EXPECT_THROW(make_circles(10, -1.0, 0.8, Stream(1)), std::invalid_argument);
  EXPECT_THROW(make_circles(10, 0.05, 1.0, Stream(1)), std::invalid_argument);
}

}  // namespace
