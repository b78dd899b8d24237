#include "stats/student_t.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace initlab::stats {
namespace {

// Closed forms: nu = 1 (Cauchy) P(|T| > t) = 1 - (2/pi) atan t; nu = 2 1 - t / sqrt(2 + t^2);
// nu = 3 1 - (2/pi) (atan(t / sqrt 3) + sqrt(3) t / (3 + t^2)).
TEST(StudentT, TailMatchesClosedForms) {
  for (double t : {0.5, 1.0, 6.5, 63.657, 500.0}) {
    EXPECT_NEAR(student_t_two_sided_tail(1.0, t), 1.0 - 2.0 / std::numbers::pi * std::atan(t), 1e-9 * (1.0 + 1.0 / t))
        << t;
    EXPECT_NEAR(student_t_two_sided_tail(2.0, t), 1.0 - t / std::sqrt(2.0 + t * t), 1e-12 + 1e-6 / (t * t)) << t;
    const double r3 = std::sqrt(3.0);
    const double t3 = 1.0 - 2.0 / std::numbers::pi * (std::atan(t / r3) + r3 * t / (3.0 + t * t));
    EXPECT_NEAR(student_t_two_sided_tail(3.0, t), t3, 1e-9 * t3 + 1e-15) << t;  // 1e-15: the closed form's cancellation
  }
  EXPECT_NEAR(student_t_two_sided_tail(3.0, 6.5), 0.0074, 5e-5);  // the old kAgreeZ's per-test level
  EXPECT_EQ(student_t_two_sided_tail(3.0, 0.0), 1.0);
}

TEST(StudentT, QuantileInvertsTheTail) {
  EXPECT_NEAR(student_t_two_sided_quantile(1.0, 0.01), 63.6567, 1e-3);
  for (double nu : {3.0, 7.0, 15.0})
    for (double p : {0.05, 1e-3, 1e-6}) {
      const double t = student_t_two_sided_quantile(nu, p);
      EXPECT_NEAR(student_t_two_sided_tail(nu, t), p, 1e-8 * p) << nu << " " << p;
    }
}

TEST(StudentT, RejectsBadArguments) {
  EXPECT_THROW(student_t_two_sided_tail(0.0, 1.0), std::invalid_argument);
  EXPECT_THROW(student_t_two_sided_tail(3.0, -1.0), std::invalid_argument);
  EXPECT_THROW(student_t_two_sided_quantile(3.0, 0.0), std::invalid_argument);
  EXPECT_THROW(student_t_two_sided_quantile(3.0, 1.0), std::invalid_argument);
}

}  // namespace
}  // namespace initlab::stats
