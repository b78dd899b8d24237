#pragma once
// alpha * I, rectangular allowed (ones on the main diagonal of (out, in));
// Le et al. 2015, PyTorch eye_. See identity.cpp.

#include <span>
#include <string>
#include <vector>

#include "init/rule.hpp"

namespace initlab::init {

struct Identity {
  double alpha = 1.0;

  template <class T>
  void operator()(std::span<T> w, FanShape s, const random::Stream& rng) const;
  Moments moments(FanShape s) const;
  std::string law() const;
  std::string spec() const;
  static const std::vector<Entry<Identity>>& entries();
  bool operator==(const Identity&) const = default;
};

}  // namespace initlab::init
