#pragma once
// w ~ U(-a, a), variance a^2 / 3 (PyTorch uniform_). See uniform.cpp.

#include <span>
#include <string>
#include <vector>

#include "init/rule.hpp"

namespace initlab::init {

struct Uniform {
  double a = 1.0;

  template <class T>
  void operator()(std::span<T> w, FanShape s, const random::Stream& rng) const;
  Moments moments(FanShape s) const;
  std::string law() const;
  std::string spec() const;
  static const std::vector<Entry<Uniform>>& entries();
  bool operator==(const Uniform&) const = default;
};

}  // namespace initlab::init
