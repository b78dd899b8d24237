#pragma once
// Weight initializers. Each rule is a small value type with one header and one
// source in lib/init/, its formula and paper in a doc comment; rule.hpp states what
// every rule provides (fill, moments, law, canonical spec, names and table rows).
//
// `Initializer` pairs a parsed spec with its rule; `parse` (registry.cpp) turns
// specs such as "he_normal", "identity:1.5", "normal:0.01" into one.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/fan_shape.hpp"
#include "init/constant.hpp"
#include "init/identity.hpp"
#include "init/normal.hpp"
#include "init/orthogonal.hpp"
#include "init/rule.hpp"
#include "init/sparse.hpp"
#include "init/truncated_normal.hpp"
#include "init/uniform.hpp"
#include "init/variance_scaling.hpp"
#include "random/stream.hpp"

namespace initlab::init {

// The list of rules: adding one is its header and source (rule.hpp says what they
// provide), one line here and its test.
using Rule = std::variant<Constant, Uniform, Normal, TruncatedNormal, VarianceScaling,
                          Orthogonal, Identity, Sparse>;

class Initializer {
 public:
  Initializer(std::string spec, Rule rule) : spec_(std::move(spec)), rule_(rule) {}

  const std::string& spec() const { return spec_; }
  const Rule& rule() const { return rule_; }

  // Fills w, the row-major (s.out, s.in) matrix; throws if w.size() != s.size()
  // or s has a zero dimension.
  template <class T>
  void operator()(std::span<T> w, FanShape s, const random::Stream& rng) const;

  Moments moments(FanShape s) const;
  std::string law() const;

 private:
  std::string spec_;
  Rule rule_;
};

// Parses a spec; throws std::invalid_argument naming the spec and what was
// expected. See `initlab init --list` or table() for the grammar.
Initializer parse(std::string_view spec);

// The canonical spec of a rule: parse(spec_of(r)).rule() == r for every rule
// (numbers are written with the shortest text that reads back exactly).
std::string spec_of(const Rule& r);

// The rows of the initializer table (`initlab init --list`, reports/initializers.md),
// the rules' in the order of `Rule`, then the note's presets.
std::vector<TableRow> table();

// Summary of one drawn matrix: sample mean, variance with divisor N (the population
// variance of the matrix, comparable with Moments for every rule), min and max.
// Accumulated in double. Throws std::invalid_argument if w is empty.
struct DrawStats {
  double mean = 0.0;
  double variance = 0.0;
  double min = 0.0;
  double max = 0.0;
};
template <class T>
DrawStats draw_stats(std::span<const T> w);

// PyTorch's torch.nn.init.calculate_gain: linear/identity/conv 1, sigmoid 1,
// tanh 5/3, relu sqrt(2), leaky_relu sqrt(2 / (1 + slope^2)), selu 3/4.
double calculate_gain(std::string_view activation, double param = 0.01);
// Whether calculate_gain knows the name (PyTorch defines none for gelu, silu, erf, softplus).
bool has_calculate_gain(std::string_view activation);

}  // namespace initlab::init
