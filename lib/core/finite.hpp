#pragma once
// Whether a block of floats or doubles holds only finite values, in one pass that
// the compiler vectorizes: a value is inf or NaN exactly when all its exponent
// bits are set, so the test is an integer mask and compare, OR-reduced (a
// floating-point sum such as sum(x - x) is not vectorized without -ffast-math,
// since reordering it changes rounding). For the training loop's divergence check,
// which reads every parameter after every step.

#include <cstddef>

namespace initlab {

// p[0..n) all finite (n = 0: true).
bool all_finite(const float* p, std::size_t n);
bool all_finite(const double* p, std::size_t n);

}  // namespace initlab
