#pragma once
// Layer-sequential unit-variance initialization (LSUV; Mishkin & Matas 2016, "All
// you need is a good init", arXiv:1511.06422, Algorithm 1): a data-dependent init.
// The network's weights are first drawn orthogonal (Saxe et al. 2014; the caller
// draws them, spec `orthogonal`); then for l = 1..L, on a batch x (B, n_0):
//
//   v = Var(h^l)     the population variance (divisor B n_l) of all B n_l entries of
//                    the pre-activation h^l = a^{l-1} W^l^T + b^l
//   while |v - 1| > tol and fewer than max_iter rescalings:  W^l /= sqrt(v), recompute v
//
// The tolerance applies to the VARIANCE, as in the paper's Algorithm 1 (Tol_var = 0.1,
// T_max = 10); some implementations compare the standard deviation instead. Biases
// are left as drawn. Without bias one rescaling gives v = 1 to rounding; with b^l it
// is a fixed-point iteration v(s) = s^2 A + 2 s C + Var(b) in the scale s of W^l
// whose error contracts by about Var(b)/1 per step, so it converges when the biases
// carry less than the unit variance (and never when a^{l-1} = 0).
//
// Spec: `lsuv` or `lsuv:tol=0.1,max_iter=10` (tol in (0, 1), max_iter in 1..1000).
// Convergence and the mean-field picture: docs/theory.md §22.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/tensor.hpp"
#include "nn/model.hpp"
#include "nn/network.hpp"

namespace initlab::nn {

struct Lsuv {
  double tol = 0.1;           // on the variance: |Var(h^l) - 1| <= tol
  std::size_t max_iter = 10;  // rescalings per layer at most
  std::string spec() const;   // canonical, e.g. "lsuv:tol=0.1,max_iter=10"
};

// True when SPEC names LSUV ("lsuv" or "lsuv:..."); such specs are not init rules.
bool is_lsuv(std::string_view spec);
// Throws std::invalid_argument naming the spec and what was expected.
Lsuv parse_lsuv(std::string_view spec);
// The init spec the weights are drawn from: `orthogonal` (LSUV's pre-init) for an
// LSUV spec, SPEC itself otherwise.
std::string drawn_spec(std::string_view spec);

struct LsuvLayer {
  std::size_t layer = 0;        // l = 1..L
  double variance = 0.0;        // Var(h^l) after the last rescaling
  double scale = 1.0;           // product of the factors applied to W^l
  std::size_t rescalings = 0;
  bool converged = false;       // |variance - 1| <= tol
};

// Rescales net's W^l in place on batch x (B, n_0) as above; forward caches are
// left holding the pass on x with the final weights. Throws std::invalid_argument
// on a batch whose width is not n_0.
template <class T>
std::vector<LsuvLayer> lsuv(Network<T>& net, const Matrix<T>& x, const Lsuv& config);

// The same on a described network (nn/model.hpp): its dense layers j = 1, 2, ... in
// the order Model seeds them (residual branch layers included; LsuvLayer::layer = j),
// each rescaled on its own pre-activation h with every earlier layer already fixed.
// This is well defined because h of layer j depends only on the parameters before
// it: norms and residual sums pass the batch on, and rescaling layer j changes no
// earlier one. (A norm right after a dense layer undoes its scale up to eps, so
// there LSUV changes nothing downstream.) Model's caches are left holding the pass
// on x. Throws std::invalid_argument on a batch whose width is not the input width.
template <class T>
std::vector<LsuvLayer> lsuv(Model<T>& model, const Matrix<T>& x, const Lsuv& config);

}  // namespace initlab::nn
