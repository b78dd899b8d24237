#pragma once
// The mean-field recursion block by block for any described network: dense
// layers, LayerNorm and BatchNorm (training mode) and residual blocks, forward
// (the second moment of every block's output) and backward (the second moment of
// dL/d(block output)). A plain net gives exactly theory::trajectory's layers.
// Laws and derivations: docs/theory.md §25 (the recursion), §26 (residual growth,
// Yang & Schoenholz 2017), §27 (normalization; SELU's fixed point, Klambauer et al.
// 2017) and §28 (BatchNorm's gradient explosion, Yang et al. 2019).
//
// This is the theory's own view of a network: numbers only (sw2, sb2, widths,
// alpha, eps). study/net_theory.hpp translates a core NetDescription and its
// initializers into it. Everything positive is carried as its natural log as in
// meanfield.hpp (plain values are NaN with `overflow` set beyond double range).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/activation.hpp"
#include "theory/meanfield.hpp"

namespace initlab::theory {

// h = W x + b, a = phi(h); W (width, n_in).
struct NetDense {
  Activation activation;
  std::size_t width = 0;  // n_l > 0
  double sw2 = 0.0;       // n_{l-1} E[(W^l)^2] (the entries' second moment)
  double sb2 = 0.0;       // E[(b^l)^2]
};

// y = (x - mean) / sqrt(var + eps): LayerNorm over the units of one example,
// BatchNorm over the batch for one unit. At initialization gamma = 1, beta = 0, so
// whether it is affine does not change the recursion.
struct NetNorm {
  enum class Kind { layer, batch };
  Kind kind = Kind::layer;
  double eps = 1e-5;  // > 0
};

// x -> x + alpha * branch(x), or x + alpha * branch(norm(x)) with a pre-norm.
struct NetResidual {
  std::vector<NetDense> branch;   // >= 1 layers, the last one of the block's input width
  std::optional<NetNorm> pre_norm;
  double alpha = 1.0;             // finite
};

using NetBlock = std::variant<NetDense, NetNorm, NetResidual>;

struct NetArchitecture {
  std::size_t input = 0;         // n_0 > 0
  double q0 = 1.0;               // E[x^2] of the input entries (|x|^2 / n_0)
  double mean0 = 0.0;            // E[x] of the input entries, |mean0| <= sqrt(q0)
  // The backward start: E[(dL/dy)^2] per entry of the output y (the last block's
  // output), or, with `logits`, E[(dL/dh)^2] of the last block, which must then be
  // dense (theory::trajectory's qt_last, nn::Model::backward_logits).
  double qt_last = 1.0;
  bool logits = false;
  std::vector<NetBlock> blocks;  // >= 1
};

// One block's output x^k and the gradient dL/dx^k.
struct BlockTheory {
  enum class Kind { dense, layernorm, batchnorm, residual };
  std::size_t block = 0;                 // k = 1..K
  Kind kind = Kind::dense;
  std::size_t width = 0;                 // n of its output
  double second = 0.0, ln_second = 0.0;  // E[(x^k)^2] per unit
  double mean = 0.0;                     // E[x^k] per unit (NaN if it overflows)
  double mean_ratio = 0.0;               // E[x^k] / sqrt(E[(x^k)^2]), in [-1, 1]
  // Residual: alpha^2 E[branch^2] / E[(x^k)^2], the branch's share of the output's
  // second moment (0 for the other kinds).
  double branch_share = 0.0;
  // dL/dx^k per unit; NaN for the last block under a logits seed (not computed).
  double grad = 0.0, ln_grad = 0.0;
  // ln(E[(dL/dx^{k-1})^2] / E[(dL/dx^k)^2]), the block's backward gain.
  double ln_gain = 0.0;
  // Dense: its one layer; residual: the branch layers (the forward q^l, E[a^2],
  // E[phi'^2], chi_1 and the backward qt = E[(dL/dh)^2], grad2 = E[(dL/dW)^2]).
  std::vector<LayerTheory> layers;
  bool overflow = false;  // some plain field is NaN (out of range)
  // Empty where the law applies; else why not. BatchNorm after a dense layer with
  // sb2 > 0: each unit's bias is constant over the batch, so its batch variance
  // lacks the bias spread that Var phi(h) counts (docs/theory.md §27).
  std::string not_applicable;
};

// "dense", "layernorm", "batchnorm" or "residual" (the report's block column).
std::string_view to_string(BlockTheory::Kind k);

struct NetTrajectory {
  std::vector<BlockTheory> blocks;  // index k-1 holds block k
  double grad_input = 0.0, ln_grad_input = 0.0;  // E[(dL/dx^0)^2] of the input
  std::size_t overflow_at = 0;      // the first block with overflow set; 0 = none
};

// The recursion of docs/theory.md §25. Throws std::invalid_argument naming the
// block (1-based) for a zero width, a residual branch that does not end at its
// input width, a negative or non-finite sw2, sb2, q0, qt_last, a non-finite
// alpha, eps <= 0, |mean0| > sqrt(q0), a logits seed on a last block that is not
// dense, or no blocks.
NetTrajectory net_trajectory(const NetArchitecture& net);

// The plain net of an Architecture (equal or unequal widths, one or L activations)
// as a NetArchitecture of dense blocks: net_trajectory of it reproduces
// theory::trajectory(arch) layer by layer (with logits = true).
NetArchitecture net_architecture(const Architecture& arch);

// ---- closed forms the tests and reports compare the recursion with ------------

// A norm's output second moment v / (v + eps) for an input of centred variance v
// (per example over units for LayerNorm, per unit over the batch for BatchNorm).
double norm_second(double v, double eps);

// The per-layer gradient growth of dense + BatchNorm layers, x -> BN(phi(W x + b)),
// at its fixed point in the limit of large width and batch (Yang et al. 2019):
// sw2 E[phi'(h)^2] / (Var phi(h) + eps), h ~ N(0, sw2 r + sb2), r = v / (v + eps)
// the BN output's second moment, v = Var phi(h). For relu with sb2 = 0 and eps -> 0
// it is pi / (pi - 1) at any sw2 (docs/theory.md §28).
double batchnorm_gradient_rate(Activation f, double sw2, double sb2 = 0.0, double eps = 0.0);

}  // namespace initlab::theory
