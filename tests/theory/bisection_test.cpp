// The root-finder of lib/theory (theory/bisection.hpp).
#include "theory/bisection.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace initlab::theory {
namespace {

TEST(Bisection, FindsTheRootToEitherTolerance) {
  const auto above = [](double x) { return x * x < 2.0; };
  EXPECT_NEAR(bisect(above, 0.0, 2.0, 1e-14, 0.0), std::sqrt(2.0), 1e-14);
  EXPECT_NEAR(bisect(above, 0.0, 2.0, 0.0, 1e-12), std::sqrt(2.0), 2e-12);
  // A decreasing function: the root of e^-x = 1/2 is above x while e^-x > 1/2.
  EXPECT_NEAR(bisect([](double x) { return std::exp(-x) > 0.5; }, 0.0, 4.0, 1e-15, 0.0), std::log(2.0),
              1e-15);
}

TEST(Bisection, StopsAtTheIterationCapAndAtOneUlp) {
  int calls = 0;
  const auto count = [&](double) { return ++calls % 2 == 0; };
  bisect(count, 0.0, 1.0, 0.0, 0.0, 7);
  EXPECT_EQ(calls, 7);
  // Zero tolerance: it ends where the midpoint is no longer strictly inside.
  const double r = bisect([](double x) { return x < 1.0; }, 1.0, std::nextafter(1.0, 2.0), 0.0, 0.0);
  EXPECT_TRUE(r >= 1.0 && r <= std::nextafter(1.0, 2.0));
}

}  // namespace
}  // namespace initlab::theory
