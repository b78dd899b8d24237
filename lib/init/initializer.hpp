#pragma once
// Weight initializers. Each family is a small value type (one file each in
// lib/init/) with its formula and paper in a doc comment and one call signature:
//
//   template <class T> void operator()(std::span<T> w, FanShape s, const random::Stream& rng) const;
//
// which fills the row-major (out, in) matrix w (w.size() == s.out * s.in) and is
// explicitly instantiated for float and double. Each family also states what it
// promises for one entry: `Moments moments(FanShape) const` and a formula text
// `std::string law() const` such as "N(0, 2/fan_in)".
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
#include "random/stream.hpp"

namespace initlab::init {

enum class FanMode { fan_in, fan_out, fan_avg };
enum class Distribution { normal, truncated_normal, uniform };

std::string_view to_string(FanMode m);
std::string_view to_string(Distribution d);
// The fan a mode selects, as a double (fan_avg may be fractional).
double fan(FanShape s, FanMode m);

// Mean and variance of one entry, as the spec promises them. For deterministic
// rules (constant, identity) these are the population moments of the matrix.
struct Moments {
  double mean = 0.0;
  double variance = 0.0;
};

#define INITLAB_INIT_RULE_API(Rule_)                                          \
  template <class T>                                                          \
  void operator()(std::span<T> w, FanShape s, const random::Stream& rng) const; \
  Moments moments(FanShape s) const;                                          \
  std::string law() const;                                                    \
  bool operator==(const Rule_&) const = default;

// w = value.  (zeros, ones, note_zero)
struct Constant {
  double value = 0.0;
  INITLAB_INIT_RULE_API(Constant)
};
// w ~ U(-a, a), variance a^2 / 3.
struct Uniform {
  double a = 1.0;
  INITLAB_INIT_RULE_API(Uniform)
};
// w ~ N(0, std^2).
struct Normal {
  double std = 1.0;
  INITLAB_INIT_RULE_API(Normal)
};
// w ~ std * N(0, 1) restricted to [a, b] (bounds in units of std).
struct TruncatedNormal {
  double std = 1.0;
  double a = -2.0;
  double b = 2.0;
  INITLAB_INIT_RULE_API(TruncatedNormal)
};
// Keras / JAX variance_scaling: variance scale / fan(mode) for every distribution.
struct VarianceScaling {
  double scale = 1.0;
  FanMode mode = FanMode::fan_in;
  Distribution distribution = Distribution::truncated_normal;
  INITLAB_INIT_RULE_API(VarianceScaling)
};
// gain * Q, Q Haar-distributed with orthonormal rows (wide) or columns (tall).
struct Orthogonal {
  double gain = 1.0;
  INITLAB_INIT_RULE_API(Orthogonal)
};
// alpha * I, rectangular allowed (ones on the main diagonal of (out, in)).
struct Identity {
  double alpha = 1.0;
  INITLAB_INIT_RULE_API(Identity)
};
// PyTorch sparse_: in each column a fraction `sparsity` of entries is zero, the
// rest N(0, std^2).
struct Sparse {
  double sparsity = 0.1;
  double std = 0.01;
  INITLAB_INIT_RULE_API(Sparse)
};

#undef INITLAB_INIT_RULE_API

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

// One row of the initializer table (`initlab init --list`, reports/initializers.md).
struct TableRow {
  std::string name;          // e.g. "he_normal[:mode=fan_in|fan_out,nonlinearity=relu|leaky_relu,slope=S]"
  std::string distribution;  // e.g. "N(0, 2/fan_in)"
  std::string variance;      // e.g. "2/fan_in"
  std::string equals;        // the variance_scaling (or other rule) it equals
  std::string note;          // paper or peer it follows
};
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

}  // namespace initlab::init
