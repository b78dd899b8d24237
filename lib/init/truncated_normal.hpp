#pragma once
// w ~ std * N(0, 1) restricted to [a, b] (bounds in units of std; PyTorch
// trunc_normal_ with absolute bounds a*std, b*std). See truncated_normal.cpp.

#include <span>
#include <string>
#include <vector>

#include "init/rule.hpp"

namespace initlab::init {

struct TruncatedNormal {
  double std = 1.0;
  double a = -2.0;
  double b = 2.0;

  template <class T>
  void operator()(std::span<T> w, FanShape s, const random::Stream& rng) const;
  Moments moments(FanShape s) const;
  std::string law() const;
  std::string spec() const;
  static const std::vector<Entry<TruncatedNormal>>& entries();
  bool operator==(const TruncatedNormal&) const = default;
};

}  // namespace initlab::init
