// `initlab check`'s study: true draws are accepted, wrong laws, bounds, layouts and
// scales are rejected. Every case that can fail by chance fails w.p. <= 1e-6 (the
// check's level is family-wise, Bonferroni over its statistical tests); the power
// of each rejection is stated beside it.
#include "study/check_study.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "init/draw.hpp"
#include "init/initializer.hpp"
#include "random/stream.hpp"

namespace initlab::study {
namespace {

constexpr double kLevel = 1e-6;

std::vector<double> draw(const std::string& spec, FanShape s, std::uint64_t seed) {
  std::vector<float> w(s.size());
  init::parse(spec)(std::span<float>(w), s, random::Stream(seed));
  return {w.begin(), w.end()};
}

CheckResult check(const std::vector<double>& w, std::vector<std::size_t> shape,
                  const std::string& spec, Layout layout = Layout::out_in) {
  return check_tensor(w, shape, data::NpyDtype::f4, spec, layout, kLevel);
}

const CheckTest& test_named(const CheckResult& r, const std::string& name) {
  for (const auto& t : r.tests) {
    if (t.name == name) return t;
  }
  throw std::logic_error("no test " + name);
}

TEST(CheckStudy, AcceptsTrueDrawsOfEveryLaw) {
  const FanShape s{120, 200};
  for (const std::string spec :
       {"he_normal", "lecun_uniform", "xavier_normal", "normal:0.02", "uniform:0.1",
        "truncated_normal:0.5", "truncated_normal:1,-1,3",
        "variance_scaling:scale=2,mode=fan_out,distribution=truncated_normal", "orthogonal:1.5",
        "identity:0.5", "ones", "zeros", "sparse:0.25,0.1", "note_uniform"}) {
    const auto r = check(draw(spec, s, 17), {s.out, s.in}, spec);
    EXPECT_TRUE(r.consistent) << spec;
    EXPECT_GE(r.tests.size(), 2u) << spec;
  }
}

TEST(CheckStudy, RejectsAFivePercentVarianceError) {
  // N = 10^5 entries of N(0, 1.05 * 2/500) against he_normal (2/500). Power of the
  // variance test alone at 1e-6 / 4 (mean, variance, ks, pairs): it misses only if
  // chi2_N <= (N + u*) / 1.05, u* = 2 sqrt(N x*) + 2 x*, x* = ln(2 * 4 / 1e-6);
  // Laurent-Massart bounds that by exp(-(gap / (2 sqrt N))^2), computed here.
  const double n = 1e5, xs = std::log(2.0 * 4.0 / kLevel);
  const double gap = n - (n + 2.0 * std::sqrt(n * xs) + 2.0 * xs) / 1.05;
  EXPECT_LT(std::exp(-std::pow(gap / (2.0 * std::sqrt(n)), 2.0)), 2e-6);
  std::vector<double> w(100000);
  random::Stream(3).normal(std::span<double>(w), 0.0, std::sqrt(1.05 * 2.0 / 500.0));
  const auto r = check(w, {200, 500}, "he_normal");
  EXPECT_FALSE(r.consistent);
  EXPECT_TRUE(test_named(r, "variance").rejected);
  EXPECT_FALSE(test_named(r, "mean").rejected);
}

TEST(CheckStudy, DetectsTruncationBounds) {
  // PyTorch's trunc_normal_(std=0.02) truncates at +-2 absolute: a plain N(0, 0.02^2).
  // Against truncated_normal:0.02 (bounds +-2 sd) an entry lands outside w.p.
  // 0.0455, so among 10^4 some entry does except w.p. 0.9545^10^4 < 1e-200.
  std::vector<double> w(10000);
  random::Stream(5).normal(std::span<double>(w), 0.0, 0.02);
  const auto r = check(w, {100, 100}, "truncated_normal:0.02");
  EXPECT_FALSE(r.consistent);
  EXPECT_TRUE(test_named(r, "bounds").rejected);
  EXPECT_TRUE(check(w, {100, 100}, "truncated_normal:0.02,-100,100").consistent);
  EXPECT_TRUE(check(w, {100, 100}, "normal:0.02").consistent);
}

TEST(CheckStudy, CatchesTheLayoutSwapOnANonSquareKernel) {
  // he_normal for (out, in) = (64, 400), stored Keras-style as (in, out).
  const FanShape s{64, 400};
  const auto w = draw("he_normal", s, 9);
  std::vector<double> keras(w.size());
  for (std::size_t o = 0; o < s.out; ++o) {
    for (std::size_t i = 0; i < s.in; ++i) keras[i * s.out + o] = w[o * s.in + i];
  }
  EXPECT_TRUE(check(keras, {400, 64}, "he_normal", Layout::in_out).consistent);
  // read as (out, in) the fan is 64: promised variance 2/64 against 2/400, V / var = 0.16
  const auto swapped = check(keras, {400, 64}, "he_normal", Layout::out_in);
  EXPECT_FALSE(swapped.consistent);
  EXPECT_TRUE(test_named(swapped, "variance").rejected);
}

TEST(CheckStudy, ConvKernelsByTheirFanRule) {
  // PyTorch (out, in, kh, kw) = (16, 8, 3, 3): fan_in 72, fan_out 144
  const auto view = weight_view(std::vector<std::size_t>{16, 8, 3, 3}, Layout::out_in);
  EXPECT_EQ(view.fans.in, 72u);
  EXPECT_EQ(view.fans.out, 144u);
  EXPECT_EQ(view.matrix.out, 16u);
  EXPECT_EQ(view.matrix.in, 72u);
  const auto keras = weight_view(std::vector<std::size_t>{3, 3, 8, 16}, Layout::in_out);
  EXPECT_EQ(keras.fans.in, 72u);
  EXPECT_EQ(keras.fans.out, 144u);
  // a PyTorch conv kernel drawn as its (out, in kh kw) matrix passes at fan_in 72 and
  // fan_out 144 (he_normal:mode=fan_out's variance is 2/144)
  const auto w = draw("variance_scaling:scale=2,mode=fan_in,distribution=normal", {160, 720}, 2);
  EXPECT_TRUE(check(w, {160, 80, 3, 3}, "he_normal").consistent);
  EXPECT_FALSE(check(w, {160, 80, 3, 3}, "he_normal:mode=fan_out").consistent);
  EXPECT_THROW(weight_view(std::vector<std::size_t>{5}, Layout::out_in), std::invalid_argument);
  EXPECT_THROW(weight_view(std::vector<std::size_t>{5, 0}, Layout::out_in), std::invalid_argument);
  EXPECT_THROW(parse_layout("io"), std::invalid_argument);
}

TEST(CheckStudy, ExactAndOrthogonalRules) {
  auto w = draw("identity:1.5", {30, 40}, 1);
  w[5] = 1e-7;
  EXPECT_TRUE(test_named(check(w, {30, 40}, "identity:1.5"), "values").rejected);
  // N(0, 1/m) rows have norms spread by sqrt(2/m) = 7%: far outside rounding
  std::vector<double> g(300 * 400);
  random::Stream(4).normal(std::span<double>(g), 0.0, 1.0 / 20.0);
  EXPECT_TRUE(test_named(check(g, {300, 400}, "orthogonal"), "norms").rejected);
  const auto q = draw("orthogonal:2", {300, 400}, 4);
  // Haar rows look N(0, gain^2 / 400) one by one, but are orthogonal: the pair test's
  // statistic is 0 (to rounding), p <= 2 exp(-150 / 4) = 1e-16 for K = 150 pairs
  const auto as_normal = check(q, {300, 400}, "normal:0.1");
  EXPECT_TRUE(test_named(as_normal, "pairs").rejected);
  EXPECT_FALSE(test_named(as_normal, "variance").rejected);
  EXPECT_TRUE(check(q, {300, 400}, "orthogonal:2").consistent);
  EXPECT_FALSE(check(q, {300, 400}, "orthogonal:1").consistent);
  std::vector<double> nan = q;
  nan[0] = std::nan("");
  EXPECT_TRUE(test_named(check(nan, {300, 400}, "orthogonal:2"), "finite").rejected);
}

TEST(CheckStudy, AutoNamesTheConsistentSpecs) {
  const auto w = draw("xavier_uniform", {128, 300}, 6);
  std::vector<std::string> names;
  for (const auto& r : check_auto(w, std::vector<std::size_t>{128, 300}, data::NpyDtype::f4,
                                  Layout::out_in, kLevel)) {
    if (r.consistent) names.push_back(r.spec);
  }
  EXPECT_EQ(names, std::vector<std::string>{"xavier_uniform"});
}

TEST(CheckStudy, BadInput) {
  const std::vector<double> w(12, 0.0);
  EXPECT_THROW(check(w, {3, 4}, "swish"), std::invalid_argument);
  EXPECT_THROW(check_tensor(w, std::vector<std::size_t>{3, 4}, data::NpyDtype::f4, "zeros",
                            Layout::out_in, 0.0),
               std::invalid_argument);
}

}  // namespace
}  // namespace initlab::study
