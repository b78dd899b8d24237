// variance_scaling and the named rules that are instances of it (lecun, xavier,
// he, note_*): variance scale / fan(mode) for every distribution, with the exact
// law of each distribution checked on one draw.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "init/initializer.hpp"
#include "init/laws.hpp"

namespace initlab::init {
namespace {

using testing::matches_law;

using testing::keras_law;
using testing::kKerasStd;

template <class T>
void check_all(FanShape s, std::uint64_t seed) {
  for (double scale : {1.0, 2.0, 1.0 / 3.0, 0.1}) {
    for (FanMode mode : {FanMode::fan_in, FanMode::fan_out, FanMode::fan_avg}) {
      for (Distribution d :
           {Distribution::normal, Distribution::truncated_normal, Distribution::uniform}) {
        const VarianceScaling r{scale, mode, d};
        // Keras's contract: the variance is scale / fan whatever the distribution.
        EXPECT_NEAR(r.moments(s).variance / (scale / fan(s, mode)), 1.0, 1e-14) << spec_of(r);
        EXPECT_TRUE(matches_law<T>(r, s, keras_law(r, s), random::Stream(seed++))) << spec_of(r);
      }
    }
  }
}

TEST(VarianceScaling, EveryModeAndDistributionFloat) { check_all<float>({384, 160}, 1); }
TEST(VarianceScaling, EveryModeAndDistributionDouble) { check_all<double>({160, 384}, 100); }

// Uniform draws stay in [-L, L], L = sqrt(3 scale / fan); truncated ones in
// [-2 s, 2 s], s = sqrt(scale / fan) / 0.8796... (4 ulps of slack for the rounding
// of s * z in T).
template <class T>
void check_support(FanShape s) {
  for (FanMode mode : {FanMode::fan_in, FanMode::fan_out, FanMode::fan_avg}) {
    const double v = 2.0 / fan(s, mode);
    const double ulps = 1.0 + 4.0 * std::numeric_limits<T>::epsilon();
    const double limit = std::sqrt(3.0 * v) * ulps;
    const auto u = testing::draw<T>(VarianceScaling{2.0, mode, Distribution::uniform}, s,
                                    random::Stream(1));
    for (T x : u) ASSERT_LE(std::abs(static_cast<double>(x)), limit);
    const double bound = 2.0 * std::sqrt(v) / kKerasStd * ulps;
    const auto t = testing::draw<T>(VarianceScaling{2.0, mode, Distribution::truncated_normal},
                                    s, random::Stream(2));
    for (T x : t) ASSERT_LE(std::abs(static_cast<double>(x)), bound);
  }
}

TEST(VarianceScaling, SupportFloat) { check_support<float>({300, 200}); }
TEST(VarianceScaling, SupportDouble) { check_support<double>({200, 300}); }

TEST(VarianceScaling, Fans) {
  const FanShape s{300, 784};
  EXPECT_EQ(fan(s, FanMode::fan_in), 784.0);
  EXPECT_EQ(fan(s, FanMode::fan_out), 300.0);
  EXPECT_EQ(fan(s, FanMode::fan_avg), 542.0);
  EXPECT_EQ(fan({3, 4}, FanMode::fan_avg), 3.5);
}

// The named rules are the variance_scaling the table says.
TEST(VarianceScaling, NamedRules) {
  const auto vs = [](double scale, FanMode m, Distribution d) {
    return Rule{VarianceScaling{scale, m, d}};
  };
  using enum FanMode;
  using enum Distribution;
  EXPECT_EQ(parse("lecun_normal").rule(), vs(1, fan_in, normal));
  EXPECT_EQ(parse("lecun_uniform").rule(), vs(1, fan_in, uniform));
  EXPECT_EQ(parse("note_xavier").rule(), vs(1, fan_in, normal));
  EXPECT_EQ(parse("note_uniform").rule(), vs(1.0 / 3.0, fan_in, uniform));
  EXPECT_EQ(parse("xavier_normal").rule(), vs(1, fan_avg, normal));
  EXPECT_EQ(parse("glorot_uniform").rule(), vs(1, fan_avg, uniform));
  EXPECT_EQ(parse("xavier_normal:gain=2").rule(), vs(4, fan_avg, normal));
  EXPECT_EQ(parse("he_normal").rule(), vs(2, fan_in, normal));
  EXPECT_EQ(parse("kaiming_uniform:mode=fan_out").rule(), vs(2, fan_out, uniform));
  EXPECT_EQ(parse("he_normal:nonlinearity=leaky_relu,slope=0.2").rule(),
            vs(2.0 / 1.04, fan_in, normal));
  EXPECT_EQ(parse("he_normal:slope=0.2").rule(), vs(2.0 / 1.04, fan_in, normal));
  EXPECT_EQ(parse("variance_scaling").rule(), vs(1, fan_in, truncated_normal));
}

// PyTorch's formulas, written out: xavier std = gain sqrt(2 / (fan_in + fan_out)),
// kaiming std = gain / sqrt(fan), kaiming_uniform bound = gain sqrt(3 / fan),
// nn.Linear's default bound 1 / sqrt(fan_in).
TEST(VarianceScaling, MatchesPyTorchFormulas) {
  const FanShape s{300, 784};
  const double g = 5.0 / 3.0;
  const double xavier_std = g * std::sqrt(2.0 / (300.0 + 784.0));
  EXPECT_NEAR(parse("xavier_normal:gain=5/3").moments(s).variance, xavier_std * xavier_std,
              1e-15);
  const double relu = calculate_gain("relu");
  EXPECT_NEAR(parse("he_normal").moments(s).variance, relu * relu / 784.0, 1e-15);
  EXPECT_NEAR(parse("he_normal:mode=fan_out").moments(s).variance, relu * relu / 300.0, 1e-15);
  const double leaky = calculate_gain("leaky_relu", 0.2);
  const double bound = leaky * std::sqrt(3.0 / 784.0);
  EXPECT_NEAR(parse("he_uniform:slope=0.2").moments(s).variance, bound * bound / 3.0, 1e-15);
  const double linear_bound = 1.0 / std::sqrt(784.0);
  EXPECT_NEAR(parse("note_uniform").moments(s).variance, linear_bound * linear_bound / 3.0,
              1e-15);
}

TEST(VarianceScaling, Law) {
  EXPECT_EQ(parse("he_normal").law(), "N(0, 2/fan_in)");
  EXPECT_EQ(parse("he_uniform").law(), "U(-sqrt(6/fan_in), sqrt(6/fan_in))");
  EXPECT_EQ(parse("note_uniform").law(), "U(-sqrt(1/fan_in), sqrt(1/fan_in))");
  EXPECT_EQ(parse("variance_scaling:scale=2,mode=fan_avg").law(),
            "s * N(0, 1) truncated to [-2, 2], s = sqrt(2/fan_avg) / 0.87962566103423978");
}

}  // namespace
}  // namespace initlab::init
