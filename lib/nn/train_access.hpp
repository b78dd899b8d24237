#pragma once
// What nn/trainer.cpp reads of the network it trains, a Network or a Model, so one
// training loop serves both: widths, the output layer (activation, cache h and a),
// the finiteness check of the parameters. Included by trainer.cpp only.

#include <string>
#include <variant>
#include <vector>

#include "core/error.hpp"
#include "core/finite.hpp"
#include "nn/model.hpp"
#include "nn/network.hpp"

namespace initlab::nn::detail {

// What the trainer reads of a Network or a Model: widths, the output layer (its
// activation and cache h, a), the update, the finiteness check.
template <class T>
std::size_t input_width(const Network<T>& net) { return net.widths().front(); }
template <class T>
std::size_t input_width(const Model<T>& m) { return m.input_width(); }
template <class T>
std::size_t output_width(const Network<T>& net) { return net.widths().back(); }
template <class T>
std::size_t output_width(const Model<T>& m) { return m.output_width(); }
template <class T>
const LayerCache<T>& top(const Network<T>& net) { return net.cache().back(); }
// The loss reads the last block's logits h: it must be a dense layer.
template <class T>
const DenseBlock<T>& top(const Model<T>& m) {
  const auto* d = std::get_if<DenseBlock<T>>(&m.block(m.size() - 1));
  if (d == nullptr)
    fail("train", "the last block (block ", m.size(),
         ") is not a dense layer; expected a dense output layer whose logits the loss reads");
  return *d;
}
template <class T>
Activation output_activation(const Network<T>& net) { return net.activations().back(); }
template <class T>
Activation output_activation(const Model<T>& m) { return top(m).activation; }

// Where the first non-finite weight or bias is ("layer l" or a Model's parameter
// name), or "" if none (core/finite.hpp: one vectorized pass over each block).
template <class T>
std::string first_nonfinite(const Network<T>& net) {
  for (std::size_t l = 1; l <= net.depth(); ++l)
    if (!all_finite(net.W(l).data(), net.W(l).size()) || !all_finite(net.b(l).data(), net.b(l).size()))
      return cat("layer ", l);
  return "";
}
template <class T>
std::string first_nonfinite(const std::vector<Parameter<T>>& params) {
  for (const Parameter<T>& p : params)
    if (!all_finite(p.value.data(), p.value.size())) return p.name;
  return "";
}

}  // namespace initlab::nn::detail
