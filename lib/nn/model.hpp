#pragma once
// Any network a NetDescription (core/net_description.hpp) describes: dense layers,
// LayerNorm / BatchNorm (training mode) and residual blocks, run forward on a batch
// x (B, n_0) and backward from dL/d(output). Every block keeps its cache (output;
// h for dense layers; the branch layers' caches and the pre-norm's for residual
// blocks; xhat and the statistics for norms) and, after backward, dL/d(its output)
// and the gradients of its parameters (nn/blocks.hpp). Buffers are reused while the
// batch size stays the same: forward and backward then allocate nothing.
//
// Seeding: the dense layers are numbered j = 1, 2, ... in the order they appear,
// residual branch layers included; layer j draws W from Stream(seed).split(2j) and
// b from split(2j + 1) (its init and bias specs). For a plain net this is
// nn::Network's split, so Model and Network with the same widths, activations,
// inits, bias and seed hold the same weights and compute the same values; adding
// or removing norm blocks leaves every weight as it was. gamma = 1, beta = 0.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "core/net_description.hpp"
#include "core/tensor.hpp"
#include "nn/blocks.hpp"

namespace initlab::nn {

template <class T>
using ModelBlock = std::variant<DenseBlock<T>, NormBlock<T>, ResidualBlock<T>>;

// One parameter tensor of a Model, for optimizers: a view of its values and of
// its gradient from the last backward (valid while the Model lives, not moved).
template <class T>
struct Parameter {
  std::string name;         // "block 3 W", "block 5 branch 2 b", "block 2 gamma", "block 4 pre-norm beta"
  std::span<T> value;       // row-major (rows, cols)
  std::span<const T> grad;  // the same shape
  std::size_t rows = 0;     // W: (out, in); b, gamma, beta: (n, 1)
  std::size_t cols = 0;
};

template <class T>
class Model {
 public:
  // Validates net (NetDescription::validate) and draws the parameters (see above);
  // threads (>= 1) draw the weights. Throws std::invalid_argument naming the block
  // for a bad init or bias spec or a weight matrix beyond 2^32 entries.
  Model(const NetDescription& net, std::uint64_t seed, int threads = 1);

  const NetDescription& description() const { return net_; }
  std::size_t size() const { return blocks_.size(); }  // number of blocks
  std::size_t input_width() const { return net_.input; }
  std::size_t output_width() const { return net_.output_width(size() - 1); }
  std::size_t parameter_count() const;
  const ModelBlock<T>& block(std::size_t k) const { return blocks_.at(k); }  // k = 0..size()-1
  ModelBlock<T>& block(std::size_t k) { return blocks_.at(k); }

  // x (B, n_0) -> the last block's output (B, n_out). B >= 1.
  const Matrix<T>& forward(const Matrix<T>& x);
  const Matrix<T>& input() const { return x_; }  // the last forward's x
  const Matrix<T>& output(std::size_t k) const;  // block k's output of the last forward
  const Matrix<T>& output() const { return output(size() - 1); }

  // dout (B, n_out) = dL/d(output) of the last forward -> every block's dL/d(output)
  // and parameter gradients; dL/dx too when input_gradient (else input_gradient()
  // is unspecified).
  void backward(const Matrix<T>& dout, bool input_gradient = false);
  // The same from dh (B, n_out) = dL/dh of the last block, which must be dense (the
  // fused softmax / sigmoid losses give dL/dh); that block's da is not computed.
  void backward_logits(const Matrix<T>& dh, bool input_gradient = false);
  const Matrix<T>& output_gradient(std::size_t k) const;  // dL/d(block k's output)
  const Matrix<T>& input_gradient() const { return dx_; }

  // Every parameter tensor, in block order (W before b, gamma before beta, a
  // residual's pre-norm before its branch).
  std::vector<Parameter<T>> parameters();

 private:
  NetDescription net_;
  std::vector<ModelBlock<T>> blocks_;
  Matrix<T> x_, dx_;

  void backward_from(const Matrix<T>& seed, bool logits, bool input_gradient, const char* func);
};

extern template class Model<float>;
extern template class Model<double>;

}  // namespace initlab::nn
