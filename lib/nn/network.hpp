#pragma once
// A fully connected network: for l = 1..L
//   h^l = a^{l-1} W^l^T + b^l,  a^l = phi_l(h^l),  a^0 = x
// with x (B, n_0), W^l (n_l, n_{l-1}), b^l (n_l). `forward` keeps the per-layer
// cache (h^l, a^l) that `backward` and the statistics both read, so analysis
// never recomputes a pass.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.hpp"
#include "init/initializer.hpp"
#include "nn/activation.hpp"

namespace initlab::nn {

struct NetworkConfig {
  std::vector<std::size_t> widths;        // n_0 .. n_L, L >= 1, all > 0
  std::vector<Activation> activations;    // L entries, or 1 (used for every layer)
  std::vector<std::string> inits;         // L specs, or 1 (used for every layer)
  std::string bias_init = "zeros";        // spec for every b^l (drawn as a (n_l, 1) matrix)
  std::uint64_t seed = 0;                 // W^l from Stream(seed).split(2l), b^l from split(2l+1)
  int threads = 1;                        // threads used to draw the weights
};

// Per-layer forward cache, layer l = 1..L stored at index l-1.
template <class T>
struct LayerCache {
  Matrix<T> h;  // (B, n_l) pre-activation
  Matrix<T> a;  // (B, n_l) activation
};

// Per-layer gradients from `backward`, layer l = 1..L stored at index l-1.
template <class T>
struct Gradients {
  std::vector<Matrix<T>> dW;  // (n_l, n_{l-1})
  std::vector<Vector<T>> db;  // (n_l)
  std::vector<Matrix<T>> dh;  // (B, n_l) = dL/dh^l
};

template <class T>
class Network {
 public:
  explicit Network(const NetworkConfig& config);  // validates and initializes

  // Redraws every W^l, b^l in place from a config with the same widths (new
  // seed, inits, activations, bias): the same values a new Network(config) would
  // hold, without allocating per layer (weights, cache and gradient buffers are
  // kept). Throws std::invalid_argument if config.widths differ.
  void reinitialize(const NetworkConfig& config);
  // The same with the rules already parsed: activation f in every layer, every
  // W^l from weights, every b^l from bias, Stream(seed) split as in NetworkConfig.
  // Parses and allocates nothing (for studies that redraw many networks).
  void reinitialize(Activation f, const init::Initializer& weights, const init::Initializer& bias,
                    std::uint64_t seed, int threads = 1);

  // Activation f in every layer and every W^l, b^l copied from W[l-1], b[l-1]
  // (this network's shapes; throws std::invalid_argument otherwise): a draw the
  // caller kept, reused under another activation without drawing it again.
  // Allocates nothing.
  void assign(Activation f, const std::vector<Matrix<T>>& W, const std::vector<Vector<T>>& b);
  // W[l-1], b[l-1] <- copies of W^l, b^l, resized to this network's shapes (the
  // reverse of assign: allocates only when the shapes change).
  void copy_parameters_to(std::vector<Matrix<T>>& W, std::vector<Vector<T>>& b) const;

  std::size_t depth() const { return W_.size(); }
  const std::vector<std::size_t>& widths() const { return widths_; }
  const std::vector<Activation>& activations() const { return activations_; }

  Matrix<T>& W(std::size_t l) { return W_.at(l - 1); }  // l = 1..L
  const Matrix<T>& W(std::size_t l) const { return W_.at(l - 1); }
  Vector<T>& b(std::size_t l) { return b_.at(l - 1); }
  const Vector<T>& b(std::size_t l) const { return b_.at(l - 1); }

  // x (B, n_0) -> a^L (B, n_L). Buffers are reused while B stays the same.
  const Matrix<T>& forward(const Matrix<T>& x);
  const std::vector<LayerCache<T>>& cache() const { return cache_; }
  const Matrix<T>& input() const { return x_; }
  // The same pass on a const network, into a caller-owned cache (resized as
  // needed): x (B, n_0) -> out[l-1] = (h^l, a^l). For evaluation and prediction.
  void forward(const Matrix<T>& x, std::vector<LayerCache<T>>& out) const;

  // Number of weights and biases, sum_l n_l (n_{l-1} + 1).
  std::size_t parameter_count() const;

  // dh_last (B, n_L) = dL/dh^L -> per-layer dW, db, dh (uses the last forward's
  // cache). Losses give dL/dh^L directly (fused softmax / sigmoid).
  const Gradients<T>& backward(const Matrix<T>& dh_last);
  const Gradients<T>& gradients() const { return grads_; }
  // The same backward pass with plain SGD (p -= lr dL/dp) applied on the way:
  // each layer's update is fused into its dW GEMM (W = W - lr dy^T a^{l-1}, one
  // call, alpha = -lr, beta = 1), after dx has read the old W. Fills dh and db
  // of gradients(), not dW. Equal to backward + SGD step up to rounding.
  void backward_sgd(const Matrix<T>& dh_last, T lr);

 private:
  std::vector<std::size_t> widths_;
  std::vector<Activation> activations_;
  std::vector<Matrix<T>> W_;
  std::vector<Vector<T>> b_;
  Matrix<T> x_;
  std::vector<LayerCache<T>> cache_;
  Gradients<T> grads_;
  std::vector<Matrix<T>> da_;  // scratch: dL/da^l

  void draw(const NetworkConfig& config);  // activations and parameters from config
  // W^l from weights(l), b^l from bias, from Stream(seed, 0, threads)
  template <class Weights>
  void draw_parameters(const Weights& weights, const init::Initializer& bias, std::uint64_t seed,
                       int threads);
  void seed_backward(const Matrix<T>& dh_last, const char* func);  // checks, grads_.dh[L-1] = dh_last
  void activation_gradient(std::size_t l);  // dh^{l-1} from da^{l-1}, l >= 2
};

extern template class Network<float>;
extern template class Network<double>;

}  // namespace initlab::nn
