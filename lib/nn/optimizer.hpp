#pragma once
// First-order optimizers that update a Network in place from its Gradients.
// State (velocities, moments) is allocated on the first step; later steps
// allocate nothing. With g = dL/dp for a parameter p and step t = 1, 2, ...:
//   sgd       p -= lr g
//   momentum  v = mu v + g;  p -= lr v              (PyTorch SGD, dampening 0)
//   rmsprop   s = rho s + (1 - rho) g^2;  p -= lr g / (sqrt(s) + eps)
//   adam      m = b1 m + (1 - b1) g;  s = b2 s + (1 - b2) g^2;
//             p -= lr (m / (1 - b1^t)) / (sqrt(s / (1 - b2^t)) + eps)
//             (Kingma & Ba 2015, arXiv:1412.6980, Algorithm 1)
// lr = 0 leaves every parameter bit-identical.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/tensor.hpp"
#include "nn/model.hpp"
#include "nn/network.hpp"

namespace initlab::nn {

struct OptimizerConfig {
  enum class Kind { sgd, momentum, rmsprop, adam };
  Kind kind = Kind::sgd;
  double lr = 0.01;       // > 0 (0 allowed only to test that nothing moves)
  double momentum = 0.9;  // mu, in [0, 1)
  double rho = 0.9;       // rmsprop decay, in [0, 1)
  double beta1 = 0.9;     // adam, in [0, 1)
  double beta2 = 0.999;   // adam, in [0, 1)
  double eps = 1e-8;      // rmsprop / adam, > 0

  // "sgd", "momentum[:MU]", "rmsprop[:RHO]", "adam[:BETA1,BETA2[,EPS]]"; lr is
  // set separately. Throws std::invalid_argument naming the spec.
  static OptimizerConfig parse(std::string_view spec, double lr);
  std::string name() const;  // round-trips through parse (without lr)
  // Throws std::invalid_argument naming the first bad field and its value
  // (lr < 0 or not finite, momentum outside [0, 1), ...).
  void validate(bool allow_zero_lr = false) const;
};

template <class T>
class Optimizer {
 public:
  // Validates (lr <= 0 throws unless allow_zero_lr, for lr = 0 experiments).
  explicit Optimizer(const OptimizerConfig& config, bool allow_zero_lr = false);

  // Updates every W^l, b^l of net from g (shapes must match net's).
  void step(Network<T>& net, const Gradients<T>& g);
  // Backward pass from dh_last (dL/dh^L of net's last forward) and one update:
  // plain SGD fuses its update into each layer's dW GEMM (Network::backward_sgd;
  // equal to backward + step up to rounding), the others run backward, then step.
  void backward_step(Network<T>& net, const Matrix<T>& dh_last);
  // Updates every parameter of a list (Model::parameters()) from its gradient. Its
  // state is its own (not shared with step(Network)), allocated on the first call;
  // later calls with the same list allocate nothing. Throws if the list's sizes change.
  void step(std::span<const Parameter<T>> params);

  const OptimizerConfig& config() const { return config_; }
  std::size_t steps() const { return t_; }
  // Changes the learning rate between steps (schedules); validated like config.
  void set_lr(double lr);

 private:
  OptimizerConfig config_;
  bool allow_zero_lr_ = false;
  std::size_t t_ = 0;
  std::vector<Matrix<T>> mW_, sW_;  // first / second moment (or velocity) per layer
  std::vector<Vector<T>> mb_, sb_;
  std::vector<Vector<T>> mp_, sp_;  // the same per entry of a parameter list
};

extern template class Optimizer<float>;
extern template class Optimizer<double>;

}  // namespace initlab::nn
