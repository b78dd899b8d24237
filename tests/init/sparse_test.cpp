// Sparse (PyTorch sparse_): the draw is the Normal{std} draw of the same stream with
// exactly z = ceil(sparsity * out) entries of each column set to zero, and
//   sum of entries   ~ N(0, std^2 K)          exactly,  K = in * (out - z)
//   sum of squares   ~ std^2 chi2_K            exactly
// (the zero positions are independent of the Gaussian values). Tolerances: laws.hpp
// (normal quantile for the sum, Laurent-Massart for chi2_K).
// The zero positions are uniform: row r is zeroed in each column independently with
// probability p = z / out, so its count of zeros c_r ~ Binomial(in, p); Bernstein
// (v = p (1 - p), c = max(p, 1 - p)) bounds |c_r / in - p| for every row at 1e-6/out each.
#include <gtest/gtest.h>

#include <cmath>

#include "init/initializer.hpp"
#include "init/laws.hpp"

namespace initlab::init {
namespace {

using testing::draw;

template <class T>
void check_sparse(double sparsity, double sd, FanShape s, std::uint64_t seed) {
  const Sparse rule{sparsity, sd};
  const random::Stream rng(seed);
  const auto w = draw<T>(rule, s, rng);
  const auto dense = draw<T>(Normal{sd}, s, rng);
  const std::size_t z = static_cast<std::size_t>(std::ceil(sparsity * static_cast<double>(s.out)));
  std::vector<std::size_t> row_zeros(s.out, 0);
  for (std::size_t j = 0; j < s.in; ++j) {
    std::size_t zeros = 0;
    for (std::size_t i = 0; i < s.out; ++i) {
      const T x = w[i * s.in + j];
      if (x != dense[i * s.in + j]) {
        ASSERT_EQ(x, T(0)) << "entry (" << i << ", " << j << ") changed but is not zero";
        ++zeros;
        ++row_zeros[i];
      }
    }
    // An entry whose Gaussian is exactly 0 would not count: probability ~0.
    ASSERT_EQ(zeros, z) << "column " << j;
  }
  const double k = static_cast<double>(s.in * (s.out - z));
  const Moments m = rule.moments(s);
  EXPECT_DOUBLE_EQ(m.variance, sd * sd * k / static_cast<double>(s.size()));
  if (k > 0) {
    // sum / (std sqrt K) ~ N(0, 1); sum of squares / std^2 ~ chi2_K: the normal law of
    // K entries, checked by laws.hpp on the non-zero entries.
    std::vector<T> kept;
    for (T x : w) {
      if (x != T(0)) kept.push_back(x);
    }
    ASSERT_EQ(static_cast<double>(kept.size()), k);
    EXPECT_TRUE(testing::mean_matches<T>(kept, testing::normal_law(sd)));
    EXPECT_TRUE(testing::variance_matches<T>(kept, testing::normal_law(sd)));
  }
  const double p = static_cast<double>(z) / static_cast<double>(s.out);
  const double t = testing::bernstein_halfwidth(static_cast<double>(s.in), p * (1.0 - p),
                                                std::max(p, 1.0 - p),
                                                1e-6 / static_cast<double>(s.out));
  for (std::size_t i = 0; i < s.out; ++i) {
    EXPECT_NEAR(static_cast<double>(row_zeros[i]) / static_cast<double>(s.in), p, t)
        << "row " << i;
  }
}

TEST(Sparse, ZerosPerColumnAndMomentsFloat) {
  check_sparse<float>(0.1, 0.01, {100, 2000}, 1);
  check_sparse<float>(0.5, 1.0, {7, 3000}, 2);
  check_sparse<float>(0.0, 0.5, {16, 16}, 3);
  check_sparse<float>(0.9, 2.0, {10, 500}, 4);
}

TEST(Sparse, ZerosPerColumnAndMomentsDouble) {
  check_sparse<double>(0.1, 0.01, {100, 2000}, 5);
  check_sparse<double>(0.5, 1.0, {7, 3000}, 6);
  check_sparse<double>(1.0, 0.5, {16, 16}, 7);
  check_sparse<double>(0.25, 2.0, {1, 100}, 8);
}

TEST(Sparse, Law) {
  EXPECT_EQ(parse("sparse").rule(), (Rule{Sparse{0.1, 0.01}}));
  EXPECT_EQ(parse("sparse:0.3").rule(), (Rule{Sparse{0.3, 0.01}}));
  EXPECT_EQ(parse("sparse:0.3,0.5").rule(), (Rule{Sparse{0.3, 0.5}}));
  EXPECT_EQ((Sparse{0.1, 0.01}.law()), "N(0, 0.01^2) with ceil(0.1 * out) zeros per column");
}

}  // namespace
}  // namespace initlab::init
