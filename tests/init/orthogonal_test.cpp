// Orthogonal: W W^T = gain^2 I (out <= in) or W^T W = gain^2 I (out >= in), and Q is
// Haar. Entries of one draw are not independent, so instead of sample moments of one
// matrix the tests check exact laws: the Gram matrix (deterministic), the sum of
// squares (deterministic), and the law of one entry across independent draws.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "init/initializer.hpp"
#include "init/laws.hpp"
#include "init/orthogonality.hpp"

namespace initlab::init {
namespace {

using testing::draw;
using testing::gram_error;
using testing::orthogonality_tolerance;

template <class T>
void check_gram(FanShape s, double gain, std::uint64_t seed) {
  const auto w = draw<T>(Orthogonal{gain}, s, random::Stream(seed));
  const double err = gram_error<T>(w, s, gain);
  EXPECT_LE(err, orthogonality_tolerance<T>(s)) << "(" << s.out << ", " << s.in << ")";
  // Sum of squares: gain^2 min(out, in) exactly, so the stated variance gain^2 / max
  // is the matrix's second moment.
  double ss = 0.0;
  for (T x : w) ss += static_cast<double>(x) * static_cast<double>(x);
  const Moments m = Orthogonal{gain}.moments(s);
  EXPECT_NEAR(ss / static_cast<double>(s.size()) / m.variance, 1.0,
              orthogonality_tolerance<T>(s));
}

const std::vector<FanShape> kShapes = {{1, 1},   {1, 17},   {17, 1},   {64, 64},  {3, 200},
                                       {200, 3}, {128, 300}, {300, 128}, {257, 256}, {256, 257}};

TEST(Orthogonal, GramIsGainSquaredIdentityFloat) {
  std::uint64_t seed = 1;
  for (const auto& s : kShapes) check_gram<float>(s, 1.0, seed++);
  check_gram<float>({100, 40}, 1.5, seed++);
  check_gram<float>({40, 100}, 0.5, seed++);
}

TEST(Orthogonal, GramIsGainSquaredIdentityDouble) {
  std::uint64_t seed = 100;
  for (const auto& s : kShapes) check_gram<double>(s, 1.0, seed++);
  check_gram<double>({100, 40}, 1.5, seed++);
  check_gram<double>({40, 100}, 0.5, seed++);
}

// Haar law of one entry q = w_ij / gain across R independent draws: q is a coordinate
// of a uniform point on the sphere S^{m-1}, m = max(out, in), so q^2 ~ Beta(1/2, (m-1)/2):
//   E q = 0, E q^2 = 1/m, E q^4 = 3/(m(m+2)), E q^8 = 105/(m(m+2)(m+4)(m+6)).
// The R values are i.i.d. and |q| <= 1, so Bernstein (laws.hpp) bounds each sample mean
// with y = q (v = 1/m), y = q^2 (v = E q^4 - 1/m^2), y = q^4 (v = E q^8 - (E q^4)^2),
// c = max(E y, 1 - E y) (c = 1 for q). Nine checks per shape at 1e-6/9 each.
// Without the sign fix Q * diag(sign diag R), LAPACK's Householder QR gives q_00 =
// -|q_00| always: E q_00 = -sqrt(2/(pi m)) ~ -0.27 at m = 9, far outside the 0.03 band.
template <class T>
void check_haar(FanShape s, double gain, std::uint64_t seed) {
  constexpr int R = 4000;
  constexpr double delta = 1e-6 / 9.0;
  const double m = static_cast<double>(std::max(s.out, s.in));
  const double e2 = 1.0 / m;
  const double e4 = 3.0 / (m * (m + 2.0));
  const double e8 = 105.0 / (m * (m + 2.0) * (m + 4.0) * (m + 6.0));
  const std::size_t entries[3] = {0, s.size() - 1, s.in - 1};
  double sum1[3] = {}, sum2[3] = {}, sum4[3] = {};
  const random::Stream root(seed);
  for (int r = 0; r < R; ++r) {
    const auto w = draw<T>(Orthogonal{gain}, s, root.split(static_cast<std::uint64_t>(r)));
    for (int k = 0; k < 3; ++k) {
      const double q = static_cast<double>(w[entries[k]]) / gain;
      sum1[k] += q;
      sum2[k] += q * q;
      sum4[k] += q * q * q * q;
    }
  }
  const double n = R;
  const double t1 = testing::bernstein_halfwidth(n, e2, 1.0, delta);
  const double t2 = testing::bernstein_halfwidth(n, e4 - e2 * e2, std::max(e2, 1.0 - e2), delta);
  const double t4 = testing::bernstein_halfwidth(n, e8 - e4 * e4, std::max(e4, 1.0 - e4), delta);
  for (int k = 0; k < 3; ++k) {
    EXPECT_NEAR(sum1[k] / n, 0.0, t1) << "entry " << entries[k] << " E q";
    EXPECT_NEAR(sum2[k] / n, e2, t2) << "entry " << entries[k] << " E q^2";
    EXPECT_NEAR(sum4[k] / n, e4, t4) << "entry " << entries[k] << " E q^4";
  }
}

TEST(Orthogonal, HaarEntryLawFloat) {
  check_haar<float>({4, 9}, 1.0, 1);
  check_haar<float>({9, 4}, 2.0, 2);
  check_haar<float>({6, 6}, 1.0, 3);
}

TEST(Orthogonal, HaarEntryLawDouble) {
  check_haar<double>({4, 9}, 1.0, 4);
  check_haar<double>({9, 4}, 0.5, 5);
  check_haar<double>({6, 6}, 1.0, 6);
}

TEST(Orthogonal, Law) {
  EXPECT_EQ(Orthogonal{1.0}.moments({10, 40}).variance, 1.0 / 40.0);
  EXPECT_EQ(Orthogonal{2.0}.moments({40, 10}).variance, 4.0 / 40.0);
  EXPECT_EQ(parse("orthogonal:1.5").rule(), Rule{Orthogonal{1.5}});
  EXPECT_EQ(parse("orthogonal").rule(), Rule{Orthogonal{1.0}});
}

}  // namespace
}  // namespace initlab::init
