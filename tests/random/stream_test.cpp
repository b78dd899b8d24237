// Stream: determinism, independence of thread count and draw order, splits,
// argument checks.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "random/stream.hpp"

namespace initlab::random {
namespace {

template <class T>
class StreamTyped : public ::testing::Test {};
using Reals = ::testing::Types<float, double>;
TYPED_TEST_SUITE(StreamTyped, Reals);

// The three fills, by name, with fixed parameters: rejection and inverse-CDF
// truncations are both covered.
template <class T>
std::vector<T> draw(const Stream& s, const std::string& law, std::size_t n, std::uint64_t offset = 0) {
  std::vector<T> x(n);
  if (law == "uniform") s.uniform<T>(x, T(-2), T(3), offset);
  if (law == "normal") s.normal<T>(x, T(0.5), T(2), offset);
  if (law == "trunc_reject") s.truncated_normal<T>(x, T(1.5), T(-2), T(2), offset);
  if (law == "trunc_inverse") s.truncated_normal<T>(x, T(1.5), T(1), T(3), offset);
  return x;
}
const char* const kLaws[] = {"uniform", "normal", "trunc_reject", "trunc_inverse"};

// Number of equal entries: two independent continuous draws coincide with
// probability <= 2^-24 per float entry.
template <class T>
std::size_t equal_count(const std::vector<T>& x, const std::vector<T>& y) {
  std::size_t k = 0;
  for (std::size_t i = 0; i < x.size(); ++i) k += x[i] == y[i];
  return k;
}

TYPED_TEST(StreamTyped, SameSeedIdOffsetGivesSameValues) {
  using T = TypeParam;
  for (const char* law : kLaws) {
    EXPECT_EQ(draw<T>(Stream(7, 3), law, 5000, 17), draw<T>(Stream(7, 3), law, 5000, 17)) << law;
  }
}

TYPED_TEST(StreamTyped, DifferentSeedsAndIdsDiffer) {
  using T = TypeParam;
  for (const char* law : kLaws) {
    const auto x = draw<T>(Stream(7, 3), law, 4000);
    EXPECT_LE(equal_count(x, draw<T>(Stream(8, 3), law, 4000)), 2u) << law;
    EXPECT_LE(equal_count(x, draw<T>(Stream(7, 4), law, 4000)), 2u) << law;
    EXPECT_LE(equal_count(x, draw<T>(Stream(7, 3), law, 4000, 1)), 2u) << law;
  }
}

// 300,001 elements: enough for parallel_ranges to use up to 8 threads, with
// cuts that fall inside blocks when the offset is odd.
TYPED_TEST(StreamTyped, AnyThreadCountGivesIdenticalValues) {
  using T = TypeParam;
  const std::size_t n = 300001;
  for (const char* law : kLaws) {
    for (std::uint64_t offset : {0ull, 3ull}) {
      const auto one = draw<T>(Stream(5, 9), law, n, offset);
      for (int t = 2; t <= 8; ++t) {
        EXPECT_EQ(draw<T>(Stream(5, 9, t), law, n, offset), one) << law << " threads " << t;
      }
    }
  }
}

TYPED_TEST(StreamTyped, OffsetFillIsTailOfLongFill) {
  using T = TypeParam;
  for (const char* law : kLaws) {
    const auto all = draw<T>(Stream(21).with_threads(2), law, 200000);
    for (std::uint64_t o : {1ull, 2ull, 63ull, 64ull, 65ull, 4097ull, 123457ull}) {
      const auto tail = draw<T>(Stream(21), law, all.size() - o, o);
      EXPECT_TRUE(std::equal(tail.begin(), tail.end(), all.begin() + static_cast<std::ptrdiff_t>(o)))
          << law << " offset " << o;
      EXPECT_EQ(draw<T>(Stream(21), law, 1, o)[0], all[o]) << law << " offset " << o;
    }
  }
}

// Rejection keeps the normal stream's value wherever it lies in [a, b].
TYPED_TEST(StreamTyped, TruncatedRejectionKeepsInRangeNormals) {
  using T = TypeParam;
  const Stream s(31, 2);
  std::vector<T> z(100000), t(100000);
  s.normal<T>(z, T(0), T(1));
  s.truncated_normal<T>(t, T(1), T(-1), T(1));
  std::size_t kept = 0;
  for (std::size_t i = 0; i < z.size(); ++i) {
    if (std::abs(z[i]) <= T(1)) {
      ASSERT_EQ(t[i], z[i]) << i;
      ++kept;
    }
  }
  EXPECT_GT(kept, 0u);
}

TEST(Stream, SplitIsDeterministicAndIndependentOfEarlierDraws) {
  const Stream s(99);
  std::vector<float> before(1000), other(5000), after(1000);
  s.split(3).normal<float>(before, 0.f, 1.f);
  s.normal<float>(other, 0.f, 1.f);
  s.split(2).uniform<float>(other, 0.f, 1.f);
  s.split(3).normal<float>(after, 0.f, 1.f);
  EXPECT_EQ(before, after);
  EXPECT_EQ(s.split(3).id(), Stream(99).split(3).id());
  EXPECT_EQ(s.split(3).seed(), 99u);
}

TEST(Stream, SplitChildrenAreDistinct) {
  const Stream s(1, 0);
  EXPECT_NE(s.split(0).id(), s.id());
  EXPECT_NE(s.split(0).id(), s.split(1).id());
  EXPECT_NE(s.split(1).split(2).id(), s.split(2).split(1).id());
  EXPECT_NE(Stream(1, 5).split(0).id(), Stream(1, 6).split(0).id());
  EXPECT_EQ(s.with_threads(4).split(7).threads(), 4);
  std::vector<double> a(1000), b(1000);
  s.split(0).normal<double>(a, 0.0, 1.0);
  s.split(1).normal<double>(b, 0.0, 1.0);
  EXPECT_EQ(equal_count(a, b), 0u);
}

TEST(Stream, Uniform01MatchesDoubleUniformFill) {
  const Stream s(4, 8);
  std::vector<double> x(257);
  s.uniform<double>(x, 0.0, 1.0, 1001);
  for (std::size_t i = 0; i < x.size(); ++i) EXPECT_EQ(s.uniform01(1001 + i), x[i]) << i;
}

TEST(Stream, EmptyFillsAreAllowed) {
  std::vector<float> none;
  EXPECT_NO_THROW(Stream(1).normal<float>(none, 0.f, 1.f, 12));
  EXPECT_NO_THROW(Stream(1).truncated_normal<float>(none, 1.f, -2.f, 2.f));
}

// The message names the function and the offending value.
template <class F>
void expect_invalid(F f, const std::string& needle) {
  try {
    f();
    ADD_FAILURE() << "no exception, expected one mentioning '" << needle << "'";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TYPED_TEST(StreamTyped, RejectsBadArguments) {
  using T = TypeParam;
  const T inf = std::numeric_limits<T>::infinity();
  const T nan = std::numeric_limits<T>::quiet_NaN();
  const Stream s(1);
  std::vector<T> x(10);
  expect_invalid([&] { s.normal<T>(x, T(0), T(0)); }, "std = 0");
  expect_invalid([&] { s.normal<T>(x, T(0), T(-1)); }, "std = -1");
  expect_invalid([&] { s.normal<T>(x, T(0), nan); }, "Stream::normal");
  expect_invalid([&] { s.normal<T>(x, inf, T(1)); }, "mean = inf");
  expect_invalid([&] { s.uniform<T>(x, T(1), T(1)); }, "[lo, hi) = [1, 1)");
  expect_invalid([&] { s.uniform<T>(x, T(2), T(1)); }, "Stream::uniform");
  expect_invalid([&] { s.uniform<T>(x, -inf, T(1)); }, "Stream::uniform");
  expect_invalid([&] { s.truncated_normal<T>(x, T(0), T(-2), T(2)); }, "std = 0");
  expect_invalid([&] { s.truncated_normal<T>(x, T(1), T(2), T(2)); }, "[a, b] = [2, 2]");
  expect_invalid([&] { s.truncated_normal<T>(x, T(1), T(3), T(-3)); }, "expected a < b");
  expect_invalid([&] { s.truncated_normal<T>(x, T(1), nan, T(1)); }, "Stream::truncated_normal");
  expect_invalid([&] { s.truncated_normal<T>(x, T(1), T(40), T(50)); }, "mass");
  expect_invalid([&] { s.normal<T>(x, T(0), T(1), std::numeric_limits<std::uint64_t>::max() - 3); },
                 "overflows");
}

TEST(Stream, RejectsBadThreadCounts) {
  expect_invalid([] { Stream(1, 0, 0); }, "threads = 0");
  expect_invalid([] { Stream(1).with_threads(-2); }, "n = -2");
}

}  // namespace
}  // namespace initlab::random
