#pragma once
// The study behind `initlab check` and `initlab.check`: is a stored weight tensor
// a draw of an initializer spec? The tensor's layout gives its fans (conv kernels
// by their fan rule), the spec's rule gives the law of one entry (entry_law.hpp),
// and each law gets the tests it has an exact (or rigorously bounded) null
// distribution for (docs/theory.md, "Checking a tensor against its law"):
//
//   normal, truncated_normal, uniform: finite, bounds (where the law has them),
//       mean, variance, Kolmogorov-Smirnov against the exact CDF; Gaussian laws also
//       the independence of row (or column) pairs (an orthogonal matrix fails it);
//   sparse: zeros per column (exact), then the nonzero entries as normal;
//   orthogonal: mean (the sum of all entries of a Haar Q is one coordinate of a
//       uniform point on the sphere), row or column norms equal gain (to rounding);
//       the entries are dependent, so no per-entry KS;
//   constant, identity: every value equals the rule's (exact equality).
//
// Deterministic checks reject on any violation; the statistical ones share the
// level by Bonferroni (each at level / k), so a true draw is rejected w.p. <= level.

#include <cstddef>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/fan_shape.hpp"
#include "data/npy.hpp"

namespace initlab::study {

// out_in: PyTorch / initlab (out, in, k1, k2, ...); in_out: Keras / JAX (k1, k2, ..., in, out).
enum class Layout { out_in, in_out };
std::string_view to_string(Layout l);
Layout parse_layout(std::string_view text);  // "out_in" | "in_out"

// fans: fan_in = in * receptive field, fan_out = out * receptive field (PyTorch's and
// Keras's rule); matrix: the (out, in * receptive) matrix the rules draw.
struct WeightView {
  FanShape fans;
  FanShape matrix;
  std::size_t receptive = 1;
};
// Throws std::invalid_argument for fewer than 2 dimensions or a zero dimension.
WeightView weight_view(std::span<const std::size_t> shape, Layout layout);

struct CheckTest {
  std::string name;       // finite, bounds, zeros, mean, variance, ks, pairs, norms, values
  std::string statistic;  // what `value` is, e.g. "z", "V / variance", "D"
  double value = 0.0;
  double p_value = 1.0;   // exact or an upper bound; deterministic checks: 1 or 0
  std::string method;     // the null distribution the p-value comes from
  bool deterministic = false;
  bool rejected = false;
  double p_asymptotic = std::numeric_limits<double>::quiet_NaN();  // ks: Stephens' value
};

struct CheckResult {
  std::string spec, canonical, law;
  std::vector<std::size_t> shape;
  Layout layout = Layout::out_in;
  data::NpyDtype dtype = data::NpyDtype::f4;
  WeightView view;
  double level = 1e-6;
  double test_level = 1e-6;  // level / (number of statistical tests)
  double mean = 0.0, variance = 0.0, min = 0.0, max = 0.0;  // of the tensor (divisor N)
  double promised_mean = 0.0, promised_variance = 0.0;
  std::vector<CheckTest> tests;
  bool consistent = true;
};

// values: the tensor in C order as stored, float32 values widened exactly when
// dtype is f4. Throws std::invalid_argument for a bad spec, level or shape.
CheckResult check_tensor(std::span<const double> values, std::span<const std::size_t> shape,
                         data::NpyDtype dtype, const std::string& spec, Layout layout,
                         double level);

// `--expect auto`: every registry spec without a free parameter and the
// variance_scaling family at the tensor's fans (scale 1 and 2, every mode and
// distribution), one result each (canonical duplicates removed).
std::vector<std::string> auto_specs();
std::vector<CheckResult> check_auto(std::span<const double> values,
                                    std::span<const std::size_t> shape, data::NpyDtype dtype,
                                    Layout layout, double level);

}  // namespace initlab::study
