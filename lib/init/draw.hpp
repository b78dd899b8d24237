#pragma once
// One initializer draw into a new matrix. Kept apart from initializer.hpp so that
// code which only fills spans does not pull in the tensor library.

#include "core/tensor.hpp"
#include "init/initializer.hpp"

namespace initlab::init {

// A new (s.out, s.in) matrix filled by ini; throws as Initializer::operator() does.
template <class T>
Matrix<T> draw(const Initializer& ini, FanShape s, const random::Stream& rng);

}  // namespace initlab::init
