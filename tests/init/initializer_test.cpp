// Initializer: determinism (same seed same tensor, any thread count same tensor,
// different streams different tensors) for every family, and draw_stats.
#include <gtest/gtest.h>

#include <vector>

#include "init/draw.hpp"
#include "init/initializer.hpp"
#include "init/laws.hpp"

namespace initlab::init {
namespace {

const char* const kSpecs[] = {"zeros", "uniform:0.5", "normal:0.1", "truncated_normal:1,-1,2",
                              "variance_scaling", "he_uniform", "xavier_normal", "orthogonal",
                              "identity:2", "sparse:0.3,1", "note_uniform"};

bool is_random(const std::string& spec) {
  return spec != "zeros" && spec.rfind("identity", 0) != 0;
}

template <class T>
void check_determinism(FanShape s) {
  for (const char* spec : kSpecs) {
    const Initializer ini = parse(spec);
    const random::Stream rng(42);
    const Matrix<T> a = init::draw<T>(ini, s, rng);
    EXPECT_EQ(a, init::draw<T>(ini, s, random::Stream(42))) << spec << ": same seed";
    for (int threads : {2, 3}) {
      EXPECT_EQ(a, init::draw<T>(ini, s, rng.with_threads(threads))) << spec << ": threads " << threads;
    }
    if (is_random(spec)) {
      EXPECT_NE(a, init::draw<T>(ini, s, random::Stream(43))) << spec << ": other seed";
      EXPECT_NE(a, init::draw<T>(ini, s, rng.split(1))) << spec << ": child stream";
    }
    std::vector<T> buf(s.size());
    ini(std::span<T>(buf), s, rng);
    EXPECT_TRUE(std::equal(buf.begin(), buf.end(), a.begin())) << spec << ": span fill";
  }
}

// Shapes large enough that the stream splits the fill across threads.
TEST(Initializer, DeterministicFloat) {
  check_determinism<float>({300, 700});
  check_determinism<float>({5, 3});
}

TEST(Initializer, DeterministicDouble) {
  check_determinism<double>({700, 300});
  check_determinism<double>({3, 5});
}

TEST(Initializer, DispatchesToTheRule) {
  const Initializer ini = parse("he_normal:mode=fan_out");
  const FanShape s{100, 400};
  EXPECT_EQ(ini.law(), "N(0, 2/fan_out)");
  EXPECT_DOUBLE_EQ(ini.moments(s).variance, 0.02);
  const random::Stream rng(5);
  const auto direct = testing::draw<float>(std::get<VarianceScaling>(ini.rule()), s, rng);
  const Matrix<float> via = init::draw<float>(ini, s, rng);
  EXPECT_TRUE(std::equal(direct.begin(), direct.end(), via.begin()));
  EXPECT_EQ(via.shape()[0], 100u);
  EXPECT_EQ(via.shape()[1], 400u);
}

TEST(Initializer, DrawStats) {
  const std::vector<double> w = {1.0, 2.0, 3.0, 6.0};
  const DrawStats st = draw_stats(std::span<const double>(w));
  EXPECT_DOUBLE_EQ(st.mean, 3.0);
  EXPECT_DOUBLE_EQ(st.variance, (4.0 + 1.0 + 0.0 + 9.0) / 4.0);
  EXPECT_EQ(st.min, 1.0);
  EXPECT_EQ(st.max, 6.0);
  EXPECT_THROW(draw_stats(std::span<const float>()), std::invalid_argument);
}

}  // namespace
}  // namespace initlab::init
