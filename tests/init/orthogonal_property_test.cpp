// Orthogonal on random shapes and gains: W W^T = gain^2 I (out <= in) or
// W^T W = gain^2 I (out >= in) to 1e-5 in float and 1e-12 in double
// (orthogonality.hpp), and the stated variance gain^2 / max(out, in) is the
// matrix's second moment.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <vector>

#include "init/gen.hpp"
#include "init/initializer.hpp"
#include "init/laws.hpp"
#include "init/orthogonality.hpp"

namespace initlab::init {
namespace {

template <class T>
void check_orthonormal() {
  const FanShape s = *testing::shape(160);
  const double gain = *testing::log_real(-16, 16).as("gain");
  const auto seed = *rc::gen::arbitrary<std::uint64_t>().as("seed");
  const auto w = testing::draw<T>(Orthogonal{gain}, s, random::Stream(seed));
  const double err = testing::gram_error<T>(w, s, gain);
  RC_LOG() << "(" << s.out << ", " << s.in << ") gain " << gain << " error " << err << "\n";
  RC_ASSERT(err <= testing::orthogonality_tolerance<T>(s));
  double ss = 0.0;
  for (T x : w) ss += static_cast<double>(x) * static_cast<double>(x);
  const double second = ss / static_cast<double>(s.size());
  RC_ASSERT(std::abs(second / Orthogonal{gain}.moments(s).variance - 1.0) <=
            testing::orthogonality_tolerance<T>(s));
}

RC_GTEST_PROP(Orthogonal, OrthonormalFloat, ()) { check_orthonormal<float>(); }
RC_GTEST_PROP(Orthogonal, OrthonormalDouble, ()) { check_orthonormal<double>(); }

}  // namespace
}  // namespace initlab::init
