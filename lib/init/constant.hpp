#pragma once
// w = value: zeros, ones, constant:V (PyTorch zeros_, ones_, constant_). See constant.cpp.

#include <span>
#include <string>
#include <vector>

#include "init/rule.hpp"

namespace initlab::init {

struct Constant {
  double value = 0.0;

  template <class T>
  void operator()(std::span<T> w, FanShape s, const random::Stream& rng) const;
  Moments moments(FanShape s) const;
  std::string law() const;
  std::string spec() const;
  static const std::vector<Entry<Constant>>& entries();
  bool operator==(const Constant&) const = default;
};

}  // namespace initlab::init
