// Constant: every entry equals the value; the stated moments are the matrix's.
#include <gtest/gtest.h>

#include <algorithm>

#include "init/initializer.hpp"
#include "init/laws.hpp"

namespace initlab::init {
namespace {

using testing::draw;

template <class T>
void check_constant(double value) {
  const FanShape s{7, 5};
  const Constant c{value};
  const auto w = draw<T>(c, s, random::Stream(3));
  EXPECT_TRUE(std::all_of(w.begin(), w.end(), [&](T x) { return x == static_cast<T>(value); }));
  const Moments m = c.moments(s);
  EXPECT_EQ(m.mean, value);
  EXPECT_EQ(m.variance, 0.0);
  const DrawStats st = draw_stats(std::span<const T>(w));
  EXPECT_EQ(st.mean, static_cast<double>(static_cast<T>(value)));
  EXPECT_EQ(st.variance, 0.0);
}

TEST(Constant, FillsEveryEntryFloat) {
  check_constant<float>(0.0);
  check_constant<float>(1.0);
  check_constant<float>(-0.25);
}

TEST(Constant, FillsEveryEntryDouble) {
  check_constant<double>(0.0);
  check_constant<double>(1.0);
  check_constant<double>(-0.25);
}

TEST(Constant, Law) {
  EXPECT_EQ(Constant{0.5}.law(), "w = 0.5");
  EXPECT_EQ(parse("zeros").rule(), Rule{Constant{0.0}});
  EXPECT_EQ(parse("ones").rule(), Rule{Constant{1.0}});
  EXPECT_EQ(parse("note_zero").rule(), Rule{Constant{0.0}});
  EXPECT_EQ(parse("constant:-2.5").rule(), Rule{Constant{-2.5}});
}

TEST(Constant, RejectsWrongBuffer) {
  std::vector<float> w(11);
  EXPECT_THROW(Constant{}(std::span<float>(w), FanShape{3, 4}, random::Stream(1)),
               std::invalid_argument);
  EXPECT_THROW(Constant{}(std::span<float>(w.data(), 0), FanShape{0, 4}, random::Stream(1)),
               std::invalid_argument);
}

}  // namespace
}  // namespace initlab::init
