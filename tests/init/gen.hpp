#pragma once
// RapidCheck generators for tests/init: shapes, positive reals and rules of every
// family. Reals come from integers (rc::gen::inRange<double> does not compile here).

#include <rapidcheck.h>

#include <cmath>
#include <cstdint>

#include "init/initializer.hpp"

namespace initlab::init::testing {

// (out, in) with both sides in [1, max_side].
inline rc::Gen<FanShape> shape(std::size_t max_side) {
  return rc::gen::apply([](std::size_t o, std::size_t i) { return FanShape{o, i}; },
                        rc::gen::inRange<std::size_t>(1, max_side + 1),
                        rc::gen::inRange<std::size_t>(1, max_side + 1))
      .as("shape (out, in)");
}

// 2^(k/8) for k in [lo8, hi8]: log-uniform positive reals.
inline rc::Gen<double> log_real(int lo8, int hi8) {
  return rc::gen::map(rc::gen::inRange(lo8, hi8 + 1),
                      [](int k) { return std::exp2(static_cast<double>(k) / 8.0); })
      .as("2^(k/8)");
}

inline rc::Gen<FanMode> fan_mode() {
  return rc::gen::element(FanMode::fan_in, FanMode::fan_out, FanMode::fan_avg).as("fan mode");
}
inline rc::Gen<Distribution> distribution() {
  return rc::gen::element(Distribution::normal, Distribution::truncated_normal,
                          Distribution::uniform)
      .as("distribution");
}

// Truncation bounds (a, b) in units of std: a in [-4, 2], b - a in [0.25, 4].
inline rc::Gen<TruncatedNormal> truncated_normal() {
  return rc::gen::apply(
      [](double sd, int a4, int w4) {
        return TruncatedNormal{sd, a4 / 4.0, a4 / 4.0 + w4 / 4.0};
      },
      log_real(-40, 16), rc::gen::inRange(-16, 9).as("a * 4"), rc::gen::inRange(1, 17).as("(b - a) * 4"))
      .as("truncated normal (std, a, b)");
}

// The families whose entries are i.i.d. (sample moments apply directly).
inline rc::Gen<Rule> iid_rule() {
  return rc::gen::oneOf(
      rc::gen::map(log_real(-40, 16), [](double a) { return Rule{Uniform{a}}; }),
      rc::gen::map(log_real(-40, 16), [](double s) { return Rule{Normal{s}}; }),
      rc::gen::map(truncated_normal(), [](TruncatedNormal t) { return Rule{t}; }),
      rc::gen::apply(
          [](double scale, FanMode m, Distribution d) {
            return Rule{VarianceScaling{scale, m, d}};
          },
          log_real(-24, 24), fan_mode(), distribution()))
      .as("i.i.d. rule");
}

// Every family.
inline rc::Gen<Rule> any_rule() {
  return rc::gen::oneOf(
      iid_rule(),
      rc::gen::map(rc::gen::inRange(-64, 65).as("constant * 8"),
                   [](int v) { return Rule{Constant{v / 8.0}}; }),
      rc::gen::map(log_real(-16, 16), [](double g) { return Rule{Orthogonal{g}}; }),
      rc::gen::map(rc::gen::inRange(-64, 65).as("alpha * 8"),
                   [](int v) { return Rule{Identity{v / 8.0}}; }),
      rc::gen::apply([](int s, double sd) { return Rule{Sparse{s / 20.0, sd}}; },
                     rc::gen::inRange(0, 21).as("sparsity * 20"), log_real(-40, 8)))
      .as("rule");
}

}  // namespace initlab::init::testing
