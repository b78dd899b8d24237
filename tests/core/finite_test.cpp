#include "core/finite.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace initlab {
namespace {

// Every position of a block of each length (the vectorized body and its tail) and
// every kind of non-finite value is found; the largest finite values, denormals
// and signed zeros are not mistaken for one.
template <class T>
void check_type() {
  using L = std::numeric_limits<T>;
  const std::vector<T> finite = {T(0), -T(0), L::max(), -L::max(), L::denorm_min(), L::min(), T(1.5)};
  for (std::size_t n = 0; n <= 37; ++n) {
    std::vector<T> x(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = finite[i % finite.size()];
    EXPECT_TRUE(all_finite(x.data(), n)) << n;
    for (std::size_t at = 0; at < n; ++at) {
      for (T bad : {L::infinity(), -L::infinity(), L::quiet_NaN(), -L::quiet_NaN(), L::signaling_NaN()}) {
        std::vector<T> y = x;
        y[at] = bad;
        EXPECT_FALSE(all_finite(y.data(), n)) << "n " << n << " at " << at << " value " << bad;
      }
    }
  }
}

TEST(AllFinite, FindsEveryNonFiniteValueAnywhere) {
  check_type<float>();
  check_type<double>();
}

}  // namespace
}  // namespace initlab
