#include "nn/network.hpp"

#include <algorithm>
#include <span>

#include "core/error.hpp"
#include "nn/buffer.hpp"
#include "nn/dense.hpp"
#include "random/stream.hpp"

namespace initlab::nn {

namespace {

// A per-layer list must hold 1 entry (used for every layer) or L.
void check_per_layer(std::size_t given, std::size_t L, const char* what) {
  if (given != 1 && given != L)
    fail("Network", given, " ", what, " for ", L, " layers; expected 1 (used for every layer) or ", L);
}

// W_to[l], b_to[l] <- W_from[l], b_from[l] for every layer (the shapes agree).
template <class T>
void copy_layers(std::vector<Matrix<T>>& W_to, std::vector<Vector<T>>& b_to,
                 const std::vector<Matrix<T>>& W_from, const std::vector<Vector<T>>& b_from) {
  for (std::size_t l = 0; l < W_from.size(); ++l) {
    std::copy(W_from[l].begin(), W_from[l].end(), W_to[l].begin());
    std::copy(b_from[l].begin(), b_from[l].end(), b_to[l].begin());
  }
}

}  // namespace

template <class T>
Network<T>::Network(const NetworkConfig& config) : widths_(config.widths) {
  if (widths_.size() < 2)
    fail("Network", "widths ", shape_str(widths_), " have ", widths_.size(),
         " entries; expected at least 2 (n_0, n_1, ..., n_L)");
  for (std::size_t i = 0; i < widths_.size(); ++i)
    if (widths_[i] == 0)
      fail("Network", "widths ", shape_str(widths_), ": n_", i, " = 0; expected every width > 0");
  if (config.threads < 1) fail("Network", "threads = ", config.threads, "; expected >= 1");
  const std::size_t L = widths_.size() - 1;
  // Every W^l within kMaxEntries, and all of them together too (the bytes a
  // request needs, said before anything is allocated).
  std::size_t weights = 0;
  for (std::size_t l = 1; l <= L; ++l)
    weights += checked_entries("Network", cat("W^", l), widths_[l], widths_[l - 1], sizeof(T));
  if (weights > kMaxEntries)
    fail("Network", "widths ", shape_str(widths_), " have ", weights, " weights in all, which need ",
         weights * sizeof(T), " bytes; expected at most ", kMaxEntries, " weights (2^32)");
  W_.resize(L);
  b_.resize(L);
  for (std::size_t l = 1; l <= L; ++l) {
    W_[l - 1].resize({widths_[l], widths_[l - 1]});
    b_[l - 1].resize({widths_[l]});
  }
  draw(config);
  cache_.resize(L);
  grads_.dW.resize(L);
  grads_.db.resize(L);
  grads_.dh.resize(L);
  da_.resize(L);
}

template <class T>
void Network<T>::reinitialize(const NetworkConfig& config) {
  if (config.widths != widths_)
    fail("Network::reinitialize", "widths ", shape_str(config.widths), "; expected the network's ",
         shape_str(widths_));
  if (config.threads < 1) fail("Network", "threads = ", config.threads, "; expected >= 1");
  draw(config);
}

// activations_ and every W^l (n_l, n_{l-1}), b^l (n_l) drawn in place: W^l from
// root.split(2l), b^l from root.split(2l + 1). One parse per distinct spec list.
template <class T>
void Network<T>::draw(const NetworkConfig& config) {
  const std::size_t L = depth();
  const std::size_t na = config.activations.size(), ni = config.inits.size();
  check_per_layer(na, L, "activations");
  check_per_layer(ni, L, "init specs");
  if (na == L) {
    activations_ = config.activations;
  } else {
    activations_.assign(L, config.activations.front());
  }
  const init::Initializer bias_init = init::parse(config.bias_init);
  if (ni == 1) {
    const init::Initializer shared = init::parse(config.inits.front());
    draw_parameters([&](std::size_t) -> const init::Initializer& { return shared; }, bias_init, config.seed,
                    config.threads);
  } else {
    draw_parameters([&](std::size_t l) { return init::parse(config.inits[l - 1]); }, bias_init, config.seed,
                    config.threads);
  }
}

template <class T>
void Network<T>::reinitialize(Activation f, const init::Initializer& weights, const init::Initializer& bias,
                              std::uint64_t seed, int threads) {
  if (threads < 1) fail("Network", "threads = ", threads, "; expected >= 1");
  activations_.assign(depth(), f);
  draw_parameters([&](std::size_t) -> const init::Initializer& { return weights; }, bias, seed, threads);
}

template <class T>
void Network<T>::assign(Activation f, const std::vector<Matrix<T>>& W, const std::vector<Vector<T>>& b) {
  const std::size_t L = depth();
  if (W.size() != L || b.size() != L)
    fail("Network::assign", W.size(), " weight and ", b.size(), " bias tensors; expected ", L, " of each");
  for (std::size_t l = 0; l < L; ++l) {
    if (W[l].shape() != W_[l].shape() || b[l].shape() != b_[l].shape())
      fail("Network::assign", "layer ", l + 1, " has W ", shape_str(W[l].shape()), ", b ", shape_str(b[l].shape()),
           "; expected W ", shape_str(W_[l].shape()), ", b ", shape_str(b_[l].shape()));
  }
  activations_.assign(L, f);
  copy_layers(W_, b_, W, b);
}

template <class T>
void Network<T>::copy_parameters_to(std::vector<Matrix<T>>& W, std::vector<Vector<T>>& b) const {
  W.resize(depth());
  b.resize(depth());
  for (std::size_t l = 0; l < depth(); ++l) {
    ensure_shape(W[l], W_[l].shape()[0], W_[l].shape()[1]);
    ensure_shape(b[l], b_[l].size());
  }
  copy_layers(W, b, W_, b_);
}

// W^l (n_l, n_{l-1}) from weights(l) and Stream(seed).split(2l), b^l (n_l) from
// bias and split(2l + 1), in place.
template <class T>
template <class Weights>
void Network<T>::draw_parameters(const Weights& weights, const init::Initializer& bias, std::uint64_t seed,
                                 int threads) {
  const random::Stream root(seed, 0, threads);
  for (std::size_t l = 1; l <= depth(); ++l) {
    const std::size_t out = widths_[l], in = widths_[l - 1];
    Matrix<T>& W = W_[l - 1];
    weights(l)(std::span<T>(W.data(), W.size()), FanShape{out, in}, root.split(2 * l));
    Vector<T>& b = b_[l - 1];
    bias(std::span<T>(b.data(), b.size()), FanShape{out, 1}, root.split(2 * l + 1));
  }
}

template <class T>
std::size_t Network<T>::parameter_count() const {
  std::size_t n = 0;
  for (std::size_t l = 1; l < widths_.size(); ++l) n += widths_[l] * (widths_[l - 1] + 1);
  return n;
}

// x (B, n_0) -> out[l-1] = (h^l (B, n_l), a^l (B, n_l)), l = 1..L
template <class T>
void Network<T>::forward(const Matrix<T>& x, std::vector<LayerCache<T>>& out) const {
  if (x.shape()[1] != widths_[0] || x.shape()[0] == 0)
    fail("Network::forward", "input x ", shape_str(x.shape()), "; expected (B, ", widths_[0],
         ") with B >= 1");
  out.resize(depth());
  const Matrix<T>* prev = &x;
  for (std::size_t l = 0; l < depth(); ++l) {
    dense_forward(out[l].h, *prev, W_[l], b_[l]);
    activate(out[l].a, out[l].h, activations_[l]);
    prev = &out[l].a;
  }
}

template <class T>
const Matrix<T>& Network<T>::forward(const Matrix<T>& x) {
  if (x.shape()[1] != widths_[0] || x.shape()[0] == 0)
    fail("Network::forward", "input x ", shape_str(x.shape()), "; expected (B, ", widths_[0],
         ") with B >= 1");
  ensure_shape(x_, x.shape()[0], x.shape()[1]);
  std::copy(x.data(), x.data() + x.size(), x_.data());
  forward(x_, cache_);
  return cache_.back().a;
}

template <class T>
void Network<T>::seed_backward(const Matrix<T>& dh_last, const char* func) {
  const std::size_t L = depth(), B = x_.shape()[0];
  if (cache_.back().h.shape()[0] != B || cache_.back().h.size() == 0 || B == 0)
    fail(func, "no forward pass to differentiate; call forward(x) first");
  if (dh_last.shape()[0] != B || dh_last.shape()[1] != widths_[L])
    fail(func, "dh_last ", shape_str(dh_last.shape()), "; expected (", B, ", ", widths_[L],
         ") matching the last forward pass");
  Matrix<T>& top = grads_.dh[L - 1];
  ensure_shape(top, B, widths_[L]);
  std::copy(dh_last.data(), dh_last.data() + dh_last.size(), top.data());
}

// da^{l-1} (B, n_{l-1}) -> dh^{l-1} = da^{l-1} * phi_{l-1}'(h^{l-1})
template <class T>
void Network<T>::activation_gradient(std::size_t l) {
  activate_backward(grads_.dh[l - 2], da_[l - 2], cache_[l - 2].h, cache_[l - 2].a,
                    activations_[l - 2]);
}

// dh^L (B, n_L) -> for l = L..1:
//   dW^l = (dh^l)^T a^{l-1},  db^l = sum_B dh^l,  da^{l-1} = dh^l W^l,
//   dh^{l-1} = da^{l-1} * phi_{l-1}'(h^{l-1})
template <class T>
const Gradients<T>& Network<T>::backward(const Matrix<T>& dh_last) {
  seed_backward(dh_last, "Network::backward");
  for (std::size_t l = depth(); l >= 1; --l) {
    const Matrix<T>& prev = l == 1 ? x_ : cache_[l - 2].a;
    Matrix<T>* da = l == 1 ? nullptr : &da_[l - 2];
    dense_backward(da, grads_.dW[l - 1], grads_.db[l - 1], grads_.dh[l - 1], prev, W_[l - 1]);
    if (l > 1) activation_gradient(l);
  }
  return grads_;
}

// The same pass with W^l -= lr dW^l, b^l -= lr db^l fused into layer l's backward.
template <class T>
void Network<T>::backward_sgd(const Matrix<T>& dh_last, T lr) {
  seed_backward(dh_last, "Network::backward_sgd");
  for (std::size_t l = depth(); l >= 1; --l) {
    const Matrix<T>& prev = l == 1 ? x_ : cache_[l - 2].a;
    Matrix<T>* da = l == 1 ? nullptr : &da_[l - 2];
    dense_backward_sgd(da, grads_.db[l - 1], W_[l - 1], b_[l - 1], grads_.dh[l - 1], prev, lr);
    if (l > 1) activation_gradient(l);
  }
}

template class Network<float>;
template class Network<double>;

}  // namespace initlab::nn
