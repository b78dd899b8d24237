#pragma once
// A network as a user describes it: an input width n_0 and a sequence of blocks
// (repeats already expanded), each one of
//   DenseLayer  h = x W^T + b, a = phi(h); W (width, in), b (width)
//   Norm        LayerNorm (per example, over units) or BatchNorm in training mode
//               (per unit, over the batch): y = (x - mean) / sqrt(var + eps),
//               then y * gamma + beta when affine (gamma = 1, beta = 0 at init)
//   Residual    x -> x + alpha * branch(x), or x + alpha * branch(norm(x)) with a
//               pre-norm; the branch is one or more dense layers whose last width
//               is the block's input width
// The one type the network-file parser (study/), the model that runs it (nn/) and
// the block-by-block mean-field recursion (theory/) share. Initializers stay spec
// strings here (init::parse reads them); this header pulls in no tensor library.

#include <cstddef>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/activation.hpp"

namespace initlab {

struct DenseLayer {
  std::size_t width = 0;           // n_l > 0
  Activation activation;           // phi
  std::string init = "lecun_normal";  // weight initializer spec
  std::string bias = "zeros";         // bias initializer spec, drawn as a (width, 1) matrix
};

struct Norm {
  enum class Kind { layer, batch };
  Kind kind = Kind::layer;
  bool affine = false;  // learnable gamma (ones) and beta (zeros)
  double eps = 1e-5;    // > 0, added to the variance under the square root

  std::string name() const;  // "layernorm" or "batchnorm"
};

struct Residual {
  // How alpha was given: a number, or 1/sqrt(L) with L the number of residual
  // blocks in the whole network (alpha below is then already resolved).
  enum class Scale { fixed, inv_sqrt_blocks };
  std::vector<DenseLayer> branch;  // >= 1 layers; the last one's width is the input width
  std::optional<Norm> pre_norm;    // norm(x) feeds the branch; the skip path is x itself
  double alpha = 1.0;              // finite
  Scale scale = Scale::fixed;
};

using Block = std::variant<DenseLayer, Norm, Residual>;

struct NetDescription {
  std::string name;           // a label for reports (the file's "name", else its stem)
  std::size_t input = 0;      // n_0 > 0
  std::vector<Block> blocks;  // >= 1, repeats expanded

  // Width of block k's output (k = 0..blocks.size()-1), given the input width.
  std::size_t output_width(std::size_t k) const;
  std::size_t residual_blocks() const;
  bool plain() const;  // every block is a DenseLayer (a plain MLP)
  // Every dense layer, residual branch layers included, in the order nn::Model
  // numbers (and seeds) them: block by block, a branch's layers in order.
  std::vector<DenseLayer> dense_layers() const;
  // Throws std::invalid_argument naming the first bad block (1-based, as
  // "block 3" or "block 3 branch layer 2") and the value: input or width 0, a
  // residual branch that is empty or does not end at its input width, a
  // non-finite alpha, eps <= 0 or not finite, no blocks.
  void validate() const;
};

}  // namespace initlab
