// activate_backward against central finite differences of sum(R * phi(h)), for
// every activation, random shapes and random upstream gradients R.

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "nn/activation.hpp"
#include "nn/nn_testing.hpp"

namespace initlab::nn {
namespace {

using testing::away_from_zero;
using testing::fd_gradient;
using testing::kFdTolerance;
using testing::random_matrix;
using testing::relative_error;
using testing::weighted_sum;

Activation any_activation() {
  const int k = *rc::gen::inRange(0, Activation::kKinds).as("k");
  Activation f;
  f.kind = static_cast<Activation::Kind>(k);
  if (f.kind == Activation::Kind::leaky_relu) f.slope = *rc::gen::inRange(0, 100).as("slope * 100") / 100.0;
  return f;
}

RC_GTEST_PROP(Activation, BackwardMatchesFiniteDifferences, ()) {
  const Activation f = any_activation();
  const auto B = static_cast<std::size_t>(*rc::gen::inRange(1, 7).as("B"));
  const auto n = static_cast<std::size_t>(*rc::gen::inRange(1, 7).as("n"));
  const auto seed = *rc::gen::arbitrary<std::uint64_t>().as("seed");
  // ReLU-type inputs are kept at least 0.1 from the kink (step 1e-6 never crosses it).
  Matrix<double> h = away_from_zero(B, n, seed, 0.1, 3.0);
  const Matrix<double> R = random_matrix(B, n, seed + 1);

  Matrix<double> a, dh;
  activate(a, h, f);
  activate_backward(dh, R, h, a, f);

  Matrix<double> tmp;
  const auto loss = [&] {
    activate(tmp, h, f);
    return weighted_sum(tmp, R);
  };
  const std::vector<double> fd = fd_gradient(loss, h.data(), h.size());
  RC_ASSERT(relative_error(dh.data(), fd.data(), h.size()) <= kFdTolerance);
}

// The float kernels agree with the double ones to float rounding (a few ulps of
// the O(1) results; 1e-5 absolute leaves a wide margin over 2^-23 ~ 1.2e-7
// times xsimd's documented few-ulp tanh/exp error).
RC_GTEST_PROP(Activation, FloatMatchesDouble, ()) {
  const Activation f = any_activation();
  const auto seed = *rc::gen::arbitrary<std::uint64_t>().as("seed");
  const Matrix<double> h = random_matrix(5, 7, seed, -4.0, 4.0);
  const Matrix<double> R = random_matrix(5, 7, seed + 1);
  Matrix<float> hf = xt::cast<float>(h), Rf = xt::cast<float>(R);
  Matrix<double> a, dh;
  Matrix<float> af, dhf;
  activate(a, h, f);
  activate_backward(dh, R, h, a, f);
  activate(af, hf, f);
  activate_backward(dhf, Rf, hf, af, f);
  for (std::size_t i = 0; i < h.size(); ++i) {
    RC_ASSERT(std::abs(a.data()[i] - static_cast<double>(af.data()[i])) <= 1e-5);
    RC_ASSERT(std::abs(dh.data()[i] - static_cast<double>(dhf.data()[i])) <= 1e-5);
  }
}

}  // namespace
}  // namespace initlab::nn
