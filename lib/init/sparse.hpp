#pragma once
// PyTorch sparse_ (Martens 2010): in each column a fraction `sparsity` of entries
// is zero, the rest N(0, std^2). See sparse.cpp.

#include <span>
#include <string>
#include <vector>

#include "init/rule.hpp"

namespace initlab::init {

struct Sparse {
  double sparsity = 0.1;
  double std = 0.01;

  template <class T>
  void operator()(std::span<T> w, FanShape s, const random::Stream& rng) const;
  Moments moments(FanShape s) const;
  std::string law() const;
  std::string spec() const;
  static const std::vector<Entry<Sparse>>& entries();
  bool operator==(const Sparse&) const = default;
};

}  // namespace initlab::init
