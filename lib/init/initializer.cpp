// Initializer: a parsed spec and its rule. Dispatches to the family's value type
// (one file each in lib/init/) with std::visit.

#include <variant>

#include "init/detail.hpp"
#include "init/initializer.hpp"

namespace initlab::init {

std::string_view to_string(FanMode m) {
  switch (m) {
    case FanMode::fan_in: return "fan_in";
    case FanMode::fan_out: return "fan_out";
    case FanMode::fan_avg: return "fan_avg";
  }
  return "?";
}

std::string_view to_string(Distribution d) {
  switch (d) {
    case Distribution::normal: return "normal";
    case Distribution::truncated_normal: return "truncated_normal";
    case Distribution::uniform: return "uniform";
  }
  return "?";
}

double fan(FanShape s, FanMode m) {
  switch (m) {
    case FanMode::fan_in: return static_cast<double>(s.fan_in());
    case FanMode::fan_out: return static_cast<double>(s.fan_out());
    case FanMode::fan_avg: return s.fan_avg();
  }
  return 0.0;
}

// w (s.out, s.in) row-major <- one draw of the rule
template <class T>
void Initializer::operator()(std::span<T> w, FanShape s, const random::Stream& rng) const {
  detail::check_shape(spec_, w.size(), s);
  std::visit([&](const auto& r) { r(w, s, rng); }, rule_);
}

Moments Initializer::moments(FanShape s) const {
  detail::check_shape(spec_, s.size(), s);
  return std::visit([&](const auto& r) { return r.moments(s); }, rule_);
}

std::string Initializer::law() const {
  return std::visit([](const auto& r) { return r.law(); }, rule_);
}

template void Initializer::operator()(std::span<float>, FanShape, const random::Stream&) const;
template void Initializer::operator()(std::span<double>, FanShape, const random::Stream&) const;

}  // namespace initlab::init
