// The note's first rule, "the mean of the activations is zero", starts with the
// weights: every initializer whose law is symmetric about 0 must draw matrices whose
// sample mean is within the band z rho / sqrt(N), z = 5.387, rho^2 the entry's
// sub-Gaussian proxy (derivation: tolerance.hpp section 2). Failure probability per
// case: <= 1e-6. A shifted or one-sided generator (U(0, a) for U(-a, a), a sign
// lost in Box-Muller) moves the mean by order rho, i.e. sqrt(N)/5.4 bands: caught
// at any N >= 30 or so.

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <variant>
#include <vector>

#include "init/draw.hpp"
#include "init/initializer.hpp"
#include "properties/harness.hpp"
#include "properties/tolerance.hpp"

namespace initlab::properties {
namespace {

// The std of N(0, 1) restricted to [-2, 2] (Keras's truncation constant).
constexpr double kTruncatedStd = 0.87962566103423978;

// Sub-Gaussian proxy rho of one entry (tolerance.hpp section 2).
struct Proxy {
  FanShape s;
  double operator()(const init::Normal& r) const { return r.std; }
  double operator()(const init::Uniform& r) const { return r.a / std::sqrt(3.0); }
  double operator()(const init::TruncatedNormal& r) const {
    RC_ASSERT(r.a == -r.b);  // symmetric only
    return r.std;
  }
  double operator()(const init::VarianceScaling& r) const {
    const double sd = std::sqrt(r.scale / init::fan(s, r.mode));
    return r.distribution == init::Distribution::truncated_normal ? sd / kTruncatedStd : sd;
  }
  double operator()(const init::Orthogonal& r) const {
    return r.gain / std::sqrt(static_cast<double>(std::max(s.out, s.in)));
  }
  double operator()(const init::Sparse& r) const { return r.std; }
  double operator()(const init::Constant&) const {
    RC_FAIL("constant is not symmetric");
    return 0.0;
  }
  double operator()(const init::Identity&) const {
    RC_FAIL("identity is not symmetric");
    return 0.0;
  }
};

std::string gen_symmetric_spec() {
  const auto num = [](std::size_t k, double unit) { return std::to_string(static_cast<double>(k) * unit); };
  const std::string mode = *rc::gen::element<std::string>("fan_in", "fan_out", "fan_avg").as("mode");
  const std::string dist = *rc::gen::element<std::string>("normal", "truncated_normal", "uniform").as("dist");
  switch (gen_size("spec family", 0, 16)) {
    case 0: return "normal:" + num(gen_size("std * 100", 1, 200), 0.01);
    case 1: return "uniform:" + num(gen_size("a * 100", 1, 200), 0.01);
    case 2: return "truncated_normal:" + num(gen_size("std * 100", 1, 200), 0.01);
    case 3: {
      const std::string b = num(gen_size("bound * 4", 1, 12), 0.25);
      return "truncated_normal:" + num(gen_size("std * 100", 1, 200), 0.01) + ",-" + b + "," + b;
    }
    case 4:
      return "variance_scaling:scale=" + num(gen_size("scale * 10", 1, 40), 0.1) + ",mode=" + mode +
             ",distribution=" + dist;
    case 5: return "lecun_normal";
    case 6: return "lecun_uniform";
    case 7: return "xavier_normal";
    case 8: return "xavier_uniform";
    case 9: return "he_normal:mode=" + mode;
    case 10: return "he_uniform:nonlinearity=leaky_relu,slope=0.2";
    case 11: return "note_uniform";
    case 12: return "note_xavier";
    case 13: return "note_standard_normal";
    case 14: return "orthogonal:" + num(gen_size("gain * 10", 1, 40), 0.1);
    case 15: return "sparse:" + num(gen_size("sparsity * 10", 0, 9), 0.1) + "," + num(gen_size("std * 100", 1, 100), 0.01);
    default: return "variance_scaling";
  }
}

RC_GTEST_PROP(InitMean, SymmetricInitializersHaveZeroMean, ()) {
  const std::string spec = gen_symmetric_spec();
  const FanShape s{gen_size("out", 1, 256), gen_size("in", 1, 256)};
  const std::uint64_t seed = gen_seed();
  const init::Initializer init = init::parse(spec);
  const double rho = std::visit(Proxy{s}, init.rule());
  const Matrix<double> w = initlab::init::draw<double>(init, s, random::Stream(seed));
  double sum = 0.0;
  for (double v : w) sum += v;
  const double n = static_cast<double>(w.size());
  const double mean = sum / n, bound = kMeanZ * rho / std::sqrt(n);
  RC_LOG() << spec << " (" << s.out << ", " << s.in << "): mean " << mean << ", bound " << bound
           << "\n";
  RC_ASSERT(std::abs(mean) <= bound);
}

}  // namespace
}  // namespace initlab::properties
