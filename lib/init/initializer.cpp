// Initializer: a parsed spec and its rule. Dispatches to the family's value type
// (one file each in lib/init/) with std::visit.

#include <variant>

#include "init/detail.hpp"
#include "init/initializer.hpp"

namespace initlab::init {

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
