#include "core/parse.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string_view>
#include <vector>

namespace initlab {
namespace {

TEST(ParseWhole, TakesTheWholeTextOrNothing) {
  EXPECT_EQ(parse_whole<double>("0.25"), 0.25);
  EXPECT_EQ(parse_whole<double>("-1e-3"), -1e-3);
  EXPECT_EQ(parse_whole<unsigned long>("784"), 784u);
  EXPECT_EQ(parse_whole<long>("-7"), -7);
  EXPECT_EQ(parse_whole<int>("12"), 12);
  for (std::string_view bad : {"", " 1", "1 ", "1x", "+1", "1,2", "0.5.1", "--1"})
    EXPECT_FALSE(parse_whole<double>(bad).has_value()) << "'" << bad << "'";
  EXPECT_FALSE(parse_whole<unsigned long>("-1").has_value());
  EXPECT_FALSE(parse_whole<unsigned long>("1.5").has_value());
}

TEST(ParseWhole, SaysWhenANumberIsOutOfRange) {
  bool out_of_range = false;
  EXPECT_FALSE(parse_whole<unsigned long>("18446744073709551616", &out_of_range).has_value());
  EXPECT_TRUE(out_of_range);
  EXPECT_EQ(parse_whole<unsigned long>("18446744073709551615", &out_of_range), 18446744073709551615ul);
  EXPECT_FALSE(out_of_range);
  EXPECT_FALSE(parse_whole<double>("1e999", &out_of_range).has_value());
  EXPECT_TRUE(out_of_range);
  EXPECT_FALSE(parse_whole<int>("x", &out_of_range).has_value());
  EXPECT_FALSE(out_of_range);
}

TEST(ParseFinite, RejectsInfinityAndNan) {
  EXPECT_TRUE(std::isinf(*parse_whole<double>("inf")));
  EXPECT_FALSE(parse_finite("inf").has_value());
  EXPECT_FALSE(parse_finite("-inf").has_value());
  EXPECT_FALSE(parse_finite("nan").has_value());
  EXPECT_EQ(parse_finite("2"), 2.0);
}

TEST(Split, KeepsEmptyParts) {
  using V = std::vector<std::string_view>;
  EXPECT_EQ(split("a,b,c"), (V{"a", "b", "c"}));
  EXPECT_EQ(split(""), (V{""}));
  EXPECT_EQ(split("a,"), (V{"a", ""}));
  EXPECT_EQ(split(",,"), (V{"", "", ""}));
  EXPECT_EQ(split("1-5", '-'), (V{"1", "5"}));
}

}  // namespace
}  // namespace initlab
