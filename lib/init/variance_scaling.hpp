#pragma once
// Keras / JAX variance_scaling: variance scale / fan(mode) for every distribution;
// lecun_*, xavier_* / glorot_* and he_* / kaiming_* are its instances. See
// variance_scaling.cpp.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "init/rule.hpp"

namespace initlab::init {

enum class FanMode { fan_in, fan_out, fan_avg };
enum class Distribution { normal, truncated_normal, uniform };

std::string_view to_string(FanMode m);
std::string_view to_string(Distribution d);
// The fan a mode selects, as a double (fan_avg may be fractional).
double fan(FanShape s, FanMode m);

struct VarianceScaling {
  double scale = 1.0;
  FanMode mode = FanMode::fan_in;
  Distribution distribution = Distribution::truncated_normal;

  template <class T>
  void operator()(std::span<T> w, FanShape s, const random::Stream& rng) const;
  Moments moments(FanShape s) const;
  std::string law() const;
  std::string spec() const;
  static const std::vector<Entry<VarianceScaling>>& entries();
  bool operator==(const VarianceScaling&) const = default;
};

}  // namespace initlab::init
