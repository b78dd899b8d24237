#pragma once
// w ~ N(0, std^2) (PyTorch normal_). See normal.cpp.

#include <span>
#include <string>
#include <vector>

#include "init/rule.hpp"

namespace initlab::init {

struct Normal {
  double std = 1.0;

  template <class T>
  void operator()(std::span<T> w, FanShape s, const random::Stream& rng) const;
  Moments moments(FanShape s) const;
  std::string law() const;
  std::string spec() const;
  static const std::vector<Entry<Normal>>& entries();
  bool operator==(const Normal&) const = default;
};

}  // namespace initlab::init
