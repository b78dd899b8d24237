#pragma once
// gain * Q, Q Haar-distributed with orthonormal rows (wide) or columns (tall)
// (Saxe et al. 2014; PyTorch orthogonal_). See orthogonal.cpp.

#include <span>
#include <string>
#include <vector>

#include "init/rule.hpp"

namespace initlab::init {

struct Orthogonal {
  double gain = 1.0;

  template <class T>
  void operator()(std::span<T> w, FanShape s, const random::Stream& rng) const;
  Moments moments(FanShape s) const;
  std::string law() const;
  std::string spec() const;
  static const std::vector<Entry<Orthogonal>>& entries();
  bool operator==(const Orthogonal&) const = default;
};

}  // namespace initlab::init
